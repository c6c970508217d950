/* meta.c: the person-name readers and the date reader of the metadata
 * stage (lede.Namer, lede.Dater).
 *
 * core.namer compiles the name-word pattern (PCRE2, as core.regex compiles
 * a pattern with no flags) and copies the word sets the readers consult, so
 * that reading a byline's name is one C call over the bytes instead of a
 * dozen Lua pattern calls. core.dater compiles the date and time patterns
 * and reads a text's date, time and zone into ISO 8601 in one call. The
 * namer also reads the author cues of one block of the header region
 * (namer:header_block) and of a byline or dateline (namer:byline_block)
 * with the header patterns it compiles, in one call per block.
 * core.meta_lists reads the tag and related-headline lists of the blocks
 * the picker found into the document's arrays in one call. Policy
 * (the patterns, the word lists, the zones) stays in Lua; the readers' steps
 * are those documented in docs/core.md. Texts are any byte strings: invalid
 * UTF-8 never matches a pattern, NUL bytes are ordinary bytes, a match that
 * runs into core.regex's default limits matches nothing. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lede.h"

#define NAMER_MT "lede.Namer"
#define NAMER_SETS 7         /* not_name, role, given_months, honorifics, header_kinds, gap_words, about_heads */
#define NAMER_MAX_WORDS 512  /* per set */
#define NAMER_WORD_BYTES 31  /* longest word of a set */
#define NAMER_MAX_WORDS_READ 7

static const char *const namer_set_names[NAMER_SETS] = { "not_name", "role", "given_months", "honorifics",
                                                          "header_kinds", "gap_words", "about_heads" };
enum { SET_NOT_NAME, SET_ROLE, SET_GIVEN_MONTHS, SET_HONORIFICS, SET_HEADER_KINDS, SET_GAP_WORDS, SET_ABOUT };

/* The header-region patterns of namer:header_block (optional options of
 * core.namer), and whether each is compiled caseless. */
enum { HX_INNER_WRITTEN, HX_CREDENTIALS, HX_PICTURE_OF, HX_BY_ALONE, HX_BY_EXPLICIT, HX_INNER_BY, HX_OTHER_BY, HX_COUNT };
static const char *const namer_hx_names[HX_COUNT] = { "inner_written", "credentials", "picture_of", "by_alone",
                                                      "by_explicit", "inner_by", "other_by" };
static const int namer_hx_caseless[HX_COUNT] = { 0, 0, 1, 1, 1, 0, 1 };

typedef struct {
  unsigned char len;
  char w[NAMER_WORD_BYTES];
} namer_word;

/* The filter bit of a word of n bytes (n > 0) at w among NAMER_BITS. */
#define NAMER_BITS 1024
static unsigned namer_bit(const unsigned char *w, size_t n) {
  return (unsigned)(n * 97u + (unsigned)w[0] * 31u + (unsigned)w[n - 1] * 7u) & (NAMER_BITS - 1u);
}

typedef struct {
  pcre2_code *code, *by; /* name-word pattern, byline pattern (or NULL) */
  pcre2_match_data *md, *bymd;
  pcre2_match_context *mctx;
  pcre2_code *hx[HX_COUNT]; /* header-region patterns (NULL: absent) */
  int hjit[HX_COUNT];
  pcre2_match_data *hmd;
  pcre2_jit_stack *jstack;
  int jit;
  int closed;
  int n[NAMER_SETS];
  namer_word words[NAMER_SETS][NAMER_MAX_WORDS]; /* each set sorted (namer_cmp) */
  /* a bit per word of each set, at namer_bit of its length and ends:
   * most words of a text are not searched for */
  uint64_t bits[NAMER_SETS][NAMER_BITS / 64];
} namer;

/* ---- bytes as Lua's patterns read them (C locale) --------------------- */

/* %s: " \t\n\v\f\r" */
static int nm_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int nm_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int nm_lower(int c) { return c >= 'a' && c <= 'z'; }
static int nm_digit(int c) { return c >= '0' && c <= '9'; }

/* Byte x of s lowered: an ASCII capital, or the second byte of a Latin-1
 * capital in UTF-8 (0xC3 0x80..0x9E but 0x97: "Ä", "É", "Û"). */
static unsigned char nm_fold_at(const unsigned char *s, size_t x) {
  unsigned char c = s[x];
  if (nm_upper(c)) return (unsigned char)(c + 32);
  if (x > 0 && s[x - 1] == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97) return (unsigned char)(c + 32);
  return c;
}
/* %p: ASCII punctuation */
static int nm_punct(int c) {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}
/* A byte that starts a capitalised word: A-Z, or the lead byte of a letter
 * above U+00BF. */
static int nm_capital(const unsigned char *w, size_t n) { return n > 0 && (nm_upper(w[0]) || w[0] >= 195); }

static int namer_cmp(const void *a, const void *b) {
  const namer_word *x = (const namer_word *)a, *y = (const namer_word *)b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->w, y->w, n);
  if (c != 0) return c;
  return (int)x->len - (int)y->len;
}

/* Whether set `set` holds the n bytes at w. */
static int namer_has(const namer *nm, int set, const unsigned char *w, size_t n) {
  namer_word key;
  unsigned bit;
  if (n == 0 || n > NAMER_WORD_BYTES) return 0;
  bit = namer_bit(w, n);
  if (!(nm->bits[set][bit / 64] >> (bit % 64) & 1u)) return 0;
  key.len = (unsigned char)n;
  memcpy(key.w, w, n);
  return bsearch(&key, nm->words[set], (size_t)nm->n[set], sizeof(namer_word), namer_cmp) != NULL;
}

/* The same for the n bytes at w folded to lower case (ASCII, as
 * string.lower in the C locale). */
static int namer_has_lower(const namer *nm, int set, const unsigned char *w, size_t n) {
  unsigned char low[NAMER_WORD_BYTES];
  size_t k;
  if (n == 0 || n > NAMER_WORD_BYTES) return 0;
  for (k = 0; k < n; k++) low[k] = (unsigned char)(nm_upper(w[k]) ? w[k] + 32 : w[k]);
  return namer_has(nm, set, low, n);
}

/* Whether the n bytes at w match the name-word pattern (a match that
 * runs into the limits of core.regex's defaults matches nothing). */
static int namer_word_ok(const namer *nm, const unsigned char *w, size_t n) {
  int rc;
  if (nm->jit) rc = pcre2_jit_match(nm->code, (PCRE2_SPTR)w, n, 0, 0, nm->md, nm->mctx);
  else rc = pcre2_match(nm->code, (PCRE2_SPTR)w, n, 0, 0, nm->md, nm->mctx);
  return rc > 0;
}

/* An honorific at s[b..e) followed by white space ("Dr. ", "Mrs "), as the
 * pattern "^(%u%l?%l?%l?%.?)%s+" with the capture (less a final ".") in
 * the honorifics: the position after the white space, else b. */
static size_t namer_honorific(const namer *nm, const unsigned char *s, size_t b, size_t e) {
  size_t k = b, h, sp;
  int c = 0;
  if (k >= e || !nm_upper(s[k])) return b;
  k++;
  while (c < 3 && k < e && nm_lower(s[k])) k++, c++;
  h = k;
  if (k < e && s[k] == '.') k++;
  sp = k;
  while (k < e && nm_space(s[k])) k++;
  if (k == sp) return b;
  return namer_has(nm, SET_HONORIFICS, s + b, h - b) ? k : b;
}

/* ---- the readers ------------------------------------------------------- */

/* A person's name as written in s[0..n): 2-5 name words. On success stores
 * the name's bounds in *ob, *oe and returns 1. */
static int namer_person(const namer *nm, const unsigned char *s, size_t n, size_t *ob, size_t *oe) {
  size_t b = 0, e = n, k, spaces = 0, runs = 0;
  size_t wb[5], we[5];
  int nw = 0, caps = 0, has_space = 0, i;
  /* no digit, "@" or "http"; some white space */
  for (k = 0; k < n; k++) {
    int c = s[k];
    if (nm_digit(c) || c == '@') return 0;
    if (nm_space(c)) has_space = 1;
    if (c == 'h' && k + 3 < n && s[k + 1] == 't' && s[k + 2] == 't' && s[k + 3] == 'p') return 0;
  }
  if (!has_space) return 0;
  /* white space before; white space, ",;:|." after; a possessive; "By " */
  if (n > 0 && nm_space(s[0]))
    while (b < e && nm_space(s[b])) b++;
  while (e > b && (nm_space(s[e - 1]) || s[e - 1] == ',' || s[e - 1] == ';' || s[e - 1] == ':' || s[e - 1] == '|'
                   || s[e - 1] == '.'))
    e--;
  if (e > b && s[e - 1] == 's') {
    if (e - b >= 2 && s[e - 2] == '\'') e -= 2;
    if (e - b >= 4 && memcmp(s + e - 4, "\342\200\231s", 4) == 0) e -= 4;
  }
  if (e - b >= 2 && (s[b] == 'B' || s[b] == 'b') && (s[b + 1] == 'Y' || s[b + 1] == 'y')) {
    k = b + 2;
    while (k < e && nm_space(s[k])) k++;
    if (k > b + 2) b = k;
  }
  b = namer_honorific(nm, s, b, e);
  if (e - b == 0 || e - b > 60) return 0;
  /* 2 to 5 words */
  for (k = b; k < e; k++) {
    if (!nm_space(s[k])) continue;
    spaces++;
    if (k + 1 < e && !nm_space(s[k + 1])) runs++;
  }
  if (spaces == 0 || (spaces > 4 && runs > 4)) return 0;
  k = b;
  while (k < e) {
    while (k < e && nm_space(s[k])) k++;
    if (k >= e) break;
    if (nw == 5) return 0;
    wb[nw] = k;
    while (k < e && !nm_space(s[k])) k++;
    we[nw++] = k;
  }
  if (nw < 2) return 0;
  for (i = 0; i < nw; i++) {
    const unsigned char *w = s + wb[i];
    size_t len = we[i] - wb[i];
    if (w[len - 1] == ',' || w[len - 1] == '.') {
      /* only an initial ends with a full stop or a comma */
      len--;
      if (len != 1 || !nm_upper(w[0])) return 0;
    }
    if (namer_has_lower(nm, SET_NOT_NAME, w, len)) return 0;
    if (namer_has_lower(nm, SET_ROLE, w, len) && (i > 0 || !namer_has_lower(nm, SET_GIVEN_MONTHS, w, len))) return 0;
    if (!namer_word_ok(nm, w, len)) return 0;
    if (nm_capital(w, len)) caps++;
  }
  if (caps < 2) return 0;
  *ob = b;
  *oe = e;
  return 1;
}

/* The methods of lede.Namer and lede.Dater have both metatables as
 * upvalues (1: the namer's, 2: the dater's; then the field names 3 "text",
 * 4 "kind", 5 "rule", read raw by byline_scan): the userdata at `idx` whose
 * metatable is upvalue `up`, found without looking the name up in the
 * registry; anything else goes to luaL_checkudata (which raises). */
static void *meta_check(lua_State *L, int idx, int up, const char *tname) {
  void *p = lua_touserdata(L, idx);
  if (p != NULL && lua_getmetatable(L, idx)) {
    int same = lua_rawequal(L, -1, lua_upvalueindex(up));
    lua_pop(L, 1);
    if (same) return p;
  }
  return luaL_checkudata(L, idx, tname);
}

static namer *check_namer(lua_State *L) {
  namer *nm = (namer *)meta_check(L, 1, 1, NAMER_MT);
  if (nm->closed || nm->code == NULL) luaL_error(L, "lede.Namer is closed");
  return nm;
}

/* namer:person_name(s) -> the name, or nil. */
static int namer_person_name(lua_State *L) {
  const namer *nm = check_namer(L);
  size_t n, b, e;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 2, &n);
  if (!namer_person(nm, s, n, &b, &e)) {
    lua_pushnil(L);
    return 1;
  }
  if (b == 0 && e == n) lua_pushvalue(L, 2);
  else lua_pushlstring(L, (const char *)s + b, e - b);
  return 1;
}

/* The person's name s[0..n) starts with (2-4 name words): the words' bounds
 * in ob, oe; their count (0: none). */
static int namer_prefix(const namer *nm, const unsigned char *s, size_t n, size_t *ob, size_t *oe) {
  size_t b = 0, k;
  int nwords = 0, nout = 0, caps = 0, i;
  size_t wb[NAMER_MAX_WORDS_READ], we[NAMER_MAX_WORDS_READ];
  while (b < n && (nm_space(s[b]) || nm_punct(s[b]))) b++;
  b = namer_honorific(nm, s, b, n);
  k = b;
  while (k < n && nwords < NAMER_MAX_WORDS_READ) {
    while (k < n && nm_space(s[k])) k++;
    if (k >= n) break;
    wb[nwords] = k;
    while (k < n && !nm_space(s[k])) k++;
    we[nwords++] = k;
  }
  for (i = 0; i < nwords; i++) {
    size_t bb = wb[i], be = we[i], xb, xe, j;
    int c = s[be - 1], cut = 0, digit = 0;
    /* a word less one ",.;:|" at its end ("bare"); a name in brackets inside
     * the name: "Paramita (Guha) Ghosh" */
    if (c == ',' || c == '.' || c == ';' || c == ':' || c == '|') be--, cut = 1;
    xb = bb, xe = be;
    if (nout > 0 && be - bb >= 3 && s[bb] == '(' && s[be - 1] == ')') xb = bb + 1, xe = be - 1;
    for (j = xb; j < xe; j++)
      if (nm_digit(s[j])) digit = 1;
    if (namer_has_lower(nm, SET_NOT_NAME, s + xb, xe - xb) || namer_has_lower(nm, SET_ROLE, s + xb, xe - xb) || digit
        || !namer_word_ok(nm, s + xb, xe - xb))
      break;
    ob[nout] = bb, oe[nout] = be;
    nout++;
    /* a comma ends the name (an initial's full stop does not) */
    if (cut && !(be - bb == 1 && nm_upper(s[bb]))) break;
    if (nout == 4) break;
  }
  for (i = 0; i < nout; i++) {
    size_t bb = ob[i];
    if (bb < oe[i] && s[bb] == '(') bb++;
    if (nm_capital(s + bb, oe[i] - bb)) caps++;
  }
  while (nout > 0 && !nm_capital(s + ob[nout - 1], oe[nout - 1] - ob[nout - 1])) nout--;
  if (nout < 2 || caps < 2) return 0;
  return nout;
}

/* Pushes the words s[ob[k]..oe[k]) joined by single spaces. */
static void namer_push_words(lua_State *L, const unsigned char *s, const size_t *ob, const size_t *oe, int nout) {
  luaL_Buffer buf;
  int i;
  luaL_buffinit(L, &buf);
  for (i = 0; i < nout; i++) {
    if (i > 0) luaL_addchar(&buf, ' ');
    luaL_addlstring(&buf, (const char *)s + ob[i], oe[i] - ob[i]);
  }
  luaL_pushresult(&buf);
}

/* namer:name_prefix(s) -> the person's name s starts with (2-4 name
 * words, joined by single spaces), or nil. */
static int namer_name_prefix(lua_State *L) {
  const namer *nm = check_namer(L);
  size_t n, ob[4], oe[4];
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 2, &n);
  int nout = namer_prefix(nm, s, n, ob, oe);
  if (nout == 0) lua_pushnil(L);
  else namer_push_words(L, s, ob, oe, nout);
  return 1;
}

static int namer_gc(lua_State *L) {
  namer *nm = (namer *)luaL_checkudata(L, 1, NAMER_MT);
  if (nm->md != NULL) pcre2_match_data_free(nm->md);
  if (nm->bymd != NULL) pcre2_match_data_free(nm->bymd);
  if (nm->mctx != NULL) pcre2_match_context_free(nm->mctx);
  if (nm->code != NULL) pcre2_code_free(nm->code);
  if (nm->by != NULL) pcre2_code_free(nm->by);
  {
    int k;
    for (k = 0; k < HX_COUNT; k++) {
      if (nm->hx[k] != NULL) pcre2_code_free(nm->hx[k]);
      nm->hx[k] = NULL;
    }
  }
  if (nm->hmd != NULL) pcre2_match_data_free(nm->hmd);
  if (nm->jstack != NULL) pcre2_jit_stack_free(nm->jstack);
  nm->hmd = NULL;
  nm->jstack = NULL;
  nm->md = NULL;
  nm->bymd = NULL;
  nm->by = NULL;
  nm->mctx = NULL;
  nm->code = NULL;
  nm->closed = 1;
  return 0;
}

static int namer_tostring(lua_State *L) {
  namer *nm = (namer *)luaL_checkudata(L, 1, NAMER_MT);
  lua_pushfstring(L, "lede.Namer%s", nm->closed ? " (closed)" : "");
  return 1;
}

/* Copies the words of the set table at stack index idx into set `set`. */
static void namer_read_set(lua_State *L, namer *nm, int idx, int set) {
  int n = 0;
  if (lua_isnil(L, idx)) return;
  if (!lua_istable(L, idx))
    luaL_error(L, "namer: '%s' must be a set table, got %s", namer_set_names[set], luaL_typename(L, idx));
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    if (lua_toboolean(L, -1)) {
      size_t len;
      const char *w;
      if (lua_type(L, -2) != LUA_TSTRING)
        luaL_error(L, "namer: the keys of '%s' must be strings, got %s", namer_set_names[set], luaL_typename(L, -2));
      w = lua_tolstring(L, -2, &len);
      if (len == 0 || len > NAMER_WORD_BYTES)
        luaL_error(L, "namer: '%s': words must be 1 to %d bytes long", namer_set_names[set], NAMER_WORD_BYTES);
      if (n >= NAMER_MAX_WORDS) luaL_error(L, "namer: '%s': at most %d words", namer_set_names[set], NAMER_MAX_WORDS);
      nm->words[set][n].len = (unsigned char)len;
      memcpy(nm->words[set][n].w, w, len);
      {
        unsigned bit = namer_bit((const unsigned char *)w, len);
        nm->bits[set][bit / 64] |= (uint64_t)1 << (bit % 64);
      }
      n++;
    }
    lua_pop(L, 1);
  }
  qsort(nm->words[set], (size_t)n, sizeof(namer_word), namer_cmp);
  nm->n[set] = n;
}

/* Compiles the pattern of option `key` of the table at idx (as core.regex
 * does, with `extra` options; NULL for an absent optional one). */
static pcre2_code *namer_compile(lua_State *L, int idx, const char *key, uint32_t extra, int required) {
  size_t plen;
  const char *pat;
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code *code;
  pcre2_compile_context *cc;
  lua_getfield(L, idx, key);
  if (lua_isnil(L, -1) && !required) {
    lua_pop(L, 1);
    return NULL;
  }
  if (lua_type(L, -1) != LUA_TSTRING)
    luaL_error(L, "namer: '%s' must be a pattern string, got %s", key, luaL_typename(L, -1));
  pat = lua_tolstring(L, -1, &plen);
  cc = pcre2_compile_context_create(NULL);
  if (cc == NULL) luaL_error(L, "not enough memory");
  pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
  code = pcre2_compile((PCRE2_SPTR)pat, plen,
                       PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C | extra, &err, &off, cc);
  pcre2_compile_context_free(cc);
  if (code == NULL) {
    char text[256];
    if (pcre2_get_error_message(err, (PCRE2_UCHAR *)text, sizeof text) < 0) strcpy(text, "invalid pattern");
    luaL_error(L, "namer: '%s': %s at offset %d", key, text, (int)off + 1);
  }
  (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  lua_pop(L, 1);
  return code;
}

static int namer_has_jit(const pcre2_code *code) {
  size_t size = 0;
  return pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &size) == 0 && size > 0;
}

/* core.namer{ name_word = pattern, not_name = set, role = set,
 * given_months = set, honorifics = set } -> a lede.Namer. */
static int l_namer(lua_State *L) {
  namer *nm;
  int set;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  nm = (namer *)lua_newuserdata(L, sizeof(namer));
  memset(nm, 0, sizeof(namer));
  luaL_setmetatable(L, NAMER_MT);
  for (set = 0; set < NAMER_SETS; set++) {
    lua_getfield(L, 1, namer_set_names[set]);
    namer_read_set(L, nm, lua_gettop(L), set);
    lua_pop(L, 1);
  }
  nm->code = namer_compile(L, 1, "name_word", 0, 1);
  nm->jit = namer_has_jit(nm->code);
  nm->md = pcre2_match_data_create_from_pattern(nm->code, NULL);
  nm->mctx = pcre2_match_context_create(NULL);
  if (nm->md == NULL || nm->mctx == NULL) return luaL_error(L, "not enough memory");
  pcre2_set_match_limit(nm->mctx, 1000000);
  pcre2_set_depth_limit(nm->mctx, 100000);
  nm->by = namer_compile(L, 1, "by", PCRE2_CASELESS, 0);
  if (nm->by != NULL) {
    nm->bymd = pcre2_match_data_create_from_pattern(nm->by, NULL);
    if (nm->bymd == NULL) return luaL_error(L, "not enough memory");
  }
  {
    int k;
    for (k = 0; k < HX_COUNT; k++) {
      nm->hx[k] = namer_compile(L, 1, namer_hx_names[k], namer_hx_caseless[k] ? PCRE2_CASELESS : 0, 0);
      if (nm->hx[k] != NULL) nm->hjit[k] = namer_has_jit(nm->hx[k]);
    }
    nm->hmd = pcre2_match_data_create(16, NULL);
    if (nm->hmd == NULL) return luaL_error(L, "not enough memory");
  }
  return 1;
}

/* ---- the date reader --------------------------------------------------- */

#define DATER_MT "lede.Dater"
#define DATER_MAX_ZONES 64
#define DATER_ZONE_BYTES 7
#define DATER_MAX_MONTHS 128
#define DATER_MONTH_BYTES 15
#define DATER_MAX_UPDATED 16
/* core.regex's default limits */
#define DATER_MATCH_LIMIT 1000000
#define DATER_DEPTH_LIMIT 100000
#define DATER_HEAP_LIMIT 65536
#define DATER_JIT_STACK_START (32 * 1024)
#define DATER_JIT_STACK_MAX (4 * 1024 * 1024)

enum { RX_DATE, RX_TIME_AFTER, RX_TIME_BEFORE, RX_COUNT };
static const char *const dater_rx_names[RX_COUNT] = { "date", "time_after", "time_before" };
static const int dater_rx_caps[RX_COUNT] = { 22, 6, 6 };

typedef struct {
  unsigned char len;
  char name[DATER_ZONE_BYTES];
  lua_Integer minutes;
} dater_zone;

/* A month name of opts.months: its lower-case bytes and its month. */
typedef struct {
  unsigned char len;
  char name[DATER_MONTH_BYTES];
  int month;
} dater_name;

typedef struct {
  pcre2_code *code[RX_COUNT];
  pcre2_match_data *md[RX_COUNT];
  int jit[RX_COUNT];
  pcre2_match_context *mctx;
  pcre2_jit_stack *jstack;
  int closed;
  int nzones[2]; /* fixed offsets, US zones whose offset depends on the date */
  dater_zone zones[2][DATER_MAX_ZONES];
  int nmonths;
  dater_name months[DATER_MAX_MONTHS];
  int nupdated; /* the words that make a date an update's (month 0) */
  dater_name updated[DATER_MAX_UPDATED];
} dater;

/* Runs pattern k on s[0..len) from start, as core.regex does (a JIT match
 * that runs out of its stack is retried once with a larger one). */
static int dater_match(dater *d, int k, const unsigned char *s, size_t len, size_t start) {
  int rc;
  if (d->jit[k]) rc = pcre2_jit_match(d->code[k], (PCRE2_SPTR)s, len, start, 0, d->md[k], d->mctx);
  else rc = pcre2_match(d->code[k], (PCRE2_SPTR)s, len, start, 0, d->md[k], d->mctx);
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT && d->jstack == NULL) {
    d->jstack = pcre2_jit_stack_create(DATER_JIT_STACK_START, DATER_JIT_STACK_MAX, NULL);
    if (d->jstack != NULL) {
      pcre2_jit_stack_assign(d->mctx, NULL, d->jstack);
      rc = pcre2_match(d->code[k], (PCRE2_SPTR)s, len, start, 0, d->md[k], d->mctx);
    }
  }
  return rc;
}

/* Whether capture g of the ovector is set; its bounds in *a, *b. */
static int dater_cap(const PCRE2_SIZE *ov, int g, size_t *a, size_t *b) {
  if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g]) return 0;
  *a = ov[2 * g];
  *b = ov[2 * g + 1];
  return 1;
}

/* The number capture g of s holds, as tonumber reads a run of digits
 * (ASCII only: a capture of other decimal digits reads as none), with an
 * optional sign when `sign`; -1 for none (unset, or not such a number). */
static int dater_num(const unsigned char *s, const PCRE2_SIZE *ov, int g, int sign, lua_Integer *v) {
  size_t a, b, k;
  lua_Integer x = 0;
  int neg = 0;
  if (!dater_cap(ov, g, &a, &b)) return 0;
  if (sign && a < b && (s[a] == '+' || s[a] == '-')) neg = s[a] == '-', a++;
  if (a >= b || b - a > 9) return 0;
  for (k = a; k < b; k++) {
    if (!nm_digit(s[k])) return 0;
    x = x * 10 + (s[k] - '0');
  }
  *v = neg ? -x : x;
  return 1;
}

/* The month capture g names, or 0: a name of the dater's `months`, whole
 * (compared with nm_fold_at), else an English month's first three bytes
 * (ASCII case folded). */
static lua_Integer dater_month(const dater *d, const unsigned char *s, const PCRE2_SIZE *ov, int g) {
  static const char *const months = "janfebmaraprmayjunjulaugsepoctnovdec";
  size_t a, b, x;
  char low[3];
  int k;
  if (!dater_cap(ov, g, &a, &b) || b - a < 3) return 0;
  for (k = 0; k < d->nmonths; k++) {
    const dater_name *m = &d->months[k];
    if (m->len != b - a) continue;
    for (x = 0; x < m->len && nm_fold_at(s + a, x) == (unsigned char)m->name[x]; x++) {}
    if (x == m->len) return m->month;
  }
  for (k = 0; k < 3; k++) low[k] = (char)(nm_upper(s[a + k]) ? s[a + k] + 32 : s[a + k]);
  for (k = 0; k < 12; k++)
    if (memcmp(months + 3 * k, low, 3) == 0) return k + 1;
  return 0;
}

static int dater_valid_day(lua_Integer y, lua_Integer m, lua_Integer d) {
  static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return 0;
  if (d > days[m - 1]) return 0;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
  return 1;
}

/* Day of the week, 0 = Sunday (Sakamoto). */
static int dater_weekday(lua_Integer y, lua_Integer m, lua_Integer d) {
  static const int t[12] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
  if (m < 3) y--;
  return (int)((y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7);
}

/* Whether US daylight saving time is in force on that day (2007 rules). */
static int dater_us_dst(lua_Integer y, lua_Integer m, lua_Integer d) {
  if (m > 3 && m < 11) return 1;
  if (m < 3 || m > 11) return 0;
  if (m == 3) return d >= 8 + (7 - dater_weekday(y, 3, 8)) % 7;
  return d < 1 + (7 - dater_weekday(y, 11, 1)) % 7;
}

/* The offset of zone s[a..b) in set `set`: 1 and *minutes, or 0. */
static int dater_zone_of(const dater *d, int set, const unsigned char *s, size_t a, size_t b, lua_Integer *minutes) {
  int k;
  for (k = 0; k < d->nzones[set]; k++) {
    const dater_zone *z = &d->zones[set][k];
    if (z->len == b - a && memcmp(z->name, s + a, b - a) == 0) {
      *minutes = z->minutes;
      return 1;
    }
  }
  return 0;
}

/* Writes v (0 or more, below 10^9) in decimal, zero-padded to `width`
 * digits, as sprintf's "%0*d" would; returns the number of bytes written
 * (no NUL). */
static size_t dater_put(char *p, lua_Integer v, int width) {
  char digits[24];
  int n = 0, k;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v > 0 && n < 20);
  for (k = n; k < width; k++) *p++ = '0';
  for (k = n - 1; k >= 0; k--) *p++ = digits[k];
  return (size_t)(n > width ? n : width);
}

static dater *check_dater(lua_State *L) {
  dater *d = (dater *)meta_check(L, 1, 2, DATER_MT);
  if (d->closed) luaL_error(L, "lede.Dater is closed");
  return d;
}

/* The date of t[0..n): its ISO 8601 text in iso (64 bytes), its length in
 * *isolen, its 1-based bounds in *oi, *oj; 0 when there is none. */
static int dater_read(dater *d, const unsigned char *t, size_t n, char *iso, size_t *isolen, size_t *oi,
                      size_t *oj) {
  size_t a, b, k, i, j, s0, e0;
  const PCRE2_SIZE *ov;
  lua_Integer y = -1, m = -1, day = -1, hh = -1, mi = -1;
  int c1, has_hh = 0, has_mi = 0, has_y, has_m, has_d, zone = 0, rc;
  char zbuf[8];
  /* the time's parts: from the date pattern or a time pattern */
  const unsigned char *ts = t;
  const PCRE2_SIZE *tov = NULL;
  int has_ampm = 0, ampm = 0;
  size_t len;
  /* the year is 1900 to 2100 in ASCII digits: without one no date */
  for (k = 0; k + 3 < n; k++) {
    if ((t[k] == '1' && t[k + 1] == '9') || (t[k] == '2' && (t[k + 1] == '0' || t[k + 1] == '1'))) {
      if (!nm_digit(t[k + 2]) || !nm_digit(t[k + 3])) continue;
      if (t[k + 1] != '1' || (t[k + 2] == '0' && t[k + 3] == '0')) break;
    }
  }
  if (k + 3 >= n) goto none;
  rc = dater_match(d, RX_DATE, t, n, 0);
  if (rc < 0) goto none;
  ov = pcre2_get_ovector_pointer(d->md[RX_DATE]);
  s0 = ov[0];
  e0 = ov[1];
  c1 = dater_cap(ov, 1, &a, &b);
  if (c1) {
    has_y = dater_num(t, ov, 1, 0, &y), has_m = dater_num(t, ov, 2, 0, &m), has_d = dater_num(t, ov, 3, 0, &day);
    if (dater_cap(ov, 4, &a, &b)) {
      has_hh = dater_num(t, ov, 4, 0, &hh);
      has_mi = dater_num(t, ov, 5, 0, &mi);
    }
    if (dater_cap(ov, 7, &a, &b)) {
      if (b - a == 1 && (t[a] == 'Z' || t[a] == 'z')) {
        strcpy(zbuf, "Z");
        zone = 1;
      } else if ((t[a] == '+' || t[a] == '-') && (b - a == 5 || (b - a == 6 && t[a + 3] == ':')) && nm_digit(t[a + 1])
                 && nm_digit(t[a + 2]) && nm_digit(t[b - 2]) && nm_digit(t[b - 1])) {
        zbuf[0] = (char)t[a], zbuf[1] = (char)t[a + 1], zbuf[2] = (char)t[a + 2], zbuf[3] = ':';
        zbuf[4] = (char)t[b - 2], zbuf[5] = (char)t[b - 1], zbuf[6] = '\0';
        if (strcmp(zbuf + 1, "00:00") == 0) strcpy(zbuf, "Z");
        zone = 1;
      }
    }
  } else if (dater_cap(ov, 8, &a, &b)) {
    has_y = dater_num(t, ov, 10, 0, &y), m = dater_month(d, t, ov, 9), has_m = m > 0, has_d = dater_num(t, ov, 8, 0, &day);
  } else if (dater_cap(ov, 11, &a, &b)) {
    has_y = dater_num(t, ov, 13, 0, &y), m = dater_month(d, t, ov, 11), has_m = m > 0,
    has_d = dater_num(t, ov, 12, 0, &day);
  } else if (dater_cap(ov, 14, &a, &b)) {
    has_y = dater_num(t, ov, 16, 0, &y), has_m = dater_num(t, ov, 15, 0, &m), has_d = dater_num(t, ov, 14, 0, &day);
  } else if (dater_cap(ov, 17, &a, &b)) {
    lua_Integer first, second = -1;
    int has_second;
    if (!dater_num(t, ov, 17, 0, &first)) goto none;
    has_second = dater_num(t, ov, 18, 0, &second);
    has_y = dater_num(t, ov, 19, 0, &y);
    if (first > 12) has_m = has_second, m = second, has_d = 1, day = first;
    else has_m = 1, m = first, has_d = has_second, day = second;
  } else if (dater_cap(ov, 20, &a, &b)) {
    has_y = dater_num(t, ov, 20, 0, &y), has_m = dater_num(t, ov, 21, 0, &m), has_d = dater_num(t, ov, 22, 0, &day);
  } else {
    goto none;
  }
  if (!has_y || !has_m || !has_d || !dater_valid_day(y, m, day)) goto none;
  i = s0 + 1;
  j = e0;
  if (!c1 || !has_hh) {
    /* a time after the date, else before it */
    rc = dater_match(d, RX_TIME_AFTER, t, n, e0);
    if (rc >= 0) {
      tov = pcre2_get_ovector_pointer(d->md[RX_TIME_AFTER]);
      ts = t;
      j = tov[1];
      while (j > e0 && nm_space(t[j - 1])) j--;
    } else {
      size_t from = s0 + 1 > 48 ? s0 + 1 - 48 : 1;
      ts = t + from - 1;
      rc = dater_match(d, RX_TIME_BEFORE, ts, s0 + 1 - from, 0);
      if (rc >= 0) {
        tov = pcre2_get_ovector_pointer(d->md[RX_TIME_BEFORE]);
        i = from + tov[0];
      }
    }
    if (tov != NULL) {
      has_hh = dater_num(ts, tov, 1, 0, &hh);
      has_mi = dater_num(ts, tov, 2, 0, &mi);
      if (dater_cap(tov, 3, &a, &b)) has_ampm = 1, ampm = ts[a];
    }
  }
  if (has_hh && has_ampm) {
    if (hh > 12 || hh == 0) has_hh = 0;
    else if ((ampm == 'p' || ampm == 'P') && hh < 12) hh += 12;
    else if ((ampm == 'a' || ampm == 'A') && hh == 12) hh = 0;
  }
  if (has_hh && (!has_mi || hh > 23 || mi > 59)) has_hh = 0;
  len = dater_put(iso, y, 4);
  iso[len++] = '-';
  len += dater_put(iso + len, m, 2);
  iso[len++] = '-';
  len += dater_put(iso + len, day, 2);
  if (has_hh) {
    iso[len++] = 'T';
    len += dater_put(iso + len, hh, 2);
    iso[len++] = ':';
    len += dater_put(iso + len, mi, 2);
    memcpy(iso + len, ":00", 3);
    len += 3;
    if (zone) {
      size_t zl = strlen(zbuf);
      memcpy(iso + len, zbuf, zl);
      len += zl;
    } else if (tov != NULL && dater_cap(tov, 4, &a, &b)) {
      lua_Integer minutes = 0;
      int known = dater_zone_of(d, 0, ts, a, b, &minutes);
      if (!known && dater_zone_of(d, 1, ts, a, b, &minutes)) {
        known = 1;
        if (dater_us_dst(y, m, day)) minutes += 60;
      }
      if (known && dater_cap(tov, 5, &k, &k) && b - a == 3
          && (memcmp(ts + a, "GMT", 3) == 0 || memcmp(ts + a, "UTC", 3) == 0)) {
        lua_Integer oh, om = 0;
        if (dater_num(ts, tov, 5, 1, &oh)) {
          if (!dater_num(ts, tov, 6, 0, &om)) om = 0;
          minutes = oh * 60 + (oh < 0 ? -om : om);
        }
      }
      if (known) {
        if (minutes == 0) {
          iso[len++] = 'Z';
        } else {
          lua_Integer am = minutes < 0 ? -minutes : minutes;
          iso[len++] = minutes < 0 ? '-' : '+';
          len += dater_put(iso + len, am / 60, 2);
          iso[len++] = ':';
          len += dater_put(iso + len, am % 60, 2);
        }
      }
    }
  }
  iso[len] = '\0';
  *isolen = len;
  *oi = i;
  *oj = j;
  return 1;
none:
  return 0;
}

/* dater:find(text) -> iso, i, j (the date's bounds in text) or nil. */
static int dater_find(lua_State *L) {
  dater *d = check_dater(L);
  size_t n, len, i, j;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 2, &n);
  char iso[64];
  if (!dater_read(d, t, n, iso, &len, &i, &j)) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushlstring(L, iso, len);
  lua_pushinteger(L, (lua_Integer)i);
  lua_pushinteger(L, (lua_Integer)j);
  return 3;
}

/* The text and kind of block k of the blocks at stack index idx (kind NULL
 * when it has none that is a string). Pushes two values. */
static const unsigned char *dater_block(lua_State *L, int idx, lua_Integer k, size_t *len, const char **kind,
                                        size_t *klen) {
  const unsigned char *t;
  lua_rawgeti(L, idx, (int)k);
  if (!lua_istable(L, -1)) luaL_error(L, "search: block %d is not a table", (int)k);
  lua_getfield(L, -1, "text");
  if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "search: block %d has no text", (int)k);
  t = (const unsigned char *)lua_tolstring(L, -1, len);
  lua_getfield(L, -2, "kind");
  *kind = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, klen) : NULL;
  lua_replace(L, -3);
  return t;
}

static int dater_kind_is(const char *kind, size_t klen, const char *name) {
  return kind != NULL && klen == strlen(name) && memcmp(kind, name, klen) == 0;
}

typedef struct {
  dater *d;
  lua_Integer nb;
  unsigned char *seen;
  lua_Integer k;
  size_t i, j, isolen;
  char iso[64];
  /* the first date found that says when the page was updated (when none
   * says when it was published, the one taken): its block (0: none) */
  lua_Integer uk;
  size_t ui, uj, uisolen;
  char uiso[64];
} dater_search_state;

/* Whether the date at 1-based position i of t[0..) is an update's: the
 * word before it (over spaces and ":", ",", "-", "|", "on", "at"), ASCII
 * case folded, is one of the dater's `updated` ("Last updated: Aug 25,
 * 2025", "Updated 1:02 PM EST, Tue November 19, 2019"). */
static int dater_updated_at(const dater *d, const unsigned char *t, size_t i) {
  size_t e = i > 0 ? i - 1 : 0, a;
  int n;
#define DU_ALPHA(c) (nm_upper(c) || nm_lower(c))
#define DU_LOW(c) (nm_upper(c) ? (c) + 32 : (c))
#define DU_SKIP(c) (nm_space(c) || (c) == ':' || (c) == ',' || (c) == '-' || (c) == '|')
  while (e > 0 && DU_SKIP(t[e - 1])) e--;
  /* "Updated on", "Modified at" */
  if (e >= 3 && !DU_ALPHA(t[e - 3]) &&
      ((DU_LOW(t[e - 2]) == 'o' && DU_LOW(t[e - 1]) == 'n') || (DU_LOW(t[e - 2]) == 'a' && DU_LOW(t[e - 1]) == 't'))) {
    e -= 2;
    while (e > 0 && DU_SKIP(t[e - 1])) e--;
  }
  a = e;
  while (a > 0 && DU_ALPHA(t[a - 1]) && e - a < DATER_MONTH_BYTES) a--;
  if (a > 0 && DU_ALPHA(t[a - 1])) return 0;
  for (n = 0; n < d->nupdated; n++) {
    const dater_name *w = &d->updated[n];
    size_t x;
    if (e - a != w->len) continue;
    for (x = 0; x < w->len && DU_LOW(t[a + x]) == (unsigned char)w->name[x]; x++) {}
    if (x == w->len) return 1;
  }
  return 0;
#undef DU_ALPHA
#undef DU_LOW
#undef DU_SKIP
}

/* Reads block k once (a body block of more than 400 bytes is passed over):
 * 1 when it has a date (kept in ss). A date that says when the page was
 * updated gives way to the next date of the block ("Updated Nov 11, 2022
 * Originally published Nov 9, 2022"); without one it is kept aside (ss->uk)
 * and the search goes on, through the datelines and bylines near it only. */
static int dater_visit(lua_State *L, dater_search_state *ss, lua_Integer k) {
  size_t len, klen = 0;
  const char *kind;
  const unsigned char *t;
  int found = 0;
  if (k < 1 || k > ss->nb || ss->seen[k]) return 0;
  ss->seen[k] = 1;
  t = dater_block(L, 2, k, &len, &kind, &klen);
  /* (with an update's date aside, only a dateline, a byline or another
   * short line at most eight blocks from it: a caption's or a paragraph's
   * date, or a related story's, is none of the page's) */
  if ((len <= 400 || !dater_kind_is(kind, klen, "body")) &&
      (ss->uk == 0 ||
       ((k > ss->uk ? k - ss->uk : ss->uk - k) <= 8 &&
        (dater_kind_is(kind, klen, "dateline") || dater_kind_is(kind, klen, "byline") ||
         (len <= 60 && !dater_kind_is(kind, klen, "body") && !dater_kind_is(kind, klen, "caption"))))))
    found = dater_read(ss->d, t, len, ss->iso, &ss->isolen, &ss->i, &ss->j);
  while (found && dater_updated_at(ss->d, t, ss->i)) {
    size_t from = ss->j, i2, j2, l2;
    char iso2[64];
    if (ss->uk == 0) {
      ss->uk = k, ss->ui = ss->i, ss->uj = ss->j, ss->uisolen = ss->isolen;
      memcpy(ss->uiso, ss->iso, ss->isolen + 1);
    }
    found = from < len && dater_read(ss->d, t + from, len - from, iso2, &l2, &i2, &j2);
    if (found) {
      ss->i = from + i2, ss->j = from + j2, ss->isolen = l2;
      memcpy(ss->iso, iso2, l2 + 1);
    }
  }
  lua_pop(L, 2);
  if (found) ss->k = k;
  return found;
}

/* The update's date kept aside by dater_visit, as the date found: 1 when
 * there is one. */
static int dater_take_update(dater_search_state *ss) {
  if (ss->uk == 0) return 0;
  ss->k = ss->uk, ss->i = ss->ui, ss->j = ss->uj, ss->isolen = ss->uisolen;
  memcpy(ss->iso, ss->uiso, ss->uisolen + 1);
  return 1;
}

/* Whether block k's kind is one of the names (NULL-terminated). */
static int dater_kind_in(lua_State *L, lua_Integer k, const char *const *names) {
  size_t len, klen = 0;
  const char *kind;
  int in = 0, n;
  (void)dater_block(L, 2, k, &len, &kind, &klen);
  for (n = 0; names[n] != NULL && !in; n++) in = dater_kind_is(kind, klen, names[n]);
  lua_pop(L, 2);
  return in;
}

/* dater:search(blocks, marked, lo, hi, first_body, last_body) -> k, iso, i, j
 * or nil: the first date of the blocks in the order the metadata stage
 * reads them (see docs/core.md). */
static int dater_search(lua_State *L) {
  static const char *const skip_kinds[] = { "related", "navigation", NULL };
  static const char *const tail_kinds[] = { "dateline", "byline", "footer", NULL };
  dater_search_state ss;
  unsigned char stack_seen[1024];
  lua_Integer nmarked, lo, hi, first_body, last_body, ki, k, end;
  int has_first, has_last;
  ss.d = check_dater(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lo = luaL_checkinteger(L, 4);
  hi = luaL_checkinteger(L, 5);
  has_first = !lua_isnoneornil(L, 6);
  first_body = has_first ? luaL_checkinteger(L, 6) : 0;
  has_last = !lua_isnoneornil(L, 7);
  last_body = has_last ? luaL_checkinteger(L, 7) : 0;
  lua_settop(L, 7);
  ss.nb = (lua_Integer)lua_rawlen(L, 2);
  nmarked = (lua_Integer)lua_rawlen(L, 3);
  ss.k = 0;
  ss.uk = 0;
  if ((size_t)ss.nb + 1 <= sizeof stack_seen) ss.seen = stack_seen;
  else ss.seen = (unsigned char *)lua_newuserdata(L, (size_t)ss.nb + 1);
  memset(ss.seen, 0, (size_t)ss.nb + 1);
  end = has_last ? last_body : ss.nb;
  for (ki = 1; ki <= nmarked; ki++) {
    lua_rawgeti(L, 3, (int)ki);
    k = lua_tointeger(L, -1);
    lua_pop(L, 1);
    if ((!has_first || k <= first_body + 3 || k >= end) && dater_visit(L, &ss, k)) goto found;
  }
  for (k = lo; k <= hi; k++)
    if (dater_visit(L, &ss, k)) goto found;
  /* (an update's date around the title before any date farther away) */
  if (dater_take_update(&ss)) goto found;
  for (k = 1; k < lo && k <= ss.nb; k++)
    if (!dater_kind_in(L, k, skip_kinds) && dater_visit(L, &ss, k)) goto found;
  if (has_first)
    for (k = first_body; k <= first_body + 2 && k <= ss.nb; k++)
      if (dater_visit(L, &ss, k)) goto found;
  for (k = (end > 0 ? end : 0) + 1; k <= ss.nb; k++)
    if (dater_kind_in(L, k, tail_kinds) && dater_visit(L, &ss, k)) goto found;
  for (ki = 1; ki <= nmarked; ki++) {
    lua_rawgeti(L, 3, (int)ki);
    k = lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (dater_visit(L, &ss, k)) goto found;
  }
  if (dater_take_update(&ss)) goto found;
  lua_pushnil(L);
  return 1;
found:
  lua_pushinteger(L, ss.k);
  lua_pushlstring(L, ss.iso, ss.isolen);
  lua_pushinteger(L, (lua_Integer)ss.i);
  lua_pushinteger(L, (lua_Integer)ss.j);
  return 4;
}

static int dater_gc(lua_State *L) {
  dater *d = (dater *)luaL_checkudata(L, 1, DATER_MT);
  int k;
  for (k = 0; k < RX_COUNT; k++) {
    if (d->md[k] != NULL) pcre2_match_data_free(d->md[k]);
    if (d->code[k] != NULL) pcre2_code_free(d->code[k]);
    d->md[k] = NULL;
    d->code[k] = NULL;
  }
  if (d->mctx != NULL) pcre2_match_context_free(d->mctx);
  if (d->jstack != NULL) pcre2_jit_stack_free(d->jstack);
  d->mctx = NULL;
  d->jstack = NULL;
  d->closed = 1;
  return 0;
}

static int dater_tostring(lua_State *L) {
  dater *d = (dater *)luaL_checkudata(L, 1, DATER_MT);
  lua_pushfstring(L, "lede.Dater%s", d->closed ? " (closed)" : "");
  return 1;
}

/* Copies the zone table at stack index idx (name -> minutes) into set `set`. */
static void dater_read_zones(lua_State *L, dater *d, int idx, int set, const char *name) {
  int n = 0;
  if (lua_isnil(L, idx)) return;
  if (!lua_istable(L, idx)) luaL_error(L, "dater: '%s' must be a table, got %s", name, luaL_typename(L, idx));
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    size_t len;
    const char *z;
    lua_Integer v = 0;
    if (lua_type(L, -2) != LUA_TSTRING || !lede_whole_number(L, -1, &v))
      luaL_error(L, "dater: '%s' must map zone names to whole minutes", name);
    z = lua_tolstring(L, -2, &len);
    if (len == 0 || len > DATER_ZONE_BYTES)
      luaL_error(L, "dater: '%s': zone names must be 1 to %d bytes long", name, DATER_ZONE_BYTES);
    if (v < -24 * 60 || v > 24 * 60) luaL_error(L, "dater: '%s': offsets must be within a day", name);
    if (n >= DATER_MAX_ZONES) luaL_error(L, "dater: '%s': at most %d zones", name, DATER_MAX_ZONES);
    d->zones[set][n].len = (unsigned char)len;
    memcpy(d->zones[set][n].name, z, len);
    d->zones[set][n].minutes = v;
    n++;
    lua_pop(L, 1);
  }
  d->nzones[set] = n;
}

/* Copies the table of option `opt` at stack index idx into out (at most
 * maxn names of minlen to DATER_MONTH_BYTES bytes, lower case): with
 * `months`, a map of names to 1..12 (`months`); else a set of words
 * (`updated`). Returns how many. */
static int dater_read_names(lua_State *L, int idx, const char *opt, dater_name *out, int maxn, size_t minlen,
                            int months) {
  int n = 0;
  if (lua_isnil(L, idx)) return 0;
  if (!lua_istable(L, idx)) luaL_error(L, "dater: '%s' must be a table, got %s", opt, luaL_typename(L, idx));
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    size_t len;
    const char *w;
    lua_Integer v = 0;
    if (months ? (lua_type(L, -2) != LUA_TSTRING || !lede_whole_number(L, -1, &v) || v < 1 || v > 12)
               : (lua_toboolean(L, -1) && lua_type(L, -2) != LUA_TSTRING))
      luaL_error(L, months ? "dater: '%s' must map month names to 1 to 12" : "dater: the keys of '%s' must be strings",
                 opt);
    if (months || lua_toboolean(L, -1)) {
      w = lua_tolstring(L, -2, &len);
      if (len < minlen || len > DATER_MONTH_BYTES)
        luaL_error(L, "dater: '%s': %s must be %d to %d bytes long", opt, months ? "names" : "words", (int)minlen,
                   DATER_MONTH_BYTES);
      if (n >= maxn) luaL_error(L, "dater: '%s': at most %d %s", opt, maxn, months ? "names" : "words");
      out[n].len = (unsigned char)len;
      memcpy(out[n].name, w, len);
      out[n].month = (int)v;
      n++;
    }
    lua_pop(L, 1);
  }
  return n;
}

/* core.dater{ date = pattern, time_after = pattern, time_before = pattern,
 * zones = { name = minutes }, us_zones = { name = minutes },
 * months = { name = month }, updated = set } -> a lede.Dater. */
static int l_dater(lua_State *L) {
  dater *d;
  int k;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  d = (dater *)lua_newuserdata(L, sizeof(dater));
  memset(d, 0, sizeof(dater));
  luaL_setmetatable(L, DATER_MT);
  lua_getfield(L, 1, "zones");
  dater_read_zones(L, d, lua_gettop(L), 0, "zones");
  lua_pop(L, 1);
  lua_getfield(L, 1, "us_zones");
  dater_read_zones(L, d, lua_gettop(L), 1, "us_zones");
  lua_pop(L, 1);
  lua_getfield(L, 1, "months");
  d->nmonths = dater_read_names(L, lua_gettop(L), "months", d->months, DATER_MAX_MONTHS, 3, 1);
  lua_pop(L, 1);
  lua_getfield(L, 1, "updated");
  d->nupdated = dater_read_names(L, lua_gettop(L), "updated", d->updated, DATER_MAX_UPDATED, 1, 0);
  lua_pop(L, 1);
  d->mctx = pcre2_match_context_create(NULL);
  if (d->mctx == NULL) return luaL_error(L, "not enough memory");
  pcre2_set_match_limit(d->mctx, DATER_MATCH_LIMIT);
  pcre2_set_depth_limit(d->mctx, DATER_DEPTH_LIMIT);
  pcre2_set_heap_limit(d->mctx, DATER_HEAP_LIMIT);
  for (k = 0; k < RX_COUNT; k++) {
    size_t plen;
    const char *pat;
    int err = 0;
    uint32_t caps = 0, options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
    PCRE2_SIZE off = 0;
    pcre2_compile_context *cc;
    lua_getfield(L, 1, dater_rx_names[k]);
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "dater: '%s' must be a pattern string, got %s", dater_rx_names[k], luaL_typename(L, -1));
    pat = lua_tolstring(L, -1, &plen);
    if (k == RX_DATE) options |= PCRE2_CASELESS;
    cc = pcre2_compile_context_create(NULL);
    if (cc == NULL) return luaL_error(L, "not enough memory");
    pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
    d->code[k] = pcre2_compile((PCRE2_SPTR)pat, plen, options, &err, &off, cc);
    pcre2_compile_context_free(cc);
    if (d->code[k] == NULL) {
      char text[256];
      if (pcre2_get_error_message(err, (PCRE2_UCHAR *)text, sizeof text) < 0) strcpy(text, "invalid pattern");
      return luaL_error(L, "dater: '%s': %s at offset %d", dater_rx_names[k], text, (int)off + 1);
    }
    if (pcre2_pattern_info(d->code[k], PCRE2_INFO_CAPTURECOUNT, &caps) != 0 || (int)caps != dater_rx_caps[k])
      return luaL_error(L, "dater: '%s' must have %d captures, has %d", dater_rx_names[k], dater_rx_caps[k], (int)caps);
    if (pcre2_jit_compile(d->code[k], PCRE2_JIT_COMPLETE) == 0) {
      size_t size = 0;
      d->jit[k] = pcre2_pattern_info(d->code[k], PCRE2_INFO_JITSIZE, &size) == 0 && size > 0;
    }
    d->md[k] = pcre2_match_data_create_from_pattern(d->code[k], NULL);
    if (d->md[k] == NULL) return luaL_error(L, "not enough memory");
    lua_pop(L, 1);
  }
  return 1;
}

/* ---- the byline splitter ----------------------------------------------- */

static int nm_alpha(int c) { return nm_upper(c) || nm_lower(c); }

/* The length of the head of an author box at s[0..n) (a word of the
 * namer's about_heads, "about", "über", "à propos de", compared with
 * nm_fold_at) with the white space after it, or 0. */
static size_t nm_about_len(const namer *nm, const unsigned char *s, size_t n) {
  int h;
  for (h = 0; h < nm->n[SET_ABOUT]; h++) {
    const namer_word *w = &nm->words[SET_ABOUT][h];
    size_t x;
    if (n <= w->len || !nm_space(s[w->len])) continue;
    for (x = 0; x < w->len && nm_fold_at(s, x) == (unsigned char)w->w[x]; x++) {}
    if (x == w->len) {
      while (x < n && nm_space(s[x])) x++;
      return x;
    }
  }
  return 0;
}
static int nm_alnum(int c) { return nm_alpha(c) || nm_digit(c); }

/* Where a cut at the first byte q leaves s: q less the white space before
 * it (that of Lua's "%s*" before the byte). */
static size_t nm_back_space(const unsigned char *s, size_t q) {
  while (q > 0 && nm_space(s[q - 1])) q--;
  return q;
}

/* The first q at which word w (no letter before it) starts in s[0..n), or
 * n. */
static size_t nm_find_word(const unsigned char *s, size_t n, const char *w) {
  size_t wl = strlen(w), q;
  for (q = 0; q + wl <= n; q++)
    if (s[q] == (unsigned char)w[0] && memcmp(s + q, w, wl) == 0 && (q == 0 || !nm_alpha(s[q - 1]))) return q;
  return n;
}

/* Whether the one-word name s[a..b) passes the tests of a name after an
 * explicit "By" (a known given name at stack index `given`, a handle, a
 * capitalised word near the title). */
static int nm_one_word(lua_State *L, const namer *nm, const unsigned char *s, size_t a, size_t b, int given, int near) {
  size_t len = b - a, k;
  int digits = 1, lows = 1, lowup = 0, digit_us = 0, cap = len >= 2 && nm_upper(s[a]);
  if (len < 3 || len > 30) return 0;
  if (namer_has_lower(nm, SET_NOT_NAME, s + a, len) || namer_has_lower(nm, SET_ROLE, s + a, len)) return 0;
  for (k = a; k < b; k++) {
    int c = s[k];
    if (!nm_digit(c)) digits = 0;
    if (!nm_lower(c)) lows = 0;
    if (nm_digit(c) || c == '_') digit_us = 1;
    if (k + 1 < b && nm_lower(c) && nm_upper(s[k + 1])) lowup = 1;
    if (k > a && !nm_lower(c)) cap = 0;
  }
  if (digits) return 0;
  if (lowup || digit_us || lows || (near && cap)) return 1;
  if (given > 0 && lua_istable(L, given)) {
    int in;
    lua_pushlstring(L, (const char *)s + a, len);
    lua_rawget(L, given);
    in = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return in;
  }
  return 0;
}

/* Pushes the array of the people text[0..n) names as a byline (the steps
 * of namer:split_byline; `given` the stack index of the given-name set). */
static void nm_split(lua_State *L, const namer *nm, dater *d, const unsigned char *text, size_t n, int given,
                     int explicit, int near) {
  size_t len, k, q, i, j, isolen;
  int have_m = 0, count = 0, boxed = 0;
  unsigned char stack_buf[512], *buf, *rest;
  char iso[64];
  if (n <= sizeof stack_buf) {
    buf = stack_buf;
  } else {
    buf = (unsigned char *)lua_newuserdata(L, n);
    boxed = 1;
  }
  /* links in brackets ("[...]" without brackets inside) become a space */
  for (k = 0, len = 0; k < n;) {
    if (text[k] == '[') {
      size_t e = k + 1;
      while (e < n && text[e] != '[' && text[e] != ']') e++;
      if (e < n && text[e] == ']') {
        buf[len++] = ' ';
        k = e + 1;
        continue;
      }
    }
    buf[len++] = text[k++];
  }
  rest = buf;
  /* "By ..." (the names after it), else the whole text when explicit */
  {
    int rc = pcre2_match(nm->by, (PCRE2_SPTR)buf, len, 0, 0, nm->bymd, nm->mctx);
    if (rc > 1) {
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(nm->bymd);
      if (ov[2] != PCRE2_UNSET && ov[3] >= ov[2]) {
        rest = buf + ov[2];
        len = ov[3] - ov[2];
        have_m = 1;
      }
    } else if (explicit) {
      have_m = 1;
    }
  }
  if (!have_m) {
    /* the heading of an author box: "About Jane Doe", "Über Jane Doe" */
    size_t h;
    k = 0;
    while (k < len && !nm_alnum(rest[k]) && rest[k] != 0xC3) k++; /* (0xC3: "Ü", "À") */
    if ((h = nm_about_len(nm, rest + k, len - k)) > 0) {
      k += h;
      rest += k;
      len -= k;
    }
  }
  /* cut at what follows the names: "|", an em dash, bullets (UTF-8 E2 ...) */
  for (q = 0; q < len && rest[q] != '|' && rest[q] != 0xE2; q++) {}
  if (q < len) len = nm_back_space(rest, q);
  /* " - " */
  for (k = 0; k < len;) {
    size_t r;
    if (!nm_space(rest[k])) {
      k++;
      continue;
    }
    for (r = k; r < len && nm_space(rest[r]); r++) {}
    if (r + 1 < len && rest[r] == '-' && nm_space(rest[r + 1])) {
      len = k;
      break;
    }
    k = r;
  }
  /* a middle dot */
  for (q = 0; q + 1 < len && !(rest[q] == 0xC2 && rest[q + 1] == 0xB7); q++) {}
  if (q + 1 < len) len = nm_back_space(rest, q);
  /* " on Monday" */
  for (k = 0; k < len;) {
    size_t r, t;
    if (!nm_space(rest[k])) {
      k++;
      continue;
    }
    for (r = k; r < len && nm_space(rest[r]); r++) {}
    if (r + 2 < len && (rest[r] == 'O' || rest[r] == 'o') && rest[r + 1] == 'n' && nm_space(rest[r + 2])) {
      for (t = r + 2; t < len && nm_space(rest[t]); t++) {}
      if (t + 1 < len && nm_upper(rest[t]) && nm_lower(rest[t + 1])) {
        len = k;
        break;
      }
    }
    k = r;
  }
  /* "Published", "Updated", "Posted", "Modified" and what follows */
  {
    static const char *const words[] = { "Published", "Updated", "Posted", "Modified", NULL };
    int w;
    for (w = 0; words[w] != NULL; w++) {
      q = nm_find_word(rest, len, words[w]);
      if (q < len) {
        while (q > 0 && (nm_space(rest[q - 1]) || rest[q - 1] == ',')) q--;
        len = q;
      }
    }
  }
  /* a date, then any digit */
  if (dater_read(d, rest, len, iso, &isolen, &i, &j)) len = i - 1;
  for (q = 0; q < len && !nm_digit(rest[q]); q++) {}
  if (q < len) len = nm_back_space(rest, q);
  /* " and ", "&" separate names as "," does (rewritten in place) */
  if (len >= 3 && memchr(rest, 'a', len) != NULL) {
    size_t w = 0;
    for (k = 0; k < len;) {
      size_t r, t;
      if (!nm_space(rest[k])) {
        rest[w++] = rest[k++];
        continue;
      }
      for (r = k; r < len && nm_space(rest[r]); r++) {}
      if (r + 3 < len && rest[r] == 'a' && rest[r + 1] == 'n' && rest[r + 2] == 'd' && nm_space(rest[r + 3])) {
        for (t = r + 3; t < len && nm_space(rest[t]); t++) {}
        rest[w++] = ',';
        k = t;
      } else {
        while (k < r) rest[w++] = rest[k++];
      }
    }
    len = w;
  }
  if (memchr(rest, '&', len) != NULL) {
    size_t w = 0;
    for (k = 0; k < len;) {
      size_t r = k, t;
      while (r < len && nm_space(rest[r])) r++;
      if (r < len && rest[r] == '&') {
        for (t = r + 1; t < len && nm_space(rest[t]); t++) {}
        rest[w++] = ',';
        k = t;
      } else if (r > k) {
        while (k < r) rest[w++] = rest[k++];
      } else {
        rest[w++] = rest[k++];
      }
    }
    len = w;
  }
  /* the parts between "," and ";": a name, a name and a role, a one-word
   * name after "By"; a part that names no one after a name ends them */
  lua_createtable(L, 2, 0);
  for (k = 0; k < len;) {
    size_t pb, pe, b, e, ob[4], oe[4];
    int nout = 0, whole;
    if (rest[k] == ',' || rest[k] == ';') {
      k++;
      continue;
    }
    pb = k;
    while (k < len && rest[k] != ',' && rest[k] != ';') k++;
    pe = k;
    whole = namer_person(nm, rest + pb, pe - pb, &b, &e);
    if (!whole) nout = namer_prefix(nm, rest + pb, pe - pb, ob, oe);
    if (nout > 0) {
      namer_push_words(L, rest + pb, ob, oe, nout);
      lua_rawseti(L, -2, ++count);
      break;
    }
    if (whole) {
      lua_pushlstring(L, (const char *)rest + pb + b, e - b);
      lua_rawseti(L, -2, ++count);
      continue;
    }
    if (have_m) {
      size_t a = pb, z;
      while (a < pe && nm_space(rest[a])) a++;
      z = a;
      while (z < pe && (nm_alnum(rest[z]) || rest[z] == '_' || rest[z] == '.' || rest[z] == '-')) z++;
      b = z;
      while (b < pe && nm_space(rest[b])) b++;
      if (z > a && b == pe && nm_one_word(L, nm, rest, a, z, given, near)) {
        lua_pushlstring(L, (const char *)rest + a, z - a);
        lua_rawseti(L, -2, ++count);
        continue;
      }
    }
    if (count > 0) break;
  }
  if (boxed) lua_remove(L, -2);
}

/* namer:split_byline(text, dater, given, explicit, near) -> the array of
 * the people a byline's text names (see docs/core.md). */
static int namer_split_byline(lua_State *L) {
  const namer *nm = check_namer(L);
  size_t n;
  const unsigned char *text = (const unsigned char *)luaL_checklstring(L, 2, &n);
  dater *d = (dater *)meta_check(L, 3, 2, DATER_MT);
  if (d->closed) return luaL_error(L, "lede.Dater is closed");
  if (nm->by == NULL) return luaL_error(L, "split_byline: the namer has no 'by' pattern");
  lua_settop(L, 6);
  nm_split(L, nm, d, text, n, 4, lua_toboolean(L, 5), lua_toboolean(L, 6));
  return 1;
}

/* ---- one block of the header region ------------------------------------ */

/* Runs header pattern k on s[0..len) (as core.regex does; a match that runs
 * into the limits matches nothing): pcre2_match's result. */
static int nm_hmatch(namer *nm, int k, const unsigned char *s, size_t len) {
  int rc;
  if (nm->hjit[k]) rc = pcre2_jit_match(nm->hx[k], (PCRE2_SPTR)s, len, 0, 0, nm->hmd, nm->mctx);
  else rc = pcre2_match(nm->hx[k], (PCRE2_SPTR)s, len, 0, 0, nm->hmd, nm->mctx);
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT && nm->jstack == NULL) {
    nm->jstack = pcre2_jit_stack_create(DATER_JIT_STACK_START, DATER_JIT_STACK_MAX, NULL);
    if (nm->jstack != NULL) {
      pcre2_jit_stack_assign(nm->mctx, NULL, nm->jstack);
      rc = pcre2_match(nm->hx[k], (PCRE2_SPTR)s, len, 0, 0, nm->hmd, nm->mctx);
    }
  }
  return rc;
}

/* Capture g of the last header match, when it is set: bounds in *a, *b. */
static int nm_hcap(const namer *nm, int rc, int g, size_t *a, size_t *b) {
  const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(nm->hmd);
  if (rc <= g) return 0;
  return dater_cap(ov, g, a, b);
}

/* Whether s[0..n) is in the given-name set at stack index given. */
static int nm_given(lua_State *L, int given, const unsigned char *s, size_t n) {
  int in;
  if (!lua_istable(L, given)) return 0;
  lua_pushlstring(L, (const char *)s, n);
  lua_rawget(L, given);
  in = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return in;
}

/* The length of s's first word (Lua's "^%S+"). */
static size_t nm_first_word(const unsigned char *s, size_t n) {
  size_t k = 0;
  while (k < n && !nm_space(s[k])) k++;
  return k;
}

/* Appends s[0..n) to the output array at stack index *out (created on the
 * first name). */
static void nm_out(lua_State *L, int *out, int *count, const unsigned char *s, size_t n) {
  if (*out == 0) {
    lua_createtable(L, 2, 0);
    *out = lua_gettop(L);
  }
  lua_pushlstring(L, (const char *)s, n);
  lua_rawseti(L, *out, ++*count);
}

/* Appends the name of s[0..n) (namer_person) when there is one. */
static int nm_out_person(lua_State *L, const namer *nm, int *out, int *count, const unsigned char *s, size_t n) {
  size_t b, e;
  if (!namer_person(nm, s, n, &b, &e)) return 0;
  nm_out(L, out, count, s + b, e - b);
  return 1;
}

static int nm_lowc(int c) { return nm_upper(c) ? c + 32 : c; }

/* Whether a text can start like a byline: its first byte is no ASCII
 * letter or digit, or one of "bBwWpPsSrRaAtT". */
static int nm_maybe_by(const unsigned char *t, size_t n) {
  return n > 0 && (!nm_alnum(t[0]) || strchr("bBwWpPsSrRaAtT", t[0]) != NULL);
}

/* The steps after "By" alone of namer:header_block (a byline, "Written by
 * Jane", "Jane Doe May 1, 2024", "May 1, 2024 | Jane Doe"). */
static void nm_header_names(lua_State *L, namer *nm, dater *d, const unsigned char *t, size_t n,
                            const unsigned char *raw, size_t rn, int navigation, int given, int dated, size_t di,
                            size_t dj, int *out, int *count) {
  int menu = rn > 0 && (raw[0] == 226 || raw[0] == 194 || raw[0] == '*'), explicit = 0, rc;
  size_t a, b, i, j, isolen, ob[4], oe[4];
  char iso[64];
  if (menu) explicit = nm_hmatch(nm, HX_BY_EXPLICIT, t, n) > 0;
  if (nm_maybe_by(t, n) && pcre2_match(nm->by, (PCRE2_SPTR)t, n, 0, 0, nm->bymd, nm->mctx) > 0) {
    int top = lua_gettop(L);
    lua_Integer m, len;
    nm_split(L, nm, d, t, n, given, 0, 0);
    len = (lua_Integer)lua_rawlen(L, -1);
    for (m = 1; m <= len; m++) {
      size_t sn;
      const unsigned char *s;
      lua_rawgeti(L, top + 1, m);
      s = (const unsigned char *)lua_tolstring(L, -1, &sn);
      lua_pop(L, 1); /* (the string stays in the split array) */
      if (s != NULL
          && (!menu || nm_given(L, given, s, nm_first_word(s, sn))
              || (explicit && memchr(s, ' ', sn) != NULL)))
        nm_out(L, out, count, s, sn);
    }
    /* (the split array stays below the output: its index is kept) */
    if (*count > 0) return;
  }
  if (!menu) {
    rc = nm_hmatch(nm, HX_INNER_BY, t, n);
    if (rc > 0 && nm_hcap(nm, rc, 1, &a, &b)) {
      size_t bi = pcre2_get_ovector_pointer(nm->hmd)[0];
      if (!(nm_hmatch(nm, HX_OTHER_BY, t, bi) > 0)) {
        int top = lua_gettop(L);
        lua_Integer m, len;
        nm_split(L, nm, d, t + a, b - a, given, 1, 0);
        len = (lua_Integer)lua_rawlen(L, -1);
        for (m = 1; m <= len; m++) {
          size_t sn;
          const unsigned char *s;
          lua_rawgeti(L, top + 1, m);
          s = (const unsigned char *)lua_tolstring(L, -1, &sn);
          lua_pop(L, 1); /* (the string stays in the split array) */
          if (s != NULL) nm_out(L, out, count, s, sn);
        }
        /* (the split array stays below the output: its index is kept) */
        if (*count > 0) return;
      }
    }
  }
  /* (`dated`: 1 when the date of t was read, at di..dj, 0 when there is
   * none, -1 when it was not read yet) */
  if (dated < 0) dated = dater_read(d, t, n, iso, &isolen, &di, &dj);
  if (!dated) return;
  i = di, j = dj;
  if (!navigation) {
    /* a name followed by its date: "Jane Doe Published: May 1, 2024" */
    int nout = namer_prefix(nm, t, n, ob, oe);
    if (nout > 0) {
      unsigned char pre[128], gap[128];
      size_t plen = 0, at = 1, q, g = 0;
      int w;
      for (w = 0; w < nout && plen + (oe[w] - ob[w]) + 1 <= sizeof pre; w++) {
        if (w > 0) pre[plen++] = ' ';
        memcpy(pre + plen, t + ob[w], oe[w] - ob[w]);
        plen += oe[w] - ob[w];
      }
      if (w == nout) {
        for (q = 0; q + plen <= n; q++)
          if (memcmp(t + q, pre, plen) == 0) {
            at = q + 1;
            break;
          }
        /* the bytes between them less white space and punctuation, lower case */
        for (q = at + plen; q + 1 <= i && q <= n; q++) {
          int c = t[q - 1];
          if (nm_space(c) || nm_punct(c)) continue;
          if (g < sizeof gap) gap[g] = (unsigned char)nm_lowc(c);
          g++;
        }
        if ((i <= at + plen + 3 || nm_given(L, given, t + ob[0], oe[0] - ob[0])
             || (g <= sizeof gap && namer_has(nm, SET_GAP_WORDS, gap, g)))
            && i <= at + plen + 30) {
          nm_out(L, out, count, pre, plen);
          return;
        }
      }
    }
  }
  /* a date, then the name: "Dec 17, 2025 Julian K. Arni" */
  for (a = j; a < n;) {
    size_t sb, se, r;
    while (a < n && (t[a] == '|' || t[a] == 226 || t[a] == 194)) a++;
    if (a >= n) break;
    sb = a;
    while (a < n && !(t[a] == '|' || t[a] == 226 || t[a] == 194)) a++;
    se = a;
    while (sb < se && (nm_space(t[sb]) || nm_punct(t[sb]) || (t[sb] >= 128 && t[sb] <= 191))) sb++;
    for (r = sb; r < se;) {
      size_t e2;
      if (!nm_space(t[r])) {
        r++;
        continue;
      }
      for (e2 = r; e2 < se && nm_space(t[e2]); e2++) {}
      if (e2 + 9 <= se && memcmp(t + e2, "on behalf", 9) == 0) {
        se = r;
        break;
      }
      r = e2;
    }
    if (nm_out_person(L, nm, out, count, t + sb, se - sb)) return;
    {
      int nout = namer_prefix(nm, t + sb, se - sb, ob, oe);
      if (nout > 0 && nm_given(L, given, t + sb + ob[0], oe[0] - ob[0])) {
        luaL_Buffer lb;
        int w;
        if (*out == 0) {
          lua_createtable(L, 2, 0);
          *out = lua_gettop(L);
        }
        luaL_buffinit(L, &lb);
        for (w = 0; w < nout; w++) {
          if (w > 0) luaL_addchar(&lb, ' ');
          luaL_addlstring(&lb, (const char *)t + sb + ob[w], oe[w] - ob[w]);
        }
        luaL_pushresult(&lb);
        lua_rawseti(L, *out, ++*count);
        return;
      }
    }
  }
}

/* The steps of namer:header_block for the text t[0..n) of a block whose
 * text as given is raw[0..rn) and whose kind is kind[0..kn) (see
 * docs/core.md), with the given-name set at stack index `given`: -1 for a
 * "By" alone, else the count of names found, in the array at stack index
 * *out (0: none). Leaves what it pushes on the stack. */
static int header_core(lua_State *L, namer *nm, dater *d, const unsigned char *t, size_t n, const unsigned char *raw,
                       size_t rn, const unsigned char *kind, size_t kn, int same_next, int after_alone, int given,
                       int *out) {
  size_t a, b, i = 0, j = 0, isolen;
  int count = 0, rc, dated = -1;
  int listy = (kn == 7 && memcmp(kind, "related", 7) == 0) || (kn == 10 && memcmp(kind, "navigation", 10) == 0);
  char iso[64];
  *out = 0;
  if (!after_alone) {
    /* "... Written by Jane Doe" inside a line */
    if (n <= 240 && !listy && n >= 3) {
      int found = 0;
      for (a = 0; a + 3 <= n; a++)
        if (t[a] == ' ' && t[a + 1] == 'b' && t[a + 2] == 'y') {
          found = 1;
          break;
        }
      rc = found ? nm_hmatch(nm, HX_INNER_WRITTEN, t, n) : 0;
      if (rc > 0 && nm_hcap(nm, rc, 1, &a, &b)) {
        lua_Integer m, len;
        int top = lua_gettop(L);
        nm_split(L, nm, d, t + a, b - a, given, 1, 0);
        len = (lua_Integer)lua_rawlen(L, -1);
        for (m = 1; m <= len; m++) {
          size_t sn;
          const unsigned char *s;
          lua_rawgeti(L, top + 1, m);
          s = (const unsigned char *)lua_tolstring(L, -1, &sn);
          lua_pop(L, 1); /* (the string stays in the split array) */
          if (s != NULL && memchr(s, ' ', sn) != NULL) nm_out(L, out, &count, s, sn);
        }
        /* (the split array stays below the output: its index is kept) */
      }
    }
    /* a name with credentials: "Jillian Kubala, MS, RD" */
    if (count == 0 && n <= 240 && !listy) {
      rc = nm_hmatch(nm, HX_CREDENTIALS, t, n);
      if (rc > 0 && nm_hcap(nm, rc, 1, &a, &b)) nm_out_person(L, nm, out, &count, t + a, b - a);
    }
    /* the author's photo: "Picture of Jane Doe" */
    if (count == 0 && n <= 200 && lede_maybe_picture(t, n)) {
      rc = nm_hmatch(nm, HX_PICTURE_OF, t, n);
      if (rc > 0 && (nm_hcap(nm, rc, 1, &a, &b) || nm_hcap(nm, rc, 2, &a, &b)))
        nm_out_person(L, nm, out, &count, t + a, b - a);
    }
    /* the same name twice (under the author's photo, then as a link) */
    if (count == 0 && n <= 60 && same_next && namer_person(nm, t, n, &a, &b)
        && nm_given(L, given, t + a, nm_first_word(t + a, b - a)))
      nm_out(L, out, &count, t + a, b - a);
    if (count == 0 && n <= 120
        && (namer_has(nm, SET_HEADER_KINDS, kind, kn)
            || (kn == 4 && memcmp(kind, "body", 4) == 0 && n <= 100
                && (dated = dater_read(d, t, n, iso, &isolen, &i, &j)) != 0))) {
      /* "Article written by:" alone: the name follows */
      if (nm_hmatch(nm, HX_BY_ALONE, t, n) > 0) return -1;
      after_alone = 1;
    }
  }
  if (after_alone && count == 0)
    nm_header_names(L, nm, d, t, n, raw, rn, kn == 10 && memcmp(kind, "navigation", 10) == 0, given, dated, i, j,
                    out, &count);
  return count;
}

/* Raises unless the namer has the patterns header_core runs (those
 * byline_block needs too). */
static void namer_check_by(lua_State *L, const namer *nm, const char *who) {
  int k;
  if (nm->by == NULL) luaL_error(L, "%s: the namer has no 'by' pattern", who);
  for (k = 0; k < HX_COUNT; k++)
    if (nm->hx[k] == NULL) luaL_error(L, "%s: the namer has no '%s' pattern", who, namer_hx_names[k]);
}

/* namer:header_block(t, text, kind, same_next, dater, given [, after_alone])
 * -> names | nil, alone (see docs/core.md). */
static int namer_header_block(lua_State *L) {
  namer *nm = check_namer(L);
  size_t n, rn, kn;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 2, &n);
  const unsigned char *raw = (const unsigned char *)luaL_checklstring(L, 3, &rn);
  const unsigned char *kind = (const unsigned char *)luaL_optlstring(L, 4, "", &kn);
  int same_next = lua_toboolean(L, 5), after_alone = lua_toboolean(L, 8), out = 0, r;
  dater *d = (dater *)meta_check(L, 6, 2, DATER_MT);
  if (d->closed) return luaL_error(L, "lede.Dater is closed");
  namer_check_by(L, nm, "header_block");
  lua_settop(L, 8);
  r = header_core(L, nm, d, t, n, raw, rn, kind, kn, same_next, after_alone, 7, &out);
  if (r < 0) {
    lua_pushnil(L);
    lua_pushboolean(L, 1);
    return 2;
  }
  if (out == 0) lua_pushnil(L);
  else lua_pushvalue(L, out);
  lua_pushboolean(L, 0);
  return 2;
}

/* Pushes block k's field `up` (an upvalue: "text", "kind") of the block
 * table at stack index b, read as the metadata stage reads it (b.text):
 * its type. */
static int hs_field(lua_State *L, int b, int up) {
  lua_pushvalue(L, lua_upvalueindex(up));
  return lua_gettable(L, b);
}

/* Pushes block k of the blocks at stack index 2 (a table, or an error as
 * indexing it would raise in Lua; the array is read raw); nil and false
 * are kept as they are. */
static int hs_block(lua_State *L, lua_Integer k, const char *who) {
  int tp;
  /* (an index past what an int holds is no block: Lua 5.1 reads ints) */
  if (k > INT_MAX || k < INT_MIN) {
    lua_pushnil(L);
    return LUA_TNIL;
  }
  lua_rawgeti(L, 2, k);
  tp = lua_type(L, -1);
  if (tp != LUA_TTABLE && tp != LUA_TNIL && !(tp == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
    luaL_error(L, "%s: block %d is not a table", who, (int)k);
  return tp;
}

/* Pushes the text of the block at stack index b, its links in brackets
 * ("[...]" without brackets inside, and the white space after it) taken
 * out when it has a "[": Lua's t:gsub("%[[^%]%[]*%]%s*", ""). Returns the
 * text; *raw gets the block's own text (at stack index *rawi). */
static const unsigned char *hs_text(lua_State *L, int b, int *rawi, const unsigned char **raw, size_t *rn,
                                    size_t *n, const char *who) {
  const unsigned char *s;
  size_t p, q, len;
  luaL_Buffer buf;
  if (hs_field(L, b, 3) != LUA_TSTRING) luaL_error(L, "%s: a block has no text", who);
  *rawi = lua_gettop(L);
  s = (const unsigned char *)lua_tolstring(L, -1, &len);
  *raw = s;
  *rn = len;
  if (memchr(s, '[', len) == NULL) {
    *n = len;
    return s;
  }
  luaL_buffinit(L, &buf);
  for (p = 0; p < len;) {
    if (s[p] == '[') {
      for (q = p + 1; q < len && s[q] != ']' && s[q] != '['; q++) {}
      if (q < len && s[q] == ']') {
        for (q++; q < len && nm_space(s[q]); q++) {}
        p = q;
        continue;
      }
    }
    luaL_addchar(&buf, (char)s[p]);
    p++;
  }
  luaL_pushresult(&buf);
  return (const unsigned char *)lua_tolstring(L, -1, n);
}

/* namer:header_scan(blocks, cues, lo, from, dater, given) -> k, names,
 * alone, t, same_next | nil (see docs/core.md). */
static int namer_header_scan(lua_State *L) {
  namer *nm = check_namer(L);
  size_t nc;
  const char *cues = luaL_checklstring(L, 3, &nc);
  lua_Integer lo = luaL_checkinteger(L, 4), at = luaL_checkinteger(L, 5);
  dater *d = (dater *)meta_check(L, 6, 2, DATER_MT);
  if (d->closed) return luaL_error(L, "lede.Dater is closed");
  namer_check_by(L, nm, "header_scan");
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 7);
  luaL_checkstack(L, 40, "header_scan");
  for (at = at < 1 ? 1 : at; at <= (lua_Integer)nc; at++) {
    lua_Integer k = lo + at - 1;
    int top = lua_gettop(L), b = top + 1, rawi, ti, out, r, same = 0;
    size_t n, rn, kn = 0;
    const unsigned char *t, *raw, *kind = (const unsigned char *)"";
    if (cues[at - 1] != '1' && cues[at - 1] != '3') continue;
    if (hs_block(L, k, "header_scan") != LUA_TTABLE) return luaL_error(L, "header_scan: block %d is not a table", (int)k);
    if (hs_field(L, b, 4) == LUA_TSTRING) kind = (const unsigned char *)lua_tolstring(L, -1, &kn);
    t = hs_text(L, b, &rawi, &raw, &rn, &n, "header_scan");
    ti = lua_gettop(L);
    if (n <= 60 && hs_block(L, k + 1, "header_scan") == LUA_TTABLE) {
      /* (nx.text == b.text) */
      hs_field(L, ti + 1, 3);
      same = lua_rawequal(L, -1, rawi);
    }
    lua_settop(L, ti);
    r = header_core(L, nm, d, t, n, raw, rn, kind, kn, same, 0, 7, &out);
    if (r != 0) {
      lua_pushinteger(L, k);
      if (out != 0) lua_pushvalue(L, out);
      else lua_pushnil(L);
      lua_pushboolean(L, r < 0);
      lua_pushvalue(L, ti);
      lua_pushboolean(L, same);
      return 5;
    }
    lua_settop(L, top);
  }
  lua_pushnil(L);
  return 1;
}

/* Whether the text of the block at stack index b has a date, when it is
 * of at most 60 bytes. */
static int na_dated(lua_State *L, dater *d, int b) {
  size_t len, isolen, i, j;
  const unsigned char *t;
  char iso[64];
  int dated;
  if (hs_field(L, b, 3) != LUA_TSTRING) return luaL_error(L, "name_alone: a block has no text");
  t = (const unsigned char *)lua_tolstring(L, -1, &len);
  dated = len <= 60 && dater_read(d, t, len, iso, &isolen, &i, &j);
  lua_pop(L, 1);
  return dated;
}

/* Whether the kind of the block at stack index b is one of the names
 * (NULL-terminated). */
static int na_kind_in(lua_State *L, int b, const char *const *names) {
  size_t kn;
  int in = 0, q;
  if (hs_field(L, b, 4) == LUA_TSTRING) {
    const char *kind = lua_tolstring(L, -1, &kn);
    for (q = 0; names[q] != NULL && !in; q++) in = strlen(names[q]) == kn && memcmp(names[q], kind, kn) == 0;
  }
  lua_pop(L, 1);
  return in;
}

/* A name alone on the short line t[0..n) of block k (blocks at stack index
 * 2) next to the title, a byline or a date: pushes it and returns 1, else
 * 0 (see namer:name_alone in docs/core.md). The given-name set is at stack
 * index `given`, the day-and-month pattern at `day_month`. */
static int name_alone_core(lua_State *L, const namer *nm, dater *d, lua_Integer k, lua_Integer lo,
                           const unsigned char *t, size_t n, int given, int day_month) {
  static const char *const near_kinds[] = { "title", "dateline", "byline", NULL };
  static const char *const strong_kinds[] = { "dateline", "byline", NULL };
  int near = k == lo, strong = 0, top = lua_gettop(L);
  lua_Integer j;
  size_t b = 0, m, q, nb, ne;
  const unsigned char *comma, *s;
  for (j = k - 2; j <= k + 2 && !near; j++) {
    if (j == k) continue;
    if (hs_block(L, j, "name_alone") == LUA_TTABLE)
      near = na_kind_in(L, top + 1, near_kinds) || (j > k && na_dated(L, d, top + 1));
    lua_settop(L, top);
  }
  if (!near) return 0;
  /* the part before the first ",", less the leading bytes of "\226\128\162",
   * white space and "*"; a name the page glued to itself ("Jane DoeJane
   * Doe") once */
  comma = (const unsigned char *)memchr(t, ',', n);
  if (comma != NULL) n = (size_t)(comma - t);
  while (b < n && (t[b] == 0xE2 || t[b] == 0x80 || t[b] == 0xA2 || nm_space(t[b]) || t[b] == '*')) b++;
  s = t + b;
  m = n - b;
  for (q = 2; q <= 3; q++) {
    if (m % q == 0) {
      size_t part = m / q, r;
      for (r = 1; r < q && memcmp(s, s + r * part, part) == 0; r++) {}
      if (r == q) {
        m = part;
        break;
      }
    }
  }
  if (!namer_person(nm, s, m, &nb, &ne)) return 0;
  if (hs_block(L, k + 1, "name_alone") == LUA_TTABLE) {
    int nx = top + 1;
    strong = na_kind_in(L, nx, strong_kinds) || na_dated(L, d, nx);
    if (!strong) {
      size_t len;
      const char *tx;
      if (hs_field(L, nx, 3) != LUA_TSTRING) return luaL_error(L, "name_alone: a block has no text");
      tx = lua_tolstring(L, -1, &len);
      strong = lede_regex_found(L, day_month, tx, len);
    }
  }
  lua_settop(L, top);
  /* (or its first word a known given name) */
  if (!strong && (nm_first_word(s + nb, ne - nb) == 0 || !nm_given(L, given, s + nb, nm_first_word(s + nb, ne - nb))))
    return 0;
  lua_pushlstring(L, (const char *)s + nb, ne - nb);
  return 1;
}

/* namer:name_alone(blocks, k, t, lo, dater, given, day_month) -> name | nil
 * (see docs/core.md). */
static int namer_name_alone(lua_State *L) {
  const namer *nm = check_namer(L);
  lua_Integer k = luaL_checkinteger(L, 3), lo = luaL_checkinteger(L, 5);
  size_t n;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 4, &n);
  dater *d = (dater *)meta_check(L, 6, 2, DATER_MT);
  if (d->closed) return luaL_error(L, "lede.Dater is closed");
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 8);
  luaL_checkstack(L, 20, "name_alone");
  if (!name_alone_core(L, nm, d, k, lo, t, n, 7, 8)) lua_pushnil(L);
  return 1;
}

/* Whether c is a letter or digit of ASCII or a byte above 127 (Lua's
 * "[%w\128-\255]"). */
static int bx_wordish(int c) { return nm_alnum(c) || c >= 128; }

/* Whether s[0..n) holds an ASCII letter once its balanced "(...)" are taken
 * out (Lua's s:gsub("%b()", ""):find("%a")). */
static int bx_letter_outside(const unsigned char *s, size_t n) {
  size_t p = 0;
  while (p < n) {
    if (s[p] == '(') {
      size_t q = p + 1;
      int depth = 1;
      for (; q < n; q++) {
        if (s[q] == ')' && --depth == 0) break;
        if (s[q] == '(') depth++;
      }
      if (q < n) {
        p = q + 1;
        continue;
      }
    } else if (nm_alpha(s[p])) {
      return 1;
    }
    p++;
  }
  return 0;
}

/* Whether the bio at s[0..n) (80 bytes or more) is about the person whose
 * name's first word is w[0..wn) (see namer:box_scan). */
static int bx_bio(lua_State *L, const unsigned char *s, size_t n, const unsigned char *w, size_t wn, int given,
                  int pronoun, int verbs) {
  const unsigned char *hit = NULL;
  size_t at = 0, q;
  int ok = 0, known = nm_given(L, given, w, wn);
  for (q = 0; wn > 0 && q + wn <= n; q++)
    if (s[q] == w[0] && memcmp(s + q, w, wn) == 0) {
      hit = s + q;
      at = q;
      break;
    }
  if (hit != NULL && at < 40 && !bx_letter_outside(s, at) && !(at + wn < n && bx_wordish(s[at + wn]))
      && (at == 0 || !bx_wordish(s[at - 1]))) {
    ok = 1;
  } else if (known) {
    /* "..., Paul is recognized for ..." (a known given name) */
    size_t hn = n < 200 ? n : 200, nv = (size_t)lua_rawlen(L, verbs), v;
    for (v = 1; v <= nv && !ok; v++) {
      size_t vn, len;
      const unsigned char *verb;
      lua_rawgeti(L, verbs, (lua_Integer)v);
      verb = (const unsigned char *)lua_tolstring(L, -1, &vn);
      len = wn + vn;
      for (q = 0; verb != NULL && q + len <= hn; q++)
        if (s[q] == w[0] && memcmp(s + q, w, wn) == 0 && memcmp(s + q + wn, verb, vn) == 0) {
          ok = 1;
          break;
        }
      lua_pop(L, 1);
    }
  }
  /* a person: a known given name, or "he", "she" in the bio (a company is
   * "they") */
  return ok && (known || lede_regex_found(L, pronoun, (const char *)s, n < 400 ? n : 400));
}

/* namer:box_scan(blocks, ks, given, pronoun, verbs) -> name | nil (see
 * docs/core.md). */
static int namer_box_scan(lua_State *L) {
  const namer *nm = check_namer(L);
  lua_Integer nks, ki, nb;
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 6, LUA_TTABLE);
  lua_settop(L, 6);
  luaL_checkstack(L, 20, "box_scan");
  nks = (lua_Integer)lua_rawlen(L, 3);
  nb = (lua_Integer)lua_rawlen(L, 2);
  for (ki = 1; ki <= nks; ki++) {
    int top = lua_gettop(L), isnum = 0;
    lua_Integer k, j;
    size_t n, p = 0, b, e, nn, wn;
    const unsigned char *t, *name, *bare;
    lua_rawgeti(L, 3, ki);
    k = lua_tointegerx(L, -1, &isnum);
    if (!isnum) return luaL_error(L, "box_scan: ks[%d] is not a block index", (int)ki);
    if (hs_block(L, k, "box_scan") != LUA_TTABLE) return luaL_error(L, "box_scan: block %d is not a table", (int)k);
    if (hs_field(L, top + 2, 3) != LUA_TSTRING) return luaL_error(L, "box_scan: a block has no text");
    t = (const unsigned char *)lua_tolstring(L, -1, &n);
    /* "^%-?%s*%u" (or a Latin-1 capital: "Über Jane Doe", "Ángel Ruiz") */
    if (p < n && t[p] == '-') p++;
    while (p < n && nm_space(t[p])) p++;
    if (p >= n || !(nm_upper(t[p]) || (t[p] == 0xC3 && p + 1 < n && t[p + 1] >= 0x80 && t[p + 1] <= 0x9E))) {
      lua_settop(L, top);
      continue;
    }
    /* less a leading "-" and white space, then "About " ("Über ", ...) */
    p = 0;
    if (n > 0 && t[0] == '-')
      for (p = 1; p < n && nm_space(t[p]); p++) {}
    p += nm_about_len(nm, t + p, n - p);
    bare = t + p;
    if (namer_person(nm, bare, n - p, &b, &e)) {
      name = bare + b;
      nn = e - b;
    } else if (nm_given(L, 4, bare, n - p)) {
      /* a known given name alone ("Stefan") */
      name = bare;
      nn = n - p;
    } else {
      lua_settop(L, top);
      continue;
    }
    if (nn < 2 || !nm_upper(name[0]) || !nm_lower(name[1])) {
      lua_settop(L, top);
      continue;
    }
    wn = nm_first_word(name, nn);
    for (j = k + 1; j <= k + 2 && j <= nb; j++) {
      size_t bn;
      const unsigned char *bio;
      if (hs_block(L, j, "box_scan") != LUA_TTABLE) return luaL_error(L, "box_scan: block %d is not a table", (int)j);
      if (hs_field(L, lua_gettop(L), 3) != LUA_TSTRING) return luaL_error(L, "box_scan: a block has no text");
      bio = (const unsigned char *)lua_tolstring(L, -1, &bn);
      if (bn >= 80) {
        if (bx_bio(L, bio, bn, name, wn, 4, 5, 6)) {
          lua_pushlstring(L, (const char *)name, nn);
          return 1;
        }
        break;
      }
      lua_pop(L, 2);
    }
    lua_settop(L, top);
  }
  lua_pushnil(L);
  return 1;
}

/* namer:alone_scan(blocks, cues, lo, dater, given, day_month) -> name | nil
 * (see docs/core.md). */
static int namer_alone_scan(lua_State *L) {
  const namer *nm = check_namer(L);
  size_t nc;
  const char *cues = luaL_checklstring(L, 3, &nc);
  lua_Integer lo = luaL_checkinteger(L, 4), at;
  dater *d = (dater *)meta_check(L, 5, 2, DATER_MT);
  if (d->closed) return luaL_error(L, "lede.Dater is closed");
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 7);
  luaL_checkstack(L, 30, "alone_scan");
  for (at = 1; at <= (lua_Integer)nc; at++) {
    lua_Integer k = lo + at - 1;
    int top = lua_gettop(L), b = top + 1, rawi;
    size_t n, rn, kn = 0;
    const unsigned char *t, *raw, *kind = NULL;
    if (cues[at - 1] != '2' && cues[at - 1] != '3') continue;
    if (hs_block(L, k, "alone_scan") != LUA_TTABLE) return luaL_error(L, "alone_scan: block %d is not a table", (int)k);
    if (hs_field(L, b, 4) == LUA_TSTRING) kind = (const unsigned char *)lua_tolstring(L, -1, &kn);
    t = hs_text(L, b, &rawi, &raw, &rn, &n, "alone_scan");
    if (n <= 80 && kind != NULL
        && (namer_has(nm, SET_HEADER_KINDS, kind, kn) || (kn == 4 && memcmp(kind, "body", 4) == 0 && n <= 40))
        && name_alone_core(L, nm, d, k, lo, t, n, 6, 7))
      return 1;
    lua_settop(L, top);
  }
  lua_pushnil(L);
  return 1;
}
/* Appends the names of split_byline(s[0..n), explicit, near) to the output,
 * all of them, or (menu) those whose first word is in `given` or, when
 * `shown` (an explicit byline), that hold a space. */
static void nm_split_out(lua_State *L, namer *nm, dater *d, const unsigned char *s0, size_t n0, int given,
                         int explicit, int near, int menu, int shown, int *out, int *count) {
  lua_Integer m, len;
  int top = lua_gettop(L);
  nm_split(L, nm, d, s0, n0, given, explicit, near);
  len = (lua_Integer)lua_rawlen(L, -1);
  for (m = 1; m <= len; m++) {
    size_t sn;
    const unsigned char *s;
    lua_rawgeti(L, top + 1, m);
    s = (const unsigned char *)lua_tolstring(L, -1, &sn);
    lua_pop(L, 1); /* (the string stays in the split array) */
    if (s != NULL
        && (!menu || nm_given(L, given, s, nm_first_word(s, sn)) || (shown && memchr(s, ' ', sn) != NULL)))
      nm_out(L, out, count, s, sn);
  }
  /* (the split array stays below the output: its index is kept) */
}

/* The names block k (text t, kind, rule: NULL when none) gives, as
 * namer:byline_block reads it (the dater and namer checked): 1 with the
 * array of names pushed, 2 when it is a "By" alone, 0 (nothing pushed)
 * otherwise. `given` is the stack index of the given-name set; last_body is
 * read from stack index `last_idx` only when needed. The stack may grow. */
static int nm_byline_one(lua_State *L, namer *nm, dater *d, int given, const unsigned char *t, size_t n,
                         const unsigned char *kind, size_t kn, const char *rule, size_t rn, lua_Integer k,
                         lua_Integer lo, lua_Integer near_hi, lua_Integer lead_hi, int has_first,
                         lua_Integer first_body, int last_idx) {
  size_t a, b;
  int out = 0, count = 0, rc, near, lead = 0, byl = 0;
  lua_Integer last_body;
  /* "Published August 7, 2023 by Jane Doe" */
  if (kn == 8 && memcmp(kind, "dateline", 8) == 0 && k <= near_hi && n <= 160) {
    rc = nm_hmatch(nm, HX_INNER_BY, t, n);
    if (rc > 0 && nm_hcap(nm, rc, 1, &a, &b)) {
      size_t bi = pcre2_get_ovector_pointer(nm->hmd)[0];
      if (!(nm_hmatch(nm, HX_OTHER_BY, t, bi) > 0)) {
        nm_split_out(L, nm, d, t + a, b - a, given, 1, 0, 0, 0, &out, &count);
        if (count > 0) {
          lua_pushvalue(L, out);
          return 1;
        }
      }
    }
  }
  near = k >= lo && k <= near_hi;
  if (kn == 4 && memcmp(kind, "body", 4) == 0 && n <= 200 && k >= lo && k <= lead_hi && nm_maybe_by(t, n))
    lead = (near && pcre2_match(nm->by, (PCRE2_SPTR)t, n, 0, 0, nm->bymd, nm->mctx) > 0)
           || nm_hmatch(nm, HX_BY_EXPLICIT, t, n) > 0;
  if (!lead && kn == 6 && memcmp(kind, "byline", 6) == 0) {
    if (has_first && k > first_body + 2) {
      last_body = luaL_checkinteger(L, last_idx);
      byl = k > last_body;
    } else {
      byl = 1;
    }
  }
  if ((lead || byl) && (n <= 80 || rule == NULL || rn != 21 || memcmp(rule, "classifier:author-box", 21) != 0)) {
    int menu = n > 0 && (t[0] == 226 || t[0] == 194 || t[0] == '*');
    int explicit = menu && nm_hmatch(nm, HX_BY_EXPLICIT, t, n) > 0;
    nm_split_out(L, nm, d, t, n, given, 0, near && !menu, menu, explicit, &out, &count);
    if (count > 0) {
      lua_pushvalue(L, out);
      return 1;
    }
    if (nm_hmatch(nm, HX_BY_ALONE, t, n) > 0) return 2;
  }
  return 0;
}

/* namer:byline_block(text, kind, rule, k, lo, near_hi, lead_hi, first_body,
 * last_body, dater, given) -> names | nil, alone (see docs/core.md). */
static int namer_byline_block(lua_State *L) {
  namer *nm = check_namer(L);
  size_t n, kn, rn = 0;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 2, &n);
  const unsigned char *kind = (const unsigned char *)luaL_optlstring(L, 3, "", &kn);
  const char *rule = lua_isnil(L, 4) ? NULL : luaL_checklstring(L, 4, &rn);
  lua_Integer k = luaL_checkinteger(L, 5), lo = luaL_checkinteger(L, 6), near_hi = luaL_checkinteger(L, 7);
  lua_Integer lead_hi = luaL_checkinteger(L, 8);
  int has_first = !lua_isnil(L, 9), rc;
  lua_Integer first_body = has_first ? luaL_checkinteger(L, 9) : 0;
  dater *d = (dater *)meta_check(L, 11, 2, DATER_MT);
  if (d->closed) return luaL_error(L, "lede.Dater is closed");
  namer_check_by(L, nm, "byline_block");
  lua_settop(L, 12);
  rc = nm_byline_one(L, nm, d, 12, t, n, kind, kn, rule, rn, k, lo, near_hi, lead_hi, has_first, first_body, 10);
  if (rc != 1) lua_pushnil(L);
  lua_pushboolean(L, rc == 2);
  return 2;
}

/* namer:byline_scan(blocks, from, to, lo, near_hi, lead_hi, first_body,
 * last_body, dater, given) -> k, names | nil, alone, or nil (see
 * docs/core.md). */
static int namer_byline_scan(lua_State *L) {
  namer *nm = check_namer(L);
  lua_Integer from, to, lo, near_hi, lead_hi, first_body, k;
  int has_first, base;
  dater *d;
  luaL_checktype(L, 2, LUA_TTABLE);
  from = luaL_checkinteger(L, 3), to = luaL_checkinteger(L, 4), lo = luaL_checkinteger(L, 5);
  near_hi = luaL_checkinteger(L, 6), lead_hi = luaL_checkinteger(L, 7);
  has_first = !lua_isnil(L, 8);
  first_body = has_first ? luaL_checkinteger(L, 8) : 0;
  d = (dater *)meta_check(L, 10, 2, DATER_MT);
  if (d->closed) return luaL_error(L, "lede.Dater is closed");
  namer_check_by(L, nm, "byline_scan");
  lua_settop(L, 11);
  base = lua_gettop(L);
  if (from < 1) from = 1;
  if (to > (lua_Integer)lua_rawlen(L, 2)) to = (lua_Integer)lua_rawlen(L, 2);
  for (k = from; k <= to; k++) {
    size_t n, kn = 0, rn = 0;
    const unsigned char *t, *kind = (const unsigned char *)"";
    const char *rule = NULL;
    int rc, block;
    if (lua_rawgeti(L, 2, (int)k) != LUA_TTABLE) {
      if (lua_isnil(L, -1)) break; /* (the end of the blocks) */
      return luaL_error(L, "byline_scan: block %d is not a table", (int)k);
    }
    block = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(4));
    if (lua_rawget(L, block) == LUA_TSTRING) kind = (const unsigned char *)lua_tolstring(L, -1, &kn);
    /* (only datelines, bylines and short lines of the article's start) */
    if (!((kn == 8 && memcmp(kind, "dateline", 8) == 0) || (kn == 6 && memcmp(kind, "byline", 6) == 0)
          || (kn == 4 && memcmp(kind, "body", 4) == 0 && k >= lo && k <= lead_hi))) {
      lua_settop(L, base);
      continue;
    }
    lua_pushvalue(L, lua_upvalueindex(3));
    if (lua_rawget(L, block) != LUA_TSTRING)
      return luaL_error(L, "byline_scan: block %d has no text", (int)k);
    t = (const unsigned char *)lua_tolstring(L, -1, &n);
    if (kn == 4 && n > 200) {
      lua_settop(L, base);
      continue;
    }
    lua_pushvalue(L, lua_upvalueindex(5));
    if (lua_rawget(L, block) == LUA_TSTRING) rule = lua_tolstring(L, -1, &rn);
    rc = nm_byline_one(L, nm, d, 11, t, n, kind, kn, rule, rn, k, lo, near_hi, lead_hi, has_first, first_body, 9);
    if (rc != 0) {
      lua_pushinteger(L, k);
      if (rc == 1) lua_pushvalue(L, -2);
      else lua_pushnil(L);
      lua_pushboolean(L, rc == 2);
      return 3;
    }
    lua_settop(L, base);
  }
  lua_pushnil(L);
  return 1;
}

/* ---- the tag and related-headline lists ------------------------------- */

/* The items of a list being filled (core.meta_lists): the array at stack
 * index `arr` holding n strings, compared one by one while there are at
 * most ML_LINEAR of them, else looked up in a set (a table put at stack
 * index `set`, made and filled on first need). */
#define ML_LINEAR 16

typedef struct {
  int arr, set; /* stack indices of the array and of its set's slot */
  int has_set;
  lua_Integer n;
} ml_list;

/* Whether the list holds s[0..len). */
static int ml_has(lua_State *L, ml_list *li, const char *s, size_t len) {
  lua_Integer q;
  int found;
  if (li->n <= ML_LINEAR) {
    for (q = 1; q <= li->n; q++) {
      size_t l;
      const char *x;
      lua_rawgeti(L, li->arr, q);
      x = lua_tolstring(L, -1, &l);
      found = x != NULL && l == len && memcmp(x, s, len) == 0;
      lua_pop(L, 1);
      if (found) return 1;
    }
    return 0;
  }
  if (!li->has_set) {
    lua_createtable(L, 0, (int)li->n * 2);
    lua_replace(L, li->set);
    li->has_set = 1;
    for (q = 1; q <= li->n; q++) {
      lua_rawgeti(L, li->arr, q);
      lua_pushboolean(L, 1);
      lua_rawset(L, li->set);
    }
  }
  lua_pushlstring(L, s, len);
  found = lua_rawget(L, li->set) != LUA_TNIL;
  lua_pop(L, 1);
  return found;
}

/* Appends s[0..len) to the list (and to its set when there is one). */
static void ml_add(lua_State *L, ml_list *li, const char *s, size_t len) {
  lua_pushlstring(L, s, len);
  if (li->has_set) {
    lua_pushvalue(L, -1);
    lua_pushboolean(L, 1);
    lua_rawset(L, li->set);
  }
  lua_rawseti(L, li->arr, ++li->n);
}

/* Adds s[0..len) once. */
static void ml_once(lua_State *L, ml_list *li, const char *s, size_t len) {
  if (!ml_has(L, li, s, len)) ml_add(L, li, s, len);
}

/* The items of a tag block's text t (as the Lua steps
 * t:gsub("^%s*[%a%s]-:%s*", ""), then each run of "[^,;|\226]+" less
 * "^[%s\128-\191%p]+" and trailing "[%s%p]+", kept when 1 to 60 bytes). */
static void ml_tag_items(lua_State *L, ml_list *li, const char *t, size_t n) {
  const unsigned char *u = (const unsigned char *)t;
  size_t p = 0, k = 0;
  /* a label: letters and white space up to a colon */
  while (k < n && (nm_alpha(u[k]) || nm_space(u[k]))) k++;
  if (k < n && u[k] == ':') {
    p = k + 1;
    while (p < n && nm_space(u[p])) p++;
  }
  while (p < n) {
    size_t b, e;
    while (p < n && (u[p] == ',' || u[p] == ';' || u[p] == '|' || u[p] == 0xE2)) p++;
    if (p >= n) break;
    b = p;
    while (p < n && !(u[p] == ',' || u[p] == ';' || u[p] == '|' || u[p] == 0xE2)) p++;
    e = p;
    while (b < e && (nm_space(u[b]) || (u[b] >= 0x80 && u[b] <= 0xBF) || nm_punct(u[b]))) b++;
    while (e > b && (nm_space(u[e - 1]) || nm_punct(u[e - 1]))) e--;
    if (e > b && e - b <= 60) ml_once(L, li, t + b, e - b);
  }
}

/* A string field of the record on top (upvalue `up` names it; a number
 * as a string), or NULL when absent or false; raises for another type.
 * The value stays on the stack. */
static const char *ml_field(lua_State *L, int up, lua_Integer k, size_t *len) {
  int t;
  lua_pushvalue(L, lua_upvalueindex(up));
  t = lua_rawget(L, -2);
  if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) return NULL;
  if (t != LUA_TSTRING && t != LUA_TNUMBER)
    luaL_error(L, "meta_lists: block %d: field '%s' must be a string, got %s", (int)k,
               lua_tostring(L, lua_upvalueindex(up)), luaL_typename(L, -1));
  return lua_tolstring(L, -1, len);
}

/* core.meta_lists(blocks, ks, tags, related): for each block index of the
 * array ks, in order, a block of kind "tags" adds to the array tags its
 * text less punctuation and white space at the start and white space at
 * the end (rule ending in ":list"), or its items (ml_tag_items; a rule
 * without "tag-header"); a block of kind "related" whose rule ends in
 * ":list" or is "classifier:related-list" adds its text less a bullet at
 * the start ("^[%s\226\128\162\194\183*%-]+") to the array related when it
 * has two words (white space, then a byte that is none). Each array gets a
 * text once. (Upvalues: "text", "kind", "rule".) */
static int l_meta_lists(lua_State *L) {
  lua_Integer nk, ki;
  ml_list tags, related;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 6); /* 5, 6: the sets of tags and related, when made */
  luaL_checkstack(L, 12, "meta_lists");
  tags.arr = 3;
  related.arr = 4;
  tags.set = 5;
  related.set = 6;
  tags.has_set = related.has_set = 0;
  tags.n = (lua_Integer)lua_rawlen(L, 3);
  related.n = (lua_Integer)lua_rawlen(L, 4);
  nk = (lua_Integer)lua_rawlen(L, 2);
  for (ki = 1; ki <= nk; ki++) {
    int top = lua_gettop(L), is_tags, isint = 0;
    lua_Integer k = 0;
    size_t klen, rlen = 0, tlen;
    const char *kind, *rule, *text;
    if (lua_rawgeti(L, 2, ki) == LUA_TNUMBER) k = lua_tointegerx(L, -1, &isint);
    if (!isint) return luaL_error(L, "meta_lists: ks[%d] must be an integer", (int)ki);
    if (lua_rawgeti(L, 1, k) != LUA_TTABLE) return luaL_error(L, "meta_lists: block %d is not a table", (int)k);
    lua_pushvalue(L, lua_upvalueindex(2));
    kind = lua_rawget(L, -2) == LUA_TSTRING ? lua_tolstring(L, -1, &klen) : NULL;
    is_tags = kind != NULL && klen == 4 && memcmp(kind, "tags", 4) == 0;
    if (!is_tags && !(kind != NULL && klen == 7 && memcmp(kind, "related", 7) == 0)) {
      lua_settop(L, top);
      continue;
    }
    lua_pop(L, 1);
    rule = ml_field(L, 3, k, &rlen);
    if (rule == NULL) rule = "";
    lua_pop(L, 1);
    {
      int list = rlen >= 5 && memcmp(rule + rlen - 5, ":list", 5) == 0;
      if (!is_tags && !list && !(rlen == 23 && memcmp(rule, "classifier:related-list", 23) == 0)) {
        lua_settop(L, top);
        continue;
      }
      text = ml_field(L, 1, k, &tlen);
      if (text == NULL) return luaL_error(L, "meta_lists: block %d has no text", (int)k);
      if (is_tags && list) {
        /* "^[%s%p]*(.-)[%s]*$" */
        const unsigned char *u = (const unsigned char *)text;
        size_t b = 0, e = tlen;
        while (b < e && (nm_space(u[b]) || nm_punct(u[b]))) b++;
        while (e > b && nm_space(u[e - 1])) e--;
        if (e > b) ml_once(L, &tags, text + b, e - b);
      } else if (is_tags) {
        int header = 0;
        size_t q;
        for (q = 0; !header && q + 10 <= rlen; q++) header = memcmp(rule + q, "tag-header", 10) == 0;
        if (!header) ml_tag_items(L, &tags, text, tlen);
      } else {
        const unsigned char *u = (const unsigned char *)text;
        size_t b = 0, q;
        int two = 0;
        while (b < tlen && (nm_space(u[b]) || u[b] == 0xE2 || u[b] == 0x80 || u[b] == 0xA2 || u[b] == 0xC2 ||
                            u[b] == 0xB7 || u[b] == '*' || u[b] == '-'))
          b++;
        for (q = b; !two && q + 1 < tlen; q++) two = nm_space(u[q]) && !nm_space(u[q + 1]);
        if (two) ml_once(L, &related, text + b, tlen - b);
      }
    }
    lua_settop(L, top);
  }
  return 0;
}

/* Sets the methods of type `tname` again with the namer's and the dater's
 * metatables and the strings "text", "kind" and "rule" as upvalues. */
static void meta_methods(lua_State *L, const char *tname, const luaL_Reg *methods) {
  luaL_getmetatable(L, tname);
  lua_getfield(L, -1, "__index");
  for (; methods->name != NULL; methods++) {
    luaL_getmetatable(L, NAMER_MT);
    luaL_getmetatable(L, DATER_MT);
    lua_pushliteral(L, "text");
    lua_pushliteral(L, "kind");
    lua_pushliteral(L, "rule");
    lua_pushcclosure(L, methods->func, 5);
    lua_setfield(L, -2, methods->name);
  }
  lua_pop(L, 2);
}

void lede_open_meta(lua_State *L) {
  static const luaL_Reg methods[] = {
    { "person_name", namer_person_name },
    { "name_prefix", namer_name_prefix },
    { "split_byline", namer_split_byline },
    { "header_block", namer_header_block },
    { "byline_block", namer_byline_block },
    { "byline_scan", namer_byline_scan },
    { "header_scan", namer_header_scan },
    { "name_alone", namer_name_alone },
    { "alone_scan", namer_alone_scan },
    { "box_scan", namer_box_scan },
    { NULL, NULL },
  };
  static const luaL_Reg dater_methods[] = {
    { "find", dater_find },
    { "search", dater_search },
    { NULL, NULL },
  };
  lede_new_type(L, NAMER_MT, methods, namer_gc, namer_tostring, NULL);
  lede_new_type(L, DATER_MT, dater_methods, dater_gc, dater_tostring, NULL);
  /* (the methods again, as closures over both metatables: meta_check) */
  meta_methods(L, NAMER_MT, methods);
  meta_methods(L, DATER_MT, dater_methods);
  lua_pushliteral(L, "text");
  lua_pushliteral(L, "kind");
  lua_pushliteral(L, "rule");
  lua_pushcclosure(L, l_meta_lists, 3);
  lua_setfield(L, -2, "meta_lists");
  lua_pushcfunction(L, l_namer);
  lua_setfield(L, -2, "namer");
  lua_pushcfunction(L, l_dater);
  lua_setfield(L, -2, "dater");
}
