/* core.c: the module's one entry point, luaopen_lede_core.
 *
 * Builds the module table and lets each file (text, segment, regex,
 * gazetteer, features, quotes) register its functions and types into it. */
#include "lede.h"

#define LEDE_VERSION "0.1.0"

LUALIB_API int luaopen_lede_core(lua_State *L);

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
  return 1;
}
