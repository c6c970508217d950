/* gazetteer.c: (in progress) */
#include "lede.h"

void lede_open_gazetteer(lua_State *L) { (void)L; }
