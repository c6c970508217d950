/* lede.h: what the C files of lede.core share.
 *
 * - the entry points each file registers into the module table (lede_open_*);
 * - UTF-8 decoding that never fails (an invalid byte decodes as one byte,
 *   code point LEDE_BAD), and the character classes every scanner agrees on
 *   (white space, invisible characters, word characters, case folding);
 * - the one boundary helper that turns Lua's 1-based, possibly negative
 *   (i, j) into a 0-based half-open byte range, string.sub style.
 *
 * Everything here is static inline or hidden: the module exports only
 * luaopen_lede_core. */
#ifndef LEDE_H
#define LEDE_H

#include <stddef.h>
#include <stdint.h>

#include "compat.h"

#if defined(__GNUC__)
#define LEDE_HIDDEN __attribute__((visibility("hidden")))
#define LEDE_UNUSED __attribute__((unused))
#define LEDE_INLINE static inline __attribute__((always_inline))
#else
#define LEDE_HIDDEN
#define LEDE_UNUSED
#define LEDE_INLINE static inline
#endif

/* Each file registers its functions and metatables into the table on top. */
LEDE_HIDDEN void lede_open_text(lua_State *L);
LEDE_HIDDEN void lede_open_segment(lua_State *L);
LEDE_HIDDEN void lede_open_regex(lua_State *L);
LEDE_HIDDEN void lede_open_gazetteer(lua_State *L);
LEDE_HIDDEN void lede_open_features(lua_State *L);
LEDE_HIDDEN void lede_open_quotes(lua_State *L);
LEDE_HIDDEN void lede_open_probe(lua_State *L);
LEDE_HIDDEN void lede_open_entities(lua_State *L);
LEDE_HIDDEN void lede_open_pick(lua_State *L);
LEDE_HIDDEN void lede_open_meta(lua_State *L);

/* The next token of s[p, e) at or after p (the tokeniser of core.tokens and
 * core.token_stream, src/segment.c): sets [*tb, *te) and its shape letter
 * (d, m, p, l, U, C); returns 0 when only white space is left. Needs
 * lede_open_segment to have run (it fills a byte table). */
LEDE_HIDDEN int lede_next_token(const unsigned char *s, size_t p, size_t e, size_t *tb,
                                size_t *te, char *shp);
/* Pushes w with ASCII letters in lower case (string.lower in the C locale). */
LEDE_HIDDEN void lede_push_lower(lua_State *L, const unsigned char *w, size_t n);
/* The phrase key of the n bytes at s (what core.phrase_key gives, src/features.c)
 * into out, which has room for LEDE_KEY_BUF bytes: its length, or (size_t)-1
 * when s is over LEDE_MAX_KEY bytes long (no key). */
LEDE_HIDDEN size_t lede_phrase_key(const unsigned char *s, size_t n, char *out);
/* lede_phrase_key that stops once the key is known to be over `limit`
 * bytes: it then returns a length over limit, and out holds that many
 * first bytes of the key. */
LEDE_HIDDEN size_t lede_phrase_key_upto(const unsigned char *s, size_t n, char *out, size_t limit);
/* lede_phrase_key_upto that reads the key only up to its first word's end:
 * the length of the key up to its first space when a word follows that
 * space (out holds those bytes), else what lede_phrase_key_upto gives. */
LEDE_HIDDEN size_t lede_phrase_key_first(const unsigned char *s, size_t n, char *out, size_t limit);
/* Texts of up to LEDE_MAX_KEY bytes have a phrase key; a key buffer holds
 * LEDE_KEY_BUF bytes. */
#define LEDE_MAX_KEY 160
#define LEDE_KEY_BUF (2 * LEDE_MAX_KEY + 8)
/* The word counts of the blocks of the lede.Features at stack index idx
 * (src/features.c): block k's is the double at byte offset
 * (k - 1) * *stride from the pointer returned; *n blocks. Raises on
 * another value. */
LEDE_HIDDEN const char *lede_flat_words(lua_State *L, int idx, lua_Integer *n, size_t *stride);
/* The text of block k (1..n) of those flat features (words and stride from
 * lede_flat_words), or NULL when they keep none (src/features.c). */
LEDE_HIDDEN const char *lede_flat_text(const char *words, size_t stride, lua_Integer k, size_t *len);
/* The lede.WordSet at stack index idx (raises on another value), and
 * whether it holds the n bytes at s (src/features.c). */
LEDE_HIDDEN const void *lede_check_wordset(lua_State *L, int idx);
LEDE_HIDDEN int lede_wordset_has(const void *set, const char *s, size_t n);
/* Whether that set holds the word s[0..n) as set:has(word) answers (folded
 * first, unless the set is exact). */
LEDE_HIDDEN int lede_wordset_has_word(const void *set, const char *s, size_t n);
/* Pushes the lookup key of a token word (core.token_stream's keys): lower
 * case, a possessive "'s" / "’s" dropped unless what is left is in the set
 * at stack index cset ("it's"); w itself is at stack index wi. */
LEDE_HIDDEN void lede_push_token_key(lua_State *L, int wi, const unsigned char *w, size_t n,
                                     int cset);

/* Registers the metatable `tname` of a userdata type: `methods` as its
 * __index, `tostring`, and when not NULL `gc` (also __close on 5.4) and `len`.
 * Leaves the stack as it was. */
LEDE_HIDDEN void lede_new_type(lua_State *L, const char *tname, const luaL_Reg *methods,
                               lua_CFunction gc, lua_CFunction tostring, lua_CFunction len);

/* ---- UTF-8 ------------------------------------------------------------ */

#define LEDE_BAD 0xFFFFFFFFu /* an invalid byte: not a code point */

/* Decodes the character at s[i] (i < n). Returns its code point, or LEDE_BAD
 * for a byte that does not start a valid, shortest-form, non-surrogate
 * sequence; *len receives the bytes consumed (1 for a bad byte, so that the
 * caller always advances). */
LEDE_INLINE uint32_t lede_utf8_decode(const unsigned char *s, size_t i, size_t n,
                                        size_t *len) {
  unsigned c = s[i];
  if (c < 0x80) { *len = 1; return c; }
  if (c >= 0xC2 && c <= 0xDF) {
    if (i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
      *len = 2;
      return ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    }
  } else if (c >= 0xE0 && c <= 0xEF) {
    if (i + 2 < n && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
      uint32_t cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
                    (s[i + 2] & 0x3F);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) { *len = 3; return cp; }
    }
  } else if (c >= 0xF0 && c <= 0xF4) {
    if (i + 3 < n && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80 &&
        (s[i + 3] & 0xC0) == 0x80) {
      uint32_t cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
                    ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
      if (cp >= 0x10000 && cp <= 0x10FFFF) { *len = 4; return cp; }
    }
  }
  *len = 1;
  return LEDE_BAD;
}

/* Whether the value at idx is a number with an integer value (what
 * string.sub takes as a position), read into *v. */
static inline int lede_whole_number(lua_State *L, int idx, lua_Integer *v) {
#if LUA_VERSION_NUM >= 503
  int ok = 0;
  *v = lua_tointegerx(L, idx, &ok);
  return ok;
#else
  lua_Number d = lua_tonumber(L, idx);
  if (!lua_isnumber(L, idx) || d != d || d < -9.2e18 || d > 9.2e18) return 0;
  *v = (lua_Integer)d;
  return (lua_Number)*v == d;
#endif
}

/* Bytes needed to encode cp (a valid code point) and the encoding itself. */
static inline size_t lede_utf8_encode(uint32_t cp, unsigned char *out) {
  if (cp < 0x80) { out[0] = (unsigned char)cp; return 1; }
  if (cp < 0x800) {
    out[0] = (unsigned char)(0xC0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (unsigned char)(0xE0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | (cp >> 18));
  out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Horizontal white space, Unicode's Zs plus tab, VT and FF. */
static inline int lede_is_hspace(uint32_t cp) {
  switch (cp) {
  case 0x09: case 0x0B: case 0x0C: case 0x20: case 0xA0: case 0x1680:
  case 0x202F: case 0x205F: case 0x3000:
    return 1;
  default:
    return cp >= 0x2000 && cp <= 0x200A;
  }
}

/* Line breaks other than CR and LF themselves: NEL, LS, PS. */
static inline int lede_is_vspace(uint32_t cp) {
  return cp == 0x0A || cp == 0x0D || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

/* Characters that print nothing and are dropped by normalisation:
 * soft hyphen, zero-width space, word joiner, BOM / ZWNBSP, Mongolian vowel
 * separator. ZWJ and ZWNJ are kept: they carry meaning in several scripts. */
static inline int lede_is_invisible(uint32_t cp) {
  return cp == 0xAD || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF || cp == 0x180E;
}

/* Control characters that are never text (C0 other than white space, DEL, C1). */
static inline int lede_is_control(uint32_t cp) {
  return (cp < 0x20 && cp != 0x09 && cp != 0x0A && cp != 0x0B && cp != 0x0C && cp != 0x0D) ||
         (cp >= 0x7F && cp < 0xA0 && cp != 0x85);
}

/* lede_is_word for code points from U+1680 on (and LEDE_BAD); below, the
 * inline lede_is_word answers alone. */
static inline int lede_is_word_far(uint32_t cp) {
  if (cp == LEDE_BAD) return 0;
  if (cp >= 0x2000 && cp <= 0x2BFF) return (cp >= 0x2070 && cp <= 0x209F) || /* super/subscripts */
                                           (cp >= 0x2C00);
  if (cp >= 0x3000 && cp <= 0x303F) return cp == 0x3005 || cp == 0x3006 || cp == 0x3007;
  if (cp >= 0xFE30 && cp <= 0xFE4F) return 0; /* CJK compatibility forms */
  if (cp >= 0xFF00 && cp <= 0xFF0F) return 0; /* fullwidth punctuation */
  if (cp >= 0xFF1A && cp <= 0xFF20) return 0;
  if (cp >= 0xFF3B && cp <= 0xFF40) return 0;
  if (cp >= 0xFF5B && cp <= 0xFF65) return 0;
  if (cp >= 0xFFF0 && cp <= 0xFFFF) return 0; /* specials, U+FFFD */
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return 0; /* emoji and pictographs */
  if (lede_is_hspace(cp) || lede_is_vspace(cp) || lede_is_invisible(cp) || lede_is_control(cp))
    return 0;
  return 1;
}

/* A word character: a letter, a digit or a combining mark, approximated for
 * non-ASCII text as "not white space, punctuation, a symbol or a control".
 * This is what "whole word" means throughout lede. */
LEDE_INLINE int lede_is_word(uint32_t cp) {
  if (cp < 0x80) /* [0-9A-Za-z_] as two bit sets */
    return (int)((cp < 64 ? 0x03FF000000000000ull >> cp : 0x07FFFFFE87FFFFFEull >> (cp - 64)) & 1);
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 ||
                        cp == 0xBA || (cp >= 0xBC && cp <= 0xBE);
  if (cp < 0x1680) return cp != 0xD7 && cp != 0xF7; /* letters and marks up to Ogham */
  return lede_is_word_far(cp);
}

/* lede_fold for code points from U+0100 on. */
static inline uint32_t lede_fold_far(uint32_t cp) {
  if (cp < 0x180) {
    if (cp == 0x130) return 'i';                 /* I with dot above */
    if (cp == 0x178) return 0xFF;                /* Y with diaeresis */
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
      return (cp & 1) ? cp + 1 : cp;             /* odd upper, even lower */
    if (cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17F) return cp;
    return (cp & 1) ? cp : cp + 1;               /* even upper, odd lower */
  }
  if (cp >= 0x370 && cp < 0x400) {
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 32;
    if (cp == 0x386) return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A) return cp + 37;
    if (cp == 0x38C) return 0x3CC;
    if (cp == 0x38E || cp == 0x38F) return cp + 63;
    if (cp == 0x3C2) return 0x3C3;               /* final sigma */
    return cp;
  }
  if (cp >= 0x400 && cp < 0x530) {
    if (cp <= 0x40F) return cp + 80;
    if (cp <= 0x42F) return cp + 32;
    if (cp >= 0x460 && cp <= 0x4FF) {
      if (cp >= 0x482 && cp <= 0x489) return cp;
      if (cp == 0x4C0) return 0x4CF;
      if (cp >= 0x4C1 && cp <= 0x4CE) return (cp & 1) ? cp + 1 : cp;
      return (cp & 1) ? cp : cp + 1;
    }
    if (cp >= 0x500 && cp <= 0x52F) return (cp & 1) ? cp : cp + 1;
    return cp;
  }
  return cp;
}

/* Simple (1:1) lower-case folding for ASCII, Latin-1 Supplement, Latin
 * Extended-A, Greek and Cyrillic. Other code points fold to themselves. */
LEDE_INLINE uint32_t lede_fold(uint32_t cp) {
  if (cp < 0x80) return cp - 'A' < 26u ? cp + 32 : cp;
  if (cp < 0x100) return ((cp >= 0xC0 && cp <= 0xDE) && cp != 0xD7) ? cp + 32 : cp;
  if (cp - 0x410u < 0x50u) return cp < 0x430 ? cp + 32 : cp; /* basic Cyrillic */
  return lede_fold_far(cp);
}

/* ---- Lua boundary ----------------------------------------------------- */

/* string.sub semantics: turns Lua's (i, j) (1-based, inclusive, negative
 * counting from the end) for a string of length n into a 0-based half-open
 * [*b, *e). An empty range gives *b == *e. */
static inline void lede_range(lua_Integer i, lua_Integer j, size_t n, size_t *b, size_t *e) {
  lua_Integer len = (lua_Integer)n;
  if (i < 0) i = len + i + 1 < 1 ? 1 : len + i + 1;
  else if (i == 0) i = 1;
  if (j < 0) j = len + j + 1;
  else if (j > len) j = len;
  if (i > j) { *b = *e = (size_t)(i - 1 > len ? len : i - 1); return; }
  *b = (size_t)(i - 1);
  *e = (size_t)j;
}

/* ---- Offset maps (text.c) --------------------------------------------- */

/* The lede.OffsetMap made by core.normalize: from normalised text back to the
 * input bytes. Other files read it through these helpers only. */
#define LEDE_MAP "lede.OffsetMap"
typedef struct LedeMap LedeMap;

/* The map at stack index idx; raises on a wrong type or a closed map. */
LEDE_HIDDEN LedeMap *lede_checkmap(lua_State *L, int idx);
/* Length of the normalised text the map belongs to. */
LEDE_HIDDEN size_t lede_map_length(const LedeMap *m);
/* The input range [*ob, *oe) (0-based, half-open) that produced normalised
 * bytes [b, e); an empty [b, e) gives the empty input range at b's point. */
LEDE_HIDDEN void lede_map_span(const LedeMap *m, size_t b, size_t e, size_t *ob, size_t *oe);

/* Whether the bytes w[0, n) start with an upper-case letter (ASCII, Latin-1,
 * Latin Extended-A, Greek, Cyrillic), read from its first two bytes. */
static inline int lede_starts_cap(const unsigned char *w, size_t n) {
  unsigned b1 = n > 0 ? w[0] : 0, b2 = n > 1 ? w[1] : 0;
  if (n == 0) return 0;
  if (b1 >= 'A' && b1 <= 'Z') return 1;
  if (b1 == 0xC3 && n > 1) return b2 >= 0x80 && b2 <= 0x9E && b2 != 0x97;
  if (b1 == 0xC4 || b1 == 0xC5) {
    unsigned cp = (b1 - 0xC0) * 64 + b2 - 0x80;
    return cp % 2 == 0 && cp != 0x138;
  }
  if (b1 == 0xCE && n > 1) return b2 >= 0x91 && b2 <= 0xA9;
  if (b1 == 0xD0 && n > 1) return b2 >= 0x80 && b2 <= 0xAF;
  return 0;
}


/* Whether t[k] (t a table at stack index t) is neither nil nor false, read
 * raw. */
static inline int lede_truthy_at(lua_State *L, int t, lua_Integer k) {
  int r;
  lua_rawgeti(L, t, k);
  r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* The matches of the gazetteer at stack index idx (src/gazetteer.c) in
 * s[0..n), as g:scan(s) gives them: *count matches, three numbers each
 * (first byte, 1-based; last byte; phrase id), in an array the gazetteer
 * owns until its next scan. Raises on another value or a closed one. */
LEDE_HIDDEN const size_t *lede_gaz_scan(lua_State *L, int idx, const unsigned char *s, size_t n,
                                        size_t *count);

/* ---- sentences (src/segment.c) ---------------------------------------- */

/* Where lede_split_sentences puts what it finds: push(ud, b, e) for each
 * sentence s[b, e) (0-based, half-open), in text order; abbrev(ud, k, n,
 * again) whether the token k[0, n), which ends in its only full stop, is an
 * abbreviation (again: the same token, its earlier full stop passed over
 * with only invisible characters since, was asked about before; a token
 * longer than any abbreviation may then be answered 0 without a look).
 * abbrev NULL: there are no abbreviations. Both may raise. */
typedef struct {
  void (*push)(void *ud, size_t b, size_t e);
  int (*abbrev)(void *ud, const unsigned char *k, size_t n, int again);
  void *ud;
} LedeSentSink;

/* The sentences of s[b, e) into sink, as core.sentences cuts them (lines:
 * every line break ends one, else a blank line or U+2029 does). */
LEDE_HIDDEN void lede_split_sentences(const unsigned char *s, size_t b, size_t e, int lines,
                                      const LedeSentSink *sink);
/* The options table of core.block_sentences / core.body_sentences at stack
 * index idx (none or nil: the defaults), checked (fname names the function
 * in errors): returns its `lines` (default 1). */
LEDE_HIDDEN int lede_sentence_opts(lua_State *L, int idx, const char *fname);
/* Reads block k of the array of blocks at stack index bt into [*b, *e)
 * (its i, j over a text of n bytes, string.sub style) and returns 1, or
 * returns 0 when the value at stack index kt is not nil and the block's
 * kind is not that string. Raises (naming fname) on a bad block. Leaves the
 * stack as it was. */
LEDE_HIDDEN int lede_block_span(lua_State *L, int bt, lua_Integer k, int kt, size_t n,
                                const char *fname, size_t *b, size_t *e);

/* Whether a text can name an author's photo ("Photo of Jane Doe", "Jane Doe
 * headshot"): the prefilter of the picker's and meta's photo patterns
 * (src/pick.c). */
LEDE_HIDDEN int lede_maybe_picture(const unsigned char *t, size_t len);

/* Eight bytes at a time: LEDE_ONES and LEDE_HIGHS repeat 0x01 and 0x80 in
 * each byte of a uint64_t. lede_bytes_in gives bit 7 of each byte of w that
 * is an ASCII byte from lo to hi (lo <= hi < 0x80), and no other bit: no sum
 * carries into the next byte, each being under 0x80 there. */
#define LEDE_ONES UINT64_C(0x0101010101010101)
#define LEDE_HIGHS UINT64_C(0x8080808080808080)
static inline uint64_t lede_bytes_in(uint64_t w, unsigned lo, unsigned hi) {
  uint64_t x = w & ~LEDE_HIGHS;
  return (x + (0x80 - lo) * LEDE_ONES) & ~(x + (0x80 - hi - 1) * LEDE_ONES) & ~w & LEDE_HIGHS;
}

/* Whether the lede.Regex at stack index idx finds a match in the len bytes
 * at s, as r:find(s) ~= nil; raises as r:find does (src/regex.c). */
LEDE_HIDDEN int lede_regex_found(lua_State *L, int idx, const char *s, size_t len);

/* The number of bits set in the sixteen-bit mask m (in line: without a
 * popcount instruction in the target, __builtin_popcount is a call). */
LEDE_INLINE unsigned lede_pop16(unsigned m) {
  m = m - ((m >> 1) & 0x5555u);
  m = (m & 0x3333u) + ((m >> 2) & 0x3333u);
  m = (m + (m >> 4)) & 0x0F0Fu;
  return (m + (m >> 8)) & 0x1Fu;
}

#endif
