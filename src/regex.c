/* regex.c: PCRE2 patterns for lede.core (lede.Regex, lede.RegexSet).
 *
 * A pattern is compiled once (UTF, UCP, MATCH_INVALID_UTF, newline LF),
 * JIT-compiled when the JIT is available, and keeps its match data and a
 * match context with match, depth and heap limits, so that a bad pattern on
 * a bad subject raises instead of hanging. Subjects are any byte strings:
 * invalid UTF-8 never matches and NUL bytes are ordinary characters.
 * Positions seen from Lua are 1-based inclusive byte positions.
 *
 * A lede.RegexSet is an ordered list of patterns sharing one match context
 * and one match data block, asked which of them match a range of a string. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <string.h>

#include "lede.h"

#define REGEX_MT "lede.Regex"
#define REGEXSET_MT "lede.RegexSet"

/* Defaults: enough for any sensible pattern on a long text, small enough
 * that a runaway backtracking pattern fails within milliseconds. */
#define DEFAULT_MATCH_LIMIT 1000000
#define DEFAULT_DEPTH_LIMIT 100000
#define DEFAULT_HEAP_LIMIT 65536 /* KiB */
/* The JIT runs on a 32 KiB machine-stack area; a match that needs more gets
 * a JIT stack (created on first need) that may grow to this size. */
#define JIT_STACK_START (32 * 1024)
#define JIT_STACK_MAX (4 * 1024 * 1024)
/* A pattern used as its own name is cut to this many bytes. */
#define NAME_MAX_BYTES 40

/* ---- matching engine shared by both types ----------------------------- */

/* A linear pattern takes a few steps per byte, so on a long subject (a
 * whole page on one line) the match limit grows to this many steps per
 * byte: a runaway pattern still fails, after time in proportion to the
 * subject. */
#define LIMIT_PER_BYTE 8

typedef struct {
  pcre2_match_context *mctx;
  pcre2_jit_stack *jstack;
  pcre2_match_data *md;
  uint32_t base_limit, cur_limit; /* the match limit set, the one in force */
} Engine;

typedef struct {
  uint32_t match_limit, depth_limit, heap_limit;
} Limits;

static void engine_free(Engine *e) {
  if (e->md != NULL) { pcre2_match_data_free(e->md); e->md = NULL; }
  if (e->mctx != NULL) { pcre2_match_context_free(e->mctx); e->mctx = NULL; }
  if (e->jstack != NULL) { pcre2_jit_stack_free(e->jstack); e->jstack = NULL; }
}

/* Creates the match context; the owner is already safe to collect. */
static void engine_context(lua_State *L, Engine *e, const Limits *lim) {
  e->mctx = pcre2_match_context_create(NULL);
  if (e->mctx == NULL) luaL_error(L, "not enough memory");
  pcre2_set_match_limit(e->mctx, lim->match_limit);
  e->base_limit = e->cur_limit = lim->match_limit;
  pcre2_set_depth_limit(e->mctx, lim->depth_limit);
  pcre2_set_heap_limit(e->mctx, lim->heap_limit);
}

/* Whether a compiled pattern has JIT code (for PCRE2_JIT_COMPLETE). */
static int has_jit(const pcre2_code *code) {
  size_t size = 0;
  return pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &size) == 0 && size > 0;
}

/* Runs one match. A JIT-compiled pattern (jit) goes through
 * pcre2_jit_match, which skips pcre2_match's checks of arguments that are
 * right here by construction (start <= len, no options); the limits and
 * the JIT stack of the match context apply alike. A JIT match that runs out
 * of its default stack is retried once with a larger JIT stack. Returns
 * pcre2_match's result. */
static int engine_match(Engine *e, const pcre2_code *code, int jit, const char *s, size_t len,
                        size_t start, uint32_t options) {
  int rc;
  uint32_t limit = e->base_limit;
  if (len > limit / LIMIT_PER_BYTE)
    limit = len > UINT32_MAX / LIMIT_PER_BYTE ? UINT32_MAX : (uint32_t)len * LIMIT_PER_BYTE;
  if (limit != e->cur_limit) {
    pcre2_set_match_limit(e->mctx, limit);
    e->cur_limit = limit;
  }
  if (jit && start <= len && options == 0)
    rc = pcre2_jit_match(code, (PCRE2_SPTR)s, len, start, 0, e->md, e->mctx);
  else
    rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, options, e->md, e->mctx);
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT && e->jstack == NULL) {
    e->jstack = pcre2_jit_stack_create(JIT_STACK_START, JIT_STACK_MAX, NULL);
    if (e->jstack != NULL) {
      pcre2_jit_stack_assign(e->mctx, NULL, e->jstack);
      rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, options, e->md, e->mctx);
    }
  }
  return rc;
}

/* The message for a failed match (rc < 0, not NOMATCH). */
static const char *match_error(int rc, char *buf, size_t size) {
  switch (rc) {
  case PCRE2_ERROR_MATCHLIMIT: return "match limit exceeded";
  case PCRE2_ERROR_DEPTHLIMIT: return "depth limit exceeded";
  case PCRE2_ERROR_HEAPLIMIT: return "heap limit exceeded";
  case PCRE2_ERROR_JIT_STACKLIMIT: return "JIT stack limit exceeded";
  default:
    if (pcre2_get_error_message(rc, (PCRE2_UCHAR *)buf, size) < 0)
      return "unknown match error";
    return buf;
  }
}

/* ---- compiling -------------------------------------------------------- */

/* Turns flag letters into pcre2_compile options; on an unknown letter
 * returns 0 and stores it in *bad. */
static int parse_flags(const char *flags, size_t n, uint32_t *options, char *bad) {
  uint32_t o = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
  size_t k;
  for (k = 0; k < n; k++) {
    switch (flags[k]) {
    case 'i': o |= PCRE2_CASELESS; break;
    case 'm': o |= PCRE2_MULTILINE; break;
    case 's': o |= PCRE2_DOTALL; break;
    case 'x': o |= PCRE2_EXTENDED; break;
    case 'U': o |= PCRE2_UNGREEDY; break;
    case 'a': o &= ~(uint32_t)PCRE2_UCP; break;
    default: *bad = flags[k]; return 0;
    }
  }
  *options = o;
  return 1;
}

/* Compiles and JIT-compiles a pattern. On failure returns NULL and writes
 * "<PCRE2 message> at offset <1-based>" into msg. Never raises. */
static pcre2_code *compile(const char *pat, size_t plen, uint32_t options, char *msg,
                           size_t msize) {
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code *code;
  pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
  if (cc == NULL) {
    strcpy(msg, "not enough memory");
    return NULL;
  }
  pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
  code = pcre2_compile((PCRE2_SPTR)pat, plen, options, &err, &off, cc);
  pcre2_compile_context_free(cc);
  if (code == NULL) {
    char text[256];
    size_t tl;
    if (pcre2_get_error_message(err, (PCRE2_UCHAR *)text, sizeof text) < 0)
      strcpy(text, "invalid pattern");
    tl = strlen(text);
    if (tl + 40 < msize) {
      memcpy(msg, text, tl);
      sprintf(msg + tl, " at offset %lu", (unsigned long)off + 1);
    } else {
      strcpy(msg, "invalid pattern");
    }
    return NULL;
  }
  /* Without a JIT (or if it fails) the interpreter runs the same pattern. */
  (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  return code;
}

/* A malloc'd copy of a name: the given one, or the pattern cut to
 * NAME_MAX_BYTES on a character boundary followed by "...". */
static char *make_name(const char *name, size_t nlen, int is_pattern) {
  char *p;
  if (is_pattern && nlen > NAME_MAX_BYTES) {
    size_t cut = NAME_MAX_BYTES;
    while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80) cut--;
    p = (char *)malloc(cut + 4);
    if (p == NULL) return NULL;
    memcpy(p, name, cut);
    memcpy(p + cut, "...", 4);
    return p;
  }
  p = (char *)malloc(nlen + 1);
  if (p == NULL) return NULL;
  memcpy(p, name, nlen);
  p[nlen] = '\0';
  return p;
}

/* Reads a positive integer limit option from the table at t. */
static uint32_t opt_limit(lua_State *L, int t, const char *key, uint32_t dflt, int arg) {
  uint32_t v = dflt;
  lua_getfield(L, t, key);
  if (!lua_isnil(L, -1)) {
    lua_Integer n = 0;
    int ok = 0;
    if (lua_type(L, -1) == LUA_TNUMBER) {
#if LUA_VERSION_NUM >= 503
      n = lua_tointegerx(L, -1, &ok);
#else
      lua_Number d = lua_tonumber(L, -1);
      n = (lua_Integer)d;
      ok = (lua_Number)n == d;
#endif
    }
    if (!ok || n < 1 || n > 0xFFFFFFFFL) {
      lua_pop(L, 1);
      return (uint32_t)luaL_argerror(
          L, arg, lua_pushfstring(L, "option '%s' must be a positive integer", key));
    }
    v = (uint32_t)n;
  }
  lua_pop(L, 1);
  return v;
}

/* Raises if the table at t has a key not in allowed (NULL-terminated). */
static void check_keys(lua_State *L, int t, const char *const *allowed, int arg) {
  lua_pushnil(L);
  while (lua_next(L, t) != 0) {
    int ok = 0;
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      const char *k = lua_tostring(L, -1);
      const char *const *a;
      for (a = allowed; *a != NULL; a++)
        if (strcmp(*a, k) == 0) { ok = 1; break; }
    }
    if (!ok) {
      const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                     : luaL_typename(L, -1);
      luaL_argerror(L, arg, lua_pushfstring(L, "unknown option '%s'", k));
    }
  }
}

/* Limits from an options table at index t (or defaults when t is 0). */
static void read_limits(lua_State *L, int t, int arg, Limits *lim) {
  lim->match_limit = DEFAULT_MATCH_LIMIT;
  lim->depth_limit = DEFAULT_DEPTH_LIMIT;
  lim->heap_limit = DEFAULT_HEAP_LIMIT;
  if (t == 0) return;
  lim->match_limit = opt_limit(L, t, "match_limit", DEFAULT_MATCH_LIMIT, arg);
  lim->depth_limit = opt_limit(L, t, "depth_limit", DEFAULT_DEPTH_LIMIT, arg);
  lim->heap_limit = opt_limit(L, t, "heap_limit", DEFAULT_HEAP_LIMIT, arg);
}

/* ---- boundary helpers ------------------------------------------------- */

/* string.find's init: 1-based, negative from the end. Returns 0 when init
 * is past the end (no match possible), else the 0-based start in *pos. */
static int start_pos(lua_State *L, int arg, size_t len, size_t *pos) {
  lua_Integer init = luaL_optinteger(L, arg, 1);
  if (init < 0) {
    init = (lua_Integer)len + init + 1;
    if (init < 1) init = 1;
  } else if (init == 0) {
    init = 1;
  }
  if (init > (lua_Integer)len + 1) return 0;
  *pos = (size_t)(init - 1);
  return 1;
}

/* The position after the character at s[pos] (pos < len), a bad byte
 * counting as one character. */
static size_t next_char(const char *s, size_t len, size_t pos) {
  size_t l = 1;
  (void)lede_utf8_decode((const unsigned char *)s, pos, len, &l);
  return pos + l;
}

/* ---- lede.Regex -------------------------------------------------------- */

/* The bytes that may start a match of an anchored pattern, as a bitmap
 * (bit b & 7 of out[b >> 3]). An ASCII byte b is left out when the pattern
 * fails on the one-byte subject b even as a partial match: with
 * PCRE2_PARTIAL_HARD, every way of matching that reads past b ends in a
 * partial match, so NOMATCH means that each one failed on b itself, as it
 * would in any subject that starts with b. The other bytes are kept.
 * Returns whether any byte is left out (0 when the pattern is not anchored
 * or memory runs out). */
static int anchored_firsts(const pcre2_code *code, unsigned char out[32]) {
  uint32_t all = 0;
  pcre2_match_data *md;
  int b, any = 0;
  memset(out, 0xFF, 32);
  if (pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &all) != 0 || !(all & PCRE2_ANCHORED))
    return 0;
  md = pcre2_match_data_create(1, NULL);
  if (md == NULL) return 0;
  for (b = 0; b < 128; b++) {
    PCRE2_UCHAR c = (PCRE2_UCHAR)b;
    if (pcre2_match(code, &c, 1, 0, PCRE2_PARTIAL_HARD, md, NULL) == PCRE2_ERROR_NOMATCH) {
      out[b >> 3] &= (unsigned char)~(1u << (b & 7));
      any = 1;
    }
  }
  pcre2_match_data_free(md);
  return any;
}

/* Whether a subject of len bytes at s may match a pattern whose first
 * bytes are firsts (has: some are left out). */
static int may_start(int has, const unsigned char *firsts, const char *s, size_t len) {
  unsigned char c;
  if (!has || len == 0) return 1;
  c = (unsigned char)s[0];
  return (firsts[c >> 3] >> (c & 7)) & 1;
}

typedef struct {
  pcre2_code *code;
  Engine eng;
  char *name;
  uint32_t ncap;
  int jit; /* has JIT code */
  int closed;
  int has_firsts; /* anchored, and some first bytes cannot start a match: */
  unsigned char firsts[32]; /* the bytes that may (anchored_firsts) */
} Regex;

static void regex_free(Regex *r) {
  engine_free(&r->eng);
  if (r->code != NULL) { pcre2_code_free(r->code); r->code = NULL; }
  if (r->name != NULL) { free(r->name); r->name = NULL; }
  r->closed = 1;
}

static Regex *check_regex(lua_State *L) {
  /* (the methods that run once per match are closures with the metatable as
   * their upvalue: compared with it, without the registry's lookup) */
  Regex *r = (Regex *)lua_touserdata(L, 1);
  int same = 0;
  if (r != NULL && lua_getmetatable(L, 1)) {
    same = lua_rawequal(L, -1, lua_upvalueindex(1));
    lua_pop(L, 1);
  }
  if (!same) r = (Regex *)luaL_checkudata(L, 1, REGEX_MT);
  if (r->closed) luaL_error(L, REGEX_MT " is closed");
  return r;
}

static void raise_match(lua_State *L, Regex *r, int rc) {
  char buf[256];
  luaL_error(L, "regex %s: %s", r->name, match_error(rc, buf, sizeof buf));
}

/* Matches r against s from pos. Returns 1 on a match (offsets in the match
 * data), 0 when there is none; raises on a limit or other error. */
static int regex_exec(lua_State *L, Regex *r, const char *s, size_t len, size_t pos) {
  int rc;
  /* (at the subject's start, a first byte that starts no match of an
   * anchored pattern is not tried) */
  if (pos == 0 && !may_start(r->has_firsts, r->firsts, s, len)) return 0;
  rc = engine_match(&r->eng, r->code, r->jit, s, len, pos, 0);
  if (rc >= 0) return 1;
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  raise_match(L, r, rc);
  return 0;
}

/* Whether the lede.Regex at index idx finds a match in the len bytes at s
 * (as r:find(s) ~= nil); raises as r:find does. */
LEDE_HIDDEN int lede_regex_found(lua_State *L, int idx, const char *s, size_t len) {
  Regex *r = (Regex *)luaL_checkudata(L, idx, REGEX_MT);
  if (r->closed) luaL_error(L, REGEX_MT " is closed");
  return regex_exec(L, r, s, len, 0);
}

/* Pushes the captures of the last match (false for an unset one); with
 * whole set, pushes the whole match when there are no captures. */
static int push_captures(lua_State *L, Regex *r, const char *s, int whole) {
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->eng.md);
  uint32_t k;
  if (r->ncap == 0) {
    if (!whole) return 0;
    lua_pushlstring(L, s + ov[0], ov[1] > ov[0] ? ov[1] - ov[0] : 0);
    return 1;
  }
  luaL_checkstack(L, (int)r->ncap, "too many captures");
  for (k = 1; k <= r->ncap; k++) {
    PCRE2_SIZE a = ov[2 * k], b = ov[2 * k + 1];
    if (a == PCRE2_UNSET || b < a) lua_pushboolean(L, 0);
    else lua_pushlstring(L, s + a, b - a);
  }
  return (int)r->ncap;
}

static int push_find(lua_State *L, Regex *r, const char *s) {
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->eng.md);
  lua_pushinteger(L, (lua_Integer)ov[0] + 1);
  lua_pushinteger(L, (lua_Integer)ov[1]);
  return 2 + push_captures(L, r, s, 0);
}

/* core.regex(pattern [, flags [, opts]]); flags may be omitted: (pattern, opts). */
static int l_regex(lua_State *L) {
  static const char *const keys[] = {"name", "flags", "match_limit", "depth_limit",
                                     "heap_limit", NULL};
  size_t plen, flen = 0, nlen;
  const char *pat = luaL_checklstring(L, 1, &plen);
  const char *flags = "", *name;
  int topt = 0, optarg = 3, flagarg = 2, is_pattern = 1;
  uint32_t options;
  char bad = 0, msg[400];
  Limits lim;
  Regex *r;

  if (lua_type(L, 2) == LUA_TTABLE) {
    topt = 2;
    optarg = 2;
  } else {
    if (!lua_isnoneornil(L, 2)) flags = luaL_checklstring(L, 2, &flen);
    if (!lua_isnoneornil(L, 3)) {
      luaL_checktype(L, 3, LUA_TTABLE);
      topt = 3;
    }
  }
  name = pat;
  nlen = plen;
  if (topt != 0) {
    check_keys(L, topt, keys, optarg);
    lua_getfield(L, topt, "name");
    if (!lua_isnil(L, -1)) {
      if (lua_type(L, -1) != LUA_TSTRING)
        luaL_argerror(L, optarg, "option 'name' must be a string");
      name = lua_tolstring(L, -1, &nlen);
      is_pattern = 0;
    }
    lua_getfield(L, topt, "flags");
    if (!lua_isnil(L, -1)) {
      if (lua_type(L, -1) != LUA_TSTRING)
        luaL_argerror(L, optarg, "option 'flags' must be a string");
      if (flen > 0) luaL_argerror(L, optarg, "flags given twice");
      flags = lua_tolstring(L, -1, &flen);
      flagarg = optarg;
    }
    /* name and flags stay on the stack (anchored) until we return */
  }
  read_limits(L, topt, optarg, &lim);
  if (!parse_flags(flags, flen, &options, &bad))
    return luaL_argerror(L, flagarg,
                         lua_pushfstring(L, "unknown flag '%c', expected letters of \"imsxUa\"",
                                         bad));

  r = (Regex *)lua_newuserdatauv(L, sizeof *r, 0);
  memset(r, 0, sizeof *r);
  luaL_setmetatable(L, REGEX_MT);
  r->name = make_name(name, nlen, is_pattern);
  if (r->name == NULL) return luaL_error(L, "not enough memory");
  r->code = compile(pat, plen, options, msg, sizeof msg);
  if (r->code == NULL) return luaL_error(L, "regex %s: %s", r->name, msg);
  pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->ncap);
  r->jit = has_jit(r->code);
  r->has_firsts = anchored_firsts(r->code, r->firsts);
  engine_context(L, &r->eng, &lim);
  r->eng.md = pcre2_match_data_create_from_pattern(r->code, NULL);
  if (r->eng.md == NULL) return luaL_error(L, "not enough memory");
  return 1;
}

/* r:find(s [, init]) -> start, stop, captures... | nil */
static int l_find(lua_State *L) {
  Regex *r = check_regex(L);
  size_t len, pos;
  const char *s = luaL_checklstring(L, 2, &len);
  if (!start_pos(L, 3, len, &pos) || !regex_exec(L, r, s, len, pos)) {
    lua_pushnil(L);
    return 1;
  }
  return push_find(L, r, s);
}

/* r:match(s [, init]) -> captures or the whole match | nil */
static int l_match(lua_State *L) {
  Regex *r = check_regex(L);
  size_t len, pos;
  const char *s = luaL_checklstring(L, 2, &len);
  if (!start_pos(L, 3, len, &pos) || !regex_exec(L, r, s, len, pos)) {
    lua_pushnil(L);
    return 1;
  }
  return push_captures(L, r, s, 1);
}

/* The iteration shared by gmatch, gfind and count: finds the next match at
 * or after *pos that is not an empty match where the previous match ended
 * (*last, or -1), as Lua 5.4's string.gmatch. Updates *pos and *last. */
static int next_match(lua_State *L, Regex *r, const char *s, size_t len, lua_Integer *pos,
                      lua_Integer *last) {
  PCRE2_SIZE *ov;
  size_t p = (size_t)*pos;
  if (*pos < 0 || p > len) return 0;
  for (;;) {
    if (!regex_exec(L, r, s, len, p)) {
      *pos = (lua_Integer)len + 1;
      return 0;
    }
    ov = pcre2_get_ovector_pointer(r->eng.md);
    if (ov[0] == ov[1] && (lua_Integer)ov[1] == *last) {
      /* an empty match right after the previous one: skip one character */
      if (ov[0] >= len) {
        *pos = (lua_Integer)len + 1;
        return 0;
      }
      p = next_char(s, len, ov[0]);
      continue;
    }
    break;
  }
  *last = (lua_Integer)ov[1];
  *pos = (lua_Integer)ov[1];
  return 1;
}

/* upvalues: regex, subject, pos (0-based), last end (-1: none) */
static int iter_step(lua_State *L, int find) {
  Regex *r = (Regex *)lua_touserdata(L, lua_upvalueindex(1));
  size_t len;
  const char *s = lua_tolstring(L, lua_upvalueindex(2), &len);
  lua_Integer pos = lua_tointeger(L, lua_upvalueindex(3));
  lua_Integer last = lua_tointeger(L, lua_upvalueindex(4));
  int found;
  if (r->closed) return luaL_error(L, REGEX_MT " is closed");
  found = next_match(L, r, s, len, &pos, &last);
  lua_pushinteger(L, pos);
  lua_replace(L, lua_upvalueindex(3));
  lua_pushinteger(L, last);
  lua_replace(L, lua_upvalueindex(4));
  if (!found) return 0;
  return find ? push_find(L, r, s) : push_captures(L, r, s, 1);
}

static int gmatch_step(lua_State *L) { return iter_step(L, 0); }
static int gfind_step(lua_State *L) { return iter_step(L, 1); }

static int make_iter(lua_State *L, lua_CFunction step) {
  size_t len, pos;
  (void)check_regex(L);
  (void)luaL_checklstring(L, 2, &len);
  if (!start_pos(L, 3, len, &pos)) pos = len + 1;
  lua_settop(L, 2);
  lua_pushinteger(L, (lua_Integer)pos);
  lua_pushinteger(L, -1);
  lua_pushcclosure(L, step, 4);
  return 1;
}

/* r:gmatch(s [, init]) -> iterator of what match gives */
static int l_gmatch(lua_State *L) { return make_iter(L, gmatch_step); }
/* r:gfind(s [, init]) -> iterator of what find gives */
static int l_gfind(lua_State *L) { return make_iter(L, gfind_step); }

/* r:count(s [, init]) -> number of matches gmatch would give */
static int l_count(lua_State *L) {
  Regex *r = check_regex(L);
  size_t len, p;
  const char *s = luaL_checklstring(L, 2, &len);
  lua_Integer pos, last = -1, n = 0;
  if (start_pos(L, 3, len, &p)) {
    pos = (lua_Integer)p;
    while (next_match(L, r, s, len, &pos, &last)) n++;
  }
  lua_pushinteger(L, n);
  return 1;
}

static int l_regex_close(lua_State *L) {
  Regex *r = (Regex *)luaL_checkudata(L, 1, REGEX_MT);
  regex_free(r);
  return 0;
}

static int l_regex_tostring(lua_State *L) {
  Regex *r = (Regex *)luaL_checkudata(L, 1, REGEX_MT);
  if (r->closed || r->name == NULL) lua_pushliteral(L, REGEX_MT "(closed)");
  else lua_pushfstring(L, REGEX_MT "(%s)", r->name);
  return 1;
}

/* core.regex_escape(s) -> s with every character that is not a letter,
 * digit, underscore or non-ASCII byte escaped (NUL as \x{0}). */
static int l_regex_escape(lua_State *L) {
  size_t len, k;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (k = 0; k < len; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c == 0) {
      luaL_addstring(&b, "\\x{0}");
      continue;
    }
    if (c < 0x80 && !((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                      c == '_'))
      luaL_addchar(&b, '\\');
    luaL_addchar(&b, (char)c);
  }
  luaL_pushresult(&b);
  return 1;
}

/* ---- lede.RegexSet ----------------------------------------------------- */

/* Needles: literal strings (ASCII folded to lower case) that an entry's
 * every match contains, found in a subject by one pass before its entries
 * run; an entry none of whose needles occurs is not run. A set holds up to
 * SET_MAX_NEEDLES of them, found by one automaton (Aho-Corasick) over the
 * subject's bytes, and a set of needles is a bit mask. */
#define SET_MAX_NEEDLES 256
#define SET_NEEDLE_MAX 64
#define MASK_WORDS (SET_MAX_NEEDLES / 64)

typedef struct {
  uint64_t w[MASK_WORDS];
} NeedleMask;

static void mask_set(NeedleMask *m, int id) { m->w[id >> 6] |= (uint64_t)1 << (id & 63); }

static void mask_or(NeedleMask *m, const NeedleMask *a) {
  int q;
  for (q = 0; q < MASK_WORDS; q++) m->w[q] |= a->w[q];
}

/* Whether masks a and b share a needle. */
static int mask_meets(const NeedleMask *a, const NeedleMask *b) {
  int q;
  for (q = 0; q < MASK_WORDS; q++)
    if (a->w[q] & b->w[q]) return 1;
  return 0;
}

static int mask_empty(const NeedleMask *a) {
  int q;
  for (q = 0; q < MASK_WORDS; q++)
    if (a->w[q]) return 0;
  return 1;
}

/* Whether mask a holds every needle of b. */
static int mask_covers(const NeedleMask *a, const NeedleMask *b) {
  int q;
  for (q = 0; q < MASK_WORDS; q++)
    if (b->w[q] & ~a->w[q]) return 0;
  return 1;
}

typedef struct {
  pcre2_code *code;
  /* (code shared with entries of other sets: how many hold it, else NULL) */
  int *refs;
  char *pat; /* the pattern's text, plen bytes (for sets that share code) */
  size_t plen;
  char *name;
  uint32_t minlen; /* a shorter subject (in bytes) cannot match */
  int jit;         /* JIT-compiled: matched through pcre2_jit_match */
  NeedleMask need; /* needles one of which a match contains (none: none known) */
  int has_need;    /* whether need holds any */
  uint32_t options; /* the compile options from its flags */
  int joined;      /* anchored: tried through the set's joined pattern */
  int has_firsts;  /* anchored, and some first bytes cannot start a match: */
  unsigned char firsts[32]; /* the bytes that may (bit b & 7 of firsts[b >> 3]) */
} Entry;

/* What ends in a state of the automaton: the needles compared with ASCII
 * case folded, the exact ones (compared again), and whether a sign that
 * counts as every needle does. */
typedef struct {
  NeedleMask folded, exact;
  int all;
} ScanOut;

typedef struct {
  unsigned char text[SET_NEEDLE_MAX];
  size_t len;
  int exact; /* compared byte for byte, else with ASCII case folded */
  uint64_t entries; /* the entries (of the first 64) that run alone with it */
} Needle;

typedef struct {
  Entry *entries;
  lua_Integer n;
  Engine eng;
  Needle *needles;     /* SET_MAX_NEEDLES slots, allocated with the first */
  int nneedles;
  NeedleMask scanned; /* the needles of entries that are not joined */
  /* With at most 64 entries, the entries that run alone (not joined) as
   * masks: those without needles, and those with needles */
  uint64_t alone_plain, alone_needled;
  /* The anchored entries joined into one anchored alternation, each branch
   * marked with its entry's index: one match call finds the first of them
   * that matches. NULL when fewer than two entries can be joined. */
  pcre2_code *joined;
  int joined_jit;
  int joined_has_firsts; /* (the joined pattern's first bytes, as an entry's) */
  unsigned char joined_firsts[32];
  int closed;
  /* The automaton of the scanned needles (NULL: none): bytes fall into
   * classes (ASCII case folded; class 0, no needle has the byte), a state
   * is a row of nclasses transitions (delta) to the next state's row. The
   * states where something ends come last, from row out_row on; outs says
   * what ends in each of them. */
  uint32_t *delta;
  /* (the same rows as 16-bit offsets when they all fit: half the memory
   * that each byte's look-up waits on; delta is then NULL) */
  uint16_t *delta16;
  ScanOut *outs;
  /* (overlap: the longest needle or sign, less a byte: a subject is
   * scanned in parts that reach that far into the next) */
  uint32_t nclasses, out_row, overlap;
  unsigned char classes[256];
} RegexSet;

static void set_free(RegexSet *rs) {
  lua_Integer k;
  if (rs->entries != NULL) {
    for (k = 0; k < rs->n; k++) {
      Entry *e = &rs->entries[k];
      if (e->code != NULL) {
        if (e->refs == NULL) {
          pcre2_code_free(e->code);
        } else if (--*e->refs == 0) {
          pcre2_code_free(e->code);
          free(e->refs);
        }
      }
      free(e->pat);
      free(e->name);
    }
    free(rs->entries);
    rs->entries = NULL;
  }
  if (rs->joined != NULL) { pcre2_code_free(rs->joined); rs->joined = NULL; }
  free(rs->needles);
  rs->needles = NULL;
  free(rs->delta);
  rs->delta = NULL;
  free(rs->delta16);
  rs->delta16 = NULL;
  free(rs->outs);
  rs->outs = NULL;
  rs->nneedles = 0;
  engine_free(&rs->eng);
  rs->n = 0;
  rs->closed = 1;
}

/* Bytes with ASCII upper case folded to lower case. */
static const unsigned char LOWER[256] = {
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
  32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
  64, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
  112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 91, 92, 93, 94, 95,
  96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
  112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
  128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143,
  144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159,
  160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175,
  176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191,
  192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207,
  208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223,
  224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
  240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
};

static unsigned char lower_byte(unsigned char c) { return LOWER[c]; }

/* The id of needle s (n bytes) in the set, or -1. */
static int set_find_needle(const RegexSet *rs, const char *s, size_t n, int exact) {
  unsigned char text[SET_NEEDLE_MAX];
  size_t k;
  int id;
  if (n < 1 || n > SET_NEEDLE_MAX) return -1;
  for (k = 0; k < n; k++) text[k] = exact ? (unsigned char)s[k] : lower_byte((unsigned char)s[k]);
  for (id = 0; id < rs->nneedles; id++)
    if (rs->needles[id].len == n && rs->needles[id].exact == exact &&
        memcmp(rs->needles[id].text, text, n) == 0)
      return id;
  return -1;
}

/* Adds a needle to the set; returns its id, or -1 when it cannot be used
 * (empty or longer than SET_NEEDLE_MAX bytes, or the set is full). A needle
 * already there is shared. Raises only on memory. */
static int set_add_needle(lua_State *L, RegexSet *rs, const char *s, size_t n, int exact) {
  Needle nd;
  size_t k;
  int id;
  if (n < 1 || n > SET_NEEDLE_MAX) return -1;
  id = set_find_needle(rs, s, n, exact);
  if (id >= 0) return id;
  if (rs->nneedles >= SET_MAX_NEEDLES) return -1;
  for (k = 0; k < n; k++) nd.text[k] = exact ? (unsigned char)s[k] : lower_byte((unsigned char)s[k]);
  nd.len = n;
  nd.exact = exact;
  nd.entries = 0;
  if (rs->needles == NULL) {
    rs->needles = (Needle *)calloc(SET_MAX_NEEDLES, sizeof(Needle));
    if (rs->needles == NULL) luaL_error(L, "not enough memory");
  }
  id = rs->nneedles++;
  rs->needles[id] = nd;
  return id;
}

/* The index of the lowest set bit of m (m != 0). */
static int low_bit(uint64_t m) {
  int k = 0;
  if ((m & 0xFFFFFFFFu) == 0) { k += 32; m >>= 32; }
  if ((m & 0xFFFFu) == 0) { k += 16; m >>= 16; }
  if ((m & 0xFFu) == 0) { k += 8; m >>= 8; }
  if ((m & 0xFu) == 0) { k += 4; m >>= 4; }
  if ((m & 0x3u) == 0) { k += 2; m >>= 2; }
  if ((m & 0x1u) == 0) k += 1;
  return k;
}

/* Whether the needle nd occurs at s[p..len). */
static int needle_at(const Needle *nd, const unsigned char *s, size_t p, size_t len) {
  size_t k = 0;
  if (p + nd->len > len) return 0;
  if (nd->exact) return memcmp(s + p, nd->text, nd->len) == 0;
  while (k < nd->len && LOWER[s[p + k]] == nd->text[k]) k++;
  return k == nd->len;
}

/* The automaton of a set holds the first SCAN_PREFIX bytes of each needle
 * alone: where they end, the rest of a longer needle is compared in place.
 * (A smaller automaton: the rows that each byte's look-up waits on stay in
 * the first-level cache.) */
#define SCAN_PREFIX 6

/* The bytes of needle nd that the automaton holds. */
static size_t scan_len(const Needle *nd) { return nd->len < SCAN_PREFIX ? nd->len : SCAN_PREFIX; }

/* The two signs that PCRE2's caseless matching lets k and s match:
 * U+212A KELVIN SIGN and U+017F LONG S. A subject holding either counts as
 * containing every needle. */
static const char *const SCAN_SIGNS[] = {"\xE2\x84\xAA", "\xC5\xBF", NULL};

/* Builds the automaton of the scanned needles (Aho-Corasick: a trie of
 * their folded bytes whose missing transitions follow the failure links).
 * The tables belong to rs as soon as they exist; the work arrays are a
 * userdata, popped before returning. Raises only on memory. */
static void set_build_scan(lua_State *L, RegexSet *rs) {
  uint32_t nstates = 1, maxstates = 1, nc = 1, st, q, head = 0, tail = 0;
  uint32_t *fail, *queue;
  int id, g;
  size_t k;
  if (mask_empty(&rs->scanned)) return;
  /* the classes: one per folded byte that some needle or sign holds */
  for (id = 0; id < rs->nneedles; id++) {
    const Needle *nd = &rs->needles[id];
    if (!(rs->scanned.w[id >> 6] & ((uint64_t)1 << (id & 63)))) continue;
    maxstates += (uint32_t)scan_len(nd);
    if (scan_len(nd) - 1 > rs->overlap) rs->overlap = (uint32_t)(scan_len(nd) - 1);
    for (k = 0; k < scan_len(nd); k++) {
      unsigned char c = LOWER[nd->text[k]];
      if (rs->classes[c] == 0) rs->classes[c] = (unsigned char)nc++;
    }
  }
  for (g = 0; SCAN_SIGNS[g] != NULL; g++) {
    const unsigned char *t = (const unsigned char *)SCAN_SIGNS[g];
    maxstates += (uint32_t)strlen(SCAN_SIGNS[g]);
    if (strlen(SCAN_SIGNS[g]) - 1 > rs->overlap) rs->overlap = (uint32_t)(strlen(SCAN_SIGNS[g]) - 1);
    for (; *t; t++)
      if (rs->classes[*t] == 0) rs->classes[*t] = (unsigned char)nc++;
  }
  /* (nc <= 256: class 0 and at most 255 bytes, since a needle's folded
   * bytes never include an upper-case ASCII letter) */
  for (k = 0; k < 256; k++) rs->classes[k] = rs->classes[LOWER[k]];
  rs->nclasses = nc;
  rs->delta = (uint32_t *)malloc((size_t)maxstates * nc * sizeof(uint32_t));
  rs->outs = (ScanOut *)calloc(maxstates, sizeof(ScanOut));
  if (rs->delta == NULL || rs->outs == NULL) luaL_error(L, "not enough memory");
  fail = (uint32_t *)lua_newuserdatauv(L, 2 * (size_t)maxstates * sizeof(uint32_t), 0);
  queue = fail + maxstates;
  for (k = 0; k < (size_t)maxstates * nc; k++) rs->delta[k] = UINT32_MAX;
  /* the trie */
  for (id = -2; id < rs->nneedles; id++) {
    const unsigned char *t;
    size_t n;
    if (id < 0) {
      t = (const unsigned char *)SCAN_SIGNS[id + 2];
      n = strlen(SCAN_SIGNS[id + 2]);
    } else {
      if (!(rs->scanned.w[id >> 6] & ((uint64_t)1 << (id & 63)))) continue;
      t = rs->needles[id].text;
      n = scan_len(&rs->needles[id]);
    }
    st = 0;
    for (k = 0; k < n; k++) {
      uint32_t *to = &rs->delta[st * nc + rs->classes[t[k]]];
      if (*to == UINT32_MAX) *to = nstates++;
      st = *to;
    }
    if (id < 0) rs->outs[st].all = 1;
    /* (an exact needle, or one longer than what the automaton holds of
     * it, is compared again where it ends) */
    else if (rs->needles[id].exact || rs->needles[id].len > n) mask_set(&rs->outs[st].exact, id);
    else mask_set(&rs->outs[st].folded, id);
  }
  /* the failure links, breadth first; a missing transition becomes its
   * failure state's */
  for (q = 0; q < nc; q++) {
    uint32_t *to = &rs->delta[q];
    if (*to == UINT32_MAX) *to = 0;
    else { fail[*to] = 0; queue[tail++] = *to; }
  }
  while (head < tail) {
    uint32_t r = queue[head++];
    for (q = 0; q < nc; q++) {
      uint32_t *to = &rs->delta[r * nc + q];
      uint32_t f = rs->delta[fail[r] * nc + q];
      if (*to == UINT32_MAX) {
        *to = f;
      } else {
        fail[*to] = f;
        mask_or(&rs->outs[*to].folded, &rs->outs[f].folded);
        mask_or(&rs->outs[*to].exact, &rs->outs[f].exact);
        rs->outs[*to].all |= rs->outs[f].all;
        queue[tail++] = *to;
      }
    }
  }
  /* the states renumbered, those where something ends last (the root,
   * where nothing ends, stays first); transitions as rows */
  {
    uint32_t *order = queue, nout = 0, plain = 0, x = 0;
    uint32_t *rows = (uint32_t *)malloc((size_t)nstates * nc * sizeof(uint32_t));
    ScanOut *outs;
    if (rows == NULL) luaL_error(L, "not enough memory");
    outs = (ScanOut *)calloc(nstates, sizeof(ScanOut));
    if (outs == NULL) {
      free(rows);
      luaL_error(L, "not enough memory");
    }
    for (st = 0; st < nstates; st++) {
      const ScanOut *o = &rs->outs[st];
      if (!mask_empty(&o->folded) || !mask_empty(&o->exact) || o->all) nout++;
    }
    for (st = 0; st < nstates; st++) {
      const ScanOut *o = &rs->outs[st];
      order[st] = (!mask_empty(&o->folded) || !mask_empty(&o->exact) || o->all)
                      ? nstates - nout + x++ : plain++;
    }
    for (st = 0; st < nstates; st++) {
      for (q = 0; q < nc; q++) rows[order[st] * nc + q] = order[rs->delta[st * nc + q]] * nc;
      outs[order[st]] = rs->outs[st];
    }
    free(rs->delta);
    rs->delta = rows;
    free(rs->outs);
    rs->outs = outs;
    rs->out_row = (nstates - nout) * nc;
    if ((size_t)nstates * nc <= 65536) {
      uint16_t *rows16 = (uint16_t *)malloc((size_t)nstates * nc * sizeof(uint16_t));
      if (rows16 == NULL) luaL_error(L, "not enough memory");
      for (k = 0; k < (size_t)nstates * nc; k++) rows16[k] = (uint16_t)rows[k];
      rs->delta16 = rows16;
      free(rs->delta);
      rs->delta = NULL;
    }
  }
  lua_pop(L, 1);
}

/* Adds to *found what ends at s[p] in the automaton's state at row (an
 * exact needle compared again); returns 1 when nothing more can be found. */
static int scan_out(const RegexSet *rs, const unsigned char *s, size_t len, size_t p,
                    size_t row, NeedleMask *found) {
  const ScanOut *o = &rs->outs[row / rs->nclasses];
  int q;
  if (o->all) {
    *found = rs->scanned;
    return 1;
  }
  mask_or(found, &o->folded);
  for (q = 0; q < MASK_WORDS; q++) {
    uint64_t m = o->exact.w[q] & ~found->w[q];
    while (m) {
      int id = q * 64 + low_bit(m);
      const Needle *nd = &rs->needles[id];
      m &= m - 1;
      if (needle_at(nd, s, p + 1 - scan_len(nd), len)) mask_set(found, id);
    }
  }
  return mask_covers(found, &rs->scanned);
}

/* A step of the automaton (transitions delta) at s[pos] in the state at
 * row r; returns from set_scan when nothing more can be found. */
#define SCAN_AT(r, pos)                                                                  \
  r = delta[r + classes[s[pos]]];                                                        \
  if (r >= lim && scan_out(rs, s, len, pos, r, &found)) return found;

/* The scan with transitions of type T (uint32_t or uint16_t rows). Each
 * byte's look-up waits on the one before: a long subject is cut into four
 * parts (or two) scanned side by side, each from the root, each reaching
 * `overlap` bytes into the next so that a needle that starts in one part
 * is found whole; then what is left of each part alone. */
#define SCAN_LOOP(T, table)                                                              \
  {                                                                                      \
    const T *delta = (table);                                                            \
    size_t ov = rs->overlap, parts = len >= 4 * (ov + 32) ? 4 : len >= 2 * (ov + 32) ? 2 : 1; \
    size_t q = len / parts, i, m, end[4], at[4], r[4];                                   \
    for (i = 0; i < parts; i++) {                                                        \
      at[i] = i * q;                                                                     \
      end[i] = i + 1 == parts ? len : (i + 1) * q + ov;                                  \
      r[i] = 0;                                                                          \
    }                                                                                    \
    m = end[parts - 1] - at[parts - 1];                                                  \
    if (m > q + ov) m = q + ov;                                                          \
    if (parts == 4) {                                                                    \
      size_t r0 = 0, r1 = 0, r2 = 0, r3 = 0, a0 = 0, a1 = q, a2 = 2 * q, a3 = 3 * q;     \
      for (i = 0; i < m; i++) {                                                          \
        SCAN_AT(r0, a0 + i)                                                              \
        SCAN_AT(r1, a1 + i)                                                              \
        SCAN_AT(r2, a2 + i)                                                              \
        SCAN_AT(r3, a3 + i)                                                              \
      }                                                                                  \
      r[0] = r0, r[1] = r1, r[2] = r2, r[3] = r3;                                        \
      for (i = 0; i < 4; i++) at[i] += m;                                                \
    } else if (parts == 2) {                                                             \
      size_t r0 = 0, r1 = 0, a1 = q;                                                     \
      for (i = 0; i < m; i++) {                                                          \
        SCAN_AT(r0, i)                                                                   \
        SCAN_AT(r1, a1 + i)                                                              \
      }                                                                                  \
      r[0] = r0, r[1] = r1;                                                              \
      for (i = 0; i < 2; i++) at[i] += m;                                                \
    }                                                                                    \
    for (i = 0; i < parts; i++) {                                                        \
      size_t row = r[i], p;                                                              \
      for (p = at[i]; p < end[i]; p++) {                                                 \
        SCAN_AT(row, p)                                                                  \
      }                                                                                  \
    }                                                                                    \
  }

/* The needles of the set that occur in the len bytes at s (ASCII case
 * ignored but for exact needles), as a mask. Linear in len: a table
 * look-up per byte (and per byte of the overlaps). */
static NeedleMask set_scan(const RegexSet *rs, const unsigned char *s, size_t len) {
  NeedleMask found;
  const unsigned char *classes = rs->classes;
  size_t lim = rs->out_row;
  memset(&found, 0, sizeof found);
  if (rs->delta16 != NULL) SCAN_LOOP(uint16_t, rs->delta16)
  else if (rs->delta != NULL) SCAN_LOOP(uint32_t, rs->delta)
  return found;
}

#undef SCAN_LOOP
#undef SCAN_AT

static RegexSet *check_set(lua_State *L) {
  RegexSet *rs = (RegexSet *)luaL_checkudata(L, 1, REGEXSET_MT);
  if (rs->closed) luaL_error(L, REGEXSET_MT " is closed");
  return rs;
}

/* Pushes field `idx` of the entry table at `t`, or its named form `key`
 * ({pattern, flags, name} or {pattern = ..., flags = ..., name = ...}). */
static void push_entry_field(lua_State *L, int t, int idx, const char *key) {
  lua_rawgeti(L, t, idx);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_getfield(L, t, key);
  }
}

/* Whether a compiled entry may become a branch of the set's joined pattern:
 * anchored (it can only match at the subject's start), with flags that can
 * be written inline, and nothing in its text that reads differently inside
 * a larger pattern (back references and recursion by number, verbs, \Q,
 * extended mode, whose comments run to the pattern's end). */
static int joinable(const pcre2_code *code, uint32_t options, const char *pat, size_t plen) {
  uint32_t all = 0, backrefs = 0;
  size_t k;
  if (pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &all) != 0 || !(all & PCRE2_ANCHORED))
    return 0;
  if (pcre2_pattern_info(code, PCRE2_INFO_BACKREFMAX, &backrefs) != 0 || backrefs > 0) return 0;
  if (!(options & PCRE2_UCP) || (options & (PCRE2_EXTENDED | PCRE2_MULTILINE))) return 0;
  for (k = 0; k + 1 < plen; k++) {
    char c = pat[k], d = pat[k + 1];
    if (c == '\\') {
      if (d == 'Q' || d == 'g') return 0;
      k++;
    } else if (c == '(' && d == '*') {
      return 0;
    } else if (c == '(' && d == '?') {
      size_t q = k + 2;
      if (q < plen && (pat[q] == 'R' || pat[q] == '&' || pat[q] == '+' || pat[q] == '-' ||
                       pat[q] == '(' || pat[q] == 'P' || (pat[q] >= '0' && pat[q] <= '9')))
        return 0;
      while (q < plen && ((pat[q] >= 'a' && pat[q] <= 'z') || (pat[q] >= 'A' && pat[q] <= 'Z') ||
                          pat[q] == '^' || pat[q] == '-')) {
        if (pat[q] == 'x') return 0;
        q++;
      }
    }
  }
  return 1;
}

/* Gives e the compiled code of an entry of set `share` with the same
 * pattern and options, if it has one; returns whether it does. Raises only
 * on memory, before e holds anything. */
static int share_code(lua_State *L, const RegexSet *share, Entry *e, const char *pat, size_t plen,
                      uint32_t options) {
  lua_Integer q;
  if (share == NULL || share->closed || share->entries == NULL) return 0;
  for (q = 0; q < share->n; q++) {
    Entry *o = &share->entries[q];
    if (o->code == NULL || o->pat == NULL || o->options != options || o->plen != plen ||
        memcmp(o->pat, pat, plen) != 0)
      continue;
    if (o->refs == NULL) {
      o->refs = (int *)malloc(sizeof *o->refs);
      if (o->refs == NULL) luaL_error(L, "not enough memory");
      *o->refs = 1;
    }
    e->code = o->code;
    e->refs = o->refs;
    ++*e->refs;
    e->minlen = o->minlen;
    e->jit = o->jit;
    e->has_firsts = o->has_firsts;
    memcpy(e->firsts, o->firsts, sizeof e->firsts);
    return 1;
  }
  return 0;
}

/* Reads entry k (1-based) of the list at index 1 and compiles it into e
 * (or takes the code of an entry of share with the same pattern and
 * flags); leaves the stack as it found it. Raises naming the entry. */
static void set_entry(lua_State *L, lua_Integer k, Entry *e, const RegexSet *share) {
  int top = lua_gettop(L), t;
  size_t plen, flen = 0, nlen = 0;
  const char *pat, *flags = "", *name = NULL;
  int is_pattern = 1, nt = 0;
  uint32_t options;
  char bad = 0, msg[400];

  lua_rawgeti(L, 1, k);
  t = lua_gettop(L);
  if (lua_type(L, t) == LUA_TSTRING) {
    pat = lua_tolstring(L, t, &plen);
  } else if (lua_type(L, t) == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
      int ok = 0;
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING) {
        const char *key = lua_tostring(L, -1);
        ok = !strcmp(key, "pattern") || !strcmp(key, "flags") || !strcmp(key, "name") ||
             !strcmp(key, "needles") || !strcmp(key, "exact");
      } else if (lua_type(L, -1) == LUA_TNUMBER) {
        lua_Number d = lua_tonumber(L, -1);
        ok = d == 1 || d == 2 || d == 3;
      }
      if (!ok)
        luaL_error(L, "regexset entry %d: unknown key '%s'", (int)k,
                   lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                  : luaL_typename(L, -1));
    }
    push_entry_field(L, t, 1, "pattern");
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "regexset entry %d: the pattern must be a string", (int)k);
    pat = lua_tolstring(L, -1, &plen);
    push_entry_field(L, t, 2, "flags");
    if (!lua_isnil(L, -1)) {
      if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "regexset entry %d: flags must be a string", (int)k);
      flags = lua_tolstring(L, -1, &flen);
    }
    push_entry_field(L, t, 3, "name");
    if (!lua_isnil(L, -1)) {
      if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "regexset entry %d: name must be a string", (int)k);
      name = lua_tolstring(L, -1, &nlen);
      is_pattern = 0;
    }
    lua_getfield(L, t, "needles");
    if (!lua_isnil(L, -1)) {
      nt = lua_gettop(L);
      if (lua_type(L, nt) != LUA_TTABLE)
        luaL_error(L, "regexset entry %d: needles must be a list of strings", (int)k);
    }
  } else {
    luaL_error(L, "regexset entry %d: expected a string or a table, got %s", (int)k,
               luaL_typename(L, t));
    return;
  }
  if (is_pattern) {
    name = pat;
    nlen = plen;
  }
  e->name = make_name(name, nlen, is_pattern);
  if (e->name == NULL) luaL_error(L, "not enough memory");
  if (!parse_flags(flags, flen, &options, &bad))
    luaL_error(L, "regexset entry %d (%s): unknown flag '%c', expected letters of \"imsxUa\"",
               (int)k, e->name, bad);
  e->pat = (char *)malloc(plen > 0 ? plen : 1);
  if (e->pat == NULL) luaL_error(L, "not enough memory");
  memcpy(e->pat, pat, plen);
  e->plen = plen;
  if (!share_code(L, share, e, pat, plen, options)) {
    e->code = compile(pat, plen, options, msg, sizeof msg);
    if (e->code == NULL) luaL_error(L, "regexset entry %d (%s): %s", (int)k, e->name, msg);
    /* PCRE2's minimum length is in characters, each at least one byte */
    if (pcre2_pattern_info(e->code, PCRE2_INFO_MINLENGTH, &e->minlen) != 0) e->minlen = 0;
    e->jit = has_jit(e->code);
    e->has_firsts = anchored_firsts(e->code, e->firsts);
  }
  e->options = options;
  e->joined = joinable(e->code, options, pat, plen);
  if (nt != 0) {
    /* (the needles are taken once every entry is compiled) */
    lua_Integer m, count = (lua_Integer)lua_rawlen(L, nt);
    for (m = 1; m <= count; m++) {
      if (lua_rawgeti(L, nt, m) != LUA_TSTRING)
        luaL_error(L, "regexset entry %d: needles must be a list of strings", (int)k);
      lua_pop(L, 1);
    }
  }
  lua_settop(L, top);
}

/* Takes the needles of entry k (1-based) of the list at index 1 into the
 * set, all of them or none: returns whether the entry has needles now.
 * Leaves the stack as it found it. */
static int set_entry_needles(lua_State *L, RegexSet *rs, lua_Integer k, Entry *e) {
  int top = lua_gettop(L), exact, nt;
  lua_Integer m, count, fresh = 0;
  lua_rawgeti(L, 1, k);
  if (lua_type(L, -1) != LUA_TTABLE || lua_getfield(L, -1, "needles") != LUA_TTABLE) {
    lua_settop(L, top);
    return 0;
  }
  nt = lua_gettop(L);
  lua_getfield(L, nt - 1, "exact");
  exact = lua_toboolean(L, -1);
  lua_pop(L, 1);
  count = (lua_Integer)lua_rawlen(L, nt);
  /* every needle usable, and room for the new ones */
  for (m = 1; m <= count && fresh >= 0; m++) {
    size_t sl;
    const char *sv;
    lua_rawgeti(L, nt, m);
    sv = lua_tolstring(L, -1, &sl);
    if (sl < 1 || sl > SET_NEEDLE_MAX) fresh = -1;
    else if (rs->nneedles == 0 || set_find_needle(rs, sv, sl, exact) < 0) fresh++;
    lua_pop(L, 1);
  }
  if (count < 1 || fresh < 0 || rs->nneedles + fresh > SET_MAX_NEEDLES) {
    lua_settop(L, top);
    return 0;
  }
  for (m = 1; m <= count; m++) {
    size_t sl;
    const char *sv;
    int id;
    lua_rawgeti(L, nt, m);
    sv = lua_tolstring(L, -1, &sl);
    id = set_add_needle(L, rs, sv, sl, exact);
    if (id >= 0) mask_set(&e->need, id);
    lua_pop(L, 1);
  }
  e->has_need = 1;
  lua_settop(L, top);
  return 1;
}

/* Pushes the pattern text of entry k (1-based) of the list at index 1. */
static void push_entry_pattern(lua_State *L, lua_Integer k) {
  lua_rawgeti(L, 1, k);
  if (lua_type(L, -1) == LUA_TTABLE) {
    int t = lua_gettop(L);
    push_entry_field(L, t, 1, "pattern");
    lua_remove(L, t);
  }
}

/* Builds the joined pattern of the set's joinable entries:
 * (*MARK:k)(?flags:pattern)|... compiled anchored. Any failure (a name
 * used by two entries, too large a pattern) leaves the entries unjoined:
 * they are then matched one by one, as they would be anyway. The list is at
 * index 1; the stack is left as found, but for one string. */
static void set_join(lua_State *L, RegexSet *rs) {
  luaL_Buffer b;
  lua_Integer k, count = 0;
  const char *pat;
  size_t plen;
  char msg[400];
  for (k = 0; k < rs->n; k++) count += rs->entries[k].joined;
  if (count < 2) {
    for (k = 0; k < rs->n; k++) rs->entries[k].joined = 0;
    return;
  }
  luaL_buffinit(L, &b);
  count = 0;
  for (k = 0; k < rs->n; k++) {
    const Entry *e = &rs->entries[k];
    char head[48];
    if (!e->joined) continue;
    if (count++ > 0) luaL_addchar(&b, '|');
    sprintf(head, "(*MARK:%d)(?%s%s%s:", (int)k, (e->options & PCRE2_CASELESS) ? "i" : "",
            (e->options & PCRE2_DOTALL) ? "s" : "", (e->options & PCRE2_UNGREEDY) ? "U" : "");
    luaL_addstring(&b, head);
    push_entry_pattern(L, k + 1);
    luaL_addvalue(&b);
    luaL_addchar(&b, ')');
  }
  luaL_pushresult(&b);
  pat = lua_tolstring(L, -1, &plen);
  rs->joined = compile(pat, plen,
                       PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C |
                           PCRE2_ANCHORED,
                       msg, sizeof msg);
  if (rs->joined == NULL) {
    for (k = 0; k < rs->n; k++) rs->entries[k].joined = 0;
    return;
  }
  rs->joined_jit = has_jit(rs->joined);
  rs->joined_has_firsts = anchored_firsts(rs->joined, rs->joined_firsts);
}

/* core.regexset(list [, opts]) */
static int l_regexset(lua_State *L) {
  static const char *const keys[] = {"match_limit", "depth_limit", "heap_limit", "share", NULL};
  Limits lim;
  lua_Integer n, k;
  uint32_t maxcap = 0;
  RegexSet *rs;
  const RegexSet *share = NULL;
  luaL_checktype(L, 1, LUA_TTABLE);
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, keys, 2);
    read_limits(L, 2, 2, &lim);
    /* (the set whose compiled patterns this one may use: kept at 2) */
    if (lua_getfield(L, 2, "share") != LUA_TNIL) {
      share = (const RegexSet *)luaL_testudata(L, -1, REGEXSET_MT);
      if (share == NULL) return luaL_error(L, "regexset: share must be a " REGEXSET_MT);
    }
    lua_replace(L, 2);
  } else {
    read_limits(L, 0, 2, &lim);
    lua_settop(L, 1);
    lua_pushnil(L);
  }
  lua_settop(L, 2);
  n = (lua_Integer)lua_rawlen(L, 1);

  rs = (RegexSet *)lua_newuserdatauv(L, sizeof *rs, 0);
  memset(rs, 0, sizeof *rs);
  luaL_setmetatable(L, REGEXSET_MT);
  lua_insert(L, 2); /* keep the list at 1, the set at 2 (share, or nil, at 3 while compiling) */
  if (n > 0) {
    rs->entries = (Entry *)calloc((size_t)n, sizeof(Entry));
    if (rs->entries == NULL) return luaL_error(L, "not enough memory");
  }
  rs->n = n;
  engine_context(L, &rs->eng, &lim);
  for (k = 0; k < n; k++) {
    uint32_t c = 0;
    set_entry(L, k + 1, &rs->entries[k], share);
    pcre2_pattern_info(rs->entries[k].code, PCRE2_INFO_CAPTURECOUNT, &c);
    if (c > maxcap) maxcap = c;
  }
  rs->eng.md = pcre2_match_data_create(maxcap + 1, NULL);
  if (rs->eng.md == NULL) return luaL_error(L, "not enough memory");
  lua_settop(L, 2);
  /* the needles: first those of the entries that run alone anyway, then
   * those of the anchored ones, which then run alone too when a needle of
   * theirs occurs rather than in the joined pattern on every subject */
  for (k = 0; k < n; k++)
    if (!rs->entries[k].joined) (void)set_entry_needles(L, rs, k + 1, &rs->entries[k]);
  for (k = 0; k < n; k++)
    if (rs->entries[k].joined && set_entry_needles(L, rs, k + 1, &rs->entries[k]))
      rs->entries[k].joined = 0;
  set_join(L, rs);
  lua_settop(L, 2);
  /* only the needles of entries run one by one are scanned for */
  for (k = 0; k < n; k++) {
    const Entry *e = &rs->entries[k];
    int id;
    if (e->joined) continue;
    mask_or(&rs->scanned, &e->need);
    if (n > 64) continue;
    if (!e->has_need) {
      rs->alone_plain |= (uint64_t)1 << k;
      continue;
    }
    rs->alone_needled |= (uint64_t)1 << k;
    for (id = 0; id < rs->nneedles; id++)
      if (e->need.w[id >> 6] & ((uint64_t)1 << (id & 63))) rs->needles[id].entries |= (uint64_t)1 << k;
  }
  set_build_scan(L, rs);
  return 1;
}

/* Entry k (0-based) against the len bytes at s. Returns 1 on a match, 0 if none. */
static int set_exec(lua_State *L, RegexSet *rs, lua_Integer k, const char *s, size_t len) {
  int rc;
  const Entry *e = &rs->entries[k];
  if (len < e->minlen || !may_start(e->has_firsts, e->firsts, s, len)) return 0;
  /* the JIT's own entry point skips pcre2_match's checks of arguments that
   * are right by construction; the limits and JIT stack still apply */
  rc = engine_match(&rs->eng, e->code, e->jit, s, len, 0, 0);
  if (rc >= 0) return 1;
  if (rc != PCRE2_ERROR_NOMATCH) {
    char buf[256];
    luaL_error(L, "regexset entry %d (%s): %s", (int)(k + 1), rs->entries[k].name,
               match_error(rc, buf, sizeof buf));
  }
  return 0;
}

static const char *set_range(lua_State *L, size_t *b, size_t *e) {
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  lede_range(luaL_optinteger(L, 3, 1), luaL_optinteger(L, 4, -1), len, b, e);
  return s;
}

/* Whether entry k may match given the needles found (scanned on first
 * need: *scanned says whether *found is known). */
static int set_may_match(const RegexSet *rs, lua_Integer k, const char *s, size_t len,
                         int *scanned, NeedleMask *found) {
  /* (a joined entry's needles are not scanned for: it runs when it must
   * run alone) */
  if (!rs->entries[k].has_need || rs->entries[k].joined) return 1;
  if (len < rs->entries[k].minlen) return 0;
  if (!*scanned) {
    *found = set_scan(rs, (const unsigned char *)s, len);
    *scanned = 1;
  }
  return mask_meets(&rs->entries[k].need, found);
}

/* The first entry of rs (0-based) that matches the len bytes at s, its
 * match at *js..*je; rs->n when none does. */
static lua_Integer set_first(lua_State *L, RegexSet *rs, const char *s, size_t len,
                             PCRE2_SIZE *js, PCRE2_SIZE *je) {
  lua_Integer k, upto = rs->n;
  int scanned = 0, joined = 0;
  NeedleMask found = {{0}};
  *js = *je = 0;
  if (rs->joined != NULL) {
    /* the first joined entry that matches; the others run up to it. A limit
     * reached by the joined pattern (its branches' work adds up) sends every
     * entry through its own match instead, errors and all. */
    /* (a subject whose first byte starts none of them is not tried) */
    int rc = may_start(rs->joined_has_firsts, rs->joined_firsts, s, len)
                 ? engine_match(&rs->eng, rs->joined, rs->joined_jit, s, len, 0, 0)
                 : PCRE2_ERROR_NOMATCH;
    if (rc >= 0) {
      PCRE2_SPTR mark = pcre2_get_mark(rs->eng.md);
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rs->eng.md);
      if (mark != NULL && *mark >= '0' && *mark <= '9') {
        upto = 0;
        while (*mark >= '0' && *mark <= '9') upto = upto * 10 + (*mark++ - '0');
        *js = ov[0];
        *je = ov[1];
        joined = 1;
      }
    } else if (rc == PCRE2_ERROR_NOMATCH) {
      joined = 1;
    }
  }
  if (rs->n <= 64 && (joined || rs->joined == NULL)) {
    /* the entries before upto that run alone: those without needles, and
     * those a needle of which the subject holds, in order */
    uint64_t below = upto >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << upto) - 1;
    uint64_t run = rs->alone_plain & below;
    if (rs->alone_needled & below) {
      int q;
      found = set_scan(rs, (const unsigned char *)s, len);
      for (q = 0; q < MASK_WORDS; q++) {
        uint64_t m = found.w[q];
        while (m) {
          run |= rs->needles[q * 64 + low_bit(m)].entries;
          m &= m - 1;
        }
      }
      run &= below;
    }
    while (run) {
      k = low_bit(run);
      run &= run - 1;
      if (set_exec(L, rs, k, s, len)) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rs->eng.md);
        *js = ov[0];
        *je = ov[1];
        return k;
      }
    }
    return upto;
  }
  for (k = 0; k < upto; k++) {
    if (joined && rs->entries[k].joined) continue;
    if (set_may_match(rs, k, s, len, &scanned, &found) && set_exec(L, rs, k, s, len)) {
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rs->eng.md);
      *js = ov[0];
      *je = ov[1];
      break;
    }
  }
  return k;
}

/* set:first(s [, i [, j]]) -> index, start, stop | nil */
static int l_set_first(lua_State *L) {
  RegexSet *rs = check_set(L);
  size_t b, e;
  const char *s = set_range(L, &b, &e);
  PCRE2_SIZE js, je;
  lua_Integer k = set_first(L, rs, s + b, e - b, &js, &je);
  if (k < rs->n) {
    lua_pushinteger(L, k + 1);
    lua_pushinteger(L, (lua_Integer)(b + js) + 1);
    lua_pushinteger(L, (lua_Integer)(b + je));
    return 3;
  }
  lua_pushnil(L);
  return 1;
}

/* set:all(s [, i [, j]]) -> array of indices */
static int l_set_all(lua_State *L) {
  RegexSet *rs = check_set(L);
  size_t b, e;
  const char *s = set_range(L, &b, &e);
  lua_Integer k, m = 0;
  int scanned = 0;
  NeedleMask found = {{0}};
  lua_newtable(L);
  for (k = 0; k < rs->n; k++) {
    if (set_may_match(rs, k, s + b, e - b, &scanned, &found) && set_exec(L, rs, k, s + b, e - b)) {
      lua_pushinteger(L, k + 1);
      lua_rawseti(L, -2, (int)++m);
    }
  }
  return 1;
}

static int l_set_len(lua_State *L) {
  RegexSet *rs = check_set(L);
  lua_pushinteger(L, rs->n);
  return 1;
}

static int l_set_close(lua_State *L) {
  RegexSet *rs = (RegexSet *)luaL_checkudata(L, 1, REGEXSET_MT);
  set_free(rs);
  return 0;
}

static int l_set_tostring(lua_State *L) {
  RegexSet *rs = (RegexSet *)luaL_checkudata(L, 1, REGEXSET_MT);
  if (rs->closed) lua_pushliteral(L, REGEXSET_MT "(closed)");
  else lua_pushfstring(L, REGEXSET_MT "(%d patterns)", (int)rs->n);
  return 1;
}

/* ---- rule matching for the block classifier --------------------------- */

/* Upper word counts of the pattern buckets of a compiled pack (the last is
 * unbounded), as lua/lede/classify.lua makes them. */
#define RULE_BUCKETS 5
static const lua_Integer BUCKET_WORDS[RULE_BUCKETS - 1] = { 8, 16, 40, 80 };

/* Where a block lies against the article: before it, inside it, after it. */
enum { POS_BEFORE, POS_INSIDE, POS_AFTER };

/* The number in field `key` of the table at t compared with words: whether
 * it is absent or `words` is within it (max: words <= it; min: words >= it). */
/* The keys rule_ok reads, pushed once by core.rule_hits at these stack
 * indexes: a rule's fields are read without a C string looked up. */
#define RK_MAX_WORDS 10
#define RK_MIN_WORDS 11
#define RK_LANGUAGE 12
#define RK_WHERE 13

/* The field of the table at absolute index t whose key is at index key,
 * pushed; returns its type. */
static int rule_field(lua_State *L, int t, int key) {
  lua_pushvalue(L, key);
  return lua_gettable(L, t);
}

static int words_within(lua_State *L, int t, int key, lua_Integer words, int max) {
  int ok = 1;
  if (rule_field(L, t, key) != LUA_TNIL) {
    lua_Number lim = lua_tonumber(L, -1);
    ok = max ? !((lua_Number)words > lim) : !((lua_Number)words < lim);
  }
  lua_pop(L, 1);
  return ok;
}

/* Whether rule r (a table at absolute index r) may label a block of `words`
 * words at `pos` in a document in the language at index lang (0: none). */
static int rule_ok(lua_State *L, int r, lua_Integer words, int lang, int pos) {
  int ok = 1;
  if (!words_within(L, r, RK_MAX_WORDS, words, 1) || !words_within(L, r, RK_MIN_WORDS, words, 0))
    return 0;
  rule_field(L, r, RK_LANGUAGE);
  if (lua_toboolean(L, -1) && lang && !lua_rawequal(L, -1, lang)) ok = 0;
  lua_pop(L, 1);
  if (!ok) return 0;
  if (rule_field(L, r, RK_WHERE) == LUA_TSTRING) {
    const char *w = lua_tostring(L, -1);
    if (strcmp(w, "before") == 0) ok = pos == POS_BEFORE;
    else if (strcmp(w, "after") == 0) ok = pos == POS_AFTER;
    else if (strcmp(w, "edges") == 0) ok = pos != POS_INSIDE;
  }
  lua_pop(L, 1);
  return ok;
}

/* One compiled pack's parts, at stack indexes. */
typedef struct {
  int phrases, prefixes, has_phrases, has_prefixes;
  size_t phrase_max; /* the longest phrase key (bytes): a longer key is no phrase */
  size_t prefix_max; /* the longest prefix key (bytes) */
  const void *pset, *fset; /* the phrase keys and the prefixes' first words as
                            * lede.WordSets (exact), or NULL */
  const void *first;       /* the first words of both, or NULL */
  int set[RULE_BUCKETS], pats[RULE_BUCKETS]; /* 0: no set */
  RegexSet *rs[RULE_BUCKETS];                 /* the sets, checked once */
} PackSlots;

/* The rule of pack ps's prefixes that labels the block whose key is
 * key[0..kl), pushed; returns 0 (nothing pushed) when none does. */
static int prefix_hit(lua_State *L, const PackSlots *ps, const char *key, size_t kl,
                      lua_Integer words, int lang, int pos) {
  const char *sp = memchr(key, ' ', kl);
  size_t fl = sp ? (size_t)(sp - key) : kl;
  lua_Integer n, q;
  /* (a first word no prefix has is not made a string) */
  if (ps->fset != NULL && !lede_wordset_has(ps->fset, key, fl)) return 0;
  lua_pushlstring(L, key, fl);
  if (lua_rawget(L, ps->prefixes) != LUA_TTABLE) {
    lua_pop(L, 1);
    return 0;
  }
  n = (lua_Integer)lua_rawlen(L, -1);
  for (q = 1; q <= n; q++) {
    size_t pl;
    const char *pk;
    lua_rawgeti(L, -1, q);
    lua_getfield(L, -1, "key");
    pk = lua_tolstring(L, -1, &pl);
    if (pk && pl <= kl && memcmp(key, pk, pl) == 0) {
      /* the prefix ends the key or a word: no ASCII letter or digit after it */
      unsigned nx = pl < kl ? (unsigned char)key[pl] : 0u;
      if (pl == kl || !((nx | 0x20) - 'a' < 26u || nx - '0' < 10u)) {
        lua_getfield(L, -2, "rule");
        if (lua_type(L, -1) == LUA_TTABLE && rule_ok(L, lua_gettop(L), words, lang, pos)) {
          lua_replace(L, -4); /* over the list */
          lua_pop(L, 2);
          return 1;
        }
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
  return 0;
}

/* The rule of a bucket's set (userdata at set, its rules at pats) that
 * labels the block text s (len bytes): the first pattern that matches, or
 * when its rule does not apply there, the first one after it that matches
 * and applies. Pushed; returns 0 (nothing pushed) when none does. */
static int pattern_hit(lua_State *L, RegexSet *rs, int pats, const char *s, size_t len,
                       lua_Integer words, int lang, int pos) {
  PCRE2_SIZE js, je;
  lua_Integer m, k, hit = 0;
  if (rs->closed) luaL_error(L, REGEXSET_MT " is closed");
  m = set_first(L, rs, s, len, &js, &je);
  if (m >= rs->n) return 0;
  lua_rawgeti(L, pats, m + 1);
  if (lua_type(L, -1) == LUA_TTABLE && rule_ok(L, lua_gettop(L), words, lang, pos)) return 1;
  lua_pop(L, 1);
  {
    /* every entry runs, as set:all runs them (a limit error included) */
    int scanned = 0;
    NeedleMask found = {{0}};
    for (k = 0; k < rs->n; k++) {
      if (set_may_match(rs, k, s, len, &scanned, &found) && set_exec(L, rs, k, s, len) &&
          k > m && !hit) {
        lua_rawgeti(L, pats, k + 1);
        if (lua_type(L, -1) == LUA_TTABLE && rule_ok(L, lua_gettop(L), words, lang, pos))
          hit = k + 1;
        lua_pop(L, 1);
      }
    }
  }
  if (!hit) return 0;
  lua_rawgeti(L, pats, hit);
  return 1;
}

/* A compiled pack's parts as core.rule_hits reads them, kept in the pack
 * (its _prep) by the first call when the pack's _prep is false: the next
 * calls read them without looking up their fields. Its user value holds
 * the Lua values: [1] phrases, [2] prefixes, [3..7] the buckets' patterns,
 * [8..12] their sets, [13..15] the word sets (alive as long as it is). */
#define RULEPREP_MT "lede.RulePrep"
#define PREP_PATS 3
#define PREP_SETS (PREP_PATS + RULE_BUCKETS)
#define PREP_WORDSETS (PREP_SETS + RULE_BUCKETS)
typedef struct {
  PackSlots parts; /* as pack_parts read them (its stack indexes: 0 where
                    * a bucket has no set, else stale) */
} PackPrep;

/* Reads the parts of the compiled pack at index c into ps, pushing them:
 * phrases, prefixes, then the buckets' tables, sets and patterns. */
static void pack_parts(lua_State *L, int c, PackSlots *ps) {
  int b, q;
  lua_getfield(L, c, "phrases");
  luaL_argcheck(L, lua_type(L, -1) == LUA_TTABLE, 3, "a pack has no phrases table");
  ps->phrases = lua_gettop(L);
  lua_pushnil(L);
  if (lua_next(L, ps->phrases)) { lua_pop(L, 2); ps->has_phrases = 1; }
  ps->phrase_max = (size_t)-1;
  if (lua_getfield(L, c, "phrase_max") == LUA_TNUMBER) {
    lua_Number m = lua_tonumber(L, -1);
    if (m >= 0 && m < 1e9) ps->phrase_max = (size_t)m;
  }
  lua_pop(L, 1);
  ps->prefix_max = (size_t)-1;
  if (lua_getfield(L, c, "prefix_max") == LUA_TNUMBER) {
    lua_Number m = lua_tonumber(L, -1);
    if (m >= 0 && m < 1e9) ps->prefix_max = (size_t)m;
  }
  lua_pop(L, 1);
  lua_getfield(L, c, "prefixes");
  ps->prefixes = lua_gettop(L);
  lua_getfield(L, c, "has_prefixes");
  ps->has_prefixes = lua_toboolean(L, -1) && lua_type(L, ps->prefixes) == LUA_TTABLE;
  lua_pop(L, 1);
  /* (the sets stay alive in the compiled pack, on the stack) */
  if (lua_getfield(L, c, "phrase_set") == LUA_TUSERDATA) ps->pset = lede_check_wordset(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, c, "prefix_set") == LUA_TUSERDATA) ps->fset = lede_check_wordset(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, c, "first_set") == LUA_TUSERDATA) ps->first = lede_check_wordset(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, c, "buckets");
  b = lua_gettop(L);
  if (lua_type(L, b) != LUA_TTABLE) return;
  for (q = 0; q < RULE_BUCKETS; q++) {
    int bt;
    if (lua_rawgeti(L, b, q + 1) != LUA_TTABLE) continue;
    bt = lua_gettop(L);
    lua_getfield(L, bt, "set");
    lua_getfield(L, bt, "patterns");
    if (!lua_isnil(L, bt + 1)) {
      ps->set[q] = bt + 1;
      ps->pats[q] = bt + 2;
      ps->rs[q] = (RegexSet *)luaL_checkudata(L, bt + 1, REGEXSET_MT);
    }
  }
}

/* Keeps the parts pack_parts read (ps) in the pack at index c, as its
 * _prep. Leaves the stack as it was. */
static void prep_keep(lua_State *L, int c, const PackSlots *ps) {
  static const char *const wordsets[] = { "phrase_set", "prefix_set", "first_set" };
  PackPrep *pp = (PackPrep *)lua_newuserdatauv(L, sizeof *pp, 1);
  int q, t;
  memset(pp, 0, sizeof *pp);
  luaL_setmetatable(L, RULEPREP_MT);
  lua_createtable(L, PREP_WORDSETS + 2, 0);
  t = lua_gettop(L);
  lua_pushvalue(L, ps->phrases);
  lua_rawseti(L, t, 1);
  lua_pushvalue(L, ps->prefixes);
  lua_rawseti(L, t, 2);
  for (q = 0; q < RULE_BUCKETS; q++) {
    if (!ps->set[q]) continue;
    lua_pushvalue(L, ps->pats[q]);
    lua_rawseti(L, t, PREP_PATS + q);
    lua_pushvalue(L, ps->set[q]);
    lua_rawseti(L, t, PREP_SETS + q);
  }
  for (q = 0; q < 3; q++) {
    lua_getfield(L, c, wordsets[q]);
    lua_rawseti(L, t, PREP_WORDSETS + q);
  }
  lua_setiuservalue(L, t - 1, 1);
  pp->parts = *ps;
  lua_setfield(L, c, "_prep");
}

/* Pushes the parts kept in pp (the userdata at the top) and fills ps, as
 * pack_parts does. */
static void prep_push(lua_State *L, const PackPrep *pp, PackSlots *ps) {
  int q, t;
  lua_getiuservalue(L, -1, 1);
  t = lua_gettop(L);
  if (lua_type(L, t) != LUA_TTABLE) luaL_error(L, "rule_hits: a pack's _prep has no parts");
  *ps = pp->parts; /* (its stack indexes set below) */
  lua_rawgeti(L, t, 1);
  ps->phrases = lua_gettop(L);
  lua_rawgeti(L, t, 2);
  ps->prefixes = lua_gettop(L);
  for (q = 0; q < RULE_BUCKETS; q++) {
    if (!pp->parts.set[q]) continue;
    lua_rawgeti(L, t, PREP_PATS + q);
    ps->pats[q] = ps->set[q] = lua_gettop(L);
  }
}

static int prep_tostring(lua_State *L) {
  lua_pushliteral(L, RULEPREP_MT);
  return 1;
}

/* core.rule_hits(blocks, feats, packs, lo, hi, tail, lang, first_good, last_good)
 * -> table: for the blocks k with lo <= k <= hi or k > tail, the first rule
 * of the compiled packs (lua/lede/classify.lua) that labels block k (its
 * text, its feats[k].words words, where it lies against the good blocks
 * first_good..last_good), by block index. feats may also be the flat
 * features of the blocks (a lede.Features from core.block_features). */
static int l_rule_hits(lua_State *L) {
  lua_Integer nb, np, p, k, first_good, last_good;
  lua_Number lo, hi, tail;
  int lang, need_key = 0, base, any_first = 1;
  size_t key_limit = 0;
  PackSlots *slots;
  const char *flat_words = NULL; /* the flat features' words, when feats is one */
  lua_Integer flat_n = 0;
  size_t flat_stride = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  if (lua_type(L, 2) == LUA_TUSERDATA) flat_words = lede_flat_words(L, 2, &flat_n, &flat_stride);
  else luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lo = luaL_checknumber(L, 4);
  hi = luaL_checknumber(L, 5);
  tail = luaL_checknumber(L, 6);
  lang = lua_type(L, 7) == LUA_TSTRING ? 7 : 0;
  first_good = luaL_optinteger(L, 8, 0);
  last_good = luaL_optinteger(L, 9, 0);
  lua_settop(L, 9);
  /* (10..13: the keys of the rules' fields, RK_*) */
  lua_pushliteral(L, "max_words");
  lua_pushliteral(L, "min_words");
  lua_pushliteral(L, "_language");
  lua_pushliteral(L, "where");
  nb = (lua_Integer)lua_rawlen(L, 1);
  np = (lua_Integer)lua_rawlen(L, 3);
  if (np > 1000) return luaL_error(L, "rule_hits: too many packs");
  luaL_checkstack(L, (int)(np * (5 + 3 * RULE_BUCKETS)) + 20, "rule_hits");
  slots = (PackSlots *)lua_newuserdatauv(L, (size_t)(np > 0 ? np : 1) * sizeof *slots, 0);
  memset(slots, 0, (size_t)(np > 0 ? np : 1) * sizeof *slots);
  /* each pack's parts stay on the stack, above it */
  for (p = 0; p < np; p++) {
    PackSlots *ps = &slots[p];
    const PackPrep *pp;
    int c, cache;
    lua_rawgeti(L, 3, p + 1);
    luaL_argcheck(L, lua_type(L, -1) == LUA_TTABLE, 3, "packs must be compiled packs");
    c = lua_gettop(L);
    /* (the parts as an earlier call kept them, or read now and kept when
     * the pack asks for it: _prep false) */
    if (lua_getfield(L, c, "_prep") == LUA_TUSERDATA &&
        (pp = (const PackPrep *)luaL_testudata(L, -1, RULEPREP_MT)) != NULL) {
      prep_push(L, pp, ps);
    } else {
      cache = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
      lua_pop(L, 1);
      pack_parts(L, c, ps);
      if (cache) prep_keep(L, c, ps);
    }
    if (ps->has_phrases || ps->has_prefixes) {
      need_key = 1;
      if (ps->first == NULL) any_first = 0;
    }
    /* (a block's key is read up to the longest phrase or prefix key and a
     * byte: past them, it is none of them) */
    if (ps->has_phrases && ps->phrase_max > key_limit) key_limit = ps->phrase_max;
    if (ps->has_prefixes && ps->prefix_max > key_limit) key_limit = ps->prefix_max;
  }
  /* (sized for all the blocks: a hit fills its slot, without the table
   * growing) */
  lua_createtable(L, nb > 0 && nb < 0x1000000 ? (int)nb : 0, 0);
  base = lua_gettop(L);
  for (k = 1; k <= nb; k++) {
    size_t len, kl = (size_t)-1;
    const char *s;
    lua_Integer words;
    int pos, bn, keyed = 0, hit = 0;
    char key[LEDE_KEY_BUF];
    if (!(((lua_Number)k >= lo && (lua_Number)k <= hi) || (lua_Number)k > tail)) continue;
    /* (the text from the flat features when they keep it) */
    s = flat_words && k <= flat_n ? lede_flat_text(flat_words, flat_stride, k, &len) : NULL;
    if (s == NULL) {
      lua_rawgeti(L, 1, k);
      if (lua_type(L, -1) != LUA_TTABLE) return luaL_error(L, "rule_hits: block %d is no table", (int)k);
      lua_getfield(L, -1, "text");
      s = lua_tolstring(L, -1, &len);
      if (!s) return luaL_error(L, "rule_hits: block %d has no text", (int)k);
    }
    if (flat_words) {
      double w;
      if (k > flat_n) return luaL_error(L, "rule_hits: no features for block %d", (int)k);
      memcpy(&w, flat_words + (size_t)(k - 1) * flat_stride, sizeof w);
      words = (lua_Integer)w;
    } else {
      lua_rawgeti(L, 2, k);
      if (lua_type(L, -1) != LUA_TTABLE) return luaL_error(L, "rule_hits: no features for block %d", (int)k);
      lua_getfield(L, -1, "words");
      words = lua_tointeger(L, -1);
      lua_pop(L, 2);
    }
    /* stack: block, text (nothing when the flat features gave the text) */
    pos = (first_good == 0 || k < first_good) ? POS_BEFORE : (k > last_good ? POS_AFTER : POS_INSIDE);
    bn = 0;
    while (bn < RULE_BUCKETS - 1 && words > BUCKET_WORDS[bn]) bn++;
    if (need_key) {
      /* (a block whose key starts with a word that no phrase or prefix
       * starts with is none of them: its whole key is not read) */
      if (any_first) {
        size_t fl = lede_phrase_key_first((const unsigned char *)s, len, key, key_limit);
        int some = 0;
        if (fl != (size_t)-1)
          for (p = 0; p < np && !some; p++)
            some = slots[p].first != NULL && lede_wordset_has(slots[p].first, key, fl);
        if (some) kl = lede_phrase_key_upto((const unsigned char *)s, len, key, key_limit);
      } else {
        kl = lede_phrase_key_upto((const unsigned char *)s, len, key, key_limit);
      }
    }
    for (p = 0; p < np && !hit; p++) {
      const PackSlots *ps = &slots[p];
      if (kl != (size_t)-1) {
        /* (a key longer than the pack's longest phrase is none of them:
         * it is not made a string) */
        if (ps->has_phrases && kl <= ps->phrase_max &&
            (ps->pset == NULL || lede_wordset_has(ps->pset, key, kl))) {
          if (!keyed) { lua_pushlstring(L, key, kl); keyed = 1; } /* stack: ..., key */
          lua_pushvalue(L, -1);
          if (lua_rawget(L, ps->phrases) == LUA_TTABLE && rule_ok(L, lua_gettop(L), words, lang, pos)) {
            hit = 1;
            break;
          }
          lua_pop(L, 1);
        }
        if (ps->has_prefixes && prefix_hit(L, ps, key, kl, words, lang, pos)) {
          hit = 1;
          break;
        }
      }
      if (ps->set[bn] && pattern_hit(L, ps->rs[bn], ps->pats[bn], s, len, words, lang, pos)) {
        hit = 1;
        break;
      }
    }
    if (hit) lua_rawseti(L, base, k);
    lua_settop(L, base);
  }
  return 1;
}

/* ---- plain strings in a text ------------------------------------------- */

/* How common a byte is in running text (lower: rarer): the byte of a
 * string that a search looks for first. */
/* (bit c - 'a' of COMMON_LOWER for each of "etaoinshrdlu", bit c - 'A' of
 * COMMON_UPPER for each of "TAISCMBWHP") */
#define COMMON_LOWER 0x1e6999u
#define COMMON_UPPER 0x4c9187u
static int byte_commonness(unsigned char c) {
  if (c == ' ') return 9;
  if (c >= 'a' && c <= 'z') return (COMMON_LOWER >> (c - 'a')) & 1u ? 8 : 6;
  if (c == ',' || c == '.' || c == '\n') return 5;
  /* (the capitals that start most sentences) */
  if (c >= 'A' && c <= 'Z') return (COMMON_UPPER >> (c - 'A')) & 1u ? 3 : 2;
  return 2;
}

/* Whether the n bytes at p occur in the len bytes at s (n > 0): a search
 * for the rarest of their bytes, then a comparison around it. */
static int occurs(const unsigned char *s, size_t len, const unsigned char *p, size_t n) {
  size_t at = 0, q, from;
  int best = 99;
  for (q = 0; q < n; q++) {
    int c = byte_commonness(p[q]);
    if (c < best) { best = c; at = q; }
  }
  if (n > len) return 0;
  /* the rare byte sits at offset at in the match: between at and
   * len - n + at in s */
  from = at;
  while (from <= len - n + at) {
    const unsigned char *hit = (const unsigned char *)memchr(s + from, p[at], len - n + at - from + 1);
    size_t h;
    if (hit == NULL) return 0;
    h = (size_t)(hit - s);
    if (memcmp(s + h - at, p, n) == 0) return 1;
    from = h + 1;
  }
  return 0;
}

/* core.contains(text, strings) -> table
 * For each string of the array `strings`, whether it occurs in `text`
 * (plain bytes, as string.find(text, s, 1, true)): an array of booleans in
 * the same order. core.contains(text, s) -> boolean: the same for one
 * string. */
static int l_contains(lua_State *L) {
  size_t len;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &len);
  lua_Integer n, k;
  if (lua_type(L, 2) == LUA_TSTRING) {
    /* one string: whether it occurs */
    size_t pl;
    const unsigned char *p = (const unsigned char *)lua_tolstring(L, 2, &pl);
    lua_pushboolean(L, pl == 0 || occurs(s, len, p, pl));
    return 1;
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  n = (lua_Integer)lua_rawlen(L, 2);
  lua_createtable(L, n > 0 && n < 0x7FFFFFF ? (int)n : 0, 0);
  for (k = 1; k <= n; k++) {
    size_t pl;
    const unsigned char *p;
    if (lua_rawgeti(L, 2, k) != LUA_TSTRING)
      return luaL_error(L, "contains: strings[%d] is not a string", (int)k);
    p = (const unsigned char *)lua_tolstring(L, -1, &pl);
    lua_pushboolean(L, pl == 0 || occurs(s, len, p, pl));
    lua_rawseti(L, -3, k);
    lua_pop(L, 1);
  }
  return 1;
}

/* The most packs core.signature_packs tells apart (bits of its mask). */
#define SIG_MAX_PACKS 52

/* Whether the string at stack index si occurs in s[0..len), as found (the
 * table at index found, or 0) already says or else as searched for now
 * (and then recorded there). */
static int sig_found(lua_State *L, int si, int found, const unsigned char *s, size_t len) {
  size_t pl;
  const unsigned char *p;
  int f;
  if (found) {
    lua_pushvalue(L, si);
    if (lua_rawget(L, found) != LUA_TNIL) {
      f = lua_toboolean(L, -1);
      lua_pop(L, 1);
      return f;
    }
    lua_pop(L, 1);
  }
  p = (const unsigned char *)lua_tolstring(L, si, &pl);
  f = pl == 0 || occurs(s, len, p, pl);
  if (found) {
    lua_pushvalue(L, si);
    lua_pushboolean(L, f);
    lua_rawset(L, found);
  }
  return f;
}

/* core.signature_packs(text, sigs [, found]) -> mask
 * Which packs apply to a text by their signatures: sigs[n] is true (pack n
 * always applies), false (never) or an array of signatures, each an array
 * of strings; pack n applies when all strings of one of its signatures
 * occur in text. Bit n - 1 of the integer mask is set for each pack that
 * applies (at most SIG_MAX_PACKS packs). Each string is searched for once,
 * lazily, in order (the later strings of a signature only when the earlier
 * occur); found, a table string -> boolean, gives what is already known
 * and records what is searched for. */
static int l_signature_packs(lua_State *L) {
  size_t len;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &len);
  lua_Integer n, k;
  int found = 0;
  double mask = 0, bit = 1;
  luaL_checktype(L, 2, LUA_TTABLE);
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    found = 3;
  }
  lua_settop(L, 3);
  n = (lua_Integer)lua_rawlen(L, 2);
  if (n > SIG_MAX_PACKS) return luaL_error(L, "signature_packs: more than %d packs", SIG_MAX_PACKS);
  for (k = 1; k <= n; k++, bit *= 2) {
    int t = lua_rawgeti(L, 2, k), applies = 0;
    if (t == LUA_TBOOLEAN) {
      applies = lua_toboolean(L, -1);
    } else if (t == LUA_TTABLE) {
      lua_Integer m = (lua_Integer)lua_rawlen(L, 4), q;
      for (q = 1; q <= m && !applies; q++) {
        lua_Integer ns, r;
        int all = 1;
        if (lua_rawgeti(L, 4, q) != LUA_TTABLE)
          return luaL_error(L, "signature_packs: sigs[%d][%d] is not a table", (int)k, (int)q);
        ns = (lua_Integer)lua_rawlen(L, 5);
        for (r = 1; r <= ns && all; r++) {
          if (lua_rawgeti(L, 5, r) != LUA_TSTRING)
            return luaL_error(L, "signature_packs: sigs[%d][%d][%d] is not a string", (int)k, (int)q,
                              (int)r);
          all = sig_found(L, 6, found, s, len);
          lua_pop(L, 1);
        }
        applies = all;
        lua_pop(L, 1);
      }
    } else {
      return luaL_error(L, "signature_packs: sigs[%d] is not a boolean or a table", (int)k);
    }
    lua_pop(L, 1);
    if (applies) mask += bit;
  }
  lua_pushinteger(L, (lua_Integer)mask);
  return 1;
}

/* ---- registration ------------------------------------------------------ */

static const luaL_Reg regex_methods[] = {
    {"find", l_find},   {"match", l_match}, {"gmatch", l_gmatch},     {"gfind", l_gfind},
    {"count", l_count}, {"close", l_regex_close}, {NULL, NULL}};

static const luaL_Reg set_methods[] = {
    {"first", l_set_first}, {"all", l_set_all}, {"close", l_set_close}, {NULL, NULL}};

void lede_open_regex(lua_State *L) {
  lede_new_type(L, REGEX_MT, regex_methods, l_regex_close, l_regex_tostring, NULL);
  lede_new_type(L, REGEXSET_MT, set_methods, l_set_close, l_set_tostring, l_set_len);
  {
    static const luaL_Reg no_methods[] = { { NULL, NULL } };
    lede_new_type(L, RULEPREP_MT, no_methods, NULL, prep_tostring, NULL);
  }
  {
    /* the matching methods again, as closures over the metatable (see
     * check_regex) */
    static const luaL_Reg fast[] = {
        {"find", l_find}, {"match", l_match}, {"gmatch", l_gmatch}, {"gfind", l_gfind},
        {"count", l_count}, {NULL, NULL}};
    int q;
    luaL_getmetatable(L, REGEX_MT);
    lua_getfield(L, -1, "__index");
    for (q = 0; fast[q].name != NULL; q++) {
      lua_pushvalue(L, -2);
      lua_pushcclosure(L, fast[q].func, 1);
      lua_setfield(L, -2, fast[q].name);
    }
    lua_pop(L, 2);
  }
  lua_pushcfunction(L, l_regex);
  lua_setfield(L, -2, "regex");
  lua_pushcfunction(L, l_regex_escape);
  lua_setfield(L, -2, "regex_escape");
  lua_pushcfunction(L, l_regexset);
  lua_setfield(L, -2, "regexset");
  lua_pushcfunction(L, l_rule_hits);
  lua_setfield(L, -2, "rule_hits");
  lua_pushcfunction(L, l_contains);
  lua_setfield(L, -2, "contains");
  lua_pushcfunction(L, l_signature_packs);
  lua_setfield(L, -2, "signature_packs");
}
