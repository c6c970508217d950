/* entities.c: the scanners of the entities stage.
 *
 * core.caps_runs(s) finds the runs of capitalised words of a text, the
 * names and name-like phrases the entities stage looks at ("Institute for
 * Asian and African Affairs", "U.S.", "al-Assad", "2022 World Cup"), with
 * the meaning of this PCRE2 pattern (UTF, UCP), found left to right as
 * gfind finds them:
 *
 *   RUN  = (?<![\p{L}\p{M}\p{N}]) WORD (?:[ ](?:CONN[ ])? WORD){0,15}
 *   WORD = (?:St|Mt|Ft|Jr|Sr)\. | (?:\p{Lu}\.){2,8} | \p{Lu}\.(?=[ ]\p{Lu})
 *        | \p{Lu}[\p{L}\p{M}\p{N}]*(?:[-'’][\p{L}\p{M}\p{N}]+){0,6}
 *        | \p{Ll}{1,3}-\p{Lu}[\p{L}\p{M}]* | \p{N}+[ ]?\p{Lu}[\p{L}]*
 *   CONN = (?:of|for|and|on|de|du|des|del|della|da|di|dos|das|van|von|der
 *           |den|al|bin|ibn|la|le|y|&)(?:[ ]the)?
 *
 * but in one linear pass with no backtracking: nothing after a WORD can
 * fail, so the first alternative that matches, taken greedily, is PCRE2's
 * choice too.
 *
 * The Unicode general categories come from PCRE2 itself, one page of 256
 * code points at a time when a text first needs it, cached in a
 * lede.CharClass userdata (an upvalue of caps_runs). Invalid UTF-8 is no
 * letter, mark or digit, as PCRE2_MATCH_INVALID_UTF sees it. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <string.h>

#include "lede.h"

#define CC_MT "lede.CharClass"
#define CC_PAGES 0x1100 /* 0x110000 code points / 256 */

/* Category bits of a code point. */
#define U_LU 1
#define U_LL 2
#define U_L 4 /* any letter, Lu and Ll included */
#define U_M 8
#define U_N 16
#define U_LMN (U_L | U_M | U_N)

typedef struct {
  pcre2_code *re;
  pcre2_match_data *md;
  unsigned char *page[CC_PAGES];
  lua_Integer *out; /* the runs of the text being scanned, before they go to Lua */
  size_t out_cap;
} CharClass;

static int cc_gc(lua_State *L) {
  CharClass *c = (CharClass *)luaL_checkudata(L, 1, CC_MT);
  size_t k;
  for (k = 0; k < CC_PAGES; k++) {
    free(c->page[k]);
    c->page[k] = NULL;
  }
  free(c->out);
  c->out = NULL;
  c->out_cap = 0;
  if (c->md != NULL) { pcre2_match_data_free(c->md); c->md = NULL; }
  if (c->re != NULL) { pcre2_code_free(c->re); c->re = NULL; }
  return 0;
}

/* Fills the page of code points (k << 8) .. (k << 8) + 255. */
static unsigned char *cc_page(lua_State *L, CharClass *c, uint32_t k) {
  unsigned char *pg;
  uint32_t x;
  if (c->re == NULL) {
    int err;
    PCRE2_SIZE off;
    c->re = pcre2_compile((PCRE2_SPTR) "(\\p{Lu})|(\\p{Ll})|(\\p{L})|(\\p{M})|(\\p{N})",
                          PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &err,
                          &off, NULL);
    if (c->re == NULL) luaL_error(L, "caps_runs: cannot compile the category pattern");
  }
  if (c->md == NULL) {
    c->md = pcre2_match_data_create_from_pattern(c->re, NULL);
    if (c->md == NULL) luaL_error(L, "not enough memory");
  }
  pg = (unsigned char *)calloc(256, 1);
  if (pg == NULL) luaL_error(L, "not enough memory");
  c->page[k] = pg; /* owned by the userdata from here on */
  for (x = 0; x < 256; x++) {
    uint32_t cp = (k << 8) | x;
    unsigned char buf[4];
    size_t n;
    int rc;
    if (cp >= 0xD800 && cp <= 0xDFFF) continue; /* surrogates: never text */
    n = lede_utf8_encode(cp, buf);
    rc = pcre2_match(c->re, buf, n, 0, 0, c->md, NULL);
    if (rc > 1) {
      static const unsigned char bits[6] = {0, U_LU | U_L, U_LL | U_L, U_L, U_M, U_N};
      pg[x] = bits[rc - 1 < 6 ? rc - 1 : 0];
    }
  }
  return pg;
}

/* ---- scanning --------------------------------------------------------- */

typedef struct {
  lua_State *L;
  CharClass *cc;
  const unsigned char *s;
  size_t n;
} Text;

/* Categories of ASCII characters; byte_cat is the same with U_HIGH for
 * the bytes of other characters. */
#define U_HIGH 0x80
static unsigned char ascii_cat[128], byte_cat[256];

static void init_ascii(void) {
  int c;
  for (c = 'A'; c <= 'Z'; c++) ascii_cat[c] = U_LU | U_L;
  for (c = 'a'; c <= 'z'; c++) ascii_cat[c] = U_LL | U_L;
  for (c = '0'; c <= '9'; c++) ascii_cat[c] = U_N;
  for (c = 0; c < 256; c++) byte_cat[c] = c < 0x80 ? ascii_cat[c] : U_HIGH;
}

static void init_conn(void);

static unsigned cat_slow(Text *t, size_t p, size_t *len) {
  uint32_t cp;
  const unsigned char *pg;
  cp = lede_utf8_decode(t->s, p, t->n, len);
  if (cp == LEDE_BAD) return 0;
  pg = t->cc->page[cp >> 8];
  if (pg == NULL) pg = cc_page(t->L, t->cc, cp >> 8);
  return pg[cp & 0xFF];
}

/* Categories of the character at p (p < n); *len its bytes. */
static inline unsigned cat_at(Text *t, size_t p, size_t *len) {
  if (t->s[p] < 0x80) {
    *len = 1;
    return ascii_cat[t->s[p]];
  }
  return cat_slow(t, p, len);
}

/* Categories of the character that ends right before p (0: none, or an
 * invalid sequence). */
static unsigned cat_before(Text *t, size_t p) {
  size_t q, len;
  unsigned c;
  if (p == 0) return 0;
  if (t->s[p - 1] < 0x80) return cat_at(t, p - 1, &len);
  q = p - 1;
  while (q > 0 && p - q < 4 && (t->s[q] & 0xC0) == 0x80) q--;
  c = cat_at(t, q, &len);
  return q + len == p ? c : 0;
}

static int cat_is(Text *t, size_t p, unsigned bits) {
  size_t len;
  return p < t->n && (cat_at(t, p, &len) & bits) != 0;
}

/* Skips characters of the given categories from p; returns the end. */
static size_t skip_cat(Text *t, size_t p, unsigned bits) {
  size_t len;
  while (p < t->n && (cat_at(t, p, &len) & bits)) p += len;
  return p;
}

/* One WORD at p: its end, or 0 (a WORD is never empty and p < its end). */
static size_t word_at(Text *t, size_t p) {
  const unsigned char *s = t->s;
  size_t n = t->n, len, q, k;
  unsigned c;
  if (p >= n) return 0;
  /* St. Mt. Ft. Jr. Sr. */
  if (p + 2 < n && s[p + 2] == '.' &&
      ((s[p] == 'S' && (s[p + 1] == 't' || s[p + 1] == 'r')) ||
       (s[p] == 'M' && s[p + 1] == 't') || (s[p] == 'F' && s[p + 1] == 't') ||
       (s[p] == 'J' && s[p + 1] == 'r')))
    return p + 3;
  c = cat_at(t, p, &len);
  if (c & U_LU) {
    /* initials: U.S., J. Smith */
    q = p;
    k = 0;
    while (k < 8 && q < n && cat_is(t, q, U_LU)) {
      size_t l2;
      (void)cat_at(t, q, &l2);
      if (q + l2 < n && s[q + l2] == '.') {
        q += l2 + 1;
        k++;
      } else {
        break;
      }
    }
    if (k >= 2) return q;
    if (p + len < n && s[p + len] == '.' && p + len + 1 < n && s[p + len + 1] == ' ' &&
        cat_is(t, p + len + 2, U_LU))
      return p + len + 1;
    /* a capitalised word with up to six hyphenated or apostrophe parts */
    q = skip_cat(t, p + len, U_LMN);
    for (k = 0; k < 6; k++) {
      size_t sep = 0, r;
      if (q < n && (s[q] == '-' || s[q] == '\'')) sep = 1;
      else if (q + 2 < n && s[q] == 0xE2 && s[q + 1] == 0x80 && s[q + 2] == 0x99) sep = 3;
      if (!sep) break;
      r = skip_cat(t, q + sep, U_LMN);
      if (r == q + sep) break;
      q = r;
    }
    return q;
  }
  if (c & U_LL) {
    /* a lower-case particle glued to a capitalised word: al-Assad */
    q = p;
    k = 0;
    while (k < 4 && q < n) {
      size_t l2;
      if (!(cat_at(t, q, &l2) & U_LL)) break;
      q += l2;
      k++;
    }
    if (k > 3 || q >= n || s[q] != '-') return 0;
    if (!cat_is(t, q + 1, U_LU)) return 0;
    (void)cat_at(t, q + 1, &len);
    return skip_cat(t, q + 1 + len, U_L | U_M);
  }
  if (c & U_N) {
    /* digits and a capitalised word: 7 Eleven, 3M */
    q = skip_cat(t, p, U_N);
    if (q < n && s[q] == ' ' && cat_is(t, q + 1, U_LU)) q++;
    else if (!cat_is(t, q, U_LU)) return 0;
    (void)cat_at(t, q, &len);
    return skip_cat(t, q + len, U_L);
  }
  return 0;
}

static const char *const conn_words[] = {"of", "for", "and", "on", "de", "du", "des", "del",
                                         "della", "da", "di", "dos", "das", "van", "von", "der",
                                         "den", "al", "bin", "ibn", "la", "le", "y", "&", NULL};

static size_t conn_len[sizeof conn_words / sizeof conn_words[0]];

static void init_conn(void) {
  size_t k;
  for (k = 0; conn_words[k] != NULL; k++) conn_len[k] = strlen(conn_words[k]);
}

/* The length of the connector at p when a space follows it, or 0. */
static size_t conn_at(Text *t, size_t p) {
  const unsigned char *s = t->s;
  size_t n = t->n, k;
  unsigned char c;
  if (p >= n) return 0;
  c = s[p];
  if (!(c == '&' || (c >= 'a' && c <= 'y'))) return 0;
  for (k = 0; conn_words[k] != NULL; k++) {
    size_t l = conn_len[k];
    if (p + l < n && s[p + l] == ' ' && memcmp(s + p, conn_words[k], l) == 0) return l;
  }
  return 0;
}

/* The run starting at p (its lookbehind already checked): its end, or 0. */
static size_t run_at(Text *t, size_t p) {
  const unsigned char *s = t->s;
  size_t n = t->n, e = word_at(t, p);
  int k;
  if (e == 0) return 0;
  for (k = 0; k < 15; k++) {
    size_t q, l, e2 = 0;
    if (e >= n || s[e] != ' ') break;
    q = e + 1;
    l = conn_at(t, q);
    if (l > 0) {
      size_t r = q + l; /* the space after the connector */
      if (r + 4 < n && memcmp(s + r, " the ", 5) == 0) e2 = word_at(t, r + 5);
      if (e2 == 0) e2 = word_at(t, r + 1);
    }
    if (e2 == 0) e2 = word_at(t, q);
    if (e2 == 0) break;
    e = e2;
  }
  return e;
}

/* The end of the word [a, z) without a possessive ending ('s, ’s, '). */
static size_t strip_possessive(const unsigned char *s, size_t a, size_t z) {
  unsigned char c = s[z - 1];
  if (c == 's') {
    if (z - a >= 3 && s[z - 2] == '\'') return z - 2;
    if (z - a >= 5 && s[z - 4] == 0xE2 && s[z - 3] == 0x80 && s[z - 2] == 0x99) return z - 4;
  } else if (c == '\'' && z - a >= 2) {
    return z - 1;
  }
  return z;
}

/* ---- word sets (core.english_set, below): what caps_runs needs -------- */
typedef struct EnglishSet EnglishSet;
struct EnglishSet {
  char *buf;      /* the words, one after another */
  size_t *off;    /* per slot: 1 + the offset of its word in buf, 0 empty */
  size_t *len;    /* per slot: the length of its word */
  size_t mask;    /* slots - 1 (a power of two) */
  size_t used;
  int closed;
};
static int ws_has(const EnglishSet *w, const unsigned char *p, size_t n);
#define WS_MT "lede.EnglishSet"

/* Whether a word has an apostrophe byte (' or one of ’'s) from its second
 * byte on right before an ASCII lower-case letter (word_shape's inner). */
static int inner_apostrophe(const unsigned char *w, size_t n) {
  size_t k;
  for (k = 1; k + 1 < n; k++)
    if ((w[k] == '\'' || w[k] == 0xE2 || w[k] == 0x80 || w[k] == 0x99) && w[k + 1] >= 'a' && w[k + 1] <= 'z')
      return 1;
  return 0;
}

/* Appends one run to the userdata's buffer (grown as needed). */
static void add_run(lua_State *L, CharClass *c, size_t k, lua_Integer a, lua_Integer z,
                    lua_Integer sp, lua_Integer e) {
  if (k + 4 > c->out_cap) {
    size_t cap = c->out_cap * 2 + 64;
    lua_Integer *p = (lua_Integer *)realloc(c->out, cap * sizeof *p);
    if (p == NULL) luaL_error(L, "not enough memory");
    c->out = p;
    c->out_cap = cap;
  }
  c->out[k] = a;
  c->out[k + 1] = z;
  c->out[k + 2] = sp;
  c->out[k + 3] = e;
}

/* core.caps_runs(s [, skip]) -> { a1, z1, sp1, e1, a2, ... }, n, spaces,
 * caps: the capitalised runs of s and their number; per run its first and
 * last byte, its first space (0: one word) and its last byte without a
 * possessive ending. Then the spaces of s, and those before an ASCII
 * capital or digit. With skip (a core.english_set), a run of one word is
 * left out when skip holds the word, or the word without its possessive
 * ending, or (with no such ending) the word has an inner apostrophe before
 * a lower-case letter ("It's", "You’ll"). */
static int l_caps_runs(lua_State *L) {
  Text t;
  const unsigned char *s;
  size_t p = 0, n, len, k = 0, x;
  unsigned prev = 0;
  const EnglishSet *skip = NULL;
  t.L = L;
  t.s = s = (const unsigned char *)luaL_checklstring(L, 1, &t.n);
  n = t.n;
  t.cc = (CharClass *)lua_touserdata(L, lua_upvalueindex(1));
  if (!lua_isnoneornil(L, 2)) {
    skip = (const EnglishSet *)luaL_checkudata(L, 2, WS_MT);
    if (skip->closed) return luaL_error(L, "closed");
  }
  lua_settop(L, 2);
  while (p < n) {
    unsigned c = byte_cat[s[p]];
    if (c == 0) {
      /* ASCII other than letters and digits */
      p++;
      while (p < n && byte_cat[s[p]] == 0) p++;
      prev = 0;
      continue;
    }
    if (c != U_HIGH) {
      if (prev & U_LMN) {
        /* inside a word: no run starts before its end */
        p++;
        while (p < n && (byte_cat[s[p]] & U_LMN)) p++;
        continue;
      }
      if (c & U_LL) {
        /* a lower-case word starts a run only as "al-Assad" does */
        size_t q = p + 1;
        while (q < n && q - p < 4 && (byte_cat[s[q]] & U_LL)) q++;
        if (q >= n || (s[q] < 0x80 && (s[q] != '-' || q - p > 3))) {
          prev = U_LL | U_L;
          p = q;
          continue;
        }
      }
      len = 1;
    } else {
      c = cat_slow(&t, p, &len);
    }
    if ((c & U_LMN) && !(prev & U_LMN)) {
      size_t e = run_at(&t, p);
      if (e > 0) {
        const unsigned char *sp = (const unsigned char *)memchr(s + p, ' ', e - p);
        size_t z = strip_possessive(s, p, e);
        if (sp != NULL || skip == NULL ||
            !(ws_has(skip, s + p, e - p) || (z != e ? ws_has(skip, s + p, z - p) : inner_apostrophe(s + p, e - p)))) {
          add_run(L, t.cc, k, (lua_Integer)p + 1, (lua_Integer)e, sp ? (lua_Integer)(sp - s) + 1 : 0,
                  (lua_Integer)z);
          k += 4;
        }
        prev = cat_before(&t, e);
        p = e;
        continue;
      }
    }
    prev = c;
    p += len;
  }
  lua_createtable(L, k > 0x7FFFFFF ? 0x7FFFFFF : (int)k, 0);
  for (x = 0; x < k; x++) {
    lua_pushinteger(L, t.cc->out[x]);
    lua_rawseti(L, 3, (lua_Integer)x + 1);
  }
  lua_pushinteger(L, (lua_Integer)(k / 4));
  {
    lua_Integer spaces = 0, caps = 0;
    for (x = 0; x < n; x++) {
      if (s[x] == ' ') {
        spaces++;
        if (x + 1 < n && (byte_cat[s[x + 1]] & (U_LU | U_N))) caps++;
      }
    }
    lua_pushinteger(L, spaces);
    lua_pushinteger(L, caps);
  }
  return 4;
}

/* Whether byte c is one of those string.find's "['’]" class holds. */
static int apostrophe_byte(unsigned char c) {
  return c == '\'' || c == 0xE2 || c == 0x80 || c == 0x99;
}

/* core.word_shape(w) -> lower, upper, digit, inner, joined: whether w has an
 * ASCII lower-case letter, capital, digit; an apostrophe byte (' or one of
 * ’'s) from its second byte on before a lower-case letter; one of those or
 * a hyphen anywhere before a lower-case letter. */
static int l_word_shape(lua_State *L) {
  size_t n, k;
  const unsigned char *w = (const unsigned char *)luaL_checklstring(L, 1, &n);
  int lower = 0, upper = 0, digit = 0, inner = 0, joined = 0;
  for (k = 0; k < n; k++) {
    unsigned char c = w[k];
    if (c >= 'a' && c <= 'z') lower = 1;
    else if (c >= 'A' && c <= 'Z') upper = 1;
    else if (c >= '0' && c <= '9') digit = 1;
    else if (k + 1 < n && w[k + 1] >= 'a' && w[k + 1] <= 'z') {
      if (apostrophe_byte(c)) {
        joined = 1;
        if (k > 0) inner = 1;
      } else if (c == '-') {
        joined = 1;
      }
    }
  }
  lua_pushboolean(L, lower);
  lua_pushboolean(L, upper);
  lua_pushboolean(L, digit);
  lua_pushboolean(L, inner);
  lua_pushboolean(L, joined);
  return 5;
}

/* ---- English word set ------------------------------------------------- */

/* core.english_set(buckets) -> set: the words of a table of strings keyed by
 * their words' first two bytes (lede.lists.english: " abacus abaft "),
 * hashed for set:english(w), which answers what a search for " w " in
 * buckets[w:sub(1, 2)] answers, a suffix taken off ("walkers" -> "walker"
 * -> "walk") as lede.entities does. */

static void ws_free(EnglishSet *w) {
  free(w->buf);
  free(w->off);
  free(w->len);
  w->buf = NULL;
  w->off = NULL;
  w->len = NULL;
  w->mask = 0;
  w->closed = 1;
}

static int ws_tostring(lua_State *L) {
  EnglishSet *w = (EnglishSet *)luaL_checkudata(L, 1, WS_MT);
  if (w->closed) lua_pushliteral(L, "lede.EnglishSet (closed)");
  else lua_pushfstring(L, "lede.EnglishSet (%d words)", (int)w->used);
  return 1;
}

static size_t ws_hash(const unsigned char *p, size_t n) {
  size_t h = 2166136261u, k;
  for (k = 0; k < n; k++) h = (h ^ p[k]) * 16777619u;
  return h;
}

/* The slot of word p[0..n): its own, or the empty one it would take. */
static size_t ws_slot(const EnglishSet *w, const unsigned char *p, size_t n) {
  size_t x = ws_hash(p, n) & w->mask;
  while (w->off[x] != 0 && !(w->len[x] == n && memcmp(w->buf + w->off[x] - 1, p, n) == 0))
    x = (x + 1) & w->mask;
  return x;
}

static int ws_has(const EnglishSet *w, const unsigned char *p, size_t n) {
  return n > 0 && w->off[ws_slot(w, p, n)] != 0;
}

static const char *const ws_suffixes[] = {"s", "es", "ed", "d", "ing", "ly", "er", "ers", "est", NULL};

static int ws_english(const EnglishSet *w, const unsigned char *p, size_t n, int depth) {
  size_t k;
  if (ws_has(w, p, n)) return 1;
  if (depth >= 2) return 0;
  for (k = 0; ws_suffixes[k] != NULL; k++) {
    size_t m = strlen(ws_suffixes[k]);
    if (n >= m + 3 && memcmp(p + n - m, ws_suffixes[k], m) == 0 && ws_english(w, p, n - m, depth + 1))
      return 1;
  }
  return 0;
}

/* set:english(w) -> boolean, for a lower-case word w with no space. */
static int ws_english_l(lua_State *L) {
  EnglishSet *w = (EnglishSet *)luaL_checkudata(L, 1, WS_MT);
  size_t n;
  const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 2, &n);
  if (w->closed) return luaL_error(L, "closed");
  if (memchr(p, ' ', n) != NULL) return luaL_argerror(L, 2, "a word with a space");
  lua_pushboolean(L, ws_english(w, p, n, 0));
  return 1;
}

static int ws_close(lua_State *L) {
  ws_free((EnglishSet *)luaL_checkudata(L, 1, WS_MT));
  return 0;
}

static int l_english_set(lua_State *L) {
  EnglishSet *w;
  size_t bytes = 0, words = 0, slots = 16, at = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  /* first pass: check and measure */
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    size_t n;
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "english_set: the table must map strings to strings");
    (void)lua_tolstring(L, -1, &n);
    bytes += n;
    words += n / 2 + 1;
    lua_pop(L, 1);
  }
  while (slots < 2 * words) slots *= 2;
  w = (EnglishSet *)lua_newuserdata(L, sizeof(EnglishSet));
  memset(w, 0, sizeof *w);
  luaL_setmetatable(L, WS_MT);
  w->buf = (char *)malloc(bytes > 0 ? bytes : 1);
  w->off = (size_t *)calloc(slots, sizeof(size_t));
  w->len = (size_t *)calloc(slots, sizeof(size_t));
  if (w->buf == NULL || w->off == NULL || w->len == NULL) return luaL_error(L, "not enough memory");
  w->mask = slots - 1;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    size_t kn, n, p = 0;
    const unsigned char *key = (const unsigned char *)lua_tolstring(L, -2, &kn);
    const unsigned char *v = (const unsigned char *)lua_tolstring(L, -1, &n);
    while (p < n) {
      size_t q = p, x;
      while (q < n && v[q] != ' ') q++;
      /* only a word its bucket's key starts (the one looked up for it) */
      if (q > p && (q - p < 2 ? q - p : 2) == kn && memcmp(v + p, key, kn) == 0) {
        x = ws_slot(w, v + p, q - p);
        if (w->off[x] == 0) {
          memcpy(w->buf + at, v + p, q - p);
          w->off[x] = at + 1;
          w->len[x] = q - p;
          at += q - p;
          w->used++;
        }
      }
      p = q + 1;
    }
    lua_pop(L, 1);
  }
  return 1;
}

static const luaL_Reg ws_methods[] = {{"english", ws_english_l}, {"close", ws_close}, {NULL, NULL}};

void lede_open_entities(lua_State *L) {
  CharClass *c;
  init_ascii();
  init_conn();
  c = (CharClass *)lua_newuserdata(L, sizeof(CharClass));
  memset(c, 0, sizeof *c);
  if (luaL_newmetatable(L, CC_MT)) {
    lua_pushcfunction(L, cc_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, l_caps_runs, 1);
  lua_setfield(L, -2, "caps_runs");
  lua_pushcfunction(L, l_word_shape);
  lua_setfield(L, -2, "word_shape");
  lede_new_type(L, WS_MT, ws_methods, ws_close, ws_tostring, NULL);
  lua_pushcfunction(L, l_english_set);
  lua_setfield(L, -2, "english_set");
}
