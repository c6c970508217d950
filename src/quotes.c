/* quotes.c: the quotation-mark scanner, core.quotes.
 *
 * Pairs opening and closing quotation marks over paragraphs: straight and
 * curly double and single quotes, low-9 marks („German“, ‚single‘),
 * guillemets (« », ‹ ›, also the reversed » « order), CJK corner brackets.
 * Straight marks and U+2019 are told apart from apostrophes (don't, ’90s,
 * the players' union) by the characters on each side. Quotes nest (an inner
 * single quote inside a double one); a quote left open at the end of a
 * paragraph continues into the next paragraph when that paragraph opens
 * with a mark of the same kind (news style for long quotes), and otherwise
 * ends there, reported as unclosed. Nothing here decides whether a quote is
 * speech: that is policy, in lua/lede/quotes.lua.
 *
 * One pass over the bytes, a bounded stack (LEDE_QUOTE_DEPTH levels), so
 * time is linear in the input and extra memory is the result itself. */
#include <stdlib.h>
#include <string.h>

#include "lede.h"

#define LEDE_QUOTE_DEPTH 8

/* Families of marks: a closing mark pairs only with an opener of its family. */
enum { FAM_NONE = 0, FAM_DOUBLE, FAM_SINGLE, FAM_GUIL, FAM_SGUIL, FAM_CORNER, FAM_WCORNER };

/* What sits on each side of a mark. */
enum { SIDE_SPACE = 0, /* white space, line break, paragraph edge */
       SIDE_WORD,      /* a letter or digit */
       SIDE_DIGIT,     /* an ASCII digit (also a word character) */
       SIDE_OPEN,      /* opening punctuation: ( [ { dashes slash, an opening mark */
       SIDE_PUNCT };   /* anything else */

typedef struct {
  int fam;
  uint32_t cp;      /* the opening mark */
  size_t open;      /* 0-based position of the opening mark */
  size_t mlen;      /* its length in bytes */
  size_t first;     /* first non-space byte of the content, or SIZE_MAX */
  lua_Integer slot; /* index reserved in the result array */
  int parts_ref;    /* stack index of the parts table (0: none) */
  lua_Integer nparts;
  int paragraphs;
  /* a closing mark that may be an apostrophe ("the players’ union"): used
   * when no later mark closes the quote */
  int has_pend;
  size_t pend_close, pend_len, pend_last;
} open_quote;

/* The quotes of core.quotes(..., {packed = true}) in C: a lede.QuoteList,
 * a record per quote (1-based positions; close 0 for an unclosed quote,
 * clen the length of its closing mark; token and para set by
 * core.quote_tokens, 0 until then), held in an array the userdata owns
 * (freed by __gc). The parts of a quote over several paragraphs stay a Lua
 * table, in the user value (a table) at the record's index. The stage's
 * C functions read it where they take the array of quote records. */
#define QUOTE_LIST "lede.QuoteList"

typedef struct {
  lua_Integer start, stop, open, close, clen, token, para;
  int parts, filled;
} qrec;

typedef struct {
  lua_Integer n;
  size_t cap;
  qrec *v;
  lua_Integer pmax; /* the parts table has entries at 1..pmax at most */
  int closed;
} quote_list;

/* Makes room for need records in the list (doubling); raises on failure,
 * the array still the list's. */
static void list_room(lua_State *L, quote_list *ql, size_t need) {
  size_t c = ql->cap ? ql->cap : 16;
  qrec *v;
  if (need <= ql->cap) return;
  while (c < need) c *= 2;
  if (c > ((size_t)1 << 40) / sizeof(qrec)) luaL_error(L, "quotes: out of memory");
  v = (qrec *)realloc(ql->v, c * sizeof(qrec));
  if (v == NULL) luaL_error(L, "quotes: out of memory");
  ql->v = v;
  ql->cap = c;
}

typedef struct {
  lua_State *L;
  const unsigned char *s;
  quote_list *list; /* packed: the records go here (result: its parts table) */
  int result;       /* stack index of the result table */
  lua_Integer slots;
  lua_Integer filled;
  int nested;
  int brief; /* opts.brief: no open_mark, closed, level nor paragraphs */
  int keys;  /* stack index of the field names (push_fkeys) */
  open_quote st[LEDE_QUOTE_DEPTH];
  int depth;
  size_t last_ns;   /* last non-space byte seen (0-based), SIZE_MAX if none */
  int pending_first;
} scanner;

static int mark_family(uint32_t cp) {
  switch (cp) {
  case 0x22: case 0x201C: case 0x201D: case 0x201E: case 0x201F: return FAM_DOUBLE;
  case 0x27: case 0x2018: case 0x2019: case 0x201A: case 0x201B: return FAM_SINGLE;
  case 0xAB: case 0xBB: return FAM_GUIL;
  case 0x2039: case 0x203A: return FAM_SGUIL;
  case 0x300C: case 0x300D: return FAM_CORNER;
  case 0x300E: case 0x300F: return FAM_WCORNER;
  default: return FAM_NONE;
  }
}

static int is_opening_mark(uint32_t cp) {
  return cp == 0x201C || cp == 0x201E || cp == 0x201F || cp == 0x2018 || cp == 0x201A ||
         cp == 0x201B || cp == 0xAB || cp == 0x2039 || cp == 0x300C || cp == 0x300E;
}

static int side_class(uint32_t cp) {
  if (cp == LEDE_BAD) return SIDE_PUNCT;
  if (lede_is_hspace(cp) || lede_is_vspace(cp) || lede_is_invisible(cp) || cp == 0) return SIDE_SPACE;
  if (cp >= '0' && cp <= '9') return SIDE_DIGIT;
  if (cp == '(' || cp == '[' || cp == '{' || cp == '/' || cp == '-' || cp == 0x2013 ||
      cp == 0x2014 || cp == 0x2015 || cp == ':' || is_opening_mark(cp))
    return SIDE_OPEN;
  if (lede_is_word(cp)) return SIDE_WORD;
  return SIDE_PUNCT;
}

/* side_class of each ASCII byte (0 space, 1 word, 2 digit, 3 opening, 4 other). */
static const unsigned char ASCII_SIDE[128] = {
  0, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  0, 4, 4, 4, 4, 4, 4, 4, 3, 4, 4, 4, 4, 3, 4, 3,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 4, 4, 4, 4,
  4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 4, 4, 4, 1,
  4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 4, 4, 4, 4,
};

/* How scan_paragraph reads a byte: 0 ASCII white space (and NUL), 1 any
 * other ASCII byte but the straight quote marks, 2 a straight quote mark or
 * a non-ASCII byte (decoded and looked at one by one). */
static const unsigned char RUN_KIND[256] = {
  0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 1, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* Eight bytes as one word: whether one is non-ASCII; whether one is c. */
#define RUN_HIGH UINT64_C(0x8080808080808080)
/* sixteen bytes at a time where the compiler has SSE2 */
#if defined(__GNUC__) && defined(__SSE2__)
#include <emmintrin.h>
#define RUN_SSE2 1
#else
#define RUN_SSE2 0
#endif
#define RUN_HAS(w, c) \
  ((((w) ^ (UINT64_C(0x0101010101010101) * (c))) - UINT64_C(0x0101010101010101)) & \
   ~((w) ^ (UINT64_C(0x0101010101010101) * (c))) & RUN_HIGH)

static int is_space_cp(uint32_t cp) {
  return cp != LEDE_BAD && (lede_is_hspace(cp) || lede_is_vspace(cp) || lede_is_invisible(cp));
}

static int is_straight(uint32_t cp) { return cp == 0x22 || cp == 0x27; }

/* Innermost stack level holding family fam, or -1. */
static int find_family(const scanner *sc, int fam) {
  int k;
  for (k = sc->depth - 1; k >= 0; k--)
    if (sc->st[k].fam == fam) return k;
  return -1;
}

/* Innermost level of family fam opened in the same style (straight or
 * typographic) as cp, or -1. */
static int find_style(const scanner *sc, int fam, uint32_t cp) {
  int k;
  for (k = sc->depth - 1; k >= 0; k--)
    if (sc->st[k].fam == fam && is_straight(sc->st[k].cp) == is_straight(cp)) return k;
  return -1;
}

/* The level a closing mark cp closes: the innermost of its family and style,
 * else the innermost of its family (mixed typography), or -1. */
static int closes(const scanner *sc, int fam, uint32_t cp) {
  int k = find_style(sc, fam, cp);
  return k >= 0 ? k : find_family(sc, fam);
}

static void set_int(lua_State *L, const char *k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

static void set_mark(lua_State *L, const char *k, const unsigned char *s, size_t at, size_t len) {
  lua_pushlstring(L, (const char *)s + at, len);
  lua_setfield(L, -2, k);
}

/* The names of the fields of a quote record, in a table (an upvalue of the
 * functions that make or read the records) whose element FK_x is the name:
 * a field is then read and set raw under a string made once, with no
 * look-up of the name from its C string. */
enum { FK_START = 1, FK_STOP, FK_OPEN, FK_CLOSE, FK_CLOSE_MARK, FK_PARTS, FK_TOKEN, FK_PARA,
       /* (and those of the parser's records, and two of their values) */
       FK_I, FK_J, FK_TEXT, FK_KIND, FK_NP, FK_CUE, FK_INHERIT, FK_SEND, FK_NWORDS, FK_DIRECT, FK_PREVIOUS,
       /* (and those of the noun phrases the parser reports) */
       FK_PRON, FK_HEAD, FK_NOUN, FK_PLURAL, FK_DEFINITE, FK_POSSESSIVE, FK_GENERIC, FK_NAT, FK_NAME, FK_ROLE,
       FK_APPOSITIVE, FK_COUNT = FK_APPOSITIVE };
static const char *const fk_names[FK_COUNT] = { "start", "stop",   "open", "close", "close_mark", "parts",
                                                "token", "para",   "i",    "j",     "text",       "kind",
                                                "np",    "cue",    "inherit", "send", "nwords",   "direct",
                                                "previous", "pron", "head", "noun", "plural", "definite",
                                                "possessive", "generic", "nat", "name", "role", "appositive" };

/* Pushes the table of the field names. */
static void push_fkeys(lua_State *L) {
  int k;
  lua_createtable(L, FK_COUNT, 0);
  for (k = 0; k < FK_COUNT; k++) {
    lua_pushstring(L, fk_names[k]);
    lua_rawseti(L, -2, k + 1);
  }
}

/* Pushes field k of the table at index t (the names at index keys);
 * returns its type. */
static int fk_get(lua_State *L, int keys, int t, int k) {
  t = lua_absindex(L, t);
  lua_rawgeti(L, keys, k);
  return lua_rawget(L, t);
}

/* Sets field k of the table at the top to the integer v. */
static void fk_int(lua_State *L, int keys, int k, lua_Integer v) {
  lua_rawgeti(L, keys, k);
  lua_pushinteger(L, v);
  lua_rawset(L, -3);
}

/* Sets field k of the table at the top to the string s[at, at + len). */
static void fk_mark(lua_State *L, int keys, int k, const unsigned char *s, size_t at, size_t len) {
  lua_rawgeti(L, keys, k);
  lua_pushlstring(L, (const char *)s + at, len);
  lua_rawset(L, -3);
}

/* Reports stack level k as a finished quote whose content ends before byte
 * `end` (exclusive; trailing white space already excluded by the caller via
 * last, the last content byte or SIZE_MAX). close/clen: the closing mark, or
 * clen == 0 for an unclosed quote. Empty quotes are dropped. */
static void emit(scanner *sc, int k, size_t last, size_t close, size_t clen) {
  lua_State *L = sc->L;
  open_quote *q = &sc->st[k];
  int level = k + 1;
  if (q->first == SIZE_MAX || last == SIZE_MAX || last < q->first) {
    if (q->parts_ref) { lua_pushnil(L); lua_replace(L, q->parts_ref); }
    return;
  }
  if (level > 1 && !sc->nested) return;
  if (sc->list) {
    qrec *r = &sc->list->v[q->slot - 1];
    r->start = (lua_Integer)q->first + 1;
    r->stop = (lua_Integer)last + 1;
    r->open = (lua_Integer)q->open + 1;
    r->close = clen ? (lua_Integer)close + 1 : 0;
    r->clen = clen ? (lua_Integer)clen : 0;
    r->token = r->para = 0;
    r->parts = 0;
    r->filled = 1;
    if (q->parts_ref) {
      /* the parts: pairs for the earlier paragraphs and the last one; the
       * start is the first paragraph's */
      lua_pushvalue(L, q->parts_ref);
      lua_pushinteger(L, (lua_Integer)q->first + 1);
      lua_rawseti(L, -2, ++q->nparts);
      lua_pushinteger(L, (lua_Integer)last + 1);
      lua_rawseti(L, -2, ++q->nparts);
      lua_rawgeti(L, -1, 1);
      r->start = lua_tointeger(L, -1);
      lua_pop(L, 1);
      if (q->slot > sc->list->pmax) sc->list->pmax = q->slot;
      lua_rawseti(L, sc->result, q->slot);
      r->parts = 1;
      lua_pushnil(L);
      lua_replace(L, q->parts_ref);
    }
    sc->filled++;
    return;
  }
  lua_createtable(L, 0, sc->brief ? 6 : 11);
  fk_int(L, sc->keys, FK_START, (lua_Integer)q->first + 1);
  fk_int(L, sc->keys, FK_STOP, (lua_Integer)last + 1);
  fk_int(L, sc->keys, FK_OPEN, (lua_Integer)q->open + 1);
  if (!sc->brief) set_mark(L, "open_mark", sc->s, q->open, q->mlen);
  if (clen) {
    fk_int(L, sc->keys, FK_CLOSE, (lua_Integer)close + 1);
    fk_mark(L, sc->keys, FK_CLOSE_MARK, sc->s, close, clen);
  }
  if (!sc->brief) {
    lua_pushboolean(L, clen != 0);
    lua_setfield(L, -2, "closed");
    set_int(L, "level", level);
    set_int(L, "paragraphs", q->paragraphs);
  }
  if (q->parts_ref) {
    /* the parts table: pairs for the earlier paragraphs; add the last one */
    lua_pushvalue(L, q->parts_ref);
    lua_pushinteger(L, (lua_Integer)q->first + 1);
    lua_rawseti(L, -2, ++q->nparts);
    lua_pushinteger(L, (lua_Integer)last + 1);
    lua_rawseti(L, -2, ++q->nparts);
    /* start is the content start of the first paragraph */
    lua_rawgeti(L, sc->keys, FK_START);
    lua_rawgeti(L, -2, 1);
    lua_rawset(L, -4);
    lua_rawgeti(L, sc->keys, FK_PARTS);
    lua_insert(L, -2);
    lua_rawset(L, -3);
    lua_pushnil(L);
    lua_replace(L, q->parts_ref);
  }
  lua_rawseti(L, sc->result, q->slot);
  sc->filled++;
}

/* Drops levels k.. of the stack (inner quotes never closed: most often an
 * apostrophe read as a quote mark). */
static void emit(scanner *sc, int k, size_t last, size_t close, size_t clen);

/* Ends levels k.. of the stack that were never closed: those with a
 * possible closing mark end there; the others are dropped (most often an
 * apostrophe read as a quote mark). */
static void drop_from(scanner *sc, int k) {
  int m;
  for (m = sc->depth - 1; m >= k; m--) {
    open_quote *q = &sc->st[m];
    if (q->has_pend) {
      emit(sc, m, q->pend_last, q->pend_close, q->pend_len);
    } else if (q->parts_ref) {
      lua_pushnil(sc->L);
      lua_replace(sc->L, q->parts_ref);
    }
  }
  if (k < sc->depth) sc->depth = k;
}

/* Ends level k, never closed, at last (or at its possible closing mark). */
static void end_unclosed(scanner *sc, int k, size_t last) {
  open_quote *q = &sc->st[k];
  if (q->has_pend) emit(sc, k, q->pend_last, q->pend_close, q->pend_len);
  else emit(sc, k, last, 0, 0);
}

static void push_open(scanner *sc, int fam, uint32_t cp, size_t at, size_t mlen, int parts_ref) {
  open_quote *q;
  if (sc->depth >= LEDE_QUOTE_DEPTH) return;
  q = &sc->st[sc->depth++];
  q->fam = fam;
  q->cp = cp;
  q->open = at;
  q->mlen = mlen;
  q->first = SIZE_MAX;
  q->slot = ++sc->slots;
  if (sc->list) {
    list_room(sc->L, sc->list, (size_t)q->slot);
    sc->list->v[q->slot - 1].filled = 0;
  }
  q->parts_ref = parts_ref;
  q->nparts = 0;
  q->paragraphs = 1;
  q->has_pend = 0;
  sc->pending_first = 1;
}

/* Decides what the mark cp at s[at] does. Returns the stack level to close
 * (>= 0), -1 to open a quote of family *fam, -2 to ignore it. */
enum { ACT_IGNORE = -2, ACT_OPEN = -1 };

static int decide(const scanner *sc, uint32_t cp, int prev, int next, int *fam) {
  int f = mark_family(cp);
  int k = closes(sc, f, cp);
  int open_ctx = (prev == SIDE_SPACE || prev == SIDE_OPEN) && next != SIDE_SPACE;
  int close_ctx = prev != SIDE_SPACE && prev != SIDE_OPEN &&
                  (next == SIDE_SPACE || next == SIDE_PUNCT || next == SIDE_OPEN);
  int word_prev = prev == SIDE_WORD || prev == SIDE_DIGIT;
  int word_next = next == SIDE_WORD || next == SIDE_DIGIT;
  *fam = f;
  switch (cp) {
  case 0x22: /* " */
    if (prev == SIDE_DIGIT && k < 0) return ACT_IGNORE; /* 12" */
    if (open_ctx && !close_ctx) return ACT_OPEN;
    if (close_ctx && !open_ctx) return k >= 0 ? k : ACT_IGNORE;
    if (k >= 0) return k;
    return word_prev ? ACT_IGNORE : ACT_OPEN;
  case 0x27: /* ' */
  case 0x2019: /* ’ */
    if (word_prev && word_next) return ACT_IGNORE;          /* don't, China’s */
    if (!word_prev && next == SIDE_DIGIT) return ACT_IGNORE; /* '90s */
    if (cp == 0x27 && open_ctx && !close_ctx) return ACT_OPEN; /* unless an elision */
    if (close_ctx || (!open_ctx && k >= 0)) return k >= 0 ? k : ACT_IGNORE;
    return ACT_IGNORE;
  case 0x2018: /* ‘ */
    if (word_prev && word_next) return ACT_IGNORE;
    if (next == SIDE_DIGIT && !word_prev) return ACT_IGNORE;
    if (k >= 0 && sc->st[k].cp == 0x201A && !open_ctx) return k; /* ‚German‘ */
    if (next == SIDE_SPACE) return k >= 0 && close_ctx ? k : ACT_IGNORE;
    return ACT_OPEN;
  case 0x201A: /* ‚ also a comma look-alike */
  case 0x201B:
    return (prev == SIDE_SPACE || prev == SIDE_OPEN) && word_next ? ACT_OPEN : ACT_IGNORE;
  case 0x201C: /* “ */
    if (k >= 0 && sc->st[k].cp == 0x201E && !open_ctx) return k; /* „German“ */
    if (k >= 0 && close_ctx && !open_ctx) return k;             /* “sloppy“ */
    return next == SIDE_SPACE && !open_ctx && k < 0 ? ACT_IGNORE : ACT_OPEN;
  case 0x201D: /* ” */
    if (k >= 0) return k;
    return open_ctx && word_next ? ACT_OPEN : ACT_IGNORE; /* ”Swedish” */
  case 0x201E: case 0x201F:
    return next != SIDE_SPACE ? ACT_OPEN : ACT_IGNORE;
  case 0xAB: case 0x2039: /* « ‹ (also the close of »Danish«) */
    if (k >= 0 && (sc->st[k].cp == 0xBB || sc->st[k].cp == 0x203A) && !open_ctx) return k;
    return ACT_OPEN;
  case 0xBB: case 0x203A:
    if (k >= 0) return k;
    return open_ctx && word_next ? ACT_OPEN : ACT_IGNORE;
  case 0x300C: case 0x300E:
    return ACT_OPEN;
  case 0x300D: case 0x300F:
    return k >= 0 ? k : ACT_IGNORE;
  default:
    return ACT_IGNORE;
  }
}

/* 'em 'tis 'twas 'n' after a straight or curly apostrophe at s[at+len]. */
static int elision(const unsigned char *s, size_t at, size_t e) {
  static const char *const words[] = { "em", "tis", "twas", "n", "cause", "til", NULL };
  int k;
  for (k = 0; words[k]; k++) {
    size_t n = strlen(words[k]);
    if (at + n <= e && memcmp(s + at, words[k], n) == 0) {
      if (at + n == e) return 1;
      {
        size_t len;
        uint32_t c = lede_utf8_decode(s, at + n, e, &len);
        if (!lede_is_word(c)) return 1;
      }
    }
  }
  return 0;
}

/* Whether the paragraph [b, e) opens (after white space) with a mark that
 * continues a quote of family fam; the mark goes to *mpos, *mlen. */
static int continues(const unsigned char *s, size_t b, size_t e, int fam, size_t *mpos,
                     size_t *mlen, uint32_t *mcp) {
  size_t p = b, len, nlen;
  uint32_t cp, next;
  while (p < e) {
    cp = lede_utf8_decode(s, p, e, &len);
    if (!is_space_cp(cp)) break;
    p += len;
  }
  if (p >= e) return 0;
  cp = lede_utf8_decode(s, p, e, &len);
  if (mark_family(cp) != fam) return 0;
  if (cp == 0x201D || cp == 0x2019 || cp == 0xBB || cp == 0x203A || cp == 0x300D || cp == 0x300F) {
    /* closing marks continue only the styles that open with them */
    if (cp != 0x201D && cp != 0xBB && cp != 0x203A) return 0;
  }
  if (p + len >= e) return 0;
  next = lede_utf8_decode(s, p + len, e, &nlen);
  if (is_space_cp(next) && cp != 0xAB && cp != 0xBB) return 0;
  *mpos = p;
  *mlen = len;
  *mcp = cp;
  return 1;
}

/* Scans one paragraph [b, e). On entry the stack holds at most a carried
 * top-level quote whose continuation mark has been consumed (b is past it). */
static void scan_paragraph(scanner *sc, size_t b, size_t e, uint32_t prev_cp) {
  const unsigned char *s = sc->s;
  size_t p = b, len;
  uint32_t cp = 0, last_cp = 0;
  /* the class of the character before, or -1: side_class(last_cp), found
   * only when a mark follows */
  int prev = side_class(prev_cp), plain;
  while (p < e) {
    int fam, act, next;
    size_t nlen;
    uint32_t ncp;
    if (RUN_KIND[s[p]] < 2) {
      /* a run of ASCII but the straight quote marks, the common case: its
       * end found eight bytes at a time, then its first and last bytes
       * that are no white space (what runs of white space and of other
       * bytes read one after the other would leave) */
      size_t q = p + 1, f = p, l;
#if RUN_SSE2
      while (q + 16 <= e) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + q));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(v, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x22)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x27)))));
        if (m) {
          q += (size_t)__builtin_ctz(m);
          break;
        }
        q += 16;
      }
#endif
      while (q + 8 <= e) {
        uint64_t w;
        memcpy(&w, s + q, 8);
        if ((w & RUN_HIGH) || RUN_HAS(w, 0x22) || RUN_HAS(w, 0x27)) break;
        q += 8;
      }
      while (q < e && RUN_KIND[s[q]] < 2) q++;
      while (f < q && RUN_KIND[s[f]] == 0) f++;
      if (f < q) {
        if (sc->pending_first) {
          int k;
          for (k = 0; k < sc->depth; k++)
            if (sc->st[k].first == SIZE_MAX) sc->st[k].first = f;
          sc->pending_first = 0;
        }
        for (l = q; RUN_KIND[s[l - 1]] == 0; l--) {
        }
        sc->last_ns = l - 1;
      }
      prev = RUN_KIND[s[q - 1]] == 0 ? SIDE_SPACE : ASCII_SIDE[s[q - 1]];
      p = q;
      continue;
    }
    plain = 1; /* U+00C0..U+07FF, U+4000..U+CFFF: no mark, no space */
    if (s[p] >= 0xC3 && s[p] <= 0xDF && p + 1 < e && (s[p + 1] & 0xC0) == 0x80) {
      cp = ((uint32_t)(s[p] & 0x1F) << 6) | (s[p + 1] & 0x3F);
      len = 2;
    } else if (s[p] >= 0xE4 && s[p] <= 0xEC && p + 2 < e && (s[p + 1] & 0xC0) == 0x80 &&
               (s[p + 2] & 0xC0) == 0x80) {
      cp = ((uint32_t)(s[p] & 0x0F) << 12) | ((uint32_t)(s[p + 1] & 0x3F) << 6) | (s[p + 2] & 0x3F);
      len = 3;
    } else {
      cp = lede_utf8_decode(s, p, e, &len);
      plain = 0;
    }
    if (plain) {
      /* the plain characters after it too: what reading them one by one
       * leaves is the last one's end and code point */
      size_t q = p + len, at = p;
      for (;;) {
#if RUN_SSE2
        /* sixteen bytes at a time while they are characters of two bytes */
        while (q + 16 <= e) {
          __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + q));
          /* (as signed bytes: 0xC3..0xDF is -61..-33, 0x80..0xBF is -128..-65) */
          unsigned ld = (unsigned)_mm_movemask_epi8(
              _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-62)), _mm_cmplt_epi8(v, _mm_set1_epi8(-32))));
          unsigned ct = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
          unsigned pair = ld & (ct >> 1), run = pair | (pair << 1), k;
          if (run == 0xFFFF) {
            at = q + 14;
            q += 16;
            continue;
          }
          /* (the run ends with a pair: its last byte ends a character) */
          k = (unsigned)__builtin_ctz(~run);
          if (k > 0) {
            at = q + k - 2;
            q += k;
          }
          break;
        }
#endif
        if (q + 1 < e && s[q] >= 0xC3 && s[q] <= 0xDF && (s[q + 1] & 0xC0) == 0x80) {
          at = q;
          q += 2;
        } else if (q + 2 < e && s[q] >= 0xE4 && s[q] <= 0xEC && (s[q + 1] & 0xC0) == 0x80 &&
                   (s[q + 2] & 0xC0) == 0x80) {
          at = q;
          q += 3;
        } else {
          break;
        }
      }
      if (at != p) {
        cp = q - at == 2 ? ((uint32_t)(s[at] & 0x1F) << 6) | (s[at + 1] & 0x3F)
                         : ((uint32_t)(s[at] & 0x0F) << 12) | ((uint32_t)(s[at + 1] & 0x3F) << 6) |
                               (s[at + 2] & 0x3F);
        len = q - p;
      }
    }
    if (plain || cp == LEDE_BAD || cp < 0x22 || (cp > 0x27 && cp < 0xAB) || mark_family(cp) == FAM_NONE) {
      if (plain || !is_space_cp(cp)) {
        sc->last_ns = p + len - 1;
        if (sc->pending_first) {
          int k;
          for (k = 0; k < sc->depth; k++)
            if (sc->st[k].first == SIZE_MAX) sc->st[k].first = p;
          sc->pending_first = 0;
        }
        prev = -1;
        last_cp = cp;
      } else {
        prev = SIDE_SPACE;
      }
      p += len;
      continue;
    }
    /* a quotation mark or apostrophe */
    if (prev < 0) prev = side_class(last_cp);
    if (p + len < e) {
      ncp = lede_utf8_decode(s, p + len, e, &nlen);
      next = side_class(ncp);
    } else {
      ncp = 0;
      next = SIDE_SPACE;
    }
    act = decide(sc, cp, prev, next, &fam);
    if (act == ACT_OPEN && (cp == 0x27 || cp == 0x2019) && elision(s, p + len, e))
      act = ACT_IGNORE;
    if (act >= 0 && (cp == 0x27 || cp == 0x2019) && act == sc->depth - 1 && next == SIDE_SPACE &&
        p > b && (s[p - 1] == 's' || s[p - 1] == 'S') && p + len + 1 < e && s[p + len + 1] >= 'a' &&
        s[p + len + 1] <= 'z') {
      /* "the players’ union": maybe an apostrophe; a later mark may close */
      open_quote *q = &sc->st[act];
      if (!q->has_pend) {
        size_t last = sc->last_ns;
        if (last != SIZE_MAX && last < q->open + q->mlen) last = SIZE_MAX;
        q->has_pend = 1;
        q->pend_close = p;
        q->pend_len = len;
        q->pend_last = last;
      }
      act = ACT_IGNORE;
    }
    if (act >= 0) {
      /* close level act; inner levels were never closed */
      size_t last = sc->last_ns;
      if (last != SIZE_MAX && last < sc->st[act].open + sc->st[act].mlen) last = SIZE_MAX;
      drop_from(sc, act + 1);
      emit(sc, act, last, p, len);
      sc->depth = act;
    } else if (act == ACT_OPEN) {
      int k = find_style(sc, fam, cp);
      if (k >= 0) {
        /* a second opener of the same kind: the open one was never closed and
         * ends here (a stray mark or a missing close) */
        size_t last = sc->last_ns;
        if (last != SIZE_MAX && last < sc->st[k].open + sc->st[k].mlen) last = SIZE_MAX;
        drop_from(sc, k + 1);
        end_unclosed(sc, k, last);
        sc->depth = k;
      }
    }
    /* the mark is content of every quote still open */
    if (sc->pending_first) {
      int k;
      for (k = 0; k < sc->depth; k++)
        if (sc->st[k].first == SIZE_MAX) sc->st[k].first = p;
      sc->pending_first = 0;
    }
    sc->last_ns = p + len - 1;
    if (act == ACT_OPEN) push_open(sc, fam, cp, p, len, 0);
    prev = act == ACT_OPEN ? SIDE_OPEN : SIDE_PUNCT;
    p += len;
  }
}


/* Reads a range table: {a, b}, {i=, j=} or {start=, stop=}, of integers. */
static int read_range(lua_State *L, int t, lua_Integer *a, lua_Integer *z) {
  static const char *const keys[][2] = { { "i", "j" }, { "start", "stop" } };
  int k;
  lua_rawgeti(L, t, 1);
  lua_rawgeti(L, t, 2);
  if (lua_isnumber(L, -2) && lua_isnumber(L, -1)) {
    int ok = lede_whole_number(L, -2, a) && lede_whole_number(L, -1, z);
    lua_pop(L, 2);
    return ok;
  }
  lua_pop(L, 2);
  for (k = 0; k < 2; k++) {
    lua_getfield(L, t, keys[k][0]);
    lua_getfield(L, t, keys[k][1]);
    if (lua_isnumber(L, -2) && lua_isnumber(L, -1)) {
      int ok = lede_whole_number(L, -2, a) && lede_whole_number(L, -1, z);
      lua_pop(L, 2);
      return ok;
    }
    lua_pop(L, 2);
  }
  return 0;
}

/* The integers the stage keeps in C: a userdata holding a count n, then
 * the integers v (as many as its type says). lede.QuoteRanges,
 * lede.QuoteRuns and lede.QuoteInts are of this layout and share their
 * __len (n) and __tostring (new_counted). */
typedef struct {
  lua_Integer n;
  lua_Integer v[1];
} quote_ints;

/* The ranges of core.prose_ranges: a userdata holding n, then for each
 * range k (0-based) its i, j and block index at v[3k], v[3k + 1], v[3k + 2].
 * The stage's C functions read it where they take a table of ranges. */
#define QUOTE_RANGES "lede.QuoteRanges"

typedef quote_ints quote_ranges;

/* The ranges userdata at idx, or NULL when idx holds something else. */
static const quote_ranges *packed_ranges(lua_State *L, int idx) {
  return (const quote_ranges *)luaL_testudata(L, idx, QUOTE_RANGES);
}

/* The number of ranges at idx: a ranges userdata or a table. */
static lua_Integer ranges_len(lua_State *L, const quote_ranges *qr, int idx) {
  return qr ? qr->n : (lua_Integer)lua_rawlen(L, idx);
}

/* Raises unless argument idx is a table or a ranges userdata. */
static const quote_ranges *check_ranges(lua_State *L, int idx) {
  const quote_ranges *qr;
  if (lua_istable(L, idx)) return NULL;
  qr = packed_ranges(L, idx);
  if (!qr) luaL_argerror(L, idx, lua_pushfstring(L, "table expected, got %s", luaL_typename(L, idx)));
  return qr;
}

/* The end of the paragraph starting at p within [p, e): the next blank line
 * ("blank" mode) or line break ("line" mode). *next receives where the
 * following paragraph's bytes start. */
static size_t paragraph_end(const unsigned char *s, size_t p, size_t e, int line_mode,
                            size_t *next) {
  while (p < e) {
    const unsigned char *nl = memchr(s + p, '\n', e - p);
    size_t q, r;
    if (!nl) break;
    q = (size_t)(nl - s);
    r = q + 1;
    while (r < e && (s[r] == ' ' || s[r] == '\t' || s[r] == '\r')) r++;
    if (line_mode || r >= e || s[r] == '\n') {
      /* a paragraph break: skip every blank line after it */
      while (r < e && (s[r] == ' ' || s[r] == '\t' || s[r] == '\r' || s[r] == '\n')) r++;
      *next = r;
      return q;
    }
    p = r;
  }
  *next = e;
  return e;
}

/* Ends the paragraph: inner quotes are dropped; a top-level quote still open
 * continues into the paragraph at [nb, ne) when it opens with a mark of the
 * same family, else ends unclosed. Returns where scanning of the next
 * paragraph starts. */
static size_t end_paragraph(scanner *sc, int cont, int has_next, size_t nb, size_t ne,
                            int parts_idx) {
  size_t mpos, mlen;
  uint32_t mcp;
  if (sc->depth > 1) drop_from(sc, 1);
  if (sc->depth == 0) return nb;
  if (sc->st[0].has_pend) {
    drop_from(sc, 0);
    return nb;
  }
  if (cont && has_next && sc->st[0].first != SIZE_MAX && sc->last_ns != SIZE_MAX &&
      continues(sc->s, nb, ne, sc->st[0].fam, &mpos, &mlen, &mcp)) {
    lua_State *L = sc->L;
    open_quote *q = &sc->st[0];
    if (!q->parts_ref) {
      lua_newtable(L);
      lua_replace(L, parts_idx);
      q->parts_ref = parts_idx;
      q->nparts = 0;
    }
    lua_pushinteger(L, (lua_Integer)q->first + 1);
    lua_rawseti(L, q->parts_ref, ++q->nparts);
    lua_pushinteger(L, (lua_Integer)sc->last_ns + 1);
    lua_rawseti(L, q->parts_ref, ++q->nparts);
    q->first = SIZE_MAX;
    q->paragraphs++;
    sc->pending_first = 1;
    sc->last_ns = SIZE_MAX;
    return mpos + mlen;
  }
  {
    size_t last = sc->last_ns;
    if (last != SIZE_MAX && last < sc->st[0].open + sc->st[0].mlen) last = SIZE_MAX;
    emit(sc, 0, last, 0, 0);
    sc->depth = 0;
  }
  return nb;
}

static const char *const QUOTES_OPTS[] = { "blocks", "paragraphs", "continue", "nested", "brief", "packed",
                                            "into", NULL };

static int l_qlist_gc(lua_State *L) {
  quote_list *ql = (quote_list *)luaL_checkudata(L, 1, QUOTE_LIST);
  free(ql->v);
  ql->v = NULL;
  ql->n = 0;
  ql->cap = 0;
  ql->closed = 1;
  return 0;
}

/* The lede.QuoteList at idx, or NULL when idx holds something else;
 * raises "closed" on a closed one. */
static quote_list *test_list(lua_State *L, int idx) {
  quote_list *ql = (quote_list *)luaL_testudata(L, idx, QUOTE_LIST);
  if (ql && ql->closed) luaL_error(L, "closed");
  return ql;
}

static int l_qlist_len(lua_State *L) {
  quote_list *ql = (quote_list *)luaL_checkudata(L, 1, QUOTE_LIST);
  lua_pushinteger(L, ql->closed ? 0 : ql->n);
  return 1;
}

static int l_qlist_tostring(lua_State *L) {
  quote_list *ql = (quote_list *)luaL_checkudata(L, 1, QUOTE_LIST);
  if (ql->closed) lua_pushliteral(L, QUOTE_LIST " (closed)");
  else lua_pushfstring(L, QUOTE_LIST "(%d quotes)", (int)ql->n);
  return 1;
}

/* list:get(k) -> {start=, stop=, open=, close=, close_mark=, parts=,
 * token=, para=} as core.quotes(..., {brief = true}) makes it (token and
 * para once core.quote_tokens set them), or nil when there is no quote k */
static int l_qlist_get(lua_State *L) {
  quote_list *ql = (quote_list *)luaL_checkudata(L, 1, QUOTE_LIST);
  lua_Integer k = luaL_checkinteger(L, 2);
  const qrec *r;
  if (ql->closed) return luaL_error(L, "closed");
  if (k < 1 || k > ql->n) return 0;
  r = &ql->v[k - 1];
  lua_createtable(L, 0, 8);
  set_int(L, "start", r->start);
  set_int(L, "stop", r->stop);
  set_int(L, "open", r->open);
  if (r->close) {
    size_t n;
    const char *text;
    set_int(L, "close", r->close);
    lua_getiuservalue(L, 1, 1);
    lua_rawgeti(L, -1, 0);
    text = lua_tolstring(L, -1, &n);
    if (text && r->close + r->clen - 1 <= (lua_Integer)n) {
      lua_pushlstring(L, text + r->close - 1, (size_t)r->clen);
      lua_setfield(L, -4, "close_mark");
    }
    lua_pop(L, 2);
  }
  if (r->parts) {
    lua_getiuservalue(L, 1, 1);
    lua_rawgeti(L, -1, k);
    lua_setfield(L, -3, "parts");
    lua_pop(L, 1);
  }
  if (r->token) set_int(L, "token", r->token);
  if (r->para) set_int(L, "para", r->para);
  return 1;
}

/* core.quotes(s [, i [, j [, opts]]]) -> array of quotes */
static int l_quotes(lua_State *L) {
  size_t n, b, e;
  const char *str = luaL_checklstring(L, 1, &n);
  lua_Integer i = luaL_optinteger(L, 2, 1);
  lua_Integer j = luaL_optinteger(L, 3, -1);
  int line_mode = 0, cont = 1, nested = 1, brief = 0, has_blocks = 0, packed = 0, parts_idx;
  scanner sc;
  lede_range(i, j, n, &b, &e);
  if (!lua_isnoneornil(L, 4)) {
    luaL_checktype(L, 4, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 4)) {
      int k, known = 0;
      if (lua_type(L, -2) == LUA_TSTRING) {
        const char *key = lua_tostring(L, -2);
        for (k = 0; QUOTES_OPTS[k]; k++)
          if (strcmp(key, QUOTES_OPTS[k]) == 0) known = 1;
      }
      if (!known) {
        lua_pushvalue(L, -2);
        return luaL_error(L, "core.quotes: unknown option '%s'", luaL_tolstring(L, -1, NULL));
      }
      lua_pop(L, 1);
    }
    lua_getfield(L, 4, "paragraphs");
    if (!lua_isnil(L, -1)) {
      const char *m = lua_tostring(L, -1);
      if (lua_type(L, -1) != LUA_TSTRING || (strcmp(m, "blank") != 0 && strcmp(m, "line") != 0))
        return luaL_error(L, "core.quotes: opts.paragraphs must be \"blank\" or \"line\"");
      line_mode = m[0] == 'l';
    }
    lua_pop(L, 1);
    lua_getfield(L, 4, "continue");
    if (!lua_isnil(L, -1)) {
      if (!lua_isboolean(L, -1)) return luaL_error(L, "core.quotes: opts.continue must be a boolean");
      cont = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    lua_getfield(L, 4, "nested");
    if (!lua_isnil(L, -1)) {
      if (!lua_isboolean(L, -1)) return luaL_error(L, "core.quotes: opts.nested must be a boolean");
      nested = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    lua_getfield(L, 4, "brief");
    if (!lua_isnil(L, -1)) {
      if (!lua_isboolean(L, -1)) return luaL_error(L, "core.quotes: opts.brief must be a boolean");
      brief = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    lua_getfield(L, 4, "packed");
    if (!lua_isnil(L, -1)) {
      if (!lua_isboolean(L, -1)) return luaL_error(L, "core.quotes: opts.packed must be a boolean");
      packed = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    lua_getfield(L, 4, "blocks");
    if (!lua_isnil(L, -1)) {
      if (!lua_istable(L, -1) && !packed_ranges(L, -1))
        return luaL_error(L, "core.quotes: opts.blocks must be a table");
      has_blocks = 1;
    }
    lua_pop(L, 1);
  }
  lua_settop(L, 4);
  memset(&sc, 0, sizeof sc);
  if (packed) {
    /* 5: the list (opts.into, filled again, or a new one); 6: its parts
     * table (the result the scan writes the parts to) */
    lua_getfield(L, 4, "into");
    sc.list = test_list(L, 5);
    if (!sc.list) {
      if (!lua_isnil(L, 5)) return luaL_error(L, "core.quotes: opts.into must be a " QUOTE_LIST);
      lua_pop(L, 1);
      sc.list = (quote_list *)lua_newuserdatauv(L, sizeof *sc.list, 1);
      memset(sc.list, 0, sizeof *sc.list);
      luaL_setmetatable(L, QUOTE_LIST);
      lua_newtable(L);
      lua_setiuservalue(L, 5, 1);
    }
    lua_getiuservalue(L, 5, 1);
    if (!lua_istable(L, 6)) return luaL_error(L, "core.quotes: opts.into is broken");
    /* (the text at 0, for list:get's closing marks) */
    lua_pushvalue(L, 1);
    lua_rawseti(L, 6, 0);
    {
      /* the parts of the call before go (also those of a call cut short
       * by an error) */
      lua_Integer k;
      for (k = 1; k <= sc.list->pmax; k++) {
        lua_pushnil(L);
        lua_rawseti(L, 6, k);
      }
      sc.list->pmax = 0;
      sc.list->n = 0;
    }
    sc.result = 6;
  } else {
    lua_newtable(L); /* 5: result */
    lua_pushnil(L);  /* (6) */
    sc.result = 5;
  }
  lua_pushnil(L);       /* 7: parts of the carried quote */
  parts_idx = 7;
  if (has_blocks) lua_getfield(L, 4, "blocks"); /* 8 */
  sc.L = L;
  sc.s = (const unsigned char *)str;
  sc.keys = lua_upvalueindex(1);
  sc.nested = nested;
  sc.brief = brief;
  sc.last_ns = SIZE_MAX;
  if (has_blocks) {
    const quote_ranges *qr = packed_ranges(L, 8);
    lua_Integer nb = ranges_len(L, qr, 8), k;
    size_t prev_e = 0;
    int have = 0;
    for (k = 1; k <= nb; k++) {
      lua_Integer a, z;
      size_t cb, ce, start;
      if (qr) {
        a = qr->v[3 * (k - 1)];
        z = qr->v[3 * (k - 1) + 1];
      } else {
        lua_rawgeti(L, 8, k);
        if (!lua_istable(L, -1) || !read_range(L, lua_gettop(L), &a, &z))
          return luaL_error(L, "core.quotes: opts.blocks[%d] must be a range {i, j}", (int)k);
        lua_pop(L, 1);
      }
      if (a < 1) a = 1;
      if (z > (lua_Integer)n) z = (lua_Integer)n;
      if (a > z) continue;
      cb = (size_t)(a - 1);
      ce = (size_t)z;
      if (cb < b) cb = b;
      if (ce > e) ce = e;
      if (cb >= ce) continue;
      if (have && cb < prev_e)
        return luaL_error(L, "core.quotes: opts.blocks[%d] overlaps or precedes the block before it",
                          (int)k);
      start = have ? end_paragraph(&sc, cont, 1, cb, ce, parts_idx) : cb;
      scan_paragraph(&sc, start, ce, 0);
      have = 1;
      prev_e = ce;
    }
    if (have) end_paragraph(&sc, cont, 0, e, e, parts_idx);
  } else if (b < e) {
    size_t p = b, next, pe = paragraph_end(sc.s, b, e, line_mode, &next);
    for (;;) {
      size_t n2, pe2;
      scan_paragraph(&sc, p, pe, 0);
      if (next >= e) break;
      pe2 = paragraph_end(sc.s, next, e, line_mode, &n2);
      p = end_paragraph(&sc, cont, 1, next, pe2, parts_idx);
      pe = pe2;
      next = n2;
    }
    end_paragraph(&sc, cont, 0, e, e, parts_idx);
  }
  if (sc.list) {
    /* compact (dropped quotes left holes in the reserved slots), the
     * parts moved along */
    quote_list *ql = sc.list;
    lua_Integer k, m = 0;
    for (k = 1; k <= sc.slots; k++) {
      qrec *r = &ql->v[k - 1];
      if (!r->filled) continue;
      m++;
      if (m == k) continue;
      ql->v[m - 1] = *r;
      if (r->parts) {
        lua_rawgeti(L, 6, k);
        lua_rawseti(L, 6, m);
        lua_pushnil(L);
        lua_rawseti(L, 6, k);
      }
    }
    ql->n = m;
    lua_settop(L, 5);
    return 1;
  }
  /* compact: dropped quotes left holes in the reserved slots */
  if (sc.filled != sc.slots) {
    lua_Integer k, m = 0;
    lua_createtable(L, (int)(sc.filled > 0x7fffffff ? 0 : sc.filled), 0);
    for (k = 1; k <= sc.slots; k++) {
      lua_rawgeti(L, 5, k);
      if (lua_isnil(L, -1)) { lua_pop(L, 1); continue; }
      lua_rawseti(L, -2, ++m);
    }
    return 1;
  }
  lua_pushvalue(L, 5);
  return 1;
}

/* ---- sentences of a token stream ----------------------------------- */

/* Pushes field name of the table at tk, which must be a table (else raises,
 * naming the function fname); returns its stack index. */
static int tk_array(lua_State *L, int tk, const char *name, const char *fname) {
  lua_getfield(L, tk, name);
  if (!lua_istable(L, -1)) luaL_error(L, "%s: tk.%s must be a table", fname, name);
  return lua_gettop(L);
}

/* The kind letter of tk.k[t] ('w', 'p', 'q', 'b', 'g'), 0 for anything else
 * (nil past the end). */
static int kind_at(lua_State *L, int K, lua_Integer t) {
  size_t len;
  const char *k;
  int c = 0;
  lua_rawgeti(L, K, t);
  k = lua_tolstring(L, -1, &len);
  if (k != NULL && len == 1 && lua_type(L, -1) == LUA_TSTRING) c = (unsigned char)k[0];
  lua_pop(L, 1);
  return c;
}

/* First byte of the string tk.w[t], or -1 when it is empty or no string. */
static int first_byte(lua_State *L, int W, lua_Integer t) {
  size_t len;
  const char *w;
  int c = -1;
  lua_rawgeti(L, W, t);
  if (lua_type(L, -1) == LUA_TSTRING) {
    w = lua_tolstring(L, -1, &len);
    if (len > 0) c = (unsigned char)w[0];
  }
  lua_pop(L, 1);
  return c;
}

/* Positions read from Lua tables are kept within +-2^60: no text is that
 * long, and the arithmetic on them (+1, -1, differences) cannot overflow. */
#define POS_LIMIT ((lua_Integer)1 << 60)

/* The number at stack index idx as a bounded integer (see POS_LIMIT). */
static lua_Integer bounded_int(lua_State *L, int idx) {
#if LUA_VERSION_NUM < 503
  /* numbers are doubles: clamp before converting (NaN reads as 0) */
  lua_Number d = lua_tonumber(L, idx);
  if (!(d == d)) return 0;
  if (d > (lua_Number)POS_LIMIT) return POS_LIMIT;
  if (d < -(lua_Number)POS_LIMIT) return -POS_LIMIT;
  return (lua_Integer)d;
#else
  lua_Integer v = lua_tointeger(L, idx);
  return v > POS_LIMIT ? POS_LIMIT : v < -POS_LIMIT ? -POS_LIMIT : v;
#endif
}

static lua_Integer integer_at(lua_State *L, int T, lua_Integer t, int *ok) {
  lua_Integer v;
  lua_rawgeti(L, T, t);
  *ok = lua_type(L, -1) == LUA_TNUMBER;
  v = *ok ? bounded_int(L, -1) : 0;
  lua_pop(L, 1);
  return v;
}

/* Whether the quote quotes[qi] ends its sentence: its content's last byte
 * is . ! ? or it ends with an ellipsis. */
static int quote_ends_sentence(lua_State *L, int Q, int quotes, lua_Integer t,
                               const unsigned char *s, size_t n) {
  int ok = 0;
  lua_Integer qi = integer_at(L, Q, t, &ok), stop;
  if (!ok) return 0;
  lua_rawgeti(L, quotes, qi);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  lua_getfield(L, -1, "stop");
  ok = lua_type(L, -1) == LUA_TNUMBER;
  stop = ok ? lua_tointeger(L, -1) : 0;
  lua_pop(L, 2);
  if (!ok || stop < 1 || (size_t)stop > n) return 0;
  {
    unsigned char c = s[stop - 1];
    if (c == '.' || c == '!' || c == '?') return 1;
  }
  return stop >= 3 && s[stop - 3] == 0xE2 && s[stop - 2] == 0x80 && s[stop - 1] == 0xA6;
}

/* Whether the word token before a period keeps it (an abbreviation, an
 * initial "J", "U.S"): the period then ends no sentence. */
static int keeps_period(lua_State *L, int W, int abbrevs, lua_Integer t) {
  size_t len;
  const unsigned char *w;
  int keep;
  lua_rawgeti(L, W, t);
  if (lua_type(L, -1) != LUA_TSTRING) {
    lua_pop(L, 1);
    return 0;
  }
  w = (const unsigned char *)lua_tolstring(L, -1, &len);
  if (len == 1 && w[0] >= 'A' && w[0] <= 'Z') keep = 1;
  else if (len == 3 && w[0] >= 'A' && w[0] <= 'Z' && w[1] == '.' && w[2] >= 'A' && w[2] <= 'Z') keep = 1;
  else {
    lua_pushvalue(L, -1);
    lua_pushliteral(L, ".");
    lua_concat(L, 2);
    lua_rawget(L, abbrevs);
    keep = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return keep;
}

static void push_sentence(lua_State *L, int out, lua_Integer *count, lua_Integer a, lua_Integer z) {
  if (out < 0) {
    /* flat: a1, z1, a2, z2, ... */
    lua_pushinteger(L, a);
    lua_rawseti(L, -out, ++*count);
    lua_pushinteger(L, z);
    lua_rawseti(L, -out, ++*count);
    return;
  }
  lua_createtable(L, 2, 0);
  lua_pushinteger(L, a);
  lua_rawseti(L, -2, 1);
  lua_pushinteger(L, z);
  lua_rawseti(L, -2, 2);
  lua_rawseti(L, out, ++*count);
}

/* core.token_sentences(tk, text, quotes, abbrevs) -> array of {a, z} */
static int l_token_sentences(lua_State *L) {
  size_t n;
  const unsigned char *s;
  int K, W, S, E, CAP, Q, quotes = 3, abbrevs = 4, out;
  lua_Integer cnt, t, a = 0, count = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  s = (const unsigned char *)luaL_checklstring(L, 2, &n);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 4);
  K = tk_array(L, 1, "k", "token_sentences");
  W = tk_array(L, 1, "w", "token_sentences");
  S = tk_array(L, 1, "s", "token_sentences");
  E = tk_array(L, 1, "e", "token_sentences");
  CAP = tk_array(L, 1, "cap", "token_sentences");
  Q = tk_array(L, 1, "q", "token_sentences");
  lua_getfield(L, 1, "n");
  cnt = lua_tointeger(L, -1);
  lua_pop(L, 1);
  /* never past the kinds there are (a bad count cannot make a long loop) */
  if (cnt > (lua_Integer)lua_rawlen(L, K)) cnt = (lua_Integer)lua_rawlen(L, K);
  lua_newtable(L);
  out = lua_gettop(L);
  for (t = 1; t <= cnt; t++) {
    int k = kind_at(L, K, t), boundary = 0;
    if (k == 'w') {
      /* a word never ends a sentence */
      if (!a) a = t;
      continue;
    }
    if (k == 'b' || k == 'g') {
      if (a) push_sentence(L, out, &count, a, t - 1);
      a = 0;
      continue;
    }
    if (!a) a = t;
    if (k == 'p') {
      size_t len, x;
      const char *w;
      int stop_mark = 0, dot = 0;
      lua_rawgeti(L, W, t);
      w = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
      if (w != NULL) {
        for (x = 0; x < len; x++)
          if (w[x] == '.' || w[x] == '!' || w[x] == '?') stop_mark = 1;
        dot = len > 0 && w[0] == '.';
      }
      lua_pop(L, 1);
      if (stop_mark) {
        int nk = t < cnt ? kind_at(L, K, t + 1) : 0, starts = 0;
        if (t >= cnt || nk == 'b' || nk == 'g' || nk == 'q') starts = 1;
        else if (nk == 'w') {
          int c = first_byte(L, W, t + 1);
          starts = lede_truthy_at(L, CAP, t + 1) || (c >= '0' && c <= '9');
        } else if (nk == 'p') {
          int c = first_byte(L, W, t + 1);
          starts = c == '(' || c == '[' || c == '"' || c == '\'' || c == 0xE2 || c == 0xC2;
        }
        if (starts) {
          boundary = 1;
          if (dot && t > 1 && kind_at(L, K, t - 1) == 'w') {
            int ok1 = 0, ok2 = 0;
            lua_Integer pe = integer_at(L, E, t - 1, &ok1), ts = integer_at(L, S, t, &ok2);
            if (ok1 && ok2 && pe + 1 == ts && keeps_period(L, W, abbrevs, t - 1)) boundary = 0;
          }
        }
      }
    } else if (k == 'q') {
      int nk = t < cnt ? kind_at(L, K, t + 1) : 0;
      if (nk == 'w' && lede_truthy_at(L, CAP, t + 1) && quote_ends_sentence(L, Q, quotes, t, s, n))
        boundary = 1;
    }
    if (boundary) {
      push_sentence(L, out, &count, a, t);
      a = 0;
    }
  }
  if (a) push_sentence(L, out, &count, a, cnt);
  return 1;
}

/* ---- integers kept in C ------------------------------------------------ */

/* An array of n integers in a userdata (lede.QuoteInts): what
 * core.quote_tokens returns with tk.packed (the cue words, the sentences'
 * token pairs), read in place by the parser's speech. #a and a[k] read it
 * as the array it stands for. */
#define QUOTE_INTS "lede.QuoteInts"

/* The room of the integers userdata of type tname at idx (a lede.QuoteInts,
 * lede.QuoteRuns): how many integers it holds at most (0: none there). */
static lua_Integer ints_room(lua_State *L, int idx, const char *tname) {
  if (!luaL_testudata(L, idx, tname)) return 0;
  return (lua_Integer)((lua_rawlen(L, idx) - offsetof(quote_ints, v)) / sizeof(lua_Integer));
}

static quote_ints *push_ints(lua_State *L, lua_Integer n) {
  quote_ints *a;
  if (n < 0 || n > ((lua_Integer)1 << 40)) luaL_error(L, "too many integers");
  a = (quote_ints *)lua_newuserdatauv(L, sizeof *a + (size_t)n * sizeof(lua_Integer), 0);
  a->n = n;
  luaL_setmetatable(L, QUOTE_INTS);
  return a;
}

static int l_ints_index(lua_State *L) {
  const quote_ints *a = (const quote_ints *)luaL_checkudata(L, 1, QUOTE_INTS);
  lua_Integer k;
  if (lua_type(L, 2) != LUA_TNUMBER || !lede_whole_number(L, 2, &k) || k < 1 || k > a->n) return 0;
  lua_pushinteger(L, a->v[k - 1]);
  return 1;
}

/* Whether range r is wanted: wi the lede.QuoteInts of
 * core.quote_blocks(..., true) (a flag per range), else the table at stack
 * index idx (wanted[r] true). */
static int wanted_at(lua_State *L, int idx, const quote_ints *wi, lua_Integer r) {
  int w;
  if (wi) return r >= 1 && r <= wi->n && wi->v[r - 1] != 0;
  lua_rawgeti(L, idx, r);
  w = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return w;
}

/* The quote_ints userdata at index 1 of the type named by upvalue 1. */
static const quote_ints *check_counted(lua_State *L) {
  return (const quote_ints *)luaL_checkudata(L, 1, lua_tostring(L, lua_upvalueindex(1)));
}

/* #a: its count */
static int l_counted_len(lua_State *L) {
  lua_pushinteger(L, check_counted(L)->n);
  return 1;
}

/* tostring(a): the type name, then the count and upvalue 2 ("" or " ranges") */
static int l_counted_tostring(lua_State *L) {
  const quote_ints *a = check_counted(L);
  lua_pushfstring(L, "%s(%d%s)", lua_tostring(L, lua_upvalueindex(1)), (int)a->n,
                  lua_tostring(L, lua_upvalueindex(2)));
  return 1;
}

/* Registers the metatable tname of a quote_ints type: __index the table
 * of methods (or, when NULL, the function index), __len, and __tostring
 * naming what it counts (unit). */
static void new_counted(lua_State *L, const char *tname, const char *unit, const luaL_Reg *methods,
                        lua_CFunction index) {
  int k;
  luaL_newmetatable(L, tname);
  if (methods) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
  } else {
    lua_pushcfunction(L, index);
  }
  lua_setfield(L, -2, "__index");
  for (k = 0; k < 2; k++) {
    lua_pushstring(L, tname);
    lua_pushstring(L, unit);
    lua_pushcclosure(L, k ? l_counted_tostring : l_counted_len, 2);
    lua_setfield(L, -2, k ? "__tostring" : "__len");
  }
  lua_pop(L, 1);
}

/* ---- scratch memory ---------------------------------------------------- */

/* The scratch block of a call (C arrays it builds and drops): a userdata
 * kept in the registry from one call to the next, taken out while a call
 * uses it (a call made meanwhile gets its own). */
#define SCRATCH_KEY "lede.quotes.scratch"
#define SCRATCH_KEEP ((size_t)1 << 20) /* a bigger block is not kept */

/* Pushes a userdata of at least size bytes and returns its memory. */
static void *scratch_take(lua_State *L, size_t size) {
  lua_getfield(L, LUA_REGISTRYINDEX, SCRATCH_KEY);
  if (lua_type(L, -1) == LUA_TUSERDATA && lua_rawlen(L, -1) >= size) {
    void *mem = lua_touserdata(L, -1);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, SCRATCH_KEY);
    return mem;
  }
  lua_pop(L, 1);
  return lua_newuserdatauv(L, size < 4096 ? 4096 : size, 0);
}

/* Keeps the scratch block at stack index idx for the next call. */
static void scratch_give(lua_State *L, int idx) {
  if (lua_rawlen(L, idx) <= SCRATCH_KEEP) {
    lua_pushvalue(L, idx);
    lua_setfield(L, LUA_REGISTRYINDEX, SCRATCH_KEY);
  }
}

/* ---- the sentences of the body blocks, kept in C ---------------------- */

/* core.body_sentences splits the body blocks into sentences with the
 * splitter of core.block_sentences (lede_split_sentences, src/segment.c)
 * into a lede.Sentences userdata: a flat array of i, j, block triples that
 * core.sentence_runs reads in place. Abbreviations are looked up in a
 * lede.AbbrevSet (core.abbrev_set), a hash of byte strings compared in
 * place, built once. */

/* The abbreviation set: open addressing over a power-of-two table of
 * slots, each the offset + 1 of a key in the pool (0: empty). */
#define ABBREV_SET "lede.AbbrevSet"

typedef struct {
  size_t nslots, nkeys, pool_len, max_len; /* max_len: the longest key */
  uint32_t *slots;     /* nslots of them: pool offset + 1, or 0 */
  uint32_t *hashes;    /* the hash of each slot's key */
  unsigned char *pool; /* the keys, each a 4-byte length then its bytes */
  int closed;
} abbrev_set;

/* FNV-1a of k[0, n): the hash of the abbreviation set. */
static uint32_t fnv_hash(const unsigned char *k, size_t n) {
  uint32_t h = 2166136261u;
  size_t x;
  for (x = 0; x < n; x++) h = (h ^ k[x]) * 16777619u;
  return h;
}

/* Whether k[0, n), followed by a period when dot, is in the set. */
static int abbrev_find(const abbrev_set *a, const unsigned char *k, size_t n, int dot) {
  uint32_t h;
  size_t m, x;
  if (a == NULL || a->nkeys == 0 || n + (size_t)dot > a->max_len) return 0;
  h = fnv_hash(k, n);
  if (dot) h = (h ^ '.') * 16777619u;
  m = a->nslots - 1;
  for (x = h & m;; x = (x + 1) & m) {
    uint32_t off = a->slots[x];
    const unsigned char *e;
    uint32_t len;
    if (off == 0) return 0;
    if (a->hashes[x] != h) continue;
    e = a->pool + off - 1;
    memcpy(&len, e, 4);
    if (len == n + (size_t)dot && memcmp(e + 4, k, n) == 0 && (!dot || e[4 + n] == '.')) return 1;
  }
}

static int abbrev_has(const abbrev_set *a, const unsigned char *k, size_t n) { return abbrev_find(a, k, n, 0); }

static int abbrev_has_dot(const abbrev_set *a, const unsigned char *k, size_t n) { return abbrev_find(a, k, n, 1); }

static int l_abbrev_gc(lua_State *L) {
  abbrev_set *a = (abbrev_set *)luaL_checkudata(L, 1, ABBREV_SET);
  free(a->slots);
  free(a->hashes);
  free(a->pool);
  a->slots = NULL;
  a->hashes = NULL;
  a->pool = NULL;
  a->nkeys = a->nslots = 0;
  a->closed = 1;
  return 0;
}

static int l_abbrev_tostring(lua_State *L) {
  abbrev_set *a = (abbrev_set *)luaL_checkudata(L, 1, ABBREV_SET);
  if (a->closed) lua_pushliteral(L, ABBREV_SET " (closed)");
  else lua_pushfstring(L, ABBREV_SET "(%d keys)", (int)a->nkeys);
  return 1;
}

/* a:has(word) -> boolean */
static int l_abbrev_has(lua_State *L) {
  abbrev_set *a = (abbrev_set *)luaL_checkudata(L, 1, ABBREV_SET);
  size_t n;
  const char *k = luaL_checklstring(L, 2, &n);
  if (a->closed) return luaL_error(L, "closed");
  lua_pushboolean(L, abbrev_has(a, (const unsigned char *)k, n));
  return 1;
}

/* core.abbrev_set(set) -> lede.AbbrevSet: the string keys of set whose
 * value is true (not nil or false). */
static int l_abbrev_set(lua_State *L) {
  abbrev_set *a;
  size_t nkeys = 0, bytes = 0, len, nslots = 8, off = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_toboolean(L, -1)) {
      lua_tolstring(L, -2, &len);
      if (len > 0xFFFFFFF || bytes > 0xFFFFFFF) return luaL_error(L, "abbrev_set: too many bytes");
      nkeys++;
      bytes += len + 4;
    }
    lua_pop(L, 1);
  }
  while (nslots < 2 * nkeys) nslots *= 2;
  a = (abbrev_set *)lua_newuserdatauv(L, sizeof *a, 0);
  memset(a, 0, sizeof *a);
  luaL_setmetatable(L, ABBREV_SET);
  a->slots = (uint32_t *)calloc(nslots, sizeof(uint32_t));
  a->hashes = (uint32_t *)calloc(nslots, sizeof(uint32_t));
  a->pool = (unsigned char *)malloc(bytes + 1);
  if (a->slots == NULL || a->hashes == NULL || a->pool == NULL)
    return luaL_error(L, "abbrev_set: out of memory");
  a->nslots = nslots;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_toboolean(L, -1)) {
      const unsigned char *k = (const unsigned char *)lua_tolstring(L, -2, &len);
      uint32_t h = fnv_hash(k, len), l32 = (uint32_t)len;
      size_t x, m = nslots - 1;
      if (off + 4 + len > bytes) return luaL_error(L, "abbrev_set: the set changed");
      for (x = h & m; a->slots[x] != 0; x = (x + 1) & m) {}
      memcpy(a->pool + off, &l32, 4);
      memcpy(a->pool + off + 4, k, len);
      a->slots[x] = (uint32_t)off + 1;
      a->hashes[x] = h;
      off += 4 + len;
      a->nkeys++;
      if (len > a->max_len) a->max_len = len;
    }
    lua_pop(L, 1);
  }
  a->pool_len = off;
  return 1;
}

/* The sentences: n triples i, j, block at v (1-based inclusive positions,
 * the block's index), cut from the blocks when asked for: core.sentence_runs
 * cuts only the blocks it reads (v then holds theirs), #s and s[k] all of
 * them, in order (full). The text, the abbreviation set, the blocks and the
 * kind (or nil) are kept in the user value, a table {s, abbrevs, blocks,
 * kind}; a block is read when it is cut. */
#define SENTENCES "lede.Sentences"

typedef struct {
  lua_Integer n, cap;
  lua_Integer *v;
  const unsigned char *s;
  size_t slen;
  const abbrev_set *abbrevs;
  int lines, full, closed;
} sent_store;

static void store_sentences(lua_State *L, sent_store *ss, size_t b, size_t e, lua_Integer block);

/* Cuts block k of the blocks at stack index bt into ss when its field kind
 * equals the value at kt (any block when that is nil). */
static void cut_block(lua_State *L, sent_store *ss, int bt, int kt, lua_Integer k) {
  size_t b, e;
  if (!lede_block_span(L, bt, k, kt, ss->slen, "body_sentences", &b, &e)) return;
  if (ss->abbrevs && ss->abbrevs->closed) luaL_error(L, "closed");
  store_sentences(L, ss, b, e, k);
}

/* Pushes the blocks and the kind of the store at stack index idx. */
static void store_blocks(lua_State *L, int idx) {
  lua_getiuservalue(L, idx, 1);
  lua_rawgeti(L, -1, 3);
  lua_rawgeti(L, -2, 4);
  lua_remove(L, -3);
}

/* Cuts every block, in order, unless done (the store at stack index idx). */
static void store_full(lua_State *L, sent_store *ss, int idx) {
  lua_Integer k, nb;
  int top = lua_gettop(L);
  if (ss->full) return;
  store_blocks(L, idx);
  ss->n = 0;
  nb = (lua_Integer)lua_rawlen(L, top + 1);
  for (k = 1; k <= nb; k++) cut_block(L, ss, top + 1, top + 2, k);
  ss->full = 1;
  lua_settop(L, top);
}

static sent_store *check_sentences(lua_State *L, int idx) {
  sent_store *ss = (sent_store *)luaL_checkudata(L, idx, SENTENCES);
  if (ss->closed) luaL_error(L, "closed");
  store_full(L, ss, idx);
  return ss;
}

static int l_sentences_gc(lua_State *L) {
  sent_store *ss = (sent_store *)luaL_checkudata(L, 1, SENTENCES);
  free(ss->v);
  ss->v = NULL;
  ss->n = ss->cap = 0;
  ss->closed = 1;
  return 0;
}

static int l_sentences_len(lua_State *L) {
  lua_pushinteger(L, check_sentences(L, 1)->n);
  return 1;
}

/* s[k] -> {i=, j=, block=} for 1 <= k <= #s, else nil. */
static int l_sentences_index(lua_State *L) {
  sent_store *ss = check_sentences(L, 1);
  lua_Integer k;
  if (lua_type(L, 2) != LUA_TNUMBER || !lede_whole_number(L, 2, &k) || k < 1 || k > ss->n) return 0;
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, ss->v[3 * (k - 1)]);
  lua_setfield(L, -2, "i");
  lua_pushinteger(L, ss->v[3 * (k - 1) + 1]);
  lua_setfield(L, -2, "j");
  lua_pushinteger(L, ss->v[3 * (k - 1) + 2]);
  lua_setfield(L, -2, "block");
  return 1;
}

static int l_sentences_tostring(lua_State *L) {
  sent_store *ss = (sent_store *)luaL_checkudata(L, 1, SENTENCES);
  if (ss->closed) {
    lua_pushliteral(L, SENTENCES " (closed)");
  } else {
    store_full(L, ss, 1);
    lua_pushfstring(L, SENTENCES "(%d sentences)", (int)ss->n);
  }
  return 1;
}

static void sentences_push(lua_State *L, sent_store *ss, size_t b, size_t e, lua_Integer block) {
  if (ss->n == ss->cap) {
    lua_Integer cap = ss->cap ? 2 * ss->cap : 64;
    lua_Integer *v;
    if (cap > ((lua_Integer)1 << 40)) luaL_error(L, "body_sentences: too many sentences");
    v = (lua_Integer *)realloc(ss->v, (size_t)cap * 3 * sizeof(lua_Integer));
    if (v == NULL) luaL_error(L, "body_sentences: out of memory");
    ss->v = v;
    ss->cap = cap;
  }
  ss->v[3 * ss->n] = (lua_Integer)b + 1;
  ss->v[3 * ss->n + 1] = (lua_Integer)e;
  ss->v[3 * ss->n + 2] = block;
  ss->n++;
}

/* Where store_sentences puts the sentences of a block. */
typedef struct {
  lua_State *L;
  sent_store *ss;
  lua_Integer block;
} sent_sink;

static void sink_push(void *ud, size_t b, size_t e) {
  sent_sink *k = (sent_sink *)ud;
  sentences_push(k->L, k->ss, b, e, k->block);
}

static int sink_abbrev(void *ud, const unsigned char *w, size_t n, int again) {
  (void)again;
  return abbrev_has(((sent_sink *)ud)->ss->abbrevs, w, n);
}

/* The sentences of ss's text [b, e) into ss (block: their block index). */
static void store_sentences(lua_State *L, sent_store *ss, size_t b, size_t e, lua_Integer block) {
  sent_sink k;
  LedeSentSink sink;
  k.L = L;
  k.ss = ss;
  k.block = block;
  sink.push = sink_push;
  sink.abbrev = ss->abbrevs && ss->abbrevs->nkeys ? sink_abbrev : NULL;
  sink.ud = &k;
  lede_split_sentences(ss->s, b, e, ss->lines, &sink);
}

/* core.body_sentences(s, blocks [, abbrevs [, opts]]) -> lede.Sentences:
 * the sentences of the blocks (of kind opts.kind when given) as
 * core.block_sentences cuts them; abbrevs a lede.AbbrevSet. */
static int l_body_sentences(lua_State *L) {
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  const abbrev_set *abbrevs = NULL;
  sent_store *ss;
  int lines;
  luaL_checktype(L, 2, LUA_TTABLE);
  if (!lua_isnoneornil(L, 3)) {
    abbrevs = (const abbrev_set *)luaL_testudata(L, 3, ABBREV_SET);
    if (abbrevs == NULL)
      return luaL_error(L, "bad argument #3 to 'body_sentences' (lede.AbbrevSet expected, got %s)",
                        luaL_typename(L, 3));
    if (abbrevs->closed) return luaL_error(L, "closed");
  }
  lines = lede_sentence_opts(L, 4, "body_sentences");
  lua_settop(L, 4);
  ss = (sent_store *)lua_newuserdatauv(L, sizeof *ss, 1); /* 5 */
  memset(ss, 0, sizeof *ss);
  luaL_setmetatable(L, SENTENCES);
  /* the text, the set, the blocks and the kind, kept with the sentences */
  lua_createtable(L, 4, 0);
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, 1);
  lua_pushvalue(L, 3);
  lua_rawseti(L, -2, 2);
  lua_pushvalue(L, 2);
  lua_rawseti(L, -2, 3);
  if (lua_istable(L, 4)) {
    lua_getfield(L, 4, "kind");
    lua_rawseti(L, -2, 4);
  }
  lua_setiuservalue(L, 5, 1);
  ss->s = s;
  ss->slen = n;
  ss->abbrevs = abbrevs;
  ss->lines = lines;
  return 1;
}

/* ---- the sentences worth reading -------------------------------------- */

typedef struct {
  lua_Integer r, i, j;
} sent_ref;

/* Integer field k of a quote record at t, the names at index keys (0 and
 * *ok = 0 when not a number). */
static lua_Integer fk_int_field(lua_State *L, int keys, int t, int k, int *ok) {
  lua_Integer v = 0;
  *ok = fk_get(L, keys, t, k) == LUA_TNUMBER;
  if (*ok) v = bounded_int(L, -1);
  lua_pop(L, 1);
  return v;
}

/* Integer field of the table at t (absolute index) under the key at stack
 * index key, read raw (0 and *ok = 0 when not a number). */
static lua_Integer raw_int(lua_State *L, int t, int key, int *ok) {
  lua_Integer v = 0;
  lua_pushvalue(L, key);
  *ok = lua_rawget(L, t) == LUA_TNUMBER;
  if (*ok) v = bounded_int(L, -1);
  lua_pop(L, 1);
  return v;
}

/* Element k of the array at t (a table) as an integer (0 when not a
 * number). */
static lua_Integer int_elem(lua_State *L, int t, lua_Integer k) {
  lua_Integer v = 0;
  if (lua_rawgeti(L, t, k) == LUA_TNUMBER) v = bounded_int(L, -1);
  lua_pop(L, 1);
  return v;
}

/* Reads the pair {lo, hi} at element k of the array at t into *lo, *hi;
 * raises (naming fname and what) when that element is not a table. */
static void pair_at(lua_State *L, int t, lua_Integer k, const char *fname, const char *what,
                    lua_Integer *lo, lua_Integer *hi) {
  lua_rawgeti(L, t, k);
  if (!lua_istable(L, -1))
    luaL_error(L, "%s: %s %d must be a table {i, j}, got %s", fname, what, (int)k,
               luaL_typename(L, -1));
  *lo = int_elem(L, lua_gettop(L), 1);
  *hi = int_elem(L, lua_gettop(L), 2);
  lua_pop(L, 1);
}

/* Range k (1 <= k <= its length) of the ranges at t (qr: its userdata, or
 * NULL for a table of {i, j}) into *lo, *hi; raises as pair_at does. */
static void range_at(lua_State *L, const quote_ranges *qr, int t, lua_Integer k, const char *fname,
                     lua_Integer *lo, lua_Integer *hi) {
  if (qr) {
    *lo = qr->v[3 * (k - 1)];
    *hi = qr->v[3 * (k - 1) + 1];
  } else {
    pair_at(L, t, k, fname, "range", lo, hi);
  }
}

static int ascii_alnum(unsigned c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether "that" stands at s[p] as the end of a whole word within s[.., b). */
static int that_ends_at(const unsigned char *s, size_t p, size_t b) {
  return p + 4 <= b && s[p] == 't' && s[p + 1] == 'h' && s[p + 2] == 'a' && s[p + 3] == 't' &&
         (p + 4 == b || !ascii_alnum(s[p + 4]));
}

/* The whole-word "that"s of one sentence s[.., b), looked for right to left
 * and each byte once however many hits ask: the positions from lo on have
 * been looked at, best is the rightmost "that" among them (a word start:
 * not after a letter or digit), SIZE_MAX if none. */
typedef struct {
  size_t b, lo, best;
} that_scan;

/* Whether s[a, b) holds "that" as a whole word (Lua's %f[%w]that%f[%W] on
 * that substring), for a < b. */
static int has_that(const unsigned char *s, that_scan *ts, size_t a) {
  size_t p;
  if (that_ends_at(s, a, ts->b)) return 1; /* at a: a word start in s[a, b) */
  if (ts->best != SIZE_MAX && ts->best > a) return 1;
  if (a + 1 >= ts->lo) return 0;
  for (p = ts->lo; p-- > a + 1;) {
    if (that_ends_at(s, p, ts->b) && !ascii_alnum(s[p - 1])) {
      ts->lo = ts->best = p;
      return 1;
    }
  }
  ts->lo = a + 1;
  return 0;
}

/* The runs of core.sentence_runs kept in C (its packed form): for n
 * ranges, v[r - 1] the count of runs of range r (-1: none, the range is
 * read whole), v[n + r - 1] the index of its first pair, then the pairs
 * lo, hi from v[2 n] on. core.quote_tokens reads it in place. */
#define QUOTE_RUNS "lede.QuoteRuns"

typedef quote_ints quote_runs;

/* runs:get(r) -> array of {lo, hi} (as the table form holds) or nil */
static int l_runs_get(lua_State *L) {
  const quote_runs *pk = (const quote_runs *)luaL_checkudata(L, 1, QUOTE_RUNS);
  lua_Integer r = luaL_checkinteger(L, 2), n, x;
  const lua_Integer *pv;
  if (r < 1 || r > pk->n || pk->v[r - 1] < 0) return 0;
  n = pk->v[r - 1];
  pv = pk->v + 2 * pk->n + 2 * pk->v[pk->n + r - 1];
  lua_createtable(L, (int)n, 0);
  for (x = 0; x < n; x++) {
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, pv[2 * x]);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, pv[2 * x + 1]);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, x + 1);
  }
  return 1;
}

/* Cuts into ss (not full) only the blocks of the wanted ranges of qb (nb of
 * them, the wanted flags at stack index 5), when their block indices go up;
 * returns 0 (nothing cut) when they do not. */
static int cut_wanted(lua_State *L, sent_store *ss, int idx, const quote_ranges *qb, lua_Integer nb,
                      const quote_ints *wi) {
  lua_Integer r, prev = 0, nblocks;
  int top = lua_gettop(L);
  for (r = 1; r <= nb; r++) {
    if (!wanted_at(L, 5, wi, r)) continue;
    if (prev > 0 && qb->v[3 * (r - 1) + 2] <= prev) return 0;
    prev = qb->v[3 * (r - 1) + 2];
  }
  store_blocks(L, idx);
  nblocks = (lua_Integer)lua_rawlen(L, top + 1);
  ss->n = 0;
  for (r = 1; r <= nb; r++) {
    lua_Integer k = qb->v[3 * (r - 1) + 2];
    if (k >= 1 && k <= nblocks && wanted_at(L, 5, wi, r)) cut_block(L, ss, top + 1, top + 2, k);
  }
  lua_settop(L, top);
  return 1;
}

/* The range of block index v in keys (nkeys pairs block index, range,
 * sorted by block index), or 0 when v is not there. */
static lua_Integer key_range(const lua_Integer *keys, lua_Integer nkeys, lua_Integer v) {
  lua_Integer a = 0, z = nkeys;
  while (a < z) {
    lua_Integer mid = a + (z - a) / 2;
    if (keys[2 * mid] < v) a = mid + 1;
    else z = mid;
  }
  return a < nkeys && keys[2 * a] == v ? keys[2 * a + 1] : 0;
}

/* core.sentence_runs(text, sentences, ranges, bidx, wanted, hits, weak, quotes)
 * -> runs */
static int l_sentence_runs(lua_State *L) {
  size_t ntext;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &ntext);
  lua_Integer ns, nr, nb, nh, nq, r, k, count = 0, h = 0, qi = 0;
  sent_ref *refs, *sorted;
  lua_Integer *start, *qopen, *qend, *hits, *keys, nkeys = 0;
  char *want;
  size_t bytes;
  int rof, runs, ok, k_block, k_i, k_j, scratch, packed;
  const quote_ranges *qr, *qb;
  quote_runs *pk = NULL;
  lua_Integer np = 0;
  sent_store *store = (sent_store *)luaL_testudata(L, 2, SENTENCES);
  if (store == NULL) luaL_checktype(L, 2, LUA_TTABLE);
  else if (store->closed) return luaL_error(L, "closed");
  const quote_ints *ph = (const quote_ints *)luaL_testudata(L, 6, QUOTE_INTS);
  const quote_ints *wi = (const quote_ints *)luaL_testudata(L, 5, QUOTE_INTS);
  qr = check_ranges(L, 3);
  qb = check_ranges(L, 4);
  if (!wi) luaL_checktype(L, 5, LUA_TTABLE);
  if (!ph) luaL_checktype(L, 6, LUA_TTABLE);
  const quote_list *ql = test_list(L, 8);
  luaL_checktype(L, 7, LUA_TTABLE);
  if (!ql) luaL_checktype(L, 8, LUA_TTABLE);
  packed = lua_toboolean(L, 9);
  /* (10: the runs of a call before, filled again when they have room) */
  lua_settop(L, 10);
  packed = packed && qr != NULL;
  nr = ranges_len(L, qr, 3);
  nb = ranges_len(L, qb, 4);
  nh = (ph ? ph->n : (lua_Integer)lua_rawlen(L, 6)) / 3;
  nq = ql ? ql->n : (lua_Integer)lua_rawlen(L, 8);
  if (nb > nr) nb = nr;
  if (store && !(qb && !store->full && cut_wanted(L, store, 2, qb, nb, wi))) store_full(L, store, 2);
  ns = store ? store->n : (lua_Integer)lua_rawlen(L, 2);
  /* scratch memory owned by Lua: sentence refs twice, group starts, quote
   * bounds, hits, and the wanted flags of one group */
  bytes = (size_t)(2 * ns) * sizeof(sent_ref) + (size_t)(nr + 2) * sizeof(lua_Integer) +
          (size_t)(2 * nq + 3 * nh + 2 * nb + 1) * sizeof(lua_Integer) + (size_t)ns + 2;
  refs = (sent_ref *)scratch_take(L, bytes);
  scratch = lua_gettop(L);
  sorted = refs + ns;
  start = (lua_Integer *)(sorted + ns);
  qopen = start + nr + 2;
  qend = qopen + nq;
  hits = qend + nq;
  keys = hits + 3 * nh;
  want = (char *)(keys + 2 * nb + 1);
  lua_pushliteral(L, "block");
  k_block = lua_gettop(L);
  lua_pushliteral(L, "i");
  k_i = lua_gettop(L);
  lua_pushliteral(L, "j");
  k_j = lua_gettop(L);
  /* block index -> range, for the wanted ranges: block indices that are
   * whole numbers in increasing order (as core.prose_blocks gives them) go
   * to a sorted C array searched by halves; others to a Lua table */
  rof = 0;
  for (r = 1; r <= nb; r++) {
    int w = wanted_at(L, 5, wi, r);
    lua_Integer v;
    if (qb) {
      /* the block indices of core.prose_ranges: whole numbers */
      v = qb->v[3 * (r - 1) + 2];
      if (!w) continue;
      if (!rof && (nkeys == 0 || v > keys[2 * (nkeys - 1)])) {
        keys[2 * nkeys] = v;
        keys[2 * nkeys + 1] = r;
        nkeys++;
        continue;
      }
      lua_pushinteger(L, v);
    } else {
      lua_rawgeti(L, 4, r);
    }
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      break;
    }
    if (w && !rof && lua_type(L, -1) == LUA_TNUMBER && lede_whole_number(L, -1, &v) &&
        (nkeys == 0 || v > keys[2 * (nkeys - 1)])) {
      keys[2 * nkeys] = v;
      keys[2 * nkeys + 1] = r;
      nkeys++;
      lua_pop(L, 1);
      continue;
    }
    if (w && !rof) {
      /* from here on a Lua table, with the pairs so far */
      lua_Integer x;
      lua_newtable(L);
      rof = lua_gettop(L);
      for (x = 0; x < nkeys; x++) {
        lua_pushinteger(L, keys[2 * x]);
        lua_pushinteger(L, keys[2 * x + 1]);
        lua_rawset(L, rof);
      }
      lua_insert(L, -2);
      rof = lua_gettop(L) - 1;
    }
    if (w) {
      lua_pushinteger(L, r);
      lua_rawset(L, rof);
    } else {
      lua_pop(L, 1);
    }
  }
  /* the sentences of the wanted ranges, grouped by range in text order */
  for (k = 1; store && k <= ns; k++) {
    lua_Integer v = store->v[3 * (k - 1) + 2], found = 0;
    if (rof) {
      lua_pushinteger(L, v);
      lua_rawget(L, rof);
      if (lua_type(L, -1) == LUA_TNUMBER) found = lua_tointeger(L, -1);
      lua_pop(L, 1);
    } else {
      found = key_range(keys, nkeys, v);
    }
    if (found) {
      sent_ref *f = &refs[count++];
      f->r = found;
      f->i = store->v[3 * (k - 1)];
      f->j = store->v[3 * (k - 1) + 1];
    }
  }
  for (k = 1; !store && k <= ns; k++) {
    lua_rawgeti(L, 2, k);
    if (lua_istable(L, -1)) {
      int rec = lua_gettop(L);
      lua_Integer found = 0, v;
      lua_pushvalue(L, k_block);
      lua_rawget(L, rec);
      if (rof) {
        if (!lua_isnil(L, -1)) {
          lua_rawget(L, rof);
          if (lua_type(L, -1) == LUA_TNUMBER) found = lua_tointeger(L, -1);
        }
      } else if (nkeys > 0 && lua_type(L, -1) == LUA_TNUMBER && lede_whole_number(L, -1, &v)) {
        found = key_range(keys, nkeys, v);
      }
      if (found) {
        sent_ref *f = &refs[count++];
        f->r = found;
        f->i = raw_int(L, rec, k_i, &ok);
        f->j = raw_int(L, rec, k_j, &ok);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  /* a stable counting sort by range: group r ends up at
   * sorted[start[r - 1], start[r]) */
  for (r = 0; r < nr + 2; r++) start[r] = 0;
  for (k = 0; k < count; k++) start[refs[k].r + 1]++;
  for (r = 1; r < nr + 2; r++) start[r] += start[r - 1];
  for (k = 0; k < count; k++) sorted[start[refs[k].r]++] = refs[k];
  for (k = 0; ql && k < nq; k++) {
    qopen[k] = ql->v[k].open;
    qend[k] = ql->v[k].close ? ql->v[k].close : ql->v[k].stop;
  }
  for (k = 0; !ql && k < nq; k++) {
    lua_rawgeti(L, 8, k + 1);
    if (!lua_istable(L, -1))
      return luaL_error(L, "sentence_runs: quote %d must be a table, got %s", (int)k + 1,
                        luaL_typename(L, -1));
    qopen[k] = fk_int_field(L, lua_upvalueindex(1), -1, FK_OPEN, &ok);
    fk_get(L, lua_upvalueindex(1), -1, FK_CLOSE);
    if (lua_type(L, -1) == LUA_TNUMBER) qend[k] = bounded_int(L, -1);
    else qend[k] = fk_int_field(L, lua_upvalueindex(1), -2, FK_STOP, &ok);
    lua_pop(L, 2);
  }
  for (k = 0; k < 3 * nh; k++) hits[k] = ph ? ph->v[k] : int_elem(L, 6, k + 1);
  if (packed) {
    /* no more runs than sentences read */
    lua_Integer room = ints_room(L, 10, QUOTE_RUNS);
    if (room > 0 && 2 * nr + 2 * count + 1 <= room) {
      lua_pushvalue(L, 10);
      pk = (quote_runs *)lua_touserdata(L, -1);
    } else {
      pk = (quote_runs *)lua_newuserdatauv(L, sizeof *pk + (size_t)(2 * nr + 2 * count) * sizeof(lua_Integer), 0);
      luaL_setmetatable(L, QUOTE_RUNS);
    }
    pk->n = nr;
    for (r = 0; r < nr; r++) pk->v[r] = -1;
  } else {
    lua_createtable(L, nr > 0 && nr < 1 << 20 ? (int)nr : 0, 0);
  }
  runs = lua_gettop(L);
  for (r = 1; r <= nr; r++) {
    lua_Integer nl = start[r] - start[r - 1], nout = 0, cur_k = -1, x;
    const sent_ref *l = sorted + start[r - 1];
    if (nl <= 0) continue;
    memset(want, 0, (size_t)nl + 2);
    /* the sentences a quote overlaps, and the sentence on each side */
    for (k = 1; k <= nl; k++) {
      lua_Integer si = l[k - 1].i, sj = l[k - 1].j;
      while (qi < nq && qend[qi] < si) qi++;
      if (qi < nq && qopen[qi] <= sj) {
        want[k - 1] = 1;
        want[k] = 1;
        want[k + 1] = 1;
      }
    }
    /* the sentences with a cue; a verb that needs "that" counts with "that"
     * after it or near the end */
    for (k = 1; k <= nl; k++) {
      lua_Integer si = l[k - 1].i, sj = l[k - 1].j, x;
      lua_Integer b = sj < (lua_Integer)ntext ? sj : (lua_Integer)ntext;
      that_scan ts;
      ts.b = b > 0 ? (size_t)b : 0;
      ts.lo = ts.b;
      ts.best = SIZE_MAX;
      while (h < nh && hits[3 * h] < si) h++;
      for (x = h; !want[k] && x < nh && hits[3 * x] <= sj; x++) {
        int weak;
        lua_rawgeti(L, 7, hits[3 * x + 2]);
        weak = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (!weak) {
          want[k] = 1;
        } else {
          lua_Integer hx = hits[3 * x + 1];
          if (b - hx < 40) want[k] = 1;
          else if (hx >= 0 && has_that(s, &ts, (size_t)hx)) want[k] = 1;
        }
      }
    }
    /* runs of consecutive wanted sentences; the first and last reach the
     * range's edges */
    if (pk) {
      lua_Integer *pv = pk->v + 2 * nr + 2 * np;
      for (k = 1; k <= nl; k++) {
        if (!want[k]) continue;
        if (cur_k == k - 1 && nout > 0) {
          pv[2 * nout - 1] = l[k - 1].j;
        } else {
          pv[2 * nout] = l[k - 1].i;
          pv[2 * nout + 1] = l[k - 1].j;
          nout++;
        }
        cur_k = k;
      }
      if (nout > 0 && want[1]) pv[0] = qr->v[3 * (r - 1)];
      if (nout > 0 && want[nl]) pv[2 * nout - 1] = qr->v[3 * (r - 1) + 1];
      pk->v[r - 1] = nout;
      pk->v[nr + r - 1] = np;
      np += nout;
      continue;
    }
    for (k = 1, x = 0; k <= nl; k++)
      if (want[k] && (k == 1 || !want[k - 1])) x++;
    lua_createtable(L, (int)x, 0);
    for (k = 1; k <= nl; k++) {
      if (!want[k]) continue;
      if (cur_k == k - 1 && nout > 0) {
        lua_rawgeti(L, -1, nout);
        lua_pushinteger(L, l[k - 1].j);
        lua_rawseti(L, -2, 2);
        lua_pop(L, 1);
      } else {
        lua_createtable(L, 2, 0);
        lua_pushinteger(L, l[k - 1].i);
        lua_rawseti(L, -2, 1);
        lua_pushinteger(L, l[k - 1].j);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, -2, ++nout);
      }
      cur_k = k;
    }
    if (nout > 0 && (want[1] || want[nl]) && qr) {
      lua_Integer ri = qr->v[3 * (r - 1)], rj = qr->v[3 * (r - 1) + 1];
      if (want[1]) {
        lua_rawgeti(L, -1, 1);
        lua_pushinteger(L, ri);
        lua_rawseti(L, -2, 1);
        lua_pop(L, 1);
      }
      if (want[nl]) {
        lua_rawgeti(L, -1, nout);
        lua_pushinteger(L, rj);
        lua_rawseti(L, -2, 2);
        lua_pop(L, 1);
      }
    } else if (nout > 0 && (want[1] || want[nl])) {
      lua_rawgeti(L, 3, r);
      if (lua_istable(L, -1)) {
        if (want[1]) {
          lua_rawgeti(L, -2, 1);
          lua_rawgeti(L, -2, 1);
          lua_rawseti(L, -2, 1);
          lua_pop(L, 1);
        }
        if (want[nl]) {
          lua_rawgeti(L, -2, nout);
          lua_rawgeti(L, -2, 2);
          lua_rawseti(L, -2, 2);
          lua_pop(L, 1);
        }
      }
      lua_pop(L, 1);
    }
    lua_rawseti(L, runs, r);
  }
  scratch_give(L, scratch);
  return 1;
}

/* ---- body blocks that read as prose ------------------------------------ */

/* White space as Lua's %s in the C locale. */
static int c_space(unsigned c) { return c == ' ' || (c >= 9 && c <= 13); }

/* Whether the block s[a, z] (0-based, inclusive) reads as a headline: no
 * sentence punctuation at its end (past white space, straight quotes and
 * the bytes of ” ’ ») and mostly capitalised words (at most 30 words that
 * start with a letter, a digit or a non-ASCII byte; 60% of them capitalised
 * or numbers). */
static int headline_like(const unsigned char *s, size_t a, size_t z) {
  size_t e = z + 1, p, words = 0, caps = 0;
  while (e > a) {
    unsigned c = s[e - 1];
    if (c_space(c) || c == '"' || c == '\'' || c == 0xE2 || c == 0x80 || c == 0x9D || c == 0x99 ||
        c == 0xC2 || c == 0xBB)
      e--;
    else
      break;
  }
  if (e > a) {
    unsigned c = s[e - 1];
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';') return 0;
  }
  p = a;
  while (p <= z) {
    size_t b;
    while (p <= z && c_space(s[p])) p++;
    if (p > z) break;
    b = p;
    while (p <= z && !c_space(s[p])) p++;
    if (ascii_alnum(s[b]) || s[b] >= 0x80) {
      if (++words > 30) return 0;
      if (lede_starts_cap(s + b, p - b) || (s[b] >= '0' && s[b] <= '9')) caps++;
    }
  }
  return words > 0 && caps * 10 >= words * 6;
}

/* How the block ending at byte j (1-based) ends: 2 sentence punctuation or
 * an ellipsis, 1 a closing quote mark, 0 anything else. */
static int prose_end(const unsigned char *s, size_t n, lua_Integer j) {
  unsigned c;
  if (j < 1 || (size_t)j > n) return 0;
  c = s[j - 1];
  if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == ')') return 2;
  if (c == '"' || c == '\'') return 1;
  if (j >= 3) {
    const unsigned char *t = s + j - 3;
    if (t[0] == 0xE2 && t[1] == 0x80 && t[2] == 0xA6) return 2;
    if (t[0] == 0xE2 && t[1] == 0x80 && (t[2] == 0x99 || t[2] == 0x9D)) return 1;
    if (t[1] == 0xC2 && t[2] == 0xBB) return 1;
  }
  return 0;
}

/* The prose blocks of core.prose_blocks(text, blocks) (arguments 1 and 2):
 * their count, and their index, i and j in found[3 k ..] (a scratch block
 * left at stack index 3, to be given back). */
static lua_Integer prose_find(lua_State *L, lua_Integer **found_out) {
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lua_Integer k, nr = 0, *found;
  size_t cap;
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  /* the prose blocks (index, i, j), then the results at their size: no
   * more of them than the blocks before the first nil, a border */
  cap = lua_rawlen(L, 2) + 1;
  found = (lua_Integer *)scratch_take(L, 3 * cap * sizeof(lua_Integer)); /* 3 */
  lua_pushliteral(L, "kind"); /* 4 */
  lua_pushliteral(L, "i");    /* 5 */
  lua_pushliteral(L, "j");    /* 6 */
  lua_pushliteral(L, "body"); /* 7 */
  for (k = 1;; k++) {
    lua_Integer i, j;
    int ok_i, ok_j, body, how;
    int t = lua_rawgeti(L, 2, k); /* 8 */
    if (t == LUA_TNIL) {
      lua_pop(L, 1);
      break;
    }
    if (t != LUA_TTABLE) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, 4);
    t = lua_rawget(L, 8); /* 9 */
    body = t == LUA_TNIL || lua_rawequal(L, 9, 7);
    if (!body) {
      lua_settop(L, 7);
      continue;
    }
    /* i and j at 9 and 10, read, then the three let go of at once */
    lua_pushvalue(L, 5);
    ok_i = lua_rawget(L, 8) == LUA_TNUMBER;
    lua_replace(L, 9);
    lua_pushvalue(L, 6);
    ok_j = lua_rawget(L, 8) == LUA_TNUMBER;
    i = ok_i ? bounded_int(L, 9) : 0;
    j = ok_j ? bounded_int(L, 10) : 0;
    lua_settop(L, 7);
    if (!ok_i || !ok_j || j < i) continue;
    how = prose_end(s, n, j);
    if (how == 2 || (how == 1 && !(i >= 1 && (size_t)j <= n && headline_like(s, (size_t)i - 1, (size_t)j - 1)))) {
      if ((size_t)nr >= cap) return luaL_error(L, "prose_blocks: more blocks than the table's length");
      found[3 * nr] = k;
      found[3 * nr + 1] = i;
      found[3 * nr + 2] = j;
      nr++;
    }
  }
  lua_settop(L, 3);
  *found_out = found;
  return nr;
}

/* core.prose_blocks(text, blocks) -> ranges, bidx, starts */
static int l_prose_blocks(lua_State *L) {
  lua_Integer *found, nr = prose_find(L, &found), x;
  int size = nr < (1 << 24) ? (int)nr : 0;
  lua_createtable(L, size, 0); /* ranges */
  lua_createtable(L, size, 0); /* bidx */
  lua_createtable(L, size, 0); /* starts */
  for (x = 0; x < nr; x++) {
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, found[3 * x + 1]);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, found[3 * x + 2]);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -4, x + 1);
    lua_pushinteger(L, found[3 * x]);
    lua_rawseti(L, -3, x + 1);
    lua_pushinteger(L, found[3 * x + 1]);
    lua_rawseti(L, -2, x + 1);
  }
  scratch_give(L, 3);
  return 3;
}

/* core.prose_ranges(text, blocks) -> ranges, starts */
#define INTO_KEY "lede.quotes.into"

static int l_prose_ranges(lua_State *L) {
  lua_Integer *found, nr, x;
  quote_ranges *qr = NULL;
  size_t room = 0;
  int into = 0;
  /* into: the ranges of a call before, filled again when they have room
   * (held in the registry through prose_find, which lets go of argument 3) */
  if (luaL_testudata(L, 3, QUOTE_RANGES)) {
    qr = (quote_ranges *)lua_touserdata(L, 3);
    room = (lua_rawlen(L, 3) - offsetof(quote_ranges, v)) / (3 * sizeof(lua_Integer));
    into = 1;
    lua_pushvalue(L, 3);
    lua_setfield(L, LUA_REGISTRYINDEX, INTO_KEY);
  } else if (!lua_isnoneornil(L, 3)) {
    return luaL_argerror(L, 3, "lede.QuoteRanges expected");
  }
  nr = prose_find(L, &found);
  if (into && (size_t)nr <= room) {
    lua_getfield(L, LUA_REGISTRYINDEX, INTO_KEY);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, INTO_KEY);
  } else {
    if (into) {
      lua_pushnil(L);
      lua_setfield(L, LUA_REGISTRYINDEX, INTO_KEY);
    }
    qr = (quote_ranges *)lua_newuserdatauv(L, sizeof *qr + (size_t)(3 * nr) * sizeof(lua_Integer), 0);
    luaL_setmetatable(L, QUOTE_RANGES);
  }
  qr->n = nr;
  for (x = 0; x < nr; x++) {
    qr->v[3 * x] = found[3 * x + 1];
    qr->v[3 * x + 1] = found[3 * x + 2];
    qr->v[3 * x + 2] = found[3 * x];
  }
  if (into) {
    /* (the starts are the ranges' i) */
    scratch_give(L, 3);
    return 1;
  }
  lua_createtable(L, nr < (1 << 24) ? (int)nr : 0, 0); /* starts */
  for (x = 0; x < nr; x++) {
    lua_pushinteger(L, found[3 * x + 1]);
    lua_rawseti(L, -2, x + 1);
  }
  scratch_give(L, 3);
  return 2;
}

/* ranges:get(k) -> i, j, block index (nil when there is no range k) */
static int l_ranges_get(lua_State *L) {
  const quote_ranges *qr = (const quote_ranges *)luaL_checkudata(L, 1, QUOTE_RANGES);
  lua_Integer k = luaL_checkinteger(L, 2);
  if (k < 1 || k > qr->n) return 0;
  lua_pushinteger(L, qr->v[3 * (k - 1)]);
  lua_pushinteger(L, qr->v[3 * (k - 1) + 1]);
  lua_pushinteger(L, qr->v[3 * (k - 1) + 2]);
  return 3;
}

/* ---- tokens (as core.token_stream cuts them) --------------------------- */

/* The token stream of the quotes stage is cut by lede_next_token, the
 * tokeniser of core.token_stream (src/segment.c), without a call back into
 * Lua for each stretch of text: the same tokens, the same merges ("U.S.",
 * "Mr.", "J."), the same fields. */

/* ---- eight bytes at a time ------------------------------------------- */

/* Eight bytes at a time (where the compiler counts trailing zeros and the
 * bytes are little-endian): bit 7 of each byte of word_bytes(w) is set when
 * the byte is an ASCII word character (cue_byte 2: a letter, a digit, `_`);
 * no sum below carries into the next byte, every byte being under 0x80
 * there. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CUE_SWAR 1
#define CUE_ONES 0x0101010101010101ull
#define CUE_HIGH 0x8080808080808080ull
/* (m >> 7) * CUE_GATHER >> 56: bit k set when bit 7 of byte k of m is (m
 * has no other bits) */
#define CUE_GATHER 0x0102040810204080ull
#if defined(__SSE2__)
#include <emmintrin.h>
#define CUE_SSE2 1
#else
#define CUE_SSE2 0
#endif
static uint64_t word_bytes(uint64_t w) {
  uint64_t x = w & ~CUE_HIGH, l = x | 0x20 * CUE_ONES, t = x ^ '_' * CUE_ONES;
  uint64_t alpha = (l + (0x80 - 'a') * CUE_ONES) & ~(l + (0x80 - 'z' - 1) * CUE_ONES);
  uint64_t digit = (x + (0x80 - '0') * CUE_ONES) & ~(x + (0x80 - '9' - 1) * CUE_ONES);
  uint64_t under = ~(t + ~CUE_HIGH);
  return (alpha | digit | under) & ~w & CUE_HIGH;
}
#else
#define CUE_SWAR 0
#endif

/* ---- the token stream of the body ------------------------------------- */

/* The code of an ASCII word character for the first-bytes filters (the
 * same for both cases of a letter), 1 to CUE_CODES - 1; 0 any other byte
 * (set with the cue scanner's tables). */
#define CUE_CODES 38
static unsigned char cue_code[256];

/* The lengths of the cue words by their first two bytes (bit k of
 * pre[CUE_CODES * a + b]: a cue word of k bytes starts with a byte of code
 * a, then one of code b, b = 0 when k is 1; long: one has 64 bytes or
 * more): a word no cue word can be is not looked up. Made by
 * core.quote_parser, passed as tk.cuefilter. */
#define CUE_FILTER "lede.QuoteCueFilter"

/* The filter also holds the parser's word flags (its word -> flags table,
 * in C): cap slots of wentry after the struct, then the keys' bytes. */
typedef struct {
  uint64_t flags;
  uint32_t off, len; /* the key in the pool; len 0: an empty slot */
} wentry;

#define CW_BITS 8192

/* Byte -> the byte in ASCII lower case (set with run_class). */
static unsigned char ascii_lower[256];

typedef struct {
  uint64_t pre[CUE_CODES * CUE_CODES];
  int long_words;
  size_t cap; /* a power of two, or 0: no word flags */
  uint64_t empty_flags; /* the flags of the empty key */
  /* two bits of CW_BITS for each key with WT_CUEW (cw_bits): a word whose
   * keys have not both of theirs set is no cue word; all_cue: a key no
   * bits stand for (the empty one) is a cue word, the bits tell nothing */
  uint64_t cw_bloom[CW_BITS / 64];
  int all_cue;
} cue_filter;

#define WT_CONTR (UINT64_C(1) << 40) /* a word whose "'s" is "is" */
#define WT_CUEW (UINT64_C(1) << 41)  /* a cue word */
/* a reporting verb of one word (spec.verb1[key] is a table) and its flags,
 * read once when the parser is made */
#define WT_V1 (UINT64_C(1) << 42)
#define WT_V1ING (UINT64_C(1) << 43)
#define WT_V1DIRECT (UINT64_C(1) << 44)
#define WT_V1BARE (UINT64_C(1) << 45)
#define WT_V1OBJECT (UINT64_C(1) << 46)
#define WORD_KEY_MAX 128

/* Whether a cue word may be the key of len bytes of the word w, whose
 * first byte in lower case is c (w[1] is read when len >= 2). */
LEDE_INLINE int filter_may(const cue_filter *cf, unsigned c, const unsigned char *w, size_t len) {
  if (len >= 64) return cf->long_words;
  return (int)(cf->pre[CUE_CODES * cue_code[c & 0xFF] + (len >= 2 ? cue_code[w[1]] : 0)] >> len & 1);
}

static uint64_t wt_hash(const unsigned char *k, size_t n) {
  /* eight bytes at a time, each block mixed in by a multiplication (no
   * chain of one per byte) */
  uint64_t h = UINT64_C(1469598103934665603) ^ (uint64_t)n;
  size_t x = 0;
  for (; x + 8 <= n; x += 8) {
    uint64_t w = 0;
    size_t y;
    for (y = 0; y < 8; y++) w |= (uint64_t)k[x + y] << (8 * y);
    h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
    h ^= h >> 32;
  }
  if (x < n) {
    uint64_t w = 0;
    size_t y;
    for (y = 0; x + y < n; y++) w |= (uint64_t)k[x + y] << (8 * y);
    h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
  }
  /* every byte into the low bits (the slot) */
  h = (h ^ (h >> 32)) * UINT64_C(0xBF58476D1CE4E5B9);
  return h ^ (h >> 29);
}

/* The flags of key k[0..n) (0 when absent). */
static uint64_t wt_get(const cue_filter *cf, const unsigned char *k, size_t n) {
  const wentry *tab = (const wentry *)(cf + 1);
  const unsigned char *pool = (const unsigned char *)(tab + cf->cap);
  size_t mask = cf->cap - 1, i;
  if (n == 0) return cf->empty_flags;
  for (i = (size_t)wt_hash(k, n) & mask;; i = (i + 1) & mask) {
    const wentry *e = &tab[i];
    if (e->len == 0) return 0;
    if (e->len == n && pool[e->off] == k[0] && memcmp(pool + e->off, k, n) == 0) return e->flags;
  }
}

/* The two bits (of CW_BITS, one in each half of the result) of a key of
 * len bytes whose first eight (fewer when it is shorter) are those of w,
 * byte k in bits 8k to 8k + 7, zeros after them. */
LEDE_INLINE uint32_t cw_bits(uint64_t w, size_t len) {
  uint64_t h = (w ^ (uint64_t)len) * UINT64_C(0x9E3779B97F4A7C15);
  h ^= h >> 29;
  return (uint32_t)(h >> 51) | (uint32_t)(h >> 20 & (CW_BITS - 1)) << 16;
}

LEDE_INLINE int cw_has(const cue_filter *cf, uint32_t bits) {
  uint32_t a = bits & 0xFFFF, b = bits >> 16;
  return (int)(cf->cw_bloom[a >> 6] >> (a & 63) & cf->cw_bloom[b >> 6] >> (b & 63) & 1);
}

/* The first min(n, 8) bytes of k, byte x in bits 8x to 8x + 7 (low: in
 * ASCII lower case). */
LEDE_INLINE uint64_t cw_word(const unsigned char *k, size_t n, int low) {
  uint64_t w = 0;
  size_t x, m = n < 8 ? n : 8;
  for (x = 0; x < m; x++) w |= (uint64_t)(low ? ascii_lower[k[x]] : k[x]) << (8 * x);
  return w;
}

/* Whether the key of the word w[0..n) (0 < n, see word_key: the word in
 * lower case, maybe less a final "'s" or "’s") may be a cue word; avail
 * bytes can be read from w. */
static int cw_may(const cue_filter *cf, const unsigned char *w, size_t n, size_t avail) {
  uint64_t v;
  size_t cut = 0;
  if (cf->all_cue) return 1;
#if CUE_SWAR
  if (avail >= 8) {
    /* (little-endian: byte x in bits 8x to 8x + 7, as cw_word puts it) */
    memcpy(&v, w, 8);
    v |= lede_bytes_in(v, 'A', 'Z') >> 2;
    if (n < 8) v &= ((uint64_t)1 << (8 * n)) - 1;
  } else
#endif
    v = cw_word(w, n, 1);
  (void)avail;
  if (cw_has(cf, cw_bits(v, n))) return 1;
  if (n >= 3 && (w[n - 1] == 's' || w[n - 1] == 'S')) {
    if (w[n - 2] == '\'') cut = 2;
    else if (n > 4 && w[n - 4] == 0xE2 && w[n - 3] == 0x80 && w[n - 2] == 0x99) cut = 4;
  }
  if (cut) {
    size_t kl = n - cut;
    if (kl < 8) v &= ((uint64_t)1 << (8 * kl)) - 1;
    return cw_has(cf, cw_bits(v, kl));
  }
  return 0;
}

/* The lookup key of the word w[0..n) into buf (WORD_KEY_MAX bytes): lower
 * case, less a final "'s" or "’s" unless what is left is a contracted word
 * (lede_push_token_key); its length, or n + 1 when it does not fit. */
static size_t word_key(const cue_filter *cf, const unsigned char *w, size_t n, unsigned char *buf) {
  size_t x, cut = 0;
  if (n > WORD_KEY_MAX) return n + 1;
  for (x = 0; x < n; x++) buf[x] = ascii_lower[w[x]];
  if (n >= 3 && (w[n - 1] == 's' || w[n - 1] == 'S')) {
    if (w[n - 2] == '\'') cut = 2;
    else if (n > 4 && w[n - 4] == 0xE2 && w[n - 3] == 0x80 && w[n - 2] == 0x99) cut = 4;
  }
  if (cut && !(wt_get(cf, buf, n - cut) & WT_CONTR)) return n - cut;
  return n;
}

/* A token as the sentence split reads it: kind letter, start and end, cap,
 * the first byte of its text (-1: none), and for a "q" token whether the
 * quote's content ends as a sentence does. */
typedef struct {
  lua_Integer s, e, para;
  int fb;
  char kind;
  unsigned char cap, qends, cue, merged;
} tok_info;

typedef struct {
  lua_State *L;
  int tk, K, S, E, W, Lw, CAP, PARA, Q; /* stack indices of tk and its arrays */
  /* the built-in tokeniser (no tokenize function given): the stack indices
   * of tk.cue, tk.abbrevs, tk.cuewords and of the strings "w" and "p"; the
   * text; whether the last token is a word, and where it ends */
  int builtin, CUE, ABB, CUES, KW, KP;
  const abbrev_set *abb; /* tk.abbrevs when a lede.AbbrevSet, else NULL */
  const cue_filter *cf; /* tk.cuefilter, or NULL */
  /* stack indices of the strings "", "q", "b" and "g" */
  int KE, KQ, KB, KG;
  /* the arrays s, e, w and para are not filled: views over the records are
   * made at the end instead */
  int view;
  /* records only (tk.records): not even the arrays k, l and cap and the
   * set cue are filled */
  int rec_only;
  /* tk.packed (records only): the cue words and sentences as lede.QuoteInts */
  int packed;
  const unsigned char *s;
  size_t slen;
  int lastw;
  lua_Integer lastE;
  /* with the built-in tokeniser from an empty stream: what the sentence
   * split reads of each token (info[t - 1]), in a userdata at stack index
   * info_idx holding info_cap records after a header record (info[-1]) whose
   * s counts the calls that used the userdata (what tells a view stale) */
  tok_info *info;
  size_t info_cap;
  int info_idx;
  int runs, fn, text, contracted;       /* 0 when runs is nil */
  lua_Integer n, para, run_r, run_i;
  /* the runs of block cache_r read once: cache_n pairs (lo, hi) at runv
   * (-1: the block has none), in a userdata at stack index runv_idx holding
   * runv_cap pairs */
  lua_Integer cache_r, cache_n;
  lua_Integer *runv;
  size_t runv_cap;
  int runv_idx;
  const quote_runs *runs_packed; /* the runs in their packed form, or NULL */
} stream;

/* The record of token t (1-based) when the stream keeps them, else NULL;
 * the userdata doubles when full. */
static tok_info *info_grow(stream *st, lua_Integer t) {
  size_t cap = st->info_cap * 2;
  tok_info *bigger;
  while (cap < (size_t)t) cap *= 2;
  bigger = (tok_info *)lua_newuserdatauv(st->L, (cap + 1) * sizeof(tok_info), 0);
  memcpy(bigger, st->info - 1, (st->info_cap + 1) * sizeof(tok_info));
  lua_replace(st->L, st->info_idx);
  st->info = bigger + 1;
  st->info_cap = cap;
  return &st->info[t - 1];
}

/* (the common case, a record there already, inline; info_grow else) */
LEDE_INLINE tok_info *info_at(stream *st, lua_Integer t) {
  if (!st->info || t < 1) return NULL;
  if ((size_t)t > st->info_cap) return info_grow(st, t);
  return &st->info[t - 1];
}

LEDE_INLINE void info_set(stream *st, lua_Integer t, char kind, lua_Integer b, lua_Integer e, int cap, int fb) {
  tok_info *ti = info_at(st, t);
  if (ti) {
    ti->kind = kind;
    ti->s = b;
    ti->e = e;
    ti->cap = (unsigned char)cap;
    ti->fb = fb;
    ti->qends = 0;
    ti->cue = 0;
    ti->merged = 0;
    ti->para = st->para;
  }
}

/* Appends a token of kind k (no text of its own) at [b, e]. */
static lua_Integer stream_push(stream *st, const char *k, lua_Integer b, lua_Integer e) {
  lua_State *L = st->L;
  lua_Integer n = ++st->n;
  st->lastw = 0;
  st->lastE = e;
  info_set(st, n, k[0], b, e, 0, -1);
  if (st->rec_only) return n;
  lua_pushvalue(L, k[0] == 'q' ? st->KQ : k[0] == 'b' ? st->KB : st->KG);
  lua_rawseti(L, st->K, n);
  if (!st->view) {
    lua_pushinteger(L, b);
    lua_rawseti(L, st->S, n);
    lua_pushinteger(L, e);
    lua_rawseti(L, st->E, n);
    lua_pushvalue(L, st->KE);
    lua_rawseti(L, st->W, n);
    lua_pushinteger(L, st->para);
    lua_rawseti(L, st->PARA, n);
  }
  lua_pushvalue(L, st->KE);
  lua_rawseti(L, st->Lw, n);
  lua_pushboolean(L, 0);
  lua_rawseti(L, st->CAP, n);
  return n;
}

/* Sets tk.cur_para (for a tokenize function). */
static void stream_para(stream *st, lua_Integer r) {
  st->para = r;
  if (st->builtin) return;
  lua_pushinteger(st->L, r);
  lua_setfield(st->L, st->tk, "cur_para");
}

static void builtin_text(stream *st, lua_Integer x, lua_Integer y);

/* Tokenises text[x..y] through the tokeniser function (or the built-in one). */
static void stream_text(stream *st, lua_Integer x, lua_Integer y) {
  lua_State *L = st->L;
  if (y < x) return;
  if (st->builtin) {
    builtin_text(st, x, y);
    return;
  }
  lua_pushinteger(L, st->n);
  lua_setfield(L, st->tk, "n");
  lua_pushvalue(L, st->fn);
  lua_pushvalue(L, st->text);
  lua_pushinteger(L, x);
  lua_pushinteger(L, y);
  lua_pushvalue(L, st->tk);
  lua_pushvalue(L, st->contracted);
  lua_call(L, 5, 0);
  lua_getfield(L, st->tk, "n");
  st->n = bounded_int(L, -1);
  lua_pop(L, 1);
}

/* The start of token t: from its record, else from tk.s. */
static lua_Integer token_start(stream *st, lua_Integer t) {
  lua_Integer ws;
  tok_info *ti = info_at(st, t);
  if (ti) return ti->s;
  lua_rawgeti(st->L, st->S, t);
  ws = lua_tointeger(st->L, -1);
  lua_pop(st->L, 1);
  return ws;
}

/* Byte -> 1 for an ASCII digit, 2 for an upper-case and 4 for a
 * lower-case ASCII letter, 0 for any other byte. */
static unsigned char run_class[256];

static void run_tables(void) {
  unsigned c;
  for (c = 0; c < 256; c++) ascii_lower[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (c = '0'; c <= '9'; c++) run_class[c] = 1;
  for (c = 'A'; c <= 'Z'; c++) run_class[c] = 2;
  for (c = 'a'; c <= 'z'; c++) run_class[c] = 4;
}

/* lede_next_token (src/segment.c), with the common cases read here: ASCII
 * white space, an ASCII punctuation mark, and a run of ASCII letters and
 * digits that ends at the end, or before an ASCII byte that neither goes on
 * with the word (`_`), nor joins it to the next one (' -), nor is a . or ,
 * after a digit. Anything else is handed to lede_next_token from the
 * token's first byte, so that the tokens are the same. */
static int quote_next_token(const unsigned char *s, size_t p, size_t e, size_t *tb, size_t *te,
                            char *shp) {
  unsigned c;
  size_t q, nu = 0;
  int k, first, bits = 0;
  while (p < e && (s[p] <= 0x20 || s[p] == 0x7F)) p++;
  if (p >= e) return 0;
  c = s[p];
  if (c >= 0x80 || c == '_') return lede_next_token(s, p, e, tb, te, shp);
  first = run_class[c];
  if (!first) {
    *tb = p;
    *te = p + 1;
    *shp = 'p';
    return 1;
  }
  q = p;
#if CUE_SWAR
  /* the letters and digits eight at a time: which kinds, how many capitals */
  while (q + 8 <= e) {
    uint64_t w, d, u, l, stop, below;
    memcpy(&w, s + q, 8);
    d = lede_bytes_in(w, '0', '9');
    u = lede_bytes_in(w, 'A', 'Z');
    l = lede_bytes_in(w, 'a', 'z');
    stop = ~(d | u | l) & CUE_HIGH;
    below = stop ? (stop & (~stop + 1)) - 1 : ~(uint64_t)0;
    bits |= (d & below ? 1 : 0) | (u & below ? 2 : 0) | (l & below ? 4 : 0);
    /* (u has only the high bit of a byte set: their count in the top byte) */
    nu += (size_t)((((u & below) >> 7) * CUE_ONES) >> 56);
    if (stop) {
      q += (size_t)__builtin_ctzll(stop) >> 3;
      break;
    }
    q += 8;
  }
#endif
  for (; q < e && (k = run_class[s[q]]) != 0; q++) {
    bits |= k;
    nu += k == 2;
  }
  if (q < e) {
    c = s[q];
    if (c >= 0x80 || c == '_' || c == '\'' || c == '-' ||
        ((c == '.' || c == ',') && s[q - 1] >= '0' && s[q - 1] <= '9'))
      return lede_next_token(s, p, e, tb, te, shp);
  }
  *tb = p;
  *te = q;
  if (bits & 1) *shp = bits == 1 ? 'd' : 'm';
  else if (nu == 0) *shp = 'l';
  else if (!(bits & 4) && nu >= 2) *shp = 'U';
  else if (first == 2 && nu == 1) *shp = 'C';
  else *shp = 'm';
  return 1;
}

/* Appends the tokens of text[x..y] to the stream, as core.token_stream
 * does (the token before may take a period or the next word: "U.S."). */
static void builtin_text(stream *st, lua_Integer x, lua_Integer y) {
  lua_State *L = st->L;
  const unsigned char *s = st->s;
  size_t b, e, p, tb, te;
  char shape;
  lua_Integer cnt = st->n;
  lede_range(x, y, st->slen, &b, &e);
  for (p = b; quote_next_token(s, p, e, &tb, &te, &shape); p = te) {
    lua_Integer ts = (lua_Integer)tb + 1, tend = (lua_Integer)te;
    int glued = cnt > 0 && st->lastw && st->lastE == ts - 1;
    if (shape == 'p') {
      if (glued && tend == ts && s[tb] == '.') {
        /* the word before is s[S[cnt] .. tb): it and the period */
        lua_Integer ws;
        size_t wl;
        const unsigned char *w;
        int merge;
        ws = token_start(st, cnt);
        if (ws < 1 || ws > ts) ws = ts;
        w = s + ws - 1;
        wl = (size_t)(ts - ws);
        if (st->abb) {
          merge = abbrev_has(st->abb, w, wl + 1);
        } else {
          lua_pushlstring(L, (const char *)w, wl + 1);
          lua_rawget(L, st->ABB);
          merge = lua_toboolean(L, -1);
          lua_pop(L, 1);
        }
        merge = merge || (wl == 1 && lede_starts_cap(w, wl)) ||
                (wl == 3 && ((w[0] | 0x20) >= 'a' && (w[0] | 0x20) <= 'z') && w[1] == '.' &&
                 ((w[2] | 0x20) >= 'a' && (w[2] | 0x20) <= 'z'));
        if (merge && st->rec_only) {
          st->lastE = tend;
          info_at(st, cnt)->e = tend;
          info_at(st, cnt)->merged = 1;
          continue;
        }
        if (merge) {
          lua_pushlstring(L, (const char *)w, wl + 1); /* w2 */
          lede_push_lower(L, w, wl + 1);
          lua_rawseti(L, st->Lw, cnt);
          if (st->view) {
            lua_pop(L, 1);
          } else {
            lua_rawseti(L, st->W, cnt); /* w2 */
            lua_pushinteger(L, tend);
            lua_rawseti(L, st->E, cnt);
          }
          st->lastE = tend;
          if (st->info) {
            info_at(st, cnt)->e = tend;
            info_at(st, cnt)->merged = 1;
          }
          continue;
        }
      }
      cnt++;
      info_set(st, cnt, 'p', ts, tend, 0, s[tb]);
      if (st->rec_only) {
        st->lastw = 0;
        st->lastE = tend;
        continue;
      }
      lua_pushvalue(L, st->KP);
      lua_rawseti(L, st->K, cnt);
      lua_pushlstring(L, (const char *)s + tb, te - tb);
      if (!st->view) {
        lua_pushinteger(L, ts);
        lua_rawseti(L, st->S, cnt);
        lua_pushinteger(L, tend);
        lua_rawseti(L, st->E, cnt);
        lua_pushvalue(L, -1);
        lua_rawseti(L, st->W, cnt);
        lua_pushinteger(L, st->para);
        lua_rawseti(L, st->PARA, cnt);
      }
      lua_rawseti(L, st->Lw, cnt);
      lua_pushboolean(L, 0);
      lua_rawseti(L, st->CAP, cnt);
      st->lastw = 0;
      st->lastE = tend;
    } else {
      if (glued && tend - ts < 2) {
        lua_Integer ws;
        size_t wl;
        ws = token_start(st, cnt);
        if (ws < 1 || ws > ts) ws = ts;
        wl = (size_t)(ts - ws);
        if (wl > 0 && s[ts - 2] == '.' && wl <= 3 && st->rec_only) {
          st->lastE = tend;
          info_at(st, cnt)->e = tend;
          info_at(st, cnt)->merged = 1;
          continue;
        }
        if (wl > 0 && s[ts - 2] == '.' && wl <= 3) {
          const unsigned char *w = s + ws - 1;
          size_t l2 = wl + (size_t)(te - tb);
          lua_pushlstring(L, (const char *)w, l2); /* w2 = W[n] .. w */
          lede_push_lower(L, w, l2);
          lua_rawseti(L, st->Lw, cnt);
          if (st->view) {
            lua_pop(L, 1);
          } else {
            lua_rawseti(L, st->W, cnt);
            lua_pushinteger(L, tend);
            lua_rawseti(L, st->E, cnt);
          }
          st->lastE = tend;
          if (st->info) {
            info_at(st, cnt)->e = tend;
            info_at(st, cnt)->merged = 1;
          }
          continue;
        }
      }
      cnt++;
      if (st->rec_only) {
        int cap = shape == 'C' || shape == 'U' ||
                  (shape != 'l' && shape != 'd' && lede_starts_cap(s + tb, te - tb));
        size_t wl = te - tb;
        info_set(st, cnt, 'w', ts, tend, cap, s[tb]);
        /* the key is the word in lower case, maybe less a final 's or ’s */
        if (st->cf && st->cf->cap && wl <= WORD_KEY_MAX) {
          /* looked up only when a cue word has the length of the key (the
           * word, less "'s" or "’s") and its first byte, and when the
           * cue words' bits of its first eight bytes and length are set */
          unsigned c0 = s[tb] >= 'A' && s[tb] <= 'Z' ? s[tb] + 32u : s[tb];
          if ((filter_may(st->cf, c0, s + tb, wl) ||
               (wl >= 3 && (s[te - 1] == 's' || s[te - 1] == 'S') &&
                ((s[te - 2] == '\'' && filter_may(st->cf, c0, s + tb, wl - 2)) ||
                 (wl > 4 && s[te - 4] == 0xE2 && s[te - 3] == 0x80 && s[te - 2] == 0x99 &&
                  filter_may(st->cf, c0, s + tb, wl - 4))))) &&
              cw_may(st->cf, s + tb, wl, st->slen - tb)) {
            unsigned char kb[WORD_KEY_MAX];
            size_t kl = word_key(st->cf, s + tb, wl, kb);
            if (wt_get(st->cf, kb, kl) & WT_CUEW) info_at(st, cnt)->cue = 1;
          }
        } else {
          unsigned c0 = s[tb] >= 'A' && s[tb] <= 'Z' ? s[tb] + 32u : s[tb];
          int may = !st->cf || filter_may(st->cf, c0, s + tb, wl) ||
                    (wl >= 3 && (s[te - 1] == 's' || s[te - 1] == 'S') &&
                     ((s[te - 2] == '\'' && filter_may(st->cf, c0, s + tb, wl - 2)) ||
                      (wl > 4 && s[te - 4] == 0xE2 && s[te - 3] == 0x80 && s[te - 2] == 0x99 &&
                       filter_may(st->cf, c0, s + tb, wl - 4))));
          if (may) {
            lua_pushlstring(L, (const char *)s + tb, wl);
            lede_push_token_key(L, lua_gettop(L), s + tb, wl, st->contracted);
            lua_rawget(L, st->CUES);
            if (lua_toboolean(L, -1)) info_at(st, cnt)->cue = 1;
            lua_pop(L, 2);
          }
        }
        st->lastw = 1;
        st->lastE = tend;
        continue;
      }
      lua_pushvalue(L, st->KW);
      lua_rawseti(L, st->K, cnt);
      if (!st->view) {
        lua_pushinteger(L, ts);
        lua_rawseti(L, st->S, cnt);
        lua_pushinteger(L, tend);
        lua_rawseti(L, st->E, cnt);
      }
      {
        int cap = shape == 'C' || shape == 'U' ||
                  (shape != 'l' && shape != 'd' && lede_starts_cap(s + tb, te - tb));
        lua_pushboolean(L, cap);
        info_set(st, cnt, 'w', ts, tend, cap, s[tb]);
      }
      lua_rawseti(L, st->CAP, cnt);
      if (!st->view) {
        lua_pushinteger(L, st->para);
        lua_rawseti(L, st->PARA, cnt);
      }
      lua_pushlstring(L, (const char *)s + tb, te - tb);
      lede_push_token_key(L, lua_gettop(L), s + tb, te - tb, st->contracted);
      lua_pushvalue(L, -1);
      lua_rawseti(L, st->Lw, cnt); /* key */
      lua_rawget(L, st->CUES);
      if (lua_toboolean(L, -1)) {
        lua_pushboolean(L, 1);
        lua_rawseti(L, st->CUE, cnt);
        if (st->info) info_at(st, cnt)->cue = 1;
      }
      lua_pop(L, 1);
      if (st->view) lua_pop(L, 1);
      else lua_rawseti(L, st->W, cnt);
      st->lastw = 1;
      st->lastE = tend;
    }
  }
  st->n = cnt;
}

/* Reads the runs of block r into st->runv (once per block) and returns
 * their count, or -1 when block r has no runs (all of it is read). The runs
 * of a block must be in order, each {lo, hi} with lo <= hi and after the one
 * before, so that a run is found by binary search. */
static lua_Integer stream_runs(stream *st, lua_Integer r) {
  lua_State *L = st->L;
  lua_Integer n, ri, lo, hi, prev = 0;
  int t;
  if (!st->runs) return -1;
  if (st->cache_r == r) return st->cache_n;
  st->cache_r = r;
  st->cache_n = -1;
  if (st->runs_packed) {
    const quote_runs *pk = st->runs_packed;
    if (r < 1 || r > pk->n || pk->v[r - 1] < 0) return -1;
    n = pk->v[r - 1];
    st->runv = (lua_Integer *)(pk->v + 2 * pk->n + 2 * pk->v[pk->n + r - 1]);
    for (ri = 1; ri <= n; ri++) {
      lo = st->runv[2 * (ri - 1)];
      hi = st->runv[2 * (ri - 1) + 1];
      if (lo > hi || (ri > 1 && lo <= prev))
        luaL_error(L, "quote_tokens: run %d of block %d is out of order", (int)ri, (int)r);
      prev = hi;
    }
    st->cache_n = n;
    return n;
  }
  lua_rawgeti(L, st->runs, r);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return -1;
  }
  t = lua_gettop(L);
  n = (lua_Integer)lua_rawlen(L, t);
  if (n > 0 && (size_t)n > st->runv_cap) {
    size_t cap = st->runv_cap ? st->runv_cap : 16;
    while (cap < (size_t)n) cap *= 2;
    st->runv = (lua_Integer *)lua_newuserdatauv(L, 2 * cap * sizeof(lua_Integer), 0);
    lua_replace(L, st->runv_idx);
    st->runv_cap = cap;
  }
  for (ri = 1; ri <= n; ri++) {
    pair_at(L, t, ri, "quote_tokens", "run", &lo, &hi);
    if (lo > hi || (ri > 1 && lo <= prev))
      luaL_error(L, "quote_tokens: run %d of block %d is out of order", (int)ri, (int)r);
    prev = hi;
    st->runv[2 * (ri - 1)] = lo;
    st->runv[2 * (ri - 1) + 1] = hi;
  }
  lua_pop(L, 1);
  st->cache_n = n;
  return n;
}

/* Index of the first run (1..n + 1) of the n runs at rv that ends at pos or
 * after it. */
static lua_Integer run_search(const lua_Integer *rv, lua_Integer n, lua_Integer pos) {
  lua_Integer a = 1, z = n + 1; /* runs before a end before pos; z and after do not */
  while (a < z) {
    lua_Integer mid = a + (z - a) / 2;
    if (rv[2 * (mid - 1) + 1] < pos) a = mid + 1;
    else z = mid;
  }
  return a;
}

/* Notes that the stream is in run ri of block r; a "g" token at pos marks a
 * jump over sentences left out. */
static void stream_run(stream *st, lua_Integer r, lua_Integer ri, lua_Integer pos) {
  if (st->run_r == r && st->run_i != ri) stream_push(st, "g", pos, pos);
  st->run_r = r;
  st->run_i = ri;
}

/* Moves into the run of block r holding pos, if any. */
static void stream_enter(stream *st, lua_Integer r, lua_Integer pos) {
  lua_Integer nruns = stream_runs(st, r), ri;
  if (nruns < 0) return;
  ri = run_search(st->runv, nruns, pos);
  if (ri <= nruns && pos >= st->runv[2 * (ri - 1)]) stream_run(st, r, ri, pos);
}

/* Tokenises text[x..y] of block r: only its runs when it has some. */
static void stream_block(stream *st, lua_Integer r, lua_Integer x, lua_Integer y) {
  lua_Integer nruns = stream_runs(st, r), ri;
  if (nruns < 0) {
    stream_text(st, x, y);
    return;
  }
  for (ri = run_search(st->runv, nruns, x); ri <= nruns; ri++) {
    lua_Integer lo = st->runv[2 * (ri - 1)], hi = st->runv[2 * (ri - 1) + 1];
    if (lo > y) break;
    if (lo < x) lo = x;
    if (hi > y) hi = y;
    if (lo <= hi) {
      stream_run(st, r, ri, lo);
      stream_text(st, lo, hi);
    }
  }
}

/* __newindex of a view: raises. */
static int view_newindex(lua_State *L) {
  return luaL_error(L, "quote_tokens: the token views are read-only");
}

/* __index of a view (upvalues: the records, the text, the token count, the
 * field: 's', 'e', 'w' or 'p' for para, the records' generation): the field
 * of token t, nil for anything but a token's number; raises once a later
 * call has reused the records. */
static int view_index(lua_State *L) {
  const tok_info *info = (const tok_info *)lua_touserdata(L, lua_upvalueindex(1));
  size_t cap = lua_rawlen(L, lua_upvalueindex(1)) / sizeof(tok_info), slen;
  const char *text = lua_tolstring(L, lua_upvalueindex(2), &slen);
  lua_Integer n = lua_tointeger(L, lua_upvalueindex(3)), t = 0;
  int field = (int)lua_tointeger(L, lua_upvalueindex(4));
  const tok_info *ti;
  if (!info || cap < 1) {
    lua_pushnil(L);
    return 1;
  }
  if (info[0].s != lua_tointeger(L, lua_upvalueindex(5)))
    return luaL_error(L, "quote_tokens: the token views are stale (a later call reused the records)");
  info++;
  cap--;
  if (lua_type(L, 2) == LUA_TNUMBER) {
    lua_Number v = lua_tonumber(L, 2);
    if (v >= 1 && v <= (lua_Number)n && (lua_Number)(lua_Integer)v == v) t = (lua_Integer)v;
  }
  if (!info || !text || t < 1 || t > n || (size_t)t > cap) {
    lua_pushnil(L);
    return 1;
  }
  ti = &info[t - 1];
  switch (field) {
  case 's': lua_pushinteger(L, ti->s); break;
  case 'e': lua_pushinteger(L, ti->e); break;
  case 'p': lua_pushinteger(L, ti->para); break;
  default:
    if ((ti->kind == 'w' || ti->kind == 'p') && ti->s >= 1 && ti->e >= ti->s && (size_t)ti->e <= slen)
      lua_pushlstring(L, text + ti->s - 1, (size_t)(ti->e - ti->s + 1));
    else
      lua_pushliteral(L, "");
  }
  return 1;
}

/* Sets tk.s, tk.e, tk.w and tk.para to read-only views over the records. */
static void make_views(stream *st) {
  static const char *const names[] = { "s", "e", "w", "para" };
  static const char fields[] = { 's', 'e', 'w', 'p' };
  lua_State *L = st->L;
  int k;
  for (k = 0; k < 4; k++) {
    lua_createtable(L, 0, 0);
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, st->info_idx);
    lua_pushvalue(L, st->text);
    lua_pushinteger(L, st->n);
    lua_pushinteger(L, fields[k]);
    lua_pushinteger(L, st->info[-1].s);
    lua_pushcclosure(L, view_index, 5);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, view_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
    lua_setfield(L, st->tk, names[k]);
  }
}

static int cmp_integer(const void *a, const void *b) {
  lua_Integer x = *(const lua_Integer *)a, y = *(const lua_Integer *)b;
  return x < y ? -1 : x > y;
}

/* Pushes the keys of tk.cue (tk at index tk) that are whole numbers, in
 * increasing order; returns 1. */
static int cue_list(lua_State *L, int tk) {
  lua_Integer *keys, n = 0, cap = 0, x;
  int cue, out;
  lua_getfield(L, tk, "cue");
  cue = lua_gettop(L);
  if (!lua_istable(L, cue)) {
    lua_newtable(L);
    return 1;
  }
  lua_pushnil(L);
  while (lua_next(L, cue)) {
    lua_pop(L, 1);
    cap++;
  }
  keys = (lua_Integer *)lua_newuserdatauv(L, (size_t)(cap > 0 ? cap : 1) * sizeof(lua_Integer), 0);
  lua_pushnil(L);
  while (lua_next(L, cue)) {
    lua_Integer v;
    lua_pop(L, 1);
    if (n < cap && lede_whole_number(L, -1, &v)) keys[n++] = v;
  }
  qsort(keys, (size_t)n, sizeof *keys, cmp_integer);
  lua_createtable(L, n > 0 && n < 1 << 20 ? (int)n : 0, 0);
  out = lua_gettop(L);
  for (x = 0; x < n; x++) {
    lua_pushinteger(L, keys[x]);
    lua_rawseti(L, out, x + 1);
  }
  return 1;
}

/* Whether the word token t (a record) keeps the period after it, as
 * keeps_period reads tk.w[t]: its text is text[s..e]. */
static int info_keeps_period(stream *st, const tok_info *w) {
  const unsigned char *x = st->s + w->s - 1;
  size_t len = (size_t)(w->e - w->s + 1);
  int keep;
  if (w->s < 1 || w->e < w->s || (size_t)w->e > st->slen) return 0;
  if (len == 1 && x[0] >= 'A' && x[0] <= 'Z') return 1;
  if (len == 3 && x[0] >= 'A' && x[0] <= 'Z' && x[1] == '.' && x[2] >= 'A' && x[2] <= 'Z') return 1;
  if (st->abb) return abbrev_has_dot(st->abb, x, len);
  if (len < 64) {
    /* the word and its period made in place */
    char buf[64];
    memcpy(buf, x, len);
    buf[len] = '.';
    lua_pushlstring(st->L, buf, len + 1);
  } else {
    lua_pushlstring(st->L, (const char *)x, len);
    lua_pushliteral(st->L, ".");
    lua_concat(st->L, 2);
  }
  lua_rawget(st->L, st->ABB);
  keep = lua_toboolean(st->L, -1);
  lua_pop(st->L, 1);
  return keep;
}

/* Adds sentence a..z: to flat (a, z) when not NULL, else as push_sentence. */
static void sentence_at(lua_State *L, lua_Integer *flat, int out, lua_Integer *count, lua_Integer a,
                        lua_Integer z) {
  if (flat) {
    flat[(*count)++] = a;
    flat[(*count)++] = z;
  } else {
    push_sentence(L, out, count, a, z);
  }
}

/* Pushes the sentences of the stream as core.token_sentences finds them,
 * from the token records. */
static void info_sentences(stream *st) {
  lua_State *L = st->L;
  lua_Integer cnt = st->n, t, a = 0, count = 0;
  lua_Integer *flat = NULL; /* records only: the pairs, before their table */
  int out;
  if (st->rec_only) {
    /* at most one sentence per token */
    flat = (lua_Integer *)scratch_take(L, (size_t)(2 * cnt + 2) * sizeof(lua_Integer));
    out = 0;
  } else {
    lua_newtable(L);
    out = lua_gettop(L);
  }
  for (t = 1; t <= cnt; t++) {
    const tok_info *ti = &st->info[t - 1];
    int k = ti->kind, boundary = 0;
    if (k == 'w') {
      if (!a) a = t;
      continue;
    }
    if (k == 'b' || k == 'g') {
      if (a) sentence_at(L, flat, out, &count, a, t - 1);
      a = 0;
      continue;
    }
    if (!a) a = t;
    if (k == 'p') {
      /* a punctuation token is one character */
      if (ti->fb == '.' || ti->fb == '!' || ti->fb == '?') {
        const tok_info *nx = t < cnt ? &st->info[t] : NULL;
        int nk = nx ? nx->kind : 0, starts = 0;
        if (t >= cnt || nk == 'b' || nk == 'g' || nk == 'q') starts = 1;
        else if (nk == 'w') starts = nx->cap || (nx->fb >= '0' && nx->fb <= '9');
        else if (nk == 'p')
          starts = nx->fb == '(' || nx->fb == '[' || nx->fb == '"' || nx->fb == '\'' ||
                   nx->fb == 0xE2 || nx->fb == 0xC2;
        if (starts) {
          boundary = 1;
          if (ti->fb == '.' && t > 1 && st->info[t - 2].kind == 'w' && st->info[t - 2].e + 1 == ti->s &&
              info_keeps_period(st, &st->info[t - 2]))
            boundary = 0;
        }
      }
    } else if (k == 'q') {
      const tok_info *nx = t < cnt ? &st->info[t] : NULL;
      if (nx && nx->kind == 'w' && nx->cap && ti->qends) boundary = 1;
    }
    if (boundary) {
      sentence_at(L, flat, out, &count, a, t);
      a = 0;
    }
  }
  if (a) sentence_at(L, flat, out, &count, a, cnt);
  if (flat && st->packed) {
    quote_ints *pa = push_ints(L, count);
    if (count > 0) memcpy(pa->v, flat, (size_t)count * sizeof(lua_Integer));
    scratch_give(L, -2);
    lua_remove(L, -2);
  } else if (flat) {
    lua_Integer x;
    lua_createtable(L, count > 0 && count < 1 << 24 ? (int)count : 0, 0);
    for (x = 0; x < count; x++) {
      lua_pushinteger(L, flat[x]);
      lua_rawseti(L, -2, x + 1);
    }
    scratch_give(L, -2);
    lua_remove(L, -2);
  }
}

/* core.quote_tokens(text, ranges, quotes, runs, wanted, tk, tokenize, contracted) -> cues [, sentences, records]
 * (with tk.records: only the records, see docs/core.md) */
/* (the field names of the quote records: upvalue 2 of quote_tokens) */
#define QT_KEYS lua_upvalueindex(2)

static int l_quote_tokens(lua_State *L) {
  stream st;
  lua_Integer nr, nq, r = 1, qi = 1, cursor, bi, bj, next_qi = 0, next_open = 0;
  int ranges = 2, quotes = 3, wanted = 5;
  const quote_ranges *qr;
  const quote_runs *runs_packed;
  const quote_ints *wi;
  quote_list *ql;
  luaL_checkstring(L, 1);
  qr = check_ranges(L, 2);
  ql = test_list(L, 3);
  if (!ql) luaL_checktype(L, 3, LUA_TTABLE);
  runs_packed = lua_isnil(L, 4) ? NULL : (const quote_runs *)luaL_testudata(L, 4, QUOTE_RUNS);
  if (!lua_isnil(L, 4) && !runs_packed) luaL_checktype(L, 4, LUA_TTABLE);
  wi = lua_isnil(L, 5) ? NULL : (const quote_ints *)luaL_testudata(L, 5, QUOTE_INTS);
  if (!lua_isnil(L, 5) && !wi) luaL_checktype(L, 5, LUA_TTABLE);
  luaL_checktype(L, 6, LUA_TTABLE);
  if (!lua_isnil(L, 7)) luaL_checktype(L, 7, LUA_TFUNCTION);
  lua_settop(L, 8);
  luaL_checkstack(L, 48, "quote_tokens");
  memset(&st, 0, sizeof st);
  st.runs_packed = runs_packed;
  st.L = L;
  st.s = (const unsigned char *)lua_tolstring(L, 1, &st.slen);
  st.text = 1;
  st.runs = lua_isnil(L, 4) ? 0 : 4;
  st.tk = 6;
  st.fn = 7;
  st.contracted = 8;
  if (lua_isnil(L, 5)) wanted = 0;
  lua_pushliteral(L, "");
  st.KE = lua_gettop(L);
  lua_pushliteral(L, "q");
  st.KQ = lua_gettop(L);
  lua_pushliteral(L, "b");
  st.KB = lua_gettop(L);
  lua_pushliteral(L, "g");
  st.KG = lua_gettop(L);
  lua_getfield(L, 6, "n");
  st.n = bounded_int(L, -1);
  lua_pop(L, 1);
  /* the built-in tokeniser into an empty tk without tk.s: views instead of
   * the arrays s, e, w and para */
  lua_getfield(L, 6, "s");
  st.view = lua_isnil(L, -1) && lua_isnil(L, 7) && st.n <= 0;
  lua_pop(L, 1);
  /* tk.records: the token records only (the built-in tokeniser into an
   * empty tk): no arrays k, l, cap, no set cue */
  lua_getfield(L, 6, "records");
  st.rec_only = st.view && lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (st.rec_only) {
    lua_getfield(L, 6, "packed");
    st.packed = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  if (!st.rec_only) st.K = tk_array(L, 6, "k", "quote_tokens");
  if (!st.view) {
    st.S = tk_array(L, 6, "s", "quote_tokens");
    st.E = tk_array(L, 6, "e", "quote_tokens");
    st.W = tk_array(L, 6, "w", "quote_tokens");
    st.PARA = tk_array(L, 6, "para", "quote_tokens");
  }
  if (!st.rec_only) {
    st.Lw = tk_array(L, 6, "l", "quote_tokens");
    st.CAP = tk_array(L, 6, "cap", "quote_tokens");
  }
  /* tk.q: optional with the records only (then not filled) */
  lua_getfield(L, 6, "q");
  st.Q = st.rec_only && lua_isnil(L, -1) ? 0 : tk_array(L, 6, "q", "quote_tokens");
  if (lua_isnil(L, 7)) {
    /* the built-in tokeniser: the last token so far, and what it reads */
    luaL_checktype(L, 8, LUA_TTABLE);
    st.builtin = 1;
    if (!st.rec_only) st.CUE = tk_array(L, 6, "cue", "quote_tokens");
    lua_getfield(L, 6, "cuefilter");
    st.cf = (const cue_filter *)luaL_testudata(L, -1, CUE_FILTER);
    if (!st.cf && !lua_isnil(L, -1)) return luaL_error(L, "quote_tokens: tk.cuefilter must be a cue filter");
    lua_pop(L, 1);
    lua_getfield(L, 6, "abbrevs");
    st.abb = (const abbrev_set *)luaL_testudata(L, -1, ABBREV_SET);
    if (!st.abb && !lua_istable(L, -1)) luaL_error(L, "quote_tokens: tk.abbrevs must be a table");
    if (st.abb && st.abb->closed) luaL_error(L, "closed");
    st.ABB = lua_gettop(L);
    st.CUES = tk_array(L, 6, "cuewords", "quote_tokens");
    lua_pushliteral(L, "w");
    st.KW = lua_gettop(L);
    lua_pushliteral(L, "p");
    st.KP = lua_gettop(L);
    if (st.n < 0) st.n = 0;
    if (st.n == 0) {
      /* the records of the call before are reused (taken from the upvalue
       * while in use, so that a call within this one makes its own) */
      lua_pushvalue(L, lua_upvalueindex(1));
      st.info_idx = lua_gettop(L);
      if (lua_type(L, -1) == LUA_TUSERDATA) {
        st.info = (tok_info *)lua_touserdata(L, -1) + 1;
        st.info_cap = lua_rawlen(L, -1) / sizeof(tok_info) - 1;
        lua_pushnil(L);
        lua_replace(L, lua_upvalueindex(1));
      }
      if (!st.info || st.info_cap < 256) {
        lua_pop(L, 1);
        st.info_cap = 256;
        st.info = (tok_info *)lua_newuserdatauv(L, (st.info_cap + 1) * sizeof(tok_info), 0) + 1;
        st.info[-1].s = 0;
      }
      /* a new generation: views made by an earlier call are stale */
      st.info[-1].s++;
    }
    if (st.n > 0) {
      lua_rawgeti(L, st.K, st.n);
      st.lastw = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "w") == 0;
      lua_pop(L, 1);
      lua_rawgeti(L, st.E, st.n);
      st.lastE = lua_tointeger(L, -1);
      lua_pop(L, 1);
    }
  }
  st.run_r = st.run_i = -1;
  st.cache_r = -1;
  lua_pushnil(L); /* the runs of a block (a userdata made when needed) */
  st.runv_idx = lua_gettop(L);
  nr = ranges_len(L, qr, ranges);
  nq = ql ? ql->n : (lua_Integer)lua_rawlen(L, quotes);
  if (nr < 1) {
    if (st.view && !st.rec_only) make_views(&st);
    if (st.rec_only) {
      lua_newtable(L);
      return 1;
    }
    return cue_list(L, 6);
  }
  range_at(L, qr, ranges, 1, "quote_tokens", &cursor, &bj);
  while (r <= nr) {
    range_at(L, qr, ranges, r, "quote_tokens", &bi, &bj);
    stream_para(&st, r);
    if (cursor < bi) cursor = bi;
    if (wanted && cursor <= bi && !wanted_at(L, wanted, wi, r)) cursor = bj + 1;
    while (qi <= nq) {
      lua_Integer open, qend, t;
      int q, ok;
      /* the next quote opens after a block already found (read once) */
      if (qi == next_qi && next_open > bj) break;
      if (ql) {
        /* (a nil in the record's place on the stack) */
        lua_pushnil(L);
        q = lua_gettop(L);
        open = ql->v[qi - 1].open;
      } else {
        lua_rawgeti(L, quotes, qi);
        q = lua_gettop(L);
        if (!lua_istable(L, q))
          return luaL_error(L, "quote_tokens: quote %d must be a table, got %s", (int)qi,
                            luaL_typename(L, q));
        open = fk_int_field(L, QT_KEYS, q, FK_OPEN, &ok);
      }
      if (open > bj) {
        next_qi = qi;
        next_open = open;
        lua_pop(L, 1);
        break;
      }
      if (open >= cursor) {
        stream_block(&st, r, cursor, open - 1);
        stream_enter(&st, r, open);
        if (ql) {
          const qrec *qv = &ql->v[qi - 1];
          qend = qv->close ? qv->close + qv->clen - 1 : qv->stop;
        } else {
          fk_get(L, QT_KEYS, q, FK_CLOSE);
          if (lua_type(L, -1) == LUA_TNUMBER) {
            size_t mlen = 0;
            qend = bounded_int(L, -1);
            fk_get(L, QT_KEYS, q, FK_CLOSE_MARK);
            if (lua_type(L, -1) == LUA_TSTRING) lua_tolstring(L, -1, &mlen);
            lua_pop(L, 1);
            qend += (lua_Integer)mlen - 1;
          } else {
            qend = fk_int_field(L, QT_KEYS, q, FK_STOP, &ok);
          }
          lua_pop(L, 1);
        }
        t = stream_push(&st, "q", open, qend);
        if (st.info) {
          /* whether the content ends with . ! ? or an ellipsis */
          lua_Integer stop;
          if (ql) {
            stop = ql->v[qi - 1].stop;
            ok = 1;
          } else {
            stop = fk_int_field(L, QT_KEYS, q, FK_STOP, &ok);
          }
          const unsigned char *tx = st.s;
          if (ok && stop >= 1 && (size_t)stop <= st.slen)
            info_at(&st, t)->qends =
                (unsigned char)(tx[stop - 1] == '.' || tx[stop - 1] == '!' || tx[stop - 1] == '?' ||
                                (stop >= 3 && tx[stop - 3] == 0xE2 && tx[stop - 2] == 0x80 &&
                                 tx[stop - 1] == 0xA6));
        }
        if (st.Q) {
          lua_pushinteger(L, qi);
          lua_rawseti(L, st.Q, t);
        }
        if (ql) {
          ql->v[qi - 1].token = t;
          ql->v[qi - 1].para = r;
        } else {
          lua_rawgeti(L, QT_KEYS, FK_TOKEN);
          lua_pushinteger(L, t);
          lua_rawset(L, q);
          lua_rawgeti(L, QT_KEYS, FK_PARA);
          lua_pushinteger(L, r);
          lua_rawset(L, q);
        }
        cursor = qend + 1;
        if (qend > bj) {
          /* a quote over several paragraphs: continue in the block where it ends */
          for (;;) {
            lua_Integer ri, rj;
            if (r >= nr) break;
            range_at(L, qr, ranges, r, "quote_tokens", &ri, &rj);
            if (rj >= qend) break;
            r++;
          }
          range_at(L, qr, ranges, r, "quote_tokens", &bi, &bj);
          stream_para(&st, r);
          stream_enter(&st, r, qend);
        }
      }
      lua_pop(L, 1);
      qi++;
    }
    stream_block(&st, r, cursor, bj);
    stream_push(&st, "b", bj, bj);
    cursor = bj + 1;
    r++;
  }
  lua_pushinteger(L, st.n);
  lua_setfield(L, 6, "n");
  if (st.view && !st.rec_only) make_views(&st);
  if (st.rec_only) {
    /* the cue words from the records */
    lua_Integer t, nc = 0;
    for (t = 1; t <= st.n; t++) nc += st.info[t - 1].cue != 0;
    if (st.packed) {
      quote_ints *a = push_ints(L, nc);
      nc = 0;
      for (t = 1; t <= st.n; t++)
        if (st.info[t - 1].cue) a->v[nc++] = t;
    } else {
      lua_createtable(L, nc > 0 && nc < 1 << 24 ? (int)nc : 0, 0);
    }
    nc = 0;
    for (t = 1; !st.packed && t <= st.n; t++) {
      if (st.info[t - 1].cue) {
        lua_pushinteger(L, t);
        lua_rawseti(L, -2, ++nc);
      }
    }
  } else {
    cue_list(L, 6);
  }
  if (!st.info) return 1;
  info_sentences(&st);
  /* kept for the next call unless a huge document made it big (2 MB) */
  if (st.info_cap * sizeof(tok_info) <= ((size_t)1 << 21)) {
    lua_pushvalue(L, st.info_idx);
    lua_replace(L, lua_upvalueindex(1));
  }
  lua_pushvalue(L, st.info_idx);
  return 3;
}

/* ---- quote text ------------------------------------------------------- */

/* Writes s[b, e) to out with every run of ASCII white space (Lua's %s) as
 * one space; returns the bytes written (at most e - b). */
/* Byte classes of the quote text: SQ_SPACE white space (c_space), SQ_WORD
 * a byte of a word (an ASCII letter or digit, or a byte >= 0x80), SQ_ALPHA
 * an ASCII letter. */
enum { SQ_SPACE = 1, SQ_WORD = 2, SQ_ALPHA = 4 };
static unsigned char sq_class[256];

static void sq_tables(void) {
  unsigned c;
  for (c = 0; c < 256; c++)
    sq_class[c] = (unsigned char)((c_space(c) ? SQ_SPACE : 0) | (c >= 0x80 || ascii_alnum(c) ? SQ_WORD : 0) |
                                  ((c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? SQ_ALPHA : 0));
}

#if CUE_SSE2
/* Bit k set when byte k of v is in lo..hi. */
static unsigned sq_in(__m128i v, unsigned char lo, unsigned char hi) {
  __m128i a = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8((char)lo)), v);
  __m128i b = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8((char)hi)), v);
  return (unsigned)_mm_movemask_epi8(_mm_and_si128(a, b));
}

/* How many of the sixteen bytes v squeezing leaves as they are: those
 * before the first white space (c_space) that is no space, or is followed
 * by more, or is the last of the sixteen. */
static unsigned sq_cut(__m128i v) {
  unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
  unsigned ws = sq_in(v, 9, 13) | sp;
  unsigned bad = (ws & ~sp) | (ws & (ws >> 1)) | (ws & 0x8000u);
  return bad ? (unsigned)__builtin_ctz(bad) : 16;
}
#endif

static size_t squeeze_into(unsigned char *out, const unsigned char *s, size_t b, size_t e) {
  size_t n = 0, p = b;
  while (p < e) {
    unsigned c;
#if CUE_SSE2
    /* sixteen bytes at a time up to white space that is not a single
     * space (n <= p - b: the sixteen written end within the e - b bytes of
     * out) */
    while (p + 16 <= e) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
      unsigned k = sq_cut(v);
      _mm_storeu_si128((__m128i *)(void *)(out + n), v);
      p += k;
      n += k;
      if (k < 16) break;
    }
    if (p >= e) break;
#endif
    c = s[p++];
    if (sq_class[c] & SQ_SPACE) {
      out[n++] = ' ';
      while (p < e && (sq_class[s[p]] & SQ_SPACE)) p++;
    } else {
      out[n++] = (unsigned char)c;
    }
  }
  return n;
}

/* squeeze_into, counting on the way what push_quote_text tells of the
 * text written: its words (runs of SQ_WORD bytes) go to *words, and *letters
 * becomes 1 when two ASCII letters are next to each other (white space
 * squeezed is no word byte, nor a letter). */
static size_t squeeze_count(unsigned char *out, const unsigned char *s, size_t b, size_t e, lua_Integer *words,
                            int *letters) {
  size_t n = 0, p = b;
  unsigned prev = 0, pairs = 0;
  lua_Integer w = 0;
  while (p < e) {
    unsigned c, k;
#if CUE_SSE2
    /* sixteen bytes at a time as squeeze_into; the words starting among
     * them and the letters next to one another from their bits (prev: the
     * class of the byte before; a space is neither) */
    while (p + 16 <= e) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
      unsigned cut = sq_cut(v), keep = (1u << cut) - 1;
      unsigned alpha = sq_in(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z') & keep;
      unsigned word = (alpha | sq_in(v, '0', '9') | (unsigned)_mm_movemask_epi8(v)) & keep;
      _mm_storeu_si128((__m128i *)(void *)(out + n), v);
      w += lede_pop16(word & ~((word << 1) | (prev & SQ_WORD ? 1u : 0u)) & 0xFFFFu);
      if (alpha & ((alpha << 1) | (prev & SQ_ALPHA ? 1u : 0u))) pairs |= SQ_ALPHA;
      if (cut) prev = sq_class[s[p + cut - 1]];
      p += cut;
      n += cut;
      if (cut < 16) break;
    }
    if (p >= e) break;
#endif
    c = s[p++];
    k = sq_class[c];
    if (k & SQ_SPACE) {
      out[n++] = ' ';
      while (p < e && (sq_class[s[p]] & SQ_SPACE)) p++;
      prev = 0;
    } else {
      out[n++] = (unsigned char)c;
      w += (k & ~prev & SQ_WORD) != 0;
      pairs |= k & prev;
      prev = k;
    }
  }
  *words += w;
  if (pairs & SQ_ALPHA) *letters = 1;
  return n;
}

/* A scratch buffer of size bytes: buf when it is big enough, else a
 * userdata left on the stack (owned by Lua, so an error leaks nothing). */
static unsigned char *scratch(lua_State *L, unsigned char *buf, size_t cap, size_t size) {
  if (size <= cap) return buf;
  return (unsigned char *)lua_newuserdatauv(L, size, 0);
}

/* core.squeeze(s [, i [, j]]) -> s:sub(i, j) with runs of white space as one space */
static int l_squeeze(lua_State *L) {
  size_t n, b, e, len;
  unsigned char small[512], *out;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lede_range(luaL_optinteger(L, 2, 1), luaL_optinteger(L, 3, -1), n, &b, &e);
  lua_settop(L, 3);
  out = scratch(L, small, sizeof small, e - b);
  len = squeeze_into(out, s, b, e);
  lua_pushlstring(L, (const char *)out, len);
  return 1;
}

/* Element k of the parts array at stack index idx: a number, else raises. */
static lua_Integer part_at(lua_State *L, int idx, lua_Integer k) {
  lua_Integer v;
  lua_rawgeti(L, idx, k);
  if (lua_type(L, -1) != LUA_TNUMBER)
    luaL_error(L, "quote_text: part %d must be a position, got %s", (int)k, luaL_typename(L, -1));
  v = bounded_int(L, -1);
  lua_pop(L, 1);
  return v;
}

/* What core.quote_text tells of a quote besides its text. */
typedef struct {
  lua_Integer j, words;
  int lower, letters;
} qt_info;

/* Pushes the text of the quote s[i..j] (or of its parts, the array at stack
 * index parts when not 0): white space squeezed, the parts apart, a final
 * comma dropped; fills *qi. May leave a scratch userdata below the text:
 * returns the number of values pushed (1 or 2, the text on top). */
static int push_quote_text(lua_State *L, const unsigned char *s, size_t n, lua_Integer i, lua_Integer j,
                           int parts, qt_info *qi) {
  size_t b, e, len = 0, need;
  unsigned char small[1024], *out;
  lua_Integer np = 0, x, words = 0;
  int letters = 0, top = lua_gettop(L);
  if (parts) {
    np = (lua_Integer)lua_rawlen(L, parts);
    if (np % 2 != 0) luaL_error(L, "quote_text: parts must be pairs of positions");
    need = 0;
    for (x = 1; x <= np; x += 2) {
      lede_range(part_at(L, parts, x), part_at(L, parts, x + 1), n, &b, &e);
      need += (e - b) + 2;
    }
    out = scratch(L, small, sizeof small, need);
    for (x = 1; x <= np; x += 2) {
      if (x > 1) {
        out[len++] = '\n';
        out[len++] = '\n';
      }
      lede_range(part_at(L, parts, x), part_at(L, parts, x + 1), n, &b, &e);
      len += squeeze_count(out + len, s, b, e, &words, &letters);
    }
  } else {
    lede_range(i, j, n, &b, &e);
    out = scratch(L, small, sizeof small, e - b);
    len = squeeze_count(out, s, b, e, &words, &letters);
  }
  /* a final comma goes, with the white space before it */
  if (len > 0 && out[len - 1] == ',') {
    len--;
    while (len > 0 && c_space(out[len - 1])) len--;
    j--;
    while (j > i && j >= 1 && j <= (lua_Integer)n && c_space(s[j - 1])) j--;
  }
  lua_pushlstring(L, (const char *)out, len);
  qi->j = j;
  qi->words = words;
  qi->lower = len > 0 && out[0] >= 'a' && out[0] <= 'z';
  qi->letters = letters;
  return lua_gettop(L) - top;
}

/* core.quote_text(text, i, j [, parts]) -> qtext, j, words, lower, letters */
static int l_quote_text(lua_State *L) {
  size_t n;
  qt_info qi;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lua_Integer i = luaL_checkinteger(L, 2), j = luaL_checkinteger(L, 3);
  int parts = !lua_isnoneornil(L, 4);
  if (parts) luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 4);
  push_quote_text(L, s, n, i, j, parts ? 4 : 0, &qi);
  lua_pushinteger(L, qi.j);
  lua_pushinteger(L, qi.words);
  lua_pushboolean(L, qi.lower);
  lua_pushboolean(L, qi.letters);
  return 5;
}

/* ---- the cue scanner -------------------------------------------------- */

/* A core.cue_set finds what a case-insensitive core.gazetteer of the same
 * phrases finds with g:scan (longest-leftmost, not overlapping, the lowest
 * id for a span), for phrases that are plain words (ASCII letters, digits,
 * `_`, between spaces): the reporting verbs and source cues of lede.quotes.
 * Text is cut into tokens as the gazetteer cuts it (src/gazetteer.c); a
 * word token is looked up once in a small hash table of first words. */

#define CUE_WORDS 8  /* words in a phrase, at most */
#define CUE_WLEN 64  /* bytes in a phrase word, less than */
#define CUE_SET "lede.CueSet"
#define CUE_BLOOM_LOG 14
#define CUE_BLOOM (1u << CUE_BLOOM_LOG) /* bits of a set's first-word filter */

enum { K_PUNCT, K_WORD, K_SPACE, K_LF, K_CR };
static unsigned char cue_class[128];
/* ASCII word byte -> its folded value; 0 other ASCII; 1 a byte >= 0x80 */
static unsigned char cue_fold[256];
/* 1 for an ASCII byte that is no word character (passed over), 2 for an
 * ASCII word character, 0 for a byte >= 0x80 */
static unsigned char cue_byte[256];

static void cue_tables(void) {
  int c;
  for (c = 0; c < 256; c++) {
    if (c >= 0x80) {
      cue_fold[c] = 1;
      continue;
    }
    cue_class[c] = lede_is_word((uint32_t)c) ? K_WORD : K_PUNCT;
    cue_fold[c] = cue_class[c] == K_WORD ? (unsigned char)lede_fold((uint32_t)c) : 0;
  }
  cue_class['\t'] = cue_class['\v'] = cue_class['\f'] = cue_class[' '] = K_SPACE;
  cue_class['\n'] = K_LF;
  cue_class['\r'] = K_CR;
  for (c = 0; c < 128; c++) cue_byte[c] = cue_class[c] == K_WORD ? 2 : 1;
  for (c = 0; c < 128; c++) {
    int f = cue_fold[c];
    cue_code[c] = (unsigned char)(f >= 'a' && f <= 'z' ? f - 'a' + 1 : f >= '0' && f <= '9' ? f - '0' + 27 : f == '_' ? 37 : 0);
  }
}

typedef struct {
  lua_Integer id;
  uint32_t nw;              /* 0: a duplicate of an earlier phrase */
  uint32_t word[CUE_WORDS]; /* offsets in the pool: a length byte, then the bytes */
} CuePhrase;

typedef struct {
  uint32_t hash, first, count; /* count 0: an empty slot */
} CueSlot;

typedef struct {
  int closed;
  uint32_t nphr, mask;
  /* a bit per cue_bloom_bit of every first word: a word whose bit is not
   * set is no first word */
  uint64_t bloom[CUE_BLOOM / 64];
  CuePhrase *phr; /* all three inside the userdata, after this header */
  CueSlot *slot;
  unsigned char *pool;
} CueSet;

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* The bit of the set's filter for a word of len ASCII word characters (0 <
 * len < CUE_WLEN) whose first eight bytes (fewer: zeros after them) are w:
 * bit 5 of each byte set first, so that both cases of a letter (and a word
 * and its folded form) have the same bit. */
#define CUE_BLOOM_MUL 0x9E3779B97F4A7C15ull
/* by min(len, 8): the bytes of a word's first eight that are its own, and
 * bit 5 of each of them */
static const uint64_t cue_keep[9] = {
  0, 0xFFull, 0xFFFFull, 0xFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFFFFull, 0xFFFFFFFFFFFFull,
  0xFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFFFull
};
static const uint64_t cue_cased[9] = {
  0, 0x20ull, 0x2020ull, 0x202020ull, 0x20202020ull, 0x2020202020ull, 0x202020202020ull,
  0x20202020202020ull, 0x2020202020202020ull
};

/* The two filter bits of w (bit 5 of its bytes set) and len, one in each
 * half of the result. */
LEDE_INLINE uint32_t cue_bloom_mix(uint64_t w, size_t len) {
  uint64_t h = (w ^ (uint64_t)len) * CUE_BLOOM_MUL;
  h = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ull;
  return (uint32_t)(h >> (64 - CUE_BLOOM_LOG)) | (uint32_t)(h >> 20 & (CUE_BLOOM - 1)) << 16;
}

LEDE_INLINE uint32_t cue_bloom_bit(uint64_t w, size_t len) {
  size_t m = len < 8 ? len : 8;
  return cue_bloom_mix(w | cue_cased[m], len);
}

LEDE_INLINE int cue_bloom_has(const CueSet *cs, uint32_t bits) {
  uint32_t a = bits & 0xFFFF, b = bits >> 16;
  return (int)(cs->bloom[a >> 6] >> (a & 63) & cs->bloom[b >> 6] >> (b & 63) & 1);
}

/* Whether the word of len ASCII word characters at s + p (0 < len <
 * CUE_WLEN, p + len <= n, s has n bytes) may be a first word of the set. */
LEDE_INLINE int cue_may_start(const CueSet *cs, const unsigned char *s, size_t p, size_t len, size_t n) {
  uint64_t w = 0;
  size_t k = len < 8 ? len : 8;
  if (p + 8 <= n) {
    memcpy(&w, s + p, 8);
    if (k < 8) w &= ((uint64_t)1 << (8 * k)) - 1;
  } else {
    size_t x;
    for (x = 0; x < k; x++) w |= (uint64_t)s[p + x] << (8 * x);
  }
  return cue_bloom_has(cs, cue_bloom_bit(w, len));
}

/* The end of the run of ASCII word characters from q on in s (n bytes and
 * a NUL after them, which ends the run). */
LEDE_INLINE size_t cue_ascii_run(const unsigned char *s, size_t q, size_t n) {
#if CUE_SWAR
  for (; q + 8 <= n; q += 8) {
    uint64_t w, other;
    memcpy(&w, s + q, 8);
    other = ~word_bytes(w) & CUE_HIGH;
    if (other) return q + ((size_t)__builtin_ctzll(other) >> 3);
  }
#else
  (void)n;
#endif
  while (cue_byte[s[q]] == 2) q++;
  return q;
}

/* The hash of the word f[0, n) (n < CUE_WLEN), its bytes followed by zeros
 * up to a multiple of eight: eight bytes at a time. */
static uint32_t cue_hash(const unsigned char *f, size_t n) {
  uint64_t h = (uint64_t)(n + 1) * 0x9E3779B97F4A7C15ull;
  size_t k;
  for (k = 0; k < n; k += 8) {
    uint64_t w;
    memcpy(&w, f + k, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
  }
  return (uint32_t)(h >> 32);
}

/* Folds the len bytes at s + p (ASCII word characters, len < CUE_WLEN,
 * p + len <= n) into f, zeros after them up to a multiple of eight; returns
 * cue_hash of them. */
static uint32_t cue_fold_hash(const unsigned char *s, size_t p, size_t len, size_t n, unsigned char *f) {
#if CUE_SWAR
  uint64_t h = (uint64_t)(len + 1) * 0x9E3779B97F4A7C15ull;
  size_t k;
  for (k = 0; k < len; k += 8) {
    uint64_t w = 0;
    if (p + k + 8 <= n) {
      memcpy(&w, s + p + k, 8);
    } else {
      size_t x;
      for (x = 0; x < 8 && p + k + x < n; x++) w |= (uint64_t)s[p + k + x] << (8 * x);
    }
    w |= lede_bytes_in(w, 'A', 'Z') >> 2; /* (upper case + 0x20) */
    if (len - k < 8) w &= ((uint64_t)1 << (8 * (len - k))) - 1;
    memcpy(f + k, &w, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
  }
  return (uint32_t)(h >> 32);
#else
  size_t k;
  (void)n;
  for (k = 0; k < len; k++) f[k] = cue_fold[s[p + k]];
  for (; k % 8; k++) f[k] = 0;
  return cue_hash(f, len);
#endif
}

/* Whether the words of phrases a and b are the same. */
static int cue_same(const CueSet *cs, const CuePhrase *a, const CuePhrase *b) {
  uint32_t k;
  if (a->nw != b->nw) return 0;
  for (k = 0; k < a->nw; k++) {
    const unsigned char *x = cs->pool + a->word[k], *y = cs->pool + b->word[k];
    if (x[0] != y[0] || memcmp(x + 1, y + 1, x[0]) != 0) return 0;
  }
  return 1;
}

/* Order: first word, then more words first, then lower id first. */
static int cue_before(const CueSet *cs, const CuePhrase *a, const CuePhrase *b) {
  const unsigned char *x = cs->pool + a->word[0], *y = cs->pool + b->word[0];
  size_t m = x[0] < y[0] ? x[0] : y[0];
  int c = memcmp(x + 1, y + 1, m);
  if (c != 0) return c < 0;
  if (x[0] != y[0]) return x[0] < y[0];
  if (a->nw != b->nw) return a->nw > b->nw;
  return a->id < b->id;
}

/* Splits phrase p (n bytes) into words: their count, total bytes; 0 when it
 * is not plain words. */
static uint32_t cue_words(const unsigned char *p, size_t n, size_t *bytes) {
  size_t k = 0;
  uint32_t nw = 0;
  *bytes = 0;
  while (k < n) {
    size_t a;
    if (p[k] == ' ') {
      k++;
      continue;
    }
    a = k;
    while (k < n && p[k] != ' ') {
      if (p[k] >= 0x80 || cue_class[p[k]] != K_WORD) return 0;
      k++;
    }
    if (k - a >= CUE_WLEN || ++nw > CUE_WORDS) return 0;
    *bytes += k - a + 1;
  }
  return nw;
}

/* core.cue_set(phrases) -> set | nil, message */
static int l_cue_set(lua_State *L) {
  lua_Integer np, k;
  size_t pool = 0, head, nslots = 4, size, used = 0;
  uint32_t x, y;
  CueSet *cs;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  np = (lua_Integer)lua_rawlen(L, 1);
  if (np > 1000000) return luaL_error(L, "cue_set: too many phrases");
  for (k = 1; k <= np; k++) {
    size_t n, bytes;
    const char *p;
    lua_rawgeti(L, 1, k);
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "cue_set: phrase %d must be a string, got %s", (int)k, luaL_typename(L, -1));
    p = lua_tolstring(L, -1, &n);
    if (cue_words((const unsigned char *)p, n, &bytes) == 0) {
      lua_pushnil(L);
      lua_pushfstring(L, "cue_set: phrase %d is not plain words", (int)k);
      return 2;
    }
    pool += bytes;
    lua_pop(L, 1);
  }
  while (nslots < 2 * (size_t)np) nslots *= 2;
  head = align8(sizeof(CueSet));
  size = head + align8((size_t)np * sizeof(CuePhrase)) + align8(nslots * sizeof(CueSlot)) + pool + 1;
  cs = (CueSet *)lua_newuserdatauv(L, size, 0);
  memset(cs, 0, size);
  luaL_setmetatable(L, CUE_SET);
  cs->phr = (CuePhrase *)(void *)((unsigned char *)cs + head);
  cs->slot = (CueSlot *)(void *)((unsigned char *)cs->phr + align8((size_t)np * sizeof(CuePhrase)));
  cs->pool = (unsigned char *)cs->slot + align8(nslots * sizeof(CueSlot));
  cs->nphr = (uint32_t)np;
  cs->mask = (uint32_t)nslots - 1;
  for (k = 1; k <= np; k++) {
    size_t n, i = 0;
    const unsigned char *p;
    CuePhrase *ph = &cs->phr[k - 1];
    lua_rawgeti(L, 1, k);
    p = (const unsigned char *)lua_tolstring(L, -1, &n);
    ph->id = k;
    while (i < n) {
      size_t a;
      if (p[i] == ' ') {
        i++;
        continue;
      }
      a = i;
      while (i < n && p[i] != ' ') i++;
      ph->word[ph->nw++] = (uint32_t)used;
      cs->pool[used++] = (unsigned char)(i - a);
      for (; a < i; a++) cs->pool[used++] = cue_fold[p[a]];
    }
    lua_pop(L, 1);
  }
  /* sort (insertion: built once), then mark duplicates */
  for (x = 1; x < cs->nphr; x++) {
    CuePhrase t = cs->phr[x];
    for (y = x; y > 0 && cue_before(cs, &t, &cs->phr[y - 1]); y--) cs->phr[y] = cs->phr[y - 1];
    cs->phr[y] = t;
  }
  for (x = 0; x < cs->nphr; x = y) {
    const unsigned char *w = cs->pool + cs->phr[x].word[0];
    unsigned char pad[CUE_WLEN];
    uint32_t h, z, slot;
    memset(pad, 0, sizeof pad);
    memcpy(pad, w + 1, w[0]);
    h = cue_hash(pad, w[0]);
    for (y = x + 1; y < cs->nphr; y++) {
      const unsigned char *v = cs->pool + cs->phr[y].word[0];
      if (v[0] != w[0] || memcmp(v + 1, w + 1, w[0]) != 0) break;
    }
    for (z = x + 1; z < y; z++) {
      uint32_t u;
      for (u = x; u < z; u++)
        if (cs->phr[u].nw && cue_same(cs, &cs->phr[u], &cs->phr[z])) {
          cs->phr[z].nw = 0;
          break;
        }
    }
    for (slot = h & cs->mask; cs->slot[slot].count; slot = (slot + 1) & cs->mask) {}
    {
      uint64_t w8 = 0;
      uint32_t bit;
      memcpy(&w8, pad, 8);
      bit = cue_bloom_bit(w8, w[0]);
      cs->bloom[(bit & 0xFFFF) >> 6] |= (uint64_t)1 << (bit & 63);
      cs->bloom[bit >> 22] |= (uint64_t)1 << (bit >> 16 & 63);
    }
    cs->slot[slot].hash = h;
    cs->slot[slot].first = x;
    cs->slot[slot].count = y - x;
  }
  return 1;
}

static CueSet *check_cues(lua_State *L) {
  CueSet *cs = (CueSet *)luaL_checkudata(L, 1, CUE_SET);
  if (cs->closed) luaL_error(L, CUE_SET " is closed");
  return cs;
}

/* Whether the character ending right before i (0 < i) is a word character. */
static int cue_word_before(const unsigned char *s, size_t i) {
  size_t k = i - 1, len;
  uint32_t cp;
  int back = 0;
  while (k > 0 && back < 3 && (s[k] & 0xC0) == 0x80) {
    k--;
    back++;
  }
  cp = lede_utf8_decode(s, k, i, &len);
  if (k + len != i) return 0;
  return lede_is_word(cp);
}

static int cue_word_at(const unsigned char *s, size_t i, size_t n) {
  size_t len;
  if (i >= n) return 0;
  if (s[i] < 0x80) return cue_class[s[i]] == K_WORD;
  return lede_is_word(lede_utf8_decode(s, i, n, &len));
}

/* lede_is_word, with the answer for most letters of other scripts found
 * at once: from U+0100 to U+1FFF all but U+1680 (a space) and U+180E (an
 * invisible character), from U+3040 to U+FE2F all. */
static int cue_is_word(uint32_t cp) {
  if (cp >= 0x100 && cp < 0x2000) return cp != 0x1680 && cp != 0x180E;
  if (cp >= 0x3040 && cp < 0xFE30) return 1;
  return lede_is_word(cp);
}

/* The word run (word characters) starting at p, ending at most at e:
 * returns its end; its folded bytes go to f, their count to *fl, which is
 * CUE_WLEN when no phrase word can match it (too long, or a character
 * that does not fold to ASCII: lede_fold takes only U+0130 there). */
static size_t cue_word(const unsigned char *s, size_t p, size_t e, unsigned char *f, size_t *fl) {
  size_t bl = 0, len;
  int ok = 1;
  while (p < e) {
    unsigned c = s[p];
    if (c < 0x80) {
      unsigned g = cue_fold[c];
      if (g == 0) break;
      if (bl < CUE_WLEN) f[bl] = (unsigned char)g;
      bl++;
      p++;
    } else {
      uint32_t cp;
      if (c == 0xE2 && p + 2 < e && s[p + 1] == 0x80 && (s[p + 2] & 0xC0) == 0x80) break;
      if (c >= 0xE4 && c <= 0xEC && p + 2 < e && (s[p + 1] & 0xC0) == 0x80 &&
          (s[p + 2] & 0xC0) == 0x80) {
        p += 3; /* U+4000..U+CFFF: letters that fold to no ASCII */
        ok = 0;
        continue;
      }
      if (c >= 0xC3 && c <= 0xDF && p + 1 < e && (s[p + 1] & 0xC0) == 0x80) {
        /* U+00C0..U+07FF: letters but for U+00D7 and U+00F7; only U+0130
         * folds to ASCII */
        cp = ((uint32_t)(c & 0x1F) << 6) | (s[p + 1] & 0x3F);
        if (cp == 0xD7 || cp == 0xF7) break;
        p += 2;
        if (cp == 0x130) {
          if (bl < CUE_WLEN) f[bl] = 'i';
          bl++;
        } else {
          ok = 0;
        }
        continue;
      }
      cp = lede_utf8_decode(s, p, e, &len);
      if (!cue_is_word(cp)) break;
      p += len;
      if (cp == 0x130) {
        if (bl < CUE_WLEN) f[bl] = 'i';
        bl++;
      } else {
        ok = 0;
      }
    }
  }
  *fl = ok && bl < CUE_WLEN ? bl : CUE_WLEN;
  return p;
}

#if CUE_SSE2
/* The bytes of the sixteen at s that a word run (cue_word_end) passes over
 * one character after the other from the first: an ASCII word character,
 * or a lead byte of U+0100..U+07FF followed by a continuation byte, and
 * that byte; a bit per byte, the run being the trailing ones. */
static unsigned cue_run16(const unsigned char *s) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
  __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
  __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  __m128i word = _mm_or_si128(_mm_or_si128(alpha, digit), _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
  /* (as signed bytes: 0xC4..0xDF is -60..-33, 0x80..0xBF is -128..-65) */
  __m128i lead = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-61)), _mm_cmplt_epi8(v, _mm_set1_epi8(-32)));
  __m128i cont = _mm_cmplt_epi8(v, _mm_set1_epi8(-64));
  unsigned ld = (unsigned)_mm_movemask_epi8(lead), ct = (unsigned)_mm_movemask_epi8(cont);
  unsigned pair = ld & (ct >> 1);
  return (unsigned)_mm_movemask_epi8(word) | pair | (pair << 1);
}
#endif

/* The end of the word run going on at p, as cue_word finds it. */
static size_t cue_word_end(const unsigned char *s, size_t p, size_t e) {
  size_t len;
  while (p < e) {
    unsigned c;
#if CUE_SSE2
    /* sixteen bytes at a time while they are ASCII word characters and
     * characters of two bytes, U+0100..U+07FF (the letters of Greek,
     * Cyrillic, Hebrew, Arabic, ...) */
    while (p + 16 <= e) {
      unsigned run = cue_run16(s + p);
      if (run != 0xFFFF) {
        p += (size_t)__builtin_ctz(~run);
        break;
      }
      p += 16;
    }
    if (p >= e) break;
#endif
    c = s[p];
    if (c < 0x80) {
      if (cue_fold[c] == 0) break;
      p++;
    } else if (c >= 0xC4 && c <= 0xDF && p + 1 < e && (s[p + 1] & 0xC0) == 0x80) {
      p += 2; /* U+0100..U+07FF: letters */
    } else if (c == 0xC3 && p + 1 < e && (s[p + 1] & 0xC0) == 0x80) {
      if (s[p + 1] == 0x97 || s[p + 1] == 0xB7) break; /* U+00D7, U+00F7 */
      p += 2;
    } else if (c == 0xE2 && p + 2 < e && s[p + 1] == 0x80 && (s[p + 2] & 0xC0) == 0x80) {
      break;
    } else if (c >= 0xE4 && c <= 0xEC && p + 2 < e && (s[p + 1] & 0xC0) == 0x80 &&
               (s[p + 2] & 0xC0) == 0x80) {
      p += 3;
    } else {
      uint32_t cp = lede_utf8_decode(s, p, e, &len);
      if (!cue_is_word(cp)) break;
      p += len;
    }
  }
  return p;
}

/* Skips the white space at q as the gazetteer's tokeniser does; *ok is 1
 * when there was some and it held fewer than two line breaks (LF, CR or
 * CRLF, NEL, LS one each, PS two). */
static size_t cue_gap(const unsigned char *s, size_t q, size_t e, int *ok) {
  int breaks = 0, gap = 0;
  size_t len;
  while (q < e) {
    unsigned c = s[q];
    if (c < 0x80) {
      int cl = cue_class[c];
      if (cl <= K_WORD) break;
      if (cl == K_LF) breaks++;
      else if (cl == K_CR && !(q + 1 < e && s[q + 1] == '\n')) breaks++;
      q++;
    } else {
      uint32_t cp = lede_utf8_decode(s, q, e, &len);
      if (lede_is_hspace(cp) || lede_is_invisible(cp)) {
      } else if (lede_is_vspace(cp)) {
        breaks += cp == 0x2029 ? 2 : 1;
      } else {
        break;
      }
      q += len;
    }
    gap = 1;
  }
  *ok = gap && breaks < 2;
  return q;
}

/* Whether s[q] (q < e) starts a word character. */
static int cue_word_start(const unsigned char *s, size_t q, size_t e) {
  size_t len;
  if (s[q] < 0x80) return cue_class[s[q]] == K_WORD;
  return lede_is_word(lede_utf8_decode(s, q, e, &len));
}

/* The end of phrase ph read from the word run ending at we (its first word
 * already matched), or 0 when the text does not go on with its words. */
static size_t cue_rest(const CueSet *cs, const CuePhrase *ph, const unsigned char *s, size_t we,
                       size_t e, size_t n) {
  uint32_t w;
  for (w = 1; w < ph->nw; w++) {
    const unsigned char *pw = cs->pool + ph->word[w];
    unsigned char f[CUE_WLEN];
    size_t fl;
    int ok;
    size_t q = cue_gap(s, we, e, &ok);
    if (!ok || q >= e || !cue_word_start(s, q, e)) return 0;
    we = cue_word(s, q, e, f, &fl);
    if (fl != pw[0] || memcmp(f, pw + 1, fl) != 0) return 0;
  }
  return cue_word_at(s, we, n) ? 0 : we;
}

/* cue_hash of the fl bytes cue_word put in f (none when fl is CUE_WLEN):
 * zeros go after them first. */
static uint32_t cue_word_hash(unsigned char *f, size_t fl) {
  size_t k;
  if (fl >= CUE_WLEN) return 0;
  for (k = fl; k % 8; k++) f[k] = 0;
  return cue_hash(f, fl);
}

/* The slot of the first word w (n bytes, hash h), or NULL. */
static const CueSlot *cue_find(const CueSet *cs, const unsigned char *w, size_t n, uint32_t h) {
  uint32_t slot;
  if (n >= CUE_WLEN || cs->nphr == 0) return NULL;
  for (slot = h & cs->mask; cs->slot[slot].count; slot = (slot + 1) & cs->mask) {
    const CueSlot *c = &cs->slot[slot];
    const unsigned char *f = cs->pool + cs->phr[c->first].word[0];
    if (c->hash == h && f[0] == n && memcmp(f + 1, w, n) == 0) return c;
  }
  return NULL;
}

/* The classes of 64 bytes of the text from base on, bit k for byte base +
 * k: x, an ASCII word character or a byte >= 0x80; hm, a byte >= 0x80. */
typedef struct {
  size_t base;
  uint64_t x, hm;
  int made;
} cue_window;

/* The fast part of the scan: from p on, the first place the scan must read
 * as l_cue_scan's loop does (p >= lim: none before lim), passing over what
 * it would pass over without a find: ASCII bytes that are no word
 * characters, characters of U+2000..U+203F, and a word of ASCII word
 * characters ending before an ASCII byte, a character of U+2000..U+203F or
 * at e whose first two bytes and length start no phrase. What is left (a
 * word that may start a phrase, or one with other characters) is read by
 * the loop. lim <= e <= n; s has a NUL at n. */
static size_t cue_pass(const CueSet *cs, const unsigned char *s, size_t p, size_t lim, size_t e, size_t n,
                       cue_window *cw) {
  for (;;) {
    size_t q;
    unsigned ch;
#if CUE_SWAR
    /* sixty-four bytes at a time (the window of cw, made again when p
     * leaves it) while the string has 72 from the window's start (each word
     * start's eight bytes are read): a bit per byte that is a word
     * character or of one (x: an ASCII word byte or a byte >= 0x80), the
     * words starting at their first; those of ASCII word bytes alone are
     * passed over here unless the filter lets them through, up to the
     * first run of x with a byte >= 0x80 or that reaches the window's end,
     * which the token loop below reads */
    while (p < lim) {
      uint64_t x, hm, starts;
      size_t off, avail, cut;
      if (!(cw->made && p >= cw->base && p < cw->base + 64)) {
        size_t k;
        if (p + 72 > e) break;
        cw->x = cw->hm = 0;
#if CUE_SSE2
        for (k = 0; k < 4; k++) {
          __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p + 16 * k));
          __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
          __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                        _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
          __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
          __m128i word = _mm_or_si128(_mm_or_si128(alpha, digit), _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
          uint64_t h = (uint64_t)(unsigned)_mm_movemask_epi8(v);
          cw->hm |= h << (16 * k);
          cw->x |= (h | (uint64_t)(unsigned)_mm_movemask_epi8(word)) << (16 * k);
        }
#else
        for (k = 0; k < 8; k++) {
          uint64_t w, h;
          memcpy(&w, s + p + 8 * k, 8);
          h = w & CUE_HIGH;
          cw->x |= (((word_bytes(w) | h) >> 7) * CUE_GATHER >> 56) << (8 * k);
          cw->hm |= ((h >> 7) * CUE_GATHER >> 56) << (8 * k);
        }
#endif
        cw->base = p;
        cw->made = 1;
      }
      off = p - cw->base;
      avail = 64 - off;
      x = cw->x >> off;
      hm = cw->hm >> off;
      starts = x & ~(x << 1);
      cut = avail;
      if (hm) {
        size_t k = (size_t)__builtin_ctzll(hm);
        uint64_t sm = k == 63 ? starts : starts & (((uint64_t)2 << k) - 1);
        cut = 63 - (size_t)__builtin_clzll(sm);
      }
      if (x >> (avail - 1) & 1) {
        size_t last = 63 - (size_t)__builtin_clzll(starts);
        if (last < cut) cut = last;
      }
      if (lim - p < cut) cut = lim - p;
      if (cut < 64) starts &= ((uint64_t)1 << cut) - 1;
      while (starts) {
        size_t i = (size_t)__builtin_ctzll(starts);
        size_t len = (size_t)__builtin_ctzll(~x >> i), m = len < 8 ? len : 8;
        uint64_t w;
        uint32_t bit;
        memcpy(&w, s + p + i, 8);
        w = (w & cue_keep[m]) | cue_cased[m];
        bit = cue_bloom_mix(w, len);
        if (cue_bloom_has(cs, bit)) return p + i;
        starts &= starts - 1;
      }
      p += cut;
      if (cut < avail) break;
    }
#endif
    while (p < e && cue_byte[s[p]] == 1) p++;
    if (p >= lim) return p;
    ch = s[p];
    if (ch >= 0x80) {
      size_t len;
      uint32_t cp;
      if (ch == 0xE2 && p + 2 < e && s[p + 1] == 0x80 && (s[p + 2] & 0xC0) == 0x80) {
        p += 3;
        continue;
      }
      cp = lede_utf8_decode(s, p, e, &len);
      if (!cue_is_word(cp)) {
        p += len;
        continue;
      }
      if (cp == 0x130) return p;
      /* a word whose first character folds to no ASCII: no phrase word */
      p = cue_word_end(s, p + len, e);
      continue;
    }
#if CUE_SWAR
    if (p + 8 <= n) {
      /* the word's first eight bytes: where it ends among them, and its
       * filter bit from them */
      uint64_t w, other;
      uint32_t bit;
      memcpy(&w, s + p, 8);
      other = ~word_bytes(w) & CUE_HIGH;
      if (other) {
        size_t len = (size_t)__builtin_ctzll(other) >> 3;
        q = p + len;
        bit = cue_bloom_bit(w & (((uint64_t)1 << (8 * len)) - 1), len);
      } else {
        q = cue_ascii_run(s, p + 8, n);
        bit = q - p < CUE_WLEN ? cue_bloom_bit(w, q - p) : 0;
      }
      if (q > e) return p;
      if (!(s[q] < 0x80 || (s[q] == 0xE2 && q + 2 < e && s[q + 1] == 0x80 && (s[q + 2] & 0xC0) == 0x80)))
        return p;
      if (q - p < CUE_WLEN && cue_bloom_has(cs, bit)) return p;
      p = q;
      continue;
    }
#endif
    q = cue_ascii_run(s, p + 1, n);
    if (q > e) q = e;
    if (!(q >= e || s[q] < 0x80 ||
          (s[q] == 0xE2 && q + 2 < e && s[q + 1] == 0x80 && (s[q + 2] & 0xC0) == 0x80)))
      return p;
    if (q - p < CUE_WLEN && cue_may_start(cs, s, p, q - p, n)) return p;
    p = q;
  }
}

/* The hits a scan keeps in C before they go to its table. */
#define CUE_HITBUF 96

/* Appends the nbuf numbers at buf to the table at index 5, made first
 * (with room for size of them) unless *made; *count: its length. */
static void cue_flush(lua_State *L, const lua_Integer *buf, int nbuf, int *made, lua_Integer *count,
                      int size) {
  int k;
  if (!*made) {
    lua_createtable(L, size, 0);
    *made = 1;
  }
  for (k = 0; k < nbuf; k++) {
    lua_pushinteger(L, buf[k]);
    lua_rawseti(L, 5, ++*count);
  }
}

/* set:scan(s [, i [, j]]) -> {start1, stop1, id1, ...}
 * set:scan(s, ranges) -> the same over the ranges of core.prose_ranges */
static int l_cue_scan(lua_State *L) {
  CueSet *cs = check_cues(L);
  size_t n, b, e, p, len;
  lua_Integer count = 0;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 2, &n);
  /* the hits go to buf first, and to the table (made when buf is full, or
   * at the end with the size they need) from there */
  lua_Integer buf[CUE_HITBUF];
  int nbuf = 0, made = 0;
  /* with ranges: the range read (ri), where it starts and ends (0-based,
   * rend exclusive) */
  const quote_ranges *qr = packed_ranges(L, 3);
  lua_Integer ri = -1;
  size_t rstart = 0, rend = 0;
  /* packed (with ranges): the hits as a lede.QuoteInts; those of full
   * buffers wait in a userdata at index 5 (cap of them) */
  int packed = qr != NULL && lua_toboolean(L, 4);
  lua_Integer *store = NULL;
  size_t cap = 0;
  quote_ints *into = NULL;
  cue_window cw;
  cw.made = 0;
  cw.base = 0;
  cw.x = cw.hm = 0;
  if (qr) {
    if (qr->n < 1) {
      lua_newtable(L);
      return 1;
    }
    lede_range(qr->v[0], qr->v[3 * (qr->n - 1) + 1], n, &b, &e);
  } else {
    lede_range(luaL_optinteger(L, 3, 1), luaL_optinteger(L, 4, -1), n, &b, &e);
  }
  /* (packed: 5, the hits of a call before, filled again when they have
   * room; 6, the hits of full buffers) */
  lua_settop(L, packed ? 5 : 4);
  if (packed) {
    /* the hits written into 5 from the start while it has room */
    lua_Integer room = ints_room(L, 5, QUOTE_INTS);
    if (room > 0) {
      into = (quote_ints *)lua_touserdata(L, 5);
      store = into->v;
      cap = (size_t)room;
    }
  }
  p = b;
  while (p < e) {
    unsigned char f[CUE_WLEN];
    size_t ws, we, fl;
    const CueSlot *c;
    unsigned ch;
    uint32_t fh = 0;
    p = cue_pass(cs, s, p, qr && rend < e ? rend : e, e, n, &cw);
    if (p >= e) break;
    if (qr && p >= rend) {
      /* past the range: on to the next one that ends after p; the text
       * before it is read only from its last ASCII byte that is neither a
       * word character nor white space (no phrase goes over such a byte,
       * so the scan from there finds what a scan of the whole text does) */
      size_t y;
      for (ri++; ri < qr->n && qr->v[3 * ri + 1] <= (lua_Integer)p; ri++) {
      }
      if (ri >= qr->n) break;
      rstart = qr->v[3 * ri] > 1 ? (size_t)qr->v[3 * ri] - 1 : 0;
      rend = qr->v[3 * ri + 1] > 0 ? (size_t)qr->v[3 * ri + 1] : 0;
      for (y = rstart; y > p && !(s[y - 1] < 0x80 && cue_class[s[y - 1]] == K_PUNCT); y--) {
      }
      if (y > p) {
        p = y;
        continue;
      }
    }
    ws = p;
    ch = s[p];
    if (ch >= 0x80) {
      if (ch == 0xE2 && p + 2 < e && s[p + 1] == 0x80 && (s[p + 2] & 0xC0) == 0x80) {
        p += 3; /* U+2000..U+203F: spaces, dashes, quotation marks, no word */
        continue;
      }
      if (!cue_is_word(lede_utf8_decode(s, p, e, &len))) {
        p += len;
        continue;
      }
    }
    /* a word: it may start a phrase unless it goes on from before the range;
     * one of ASCII letters whose first letter and length start no phrase
     * is passed over without folding it */
    if (ch < 0x80) {
      /* (the string ends with a NUL, no word byte: the loop stops there at
       * the latest, then the word is cut at e) */
      size_t q = cue_ascii_run(s, p + 1, n);
      if (q > e) q = e;
      /* the word ends at q: at the end, before an ASCII byte, or before a
       * character of U+2000..U+203F (’ ” — end a word as cue_word reads it) */
      if (q >= e || s[q] < 0x80 ||
          (s[q] == 0xE2 && q + 2 < e && s[q + 1] == 0x80 && (s[q + 2] & 0xC0) == 0x80)) {
        we = q;
        fl = CUE_WLEN;
        if (q - p < CUE_WLEN && cue_may_start(cs, s, p, q - p, n)) {
          fl = q - p;
          fh = cue_fold_hash(s, p, fl, n, f);
        }
      } else {
        we = cue_word(s, p, e, f, &fl);
        fh = cue_word_hash(f, fl);
      }
    } else {
      we = cue_word(s, p, e, f, &fl);
      fh = cue_word_hash(f, fl);
    }
    p = we;
    if (fl < CUE_WLEN && !(ws == b && b > 0 && cue_word_before(s, b)) &&
        (c = cue_find(cs, f, fl, fh)) != NULL) {
      uint32_t x;
      for (x = c->first; x < c->first + c->count; x++) {
        const CuePhrase *ph = &cs->phr[x];
        size_t end;
        if (ph->nw == 0) continue;
        end = ph->nw == 1 ? (cue_word_at(s, we, n) ? 0 : we) : cue_rest(cs, ph, s, we, e, n);
        if (end && qr && ws < rstart) {
          p = end; /* a hit before the range: not reported */
          break;
        }
        if (end) {
          if (nbuf + 3 > CUE_HITBUF && packed) {
            if ((size_t)count + (size_t)nbuf > cap) {
              size_t ncap = cap ? 2 * cap : 4 * CUE_HITBUF;
              lua_Integer *grown;
              while (ncap < (size_t)count + (size_t)nbuf) ncap *= 2;
              grown = (lua_Integer *)lua_newuserdatauv(L, ncap * sizeof(lua_Integer), 0);
              if (count > 0) memcpy(grown, store, (size_t)count * sizeof(lua_Integer));
              if (made) lua_replace(L, 6);
              made = 1;
              store = grown;
              cap = ncap;
            }
            memcpy(store + count, buf, (size_t)nbuf * sizeof(lua_Integer));
            count += nbuf;
            nbuf = 0;
          } else if (nbuf + 3 > CUE_HITBUF) {
            cue_flush(L, buf, nbuf, &made, &count, 2 * CUE_HITBUF);
            nbuf = 0;
          }
          buf[nbuf++] = (lua_Integer)ws + 1;
          buf[nbuf++] = (lua_Integer)end;
          buf[nbuf++] = ph->id;
          p = end;
          break;
        }
      }
    }
  }
  if (packed) {
    quote_ints *a;
    if (into && store == into->v && (size_t)(count + nbuf) <= cap) {
      if (nbuf > 0) memcpy(store + count, buf, (size_t)nbuf * sizeof(lua_Integer));
      into->n = count + nbuf;
      lua_pushvalue(L, 5);
      return 1;
    }
    a = push_ints(L, count + nbuf);
    if (count > 0) memcpy(a->v, store, (size_t)count * sizeof(lua_Integer));
    if (nbuf > 0) memcpy(a->v + count, buf, (size_t)nbuf * sizeof(lua_Integer));
    return 1;
  }
  cue_flush(L, buf, nbuf, &made, &count, nbuf);
  return 1;
}

static int l_cue_close(lua_State *L) {
  CueSet *cs = (CueSet *)luaL_checkudata(L, 1, CUE_SET);
  cs->closed = 1;
  return 0;
}

static int l_cue_tostring(lua_State *L) {
  CueSet *cs = (CueSet *)luaL_checkudata(L, 1, CUE_SET);
  lua_pushfstring(L, CUE_SET "(%d phrases)", (int)cs->nphr);
  return 1;
}

/* ---- the blocks worth reading ----------------------------------------- */

/* core.quote_blocks(ranges, hits, quotes [, packed [, into]]) -> wanted */
static int l_quote_blocks(lua_State *L) {
  lua_Integer nr, nh, nq, r = 1, h = 1, k, lo = 0, hi = 0, at = 0, room;
  const quote_ranges *qr;
  const quote_ints *ph = (const quote_ints *)luaL_testudata(L, 2, QUOTE_INTS);
  quote_ints *wi = NULL;
  int packed = lua_toboolean(L, 4);
  const quote_list *ql = test_list(L, 3);
  qr = check_ranges(L, 1);
  if (!ph) luaL_checktype(L, 2, LUA_TTABLE);
  if (!ql) luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 5);
  room = packed ? ints_room(L, 5, QUOTE_INTS) : 0;
  nr = ranges_len(L, qr, 1);
  nh = ph ? ph->n : (lua_Integer)lua_rawlen(L, 2);
  nq = ql ? ql->n : (lua_Integer)lua_rawlen(L, 3);
  if (packed) {
    /* 4: a flag per range (into filled again when it has room) */
    if (room > 0 && nr <= room && (void *)ph != lua_touserdata(L, 5)) {
      lua_replace(L, 4);
      wi = (quote_ints *)lua_touserdata(L, 4);
      wi->n = nr > 0 ? nr : 0;
    } else {
      lua_settop(L, 3);
      wi = push_ints(L, nr > 0 ? nr : 0);
    }
    if (nr > 0) memset(wi->v, 0, (size_t)nr * sizeof(lua_Integer));
  } else {
    lua_settop(L, 3);
    lua_createtable(L, nr > 0 && nr < 1 << 20 ? (int)nr : 0, 0); /* 4: wanted */
  }
  /* a block with a hit */
  while (r <= nr && h <= nh) {
    lua_Integer v = ph ? ph->v[h - 1] : int_elem(L, 2, h);
    if (at != r) {
      range_at(L, qr, 1, r, "quote_blocks", &lo, &hi);
      at = r;
    }
    if (v < lo) {
      h += 3;
    } else if (v > hi) {
      r++;
    } else {
      if (wi) {
        wi->v[r - 1] = 1;
      } else {
        lua_pushboolean(L, 1);
        lua_rawseti(L, 4, r);
      }
      r++;
    }
  }
  /* the block where each quote opens, or the next one */
  r = 1;
  for (k = 1; k <= nq; k++) {
    lua_Integer open;
    int ok;
    if (ql) {
      open = ql->v[k - 1].open;
    } else {
      lua_rawgeti(L, 3, k);
      if (!lua_istable(L, -1))
        return luaL_error(L, "quote_blocks: quote %d must be a table, got %s", (int)k, luaL_typename(L, -1));
      open = fk_int_field(L, lua_upvalueindex(1), lua_gettop(L), FK_OPEN, &ok);
      if (!ok) return luaL_error(L, "quote_blocks: quote %d has no open position", (int)k);
      lua_pop(L, 1);
    }
    for (; r <= nr; r++) {
      if (at != r) {
        range_at(L, qr, 1, r, "quote_blocks", &lo, &hi);
        at = r;
      }
      if (hi >= open) break;
    }
    if (r <= nr) {
      if (wi) {
        wi->v[r - 1] = 1;
      } else {
        lua_pushboolean(L, 1);
        lua_rawseti(L, 4, r);
      }
    }
  }
  lua_settop(L, 4);
  return 1;
}

/* ---- the attribution parser --------------------------------------------- */

/* core.quote_parser(spec) reads who said what around a quote or a reporting
 * verb over the token records of core.quote_tokens: the noun phrases, the
 * subject of a verb, an attribution after a quote, the end of a sentence's
 * content. The word lists come once, as Lua sets (spec), and are merged
 * into one table word -> flags; a token's flags are read once per document,
 * when first needed. Every walk is bounded by the tokens it is given. */

#define F_FUNC (UINT64_C(1) << 0)
#define F_PREP (UINT64_C(1) << 1)
#define F_PRON (UINT64_C(1) << 2)
#define F_PFIRST (UINT64_C(1) << 3)
#define F_DEF (UINT64_C(1) << 4)
#define F_UNNAMED (UINT64_C(1) << 5)
#define F_REL (UINT64_C(1) << 6)
#define F_BE (UINT64_C(1) << 7)
#define F_FINITE (UINT64_C(1) << 8)
#define F_TIME (UINT64_C(1) << 9)
#define F_SKIP (UINT64_C(1) << 10)
#define F_MODAL (UINT64_C(1) << 11)
#define F_QUANT (UINT64_C(1) << 12)
#define F_TITLE (UINT64_C(1) << 13)
#define F_TITLEP (UINT64_C(1) << 14)
#define F_DEMONYM (UINT64_C(1) << 15)
#define F_VERB1 (UINT64_C(1) << 16)
#define F_VERB2 (UINT64_C(1) << 17)
#define F_COMPOUND (UINT64_C(1) << 18)
#define F_SRC (UINT64_C(1) << 19)
#define F_POSTMOD (UINT64_C(1) << 20)
#define F_LISTEN (UINT64_C(1) << 21)
#define F_NOUN (UINT64_C(1) << 22)
#define F_NROLE (UINT64_C(1) << 23)
#define F_NPL (UINT64_C(1) << 24)
#define F_CONNECT (UINT64_C(1) << 25)
#define F_PARTICLE (UINT64_C(1) << 26)
#define F_THAT (UINT64_C(1) << 27)
#define F_THE (UINT64_C(1) << 28)
#define F_TO (UINT64_C(1) << 29)
#define F_OF (UINT64_C(1) << 30)
#define F_AAN (UINT64_C(1) << 31)
#define F_SOGB (UINT64_C(1) << 32)
/* read from the word itself */
#define F_LY2 (UINT64_C(1) << 33)     /* key ~ "..ly$" */
#define F_ING2 (UINT64_C(1) << 34)    /* key ~ "..ing$" */
#define F_ING (UINT64_C(1) << 35)     /* key ~ "ing$" */
#define F_ED (UINT64_C(1) << 36)      /* key ~ "[^e]ed$", more than 4 bytes */
#define F_HYPH (UINT64_C(1) << 37)    /* key ~ "^%a+%-%a+$" */
#define F_NUMW (UINT64_C(1) << 38)    /* text ~ "^[%d%.,%-]+$" */
#define F_KEYDIFF (UINT64_C(1) << 39) /* key ~= text:lower() */
#define F_KNOWN (UINT64_C(1) << 62)

/* the holder's slots (upvalue 2 of every function of a parser) */
enum { H_LEX = 1, H_VERB1, H_VERB2, H_COMPOUNDS, H_SRC, H_POSTMODS, H_LISTENERS, H_NOUNS,
       H_DEMONYM, H_CONTRACTED, H_ORGWORDS, H_KNOWN, H_FILTER, H_RECS, H_TEXT, H_L, H_FLAGS,
       H_PHRASES, H_FKEYS, H_SPEECH };

typedef struct {
  const tok_info *ti;
  lua_Integer n;
  const unsigned char *s;
  size_t slen;
  uint64_t *fl; /* fl[t], t = 0 .. n + 1 */
  size_t flcap;
  int cue_marks, bound;
  const cue_filter *wt; /* the word flags in C (held by the holder) */
  /* the phrase lists of the holder slots H_SRC, H_POSTMODS, H_LISTENERS
   * in C (see phrase_pack; held by the holder), or NULL */
  const uint32_t *phr[3];
  struct qspeech_s *S; /* what P.speech keeps of its records (held by the holder) */
} qparser;

/* ---- what P.speech keeps of its records in C ----------------------------
 *
 * A record's paragraph, the end of its sentence, its word count, which
 * record it inherits its speaker from, and its speaker's noun phrase (with
 * the strings the resolver reads: in an arena) stay in C, in the parser's
 * lede.QuoteSpeech (P.side), one entry per record of found in its order;
 * core.quote_resolver reads them from there. */

#define QUOTE_SPEECH "lede.QuoteSpeech"

enum { SS_PRON, SS_HEAD, SS_NOUN, SS_NAT, SS_NAME, SS_ROLE, SS_APP, SS_COUNT };
#define SS_NONE ((size_t)-1)

typedef struct {
  lua_Integer para, send, nwords;
  lua_Integer inherit;     /* with inherit_kind 1: the record of found it inherits from (0: none there) */
  lua_Integer i, j;        /* the speaker's, when has_ij */
  lua_Integer at;          /* (while merging) its index in found, 0: left out */
  int has_send, inherit_kind; /* inherit_kind 0 none, 1 a record, 2 "previous" */
  int has_np, np_kind, has_ij, plural, definite, possessive, generic;
  size_t so[SS_COUNT], sl[SS_COUNT]; /* the strings: offset in the arena and length (SS_NONE: none) */
} sp_rec;

typedef struct qspeech_s {
  sp_rec *rec, *d, *x; /* in found's order; the direct quotes, the reported speech while parsing */
  size_t n, cap, nd, cd, nx, cx;
  char *arena;
  size_t na, ca;
  int closed;
} qspeech;

/* Makes room for need elements of size bytes at *p (capacity *cap),
 * doubling; raises "who: out of memory". */
static void grow_room(lua_State *L, void **p, size_t *cap, size_t need, size_t size, const char *who) {
  size_t c = *cap ? *cap : 16;
  void *np;
  if (need <= *cap) return;
  while (c < need) c *= 2;
  if (c > (size_t)-1 / size) luaL_error(L, "%s: out of memory", who);
  np = realloc(*p, c * size);
  if (!np) luaL_error(L, "%s: out of memory", who);
  *p = np;
  *cap = c;
}

#define SP_ROOM(L, arr, cap, need) \
  do { \
    if ((size_t)(need) > (cap)) grow_room((L), (void **)&(arr), &(cap), (need), sizeof *(arr), "quote_parser"); \
  } while (0)

static int l_speech_gc(lua_State *L) {
  qspeech *S = (qspeech *)luaL_checkudata(L, 1, QUOTE_SPEECH);
  if (!S->closed) {
    S->closed = 1;
    free(S->rec);
    free(S->d);
    free(S->x);
    free(S->arena);
    S->rec = S->d = S->x = NULL;
    S->arena = NULL;
    S->n = S->nd = S->nx = S->na = 0;
  }
  return 0;
}

static int l_speech_tostring(lua_State *L) {
  qspeech *S = (qspeech *)luaL_checkudata(L, 1, QUOTE_SPEECH);
  if (S->closed) lua_pushliteral(L, "lede.QuoteSpeech (closed)");
  else lua_pushfstring(L, "lede.QuoteSpeech (%d records)", (int)S->n);
  return 1;
}

/* Pushes a new, empty lede.QuoteSpeech. */
static qspeech *push_speech(lua_State *L) {
  qspeech *S = (qspeech *)lua_newuserdatauv(L, sizeof *S, 0);
  memset(S, 0, sizeof *S);
  luaL_setmetatable(L, QUOTE_SPEECH);
  /* (an arena from the start: a string in it is never at NULL) */
  SP_ROOM(L, S->arena, S->ca, 256);
  return S;
}

/* A string of record r: the n bytes at s copied to the arena. */
static void sp_str(lua_State *L, qspeech *S, sp_rec *r, int which, const void *s, size_t n) {
  SP_ROOM(L, S->arena, S->ca, S->na + n + 1);
  if (n) memcpy(S->arena + S->na, s, n);
  r->so[which] = S->na;
  r->sl[which] = n;
  S->na += n;
}

/* The same for the string at the top of the stack (popped; none when it
 * is no string). */
static void sp_top(lua_State *L, qspeech *S, sp_rec *r, int which) {
  if (lua_type(L, -1) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    sp_str(L, S, r, which, s, n);
  }
  lua_pop(L, 1);
}

typedef struct {
  lua_State *L;
  qparser *P;
  const tok_info *ti;
  lua_Integer n;
  const unsigned char *s;
  size_t slen;
  uint64_t *fl;
  int H, LEX, LW, CONTR; /* LW 0: the keys are made from the records */
  const cue_filter *wt;  /* the word flags in C */
  int depth;
  /* P.speech: the records found so far, in C (for merge_found): nd direct
   * quotes (their i and whether a fragment) at dv, nx reported speech
   * (their i and j) at xv */
  lua_Integer *dv, *xv, nd, nx;
  int FK; /* stack index of the field names (push_fkeys) */
  qspeech *S; /* P.speech: what it keeps of the records in C */
} qp;

enum { NP_NONE, NP_PRON, NP_DESC, NP_NAME };
enum { WHY_NONE, WHY_MODAL, WHY_PASSIVE, WHY_NOUN, WHY_RELATIVE };

typedef struct {
  int kind;
  lua_Integer a, z, full_a, the;
  lua_Integer head_t, noun_t, nat_t;
  int head_mode; /* 0 none, 1 the noun behind key(head_t), 2 key(head_t) */
  int noun_mode; /* 0 none, 1 the kind of the noun behind key(noun_t), 2 "role" */
  int plural, definite, possessive, generic;
  lua_Integer role_a, role_z, app_a, app_z, name_a, name_z; /* token ranges, 0: none */
} np_t;

typedef struct {
  int ing, direct, bare, object;
} vflags;

static int QK(const qp *p, lua_Integer t) { return t >= 1 && t <= p->n ? p->ti[t - 1].kind : 0; }
static int QCAP(const qp *p, lua_Integer t) { return t >= 1 && t <= p->n && p->ti[t - 1].cap; }
static int QCUE(const qp *p, lua_Integer t) { return t >= 1 && t <= p->n && p->ti[t - 1].cue; }

/* The text of token t (tk.w[t]): a word or a mark, else empty. */
LEDE_INLINE const unsigned char *qtext(const qp *p, lua_Integer t, size_t *len) {
  const tok_info *ti;
  *len = 0;
  if (t < 1 || t > p->n) return NULL;
  ti = &p->ti[t - 1];
  if ((ti->kind != 'w' && ti->kind != 'p') || ti->s < 1 || ti->e < ti->s || (size_t)ti->e > p->slen)
    return NULL;
  *len = (size_t)(ti->e - ti->s + 1);
  return p->s + ti->s - 1;
}

/* Whether tk.w[t] is the one byte c. */
static int QIS(const qp *p, lua_Integer t, int c) {
  size_t len;
  const unsigned char *w = qtext(p, t, &len);
  return w && len == 1 && w[0] == c;
}

/* First byte of tk.w[t], -1 for none. */
static int QFB(const qp *p, lua_Integer t) {
  size_t len;
  const unsigned char *w = qtext(p, t, &len);
  return w ? w[0] : -1;
}

/* Pushes the lookup key of token t (tk.l[t]): a word in lower case, less a
 * possessive "'s" (core.quote_tokens' key); a mark itself; "" for another
 * token; nil outside the stream. */
static void push_key(qp *p, lua_Integer t) {
  lua_State *L = p->L;
  const tok_info *ti;
  size_t len;
  const unsigned char *w;
  if (p->LW) {
    lua_rawgeti(L, p->LW, t);
    return;
  }
  if (t < 1 || t > p->n) {
    lua_pushnil(L);
    return;
  }
  ti = &p->ti[t - 1];
  w = qtext(p, t, &len);
  if (!w) {
    lua_pushliteral(L, "");
  } else if (ti->kind == 'p') {
    lua_pushlstring(L, (const char *)w, len);
  } else if (ti->merged) {
    lede_push_lower(L, w, len);
  } else {
    lua_pushlstring(L, (const char *)w, len);
    lede_push_token_key(L, lua_gettop(L), w, len, p->CONTR);
    lua_remove(L, -2);
  }
}

static int ends_with(const unsigned char *k, size_t n, const char *suf, size_t m) {
  return n >= m && memcmp(k + n - m, suf, m) == 0;
}

static int ascii_letter(unsigned c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* The flags read from a token's key k[0..n) and its text w[0..wl) (w NULL:
 * no text). */
static uint64_t key_flags(const unsigned char *k, size_t n, const unsigned char *w, size_t wl) {
  uint64_t f = 0;
  size_t x;
  if (n >= 4 && ends_with(k, n, "ly", 2)) f |= F_LY2;
  if (n >= 5 && ends_with(k, n, "ing", 3)) f |= F_ING2;
  if (ends_with(k, n, "ing", 3)) f |= F_ING;
  if (n > 4 && ends_with(k, n, "ed", 2) && k[n - 3] != 'e') f |= F_ED;
  /* letters on each side of one hyphen (read only when there is one) */
  if (n >= 3 && memchr(k, '-', n) != NULL) {
    size_t h = 0, dashes = 0;
    int ok = 1;
    for (x = 0; ok && x < n; x++) {
      if (k[x] == '-') {
        dashes++;
        h = x;
      } else if (!ascii_letter(k[x])) {
        ok = 0;
      }
    }
    if (ok && dashes == 1 && h > 0 && h < n - 1) f |= F_HYPH;
  }
  if (w && wl > 0) {
    for (x = 0; x < wl; x++)
      if (!((w[x] >= '0' && w[x] <= '9') || w[x] == '.' || w[x] == ',' || w[x] == '-')) break;
    if (x == wl) f |= F_NUMW;
  }
  {
    int diff = !w ? n != 0 : wl != n;
    for (x = 0; !diff && x < n; x++) {
      unsigned c = w[x] >= 'A' && w[x] <= 'Z' ? w[x] + 32u : w[x];
      if (c != k[x]) diff = 1;
    }
    if (diff) f |= F_KEYDIFF;
  }
  return f;
}

/* The flags of token t (1 <= t <= p->n) read the first time (QF). */
static uint64_t qf_read(qp *p, lua_Integer t) {
  lua_State *L = p->L;
  uint64_t f;
  size_t wl;
  const unsigned char *w;
  f = F_KNOWN;
  w = qtext(p, t, &wl);
  if (!p->LW && p->wt && (!w || wl <= WORD_KEY_MAX)) {
    /* the key made here, its flags from the parser's own table */
    unsigned char kb[WORD_KEY_MAX];
    const tok_info *ti = &p->ti[t - 1];
    const unsigned char *k = kb;
    size_t n = 0, x;
    if (!w) {
      n = 0;
    } else if (ti->kind == 'p') {
      k = w;
      n = wl;
    } else if (ti->merged) {
      for (x = 0; x < wl; x++) kb[x] = (unsigned char)(w[x] >= 'A' && w[x] <= 'Z' ? w[x] + 32 : w[x]);
      n = wl;
    } else {
      n = word_key(p->wt, w, wl, kb);
    }
    f |= key_flags(k, n, w, wl) | (wt_get(p->wt, k, n) & ~(WT_CONTR | WT_CUEW));
    p->fl[t] = f;
    return f;
  }
  push_key(p, t);
  if (lua_type(L, -1) == LUA_TSTRING) {
    size_t n;
    const unsigned char *k = (const unsigned char *)lua_tolstring(L, -1, &n);
    f |= key_flags(k, n, w, wl);
    lua_rawget(L, p->LEX);
    if (lua_type(L, -1) == LUA_TNUMBER) f |= (uint64_t)lua_tointeger(L, -1) & ~(WT_CONTR | WT_CUEW);
  }
  lua_pop(L, 1);
  p->fl[t] = f;
  return f;
}

/* The flags of token t (0 outside the stream): those read already inline. */
LEDE_INLINE uint64_t QF(qp *p, lua_Integer t) {
  uint64_t f;
  if (t < 1 || t > p->n) return 0;
  f = p->fl[t];
  return f & F_KNOWN ? f : qf_read(p, t);
}

static int is_name_word(qp *p, lua_Integer t) {
  return QK(p, t) == 'w' && QCAP(p, t) && !(QF(p, t) & (F_FUNC | F_PRON));
}

/* Pushes holder slot h [key(t)] (nil when absent). */
static void push_entry(qp *p, int h, lua_Integer t) {
  lua_State *L = p->L;
  lua_rawgeti(L, p->H, h);
  push_key(p, t);
  if (lua_istable(L, -2)) lua_rawget(L, -2);
  else {
    lua_pop(L, 1);
    lua_pushnil(L);
  }
  lua_remove(L, -2);
}

static void read_vflags(lua_State *L, int idx, vflags *vf) {
  lua_getfield(L, idx, "ing");
  vf->ing = lua_toboolean(L, -1);
  lua_getfield(L, idx, "direct");
  vf->direct = lua_toboolean(L, -1);
  lua_getfield(L, idx, "bare");
  vf->bare = lua_toboolean(L, -1);
  lua_getfield(L, idx, "object");
  vf->object = lua_toboolean(L, -1);
  lua_pop(L, 4);
}

/* Whether QF reads the flags of token t from the parser's table in C (the
 * key made as push_key makes it), not from the Lua table. */
static int flags_in_c(const qp *p, lua_Integer t) {
  size_t wl;
  const unsigned char *w = qtext(p, t, &wl);
  return !p->LW && p->wt && (!w || wl <= WORD_KEY_MAX);
}

/* The reporting verb at token t: 1 and its last token in *ve, else 0. */
static int verb_at(qp *p, lua_Integer t, lua_Integer *ve, vflags *vf) {
  lua_State *L = p->L;
  uint64_t f;
  if ((p->P->cue_marks && !QCUE(p, t)) || QK(p, t) != 'w') return 0;
  f = QF(p, t);
  if (!(f & (F_VERB1 | F_VERB2))) return 0;
  if ((f & F_COMPOUND) && t < p->n) {
    int hit;
    push_entry(p, H_COMPOUNDS, t);
    push_key(p, t + 1);
    hit = lua_istable(L, -2) && (lua_rawget(L, -2), lua_toboolean(L, -1));
    lua_pop(L, 2);
    if (hit) return 0; /* "think tank" */
  }
  if (QCAP(p, t) && ((t < p->n && QK(p, t + 1) == 'w' && QCAP(p, t + 1)) ||
                     (t > 1 && QK(p, t - 1) == 'w' && QCAP(p, t - 1))))
    return 0; /* part of a name: "Marvel Studios" */
  if ((f & F_VERB2) && t < p->n && QK(p, t + 1) == 'w') {
    push_entry(p, H_VERB2, t);
    if (lua_istable(L, -1)) {
      push_key(p, t + 1);
      lua_rawget(L, -2);
      if (lua_istable(L, -1)) {
        if (vf) read_vflags(L, lua_gettop(L), vf);
        lua_pop(L, 2);
        *ve = t + 1;
        return 1;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if ((f & F_VERB1) && flags_in_c(p, t)) {
    /* the flags came from the parser's table in C, which holds the verb's */
    if (!(f & WT_V1)) return 0;
    if (vf) {
      vf->ing = (f & WT_V1ING) != 0;
      vf->direct = (f & WT_V1DIRECT) != 0;
      vf->bare = (f & WT_V1BARE) != 0;
      vf->object = (f & WT_V1OBJECT) != 0;
    }
    *ve = t;
    return 1;
  }
  if (f & F_VERB1) {
    push_entry(p, H_VERB1, t);
    if (lua_istable(L, -1)) {
      if (vf) read_vflags(L, lua_gettop(L), vf);
      lua_pop(L, 1);
      *ve = t;
      return 1;
    }
    lua_pop(L, 1);
  }
  return 0;
}

static int is_verb(qp *p, lua_Integer t) {
  lua_Integer ve;
  return verb_at(p, t, &ve, NULL);
}

/* The key of token t as push_key makes it, into buf (WORD_KEY_MAX bytes)
 * or pointing into the text: 1 and *k, *n; 0 for nil (outside the stream);
 * -1 when it is not made here (the key is made in Lua). */
static int key_of(const qp *p, lua_Integer t, unsigned char *buf, const unsigned char **k, size_t *n) {
  const tok_info *ti;
  size_t wl, x;
  const unsigned char *w;
  if (p->LW || !p->wt) return -1;
  if (t < 1 || t > p->n) return 0;
  ti = &p->ti[t - 1];
  w = qtext(p, t, &wl);
  *k = buf;
  *n = 0;
  if (!w) return 1; /* "" */
  if (ti->kind == 'p') {
    *k = w;
    *n = wl;
    return 1;
  }
  if (wl > WORD_KEY_MAX) return -1;
  if (ti->merged) {
    for (x = 0; x < wl; x++) buf[x] = (unsigned char)(w[x] >= 'A' && w[x] <= 'Z' ? w[x] + 32 : w[x]);
    *n = wl;
  } else {
    *n = word_key(p->wt, w, wl, buf);
  }
  return 1;
}

/* The phrase lists of a holder slot, packed in 32-bit words: the number of
 * first words, then for each its byte count, its bytes (padded to 4) and
 * its phrases in bucket order; a phrase is its number of words (0: one that
 * never matches) and each word as a byte count and bytes (padded). */
#define PACK_BYTES(len) (((len) + 3) / 4)

/* phrase_at over the packed lists pk: the same answer, or -1 when a key it
 * needs is not made in C. */
static lua_Integer phrase_at_c(qp *p, const uint32_t *pk, lua_Integer t, lua_Integer z,
                               const unsigned char *k, size_t n) {
  uint32_t nb = *pk++, b;
  for (b = 0; b < nb; b++) {
    uint32_t kl = *pk++, np, f;
    int hit = kl == n && memcmp(pk, k, n) == 0;
    pk += PACK_BYTES(kl);
    np = *pk++;
    for (f = 0; f < np; f++) {
      uint32_t nw = *pk++, i;
      int ok = hit && nw > 0;
      for (i = 0; i < nw; i++) {
        uint32_t wl = *pk++;
        if (ok) {
          lua_Integer x = t + (lua_Integer)i;
          unsigned char buf[WORD_KEY_MAX];
          const unsigned char *xk;
          size_t xn;
          if (x > z || QK(p, x) != 'w') {
            ok = 0;
          } else {
            int r = key_of(p, x, buf, &xk, &xn);
            if (r < 0) return -1;
            if (r == 0 || xn != wl || memcmp(xk, pk, wl) != 0) ok = 0;
          }
        }
        pk += PACK_BYTES(wl);
      }
      if (ok) return (lua_Integer)nw;
    }
    if (hit) return 0;
  }
  return 0;
}

/* The number of words of the first phrase of the bucket in holder slot h
 * under key(t) that the keys from token t match, up to token z; 0: none. */
static lua_Integer phrase_at(qp *p, int h, lua_Integer t, lua_Integer z) {
  lua_State *L = p->L;
  lua_Integer nb, k, got = 0;
  const uint32_t *pk = p->P->phr[h == H_SRC ? 0 : h == H_POSTMODS ? 1 : 2];
  if (pk && (h == H_SRC || h == H_POSTMODS || h == H_LISTENERS)) {
    unsigned char buf[WORD_KEY_MAX];
    const unsigned char *key;
    size_t kn;
    int r = key_of(p, t, buf, &key, &kn);
    if (r == 0) return 0;
    if (r == 1) {
      /* -1: a key not made here (then the lists are read in Lua) */
      lua_Integer got_c = phrase_at_c(p, pk, t, z, key, kn);
      if (got_c >= 0) return got_c;
    }
  }
  push_entry(p, h, t);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  nb = (lua_Integer)lua_rawlen(L, -1);
  for (k = 1; k <= nb && !got; k++) {
    lua_Integer nw, i;
    int ok = 1;
    lua_rawgeti(L, -1, k);
    nw = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
    for (i = 1; i <= nw; i++) {
      lua_Integer x = t + i - 1;
      int eq;
      if (x > z || QK(p, x) != 'w') {
        ok = 0;
        break;
      }
      lua_rawgeti(L, -1, i);
      push_key(p, x);
      eq = lua_rawequal(L, -1, -2);
      lua_pop(L, 2);
      if (!eq) {
        ok = 0;
        break;
      }
    }
    lua_pop(L, 1);
    if (ok && nw > 0) got = nw;
  }
  lua_pop(L, 1);
  return got;
}

static void np_clear(np_t *np) { memset(np, 0, sizeof *np); }

/* A name NP over tokens a..z: the title words at its left are the role. */
static void name_np(qp *p, lua_Integer a, lua_Integer z, np_t *np) {
  lua_Integer b = a, x;
  np_clear(np);
  while (b < z && QK(p, b) == 'w' && (QF(p, b) & (F_TITLEP | F_DEMONYM))) b++;
  for (x = z - 1; x >= b; x--) {
    if (QF(p, x) & F_TITLEP) {
      b = x + 1;
      break;
    }
  }
  if (b == z && (QF(p, b) & (F_TITLEP | F_DEMONYM)) && (QF(p, b) & F_NOUN)) {
    /* only a title: "Foreign Minister said" reads as a description */
    np->kind = NP_DESC;
    np->a = a;
    np->z = z;
    np->head_t = b;
    np->head_mode = 1;
    np->plural = (QF(p, b) & F_NPL) != 0;
    np->definite = 1;
    return;
  }
  np->kind = NP_NAME;
  np->a = b;
  np->z = z;
  np->name_a = b;
  np->name_z = z;
  np->full_a = a;
  if (b > a) {
    np->role_a = a;
    np->role_z = b - 1;
  }
  for (x = a; x <= b - 1; x++)
    if (QF(p, x) & F_DEMONYM) np->nat_t = x;
}

/* A description NP whose head is token t, extended leftwards to sa. */
static void desc_left(qp *p, lua_Integer t, lua_Integer sa, np_t *np) {
  lua_Integer a = t, j = t - 1, det = 0, x;
  int n = 0;
  np_clear(np);
  while (j >= sa && n < 5 && QK(p, j) == 'w') {
    uint64_t f = QF(p, j);
    if (f & (F_DEF | F_UNNAMED)) {
      a = j;
      det = j;
      break;
    }
    if ((f & (F_FUNC | F_PREP | F_PRON)) || is_verb(p, j)) break;
    a = j;
    j--;
    n++;
  }
  for (x = a; x <= t; x++) {
    if (QF(p, x) & F_DEMONYM) np->nat_t = x;
    if (x < t && (QF(p, x) & F_KEYDIFF)) np->possessive = 1;
  }
  np->kind = NP_DESC;
  np->a = a;
  np->z = t;
  np->head_t = t;
  np->head_mode = 1;
  np->noun_t = t;
  np->noun_mode = 1;
  np->plural = (QF(p, t) & F_NPL) != 0;
  np->definite = det && (QF(p, det) & F_DEF) && !np->plural;
}

static void pronoun_np(lua_Integer t, np_t *np) {
  np_clear(np);
  np->kind = NP_PRON;
  np->a = np->z = t;
}

/* The NP ending at token t (left of a verb). */
static int np_ending_at(qp *p, lua_Integer t, lua_Integer sa, np_t *np) {
  uint64_t f;
  if (QK(p, t) != 'w') return 0;
  f = QF(p, t);
  if (f & F_PRON) {
    pronoun_np(t, np);
    return 1;
  }
  if ((f & F_NOUN) && !(QCAP(p, t) && t > sa && is_name_word(p, t - 1) && !(f & F_TITLE))) {
    desc_left(p, t, sa, np);
    return 1;
  }
  if (is_name_word(p, t)) {
    lua_Integer a = t;
    while (a > sa) {
      lua_Integer q = a - 1;
      if (is_name_word(p, q)) a = q;
      else if (QK(p, q) == 'w' && (QF(p, q) & F_CONNECT) && q > sa && is_name_word(p, q - 1)) a = q - 1;
      else break;
    }
    name_np(p, a, t, np);
    if (a > sa && QK(p, a - 1) == 'w' && (QF(p, a - 1) & F_THE)) np->the = a - 1;
    return 1;
  }
  return 0;
}

#define NP_DEPTH 64

/* The NP starting at token t (after a verb or a quote), up to sz. */
static int np_starting_at(qp *p, lua_Integer t, lua_Integer sz, np_t *np) {
  uint64_t f;
  if (t > sz || QK(p, t) != 'w') return 0;
  f = QF(p, t);
  if (f & F_PRON) {
    pronoun_np(t, np);
    return 1;
  }
  if (f & (F_DEF | F_UNNAMED)) {
    /* det adj* noun */
    lua_Integer j = t + 1, last = 0;
    while (j <= sz && j <= t + 6 && QK(p, j) == 'w') {
      uint64_t fj = QF(p, j);
      if ((fj & (F_FUNC | F_PREP)) || is_verb(p, j)) break;
      if (fj & F_NOUN) last = j;
      j++;
    }
    if (last) {
      desc_left(p, last, t, np);
      np->a = t;
      np->definite = (f & F_DEF) && !np->plural;
      return 1;
    }
    if (is_name_word(p, t + 1)) {
      lua_Integer z = t + 1;
      while (z < sz && is_name_word(p, z + 1)) z++;
      name_np(p, t + 1, z, np);
      return 1;
    }
    return 0;
  }
  if (!QCAP(p, t) && !(f & (F_FUNC | F_PREP))) {
    /* "spokesman John Smith", "planetary geologist Rosaly Lopes" */
    lua_Integer r = t;
    while (r <= sz && r < t + 3 && QK(p, r) == 'w' && !QCAP(p, r) && !(QF(p, r) & (F_FUNC | F_PREP)) &&
           !is_verb(p, r))
      r++;
    if (r > t && r <= sz && is_name_word(p, r) && p->depth < NP_DEPTH) {
      int got;
      p->depth++;
      got = np_starting_at(p, r, sz, np);
      p->depth--;
      if (got && np->kind == NP_NAME) {
        np->role_a = t;
        np->role_z = r - 1;
        return 1;
      }
    }
  }
  if (is_name_word(p, t)) {
    lua_Integer z = t, hz, r, rn;
    while (z < sz) {
      lua_Integer nx = z + 1;
      if (is_name_word(p, nx)) z = nx;
      else if (QK(p, nx) == 'w' && (QF(p, nx) & F_PARTICLE) && nx < sz && is_name_word(p, nx + 1)) z = nx + 1;
      else break;
    }
    /* "Kremlin sources", "White House officials": a description */
    hz = z + 1;
    if (hz <= sz && QK(p, hz) == 'w' && !QCAP(p, hz) && (QF(p, hz) & F_NROLE) && !is_name_word(p, hz + 1) &&
        !(QK(p, hz + 1) == 'p' && QIS(p, hz + 1, ',') && is_name_word(p, hz + 2))) {
      desc_left(p, hz, t, np);
      np->a = t;
      return 1;
    }
    if ((QF(p, z) & F_NOUN) && t == z) {
      desc_left(p, z, t, np);
      return 1;
    }
    /* "Minnesota Wild winger Zach Parise": the name after the role noun */
    r = z + 1;
    while (r <= sz && r <= z + 3 && QK(p, r) == 'w' && !QCAP(p, r) && !(QF(p, r) & (F_FUNC | F_PREP)) &&
           !is_verb(p, r))
      r++;
    rn = r;
    if (r > z + 1 && r < sz && QK(p, r) == 'p' && QIS(p, r, ',')) rn = r + 1;
    if (r > z + 1 && rn <= sz && is_name_word(p, rn) && p->depth < NP_DEPTH) {
      int got;
      p->depth++;
      got = np_starting_at(p, rn, sz, np);
      p->depth--;
      if (got && np->kind == NP_NAME) {
        np->role_a = t;
        np->role_z = r - 1;
        return 1;
      }
    }
    name_np(p, t, z, np);
    return 1;
  }
  if (f & F_NOUN) {
    desc_left(p, t, t, np);
    return 1;
  }
  return 0;
}

/* An unnamed source over a postmodifier ("a source familiar with the
 * matter"): the new end token. */
static lua_Integer postmodifier(qp *p, const np_t *np, lua_Integer limit) {
  lua_Integer t = np->z + 1, len, z;
  if (t > limit || QK(p, t) != 'w' || !(QF(p, t) & F_POSTMOD)) return np->z;
  len = phrase_at(p, H_POSTMODS, t, limit);
  if (!len) return np->z;
  z = t + len - 1;
  while (z + 1 <= limit && QK(p, z + 1) == 'w' && z - t < 8 && !is_verb(p, z + 1)) z++;
  return z;
}

static int sentence_punct(const qp *p, lua_Integer t) {
  return QIS(p, t, ';') || QIS(p, t, ':') || QIS(p, t, '.') || QIS(p, t, '!') || QIS(p, t, '?');
}

static lua_Integer np_first(const np_t *np) { return np->the ? np->the : np->full_a ? np->full_a : np->a; }

/* The subject of the reporting verb at token v, searching left to sa. */
static int subject_left(qp *p, lua_Integer v, lua_Integer sa, np_t *out, int *why) {
  lua_Integer j = v - 1;
  int modal = 0, steps = 0;
  *why = WHY_NONE;
  while (j >= sa && QK(p, j) == 'w' &&
         ((QF(p, j) & (F_SKIP | F_MODAL)) || (!QCAP(p, j) && (QF(p, j) & F_LY2)))) {
    if (QF(p, j) & F_MODAL) modal = 1;
    j--;
  }
  if (modal) {
    *why = WHY_MODAL;
    return 0;
  }
  if (j >= sa && QK(p, j) == 'w' && (QF(p, j) & (F_BE | F_TO))) {
    *why = WHY_PASSIVE;
    return 0;
  }
  if (v - 1 >= sa && QK(p, v - 1) == 'w' && (QF(p, v - 1) & (F_DEF | F_UNNAMED | F_PREP))) {
    *why = WHY_NOUN; /* "an estimated 100,000", "the said agreement" */
    return 0;
  }
  if (v - 1 >= sa && QK(p, v - 1) == 'w' && !QCAP(p, v - 1) && (QF(p, v - 1) & F_ING2)) {
    *why = WHY_NOUN; /* "began scribbling notes" */
    return 0;
  }
  if (j >= sa && QK(p, j) == 'w' && (QF(p, j) & (F_REL | F_THAT))) {
    *why = WHY_RELATIVE;
    return 0;
  }
  while (j >= sa && steps < 40) {
    int k = QK(p, j);
    steps++;
    if (k == 'q' || k == 'b' || k == 'g') return 0;
    if (k == 'p') {
      if (sentence_punct(p, j)) return 0;
      if (QIS(p, j, ',')) {
        /* a comma segment introduced by a relative or a preposition is skipped */
        lua_Integer c = j - 1, f;
        while (c >= sa && !(QK(p, c) == 'p' && QIS(p, c, ',')) && QK(p, c) != 'q') c--;
        /* the name before an apposition right before the verb */
        if (steps == 1 && c > sa && QK(p, c) == 'p' && QK(p, c + 1) == 'w' && !QCAP(p, c + 1)) {
          np_t name;
          if (np_ending_at(p, c - 1, sa, &name)) {
            lua_Integer nb = np_first(&name) - 1;
            if (name.kind == NP_NAME && !(nb >= sa && QK(p, nb) == 'w' && (QF(p, nb) & F_PREP))) {
              name.app_a = c + 1;
              name.app_z = j - 1;
              *out = name;
              return 1;
            }
          }
        }
        f = c + 1;
        if (f < j && QK(p, f) == 'w' &&
            ((QF(p, f) & F_REL) || ((QF(p, f) & F_PREP) && c >= sa) || (QF(p, f) & F_ING)))
          j = c;
      }
      j--;
    } else {
      np_t np;
      if (np_ending_at(p, j, sa, &np)) {
        lua_Integer before = np_first(&np) - 1;
        if (before > sa && QK(p, before) == 'w' && (QF(p, before) & F_OF) &&
            ((QF(p, before - 1) & F_QUANT) || QIS(p, before - 1, '%'))) {
          /* "58 percent of social media users say": unnamed */
          lua_Integer a = before - 1;
          np_t d;
          while (a > sa && (QK(p, a - 1) == 'w' || QIS(p, a - 1, '%')) &&
                 (QF(p, a - 1) & (F_NUMW | F_QUANT | F_UNNAMED | F_DEF | F_HYPH)))
            a--;
          np_clear(&d);
          d.kind = NP_DESC;
          d.a = a;
          d.z = np.z;
          if (np.kind == NP_DESC) {
            d.head_t = np.head_t;
            d.head_mode = np.head_mode;
          } else {
            d.head_t = np.z;
            d.head_mode = 2;
          }
          d.noun_mode = 2;
          d.plural = 1;
          d.definite = 0;
          *out = d;
          return 1;
        }
        if (before >= sa && QK(p, before) == 'w' && (QF(p, before) & F_PREP)) {
          j = before - 1;
        } else {
          if (np.kind == NP_DESC && before > sa && QK(p, before) == 'p' && QIS(p, before, ',')) {
            np_t name;
            if (np_ending_at(p, before - 1, sa, &name) && name.kind == NP_NAME) {
              name.app_a = np.a;
              name.app_z = np.z;
              *out = name;
              return 1;
            }
          }
          if (np.kind == NP_NAME && before > sa && QK(p, before) == 'p' && QIS(p, before, ',')) {
            np_t d;
            if (np_ending_at(p, before - 1, sa, &d) && d.kind == NP_DESC) {
              np.app_a = d.a;
              np.app_z = d.z;
            }
          }
          if (np.kind == NP_DESC && !np.definite) np.z = postmodifier(p, &np, v - 1);
          *out = np;
          return 1;
        }
      } else {
        j--;
      }
    }
  }
  return 0;
}

/* Whether the tokens from t read as a clause (a finite verb within reach). */
static int clause_ok(qp *p, lua_Integer t, lua_Integer z) {
  lua_Integer x, lim = z < t + 10 ? z : t + 10;
  if (t > z || QK(p, t) != 'w') return 0;
  if (QF(p, t) & (F_PREP | F_TO | F_TIME | F_SOGB)) return 0;
  for (x = t + 1; x <= lim; x++) {
    if (QK(p, x) != 'w') return 0;
    if ((QF(p, x) & F_FINITE) || (!QCAP(p, x) && (QF(p, x) & F_ED))) return 1;
  }
  return 0;
}

/* A description or title, a comma and a name: the name, with the
 * description as its appositive. */
static int appositive_name(qp *p, const np_t *np, lua_Integer z, np_t *out) {
  lua_Integer c = np->z + 1;
  if (c < z && QK(p, c) == 'p' && QIS(p, c, ',') && is_name_word(p, c + 1) &&
      (np->kind == NP_DESC || (QF(p, np->z) & F_TITLE))) {
    np_t name;
    if (np_starting_at(p, c + 1, z, &name) && name.kind == NP_NAME) {
      name.app_a = np->a;
      name.app_z = np->z;
      *out = name;
      return 1;
    }
  }
  return 0;
}

/* "According to X" at token t: 1, the cue's end in *ce and X in *np. */
static int source_cue_at(qp *p, lua_Integer t, lua_Integer z, lua_Integer *ce, np_t *np) {
  lua_Integer len;
  np_t x;
  if ((p->P->cue_marks && !QCUE(p, t)) || QK(p, t) != 'w' || !(QF(p, t) & F_SRC)) return 0;
  len = phrase_at(p, H_SRC, t, z);
  if (!len) return 0;
  *ce = t + len - 1;
  if (!np_starting_at(p, *ce + 1, z, &x)) return 0;
  if (!appositive_name(p, &x, z, np)) *np = x;
  return 1;
}

/* An attribution after a quote: [","] NP VERB or VERB NP, from token t. */
static int attribution_after(qp *p, lua_Integer t, lua_Integer z, np_t *out, lua_Integer *vs,
                             lua_Integer *ve) {
  lua_Integer ce, vend, u, x, limit;
  vflags vf;
  np_t np;
  int got;
  if (t > z) return 0;
  if (QK(p, t) == 'p') {
    if (!QIS(p, t, ',') && QFB(p, t) != 226) return 0;
    t++;
  }
  if (t > z || QK(p, t) != 'w') return 0;
  if (source_cue_at(p, t, z, &ce, out)) {
    *vs = t;
    *ve = ce;
    return 1;
  }
  if (verb_at(p, t, &vend, &vf) && !vf.ing) {
    if (np_starting_at(p, vend + 1, z, &np)) {
      if (!appositive_name(p, &np, z, out)) {
        if (np.kind == NP_DESC && !np.definite) np.z = postmodifier(p, &np, z);
        *out = np;
      }
      *vs = t;
      *ve = vend;
      return 1;
    }
    return 0;
  }
  got = np_starting_at(p, t, z, &np);
  if (!got && (QF(p, t) & F_THE)) {
    /* "the 45-year-old said": a definite description lede does not know */
    lua_Integer lim = z < t + 5 ? z : t + 5;
    for (x = t + 2; x <= lim; x++) {
      if (QK(p, x) != 'w') break;
      if (verb_at(p, x, &vend, &vf)) {
        if (vf.ing) break;
        if (is_name_word(p, x - 1)) {
          lua_Integer a = x - 1;
          while (a > t + 1 && is_name_word(p, a - 1)) a--;
          name_np(p, a, x - 1, out);
          out->role_a = t;
          out->role_z = a - 1;
          *vs = x;
          *ve = vend;
          return 1;
        }
        np_clear(out);
        out->kind = NP_DESC;
        out->a = t;
        out->z = x - 1;
        out->head_t = x - 1;
        out->head_mode = 2;
        out->noun_mode = 2;
        out->definite = 1;
        out->generic = 1;
        *vs = x;
        *ve = vend;
        return 1;
      }
      if (QF(p, x) & (F_FUNC | F_PREP)) break;
    }
  }
  if (!got) return 0;
  u = np.z + 1;
  if (np.kind == NP_DESC && !np.definite) {
    lua_Integer pz = postmodifier(p, &np, z);
    if (pz != np.z) {
      np.z = pz;
      u = pz + 1;
    }
  }
  /* an appositive: "Smith, a spokesman for the ministry, said" */
  if (u <= z && QK(p, u) == 'p' && QIS(p, u, ',')) {
    lua_Integer c = u + 1;
    while (c <= z && c <= u + 12 && !(QK(p, c) == 'p' && QIS(p, c, ','))) c++;
    if (c <= z && QK(p, c) == 'p') u = c + 1;
  }
  while (u <= z && QK(p, u) == 'w' && ((QF(p, u) & F_SKIP) || (!QCAP(p, u) && (QF(p, u) & F_LY2)))) u++;
  if (u <= z && verb_at(p, u, &vend, &vf) && !vf.ing) {
    *out = np;
    *vs = u;
    *ve = vend;
    return 1;
  }
  /* a name and a longer apposition */
  if ((np.kind == NP_NAME || np.kind == NP_PRON) && np.z + 1 <= z && QK(p, np.z + 1) == 'p' &&
      QIS(p, np.z + 1, ',')) {
    lua_Integer lim = z < np.z + 40 ? z : np.z + 40;
    for (x = np.z + 2; x <= lim; x++) {
      int k = QK(p, x);
      if (k != 'w' && !(k == 'p' && (QIS(p, x, ',') || QIS(p, x, '(') || QIS(p, x, ')') || QIS(p, x, '-'))))
        break;
      if (QCUE(p, x) && verb_at(p, x, &vend, &vf) && !vf.ing) {
        *out = np;
        *vs = x;
        *ve = vend;
        return 1;
      }
    }
  }
  /* a longer subject: the first reporting verb within reach, its subject
   * read leftwards */
  limit = z < t + 24 ? z : t + 24;
  for (x = t; x <= limit; x++) {
    int k = QK(p, x);
    if (k != 'w' && !(k == 'p' && (QIS(p, x, ',') || QIS(p, x, '(') || QIS(p, x, ')') || QIS(p, x, '-'))))
      return 0;
    if (k == 'w' && (QF(p, x) & (F_REL | F_THAT))) return 0;
    if (QCUE(p, x) && verb_at(p, x, &vend, &vf) && !vf.ing) {
      int why;
      if (subject_left(p, x, t, out, &why)) {
        *vs = x;
        *ve = vend;
        return 1;
      }
      return 0;
    }
  }
  return 0;
}

/* Whether the sentence [a, z] is nothing but an attribution. */
static int short_attribution(qp *p, lua_Integer a, lua_Integer z, np_t *np, lua_Integer *vs,
                             lua_Integer *ve) {
  lua_Integer x, s0, e0;
  np_t n0;
  if (z - a > 10) return 0;
  if (!attribution_after(p, a, z, &n0, &s0, &e0)) return 0;
  for (x = e0 + 1; x <= z; x++) {
    if (QK(p, x) == 'q') return 0;
    if (QK(p, x) == 'w' && (QF(p, x) & F_THAT)) return 0;
  }
  *np = n0;
  *vs = s0;
  *ve = e0;
  return 1;
}

/* The end of a sentence's content: drops the final punctuation and a
 * trailing ", X said" / ", according to X". */
static lua_Integer content_end(qp *p, lua_Integer a, lua_Integer z, int *trailing) {
  lua_Integer c, lo, x;
  int cued;
  *trailing = 0;
  while (z >= a && QK(p, z) == 'p') z--;
  lo = a > z - 12 ? a : z - 12;
  c = z;
  while (c > lo && !(QK(p, c) == 'p' && QIS(p, c, ','))) c--;
  cued = c > a && !p->P->cue_marks;
  if (c > a && !cued)
    for (x = c + 1; x <= z; x++)
      if (QCUE(p, x)) {
        cued = 1;
        break;
      }
  if (cued && QK(p, c) == 'p' && QIS(p, c, ',')) {
    np_t np, snp;
    lua_Integer vs, ve, ce;
    int has = attribution_after(p, c + 1, z, &np, &vs, &ve);
    if (has && np.kind == NP_PRON && (QF(p, np.a) & F_PFIRST)) has = 0;
    if (has && ve < z) {
      /* only adverbials may follow the verb: "..., he said on Monday." */
      if (z - ve > 6 || !((QF(p, ve + 1) & (F_PREP | F_TIME)) || np.a > ve)) has = 0;
    }
    if (has || source_cue_at(p, c + 1, z, &ce, &snp)) {
      lua_Integer e = c - 1;
      while (e >= a && QK(p, e) == 'p') e--;
      *trailing = 1;
      return e;
    }
  }
  return z;
}

/* Skips the listener after an object verb ("told Sputnik", "told reporters"). */
static lua_Integer skip_listener(qp *p, lua_Integer t, lua_Integer z) {
  lua_Integer len;
  if (t > z || QK(p, t) != 'w') return t;
  if (QF(p, t) & F_LISTEN) {
    len = phrase_at(p, H_LISTENERS, t, z);
    if (len) return t + len;
  }
  if (is_name_word(p, t)) {
    lua_Integer e = t;
    while (e < z && is_name_word(p, e + 1)) e++;
    return e + 1;
  }
  if (QF(p, t) & (F_THE | F_AAN)) {
    lua_Integer x, lim = z < t + 5 ? z : t + 5;
    for (x = t + 1; x <= lim; x++) {
      if (QK(p, x) == 'w' && (QF(p, x) & F_THAT)) return x;
      if (QK(p, x) != 'w') break;
    }
  }
  return t;
}

/* Indirect speech after the verb ending at ve: the content's first token, 0: none. */
static lua_Integer content_after_verb(qp *p, const vflags *vf, lua_Integer ve, lua_Integer z) {
  lua_Integer t = ve + 1, x, lim;
  if (t > z) return 0;
  if (QK(p, t) == 'w' && (QF(p, t) & F_THAT)) return t + 1;
  if (vf->object) {
    lua_Integer u = skip_listener(p, t, z);
    if (u > t) {
      if (u <= z && QK(p, u) == 'w' && (QF(p, u) & F_THAT)) return u + 1;
      if (vf->bare && clause_ok(p, u, z)) return u;
      t = u;
    } else {
      /* "told friends and family that ...": a listener lede does not know */
      lim = z < t + 6 ? z : t + 6;
      for (x = t; x <= lim; x++) {
        if (QK(p, x) != 'w') break;
        if (QF(p, x) & F_THAT) return x + 1;
      }
    }
  }
  if (QK(p, t) == 'w' && (QF(p, t) & (F_PREP | F_TIME))) {
    lim = z < t + 10 ? z : t + 10;
    for (x = t; x <= lim; x++) {
      if (QK(p, x) != 'w') {
        if (QK(p, x) == 'p' && QIS(p, x, ',') && x + 1 <= z && QK(p, x + 1) == 'w' && (QF(p, x + 1) & F_THAT))
          return x + 2;
        break;
      }
      if (QF(p, x) & F_THAT) return x + 1;
    }
    return 0;
  }
  if (vf->bare && clause_ok(p, t, z)) return t;
  return 0;
}

/* The first token of content that starts a sentence: past bullets and a
 * dateline such as "(Reuters) —". */
static lua_Integer content_start(qp *p, lua_Integer sa, lua_Integer sz) {
  lua_Integer c = sa, x, lim;
  while (c <= sz && QK(p, c) == 'p' && !QIS(p, c, '(')) c++;
  lim = sz - 1 < c + 8 ? sz - 1 : c + 8;
  for (x = c; x <= lim; x++) {
    if (QK(p, x) == 'p' && QIS(p, x, ')') && QK(p, x + 1) == 'p' && (QFB(p, x + 1) == 226 || QFB(p, x + 1) == 45)) {
      c = x + 2;
      while (c <= sz && QK(p, c) == 'p') c++;
      break;
    }
  }
  if (c > sz) return sa;
  return c;
}

/* ---- the parser's Lua face ---------------------------------------------- */

/* Adds text[a..z] of the tokens a..z joined by spaces; with strip, each
 * less a final "'s" or "’s". */
static void add_tokens(qp *p, luaL_Buffer *b, lua_Integer a, lua_Integer z, int strip) {
  lua_Integer x;
  for (x = a; x <= z; x++) {
    size_t len;
    const unsigned char *w = qtext(p, x, &len);
    if (x > a) luaL_addchar(b, ' ');
    if (!w) continue;
    if (strip && len >= 2 && w[len - 1] == 's' &&
        (w[len - 2] == '\'' || w[len - 2] == 0xE2 || w[len - 2] == 0x80 || w[len - 2] == 0x99))
      len -= 2;
    luaL_addlstring(b, (const char *)w, len);
  }
}

static void push_tokens(qp *p, lua_Integer a, lua_Integer z, int strip) {
  luaL_Buffer b;
  luaL_buffinit(p->L, &b);
  add_tokens(p, &b, a, z, strip);
  luaL_pushresult(&b);
}

/* The tokens a..z into the arena as add_tokens joins them: string which
 * of record r. */
static void sp_tokens(qp *p, sp_rec *r, int which, lua_Integer a, lua_Integer z, int strip) {
  qspeech *S = p->S;
  lua_Integer x;
  size_t start = S->na;
  for (x = a; x <= z; x++) {
    size_t len;
    const unsigned char *w = qtext(p, x, &len);
    if (x > a) {
      SP_ROOM(p->L, S->arena, S->ca, S->na + 1);
      S->arena[S->na++] = ' ';
    }
    if (!w) continue;
    if (strip && len >= 2 && w[len - 1] == 's' &&
        (w[len - 2] == '\'' || w[len - 2] == 0xE2 || w[len - 2] == 0x80 || w[len - 2] == 0x99))
      len -= 2;
    SP_ROOM(p->L, S->arena, S->ca, S->na + len);
    memcpy(S->arena + S->na, w, len);
    S->na += len;
  }
  r->so[which] = start;
  r->sl[which] = S->na - start;
}

/* Keeps np in record r as push_np would push it. */
static void sp_np(qp *p, sp_rec *r, const np_t *np) {
  lua_State *L = p->L;
  qspeech *S = p->S;
  int k;
  for (k = 0; k < SS_COUNT; k++) r->sl[k] = SS_NONE;
  r->has_np = 1;
  r->np_kind = np->kind;
  r->has_ij = np->a >= 1 && np->a <= p->n && np->z >= 1 && np->z <= p->n;
  if (r->has_ij) {
    r->i = p->ti[np->a - 1].s;
    r->j = p->ti[np->z - 1].e;
  }
  if (np->kind == NP_PRON) {
    push_key(p, np->a);
    sp_top(L, S, r, SS_PRON);
  }
  if (np->head_mode == 1) {
    push_entry(p, H_NOUNS, np->head_t);
    if (lua_istable(L, -1)) {
      lua_rawgeti(L, -1, 2);
      sp_top(L, S, r, SS_HEAD);
    }
    lua_pop(L, 1);
  } else if (np->head_mode == 2) {
    push_key(p, np->head_t);
    sp_top(L, S, r, SS_HEAD);
  }
  if (np->noun_mode == 1) {
    push_entry(p, H_NOUNS, np->noun_t);
    if (lua_istable(L, -1)) {
      lua_rawgeti(L, -1, 1);
      sp_top(L, S, r, SS_NOUN);
    }
    lua_pop(L, 1);
  } else if (np->noun_mode == 2) {
    sp_str(L, S, r, SS_NOUN, "role", 4);
  }
  r->plural = r->definite = r->possessive = r->generic = 0;
  if (np->kind == NP_DESC) {
    r->plural = np->plural != 0;
    r->definite = np->definite != 0;
    r->possessive = np->possessive != 0;
    r->generic = np->generic != 0;
  }
  if (np->nat_t) {
    push_entry(p, H_DEMONYM, np->nat_t);
    sp_top(L, S, r, SS_NAT);
  }
  if (np->kind == NP_NAME) sp_tokens(p, r, SS_NAME, np->name_a, np->name_z, 1);
  if (np->role_a) sp_tokens(p, r, SS_ROLE, np->role_a, np->role_z, 0);
  if (np->app_a) sp_tokens(p, r, SS_APP, np->app_a, np->app_z, 0);
}

/* Pushes the noun phrase of record r as the table push_np made (the
 * parser's inspection: P.info). */
static void sp_push_np(lua_State *L, const qspeech *S, const sp_rec *r) {
  static const char *const kinds[] = { "none", "pronoun", "desc", "name" };
  static const char *const names[SS_COUNT] = { "pron", "head", "noun", "nat", "name", "role", "appositive" };
  int k;
  lua_createtable(L, 0, 8);
  lua_pushstring(L, kinds[r->np_kind]);
  lua_setfield(L, -2, "kind");
  if (r->has_ij) {
    lua_pushinteger(L, r->i);
    lua_setfield(L, -2, "i");
    lua_pushinteger(L, r->j);
    lua_setfield(L, -2, "j");
  }
  for (k = 0; k < SS_COUNT; k++) {
    if (r->sl[k] == SS_NONE) continue;
    lua_pushlstring(L, S->arena + r->so[k], r->sl[k]);
    lua_setfield(L, -2, names[k]);
  }
  if (r->np_kind == NP_DESC) {
    lua_pushboolean(L, r->plural);
    lua_setfield(L, -2, "plural");
    lua_pushboolean(L, r->definite);
    lua_setfield(L, -2, "definite");
    if (r->possessive) {
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "possessive");
    }
    if (r->generic) {
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "generic");
    }
  }
}

/* Sets up p for a call of a parser function (upvalues: the parser, the
 * holder); pushes the word flags and tk.l. */
static qp *qp_begin(lua_State *L, qp *p, const char *fname) {
  qparser *P = (qparser *)lua_touserdata(L, lua_upvalueindex(1));
  if (!P || !P->bound) luaL_error(L, "%s: the parser is not bound to a token stream", fname);
  p->L = L;
  p->P = P;
  p->ti = P->ti;
  p->n = P->n;
  p->s = P->s;
  p->slen = P->slen;
  p->fl = P->fl;
  p->wt = P->wt;
  p->H = lua_upvalueindex(2);
  p->depth = 0;
  luaL_checkstack(L, 40, fname);
  lua_rawgeti(L, p->H, H_LEX);
  p->LEX = lua_gettop(L);
  lua_rawgeti(L, p->H, H_L);
  p->LW = lua_istable(L, -1) ? lua_gettop(L) : 0;
  lua_rawgeti(L, p->H, H_CONTRACTED);
  p->CONTR = lua_gettop(L);
  lua_rawgeti(L, p->H, H_FKEYS);
  p->FK = lua_gettop(L);
  return p;
}

/* P.bind(records, text, l, n): reads the n tokens of core.quote_tokens (l:
 * tk.l, or nil when the keys are to be made from the records). */
static int l_qp_bind(lua_State *L) {
  qparser *P = (qparser *)lua_touserdata(L, lua_upvalueindex(1));
  int H = lua_upvalueindex(2);
  size_t slen, cap;
  lua_Integer n;
  const char *text;
  const tok_info *recs;
  luaL_checktype(L, 1, LUA_TUSERDATA);
  text = luaL_checklstring(L, 2, &slen);
  if (!lua_isnil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  n = luaL_checkinteger(L, 4);
  P->bound = 0;
  cap = lua_rawlen(L, 1) / sizeof(tok_info);
  if (cap < 1 || n < 0 || (size_t)n > cap - 1)
    return luaL_error(L, "quote_parser.bind: %d tokens do not fit the records", (int)n);
  recs = (const tok_info *)lua_touserdata(L, 1) + 1;
  if ((size_t)n + 2 > P->flcap) {
    size_t want = (size_t)n + 2 < 1024 ? 1024 : (size_t)n + 2;
    P->fl = (uint64_t *)lua_newuserdatauv(L, want * sizeof(uint64_t), 0);
    P->flcap = want;
    lua_rawseti(L, H, H_FLAGS);
  }
  memset(P->fl, 0, ((size_t)n + 2) * sizeof(uint64_t));
  lua_pushvalue(L, 1);
  lua_rawseti(L, H, H_RECS);
  lua_pushvalue(L, 2);
  lua_rawseti(L, H, H_TEXT);
  lua_pushvalue(L, 3);
  lua_rawseti(L, H, H_L);
  P->ti = recs;
  P->n = n;
  P->s = (const unsigned char *)text;
  P->slen = slen;
  P->bound = 1;
  return 0;
}

/* "X said (that) ..." at the cue word v of the sentence [sa, sz]: 0 when v
 * is no usable verb (or used), 1 when it reports no content (*ve set), 2
 * with the content c..e and its speaker np. */
static int said_that(qp *p, lua_Integer v, lua_Integer sa, lua_Integer sz, int used, lua_Integer *ve,
                     lua_Integer *c_out, lua_Integer *e_out, np_t *np) {
  vflags vf;
  lua_Integer c;
  if (!verb_at(p, v, ve, &vf) || vf.direct || vf.ing || used) return 0;
  c = content_after_verb(p, &vf, *ve, sz);
  while (c && c <= sz && QK(p, c) == 'p') c++;
  if (c && c <= sz && QK(p, c) != 'q') {
    int why;
    if (subject_left(p, v, sa, np, &why) && !(np->kind == NP_PRON && (QF(p, np->a) & F_PFIRST))) {
      int trailing;
      lua_Integer e = content_end(p, c, sz, &trailing);
      if (e >= c) {
        *c_out = c;
        *e_out = e;
        return 2;
      }
    }
  }
  return 1;
}

/* "..., X said." over the sentence [sa, sz]: 1 with the content c0..e,
 * the speaker and the verb vs..ve. */
static int said_after(qp *p, lua_Integer sa, lua_Integer sz, lua_Integer *c0, lua_Integer *e_out, np_t *np,
                      lua_Integer *vs, lua_Integer *ve) {
  int trailing;
  lua_Integer e, c, y;
  if (QK(p, sa) == 'q') return 0;
  e = content_end(p, sa, sz, &trailing);
  if (!trailing || e - sa < 2) return 0;
  c = e + 1;
  while (c <= sz && !(QK(p, c) == 'p' && QIS(p, c, ','))) c++;
  if (!attribution_after(p, c + 1, sz, np, vs, ve)) return 0;
  for (y = sa; y <= e; y++)
    if (QK(p, y) == 'q') return 0;
  *c0 = content_start(p, sa, e);
  *e_out = e;
  return 1;
}

/* "According to X, ..." or "..., according to X" at the cue word x of the
 * sentence [sa, sz]: 1 with the content c..e (its paragraph is that of
 * token *tok), the source np and the cue's end *ce. */
static int according(qp *p, lua_Integer x, lua_Integer sa, lua_Integer sz, lua_Integer *c_out,
                     lua_Integer *e_out, lua_Integer *tok, np_t *np, lua_Integer *ce) {
  int lead_ok;
  if (!(QF(p, x) & F_SRC) || !source_cue_at(p, x, sz, ce, np)) return 0;
  if (!(x == sa || (QK(p, x - 1) == 'p' && QIS(p, x - 1, ',')) || (QF(p, x - 1) & F_FUNC))) return 0;
  if (np->kind == NP_DESC && !np->definite) np->z = postmodifier(p, np, sz);
  lead_ok = x == sa || ((QF(p, x - 1) & F_FUNC) && x - 1 == sa) ||
            (x > sa && QK(p, x - 1) == 'p' && x - 1 <= sa + 1);
  if (lead_ok) {
    /* leading: content after the NP and its appositives */
    lua_Integer c = np->z + 1;
    if (c <= sz && QK(p, c) == 'p' && QIS(p, c, ',')) {
      int guard = 0, trailing;
      lua_Integer e;
      c++;
      /* appositives: segments starting with a role noun or a determiner */
      while (c <= sz && guard < 3) {
        uint64_t f = QF(p, c);
        lua_Integer d;
        int is_app;
        guard++;
        is_app = QK(p, c) == 'w' && !QCAP(p, c) &&
                 ((f & F_NROLE) || (f & F_TITLE) ||
                  ((f & (F_DEF | F_UNNAMED)) && c + 1 <= sz &&
                   ((QF(p, c + 1) & (F_NROLE | F_TITLE)) || (c + 2 <= sz && (QF(p, c + 2) & F_NROLE)))));
        if (!is_app) break;
        d = c;
        while (d <= sz && !(QK(p, d) == 'p' && QIS(p, d, ','))) d++;
        if (d > sz || clause_ok(p, c, d - 1)) break;
        c = d + 1;
      }
      e = content_end(p, c, sz, &trailing);
      if (c <= e && QK(p, c) != 'q') {
        *c_out = c;
        *e_out = e;
        *tok = c;
        return 1;
      }
    }
  } else if (x > sa + 2 && QK(p, x - 1) == 'p') {
    /* trailing: "..., according to X." */
    lua_Integer e = x - 1;
    while (e >= sa && QK(p, e) == 'p') e--;
    if (e >= sa && !(e == sa && QK(p, sa) == 'q') && QK(p, sa) != 'q') {
      *c_out = content_start(p, sa, e);
      *e_out = e;
      *tok = sa;
      return 1;
    }
  }
  return 0;
}

/* Pushes text[i..j] (positions in the text, clamped to it). */
static void push_span(qp *p, lua_Integer i, lua_Integer j) {
  if (i < 1) i = 1;
  if (j > (lua_Integer)p->slen) j = (lua_Integer)p->slen;
  if (j < i) lua_pushliteral(p->L, "");
  else lua_pushlstring(p->L, (const char *)p->s + i - 1, (size_t)(j - i + 1));
}

/* Appends { i=, j=, kind="indirect", np=, cue=, para= } to the array
 * at stack index found: the content c..e, the paragraph of token tok, the
 * cue the text of tokens cs..ce. */
static void add_indirect(qp *p, int found, lua_Integer c, lua_Integer e, lua_Integer tok, const np_t *np,
                         lua_Integer cs, lua_Integer ce) {
  lua_State *L = p->L;
  qspeech *S = p->S;
  sp_rec *r;
  /* (room for the fields the resolver adds, text, speaker, speaker_text,
   * and for the output's start and stop) */
  lua_createtable(L, 0, 9);
  fk_int(L, p->FK, FK_I, p->ti[c - 1].s);
  fk_int(L, p->FK, FK_J, p->ti[e - 1].e);
  lua_pushliteral(L, "indirect");
  lua_setfield(L, -2, "kind");
  lua_rawgeti(L, p->FK, FK_CUE);
  push_span(p, p->ti[cs - 1].s, p->ti[ce - 1].e);
  lua_rawset(L, -3);
  SP_ROOM(L, S->x, S->cx, S->nx + 1);
  r = &S->x[S->nx++];
  memset(r, 0, sizeof *r);
  r->para = p->ti[tok - 1].para;
  sp_np(p, r, np);
  lua_rawseti(L, found, ++p->nx);
  p->xv[2 * p->nx - 2] = p->ti[c - 1].s;
  p->xv[2 * p->nx - 1] = p->ti[e - 1].e;
}

/* Reported speech, one per sentence, read from its cue words (cl, token
 * numbers in order) up to its first quote (ql: the quote tokens in order):
 * "According to X, ...", "..., X said.", "X said (that) ...". Appends the
 * records to found; marks the verbs it takes in used[]. */
static void indirect_speech(qp *p, const lua_Integer *sents, lua_Integer ns, const lua_Integer *cl,
                            lua_Integer ncl, const lua_Integer *ql, lua_Integer nql, unsigned char *used,
                            int found) {
  lua_Integer k, cp = 0, qpos = 0;
  for (k = 0; k < ns; k++) {
    lua_Integer sa = sents[2 * k], sz = sents[2 * k + 1], stop, xp, vp;
    int done;
    np_t np;
    while (cp < ncl && cl[cp] < sa) cp++;
    done = cp >= ncl || cl[cp] > sz;
    stop = sz;
    if (!done) {
      while (qpos < nql && ql[qpos] < cl[cp]) qpos++;
      if (qpos < nql && ql[qpos] <= stop) stop = ql[qpos] - 1;
    }
    /* According to X, ... */
    for (xp = cp; !done && xp < ncl && cl[xp] <= stop; xp++) {
      lua_Integer x = cl[xp], c, e, tok, ce;
      if (according(p, x, sa, sz, &c, &e, &tok, &np, &ce)) {
        add_indirect(p, found, c, e, tok, &np, x, ce);
        done = 1;
      }
    }
    /* ..., X said. */
    if (!done && QK(p, sa) != 'q') {
      lua_Integer c0, e, vs, ve;
      if (said_after(p, sa, sz, &c0, &e, &np, &vs, &ve) && !used[vs]) {
        add_indirect(p, found, c0, e, sa, &np, vs, ve);
        used[vs] = 1;
        done = 1;
      }
    }
    /* X said (that) ...: the content after the verb first, the subject
     * looked for only when there is some */
    vp = cp;
    while (!done && vp < ncl && cl[vp] <= sz) {
      lua_Integer v = cl[vp], ve, c, e;
      int got = said_that(p, v, sa, sz, used[v], &ve, &c, &e, &np);
      if (got) {
        if (got == 2) {
          add_indirect(p, found, c, e, c, &np, v, ve);
          done = 1;
        }
        while (vp < ncl && cl[vp] <= ve) vp++;
      } else {
        vp++;
      }
    }
  }
}

/* ---- direct quotes -------------------------------------------------------- */

/* A short run of capitalised words (or short or function words) with no
 * sentence punctuation: a title. s[0..n) */
static int title_like(qp *p, const unsigned char *s, size_t n) {
  size_t x = 0;
  int words = 0;
  while (x < n) {
    size_t a;
    while (x < n && c_space(s[x])) x++;
    if (x >= n) break;
    a = x;
    while (x < n && !c_space(s[x])) x++;
    words++;
    if (words > 14) return 0;
    if (!(lede_starts_cap(s + a, x - a) || x - a <= 3)) {
      /* a function word, as written */
      uint64_t f = 0;
      lua_pushlstring(p->L, (const char *)s + a, x - a);
      lua_rawget(p->L, p->LEX);
      if (lua_type(p->L, -1) == LUA_TNUMBER) f = (uint64_t)lua_tointeger(p->L, -1);
      lua_pop(p->L, 1);
      if (!(f & F_FUNC)) return 0;
    }
  }
  return 1;
}

/* s[0..n) less its trailing ASCII punctuation and white space (Lua's %p, %s). */
static size_t strip_punct_len(const unsigned char *s, size_t n) {
  while (n > 0) {
    unsigned c = s[n - 1];
    if (!((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126) ||
          c == 32 || (c >= 9 && c <= 13)))
      break;
    n--;
  }
  return n;
}

/* A quote that reads as a title: no ! ? , ; : at its end and title-like
 * words but for a final period. */
static int title_quote(qp *p, const unsigned char *s, size_t n) {
  int last = n > 0 ? s[n - 1] : -1;
  if (last == '!' || last == '?' || last == ',' || last == ';' || last == ':') return 0;
  return title_like(p, s, last == '.' ? n - 1 : n);
}

/* Index (0-based) of the first cue word at or after token lo. */
static lua_Integer first_cue(const lua_Integer *cl, lua_Integer ncl, lua_Integer lo) {
  lua_Integer a = 0, b = ncl;
  while (a < b) {
    lua_Integer mid = a + (b - a) / 2;
    if (cl[mid] < lo) a = mid + 1;
    else b = mid;
  }
  return a;
}

/* Whether a cue word lies in tokens lo..hi: an attribution needs one. */
static int cued(qp *p, const lua_Integer *cl, lua_Integer ncl, lua_Integer lo, lua_Integer hi) {
  lua_Integer a;
  if (!p->P->cue_marks) return 1;
  a = first_cue(cl, ncl, lo);
  return a < ncl && cl[a] <= hi;
}

/* The reporting verb before a quote, read from token j down to lim, and its
 * subject (or the speaker after it): 1 with np, 2 a verb with no speaker,
 * 0 no verb decides. */
static int verb_before(qp *p, lua_Integer j, lua_Integer lim, lua_Integer sa, np_t *np, lua_Integer *vs,
                       lua_Integer *ve) {
  lua_Integer x, xe;
  for (x = j; x >= lim; x--) {
    vflags vf;
    if (QK(p, x) == 'q') break;
    if (verb_at(p, x, &xe, &vf) && xe <= j && !vf.ing) {
      int why, got = subject_left(p, x, sa, np, &why);
      if (!got && why != WHY_PASSIVE) {
        /* "said Ann Park, adding: “...”": the speaker after the verb */
        np_t inv;
        if (np_starting_at(p, xe + 1, j, &inv) && inv.kind != NP_PRON) {
          *np = inv;
          got = 1;
        }
      }
      if (got || why != WHY_PASSIVE) {
        *vs = x;
        *ve = xe;
        return got ? 1 : 2;
      }
    }
  }
  return 0;
}

/* The sentence before ends with "X said:": 1 with its subject. */
static int colon_lead(qp *p, lua_Integer a, lua_Integer z, np_t *np, lua_Integer *vs, lua_Integer *ve) {
  lua_Integer x, xe, lim = a > z - 12 ? a : z - 12;
  for (x = z - 1; x >= lim; x--) {
    vflags vf;
    if (verb_at(p, x, &xe, &vf) && !vf.ing) {
      int why;
      if (!subject_left(p, x, a, np, &why)) return 0;
      *vs = x;
      *ve = xe;
      return 1;
    }
  }
  return 0;
}

/* The direct quotes: each quote's token t in its sentence, attributed by a
 * verb next to it, by the sentence before or after, or by the quote before
 * (inherit). Appends the records to found (stack index found); marks the
 * verbs taken in used[]. sents[2k], sents[2k+1]: sentence k's bounds. */
static void direct_quotes(qp *p, int quotes, const lua_Integer *sents, lua_Integer ns, const lua_Integer *cl,
                          lua_Integer ncl, unsigned char *used, int found, lua_Integer min_fragment,
                          lua_Integer min_unattributed) {
  lua_State *L = p->L;
  const quote_list *ql = test_list(L, quotes);
  lua_Integer nq = ql ? ql->n : (lua_Integer)lua_rawlen(L, quotes), k, si = 0;
  /* the paragraph of the record before (the direct record p->nd), if any */
  lua_Integer prev_para = 0;
  int has_prev = 0;
  int base = lua_gettop(L), pt = 0;
  if (ql) {
    /* the parts tables of the list */
    lua_getiuservalue(L, quotes, 1);
    pt = lua_gettop(L);
  }
  for (k = 1; k <= nq; k++) {
    lua_Integer t, sa, sz, vs = 0, ve = 0, i, stop;
    int npst = 0, colon = 0, q, fragment, attributed, keep = 0, orphan = 0, inherit = 0;
    np_t np;
    qt_info qi;
    size_t qlen;
    const unsigned char *qs;
    if (ql) {
      /* (a nil in the record's place on the stack) */
      lua_pushnil(L);
      q = lua_gettop(L);
      t = ql->v[k - 1].token;
      if (t == 0) {
        lua_settop(L, q - 1);
        continue;
      }
    } else {
      lua_rawgeti(L, quotes, k);
      q = lua_gettop(L);
      if (!lua_istable(L, q)) luaL_error(L, "direct: quote %d must be a table", (int)k);
      fk_get(L, p->FK, q, FK_TOKEN);
      if (lua_type(L, -1) != LUA_TNUMBER) {
        lua_settop(L, q - 1);
        continue;
      }
      t = bounded_int(L, -1);
      lua_pop(L, 1);
    }
    while (si < ns && sents[2 * si + 1] < t) si++;
    if (si >= ns || t < 1 || t > p->n) luaL_error(L, "direct: quote %d is out of the sentences", (int)k);
    sa = sents[2 * si];
    sz = sents[2 * si + 1];
    /* after: “...,” X said / said X */
    if (cued(p, cl, ncl, t + 1, sz) && attribution_after(p, t + 1, sz, &np, &vs, &ve)) npst = 1;
    /* before: X said, “...” / According to X, “...” */
    if (!npst) {
      lua_Integer j = t - 1, lim;
      int embedded, fb;
      fb = QFB(p, j);
      if (j >= sa && QK(p, j) == 'p' && (fb == 44 || fb == 58 || fb == 45 || fb == 226)) j--;
      if (j >= sa && QK(p, j) == 'w' && (QF(p, j) & F_THAT)) j--;
      lim = sa > j - 10 ? sa : j - 10;
      /* a fragment embedded in running text ("said the plan was “a
       * farce”") belongs to the verb right before it only */
      embedded = j == t - 1 && QK(p, j) == 'w' && !(QF(p, j) & F_THAT);
      if (embedded) lim = j;
      npst = verb_before(p, j, lim, sa, &np, &vs, &ve);
      if (!npst) {
        /* According to X, “...”: the cue words of the sentence up to the quote */
        lua_Integer ce;
        if (p->P->cue_marks) {
          lua_Integer c;
          for (c = first_cue(cl, ncl, sa); c < ncl && cl[c] <= j; c++) {
            lua_Integer x = cl[c];
            if ((QF(p, x) & F_SRC) && source_cue_at(p, x, j, &ce, &np)) {
              npst = 1;
              vs = x;
              ve = ce;
              break;
            }
          }
        } else {
          lua_Integer x;
          for (x = sa; x <= j; x++) {
            if ((QF(p, x) & F_SRC) && source_cue_at(p, x, j, &ce, &np)) {
              npst = 1;
              vs = x;
              ve = ce;
              break;
            }
          }
        }
      }
    }
    /* the next sentence: “...” Smith said. */
    if (!npst && si + 1 < ns && p->ti[sents[2 * si + 2] - 1].para == p->ti[t - 1].para) {
      lua_Integer a2 = sents[2 * si + 2], z2 = sents[2 * si + 3];
      if (t == sz && cued(p, cl, ncl, a2, z2) && short_attribution(p, a2, z2, &np, &vs, &ve)) npst = 1;
    }
    /* the sentence before ends with "X said:" */
    if (!npst && si > 0) {
      lua_Integer a0 = sents[2 * si - 2], z0 = sents[2 * si - 1];
      size_t wl;
      const unsigned char *w = qtext(p, z0, &wl);
      if (t == sa && QK(p, z0) == 'p' && w && wl > 0 && w[wl - 1] == ':' && colon_lead(p, a0, z0, &np, &vs, &ve))
        npst = 1;
    }
    /* “...” — Leslie, a customer: a name after a dash */
    if (!npst && t + 2 <= sz && QK(p, t + 1) == 'p' && (QFB(p, t + 1) == 226 || QFB(p, t + 1) == 45) &&
        is_name_word(p, t + 2)) {
      np_t d;
      if (np_starting_at(p, t + 2, sz, &d) && d.kind == NP_NAME) {
        np = d;
        npst = 1;
        colon = 1;
      }
    }
    /* "Buckley had a similar experience: “...”": the subject of the sentence */
    if (!npst && t - 1 > sa && QK(p, t - 1) == 'p' && QIS(p, t - 1, ':')) {
      np_t d;
      if (np_starting_at(p, sa, t - 2, &d) && (d.kind == NP_NAME || d.kind == NP_PRON)) {
        lua_Integer nx = d.z + 1;
        if (nx <= t - 2 && QK(p, nx) == 'w' && !QCAP(p, nx) && !(QF(p, nx) & F_PREP)) {
          np = d;
          npst = 1;
          colon = 1;
        }
      }
    }
    /* the quote's text, its words, whether it starts in lower case and has
     * two letters in a row */
    if (ql) {
      i = ql->v[k - 1].start;
      stop = ql->v[k - 1].stop;
      if (ql->v[k - 1].parts) lua_rawgeti(L, pt, k);
      else lua_pushnil(L);
    } else {
      int ok;
      i = fk_int_field(L, p->FK, q, FK_START, &ok);
      stop = fk_int_field(L, p->FK, q, FK_STOP, &ok);
      fk_get(L, p->FK, q, FK_PARTS);
    }
    push_quote_text(L, p->s, p->slen, i, stop, lua_istable(L, -1) ? lua_gettop(L) : 0, &qi);
    qs = (const unsigned char *)lua_tolstring(L, -1, &qlen);
    fragment = (t - 1 >= sa && QK(p, t - 1) == 'w' && !(QF(p, t - 1) & F_THAT)) || (qi.lower && t != sa) ||
               !qi.letters;
    attributed = vs != 0 || colon;
    if (attributed) {
      /* a title inside running text ("In her book “A Paradise Built in
       * Hell,” Solnit wrote") is not what was said */
      keep = !fragment || (qi.words >= min_fragment && !title_like(p, qs, strip_punct_len(qs, qlen)));
    } else if (!fragment && !title_quote(p, qs, qlen)) {
      /* a further quote of the speaker before, in the same paragraph */
      int prev_para_ok = has_prev && prev_para == p->ti[t - 1].para;
      if (prev_para_ok && (t == sa || QK(p, t - 1) == 'p')) {
        inherit = 1;
        keep = 1;
      } else if (si > 0 && t == sa && p->ti[sents[2 * si - 2] - 1].para == p->ti[t - 1].para &&
                 QK(p, sents[2 * si - 2]) == 'w' && sents[2 * si - 1] - sents[2 * si - 2] <= 15) {
        /* the subject of a short sentence before: "Baerbock was unmoved. “...”" */
        lua_Integer a0 = sents[2 * si - 2], z0 = sents[2 * si - 1];
        np_t d;
        if (np_starting_at(p, a0, z0, &d) &&
            (d.kind == NP_NAME || (d.kind == NP_PRON && !(QF(p, d.a) & F_PFIRST)))) {
          lua_Integer nx = d.z + 1;
          if (nx <= z0 && QK(p, nx) == 'w' && !QCAP(p, nx) && !(QF(p, nx) & (F_PREP | F_FUNC))) {
            np = d;
            npst = 1;
            keep = 1;
          }
        }
      }
      /* or the speaker of the quote just before: decided in text order */
      if (!keep && t == sa) {
        orphan = 1;
        keep = 1;
      }
      if (!keep && qi.words >= min_unattributed && stop >= 1 && (size_t)stop <= p->slen) {
        unsigned c = p->s[stop - 1];
        if (c == '.' || c == '!' || c == '?' ||
            (stop >= 3 && p->s[stop - 3] == 0xE2 && p->s[stop - 2] == 0x80 && p->s[stop - 1] == 0xA6))
          keep = 1;
      }
      if (!inherit && orphan) inherit = 2;
    }
    if (keep) {
      int rec;
      lua_Integer x;
      qspeech *S = p->S;
      sp_rec *r;
      if (vs)
        for (x = vs; x <= ve; x++) used[x] = 1;
      /* (room for the fields the resolver adds, speaker and speaker_text,
       * and for the output's start and stop) */
      lua_createtable(L, 0, 10);
      rec = lua_gettop(L);
      fk_int(L, p->FK, FK_I, i);
      fk_int(L, p->FK, FK_J, qi.j);
      lua_rawgeti(L, p->FK, FK_TEXT);
      lua_pushvalue(L, rec - 1); /* the text */
      lua_rawset(L, rec);
      lua_rawgeti(L, p->FK, FK_KIND);
      lua_rawgeti(L, p->FK, FK_DIRECT);
      lua_rawset(L, rec);
      if (vs) {
        lua_rawgeti(L, p->FK, FK_CUE);
        push_span(p, p->ti[vs - 1].s, p->ti[ve - 1].e);
        lua_rawset(L, rec);
      }
      lua_rawgeti(L, p->FK, FK_PARTS);
      if (!ql) fk_get(L, p->FK, q, FK_PARTS);
      else if (ql->v[k - 1].parts) lua_rawgeti(L, pt, k);
      else lua_pushnil(L);
      lua_rawset(L, rec);
      SP_ROOM(L, S->d, S->cd, S->nd + 1);
      r = &S->d[S->nd++];
      memset(r, 0, sizeof *r);
      r->para = p->ti[t - 1].para;
      /* (the record before: the one this call kept last, the direct
       * record nd - 1) */
      if (inherit == 1) {
        r->inherit_kind = 1;
        r->inherit = p->nd;
      } else if (inherit == 2) {
        r->inherit_kind = 2;
      }
      r->has_send = 1;
      r->send = p->ti[sz - 1].e;
      r->nwords = qi.words;
      if (npst == 1) sp_np(p, r, &np);
      lua_rawseti(L, found, ++p->nd);
      p->dv[2 * p->nd - 2] = i;
      p->dv[2 * p->nd - 1] = fragment != 0;
      prev_para = r->para;
      has_prev = 1;
    }
    lua_settop(L, q - 1);
  }
  lua_settop(L, base);
}

/* Whether the table in holder slot h has the string at the top of the
 * stack (popped) as a key. */
static int holder_has(qp *p, int h) {
  int has;
  lua_rawgeti(p->L, p->H, h);
  lua_insert(p->L, -2);
  lua_rawget(p->L, -2);
  has = lua_toboolean(p->L, -1);
  lua_pop(p->L, 2);
  return has;
}

/* P.names() -> { {name=, roles=, i=, para=}, ... }: the names of people
 * read from capitalised words (when no entities were found): runs of two
 * to four name words that are not known places or organisations, with
 * their title words and a role written just before ("spokesperson Mao
 * Ning") as roles; i the name's first byte, para its paragraph. */
static int l_qp_names(lua_State *L) {
  qp p;
  lua_Integer t = 1, n, count = 0;
  int out;
  qp_begin(L, &p, "names");
  n = p.n;
  lua_newtable(L);
  out = lua_gettop(L);
  while (t <= n) {
    lua_Integer z;
    np_t np;
    if (!is_name_word(&p, t)) {
      t++;
      continue;
    }
    z = t;
    while (z < n && (is_name_word(&p, z + 1) || (QK(&p, z + 1) == 'w' && (QF(&p, z + 1) & F_PARTICLE) &&
                                                  z + 2 <= n && is_name_word(&p, z + 2))))
      z++;
    name_np(&p, t, z, &np);
    if (np.kind == NP_NAME) {
      size_t len, x = 0;
      const unsigned char *nm;
      int words = 0, org = 0, name, lower;
      push_tokens(&p, np.name_a, np.name_z, 1);
      name = lua_gettop(L);
      nm = (const unsigned char *)lua_tolstring(L, name, &len);
      lede_push_lower(L, nm, len);
      lower = lua_gettop(L);
      nm = (const unsigned char *)lua_tolstring(L, lower, &len);
      while (x < len) {
        size_t a;
        while (x < len && c_space(nm[x])) x++;
        if (x >= len) break;
        a = x;
        while (x < len && !c_space(nm[x])) x++;
        words++;
        lua_pushlstring(L, (const char *)nm + a, x - a);
        if (holder_has(&p, H_ORGWORDS)) org = 1;
      }
      if (words >= 2 && words <= 4 && !org && (lua_pushvalue(L, lower), !holder_has(&p, H_KNOWN))) {
        lua_Integer q = t - 1, nr = 0;
        lua_createtable(L, 0, 4);
        lua_pushvalue(L, name);
        lua_setfield(L, -2, "name");
        lua_createtable(L, 2, 0);
        if (np.role_a) {
          push_tokens(&p, np.role_a, np.role_z, 0);
          lua_rawseti(L, -2, ++nr);
        }
        /* a role written just before: "spokesperson Mao Ning" */
        if (q >= 1 && QK(&p, q) == 'w' && !QCAP(&p, q) && (QF(&p, q) & F_NROLE)) {
          lua_Integer lo = q;
          while (lo > 1 && QK(&p, lo - 1) == 'w' && q - lo < 5 && p.ti[lo - 2].para == p.ti[q - 1].para &&
                 !(QF(&p, lo - 1) & (F_FUNC | F_PREP)))
            lo--;
          push_tokens(&p, lo, q, 0);
          lua_rawseti(L, -2, ++nr);
        }
        lua_setfield(L, -2, "roles");
        set_int(L, "i", p.ti[np.a - 1].s);
        set_int(L, "para", p.ti[np.a - 1].para);
        lua_rawseti(L, out, ++count);
      }
      lua_settop(L, out);
    }
    t = z + 1;
  }
  return 1;
}

/* Appends the records of the arrays at dl (direct quotes) and il (reported
 * speech), each in text order, to the array at found in text order (no two
 * start at the same byte): a quoted fragment inside reported speech before
 * it is left out, being part of it. Their positions are read from p->dv and
 * p->xv. */
static void merge_found(qp *p, int dl, int il, int found) {
  lua_State *L = p->L;
  qspeech *S = p->S;
  lua_Integer nd = p->nd, ni = p->nx, d = 0, x = 0, reach = 0, out = (lua_Integer)lua_rawlen(L, found);
  SP_ROOM(L, S->rec, S->cap, (size_t)(nd + ni) + 1);
  while (d < nd || x < ni) {
    if (x < ni && (d >= nd || p->xv[2 * x] <= p->dv[2 * d])) {
      if (p->xv[2 * x + 1] > reach) reach = p->xv[2 * x + 1];
      S->rec[S->n++] = S->x[x];
      lua_rawgeti(L, il, ++x);
      lua_rawseti(L, found, ++out);
    } else {
      int frag = p->dv[2 * d + 1] != 0;
      lua_Integer di = p->dv[2 * d];
      sp_rec *r = &S->d[d];
      d++;
      if (frag && ni > 0 && di <= reach) continue;
      /* (its index among the records kept; the record it inherits from,
       * one before it, by its index there, 0 when left out) */
      r->at = (lua_Integer)S->n + 1;
      S->rec[S->n] = *r;
      if (r->inherit_kind == 1) S->rec[S->n].inherit = S->d[r->inherit - 1].at;
      S->n++;
      lua_rawgeti(L, dl, d);
      lua_rawseti(L, found, ++out);
    }
  }
}

/* P.speech(quotes, sents, cl, found, min_fragment, min_unattributed): the
 * direct quotes (quotes: the top-level quotes, their tokens set by
 * core.quote_tokens), then the reported speech of every sentence (sents:
 * {first, last} token pairs; cl: the cue words' tokens in order). Appends
 * the records to found, in text order. */
static int l_qp_speech(lua_State *L) {
  qp p;
  lua_Integer ns, ncl, nql = 0, nq, k, *sents, *cl, *ql;
  unsigned char *used;
  int dl, il, flat, scratch;
  lua_Integer min_fragment, min_unattributed;
  const quote_ints *psents = (const quote_ints *)luaL_testudata(L, 2, QUOTE_INTS);
  const quote_ints *pcl = (const quote_ints *)luaL_testudata(L, 3, QUOTE_INTS);
  const quote_list *qlist = test_list(L, 1);
  if (!qlist) luaL_checktype(L, 1, LUA_TTABLE);
  if (!psents) luaL_checktype(L, 2, LUA_TTABLE);
  if (!pcl) luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  min_fragment = luaL_checkinteger(L, 5);
  min_unattributed = luaL_checkinteger(L, 6);
  lua_settop(L, 6);
  qp_begin(L, &p, "speech");
  if (psents) {
    ns = psents->n;
    flat = 1;
  } else {
    ns = (lua_Integer)lua_rawlen(L, 2);
    lua_rawgeti(L, 2, 1);
    flat = lua_type(L, -1) == LUA_TNUMBER;
    lua_pop(L, 1);
  }
  if (flat) {
    if (ns % 2) return luaL_error(L, "speech: the sentences must be pairs of tokens");
    ns /= 2;
  }
  /* the sentences, cue words, quote tokens and used marks in one block */
  ncl = pcl ? pcl->n : (lua_Integer)lua_rawlen(L, 3);
  nq = qlist ? qlist->n : (lua_Integer)lua_rawlen(L, 1);
  sents = (lua_Integer *)scratch_take(L, (size_t)(2 * ns + 2 + ncl + 1 + nq + 1 + 2 * nq + 2 * ns + 2) *
                                             sizeof(lua_Integer) + (size_t)p.n + 2);
  scratch = lua_gettop(L);
  cl = sents + 2 * ns + 2;
  ql = cl + ncl + 1;
  /* the records found: at most one per quote, one per sentence */
  p.dv = ql + nq + 1;
  p.xv = p.dv + 2 * nq + 1;
  p.nd = p.nx = 0;
  used = (unsigned char *)(p.xv + 2 * ns + 1);
  for (k = 1; k <= ns; k++) {
    lua_Integer sa, sz;
    if (psents) {
      sa = psents->v[2 * k - 2];
      sz = psents->v[2 * k - 1];
    } else if (flat) {
      sa = int_elem(L, 2, 2 * k - 1);
      sz = int_elem(L, 2, 2 * k);
    } else {
      pair_at(L, 2, k, "speech", "sentence", &sa, &sz);
    }
    if (sa < 1 || sz > p.n || sa > sz) return luaL_error(L, "speech: sentence %d is out of the stream", (int)k);
    if (k > 1 && sa <= sents[2 * k - 3]) return luaL_error(L, "speech: sentence %d is out of order", (int)k);
    sents[2 * k - 2] = sa;
    sents[2 * k - 1] = sz;
  }
  for (k = 1; k <= ncl; k++) {
    if (pcl) {
      cl[k - 1] = pcl->v[k - 1];
      continue;
    }
    lua_rawgeti(L, 3, k);
    cl[k - 1] = bounded_int(L, -1);
    lua_pop(L, 1);
  }
  for (k = 0; k < ncl; k++)
    if (cl[k] < 1 || cl[k] > p.n || (k > 0 && cl[k] <= cl[k - 1]))
      return luaL_error(L, "speech: cue word %d is out of the stream or out of order", (int)(k + 1));
  for (k = 1; qlist && k <= nq; k++)
    if (qlist->v[k - 1].token) ql[nql++] = qlist->v[k - 1].token;
  for (k = 1; !qlist && k <= nq; k++) {
    lua_rawgeti(L, 1, k);
    if (lua_istable(L, -1)) {
      fk_get(L, p.FK, -1, FK_TOKEN);
      if (lua_type(L, -1) == LUA_TNUMBER) ql[nql++] = bounded_int(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  memset(used, 0, (size_t)p.n + 2);
  /* what is kept of the records in C: emptied */
  p.S = p.P->S;
  if (!p.S || p.S->closed) return luaL_error(L, "speech: closed");
  p.S->n = p.S->nd = p.S->nx = p.S->na = 0;
  /* (at most one record per quote, one per sentence: a few of the latter) */
  lua_createtable(L, nql < 1 << 16 ? (int)nql : 1 << 16, 0);
  dl = lua_gettop(L);
  lua_createtable(L, ns < 8 ? (int)ns : 8, 0);
  il = lua_gettop(L);
  direct_quotes(&p, 1, sents, ns, cl, ncl, used, dl, min_fragment, min_unattributed);
  indirect_speech(&p, sents, ns, cl, ncl, ql, nql, used, il);
  merge_found(&p, dl, il, 4);
  scratch_give(L, scratch);
  return 0;
}

/* P.info(k) -> { np=, para=, send=, nwords=, inherit= } or nil: what
 * P.speech kept in C of record k of found (inherit: the index in found of
 * the record whose speaker it takes, 0 for one left out, or "previous"). */
static int l_qp_info(lua_State *L) {
  qparser *P = (qparser *)lua_touserdata(L, lua_upvalueindex(1));
  const qspeech *S = P ? P->S : NULL;
  lua_Integer k = luaL_checkinteger(L, 1);
  const sp_rec *r;
  if (!S || S->closed) return luaL_error(L, "info: closed");
  if (k < 1 || (size_t)k > S->n) return 0;
  r = &S->rec[k - 1];
  lua_createtable(L, 0, 5);
  if (r->has_np) {
    sp_push_np(L, S, r);
    lua_setfield(L, -2, "np");
  }
  lua_pushinteger(L, r->para);
  lua_setfield(L, -2, "para");
  if (r->has_send) {
    lua_pushinteger(L, r->send);
    lua_setfield(L, -2, "send");
    lua_pushinteger(L, r->nwords);
    lua_setfield(L, -2, "nwords");
  }
  if (r->inherit_kind == 1) {
    lua_pushinteger(L, r->inherit);
    lua_setfield(L, -2, "inherit");
  } else if (r->inherit_kind == 2) {
    lua_pushliteral(L, "previous");
    lua_setfield(L, -2, "inherit");
  }
  return 1;
}

/* Adds bits to lex[key] for the key at the top of the stack (popped). */
static void lex_or(lua_State *L, int lex, uint64_t bits) {
  uint64_t cur = 0;
  lua_pushvalue(L, -1);
  lua_rawget(L, lex);
  if (lua_type(L, -1) == LUA_TNUMBER) cur = (uint64_t)lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_pushinteger(L, (lua_Integer)(cur | bits));
  lua_rawset(L, lex);
}

/* Adds bits for every string key of spec[name] (a table, or absent). */
static void lex_set(lua_State *L, int spec, int lex, const char *name, uint64_t bits) {
  lua_getfield(L, spec, name);
  if (lua_istable(L, -1)) {
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING) {
        lua_pushvalue(L, -1);
        lex_or(L, lex, bits);
      }
    }
  } else if (!lua_isnil(L, -1)) {
    luaL_error(L, "quote_parser: spec.%s must be a table", name);
  }
  lua_pop(L, 1);
}

static void lex_words(lua_State *L, int lex, const char *const *words, uint64_t bits) {
  for (; *words; words++) {
    lua_pushstring(L, *words);
    lex_or(L, lex, bits);
  }
}

/* Makes the cue filter of the parser with spec at index spec and word
 * flags lex at index lex (a table word -> flags, which gets the contracted
 * and cue word marks): pushes it and returns its index. */
static int make_filter(lua_State *L, int spec, int lex) {
  size_t count = 0, pool = 0, cap = 16, used = 0;
  cue_filter *cf;
  wentry *tab;
  unsigned char *bytes;
  lex_set(L, spec, lex, "contracted", WT_CONTR);
  lex_set(L, spec, lex, "cuewords", WT_CUEW);
  lua_pushnil(L);
  while (lua_next(L, lex)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      count++;
      pool += lua_rawlen(L, -1);
    }
  }
  while (cap < 2 * count) cap *= 2;
  cf = (cue_filter *)lua_newuserdatauv(L, sizeof *cf + cap * sizeof(wentry) + pool + 1, 0);
  memset(cf, 0, sizeof *cf + cap * sizeof(wentry));
  luaL_setmetatable(L, CUE_FILTER);
  cf->cap = cap;
  tab = (wentry *)(cf + 1);
  bytes = (unsigned char *)(tab + cap);
  lua_pushnil(L);
  while (lua_next(L, lex)) {
    uint64_t flags = (uint64_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t len, i;
      const unsigned char *k = (const unsigned char *)lua_tolstring(L, -1, &len);
      if (len == 0) {
        cf->empty_flags = flags;
        if (flags & WT_CUEW) cf->all_cue = 1;
        continue;
      }
      if (flags & WT_CUEW) {
        uint32_t bits = cw_bits(cw_word(k, len, 0), len), a = bits & 0xFFFF, b = bits >> 16;
        cf->cw_bloom[a >> 6] |= (uint64_t)1 << (a & 63);
        cf->cw_bloom[b >> 6] |= (uint64_t)1 << (b & 63);
      }
      for (i = (size_t)wt_hash(k, len) & (cap - 1); tab[i].len; i = (i + 1) & (cap - 1)) {}
      memcpy(bytes + used, k, len);
      tab[i].off = (uint32_t)used;
      tab[i].len = (uint32_t)len;
      tab[i].flags = flags;
      used += len;
    }
  }
  /* the lengths of the cue words by first byte */
  lua_getfield(L, spec, "cuewords");
  if (lua_istable(L, -1)) {
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING) {
        size_t len;
        const unsigned char *w = (const unsigned char *)lua_tolstring(L, -1, &len);
        if (len >= 64) cf->long_words = 1;
        else if (len > 0) cf->pre[CUE_CODES * cue_code[w[0]] + (len >= 2 ? cue_code[w[1]] : 0)] |= (uint64_t)1 << len;
      }
    }
  }
  lua_pop(L, 1);
  return lua_gettop(L);
}

/* Packs the phrase lists of the table at index t (first word -> array of
 * phrases, each an array of words; see phrase_at_c) into a userdata it
 * pushes; returns its memory. */
static uint32_t *phrase_pack(lua_State *L, int t) {
  size_t words = 1, pass;
  uint32_t *out = NULL, *w = NULL;
  for (pass = 0; pass < 2; pass++) {
    uint32_t nb = 0;
    if (pass == 1) {
      out = (uint32_t *)lua_newuserdatauv(L, words * sizeof(uint32_t), 0);
      w = out + 1;
    }
    lua_pushnil(L);
    while (lua_next(L, t)) {
      size_t kl, np = 0, f;
      const char *k;
      if (lua_type(L, -2) != LUA_TSTRING) {
        lua_pop(L, 1);
        continue;
      }
      k = lua_tolstring(L, -2, &kl);
      nb++;
      if (lua_istable(L, -1)) np = lua_rawlen(L, -1);
      if (pass == 0) {
        words += 2 + PACK_BYTES(kl);
      } else {
        *w++ = (uint32_t)kl;
        memcpy(w, k, kl);
        w += PACK_BYTES(kl);
        *w++ = (uint32_t)np;
      }
      for (f = 1; f <= np; f++) {
        size_t nw = 0, i;
        int strings = 1;
        lua_rawgeti(L, -1, (lua_Integer)f);
        if (lua_istable(L, -1)) nw = lua_rawlen(L, -1);
        for (i = 1; i <= nw; i++) {
          lua_rawgeti(L, -1, (lua_Integer)i);
          if (lua_type(L, -1) != LUA_TSTRING) strings = 0;
          lua_pop(L, 1);
        }
        if (!strings) nw = 0; /* a word that is no string never matches */
        if (pass == 1) *w++ = (uint32_t)nw;
        else words++;
        for (i = 1; i <= nw; i++) {
          size_t wl;
          const char *x;
          lua_rawgeti(L, -1, (lua_Integer)i);
          x = lua_tolstring(L, -1, &wl);
          if (pass == 0) {
            words += 1 + PACK_BYTES(wl);
          } else {
            *w++ = (uint32_t)wl;
            memcpy(w, x, wl);
            w += PACK_BYTES(wl);
          }
          lua_pop(L, 1);
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    if (pass == 1) out[0] = nb;
  }
  return out;
}

/* core.quote_parser(spec) -> parser (a table of functions) */
static int l_quote_parser(lua_State *L) {
  static const struct { const char *name; uint64_t bits; } sets[] = {
    { "func", F_FUNC }, { "preps", F_PREP }, { "pronouns", F_PRON }, { "definite", F_DEF },
    { "unnamed", F_UNNAMED }, { "relatives", F_REL }, { "be", F_BE }, { "finite", F_FINITE },
    { "time", F_TIME }, { "skip", F_SKIP }, { "modals", F_MODAL }, { "quantities", F_QUANT },
    { "demonym", F_DEMONYM }, { "verb1", F_VERB1 }, { "verb2", F_VERB2 }, { "compounds", F_COMPOUND },
    { "source_cues", F_SRC }, { "postmods", F_POSTMOD }, { "listeners", F_LISTEN },
    { "connectors", F_CONNECT }, { "particles", F_PARTICLE }, { NULL, 0 }
  };
  static const struct { const char *name; int slot; } slots[] = {
    { "verb1", H_VERB1 }, { "verb2", H_VERB2 }, { "compounds", H_COMPOUNDS }, { "source_cues", H_SRC },
    { "postmods", H_POSTMODS }, { "listeners", H_LISTENERS }, { "nouns", H_NOUNS }, { "demonym", H_DEMONYM },
    { "contracted", H_CONTRACTED }, { "org_words", H_ORGWORDS }, { "known_type", H_KNOWN }, { NULL, 0 }
  };
  static const luaL_Reg funcs[] = {
    { "bind", l_qp_bind },
    { "speech", l_qp_speech },
    { "names", l_qp_names },
    { "info", l_qp_info },
    { NULL, NULL }
  };
  int k, lex, H, P_idx;
  qparser *P;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_newtable(L); /* 2: lex */
  lex = 2;
  for (k = 0; sets[k].name; k++) lex_set(L, 1, lex, sets[k].name, sets[k].bits);
  /* the one-word reporting verbs: their flags */
  lua_getfield(L, 1, "verb1");
  if (lua_istable(L, -1)) {
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
      if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
        vflags vf;
        read_vflags(L, lua_gettop(L), &vf);
        lua_pushvalue(L, -2);
        lex_or(L, lex, WT_V1 | (vf.ing ? WT_V1ING : 0) | (vf.direct ? WT_V1DIRECT : 0) |
                           (vf.bare ? WT_V1BARE : 0) | (vf.object ? WT_V1OBJECT : 0));
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  /* first-person pronouns */
  lua_getfield(L, 1, "pronouns");
  if (lua_istable(L, -1)) {
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
      int first = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "first") == 0;
      lua_pop(L, 1);
      if (first && lua_type(L, -1) == LUA_TSTRING) {
        lua_pushvalue(L, -1);
        lex_or(L, lex, F_PFIRST);
      }
    }
  }
  lua_pop(L, 1);
  /* titles: exact, and as read less one final period */
  lua_getfield(L, 1, "titles");
  if (lua_istable(L, -1)) {
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING) {
        size_t len;
        const char *w = lua_tolstring(L, -1, &len);
        lua_pushvalue(L, -1);
        lex_or(L, lex, F_TITLE | (len > 0 && w[len - 1] == '.' ? 0 : F_TITLEP));
        lua_pushvalue(L, -1);
        lua_pushliteral(L, ".");
        lua_concat(L, 2);
        lex_or(L, lex, F_TITLEP);
      }
    }
  }
  lua_pop(L, 1);
  /* nouns: word -> { kind, singular, plural } */
  lua_getfield(L, 1, "nouns");
  if (lua_istable(L, -1)) {
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
      uint64_t bits = F_NOUN;
      if (lua_istable(L, -1)) {
        lua_rawgeti(L, -1, 1);
        if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "role") == 0) bits |= F_NROLE;
        lua_pop(L, 1);
        lua_rawgeti(L, -1, 3);
        if (lua_toboolean(L, -1)) bits |= F_NPL;
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING) {
        lua_pushvalue(L, -1);
        lex_or(L, lex, bits);
      }
    }
  }
  lua_pop(L, 1);
  {
    static const char *const that[] = { "that", NULL }, *const the[] = { "the", NULL },
                            *const to[] = { "to", NULL }, *const of[] = { "of", NULL },
                            *const aan[] = { "a", "an", NULL }, *const sogb[] = { "so", "goodbye", NULL };
    lex_words(L, lex, that, F_THAT);
    lex_words(L, lex, the, F_THE);
    lex_words(L, lex, to, F_TO);
    lex_words(L, lex, of, F_OF);
    lex_words(L, lex, aan, F_AAN);
    lex_words(L, lex, sogb, F_SOGB);
  }
  /* the holder and the parser */
  lua_createtable(L, H_PHRASES, 0);
  H = lua_gettop(L);
  lua_pushvalue(L, lex);
  lua_rawseti(L, H, H_LEX);
  for (k = 0; slots[k].name; k++) {
    lua_getfield(L, 1, slots[k].name);
    if (!lua_istable(L, -1)) {
      lua_pop(L, 1);
      lua_newtable(L);
    }
    lua_rawseti(L, H, slots[k].slot);
  }
  P = (qparser *)lua_newuserdatauv(L, sizeof *P, 0);
  memset(P, 0, sizeof *P);
  P_idx = lua_gettop(L);
  /* the phrase lists in C, held by the holder */
  {
    static const int pslots[3] = { H_SRC, H_POSTMODS, H_LISTENERS };
    lua_createtable(L, 3, 0);
    for (k = 0; k < 3; k++) {
      lua_rawgeti(L, H, pslots[k]);
      P->phr[k] = phrase_pack(L, lua_gettop(L));
      lua_rawseti(L, -3, k + 1);
      lua_pop(L, 1);
    }
    lua_rawseti(L, H, H_PHRASES);
  }
  push_fkeys(L);
  lua_rawseti(L, H, H_FKEYS);
  P->S = push_speech(L);
  lua_rawseti(L, H, H_SPEECH);
  lua_getfield(L, 1, "cue_marks");
  P->cue_marks = lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_createtable(L, 0, (int)(sizeof funcs / sizeof funcs[0]) + 1);
  for (k = 0; funcs[k].name; k++) {
    lua_pushvalue(L, P_idx);
    lua_pushvalue(L, H);
    lua_pushcclosure(L, funcs[k].func, 2);
    lua_setfield(L, -2, funcs[k].name);
  }
  lua_rawgeti(L, H, H_SPEECH);
  lua_setfield(L, -2, "side");
  /* the cue filter: the lengths of spec.cuewords by first byte, and every
   * word's flags */
  make_filter(L, 1, lex);
  P->wt = (const cue_filter *)lua_touserdata(L, -1);
  lua_pushvalue(L, -1);
  lua_rawseti(L, H, H_FILTER);
  lua_setfield(L, -2, "cuefilter");
  return 1;
}

/* ---- The speaker resolver ------------------------------------------------
 *
 * core.quote_resolver(lists) -> resolve, a function that resolves the
 * speakers of the parser's records of a document (see lede.quotes and
 * docs/core.md): the person records, the mentions read, the people
 * mentioned outside quotes and the speakers so far are flat C arrays, kept
 * from one call to the next (emptied at the start of each call, so that a
 * call that failed leaves nothing behind); the words of names and roles are
 * read in place from the Lua strings, which the document's tables hold
 * through the call. */

#define QUOTE_RESOLVER "lede.QuoteResolver"
#define QR_RECENT 128 /* a search looks at this many records, the most recently mentioned */
#define QR_BACK 50    /* a pronoun looks this many mentions and speakers back */

/* the lists (upvalue 2 of resolve) */
enum { QH_PRONOUNS = 1, QH_ROLECLASS, QH_PLURALS, QH_DEMONYM, QH_PLACES, QH_FIRST, QH_HONOR, QH_KNOWN,
       QH_ORGWORDS, QH_COUNT = QH_ORGWORDS };
static const char *const qh_names[QH_COUNT] = { "pronouns", "role_class", "plurals", "demonym", "place_demonyms",
                                                "first_names", "honorific_gender", "known_type", "org_words" };

/* the field names read and set (upvalue 3 of resolve; on the stack from
 * R->kb + 1 during a call): a field is read raw under its string */
enum { QK_i = 1, QK_j, QK_entity, QK_type, QK_name, QK_roles, QK_open, QK_close, QK_stop, QK_para, QK_send, QK_np, QK_inherit, QK_nwords, QK_kind, QK_text, QK_speaker, QK_speaker_text, QK_role, QK_appositive, QK_pron, QK_head, QK_noun, QK_plural, QK_definite, QK_possessive, QK_generic, QK_nat, QK_mentions, QK_COUNT = QK_mentions };
static const char *const qk_names[QK_COUNT] = { "i", "j", "entity", "type", "name", "roles", "open", "close", "stop", "para", "send", "np", "inherit", "nwords", "kind", "text", "speaker", "speaker_text", "role", "appositive", "pron", "head", "noun", "plural", "definite", "possessive", "generic", "nat", "mentions" };

enum { RT_NONE, RT_PERSON, RT_ORG, RT_UNKNOWN, RT_OTHER };

typedef struct {
  const char *s;
  size_t n;
} qr_str;

typedef struct {
  qr_str s;
  int32_t next; /* -1: the last */
} qr_role;

typedef struct {
  qr_str name;
  int type;
  int32_t roles, tail, nroles; /* the roles, each once, in the order seen (-1: none) */
  int32_t groles;              /* the roles it was made with (-1: none) */
  lua_Integer last;            /* its last mention (0: none) */
  int gender;                  /* -1: not read yet; 0: none; 'm', 'f' */
  int nat_read;                /* 0: nat not read yet */
  int nat;                     /* whether its roles give a nationality: */
  size_t nat_at, nat_n;        /* its bytes in the arena */
  int spoke;
  int32_t newer, older; /* the list by last mention (-1: none) */
  int fits_ok;          /* 1: fits is how its roles fit the head noun fits_head */
  int fits;
  qr_str fits_head;
} qr_rec;

typedef struct {
  const void *p;
  size_t n; /* (size_t)-1: a pointer key */
  uint32_t h, gen; /* gen: the map's gen when set, else an empty slot */
  int32_t v;
} qr_slot;

typedef struct {
  qr_slot *slot;
  size_t cap, count;
  uint32_t gen; /* (not 0 once it has slots) */
} qr_map;

typedef struct {
  const void *p;  /* the entity table */
  int type;
  qr_str name;
  int32_t rec;    /* -2: not seen yet; -1: no record (another type) */
  lua_Integer at; /* the mention it was first read from (its index in ctx.mentions) */
} qr_ent;

typedef struct {
  lua_Integer i, j;
  int32_t e;     /* its entity, -1: none */
  int32_t has_j; /* 0: j not read yet */
} qr_men;

typedef struct {
  int32_t rec;
  lua_Integer i, para;
} qr_pm;

typedef struct {
  lua_Integer open, end; /* end: close, else stop */
} qr_quote;

typedef struct {
  int32_t rec;          /* the speaker's record, -1: none */
  lua_Integer para, end; /* end: send, else j */
} qr_found;

typedef struct {
  int32_t rec;
  lua_Integer f, i, j; /* the record's index in found; its speaker's i, j */
  lua_Integer e;       /* the entity of its speaker's name in entities (0: none) */
} qr_coref;

typedef struct {
  lua_Integer e;      /* its index in entities */
  size_t at, n;       /* the positions of its mentions before, sorted, in pos */
  size_t added_at;    /* the positions added, in cf order: those of cf from added_at on with this entity */
  lua_Integer added;  /* how many mentions were added */
  int ordered;        /* whether its mentions were in order before */
} qr_cent;

typedef struct {
  int closed;
  int kb; /* the field names are at kb + 1 ... during a call */
  const quote_ranges *ps; /* the paragraphs: ranges (their i), or NULL for a table of starts */
  qr_rec *rec;
  size_t nrec, crec;
  qr_role *role;
  size_t nrole, crole;
  qr_map by_name, seen, fmap;
  qr_men *men; /* the mentions read so far (nm of ntot), when first needed */
  size_t nm, ntot, cm;
  qr_ent *ent;
  size_t nent, cent;
  qr_pm *pm; /* the people mentioned outside quotes so far */
  size_t nment, cment;
  qr_pm *fb; /* the names read from the text (when there are no mentions) */
  size_t nfb, cfb, fptr;
  qr_quote *q; /* the quotes */
  size_t nq, cq;
  qr_found *f; /* the records found */
  size_t nf, cf;
  int32_t *spk; /* the speakers (indices of found records) */
  size_t nspk, cspk;
  int32_t *sr; /* the records a search looks at */
  size_t csr;
  qr_coref *co; /* the records whose speaker, a pronoun or a description, resolved */
  size_t nco, cco;
  qr_cent *ce; /* the entities mentioned so, and their mentions' positions */
  size_t nce, cce;
  lua_Integer *pos;
  size_t npos, cpos;
  qr_str *tmp; /* roles being added */
  size_t ctmp;
  unsigned char *buf; /* text being squeezed or lowered */
  size_t cbuf;
  char *arena; /* the nationalities read */
  size_t narena, carena;
  /* the document's cursors and state */
  size_t mptr, qp;
  lua_Integer mpara, qlast, nps;
  int ordered, listing, entities;
  int32_t recent, last_org, last_person, lq_rec; /* -1: none */
  int has_lq, has_last_para, has_lu;
  lua_Integer lq_para, last_para;
  int last_kind_org;
  qr_str lu_head; /* the last unnamed source: its head noun, paragraph */
  lua_Integer lu_para;
} qresolver;

/* Pushes t[K] (raw); returns its type. */
static int qr_getk(lua_State *L, const qresolver *R, int t, int K) {
  if (t < 0 && t > LUA_REGISTRYINDEX) t = lua_gettop(L) + t + 1;
  lua_pushvalue(L, R->kb + K);
  return lua_rawget(L, t);
}

/* t[K] = the value at the top (popped). */
static void qr_setk(lua_State *L, const qresolver *R, int t, int K) {
  if (t < 0 && t > LUA_REGISTRYINDEX) t = lua_gettop(L) + t + 1;
  lua_pushvalue(L, R->kb + K);
  lua_insert(L, -2);
  lua_rawset(L, t);
}

#define QR_ROOM(L, arr, cap, need) \
  do { \
    if ((size_t)(need) > (cap)) grow_room((L), (void **)&(arr), &(cap), (need), sizeof *(arr), "quote_resolver"); \
  } while (0)

static uint32_t qr_hash(const void *p, size_t n) {
  if (n == (size_t)-1) {
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 32;
    return (uint32_t)x;
  }
  return fnv_hash((const unsigned char *)p, n);
}

static int qr_same(const qr_slot *s, const void *p, size_t n, uint32_t h) {
  if (s->h != h || s->n != n) return 0;
  if (n == (size_t)-1) return s->p == p;
  return n == 0 || memcmp(s->p, p, n) == 0;
}

/* The value of key (p, n) in m, or -3 when it has none. */
static int32_t qr_get(const qr_map *m, const void *p, size_t n) {
  uint32_t h;
  size_t x;
  if (m->count == 0) return -3;
  h = qr_hash(p, n);
  for (x = h & (m->cap - 1);; x = (x + 1) & (m->cap - 1)) {
    const qr_slot *s = &m->slot[x];
    if (s->gen != m->gen) return -3;
    if (qr_same(s, p, n, h)) return s->v;
  }
}

static void qr_put(lua_State *L, qr_map *m, const void *p, size_t n, int32_t v) {
  uint32_t h = qr_hash(p, n);
  size_t x;
  if (2 * (m->count + 1) > m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 64, k;
    qr_slot *ns = (qr_slot *)calloc(cap, sizeof *ns);
    if (!ns) luaL_error(L, "quote_resolver: out of memory");
    if (m->gen == 0) m->gen = 1;
    for (k = 0; k < m->cap; k++) {
      const qr_slot *s = &m->slot[k];
      if (s->gen == m->gen) {
        size_t y = s->h & (cap - 1);
        while (ns[y].gen == m->gen) y = (y + 1) & (cap - 1);
        ns[y] = *s;
      }
    }
    free(m->slot);
    m->slot = ns;
    m->cap = cap;
  }
  for (x = h & (m->cap - 1);; x = (x + 1) & (m->cap - 1)) {
    qr_slot *s = &m->slot[x];
    if (s->gen != m->gen) {
      s->p = p;
      s->n = n;
      s->h = h;
      s->gen = m->gen;
      s->v = v;
      m->count++;
      return;
    }
    if (qr_same(s, p, n, h)) {
      s->v = v;
      return;
    }
  }
}

/* Empties m: a new gen (a big map lets go of its slots). */
static void qr_clear(qr_map *m) {
  if (m->cap > 4096) {
    free(m->slot);
    m->slot = NULL;
    m->cap = 0;
  } else if (m->count > 0 && ++m->gen == 0) {
    memset(m->slot, 0, m->cap * sizeof *m->slot);
    m->gen = 1;
  }
  m->count = 0;
}

static const char qr_empty[1] = { 0 };

static qr_str qr_tostr(lua_State *L, int idx) {
  qr_str s;
  s.s = lua_tolstring(L, idx, &s.n);
  if (s.s && s.n == 0) s.s = qr_empty;
  return s;
}

static int qr_eq(qr_str a, qr_str b) { return a.n == b.n && (a.n == 0 || memcmp(a.s, b.s, a.n) == 0); }

static unsigned char qr_lc(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

/* s lowered, in R->buf. */
static const char *qr_lower(lua_State *L, qresolver *R, const char *s, size_t n) {
  size_t k;
  QR_ROOM(L, R->buf, R->cbuf, n + 1);
  for (k = 0; k < n; k++) R->buf[k] = qr_lc((unsigned char)s[k]);
  return (const char *)R->buf;
}

/* Pushes lists[slot][key] (key as it is); returns its type. */
static int qr_list_get(lua_State *L, int slot, const char *s, size_t n) {
  lua_rawgeti(L, lua_upvalueindex(2), slot);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_pushnil(L);
    return LUA_TNIL;
  }
  lua_pushlstring(L, s, n);
  lua_rawget(L, -2);
  lua_remove(L, -2);
  return lua_type(L, -1);
}

static int qr_type_of(lua_State *L, int idx) {
  size_t n;
  const char *s;
  if (lua_type(L, idx) != LUA_TSTRING) return lua_toboolean(L, idx) ? RT_OTHER : RT_NONE;
  s = lua_tolstring(L, idx, &n);
  if (n == 6 && memcmp(s, "person", 6) == 0) return RT_PERSON;
  if (n == 12 && memcmp(s, "organization", 12) == 0) return RT_ORG;
  if (n == 7 && memcmp(s, "unknown", 7) == 0) return RT_UNKNOWN;
  return RT_OTHER;
}

static int qr_space(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13); }
static int qr_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The roles of the array at idx (strings, up to the first nil) in R->tmp;
 * returns their count. */
static size_t qr_read_roles(lua_State *L, qresolver *R, int idx) {
  size_t n = 0;
  lua_Integer k;
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx)) return 0;
  for (k = 1;; k++) {
    if (lua_rawgeti(L, idx, k) == LUA_TNIL) {
      lua_pop(L, 1);
      return n;
    }
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "quote_resolver: a role is not a string");
    QR_ROOM(L, R->tmp, R->ctmp, n + 1);
    R->tmp[n++] = qr_tostr(L, -1);
    lua_pop(L, 1);
  }
}

static int32_t qr_new_role(lua_State *L, qresolver *R, qr_str s) {
  QR_ROOM(L, R->role, R->crole, R->nrole + 1);
  R->role[R->nrole].s = s;
  R->role[R->nrole].next = -1;
  return (int32_t)R->nrole++;
}

/* Moves record r to the front of the list by last mention. */
static void qr_touch(qresolver *R, int32_t r) {
  qr_rec *rec = &R->rec[r];
  int32_t head = R->recent, a = rec->newer, b = rec->older;
  if (head == r) return;
  if (a >= 0) R->rec[a].older = b;
  if (b >= 0) R->rec[b].newer = a;
  rec->newer = -1;
  rec->older = head;
  if (head >= 0) R->rec[head].newer = r;
  R->recent = r;
}

static void qr_mentioned(qresolver *R, int32_t r, lua_Integer pos) {
  if (pos > R->rec[r].last) {
    R->rec[r].last = pos;
    if (R->listing) qr_touch(R, r);
  }
}

/* The record of name (made when new), of type etype (RT_NONE: none) and
 * roles tmp[0, nroles) (with_roles 0: none), mentioned at pos (0: none). */
static int32_t qr_person(lua_State *L, qresolver *R, qr_str name, int etype, int with_roles, size_t nroles,
                         lua_Integer pos) {
  int32_t r = qr_get(&R->by_name, name.s, name.n);
  qr_rec *rec;
  size_t k;
  if (r < 0) {
    QR_ROOM(L, R->rec, R->crec, R->nrec + 1);
    r = (int32_t)R->nrec;
    rec = &R->rec[r];
    memset(rec, 0, sizeof *rec);
    rec->name = name;
    rec->type = etype;
    rec->roles = rec->tail = -1;
    rec->groles = -1;
    rec->gender = -1;
    rec->newer = rec->older = -1;
    if (with_roles) {
      /* (the roles it was made with, for its gender) */
      int32_t prev = -1;
      rec->groles = -2; /* roles given, maybe none */
      for (k = 0; k < nroles; k++) {
        int32_t x = qr_new_role(L, R, R->tmp[k]);
        if (prev >= 0) R->role[prev].next = x;
        else R->rec[r].groles = x;
        prev = x;
      }
    }
    R->nrec++;
    qr_put(L, &R->by_name, name.s, name.n, r);
  }
  rec = &R->rec[r];
  if (etype != RT_NONE && (rec->type == RT_NONE || rec->type == RT_UNKNOWN)) rec->type = etype;
  for (k = 0; with_roles && k < nroles; k++) {
    int32_t x;
    int dup = 0;
    for (x = R->rec[r].roles; x >= 0; x = R->role[x].next) {
      if (qr_eq(R->role[x].s, R->tmp[k])) {
        dup = 1;
        break;
      }
    }
    if (!dup) {
      int32_t y = qr_new_role(L, R, R->tmp[k]);
      rec = &R->rec[r];
      if (rec->tail >= 0) R->role[rec->tail].next = y;
      else rec->roles = y;
      rec->tail = y;
      rec->nroles++;
      rec->nat_read = 0;
      rec->fits_ok = 0;
    }
  }
  if (pos) qr_mentioned(R, r, pos);
  return r;
}

/* Starts the list by last mention: the records mentioned so far, the most
 * recent first (the same last mention: the later made first). */
static int qr_cmp_last(const void *a, const void *b) {
  const lua_Integer *x = (const lua_Integer *)a, *y = (const lua_Integer *)b;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

static void qr_listed(lua_State *L, qresolver *R) {
  lua_Integer *v;
  size_t k, n = 0;
  R->listing = 1;
  v = (lua_Integer *)lua_newuserdatauv(L, 2 * R->nrec * sizeof *v + 1, 0);
  for (k = 0; k < R->nrec; k++) {
    if (R->rec[k].last) {
      v[2 * n] = R->rec[k].last;
      v[2 * n + 1] = (lua_Integer)k;
      n++;
    }
  }
  qsort(v, n, 2 * sizeof *v, qr_cmp_last);
  for (k = 0; k < n; k++) qr_touch(R, (int32_t)v[2 * k + 1]);
  lua_pop(L, 1);
}

/* The records a search looks at (in R->sr): all in the order made up to
 * QR_RECENT of them, else the QR_RECENT most recently mentioned; returns
 * their count. */
static size_t qr_searched(lua_State *L, qresolver *R) {
  size_t k;
  int32_t r, *out;
  QR_ROOM(L, R->sr, R->csr, (R->nrec < QR_RECENT ? R->nrec : QR_RECENT) + 1);
  out = R->sr;
  if (R->nrec <= QR_RECENT) {
    for (k = 0; k < R->nrec; k++) out[k] = (int32_t)k;
    return R->nrec;
  }
  if (!R->listing) qr_listed(L, R);
  for (k = 0, r = R->recent; k < QR_RECENT && r >= 0; k++, r = R->rec[r].older) out[k] = r;
  return k;
}

/* The words of s (runs of no white space) lowered: the next from *p, in
 * (*a, *n); 0 at the end. */
static int qr_next_word(const char *s, size_t len, size_t *p, size_t *a, size_t *n) {
  size_t x = *p;
  while (x < len && qr_space((unsigned char)s[x])) x++;
  if (x >= len) return 0;
  *a = x;
  while (x < len && !qr_space((unsigned char)s[x])) x++;
  *n = x - *a;
  *p = x;
  return 1;
}

static int qr_same_lower(const char *a, const char *b, size_t n) {
  size_t k;
  for (k = 0; k < n; k++)
    if (qr_lc((unsigned char)a[k]) != qr_lc((unsigned char)b[k])) return 0;
  return 1;
}

/* The type a name without an entity has: a known one's, an organisation's
 * when a word of it is an organisation's or it is written in capitals,
 * else a person's. */
static int qr_guess_type(lua_State *L, qresolver *R, qr_str name) {
  size_t p = 0, a, n, k;
  const char *l = qr_lower(L, R, name.s, name.n);
  int t = qr_list_get(L, QH_KNOWN, l, name.n);
  if (t != LUA_TNIL && t != LUA_TBOOLEAN) {
    int rt = qr_type_of(L, -1);
    lua_pop(L, 1);
    return rt;
  } else if (t == LUA_TBOOLEAN && lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    return RT_OTHER;
  }
  lua_pop(L, 1);
  while (qr_next_word(name.s, name.n, &p, &a, &n)) {
    int hit;
    l = qr_lower(L, R, name.s + a, n);
    hit = qr_list_get(L, QH_ORGWORDS, l, n) != LUA_TNIL && lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (hit) return RT_ORG;
  }
  /* ^%u[%u%d&%.%-]+$ */
  if (name.n >= 2 && name.s[0] >= 'A' && name.s[0] <= 'Z') {
    for (k = 1; k < name.n; k++) {
      unsigned char c = (unsigned char)name.s[k];
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '&' || c == '.' || c == '-')) break;
    }
    if (k == name.n) return RT_ORG;
  }
  return RT_PERSON;
}

/* The record of a name as written, without an entity: the one of that
 * name, a full name seen before for a single word, else a new one. */
static int32_t qr_fallback(lua_State *L, qresolver *R, qr_str name, lua_Integer pos) {
  int32_t r = qr_get(&R->by_name, name.s, name.n), best = -1;
  size_t p = 0, a = 0, n = 0, a2, n2, words = 0;
  int best_hit = 0;
  if (r >= 0) return r;
  while (qr_next_word(name.s, name.n, &p, &a2, &n2)) {
    if (words++ == 0) {
      a = a2;
      n = n2;
    }
  }
  if (words == 1) {
    size_t k, ns;
    ns = qr_searched(L, R);
    for (k = 0; k < ns; k++) {
      int32_t x = R->sr[k];
      const qr_rec *rec = &R->rec[x];
      if (rec->type == RT_PERSON && !qr_eq(rec->name, name)) {
        size_t q = 0, wa, wn, nw = 0;
        int hit = 0, lastw = 0;
        while (qr_next_word(rec->name.s, rec->name.n, &q, &wa, &wn)) {
          lastw = wn == n && qr_same_lower(rec->name.s + wa, name.s + a, n);
          if (lastw) hit = 1;
          nw++;
        }
        if (nw > 1) {
          if (lastw) hit = 2;
          if (hit > 0 && (best < 0 || hit > best_hit || (hit == best_hit && rec->last > R->rec[best].last))) {
            best = x;
            best_hit = hit;
          }
        }
      }
    }
    if (best >= 0) return best;
  }
  return qr_person(L, R, name, qr_guess_type(L, R, name), 0, 0, pos);
}

/* The gender of a record: from its given name, else an honorific of the
 * roles it was made with. */
static int qr_gender(lua_State *L, qresolver *R, int32_t r) {
  qr_rec *rec = &R->rec[r];
  if (rec->gender < 0) {
    int g = 0;
    size_t n = 0;
    const char *nm = rec->name.s;
    while (n < rec->name.n && !qr_space((unsigned char)nm[n])) n++;
    if (n > 0) {
      const char *l = qr_lower(L, R, nm, n);
      if (qr_list_get(L, QH_FIRST, l, n) == LUA_TSTRING) {
        size_t gl;
        const char *gs = lua_tolstring(L, -1, &gl);
        if (gl == 1) g = (unsigned char)gs[0];
      }
      lua_pop(L, 1);
    }
    if (!g && rec->groles != -1) {
      int32_t x;
      for (x = rec->groles; x >= 0 && !g; x = R->role[x].next) {
        qr_str s = R->role[x].s;
        size_t k = 0;
        while (k < s.n && !g) {
          size_t a;
          unsigned char c = (unsigned char)s.s[k];
          if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            k++;
            continue;
          }
          a = k;
          while (k < s.n && ((s.s[k] >= 'a' && s.s[k] <= 'z') || (s.s[k] >= 'A' && s.s[k] <= 'Z'))) k++;
          {
            const char *l = qr_lower(L, R, s.s + a, k - a);
            if (qr_list_get(L, QH_HONOR, l, k - a) == LUA_TSTRING) {
              size_t gl;
              const char *gs = lua_tolstring(L, -1, &gl);
              if (gl == 1) g = (unsigned char)gs[0];
            }
            lua_pop(L, 1);
          }
        }
      }
    }
    R->rec[r].gender = g;
  }
  return R->rec[r].gender;
}

/* Appends the bytes (s, n) to the arena; returns where they start. */
static size_t qr_keep(lua_State *L, qresolver *R, const char *s, size_t n) {
  size_t at = R->narena;
  QR_ROOM(L, R->arena, R->carena, at + n + 1);
  memcpy(R->arena + at, s, n);
  R->narena = at + n;
  return at;
}

static int qr_run_byte(unsigned char c, int hyphen) { return qr_alnum(c) || (hyphen && c == '-'); }

/* The nationality record r's roles give (lower-case words: the first that
 * is a demonym or a place; then the last pair of words that is a demonym):
 * 1 and its bytes, else 0. */
static int qr_nationality(lua_State *L, qresolver *R, int32_t r, const char **s, size_t *n) {
  qr_rec *rec = &R->rec[r];
  if (!rec->nat_read) {
    int found = 0;
    size_t at = 0, len = 0;
    int32_t x;
    for (x = rec->roles; x >= 0; x = R->role[x].next) {
      qr_str role = R->role[x].s;
      const char *l = qr_lower(L, R, role.s, role.n);
      size_t k = 0;
      /* single words: runs of [%w\128-\255%-] */
      while (k < role.n) {
        size_t a;
        if (!qr_run_byte((unsigned char)l[k], 1)) {
          k++;
          continue;
        }
        a = k;
        while (k < role.n && qr_run_byte((unsigned char)l[k], 1)) k++;
        if (qr_list_get(L, QH_DEMONYM, l + a, k - a) == LUA_TSTRING) {
          if (!found) {
            size_t pl;
            const char *ps = lua_tolstring(L, -1, &pl);
            lua_pop(L, 1);
            l = (const char *)R->buf;
            at = qr_keep(L, R, ps, pl);
            len = pl;
            found = 1;
          } else {
            lua_pop(L, 1);
          }
        } else {
          int place;
          lua_pop(L, 1);
          place = qr_list_get(L, QH_PLACES, l + a, k - a) != LUA_TNIL && lua_toboolean(L, -1);
          lua_pop(L, 1);
          if (place && !found) {
            at = qr_keep(L, R, l + a, k - a);
            len = k - a;
            found = 1;
          }
        }
        l = (const char *)R->buf;
      }
      /* pairs of words ("south korean"): runs of [%w\128-\255] apart by
       * one space, the second not the first of another pair */
      k = 0;
      while (k < role.n) {
        size_t a, e;
        if (!qr_run_byte((unsigned char)l[k], 0)) {
          k++;
          continue;
        }
        a = k;
        while (k < role.n && qr_run_byte((unsigned char)l[k], 0)) k++;
        if (k + 1 < role.n && l[k] == ' ' && qr_run_byte((unsigned char)l[k + 1], 0)) {
          e = k + 1;
          while (e < role.n && qr_run_byte((unsigned char)l[e], 0)) e++;
          if (qr_list_get(L, QH_DEMONYM, l + a, e - a) == LUA_TSTRING) {
            size_t pl;
            const char *ps = lua_tolstring(L, -1, &pl);
            at = qr_keep(L, R, ps, pl);
            len = pl;
            found = 1;
            l = (const char *)R->buf;
          }
          lua_pop(L, 1);
          k = e;
        }
      }
    }
    rec = &R->rec[r];
    rec->nat_read = 1;
    rec->nat = found;
    rec->nat_at = at;
    rec->nat_n = len;
  }
  *s = R->arena + rec->nat_at;
  *n = rec->nat_n;
  return rec->nat;
}

/* 3 when a role of record r (rl: its first role) names the head noun
 * itself, 2 when it names one of its class ("professor" for "the expert"),
 * 0 otherwise. */
static int qr_role_fits(lua_State *L, qresolver *R, int32_t rl, qr_str head) {
  int score = 0, classes, top = lua_gettop(L);
  int32_t x;
  qr_list_get(L, QH_ROLECLASS, head.s, head.n);
  classes = lua_istable(L, -1) ? lua_gettop(L) : 0;
  for (x = rl; x >= 0; x = R->role[x].next) {
    qr_str role = R->role[x].s;
    const char *l = qr_lower(L, R, role.s, role.n);
    size_t k = 0;
    while (k < role.n) {
      size_t a, n;
      if (!qr_run_byte((unsigned char)l[k], 0)) {
        k++;
        continue;
      }
      a = k;
      while (k < role.n && qr_run_byte((unsigned char)l[k], 0)) k++;
      n = k - a;
      if ((n == head.n && memcmp(l + a, head.s, n) == 0) ||
          (n == head.n + 1 && memcmp(l + a, head.s, head.n) == 0 && l[a + head.n] == 's')) {
        lua_settop(L, top);
        return 3;
      }
      if (qr_list_get(L, QH_PLURALS, l + a, n) == LUA_TSTRING) {
        size_t pl;
        const char *ps = lua_tolstring(L, -1, &pl);
        if (pl == head.n && memcmp(ps, head.s, pl) == 0) {
          lua_settop(L, top);
          return 3;
        }
      }
      lua_pop(L, 1);
      if (classes) {
        int c2;
        qr_list_get(L, QH_ROLECLASS, l + a, n);
        c2 = lua_gettop(L);
        if (lua_istable(L, c2)) {
          lua_pushnil(L);
          while (lua_next(L, classes)) {
            size_t cl;
            const char *cs;
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            lua_rawget(L, c2);
            cs = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &cl) : NULL;
            if (lua_toboolean(L, -1) && !(cs && cl == 5 && memcmp(cs, "other", 5) == 0)) score = 2;
            lua_pop(L, 1);
          }
        }
        lua_settop(L, c2 - 1);
      }
      l = (const char *)R->buf;
    }
  }
  lua_settop(L, top);
  return score;
}

/* qr_role_fits of record r's roles, read again only for another head noun
 * or after its roles changed. */
static int qr_rec_fits(lua_State *L, qresolver *R, int32_t r, qr_str head) {
  qr_rec *rec = &R->rec[r];
  if (!rec->fits_ok || !qr_eq(rec->fits_head, head)) {
    int v = qr_role_fits(L, R, rec->roles, head);
    rec = &R->rec[r];
    rec->fits = v;
    rec->fits_head = head;
    rec->fits_ok = 1;
  }
  return rec->fits;
}

/* Whether head noun h is of the class "expert". */
static int qr_expert(lua_State *L, qr_str h) {
  int yes = 0;
  if (qr_list_get(L, QH_ROLECLASS, h.s, h.n) == LUA_TTABLE) {
    lua_getfield(L, -1, "expert");
    yes = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return yes;
}

static int qr_has_class(lua_State *L, qr_str h) {
  int t = qr_list_get(L, QH_ROLECLASS, h.s, h.n);
  int yes = t != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 1);
  return yes;
}

/* Whether the mention at i is inside a quote (a cursor over the quotes
 * when they are in order and apart, else a search by halves). */
static int qr_inside(qresolver *R, lua_Integer mi) {
  if (R->ordered) {
    if (R->qlast && mi < R->qlast) R->qp = 0;
    R->qlast = mi;
    while (R->qp < R->nq) {
      if (R->q[R->qp].end >= mi) return R->q[R->qp].open <= mi;
      R->qp++;
    }
    return 0;
  } else {
    lua_Integer lo = 0, hi = (lua_Integer)R->nq - 1;
    while (lo <= hi) {
      lua_Integer mid = lo + (hi - lo) / 2;
      if (mi < R->q[mid].open) hi = mid - 1;
      else if (mi > R->q[mid].end) lo = mid + 1;
      else return 1;
    }
    return 0;
  }
}

static void qr_add_ment(lua_State *L, qresolver *R, int32_t r, lua_Integer i, lua_Integer para) {
  QR_ROOM(L, R->pm, R->cment, R->nment + 1);
  R->pm[R->nment].rec = r;
  R->pm[R->nment].i = i;
  R->pm[R->nment].para = para;
  R->nment++;
}

/* Pushes entity e's table (read again from its mention). */
static void qr_push_entity(lua_State *L, qresolver *R, int MS, int32_t e) {
  lua_rawgeti(L, MS, R->ent[e].at);
  qr_getk(L, R, -1, QK_entity);
  lua_remove(L, -2);
}

/* The record of entity e (made when new, with its roles), mentioned at pos. */
static int32_t qr_entity_person(lua_State *L, qresolver *R, int MS, int32_t e, int etype, lua_Integer pos) {
  size_t nr;
  int with;
  int32_t r;
  qr_push_entity(L, R, MS, e);
  qr_getk(L, R, -1, QK_roles);
  with = lua_toboolean(L, -1);
  nr = qr_read_roles(L, R, -1);
  r = qr_person(L, R, R->ent[e].name, etype, with, nr, pos);
  lua_pop(L, 2);
  return r;
}

static qr_str qr_field_str(lua_State *L, const qresolver *R, int t, int k) {
  qr_str s = { NULL, 0 };
  if (qr_getk(L, R, t, k) == LUA_TSTRING) s = qr_tostr(L, -1);
  lua_pop(L, 1);
  return s;
}

static int qr_field_bool(lua_State *L, const qresolver *R, int t, int k) {
  int b;
  qr_getk(L, R, t, k);
  b = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return b;
}

static lua_Integer qr_int_field(lua_State *L, const qresolver *R, int t, int k, const char *what) {
  int isnum;
  lua_Integer v;
  qr_getk(L, R, t, k);
  v = lua_tointegerx(L, -1, &isnum);
  if (!isnum) luaL_error(L, "quote_resolver: %s without its '%s'", what, qk_names[k - 1]);
  lua_pop(L, 1);
  return v;
}

/* Reads the mentions (at MS) up to the k-th (0-based; k < R->ntot): their
 * i, and their entities' type and name. */
static void qr_load(lua_State *L, qresolver *R, int MS, size_t k) {
  if (k < R->nm) return;
  QR_ROOM(L, R->men, R->cm, k + 1);
  while (R->nm <= k) {
    size_t x = R->nm;
    qr_men *m = &R->men[x];
    int t, M;
    lua_rawgeti(L, MS, (lua_Integer)x + 1);
    if (!lua_istable(L, -1)) luaL_error(L, "quote_resolver: mention %d is no table", (int)x + 1);
    M = lua_gettop(L);
    m->i = qr_int_field(L, R, M, QK_i, "a mention");
    m->has_j = 0;
    m->e = -1;
    t = qr_getk(L, R, M, QK_entity);
    if (t == LUA_TTABLE) {
      const void *ep = lua_topointer(L, -1);
      int32_t e = qr_get(&R->seen, ep, (size_t)-1);
      if (e < 0) {
        qr_ent *E;
        QR_ROOM(L, R->ent, R->cent, R->nent + 1);
        e = (int32_t)R->nent++;
        E = &R->ent[e];
        E->p = ep;
        E->rec = -2;
        E->at = (lua_Integer)x + 1;
        qr_getk(L, R, -1, QK_type);
        E->type = qr_type_of(L, -1);
        lua_pop(L, 1);
        E->name = qr_field_str(L, R, -1, QK_name);
        qr_put(L, &R->seen, ep, (size_t)-1, e);
      }
      m->e = e;
    } else if (t != LUA_TNIL && lua_toboolean(L, -1)) {
      luaL_error(L, "quote_resolver: the entity of mention %d is no table", (int)x + 1);
    }
    lua_pop(L, 2);
    R->nm = x + 1;
  }
}

/* The j of the k-th mention (read). */
static lua_Integer qr_men_j(lua_State *L, qresolver *R, int MS, size_t k) {
  qr_men *m = &R->men[k];
  if (!m->has_j) {
    lua_rawgeti(L, MS, (lua_Integer)k + 1);
    m->j = qr_int_field(L, R, -1, QK_j, "a mention");
    lua_pop(L, 1);
    m->has_j = 1;
  }
  return m->j;
}

/* Reads the mentions before pos, once and in text order: the records of
 * people and organisations with their last mention, and the people
 * mentioned outside quotes. */
static void qr_advance(lua_State *L, qresolver *R, int MS, int PS, lua_Integer pos) {
  while (R->fptr < R->nfb && R->fb[R->fptr].i < pos) {
    qr_pm e = R->fb[R->fptr++];
    qr_add_ment(L, R, e.rec, e.i, e.para);
    qr_mentioned(R, e.rec, e.i);
  }
  while (R->mptr < R->ntot && (qr_load(L, R, MS, R->mptr), R->men[R->mptr].i < pos)) {
    size_t p = R->mptr++;
    lua_Integer mi = R->men[p].i;
    int32_t e = R->men[p].e, r;
    int person;
    qr_ent *E;
    if (e < 0) continue;
    E = &R->ent[e];
    if (E->rec >= 0) {
      r = E->rec;
      person = E->type != RT_ORG;
      qr_mentioned(R, r, mi);
    } else if (E->rec == -2) {
      int etype = E->type;
      if (etype != RT_PERSON && etype != RT_ORG && E->name.s) {
        /* a name that starts with a given name is a person's ("Ann Park"):
         * ^(%S+)%s+(%S.*)$, the rest of no more than two words */
        const char *s = E->name.s;
        size_t n = E->name.n, a = 0, k;
        while (a < n && !qr_space((unsigned char)s[a])) a++;
        k = a;
        while (k < n && qr_space((unsigned char)s[k])) k++;
        if (a > 0 && k > a && k < n) {
          /* rest (from k) without %s%S+%s */
          size_t x = k;
          int three = 0;
          while (x < n && !three) {
            if (qr_space((unsigned char)s[x]) && x + 1 < n && !qr_space((unsigned char)s[x + 1])) {
              size_t y = x + 1;
              while (y < n && !qr_space((unsigned char)s[y])) y++;
              if (y < n) three = 1;
              x = y;
            } else {
              x++;
            }
          }
          if (!three) {
            const char *l = qr_lower(L, R, s, a);
            int given = qr_list_get(L, QH_FIRST, l, a) != LUA_TNIL && lua_toboolean(L, -1);
            lua_pop(L, 1);
            if (given) etype = RT_PERSON;
          }
        }
      }
      r = -1;
      if (etype == RT_PERSON || etype == RT_ORG) r = qr_entity_person(L, R, MS, e, etype, mi);
      R->ent[e].rec = r;
      person = etype == RT_PERSON;
    } else {
      continue;
    }
    if (r >= 0 && person && !qr_inside(R, mi)) {
      while (R->mpara < R->nps) {
        lua_Integer ps;
        if (R->ps) {
          ps = R->ps->v[3 * R->mpara];
        } else {
          lua_rawgeti(L, PS, R->mpara + 1);
          ps = lua_tointeger(L, -1);
          lua_pop(L, 1);
        }
        if (ps > mi) break;
        R->mpara++;
      }
      qr_add_ment(L, R, r, mi, R->mpara);
    }
  }
}

/* The entity mentioned in [a, b] (a person before an organisation before
 * another), or -1. */
static int32_t qr_find_mention(lua_State *L, qresolver *R, int MS, lua_Integer a, lua_Integer b, size_t from) {
  size_t lo, hi = R->ntot, x;
  int32_t best = -1;
  if (R->ntot == 0) return -1;
  /* (1-based in what follows, as the mentions are) */
  lo = from + 1;
  if (lo <= hi) qr_load(L, R, MS, lo - 1);
  if (!((lo == 1 || R->men[lo - 2].i < a) && (lo > hi || R->men[lo - 1].i >= a))) {
    qr_load(L, R, MS, hi - 1);
    lo = 1;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (R->men[mid - 1].i < a) lo = mid + 1;
      else hi = mid;
    }
  }
  for (x = lo; x <= hi && (qr_load(L, R, MS, x - 1), R->men[x - 1].i <= b); x++) {
    int32_t e = R->men[x - 1].e;
    if (R->men[x - 1].i >= a && e >= 0 && qr_men_j(L, R, MS, x - 1) <= b) {
      int t = R->ent[e].type;
      if (best < 0 || t == RT_PERSON || (R->ent[best].type != RT_PERSON && t == RT_ORG)) best = e;
    }
  }
  return best;
}

/* A speaker's noun phrase as the resolver reads it: from a record's np
 * table, or from what P.speech kept in C (side). */
typedef struct {
  qr_str kind, pron, head, noun, nat, name, role, app;
  int i_ok, i_num, j_num; /* i an integer; i, j numbers */
  lua_Integer i, j;
  int role_bad, app_bad; /* a role or appositive that is no string */
  int plural, definite, possessive, generic;
} qr_np;

/* Reads the np table at NP. */
static void qr_np_table(lua_State *L, qresolver *R, int NP, qr_np *np) {
  int isnum;
  memset(np, 0, sizeof *np);
  qr_getk(L, R, NP, QK_i);
  np->i = lua_tointegerx(L, -1, &isnum);
  np->i_ok = isnum;
  np->i_num = lua_type(L, -1) == LUA_TNUMBER;
  lua_pop(L, 1);
  qr_getk(L, R, NP, QK_j);
  np->j = lua_tointeger(L, -1);
  np->j_num = lua_type(L, -1) == LUA_TNUMBER;
  lua_pop(L, 1);
  np->kind = qr_field_str(L, R, NP, QK_kind);
  np->pron = qr_field_str(L, R, NP, QK_pron);
  np->head = qr_field_str(L, R, NP, QK_head);
  np->noun = qr_field_str(L, R, NP, QK_noun);
  np->nat = qr_field_str(L, R, NP, QK_nat);
  np->name = qr_field_str(L, R, NP, QK_name);
  if (qr_getk(L, R, NP, QK_role) == LUA_TSTRING) np->role = qr_tostr(L, -1);
  else np->role_bad = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (qr_getk(L, R, NP, QK_appositive) == LUA_TSTRING) np->app = qr_tostr(L, -1);
  else np->app_bad = lua_toboolean(L, -1);
  lua_pop(L, 1);
  np->plural = qr_field_bool(L, R, NP, QK_plural);
  np->definite = qr_field_bool(L, R, NP, QK_definite);
  np->possessive = qr_field_bool(L, R, NP, QK_possessive);
  np->generic = qr_field_bool(L, R, NP, QK_generic);
}

/* Reads the noun phrase P.speech kept for record r. */
static void qr_np_side(const qspeech *S, const sp_rec *r, qr_np *np) {
  static const char *const kinds[] = { "none", "pronoun", "desc", "name" };
  qr_str *strs[SS_COUNT];
  int k;
  memset(np, 0, sizeof *np);
  strs[SS_PRON] = &np->pron;
  strs[SS_HEAD] = &np->head;
  strs[SS_NOUN] = &np->noun;
  strs[SS_NAT] = &np->nat;
  strs[SS_NAME] = &np->name;
  strs[SS_ROLE] = &np->role;
  strs[SS_APP] = &np->app;
  np->kind.s = kinds[r->np_kind];
  np->kind.n = strlen(np->kind.s);
  np->i_ok = np->i_num = np->j_num = r->has_ij;
  np->i = r->has_ij ? r->i : 0;
  np->j = r->has_ij ? r->j : 0;
  for (k = 0; k < SS_COUNT; k++) {
    if (r->sl[k] == SS_NONE) continue;
    strs[k]->s = S->arena + r->so[k];
    strs[k]->n = r->sl[k];
  }
  np->plural = r->plural;
  np->definite = r->definite;
  np->possessive = r->possessive;
  np->generic = r->generic;
}

/* The roles of a speaker's noun phrase: its role and appositive, in
 * R->tmp; returns whether it has any, their count in *n. */
static int qr_np_roles(lua_State *L, qresolver *R, const qr_np *np, size_t *n) {
  *n = 0;
  QR_ROOM(L, R->tmp, R->ctmp, 2);
  if (np->role.s) R->tmp[(*n)++] = np->role;
  else if (np->role_bad) luaL_error(L, "quote_resolver: a role is not a string");
  if (np->app.s) R->tmp[(*n)++] = np->app;
  else if (np->app_bad) luaL_error(L, "quote_resolver: a role is not a string");
  return *n > 0;
}

static int qr_fits_gender(lua_State *L, qresolver *R, int32_t r, int kind) {
  int g = qr_gender(L, R, r);
  return !g || g == kind;
}

static int32_t qr_learn(lua_State *L, qresolver *R, int32_t r, int kind) {
  if (r >= 0 && !qr_gender(L, R, r)) R->rec[r].gender = kind;
  return r;
}

/* The nationality score of record r for want (NULL: none wanted). */
static int qr_nat_score(lua_State *L, qresolver *R, int32_t r, qr_str want) {
  const char *s;
  size_t n;
  if (!want.s) return 1;
  if (!qr_nationality(L, R, r, &s, &n)) return 1;
  if (n == want.n && memcmp(s, want.s, n) == 0) return 2;
  return 0;
}

/* The record the speaker's noun phrase at NP stands for, or -1. */
static int32_t qr_resolve(lua_State *L, qresolver *R, int MS, int PS, const qr_np *NP, lua_Integer pos,
                          lua_Integer para, qr_str kind, lua_Integer b) {
  qr_advance(L, R, MS, PS, pos);
  if (kind.n == 4 && memcmp(kind.s, "name", 4) == 0) {
    int32_t E = -1, r;
    size_t nr;
    qr_str name;
    if (R->entities) E = qr_find_mention(L, R, MS, pos, b, R->mptr);
    if (E >= 0 && R->ent[E].type == RT_PERSON && R->ent[E].name.s) {
      qr_str en = R->ent[E].name;
      size_t k;
      for (k = 0; k < en.n && !qr_space((unsigned char)en.s[k]); k++) {
      }
      if (k == en.n) {
        /* a surname the entities kept apart from the full name seen before */
        int32_t full = qr_fallback(L, R, en, pos);
        if (full >= 0 && !qr_eq(R->rec[full].name, en) && R->rec[full].type == RT_PERSON) {
          qr_mentioned(R, full, pos);
          if (qr_np_roles(L, R, NP, &nr)) qr_person(L, R, R->rec[full].name, RT_NONE, 1, nr, pos);
          return full;
        }
      }
    }
    if (E >= 0) {
      if (!R->ent[E].name.s) luaL_error(L, "quote_resolver: an entity without a name");
      /* (an entity read before has its record, its roles and type merged
       * in: only the mention is new) */
      if (R->ent[E].rec >= 0) {
        r = R->ent[E].rec;
        qr_mentioned(R, r, pos);
      } else {
        r = qr_entity_person(L, R, MS, E, R->ent[E].type, pos);
      }
      if (qr_np_roles(L, R, NP, &nr)) qr_person(L, R, R->ent[E].name, RT_NONE, 1, nr, pos);
      return r;
    }
    name = NP->name;
    if (!name.s) luaL_error(L, "quote_resolver: a name without its text");
    r = qr_fallback(L, R, name, pos);
    {
      int with = qr_np_roles(L, R, NP, &nr);
      qr_person(L, R, R->rec[r].name, RT_NONE, with, nr, pos);
    }
    return r;
  } else if (kind.n == 7 && memcmp(kind.s, "pronoun", 7) == 0) {
    qr_str pron = NP->pron, pk = { NULL, 0 };
    if (pron.s) {
      if (qr_list_get(L, QH_PRONOUNS, pron.s, pron.n) == LUA_TSTRING) pk = qr_tostr(L, -1);
      lua_pop(L, 1);
    }
    if (pk.n == 1 && (pk.s[0] == 'm' || pk.s[0] == 'f')) {
      int g = pk.s[0];
      lua_Integer k, before = -1, recent = -1, nm = (lua_Integer)R->nment, ns = (lua_Integer)R->nspk, lo;
      /* the most recent person of that gender mentioned before, outside quotes */
      lo = nm - QR_BACK > 1 ? nm - QR_BACK : 1;
      for (k = nm; k >= lo; k--) {
        if (qr_fits_gender(L, R, R->pm[k - 1].rec, g)) {
          before = k - 1;
          break;
        }
      }
      /* the most recent speaker of that gender, in this or the two paragraphs before */
      lo = ns - QR_BACK > 1 ? ns - QR_BACK : 1;
      for (k = ns; k >= lo; k--) {
        int32_t f = R->spk[k - 1];
        if (para - R->f[f].para > 2) break;
        if (qr_fits_gender(L, R, R->f[f].rec, g)) {
          recent = f;
          break;
        }
      }
      /* a person mentioned in this paragraph, or in the one before after
       * the last speaker had spoken, is who the pronoun is about */
      if (before >= 0) {
        lua_Integer bpara = R->pm[before].para;
        if (bpara == para || (bpara == para - 1 && (recent < 0 || R->pm[before].i > R->f[recent].end)))
          return qr_learn(L, R, R->pm[before].rec, g);
      }
      if (recent >= 0) return qr_learn(L, R, R->f[recent].rec, g);
      if (before >= 0) return qr_learn(L, R, R->pm[before].rec, g);
      for (k = ns; k >= lo; k--) {
        int32_t f = R->spk[k - 1];
        if (qr_fits_gender(L, R, R->f[f].rec, g)) return qr_learn(L, R, R->f[f].rec, g);
      }
      return -1;
    } else if (pk.n == 6 && memcmp(pk.s, "neuter", 6) == 0) {
      return R->last_org;
    } else if (pk.n == 6 && memcmp(pk.s, "plural", 6) == 0) {
      /* "they": an organisation that has just spoken ("the company said
       * ... They added"); a group of unnamed people stays unnamed */
      if (R->last_kind_org && R->has_last_para && para - R->last_para <= 1) return R->last_org;
    }
    return -1;
  } else if (kind.n == 4 && memcmp(kind.s, "desc", 4) == 0) {
    qr_str noun, head, want;
    int generic, expert;
    int32_t best = -1, sp;
    int best_score = 0;
    size_t k, ns;
    if (!NP->definite || NP->plural || NP->possessive) return -1;
    noun = NP->noun;
    if (noun.s && noun.n == 3 && memcmp(noun.s, "doc", 3) == 0) return -1;
    head = NP->head;
    if (!head.s) return -1;
    if (noun.s && noun.n == 3 && memcmp(noun.s, "org", 3) == 0) {
      ns = qr_searched(L, R);
      for (k = 0; k < ns; k++) {
        int32_t x = R->sr[k];
        const qr_rec *rec = &R->rec[x];
        if (rec->type == RT_ORG && rec->last && rec->last < pos) {
          /* rec.name:lower():find(head, 1, true) */
          size_t a;
          int hit = head.n == 0;
          for (a = 0; !hit && a + head.n <= rec->name.n; a++) {
            size_t y;
            for (y = 0; y < head.n && qr_lc((unsigned char)rec->name.s[a + y]) == (unsigned char)head.s[y]; y++) {
            }
            if (y == head.n) hit = 1;
          }
          if (hit && (best < 0 || rec->last > R->rec[best].last)) best = x;
        }
      }
      return best;
    }
    /* "one legal expert said ... the expert warned": the unnamed source
     * again (a single one) */
    if (R->has_lu && para - R->lu_para <= 1 &&
        (qr_eq(R->lu_head, head) ||
         (qr_has_class(L, R->lu_head) && qr_has_class(L, head) && qr_expert(L, R->lu_head) && qr_expert(L, head))))
      return -1;
    /* a person by role: the best score, the most recent of equals */
    want = NP->nat;
    ns = qr_searched(L, R);
    for (k = 0; k < ns; k++) {
      int32_t x = R->sr[k];
      lua_Integer last = R->rec[x].last;
      if (R->rec[x].type == RT_PERSON && last && last < pos) {
        int nsc = qr_nat_score(L, R, x, want);
        if (nsc > 0) {
          int score = nsc + qr_rec_fits(L, R, x, head) + (R->rec[x].spoke ? 1 : 0);
          if (best < 0 || score > best_score || (score == best_score && last > R->rec[best].last)) {
            best = x;
            best_score = score;
          }
        }
      }
    }
    if (best >= 0 && best_score >= 3) return best;
    /* an expert, an analyst: the most recent quoted person whose
     * nationality does not conflict */
    expert = qr_expert(L, head);
    generic = NP->generic;
    if (generic) {
      /* "the 66-year-old": the person just written about */
      size_t m = R->nment;
      if (m > 0 && R->pm[m - 1].para >= para - 1 && (R->last_person < 0 || R->pm[m - 1].i > R->f[R->last_person].end))
        return R->pm[m - 1].rec;
    }
    sp = R->last_person;
    if (sp >= 0 && qr_nat_score(L, R, R->f[sp].rec, want) > 0) {
      int32_t sr = R->f[sp].rec;
      int near = para - R->f[sp].para <= 1;
      if (expert || generic) return sr;
      /* "the spokesman said" right after a quote: the same person, unless
       * a role of theirs says otherwise */
      if (near && (R->rec[sr].nroles == 0 || qr_role_fits(L, R, R->rec[sr].roles, head) > 0)) return sr;
    }
    if (sp < 0 && (expert || generic)) {
      /* nobody quoted yet: the person just written about */
      size_t m = R->nment;
      if (m > 0 && R->pm[m - 1].para >= para - 1 && qr_nat_score(L, R, R->pm[m - 1].rec, want) > 0)
        return R->pm[m - 1].rec;
    }
    return -1;
  }
  return -1;
}

/* Pushes text[i, j] (string.sub's range) with runs of white space as one
 * space. */
static void qr_push_squeezed(lua_State *L, qresolver *R, const unsigned char *s, size_t n, lua_Integer i,
                             lua_Integer j) {
  size_t b, e, len;
  lede_range(i, j, n, &b, &e);
  QR_ROOM(L, R->buf, R->cbuf, e - b + 1);
  len = squeeze_into(R->buf, s, b, e);
  lua_pushlstring(L, (const char *)R->buf, len);
}

static void qr_reset(lua_State *L, qresolver *R) {
  (void)L;
  R->nrec = R->nrole = R->nm = R->ntot = R->nent = R->nment = R->nfb = R->fptr = R->nq = R->nf = R->nspk = 0;
  R->narena = 0;
  R->nco = R->nce = R->npos = 0;
  qr_clear(&R->by_name);
  qr_clear(&R->seen);
  qr_clear(&R->fmap);
  R->mptr = R->qp = 0;
  R->mpara = 1;
  R->qlast = 0;
  R->listing = 0;
  R->recent = R->last_org = R->last_person = R->lq_rec = -1;
  R->has_lq = R->has_last_para = R->has_lu = 0;
  R->last_kind_org = 0;
}

static int qr_cmp_int(const void *a, const void *b) {
  lua_Integer x = *(const lua_Integer *)a, y = *(const lua_Integer *)b;
  return x < y ? -1 : x > y;
}

/* Pushes entities[e].mentions. */
static void qr_push_mentions(lua_State *L, const qresolver *R, int ENTS, lua_Integer e) {
  lua_rawgeti(L, ENTS, e);
  qr_getk(L, R, -1, QK_mentions);
  lua_remove(L, -2);
  if (!lua_istable(L, -1)) luaL_error(L, "quote_resolver: entity %d has no mentions", (int)e);
}

/* A speaker written as a pronoun or a description that resolved is a
 * mention of the entity of that name too (the last of that name in
 * entities): each record of R->co adds { i=, j=, text= speaker_text } to
 * its mentions unless one starts there, which are kept in order. */
static void qr_corefs(lua_State *L, qresolver *R, int ENTS, int FOUND) {
  size_t c, x;
  lua_Integer e;
  /* the entity of each speaker's name, the last of that name */
  qr_clear(&R->fmap);
  for (c = 0; c < R->nco; c++) {
    qr_str nm = R->rec[R->co[c].rec].name;
    qr_put(L, &R->fmap, nm.s, nm.n, 0);
  }
  for (e = 1; lua_rawgeti(L, ENTS, e) != LUA_TNIL; e++) {
    if (lua_istable(L, -1)) {
      if (qr_getk(L, R, -1, QK_name) == LUA_TSTRING && e < INT32_MAX) {
        qr_str nm = qr_tostr(L, -1);
        if (qr_get(&R->fmap, nm.s, nm.n) >= 0) qr_put(L, &R->fmap, nm.s, nm.n, (int32_t)e);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  qr_clear(&R->seen);
  for (c = 0; c < R->nco; c++) {
    qr_coref *cf = &R->co[c];
    qr_str nm = R->rec[cf->rec].name;
    int32_t s;
    qr_cent *E;
    int have = 0;
    size_t lo, hi;
    cf->e = qr_get(&R->fmap, nm.s, nm.n);
    if (cf->e <= 0) continue;
    s = qr_get(&R->seen, (const void *)(uintptr_t)cf->e, (size_t)-1);
    qr_push_mentions(L, R, ENTS, cf->e);
    if (s < 0) {
      /* the positions of its mentions, and whether they were in order */
      lua_Integer n = 0, k;
      lua_Number last = 0;
      int ordered = 1, first = 1;
      QR_ROOM(L, R->ce, R->cce, R->nce + 1);
      s = (int32_t)R->nce++;
      E = &R->ce[s];
      E->e = cf->e;
      E->at = R->npos;
      E->added = 0;
      E->added_at = c;
      for (k = 1; lua_rawgeti(L, -1, k) != LUA_TNIL; k++) {
        int t = lua_istable(L, -1) ? qr_getk(L, R, -1, QK_i) : (lua_pushnil(L), LUA_TNIL);
        if (t == LUA_TNUMBER) {
          lua_Number v = lua_tonumber(L, -1);
          int isint;
          lua_Integer iv = lua_tointegerx(L, -1, &isint);
          if (isint) {
            QR_ROOM(L, R->pos, R->cpos, R->npos + 1);
            R->pos[R->npos++] = iv;
          }
          /* (each after the one before; the first after -math.huge) */
          if (first ? (v != v || (v < 0 && v * 0.5 == v)) : !(v > last)) ordered = 0;
          last = v;
        } else {
          ordered = 0;
        }
        first = 0;
        lua_pop(L, 2);
        n++;
      }
      lua_pop(L, 1);
      E = &R->ce[s];
      E->n = R->npos - E->at;
      E->ordered = ordered && (size_t)n == (size_t)lua_rawlen(L, -1);
      qsort(R->pos + E->at, E->n, sizeof *R->pos, qr_cmp_int);
      qr_put(L, &R->seen, (const void *)(uintptr_t)cf->e, (size_t)-1, s);
    }
    E = &R->ce[s];
    /* one starting at i already? (a mention before, or one added) */
    lo = E->at;
    hi = E->at + E->n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (R->pos[mid] < cf->i) lo = mid + 1;
      else hi = mid;
    }
    have = lo < E->at + E->n && R->pos[lo] == cf->i;
    for (x = E->added_at; !have && x < c; x++) {
      if (R->co[x].e == cf->e && R->co[x].i == cf->i && R->co[x].f != 0) have = 1;
    }
    if (have) {
      cf->f = 0; /* (added nothing) */
    } else {
      lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
      lua_createtable(L, 0, 3);
      lua_pushinteger(L, cf->i);
      qr_setk(L, R, -2, QK_i);
      lua_pushinteger(L, cf->j);
      qr_setk(L, R, -2, QK_j);
      lua_rawgeti(L, FOUND, cf->f);
      qr_getk(L, R, -1, QK_speaker_text);
      lua_remove(L, -2);
      qr_setk(L, R, -2, QK_text);
      lua_rawseti(L, -2, n + 1);
      E->added++;
    }
    lua_pop(L, 1);
  }
  /* each back to its place: a sort when they were not in order or many
   * were added, else each added goes back past those after it */
  for (x = 0; x < R->nce; x++) {
    qr_cent *E = &R->ce[x];
    lua_Integer n, k;
    if (E->added == 0) continue;
    qr_push_mentions(L, R, ENTS, E->e);
    n = (lua_Integer)lua_rawlen(L, -1);
    if (!E->ordered || E->added > 8) {
      lua_pushvalue(L, lua_upvalueindex(4));
      lua_insert(L, -2);
      lua_call(L, 1, 0);
      continue;
    }
    for (k = n - E->added + 1; k <= n; k++) {
      lua_Integer mi, y = k - 1;
      int M;
      lua_rawgeti(L, -1, k);
      M = lua_gettop(L);
      qr_getk(L, R, M, QK_i);
      mi = lua_tointeger(L, -1);
      lua_pop(L, 1);
      while (y >= 1) {
        lua_Integer yi;
        lua_rawgeti(L, M - 1, y);
        qr_getk(L, R, -1, QK_i);
        yi = lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (!(yi > mi)) {
          lua_pop(L, 1);
          break;
        }
        lua_rawseti(L, M - 1, y + 1);
        y--;
      }
      lua_rawseti(L, M - 1, y + 1);
    }
    lua_pop(L, 1);
  }
}

/* resolve(mentions, found, quotes, starts, text, out, entities, names,
 * min_unattributed) */
static int l_qr_resolve(lua_State *L) {
  qresolver *R = (qresolver *)lua_touserdata(L, lua_upvalueindex(1));
  const int MS = 1, FOUND = 2, QS = 3, PS = 4, OUT = 6, ENTS = 7, NAMES = 8;
  size_t tlen, k, nout = 0;
  const qspeech *side;
  const unsigned char *text = (const unsigned char *)luaL_checklstring(L, 5, &tlen);
  lua_Integer min_un = luaL_checkinteger(L, 9);
  const quote_list *qlist = test_list(L, QS);
  luaL_checktype(L, FOUND, LUA_TTABLE);
  if (!qlist) luaL_checktype(L, QS, LUA_TTABLE);
  if (!R || R->closed) return luaL_error(L, "quote_resolver: closed");
  R->ps = packed_ranges(L, PS);
  if (!R->ps) luaL_checktype(L, PS, LUA_TTABLE);
  luaL_checktype(L, OUT, LUA_TTABLE);
  /* side: what the parser kept of the records in C (P.side), or nil when
   * the records hold it (np=, para=, send=, nwords=, inherit=) */
  side = (const qspeech *)luaL_testudata(L, 10, QUOTE_SPEECH);
  if (!side && !lua_isnoneornil(L, 10)) return luaL_argerror(L, 10, "lede.QuoteSpeech expected");
  if (side && side->closed) return luaL_error(L, "quote_resolver: closed");
  lua_settop(L, 10);
  luaL_checkstack(L, 30 + QK_COUNT, "quote_resolver");
  R->kb = 10;
  {
    int K;
    for (K = 1; K <= QK_COUNT; K++) lua_rawgeti(L, lua_upvalueindex(3), K);
  }
  qr_reset(L, R);
  R->nps = R->ps ? R->ps->n : (lua_Integer)lua_rawlen(L, PS);
  /* the mentions, and their entities */
  R->entities = lua_istable(L, MS) && lua_rawlen(L, MS) > 0;
  R->ntot = R->entities ? lua_rawlen(L, MS) : 0;
  /* the quotes a person's mention inside of is not counted: whether they
   * are in order and apart */
  R->nq = qlist ? (size_t)qlist->n : lua_rawlen(L, QS);
  QR_ROOM(L, R->q, R->cq, R->nq + 1);
  R->ordered = 1;
  for (k = 0; qlist && k < R->nq; k++) {
    R->q[k].open = qlist->v[k].open;
    R->q[k].end = qlist->v[k].close ? qlist->v[k].close : qlist->v[k].stop;
    if (k > 0 && R->q[k].open <= R->q[k - 1].end) R->ordered = 0;
  }
  for (k = 0; !qlist && k < R->nq; k++) {
    lua_rawgeti(L, QS, (lua_Integer)k + 1);
    R->q[k].open = qr_int_field(L, R, -1, QK_open, "a quote");
    qr_getk(L, R, -1, QK_close);
    if (lua_toboolean(L, -1)) R->q[k].end = qr_int_field(L, R, -2, QK_close, "a quote");
    else R->q[k].end = qr_int_field(L, R, -2, QK_stop, "a quote");
    lua_pop(L, 2);
    if (k > 0 && R->q[k].open <= R->q[k - 1].end) R->ordered = 0;
  }
  /* without mentions: the names of the body as people (names) */
  if (!R->entities && lua_istable(L, NAMES)) {
    size_t nn = lua_rawlen(L, NAMES);
    for (k = 0; k < nn; k++) {
      qr_str name;
      int with;
      size_t nr;
      int32_t r;
      lua_rawgeti(L, NAMES, (lua_Integer)k + 1);
      name = qr_field_str(L, R, -1, QK_name);
      if (!name.s) return luaL_error(L, "quote_resolver: a name without its text");
      qr_getk(L, R, -1, QK_roles);
      with = lua_toboolean(L, -1);
      nr = qr_read_roles(L, R, -1);
      lua_pop(L, 1);
      r = qr_person(L, R, name, RT_PERSON, with, nr, 0);
      QR_ROOM(L, R->fb, R->cfb, R->nfb + 1);
      R->fb[R->nfb].rec = r;
      R->fb[R->nfb].i = qr_int_field(L, R, -1, QK_i, "a name");
      R->fb[R->nfb].para = qr_int_field(L, R, -1, QK_para, "a name");
      R->nfb++;
      lua_pop(L, 1);
    }
  }
  /* the records found */
  R->nf = lua_rawlen(L, FOUND);
  if (side && side->n != R->nf) return luaL_error(L, "quote_resolver: %d records found, the parser kept %d", (int)R->nf, (int)side->n);
  QR_ROOM(L, R->f, R->cf, R->nf + 1);
  QR_ROOM(L, R->spk, R->cspk, R->nf + 1);
  for (k = 0; k < R->nf; k++) {
    R->f[k].rec = -1;
    /* (a record inherits from the record before by its table without
     * side, by its index with it) */
    if (side) continue;
    lua_rawgeti(L, FOUND, (lua_Integer)k + 1);
    qr_put(L, &R->fmap, lua_topointer(L, -1), (size_t)-1, (int32_t)k);
    lua_pop(L, 1);
  }
  for (k = 0; k < R->nf; k++) {
    int F, has_np = 0, skip = 0, written = 0, inherit_kind = 0;
    int32_t rec = -1;
    int32_t inherit_x = -1; /* inherit_kind 1: the record of found inherited from */
    qr_str npkind = { NULL, 0 };
    qr_np np;
    lua_Integer para, nwords = 0;
    int has_nwords = 0;
    lua_rawgeti(L, FOUND, (lua_Integer)k + 1);
    F = lua_gettop(L);
    if (side) {
      const sp_rec *r = &side->rec[k];
      para = r->para;
      R->f[k].para = para;
      if (r->has_send) R->f[k].end = r->send;
      else {
        qr_getk(L, R, F, QK_j);
        R->f[k].end = lua_tointeger(L, -1);
        lua_pop(L, 1);
      }
      if (r->has_np) {
        has_np = 1;
        qr_np_side(side, r, &np);
      }
      if (r->inherit_kind == 2) {
        inherit_kind = 2;
        nwords = r->nwords;
        has_nwords = r->has_send;
      } else if (r->inherit_kind == 1) {
        inherit_kind = 1;
        inherit_x = r->inherit >= 1 && (size_t)r->inherit <= k ? (int32_t)(r->inherit - 1) : -1;
      }
    } else {
      int t;
      para = qr_int_field(L, R, F, QK_para, "a quote");
      R->f[k].para = para;
      qr_getk(L, R, F, QK_send);
      if (lua_toboolean(L, -1)) R->f[k].end = qr_int_field(L, R, F, QK_send, "a quote");
      else {
        qr_getk(L, R, F, QK_j);
        R->f[k].end = lua_tointeger(L, -1);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      if (qr_getk(L, R, F, QK_np) == LUA_TTABLE) {
        has_np = 1;
        qr_np_table(L, R, lua_gettop(L), &np);
      } else {
        lua_pop(L, 1);
      }
      t = qr_getk(L, R, F, QK_inherit);
      if (t == LUA_TSTRING) {
        size_t il;
        const char *is = lua_tolstring(L, -1, &il);
        /* "previous": the quote before, its record and paragraph; another
         * string has no record */
        inherit_kind = il == 8 && memcmp(is, "previous", 8) == 0 ? 2 : 3;
      } else if (t != LUA_TNIL && lua_toboolean(L, -1)) {
        inherit_kind = 1;
        inherit_x = qr_get(&R->fmap, lua_topointer(L, -1), (size_t)-1);
      }
      lua_pop(L, 1);
    }
    if (inherit_kind == 2) {
      if (R->has_lq && para - R->lq_para <= 1) rec = R->lq_rec;
      else {
        if (!side) nwords = qr_int_field(L, R, F, QK_nwords, "a quote");
        else if (!has_nwords) return luaL_error(L, "quote_resolver: a quote without its 'nwords'");
        if (nwords < min_un) skip = 1; /* a short quote nobody said */
      }
    } else if (inherit_kind == 1) {
      if (inherit_x >= 0) rec = R->f[inherit_x].rec;
    } else if (inherit_kind == 0 && has_np) {
      lua_Integer a, b, j;
      if (!np.i_ok) return luaL_error(L, "quote_resolver: a speaker without its 'i'");
      a = np.i;
      b = j = np.j;
      npkind = np.kind;
      /* the speaker as written (a name less a final "'s") */
      if (npkind.s && npkind.n == 4 && memcmp(npkind.s, "name", 4) == 0 && b - a >= 1 && b >= 2 && (size_t)b <= tlen) {
        unsigned c1 = text[b - 2], c2 = text[b - 1];
        if (c2 == 's' && (c1 == 39 || c1 == 0xE2 || c1 == 0x80 || c1 == 0x99)) b -= 2;
      }
      qr_push_squeezed(L, R, text, tlen, a, b);
      qr_setk(L, R, F, QK_speaker_text);
      written = 1;
      rec = qr_resolve(L, R, MS, PS, &np, a, para, npkind, j);
    }
    if (rec >= 0) {
      int rt = R->rec[rec].type;
      R->rec[rec].spoke = 1;
      if (rt == RT_PERSON || rt == RT_UNKNOWN || rt == RT_NONE) {
        R->f[k].rec = rec;
        R->last_person = (int32_t)k;
        R->spk[R->nspk++] = (int32_t)k;
      } else if (rt == RT_ORG) {
        R->last_org = rec;
      }
    }
    if (!skip) {
      int desc = 0;
      R->last_kind_org = rec >= 0 && R->rec[rec].type == RT_ORG;
      if (has_np) {
        qr_str kind = npkind.s ? npkind : np.kind;
        desc = kind.s && kind.n == 4 && memcmp(kind.s, "desc", 4) == 0 ? 1 : kind.s && kind.n == 4 && memcmp(kind.s, "name", 4) == 0 ? 2 : 0;
      }
      if (rec < 0 && desc == 1) {
        qr_str head = np.head;
        if (head.s && !np.plural) {
          R->has_lu = 1;
          R->lu_head = head;
          R->lu_para = para;
        }
      } else if (rec >= 0) {
        R->has_lu = 0;
      }
      R->has_last_para = 1;
      R->last_para = para;
      R->has_lq = 1;
      R->lq_rec = rec;
      R->lq_para = para;
      R->f[k].rec = rec;
      if (qr_getk(L, R, F, QK_text) == LUA_TNIL) {
        qr_push_squeezed(L, R, text, tlen, qr_int_field(L, R, F, QK_i, "a quote"), qr_int_field(L, R, F, QK_j, "a quote"));
        qr_setk(L, R, F, QK_text);
      }
      lua_pop(L, 1);
      if (rec >= 0) lua_pushlstring(L, R->rec[rec].name.s, R->rec[rec].name.n);
      else lua_pushnil(L);
      qr_setk(L, R, F, QK_speaker);
      if (!written) {
        /* (no speaker written: none) */
        lua_pushnil(L);
        qr_setk(L, R, F, QK_speaker_text);
      }
      lua_pushvalue(L, F);
      lua_rawseti(L, OUT, (lua_Integer)++nout);
      if (rec >= 0 && has_np && desc != 2 && np.i_num && np.j_num) {
        /* (its speaker's i and j: those read for it) */
        qr_coref *c;
        QR_ROOM(L, R->co, R->cco, R->nco + 1);
        c = &R->co[R->nco++];
        c->rec = rec;
        c->f = (lua_Integer)k + 1;
        c->e = 0;
        c->i = np.i;
        c->j = np.j;
      }
    }
    lua_settop(L, F - 1);
  }
  if (R->nco > 0 && lua_istable(L, ENTS)) qr_corefs(L, R, ENTS, FOUND);
  return 0;
}

static int l_qr_gc(lua_State *L) {
  qresolver *R = (qresolver *)luaL_checkudata(L, 1, QUOTE_RESOLVER);
  if (!R->closed) {
    R->closed = 1;
    free(R->rec);
    free(R->role);
    free(R->by_name.slot);
    free(R->seen.slot);
    free(R->fmap.slot);
    free(R->men);
    free(R->ent);
    free(R->pm);
    free(R->fb);
    free(R->q);
    free(R->f);
    free(R->spk);
    free(R->sr);
    free(R->co);
    free(R->ce);
    free(R->pos);
    free(R->tmp);
    free(R->buf);
    free(R->arena);
  }
  return 0;
}

static int l_qr_tostring(lua_State *L) {
  qresolver *R = (qresolver *)luaL_checkudata(L, 1, QUOTE_RESOLVER);
  lua_pushfstring(L, "lede.QuoteResolver (%s)", R->closed ? "closed" : "open");
  return 1;
}

/* core.quote_resolver(lists) -> resolve */
static int l_quote_resolver(lua_State *L) {
  qresolver *R;
  int k;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  R = (qresolver *)lua_newuserdatauv(L, sizeof *R, 0);
  memset(R, 0, sizeof *R);
  luaL_setmetatable(L, QUOTE_RESOLVER);
  lua_createtable(L, QH_COUNT, 0);
  for (k = 0; k < QH_COUNT; k++) {
    lua_getfield(L, 1, qh_names[k]);
    if (!lua_istable(L, -1) && !lua_isnil(L, -1))
      return luaL_error(L, "quote_resolver: lists.%s is not a table", qh_names[k]);
    lua_rawseti(L, -2, k + 1);
  }
  lua_createtable(L, QK_COUNT, 0);
  for (k = 0; k < QK_COUNT; k++) {
    lua_pushstring(L, qk_names[k]);
    lua_rawseti(L, -2, k + 1);
  }
  lua_getfield(L, 1, "sort_mentions");
  if (!lua_isfunction(L, -1)) return luaL_error(L, "quote_resolver: lists.sort_mentions is not a function");
  lua_pushcclosure(L, l_qr_resolve, 4);
  return 1;
}

static const luaL_Reg quote_funcs[] = {
  { "token_sentences", l_token_sentences },
  { "prose_blocks", l_prose_blocks },
  { "prose_ranges", l_prose_ranges },
  { "quote_text", l_quote_text },
  { "squeeze", l_squeeze },
  { "cue_set", l_cue_set },
  { "quote_parser", l_quote_parser },
  { "abbrev_set", l_abbrev_set },
  { "quote_resolver", l_quote_resolver },
  { "body_sentences", l_body_sentences },
  { NULL, NULL }
};

void lede_open_quotes(lua_State *L) {
  static const luaL_Reg cue_methods[] = { { "scan", l_cue_scan }, { "close", l_cue_close }, { NULL, NULL } };
  static const luaL_Reg range_methods[] = { { "get", l_ranges_get }, { NULL, NULL } };
  static const luaL_Reg abbrev_methods[] = { { "has", l_abbrev_has }, { NULL, NULL } };
  static const luaL_Reg runs_methods[] = { { "get", l_runs_get }, { NULL, NULL } };
  static const luaL_Reg no_methods[] = { { NULL, NULL } };
  static const luaL_Reg list_methods[] = { { "get", l_qlist_get }, { NULL, NULL } };
  cue_tables();
  sq_tables();
  run_tables();
  lede_new_type(L, CUE_SET, cue_methods, l_cue_close, l_cue_tostring, NULL);
  new_counted(L, QUOTE_RANGES, " ranges", range_methods, NULL);
  lede_new_type(L, ABBREV_SET, abbrev_methods, l_abbrev_gc, l_abbrev_tostring, NULL);
  new_counted(L, QUOTE_RUNS, " ranges", runs_methods, NULL);
  new_counted(L, QUOTE_INTS, "", NULL, l_ints_index);
  lede_new_type(L, QUOTE_RESOLVER, no_methods, l_qr_gc, l_qr_tostring, NULL);
  lede_new_type(L, QUOTE_SPEECH, no_methods, l_speech_gc, l_speech_tostring, NULL);
  lede_new_type(L, QUOTE_LIST, list_methods, l_qlist_gc, l_qlist_tostring, l_qlist_len);
  /* lede.Sentences: s[k] makes the record of sentence k */
  lede_new_type(L, SENTENCES, no_methods, l_sentences_gc, l_sentences_tostring, l_sentences_len);
  luaL_getmetatable(L, SENTENCES);
  lua_pushcfunction(L, l_sentences_index);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, CUE_FILTER);
  lua_pop(L, 1);
  luaL_setfuncs(L, quote_funcs, 0);
  /* the functions that make or read quote records: the field names as
   * upvalue (push_fkeys) */
  {
    static const luaL_Reg keyed[] = { { "quotes", l_quotes },
                                      { "sentence_runs", l_sentence_runs },
                                      { "quote_blocks", l_quote_blocks },
                                      { NULL, NULL } };
    int k;
    for (k = 0; keyed[k].name; k++) {
      push_fkeys(L);
      lua_pushcclosure(L, keyed[k].func, 1);
      lua_setfield(L, -2, keyed[k].name);
    }
  }
  /* quote_tokens keeps its token records from one call to the next */
  lua_pushnil(L);
  push_fkeys(L);
  lua_pushcclosure(L, l_quote_tokens, 2);
  lua_setfield(L, -2, "quote_tokens");
}
