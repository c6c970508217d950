/* segment.c: (in progress) */
#include "lede.h"

void lede_open_segment(lua_State *L) { (void)L; }
