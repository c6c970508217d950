/* regex.c: (in progress) */
#include "lede.h"

void lede_open_regex(lua_State *L) { (void)L; }
