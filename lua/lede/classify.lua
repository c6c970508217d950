--- Block classification: which blocks are the article, and what the rest is.
--
-- Three steps per document, in the spirit of jusText (Pomikálek 2011), adapted
-- to plain-text dumps where each paragraph is one line:
--
-- 1. Context-free class of every block from `core.features`: `bad` (menu
--    shape, links, too few stopwords, a paragraph the page repeats), `short`
--    (under `length_low` chars), `near-good` (enough stopwords, not long) or
--    `good` (long, or a paragraph of sentences, with enough stopwords), for
--    the document's language (stopword lists of `lede.rules.stopwords`).
-- 2. Rules of the stacked packs (user first, then site packs, then default):
--    phrases, prefixes and PCRE2 patterns that give a block its kind
--    (navigation, widget, related, tags, caption, byline, dateline, ...).
--    A rule with `list = true` also labels the list that follows it, one with
--    `section = true` everything after it (comments); `inline` blocks
--    (images, captions) are looked through by the revision.
-- 3. Revision from the neighbours (within `neighbour_reach` blocks): a short
--    block between good ones is good, between bad ones bad; a near-good block
--    next to good is good; short sentences at the article's edges are kept.
--    Then the structure around the article: clusters of good text far from
--    the strongest one (teasers, cookie notices) are dropped, a standfirst
--    set apart by byline or date is dropped, the title is picked above the
--    article, short headings inside it are kept, related headlines and tag
--    lines below it are labelled.
--
-- Every block's `rule` says what set its kind: a rule id (`sputnik:widget#2`,
-- `default:share`) or a classifier decision (`classifier:good`,
-- `classifier:short-between-good`, ...); docs/rules.md lists them.
--
-- A rule pattern that exceeds the PCRE2 match limits raises an error naming
-- the rule and its file:line: a broken rule is reported, never skipped quietly.
--
-- @module lede.classify

local core = require "lede.core"
local packs_mod = require "lede.packs"

local error, ipairs, next, pairs, pcall, rawget, rawset, require, tonumber, tostring, type = error,
  ipairs, next, pairs, pcall, rawget, rawset, require, tonumber, tostring, type
local setmetatable = setmetatable
local string_format = string.format
local math_min, math_max, math_huge, math_floor = math.min, math.max, math.huge, math.floor
local table_concat = table.concat
local string_byte = string.byte
local features, block_features, core_phrase_key = core.features, core.block_features, core.phrase_key
local rule_hits, block_classes, revise_classes = core.rule_hits, core.block_classes, core.revise_classes
local pool_tables = core.pool_tables
local good_span, number_starts = core.good_span, core.number_starts
local title_range, title_candidates, title_scores = core.title_range, core.title_candidates, core.title_scores
local title_best = core.title_best
local label_blocks, stopword_density = core.label_blocks, core.stopword_density
local title_text, final_kinds = core.title_text, core.final_kinds
local may_date = core.may_date
local number_lines = core.number_lines
local signature_packs = core.signature_packs

local M = {}

--- Languages with a stopword list under `lede.rules.stopwords`.
M.languages = {
  "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "ru", "tr", "id", "cs",
  "ro", "hu", "uk", "el", "ko", "ca", "hr", "sk", "vi", "bg", "sr", "ms", "tl", "ar", "fa", "he", "hi",
}

local stop_cache, profile_cache = {}, nil

--- The stopwords of a language as a `lede.WordSet` (`core.wordset`), or nil.
-- @tparam string lang ISO 639-1 code
-- @treturn userdata|nil
function M.stopwords(lang)
  local set = stop_cache[lang]
  if set ~= nil then return set or nil end
  local ok, list = pcall(require, "lede.rules.stopwords." .. tostring(lang))
  if not ok or type(list) ~= "table" then
    stop_cache[lang] = false
    return nil
  end
  set = core.wordset(list)
  stop_cache[lang] = set
  return set
end

-- Language profiles: the first 100 words of each list, indexed by word (a
-- word -> the languages whose profile has it), so that one pass over a text
-- scores every language.
local function profiles()
  if profile_cache then return profile_cache end
  local index, langs = {}, {}
  for _, lang in ipairs(M.languages) do
    local ok, list = pcall(require, "lede.rules.stopwords." .. lang)
    if ok and type(list) == "table" then
      langs[#langs + 1] = lang
      local n = #langs
      for k = 1, 100 do
        local w = list[k]
        if not w then break end
        local l = index[w]
        if not l then l = {}; index[w] = l end
        l[#l + 1] = n
      end
    end
  end
  local lower = true
  for w in pairs(index) do
    if w ~= w:lower() then lower = false break end
  end
  -- (and compiled, for `core.profile_counts` to look words up without
  -- making strings; the table itself past 255 languages)
  local ok, compiled = pcall(core.profile_index, index)
  profile_cache = { index = index, compiled = ok and compiled or index, langs = langs, lower = lower }
  return profile_cache
end

--- Guesses the language of a text from stopword profiles.
-- The language whose 100 most frequent words cover most of the text's words
-- wins; nil when none covers a twelfth of them, or fewer than three of them
-- (a sentence's "to" and "'s" make no Czech).
-- @tparam string text a sample of running text (a few KB is plenty)
-- @treturn string|nil ISO 639-1 code, or nil when no profile fits
function M.detect_language(text)
  if type(text) ~= "string" or text == "" then return nil end
  local p = profiles()
  -- (when the profiles' words are all lower case, a short text is folded
  -- at once; the words, up to 400, and their counts by profile, in one
  -- pass: `core.profile_counts`)
  local short = p.lower and #text <= 16384
  local words, counts = core.profile_counts(text, p.compiled, short, 400)
  if words < 5 then return nil end
  local best, best_c = nil, 0
  for n, c in pairs(counts) do
    -- ties go to the language listed first (the more widely used one)
    if c > best_c or (c == best_c and best and n < best) then best, best_c = n, c end
  end
  if not best or best_c / words < 0.08 or best_c < 3 then return nil end
  return p.langs[best]
end

-- A text reduced to a phrase key (see `core.features`: `key`): lower case, no
-- non-word characters at either end, inner white space folded.
local function phrase_key(s)
  return core_phrase_key(s) or s:lower()
end
M.phrase_key = phrase_key

-- Kinds whose rules end a section (comments end where the footer starts).
local SECTION_END = { footer = true, related = true }

-- Upper word counts of the pattern buckets (the last is unbounded; keep
-- core.rule_hits, src/regex.c, in step).
local BUCKETS = { 8, 16, 40, 80, math_huge }

-- The keys of a table as an exact `core.wordset`, or nil when one is not
-- 1 to 255 bytes.
local function key_set(t)
  local list = {}
  for k in pairs(t) do
    if #k < 1 or #k > 255 then return nil end
    list[#list + 1] = k
  end
  return core.wordset(list, { exact = true })
end

-- Compiles one pack's block rules for matching.
local function compile_pack(pack)
  packs_mod.compile(pack)
  -- (_prep false: `core.rule_hits` keeps the parts it reads in c, once)
  local c = { pack = pack, phrases = {}, prefixes = {}, patterns = {}, language = pack.language,
              _prep = false }
  for _, r in ipairs(pack.blocks or {}) do
    -- the language a rule is written for: its own, else its pack's ("any": all)
    local rl = r.language or pack.language
    if rl == "any" then rl = nil end
    r._language = rl
    for _, p in ipairs(r.phrases or {}) do
      local k = phrase_key(p)
      if k ~= "" and c.phrases[k] == nil then c.phrases[k] = r end
    end
    for _, p in ipairs(r.prefixes or {}) do
      local k = phrase_key(p)
      local first = k:match("^[^%s]+")
      if first then
        local list = c.prefixes[first]
        if not list then list = {}; c.prefixes[first] = list end
        list[#list + 1] = { key = k, rule = r }
      end
    end
    if r.pattern then c.patterns[#c.patterns + 1] = r end
  end
  c.has_prefixes = next(c.prefixes) ~= nil
  -- the phrase keys and the prefixes' first words as exact sets, so that
  -- `core.rule_hits` tells a block that is none of them without a Lua
  -- string (nil when a key does not fit a set: 1 to 255 bytes)
  c.phrase_set, c.prefix_set = key_set(c.phrases), key_set(c.prefixes)
  -- (and the first words of both: a block whose key starts otherwise is
  -- neither, and `core.rule_hits` reads no more of its key)
  local firsts = {}
  for k in pairs(c.phrases) do firsts[k:match("^[^ ]*")] = true end
  for k in pairs(c.prefixes) do firsts[k] = true end
  c.first_set = key_set(firsts)
  -- (the longest phrase key: a block with a longer key matches none)
  local phrase_max = 0
  for k in pairs(c.phrases) do
    if #k > phrase_max then phrase_max = #k end
  end
  c.phrase_max = phrase_max
  -- (and the longest prefix key: a block's key past both is not read on)
  local prefix_max = 0
  for _, list in pairs(c.prefixes) do
    for _, e in ipairs(list) do
      if #e.key > prefix_max then prefix_max = #e.key end
    end
  end
  c.prefix_max = prefix_max
  -- one regex set per block-length bucket: a long block only meets the
  -- patterns whose max_words allow it
  c.buckets = {}
  for n, limit in ipairs(BUCKETS) do
    local pats, entries = {}, {}
    for _, r in ipairs(c.patterns) do
      if not r.max_words or r.max_words >= (BUCKETS[n - 1] or 0) + 1 then
        pats[#pats + 1] = r
        local needles, exact = packs_mod.needles(r.pattern, r.flags)
        entries[#entries + 1] = { pattern = r.pattern, flags = r.flags or "",
                                  name = r._id .. " (" .. tostring(r._where) .. ")",
                                  needles = needles, exact = exact }
      end
    end
    -- (a bucket with the same patterns as the one before shares its set:
    -- the blocks of both meet one compiled copy of them)
    local prev = c.buckets[n - 1]
    if prev and #prev.patterns == #pats then
      local same = true
      for q = 1, #pats do
        if prev.patterns[q] ~= pats[q] then same = false break end
      end
      if same then entries, pats = {}, prev.patterns end
    end
    local set = prev and pats == prev.patterns and prev.set or nil
    if #entries > 0 then
      -- (the patterns of the first bucket's set, compiled once: the other
      -- buckets' sets share them)
      local first = c.buckets[1] and c.buckets[1].set
      local ok, res = pcall(core.regexset, entries, first and { share = first } or nil)
      if not ok then
        local origin = pack._origin or {}
        error(string_format("%s: pack %s: %s", tostring(origin.file or pack.name), pack.name, tostring(res)), 0)
      end
      set = res
    end
    c.buckets[n] = { limit = limit, set = set, patterns = pats }
  end
  return c
end

-- Step 2 for a document: the first rule of the active packs that labels
-- each block near the article (and at the page's end), and the lists and
-- sections that header rules announce. Returns the kinds and rule ids set,
-- by block index; updates cls.
local function apply_rules(blocks, flat, cls, active, lang, first_good, last_good, state)
  local nb = #blocks
  -- far from any good block, a block keeps what the classifier says: the
  -- rules run where kinds matter (around the article) and at the end
  local zone_lo = (first_good or 1) - state.rule_reach
  local zone_hi = (last_good or nb) + state.rule_reach
  local tail = nb - 12
  -- (the first rule that labels each block there, found in one pass)
  local hits = rule_hits(blocks, flat, active, zone_lo, zone_hi, tail, lang, first_good, last_good)
  -- the hits in order: a header rule's list (short, headline-like items; a
  -- line ending in a colon announces what follows: no headline) or section
  -- (comments: all of it) goes on after it
  local kind, rule = label_blocks(hits, cls, flat, nb, SECTION_END, state.tag_max_words,
    state.related_max_words)
  return kind, rule
end

-- The fields of `core.features` the stage reads, as `core.feature_value`
-- gives them from the flat features, field by field (no table per block).

-- The one field that depends on the stopword list; none.
local STOPWORDS_FIELD, NO_FIELDS = { "stopwords" }, {}


-- The most feature tables a stage keeps for the next document.
local POOL_MAX = 2000

-- The metatable of the tables of `ctx.features`: they are made empty, and
-- a field read (or `pairs` on Lua 5.2+) is measured then for that block of
-- the current document, whole (`core.features`), once; the pool is then
-- dropped (its tables have fields).
local function features_metatable(doc)
  -- (fills f, once: whether it is a table of the current document)
  local function fill(f)
    local feats = doc.feats
    if not feats then return false end
    local where = doc.where
    if not where then
      where = {}
      for k = 1, #feats do where[feats[k]] = k end
      doc.where = where
    end
    local k = where[f]
    if not k then return false end
    where[f] = false
    doc.dirty = true
    for field, v in pairs(features(doc.blocks[k].text, 1, -1, doc.set)) do
      if rawget(f, field) == nil then rawset(f, field, v) end
    end
    return true
  end
  return {
    __index = function(f, name)
      if not fill(f) then return nil end
      return rawget(f, name)
    end,
    __pairs = function(f)
      fill(f)
      return next, f, nil
    end,
  }
end

-- The stage's own view of a document's features: the indexes of the fields
-- `core.feature_value` (and `core.feature_record`) give.
local F_WORDS, F_CHARS, F_STOPWORDS, F_NUMBER_WORDS, F_COMMAS, F_SENTENCES, F_ENDS_SENTENCE = 1, 2, 3, 4, 5, 6, 7
local F_TITLE_SHARE, F_URLS, F_LOWER_WORDS, F_BULLET, F_DIGITS, F_CAMEL, F_ENDS_COLON = 8, 9, 10, 11, 12, 13, 14
local F_MENU_LIKE, F_PUNCT = 15, 16
-- (`core.feature_value`: fields of one block, read without a record)
local feature_value = core.feature_value

--- Compiles the stage: packs, their patterns, thresholds.
-- @tparam table config `packs` (from `lede.packs.stack`; default stack when absent)
-- @treturn table state
-- @raise naming file:line and rule on a bad pattern
function M.compile(config)
  -- the language profiles and stopword sets are read once, here, rather
  -- than by the first document that needs them
  profiles()
  for _, lang in ipairs(M.languages) do M.stopwords(lang) end
  local packs = config and config.packs or packs_mod.stack()
  local compiled = {}
  local pack_list = {}
  for n, p in ipairs(packs) do
    compiled[n] = compile_pack(p)
    pack_list[n] = p
  end
  -- (the packs' signatures as `core.signature_packs` reads them, and the
  -- bit of each pack in its mask)
  local pack_sigs, pack_bits = packs_mod.signature_spec(pack_list), {}
  for n = 1, #pack_list do pack_bits[n] = 2 ^ (n - 1) end
  local th = packs_mod.thresholds(packs)
  local function num(k, d) return th[k] or d end
  local doc = {}
  local state = {
    packs = compiled,
    pack_list = pack_list,
    pack_sigs = pack_sigs,
    pack_bits = pack_bits,
    length_low = num("length_low", 80),
    length_high = num("length_high", 200),
    stopwords_low = num("stopwords_low", 0.30),
    stopwords_high = num("stopwords_high", 0.32),
    max_heading_distance = num("max_heading_distance", 200),
    title_max_words = num("title_max_words", 30),
    related_max_words = num("related_max_words", 25),
    tag_max_words = num("tag_max_words", 5),
    menu_title_share = num("menu_title_share", 0.85),
    rule_reach = num("rule_reach", 40),
    -- a line that carries a date (month name and year, or a numeric date);
    -- `core.may_date` tells the lines it may match: a change here goes there too
    date_line = core.regex([[(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?:19|20)\d\d\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b]], "", { name = "classify date line" }),
    -- the heading of an author box: "About Jane Roe", "Sobre ...", "Über ..."
    author_box = core.regex([[^\W*(?i:about|sobre|über|à propos de|a propos de|acerca de|om|over|o autorze|об авторе)\s+(?:(?i:the author|the authors|l'auteur|o autor|el autor|den autor)|\p{Lu}[\p{L}'.-]+(?:\s+\p{Lu}[\p{L}'.-]+){1,3})\W*$]], "", { name = "classify author box" }),
    cluster_gap = num("cluster_gap", 6),
    neighbour_reach = num("neighbour_reach", 4),
    repeats = true,
    features_pool = {},
    features_doc = doc,
    features_mt = features_metatable(doc),
    standfirst = true,
    cluster_keep = num("cluster_keep", 0.2),
    -- the classes and reasons of a document's blocks, kept in C and used
    -- again by the next document (`core.labels`)
    labels_cls = core.labels(),
    labels_why = core.labels(),
    -- the title candidates' weights (TITLE_WEIGHTS, with those of the
    -- packs), as the C passes read them
    title_weights = core.title_weights(packs_mod.title_weights(packs)),
    -- the options of the first measure: the flat features alone, measured
    -- into those of the last document (`reuse`, set per document; the
    -- stage reads them during the run only); and with the stopwords of
    -- a guessed language (`alt`, set per document)
    flat_opts = { fields = NO_FIELDS, tables = false, flat = true, reuse = nil },
    flat_alt_opts = { fields = NO_FIELDS, tables = false, flat = true, alt = nil, reuse = nil },
  }
  -- (the thresholds as the C passes read them)
  local o = {}
  for _, k in ipairs({ "length_low", "length_high", "stopwords_low", "stopwords_high",
      "menu_title_share", "neighbour_reach", "cluster_gap", "cluster_keep" }) do
    o[k] = state[k]
  end
  o.repeats = state.repeats
  state.class_opts = o
  return state
end

-- The packs that apply to this document, most specific first (user, sites, default).
local function active_packs(ctx, state)
  local domain = ctx.opts and ctx.opts.domain
  if domain then domain = domain:lower() end
  local out = {}
  local list = state.packs
  -- (the text searched once for all the site packs' signatures)
  -- (ctx.signatures: what the stages found of the signatures in ctx.text,
  -- when a stage before keeps it; the later stages read ctx.packs)
  local found = ctx.signatures
  local sigs = state.pack_sigs
  local packs = ctx.packs or {}
  ctx.packs = packs
  if domain == nil and sigs then
    -- (no domain: the packs that apply by their signatures, as a mask of
    -- bits in one call, `core.signature_packs`)
    local mask, bits = signature_packs(ctx.text or "", sigs, found), state.pack_bits
    for n = #list, 1, -1 do
      local b = bits[n]
      if mask % (b + b) >= b then out[#out + 1] = list[n] end
    end
  else
    local applies = packs_mod.applying(state.pack_list, ctx.text or "", domain, found)
    for n = #list, 1, -1 do
      if applies[n] then out[#out + 1] = list[n] end
    end
  end
  local np = #packs
  for n = #out, 1, -1 do
    np = np + 1
    packs[np] = out[n].pack
  end
  return out
end

-- A sample of the running text (blocks of eight words or more) for language
-- detection (its first 1500 bytes or so).
local function language_sample(blocks, flat)
  local parts, size = {}, 0
  for k, b in ipairs(blocks) do
    if size >= 1500 then break end
    if feature_value(flat, k, F_WORDS) >= 8 then
      parts[#parts + 1] = b.text
      size = size + #b.text
    end
  end
  return table_concat(parts, "\n")
end

-- Whether byte c (a number, or nil past a text's end) is not ASCII.
local function high(c)
  return c ~= nil and c >= 128
end

-- A guess at a document's language when its text is mostly in a script
-- other than Latin (Cyrillic, Greek, Hangul, ...): ten of the 16 bytes in
-- the middle of its text are outside ASCII; then the language of its first
-- blocks (up to 1500 bytes or so). Nil otherwise.
-- (A guess only: `block_features` counts the guess's stopwords beside
-- English's in its one pass, so that the stopwords of the language found
-- afterwards, when it is the guess, need no second pass.)
local function script_guess(text, blocks)
  if type(text) ~= "string" or #text < 200 then return nil end
  local mid = math_floor(#text / 2)
  -- (seven ASCII bytes first leave nine other bytes at most: most texts
  -- are told at once)
  if text:find("^[^\128-\255][^\128-\255][^\128-\255][^\128-\255][^\128-\255][^\128-\255][^\128-\255]", mid) then
    return nil
  end
  local c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16 = string_byte(text, mid, mid + 15)
  local n = 0
  if high(c1) then n = n + 1 end
  if high(c2) then n = n + 1 end
  if high(c3) then n = n + 1 end
  if high(c4) then n = n + 1 end
  if high(c5) then n = n + 1 end
  if high(c6) then n = n + 1 end
  if high(c7) then n = n + 1 end
  if high(c8) then n = n + 1 end
  if high(c9) then n = n + 1 end
  if high(c10) then n = n + 1 end
  if high(c11) then n = n + 1 end
  if high(c12) then n = n + 1 end
  if high(c13) then n = n + 1 end
  if high(c14) then n = n + 1 end
  if high(c15) then n = n + 1 end
  if high(c16) then n = n + 1 end
  if n < 10 then return nil end
  local parts, size = {}, 0
  for _, b in ipairs(blocks) do
    if size >= 1500 then break end
    local t = type(b) == "table" and b.text
    if type(t) ~= "string" then return nil end
    parts[#parts + 1] = t
    size = size + #t
  end
  return M.detect_language(table_concat(parts, "\n"))
end

--- The context-free class of a block (what `core.block_classes` gives
-- every block of a document).
-- @tparam table f its features
-- @tparam table state
-- @tparam boolean has_stop whether stopword counts mean anything (known language)
-- @treturn string "good" | "near-good" | "short" | "bad"
-- @treturn string the reason
function M.cf_class(f, state, has_stop)
  if f.menu_like then return "bad", "menu" end
  if f.words == 0 then return "bad", "empty" end
  if f.urls > 0 and f.words <= 12 then return "bad", "link" end
  local chars = f.chars
  if chars < state.length_low then return "short", "short" end
  local density
  if has_stop then
    -- numbers are no words that could be stopwords (scores, prices)
    local w = f.words - f.number_words
    density = w > 0 and f.stopwords / w or 0
  else
    -- no stopword list: prose is long, lower-case words, sentence punctuation
    local lw = f.lower_words / f.words
    density = (f.ends_sentence or f.sentences > 0) and lw > 0.3 and state.stopwords_high or 0
    if f.words < 4 and chars >= state.length_high then
      -- scripts without spaces: judge by sentence punctuation alone
      density = (f.ends_sentence or f.sentences > 0) and state.stopwords_high or 0
    end
  end
  if f.title_share >= state.menu_title_share and f.words >= 4 and not f.ends_sentence
      and f.sentences == 0 and f.commas == 0 then
    return "bad", "title-case"
  end
  if density >= state.stopwords_high then
    if chars >= state.length_high then return "good", "good" end
    -- a shorter paragraph that reads as prose: sentences, mostly lower case
    if chars >= state.length_low + 30 and f.ends_sentence and f.lower_words >= 0.5 * f.words then
      return "good", "prose"
    end
    return "near-good", "near-good"
  end
  if density >= state.stopwords_low then return "near-good", "near-good" end
  -- prose with few stopwords: long, several sentences, mostly lower case
  if has_stop and chars >= state.length_high and f.sentences >= 2 and f.lower_words >= 0.5 * f.words then
    return "near-good", "prose"
  end
  return "bad", "few-stopwords"
end

-- A block's stopword density (its features' `stopword_density`, which the
-- tables made by `M.run` leave out), from its words and stopwords.
local function density(w, stopwords)
  return w > 0 and stopwords / w or 0
end


-- The number a list item starts with ("3) ...", "3. ...", or a table row
-- "3 Name 10 4 2"), or nil.
local function item_number(text, flat, k)
  local n = text:match("^%s*(%d%d?%d?)[.)]%s+%S")
  if not n then
    -- (two fields of the flat features: no record made)
    local number_words, words = feature_value(flat, k, F_NUMBER_WORDS, F_WORDS)
    if number_words >= 4 and number_words * 2 >= words then
      n = text:match("^%s*(%d%d?%d?)%s+%a")
    end
  end
  return n and tonumber(n)
end

-- A reference to a publication: authors with initials ("Roe JA, Doe B,"),
-- or volume(issue):pages.
local function is_reference(text)
  return text:find("%u[%a'-]+ %u%u?%u?, %u[%a'-]+ %u%u?%u?[,.]") or text:find("%d%(%d+%):%d")
end

-- Numbered lists that belong to the article: runs of items numbered 1, 2,
-- 3, ... (at least three, at most `LIST_GAP` blocks apart) that an intro
-- sentence ending in a colon announces, whose items are sentences (the
-- steps of a recipe or a how-to; not questions, not references with their
-- authors' initials), or that are rows of a table of figures (mostly
-- numbers).
-- Their items, and a link line under an item, are good. Lists of headlines
-- (most read, related) have none of these marks and are left alone.
-- Returns whether it made any list good.
local LIST_GAP = 6

local function numbered_lists(blocks, flat, cls, why)
  local runs, cur = {}, nil
  local changed = false
  -- (most blocks start with a letter: the blocks with number words that
  -- start with a digit or a byte below, but "(", are looked at)
  local starts = number_starts(blocks, flat)
  for q = 1, #starts do
    local k = starts[q]
    local n = item_number(blocks[k].text, flat, k)
    if n then
      if cur and n == cur.last_n + 1 and k - cur.items[#cur.items] <= LIST_GAP then
        cur.items[#cur.items + 1] = k
        cur.last_n = n
      elseif n == 1 then
        cur = { items = { k }, last_n = 1 }
        runs[#runs + 1] = cur
      else
        cur = nil
      end
    end
  end
  for _, run in ipairs(runs) do
    local items = run.items
    local m = #items
    if m >= 3 then
      local first, last = items[1], items[m]
      local intro_colon, intro_words
      if first > 1 then
        intro_colon, intro_words = feature_value(flat, first - 1, F_ENDS_COLON, F_WORDS)
      end
      local announced = intro_colon and cls[first - 1] ~= "bad"
        and (intro_words >= 6 or cls[first - 1] == "good")
      local sentences, table_rows = 0, 0
      for _, k in ipairs(items) do
        local ends_sentence, words, urls, stopwords, number_words = feature_value(flat, k,
          F_ENDS_SENTENCE, F_WORDS, F_URLS, F_STOPWORDS, F_NUMBER_WORDS)
        -- a step is a statement in running text (not a question, not a
        -- reference to a paper or a page)
        if ends_sentence and words >= 5 and urls == 0 and density(words, stopwords) >= 0.15
            and not is_reference(blocks[k].text) and not blocks[k].text:find("%?%W*$") then
          sentences = sentences + 1
        end
        if number_words >= 4 and number_words * 2 >= words then table_rows = table_rows + 1 end
      end
      if announced or sentences * 3 >= m * 2 or (m >= 5 and table_rows == m) then
        changed = true
        if announced then cls[first - 1], why[first - 1] = "good", "list-intro" end
        for _, k in ipairs(items) do
          if cls[k] ~= "good" then cls[k], why[k] = "good", "numbered-list" end
        end
        -- a link under an item is part of it
        for k = first, last do
          if why[k] == "link" then cls[k], why[k] = "good", "numbered-list" end
        end
      end
    end
  end
  return changed
end

-- First words of calls to action ("Sign up", "See it in action"): no headlines.
local CTA = {
  sign = true, subscribe = true, join = true, download = true, register = true, request = true,
  contact = true, follow = true, shop = true, buy = true, try = true, see = true, get = true,
  want = true, book = true, watch = true, listen = true, explore = true,
  discover = true, view = true, call = true, start = true, click = true, read = true, upgrade = true,
  log = true,
}

-- The same words and "login", as a set for `core.word_repeats`.
local CTA_WORDS
do
  local list = { "login" }
  for w in pairs(CTA) do list[#list + 1] = w end
  CTA_WORDS = core.wordset(list)
end
-- (and the words of CTA alone, exact, for `core.title_scores`)
local CTA_SET
do
  local list = {}
  for w in pairs(CTA) do list[#list + 1] = w end
  CTA_SET = core.wordset(list, { exact = true })
end

-- Words of a job title under an author's name ("Co-Founder & Marketing Director").
local ROLE_WORDS = {
  founder = true, ["co-founder"] = true, cofounder = true, director = true, editor = true,
  writer = true, manager = true, ceo = true, cto = true, team = true, author = true,
  contributor = true, reporter = true, correspondent = true, columnist = true, officer = true,
  president = true, specialist = true, strategist = true, consultant = true, staff = true,
}
local ROLE_SET = core.wordset(ROLE_WORDS, { exact = true })

-- Calls to action that start with a common word ("Learn about ...", "Find out more").
local CTA_START = core.regex(
  [[^\W*(?:learn (?:about|more|how)|read (?:more|about)|find out|click here|log in|check out|meet (?:the|our))\b]],
  "i", { name = "classify call to action" })

-- A sponsor's label.
local SPONSOR = core.regex([[\b(?:sponsored|provided|presented|powered|brought to you) by\b|\b(?:provisto|patrocinado) por\b|\bby$]],
  "i", { name = "classify sponsor label" })

-- A byline that no rule labelled, or a category label ("Posted under Tires").
local BYLINE_START = core.regex([[^\W*(?:(?:written|posted|reviewed|fact[- ]checked|edited|updated|medically reviewed)\s+by|by\s|(?:posted|filed) (?:in|under)\s)]], "i",
  { name = "classify byline start" })

-- Whether `state.date_line` finds a date in a text, its pattern run only on
-- the texts that may hold one: its forms with a month name need the month's
-- three letters and a year that starts "19" or "20", the numeric one two
-- separators (. / -) around one or two digits (`core.may_date`).
local function has_date(state, t)
  return may_date(t) and state.date_line:find(t) ~= nil
end

-- The words of a page URL's slug: its last path segment of two or more
-- words ("/2024/05/best-pc-laptops.html": best, pc, laptops), else the words
-- of the whole path; ids ("a6808357212") and long numbers left out. Returns
-- `{ set = words, count = n, text = "best pc laptops" }`, or nil for fewer
-- than two words.
local function slug_words(url)
  if type(url) ~= "string" then return nil end
  local path = url:match("^%a[%w+.-]*://[^/?#]*(/[^?#]*)") or url:match("^(/[^?#]*)")
  if not path then return nil end
  local segs = {}
  for seg in path:gmatch("[^/]+") do
    local words = {}
    seg = seg:lower():gsub("%.%a%a%a?%a?$", "")
    for w in seg:gmatch("[%w\128-\255]+") do
      if not (w:find("%d") and (w:find("%a") or #w > 4)) then words[#words + 1] = w end
    end
    segs[#segs + 1] = words
  end
  local pick
  for n = #segs, 1, -1 do
    if #segs[n] >= 2 then pick = segs[n] break end
  end
  if not pick then
    pick = {}
    for _, words in ipairs(segs) do
      for _, w in ipairs(words) do pick[#pick + 1] = w end
    end
  end
  local set, count = {}, 0
  for _, w in ipairs(pick) do
    if not set[w] then set[w], count = true, count + 1 end
  end
  if count < 2 then return nil end
  return { set = set, count = count, text = table_concat(pick, " ") }
end

-- How far the URL's slug names a line (0 to 1): mostly the share of the
-- slug's words in the line (slugs shorten titles), a little the share of the
-- line's words in the slug; 0 under 40% of the slug. A plural matches its
-- singular, a long word inside a glued slug ("smallbusinesscyber") counts.
local function slug_similarity(t, slug)
  local seen, n, m = {}, 0, 0
  local set = slug.set
  t = t:lower():gsub("\226\128\153", ""):gsub("'", "")
  for w in t:gmatch("[%w\128-\255]+") do
    if not seen[w] then
      seen[w] = true
      n = n + 1
      if set[w] or set[(w:gsub("s$", ""))] or set[w .. "s"]
          or (#w >= 5 and slug.text:find(w, 1, true)) then
        m = m + 1
      end
    end
  end
  if n == 0 then return 0 end
  local cov = m / slug.count
  if cov > 1 then cov = 1 end
  if cov < 0.4 then return 0 end
  return 0.7 * cov + 0.3 * m / n
end

--- The words of a page URL's slug (its last path segment of two or more
-- words, else the whole path), for comparing lines with it.
-- @tparam string url the page's URL, or a path
-- @treturn table|nil `{ set = {word = true}, count = n, text = "best pc laptops" }`,
-- nil for fewer than two words
M.slug_words = slug_words

--- How far a URL's slug names a line (0 to 1; 0 under 40% of the slug's words).
-- @tparam string line
-- @tparam table slug from `slug_words`
-- @treturn number
M.slug_similarity = slug_similarity

-- The article's first paragraphs (the good blocks from `first_body` on, up
-- to `LEDE_WORDS` words): a headline's words come back in the lede
-- (`core.lede_text`, `core.lede_words`, read by `core.title_best`).
local LEDE_WORDS = 150

-- An empty table shared by the title's look-ups that find nothing on most
-- pages (never written: a table is made in its place on the first entry).
local NONE = {}

-- Whether byte c is white space (as %s).
local function is_space_byte(c)
  return c == 32 or (c >= 9 and c <= 13)
end

-- t:sub(i) without the white space at its end (what `(.-)%s*$` captures
-- from i on).
local function trimmed_rest(t, i)
  local j = #t
  while j >= i and is_space_byte(t:byte(j)) do j = j - 1 end
  return t:sub(i, j)
end

-- The text of a list item after its mark: `pattern` (anchored, ending in a
-- position capture) matches the mark and the space after it; returns its
-- other captures and the rest of t without white space at its end, or nil.
local function item_text(t, pattern)
  local a, b = t:match(pattern)
  if not a then return nil end
  if b then return a, trimmed_rest(t, b) end
  return trimmed_rest(t, a)
end

-- The entries of the tables of contents between blocks lo and hi: the texts
-- of a run of list items (list mark and number left out) two or more of which
-- come back as blocks below the run, each mapped to the block after its run.
-- A heading below a table of contents that lists it is a section's, not the
-- article's (a menu that lists the page names no heading below it).
local toc_entries = core.toc_entries

-- Whether one of the two blocks above block k is a breadcrumb whose last item
-- is block k's text: the page's own heading, however short ("Coffee")
-- (`core.crumb_above`).
local crumb_above = core.crumb_above

-- Breadcrumbs written as a numbered list between blocks lo and hi: items
-- "1. ", "2. ", ... that start with "Home" ("1. Home", "2. Guides", "3. Page"),
-- or two to four items of up to four words ("1. Electronics", "2. Audio").
-- Returns `last` (the text of each crumb's last item -> the block after the
-- crumb) and `after` (the block after a crumb -> true): the page's heading is
-- the last item, or follows the crumb.
local function numbered_crumbs(blocks, flat, lo, hi)
  -- (most pages have none: the shared empty table until one is found)
  local last, after = NONE, NONE
  -- (the lines with a number word that start with "1", and are not items
  -- of the crumb before)
  local ones = number_lines(flat, flat, lo, hi, 49)
  local from = lo
  for q = 1, #ones do
    local j = ones[q]
    local first = j >= from and item_text(blocks[j].text, "^1[.)]%s+()")
    if first then
      local home = first:lower():find("^home%f[%W]")
      local short = select(2, first:gsub("%S+", "")) <= 4
      local e, n, item = j + 1, 2, nil
      while e <= hi do
        local no, text = item_text(blocks[e].text, "^(%d+)[.)]%s+()")
        if not no or tonumber(no) ~= n then break end
        if select(2, text:gsub("%S+", "")) > 4 then short = false end
        item, e, n = text, e + 1, n + 1
      end
      if item and (home or (short and n <= 5)) then
        if last == NONE then last, after = {}, {} end
        last[item] = e
        after[e] = true
      end
      from = e
    end
  end
  return last, after
end

-- Whether block k, far above the article, has a byline or date right below
-- it (within three blocks), as a headline has (and no sentence in it).
-- `seen` caches which blocks start like a byline.
local function far_headline(k, blocks, words, sentences, kind, seen)
  if words < 4 or sentences > 0 then return false end
  for j = k + 1, math_min(k + 3, #blocks) do
    if kind[j] == "byline" or kind[j] == "dateline" then return true end
    local by = seen[j]
    if by == nil then
      by = BYLINE_START:find(blocks[j].text) ~= nil
      seen[j] = by
    end
    if by then return true end
  end
  return false
end

-- The most that the lede's words add to a line's score.
local LEDE_BONUS = 1.5

--- What each sign adds to a title candidate's score (a negative weight
-- lowers it): `core.title_scores` and `core.title_best` read them
-- (docs/core.md says when each sign holds). A line starts at `base`.
M.TITLE_WEIGHTS = {
  base = 1,
  -- headline-like: four words or more, title case, a function word (names,
  -- labels and menus have none)
  four_words = 1, title_case = 0.5, stopword = 0.5, no_stopword_short = -1, no_stopword = -0.3,
  no_lower_word = -0.8,
  -- a block above the article (up to 25, then past that), the article's first
  distance = -0.04, distance_far = -0.01, first_body = -1.5,
  -- a breadcrumb's last item (three words or fewer, more), a line right
  -- below a breadcrumb, one a table of contents lists, one the page repeats
  crumb_short = 2, crumb = 1, crumb_after = 1, in_toc = -1.5, repeated = 1.5,
  -- below the article's start, below the first byline or date (right below,
  -- further)
  below_article = -1.5, below_anchor_next = -1, below_anchor = -2,
  -- a byline or date just below, less for each block between
  header_below = 2.5, header_below_step = -0.25,
  -- a list item's number (a number and a word), calls to action, a
  -- sponsor's label, a byline, the site's name, a menu that repeats a word
  -- or holds calls to action, section labels, each glued word, a job title,
  -- a kicker above a longer headline, a subtitle (right below a headline,
  -- further), below a title-case line, a lower-case start
  numbered = -1.5, number_and_word = 0.2, call_to_action = -1.5, sponsor = -2, byline = -2,
  site_name = -1.2, repeats_word = -1.5, cta_words = -1, section_labels = -1, glued_word = -0.3,
  job_title = -1, kicker = -0.5, subtitle_next = -0.6, subtitle = -0.2, below_title_case = -0.8,
  lower_case = -1,
  -- times the similarity of the URL's slug
  slug = 3,
  -- for the best lines only (`core.title_best`): a name the page says again
  -- after the article, the author's name beside a byline, the page's title
  -- line around a headline, each image of a headline, a short form of one
  name_after = -1.5, author_beside_byline = -2, title_line = -2, image = -5, longer_form = -1,
}

-- How far above the article the title may be (blocks), and how far into it;
-- how far a line the URL's slug names (similarity 0.75 or more) may be.
local TITLE_REACH, TITLE_INSIDE, SLUG_REACH = 60, 6, 300

-- The title: the best headline-like block above the article (its index, or nil).
local function pick_title(blocks, flat, kind, cls, first_body, state, url)
  local nb = #blocks
  local lo = first_body - TITLE_REACH
  if lo < 1 then lo = 1 end
  -- a line farther up may be the title when the URL's slug names it (it may
  -- then be shorter), when a byline or date follows it, or when it is a
  -- breadcrumb's last item
  local slug = slug_words(url)
  local far = math_max(1, first_body - SLUG_REACH)
  -- (the slug's similarities, and the breadcrumbs' last items: tables made
  -- when needed)
  local cand, sim, crumb = nil, slug and {} or NONE, NONE
  local last = math_min(first_body + TITLE_INSIDE, nb)
  local crumb_last, crumb_after = numbered_crumbs(blocks, flat, far, first_body)
  -- (which blocks start like a byline, when looked at)
  local bylines
  -- (without the slug, the lines that the tests below may keep: far up,
  -- four words or more and no sentence, or the last item of a breadcrumb;
  -- near, a headline's words, characters and kind, or a breadcrumb's item's)
  local range = title_range(flat, flat, kind, crumb_last, far, lo, last, first_body,
    state.title_max_words, slug ~= nil)
  local max_words = state.title_max_words
  -- (without the slug, the loop below in one call: `core.title_candidates`)
  if slug then
    cand = {}
  else
    local c_crumb
    cand, c_crumb = title_candidates(flat, kind, cls, range, crumb_last, lo, first_body, max_words,
      BYLINE_START, state.date_line)
    crumb = c_crumb or NONE
  end
  for q = 1, slug and #range or 0 do
    local k = range[q]
    -- (the fields read, in one call: no record made)
    local words, sentences, bullet, chars, menu_like, urls, camel, digits, number_words = feature_value(flat, k,
      F_WORDS, F_SENTENCES, F_BULLET, F_CHARS, F_MENU_LIKE, F_URLS, F_CAMEL, F_DIGITS, F_NUMBER_WORDS)
    local b = blocks[k]
    local kk = kind[k]
    -- (far_headline's own first test in line: most blocks fail it)
    local far_head = false
    if k < lo and words >= 4 and sentences == 0 then
      bylines = bylines or {}
      far_head = far_headline(k, blocks, words, sentences, kind, bylines)
    end
    -- (without the slug, a line far up needs a byline below it or a
    -- breadcrumb above it: the others are not looked at further)
    if k < lo and not slug and not far_head and not (not kk and not bullet
        and (crumb_last[b.text] or (k > 1 and crumb_above(flat, k)))) then
      cand[k] = nil
    else
      -- (the verdict in a local, stored when true: no key for the others)
      local c = (not kk or kk == "body") and words >= 2 and words <= max_words
          and chars >= 8 and not bullet and not menu_like and urls == 0 and camel <= 2
      if c then
        -- the tests of its text, in one pass (`core.title_text`): a year, a
        -- headline's note in brackets, a pause at the end, a caption's
        -- credit, a photo's, a breadcrumb or a phrase twice
        local year, brackets, pause, caption, photo, crumb_twice = title_text(b.text)
        -- (a year is no table of figures: "Best EVs of 2026"; brackets are
        -- form fields and buttons, but for a headline's note: "10 Best Car
        -- Rentals in 2025 [For All Budgets!]"; a caption with its credit:
        -- "... on March 18. (Jane Doe/AFP)")
        c = (digits < chars * 0.3 or (digits == 4 and year)) and brackets and pause
          and not caption and not photo
          and (k < first_body or cls[k] ~= "good" or sentences == 0)
          and not (number_words > 0 and has_date(state, b.text))
          -- a breadcrumb ("Home » Section"), a phrase twice ("Reviews Reviews")
          and not crumb_twice
      end
      -- the last item of the breadcrumb right above
      if k < first_body and not kk and words >= 1 and words <= max_words
          and not bullet and urls == 0
          and (crumb_above(flat, k) or (crumb_last[b.text] and crumb_last[b.text] <= k
            and crumb_last[b.text] >= k - 4)) then
        if crumb == NONE then crumb = {} end
        c, crumb[k] = true, true
      end
      local s = c and slug and slug_similarity(b.text, slug)
      if s then sim[k] = s end
      if c and (k < lo or chars < 12) and not (s and s >= 0.75) and not crumb[k]
          and not far_head then
        c = nil
      end
      cand[k] = c or nil
    end
  end
  -- the first date or byline above the article: the title is usually above it
  local anchor
  for k = math_max(lo, first_body - 15), first_body do
    if kind[k] == "byline" or kind[k] == "dateline" then
      for j = lo, k - 1 do
        if cand[j] then anchor = k break end
      end
      break
    end
  end
  local toc = toc_entries(flat, flat, math_max(1, lo - 20), first_body)
  -- the candidates' scores (`core.title_scores`, one pass, weighed by
  -- M.TITLE_WEIGHTS; docs/core.md lists its signs): headline-like lines score higher (four words or
  -- more, title case, function words), so do lines near the article, a
  -- heading the page repeats above (a breadcrumb's last item, its title
  -- line) but for one a table of contents lists, a byline or date just
  -- below; a list item's number, calls to action, a sponsor's label, a
  -- byline, the site's name, a menu that repeats a word, section labels,
  -- glued words, a job title, a kicker or a subtitle below a headline, a
  -- lower-case start score lower. Their indexes and scores, k and score in
  -- turn, highest first (then in order of k).
  local list, n_list = title_scores(flat, kind, range, cand, crumb, crumb_after, toc, sim, anchor, lo,
    first_body, state.date_line, CTA_START, SPONSOR, BYLINE_START, CTA_SET, CTA_WORDS, ROLE_SET,
    state.title_weights)
  -- the signs that take longer to read, for the best lines only (in one
  -- pass: `core.title_best`; docs/core.md lists them): they lower a score,
  -- or raise it by LEDE_BONUS at most. A name the page says again twice
  -- after the article, inside other text ("Subscribe to Acme Weekly ...",
  -- "(c) 2024 Acme Weekly"), the site's; the author's name beside the byline
  -- that names them ("Jane Doe" over "By Jane Doe"); the page's title line
  -- around a headline that stands alone nearby; a short form of a longer
  -- headline nearby ("X" beside "X: Is It for You?"), an image of one
  -- ("<headline> cover"); and the words the lede repeats, which rank
  -- headlines but make none (up to four of its first LEDE_WORDS words).
  local best = title_best(list, n_list, flat, kind, cls, range, cand, first_body, lo, last, BYLINE_START,
    M.stopwords("en"), LEDE_WORDS, LEDE_BONUS, state.title_weights)
  if best and (best ~= first_body or feature_value(flat, best, F_WORDS) <= 20) then return best end
  return nil
end

-- "classifier:<reason>" by reason (filled by `core.final_kinds`).
local CLASSIFIER_RULE = {}

--- Classifies `ctx.blocks` in place (kind, rule).
-- @tparam table ctx
-- @tparam table state
-- @raise naming the rule when a rule's pattern exceeds the match limits
function M.run(ctx, state)
  local blocks = ctx.blocks or {}
  local nb = #blocks
  local active = active_packs(ctx, state)
  -- features with English first; another language recounts them
  local en = M.stopwords("en")
  -- (the empty tables of the last document are used again, unless one was
  -- read: ctx.features is the current document's until the next one)
  local pool, doc = state.features_pool, state.features_doc
  if doc.dirty then
    pool = {}
    state.features_pool = pool
  end
  doc.feats, doc.where, doc.dirty, doc.blocks, doc.set = nil, nil, false, blocks, nil
  -- (the blocks measured into the flat features; the tables of
  -- ctx.features stay empty until read: the pool's, and new ones that join
  -- it, `core.pool_tables`)
  -- (with the stopwords of the language a text in another script seems
  -- to be in, counted in the same pass)
  local guess = ctx.language == nil and script_guess(ctx.text, blocks)
  local guess_set = guess and guess ~= "en" and M.stopwords(guess)
  local fopts = state.flat_opts
  if guess_set then
    fopts = state.flat_alt_opts
    fopts.alt = guess_set
  end
  fopts.reuse = state.flat
  local _, flat = block_features(blocks, en, fopts)
  fopts.alt, fopts.reuse = nil, nil
  state.flat = flat
  local tables = pool_tables(pool, nb, state.features_mt, POOL_MAX)
  local lang = ctx.language
  if lang == nil then
    -- (the English stopword density over the running text: the blocks of
    -- eight words or more, as measured)
    local density, words = stopword_density(flat, 8)
    if words >= 20 and density >= 0.2 then
      lang = "en"
    else
      lang = M.detect_language(language_sample(blocks, flat))
      if not lang and density >= 0.08 then lang = "en" end
    end
    ctx.language = lang or false
  end
  if lang == false then lang = nil end
  local set = lang and M.stopwords(lang)
  local fset = en
  if lang and lang ~= "en" then
    -- (the stopwords alone depend on the list)
    block_features(blocks, set, { fields = STOPWORDS_FIELD, tables = false, flat = flat })
    fset = set
  end
  doc.feats, doc.set = tables, fset
  local has_stop = set ~= nil
  ctx.features = tables

  -- 1. context-free classes, and the texts of ten words or more a page
  -- repeats (teaser titles, image alts, menus: no article paragraphs; long
  -- text only, as a heading may repeat in a table of contents; a page that
  -- shows the whole article twice keeps the first copy)
  local opts = state.class_opts
  opts.has_stop = has_stop
  local cls, why = block_classes(blocks, flat, opts, state.labels_cls, state.labels_why)

  -- numbered lists that belong to the article
  numbered_lists(blocks, flat, cls, why)
  local first_good, last_good = good_span(cls, nb)

  -- no good block at all: the best near-good ones carry the article; failing
  -- those, the sentences of a short text
  if not first_good then
    for pass = 1, 2 do
      for k = 1, nb do
        local sentence = false
        if pass == 2 and cls[k] == "short" then
          local ends_sentence, words, bullet, urls = feature_value(flat, k, F_ENDS_SENTENCE, F_WORDS,
            F_BULLET, F_URLS)
          sentence = ends_sentence and words >= 3 and not bullet and urls == 0
        end
        if cls[k] == "near-good" or sentence then
          cls[k], why[k] = "good", "best-available"
          first_good = first_good or k
          last_good = k
        end
      end
      if first_good then break end
    end
  end

  -- 2. rules (one protected call for the document: a rule whose pattern
  -- exceeds the match limits is reported, naming it)
  local ok, kind, rule = pcall(apply_rules, blocks, flat, cls, active, lang, first_good, last_good,
    state)
  if not ok then
    local msg = tostring(kind):gsub("^[^\n]-%.lua:%d+: ", "")
    error("lede.classify: " .. msg, 0)
  end

  -- 3. revision from neighbours (jusText), in linear time: the nearest
  -- class on each side, skipping short blocks (and near-good ones)
  -- A neighbour farther than `reach` blocks counts as bad: a list of
  -- teasers (short titles, near-good summaries) does not borrow the article's
  -- good text from far away. A short block between good ones is good,
  -- between bad ones bad, next to near-good good; near-good blocks are bad
  -- only between bad ones; short sentences at the article's edges, one after
  -- the other, are good. Then the article: runs of good blocks separated by
  -- long stretches of other blocks form clusters; clusters much weaker than
  -- the strongest one are other page text (teasers, cookie notices,
  -- sidebars).
  -- and the article's extent
  local first_body, last_body = revise_classes(cls, why, kind, flat, opts)

  -- an author box at the article's end: its heading ("About Jane Roe") and
  -- the short bio below it (one or two paragraphs)
  if last_body and first_body then
    for k = last_body, math_max(first_body + 2, last_body - 6), -1 do
      local kk = kind[k]
      if (not kk or kk == "byline" or kk == "disclaimer") and feature_value(flat, k, F_WORDS) <= 6
          and state.author_box:find(blocks[k].text) then
        local words, paras = 0, 0
        for j = k + 1, last_body do
          if cls[j] == "good" then words, paras = words + feature_value(flat, j, F_WORDS), paras + 1 end
        end
        if words <= 120 and paras <= 2 then
          -- a rule's kind for the heading ("About Acme Corp": a company's
          -- boilerplate) goes to the text below it
          if not kk then kind[k], rule[k], cls[k] = "byline", "classifier:author-box", "bad" end
          for j = k + 1, last_body do
            if cls[j] == "good" then
              kind[j], rule[j], cls[j] = kind[k], "classifier:author-box", "bad"
            end
          end
          for j = k - 1, first_body, -1 do
            if cls[j] == "good" then last_body = j break end
          end
        end
        break
      end
    end
  end

  -- a standfirst: the first paragraph, set apart from the article by the
  -- byline or date that follow it
  if first_body and state.standfirst then
    local k = first_body
    for j = k + 1, math_min(k + 4, nb) do
      if cls[j] == "good" then break end
      if kind[j] == "byline" or kind[j] == "dateline" then
        local more = false
        for m = j + 1, math_min(j + 8, nb) do
          if cls[m] == "good" then more = true break end
        end
        if more and feature_value(flat, k, F_WORDS) <= 60 then
          cls[k], why[k] = "bad", "standfirst"
          for m = j + 1, nb do
            if cls[m] == "good" then first_body = m break end
          end
        end
        break
      end
    end
  end

  -- title: the best headline-like block above the article
  if first_body then
    local best = pick_title(blocks, flat, kind, cls, first_body, state, ctx.opts and ctx.opts.url)
    if best then
      kind[best], rule[best] = "title", "classifier:title"
      cls[best] = "bad"
      if best == first_body then
        first_body = nil
        for k = best + 1, nb do
          if cls[k] == "good" then first_body = k break end
        end
      end
    end
  end

  -- short headings right before good text (the block after is good, and
  -- not itself a promoted heading); below the article, related-headline
  -- runs and tag lines; then the final kinds
  final_kinds(blocks, cls, why, kind, rule, flat, CLASSIFIER_RULE, (first_body or nb) + 1, state.length_low,
    last_body and last_body + 1, state.tag_max_words, state.related_max_words)
  ctx.language = lang or false
end

return M
