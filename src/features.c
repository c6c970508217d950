/* features.c: (in progress) */
#include "lede.h"

void lede_open_features(lua_State *L) { (void)L; }
