/* text.c: (in progress) */
#include "lede.h"

void lede_open_text(lua_State *L) { (void)L; }
