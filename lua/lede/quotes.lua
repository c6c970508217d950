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
local math_max, math_floor, math_huge = math.max, math.floor, math.huge
local string_byte = string.byte
local table_sort = table.sort

local M = {}

-- An empty table, never written to.
local EMPTY = {}

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

local fresh_resolver -- (below)

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
  -- core.quotes options (blocks set for each document; brief: the
  -- positions and the closing mark are all the stage reads)
  st.quote_opts = { nested = false, brief = true }
  -- the resolver's arrays of the people mentioned outside quotes (records,
  -- positions, paragraphs), kept from one document to the next at the
  -- size they grew to: only their first R.nment elements are read, and the
  -- records go at the end of the run
  -- the resolver (one table with every field it sets, false standing for
  -- none), its tables and the person records, all kept from one document
  -- to the next: the end of the run empties them
  fresh_resolver(st)
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

-- Text with runs of white space as one space (core.squeeze).
local squeeze = core.squeeze

-- The sentences come with the tokens (see core.quote_tokens in
-- docs/core.md), and so do the token records the attribution parser
-- (core.quote_parser) reads: the noun phrases, the subjects of reporting
-- verbs, the attributions around quotes and the content of reported speech
-- are all read there, in C, over the records.

-- ---------------------------------------------------------------------------
-- Resolution

local function find_mentions(ctx, a, b, from)
  local ms = ctx.mentions
  if not ms or #ms == 0 then return nil end
  -- first mention with i >= a: from (the resolver's cursor) when it is
  -- that one, else found by halves
  local lo, hi = from, #ms
  if not (lo and (lo == 1 or ms[lo - 1].i < a) and (lo > hi or ms[lo].i >= a)) then
    lo = 1
    while lo < hi do
      local mid = math_floor((lo + hi) / 2)
      if ms[mid].i < a then lo = mid + 1 else hi = mid end
    end
  end
  local best
  local x = lo
  while x <= #ms and ms[x].i <= b do
    local m = ms[x]
    if m.i >= a and m.j <= b and m.entity then
      local t = m.entity.type
      if not best or t == "person" or (best.entity.type ~= "person" and t == "organization") then
        best = m
      end
    end
    x = x + 1
  end
  return best and best.entity or nil
end

local function nationality_of(st, roles, name)
  local found
  for _, r in ipairs(roles or EMPTY) do
    local rl = r:lower()
    for w in rl:gmatch("[%w\128-\255%-]+") do
      local place = st.demonym[w]
      if place then found = found or place end
      if st.place_demonyms[w] then found = found or w end
    end
    -- two-word demonyms and places ("south korean")
    for w1, w2 in rl:gmatch("([%w\128-\255]+) ([%w\128-\255]+)") do
      local two = w1 .. " " .. w2
      if st.demonym[two] then found = st.demonym[two] end
    end
  end
  if not found and name then
    local place = st.demonym[name:lower()]
    if place then found = place end
  end
  return found
end

-- 3 when a role names the head noun itself, 2 when it names one of its
-- class ("professor" for "the expert"), 0 otherwise.
local function role_fits(st, roles, head)
  local classes = st.role_class[head]
  local score = 0
  for _, r in ipairs(roles or EMPTY) do
    for w in r:lower():gmatch("[%w\128-\255]+") do
      if w == head or st.plurals[w] == head or w == head .. "s" then return 3 end
      local c2 = st.role_class[w]
      if classes and c2 then
        for c in pairs(classes) do
          if c2[c] and c ~= "other" then score = 2 end
        end
      end
    end
  end
  return score
end

-- The nationality a record's roles give (or false), and how they fit a head
-- noun (role_fits): read once per record, again after its roles change
-- (nat 0: not read yet).
local function rec_nationality(st, rec)
  local n = rec.nat
  if n == 0 then
    n = nationality_of(st, rec.roles, nil) or false
    rec.nat = n
  end
  return n or nil
end

local function rec_fits(st, rec, head)
  local fits = rec.fits
  if not fits then
    fits = {}
    rec.fits = fits
  end
  local v = fits[head]
  if not v then
    v = role_fits(st, rec.roles, head)
    fits[head] = v
  end
  return v
end

-- The person records kept from one document to the next, at most.
local POOL_KEEP = 256

-- Makes the stage's resolver and the arrays of the people mentioned outside
-- quotes (records, positions, paragraphs: only their first R.nment
-- elements are read) anew, empty; returns the resolver.
function fresh_resolver(st)
  st.m_rec, st.m_i, st.m_para = {}, {}, {}
  st.R = { st = st, ctx = false, people = {}, by_name = {}, last_person = false, last_org = false,
           speakers = {}, m_rec = st.m_rec, m_i = st.m_i, m_para = st.m_para, nment = 0,
           entities = false, seen = {}, seen_list = {}, nseen = 0, lq_rec = false, lq_para = false,
           para_start = false, quotes = false, nq = 0, q_ordered = false, qp = 1, qlast = false,
           mptr = 1, mpara = 1, fptr = 1, fallback_mentions = false, last_kind = false,
           last_para = false, last_unnamed = false, listing = false, recent = false,
           pool = {}, nrec = 0 }
  return st.R
end

-- Lets go of the records of the document the resolver read last (its
-- tables keep their size for the next one).
local function clear_resolver(R)
  -- (a document of many names leaves no big tables behind: new ones)
  -- the records made stay in the pool (the first POOL_KEEP), their fields
  -- let go of (the people are the records in the order made: those of the
  -- pool first)
  local people, by_name, pool = R.people, R.by_name, R.pool
  if #people > POOL_KEEP then
    R.people, R.by_name = {}, {}
    for k = 1, POOL_KEEP do
      local rec = pool[k]
      rec.name, rec.type, rec.groles, rec.roles = false, false, false, false
    end
  else
    for k = #people, 1, -1 do
      local rec = people[k]
      by_name[rec.name] = nil
      rec.name, rec.type, rec.groles, rec.roles = false, false, false, false
      people[k] = nil
    end
  end
  local seen, list = R.seen, R.seen_list
  if R.nseen > POOL_KEEP then
    R.seen, R.seen_list = {}, {}
  else
    for k = R.nseen, 1, -1 do
      seen[list[k]] = nil
      list[k] = nil
    end
  end
  R.nseen = 0
  local sps = R.speakers
  if #sps > POOL_KEEP then
    R.speakers = {}
  else
    for k = #sps, 1, -1 do sps[k] = nil end
  end
  R.nrec = 0
  local m_rec = R.m_rec
  for k = R.nment, 1, -1 do m_rec[k] = nil end
  R.nment = 0
  R.ctx, R.last_person, R.last_org, R.lq_rec, R.lq_para = false, false, false, false, false
  R.last_unnamed, R.fallback_mentions = false, false
  R.para_start, R.quotes, R.recent, R.listing = false, false, false, false
end

-- The resolver: the people and organisations seen so far, most recent last
-- (the stage's table, emptied at the end of the run before; made anew when
-- that run failed, which may have left it half changed).
local function new_resolver(st, ctx, starts, quotes, nq, ordered)
  local R = st.R
  if R.ctx then R = fresh_resolver(st) end
  R.ctx, R.entities = ctx, ctx.mentions and #ctx.mentions > 0
  -- the people mentioned outside quotes, in text order: their records,
  -- positions and paragraphs (the first nment); the paragraph starts; the
  -- quotes a person's mention inside of is not counted (see advance),
  -- whether they are in order and apart, and the cursors over them and
  -- over the mentions
  R.para_start, R.quotes, R.nq, R.q_ordered, R.qp, R.qlast = starts, quotes, nq, ordered, 1, false
  R.mptr, R.mpara, R.fptr, R.last_kind, R.last_para = 1, 1, 1, false, false
  return R
end

-- Past this many records, a search over them (a speaker described by role,
-- an organisation by its head noun, a surname standing for a full name)
-- looks only at the RECENT most recently mentioned, so that a page of
-- thousands of names stays linear.
local RECENT = 128

-- Moves rec to the front of the records by last mention (R.recent, the
-- newest; then rec.older, and back through rec.newer). The list is kept
-- from the first search over more than RECENT records (see `listed`).
local function touch(R, rec)
  local head = R.recent
  if head == rec then return end
  local a, b = rec.newer, rec.older
  if a then a.older = b end
  if b then b.newer = a end
  rec.newer, rec.older = false, head
  if head then head.newer = rec end
  R.recent = rec
end

-- rec is mentioned at pos (its last mention, if later than the one it has).
local function mentioned(R, rec, pos)
  if pos > (rec.last or 0) then
    rec.last = pos
    if R.listing then touch(R, rec) end
  end
end

-- Starts the list of records by last mention: those mentioned so far, the
-- most recent first (the same last mention: the later made first).
local function listed(R)
  R.listing = true
  local seen = {}
  for k, rec in ipairs(R.people) do
    if rec.last then seen[#seen + 1] = { rec = rec, k = k } end
  end
  table_sort(seen, function(x, y)
    if x.rec.last ~= y.rec.last then return x.rec.last < y.rec.last end
    return x.k < y.k
  end)
  for _, e in ipairs(seen) do touch(R, e.rec) end
end

-- The records a search looks at: all, in the order they were made, up to
-- RECENT of them; past that, the RECENT most recently mentioned.
local function searched(R)
  local people = R.people
  if #people <= RECENT then return people end
  if not R.listing then listed(R) end
  local out, rec = {}, R.recent
  for k = 1, RECENT do
    if not rec then break end
    out[k] = rec
    rec = rec.older
  end
  return out
end

local function gender_of(st, name, roles)
  local first = name:match("^(%S+)")
  local g = first and st.first_names[first:lower()]
  if g then return g end
  for _, r in ipairs(roles or {}) do
    for w in r:lower():gmatch("[%a]+") do
      if st.honorific_gender[w] then return st.honorific_gender[w] end
    end
  end
  return nil
end

-- The gender of a record, read when first asked for (from its name and
-- the roles it was made with): "m", "f" or false.
local function gender_at(R, rec)
  local g = rec.gender
  if g == 0 then
    g = gender_of(R.st, rec.name, rec.groles or nil) or false
    rec.gender = g
  end
  return g
end

local function person_record(R, name, etype, roles, pos)
  local rec = R.by_name[name]
  if not rec then
    -- gender and nat 0: not read yet (gender_at, rec_nationality); roles:
    -- false until the record has one; a record of the pool has every field
    local n = R.nrec + 1
    R.nrec = n
    rec = R.pool[n]
    if rec then
      rec.name, rec.type, rec.roles, rec.last, rec.gender, rec.groles, rec.words = name, etype or false,
          false, false, 0, roles or false, false
      rec.nat, rec.fits, rec.spoke, rec.newer, rec.older, rec.first = 0, false, false, false, false, false
    else
      rec = { name = name, type = etype or false, roles = false, last = false, gender = 0,
              groles = roles or false, words = false, nat = 0, fits = false, spoke = false,
              newer = false, older = false, first = false }
      if n <= POOL_KEEP then R.pool[n] = rec end
    end
    R.by_name[name] = rec
    R.people[#R.people + 1] = rec
  end
  if etype and (not rec.type or rec.type == "unknown") then rec.type = etype end
  if roles then
    -- each role once, in the order first seen
    local list, k = rec.roles, 1
    local r = roles[1]
    while r ~= nil do
      local dup = false
      if not list then
        list = {}
        rec.roles = list
      end
      for x = 1, #list do
        if list[x] == r then dup = true break end
      end
      if not dup then
        list[#list + 1] = r
        rec.nat, rec.fits = 0, false
      end
      k = k + 1
      r = roles[k]
    end
  end
  -- (mentioned, inline)
  if pos and pos > (rec.last or 0) then
    rec.last = pos
    if R.listing then touch(R, rec) end
  end
  return rec
end

local function guess_type(st, name)
  local l = name:lower()
  if st.known_type[l] then return st.known_type[l] end
  local words = split_words(name)
  for _, w in ipairs(words) do
    if st.org_words[w] then return "organization" end
  end
  if name:find("^%u[%u%d&%.%-]+$") then return "organization" end
  return "person"
end

-- Canonical record for a name as written (fallback without entities).
local function resolve_name_fallback(R, name, pos)
  local st = R.st
  if R.by_name[name] then return R.by_name[name] end
  local words = split_words(name)
  if #words == 1 then
    -- a surname (or given name) standing for a full name seen before
    local best
    for _, rec in ipairs(searched(R)) do
      if rec.type == "person" and rec.name ~= name then
        -- the words of a record's name, split once
        local rw = rec.words
        if not rw then
          rw = split_words(rec.name)
          rec.words = rw
        end
        if #rw > 1 then
          local hit = rw[#rw] == words[1] and 2 or 0
          if hit == 0 then
            for _, w in ipairs(rw) do if w == words[1] then hit = 1 end end
          end
          if hit > 0 and (not best or hit > best.hit or (hit == best.hit and (rec.last or 0) > (best.rec.last or 0))) then
            best = { rec = rec, hit = hit }
          end
        end
      end
    end
    if best then return best.rec end
  end
  return person_record(R, name, guess_type(st, name), nil, pos)
end

-- Registers the names of the body (fallback): capitalised runs of two or
-- more words that are not known places or organisations (P.names).
local function register_names(R, names)
  local fb = {}
  R.fallback_mentions = fb
  for k = 1, #names do
    local c = names[k]
    local rec = person_record(R, c.name, "person", c.roles, nil)
    rec.first = rec.first or c.i
    fb[#fb + 1] = { rec = rec, i = c.i, para = c.para }
  end
end

-- The entity (record) a speaker NP stands for, and the record's type.
-- Reads the mentions before pos, once and in text order: the records of
-- people and organisations with their last mention, and the people mentioned
-- outside quotes.
local function advance(R, pos)
  local fb = R.fallback_mentions
  if fb then
    local p = R.fptr or 1
    while p <= #fb and fb[p].i < pos do
      local e = fb[p]
      local nm = R.nment + 1
      R.m_rec[nm], R.m_i[nm], R.m_para[nm], R.nment = e.rec, e.i, e.para, nm
      mentioned(R, e.rec, e.i)
      p = p + 1
    end
    R.fptr = p
  end
  local ms = R.ctx.mentions
  if not ms then return end
  -- the next mention to read (none before pos: nothing to do)
  local p = R.mptr
  local m = ms[p]
  if m == nil or m.i >= pos then return end
  -- seen[E]: the record of a person or organisation, its roles merged
  -- once (a later mention only moves its last position); false for an
  -- entity of another type
  local seen, listing = R.seen, R.listing
  -- the people mentioned outside quotes go to m_rec, m_i, m_para (pr: the
  -- paragraph of the last one)
  local ps, pr = R.para_start, R.mpara
  local nps = #ps
  local m_rec, m_i, m_para, nm = R.m_rec, R.m_i, R.m_para, R.nment
  -- whether a mention is inside a quote: a cursor (qp) walks the quotes
  -- when they are in order and apart (from the first again after a step
  -- back, qlast the position asked last); else a search by halves
  local quotes, nq, ordered, qp, qlast = R.quotes, R.nq, R.q_ordered, R.qp, R.qlast
  repeat
    local mi = m.i
    if mi >= pos then break end
    local E = m.entity
    if E then
      local rec = seen[E]
      local person
      if rec then
        -- only people and organisations have a record; another type was
        -- made a person by its given name
        person = E.type ~= "organization"
        -- (mentioned, inline)
        if mi > (rec.last or 0) then
          rec.last = mi
          if listing then touch(R, rec) end
        end
      elseif rec == nil then
        local etype = E.type
        if etype ~= "person" and etype ~= "organization" then
          -- a name that starts with a given name is a person's ("Ann Park")
          local first, rest = E.name:match("^(%S+)%s+(%S.*)$")
          if first and rest and R.st.first_names[first:lower()] and not rest:find("%s%S+%s") then
            etype = "person"
          end
        end
        if etype == "person" or etype == "organization" then
          rec = person_record(R, E.name, etype, E.roles, mi)
        end
        seen[E] = rec or false
        local ns = R.nseen + 1
        R.seen_list[ns], R.nseen = E, ns
        person = etype == "person"
      end
      if rec and person then
        local inside = false
        if ordered then
          if qlast and mi < qlast then qp = 1 end
          qlast = mi
          while qp <= nq do
            local q = quotes[qp]
            if (q.close or q.stop) >= mi then inside = q.open <= mi break end
            qp = qp + 1
          end
        else
          local lo, hi = 1, nq
          while lo <= hi do
            local mid = math_floor((lo + hi) / 2)
            local q = quotes[mid]
            if mi < q.open then hi = mid - 1
            elseif mi > (q.close or q.stop) then lo = mid + 1
            else inside = true break end
          end
        end
        if not inside then
          while pr < nps and ps[pr + 1] <= mi do pr = pr + 1 end
          nm = nm + 1
          m_rec[nm], m_i[nm], m_para[nm] = rec, mi, pr
        end
      end
    end
    p = p + 1
    m = ms[p]
  until m == nil
  R.mpara, R.nment, R.qp, R.qlast = pr, nm, qp, qlast
  R.mptr = p
end

local function resolve(R, np, pos, para)
  local st, ctx = R.st, R.ctx
  advance(R, pos)
  if np.kind == "name" then
    local E = R.entities and find_mentions(ctx, np.i, np.j, pos == np.i and R.mptr)
    local roles
    if np.role or np.appositive then
      roles = {}
      if np.role then roles[#roles + 1] = np.role end
      if np.appositive then roles[#roles + 1] = np.appositive end
    end
    if E and E.type == "person" and not E.name:find("%s") then
      -- a surname the entities kept apart from the full name seen before
      local full = resolve_name_fallback(R, E.name, pos)
      if full and full.name ~= E.name and full.type == "person" then E = full end
    end
    if E then
      local rec = person_record(R, E.name, E.type, E.roles, pos)
      if roles then person_record(R, E.name, nil, roles, pos) end
      return rec
    end
    local rec = resolve_name_fallback(R, np.name, pos)
    person_record(R, rec.name, nil, roles, pos)
    return rec
  elseif np.kind == "pronoun" then
    local kind = st.pronouns[np.pron]
    if kind == "m" or kind == "f" then
      local function fits(rec)
        local g = gender_at(R, rec)
        return not g or g == kind
      end
      local function learn(rec)
        if rec and not gender_at(R, rec) then rec.gender = kind end
        return rec
      end
      -- the most recent person of that gender mentioned before, outside quotes
      local before
      local m_rec, nm = R.m_rec, R.nment
      for k = nm, math_max(1, nm - 50), -1 do
        if fits(m_rec[k]) then before = k break end
      end
      -- the most recent speaker of that gender, in this or the two paragraphs before
      local sps, recent = R.speakers, nil
      for k = #sps, math_max(1, #sps - 50), -1 do
        local sp = sps[k]
        if para - sp.para > 2 then break end
        if fits(sp.rec) then recent = sp break end
      end
      -- a person mentioned in this paragraph, or in the one before after the
      -- last speaker had spoken, is who the pronoun is about
      local bpara = before and R.m_para[before]
      if before and (bpara == para or
          (bpara == para - 1 and (not recent or R.m_i[before] > (recent.send or recent.j)))) then
        return learn(m_rec[before])
      end
      if recent then return learn(recent.rec) end
      if before then return learn(m_rec[before]) end
      for k = #sps, math_max(1, #sps - 50), -1 do
        if fits(sps[k].rec) then return learn(sps[k].rec) end
      end
      return nil
    elseif kind == "neuter" then
      return R.last_org
    elseif kind == "plural" then
      -- "they": an organisation that has just spoken ("the company said ...
      -- They added"); a group of unnamed people stays unnamed
      if R.last_kind == "organization" and R.last_para and para - R.last_para <= 1 then
        return R.last_org
      end
    end
    return nil
  elseif np.kind == "desc" then
    if not np.definite or np.plural or np.possessive then return nil end
    if np.noun == "doc" then return nil end
    if np.noun == "org" then
      local best
      for _, rec in ipairs(searched(R)) do
        if rec.type == "organization" and rec.last and rec.last < pos and rec.name:lower():find(np.head, 1, true) then
          if not best or rec.last > best.last then best = rec end
        end
      end
      return best
    end
    -- "one legal expert said ... the expert warned": the unnamed source again
    -- (a single one: "other experts believe ... the Chinese expert said" is
    -- someone else)
    local lu = R.last_unnamed
    if lu and para - lu.para <= 1 and (lu.head == np.head or (st.role_class[lu.head] and
        st.role_class[np.head] and st.role_class[lu.head].expert and st.role_class[np.head].expert)) then
      return nil
    end
    -- a person by role: the best score, the most recent of equals
    local want = np.nat
    local function nat_score(rec)
      if not want then return 1 end
      local n = rec_nationality(st, rec)
      if n == want then return 2 end
      if n then return 0 end
      return 1
    end
    local best, best_score
    for _, rec in ipairs(searched(R)) do
      local last = rec.last
      if rec.type == "person" and last and last < pos then
        local ns = nat_score(rec)
        if ns > 0 then
          local score = ns + rec_fits(st, rec, np.head) + (rec.spoke and 1 or 0)
          if not best_score or score > best_score or (score == best_score and last > best.last) then
            best, best_score = rec, score
          end
        end
      end
    end
    if best and best_score >= 3 then return best end
    -- an expert, an analyst: the most recent quoted person whose nationality
    -- does not conflict
    local classes = st.role_class[np.head]
    if np.generic then
      -- "the 66-year-old": the person just written about
      local m = R.nment
      local lp = R.last_person
      if m > 0 and R.m_para[m] >= para - 1 and (not lp or R.m_i[m] > (lp.send or lp.j or 0)) then
        return R.m_rec[m]
      end
    end
    local sp = R.last_person
    if sp and nat_score(sp.rec) > 0 then
      if (classes and classes.expert) or np.generic then return sp.rec end
      -- "the spokesman said" right after a quote: the same person, unless a
      -- role of theirs says otherwise
      local roles = sp.rec.roles
      if para - sp.para <= 1 and role_fits(st, roles, np.head) > 0 or (not roles or #roles == 0)
          and para - sp.para <= 1 then
        return sp.rec
      end
    end
    if not sp and ((classes and classes.expert) or np.generic) then
      -- nobody quoted yet: the person just written about
      local m = R.nment
      if m > 0 and R.m_para[m] >= para - 1 and nat_score(R.m_rec[m]) > 0 then return R.m_rec[m] end
    end
    return nil
  end
  return nil
end

-- ---------------------------------------------------------------------------
-- The stage

local function np_text(text, np)
  local a, b = np.i, np.j
  if np.kind == "name" and b - a >= 1 then
    -- a final "'s": the byte before the "s" is one of "'" or the bytes of "’"
    local c1, c2 = string_byte(text, b - 1, b)
    if c2 == 115 and (c1 == 39 or c1 == 0xE2 or c1 == 0x80 or c1 == 0x99) then b = b - 2 end
  end
  return squeeze(text, a, b)
end

local function by_position(a, b) return a.i < b.i end

-- A speaker written as a pronoun or a description ("He", "the Chinese
-- expert") that resolved to an entity is a mention of that entity too
-- (corefs: the quotes whose speaker was so written).
local function add_coreferent_mentions(ctx, corefs)
  if #corefs == 0 or not ctx.entities then return end
  -- the entity of each speaker's name (the last of that name), for the
  -- names of the speakers only
  local by_name = {}
  for _, f in ipairs(corefs) do
    local name = f.rec.name
    if name ~= nil then by_name[name] = false end
  end
  for _, E in ipairs(ctx.entities) do
    local name = E.name
    if by_name[name] ~= nil then by_name[name] = E end
  end
  -- at[E]: the positions i of E's mentions, as a set (made when first
  -- needed), so that each coreferent is checked once whatever their number;
  -- touched[E]: how many were added, or true when E's mentions were not in
  -- order by position before (each after the one before)
  local touched, at = {}, {}
  for _, f in ipairs(corefs) do
    local E = by_name[f.rec.name]
    local c = f.np
    if E and c.i and c.j then
      local ms = E.mentions
      local set = at[E]
      if not set then
        set = {}
        local last, ordered, n = -math_huge, true, 0
        for _, m in ipairs(ms) do
          local mi = m.i
          if mi ~= nil and mi == mi then set[mi] = true end
          if type(mi) ~= "number" or not (mi > last) then ordered = false end
          last, n = mi, n + 1
        end
        ordered = ordered and n == #ms
        at[E] = set
        touched[E] = ordered and 0 or true
      end
      if not set[c.i] then
        ms[#ms + 1] = { i = c.i, j = c.j, text = f.speaker_text }
        set[c.i] = true
        local added = touched[E]
        if added ~= true then touched[E] = added + 1 end
      end
    end
  end
  for E, added in pairs(touched) do
    local ms = E.mentions
    if added == true or added > 8 then
      table_sort(ms, by_position)
    elseif added > 0 then
      -- in order but for the few added at the end, all at positions of
      -- their own: each goes back to its place (what the sort gives)
      for k = #ms - added + 1, #ms do
        local m = ms[k]
        local mi, x = m.i, k - 1
        while x >= 1 and ms[x].i > mi do
          ms[x + 1] = ms[x]
          x = x - 1
        end
        ms[x + 1] = m
      end
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
  local ranges, starts = core.prose_ranges(text, ctx.blocks)
  local nr = #ranges
  if nr == 0 then return end
  -- the top-level quotes only (nested = false; the options table is the
  -- stage's, its blocks set for the call)
  local qopts = st.quote_opts
  qopts.blocks = ranges
  local quotes = core.quotes(text, 1, -1, qopts)
  qopts.blocks = nil

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
      hits = st.cue_set:scan(text, ranges, true)
    else
      local lo = ranges:get(1)
      local _, hi = ranges:get(nr)
      hits = st.cues:scan(text, lo, hi)
    end
    wanted = core.quote_blocks(ranges, hits, quotes, true)
    -- in each wanted block, the runs of sentences worth reading: those with
    -- a cue (a verb that needs "that" only with "that" or near the end),
    -- those a quote overlaps, and the sentence on each side of a quote
    -- (packed: kept in C for core.quote_tokens)
    if ctx.sentences then
      runs = core.sentence_runs(text, ctx.sentences, ranges, ranges, wanted, hits, st.cue_weak, quotes, true)
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
  -- { i=, j=, kind=, np=, cue=, para= } (and for a direct quote text=,
  -- inherit=, parts=, send=, nwords=)
  -- (the stage's array, emptied: it keeps the size it grew to)
  local found = st.found
  for k = #found, 1, -1 do found[k] = nil end
  P.speech(quotes, sents, cl, found, st.min_fragment, st.min_unattributed)

  if #found == 0 then return end

  -- resolution, in text order
  -- the quotes a person's mention inside of is not counted (see advance)
  local nq, ordered = #quotes, true
  for x = 2, nq do
    local p = quotes[x - 1]
    if quotes[x].open <= (p.close or p.stop) then ordered = false break end
  end
  local R = new_resolver(st, ctx, starts, quotes, nq, ordered)
  if not R.entities then register_names(R, P.names()) end
  local corefs = {}
  for k_ = 1, #found do
    local f = found[k_]
    local speaker, speaker_text, rec
    local skip = false
    if f.inherit == "previous" then
      -- the quote before: its record and paragraph
      if R.lq_para and f.para - R.lq_para <= 1 then
        rec = R.lq_rec
      elseif f.nwords < st.min_unattributed then
        skip = true -- a short quote nobody said
      end
    elseif f.inherit then
      rec = f.inherit.rec
    elseif f.np then
      speaker_text = np_text(text, f.np)
      rec = resolve(R, f.np, f.np.i, f.para)
    end
    if rec then
      speaker = rec.name
      rec.spoke = true
      if rec.type == "person" or rec.type == "unknown" or not rec.type then
        -- the quote is the speaker's record (rec, para; where it ends:
        -- its sentence's end send, else j)
        f.rec = rec
        R.last_person = f
        R.speakers[#R.speakers + 1] = f
      elseif rec.type == "organization" then
        R.last_org = rec
      end
    end
    if not skip then
      R.last_kind = rec and rec.type or "unnamed"
    if not rec and f.np and f.np.kind == "desc" and f.np.head and not f.np.plural then
      R.last_unnamed = { head = f.np.head, para = f.para }
    elseif rec then
      R.last_unnamed = nil
    end
      R.last_para = f.para
      R.lq_rec, R.lq_para = rec, f.para
      f.rec = rec
      -- the record found is the quote itself (its fields of the stage's
      -- own go at the end)
      if not f.text then f.text = squeeze(text, f.i, f.j) end
      f.speaker, f.speaker_text = speaker, speaker_text
      out[#out + 1] = f
      if rec and f.np and f.np.kind ~= "name" then corefs[#corefs + 1] = f end
    end
  end
  add_coreferent_mentions(ctx, corefs)
  -- the quotes hold the fields of ctx.quotes only
  for k = 1, #out do
    local f = out[k]
    f.np, f.para, f.inherit, f.send, f.nwords, f.rec = nil, nil, nil, nil, nil, nil
  end
  -- the tables kept for the next document hold nothing of this one (they
  -- keep their size)
  for k = #found, 1, -1 do found[k] = nil end
  clear_resolver(R)
end

return M
