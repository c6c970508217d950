/* quotes.c: (in progress) */
#include "lede.h"

void lede_open_quotes(lua_State *L) { (void)L; }
