--- Entities stage: people, organisations and places in the body, with roles,
-- aliases and every mention's position.
--
-- Per body block:
--
-- 1. the lists' gazetteer (one scan in C) finds known names, their aliases
--    and adjectival forms ("Chinese" -> China), titles ("Foreign Minister",
--    "deputy director") and phrases never reported ("Indo-Pacific");
-- 2. core.caps_runs (the RUN pattern below, in one pass in C) finds runs
--    of capitalised words ("Institute for Asian and African Affairs",
--    "Chinese Foreign Minister Wang Yi"); in each run,
--    organisation shapes ("... University", "Ministry of ...") become
--    organisations, and the words no list knows are split into pieces;
-- 3. a piece is a person's name when a title or honorific stands before it,
--    a role in apposition after or before it ("Andrei Karneev, deputy
--    director of ...", "The director of ..., Ba Dianjun"), its first word is
--    a known given name, its shape is an East Asian name ("Kang Kyung-wha"),
--    or a cue says so ("according to ...", "... said");
-- 4. roles are read around every person mention: the title words before the
--    name ("South Korean counterpart") or the apposition; organisations
--    named in a role ("an analyst at Bernstein") are reported too.
--
-- After the last block, one-word mentions ("Dianjun", "Karneev") join the
-- person whose full name has that word (before a person of the lists who is
-- known by that word alone), and acronyms join the organisation they
-- abbreviate. The result is `ctx.entities` (first mention order; a person
-- also has `gender` and, from a role, `nationality` and `demonym`, for the
-- quotes stage) and `ctx.mentions` (sorted by position, each with `.entity`).
-- docs/entities.md describes the rules and the list schema. Steps 2 to 4
-- read the block text word by word: lede.core does that reading
-- (core.entity_runs, core.entity_known, core.entity_cue, over the word sets
-- hashed once by core.entity_sets) and records the entities and mentions
-- it finds in the document record itself.
--
-- @module lede.entities

local core = require "lede.core"
local lists_mod = require "lede.lists"

local error, ipairs, pairs, type, tostring, require = error, ipairs, pairs, type, tostring, require
local string_byte, string_sub, string_find, string_lower = string.byte, string.sub, string.find, string.lower
local string_match, string_gsub = string.match, string.gsub
local table_concat = table.concat

local M = {}

-- The word sets core.entity_cue and core.entity_runs look words up in,
-- in their order (set at the end, once they are defined; those of each
-- state follow them, see compile).
local CUE_SETS, COMPANY_FORMS

-- Kinds of gazetteer phrases.
local K_ENTITY, K_DEMONYM, K_TITLE, K_IGNORE = 1, 2, 3, 4

-- Connectors that may stand inside a person's name.
local NAME_PARTICLES = {
  ["de"] = true, ["da"] = true, ["di"] = true, ["dos"] = true, ["das"] = true, ["van"] = true,
  ["von"] = true, ["der"] = true, ["den"] = true, ["al"] = true, ["bin"] = true, ["ibn"] = true,
  ["la"] = true, ["le"] = true, ["del"] = true,
}

-- A name word: capitalised (with hyphenated or apostrophe parts), an initial
-- or initials ("J.", "U.S."), or a lowercase particle glued to a capitalised
-- word ("al-Assad").
local WORD = [[(?:(?:St|Mt|Ft|Jr|Sr)\.|(?:\p{Lu}\.){2,8}|\p{Lu}\.(?=[ ]\p{Lu})|\p{Lu}[\p{L}\p{M}\p{N}]*(?:[-'’][\p{L}\p{M}\p{N}]+){0,6}|\p{Ll}{1,3}-\p{Lu}[\p{L}\p{M}]*|\p{N}+[ ]?\p{Lu}[\p{L}]*)]]
local CONN = [[(?:of|for|and|on|de|du|des|del|della|da|di|dos|das|van|von|der|den|al|bin|ibn|la|le|y|&)(?:[ ]the)?]]
local RUN = [[(?<![\p{L}\p{M}\p{N}])]] .. WORD .. [[(?:[ ](?:]] .. CONN .. [[[ ])?]] .. WORD .. [[){0,15}]]

local function set_of(arr, lower)
  local t = {}
  if arr then
    for _, w in ipairs(arr) do t[lower and string_lower(w) or w] = true end
  end
  return t
end

-- Whether a phrase is an acronym to match in capitals only ("US", "WHO").
local function is_acronym(p)
  return not string_find(p, "%l") and string_find(p, "%u.*%u") ~= nil
end

local function first_upper(s, i)
  local c = string_byte(s, i)
  return c and ((c >= 65 and c <= 90) or c >= 0xC3) -- ASCII capital, or a non-ASCII letter
end

-- "Commerce Ministry" and "Ministry of Commerce" are one organisation.
local function org_key(name)
  local x, kind = string_match(name, "^(%u[%a%- ]+) (Ministry)$")
  if not x then x, kind = string_match(name, "^(%u[%a%- ]+) (Department)$") end
  if x then return "organization\0" .. kind .. " of " .. x end
  return "organization\0" .. name
end

-- Lower-case English words (lede.lists.english): strings of words between
-- spaces, by their first two letters (core.english_set hashes them).
local english_cache
local function english_words()
  if not english_cache then
    local data = require "lede.lists.english"
    english_cache = { words = data.words, proper = set_of(data.proper), set = core.english_set(data.words) }
  end
  return english_cache
end

-- How many words the cache of English look-ups (st.english_seen, kept by
-- lede.core's readers: whether a capitalised word is a common English word,
-- "Magic", "Keyboards") keeps before it starts afresh: an extractor that
-- runs over a whole corpus (or for days inside an editor) keeps bounded
-- memory.
local ENGLISH_SEEN_MAX = 50000

--- Compiles the stage: merges lists and builds one gazetteer of every phrase.
-- @tparam table config `lists` (merged lists from `lede.lists.stack`; the
--   built-in lists when absent), `opts` (`lists` read when `config.lists` is absent)
-- @treturn table state
-- @raise on a malformed list (naming file and line) or a bad pattern
function M.compile(config)
  config = config or {}
  local lists = config.lists
  if not lists then lists = lists_mod.stack(config.opts and config.opts.lists) end
  local st = {
    ents = {},          -- entity records from the lists
    phrases = {},       -- gazetteer phrases
    pkind = {}, ptarget = {}, ptitle = {},
    first_names = lists.first_names or {},
    honorifics = lists.honorifics or {},
    surnames = set_of(lists.surnames),
    common = set_of(lists.common_words),
    generic = set_of(lists.generic_words),
    org_heads = set_of(lists.org_heads),
    org_tails = set_of(lists.org_tails),
    place_tails = set_of(lists.place_tails),
    thing_tails = set_of(lists.thing_tails),
    legal = set_of(lists.legal_suffixes),
    modifiers = set_of(lists.role_modifiers, true),
    cues_after = set_of(lists.person_cues_after, true),
    patterns = {},
    tsv = {},
  }
  local eng = english_words()
  st.english, st.proper, st.english_seen, st.english_seen_n = eng.words, eng.proper, {}, 0
  st.english_set = eng.set
  -- the one-word runs core.entity_runs would drop at once, dropped by core.caps_runs:
  -- common and generic words (a word set keyed as core.english_set wants)
  local buckets = {}
  for _, set in ipairs({ st.common, st.generic }) do
    for w, v in pairs(set) do
      if v and type(w) == "string" and w ~= "" and not string_find(w, " ", 1, true) then
        local key = string_sub(w, 1, 2)
        local b = buckets[key]
        if not b then b = {}; buckets[key] = b end
        b[#b + 1] = w
      end
    end
  end
  for key, b in pairs(buckets) do buckets[key] = " " .. table_concat(b, " ") .. " " end
  st.run_skip = core.english_set(buckets)
  st.english_seen_max = ENGLISH_SEEN_MAX
  st.common_lower = {}
  for w in pairs(st.common) do st.common_lower[string_lower(w)] = true end
  st.abbrev = {}
  for _, a in ipairs(require("lede.lists.abbreviations")) do st.abbrev[a] = true end
  for _, a in ipairs(lists.abbreviations or {}) do st.abbrev[a] = true end
  st.cues_before1, st.cues_before2 = {}, {}
  for _, c in ipairs(lists.person_cues_before or {}) do
    c = string_lower(c)
    if string_find(c, " ", 1, true) then st.cues_before2[c] = true else st.cues_before1[c] = true end
  end

  local removed = set_of(lists.remove)
  local by_name = {}
  local slot = {}  -- phrase key -> phrase index (later lists override earlier ones)
  local add_phrase
  local function add_phrase1(p, kind, target)
    local exact = is_acronym(p)
    local key = exact and p or string_lower(p)
    local n = slot[key]
    if n then
      if st.pkind[n] == K_IGNORE then return end
      if st.pkind[n] == K_ENTITY and kind == K_TITLE then
        -- "Economist" the paper, "economist" the title: the title when in lower case
        st.ptitle[n] = target
        return
      end
      if st.pkind[n] == K_ENTITY and kind ~= K_ENTITY and kind ~= K_IGNORE then return end
    else
      n = #st.phrases + 1
      slot[key] = n
      st.phrases[n] = exact and { p, exact = true } or p
    end
    st.pkind[n], st.ptarget[n] = kind, target
  end
  -- a name with an apostrophe is also written with a typographic one
  add_phrase = function(p, kind, target)
    add_phrase1(p, kind, target)
    if string_find(p, "'", 1, true) then add_phrase1((string_gsub(p, "'", "’")), kind, target) end
  end
  local function entity(name, etype)
    local key = etype .. "\0" .. name
    local e = by_name[key]
    if not e then
      e = { name = name, type = etype, aliases = {}, index = #st.ents + 1,
            key = etype == "organization" and org_key(name) or key }
      st.ents[e.index] = e
      by_name[key] = e
    end
    return e
  end
  for _, rec in ipairs(lists.entities or {}) do
    if not removed[rec.name] then
      local e = entity(rec.name, rec.type)
      if rec.gender then e.gender = rec.gender end
      if rec.iso then e.country = true end
      if rec.type == "person" and not e.gender then
        local g = st.first_names[rec.name:match("^[^ ]+")]
        if g == "m" or g == "f" then e.gender = g end
      end
      add_phrase(rec.name, K_ENTITY, e)
      for _, a in ipairs(rec.aliases or {}) do
        if not removed[a] then add_phrase(a, K_ENTITY, e) end
      end
      for _, d in ipairs(rec.demonyms or {}) do
        e.demonym = e.demonym or d
        add_phrase(d, K_DEMONYM, e)
      end
    end
  end
  for place, forms in pairs(lists.demonyms or {}) do
    if not removed[place] then
      local e = by_name["place\0" .. place] or entity(place, "place")
      for _, d in ipairs(forms) do
        e.demonym = e.demonym or d
        add_phrase(d, K_DEMONYM, e)
      end
    end
  end
  st.formal = {} -- titles written with a capital in the lists ("President", not "coach")
  for _, t in ipairs(lists.titles or {}) do
    add_phrase(t, K_TITLE, t)
    if string_find(t, "^%u") then st.formal[string_lower(t)] = true end
  end
  for _, p in ipairs(lists.ignore or {}) do
    local key = is_acronym(p) and p or string_lower(p)
    local n = slot[key]
    if not n then
      n = #st.phrases + 1
      slot[key] = n
      st.phrases[n] = p
    end
    st.pkind[n], st.ptarget[n] = K_IGNORE, true
  end
  -- per phrase: not an acronym (so "CHINA" or "NEW YORK" in capitals, a
  -- shouted headline or a dateline, is not a mention);
  -- several words (their inner word starts are covered)
  st.pshout, st.pmulti = {}, {}
  for n, p in ipairs(st.phrases) do
    local text = type(p) == "table" and p[1] or p
    st.pmulti[n] = string_find(text, " ", 1, true) ~= nil
    st.pshout[n] = type(p) == "string" and string_find(text, "%l") ~= nil
  end
  st.gaz = core.gazetteer(st.phrases)
  st.match_info = { st.pkind, st.ptarget, st.pshout, st.pmulti, st.ptitle }
  -- what core.entity_matches reads of each phrase, made once
  st.match_info[6] = core.entity_phrase_flags(st.match_info)
  for _, path in ipairs(lists.tsv or {}) do
    local g, err = core.gazetteer_load(path)
    if not g then error(err, 0) end
    st.tsv[#st.tsv + 1] = { g = g, cache = {} }
  end
  for _, p in ipairs(lists.patterns or {}) do
    st.patterns[#st.patterns + 1] = {
      re = core.regex(p.pattern, p.flags, { name = p.name }), type = p.type,
      canonical = p.canonical, group = p.group,
    }
  end
  -- the runs of a block come from core.caps_runs, which finds what RUN
  -- finds (run_re is the reference it is checked against; lede.core reads
  -- the run at a given place in a role the same way)
  st.run_re = core.regex(RUN, "", { name = "entities: capitalised run" })
  st.cue_sets = {}
  for k = 1, #CUE_SETS do st.cue_sets[k] = CUE_SETS[k] end
  for _, v in ipairs({ st.english_set, st.first_names, st.common, st.proper, st.honorifics, st.formal,
                       st.org_tails, st.place_tails, st.thing_tails, st.org_heads, st, st.modifiers,
                       st.cues_after, st.common_lower, st.generic, st.abbrev, st.surnames,
                       st.cues_before1, st.cues_before2, st.legal, COMPANY_FORMS }) do
    st.cue_sets[#st.cue_sets + 1] = v
  end
  -- the same sets hashed, for lede.core's readers
  st.cue_sets[#st.cue_sets + 1] = core.entity_sets(st.cue_sets)
  -- with no TSV list and no pattern, core.entity_blocks reads every block
  -- in one call
  st.blocks_in_c = #st.tsv == 0 and #st.patterns == 0
  return st
end

-- ---------------------------------------------------------------------------
-- Per-document state: entities found, keyed by type and canonical name.

-- The entities (E, keyed by type and name) and mentions (m, by start
-- position in D.at) of the document are made by lede.core: core.entity_doc,
-- core.entity_mention and core.entity_person (a person's mention with the
-- roles around it), and by the block readers core.entity_runs and
-- core.entity_known, which record what they find in D themselves.
local core_entity_doc, core_entity_mention = core.entity_doc, core.entity_mention
local core_entity_known, core_entity_block = core.entity_known, core.entity_block
local core_entity_new = core.entity_new

-- ---------------------------------------------------------------------------
-- The word sets of lede.core's readers (st.cue_sets, in the order of CUE_SETS).

local core_entity_runs, core_entity_blocks = core.entity_runs, core.entity_blocks

-- Lower-case words after a name that make it a place's ("Hebei province",
-- "the Somerset village of Wedmore").
local PLACE_AFTER = {
  prefecture = true, prefectures = true, province = true, provinces = true, region = true,
  regions = true, county = true, counties = true, district = true, districts = true,
  oblast = true, governorate = true, municipality = true, state = true, village = true,
  villages = true, town = true, towns = true, suburb = true, neighborhood = true,
  neighbourhood = true, borough = true, government = true,
}

-- Words after a known company's name that name the same company
-- ("Nissan Motor"; core.entity_runs reads them from the cue sets, beside the
-- legal suffixes left out of a company's name: "Starbucks Corp" is Starbucks).
COMPANY_FORMS = {
  Motor = true, Motors = true, Industries = true, Electronics = true, Technologies = true,
  Company = true, Group = true, Holdings = true,
}

-- Words that start a place's name ("San Pedro Sula", "Fort Myers").
local PLACE_HEADS = {
  San = true, Santa = true, Santo = true, ["São"] = true, Sao = true, Port = true, Puerto = true,
  Porto = true, Fort = true, Ft = true, ["Ft."] = true, Mount = true, Mt = true, ["Mt."] = true,
  Lake = true, Cape = true, Los = true, Las = true, Ciudad = true, ["Bandar"] = true,
}

local PLACE_HEADS_LOWER = {}
for w in pairs(PLACE_HEADS) do PLACE_HEADS_LOWER[string_lower(w)] = true end

-- Lower-case words right before an unknown name that make it an
-- organisation's ("rival Workday", "the research firm Valoir").
local ORG_BEFORE = {
  rival = true, rivals = true, partner = true, firm = true, company = true, consultancy = true,
  carmaker = true, automaker = true, lender = true, bank = true, insurer = true, retailer = true,
  startup = true, ["start-up"] = true, maker = true, giant = true, chain = true, operator = true,
  airline = true, carrier = true, broadcaster = true, newspaper = true, publisher = true,
  conglomerate = true, supplier = true, manufacturer = true, developer = true, regulator = true,
  watchdog = true, miner = true, producer = true, club = true, outfit = true, brokerage = true,
  drugmaker = true, chipmaker = true, journal = true, magazine = true, mission = true,
  party = true, movement = true, coalition = true, alliance = true, ["non-profit"] = true,
  nonprofit = true, organisation = true, organization = true, team = true, side = true,
  broker = true, group = true, agency = true, distributor = true, exchange = true, platform = true,
  brand = true, label = true, studio = true, unit = true, subsidiary = true, website = true,
  tabloid = true, daily = true, channel = true, network = true, charity = true, union = true,
}

-- Lower-case words right after a name that make it an organisation's
-- ("the Information Resistance group").
local ORG_NOUN_AFTER = {
  group = true, company = true, firm = true, party = true, agency = true, movement = true,
  militia = true, club = true, bank = true, fund = true, institute = true,
  union = true, coalition = true, alliance = true, consultancy = true, brand = true, chain = true,
  startup = true, foundation = true, charity = true, conglomerate = true, ["think-tank"] = true,
}

-- Two words right before an unknown name that make it an organisation's.
local ORG_BEFORE2 = {
  ["shares of"] = true, ["shares in"] = true, ["stake in"] = true, ["spokesperson for"] = true,
  ["spokesman for"] = true, ["spokeswoman for"] = true, ["unit of"] = true,
  ["subsidiary of"] = true, ["owner of"] = true, ["investors in"] = true, ["stock of"] = true,
}

-- Lower-case words right after an unknown name that make it an
-- organisation's ("Salesforce shares", "M23 rebels").
local ORG_AFTER = {
  shares = true, stock = true, shareholders = true, executives = true, employees = true,
  rebels = true, militants = true, fighters = true, militia = true, statistics = true,
  headquarters = true, subsidiary = true, spokesperson = true, spokesman = true, spokeswoman = true,
}

-- The same after a possessive ("Nissan's chief executive").
local ORG_AFTER_POSS = {
  shares = true, stock = true, board = true, headquarters = true, shareholders = true,
  subsidiary = true, parent = true, ["chief"] = true, ["co-founder"] = true, founder = true,
  chairman = true, employees = true, workforce = true, revenue = true, profit = true,
  ["profits"] = true, sales = true, stores = true, factories = true, factory = true,
}

-- Titles right after an unknown name that make it an organisation's
-- ("Brentford manager Thomas Frank") or a place's ("Asheville Mayor").
local ORG_TITLE_AFTER = {
  manager = true, boss = true, coach = true, ["head coach"] = true, ["chief executive"] = true,
  ceo = true, cfo = true, spokesperson = true, spokesman = true, spokeswoman = true,
  chairman = true, founder = true, ["co-founder"] = true, analyst = true, striker = true,
  forward = true, midfielder = true, defender = true, goalkeeper = true, winger = true,
  captain = true, skipper = true, owner = true, ["chief executive officer"] = true,
}
local PLACE_TITLE_AFTER = { mayor = true, governor = true, sheriff = true, ["deputy mayor"] = true }

-- Prepositions of place before an unknown name ("in Masisi", "near Sake").
local PLACE_PREP = {
  ["in"] = true, near = true, outside = true, around = true, across = true, towards = true,
  toward = true, ["nearby"] = true,
}

-- Words before "in" that make what follows a company ("a stake in X").
local NOT_PLACE_IN = { stake = true, shares = true, invest = true, invested = true, investment = true,
                       investing = true, interest = true, role = true, starring = true }

-- Verbs after a one-word name no list knows that, when it is no person's,
-- make it an organisation's ("Workday said on Tuesday").
local ORG_VERBS = {
  said = true, says = true, announced = true, announces = true, reported = true, reports = true,
  posted = true, unveiled = true, launched = true, confirmed = true, denied = true,
}

-- What a one-word name no list knows is, from the words around it:
-- "place", "organization", "organization?" (a verb that an organisation or
-- a person could say) or nil. core.entity_cue reads the words around it
-- (st.cue_sets: the word sets it looks words up in, in its order), for
-- core.entity_resolve.

-- Words that may follow "<Name> state" when it names a place.
local STATE_FOLLOWERS = {
  on = true, ["in"] = true, ["and"] = true, ["or"] = true, to = true, from = true, where = true,
  which = true, that = true, of = true, ["for"] = true, with = true, last = true, this = true,
  after = true, before = true, at = true, is = true, was = true, has = true, had = true,
}

-- Lower-case words before "of" that make the next name a place's ("the state
-- of Sonora", "the city of Kharkiv").
local PLACE_BEFORE = {
  state = true, province = true, city = true, town = true, region = true, district = true,
  county = true, prefecture = true, village = true, island = true, port = true,
}

-- Gazetteer matches of one block, filtered, with position indexes.
local core_entity_matches, core_entity_index = core.entity_matches, core.entity_index
local core_entity_output = core.entity_output
local function scan_block(D, B, st, s)
  -- the lists' matches, filtered (a name starts with a capital; "CHINA" in
  -- capitals is a shouted headline, not a mention, but a dateline's place
  -- is; "Economist Martin Rapetti": a capitalised title before a name)
  local list = core_entity_matches(B, st.gaz, st.match_info) -- (B itself; st.gaz:scan(s) read in C)
  local tsv = st.tsv
  for x = 1, #tsv do
    local t = tsv[x]
    local rr = t.g:scan(s)
    for k = 1, #rr, 3 do
      local i, j, id = rr[k], rr[k + 1], rr[k + 2]
      if first_upper(s, i) then
        local rec = t.cache[id]
        if not rec then
          local name, etype = t.g:entry(id)
          rec = { name = name, type = etype or "other" }
          t.cache[id] = rec
        end
        -- overlapping a built-in match: the longer one wins
        list:merge(i, j, rec)
      end
    end
  end
  -- the matches in order of position, and by first byte, last byte and
  -- the first byte of each word they cover
  core_entity_index(s, list)
end

local function process_block(D, st, text, b)
  local s = b.text or string_sub(text, b.i, b.j)
  if #s ~= b.j - b.i + 1 then s = string_sub(text, b.i, b.j):gsub("\n", " ") end
  -- the block's record, in C (core.entity_block): its text, offset, matches
  -- and what the readers note about it
  local off = b.i - 1
  local B = core_entity_block(s, off)
  scan_block(D, B, st, s)
  -- capitalised runs (core.entity_runs finds them as core.caps_runs does)
  core_entity_runs(D, B, st.cue_sets, st.run_skip)
  -- organisations named in roles, now that every name of the block is
  -- known; then the known entities and adjectival forms
  core_entity_known(D, B, st.cue_sets)
  -- user patterns
  local patterns = st.patterns
  for x = 1, #patterns do
    local p = patterns[x]
    for i, j, c1 in p.re:gfind(s) do
      local name = p.canonical or (p.group and c1) or string_sub(s, i, j)
      if type(name) == "string" and name ~= "" and j >= i then
        core_entity_mention(D, core_entity_doc(D, name, p.type), off + i, off + j)
      end
    end
  end
end

local core_entity_merge = core.entity_merge

-- One-word names, once every block is read: core.entity_resolve (the
-- words of every person's full name first, then acronyms, new persons,
-- what the words around a name make it; string.find for a word the C
-- search cannot take).
local core_entity_resolve = core.entity_resolve
local function resolve_pending(D)
  core_entity_resolve(D, D.st.cue_sets, string_find)
end

-- The words that start no name in a text of language `lang` (ISO 639-1):
-- the 100 most frequent of its stopword list (lede.rules.stopwords),
-- "der", "im", "como", but not those that start places ("San", "Los"),
-- as a core.wordset; true for a language with no list.
local lead_cache = {}
local function lead_words(lang)
  local set = lead_cache[lang]
  if set == nil then
    local ok, list = pcall(require, "lede.rules.stopwords." .. lang)
    local words = {}
    if ok and type(list) == "table" then
      for k = 1, 100 do
        local w = list[k]
        if type(w) ~= "string" then break end
        if not string_find(w, "[%p%d]") and not PLACE_HEADS_LOWER[w] then words[#words + 1] = w end
      end
    end
    set = #words > 0 and core.wordset(words) or true
    lead_cache[lang] = set
  end
  return set
end

--- Runs the stage over the body blocks of `ctx`.
-- Sets `ctx.entities` (array of `{ name, type, aliases, roles, mentions,
-- gender, nationality, demonym }`, in order of first mention) and
-- `ctx.mentions` (every mention `{ i, j, text, entity }`, sorted by `i`).
-- Positions are in `ctx.text`.
-- @tparam table ctx `text`, `blocks` (those of kind "body" are read)
-- @tparam table state from `compile`
function M.run(ctx, state)
  local text = ctx.text or ""
  -- (a text in another language: no capitalised word is a name for being
  -- no English word, and its frequent words start none; see core.entity_new)
  local lang, foreign = ctx.language, nil
  if type(lang) == "string" and lang ~= "en" then foreign = lead_words(lang) end
  local D = core_entity_new(text, state, foreign) -- text, list, at, pending, pvals, acronyms, st
  local items = ctx.blocks or {}
  if state.blocks_in_c then
    -- what process_block does, for every body block (lede.core)
    core_entity_blocks(D, items, text, state.gaz, state.match_info, state.cue_sets, state.run_skip)
  else
    for n = 1, #items do
      local b = items[n]
      if (b.kind == nil or b.kind == "body") and b.i and b.j and b.j >= b.i then
        process_block(D, state, text, b)
      end
    end
  end
  resolve_pending(D)
  -- an organisation known by its acronym ("TSMC") and written in full in the
  -- same text ("Taiwan Semiconductor Manufacturing Co") is one
  core_entity_merge(D)
  -- mentions in order, and the output records of their entities
  -- (core.entity_output builds them)
  ctx.entities, ctx.mentions = core_entity_output(D)
end

CUE_SETS = { ORG_AFTER_POSS, ORG_AFTER, ORG_TITLE_AFTER, PLACE_TITLE_AFTER, ORG_BEFORE, ORG_NOUN_AFTER,
             ORG_BEFORE2, PLACE_PREP, NOT_PLACE_IN, ORG_VERBS, PLACE_AFTER, STATE_FOLLOWERS, PLACE_BEFORE,
             PLACE_HEADS, NAME_PARTICLES }

return M
