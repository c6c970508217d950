/* pick.c: which blocks of a document a search should visit.
 *
 * core.pick reads every block's text (and kind) once and sorts the blocks
 * into lists by cheap tests on the text's length, its first and last byte
 * and the block's kind, so that a search over the blocks runs its patterns
 * on the few that can match instead of looping over all of them in Lua.
 * Policy (which tests suit which search) stays in Lua; the shape tests that
 * the metadata searches need on every block (`test`) are written here, and
 * core.byline_cues, the same kind of tests over the header region's blocks
 * (which of them the author searches need to read). */
#include "lede.h"

#include <string.h>

#define PICK_MAX_SPECS 16

/* The shape tests (option `test`). */
enum { PICK_TEST_NONE, PICK_TEST_PICTURE, PICK_TEST_COPYRIGHT, PICK_TEST_BY_ALONE, PICK_TEST_BY_EXPLICIT,
       PICK_TEST_ABOUT };
static const char *const pick_tests[] = { "", "picture", "copyright", "by_alone", "by_explicit", "about", NULL };

typedef struct {
  lua_Integer min, max;
  unsigned char first[256], last[256];
  int has_first, has_last;
  int kinds, skip; /* stack indices of the kind sets, 0 when absent */
  int ends;        /* keep only the first and the last index */
  int test;        /* PICK_TEST_* */
  lua_Integer next_long; /* a block of at least that many bytes among the next two (0: any) */
  int out;         /* stack index of the result array */
  lua_Integer n;   /* its length */
} pick_spec;

static const char *const pick_options[] = { "min", "max", "first", "last", "kinds", "skip", "ends", "test",
                                            "next_long", NULL };

static int pick_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Index of the lowest set bit of m (m != 0): the specs of a mask are
 * visited by their bits, not by their numbers. */
static int pick_low(unsigned int m) {
#if defined(__GNUC__)
  return __builtin_ctz(m);
#else
  int s = 0;
  while (!(m & 1u)) {
    m >>= 1;
    s++;
  }
  return s;
#endif
}

/* Whether a text may start or end like an author's photo's ("Photo of
 * Jane Doe", "Jane Doe headshot"): it starts with the first three letters
 * of "picture", "photo", "image", "headshot", "avatar", "portrait",
 * "profile", or, after a capital, ends with the last two of "photo",
 * "headshot", "avatar", "portrait", "picture", "image" (any case). A text
 * that starts with an ASCII byte other than a letter never can; one with
 * other than ASCII in its first three (last two) bytes always can, but for
 * a start in U+0080 to U+00BF (its letters aside), U+2000 to U+206F,
 * U+2580 to U+25FF. 0 when it cannot, 2 when it may by its last two ASCII
 * letters only, else 1. */
static int maybe_picture_ends(const unsigned char *t, size_t len) {
  /* (their first letters: "p", "i", "h", "a") */
  static const char *const starts[] = { "pic", "pho", "ima", "hea", "ava", "por", "pro", NULL };
  static const char *const ends[] = { "to", "ot", "ar", "it", "re", "ge", NULL };
  int a, b, c, la, y, z, k;
  if (len < 3) return 0;
  a = t[0], b = t[1], c = t[2];
  if (a >= 128) {
    if ((a == 194 && b != 170 && b != 181 && b != 186)
        || (a == 226 && (b == 128 || (b == 129 && c < 176) || b == 150 || b == 151)))
      return 0;
    return 1;
  }
  la = pick_lower(a);
  if (la < 'a' || la > 'z') return 0;
  if (b >= 128 || c >= 128) return 1;
  if (la == 'p' || la == 'i' || la == 'h' || la == 'a') {
    int lb = pick_lower(b), lc = pick_lower(c);
    for (k = 0; starts[k] != NULL; k++)
      if (starts[k][0] == la && starts[k][1] == lb && starts[k][2] == lc) return 1;
  }
  if (a > 'Z') return 0;
  y = t[len - 2], z = t[len - 1];
  if (y >= 128 || z >= 128 || z == '\n') return 1;
  for (k = 0; ends[k] != NULL; k++)
    if (ends[k][0] == pick_lower(y) && ends[k][1] == pick_lower(z)) return 2;
  return 0;
}

/* What the text of an author's photo starts or ends with (the pattern
 * `picture_of` of lede.meta): "Photo of Jane Doe", "Jane Doe headshot". */
static const char *const picture_starts[] = { "picture of", "photo of", "image of", "headshot of", "avatar of",
                                              "portrait of", "profile picture of", "profile photo of", NULL };
static const char *const picture_ends[] = { "photo", "headshot", "avatar", "portrait", "picture", "image", NULL };

/* Whether t[0..len) starts (at_end 0) or ends with one of words, in any
 * ASCII case, or may under a caseless match that takes a character outside
 * ASCII: a byte above 127 met before the first difference, but for the
 * first (last) byte. */
static int picture_word_at(const unsigned char *t, size_t len, const char *const *words, int at_end) {
  size_t w, k, wl;
  for (w = 0; words[w] != NULL; w++) {
    wl = strlen(words[w]);
    for (k = 0; k < wl && k < len; k++) {
      int c = at_end ? t[len - 1 - k] : t[k];
      if (c >= 128) return k > 0; /* (no first or last letter has one) */
      if (pick_lower(c) != (at_end ? words[w][wl - 1 - k] : words[w][k])) break;
    }
    if (k == wl) return 1;
  }
  return 0;
}

/* Whether a text can name an author's photo: maybe_picture_ends, and
 * either it starts with a picture word and " of" ("Photo of ...",
 * "profile photo of ..."), or it starts with a capital or a byte above 127
 * and ends with a picture word ("... headshot"); both in any ASCII case,
 * and passing where a caseless match could take a character outside ASCII
 * (a byte above 127 met before a difference; a first U+0100 to U+013F), or
 * where the end may be a line break (a last control character, U+0085,
 * U+2028, U+2029). */
LEDE_HIDDEN int lede_maybe_picture(const unsigned char *t, size_t len) {
  int a, z;
  if (!maybe_picture_ends(t, len)) return 0;
  a = t[0];
  if (a == 0xC4 || picture_word_at(t, len, picture_starts, 0)) return 1;
  if (a < 128 && (a < 'A' || a > 'Z')) return 0;
  z = t[len - 1];
  if (z < 0x20 || z == 0x7F) return 1;
  if (z >= 128)
    return (len >= 2 && t[len - 2] == 0xC2 && z == 0x85)
           || (len >= 3 && t[len - 3] == 0xE2 && t[len - 2] == 0x80 && (z == 0xA8 || z == 0xA9));
  return picture_word_at(t, len, picture_ends, 1);
}

/* Whether a text starts like a copyright line, as the Lua pattern
 * "^%W*[%(\194\169Cc]" (C locale) reads it: a byte of "(", U+00A9 or "C",
 * "c" among its leading bytes that are no ASCII letter or digit, or just
 * after them. */
static int pick_copyright(const unsigned char *t, size_t len) {
  size_t k;
  for (k = 0; k < len; k++) {
    int c = t[k];
    if (c == '(' || c == 0xC2 || c == 0xA9 || c == 'C' || c == 'c') return 1;
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return 0;
  }
  return 0;
}

/* Whether a text starts like "About Jane" as the Lua pattern
 * "^[%s\128-\255*]*About%s" reads it (C locale): after its leading bytes
 * that are ASCII white space, "*" or above 127, "About" and a white space
 * byte. */
static int pick_about(const unsigned char *t, size_t len) {
  size_t i = 0;
  int c;
  while (i < len && (t[i] == ' ' || (t[i] >= '\t' && t[i] <= '\r') || t[i] == '*' || t[i] >= 0x80)) i++;
  if (len - i < 6 || memcmp(t + i, "About", 5) != 0) return 0;
  c = t[i + 5];
  return c == ' ' || (c >= '\t' && c <= '\r');
}

static int pick_word(int c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

/* Whether t[0..len) is the phrase w (lower case ASCII), ASCII case folded. */
static int pick_same(const unsigned char *t, size_t len, const char *w) {
  size_t k;
  for (k = 0; k < len; k++)
    if (w[k] == '\0' || pick_lower(t[k]) != (unsigned char)w[k]) return 0;
  return w[len] == '\0';
}

/* The bylines that name no one yet: "By", "Written by:", "About the author"
 * alone. An ASCII text (the caller has passed those with a byte above 127)
 * passes when, without the bytes that are no ASCII letter, digit or "_" at
 * both ends, it is one of the phrases below (ASCII case folded): up to
 * PICK_BY_ALONE_MAX bytes long, starting with a letter of "bwpasAB..". */
#define PICK_BY_ALONE_MAX 18
static int pick_by_alone(const unsigned char *t, size_t len) {
  static const char *const phrases[] = {
    "by", "written by", "posted by", "article by", "article written by", "article posted by", "post by",
    "post written by", "post posted by", "story by", "story written by", "story posted by", "author",
    "authors", "about the author", NULL };
  size_t i = 0, e = len, k;
  int a;
  while (i < len && !pick_word(t[i])) i++;
  while (e > i && !pick_word(t[e - 1])) e--;
  if (e - i < 2 || e - i > PICK_BY_ALONE_MAX) return 0;
  a = pick_lower(t[i]);
  if (a != 'b' && a != 'w' && a != 'p' && a != 'a' && a != 's') return 0;
  for (k = 0; phrases[k] != NULL; k++)
    if (pick_same(t + i, e - i, phrases[k])) return 1;
  return 0;
}

static int cue_by_alone(const unsigned char *t, size_t len);
static int cue_by_explicit(const unsigned char *t, size_t len);

static int pick_shape(int test, const unsigned char *t, size_t len) {
  switch (test) {
  case PICK_TEST_PICTURE: return lede_maybe_picture(t, len);
  case PICK_TEST_COPYRIGHT: return pick_copyright(t, len);
  case PICK_TEST_BY_ALONE: return cue_by_alone(t, len);
  case PICK_TEST_BY_EXPLICIT: return cue_by_explicit(t, len);
  case PICK_TEST_ABOUT: return pick_about(t, len);
  default: return 1;
  }
}

/* Appends index k to the result array at stack index `out` of length *n
 * (with `ends`, keeps it at most two long: the first and the last). */
static void pick_add(lua_State *L, int out, lua_Integer *n, int ends, lua_Integer k) {
  if (ends && *n >= 2) {
    lua_pushinteger(L, k);
    lua_rawseti(L, out, 2);
    return;
  }
  if (ends) {
    lua_pushinteger(L, k);
    lua_rawseti(L, out, 1);
    lua_pushinteger(L, k);
    lua_rawseti(L, out, 2);
    *n = 2;
    return;
  }
  lua_pushinteger(L, k);
  lua_rawseti(L, out, (int)++*n);
}

static void pick_bytes(lua_State *L, int idx, unsigned char *set, int *has, int spec, const char *name) {
  size_t n, k;
  const char *s;
  if (lua_type(L, idx) != LUA_TSTRING)
    luaL_error(L, "pick: spec %d: '%s' must be a string of bytes, got %s", spec, name, luaL_typename(L, idx));
  s = lua_tolstring(L, idx, &n);
  memset(set, 0, 256);
  for (k = 0; k < n; k++) set[(unsigned char)s[k]] = 1;
  *has = 1;
}

static lua_Integer pick_bound(lua_State *L, int idx, int spec, const char *name) {
  if (lua_type(L, idx) != LUA_TNUMBER)
    luaL_error(L, "pick: spec %d: '%s' must be a number, got %s", spec, name, luaL_typename(L, idx));
  return lua_tointeger(L, idx);
}

/* Reads spec table number `n` (at stack index `idx`) into `sp`. The kind
 * sets stay where they are in the specs table: their stack copies are
 * pushed here and stay on the stack until the end of the call. */
static void pick_read_spec(lua_State *L, int idx, int n, pick_spec *sp) {
  memset(sp, 0, sizeof *sp);
  sp->min = 0;
  sp->max = (lua_Integer)(((size_t)-1) >> 1);
  if (!lua_istable(L, idx)) luaL_error(L, "pick: spec %d must be a table, got %s", n, luaL_typename(L, idx));
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    const char *key;
    int opt;
    if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "pick: spec %d: option names must be strings", n);
    key = lua_tostring(L, -2);
    for (opt = 0; pick_options[opt] != NULL; opt++)
      if (strcmp(key, pick_options[opt]) == 0) break;
    switch (opt) {
    case 0: sp->min = pick_bound(L, -1, n, key); break;
    case 1: sp->max = pick_bound(L, -1, n, key); break;
    case 2: pick_bytes(L, -1, sp->first, &sp->has_first, n, key); break;
    case 3: pick_bytes(L, -1, sp->last, &sp->has_last, n, key); break;
    case 4:
    case 5:
      if (!lua_istable(L, -1))
        luaL_error(L, "pick: spec %d: '%s' must be a set table, got %s", n, key, luaL_typename(L, -1));
      break;
    case 6:
      if (!lua_isboolean(L, -1))
        luaL_error(L, "pick: spec %d: 'ends' must be a boolean, got %s", n, luaL_typename(L, -1));
      sp->ends = lua_toboolean(L, -1);
      break;
    case 7: {
      int t;
      const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      for (t = 1; name != NULL && pick_tests[t] != NULL; t++)
        if (strcmp(name, pick_tests[t]) == 0) break;
      if (name == NULL || pick_tests[t] == NULL)
        luaL_error(L,
                   "pick: spec %d: 'test' must be \"picture\", \"copyright\", \"by_alone\", \"by_explicit\" or "
                   "\"about\"",
                   n);
      sp->test = t;
      break;
    }
    case 8:
      sp->next_long = pick_bound(L, -1, n, key);
      if (sp->next_long < 0) sp->next_long = 0;
      break;
    default: luaL_error(L, "pick: spec %d: unknown option '%s'", n, key);
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, idx, "kinds");
  if (lua_isnil(L, -1)) lua_pop(L, 1);
  else sp->kinds = lua_gettop(L);
  lua_getfield(L, idx, "skip");
  if (lua_isnil(L, -1)) lua_pop(L, 1);
  else sp->skip = lua_gettop(L);
}

/* Whether the value at stack index `kind` is a key of the set at `set`. */
static int pick_in(lua_State *L, int set, int kind) {
  int in;
  if (lua_isnil(L, kind)) return 0;
  lua_pushvalue(L, kind);
  lua_rawget(L, set);
  in = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return in;
}

/* Whether block k + 1 or k + 2 of the blocks at stack index `idx` (of nb)
 * has a text of at least `min` bytes (one that is no string has none).
 * Leaves the stack as it was. */
static int pick_next_long(lua_State *L, int idx, lua_Integer k, lua_Integer nb, lua_Integer min) {
  lua_Integer j;
  for (j = k + 1; j <= k + 2 && j <= nb; j++) {
    size_t len = 0;
    if (lua_rawgeti(L, idx, (int)j) == LUA_TTABLE) {
      lua_pushliteral(L, "text");
      if (lua_rawget(L, -2) == LUA_TSTRING) len = lua_rawlen(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if ((lua_Integer)len >= min) return 1;
  }
  return 0;
}

/* core.pick(blocks, specs) -> one array of block indices per spec. */
static int l_pick(lua_State *L) {
  pick_spec specs[PICK_MAX_SPECS];
  int nspecs, s, need_kind = 0;
  lua_Integer nb, k;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  nspecs = (int)lua_rawlen(L, 2);
  if (nspecs > PICK_MAX_SPECS) return luaL_error(L, "pick: at most %d specs, got %d", PICK_MAX_SPECS, nspecs);
  luaL_checkstack(L, 4 * nspecs + 10, "pick: too many specs");
  for (s = 0; s < nspecs; s++) {
    lua_rawgeti(L, 2, s + 1);
    pick_read_spec(L, lua_gettop(L), s + 1, &specs[s]);
    if (specs[s].kinds || specs[s].skip) need_kind = 1;
  }
  nb = (lua_Integer)lua_rawlen(L, 1);
  for (s = 0; s < nspecs; s++) {
    lua_createtable(L, nb < 64 ? (int)nb : 64, 0);
    specs[s].out = lua_gettop(L);
  }
  for (k = 1; k <= nb; k++) {
    size_t len;
    const unsigned char *t;
    int block, kind = 0;
    lua_rawgeti(L, 1, (int)k);
    block = lua_gettop(L);
    if (!lua_istable(L, block)) return luaL_error(L, "pick: block %d is not a table", (int)k);
    lua_getfield(L, block, "text");
    if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "pick: block %d has no text", (int)k);
    t = (const unsigned char *)lua_tolstring(L, -1, &len);
    if (need_kind) {
      lua_getfield(L, block, "kind");
      kind = lua_gettop(L);
    }
    for (s = 0; s < nspecs; s++) {
      pick_spec *sp = &specs[s];
      if ((lua_Integer)len < sp->min || (lua_Integer)len > sp->max) continue;
      if (sp->has_first && (len == 0 || !sp->first[t[0]])) continue;
      if (sp->has_last && (len == 0 || !sp->last[t[len - 1]])) continue;
      if (sp->kinds && !pick_in(L, sp->kinds, kind)) continue;
      if (sp->skip && pick_in(L, sp->skip, kind)) continue;
      if (sp->test && !pick_shape(sp->test, t, len)) continue;
      if (sp->next_long > 0 && !pick_next_long(L, 1, k, nb, sp->next_long)) continue;
      pick_add(L, sp->out, &sp->n, sp->ends, k);
    }
    lua_settop(L, block - 1);
  }
  for (s = 0; s < nspecs; s++) lua_pushvalue(L, specs[s].out);
  return nspecs;
}

/* A compiled picker (core.picker): the specs read once, the kind sets
 * copied as lists of names and numbered (a block's kind is looked up once,
 * each set is then a bit mask), so that each call only reads the blocks. */
#define PICKER_MT "lede.Picker"
#define PICK_MAX_KINDS 16
#define PICK_KIND_LEN 32
#define PICK_MAX_NAMES 64
#define PICK_MAX_OTHERS 16

typedef struct {
  unsigned char len;
  char name[PICK_KIND_LEN];
} pick_kind;

typedef struct {
  lua_Integer min, max, next_long;
  int ends, test;
  int nkinds, nskip; /* -1 when the spec has no such set */
  pick_kind kinds[PICK_MAX_KINDS], skip[PICK_MAX_KINDS];
  uint64_t kinds_mask, skip_mask; /* bit n: name n of the picker */
} picker_spec;

typedef struct {
  int nspecs, nnames;
  /* bit s: spec s passes the first (last) byte test; that of an empty text;
   * the specs that test kinds */
  unsigned int first[256], last[256], empty, kinded;
  /* bit s: spec s has a kinds set; spec s keeps (leaves out) a block whose
   * kind is name n; the specs that keep a block of no kind or another */
  unsigned int with_kinds, keep[PICK_MAX_NAMES], skip[PICK_MAX_NAMES], keep_other;
  /* bit s: spec s keeps a text of l bytes (l < 256); it may keep a longer
   * one; it must compare the length of a longer one with its bounds; it has
   * a shape test */
  unsigned int length[256], long_any, long_bounded, tested;
  /* bit s: spec s wants a long block among the next two (`next_long`) */
  unsigned int nexted;
  pick_kind names[PICK_MAX_NAMES]; /* every kind name of the sets, once */
  /* the bytes of the Lua strings of those names, kept alive in the
   * picker's user value: a kind that is one of these very strings (as a
   * short string equal to one is, where Lua interns them) is found by its
   * address */
  const char *name_strings[PICK_MAX_NAMES];
  /* the same for the first kinds met that are none of the names and as
   * short as a name can be (kept alive after those in the user value) */
  int nothers;
  const char *other_strings[PICK_MAX_OTHERS];
  picker_spec specs[1];            /* nspecs of them */
} picker;

/* The bit of kind name `kind` among the picker's names (0: none of them). */
static uint64_t picker_bit(const picker *p, const char *kind, size_t len) {
  int n;
  for (n = 0; n < p->nnames; n++)
    if (p->names[n].len == len && (len == 0 || p->names[n].name[0] == kind[0])
        && memcmp(p->names[n].name, kind, len) == 0)
      return (uint64_t)1 << n;
  return 0;
}

/* The mask of the `n` names of a set, numbering the new ones. */
static uint64_t picker_mask(lua_State *L, picker *p, const pick_kind *set, int n) {
  uint64_t mask = 0;
  int k;
  for (k = 0; k < n; k++) {
    uint64_t bit = picker_bit(p, set[k].name, set[k].len);
    if (bit == 0) {
      if (p->nnames >= PICK_MAX_NAMES) luaL_error(L, "picker: at most %d kind names in all", PICK_MAX_NAMES);
      p->names[p->nnames] = set[k];
      bit = (uint64_t)1 << p->nnames++;
    }
    mask |= bit;
  }
  return mask;
}

/* Copies the names of the set at stack index `set` into `out`. */
static int picker_names(lua_State *L, int set, pick_kind *out, int spec, const char *name) {
  int n = 0;
  lua_pushnil(L);
  while (lua_next(L, set) != 0) {
    if (lua_toboolean(L, -1)) {
      size_t len;
      const char *k;
      if (lua_type(L, -2) != LUA_TSTRING)
        luaL_error(L, "picker: spec %d: the keys of '%s' must be kind names, got %s", spec, name,
                   luaL_typename(L, -2));
      k = lua_tolstring(L, -2, &len);
      if (n >= PICK_MAX_KINDS) luaL_error(L, "picker: spec %d: at most %d kinds in '%s'", spec, PICK_MAX_KINDS, name);
      if (len >= PICK_KIND_LEN)
        luaL_error(L, "picker: spec %d: kind name '%s' in '%s' is longer than %d bytes", spec, k, name,
                   PICK_KIND_LEN - 1);
      out[n].len = (unsigned char)len;
      memcpy(out[n].name, k, len);
      n++;
    }
    lua_pop(L, 1);
  }
  return n;
}

/* core.picker(specs) -> a lede.Picker. */
static int l_picker(lua_State *L) {
  int nspecs, s;
  picker *p;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  nspecs = (int)lua_rawlen(L, 1);
  if (nspecs > PICK_MAX_SPECS) return luaL_error(L, "pick: at most %d specs, got %d", PICK_MAX_SPECS, nspecs);
  p = (picker *)lua_newuserdatauv(L, sizeof(picker) + (size_t)(nspecs > 0 ? nspecs - 1 : 0) * sizeof(picker_spec), 1);
  memset(p, 0, sizeof(picker) + (size_t)(nspecs > 0 ? nspecs - 1 : 0) * sizeof(picker_spec));
  luaL_setmetatable(L, PICKER_MT);
  for (s = 0; s < nspecs; s++) {
    pick_spec sp;
    picker_spec *ps = &p->specs[s];
    int top = lua_gettop(L);
    lua_rawgeti(L, 1, s + 1);
    pick_read_spec(L, lua_gettop(L), s + 1, &sp);
    ps->min = sp.min;
    ps->max = sp.max;
    ps->ends = sp.ends;
    ps->test = sp.test;
    ps->next_long = sp.next_long;
    if (sp.next_long > 0) p->nexted |= 1u << s;
    ps->nkinds = sp.kinds ? picker_names(L, sp.kinds, ps->kinds, s + 1, "kinds") : -1;
    ps->nskip = sp.skip ? picker_names(L, sp.skip, ps->skip, s + 1, "skip") : -1;
    if (ps->nkinds > 0) ps->kinds_mask = picker_mask(L, p, ps->kinds, ps->nkinds);
    if (ps->nskip > 0) ps->skip_mask = picker_mask(L, p, ps->skip, ps->nskip);
    if (sp.kinds || sp.skip) p->kinded |= 1u << s;
    if (sp.test) p->tested |= 1u << s;
    if (sp.max >= 256) p->long_any |= 1u << s;
    if (sp.max >= 256 && (sp.min > 256 || sp.max < (lua_Integer)(((size_t)-1) >> 1))) p->long_bounded |= 1u << s;
    {
      int l;
      for (l = 0; l < 256; l++)
        if (sp.min <= l && l <= sp.max) p->length[l] |= 1u << s;
    }
    if (!sp.has_first && !sp.has_last) p->empty |= 1u << s;
    {
      int c;
      for (c = 0; c < 256; c++) {
        if (!sp.has_first || sp.first[c]) p->first[c] |= 1u << s;
        if (!sp.has_last || sp.last[c]) p->last[c] |= 1u << s;
      }
    }
    lua_settop(L, top);
  }
  p->nspecs = nspecs;
  lua_createtable(L, p->nnames, 0);
  for (s = 0; s < p->nnames; s++) {
    lua_pushlstring(L, p->names[s].name, p->names[s].len);
    p->name_strings[s] = lua_tostring(L, -1);
    lua_rawseti(L, -2, s + 1);
  }
  lua_setiuservalue(L, 2, 1);
  for (s = 0; s < nspecs; s++) {
    const picker_spec *ps = &p->specs[s];
    int n;
    if (ps->nkinds >= 0) p->with_kinds |= 1u << s;
    else p->keep_other |= 1u << s;
    for (n = 0; n < p->nnames; n++) {
      if (ps->nkinds < 0 || (ps->kinds_mask >> n & 1u)) p->keep[n] |= 1u << s;
      if (ps->nskip > 0 && (ps->skip_mask >> n & 1u)) p->skip[n] |= 1u << s;
    }
  }
  return 1;
}

/* The specs that keep block k of the blocks at stack index 2 (a bit per
 * spec). Leaves the stack as it was. (Upvalues of picker_pick: the strings
 * "text" and "kind"; the fields are read raw.) */
static unsigned int picker_block(lua_State *L, picker *p, lua_Integer k, size_t *olen) {
  size_t len;
  const unsigned char *t;
  unsigned int m, keep = 0;
  int s, pushed = 2;
  if (lua_rawgeti(L, 2, (int)k) != LUA_TTABLE) luaL_error(L, "pick: block %d is not a table", (int)k);
  lua_pushvalue(L, lua_upvalueindex(1));
  if (lua_rawget(L, -2) != LUA_TSTRING) luaL_error(L, "pick: block %d has no text", (int)k);
  t = (const unsigned char *)lua_tolstring(L, -1, &len);
  *olen = len;
  m = len == 0 ? p->empty : p->first[t[0]] & p->last[t[len - 1]];
  if (len < 256) {
    m &= p->length[len];
  } else {
    unsigned int b = m & p->long_bounded;
    m &= p->long_any;
    for (s = 0; b != 0; s++, b >>= 1)
      if ((b & 1u) && ((lua_Integer)len < p->specs[s].min || (lua_Integer)len > p->specs[s].max))
        m &= ~(1u << s);
  }
  if (m & p->kinded) {
    int n = p->nnames;
    lua_pushvalue(L, lua_upvalueindex(2));
    pushed = 3;
    if (lua_rawget(L, -3) == LUA_TSTRING) {
      size_t klen;
      const char *kind = lua_tolstring(L, -1, &klen);
      int o;
      for (n = 0; n < p->nnames && p->name_strings[n] != kind; n++) {}
      for (o = 0; n == p->nnames && o < p->nothers && p->other_strings[o] != kind; o++) {}
      if (n == p->nnames && o == p->nothers) {
        uint64_t bit = picker_bit(p, kind, klen);
        if (bit != 0) {
          for (n = 0; !(bit >> n & 1u); n++) {}
        } else if (p->nothers < PICK_MAX_OTHERS && klen < PICK_KIND_LEN) {
          lua_getiuservalue(L, 1, 1);
          lua_pushvalue(L, -2);
          lua_rawseti(L, -2, p->nnames + p->nothers + 1);
          lua_pop(L, 1);
          p->other_strings[p->nothers++] = kind;
        }
      }
    }
    if (n == p->nnames) m &= p->keep_other;
    else m &= p->keep[n] & ~p->skip[n];
  }
  keep = m & ~p->tested;
  for (s = 0, m &= p->tested; m != 0; s++, m >>= 1)
    if ((m & 1u) && pick_shape(p->specs[s].test, t, len)) keep |= 1u << s;
  lua_pop(L, pushed);
  return keep;
}

/* Blocks whose specs' bits a pick keeps on the C stack, so that each array
 * is made at its final size; a longer document's arrays grow as they fill. */
#define PICK_STACK_BLOCKS 1024

/* Pushes the array of spec s (0-based): a new one of `size` slots, or,
 * with `into` (a stack index, 0: none), the array into[s + 1] (made and
 * stored there when it is not a table), whose length goes to *old. */
static void picker_array(lua_State *L, int into, int s, int size, lua_Integer *old) {
  *old = 0;
  if (into != 0) {
    if (lua_rawgeti(L, into, s + 1) == LUA_TTABLE) {
      *old = (lua_Integer)lua_rawlen(L, -1);
      return;
    }
    lua_pop(L, 1);
  }
  lua_createtable(L, size, 0);
  if (into != 0) {
    lua_pushvalue(L, -1);
    lua_rawseti(L, into, s + 1);
  }
}

/* Empties slots n + 1 .. old of the array at stack index idx (what a
 * reused array held past its new length). */
static void picker_trim(lua_State *L, int idx, lua_Integer n, lua_Integer old) {
  for (; old > n; old--) {
    lua_pushnil(L);
    lua_rawseti(L, idx, (int)old);
  }
}

/* picker:pick(blocks [, into]) -> one array of block indices per spec, as
 * core.pick; with `into`, the arrays into[1], into[2], ... are emptied and
 * refilled (made when absent) instead of new ones. */
static int picker_pick(lua_State *L) {
  picker *p = (picker *)luaL_checkudata(L, 1, PICKER_MT);
  int nspecs = p->nspecs, s, out, into = 0;
  lua_Integer nb, k, counts[PICK_MAX_SPECS], firsts[PICK_MAX_SPECS], olds[PICK_MAX_SPECS];
  unsigned int keeps[PICK_STACK_BLOCKS], lists = ~0u;
  size_t lens[PICK_STACK_BLOCKS], len;
  luaL_checktype(L, 2, LUA_TTABLE);
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    into = 3;
  }
  lua_settop(L, 3);
  luaL_checkstack(L, nspecs + 10, "pick: too many specs");
  nb = (lua_Integer)lua_rawlen(L, 2);
  out = lua_gettop(L) + 1;
  for (s = 0; s < nspecs; s++) counts[s] = 0;
  if (nb <= PICK_STACK_BLOCKS) {
    for (k = 1; k <= nb; k++) keeps[k - 1] = picker_block(L, p, k, &lens[k - 1]);
    for (k = 1; k <= nb; k++) {
      unsigned int m = keeps[k - 1], x = m & p->nexted;
      /* (`next_long`: the lengths of blocks k + 1 and k + 2) */
      for (; x != 0; x &= x - 1) {
        s = pick_low(x);
        if (!(k < nb && (lua_Integer)lens[k] >= p->specs[s].next_long)
            && !(k + 1 < nb && (lua_Integer)lens[k + 1] >= p->specs[s].next_long))
          m &= ~(1u << s);
      }
      keeps[k - 1] = m;
      for (; m != 0; m &= m - 1) counts[pick_low(m)]++;
    }
    /* (an `ends` array takes the first and the last index, found here) */
    for (s = 0; s < nspecs; s++) {
      lua_Integer n = counts[s];
      picker_array(L, into, s, p->specs[s].ends ? (n > 0 ? 2 : 0) : (int)n, &olds[s]);
      if (p->specs[s].ends) lists &= ~(1u << s);
      counts[s] = 0;
      firsts[s] = 0;
    }
    for (k = 1; k <= nb; k++) {
      unsigned int m = keeps[k - 1];
      for (; m != 0; m &= m - 1) {
        s = pick_low(m);
        if (lists >> s & 1u) {
          lua_pushinteger(L, k);
          lua_rawseti(L, out + s, (int)++counts[s]);
        } else {
          if (firsts[s] == 0) firsts[s] = k;
          counts[s] = k;
        }
      }
    }
    for (s = 0; s < nspecs; s++) {
      if (lists >> s & 1u) {
        if (olds[s] > counts[s]) picker_trim(L, out + s, counts[s], olds[s]);
        continue;
      }
      if (firsts[s] == 0) {
        if (olds[s] > 0) picker_trim(L, out + s, 0, olds[s]);
        continue;
      }
      lua_pushinteger(L, firsts[s]);
      lua_rawseti(L, out + s, 1);
      lua_pushinteger(L, counts[s]);
      lua_rawseti(L, out + s, 2);
      if (olds[s] > 2) picker_trim(L, out + s, 2, olds[s]);
    }
    return nspecs;
  }
  for (s = 0; s < nspecs; s++) picker_array(L, into, s, p->specs[s].ends ? 2 : 8, &olds[s]);
  for (k = 1; k <= nb; k++) {
    unsigned int m = picker_block(L, p, k, &len), x = m & p->nexted;
    for (s = 0; x != 0; s++, x >>= 1)
      if ((x & 1u) && !pick_next_long(L, 2, k, nb, p->specs[s].next_long)) m &= ~(1u << s);
    for (s = 0; m != 0; s++, m >>= 1)
      if (m & 1u) pick_add(L, out + s, &counts[s], p->specs[s].ends, k);
  }
  for (s = 0; s < nspecs; s++)
    if (olds[s] > counts[s]) picker_trim(L, out + s, counts[s], olds[s]);
  return nspecs;
}

static int picker_tostring(lua_State *L) {
  const picker *p = (const picker *)luaL_checkudata(L, 1, PICKER_MT);
  lua_pushfstring(L, "lede.Picker (%d specs)", p->nspecs);
  return 1;
}

/* The byline cues of a text of the header region (core.byline_cues): bytes
 * without which none of the metadata's name and byline patterns can match
 * it. Each test below is a necessary condition of one pattern, read on the
 * bytes: a byte above 127 where a pattern could read a letter or a space
 * passes. */

/* Bit 7 of each byte of x that is an ASCII byte from lo to hi (the eight
 * bytes tested at once). */
static uint64_t cue_swar_range(uint64_t x, unsigned int lo, unsigned int hi) {
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  uint64_t x7 = x & ~high;
  return (x7 + ones * (0x80u - lo)) & ~(x7 + ones * (0x7Fu - hi)) & ~x & high;
}

/* Bit 7 of each byte of x that equals c. */
static uint64_t cue_swar_eq(uint64_t x, unsigned int c) {
  const uint64_t low = 0x7F7F7F7F7F7F7F7Fu;
  uint64_t y = x ^ (0x0101010101010101u * c);
  return ~(((y & low) + low) | y) & ~low;
}

/* Where bytes k .. k + 7 of t (len bytes) hold no ASCII byte from lo to
 * hi: the end of the bytes to test byte by byte from k (k + 8 when they
 * hold one, len when fewer than eight are left), or 0 to skip them. */
static size_t cue_span(const unsigned char *t, size_t len, size_t k, unsigned int lo, unsigned int hi) {
  uint64_t x;
  if (len - k < 8) return len;
  memcpy(&x, t + k, 8);
  return cue_swar_range(x, lo, hi) != 0 ? k + 8 : 0;
}

/* Whether a and b (two bytes in a row) start a credential. */
static int cue_credential_at(int a, int b) {
  return a >= 'A' && a <= 'Z'
         && ((b >= 'A' && b <= 'Z') || (a == 'P' && (b == 'h' || b == 's')) || (a == 'E' && b == 'd'));
}

/* "[A-Z][A-Z]", "Ph", "Ps" or "Ed": the first two bytes of every credential
 * ("MD", "PhD", "PsyD", "EdD", ...). (The pairs that start at eight bytes
 * in a row are tested at once.) */
static int cue_credentials(const unsigned char *t, size_t len) {
  size_t k = 0;
  for (; k + 9 <= len; k += 8) {
    uint64_t x, y;
    memcpy(&x, t + k, 8);
    memcpy(&y, t + k + 1, 8);
    if ((cue_swar_range(x, 'A', 'Z') & cue_swar_range(y, 'A', 'Z'))
        | (cue_swar_eq(x, 'P') & (cue_swar_eq(y, 'h') | cue_swar_eq(y, 's')))
        | (cue_swar_eq(x, 'E') & cue_swar_eq(y, 'd')))
      return 1;
  }
  for (; k + 1 < len; k++)
    if (cue_credential_at(t[k], t[k + 1])) return 1;
  return 0;
}

/* "by", "By" or "BY" after no ASCII letter, digit or "_" and before white
 * space or ":" (or a byte above 127 on either side). */
static int cue_by_word_at(const unsigned char *t, size_t len, int y) {
  const unsigned char *p = t + 1, *end = t + len;
  while (p + 1 < end && (p = (const unsigned char *)memchr(p, y, (size_t)(end - 1 - p))) != NULL) {
    size_t k = (size_t)(p - t) - 1;
    int a = t[k], c = t[k + 2];
    p++;
    if (!(a == 'B' || (a == 'b' && y == 'y'))) continue;
    if (k > 0 && pick_word(t[k - 1])) continue;
    if (c == ' ' || c == ':' || (c >= '\t' && c <= '\r') || c >= 0x80) return 1;
  }
  return 0;
}

static int cue_by_word(const unsigned char *t, size_t len) {
  return len >= 3 && (cue_by_word_at(t, len, 'y') || cue_by_word_at(t, len, 'Y'));
}

/* The length of the character at t[i] when it is certainly no letter,
 * digit or "_" for a Unicode pattern (an ASCII one, U+00A0 to U+00BF but for
 * its letters and digits, U+2000 to U+206F, U+25A0 to U+25FF), else 0 (a
 * byte of no such character, or an invalid sequence). */
static size_t cue_nonword_at(const unsigned char *t, size_t len, size_t i) {
  int a = t[i];
  if (a < 0x80) return pick_word(a) ? 0 : 1;
  if (a == 0xC2 && i + 1 < len) {
    int b = t[i + 1];
    if (b >= 0xA0 && b <= 0xBF && b != 0xAA && b != 0xB2 && b != 0xB3 && b != 0xB5 && b != 0xB9 && b != 0xBA
        && b != 0xBC && b != 0xBD && b != 0xBE)
      return 2;
    return 0;
  }
  if (a == 0xE2 && i + 2 < len && t[i + 2] >= 0x80 && t[i + 2] <= 0xBF) {
    int b = t[i + 1];
    int c = t[i + 2];
    /* (U+203F, U+2040 and U+2054 join words for some PCRE2 versions) */
    if ((b == 0x80 && c != 0xBF) || (b == 0x81 && c < 0xB0 && c != 0x80 && c != 0x94) || (b == 0x96 && c >= 0xA0)
        || b == 0x97)
      return 3;
  }
  return 0;
}

/* The same for the character that ends at t[e - 1]. */
static size_t cue_nonword_before(const unsigned char *t, size_t e) {
  if (t[e - 1] < 0x80) return pick_word(t[e - 1]) ? 0 : 1;
  if (e >= 2 && t[e - 2] == 0xC2) return cue_nonword_at(t, e, e - 2);
  if (e >= 3 && t[e - 3] == 0xE2) return cue_nonword_at(t, e, e - 3);
  return 0;
}

/* "By", "Written by:", "About the author" alone (the phrases of
 * pick_by_alone): without the characters that are certainly no word
 * characters at both ends, the text is one of the phrases, or holds a byte
 * above 127. */
static int cue_by_alone(const unsigned char *t, size_t len) {
  size_t i = 0, e = len, n, k;
  while (i < e && (n = cue_nonword_at(t, e, i)) > 0) i += n;
  while (e > i && (n = cue_nonword_before(t, e)) > 0) e -= n;
  for (k = i; k + 8 <= e; k += 8) {
    uint64_t x;
    memcpy(&x, t + k, 8);
    if (x & 0x8080808080808080u) return 1;
  }
  for (; k < e; k++)
    if (t[k] >= 0x80) return 1;
  return pick_by_alone(t + i, e - i);
}

/* Whether t starts, after the characters that are certainly no word
 * characters, with one of the lower-case ASCII phrases (ASCII case folded);
 * firsts holds their first letters. A byte above 127 met before the end of
 * a comparison passes (the patterns decide those). */
static int cue_phrase_start(const unsigned char *t, size_t len, const char *const *phrases,
                            const char *firsts) {
  size_t i = 0, n, k;
  int p, first;
  while (i < len && (n = cue_nonword_at(t, len, i)) > 0) i += n;
  if (i >= len) return 0;
  if (t[i] >= 0x80) return 1;
  first = pick_lower(t[i]);
  if (strchr(firsts, first) == NULL) return 0;
  for (p = 0; phrases[p] != NULL; p++) {
    const char *w = phrases[p];
    if ((unsigned char)w[0] != first) continue;
    for (k = 1; w[k] != '\0'; k++) {
      if (i + k >= len) break;
      if (t[i + k] >= 0x80) return 1;
      if (pick_lower(t[i + k]) != (unsigned char)w[k]) break;
    }
    if (w[k] == '\0') return 1;
  }
  return 0;
}

/* "Author:", "Written by" (the phrases of pick_by_explicit): after the
 * characters that are certainly no word characters at its start, the text
 * starts with one of the phrases; a byte above 127 met first passes. */
static int cue_by_explicit(const unsigned char *t, size_t len) {
  static const char *const phrases[] = {
    "author", "about the author", "written by", "posted by", "article written by", "article posted by",
    "post written by", "post posted by", "story written by", "story posted by", NULL };
  return cue_phrase_start(t, len, phrases, "awps");
}

/* An author's photo (the pattern of lede_maybe_picture): the first three bytes
 * start a picture word, or the text ends like one after a capital; a start
 * above 127 that is no letter never can, one that may be passes when the
 * end does (or when it may be a dotted or dotless "i"). */
static int cue_picture(const unsigned char *t, size_t len) {
  int a, y, z, k;
  static const char *const ends[] = { "to", "ot", "ar", "it", "re", "ge", NULL };
  if (len < 3) return 0;
  a = t[0];
  if (a < 0x80) return maybe_picture_ends(t, len) != 0;
  if (!maybe_picture_ends(t, len)) return 0;
  if (a == 0xC4) return 1;
  y = t[len - 2], z = t[len - 1];
  if (y >= 128 || z >= 128 || z == '\n') return 1;
  for (k = 0; ends[k] != NULL; k++)
    if (ends[k][0] == pick_lower(y) && ends[k][1] == pick_lower(z)) return 1;
  return 0;
}

/* A year of 1900 to 2100 in ASCII digits: "19dd", "20dd" or "2100".
 * (Eight bytes without a "1" or "2" are passed at once.) */
static int cue_year(const unsigned char *t, size_t len) {
  size_t k = 0, stop;
  while (k + 3 < len) {
    if ((stop = cue_span(t, len, k, '1', '2')) == 0) {
      k += 8;
      continue;
    }
    for (; k < stop && k + 3 < len; k++) {
      if ((t[k] == '1' && t[k + 1] == '9') || (t[k] == '2' && (t[k + 1] == '0' || t[k + 1] == '1'))) {
        if (t[k + 2] < '0' || t[k + 2] > '9' || t[k + 3] < '0' || t[k + 3] > '9') continue;
        if (t[k + 1] != '1' || (t[k + 2] == '0' && t[k + 3] == '0')) return 1;
      }
    }
  }
  return 0;
}

/* A start like a byline's: after the leading bytes that are no ASCII letter,
 * digit or "_", one of the phrases below (ASCII case folded). A byte above
 * 127 met before the end of the comparison passes. */
static int cue_by_start(const unsigned char *t, size_t len) {
  static const char *const phrases[] = { "by", "written by", "posted by", "words by", "story by", "report",
                                         "author", "text by", "about the author", NULL };
  return cue_phrase_start(t, len, phrases, "bwpsrat");
}

/* The text of block k of the blocks at stack index 1, kept at stack index
 * `slot`, or NULL (nil kept there) when the block is absent (k beyond the
 * end) and `absent_ok`. (Upvalue of l_byline_cues: the string "text"; the
 * field is read raw.) */
static const unsigned char *cue_text(lua_State *L, lua_Integer k, int slot, size_t *len, int absent_ok) {
  if (lua_rawgeti(L, 1, (int)k) != LUA_TTABLE) {
    if (absent_ok && lua_isnil(L, -1)) {
      lua_replace(L, slot);
      return NULL;
    }
    luaL_error(L, "byline_cues: block %d is not a table", (int)k);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  if (lua_rawget(L, -2) != LUA_TSTRING) luaL_error(L, "byline_cues: block %d has no text", (int)k);
  lua_replace(L, slot);
  lua_pop(L, 1);
  return (const unsigned char *)lua_tolstring(L, slot, len);
}

/* Whether a header block's text (next: the next block's, or NULL) has a
 * byline cue (bracket: whether it holds a "["). The tests that read a few
 * bytes come first, those that read them all last. */
static int cue_block(const unsigned char *t, size_t len, const unsigned char *next, size_t nlen, int bracket) {
  if (bracket) return 1;
  if (len > 240) return 0;
  if (len <= 60 && next != NULL && nlen == len && memcmp(t, next, len) == 0) return 1;
  if (len <= 200 && cue_picture(t, len)) return 1;
  if (len <= 120 && (cue_by_alone(t, len) || cue_by_start(t, len))) return 1;
  return cue_by_word(t, len) || cue_credentials(t, len) || (len <= 120 && cue_year(t, len));
}

/* Whether a text of at most 80 bytes can start with a person's name alone:
 * its part before the first "," without the leading bytes of "\226\128\162",
 * ASCII white space and "*" holds ASCII white space, two bytes that can
 * start a capitalised word (A-Z, or above 194), and no ASCII digit nor "@". */
static int cue_name(const unsigned char *t, size_t len) {
  size_t i = 0, k, e;
  const unsigned char *comma;
  unsigned int stop = 0, space = 0, caps = 0;
  if (len > 80) return 0;
  while (i < len && (t[i] == 0xE2 || t[i] == 0x80 || t[i] == 0xA2 || t[i] == ' ' || t[i] == '*'
                     || (t[i] >= '\t' && t[i] <= '\r')))
    i++;
  /* (the bytes to the "," read without a branch on each, eight at a
   * time: bit 7 of each byte for each class, the capitals counted by
   * adding up those bits) */
  comma = (const unsigned char *)memchr(t + i, ',', len - i);
  e = comma != NULL ? (size_t)(comma - t) : len;
  for (k = i; k + 8 <= e; k += 8) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t x, up;
    memcpy(&x, t + k, 8);
    stop |= (cue_swar_range(x, '0', '9') | cue_swar_eq(x, '@')) != 0;
    space |= (cue_swar_eq(x, ' ') | cue_swar_range(x, '\t', '\r')) != 0;
    /* (A to Z, or a byte of 195 or more: above 127 with 67 or more in its
     * low seven bits) */
    up = cue_swar_range(x, 'A', 'Z') | (x & high & ((x & ~high) + ones * (0x80u - 0x43u)));
    caps += (unsigned int)(((up >> 7) * ones) >> 56);
  }
  for (; k < e; k++) {
    unsigned int c = t[k];
    stop |= (c - '0' < 10u) | (c == '@');
    space |= (c == ' ') | (c - '\t' < 5u);
    caps += (c - 'A' < 26u) | (c >= 195u);
  }
  return !stop && space && caps >= 2;
}

/* core.byline_cues(blocks, lo, hi) -> a string of one byte per block lo..hi:
 * "0" plus 1 for a byline cue, plus 2 for a name cue, plus 4 for a lead
 * cue. */
static int l_byline_cues(lua_State *L) {
  lua_Integer lo, hi, k, nb;
  luaL_Buffer b;
  const unsigned char *held = NULL; /* block k's text when read as the one after k - 1 */
  size_t held_len = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  lo = luaL_checkinteger(L, 2);
  hi = luaL_checkinteger(L, 3);
  /* (4: the text of block k; 5: that of block k + 1, when read) */
  lua_settop(L, 5);
  nb = (lua_Integer)lua_rawlen(L, 1);
  if (lo < 1 || hi > nb)
    return luaL_error(L, "byline_cues: range %d..%d is outside the %d blocks", (int)lo, (int)hi, (int)nb);
  luaL_buffinit(L, &b);
  for (k = lo; k <= hi; k++) {
    size_t len, nlen = 0;
    const unsigned char *t, *next = NULL;
    int cue, bracket;
    if (held != NULL) {
      lua_pushvalue(L, 5);
      lua_replace(L, 4);
      t = held, len = held_len;
    } else {
      t = cue_text(L, k, 4, &len, 0);
    }
    held = NULL;
    if (len <= 60 && k < nb) {
      next = cue_text(L, k + 1, 5, &nlen, 1);
      held = next, held_len = nlen;
    }
    bracket = memchr(t, '[', len) != NULL;
    cue = cue_block(t, len, next, nlen, bracket) + (bracket || cue_name(t, len) ? 2 : 0);
    luaL_addchar(&b, (char)('0' + cue));
  }
  luaL_pushresult(&b);
  return 1;
}

void lede_open_pick(lua_State *L) {
  static const luaL_Reg methods[] = { { NULL, NULL } };
  lede_new_type(L, PICKER_MT, methods, NULL, picker_tostring, NULL);
  luaL_getmetatable(L, PICKER_MT);
  lua_getfield(L, -1, "__index");
  lua_pushliteral(L, "text");
  lua_pushliteral(L, "kind");
  lua_pushcclosure(L, picker_pick, 2);
  lua_setfield(L, -2, "pick");
  lua_pop(L, 2);
  lua_pushcfunction(L, l_picker);
  lua_setfield(L, -2, "picker");

  lua_pushcfunction(L, l_pick);
  lua_setfield(L, -2, "pick");
  lua_pushliteral(L, "text");
  lua_pushcclosure(L, l_byline_cues, 1);
  lua_setfield(L, -2, "byline_cues");
}
