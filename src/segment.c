/* segment.c: lines, blocks (paragraphs), sentences and tokens.
 *
 * Owns core.lines, core.blocks, core.sentences, core.block_sentences and
 * core.tokens, and the sentence splitter that core.body_sentences
 * (src/quotes.c) also cuts with (lede_split_sentences). Every
 * scanner works on normalised or raw text alike: white space is Unicode's
 * (U+00A0 and friends), line breaks are LF, CR, CRLF, U+0085, U+2028 and
 * U+2029, invisible and control characters count as white space, and an
 * invalid byte is a one-byte character that is neither white space nor
 * part of a word. With opts.map (a lede.OffsetMap from core.normalize)
 * positions are returned in the map's input instead of the string. */
#include <string.h>

#include "lede.h"

/* ---- character classes ---------------------------------------------- */

/* White space for segmentation (line breaks excluded). */
static int is_space(uint32_t cp) {
  if (cp < 0x80) return cp <= 0x20 || cp == 0x7F; /* space and controls */
  return cp != LEDE_BAD && (lede_is_hspace(cp) || lede_is_invisible(cp) || lede_is_control(cp));
}

static int is_digit(uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) || (cp >= 0x6F0 && cp <= 0x6F9) ||
         (cp >= 0x966 && cp <= 0x96F) || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* 1 upper case, 2 lower case, 0 uncased (or a script lede does not fold). */
static int case_of(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? 1 : (cp >= 'a' && cp <= 'z') ? 2 : 0;
  if (cp >= 0x1E00 && cp <= 0x1EFF) return (cp & 1) ? 2 : 1; /* Latin Extended Additional */
  if (lede_fold(cp) != cp) return 1;
  if ((cp >= 0xDF && cp <= 0xFF && cp != 0xF7) || (cp >= 0x100 && cp < 0x180) ||
      (cp >= 0x3AC && cp <= 0x3CE) || (cp >= 0x430 && cp <= 0x45F) ||
      (cp >= 0x460 && cp <= 0x52F))
    return 2; /* folds to itself within a folded range: lower case */
  return 0;
}

static int is_closer(uint32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x2019 || cp == 0x201D ||
         cp == 0xBB || cp == 0x203A || cp == 0x300D || cp == 0x300F || cp == 0xFF09;
}

static int is_opener(uint32_t cp) {
  return cp == '"' || cp == '\'' || cp == '(' || cp == '[' || cp == 0x2018 || cp == 0x201C ||
         cp == 0xAB || cp == 0x2039 || cp == 0xBF || cp == 0xA1 || cp == 0x300C || cp == 0x300E;
}

static int is_terminator(uint32_t cp) { return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026; }

/* Full stops that end a sentence without a following space (CJK). */
static int is_cjk_terminator(uint32_t cp) { return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F; }

/* Eight bytes at a time (little-endian machines, where the first byte of a
 * word is its lowest): ones in every byte, the high bits, the low 7 bits. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
#define LOWS UINT64_C(0x7F7F7F7F7F7F7F7F)
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_POSITIONS 1
/* The high bit of every zero byte of w, exactly. */
static uint64_t zero_bytes(uint64_t w) { return ~(((w & LOWS) + LOWS) | w | LOWS); }
/* Index of the first and of the last byte marked in m (m != 0). */
static size_t low_byte(uint64_t m) { return (size_t)__builtin_ctzll(m) / 8; }
static size_t high_byte(uint64_t m) { return (size_t)(63 - __builtin_clzll(m)) / 8; }
/* The bytes of w that are not sent_plain (0x20..0x7E but ! . ?): the
 * lowest byte marked is exact (borrows and carries run upwards only), the
 * ones above it may be marked wrongly. */
static uint64_t unplain8(uint64_t w) {
  return ((w - ONES * 0x20) & ~w & HIGHS) | (((w + ONES) | w) & HIGHS) | zero_bytes(w ^ (ONES * '.')) |
         zero_bytes(w ^ (ONES * '!')) | zero_bytes(w ^ (ONES * '?'));
}
/* Whether all eight bytes are printable ASCII or spaces (0x20..0x7E). */
static int printable8(uint64_t w) {
  return !((w - ONES * 0x20) & ~w & HIGHS) && !(((w + ONES) | w) & HIGHS);
}
/* The bytes of w that are not printable ASCII: the lowest byte marked is
 * exact (borrows and carries run upwards only). */
static uint64_t unprintable8(uint64_t w) {
  return ((w - ONES * 0x20) & ~w & HIGHS) | (((w + ONES) | w) & HIGHS);
}
/* The high bit of every ASCII closer (" ' ) ]) of w. */
static uint64_t closer_bytes(uint64_t w) {
  return zero_bytes(w ^ (ONES * '"')) | zero_bytes(w ^ (ONES * '\'')) |
         zero_bytes(w ^ (ONES * ')')) | zero_bytes(w ^ (ONES * ']'));
}
#else
#define SWAR_POSITIONS 0
#endif

/* Sixteen bytes at a time where SSE2 is (every x86-64): a bit per byte of
 * s[p..p+16), set for the sent_plain ones (0x20..0x7E but ! . ?). */
#if SWAR_POSITIONS && defined(__SSE2__)
#include <emmintrin.h>
#define SSE2_RUNS 1
static unsigned plain16(const unsigned char *s) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i ok = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
  __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
                              _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')), _mm_cmpeq_epi8(v, _mm_set1_epi8('?'))));
  return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(stop, ok));
}
#else
#define SSE2_RUNS 0
#endif

/* Whether s[p] starts a well-formed two-byte character of U+00C0..U+07FF
 * (Latin-1 letters, Greek, Cyrillic, Hebrew, Arabic, ...): none of them is
 * white space, a line break, a closer or sentence punctuation. */
static int plain2(const unsigned char *s, size_t p, size_t e) {
  return s[p] >= 0xC3 && s[p] <= 0xDF && p + 1 < e && (s[p + 1] & 0xC0) == 0x80;
}

/* ---- arguments ------------------------------------------------------ */

#define OPT_MAP 1
#define OPT_MODE 2
#define OPT_LINES 4
#define OPT_RECORDS 8
#define OPT_INTO 16

typedef struct {
  LedeMap *map;
  int mode; /* 0 auto, 1 line, 2 paragraph */
  int lines;
  int records; /* blocks as {i=, j=, text=, start=, stop=} tables */
  int fields;  /* stack index of a table copied into every record, or 0 */
  int into;    /* an array to append to (resolved to a stack index), or 0 */
  int keys;    /* stack index of the first of the record keys (push_keys), or 0 */
  int pairs;   /* stack index of the first key of the fields' pairs (cache_fields), or 0 */
  int npairs;  /* how many pairs are there */
} SegOpts;

static void check_opts(lua_State *L, int idx, const char *fname, int allow, size_t n, SegOpts *o) {
  o->keys = 0;
  o->pairs = 0;
  o->npairs = 0;
  o->map = NULL;
  o->mode = 0;
  o->lines = 1;
  o->records = 0;
  o->fields = 0;
  o->into = 0;
  if (lua_isnoneornil(L, idx)) return;
  if (!lua_istable(L, idx))
    luaL_error(L, "bad argument #%d to '%s' (options table expected, got %s)", idx, fname,
               luaL_typename(L, idx));
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (k == NULL) luaL_error(L, "%s: unknown option (a %s key)", fname, luaL_typename(L, -2));
    if ((allow & OPT_MAP) && strcmp(k, "map") == 0) {
      LedeMap *m = (LedeMap *)luaL_testudata(L, -1, LEDE_MAP);
      if (m == NULL)
        luaL_error(L, "%s: option 'map' must be a " LEDE_MAP ", got %s", fname, luaL_typename(L, -1));
      o->map = lede_checkmap(L, lua_gettop(L));
      if (lede_map_length(o->map) != n)
        luaL_error(L, "%s: option 'map' belongs to a text of %d bytes, not to this one (%d bytes)",
                   fname, (int)lede_map_length(o->map), (int)n);
    } else if ((allow & OPT_MODE) && strcmp(k, "mode") == 0) {
      const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
      if (strcmp(v, "auto") == 0) o->mode = 0;
      else if (strcmp(v, "line") == 0) o->mode = 1;
      else if (strcmp(v, "paragraph") == 0) o->mode = 2;
      else
        luaL_error(L, "%s: option 'mode' must be \"line\", \"paragraph\" or \"auto\", got %s", fname,
                   lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1));
    } else if ((allow & OPT_LINES) && strcmp(k, "lines") == 0) {
      if (!lua_isboolean(L, -1))
        luaL_error(L, "%s: option 'lines' must be a boolean, got %s", fname, luaL_typename(L, -1));
      o->lines = lua_toboolean(L, -1);
    } else if ((allow & OPT_RECORDS) && strcmp(k, "records") == 0) {
      if (!lua_isboolean(L, -1))
        luaL_error(L, "%s: option 'records' must be a boolean, got %s", fname, luaL_typename(L, -1));
      o->records = lua_toboolean(L, -1);
    } else if ((allow & OPT_RECORDS) && strcmp(k, "fields") == 0) {
      if (!lua_istable(L, -1))
        luaL_error(L, "%s: option 'fields' must be a table, got %s", fname, luaL_typename(L, -1));
      o->fields = 1; /* resolved to a stack index by the caller */
    } else if ((allow & OPT_INTO) && strcmp(k, "into") == 0) {
      if (!lua_istable(L, -1))
        luaL_error(L, "%s: option 'into' must be a table, got %s", fname, luaL_typename(L, -1));
      o->into = 1; /* resolved to a stack index by the caller */
    } else {
      luaL_error(L, "%s: unknown option '%s'", fname, k);
    }
    lua_pop(L, 1);
  }
}

static void check_range(lua_State *L, int idx, size_t n, size_t *b, size_t *e) {
  lua_Integer i = luaL_optinteger(L, idx, 1);
  lua_Integer j = luaL_optinteger(L, idx + 1, -1);
  lede_range(i, j, n, b, e);
}

/* Appends the 1-based inclusive pair for [b, e) to the array at index t. */
static void push_pair(lua_State *L, int t, lua_Integer k, const SegOpts *o, size_t b, size_t e) {
  if (o->map) lede_map_span(o->map, b, e, &b, &e);
  lua_createtable(L, 2, 0);
  lua_pushinteger(L, (lua_Integer)b + 1);
  lua_rawseti(L, -2, 1);
  lua_pushinteger(L, (lua_Integer)e);
  lua_rawseti(L, -2, 2);
  lua_rawseti(L, t, (int)k);
}

/* The keys of records, pushed once per call (a C string key would be
 * looked up in Lua's string cache for every field): o->keys + KEY_*. */
enum { KEY_I, KEY_J, KEY_START, KEY_STOP, KEY_TEXT, KEY_BLOCK, NKEYS };

static void push_keys(lua_State *L, SegOpts *o) {
  int k;
  luaL_checkstack(L, NKEYS + 8, "too many nested calls");
  /* (the functions that make records hold the keys as their first NKEYS
   * upvalues: copied, not looked up again in Lua's string table) */
  for (k = 0; k < NKEYS; k++) lua_pushvalue(L, lua_upvalueindex(k + 1));
  o->keys = lua_gettop(L) - NKEYS + 1;
}

/* The pairs of the table at o->fields, pushed once per call as key, value,
 * key, value... (a walk with lua_next for every record costs more); a
 * table of more than FIELDS_CACHED pairs is walked each time instead. */
#define FIELDS_CACHED 16

static void cache_fields(lua_State *L, SegOpts *o) {
  int base = lua_gettop(L), n = 0;
  luaL_checkstack(L, 2 * FIELDS_CACHED + 8, "too many nested calls");
  lua_pushnil(L);
  while (lua_next(L, o->fields)) {
    if (++n > FIELDS_CACHED) {
      lua_settop(L, base);
      return;
    }
    lua_pushvalue(L, -2); /* key, value, key */
  }
  o->pairs = base + 1;
  o->npairs = n;
}

/* Sets the pairs of the table at o->fields in the table on top. */
static void set_fields(lua_State *L, const SegOpts *o) {
  int k;
  if (o->pairs) {
    for (k = 0; k < o->npairs; k++) {
      lua_pushvalue(L, o->pairs + 2 * k);
      lua_pushvalue(L, o->pairs + 2 * k + 1);
      lua_rawset(L, -3);
    }
    return;
  }
  lua_pushnil(L);
  while (lua_next(L, o->fields)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -4);
  }
}

/* Sets field key (KEY_*) of the table on top to the integer v. */
static void set_int(lua_State *L, const SegOpts *o, int key, lua_Integer v) {
  lua_pushvalue(L, o->keys + key);
  lua_pushinteger(L, v);
  lua_rawset(L, -3);
}

/* Appends the record of the block [b, e) of s to the array at index t:
 * {i=, j=, text=, start=, stop=} plus the pairs of the table at o->fields;
 * text has every LF turned into a space (one_line: the block is one line,
 * with none). */
static void push_record(lua_State *L, int t, lua_Integer k, const SegOpts *o,
                        const unsigned char *s, size_t b, size_t e, int one_line) {
  size_t ob = b, oe = e;
  const void *lf = !one_line && e > b ? memchr(s + b, '\n', e - b) : NULL;
  if (o->map) lede_map_span(o->map, b, e, &ob, &oe);
  lua_createtable(L, 0, 8);
  set_int(L, o, KEY_I, (lua_Integer)b + 1);
  set_int(L, o, KEY_J, (lua_Integer)e);
  set_int(L, o, KEY_START, (lua_Integer)ob + 1);
  set_int(L, o, KEY_STOP, (lua_Integer)oe);
  lua_pushvalue(L, o->keys + KEY_TEXT);
  if (lf == NULL) {
    lua_pushlstring(L, (const char *)s + b, e - b);
  } else {
    luaL_Buffer buf;
    size_t p = b;
    luaL_buffinit(L, &buf);
    while (lf != NULL) {
      size_t q = (size_t)((const unsigned char *)lf - s);
      luaL_addlstring(&buf, (const char *)s + p, q - p);
      luaL_addchar(&buf, ' ');
      p = q + 1;
      lf = p < e ? memchr(s + p, '\n', e - p) : NULL;
    }
    luaL_addlstring(&buf, (const char *)s + p, e - p);
    luaL_pushresult(&buf);
  }
  lua_rawset(L, -3);
  if (o->fields) set_fields(L, o);
  lua_rawseti(L, t, (int)k);
}

/* Appends {i=, j=} for [b, e) (through o->map when given) plus the pairs
 * of the table at o->fields to the array at index t. */
static void push_ij(lua_State *L, int t, lua_Integer k, const SegOpts *o, size_t b, size_t e) {
  if (o->map) lede_map_span(o->map, b, e, &b, &e);
  lua_createtable(L, 0, 4);
  set_int(L, o, KEY_I, (lua_Integer)b + 1);
  set_int(L, o, KEY_J, (lua_Integer)e);
  if (o->fields) set_fields(L, o);
  lua_rawseti(L, t, (int)k);
}

/* ---- lines ---------------------------------------------------------- */

typedef struct {
  size_t b, e;      /* content, leading and trailing white space excluded */
  size_t next;      /* where the next line starts */
  size_t width;     /* content width in characters */
  size_t firstw;    /* width of the first word */
  int blank;
  int para_after;   /* ended by U+2029 */
  int final;        /* ends with sentence punctuation (closers aside) */
} Line;

/* ASCII characters that are neither white space nor closers: a run of
 * them is taken in one step. */
static const unsigned char plain_ascii[256] = {
#define R8(a, b, c, d, e, f, g, h) a, b, c, d, e, f, g, h
    R8(0, 0, 0, 0, 0, 0, 0, 0), R8(0, 0, 0, 0, 0, 0, 0, 0), R8(0, 0, 0, 0, 0, 0, 0, 0),
    R8(0, 0, 0, 0, 0, 0, 0, 0),
    R8(0, 1, 0, 1, 1, 1, 1, 0), R8(1, 0, 1, 1, 1, 1, 1, 1), /* space ! " # $ % & ' ( ) * ... */
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 1, 1),
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 1, 1),
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 0, 1, 1), /* ] */
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 1, 1),
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 1, 0), /* DEL */
#undef R8
    /* 0x80..0xFF: 0 */
};

/* next_line for the most common lines: up to an LF or the end of the text,
 * printable ASCII (0x20..0x7E), two-byte characters of U+00C0..U+07FF
 * (plain2) and of U+00A1..U+00BF but U+00AD and U+00BB (signs), U+2010..
 * U+2027 (dashes, quotes, bullets, the ellipsis) and U+2080..U+2FFF
 * (symbols, arrows, shapes).
 * Among those the space is the only white space, U+2019 and U+201D the
 * only closers besides ASCII's, U+2026 the only terminator besides ASCII's;
 * so the fields are read from the line's ends and its count of
 * continuation bytes. Returns 0, having set nothing, for any other line. */
static int simple_line(const unsigned char *s, size_t p, size_t e, Line *ln) {
  size_t q, k = p, b, en, f, w, cont = 0;
  /* up to the LF (found by the scan: it is no printable byte) or the end */
  while (k < e) {
    int c;
#if SSE2_RUNS
    while (k + 16 <= e) { /* sixteen at a time, up to the LF or the first byte that is not printable */
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
      unsigned m = (unsigned)_mm_movemask_epi8(
          _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F))));
      unsigned lf, before, two;
      if (m == 0xFFFFu) {
        k += 16;
        continue;
      }
      lf = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
      before = lf ? (lf & (0u - lf)) - 1u : 0xFFFFu; /* the bytes before the LF */
      if ((m & before) != before) {
        /* printable ASCII and two-byte letters (plain2) whole in the
         * sixteen (signed bytes: 0xC3..0xDF are -61..-33, 0x80..0xBF are
         * below -64) */
        unsigned lw = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-62)), _mm_cmplt_epi8(v, _mm_set1_epi8(-32))));
        unsigned ct = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
        unsigned bad;
        two = lw & (ct >> 1);
        bad = ~(m | two | (two << 1)) & before;
        if (bad) { /* up to it (the other characters one by one) */
          unsigned n = (unsigned)__builtin_ctz(bad);
          cont += lede_pop16(two & ((1u << n) - 1u));
          k += n;
          goto one;
        }
        cont += lede_pop16(two & before);
      }
      if (lf) {
        k += (size_t)__builtin_ctz(lf);
        goto lf_found;
      }
      k += 16;
    }
#endif
#if SWAR_POSITIONS
    if (k + 8 <= e) { /* eight at a time, up to the first byte that is not printable */
      uint64_t w, bad;
      memcpy(&w, s + k, 8);
      bad = unprintable8(w);
      if (!bad) {
        k += 8;
        continue;
      }
      k += low_byte(bad);
    }
#endif
#if SSE2_RUNS
  one:
#endif
    c = s[k];
    if (c >= 0x20 && c <= 0x7E) {
      k++;
    } else if (c == '\n') {
      break;
    } else if (plain2(s, k, e)) { /* a run of two-byte letters */
      do {
        k += 2;
        cont++;
      } while (k < e && plain2(s, k, e));
    } else if (c == 0xC2 && k + 1 < e && s[k + 1] >= 0xA1 && s[k + 1] <= 0xBF && s[k + 1] != 0xAD
               && s[k + 1] != 0xBB) { /* U+00A1..U+00BF but for U+00AD and U+00BB */
      k += 2;
      cont++;
    } else if (c == 0xE2 && k + 2 < e
               && ((s[k + 1] == 0x80 && s[k + 2] >= 0x90 && s[k + 2] <= 0xA7)
                   || (s[k + 1] >= 0x82 && s[k + 1] <= 0xBF && (s[k + 2] & 0xC0) == 0x80))) {
      k += 3; /* U+2010..U+2027, U+2080..U+2FFF */
      cont += 2;
    } else {
      return 0;
    }
  }
#if SSE2_RUNS
lf_found:
#endif
  q = k;
  ln->next = q < e ? q + 1 : e;
  ln->para_after = 0;
  for (b = p; b < q && s[b] == ' '; b++) {}
  if (b == q) {
    ln->b = ln->e = p;
    ln->blank = 1;
    ln->firstw = ln->width = 0;
    ln->final = 0;
    return 1;
  }
  for (en = q; s[en - 1] == ' '; en--) {}
  ln->b = b;
  ln->e = en;
  ln->blank = 0;
  ln->width = en - b - cont; /* the continuation bytes are all inside */
  f = b;
  w = 0;
#if SSE2_RUNS
  while (f + 16 <= en) { /* the first word, sixteen bytes at a time while ASCII */
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + f));
    unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
    unsigned hi = (unsigned)_mm_movemask_epi8(v);
    unsigned word = sp ? (1u << __builtin_ctz(sp)) - 1 : 0xFFFFu; /* the bytes before the space */
    if (hi & word) break;
    if (sp) {
      w += (size_t)__builtin_ctz(sp);
      f += (size_t)__builtin_ctz(sp);
      break;
    }
    w += 16;
    f += 16;
  }
#endif
  for (; f < en && s[f] != ' '; f++) w += (s[f] & 0xC0) != 0x80;
  ln->firstw = w;
  /* the last character that is neither a space nor a closer */
  ln->final = 0;
  for (f = en; f > b;) {
    int c = s[f - 1];
    if (c < 0x80) {
      if (c == ' ' || c == '"' || c == '\'' || c == ')' || c == ']') { /* (is_closer's ASCII ones) */
        f--;
        continue;
      }
      ln->final = is_terminator((uint32_t)c);
      break;
    }
    if (f - b >= 3 && s[f - 3] == 0xE2 && s[f - 2] == 0x80) { /* U+2010..U+2027 */
      if (c == 0x99 || c == 0x9D) {
        f -= 3;
        continue;
      }
      ln->final = c == 0xA6;
    }
    break; /* a letter of two bytes */
  }
  return 1;
}

static void next_line(const unsigned char *s, size_t p, size_t e, Line *ln) {
  size_t cnt = 0, cnt_b = 0, cnt_e = 0, len;
  int in_first = 0;
  uint32_t fin = 0;
  if (p < e && simple_line(s, p, e, ln)) return;
  ln->b = ln->e = p;
  ln->blank = 1;
  ln->para_after = 0;
  ln->firstw = 0;
  while (p < e) {
    uint32_t cp;
#if SWAR_POSITIONS
    if (p + 8 <= e) { /* eight printable ASCII bytes at a time */
      uint64_t w, sps, nsp, nc;
      memcpy(&w, s + p, 8);
      if (printable8(w)) {
        sps = zero_bytes(w ^ (ONES * 0x20));
        nsp = ~sps & HIGHS;
        if (nsp == 0) {
          in_first = 0;
        } else {
          size_t last = high_byte(nsp), from = 0;
          uint64_t later = sps; /* the spaces after the content starts */
          if (ln->blank) {
            from = low_byte(nsp);
            ln->blank = 0;
            ln->b = p + from;
            cnt_b = cnt + from;
            in_first = 1;
            later = from == 7 ? 0 : sps >> (8 * (from + 1)) << (8 * (from + 1));
          }
          if (in_first) { /* the first word runs to the next space */
            if (later) {
              ln->firstw += low_byte(later) - from;
              in_first = 0;
            } else {
              ln->firstw += 8 - from;
            }
          }
          ln->e = p + last + 1;
          cnt_e = cnt + last + 1;
          if (!is_closer(s[p + last])) { /* the last content byte: the final one */
            fin = s[p + last];
          } else {
            nc = nsp & ~closer_bytes(w);
            if (nc) fin = s[p + high_byte(nc)];
          }
        }
        cnt += 8;
        p += 8;
        continue;
      }
    }
#endif
    if (plain2(s, p, e)) { /* a letter of two bytes */
      cnt++;
      if (ln->blank) {
        ln->blank = 0;
        ln->b = p;
        cnt_b = cnt - 1;
        in_first = 1;
      }
      if (in_first) ln->firstw++;
      ln->e = p + 2;
      cnt_e = cnt;
      fin = ((uint32_t)(s[p] & 0x1F) << 6) | (s[p + 1] & 0x3F);
      p += 2;
      continue;
    }
    if (plain_ascii[s[p]]) { /* a run of plain ASCII */
      size_t q = p + 1, run;
      while (q < e && plain_ascii[s[q]]) q++;
      run = q - p;
      cnt += run;
      if (ln->blank) {
        ln->blank = 0;
        ln->b = p;
        cnt_b = cnt - run;
        in_first = 1;
      }
      if (in_first) ln->firstw += run;
      ln->e = q;
      cnt_e = cnt;
      fin = s[q - 1];
      p = q;
      continue;
    }
    if (s[p] < 0x80 && s[p] != 0x0A && s[p] != 0x0D) { /* ASCII but a line break */
      cp = s[p];
      len = 1;
    } else {
      cp = lede_utf8_decode(s, p, e, &len);
      if (lede_is_vspace(cp)) {
        size_t blen = len;
        if (cp == 0x0D && p + 1 < e && s[p + 1] == 0x0A) blen = 2;
        ln->para_after = cp == 0x2029;
        ln->next = p + blen;
        goto done;
      }
    }
    cnt++;
    if (is_space(cp)) {
      in_first = 0;
    } else {
      if (ln->blank) {
        ln->blank = 0;
        ln->b = p;
        cnt_b = cnt - 1;
        in_first = 1;
      }
      if (in_first) ln->firstw++;
      ln->e = p + len;
      cnt_e = cnt;
      if (!is_closer(cp)) fin = cp;
    }
    p += len;
  }
  ln->next = e;
done:
  ln->width = ln->blank ? 0 : cnt_e - cnt_b;
  ln->final = is_terminator(fin) || is_cjk_terminator(fin);
}

/* core.lines(s [, i [, j [, opts]]]) */
static int l_lines(lua_State *L) {
  size_t n, b, e, p;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  SegOpts o;
  lua_Integer k = 0;
  Line ln;
  check_range(L, 2, n, &b, &e);
  check_opts(L, 4, "lines", OPT_MAP, n, &o);
  lua_newtable(L);
  for (p = b; p < e; p = ln.next) {
    next_line(s, p, e, &ln);
    if (!ln.blank) push_pair(L, lua_gettop(L), ++k, &o, ln.b, ln.e);
  }
  return 1;
}

/* ---- blocks --------------------------------------------------------- */

#define HMAX 512

/* The lines of s[b, e), read once into an array when there are at most
 * LINES_CACHED of them (blocks reads them three times), else read again on
 * each pass. */
#define LINES_CACHED 4096

typedef struct {
  const unsigned char *s;
  size_t b, e;
  Line *cache; /* NULL: read on each pass */
  size_t n;    /* lines in the cache */
} LineSrc;

/* Fills src (the cache lives in a userdata left on the stack, or nil):
 * the lines go into the caller's buffer of nlocal; a text with more gets
 * a userdata sized by its count of LFs still to come (other line breaks,
 * CR, U+2028, ..., may make more lines than that: such a text, or one of
 * more than LINES_CACHED lines, is read again on each pass). */
static void lines_open(lua_State *L, LineSrc *src, const unsigned char *s, size_t b, size_t e,
                       Line *local, size_t nlocal) {
  size_t p, cap = nlocal;
  int pushed = 0;
  src->s = s;
  src->b = b;
  src->e = e;
  src->cache = local;
  src->n = 0;
  for (p = b; p < e; p = src->cache[src->n++].next) {
    if (src->n == cap) { /* full */
      size_t more = 0;
      const unsigned char *q;
      Line *big;
      if (src->cache != local) break; /* more line breaks than LFs */
      for (q = s + p; q < s + e && more < LINES_CACHED; more++) {
        q = (const unsigned char *)memchr(q, '\n', (size_t)(s + e - q));
        q = q != NULL ? q + 1 : s + e;
      }
      if (src->n + more >= LINES_CACHED) break;
      cap = src->n + more + 1;
      big = (Line *)lua_newuserdatauv(L, cap * sizeof(Line), 0);
      pushed = 1;
      memcpy(big, local, src->n * sizeof(Line));
      src->cache = big;
    }
    next_line(s, p, e, &src->cache[src->n]);
  }
  if (p < e) { /* given up: read on each pass */
    src->cache = NULL;
    src->n = 0;
  }
  if (!pushed) lua_pushnil(L);
}

/* The line at position p, the k-th (0-based) of the source: in the cache,
 * or read into *buf. */
static const Line *line_at(const LineSrc *src, size_t p, size_t k, Line *buf) {
  if (src->cache != NULL) return &src->cache[k];
  next_line(src->s, p, src->e, buf);
  return buf;
}

/* The wrap width of hard-wrapped text: the 95th percentile of the widths
 * of lines followed by another line of the same paragraph (0 if there are
 * fewer than 3 such lines). */
static size_t wrap_width(const LineSrc *src, size_t *ncand, size_t *nonblank) {
  size_t hist[HMAX], p, w, acc, goal, k = 0, b = src->b, e = src->e;
  Line buf[2];
  const Line *cur, *nxt = NULL;
  memset(hist, 0, sizeof hist);
  *ncand = *nonblank = 0;
  if (b >= e) return 0;
  cur = line_at(src, b, k++, &buf[0]);
  for (p = cur->next;; p = nxt->next) {
    int more = p < e;
    if (more) nxt = line_at(src, p, k++, cur == &buf[0] ? &buf[1] : &buf[0]);
    if (!cur->blank) {
      (*nonblank)++;
      if (more && !nxt->blank && !cur->para_after) {
        hist[cur->width < HMAX ? cur->width : HMAX - 1]++;
        (*ncand)++;
      }
    }
    if (!more) break;
    cur = nxt;
  }
  if (*ncand < 3) return 0;
  goal = (*ncand * 95 + 99) / 100;
  for (w = 0, acc = 0; w < HMAX; w++) {
    acc += hist[w];
    if (acc >= goal) break;
  }
  return w;
}

/* Whether the text looks hard-wrapped: most lines that continue a paragraph
 * fill the wrap width, end mid-sentence, and the next line's first word
 * would not have fitted after them. */
static int looks_wrapped(const LineSrc *src, size_t W, size_t ncand, size_t nonblank) {
  size_t p, wrapped = 0, k = 0, b = src->b, e = src->e;
  Line buf[2];
  const Line *cur, *nxt;
  if (W < 30 || W > 160) return 0;
  cur = line_at(src, b, k++, &buf[0]);
  for (p = cur->next; p < e; p = nxt->next) {
    nxt = line_at(src, p, k++, cur == &buf[0] ? &buf[1] : &buf[0]);
    if (!cur->blank && !nxt->blank && !cur->para_after && cur->width * 2 >= W && cur->width <= W &&
        cur->width + 1 + nxt->firstw > W && !cur->final)
      wrapped++;
    cur = nxt;
  }
  return wrapped >= 3 && wrapped * 2 >= ncand && wrapped * 4 >= nonblank;
}

/* core.blocks(s [, i [, j]] [, opts]) -> blocks, mode */
static int l_blocks(lua_State *L) {
  size_t n, b, e, p, W = 0, ncand, nonblank = 0, cb = 0, ce = 0;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  SegOpts o;
  lua_Integer k = 0;
  int open = 0, t;
  LineSrc src;
  Line local[128];
  int oi = lua_istable(L, 2) ? 2 : 4;
  if (oi == 2) {
    lede_range(1, -1, n, &b, &e);
  } else {
    check_range(L, 2, n, &b, &e);
  }
  check_opts(L, oi, "blocks", OPT_MAP | OPT_MODE | OPT_RECORDS, n, &o);
  if (o.fields) {
    lua_getfield(L, oi, "fields");
    o.fields = lua_gettop(L);
  }
  if (o.mode != 1) {
    lines_open(L, &src, s, b, e, local, sizeof local / sizeof local[0]);
    W = wrap_width(&src, &ncand, &nonblank);
    if (o.mode == 0) o.mode = looks_wrapped(&src, W, ncand, nonblank) ? 2 : 1;
  } else {
    src.s = s;
    src.b = b;
    src.e = e;
    src.cache = NULL;
    src.n = 0;
  }
  /* one block per non-blank line at most: the array made at its size */
  lua_createtable(L, nonblank < 100000 ? (int)nonblank : 0, 0);
  t = lua_gettop(L);
  if (o.records) push_keys(L, &o);
  if (o.fields) cache_fields(L, &o);
  if (b < e) {
    size_t kl = 0;
    Line buf[2];
    const Line *cur, *nxt = NULL;
    cur = line_at(&src, b, kl++, &buf[0]);
    for (p = cur->next;; p = nxt->next) {
      int more = p < e;
      if (more) nxt = line_at(&src, p, kl++, cur == &buf[0] ? &buf[1] : &buf[0]);
      if (!cur->blank) {
        if (!open) {
          open = 1;
          cb = cur->b;
        } else {
          open = 2; /* more than one line */
        }
        ce = cur->e;
        /* a paragraph ends at a blank line, at U+2029, or (wrapped text)
         * after a short line ending a sentence */
        if (o.mode == 1 || !more || nxt->blank || cur->para_after ||
            (W > 0 && cur->final && cur->width + 1 + nxt->firstw <= W)) {
          if (o.records) push_record(L, t, ++k, &o, s, cb, ce, open == 1);
          else push_pair(L, t, ++k, &o, cb, ce);
          open = 0;
        }
      }
      if (!more) break;
      cur = nxt;
    }
  }
  lua_settop(L, t);
  lua_pushvalue(L, lua_upvalueindex(o.mode == 2 ? NKEYS + 2 : NKEYS + 1)); /* "paragraph", "line" */
  return 2;
}

/* ---- sentences ------------------------------------------------------ */

/* Whether [b, e) (a token ending in its only full stop) is an initial or an
 * initialism: "J.", "U.S.", "e.g." */
static int is_initialism(const unsigned char *s, size_t b, size_t e) {
  size_t p = b, len, letters = 0;
  uint32_t first = 0;
  while (p < e) {
    uint32_t cp = lede_utf8_decode(s, p, e, &len);
    if (!lede_is_word(cp) || is_digit(cp) || p + len >= e || s[p + len] != '.') return 0;
    if (letters == 0) first = cp;
    letters++;
    p += len + 1;
  }
  return letters >= 2 || (letters == 1 && case_of(first) == 1);
}

/* Where core.sentences and core.block_sentences put the sentences:
 * appended to the array at index t (k elements so far) as pairs, as
 * records {i=, j=} plus the fields of o, or (block > 0) as records
 * {i=, j=, block=}; abbrevs: the stack index of the abbreviation set, or 0. */
typedef struct {
  lua_State *L;
  int t, abbrevs;
  lua_Integer k;
  const SegOpts *o;
  lua_Integer block;
  size_t abbr_max; /* the longest key of the abbreviations, SIZE_MAX: not known yet */
} SentOut;

/* A token looked up again (see lede_split_sentences) up to this long is
 * looked up at once; a longer one only when some key of the abbreviations
 * is as long. */
#define ABBR_SHORT 32

/* The byte length of the longest string key of the table at index t. */
static size_t longest_key(lua_State *L, int t) {
  size_t max = 0, len;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      lua_tolstring(L, -1, &len);
      if (len > max) max = len;
    }
  }
  return max;
}

static void push_sentence(void *ud, size_t b, size_t e) {
  SentOut *out = (SentOut *)ud;
  lua_State *L = out->L;
  if (out->block > 0) {
    lua_createtable(L, 0, 3);
    set_int(L, out->o, KEY_I, (lua_Integer)b + 1);
    set_int(L, out->o, KEY_J, (lua_Integer)e);
    set_int(L, out->o, KEY_BLOCK, out->block);
    lua_rawseti(L, out->t, (int)++out->k);
  } else if (out->o->records) {
    push_ij(L, out->t, ++out->k, out->o, b, e);
  } else {
    push_pair(L, out->t, ++out->k, out->o, b, e);
  }
}

/* Whether k[0, n) is a key of the abbreviation table (its value true); a
 * token read again is looked up only when some key is as long. */
static int table_abbrev(void *ud, const unsigned char *k, size_t n, int again) {
  SentOut *out = (SentOut *)ud;
  lua_State *L = out->L;
  int r;
  if (again && n > ABBR_SHORT) {
    if (out->abbr_max == (size_t)-1) out->abbr_max = longest_key(L, out->abbrevs);
    if (n > out->abbr_max) return 0;
  }
  lua_pushlstring(L, (const char *)k, n);
  lua_rawget(L, out->abbrevs);
  r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* Splits s[b, e) into the sentences of out. */
static void split_into(const unsigned char *s, size_t b, size_t e, int lines, SentOut *out) {
  LedeSentSink sink;
  sink.push = push_sentence;
  sink.abbrev = out->abbrevs ? table_abbrev : NULL;
  sink.ud = out;
  lede_split_sentences(s, b, e, lines, &sink);
}

/* Characters the sentence scanner passes over without a second look:
 * ASCII other than white space, controls and . ! ? (1), and the space (2). */
static const unsigned char sent_plain[256] = {
#define R8(a, b, c, d, e, f, g, h) a, b, c, d, e, f, g, h
    R8(0, 0, 0, 0, 0, 0, 0, 0), R8(0, 0, 0, 0, 0, 0, 0, 0), R8(0, 0, 0, 0, 0, 0, 0, 0),
    R8(0, 0, 0, 0, 0, 0, 0, 0),
    R8(2, 0, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 0, 1), /* space ! ... . */
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 1, 0), /* ? */
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 1, 1),
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 1, 1),
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 1, 1),
    R8(1, 1, 1, 1, 1, 1, 1, 1), R8(1, 1, 1, 1, 1, 1, 1, 0), /* DEL */
#undef R8
    /* 0x80..0xFF: 0 */
};

/* The sentences of s[b, e) (see core.sentences), the one splitter of
 * core.sentences, core.block_sentences and core.body_sentences. */
LEDE_HIDDEN void lede_split_sentences(const unsigned char *s, size_t b, size_t e, int lines,
                                      const LedeSentSink *sink) {
  size_t p, st = 0, last_end = 0, tok = 0, len, seen_tok = (size_t)-1, seen_tb = 0;
  int open = 0, breaks = 0;
#define END_SENTENCE(stop)                                                                 \
  do {                                                                                     \
    if (open) sink->push(sink->ud, st, (stop));                                            \
    open = 0;                                                                              \
  } while (0)
  for (p = b, tok = b; p < e;) {
    uint32_t cp;
    if (sent_plain[s[p]] || plain2(s, p, e)) {
      /* a run of plain characters and spaces: no break, no end; its last
       * space moves the token start, its first plain character opens a
       * sentence. The run is skipped to its end, then its ends are read:
       * its only white space is the ASCII space, and a two-byte letter
       * ends in a continuation byte (last_pl is a character's last byte) */
      size_t r0 = p, q, first_pl = e, last_pl = e, last_sp = e;
      for (;;) {
#if SSE2_RUNS
        while (p + 16 <= e) {
          unsigned m = plain16(s + p);
          if (m != 0xFFFFu) {
            p += (size_t)__builtin_ctz(~m);
            break;
          }
          p += 16;
        }
#endif
#if SWAR_POSITIONS
        while (p + 8 <= e) { /* eight at a time, up to the first byte that is not plain */
          uint64_t w, bad;
          memcpy(&w, s + p, 8);
          bad = unplain8(w);
          if (bad) {
            p += low_byte(bad);
            break;
          }
          p += 8;
        }
#endif
        if (p >= e) break;
        if (sent_plain[s[p]]) {
          p++;
        } else if (plain2(s, p, e)) {
          do p += 2;
          while (p < e && plain2(s, p, e));
        } else {
          break;
        }
      }
      for (q = r0; q < p && s[q] == ' '; q++) {}
      if (q < p) {
        first_pl = q;
        for (q = p; s[q - 1] == ' '; q--) {}
        last_pl = q - 1;
      }
      for (q = p; q > r0 && s[q - 1] != ' '; q--) {}
      if (q > r0) last_sp = q - 1;
      if (last_sp != e) tok = last_sp + 1;
      if (last_pl != e) {
        breaks = 0;
        if (!open) {
          open = 1;
          st = first_pl;
        }
        last_end = last_pl + 1;
      }
      continue;
    }
    cp = lede_utf8_decode(s, p, e, &len);
    if (lede_is_vspace(cp)) {
      size_t blen = len;
      if (cp == 0x0D && p + 1 < e && s[p + 1] == 0x0A) blen = 2;
      breaks++;
      if (lines || breaks >= 2 || cp == 0x2029) END_SENTENCE(last_end);
      p += blen;
      tok = p;
      continue;
    }
    if (is_space(cp)) {
      p += len;
      if (!lede_is_invisible(cp)) tok = p;
      continue;
    }
    breaks = 0;
    if (!open) {
      open = 1;
      st = p;
    }
    if (is_cjk_terminator(cp)) {
      size_t r = p + len, l2;
      while (r < e && is_closer(lede_utf8_decode(s, r, e, &l2))) r += l2;
      END_SENTENCE(r);
      last_end = r;
      p = tok = r;
      continue;
    }
    if (is_terminator(cp)) {
      size_t r = p, l2, q, nterm = 0;
      int single_dot, brk = 0;
      uint32_t c2 = 0;
      while (r < e && is_terminator(c2 = lede_utf8_decode(s, r, e, &l2))) {
        r += l2;
        nterm++;
      }
      single_dot = nterm == 1 && cp == '.';
      while (r < e && is_closer(c2 = lede_utf8_decode(s, r, e, &l2))) r += l2;
      last_end = r;
      /* look past white space (and line breaks) for what starts next */
      q = r;
      while (q < e) {
        c2 = lede_utf8_decode(s, q, e, &l2);
        if (!is_space(c2) && !lede_is_vspace(c2)) break;
        q += l2;
      }
      if (q == r && q < e) brk = 0; /* no space after: "3.5", "a.m", "?!" inside */
      else if (q >= e) brk = 1;
      else brk = case_of(c2) == 1 || is_digit(c2) || is_opener(c2) ||
                 (lede_is_word(c2) && case_of(c2) == 0 && c2 != '_');
      if (brk && single_dot && r == p + 1) {
        /* the token before the period. Only invisible characters (which
         * leave tok where it is) can stand between an earlier period of the
         * same token and this one: the token then holds one, is no
         * initialism and starts at the same place; each byte is read once */
        size_t tb = seen_tb, l3;
        int again = tok == seen_tok;
        if (!again) {
          tb = tok;
          while (tb < p && is_opener(lede_utf8_decode(s, tb, p, &l3))) tb += l3;
          seen_tok = tok;
          seen_tb = tb;
        }
        if (!again && is_initialism(s, tb, p + 1)) brk = 0;
        else if (sink->abbrev && sink->abbrev(sink->ud, s + tb, p + 1 - tb, again)) brk = 0;
      }
      if (brk) END_SENTENCE(r);
      p = r;
      continue;
    }
    p += len;
    last_end = p;
  }
  END_SENTENCE(last_end);
#undef END_SENTENCE
}

/* core.sentences(s [, i [, j [, abbrevs [, opts]]]]) */
static int l_sentences(lua_State *L) {
  size_t n, b, e;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  SegOpts o;
  SentOut out;
  check_range(L, 2, n, &b, &e);
  if (!lua_isnoneornil(L, 4) && !lua_istable(L, 4))
    return luaL_error(L, "bad argument #4 to 'sentences' (table of abbreviations expected, got %s)",
                      luaL_typename(L, 4));
  check_opts(L, 5, "sentences", OPT_MAP | OPT_LINES | OPT_RECORDS | OPT_INTO, n, &o);
  lua_settop(L, 5);
  out.k = 0;
  if (o.fields) {
    lua_getfield(L, 5, "fields");
    o.fields = lua_gettop(L);
  }
  if (o.into) {
    lua_getfield(L, 5, "into");
    out.k = (lua_Integer)lua_rawlen(L, -1);
  } else {
    lua_newtable(L);
  }
  out.L = L;
  out.t = lua_gettop(L);
  out.abbrevs = lua_istable(L, 4) ? 4 : 0;
  if (o.records) push_keys(L, &o);
  if (o.fields) cache_fields(L, &o);
  out.o = &o;
  out.block = 0;
  out.abbr_max = (size_t)-1;
  split_into(s, b, e, o.lines, &out);
  lua_settop(L, out.t);
  return 1;
}

LEDE_HIDDEN int lede_sentence_opts(lua_State *L, int idx, const char *fname) {
  int lines = 1;
  if (lua_isnoneornil(L, idx)) return lines;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (key != NULL && strcmp(key, "lines") == 0) {
      if (!lua_isboolean(L, -1))
        luaL_error(L, "%s: option 'lines' must be a boolean, got %s", fname, luaL_typename(L, -1));
      lines = lua_toboolean(L, -1);
    } else if (key != NULL && strcmp(key, "kind") == 0) {
      if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "%s: option 'kind' must be a string, got %s", fname, luaL_typename(L, -1));
    } else if (key != NULL) {
      luaL_error(L, "%s: unknown option '%s'", fname, key);
    } else {
      luaL_error(L, "%s: unknown option (a %s key)", fname, luaL_typename(L, -2));
    }
    lua_pop(L, 1);
  }
  return lines;
}

LEDE_HIDDEN int lede_block_span(lua_State *L, int bt, lua_Integer k, int kt, size_t n,
                                const char *fname, size_t *b, size_t *e) {
  lua_Integer i = 0, j = 0;
  lua_rawgeti(L, bt, k);
  if (!lua_istable(L, -1))
    luaL_error(L, "%s: block %d must be a table, got %s", fname, (int)k, luaL_typename(L, -1));
  if (!lua_isnil(L, kt)) {
    int same;
    lua_getfield(L, -1, "kind");
    same = lua_type(L, -1) == LUA_TSTRING && lua_rawequal(L, -1, kt);
    lua_pop(L, 1);
    if (!same) {
      lua_pop(L, 1);
      return 0;
    }
  }
  lua_getfield(L, -1, "i");
  lua_getfield(L, -2, "j");
  if (lua_type(L, -2) != LUA_TNUMBER || lua_type(L, -1) != LUA_TNUMBER)
    luaL_error(L, "%s: block %d needs numbers i and j", fname, (int)k);
  if (!lede_whole_number(L, -2, &i) || !lede_whole_number(L, -1, &j))
    luaL_error(L, "%s: block %d needs integer positions i and j", fname, (int)k);
  lua_pop(L, 3);
  lede_range(i, j, n, b, e);
  return 1;
}

/* core.block_sentences(s, blocks, abbrevs [, opts]) -> array of
 * {i=, j=, block=k} */
static int l_block_sentences(lua_State *L) {
  size_t n, nb, k;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  SegOpts o;
  SentOut out;
  int lines;
  luaL_checktype(L, 2, LUA_TTABLE);
  if (!lua_isnoneornil(L, 3) && !lua_istable(L, 3))
    return luaL_error(L,
                      "bad argument #3 to 'block_sentences' (table of abbreviations expected, got %s)",
                      luaL_typename(L, 3));
  lines = lede_sentence_opts(L, 4, "block_sentences");
  lua_settop(L, 4);
  if (lua_istable(L, 4)) lua_getfield(L, 4, "kind"); /* index 5 */
  else lua_pushnil(L);
  memset(&o, 0, sizeof o);
  lua_newtable(L);
  out.L = L;
  out.t = lua_gettop(L); /* 6 */
  out.abbrevs = lua_istable(L, 3) ? 3 : 0;
  push_keys(L, &o);
  out.k = 0;
  out.o = &o;
  out.abbr_max = (size_t)-1;
  nb = (size_t)lua_rawlen(L, 2);
  for (k = 1; k <= nb; k++) {
    size_t b, e;
    if (!lede_block_span(L, 2, (lua_Integer)k, 5, n, "block_sentences", &b, &e)) continue;
    out.block = (lua_Integer)k;
    split_into(s, b, e, lines, &out);
  }
  lua_settop(L, out.t);
  return 1;
}

/* ---- tokens --------------------------------------------------------- */

static int is_joiner(uint32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* Byte -> 1 for an ASCII digit, 2 for an upper-case and 3 for a lower-case
 * ASCII letter, else 0 (filled by lede_open_segment). */
static unsigned char run_class[256];

/* The next token of s[p, e) at or after p: sets [*tb, *te) and its shape
 * letter; returns 0 when only white space is left. */
int lede_next_token(const unsigned char *s, size_t p, size_t e, size_t *tb, size_t *te,
                    char *shp) {
  size_t len;
  for (; p < e; p += len) {
    uint32_t cp = lede_utf8_decode(s, p, e, &len);
    size_t q = p + len;
    const char *shape = "p";
    if (is_space(cp) || lede_is_vspace(cp)) continue;
    if (lede_is_word(cp)) {
      size_t nup = 0, nlow = 0, ndig = 0, nlet = 0, l2, l3;
      int first_case = -1, caps_ok = 1, after_joiner = 0;
      uint32_t prev = cp, c = cp;
      for (;;) {
        if (is_digit(c)) ndig++;
        else if (c != '_') {
          int cs = case_of(c);
          nlet++;
          if (first_case < 0) first_case = cs;
          else if (cs == 1 && !after_joiner) caps_ok = 0;
          if (cs == 1) nup++;
          else if (cs == 2) nlow++;
        }
        after_joiner = 0;
        prev = c;
        /* a run of ASCII letters and digits, counted as above */
        if (q < e && run_class[s[q]]) {
          size_t q0 = q, nd = 0, nu = 0, nl = 0;
          do {
            unsigned k = run_class[s[q]];
            nd += k == 1;
            nu += k == 2;
            nl += k == 3;
            q++;
          } while (q < e && run_class[s[q]]);
          ndig += nd;
          nup += nu;
          nlow += nl;
          nlet += nu + nl;
          if (nu + nl > 0) {
            if (first_case < 0) { /* the run's first letter sets it */
              size_t f = q0;
              while (run_class[s[f]] == 1) f++;
              first_case = run_class[s[f]] == 2 ? 1 : 2;
              if (nu > (size_t)(first_case == 1)) caps_ok = 0;
            } else if (nu > 0) {
              caps_ok = 0;
            }
          }
          prev = s[q - 1];
        }
        if (q >= e) break;
        c = lede_utf8_decode(s, q, e, &l2);
        if (lede_is_word(c)) {
          q += l2;
          continue;
        }
        if (q + l2 < e) {
          uint32_t d = lede_utf8_decode(s, q + l2, e, &l3);
          if (lede_is_word(d) &&
              (lede_is_invisible(c) || c == 0x200C || c == 0x200D || is_joiner(c) ||
               ((c == '.' || c == ',') && is_digit(prev) && is_digit(d)))) {
            after_joiner = !lede_is_invisible(c) && c != 0x200C && c != 0x200D;
            q += l2 + l3;
            c = d;
            continue;
          }
        }
        break;
      }
      if (ndig > 0) shape = nlet == 0 ? "d" : "m";
      else if (nlet == 0) shape = "p";
      else if (nup == 0) shape = "l";
      else if (nlow == 0 && nup >= 2) shape = "U";
      else if (first_case == 1 && caps_ok) shape = "C";
      else shape = "m";
    }
    *tb = p;
    *te = q;
    *shp = shape[0];
    return 1;
  }
  return 0;
}

/* core.tokens(s [, i [, j [, opts]]]) -> {start1, stop1, shape1, ...} */
static int l_tokens(lua_State *L) {
  size_t n, b, e, p, tb, te;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  SegOpts o;
  int k = 0, t;
  char shape;
  check_range(L, 2, n, &b, &e);
  check_opts(L, 4, "tokens", OPT_MAP, n, &o);
  lua_newtable(L);
  t = lua_gettop(L);
  for (p = b; lede_next_token(s, p, e, &tb, &te, &shape); p = te) {
    size_t ob = tb, oe = te;
    if (o.map) lede_map_span(o.map, tb, te, &ob, &oe);
    lua_pushinteger(L, (lua_Integer)ob + 1);
    lua_rawseti(L, t, ++k);
    lua_pushinteger(L, (lua_Integer)oe);
    lua_rawseti(L, t, ++k);
    lua_pushlstring(L, &shape, 1);
    lua_rawseti(L, t, ++k);
  }
  return 1;
}

/* ---- token stream ----------------------------------------------------- */

static int ascii_alpha(unsigned c) { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

/* Pushes w with ASCII letters in lower case (string.lower in the C locale). */
void lede_push_lower(lua_State *L, const unsigned char *w, size_t n) {
  char small[64];
  size_t k;
  if (n <= sizeof small) { /* a word: lowered on the C stack */
    for (k = 0; k < n; k++) small[k] = (char)(w[k] >= 'A' && w[k] <= 'Z' ? w[k] + 32 : w[k]);
    lua_pushlstring(L, small, n);
  } else {
    luaL_Buffer buf;
    luaL_buffinit(L, &buf);
    for (k = 0; k < n; k++) luaL_addchar(&buf, (char)(w[k] >= 'A' && w[k] <= 'Z' ? w[k] + 32 : w[k]));
    luaL_pushresult(&buf);
  }
}

/* Pushes the lookup key of a word: lower case, and a possessive "'s" or
 * "’s" dropped unless what is left is in the set at index cset ("it's").
 * w is at stack index wi. */
void lede_push_token_key(lua_State *L, int wi, const unsigned char *w, size_t n, int cset) {
  size_t k, cut = 0;
  int upper = 0;
  for (k = 0; k < n; k++)
    if (w[k] >= 'A' && w[k] <= 'Z') upper = 1;
  if (n >= 3 && (w[n - 1] == 's' || w[n - 1] == 'S')) {
    if (w[n - 2] == '\'') cut = 2;
    else if (n > 4 && w[n - 4] == 0xE2 && w[n - 3] == 0x80 && w[n - 2] == 0x99) cut = 4;
  }
  if (cut) {
    lede_push_lower(L, w, n - cut);
    lua_pushvalue(L, -1);
    lua_rawget(L, cset);
    if (!lua_toboolean(L, -1)) {
      lua_pop(L, 1);
      return;
    }
    lua_pop(L, 2);
  }
  if (upper) lede_push_lower(L, w, n);
  else lua_pushvalue(L, wi);
}

/* Whether the number at idx is a whole count of tokens, 0 to 2^53. */
static int is_count(lua_State *L, int idx) {
  lua_Number v = lua_tonumber(L, idx);
  return v >= 0 && v <= 9007199254740992.0 && (lua_Number)(lua_Integer)v == v;
}

/* Reads field name of the table at tk into a stack index. */
static int tk_field(lua_State *L, int tk, const char *name) {
  lua_getfield(L, tk, name);
  if (!lua_istable(L, -1)) luaL_error(L, "token_stream: tk.%s must be a table", name);
  return lua_gettop(L);
}

/* core.token_stream(s, i, j, tk, contracted): appends the tokens of
 * s:sub(i, j) to the parallel arrays of tk (see docs/core.md). */
static int l_token_stream(lua_State *L) {
  size_t n, b, e, p, tb, te;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lua_Integer cnt, lastE = 0;
  int lastw = 0; /* the last token is a word */
  int K, S, E, W, Lw, CAP, PARA, CUE, ABB, CUES, CSET = 5, para, kw, kp;
  char shape;
  check_range(L, 2, n, &b, &e);
  luaL_checktype(L, 4, LUA_TTABLE);
  luaL_checktype(L, 5, LUA_TTABLE);
  lua_settop(L, 5);
  K = tk_field(L, 4, "k");
  S = tk_field(L, 4, "s");
  E = tk_field(L, 4, "e");
  W = tk_field(L, 4, "w");
  Lw = tk_field(L, 4, "l");
  CAP = tk_field(L, 4, "cap");
  PARA = tk_field(L, 4, "para");
  CUE = tk_field(L, 4, "cue");
  ABB = tk_field(L, 4, "abbrevs");
  CUES = tk_field(L, 4, "cuewords");
  lua_getfield(L, 4, "cur_para");
  para = lua_gettop(L);
  lua_pushliteral(L, "w");
  kw = lua_gettop(L);
  lua_pushliteral(L, "p");
  kp = lua_gettop(L);
  lua_getfield(L, 4, "n");
  if (!lua_isnil(L, -1) && (lua_type(L, -1) != LUA_TNUMBER || !is_count(L, -1)))
    return luaL_error(L, "token_stream: tk.n must be a count of tokens, got %s",
                      lua_type(L, -1) == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
  cnt = lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (cnt > 0) {
    lua_rawgeti(L, K, cnt);
    lastw = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "w") == 0;
    lua_pop(L, 1);
    lua_rawgeti(L, E, cnt);
    lastE = lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  for (p = b; lede_next_token(s, p, e, &tb, &te, &shape); p = te) {
    lua_Integer ts = (lua_Integer)tb + 1, tend = (lua_Integer)te;
    int glued = cnt > 0 && lastw && lastE == ts - 1;
    if (shape == 'p') {
      if (glued && tend == ts && s[tb] == '.') {
        size_t wl;
        const unsigned char *w;
        int merge;
        lua_rawgeti(L, W, cnt);
        w = (const unsigned char *)lua_tolstring(L, -1, &wl);
        if (w == NULL) { /* no string: taken as empty */
          w = (const unsigned char *)"";
          wl = 0;
        }
        lua_pushlstring(L, (const char *)w, wl);
        lua_pushliteral(L, ".");
        lua_concat(L, 2); /* w2 */
        lua_pushvalue(L, -1);
        lua_rawget(L, ABB);
        merge = lua_toboolean(L, -1) || (wl == 1 && lede_starts_cap(w, wl)) ||
                (wl == 3 && ascii_alpha(w[0]) && w[1] == '.' && ascii_alpha(w[2]));
        lua_pop(L, 1);
        if (merge) {
          size_t l2;
          const unsigned char *w2 = (const unsigned char *)lua_tolstring(L, -1, &l2);
          lede_push_lower(L, w2, l2);
          lua_rawseti(L, Lw, cnt);
          lua_rawseti(L, W, cnt); /* w2 */
          lua_pop(L, 1);          /* w */
          lua_pushinteger(L, tend);
          lua_rawseti(L, E, cnt);
          lastE = tend;
          continue;
        }
        lua_pop(L, 2);
      }
      cnt++;
      lua_pushvalue(L, kp);
      lua_rawseti(L, K, cnt);
      lua_pushinteger(L, ts);
      lua_rawseti(L, S, cnt);
      lua_pushinteger(L, tend);
      lua_rawseti(L, E, cnt);
      lua_pushlstring(L, (const char *)s + tb, te - tb);
      lua_pushvalue(L, -1);
      lua_rawseti(L, W, cnt);
      lua_rawseti(L, Lw, cnt);
      lua_pushboolean(L, 0);
      lua_rawseti(L, CAP, cnt);
      lua_pushvalue(L, para);
      lua_rawseti(L, PARA, cnt);
      lastw = 0;
      lastE = tend;
    } else {
      if (glued && tend - ts < 2) {
        size_t wl;
        const unsigned char *w;
        lua_rawgeti(L, W, cnt);
        w = (const unsigned char *)lua_tolstring(L, -1, &wl);
        if (w != NULL && wl > 0 && w[wl - 1] == '.' && wl <= 3) {
          size_t l2;
          const unsigned char *w2;
          lua_pushlstring(L, (const char *)s + tb, te - tb);
          lua_concat(L, 2); /* w2 = W[n] .. w */
          w2 = (const unsigned char *)lua_tolstring(L, -1, &l2);
          lede_push_lower(L, w2, l2);
          lua_rawseti(L, Lw, cnt);
          lua_rawseti(L, W, cnt);
          lua_pushinteger(L, tend);
          lua_rawseti(L, E, cnt);
          lastE = tend;
          continue;
        }
        lua_pop(L, 1);
      }
      cnt++;
      lua_pushvalue(L, kw);
      lua_rawseti(L, K, cnt);
      lua_pushinteger(L, ts);
      lua_rawseti(L, S, cnt);
      lua_pushinteger(L, tend);
      lua_rawseti(L, E, cnt);
      lua_pushboolean(L, shape == 'C' || shape == 'U' ||
                             (shape != 'l' && shape != 'd' && lede_starts_cap(s + tb, te - tb)));
      lua_rawseti(L, CAP, cnt);
      lua_pushvalue(L, para);
      lua_rawseti(L, PARA, cnt);
      lua_pushlstring(L, (const char *)s + tb, te - tb);
      lede_push_token_key(L, lua_gettop(L), s + tb, te - tb, CSET);
      lua_pushvalue(L, -1);
      lua_rawseti(L, Lw, cnt); /* key */
      lua_rawget(L, CUES);
      if (lua_toboolean(L, -1)) {
        lua_pushboolean(L, 1);
        lua_rawseti(L, CUE, cnt);
      }
      lua_pop(L, 1);
      lua_rawseti(L, W, cnt);
      lastw = 1;
      lastE = tend;
    }
  }
  lua_pushinteger(L, cnt);
  lua_setfield(L, 4, "n");
  return 0;
}

void lede_open_segment(lua_State *L) {
  int c;
  for (c = '0'; c <= '9'; c++) run_class[c] = 1;
  for (c = 'A'; c <= 'Z'; c++) run_class[c] = 2;
  for (c = 'a'; c <= 'z'; c++) run_class[c] = 3;
  static const luaL_Reg funcs[] = {
      {"lines", l_lines},
      {"tokens", l_tokens},
      {"token_stream", l_token_stream},
      {NULL, NULL},
  };
  /* the functions that make records: upvalues the keys (KEY_*), then the
   * modes "line" and "paragraph" */
  static const luaL_Reg keyed[] = {
      {"blocks", l_blocks},
      {"sentences", l_sentences},
      {"block_sentences", l_block_sentences},
      {NULL, NULL},
  };
  static const char *const keys[NKEYS + 2] = {"i", "j", "start", "stop", "text", "block", "line", "paragraph"};
  const luaL_Reg *f;
  luaL_setfuncs(L, funcs, 0);
  for (f = keyed; f->name != NULL; f++) {
    for (c = 0; c < NKEYS + 2; c++) lua_pushstring(L, keys[c]);
    lua_pushcclosure(L, f->func, NKEYS + 2);
    lua_setfield(L, -2, f->name);
  }
}
