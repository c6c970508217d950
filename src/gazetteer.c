/* gazetteer.c: lede.Gazetteer, a multi-phrase matcher for entity lists.
 *
 * Phrases and text are cut into the same tokens: a word token is a maximal
 * run of word characters (lede_is_word), folded with lede_fold when the
 * gazetteer is case-insensitive; every other character that is not white
 * space is a token of its own (punctuation, symbols, controls, and each
 * invalid byte). A token is "glued" when nothing separates it from the one
 * before, so "Kang Kyung-wha" is [kang] [kyung]^[-]^[wha].
 *
 * Tokens are interned in an open-addressing hash table keyed by a hash of
 * their folded bytes taken eight bytes at a time. In front of it a blocked
 * Bloom filter (two bits of one 64-bit word per token) rejects almost every
 * text word that is in no phrase without touching the table; plain ASCII
 * words and punctuation are even rejected straight from the text, their end
 * found eight bytes at a time, without being tokenised in full: a whole
 * ASCII word first by a filter of the phrase-starting tokens' first eight
 * bytes and length (one multiply, one bit), and only past it by its full
 * hash. The trie's
 * first level is an array indexed by token id; deeper edges live in one
 * hash table keyed by (node, token id, glued). A scan walks the trie only
 * from tokens that start a phrase; the walk reads tokens from a small ring
 * so the text is tokenised once. A phrase has at most GAZ_MAX_TOKENS
 * tokens, so a scan is linear in the text: each token starts at most one
 * walk of bounded length.
 *
 * g:save writes the tables as they are; core.gazetteer_open reads them back
 * and checks every index before use (see "compiled images" below).
 *
 * All memory hangs off the userdata, which is created, zeroed and given its
 * metatable before the first allocation: an error half-way through a build
 * leaves everything to __gc. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede.h"

#define GAZ_MT "lede.Gazetteer"
#define GAZ_MAGIC 0x47415A31u
#define GAZ_MAX_TOKENS 64 /* tokens in one phrase */
#define GAZ_RING 128      /* > GAZ_MAX_TOKENS + 1, a power of two */
#define RPRE_BITS 15      /* bits of the prefix filter (g->rpre) */

typedef struct {
  uint32_t hash, id; /* id 0: empty */
} Slot;

typedef struct {
  uint32_t node, label, child; /* child 0: empty (the root is never a child) */
} Edge;

typedef struct {
  unsigned magic; /* GAZ_MAGIC: what check_gaz checks the userdata by */
  int closed, icase, overlapping, tsv;
  /* tokens: ids 1..ntok, folded bytes in tokbytes */
  unsigned char *tokbytes;
  size_t tokbytes_len, tokbytes_cap;
  uint32_t *tok_off, *tok_len, *tok_root;
  size_t ntok, tok_cap;
  Slot *itab;
  size_t imask;
  uint64_t *bloom;
  uint32_t bloom_shift;
  size_t maxtoklen;
  /* derived, not saved in images: the filter of the tokens that start a
   * phrase (same size and hashing as bloom), and which one-byte ASCII tokens
   * start one */
  uint64_t *rbloom;
  /* the filter of the phrase-starting tokens by their first eight bytes
   * and their length (one bit each, RPRE_BITS bits): what a whole ASCII
   * word of the text is tested against before it is hashed in full */
  uint64_t *rpre;
  /* the filter of the first two tokens of phrases, a space between them
   * (pair_key of their hashes; a phrase of one token adds its own with
   * PAIR_ALONE): what a phrase-starting word must have with the word after
   * it to start a match there */
  uint64_t *pbloom;
  unsigned char ascii_root[128];
  /* by the first byte of a phrase-starting token, when ASCII: bit L (63 for
   * 63 bytes or more) set when one is L bytes long */
  uint64_t root_lens[128];
  unsigned char root_first[256]; /* first bytes of phrase-starting tokens */
  unsigned char *scratch; /* maxtoklen + 8 bytes for a text token */
  /* trie: nodes 0 (root) .. nnodes-1; out = lowest phrase id ending there */
  uint32_t *out;
  size_t nnodes, node_cap;
  Edge *etab;
  size_t emask, nedges;
  /* phrases / entries: ids 1..nids */
  size_t nids;
  uint32_t *pnext;      /* next phrase id ending at the same node */
  unsigned char *pflag; /* PF_EXACT */
  size_t *src_off;      /* the phrase (array) or the entry's line (TSV) */
  uint32_t *src_len;
  unsigned char *src;
  size_t src_used, src_cap;
  /* the matches of the last lede_gaz_scan: start (1-based), end, id each */
  size_t *hits;
  size_t hits_cap;
} Gaz;

#define PF_EXACT 1

/* ---- character classes ------------------------------------------------ */

enum { C_PUNCT, C_WORD, C_SPACE, C_LF, C_CR };

static unsigned char ascii_class[128];
/* Byte -> its folded (wfold) or unchanged (wsame) value for an ASCII word
 * character, 0 for any other ASCII byte, 1 for a byte >= 0x80. */
static unsigned char wfold[256], wsame[256];
/* A two-byte character's code point (U+0080..U+07FF) -> the bytes of the
 * token text it adds to a word, unchanged ([0]) or folded ([1]), and their
 * number (0 when it is not a word character). */
static unsigned char w2b[2][0x800][2], w2n[2][0x800];

static void init_tables(void) {
  int c;
  for (c = 0; c < 256; c++) {
    if (c >= 0x80) {
      wfold[c] = wsame[c] = 1;
      continue;
    }
    ascii_class[c] = lede_is_word((uint32_t)c) ? C_WORD : C_PUNCT;
    wfold[c] = ascii_class[c] == C_WORD ? (unsigned char)lede_fold((uint32_t)c) : 0;
    wsame[c] = ascii_class[c] == C_WORD ? (unsigned char)c : 0;
  }
  for (c = 0x80; c < 0x800; c++) {
    int f;
    for (f = 0; f < 2; f++) {
      unsigned char enc[4];
      size_t el = lede_utf8_encode(f ? lede_fold((uint32_t)c) : (uint32_t)c, enc);
      w2n[f][c] = (unsigned char)(lede_is_word((uint32_t)c) ? el : 0);
      w2b[f][c][0] = enc[0];
      w2b[f][c][1] = el > 1 ? enc[1] : 0;
    }
  }
  ascii_class['\t'] = ascii_class['\v'] = ascii_class['\f'] = ascii_class[' '] = C_SPACE;
  ascii_class['\n'] = C_LF;
  ascii_class['\r'] = C_CR;
}

/* The hash of a token's folded bytes, 8 bytes at a time so that it does not
 * add a multiply per byte to the scan. p must be readable up to p + len + 8
 * (the scan buffers have that slack); bytes past len are masked off. */
static uint32_t hash_bytes(const unsigned char *p, size_t len) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)len, w;
  while (len >= 8) {
    memcpy(&w, p, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    p += 8;
    len -= 8;
  }
  memcpy(&w, p, 8);
  w &= ~(~(uint64_t)0 << (len * 8)); /* len < 8 */
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 29;
  h *= 0xFF51AFD7ED558CCDull;
  return (uint32_t)(h >> 32);
}

/* The 8 bytes at p with every ASCII capital lowered (p holds only ASCII
 * word characters and zero bytes). */
static uint64_t fold8(uint64_t w) {
  uint64_t ge_a = w + 0x3F3F3F3F3F3F3F3Full; /* high bit: byte >= 'A' */
  uint64_t ge_z = w + 0x2525252525252525ull; /* high bit: byte > 'Z' */
  return w | (((ge_a & ~ge_z) & 0x8080808080808080ull) >> 2);
}

/* hash_bytes of the (folded) bytes of an ASCII word straight from the text:
 * p[0..len) are ASCII word characters, avail bytes are readable from p. */
LEDE_INLINE uint32_t hash_text(const unsigned char *p, size_t len, size_t avail, int fold) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)len, w;
  while (len >= 8) {
    memcpy(&w, p, 8);
    if (fold) w = fold8(w);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    p += 8;
    len -= 8;
    avail -= 8;
  }
  if (avail >= 8) {
    memcpy(&w, p, 8);
  } else {
    unsigned char tail[8] = {0};
    memcpy(tail, p, len);
    memcpy(&w, tail, 8);
  }
  w &= ~(~(uint64_t)0 << (len * 8));
  if (fold) w = fold8(w);
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 29;
  h *= 0xFF51AFD7ED558CCDull;
  return (uint32_t)(h >> 32);
}

/* ---- the tokeniser ------------------------------------------------------ */

typedef struct {
  size_t start, end; /* 0-based half-open, in the subject */
  uint32_t id;       /* interned token id, 0 when unknown */
  unsigned char glued, brk, word, blocked;
} Tok;

typedef struct {
  const unsigned char *s;
  size_t pos, e;
  int icase, prev_word;
  /* the folded bytes of the last token: written up to cap, counted beyond */
  unsigned char *buf;
  size_t cap, blen;
  uint32_t hash;
} Lexer;

/* Whether the character that ends just before position i (0 < i) is a word
 * character. */
static int word_before(const unsigned char *s, size_t i) {
  size_t k = i - 1, len;
  uint32_t cp;
  int back = 0;
  while (k > 0 && back < 3 && (s[k] & 0xC0) == 0x80) { k--; back++; }
  cp = lede_utf8_decode(s, k, i, &len);
  if (k + len != i) return 0; /* byte i-1 is a stray continuation byte */
  return lede_is_word(cp);
}

static int word_at(const unsigned char *s, size_t i, size_t n) {
  size_t len;
  if (i >= n) return 0;
  if (s[i] < 0x80) return ascii_class[s[i]] == C_WORD;
  return lede_is_word(lede_utf8_decode(s, i, n, &len));
}

static void lex_init(Lexer *x, const unsigned char *s, size_t b, size_t e, int icase,
                     unsigned char *buf, size_t cap) {
  x->s = s;
  x->pos = b;
  x->e = e;
  x->icase = icase;
  x->prev_word = b > 0 && word_before(s, b);
  x->buf = buf;
  x->cap = cap;
}

/* Reads the next token; returns 0 at the end of the range. The token's
 * folded bytes are in x->buf (when x->blen <= x->cap) and their hash in
 * x->hash. */
static int lex_next(Lexer *x, Tok *t) {
  const unsigned char *s = x->s;
  size_t pos = x->pos, e = x->e, len, bl = 0, cap = x->cap;
  unsigned char *buf = x->buf;
  int breaks = 0, gap = 0;
  uint32_t cp;
  /* the gap */
  while (pos < e) {
    unsigned c = s[pos];
    if (c < 0x80) {
      int cl = ascii_class[c];
      if (cl <= C_WORD) break;
      if (cl == C_LF) breaks++;
      else if (cl == C_CR && !(pos + 1 < e && s[pos + 1] == '\n')) breaks++;
      pos++;
    } else {
      cp = lede_utf8_decode(s, pos, e, &len);
      if (lede_is_hspace(cp) || lede_is_invisible(cp)) {
      } else if (lede_is_vspace(cp)) {
        breaks += cp == 0x2029 ? 2 : 1;
      } else {
        break;
      }
      pos += len;
    }
    gap = 1;
  }
  if (pos >= e) { x->pos = pos; return 0; }
  t->start = pos;
  t->glued = (unsigned char)!gap;
  t->brk = (unsigned char)(breaks >= 2);
  t->blocked = (unsigned char)(!gap && x->prev_word);
  t->id = 0;
  if (s[pos] < 0x80 && ascii_class[s[pos]] != C_WORD) {
    len = 1; /* ASCII punctuation or control */
    goto single;
  } else if (s[pos] >= 0x80 && !lede_is_word(lede_utf8_decode(s, pos, e, &len))) {
  single: /* other punctuation, or one invalid byte */
    for (; bl < len; bl++)
      if (bl < cap) buf[bl] = s[pos + bl];
    pos += len;
    t->word = 0;
  } else {
    const unsigned char *tab = x->icase ? wfold : wsame;
    unsigned char enc[4];
    t->word = 1;
    while (pos < e) {
      unsigned f = tab[s[pos]];
      if (f > 1) {
        if (bl < cap) buf[bl] = (unsigned char)f;
        bl++;
        pos++;
      } else if (f == 0) {
        break;
      } else if (s[pos] >= 0xC2 && s[pos] <= 0xDF && pos + 1 < e && (s[pos + 1] & 0xC0) == 0x80) {
        /* a run of two-byte characters, as lede_utf8_decode reads them */
        const unsigned char *nb = w2n[x->icase != 0];
        unsigned char (*ob)[2] = w2b[x->icase != 0];
        unsigned c0 = s[pos], c1 = s[pos + 1];
        for (;;) {
          unsigned k;
          cp = ((uint32_t)(c0 & 0x1F) << 6) | (c1 & 0x3F);
          k = nb[cp];
          if (k == 0) goto word_done;
          if (bl + 2 <= cap) { /* the byte after a one-byte fold is overwritten or unused */
            buf[bl] = ob[cp][0];
            buf[bl + 1] = ob[cp][1];
          } else {
            if (bl < cap) buf[bl] = ob[cp][0];
            if (k == 2 && bl + 1 < cap) buf[bl + 1] = ob[cp][1];
          }
          bl += k;
          pos += 2;
          if (pos + 1 >= e) break;
          c0 = s[pos];
          c1 = s[pos + 1];
          if (c0 < 0xC2 || c0 > 0xDF || (c1 & 0xC0) != 0x80) break;
        }
      } else {
        size_t k, el;
        cp = lede_utf8_decode(s, pos, e, &len);
        if (!lede_is_word(cp)) break;
        pos += len;
        if (x->icase) cp = lede_fold(cp);
        el = lede_utf8_encode(cp, enc);
        for (k = 0; k < el; k++, bl++)
          if (bl < cap) buf[bl] = enc[k];
      }
    }
  word_done:;
  }
  x->blen = bl;
  x->hash = bl <= cap ? hash_bytes(buf, bl) : 0;
  x->prev_word = t->word;
  t->end = pos;
  x->pos = pos;
  return 1;
}

/* ---- memory ------------------------------------------------------------- */

static void gaz_free(Gaz *g) {
  free(g->tokbytes);
  free(g->tok_off);
  free(g->tok_len);
  free(g->tok_root);
  free(g->itab);
  free(g->bloom);
  free(g->rbloom);
  free(g->rpre);
  free(g->pbloom);
  free(g->scratch);
  free(g->out);
  free(g->etab);
  free(g->pnext);
  free(g->pflag);
  free(g->src_off);
  free(g->src_len);
  free(g->src);
  free(g->hits);
  memset(g, 0, sizeof *g);
  g->closed = 1;
}

/* Grows *p (owned by the gazetteer, so an error leaks nothing) to hold at
 * least need elements of size sz; *cap is updated. */
static void grow(lua_State *L, void **p, size_t *cap, size_t need, size_t sz) {
  size_t nc = *cap ? *cap : 16;
  void *q;
  if (need <= *cap) return;
  while (nc < need) {
    if (nc > ((size_t)-1) / 2 / sz) luaL_error(L, "gazetteer too large");
    nc *= 2;
  }
  q = realloc(*p, nc * sz);
  if (q == NULL) luaL_error(L, "gazetteer: out of memory");
  *p = q;
  *cap = nc;
}

static void *zalloc(lua_State *L, size_t n, size_t sz) {
  void *p = calloc(n ? n : 1, sz);
  if (p == NULL) luaL_error(L, "gazetteer: out of memory");
  return p;
}

static size_t gaz_memory(const Gaz *g) {
  size_t m = sizeof *g;
  m += g->tokbytes_cap;
  m += g->tok_cap * 3 * sizeof(uint32_t);
  if (g->itab) m += (g->imask + 1) * sizeof(Slot);
  if (g->bloom) m += ((size_t)1 << (32 - g->bloom_shift)) / 8;
  if (g->rbloom) m += ((size_t)1 << (32 - g->bloom_shift)) / 8;
  if (g->rpre) m += ((size_t)1 << RPRE_BITS) / 8;
  if (g->pbloom) m += ((size_t)1 << (32 - g->bloom_shift)) / 8;
  if (g->scratch) m += g->maxtoklen + 8;
  m += g->node_cap * sizeof(uint32_t);
  if (g->etab) m += (g->emask + 1) * sizeof(Edge);
  m += (g->nids + 1) * (sizeof(uint32_t) * 2 + 1 + sizeof(size_t));
  m += g->src_cap;
  return m;
}

/* ---- building ----------------------------------------------------------- */

static uint32_t tok_lookup(const Gaz *g, const unsigned char *b, size_t len, uint32_t h) {
  size_t i = h & g->imask;
  for (;;) {
    const Slot *sl = &g->itab[i];
    if (sl->id == 0) return 0;
    if (sl->hash == h && g->tok_len[sl->id] == len &&
        memcmp(g->tokbytes + g->tok_off[sl->id], b, len) == 0)
      return sl->id;
    i = (i + 1) & g->imask;
  }
}

static void itab_resize(lua_State *L, Gaz *g, size_t size) {
  Slot *nt = (Slot *)zalloc(L, size, sizeof(Slot));
  size_t i, mask = size - 1;
  if (g->itab) {
    for (i = 0; i <= g->imask; i++) {
      Slot sl = g->itab[i];
      size_t k;
      if (sl.id == 0) continue;
      k = sl.hash & mask;
      while (nt[k].id) k = (k + 1) & mask;
      nt[k] = sl;
    }
    free(g->itab);
  }
  g->itab = nt;
  g->imask = mask;
}

static uint32_t tok_intern(lua_State *L, Gaz *g, const unsigned char *b, size_t len, uint32_t h) {
  uint32_t id = tok_lookup(g, b, len, h);
  size_t i;
  if (id) return id;
  if (g->ntok + 1 >= 0x7FFFFFFFu || g->tokbytes_len + len >= 0xFFFFFFFFu)
    luaL_error(L, "gazetteer too large");
  if ((g->ntok + 1) * 2 > g->imask + 1) itab_resize(L, g, (g->imask + 1) * 2);
  {
    size_t cap = g->tok_cap;
    grow(L, (void **)&g->tok_off, &cap, g->ntok + 2, sizeof(uint32_t));
    cap = g->tok_cap;
    grow(L, (void **)&g->tok_len, &cap, g->ntok + 2, sizeof(uint32_t));
    cap = g->tok_cap;
    grow(L, (void **)&g->tok_root, &cap, g->ntok + 2, sizeof(uint32_t));
    g->tok_cap = cap;
  }
  grow(L, (void **)&g->tokbytes, &g->tokbytes_cap, g->tokbytes_len + len, 1);
  id = (uint32_t)++g->ntok;
  g->tok_off[id] = (uint32_t)g->tokbytes_len;
  g->tok_len[id] = (uint32_t)len;
  g->tok_root[id] = 0;
  memcpy(g->tokbytes + g->tokbytes_len, b, len);
  g->tokbytes_len += len;
  if (len > g->maxtoklen) g->maxtoklen = len;
  i = h & g->imask;
  while (g->itab[i].id) i = (i + 1) & g->imask;
  g->itab[i].hash = h;
  g->itab[i].id = id;
  return id;
}

static size_t edge_slot(uint32_t node, uint32_t label, size_t mask) {
  uint64_t k = ((uint64_t)node << 32) | label;
  k *= 0x9E3779B97F4A7C15ull;
  return (size_t)(k >> 32) & mask;
}

static uint32_t edge_get(const Gaz *g, uint32_t node, uint32_t label) {
  size_t i = edge_slot(node, label, g->emask);
  for (;;) {
    const Edge *ed = &g->etab[i];
    if (ed->child == 0) return 0;
    if (ed->node == node && ed->label == label) return ed->child;
    i = (i + 1) & g->emask;
  }
}

static void etab_resize(lua_State *L, Gaz *g, size_t size) {
  Edge *nt = (Edge *)zalloc(L, size, sizeof(Edge));
  size_t i, mask = size - 1;
  if (g->etab) {
    for (i = 0; i <= g->emask; i++) {
      Edge ed = g->etab[i];
      size_t k;
      if (ed.child == 0) continue;
      k = edge_slot(ed.node, ed.label, mask);
      while (nt[k].child) k = (k + 1) & mask;
      nt[k] = ed;
    }
    free(g->etab);
  }
  g->etab = nt;
  g->emask = mask;
}

static uint32_t new_node(lua_State *L, Gaz *g) {
  if (g->nnodes >= 0xFFFFFFF0u) luaL_error(L, "gazetteer too large");
  grow(L, (void **)&g->out, &g->node_cap, g->nnodes + 1, sizeof(uint32_t));
  g->out[g->nnodes] = 0;
  return (uint32_t)g->nnodes++;
}

static uint32_t edge_add(lua_State *L, Gaz *g, uint32_t node, uint32_t label) {
  uint32_t child = edge_get(g, node, label);
  size_t i;
  if (child) return child;
  if ((g->nedges + 1) * 2 > g->emask + 1) etab_resize(L, g, (g->emask + 1) * 2);
  child = new_node(L, g);
  i = edge_slot(node, label, g->emask);
  while (g->etab[i].child) i = (i + 1) & g->emask;
  g->etab[i].node = node;
  g->etab[i].label = label;
  g->etab[i].child = child;
  g->nedges++;
  return child;
}

static void gaz_begin(lua_State *L, Gaz *g, size_t nids) {
  itab_resize(L, g, 1024);
  etab_resize(L, g, 1024);
  new_node(L, g); /* the root */
  g->nids = nids;
  g->pnext = (uint32_t *)zalloc(L, nids + 1, sizeof(uint32_t));
  g->pflag = (unsigned char *)zalloc(L, nids + 1, 1);
  g->src_off = (size_t *)zalloc(L, nids + 1, sizeof(size_t));
  g->src_len = (uint32_t *)zalloc(L, nids + 1, sizeof(uint32_t));
}

/* Adds phrase p (len bytes) under id. Returns NULL, or why it was refused
 * ("empty" when it has no token). buf holds len + 8 bytes. */
static const char *add_phrase(lua_State *L, Gaz *g, const unsigned char *p, size_t len,
                              uint32_t id, unsigned char *buf) {
  Lexer x;
  Tok t;
  uint32_t node = 0;
  int ntok = 0;
  lex_init(&x, p, 0, len, g->icase, buf, len);
  while (lex_next(&x, &t)) {
    uint32_t tid = tok_intern(L, g, buf, x.blen, x.hash);
    if (++ntok > GAZ_MAX_TOKENS) return "phrase has more than 64 tokens";
    if (ntok == 1) {
      if (!g->tok_root[tid]) g->tok_root[tid] = new_node(L, g);
      node = g->tok_root[tid];
    } else {
      node = edge_add(L, g, node, tid * 2 + t.glued);
    }
  }
  if (ntok == 0) return "empty";
  /* the lowest id stays at the head of the node's list */
  if (g->out[node] == 0) {
    g->out[node] = id;
  } else if (id < g->out[node]) {
    g->pnext[id] = g->out[node];
    g->out[node] = id;
  } else {
    g->pnext[id] = g->pnext[g->out[node]];
    g->pnext[g->out[node]] = id;
  }
  return NULL;
}

/* The filter is a blocked Bloom filter: each token sets two bits of one
 * 64-bit word, chosen from its hash; a text token whose two bits are not
 * both set is not in the gazetteer. */
static uint64_t bloom_mask(uint32_t h, unsigned shift, size_t *word) {
  uint32_t b = (h * 0x9E3779B1u) >> shift;
  *word = b >> 6;
  return ((uint64_t)1 << (b & 63)) | ((uint64_t)1 << (h & 63));
}

/* The prefix filter (g->rpre): a token's first eight bytes (fewer when it
 * is shorter, the others zero) with its length, one multiply, the top
 * RPRE_BITS bits of the product. */
LEDE_INLINE uint32_t pre_bit(uint64_t w, size_t len) {
  uint64_t x = (w ^ ((uint64_t)(len < 63 ? len : 63) << 57)) * 0x9E3779B97F4A7C15ull;
  return (uint32_t)(x >> (64 - RPRE_BITS));
}

/* The first eight bytes of p[0..len) (fewer when len < 8, the others
 * zero), the first byte lowest; avail bytes are readable from p. */
LEDE_INLINE uint64_t pre_word(const unsigned char *p, size_t len, size_t avail) {
  uint64_t w = 0;
  size_t k = len < 8 ? len : 8, i;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (avail >= 8) {
    memcpy(&w, p, 8);
    return k < 8 ? w & ~(~(uint64_t)0 << (k * 8)) : w;
  }
#else
  (void)avail;
#endif
  for (i = 0; i < k; i++) w |= (uint64_t)p[i] << (8 * i);
  return w;
}

/* The key of the pair filter for a phrase-starting token of hash h1 and
 * the token of hash h2 after it (PAIR_ALONE: the token is a phrase). */
#define PAIR_ALONE 0x5BD1E995u
static uint32_t pair_key(uint32_t h1, uint32_t h2) {
  uint64_t k = ((uint64_t)h1 << 32 | h2) * 0x9E3779B97F4A7C15ull;
  return (uint32_t)(k >> 32) ^ (uint32_t)k;
}

static void pair_add(Gaz *g, uint32_t h1, uint32_t h2) {
  size_t w;
  uint64_t m = bloom_mask(pair_key(h1, h2), g->bloom_shift, &w);
  g->pbloom[w] |= m;
}

/* The pair filter (g->pbloom): per phrase-starting token, the tokens that
 * follow it after a space in a phrase, or PAIR_ALONE when it is a phrase
 * itself; 0 when out of memory. */
static int find_pairs(Gaz *g) {
  uint32_t *hash = NULL, *root_tok = NULL;
  size_t i;
  free(g->pbloom);
  g->pbloom = (uint64_t *)calloc(((size_t)1 << (32 - g->bloom_shift)) / 64, sizeof(uint64_t));
  hash = (uint32_t *)calloc(g->ntok + 1, sizeof(uint32_t));
  root_tok = (uint32_t *)calloc(g->nnodes + 1, sizeof(uint32_t));
  if (g->pbloom == NULL || hash == NULL || root_tok == NULL) {
    free(hash);
    free(root_tok);
    return 0;
  }
  for (i = 0; i <= g->imask; i++)
    if (g->itab[i].id) hash[g->itab[i].id] = g->itab[i].hash;
  for (i = 1; i <= g->ntok; i++) {
    uint32_t node = g->tok_root[i];
    if (node == 0 || node >= g->nnodes) continue;
    root_tok[node] = (uint32_t)i;
    if (g->out[node]) pair_add(g, hash[i], PAIR_ALONE);
  }
  for (i = 0; g->etab != NULL && i <= g->emask; i++) {
    const Edge *ed = &g->etab[i];
    uint32_t t1, t2;
    if (ed->child == 0 || (ed->label & 1) || ed->node >= g->nnodes) continue;
    t1 = root_tok[ed->node];
    t2 = ed->label / 2;
    if (t1 != 0 && t2 >= 1 && t2 <= g->ntok) pair_add(g, hash[t1], hash[t2]);
  }
  free(hash);
  free(root_tok);
  return 1;
}

/* The filters of the tokens that start a phrase and of their pairs, and the
 * one-byte ASCII tokens that start one (derived from the tables, not saved
 * in images); 0 when out of memory. */
static int find_roots(Gaz *g) {
  unsigned char b[9] = {0};
  size_t i;
  int c;
  free(g->rbloom);
  free(g->rpre);
  g->rbloom = (uint64_t *)calloc(((size_t)1 << (32 - g->bloom_shift)) / 64, sizeof(uint64_t));
  g->rpre = (uint64_t *)calloc(((size_t)1 << RPRE_BITS) / 64, sizeof(uint64_t));
  if (g->rbloom == NULL || g->rpre == NULL || !find_pairs(g)) return 0;
  memset(g->root_lens, 0, sizeof g->root_lens);
  memset(g->root_first, 0, sizeof g->root_first);
  for (i = 0; i <= g->imask; i++) {
    uint32_t id = g->itab[i].id;
    if (id && g->tok_root[id]) {
      size_t w, len = g->tok_len[id];
      uint64_t m = bloom_mask(g->itab[i].hash, g->bloom_shift, &w);
      unsigned first = len > 0 ? g->tokbytes[g->tok_off[id]] : 0x80;
      uint32_t pb = pre_bit(pre_word(g->tokbytes + g->tok_off[id], len, 0), len);
      g->rbloom[w] |= m;
      g->rpre[pb >> 6] |= (uint64_t)1 << (pb & 63);
      if (first < 0x80) g->root_lens[first] |= (uint64_t)1 << (len < 63 ? len : 63);
      if (len > 0) g->root_first[first] = 1;
    }
  }
  for (c = 0; c < 128; c++) {
    uint32_t id;
    b[0] = (unsigned char)c;
    id = g->ntok > 0 ? tok_lookup(g, b, 1, hash_bytes(b, 1)) : 0;
    g->ascii_root[c] = id != 0 && g->tok_root[id] != 0;
  }
  return 1;
}

/* Gives back the unused tail of a grown array (never fails: on a refusal
 * the larger block is kept). */
static void shrink(void **p, size_t *cap, size_t used, size_t sz) {
  void *q;
  if (*p == NULL || used == 0 || used >= *cap) return;
  q = realloc(*p, used * sz);
  if (q != NULL) { *p = q; *cap = used; }
}

/* After the last phrase: the filter and the scan buffer. */
static void gaz_finish(lua_State *L, Gaz *g) {
  size_t bits = 4096, i;
  /* edges are probed only during walks: a final load of up to 3/4 is fine */
  if (g->emask >= 2048 && g->nedges * 4 <= (g->emask + 1) / 2 * 3)
    etab_resize(L, g, (g->emask + 1) / 2);
  shrink((void **)&g->out, &g->node_cap, g->nnodes, sizeof(uint32_t));
  shrink((void **)&g->src, &g->src_cap, g->src_used, 1);
  shrink((void **)&g->tokbytes, &g->tokbytes_cap, g->tokbytes_len, 1);
  if (g->tok_cap > g->ntok + 1) {
    size_t c1 = g->tok_cap, c2 = g->tok_cap, c3 = g->tok_cap;
    shrink((void **)&g->tok_off, &c1, g->ntok + 1, sizeof(uint32_t));
    shrink((void **)&g->tok_len, &c2, g->ntok + 1, sizeof(uint32_t));
    shrink((void **)&g->tok_root, &c3, g->ntok + 1, sizeof(uint32_t));
    g->tok_cap = c1 > c2 ? (c1 > c3 ? c1 : c3) : (c2 > c3 ? c2 : c3);
  }
  unsigned shift = 32 - 12;
  while (bits < g->ntok * 16 && shift > 6) { bits *= 2; shift--; }
  g->bloom = (uint64_t *)zalloc(L, bits / 64, sizeof(uint64_t));
  g->bloom_shift = shift;
  for (i = 0; i <= g->imask; i++) {
    if (g->itab[i].id) {
      size_t w;
      uint64_t m = bloom_mask(g->itab[i].hash, shift, &w);
      g->bloom[w] |= m;
    }
  }
  g->scratch = (unsigned char *)zalloc(L, g->maxtoklen + 8, 1);
  if (!find_roots(g)) luaL_error(L, "gazetteer: out of memory");
}

/* ---- options ------------------------------------------------------------ */

/* The key on top of the stack, for an error message. */
static const char *key_name(lua_State *L) {
  if (lua_type(L, -1) == LUA_TSTRING) return lua_tostring(L, -1);
  if (lua_type(L, -1) == LUA_TNUMBER) {
    lua_pushfstring(L, "%f", (double)lua_tonumber(L, -1));
    return lua_tostring(L, -1);
  }
  return luaL_typename(L, -1);
}

/* Raises on a key of table idx that is not in names. */
static void check_keys(lua_State *L, int idx, const char *const *names, const char *what) {
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    int ok = 0, k;
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      const char *key = lua_tostring(L, -1);
      for (k = 0; names[k]; k++)
        if (strcmp(key, names[k]) == 0) ok = 1;
    }
    if (!ok) {
      luaL_error(L, "%s: unknown option '%s'", what, key_name(L));
    }
  }
}

static int opt_bool(lua_State *L, int idx, const char *key, int dflt) {
  int r = dflt;
  lua_getfield(L, idx, key);
  if (!lua_isnil(L, -1)) {
    if (lua_type(L, -1) != LUA_TBOOLEAN) luaL_error(L, "option '%s' must be a boolean", key);
    r = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  return r;
}

static const char *const build_opts[] = {"icase", "overlapping", NULL};

static Gaz *gaz_new(lua_State *L, int opts) {
  Gaz *g;
  int icase = 1, overlapping = 0;
  if (!lua_isnoneornil(L, opts)) {
    luaL_checktype(L, opts, LUA_TTABLE);
    check_keys(L, opts, build_opts, "gazetteer");
    icase = opt_bool(L, opts, "icase", 1);
    overlapping = opt_bool(L, opts, "overlapping", 0);
  }
  g = (Gaz *)lua_newuserdatauv(L, sizeof(Gaz), 0);
  memset(g, 0, sizeof *g);
  g->magic = GAZ_MAGIC;
  luaL_setmetatable(L, GAZ_MT);
  g->icase = icase;
  g->overlapping = overlapping;
  return g;
}

/* core.gazetteer(phrases [, opts]) */
static int l_gazetteer(lua_State *L) {
  Gaz *g;
  size_t n, id, total = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  g = gaz_new(L, 2);
  n = (size_t)lua_rawlen(L, 1);
  if (n >= 0x7FFFFFF0u) luaL_error(L, "gazetteer too large");
  gaz_begin(L, g, n);
  /* first pass: validate and copy every phrase into src */
  for (id = 1; id <= n; id++) {
    size_t len;
    const char *p;
    int exact = 0;
    lua_rawgeti(L, 1, (lua_Integer)id);
    if (lua_type(L, -1) == LUA_TTABLE) {
      static const char *const keys[] = {"exact", NULL};
      int t = lua_gettop(L);
      lua_pushnil(L);
      while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (!(lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) == 1)) {
          int k, ok = 0;
          if (lua_type(L, -1) == LUA_TSTRING)
            for (k = 0; keys[k]; k++)
              if (strcmp(lua_tostring(L, -1), keys[k]) == 0) ok = 1;
          if (!ok)
            return luaL_error(L, "gazetteer: phrase %d: unknown key '%s'", (int)id, key_name(L));
        }
      }
      exact = opt_bool(L, t, "exact", 0);
      lua_rawgeti(L, t, 1);
      lua_remove(L, t);
    }
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "gazetteer: phrase %d is a %s, not a string", (int)id,
                        luaL_typename(L, -1));
    p = lua_tolstring(L, -1, &len);
    if (len >= 0xFFFFFFFFu) return luaL_error(L, "gazetteer: phrase %d too long", (int)id);
    grow(L, (void **)&g->src, &g->src_cap, g->src_used + len, 1);
    memcpy(g->src + g->src_used, p, len);
    g->src_off[id] = g->src_used;
    g->src_len[id] = (uint32_t)len;
    g->src_used += len;
    if (exact && g->icase) g->pflag[id] = PF_EXACT;
    if (len > total) total = len;
    lua_pop(L, 1);
  }
  {
    unsigned char *buf = (unsigned char *)lua_newuserdatauv(L, total + 8, 0);
    for (id = 1; id <= n; id++) {
      const char *why = add_phrase(L, g, g->src + g->src_off[id], g->src_len[id],
                                   (uint32_t)id, buf);
      if (why) return luaL_error(L, "gazetteer: phrase %d: %s", (int)id, why);
    }
    lua_pop(L, 1);
  }
  gaz_finish(L, g);
  return 1;
}

/* ---- TSV ------------------------------------------------------------------ */

static int utf8_valid(const unsigned char *s, size_t n) {
  size_t i = 0, len;
  while (i < n) {
    if (s[i] < 0x80) { i++; continue; }
    if (lede_utf8_decode(s, i, n, &len) == LEDE_BAD) return 0;
    i += len;
  }
  return 1;
}

static int is_blank(const unsigned char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
  return 1;
}

/* Splits an entry line into up to three tab-separated fields; returns the
 * number of fields (4 means "too many"). */
static int tsv_fields(const unsigned char *s, size_t n, const unsigned char **f, size_t *fl) {
  int k = 0;
  size_t i, b = 0;
  for (i = 0; i <= n; i++) {
    if (i == n || s[i] == '\t') {
      if (k == 3) return 4;
      f[k] = s + b;
      fl[k] = i - b;
      k++;
      b = i + 1;
    }
  }
  return k;
}

/* core.gazetteer_load(path [, opts]) */
static int l_gazetteer_load(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  Gaz *g = gaz_new(L, 2);
  FILE *f;
  size_t nread, i, line_no, nentries = 0, maxline = 0;
  unsigned char *buf;
  int pass;
  f = fopen(path, "rb");
  if (f == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  /* read it all into src (owned by g); a read error closes f first */
  for (;;) {
    if (g->src_cap - g->src_used < 65536) {
      size_t need = g->src_used + 65536;
      size_t nc = g->src_cap ? g->src_cap : 65536;
      void *q;
      while (nc < need) nc *= 2;
      q = realloc(g->src, nc);
      if (q == NULL) { fclose(f); return luaL_error(L, "gazetteer: out of memory"); }
      g->src = (unsigned char *)q;
      g->src_cap = nc;
    }
    nread = fread(g->src + g->src_used, 1, g->src_cap - g->src_used, f);
    g->src_used += nread;
    if (nread == 0) break;
  }
  if (ferror(f)) {
    int err = errno;
    fclose(f);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(err ? err : EIO));
    return 2;
  }
  fclose(f);
  g->tsv = 1;
  /* pass 0 checks the lines and counts entries; pass 1 adds the phrases */
  for (pass = 0; pass < 2; pass++) {
    size_t id = 0;
    buf = NULL;
    if (pass == 1) {
      gaz_begin(L, g, nentries);
      buf = (unsigned char *)lua_newuserdatauv(L, maxline + 8, 0);
    }
    /* a UTF-8 byte order mark at the start of the file is not data */
    i = g->src_used >= 3 && memcmp(g->src, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (line_no = 1; i < g->src_used; line_no++) {
      const unsigned char *s = g->src + i, *nl, *fld[3];
      size_t n, fl[3];
      int nf;
      nl = (const unsigned char *)memchr(s, '\n', g->src_used - i);
      n = nl ? (size_t)(nl - s) : g->src_used - i;
      i += n + (nl != NULL);
      if (n > 0 && s[n - 1] == '\r') n--;
      if (n == 0 || s[0] == '#' || is_blank(s, n)) continue;
      if (pass == 0) {
        const char *why = NULL;
        nf = tsv_fields(s, n, fld, fl);
        if (!utf8_valid(s, n)) why = "invalid UTF-8";
        else if (nf > 3) why = "too many fields (at most name, type, aliases)";
        else if (is_blank(fld[0], fl[0])) why = "empty name";
        else if (n >= 0xFFFFFFFFu) why = "line too long";
        if (why) {
          lua_pushnil(L);
          lua_pushfstring(L, "%s:%d: %s", path, (int)line_no, why);
          return 2;
        }
        nentries++;
        if (n > maxline) maxline = n;
        if (nentries >= 0x7FFFFFF0u) return luaL_error(L, "gazetteer too large");
      } else {
        const char *why;
        size_t a, b;
        id++;
        g->src_off[id] = (size_t)(s - g->src);
        g->src_len[id] = (uint32_t)n;
        nf = tsv_fields(s, n, fld, fl);
        why = add_phrase(L, g, fld[0], fl[0], (uint32_t)id, buf);
        if (why && strcmp(why, "empty") == 0) why = "empty name";
        if (!why && nf == 3) {
          for (a = 0; a <= fl[2] && !why; a = b + 1) {
            for (b = a; b < fl[2] && fld[2][b] != '|'; b++) {}
            if (b > a && !is_blank(fld[2] + a, b - a)) {
              why = add_phrase(L, g, fld[2] + a, b - a, (uint32_t)id, buf);
              if (why && strcmp(why, "empty") == 0) why = NULL; /* punctuation-free blank */
            }
          }
        }
        if (why) {
          lua_pushnil(L);
          lua_pushfstring(L, "%s:%d: %s", path, (int)line_no, why);
          return 2;
        }
      }
    }
    if (pass == 1) lua_pop(L, 1);
  }
  gaz_finish(L, g);
  return 1;
}

/* ---- scanning ----------------------------------------------------------- */

static Gaz *check_gaz(lua_State *L) {
  Gaz *g = NULL;
  /* a size and mark check (cheaper than the metatable's), then the metatable's */
  if (lua_type(L, 1) == LUA_TUSERDATA && lua_rawlen(L, 1) == sizeof(Gaz)) g = (Gaz *)lua_touserdata(L, 1);
  if (g == NULL || g->magic != GAZ_MAGIC) g = (Gaz *)luaL_checkudata(L, 1, GAZ_MT);
  if (g->closed) luaL_error(L, GAZ_MT " is closed");
  return g;
}

typedef struct {
  Gaz *g;
  Lexer x;
  Tok ring[GAZ_RING];
  size_t np; /* tokens produced */
  const unsigned char *s;
  size_t n;
} Scan;

/* Makes token k available in the ring; 0 when the text has fewer tokens. */
static int scan_fill(Scan *sc, size_t k) {
  Gaz *g = sc->g;
  while (sc->np <= k) {
    Tok *t = &sc->ring[sc->np & (GAZ_RING - 1)];
    if (!lex_next(&sc->x, t)) return 0;
    if (sc->x.blen <= g->maxtoklen) {
      size_t w;
      uint64_t m = bloom_mask(sc->x.hash, g->bloom_shift, &w);
      if ((g->bloom[w] & m) == m)
        t->id = tok_lookup(g, sc->x.buf, sc->x.blen, sc->x.hash);
    }
    sc->np++;
  }
  return 1;
}

/* Whether the text tokens k..m are, byte for byte, the tokens of phrase id. */
static int exact_ok(Scan *sc, uint32_t id, size_t k, size_t m) {
  Gaz *g = sc->g;
  Lexer x;
  Tok t;
  unsigned char dummy[8];
  lex_init(&x, g->src + g->src_off[id], 0, g->src_len[id], 0, dummy, 0);
  for (; k <= m; k++) {
    const Tok *u = &sc->ring[k & (GAZ_RING - 1)];
    if (!lex_next(&x, &t)) return 0;
    if (t.end - t.start != u->end - u->start ||
        memcmp(x.s + t.start, sc->s + u->start, t.end - t.start) != 0)
      return 0;
  }
  return 1;
}

/* The lowest phrase id ending at node that accepts tokens k..m, or 0. */
static uint32_t accept(Scan *sc, uint32_t node, size_t k, size_t m) {
  Gaz *g = sc->g;
  uint32_t id = g->out[node], best = 0;
  size_t steps = 0;
  if (!(g->pflag[id] & PF_EXACT)) return id;
  for (; id && steps <= g->nids; id = g->pnext[id], steps++)
    if ((!(g->pflag[id] & PF_EXACT) || exact_ok(sc, id, k, m)) && (best == 0 || id < best))
      best = id;
  return best;
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* The high bit of each byte of w that is an ASCII word character
 * ([0-9A-Za-z_]), eight bytes at once. */
static uint64_t word_bytes(uint64_t w) {
  uint64_t x = w & ~HIGH, l = x | (0x20 * ONES), t = x ^ (0x5F * ONES);
  uint64_t digit = (x + (0x80 - '0') * ONES) & ~(x + (0x80 - '9' - 1) * ONES);
  uint64_t alpha = (l + (0x80 - 'a') * ONES) & ~(l + (0x80 - 'z' - 1) * ONES);
  uint64_t under = ~(t + 0x7F * ONES);
  return (digit | alpha | under) & ~w & HIGH;
}

/* Where the run of ASCII word characters starting at s[q] ends (at most e;
 * n bytes are readable). */
LEDE_INLINE size_t word_end(const unsigned char *s, size_t q, size_t e, size_t n, const unsigned char *tab) {
  size_t r = q;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (r < e && n - r >= 8) {
    uint64_t w, stop;
    memcpy(&w, s + r, 8);
    stop = ~word_bytes(w) & HIGH;
    if (stop) {
      r += (size_t)__builtin_ctzll(stop) >> 3;
      return r < e ? r : e;
    }
    r += 8;
  }
  if (r > e) return e;
#endif
  while (r < e && tab[s[r]] > 1) r++;
  return r;
}

/* Where the word whose characters run on from s[r] ends (at most e). */
static size_t word_run_end(const unsigned char *s, size_t r, size_t e, const unsigned char *tab) {
  while (r < e) {
    size_t len;
    unsigned c = s[r];
    if (c < 0x80) {
      if (tab[c] <= 1) break;
      r++;
    } else if (c >= 0xC2 && c <= 0xDF && r + 1 < e && (s[r + 1] & 0xC0) == 0x80) {
      if (!w2n[0][((c & 0x1F) << 6) | (s[r + 1] & 0x3F)]) break; /* as lede_is_word */
      r += 2;
    } else {
      if (!lede_is_word(lede_utf8_decode(s, r, e, &len))) break;
      r += len;
    }
  }
  return r;
}

/* The line breaks of the gap [p, q) of s (range end e), as lex_next counts
 * them. */
static int gap_breaks(const unsigned char *s, size_t p, size_t q, size_t e) {
  int breaks = 0;
  while (p < q) {
    unsigned c = s[p];
    if (c < 0x80) {
      int cl = ascii_class[c];
      if (cl == C_LF) breaks++;
      else if (cl == C_CR && !(p + 1 < e && s[p + 1] == '\n')) breaks++;
      p++;
    } else {
      size_t len;
      uint32_t cp = lede_utf8_decode(s, p, e, &len);
      if (lede_is_vspace(cp)) breaks += cp == 0x2029 ? 2 : 1;
      p += len;
    }
  }
  return breaks;
}

/* Makes the next token of the ring the whole ASCII word [q, r) after the
 * gap [p, q), as lex_next would (prev_word: whether the token before it
 * is a word), and looks it up as scan_fill does. r - q <= g->maxtoklen. */
static void scan_word(Scan *sc, size_t p, size_t q, size_t r, int prev_word) {
  Gaz *g = sc->g;
  Lexer *x = &sc->x;
  const unsigned char *tab = x->icase ? wfold : wsame;
  Tok *t = &sc->ring[sc->np & (GAZ_RING - 1)];
  size_t bl = r - q, k, w;
  uint64_t m;
  t->start = q;
  t->end = r;
  t->glued = (unsigned char)(q == p);
  t->brk = (unsigned char)(q > p && gap_breaks(x->s, p, q, x->e) >= 2);
  t->blocked = (unsigned char)(q == p && prev_word);
  t->word = 1;
  t->id = 0;
  for (k = 0; k < bl; k++) x->buf[k] = tab[x->s[q + k]];
  x->blen = bl;
  x->hash = hash_bytes(x->buf, bl);
  x->prev_word = 1;
  x->pos = r;
  m = bloom_mask(x->hash, g->bloom_shift, &w);
  if ((g->bloom[w] & m) == m) t->id = tok_lookup(g, x->buf, bl, x->hash);
  sc->np++;
}

/* Whether the phrase-starting ASCII word of hash h that ends at r may
 * start a match by the pair filter: it is a phrase itself, or what follows
 * is not one space and a whole ASCII word (no filter then), or the filter
 * has the word with that next word. */
static int pair_may(const Gaz *g, const unsigned char *s, size_t r, size_t e, size_t n,
                    uint32_t h, int icase, const unsigned char *tab) {
  size_t w, q, r2;
  uint64_t m;
  if (g->pbloom == NULL) return 1;
  m = bloom_mask(pair_key(h, PAIR_ALONE), g->bloom_shift, &w);
  if ((g->pbloom[w] & m) == m) return 1;
  q = r + 1;
  if (q >= e || s[r] != ' ' || s[q] >= 0x80 || ascii_class[s[q]] != C_WORD) return 1;
  r2 = word_end(s, q, e, n, tab);
  if (r2 < e && s[r2] >= 0x80) return 1;
  m = bloom_mask(pair_key(h, hash_text(s + q, r2 - q, n - q, icase)), g->bloom_shift, &w);
  return (g->pbloom[w] & m) == m;
}

/* With no token pending in the ring, skips the tokens that cannot start a
 * match: those whose first byte starts no phrase-starting token, and those
 * the filter of phrase-starting tokens rejects. ASCII words and punctuation
 * are read straight from the text (a word's end found eight bytes at a
 * time) without being tokenised in full, and so are the words and marks of
 * other scripts whose first byte starts no phrase; anything else is
 * tokenised. Stops before the gap of a token that may start a match, which
 * lex_next then reads again. */
static void scan_skip(Scan *sc) {
  Lexer *x = &sc->x;
  const Gaz *g = sc->g;
  const unsigned char *s = x->s, *tab = x->icase ? wfold : wsame;
  const uint64_t *rbloom = g->rbloom, *rpre = g->rpre;
  size_t p = x->pos, e = x->e, n = sc->n, maxlen = g->maxtoklen;
  unsigned shift = g->bloom_shift;
  int prev_word = x->prev_word;
  for (;;) {
    size_t q = p, r, w, len;
    unsigned c;
    uint64_t m;
    uint32_t cp;
    Tok t;
  gap:
    while (q < e && (c = s[q]) < 0x80 && ascii_class[c] >= C_SPACE) q++;
    if (q >= e) break;
    c = s[q];
  token:
    if (c < 0x80) {
      if (ascii_class[c] == C_PUNCT) { /* one ASCII punctuation token */
        if (g->ascii_root[c]) break;
        prev_word = 0;
        p = q + 1;
        continue;
      }
      r = word_end(s, q, e, n, tab);
      if (r < e && s[r] >= 0x80 && lede_is_word(lede_utf8_decode(s, r, e, &len))) {
        /* the word goes on in other characters */
        if (g->root_lens[tab[c]] == 0) {
          prev_word = 1;
          p = word_run_end(s, r + len, e, tab);
          continue;
        }
      } else { /* a whole ASCII word */
        size_t wl = r - q;
        uint64_t pw = pre_word(s + q, wl, n - q);
        uint32_t pb = pre_bit(x->icase ? fold8(pw) : pw, wl);
        if (wl <= maxlen && (rpre[pb >> 6] >> (pb & 63) & 1)) {
          uint32_t h = hash_text(s + q, wl, n - q, x->icase);
          m = bloom_mask(h, shift, &w);
          if ((rbloom[w] & m) == m && pair_may(g, s, r, e, n, h, x->icase, tab)) {
            /* it may start a match: the next token, made here */
            scan_word(sc, p, q, r, prev_word);
            return;
          }
        }
        prev_word = 1;
        p = r;
        /* most often one space and the next word: no gap loop */
        if (r + 1 < e && s[r] == ' ' && (c = s[r + 1]) < 0x80 && ascii_class[c] == C_WORD) {
          q = r + 1;
          goto token;
        }
        continue;
      }
    } else {
      cp = lede_utf8_decode(s, q, e, &len);
      if (lede_is_hspace(cp) || lede_is_invisible(cp) || lede_is_vspace(cp)) {
        q += len; /* white space: the gap goes on */
        goto gap;
      }
      if (lede_is_word(cp)) {
        unsigned char enc[4];
        lede_utf8_encode(x->icase ? lede_fold(cp) : cp, enc);
        if (!g->root_first[enc[0]]) { /* a word of other characters */
          prev_word = 1;
          p = word_run_end(s, q + len, e, tab);
          continue;
        }
      } else if (!g->root_first[c]) { /* a mark, a symbol or an invalid byte */
        prev_word = 0;
        p = q + len;
        continue;
      }
    }
    /* a token that needs tokenising in full */
    x->pos = p;
    x->prev_word = prev_word;
    if (!lex_next(x, &t)) return;
    if (x->blen <= maxlen) {
      m = bloom_mask(x->hash, shift, &w);
      if ((rbloom[w] & m) == m) break;
    }
    p = x->pos;
    prev_word = x->prev_word;
  }
  x->pos = p;
  x->prev_word = prev_word;
}

/* Match number c (from 1), bytes [start, end) of phrase id: into the table
 * at stack index tidx (three integers), or g->hits for tidx -1, or nowhere
 * for tidx 0. */
static void emit_hit(lua_State *L, Gaz *g, int tidx, size_t c, size_t start, size_t end,
                     uint32_t id) {
  if (tidx > 0) {
    lua_pushinteger(L, (lua_Integer)start + 1);
    lua_rawseti(L, tidx, (lua_Integer)(3 * c - 2));
    lua_pushinteger(L, (lua_Integer)end);
    lua_rawseti(L, tidx, (lua_Integer)(3 * c - 1));
    lua_pushinteger(L, (lua_Integer)id);
    lua_rawseti(L, tidx, (lua_Integer)(3 * c));
  } else if (tidx < 0) {
    if (c > ((size_t)-1) / 8) luaL_error(L, "gazetteer: out of memory");
    grow(L, (void **)&g->hits, &g->hits_cap, 3 * c, sizeof *g->hits);
    g->hits[3 * c - 3] = start + 1;
    g->hits[3 * c - 2] = end;
    g->hits[3 * c - 1] = id;
  }
}

/* Scans [b, e) of s. Each match goes to emit (t = the table at index tidx,
 * *count matches so far); stops after max matches (0: no limit). */
static void scan_run(lua_State *L, Gaz *g, const unsigned char *s, size_t n, size_t b, size_t e,
                     int overlapping, int tidx, size_t max, size_t *count, size_t *first) {
  Scan scan, *sc = &scan;
  size_t k = 0;
  sc->g = g;
  sc->np = 0;
  sc->s = s;
  sc->n = n;
  lex_init(&sc->x, s, b, e, g->icase, g->scratch, g->maxtoklen);
  for (;;) {
    if (k == sc->np) scan_skip(sc);
    if (!scan_fill(sc, k)) break;
    const Tok *t = &sc->ring[k & (GAZ_RING - 1)];
    uint32_t node;
    size_t m = k, best_m = 0;
    uint32_t best_id = 0;
    if (t->id == 0 || t->blocked || (node = g->tok_root[t->id]) == 0) { k++; continue; }
    for (;;) {
      const Tok *u = &sc->ring[m & (GAZ_RING - 1)];
      if (g->out[node] && !word_at(s, u->end, n)) {
        uint32_t id = accept(sc, node, k, m);
        if (id) {
          if (overlapping) {
            size_t c = ++*count;
            if (first) { first[0] = t->start; first[1] = u->end; first[2] = id; }
            emit_hit(L, g, tidx, c, t->start, u->end, id);
            if (max && c >= max) goto done;
          } else {
            best_m = m;
            best_id = id;
          }
        }
      }
      if (m - k + 1 >= GAZ_MAX_TOKENS || !scan_fill(sc, m + 1)) break;
      u = &sc->ring[(m + 1) & (GAZ_RING - 1)];
      if (u->brk || u->id == 0) break;
      node = edge_get(g, node, u->id * 2 + u->glued);
      if (node == 0) break;
      m++;
    }
    if (!overlapping && best_id) {
      const Tok *u = &sc->ring[best_m & (GAZ_RING - 1)];
      size_t c = ++*count;
      if (first) { first[0] = t->start; first[1] = u->end; first[2] = best_id; }
      emit_hit(L, g, tidx, c, t->start, u->end, best_id);
      if (max && c >= max) goto done;
      k = best_m + 1;
      continue;
    }
    k++;
  }
done:
  return;
}

static const char *const scan_opts[] = {"overlapping", NULL};

/* g:scan(s [, i [, j [, opts]]]) */
static int g_scan(lua_State *L) {
  Gaz *g = check_gaz(L);
  size_t n, b, e, count = 0;
  const char *s = luaL_checklstring(L, 2, &n);
  lua_Integer i = luaL_optinteger(L, 3, 1), j = luaL_optinteger(L, 4, -1);
  int overlapping = g->overlapping;
  if (!lua_isnoneornil(L, 5)) {
    luaL_checktype(L, 5, LUA_TTABLE);
    check_keys(L, 5, scan_opts, "scan");
    overlapping = opt_bool(L, 5, "overlapping", overlapping);
  }
  lede_range(i, j, n, &b, &e);
  lua_settop(L, 5);
  lua_newtable(L);
  scan_run(L, g, (const unsigned char *)s, n, b, e, overlapping, 6, 0, &count, NULL);
  return 1;
}

/* lede_gaz_scan (lede.h): what g:scan(s) gives, for the gazetteer at stack
 * index idx, as an array the gazetteer owns (valid until its next scan or
 * its close). */
const size_t *lede_gaz_scan(lua_State *L, int idx, const unsigned char *s, size_t n, size_t *count) {
  Gaz *g = NULL;
  if (lua_type(L, idx) == LUA_TUSERDATA && lua_rawlen(L, idx) == sizeof(Gaz)) g = (Gaz *)lua_touserdata(L, idx);
  if (g == NULL || g->magic != GAZ_MAGIC) g = (Gaz *)luaL_checkudata(L, idx, GAZ_MT);
  if (g->closed) luaL_error(L, GAZ_MT " is closed");
  *count = 0;
  scan_run(L, g, s, n, 0, n, g->overlapping, -1, 0, count, NULL);
  return g->hits;
}

/* g:find(s [, init]) */
static int g_find(lua_State *L) {
  Gaz *g = check_gaz(L);
  size_t n, b, e, count = 0, first[3];
  const char *s = luaL_checklstring(L, 2, &n);
  lua_Integer init = luaL_optinteger(L, 3, 1);
  if (init > (lua_Integer)n + 1) { lua_pushnil(L); return 1; }
  lede_range(init, -1, n, &b, &e);
  scan_run(L, g, (const unsigned char *)s, n, b, e, 0, 0, 1, &count, first);
  if (count == 0) { lua_pushnil(L); return 1; }
  lua_pushinteger(L, (lua_Integer)first[0] + 1);
  lua_pushinteger(L, (lua_Integer)first[1]);
  lua_pushinteger(L, (lua_Integer)first[2]);
  return 3;
}

/* g:entry(id) -> name, type, aliases */
static int g_entry(lua_State *L) {
  Gaz *g = check_gaz(L);
  lua_Integer id = luaL_checkinteger(L, 2);
  const unsigned char *s, *fld[3];
  size_t fl[3];
  int nf;
  if (id < 1 || (size_t)id > g->nids) { lua_pushnil(L); return 1; }
  s = g->src + g->src_off[id];
  if (!g->tsv) {
    lua_pushlstring(L, (const char *)s, g->src_len[id]);
    lua_pushnil(L);
    lua_newtable(L);
    return 3;
  }
  nf = tsv_fields(s, g->src_len[id], fld, fl);
  lua_pushlstring(L, (const char *)fld[0], fl[0]);
  if (nf >= 2 && fl[1] > 0) lua_pushlstring(L, (const char *)fld[1], fl[1]);
  else lua_pushnil(L);
  lua_newtable(L);
  if (nf == 3) {
    size_t a, c;
    int k = 0;
    for (a = 0; a <= fl[2]; a = c + 1) {
      for (c = a; c < fl[2] && fld[2][c] != '|'; c++) {}
      if (c > a && !is_blank(fld[2] + a, c - a)) {
        lua_pushlstring(L, (const char *)fld[2] + a, c - a);
        lua_rawseti(L, -2, ++k);
      }
    }
  }
  return 3;
}

static int g_len(lua_State *L) {
  Gaz *g = check_gaz(L);
  lua_pushinteger(L, (lua_Integer)g->nids);
  return 1;
}

static int g_memory(lua_State *L) {
  Gaz *g = check_gaz(L);
  lua_pushinteger(L, (lua_Integer)gaz_memory(g));
  return 1;
}

/* ---- compiled images ------------------------------------------------------
 *
 * g:save(path) writes the built tables as they are in memory, after a header
 * of sizes; core.gazetteer_open(path) reads them back, checks a checksum and
 * then every index against the sizes, so that a truncated, corrupt or forged
 * file gives nil, message and never a bad memory access or an endless loop.
 * An image is for the machine that wrote it (byte order and word size are in
 * the header and checked). */

#define IMG_MAGIC "LEDEGAZ1"
#define IMG_NFIELDS 12

/* The header: magic, byte-order mark, then these 64-bit fields. */
enum { H_FLAGS, H_NTOK, H_TOKBYTES, H_ISIZE, H_BLOOMSHIFT, H_MAXTOK, H_NNODES, H_ESIZE,
       H_NEDGES, H_NIDS, H_SRC, H_SUM };

/* A checksum over the image's bytes as one stream, 8 bytes at a time (a
 * last partial word is zero-padded). */
typedef struct {
  uint64_t h;
  unsigned char buf[8];
  size_t nbuf;
} Sum;

static void sum_word(Sum *c, const unsigned char *b) {
  uint64_t w;
  memcpy(&w, b, 8);
  c->h = (c->h ^ w) * 0xFF51AFD7ED558CCDull;
  c->h ^= c->h >> 31;
}

static void sum_add(Sum *c, const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  while (n > 0 && c->nbuf > 0) {
    c->buf[c->nbuf++] = *b++;
    n--;
    if (c->nbuf == 8) { sum_word(c, c->buf); c->nbuf = 0; }
  }
  for (; n >= 8; b += 8, n -= 8) sum_word(c, b);
  while (n-- > 0) c->buf[c->nbuf++] = *b++;
}

static uint64_t sum_end(Sum *c) {
  if (c->nbuf > 0) {
    memset(c->buf + c->nbuf, 0, 8 - c->nbuf);
    sum_word(c, c->buf);
  }
  return c->h;
}

typedef struct Part {
  void *p;
  size_t n; /* bytes */
} Part;

/* The checksum of header h (its H_SUM field aside) and the parts. */
static uint64_t img_sum(const uint64_t *h, const Part *pt, int np) {
  Sum c;
  int k;
  memset(&c, 0, sizeof c);
  sum_add(&c, h, sizeof(uint64_t) * H_SUM);
  for (k = 0; k < np; k++) sum_add(&c, pt[k].p, pt[k].n);
  return sum_end(&c);
}

/* The arrays of g in image order; returns their count. */
static int img_parts(Gaz *g, Part *pt) {
  size_t nt = g->ntok + 1, ni = g->nids + 1;
  int k = 0;
  pt[k].p = g->tokbytes; pt[k++].n = g->tokbytes_len;
  pt[k].p = g->tok_off; pt[k++].n = nt * sizeof(uint32_t);
  pt[k].p = g->tok_len; pt[k++].n = nt * sizeof(uint32_t);
  pt[k].p = g->tok_root; pt[k++].n = nt * sizeof(uint32_t);
  pt[k].p = g->itab; pt[k++].n = (g->imask + 1) * sizeof(Slot);
  pt[k].p = g->bloom; pt[k++].n = ((size_t)1 << (32 - g->bloom_shift)) / 8;
  pt[k].p = g->out; pt[k++].n = g->nnodes * sizeof(uint32_t);
  pt[k].p = g->etab; pt[k++].n = (g->emask + 1) * sizeof(Edge);
  pt[k].p = g->pnext; pt[k++].n = ni * sizeof(uint32_t);
  pt[k].p = g->pflag; pt[k++].n = ni;
  pt[k].p = g->src_off; pt[k++].n = ni * sizeof(size_t);
  pt[k].p = g->src_len; pt[k++].n = ni * sizeof(uint32_t);
  pt[k].p = g->src; pt[k++].n = g->src_used;
  return k;
}

static void img_header(Gaz *g, uint64_t *h) {
  h[H_FLAGS] = (uint64_t)(g->icase | g->overlapping << 1 | g->tsv << 2);
  h[H_NTOK] = g->ntok;
  h[H_TOKBYTES] = g->tokbytes_len;
  h[H_ISIZE] = g->imask + 1;
  h[H_BLOOMSHIFT] = g->bloom_shift;
  h[H_MAXTOK] = g->maxtoklen;
  h[H_NNODES] = g->nnodes;
  h[H_ESIZE] = g->emask + 1;
  h[H_NEDGES] = g->nedges;
  h[H_NIDS] = g->nids;
  h[H_SRC] = g->src_used;
  h[H_SUM] = 0;
}

static uint32_t byte_order_mark(void) {
  return 0x01020304u ^ (uint32_t)(sizeof(size_t) << 24);
}

/* g:save(path) -> true | nil, message */
static int g_save(lua_State *L) {
  Gaz *g = check_gaz(L);
  const char *path = luaL_checkstring(L, 2);
  uint64_t h[IMG_NFIELDS];
  uint32_t bom = byte_order_mark();
  Part pt[16];
  int np = img_parts(g, pt), k, ok;
  FILE *f;
  img_header(g, h);
  h[H_SUM] = img_sum(h, pt, np);
  f = fopen(path, "wb");
  if (f == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  ok = fwrite(IMG_MAGIC, 1, 8, f) == 8 && fwrite(&bom, sizeof bom, 1, f) == 1 &&
       fwrite(h, sizeof h, 1, f) == 1;
  for (k = 0; ok && k < np; k++) ok = pt[k].n == 0 || fwrite(pt[k].p, 1, pt[k].n, f) == pt[k].n;
  if (fclose(f) != 0) ok = 0;
  if (!ok) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: write error", path);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* Checks every index of a freshly read image; returns NULL or what is wrong. */
static const char *img_check(Gaz *g) {
  size_t i, used;
  for (i = 1; i <= g->ntok; i++) {
    if (g->tok_len[i] > g->maxtoklen || g->tok_off[i] > g->tokbytes_len ||
        g->tok_len[i] > g->tokbytes_len - g->tok_off[i] || g->tok_root[i] >= g->nnodes)
      return "bad token table";
  }
  for (i = 0, used = 0; i <= g->imask; i++) {
    if (g->itab[i].id > g->ntok) return "bad token index";
    used += g->itab[i].id != 0;
  }
  if (used != g->ntok || used > g->imask) return "bad token index";
  for (i = 0, used = 0; i <= g->emask; i++) {
    if (g->etab[i].child >= g->nnodes || g->etab[i].node >= g->nnodes) return "bad edge table";
    used += g->etab[i].child != 0;
  }
  if (used != g->nedges || used > g->emask) return "bad edge table";
  for (i = 0; i < g->nnodes; i++)
    if (g->out[i] > g->nids) return "bad node table";
  for (i = 1; i <= g->nids; i++) {
    if (g->pnext[i] > g->nids) return "bad phrase table";
    if (g->src_off[i] > g->src_used || g->src_len[i] > g->src_used - g->src_off[i])
      return "bad phrase table";
  }
  return NULL;
}

/* core.gazetteer_open(path) -> g | nil, message */
static int l_gazetteer_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  Gaz *g;
  FILE *f;
  char magic[8];
  uint32_t bom;
  uint64_t h[IMG_NFIELDS], sum;
  const char *why = NULL;
  Part pt[16];
  int np, k;
  long size;
  uint64_t need;
  lua_settop(L, 1);
  g = gaz_new(L, 2);
  f = fopen(path, "rb");
  if (f == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: cannot read", path);
    return 2;
  }
  if (fread(magic, 1, 8, f) != 8 || memcmp(magic, IMG_MAGIC, 8) != 0 ||
      fread(&bom, sizeof bom, 1, f) != 1 || fread(h, sizeof h, 1, f) != 1) {
    why = "not a lede gazetteer image";
  } else if (bom != byte_order_mark()) {
    why = "image written on a different kind of machine";
  } else if (h[H_FLAGS] > 7 || h[H_NTOK] >= 0x7FFFFFF0u || h[H_TOKBYTES] >= 0xFFFFFFFFu ||
             h[H_ISIZE] < 2 || h[H_ISIZE] > ((uint64_t)1 << 33) ||
             (h[H_ISIZE] & (h[H_ISIZE] - 1)) || h[H_ESIZE] < 2 ||
             h[H_ESIZE] > ((uint64_t)1 << 33) || (h[H_ESIZE] & (h[H_ESIZE] - 1)) ||
             h[H_BLOOMSHIFT] < 6 || h[H_BLOOMSHIFT] > 20 || h[H_MAXTOK] > h[H_TOKBYTES] ||
             h[H_NNODES] < 1 || h[H_NNODES] >= 0xFFFFFFF0u || h[H_NIDS] >= 0x7FFFFFF0u ||
             h[H_SRC] > (uint64_t)size || h[H_NEDGES] > h[H_ESIZE]) {
    why = "bad image header";
  } else {
    need = 8 + sizeof bom + sizeof h + h[H_TOKBYTES] + (h[H_NTOK] + 1) * 12 + h[H_ISIZE] * 8 +
           (((uint64_t)1 << (32 - h[H_BLOOMSHIFT])) / 8) + h[H_NNODES] * 4 + h[H_ESIZE] * 12 +
           (h[H_NIDS] + 1) * (9 + sizeof(size_t)) + h[H_SRC];
    if (need != (uint64_t)size) why = "truncated or padded image";
  }
  if (why) {
    fclose(f);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, why);
    return 2;
  }
  g->icase = (int)(h[H_FLAGS] & 1);
  g->overlapping = (int)(h[H_FLAGS] >> 1 & 1);
  g->tsv = (int)(h[H_FLAGS] >> 2 & 1);
  g->ntok = g->tok_cap = (size_t)h[H_NTOK];
  g->tokbytes_len = g->tokbytes_cap = (size_t)h[H_TOKBYTES];
  g->imask = (size_t)h[H_ISIZE] - 1;
  g->bloom_shift = (uint32_t)h[H_BLOOMSHIFT];
  g->maxtoklen = (size_t)h[H_MAXTOK];
  g->nnodes = g->node_cap = (size_t)h[H_NNODES];
  g->emask = (size_t)h[H_ESIZE] - 1;
  g->nedges = (size_t)h[H_NEDGES];
  g->nids = (size_t)h[H_NIDS];
  g->src_used = g->src_cap = (size_t)h[H_SRC];
  g->tok_cap = g->ntok + 1;
  /* allocate everything (owned by g) before reading, so f is the only thing
   * to close on error */
  {
    size_t nt = g->ntok + 1, ni = g->nids + 1;
    g->tokbytes = (unsigned char *)malloc(g->tokbytes_len ? g->tokbytes_len : 1);
    g->tok_off = (uint32_t *)malloc(nt * 4);
    g->tok_len = (uint32_t *)malloc(nt * 4);
    g->tok_root = (uint32_t *)malloc(nt * 4);
    g->itab = (Slot *)malloc((g->imask + 1) * sizeof(Slot));
    g->bloom = (uint64_t *)malloc(((size_t)1 << (32 - g->bloom_shift)) / 8);
    g->out = (uint32_t *)malloc(g->nnodes * 4);
    g->etab = (Edge *)malloc((g->emask + 1) * sizeof(Edge));
    g->pnext = (uint32_t *)malloc(ni * 4);
    g->pflag = (unsigned char *)malloc(ni);
    g->src_off = (size_t *)malloc(ni * sizeof(size_t));
    g->src_len = (uint32_t *)malloc(ni * 4);
    g->src = (unsigned char *)malloc(g->src_used ? g->src_used : 1);
    g->scratch = (unsigned char *)calloc(g->maxtoklen + 8, 1);
  }
  np = img_parts(g, pt);
  for (k = 0; k < np && !why; k++) {
    if (pt[k].p == NULL) why = "out of memory";
    else if (pt[k].n && fread(pt[k].p, 1, pt[k].n, f) != pt[k].n) why = "read error";
  }
  fclose(f);
  if (!why && g->scratch == NULL) why = "out of memory";
  if (!why) {
    sum = img_sum(h, pt, np);
    if (h[H_SUM] != sum) why = "checksum mismatch";
  }
  if (!why) why = img_check(g);
  if (!why && !find_roots(g)) why = "out of memory";
  if (why) {
    gaz_free(g);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, why);
    return 2;
  }
  return 1;
}

static int g_close(lua_State *L) {
  Gaz *g = (Gaz *)luaL_checkudata(L, 1, GAZ_MT);
  if (!g->closed) gaz_free(g);
  return 0;
}

static int g_tostring(lua_State *L) {
  Gaz *g = (Gaz *)luaL_checkudata(L, 1, GAZ_MT);
  if (g->closed) lua_pushliteral(L, GAZ_MT " (closed)");
  else lua_pushfstring(L, GAZ_MT " (%d phrases, %s)", (int)g->nids,
                       g->icase ? "case-insensitive" : "case-sensitive");
  return 1;
}

void lede_open_gazetteer(lua_State *L) {
  static const luaL_Reg methods[] = {
      {"scan", g_scan}, {"find", g_find},     {"entry", g_entry},
      {"memory", g_memory}, {"close", g_close}, {"save", g_save},
      {NULL, NULL}};
  init_tables();
  lede_new_type(L, GAZ_MT, methods, g_close, g_tostring, g_len);
  lua_pushcfunction(L, l_gazetteer);
  lua_setfield(L, -2, "gazetteer");
  lua_pushcfunction(L, l_gazetteer_load);
  lua_setfield(L, -2, "gazetteer_load");
  lua_pushcfunction(L, l_gazetteer_open);
  lua_setfield(L, -2, "gazetteer_open");
}
