/* probe.c: probes, cheap necessary conditions for many patterns at once.
 *
 * Owns core.probes and the lede.ProbeSet type. A probe says what must stand
 * before a position (one of some literals ending there, or a byte) and what
 * must follow it (a sequence of steps, each one of some literals or a byte
 * of a set). One pass over a text finds the positions where each probe
 * holds, so that a caller runs an expensive pattern only there. The pass
 * looks at every byte once through a 256-entry table of probe bits and
 * checks a probe fully only where its first byte, the byte before and the
 * four bytes after agree. */
#include <stdlib.h>
#include <string.h>

#include "lede.h"

#define PROBE_MT "lede.ProbeSet"
#define MAX_STEPS 16
#define NAFTER 4     /* bytes after the first a candidate is filtered by */
#define WORK_LIMIT 256 /* literal comparisons per probe and position */

/* One of some literals, or one byte of a set. */
typedef struct {
  unsigned char *lits; /* the literals, one after another */
  size_t *ends;        /* end offset of each literal in lits */
  size_t nlits;
  /* with BUCKET_LITS literals or more: their indices grouped by first byte
   * (by[from[b]] .. by[from[b + 1] - 1] start with byte b), so that a
   * position is compared only with the literals its byte may start */
  size_t *by, *from;
  unsigned char set[32]; /* bit set of bytes */
  int has_set;
} Choice;

#define BUCKET_LITS 4

typedef struct {
  Choice steps[MAX_STEPS];
  size_t nsteps;
  Choice before;
  int has_before;
} Probe;

typedef struct {
  Probe *probes;
  size_t n;
  uint64_t *first; /* per group of 64 probes: 256 masks by first byte */
  /* per group: NAFTER tables of 256 masks, table d - 1 by the byte d
   * bytes after the first */
  uint64_t *after;
  uint64_t *prev;  /* per group: 256 masks by the byte before */
  uint64_t *start; /* per group: the probes that hold at position 1 */
  unsigned char *any; /* per group: 256 flags, whether a byte may start a probe */
  /* per group: the count of ranges of bytes flagged in any (up to
   * SCAN_RANGES + 1: more), then the first byte and width of each */
  unsigned char *ranges;
  int closed;
} ProbeSet;

#define SCAN_RANGES 6
#define RANGES_SIZE (1 + 2 * SCAN_RANGES)

#define IN_SET(c, b) (((c)->set[(b) >> 3] >> ((b) & 7)) & 1)

static void choice_free(Choice *c) {
  free(c->lits);
  free(c->ends);
  free(c->by);
  free(c->from);
  c->lits = NULL;
  c->ends = NULL;
  c->by = c->from = NULL;
  c->nlits = 0;
}

static void set_free(ProbeSet *ps) {
  size_t k, j;
  if (ps->probes != NULL) {
    for (k = 0; k < ps->n; k++) {
      for (j = 0; j < MAX_STEPS; j++) choice_free(&ps->probes[k].steps[j]);
      choice_free(&ps->probes[k].before);
    }
  }
  free(ps->probes);
  free(ps->first);
  free(ps->after);
  free(ps->prev);
  free(ps->start);
  free(ps->any);
  free(ps->ranges);
  ps->probes = NULL;
  ps->first = ps->after = ps->prev = ps->start = NULL;
  ps->any = ps->ranges = NULL;
  ps->n = 0;
  ps->closed = 1;
}

static ProbeSet *check_set(lua_State *L) {
  ProbeSet *ps = (ProbeSet *)luaL_checkudata(L, 1, PROBE_MT);
  if (ps->closed) luaL_error(L, PROBE_MT " is closed");
  return ps;
}

/* Reads the choice at the top of the stack (a table) into c, which the set
 * owns already (its blocks are freed by __gc if this raises). */
static void read_choice(lua_State *L, Choice *c, int k, const char *what) {
  size_t n, j, total = 0, len;
  const char *b;
  if (lua_type(L, -1) == LUA_TSTRING) { /* one literal */
    b = lua_tolstring(L, -1, &len);
    if (len == 0) luaL_error(L, "probes: entry %d: %s is empty", k, what);
    c->lits = (unsigned char *)malloc(len);
    if (c->lits == NULL) luaL_error(L, "probes: out of memory");
    c->ends = (size_t *)malloc(sizeof(size_t));
    if (c->ends == NULL) luaL_error(L, "probes: out of memory");
    memcpy(c->lits, b, len);
    c->ends[0] = len;
    c->nlits = 1;
    return;
  }
  if (!lua_istable(L, -1))
    luaL_error(L, "probes: entry %d: %s must be a string or a table, got %s", k, what,
               luaL_typename(L, -1));
  n = (size_t)lua_rawlen(L, -1);
  for (j = 1; j <= n; j++) {
    lua_rawgeti(L, -1, (lua_Integer)j);
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "probes: entry %d: %s[%d] must be a string, got %s", k, what, (int)j,
                 luaL_typename(L, -1));
    lua_tolstring(L, -1, &len);
    if (len == 0) luaL_error(L, "probes: entry %d: %s[%d] is empty", k, what, (int)j);
    total += len;
    lua_pop(L, 1);
  }
  if (n > 0) {
    c->lits = (unsigned char *)malloc(total);
    if (c->lits == NULL) luaL_error(L, "probes: out of memory");
    c->ends = (size_t *)malloc(n * sizeof(size_t));
    if (c->ends == NULL) luaL_error(L, "probes: out of memory");
    total = 0;
    for (j = 1; j <= n; j++) {
      lua_rawgeti(L, -1, (lua_Integer)j);
      b = lua_tolstring(L, -1, &len);
      memcpy(c->lits + total, b, len);
      total += len;
      c->ends[j - 1] = total;
      lua_pop(L, 1);
    }
    c->nlits = n;
    if (n >= BUCKET_LITS) { /* a counting sort of the literals by first byte */
      size_t b;
      c->by = (size_t *)malloc(n * sizeof(size_t));
      if (c->by == NULL) luaL_error(L, "probes: out of memory");
      c->from = (size_t *)calloc(257, sizeof(size_t));
      if (c->from == NULL) luaL_error(L, "probes: out of memory");
      for (j = 0; j < n; j++) c->from[c->lits[j ? c->ends[j - 1] : 0] + 1]++;
      for (b = 1; b <= 256; b++) c->from[b] += c->from[b - 1];
      for (j = 0; j < n; j++) c->by[c->from[c->lits[j ? c->ends[j - 1] : 0]]++] = j;
      for (b = 256; b > 0; b--) c->from[b] = c->from[b - 1]; /* (each moved one bucket on) */
      c->from[0] = 0;
    }
  }
  lua_getfield(L, -1, "bytes");
  if (!lua_isnil(L, -1)) {
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "probes: entry %d: %s.bytes must be a string, got %s", k, what,
                 luaL_typename(L, -1));
    b = lua_tolstring(L, -1, &len);
    for (j = 0; j < len; j++) {
      unsigned char x = (unsigned char)b[j];
      c->set[x >> 3] |= (unsigned char)(1u << (x & 7));
    }
    c->has_set = 1;
  }
  lua_pop(L, 1);
  if (c->nlits == 0 && !c->has_set)
    luaL_error(L, "probes: entry %d: %s has neither literals nor bytes", k, what);
}

#define LIT(c, j) ((c)->lits + ((j) ? (c)->ends[(j) - 1] : 0))
#define LITLEN(c, j) ((c)->ends[(j)] - ((j) ? (c)->ends[(j) - 1] : 0))

/* core.probes(list) -> lede.ProbeSet */
/* Marks with bit in tab the bytes that may stand d bytes after the start
 * of step k of pr (as steps_hold reads them): every byte where the steps
 * may end before, where a character of unknown length comes first, or
 * when that takes too much work. */
static void mark_after(const Probe *pr, size_t k, size_t d, uint64_t *tab, uint64_t bit, int *work) {
  const Choice *c;
  size_t j, b;
  if (k == pr->nsteps || --*work < 0) {
    for (b = 0; b < 256; b++) tab[b] |= bit;
    return;
  }
  c = &pr->steps[k];
  for (j = 0; j < c->nlits && *work >= 0; j++) {
    if (LITLEN(c, j) > d) tab[LIT(c, j)[d]] |= bit;
    else mark_after(pr, k + 1, d - LITLEN(c, j), tab, bit, work);
  }
  if (c->has_set) {
    if (d == 0) {
      for (b = 0; b < 256; b++)
        if (IN_SET(c, b)) tab[b] |= bit;
    } else {
      for (b = 0x80; b < 256 && !IN_SET(c, b); b++) {}
      if (b < 256) /* (a character of unknown length) */
        for (b = 0; b < 256; b++) tab[b] |= bit;
      else
        mark_after(pr, k + 1, d - 1, tab, bit, work);
    }
  }
}

static int l_probes(lua_State *L) {
  size_t n, k, ngroups;
  ProbeSet *ps;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = (size_t)lua_rawlen(L, 1);
  lua_settop(L, 1);
  ps = (ProbeSet *)lua_newuserdatauv(L, sizeof(ProbeSet), 0);
  memset(ps, 0, sizeof *ps);
  luaL_setmetatable(L, PROBE_MT); /* index 2 */
  ngroups = (n + 63) / 64;
  if (n > 0) {
    if (n > ((size_t)-1 / sizeof(uint64_t)) / 512) return luaL_error(L, "probes: too many entries");
    ps->probes = (Probe *)calloc(n, sizeof(Probe));
    if (ps->probes == NULL) return luaL_error(L, "probes: out of memory");
    ps->n = n;
    ps->first = (uint64_t *)calloc(ngroups * 256, sizeof(uint64_t));
    ps->after = (uint64_t *)calloc(ngroups * NAFTER * 256, sizeof(uint64_t));
    ps->prev = (uint64_t *)calloc(ngroups * 256, sizeof(uint64_t));
    ps->start = (uint64_t *)calloc(ngroups, sizeof(uint64_t));
    ps->any = (unsigned char *)calloc(ngroups * 256, 1);
    ps->ranges = (unsigned char *)calloc(ngroups * RANGES_SIZE, 1);
    if (ps->first == NULL || ps->after == NULL || ps->prev == NULL || ps->start == NULL ||
        ps->any == NULL || ps->ranges == NULL)
      return luaL_error(L, "probes: out of memory");
  }
  for (k = 0; k < n; k++) {
    Probe *pr = &ps->probes[k];
    uint64_t bit = (uint64_t)1 << (k % 64);
    uint64_t *first = ps->first + (k / 64) * 256, *prev = ps->prev + (k / 64) * 256;
    uint64_t *after = ps->after + (k / 64) * NAFTER * 256;
    size_t j, b;
    int work;
    lua_rawgeti(L, 1, (lua_Integer)k + 1);
    if (!lua_istable(L, -1))
      return luaL_error(L, "probes: entry %d must be a table, got %s", (int)k + 1,
                        luaL_typename(L, -1));
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
      if (key == NULL || (strcmp(key, "at") != 0 && strcmp(key, "before") != 0))
        return luaL_error(L, "probes: entry %d: unknown key '%s'", (int)k + 1,
                          key ? key : luaL_typename(L, -2));
      lua_pop(L, 1);
    }
    lua_getfield(L, -1, "at");
    if (!lua_isnil(L, -1)) {
      if (!lua_istable(L, -1))
        return luaL_error(L, "probes: entry %d: at must be a table, got %s", (int)k + 1,
                          luaL_typename(L, -1));
      pr->nsteps = (size_t)lua_rawlen(L, -1);
      if (pr->nsteps > MAX_STEPS)
        return luaL_error(L, "probes: entry %d: more than %d steps", (int)k + 1, MAX_STEPS);
      for (j = 0; j < pr->nsteps; j++) {
        lua_rawgeti(L, -1, (lua_Integer)j + 1);
        read_choice(L, &pr->steps[j], (int)k + 1, "a step");
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "before");
    if (!lua_isnil(L, -1)) {
      read_choice(L, &pr->before, (int)k + 1, "before");
      pr->has_before = 1;
    }
    lua_pop(L, 2);
    if (pr->nsteps == 0 && !pr->has_before)
      return luaL_error(L, "probes: entry %d has no condition", (int)k + 1);
    for (b = 0; b < 256; b++) {
      if (pr->nsteps == 0 || IN_SET(&pr->steps[0], b)) first[b] |= bit;
      if (!pr->has_before || IN_SET(&pr->before, b)) prev[b] |= bit;
    }
    for (j = 0; j < pr->steps[0].nlits; j++) first[LIT(&pr->steps[0], j)[0]] |= bit;
    /* the bytes that may follow the first */
    for (j = 1; j <= NAFTER; j++) {
      work = WORK_LIMIT;
      mark_after(pr, 0, j, after + (j - 1) * 256, bit, &work);
    }
    for (j = 0; j < pr->before.nlits; j++) {
      const Choice *c = &pr->before;
      prev[LIT(c, j)[LITLEN(c, j) - 1]] |= bit;
    }
    if (!pr->has_before) ps->start[k / 64] |= bit;
  }
  for (k = 0; k < ngroups; k++) {
    const uint64_t *first = ps->first + k * 256;
    unsigned char *any = ps->any + k * 256, *r = ps->ranges + k * RANGES_SIZE;
    size_t b, nr = 0;
    /* a position inside a UTF-8 sequence is no character start */
    for (b = 0; b < 256; b++) any[b] = first[b] != 0 && (b & 0xC0) != 0x80;
    for (b = 0; b < 256 && nr <= SCAN_RANGES;) {
      size_t a;
      if (!any[b]) {
        b++;
        continue;
      }
      for (a = b; b < 256 && any[b]; b++) {}
      if (nr < SCAN_RANGES) {
        r[1 + 2 * nr] = (unsigned char)a;
        r[2 + 2 * nr] = (unsigned char)(b - 1 - a);
      }
      nr++;
    }
    r[0] = (unsigned char)nr;
  }
  return 1;
}

/* Whether steps k.. of pr hold from s[q]. */
static int steps_hold(const Probe *pr, size_t k, const unsigned char *s, size_t n, size_t q,
                      int *work) {
  const Choice *c;
  size_t j;
  if (k == pr->nsteps) return 1;
  c = &pr->steps[k];
  if (c->by != NULL) {
    if (q < n) { /* only the literals starting with s[q] */
      size_t x, end = c->from[s[q] + 1];
      for (x = c->from[s[q]]; x < end; x++) {
        size_t len;
        j = c->by[x];
        len = LITLEN(c, j);
        if (--*work < 0) return 1; /* too much work: say yes (a probe may over-report) */
        if (len <= n - q && memcmp(s + q + 1, LIT(c, j) + 1, len - 1) == 0 &&
            steps_hold(pr, k + 1, s, n, q + len, work))
          return 1;
      }
    }
  } else {
    for (j = 0; j < c->nlits; j++) {
      size_t len = LITLEN(c, j);
      const unsigned char *lit = LIT(c, j);
      /* too much work: say yes (a probe may over-report) */
      if (--*work < 0) return 1;
      if (len > n - q || lit[0] != s[q]) continue; /* (the first byte decides most) */
      if (memcmp(s + q + 1, lit + 1, len - 1) == 0 && steps_hold(pr, k + 1, s, n, q + len, work))
        return 1;
    }
  }
  if (c->has_set && q < n && IN_SET(c, s[q])) {
    if (s[q] >= 0x80) return 1; /* a character of unknown length: stop here */
    return steps_hold(pr, k + 1, s, n, q + 1, work);
  }
  return 0;
}

static int probe_holds(const Probe *pr, const unsigned char *s, size_t n, size_t p) {
  int work = WORK_LIMIT;
  if (pr->has_before) {
    const Choice *c = &pr->before;
    size_t j;
    int ok = p > 0 && c->has_set && IN_SET(c, s[p - 1]);
    for (j = 0; !ok && j < c->nlits; j++) {
      size_t len = LITLEN(c, j);
      const unsigned char *lit = LIT(c, j);
      if (--work < 0) return 1; /* too much work: say yes */
      if (len > p || lit[len - 1] != s[p - 1]) continue; /* (the last byte decides most) */
      ok = memcmp(s + p - len, lit, len - 1) == 0;
    }
    if (!ok) return 0;
  }
  return steps_hold(pr, 0, s, n, p, &work);
}

/* Index (0..63) of the lowest set bit of m (m != 0). */
static int low_bit(uint64_t m) {
#if defined(__GNUC__)
  return __builtin_ctzll(m);
#else
  int b = 0;
  if (!(m & 0xFFFFFFFFu)) { b += 32; m >>= 32; }
  if (!(m & 0xFFFFu)) { b += 16; m >>= 16; }
  if (!(m & 0xFFu)) { b += 8; m >>= 8; }
  if (!(m & 0xFu)) { b += 4; m >>= 4; }
  if (!(m & 0x3u)) { b += 2; m >>= 2; }
  if (!(m & 0x1u)) b += 1;
  return b;
#endif
}

/* Appends position pos (1-based) to the array of probe k in the result
 * table, made on first use (its stack index in *res, 0 before). */
static void add_pos(lua_State *L, int *res, size_t k, size_t pos) {
  if (!*res) {
    lua_newtable(L);
    *res = lua_gettop(L);
  }
  lua_rawgeti(L, *res, (lua_Integer)k + 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawseti(L, *res, (lua_Integer)k + 1);
  }
  lua_pushinteger(L, (lua_Integer)pos);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  lua_pop(L, 1);
}

/* The probes of group g whose first byte, byte before and NAFTER bytes
 * after agree with s[q] (a candidate: its byte may start one). (The
 * unrolled look-ups read NAFTER = 4 tables.) */
static inline uint64_t agree_at(const ProbeSet *ps, size_t g, const unsigned char *s, size_t n, size_t q) {
  const uint64_t *first = ps->first + g * 256, *prev = ps->prev + g * 256;
  const uint64_t *after = ps->after + g * NAFTER * 256;
  uint64_t m = first[s[q]] & (q > 0 ? prev[s[q - 1]] : ps->start[g]);
  size_t d;
  /* (away from the end all at once: a branch on each would be
   * mispredicted as often as taken) */
  if (q + NAFTER < n)
    return m & after[s[q + 1]] & after[256 + s[q + 2]] & after[512 + s[q + 3]] & after[768 + s[q + 4]];
  for (d = 1; m && d <= NAFTER && q + d < n; d++) m &= after[(d - 1) * 256 + s[q + d]];
  return m;
}

/* The probes m of group g (agree_at) that hold at s[q], their positions
 * appended to the result. */
static void scan_at(lua_State *L, const ProbeSet *ps, size_t g, uint64_t m, const unsigned char *s, size_t n,
                    size_t q, int *res) {
  while (m) {
    int bit = low_bit(m);
    size_t k = g * 64 + (size_t)bit;
    m &= m - 1;
    if (probe_holds(&ps->probes[k], s, n, q)) add_pos(L, res, k, q + 1);
  }
}

/* The positions of the bits of a byte (bits_at[m][k], k < bits_in[m]):
 * a mask's candidates are written out eight at a time without a branch on
 * each (filled by lede_open_probe). */
static uint64_t bits_at[256];
static unsigned char bits_in[256];

/* Candidates gathered from sixteen-byte masks, then filtered without a
 * branch per candidate: a chunk of SCAN_CHUNK bytes at a time. */
#define SCAN_CHUNK 256

#if defined(__GNUC__) && defined(__SSE2__) /* (used by the SSE2 scan only) */
/* Scans the candidates at offsets off[0..nc) of chunk s[p..): those whose
 * bytes the probes of group g agree on (agree_at) are tested, in order. */
static void scan_chunk(lua_State *L, const ProbeSet *ps, size_t g, const unsigned char *s, size_t n, size_t p,
                       const unsigned char *off, size_t nc, int *res) {
  const uint64_t *first = ps->first + g * 256, *prev = ps->prev + g * 256;
  const uint64_t *after = ps->after + g * NAFTER * 256;
  size_t keep[SCAN_CHUNK], nk = 0, c;
  for (c = 0; c < nc; c++) {
    size_t q = p + off[c];
    uint64_t a;
    if (q >= 1 && q + NAFTER < n)
      a = first[s[q]] & prev[s[q - 1]] & after[s[q + 1]] & after[256 + s[q + 2]] & after[512 + s[q + 3]] &
          after[768 + s[q + 4]];
    else a = agree_at(ps, g, s, n, q);
    keep[nk] = q;
    nk += a != 0;
  }
  for (c = 0; c < nk; c++) scan_at(L, ps, g, agree_at(ps, g, s, n, keep[c]), s, n, keep[c], res);
}
#endif

/* Appends the offsets o + b of the bits b of the sixteen-bit mask m to
 * off at *nc (off has eight bytes to spare). */
LEDE_INLINE void gather16(unsigned char *off, size_t *nc, unsigned m, unsigned o) {
  uint64_t w = bits_at[m & 0xFFu] + (uint64_t)o * UINT64_C(0x0101010101010101);
  memcpy(off + *nc, &w, 8);
  *nc += bits_in[m & 0xFFu];
  w = bits_at[m >> 8] + (uint64_t)(o + 8) * UINT64_C(0x0101010101010101);
  memcpy(off + *nc, &w, 8);
  *nc += bits_in[m >> 8];
}

/* Sixteen bytes at a time where SSE2 is (every x86-64), when the bytes
 * that may start a probe form a few ranges: a bit per candidate. */
#if defined(__GNUC__) && defined(__SSE2__)
#include <emmintrin.h>
#define PROBE_SSE2 1
#define MAX_RANGES SCAN_RANGES
static unsigned in_ranges16(const unsigned char *s, const __m128i *lo, const __m128i *width, int nr) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s), acc = _mm_setzero_si128();
  int r;
  for (r = 0; r < nr; r++) {
    __m128i d = _mm_sub_epi8(v, lo[r]);
    acc = _mm_or_si128(acc, _mm_cmpeq_epi8(_mm_min_epu8(d, width[r]), d));
  }
  return (unsigned)_mm_movemask_epi8(acc);
}

#else
#define PROBE_SSE2 0
#endif

/* set:scan(s) -> nil | {[k] = {positions}} */
static int l_scan(lua_State *L) {
  ProbeSet *ps = check_set(L);
  size_t n, g, p, ngroups = (ps->n + 63) / 64;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 2, &n);
  int res = 0;
  lua_settop(L, 2);
  for (g = 0; g < ngroups; g++) {
    const unsigned char *any = ps->any + g * 256;
    p = 0;
#if PROBE_SSE2
    {
      const unsigned char *r = ps->ranges + g * RANGES_SIZE;
      __m128i lo[MAX_RANGES], width[MAX_RANGES];
      int nr = r[0], k;
      for (k = 0; k < nr && k < MAX_RANGES; k++) {
        lo[k] = _mm_set1_epi8((char)r[1 + 2 * k]);
        width[k] = _mm_set1_epi8((char)r[2 + 2 * k]);
      }
      if (nr >= 1 && nr <= 3) { /* the usual case: three ranges at most, held in registers */
        __m128i l0 = lo[0], w0 = width[0], l1 = lo[nr > 1], w1 = width[nr > 1], l2 = lo[nr - 1],
                w2 = width[nr - 1];
        while (p + 16 <= n) {
          /* (a chunk's candidates gathered, then filtered) */
          unsigned char off[SCAN_CHUNK + 8];
          size_t nc = 0, o, lim = n - p < SCAN_CHUNK ? (n - p) & ~(size_t)15 : SCAN_CHUNK;
          for (o = 0; o < lim; o += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p + o));
            __m128i d0 = _mm_sub_epi8(v, l0), d1 = _mm_sub_epi8(v, l1), d2 = _mm_sub_epi8(v, l2);
            unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d0, w0), d0), _mm_cmpeq_epi8(_mm_min_epu8(d1, w1), d1)),
                             _mm_cmpeq_epi8(_mm_min_epu8(d2, w2), d2)));
            gather16(off, &nc, m, (unsigned)o);
          }
          scan_chunk(L, ps, g, s, n, p, off, nc, &res);
          p += lim;
        }
      } else if (nr <= MAX_RANGES) {
        while (p + 16 <= n) {
          unsigned char off[SCAN_CHUNK + 8];
          size_t nc = 0, o, lim = n - p < SCAN_CHUNK ? (n - p) & ~(size_t)15 : SCAN_CHUNK;
          for (o = 0; o < lim; o += 16) gather16(off, &nc, in_ranges16(s + p + o, lo, width, nr), (unsigned)o);
          scan_chunk(L, ps, g, s, n, p, off, nc, &res);
          p += lim;
        }
      }
    }
#endif
    while (p < n) {
      /* the positions whose byte may start a probe, gathered without a
       * branch per byte, then filtered by the bytes around them */
      size_t cand[256], nc = 0, c, lim = n - p < 256 ? n : p + 256;
      for (; p + 4 <= lim; p += 4) { /* unrolled: the loop is the cost */
        cand[nc] = p;
        nc += any[s[p]];
        cand[nc] = p + 1;
        nc += any[s[p + 1]];
        cand[nc] = p + 2;
        nc += any[s[p + 2]];
        cand[nc] = p + 3;
        nc += any[s[p + 3]];
      }
      for (; p < lim; p++) {
        cand[nc] = p;
        nc += any[s[p]];
      }
      for (c = 0; c < nc; c++) {
        uint64_t a = agree_at(ps, g, s, n, cand[c]);
        if (a) scan_at(L, ps, g, a, s, n, cand[c], &res);
      }
    }
  }
  /* the end of the text: only probes without steps can hold there */
  for (g = 0; g < ps->n; g++) {
    const Probe *pr = &ps->probes[g];
    if (pr->nsteps == 0 && probe_holds(pr, s, n, n)) add_pos(L, &res, g, n + 1);
  }
  if (!res) lua_pushnil(L);
  return 1;
}

static int l_len(lua_State *L) {
  ProbeSet *ps = check_set(L);
  lua_pushinteger(L, (lua_Integer)ps->n);
  return 1;
}

static int l_close(lua_State *L) {
  ProbeSet *ps = (ProbeSet *)luaL_checkudata(L, 1, PROBE_MT);
  set_free(ps);
  return 0;
}

static int l_tostring(lua_State *L) {
  ProbeSet *ps = (ProbeSet *)luaL_checkudata(L, 1, PROBE_MT);
  if (ps->closed) lua_pushliteral(L, PROBE_MT "(closed)");
  else lua_pushfstring(L, PROBE_MT "(%d probes)", (int)ps->n);
  return 1;
}

void lede_open_probe(lua_State *L) {
  int m, k;
  static const luaL_Reg methods[] = {
      {"scan", l_scan},
      {"close", l_close},
      {NULL, NULL},
  };
  for (m = 0; m < 256; m++) {
    uint64_t w = 0;
    int c = 0;
    for (k = 0; k < 8; k++)
      if (m >> k & 1) w |= (uint64_t)k << (8 * c++);
    bits_at[m] = w;
    bits_in[m] = (unsigned char)c;
  }
  lede_new_type(L, PROBE_MT, methods, l_close, l_tostring, l_len);
  lua_pushcfunction(L, l_probes);
  lua_setfield(L, -2, "probes");
}
