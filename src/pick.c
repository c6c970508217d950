/* pick.c: which blocks of a document a search should visit.
 *
 * core.pick reads every block's text (and kind) once and sorts the blocks
 * into lists by cheap tests on the text's length, its first and last byte
 * and the block's kind, so that a search over the blocks runs its patterns
 * on the few that can match instead of looping over all of them in Lua.
 * Policy (which tests suit which search) stays in Lua. */
#include "lede.h"

#include <string.h>

#define PICK_MAX_SPECS 16

typedef struct {
  lua_Integer min, max;
  unsigned char first[256], last[256];
  int has_first, has_last;
  int kinds, skip; /* stack indices of the kind sets, 0 when absent */
  int out;         /* stack index of the result array */
  lua_Integer n;   /* its length */
} pick_spec;

static const char *const pick_options[] = { "min", "max", "first", "last", "kinds", "skip", NULL };

static void pick_bytes(lua_State *L, int idx, unsigned char *set, int *has, int spec, const char *name) {
  size_t n, k;
  const char *s;
  if (lua_type(L, idx) != LUA_TSTRING)
    luaL_error(L, "pick: spec %d: '%s' must be a string of bytes, got %s", spec, name, luaL_typename(L, idx));
  s = lua_tolstring(L, idx, &n);
  memset(set, 0, 256);
  for (k = 0; k < n; k++) set[(unsigned char)s[k]] = 1;
  *has = 1;
}

static lua_Integer pick_bound(lua_State *L, int idx, int spec, const char *name) {
  if (lua_type(L, idx) != LUA_TNUMBER)
    luaL_error(L, "pick: spec %d: '%s' must be a number, got %s", spec, name, luaL_typename(L, idx));
  return lua_tointeger(L, idx);
}

/* Reads spec table number `n` (at stack index `idx`) into `sp`. The kind
 * sets stay where they are in the specs table: their stack copies are
 * pushed here and stay on the stack until the end of the call. */
static void pick_read_spec(lua_State *L, int idx, int n, pick_spec *sp) {
  memset(sp, 0, sizeof *sp);
  sp->min = 0;
  sp->max = (lua_Integer)(((size_t)-1) >> 1);
  if (!lua_istable(L, idx)) luaL_error(L, "pick: spec %d must be a table, got %s", n, luaL_typename(L, idx));
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    const char *key;
    int opt;
    if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "pick: spec %d: option names must be strings", n);
    key = lua_tostring(L, -2);
    for (opt = 0; pick_options[opt] != NULL; opt++)
      if (strcmp(key, pick_options[opt]) == 0) break;
    switch (opt) {
    case 0: sp->min = pick_bound(L, -1, n, key); break;
    case 1: sp->max = pick_bound(L, -1, n, key); break;
    case 2: pick_bytes(L, -1, sp->first, &sp->has_first, n, key); break;
    case 3: pick_bytes(L, -1, sp->last, &sp->has_last, n, key); break;
    case 4:
    case 5:
      if (!lua_istable(L, -1))
        luaL_error(L, "pick: spec %d: '%s' must be a set table, got %s", n, key, luaL_typename(L, -1));
      break;
    default: luaL_error(L, "pick: spec %d: unknown option '%s'", n, key);
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, idx, "kinds");
  if (lua_isnil(L, -1)) lua_pop(L, 1);
  else sp->kinds = lua_gettop(L);
  lua_getfield(L, idx, "skip");
  if (lua_isnil(L, -1)) lua_pop(L, 1);
  else sp->skip = lua_gettop(L);
}

/* Whether the value at stack index `kind` is a key of the set at `set`. */
static int pick_in(lua_State *L, int set, int kind) {
  int in;
  if (lua_isnil(L, kind)) return 0;
  lua_pushvalue(L, kind);
  lua_rawget(L, set);
  in = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return in;
}

/* core.pick(blocks, specs) -> one array of block indices per spec. */
static int l_pick(lua_State *L) {
  pick_spec specs[PICK_MAX_SPECS];
  int nspecs, s, need_kind = 0;
  lua_Integer nb, k;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  nspecs = (int)lua_rawlen(L, 2);
  if (nspecs > PICK_MAX_SPECS) return luaL_error(L, "pick: at most %d specs, got %d", PICK_MAX_SPECS, nspecs);
  luaL_checkstack(L, 4 * nspecs + 10, "pick: too many specs");
  for (s = 0; s < nspecs; s++) {
    lua_rawgeti(L, 2, s + 1);
    pick_read_spec(L, lua_gettop(L), s + 1, &specs[s]);
    if (specs[s].kinds || specs[s].skip) need_kind = 1;
  }
  nb = (lua_Integer)lua_rawlen(L, 1);
  for (s = 0; s < nspecs; s++) {
    lua_createtable(L, nb < 64 ? (int)nb : 64, 0);
    specs[s].out = lua_gettop(L);
  }
  for (k = 1; k <= nb; k++) {
    size_t len;
    const unsigned char *t;
    int block, kind = 0;
    lua_rawgeti(L, 1, (int)k);
    block = lua_gettop(L);
    if (!lua_istable(L, block)) return luaL_error(L, "pick: block %d is not a table", (int)k);
    lua_getfield(L, block, "text");
    if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "pick: block %d has no text", (int)k);
    t = (const unsigned char *)lua_tolstring(L, -1, &len);
    if (need_kind) {
      lua_getfield(L, block, "kind");
      kind = lua_gettop(L);
    }
    for (s = 0; s < nspecs; s++) {
      pick_spec *sp = &specs[s];
      if ((lua_Integer)len < sp->min || (lua_Integer)len > sp->max) continue;
      if (sp->has_first && (len == 0 || !sp->first[t[0]])) continue;
      if (sp->has_last && (len == 0 || !sp->last[t[len - 1]])) continue;
      if (sp->kinds && !pick_in(L, sp->kinds, kind)) continue;
      if (sp->skip && pick_in(L, sp->skip, kind)) continue;
      lua_pushinteger(L, k);
      lua_rawseti(L, sp->out, (int)++sp->n);
    }
    lua_settop(L, block - 1);
  }
  for (s = 0; s < nspecs; s++) lua_pushvalue(L, specs[s].out);
  return nspecs;
}

void lede_open_pick(lua_State *L) {
  lua_pushcfunction(L, l_pick);
  lua_setfield(L, -2, "pick");
}
