/* text.c: normalisation of scraped text and the offset map back to it.
 *
 * Owns core.normalize, core.utf8_check and the lede.OffsetMap type.
 *
 * The map is a sorted array of segments. A segment is a replacement (a run
 * of white space folded to one space, U+00A0 to a space, an invalid byte to
 * U+FFFD, CRLF to LF, or an inserted split space, which stands for the point
 * before an input byte) followed by a run of bytes copied unchanged, however
 * long; either part may be empty. Dropped input bytes (soft hyphens, trimmed
 * spaces) belong to no segment. A position is looked up by binary search, so
 * a 50 MB input that is mostly plain text costs a handful of segments, and
 * each change costs one. */
#include <stdlib.h>
#include <string.h>

#include "lede.h"

/* A segment covers output bytes [norm, next segment's norm): first a
 * replacement, then bytes copied from the input one for one.
 *
 * The replacement is `units` times rn output bytes (rn 0 to 3) standing for
 * ro input bytes each, from orig on: every byte of a unit stands for the
 * unit's whole input range (ro 0: an inserted byte, standing for the point
 * before input byte orig). One word packs it: rn in the top 2 bits, then
 * k in 3 bits, then x. k == 0: one unit, ro = x (a run of white space may
 * be long). k > 0: x units of ro = k bytes (a run of invalid bytes, of
 * CRLF blank lines). The copied bytes start at input orig + units * ro. */
struct Seg {
  size_t norm, orig, rep;
};

#define RN_SHIFT (sizeof(size_t) * 8 - 2)
#define K_SHIFT (RN_SHIFT - 3)
#define X_MASK (((size_t)1 << K_SHIFT) - 1)
#define SEG_RN(g) ((g)->rep >> RN_SHIFT)
#define SEG_K(g) (((g)->rep >> K_SHIFT) & 7u)
#define SEG_X(g) ((g)->rep & X_MASK)
#define SEG_UNITS(g) (SEG_K(g) ? SEG_X(g) : (size_t)1)
#define SEG_RO(g) (SEG_K(g) ? SEG_K(g) : SEG_X(g))      /* input bytes per unit */
#define SEG_OUT(g) (SEG_RN(g) * SEG_UNITS(g))           /* replaced output bytes */
#define SEG_IN(g) (SEG_K(g) ? SEG_K(g) * SEG_X(g) : SEG_X(g)) /* replaced input bytes */

struct LedeMap {
  struct Seg *segs; /* sorted by norm */
  size_t nsegs, capsegs;
  size_t text_len;  /* normalised length */
  size_t input_len;
  unsigned char *out; /* output being built (freed once pushed) */
  size_t outlen, outcap;
  size_t *splits;     /* sorted split positions (0-based), while building */
  size_t hint;        /* the segment found last (lookups mostly go forwards) */
  int closed;
};

/* ---- the map -------------------------------------------------------- */

static void map_free(LedeMap *m) {
  free(m->segs);
  free(m->out);
  free(m->splits);
  m->segs = NULL;
  m->out = NULL;
  m->splits = NULL;
  m->nsegs = m->capsegs = m->outlen = m->outcap = 0;
  m->closed = 1;
}

LedeMap *lede_checkmap(lua_State *L, int idx) {
  LedeMap *m = (LedeMap *)luaL_checkudata(L, idx, LEDE_MAP);
  if (m->closed) luaL_error(L, LEDE_MAP " is closed");
  return m;
}

size_t lede_map_length(const LedeMap *m) { return m->text_len; }

/* Index of the segment holding output byte k (k < text_len): the one
 * found last and the one after it are tried first, then a binary search.
 * (The hint is no part of the map's value: it is set through a const
 * map.) */
static size_t seg_find(const LedeMap *m, size_t k) {
  size_t lo = 0, hi = m->nsegs, h = m->hint; /* segs[lo].norm <= k < segs[hi].norm */
  if (h < m->nsegs) {
    if (m->segs[h].norm <= k) {
      if (h + 1 == m->nsegs || k < m->segs[h + 1].norm) return h;
      lo = h + 1;
      if (lo + 1 == m->nsegs || k < m->segs[lo + 1].norm) hi = lo + 1;
    } else {
      hi = h;
    }
  }
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->segs[mid].norm <= k) lo = mid;
    else hi = mid;
  }
  ((LedeMap *)m)->hint = lo;
  return lo;
}

/* First input byte behind output byte k (0-based); k == text_len gives
 * input_len. */
static size_t map_start(const LedeMap *m, size_t k) {
  const struct Seg *g;
  size_t off;
  if (k >= m->text_len) return m->input_len;
  g = &m->segs[seg_find(m, k)];
  off = k - g->norm;
  if (off < SEG_OUT(g)) return g->orig + off / SEG_RN(g) * SEG_RO(g);
  return g->orig + SEG_IN(g) + (off - SEG_OUT(g));
}

/* One past the last input byte behind output byte k (k < text_len). */
static size_t map_end(const LedeMap *m, size_t k) {
  const struct Seg *g = &m->segs[seg_find(m, k)];
  size_t off = k - g->norm;
  if (off < SEG_OUT(g)) return g->orig + (off / SEG_RN(g) + 1) * SEG_RO(g);
  return g->orig + SEG_IN(g) + (off - SEG_OUT(g)) + 1;
}

void lede_map_span(const LedeMap *m, size_t b, size_t e, size_t *ob, size_t *oe) {
  if (b >= e || b >= m->text_len) {
    *ob = *oe = map_start(m, b);
    return;
  }
  if (e > m->text_len) e = m->text_len;
  *ob = map_start(m, b);
  *oe = map_end(m, e - 1);
  if (*oe < *ob) *oe = *ob;
}

/* map:orig(i) */
static int map_orig(lua_State *L) {
  LedeMap *m = lede_checkmap(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  if (i < 1 || i > (lua_Integer)m->text_len + 1)
    return luaL_error(L, "bad argument #1 to 'orig' (position %d out of range 1..%d)", (int)i,
                      (int)(m->text_len + 1));
  lua_pushinteger(L, (lua_Integer)map_start(m, (size_t)(i - 1)) + 1);
  return 1;
}

/* map:span(i [, j]) */
static int map_span(lua_State *L) {
  LedeMap *m = lede_checkmap(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  lua_Integer j = luaL_optinteger(L, 3, i);
  size_t b, e, ob, oe;
  lede_range(i, j, m->text_len, &b, &e);
  lede_map_span(m, b, e, &ob, &oe);
  lua_pushinteger(L, (lua_Integer)ob + 1);
  lua_pushinteger(L, (lua_Integer)oe);
  return 2;
}

/* The input span of a record whose i and j are the two values at the top
 * of the stack (popped): *ob, *oe as map:span(i, j) gives them, less one
 * for the start. Raises (who: the function, k: the record) when either is
 * no integer. */
static void record_span(lua_State *L, const LedeMap *m, const char *who, lua_Integer k,
                        size_t *ob, size_t *oe) {
  int okb, oke;
  size_t b, e;
  lua_Integer i = lua_tointegerx(L, -2, &okb), j = lua_tointegerx(L, -1, &oke);
  if (!okb || !oke) luaL_error(L, "%s: record %d needs integer positions i and j", who, (int)k);
  lua_pop(L, 2);
  lede_range(i, j, m->text_len, &b, &e);
  lede_map_span(m, b, e, ob, oe);
}

/* Sets start and stop (their keys at kbase + 2, kbase + 3) of the table at
 * the top of the stack to the span ob, oe of record_span. */
static void set_span(lua_State *L, int kbase, size_t ob, size_t oe) {
  lua_pushvalue(L, kbase + 2);
  lua_pushinteger(L, (lua_Integer)ob + 1);
  lua_rawset(L, -3);
  lua_pushvalue(L, kbase + 3);
  lua_pushinteger(L, (lua_Integer)oe);
  lua_rawset(L, -3);
}

/* map:records(list, keys [, field]) -> array: for each record of list (a
 * table with positions i, j in the map's text), a new table holding the
 * fields of the array keys copied from it plus start, stop = map:span(i, j).
 * With field, list is an array of tables each holding such a list at
 * field: each one's list is replaced by its array of new tables, in one
 * call for all (list itself is returned). */
#define RECORD_KEYS 16

/* Pushes the array of new records made from the list at index src (keys
 * from kbase: i, j, start, stop, then the nkeys keys to copy). */
static void push_records(lua_State *L, const LedeMap *m, int src, int kbase, int nkeys) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, src), k;
  int out, q;
  lua_createtable(L, n < 1000000 ? (int)n : 0, 0);
  out = lua_gettop(L);
  for (k = 1; k <= n; k++) {
    size_t ob, oe;
    if (lua_rawgeti(L, src, k) != LUA_TTABLE)
      luaL_error(L, "records: record %d must be a table, got %s", (int)k, luaL_typename(L, -1));
    lua_pushvalue(L, kbase);
    lua_gettable(L, -2);
    lua_pushvalue(L, kbase + 1);
    lua_gettable(L, -3);
    record_span(L, m, "records", k, &ob, &oe);
    lua_createtable(L, 0, nkeys + 2);
    for (q = 0; q < nkeys; q++) {
      lua_pushvalue(L, kbase + 4 + q);
      lua_pushvalue(L, -1);
      lua_gettable(L, -4); /* record[key] */
      lua_rawset(L, -3);
    }
    set_span(L, kbase, ob, oe);
    lua_rawseti(L, out, k);
    lua_pop(L, 1); /* the record */
  }
}

/* The arguments of map:records and map:place (map, list, names [, field]),
 * checked: `what` names the method in errors, `arg` the array of names (at
 * most max strings, `many` says what they are). Pushes i, j, start, stop
 * (upvalues 2 to 5) and the names after the four arguments, i at *kbase;
 * *nnames the names' number, *field whether a field was given. */
static LedeMap *list_args(lua_State *L, const char *what, const char *arg, int max,
                          const char *many, int *nnames, int *kbase, int *field) {
  LedeMap *m = (LedeMap *)lua_touserdata(L, 1);
  int q;
  *field = !lua_isnoneornil(L, 4); /* (before the metatable is pushed) */
  if (m == NULL || !lua_getmetatable(L, 1) || !lua_rawequal(L, -1, lua_upvalueindex(1)))
    m = lede_checkmap(L, 1); /* raises */
  if (m->closed) luaL_error(L, LEDE_MAP " is closed");
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  if (*field) luaL_checktype(L, 4, LUA_TSTRING);
  lua_settop(L, 4);
  *nnames = (int)lua_rawlen(L, 3);
  if (*nnames > max) luaL_error(L, "%s: at most %d %s", what, max, many);
  luaL_checkstack(L, *nnames + 12, "too many nested calls");
  lua_pushvalue(L, lua_upvalueindex(2));
  *kbase = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(3));
  lua_pushvalue(L, lua_upvalueindex(4));
  lua_pushvalue(L, lua_upvalueindex(5));
  for (q = 1; q <= *nnames; q++) {
    if (lua_rawgeti(L, 3, q) != LUA_TSTRING)
      luaL_error(L, "%s: %s[%d] must be a string, got %s", what, arg, q, luaL_typename(L, -1));
  }
  return m;
}

/* (Upvalues: the map's metatable, then the strings "i", "j", "start",
 * "stop", pushed once.) */
static int map_records(lua_State *L) {
  lua_Integer n, k;
  int nkeys, kbase, field;
  LedeMap *m = list_args(L, "records", "keys", RECORD_KEYS, "keys", &nkeys, &kbase, &field);
  if (!field) {
    push_records(L, m, 2, kbase, nkeys);
    return 1;
  }
  n = (lua_Integer)lua_rawlen(L, 2);
  for (k = 1; k <= n; k++) {
    int t, src;
    if (lua_rawgeti(L, 2, k) != LUA_TTABLE)
      return luaL_error(L, "records: element %d must be a table, got %s", (int)k, luaL_typename(L, -1));
    t = lua_gettop(L);
    lua_pushvalue(L, 4);
    lua_gettable(L, t);
    src = lua_gettop(L);
    if (lua_isnil(L, src)) {
      lua_newtable(L);
    } else {
      if (!lua_istable(L, src))
        return luaL_error(L, "records: element %d's %s must be a table, got %s", (int)k,
                          lua_tostring(L, 4), luaL_typename(L, src));
      push_records(L, m, src, kbase, nkeys);
    }
    lua_pushvalue(L, 4);
    lua_insert(L, -2);
    lua_settable(L, t);
    lua_settop(L, t - 1);
  }
  lua_settop(L, 2);
  return 1;
}

/* map:place(list, drop [, field]) -> list: each record of list (a table
 * with integer positions i, j in the map's text) gets start, stop =
 * map:span(i, j) in place of i, j, and loses the fields named in the array
 * drop; with field, list is an array of tables each holding such a list at
 * field (nil: none). A record placed already (listed twice: it has start
 * and no i) is left as it is. (Upvalues as map:records'.) */
#define PLACE_DROP 8

static void place_list(lua_State *L, const LedeMap *m, int src, int kbase, int ndrop) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, src), k;
  int q;
  for (k = 1; k <= n; k++) {
    size_t ob, oe;
    if (lua_rawgeti(L, src, k) != LUA_TTABLE)
      luaL_error(L, "place: record %d must be a table, got %s", (int)k, luaL_typename(L, -1));
    lua_pushvalue(L, kbase);
    if (lua_rawget(L, -2) == LUA_TNIL) {
      lua_pushvalue(L, kbase + 2);
      if (lua_rawget(L, -3) != LUA_TNIL) { /* placed already (a record listed twice) */
        lua_pop(L, 3);
        continue;
      }
      luaL_error(L, "place: record %d needs integer positions i and j", (int)k);
    }
    lua_pushvalue(L, kbase + 1);
    lua_rawget(L, -3);
    record_span(L, m, "place", k, &ob, &oe);
    /* the fields go first: the new ones may take their places */
    for (q = 0; q < ndrop + 2; q++) {
      lua_pushvalue(L, q < 2 ? kbase + q : kbase + 4 + (q - 2));
      lua_pushnil(L);
      lua_rawset(L, -3);
    }
    set_span(L, kbase, ob, oe);
    lua_pop(L, 1);
  }
}

static int map_place(lua_State *L) {
  lua_Integer n, k;
  int ndrop, kbase, field;
  LedeMap *m = list_args(L, "place", "drop", PLACE_DROP, "fields to drop", &ndrop, &kbase, &field);
  if (!field) {
    place_list(L, m, 2, kbase, ndrop);
  } else {
    n = (lua_Integer)lua_rawlen(L, 2);
    for (k = 1; k <= n; k++) {
      if (lua_rawgeti(L, 2, k) != LUA_TTABLE)
        return luaL_error(L, "place: element %d must be a table, got %s", (int)k, luaL_typename(L, -1));
      lua_pushvalue(L, 4);
      lua_rawget(L, -2);
      if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1))
          return luaL_error(L, "place: element %d's %s must be a table, got %s", (int)k,
                            lua_tostring(L, 4), luaL_typename(L, -1));
        place_list(L, m, lua_gettop(L), kbase, ndrop);
      }
      lua_pop(L, 2);
    }
  }
  lua_settop(L, 2);
  return 1;
}

static int map_len(lua_State *L) {
  LedeMap *m = lede_checkmap(L, 1);
  lua_pushinteger(L, (lua_Integer)m->text_len);
  return 1;
}

static int map_input_length(lua_State *L) {
  LedeMap *m = lede_checkmap(L, 1);
  lua_pushinteger(L, (lua_Integer)m->input_len);
  return 1;
}

static int map_segments(lua_State *L) {
  LedeMap *m = lede_checkmap(L, 1);
  lua_pushinteger(L, (lua_Integer)m->nsegs);
  return 1;
}

/* __gc, __close and map:close(): idempotent. */
static int map_close(lua_State *L) {
  LedeMap *m = (LedeMap *)luaL_checkudata(L, 1, LEDE_MAP);
  map_free(m);
  return 0;
}

static int map_tostring(lua_State *L) {
  LedeMap *m = (LedeMap *)luaL_checkudata(L, 1, LEDE_MAP);
  if (m->closed) lua_pushliteral(L, LEDE_MAP " (closed)");
  else
    lua_pushfstring(L, LEDE_MAP " (%d input bytes -> %d, %d segments)", (int)m->input_len,
                    (int)m->text_len, (int)m->nsegs);
  return 1;
}

/* ---- building ------------------------------------------------------- */

static void grow_out(lua_State *L, LedeMap *m, size_t need) {
  size_t cap = m->outcap ? m->outcap : 64;
  unsigned char *p;
  while (cap - m->outlen < need) {
    if (cap > (size_t)-1 / 2) luaL_error(L, "normalize: out of memory");
    cap *= 2;
  }
  p = (unsigned char *)realloc(m->out, cap);
  if (p == NULL) luaL_error(L, "normalize: out of memory");
  m->out = p;
  m->outcap = cap;
}

static void push_seg(lua_State *L, LedeMap *m, size_t norm, size_t orig, size_t rep) {
  if (m->nsegs == m->capsegs) {
    size_t cap = m->capsegs ? m->capsegs * 2 : 16;
    struct Seg *p;
    if (cap > (size_t)-1 / sizeof(struct Seg)) luaL_error(L, "normalize: out of memory");
    p = (struct Seg *)realloc(m->segs, cap * sizeof(struct Seg));
    if (p == NULL) luaL_error(L, "normalize: out of memory");
    m->segs = p;
    m->capsegs = cap;
  }
  m->segs[m->nsegs].norm = norm;
  m->segs[m->nsegs].orig = orig;
  m->segs[m->nsegs].rep = rep;
  m->nsegs++;
}

/* Appends nlen bytes that came from input [orig, orig + olen). Equal
 * lengths are copied byte for byte: when the last segment's copied run ends
 * right at orig, that run grows instead of a new segment being added.
 * Otherwise nlen (1 to 3) replaces olen input bytes: one more unit of the
 * last segment's replacement when it is the same kind and nothing was
 * copied or dropped since, else a new segment. */
static void emit(lua_State *L, LedeMap *m, const unsigned char *bytes, size_t nlen, size_t orig,
                 size_t olen) {
  if (m->outcap - m->outlen < nlen) grow_out(L, m, nlen);
  if (nlen == olen) {
    const struct Seg *g = m->nsegs > 0 ? &m->segs[m->nsegs - 1] : NULL;
    if (g == NULL || g->orig + SEG_IN(g) + (m->outlen - g->norm - SEG_OUT(g)) != orig)
      push_seg(L, m, m->outlen, orig, 0);
  } else {
    struct Seg *g = m->nsegs > 0 ? &m->segs[m->nsegs - 1] : NULL;
    if (g != NULL && SEG_RN(g) == nlen && olen >= 1 && olen <= 7 &&
        m->outlen == g->norm + SEG_OUT(g) && orig == g->orig + SEG_IN(g) && SEG_X(g) < X_MASK) {
      if (SEG_K(g) == olen) g->rep++;
      else if (SEG_K(g) == 0 && SEG_X(g) == olen)
        g->rep = ((size_t)nlen << RN_SHIFT) | ((size_t)olen << K_SHIFT) | 2;
      else push_seg(L, m, m->outlen, orig, ((size_t)nlen << RN_SHIFT) | olen);
    } else {
      if (olen > X_MASK) luaL_error(L, "normalize: run of white space too long");
      push_seg(L, m, m->outlen, orig, ((size_t)nlen << RN_SHIFT) | olen);
    }
  }
  memcpy(m->out + m->outlen, bytes, nlen);
  m->outlen += nlen;
}

/* emit for nlen bytes copied unchanged from input orig on (the fast
 * path's runs): the last segment's copied run grows when it ends at orig. */
LEDE_INLINE void emit_copy(lua_State *L, LedeMap *m, const unsigned char *bytes, size_t nlen, size_t orig) {
  const struct Seg *g;
  if (m->outcap - m->outlen < nlen) grow_out(L, m, nlen);
  g = m->nsegs > 0 ? &m->segs[m->nsegs - 1] : NULL;
  if (g == NULL || g->orig + SEG_IN(g) + (m->outlen - g->norm - SEG_OUT(g)) != orig)
    push_seg(L, m, m->outlen, orig, 0);
  memcpy(m->out + m->outlen, bytes, nlen);
  m->outlen += nlen;
}

/* Length of the maximal invalid subpart at s[p] (at least 1): the longest
 * prefix of a well-formed sequence, Unicode's "maximal subpart" practice. */
static size_t bad_len(const unsigned char *s, size_t p, size_t n) {
  unsigned c = s[p];
  unsigned lo = 0x80, hi = 0xBF;
  size_t need, k;
  if (c >= 0xC2 && c <= 0xDF) need = 1;
  else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else return 1;
  for (k = 1; k <= need && p + k < n; k++) {
    unsigned d = s[p + k];
    if (d < lo || d > hi) break;
    lo = 0x80;
    hi = 0xBF;
  }
  return k;
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* Characters normalisation passes through unchanged (the fast path). */
#define PLAIN_ASCII(c) ((unsigned)(c) - 0x21u < 0x5Eu)
/* ASCII bytes that are horizontal white space or controls (lede_is_hspace
 * or lede_is_control): a run of them folds like one. */
#define ASCII_HSPACE(c) ((c) == 0x20 || (c) == 0x7F || ((c) < 0x20 && (c) != 0x0A && (c) != 0x0D))
/* Eight bytes at a time: ones in every byte, the high bits, the low 7 bits. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
#define LOWS UINT64_C(0x7F7F7F7F7F7F7F7F)

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LEDE_SWAR_LE 1 /* the first byte of a word is its lowest */
#else
#define LEDE_SWAR_LE 0
#endif

/* Sixteen bytes at a time where SSE2 is (every x86-64): a bit per byte of
 * s[q..q+16) (q at a character start) that is neither plain ASCII
 * (0x21..0x7E), a space, nor part of a two-byte character of U+00C0..U+07FF
 * (lead 0xC3..0xDF then a continuation byte), or that is a space followed
 * by a space within the sixteen (the lowest bit set is exact, as is every
 * bit below it); *sp gets the spaces, *lead the lead bytes of two-byte
 * characters (one last has its continuation after the sixteen). */
#if LEDE_SWAR_LE && defined(__SSE2__)
#include <emmintrin.h>
#define LEDE_SSE2_NORM 1
static unsigned unplain16(const unsigned char *s, unsigned *sp, unsigned *lead) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i ok = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
  unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
  unsigned high = (unsigned)_mm_movemask_epi8(v);
  /* (signed bytes: 0xC3..0xDF are -61..-33, 0x80..0xBF are below -64) */
  unsigned lw = (unsigned)_mm_movemask_epi8(
      _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-62)), _mm_cmplt_epi8(v, _mm_set1_epi8(-32))));
  unsigned ct = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
  *sp = spaces;
  *lead = lw;
  return ((~(unsigned)_mm_movemask_epi8(ok) & ~high) | (high & ~(lw | ct)) | (ct ^ (lw << 1)) |
          (spaces & (spaces >> 1))) & 0xFFFFu;
}

/* The bits of sixty-four bytes (four vectors) for which cmp is true, the
 * first byte's lowest. */
#define BITS64(cmp, v0, v1, v2, v3)                                                       \
  ((uint64_t)(unsigned)_mm_movemask_epi8(cmp(v0)) | (uint64_t)(unsigned)_mm_movemask_epi8(cmp(v1)) << 16 | \
   (uint64_t)(unsigned)_mm_movemask_epi8(cmp(v2)) << 32 | (uint64_t)(unsigned)_mm_movemask_epi8(cmp(v3)) << 48)

/* The byte tests of plain64, on signed bytes: 0x21..0x7E (plain ASCII:
 * moved to -128..-35), a space, an LF; 0xC3..0xDF (-61..-33: a lead byte
 * of U+00C0..U+07FF), 0x80..0xBF (below -64: a continuation byte), 0xE2
 * (-30), 0x80; 0x8C..0xBF but 0xA8, 0xA9, 0xAF (the last byte of
 * U+200C..U+203F but the separators and U+202F). */
#define IS_PLAIN(v) _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x5F)), _mm_set1_epi8(-34))
#define IS_SPACE(v) _mm_cmpeq_epi8(v, _mm_set1_epi8(' '))
#define IS_LF(v) _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))
#define IS_LEAD(v) _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-62)), _mm_cmplt_epi8(v, _mm_set1_epi8(-32)))
#define IS_CONT(v) _mm_cmplt_epi8(v, _mm_set1_epi8(-64))
#define IS_E2(v) _mm_cmpeq_epi8(v, _mm_set1_epi8(-30))
#define IS_X80(v) _mm_cmpeq_epi8(v, _mm_set1_epi8(-128))
#define IS_TAIL(v)                                                                                        \
  _mm_andnot_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xA8)),                 \
                                             _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xA9))),                \
                                _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xAF))),                             \
                   _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-117)), _mm_cmplt_epi8(v, _mm_set1_epi8(-64))))

/* How many of the sixty-four bytes at s the fast path of l_normalize
 * passes over, at least (0 to 64; s at a character start, none of the
 * sixty-four past a split): plain ASCII; characters of U+00C0..U+07FF;
 * U+200C..U+203F but the separators and U+202F; a space, or LFs (with
 * `newlines`; one or two), before one of those. A byte whose fate depends
 * on the bytes after the sixty-four is not passed. */
static size_t plain64(const unsigned char *s, int newlines) {
  __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
  __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(s + 32));
  __m128i v3 = _mm_loadu_si128((const __m128i *)(const void *)(s + 48));
  uint64_t start = BITS64(IS_PLAIN, v0, v1, v2, v3), space = BITS64(IS_SPACE, v0, v1, v2, v3), ok = start;
  if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(v0, v1), _mm_or_si128(v2, v3)))) { /* bytes above 0x7F */
    uint64_t cont = BITS64(IS_CONT, v0, v1, v2, v3);
    uint64_t lead = BITS64(IS_LEAD, v0, v1, v2, v3) & (cont >> 1); /* a two-byte character */
    uint64_t quote = BITS64(IS_E2, v0, v1, v2, v3) & (BITS64(IS_X80, v0, v1, v2, v3) >> 1) &
                     (BITS64(IS_TAIL, v0, v1, v2, v3) >> 2); /* U+200C..U+203F, as above */
    start |= lead | quote; /* a plain character starts */
    ok = start | (lead << 1) | (quote << 1) | (quote << 2);
  }
  ok |= space & (start >> 1);
  if (newlines) {
    uint64_t lf = BITS64(IS_LF, v0, v1, v2, v3);
    ok |= lf & ((start >> 1) | ((lf >> 1) & (start >> 2)));
  }
  ok = ~ok;
  return ok ? (size_t)__builtin_ctzll(ok) : 64;
}

#else
#define LEDE_SSE2_NORM 0
#endif

/* Whether s[q] starts a three-byte character of U+3001..U+D7FF (kana, CJK
 * ideographs, Hangul; U+3000 is white space) ending before lim: all plain
 * (plain_cp). */
LEDE_INLINE int plain3(const unsigned char *s, size_t q, size_t lim) {
  unsigned d = s[q], d1;
  if (d < 0xE3 || d > 0xED || q + 2 >= lim || (s[q + 2] & 0xC0) != 0x80) return 0;
  d1 = s[q + 1];
  if (d == 0xED) return d1 >= 0x80 && d1 <= 0x9F; /* (surrogates after) */
  return (d1 & 0xC0) == 0x80 && (d != 0xE3 || d1 != 0x80 || s[q + 2] != 0x80);
}

static int plain_cp(uint32_t cp) {
  return cp != LEDE_BAD && !lede_is_hspace(cp) && !lede_is_vspace(cp) && !lede_is_invisible(cp) &&
         !lede_is_control(cp);
}

static const unsigned char FFFD[3] = {0xEF, 0xBF, 0xBD};

/* The buffers core.normalize builds its text and its segments in, kept
 * from call to call (the upvalue of l_normalize) so that each document
 * writes into memory the one before warmed instead of new blocks. A map
 * owns them while it is being built (an error frees them with the map) and
 * hands them back when done; the segments it keeps are a copy of their
 * exact size. Buffers larger than SCRATCH_KEEP are not kept. */
typedef struct {
  unsigned char *out;
  size_t outcap;
  struct Seg *segs;
  size_t capsegs;
} NormScratch;

#define SCRATCH_KEEP ((size_t)1 << 18)

static int scratch_gc(lua_State *L) {
  NormScratch *sc = (NormScratch *)lua_touserdata(L, 1);
  if (sc != NULL) {
    free(sc->out);
    free(sc->segs);
    sc->out = NULL;
    sc->segs = NULL;
    sc->outcap = sc->capsegs = 0;
  }
  return 0;
}

static int check_bool_opt(lua_State *L, const char *k) {
  if (!lua_isboolean(L, -1))
    return luaL_error(L, "normalize: option '%s' must be a boolean, got %s", k, luaL_typename(L, -1));
  return lua_toboolean(L, -1);
}

/* core.normalize(s [, opts]) -> text, map */
static int l_normalize(lua_State *L) {
  size_t n, p = 0, nsplits = 0, si = 0;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  int trim = 1, newlines = 1, has_splits = 0;
  int line_start = 1, sp = 0;
  size_t sp_b = 0, sp_e = 0;
  LedeMap *m;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      const char *k;
      if (lua_type(L, -2) != LUA_TSTRING)
        return luaL_error(L, "normalize: unknown option (a %s key)", luaL_typename(L, -2));
      k = lua_tostring(L, -2);
      if (strcmp(k, "trim") == 0) trim = check_bool_opt(L, k);
      else if (strcmp(k, "newlines") == 0) newlines = check_bool_opt(L, k);
      else if (strcmp(k, "splits") == 0) {
        if (!lua_istable(L, -1))
          return luaL_error(L, "normalize: option 'splits' must be an array of positions, got %s",
                            luaL_typename(L, -1));
        has_splits = 1;
      } else return luaL_error(L, "normalize: unknown option '%s'", k);
      lua_pop(L, 1);
    }
  }
  lua_settop(L, 2);

  /* The map owns every block from here on: an error frees them in __gc. */
  m = (LedeMap *)lua_newuserdatauv(L, sizeof(LedeMap), 0);
  memset(m, 0, sizeof *m);
  luaL_setmetatable(L, LEDE_MAP); /* the map is at index 3 */
  m->input_len = n;
  {
    NormScratch *sc = (NormScratch *)lua_touserdata(L, lua_upvalueindex(1));
    if (sc != NULL) { /* the map owns them from here on */
      m->out = sc->out;
      m->outcap = sc->outcap;
      m->segs = sc->segs;
      m->capsegs = sc->capsegs;
      sc->out = NULL;
      sc->segs = NULL;
      sc->outcap = sc->capsegs = 0;
    }
  }

  if (has_splits) {
    size_t k, cnt;
    lua_getfield(L, 2, "splits");
    cnt = (size_t)lua_rawlen(L, -1);
    if (cnt > 0) {
      if (cnt > (size_t)-1 / sizeof(size_t)) return luaL_error(L, "normalize: too many splits");
      m->splits = (size_t *)malloc(cnt * sizeof(size_t));
      if (m->splits == NULL) return luaL_error(L, "normalize: out of memory");
    }
    for (k = 0; k < cnt; k++) {
      lua_Integer v;
      lua_rawgeti(L, -1, (int)k + 1);
      v = lua_tointeger(L, -1);
      if (lua_type(L, -1) != LUA_TNUMBER || (lua_Number)v != lua_tonumber(L, -1))
        return luaL_error(L, "normalize: splits[%d] must be an integer position, got %s", (int)k + 1,
                          luaL_typename(L, -1));
      if (v < 1 || v > (lua_Integer)n)
        return luaL_error(L, "normalize: splits[%d] = %d is out of range 1..%d", (int)k + 1, (int)v,
                          (int)n);
      m->splits[k] = (size_t)(v - 1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (cnt > 1) qsort(m->splits, cnt, sizeof(size_t), cmp_size);
    nsplits = cnt;
  }

  grow_out(L, m, n + n / 16 + 16);

  /* A pending run of white space [sp_b, sp_e) becomes one space, unless it
   * is leading (trimmed), or an inserted space (empty run) at a line start. */
#define FLUSH_SPACE()                                                                      \
  do {                                                                                     \
    if (sp) {                                                                              \
      sp = 0;                                                                              \
      if (!(line_start && (trim || sp_b == sp_e)))                                         \
        emit(L, m, (const unsigned char *)" ", 1, sp_b, sp_e - sp_b);                      \
    }                                                                                      \
  } while (0)

  while (p < n) {
    size_t len, lim;
    uint32_t cp;
    unsigned c;
    while (si < nsplits && m->splits[si] < p) si++; /* inside a character: ignored */
    if (si < nsplits && m->splits[si] == p) {
      if (!sp && !line_start) {
        sp = 1;
        sp_b = sp_e = p; /* an empty run: an inserted space, unless white space follows */
      }
      while (si < nsplits && m->splits[si] == p) si++;
    }
    lim = si < nsplits ? m->splits[si] : n;
    c = s[p];
    if (PLAIN_ASCII(c) || (c >= 0x80 && plain_cp(lede_utf8_decode(s, p, n, &len)))) {
      size_t q = p;
#if LEDE_SSE2_NORM
      size_t no64 = 0;
#endif
      FLUSH_SPACE();
      /* the fast path: plain characters, and single ASCII spaces between them */
      while (q < lim) {
        unsigned d;
        int flagged = 0; /* a byte that is not plain is known to come at once */
#if LEDE_SSE2_NORM
        /* sixty-four bytes at a time, while the usual text lasts */
        if (q + 64 <= lim && q >= no64) {
          size_t k = plain64(s + q, newlines);
          q += k;
          if (k >= 16) continue;
          no64 = q + 16; /* (less usual text: looked at as below for a while) */
          if (q >= lim) break;
        }
        /* sixteen plain bytes (ASCII, two-byte characters), no two spaces
         * together, no space or lead byte last; else up to the first that
         * is not (as below), a character never split */
        if (q + 16 <= lim) {
          unsigned sp, lead, bad;
          size_t k;
          { /* the usual sixteen: printable ASCII, no two spaces together, none last */
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + q));
            unsigned pr = (unsigned)_mm_movemask_epi8(
                _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F))));
            if (pr == 0xFFFFu) {
              sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
              if (!(sp & (sp >> 1))) {
                if (!(sp & 0x8000u)) {
                  q += 16;
                  continue;
                }
                /* a space last, before plain ASCII: the two are plain */
                if (q + 16 < lim && PLAIN_ASCII(s[q + 16])) {
                  q += 17;
                  continue;
                }
              }
            }
          }
          bad = unplain16(s + q, &sp, &lead);
          if (!bad && !((sp | lead) & 0x8000u)) {
            q += 16;
            continue;
          }
          k = bad ? (size_t)__builtin_ctz(bad) : 15;
          if (k > 0 && ((lead >> (k - 1)) & 1u)) k--;
          if (k > 0 && s[q + k - 1] == ' ') k--;
          q += k;
          if (q >= lim) break;
          flagged = bad != 0;
        }
#endif
        /* eight plain ASCII bytes, no two spaces together, none last */
        if (!flagged && q + 8 <= lim && s[q] < 0x80) {
          uint64_t w, z, bad;
          memcpy(&w, s + q, 8);
          z = w ^ (ONES * 0x20);
          z = ~(((z & LOWS) + LOWS) | z | LOWS); /* high bit of every space */
          bad = ((w - ONES * 0x20) & ~w & HIGHS) | (((w + ONES) | w) & HIGHS) | (z & (z >> 8));
          if (!bad && s[q + 7] != ' ') {
            q += 8;
            continue;
          }
#if LEDE_SWAR_LE
          /* the bytes before the first one flagged are plain (a borrow or
           * carry only flags bytes above a flagged one), but for a space
           * right before it, whose fate depends on that byte */
          if (bad) {
            size_t k = (size_t)__builtin_ctzll(bad) / 8;
            if (k > 0 && s[q + k - 1] == ' ') k--;
            q += k;
          } else {
            q += 7;
          }
#endif
        }
        d = s[q];
        if (PLAIN_ASCII(d)) q++;
        else if (d >= 0xC3 && d <= 0xDF && q + 1 < lim && (s[q + 1] & 0xC0) == 0x80)
          q += 2; /* U+00C0..U+07FF: all plain */
        else if (d == 0xE2 && q + 2 < lim && s[q + 1] == 0x80 && s[q + 2] >= 0x8C &&
                 s[q + 2] <= 0xBF && s[q + 2] != 0xA8 && s[q + 2] != 0xA9 && s[q + 2] != 0xAF)
          q += 3; /* U+200C..U+203F but the separators and U+202F: quotes, dashes */
        else if (plain3(s, q, lim)) {
          /* a run of kana, CJK and Hangul, single spaces between them */
          do {
            q += 3;
            if (q < lim && s[q] == ' ' && plain3(s, q + 1, lim)) q++;
          } while (plain3(s, q, lim));
        } else if (d == ' ') {
          /* a single space before a plain character of the kinds above */
          size_t r = q + 1;
          if (r < lim && PLAIN_ASCII(s[r])) q += 2;
          else if (r + 1 < lim && s[r] >= 0xC3 && s[r] <= 0xDF && (s[r + 1] & 0xC0) == 0x80) q += 3;
          else if (r + 2 < lim && s[r] == 0xE2 && s[r + 1] == 0x80 && s[r + 2] >= 0x8C && s[r + 2] <= 0xBF &&
                   s[r + 2] != 0xA8 && s[r + 2] != 0xA9 && s[r + 2] != 0xAF)
            q += 4;
          else if (plain3(s, r, lim)) q += 4;
          else break;
        } else if (d == '\n' && newlines) {
          /* line breaks before a plain character of the kinds above are
           * copied as they are */
          size_t r = q + 1;
          while (r < lim && s[r] == '\n') r++;
          if (r < lim && (PLAIN_ASCII(s[r]) ||
                          (r + 1 < lim && s[r] >= 0xC3 && s[r] <= 0xDF && (s[r + 1] & 0xC0) == 0x80) ||
                          (r + 2 < lim && s[r] == 0xE2 && s[r + 1] == 0x80 && s[r + 2] >= 0x8C &&
                           s[r + 2] <= 0xBF && s[r + 2] != 0xA8 && s[r + 2] != 0xA9 && s[r + 2] != 0xAF) ||
                          plain3(s, r, lim)))
            q = r;
          else break;
        } else if (d >= 0x80 && plain_cp(lede_utf8_decode(s, q, n, &len))) q += len;
        else break;
      }
      emit_copy(L, m, s + p, q - p, p);
      line_start = 0;
      p = q;
      continue;
    }
    if (ASCII_HSPACE(c)) { /* a run of ASCII white space (or controls) at once */
      size_t q = p + 1;
#if LEDE_SSE2_NORM
      while (q + 16 <= lim) { /* spaces sixteen at a time */
        unsigned sp = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + q)), _mm_set1_epi8(' ')));
        if (sp != 0xFFFFu) {
          q += (size_t)__builtin_ctz(~sp);
          break;
        }
        q += 16;
      }
#endif
      while (q < lim && ASCII_HSPACE(s[q])) q++;
      if (!sp || sp_b == sp_e) { sp = 1; sp_b = p; }
      sp_e = q;
      p = q;
      continue;
    }
    cp = lede_utf8_decode(s, p, n, &len);
    if (cp == 0x0A || cp == 0x0D || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
      size_t blen = len;
      if (cp == 0x0D && p + 1 < n && s[p + 1] == 0x0A) blen = 2;
      if (!newlines) {
        if (!sp || sp_b == sp_e) { sp = 1; sp_b = p; }
        sp_e = p + blen;
      } else {
        if (sp) {
          sp = 0;
          if (!trim && sp_b != sp_e) emit(L, m, (const unsigned char *)" ", 1, sp_b, sp_e - sp_b);
        }
        if (cp == 0x2029) emit(L, m, (const unsigned char *)"\n\n", 2, p, blen);
        else emit(L, m, (const unsigned char *)"\n", 1, p, blen);
        line_start = 1;
      }
      p += blen;
    } else if (lede_is_hspace(cp) || lede_is_control(cp)) {
      if (!sp || sp_b == sp_e) { sp = 1; sp_b = p; }
      sp_e = p + len;
      p += len;
    } else if (lede_is_invisible(cp)) {
      p += len;
      if (sp && sp_b != sp_e) sp_e = p; /* inside a run of white space: part of it */
    } else if (cp == LEDE_BAD) {
      size_t bl = bad_len(s, p, n);
      FLUSH_SPACE();
      emit(L, m, FFFD, 3, p, bl);
      line_start = 0;
      p += bl;
    } else { /* not reached: plain characters take the fast path */
      FLUSH_SPACE();
      emit(L, m, s + p, len, p, len);
      line_start = 0;
      p += len;
    }
  }
  if (sp && !trim) FLUSH_SPACE();
#undef FLUSH_SPACE

  m->text_len = m->outlen;
  lua_pushlstring(L, (const char *)m->out, m->outlen);
  free(m->splits);
  m->splits = NULL;
  {
    NormScratch *sc = (NormScratch *)lua_touserdata(L, lua_upvalueindex(1));
    struct Seg *g = NULL;
    /* the map keeps a copy of its segments of their exact size (when
     * there is no memory for it, the buffer itself) */
    if (sc != NULL && m->nsegs > 0) g = (struct Seg *)malloc(m->nsegs * sizeof(struct Seg));
    if (g != NULL) {
      memcpy(g, m->segs, m->nsegs * sizeof(struct Seg));
      if (m->capsegs * sizeof(struct Seg) <= SCRATCH_KEEP) {
        sc->segs = m->segs;
        sc->capsegs = m->capsegs;
      } else {
        free(m->segs);
      }
      m->segs = g;
      m->capsegs = m->nsegs;
    } else if (m->nsegs > 0 && m->nsegs < m->capsegs) {
      g = (struct Seg *)realloc(m->segs, m->nsegs * sizeof(struct Seg));
      if (g != NULL) {
        m->segs = g;
        m->capsegs = m->nsegs;
      }
    } else if (sc != NULL && m->nsegs == 0 && m->segs != NULL) { /* none: the buffer goes back */
      if (m->capsegs * sizeof(struct Seg) <= SCRATCH_KEEP) {
        sc->segs = m->segs;
        sc->capsegs = m->capsegs;
      } else {
        free(m->segs);
      }
      m->segs = NULL;
      m->capsegs = 0;
    }
    if (sc != NULL && m->outcap <= SCRATCH_KEEP) {
      sc->out = m->out;
      sc->outcap = m->outcap;
    } else {
      free(m->out);
    }
    m->out = NULL;
    m->outlen = m->outcap = 0;
  }
  lua_pushvalue(L, 3);
  return 2;
}

/* core.utf8_check(s) -> true | false, pos */
static int l_utf8_check(lua_State *L) {
  size_t n, p = 0, len;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  while (p < n) {
    if (s[p] < 0x80) {
      uint64_t w;
      while (p + 8 <= n) {
        memcpy(&w, s + p, 8);
        if (w & UINT64_C(0x8080808080808080)) break;
        p += 8;
      }
      while (p < n && s[p] < 0x80) p++;
      continue;
    }
    if (lede_utf8_decode(s, p, n, &len) == LEDE_BAD) {
      lua_pushboolean(L, 0);
      lua_pushinteger(L, (lua_Integer)p + 1);
      return 2;
    }
    p += len;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* core.count(s, set [, after]) -> the bytes of s that are in the byte set
 * `set` (a string of bytes) and, with `after`, followed by a byte of
 * `after`. */
static int l_count(lua_State *L) {
  size_t n, ns, na = 0, k;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  const unsigned char *set = (const unsigned char *)luaL_checklstring(L, 2, &ns);
  const unsigned char *aft = (const unsigned char *)luaL_optlstring(L, 3, NULL, &na);
  unsigned char in[256], in2[256];
  lua_Integer c = 0;
  memset(in, 0, sizeof in);
  memset(in2, 0, sizeof in2);
  for (k = 0; k < ns; k++) in[set[k]] = 1;
  if (aft == NULL) {
    for (k = 0; k < n; k++) c += in[s[k]];
  } else {
    for (k = 0; k < na; k++) in2[aft[k]] = 1;
    for (k = 0; k + 1 < n; k++) c += in[s[k]] & in2[s[k + 1]];
  }
  lua_pushinteger(L, c);
  return 1;
}

/* core.find_back(s, set, p [, limit]) -> the last position in
 * s:sub(limit, p) whose byte is in `set`, or nil. */
static int l_find_back(lua_State *L) {
  size_t n, ns, k;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  const unsigned char *set = (const unsigned char *)luaL_checklstring(L, 2, &ns);
  lua_Integer p = luaL_checkinteger(L, 3);
  lua_Integer lim = luaL_optinteger(L, 4, 1);
  unsigned char in[256];
  memset(in, 0, sizeof in);
  for (k = 0; k < ns; k++) in[set[k]] = 1;
  if (lim < 1) lim = 1;
  if (p > (lua_Integer)n) p = (lua_Integer)n;
  for (; p >= lim; p--) {
    if (in[s[p - 1]]) {
      lua_pushinteger(L, p);
      return 1;
    }
  }
  lua_pushnil(L);
  return 1;
}

/* Lists of at most JOIN_STACKED strings are joined on the stack. */
#define JOIN_STACKED 120

/* core.join(list, sep) -> the strings of the array list joined by sep
 * (table.concat(list, sep), its result's size known before it is built:
 * a short list is pushed with its separators and concatenated at once,
 * which makes the result in place; a longer one is measured, then copied
 * into a buffer of that size). */
static int l_join(lua_State *L) {
  size_t nsep, total = 0, len;
  const char *sep = luaL_checklstring(L, 2, &nsep);
  lua_Integer n, k;
  luaL_Buffer buf;
  char *p;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  n = (lua_Integer)lua_rawlen(L, 1);
  if (n <= JOIN_STACKED) {
    if (n == 0) {
      lua_pushliteral(L, "");
      return 1;
    }
    luaL_checkstack(L, 2 * JOIN_STACKED, "too many nested calls");
    for (k = 1; k <= n; k++) {
      if (lua_rawgeti(L, 1, k) != LUA_TSTRING)
        return luaL_error(L, "join: item %d must be a string, got %s", (int)k, luaL_typename(L, -1));
      if (k < n && nsep > 0) lua_pushvalue(L, 2);
    }
    lua_concat(L, lua_gettop(L) - 2);
    return 1;
  }
  for (k = 1; k <= n; k++) {
    if (lua_rawgeti(L, 1, k) != LUA_TSTRING)
      return luaL_error(L, "join: item %d must be a string, got %s", (int)k, luaL_typename(L, -1));
    lua_tolstring(L, -1, &len);
    lua_pop(L, 1);
    if (total > (size_t)-1 / 2 - len - nsep) return luaL_error(L, "join: result too long");
    total += len + (k > 1 ? nsep : 0);
  }
#if LUA_VERSION_NUM >= 502
  p = luaL_buffinitsize(L, &buf, total);
  for (k = 1; k <= n; k++) {
    const char *w;
    lua_rawgeti(L, 1, k);
    w = lua_tolstring(L, -1, &len);
    if (k > 1) {
      memcpy(p, sep, nsep);
      p += nsep;
    }
    memcpy(p, w, len);
    p += len;
    lua_pop(L, 1);
  }
  luaL_pushresultsize(&buf, total);
#else
  (void)p;
  luaL_buffinit(L, &buf);
  for (k = 1; k <= n; k++) {
    if (k > 1) luaL_addlstring(&buf, sep, nsep);
    lua_rawgeti(L, 1, k);
    luaL_addvalue(&buf);
  }
  luaL_pushresult(&buf);
#endif
  return 1;
}

void lede_open_text(lua_State *L) {
  static const luaL_Reg methods[] = {
      {"orig", map_orig},
      {"span", map_span},
      {"input_length", map_input_length},
      {"segments", map_segments},
      {"close", map_close},
      {NULL, NULL},
  };
  static const luaL_Reg funcs[] = {
      {"utf8_check", l_utf8_check},
      {"count", l_count},
      {"find_back", l_find_back},
      {"join", l_join},
      {NULL, NULL},
  };
  NormScratch *sc;
  lede_new_type(L, LEDE_MAP, methods, map_close, map_tostring, map_len);
  luaL_setfuncs(L, funcs, 0);
  /* core.normalize, with its buffers (a userdata whose __gc frees them) */
  sc = (NormScratch *)lua_newuserdatauv(L, sizeof(NormScratch), 0);
  memset(sc, 0, sizeof *sc);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, scratch_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, l_normalize, 1);
  lua_setfield(L, -2, "normalize");
  /* map:records, with its upvalues */
  luaL_getmetatable(L, LEDE_MAP);
  lua_getfield(L, -1, "__index");
  lua_pushvalue(L, -2);
  lua_pushliteral(L, "i");
  lua_pushliteral(L, "j");
  lua_pushliteral(L, "start");
  lua_pushliteral(L, "stop");
  lua_pushcclosure(L, map_records, 5);
  lua_setfield(L, -2, "records");
  /* map:place, with the same upvalues */
  lua_pushvalue(L, -2);
  lua_pushliteral(L, "i");
  lua_pushliteral(L, "j");
  lua_pushliteral(L, "start");
  lua_pushliteral(L, "stop");
  lua_pushcclosure(L, map_place, 5);
  lua_setfield(L, -2, "place");
  lua_pop(L, 2);
}
