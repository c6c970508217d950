/* entities.c: the scanners of the entities stage, and the record of what
 * they find.
 *
 * The stage's per-block work is here: the gazetteer matches of a block kept
 * in C (lede.EntityMatches: records and three position maps), the reading
 * of its capitalised runs, roles and the words around a name, and the
 * recording of entities, mentions and roles in the stage's document record
 * (core.entity_runs, entity_known, entity_resolve, entity_doc,
 * entity_mention, entity_person); core.entity_output builds the stage's
 * output from it. docs/core.md describes each function.
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

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lede.h"
#if defined(__GNUC__) && defined(__SSE2__)
#include <emmintrin.h>
#endif

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
  int jit; /* re is JIT-compiled */
  pcre2_match_data *md;
  unsigned char *page[CC_PAGES];
  lua_Integer *out; /* the runs of the text being scanned, before they go to Lua */
  size_t out_cap;
  /* the document record core.entity_new made last, held in the registry
   * (dref) until core.entity_output so that no other table takes its
   * address, and its stores: its D.at and D.pending found without reading
   * its fields */
  const void *dptr;
  struct MStore *dms;
  struct PStore *dps;
  int dref, has_dref;
  /* the block records core.entity_blocks made, kept to be made again (their
   * arrays are reused): a table in the registry (pool_ref) holds nfree of
   * them, [1..nfree], of which [1..nused] are the document dptr's */
  int pool_ref, has_pool;
  size_t nfree, nused;
  /* core.entity_blocks' body blocks: per block its place in blocks, i
   * and j (bq, three each), and its text in a table in the registry
   * (btx_ref: [1..] the b.text values, false when none) */
  lua_Integer *bq;
  size_t bq_cap;
  int btx_ref, has_btx;
  /* the stores of the last record done (core.entity_output of dptr), to
   * be made again by the next core.entity_new: a table in the registry
   * holding its at, pending, pvals and list (has_spare: it holds them) */
  int spare_ref, has_spare_ref, has_spare;
  /* the info table of core.entity_matches read last (held in the registry
   * by info_ref) and, per phrase id 1..npinfo, what the matches read of it
   * (PI_* bits); pinfo_ok 0: the table has values the flags do not give,
   * read from it then */
  const void *info_ptr;
  int info_ref, has_info_ref, pinfo_ok;
  uint16_t *pinfo;
  size_t npinfo;
  /* core.entity_output's scratch arrays (see there) */
  void *opos, *oeo;
  size_t opos_cap, oeo_cap;
  /* core.entity_resolve's list of the pending names left to the end,
   * kept for the next document (rbusy: in use, as obusy) */
  lua_Integer *later;
  size_t later_cap;
  int rbusy;
  /* the document of core.entity_new is in a language other than English
   * (its third argument): the readers' Cue.foreign; and that language's
   * stopwords (a lede.WordSet held by fstop_ref, or NULL): Cue.fstop */
  int foreign;
  const void *fstop;
  int fstop_ref, has_fstop_ref;
  int obusy; /* in use (an output run from a finalizer inside one, or one
              * that raised, takes userdata instead) */
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
  free(c->bq);
  c->bq = NULL;
  c->bq_cap = 0;
  free(c->pinfo);
  c->pinfo = NULL;
  c->npinfo = 0;
  free(c->later);
  c->later = NULL;
  c->later_cap = 0;
  c->fstop = NULL; /* (its registry reference goes with the state) */
  c->foreign = 0;
  free(c->opos);
  free(c->oeo);
  c->opos = c->oeo = NULL;
  c->opos_cap = c->oeo_cap = 0;
  c->info_ptr = NULL;
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
    /* (a page is 256 matches: the JIT's are several times cheaper than the
     * interpreter's; without it, the interpreter answers alike) */
    c->jit = pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE) == 0;
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
    rc = c->jit ? pcre2_jit_match(c->re, buf, n, 0, 0, c->md, NULL)
                : pcre2_match(c->re, buf, n, 0, 0, c->md, NULL);
    if (rc > 1) {
      static const unsigned char bits[6] = {0, U_LU | U_L, U_LL | U_L, U_L, U_M, U_N};
      pg[x] = bits[rc - 1 < 6 ? rc - 1 : 0];
    }
  }
  return pg;
}

/* The field names the readers below look records up by, interned once: the
 * upvalues of core.entity_cue, entity_roles, entity_runs, entity_matches,
 * entity_index and entity_output (KEY_x is the upvalue holding "x"), so that
 * no look-up hashes a C string. The records are plain tables (raw access). */
#define ENT_KEYS(X) X(_role) X(done) X(key) X(off) X(role_spans) X(short) X(at) X(acronyms) X(aliases) X(country) X(cover) X(cue_places) X(dead) X(demonym) X(ends_at) X(english_seen) X(english_seen_max) X(english_seen_n) X(entity) X(etype) X(gender) X(i) X(j) X(kind) X(list) X(mentions) X(multi) X(name) X(nationality) X(ncap) X(nsp) X(org) X(pending) X(roles) X(run_a) X(s) X(starts_at) X(target) X(text) X(titlecase) X(type) X(pvals)
#define ENT_KEY_ENUM(x) KEY_##x,
#define ENT_KEY_NAME(x) #x,
enum { KEY_NONE_ = 0, ENT_KEYS(ENT_KEY_ENUM) KEY_END_ };
#define ENT_NKEYS (KEY_END_ - 1)
static const char *const ent_key_names[] = {ENT_KEYS(ENT_KEY_NAME) NULL};

/* A match record of a block, held by the readers as a light userdata
 * (see lede.EntityMatches below): key_get and key_set read and write its
 * fields. */
struct MRec;
static void mrec_get(lua_State *L, const struct MRec *r, int key);
static void mrec_set(lua_State *L, struct MRec *r, int key);
static int block_get(lua_State *L, int t, int key);
static int block_set(lua_State *L, int t, int key);
static void mx_to_view(lua_State *L, int key);

/* Pushes t[key] (raw on a table; a match record's field; as lua_getfield
 * does on anything else). A block's starts_at, ends_at or cover that is a
 * lede.EntityMatches comes as the view of that map (mx_to_view). */
static void key_get(lua_State *L, int t, int key) {
  int tt;
  if (t < 0) t = lua_absindex(L, t);
  tt = lua_type(L, t);
  if (tt != LUA_TTABLE) {
    if (tt == LUA_TLIGHTUSERDATA) {
      mrec_get(L, (const struct MRec *)lua_touserdata(L, t), key);
      return;
    }
    if (tt == LUA_TUSERDATA && block_get(L, t, key)) return;
    lua_getfield(L, t, ent_key_names[key - 1]);
    return;
  }
  lua_pushvalue(L, lua_upvalueindex(key));
  if (lua_rawget(L, t) == LUA_TUSERDATA &&
      (key == KEY_starts_at || key == KEY_ends_at || key == KEY_cover))
    mx_to_view(L, key);
}

/* t[key] = the value on top, popped (raw on a table; a match record's
 * field; else as lua_setfield). */
static void key_set(lua_State *L, int t, int key) {
  int tt;
  if (t < 0) t = lua_absindex(L, t);
  tt = lua_type(L, t);
  if (tt != LUA_TTABLE) {
    if (tt == LUA_TLIGHTUSERDATA) {
      mrec_set(L, (struct MRec *)lua_touserdata(L, t), key);
      return;
    }
    if (tt == LUA_TUSERDATA && block_set(L, t, key)) return;
    lua_setfield(L, t, ent_key_names[key - 1]);
    return;
  }
  lua_pushvalue(L, lua_upvalueindex(key));
  lua_pushvalue(L, -2);
  lua_rawset(L, t);
  lua_pop(L, 1);
}

/* Pushes t[key] when it is a table; else a new table, made t[key]. */
static void key_table(lua_State *L, int t, int key) {
  if (t < 0) t = lua_absindex(L, t);
  key_get(L, t, key);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    key_set(L, t, key);
  }
}

/* Pushes the field name key (its interned string). */
#define push_key(L, key) lua_pushvalue((L), lua_upvalueindex(key))

/* Pushes the function f as a closure over the interned field names and, as
 * upvalue ENT_NKEYS + 1, the lede.CharClass at stack index cc. */
static void push_keyed(lua_State *L, lua_CFunction f, int cc) {
  int k;
  cc = lua_absindex(L, cc);
  luaL_checkstack(L, ENT_NKEYS + 2, "entities");
  for (k = 0; k < ENT_NKEYS; k++) lua_pushstring(L, ent_key_names[k]);
  lua_pushvalue(L, cc);
  lua_pushcclosure(L, f, ENT_NKEYS + 1);
}

/* The lede.CharClass of the running function: every function push_keyed
 * made (those that read a document record) has it as its last upvalue. */
#define doc_cache(L) ((CharClass *)lua_touserdata((L), lua_upvalueindex(ENT_NKEYS + 1)))

static void pool_done(lua_State *L, CharClass *cc, int recycle);

/* Forgets the last document record (its registry reference let go); with
 * recycle (the document is done), its block records go to the pool. */
static void doc_forget(lua_State *L, CharClass *cc, int recycle) {
  pool_done(L, cc, recycle);
  if (cc->has_dref) luaL_unref(L, LUA_REGISTRYINDEX, cc->dref);
  cc->has_dref = 0;
  cc->dptr = NULL;
  cc->dms = NULL;
  cc->dps = NULL;
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
static unsigned char apostrophe_bytes[256]; /* ' and the bytes of ’ (inner_apostrophe) */

static void init_ascii(void) {
  int c;
  for (c = 'A'; c <= 'Z'; c++) ascii_cat[c] = U_LU | U_L;
  for (c = 'a'; c <= 'z'; c++) ascii_cat[c] = U_LL | U_L;
  for (c = '0'; c <= '9'; c++) ascii_cat[c] = U_N;
  for (c = 0; c < 256; c++) byte_cat[c] = c < 0x80 ? ascii_cat[c] : U_HIGH;
  apostrophe_bytes['\''] = apostrophe_bytes[0xE2] = apostrophe_bytes[0x80] = apostrophe_bytes[0x99] = 1;
}

static void init_conn(void);

#define AN_ONES 0x0101010101010101ull
#define AN_HIGH 0x8080808080808080ull

/* Where the run of ASCII letters and digits from s[q] ends: s[n] is read
 * and must be no such byte (a Lua string's terminating zero); eight bytes
 * at a time. */
static inline size_t alnum_end(const unsigned char *s, size_t q, size_t n) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (q + 8 <= n + 1) {
    uint64_t w, x, l, digit, alpha, stop;
    memcpy(&w, s + q, 8);
    x = w & ~AN_HIGH;
    l = x | (0x20 * AN_ONES);
    digit = (x + (0x80 - '0') * AN_ONES) & ~(x + (0x80 - '9' - 1) * AN_ONES);
    alpha = (l + (0x80 - 'a') * AN_ONES) & ~(l + (0x80 - 'z' - 1) * AN_ONES);
    stop = ~((digit | alpha) & ~w) & AN_HIGH;
    if (stop) return q + ((size_t)__builtin_ctzll(stop) >> 3);
    q += 8;
  }
#else
  (void)n;
#endif
  while (byte_cat[s[q]] & U_LMN) q++;
  return q;
}

/* Whether ASCII byte c can matter to caps_scan: a capital, a digit, a
 * hyphen ("al-Assad"); the others (lower-case letters, spaces and other
 * marks) start no run, nor does a lower-case word with no hyphen after it. */
#define CAPS_DULL(c) ((c) < 0x80 && !(byte_cat[c] & (U_LU | U_N)) && (c) != '-')

/* Where the bytes that cannot matter to caps_scan (CAPS_DULL) from s[p]
 * end (at most n), eight at a time. */
static size_t dull_end(const unsigned char *s, size_t p, size_t n) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (p + 8 <= n) {
    uint64_t w, x, t, upper, digit, dash, hit;
    memcpy(&w, s + p, 8);
    x = w & ~AN_HIGH;
    upper = (x + (0x80 - 'A') * AN_ONES) & ~(x + (0x80 - 'Z' - 1) * AN_ONES);
    digit = (x + (0x80 - '0') * AN_ONES) & ~(x + (0x80 - '9' - 1) * AN_ONES);
    t = w ^ ('-' * AN_ONES);
    dash = ~(((t & ~AN_HIGH) + ~AN_HIGH) | t | ~AN_HIGH);
    hit = (upper | digit | w | dash) & AN_HIGH;
    if (hit) return p + ((size_t)__builtin_ctzll(hit) >> 3);
    p += 8;
  }
#endif
  while (p < n && CAPS_DULL(s[p])) p++;
  return p;
}

static unsigned cat_slow(Text *t, size_t p, size_t *len) {
  uint32_t cp;
  const unsigned char *pg;
  /* U+2000..U+203F (spaces, dashes, quotes: ’ “ ” —) are no letters, marks
   * nor digits: the commonest characters past ASCII in news text */
  if (t->s[p] == 0xE2 && p + 2 < t->n && t->s[p + 1] == 0x80 && (t->s[p + 2] & 0xC0) == 0x80) {
    *len = 3;
    return 0;
  }
  cp = lede_utf8_decode(t->s, p, t->n, len);
  if (cp == LEDE_BAD) return 0;
  pg = t->cc->page[cp >> 8];
  if (pg == NULL) pg = cc_page(t->L, t->cc, cp >> 8);
  return pg[cp & 0xFF];
}

/* Categories of the character at p (p < n); *len its bytes. */
static inline unsigned cat_at(Text *t, size_t p, size_t *len) {
  unsigned c = t->s[p];
  if (c < 0x80) {
    *len = 1;
    return ascii_cat[c];
  }
  /* two bytes (Latin, Greek, Cyrillic, ...) on a page already made */
  if (c >= 0xC2 && c <= 0xDF && p + 1 < t->n && (t->s[p + 1] & 0xC0) == 0x80) {
    uint32_t cp = ((uint32_t)(c & 0x1F) << 6) | (t->s[p + 1] & 0x3F);
    const unsigned char *pg = t->cc->page[cp >> 8];
    if (pg != NULL) {
      *len = 2;
      return pg[cp & 0xFF];
    }
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

/* One WORD at p: its end, or 0 (a WORD is never empty and p < its end).
 * t->s[t->n] is read (a Lua string's terminating zero). */
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
    if (s[p] < 0x80 && !(p + 1 < n && s[p + 1] == '.')) {
      /* an ASCII capital and no initial: the word's letters, marks and
       * digits (ASCII ones read here) */
      q = alnum_end(s, p + 1, n); /* (s[n] is 0: it stops there) */
      if (q < n && s[q] >= 0x80) q = skip_cat(t, q, U_LMN);
      goto parts;
    }
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
  parts:
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

#define CONN_MAX (sizeof conn_words / sizeof conn_words[0])

static size_t conn_len[CONN_MAX];
/* per first byte, the connectors starting with it (indexes into
 * conn_words, ended by CONN_MAX - 1, the NULL slot) */
static unsigned char conn_first[128][16];

static void init_conn(void) {
  size_t k, used[128] = {0};
  int c;
  for (c = 0; c < 128; c++) memset(conn_first[c], CONN_MAX - 1, sizeof conn_first[c]);
  for (k = 0; conn_words[k] != NULL; k++) {
    unsigned char f = (unsigned char)conn_words[k][0];
    conn_len[k] = strlen(conn_words[k]);
    if (f < 128 && used[f] + 1 < sizeof conn_first[f]) conn_first[f][used[f]++] = (unsigned char)k;
  }
}

/* The length of the connector at p when a space follows it, or 0 (no two
 * connectors can both be followed by a space there: one would be a
 * prefix of the other, with a space in its place). */
static size_t conn_at(Text *t, size_t p) {
  const unsigned char *s = t->s, *f;
  size_t n = t->n;
  unsigned char c;
  if (p >= n) return 0;
  c = s[p];
  if (!(c == '&' || (c >= 'a' && c <= 'y'))) return 0;
  for (f = conn_first[c]; *f != CONN_MAX - 1; f++) {
    size_t l = conn_len[*f];
    if (p + l < n && s[p + l] == ' ' && memcmp(s + p, conn_words[*f], l) == 0) return l;
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
    if (e2 == 0) {
      if (s[q] >= 'a' && s[q] <= 'z') {
        /* a lower-case ASCII word: one only as "al-Assad" (word_at's
         * test, read here: up to three letters and a hyphen) */
        size_t x = q + 1;
        while (x < q + 4 && s[x] >= 'a' && s[x] <= 'z') x++;
        if (x == q + 4 || (s[x] < 0x80 && s[x] != '-')) break;
      }
      e2 = word_at(t, q);
    }
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

/* ---- word tables: words hashed by set and bytes ----------------------- */

/* An open-addressing table of words, each tagged with the number of the set
 * it belongs to (0 when there is one set): core.english_set's
 * lede.EnglishSet and core.entity_sets' lede.EntitySets. */
typedef struct WordTable WordTable;

/* A word of a word table: its place in buf and length, and its set. */
typedef struct {
  uint32_t off, len;
  unsigned char set;
} WEntry;

/* A word table's slots are 32-bit: 0 for an empty slot, else eight bits of
 * the word's hash (WT_TAG) above 1 + the index of its entry. Most look-ups
 * are of words not there, and most slots that are not the word's are told
 * apart by the tag: a probe reads one small array only. */
#define WT_MAX_WORDS 0xFFFFFEu
#define WT_MAX_BYTES 0xFFFFFFF0u
#define WT_TAG(h) ((uint32_t)((uint64_t)(h) >> 56) << 24)

struct WordTable {
  unsigned char *buf; /* the words, one after another */
  uint32_t *slot;
  WEntry *ent;        /* used entries */
  /* lede.EntitySets: per entry of set byte 0, the sets 0..63 that hold
   * its word (bit k: set k), so that a word asked of several sets is
   * found in one place; pairs: (set, word) pairs held */
  uint64_t *sets;
  size_t pairs;
  /* lede.EntitySets: a filter of its (set, word) pairs of sets 0..63 (two
   * bits of one 64-bit word each, fmask + 1 words): most words asked are
   * in no set, and the filter, small, says so without a probe */
  uint64_t *filt;
  size_t fmask;
  size_t mask;        /* slots - 1 (a power of two) */
  size_t used, bytes, at, cap;
  int closed;
  WordTable *seen; /* lede.EntitySets: the words cue_english has answered */
  /* lede.EntitySets: per set k < lfk and length n (15: 15 or more), the
   * first bytes of its words of that length (bit b & 63 of row
   * lf[16 k + n]): most words asked of a set are told apart by these,
   * unhashed */
  uint64_t *lf;
  int lfk;
  unsigned mark;   /* ES_MARK for a lede.EntitySets, WS_MARK for a lede.EnglishSet */
};
#define ES_MARK 0x45534554
#define WS_MARK 0x57534554 /* a lede.EnglishSet */

/* The hash of word p[0..n) of set k: eight bytes at a time, then the rest
 * (four to seven bytes as two overlapping reads of four, one to three by
 * their first, middle and last bytes: the length is in the hash), mixed at
 * the end (the tables are made in this process: any byte order). */
static inline size_t wt_hash(int k, const unsigned char *p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)(unsigned)k << 40) ^ (uint64_t)n, w = 0;
  size_t x = 0, r;
  for (; x + 8 <= n; x += 8) {
    memcpy(&w, p + x, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  r = n - x;
  if (r >= 4) {
    uint32_t a, b;
    memcpy(&a, p + x, 4);
    memcpy(&b, p + n - 4, 4);
    w = (uint64_t)a | (uint64_t)b << 32;
  } else if (r > 0) {
    w = (uint64_t)p[x] | (uint64_t)p[x + r / 2] << 8 | (uint64_t)p[n - 1] << 16;
  } else {
    w = 0;
  }
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 29;
  return (size_t)h;
}

/* Whether a[0..n) and b[0..n) are the same bytes (words are short: no
 * call). */
static int same_bytes(const unsigned char *a, const unsigned char *b, size_t n) {
  size_t k;
  for (k = 0; k < n; k++)
    if (a[k] != b[k]) return 0;
  return 1;
}

/* Whether slot value v holds word p[0..n) (tag tag) of set k (k < 0: any). */
static inline int wt_is(const WordTable *t, uint32_t v, uint32_t tag, int k, const unsigned char *p,
                        size_t n) {
  const WEntry *e;
  if ((v & 0xFF000000u) != tag) return 0;
  e = &t->ent[(v & 0xFFFFFFu) - 1];
  return (k < 0 || e->set == (unsigned char)k) && e->len == n && same_bytes(t->buf + e->off, p, n);
}

/* The slot of word p[0..n) of set k (hash h; k < 0: of any set): its own,
 * or the empty one it would take. */
static inline size_t wt_slot_h(const WordTable *t, int k, const unsigned char *p, size_t n, size_t h) {
  size_t x = h & t->mask;
  uint32_t tag = WT_TAG(h), v;
  const uint32_t *sl = t->slot;
  while ((v = sl[x]) != 0 && !wt_is(t, v, tag, k, p, n)) x = (x + 1) & t->mask;
  return x;
}

static inline size_t wt_slot(const WordTable *t, int k, const unsigned char *p, size_t n) {
  return wt_slot_h(t, k, p, n, wt_hash(k, p, n));
}

static inline int wt_has(const WordTable *t, int k, const unsigned char *p, size_t n) {
  return t->slot[wt_slot(t, k, p, n)] != 0;
}

/* Room for `words` words of `bytes` bytes in all; raises when out of memory
 * or past the limits (the table is a userdata with a __gc, which frees what
 * was taken). */
static void wt_alloc(lua_State *L, WordTable *t, size_t bytes, size_t words) {
  size_t slots = 16;
  if (bytes > WT_MAX_BYTES || words > WT_MAX_WORDS) luaL_error(L, "word table: too many words");
  while (slots < 2 * words) slots *= 2;
  t->buf = (unsigned char *)malloc(bytes > 0 ? bytes : 1);
  t->slot = (uint32_t *)calloc(slots, sizeof(uint32_t));
  t->ent = (WEntry *)malloc((words > 0 ? words : 1) * sizeof(WEntry));
  if (t->buf == NULL || t->slot == NULL || t->ent == NULL) luaL_error(L, "not enough memory");
  t->mask = slots - 1;
  t->bytes = bytes;
  t->cap = words;
}

/* Puts word p[0..n) (hash h) with set byte k at slot x (found for it),
 * unless the slot is taken (the word is there) or the table's bytes or
 * entries are used up. */
static void wt_put(WordTable *t, size_t x, size_t h, int k, const unsigned char *p, size_t n) {
  if (t->slot[x] == 0 && t->at + n <= t->bytes && t->used < t->cap) {
    WEntry *e = &t->ent[t->used];
    memcpy(t->buf + t->at, p, n);
    e->off = (uint32_t)t->at;
    e->len = (uint32_t)n;
    e->set = (unsigned char)k;
    t->used++;
    t->slot[x] = WT_TAG(h) | (uint32_t)t->used;
    t->at += n;
  }
}

/* Adds word p[0..n) to set k, unless it is there or the bytes measured for
 * the table are used up. */
static void wt_add(WordTable *t, int k, const unsigned char *p, size_t n) {
  size_t h = wt_hash(k, p, n);
  wt_put(t, wt_slot_h(t, k, p, n, h), h, k, p, n);
}

static void wt_free(WordTable *t);

/* The answer the table of words seen (wt->seen) keeps for word p[0..n):
 * 1 or 0, or -1 when it has none. */
/* (each word once, hashed as of set 1; its set byte is 1 for yes, 2 for no:
 * one probe finds either answer) */
static size_t seen_slot(const WordTable *t, const unsigned char *p, size_t n, size_t h) {
  return wt_slot_h(t, -1, p, n, h);
}

/* Adds word p[0..n) with answer byte k (1 or 2) to t, unless it is there or
 * the table's bytes are used up. */
static void seen_add(WordTable *t, int k, const unsigned char *p, size_t n) {
  size_t h = wt_hash(1, p, n);
  wt_put(t, seen_slot(t, p, n, h), h, k, p, n);
}

static int seen_get(const WordTable *wt, const unsigned char *p, size_t n) {
  const WordTable *t = wt->seen;
  uint32_t v;
  if (t == NULL || t->used == 0) return -1;
  v = t->slot[seen_slot(t, p, n, wt_hash(1, p, n))];
  if (v == 0) return -1;
  return t->ent[(v & 0xFFFFFFu) - 1].set == 1;
}

/* Forgets the words seen. */
static void seen_clear(WordTable *wt) {
  WordTable *t = wt->seen;
  if (t == NULL) return;
  memset(t->slot, 0, (t->mask + 1) * sizeof(uint32_t));
  t->used = t->at = 0;
}

/* Keeps answer r for word p[0..n) in wt->seen, made or grown as needed (no
 * word is kept when memory runs out or the word is too long: the table is
 * a cache). */
static void seen_put(WordTable *wt, const unsigned char *p, size_t n, int r) {
  WordTable *t = wt->seen;
  if (n > WT_MAX_BYTES / 4) return;
  if (t == NULL || (t->used + 1) * 2 > t->mask + 1 || t->at + n > t->bytes) {
    WordTable *g = (WordTable *)calloc(1, sizeof(WordTable));
    size_t slots = t ? (t->mask + 1) * 2 : 256, bytes = t ? t->bytes * 2 : 2048, x;
    if (g == NULL) return;
    while (bytes < (t ? t->at : 0) + n) bytes *= 2;
    if (bytes > WT_MAX_BYTES || slots / 2 > WT_MAX_WORDS) {
      free(g);
      return;
    }
    g->buf = (unsigned char *)malloc(bytes);
    g->slot = (uint32_t *)calloc(slots, sizeof(uint32_t));
    g->ent = (WEntry *)malloc(slots / 2 * sizeof(WEntry));
    if (g->buf == NULL || g->slot == NULL || g->ent == NULL) {
      wt_free(g);
      free(g);
      return;
    }
    g->mask = slots - 1;
    g->bytes = bytes;
    g->cap = slots / 2;
    if (t != NULL) {
      for (x = 0; x < t->used; x++)
        seen_add(g, t->ent[x].set, t->buf + t->ent[x].off, t->ent[x].len);
      wt_free(t);
      free(t);
    }
    wt->seen = t = g;
  }
  seen_add(t, r ? 1 : 2, p, n);
}

static void wt_free(WordTable *t) {
  if (t->seen != NULL) {
    wt_free(t->seen);
    free(t->seen);
    t->seen = NULL;
  }
  free(t->buf);
  free(t->slot);
  free(t->ent);
  free(t->sets);
  free(t->filt);
  free(t->lf);
  t->lf = NULL;
  t->lfk = 0;
  t->filt = NULL;
  t->fmask = 0;
  t->buf = NULL;
  t->slot = NULL;
  t->ent = NULL;
  t->sets = NULL;
  t->mask = 0;
  t->closed = 1;
}

/* ---- word sets (core.english_set, below): what caps_runs needs -------- */
typedef WordTable EnglishSet;
static int ws_has(const EnglishSet *w, const unsigned char *p, size_t n);
#define WS_MT "lede.EnglishSet"

/* Whether a word has an apostrophe byte (' or one of ’'s) from its second
 * byte on right before an ASCII lower-case letter (word_shape's inner). */
static int inner_apostrophe(const unsigned char *w, size_t n) {
  size_t k;
  for (k = 1; k + 1 < n; k++)
    if (apostrophe_bytes[w[k]] && w[k + 1] >= 'a' && w[k + 1] <= 'z') return 1;
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
/* The runs of s[0..n) (see core.caps_runs) into cc->out, four numbers
 * per run; returns how many numbers. s is a Lua string's bytes: its word
 * loops (and word_at's) stop at s[n], its terminating zero. Counts the
 * spaces of s into *nsp and those before an ASCII capital or digit into
 * *ncap (count_spaces), unless nsp is NULL. */
static void count_spaces(const unsigned char *s, size_t n, lua_Integer *spaces, lua_Integer *caps);

static size_t caps_scan(lua_State *L, CharClass *cc, const unsigned char *s, size_t n,
                        const EnglishSet *skip, lua_Integer *nsp, lua_Integer *ncap) {
  Text t;
  size_t p = 0, len, k = 0;
  unsigned prev = 0;
  lua_Integer spaces = 0, caps = 0;
  t.L = L;
  t.s = s;
  t.n = n;
  t.cc = cc;
  if (nsp != NULL) count_spaces(s, n, &spaces, &caps);
  while (p < n) {
    unsigned c;
    if (CAPS_DULL(s[p])) {
      /* lower-case words, spaces and marks: skipped up to the word that
       * holds the next byte that can matter, which is read from its start
       * as below (the words before it start no run) */
      size_t x = dull_end(s, p, n), w = x;
      while (w > p && (byte_cat[s[w - 1]] & U_LMN)) w--;
      if (w > p) {
        p = w;
        prev = 0; /* (s[w - 1]: ASCII, no letter nor digit) */
        if (p >= n) break;
      }
    }
    c = byte_cat[s[p]];
    if (c == 0) {
      /* ASCII other than letters and digits */
      do {
        p++;
      } while (p < n && byte_cat[s[p]] == 0);
      prev = 0;
      continue;
    }
    if (c != U_HIGH) {
      if (prev & U_LMN) {
        /* inside a word: no run starts before its end */
        p = alnum_end(s, p + 1, n); /* (s[n] is 0: it stops there) */
        continue;
      }
      if (c & U_LL) {
        /* a lower-case word starts a run only as "al-Assad" does (its
         * first four letters at most) */
        size_t q = p + 1;
        if (byte_cat[s[q]] & U_LL) {
          q++;
          if (byte_cat[s[q]] & U_LL) {
            q++;
            if (byte_cat[s[q]] & U_LL) q++;
          }
        }
        if (q >= n || (s[q] < 0x80 && (s[q] != '-' || q - p > 3))) {
          /* and the rest of the word, as inside a word below */
          prev = U_LL | U_L;
          q = alnum_end(s, q, n);
          p = q;
          if (s[q] == ' ') {
            /* most often one space: as the loop above reads it */
            p = q + 1;
            prev = 0;
          }
          continue;
        }
      }
      len = 1;
    } else {
      c = cat_at(&t, p, &len);
      if ((c & U_LMN) && (prev & U_LMN)) {
        /* inside a word: no run starts before its end */
        p += len;
        while (p < n) {
          unsigned b = byte_cat[s[p]];
          if (b == U_HIGH) {
            size_t l2;
            if (!(cat_at(&t, p, &l2) & U_LMN)) break;
            p += l2;
          } else if (b & U_LMN) {
            p++;
          } else {
            break;
          }
        }
        prev = U_L;
        continue;
      }
      if ((c & U_LL) && !(prev & U_LMN)) {
        /* as above, for other scripts: a lower-case word starts a run
         * only as "al-Assad" does (word_at's test, its letters read once) */
        size_t q = p + len, l2;
        int k = 1;
        while (k < 4 && q < n && (cat_at(&t, q, &l2) & U_LL)) {
          q += l2;
          k++;
        }
        if (k > 3 || q >= n || s[q] != '-') {
          prev = U_LL | U_L;
          p = q;
          continue;
        }
      }
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
  if (nsp != NULL) {
    *nsp = spaces;
    *ncap = caps;
  }
  return k;
}

#define CS_ONES 0x0101010101010101ull
#define CS_HIGH 0x8080808080808080ull

/* The number of bytes of m with their high bit set (m has no other bit). */
static unsigned count_high(uint64_t m) {
  return (unsigned)(((m >> 7) * CS_ONES) >> 56);
}

/* The spaces of s[0..n) and those before an ASCII capital or digit. */
static void count_spaces(const unsigned char *s, size_t n, lua_Integer *spaces, lua_Integer *caps) {
  size_t x = 0;
  *spaces = *caps = 0;
#if defined(__GNUC__) && defined(__SSE2__)
  /* sixteen bytes at a time, and the sixteen after each: per byte lane, a
   * count of the spaces and of those before a capital or digit, added up
   * at least every 255 rounds */
  while (x + 17 <= n) {
    __m128i as = _mm_setzero_si128(), ac = _mm_setzero_si128(), zero = _mm_setzero_si128();
    const __m128i sp = _mm_set1_epi8(' '), ua = _mm_set1_epi8('A'), u25 = _mm_set1_epi8(25),
                  d0 = _mm_set1_epi8('0'), d9 = _mm_set1_epi8(9);
    int r;
    for (r = 0; r < 255 && x + 17 <= n; r++, x += 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + x));
      __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + x + 1));
      __m128i isp = _mm_cmpeq_epi8(v, sp);
      __m128i tu = _mm_sub_epi8(v1, ua), td = _mm_sub_epi8(v1, d0);
      __m128i cap = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(tu, u25), tu),
                                 _mm_cmpeq_epi8(_mm_min_epu8(td, d9), td));
      as = _mm_sub_epi8(as, isp);
      ac = _mm_sub_epi8(ac, _mm_and_si128(isp, cap));
    }
    as = _mm_sad_epu8(as, zero);
    ac = _mm_sad_epu8(ac, zero);
    *spaces += (lua_Integer)(_mm_cvtsi128_si32(as) + _mm_cvtsi128_si32(_mm_srli_si128(as, 8)));
    *caps += (lua_Integer)(_mm_cvtsi128_si32(ac) + _mm_cvtsi128_si32(_mm_srli_si128(ac, 8)));
  }
#endif
  /* eight bytes at a time, and the eight after each */
  for (; x + 9 <= n; x += 8) {
    uint64_t w, w1, t, sp;
    memcpy(&w, s + x, 8);
    memcpy(&w1, s + x + 1, 8);
    t = w ^ (0x20 * CS_ONES);
    sp = ~(((t & ~CS_HIGH) + ~CS_HIGH) | t | ~CS_HIGH); /* the bytes that are ' ' */
    if (sp == 0) continue;
    *spaces += count_high(sp);
    *caps += count_high(sp & (lede_bytes_in(w1, 'A', 'Z') | lede_bytes_in(w1, '0', '9')));
  }
  for (; x < n; x++) {
    if (s[x] == ' ') {
      ++*spaces;
      if (x + 1 < n && (byte_cat[s[x + 1]] & (U_LU | U_N))) ++*caps;
    }
  }
}

static int l_caps_runs(lua_State *L) {
  size_t n, k, x;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  CharClass *cc = (CharClass *)lua_touserdata(L, lua_upvalueindex(1));
  const EnglishSet *skip = NULL;
  lua_Integer spaces, caps;
  if (!lua_isnoneornil(L, 2)) {
    skip = (const EnglishSet *)luaL_checkudata(L, 2, WS_MT);
    if (skip->closed) return luaL_error(L, "closed");
  }
  lua_settop(L, 2);
  k = caps_scan(L, cc, s, n, skip, &spaces, &caps);
  lua_createtable(L, k > 0x7FFFFFF ? 0x7FFFFFF : (int)k, 0);
  for (x = 0; x < k; x++) {
    lua_pushinteger(L, cc->out[x]);
    lua_rawseti(L, 3, (lua_Integer)x + 1);
  }
  lua_pushinteger(L, (lua_Integer)(k / 4));
  lua_pushinteger(L, spaces);
  lua_pushinteger(L, caps);
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

static int ws_tostring(lua_State *L) {
  EnglishSet *w = (EnglishSet *)luaL_checkudata(L, 1, WS_MT);
  if (w->closed) lua_pushliteral(L, "lede.EnglishSet (closed)");
  else lua_pushfstring(L, "lede.EnglishSet (%d words)", (int)w->used);
  return 1;
}

static int ws_has(const EnglishSet *w, const unsigned char *p, size_t n) {
  return n > 0 && wt_has(w, 0, p, n);
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
  wt_free((EnglishSet *)luaL_checkudata(L, 1, WS_MT));
  return 0;
}

static int l_english_set(lua_State *L) {
  EnglishSet *w;
  size_t bytes = 0, words = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  /* first pass: check and measure */
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    size_t n;
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "english_set: the table must map strings to strings");
    {
      const char *v = lua_tolstring(L, -1, &n);
      size_t q;
      bytes += n;
      /* its words: the bytes that start one (no space, after a space) */
      for (q = 0; q < n; q++)
        if (v[q] != ' ' && (q == 0 || v[q - 1] == ' ')) words++;
    }
    lua_pop(L, 1);
  }
  w = (EnglishSet *)lua_newuserdata(L, sizeof(EnglishSet));
  memset(w, 0, sizeof *w);
  w->mark = WS_MARK;
  luaL_setmetatable(L, WS_MT);
  wt_alloc(L, w, bytes, words);
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    size_t kn, n, p = 0;
    const unsigned char *key = (const unsigned char *)lua_tolstring(L, -2, &kn);
    const unsigned char *v = (const unsigned char *)lua_tolstring(L, -1, &n);
    while (p < n) {
      size_t q = p;
      while (q < n && v[q] != ' ') q++;
      /* only a word its bucket's key starts (the one looked up for it) */
      if (q > p && (q - p < 2 ? q - p : 2) == kn && memcmp(v + p, key, kn) == 0)
        wt_add(w, 0, v + p, q - p);
      p = q + 1;
    }
    lua_pop(L, 1);
  }
  return 1;
}

/* ---- the words around a name (lede.entities' single_cue) -------------- */

/* core.entity_cue(B, sets, i, j, word, frag) reads, for a one-word name no
 * list knows at [i, j] of a block, what the words around it make it:
 * "place", "organization", "organization?" (a verb an organisation or a
 * person could say) or nil. B is lede.entities' block record (s,
 * starts_at, ends_at, cue_places, titlecase, nsp, ncap; titlecase is
 * computed and stored when still 0); sets the array of its word sets (see
 * CUE_* below). Gazetteer match records have i, j, kind, dead, etype,
 * target. */

/* Indexes of the sets array: lede.entities' constant word sets, then those
 * of its state (and the state itself). */
enum {
  CUE_ORG_AFTER_POSS = 1, CUE_ORG_AFTER, CUE_ORG_TITLE_AFTER, CUE_PLACE_TITLE_AFTER, CUE_ORG_BEFORE,
  CUE_ORG_NOUN_AFTER, CUE_ORG_BEFORE2, CUE_PLACE_PREP, CUE_NOT_PLACE_IN, CUE_ORG_VERBS,
  CUE_PLACE_AFTER, CUE_STATE_FOLLOWERS, CUE_PLACE_BEFORE, CUE_PLACE_HEADS, CUE_NAME_PARTICLES,
  CUE_ENGLISH, CUE_FIRST_NAMES, CUE_COMMON, CUE_PROPER, CUE_HONORIFICS, CUE_FORMAL, CUE_ORG_TAILS,
  CUE_PLACE_TAILS, CUE_THING_TAILS, CUE_ORG_HEADS, CUE_STATE, CUE_MODIFIERS, CUE_CUES_AFTER,
  CUE_COMMON_LOWER, CUE_GENERIC, CUE_ABBREV, CUE_SURNAMES, CUE_CUES_BEFORE1, CUE_CUES_BEFORE2,
  CUE_LEGAL, CUE_COMPANY_FORMS, CUE_CSETS
};

/* Kinds of gazetteer matches (lede.entities' K_*). */
#define K_ENTITY 1
#define K_DEMONYM 2
#define K_TITLE 3

typedef WordTable EntitySets;

/* Whether set k of the EntitySets e holds word p[0..n): sets 0 to 63 by
 * the word's entry of set byte 0 and its bits, others by their own
 * entries. */
/* The filter word and bits of the pair (set k, word of hash h). */
static inline uint64_t es_filt_bits(const EntitySets *e, size_t h, int k, size_t *word) {
  uint64_t x = ((uint64_t)h ^ ((uint64_t)(unsigned)k * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
  *word = (size_t)(x >> 40) & e->fmask;
  return ((uint64_t)1 << (x & 63)) | ((uint64_t)1 << ((x >> 6) & 63));
}

/* The row and bit of word p[0..n) of set k in e->lf. */
#define ES_LF_ROW(k, n) ((size_t)(k) * 16 + ((n) < 15 ? (n) : 15))
#define ES_LF_BIT(p, n) ((n) > 0 ? (p)[0] & 63 : 0)

static inline int es_has(const EntitySets *e, int k, const unsigned char *p, size_t n) {
  uint32_t v;
  size_t h;
  if (k < 0 || k > 63 || e->sets == NULL) return wt_has(e, k, p, n);
  if (k < e->lfk && !(e->lf[ES_LF_ROW(k, n)] >> ES_LF_BIT(p, n) & 1)) return 0;
  h = wt_hash(0, p, n);
  if (e->filt != NULL) {
    size_t w;
    uint64_t b = es_filt_bits(e, h, k, &w);
    if ((e->filt[w] & b) != b) return 0;
  }
  v = e->slot[wt_slot_h(e, 0, p, n, h)];
  return v != 0 && (e->sets[(v & 0xFFFFFFu) - 1] >> k & 1);
}

/* Adds word p[0..n) to set k of e (see es_has), unless the bytes measured
 * for the table are used up. */
static void es_add(EntitySets *e, int k, const unsigned char *p, size_t n) {
  size_t x;
  uint32_t v;
  if (k < 0 || k > 63 || e->sets == NULL) {
    size_t used = e->used;
    wt_add(e, k, p, n);
    e->pairs += e->used - used;
    return;
  }
  x = wt_slot(e, 0, p, n);
  if (e->slot[x] == 0) wt_put(e, x, wt_hash(0, p, n), 0, p, n);
  v = e->slot[x];
  if (v != 0 && !(e->sets[(v & 0xFFFFFFu) - 1] >> k & 1)) {
    e->sets[(v & 0xFFFFFFu) - 1] |= (uint64_t)1 << k;
    e->pairs++;
    if (k < e->lfk) e->lf[ES_LF_ROW(k, n)] |= (uint64_t)1 << ES_LF_BIT(p, n);
    if (e->filt != NULL) {
      size_t w;
      uint64_t b = es_filt_bits(e, wt_hash(0, p, n), k, &w);
      e->filt[w] |= b;
    }
  }
}

struct MIndex;

typedef struct {
  lua_State *L;
  const unsigned char *s; /* the block text */
  lua_Integer n;
  int sets;             /* stack index of the sets array */
  const EntitySets *es; /* sets[CUE_CSETS], or NULL */
  struct MIndex *bx;    /* the block record at stack index bxi, when known (else NULL) */
  int bxi;
  int vi[3]; /* with bx: the stack indexes holding the views of its maps
              * (starts, ends, cover; 0: none) */
  int li;    /* with bx: the stack index holding bx itself as its list (0: none) */
  /* the document is in another language than English (core.entity_new's
   * third argument): every word counts as a common English word
   * (cue_english), so that no capitalised word is a name for being no
   * English word, as every word of a German or Spanish text would be;
   * fstop: the stopwords of its language (a lede.WordSet), or NULL */
  int foreign;
  const void *fstop;
} Cue;

#define ESETS_MT "lede.EntitySets"

/* Reads sets[CUE_CSETS] (the hashed sets, core.entity_sets) into c->es. */
static void cue_sets_init(Cue *c) {
  const EntitySets *e;
  lua_rawgeti(c->L, c->sets, CUE_CSETS);
  /* (a userdata of its size and mark: cheaper than its metatable) */
  e = lua_type(c->L, -1) == LUA_TUSERDATA && lua_rawlen(c->L, -1) == sizeof(EntitySets)
          ? (const EntitySets *)lua_touserdata(c->L, -1)
          : NULL;
  if (e != NULL && (e->mark != ES_MARK || e->closed)) e = NULL; /* closed: the tables */
  lua_pop(c->L, 1); /* (the array keeps it) */
  c->es = e;
  c->bx = NULL;
  c->vi[0] = c->vi[1] = c->vi[2] = 0;
  c->li = 0;
  {
    /* (NULL in a function without the stage's upvalues) */
    const CharClass *cc = doc_cache(c->L);
    c->foreign = cc != NULL && cc->foreign;
    c->fstop = cc != NULL ? cc->fstop : NULL;
  }
}

/* The byte at 1-based position p, or -1 outside the text. */
static int cue_byte(const Cue *c, lua_Integer p) { return p >= 1 && p <= c->n ? c->s[p - 1] : -1; }

static int is_lower_b(int b) { return b >= 'a' && b <= 'z'; }

/* Pushes w[0..n) lowered (tolower, as string.lower). */
static void push_lower(lua_State *L, const unsigned char *w, size_t n) {
  luaL_Buffer b;
  size_t x;
  luaL_buffinit(L, &b);
  for (x = 0; x < n; x++) luaL_addchar(&b, (char)tolower(w[x]));
  luaL_pushresult(&b);
}

/* Whether sets[k] holds the bytes w[0..n) (lowered with tolower first when
 * `lower`): in the hashed sets, else as a Lua table lookup. */
static int cue_has(Cue *c, int k, const unsigned char *w, size_t n, int lower) {
  lua_State *L = c->L;
  int r;
  if (c->es != NULL && n <= 128) {
    unsigned char low[128];
    size_t x;
    if (!lower) return es_has(c->es, k, w, n);
    for (x = 0; x < n; x++) low[x] = (unsigned char)tolower(w[x]);
    return es_has(c->es, k, low, n);
  }
  lua_rawgeti(L, c->sets, k);
  if (lower) {
    push_lower(L, w, n);
  } else {
    lua_pushlstring(L, (const char *)w, n);
  }
  lua_rawget(L, -2);
  r = lua_toboolean(L, -1);
  lua_pop(L, 2);
  return r;
}

/* The answer of the English-word set at sets[CUE_ENGLISH] for w (no
 * space), lowered with tolower first. */
static int cue_english_set(Cue *c, const unsigned char *w, size_t n) {
  lua_State *L = c->L;
  const EnglishSet *set;
  int r;
  lua_rawgeti(L, c->sets, CUE_ENGLISH);
  set = (const EnglishSet *)luaL_checkudata(L, -1, WS_MT);
  if (set->closed) return luaL_error(L, "closed");
  if (n <= 128) {
    unsigned char low[128];
    size_t x;
    for (x = 0; x < n; x++) low[x] = (unsigned char)tolower(w[x]);
    r = ws_english(set, low, n, 0);
    lua_pop(L, 1); /* the set */
  } else {
    push_lower(L, w, n);
    r = ws_english(set, (const unsigned char *)lua_tostring(L, -1), n, 0);
    lua_pop(L, 2); /* the lowered word, the set */
  }
  return r;
}

/* Whether w (no space) is a common English word, as lede.entities' english
 * answers: the word lowered, then looked up with its suffixes. The answers
 * are kept in a cache of at most the state's english_seen_max words, which
 * starts afresh when full; english_seen_n counts its words. With the hashed
 * sets (c->es) the cache is theirs, in C; without them it is the state's
 * table english_seen. */
static int cue_english(Cue *c, const unsigned char *w, size_t n) {
  lua_State *L = c->L;
  int r, st;
  lua_Integer seen;
  WordTable *es = (WordTable *)c->es;
  if (c->foreign) return 1; /* (kept out of the cache: English answers only) */
  if (es != NULL && !es->closed) {
    r = seen_get(es, w, n);
    if (r >= 0) return r;
  }
  lua_rawgeti(L, c->sets, CUE_STATE);
  st = lua_gettop(L);
  luaL_checktype(L, st, LUA_TTABLE);
  if (es == NULL || es->closed) {
    key_get(L, st, KEY_english_seen);
    lua_pushlstring(L, (const char *)w, n);
    lua_rawget(L, -2);
    if (!lua_isnil(L, -1)) {
      r = lua_toboolean(L, -1);
      lua_settop(L, st - 1);
      return r;
    }
    lua_settop(L, st);
  }
  r = cue_english_set(c, w, n);
  key_get(L, st, KEY_english_seen_n);
  seen = lua_tointeger(L, -1) + 1;
  key_get(L, st, KEY_english_seen_max);
  if (seen > lua_tointeger(L, -1)) {
    seen = 1;
    if (es != NULL && !es->closed) {
      seen_clear(es);
    } else {
      lua_newtable(L);
      key_set(L, st, KEY_english_seen);
    }
  }
  lua_settop(L, st);
  if (es != NULL && !es->closed) {
    seen_put(es, w, n, r);
  } else {
    key_table(L, st, KEY_english_seen);
    lua_pushlstring(L, (const char *)w, n);
    lua_pushboolean(L, r);
    lua_rawset(L, -3);
    lua_pop(L, 1);
  }
  lua_pushinteger(L, seen);
  key_set(L, st, KEY_english_seen_n);
  lua_settop(L, st - 1);
  return r;
}

/* What lede.entities' prev_word(s, e, max) gives: the word ending at e (back
 * to a space or , ; : ( ", at most max bytes); *a its start. */
static void cue_prev_word(const Cue *c, lua_Integer e, lua_Integer max, lua_Integer *a,
                          lua_Integer *z) {
  lua_Integer lo = e - max + 1, p, b;
  if (e < 1 || lo > e) {
    *a = e + 1;
    *z = e;
    return;
  }
  if (lo < 1) lo = 1;
  p = e > c->n ? c->n : e;
  b = lo - 1;
  for (; p >= lo; p--) {
    int ch = c->s[p - 1];
    if (ch == ' ' || ch == ',' || ch == ';' || ch == ':' || ch == '(' || ch == '"') {
      b = p;
      break;
    }
  }
  *a = b + 1;
  *z = e > c->n ? c->n : e;
}

/* Whether position p starts a sentence (lede.entities' sentence_start). */
static int cue_sentence_start(const Cue *c, lua_Integer p) {
  lua_Integer q = p - 1;
  int ch;
  while (q >= 1 && cue_byte(c, q) == ' ') q--;
  if (q < 1) return 1;
  ch = cue_byte(c, q);
  return ch == '.' || ch == '!' || ch == '?' || ch == '"' || ch == 0x9C || ch == ':';
}

/* A gazetteer match record read from a Lua table. */
typedef struct {
  lua_Integer i, j, kind;
  int dead;
  int etype; /* ET_* */
} Match;
enum { ET_NONE, ET_PERSON, ET_PLACE, ET_ORG, ET_OTHER };

/* ---- the matches of a block, in C (lede.EntityMatches) ---------------- */

/* core.entity_matches keeps the gazetteer matches of a block in a
 * lede.EntityMatches: records in order (the block's list) and, once
 * core.entity_index has run, three maps from a position to a record: by
 * first byte (starts), last byte (ends) and the first byte of each word
 * it covers (cover). The records live in chunks that never move, so that
 * a reader holds one as a light userdata (a handle) for as long as the
 * block does; key_get and key_set read and write a handle's fields as
 * they do a table's. What a record names (a list record, a title, an
 * entity) is read from the info table of core.entity_matches (which the
 * index holds by registry reference) when asked, or lives in a Lua table
 * the index keeps (by registry reference) when set otherwise. */

#define MX_MT "lede.EntityMatches"
#define MX_CHUNK 16 /* (a chunk small enough for the allocator's fast bins) */
#define MX_MAGIC 0x4D585649

typedef struct MIndex MIndex;

typedef struct MRec {
  lua_Integer i, j, seq;
  int kind, dead, etype, multi, org;
  int target; /* its entry in the targets table, 0: none */
  /* or, when target is 0 and tsrc is not: its target is info[tsrc][pid]
   * (the info table of core.entity_matches, held by its index) */
  int tsrc;
  lua_Integer pid;
  MIndex *mx;
} MRec;

typedef struct MChunk {
  struct MChunk *next;
  size_t n;
  MRec r[MX_CHUNK];
} MChunk;

typedef struct {
  lua_Integer key;
  MRec *rec;
} MSlot;

typedef struct {
  MSlot *slot;
  size_t cap, n;
  int shared; /* slot is part of its index's mapmem (not freed on its own) */
} MMap;

/* A map of an MIndex handed to the readers (a light userdata on the stack
 * while B, which holds the index, is there too). */
typedef struct {
  unsigned magic;
  int which; /* 0 starts, 1 ends, 2 cover */
  MIndex *mx;
} MView;

struct MIndex {
  unsigned magic; /* MX_MAGIC: what the readers check the userdata by */
  MChunk *chunks;
  MChunk *spare; /* chunks of a record made again (mx_reset), to be used first */
  size_t nspare;
  MRec **list;
  size_t n, cap;
  MMap map[3];
  MSlot *mapmem; /* the first slots of the three maps, in one block */
  MView view[3];
  int targets; /* registry reference of the targets table */
  int info;    /* registry reference of the info table of its matches */
  int ntargets, merged, closed;
  lua_Integer seq;
  /* a block record (core.entity_block): its fields; its text is its user
   * value (Lua 5.4) or entry 0 of the targets table, its cue_places and
   * role_spans entries -1, -2 of it */
  int block, titlecase, done; /* titlecase -1: not known yet */
  lua_Integer off, nsp, ncap, run_a;
  const unsigned char *bs; /* its text (kept by the user value, or entry 0 of the targets table) */
  lua_Integer *spans;      /* its role_spans: first and last byte of each */
  size_t nspans, spans_cap;
  size_t bsn;
  int text_uv; /* its text is its user value (Lua 5.4) */
};

static void mx_free(lua_State *L, MIndex *x) {
  int k;
  while (x->chunks != NULL) {
    MChunk *next = x->chunks->next;
    free(x->chunks);
    x->chunks = next;
  }
  while (x->spare != NULL) {
    MChunk *next = x->spare->next;
    free(x->spare);
    x->spare = next;
  }
  x->nspare = 0;
  free(x->list);
  x->list = NULL;
  x->n = x->cap = 0;
  free(x->spans);
  x->spans = NULL;
  x->nspans = x->spans_cap = 0;
  free(x->mapmem);
  x->mapmem = NULL;
  for (k = 0; k < 3; k++) {
    if (!x->map[k].shared) free(x->map[k].slot);
    x->map[k].slot = NULL;
    x->map[k].cap = x->map[k].n = 0;
    x->map[k].shared = 0;
  }
  if (x->targets != LUA_NOREF && x->targets != LUA_REFNIL) {
    luaL_unref(L, LUA_REGISTRYINDEX, x->targets);
  }
  x->targets = LUA_NOREF;
  if (x->info != LUA_NOREF && x->info != LUA_REFNIL) luaL_unref(L, LUA_REGISTRYINDEX, x->info);
  x->info = LUA_NOREF;
  x->closed = 1;
}

static MIndex *mx_test(lua_State *L, int k);

static int mx_gc(lua_State *L) {
  MIndex *x = mx_test(L, 1); /* (a size and mark check: cheaper than the metatable's) */
  mx_free(L, x != NULL ? x : (MIndex *)luaL_checkudata(L, 1, MX_MT));
  return 0;
}

static MIndex *mx_check(lua_State *L, int k) {
  MIndex *x = mx_test(L, k); /* (a size and mark check: cheaper than the metatable's) */
  if (x == NULL) x = (MIndex *)luaL_checkudata(L, k, MX_MT);
  if (x->closed) luaL_error(L, "closed");
  return x;
}

/* Pushes a new, empty lede.EntityMatches. */
static MIndex *mx_new(lua_State *L) {
  MIndex *x = (MIndex *)lua_newuserdata(L, sizeof(MIndex));
  int k;
  memset(x, 0, sizeof *x);
  x->magic = MX_MAGIC;
  x->targets = LUA_NOREF;
  x->info = LUA_NOREF;
  luaL_setmetatable(L, MX_MT);
  for (k = 0; k < 3; k++) {
    x->view[k].magic = MX_MAGIC;
    x->view[k].which = k;
    x->view[k].mx = x;
  }
  return x; /* (its targets table comes with its first target) */
}

/* A new record (zeroed but for mx and seq), not in the list. */
static MRec *mx_rec(lua_State *L, MIndex *x) {
  MRec *r;
  if (x->chunks == NULL || x->chunks->n == MX_CHUNK) {
    MChunk *c = x->spare;
    if (c != NULL) {
      x->spare = c->next;
      x->nspare--;
    } else {
      c = (MChunk *)malloc(sizeof(MChunk));
      if (c == NULL) luaL_error(L, "not enough memory");
    }
    c->next = x->chunks;
    c->n = 0;
    x->chunks = c;
  }
  r = &x->chunks->r[x->chunks->n++];
  memset(r, 0, sizeof *r);
  r->mx = x;
  r->seq = ++x->seq;
  return r;
}

/* Appends record r to the list. */
static void mx_append(lua_State *L, MIndex *x, MRec *r) {
  if (x->n == x->cap) {
    size_t cap = x->cap * 2 + 16;
    MRec **p = (MRec **)realloc(x->list, cap * sizeof *p);
    if (p == NULL) luaL_error(L, "not enough memory");
    x->list = p;
    x->cap = cap;
  }
  x->list[x->n++] = r;
}

/* Appends the role span [rs, re] to block record x's role_spans. */
static void spans_add(lua_State *L, MIndex *x, lua_Integer rs, lua_Integer re) {
  if (x->nspans == x->spans_cap) {
    size_t cap = x->spans_cap * 2 + 4;
    lua_Integer *p = (lua_Integer *)realloc(x->spans, 2 * cap * sizeof *p);
    if (p == NULL) luaL_error(L, "not enough memory");
    x->spans = p;
    x->spans_cap = cap;
  }
  x->spans[2 * x->nspans] = rs;
  x->spans[2 * x->nspans + 1] = re;
  x->nspans++;
}

/* Sets r's target to the value on top of the stack (popped). */
static void mx_set_target(lua_State *L, MRec *r) {
  MIndex *x = r->mx;
  if (x->targets == LUA_NOREF) {
    lua_createtable(L, 4, 2);
    x->targets = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  if (r->target == 0) r->target = ++x->ntargets;
  r->tsrc = 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, x->targets);
  lua_insert(L, -2);
  lua_rawseti(L, -2, r->target);
  lua_pop(L, 1);
}

static void mx_push_target(lua_State *L, const MRec *r) {
  if (r->target == 0 && r->tsrc != 0 && !r->mx->closed && r->mx->info != LUA_NOREF) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->mx->info);
    lua_rawgeti(L, -1, r->tsrc);
    if (lua_istable(L, -1))
      lua_rawgeti(L, -1, r->pid);
    else
      lua_pushnil(L);
    lua_replace(L, -3);
    lua_pop(L, 1);
    return;
  }
  if (r->target == 0 || r->mx->closed || r->mx->targets == LUA_NOREF) {
    lua_pushnil(L);
    return;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->mx->targets);
  lua_rawgeti(L, -1, r->target);
  lua_replace(L, -2);
}

/* The targets table of x pushed (made when absent). */
static void mx_push_targets(lua_State *L, MIndex *x) {
  if (x->targets == LUA_NOREF) {
    lua_createtable(L, 4, 2);
    x->targets = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, x->targets);
}

static MIndex *mx_test(lua_State *L, int k);

/* key_get on a block record (core.entity_block) at stack index t: pushes
 * its field and returns 1; 0 (nothing pushed) when t is no block. */
static MIndex *mx_test_ud(lua_State *L, int k);

static void block_get_x(lua_State *L, int t, MIndex *x, int key);

static int block_get(lua_State *L, int t, int key) {
  MIndex *x = mx_test_ud(L, t);
  if (x == NULL || !x->block || x->closed) return 0;
  block_get_x(L, t, x, key);
  return 1;
}

/* Pushes field key of the open block record x at stack index t. */
static void block_get_x(lua_State *L, int t, MIndex *x, int key) {
  switch (key) {
  case KEY_s:
#if LUA_VERSION_NUM >= 504
    if (x->text_uv) {
      lua_getiuservalue(L, t, 1);
      break;
    }
#endif
    /* FALLTHROUGH */
  case KEY_cue_places:
    if (key != KEY_s && x->targets == LUA_NOREF) { /* (no table yet: none) */
      lua_pushboolean(L, 0);
      break;
    }
    mx_push_targets(L, x);
    lua_rawgeti(L, -1, key == KEY_s ? 0 : key == KEY_cue_places ? -1 : -2);
    lua_replace(L, -2);
    if (key != KEY_s && lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_pushboolean(L, 0);
    }
    break;
  case KEY_role_spans:
    if (x->nspans == 0) {
      lua_pushboolean(L, 0);
    } else {
      size_t k;
      lua_createtable(L, x->nspans < 0x1000000 ? (int)x->nspans : 0, 0);
      for (k = 0; k < x->nspans; k++) {
        lua_createtable(L, 2, 0);
        lua_pushinteger(L, x->spans[2 * k]);
        lua_rawseti(L, -2, 1);
        lua_pushinteger(L, x->spans[2 * k + 1]);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
      }
    }
    break;
  case KEY_off: lua_pushinteger(L, x->off); break;
  case KEY_nsp: lua_pushinteger(L, x->nsp); break;
  case KEY_ncap: lua_pushinteger(L, x->ncap); break;
  case KEY_run_a: lua_pushinteger(L, x->run_a); break;
  case KEY_done: lua_pushboolean(L, x->done); break;
  case KEY_titlecase:
    if (x->titlecase < 0)
      lua_pushinteger(L, 0);
    else
      lua_pushboolean(L, x->titlecase);
    break;
  case KEY_list: lua_pushvalue(L, t); break;
  case KEY_starts_at: lua_pushlightuserdata(L, &x->view[0]); break;
  case KEY_ends_at: lua_pushlightuserdata(L, &x->view[1]); break;
  case KEY_cover: lua_pushlightuserdata(L, &x->view[2]); break;
  default: lua_pushnil(L);
  }
}


/* key_set on a block record at t: sets its field to the value on top
 * (popped) and returns 1; 0 (nothing done) when t is no block. */
static int block_set(lua_State *L, int t, int key) {
  MIndex *x = mx_test_ud(L, t);
  if (x == NULL || !x->block || x->closed) return 0;
  switch (key) {
  case KEY_role_spans:
    /* (kept in C: the spans of a table of { i, j }) */
    x->nspans = 0;
    if (lua_istable(L, -1)) {
      lua_Integer k, n = (lua_Integer)lua_rawlen(L, -1);
      for (k = 1; k <= n; k++) {
        lua_Integer rs, re;
        lua_rawgeti(L, -1, k);
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        rs = lua_tointeger(L, -2);
        re = lua_tointeger(L, -1);
        lua_pop(L, 3);
        spans_add(L, x, rs, re);
      }
    }
    break;
  case KEY_cue_places:
    mx_push_targets(L, x);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, -1);
    lua_pop(L, 1);
    break;
  case KEY_off: x->off = lua_tointeger(L, -1); break;
  case KEY_nsp: x->nsp = lua_tointeger(L, -1); break;
  case KEY_ncap: x->ncap = lua_tointeger(L, -1); break;
  case KEY_run_a: x->run_a = lua_tointeger(L, -1); break;
  case KEY_done: x->done = lua_toboolean(L, -1); break;
  case KEY_titlecase:
    x->titlecase = lua_type(L, -1) == LUA_TNUMBER ? -1 : lua_toboolean(L, -1);
    break;
  default: break;
  }
  lua_pop(L, 1);
  return 1;
}

/* Whether the value at stack index k is a block record: a table, or a
 * core.entity_block. */
static int is_block(lua_State *L, int k) {
  MIndex *x;
  if (lua_istable(L, k)) return 1;
  x = mx_test(L, k);
  return x != NULL && x->block && !x->closed;
}

/* Raises unless argument k is a block record. */
static void check_block(lua_State *L, int k) {
  if (!is_block(L, k)) luaL_argerror(L, k, "a block record expected");
}

static size_t mx_hash(lua_Integer key, size_t cap) {
  return ((size_t)key * 2654435761u) & (cap - 1);
}

static inline MRec *map_get(const MMap *m, lua_Integer key) {
  size_t h;
  if (m->cap == 0) return NULL;
  for (h = mx_hash(key, m->cap);; h = (h + 1) & (m->cap - 1)) {
    if (m->slot[h].key == key) return m->slot[h].rec;
    if (m->slot[h].key == 0) return NULL;
  }
}

static void map_put(lua_State *L, MMap *m, lua_Integer key, MRec *r) {
  size_t h;
  if (key <= 0) return; /* (no record starts before the text) */
  if ((m->n + 1) * 2 > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 16, k;
    MSlot *s = (MSlot *)calloc(cap, sizeof *s);
    if (s == NULL) luaL_error(L, "not enough memory");
    for (k = 0; k < m->cap; k++) {
      if (m->slot[k].key != 0) {
        size_t g = mx_hash(m->slot[k].key, cap);
        while (s[g].key != 0) g = (g + 1) & (cap - 1);
        s[g] = m->slot[k];
      }
    }
    if (!m->shared) free(m->slot);
    m->shared = 0;
    m->slot = s;
    m->cap = cap;
  }
  for (h = mx_hash(key, m->cap);; h = (h + 1) & (m->cap - 1)) {
    if (m->slot[h].key == key) {
      m->slot[h].rec = r;
      return;
    }
    if (m->slot[h].key == 0) {
      m->slot[h].key = key;
      m->slot[h].rec = r;
      m->n++;
      return;
    }
  }
}

/* The lede.EntityMatches at stack index k, or NULL: a full userdata of its
 * size and mark (cheaper than a metatable check, for the readers' own
 * block records). */
static MIndex *mx_test(lua_State *L, int k) {
  MIndex *x;
  if (lua_type(L, k) != LUA_TUSERDATA || lua_rawlen(L, k) != sizeof(MIndex)) return NULL;
  x = (MIndex *)lua_touserdata(L, k);
  return x != NULL && x->magic == MX_MAGIC ? x : NULL;
}

/* The same for a value at k known to be a full userdata. */
static MIndex *mx_test_ud(lua_State *L, int k) {
  MIndex *x;
  if (lua_rawlen(L, k) != sizeof(MIndex)) return NULL;
  x = (MIndex *)lua_touserdata(L, k);
  return x != NULL && x->magic == MX_MAGIC ? x : NULL;
}

/* The block record (core.entity_block) at stack index k, or NULL (a table,
 * or a closed one). */
static MIndex *blk_of(lua_State *L, int k) {
  MIndex *x = mx_test(L, k);
  return x != NULL && x->block && !x->closed ? x : NULL;
}

/* The open block record at stack index b: the Cue's own (c->bx), read
 * with no look-up, or blk_of's. */
static MIndex *cue_blk(const Cue *c, int b) {
  if (c->bx != NULL && b == c->bxi) return c->bx->closed ? NULL : c->bx;
  return blk_of(c->L, b);
}

/* key_get(L, b, key) for a block record at stack index b (the Cue's own
 * read with no look-up). */
static void cue_key(const Cue *c, int b, int key) {
  if (c->bx != NULL && b == c->bxi && !c->bx->closed)
    block_get_x(c->L, b, c->bx, key);
  else
    key_get(c->L, b, key);
}

static void key_get(lua_State *L, int t, int key);

/* The text of block record b (B.s) and its length; pushes one value (the
 * text, or nil for a core.entity_block, which keeps it). Raises when it is
 * not a string. */
static const unsigned char *blk_text(lua_State *L, int b, size_t *n) {
  MIndex *x = blk_of(L, b);
  if (x != NULL && x->bs != NULL) {
    lua_pushnil(L);
    *n = x->bsn;
    return x->bs;
  }
  key_get(L, b, KEY_s);
  return (const unsigned char *)luaL_checklstring(L, -1, n);
}

/* Replaces the lede.EntityMatches on top of the stack by the view of its
 * map for key (KEY_starts_at, KEY_ends_at, KEY_cover). */
static void mx_to_view(lua_State *L, int key) {
  MIndex *x = mx_test(L, -1);
  if (x == NULL) return;
  lua_pop(L, 1);
  lua_pushlightuserdata(L, &x->view[key == KEY_starts_at ? 0 : key == KEY_ends_at ? 1 : 2]);
}

/* The view at stack index t (a light userdata of ours), or NULL. */
static MView *mx_view(lua_State *L, int t) {
  MView *v;
  if (lua_type(L, t) != LUA_TLIGHTUSERDATA) return NULL;
  v = (MView *)lua_touserdata(L, t);
  return v != NULL && v->magic == MX_MAGIC ? v : NULL;
}

/* Whether the value at t is an index the readers look records up in (a
 * view, or the lede.EntityMatches itself for its list), and the record at
 * k there (*r, NULL for none). */
static int mx_lookup(lua_State *L, int t, lua_Integer k, MRec **r) {
  MView *v = mx_view(L, t);
  *r = NULL;
  if (v != NULL) {
    if (!v->mx->closed) *r = map_get(&v->mx->map[v->which], k);
    return 1;
  }
  if (lua_type(L, t) == LUA_TUSERDATA) {
    MIndex *x = mx_test(L, t);
    if (x == NULL) return 0;
    if (!x->closed && k >= 1 && (size_t)k <= x->n) *r = x->list[k - 1];
    return 1;
  }
  return 0;
}

/* Pushes t[k]: a record's handle (or nil) for an index, else rawgeti. */
static void mx_geti(lua_State *L, int t, lua_Integer k) {
  MRec *r;
  if (mx_lookup(L, t, k, &r)) {
    if (r != NULL)
      lua_pushlightuserdata(L, r);
    else
      lua_pushnil(L);
    return;
  }
  lua_rawgeti(L, t, k);
}

/* t[k] = the handle on top (popped); a table t as rawseti does. */
static void mx_seti(lua_State *L, int t, lua_Integer k) {
  MView *v;
  t = lua_absindex(L, t);
  v = mx_view(L, t);
  if (v != NULL) {
    if (lua_type(L, -1) == LUA_TLIGHTUSERDATA && !v->mx->closed)
      map_put(L, &v->mx->map[v->which], k, (MRec *)lua_touserdata(L, -1));
    lua_pop(L, 1);
    return;
  }
  if (lua_istable(L, t))
    lua_rawseti(L, t, k);
  else
    lua_pop(L, 1);
}

/* The number of records of the list at t (an index or a table). */
static lua_Integer mx_len(lua_State *L, int t) {
  if (lua_type(L, t) == LUA_TUSERDATA) {
    MIndex *x = mx_test(L, t);
    return x != NULL && !x->closed ? (lua_Integer)x->n : 0;
  }
  return lua_istable(L, t) ? (lua_Integer)lua_rawlen(L, t) : 0;
}

static const char *const et_names[] = {NULL, "person", "place", "organization", NULL};

/* Pushes field key of the record r (key_get on a handle). */
static void mrec_get(lua_State *L, const struct MRec *r, int key) {
  switch (key) {
  case KEY_i: lua_pushinteger(L, r->i); break;
  case KEY_j: lua_pushinteger(L, r->j); break;
  case KEY_kind: lua_pushinteger(L, r->kind); break;
  case KEY_dead: lua_pushboolean(L, r->dead); break;
  case KEY_org: lua_pushboolean(L, r->org); break;
  case KEY_multi: lua_pushboolean(L, r->multi); break;
  case KEY_target: mx_push_target(L, r); break;
  case KEY_etype:
    if (r->etype == ET_OTHER) {
      mx_push_target(L, r);
      if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "type");
        lua_replace(L, -2);
      }
    } else if (r->etype > ET_NONE && r->etype < ET_OTHER) {
      lua_pushstring(L, et_names[r->etype]);
    } else {
      lua_pushnil(L);
    }
    break;
  default: lua_pushnil(L);
  }
}

/* Sets field key of the record r to the value on top (popped). */
static void mrec_set(lua_State *L, struct MRec *r, int key) {
  switch (key) {
  case KEY_dead: r->dead = lua_toboolean(L, -1); break;
  case KEY_org: r->org = lua_toboolean(L, -1); break;
  case KEY_target: lua_pushvalue(L, -1); mx_set_target(L, r); break;
  default: break;
  }
  lua_pop(L, 1);
}

/* The ET_* of a type name. */
static int etype_of(const char *et, size_t n) {
  if (et == NULL) return ET_NONE;
  if (n == 6 && memcmp(et, "person", 6) == 0) return ET_PERSON;
  if (n == 5 && memcmp(et, "place", 5) == 0) return ET_PLACE;
  if (n == 12 && memcmp(et, "organization", 12) == 0) return ET_ORG;
  return ET_OTHER;
}

/* Reads the C record r into *m, and pushes it (as a light userdata): 1. */
static int match_push(lua_State *L, MRec *r, Match *m) {
  m->i = r->i;
  m->j = r->j;
  m->kind = r->kind;
  m->dead = r->dead;
  m->etype = r->etype;
  lua_pushlightuserdata(L, r);
  return 1;
}

/* Reads record k of the index (or table) at t into *m, and pushes it;
 * returns 0 (nothing pushed) when there is none (t itself may be false). */
static int cue_match(lua_State *L, int t, lua_Integer k, Match *m) {
  const char *et;
  MRec *r;
  if (mx_lookup(L, t, k, &r)) return r == NULL ? 0 : match_push(L, r, m);
  if (!lua_istable(L, t)) return 0;
  lua_rawgeti(L, t, k);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  key_get(L, -1, KEY_i);
  m->i = lua_tointeger(L, -1);
  key_get(L, -2, KEY_j);
  m->j = lua_tointeger(L, -1);
  key_get(L, -3, KEY_kind);
  m->kind = lua_tointeger(L, -1);
  key_get(L, -4, KEY_dead);
  m->dead = lua_toboolean(L, -1);
  key_get(L, -5, KEY_etype);
  et = lua_tostring(L, -1);
  if (et == NULL) {
    m->etype = ET_NONE;
  } else {
    size_t n = lua_rawlen(L, -1);
    if (n == 6 && memcmp(et, "person", 6) == 0)
      m->etype = ET_PERSON;
    else if (n == 5 && memcmp(et, "place", 5) == 0)
      m->etype = ET_PLACE;
    else if (n == 12 && memcmp(et, "organization", 12) == 0)
      m->etype = ET_ORG;
    else
      m->etype = ET_OTHER;
  }
  lua_pop(L, 5); /* the record stays on top */
  return 1;
}

/* cue_match for a reader with Cue c: a view of its block's maps (c->vi)
 * read with no look-up. */
static inline int cue_match_c(const Cue *c, int t, lua_Integer k, Match *m) {
  MIndex *x = c->bx;
  if (x != NULL && t > 0 && (t == c->vi[0] || t == c->vi[1] || t == c->vi[2] || t == c->li)) {
    MRec *r;
    if (x->closed) return 0;
    if (t == c->li)
      r = k >= 1 && (size_t)k <= x->n ? x->list[k - 1] : NULL;
    else
      r = map_get(&x->map[t == c->vi[0] ? 0 : t == c->vi[1] ? 1 : 2], k);
    return r == NULL ? 0 : match_push(c->L, r, m);
  }
  return cue_match(c->L, t, k, m);
}

/* Whether a block of n words (nsp + 1) with caps spaces before a capital or
 * digit is in title case (see cue_titlecase). */
static int titlecase_of(const Cue *c, lua_Integer words, lua_Integer caps) {
  int t = 0;
  if (words >= 3) {
    int b0 = cue_byte(c, 1);
    if (b0 >= 0 && ((b0 >= 'A' && b0 <= 'Z') || b0 >= 0xC3)) caps++;
    if (caps * 10 > words * 8)
      t = 1;
    else if (caps * 10 > words * 6) {
      /* no sentence end ([.!?"] or a byte of ”) before the trailing space */
      lua_Integer q = c->n;
      int ch;
      while (q >= 1 && isspace(c->s[q - 1])) q--;
      ch = cue_byte(c, q);
      t = !(q >= 1 && (ch == '.' || ch == '!' || ch == '?' || ch == '"' || ch == 0xE2 ||
                       ch == 0x80 || ch == 0x9D));
    }
  }
  return t;
}

/* titlecase(B) of lede.entities: whether most words of the block are
 * capitalised (computed once, stored in B.titlecase). */
static int cue_titlecase(Cue *c, int bi) {
  lua_State *L = c->L;
  int t;
  MIndex *x = cue_blk(c, bi);
  if (x != NULL) {
    /* a core.entity_block: its fields in C */
    if (x->titlecase < 0) {
      lua_Integer words = x->nsp + 1, caps = x->ncap;
      if (words < 1) {
        lua_Integer sp, cp;
        count_spaces(c->s, (size_t)c->n, &sp, &cp);
        words = sp + 1;
        caps = cp;
      }
      x->titlecase = titlecase_of(c, words, caps);
    }
    return x->titlecase;
  }
  key_get(L, bi, KEY_titlecase);
  if (lua_type(L, -1) == LUA_TNUMBER && lua_tointeger(L, -1) == 0) {
    lua_Integer words, caps;
    key_get(L, bi, KEY_nsp);
    words = lua_tointeger(L, -1) + 1;
    key_get(L, bi, KEY_ncap);
    caps = lua_tointeger(L, -1);
    lua_pop(L, 3);
    if (words < 1) {
      /* (not counted yet: a block record counts when asked) */
      lua_Integer sp, cp;
      count_spaces(c->s, (size_t)c->n, &sp, &cp);
      words = sp + 1;
      caps = cp;
    }
    t = titlecase_of(c, words, caps);
    lua_pushboolean(L, t);
    key_set(L, bi, KEY_titlecase);
    return t;
  }
  t = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return t;
}

static int cue_return(lua_State *L, const char *etype) {
  if (etype == NULL)
    lua_pushnil(L);
  else
    lua_pushstring(L, etype);
  return 1;
}

#define CUE_RET(x) \
  do { \
    lua_settop(L, top); \
    return (x); \
  } while (0)

/* What the words around the one-word name word[0..wn) at [i, j] of block B
 * (stack index b; cp: its Cue, with B.s) make it (core.entity_cue): the
 * type, or NULL. The word is not empty and has no space. Leaves the stack
 * as it found it. */
static const char *cue_read(const Cue *cp, int b, lua_Integer i, lua_Integer j,
                            const unsigned char *word, size_t wn, int frag) {
  Cue c = *cp;
  lua_State *L = c.L;
  lua_Integer p, k;
  int lower = 0, capital = 0, joined = 0, upper, weak, poss = 0, town = 0, b1, b2;
  int starts, ends, cue_places, top = lua_gettop(L);
  lua_Integer w1a = 0, w1n = 0; /* the lower-case word after: start, length (0: none) */
  Match g;
  luaL_checkstack(L, 20, "entity_cue");
  {
    MIndex *x = cue_blk(&c, b);
    if (x != NULL) {
      lua_pushlightuserdata(L, &x->view[0]);
      lua_pushlightuserdata(L, &x->view[1]);
      block_get_x(L, b, x, KEY_cue_places);
      c.bx = x; /* (its views at top + 1 and + 2) */
      c.bxi = b;
      c.vi[0] = top + 1;
      c.vi[1] = top + 2;
      c.vi[2] = 0;
    } else {
      key_get(L, b, KEY_starts_at);
      key_get(L, b, KEY_ends_at);
      key_get(L, b, KEY_cue_places);
    }
  }
  starts = top + 1;
  ends = top + 2;
  cue_places = top + 3;
  if (frag) CUE_RET(NULL);
  if (is_lower_b(word[0])) CUE_RET(NULL);
  for (k = 0; k < (lua_Integer)wn; k++) {
    unsigned char ch = word[k];
    if (ch >= 'a' && ch <= 'z')
      lower = 1;
    else if (ch >= 'A' && ch <= 'Z')
      capital = 1;
    else if (k + 1 < (lua_Integer)wn && is_lower_b(word[k + 1]) &&
             (apostrophe_byte(ch) || ch == '-'))
      joined = 1;
  }
  if (joined || cue_titlecase(&c, b)) CUE_RET(NULL);
  upper = !lower && capital;
  weak = !upper && cue_english(&c, word, wn);
  /* after: a possessive, the next lower-case word, a title */
  p = j + 1;
  b1 = cue_byte(&c, p);
  b2 = cue_byte(&c, p + 1);
  if (b1 == '\'' && b2 == 's') {
    p += 2;
    poss = 1;
  } else if (b1 == 0xE2 && b2 == 0x80 && cue_byte(&c, p + 2) == 0x99 &&
             cue_byte(&c, p + 3) == 's') {
    p += 4;
    poss = 1;
  }
  if (poss) {
    b1 = cue_byte(&c, p);
    b2 = cue_byte(&c, p + 1);
  }
  if (b1 == ' ' && is_lower_b(b2)) {
    lua_Integer q = p + 2;
    int ch;
    while ((ch = cue_byte(&c, q)) >= 0 && (is_lower_b(ch) || ch == '-')) q++;
    w1a = p + 1;
    w1n = q - w1a;
  }
#define W1 (c.s + w1a - 1), (size_t)w1n
#define W1_IS(lit) \
  (w1n == (lua_Integer)(sizeof lit - 1) && memcmp(c.s + w1a - 1, lit, sizeof lit - 1) == 0)
  if (w1n > 0 && !weak) {
    if (poss) {
      if (cue_has(&c, CUE_ORG_AFTER_POSS, W1, 0)) CUE_RET("organization");
    } else if (cue_has(&c, CUE_ORG_AFTER, W1, 0)) {
      CUE_RET("organization");
    }
  }
  if (!poss && !weak) {
    if (cue_match_c(&c, starts, j + 2, &g)) {
      lua_pop(L, 1);
      if (g.kind == K_TITLE && !g.dead && cue_byte(&c, j + 1) == ' ') {
        size_t ta = 0, tz = 0;
        lede_range(g.i, g.j, (size_t)c.n, &ta, &tz);
        if (cue_has(&c, CUE_ORG_TITLE_AFTER, c.s + ta, tz - ta, 1))
          CUE_RET("organization");
        if (cue_has(&c, CUE_PLACE_TITLE_AFTER, c.s + ta, tz - ta, 1)) CUE_RET("place");
      }
    }
    if (b1 == ',' && b2 == ' ') {
      if (cue_match_c(&c, starts, p + 2, &g)) {
        lua_pop(L, 1);
        if (g.kind == K_ENTITY && g.etype == ET_PLACE && !g.dead && !upper &&
            !cue_sentence_start(&c, i)) {
          int a1 = cue_byte(&c, g.j + 1);
          if (!((a1 == '\'' || a1 == 0xE2 || a1 == 0x80 || a1 == 0x99) &&
                cue_byte(&c, g.j + 2) == 's'))
            town = 1;
        }
      }
    }
  }
  if (upper && (W1_IS("said") || W1_IS("says") || W1_IS("data")))
    CUE_RET("organization");
  if (upper && !poss && b1 == ',' && b2 == ' ' && p + 5 <= c.n &&
      memcmp(c.s + p - 1, ", the ", 6) == 0) {
    /* "UNIFIL, the U.N. peacekeeping force," */
    lua_Integer q = p + 6;
    int ch;
    while ((ch = cue_byte(&c, q)) >= 0 && ch != ',' && ch != ';') q++;
    if (ch >= 0 && q > p + 6 && q - (p + 6) < 60) {
      lua_Integer e = q - 1, a = q;
      while (a > p + 6 && islower(c.s[a - 2])) a--;
      if (a <= e) {
        const unsigned char *noun = c.s + a - 1;
        size_t nn = (size_t)(e - a + 1);
        if (cue_has(&c, CUE_ORG_BEFORE, noun, nn, 0) ||
            cue_has(&c, CUE_ORG_NOUN_AFTER, noun, nn, 0) ||
            (nn == 5 && memcmp(noun, "force", 5) == 0))
          CUE_RET("organization");
      }
    }
  }
  /* before, inside a sentence: a letter or a comma and a space */
  if (i > 2 && cue_byte(&c, i - 1) == ' ') {
    int c2 = cue_byte(&c, i - 2);
    if (c2 == ',' || is_lower_b(c2) || (c2 >= 'A' && c2 <= 'Z')) {
      int comma = c2 == ',';
      lua_Integer a0, z0, a00 = 1, z00 = 0;
      cue_prev_word(&c, comma ? i - 3 : i - 2, 20, &a0, &z0);
      if (z0 >= a0) {
        const unsigned char *w0 = c.s + a0 - 1;
        size_t n0 = (size_t)(z0 - a0 + 1), n00;
        const unsigned char *w00;
        lua_Integer e = 0;
        int have_e = 0;
        if (a0 > 2 && cue_byte(&c, a0 - 1) == ' ') cue_prev_word(&c, a0 - 2, 14, &a00, &z00);
        w00 = c.s + (a00 >= 1 ? a00 - 1 : 0);
        n00 = z00 >= a00 ? (size_t)(z00 - a00 + 1) : 0;
        if (comma && upper && cue_has(&c, CUE_ORG_BEFORE, w0, n0, 0))
          CUE_RET("organization");
        if (!comma) {
          int two;
          unsigned char both[64]; /* (the two words: at most 14 and 20 bytes) */
          if (cue_has(&c, CUE_ORG_BEFORE, w0, n0, 0)) CUE_RET("organization");
          if (n00 + 1 + n0 <= sizeof both) {
            if (n00 > 0) memcpy(both, w00, n00);
            both[n00] = ' ';
            memcpy(both + n00 + 1, w0, n0);
            two = cue_has(&c, CUE_ORG_BEFORE2, both, n00 + 1 + n0, 0);
          } else {
            luaL_Buffer b;
            lua_rawgeti(L, c.sets, CUE_ORG_BEFORE2);
            luaL_buffinit(L, &b);
            luaL_addlstring(&b, (const char *)w00, n00);
            luaL_addchar(&b, ' ');
            luaL_addlstring(&b, (const char *)w0, n0);
            luaL_pushresult(&b);
            lua_rawget(L, -2);
            two = lua_toboolean(L, -1);
            lua_pop(L, 2);
          }
          if (two) CUE_RET("organization");
          if (weak) CUE_RET(NULL);
          if (w1n > 0 && cue_has(&c, CUE_ORG_NOUN_AFTER, W1, 0))
            CUE_RET("organization");
          if (cue_has(&c, CUE_PLACE_PREP, w0, n0, 1) &&
              !cue_has(&c, CUE_NOT_PLACE_IN, w00, n00, 1)) {
            /* word is ^%u%l+$ */
            int ok = wn >= 2 && word[0] >= 'A' && word[0] <= 'Z';
            for (k = 1; ok && k < (lua_Integer)wn; k++) ok = islower(word[k]) != 0;
            if (ok) CUE_RET("place");
          }
        }
        if (weak) CUE_RET(NULL);
        /* "in Wedmore, Theale and Blackford" */
        if (comma) {
          e = i - 3;
          have_e = 1;
        } else if ((n0 == 3 && memcmp(w0, "and", 3) == 0) ||
                   (n0 == 2 && memcmp(w0, "or", 2) == 0)) {
          e = a0 - 2;
          have_e = 1;
        }
        if (have_e && e > 0) {
          if (cue_match_c(&c, ends, e, &g)) {
            int country;
            key_get(L, -1, KEY_target);
            if (lua_istable(L, -1))
              key_get(L, -1, KEY_country);
            else
              lua_pushnil(L);
            country = lua_toboolean(L, -1);
            lua_pop(L, 3);
            if (!g.dead && g.kind == K_ENTITY && g.etype == ET_PLACE && !country)
              CUE_RET("place");
          }
          if (lua_istable(L, cue_places)) {
            int hit;
            lua_rawgeti(L, cue_places, e);
            hit = lua_toboolean(L, -1);
            lua_pop(L, 1);
            if (hit) CUE_RET("place");
          }
        }
      }
    }
  }
  if (weak) CUE_RET(NULL);
  if (town) CUE_RET("place");
  if (!poss && (W1_IS("and") || W1_IS("or"))) {
    if (cue_match_c(&c, starts, p + w1n + 2, &g)) {
      lua_pop(L, 1);
      if (!g.dead && g.kind == K_ENTITY && (g.etype == ET_ORG || g.etype == ET_PLACE))
        CUE_RET(g.etype == ET_ORG ? "organization" : "place");
    }
  }
  if (!poss && w1n > 0 && cue_has(&c, CUE_ORG_VERBS, W1, 0)) CUE_RET("organization?");
#undef W1
#undef W1_IS
  CUE_RET(NULL);
}
#undef CUE_RET

static int l_entity_cue(lua_State *L) {
  Cue c;
  size_t wn, sn;
  const unsigned char *word;
  lua_Integer i = luaL_checkinteger(L, 3), j = luaL_checkinteger(L, 4);
  int frag;
  const char *r;
  check_block(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  word = (const unsigned char *)luaL_checklstring(L, 5, &wn);
  frag = lua_toboolean(L, 6);
  lua_settop(L, 6);
  c.L = L;
  c.sets = 2;
  cue_sets_init(&c);
  c.s = blk_text(L, 1, &sn);
  c.n = (lua_Integer)sn;
  if (frag) return cue_return(L, NULL);
  if (wn == 0) return luaL_argerror(L, 5, "an empty word");
  if (memchr(word, ' ', wn) != NULL) return luaL_argerror(L, 5, "a word with a space");
  r = cue_read(&c, 1, i, j, word, wn, frag);
  return cue_return(L, r);
}

/* The value of sets[k][w] pushed (nil when absent). */
static void cue_get(Cue *c, int k, const unsigned char *w, size_t n) {
  lua_State *L = c->L;
  if (c->es != NULL && !es_has(c->es, k, w, n)) {
    lua_pushnil(L); /* (the hashed sets hold every key whose value is not false) */
    return;
  }
  lua_rawgeti(L, c->sets, k);
  lua_pushlstring(L, (const char *)w, n);
  lua_rawget(L, -2);
  lua_remove(L, -2);
}

static int first_upper_b(int b) { return b >= 0 && ((b >= 'A' && b <= 'Z') || b >= 0xC3); }

/* lede.entities' place_around: whether the words around the run [a, z] make
 * it a place's name ("Hebei province", "the town of Masisi"). */
static int cue_place_around(Cue *c, lua_Integer a, lua_Integer z) {
  int place = 0;
  if (cue_byte(c, z + 1) == ' ' && is_lower_b(cue_byte(c, z + 2))) {
    lua_Integer q = z + 2, wa = z + 2;
    while (islower(cue_byte(c, q) < 0 ? 0 : cue_byte(c, q))) q++;
    place = cue_has(c, CUE_PLACE_AFTER, c->s + wa - 1, (size_t)(q - wa), 0);
    if (q - wa == 5 && memcmp(c->s + wa - 1, "state", 5) == 0) {
      /* "Kerala state," but not "the Individual Medley state title" */
      lua_Integer r = q, ra;
      if (cue_byte(c, r) == ' ') r++;
      ra = r;
      while (cue_byte(c, r) >= 0 && islower(cue_byte(c, r))) r++;
      if (r > ra && !cue_has(c, CUE_STATE_FOLLOWERS, c->s + ra - 1, (size_t)(r - ra), 0)) place = 0;
    }
  }
  if (!place && a > 5 && cue_byte(c, a - 4) == ' ' && cue_byte(c, a - 3) == 'o' &&
      cue_byte(c, a - 2) == 'f' && cue_byte(c, a - 1) == ' ') {
    lua_Integer lo = a > 16 ? a - 16 : 1, e = a - 5, x = e + 1;
    if (e > c->n) e = c->n;
    x = e + 1;
    while (x > lo && islower(c->s[x - 2])) x--;
    if (x <= e) place = cue_has(c, CUE_PLACE_BEFORE, c->s + x - 1, (size_t)(e - x + 1), 0);
  }
  return place;
}

/* Whether w is a connector (lede.entities' CONNECTORS: those of a run and
 * "the"). */
static int is_connector(const unsigned char *w, size_t n) {
  size_t k;
  if (n == 0 || n > 5 || !(w[0] == '&' || (w[0] >= 'a' && w[0] <= 'y'))) return 0;
  if (n == 3 && memcmp(w, "the", 3) == 0) return 1;
  for (k = 0; conn_words[k] != NULL; k++)
    if (conn_len[k] == n && memcmp(conn_words[k], w, n) == 0) return 1;
  return 0;
}

/* One run of one word [a, z] (z2: its end without a possessive ending):
 * 1 with *pi, *pj for a place's name; else 0, a record appended to
 * D.pending (stack index 1) when the words around it are to be read. B at
 * index 2; cover and ends its tables. */
/* Upper-case word (lede.entities' is_upper_word): no lower-case ASCII
 * letter and at least one capital, unless its second byte is lower case. */
static int upper_word_b(const unsigned char *w, size_t n) {
  size_t k;
  int lower = 0, capital = 0;
  if (n >= 2 && w[1] >= 'a' && w[1] <= 'z') return 0;
  for (k = 0; k < n; k++) {
    if (w[k] >= 'a' && w[k] <= 'z')
      lower = 1;
    else if (w[k] >= 'A' && w[k] <= 'Z')
      capital = 1;
  }
  return !lower && capital;
}

/* ---- the names whose type is decided last, in C (D.pending) ----------- */

/* D.pending is a lede.EntityPending: per one-word name a reader found and
 * left for core.entity_resolve, its block positions, its bytes, its flags
 * (1: a person's, 2: a fragment, 4: an upper-case word) and the places in
 * D.pvals (an array) of its block, of its gender and of the person of the
 * lists it is when no one of the text is (0: false). A run of names of one
 * block puts the block in D.pvals once. */
typedef struct {
  lua_Integer bi, bj;
  size_t woff, wn;
  int flags, blk, gender, rec;
} Pend;

typedef struct PStore {
  unsigned magic; /* PS_MAGIC: what ps_of checks the userdata by */
  Pend *p;
  size_t n, cap;
  unsigned char *buf;
  size_t bn, bcap;
  const void *lastb; /* the block of the last name, at D.pvals[lastblk] */
  int lastblk, nvals, closed;
} PStore;

#define PS_MT "lede.EntityPending"
#define PS_MAGIC 0x50535445u

static int ps_gc(lua_State *L) {
  PStore *ps = (PStore *)luaL_checkudata(L, 1, PS_MT);
  free(ps->p);
  free(ps->buf);
  ps->p = NULL;
  ps->buf = NULL;
  ps->n = ps->cap = ps->bn = ps->bcap = 0;
  ps->closed = 1;
  return 0;
}

static int ps_tostring(lua_State *L) {
  PStore *ps = (PStore *)luaL_checkudata(L, 1, PS_MT);
  if (ps->closed) lua_pushliteral(L, PS_MT " (closed)");
  else lua_pushfstring(L, PS_MT " (%d names)", (int)ps->n);
  return 1;
}

static int ps_len(lua_State *L) {
  PStore *ps = (PStore *)luaL_checkudata(L, 1, PS_MT);
  if (ps->closed) return luaL_error(L, "closed");
  lua_pushinteger(L, (lua_Integer)ps->n);
  return 1;
}

static const luaL_Reg ps_methods[] = {{"close", ps_gc}, {NULL, NULL}};

/* The pending store of D (stack index d); raises when it is none. */
static PStore *ps_of(lua_State *L, int d) {
  PStore *ps = NULL;
  const CharClass *cc = doc_cache(L);
  if (cc->dptr != NULL && lua_topointer(L, d) == cc->dptr) {
    if (cc->dps->closed) luaL_error(L, "closed");
    return cc->dps;
  }
  key_get(L, d, KEY_pending);
  if (lua_type(L, -1) == LUA_TUSERDATA && lua_rawlen(L, -1) == sizeof(PStore))
    ps = (PStore *)lua_touserdata(L, -1);
  if (ps == NULL || ps->magic != PS_MAGIC) ps = (PStore *)luaL_testudata(L, -1, PS_MT);
  if (ps == NULL) luaL_error(L, "entities: D.pending is not a " PS_MT " (make D with core.entity_new)");
  if (ps->closed) luaL_error(L, "closed");
  lua_pop(L, 1); /* (D keeps it) */
  return ps;
}

/* Appends the value at stack index v to D.pvals (D at d); returns its place. */
static int pval_add(lua_State *L, PStore *ps, int d, int v) {
  if (ps->nvals >= 0x7FFFFFFF) luaL_error(L, "entities: too many pending names");
  key_get(L, d, KEY_pvals);
  luaL_checktype(L, -1, LUA_TTABLE);
  lua_pushvalue(L, v);
  lua_rawseti(L, -2, ++ps->nvals);
  lua_pop(L, 1);
  return ps->nvals;
}

/* Appends to D.pending (D at stack index d) a one-word name w at positions
 * [i, j] of block B (stack index b) that the words around it decide later:
 * flags (1: a person's, 2: a fragment, 4: an upper-case word), the gender at
 * stack index gender (0: none; false for none or "") and the person of the
 * lists it is when no one in the text is (stack index rec, 0: none). Leaves
 * the stack as it found it. */
static void pending_add(lua_State *L, int d, int b, lua_Integer i, lua_Integer j,
                        const unsigned char *w, size_t n, int flags, int gender, int rec) {
  PStore *ps;
  Pend *r;
  const void *bp;
  int top = lua_gettop(L);
  if (b < 0) b = lua_absindex(L, b);
  if (gender < 0) gender = lua_absindex(L, gender);
  if (rec < 0) rec = lua_absindex(L, rec);
  ps = ps_of(L, d);
  /* room first (an error leaves the store as it was) */
  if (ps->n == ps->cap) {
    size_t cap = ps->cap ? ps->cap * 2 : 64;
    Pend *p = (Pend *)realloc(ps->p, cap * sizeof *p);
    if (p == NULL) luaL_error(L, "not enough memory");
    ps->p = p;
    ps->cap = cap;
  }
  if (n > ps->bcap - ps->bn) {
    size_t cap = ps->bcap ? ps->bcap * 2 : 1024;
    unsigned char *nb;
    while (cap - ps->bn < n) {
      if (cap > ((size_t)-1) / 4) luaL_error(L, "not enough memory");
      cap *= 2;
    }
    nb = (unsigned char *)realloc(ps->buf, cap);
    if (nb == NULL) luaL_error(L, "not enough memory");
    ps->buf = nb;
    ps->bcap = cap;
  }
  bp = lua_topointer(L, b);
  if (ps->lastblk == 0 || bp != ps->lastb || bp == NULL) {
    ps->lastblk = pval_add(L, ps, d, b);
    ps->lastb = bp;
  }
  r = &ps->p[ps->n];
  r->bi = i;
  r->bj = j;
  r->woff = ps->bn;
  r->wn = n;
  r->flags = flags;
  r->blk = ps->lastblk;
  r->gender = 0;
  r->rec = 0;
  if (gender && !(lua_type(L, gender) == LUA_TSTRING && lua_rawlen(L, gender) == 0) &&
      lua_toboolean(L, gender))
    r->gender = pval_add(L, ps, d, gender);
  if (rec && lua_toboolean(L, rec)) r->rec = pval_add(L, ps, d, rec);
  if (n > 0) memcpy(ps->buf + ps->bn, w, n);
  ps->bn += n;
  ps->n++;
  lua_settop(L, top);
}

/* Appends to D.pending (D at stack index 1, the block B at 2) a one-word
 * name w at block positions [i, j] (see pending_add: flags from person,
 * frag and w's shape). */
static void push_pending(lua_State *L, lua_Integer i, lua_Integer j,
                         const unsigned char *w, size_t n, int person, int frag, int gender) {
  pending_add(L, 1, 2, i, j, w, n, (person ? 1 : 0) | (frag ? 2 : 0) | (upper_word_b(w, n) ? 4 : 0),
              gender, 0);
}

/* Pushes D.pvals[k] (D.pvals at stack index pv), false for k 0. */
static void pval_push(lua_State *L, int pv, int k) {
  if (k == 0) lua_pushboolean(L, 0);
  else lua_rawgeti(L, pv, k);
}

/* core.entity_pending(D) -> array: the names of D.pending, seven values
 * each (block, i, j, word, flags, gender or false, the list's person or
 * false), for inspection. */
static int l_entity_pending(lua_State *L) {
  PStore *ps;
  size_t x;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  ps = ps_of(L, 1);
  key_get(L, 1, KEY_pvals); /* 2 */
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_createtable(L, ps->n > 0xFFFFFF ? 0 : (int)(7 * ps->n), 0); /* 3 */
  for (x = 0; x < ps->n; x++) {
    const Pend *r = &ps->p[x];
    lua_Integer k = 7 * (lua_Integer)x;
    pval_push(L, 2, r->blk);
    lua_rawseti(L, 3, k + 1);
    lua_pushinteger(L, r->bi);
    lua_rawseti(L, 3, k + 2);
    lua_pushinteger(L, r->bj);
    lua_rawseti(L, 3, k + 3);
    lua_pushlstring(L, (const char *)ps->buf + r->woff, r->wn);
    lua_rawseti(L, 3, k + 4);
    lua_pushinteger(L, r->flags);
    lua_rawseti(L, 3, k + 5);
    pval_push(L, 2, r->gender);
    lua_rawseti(L, 3, k + 6);
    pval_push(L, 2, r->rec);
    lua_rawseti(L, 3, k + 7);
  }
  return 1;
}

/* core.entity_pend(D, B, i, j, word, flags [, gender [, rec]]): appends a
 * name to D.pending, as the readers do (B a block record). */
static int l_entity_pend(lua_State *L) {
  lua_Integer i = luaL_checkinteger(L, 3), j = luaL_checkinteger(L, 4), flags;
  size_t wn;
  const char *w;
  luaL_checktype(L, 1, LUA_TTABLE);
  check_block(L, 2);
  w = luaL_checklstring(L, 5, &wn);
  flags = luaL_checkinteger(L, 6);
  if (flags < 0 || flags > 7) return luaL_argerror(L, 6, "flags 0 to 7");
  lua_settop(L, 8);
  pending_add(L, 1, 2, i, j, (const unsigned char *)w, wn, (int)flags, 7,
              lua_toboolean(L, 8) ? 8 : 0);
  return 0;
}

static int run_single(Cue *cp, int cover, int ends, lua_Integer a, lua_Integer z,
                      lua_Integer z2, lua_Integer *pi, lua_Integer *pj) {
  Cue c = *cp;
  lua_State *L = c.L;
  const unsigned char *w;
  size_t wn, ln;
  int person = 0, h, top = lua_gettop(L), hv;
  Match g;
  /* one word: most runs are a known name or a sentence's first word */
  if (cue_match_c(&c, cover, a, &g)) {
    lua_pop(L, 1);
    if (g.j >= z2) return 0;
  }
  w = c.s + a - 1;
  wn = (size_t)(z - a + 1);
  ln = (size_t)(z2 - a + 1); /* the word without its possessive ending */
  if (is_connector(w, wn)) return 0;
  h = cue_has(&c, CUE_FIRST_NAMES, w, wn, 0);
  if (!h && first_upper_b(w[0]) && cue_place_around(&c, a, z)) {
    /* "Kagoshima prefecture" */
    *pi = a;
    *pj = z2;
    return 1;
  }
  if (wn > 7 && w[wn - 1] == 'd' && memcmp(w + wn - 6, "-based", 6) == 0 && w[0] >= 'A' &&
      w[0] <= 'Z') {
    /* "the Tempe-based company": a place */
    size_t bn = wn - 6, x;
    int ok = bn >= 2, covered;
    for (x = 1; ok && x < bn; x++) ok = islower(w[x]) != 0;
    if (ok) {
      mx_geti(L, cover, a);
      covered = lua_toboolean(L, -1);
      lua_pop(L, 1);
      if (!covered && !cue_has(&c, CUE_COMMON, w, bn, 0) &&
          (!cue_english(&c, w, bn) || cue_has(&c, CUE_PROPER, w, bn, 0))) {
        *pi = a;
        *pj = a + (lua_Integer)bn - 1;
        return 1;
      }
    }
  }
  /* an honorific ("Mr.", "Sheikh") or a formal title right before */
  lua_pushnil(L); /* the honorific's gender */
  hv = lua_gettop(L);
  h = 0;
  if (a >= 3 && cue_byte(&c, a - 1) == ' ') {
    int b = cue_byte(&c, a - 2);
    if (b == '.' || is_lower_b(b)) {
      lua_Integer pa, pz;
      cue_prev_word(&c, a - 2, 24, &pa, &pz);
      cue_get(&c, CUE_HONORIFICS, c.s + pa - 1, pz >= pa ? (size_t)(pz - pa + 1) : 0);
      h = lua_toboolean(L, -1);
      lua_replace(L, hv);
    }
  }
  if (!h && a >= 3 && cue_match_c(&c, ends, a - 2, &g)) {
    lua_pop(L, 1);
    if (g.kind == K_TITLE && !g.dead && cue_byte(&c, a - 1) == ' ' &&
        first_upper_b(cue_byte(&c, g.i))) {
      size_t ta = 0, tz = 0;
      lede_range(g.i, g.j, (size_t)c.n, &ta, &tz);
      person = cue_has(&c, CUE_FORMAL, c.s + ta, tz - ta, 1);
    }
  }
  if ((h || person) &&
      !(cue_has(&c, CUE_ORG_TAILS, w, wn, 0) || cue_has(&c, CUE_PLACE_TAILS, w, wn, 0) ||
        cue_has(&c, CUE_THING_TAILS, w, wn, 0) || cue_has(&c, CUE_ORG_HEADS, w, wn, 0)))
    person = 1;
  else
    person = 0;
  /* what the words around it say is read when no person's name has it */
  push_pending(L, a, z2, w, ln, person, 0, h ? hv : 0);
  lua_settop(L, top);
  return 0;
}

/* ---- roles around a person's name (lede.entities' roles_of) ----------- */

/* core.entity_roles(B, sets, i, j) -> rs1, re1, rs2, re2, ...: the roles
 * read around a person's name at [i, j] of block B, as block positions
 * (at most three): the title words before the name ("South Korean
 * counterpart"), an apposition after it ("Name, deputy director of ...")
 * and one before it ("The director of ..., Name"). Nothing when there is
 * none. B also gives list (its gazetteer matches in order), starts_at,
 * ends_at and cover; sets the word sets (CUE_*). */

#define K_DEMONYM 2
#define ROLE_WINDOW 250 /* roles longer than this are not read */

static int is_word_sep(int b) {
  return b == ' ' || b == ',' || b == ';' || b == ':' || b == '(' || b == '"';
}

/* lede.entities' word_before(s, p) over s[lo0 .. hi0] (1-based, a window
 * of the text: positions are the window's, 1 its first byte): the word
 * ending at p back to the last separator, at most 64 bytes; *a its start,
 * *z its end (*z < *a: empty). */
static void word_before_in(const unsigned char *s, lua_Integer len, lua_Integer p, lua_Integer *a,
                           lua_Integer *z) {
  lua_Integer lo, q, e;
  if (p < 1) {
    *a = 1;
    *z = 0;
    return;
  }
  lo = p > 64 ? p - 63 : 1;
  e = p > len ? len : p;
  q = lo - 1;
  {
    lua_Integer x;
    for (x = e; x >= lo; x--)
      if (is_word_sep(s[x - 1])) {
        q = x;
        break;
      }
  }
  if (p > len) {
    /* the part after the last separator of s[lo .. len]; its start as if
     * it ended at p */
    lua_Integer wl = e - q;
    if (wl < 0) wl = 0;
    *z = e;
    *a = e - wl + 1;
    /* lede.entities returns p - #w + 1 as the start; the caller only
     * needs the bytes here */
    return;
  }
  *a = q + 1;
  *z = p;
}

static int span_is(const unsigned char *w, lua_Integer n, const char *lit) {
  size_t l = strlen(lit);
  return n == (lua_Integer)l && memcmp(w, lit, l) == 0;
}

/* Whether w (n bytes) lowered is a determiner ("the", "a", "an"). */
static int is_determiner(const unsigned char *w, lua_Integer n) {
  unsigned char b[3];
  lua_Integer k;
  if (n < 1 || n > 3) return 0;
  for (k = 0; k < n; k++) b[k] = (unsigned char)tolower(w[k]);
  return span_is(b, n, "the") || span_is(b, n, "a") || span_is(b, n, "an");
}

/* [%l%-]+$ from the second byte on, for a word of two bytes or more. */
static int shape_tail_lower(const unsigned char *w, lua_Integer n) {
  lua_Integer k;
  if (n < 2) return 0;
  for (k = 1; k < n; k++)
    if (!(islower(w[k]) || w[k] == '-')) return 0;
  return 1;
}

/* ^%l[%l%-]+$ */
static int shape_lower(const unsigned char *w, lua_Integer n) {
  return n >= 2 && islower(w[0]) && shape_tail_lower(w, n);
}

/* ^%u[%l%-]+$ */
static int shape_cap(const unsigned char *w, lua_Integer n) {
  return n >= 2 && isupper(w[0]) && shape_tail_lower(w, n);
}

/* ^%u%u[%u%d]?[%u%d]?[%u%d]?$ */
static int shape_acronym(const unsigned char *w, lua_Integer n) {
  lua_Integer k;
  if (n < 2 || n > 5 || !isupper(w[0]) || !isupper(w[1])) return 0;
  for (k = 2; k < n; k++)
    if (!(isupper(w[k]) || isdigit(w[k]))) return 0;
  return 1;
}

/* ^%l+['’]s$ (one byte of ' or of ’, then s) */
static int shape_possessive(const unsigned char *w, lua_Integer n) {
  lua_Integer k = 0;
  while (k < n && islower(w[k])) k++;
  return k >= 1 && k + 2 == n && apostrophe_byte(w[k]) && w[k + 1] == 's';
}

/* modifiers[w] or (modifiers[lower(w)] and sentence_start(a)) */
static int role_modifier(Cue *c, const unsigned char *w, size_t n, lua_Integer a) {
  if (cue_has(c, CUE_MODIFIERS, w, n, 0)) return 1;
  return cue_has(c, CUE_MODIFIERS, w, n, 1) && cue_sentence_start(c, a);
}

/* Whether the match on top of the stack is a kind role_before walks over. */
static int role_kind(const Match *m) {
  return m->kind == K_TITLE || m->kind == K_DEMONYM ||
         (m->kind == K_ENTITY && m->etype != ET_PERSON);
}

/* lede.entities' role_before: walks back from p (a name's first byte) over
 * title words, adjectival forms, place and organisation names and role
 * modifiers. Returns 0 (no title) or 1 with *start (0: none) and, when
 * *has_end, *hend: an honorific title's end when the role has more titles. */
static int role_before(Cue *c, int ends, int cover, lua_Integer p, int titled, lua_Integer *start,
                       int *has_end, lua_Integer *hend) {
  lua_State *L = c->L;
  int has_title = titled, steps = 0, titles = 0, proper = 0, lower = 0;
  lua_Integer pos = p - 1, st = 0, honorific_end = 0, tentative = 0;
  int has_hend = 0;
  Match m, t;
  while (pos >= 2 && cue_byte(c, pos) == ' ' && steps < 12) {
    lua_Integer q = pos - 1;
    int possessive = 0, x1, x2, have;
    steps++;
    x2 = cue_byte(c, q);
    x1 = q >= 2 ? cue_byte(c, q - 1) : -1;
    if (x2 == 's' && x1 == '\'' && q >= 2) {
      q -= 2;
      possessive = 1;
    } else if (x2 == 's' && x1 == 0x99 && q >= 4 && cue_byte(c, q - 3) == 0xE2 &&
               cue_byte(c, q - 2) == 0x80) {
      q -= 4;
      possessive = 1;
    }
    have = cue_match_c(c, ends, q, &m);
    if (have) lua_pop(L, 1);
    if (have && role_kind(&m) && !m.dead) {
      if (possessive && m.kind == K_TITLE) break;
      if (m.kind != K_TITLE && !possessive) {
        /* "Ambassador to Mexico", "Envoy for Syria": a title, a preposition, a place */
        lua_Integer pl = 0;
        if (m.i - 5 >= 1 && cue_byte(c, m.i - 5) == ' ' && islower(cue_byte(c, m.i - 4)) &&
            islower(cue_byte(c, m.i - 3)) && islower(cue_byte(c, m.i - 2)) &&
            cue_byte(c, m.i - 1) == ' ')
          pl = 3;
        else if (m.i - 4 >= 1 && cue_byte(c, m.i - 4) == ' ' && islower(cue_byte(c, m.i - 3)) &&
                 islower(cue_byte(c, m.i - 2)) && cue_byte(c, m.i - 1) == ' ')
          pl = 2;
        if (pl > 0) {
          const unsigned char *pw = c->s + (m.i - 1 - pl) - 1;
          if (span_is(pw, pl, "to") || span_is(pw, pl, "of") || span_is(pw, pl, "for")) {
            if (cue_match_c(c, ends, m.i - pl - 3, &t)) {
              lua_pop(L, 1);
              if (t.kind == K_TITLE && !t.dead) {
                has_title = 1;
                titles++;
                m = t;
              }
            }
          }
        }
      }
      if (m.kind == K_TITLE) {
        has_title = 1;
        titles++;
        if (st == 0) {
          size_t ta = 0, tz = 0;
          lede_range(m.i, m.j, (size_t)c->n, &ta, &tz);
          if (cue_has(c, CUE_HONORIFICS, c->s + ta, tz - ta, 0)) {
            honorific_end = m.i - 2;
            has_hend = 1;
          }
        }
      }
      st = m.i;
      pos = m.i - 1;
      tentative = 0;
    } else if (!possessive) {
      lua_Integer a, z, wn;
      const unsigned char *w;
      word_before_in(c->s, c->n, q, &a, &z);
      wn = z >= a ? z - a + 1 : 0;
      w = c->s + a - 1;
      if (wn > 0 && role_modifier(c, w, (size_t)wn, a)) {
        st = a;
        pos = a - 1;
      } else if (has_title && lower < 1 && shape_lower(w, wn) &&
                 !cue_has(c, CUE_CUES_AFTER, w, (size_t)wn, 0) &&
                 !cue_has(c, CUE_COMMON_LOWER, w, (size_t)wn, 0)) {
        /* "U.S. climate envoy": kept only when something further left qualifies */
        lower++;
        if (tentative == 0) tentative = st;
        st = a;
        pos = a - 1;
      } else if (has_title && proper < 2 && wn > 0 && first_upper_b(w[0]) &&
                 !cue_has(c, CUE_COMMON, w, (size_t)wn, 0) &&
                 !cue_has(c, CUE_GENERIC, w, (size_t)wn, 0) &&
                 (shape_cap(w, wn) || shape_acronym(w, wn))) {
        int covered;
        mx_geti(L, cover, a);
        covered = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (covered) break;
        /* "Houthi official" */
        proper++;
        st = a;
        pos = a - 1;
        tentative = 0;
      } else {
        break;
      }
    } else {
      break;
    }
  }
  if (!has_title) return 0;
  if (tentative != 0) st = tentative;
  *start = st;
  *has_end = has_hend && titles > 1;
  *hend = honorific_end;
  return 1;
}

/* lede.entities' title_ahead: from q over a determiner, modifiers,
 * adjectival forms, places and organisations to a title; the role's start
 * (after the determiner) or 0. */
static lua_Integer title_ahead(Cue *c, int starts, lua_Integer q) {
  lua_State *L = c->L;
  lua_Integer start, k;
  int proper = 0, lower = 0;
  Match m;
  if (q >= 1 && q <= c->n) {
    lua_Integer x = q;
    while (x <= c->n && isalpha(c->s[x - 1])) x++;
    if (x > q && cue_byte(c, x) == ' ' && is_determiner(c->s + q - 1, x - q)) {
      lua_Integer y;
      q = x + 1;
      /* "Jo Grady, the union's general secretary" */
      y = q;
      while (y <= c->n && islower(c->s[y - 1])) y++;
      if (y > q && apostrophe_byte((unsigned char)(cue_byte(c, y) < 0 ? 0 : cue_byte(c, y))) &&
          cue_byte(c, y + 1) == 's' && cue_byte(c, y + 2) == ' ')
        q = y + 3;
    }
  }
  start = q;
  for (k = 0; k < 8; k++) {
    int have = cue_match_c(c, starts, q, &m);
    if (have) lua_pop(L, 1);
    if (have && !m.dead) {
      int y1, y2;
      if (m.kind == K_TITLE) return start;
      if (!(m.kind == K_DEMONYM || (m.kind == K_ENTITY && m.etype != ET_PERSON))) return 0;
      q = m.j + 1;
      y1 = cue_byte(c, q);
      y2 = cue_byte(c, q + 1);
      if (y1 == '\'' && y2 == 's')
        q += 2;
      else if (y1 == 0xE2 && y2 == 0x80 && cue_byte(c, q + 2) == 0x99 && cue_byte(c, q + 3) == 's')
        q += 4;
      if (cue_byte(c, q) != ' ') return 0;
      q++;
    } else {
      lua_Integer x = q, wn;
      const unsigned char *w;
      if (q < 1 || q > c->n) return 0;
      while (x <= c->n && (isalpha(c->s[x - 1]) || c->s[x - 1] == '-')) x++;
      if (x == q || cue_byte(c, x) != ' ') return 0;
      w = c->s + q - 1;
      wn = x - q;
      if (role_modifier(c, w, (size_t)wn, q)) {
        q = x + 1;
      } else if (proper < 2 && shape_cap(w, wn) && !cue_has(c, CUE_COMMON, w, (size_t)wn, 0) &&
                 !cue_has(c, CUE_GENERIC, w, (size_t)wn, 0)) {
        /* "a senior Houthi official" */
        proper++;
        q = x + 1;
      } else if (lower < 3 && shape_lower(w, wn) && !cue_has(c, CUE_CUES_AFTER, w, (size_t)wn, 0) &&
                 !cue_has(c, CUE_COMMON_LOWER, w, (size_t)wn, 0)) {
        /* "an infectious disease specialist" */
        lower++;
        q = x + 1;
      } else {
        return 0;
      }
    }
  }
  return 0;
}

/* lede.entities' clause_end: the last byte before the first , ; : ( )
 * quote or sentence end after p (within the window). */
static lua_Integer clause_end(Cue *c, lua_Integer p) {
  const unsigned char *w;
  lua_Integer len, e, x;
  if (p < 1) p = 1; /* (never: p is a role's start) */
  len = p > c->n ? 0 : c->n - p + 1;
  if (len > ROLE_WINDOW + 1) len = ROLE_WINDOW + 1;
  w = c->s + p - 1;
  e = len;
  for (x = 1; x <= len; x++) {
    unsigned char b = w[x - 1];
    if (b == ',' || b == ';' || b == ':' || b == '(' || b == ')' || b == '"') {
      e = x - 1;
      break;
    }
  }
  for (x = 1; x + 2 <= len; x++) {
    if (w[x - 1] == 0xE2 && w[x] == 0x80 &&
        (w[x + 1] == 0x93 || w[x + 1] == 0x94 || w[x + 1] == 0x9C || w[x + 1] == 0x9D)) {
      if (x - 1 < e) e = x - 1;
      break;
    }
  }
  for (x = 1; x <= len && x <= e; x++) {
    int nx, p1, p2;
    if (w[x - 1] != '.') continue;
    nx = x + 1 <= len ? w[x] : -1;
    if (nx == -1 || nx == ' ') {
      lua_Integer a, z;
      int abbrev;
      /* a period after a single capital is an initial ("J. Smith"), not an end */
      p1 = x >= 2 ? w[x - 2] : -1;
      p2 = x >= 3 ? w[x - 3] : ' ';
      word_before_in(w, len, x, &a, &z);
      abbrev = cue_has(c, CUE_ABBREV, w + a - 1, z >= a ? (size_t)(z - a + 1) : 0, 0);
      if (!(p2 == ' ' && p1 >= 'A' && p1 <= 'Z') && !abbrev) {
        if (x - 1 < e) e = x - 1;
        break;
      }
    }
  }
  return p + e - 1;
}

static lua_Integer trim_right(const Cue *c, lua_Integer j, lua_Integer i) {
  while (j >= i && cue_byte(c, j) == ' ') j--;
  return j;
}

/* The roles around the name [i, j] of block B (stack index b; cp its Cue:
 * text and word sets): at most three, as first and last byte in out[0..6);
 * returns how many numbers it wrote. Leaves the stack as it found it. */
static int roles_of(const Cue *cp, int b, lua_Integer i, lua_Integer j, lua_Integer *out) {
  Cue c = *cp;
  lua_State *L = c.L;
  lua_Integer rs, hend;
  int top = lua_gettop(L), starts = top + 1, ends = top + 2, cover = top + 3, list = top + 4,
      nout = 0, has_end;
  luaL_checkstack(L, 40, "entity_roles");
  cue_key(&c, b, KEY_starts_at);
  cue_key(&c, b, KEY_ends_at);
  cue_key(&c, b, KEY_cover);
  cue_key(&c, b, KEY_list);
  {
    MIndex *x = cue_blk(&c, b);
    if (x != NULL) { /* (its views at starts, ends and cover, itself at list) */
      c.bx = x;
      c.bxi = b;
      c.vi[0] = starts;
      c.vi[1] = ends;
      c.vi[2] = cover;
      c.li = list;
    }
  }
  /* the title words before */
  if (role_before(&c, ends, cover, i, 0, &rs, &has_end, &hend) && rs != 0) {
    out[nout++] = rs;
    out[nout++] = has_end ? hend : trim_right(&c, i - 1, rs);
  }
  /* apposition after: "Name, deputy director of ..., " */
  if (cue_byte(&c, j + 1) == ',' && cue_byte(&c, j + 2) == ' ') {
    lua_Integer q = j + 3, start;
    /* an age between the name and the role: "Jane Roe, 45, a teacher at ..." */
    if (isdigit(cue_byte(&c, q) < 0 ? 0 : cue_byte(&c, q))) {
      lua_Integer x = q;
      while (x < q + 3 && cue_byte(&c, x) >= 0 && isdigit(cue_byte(&c, x))) x++;
      if (cue_byte(&c, x) == ',' && cue_byte(&c, x + 1) == ' ') q = x + 2;
    }
    start = title_ahead(&c, starts, q);
    if (start != 0) {
      lua_Integer e = trim_right(&c, clause_end(&c, start), start);
      if (e - start < 200) {
        out[nout++] = start;
        out[nout++] = e;
      }
    }
  }
  /* apposition before: "The director of ... at Jilin University, Name" */
  if (i > 3 && cue_byte(&c, i - 2) == ',' && cue_byte(&c, i - 1) == ' ') {
    lua_Integer e = i - 3, lo = 1, hi, from, lo2, brk, floor, p, x, best = 0;
    hi = mx_len(L, list);
    /* the last match starting before e (binary search) */
    while (lo <= hi) {
      lua_Integer mid = (lo + hi) / 2, mi;
      mx_geti(L, list, mid);
      key_get(L, -1, KEY_i);
      mi = lua_tointeger(L, -1);
      lua_pop(L, 2);
      if (mi < e)
        lo = mid + 1;
      else
        hi = mid - 1;
    }
    from = e - ROLE_WINDOW;
    lo2 = from > 1 ? from : 1;
    /* the last clause break in [from, e]: , ; : ( ) " or a dash or curly quote */
    brk = 0;
    for (x = e > c.n ? c.n : e; x >= lo2; x--) {
      unsigned char b = c.s[x - 1];
      if (b == ',' || b == ';' || b == ':' || b == '(' || b == ')' || b == '"') {
        brk = x;
        break;
      }
    }
    floor = brk + 1 > lo2 ? brk + 1 : lo2;
    p = e - 2;
    while (p >= floor) {
      lua_Integer q = 0;
      int c1, c2;
      for (x = p > c.n ? c.n : p; x >= floor; x--)
        if (c.s[x - 1] == 0xE2) {
          q = x;
          break;
        }
      if (q == 0) break;
      c1 = cue_byte(&c, q + 1);
      c2 = cue_byte(&c, q + 2);
      if (c1 == 0x80 && (c2 == 0x93 || c2 == 0x94 || c2 == 0x9C || c2 == 0x9D)) {
        brk = q;
        break;
      }
      p = q - 1;
    }
    for (x = hi; x >= 1; x--) {
      Match t;
      if (!cue_match_c(&c, list, x, &t)) break;
      lua_pop(L, 1);
      if (t.i <= brk || t.i < from) break;
      if (t.kind == K_TITLE && !t.dead) best = t.i;
    }
    if (best != 0) {
      lua_Integer r0, h0, q, wa, wz, wn;
      int ok, b, h1;
      /* the role starts at the title or at the modifiers and adjectival
       * forms before it; before that comes the clause's start */
      if (!(role_before(&c, ends, cover, best, 1, &r0, &h1, &h0) && r0 != 0)) r0 = best;
      q = r0 - 1;
      word_before_in(c.s, c.n, q - 1, &wa, &wz);
      wn = wz >= wa ? wz - wa + 1 : 0;
      if (cue_byte(&c, q) == ' ' && shape_possessive(c.s + wa - 1, wn) && wa > 2) {
        /* "The state's chief minister, Yogi Adityanath" */
        lua_Integer wa2, wz2;
        word_before_in(c.s, c.n, wa - 2, &wa2, &wz2);
        if (is_determiner(c.s + wa2 - 1, wz2 >= wa2 ? wz2 - wa2 + 1 : 0)) {
          q = wa - 1;
          wa = wa2;
          wz = wz2;
          wn = wz >= wa ? wz - wa + 1 : 0;
        }
      }
      if (cue_byte(&c, q) == ' ' && is_determiner(c.s + wa - 1, wn)) q = wa - 1;
      ok = q < 1;
      if (!ok) {
        b = cue_byte(&c, q);
        if (b == ' ') b = cue_byte(&c, q - 1);
        ok = b == ',' || b == ';' || b == ':' || b == '(' || b == '"' || b == '.' || b == '!' ||
             b == '?' || b == 0x9C || b == 0x94 || b == 0x93;
      }
      if (ok) {
        out[nout++] = r0;
        out[nout++] = e;
      }
    }
  }
  lua_settop(L, top);
  return nout;
}

static int l_entity_roles(lua_State *L) {
  Cue c;
  size_t sn;
  lua_Integer i = luaL_checkinteger(L, 3), j = luaL_checkinteger(L, 4), out[6];
  int k, nout;
  check_block(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 4);
  c.L = L;
  c.sets = 2;
  cue_sets_init(&c);
  c.s = blk_text(L, 1, &sn); /* 5 */
  c.n = (lua_Integer)sn;
  nout = roles_of(&c, 1, i, j, out);
  for (k = 0; k < nout; k++) lua_pushinteger(L, out[k]);
  return nout;
}

/* ---- organisation shapes in a run (lede.entities' org_spans) ---------- */

#define RUN_WORDS 128 /* a run has at most 46 words (16 and their connectors) */

typedef struct {
  lua_Integer i[RUN_WORDS + 1], j[RUN_WORDS + 1]; /* 1-based words */
  int n;
} Words;

#define WTEXT(x) (c->s + W->i[x] - 1)
#define WLEN(x) ((size_t)(W->j[x] - W->i[x] + 1))
#define WIS(x, lit) (WLEN(x) == sizeof lit - 1 && memcmp(WTEXT(x), lit, sizeof lit - 1) == 0)

/* Whether a word ends in "s" after one of the bytes ' or of ’ (ends_poss). */
static int ends_poss_b(const unsigned char *w, size_t n) {
  return n >= 2 && w[n - 1] == 's' && apostrophe_byte(w[n - 2]);
}

/* sets[k] holds word x, or word x without its last two bytes when they are
 * a possessive ending (strip_poss). */
static int has_stripped(Cue *c, int k, const unsigned char *w, size_t n) {
  return cue_has(c, k, w, ends_poss_b(w, n) ? n - 2 : n, 0);
}

/* The cover match of word x: 1 with *g filled (popped), else 0. */
static int cover_of(Cue *c, int cover, lua_Integer p, Match *g) {
  if (!cue_match_c(c, cover, p, g)) return 0;
  lua_pop(c->L, 1);
  return 1;
}

/* The words of the run [a, z]: what lies between its spaces. */
static void run_words(Cue *c, lua_Integer a, lua_Integer z, Words *W) {
  lua_Integer p = a;
  int n = 0;
  for (;;) {
    lua_Integer y = p;
    while (y <= z && c->s[y - 1] != ' ') y++;
    if (n == RUN_WORDS) luaL_error(c->L, "entities: too many words in a run");
    n++;
    W->i[n] = p;
    W->j[n] = y - 1;
    if (y - 1 >= z) break;
    p = y + 1;
  }
  W->n = n;
}

/* The organisation shapes in the words W of a run ("Earthquake Research
 * Institute", "Bank of Korea", "University College London"): five values
 * each in out (its first and last byte, its first and last word, 1 when it
 * names a place, "Madison Square Garden", else 0); returns their number. */
static int run_spans(Cue *c, Words *W, int starts, int cover, lua_Integer *out) {
  lua_State *L = c->L;
  int n = W->n, k, min_l = 1, nspans = 0;
  k = 1;
  while (k <= n) {
    const unsigned char *w = WTEXT(k);
    size_t wl = WLEN(k);
    int head, tail, place;
    Match g;
    head = k < n && (WIS(k + 1, "of") || WIS(k + 1, "for") || WIS(k + 1, "on")) &&
           cue_has(c, CUE_ORG_HEADS, w, wl, 0);
    tail = cue_has(c, CUE_ORG_TAILS, w, wl, 0);
    if (!tail && ends_poss_b(w, wl)) tail = cue_has(c, CUE_ORG_TAILS, w, wl - 2, 0);
    place = !head && cue_has(c, CUE_PLACE_TAILS, w, wl, 0);
    if (place) tail = 1;
    if (tail && !head) {
      int x;
      /* "Earthquake Research Institute": the last of several name endings */
      while (k < n && (cue_has(c, CUE_ORG_TAILS, WTEXT(k + 1), WLEN(k + 1), 0) ||
                       has_stripped(c, CUE_ORG_TAILS, WTEXT(k + 1), WLEN(k + 1)))) {
        int covered;
        mx_geti(L, cover, W->i[k + 1]);
        covered = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (covered) break;
        k++;
        place = 0;
      }
      /* "UK Health Security Agency": more name words and a later ending */
      x = ends_poss_b(WTEXT(k), WLEN(k)) ? n + 1 : k + 1;
      while (x <= n && x <= k + 3) {
        const unsigned char *t = WTEXT(x);
        size_t tl = WLEN(x);
        int have = cover_of(c, cover, W->i[x], &g);
        if (is_connector(t, tl) || cue_has(c, CUE_COMMON, t, tl, 0) || ends_poss_b(t, tl) ||
            (have && !g.dead && (g.kind == K_TITLE || g.etype == ET_PERSON)))
          break;
        if (cue_has(c, CUE_ORG_TAILS, t, tl, 0)) {
          k = x;
          place = 0;
        } else if (place && cue_has(c, CUE_PLACE_TAILS, t, tl, 0)) {
          k = x; /* "Madison Square Garden" */
        }
        x++;
      }
      if (k < n && (WIS(k + 1, "of") || WIS(k + 1, "for")) &&
          cue_has(c, CUE_ORG_HEADS, WTEXT(k), WLEN(k), 0))
        head = 1;
      if (!head && k < n) {
        /* "University College London", "King's College London" */
        if (cover_of(c, cover, W->i[k + 1], &g) && g.kind == K_ENTITY && g.etype == ET_PLACE &&
            g.j == W->j[n] && !place)
          k = n;
      }
    }
    if (head || tail) {
      int l = k, r;
      /* left: capitalised words that are not common words, titles or persons */
      while (l > min_l) {
        int pw = l - 1, have = cover_of(c, cover, W->i[pw], &g);
        const unsigned char *pt;
        size_t pl;
        if (have && g.kind == K_ENTITY && g.etype != ET_PERSON && g.i < W->i[pw]) {
          /* the word ends a known name: take the whole name */
          int y = l - 1;
          while (y > min_l && W->i[y] > g.i) y--;
          if (W->i[y] != g.i) break;
          l = y;
          if (l <= min_l) break;
          pw = l - 1;
          have = cover_of(c, cover, W->i[pw], &g);
        }
        if (WIS(pw, "and") && l >= 3 &&
            (cue_has(c, CUE_ORG_HEADS, WTEXT(l - 2), WLEN(l - 2), 0) ||
             cue_has(c, CUE_ORG_TAILS, WTEXT(l - 2), WLEN(l - 2), 0))) {
          int covered;
          mx_geti(L, cover, W->i[l - 2]);
          covered = lua_toboolean(L, -1);
          lua_pop(L, 1);
          if (!covered) {
            /* "University and College Union" */
            l--;
            pw = l - 1;
            have = cover_of(c, cover, W->i[pw], &g);
          }
        } else if (WIS(pw, "New") && !cue_sentence_start(c, W->i[pw])) {
          /* "the New Patriotic Party" */
          l--;
          break;
        }
        pt = WTEXT(pw);
        pl = WLEN(pw);
        if (is_connector(pt, pl) || cue_has(c, CUE_COMMON, pt, pl, 0)) break;
        /* "Rival Luckin Coffee" */
        if (cue_has(c, CUE_ORG_BEFORE, pt, pl, 1) && cue_sentence_start(c, W->i[pw])) break;
        /* "Watching NBA League" */
        if (!have && pl >= 4 && islower(pt[pl - 4]) && memcmp(pt + pl - 3, "ing", 3) == 0 &&
            cue_sentence_start(c, W->i[pw]))
          break;
        if (ends_poss_b(pt, pl)) {
          if (!(have && g.kind == K_TITLE)) break;
        } else if (have && g.kind == K_TITLE && l == k && g.j == W->j[pw] && first_upper_b(pt[0])) {
          /* "General Court": a title word starting the name */
          l--;
          break;
        } else if (have && (g.kind == K_TITLE || (g.kind == K_ENTITY && g.etype == ET_PERSON))) {
          break;
        }
        l--;
      }
      r = k;
      if (head) {
        /* right: through connectors and capitalised words to the run's end */
        int x = k + 1;
        while (x <= n) {
          const unsigned char *t = WTEXT(x);
          size_t tl = WLEN(x);
          int covered;
          if (cue_match_c(c, starts, W->i[x], &g)) {
            lua_pop(L, 1);
            if (g.kind == K_TITLE || (g.kind == K_ENTITY && g.etype == ET_PERSON)) break;
          }
          mx_geti(L, cover, W->i[x]);
          covered = lua_toboolean(L, -1);
          lua_pop(L, 1);
          if (!covered && cue_has(c, CUE_COMMON, t, tl, 0)) break;
          if (WIS(x, "and")) {
            /* "... of Modern Art and the Whitney Museum": two names */
            int y, another = 0;
            if (x < n &&
                (WIS(x + 1, "the") || cue_has(c, CUE_FIRST_NAMES, WTEXT(x + 1), WLEN(x + 1), 0)))
              break;
            for (y = x + 1; y <= n && !another; y++)
              another = cue_has(c, CUE_ORG_HEADS, WTEXT(y), WLEN(y), 0) ||
                        cue_has(c, CUE_ORG_TAILS, WTEXT(y), WLEN(y), 0);
            if (another) break;
          }
          if (ends_poss_b(t, tl)) {
            r = x;
            break;
          }
          if (!is_connector(t, tl)) r = x;
          x++;
        }
      } else if (k < n && (WIS(k + 1, "of") || WIS(k + 1, "for")) && k + 2 <= n) {
        /* "Bank of Korea", "University of Tokyo" */
        int x = k + 2;
        while (x <= n && !WIS(x, "and") && !cue_has(c, CUE_COMMON, WTEXT(x), WLEN(x), 0)) {
          if (!is_connector(WTEXT(x), WLEN(x))) r = x;
          x++;
        }
      }
      if (r > l || (head && r > k)) {
        lua_Integer start = W->i[l];
        if (l == 1 && cover_of(c, cover, start, &g) && g.kind == K_ENTITY && g.i < start)
          start = g.i;
        out[5 * nspans] = start;
        out[5 * nspans + 1] = W->j[r];
        out[5 * nspans + 2] = l;
        out[5 * nspans + 3] = r;
        out[5 * nspans + 4] = place && r == k;
        nspans++;
        k = r + 1;
        min_l = k;
      } else {
        k++;
      }
    } else {
      k++;
    }
  }
  return nspans;
}

#undef WTEXT
#undef WLEN
#undef WIS

/* ---- a piece of unknown capitalised words (lede.entities' classify_piece) */

/* classify_piece (lede.entities' classify_piece, from core.entity_runs)
 * decides what the words x1..x2 of a run, no list knowing them, are: for a
 * name it calls act(D, B, etype, i, j, gender) ("person", "place" or
 * "organization"; the name is B.s:sub(i, j)); a single word goes to
 * D.pending, read once the whole text is. Connectors and common words at
 * the edges are left out; the piece is split at connectors that are no
 * name particles and after a possessive. */
/* The value of honorifics[the word before i] when an honorific stands
 * right before i ("Mr.", "Sheikh"), pushed; returns its truth. */
static int cue_honorific(Cue *c, lua_Integer i) {
  if (i >= 3 && cue_byte(c, i - 1) == ' ') {
    int b = cue_byte(c, i - 2);
    if (b == '.' || is_lower_b(b)) {
      lua_Integer pa, pz;
      cue_prev_word(c, i - 2, 24, &pa, &pz);
      cue_get(c, CUE_HONORIFICS, c->s + pa - 1, pz >= pa ? (size_t)(pz - pa + 1) : 0);
      return lua_toboolean(c->L, -1);
    }
  }
  lua_pushnil(c->L);
  return 0;
}

/* lede.entities' title_before: whether the title right before i makes the
 * next words a name (a formal title, or with !formal any title in lower
 * case). */
static int cue_title_before(Cue *c, int ends, lua_Integer i, int formal) {
  Match t;
  if (i < 3 || !cue_match_c(c, ends, i - 2, &t)) return 0;
  lua_pop(c->L, 1);
  if (t.kind != K_TITLE || t.dead || cue_byte(c, i - 1) != ' ') return 0;
  if (first_upper_b(cue_byte(c, t.i))) {
    size_t ta = 0, tz = 0;
    lede_range(t.i, t.j, (size_t)c->n, &ta, &tz);
    return cue_has(c, CUE_FORMAL, c->s + ta, tz - ta, 1);
  }
  return !formal;
}

/* lede.entities' has_cue: "according to X", "X said". */
static int cue_has_cue(Cue *c, lua_Integer i, lua_Integer j) {
  lua_State *L = c->L;
  lua_Integer p = j + 1, a1, z1, a2, z2;
  int two;
  luaL_Buffer b;
  size_t n1, x;
  if (cue_byte(c, p) == ',') p++;
  if (cue_byte(c, p) == ' ' && islower(cue_byte(c, p + 1) < 0 ? 0 : cue_byte(c, p + 1))) {
    lua_Integer q = p + 1;
    while (cue_byte(c, q) >= 0 && islower(cue_byte(c, q))) q++;
    if (cue_has(c, CUE_CUES_AFTER, c->s + p, (size_t)(q - p - 1), 0)) return 1;
  }
  if (i < 3 || cue_byte(c, i - 1) != ' ') return 0;
  cue_prev_word(c, i - 2, 24, &a1, &z1);
  if (z1 < a1) return 0;
  n1 = (size_t)(z1 - a1 + 1);
  if (cue_has(c, CUE_CUES_BEFORE1, c->s + a1 - 1, n1, 1)) return 1;
  if (a1 < 3 || cue_byte(c, a1 - 1) != ' ') return 0;
  cue_prev_word(c, a1 - 2, 24, &a2, &z2);
  if (z2 < a2) return 0;
  if (c->es != NULL && (size_t)(z2 - a2 + 1) + 1 + n1 <= 128) {
    /* the two words and their space looked up in place (cue_has lowers them) */
    unsigned char two_w[128];
    size_t n2 = (size_t)(z2 - a2 + 1);
    memcpy(two_w, c->s + a2 - 1, n2);
    two_w[n2] = ' ';
    memcpy(two_w + n2 + 1, c->s + a1 - 1, n1);
    return cue_has(c, CUE_CUES_BEFORE2, two_w, n2 + 1 + n1, 1);
  }
  lua_rawgeti(L, c->sets, CUE_CUES_BEFORE2);
  luaL_buffinit(L, &b);
  for (x = 0; x < (size_t)(z2 - a2 + 1); x++)
    luaL_addchar(&b, (char)tolower(c->s[a2 - 1 + (lua_Integer)x]));
  luaL_addchar(&b, ' ');
  for (x = 0; x < n1; x++) luaL_addchar(&b, (char)tolower(c->s[a1 - 1 + (lua_Integer)x]));
  luaL_pushresult(&b);
  lua_rawget(L, -2);
  two = lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1);
  lua_pop(L, 2);
  return two;
}

/* ^%u%l[%l%-'’]*%u?[%l%-'’]*$ : a capital, a lower-case letter, then lower-case
 * letters, hyphens and apostrophe bytes with at most one capital. */
static int shape_plain(const unsigned char *w, size_t n) {
  size_t k;
  int caps = 0;
  if (n < 2 || !isupper(w[0]) || !islower(w[1])) return 0;
  for (k = 2; k < n; k++) {
    if (isupper(w[k])) {
      if (++caps > 1) return 0;
    } else if (!(islower(w[k]) || w[k] == '-' || apostrophe_byte(w[k]))) {
      return 0;
    }
  }
  return 1;
}

/* ^%u%l+$ */
static int shape_title(const unsigned char *w, size_t n) {
  size_t k;
  if (n < 2 || !isupper(w[0])) return 0;
  for (k = 1; k < n; k++)
    if (!islower(w[k])) return 0;
  return 1;
}

/* ---- the document's entities and mentions (lede.entities' D) --------- */

/* The readers below record what they find in lede.entities' document
 * record D (a table: text, list, at, pending, pvals, acronyms), as its
 * doc_entity, add_mention and person_mention did:
 *
 * - an entity E = { name, type, roles, gender, _role, [0] = its place in D.list } per key
 *   (its type and name; "Commerce Ministry" and "Ministry of Commerce" are
 *   one organisation), in D.at's entities by key (in C) and, in order,
 *   D.list; a person's name
 *   also names it by the words after each of its spaces (kept with the
 *   keys in D.at, see tail_key; the first person so named);
 * - a mention per start position, in C (D.at, a lede.EntityMentions: a
 *   longer mention at the same place replaces a shorter one, which is
 *   marked dead); its Lua record is made by core.entity_output. */

/* ---- the mentions of a document, in C (D.at) -------------------------- */

/* D.at is a lede.EntityMentions: every mention made, in order, as { i, j,
 * the ordinal of its entity in D.list, dead }, and by start position the
 * live one there. Lua records are made only for the output
 * (core.entity_output) and for inspection (core.entity_mentions). */
typedef struct {
  lua_Integer i, j, ent;
  int dead;
} Ment;

/* An entity of the document by its key (type and name, see doc_entity). */
typedef struct {
  size_t off, len; /* its key's bytes in kbuf */
  uint64_t hash;
  lua_Integer ord; /* its place in D.list, 0: an empty slot */
} EKey;

typedef struct MStore {
  unsigned magic; /* MS_MAGIC: what ms_of checks the userdata by */
  Ment *m;
  size_t n, cap;
  size_t *slot; /* per slot: 1 + the index in m of the mention there, 0 empty */
  size_t mask;  /* slots - 1 (a power of two), 0 before the first mention */
  int closed;
  /* the entities by key */
  EKey *ks;
  size_t kmask, kn; /* slots - 1, 0 before the first; keys */
  unsigned char *kbuf, *scratch;
  size_t kbn, kcap, scap;
  /* per ordinal of D.list: the type doc_entity gave the entity (ET_*), ET_NONE
   * when not known (the readers then read E.type) */
  unsigned char *et;
  size_t etcap;
} MStore;

#define MS_MT "lede.EntityMentions"
#define MS_MAGIC 0x4D53544Fu

static int ms_gc(lua_State *L) {
  MStore *ms = (MStore *)luaL_checkudata(L, 1, MS_MT);
  free(ms->m);
  free(ms->slot);
  free(ms->ks);
  free(ms->kbuf);
  free(ms->scratch);
  free(ms->et);
  ms->et = NULL;
  ms->etcap = 0;
  ms->m = NULL;
  ms->slot = NULL;
  ms->ks = NULL;
  ms->kbuf = ms->scratch = NULL;
  ms->n = ms->cap = ms->mask = ms->kmask = ms->kn = ms->kbn = ms->kcap = ms->scap = 0;
  ms->closed = 1;
  return 0;
}

static int ms_tostring(lua_State *L) {
  MStore *ms = (MStore *)luaL_checkudata(L, 1, MS_MT);
  if (ms->closed) lua_pushliteral(L, MS_MT " (closed)");
  else lua_pushfstring(L, MS_MT " (%d mentions)", (int)ms->n);
  return 1;
}

static int ms_len(lua_State *L) {
  MStore *ms = (MStore *)luaL_checkudata(L, 1, MS_MT);
  if (ms->closed) return luaL_error(L, "closed");
  lua_pushinteger(L, (lua_Integer)ms->n);
  return 1;
}

static const luaL_Reg ms_methods[] = {{"close", ms_gc}, {NULL, NULL}};

/* Pushes a new, empty store. */
/* The type doc_entity gave entity ord of D.list (ET_NONE: not known). */
static int ms_etype(const MStore *ms, lua_Integer ord) {
  return ord >= 1 && (size_t)ord < ms->etcap ? ms->et[ord] : ET_NONE;
}

/* Keeps type t of entity ord (nothing kept when memory runs out: the readers
 * then read E.type). */
static void ms_etype_put(MStore *ms, lua_Integer ord, int t) {
  if (ord < 1 || ord > 0x7FFFFFF) return;
  if ((size_t)ord >= ms->etcap) {
    size_t cap = ms->etcap ? ms->etcap * 2 : 64;
    unsigned char *p;
    while (cap <= (size_t)ord) cap *= 2;
    p = (unsigned char *)realloc(ms->et, cap);
    if (p == NULL) return;
    memset(p + ms->etcap, ET_NONE, cap - ms->etcap);
    ms->et = p;
    ms->etcap = cap;
  }
  ms->et[ord] = (unsigned char)t;
}

static MStore *ms_new(lua_State *L) {
  MStore *ms = (MStore *)lua_newuserdata(L, sizeof(MStore));
  memset(ms, 0, sizeof *ms);
  ms->magic = MS_MAGIC;
  luaL_setmetatable(L, MS_MT);
  return ms;
}

/* The store of D (stack index d): D.at; raises when it is none. */
static MStore *ms_of(lua_State *L, int d) {
  MStore *ms = NULL;
  const CharClass *cc = doc_cache(L);
  if (cc->dptr != NULL && lua_topointer(L, d) == cc->dptr) {
    if (cc->dms->closed) luaL_error(L, "closed");
    return cc->dms;
  }
  key_get(L, d, KEY_at);
  /* a size and mark check (cheaper than the metatable's), then the metatable's */
  if (lua_type(L, -1) == LUA_TUSERDATA && lua_rawlen(L, -1) == sizeof(MStore))
    ms = (MStore *)lua_touserdata(L, -1);
  if (ms == NULL || ms->magic != MS_MAGIC) ms = (MStore *)luaL_testudata(L, -1, MS_MT);
  if (ms == NULL) luaL_error(L, "entities: D.at is not a " MS_MT " (make D with core.entity_new)");
  if (ms->closed) luaL_error(L, "closed");
  lua_pop(L, 1); /* (D keeps it) */
  return ms;
}

static size_t ms_hash(lua_Integer i, size_t mask) {
  return (size_t)(((uint64_t)i * 0x9E3779B97F4A7C15ull) >> 20) & mask;
}

/* The index + 1 of the live mention at i, or 0. */
static size_t ms_find(const MStore *ms, lua_Integer i) {
  size_t x;
  if (ms->mask == 0) return 0;
  for (x = ms_hash(i, ms->mask); ms->slot[x] != 0; x = (x + 1) & ms->mask)
    if (ms->m[ms->slot[x] - 1].i == i) return ms->slot[x];
  return 0;
}

/* Makes room for one more mention (raises when out of memory: the store
 * keeps what it had). */
static void ms_grow(lua_State *L, MStore *ms) {
  if (ms->n == ms->cap) {
    size_t cap = ms->cap ? ms->cap * 2 : 64;
    Ment *m = (Ment *)realloc(ms->m, cap * sizeof *m);
    if (m == NULL) luaL_error(L, "not enough memory");
    ms->m = m;
    ms->cap = cap;
  }
  if ((ms->n + 1) * 2 > ms->mask) {
    size_t slots = ms->mask ? (ms->mask + 1) * 2 : 128, x, k;
    size_t *s = (size_t *)calloc(slots, sizeof *s);
    if (s == NULL) luaL_error(L, "not enough memory");
    /* the live mention at each position: the last made there */
    for (k = 0; k < ms->n; k++) {
      for (x = ms_hash(ms->m[k].i, slots - 1); s[x] != 0 && ms->m[s[x] - 1].i != ms->m[k].i;
           x = (x + 1) & (slots - 1)) {}
      s[x] = k + 1;
    }
    free(ms->slot);
    ms->slot = s;
    ms->mask = slots - 1;
  }
}

/* The mention of entity ent at [i, j]: made, unless the one at i is ent's
 * or no shorter (a longer one marks the shorter dead). */
static void ms_add(lua_State *L, MStore *ms, lua_Integer ent, lua_Integer i, lua_Integer j) {
  size_t x = ms_find(ms, i);
  Ment *r;
  if (x != 0) {
    Ment *o = &ms->m[x - 1];
    if (o->ent == ent || o->j >= j) return;
    o->dead = 1;
  }
  ms_grow(L, ms);
  r = &ms->m[ms->n++];
  r->i = i;
  r->j = j;
  r->ent = ent;
  r->dead = 0;
  for (x = ms_hash(i, ms->mask); ms->slot[x] != 0 && ms->m[ms->slot[x] - 1].i != i;
       x = (x + 1) & ms->mask) {}
  ms->slot[x] = ms->n;
}

/* The ordinal in D.list of the entity at stack index e (E[0], set by
 * doc_entity); raises for a table that is no entity of a document. */
static lua_Integer ent_ordinal(lua_State *L, int e) {
  lua_Integer k;
  int isnum;
  if (!lua_istable(L, e)) luaL_error(L, "entities: an entity is not a table");
  lua_rawgeti(L, e, 0);
  k = lua_tointegerx(L, -1, &isnum);
  lua_pop(L, 1);
  if (!isnum || k < 1) luaL_error(L, "entities: not an entity of the document (make it with core.entity_doc)");
  return k;
}

/* Pushes D.text[i..j] (D.text at stack index t). */
static void push_sub(lua_State *L, int t, lua_Integer i, lua_Integer j) {
  size_t tn, a = 0, z = 0;
  const char *text = lua_tolstring(L, t, &tn);
  if (text == NULL) text = "", tn = 0;
  lede_range(i, j, tn, &a, &z);
  lua_pushlstring(L, text + a, z > a ? z - a : 0);
}

/* Grows the byte buffer *p of capacity *cap to hold need bytes (raises when
 * out of memory: the buffer stays as it was). */
static unsigned char *ms_room(lua_State *L, unsigned char **p, size_t *cap, size_t need) {
  if (need > *cap) {
    size_t c = *cap ? *cap : 256;
    unsigned char *q;
    while (c < need) {
      if (c > ((size_t)-1) / 4) luaL_error(L, "not enough memory");
      c *= 2;
    }
    q = (unsigned char *)realloc(*p, c);
    if (q == NULL) luaL_error(L, "not enough memory");
    *p = q;
    *cap = c;
  }
  return *p;
}

static uint64_t key_hash(const unsigned char *k, size_t n) {
  return (uint64_t)wt_hash(0, k, n); /* (eight bytes at a time) */
}

/* The slot of key k[0..n) (hash h): its own, or the empty one it would take. */
static size_t ms_kslot(const MStore *ms, const unsigned char *k, size_t n, uint64_t h) {
  size_t x = (size_t)h & ms->kmask;
  while (ms->ks[x].ord != 0 &&
         !(ms->ks[x].hash == h && ms->ks[x].len == n && memcmp(ms->kbuf + ms->ks[x].off, k, n) == 0))
    x = (x + 1) & ms->kmask;
  return x;
}

/* The place in D.list of the entity of key k[0..n), 0: none. */
static lua_Integer ms_key_get(const MStore *ms, const unsigned char *k, size_t n, uint64_t h) {
  if (ms->kmask == 0) return 0;
  return ms->ks[ms_kslot(ms, k, n, h)].ord;
}

/* Room for one more key of n bytes (raises when out of memory). */
static void ms_key_room(lua_State *L, MStore *ms, size_t n) {
  if ((ms->kn + 1) * 2 > ms->kmask) {
    size_t slots = ms->kmask ? (ms->kmask + 1) * 2 : 64, x;
    EKey *ks = (EKey *)calloc(slots, sizeof *ks);
    if (ks == NULL) luaL_error(L, "not enough memory");
    for (x = 0; ms->kmask != 0 && x <= ms->kmask; x++) {
      size_t y;
      if (ms->ks[x].ord == 0) continue;
      for (y = (size_t)ms->ks[x].hash & (slots - 1); ks[y].ord != 0; y = (y + 1) & (slots - 1)) {}
      ks[y] = ms->ks[x];
    }
    free(ms->ks);
    ms->ks = ks;
    ms->kmask = slots - 1;
  }
  if (n > ((size_t)-1) / 2 - ms->kbn) luaL_error(L, "not enough memory");
  ms_room(L, &ms->kbuf, &ms->kcap, ms->kbn + n + 1);
}

/* Records that the entity of key k[0..n) (hash h, not there) is D.list[ord]
 * (room made first with ms_key_room; k may not point into kbuf). */
static void ms_key_put(MStore *ms, const unsigned char *k, size_t n, uint64_t h, lua_Integer ord) {
  size_t x = ms_kslot(ms, k, n, h);
  memcpy(ms->kbuf + ms->kbn, k, n);
  ms->ks[x].off = ms->kbn;
  ms->ks[x].len = n;
  ms->ks[x].hash = h;
  ms->ks[x].ord = ord;
  ms->kbn += n;
  ms->kn++;
}

static const char ET_PERSON_S[] = "person", ET_PLACE_S[] = "place", ET_ORG_S[] = "organization";

/* Whether the string at stack index k is lit (n bytes). */
static int str_is(lua_State *L, int k, const char *lit, size_t n) {
  size_t m;
  const char *v = lua_type(L, k) == LUA_TSTRING ? lua_tolstring(L, k, &m) : NULL;
  return v != NULL && m == n && memcmp(v, lit, n) == 0;
}

/* "Commerce Ministry" -> "Ministry of Commerce" (lede.entities' org_key:
 * ^(%u[%a%- ]+) (Ministry)$, the same for Department): the length of the
 * part before the kind word, 0 when the name has not that shape. */
static size_t org_flip(const char *w, size_t n, const char *kind) {
  size_t kn = strlen(kind), x, xn;
  if (n < kn + 3 || w[n - kn - 1] != ' ' || memcmp(w + n - kn, kind, kn) != 0) return 0;
  xn = n - kn - 1;
  if (!isupper((unsigned char)w[0])) return 0;
  for (x = 1; x < xn; x++) {
    unsigned char ch = (unsigned char)w[x];
    if (!(isalpha(ch) || ch == '-' || ch == ' ')) return 0;
  }
  return xn;
}

/* The key of an entity named w[0..n) of type et (lede.entities' doc_entity
 * without a list record's key: type, a zero byte, the name; "Commerce
 * Ministry" as "Ministry of Commerce"), in ms->scratch; *kn its length. */
static const unsigned char *entity_key(lua_State *L, MStore *ms, const char *w, size_t n,
                                       const char *et, size_t etn, size_t *kn) {
  unsigned char *k;
  size_t need;
  if (n > ((size_t)-1) / 2 - etn - 32) luaL_error(L, "not enough memory");
  need = etn + 1 + n + 16;
  k = ms_room(L, &ms->scratch, &ms->scap, need);
  memcpy(k, et, etn);
  k[etn] = '\0';
  if (etn == sizeof ET_ORG_S - 1 && memcmp(et, ET_ORG_S, etn) == 0) {
    static const char *const kinds[] = {"Ministry", "Department"};
    int z;
    for (z = 0; z < 2; z++) {
      size_t xn = org_flip(w, n, kinds[z]), kl = strlen(kinds[z]);
      if (xn > 0) {
        unsigned char *q = k + etn + 1;
        memcpy(q, kinds[z], kl);
        memcpy(q + kl, " of ", 4);
        memcpy(q + kl + 4, w, xn);
        *kn = etn + 1 + kl + 4 + xn;
        return k;
      }
    }
  }
  if (n > 0) memcpy(k + etn + 1, w, n);
  *kn = etn + 1 + n;
  return k;
}

/* A person's name by the words after one of its spaces ("Garcia Harfuch"
 * and "Harfuch" for "Omar Garcia Harfuch"): kept with the entities' keys,
 * as the bytes 0, 1 and the words (an entity's key has its type's bytes
 * first), in ms->scratch; *kn its length, *h its hash. */
static const unsigned char *tail_key(lua_State *L, MStore *ms, const unsigned char *w, size_t n,
                                     size_t *kn, uint64_t *h) {
  unsigned char *k;
  if (n > ((size_t)-1) / 2 - 32) luaL_error(L, "not enough memory");
  k = ms_room(L, &ms->scratch, &ms->scap, n + 2);
  k[0] = 0;
  k[1] = 1;
  if (n > 0) memcpy(k + 2, w, n);
  *kn = n + 2;
  *h = key_hash(k, n + 2);
  return k;
}

/* Pushes the entity of D (stack index d) named by the string at stack index
 * nm, of type et (a string at stack index ti, or 0 for the C string et),
 * made when new; rec the stack index of the list record it is, or 0. */
static void doc_entity(lua_State *L, int d, int nm, int ti, const char *et, int rec) {
  int top = lua_gettop(L), e;
  size_t n, etn, kn;
  const char *w;
  const unsigned char *k;
  uint64_t h;
  lua_Integer ord;
  MStore *ms;
  luaL_checkstack(L, 12, "entities");
  if (ti != 0) et = luaL_checklstring(L, ti, &etn);
  else etn = strlen(et);
  w = luaL_checklstring(L, nm, &n);
  ms = ms_of(L, d);
  k = NULL;
  if (rec != 0) {
    key_get(L, rec, KEY_key);
    if (lua_type(L, -1) == LUA_TSTRING) k = (const unsigned char *)lua_tolstring(L, -1, &kn); /* (rec keeps it) */
    lua_pop(L, 1);
  }
  if (k == NULL) k = entity_key(L, ms, w, n, et, etn, &kn);
  h = key_hash(k, kn);
  ord = ms_key_get(ms, k, kn, h);
  if (ord != 0) {
    key_get(L, d, KEY_list);
    if (!lua_istable(L, -1)) luaL_error(L, "entities: D.list is not a table");
    lua_rawgeti(L, -1, ord);
    if (lua_istable(L, -1)) {
      lua_replace(L, top + 1);
      lua_settop(L, top + 1);
      return;
    }
    luaL_error(L, "entities: D.list lost entity %d", (int)ord);
  }
  ms_key_room(L, ms, kn); /* (room first: what follows cannot fail half-way) */
  if (ti == 0) {
    lua_pushlstring(L, et, etn);
    ti = lua_gettop(L);
  }
  lua_createtable(L, 0, 6);
  e = lua_gettop(L);
  push_key(L, KEY_name);
  lua_pushvalue(L, nm);
  lua_rawset(L, e);
  push_key(L, KEY_type);
  lua_pushvalue(L, ti);
  lua_rawset(L, e);
  push_key(L, KEY_roles);
  lua_newtable(L);
  lua_rawset(L, e);
  if (rec != 0) {
    key_get(L, rec, KEY_gender);
    if (lua_toboolean(L, -1))
      key_set(L, e, KEY_gender);
    else
      lua_pop(L, 1);
  }
  key_get(L, d, KEY_list);
  if (!lua_istable(L, -1)) luaL_error(L, "entities: D.list is not a table");
  ord = (lua_Integer)lua_rawlen(L, -1) + 1;
  lua_pushvalue(L, e);
  lua_rawseti(L, -2, ord);
  lua_pushinteger(L, ord); /* its ordinal, for D.at */
  lua_rawseti(L, e, 0);
  lua_pop(L, 1);
  ms_key_put(ms, k, kn, h, ord);
  ms_etype_put(ms, ord, etype_of(et, etn));
  if (etn == sizeof ET_PERSON_S - 1 && memcmp(et, ET_PERSON_S, etn) == 0) {
    /* the words after each space of the name ("Garcia Harfuch" and
     * "Harfuch" for "Omar Garcia Harfuch"): the first person so named */
    size_t x;
    for (x = 0; x < n; x++) {
      size_t tn;
      uint64_t th;
      const unsigned char *tk;
      if (w[x] != ' ') continue;
      tk = tail_key(L, ms, (const unsigned char *)w + x + 1, n - x - 1, &tn, &th);
      if (ms_key_get(ms, tk, tn, th) == 0) {
        ms_key_room(L, ms, tn);
        ms_key_put(ms, tk, tn, th, ord);
      }
    }
  }
  lua_pushvalue(L, e);
  lua_replace(L, top + 1);
  lua_settop(L, top + 1);
}

/* A mention of the entity at stack index e at [i, j] of D.text (D at stack
 * index d), in D.at: made, unless the one at i is E's or no shorter. Pushes
 * nil (the callers pop one value). */
static void add_mention(lua_State *L, int d, int e, lua_Integer i, lua_Integer j) {
  MStore *ms = ms_of(L, d);
  ms_add(L, ms, ent_ordinal(L, e), i, j);
  lua_pushnil(L);
}

/* The offset of block B (stack index b) in D.text. */
static lua_Integer block_off(lua_State *L, int b) {
  lua_Integer off;
  MIndex *x = blk_of(L, b);
  if (x != NULL) return x->off;
  key_get(L, b, KEY_off);
  off = lua_tointeger(L, -1);
  lua_pop(L, 1);
  return off;
}

/* Pushes block B's match table of kind k (KEY_starts_at, ...). */
#define block_index(L, b, k) key_get((L), (b), (k))

/* Whether the match at stack index t is dead. */
static int match_dead(lua_State *L, int t) {
  int r;
  key_get(L, t, KEY_dead);
  r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* Organisations named in a role [ri, rj] of block B (lede.entities'
 * role_orgs): the place of work ("an analyst at Bernstein", "chief
 * executive of the Alameda Research hedge fund") and an acronym qualifying
 * the title ("former FTX chief executive"). */
static void role_orgs(const Cue *c, int d, int b, lua_Integer ri, lua_Integer rj) {
  lua_State *L = c->L;
  const unsigned char *s = c->s;
  lua_Integer n = c->n, a, off;
  int top = lua_gettop(L), cover, starts, pass;
  Text t;
  if (ri < 1 || rj > n || rj < ri) return;
  t.L = L;
  t.cc = (CharClass *)lua_touserdata(L, lua_upvalueindex(ENT_NKEYS + 1));
  t.s = s;
  t.n = (size_t)n;
  luaL_checkstack(L, 12, "entities");
  {
    MIndex *bx = cue_blk(c, b);
    off = bx != NULL ? bx->off : block_off(L, b);
  }
  cue_key(c, b, KEY_cover);
  cover = lua_gettop(L);
  cue_key(c, b, KEY_starts_at);
  starts = lua_gettop(L);
  /* " [aof][tfo]r? %u" in the role: "at", "of", "for" before a name; then
   * the same with "the" between */
  for (pass = 0; pass < 2; pass++) {
    for (a = ri; a <= rj; a++) {
      lua_Integer q, p, prep_n;
      const unsigned char *prep;
      if (s[a - 1] != ' ' || a + 3 > rj) continue;
      if (!(s[a] == 'a' || s[a] == 'o' || s[a] == 'f')) continue;
      if (!(s[a + 1] == 't' || s[a + 1] == 'f' || s[a + 1] == 'o')) continue;
      q = a + 2; /* 0-based index of what follows the two letters */
      prep_n = 2;
      if (s[q] == 'r' && q + 2 < rj && s[q + 1] == ' ' &&
          (pass == 0 ? isupper(s[q + 2])
                     : (q + 6 < rj && memcmp(s + q + 2, "the ", 4) == 0 && isupper(s[q + 6])))) {
        q++;
        prep_n = 3;
      } else if (!(s[q] == ' ' && (pass == 0 ? q + 1 < rj && isupper(s[q + 1])
                                             : q + 5 < rj && memcmp(s + q + 1, "the ", 4) == 0 &&
                                                   isupper(s[q + 5])))) {
        continue;
      }
      prep = s + a;
      p = q + 2 + (pass == 0 ? 0 : 4); /* 1-based: the capital */
      if (pass == 0 && !((prep_n == 2 && ((prep[0] == 'a' && prep[1] == 't') ||
                                          (prep[0] == 'o' && prep[1] == 'f'))) ||
                         (prep_n == 3 && prep[0] == 'f' && prep[1] == 'o' && prep[2] == 'r')))
        continue;
      mx_geti(L, cover, p);
      if (lua_isnil(L, -1) || match_dead(L, lua_gettop(L))) {
        size_t e = (cat_before(&t, (size_t)p - 1) & U_LMN) ? 0 : run_at(&t, (size_t)p - 1);
        if (e > 0 && (lua_Integer)e <= rj) {
          size_t z3 = strip_possessive(s, (size_t)p - 1, e), x, lead;
          const unsigned char *name = s + p - 1;
          size_t nn = z3 - (size_t)(p - 1);
          int space = 0;
          for (lead = 0; lead < nn && name[lead] != ' '; lead++) {}
          for (x = 0; x < nn; x++)
            if (name[x] == ' ') space = 1;
          if ((pass == 0 ? (prep_n == 2 && prep[0] == 'a') || space : space) &&
              !cue_has((Cue *)c, CUE_COMMON, name, lead, 0) &&
              (pass == 1 || !cue_has((Cue *)c, CUE_FIRST_NAMES, name, lead, 0)) &&
              !cue_has((Cue *)c, CUE_GENERIC, name, lead, 0)) {
            int nm, o;
            lua_pushlstring(L, (const char *)name, nn);
            nm = lua_gettop(L);
            doc_entity(L, d, nm, 0, ET_ORG_S, 0);
            o = lua_gettop(L);
            add_mention(L, d, o, off + p, off + (lua_Integer)z3);
          }
        }
      }
      lua_settop(L, starts);
      a = p - 1; /* string.find goes on from the capital */
    }
  }
  /* an acronym no list knows, before the title: ()(%u%u[%u%d]*) */
  for (a = ri; a < rj;) {
    lua_Integer q = a, wn;
    if (!(isupper(s[a - 1]) && isupper(s[a]))) {
      a++;
      continue;
    }
    q = a + 2;
    while (q <= rj && (isupper(s[q - 1]) || isdigit(s[q - 1]))) q++;
    wn = q - a; /* the acronym [a, q) */
    if ((a == ri || s[a - 2] == ' ') && q <= n && s[q - 1] == ' ' && wn <= 6) {
      int dead_or_none, title = 0;
      mx_geti(L, cover, a);
      dead_or_none = lua_isnil(L, -1) || match_dead(L, lua_gettop(L));
      mx_geti(L, starts, q + 1);
      if (!lua_isnil(L, -1)) {
        key_get(L, -1, KEY_kind);
        title = lua_tointeger(L, -1) == K_TITLE;
      }
      if (dead_or_none && title) {
        int nm, o;
        lua_settop(L, starts);
        lua_pushlstring(L, (const char *)s + a - 1, (size_t)wn);
        nm = lua_gettop(L);
        doc_entity(L, d, nm, 0, ET_ORG_S, 0);
        o = lua_gettop(L);
        add_mention(L, d, o, off + a, off + q - 1);
      }
      lua_settop(L, starts);
    }
    a = q;
  }
  lua_settop(L, top);
}

/* Adds role [rs, re] of block B to the person at stack index e (lede.entities'
 * person_role): the role's text, the organisations it names (when the
 * block's names are all known, B.done; else later, from B.role_spans) and
 * the person's nationality from the place it names ("Chinese Foreign
 * Minister" -> China). */
#define ROLE_SCAN 8 /* roles looked at one by one, before a set of them */

static void person_role(const Cue *c, int d, int b, int e, lua_Integer rs, lua_Integer re) {
  lua_State *L = c->L;
  int top = lua_gettop(L), done;
  size_t a = 0, z = 0;
  luaL_checkstack(L, 10, "entities");
  lede_range(rs, re, (size_t)c->n, &a, &z);
  if (z > a) {
    /* a role E has not yet: among its roles (a few looked at one by one,
     * more by the set of them, E._role, made with the ROLE_SCAN-th) */
    int r, roles, dup = 0;
    lua_Integer nroles, k;
    lua_pushlstring(L, (const char *)c->s + a, z - a);
    r = lua_gettop(L);
    key_get(L, e, KEY_roles);
    roles = lua_gettop(L);
    nroles = lua_istable(L, roles) ? (lua_Integer)lua_rawlen(L, roles) : 0;
    key_get(L, e, KEY__role);
    if (!lua_istable(L, -1) && nroles >= ROLE_SCAN) {
      lua_pop(L, 1);
      lua_newtable(L);
      for (k = 1; k <= nroles; k++) {
        lua_rawgeti(L, roles, k);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
      }
      lua_pushvalue(L, -1);
      key_set(L, e, KEY__role);
    }
    if (lua_istable(L, -1)) {
      lua_pushvalue(L, r);
      lua_rawget(L, -2);
      dup = lua_toboolean(L, -1);
      lua_pop(L, 1);
      if (!dup) {
        lua_pushvalue(L, r);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
      }
    } else {
      for (k = 1; k <= nroles && !dup; k++) {
        lua_rawgeti(L, roles, k);
        dup = lua_rawequal(L, -1, r);
        lua_pop(L, 1);
      }
    }
    if (!dup) {
      key_get(L, e, KEY_roles);
      lua_pushvalue(L, r);
      lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    }
    lua_settop(L, top);
  }
  cue_key(c, b, KEY_done);
  done = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (done) {
    role_orgs(c, d, b, rs, re);
  } else if (cue_blk(c, b) != NULL) {
    spans_add(L, cue_blk(c, b), rs, re);
  } else {
    key_table(L, b, KEY_role_spans);
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, rs);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, re);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_settop(L, top);
  }
  key_get(L, e, KEY_nationality);
  if (!lua_toboolean(L, -1)) {
    lua_Integer q = rs;
    int starts;
    cue_key(c, b, KEY_starts_at);
    starts = lua_gettop(L);
    while (q >= 1 && q <= re) {
      Match g;
      if (cue_match(L, starts, q, &g)) {
        int gm = lua_gettop(L), country = 0;
        if (!g.dead && g.kind == K_ENTITY) {
          key_get(L, gm, KEY_target);
          if (lua_istable(L, -1)) {
            key_get(L, -1, KEY_country);
            country = lua_toboolean(L, -1);
          }
          lua_settop(L, gm);
        }
        if (!g.dead && (g.kind == K_DEMONYM || country)) {
          key_get(L, gm, KEY_target);
          key_get(L, -1, KEY_name);
          key_set(L, e, KEY_nationality);
          if (g.kind == K_DEMONYM) {
            size_t ga = 0, gz = 0;
            lede_range(g.i, g.j, (size_t)c->n, &ga, &gz);
            lua_pushlstring(L, (const char *)c->s + ga, gz > ga ? gz - ga : 0);
            key_set(L, e, KEY_demonym);
          }
          break;
        }
        lua_settop(L, starts);
      }
      /* string.find(s, "[ %-]", q) + 1 */
      while (q <= c->n && c->s[q - 1] != ' ' && c->s[q - 1] != '-') q++;
      if (q > c->n) break;
      q++;
    }
  }
  lua_settop(L, top);
}

/* Records a person mention at [i, j] of block B of the entity at stack
 * index e, with the roles around it (lede.entities' person_mention). */
static void person_mention(const Cue *c, int d, int b, int e, lua_Integer i, lua_Integer j) {
  lua_State *L = c->L;
  MIndex *bx = cue_blk(c, b);
  lua_Integer off = bx != NULL ? bx->off : block_off(L, b), r[6];
  int nr, k, top = lua_gettop(L);
  add_mention(L, d, e, off + i, off + j);
  lua_settop(L, top);
  nr = roles_of(c, b, i, j, r);
  for (k = 0; k + 1 < nr; k += 2) person_role(c, d, b, e, r[k], r[k + 1]);
}

/* A name the readers found at [i, j] of block B (D at stack index 1, B at
 * 2): a person's (with the gender at stack index g when g is not 0: a
 * given name's or an honorific's), a place's or an organisation's
 * (lede.entities' piece_act). */
static void name_act(const Cue *c, const char *etype, lua_Integer i, lua_Integer j, int g) {
  lua_State *L = c->L;
  int top = lua_gettop(L), nm, e;
  size_t a = 0, z = 0;
  luaL_checkstack(L, 8, "entities");
  lede_range(i, j, (size_t)c->n, &a, &z);
  lua_pushlstring(L, (const char *)c->s + a, z > a ? z - a : 0);
  nm = lua_gettop(L);
  if (strcmp(etype, ET_PERSON_S) == 0) {
    /* "Garcia Harfuch" after "Omar Garcia Harfuch": the same person */
    MStore *ms = ms_of(L, 1);
    size_t tn;
    uint64_t th;
    const unsigned char *tk = tail_key(L, ms, c->s + a, z > a ? z - a : 0, &tn, &th);
    lua_Integer tord = ms_key_get(ms, tk, tn, th);
    if (tord > 0) {
      key_get(L, 1, KEY_list);
      lua_rawgeti(L, -1, tord);
      lua_remove(L, -2);
      if (!lua_istable(L, -1)) luaL_error(L, "entities: D.list lost entity %d", (int)tord);
    } else {
      doc_entity(L, 1, nm, 0, ET_PERSON_S, 0);
    }
    e = lua_gettop(L);
    if (g != 0 && lua_toboolean(L, g)) {
      key_get(L, e, KEY_gender);
      if (!lua_toboolean(L, -1)) {
        lua_pushvalue(L, g);
        key_set(L, e, KEY_gender);
      }
      lua_settop(L, e);
    }
    person_mention(c, 1, 2, e, i, j);
  } else {
    doc_entity(L, 1, nm, 0, etype, 0);
    e = lua_gettop(L);
    add_mention(L, 1, e, block_off(L, 2) + i, block_off(L, 2) + j);
  }
  lua_settop(L, top);
}

/* Sets up Cue c over block B (stack index 2; the word sets at 3) and
 * pushes B.s. */
static void cue_block(lua_State *L, Cue *c) {
  size_t sn;
  c->L = L;
  c->sets = 3;
  cue_sets_init(c);
  c->s = blk_text(L, 2, &sn);
  c->n = (lua_Integer)sn;
}

/* core.entity_known(D, B, sets): what the lists know in block B, once its
 * runs are read (lede.entities' process_block, after core.entity_runs):
 * the organisations named in the roles read so far; then every match of
 * B.list that is a known entity or adjectival form and no organisation's
 * shape took: a person's surname alone goes to D.pending (a person named
 * in full in the text comes first), a person is mentioned with the roles
 * around the name, an organisation followed by its acronym in brackets is
 * also known by it (D.acronyms). */
static void known_in(lua_State *L, MIndex *bx, const Cue *sets);

static int l_entity_known(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  check_block(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  known_in(L, blk_of(L, 2), NULL);
  return 0;
}

/* The body of core.entity_known: D, B (bx when a core.entity_block) and
 * the word sets at stack indexes 1, 2, 3 (their hashed sets read into
 * sets->es already, when sets is not NULL); the stack is left as it is
 * found. */
static void known_in(lua_State *L, MIndex *bx, const Cue *sets) {
  Cue c;
  lua_Integer n, x, off;
  int base, list, top = lua_gettop(L);
  if (sets != NULL && bx != NULL && bx->bs != NULL) {
    c = *sets;
    c.s = bx->bs;
    c.n = (lua_Integer)bx->bsn;
    lua_pushnil(L); /* top + 1 (B keeps its text) */
    off = bx->off;
  } else {
    cue_block(L, &c); /* top + 1 */
    off = block_off(L, 2);
  }
  c.bx = bx != NULL && bx->block && !bx->closed ? bx : NULL;
  c.bxi = 2;
  c.vi[0] = c.vi[1] = c.vi[2] = 0;
  c.li = 0;
  if (bx != NULL) {
    bx->done = 1;
  } else {
    lua_pushboolean(L, 1);
    key_set(L, 2, KEY_done);
  }
  if (bx != NULL) {
    /* its role spans, in C */
    lua_pushnil(L); /* top + 2 */
    n = (lua_Integer)bx->nspans;
    for (x = 0; x < n; x++) role_orgs(&c, 1, 2, bx->spans[2 * x], bx->spans[2 * x + 1]);
    n = 0;
  } else {
    key_get(L, 2, KEY_role_spans); /* top + 2 */
    n = lua_istable(L, top + 2) ? (lua_Integer)lua_rawlen(L, top + 2) : 0;
  }
  for (x = 1; x <= n; x++) {
    lua_Integer rs, re;
    lua_rawgeti(L, top + 2, x);
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, 2);
    rs = lua_tointeger(L, -2);
    re = lua_tointeger(L, -1);
    lua_settop(L, top + 2);
    role_orgs(&c, 1, 2, rs, re);
  }
  if (bx != NULL) {
    lua_pushvalue(L, 2); /* top + 3: its list is itself */
    n = (lua_Integer)bx->n;
    if (c.bx == bx) c.li = top + 3;
  } else {
    key_get(L, 2, KEY_list); /* top + 3 */
    n = mx_len(L, top + 3);
  }
  list = top + 3;
  base = lua_gettop(L);
  luaL_checkstack(L, 20, "entity_known");
  for (x = 1; x <= n; x++) {
    Match m;
    int mt, rec, nm, ti, e, org;
    lua_settop(L, base);
    if (!cue_match_c(&c, list, x, &m)) continue;
    mt = lua_gettop(L);
    if (m.dead || !(m.kind == K_ENTITY || m.kind == K_DEMONYM)) continue;
    if (lua_type(L, mt) == LUA_TLIGHTUSERDATA) { /* a record in C */
      const MRec *r = (const MRec *)lua_touserdata(L, mt);
      if (r->org) continue;
      mx_push_target(L, r);
    } else {
      key_get(L, mt, KEY_org);
      org = lua_toboolean(L, -1);
      lua_pop(L, 1);
      if (org) continue;
      key_get(L, mt, KEY_target);
    }
    rec = lua_gettop(L);
    if (lua_istable(L, rec)) {
      push_key(L, KEY_name);
      lua_rawget(L, rec);
      push_key(L, KEY_type);
      lua_rawget(L, rec);
    } else {
      key_get(L, rec, KEY_name);
      key_get(L, rec, KEY_type);
    }
    nm = rec + 1;
    ti = rec + 2;
    if (m.i < 1 || m.j > c.n || m.j < m.i) luaL_error(L, "entity_known: bad match %d", (int)x);
    if (str_is(L, ti, ET_PERSON_S, sizeof ET_PERSON_S - 1)) {
      const unsigned char *w = c.s + m.i - 1;
      size_t wn = (size_t)(m.j - m.i + 1), nn;
      const char *name = lua_tolstring(L, nm, &nn);
      if (memchr(w, ' ', wn) == NULL && !(name != NULL && nn == wn && memcmp(name, w, wn) == 0)) {
        /* a surname alone ("Morrison"): a person named in full in this text
         * comes before the lists' ("Tim Morrison", not Scott Morrison) */
        pending_add(L, 1, 2, m.i, m.j, w, wn, 0, 0, rec);
        continue;
      }
      doc_entity(L, 1, nm, ti, NULL, rec);
      person_mention(&c, 1, 2, lua_gettop(L), m.i, m.j);
      continue;
    }
    doc_entity(L, 1, nm, ti, NULL, rec);
    e = lua_gettop(L);
    add_mention(L, 1, e, off + m.i, off + m.j);
    if (str_is(L, ti, ET_ORG_S, sizeof ET_ORG_S - 1) && cue_byte(&c, m.j + 1) == ' ' &&
        cue_byte(&c, m.j + 2) == '(' && cue_byte(&c, m.j + 3) >= 0 && isupper(cue_byte(&c, m.j + 3))) {
      /* "Name (ACR)": ^ %((%u[%u%d&]+)%) */
      lua_Integer q = m.j + 4;
      int b;
      while ((b = cue_byte(&c, q)) >= 0 && (isupper(b) || isdigit(b) || b == '&')) q++;
      if (q > m.j + 4 && b == ')') {
        key_get(L, 1, KEY_acronyms);
        lua_pushlstring(L, (const char *)c.s + m.j + 2, (size_t)(q - m.j - 3));
        lua_pushvalue(L, e);
        lua_rawset(L, -3);
      }
    }
  }
  lua_settop(L, top);
}

/* core.entity_word_in(text, w) -> boolean: whether w stands in text between
 * two bytes that are no ASCII letters (what string.find(text, "[^%a]" .. w
 * .. "[^%a]") finds for a w with no magic character); nil for a w that
 * has one (the caller asks string.find). Linear in #text. */
static int l_entity_word_in(lua_State *L) {
  size_t tn, wn, p;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 1, &tn);
  const unsigned char *w = (const unsigned char *)luaL_checklstring(L, 2, &wn);
  for (p = 0; p < wn; p++)
    if (strchr("^$()%.[]*+-?", w[p]) != NULL && w[p] != '\0') {
      lua_pushnil(L);
      return 1;
    }
  if (wn == 0 || tn < wn + 2) {
    lua_pushboolean(L, 0);
    return 1;
  }
  for (p = 1; p + wn < tn; p++) {
    const unsigned char *q;
    if (t[p] != w[0]) {
      q = (const unsigned char *)memchr(t + p, w[0], tn - wn - p);
      if (q == NULL) break;
      p = (size_t)(q - t);
    }
    if (!isalpha(t[p - 1]) && !isalpha(t[p + wn]) && memcmp(t + p, w, wn) == 0) {
      lua_pushboolean(L, 1);
      return 1;
    }
  }
  lua_pushboolean(L, 0);
  return 1;
}

/* ---- one-word names, once every block is read (lede.entities' resolve) - */

/* The initials of an organisation's name ("Moscow State University" ->
 * "MSU"): the capital starting each word (between spaces and hyphens)
 * that is no connector. Pushes them. */
static void push_initials(lua_State *L, const unsigned char *w, size_t n) {
  luaL_Buffer b;
  size_t p = 0;
  luaL_buffinit(L, &b);
  while (p < n) {
    size_t e;
    if (w[p] == ' ' || w[p] == '-') {
      p++;
      continue;
    }
    for (e = p; e < n && w[e] != ' ' && w[e] != '-'; e++) {}
    if (!is_connector(w + p, e - p) && isupper(w[p])) luaL_addchar(&b, (char)w[p]);
    p = e;
  }
  luaL_pushresult(&b);
}

/* The words of the persons' full names (lede.entities' parts), in C: per
 * word its bytes (in the name, which the person keeps) and the place in
 * D.list of the person it names, or -1 when several do. A userdata on the
 * stack owns the slots (grown by a new one there). */
typedef struct {
  const unsigned char *w;
  size_t n;
  uint64_t h;
  lua_Integer ord; /* 0: an empty slot */
} PartSlot;

typedef struct {
  PartSlot *slot;
  size_t mask, n;  /* slots - 1 (0: none yet), words */
  int idx;         /* the stack index of the userdata holding slot */
  PartSlot *local; /* the first PARTS_LOCAL slots, in the C frame of the
                    * function using pt (no userdata until they are outgrown) */
} Parts;
#define PARTS_LOCAL 256

static size_t parts_slot(const Parts *pt, const unsigned char *w, size_t n, uint64_t h) {
  size_t x = (size_t)h & pt->mask;
  while (pt->slot[x].ord != 0 &&
         !(pt->slot[x].h == h && pt->slot[x].n == n && memcmp(pt->slot[x].w, w, n) == 0))
    x = (x + 1) & pt->mask;
  return x;
}

/* The place in D.list of the person word w[0..n) names, -1: several, 0: none. */
static lua_Integer parts_get(const Parts *pt, const unsigned char *w, size_t n) {
  if (pt->mask == 0) return 0;
  return pt->slot[parts_slot(pt, w, n, key_hash(w, n))].ord;
}

/* Pushes what parts_get(w) says as lede.entities' parts[w] did: the person
 * (from D.list at stack index list), false or nil. */
static void parts_push(lua_State *L, const Parts *pt, int list, const unsigned char *w, size_t n) {
  lua_Integer ord = parts_get(pt, w, n);
  if (ord > 0) lua_rawgeti(L, list, ord);
  else if (ord < 0) lua_pushboolean(L, 0);
  else lua_pushnil(L);
}

/* Room for one more word in pt. */
static void parts_room(lua_State *L, Parts *pt) {
  if ((pt->n + 1) * 2 > pt->mask) {
    size_t slots = pt->mask ? (pt->mask + 1) * 2 : PARTS_LOCAL, k;
    PartSlot *ns;
    if (pt->mask == 0 && pt->local != NULL) {
      memset(pt->local, 0, PARTS_LOCAL * sizeof *pt->local);
      pt->slot = pt->local;
      pt->mask = PARTS_LOCAL - 1;
      return;
    }
    if (slots > ((size_t)-1) / (2 * sizeof *ns)) luaL_error(L, "not enough memory");
    ns = (PartSlot *)lua_newuserdata(L, slots * sizeof *ns);
    memset(ns, 0, slots * sizeof *ns);
    for (k = 0; pt->mask != 0 && k <= pt->mask; k++) {
      size_t y;
      if (pt->slot[k].ord == 0) continue;
      for (y = (size_t)pt->slot[k].h & (slots - 1); ns[y].ord != 0; y = (y + 1) & (slots - 1)) {}
      ns[y] = pt->slot[k];
    }
    lua_replace(L, pt->idx); /* (the old slots go with the old userdata) */
    pt->slot = ns;
    pt->mask = slots - 1;
  }
}

/* The slot of word w[0..n) in pt, made for it (with ord 0) when it has
 * none (w's bytes stay where they are while pt is used). */
static PartSlot *parts_take(lua_State *L, Parts *pt, const unsigned char *w, size_t n) {
  uint64_t h = key_hash(w, n);
  PartSlot *sl;
  parts_room(L, pt);
  sl = &pt->slot[parts_slot(pt, w, n, h)];
  if (sl->ord == 0) {
    sl->w = w;
    sl->n = n;
    sl->h = h;
    pt->n++;
  }
  return sl;
}

/* words[w] = ord: when w has none yet, or always with `over`. */
static void named_put(lua_State *L, Parts *pt, const unsigned char *w, size_t n, lua_Integer ord, int over) {
  PartSlot *sl = parts_take(L, pt, w, n);
  if (sl->ord == 0 || over) sl->ord = ord;
}

/* parts[w] = the person D.list[ord], or -1 when another person has it. */
static void part_add(lua_State *L, Parts *pt, const unsigned char *w, size_t n, lua_Integer ord) {
  PartSlot *sl = parts_take(L, pt, w, n);
  sl->ord = sl->ord == 0 || sl->ord == ord ? ord : -1;
}

/* Makes the string at stack index word (nil until then) w[0..n). */
static void need_word(lua_State *L, int word, const unsigned char *w, size_t n) {
  if (lua_isnil(L, word)) {
    lua_pushlstring(L, (const char *)w, n);
    lua_replace(L, word);
  }
}

/* The organisations and places of D (list at stack index list) by the one
 * word that names them, into nm (their places in D.list): their name, their
 * short name, or the first word of a company's ("Lloyds Banking Group",
 * "Bristol Water", "Starbucks Corp"); the first so named. */
static void push_named(Cue *c, int list, Parts *nm, const MStore *ms) {
  lua_State *L = c->L;
  lua_Integer n = (lua_Integer)lua_rawlen(L, list), x;
  int top0 = lua_gettop(L);
  for (x = 1; x <= n; x++) {
    int e, org;
    size_t nn, fn, p;
    const unsigned char *name;
    int et = ms_etype(ms, x);
    lua_settop(L, top0);
    if (et != ET_NONE && et != ET_ORG && et != ET_PLACE) continue;
    lua_rawgeti(L, list, x);
    e = lua_gettop(L);
    key_get(L, e, KEY_type);
    org = str_is(L, -1, ET_ORG_S, sizeof ET_ORG_S - 1);
    if (!org && !str_is(L, -1, ET_PLACE_S, sizeof ET_PLACE_S - 1)) continue;
    key_get(L, e, KEY_name);
    name = (const unsigned char *)lua_tolstring(L, -1, &nn);
    if (name == NULL) continue;
    for (fn = 0; fn < nn && name[fn] != ' '; fn++) {}
    key_get(L, e, KEY_short); /* "Knicks" (E keeps it) */
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t sn;
      const unsigned char *sh = (const unsigned char *)lua_tolstring(L, -1, &sn);
      named_put(L, nm, sh, sn, x, 0);
    }
    if (fn == 0) continue; /* (no first word) */
    if (parts_get(nm, name, fn) != 0) continue;
    p = fn < nn ? fn + 1 : fn; /* the rest, after one space */
    if (p >= nn) {
      named_put(L, nm, name, fn, x, 0);
    } else if (org) {
      const unsigned char *rest = name + p, *lw;
      size_t rn = nn - p, ln = 0, k;
      int space = memchr(rest, ' ', rn) != NULL;
      for (k = rn; k > 0 && rest[k - 1] != ' '; k--) {}
      lw = rest + k;
      ln = rn - k;
      if ((!space && (cue_has(c, CUE_ORG_TAILS, rest, rn, 0) || cue_has(c, CUE_LEGAL, rest, rn, 0))) ||
          (ln > 0 && (cue_has(c, CUE_LEGAL, lw, ln, 0) || cue_has(c, CUE_COMPANY_FORMS, lw, ln, 0))))
        named_put(L, nm, name, fn, x, 0);
    }
  }
  lua_settop(L, top0);
}

/* core.entity_resolve(D, sets, find): the one-word names of D.pending, once
 * every block is read (find is string.find, for a rare word the C search
 * cannot take). A word of a person's full name in the text ("Dianjun",
 * "Karneev") is that person's (before a person of the lists known by that
 * word alone); a word in capitals is the organisation it abbreviates (its
 * acronym in brackets, or its initials); a person's name no one has is a
 * new person; else the words around it may make it a place or an
 * organisation (core.entity_cue), the one of the text that word names
 * ("a Lloyds spokesperson" after "Lloyds Banking Group") or a new one.
 * Last, the words left that name an organisation or place of the text
 * ("Brentford" after "Brentford manager") are its mentions. */
static int l_entity_resolve(lua_State *L) {
  lua_Integer n, x, npend, nlater = 0;
  lua_Integer *later;
  CharClass *rcache;
  int list, pend, acr, text, named = 0, byini = 0, base, lastblk = 0;
  Parts pt, nmd; /* the words of persons' names; organisations and places by one word */
  PartSlot pt_local[PARTS_LOCAL], nmd_local[PARTS_LOCAL];
  const unsigned char *lbs = NULL; /* the text, length and offset of block lastblk */
  MIndex *lbx = NULL;               /* and its record in C (or NULL) */
  size_t lbn = 0;
  lua_Integer loff = 0;
  PStore *ps;
  MStore *ms;
  const EntitySets *es0;
  int foreign0;
  const void *fstop0;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  lua_settop(L, 3);
  luaL_checkstack(L, 40, "entity_resolve");
  key_get(L, 1, KEY_list); /* 4 */
  ps = ps_of(L, 1);
  ms = ms_of(L, 1);
  key_get(L, 1, KEY_pvals); /* 5 */
  lua_pushnil(L); /* 6: the slots of pt, when made */
  key_get(L, 1, KEY_acronyms); /* 7 */
  key_get(L, 1, KEY_text); /* 8 */
  list = 4;
  pend = 5;
  pt.slot = NULL;
  pt.mask = pt.n = 0;
  pt.idx = 6;
  pt.local = pt_local;
  nmd.slot = NULL;
  nmd.mask = nmd.n = 0;
  nmd.idx = 9;
  nmd.local = nmd_local;
  acr = 7;
  text = 8;
  luaL_checktype(L, list, LUA_TTABLE);
  luaL_checktype(L, pend, LUA_TTABLE);
  luaL_checktype(L, acr, LUA_TTABLE);
  luaL_checkstring(L, text);
  lua_pushnil(L); /* 9: the slots of nmd (named), when made */
  lua_pushnil(L); /* 10: organisations by initials, when made */
  lua_pushnil(L); /* 11: the block of the name before */
  npend = (lua_Integer)ps->n;
  rcache = doc_cache(L);
  if (rcache->rbusy) {
    /* (a resolve run from a finalizer inside one, or after one that raised) */
    later = (lua_Integer *)lua_newuserdata(L, (size_t)(npend + 1) * sizeof *later); /* 12 */
    rcache = NULL;
  } else {
    size_t need = (size_t)npend + 1;
    if (need > ((size_t)-1) / 2 / sizeof *later) return luaL_error(L, "not enough memory");
    if (need > rcache->later_cap) {
      void *q = realloc(rcache->later, need * sizeof *later);
      if (q == NULL) return luaL_error(L, "not enough memory");
      rcache->later = (lua_Integer *)q;
      rcache->later_cap = need;
    }
    later = rcache->later;
    rcache->rbusy = 1; /* (till the end: an error leaves it set) */
    lua_pushnil(L); /* 12 */
  }
  base = lua_gettop(L);
  {
    Cue c1;
    c1.L = L;
    c1.sets = 2;
    cue_sets_init(&c1);
    es0 = c1.es; /* (read once: every name below reads the same sets) */
    foreign0 = c1.foreign;
    fstop0 = c1.fstop;
  }
  /* the words of every person's full name, for one-word mentions */
  n = (lua_Integer)lua_rawlen(L, list);
  {
    Cue c0;
    c0.L = L;
    c0.sets = 2;
    cue_sets_init(&c0);
    for (x = 1; x <= n; x++) {
      const unsigned char *w;
      size_t wn, p, k, nw = 0, q;
      int e, multi = 0, et;
      lua_settop(L, base);
      et = ms_etype(ms, x);
      if (et != ET_NONE && et != ET_PERSON) continue;
      lua_rawgeti(L, list, x);
      e = lua_gettop(L);
      key_get(L, e, KEY_type);
      if (!str_is(L, -1, ET_PERSON_S, sizeof ET_PERSON_S - 1)) continue;
      key_get(L, e, KEY_name);
      w = (const unsigned char *)lua_tolstring(L, -1, &wn);
      if (w == NULL) continue;
      /* "[^ ] +[^ ]": two words */
      for (p = 1; p < wn && !multi; p++) {
        if (w[p] == ' ' && w[p - 1] != ' ') {
          for (q = p; q < wn && w[q] == ' '; q++) {}
          if (q < wn) multi = 1;
        }
      }
      if (!multi) continue;
      for (p = 0; p < wn; p++)
        if (w[p] != ' ' && (p == 0 || w[p - 1] == ' ')) nw++;
      k = 0;
      for (p = 0; p < wn;) {
        size_t e2, m;
        if (w[p] == ' ') {
          p++;
          continue;
        }
        for (e2 = p; e2 < wn && w[e2] != ' '; e2++) {}
        k++;
        if (k == 1 || k == nw || !cue_has(&c0, CUE_NAME_PARTICLES, w + p, e2 - p, 0)) {
          part_add(L, &pt, w + p, e2 - p, x);
          /* "al-Bashir" is also written "Bashir" */
          for (m = p; m < e2 && m - p < 4 && islower(w[m]); m++) {}
          if (m > p && m - p <= 3 && m + 1 < e2 && w[m] == '-' && isupper(w[m + 1]))
            part_add(L, &pt, w + m + 1, e2 - m - 1, x);
        }
        p = e2;
      }
    }
  }
  for (x = 0; x < npend; x++) {
    Cue c;
    size_t sn, wn;
    lua_Integer bi, bj, off, flags, pi, pj;
    int b, word, gender, fallback, e, person, pv, etype_place = 0, etype = 0;
    const unsigned char *wd;
    Pend pr = ps->p[x]; /* (a copy: the readers below add no name) */
    lua_settop(L, base);
    if (pr.blk != 0 && pr.blk == lastblk) {
      /* the block of the name before (in slot 11): its text and offset read */
      lua_pushvalue(L, 11);
      b = lua_gettop(L);
    } else {
      pval_push(L, pend, pr.blk);
      b = lua_gettop(L);
      if (!is_block(L, b))
        return luaL_error(L, "entity_resolve: bad pending name %d", (int)(x + 1));
      lbx = blk_of(L, b);
      if (lbx != NULL && lbx->bs != NULL) {
        lua_pushnil(L); /* (as blk_text leaves it) */
        lbs = lbx->bs;
        lbn = lbx->bsn;
        loff = lbx->off;
      } else {
        lbs = blk_text(L, b, &lbn);
        loff = block_off(L, b);
      }
      lua_pushvalue(L, b);
      lua_replace(L, 11);
      lastblk = pr.blk;
    }
    bi = pr.bi;
    bj = pr.bj;
    lua_pushnil(L); /* the word as a string, made when needed (need_word) */
    word = lua_gettop(L);
    flags = pr.flags;
    pval_push(L, pend, pr.gender);
    gender = lua_gettop(L);
    pval_push(L, pend, pr.rec);
    fallback = lua_gettop(L);
    wd = ps->buf + pr.woff;
    wn = pr.wn;
    c.L = L;
    c.sets = 2;
    c.es = es0 != NULL && !es0->closed ? es0 : NULL;
    c.bx = lbx;
    c.bxi = b;
    c.vi[0] = c.vi[1] = c.vi[2] = 0;
    c.li = 0;
    c.foreign = foreign0;
    c.fstop = fstop0;
    c.s = lbs;
    sn = lbn;
    c.n = (lua_Integer)sn;
    off = loff;
    pi = off + bi;
    pj = off + bj;
    person = (flags & 1) != 0;
    parts_push(L, &pt, list, wd, wn);
    pv = lua_gettop(L); /* parts[word]: E, false or nil */
    lua_pushvalue(L, pv);
    e = lua_gettop(L); /* E */
    if (lua_toboolean(L, fallback) && !lua_toboolean(L, e)) {
      int f = lua_gettop(L);
      key_get(L, fallback, KEY_name);
      key_get(L, fallback, KEY_type);
      doc_entity(L, 1, f + 1, f + 2, NULL, fallback);
      person_mention(&c, 1, b, lua_gettop(L), bi, bj);
      lua_settop(L, e);
    } else if (lua_toboolean(L, e)) {
      add_mention(L, 1, e, pi, pj);
      lua_pop(L, 1);
      if (lua_toboolean(L, gender)) {
        key_get(L, e, KEY_gender);
        if (!lua_toboolean(L, -1)) {
          lua_pushvalue(L, gender);
          key_set(L, e, KEY_gender);
        }
        lua_settop(L, e);
      }
    } else if (flags >= 4) {
      need_word(L, word, wd, wn);
      lua_pushvalue(L, word);
      lua_rawget(L, acr);
      if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        if (byini == 0) {
          lua_Integer y, ln = (lua_Integer)lua_rawlen(L, list);
          lua_newtable(L);
          lua_replace(L, 10);
          byini = 10;
          for (y = 1; y <= ln; y++) {
            size_t on;
            const char *oname;
            int o;
            lua_rawgeti(L, list, y);
            o = lua_gettop(L);
            key_get(L, o, KEY_type);
            key_get(L, o, KEY_name);
            oname = lua_tolstring(L, -1, &on);
            if (str_is(L, -2, ET_ORG_S, sizeof ET_ORG_S - 1) && oname != NULL &&
                memchr(oname, ' ', on) != NULL) {
              push_initials(L, (const unsigned char *)oname, on);
              if (lua_rawlen(L, -1) >= 2) {
                lua_pushvalue(L, o);
                lua_rawset(L, byini);
              }
            }
            lua_settop(L, o - 1);
          }
        }
        lua_pushvalue(L, word);
        lua_rawget(L, byini);
      }
      lua_replace(L, e);
      if (lua_toboolean(L, e)) {
        add_mention(L, 1, e, pi, pj);
        lua_pop(L, 1);
      }
    } else if (person && lua_isnil(L, e) && lua_isnil(L, pv)) {
      need_word(L, word, wd, wn);
      doc_entity(L, 1, word, 0, ET_PERSON_S, 0);
      lua_replace(L, e);
      if (lua_toboolean(L, gender)) {
        key_get(L, e, KEY_gender);
        if (!lua_toboolean(L, -1)) {
          lua_pushvalue(L, gender);
          key_set(L, e, KEY_gender);
        }
        lua_settop(L, e);
      }
      person_mention(&c, 1, b, e, bi, bj);
    }
    lua_settop(L, e);
    if (!lua_toboolean(L, e) && !person && lua_isnil(L, pv)) {
      size_t en = 0;
      const char *et = NULL;
      if ((flags & 2) == 0) { /* (a fragment is nothing) */
        if (wn == 0 || memchr(wd, ' ', wn) != NULL)
          return luaL_error(L, "entity_resolve: bad pending name %d", (int)(x + 1));
        et = cue_read(&c, b, bi, bj, wd, wn, 0);
        if (et != NULL) en = strlen(et);
      }
      if (et != NULL && en == 13 && memcmp(et, "organization?", 13) == 0) {
        /* "Workday said": an organisation, unless the word is a common one
         * capitalised at a sentence's start ("Prosecutors said") */
        etype = 1;
        if (cue_sentence_start(&c, bi)) {
          int same = 1, hit;
          size_t k;
          luaL_Buffer lb;
          luaL_buffinit(L, &lb);
          for (k = 0; k < wn; k++) {
            int lc = tolower(wd[k]);
            if (lc != wd[k]) same = 0;
            luaL_addchar(&lb, (char)lc);
          }
          luaL_pushresult(&lb);
          if (same) {
            hit = 1;
          } else {
            int lw = lua_gettop(L);
            lua_pushcfunction(L, l_entity_word_in);
            lua_pushvalue(L, text);
            lua_pushvalue(L, lw);
            lua_call(L, 2, 1);
            if (lua_isnil(L, -1)) {
              lua_pop(L, 1);
              lua_pushvalue(L, 3);
              lua_pushvalue(L, text);
              lua_pushliteral(L, "[^%a]");
              lua_pushvalue(L, lw);
              lua_pushliteral(L, "[^%a]");
              lua_concat(L, 3);
              lua_call(L, 2, 1);
            }
            hit = lua_toboolean(L, -1);
          }
          if (hit) etype = 0;
        }
      } else if (et != NULL && en == 5 && memcmp(et, "place", 5) == 0) {
        etype = 2;
        etype_place = 1;
      } else if (et != NULL && en == 12 && memcmp(et, "organization", 12) == 0) {
        etype = 1;
      } else if (et != NULL) {
        return luaL_error(L, "entity_resolve: unknown type '%s'", et);
      }
      lua_settop(L, e);
      if (etype_place) {
        key_table(L, b, KEY_cue_places);
        lua_pushboolean(L, 1);
        lua_rawseti(L, -2, bj);
        lua_settop(L, e);
      }
      if (etype) {
        const char *ets = etype == 2 ? ET_PLACE_S : ET_ORG_S;
        lua_Integer no;
        if (named == 0) {
          push_named(&c, list, &nmd, ms);
          named = 9;
        }
        no = parts_get(&nmd, wd, wn);
        if (no > 0)
          lua_rawgeti(L, list, no);
        else
          lua_pushnil(L);
        lua_replace(L, e);
        if (lua_toboolean(L, e)) key_get(L, e, KEY_type);
        if (!lua_toboolean(L, e) || !str_is(L, -1, ets, strlen(ets))) {
          lua_settop(L, e);
          need_word(L, word, wd, wn);
          doc_entity(L, 1, word, 0, ets, 0);
          lua_replace(L, e);
          named_put(L, &nmd, wd, wn, ent_ordinal(L, e), 1);
        }
        lua_settop(L, e);
        add_mention(L, 1, e, pi, pj);
        lua_settop(L, e);
      }
    }
    if (!lua_toboolean(L, e)) later[nlater++] = x;
  }
  /* one-word mentions of organisations and places named in the text */
  if (nlater == 0) {
    if (rcache != NULL) rcache->rbusy = 0;
    return 0;
  }
  if (named == 0) {
    Cue c0;
    c0.L = L;
    c0.sets = 2;
    cue_sets_init(&c0);
    lua_settop(L, base);
    push_named(&c0, list, &nmd, ms);
    named = 9;
  }
  for (x = 0; x < nlater; x++) {
    int b, e;
    const Pend *pr = &ps->p[later[x]];
    lua_settop(L, base);
    lua_Integer no;
    if (parts_get(&pt, ps->buf + pr->woff, pr->wn) > 0) continue; /* (a person's) */
    no = parts_get(&nmd, ps->buf + pr->woff, pr->wn);
    if (no <= 0) continue;
    lua_rawgeti(L, list, no);
    e = lua_gettop(L);
    if (!lua_toboolean(L, e)) continue;
    pval_push(L, pend, pr->blk);
    b = lua_gettop(L);
    {
      lua_Integer off = block_off(L, b);
      add_mention(L, 1, e, off + pr->bi, off + pr->bj);
    }
  }
  if (rcache != NULL) rcache->rbusy = 0;
  lua_settop(L, 0);
  return 0;
}

/* core.entity_new(text, st) -> D: the stage's document record for text
 * (st: the stage's state), its tables made with room for a usual
 * document's entities, mentions and pending names. */
/* Keeps the stores of the record done D (stack index d: cc->dptr) as the
 * spares the next core.entity_new makes again. */
static void doc_spare(lua_State *L, CharClass *cc, int d) {
  int k;
  static const int keys[5] = {KEY_at, KEY_pending, KEY_pvals, KEY_list, KEY_acronyms};
  if (cc->dms == NULL || cc->dps == NULL || cc->dms->closed || cc->dps->closed) return;
  if (!cc->has_spare_ref) {
    lua_createtable(L, 5, 0);
    cc->spare_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    cc->has_spare_ref = 1;
  }
  cc->has_spare = 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, cc->spare_ref);
  for (k = 0; k < 5; k++) {
    key_get(L, d, keys[k]);
    lua_rawseti(L, -2, k + 1);
  }
  lua_pop(L, 1);
  cc->has_spare = 1;
}

/* The most mentions, entities and pending names stores made again keep
 * room for (more: their arrays are let go). */
#define SPARE_ROOM 4096

/* Empties the store ms for another document (its arrays kept, unless
 * large). */
static void ms_reset(MStore *ms) {
  if (ms->cap > SPARE_ROOM) {
    free(ms->m);
    ms->m = NULL;
    ms->cap = 0;
  }
  ms->n = 0;
  if (ms->mask + 1 > 4 * SPARE_ROOM) {
    free(ms->slot);
    ms->slot = NULL;
    ms->mask = 0;
  } else if (ms->slot != NULL) {
    memset(ms->slot, 0, (ms->mask + 1) * sizeof *ms->slot);
  }
  if (ms->kmask + 1 > 4 * SPARE_ROOM) {
    free(ms->ks);
    ms->ks = NULL;
    ms->kmask = 0;
  } else if (ms->ks != NULL) {
    memset(ms->ks, 0, (ms->kmask + 1) * sizeof *ms->ks);
  }
  ms->kn = 0;
  ms->kbn = 0;
  if (ms->et != NULL) memset(ms->et, ET_NONE, ms->etcap);
}

/* Empties the table at stack index t. */
static void table_clear(lua_State *L, int t) {
  lua_pushnil(L);
  while (lua_next(L, t) != 0) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_pushnil(L);
    lua_rawset(L, t); /* (clearing a field while traversing is allowed) */
  }
}

/* Pushes the spare stores (at, pending, pvals, list, acronyms), emptied,
 * and returns 1; 0 (nothing pushed) when there are
 * none. */
static int doc_take_spare(lua_State *L, CharClass *cc, MStore **pms, PStore **pps) {
  MStore *ms;
  PStore *ps;
  lua_Integer k, n;
  int t;
  if (!cc->has_spare) return 0;
  cc->has_spare = 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, cc->spare_ref);
  t = lua_gettop(L);
  for (k = 1; k <= 5; k++) lua_rawgeti(L, t, k); /* t + 1 .. t + 5 */
  for (k = 1; k <= 5; k++) {
    lua_pushnil(L);
    lua_rawseti(L, t, k);
  }
  ms = lua_type(L, t + 1) == LUA_TUSERDATA && lua_rawlen(L, t + 1) == sizeof(MStore)
           ? (MStore *)lua_touserdata(L, t + 1)
           : NULL;
  ps = lua_type(L, t + 2) == LUA_TUSERDATA && lua_rawlen(L, t + 2) == sizeof(PStore)
           ? (PStore *)lua_touserdata(L, t + 2)
           : NULL;
  if (ms == NULL || ms->magic != MS_MAGIC || ms->closed || ps == NULL || ps->magic != PS_MAGIC ||
      ps->closed || !lua_istable(L, t + 3) || !lua_istable(L, t + 4) || !lua_istable(L, t + 5)) {
    lua_settop(L, t - 1);
    return 0;
  }
  /* pvals and list emptied (their values let go) */
  n = (lua_Integer)lua_rawlen(L, t + 3);
  if (n < ps->nvals) n = ps->nvals;
  for (k = 1; k <= n; k++) {
    lua_pushnil(L);
    lua_rawseti(L, t + 3, k);
  }
  n = (lua_Integer)lua_rawlen(L, t + 4);
  for (k = 1; k <= n; k++) {
    lua_pushnil(L);
    lua_rawseti(L, t + 4, k);
  }
  table_clear(L, t + 5);
  ms_reset(ms);
  ps->n = 0;
  ps->bn = 0;
  ps->lastb = NULL;
  ps->lastblk = 0;
  ps->nvals = 0;
  lua_remove(L, t);
  *pms = ms;
  *pps = ps;
  return 1;
}

static int l_entity_new(lua_State *L) {
  MStore *ms;
  PStore *ps;
  CharClass *cc = doc_cache(L);
  luaL_checkstring(L, 1);
  lua_settop(L, 3);
  /* (the stopwords first: a bad argument leaves the last document's) */
  {
    const void *set = lua_type(L, 3) == LUA_TUSERDATA ? lede_check_wordset(L, 3) : NULL;
    if (cc->has_fstop_ref) {
      luaL_unref(L, LUA_REGISTRYINDEX, cc->fstop_ref);
      cc->has_fstop_ref = 0;
    }
    cc->fstop = set;
    if (set != NULL) {
      lua_pushvalue(L, 3);
      cc->fstop_ref = luaL_ref(L, LUA_REGISTRYINDEX);
      cc->has_fstop_ref = 1;
    }
    cc->foreign = lua_toboolean(L, 3);
  }
  lua_settop(L, 2);
  lua_createtable(L, 0, 8); /* 3 */
  lua_pushvalue(L, 1);
  key_set(L, 3, KEY_text);
  if (doc_take_spare(L, cc, &ms, &ps)) {
    /* the stores of the last record done, made again: 4 at, 5 pending,
     * 6 pvals, 7 list, 8 acronyms */
    lua_pushvalue(L, 7);
    key_set(L, 3, KEY_list);
    lua_pushvalue(L, 4);
    key_set(L, 3, KEY_at);
    lua_pushvalue(L, 5);
    key_set(L, 3, KEY_pending);
    lua_pushvalue(L, 6);
    key_set(L, 3, KEY_pvals);
    lua_pushvalue(L, 8);
    key_set(L, 3, KEY_acronyms);
    lua_settop(L, 3);
  } else {
    lua_createtable(L, 32, 0);
    key_set(L, 3, KEY_list);
    ms = ms_new(L);
    key_set(L, 3, KEY_at);
    ps = (PStore *)lua_newuserdata(L, sizeof(PStore));
    memset(ps, 0, sizeof *ps);
    ps->magic = PS_MAGIC;
    luaL_setmetatable(L, PS_MT);
    key_set(L, 3, KEY_pending);
    lua_createtable(L, 64, 0);
    key_set(L, 3, KEY_pvals);
    lua_createtable(L, 0, 4);
    key_set(L, 3, KEY_acronyms);
  }
  lua_pushvalue(L, 2);
  lua_setfield(L, 3, "st");
  lua_settop(L, 3);
  /* the new record and its stores, for ms_of and ps_of (so a record's at
   * and pending are set once, here) */
  doc_forget(L, cc, 0);
  lua_pushvalue(L, 3);
  cc->dref = luaL_ref(L, LUA_REGISTRYINDEX);
  cc->has_dref = 1;
  cc->dptr = lua_topointer(L, 3);
  cc->dms = ms;
  cc->dps = ps;
  return 1;
}

/* core.entity_block(s, off) -> B: the stage's record of a block of text s
 * at offset off of the document, in C (a lede.EntityMatches that also
 * holds the block's fields: the readers read and set them as they do a
 * table's; its matches come from core.entity_matches(B, ...)). */
static MIndex *block_new(lua_State *L, int si, lua_Integer off);
static MIndex *block_make(lua_State *L, int si, lua_Integer off, int pooled);
static void matches_in(lua_State *L, int b, int g, int t, MIndex *bk);
static void mx_index(lua_State *L, MIndex *mx, const unsigned char *s, size_t sn);
static void runs_in(lua_State *L, MIndex *bx, const EnglishSet *skip, const Cue *sets);
static void known_in(lua_State *L, MIndex *bx, const Cue *sets);

static int l_entity_block(lua_State *L) {
  lua_Integer off = luaL_checkinteger(L, 2);
  luaL_checkstring(L, 1);
  lua_settop(L, 2);
  block_new(L, 1, off);
  return 1;
}

/* Pushes a new block record for the string at stack index si (at offset
 * off of the document). */
static MIndex *block_new(lua_State *L, int si, lua_Integer off) {
  return block_make(L, si, off, 0);
}

/* The most records of a block a record made again keeps room for (more:
 * its arrays are let go), and the most records the pool keeps. */
#define POOL_ROOM 1024
#define POOL_MAX 512

/* Empties the open block record x for another block: its records, maps
 * and spans forgotten (their arrays kept, unless large), its targets let
 * go. */
static void mx_reset(lua_State *L, MIndex *x) {
  int k, big = 0;
  while (x->chunks != NULL) {
    MChunk *c = x->chunks;
    x->chunks = c->next;
    if (x->nspare < POOL_ROOM / MX_CHUNK) {
      c->next = x->spare;
      x->spare = c;
      x->nspare++;
    } else {
      free(c);
    }
  }
  x->n = 0;
  if (x->cap > POOL_ROOM) {
    free(x->list);
    x->list = NULL;
    x->cap = 0;
  }
  for (k = 0; k < 3; k++) {
    x->map[k].n = 0;
    if (x->map[k].cap > 2 * POOL_ROOM) big = 1;
  }
  if (big) {
    for (k = 0; k < 3; k++) {
      if (!x->map[k].shared) free(x->map[k].slot);
      x->map[k].slot = NULL;
      x->map[k].cap = 0;
      x->map[k].shared = 0;
    }
    free(x->mapmem);
    x->mapmem = NULL;
  }
  /* (mx_index empties the maps it keeps) */
  x->nspans = 0;
  if (x->spans_cap > POOL_ROOM) {
    free(x->spans);
    x->spans = NULL;
    x->spans_cap = 0;
  }
  if (x->targets != LUA_NOREF && x->targets != LUA_REFNIL) luaL_unref(L, LUA_REGISTRYINDEX, x->targets);
  x->targets = LUA_NOREF;
  x->ntargets = 0;
  x->merged = 0;
  x->seq = 0;
  x->done = 0;
  x->run_a = 0;
  /* (its info reference is kept: the next block's is most often the same) */
}

/* The pool's table, made when first needed. */
static void pool_tables(lua_State *L, CharClass *cc) {
  if (!cc->has_pool) {
    int p;
    lua_createtable(L, 64, 0);
    p = luaL_ref(L, LUA_REGISTRYINDEX);
    cc->pool_ref = p;
    cc->has_pool = 1;
  }
}

/* The block records of the last document let go of: to the pool when the
 * document is done (recycle; its pending names are forgotten then, as they
 * name those records), else only forgotten. */
static void pool_done(lua_State *L, CharClass *cc, int recycle) {
  size_t k;
  if (!cc->has_pool || cc->nused == 0) {
    cc->nused = 0;
    return;
  }
  if (recycle && cc->dps != NULL && !cc->dps->closed) {
    cc->dps->n = 0;
    cc->dps->bn = 0;
    cc->dps->lastblk = 0;
    cc->dps->lastb = NULL;
  }
  if (!recycle) {
    /* the document's records are let go of (its record may still name
     * them): the others move down to [1..] */
    size_t left = cc->nfree > cc->nused ? cc->nfree - cc->nused : 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, cc->pool_ref);
    for (k = 1; k <= left; k++) {
      lua_rawgeti(L, -1, (lua_Integer)(k + cc->nused));
      lua_rawseti(L, -2, (lua_Integer)k);
    }
    for (k = left + 1; k <= cc->nfree; k++) {
      lua_pushnil(L);
      lua_rawseti(L, -2, (lua_Integer)k);
    }
    lua_pop(L, 1);
    cc->nfree = left;
  }
  cc->nused = 0; /* (recycled: the records stay where they are, free) */
}

/* Pushes a block record for the string at stack index si (at offset off
 * of the document): with pooled, one of the pool made again when there is
 * one, and kept as one of the document's (for the pool once it is done). */
static MIndex *block_make(lua_State *L, int si, lua_Integer off, int pooled) {
  MIndex *x = NULL;
  size_t bsn;
  const char *bs;
  int b;
  CharClass *cc = pooled ? doc_cache(L) : NULL;
  si = lua_absindex(L, si);
  bs = lua_tolstring(L, si, &bsn);
  if (cc != NULL) {
    /* the next free record of the pool ([nused + 1]), or a new one there */
    pool_tables(L, cc);
    lua_rawgeti(L, LUA_REGISTRYINDEX, cc->pool_ref);
    while (x == NULL && cc->nused < cc->nfree) {
      lua_rawgeti(L, -1, (lua_Integer)cc->nused + 1);
      x = mx_test(L, -1);
      if (x != NULL && (!x->block || x->closed)) x = NULL; /* (closed by its user) */
      if (x == NULL) {
        /* let go of: the last record takes its place */
        lua_pop(L, 1);
        lua_rawgeti(L, -1, (lua_Integer)cc->nfree);
        lua_rawseti(L, -2, (lua_Integer)cc->nused + 1);
        lua_pushnil(L);
        lua_rawseti(L, -2, (lua_Integer)cc->nfree);
        cc->nfree--;
      }
    }
    if (x != NULL) {
      cc->nused++;
      lua_remove(L, -2); /* the pool */
      mx_reset(L, x);
    } else {
      x = mx_new(L);
      if (cc->nfree < POOL_MAX) {
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, (lua_Integer)++cc->nfree);
        cc->nused = cc->nfree;
      }
      lua_remove(L, -2); /* the pool */
    }
  }
  if (x == NULL) x = mx_new(L);
  b = lua_gettop(L);
  x->bs = (const unsigned char *)bs;
  x->bsn = bsn;
  x->block = 1;
  x->titlecase = -1;
  x->nsp = x->ncap = -1; /* counted when asked (cue_titlecase) */
  x->off = off;
#if LUA_VERSION_NUM >= 504
  /* its text kept as its user value (its targets table comes with its
   * first target, cue_places or role_spans) */
  lua_pushvalue(L, si);
  lua_setiuservalue(L, b, 1);
  x->text_uv = 1;
#else
  /* its targets table, with room for a usual block's targets (1, 2, ...)
   * and its text, cue_places and role_spans (0, -1, -2) */
  lua_createtable(L, 4, 4);
  lua_pushvalue(L, si);
  lua_rawseti(L, -2, 0);
  x->targets = luaL_ref(L, LUA_REGISTRYINDEX);
  (void)b;
#endif
  return x;
}

/* core.entity_blocks(D, blocks, text, gaz, info, sets [, skip]): what
 * lede.entities reads in each body block of blocks (kind nil or "body", i
 * <= j), in one call: per block its record (core.entity_block over its
 * text: b.text, or text[i..j] with its line ends as spaces when b.text is
 * not that long), the gazetteer's matches (core.entity_matches with the
 * gazetteer gaz), their maps (core.entity_index), its runs
 * (core.entity_runs) and the known names (core.entity_known). */
static int l_entity_blocks(lua_State *L) {
  const EnglishSet *skip = NULL;
  int pooled;
  size_t nbody = 0, nb_at;
  Cue sets;
  lua_Integer nb, k;
  size_t tn;
  const char *text;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  text = luaL_checklstring(L, 3, &tn);
  if (lua_type(L, 4) != LUA_TUSERDATA) luaL_checktype(L, 4, LUA_TTABLE);
  luaL_checktype(L, 5, LUA_TTABLE);
  luaL_checktype(L, 6, LUA_TTABLE);
  if (!lua_isnoneornil(L, 7)) {
    if (lua_type(L, 7) == LUA_TUSERDATA && lua_rawlen(L, 7) == sizeof(EnglishSet))
      skip = (const EnglishSet *)lua_touserdata(L, 7);
    if (skip == NULL || skip->mark != WS_MARK) skip = (const EnglishSet *)luaL_checkudata(L, 7, WS_MT);
    if (skip->closed) return luaL_error(L, "closed");
  }
  lua_settop(L, 7);
  /* 1 D, 2 B, 3 sets, 4 skip (as core.entity_runs has them), 5 blocks,
   * 6 text, 7 gaz, 8 info */
  {
    int k0;
    for (k0 = 2; k0 <= 5; k0++) lua_pushvalue(L, k0); /* 8 to 11 */
    lua_pushvalue(L, 6);
    lua_replace(L, 3);
    lua_pushvalue(L, 7);
    lua_replace(L, 4);
    for (k0 = 5; k0 <= 8; k0++) {
      lua_pushvalue(L, k0 + 3);
      lua_replace(L, k0);
    }
    lua_pushnil(L);
    lua_replace(L, 2);
    lua_settop(L, 8);
  }
  nb = (lua_Integer)lua_rawlen(L, 5);
  luaL_checkstack(L, 40, "entity_blocks");
  {
    /* the block records of the document core.entity_new made last are
     * made again from those of the documents done */
    const CharClass *cc = doc_cache(L);
    pooled = cc->dptr != NULL && lua_topointer(L, 1) == cc->dptr;
  }
  /* the hashed word sets, read once */
  sets.L = L;
  sets.sets = 3;
  cue_sets_init(&sets);
  sets.s = NULL;
  sets.n = 0;
  /* first the body blocks and their fields, all read in one pass (their
   * tables are far apart in memory: their reads overlap) */
  {
    CharClass *cc = doc_cache(L);
    if (!cc->has_btx) {
      lua_newtable(L);
      cc->btx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
      cc->has_btx = 1;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, cc->btx_ref); /* 9 */
#if defined(__GNUC__)
    /* the block tables asked for all at once (their reads below then wait
     * on their fields only) */
    for (k = 1; k <= nb; k++) {
      const void *bp;
      lua_rawgeti(L, 5, k);
      bp = lua_topointer(L, -1);
      if (bp != NULL) __builtin_prefetch(bp);
      lua_pop(L, 1);
    }
#endif
    for (k = 1; k <= nb; k++) {
      lua_Integer bi, bj = 0;
      int isnum;
      lua_settop(L, 9);
      lua_rawgeti(L, 5, k); /* 10 b */
      if (!lua_istable(L, 10)) luaL_error(L, "entity_blocks: block %d is not a table", (int)k);
      push_key(L, KEY_kind);
      lua_rawget(L, 10); /* 11 */
      if (!lua_isnil(L, 11) && !str_is(L, 11, "body", 4)) continue;
      push_key(L, KEY_i);
      lua_rawget(L, 10); /* 12 */
      push_key(L, KEY_j);
      lua_rawget(L, 10); /* 13 */
      if (!lua_toboolean(L, 12) || !lua_toboolean(L, 13)) continue;
      bi = lua_tointegerx(L, 12, &isnum);
      if (isnum) bj = lua_tointegerx(L, 13, &isnum);
      if (!isnum) luaL_error(L, "entity_blocks: block %d has no integer i and j", (int)k);
      if (bj < bi) continue;
      push_key(L, KEY_text);
      lua_rawget(L, 10); /* 14 */
      if (lua_toboolean(L, 14) && lua_type(L, 14) != LUA_TSTRING)
        luaL_error(L, "entity_blocks: block %d has a text that is no string", (int)k);
      if (3 * (nbody + 1) > cc->bq_cap) {
        size_t cap = cc->bq_cap * 2 + 96;
        lua_Integer *q;
        if (cap > ((size_t)-1) / 2 / sizeof *q) luaL_error(L, "not enough memory");
        q = (lua_Integer *)realloc(cc->bq, cap * sizeof *q);
        if (q == NULL) luaL_error(L, "not enough memory");
        cc->bq = q;
        cc->bq_cap = cap;
      }
      cc->bq[3 * nbody] = k;
      cc->bq[3 * nbody + 1] = bi;
      cc->bq[3 * nbody + 2] = bj;
      nbody++;
      if (!lua_toboolean(L, 14)) {
        lua_pushboolean(L, 0);
        lua_replace(L, 14);
      }
      lua_rawseti(L, 9, (lua_Integer)nbody);
    }
    lua_settop(L, 8);
  }
  for (nb_at = 0; nb_at < nbody; nb_at++) {
    lua_Integer bi, bj;
    size_t sn;
    MIndex *x;
    CharClass *cc = doc_cache(L);
    lua_settop(L, 8);
    bi = cc->bq[3 * nb_at + 1];
    bj = cc->bq[3 * nb_at + 2];
    lua_rawgeti(L, LUA_REGISTRYINDEX, cc->btx_ref); /* 9 */
    lua_rawgeti(L, 9, (lua_Integer)nb_at + 1); /* 10 */
    lua_pushnil(L);
    lua_rawseti(L, 9, (lua_Integer)nb_at + 1); /* (let go of) */
    lua_replace(L, 9);
    if (!lua_toboolean(L, 9)) {
      lua_pop(L, 1);
      push_sub(L, 6, bi, bj); /* 9 */
    }
    (void)lua_tolstring(L, 9, &sn);
    if ((lua_Integer)sn != bj - bi + 1) {
      /* text[i..j] with its line ends as spaces */
      size_t a = 0, z = 0, q;
      luaL_Buffer lb;
      lede_range(bi, bj, tn, &a, &z);
      luaL_buffinit(L, &lb);
      for (q = a; q < z; q++) luaL_addchar(&lb, text[q] == '\n' ? ' ' : text[q]);
      luaL_pushresult(&lb);
      lua_replace(L, 9);
    }
    x = block_make(L, 9, bi - 1, pooled); /* 10 */
    lua_replace(L, 2);
    lua_settop(L, 8);
    matches_in(L, 2, 7, 8, x);
    lua_settop(L, 8);
    mx_index(L, x, x->bs, x->bsn);
    runs_in(L, x, skip, &sets);
    lua_settop(L, 8);
    known_in(L, x, &sets);
  }
  return 0;
}

/* core.entity_merge(D): an organisation of D known by its acronym ("TSMC":
 * one word in capitals) and written in full in the same text ("Taiwan
 * Semiconductor Manufacturing Co", or the first mention's text) is one: the
 * acronym's mentions move to the full name's entity, in order. */
static int l_entity_merge(lua_State *L) {
  lua_Integer n, x;
  int list, byini = 0, moved = 0;
  MStore *ms;
  lua_Integer *to = NULL; /* per entity: the ordinal its mentions move to, 0: none */
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  key_get(L, 1, KEY_list); /* 2 */
  list = 2;
  luaL_checktype(L, list, LUA_TTABLE);
  ms = ms_of(L, 1);
  key_get(L, 1, KEY_text); /* 3 */
  lua_pushnil(L); /* 4: the organisations by initials, when made */
  lua_pushnil(L); /* 5: the numbers below, when made */
  luaL_checkstack(L, 20, "entity_merge");
  n = (lua_Integer)lua_rawlen(L, list);
  for (x = 1; x <= n; x++) {
    int e, o;
    size_t nn;
    const char *name;
    int et = ms_etype(ms, x);
    lua_settop(L, 5);
    if (et != ET_NONE && et != ET_ORG) continue;
    lua_rawgeti(L, list, x);
    e = 6;
    key_get(L, e, KEY_type);
    if (!str_is(L, -1, ET_ORG_S, sizeof ET_ORG_S - 1)) continue;
    key_get(L, e, KEY_name);
    name = lua_tolstring(L, -1, &nn);
    if (name == NULL || nn < 2 || memchr(name, ' ', nn) != NULL ||
        !upper_word_b((const unsigned char *)name, nn))
      continue;
    if (byini == 0) {
      lua_Integer y;
      size_t k;
      lua_Integer *first;
      lua_newtable(L);
      lua_replace(L, 4);
      byini = 4;
      /* per entity: 1 + the index of its first mention, 0: none; then the
       * ordinals its mentions move to */
      first = (lua_Integer *)lua_newuserdata(L, (size_t)(n + 1) * sizeof *first);
      lua_replace(L, 5);
      to = first;
      for (y = 0; y <= n; y++) first[y] = 0;
      for (k = ms->n; k > 0; k--) {
        lua_Integer en = ms->m[k - 1].ent;
        if (en >= 1 && en <= n) first[en] = (lua_Integer)k;
      }
      for (y = 1; y <= n; y++) {
        size_t on, tn;
        const char *oname, *text;
        int oo;
        lua_rawgeti(L, list, y);
        oo = lua_gettop(L);
        key_get(L, oo, KEY_type);
        key_get(L, oo, KEY_name);
        oname = lua_tolstring(L, -1, &on);
        if (str_is(L, -2, ET_ORG_S, sizeof ET_ORG_S - 1) && oname != NULL &&
            memchr(oname, ' ', on) != NULL) {
          push_initials(L, (const unsigned char *)oname, on);
          lua_pushvalue(L, oo);
          lua_rawset(L, byini);
          /* with the legal suffix it was written with ("... Manufacturing Co") */
          if (first[y] != 0) {
            const Ment *r = &ms->m[first[y] - 1];
            push_sub(L, 3, r->i, r->j);
            text = lua_tolstring(L, -1, &tn);
            if (!lua_rawequal(L, -1, oo + 2)) {
              push_initials(L, (const unsigned char *)text, tn);
              lua_pushvalue(L, oo);
              lua_rawset(L, byini);
            }
          }
        }
        lua_settop(L, oo - 1);
      }
      for (y = 0; y <= n; y++) to[y] = 0;
    }
    lua_pushvalue(L, e + 2); /* the name */
    lua_rawget(L, byini);
    o = lua_gettop(L);
    if (!lua_toboolean(L, o) || lua_rawequal(L, o, e)) continue;
    to[x] = ent_ordinal(L, o);
    moved = 1;
  }
  if (moved) {
    size_t k;
    for (k = 0; k < ms->n; k++) {
      lua_Integer en = ms->m[k].ent;
      if (en >= 1 && en <= n && to[en] != 0) ms->m[k].ent = to[en];
    }
  }
  lua_settop(L, 0);
  return 0;
}

/* core.entity_doc(D, name, etype [, rec]) -> E: the entity of D of that
 * name and type (rec: the list record it is), made when new. */
static int l_entity_doc(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkstring(L, 2);
  luaL_checkstring(L, 3);
  lua_settop(L, 4);
  doc_entity(L, 1, 2, 3, NULL, lua_istable(L, 4) ? 4 : 0);
  return 1;
}

/* core.entity_mention(D, E, i, j) -> m: a mention of E at [i, j] of D.text
 * (the one at i when it is E's or no shorter). */
static int l_entity_mention(lua_State *L) {
  lua_Integer i = luaL_checkinteger(L, 3), j = luaL_checkinteger(L, 4);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 4);
  add_mention(L, 1, 2, i, j);
  {
    MStore *ms = ms_of(L, 1);
    size_t x = ms_find(ms, i);
    lua_pushinteger(L, x ? ms->m[x - 1].i : i);
    lua_pushinteger(L, x ? ms->m[x - 1].j : j);
  }
  return 2;
}

/* core.entity_person(D, B, sets, E, i, j): a mention of the person E at
 * [i, j] of block B, with the roles around it. */
static int l_entity_person(lua_State *L) {
  Cue c;
  lua_Integer i = luaL_checkinteger(L, 5), j = luaL_checkinteger(L, 6);
  luaL_checktype(L, 1, LUA_TTABLE);
  check_block(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 6);
  cue_block(L, &c);
  person_mention(&c, 1, 2, 4, i, j);
  return 0;
}

typedef struct {
  Cue *c;
  Words *W;
  int ends, cover; /* stack indexes */
  int place_after;
  lua_Integer run_a;
} Piece;

#define PTEXT(x) (c->s + W->i[x] - 1)
#define PLEN(x) ((size_t)(W->j[x] - W->i[x] + 1))
#define PIS(x, lit) (PLEN(x) == sizeof lit - 1 && memcmp(PTEXT(x), lit, sizeof lit - 1) == 0)

/* A name of type etype at [i, j] (gender at stack index g or 0). */
static void piece_act(Piece *P, const char *etype, lua_Integer i, lua_Integer j, int g) {
  name_act(P->c, etype, i, j, g);
}

/* plain_name: words a..z are plain name words, no English words (a family
 * name may be one when it is also a name). */
static int piece_plain(Piece *P, int a, int z) {
  Cue *c = P->c;
  Words *W = P->W;
  int x;
  for (x = a; x <= z; x++) {
    const unsigned char *w = PTEXT(x);
    size_t n = PLEN(x);
    if (!shape_plain(w, n) || cue_has(c, CUE_ORG_TAILS, w, n, 0) ||
        cue_has(c, CUE_PLACE_TAILS, w, n, 0) || cue_has(c, CUE_THING_TAILS, w, n, 0) ||
        cue_has(c, CUE_ORG_HEADS, w, n, 0) || cue_has(c, CUE_COMMON, w, n, 0))
      return 0;
    if (cue_english(c, w, n) && (x == a || !cue_has(c, CUE_PROPER, w, n, 0))) return 0;
  }
  return 1;
}

/* The lower-case word at p (a space then %l+): its length, 0 for none. */
static lua_Integer lower_word_at(const Cue *c, lua_Integer p) {
  lua_Integer q = p;
  while (cue_byte(c, q) >= 0 && islower(cue_byte(c, q))) q++;
  return q - p;
}

static void classify_piece(Piece *P, int x1, int x2) {
  Cue *c = P->c;
  Words *W = P->W;
  lua_State *L = c->L;
  int a = x1, z = x2, k, n, person = 0, has_generic = 0, after_title, top = lua_gettop(L),
      gender = 0;
  lua_Integer i, j, c0 = -1, w0a = 1, w0n = 0;
  const unsigned char *first, *last;
  size_t firstn, lastn;
  luaL_checkstack(L, 20, "entity_piece");
  /* strip connectors at the edges and common words at the start */
  after_title = x2 > x1 && cue_title_before(c, P->ends, W->i[x1], 1);
  while (a <= z && (is_connector(PTEXT(a), PLEN(a)) ||
                    (!after_title && cue_has(c, CUE_COMMON, PTEXT(a), PLEN(a), 0)) ||
                    (c->fstop != NULL &&
                     lede_wordset_has_word(c->fstop, (const char *)PTEXT(a), PLEN(a)))))
    a++;
  while (z >= a && is_connector(PTEXT(z), PLEN(z))) z--;
  if (a > z) return;
  /* split at connectors that are not name particles ("China and ...") and
   * after a possessive ("Nigel Farage's Reform") */
  for (k = a; k <= z; k++) {
    const unsigned char *t = PTEXT(k);
    size_t tn = PLEN(k);
    int conn;
    if (tn == 1 && t[0] == '&' && k > a && k < z && z - a <= 4 && shape_title(PTEXT(a), PLEN(a)) &&
        (!cue_english(c, PTEXT(a), PLEN(a)) || cue_has(c, CUE_PROPER, PTEXT(a), PLEN(a), 0))) {
      /* "Procter & Gamble", "Marks & Spencer": a company */
      piece_act(P, "organization", W->i[a], W->j[z], 0);
      return;
    }
    conn = is_connector(t, tn) && !cue_has(c, CUE_NAME_PARTICLES, t, tn, 0);
    if (conn || (k < z && ends_poss_b(t, tn))) {
      int le = conn ? k - 1 : k;
      if (le >= a) classify_piece(P, a, le);
      if (z >= k + 1) classify_piece(P, k + 1, z);
      return;
    }
  }
  i = W->i[a];
  j = W->j[z];
  n = z - a + 1;
  {
    lua_Integer pj = (lua_Integer)strip_possessive(c->s, (size_t)(W->i[z] - 1), (size_t)j);
    j = pj;
  }
  last = c->s + W->i[z] - 1;
  lastn = (size_t)(j - W->i[z] + 1);
  first = PTEXT(a);
  firstn = PLEN(a);
  if (P->place_after && first_upper_b(cue_byte(c, i)) &&
      !cue_has(c, CUE_GENERIC, first, firstn, 0) &&
      !cue_has(c, CUE_FIRST_NAMES, first, firstn, 0)) {
    /* "Kagoshima prefecture", "Miyazaki and Kochi prefectures" */
    piece_act(P, "place", i, j, 0);
    return;
  }
  if (n == 1) {
    int h, frag;
    if (cue_has(c, CUE_GENERIC, first, firstn, 0)) return;
    if (firstn > 7 && first[firstn - 1] == 'd' && memcmp(first + firstn - 6, "-based", 6) == 0 &&
        shape_title(first, firstn - 6)) {
      size_t bn = firstn - 6;
      int covered;
      mx_geti(L, P->cover, i);
      covered = lua_toboolean(L, -1);
      lua_pop(L, 1);
      if (!covered && !cue_has(c, CUE_COMMON, first, bn, 0) &&
          (!cue_english(c, first, bn) || cue_has(c, CUE_PROPER, first, bn, 0))) {
        /* "the Tempe-based company": a place */
        piece_act(P, "place", i, i + (lua_Integer)bn - 1, 0);
        return;
      }
    }
    h = cue_honorific(c, i); /* top + 1 */
    if ((h || cue_title_before(c, P->ends, i, 1)) &&
        !(cue_has(c, CUE_ORG_TAILS, first, firstn, 0) ||
          cue_has(c, CUE_PLACE_TAILS, first, firstn, 0) ||
          cue_has(c, CUE_THING_TAILS, first, firstn, 0) ||
          cue_has(c, CUE_ORG_HEADS, first, firstn, 0)))
      person = 1;
    /* what the words around it say is read when no person's name has it */
    frag = 0;
    if (W->i[x1] > P->run_a) {
      size_t fa = 0, fz = 0, q;
      lede_range(i - 5, i - 2, (size_t)c->n, &fa, &fz);
      q = fz;
      while (q > fa && isalpha(c->s[q - 1])) q--;
      frag = !is_connector(c->s + q, fz - q);
    }
    push_pending(L, i, j, last, lastn, person, frag, h ? top + 1 : 0);
    lua_settop(L, top);
    return;
  }
  if (n > 5) return;
  if (cue_has(c, CUE_ORG_BEFORE, first, firstn, 1) && cue_sentence_start(c, i) &&
      !cue_english(c, PTEXT(a + 1), PLEN(a + 1))) {
    /* "Rival Quindar said": a company word capitalised at a sentence's start */
    piece_act(P, "organization", W->i[a + 1], j, 0);
    return;
  }
  if (cue_has(c, CUE_GENERIC, first, firstn, 0)) {
    /* "Officials Wang ..." never; drop generic leading words */
    classify_piece(P, a + 1, z);
    return;
  }
  if (cue_has(c, CUE_PLACE_HEADS, first, firstn, 0)) {
    int h = cue_honorific(c, i);
    lua_settop(L, top);
    if (!h) {
      /* "San Pedro Sula", "Port Louis", "Fort Myers" */
      piece_act(P, "place", i, j, 0);
      return;
    }
  }
  if (n >= 3 && !cue_has(c, CUE_FIRST_NAMES, first, firstn, 0) &&
      cue_has(c, CUE_FIRST_NAMES, PTEXT(a + 1), PLEN(a + 1), 0)) {
    /* "Superintendent Larry Snelling": a word no list knows before a given name */
    classify_piece(P, a + 1, z);
    return;
  }
  /* the gender at top + 1 (nil: none) */
  cue_get(c, CUE_FIRST_NAMES, first, firstn); /* top + 1 */
  if (lua_toboolean(L, top + 1)) {
    person = 1;
    if (lua_type(L, top + 1) == LUA_TSTRING && lua_rawlen(L, top + 1) == 1 &&
        lua_tostring(L, top + 1)[0] == 'u') {
      lua_pushnil(L);
      lua_replace(L, top + 1);
    }
  } else {
    lua_pushnil(L);
    lua_replace(L, top + 1);
  }
  if (cue_honorific(c, i)) { /* top + 2 */
    person = 1;
    if (!(lua_type(L, top + 2) == LUA_TSTRING && lua_rawlen(L, top + 2) == 0))
      lua_replace(L, top + 1);
  }
  lua_settop(L, top + 1);
  gender = top + 1;
  if (!person && cue_titlecase(c, 2)) {
    /* a block in Title Case: a title or a cue before a capitalised word says nothing */
    lua_settop(L, top);
    return;
  }
  if (!person && cue_title_before(c, P->ends, i, 0)) person = 1;
  if (!person && n <= 3) {
    if (cue_has(c, CUE_SURNAMES, first, firstn, 0)) {
      /* "Kang Kyung-wha", "Moon Jae-in": a family name, then a hyphenated given name */
      for (k = a + 1; k <= z; k++) {
        const unsigned char *t = PTEXT(k);
        size_t tn = PLEN(k), h1 = 1, h2;
        if (tn < 4 || !isupper(t[0])) continue;
        while (h1 < tn && islower(t[h1])) h1++;
        if (h1 < 2 || h1 > 5 || h1 >= tn || t[h1] != '-') continue;
        h2 = h1 + 1;
        while (h2 < tn && islower(t[h2])) h2++;
        if (h2 == tn && h2 - h1 - 1 >= 1 && h2 - h1 - 1 <= 5) person = 1;
      }
      if (n == 3) person = 1;
    }
  }
  for (k = a; k <= z; k++)
    if (cue_has(c, CUE_GENERIC, PTEXT(k), PLEN(k), 0)) has_generic = 1;
  /* the lower-case word before (company words and prepositions are short) */
  if (i > 2 && cue_byte(c, i - 1) == ' ') c0 = cue_byte(c, i - 2);
  if (c0 >= 'a' && c0 <= 'z') {
    lua_Integer pz;
    cue_prev_word(c, i - 2, 14, &w0a, &pz);
    w0n = pz >= w0a ? pz - w0a + 1 : 0;
  }
#define W0 (c->s + w0a - 1), (size_t)w0n
  if (!person) {
    /* "drugmaker Bavarian Nordic", "the Information Resistance group" */
    lua_Integer w1n = cue_byte(c, j + 1) == ' ' ? lower_word_at(c, j + 2) : 0;
    if (cue_has(c, CUE_ORG_BEFORE, W0, 0) ||
        (w1n > 0 && (cue_has(c, CUE_ORG_NOUN_AFTER, c->s + j + 1, (size_t)w1n, 0) ||
                     cue_has(c, CUE_ORG_AFTER, c->s + j + 1, (size_t)w1n, 0)))) {
      lua_settop(L, top);
      if (cue_has(c, CUE_THING_TAILS, last, lastn, 0) ||
          cue_has(c, CUE_PLACE_TAILS, last, lastn, 0))
        return;
      piece_act(P, "organization", i, j, 0);
      return;
    }
  }
  if (!person && !has_generic &&
      (n == 2 || (n == 3 && (((PLEN(a + 1) == 1 || (PLEN(a + 1) == 2 && PTEXT(a + 1)[1] == '.')) &&
                              isupper(PTEXT(a + 1)[0])) ||
                             cue_has(c, CUE_NAME_PARTICLES, PTEXT(a + 1), PLEN(a + 1), 0))))) {
    /* a cue alone names a person of two words, or with an initial or particle */
    if (cue_has_cue(c, i, j)) person = 1;
  }
  if (!person && !has_generic && n <= 4) {
    lua_Integer rr[6];
    if (roles_of(c, 2, i, j, rr) > 0) person = 1;
  }
  if (!person && !has_generic && n <= 3) {
    /* "Agus Subiyanto, 57,", "Listyo Sigit Prabowo, who": an age or a cue */
    int age = 0;
    if (cue_byte(c, j + 1) == ',' && cue_byte(c, j + 2) == ' ') {
      lua_Integer q = j + 3;
      while (cue_byte(c, q) >= 0 && isdigit(cue_byte(c, q))) q++;
      age = q > j + 3 && q - (j + 3) <= 3 && cue_byte(c, q) == ',';
    }
    if (age || (n == 3 && cue_has_cue(c, i, j))) {
      person = 1;
    } else if (n == 2 && j == W->j[z] && cue_sentence_start(c, i) && piece_plain(P, a, z) &&
               !cue_has(c, CUE_PROPER, first, firstn, 0) && !cue_english(c, last, lastn) &&
               cue_byte(c, j + 1) == ' ' && is_lower_b(cue_byte(c, j + 2)) &&
               islower(cue_byte(c, j + 3) < 0 ? 0 : cue_byte(c, j + 3)) &&
               !(j + 4 <= c->n && memcmp(c->s + j, " of ", 4) == 0) &&
               !(j + 5 <= c->n && memcmp(c->s + j, " and ", 5) == 0)) {
      /* "Giannis Antetokounmpo finished with 31 points" */
      person = 1;
    } else if (n <= 3 && !cue_sentence_start(c, i) && piece_plain(P, a, z)) {
      /* two or three plain capitalised words no list knows, inside a sentence */
      lua_Integer w1a = 0, w1n = 0;
      {
        /* ^['’]?s? (%l+) */
        int opt;
        for (opt = 0; opt < 4 && w1n == 0; opt++) {
          lua_Integer q = j + 1;
          int take_ap = opt < 2, take_s = opt == 0 || opt == 2;
          if (take_ap) {
            int b = cue_byte(c, q);
            if (!(b >= 0 && apostrophe_byte((unsigned char)b))) continue;
            q++;
          }
          if (take_s) {
            if (cue_byte(c, q) != 's') continue;
            q++;
          }
          if (cue_byte(c, q) != ' ') continue;
          w1a = q + 1;
          w1n = lower_word_at(c, w1a);
        }
      }
      if (cue_has(c, CUE_PLACE_PREP, W0, 0) && j == W->j[z]) {
        /* "in San Pedro Sula" */
        lua_settop(L, top);
        piece_act(P, "place", i, j, 0);
        return;
      }
      if (!(w0n == 3 && memcmp(c->s + w0a - 1, "the", 3) == 0) &&
          !(c0 >= 0 && i >= 5 && memcmp(c->s + i - 5, "The", 3) == 0) &&
          !cue_has(c, CUE_ORG_BEFORE, W0, 0) && !cue_has(c, CUE_PLACE_PREP, W0, 0) &&
          !(w1n > 0 && (cue_has(c, CUE_ORG_AFTER, c->s + w1a - 1, (size_t)w1n, 0) ||
                        cue_has(c, CUE_PLACE_AFTER, c->s + w1a - 1, (size_t)w1n, 0))))
        person = 1;
    }
  }
#undef W0
  if (!person) {
    lua_settop(L, top);
    return;
  }
  /* a person's name does not end like an organisation's, a place's or an event's */
  if (cue_has(c, CUE_THING_TAILS, last, lastn, 0) || cue_has(c, CUE_ORG_TAILS, last, lastn, 0) ||
      cue_has(c, CUE_PLACE_TAILS, last, lastn, 0)) {
    lua_settop(L, top);
    return;
  }
  for (k = a; k <= z; k++) {
    const unsigned char *t = PTEXT(k);
    size_t tn = PLEN(k), x;
    int lower = 0, capital = 0, dot = 0;
    for (x = 0; x < tn; x++) {
      if (isdigit(t[x])) {
        lua_settop(L, top);
        return;
      } /* "Brent LCOc1" */
      if (is_lower_b(t[x]))
        lower = 1;
      else if (t[x] >= 'A' && t[x] <= 'Z')
        capital = 1;
      else if (t[x] == '.')
        dot = 1;
    }
    if (tn >= 2 && is_lower_b(t[1])) lower = 1;
    if (!lower && capital && tn > 1 && !dot) {
      lua_settop(L, top);
      return;
    } /* acronyms: unlikely a name */
  }
  piece_act(P, "person", i, j, gender);
  lua_settop(L, top);
}

#undef PTEXT
#undef PLEN
#undef PIS

/* ---- the word sets of the entities stage, hashed ---------------------- */

/* core.entity_sets(sets) -> lede.EntitySets: the keys of every table of the
 * array `sets` (the lede.entities word sets, CUE_* order; the state's own
 * table is left out) whose value is not false, hashed by set and
 * bytes, so that lede.core's readers answer "is this word in set k" with
 * no Lua string made. Put at sets[CUE_CSETS]; without it the readers look
 * words up in the tables themselves. */

static int es_close(lua_State *L) {
  wt_free((EntitySets *)luaL_checkudata(L, 1, ESETS_MT));
  return 0;
}

static int es_tostring(lua_State *L) {
  EntitySets *e = (EntitySets *)luaL_checkudata(L, 1, ESETS_MT);
  if (e->closed)
    lua_pushliteral(L, "lede.EntitySets (closed)");
  else
    lua_pushfstring(L, "lede.EntitySets (%d words)", (int)e->pairs);
  return 1;
}

/* Whether a set entry counts: a string key whose value is not false. */
static int es_entry(lua_State *L) { return lua_type(L, -2) == LUA_TSTRING && lua_toboolean(L, -1); }

static int l_entity_sets(lua_State *L) {
  EntitySets *e;
  size_t bytes = 0, words = 0;
  int k, nsets;
  luaL_checktype(L, 1, LUA_TTABLE);
  nsets = (int)lua_rawlen(L, 1);
  if (nsets > 255) return luaL_error(L, "entity_sets: at most 255 sets");
  for (k = 1; k <= nsets; k++) {
    if (k == CUE_STATE || (lua_rawgeti(L, 1, k), lua_type(L, -1) != LUA_TTABLE)) {
      if (k != CUE_STATE) lua_pop(L, 1);
      continue;
    }
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (es_entry(L)) {
        bytes += lua_rawlen(L, -2);
        words++;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  e = (EntitySets *)lua_newuserdata(L, sizeof(EntitySets));
  memset(e, 0, sizeof *e);
  luaL_setmetatable(L, ESETS_MT);
  e->mark = ES_MARK;
  wt_alloc(L, e, bytes, words);
  e->sets = (uint64_t *)calloc(words > 0 ? words : 1, sizeof(uint64_t));
  if (e->sets == NULL) return luaL_error(L, "not enough memory");
  {
    /* the filter: 64-bit words for about six bits a pair */
    size_t fw = 64;
    while (fw * 64 < 6 * words && fw < ((size_t)1 << 24)) fw *= 2;
    e->filt = (uint64_t *)calloc(fw, sizeof(uint64_t));
    if (e->filt == NULL) return luaL_error(L, "not enough memory");
    e->fmask = fw - 1;
    e->lf = (uint64_t *)calloc((size_t)(nsets + 1 < 64 ? nsets + 1 : 64) * 16, sizeof(uint64_t));
    if (e->lf == NULL) return luaL_error(L, "not enough memory");
    e->lfk = nsets + 1 < 64 ? nsets + 1 : 64;
  }
  for (k = 1; k <= nsets; k++) {
    if (k == CUE_STATE || (lua_rawgeti(L, 1, k), lua_type(L, -1) != LUA_TTABLE)) {
      if (k != CUE_STATE) lua_pop(L, 1);
      continue;
    }
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (es_entry(L)) {
        size_t n;
        const unsigned char *w = (const unsigned char *)lua_tolstring(L, -2, &n);
        es_add(e, k, w, n);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  return 1;
}

static const luaL_Reg es_methods[] = {{"close", es_close}, {NULL, NULL}};

/* ---- the runs of a block (lede.entities' process_run) ----------------- */

/* core.entity_runs(D, B, sets, runs, nruns) reads the capitalised runs of
 * block B (core.caps_runs' runs and their number) in order, as
 * lede.entities' process_block does. A run of one word is what
 * classify_piece makes of a one-word piece. A run of several words:
 * nothing when it is made of known names and common words only; else its
 * organisation shapes become organisations (or places), then its pieces,
 * the words no match or shape covers, are classified. Names found go to
 * D (name_act, doc_entity, add_mention: a name B.s:sub(i, j), a shape or
 * the known company it names, a team "the New York Knicks"); one-word
 * names go to D.pending. */

/* Whether sets[k] holds bytes w[0..n) ... (cue_has), for a word of W. */
#define RTEXT(x) (c->s + W->i[x] - 1)
#define RLEN(x) ((size_t)(W->j[x] - W->i[x] + 1))

/* A run made of known names and common words only needs nothing more. */
static int run_free(Cue *c, int cover, lua_Integer a, lua_Integer z) {
  lua_State *L = c->L;
  lua_Integer p = a;
  while (p <= z) {
    lua_Integer e = p;
    Match g;
    while (e <= z && c->s[e - 1] != ' ') e++;
    e--; /* the word [p, e] */
    if (!cue_match_c(c, cover, p, &g)) {
      const unsigned char *w = c->s + p - 1;
      size_t n = (size_t)(e - p + 1);
      if (cue_has(c, CUE_ORG_TAILS, w, n, 0) || cue_has(c, CUE_ORG_HEADS, w, n, 0) ||
          cue_has(c, CUE_PLACE_TAILS, w, n, 0) ||
          !(cue_has(c, CUE_COMMON, w, n, 0) || is_connector(w, n)))
        return 1;
    } else {
      lua_pop(L, 1);
      if (g.kind == K_ENTITY && cue_byte(c, g.j + 1) == ' ' && g.j < z) {
        /* a place before more words may start an organisation's name */
        lua_Integer q = g.j + 2, y = q;
        int covered;
        while (y <= c->n && c->s[y - 1] != ' ') y++;
        if (y > z + 1) y = z + 1;
        if (cue_has(c, CUE_ORG_TAILS, c->s + q - 1, (size_t)(y - q), 0) ||
            cue_has(c, CUE_PLACE_TAILS, c->s + q - 1, (size_t)(y - q), 0))
          return 1;
        mx_geti(L, cover, q);
        covered = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (!covered) return 1;
      }
    }
    p = e + 2;
  }
  return 0;
}

/* Sets field dead of the table at the top of the stack, and pops it. */
static void kill_top(lua_State *L) {
  lua_pushboolean(L, 1);
  key_set(L, -2, KEY_dead);
  lua_pop(L, 1);
}

/* ^%u%l+s$ */
static int shape_plural(const unsigned char *w, size_t n) {
  return n >= 3 && w[n - 1] == 's' && shape_title(w, n - 1);
}

/* Whether the string field k of the table at index t equals w[0..n). */
static int field_is(lua_State *L, int t, const char *k, const unsigned char *w, size_t n) {
  size_t fn;
  const char *f;
  int r;
  lua_getfield(L, t, k);
  f = lua_tolstring(L, -1, &fn);
  r = f != NULL && fn == n && memcmp(f, w, n) == 0;
  lua_pop(L, 1);
  return r;
}

static int is_strip_suffix(const unsigned char *w, size_t n) {
  static const char *const forms[] = {
      "Corp", "Corp.",       "Inc",     "Inc.",         "Co", "Co.", "Ltd", "Ltd.", "LLC",  "PLC",
      "plc",  "Corporation", "Limited", "Incorporated", "AG", "SA",  "SE",  "NV",   "GmbH", NULL};
  size_t k;
  for (k = 0; forms[k] != NULL; k++)
    if (strlen(forms[k]) == n && memcmp(forms[k], w, n) == 0) return 1;
  return 0;
}

/* One run of several words [a, z]. Stack: 1 D, 2 B, 3 sets, 4 piece_act,
 * 5 span_act, 6 team_act; starts, ends, cover the block's tables. */
static void run_multi(Cue *c, int starts, int ends, int cover, lua_Integer a, lua_Integer z) {
  lua_State *L = c->L;
  Words words, *W = &words;
  lua_Integer spans[5 * RUN_WORDS];
  unsigned char covered[RUN_WORDS + 2];
  int nspans = 0, x, p1, top = lua_gettop(L);
  Piece P;
  Match g;
  if (!run_free(c, cover, a, z)) return;
  P.place_after = cue_place_around(c, a, z);
  run_words(c, a, z, W);
  /* a heading in Title Case ("Catering Services", "Use Android Studio") has
   * the shape of organisation names everywhere: only the lists speak there */
  if (!cue_titlecase(c, 2)) nspans = run_spans(c, W, starts, cover, spans);
  memset(covered, 0, sizeof covered);
  for (x = 0; x < nspans; x++) {
    lua_Integer i = spans[5 * x], l = spans[5 * x + 2], r = spans[5 * x + 3], j, p;
    int is_place = spans[5 * x + 4] != 0, skip = 0, y;
    Match eq, in;
    j = (lua_Integer)strip_possessive(c->s, (size_t)(W->i[r] - 1), (size_t)spans[5 * x + 1]);
    /* gazetteer matches inside the span: an equal entity match stands for it */
    if (cue_match_c(c, starts, i, &eq)) {
      lua_pop(L, 1);
      if (eq.j == j && eq.kind == K_ENTITY) skip = 1;
    }
    if (!skip && cover_of(c, cover, i, &in) && !in.dead && in.i < i && in.j >= j &&
        in.kind != K_TITLE)
      skip = 1; /* part of a longer known name */
    if (!skip) {
      int partial = 0, has_space = 0, has_lower = 0, rec = 0;
      for (p = i; p <= j; p++) {
        if (cue_match_c(c, starts, p, &g)) {
          lua_pop(L, 1);
          if (!g.dead && g.j > j) partial = 1;
        }
      }
      {
        size_t sa = 0, sz = 0, q;
        lede_range(i, j, (size_t)c->n, &sa, &sz);
        for (q = sa; q < sz; q++) {
          if (c->s[q] == ' ')
            has_space = 1;
          else if (islower(c->s[q]))
            has_lower = 1;
        }
      }
      if (!partial && has_space && has_lower) {
        const char *etype = is_place ? "place" : "organization";
        const unsigned char *lw = RTEXT(r);
        size_t lwn = RLEN(r);
        lua_Integer ni, nj;
        int o;
        /* "Nvidia Corp", "Nissan Motor": a known company and its legal suffix or company form */
        if ((cue_has(c, CUE_LEGAL, lw, lwn, 0) || cue_has(c, CUE_COMPANY_FORMS, lw, lwn, 0)) && r > l) {
          if (cue_match_c(c, starts, i, &g)) {
            if (!g.dead && g.kind == K_ENTITY && g.etype == ET_ORG && g.j == W->j[r - 1]) {
              key_get(L, -1, KEY_target);
              lua_replace(L, -2);
              rec = lua_gettop(L);
            } else {
              lua_pop(L, 1);
            }
          }
        }
        for (p = i; p <= j; p++) {
          if (cue_match_c(c, starts, p, &g)) {
            if (g.j <= j)
              kill_top(L);
            else
              lua_pop(L, 1);
          }
        }
        /* "The Independent Office for ...": the article is not the name's */
        if (!is_place && i + 3 <= c->n && memcmp(c->s + i - 1, "The ", 4) == 0) i += 4;
        ni = i;
        nj = j;
        if (!rec && is_strip_suffix(lw, lwn) && r > l && !is_place) {
          /* "Starbucks Corp" is Starbucks */
          nj = W->j[r - 1];
          if (nj >= ni && cue_byte(c, nj) == ',') nj--;
        }
        {
          /* the organisation (or place) of that shape, or the known company */
          int nm, e0 = lua_gettop(L);
          lua_Integer off = block_off(L, 2);
          if (rec) {
            key_get(L, rec, KEY_name);
            key_get(L, rec, KEY_type);
            doc_entity(L, 1, e0 + 1, e0 + 2, NULL, rec);
          } else {
            size_t sa = 0, sz = 0;
            lede_range(ni, nj, (size_t)c->n, &sa, &sz);
            lua_pushlstring(L, (const char *)c->s + sa, sz - sa);
            nm = lua_gettop(L);
            doc_entity(L, 1, nm, 0, etype, 0);
          }
          lua_replace(L, e0 + 1);
          lua_settop(L, e0 + 1); /* E */
          add_mention(L, 1, e0 + 1, off + i, off + j);
          lua_pop(L, 1);
        }
        /* the shape's record, over the matches it took */
        if (mx_view(L, ends) != NULL && !mx_view(L, ends)->mx->closed) {
          MRec *nr = mx_rec(L, mx_view(L, ends)->mx);
          nr->i = i;
          nr->j = j;
          nr->kind = K_ENTITY;
          nr->etype = is_place ? ET_PLACE : ET_ORG;
          nr->org = 1;
          lua_pushlightuserdata(L, nr);
        } else {
          lua_createtable(L, 0, 6);
          lua_pushinteger(L, i);
          key_set(L, -2, KEY_i);
          lua_pushinteger(L, j);
          key_set(L, -2, KEY_j);
          lua_pushinteger(L, K_ENTITY);
          key_set(L, -2, KEY_kind);
          lua_pushstring(L, etype);
          key_set(L, -2, KEY_etype);
          lua_pushboolean(L, 1);
          key_set(L, -2, KEY_org);
        }
        o = lua_gettop(L);
        lua_pushvalue(L, o - 1);
        key_set(L, o, KEY_target);
        lua_pushvalue(L, o);
        mx_seti(L, ends, j);
        lua_pushvalue(L, o);
        mx_seti(L, starts, i);
        for (y = (int)l; y <= (int)r; y++) {
          lua_pushvalue(L, o);
          mx_seti(L, cover, W->i[y]);
        }
        /* "Name (ACR)": the acronym in brackets is the organisation's too */
        if (cue_byte(c, j + 1) == ' ' && cue_byte(c, j + 2) == '(' && cue_byte(c, j + 3) >= 0 &&
            isupper(cue_byte(c, j + 3))) {
          lua_Integer q = j + 4;
          int b;
          while ((b = cue_byte(c, q)) >= 0 && (isupper(b) || isdigit(b) || b == '&')) q++;
          if (q > j + 4 && b == ')') {
            key_get(L, 1, KEY_acronyms);
            lua_pushlstring(L, (const char *)c->s + j + 2, (size_t)(q - (j + 3)));
            lua_pushvalue(L, o - 1);
            lua_rawset(L, -3);
            lua_pop(L, 1);
          }
        }
        lua_settop(L, top);
      }
      lua_settop(L, top);
    }
    for (y = (int)l; y <= (int)r; y++) covered[y] = 1;
  }
  /* pieces: maximal sequences of words not covered by a match or an org span */
  p1 = 0;
  for (x = 1; x <= W->n + 1; x++) {
    int free = 0, have;
    if (x <= W->n && !covered[x]) {
      have = cue_match_c(c, cover, W->i[x], &g); /* the match stays on the stack */
      free = !have || g.dead;
      if (!free && g.kind == K_ENTITY && g.i == W->i[x] && g.j == W->j[x]) {
        int mt = lua_gettop(L);
        if (g.etype == ET_PERSON && p1 > 0 && W->j[x - 1] + 2 == W->i[x]) {
          /* "Tim Morrison", "Listyo Sigit Prabowo": a given name before a
           * surname the lists know alone */
          const unsigned char *pt = RTEXT(x - 1);
          size_t pn = RLEN(x - 1);
          int same;
          key_get(L, mt, KEY_target);
          same = field_is(L, lua_gettop(L), "name", c->s + g.i - 1, (size_t)(g.j - g.i + 1));
          lua_pop(L, 1);
          if (!same &&
              (cue_has(c, CUE_FIRST_NAMES, pt, pn, 0) ||
               (!cue_has(c, CUE_COMMON, pt, pn, 0) && !cue_has(c, CUE_GENERIC, pt, pn, 0) &&
                shape_title(pt, pn) && !cue_english(c, pt, pn))))
            free = 1;
        } else if (g.etype == ET_PLACE && cue_has(c, CUE_FIRST_NAMES, RTEXT(x), RLEN(x), 0) &&
                   x < W->n && W->i[x + 1] == W->j[x] + 2 && !covered[x + 1]) {
          /* "Jordan Peterson": a given name that is also a place's name */
          int nc;
          mx_geti(L, cover, W->i[x + 1]);
          nc = lua_toboolean(L, -1);
          lua_pop(L, 1);
          if (!nc && RLEN(x + 1) >= 2 && isupper(RTEXT(x + 1)[0]) && islower(RTEXT(x + 1)[1]))
            free = 1;
        }
        if (free) {
          lua_pushvalue(L, mt);
          kill_top(L);
        }
      }
      lua_settop(L, top);
    }
    if (free && p1 == 0 && x > 1 && cover_of(c, cover, W->i[x - 1], &g) && !g.dead &&
        g.kind == K_ENTITY && g.etype == ET_PLACE && g.j + 2 == W->i[x] &&
        (x == W->n || covered[x + 1]) && shape_plural(RTEXT(x), RLEN(x)) &&
        !cue_has(c, CUE_GENERIC, RTEXT(x), RLEN(x), 0) &&
        !cue_has(c, CUE_COMMON, RTEXT(x), RLEN(x), 0) &&
        !cue_has(c, CUE_ORG_TAILS, RTEXT(x), RLEN(x), 0) &&
        !cue_has(c, CUE_PLACE_TAILS, RTEXT(x), RLEN(x), 0) &&
        !cue_has(c, CUE_THING_TAILS, RTEXT(x), RLEN(x), 0)) {
      int country;
      mx_geti(L, cover, W->i[x - 1]);
      key_get(L, -1, KEY_target);
      if (lua_istable(L, -1))
        key_get(L, -1, KEY_country);
      else
        lua_pushnil(L);
      country = lua_toboolean(L, -1);
      lua_pop(L, 2);
      if (!country) {
        /* "the New York Knicks", "Milwaukee Bucks": a team named after its city */
        kill_top(L);
        {
          int e;
          size_t sa = 0, sz = 0;
          lede_range(g.i, W->j[x], (size_t)c->n, &sa, &sz);
          lua_pushlstring(L, (const char *)c->s + sa, sz > sa ? sz - sa : 0);
          doc_entity(L, 1, lua_gettop(L), 0, ET_ORG_S, 0);
          e = lua_gettop(L);
          lua_pushlstring(L, (const char *)RTEXT(x), RLEN(x));
          key_set(L, e, KEY_short);
          add_mention(L, 1, e, block_off(L, 2) + g.i, block_off(L, 2) + W->j[x]);
        }
        free = 0;
      }
      lua_settop(L, top);
    }
    if (free) {
      if (p1 == 0) p1 = x;
    } else if (p1 > 0) {
      P.c = c;
      P.W = W;
      P.ends = ends;
      P.cover = cover;
      P.run_a = a;
      classify_piece(&P, p1, x - 1);
      lua_settop(L, top);
      p1 = 0;
    }
  }
}

static void runs_in(lua_State *L, MIndex *bx, const EnglishSet *skip, const Cue *sets);

static int l_entity_runs(lua_State *L) {
  const EnglishSet *skip = NULL;
  MIndex *bx;
  luaL_checktype(L, 1, LUA_TTABLE);
  check_block(L, 2);
  bx = blk_of(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  if (!lua_isnoneornil(L, 4)) {
    if (lua_type(L, 4) == LUA_TUSERDATA && lua_rawlen(L, 4) == sizeof(EnglishSet))
      skip = (const EnglishSet *)lua_touserdata(L, 4);
    if (skip == NULL || skip->mark != WS_MARK) skip = (const EnglishSet *)luaL_checkudata(L, 4, WS_MT);
    if (skip->closed) return luaL_error(L, "closed");
  }
  lua_settop(L, 8); /* (4 to 8 stay free) */
  runs_in(L, bx, skip, NULL);
  return 0;
}

/* The body of core.entity_runs: D, B (bx when a core.entity_block) and the
 * word sets at stack indexes 1, 2, 3 (their hashed sets read into
 * sets->es already, when sets is not NULL); slots 4 to 8 are left as they
 * are. */
static void runs_in(lua_State *L, MIndex *bx, const EnglishSet *skip, const Cue *sets) {
  Cue c;
  size_t sn;
  lua_Integer nruns, k;
  int starts, ends, cover;
  CharClass *cc = (CharClass *)lua_touserdata(L, lua_upvalueindex(ENT_NKEYS + 1));
  lua_Integer spaces, caps;
  lua_settop(L, 8);
  if (sets != NULL && bx != NULL && bx->bs != NULL) {
    c = *sets;
    c.s = bx->bs;
    sn = bx->bsn;
    lua_pushnil(L); /* 9 (B keeps its text) */
  } else {
    c.L = L;
    c.sets = 3;
    cue_sets_init(&c);
    c.s = blk_text(L, 2, &sn); /* 9 */
  }
  c.bx = bx != NULL && bx->block && !bx->closed ? bx : NULL;
  c.bxi = 2;
  c.vi[0] = c.vi[1] = c.vi[2] = 0;
  c.li = 0;
  c.n = (lua_Integer)sn;
  /* the runs, in cc->out (nothing below scans again before they are read) */
  /* (a block record's spaces are counted when cue_titlecase asks) */
  nruns = (lua_Integer)(caps_scan(L, cc, c.s, sn, skip, lua_istable(L, 2) ? &spaces : NULL, &caps) / 4);
  if (lua_istable(L, 2)) {
    lua_pushinteger(L, spaces);
    key_set(L, 2, KEY_nsp);
    lua_pushinteger(L, caps);
    key_set(L, 2, KEY_ncap);
  }
  if (bx != NULL) {
    lua_pushlightuserdata(L, &bx->view[0]);
    lua_pushlightuserdata(L, &bx->view[1]);
    lua_pushlightuserdata(L, &bx->view[2]);
    if (c.bx == bx) { /* (10, 11, 12) */
      c.vi[0] = lua_gettop(L) - 2;
      c.vi[1] = lua_gettop(L) - 1;
      c.vi[2] = lua_gettop(L);
    }
  } else {
    key_get(L, 2, KEY_starts_at);
    key_get(L, 2, KEY_ends_at);
    key_get(L, 2, KEY_cover);
  }
  lua_pushnil(L); /* 13: a slot the loop keeps */
  starts = 10;
  ends = 11;
  cover = 12;
  luaL_checkstack(L, 40, "entity_runs");
  for (k = 0; k < nruns; k++) {
    lua_Integer a = cc->out[4 * k], z = cc->out[4 * k + 1], sp = cc->out[4 * k + 2],
                z2 = cc->out[4 * k + 3], i, j;
    if (a < 1 || z < a || z > c.n || z2 < a || z2 > z)
      luaL_error(L, "entity_runs: bad run %d", (int)k + 1);
    if (bx != NULL) {
      bx->run_a = a;
    } else {
      lua_pushinteger(L, a);
      key_set(L, 2, KEY_run_a);
    }
    if (sp == 0) {
      /* one word: most runs are a known name or a sentence's first word */
      if (run_single(&c, cover, ends, a, z, z2, &i, &j)) {
        /* "Kagoshima prefecture", "the Tempe-based company" */
        name_act(&c, ET_PLACE_S, i, j, 0);
      }
    } else {
      run_multi(&c, starts, ends, cover, a, z);
    }
    lua_settop(L, 13);
  }
}

#undef RTEXT
#undef RLEN

/* ---- the gazetteer matches of a block (lede.entities' scan_block) ----- */

/* core.entity_matches(B, r, info) -> list: the gazetteer matches r of block
 * B (flat: i, j, phrase id per match, as gazetteer:scan gives them), as
 * lede.entities keeps them: records { i, j, kind, target, etype, multi },
 * where info = { pkind, ptarget, pshout, pmulti, ptitle } (per phrase id:
 * its kind, its entity or title, whether it has a lower-case letter, several
 * words, the title it also is). A name must start with a capital (else it
 * is the title it also is, "economist", or no match); a name that is also a
 * title before a capitalised word is the title ("Economist Martin
 * Rapetti"); a name in capitals ("CHINA") is no mention but for a
 * dateline's place ("WASHINGTON (Reuters) -"). */
/* The body of core.entity_matches for B, r and info at stack indexes b, g
 * and t (bk: the block record at b, when the caller knows it; else NULL):
 * pushes 7 values above the top it finds, the last the list. */
/* Per phrase id, what matches_in reads of the info table: its kind (bits
 * 0-2), whether it is also a title, has a lower-case letter, covers each
 * of its words, its target's type ET_* (bits 6-8) and whether its target
 * is a place's record. */
#define PI_KIND 7u
#define PI_TITLE 8u
#define PI_SHOUT 16u
#define PI_MULTI 32u
#define PI_ETSHIFT 6
#define PI_PLACE 512u

/* The flags of phrases 1..n of an info table whose 5 arrays are at stack
 * indexes a..a+4, into out[0..n): 1 when they hold, 0 when the table has
 * values they do not give (then matches_in reads it). */
static int phrase_flags(lua_State *L, int a, lua_Integer n, uint16_t *out) {
  lua_Integer id;
  for (id = 1; id <= n; id++) {
    lua_Integer kind;
    int isnum, top = lua_gettop(L);
    unsigned f = 0;
    lua_rawgeti(L, a, id);
    kind = lua_tointegerx(L, -1, &isnum);
    if (!isnum) kind = 0;
    if (kind < 0 || kind > (lua_Integer)PI_KIND || (!isnum && !lua_isnil(L, -1))) return 0;
    f |= (unsigned)kind & PI_KIND;
    lua_rawgeti(L, a + 4, id);
    if (lua_toboolean(L, -1)) f |= PI_TITLE;
    lua_rawgeti(L, a + 2, id);
    if (lua_toboolean(L, -1)) f |= PI_SHOUT;
    lua_rawgeti(L, a + 3, id);
    if (!(lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1))) f |= PI_MULTI;
    lua_rawgeti(L, a + 1, id);
    if (lua_istable(L, -1)) {
      size_t tn;
      const char *et;
      int tt = lua_gettop(L);
      if (field_is(L, tt, "type", (const unsigned char *)"place", 5)) f |= PI_PLACE;
      key_get(L, tt, KEY_type);
      et = lua_tolstring(L, -1, &tn);
      f |= (unsigned)etype_of(et, tn) << PI_ETSHIFT;
    } else if (kind == K_ENTITY || kind == K_DEMONYM) {
      return 0; /* (its type is read as the record's) */
    }
    out[id - 1] = (uint16_t)f;
    lua_settop(L, top);
  }
  return 1;
}

/* The flags of the info table at stack index t (its 5 arrays at a..a+4),
 * made when it is not the one read last: 1 when they hold, 0 when the
 * table has values they do not give (then matches_in reads it). */
static int pinfo_for(lua_State *L, CharClass *cc, int t, int a) {
  lua_Integer n;
  uint16_t *pi;
  int top = lua_gettop(L);
  if (cc->info_ptr != NULL && lua_topointer(L, t) == cc->info_ptr) return cc->pinfo_ok;
  /* (forgotten first: an error half-way leaves no flags of another table) */
  cc->info_ptr = NULL;
  cc->pinfo_ok = 0;
  n = (lua_Integer)lua_rawlen(L, a);
  if (n < 0 || n > 0xFFFFFF) return 0;
  pi = (uint16_t *)realloc(cc->pinfo, (size_t)(n > 0 ? n : 1) * sizeof *pi);
  if (pi == NULL) luaL_error(L, "not enough memory");
  cc->pinfo = pi;
  cc->npinfo = (size_t)n;
  if (!cc->has_info_ref) {
    lua_pushvalue(L, t);
    cc->info_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    cc->has_info_ref = 1;
  } else {
    lua_pushvalue(L, t);
    lua_rawseti(L, LUA_REGISTRYINDEX, cc->info_ref);
  }
  cc->info_ptr = lua_topointer(L, t);
  cc->pinfo_ok = phrase_flags(L, a, n, cc->pinfo);
  lua_settop(L, top);
  return cc->pinfo_ok;
}

/* The flags core.entity_phrase_flags made for the info table at stack
 * index t, its [6] (two bytes per phrase, *n phrases), or NULL when it has
 * none for its n phrases. */
static const unsigned char *info_flags(lua_State *L, int t, lua_Integer n, size_t *nf) {
  const unsigned char *f = NULL;
  size_t len;
  if (lua_rawgeti(L, t, 6) == LUA_TSTRING) {
    f = (const unsigned char *)lua_tolstring(L, -1, &len);
    if (len != 2 * (size_t)n) f = NULL;
  }
  lua_pop(L, 1); /* (t holds it) */
  *nf = f != NULL ? (size_t)n : 0;
  return f;
}

/* core.entity_phrase_flags(info) -> string|nil: what core.entity_matches
 * reads of each phrase of info ({ pkind, ptarget, pshout, pmulti, ptitle }),
 * made once: two bytes per phrase, to be kept as info[6]; nil when the
 * tables hold values the flags do not give. */
static int l_entity_phrase_flags(lua_State *L) {
  lua_Integer n;
  int k, a;
  luaL_Buffer b;
  uint16_t *out;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  for (k = 1; k <= 5; k++) {
    lua_rawgeti(L, 1, k);
    if (!lua_istable(L, -1)) return luaL_error(L, "entity_phrase_flags: info[%d] must be a table", k);
  }
  a = 2;
  n = (lua_Integer)lua_rawlen(L, a);
  if (n > 0xFFFFFF) {
    lua_pushnil(L);
    return 1;
  }
  out = (uint16_t *)lua_newuserdata(L, (size_t)(n > 0 ? n : 1) * sizeof *out);
  if (!phrase_flags(L, a, n, out)) {
    lua_pushnil(L);
    return 1;
  }
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, (const char *)out, (size_t)n * sizeof *out);
  luaL_pushresult(&b);
  return 1;
}

/* Whether the index x holds the info table at stack index t (it takes a
 * reference to t when it holds none yet, or another while it has no
 * records: a block record of the pool read last by another extractor):
 * its records then read their targets from it when asked. */
static int hold_info(lua_State *L, MIndex *x, int t) {
  int same;
  if (x->info == LUA_NOREF) {
    lua_pushvalue(L, t);
    x->info = luaL_ref(L, LUA_REGISTRYINDEX);
    return 1;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, x->info);
  same = lua_rawequal(L, -1, t);
  lua_pop(L, 1);
  if (!same && x->n == 0 && x->info != LUA_REFNIL) {
    lua_pushvalue(L, t);
    lua_rawseti(L, LUA_REGISTRYINDEX, x->info);
    same = 1;
  }
  return same;
}

static void matches_in(lua_State *L, int b, int g, int t, MIndex *bk) {
  size_t sn;
  const unsigned char *s;
  lua_Integer n, k, slen;
  int titlecase_true, base = lua_gettop(L), info_ok = -1, fast = 0;
  CharClass *cc_of = doc_cache(L);
  Cue cc;
  MIndex *x;
  const size_t *hits = NULL; /* the matches of a gazetteer given for r */
  size_t nhits = 0;
  const unsigned char *pflags = NULL; /* per phrase id, its PI_* flags */
  size_t npflags = 0;
  if (bk != NULL && bk->bs != NULL) { /* (the block record at b, known) */
    lua_pushnil(L); /* base + 1 */
    s = bk->bs;
    sn = bk->bsn;
  } else {
    bk = NULL;
    s = blk_text(L, b, &sn); /* base + 1 */
  }
  slen = (lua_Integer)sn;
  cc.L = L;
  cc.s = s;
  cc.n = slen;
  cc.sets = 0;
  cc.es = NULL;
  cc.bx = NULL;
  cc.vi[0] = cc.vi[1] = cc.vi[2] = 0;
  cc.li = 0;
  cc.foreign = cc_of != NULL && cc_of->foreign;
  cc.fstop = cc_of != NULL ? cc_of->fstop : NULL;
  {
    MIndex *bx = bk != NULL ? bk : blk_of(L, b);
    if (bx != NULL) {
      titlecase_true = bx->titlecase == 1;
    } else {
      key_get(L, b, KEY_titlecase);
      titlecase_true = lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
  }
  lua_rawgeti(L, t, 1); /* base + 2 pkind */
  lua_rawgeti(L, t, 2); /* base + 3 ptarget */
  lua_rawgeti(L, t, 3); /* base + 4 pshout */
  lua_rawgeti(L, t, 4); /* base + 5 pmulti */
  lua_rawgeti(L, t, 5); /* base + 6 ptitle */
  if (lua_type(L, g) == LUA_TUSERDATA) {
    /* a gazetteer: its matches over the block's text, read in C */
    hits = lede_gaz_scan(L, g, s, sn, &nhits);
    n = nhits > 0x7FFFFFFF ? 0 : 3 * (lua_Integer)nhits;
  } else {
    n = (lua_Integer)lua_rawlen(L, g);
  }
  if (bk == NULL && lua_istable(L, b)) {
    x = mx_new(L); /* base + 7 */
  } else {
    x = bk != NULL ? bk : mx_test(L, b); /* a block record keeps its matches */
    x->n = 0;
    lua_pushvalue(L, b); /* base + 7 */
  }
  luaL_checkstack(L, 20, "entity_matches");
  if (hits != NULL && n > 0) {
    /* the flags of the phrases (info[6], else made from info), with the
     * index holding info (as below) */
    pflags = info_flags(L, t, (lua_Integer)lua_rawlen(L, base + 2), &npflags);
    if (pflags == NULL && pinfo_for(L, cc_of, t, base + 2)) {
      pflags = (const unsigned char *)cc_of->pinfo;
      npflags = cc_of->npinfo;
    }
    if (pflags != NULL) {
      info_ok = hold_info(L, x, t);
      fast = info_ok;
    }
  }
  for (k = 1; k + 2 <= n; k += 3) {
    lua_Integer i, j, id, kind;
    int ok = 1, has_title, use_f = 0;
    unsigned f = 0;
    if (hits != NULL) {
      i = (lua_Integer)hits[k - 1];
      j = (lua_Integer)hits[k];
      id = (lua_Integer)hits[k + 1];
    } else {
      lua_rawgeti(L, g, k);
      lua_rawgeti(L, g, k + 1);
      lua_rawgeti(L, g, k + 2);
      i = lua_tointeger(L, -3);
      j = lua_tointeger(L, -2);
      id = lua_tointeger(L, -1);
      lua_pop(L, 3);
    }
    if (i < 1 || j < i || j > slen)
      luaL_error(L, "entity_matches: bad match %d", (int)(k / 3 + 1));
    if (fast && id >= 1 && (size_t)id <= npflags) {
      uint16_t f16;
      use_f = 1;
      memcpy(&f16, pflags + 2 * (size_t)(id - 1), sizeof f16);
      f = f16;
      kind = (lua_Integer)(f & PI_KIND);
      has_title = (f & PI_TITLE) != 0;
      lua_pushnil(L); /* base + 8 (info_ok: not read) */
    } else {
      lua_rawgeti(L, base + 2, id);
      kind = lua_tointeger(L, -1);
      lua_pop(L, 1);
      lua_rawgeti(L, base + 6, id); /* base + 8: the title it also is */
      has_title = lua_toboolean(L, -1);
    }
    if (kind == K_ENTITY || kind == K_DEMONYM) {
      int c = s[i - 1];
      ok = c >= 0xC3 || (c >= 'A' && c <= 'Z');
      if (!ok && has_title) {
        kind = K_TITLE;
        ok = 1;
      }
      if (ok && has_title && cue_byte(&cc, j + 1) == ' ' &&
          isupper(cue_byte(&cc, j + 2) < 0 ? 0 : cue_byte(&cc, j + 2)) &&
          islower(cue_byte(&cc, j + 3) < 0 ? 0 : cue_byte(&cc, j + 3)) && !titlecase_true)
        kind = K_TITLE; /* "Economist Martin Rapetti" */
      if (ok && j > i) {
        int shout;
        if (use_f) {
          shout = (f & PI_SHOUT) != 0;
        } else {
          lua_rawgeti(L, base + 4, id);
          shout = lua_toboolean(L, -1);
          lua_pop(L, 1);
        }
        if (shout && s[i] >= 'A' && s[i] <= 'Z') {
          /* is_upper_word: no ASCII lower-case letter, a capital */
          lua_Integer x;
          int lower = 0;
          for (x = i; x <= j && !lower; x++) lower = is_lower_b(s[x - 1]);
          if (!lower) {
            /* "CHINA": a shouted headline; a dateline's place is a mention */
            int place = 0;
            if (i == 1 && use_f) {
              place = (f & PI_PLACE) != 0;
            } else if (i == 1) {
              lua_rawgeti(L, base + 3, id);
              if (lua_istable(L, -1))
                place = field_is(L, lua_gettop(L), "type", (const unsigned char *)"place", 5);
              lua_pop(L, 1);
            }
            ok = 0;
            if (place) {
              int opt;
              for (opt = 0; opt < 4 && !ok; opt++) {
                lua_Integer q = j + 1;
                int b;
                if (opt < 2) {
                  if (cue_byte(&cc, q) != ',') continue;
                  q++;
                }
                if (opt == 0 || opt == 2) {
                  if (cue_byte(&cc, q) != ' ') continue;
                  q++;
                }
                b = cue_byte(&cc, q);
                ok = b == '(' || b == '-' || b == ',' || b == 0xE2;
              }
            }
          }
        }
      }
    }
    if (ok) {
      MRec *r = mx_rec(L, x);
      r->i = i;
      r->j = j;
      r->kind = (int)kind;
      /* its target: info[5][id] (the title it also is) or info[2][id],
       * read from info when asked (the index holds info; one that holds
       * another takes the value itself) */
      if (info_ok < 0) info_ok = hold_info(L, x, t);
      if (info_ok) {
        r->tsrc = kind == K_TITLE && has_title ? 5 : 2;
        r->pid = id;
      } else {
        if (kind == K_TITLE && has_title)
          lua_pushvalue(L, base + 8);
        else
          lua_rawgeti(L, base + 3, id);
        mx_set_target(L, r);
      }
      if (kind == K_ENTITY && use_f) {
        r->etype = (int)((f >> PI_ETSHIFT) & 7);
      } else if (kind == K_ENTITY) {
        size_t tn;
        const char *t;
        lua_rawgeti(L, base + 3, id);
        key_get(L, -1, KEY_type);
        t = lua_tolstring(L, -1, &tn);
        r->etype = etype_of(t, tn);
        lua_pop(L, 2);
      }
      if (use_f) {
        r->multi = (f & PI_MULTI) != 0;
      } else {
        lua_rawgeti(L, base + 5, id);
        /* (a phrase of several words covers each of its words) */
        r->multi = !(lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1));
        lua_pop(L, 1);
      }
      mx_append(L, x, r);
    }
    lua_settop(L, base + 7);
  }
}

static int l_entity_matches(lua_State *L) {
  check_block(L, 1);
  if (lua_type(L, 2) != LUA_TUSERDATA) luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  matches_in(L, 1, 2, 3, NULL);
  return 1;
}

/* core.entity_index(s, list) -> starts_at, ends_at, cover: the matches of
 * list (records with i, j, multi) by their first byte, their last byte and
 * the first byte of each of their words (unless multi is false: then its
 * first byte only), later records over earlier ones. */
static int mrec_cmp(const void *a, const void *b) {
  const MRec *x = *(const MRec *const *)a, *y = *(const MRec *const *)b;
  if (x->i != y->i) return x->i < y->i ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The maps of mx over its block text s[0..sn) (core.entity_index). */
static void mx_index(lua_State *L, MIndex *mx, const unsigned char *s, size_t sn) {
  size_t k;
  if (mx->merged && mx->n > 1) qsort(mx->list, mx->n, sizeof *mx->list, mrec_cmp);
  mx->merged = 0;
  for (k = 0; k < 3; k++) mx->map[k].n = 0;
  for (k = 0; k < 3; k++)
    if (mx->map[k].slot != NULL) memset(mx->map[k].slot, 0, mx->map[k].cap * sizeof(MSlot));
  if (mx->n > 0 && mx->mapmem == NULL && mx->map[0].slot == NULL && mx->map[1].slot == NULL &&
      mx->map[2].slot == NULL && mx->n < ((size_t)1 << 20)) {
    /* the three maps' slots in one block, as many as map_put would grow
     * them to (cover: a match's first byte and the word starts it covers) */
    size_t cnt[3], cap[3], words = 0, all;
    MSlot *mem;
    for (k = 0; k < mx->n; k++) {
      const MRec *r = mx->list[k];
      if (r->multi && r->i >= 1 && r->i <= (lua_Integer)sn) {
        lua_Integer p;
        for (p = r->i; p < r->j && p <= (lua_Integer)sn; p++) words += s[p - 1] == ' ';
      }
    }
    cnt[0] = cnt[1] = mx->n;
    cnt[2] = mx->n + words;
    for (k = 0; k < 3; k++) {
      cap[k] = 16;
      while (cap[k] < 2 * cnt[k]) cap[k] *= 2;
    }
    all = cap[0] + cap[1] + cap[2];
    mem = (MSlot *)calloc(all, sizeof *mem);
    if (mem != NULL) {
      mx->mapmem = mem;
      for (k = 0; k < 3; k++) {
        mx->map[k].slot = mem;
        mx->map[k].cap = cap[k];
        mx->map[k].shared = 1;
        mem += cap[k];
      }
    }
  }
  for (k = 0; k < mx->n; k++) {
    MRec *r = mx->list[k];
    map_put(L, &mx->map[0], r->i, r);
    map_put(L, &mx->map[1], r->j, r);
    map_put(L, &mx->map[2], r->i, r);
    if (r->multi && r->i >= 1 && r->i <= (lua_Integer)sn) {
      lua_Integer p;
      for (p = r->i; p < r->j && p <= (lua_Integer)sn; p++)
        if (s[p - 1] == ' ') map_put(L, &mx->map[2], p + 1, r);
    }
  }
}

static int l_entity_index(lua_State *L) {
  size_t sn;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &sn);
  lua_Integer n, x;
  if (lua_type(L, 2) == LUA_TUSERDATA) {
    /* a lede.EntityMatches: its maps, made once */
    MIndex *mx = mx_check(L, 2);
    lua_settop(L, 2);
    mx_index(L, mx, s, sn);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 2);
    return 3;
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  n = (lua_Integer)lua_rawlen(L, 2);
  lua_createtable(L, 0, (int)(n < 1000 ? n : 1000)); /* 3 */
  lua_createtable(L, 0, (int)(n < 1000 ? n : 1000)); /* 4 */
  lua_createtable(L, 0, (int)(n < 1000 ? n : 1000)); /* 5 */
  for (x = 1; x <= n; x++) {
    lua_Integer i, j;
    int multi;
    lua_rawgeti(L, 2, x); /* 6 */
    if (!lua_istable(L, 6)) return luaL_error(L, "entity_index: record %d is not a table", (int)x);
    key_get(L, 6, KEY_i);
    key_get(L, 6, KEY_j);
    key_get(L, 6, KEY_multi);
    i = lua_tointeger(L, 7);
    j = lua_tointeger(L, 8);
    multi = !(lua_type(L, 9) == LUA_TBOOLEAN && !lua_toboolean(L, 9));
    lua_settop(L, 6);
    lua_pushvalue(L, 6);
    lua_rawseti(L, 3, i);
    lua_pushvalue(L, 6);
    lua_rawseti(L, 4, j);
    lua_pushvalue(L, 6);
    lua_rawseti(L, 5, i);
    if (multi && i >= 1 && i <= (lua_Integer)sn) {
      /* the other word starts the match covers: after each space before j */
      lua_Integer p;
      for (p = i; p < j && p <= (lua_Integer)sn; p++) {
        if (s[p - 1] == ' ') {
          lua_pushvalue(L, 6);
          lua_rawseti(L, 5, p + 1);
        }
      }
    }
    lua_settop(L, 5);
  }
  return 3;
}

/* ---- the stage's output (core.entity_output) -------------------------- */

/* The live mentions of a store, by start position. */
typedef struct {
  lua_Integer i;
  size_t k;
  int same; /* its text is its entity's name */
} MPos;

/* Sorts p[0..n) by start, stable (a merge sort, runs of 16 sorted by
 * insertion first), with tmp (n entries) for room: no allocation. */
static void sort_pos(MPos *p, MPos *tmp, size_t n) {
  size_t run = 16, a, w;
  MPos *src = p, *dst = tmp;
  for (a = 0; a < n; a += run) {
    size_t z = a + run < n ? a + run : n, k;
    for (k = a + 1; k < z; k++) {
      MPos t = p[k];
      size_t y = k;
      while (y > a && p[y - 1].i > t.i) {
        p[y] = p[y - 1];
        y--;
      }
      p[y] = t;
    }
  }
  for (w = run; w < n; w *= 2) {
    MPos *t;
    for (a = 0; a < n; a += 2 * w) {
      size_t m = a + w < n ? a + w : n, z = a + 2 * w < n ? a + 2 * w : n, x = a, y = m, o = a;
      while (x < m && y < z) dst[o++] = src[y].i < src[x].i ? src[y++] : src[x++];
      while (x < m) dst[o++] = src[x++];
      while (y < z) dst[o++] = src[y++];
    }
    t = src;
    src = dst;
    dst = t;
  }
  if (src != p) memcpy(p, src, n * sizeof *p);
}


/* core.entity_output(D) -> entities, mentions: the live mentions of D.at
 * (those no longer one marked dead), sorted by start, each a record { i, j,
 * text, entity }; and one output record per entity E of D.list met, in
 * order of first mention: { name, type, aliases, roles, mentions, gender,
 * nationality, demonym } (E itself, its working fields [0], _role and short
 * cleared: the aliases the texts of its mentions other than its name, in
 * order; its mentions in order). Each mention's entity is its output
 * record. D is done with then. */
#define ALIAS_SCAN 8 /* aliases looked for one by one, before a table of them */

typedef struct {
  lua_Integer ord;  /* the output record's ordinal, 0: none yet */
  lua_Integer live; /* live mentions */
  lua_Integer nm;   /* mentions given to the output record so far */
  lua_Integer others; /* live mentions whose text is not its name */
  lua_Integer na;     /* aliases given to the output record so far */
  const char *name; /* its name (E keeps it), NULL: not a string */
  size_t namelen;
  int got; /* name read */
} EOut;

/* The output records l_entity_output keeps its working tables of in
 * stack slots for (more: in a table), and those slots: the value on top
 * of the stack set as (oslot_set, left there) or pushed from (oslot_push)
 * the working table `which` (0 mentions, 1 aliases, 2 the aliases seen)
 * of output record ord; ostk the first slot, 0: the table at 8. */
#define OUT_STACK 1000
static void oslot_set(lua_State *L, int ostk, lua_Integer ord, int which) {
  if (ostk > 0) {
    lua_pushvalue(L, -1);
    lua_replace(L, ostk + 3 * (int)(ord - 1) + which);
  } else {
    lua_pushvalue(L, -1);
    lua_rawseti(L, 8, 3 * ord - 2 + which);
  }
}

static void oslot_push(lua_State *L, int ostk, lua_Integer ord, int which) {
  if (ostk > 0)
    lua_pushvalue(L, ostk + 3 * (int)(ord - 1) + which);
  else
    lua_rawgeti(L, 8, 3 * ord - 2 + which);
}

static int l_entity_output(lua_State *L) {
  CharClass *ocache;
  lua_Integer nout = 0;
  size_t n = 0, k, x;
  MPos *pos;
  EOut *eo;
  MStore *ms;
  lua_Integer ne, nents = 0;
  int ostk, w0, wE, wO, wm, wt, wM, wA, wS; /* (see below) */
  size_t tn;
  const char *text;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  ms = ms_of(L, 1);
  key_get(L, 1, KEY_list); /* 2 */
  luaL_checktype(L, 2, LUA_TTABLE);
  key_get(L, 1, KEY_text); /* 3 */
  ne = (lua_Integer)lua_rawlen(L, 2);
  for (x = 0; x < ms->n; x++)
    if (!ms->m[x].dead) n++;
  ocache = doc_cache(L);
  if (ocache->obusy) {
    pos = (MPos *)lua_newuserdata(L, 2 * (n > 0 ? n : 1) * sizeof *pos); /* 4 (and sort_pos' room) */
    eo = (EOut *)lua_newuserdata(L, (size_t)(ne + 1) * sizeof *eo);  /* 5 */
    ocache = NULL;
  } else {
    /* the positions and the entities' counts in arrays kept for the next
     * document */
    CharClass *cc = ocache;
    size_t np = 2 * (n > 0 ? n : 1), nq = (size_t)ne + 1; /* (pos and sort_pos' room) */
    if (ne < 0 || nq > ((size_t)-1) / 2 / sizeof *eo || np > ((size_t)-1) / 2 / sizeof *pos)
      return luaL_error(L, "not enough memory");
    if (np > cc->opos_cap) {
      void *q = realloc(cc->opos, np * sizeof *pos);
      if (q == NULL) return luaL_error(L, "not enough memory");
      cc->opos = q;
      cc->opos_cap = np;
    }
    if (nq > cc->oeo_cap) {
      void *q = realloc(cc->oeo, nq * sizeof *eo);
      if (q == NULL) return luaL_error(L, "not enough memory");
      cc->oeo = q;
      cc->oeo_cap = nq;
    }
    pos = (MPos *)cc->opos;
    eo = (EOut *)cc->oeo;
    cc->obusy = 1; /* (till the end: an error leaves it set) */
    lua_pushnil(L); /* 4 */
    lua_pushnil(L); /* 5 */
  }
  memset(eo, 0, (size_t)(ne + 1) * sizeof *eo);
  k = 0;
  for (x = 0; x < ms->n; x++) {
    const Ment *r = &ms->m[x];
    if (r->dead) continue;
    if (r->ent < 1 || r->ent > ne) return luaL_error(L, "entity_output: a mention of no entity of D.list");
    pos[k].i = r->i;
    pos[k].k = x;
    if (eo[r->ent].live++ == 0) nents++;
    k++;
  }
  if (n > 1 && n <= 64) {
    /* (a usual document's mentions, made mostly in order: an insertion
     * sort, stable as qsort's merge sort is) */
    for (k = 1; k < n; k++) {
      MPos t = pos[k];
      size_t y = k;
      while (y > 0 && pos[y - 1].i > t.i) {
        pos[y] = pos[y - 1];
        y--;
      }
      pos[y] = t;
    }
  } else if (n > 1) {
    sort_pos(pos, pos + n, n);
  }
  /* each entity's name, and how many of its mentions are no such text (at
   * most its aliases: room made for them) */
  text = lua_tolstring(L, 3, &tn);
  if (text == NULL) text = "", tn = 0;
  for (k = 0; k < n; k++) {
    const Ment *r = &ms->m[pos[k].k];
    EOut *q = &eo[r->ent];
    size_t ta = 0, tz = 0;
    if (!q->got) {
      lua_rawgeti(L, 2, r->ent);
      if (!lua_istable(L, -1)) return luaL_error(L, "entity_output: entity %d of D.list is not a table", (int)r->ent);
      push_key(L, KEY_name);
      lua_rawget(L, -2);
      q->name = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &q->namelen) : NULL;
      lua_pop(L, 2); /* (E, in D.list, keeps it) */
      q->got = 1;
    }
    lede_range(r->i, r->j, tn, &ta, &tz);
    pos[k].same = q->name != NULL && (tz > ta ? tz - ta : 0) == q->namelen &&
                  memcmp(text + ta, q->name, q->namelen) == 0;
    if (!pos[k].same) q->others++;
  }
  lua_createtable(L, nents < 0x10000 ? (int)nents : 0, 0); /* 6 entities */
  lua_createtable(L, n > 0x7FFFFFF ? 0x7FFFFFF : (int)n, 0); /* 7 mentions */
  /* per output record ord, its mentions, its aliases and the table of its
   * aliases (once there are ALIAS_SCAN): in stack slots 8 + 3 (ord - 1)
   * and the two after for a usual document, else in a table at 8 (3 ord -
   * 2, 3 ord - 1, 3 ord) */
  if (nents <= OUT_STACK) {
    luaL_checkstack(L, 3 * (int)nents + 30, "entity_output");
    lua_settop(L, 7 + 3 * (int)nents);
    w0 = lua_gettop(L);
    ostk = 8;
  } else {
    lua_createtable(L, nents < 0x1000 ? 3 * (int)nents : 0, 0);
    luaL_checkstack(L, 20, "entity_output");
    w0 = 8;
    ostk = 0;
  }
  wE = w0 + 1;
  wO = w0 + 2;
  wm = w0 + 3;
  wt = w0 + 4;
  wM = w0 + 5;
  wA = w0 + 7;
  wS = w0 + 8;
  for (k = 0; k < n; k++) {
    const Ment *r = &ms->m[pos[k].k];
    EOut *q = &eo[r->ent];
    lua_Integer ord;
    lua_rawgeti(L, 2, r->ent); /* wE: E */
    if (q->ord == 0) {
      ord = q->ord = ++nout;
      /* E itself becomes the output record O: its working fields (its
       * ordinal, its roles seen) cleared first, its aliases and mentions
       * added */
      lua_pushvalue(L, wE); /* wO: O */
      lua_pushnil(L);
      lua_rawseti(L, wO, 0);
      push_key(L, KEY__role);
      lua_pushnil(L);
      lua_rawset(L, wO);
      push_key(L, KEY_short);
      lua_pushnil(L);
      lua_rawset(L, wO);
      push_key(L, KEY_aliases);
      lua_createtable(L, q->others < 0x10000 ? (int)q->others : 0, 0);
      oslot_set(L, ostk, ord, 1);
      lua_rawset(L, wO);
      push_key(L, KEY_mentions);
      lua_createtable(L, q->live < 0x10000 ? (int)q->live : 0, 0);
      oslot_set(L, ostk, ord, 0);
      lua_rawset(L, wO);
      lua_pushvalue(L, wO);
      lua_rawseti(L, 6, ord);
    } else {
      ord = q->ord;
      lua_pushvalue(L, wE); /* wO: O (E) */
    }
    lua_createtable(L, 0, 6); /* wm: m (room for the output's start and stop too) */
    {
      /* wt: its text (E.name itself when it is that: no new string) */
      size_t ta = 0, tz = 0;
      lede_range(r->i, r->j, tn, &ta, &tz);
      if (pos[k].same) {
        push_key(L, KEY_name);
        lua_rawget(L, wE);
      } else {
        lua_pushlstring(L, text + ta, tz > ta ? tz - ta : 0);
      }
    }
    push_key(L, KEY_i);
    lua_pushinteger(L, r->i);
    lua_rawset(L, wm);
    push_key(L, KEY_j);
    lua_pushinteger(L, r->j);
    lua_rawset(L, wm);
    push_key(L, KEY_text);
    lua_pushvalue(L, wt);
    lua_rawset(L, wm);
    push_key(L, KEY_entity);
    lua_pushvalue(L, wO);
    lua_rawset(L, wm);
    lua_pushvalue(L, wm);
    lua_rawseti(L, 7, (lua_Integer)k + 1);
    oslot_push(L, ostk, ord, 0); /* wM: O.mentions */
    lua_pushvalue(L, wm);
    lua_rawseti(L, wM, ++q->nm);
    lua_pushnil(L); /* (free) */
    if (pos[k].same) {
      lua_settop(L, w0);
      continue; /* the name itself: no alias */
    }
    {
      /* a new alias: looked for among the aliases so far, by a table of
       * them (seen) once there are ALIAS_SCAN */
      lua_Integer na, a;
      int isnew = 1;
      oslot_push(L, ostk, ord, 1); /* wA: O.aliases */
      na = q->na;
      oslot_push(L, ostk, ord, 2); /* wS: seen */
      if (lua_istable(L, wS)) {
        lua_pushvalue(L, wt);
        lua_rawget(L, wS);
        isnew = !lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (isnew) {
          lua_pushvalue(L, wt);
          lua_pushboolean(L, 1);
          lua_rawset(L, wS);
        }
      } else {
        for (a = 1; a <= na && isnew; a++) {
          lua_rawgeti(L, wA, a);
          isnew = !lua_rawequal(L, -1, wt);
          lua_pop(L, 1);
        }
      }
      if (isnew) {
        lua_pushvalue(L, wt);
        lua_rawseti(L, wA, ++na);
        q->na = na;
        if (na == ALIAS_SCAN && !lua_istable(L, wS)) {
          lua_createtable(L, 0, ALIAS_SCAN * 2);
          for (a = 1; a <= na; a++) {
            lua_rawgeti(L, wA, a);
            lua_pushboolean(L, 1);
            lua_rawset(L, -3);
          }
          oslot_set(L, ostk, ord, 2);
          lua_pop(L, 1);
        }
      }
    }
    lua_settop(L, w0);
  }
  if (ocache != NULL) ocache->obusy = 0;
  lua_settop(L, 7);
  {
    /* the document is done: no longer held */
    CharClass *cc = doc_cache(L);
    if (cc->dptr != NULL && lua_topointer(L, 1) == cc->dptr) {
      doc_spare(L, cc, 1);
      doc_forget(L, cc, 1);
    }
  }
  return 2;
}

/* core.entity_tail(D, words) -> E | nil: the person of D named by the
 * words after a space of its name ("Harfuch", "Garcia Harfuch" for "Omar
 * Garcia Harfuch"; the first person so named), for inspection. */
static int l_entity_tail(lua_State *L) {
  MStore *ms;
  size_t n, kn;
  uint64_t h;
  const unsigned char *w, *k;
  lua_Integer ord;
  luaL_checktype(L, 1, LUA_TTABLE);
  w = (const unsigned char *)luaL_checklstring(L, 2, &n);
  lua_settop(L, 2);
  ms = ms_of(L, 1);
  k = tail_key(L, ms, w, n, &kn, &h);
  ord = ms_key_get(ms, k, kn, h);
  if (ord <= 0) return 0;
  key_get(L, 1, KEY_list);
  lua_rawgeti(L, -1, ord);
  return 1;
}

/* core.entity_mentions(D) -> array: every mention D.at holds, in the order
 * they were made, as records { i, j, text, entity = E, dead } (for
 * inspection: the stage's readers keep them in C). */
static int l_entity_mentions(lua_State *L) {
  MStore *ms;
  size_t x;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  ms = ms_of(L, 1);
  key_get(L, 1, KEY_list); /* 2 */
  key_get(L, 1, KEY_text); /* 3 */
  lua_createtable(L, ms->n > 0x7FFFFFF ? 0x7FFFFFF : (int)ms->n, 0); /* 4 */
  for (x = 0; x < ms->n; x++) {
    const Ment *r = &ms->m[x];
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, r->i);
    lua_setfield(L, -2, "i");
    lua_pushinteger(L, r->j);
    lua_setfield(L, -2, "j");
    push_sub(L, 3, r->i, r->j);
    lua_setfield(L, -2, "text");
    if (lua_istable(L, 2)) lua_rawgeti(L, 2, r->ent);
    else lua_pushnil(L);
    lua_setfield(L, -2, "entity");
    if (r->dead) {
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "dead");
    }
    lua_rawseti(L, 4, (lua_Integer)x + 1);
  }
  return 1;
}

/* Pushes a copy of record r as a table (for inspection), or nil. */
static void mrec_push_copy(lua_State *L, const MRec *r) {
  int t;
  if (r == NULL) {
    lua_pushnil(L);
    return;
  }
  lua_createtable(L, 0, 8);
  t = lua_gettop(L);
  mrec_get(L, r, KEY_i);
  lua_setfield(L, t, "i");
  mrec_get(L, r, KEY_j);
  lua_setfield(L, t, "j");
  mrec_get(L, r, KEY_kind);
  lua_setfield(L, t, "kind");
  mrec_get(L, r, KEY_target);
  lua_setfield(L, t, "target");
  mrec_get(L, r, KEY_etype);
  lua_setfield(L, t, "etype");
  lua_pushboolean(L, r->multi);
  lua_setfield(L, t, "multi");
  lua_pushboolean(L, r->dead);
  lua_setfield(L, t, "dead");
  lua_pushboolean(L, r->org);
  lua_setfield(L, t, "org");
}

/* matches:get(k) -> record k of the list (a copy: i, j, kind, target,
 * etype, multi, dead, org), or nil. */
static int mx_get_l(lua_State *L) {
  MIndex *x = mx_check(L, 1);
  lua_Integer k = luaL_checkinteger(L, 2);
  mrec_push_copy(L, k >= 1 && (size_t)k <= x->n ? x->list[k - 1] : NULL);
  return 1;
}

/* matches:find(map, p) -> the record at position p of map ("starts",
 * "ends" or "cover"; a copy), or nil. */
static int mx_find_l(lua_State *L) {
  static const char *const maps[] = {"starts", "ends", "cover", NULL};
  MIndex *x = mx_check(L, 1);
  int which = luaL_checkoption(L, 2, NULL, maps);
  lua_Integer p = luaL_checkinteger(L, 3);
  mrec_push_copy(L, map_get(&x->map[which], p));
  return 1;
}

/* matches:merge(i, j, rec): a match [i, j] of another list of entities
 * (rec: { name, type }): the list's matches it overlaps go when shorter;
 * it joins the list unless one of them is as long or longer.
 * core.entity_index then puts the list in order of position. */
static int mx_merge_l(lua_State *L) {
  MIndex *x = mx_check(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2), j = luaL_checkinteger(L, 3);
  size_t k, out = 0;
  int keep = 1;
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 4);
  for (k = x->n; k-- > 0;) {
    MRec *m = x->list[k];
    if (m->j >= i && m->i <= j && (m->j - m->i) >= (j - i)) keep = 0;
  }
  for (k = 0; k < x->n; k++) {
    MRec *m = x->list[k];
    if (m->j >= i && m->i <= j && (m->j - m->i) < (j - i)) continue;
    x->list[out++] = m;
  }
  x->n = out;
  if (keep) {
    MRec *r = mx_rec(L, x);
    size_t tn;
    const char *t;
    r->i = i;
    r->j = j;
    r->kind = K_ENTITY;
    r->multi = 1;
    lua_getfield(L, 4, "type");
    t = lua_tolstring(L, -1, &tn);
    r->etype = etype_of(t, tn);
    lua_pop(L, 1);
    lua_pushvalue(L, 4);
    mx_set_target(L, r);
    mx_append(L, x, r);
    x->merged = 1;
  }
  return 0;
}

static int mx_len_l(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)mx_check(L, 1)->n);
  return 1;
}

static int mx_tostring(lua_State *L) {
  MIndex *x = (MIndex *)luaL_checkudata(L, 1, MX_MT);
  if (x->closed)
    lua_pushliteral(L, "lede.EntityMatches (closed)");
  else
    lua_pushfstring(L, "lede.EntityMatches (%d matches)", (int)x->n);
  return 1;
}

static const luaL_Reg mx_methods[] = {
    {"get", mx_get_l}, {"find", mx_find_l}, {"merge", mx_merge_l}, {"close", mx_gc}, {NULL, NULL}};

static const luaL_Reg ws_methods[] = {{"english", ws_english_l}, {"close", ws_close}, {NULL, NULL}};

void lede_open_entities(lua_State *L) {
  CharClass *c;
  int cc;
  init_ascii();
  init_conn();
  c = (CharClass *)lua_newuserdata(L, sizeof(CharClass));
  memset(c, 0, sizeof *c);
  if (luaL_newmetatable(L, CC_MT)) {
    lua_pushcfunction(L, cc_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  cc = lua_gettop(L);
  lua_pushvalue(L, cc);
  lua_pushcclosure(L, l_caps_runs, 1);
  lua_setfield(L, -3, "caps_runs");
  lua_pushcfunction(L, l_word_shape);
  lua_setfield(L, -3, "word_shape");
  lede_new_type(L, WS_MT, ws_methods, ws_close, ws_tostring, NULL);
  lua_pushcfunction(L, l_english_set);
  lua_setfield(L, -3, "english_set");
  push_keyed(L, l_entity_cue, cc);
  lua_setfield(L, -3, "entity_cue");
  push_keyed(L, l_entity_roles, cc);
  lua_setfield(L, -3, "entity_roles");
  push_keyed(L, l_entity_runs, cc);
  lua_setfield(L, -3, "entity_runs");
  lede_new_type(L, ESETS_MT, es_methods, es_close, es_tostring, NULL);
  lua_pushcfunction(L, l_entity_sets);
  lua_setfield(L, -3, "entity_sets");
  push_keyed(L, l_entity_matches, cc);
  lua_setfield(L, -3, "entity_matches");
  push_keyed(L, l_entity_phrase_flags, cc);
  lua_setfield(L, -3, "entity_phrase_flags");
  push_keyed(L, l_entity_index, cc);
  lua_setfield(L, -3, "entity_index");
  push_keyed(L, l_entity_output, cc);
  lua_setfield(L, -3, "entity_output");
  lede_new_type(L, MX_MT, mx_methods, mx_gc, mx_tostring, mx_len_l);
  lua_pushcfunction(L, l_entity_word_in);
  lua_setfield(L, -3, "entity_word_in");
  push_keyed(L, l_entity_new, cc);
  lua_setfield(L, -3, "entity_new");
  push_keyed(L, l_entity_block, cc);
  lua_setfield(L, -3, "entity_block");
  push_keyed(L, l_entity_blocks, cc);
  lua_setfield(L, -3, "entity_blocks");
  push_keyed(L, l_entity_merge, cc);
  lua_setfield(L, -3, "entity_merge");
  push_keyed(L, l_entity_resolve, cc);
  lua_setfield(L, -3, "entity_resolve");
  push_keyed(L, l_entity_known, cc);
  lua_setfield(L, -3, "entity_known");
  push_keyed(L, l_entity_doc, cc);
  lua_setfield(L, -3, "entity_doc");
  push_keyed(L, l_entity_mention, cc);
  lua_setfield(L, -3, "entity_mention");
  push_keyed(L, l_entity_person, cc);
  lua_setfield(L, -3, "entity_person");
  push_keyed(L, l_entity_mentions, cc);
  lua_setfield(L, -3, "entity_mentions");
  push_keyed(L, l_entity_tail, cc);
  lua_setfield(L, -3, "entity_tail");
  push_keyed(L, l_entity_pending, cc);
  lua_setfield(L, -3, "entity_pending");
  push_keyed(L, l_entity_pend, cc);
  lua_setfield(L, -3, "entity_pend");
  lede_new_type(L, PS_MT, ps_methods, ps_gc, ps_tostring, ps_len);
  lede_new_type(L, MS_MT, ms_methods, ms_gc, ms_tostring, ms_len);
  lua_pop(L, 1); /* the CharClass (the closures keep it) */
}
