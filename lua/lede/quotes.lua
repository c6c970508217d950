--- Quotes stage: who said what.
--
-- Finds every quotation in the body with its speaker:
--
-- - direct quotes: the spans `core.quotes` pairs (over several paragraphs,
--   nested, in any of the usual marks), attributed by a reporting verb next
--   to them (`“...,” the political observer said`, `Ba Dianjun said, “...”`,
--   `“...,” said Smith`), by the sentence before (`Smith said:`), or by the
--   quote before them (a second quote of the same speaker);
-- - reported (indirect) speech: `X said (that) ...`, `X told Sputnik that
--   ...`, `According to X, ...`, `..., X said.`, with the reporting verbs of
--   `lede.lists.reporting_verbs` and the phrases of `lede.lists.speech`.
--
-- Speakers are resolved to entities: a name to the entity mentioned there
-- (or a surname to the full name), a pronoun to the most recent speaker, a
-- definite description ("the Chinese expert") to the most recent person whose
-- role or nationality fits; unnamed sources ("other experts", "a source
-- familiar with the matter") keep `speaker = nil` and their `speaker_text`.
-- Entities come from `ctx.entities`/`ctx.mentions` when lede.entities ran;
-- otherwise names are read from capitalised words.
--
-- Output: `ctx.quotes`, an array of `{ text=, kind=, speaker=, speaker_text=,
-- cue=, i=, j= }` in text order (`i, j` the content in `ctx.text`; `parts`,
-- a flat array of `i, j` pairs, for a quote over several paragraphs).
--
-- @module lede.quotes

local core = require "lede.core"

local ipairs, pairs, type, require, error, tostring = ipairs, pairs, type, require, error, tostring
local string_byte = string.byte
local table_sort = table.sort

local M = {}

-- ---------------------------------------------------------------------------
-- Compiling the lists

local function set_of(list, into)
  into = into or {}
  for _, w in ipairs(list or {}) do into[w:lower()] = true end
  return into
end

local function split_words(s)
  local out = {}
  for w in s:lower():gmatch("%S+") do out[#out + 1] = w end
  return out
end

-- Phrases as arrays of lower-case words, indexed by their first word.
local function phrase_index(list, into)
  into = into or {}
  for _, p in ipairs(list or {}) do
    local words = split_words(p)
    if #words > 0 then
      local bucket = into[words[1]] or {}
      into[words[1]] = bucket
      bucket[#bucket + 1] = words
    end
  end
  -- longest first
  for _, bucket in pairs(into) do
    table_sort(bucket, function(a, b) return #a > #b end)
  end
  return into
end

local function merge_speech(base, extra)
  if type(extra) ~= "table" then return base end
  local out = {}
  for k, v in pairs(base) do out[k] = v end
  for k, v in pairs(extra) do
    local cur = out[k]
    if type(cur) == "table" and type(v) == "table" then
      local merged = {}
      for kk, vv in pairs(cur) do merged[kk] = vv end
      for kk, vv in pairs(v) do
        if type(kk) == "number" then merged[#merged + 1] = vv
        elseif type(merged[kk]) == "table" and type(vv) == "table" then
          local m2 = {}
          for _, x in ipairs(merged[kk]) do m2[#m2 + 1] = x end
          for _, x in ipairs(vv) do m2[#m2 + 1] = x end
          merged[kk] = m2
        else
          merged[kk] = vv
        end
      end
      out[k] = merged
    else
      out[k] = v
    end
  end
  return out
end

-- Words whose "'s" is "is", not a possessive the lookup key drops.
local CONTRACTED = { it = true, he = true, she = true, that = true, there = true, what = true,
                     who = true, here = true, let = true }

local VERB_FLAGS = { bare = true, object = true, direct = true }

local function add_verbs(st, list, where)
  for k, entry in ipairs(list or {}) do
    if type(entry) ~= "table" or type(entry[1]) ~= "string" then
      error(("%s[%d]: a reporting verb is an array of forms, lemma first"):format(where, k), 0)
    end
    for key in pairs(entry) do
      if type(key) ~= "number" and not VERB_FLAGS[key] then
        error(("%s[%d]: unknown key '%s'"):format(where, k, tostring(key)), 0)
      end
    end
    local lemma = entry[1]:lower()
    for _, form in ipairs(entry) do
      local words = split_words(form)
      local info = { lemma = lemma, bare = entry.bare == true, object = entry.object == true,
                     direct = entry.direct == true, ing = words[1]:find("ing$") ~= nil }
      if #words == 1 then
        st.verb1[words[1]] = info
      elseif #words == 2 then
        local b = st.verb2[words[1]] or {}
        st.verb2[words[1]] = b
        b[words[2]] = info
      end
    end
  end
end

-- The noun behind a word: role classes, or "org", or "doc"; and whether the
-- form is plural.
local function noun_lookup(st, l)
  local sing, plural = l, false
  if st.plurals[l] then
    sing, plural = st.plurals[l], l ~= st.plurals[l]
  elseif not st.role_class[l] and not st.orgs[l] and not st.docs[l] then
    -- the word less a final "s", "es", "ies"
    local n = #l
    local s1 = string_byte(l, n) == 115 and l:sub(1, n - 1) or nil
    local s2 = s1 and string_byte(l, n - 1) == 101 and l:sub(1, n - 2) or nil
    local s3 = s2 and string_byte(l, n - 2) == 105 and l:sub(1, n - 3) or nil
    if s1 and (st.role_class[s1] or st.orgs[s1] or st.docs[s1]) then sing, plural = s1, true
    elseif s2 and (st.role_class[s2] or st.orgs[s2] or st.docs[s2]) then sing, plural = s2, true
    elseif s3 and (st.role_class[s3 .. "y"] or st.orgs[s3 .. "y"]) then sing, plural = s3 .. "y", true
    else return nil end
  end
  if st.role_class[sing] then return "role", sing, plural end
  if st.orgs[sing] then return "org", sing, plural end
  if st.docs[sing] then return "doc", sing, plural end
  return nil
end

-- The small words a name may hold ("Bank of England", "Ali ibn Said"), and
-- those of them that are particles of a person's name ("van", "al").
local CONNECTORS = { ["of"] = true, ["for"] = true, ["and"] = true, ["de"] = true, ["van"] = true,
                     ["von"] = true, ["der"] = true, ["bin"] = true, ["al"] = true, ["da"] = true,
                     ["di"] = true, ["du"] = true, ["la"] = true, ["le"] = true, ["del"] = true,
                     ["dos"] = true, ["ibn"] = true, ["&"] = true, ["on"] = true }
local NAME_PARTICLES = { ["de"] = true, ["van"] = true, ["von"] = true, ["der"] = true,
                         ["bin"] = true, ["al"] = true, ["da"] = true, ["di"] = true,
                         ["du"] = true, ["la"] = true, ["le"] = true, ["del"] = true,
                         ["dos"] = true, ["ibn"] = true }

local function by_position(a, b) return a.i < b.i end

-- Sorts an entity's mentions by position (when a speaker written as a
-- pronoun or a description added some out of order).
local function sort_mentions(ms) table_sort(ms, by_position) end

--- Compiles the stage.
-- Reads `lede.lists.reporting_verbs` and `lede.lists.speech`, extended by the
-- `reporting_verbs` and `speech` sections of `config.lists` when present,
-- and the titles, honorifics and demonyms of `config.lists`.
-- @tparam table config the extractor's configuration
-- @treturn table state
-- @raise "lists.reporting_verbs[k]: ..." on a malformed verb entry
function M.compile(config)
  local lists = (config and config.lists) or {}
  local st = { verb1 = {}, verb2 = {} }
  add_verbs(st, require("lede.lists.reporting_verbs"), "reporting_verbs")
  if lists.reporting_verbs then add_verbs(st, lists.reporting_verbs, "lists.reporting_verbs") end
  local sp = merge_speech(require("lede.lists.speech"), lists.speech)
  st.speech = sp
  st.pronouns = {}
  for k, v in pairs(sp.pronouns or {}) do st.pronouns[k:lower()] = v end
  -- nouns: role classes, organisations, documents
  st.role_class = {}
  st.role_words = {}
  for class, words in pairs(sp.roles or {}) do
    for _, w in ipairs(words) do
      local parts = split_words(w)
      local head = parts[#parts]
      local c = st.role_class[head] or {}
      st.role_class[head] = c
      c[class] = true
      st.role_words[head] = true
    end
  end
  st.plurals = {}
  for k, v in pairs(sp.plurals or {}) do st.plurals[k:lower()] = v:lower() end
  st.orgs = set_of(sp.organizations)
  st.docs = set_of(sp.documents)
  st.unnamed = set_of(sp.unnamed)
  st.definite = set_of(sp.definite)
  st.preps = set_of(sp.prepositions)
  st.relatives = set_of(sp.relatives)
  st.be = set_of(sp.be_forms)
  st.finite = set_of(sp.finite)
  st.time = set_of(sp.time_words)
  st.skip = set_of(sp.skip_before_verb)
  st.modals = set_of(sp.modals)
  st.quantities = set_of(sp.quantities)
  st.func = set_of(sp.function_words)
  st.source_cues = phrase_index(sp.source_cues)
  st.postmods = phrase_index(sp.postmodifiers)
  st.listeners = phrase_index(sp.listeners)
  st.compounds = {}
  for _, p in ipairs(sp.compounds or {}) do
    local w = split_words(p)
    if #w == 2 then
      st.compounds[w[1]] = st.compounds[w[1]] or {}
      st.compounds[w[1]][w[2]] = true
    end
  end
  st.min_fragment = sp.min_fragment_words or 3
  st.min_unattributed = sp.min_unattributed_words or 4
  -- title words (stripped from names, kept as the role)
  st.titles = {}
  for _, t in ipairs(lists.titles or {}) do
    for _, w in ipairs(split_words(t)) do st.titles[(w:gsub("%.$", ""))] = true end
  end
  for _, w in ipairs(lists.role_modifiers or {}) do st.titles[w:lower()] = true end
  for h in pairs(lists.honorifics or {}) do st.titles[(h:lower():gsub("%.$", ""))] = true end
  for w in pairs(st.role_words) do st.titles[w] = true end
  for _, w in ipairs({ "mr", "mrs", "ms", "dr", "prof", "us", "u.s", "uk", "u.k", "eu", "un",
                       "former", "foreign", "deputy", "vice", "chief", "senior" }) do
    st.titles[w] = true
  end
  -- demonyms: form -> place, and place names
  st.demonym = {}
  st.place_demonyms = {}
  for place, forms in pairs(lists.demonyms or {}) do
    local pl = place:lower()
    st.place_demonyms[pl] = st.place_demonyms[pl] or {}
    if type(forms) == "string" then forms = { forms } end
    for _, f in ipairs(forms) do
      st.demonym[f:lower()] = pl
      st.place_demonyms[pl][#st.place_demonyms[pl] + 1] = f:lower()
    end
  end
  -- known non-person names (places, organisations) for the fallback
  st.known_type = {}
  for _, e in ipairs(lists.entities or {}) do
    if type(e.name) == "string" and e.type and e.type ~= "person" then
      st.known_type[e.name:lower()] = e.type
      for _, a in ipairs(e.aliases or {}) do st.known_type[a:lower()] = e.type end
    end
  end
  st.org_words = {}
  for w in pairs(st.orgs) do st.org_words[w] = true end
  for _, w in ipairs(lists.org_heads or {}) do st.org_words[w:lower()] = true end
  for _, w in ipairs(lists.org_tails or {}) do st.org_words[w:lower()] = true end
  -- given names and honorifics that tell a person's gender
  st.first_names = {}
  for name, g in pairs(lists.first_names or {}) do
    if g == "m" or g == "f" then st.first_names[name:lower()] = g end
  end
  st.honorific_gender = {}
  for h, g in pairs(lists.honorifics or {}) do
    if g == "m" or g == "f" then st.honorific_gender[(h:lower():gsub("%.$", ""))] = g end
  end
  -- every cue as one gazetteer: a block without a cue nor a quotation mark
  -- cannot hold a quote and is not read further
  if core.gazetteer then
    local phrases, seen, weak = {}, {}, {}
    local function add(p, is_weak)
      p = p:lower()
      if not seen[p] then
        seen[p] = true
        phrases[#phrases + 1] = p
        weak[#phrases] = is_weak or nil
      end
    end
    -- forms that never introduce reported speech (participles, verbs of
    -- direct quotes only) and forms mostly read as nouns matter only next to
    -- a quotation mark, where the text is read anyway
    local nouns = set_of(sp.noun_forms)
    -- a verb that needs "that" ("weak") makes its sentence worth reading
    -- only with "that" in it or at its end ("..., she noted.")
    for form, info in pairs(st.verb1) do
      if not info.ing and not info.direct and not nouns[form] then add(form, not info.bare) end
    end
    for first, b in pairs(st.verb2) do
      for second, info in pairs(b) do
        if not info.ing and not info.direct then add(first .. " " .. second, not info.bare) end
      end
    end
    for _, c in ipairs(sp.source_cues or {}) do add(c) end
    -- plain words (all of lede's own) go to a small matcher of their own
    -- that finds what the case-insensitive gazetteer would (and reads the
    -- prose ranges in C)
    st.cue_set = core.cue_set(phrases)
    st.cues = st.cue_set or core.gazetteer(phrases, { icase = true })
    st.cue_weak = weak
  end
  -- the first words of every cue
  st.cuewords = {}
  for w in pairs(st.verb1) do st.cuewords[w] = true end
  for w in pairs(st.verb2) do st.cuewords[w] = true end
  for w in pairs(st.source_cues) do st.cuewords[w] = true end
  -- a token whose first word is no cue word cannot start a cue (the
  -- tokeniser marks cue words; a word it joins with a period, "U.S.", keeps
  -- its first part's mark, so this holds while no cue word has a period)
  st.cue_marks = true
  for w in pairs(st.cuewords) do
    if w:find(".", 1, true) then st.cue_marks = false end
  end
  -- the attribution parser over the token records: the lists as sets, and
  -- the noun behind every word that has one (its forms are few: the nouns,
  -- their plurals and the plural forms "-s", "-es", "-ies")
  local nouns = {}
  local function noun_form(l)
    if nouns[l] == nil then
      local kind, sing, plural = noun_lookup(st, l)
      nouns[l] = kind and { kind, sing, plural } or false
    end
  end
  for _, set in ipairs({ st.role_class, st.orgs, st.docs }) do
    for w in pairs(set) do
      noun_form(w)
      noun_form(w .. "s")
      noun_form(w .. "es")
      if w:sub(-1) == "y" then noun_form(w:sub(1, -2) .. "ies") end
    end
  end
  for w in pairs(st.plurals) do noun_form(w) end
  for w, v in pairs(nouns) do
    if not v then nouns[w] = nil end
  end
  st.parser = core.quote_parser({
    func = st.func, preps = st.preps, pronouns = st.pronouns, definite = st.definite,
    unnamed = st.unnamed, relatives = st.relatives, be = st.be, finite = st.finite,
    time = st.time, skip = st.skip, modals = st.modals, quantities = st.quantities,
    titles = st.titles, demonym = st.demonym, verb1 = st.verb1, verb2 = st.verb2,
    compounds = st.compounds, source_cues = st.source_cues, postmods = st.postmods,
    listeners = st.listeners, nouns = nouns, cue_marks = st.cue_marks, contracted = CONTRACTED,
    cuewords = st.cuewords, org_words = st.org_words, known_type = st.known_type,
    connectors = CONNECTORS, particles = NAME_PARTICLES,
  })
  -- abbreviations whose period does not end a sentence (a set in C,
  -- looked up in place by core.quote_tokens)
  local abbrevs = {}
  for _, a in ipairs(require("lede.lists.abbreviations")) do abbrevs[a] = true end
  for _, a in ipairs(lists.abbreviations or {}) do abbrevs[a] = true end
  st.abbrevs = core.abbrev_set(abbrevs)
  -- core.quotes options (blocks set for each document; packed: the
  -- quotes as a lede.QuoteList, their records in C, the stage's list of
  -- the document before filled again, into)
  st.quote_opts = { nested = false, brief = true, packed = true }
  -- the speaker resolver (core.quote_resolver: its records and cursors in
  -- C, kept from one document to the next) and the lists it reads
  st.resolve = core.quote_resolver({
    pronouns = st.pronouns, role_class = st.role_class, plurals = st.plurals, demonym = st.demonym,
    place_demonyms = st.place_demonyms, first_names = st.first_names,
    honorific_gender = st.honorific_gender, known_type = st.known_type, org_words = st.org_words,
    sort_mentions = sort_mentions,
  })
  -- the ranges of core.prose_ranges (filled again for each document)
  st.ranges = core.prose_ranges("", {})
  -- the parser's records found in a document (emptied after each)
  st.found = {}
  -- core.quote_tokens' stream (n set for each document): its records only,
  -- in C (packed: the cue words and sentences it returns are kept in C,
  -- for P.speech)
  st.tk = { n = 0, records = true, packed = true, abbrevs = st.abbrevs, cuewords = st.cuewords,
            cuefilter = st.parser.cuefilter }
  return st
end

-- ---------------------------------------------------------------------------
-- Tokens

-- The tokens are cut in C by core.quote_tokens as core.token_stream cuts
-- them: words and punctuation marks, a period kept with an abbreviation or
-- an initial ("U.S.", "Mr.", "J."), dashes apart, cue words marked.

-- The sentences come with the tokens (see core.quote_tokens in
-- docs/core.md), and so do the token records the attribution parser
-- (core.quote_parser) reads: the noun phrases, the subjects of reporting
-- verbs, the attributions around quotes and the content of reported speech
-- are all read there, in C, over the records.

-- ---------------------------------------------------------------------------
-- Resolution

-- The speakers are resolved in C (core.quote_resolver, see docs/core.md):
-- a name to the entity mentioned there (or a surname to the full name seen
-- before), a pronoun to the most recent person of its gender mentioned or
-- quoted, a definite description to the most recent person whose roles and
-- nationality fit, in text order; the people are read from the mentions
-- (or, without them, from the capitalised names of the body).

-- ---------------------------------------------------------------------------
-- The stage

-- A text in another language than English: the cues and the grammar of
-- speakers are English, so only its direct quotes are kept (quotation marks
-- are every language's), each with a speaker only when the speaker is an
-- entity of the text (an English reading takes "Les autorités ..." or
-- "Consultada por ..." for a name).
local function foreign_quotes(out, entities)
  local known = {}
  for _, e in ipairs(entities or {}) do known[e.name] = true end
  local n = 0
  for k = 1, #out do
    local q = out[k]
    out[k] = nil
    if q.kind == "direct" then
      if not (q.speaker and known[q.speaker]) then q.speaker, q.speaker_text = nil, nil end
      n = n + 1
      out[n] = q
    end
  end
end

--- Runs the stage over one document: sets `ctx.quotes`.
-- @tparam table ctx the document (`text`, `blocks`; `mentions`, `entities` when present)
-- @tparam table st the compiled state
function M.run(ctx, st)
  local text = ctx.text
  local out = {}
  ctx.quotes = out
  if type(text) ~= "string" or text == "" or not ctx.blocks then return end
  -- body blocks that end as prose does (sentence punctuation; a closing
  -- quote mark unless the block reads as a headline): their ranges and
  -- their indices in ctx.blocks, and where each starts
  -- (the stage's ranges of the document before, filled again: the
  -- paragraph starts are their i)
  local ranges = core.prose_ranges(text, ctx.blocks, st.ranges)
  st.ranges = ranges
  local nr = #ranges
  if nr == 0 then return end
  -- the top-level quotes only (nested = false; the options table is the
  -- stage's, its blocks set for the call), in C (a lede.QuoteList: the
  -- stage's C functions read it, core.quote_tokens sets their tokens)
  local qopts = st.quote_opts
  qopts.blocks = ranges
  local quotes = core.quotes(text, 1, -1, qopts)
  qopts.blocks = nil
  qopts.into = quotes

  -- the token stream over the body, quotes as single tokens: its records,
  -- read in C (the stage's table, its count set back to 0)
  local tk = st.tk
  tk.n = 0
  -- blocks worth reading: with a quotation mark or a cue (all of them when
  -- names must be read from the tokens; a flag per range, kept in C)
  local wanted, runs
  if st.cues and ctx.mentions then
    local hits
    if st.cue_set then
      -- only the hits inside the ranges (the others are not read), kept
      -- in C for quote_blocks and sentence_runs
      hits = st.cue_set:scan(text, ranges, true, st.hits)
      st.hits = hits
    else
      local lo = ranges:get(1)
      local _, hi = ranges:get(nr)
      hits = st.cues:scan(text, lo, hi)
    end
    wanted = core.quote_blocks(ranges, hits, quotes, true, st.wanted)
    st.wanted = wanted
    -- in each wanted block, the runs of sentences worth reading: those with
    -- a cue (a verb that needs "that" only with "that" or near the end),
    -- those a quote overlaps, and the sentence on each side of a quote
    -- (packed: kept in C for core.quote_tokens)
    if ctx.sentences then
      runs = core.sentence_runs(text, ctx.sentences, ranges, ranges, wanted, hits, st.cue_weak, quotes, true,
                                st.runs)
      st.runs = runs
    end
  end
  -- the token stream: the text of each block (only its sentences worth
  -- reading; a "g" token stands for those left out), each quote one "q"
  -- token, a "b" token at each block's end
  -- (and the cue words, in text order, and the sentences)
  local cl, sents, recs = core.quote_tokens(text, ranges, quotes, runs, wanted, tk, nil, CONTRACTED)
  local P = st.parser
  P.bind(recs, text, nil, tk.n)

  -- the quotes and reported speech found, in C over the token records, in
  -- text order (a quoted fragment inside reported speech is part of it):
  -- { i=, j=, kind=, cue= } (and for a direct quote text=, parts=); what
  -- the resolver reads besides (the speaker's noun phrase, the paragraph,
  -- ...) stays in C, in P.side
  -- (the stage's array, emptied: it keeps the size it grew to)
  local found = st.found
  for k = #found, 1, -1 do found[k] = nil end
  P.speech(quotes, sents, cl, found, st.min_fragment, st.min_unattributed)

  if #found == 0 then return end

  -- resolution, in text order: each record kept gets its speaker,
  -- speaker_text and text and goes to out; a speaker written as a pronoun
  -- or a description ("He", "the Chinese expert") that resolved to an
  -- entity is a mention of that entity too (added to its mentions)
  local ms = ctx.mentions
  local names = nil
  if not (ms and #ms > 0) then names = P.names() end
  st.resolve(ms, found, quotes, ranges, text, out, ctx.entities, names, st.min_unattributed, P.side)
  -- the tables kept for the next document hold nothing of this one (they
  -- keep their size)
  for k = #found, 1, -1 do found[k] = nil end
  local lang = ctx.language
  if type(lang) == "string" and lang ~= "en" then foreign_quotes(out, ctx.entities) end
end

return M
