/* compat.h: the few Lua 5.4 API calls lede uses that Lua 5.1 / LuaJIT lack. */
#ifndef LEDE_COMPAT_H
#define LEDE_COMPAT_H

#include <lua.h>
#include <lauxlib.h>

#if defined(__GNUC__)
#define LEDE_COMPAT_UNUSED __attribute__((unused))
#else
#define LEDE_COMPAT_UNUSED
#endif

#if LUA_VERSION_NUM < 502
#define lua_rawlen(L, i) lua_objlen((L), (i))
#define luaL_setfuncs(L, l, nup) luaL_register((L), NULL, (l))
#define luaL_newlibtable(L, l) lua_createtable((L), 0, sizeof(l) / sizeof((l)[0]) - 1)
#define luaL_newlib(L, l) (luaL_newlibtable((L), (l)), luaL_register((L), NULL, (l)))
#define luaL_setmetatable(L, tname) (luaL_getmetatable((L), (tname)), lua_setmetatable((L), -2))
#define lua_absindex(L, i) (((i) > 0 || (i) <= LUA_REGISTRYINDEX) ? (i) : lua_gettop(L) + (i) + 1)
static LEDE_COMPAT_UNUSED void *lede_testudata(lua_State *L, int i, const char *tname) {
  void *p = lua_touserdata(L, i);
  if (p != NULL && lua_getmetatable(L, i)) {
    luaL_getmetatable(L, tname);
    if (!lua_rawequal(L, -1, -2)) p = NULL;
    lua_pop(L, 2);
    return p;
  }
  return NULL;
}
#define luaL_testudata(L, i, t) lede_testudata((L), (i), (t))
static LEDE_COMPAT_UNUSED const char *lede_tolstring(lua_State *L, int idx, size_t *len) {
  if (!luaL_callmeta(L, idx, "__tostring")) {
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
    case LUA_TSTRING: lua_pushvalue(L, idx); break;
    case LUA_TBOOLEAN: lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false"); break;
    case LUA_TNIL: lua_pushliteral(L, "nil"); break;
    default:
      lua_pushfstring(L, "%s: %p", luaL_typename(L, idx), lua_topointer(L, idx));
      break;
    }
  }
  return lua_tolstring(L, -1, len);
}
#define luaL_tolstring(L, i, len) lede_tolstring((L), (i), (len))
#endif

#if LUA_VERSION_NUM < 502
/* lua_compare with the three operators; LE as LT or EQ (no __le before 5.2
 * that lede relies on). */
#define LUA_OPEQ 0
#define LUA_OPLT 1
#define LUA_OPLE 2
static LEDE_COMPAT_UNUSED int lede_compare(lua_State *L, int a, int b, int op) {
  if (op == LUA_OPEQ) return lua_equal(L, a, b);
  if (op == LUA_OPLT) return lua_lessthan(L, a, b);
  return lua_lessthan(L, a, b) || lua_equal(L, a, b);
}
#define lua_compare(L, a, b, op) lede_compare((L), (a), (b), (op))
static LEDE_COMPAT_UNUSED lua_Integer lede_tointegerx(lua_State *L, int i, int *isnum) {
  if (isnum != NULL) *isnum = lua_isnumber(L, i);
  return lua_tointeger(L, i);
}
#define lua_tointegerx(L, i, isnum) lede_tointegerx((L), (i), (isnum))
#endif

#if LUA_VERSION_NUM < 503
#define lua_isinteger(L, i) 0
/* Before 5.3 the table reads return nothing: these return the value's type. */
static LEDE_COMPAT_UNUSED int lede_rawgeti(lua_State *L, int t, lua_Integer n) {
  lua_rawgeti(L, t, (int)n);
  return lua_type(L, -1);
}
static LEDE_COMPAT_UNUSED int lede_rawget(lua_State *L, int t) {
  lua_rawget(L, t);
  return lua_type(L, -1);
}
static LEDE_COMPAT_UNUSED int lede_getfield(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  return lua_type(L, -1);
}
static LEDE_COMPAT_UNUSED int lede_gettable(lua_State *L, int t) {
  lua_gettable(L, t);
  return lua_type(L, -1);
}
#define lua_rawgeti(L, t, n) lede_rawgeti((L), (t), (n))
#define lua_rawget(L, t) lede_rawget((L), (t))
#define lua_getfield(L, t, k) lede_getfield((L), (t), (k))
#define lua_gettable(L, t) lede_gettable((L), (t))
#endif

#if LUA_VERSION_NUM < 504
#define lua_newuserdatauv(L, sz, nuv) lua_newuserdata((L), (sz))
#endif

/* User values of a full userdata (one, a table, is all lede uses). */
#if LUA_VERSION_NUM < 504
static LEDE_COMPAT_UNUSED int lede_setiuservalue(lua_State *L, int idx, int n) {
  (void)n;
#if LUA_VERSION_NUM < 502
  return lua_setfenv(L, idx);
#else
  lua_setuservalue(L, idx);
  return 1;
#endif
}
#define lua_setiuservalue(L, idx, n) lede_setiuservalue((L), (idx), (n))
#endif

/* Pushes the user value set by lua_setiuservalue (a table). */
#if LUA_VERSION_NUM < 504
static LEDE_COMPAT_UNUSED int lede_getiuservalue(lua_State *L, int idx, int n) {
  (void)n;
#if LUA_VERSION_NUM < 502
  lua_getfenv(L, idx);
#else
  lua_getuservalue(L, idx);
#endif
  return lua_type(L, -1);
}
#define lua_getiuservalue(L, idx, n) lede_getiuservalue((L), (idx), (n))
#endif

#endif
