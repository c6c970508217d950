--- Metadata stage: date, title, authors, publisher, tags, related, language, url.
--
-- Reads the classified blocks (`lede.classify`): the title block, bylines and
-- datelines around the top of the article, the disclaimer, copyright and
-- lead-in (`(Reuters) -`) lines that name the publisher, tag lines and
-- related-headline lists below the article. Fills `ctx.meta` as in
-- docs/OUTPUT.md.
--
-- Dates are read in the forms news sites print (`19:20 GMT27 July 2021`,
-- `21:17 18.11.2019`, `Nov. 19, 2019 5:03 p.m. ET`, `Updated 1:02 PM EST, Tue
-- November 19, 2019`, `2019-11-18T09:00:00Z`, `18 November 2019`, ...; day
-- first in other European languages, `25. September 2018`, `4 mars 2015`) and
-- written as ISO 8601: a time only when the text states one, `Z` or an offset
-- only when it states a zone. `date_text` is the input text the date was read
-- from (as written, white space folded).
--
-- @module lede.meta

local core = require "lede.core"
local packs_mod = require "lede.packs"

local ipairs, next, pairs, pcall, require, select, type = ipairs, next, pairs, pcall, require, select, type
local getmetatable = getmetatable
local string_char, string_find = string.char, string.find
local string_gsub, string_lower, string_match = string.gsub, string.lower, string.match
local string_sub = string.sub
local math_max, math_min = math.max, math.min
local table_concat = table.concat

local core_count = core.count
local core_byline_cues = core.byline_cues
local core_meta_lists = core.meta_lists

-- The methods of lede.core's regular expressions, called as functions.
local REGEX_METHODS = getmetatable(core.regex("")).__index
local rx_find, rx_match = REGEX_METHODS.find, REGEX_METHODS.match

local M = {}

local MONTH_RE = [[(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)]]
-- Month names of other languages (German, French, Spanish, Italian,
-- Portuguese, Dutch, Danish, Norwegian, Swedish), written day first:
-- "25. September 2018", "4 mars 2015", "25 de marzo de 2020". Whole,
-- lower case; those spelt like an English month ("september") are
-- MONTH_RE's. `core.dater` reads them (its `months`), and MONTH_OTHER_RE,
-- made of them, finds them.
local MONTH_OTHER = {
  januar = 1, ["jänner"] = 1, janvier = 1, enero = 1, gennaio = 1, janeiro = 1, januari = 1,
  februar = 2, ["février"] = 2, fevrier = 2, febrero = 2, febbraio = 2, fevereiro = 2, februari = 2,
  ["märz"] = 3, maerz = 3, mars = 3, marzo = 3, ["março"] = 3, marco = 3, maart = 3, marts = 3,
  avril = 4, abril = 4, aprile = 4,
  mai = 5, mayo = 5, maggio = 5, maio = 5, mei = 5, maj = 5,
  juni = 6, juin = 6, junio = 6, giugno = 6, junho = 6,
  juli = 7, juillet = 7, julio = 7, luglio = 7, julho = 7,
  ["août"] = 8, aout = 8, agosto = 8, augustus = 8, augusti = 8,
  septembre = 9, septiembre = 9, setiembre = 9, settembre = 9, setembro = 9,
  oktober = 10, octobre = 10, octubre = 10, ottobre = 10, outubro = 10,
  novembre = 11, noviembre = 11, novembro = 11,
  dezember = 12, ["décembre"] = 12, decembre = 12, diciembre = 12, dicembre = 12, dezembro = 12,
}
local MONTH_OTHER_RE
do
  local names = {}
  for n in pairs(MONTH_OTHER) do names[#names + 1] = n end
  -- (longest first, for an alternation; the names are letters only)
  table.sort(names, function(a, b) return #a > #b or (#a == #b and a < b) end)
  MONTH_OTHER_RE = "(?:" .. table_concat(names, "|") .. ")"
end

local ZONE_RE = [[(?:GMT|UTC|Z|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|BST|CET|CEST|EET|EEST|IST|JST|KST|AEST|AEDT|MSK|HKT|SGT|WIB|SAST|WAT|EAT)]]

-- Fixed offsets (minutes east of UTC); the US "ET/CT/MT/PT" depend on the date.
local ZONES = {
  GMT = 0, UTC = 0, Z = 0, EST = -300, EDT = -240, CST = -360, CDT = -300, MST = -420,
  MDT = -360, PST = -480, PDT = -420, BST = 60, CET = 60, CEST = 120, EET = 120, EEST = 180,
  IST = 330, JST = 540, KST = 540, AEST = 600, AEDT = 660, MSK = 180, HKT = 480, SGT = 480,
  WIB = 420, SAST = 120, WAT = 60, EAT = 180,
}
local US_GENERIC = { ET = -300, CT = -360, MT = -420, PT = -480 }

-- A word of a person's name ("Jane", "J.", "McDonald", "O'Brien", "van").
local NAME_WORD = [[^(?:\p{Lu}|\p{Lu}[\p{Ll}'\x{2019}-]+(?:-\p{Lu}[\p{Ll}]+)?|\p{Lu}\.|\p{Lu}\.\p{Lu}\.|\p{Lu}{2,}|\p{Lu}\p{Ll}+\p{Lu}\p{Ll}+|O'\p{Lu}\p{Ll}+|de|da|van|von|der|den|del|la|le|di|du|bin|al|el|ibn)$]]

-- A byline's start ("By", "Written by:", "Authors"): the names follow.
local BY = [[^\W*(?:by|written by|posted by|words by|story by|report(?:ed|ing)? by|authors?|text by|about the author)\s*:?\s*(.*)$]]

local new_namer -- below

-- The methods of lede.core's namers and daters (one metatable per type),
-- called as functions: set by `M.compile`.
local NM, DM

local function re(pattern, flags, name)
  return core.regex(pattern, flags or "", { name = "meta " .. name })
end

--- Compiles the stage's patterns.
-- @tparam table config `packs` (default stack when absent)
-- @treturn table state
function M.compile(config)
  local packs = config and config.packs or packs_mod.stack()
  for _, p in ipairs(packs) do packs_mod.compile(p) end
  local st = { packs = packs }
  -- the date reader (`core.dater`): the date pattern's captures are those
  -- of its six forms below, the time patterns' the hour, minutes, "a"/"p",
  -- zone name, offset hours and minutes
  -- (every date starts with a digit or a month's name: the lookahead
  -- rejects the other positions before the six forms are tried)
  local date = [[(?=[0-9]|[^\x00-\x7f]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))(?:]] .. table_concat({
    -- 1-7: ISO 8601
    [[(?<![\d.])(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?(?![\d])]],
    -- 8-10: 27 July 2021 (25. September 2018, 4 mars 2015, 25 de marzo de 2020)
    [[(?<![\d.])(\d{1,2})(?:st|nd|rd|th|\.)?\s+(?:of\s+|de\s+)?(]] .. MONTH_RE .. "|" .. MONTH_OTHER_RE
      .. [[)\.?,?\s+(?:de\s+|del\s+)?(\d{4})(?!\d)]],
    -- 11-13: November 19, 2019 / Nov. 19 2019
    [[\b(]] .. MONTH_RE .. [[)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)]],
    -- 14-16: 18.11.2019
    [[(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])]],
    -- 17-19: 11/19/2019
    [[(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])]],
    -- 20-22: 2025/4/29
    [[(?<![\d/])(\d{4})/(\d{1,2})/(\d{1,2})(?![\d/])]],
  }, "|") .. ")"
  local time_core = [[(\d{1,2})[:.](\d{2})(?::\d{2})?\s*(?:([aApP])\.?\s?[mM]\b\.?)?\s*(]] .. ZONE_RE
    .. [[\b)?\s*(?:([+-]\d{1,2})(?::?(\d{2}))?(?![\d.]))?]]
  st.dater = core.dater({
    date = date,
    -- a time just after the date: "..., 2019 5:03 p.m. ET", "2019 at 11:03 PM", "2019 | 14:10"
    -- (and "à", "um", "às", "alle", "a las", "om": "4 mars 2015 à 18:30")
    time_after = [[\G\s*(?:,|at|@|\||-|\x{2013}|\x{2014}|\x{00B7}|\x{2022})?\s*(?:(?:at|\x{00E0}|um|\x{00E0}s|alle|a\s+las|om)\s+)?]]
      .. time_core,
    -- a time just before the date: "19:20 GMT 27 July", "1:02 PM EST, Tue November 19"
    time_before = time_core .. [[\s*,?\s*(?:on\s+)?(?i:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?$]],
    zones = ZONES, us_zones = US_GENERIC, months = MONTH_OTHER,
    -- a date after these words says when the page was updated, not published
    updated = { updated = true, modified = true, revised = true, edited = true },
  })
  st.by = re(BY, "i", "byline")
  -- given names: a weak cue (a name alone on a line) needs a known first name
  st.given = {}
  local ok, names = pcall(require, "lede.lists.names")
  if ok and type(names) == "table" and type(names.first_names) == "table" then
    for _, list in pairs(names.first_names) do
      for _, n in ipairs(list) do st.given[n] = true end
    end
  end
  for _, extra in ipairs(config and config.lists and config.lists.first_names or {}) do st.given[extra] = true end
  local hx = {}
  hx.by_alone = [[^\W*(?:(?:article |post |story )?(?:written |posted )?by|authors?|about the author)\W*$]]
  st.by_alone = re(hx.by_alone, "i", "byline alone")
  hx.picture_of = [[^(?:(?:picture|photo|image|headshot|avatar|portrait|profile (?:picture|photo)) of\s+([^,]{1,60}?)(?:,.*)?|(\p{Lu}[\p{L}' -]{1,60}?)(?:'s|\x{2019}s)?\s+(?:photo|headshot|avatar|portrait|profile (?:picture|photo|image)))$]]
  st.picture_of = re(hx.picture_of, "i", "author picture")
  -- a day without the year: "Jun 9", "• December 18th"
  st.day_month = re([[^\W*]] .. MONTH_RE .. [[\.?\s+\d{1,2}(?:st|nd|rd|th)?\W*$]], "i", "day and month")
  -- a name with credentials: "Jillian Kubala, MS, RD", "Ellen Lindell, VMD, DACVB; ..."
  hx.credentials = [[^\W*(\p{Lu}[\p{L}.'\x{2019}-]+(?:\s+\p{Lu}[\p{L}.'\x{2019}-]+){1,3}),?\s+(?:MD|DO|PhD|Ph\.D\.|RN|RD|RDN|MS|MA|MSc|BA|BS|BSc|DVM|VMD|CFP|CFA|CPA|JD|MBA|LVT|FNP|NP|DDS|DMD|PharmD|MPH|LD|CDCES|CSCS|LCSW|PsyD|EdD)\b]]
  st.credentials = re(hx.credentials, "", "credentials")
  st.signature = re([[^\s*(?:-|\x{2013}|\x{2014}|~|<3|(?i:xo|xoxo|cheers|love)\s*,?)\s*(\p{Lu}[\p{L}.'\x{2019} -]{2,40})$]], "",
    "signature")
  st.pronoun = re([[\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er)\b]], "", "pronoun")
  hx.inner_by = [[\b(?:by|By|BY)\s+(\p{Lu}.*)$]]
  st.inner_by = re(hx.inner_by, "", "inner byline")
  -- "by" after these words names no author ("Reviewed by", "Photo by")
  hx.other_by = [[\b(?:reviewed|updated|edited|checked|photos?|photographs?|images?|illustrations?|illustrated|powered|designed|sponsored|presented|hosted|produced|narrated|translated|compiled)\s*$]]
  st.other_by = re(hx.other_by, "i", "other byline")
  -- a byline cue that is no filter menu even after a bullet
  hx.by_explicit = [[^\W*(?:authors?\s*:|about the author\s*:|(?:article |post |story )?(?:written|posted) by\b)]]
  st.by_explicit = re(hx.by_explicit, "i", "explicit byline")
  -- "Medically reviewed by X - Written by Jane Doe - Updated on ..."
  hx.inner_written = [[\b(?:[Ww]ritten|[Pp]osted|[Ww]ords|[Ss]tory|[Aa]rticle) by:?\s+(\p{Lu}.*)$]]
  st.inner_written = re(hx.inner_written, "", "inner written by")
  st.lead_in = {}
  st.publisher_res = {}
  for _, p in ipairs(packs) do
    for _, r in ipairs(p._publisher_res or {}) do st.publisher_res[#st.publisher_res + 1] = r end
  end
  st.disclaimer_pub = re([[\b(?:reflect|represent)s?\s+(?:the\s+(?:views|opinions|position)\s+of\s+|those of\s+)(?:the\s+)?(\p{Lu}[\w&.' -]{1,40}?)\s*\.?$]], "", "publisher disclaimer")
  st.namer = new_namer(BY, hx)
  NM, DM = getmetatable(st.namer).__index, getmetatable(st.dater).__index
  return st
end

-- Words that mark a byline part as no person.
local NOT_NAME = {
  staff = true, reporter = true, reporters = true, writer = true, writers = true, editor = true,
  editors = true, correspondent = true, contributor = true, contributors = true, press = true,
  news = true, associated = true, team = true, desk = true, agency = true, service = true,
  services = true, wire = true, wires = true, bureau = true, newsroom = true, media = true,
  updated = true, published = true, posted = true, email = true, author = true, the = true,
  follow = true, view = true, more = true, all = true, posts = true, ["and"] = true, by = true,
  photos = true, photo = true, video = true, min = true, read = true, contributing = true,
  senior = true, chief = true, columnist = true, opinion = true, guest = true, international = true,
  reuters = true, ap = true, afp = true, bloomberg = true, cnn = true, bbc = true, inc = true,
  ltd = true, llc = true, group = true, magazine = true, journal = true, times = true,
  post = true, daily = true, online = true, admin = true, administrator = true, review = true,
  reviewed = true, medically = true, fact = true, checked = true, share = true, comments = true,
  about = true, search = true, archive = true, archives = true, category = true, categories = true,
  editorial = true, tips = true, menu = true, home = true, login = true, subscribe = true, newsletter = true,
}

-- Words that start a role after a name ("Jane Doe Senior Editor").
local ROLE = {
  executive = true, digital = true, managing = true, manager = true, director = true,
  master = true, founder = true, ceo = true, head = true, lead = true, content = true,
  specialist = true, strategist = true, analyst = true, expert = true, coach = true,
  nutritionist = true, dietitian = true, professor = true, associate = true, assistant = true,
  deputy = true, features = true, sports = true, political = true, science = true, health = true,
  technology = true, tech = true, business = true, last = true, home = true, photo = true,
  picture = true, headshot = true, avatar = true, image = true, profile = true, bio = true,
  january = true, february = true, march = true, april = true, june = true, july = true,
  august = true, september = true, october = true, november = true, december = true,
  jan = true, feb = true, mar = true, apr = true, jun = true, jul = true, aug = true, sep = true,
  sept = true, oct = true, nov = true, dec = true, mon = true, tue = true, wed = true, thu = true,
  fri = true, sat = true, sun = true, monday = true, tuesday = true, wednesday = true,
  thursday = true, friday = true, saturday = true, sunday = true,
}

-- The word that says "by" in a byline of another language, and its "and"
-- (a Lua pattern, between spaces).
local FOREIGN_BY = { fr = "Par", es = "Por", pt = "Por", de = "Von", nl = "Door" }
local FOREIGN_AND = { fr = "%s+et%s+", es = "%s+y%s+", pt = "%s+e%s+", de = "%s+und%s+", nl = "%s+en%s+" }

-- What heads an author box before its person's name ("About Jane Doe",
-- "Über Jane Doe"), lower case: the namer reads the name after it.
local ABOUT_HEADS = { about = true, ["über"] = true, sobre = true, ["à propos de"] = true, ["a propos de"] = true,
                      ["acerca de"] = true }

-- Words between a name and its date ("Jane Doe Published: May 1, 2024").
local GAP_WORDS = { published = true, updated = true, posted = true, on = true, publishedon = true,
  postedon = true, updatedon = true, lastupdated = true }

-- The kinds of block a name or date line of the header region can be.
local HEADER_KINDS = { boilerplate = true, byline = true, dateline = true, navigation = true,
                       widget = true, caption = true }

-- What a bio says of its person ("Jane is ...", "Jane has ...").
local BIO_VERBS = { " is ", " has ", " was ", " holds ", " writes ", " covers " }

-- Month names that are also given names ("April Fulton", "June Carter").
local GIVEN_MONTHS = { april = true, may = true, june = true, august = true }

-- White space (Lua's %s).
local SPACES = " \t\n\v\f\r"

-- The first byte of a text the signature pattern (`state.signature`) can
-- match, after ASCII white space: a dash, "~", "<3", "xo", "cheers",
-- "love" (any case), or a byte above 127 (the other dashes and white space).
local SIGNATURE_START = "^%s*[-~<xXcClL\128-\255]"

-- Honorifics a name may start with ("Dr. Jane Doe").
local HONORIFICS = { Dr = true, Prof = true, Mr = true, Mrs = true, Ms = true, Sir = true, Dame = true,
  Rev = true, Fr = true, Sr = true, Hon = true }

-- The name readers (`core.namer`): a person's name as written (2-5 words
-- that look like parts of a name), and the name a text starts with (2-4
-- name words); the words of a name match `NAME_WORD` and are none of
-- NOT_NAME, nor of ROLE (but for a month that is a given name first).
-- The readers of a header block (`namer:header_block`) also get the
-- header kinds, the gap words and the header-region patterns (`hx`).
new_namer = function(by, hx)
  local opts = { name_word = NAME_WORD, not_name = NOT_NAME, role = ROLE, given_months = GIVEN_MONTHS,
    honorifics = HONORIFICS, by = by, header_kinds = HEADER_KINDS, gap_words = GAP_WORDS,
    about_heads = ABOUT_HEADS }
  for k, v in pairs(hx or {}) do opts[k] = v end
  return core.namer(opts)
end

-- The names read in the document at hand (`namer:person_name` depends on
-- its text only), emptied by `M.run`.
local name_memo = {}

local function person_name(s, st)
  local name = name_memo[s]
  if name == nil then
    name = NM.person_name(st.namer, s) or false
    name_memo[s] = name
  end
  return name or nil
end

local find_date -- below

-- s:gsub(pattern, repl) when s holds `needle` (which every match of the
-- pattern holds): the pattern then scans no text it cannot match.
local function gsub_if(s, needle, pattern, repl)
  if string_find(s, needle, 1, true) then s = string_gsub(s, pattern, repl) end
  return s
end

-- Splits a byline's text into people (`namer:split_byline`): the names
-- after "By" (else, when explicit, in the whole text; else after "About"),
-- cut at separators ("|", dashes, bullets, " - ", " on Monday", "Published",
-- "Updated", "Posted", "Modified", a date, a digit), split at ",", ";",
-- " and ", "&"; a name and a role ("Jane Doe Senior Editor") ends the names,
-- as a part that names no one after a name does; after "By" a one-word name
-- or handle counts ("By Amanda", "by jdoe42"; a capitalised word only when
-- `near` the title or a known given name).
local function split_byline(text, st, explicit, near)
  return st.namer:split_byline(text, st.dater, st.given, explicit, near)
end

-- The bylines split in the document at hand, by the truth of `explicit`
-- and `near` (1 to 4) and text (`split_byline` depends on those only; the
-- arrays are read, never changed), emptied by `M.run`.
local names_memo = {}

local function byline_names(text, st, explicit, near)
  local which = (explicit and 2 or 1) + (near and 2 or 0)
  local memo = names_memo[which]
  if not memo then
    memo = {}
    names_memo[which] = memo
  end
  local out = memo[text]
  if not out then
    out = split_byline(text, st, explicit, near)
    memo[text] = out
  end
  return out
end

-- The date in a block's text: iso, i, j (positions in text) or nil: the
-- first date of the six forms of `state.dater` (a day that exists, in 1900
-- to 2100), with the time after it, else before it; written as ISO 8601,
-- with a time only when the text states one, `Z` or an offset only when it
-- states a zone (US "ET", "CT", "MT", "PT" by the date's daylight saving
-- time, "GMT+3" as "+03:00"); i, j span the date and its time.
function find_date(text, st)
  return st.dater:find(text)
end
M.find_date = function(text, state) return find_date(text, state) end

-- The input text behind text positions i..j of a block, white space folded.
local function original(ctx, b, i, j)
  local map = ctx.map
  local bi = b.i or 1
  if map and ctx.input and b.i then
    local start, stop = map:span(bi + i - 1, bi + j - 1)
    if start and stop then
      local s = string_sub(ctx.input, start, stop)
      s = gsub_if(s, "\194\160", "\194\160", " ")
      -- (white space other than single spaces folded to one space)
      if core_count(s, "\t\n\v\f\r") > 0 or string_find(s, "  ", 1, true) then s = string_gsub(s, "%s+", " ") end
      return s
    end
  end
  return string_sub(b.text, i, j)
end

local function trim(s)
  return (string_gsub(s, "^[%s%p]*(.-)[%s]*$", "%1"))
end

-- A title without the site's name after it ("Best Shows of 2025 - Artlyst"):
-- the last part after " | ", " - ", " \u{2013} " or " \u{2014} " goes when it is
-- a short capitalised name that the page names twice more, or the caller's
-- domain; or, with the caller's URL, when the part before it names the URL's
-- slug and the part after has none of its words and is no exclamation or
-- question ("Data Analysis Tools | Python, SQL & AI" at
-- ".../data-analysis-tools.html").
local SEPARATORS = { " | ", " - ", " \226\128\147 ", " \226\128\148 " }

local function site_suffix(title, text, opts)
  for si = 1, #SEPARATORS do
    local sep = SEPARATORS[si]
    local at, last = nil, 1
    while true do
      local i = string_find(title, sep, last, true)
      if not i then break end
      at, last = i, i + 1
    end
    if at and at > 12 then
      local suffix = string_sub(title, at + #sep)
      local classify = require("lede.classify")
      local slug = opts.url and classify.slug_words(opts.url)
      if slug and classify.slug_similarity(string_sub(title, 1, at - 1), slug) >= 0.75
          and classify.slug_similarity(suffix, slug) == 0 and not string_find(suffix, "^%l")
          and not string_find(suffix, "[!?]$") then
        return (string_sub(title, 1, at - 1):gsub("%s+$", ""))
      end
      local words = select(2, string_gsub(suffix, "%S+", ""))
      if words >= 1 and words <= 3 and #suffix <= 30 and string_find(suffix, "^%u") then
        local domain = (opts.domain or opts.url or ""):lower():gsub("[^%w]", "")
        local key = string_lower(suffix):gsub("[^%w]", "")
        local n, from = 0, 1
        while n < 3 do
          local i, j = string_find(text, suffix, from, true)
          if not i then break end
          n, from = n + 1, j + 1
        end
        if n >= 3 or (key ~= "" and domain:find(key, 1, true)) then
          return (string_sub(title, 1, at - 1):gsub("%s+$", ""))
        end
      end
    end
  end
  return title
end

-- A title without the source an aggregator names after it, with the count
-- of comments that may follow ("Grads Find Their Degrees No Longer
-- Guarantee Jobs (latimes.com) 87", "Show HN: A tiny VM (github.com)").
local function source_suffix(title)
  local head = string_match(title, "^(.-%S)%s+%([%w-]+%.[%w.-]*%a%)%s*%d*$")
  return head or title
end

-- Whether array `list` holds string s: compared one by one while the list
-- is short (no set is made, no text hashed), looked up in `seen`, the
-- list's set, once it is longer (filled then; `add_item` keeps it).
local function has_item(list, seen, s)
  local n = #list
  if n <= 16 then
    for q = 1, n do
      if list[q] == s then return true end
    end
    return false
  end
  if seen[list[1]] == nil then
    for q = 1, n do seen[list[q]] = true end
  end
  return seen[s] == true
end

-- Appends s to array `list`, and to its set `seen` once the list is longer
-- than 16 (see `has_item`).
local function add_item(list, seen, s)
  local n = #list + 1
  list[n] = s
  if n > 16 then seen[s] = true end
end

-- The set of `has_item` for the authors of the document at hand (used
-- only past 16 of them), emptied by `M.run`.
local seen_a = {}

-- What `core.pick` sorts the blocks by for the searches over the whole
-- page (each list is then tested as the search says): 1. "By" alone (at
-- most 40 bytes, ending like "by", "author(s)" or in no ASCII letter or
-- digit, no letter or digit first but those of "by", "article", "post",
-- "story", "written", "posted", "author(s)", "about"), 2. a name over a bio ("Jane Doe", "- Jane Doe": at most 60 bytes,
-- a capital, a dash or white space first, a text of 80 bytes or more among
-- the next two blocks), 3. an author's photo (at most
-- 200 bytes, a letter first), 4. an explicit byline (at most 200 bytes, no
-- letter or digit first but those of "authors", "about", "article", "post",
-- "story", "written", "posted"; not in related links, menus, tags), 5.
-- "About Jane Doe" (at most 40 bytes, "About" and white space after white
-- space, "*" or bytes above 127 first: the picker's test `about`), 6. a copyright line (at most 200
-- bytes, outside the article, no letter or digit first but "C", "c").
-- Lists 3 and 6 hold only the texts that can be an author's photo (a
-- picture word first, "pic", "pho", "ima", "hea", "ava", "por", "pro", or
-- last after a capital, "to", "ot", "ar", "it", "re", "ge", in any case; no
-- digit, sign, bullet, quote or dash first; other than ASCII at the ends
-- always) and that match `t:find("^%W*[%(\194\169Cc]")` (the picker's tests `picture` and
-- `copyright`), lists 1 and 4 only those that can match `state.by_alone` and
-- `state.by_explicit` (tests `by_alone`, `by_explicit`: a phrase of those
-- patterns, or a byte above 127). Then, by kind: 7. bylines and datelines, 8. tags and related
-- lists, 9. disclaimers, 10. the first and the last body block, 11. the
-- first title (twice).
local function bytes_of(from, to, extra)
  local out = {}
  for c = from, to do out[#out + 1] = string_char(c) end
  return table_concat(out) .. (extra or "")
end
local NOT_ALNUM = bytes_of(0, 47) .. bytes_of(58, 64) .. bytes_of(91, 96) .. bytes_of(123, 255)
local UPPER, LETTERS, HIGH = bytes_of(65, 90), bytes_of(65, 90, bytes_of(97, 122)), bytes_of(128, 255)
local PICKS = {
  { max = 40, first = NOT_ALNUM .. "aApPsSwWbB", last = NOT_ALNUM .. "yYrRsS", test = "by_alone" },
  { max = 60, first = "-" .. SPACES .. UPPER, next_long = 80 },
  { max = 200, first = LETTERS .. HIGH, test = "picture" },
  { max = 200, first = NOT_ALNUM .. "aApPsSwW", skip = { related = true, navigation = true, tags = true },
    test = "by_explicit" },
  { max = 40, first = SPACES .. "*A" .. HIGH, test = "about" },
  { max = 200, first = NOT_ALNUM .. "Cc", skip = { body = true }, test = "copyright" },
  { kinds = { dateline = true, byline = true } },
  { kinds = { tags = true, related = true } },
  { kinds = { disclaimer = true } },
  { kinds = { body = true }, ends = true },
  { kinds = { title = true }, ends = true },
}
local PICKER = core.picker(PICKS)
-- (the arrays `PICKER:pick` refills for each document: they hold block
-- indices of the document at hand only, and are read, never kept)
local PICKED = {}


-- The documents' own state is passed to the helpers below (no closures
-- made per document).

-- Adds an author's name once ("Jane Doe Jane Doe" as "Jane Doe").
local function add_author(authors, seen_a, n)
  local half = string_match(n, "^(.+) %1$")
  if half then n = half end
  if not has_item(authors, seen_a, n) then add_item(authors, seen_a, n) end
end

-- What block k's byline names give (`names`, or `alone` for a "By" alone:
-- the name follows, in the next three blocks).
local function take_byline(blocks, k, names, alone, state, authors, seen_a)
  if names then
    for ni = 1, #names do add_author(authors, seen_a, names[ni]) end
  elseif alone then
    -- "By", "Written by:", "Article by" alone: the name follows
    for j = k + 1, math_min(k + 3, #blocks) do
      local t = blocks[j].text
      local p1, p2
      if #t <= 200 then p1, p2 = rx_match(state.picture_of, t) end
      for _, n in ipairs(byline_names(p1 or p2 or t, state, true)) do add_author(authors, seen_a, n) end
      if #authors > 0 then break end
    end
  end
end

-- The names of block k when it can give some (`namer:byline_block`, in C:
-- datelines, bylines, short lines of the article's start).
local function from_bylines(blocks, k, lo, near_hi, lead_hi, first_body, last_body, state, authors, seen_a)
  local b = blocks[k]
  local kind, text = b.kind, b.text
  if kind ~= "dateline" and kind ~= "byline" and not (kind == "body" and #text <= 200 and k >= lo and k <= lead_hi) then
    return
  end
  local names, alone = NM.byline_block(state.namer, text, kind, b.rule, k, lo, near_hi, lead_hi, first_body, last_body,
    state.dater, state.given)
  take_byline(blocks, k, names, alone, state, authors, seen_a)
end

-- A name alone on a short line (block k, text t) next to the title, a
-- byline or a date (a known given name, or a date or a byline below it):
-- `namer:name_alone`, in C.
local function name_alone(blocks, k, t, lo, state, authors, seen_a)
  local name = NM.name_alone(state.namer, blocks, k, t, lo, state.dater, state.given, state.day_month)
  if name then add_author(authors, seen_a, name) end
end

--- Fills `ctx.meta`.
-- @tparam table ctx
-- @tparam table state
function M.run(ctx, state)
  -- (the memos of the document before, emptied: new tables when they hold any)
  if next(name_memo) ~= nil then name_memo = {} end
  if next(names_memo) ~= nil then names_memo = {} end
  if next(seen_a) ~= nil then seen_a = {} end
  local blocks = ctx.blocks or {}
  local opts = ctx.opts or {}
  local authors, seen_a = {}, seen_a
  local meta = {
    title = nil, date = nil, date_text = nil, publisher = nil, authors = authors, language = nil,
    tags = {}, related = {}, url = opts.url,
  }
  ctx.meta = meta

  -- language
  local lang = ctx.language
  if lang == nil then
    local classify = require "lede.classify"
    local parts, size = {}, 0
    for _, b in ipairs(blocks) do
      parts[#parts + 1] = b.text
      size = size + #b.text
      if size > 6000 then break end
    end
    lang = classify.detect_language(table_concat(parts, "\n")) or false
    ctx.language = lang
  end
  meta.language = lang or nil

  -- one pass over the blocks (in C): where the article is, and which blocks
  -- the searches below may look at, by kind and by the shape of the text
  local nb = #blocks
  local alone_ks, box_ks, photo_ks, explicit_ks, about_ks, copy_ks, marked, listed, disclaimers, body_ends,
    title_ends = PICKER:pick(blocks, PICKED)
  local first_body, last_body, title_k = body_ends[1], body_ends[2], title_ends[1]
  local clean = opts.clean == false

  -- title
  if title_k then
    meta.title = site_suffix(source_suffix(blocks[title_k].text), ctx.text or "", opts)
  elseif clean and nb > 1 then
    local t = blocks[1].text
    local words = select(2, string_gsub(t, "%S+", ""))
    if words >= 2 and words <= 25 and not string_find(t, "[.:;,]$") then meta.title = t end
  end

  -- the header region: around the title, above the body
  local top = title_k or first_body or 1
  local lo = (title_k and title_k - 4 or (first_body or 1) - 12)
  if lo < 1 then lo = 1 end
  local hi = (first_body or top) + 1
  if title_k and first_body and hi < title_k + 6 then hi = title_k + 6 end
  if hi > nb then hi = nb end

  -- date: datelines and bylines first, then the header region, then the rest
  -- (each block once, in that order, until one has a date: `dater:search`)
  do
    local k, iso, i, j = DM.search(state.dater, blocks, marked, lo, hi, first_body, last_body)
    if k then
      meta.date = iso
      meta.date_text = original(ctx, blocks[k], i, j)
    end
  end

  -- authors: bylines, then name lines in the header region
  -- the bylines around the title first (those above it and below the
  -- article after the header region)
  local near_hi = math_min((first_body or nb) + 2, nb)
  local lead_hi = math_min((first_body or nb) + 6, nb)
  -- (`namer:byline_block`, in C, for the blocks that can give names:
  -- datelines, bylines, short lines of the article's start)
  local h_namer, h_dater, h_given = state.namer, state.dater, state.given
  do
    -- (`namer:byline_scan`: the next block from k to lead_hi that
    -- `from_bylines` would take names from, or that is a "By" alone)
    local k = lo
    while k <= lead_hi do
      local kk, names, alone = NM.byline_scan(h_namer, blocks, k, lead_hi, lo, near_hi, lead_hi, first_body, last_body,
        h_dater, h_given)
      if not kk then break end
      take_byline(blocks, kk, names, alone, state, authors, seen_a)
      if #authors > 0 then break end
      k = kk + 1
    end
  end
  -- in a text in another language, its own "By": "Par Jane Roe", "Por Jane
  -- Roe y John Doe", "Von Jane Roe", alone or after a "|" or bullet in a
  -- line of the header region
  local cue = #authors == 0 and lang and FOREIGN_BY[lang]
  if cue then
    for k = lo, math_min(lead_hi, nb) do
      local t = blocks[k].text
      if #t <= 200 then
        -- (a capital: ASCII, or a Latin letter's first byte, "Émile")
        local rest = string_match(t, "^%W-" .. cue .. "%s+([%u\195-\197].*)$")
          or string_match(t, "[|\226][^|]-%f[%a]" .. cue .. "%s+([%u\195-\197][^|]*)")
        if rest then
          -- (its "and" read as the English one; what follows a bracket goes)
          rest = string_gsub(string_gsub(rest, "%s*%(.*$", ""), FOREIGN_AND[lang], " and ")
          for _, n in ipairs(byline_names("By " .. rest, state, true)) do add_author(authors, seen_a, n) end
          if #authors > 0 then break end
        end
      end
    end
  end
  -- the header region, strong cues first ("... by Name" inside a line, the
  -- author's photo, "Name <date>", "<date> Name"), then a name alone next to
  -- the title, a byline or a date
  -- (the blocks that may match a pattern of the passes below:
  -- `core.byline_cues`, one byte per block from lo, 1 for the first pass,
  -- 2 for the second)
  -- (read only when the passes run: no author yet)
  local cues = #authors == 0 and core_byline_cues(blocks, lo, hi)
  for pass = 1, 2 do
    if pass == 2 and #authors == 0 then
      -- the other bylines, above the title and below the article
      -- (above the header region only bylines and datelines can give
      -- names; below it, bylines and the article's first lines)
      -- (`marked`: the bylines and datelines, in order)
      for ki = 1, #marked do
        local k = marked[ki]
        if k >= lo then break end
        from_bylines(blocks, k, lo, near_hi, lead_hi, first_body, last_body, state, authors, seen_a)
        if #authors > 0 then break end
      end
      if #authors == 0 then
        -- (the blocks from `lo` on were read above, with no name: they give
        -- none again)
        for k = near_hi + 1, math_min(lead_hi, lo - 1) do
          local kind = blocks[k].kind
          if kind == "byline" or kind == "body" then
            from_bylines(blocks, k, lo, near_hi, lead_hi, first_body, last_body, state, authors, seen_a)
            if #authors > 0 then break end
          end
        end
      end
      if #authors == 0 then
        local ks = marked
        for ki = 1, #ks do
          local k = ks[ki]
          if k > lead_hi and k > near_hi and blocks[k].kind == "byline" then
            from_bylines(blocks, k, lo, near_hi, lead_hi, first_body, last_body, state, authors, seen_a)
            if #authors > 0 then break end
          end
        end
      end
      -- "Article by" alone anywhere (an author box): the name follows, maybe
      -- under a photo
      if #authors == 0 then
        local ks = alone_ks
        for ki = 1, #ks do
          local k = ks[ki]
          local t = blocks[k].text
          if rx_find(state.by_alone, t) then
            for j = k + 1, math_min(k + 3, nb) do
              local tj = string_gsub(blocks[j].text, "%[[^%]%[]*%]%s*", "")
              local q1, q2
              if #tj <= 200 then q1, q2 = rx_match(state.picture_of, tj) end
              if q1 or q2 or #tj <= 80 then
                for _, n in ipairs(byline_names(q1 or q2 or tj, state, true)) do
                  if string_find(n, " ", 1, true) or state.given[n] then add_author(authors, seen_a, n) end
                end
              end
              if #authors > 0 then break end
            end
            if #authors > 0 then break end
          end
        end
      end
      -- an author box: a name, then a paragraph about that person
      -- ("Jane Doe" / "Jane is a reporter who ...")
      if #authors == 0 then
        -- (`namer:box_scan`, in C: the first of `box_ks` that is a person's
        -- name, or a known given name alone, starting with a capital and a
        -- lower-case letter, whose bio, the first text of 80 bytes or more
        -- of the next two blocks, names its first word first (after a role
        -- in brackets, at most 40 bytes in) or, for a known given name, with
        -- one of `BIO_VERBS` after it (in its first 200 bytes), and that is a
        -- known given name or has "he", "she" (`state.pronoun`) in its first
        -- 400 bytes)
        local name = NM.box_scan(h_namer, blocks, box_ks, h_given, state.pronoun, BIO_VERBS)
        if name then add_author(authors, seen_a, name) end
      end
    end
    if #authors > 0 then break end
    -- (only the blocks with a byte some pattern below needs in this pass:
    -- cue 1 or 3 in the first, 2 or 3 in the second; their texts without
    -- links in brackets)
    if pass == 1 then
      -- (`namer:header_scan`, in C: the next such block whose strong cues
      -- of `namer:header_block` give names, or that is a "By" alone, then
      -- the name that follows, here)
      local from = 1
      while true do
        local k, names, alone, t, same = NM.header_scan(h_namer, blocks, cues, lo, from, h_dater, h_given)
        if not k then break end
        if alone then
          local b = blocks[k]
          -- "Article written by:" alone: the name follows (maybe under a photo)
          for j = k + 1, math_min(k + 3, nb) do
            local tj = string_gsub(blocks[j].text, "%[[^%]%[]*%]%s*", "")
            local q1, q2
            if #tj <= 200 then q1, q2 = rx_match(state.picture_of, tj) end
            for _, n in ipairs(byline_names(q1 or q2 or tj, state, true)) do add_author(authors, seen_a, n) end
            if #authors > 0 then break end
          end
          if #authors == 0 then
            names = NM.header_block(h_namer, t, b.text, b.kind, same, h_dater, h_given, true)
          elseif #t <= 80 then
            name_alone(blocks, k, t, lo, state, authors, seen_a)
          end
        end
        if names then
          for ni = 1, #names do add_author(authors, seen_a, names[ni]) end
        end
        if #authors > 0 then break end
        from = k - lo + 2
      end
    else
      -- a name alone on a short line of the header region (`namer:alone_scan`,
      -- in C: the first one, as `name_alone` reads it)
      local name = NM.alone_scan(h_namer, blocks, cues, lo, h_dater, h_given, state.day_month)
      if name then add_author(authors, seen_a, name) end
    end
  end
  -- then a byline just below the article, then the first one above it
  if #authors == 0 and last_body then
    for k = last_body + 1, math_min(last_body + 5, nb) do
      if blocks[k].kind == "byline" then
        for _, n in ipairs(byline_names(blocks[k].text, state)) do add_author(authors, seen_a, n) end
        if #authors > 0 then break end
      end
    end
  end
  -- the author's photo anywhere ("Picture of Jane Doe" in an author box)
  if #authors == 0 then
    local ks = photo_ks
    for ki = 1, #ks do
      local t = blocks[ks[ki]].text
      local q1, q2 = rx_match(state.picture_of, t)
      local name = (q1 or q2) and person_name(q1 or q2, state)
      if name then add_author(authors, seen_a, name) break end
    end
  end
  if #authors == 0 then
    local ks = marked
    for ki = 1, #ks do
      local k = ks[ki]
      if k > (last_body or nb) then break end
      if blocks[k].kind == "byline" and not string_find(blocks[k].text, "^[\226\194*]") then
        for _, n in ipairs(byline_names(blocks[k].text, state)) do add_author(authors, seen_a, n) end
        if #authors > 0 then break end
      end
    end
  end
  -- a signature at the article's end: "- Jane Doe", "<3 Jane Doe", "xo, Jane Doe"
  -- (`SIGNATURE_START`: what the signature pattern's match starts with,
  -- white space aside, tested first)
  if #authors == 0 and last_body then
    for k = math_max(1, last_body - 3), math_min(nb, last_body + 3) do
      local t = blocks[k].text
      local sig = string_find(t, SIGNATURE_START) and rx_match(state.signature, t)
      local name = sig and person_name(sig, state)
      if name then add_author(authors, seen_a, name) break end
    end
  end
  -- "Posted by Jane Doe on ..." wherever it is
  if #authors == 0 then
    local ks = explicit_ks
    for ki = 1, #ks do
      local k = ks[ki]
      local b = blocks[k]
      if rx_find(state.by_explicit, b.text) then
        for _, n in ipairs(byline_names(b.text, state)) do add_author(authors, seen_a, n) end
        if #authors > 0 then break end
      end
    end
  end
  -- a personal site's menu: "About Jane Doe" (a known given name)
  if #authors == 0 then
    local ks = about_ks
    for ki = 1, #ks do
      local k = ks[ki]
      local who = string_match(blocks[k].text, "^[%s\128-\255*]*About%s+(%u.*)$")
      local name = who and person_name(who, state)
      if name and state.given[string_match(name, "^%S+")] then
        add_author(authors, seen_a, name)
        break
      end
    end
  end

  -- publisher: site packs, lead-ins, disclaimers, copyright lines
  local active = ctx.packs
  if not active then
    active = {}
    local domain = opts.domain
    -- (each signature string searched for once: `packs.applying`)
    ctx.signatures = ctx.signatures or {}
    local applies = packs_mod.applying(state.packs, ctx.text or "", domain, ctx.signatures)
    for n, p in ipairs(state.packs) do
      if applies[n] then active[#active + 1] = p end
    end
  end
  for n = #active, 1, -1 do
    local p = active[n]
    if p.meta and p.meta.publisher then
      meta.publisher = p.meta.publisher
      break
    end
  end
  if not meta.publisher and first_body then
    for k = first_body, math_min(first_body + 1, nb) do
      -- (a lead-in of the article only)
      if blocks[k].kind == "body" then
        local res = state.publisher_res
        for ri = 1, #res do
          local r = res[ri]
          local cap = rx_match(r, blocks[k].text)
          if cap and cap ~= blocks[k].text then
            local t = trim(cap)
            if t ~= "" then meta.publisher = t end
            break
          end
        end
      end
      if meta.publisher then break end
    end
  end
  if not meta.publisher then
    local ks = disclaimers
    for ki = 1, #ks do
      local k = ks[ki]
      local cap = rx_match(state.disclaimer_pub, blocks[k].text)
      if cap then meta.publisher = trim(cap); break end
    end
  end
  if not meta.publisher then
    -- (the footer is at the end: the copyright lines from the end, until
    -- one names the publisher)
    local res = state.publisher_res
    for n = #copy_ks, 1, -1 do
      local text = blocks[copy_ks[n]].text
      for ri = 1, #res do
        local cap = rx_match(res[ri], text)
        if cap and cap ~= text then
          local t = trim(cap):gsub("%s+[Aa]ll%s+[Rr]ights.*$", "")
          if t ~= "" and #t <= 60 then meta.publisher = t end
          break
        end
      end
      if meta.publisher then break end
    end
  end
  if meta.publisher then
    -- never glued to an author
    for n, a in ipairs(authors) do
      local p = meta.publisher
      if string_sub(a, -#p) == p and #a > #p then authors[n] = trim(string_sub(a, 1, -#p - 1)) end
    end
  end

  -- tags and related headlines (`core.meta_lists`, in C: a tag list's
  -- text, or a tag line's items; the related headlines of two words or
  -- more, less their bullets)
  core_meta_lists(blocks, listed, meta.tags, meta.related)
end

return M
