/* features.c: per-block statistics for the block classifier.
 *
 * core.features(s [, i [, j [, stopwords]]]) measures one block of text in a
 * single pass (characters, words, stopwords, capitalisation, digits,
 * punctuation, sentence ends, menu-like separators) and returns them in a
 * table. It decides nothing: lua/lede/classify.lua turns the numbers into
 * block kinds. Any byte string is accepted; invalid bytes count as symbols.
 *
 * core.wordset(words) builds a lede.WordSet: a read-only hash set of folded
 * words (one allocation, no other resources) that features looks words up
 * in without creating Lua strings.
 *
 * core.block_features(..., { flat = true }) also keeps the features the
 * block classifier's passes read, flat (a lede.Features userdata), and
 * core.block_classes and core.revise_classes run those passes over a whole
 * document: the context-free classes with the repeats, and the revision
 * from the neighbours with the clusters (lua/lede/classify.lua holds the
 * policy and the thresholds). Classes and reasons are the strings the Lua
 * module uses. core.lede_words counts the words a headline shares with the
 * article's first paragraphs, core.profile_counts the words of a text that
 * each language profile has (language detection). */
#include <string.h>

#include "lede.h"

#define WORDSET_MT "lede.WordSet"

/* A hash set of folded words: `cap` slots (a power of two) of offsets into
 * the arena that follows them; slot value 0 is empty, else offset + 1. Each
 * arena entry is a length byte then the word's bytes. */
typedef struct {
  size_t cap, count, arena_len, maxlen; /* maxlen: the longest word's bytes */
  int exact; /* the words are kept (and looked up) byte for byte */
  /* by first byte: bit n-1 set when a word of n bytes (n <= 7; bit 7: 8 or
   * more) starts with it, so that most other words are told apart at once */
  unsigned char first[256];
  uint32_t slots[1];
} WordSet;

/* The bit of first[] for a word of n bytes (n >= 1). */
static unsigned ws_len_bit(size_t n) { return 1u << (n < 8 ? n - 1 : 7); }

LEDE_INLINE uint32_t hash_bytes(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  size_t k;
  for (k = 0; k < n; k++) { h ^= (unsigned char)s[k]; h *= 16777619u; }
  return h;
}

static const char *ws_arena(const WordSet *w) { return (const char *)(w->slots + w->cap); }

/* The bytes of a word of n <= 8 bytes as a number (its first n bytes in
 * memory order, the others zero), the key that word sets hash and compare
 * such words by. */
static const unsigned char KEY_MASK_BYTES[16] = {
  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0
};

/* The mask of the first n bytes (n <= 8) of a number read from memory. */
LEDE_INLINE uint64_t key_mask(size_t n) {
  uint64_t m;
  memcpy(&m, KEY_MASK_BYTES + 8 - n, 8);
  return m;
}

/* The hash of a word for word sets and profile indexes: its bytes read
 * eight at a time (the last part zero-padded), multiplied through; a word
 * of up to eight bytes is one number (key_mask), hashed by ws_mix. */
LEDE_INLINE uint32_t ws_mix(uint64_t h, size_t n) {
  h *= UINT64_C(0x9E3779B97F4A7C15);
  return (uint32_t)(h >> 32) ^ (uint32_t)n;
}

LEDE_INLINE uint32_t ws_hash(const char *s, size_t n) {
  uint64_t h = 0, c;
  size_t k = 0;
  while (n - k > 8) {
    memcpy(&c, s + k, 8);
    h = (h ^ c) * UINT64_C(0xFF51AFD7ED558CCD);
    h ^= h >> 33;
    k += 8;
  }
  c = 0;
  memcpy(&c, s + k, n - k);
  return ws_mix(h ^ c, n);
}

/* Files word w[0..n) (n < 256), known to be absent, in an open-addressing
 * table of cap slots (a power of two) over an arena, as the word sets and
 * profile indexes keep them: its length byte and bytes go at arena[at], and
 * its slot gets at + 1. Returns the bytes written (n + 1). */
static size_t slot_file(uint32_t *slots, size_t cap, unsigned char *arena, size_t at,
                        const char *w, size_t n) {
  size_t k = ws_hash(w, n) & (cap - 1);
  while (slots[k]) k = (k + 1) & (cap - 1);
  slots[k] = (uint32_t)(at + 1);
  arena[at] = (unsigned char)n;
  memcpy(arena + at + 1, w, n);
  return n + 1;
}

LEDE_INLINE int ws_has(const WordSet *w, const char *s, size_t n) {
  size_t mask = w->cap - 1, k;
  const char *arena = ws_arena(w);
  if (n > w->maxlen || n == 0 || !(w->first[(unsigned char)s[0]] & ws_len_bit(n))) return 0;
  k = ws_hash(s, n) & mask;
  while (w->slots[k]) {
    const char *e = arena + w->slots[k] - 1;
    if ((unsigned char)e[0] == n) {
      size_t i = 0;
      while (i < n && e[1 + i] == s[i]) i++;
      if (i == n) return 1;
    }
    k = (k + 1) & mask;
  }
  return 0;
}

/* ws_has for a word of 1 to 8 bytes given as its key (key_mask), whose
 * ws_hash is h (ws_mix of the key): each slot's word compared as one
 * number (the arena has room to read eight bytes past any word's start). */
LEDE_INLINE int ws_has8(const WordSet *w, uint64_t key, size_t n, uint32_t h) {
  size_t mask = w->cap - 1, k = h & mask;
  const unsigned char *arena = (const unsigned char *)ws_arena(w);
  uint64_t km = key_mask(n);
  uint32_t sl;
  while ((sl = w->slots[k]) != 0) {
    const unsigned char *e = arena + sl - 1;
    uint64_t v;
    memcpy(&v, e + 1, 8);
    if (e[0] == n && (v & km) == key) return 1;
    k = (k + 1) & mask;
  }
  return 0;
}

/* The key (key_mask) of the n bytes at s (1 to 8), its first byte
 * replaced by c0. */
LEDE_INLINE uint64_t word_key(unsigned char c0, const unsigned char *s, size_t n) {
  unsigned char b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  uint64_t key;
  size_t k;
  b[0] = c0;
  for (k = 1; k < n; k++) b[k] = s[k];
  memcpy(&key, b, 8);
  return key;
}

/* Classes of the ASCII characters, as the lede.h predicates give them:
 * AC_WORD (lede_is_word), AC_SPACE (lede_is_hspace or lede_is_vspace). */
#define AC_WORD 1
#define AC_SPACE 2
static const unsigned char ASCII_CLASS[128] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
  0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
  0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
};

/* The ASCII word characters folded to lower case (0 for every other byte). */
static const unsigned char ASCII_WORD_FOLD[256] = {
  ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6',
  ['7'] = '7', ['8'] = '8', ['9'] = '9', ['_'] = '_',
  ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g',
  ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
  ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u',
  ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z',
  ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
  ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
  ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
  ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
};

/* lede_utf8_decode with ASCII decoded in line. */
LEDE_INLINE uint32_t decode_at(const unsigned char *s, size_t p, size_t e, size_t *len) {
  if (s[p] < 0x80) { *len = 1; return s[p]; }
  return lede_utf8_decode(s, p, e, len);
}

LEDE_INLINE int is_word_cp(uint32_t cp) {
  if (cp < 0x80) return (ASCII_CLASS[cp] & AC_WORD) != 0;
  /* the letters of most scripts, as lede_is_word answers for them */
  if (cp >= 0xC0 && cp < 0x1680) return cp != 0xD7 && cp != 0xF7;
  if (cp >= 0x3040 && cp < 0xFE30) return 1;
  return lede_is_word(cp);
}

LEDE_INLINE int is_space_cp(uint32_t cp) {
  return cp < 0x80 ? (ASCII_CLASS[cp] & AC_SPACE) != 0 : (lede_is_hspace(cp) || lede_is_vspace(cp));
}

/* Whether s[r], s[r + 1] encode a lower-case letter of basic Cyrillic
 * (U+0430 to U+044F: D0 B0..BF, D1 80..8F); s[r + 1] must be readable. */
LEDE_INLINE int cyr_lower_at(const unsigned char *s, size_t r) {
  return (s[r] == 0xD0 && (unsigned)s[r + 1] - 0xB0u < 16u) ||
         (s[r] == 0xD1 && (unsigned)s[r + 1] - 0x80u < 16u);
}

/* Longest word (in bytes, after folding) looked up in the stopword set. */
#define FEAT_MAX_WORD 64

/* Little-endian builds with GCC's builtins read eight bytes of a word at
 * once (lower_run, ws_has_word). */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FEAT_SWAR 1
#endif
#endif

/* The end of the run of lower-case ASCII letters that follows s[p] (an
 * ASCII letter) in s[..e): the first byte after p that is none, or e. s[e]
 * is readable; with open_end unset it is no such letter. */
LEDE_INLINE size_t lower_run(const unsigned char *s, size_t p, size_t e, int open_end) {
  size_t r = p + 1;
#ifdef FEAT_SWAR
  if (e - p >= 8) {
    /* (the eight bytes from p at once: those that are no lower-case
     * letter, the first of them after p) */
    const uint64_t high = UINT64_C(0x8080808080808080);
    uint64_t x, y, m;
    memcpy(&x, s + p, 8);
    y = x & ~high;
    m = (y + UINT64_C(0x1F1F1F1F1F1F1F1F)) & ~(y + UINT64_C(0x0505050505050505)) & ~x & high;
    m = ~m & high & ~(uint64_t)0x80;
    if (m) return p + (size_t)(__builtin_ctzll(m) >> 3);
    r = p + 8;
  }
#endif
  if (open_end)
    while (r < e && (unsigned)s[r] - 'a' < 26u) r++;
  else
    while ((unsigned)s[r] - 'a' < 26u) r++;
  return r;
}

/* Whether the word of run bytes at s, its first byte replaced by c0, is in
 * w (and in w2, when given: *in2). can8: eight bytes at s are readable. */
LEDE_INLINE int ws_has_word(const WordSet *w, const WordSet *w2, int *in2, unsigned char c0,
                            const unsigned char *s, size_t run, int can8) {
  if (run <= 8) {
    uint64_t key;
    uint32_t h;
#ifdef FEAT_SWAR
    if (can8) {
      memcpy(&key, s, 8);
      key = ((key & ~(uint64_t)0xFF) | c0) & key_mask(run);
    } else
#endif
      key = word_key(c0, s, run);
    (void)can8;
    h = ws_mix(key, run);
    if (w2) *in2 = ws_has8(w2, key, run, h);
    return ws_has8(w, key, run, h);
  } else {
    char buf[FEAT_MAX_WORD];
    buf[0] = (char)c0;
    memcpy(buf + 1, s + 1, run - 1);
    if (w2) *in2 = ws_has(w2, buf, run);
    return ws_has(w, buf, run);
  }
}

/* Appends the n bytes b to the word being read into buf (its length *bl),
 * or marks it overflowing when they do not fit in FEAT_MAX_WORD. */
static inline void word_put(char *buf, size_t *bl, int *overflow, const unsigned char *b, size_t n) {
  if (*bl + n > FEAT_MAX_WORD) {
    *overflow = 1;
    return;
  }
  memcpy(buf + *bl, b, n);
  *bl += n;
}

typedef struct {
  lua_Integer chars, letters, upper, lower, digits, punct, spaces;
  lua_Integer words, stopwords, title_words, lower_words, upper_words, number_words;
  lua_Integer sentences, separators, commas, urls, camel, long_words;
  int ends_sentence, bullet, ends_colon;
} Features;

static int is_upper(uint32_t cp) {
  if (cp == LEDE_BAD) return 0;
  return lede_fold(cp) != cp;
}

static int is_lower(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  if (cp == LEDE_BAD || !is_word_cp(cp)) return 0;
  /* a letter that folding leaves alone and that is not a digit-like sign */
  return lede_fold(cp) == cp && cp >= 0xC0;
}

static int is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

/* Sentence-final punctuation. */
static int is_final(uint32_t cp) { return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026; }

/* Closing quotes and brackets that may follow a sentence end. */
LEDE_INLINE int is_closer(uint32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x2019 || cp == 0x201D ||
         cp == 0xBB || cp == 0x203A;
}

/* Marks that separate the items of a menu or a breadcrumb when they stand
 * alone between spaces: | • · » › / and w3m's list bullets. */
static int is_separator(uint32_t cp) {
  switch (cp) {
  case '|': case '/': case 0xB7: case 0xBB: case 0x203A: case 0x2022: case 0x25E6:
  case 0x25AA: case 0x25A1: case 0x25A0: case 0x2606: case 0x2605: case 0x25CF:
  case 0x25CB: case 0x2023: case 0x2043:
    return 1;
  default:
    return 0;
  }
}

/* Marks that open a list item when they start the block. */
static int is_bullet(uint32_t cp) {
  return cp == '*' || cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == 0x2022 ||
         cp == 0x25E6 || cp == 0x25AA || cp == 0x25A1 || cp == 0x25A0 || cp == 0x2606 ||
         cp == 0x2605 || cp == 0x25CF || cp == 0x25CB || cp == 0x2023 || cp == 0x2043 ||
         cp == 0xB7 || cp == 0x25B8 || cp == 0x25BA || cp == 0x2192;
}

static int is_apostrophe(uint32_t cp) { return cp == '\'' || cp == 0x2019; }

/* Folds a word as features does (lower case, typographic apostrophe as ').
 * Returns its length in out, or 0 when it does not fit in FEAT_MAX_WORD. */
static size_t fold_word(const unsigned char *s, size_t n, char *out) {
  size_t p = 0, len, o = 0;
  while (p < n) {
    uint32_t c = lede_utf8_decode(s, p, n, &len);
    unsigned char enc[4];
    size_t el;
    if (c == LEDE_BAD) { el = 1; enc[0] = s[p]; }
    else if (is_apostrophe(c)) { el = 1; enc[0] = '\''; }
    else el = lede_utf8_encode(lede_fold(c), enc);
    if (o + el > FEAT_MAX_WORD) return 0;
    memcpy(out + o, enc, el);
    o += el;
    p += len;
  }
  return o;
}

/* Looks the folded word up in the set at index `set`. */
static int in_set(lua_State *L, int set, const char *w, size_t n) {
  int hit;
  lua_pushlstring(L, w, n);
  lua_rawget(L, set);
  hit = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return hit;
}

/* Also gives the span of the block's word characters, from the start of its
 * first word to the end of its last (*kfirst = e when there is none). */
static void measure(lua_State *L, const unsigned char *s, size_t b, size_t e, int set,
                    const WordSet *ws, const WordSet *ws2, lua_Integer *stop2, Features *out,
                    size_t *kfirst, size_t *klast) {
  size_t p = b, len;
  int first = 1;
  uint32_t prev = ' ', last = 0; /* last: last non-space, non-closer character */
  size_t kf = e, kl = b; /* *kfirst, *klast, set at the end */
  /* the fast path's counts, added to the others at the end: the letters of
   * its words, its words, those of them with a capital */
  lua_Integer f_letters = 0, f_words = 0, f_caps = 0;
  /* s[e] is readable (a Lua string ends with a NUL byte, and a range ends
   * inside one): when it is no lower-case letter, a run of them stops at e
   * without a test of the end */
  int open_end = (unsigned)s[e] - 'a' < 26u;
  /* the counts are plain locals, which the word buffer's stores cannot
   * alias, so that the compiler may keep them in registers */
  lua_Integer v_stop2 = 0; /* the words of ws2 (with ws) */
  lua_Integer v_camel = 0, v_chars = 0, v_commas = 0, v_digits = 0, v_letters = 0, v_long_words = 0, v_lower = 0, v_lower_words = 0, v_number_words = 0, v_punct = 0, v_sentences = 0, v_separators = 0, v_spaces = 0, v_stopwords = 0, v_title_words = 0, v_upper = 0, v_upper_words = 0, v_urls = 0, v_words = 0;
  int v_bullet = 0, v_ends_colon = 0, v_ends_sentence = 0;
  while (p < e) {
    uint32_t cp;
    if (s[p] == ' ') {
      v_spaces++;
      prev = ' ';
      p++;
      continue;
    }
    if ((unsigned)(s[p] | 0x20) - 'a' < 26u) {
      /* a word of ASCII letters, lower case but maybe the first ("the",
       * "The"), that ends before an ASCII byte that is no word character
       * nor an apostrophe (or the block's end): what the word branch below
       * counts, at once; its folded form is its bytes, the first lowered */
      size_t r = lower_run(s, p, e, open_end);
      unsigned char c0 = (unsigned char)(s[p] | 0x20);
      if (r == e || (s[r] < 0x80 && !(ASCII_CLASS[s[r]] & AC_WORD) && s[r] != '\'')) {
        size_t run = r - p;
        int cap = s[p] <= 'Z';
        first = 0;
        if (kf == e) kf = p;
        /* (chars and letters: run; upper and title words: cap; lower:
         * run - cap; lower words: 1 - cap) */
        f_letters += (lua_Integer)run;
        f_caps += cap;
        f_words++;
        if (run >= 13) v_long_words++;
        if (run <= FEAT_MAX_WORD) {
          if (ws) {
            int in2 = 0;
            v_stopwords += ws_has_word(ws, ws2, &in2, c0, s + p, run, e - p >= 8);
            v_stop2 += in2;
          } else if (set) {
            const char *w = (const char *)s + p;
            char buf[FEAT_MAX_WORD];
            if (cap) {
              buf[0] = (char)(s[p] + 32);
              memcpy(buf + 1, s + p + 1, run - 1);
              w = buf;
            }
            if (in_set(L, set, w, run)) v_stopwords++;
          }
        }
        last = s[r - 1];
        prev = s[r - 1];
        p = r;
        kl = r;
        continue;
      }
    }
    cp = decode_at(s, p, e, &len);
    if (is_space_cp(cp)) {
      v_spaces++;
      prev = ' ';
      p += len;
      continue;
    }
    v_chars++;
    if (first) {
      first = 0;
      if (is_bullet(cp)) {
        size_t l2;
        uint32_t nx = p + len < e ? decode_at(s, p + len, e, &l2) : ' ';
        if (nx == ' ' || (cp != '-' && cp != '*')) v_bullet = 1;
      }
    }
    if (is_word_cp(cp)) {
      /* one word: word characters, with apostrophes between them */
      if (kf == e) kf = p;
      char buf[FEAT_MAX_WORD + 4];
      size_t bl = 0, q = p, wchars = 0;
      int overflow = 0, cap = 0, all_upper = 1, has_letter = 0, starts_digit = is_digit(cp);
      /* (its first eight bytes set: the look-up reads them at once) */
      memset(buf, 0, 8);
      uint32_t wp = 0;
      while (q < e) {
        size_t l;
        uint32_t c, fc;
        int up;
        unsigned ch = s[q];
        if (ch < 0x80 && ((ch | 0x20) - 'a' < 26u || ch - '0' < 10u)) {
          /* ASCII letter or digit: the common case, without decoding */
          if (ch - 'a' < 26u) {
            /* a run of lower-case ASCII letters, counted at once */
            size_t r = q, run;
            if (wchars == 0) cap = 0;
            do {
              if (bl < FEAT_MAX_WORD) buf[bl++] = (char)s[r]; else overflow = 1;
              r++;
            } while (r < e && (unsigned)s[r] - 'a' < 26u);
            run = r - q;
            v_letters += (lua_Integer)run;
            v_lower += (lua_Integer)run;
            has_letter = 1;
            all_upper = 0;
            wchars += run;
            wp = s[r - 1];
            q = r;
            continue;
          }
          if (wchars == 0) cap = ch - 'A' < 26u;
          if (ch - '0' < 10u) v_digits++;
          else {
            has_letter = 1;
            v_letters++;
            if (ch - 'A' < 26u) {
              v_upper++;
              if (wchars > 0 && (wp < 0x80 ? wp - 'a' < 26u : is_lower(wp))) v_camel++;
              ch += 32;
            } else {
              all_upper = 0;
              v_lower++;
            }
          }
          if (bl < FEAT_MAX_WORD) buf[bl++] = (char)ch; else overflow = 1;
          wchars++;
          wp = s[q];
          q++;
          continue;
        }
        /* (an ASCII byte other than _ and ' ends the word) */
        if (ch < 0x80 && ch != '_' && ch != '\'') break;
        if ((ch == 0xD0 || ch == 0xD1) && q + 1 < e && (s[q + 1] & 0xC0) == 0x80) {
          /* a letter of basic Cyrillic (U+0410 to U+044F), as below but
           * without decoding and folding through the general tables */
          c = ((uint32_t)(ch & 0x1F) << 6) | (s[q + 1] & 0x3F);
          if (c - 0x430u < 0x20u) {
            /* a run of lower-case letters (U+0430 to U+044F), counted at
             * once: their folded form is their bytes */
            size_t r = q, run;
            if (wchars == 0) cap = 0;
            do {
              if (bl + 2 <= FEAT_MAX_WORD) {
                buf[bl++] = (char)s[r];
                buf[bl++] = (char)s[r + 1];
              } else overflow = 1;
              r += 2;
            } while (r + 1 < e && cyr_lower_at(s, r));
            run = (r - q) / 2;
            v_letters += (lua_Integer)run;
            v_lower += (lua_Integer)run;
            has_letter = 1;
            all_upper = 0;
            wchars += run;
            wp = ((uint32_t)(s[r - 2] & 0x1F) << 6) | (s[r - 1] & 0x3F);
            q = r;
            continue;
          }
          if (c - 0x410u < 0x40u) {
            up = c < 0x430;
            fc = up ? c + 32 : c;
            if (wchars == 0) cap = up;
            has_letter = 1;
            v_letters++;
            if (up) {
              v_upper++;
              if (wchars > 0 && (wp < 0x80 ? wp - 'a' < 26u : is_lower(wp))) v_camel++;
            } else {
              all_upper = 0;
              v_lower++;
            }
            if (!overflow) {
              unsigned char b2[2];
              b2[0] = (unsigned char)(0xC0 | (fc >> 6));
              b2[1] = (unsigned char)(0x80 | (fc & 0x3F));
              word_put(buf, &bl, &overflow, b2, 2);
            }
            wchars++;
            wp = c;
            q += 2;
            continue;
          }
        }
        c = decode_at(s, q, e, &l);
        if (!is_word_cp(c)) {
          if (is_apostrophe(c) && q + l < e && wchars > 0) {
            size_t l2;
            uint32_t nx = decode_at(s, q + l, e, &l2);
            if (is_word_cp(nx)) {
              word_put(buf, &bl, &overflow, (const unsigned char *)"'", 1);
              v_chars++;
              v_punct++;
              q += l;
              wp = c;
              continue;
            }
          }
          break;
        }
        /* (folded once: is_upper and is_lower in line) */
        fc = lede_fold(c);
        up = c != LEDE_BAD && fc != c;
        if (wchars == 0) cap = up;
        if (is_digit(c)) v_digits++;
        else {
          has_letter = 1;
          v_letters++;
          if (up) {
            v_upper++;
            if (wchars > 0 && (wp < 0x80 ? wp - 'a' < 26u : is_lower(wp))) v_camel++;
          } else {
            all_upper = 0;
            if (c < 0x80 ? c - 'a' < 26u : (c != LEDE_BAD && fc == c && c >= 0xC0)) v_lower++;
          }
        }
        if (!overflow) {
          unsigned char enc[4];
          size_t el = fc == LEDE_BAD ? 0 : lede_utf8_encode(fc, enc);
          word_put(buf, &bl, &overflow, enc, el);
        }
        wchars++;
        wp = c;
        q += l;
      }
      /* the first character was counted as a char above; the rest here */
      v_chars += (lua_Integer)wchars - 1;
      v_words++;
      if (wchars >= 13) v_long_words++;
      if (starts_digit) v_number_words++;
      else if (cap) {
        if (all_upper && has_letter && wchars >= 2) v_upper_words++;
        else v_title_words++;
      } else if (has_letter) v_lower_words++;
      if (!overflow && bl > 0) {
        if (ws) {
          int in2 = 0;
          v_stopwords += ws_has_word(ws, ws2, &in2, (unsigned char)buf[0], (const unsigned char *)buf, bl, 1);
          v_stop2 += in2;
        } else if (set && in_set(L, set, buf, bl)) v_stopwords++;
      }
      last = wp;
      prev = wp;
      p = q;
      kl = q;
      continue;
    }
    /* not a word character */
    if (cp == ',') v_commas++;
    v_punct++; /* (not a word character: the word branch above took those) */
    if (is_separator(cp) && prev == ' ') {
      size_t l2;
      uint32_t nx = p + len < e ? lede_utf8_decode(s, p + len, e, &l2) : ' ';
      if (nx == ' ' || lede_is_hspace(nx)) v_separators++;
    }
    if (is_final(cp)) {
      /* a sentence ends when a space (or the block end) follows, after
       * optional closers */
      size_t q = p + len, l2;
      uint32_t nx = ' ';
      while (q < e) {
        nx = lede_utf8_decode(s, q, e, &l2);
        if (!is_closer(nx) && !is_final(nx)) break;
        q += l2;
        nx = ' ';
      }
      /* not after an initial ("J. Doe") nor after the number of a list
       * item at the block's start ("1. Item") */
      if (q >= e || lede_is_hspace(nx)) {
        int item = cp == '.' && v_words + f_words == 1 && v_number_words == 1 && v_letters + f_letters == 0 &&
                   is_digit(prev);
        if (!item && (q >= e || cp != '.' || !is_upper(prev))) v_sentences++;
      }
    }
    if (cp == ':') {
      /* "http://", "https://" */
      if (p >= b + 4 && p + 2 < e && s[p + 1] == '/' && s[p + 2] == '/' &&
          (memcmp(s + p - 4, "http", 4) == 0 || (p >= b + 5 && memcmp(s + p - 5, "https", 5) == 0)))
        v_urls++;
    }
    if (cp == '.' && p >= b + 3 && memcmp(s + p - 3, "www", 3) == 0 &&
        (p == b + 3 || s[p - 4] >= 0x80 || !lede_is_word(s[p - 4])))
      v_urls++;
    if (!is_closer(cp)) last = cp;
    prev = cp;
    p += len;
  }
  v_chars += f_letters;
  v_letters += f_letters;
  v_upper += f_caps;
  v_lower += f_letters - f_caps;
  v_words += f_words;
  v_title_words += f_caps;
  v_lower_words += f_words - f_caps;
  *kfirst = kf;
  *klast = kl;
  if (stop2) *stop2 = v_stop2;
  v_ends_sentence = is_final(last);
  v_ends_colon = last == ':';
  memset(out, 0, sizeof *out);
  out->bullet = v_bullet;
  out->camel = v_camel;
  out->chars = v_chars;
  out->commas = v_commas;
  out->digits = v_digits;
  out->ends_colon = v_ends_colon;
  out->ends_sentence = v_ends_sentence;
  out->letters = v_letters;
  out->long_words = v_long_words;
  out->lower = v_lower;
  out->lower_words = v_lower_words;
  out->number_words = v_number_words;
  out->punct = v_punct;
  out->sentences = v_sentences;
  out->separators = v_separators;
  out->spaces = v_spaces;
  out->stopwords = v_stopwords;
  out->title_words = v_title_words;
  out->upper = v_upper;
  out->upper_words = v_upper_words;
  out->urls = v_urls;
  out->words = v_words;
}

/* The stopwords of s[b..e): measure's v_stopwords alone (the same words,
 * folded the same way), without the other counts. */
static lua_Integer count_stopwords(lua_State *L, const unsigned char *s, size_t b, size_t e, int set,
                                   const WordSet *ws) {
  size_t p = b, len;
  lua_Integer n = 0;
  int open_end = (unsigned)s[e] - 'a' < 26u; /* (as measure reads s[e]) */
  while (p < e) {
    uint32_t cp;
    unsigned ch0 = s[p];
    if (ch0 < 0x80) {
      if (!(ASCII_CLASS[ch0] & AC_WORD)) { p++; continue; }
      if (ch0 - 'a' < 26u || ch0 - 'A' < 26u) {
        /* a word of ASCII letters, lower case after the first, that ends
         * before an ASCII byte that is no word character nor an
         * apostrophe (or the block's end): looked up at once */
        size_t r = lower_run(s, p, e, open_end);
        unsigned char c0 = (unsigned char)(ch0 | 0x20);
        if (r == e || (s[r] < 0x80 && !(ASCII_CLASS[s[r]] & AC_WORD) && s[r] != '\'')) {
          size_t run = r - p;
          if (run <= FEAT_MAX_WORD) {
            if (ws) {
              n += ws_has_word(ws, NULL, NULL, c0, s + p, run, e - p >= 8);
            } else if (set) {
              char buf[FEAT_MAX_WORD];
              buf[0] = (char)c0;
              memcpy(buf + 1, s + p + 1, run - 1);
              if (in_set(L, set, buf, run)) n++;
            }
          }
          p = r;
          continue;
        }
      }
      cp = ch0;
      len = 1;
    } else {
      cp = lede_utf8_decode(s, p, e, &len);
      if (!is_word_cp(cp)) { p += len; continue; }
    }
    {
      char buf[FEAT_MAX_WORD + 4];
      size_t bl = 0, q = p, wchars = 0;
      int overflow = 0;
      memset(buf, 0, 8); /* (as in measure) */
      while (q < e) {
        size_t l;
        uint32_t c, fc;
        unsigned ch = s[q];
        if (ch < 0x80 && ((ch | 0x20) - 'a' < 26u || ch - '0' < 10u)) {
          if (ch - 'A' < 26u) ch += 32;
          if (bl < FEAT_MAX_WORD) buf[bl++] = (char)ch; else overflow = 1;
          wchars++;
          q++;
          continue;
        }
        if (ch < 0x80 && ch != '_' && ch != '\'') break;
        if ((ch == 0xD0 || ch == 0xD1) && q + 1 < e && (s[q + 1] & 0xC0) == 0x80) {
          /* a letter of basic Cyrillic (U+0410 to U+044F): as measure reads it */
          c = ((uint32_t)(ch & 0x1F) << 6) | (s[q + 1] & 0x3F);
          if (c - 0x430u < 0x20u) {
            /* a run of lower-case letters, at once (as measure reads it) */
            size_t r = q;
            do {
              if (bl + 2 <= FEAT_MAX_WORD) {
                buf[bl++] = (char)s[r];
                buf[bl++] = (char)s[r + 1];
              } else overflow = 1;
              r += 2;
            } while (r + 1 < e && cyr_lower_at(s, r));
            wchars += (r - q) / 2;
            q = r;
            continue;
          }
          if (c - 0x410u < 0x40u) {
            fc = c < 0x430 ? c + 32 : c;
            if (!overflow) {
              unsigned char b2[2];
              b2[0] = (unsigned char)(0xC0 | (fc >> 6));
              b2[1] = (unsigned char)(0x80 | (fc & 0x3F));
              word_put(buf, &bl, &overflow, b2, 2);
            }
            wchars++;
            q += 2;
            continue;
          }
        }
        c = decode_at(s, q, e, &l);
        if (!is_word_cp(c)) {
          if (is_apostrophe(c) && q + l < e && wchars > 0) {
            size_t l2;
            uint32_t nx = decode_at(s, q + l, e, &l2);
            if (is_word_cp(nx)) {
              word_put(buf, &bl, &overflow, (const unsigned char *)"'", 1);
              q += l;
              continue;
            }
          }
          break;
        }
        fc = lede_fold(c);
        if (!overflow) {
          unsigned char enc[4];
          size_t el = fc == LEDE_BAD ? 0 : lede_utf8_encode(fc, enc);
          word_put(buf, &bl, &overflow, enc, el);
        }
        wchars++;
        q += l;
      }
      if (!overflow && bl > 0) {
        if (ws) n += ws_has_word(ws, NULL, NULL, (unsigned char)buf[0], (const unsigned char *)buf, bl, 1);
        else if (set && in_set(L, set, buf, bl)) n++;
      }
      p = q;
    }
  }
  return n;
}

/* The block as a phrase key: folded to lower case, without the non-word
 * characters at either end (bullets, punctuation, spaces), inner runs of
 * white space as one space. Blocks of up to LEDE_MAX_KEY bytes (lede.h)
 * get one. */

/* The key of s[first..last) into out (cap bytes): its length. */
static size_t key_into(const unsigned char *s, size_t first, size_t last, char *out, size_t cap) {
  size_t o = 0, p, len;
  int space = 0;
  for (p = first; p < last; p += len) {
    uint32_t c = decode_at(s, p, last, &len);
    unsigned char enc[4];
    size_t el;
    if (is_space_cp(c)) { space = 1; continue; }
    if (space && o > 0) out[o++] = ' ';
    space = 0;
    if (c < 0x80) {
      /* ASCII: folded in place */
      if (o + 2 > cap) break;
      out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      continue;
    }
    if (c == LEDE_BAD) { el = 1; enc[0] = s[p]; }
    else if (c == 0x2019) { el = 1; enc[0] = '\''; }
    else el = lede_utf8_encode(lede_fold(c), enc);
    if (o + el + 1 > cap) break;
    memcpy(out + o, enc, el);
    o += el;
  }
  return o;
}

static void push_key(lua_State *L, const unsigned char *s, size_t first, size_t last) {
  char out[LEDE_KEY_BUF];
  lua_pushlstring(L, out, key_into(s, first, last, out, sizeof out));
}

/* The phrase key of the n bytes at s into out (LEDE_KEY_BUF bytes), read
 * until it is longer than limit, and with first set only up to its first
 * word's end (see lede_phrase_key_upto and lede_phrase_key_first): what
 * key_into gives for the span from the first word character to the end of
 * the last, in one pass. The text is folded from the first word character
 * on, and what follows the last one is cut off at the end (the key's bytes
 * come in order, and its end is the end of a word character: once one ends
 * past limit, the key is longer). With first set, q is where the first
 * space went: a word character after it ends the first word's key. */
LEDE_INLINE size_t phrase_key(const unsigned char *s, size_t n, char *out, size_t limit, int first) {
  size_t p = 0, len, o = 0, o_end = 0, q = (size_t)-1;
  int started = 0, space = 0;
  if (n > LEDE_MAX_KEY) return (size_t)-1;
  while (p < n) {
    unsigned ch = s[p];
    uint32_t c;
    unsigned char enc[4];
    size_t el;
    int word;
    if (ch < 0x80) {
      /* (ASCII without decoding) */
      unsigned cls = ASCII_CLASS[ch];
      if (cls & AC_WORD) {
        /* a run of ASCII word characters, folded at once: the key's end
         * moves to each of them (o grows by one per character, so the
         * first end past limit is the larger of the first's and limit + 1) */
        size_t o0;
        unsigned char f;
        started = 1;
        if (space && o > 0) {
          if (first && q == (size_t)-1) q = o;
          out[o++] = ' ';
        }
        space = 0;
        if (first && q != (size_t)-1) return o + 2 > LEDE_KEY_BUF ? o_end : q;
        o0 = o;
        while (o + 2 <= LEDE_KEY_BUF && p < n && (f = ASCII_WORD_FOLD[s[p]]) != 0) {
          out[o++] = (char)f;
          p++;
        }
        if (o > o0) {
          o_end = o;
          if (o_end > limit) return o0 + 1 > limit ? o0 + 1 : limit + 1;
        }
        if (o + 2 > LEDE_KEY_BUF && p < n && ASCII_WORD_FOLD[s[p]] != 0) break;
        continue;
      }
      /* other ASCII: kept inside the key, not at its ends */
      p++;
      if (cls & AC_SPACE) { space = 1; continue; }
      if (!started) continue;
      if (space && o > 0) {
        if (first && q == (size_t)-1) q = o;
        out[o++] = ' ';
      }
      space = 0;
      if (o + 2 > LEDE_KEY_BUF) break;
      out[o++] = (char)ch;
      continue;
    }
    c = lede_utf8_decode(s, p, n, &len);
    if (is_space_cp(c)) { space = 1; p += len; continue; }
    word = is_word_cp(c);
    if (!started) {
      if (!word) { p += len; continue; }
      started = 1;
    }
    if (space && o > 0) {
      if (first && q == (size_t)-1) q = o;
      out[o++] = ' ';
    }
    space = 0;
    if (c == LEDE_BAD) { el = 1; enc[0] = s[p]; }
    else if (c == 0x2019) { el = 1; enc[0] = '\''; }
    else el = lede_utf8_encode(lede_fold(c), enc);
    if (o + el + 1 > LEDE_KEY_BUF) break;
    memcpy(out + o, enc, el);
    o += el;
    p += len;
    if (word) {
      o_end = o;
      if (first && q != (size_t)-1) return q;
      if (o_end > limit) return o_end;
    }
  }
  return o_end;
}

/* lede_phrase_key (lede.h): what core.phrase_key gives. core.rule_hits
 * (regex.c) reads lede_phrase_key_upto and lede_phrase_key_first. */
size_t lede_phrase_key(const unsigned char *s, size_t n, char *out) {
  return phrase_key(s, n, out, (size_t)-1, 0);
}

size_t lede_phrase_key_upto(const unsigned char *s, size_t n, char *out, size_t limit) {
  return phrase_key(s, n, out, limit, 0);
}

size_t lede_phrase_key_first(const unsigned char *s, size_t n, char *out, size_t limit) {
  return phrase_key(s, n, out, limit, 1);
}

/* The fields of a features table, in the order they are set; their key
 * strings are kept in an upvalue table (FEATURE_KEYS) so that each is set
 * with lua_rawset, without interning the name again. */
enum {
  F_KEY = 1, F_BYTES, F_CHARS, F_LETTERS, F_CAPS, F_DIGITS, F_PUNCT, F_COMMAS, F_WORDS,
  F_STOPWORDS, F_STOPWORD_DENSITY, F_TITLE_WORDS, F_LOWER_WORDS, F_UPPER_WORDS,
  F_NUMBER_WORDS, F_TITLE_SHARE, F_LONG_WORDS, F_CAMEL, F_SENTENCES, F_SEPARATORS, F_URLS,
  F_ENDS_SENTENCE, F_ENDS_COLON, F_BULLET, F_MENU_LIKE, F_COUNT = F_MENU_LIKE
};

static const char *const FEATURE_KEYS[] = {
  "key", "bytes", "chars", "letters", "caps", "digits", "punct", "commas", "words",
  "stopwords", "stopword_density", "title_words", "lower_words", "upper_words",
  "number_words", "title_share", "long_words", "camel", "sentences", "separators", "urls",
  "ends_sentence", "ends_colon", "bullet", "menu_like", NULL
};

/* The key of field f: upvalue f of the calling C closure. */
#define KEY(f) lua_pushvalue(L, lua_upvalueindex(f))

/* Pushes the value of field `field` (an F_ index) of the features f of
 * s[b..e) (key span kfirst..klast). */
static void push_field(lua_State *L, int field, const unsigned char *s, size_t b, size_t e,
                       const Features *f, size_t kfirst, size_t klast) {
  lua_Integer alpha;
  switch (field) {
  case F_KEY:
    if (e - b <= LEDE_MAX_KEY) push_key(L, s, kfirst, kfirst < klast ? klast : kfirst);
    else lua_pushboolean(L, 0);
    break;
  case F_BYTES: lua_pushinteger(L, (lua_Integer)(e - b)); break;
  case F_CHARS: lua_pushinteger(L, f->chars); break;
  case F_LETTERS: lua_pushinteger(L, f->letters); break;
  case F_CAPS: lua_pushinteger(L, f->upper); break;
  case F_DIGITS: lua_pushinteger(L, f->digits); break;
  case F_PUNCT: lua_pushinteger(L, f->punct); break;
  case F_COMMAS: lua_pushinteger(L, f->commas); break;
  case F_WORDS: lua_pushinteger(L, f->words); break;
  case F_STOPWORDS: lua_pushinteger(L, f->stopwords); break;
  case F_STOPWORD_DENSITY:
    lua_pushnumber(L, f->words ? (double)f->stopwords / (double)f->words : 0.0);
    break;
  case F_TITLE_WORDS: lua_pushinteger(L, f->title_words); break;
  case F_LOWER_WORDS: lua_pushinteger(L, f->lower_words); break;
  case F_UPPER_WORDS: lua_pushinteger(L, f->upper_words); break;
  case F_NUMBER_WORDS: lua_pushinteger(L, f->number_words); break;
  case F_TITLE_SHARE:
    alpha = f->title_words + f->lower_words + f->upper_words;
    lua_pushnumber(L, alpha ? (double)(f->title_words + f->upper_words) / (double)alpha : 0.0);
    break;
  case F_LONG_WORDS: lua_pushinteger(L, f->long_words); break;
  case F_CAMEL: lua_pushinteger(L, f->camel); break;
  case F_SENTENCES: lua_pushinteger(L, f->sentences); break;
  case F_SEPARATORS: lua_pushinteger(L, f->separators); break;
  case F_URLS: lua_pushinteger(L, f->urls); break;
  case F_ENDS_SENTENCE: lua_pushboolean(L, f->ends_sentence); break;
  case F_ENDS_COLON: lua_pushboolean(L, f->ends_colon); break;
  case F_BULLET: lua_pushboolean(L, f->bullet); break;
  default:
    /* menu-like: several short items between separators */
    lua_pushboolean(L, f->separators >= 2 && f->words <= 4 * (f->separators + 1));
    break;
  }
}

/* The features of a block that the classifier's passes read (see
 * core.block_classes), kept flat for a whole document. */
typedef struct {
  double words, chars, stopwords, number_words, commas, sentences, urls, lower_words, title_share;
  double digits, camel, punct;
  double stopwords_alt; /* the words of another list (block_features' alt) */
  int ends_sentence, bullet, menu_like, ends_colon;
  const char *text; /* the block's text (kept alive by the userdata's user value) */
  size_t text_len;
} BlockF;

/* A document's BlockF, one per block: a lede.Features userdata. */
#define FEATURES_MT "lede.Features"
typedef struct {
  lua_Integer n;
  lua_Integer cap; /* the blocks it has room for (block_features' reuse) */
  BlockF f[1];
} FlatFeatures;

static void to_blockf(const Features *f, BlockF *o) {
  lua_Integer alpha = f->title_words + f->lower_words + f->upper_words;
  o->words = (double)f->words;
  o->chars = (double)f->chars;
  o->stopwords = (double)f->stopwords;
  o->number_words = (double)f->number_words;
  o->commas = (double)f->commas;
  o->sentences = (double)f->sentences;
  o->urls = (double)f->urls;
  o->lower_words = (double)f->lower_words;
  /* (as push_field gives title_share and menu_like) */
  o->title_share = alpha ? (double)(f->title_words + f->upper_words) / (double)alpha : 0.0;
  o->digits = (double)f->digits;
  o->camel = (double)f->camel;
  o->punct = (double)f->punct;
  o->ends_sentence = f->ends_sentence;
  o->ends_colon = f->ends_colon;
  o->bullet = f->bullet;
  o->menu_like = f->separators >= 2 && f->words <= 4 * (f->separators + 1);
}

/* Sets the fields listed in sel[0..nsel) (F_ indexes) of s[b..e) in the
 * table at the top of the stack. Called from a C closure whose upvalues
 * are the key strings of FEATURE_KEYS, in order. */
static void set_features(lua_State *L, const unsigned char *s, size_t b, size_t e, int set,
                         const WordSet *ws, const WordSet *ws2, const int *sel, int nsel, BlockF *flat,
                         int fresh, int use_alt) {
  Features f;
  size_t kfirst, klast;
  lua_Integer n2 = 0;
  int k;
  if (nsel == 1 && sel[0] == F_STOPWORDS && !fresh) {
    /* the stopwords alone (another list for the same blocks; the list
     * whose words were counted as the alt ones: those) */
    lua_Integer n = use_alt && flat ? (lua_Integer)flat->stopwords_alt : count_stopwords(L, s, b, e, set, ws);
    if (lua_type(L, -1) == LUA_TTABLE) {
      KEY(F_STOPWORDS);
      lua_pushinteger(L, n);
      lua_rawset(L, -3);
    }
    if (flat) flat->stopwords = (double)n;
    return;
  }
  measure(L, s, b, e, set, ws, ws2, ws2 ? &n2 : NULL, &f, &kfirst, &klast);
  if (flat) {
    to_blockf(&f, flat);
    flat->stopwords_alt = (double)n2;
  }
  for (k = 0; k < nsel; k++) {
    KEY(sel[k]);
    push_field(L, sel[k], s, b, e, &f, kfirst, klast);
    lua_rawset(L, -3);
  }
}

/* All fields, in order. */
static const int ALL_FIELDS[F_COUNT] = {
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25
};

/* Pushes the features table of s[b..e). */
static void push_features(lua_State *L, const unsigned char *s, size_t b, size_t e, int set,
                          const WordSet *ws) {
  lua_createtable(L, 0, F_COUNT);
  set_features(L, s, b, e, set, ws, NULL, ALL_FIELDS, F_COUNT, NULL, 0, 0);
}

/* The stopwords argument at index arg: a WordSet (*ws), a table (returns
 * its index), or nothing. */
static int stopwords_arg(lua_State *L, int arg, const WordSet **ws) {
  *ws = NULL;
  if (lua_isnoneornil(L, arg)) return 0;
  *ws = (const WordSet *)luaL_testudata(L, arg, WORDSET_MT);
  if (*ws) return 0;
  if (lua_type(L, arg) != LUA_TTABLE)
    luaL_argerror(L, arg, "stopwords must be a table or a lede.WordSet");
  return arg;
}

/* core.features(s [, i [, j [, stopwords]]]) -> table */
static int l_features(lua_State *L) {
  size_t n, b, e;
  const char *s = luaL_checklstring(L, 1, &n);
  lua_Integer i = luaL_optinteger(L, 2, 1);
  lua_Integer j = luaL_optinteger(L, 3, -1);
  const WordSet *ws;
  int set = stopwords_arg(L, 4, &ws);
  lede_range(i, j, n, &b, &e);
  push_features(L, (const unsigned char *)s, b, e, set, ws);
  return 1;
}

/* The F_ index of the field name at the top of the stack; raises on
 * another value. */
static int field_index(lua_State *L, lua_Integer k) {
  const char *name;
  int f;
  if (lua_type(L, -1) != LUA_TSTRING)
    luaL_error(L, "block_features: fields[%d] is not a string", (int)k);
  /* (the key strings are the closure's upvalues: the same strings) */
  for (f = 1; f <= F_COUNT; f++)
    if (lua_rawequal(L, -1, lua_upvalueindex(f))) return f;
  name = lua_tostring(L, -1);
  for (f = 0; FEATURE_KEYS[f] != NULL; f++)
    if (strcmp(FEATURE_KEYS[f], name) == 0) return f + 1;
  luaL_error(L, "block_features: unknown field '%s'", name);
  return 0;
}

/* core.block_features(blocks [, stopwords [, opts]]) -> array of tables,
 * one per entry of blocks (a string, or a table whose field text is one):
 * what core.features(text, 1, -1, stopwords) gives for each. opts:
 * fields (the names of the fields to set; default all), into (an array of
 * tables to fill, returned, instead of new ones), metatable (set on each
 * new table), flat (true: also return the features the classifier's passes
 * read, as a lede.Features userdata; such a userdata of the same blocks:
 * update it and return it, which with the one field stopwords counts the
 * stopwords alone), tables (false: no tables are made or filled, the first
 * result is nil; for the flat features alone), reuse (with flat = true: a
 * lede.Features of other blocks that the new ones are measured into, in
 * its place, when it has room for them; else new ones are made, with room
 * to spare). */
static int l_block_features(lua_State *L) {
  lua_Integer n, k, old_n = 0, first = 1;
  const WordSet *ws;
  int set, into = 0, nsel = F_COUNT, has_mt = 0, want_flat = 0, tables = 1, use_alt = 0, spare = 0, tk;
  FlatFeatures *reuse = NULL;
  const WordSet *alt = NULL;
  FlatFeatures *flat = NULL;
  int sel[F_COUNT];
  luaL_checktype(L, 1, LUA_TTABLE);
  set = stopwords_arg(L, 2, &ws);
  memcpy(sel, ALL_FIELDS, sizeof sel);
  n = (lua_Integer)lua_rawlen(L, 1);
  lua_settop(L, 6); /* 3: opts, 4: into, 5: metatable, 6: alt; 10: reuse */
  if (!lua_isnil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 3)) {
      const char *opt = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
      if (!opt)
        return luaL_error(L, "block_features: options are fields, into, metatable, flat, tables, alt, reuse");
      if (strcmp(opt, "fields") != 0 && strcmp(opt, "into") != 0 && strcmp(opt, "metatable") != 0 &&
          strcmp(opt, "flat") != 0 && strcmp(opt, "tables") != 0 && strcmp(opt, "alt") != 0 &&
          strcmp(opt, "reuse") != 0)
        return luaL_error(L, "block_features: unknown option '%s'", opt);
      lua_pop(L, 1);
    }
    lua_getfield(L, 3, "tables");
    tables = lua_isnil(L, -1) || lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, 3, "fields");
    if (!lua_isnil(L, -1)) {
      lua_Integer m, q;
      if (lua_type(L, -1) != LUA_TTABLE) return luaL_error(L, "block_features: fields must be a table");
      m = (lua_Integer)lua_rawlen(L, -1);
      if (m > F_COUNT) return luaL_error(L, "block_features: more than %d fields", F_COUNT);
      nsel = 0;
      for (q = 1; q <= m; q++) {
        int f, dup = 0, t;
        lua_rawgeti(L, -1, q);
        f = field_index(L, q);
        lua_pop(L, 1);
        for (t = 0; t < nsel; t++) dup |= sel[t] == f;
        if (!dup) sel[nsel++] = f;
      }
    }
    lua_pop(L, 1);
    lua_getfield(L, 3, "into");
    if (!lua_isnil(L, -1)) {
      if (lua_type(L, -1) != LUA_TTABLE) return luaL_error(L, "block_features: into must be a table");
      into = 1;
    }
    lua_replace(L, 4); /* slot 4: into (or nil) */
    lua_getfield(L, 3, "metatable");
    if (!lua_isnil(L, -1)) {
      if (lua_type(L, -1) != LUA_TTABLE) return luaL_error(L, "block_features: metatable must be a table");
      has_mt = 1;
    }
    lua_replace(L, 5); /* slot 5: metatable (or nil) */
    lua_getfield(L, 3, "alt");
    if (!lua_isnil(L, -1)) {
      alt = (const WordSet *)luaL_testudata(L, -1, WORDSET_MT);
      if (alt == NULL) return luaL_error(L, "block_features: alt must be a lede.WordSet");
    }
    lua_replace(L, 6); /* slot 6: alt (or nil), kept alive here */
    lua_getfield(L, 3, "flat");
    if (lua_type(L, -1) == LUA_TUSERDATA) {
      flat = (FlatFeatures *)luaL_testudata(L, -1, FEATURES_MT);
      if (!flat || flat->n != n)
        return luaL_error(L, "block_features: flat must be true or a lede.Features of the blocks");
    } else {
      want_flat = lua_toboolean(L, -1);
    }
    lua_getfield(L, 3, "reuse");
    if (!lua_isnil(L, -1)) {
      reuse = (FlatFeatures *)luaL_testudata(L, -1, FEATURES_MT);
      if (reuse == NULL) return luaL_error(L, "block_features: reuse must be a lede.Features");
      spare = 1;
      /* (kept for its room alone: the features it holds are of other
       * blocks) */
      if (flat != NULL || !want_flat || reuse->cap < n) reuse = NULL;
    }
    if (reuse != NULL) lua_replace(L, -2);
    else lua_pop(L, 1);
    /* slot 3: the flat userdata given, or the one to reuse (or another
     * value) */
    lua_replace(L, 3);
  }
  if (!tables) {
    /* (the flat features alone: no table filled, only the stopwords
     * recounted, or all measured) */
    into = has_mt = 0;
    if (!(nsel == 1 && sel[0] == F_STOPWORDS)) nsel = 0;
    if (!flat && !want_flat) return luaL_error(L, "block_features: tables = false needs flat");
  }
  /* (alt counts only where all is measured, with a lede.WordSet) */
  if (!want_flat || ws == NULL) alt = NULL;
  if (flat && ws != NULL && nsel == 1 && sel[0] == F_STOPWORDS) {
    /* (the list whose words the flat features counted as alt: those) */
    lua_getiuservalue(L, 3, 1);
    if (lua_type(L, -1) == LUA_TTABLE) {
      lua_rawgeti(L, -1, 0);
      use_alt = lua_rawequal(L, -1, 2);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if (into) lua_pushvalue(L, 4);
  else if (!tables) lua_pushnil(L);
  else lua_createtable(L, n > 0 && n < 0x7FFFFFFF ? (int)n : 0, 0);
  if (flat) {
    /* slot 8: the flat features given, updated */
    lua_pushvalue(L, 3);
  } else if (reuse != NULL) {
    /* slot 8: the features of other blocks, measured anew (each block's
     * features are all set below, text and counts) */
    lua_pushvalue(L, 3);
    flat = reuse;
    flat->n = 0; /* (until the blocks are measured: an error leaves none) */
    memset(&flat->f[0], 0, sizeof flat->f[0]);
    /* slot 9: their texts, the table used again (emptied past n below) */
    lua_getiuservalue(L, 8, 1);
    if (lua_type(L, -1) != LUA_TTABLE) {
      lua_pop(L, 1);
      lua_createtable(L, n > 0 ? (int)n : 0, 0);
      lua_pushvalue(L, -1);
      lua_setiuservalue(L, 8, 1);
    }
    old_n = (lua_Integer)lua_rawlen(L, 9);
    if (alt != NULL) lua_pushvalue(L, 6);
    else lua_pushnil(L);
    lua_rawseti(L, 9, 0);
  } else if (want_flat) {
    /* slot 8 */
    size_t size;
    lua_Integer cap = n > 0 ? n : 1;
    if (n > 0x7FFFFFF) return luaL_error(L, "block_features: too many blocks");
    /* (room to spare for the next blocks when they are to reuse it) */
    if (spare) cap += cap / 2 + 16;
    size = sizeof(FlatFeatures) + (size_t)cap * sizeof(BlockF);
    flat = (FlatFeatures *)lua_newuserdatauv(L, size, 1);
    /* (each block's features are all set below, text and counts: only
     * the first is cleared, for a document without blocks) */
    memset(flat, 0, sizeof(FlatFeatures));
    luaL_setmetatable(L, FEATURES_MT);
    flat->n = n;
    flat->cap = cap;
    /* slot 9: the texts, which the flat features point into (their user
     * value: alive as long as they are) */
    lua_createtable(L, n > 0 ? (int)n : 0, 0);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 8, 1);
    if (alt != NULL) {
      /* (and at 0, the list of the alt counts) */
      lua_pushvalue(L, 6);
      lua_rawseti(L, 9, 0);
    }
  }
  /* (the key of the blocks' texts, read once: top) */
  lua_pushliteral(L, "text");
  tk = lua_gettop(L);
  if (!tables && want_flat) {
    /* (the flat features alone, measured anew: the texts are read first,
     * all of them, then measured, so that the reads of the blocks' tables,
     * scattered in memory, follow each other and overlap) */
    for (k = 1; k <= n; k++) {
      size_t len;
      const char *s;
      if (lua_rawgeti(L, 1, k) == LUA_TTABLE) {
        lua_pushvalue(L, tk);
        lua_gettable(L, -2);
        lua_remove(L, -2);
      }
      if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_error(L, "block_features: block %d has no text", (int)k);
      s = lua_tolstring(L, -1, &len);
      lua_rawseti(L, 9, k);
      flat->f[k - 1].text = s;
      flat->f[k - 1].text_len = len;
    }
    for (k = 1; k <= n; k++)
      set_features(L, (const unsigned char *)flat->f[k - 1].text, 0, flat->f[k - 1].text_len, set, ws, alt,
                   sel, nsel, &flat->f[k - 1], 1, 0);
    first = n + 1; /* (done: the loop below has nothing left) */
  }
  for (k = first; k <= n; k++) {
    size_t len;
    const char *s;
    int below = 0, ua; /* below: the block's table, left under its text */
    if (lua_rawgeti(L, 1, k) == LUA_TTABLE) {
      lua_pushvalue(L, tk);
      lua_gettable(L, -2);
      below = 1;
    }
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "block_features: block %d has no text", (int)k);
    s = lua_tolstring(L, -1, &len);
    if (want_flat) {
      lua_pushvalue(L, -1);
      lua_rawseti(L, 9, k);
      flat->f[k - 1].text = s;
      flat->f[k - 1].text_len = len;
    }
    /* (the alt counts of the same text, when they are this list's) */
    ua = use_alt && flat->f[k - 1].text == s;
    if (into) lua_rawgeti(L, 7, k);
    if (into && lua_type(L, -1) == LUA_TTABLE) {
      set_features(L, (const unsigned char *)s, 0, len, set, ws, alt, sel, nsel,
                   flat ? &flat->f[k - 1] : NULL, want_flat, ua);
      lua_pop(L, 2 + below);
      continue;
    }
    if (into) lua_pop(L, 1);
    if (!tables) {
      /* (the text at the top: set_features fills no table) */
      set_features(L, (const unsigned char *)s, 0, len, set, ws, alt, sel, nsel, &flat->f[k - 1], want_flat,
                   ua);
      lua_pop(L, 1 + below);
      continue;
    }
    lua_createtable(L, 0, nsel);
    set_features(L, (const unsigned char *)s, 0, len, set, ws, alt, sel, nsel,
                 flat ? &flat->f[k - 1] : NULL, want_flat, ua);
    if (has_mt) {
      lua_pushvalue(L, 5);
      lua_setmetatable(L, -2);
    }
    lua_rawseti(L, 7, k);
    lua_pop(L, 1 + below);
  }
  lua_settop(L, tk - 1);
  if (reuse != NULL) {
    /* (the texts of the blocks past these let go) */
    for (k = n + 1; k <= old_n; k++) {
      lua_pushnil(L);
      lua_rawseti(L, 9, k);
    }
    flat->n = n;
  }
  if (flat) {
    if (tables) lua_pushvalue(L, 7);
    else lua_pushnil(L);
    lua_pushvalue(L, 8);
    return 2;
  }
  return 1;
}

/* core.pool_tables(pool, n, mt, max) -> array
 * An array of n tables: pool[1], pool[2], ... while the pool has them, then
 * new empty tables whose metatable is mt, which are also appended to the
 * pool while it has fewer than max. */
static int l_pool_tables(lua_State *L) {
  lua_Integer n, max, np, k;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = luaL_checkinteger(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  max = luaL_checkinteger(L, 4);
  lua_settop(L, 4);
  if (n < 0) n = 0;
  if (n > 0x7FFFFFF) return luaL_error(L, "pool_tables: too many tables");
  np = (lua_Integer)lua_rawlen(L, 1);
  lua_createtable(L, (int)n, 0); /* 5 */
  for (k = 1; k <= n; k++) {
    if (k <= np) {
      lua_rawgeti(L, 1, k);
    } else {
      lua_createtable(L, 0, 0);
      lua_pushvalue(L, 3);
      lua_setmetatable(L, -2);
      if (k <= max) {
        lua_pushvalue(L, -1);
        lua_rawseti(L, 1, k);
      }
    }
    lua_rawseti(L, 5, k);
  }
  return 1;
}

static void push_record(lua_State *L, const BlockF *f);

/* core.feature_record(flat, k) -> array | nil
 * The fields of block k of a lede.Features (core.block_features's flat)
 * that the flat features keep, as core.features gives them, in this order:
 * words, chars, stopwords, number_words, commas, sentences, ends_sentence,
 * title_share, urls, lower_words, bullet, digits, camel, ends_colon,
 * menu_like, punct. nil when k is not a block's index. */
static int l_feature_record(lua_State *L) {
  /* (the metatable is the closure's upvalue: compared with it, without the
   * registry's lookup) */
  const FlatFeatures *ff = (const FlatFeatures *)lua_touserdata(L, 1);
  lua_Integer k;
  int same = 0;
  if (ff != NULL && lua_getmetatable(L, 1)) {
    same = lua_rawequal(L, -1, lua_upvalueindex(1));
    lua_pop(L, 1);
  }
  if (!same) ff = (const FlatFeatures *)luaL_checkudata(L, 1, FEATURES_MT);
  k = luaL_checkinteger(L, 2);
  if (k < 1 || k > ff->n) {
    lua_pushnil(L);
    return 1;
  }
  push_record(L, &ff->f[k - 1]);
  return 1;
}

/* Pushes field i (1..16, in the order of core.feature_record) of f. */
static void push_value(lua_State *L, const BlockF *f, lua_Integer i) {
  switch (i) {
  case 1: lua_pushinteger(L, (lua_Integer)f->words); break;
  case 2: lua_pushinteger(L, (lua_Integer)f->chars); break;
  case 3: lua_pushinteger(L, (lua_Integer)f->stopwords); break;
  case 4: lua_pushinteger(L, (lua_Integer)f->number_words); break;
  case 5: lua_pushinteger(L, (lua_Integer)f->commas); break;
  case 6: lua_pushinteger(L, (lua_Integer)f->sentences); break;
  case 7: lua_pushboolean(L, f->ends_sentence); break;
  case 8: lua_pushnumber(L, (lua_Number)f->title_share); break;
  case 9: lua_pushinteger(L, (lua_Integer)f->urls); break;
  case 10: lua_pushinteger(L, (lua_Integer)f->lower_words); break;
  case 11: lua_pushboolean(L, f->bullet); break;
  case 12: lua_pushinteger(L, (lua_Integer)f->digits); break;
  case 13: lua_pushinteger(L, (lua_Integer)f->camel); break;
  case 14: lua_pushboolean(L, f->ends_colon); break;
  case 15: lua_pushboolean(L, f->menu_like); break;
  case 16: lua_pushinteger(L, (lua_Integer)f->punct); break;
  default: lua_pushnil(L); break;
  }
}

/* core.feature_value(flat, k, i, ...) -> values
 * Fields i, ... of block k's core.feature_record(flat, k), without the
 * record: nil for a field index outside 1..16; nothing but one nil when k
 * is not a block's index. */
static int l_feature_value(lua_State *L) {
  const FlatFeatures *ff = (const FlatFeatures *)lua_touserdata(L, 1);
  lua_Integer k;
  int same = 0, top, a;
  if (ff != NULL && lua_getmetatable(L, 1)) {
    same = lua_rawequal(L, -1, lua_upvalueindex(1));
    lua_pop(L, 1);
  }
  if (!same) ff = (const FlatFeatures *)luaL_checkudata(L, 1, FEATURES_MT);
  k = luaL_checkinteger(L, 2);
  top = lua_gettop(L);
  if (k < 1 || k > ff->n) {
    for (a = 3; a <= top; a++) luaL_checkinteger(L, a);
    lua_pushnil(L);
    return 1;
  }
  luaL_checkstack(L, top, NULL);
  /* (each index checked as its value is pushed: an error leaves nothing
   * behind) */
  for (a = 3; a <= top; a++) {
    int isnum;
    lua_Integer i = lua_tointegerx(L, a, &isnum);
    if (!isnum) i = luaL_checkinteger(L, a);
    push_value(L, &ff->f[k - 1], i);
  }
  return top - 2;
}

/* __index of a core.feature_records table (at 1; key at 2): block k's
 * record, made and kept in the table; nil for another key. Upvalue 1: the
 * flat features. */
static int records_index(lua_State *L) {
  const FlatFeatures *ff = (const FlatFeatures *)lua_touserdata(L, lua_upvalueindex(1));
  int isnum = 0;
  lua_Integer k = lua_type(L, 2) == LUA_TNUMBER ? lua_tointegerx(L, 2, &isnum) : 0;
  if (!isnum || k < 1 || k > ff->n) {
    lua_pushnil(L);
    return 1;
  }
  push_record(L, &ff->f[k - 1]);
  lua_pushvalue(L, -1);
  lua_rawseti(L, 1, k);
  return 1;
}

/* core.feature_records(flat) -> table
 * A table whose entry k is core.feature_record(flat, k), made when first
 * read (nil past the blocks). */
static int l_feature_records(lua_State *L) {
  luaL_checkudata(L, 1, FEATURES_MT);
  lua_settop(L, 1);
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, records_index, 1);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  return 1;
}

/* Pushes the record of f (see core.feature_record). */
static void push_record(lua_State *L, const BlockF *f) {
  int q = 0;
  lua_createtable(L, 16, 0);
#define SET_INT(v) (lua_pushinteger(L, (lua_Integer)(v)), lua_rawseti(L, -2, ++q))
#define SET_BOOL(v) (lua_pushboolean(L, (v)), lua_rawseti(L, -2, ++q))
  SET_INT(f->words);
  SET_INT(f->chars);
  SET_INT(f->stopwords);
  SET_INT(f->number_words);
  SET_INT(f->commas);
  SET_INT(f->sentences);
  SET_BOOL(f->ends_sentence);
  lua_pushnumber(L, (lua_Number)f->title_share);
  lua_rawseti(L, -2, ++q);
  SET_INT(f->urls);
  SET_INT(f->lower_words);
  SET_BOOL(f->bullet);
  SET_INT(f->digits);
  SET_INT(f->camel);
  SET_BOOL(f->ends_colon);
  SET_BOOL(f->menu_like);
  SET_INT(f->punct);
#undef SET_INT
#undef SET_BOOL
}

/* The word counts of the blocks of the lede.Features at idx, for
 * core.rule_hits (regex.c): block k's (1-based) is the double at byte
 * offset (k - 1) * *stride from the pointer returned; *n blocks. Raises
 * on another value. */
LEDE_HIDDEN const char *lede_flat_words(lua_State *L, int idx, lua_Integer *n, size_t *stride) {
  const FlatFeatures *ff = (const FlatFeatures *)luaL_checkudata(L, idx, FEATURES_MT);
  *n = ff->n;
  *stride = sizeof(BlockF);
  return (const char *)&ff->f[0].words;
}

LEDE_HIDDEN const void *lede_check_wordset(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, WORDSET_MT);
}

LEDE_HIDDEN int lede_wordset_has(const void *set, const char *s, size_t n) {
  return ws_has((const WordSet *)set, s, n);
}

/* The text of block k (1..n) of the flat features whose words lede_flat_words
 * gave (words, its stride), or NULL when they keep none. */
LEDE_HIDDEN const char *lede_flat_text(const char *words, size_t stride, lua_Integer k, size_t *len) {
  const BlockF *f = (const BlockF *)(const void *)(words + (size_t)(k - 1) * stride);
  *len = f->text_len;
  return f->text;
}

static int flat_len(lua_State *L) {
  const FlatFeatures *ff = (const FlatFeatures *)luaL_checkudata(L, 1, FEATURES_MT);
  lua_pushinteger(L, ff->n);
  return 1;
}

static int flat_tostring(lua_State *L) {
  const FlatFeatures *ff = (const FlatFeatures *)luaL_checkudata(L, 1, FEATURES_MT);
  lua_pushfstring(L, FEATURES_MT "(%d blocks)", (int)ff->n);
  return 1;
}

/* core.phrase_key(s) -> string | false: the key field of core.features(s)
 * alone, without measuring the rest (false for texts over LEDE_MAX_KEY
 * bytes). */
static int l_phrase_key(lua_State *L) {
  size_t n, kl;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  char out[LEDE_KEY_BUF];
  kl = lede_phrase_key(s, n, out);
  if (kl == (size_t)-1) lua_pushboolean(L, 0);
  else lua_pushlstring(L, out, kl);
  return 1;
}

/* The word of a table entry at the top of the stack (key at -2, value at
 * -1), or NULL: array items that are strings, or string keys with a true
 * value. Raises on an array item that is not a string. */
static const char *entry_word(lua_State *L, size_t *wl) {
  if (lua_type(L, -2) == LUA_TNUMBER) {
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "wordset: entry %d is not a string", (int)lua_tointeger(L, -2));
    return lua_tolstring(L, -1, wl);
  }
  if (lua_type(L, -2) == LUA_TSTRING && lua_toboolean(L, -1)) {
    /* the key is a string: read it without converting it in place */
    size_t n;
    const char *k;
    lua_pushvalue(L, -2);
    k = lua_tolstring(L, -1, &n);
    lua_pop(L, 1);
    *wl = n;
    return k;
  }
  return NULL;
}

/* A word as the set keeps it into buf (FEAT_MAX_WORD + 4 bytes): folded
 * (fold_word), or, for an exact set, its bytes as given when they fit
 * (*exact_word: the word itself, not copied). Returns its length (0: none). */
static size_t set_word(const char *word, size_t wl, int exact, char *buf, const char **out) {
  if (exact) {
    *out = word;
    return wl < 256 ? wl : 0;
  }
  *out = buf;
  return fold_word((const unsigned char *)word, wl, buf);
}

LEDE_HIDDEN int lede_wordset_has_word(const void *set, const char *s, size_t n) {
  const WordSet *w = (const WordSet *)set;
  char buf[FEAT_MAX_WORD + 4];
  const char *k;
  size_t kn = set_word(s, n, w->exact, buf, &k);
  return kn > 0 && ws_has(w, k, kn);
}

/* core.wordset(words [, opts]) -> lede.WordSet; words: an array of strings,
 * or a set table whose string keys are the words. opts.exact: the words are
 * kept byte for byte (1 to 255 bytes), not folded. */
static int l_wordset(lua_State *L) {
  size_t count = 0, bytes = 0, cap = 16, total, wl, fl;
  WordSet *w;
  char buf[FEAT_MAX_WORD + 4];
  char *arena;
  const char *word, *kept;
  int exact = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_getfield(L, 2, "exact");
    exact = lua_toboolean(L, -1);
  }
  lua_settop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    word = entry_word(L, &wl);
    if (word) {
      fl = set_word(word, wl, exact, buf, &kept);
      if (fl > 0 && fl < 256) { count++; bytes += fl + 1; }
    }
    lua_pop(L, 1);
  }
  /* (at most an eighth full, up to 512 words: a word that is none of
   * them mostly meets an empty slot at once) */
  while (cap < (count <= 512 ? 8 : 2) * count + 2) cap *= 2;
  if (bytes > 0xFFFFFFF0u) return luaL_error(L, "wordset: too many words");
  /* (and eight bytes past the words, for ws_has8's reads) */
  total = sizeof(WordSet) + cap * sizeof(uint32_t) + bytes + 9;
  w = (WordSet *)lua_newuserdatauv(L, total, 0);
  memset(w, 0, total);
  w->cap = cap;
  w->exact = exact;
  luaL_setmetatable(L, WORDSET_MT);
  arena = (char *)(w->slots + w->cap);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    word = entry_word(L, &wl);
    if (word) {
      fl = set_word(word, wl, exact, buf, &kept);
      if (fl > 0 && fl < 256 && !ws_has(w, kept, fl)) {
        w->arena_len += slot_file(w->slots, w->cap, (unsigned char *)arena, w->arena_len, kept, fl);
        w->count++;
        w->first[(unsigned char)kept[0]] |= (unsigned char)ws_len_bit(fl);
        if (fl > w->maxlen) w->maxlen = fl;
      }
    }
    lua_pop(L, 1);
  }
  return 1;
}

static int ws_len(lua_State *L) {
  const WordSet *w = (const WordSet *)luaL_checkudata(L, 1, WORDSET_MT);
  lua_pushinteger(L, (lua_Integer)w->count);
  return 1;
}

static int ws_tostring(lua_State *L) {
  const WordSet *w = (const WordSet *)luaL_checkudata(L, 1, WORDSET_MT);
  lua_pushfstring(L, "lede.WordSet(%d words)", (int)w->count);
  return 1;
}

/* ws:has(word) -> boolean (the word folded as features folds it) */
static int ws_method_has(lua_State *L) {
  const WordSet *w = (const WordSet *)luaL_checkudata(L, 1, WORDSET_MT);
  size_t n, fl;
  const char *s = luaL_checklstring(L, 2, &n);
  char buf[FEAT_MAX_WORD + 4];
  if (w->exact) {
    lua_pushboolean(L, ws_has(w, s, n));
    return 1;
  }
  fl = fold_word((const unsigned char *)s, n, buf);
  lua_pushboolean(L, fl > 0 && ws_has(w, buf, fl));
  return 1;
}

/* ---- language profiles -------------------------------------------------- */

/* Whether byte c is in a word for profile_counts: not white space,
 * punctuation nor a digit (Lua's [^%s%p%d] in the C locale). */
static int profile_byte(unsigned char c) {
  if (c >= 0x80 || c == 0x7F) return 1;
  if (c >= 'a' && c <= 'z') return 1;
  if (c >= 'A' && c <= 'Z') return 1;
  return c < 0x20 && !(c >= 9 && c <= 13);
}

/* A profile index compiled (core.profile_index): a hash set of words, each
 * with the numbers of its profiles, for profile_counts to look words up in
 * without making strings. `cap` slots (a power of two) of offsets into the
 * arena that follows them (0: empty, else offset + 1); an arena entry is
 * the word's length byte, its bytes, the count of its numbers (a byte) and
 * the numbers (a byte each, 1 to 255). */
#define PROFILE_MT "lede.ProfileIndex"
typedef struct {
  size_t cap, count;
  uint32_t slots[1];
} ProfileIndex;

/* The entry of word w[0..n) in the index: the address of its count of
 * numbers, or NULL. */
static const unsigned char *pi_find(const ProfileIndex *pi, const char *w, size_t n) {
  size_t mask = pi->cap - 1, k = ws_hash(w, n) & mask;
  const unsigned char *arena = (const unsigned char *)(pi->slots + pi->cap);
  while (pi->slots[k]) {
    const unsigned char *e = arena + pi->slots[k] - 1;
    if (e[0] == n && memcmp(e + 1, w, n) == 0) return e + 1 + n;
    k = (k + 1) & mask;
  }
  return NULL;
}

/* The numbers of an index entry (the table at the top of the stack; k:
 * its word, for messages) as count-then-bytes into out (256 bytes): the
 * length written; raises on a number out of 1..255. */
static size_t pi_numbers(lua_State *L, unsigned char *out) {
  lua_Integer i;
  size_t m = 0;
  for (i = 1;; i++) {
    int isnum;
    lua_Integer v;
    if (lua_rawgeti(L, -1, i) == LUA_TNIL) { lua_pop(L, 1); break; }
    v = lua_tointegerx(L, -1, &isnum);
    lua_pop(L, 1);
    if (!isnum || v < 1 || v > 255 || m >= 255)
      luaL_error(L, "profile_index: numbers must be integers 1 to 255, at most 255 a word");
    out[1 + m++] = (unsigned char)v;
  }
  out[0] = (unsigned char)m;
  return m + 1;
}

/* core.profile_index(index) -> lede.ProfileIndex: the table index (word ->
 * array of numbers, as core.profile_counts reads it) compiled for
 * core.profile_counts. A word whose value is false is left out (as absent);
 * another value that is no table has no numbers. Raises on a word of over
 * 255 bytes and on numbers that are not integers 1 to 255. */
static int l_profile_index(lua_State *L) {
  size_t count = 0, bytes = 0, cap = 16, total, arena_len = 0;
  unsigned char nums[256];
  unsigned char *arena = NULL;
  ProfileIndex *pi = NULL;
  int pass;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  for (pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      while (cap < 2 * count + 2) cap *= 2;
      total = sizeof(ProfileIndex) + cap * sizeof(uint32_t) + bytes + 1;
      if (bytes > 0xFFFFFFF0u) return luaL_error(L, "profile_index: too many words");
      pi = (ProfileIndex *)lua_newuserdatauv(L, total, 0); /* 2 */
      memset(pi, 0, total);
      luaL_setmetatable(L, PROFILE_MT);
      pi->cap = cap;
      arena = (unsigned char *)(pi->slots + cap);
    }
    lua_pushnil(L);
    while (lua_next(L, 1)) {
      size_t wl, nl = 1;
      const char *w;
      if (lua_type(L, -2) != LUA_TSTRING || !lua_toboolean(L, -1)) { lua_pop(L, 1); continue; }
      lua_pushvalue(L, -2);
      w = lua_tolstring(L, -1, &wl);
      lua_pop(L, 1);
      if (wl > 255) return luaL_error(L, "profile_index: a word of over 255 bytes");
      nums[0] = 0;
      if (lua_type(L, -1) == LUA_TTABLE) nl = pi_numbers(L, nums);
      if (pass == 0) {
        count++;
        bytes += 1 + wl + nl;
      } else if (pi_find(pi, w, wl) == NULL) {
        arena_len += slot_file(pi->slots, cap, arena, arena_len, w, wl);
        memcpy(arena + arena_len, nums, nl);
        arena_len += nl;
        pi->count++;
      }
      lua_pop(L, 1);
    }
  }
  return 1;
}

static int pi_len(lua_State *L) {
  const ProfileIndex *pi = (const ProfileIndex *)luaL_checkudata(L, 1, PROFILE_MT);
  lua_pushinteger(L, (lua_Integer)pi->count);
  return 1;
}

static int pi_tostring(lua_State *L) {
  const ProfileIndex *pi = (const ProfileIndex *)luaL_checkudata(L, 1, PROFILE_MT);
  lua_pushfstring(L, "lede.ProfileIndex(%d words)", (int)pi->count);
  return 1;
}

/* profile_counts over a compiled index (at 2): the same counts, kept in C
 * until the end. */
static int profile_counts_compiled(lua_State *L, const char *t, size_t n, int fold, lua_Integer max) {
  const ProfileIndex *pi = (const ProfileIndex *)luaL_checkudata(L, 2, PROFILE_MT);
  lua_Integer cnt[256], words = 0;
  size_t p = 0;
  int l;
  char *low;
  memset(cnt, 0, sizeof cnt);
  lua_settop(L, 4);
  low = (char *)lua_newuserdatauv(L, n + 1, 0); /* 5: a word folded */
  while (p < n && words < max) {
    size_t q, k;
    const unsigned char *e;
    if (!profile_byte((unsigned char)t[p])) { p++; continue; }
    q = p;
    while (q < n && profile_byte((unsigned char)t[q])) q++;
    words++;
    e = fold ? NULL : pi_find(pi, t + p, q - p);
    if (e == NULL) {
      /* (the word in lower case: with fold, the one looked up) */
      for (k = p; k < q; k++) {
        unsigned char c = (unsigned char)t[k];
        low[k - p] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      e = pi_find(pi, low, q - p);
    }
    if (e != NULL) {
      unsigned m;
      for (m = 1; m <= e[0]; m++) cnt[e[m]]++;
    }
    p = q;
  }
  lua_pushinteger(L, words);
  lua_createtable(L, 0, 8);
  for (l = 1; l < 256; l++) {
    if (cnt[l] == 0) continue;
    lua_pushinteger(L, cnt[l]);
    lua_rawseti(L, -2, l);
  }
  return 2;
}

/* Looks word w[0..n) up in the index at index idx; pushes its value. */
static void profile_get(lua_State *L, int idx, const char *w, size_t n) {
  lua_pushlstring(L, w, n);
  lua_rawget(L, idx);
}

/* core.profile_counts(text, index, fold, max) -> words, counts: the words
 * of text (runs of bytes that are not white space, punctuation nor digits),
 * up to max of them, in ASCII lower case first when fold is true; each word
 * is looked up in index (word -> array of numbers, or that table compiled
 * by core.profile_index), and without fold its lower-case form too when the
 * word itself is not there; counts maps each number met to how often. */
static int l_profile_counts(lua_State *L) {
  size_t n, p = 0;
  const char *t = luaL_checklstring(L, 1, &n);
  int fold = lua_toboolean(L, 3);
  lua_Integer max = luaL_checkinteger(L, 4), words = 0;
  char *low;
  if (lua_type(L, 2) == LUA_TUSERDATA) return profile_counts_compiled(L, t, n, fold, max);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 4);
  lua_createtable(L, 0, 8);                   /* 5: counts */
  low = (char *)lua_newuserdatauv(L, n + 1, 0); /* 6: the text folded (or a word's) */
  while (p < n && words < max) {
    size_t q, k;
    const char *w;
    if (!profile_byte((unsigned char)t[p])) { p++; continue; }
    q = p;
    while (q < n && profile_byte((unsigned char)t[q])) q++;
    words++;
    w = t + p;
    if (fold) {
      for (k = p; k < q; k++) {
        unsigned char c = (unsigned char)t[k];
        low[k - p] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      w = low;
    }
    profile_get(L, 2, w, q - p);
    if (!fold && !lua_toboolean(L, -1)) {
      /* (the word in lower case) */
      lua_pop(L, 1);
      for (k = p; k < q; k++) {
        unsigned char c = (unsigned char)t[k];
        low[k - p] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      profile_get(L, 2, low, q - p);
    }
    if (lua_type(L, -1) == LUA_TTABLE) {
      lua_Integer i;
      for (i = 1;; i++) {
        lua_Integer c;
        if (lua_rawgeti(L, -1, i) == LUA_TNIL) { lua_pop(L, 1); break; }
        lua_pushvalue(L, -1);
        c = lua_rawget(L, 5) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
        lua_pop(L, 1);
        lua_pushinteger(L, c + 1);
        lua_rawset(L, 5);
      }
    }
    lua_pop(L, 1);
    p = q;
  }
  lua_pushinteger(L, words);
  lua_pushvalue(L, 5);
  return 2;
}

/* ---- the lede's words --------------------------------------------------- */

/* Whether byte c is a word byte for lede_words: an ASCII letter or digit, or
 * any byte of a multi-byte character. */
static int word_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* How common a byte of lower-case text is (lower: rarer), for the byte a
 * search in the lede looks for first. */
static int lede_commonness(unsigned char c) {
  if (c >= 'a' && c <= 'z') return strchr("etaoinshrdlu", c) ? 8 : 6;
  if (c >= 0x80) return 7;
  return 4;
}

/* Whether lede[0..n) holds key[0..kl) as a whole run of word bytes, alone or
 * with an "s" after it: a search for the key's rarest byte, then a
 * comparison around it. */
static int lede_has(const char *lede, size_t n, const char *key, size_t kl) {
  const unsigned char *l = (const unsigned char *)lede, *kb = (const unsigned char *)key;
  size_t at = 0, q, from;
  int best = 99;
  if (kl == 0 || kl > n) return 0;
  for (q = 0; q < kl; q++) {
    int c = lede_commonness(kb[q]);
    if (c < best) { best = c; at = q; }
  }
  /* (the rare byte sits at offset at of a match: from at to n - kl + at) */
  from = at;
  while (from <= n - kl + at) {
    const unsigned char *hit = (const unsigned char *)memchr(l + from, kb[at], n - kl + at - from + 1);
    size_t i, j;
    if (hit == NULL) return 0;
    i = (size_t)(hit - l) - at;
    if (memcmp(l + i, kb, kl) == 0 && (i == 0 || !word_byte(l[i - 1]))) {
      j = i + kl; /* the byte after */
      if (j >= n || !word_byte(l[j])) return 1;
      if (l[j] == 's' && (j + 1 >= n || !word_byte(l[j + 1]))) return 1;
    }
    from = (size_t)(hit - l) + 1;
  }
  return 0;
}

/* The distinct words of a text up to LEDE_SEEN_BYTES bytes are told apart
 * in a hash of LEDE_SEEN_SLOTS slots (a text has fewer words than half its
 * bytes, plus one); a longer text's in a Lua table. */
#define LEDE_SEEN_BYTES 1024
#define LEDE_SEEN_SLOTS 1024

/* core.lede_words(t, lede, stopwords) -> n: how many distinct words of t
 * (lower case, typographic apostrophes as ', runs of ASCII letters and
 * digits and multi-byte characters), not single ASCII letters nor words of
 * the lede.WordSet stopwords, the lede (a lower-case text) has as words,
 * each alone or with an "s" after it; a word of over three bytes ending in
 * "s" is looked for without it. */
static lua_Integer lede_words(lua_State *L, const char *t, size_t tl, const char *lede, size_t n,
                              const WordSet *ws) {
  size_t p = 0, o = 0;
  int base = lua_gettop(L); /* (base + 1: seen or nil, base + 2: low) */
  char *low;
  lua_Integer m = 0;
  /* (the words seen, as offset + 1 into low and length, by hash) */
  uint32_t seen_at[LEDE_SEEN_SLOTS];
  uint16_t seen_len[LEDE_SEEN_SLOTS];
  int local = tl <= LEDE_SEEN_BYTES;
  /* (the slots used: a power of two over the text's bytes plus one, which
   * is over twice its words) */
  size_t seen_cap = 16;
  if (local) {
    while (seen_cap < tl + 2 && seen_cap < LEDE_SEEN_SLOTS) seen_cap *= 2;
    memset(seen_at, 0, seen_cap * sizeof seen_at[0]);
    lua_pushnil(L); /* base + 1 */
  } else {
    lua_createtable(L, 0, 8); /* base + 1: seen */
  }
  /* the text folded: ASCII lower case, U+2019 as ' */
  low = (char *)lua_newuserdatauv(L, tl + 1, 0); /* base + 2 */
  while (p < tl) {
    unsigned char c = (unsigned char)t[p];
    if (c == 0xE2 && p + 2 < tl && (unsigned char)t[p + 1] == 0x80 && (unsigned char)t[p + 2] == 0x99) {
      low[o++] = '\'';
      p += 3;
      continue;
    }
    low[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    p++;
  }
  p = 0;
  while (p < o) {
    size_t q, wl, kl;
    char buf[FEAT_MAX_WORD + 4];
    size_t fl;
    int fresh;
    if (!word_byte((unsigned char)low[p])) { p++; continue; }
    q = p;
    while (q < o && word_byte((unsigned char)low[q])) q++;
    wl = q - p;
    if (!(wl == 1 && (unsigned char)low[p] < 0x80 && !(low[p] >= '0' && low[p] <= '9'))) {
      /* (the stopword test as ws:has makes it) */
      fl = fold_word((const unsigned char *)low + p, wl, buf);
      if (!(fl > 0 && ws_has(ws, buf, fl))) {
        if (local) {
          /* (whether the word came before, in the hash) */
          size_t h = hash_bytes(low + p, wl) & (seen_cap - 1);
          fresh = 1;
          while (seen_at[h]) {
            if (seen_len[h] == wl && memcmp(low + seen_at[h] - 1, low + p, wl) == 0) {
              fresh = 0;
              break;
            }
            h = (h + 1) & (seen_cap - 1);
          }
          if (fresh) {
            seen_at[h] = (uint32_t)p + 1;
            seen_len[h] = (uint16_t)wl;
          }
        } else {
          lua_pushlstring(L, low + p, wl);
          lua_pushvalue(L, -1);
          fresh = lua_rawget(L, base + 1) == LUA_TNIL;
          lua_pop(L, 1);
          if (fresh) {
            lua_pushboolean(L, 1);
            lua_rawset(L, base + 1);
          } else {
            lua_pop(L, 1);
          }
        }
        if (fresh) {
          kl = (wl > 3 && low[q - 1] == 's') ? wl - 1 : wl;
          if (lede_has(lede, n, low + p, kl)) m++;
        }
      }
    }
    p = q;
  }
  lua_settop(L, base);
  return m;
}

static int l_lede_words(lua_State *L) {
  size_t tl, n;
  const char *t = luaL_checklstring(L, 1, &tl);
  const char *lede = luaL_checklstring(L, 2, &n);
  const WordSet *ws = (const WordSet *)luaL_checkudata(L, 3, WORDSET_MT);
  lua_settop(L, 3);
  lua_pushinteger(L, lede_words(L, t, tl, lede, n, ws));
  return 1;
}

/* ---- the classifier's passes over a document -------------------------- */

/* The classes, and the strings of classes and reasons (upvalues of both
 * functions, in this order). */
enum { C_GOOD, C_NEAR, C_SHORT, C_BAD, C_COUNT };

enum {
  S_GOOD = 1, S_NEAR, S_SHORT, S_BAD,
  /* reasons */
  R_MENU, R_EMPTY, R_LINK, R_TITLE_CASE, R_PROSE, R_FEW_STOPWORDS, R_REPEATED,
  R_SHORT_BETWEEN_GOOD, R_SHORT_BETWEEN_BAD, R_SHORT_NEAR_GOOD, R_SHORT_AT_EDGE,
  R_NEAR_BETWEEN_BAD, R_NEAR_NEXT_TO_GOOD, R_SENTENCE_NEXT_TO_GOOD, R_OUTSIDE_ARTICLE,
  /* kinds read */
  K_DATELINE, K_BYLINE,
  /* reasons and kinds set by the last passes */
  R_HEADING, K_BODY, K_NAVIGATION, K_BOILERPLATE,
  K_TAGS, R_TAG_LIST, K_RELATED, R_RELATED_LIST,
  /* the keys of a block record */
  KEY_KIND, KEY_RULE,
  /* the keys of a rule read */
  KEY_ID, KEY_INLINE, KEY_LIST, KEY_SECTION,
  S_COUNT = KEY_SECTION
};

static const char *const STRINGS[] = {
  "good", "near-good", "short", "bad",
  "menu", "empty", "link", "title-case", "prose", "few-stopwords", "repeated",
  "short-between-good", "short-between-bad", "short-near-good", "short-at-edge",
  "near-good-between-bad", "near-good-next-to-good", "sentence-next-to-good", "outside-article",
  "dateline", "byline",
  "heading", "body", "navigation", "boilerplate",
  "tags", "classifier:tag-list", "related", "classifier:related-list",
  "kind", "rule", "_id", "inline", "list", "section", NULL
};

#define STR(i) lua_upvalueindex(i)

/* The bytes of upvalue string s: a string value (all of these are short,
 * so interned) is that string exactly when its bytes are these bytes, at
 * the same address; a pointer compare stands for lua_rawequal. */
#define SP(s) lua_tostring(L, STR(s))

/* The bytes of the value at the top of the stack, of type t (as
 * lua_rawgeti gives it), when it is a string; else NULL. */
static const char *top_str(lua_State *L, int t) {
  return t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
}

/* The flat features at index idx: *n blocks. */
static const BlockF *check_flat(lua_State *L, int idx, lua_Integer *n) {
  const FlatFeatures *ff = (const FlatFeatures *)luaL_checkudata(L, idx, FEATURES_MT);
  *n = ff->n;
  return ff->f;
}

/* Number option `key` of the table at index t; raises when it is missing. */
static double opt_num(lua_State *L, int t, const char *key) {
  double v;
  lua_getfield(L, t, key);
  if (!lua_isnumber(L, -1)) luaL_error(L, "option '%s' must be a number", key);
  v = (double)lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

typedef struct {
  double length_low, length_high, stopwords_low, stopwords_high, menu_title_share;
} Thresholds;

/* The context-free class of a block (lede.classify.cf_class): sets *why
 * to the reason's string index. */
static int cf_class(const BlockF *f, const Thresholds *th, int has_stop, int *why) {
  double density;
  if (f->menu_like) { *why = R_MENU; return C_BAD; }
  if (f->words == 0) { *why = R_EMPTY; return C_BAD; }
  if (f->urls > 0 && f->words <= 12) { *why = R_LINK; return C_BAD; }
  if (f->chars < th->length_low) { *why = S_SHORT; return C_SHORT; }
  if (has_stop) {
    /* numbers are no words that could be stopwords (scores, prices) */
    double w = f->words - f->number_words;
    density = w > 0 ? f->stopwords / w : 0;
  } else {
    double lw = f->lower_words / f->words;
    int sent = f->ends_sentence || f->sentences > 0;
    density = sent && lw > 0.3 ? th->stopwords_high : 0;
    if (f->words < 4 && f->chars >= th->length_high) density = sent ? th->stopwords_high : 0;
  }
  if (f->title_share >= th->menu_title_share && f->words >= 4 && !f->ends_sentence &&
      f->sentences == 0 && f->commas == 0) {
    *why = R_TITLE_CASE;
    return C_BAD;
  }
  if (density >= th->stopwords_high) {
    if (f->chars >= th->length_high) { *why = S_GOOD; return C_GOOD; }
    if (f->chars >= th->length_low + 30 && f->ends_sentence && f->lower_words >= 0.5 * f->words) {
      *why = R_PROSE;
      return C_GOOD;
    }
    *why = S_NEAR;
    return C_NEAR;
  }
  if (density >= th->stopwords_low) { *why = S_NEAR; return C_NEAR; }
  if (has_stop && f->chars >= th->length_high && f->sentences >= 2 && f->lower_words >= 0.5 * f->words) {
    *why = R_PROSE;
    return C_NEAR;
  }
  *why = R_FEW_STOPWORDS;
  return C_BAD;
}

/* The string index of class c. */
static int class_string(int c) { return S_GOOD + c; }

/* Sets t[k] (t at index t) to string s (an S_ index). */
static void set_str(lua_State *L, int t, lua_Integer k, int s) {
  lua_pushvalue(L, STR(s));
  lua_rawseti(L, t, k);
}

/* ---- a document's labels of blocks, kept in C ------------------------- */

/* lede.Labels: one label per block of a document (its class, or the reason
 * for it), as the index of one of the STRINGS (1 to S_COUNT), 0 for none,
 * or L_OTHER for another value, kept in a table (LV_OTHERS). The bytes are a
 * userdata (LV_BYTES) that a larger one replaces as the labels grow, so that
 * a Labels made once serves every document and an error leaves nothing to
 * free; both are in the table that is the userdata's one user value (the
 * one Lua 5.1 has). The C passes read and write the bytes; Lua reads and
 * writes labels[k] as strings. */
#define LABELS_MT "lede.Labels"
#define L_OTHER 255
/* (the slots of the user value: the bytes, the other values, the scratch
 * memory of the passes) */
enum { LV_BYTES = 1, LV_OTHERS, LV_SCRATCH };

typedef struct {
  unsigned char *v; /* v[1..n] */
  lua_Integer n, cap;
  int others;       /* whether the table of other values holds any */
  void *scratch;    /* the passes' scratch memory (LV_SCRATCH) */
  size_t scratch_cap;
} Labels;

/* Sets slot `slot` of the user value of the labels at idx to the value on
 * top of the stack, popped. */
static void labels_keep(lua_State *L, int idx, int slot) {
  idx = lua_absindex(L, idx);
  lua_getiuservalue(L, idx, 1);
  lua_insert(L, -2);
  lua_rawseti(L, -2, slot);
  lua_pop(L, 1);
}

/* Pushes slot `slot` of the user value of the labels at idx. */
static void labels_slot(lua_State *L, int idx, int slot) {
  lua_getiuservalue(L, idx, 1);
  lua_rawgeti(L, -1, slot);
  lua_remove(L, -2);
}

/* core.labels() -> an empty lede.Labels */
static int l_labels(lua_State *L) {
  Labels *a = (Labels *)lua_newuserdatauv(L, sizeof *a, 1);
  memset(a, 0, sizeof *a);
  luaL_setmetatable(L, LABELS_MT);
  lua_createtable(L, 3, 0);
  lua_newtable(L);
  lua_rawseti(L, -2, LV_OTHERS);
  lua_setiuservalue(L, -2, 1);
  return 1;
}

/* Makes the labels at index idx those of n blocks, all none. */
static void labels_reset(lua_State *L, int idx, Labels *a, lua_Integer n) {
  idx = lua_absindex(L, idx);
  if (n < 0) n = 0;
  if (n > 0x7FFFFFF) luaL_error(L, "labels: too many blocks");
  if (a->v == NULL || n > a->cap) {
    lua_Integer cap = a->cap < 64 ? 64 : a->cap;
    while (cap < n) cap *= 2;
    a->v = (unsigned char *)lua_newuserdatauv(L, (size_t)cap + 1, 0);
    labels_keep(L, idx, LV_BYTES);
    a->cap = cap;
  }
  memset(a->v, 0, (size_t)n + 1);
  a->n = n;
  if (a->others) {
    lua_newtable(L);
    labels_keep(L, idx, LV_OTHERS);
    a->others = 0;
  }
}

/* The index of STRINGS of the string at index idx (its bytes s; short
 * strings are interned, so the same string is at the same address), or
 * L_OTHER. */
static int label_index(lua_State *L, const char *s) {
  int q;
  for (q = 1; q <= S_COUNT; q++)
    if (s == SP(q)) return q;
  return L_OTHER;
}

/* Pushes label k of a (nil past its blocks). */
static void labels_push(lua_State *L, int idx, const Labels *a, lua_Integer k) {
  int s = k >= 1 && k <= a->n ? a->v[k] : 0;
  if (s == 0) lua_pushnil(L);
  else if (s != L_OTHER) lua_pushvalue(L, STR(s));
  else {
    labels_slot(L, idx, LV_OTHERS);
    lua_rawgeti(L, -1, k);
    lua_remove(L, -2);
  }
}

/* Sets label k of a (1 <= k <= n) to the value at index v. */
static void labels_set_value(lua_State *L, int idx, Labels *a, lua_Integer k, int v) {
  int s = lua_isnil(L, v) ? 0 : lua_type(L, v) == LUA_TSTRING ? label_index(L, lua_tostring(L, v)) : L_OTHER;
  idx = lua_absindex(L, idx);
  v = lua_absindex(L, v);
  if (a->v[k] == L_OTHER || s == L_OTHER) {
    labels_slot(L, idx, LV_OTHERS);
    if (s == L_OTHER) lua_pushvalue(L, v);
    else lua_pushnil(L);
    lua_rawseti(L, -2, k);
    lua_pop(L, 1);
    if (s == L_OTHER) a->others = 1;
  }
  a->v[k] = (unsigned char)s;
}

/* Scratch memory of size bytes (aligned as a userdata's) kept with the
 * labels at idx, for the per-block arrays of one pass at a time (its
 * contents are not kept): made once, grown when a document needs more. */
static void *labels_scratch(lua_State *L, int idx, Labels *a, size_t size) {
  if (a->scratch == NULL || size > a->scratch_cap) {
    size_t cap = a->scratch_cap < 1024 ? 1024 : a->scratch_cap;
    idx = lua_absindex(L, idx);
    while (cap < size) {
      if (cap > ((size_t)-1) / 2) luaL_error(L, "labels: not enough memory");
      cap *= 2;
    }
    a->scratch = lua_newuserdatauv(L, cap, 0);
    labels_keep(L, idx, LV_SCRATCH);
    a->scratch_cap = cap;
  }
  return a->scratch;
}

static Labels *check_labels(lua_State *L, int idx) {
  return (Labels *)luaL_checkudata(L, idx, LABELS_MT);
}

static lua_Integer label_key(lua_State *L, const Labels *a) {
  int isnum;
  lua_Integer k = lua_tointegerx(L, 2, &isnum);
  if (!isnum) luaL_error(L, "labels: index must be an integer");
  (void)a;
  return k;
}

static int labels_index(lua_State *L) {
  const Labels *a = check_labels(L, 1);
  labels_push(L, 1, a, label_key(L, a));
  return 1;
}

static int labels_newindex(lua_State *L) {
  Labels *a = check_labels(L, 1);
  lua_Integer k = label_key(L, a);
  if (k < 1 || k > a->n) return luaL_error(L, "labels: index %d out of 1..%d", (int)k, (int)a->n);
  labels_set_value(L, 1, a, k, 3);
  return 0;
}

static int labels_len(lua_State *L) {
  lua_pushinteger(L, check_labels(L, 1)->n);
  return 1;
}

static int labels_tostring(lua_State *L) {
  lua_pushfstring(L, LABELS_MT " (%d)", (int)check_labels(L, 1)->n);
  return 1;
}

/* A classifier pass's table of labels, or a lede.Labels, at index idx. */
typedef struct {
  int idx;
  Labels *a; /* NULL for a table */
} LabelsArg;

static void labels_arg(lua_State *L, int idx, LabelsArg *x) {
  x->idx = idx;
  x->a = (Labels *)luaL_testudata(L, idx, LABELS_MT);
  if (x->a == NULL) luaL_checktype(L, idx, LUA_TTABLE);
}

/* The label x[k]: an index of STRINGS, 0 for nil, L_OTHER for another
 * value. */
static int label_get(lua_State *L, const LabelsArg *x, lua_Integer k) {
  int s;
  const char *v;
  if (x->a != NULL) return k >= 1 && k <= x->a->n ? x->a->v[k] : 0;
  v = top_str(L, lua_rawgeti(L, x->idx, k));
  s = v != NULL ? label_index(L, v) : lua_isnil(L, -1) ? 0 : L_OTHER;
  lua_pop(L, 1);
  return s;
}

/* Sets x[k] to STRINGS index s (1 <= k <= the blocks). */
static void label_put(lua_State *L, const LabelsArg *x, lua_Integer k, int s) {
  if (x->a != NULL) {
    if (k < 1 || k > x->a->n) luaL_error(L, "labels: index %d out of 1..%d", (int)k, (int)x->a->n);
    if (x->a->v[k] == L_OTHER) {
      lua_pushvalue(L, STR(s));
      labels_set_value(L, x->idx, x->a, k, -1);
      lua_pop(L, 1);
    } else {
      x->a->v[k] = (unsigned char)s;
    }
    return;
  }
  set_str(L, x->idx, k, s);
}

/* Pushes x[k]. */
static void label_push(lua_State *L, const LabelsArg *x, lua_Integer k) {
  if (x->a != NULL) labels_push(L, x->idx, x->a, k);
  else lua_rawgeti(L, x->idx, k);
}

/* core.block_classes(blocks, flat, opts) -> cls, why, changed
 * opts: length_low, length_high, stopwords_low, stopwords_high,
 * menu_title_share (numbers), has_stop, repeats (booleans). */
/* A block of ten words or more for the repeats: its text and the first
 * block with the same text (its group). */
typedef struct {
  const unsigned char *t;
  size_t len;
  uint32_t hash;
  lua_Integer k, group, count, seen;
} RepBlock;

/* A cheap hash of a text: its length and up to 16 bytes at each end (the
 * texts compared are then compared whole). */
static uint32_t ends_hash(const unsigned char *t, size_t n) {
  uint32_t h = 2166136261u ^ (uint32_t)n;
  size_t q, m = n < 16 ? n : 16;
  for (q = 0; q < m; q++) { h ^= t[q]; h *= 16777619u; }
  for (q = n - m; q < n; q++) { h ^= t[q]; h *= 16777619u; }
  return h;
}

static int l_block_classes(lua_State *L) {
  lua_Integer n, k, nr = 0, r, slots;
  Thresholds th;
  int has_stop, repeats, cls_t, why_t, dups = 0, changed = 0;
  const BlockF *bf;
  unsigned char *cls;
  RepBlock *rb = NULL;
  lua_Integer *table = NULL;
  Labels *la = NULL, *lb = NULL;
  LabelsArg xc, xw;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  if (!lua_isnoneornil(L, 4)) {
    /* the labels to fill (lede.Labels), in place of new tables */
    la = check_labels(L, 4);
    lb = check_labels(L, 5);
    if (la == lb) return luaL_error(L, "block_classes: the same labels twice");
  }
  lua_settop(L, 5);
  th.length_low = opt_num(L, 3, "length_low");
  th.length_high = opt_num(L, 3, "length_high");
  th.stopwords_low = opt_num(L, 3, "stopwords_low");
  th.stopwords_high = opt_num(L, 3, "stopwords_high");
  th.menu_title_share = opt_num(L, 3, "menu_title_share");
  lua_getfield(L, 3, "has_stop");
  has_stop = lua_toboolean(L, -1);
  lua_getfield(L, 3, "repeats");
  repeats = lua_toboolean(L, -1);
  lua_settop(L, 5);
  bf = check_flat(L, 2, &n);
  if ((lua_Integer)lua_rawlen(L, 1) < n) return luaL_error(L, "block_classes: fewer blocks than features");
  if (repeats) {
    if (n > 0x7FFFFFF) return luaL_error(L, "block_classes: too many blocks");
    for (slots = 4; slots < 2 * n; slots *= 2) {}
  } else {
    slots = 0;
  }
  if (la != NULL) {
    /* (the per-block arrays in the labels' scratch memory: the blocks of
     * ten words or more, a hash table of them, the classes) */
    size_t rbs = (size_t)(n > 0 ? n : 1) * sizeof *rb, ts = (size_t)slots * sizeof *table;
    unsigned char *mem;
    labels_reset(L, 4, la, n);
    labels_reset(L, 5, lb, n);
    mem = (unsigned char *)labels_scratch(L, 4, la, rbs + ts + (size_t)n + 1);
    rb = (RepBlock *)(void *)mem;
    table = (lua_Integer *)(void *)(mem + rbs);
    cls = mem + rbs + ts;
    lua_pushnil(L);                                           /* 6 */
    lua_pushvalue(L, 4);                                      /* 7: cls */
    lua_pushvalue(L, 5);                                      /* 8: why */
  } else {
    cls = (unsigned char *)lua_newuserdatauv(L, (size_t)n + 1, 0); /* 6 */
    lua_createtable(L, (int)n, 0);                            /* 7: cls */
    lua_createtable(L, (int)n, 0);                            /* 8: why */
    if (repeats) {
      /* 9, 10: the blocks of ten words or more, and a hash table of them */
      rb = (RepBlock *)lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof *rb, 0);
      table = (lua_Integer *)lua_newuserdatauv(L, (size_t)slots * sizeof *table, 0);
    }
  }
  if (repeats) memset(table, 0, (size_t)slots * sizeof *table);
  cls_t = 7;
  why_t = 8;
  labels_arg(L, cls_t, &xc);
  labels_arg(L, why_t, &xw);
  for (k = 1; k <= n; k++) {
    int why, c = cf_class(&bf[k - 1], &th, has_stop, &why);
    cls[k] = (unsigned char)c;
    label_put(L, &xc, k, class_string(c));
    label_put(L, &xw, k, why);
    if (repeats && bf[k - 1].words >= 10) {
      RepBlock *b = &rb[nr];
      lua_Integer s;
      if (bf[k - 1].text != NULL) {
        /* (the text the flat features keep: no Lua read) */
        b->t = (const unsigned char *)bf[k - 1].text;
        b->len = bf[k - 1].text_len;
      } else {
        if (lua_rawgeti(L, 1, k) != LUA_TTABLE) return luaL_error(L, "block_classes: block %d is no table", (int)k);
        lua_getfield(L, -1, "text");
        /* (a text that is no string counts as none: nil, or its own key) */
        if (lua_type(L, -1) != LUA_TSTRING) {
          if (lua_isnil(L, -1)) return luaL_error(L, "block_classes: block %d has no text", (int)k);
          return luaL_error(L, "block_classes: block %d's text is no string", (int)k);
        }
        b->t = (const unsigned char *)lua_tolstring(L, -1, &b->len);
        lua_pop(L, 2); /* (the string stays in the block) */
      }
      b->hash = ends_hash(b->t, b->len);
      b->k = k;
      b->group = nr;
      b->count = 0;
      b->seen = 0;
      s = (lua_Integer)(b->hash & (uint32_t)(slots - 1));
      while (table[s]) {
        const RepBlock *o = &rb[table[s] - 1];
        if (o->hash == b->hash && o->len == b->len && memcmp(o->t, b->t, b->len) == 0) {
          b->group = table[s] - 1;
          break;
        }
        s = (s + 1) & (slots - 1);
      }
      if (b->group == nr) table[s] = nr + 1;
      else dups = 1;
      rb[b->group].count++;
      nr++;
    }
  }
  if (repeats && dups) {
    /* a text repeated on the page (teaser titles, image alts, menus) is no
     * article paragraph; a page that shows the whole article twice keeps
     * the first copy */
    double rep = 0, total = 0;
    int keep_first;
    for (r = 0; r < nr; r++) {
      k = rb[r].k;
      if (cls[k] == C_BAD) continue;
      total += bf[k - 1].chars;
      if (rb[rb[r].group].count > 1) rep += bf[k - 1].chars;
    }
    keep_first = rep > 0.85 * total;
    for (r = 0; r < nr; r++) {
      RepBlock *g = &rb[rb[r].group];
      k = rb[r].k;
      if (cls[k] == C_BAD) continue;
      if (g->count > 1) {
        int unseen = keep_first && !g->seen;
        if (!(keep_first && unseen)) {
          cls[k] = C_BAD;
          label_put(L, &xc, k, S_BAD);
          label_put(L, &xw, k, R_REPEATED);
          changed = 1;
        }
        g->seen = 1;
      }
    }
  }
  lua_pushvalue(L, cls_t);
  lua_pushvalue(L, why_t);
  lua_pushboolean(L, changed);
  return 3;
}

/* Whether a short block reads as a sentence of running text. */
static int is_sentence(const BlockF *f, int has_stop) {
  return f->ends_sentence && f->words >= 5 && !f->bullet && f->urls == 0 &&
         (!has_stop || (f->words > 0 ? f->stopwords / f->words : 0) >= 0.2) &&
         f->lower_words >= 0.4 * f->words;
}

/* Kinds as the revision reads them. */
enum { KIND_NONE, KIND_OTHER, KIND_HEADER };

/* core.revise_classes(cls, why, kind, flat, opts) -> first, last
 * cls, why updated in place; first and last good block, or nil.
 * opts: neighbour_reach, cluster_gap, cluster_keep (numbers), has_stop. */
static int l_revise_classes(lua_State *L) {
  lua_Integer n, k, ncl = 0, nedge = 0, e;
  double reach, cluster_gap, cluster_keep, ia, ib;
  int has_stop, la, lb, c;
  const BlockF *bf;
  unsigned char *cls, *kind, *prev_a, *prev_b, *prev_n, *has_prev_n, *why_edge;
  lua_Integer *edge, *cfirst, *clast;
  double *cscore;
  const int KIND = 3;
  LabelsArg xc, xw;
  labels_arg(L, 1, &xc);
  labels_arg(L, 2, &xw);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 5, LUA_TTABLE);
  lua_settop(L, 5);
  reach = opt_num(L, 5, "neighbour_reach");
  cluster_gap = opt_num(L, 5, "cluster_gap");
  cluster_keep = opt_num(L, 5, "cluster_keep");
  lua_getfield(L, 5, "has_stop");
  has_stop = lua_toboolean(L, -1);
  lua_pop(L, 1);
  bf = check_flat(L, 4, &n);
  /* one block of bytes for the per-block arrays, owned by Lua */
  {
    size_t m = (size_t)n + 2, size = m * (7 + 3 * sizeof(lua_Integer) + sizeof(double));
    unsigned char *mem = xc.a != NULL ? (unsigned char *)labels_scratch(L, 1, xc.a, size)
                                      : (unsigned char *)lua_newuserdatauv(L, size, 0);
    edge = (lua_Integer *)(void *)mem;
    cfirst = edge + m;
    clast = cfirst + m;
    cscore = (double *)(void *)(clast + m);
    cls = (unsigned char *)(cscore + m);
    kind = cls + m;
    prev_a = kind + m;
    prev_b = prev_a + m;
    prev_n = prev_b + m;
    has_prev_n = prev_n + m;
    why_edge = has_prev_n + m;
  }
  {
    const char *dateline = SP(K_DATELINE), *byline = SP(K_BYLINE);
    for (k = 1; k <= n; k++) {
      const char *v;
      int s = label_get(L, &xc, k);
      c = s >= S_GOOD && s <= S_BAD ? s - S_GOOD : C_BAD;
      cls[k] = (unsigned char)c;
      v = top_str(L, lua_rawgeti(L, KIND, k));
      if (v != NULL) kind[k] = (v == dateline || v == byline) ? KIND_HEADER : KIND_OTHER;
      else kind[k] = lua_toboolean(L, -1) ? KIND_OTHER : KIND_NONE;
      lua_pop(L, 1);
      prev_a[k] = prev_b[k] = prev_n[k] = 0xFF; /* none */
      has_prev_n[k] = why_edge[k] = 0;
    }
  }
  /* short blocks: the nearest class on each side, skipping short ones
   * (and near-good ones); a neighbour farther than reach counts as bad */
  la = lb = C_BAD;
  ia = -1e9;
  for (k = 1; k <= n; k++) {
    c = cls[k];
    if (c == C_SHORT) {
      if (kind[k] == KIND_NONE) {
        prev_a[k] = (unsigned char)(((double)k - ia <= reach) ? la : C_BAD);
        prev_b[k] = (unsigned char)lb;
      }
    } else {
      la = c;
      ia = (double)k;
      if (c != C_NEAR) lb = c;
    }
  }
  la = lb = C_BAD;
  ia = 1e9;
  for (k = n; k >= 1; k--) {
    c = cls[k];
    if (c == C_SHORT) {
      int p = prev_b[k];
      if (p != 0xFF) {
        int nx = lb, to, why;
        if (p == C_GOOD && nx == C_GOOD) { to = C_GOOD; why = R_SHORT_BETWEEN_GOOD; }
        else if (p == C_BAD && nx == C_BAD) { to = C_BAD; why = R_SHORT_BETWEEN_BAD; }
        else if ((p == C_BAD && prev_a[k] == C_NEAR) ||
                 (nx == C_BAD && ((ia - (double)k <= reach) ? la : C_BAD) == C_NEAR)) {
          to = C_GOOD;
          why = R_SHORT_NEAR_GOOD;
        } else {
          to = C_BAD;
          why = R_SHORT_AT_EDGE;
          edge[nedge++] = k;
          why_edge[k] = 1;
        }
        cls[k] = (unsigned char)to;
        label_put(L, &xc, k, class_string(to));
        label_put(L, &xw, k, why);
      }
    } else {
      la = c;
      ia = (double)k;
      if (c != C_NEAR) lb = c;
    }
  }
  /* near-good blocks: bad only between bad ones (ignoring near-good) */
  lb = C_BAD;
  ib = -1e9;
  for (k = 1; k <= n; k++) {
    c = cls[k];
    if (c == C_NEAR) {
      if (kind[k] == KIND_NONE) {
        prev_n[k] = (unsigned char)(((double)k - ib <= reach) ? lb : C_BAD);
        has_prev_n[k] = 1;
      }
    } else if (c != C_SHORT) {
      lb = c;
      ib = (double)k;
    }
  }
  lb = C_BAD;
  ib = 1e9;
  for (k = n; k >= 1; k--) {
    c = cls[k];
    if (c == C_NEAR) {
      if (has_prev_n[k]) {
        int p = prev_n[k];
        if (p == C_BAD && ((ib - (double)k <= reach) ? lb : C_BAD) == C_BAD) {
          cls[k] = C_BAD;
          label_put(L, &xc, k, S_BAD);
          label_put(L, &xw, k, R_NEAR_BETWEEN_BAD);
        } else {
          cls[k] = C_GOOD;
          label_put(L, &xc, k, S_GOOD);
          label_put(L, &xw, k, R_NEAR_NEXT_TO_GOOD);
        }
      }
    } else if (c != C_SHORT) {
      lb = c;
      ib = (double)k;
    }
  }
  /* short sentences at the article's edges, one after the other: first
   * from the top down, then from the bottom up */
  for (e = nedge - 1; e >= 0; e--) {
    k = edge[e];
    if (k >= 2 && cls[k] == C_BAD && why_edge[k] && kind[k] == KIND_NONE && cls[k - 1] == C_GOOD &&
        is_sentence(&bf[k - 1], has_stop)) {
      cls[k] = C_GOOD;
      why_edge[k] = 0;
      label_put(L, &xc, k, S_GOOD);
      label_put(L, &xw, k, R_SENTENCE_NEXT_TO_GOOD);
    }
  }
  for (e = 0; e < nedge; e++) {
    k = edge[e];
    if (k <= n - 1 && cls[k] == C_BAD && why_edge[k] && kind[k] == KIND_NONE && cls[k + 1] == C_GOOD &&
        is_sentence(&bf[k - 1], has_stop)) {
      cls[k] = C_GOOD;
      why_edge[k] = 0;
      label_put(L, &xc, k, S_GOOD);
      label_put(L, &xw, k, R_SENTENCE_NEXT_TO_GOOD);
    }
  }
  /* clusters of good blocks separated by long stretches of others; those
   * much weaker than the strongest are other page text */
  if (cluster_gap > 0) {
    double gap = 0, best = 0;
    int cur = 0;
    for (k = 1; k <= n; k++) {
      if (cls[k] == C_GOOD) {
        const BlockF *f = &bf[k - 1];
        if (!cur || gap > cluster_gap) {
          cfirst[ncl] = k;
          cscore[ncl] = 0;
          ncl++;
          cur = 1;
        }
        clast[ncl - 1] = k;
        cscore[ncl - 1] = cscore[ncl - 1] + f->chars * ((f->words > 0 ? f->stopwords / f->words : 0) + 0.1);
        gap = 0;
      } else if (cur) {
        gap = gap + 1;
        /* a date or byline between paragraphs starts another item */
        if (kind[k] == KIND_HEADER) gap = cluster_gap + 1;
      }
    }
    if (ncl > 1) {
      lua_Integer q;
      for (q = 0; q < ncl; q++)
        if (cscore[q] > best) best = cscore[q];
      for (q = 0; q < ncl; q++) {
        if (cscore[q] < cluster_keep * best) {
          for (k = cfirst[q]; k <= clast[q]; k++) {
            if (cls[k] == C_GOOD) {
              cls[k] = C_BAD;
              label_put(L, &xc, k, S_BAD);
              label_put(L, &xw, k, R_OUTSIDE_ARTICLE);
            }
          }
        }
      }
    }
  }
  /* the article's extent, as core.good_span gives it */
  {
    lua_Integer first = 0, last = 0;
    for (k = 1; k <= n; k++) {
      if (cls[k] == C_GOOD) {
        if (!first) first = k;
        last = k;
      }
    }
    if (first) {
      lua_pushinteger(L, first);
      lua_pushinteger(L, last);
    } else {
      lua_pushnil(L);
      lua_pushnil(L);
    }
  }
  return 2;
}

/* Whether t[k] (t at index t) is the string whose bytes are at p (SP of
 * an S_ index). */
static int is_str(lua_State *L, int t, lua_Integer k, const char *p) {
  int r = top_str(L, lua_rawgeti(L, t, k)) == p;
  lua_pop(L, 1);
  return r;
}

/* core.good_span(cls, n) -> first, last
 * The first and last k in 1..n with cls[k] == "good", or nil. */
static int l_good_span(lua_State *L) {
  lua_Integer n, k, first = 0, last = 0;
  LabelsArg xc;
  labels_arg(L, 1, &xc);
  n = luaL_checkinteger(L, 2);
  /* (from either end: the blocks between are not read) */
  for (k = 1; k <= n && !first; k++)
    if (label_get(L, &xc, k) == S_GOOD) first = k;
  for (k = n; first && k >= first && !last; k--)
    if (label_get(L, &xc, k) == S_GOOD) last = k;
  if (!first) {
    lua_pushnil(L);
    lua_pushnil(L);
  } else {
    lua_pushinteger(L, first);
    lua_pushinteger(L, last);
  }
  return 2;
}

/* core.number_starts(blocks, flat) -> array of k
 * The blocks that may start with an item number: some number words, two
 * words or more, a text whose first byte is an ASCII digit or below, but
 * "(". */
static int l_number_starts(lua_State *L) {
  lua_Integer n, k, m = 0;
  const BlockF *bf;
  luaL_checktype(L, 1, LUA_TTABLE);
  bf = check_flat(L, 2, &n);
  lua_settop(L, 2);
  lua_newtable(L);
  for (k = 1; k <= n; k++) {
    const BlockF *f = &bf[k - 1];
    size_t len;
    const char *t;
    if (!(f->number_words > 0 && f->words >= 2)) continue;
    if (f->text != NULL) {
      /* (the text the flat features keep: no Lua read) */
      t = f->text;
      len = f->text_len;
    } else {
      /* (a block is a table with its text, or the text) */
      if (lua_rawgeti(L, 1, k) == LUA_TTABLE) lua_getfield(L, -1, "text");
      else lua_pushvalue(L, -1);
      if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "block %d has no text", (int)k);
      t = lua_tolstring(L, -1, &len);
      lua_pop(L, 2); /* (the string stays in the block) */
    }
    if (len > 0 && (unsigned char)t[0] <= '9' && t[0] != '(') {
      lua_pushinteger(L, k);
      lua_rawseti(L, 3, ++m);
    }
  }
  return 1;
}

/* core.promote_headings(cls, why, kind, flat, from, length_low)
 * From the next to last block down to block `from`: a short bad block (not
 * a menu, no kind, under length_low characters, 1 to 12 words, no bullet,
 * no URL) right before a good block with no kind that is no promoted
 * heading (and, when under length_low characters, not good as short
 * between good ones) becomes good ("heading"). */
static int l_promote_headings(lua_State *L) {
  lua_Integer n, k, from;
  double low;
  const BlockF *bf;
  const char *good, *bad, *menu, *heading, *between_good;
  const int CLS = 1, WHY = 2, KIND = 3;
  luaL_checktype(L, CLS, LUA_TTABLE);
  luaL_checktype(L, WHY, LUA_TTABLE);
  luaL_checktype(L, KIND, LUA_TTABLE);
  bf = check_flat(L, 4, &n);
  from = luaL_checkinteger(L, 5);
  low = (double)luaL_checknumber(L, 6);
  lua_settop(L, 6);
  if (from < 1) from = 1;
  good = SP(S_GOOD);
  bad = SP(S_BAD);
  menu = SP(R_MENU);
  heading = SP(R_HEADING);
  between_good = SP(R_SHORT_BETWEEN_GOOD);
  for (k = n - 1; k >= from; k--) {
    const BlockF *f = &bf[k - 1], *g = &bf[k];
    if (!(f->chars < low && f->words >= 1 && f->words <= 12 && !f->bullet && f->urls == 0)) continue;
    if (!is_str(L, CLS, k, bad) || is_str(L, WHY, k, menu) || lede_truthy_at(L, KIND, k)) continue;
    if (!is_str(L, CLS, k + 1, good) || is_str(L, WHY, k + 1, heading) || lede_truthy_at(L, KIND, k + 1))
      continue;
    if (!(g->chars >= low || !is_str(L, WHY, k + 1, between_good))) continue;
    set_str(L, CLS, k, S_GOOD);
    set_str(L, WHY, k, R_HEADING);
  }
  return 0;
}

/* Pushes the rule of the classifier's reason at stack index why,
 * "classifier:" .. why, made once and kept in the table at index cache. */
static void push_class_rule(lua_State *L, int cache, int why) {
  lua_pushvalue(L, why);
  if (lua_rawget(L, cache) == LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushliteral(L, "classifier:");
    lua_pushvalue(L, why);
    lua_concat(L, 2);
    lua_pushvalue(L, why);
    lua_pushvalue(L, -2);
    lua_rawset(L, cache);
  }
}

/* core.set_kinds(blocks, cls, why, kind, rule, flat, cache)
 * Sets blocks[k].kind and .rule: kind[k] and rule[k] when kind[k] is set;
 * else "body" for a good block, "navigation" for a menu or a bulleted line
 * of up to six words, "boilerplate" for the others, with the rule
 * "classifier:<why[k]>" (kept in the table `cache` by reason). */
static int l_set_kinds(lua_State *L) {
  lua_Integer n, k;
  const BlockF *bf;
  const char *good, *menu;
  const int BLOCKS = 1, CLS = 2, WHY = 3, KIND = 4, RULE = 5, CACHE = 7;
  luaL_checktype(L, BLOCKS, LUA_TTABLE);
  luaL_checktype(L, CLS, LUA_TTABLE);
  luaL_checktype(L, WHY, LUA_TTABLE);
  luaL_checktype(L, KIND, LUA_TTABLE);
  luaL_checktype(L, RULE, LUA_TTABLE);
  bf = check_flat(L, 6, &n);
  luaL_checktype(L, CACHE, LUA_TTABLE);
  lua_settop(L, CACHE);
  if ((lua_Integer)lua_rawlen(L, BLOCKS) != n) luaL_error(L, "set_kinds: flat is not of these blocks");
  good = SP(S_GOOD);
  menu = SP(R_MENU);
  /* (the blocks are plain records that have their fields: raw sets with
   * the keys at hand) */
  for (k = 1; k <= n; k++) {
    if (lua_rawgeti(L, BLOCKS, k) != LUA_TTABLE) luaL_error(L, "block %d is no table", (int)k);
    lua_pushvalue(L, STR(KEY_KIND));
    lua_rawgeti(L, KIND, k);
    if (lua_toboolean(L, -1)) {
      lua_rawset(L, -3);
      lua_pushvalue(L, STR(KEY_RULE));
      lua_rawgeti(L, RULE, k);
      lua_rawset(L, -3);
    } else {
      const BlockF *f = &bf[k - 1];
      const char *w;
      int s;
      lua_pop(L, 2);
      w = top_str(L, lua_rawgeti(L, WHY, k));
      if (w == NULL) luaL_error(L, "why[%d] must be a string", (int)k);
      if (is_str(L, CLS, k, good)) s = K_BODY;
      else if (w == menu || (f->bullet && f->words <= 6)) s = K_NAVIGATION;
      else s = K_BOILERPLATE;
      /* block, why */
      lua_pushvalue(L, STR(KEY_RULE));
      push_class_rule(L, CACHE, lua_gettop(L) - 1);
      /* block, why, "rule", rule */
      lua_rawset(L, -4);
      lua_pop(L, 1);
      lua_pushvalue(L, STR(KEY_KIND));
      lua_pushvalue(L, STR(s));
      lua_rawset(L, -3);
    }
    lua_pop(L, 1);
  }
  return 0;
}

/* The text of block k (blocks at index b, a table with its text or the
 * text), pushed; raises when it has none. */
static const char *block_text(lua_State *L, int b, lua_Integer k, size_t *len) {
  if (lua_rawgeti(L, b, k) == LUA_TTABLE) {
    lua_getfield(L, -1, "text");
    lua_replace(L, -2);
  }
  if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "block %d has no text", (int)k);
  return lua_tolstring(L, -1, len);
}

/* The texts of a document's blocks: the blocks (an array of tables with
 * their text, or of texts) at stack index idx, or their flat features (a
 * lede.Features, which keeps the texts: no Lua call per read). */
typedef struct {
  int idx;
  const FlatFeatures *ff;
} Texts;

static void texts_arg(lua_State *L, int idx, Texts *tx) {
  tx->idx = idx;
  tx->ff = NULL;
  if (lua_type(L, idx) == LUA_TUSERDATA) tx->ff = (const FlatFeatures *)luaL_checkudata(L, idx, FEATURES_MT);
  else luaL_checktype(L, idx, LUA_TTABLE);
}

/* The number of blocks. */
static lua_Integer texts_len(lua_State *L, const Texts *tx) {
  return tx->ff ? tx->ff->n : (lua_Integer)lua_rawlen(L, tx->idx);
}

/* The text of block k, as block_text gives it: one value pushed (the text,
 * or nil for flat features); raises when there is none. */
static const char *texts_get(lua_State *L, const Texts *tx, lua_Integer k, size_t *len) {
  const BlockF *f;
  if (tx->ff == NULL) return block_text(L, tx->idx, k, len);
  if (k < 1 || k > tx->ff->n || tx->ff->f[k - 1].text == NULL) luaL_error(L, "block %d has no text", (int)k);
  f = &tx->ff->f[k - 1];
  lua_pushnil(L);
  *len = f->text_len;
  return f->text;
}

/* The separators of a breadcrumb ("Home » Section » Page"). */
static const char *const CRUMB_SEPARATORS[] = { " \xC2\xBB ", " / ", " > ", " \xE2\x80\xBA ", NULL };

/* Whether one of the two blocks above block k is a breadcrumb whose last
 * item is block k's text (t, n bytes): it ends with a separator and t. */
static int crumb_above(lua_State *L, const Texts *b, lua_Integer k, const char *t, size_t n) {
  lua_Integer j;
  for (j = k - 1; j >= 1 && j >= k - 2; j--) {
    size_t m, q;
    const char *o = texts_get(L, b, j, &m);
    int hit = 0;
    if (m > n + 2 && memcmp(o + m - n, t, n) == 0) {
      for (q = 0; CRUMB_SEPARATORS[q] != NULL && !hit; q++) {
        size_t sl = strlen(CRUMB_SEPARATORS[q]);
        if (m > n + sl && memcmp(o + m - n - sl, CRUMB_SEPARATORS[q], sl) == 0) hit = 1;
      }
    }
    lua_pop(L, 1);
    if (hit) return 1;
  }
  return 0;
}

/* core.title_range(blocks, flat, kind, crumb_last, far, lo, last, first_body,
 * max_words, all) -> array of k
 * The blocks far..last the title picker may keep: all of them when `all`
 * is true. Else, above lo, those of four words or more with no sentence,
 * and those with no kind and no bullet whose text is a key of crumb_last or
 * the last item of a breadcrumb in one of the two blocks above; from lo on,
 * those with no kind or "body", 2 to max_words words, 12 characters or
 * more, no bullet, no menu and no URL, and, above first_body, those with no
 * kind, 1 to max_words words, no bullet and no URL. */
static int l_title_range(lua_State *L) {
  lua_Integer n, k, far, lo, last, first_body, m = 0;
  double max_words;
  int all;
  const BlockF *bf;
  const int BLOCKS = 1, KIND = 3, CRUMBS = 4, OUT = 11;
  Texts tx;
  texts_arg(L, BLOCKS, &tx);
  bf = check_flat(L, 2, &n);
  luaL_checktype(L, KIND, LUA_TTABLE);
  luaL_checktype(L, CRUMBS, LUA_TTABLE);
  far = luaL_checkinteger(L, 5);
  lo = luaL_checkinteger(L, 6);
  last = luaL_checkinteger(L, 7);
  first_body = luaL_checkinteger(L, 8);
  max_words = (double)luaL_checknumber(L, 9);
  all = lua_toboolean(L, 10);
  lua_settop(L, 10);
  if (far < 1) far = 1;
  if (last > n) last = n;
  lua_createtable(L, last >= lo ? (int)(last - lo + 1) : 0, 0);
  for (k = far; k <= last; k++) {
    const BlockF *f = &bf[k - 1];
    int keep = all;
    if (!keep && k >= lo) {
      if (f->words >= 1 && f->words <= max_words && !f->bullet && f->urls == 0) {
        lua_rawgeti(L, KIND, k);
        if (!lua_toboolean(L, -1)) keep = k < first_body || (f->words >= 2 && f->chars >= 12 && !f->menu_like);
        else keep = lua_rawequal(L, -1, STR(K_BODY)) && f->words >= 2 && f->chars >= 12 && !f->menu_like;
        lua_pop(L, 1);
      }
    } else if (!keep) {
      if (f->words >= 4 && f->sentences == 0) keep = 1;
      else if (!f->bullet && !lede_truthy_at(L, KIND, k)) {
        size_t tl;
        const char *t = texts_get(L, &tx, k, &tl);
        /* (the text as a key: from the blocks, or made) */
        if (tx.ff) lua_pushlstring(L, t, tl);
        else lua_pushvalue(L, -1);
        keep = lua_rawget(L, CRUMBS) != LUA_TNIL && lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (!keep && k > 1) keep = crumb_above(L, &tx, k, t, tl);
        lua_pop(L, 1);
      }
    }
    if (keep) {
      lua_pushinteger(L, k);
      lua_rawseti(L, OUT, ++m);
    }
  }
  return 1;
}

/* Pushes t.key (t at index t, key an S_ index), as lua_getfield would. */
static void field(lua_State *L, int t, int key) {
  lua_pushvalue(L, STR(key));
  lua_gettable(L, t);
}

/* core.label_blocks(hits, cls, feats, n, section_end, tag_max, related_max)
 * -> kind, rule
 * The kinds and rule ids that the rules' hits give blocks 1..n, in order:
 * a block with a hit takes its kind and `_id` (class "good" for kind
 * "body", "short" for an `inline` rule, else "bad"); a `list` rule's kind
 * then goes on to the short lines after it (up to tag_max words for
 * "tags", related_max for other kinds; not good, no two sentences, no
 * colon at the end) with rule `_id .. ":list"`; a `section` rule after two
 * good blocks or more takes all the blocks after it ("bad", rule
 * `_id .. ":section"`) up to a hit whose kind is a key of section_end.
 * Updates cls. */
static int l_label_blocks(lua_State *L) {
  lua_Integer n, k, goods = 0, counted = 0;
  int in_list = 0, in_section = 0;
  const int HITS = 1, CLS = 2, FEATS = 3, SEC_END = 5, TAG_MAX = 6, REL_MAX = 7;
  const int KIND = 8, RULE = 9, LIST_KIND = 10, LIST_RULE = 11, SEC_KIND = 12, SEC_RULE = 13, TAGS = 14;
  const BlockF *bf = NULL;
  lua_Integer nf = 0;
  const char *body = SP(K_BODY);
  unsigned char *og;
  LabelsArg xc;
  luaL_checktype(L, HITS, LUA_TTABLE);
  labels_arg(L, CLS, &xc);
  if (lua_type(L, FEATS) == LUA_TUSERDATA) bf = check_flat(L, FEATS, &nf);
  else luaL_checktype(L, FEATS, LUA_TTABLE);
  n = luaL_checkinteger(L, 4);
  luaL_checktype(L, SEC_END, LUA_TTABLE);
  luaL_checknumber(L, TAG_MAX);
  luaL_checknumber(L, REL_MAX);
  lua_settop(L, REL_MAX);
  luaL_checkstack(L, 24, NULL);
  /* (sized for all the blocks: a block labelled fills its slot, without
   * the tables growing) */
  lua_createtable(L, n > 0 && n < 0x1000000 ? (int)n : 0, 0); /* KIND */
  lua_createtable(L, n > 0 && n < 0x1000000 ? (int)n : 0, 0); /* RULE */
  lua_pushnil(L);  /* LIST_KIND */
  lua_pushnil(L);  /* LIST_RULE */
  lua_pushnil(L);  /* SEC_KIND */
  lua_pushnil(L);  /* SEC_RULE */
  lua_pushliteral(L, "tags");
  /* 15: for each block labelled, whether its class was "good" before (1,
   * else 2; 0 for a block not labelled, whose class is as it was) */
  if (xc.a != NULL) {
    og = (unsigned char *)labels_scratch(L, CLS, xc.a, n > 0 && n < 0x1000000 ? (size_t)n + 1 : 1);
    lua_pushnil(L);
  } else {
    og = (unsigned char *)lua_newuserdatauv(L, n > 0 && n < 0x1000000 ? (size_t)n + 1 : 1, 0);
  }
  if (n > 0 && n < 0x1000000) memset(og, 0, (size_t)n + 1);
  else og = NULL;
  for (k = 1; k <= n; k++) {
    int hit, ends;
    lua_rawgeti(L, HITS, k); /* at 16 */
    hit = lua_toboolean(L, 16);
    /* (block k's class is kept before it changes, for the good blocks
     * up to k that a section rule counts) */
    if (!hit && !in_section && !in_list) {
      lua_pop(L, 1);
      continue;
    }
    if (og != NULL) og[k] = label_get(L, &xc, k) == S_GOOD ? 1 : 2;
    else for (; counted < k; counted++)
      if (label_get(L, &xc, counted + 1) == S_GOOD) goods++;
    ends = 0;
    if (in_section && hit) {
      field(L, 16, KEY_KIND);
      lua_rawget(L, SEC_END);
      ends = lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
    if (in_section && !ends) {
      lua_pushvalue(L, SEC_KIND);
      lua_rawseti(L, KIND, k);
      lua_pushvalue(L, SEC_RULE);
      lua_rawseti(L, RULE, k);
      label_put(L, &xc, k, S_BAD);
    } else if (hit) {
      int c;
      field(L, 16, KEY_KIND); /* 17 */
      field(L, 16, KEY_ID);   /* 18 */
      lua_pushvalue(L, 17);
      lua_rawseti(L, KIND, k);
      lua_pushvalue(L, 18);
      lua_rawseti(L, RULE, k);
      if (lua_type(L, 17) == LUA_TSTRING && lua_tostring(L, 17) == body) c = S_GOOD;
      else {
        field(L, 16, KEY_INLINE);
        c = lua_toboolean(L, -1) ? S_SHORT : S_BAD;
        lua_pop(L, 1);
      }
      label_put(L, &xc, k, c);
      field(L, 16, KEY_LIST);
      in_list = lua_toboolean(L, -1) && lua_toboolean(L, 17);
      lua_pop(L, 1);
      if (in_list) {
        lua_pushvalue(L, 17);
        lua_replace(L, LIST_KIND);
        lua_pushvalue(L, 18);
        lua_pushliteral(L, ":list");
        lua_concat(L, 2);
        lua_replace(L, LIST_RULE);
      }
      in_section = 0;
      field(L, 16, KEY_SECTION);
      if (lua_toboolean(L, -1) && og != NULL) {
        /* (the good blocks up to k, as they were) */
        for (; counted < k; counted++)
          goods += og[counted + 1] ? og[counted + 1] == 1 : label_get(L, &xc, counted + 1) == S_GOOD;
      }
      if (lua_toboolean(L, -1) && goods >= 2) {
        in_section = lua_toboolean(L, 17);
        lua_pushvalue(L, 17);
        lua_replace(L, SEC_KIND);
        lua_pushvalue(L, 18);
        lua_pushliteral(L, ":section");
        lua_concat(L, 2);
        lua_replace(L, SEC_RULE);
      }
      lua_pop(L, 3);
    } else if (in_list) {
      int fits;
      int max = lua_rawequal(L, LIST_KIND, TAGS) ? TAG_MAX : REL_MAX;
      if (bf) {
        /* (the flat features: as the tables' fields compare below) */
        const BlockF *f;
        if (k > nf) return luaL_error(L, "label_blocks: no features for block %d", (int)k);
        f = &bf[k - 1];
        fits = (og != NULL ? og[k] != 1 : label_get(L, &xc, k) != S_GOOD) && f->words <= lua_tonumber(L, max) && !(2 <= f->sentences) &&
               !f->ends_colon;
      } else {
        lua_rawgeti(L, FEATS, k); /* 17 */
        lua_getfield(L, 17, "words");
        lua_getfield(L, 17, "sentences");
        lua_pushinteger(L, 2);
        lua_getfield(L, 17, "ends_colon");
        /* 18 words, 19 sentences, 20 two, 21 ends_colon */
        fits = (og != NULL ? og[k] != 1 : label_get(L, &xc, k) != S_GOOD) && lua_compare(L, 18, max, LUA_OPLE) &&
               !lua_compare(L, 20, 19, LUA_OPLE) && !lua_toboolean(L, 21);
        lua_pop(L, 5);
      }
      if (fits) {
        lua_pushvalue(L, LIST_KIND);
        lua_rawseti(L, KIND, k);
        lua_pushvalue(L, LIST_RULE);
        lua_rawseti(L, RULE, k);
        label_put(L, &xc, k, S_BAD);
      } else in_list = 0;
    }
    lua_pop(L, 1);
  }
  lua_pushvalue(L, KIND);
  lua_pushvalue(L, RULE);
  return 2;
}

/* core.stopword_density(flat, min_words) -> density, words
 * Over the blocks of min_words words or more: their stopwords over their
 * words (0 when there are none), and their words. */
static int l_stopword_density(lua_State *L) {
  lua_Integer n, k;
  double min, words = 0, stops = 0;
  const BlockF *bf = check_flat(L, 1, &n);
  min = (double)luaL_checknumber(L, 2);
  for (k = 0; k < n; k++) {
    if (bf[k].words >= min) {
      words += bf[k].words;
      stops += bf[k].stopwords;
    }
  }
  if (words > 0) lua_pushnumber(L, (lua_Number)(stops / words));
  else lua_pushinteger(L, 0);
  lua_pushinteger(L, (lua_Integer)words);
  return 2;
}

/* Whether the last byte of block k's text is "." or ":" (a line that ends
 * a sentence or announces what follows). */
static int stop_end(lua_State *L, const Texts *b, lua_Integer k) {
  size_t len;
  const char *t = texts_get(L, b, k, &len);
  int r = len > 0 && (t[len - 1] == '.' || t[len - 1] == ':');
  lua_pop(L, 1);
  return r;
}

/* Whether flat block f (block k) may be a related headline: 3 to max words,
 * no "." or ":" at the end, 60% or more of its words capitalised. */
static int related_line(lua_State *L, const Texts *b, lua_Integer k, const BlockF *f, double max) {
  return f->words >= 3 && f->words <= max && f->title_share >= 0.6 && !stop_end(L, b, k);
}

/* core.tail_lists(blocks, flat, kind, rule, cls, from, tag_max, related_max)
 * Below the article, from block `from` on, among the blocks with no kind: a
 * list of tags (two commas or more, no sentence nor sentence end, 1 to
 * tag_max words an item) is "tags" ("classifier:tag-list"), and a run of two
 * or more related headlines "related" ("classifier:related-list", class
 * "bad"). Updates kind, rule and cls in place. */
static int l_tail_lists(lua_State *L) {
  lua_Integer n, k, from;
  double tag_max, rel_max;
  const BlockF *bf;
  const int BLOCKS = 1, KIND = 3, RULE = 4, CLS = 5;
  Texts tx;
  texts_arg(L, BLOCKS, &tx);
  bf = check_flat(L, 2, &n);
  luaL_checktype(L, KIND, LUA_TTABLE);
  luaL_checktype(L, RULE, LUA_TTABLE);
  luaL_checktype(L, CLS, LUA_TTABLE);
  from = luaL_checkinteger(L, 6);
  tag_max = (double)luaL_checknumber(L, 7);
  rel_max = (double)luaL_checknumber(L, 8);
  lua_settop(L, 8);
  if (from < 1) from = 1;
  for (k = from; k <= n; k++) {
    const BlockF *f = &bf[k - 1];
    double items = f->commas + 1;
    if (lede_truthy_at(L, KIND, k)) continue;
    if (f->commas >= 2 && !f->ends_sentence && f->sentences == 0 && f->words <= items * tag_max &&
        f->words >= items) {
      set_str(L, KIND, k, K_TAGS);
      set_str(L, RULE, k, R_TAG_LIST);
    } else if (related_line(L, &tx, k, f, rel_max)) {
      lua_Integer run = 0, j;
      for (j = k; j <= n; j++) {
        if (lede_truthy_at(L, KIND, j) || !related_line(L, &tx, j, &bf[j - 1], rel_max)) break;
        run++;
      }
      if (run >= 2) {
        for (j = k; j <= k + run - 1; j++) {
          set_str(L, KIND, j, K_RELATED);
          set_str(L, RULE, j, R_RELATED_LIST);
          set_str(L, CLS, j, S_BAD);
        }
        k = k + run - 1;
      }
    }
  }
  return 0;
}

/* core.final_kinds(blocks, cls, why, kind, rule, flat, cache, from,
 * length_low, tail_from, tag_max, related_max)
 * As core.promote_headings(cls, why, kind, flat, from, length_low), then,
 * when tail_from is not nil, core.tail_lists(flat, flat, kind, rule, cls,
 * tail_from, tag_max, related_max), then core.set_kinds(blocks, cls, why,
 * kind, rule, flat, cache), in one pass over C arrays: cls, why, kind and
 * rule are read, not updated (the blocks are). */
enum { FK_GOOD = 1, FK_BAD = 2 };

/* The kind of a block with none, of class c (FK_) and reason w (an S_
 * index, or 0). */
static int final_kind(int c, int w, const BlockF *f) {
  if (c == FK_GOOD) return K_BODY;
  if (w == R_MENU || (f->bullet && f->words <= 6)) return K_NAVIGATION;
  return K_BOILERPLATE;
}

static int l_final_kinds(lua_State *L) {
  lua_Integer n, k, from, tail_from = 0;
  double low, tag_max = 0, rel_max = 0;
  const BlockF *bf;
  unsigned char *cl, *wh, *kd, *ov;
  const int BLOCKS = 1, CLS = 2, WHY = 3, KIND = 4, RULE = 5, CACHE = 7, RULES = 13;
  Texts tx;
  LabelsArg xc, xw;
  luaL_checktype(L, BLOCKS, LUA_TTABLE);
  labels_arg(L, CLS, &xc);
  labels_arg(L, WHY, &xw);
  luaL_checktype(L, KIND, LUA_TTABLE);
  luaL_checktype(L, RULE, LUA_TTABLE);
  bf = check_flat(L, 6, &n);
  luaL_checktype(L, CACHE, LUA_TTABLE);
  from = luaL_checkinteger(L, 8);
  low = (double)luaL_checknumber(L, 9);
  if (!lua_isnoneornil(L, 10)) {
    tail_from = luaL_checkinteger(L, 10);
    tag_max = (double)luaL_checknumber(L, 11);
    rel_max = (double)luaL_checknumber(L, 12);
    if (tail_from < 1) tail_from = 1;
  }
  lua_settop(L, 12);
  luaL_checkstack(L, S_COUNT + 16, NULL);
  if ((lua_Integer)lua_rawlen(L, BLOCKS) != n) luaL_error(L, "final_kinds: flat is not of these blocks");
  tx.idx = 6;
  tx.ff = (const FlatFeatures *)lua_touserdata(L, 6);
  {
    size_t m = (size_t)n + 2;
    if (xc.a != NULL) {
      cl = (unsigned char *)labels_scratch(L, CLS, xc.a, 4 * m);
      lua_pushnil(L); /* 13 */
    } else {
      cl = (unsigned char *)lua_newuserdatauv(L, 4 * m, 0); /* 13 */
    }
    memset(cl, 0, 4 * m);
    wh = cl + m; /* the reason: its S_ index, or 0 for another one */
    kd = wh + m; /* the kind is set */
    ov = kd + m; /* the kind the tail lists set: K_TAGS, K_RELATED, or 0 */
  }
  /* (a block with a kind keeps it: its class and reason are not read) */
  for (k = 1; k <= n; k++) {
    int c, w;
    lua_rawgeti(L, KIND, k);
    kd[k] = (unsigned char)lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (kd[k]) continue;
    c = label_get(L, &xc, k);
    cl[k] = c == S_GOOD ? FK_GOOD : c == S_BAD ? FK_BAD : 0;
    w = label_get(L, &xw, k);
    wh[k] = (unsigned char)(w == L_OTHER ? 0 : w);
  }
  /* short headings right before good text */
  if (from < 1) from = 1;
  for (k = n - 1; k >= from; k--) {
    const BlockF *f = &bf[k - 1], *g = &bf[k];
    if (!(f->chars < low && f->words >= 1 && f->words <= 12 && !f->bullet && f->urls == 0)) continue;
    if (cl[k] != FK_BAD || wh[k] == R_MENU || kd[k]) continue;
    if (cl[k + 1] != FK_GOOD || wh[k + 1] == R_HEADING || kd[k + 1]) continue;
    if (!(g->chars >= low || wh[k + 1] != R_SHORT_BETWEEN_GOOD)) continue;
    cl[k] = FK_GOOD;
    wh[k] = R_HEADING;
  }
  /* the tail lists */
  if (tail_from > 0) {
    for (k = tail_from; k <= n; k++) {
      const BlockF *f = &bf[k - 1];
      double items = f->commas + 1;
      if (kd[k] || ov[k]) continue;
      if (f->commas >= 2 && !f->ends_sentence && f->sentences == 0 && f->words <= items * tag_max &&
          f->words >= items) {
        ov[k] = K_TAGS;
      } else if (related_line(L, &tx, k, f, rel_max)) {
        lua_Integer run = 0, j;
        for (j = k; j <= n; j++) {
          if (kd[j] || ov[j] || !related_line(L, &tx, j, &bf[j - 1], rel_max)) break;
          run++;
        }
        if (run >= 2) {
          for (j = k; j <= k + run - 1; j++) {
            ov[j] = K_RELATED;
            cl[j] = FK_BAD;
          }
          k = k + run - 1;
        }
      }
    }
  }
  /* the blocks' kinds and rules; RULES + s: the rule of reason s (an S_
   * index) once looked up */
  lua_settop(L, RULES + S_COUNT);
  for (k = 1; k <= n; k++) {
    if (lua_rawgeti(L, BLOCKS, k) != LUA_TTABLE) luaL_error(L, "block %d is no table", (int)k);
    if (ov[k]) {
      lua_pushvalue(L, STR(KEY_KIND));
      lua_pushvalue(L, STR(ov[k]));
      lua_rawset(L, -3);
      lua_pushvalue(L, STR(KEY_RULE));
      lua_pushvalue(L, STR(ov[k] == K_TAGS ? R_TAG_LIST : R_RELATED_LIST));
      lua_rawset(L, -3);
    } else if (kd[k]) {
      lua_pushvalue(L, STR(KEY_KIND));
      lua_rawgeti(L, KIND, k);
      lua_rawset(L, -3);
      lua_pushvalue(L, STR(KEY_RULE));
      lua_rawgeti(L, RULE, k);
      lua_rawset(L, -3);
    } else {
      const BlockF *f = &bf[k - 1];
      int s;
      if (wh[k] && !lua_isnil(L, RULES + wh[k])) {
        lua_pushvalue(L, STR(KEY_RULE));
        lua_pushvalue(L, RULES + wh[k]);
        lua_rawset(L, -3);
        lua_pushvalue(L, STR(KEY_KIND));
        lua_pushvalue(L, STR(final_kind(cl[k], wh[k], &bf[k - 1])));
        lua_rawset(L, -3);
        lua_pop(L, 1);
        continue;
      }
      if (wh[k]) lua_pushvalue(L, STR(wh[k]));
      else {
        label_push(L, &xw, k);
        if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "why[%d] must be a string", (int)k);
      }
      s = final_kind(cl[k], wh[k], f);
      /* block, why */
      lua_pushvalue(L, STR(KEY_RULE));
      push_class_rule(L, CACHE, lua_gettop(L) - 1);
      /* block, why, "rule", rule */
      if (wh[k]) {
        lua_pushvalue(L, -1);
        lua_replace(L, RULES + wh[k]);
      }
      lua_rawset(L, -4);
      lua_pop(L, 1);
      lua_pushvalue(L, STR(KEY_KIND));
      lua_pushvalue(L, STR(s));
      lua_rawset(L, -3);
    }
    lua_pop(L, 1);
  }
  return 0;
}

/* core.number_lines(blocks, flat, lo, hi, c) -> array of j
 * The blocks lo..hi (clamped to the blocks) with a number word whose text
 * starts with byte c, in order. */
static int l_number_lines(lua_State *L) {
  Texts tx;
  lua_Integer n, j, lo, hi, c, m = 0;
  const BlockF *bf;
  texts_arg(L, 1, &tx);
  bf = check_flat(L, 2, &n);
  lo = luaL_checkinteger(L, 3);
  hi = luaL_checkinteger(L, 4);
  c = luaL_checkinteger(L, 5);
  lua_settop(L, 5);
  if (lo < 1) lo = 1;
  if (hi > n) hi = n;
  lua_newtable(L);
  for (j = lo; j <= hi; j++) {
    size_t len;
    const char *t;
    if (!(bf[j - 1].number_words > 0)) continue;
    t = texts_get(L, &tx, j, &len);
    if (len > 0 && (unsigned char)t[0] == c) {
      lua_pushinteger(L, j);
      lua_rawseti(L, 6, ++m);
    }
    lua_pop(L, 1);
  }
  return 1;
}

/* ---- the title picker's tests of repeated text ------------------------- */

/* Lua's %s in the C locale: space, \t, \n, \v, \f, \r. */
static int c_space(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13); }

static int c_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* A word byte for the picker: an ASCII letter or digit, or any byte of a
 * multi-byte character. */
static int c_word_byte(unsigned char c) {
  return c >= 128 || c_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* core.crumb_above(blocks, k) -> boolean
 * Whether one of the two blocks above block k is a breadcrumb whose last
 * item is block k's text (it ends with " » ", " / ", " > " or " › " and
 * that text). */
static int l_crumb_above(lua_State *L) {
  Texts tx;
  lua_Integer k;
  size_t n;
  const char *t;
  int r;
  texts_arg(L, 1, &tx);
  k = luaL_checkinteger(L, 2);
  lua_settop(L, 2);
  t = texts_get(L, &tx, k, &n);
  r = crumb_above(L, &tx, k, t, n);
  lua_pushboolean(L, r);
  return 1;
}

/* The text of a block cut short ("<title>...", "3. <title>…"), o[0..m):
 * the text before the dots without the white space before them, a list
 * item's number ("3. ") left out; its span in *cb..*ce. Returns 0 when the
 * block is not cut short. */
static int cut_span(const unsigned char *o, size_t m, size_t *cb, size_t *ce) {
  size_t e, b = 0, q;
  if (m >= 3 && memcmp(o + m - 3, "...", 3) == 0) e = m - 3;
  else if (m >= 3 && memcmp(o + m - 3, "\xE2\x80\xA6", 3) == 0) e = m - 3;
  else return 0;
  while (e > 0 && c_space(o[e - 1])) e--;
  /* "^%d+%.%s+" */
  q = 0;
  while (q < e && c_digit(o[q])) q++;
  if (q > 0 && q < e && o[q] == '.') {
    size_t r = q + 1;
    if (r < e && c_space(o[r])) {
      while (r < e && c_space(o[r])) r++;
      b = r;
    }
  }
  *cb = b;
  *ce = e;
  return 1;
}

/* core.repeated_above(t, k, blocks, lo, hi) -> boolean
 * Whether a block j of lo..hi other than k repeats the text t above the
 * article: a longer block (or one as long, above k - 1) that ends with t
 * after a non-word byte or starts with it followed by " | " or " - " (the
 * page's title line) or a space within 14 bytes ("<title> cover"); or a
 * block of 18 bytes or more cut short ("<tit...", "3. <tit…") of 15 bytes
 * or more that t starts with. */
static int repeated_above(lua_State *L, const Texts *tx, const unsigned char *t, size_t n, lua_Integer k,
                          lua_Integer lo, lua_Integer hi) {
  lua_Integer j;
  for (j = lo; j <= hi; j++) {
    size_t m;
    const unsigned char *o;
    int hit = 0;
    if (j == k) continue;
    o = (const unsigned char *)texts_get(L, tx, j, &m);
    if (m > n || (m == n && j < k - 1)) {
      if (memcmp(o + m - n, t, n) == 0 && (m == n || !c_word_byte(o[m - n - 1]))) hit = 1;
      else if (n > 0 && memcmp(o, t, n) == 0) {
        if (m >= n + 3 && (memcmp(o + n, " | ", 3) == 0 || memcmp(o + n, " - ", 3) == 0)) hit = 1;
        else if (m <= n + 14 && m > n && o[n] == ' ') hit = 1;
      }
    } else if (m >= 18) {
      size_t cb, ce;
      if (cut_span(o, m, &cb, &ce) && ce - cb >= 15 && n >= ce - cb && memcmp(t, o + cb, ce - cb) == 0)
        hit = 1;
    }
    lua_pop(L, 1);
    if (hit) return 1;
  }
  return 0;
}

static int l_repeated_above(lua_State *L) {
  Texts tx;
  size_t n;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lua_Integer k = luaL_checkinteger(L, 2), lo, hi;
  texts_arg(L, 3, &tx);
  lo = luaL_checkinteger(L, 4);
  hi = luaL_checkinteger(L, 5);
  lua_settop(L, 5);
  lua_pushboolean(L, repeated_above(L, &tx, t, n, k, lo, hi));
  return 1;
}

static int c_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }

/* core.short_forms(t, k, blocks, lo, hi) -> n, shorter
 * The blocks j of lo..hi (but k) that start with t's first byte, in order:
 * t is the image of one ("<t> cover": t is that block's text, 12 bytes or
 * more, then a space and lower-case ASCII letters alone) n times before
 * the first block that is a longer form of t (t, then ": " and no white
 * space, " word 2", " (", or " word word" not ending with "."; 4 to 60
 * bytes more), which ends the search: shorter is then true. */
static lua_Integer short_forms(lua_State *L, const Texts *tx, const unsigned char *t, size_t n, lua_Integer k,
                               lua_Integer lo, lua_Integer hi, int *shorter_out) {
  lua_Integer j, images = 0;
  int shorter = 0;
  for (j = lo; j <= hi && n > 0; j++) {
    size_t m;
    const unsigned char *o = (const unsigned char *)texts_get(L, tx, j, &m);
    lua_pop(L, 1); /* (the string stays in the block) */
    if (j == k || m == 0 || o[0] != t[0]) continue;
    if (m > n + 3 && m <= n + 60 && memcmp(o, t, n) == 0) {
      const unsigned char *rest = o + n;
      size_t rl = m - n, p;
      int hit = 0;
      if (rest[0] == ':' && rest[1] == ' ' && !c_space(rest[2])) hit = 1;
      else if (rest[0] == ' ' && rest[1] == '(') hit = 1;
      else if (rest[0] == ' ') {
        for (p = 1; p < rl && c_lower(rest[p]); p++) {}
        if (p > 1 && p + 1 < rl && rest[p] == ' ' && c_digit(rest[p + 1])) hit = 1;
        if (!hit && rest[rl - 1] != '.') {
          for (p = 1; p < rl && c_word_byte(rest[p]); p++) {}
          if (p > 1 && p + 1 < rl && rest[p] == ' ' && c_word_byte(rest[p + 1])) hit = 1;
        }
      }
      if (hit) {
        shorter = 1;
        break;
      }
    }
    if (n > m + 1 && m >= 12 && memcmp(t, o, m) == 0 && t[m] == ' ') {
      size_t p = m + 1;
      while (p < n && c_lower(t[p])) p++;
      if (p == n) images++;
    }
  }
  *shorter_out = shorter;
  return images;
}

static int l_short_forms(lua_State *L) {
  Texts tx;
  size_t n;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lua_Integer k = luaL_checkinteger(L, 2), lo, hi, images;
  int shorter;
  texts_arg(L, 3, &tx);
  lo = luaL_checkinteger(L, 4);
  hi = luaL_checkinteger(L, 5);
  lua_settop(L, 5);
  images = short_forms(L, &tx, t, n, k, lo, hi, &shorter);
  lua_pushinteger(L, images);
  lua_pushboolean(L, shorter);
  return 2;
}

/* The text t[0..len) as the lede text has it, into out (room for len + 1
 * bytes), after a space when `space`: the bytes written. */
static size_t lede_into(char *out, const unsigned char *t, size_t len, int space) {
  size_t q, o = 0;
  if (space) out[o++] = ' ';
  for (q = 0; q < len; q++) {
    unsigned char c = t[q];
    if (q + 8 <= len) {
      /* eight ASCII bytes at once: a byte's bit 7 after adding 0x3F is
       * set from 'A' on, after adding 0x25 from '[' on (no carry between
       * bytes under 0x80); the difference, moved to bit 5, lowers A..Z */
      uint64_t x, up;
      memcpy(&x, t + q, 8);
      if ((x & 0x8080808080808080u) == 0) {
        up = (x + 0x3F3F3F3F3F3F3F3Fu) & ~(x + 0x2525252525252525u) & 0x8080808080808080u;
        x |= up >> 2;
        memcpy(out + o, &x, 8);
        o += 8;
        q += 7;
        continue;
      }
    }
    if (c == 0xE2 && q + 2 < len && t[q + 1] == 0x80 && t[q + 2] == 0x99) {
      out[o++] = '\'';
      q += 2;
    } else {
      out[o++] = (char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
    }
  }
  return o;
}

/* Adds t[0..len) to b in ASCII lower case, U+2019 as "'", after a space
 * when `space`. */
static void add_lede_text(luaL_Buffer *b, const unsigned char *t, size_t len, int space) {
#if LUA_VERSION_NUM >= 502
  /* (written in place: the apostrophes only shorten the text) */
  luaL_addsize(b, lede_into(luaL_prepbuffsize(b, len + 1), t, len, space));
#else
  size_t q;
  if (space) luaL_addchar(b, ' ');
  for (q = 0; q < len; q++) {
    unsigned char c = t[q];
    if (c == 0xE2 && q + 2 < len && t[q + 1] == 0x80 && t[q + 2] == 0x99) {
      luaL_addchar(b, '\'');
      q += 2;
    } else {
      luaL_addchar(b, (char)((unsigned)(c - 'A') < 26u ? c + 32 : c));
    }
  }
#endif
}

/* core.lede_text(blocks, flat, cls, first, max_words) -> string
 * The article's first paragraphs: the texts of the blocks k from `first` on
 * with cls[k] == "good", joined by spaces, up to the one that brings their
 * words (flat) to max_words or more; in ASCII lower case, U+2019 as "'",
 * with a space at either end. */
static int l_lede_text(lua_State *L) {
  Texts tx;
  lua_Integer n, nb, k, first;
  double words = 0, max_words;
  const BlockF *bf;
  const Labels *cl;
  luaL_Buffer buf;
  int parts = 0;
  texts_arg(L, 1, &tx);
  bf = check_flat(L, 2, &n);
  cl = (const Labels *)luaL_testudata(L, 3, LABELS_MT);
  if (cl == NULL) luaL_checktype(L, 3, LUA_TTABLE);
  first = luaL_checkinteger(L, 4);
  max_words = (double)luaL_checknumber(L, 5);
  lua_settop(L, 5);
  nb = (lua_Integer)texts_len(L, &tx);
  if (nb > n) return luaL_error(L, "lede_text: flat is not of these blocks");
  if (first < 1) first = 1;
  luaL_buffinit(L, &buf);
  luaL_addchar(&buf, ' ');
  for (k = first; k <= nb; k++) {
    size_t len;
    const unsigned char *t;
    int good;
    if (cl != NULL) {
      good = k <= cl->n && cl->v[k] == S_GOOD;
    } else {
      lua_rawgeti(L, 3, k);
      good = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "good") == 0;
      lua_pop(L, 1);
    }
    if (!good) continue;
    t = (const unsigned char *)texts_get(L, &tx, k, &len);
    /* (the text is held by its block: the stack is left to the buffer) */
    lua_pop(L, 1);
    add_lede_text(&buf, t, len, parts++ > 0);
    words += bf[k - 1].words;
    if (words >= max_words) break;
  }
  luaL_addchar(&buf, ' ');
  luaL_pushresult(&buf);
  return 1;
}

static int c_alnum(unsigned char c) { return c < 128 && c_word_byte(c); }

/* core.title_text(t) -> year, brackets, pause, caption, photo, crumb
 * The title picker's tests of a line's text (Lua pattern terms):
 * year: a year of four digits starting with 1 or 2 alone
 * (%f[%w][12]%d%d%d%f[%W]); brackets: no [ nor ], or a headline's note at
 * its end (^[^%[%]]+%s%[%u[^%[%]]* [^%[%]]*%]$); pause: no . : ; , at its
 * end, or an initial's ".X." there; caption: a credit in brackets after a
 * sentence at its end: ".", "!" or "?", white space, then "(", a "/"
 * and ")" at the end, with no other bracket inside); photo: "(Photo " or
 * "(photos:" (%([Pp]hotos?[%s:]); crumb: a breadcrumb's " » " or " › ", or
 * a phrase twice ("Reviews Reviews"). title_text_of gives them in out[0..5],
 * in that order. */
static void title_text_of(const unsigned char *t, size_t n, int out[6]) {
  size_t i, b = 0;
  int year = 0, brackets = 1, pause = 1, caption = 0, photo = 0, crumb = 0, bracket = 0;
  unsigned char last = n > 0 ? t[n - 1] : 0;
  /* one pass for the tests that look for a byte: a year's first digit, the
   * first bracket, a photo's "(", a breadcrumb's space */
  for (i = 0; i < n; i++) {
    unsigned char c = t[i];
    if (c > '[') {
      if (c == ']' && !bracket) {
        bracket = 1;
        b = i;
      }
      continue;
    }
    switch (c) {
    case '1':
    case '2':
      if (!year && i + 4 <= n && (i == 0 || !c_alnum(t[i - 1])) && c_digit(t[i + 1]) && c_digit(t[i + 2]) &&
          c_digit(t[i + 3]) && (i + 4 == n || !c_alnum(t[i + 4])))
        year = 1;
      break;
    case '[':
      if (!bracket) {
        bracket = 1;
        b = i;
      }
      break;
    case '(':
      if (!photo && i + 6 <= n && (t[i + 1] == 'P' || t[i + 1] == 'p') && memcmp(t + i + 2, "hoto", 4) == 0) {
        size_t j = i + 6;
        if (j < n && t[j] == 's') j++;
        if (j < n && (c_space(t[j]) || t[j] == ':')) photo = 1;
      }
      break;
    case ' ':
      if (!crumb && i + 4 <= n &&
          ((t[i + 1] == 0xC2 && t[i + 2] == 0xBB && t[i + 3] == ' ') ||
           (i + 5 <= n && t[i + 1] == 0xE2 && t[i + 2] == 0x80 && t[i + 3] == 0xBA && t[i + 4] == ' ')))
        crumb = 1;
      break;
    default:
      break;
    }
  }
  if (bracket) {
    /* the first bracket opens the note, after a space; the last byte
     * closes it; a capital, then a space inside */
    size_t q;
    int space = 0;
    brackets = 0;
    if (t[b] == '[' && b >= 2 && c_space(t[b - 1]) && b + 1 < n && t[b + 1] >= 'A' && t[b + 1] <= 'Z' &&
        n >= b + 4 && t[n - 1] == ']') {
      brackets = 1;
      for (q = b + 2; q + 1 < n; q++) {
        if (t[q] == '[' || t[q] == ']') { brackets = 0; break; }
        if (t[q] == ' ') space = 1;
      }
      if (!space) brackets = 0;
    }
  }
  if (last == '.' || last == ':' || last == ';' || last == ',')
    pause = n >= 3 && t[n - 3] == '.' && t[n - 2] >= 'A' && t[n - 2] <= 'Z' && t[n - 1] == '.';
  if (last == ')' && n >= 2) {
    size_t o = n - 1, q;
    while (o > 0 && t[o - 1] != '(' && t[o - 1] != ')') o--;
    if (o > 0 && t[o - 1] == '(') {
      /* '(' at o - 1: a slash inside, a sentence end before it */
      int slash = 0;
      for (q = o; q + 1 < n; q++) slash |= t[q] == '/';
      if (slash) {
        q = o - 1;
        while (q > 0 && c_space(t[q - 1])) q--;
        if (q > 0 && (t[q - 1] == '.' || t[q - 1] == '!' || t[q - 1] == '?')) caption = 1;
      }
    }
  }
  if (!crumb && n % 2 == 1 && t[(n - 1) / 2] == ' ' && memcmp(t, t + (n + 1) / 2, (n - 1) / 2) == 0) crumb = 1;
  out[0] = year;
  out[1] = brackets;
  out[2] = pause;
  out[3] = caption;
  out[4] = photo;
  out[5] = crumb;
}

static int l_title_text(lua_State *L) {
  size_t n;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 1, &n);
  int out[6], q;
  title_text_of(t, n, out);
  for (q = 0; q < 6; q++) lua_pushboolean(L, out[q]);
  return 6;
}

/* Whether the n bytes at p occur in the len bytes at s (plain; n == 0:
 * yes). */
static int plain_in(const unsigned char *s, size_t len, const unsigned char *p, size_t n) {
  size_t from = 0;
  if (n == 0) return 1;
  while (n <= len && from <= len - n) {
    const unsigned char *hit = (const unsigned char *)memchr(s + from, p[0], len - n - from + 1);
    if (hit == NULL) return 0;
    if (memcmp(hit, p, n) == 0) return 1;
    from = (size_t)(hit - s) + 1;
  }
  return 0;
}

/* core.name_hits(t, blocks, kind, from, to) -> integer
 * How many blocks j of from..to, 8 bytes longer than t or more and whose
 * kind[j] is neither "related" nor "navigation", hold the text t. */
static lua_Integer name_hits(lua_State *L, const Texts *tx, const unsigned char *t, size_t n, int kind,
                             lua_Integer from, lua_Integer to) {
  lua_Integer j, hits = 0;
  for (j = from; j <= to; j++) {
    size_t m;
    const unsigned char *o = (const unsigned char *)texts_get(L, tx, j, &m);
    lua_pop(L, 1); /* (the string stays in the block) */
    if (m < n + 8) continue;
    if (lua_rawgeti(L, kind, j) == LUA_TSTRING) {
      const char *kd = lua_tostring(L, -1);
      int skip = strcmp(kd, "related") == 0 || strcmp(kd, "navigation") == 0;
      lua_pop(L, 1);
      if (skip) continue;
    } else {
      lua_pop(L, 1);
    }
    if (plain_in(o, m, t, n)) hits++;
  }
  return hits;
}

static int l_name_hits(lua_State *L) {
  Texts tx;
  size_t n;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lua_Integer from, to;
  texts_arg(L, 2, &tx);
  luaL_checktype(L, 3, LUA_TTABLE);
  from = luaL_checkinteger(L, 4);
  to = luaL_checkinteger(L, 5);
  lua_settop(L, 5);
  lua_pushinteger(L, name_hits(L, &tx, t, n, 3, from, to));
  return 1;
}

static int c_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* core.word_in(t, set) -> boolean
 * Whether a run of ASCII letters and "-" of t, in ASCII lower case, is a
 * word of `set` (a lede.WordSet made with exact = true): what
 * `t:lower():gmatch("[%a%-]+")` gives in the C locale, looked up in a set
 * of those words. Raises on a folded set. */
static int word_in(const unsigned char *s, size_t n, const WordSet *set) {
  size_t p = 0;
  char buf[256];
  while (p < n) {
    size_t b, len;
    if ((unsigned)(s[p] | 0x20) - 'a' >= 26u && s[p] != '-') { p++; continue; }
    b = p;
    while (p < n && ((unsigned)(s[p] | 0x20) - 'a' < 26u || s[p] == '-')) p++;
    len = p - b;
    /* (an exact set holds words of 255 bytes at most) */
    if (len < sizeof buf) {
      size_t q;
      for (q = 0; q < len; q++) buf[q] = (char)(s[b + q] | (s[b + q] == '-' ? 0 : 0x20));
      if (ws_has(set, buf, len)) return 1;
    }
  }
  return 0;
}

static int l_word_in(lua_State *L) {
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  const WordSet *set = (const WordSet *)luaL_checkudata(L, 2, WORDSET_MT);
  if (!set->exact) return luaL_error(L, "word_in: the set must be made with exact = true");
  lua_pushboolean(L, word_in(s, n, set));
  return 1;
}

/* core.word_repeats(t, set) -> 0 | 1 | 2 | nil
 * The title picker's test of a menu in t's runs of ASCII letters, in lower
 * case and in order (what `t:lower():gmatch("%a+")` gives in the C locale):
 * 1 when a run comes a third time, 2 when a second run is a word of `set`
 * (a lede.WordSet), whichever comes first; else 0. nil when t has more than
 * WR_MAX distinct runs (the caller counts them itself). */
#define WR_MAX 96
#define WR_SLOTS 128
typedef struct { size_t b, len; int count; } WrSlot;

/* word_repeats in a table of cap slots (a power of two) holding at most
 * max runs: 0, 1 or 2, or -1 when t has more distinct runs. */
static int word_repeats(const unsigned char *s, size_t n, const WordSet *set, WrSlot *slot, size_t cap,
                        size_t max) {
  size_t p = 0, used = 0, q;
  int ctas = 0;
  for (q = 0; q < cap; q++) slot[q].len = 0;
  while (p < n) {
    size_t b, len, k;
    uint32_t h = 2166136261u;
    size_t at;
    if ((unsigned)(s[p] | 0x20) - 'a' >= 26u) { p++; continue; }
    b = p;
    while (p < n && (unsigned)(s[p] | 0x20) - 'a' < 26u) {
      h ^= (uint32_t)(s[p] | 0x20);
      h *= 16777619u;
      p++;
    }
    len = p - b;
    /* (its slot: the same run in lower case, or an empty one) */
    at = h & (cap - 1);
    for (;;) {
      if (slot[at].len == 0) break;
      if (slot[at].len == len) {
        for (k = 0; k < len && (s[slot[at].b + k] | 0x20) == (s[b + k] | 0x20); k++) {}
        if (k == len) break;
      }
      at = (at + 1) & (cap - 1);
    }
    if (slot[at].len == 0) {
      if (used == max) return -1;
      used++;
      slot[at].b = b;
      slot[at].len = len;
      slot[at].count = 0;
    }
    if (++slot[at].count == 3) return 1;
    if (len <= FEAT_MAX_WORD) {
      char buf[FEAT_MAX_WORD];
      for (k = 0; k < len; k++) buf[k] = (char)(s[b + k] | 0x20);
      if (ws_has(set, buf, len) && ++ctas == 2) return 2;
    }
  }
  return 0;
}

static int l_word_repeats(lua_State *L) {
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  const WordSet *set = (const WordSet *)luaL_checkudata(L, 2, WORDSET_MT);
  WrSlot slot[WR_SLOTS];
  int r = word_repeats(s, n, set, slot, WR_SLOTS, WR_MAX);
  if (r < 0) lua_pushnil(L);
  else lua_pushinteger(L, r);
  return 1;
}

/* core.title_shape(t) -> numbered, first, by, colon, lower, by_por
 * More of the title picker's tests of a line (Lua pattern terms): numbered
 * is 1 for a list item's number (^%d+[.)]%s), 2 for a number and a word
 * (^%d+%s+%a), else 0; first: its leading ASCII letters in lower case
 * (^(%a+)), or nil; by: " By Jane" inside it (%sB[yY]%s+%u); colon: it
 * holds ":"; lower: it starts with a lower-case ASCII letter; by_por: it
 * holds "by" or "por" in any ASCII case ([Bb][Yy], [Pp][Oo][Rr]). */
/* title_shape's results: numbered, the length of first (0: nil), by,
 * colon, lower, by_por. */
typedef struct {
  int numbered, by, colon, lower, by_por;
  size_t first;
} TitleShape;

static void title_shape(const unsigned char *t, size_t n, TitleShape *o) {
  size_t i, d;
  int numbered = 0, by = 0;
  for (d = 0; d < n && c_digit(t[d]); d++) {}
  if (d > 0 && d + 1 < n && (t[d] == '.' || t[d] == ')') && c_space(t[d + 1])) numbered = 1;
  else if (d > 0 && d < n && c_space(t[d])) {
    size_t q = d;
    while (q < n && c_space(t[q])) q++;
    if (q < n && c_alpha(t[q])) numbered = 2;
  }
  o->numbered = numbered;
  for (i = 0; i < n && c_alpha(t[i]); i++) {}
  o->first = i;
  for (i = 0; i + 4 < n && !by; i++) {
    if (c_space(t[i]) && t[i + 1] == 'B' && (t[i + 2] == 'y' || t[i + 2] == 'Y') && c_space(t[i + 3])) {
      size_t q = i + 3;
      while (q < n && c_space(t[q])) q++;
      if (q < n && t[q] >= 'A' && t[q] <= 'Z') by = 1;
    }
  }
  o->by = by;
  o->colon = memchr(t, ':', n) != NULL;
  o->lower = n > 0 && t[0] >= 'a' && t[0] <= 'z';
  by = 0;
  for (i = 0; i + 1 < n && !by; i++) {
    unsigned char c = (unsigned char)(t[i] | 0x20), e = (unsigned char)(t[i + 1] | 0x20);
    if ((c == 'b' && e == 'y') || (c == 'p' && e == 'o' && i + 2 < n && (t[i + 2] | 0x20) == 'r')) by = 1;
  }
  o->by_por = by;
}

static int l_title_shape(lua_State *L) {
  size_t n;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 1, &n);
  TitleShape o;
  title_shape(t, n, &o);
  lua_pushinteger(L, o.numbered);
  if (o.first > 0) {
    luaL_Buffer b;
    size_t q;
    luaL_buffinit(L, &b);
    for (q = 0; q < o.first; q++) luaL_addchar(&b, (char)(t[q] | 0x20));
    luaL_pushresult(&b);
  } else {
    lua_pushnil(L);
  }
  lua_pushboolean(L, o.by);
  lua_pushboolean(L, o.colon);
  lua_pushboolean(L, o.lower);
  lua_pushboolean(L, o.by_por);
  return 6;
}

/* A digit's byte for core.may_date: an ASCII digit or any byte of a
 * multi-byte character. */
static int date_digit_byte(unsigned char c) { return c >= 128 || c_digit(c); }

/* An ASCII byte in lower case. */
static unsigned char date_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

/* Whether t holds a month's three letters in any case, as a caseless
 * pattern matches them ("ſ", U+017F, stands for "s"). */
static int date_month(const unsigned char *t, size_t n) {
  size_t i;
  for (i = 0; i + 2 < n; i++) {
    unsigned char a = date_lower(t[i]), b, c;
    if (a == 0xC5) {
      if (t[i + 1] == 0xBF && i + 3 < n && date_lower(t[i + 2]) == 'e' && date_lower(t[i + 3]) == 'p')
        return 1;
      continue;
    }
    if (a < 'a' || a > 's') continue;
    b = date_lower(t[i + 1]);
    c = date_lower(t[i + 2]);
    switch (a) {
    case 'j': if ((b == 'a' && c == 'n') || (b == 'u' && (c == 'n' || c == 'l'))) return 1; break;
    case 'f': if (b == 'e' && c == 'b') return 1; break;
    case 'm': if (b == 'a' && (c == 'r' || c == 'y')) return 1; break;
    case 'a': if ((b == 'p' && c == 'r') || (b == 'u' && c == 'g')) return 1; break;
    case 's': if (b == 'e' && c == 'p') return 1; break;
    case 'o': if (b == 'c' && c == 't') return 1; break;
    case 'n': if (b == 'o' && c == 'v') return 1; break;
    case 'd': if (b == 'e' && c == 'c') return 1; break;
    default: break;
    }
  }
  return 0;
}

static int date_sep(unsigned char c) { return c == '.' || c == '/' || c == '-'; }

/* core.may_date(t) -> boolean
 * Whether the title picker's date pattern may find a date in t: it holds
 * "19" or "20" (a year) and a month's three letters in any case, or two
 * of ".", "/" or "-" around one or two digits, a digit before the first
 * and after the second (in bytes: ASCII digits or bytes above 127, 1 to 8
 * of them between, as for two digits of four bytes). */
static int may_date(const unsigned char *t, size_t n) {
  size_t i;
  int year = 0;
  for (i = 0; i + 1 < n; i++) {
    unsigned char c = t[i];
    if ((c == '1' && t[i + 1] == '9') || (c == '2' && t[i + 1] == '0')) year = 1;
    else if (i > 0 && date_sep(c) && date_digit_byte(t[i - 1]) && date_digit_byte(t[i + 1])) {
      size_t q = i + 1;
      while (q < n && q - i <= 8 && date_digit_byte(t[q])) q++;
      if (q - i - 1 <= 8 && q + 1 < n && date_sep(t[q]) && date_digit_byte(t[q + 1])) return 1;
    }
  }
  return year && date_month(t, n);
}

static int l_may_date(lua_State *L) {
  size_t n;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lua_pushboolean(L, may_date(t, n));
  return 1;
}

/* core.header_below(flat, kind, from, to) -> j, sure | nil
 * The first block j of from..to (within the document) that is a date or
 * byline line for the title: kind[j] is "byline" or "dateline" (sure is
 * true), or block j has no kind, 12 words or fewer, a number word, and a
 * text that may hold a date (core.may_date; sure is false: the caller's
 * date pattern decides). A block with another kind is none. nil when no
 * block is. */
static int l_header_below(lua_State *L) {
  lua_Integer n, j, from, to;
  const BlockF *bf = check_flat(L, 1, &n);
  const char *dateline, *byline;
  luaL_checktype(L, 2, LUA_TTABLE);
  from = luaL_checkinteger(L, 3);
  to = luaL_checkinteger(L, 4);
  lua_settop(L, 2);
  dateline = SP(K_DATELINE);
  byline = SP(K_BYLINE);
  if (from < 1) from = 1;
  if (to > n) to = n;
  for (j = from; j <= to; j++) {
    const BlockF *f = &bf[j - 1];
    int t = lua_rawgeti(L, 2, j);
    const char *v = top_str(L, t);
    int some = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (v == dateline || v == byline) {
      lua_pushinteger(L, j);
      lua_pushboolean(L, 1);
      return 2;
    }
    if (some) continue;
    if (f->words <= 12 && f->number_words > 0 && f->text != NULL &&
        may_date((const unsigned char *)f->text, f->text_len)) {
      lua_pushinteger(L, j);
      lua_pushboolean(L, 0);
      return 2;
    }
  }
  lua_pushnil(L);
  return 1;
}

/* A list item of toc_entries: its text is t[0..len) (in a block's text). */
typedef struct {
  const unsigned char *t;
  size_t len;
  uint32_t hash;
  lua_Integer last;  /* the last block (from lo on) with this text, 0: none */
  lua_Integer set;   /* the block after the first table of contents listing it, 0: none */
  lua_Integer first; /* the first item with the same text (itself when distinct) */
} TocItem;

/* A run of list items: items[from..to). */
typedef struct {
  lua_Integer from, to, e;
} TocRun;

/* core.toc_entries(blocks, flat, lo, hi) -> table
 * The entries of the tables of contents between blocks lo and hi: runs of
 * list items (bullet), each item's text after its mark ("^%S+%s+", white
 * space at the end left out, and "^%d+[.)]%s+" after it), two or more a
 * run, two or more of which come back as the text of a block below the
 * run (the last such block from lo on): each entry's text -> the block
 * after its (first such) run. */
static int l_toc_entries(lua_State *L) {
  Texts tx;
  lua_Integer n, lo, hi, j, nitems = 0, nruns = 0, q, r, distinct = 0, cap, slots, nb;
  const BlockF *bf;
  TocItem *items;
  TocRun *runs;
  lua_Integer *table;
  size_t minlen = (size_t)-1, maxlen = 0;
  texts_arg(L, 1, &tx);
  bf = check_flat(L, 2, &n);
  lo = luaL_checkinteger(L, 3);
  hi = luaL_checkinteger(L, 4);
  lua_settop(L, 4);
  if (lo < 1) lo = 1;
  if (hi > n) hi = n;
  cap = hi >= lo ? hi - lo + 1 : 0;
  if (cap > 0x1000000) return luaL_error(L, "toc_entries: too many blocks");
  /* (no list item: no table of contents, and nothing to allocate) */
  for (j = lo; j <= hi && !bf[j - 1].bullet; j++) {}
  if (j > hi) {
    lua_createtable(L, 0, 0);
    return 1;
  }
  for (slots = 4; slots < 2 * cap; slots *= 2) {}
  items = (TocItem *)lua_newuserdatauv(L, (size_t)(cap > 0 ? cap : 1) * sizeof *items, 0); /* 5 */
  runs = (TocRun *)lua_newuserdatauv(L, (size_t)(cap > 0 ? cap : 1) * sizeof *runs, 0);    /* 6 */
  table = (lua_Integer *)lua_newuserdatauv(L, (size_t)slots * sizeof *table, 0);           /* 7 */
  memset(table, 0, (size_t)slots * sizeof *table);
  /* the runs and their items */
  j = lo;
  while (j <= hi) {
    lua_Integer e = j, from = nitems;
    if (!bf[j - 1].bullet) { j++; continue; }
    while (e <= hi && bf[e - 1].bullet) {
      size_t m, p = 0, b, end;
      const unsigned char *o = (const unsigned char *)texts_get(L, &tx, e, &m);
      lua_pop(L, 1); /* (the string stays in the block) */
      while (p < m && !c_space(o[p])) p++;
      if (p > 0 && p < m) {
        while (p < m && c_space(o[p])) p++;
        b = p;
        end = m;
        while (end > b && c_space(o[end - 1])) end--;
        if (b < end && c_digit(o[b])) {
          size_t d = b;
          while (d < end && c_digit(o[d])) d++;
          if (d < end && (o[d] == '.' || o[d] == ')') && d + 1 < end && c_space(o[d + 1])) {
            d++;
            while (d < end && c_space(o[d])) d++;
            b = d;
          }
        }
        items[nitems].t = o + b;
        items[nitems].len = end - b;
        items[nitems].last = 0;
        items[nitems].set = 0;
        nitems++;
      }
      e++;
    }
    if (nitems - from >= 2) {
      runs[nruns].from = from;
      runs[nruns].to = nitems;
      runs[nruns].e = e;
      nruns++;
    } else {
      nitems = from;
    }
    j = e;
  }
  lua_createtable(L, 0, 0);
  if (nruns == 0) return 1;
  /* the distinct texts, hashed */
  for (q = 0; q < nitems; q++) {
    TocItem *it = &items[q];
    uint32_t h = hash_bytes((const char *)it->t, it->len);
    lua_Integer s = (lua_Integer)(h & (uint32_t)(slots - 1));
    it->hash = h;
    it->first = q;
    while (table[s]) {
      const TocItem *o = &items[table[s] - 1];
      if (o->hash == h && o->len == it->len && memcmp(o->t, it->t, it->len) == 0) {
        it->first = table[s] - 1;
        break;
      }
      s = (s + 1) & (slots - 1);
    }
    if (it->first == q) {
      table[s] = q + 1;
      distinct++;
      if (it->len < minlen) minlen = it->len;
      if (it->len > maxlen) maxlen = it->len;
    }
  }
  /* each text's last block, from the end up to lo */
  nb = (lua_Integer)texts_len(L, &tx);
  for (j = nb; j >= lo && distinct > 0; j--) {
    size_t m;
    const unsigned char *o = (const unsigned char *)texts_get(L, &tx, j, &m);
    lua_pop(L, 1);
    if (m >= minlen && m <= maxlen) {
      uint32_t h = hash_bytes((const char *)o, m);
      lua_Integer s = (lua_Integer)(h & (uint32_t)(slots - 1));
      while (table[s]) {
        TocItem *it = &items[table[s] - 1];
        if (it->hash == h && it->len == m && memcmp(it->t, o, m) == 0) {
          if (it->last == 0) {
            it->last = j;
            distinct--;
          }
          break;
        }
        s = (s + 1) & (slots - 1);
      }
    }
  }
  /* the runs two of whose items come back below them */
  for (r = 0; r < nruns; r++) {
    lua_Integer back = 0;
    for (q = runs[r].from; q < runs[r].to; q++)
      if (items[items[q].first].last >= runs[r].e) back++;
    if (back < 2) continue;
    for (q = runs[r].from; q < runs[r].to; q++) {
      TocItem *d = &items[items[q].first];
      if (d->set == 0) {
        d->set = runs[r].e;
        lua_pushlstring(L, (const char *)d->t, d->len);
        lua_pushinteger(L, d->set);
        lua_rawset(L, -3);
      }
    }
  }
  return 1;
}

/* Pushes a closure of f with the strings of STRINGS as upvalues. */
static void push_with_strings(lua_State *L, lua_CFunction f) {
  int k;
  luaL_checkstack(L, S_COUNT, "too many strings");
  for (k = 0; STRINGS[k] != NULL; k++) lua_pushstring(L, STRINGS[k]);
  lua_pushcclosure(L, f, S_COUNT);
}


/* ---- the title picker's candidates ------------------------------------ */

/* kind[k] (the table at index kind) as the title picker reads it: 0 none
 * (nil or false), 1 "body", 2 "byline" or "dateline", 3 another value. */
static int title_kind(lua_State *L, int kind, lua_Integer k) {
  int t = lua_rawgeti(L, kind, k), r = 3;
  if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) r = 0;
  else if (t == LUA_TSTRING) {
    const char *s = lua_tostring(L, -1);
    if (strcmp(s, "body") == 0) r = 1;
    else if (strcmp(s, "byline") == 0 || strcmp(s, "dateline") == 0) r = 2;
  }
  lua_pop(L, 1);
  return r;
}

/* crumb_last[t] (the table at index cl; has: whether it has any key):
 * whether it is there (neither nil nor false), with its number in *v
 * (*isnum: whether it is one). */
static int title_crumb_last(lua_State *L, int cl, int has, const char *t, size_t n, lua_Number *v,
                            int *isnum) {
  int there;
  *isnum = 0;
  if (!has) return 0;
  lua_pushlstring(L, t, n);
  lua_rawget(L, cl);
  there = lua_toboolean(L, -1);
  if (lua_type(L, -1) == LUA_TNUMBER) {
    *v = lua_tonumber(L, -1);
    *isnum = 1;
  }
  lua_pop(L, 1);
  return there;
}

/* The block number t[q] of the array at stack index t (1..nb); raises
 * "<who>: <what>[q] is no block" otherwise. */
static lua_Integer block_at(lua_State *L, int t, lua_Integer q, lua_Integer nb, const char *who,
                            const char *what) {
  lua_Integer k;
  int isint;
  lua_rawgeti(L, t, q);
  k = lua_tointegerx(L, -1, &isint);
  lua_pop(L, 1);
  if (!isint || k < 1 || k > nb) luaL_error(L, "%s: %s[%d] is no block", who, what, (int)q);
  return k;
}

/* core.title_candidates(flat, kind, cls, range, crumb_last, lo, first_body,
 * max_words, byline, date) -> cand, crumb | cand
 * The title picker's first look at the blocks of `range` (core.title_range,
 * without a URL's slug), as lua/lede/classify.lua says: cand[k] = true for
 * the headline-like ones, crumb[k] = true for the last items of a
 * breadcrumb right above (no crumb: nil). byline and date are lede.Regex:
 * a byline's start and a date line. */
static int l_title_candidates(lua_State *L) {
  Texts tx;
  const FlatFeatures *ff;
  const Labels *cls;
  lua_Integer nr, q, lo, first_body, nb;
  lua_Number max_words;
  int has_cl = 0, crumb = 0;
  texts_arg(L, 1, &tx);
  ff = tx.ff;
  if (ff == NULL) return luaL_argerror(L, 1, "lede.Features expected");
  luaL_checktype(L, 2, LUA_TTABLE);
  cls = (const Labels *)luaL_testudata(L, 3, LABELS_MT);
  if (cls == NULL) luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  luaL_checktype(L, 5, LUA_TTABLE);
  lo = luaL_checkinteger(L, 6);
  first_body = luaL_checkinteger(L, 7);
  max_words = luaL_checknumber(L, 8);
  luaL_checkudata(L, 9, "lede.Regex");
  luaL_checkudata(L, 10, "lede.Regex");
  lua_settop(L, 10);
  nb = ff->n;
  lua_pushnil(L);
  if (lua_next(L, 5)) {
    lua_pop(L, 2);
    has_cl = 1;
  }
  nr = (lua_Integer)lua_rawlen(L, 4);
  lua_createtable(L, 0, 4); /* 11: cand */
  for (q = 1; q <= nr; q++) {
    lua_Integer k;
    const BlockF *f;
    const char *t;
    size_t n;
    double words, sentences, chars, urls, camel, digits, number_words;
    int bullet, kk, far = 0, c, in_crumb = 0, isnum;
    lua_Number v;
    k = block_at(L, 4, q, nb, "title_candidates", "range");
    f = &ff->f[k - 1];
    t = f->text;
    n = f->text_len;
    if (t == NULL) return luaL_error(L, "block %d has no text", (int)k);
    words = f->words;
    sentences = f->sentences;
    chars = f->chars;
    urls = f->urls;
    camel = f->camel;
    digits = f->digits;
    number_words = f->number_words;
    bullet = f->bullet;
    kk = title_kind(L, 2, k);
    /* far up, a byline or date right below (within three blocks) */
    if (k < lo && words >= 4 && sentences == 0) {
      lua_Integer j;
      for (j = k + 1; j <= nb && j <= k + 3 && !far; j++) {
        size_t m;
        const char *o;
        if (title_kind(L, 2, j) == 2) {
          far = 1;
          break;
        }
        o = texts_get(L, &tx, j, &m);
        lua_pop(L, 1);
        far = lede_regex_found(L, 9, o, m);
      }
    }
    /* (far up, with no byline below, the last item of a breadcrumb alone
     * is looked at further) */
    if (k < lo && !far &&
        !(kk == 0 && !bullet &&
          (title_crumb_last(L, 5, has_cl, t, n, &v, &isnum) || (k > 1 && crumb_above(L, &tx, k, t, n)))))
      continue;
    c = (kk == 0 || kk == 1) && words >= 2 && words <= max_words && chars >= 8 && !bullet &&
        !f->menu_like && urls == 0 && camel <= 2;
    if (c) {
      int tt[6], good = 0;
      title_text_of((const unsigned char *)t, n, tt);
      if (k >= first_body) {
        if (cls != NULL) good = k <= cls->n && cls->v[k] == S_GOOD;
        else {
          lua_rawgeti(L, 3, k);
          good = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "good") == 0;
          lua_pop(L, 1);
        }
      }
      c = (digits < chars * 0.3 || (digits == 4 && tt[0])) && tt[1] && tt[2] && !tt[3] && !tt[4] &&
          (k < first_body || !good || sentences == 0) &&
          !(number_words > 0 && may_date((const unsigned char *)t, n) && lede_regex_found(L, 10, t, n)) &&
          !tt[5];
    }
    /* the last item of the breadcrumb right above */
    if (k < first_body && kk == 0 && words >= 1 && words <= max_words && !bullet && urls == 0) {
      in_crumb = crumb_above(L, &tx, k, t, n);
      if (!in_crumb && title_crumb_last(L, 5, has_cl, t, n, &v, &isnum) && isnum && v <= (lua_Number)k &&
          v >= (lua_Number)(k - 4))
        in_crumb = 1;
      if (in_crumb) {
        if (!crumb) {
          lua_createtable(L, 0, 2); /* 12: crumb */
          crumb = 1;
        }
        lua_pushboolean(L, 1);
        lua_rawseti(L, 12, k);
        c = 1;
      }
    }
    if (c && (k < lo || chars < 12) && !in_crumb && !far) c = 0;
    if (c) {
      lua_pushboolean(L, 1);
      lua_rawseti(L, 11, k);
    }
  }
  return crumb ? 2 : 1;
}

/* The first block j of from..to (within the document's n blocks) that may
 * be a date or byline line for the title (core.header_below): 0 when none;
 * *sure as there. */
static lua_Integer header_below_of(lua_State *L, const BlockF *bf, lua_Integer n, int kind, lua_Integer from,
                                   lua_Integer to, int *sure) {
  lua_Integer j;
  if (from < 1) from = 1;
  if (to > n) to = n;
  for (j = from; j <= to; j++) {
    const BlockF *f = &bf[j - 1];
    int kk = title_kind(L, kind, j);
    if (kk == 2) {
      *sure = 1;
      return j;
    }
    if (kk != 0) continue;
    if (f->words <= 12 && f->number_words > 0 && f->text != NULL &&
        may_date((const unsigned char *)f->text, f->text_len)) {
      *sure = 0;
      return j;
    }
  }
  return 0;
}

/* Whether the table at index t has any key. */
static int has_keys(lua_State *L, int t) {
  lua_pushnil(L);
  if (lua_next(L, t)) {
    lua_pop(L, 2);
    return 1;
  }
  return 0;
}

/* t[k] (the table at index t) as a number: whether it is one. */
static int num_at(lua_State *L, int t, lua_Integer k, lua_Number *v) {
  int isnum = lua_rawgeti(L, t, k) == LUA_TNUMBER;
  if (isnum) *v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return isnum;
}

/* Whether t[k] (the table at index t) is neither nil nor false. */
static int true_at(lua_State *L, int t, lua_Integer k) {
  int r;
  lua_rawgeti(L, t, k);
  r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* The title picker's weights (core.title_weights): what each sign adds to
 * a candidate's score (a negative weight lowers it), from the Lua table
 * lua/lede/classify.lua keeps. */
#define TITLE_WEIGHTS_MT "lede.TitleWeights"
#define TW_FIELDS(X) \
  X(base) X(four_words) X(title_case) X(stopword) X(no_stopword_short) X(no_stopword) X(no_lower_word) \
  X(distance) X(distance_far) X(first_body) X(crumb_short) X(crumb) X(crumb_after) X(in_toc) \
  X(below_article) X(below_anchor_next) X(below_anchor) X(header_below) X(header_below_step) X(repeated) \
  X(numbered) X(number_and_word) X(call_to_action) X(sponsor) X(byline) X(site_name) X(repeats_word) \
  X(cta_words) X(section_labels) X(glued_word) X(job_title) X(kicker) X(subtitle_next) X(subtitle) \
  X(below_title_case) X(lower_case) X(slug) X(name_after) X(author_beside_byline) X(title_line) \
  X(image) X(longer_form)
#define TW_ENUM(name) TW_##name,
#define TW_NAME(name) #name,
enum { TW_FIELDS(TW_ENUM) TW_COUNT };
static const char *const TW_NAMES[] = { TW_FIELDS(TW_NAME) NULL };

typedef struct {
  lua_Number w[TW_COUNT];
} TitleWeights;

/* core.title_weights(t) -> lede.TitleWeights: every weight of TW_NAMES, a
 * number, and nothing else. */
static int l_title_weights(lua_State *L) {
  TitleWeights *tw;
  int k;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  tw = (TitleWeights *)lua_newuserdatauv(L, sizeof *tw, 0);
  luaL_setmetatable(L, TITLE_WEIGHTS_MT);
  for (k = 0; k < TW_COUNT; k++) {
    lua_getfield(L, 1, TW_NAMES[k]);
    if (lua_type(L, -1) != LUA_TNUMBER)
      return luaL_error(L, "title_weights: weight '%s' must be a number, got %s", TW_NAMES[k], luaL_typename(L, -1));
    tw->w[k] = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    int known = 0;
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "title_weights: a weight's name must be a string, got %s", luaL_typename(L, -1));
    for (k = 0; k < TW_COUNT && !known; k++) known = strcmp(lua_tostring(L, -1), TW_NAMES[k]) == 0;
    if (!known) return luaL_error(L, "title_weights: unknown weight '%s'", lua_tostring(L, -1));
  }
  return 1;
}

static int title_weights_tostring(lua_State *L) {
  luaL_checkudata(L, 1, TITLE_WEIGHTS_MT);
  lua_pushliteral(L, TITLE_WEIGHTS_MT);
  return 1;
}

/* Arguments of core.title_scores. */
enum {
  TS_FLAT = 1, TS_KIND, TS_RANGE, TS_CAND, TS_CRUMB, TS_AFTER, TS_TOC, TS_SIM, TS_ANCHOR, TS_LO,
  TS_FIRST, TS_DATE, TS_CTA_START, TS_SPONSOR, TS_BYLINE, TS_CTA, TS_CTA_WORDS, TS_ROLES, TS_WEIGHTS,
  TS_TOP = TS_WEIGHTS
};

/* core.title_scores(flat, kind, range, cand, crumb, crumb_after, toc, sim,
 * anchor, lo, first_body, date, cta_start, sponsor, byline, cta, cta_words,
 * roles, weights) -> list, n
 * The title picker's scores of its candidates (the blocks k of range with
 * cand[k]), with the weights of lua/lede/classify.lua: n of them, highest first (then
 * in order of k), in list as k, score in turn (nil when none); cand[k] set
 * to nil for those below first_body the page does not repeat. */
static int l_title_scores(lua_State *L) {
  Texts tx;
  const FlatFeatures *ff;
  const BlockF *bf;
  const WordSet *cta, *cta_words, *roles;
  const lua_Number *w;
  lua_Integer nr, q, lo, first_body, nb, anchor = 0, n_list = 0;
  int has_anchor, has_toc;
  lua_Integer *lk;
  lua_Number *ls;
  texts_arg(L, TS_FLAT, &tx);
  ff = tx.ff;
  if (ff == NULL) return luaL_argerror(L, TS_FLAT, "lede.Features expected");
  bf = ff->f;
  nb = ff->n;
  luaL_checktype(L, TS_KIND, LUA_TTABLE);
  luaL_checktype(L, TS_RANGE, LUA_TTABLE);
  luaL_checktype(L, TS_CAND, LUA_TTABLE);
  luaL_checktype(L, TS_CRUMB, LUA_TTABLE);
  luaL_checktype(L, TS_AFTER, LUA_TTABLE);
  luaL_checktype(L, TS_TOC, LUA_TTABLE);
  luaL_checktype(L, TS_SIM, LUA_TTABLE);
  has_anchor = !lua_isnoneornil(L, TS_ANCHOR);
  if (has_anchor) anchor = luaL_checkinteger(L, TS_ANCHOR);
  lo = luaL_checkinteger(L, TS_LO);
  first_body = luaL_checkinteger(L, TS_FIRST);
  luaL_checkudata(L, TS_DATE, "lede.Regex");
  luaL_checkudata(L, TS_CTA_START, "lede.Regex");
  luaL_checkudata(L, TS_SPONSOR, "lede.Regex");
  luaL_checkudata(L, TS_BYLINE, "lede.Regex");
  cta = (const WordSet *)luaL_checkudata(L, TS_CTA, WORDSET_MT);
  cta_words = (const WordSet *)luaL_checkudata(L, TS_CTA_WORDS, WORDSET_MT);
  roles = (const WordSet *)luaL_checkudata(L, TS_ROLES, WORDSET_MT);
  w = ((const TitleWeights *)luaL_checkudata(L, TS_WEIGHTS, TITLE_WEIGHTS_MT))->w;
  if (!cta->exact || !roles->exact) return luaL_error(L, "title_scores: cta and roles must be exact sets");
  lua_settop(L, TS_TOP);
  has_toc = has_keys(L, TS_TOC);
  nr = (lua_Integer)lua_rawlen(L, TS_RANGE);
  if (nr < 0 || nr > 0x1000000) return luaL_error(L, "title_scores: too many lines");
  /* (the list, k and score, in a scratch userdata: TS_TOP + 1) */
  lk = (lua_Integer *)lua_newuserdatauv(L, (size_t)(nr > 0 ? nr : 1) * (sizeof *lk + sizeof *ls), 0);
  ls = (lua_Number *)(void *)(lk + (nr > 0 ? nr : 1));
  for (q = 1; q <= nr; q++) {
    lua_Integer k, h, j, jlo;
    const BlockF *f;
    const unsigned char *t;
    size_t n;
    double words, title_share, stopwords, commas, sentences, camel;
    lua_Number score = w[TW_base], v;
    int repeated = 0, sure;
    TitleShape sh;
    k = block_at(L, TS_RANGE, q, nb, "title_scores", "range");
    if (!true_at(L, TS_CAND, k)) continue;
    f = &bf[k - 1];
    t = (const unsigned char *)f->text;
    n = f->text_len;
    if (t == NULL) return luaL_error(L, "block %d has no text", (int)k);
    words = f->words;
    title_share = f->title_share;
    stopwords = f->stopwords;
    commas = f->commas;
    sentences = f->sentences;
    camel = f->camel;
    if (words >= 4) score = score + w[TW_four_words];
    if (title_share >= 0.6) score = score + w[TW_title_case];
    /* headlines have function words; names and labels have none, menus
     * capitalise every word */
    if (stopwords > 0) score = score + w[TW_stopword];
    else if (words <= 3 || commas > 0) score = score + w[TW_no_stopword_short];
    else score = score + w[TW_no_stopword];
    if (words >= 5 && f->lower_words == 0 && stopwords <= 2 && f->punct == 0) score = score + w[TW_no_lower_word];
    {
      /* (a line farther up that the slug names counts as 25 blocks away) */
      lua_Integer d = k < lo ? 25 : first_body - k;
      score = score + w[TW_distance] * (double)(d < 25 ? d : 25) + w[TW_distance_far] * (double)(d - 25 > 0 ? d - 25 : 0);
    }
    if (k == first_body) score = score + w[TW_first_body];
    /* a heading the page repeats above; a breadcrumb's last item */
    if (words >= 3) repeated = repeated_above(L, &tx, t, n, k, lo - 20 > 1 ? lo - 20 : 1, first_body);
    if (true_at(L, TS_CRUMB, k)) {
      repeated = 1;
      score = score + (words <= 3 ? w[TW_crumb_short] : w[TW_crumb]);
    }
    if (true_at(L, TS_AFTER, k)) score = score + w[TW_crumb_after];
    /* a heading that a table of contents above lists */
    if (has_toc) {
      lua_pushlstring(L, (const char *)t, n);
      if (lua_rawget(L, TS_TOC) == LUA_TNUMBER && lua_tonumber(L, -1) <= (lua_Number)k) {
        repeated = 0;
        score = score + w[TW_in_toc];
      }
      lua_pop(L, 1);
    }
    if (k > first_body) {
      int slug_names = num_at(L, TS_SIM, k, &v) && v >= 0.94;
      if (!(repeated || slug_names) || sentences > 0 || words > 20) {
        lua_pushnil(L);
        lua_rawseti(L, TS_CAND, k);
      }
      score = score + w[TW_below_article];
    }
    if (has_anchor && k > anchor) score = score + (k == anchor + 1 ? w[TW_below_anchor_next] : w[TW_below_anchor]);
    /* a byline or date just below (closer is better) */
    {
      lua_Integer to = k + 5 < nb ? k + 5 : nb;
      h = header_below_of(L, bf, nb, TS_KIND, k + 1, to, &sure);
      while (h != 0 && !sure && !lede_regex_found(L, TS_DATE, bf[h - 1].text, bf[h - 1].text_len))
        h = header_below_of(L, bf, nb, TS_KIND, h + 1, to, &sure);
      if (h != 0) score = score + w[TW_header_below] + w[TW_header_below_step] * (double)(h - k - 1);
    }
    if (repeated) score = score + w[TW_repeated];
    title_shape(t, n, &sh);
    if (sh.numbered == 1) score = score + w[TW_numbered];
    else if (sh.numbered == 2) score = score + w[TW_number_and_word];
    /* calls to action, glued words */
    {
      int cta_first = 0;
      if (sh.first > 0 && sh.first < 256) {
        char buf[256];
        size_t c;
        for (c = 0; c < sh.first; c++) buf[c] = (char)(t[c] | 0x20);
        cta_first = ws_has(cta, buf, sh.first);
      }
      if (cta_first || lede_regex_found(L, TS_CTA_START, (const char *)t, n)) score = score + w[TW_call_to_action];
    }
    if (sh.by_por && lede_regex_found(L, TS_SPONSOR, (const char *)t, n)) score = score + w[TW_sponsor];
    if (lede_regex_found(L, TS_BYLINE, (const char *)t, n) || (words <= 8 && sh.by)) score = score + w[TW_byline];
    /* the site's name, as in the page's first lines */
    if (k > 6)
      for (j = 1; j <= 3 && j <= nb; j++)
        if (bf[j - 1].text != NULL && bf[j - 1].text_len == n && memcmp(bf[j - 1].text, t, n) == 0) {
          score = score + w[TW_site_name];
          break;
        }
    /* a menu that repeats a word, or holds several calls to action */
    if (words >= 6 && words <= 16) {
      WrSlot slot[WR_SLOTS];
      int r = word_repeats(t, n, cta_words, slot, WR_SLOTS, WR_MAX);
      if (r < 0) {
        /* (more distinct runs than the slots hold: a table of them all) */
        size_t cap = 16;
        while (cap < n + 2) cap *= 2;
        r = word_repeats(t, n, cta_words, (WrSlot *)lua_newuserdatauv(L, cap * sizeof(WrSlot), 0), cap, cap);
        lua_pop(L, 1);
      }
      if (r == 1) score = score + w[TW_repeats_word];
      else if (r == 2) score = score + w[TW_cta_words];
    }
    /* a list of section labels */
    if (commas > 0 && words <= 2 * (commas + 1) && title_share >= 0.9 && stopwords <= 1 && !sh.colon)
      score = score + w[TW_section_labels];
    score = score + w[TW_glued_word] * camel;
    /* a job title, a kicker above a longer headline */
    if (words <= 6) {
      if (word_in(t, n, roles)) score = score + w[TW_job_title];
      if (k + 1 <= nb && true_at(L, TS_CAND, k + 1) && words <= 4 && bf[k].words >= words + 3) score = score + w[TW_kicker];
    }
    /* a subtitle right below a headline */
    jlo = k - 3 > lo ? k - 3 : lo;
    for (j = k - 1; j >= jlo; j--) {
      if (j >= 1 && j <= nb && true_at(L, TS_CAND, j)) {
        const BlockF *u = &bf[j - 1];
        if (u->words >= 4 && u->stopwords > 0 && words >= 4 && u->commas == 0 &&
            !(u->text != NULL && plain_in((const unsigned char *)u->text, u->text_len, (const unsigned char *)" / ", 3)))
          score = score + ((j == k - 1 && u->words >= words - 2) ? w[TW_subtitle_next] : w[TW_subtitle]);
        if (u->title_share >= 0.6 && title_share < 0.5) score = score + w[TW_below_title_case];
        break;
      }
    }
    if (sh.lower) score = score + w[TW_lower_case];
    if (num_at(L, TS_SIM, k, &v)) score = score + w[TW_slug] * v;
    if (true_at(L, TS_CAND, k)) {
      /* (in order of score, highest first, then of k) */
      lua_Integer c = n_list;
      while (c > 0 && ls[c - 1] < score) {
        lk[c] = lk[c - 1];
        ls[c] = ls[c - 1];
        c--;
      }
      lk[c] = k;
      ls[c] = score;
      n_list++;
    }
  }
  if (n_list == 0) {
    lua_pushnil(L);
  } else {
    lua_createtable(L, (int)(2 * n_list), 0);
    for (q = 0; q < n_list; q++) {
      lua_pushinteger(L, lk[q]);
      lua_rawseti(L, -2, 2 * q + 1);
      lua_pushnumber(L, ls[q]);
      lua_rawseti(L, -2, 2 * q + 2);
    }
  }
  lua_pushinteger(L, n_list);
  return 2;
}

/* A byline's name as the title picker reads it (Lua pattern terms, in the
 * C locale): "^%W*[Bb][Yy]%s+(%u%S*%s+%u%S*)", else, anywhere,
 * "%s[Bb][Yy]:?%s+(%u%S*%s+%u%S*)"; its span in o[*b..*e). Whether there
 * is one. */
static int c_lspace(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13); }

static int c_lalnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* "%s+(%u%S*%s+%u%S*)" from p: the capture's span. */
static int byline_name_at(const unsigned char *o, size_t m, size_t p, size_t *b, size_t *e) {
  size_t q = p;
  while (q < m && c_lspace(o[q])) q++;
  if (q == p || q >= m || !(o[q] >= 'A' && o[q] <= 'Z')) return 0;
  *b = q;
  q++;
  while (q < m && !c_lspace(o[q])) q++;
  p = q;
  while (q < m && c_lspace(o[q])) q++;
  if (q == p || q >= m || !(o[q] >= 'A' && o[q] <= 'Z')) return 0;
  q++;
  while (q < m && !c_lspace(o[q])) q++;
  *e = q;
  return 1;
}

static int byline_name(const unsigned char *o, size_t m, size_t *b, size_t *e) {
  size_t i = 0;
  while (i < m && !c_lalnum(o[i])) i++;
  if (i + 1 < m && (o[i] | 0x20) == 'b' && (o[i + 1] | 0x20) == 'y' && byline_name_at(o, m, i + 2, b, e))
    return 1;
  for (i = 0; i + 2 < m; i++) {
    size_t p;
    if (!c_lspace(o[i]) || (o[i + 1] | 0x20) != 'b' || (o[i + 2] | 0x20) != 'y') continue;
    if (o[i + 1] != 'B' && o[i + 1] != 'b') continue;
    if (o[i + 2] != 'Y' && o[i + 2] != 'y') continue;
    p = i + 3;
    if (p < m && o[p] == ':') p++;
    if (byline_name_at(o, m, p, b, e)) return 1;
  }
  return 0;
}

/* The separators of a page's title line ("Headline | Site"). */
static const char *const TITLE_SEPARATORS[] = { " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ",
                                                 " \xC2\xBB ", NULL };

/* Whether t is the page's title line around one of the candidates' texts
 * (c[0..nc), lengths cl): one side of a separator, 8 bytes or more, is one
 * of them. */
static int title_line_of(const unsigned char *t, size_t n, const unsigned char *const *c, const size_t *cl,
                         size_t nc) {
  int q;
  for (q = 0; TITLE_SEPARATORS[q] != NULL; q++) {
    const unsigned char *sep = (const unsigned char *)TITLE_SEPARATORS[q];
    size_t sl = strlen(TITLE_SEPARATORS[q]), from = 0;
    while (from + sl <= n) {
      const unsigned char *hit = NULL;
      size_t i, x;
      for (i = from; i + sl <= n; i++)
        if (t[i] == sep[0] && memcmp(t + i, sep, sl) == 0) { hit = t + i; break; }
      if (hit == NULL) break;
      for (x = 0; x < nc; x++) {
        if ((i >= 8 && cl[x] == i && memcmp(c[x], t, i) == 0) ||
            (n - i - sl >= 8 && cl[x] == n - i - sl && memcmp(c[x], t + i + sl, n - i - sl) == 0))
          return 1;
      }
      from = i + sl;
    }
  }
  return 0;
}

/* core.title_best(list, n, flat, kind, cls, range, cand, first_body, lo,
 * last, byline, stopwords, lede_words, bonus) -> k | nil
 * The title picker's choice among its scored candidates (list: k and score
 * in turn, highest first, as core.title_scores gives them), as
 * lua/lede/classify.lua says: the signs that take longer to read, for the
 * best lines only, which lower a score or raise it by `bonus` at most (the
 * words of the article's first `lede_words` words the line repeats). */
static int l_title_best(lua_State *L) {
  enum { B_LIST = 1, B_N, B_FLAT, B_KIND, B_CLS, B_RANGE, B_CAND, B_FIRST, B_LO, B_LAST, B_BYLINE, B_STOP,
         B_LEDE_WORDS, B_BONUS, B_WEIGHTS, B_TOP = B_WEIGHTS };
  Texts tx;
  const FlatFeatures *ff;
  const BlockF *bf;
  const Labels *cl;
  const WordSet *ws;
  const lua_Number *w;
  lua_Integer n_list, c, first_body, lo, last, nb, best = 0, last_good = 0;
  lua_Number best_score = 0, bonus, lede_words_max;
  int have_lede = 0, have_texts = 0;
  const char *lede = NULL;
  size_t lede_len = 0, nc = 0;
  const unsigned char **ct = NULL;
  size_t *ctl = NULL;
  n_list = luaL_checkinteger(L, B_N);
  if (n_list > 0) luaL_checktype(L, B_LIST, LUA_TTABLE);
  texts_arg(L, B_FLAT, &tx);
  ff = tx.ff;
  if (ff == NULL) return luaL_argerror(L, B_FLAT, "lede.Features expected");
  bf = ff->f;
  nb = ff->n;
  luaL_checktype(L, B_KIND, LUA_TTABLE);
  cl = (const Labels *)luaL_checkudata(L, B_CLS, LABELS_MT);
  luaL_checktype(L, B_RANGE, LUA_TTABLE);
  luaL_checktype(L, B_CAND, LUA_TTABLE);
  first_body = luaL_checkinteger(L, B_FIRST);
  lo = luaL_checkinteger(L, B_LO);
  last = luaL_checkinteger(L, B_LAST);
  luaL_checkudata(L, B_BYLINE, "lede.Regex");
  ws = (const WordSet *)luaL_checkudata(L, B_STOP, WORDSET_MT);
  lede_words_max = luaL_checknumber(L, B_LEDE_WORDS);
  bonus = luaL_checknumber(L, B_BONUS);
  w = ((const TitleWeights *)luaL_checkudata(L, B_WEIGHTS, TITLE_WEIGHTS_MT))->w;
  lua_settop(L, B_TOP);
  for (c = 1; c <= n_list; c++) {
    lua_Integer k, j, images;
    lua_Number score;
    const unsigned char *t;
    size_t n;
    double words;
    int shorter;
    k = block_at(L, B_LIST, 2 * c - 1, nb, "title_best", "list");
    lua_rawgeti(L, B_LIST, 2 * c);
    score = lua_tonumber(L, -1);
    lua_pop(L, 1);
    /* (the lede's words rank headlines, they make none) */
    if (score <= 0 || score + bonus < best_score) break;
    words = bf[k - 1].words;
    t = (const unsigned char *)bf[k - 1].text;
    n = bf[k - 1].text_len;
    if (t == NULL) return luaL_error(L, "block %d has no text", (int)k);
    if (!have_lede) {
      lua_Integer g, from = first_body < 1 ? 1 : first_body, to = from - 1;
      size_t size = 2;
      double w = 0;
      char *out;
      int parts = 0;
      /* the article's first words, what core.lede_text gives, in the
       * labels' scratch memory: the blocks, then their texts */
      for (g = from; g <= nb; g++) {
        if (!(g <= cl->n && cl->v[g] == S_GOOD)) continue;
        if (bf[g - 1].text == NULL) return luaL_error(L, "block %d has no text", (int)g);
        size += bf[g - 1].text_len + 1;
        to = g;
        w += bf[g - 1].words;
        if (w >= lede_words_max) break;
      }
      out = (char *)labels_scratch(L, B_CLS, (Labels *)cl, size);
      lede_len = 0;
      out[lede_len++] = ' ';
      for (g = from; g <= to; g++) {
        if (!(g <= cl->n && cl->v[g] == S_GOOD)) continue;
        lede_len += lede_into(out + lede_len, (const unsigned char *)bf[g - 1].text, bf[g - 1].text_len, parts++ > 0);
      }
      out[lede_len++] = ' ';
      lede = out;
      have_lede = 1;
      /* (the last good block, when it is not above first_body) */
      for (g = nb; g >= 1; g--)
        if (g <= cl->n && cl->v[g] == S_GOOD) break;
      last_good = g >= 1 && g >= first_body ? g : first_body;
    }
    /* a name the page says again twice after the article, inside other text */
    if (words >= 2 && words <= 6 && name_hits(L, &tx, t, n, B_KIND, last_good + 1, nb) >= 2) score = score + w[TW_name_after];
    /* the author's name beside the byline that names them */
    if (words <= 5) {
      lua_Integer jlo = k - 3 > 1 ? k - 3 : 1, jhi = k + 3 < nb ? k + 3 : nb;
      for (j = jlo; j <= jhi; j++) {
        const unsigned char *o;
        size_t m, nb0, ne0;
        int by;
        if (j == k) continue;
        o = (const unsigned char *)bf[j - 1].text;
        m = bf[j - 1].text_len;
        if (o == NULL) return luaL_error(L, "block %d has no text", (int)j);
        lua_rawgeti(L, B_KIND, j);
        by = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "byline") == 0;
        lua_pop(L, 1);
        if (!by) by = lede_regex_found(L, B_BYLINE, (const char *)o, m);
        if (!by) continue;
        if (plain_in(o, m, t, n) ||
            (byline_name(o, m, &nb0, &ne0) && ne0 - nb0 >= 5 && plain_in(t, n, o + nb0, ne0 - nb0))) {
          score = score + w[TW_author_beside_byline];
          break;
        }
      }
    }
    /* the page's title line around a headline that stands alone nearby */
    if (!have_texts) {
      lua_Integer nr = (lua_Integer)lua_rawlen(L, B_RANGE), q;
      ct = (const unsigned char **)lua_newuserdatauv(L, (size_t)(nr > 0 ? nr : 1) * (sizeof *ct + sizeof *ctl), 0);
      ctl = (size_t *)(void *)(ct + (nr > 0 ? nr : 1));
      for (q = 1; q <= nr; q++) {
        lua_Integer jj;
        lua_rawgeti(L, B_RANGE, q);
        jj = lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (jj < 1 || jj > nb || bf[jj - 1].text == NULL) continue;
        lua_rawgeti(L, B_CAND, jj);
        if (lua_toboolean(L, -1)) {
          ct[nc] = (const unsigned char *)bf[jj - 1].text;
          ctl[nc] = bf[jj - 1].text_len;
          nc++;
        }
        lua_pop(L, 1);
      }
      have_texts = 1;
    }
    if (title_line_of(t, n, ct, ctl, nc)) score = score + w[TW_title_line];
    /* a short form of a longer headline nearby, an image of one */
    images = short_forms(L, &tx, t, n, k, lo, last, &shorter);
    for (j = 1; j <= images; j++) score = score + w[TW_image];
    if (shorter) score = score + w[TW_longer_form];
    /* the words the lede repeats (up to four) */
    {
      lua_Integer lw = lede_words(L, (const char *)t, n, lede, lede_len, ws);
      score = score + bonus * (double)(lw < 4 ? lw : 4) / 4;
    }
    if (score > best_score || (best && score == best_score && k < best)) {
      best = k;
      best_score = score;
    }
  }
  if (best) lua_pushinteger(L, best);
  else lua_pushnil(L);
  return 1;
}

void lede_open_features(lua_State *L) {
  static const luaL_Reg methods[] = { { "has", ws_method_has }, { NULL, NULL } };
  static const luaL_Reg no_methods[] = { { NULL, NULL } };
  lede_new_type(L, WORDSET_MT, methods, NULL, ws_tostring, ws_len);
  lede_new_type(L, FEATURES_MT, no_methods, NULL, flat_tostring, flat_len);
  lede_new_type(L, PROFILE_MT, no_methods, NULL, pi_tostring, pi_len);
  push_with_strings(L, l_block_classes);
  lua_setfield(L, -2, "block_classes");
  lua_pushcfunction(L, l_lede_words);
  lua_setfield(L, -2, "lede_words");
  lua_pushcfunction(L, l_profile_counts);
  lua_setfield(L, -2, "profile_counts");
  lua_pushcfunction(L, l_profile_index);
  lua_setfield(L, -2, "profile_index");
  push_with_strings(L, l_revise_classes);
  lua_setfield(L, -2, "revise_classes");
  push_with_strings(L, l_good_span);
  lua_setfield(L, -2, "good_span");
  lua_pushcfunction(L, l_number_starts);
  lua_setfield(L, -2, "number_starts");
  push_with_strings(L, l_promote_headings);
  lua_setfield(L, -2, "promote_headings");
  push_with_strings(L, l_set_kinds);
  lua_setfield(L, -2, "set_kinds");
  push_with_strings(L, l_title_range);
  lua_setfield(L, -2, "title_range");
  push_with_strings(L, l_tail_lists);
  lua_setfield(L, -2, "tail_lists");
  push_with_strings(L, l_final_kinds);
  lua_setfield(L, -2, "final_kinds");
  lua_pushcfunction(L, l_pool_tables);
  lua_setfield(L, -2, "pool_tables");
  lua_pushcfunction(L, l_number_lines);
  lua_setfield(L, -2, "number_lines");
  lua_pushcfunction(L, l_crumb_above);
  lua_setfield(L, -2, "crumb_above");
  lua_pushcfunction(L, l_repeated_above);
  lua_setfield(L, -2, "repeated_above");
  lua_pushcfunction(L, l_toc_entries);
  lua_setfield(L, -2, "toc_entries");
  lua_pushcfunction(L, l_short_forms);
  lua_setfield(L, -2, "short_forms");
  lua_pushcfunction(L, l_lede_text);
  lua_setfield(L, -2, "lede_text");
  lua_pushcfunction(L, l_title_text);
  lua_setfield(L, -2, "title_text");
  lua_pushcfunction(L, l_title_candidates);
  lua_setfield(L, -2, "title_candidates");
  {
    static const luaL_Reg no_weight_methods[] = { { NULL, NULL } };
    lede_new_type(L, TITLE_WEIGHTS_MT, no_weight_methods, NULL, title_weights_tostring, NULL);
  }
  lua_pushcfunction(L, l_title_weights);
  lua_setfield(L, -2, "title_weights");
  lua_pushcfunction(L, l_title_scores);
  lua_setfield(L, -2, "title_scores");
  lua_pushcfunction(L, l_title_best);
  lua_setfield(L, -2, "title_best");
  lua_pushcfunction(L, l_name_hits);
  lua_setfield(L, -2, "name_hits");
  lua_pushcfunction(L, l_title_shape);
  lua_setfield(L, -2, "title_shape");
  lua_pushcfunction(L, l_word_repeats);
  lua_setfield(L, -2, "word_repeats");
  lua_pushcfunction(L, l_word_in);
  lua_setfield(L, -2, "word_in");
  lua_pushcfunction(L, l_may_date);
  lua_setfield(L, -2, "may_date");
  push_with_strings(L, l_header_below);
  lua_setfield(L, -2, "header_below");
  lua_pushcfunction(L, l_stopword_density);
  lua_setfield(L, -2, "stopword_density");
  push_with_strings(L, l_label_blocks);
  lua_setfield(L, -2, "label_blocks");
  /* lede.Labels: __index and __newindex read and write the strings */
  {
    static const luaL_Reg no_label_methods[] = { { NULL, NULL } };
    lede_new_type(L, LABELS_MT, no_label_methods, NULL, labels_tostring, labels_len);
    luaL_getmetatable(L, LABELS_MT);
    push_with_strings(L, labels_index);
    lua_setfield(L, -2, "__index");
    push_with_strings(L, labels_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pop(L, 1);
    lua_pushcfunction(L, l_labels);
    lua_setfield(L, -2, "labels");
  }
  {
    /* the key strings of a features table, upvalues of both functions */
    int k;
    luaL_checkstack(L, F_COUNT, "too many strings");
    for (k = 0; FEATURE_KEYS[k] != NULL; k++) lua_pushstring(L, FEATURE_KEYS[k]);
    lua_pushcclosure(L, l_features, F_COUNT);
    lua_setfield(L, -2, "features");
    for (k = 0; FEATURE_KEYS[k] != NULL; k++) lua_pushstring(L, FEATURE_KEYS[k]);
    lua_pushcclosure(L, l_block_features, F_COUNT);
    lua_setfield(L, -2, "block_features");
    luaL_getmetatable(L, FEATURES_MT);
    lua_pushcclosure(L, l_feature_record, 1);
    lua_setfield(L, -2, "feature_record");
    luaL_getmetatable(L, FEATURES_MT);
    lua_pushcclosure(L, l_feature_value, 1);
    lua_setfield(L, -2, "feature_value");
    lua_pushcfunction(L, l_feature_records);
    lua_setfield(L, -2, "feature_records");
  }
  lua_pushcfunction(L, l_wordset);
  lua_setfield(L, -2, "wordset");
  lua_pushcfunction(L, l_phrase_key);
  lua_setfield(L, -2, "phrase_key");
}
