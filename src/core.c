/* core.c: the module's one entry point, luaopen_lede_core.
 *
 * Builds the module table and lets each file (text, segment, regex,
 * gazetteer, features, quotes) register its functions and types into it. */
#include "lede.h"

#define LEDE_VERSION "0.1.0"

LUALIB_API int luaopen_lede_core(lua_State *L);

void lede_new_type(lua_State *L, const char *tname, const luaL_Reg *methods, lua_CFunction gc,
                   lua_CFunction tostring, lua_CFunction len) {
  luaL_newmetatable(L, tname);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  if (gc != NULL) {
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
#if LUA_VERSION_NUM >= 504
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__close");
#endif
  }
  lua_pushcfunction(L, tostring);
  lua_setfield(L, -2, "__tostring");
  if (len != NULL) {
    lua_pushcfunction(L, len);
    lua_setfield(L, -2, "__len");
  }
  lua_pop(L, 1);
}

__attribute__((visibility("default"))) LUALIB_API int luaopen_lede_core(lua_State *L) {
  lua_newtable(L);
  lua_pushliteral(L, LEDE_VERSION);
  lua_setfield(L, -2, "version");
  /* The ABI this module was compiled for: lede/init.lua refuses a mismatch. */
  lua_pushinteger(L, LUA_VERSION_NUM);
  lua_setfield(L, -2, "LUA_VERSION_NUM");
  lede_open_text(L);
  lede_open_segment(L);
  lede_open_regex(L);
  lede_open_gazetteer(L);
  lede_open_features(L);
  lede_open_quotes(L);
  lede_open_probe(L);
  lede_open_entities(L);
  lede_open_pick(L);
  lede_open_meta(L);
  return 1;
}
