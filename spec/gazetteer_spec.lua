--- Specs for lede.core's gazetteer (src/gazetteer.c).
-- @module spec.gazetteer_spec

local core = require "lede.core"
local rng = require "support.rng"

-- The matches of g on s as "start-stop:id" strings, for readable asserts.
local function spans(g, s, i, j, opts)
  local r, out = g:scan(s, i, j, opts), {}
  assert(#r % 3 == 0)
  for k = 1, #r, 3 do out[#out + 1] = r[k] .. "-" .. r[k + 1] .. ":" .. r[k + 2] end
  return out
end

-- The matched texts, in order.
local function texts(g, s, opts)
  local r, out = g:scan(s, nil, nil, opts), {}
  for k = 1, #r, 3 do out[#out + 1] = s:sub(r[k], r[k + 1]) end
  return out
end

local function tmpfile(content)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(content)
  f:close()
  return path
end

describe("core.gazetteer", function()
  it("builds from an array of strings, ids are indices", function()
    local g = core.gazetteer({ "New York", "Korea" })
    assert.equal(2, #g)
    assert.same({ "1-8:1", "14-18:2" }, spans(g, "New York and Korea"))
    assert.matches("^lede%.Gazetteer", tostring(g))
  end)

  it("accepts {phrase, exact = true} elements", function()
    local g = core.gazetteer({ { "US", exact = true }, { "Korea" } })
    assert.same({ "US" }, texts(g, "us and US and Us"))
    assert.same({ "korea" }, texts(g, "korea"))
  end)

  it("builds an empty gazetteer that matches nothing", function()
    local g = core.gazetteer({})
    assert.equal(0, #g)
    assert.same({}, g:scan("New York"))
    assert.is_nil(g:find("New York"))
  end)

  it("raises on misuse", function()
    assert.has_error(function() core.gazetteer("x") end)
    assert.has_error(function() core.gazetteer({ "a" }, { icas = true }) end,
      "gazetteer: unknown option 'icas'")
    assert.has_error(function() core.gazetteer({ "a" }, { icase = 1 }) end,
      "option 'icase' must be a boolean")
    assert.has_error(function() core.gazetteer({ "a", 7 }) end,
      "gazetteer: phrase 2 is a number, not a string")
    assert.has_error(function() core.gazetteer({ { "a", exactly = true } }) end,
      "gazetteer: phrase 1: unknown key 'exactly'")
    assert.has_error(function() core.gazetteer({ "a", "  " }) end, "gazetteer: phrase 2: empty")
    assert.has_error(function() core.gazetteer({ ("w "):rep(65) }) end,
      "gazetteer: phrase 1: phrase has more than 64 tokens")
  end)

  it("is case-sensitive with icase = false", function()
    local g = core.gazetteer({ "Korea" }, { icase = false })
    assert.same({ "Korea" }, texts(g, "KOREA korea Korea"))
  end)

  it("takes overlapping as the scan default", function()
    local g = core.gazetteer({ "New York", "York" }, { overlapping = true })
    assert.same({ "New York", "York" }, texts(g, "New York"))
    assert.same({ "New York" }, texts(g, "New York", { overlapping = false }))
  end)

  it("gives a phrase listed twice the lowest id", function()
    local g = core.gazetteer({ "Jordan", "Korea", "jordan" })
    assert.same({ "1-6:1" }, spans(g, "Jordan"))
  end)
end)

describe("g:scan", function()
  local g = core.gazetteer({ "New York", "New York City", "York", "South Korea", "Korea",
    "U.S.", "AT&T", "Kang Kyung-wha", "Élysée", "Москва", "Αθήνα", "Zoë Ball" })

  it("prefers the longest match at the leftmost start", function()
    assert.same({ "New York City", "York" }, texts(g, "New York City and York"))
    assert.same({ "New York" }, texts(g, "New York Cityscape"))
  end)

  it("finds adjacent phrases", function()
    assert.same({ "South Korea", "Korea" }, texts(g, "South Korea Korea"))
    assert.same({ "South Korea", "Korea" }, texts(g, "South Korea, Korea."))
  end)

  it("gives all matches with overlapping = true, by start then stop", function()
    assert.same({ "1-8:1", "1-13:2", "5-8:3" }, spans(g, "New York City", nil, nil,
      { overlapping = true }))
    assert.same({ "South Korea", "Korea" }, texts(g, "South Korea", { overlapping = true }))
  end)

  it("matches whole words only", function()
    assert.same({}, texts(g, "Koreas xKorea Korea2 Korea_ _Korea"))
    assert.same({ "Korea", "Korea", "Korea" }, texts(g, "Korea, (Korea) Korea."))
    assert.same({}, texts(g, "éKorea Koreaé Korea\u{301}"))
    assert.same({ "Korea" }, texts(g, "\u{2014}Korea\u{2014}"))
  end)

  it("applies word boundaries to punctuation at a phrase's edge", function()
    assert.same({ "U.S." }, texts(g, "the U.S., then"))
    assert.same({}, texts(g, "the U.S.A and XU.S."))
    assert.same({ "AT&T" }, texts(g, "AT&T's"))
    assert.same({}, texts(g, "AT & T"))
    assert.same({ "Kang Kyung-wha" }, texts(g, "by Kang Kyung-wha."))
    assert.same({}, texts(g, "Kang Kyung - wha"))
  end)

  it("lets white space in a phrase match any run with at most one line break", function()
    assert.same({ "New  York", "New\tYork", "New\u{A0}York", "New\r\nYork", "New \n York" },
      texts(g, "New  York; New\tYork; New\u{A0}York; New\r\nYork; New \n York"))
    assert.same({ "York", "York" }, texts(g, "New\n\nYork New\r\n\r\nYork"))
    assert.same({}, texts(g, "NewYork"))
    -- the gap before a phrase's second word counted alike whatever starts it
    assert.same({ "York", "York", "New\u{2028}York", "York" },
      texts(g, "New\u{2029}York New\r\rYork New\u{2028}York New\u{2028}\u{2028}York"))
  end)

  it("reports byte positions in multi-byte text", function()
    local s = "À Москва, Αθήνα et Élysée"
    assert.same({ "4-15:10", "18-27:11", "32-39:9" }, spans(g, s))
    assert.equal("Élysée", s:sub(32, 39))
  end)

  it("folds case in Latin-1, Latin Extended-A, Greek and Cyrillic", function()
    assert.same({ "ÉLYSÉE", "élysée", "МОСКВА", "москва", "ΑΘΉΝΑ", "ZOË BALL" },
      texts(g, "ÉLYSÉE élysée МОСКВА москва ΑΘΉΝΑ ZOË BALL"))
  end)

  it("takes invalid UTF-8 and NUL bytes as separators", function()
    assert.same({ "Korea", "Korea", "Korea" }, texts(g, "\255Korea\0Korea\192Korea\237\160\128"))
    assert.same({}, texts(g, "Kor\0ea"))
    local junk = {}
    for k = 0, 4095 do junk[#junk + 1] = string.char((k * 7919) % 256) end
    assert.is_table(g:scan(table.concat(junk)))
  end)

  it("finds phrases among words and punctuation seen only inside phrases", function()
    local h = core.gazetteer({ "Bank of England", "«Правда»", "Большой театр", "— Reuters" })
    assert.same({ "Bank of England", "Большой театр", "«Правда»", "— Reuters" },
      texts(h, "of England, of театр Bank of England театр Большой театр » «Правда» Reuters — Reuters"))
    assert.same({ "БОЛЬШОЙ ТЕАТР" }, texts(h, "Правда театр БОЛЬШОЙ ТЕАТР"))
    assert.same({}, texts(h, "Большойтеатр Большой\n\nтеатр xБольшой театр"))
  end)

  it("finds phrases whose first word starts many others, alone or not", function()
    -- the first two words of each phrase are filtered before a word is read
    -- in full: "the" starts phrases, "to" is one and starts others
    local h = core.gazetteer({ "the Hague", "the Gambia", "to", "to the moon", "as-Sadr",
      "the Hague Tribunal", "S&P 500" })
    assert.same({ "the Hague", "to", "the Gambia", "to the moon", "The Hague Tribunal" },
      texts(h, "the city the Hague to the Gambia then to the moon; The Hague Tribunal the  x"))
    assert.same({ "as-Sadr", "S&P 500" }, texts(h, "as the as-Sadr as s S&P 500 S&P 50"))
    assert.same({ "the Hague", "the Hague Tribunal", "to", "to the moon" },
      texts(h, "the Hague Tribunal to the moon", { overlapping = true }))
    assert.same({ "the\nHague", "the Hague" }, texts(h, "the\nHague the Hague"))
    local path = os.tmpname()
    assert.is_true(h:save(path))
    local i = assert(core.gazetteer_open(path))
    os.remove(path)
    local s = "the city the Hague to the Gambia then to the moon; the Hague Tribunal"
    assert.same(h:scan(s), i:scan(s))
  end)

  it("returns an empty table on empty text or no match", function()
    assert.same({}, g:scan(""))
    assert.same({}, g:scan("nothing here"))
  end)

  it("scans a string.sub range, with word boundaries seen outside it", function()
    local s = "xKorea Korea"
    assert.same({ "8-12:5" }, spans(g, s, 2))
    assert.same({}, spans(g, s, 8, 11))
    assert.same({ "8-12:5" }, spans(g, s, -5))
    assert.same({}, spans(g, s, 9, 3))
    -- a range that ends inside a word
    assert.same({}, spans(g, "Yorkshire York", 1, 4))
    assert.same({ "11-14:3" }, spans(g, "Yorkshire York", 2))
  end)

  it("completes on a 50 MB single line", function()
    local s = ("Korea and Seoul, "):rep(3000000)
    local r = g:scan(s)
    assert.equal(3000000 * 3, #r)
  end)

  it("raises on misuse", function()
    assert.has_error(function() g:scan() end)
    assert.has_error(function() g:scan("x", 1, -1, { overlap = true }) end,
      "scan: unknown option 'overlap'")
  end)
end)

-- A plain Lua matcher with the documented semantics, over a small alphabet
-- (ASCII and two-byte letters, punctuation, spaces, line breaks).
local WORD = { a = "a", b = "b", B = "b", ["é"] = "é", ["É"] = "é", ["щ"] = "щ", ["Щ"] = "щ" }
local function chars(s)
  local out = {}
  for pos, ch in s:gmatch("()([%z\1-\127\194-\244][\128-\191]*)") do
    out[#out + 1] = { pos = pos, ch = ch }
  end
  return out
end
local function ref_tokens(s)
  local toks, gap, breaks = {}, false, 0
  local cs = chars(s)
  local k = 1
  while k <= #cs do
    local c = cs[k]
    if c.ch == " " or c.ch == "\n" or c.ch == "\u{A0}" then
      gap = true
      if c.ch == "\n" then breaks = breaks + 1 end
      k = k + 1
    else
      local t = { s = c.pos, glued = not gap and #toks > 0, breaks = breaks }
      if WORD[c.ch] then
        local parts = {}
        while cs[k] and WORD[cs[k].ch] do
          parts[#parts + 1] = WORD[cs[k].ch]
          k = k + 1
        end
        t.text, t.word = table.concat(parts), true
      else
        t.text = c.ch
        k = k + 1
      end
      t.e = (cs[k] and cs[k].pos or #s + 1) - 1
      toks[#toks + 1] = t
      gap, breaks = false, 0
    end
  end
  return toks
end
local function ref_scan(phrases, s, overlapping)
  local toks, ps = ref_tokens(s), {}
  for id, p in ipairs(phrases) do ps[id] = ref_tokens(p) end
  local function is_word_at(i)
    for _, c in ipairs(chars(s)) do
      if c.pos == i then return WORD[c.ch] ~= nil end
    end
    return false
  end
  local found = {} -- found[k] = { {stop_token, id}, ... } by length
  for k = 1, #toks do
    found[k] = {}
    local before_word = toks[k].glued and toks[k - 1].word
    for id, p in ipairs(ps) do
      local ok = not before_word and #p > 0
      for t = 1, #p do
        local u = toks[k + t - 1]
        if not ok or not u or u.text ~= p[t].text then ok = false; break end
        if t > 1 and (u.glued ~= p[t].glued or u.breaks >= 2) then ok = false; break end
      end
      if ok then
        local last = k + #p - 1
        if not is_word_at(toks[last].e + 1) and not found[k][last] then found[k][last] = id end
      end
    end
  end
  local out, k = {}, 1
  while k <= #toks do
    local stops = {}
    for last in pairs(found[k]) do stops[#stops + 1] = last end
    table.sort(stops)
    if overlapping then
      for _, last in ipairs(stops) do
        out[#out + 1] = toks[k].s; out[#out + 1] = toks[last].e; out[#out + 1] = found[k][last]
      end
      k = k + 1
    elseif #stops > 0 then
      local last = stops[#stops]
      out[#out + 1] = toks[k].s; out[#out + 1] = toks[last].e; out[#out + 1] = found[k][last]
      k = last + 1
    else
      k = k + 1
    end
  end
  return out
end

describe("g:scan against a plain Lua matcher", function()
  local alphabet = { "a", "b", "B", "é", "É", ".", "-", " ", " \n", "\n", "\n\n", "ab" }
  local rnd = rng.new(4242)
  local function rstring(len)
    local t = {}
    for k = 1, len do t[k] = alphabet[rnd(#alphabet)] end
    return table.concat(t)
  end

  local function agree(rounds)
    for _ = 1, rounds do
      local phrases = {}
      for id = 1, rnd(6) do
        local p
        repeat p = rstring(rnd(5)) until p:gsub("\u{A0}", ""):find("[^ \n]")
        phrases[id] = p
      end
      local g = core.gazetteer(phrases)
      local s = rstring(rnd(40) - 1)
      for _, ov in ipairs({ false, true }) do
        local want, got = ref_scan(phrases, s, ov), g:scan(s, 1, -1, { overlapping = ov })
        if table.concat(want, ",") ~= table.concat(got, ",") then
          assert.same({ phrases = phrases, s = s, overlapping = ov, r = want },
            { phrases = phrases, s = s, overlapping = ov, r = got })
        end
      end
    end
  end

  it("agrees on random text and phrases", function()
    agree(1500)
  end)

  it("agrees with Cyrillic words, non-ASCII punctuation and spaces", function()
    alphabet = { "a", "B", "щ", "Щ", "Щщ", "«", "»", "’", ".", " ", "\u{A0}", "\n", "ab", "aщ",
                 "a’" }
    agree(1500)
  end)
end)

describe("g:find", function()
  local g = core.gazetteer({ "New York", "New York City", "York" })

  it("returns start, stop and id of the first match", function()
    local i, j, id = g:find("in New York City")
    assert.same({ 4, 16, 2 }, { i, j, id })
  end)

  it("starts at init", function()
    local s = "York, New York"
    assert.same({ 7, 14, 1 }, { g:find(s, 2) })
    assert.same({ 11, 14, 3 }, { g:find(s, 11) })
  end)

  it("returns nil when nothing matches", function()
    assert.is_nil(g:find("Yorkshire"))
    assert.is_nil(g:find("York", 10))
  end)
end)

describe("g:entry", function()
  it("gives the phrase of an array-built gazetteer", function()
    local g = core.gazetteer({ "New York", { "US", exact = true } })
    local name, kind, aliases = g:entry(2)
    assert.equal("US", name)
    assert.is_nil(kind)
    assert.same({}, aliases)
    assert.is_nil(g:entry(3))
    assert.is_nil(g:entry(0))
  end)
end)

describe("core.gazetteer_load", function()
  it("loads name, type and aliases; ids count entries", function()
    local path = tmpfile("# entities\n\nSouth Korea\tLOC\tROK|Republic of Korea\n"
      .. "Kang Kyung-wha\tPER\n  \nUnited Nations\t\tUN|U.N.\r\nSeoul\n")
    local g = assert(core.gazetteer_load(path))
    os.remove(path)
    assert.equal(4, #g)
    assert.same({ "South Korea", "LOC", { "ROK", "Republic of Korea" } }, { g:entry(1) })
    assert.same({ "Kang Kyung-wha", "PER", {} }, { g:entry(2) })
    assert.same({ "United Nations", nil, { "UN", "U.N." } }, { g:entry(3) })
    assert.same({ "Seoul", nil, {} }, { g:entry(4) })
    local s = "The Republic of Korea (ROK) told the U.N. in Seoul that Kang Kyung-wha"
    local r = g:scan(s)
    local ids = {}
    for k = 3, #r, 3 do ids[#ids + 1] = r[k] end
    assert.same({ 1, 1, 3, 4, 2 }, ids)
  end)

  it("skips a byte order mark at the start of the file", function()
    local path = tmpfile("\239\187\191Seoul\tLOC\n")
    local g = assert(core.gazetteer_load(path))
    os.remove(path)
    assert.same({ "Seoul", "LOC", {} }, { g:entry(1) })
  end)

  it("takes opts.icase", function()
    local path = tmpfile("Korea\n")
    local g = assert(core.gazetteer_load(path, { icase = false }))
    os.remove(path)
    assert.same({ "Korea" }, texts(g, "KOREA Korea"))
  end)

  it("returns nil and path:line on a malformed line", function()
    local cases = {
      { "Seoul\n# c\n\tLOC\n", 3, "empty name" },
      { "Seoul\nBusan\tLOC\tX\tY\n", 2, "too many fields" },
      { "Seoul\nBu\255san\n", 2, "invalid UTF-8" },
    }
    for _, c in ipairs(cases) do
      local path = tmpfile(c[1])
      local g, err = core.gazetteer_load(path)
      os.remove(path)
      assert.is_nil(g)
      assert.equal(path .. ":" .. c[2] .. ": ", err:sub(1, #path + #tostring(c[2]) + 3))
      assert.matches(c[3], err, 1, true)
    end
  end)

  it("returns nil and a message for an unreadable file", function()
    local g, err = core.gazetteer_load("/nonexistent/entities.tsv")
    assert.is_nil(g)
    assert.matches("^/nonexistent/entities.tsv: ", err)
  end)

  it("loads an empty file", function()
    local path = tmpfile("")
    local g = assert(core.gazetteer_load(path))
    os.remove(path)
    assert.equal(0, #g)
    assert.same({}, g:scan("anything"))
  end)

  it("raises on an unknown option", function()
    assert.has_error(function() core.gazetteer_load("x", { types = true }) end,
      "gazetteer: unknown option 'types'")
  end)
end)

-- Lua 5.4 code (in a string so that this file parses under Lua 5.1 too):
-- recomputes the checksum of an image, so that a test can forge images that
-- pass it and reach the index checks.
local reseal = load([[
  local data = ...
  local HDR, SUM = 8 + 4, 8 + 4 + 11 * 8
  local function sum(s, i, j)
    local h = 0
    while i <= j do
      local w = string.unpack("<i8", s .. ("\0"):rep(8), i)
      if j - i < 7 then w = w & ((1 << (8 * (j - i + 1))) - 1) end
      h = (h ~ w) * 0xFF51AFD7ED558CCD
      h = h ~ (h >> 31)
      i = i + 8
    end
    return h
  end
  local h = sum(data:sub(HDR + 1, SUM) .. data:sub(SUM + 9), 1, #data - HDR - 8)
  return data:sub(1, SUM) .. string.pack("<i8", h) .. data:sub(SUM + 9)
]])

describe("g:save and core.gazetteer_open", function()
  local function read(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("*a")
    f:close()
    return s
  end

  it("round-trips an array-built gazetteer", function()
    local g = core.gazetteer({ "New York", { "US", exact = true }, "Москва" }, { overlapping = true })
    local path = os.tmpname()
    assert.is_true(g:save(path))
    local h = assert(core.gazetteer_open(path))
    os.remove(path)
    assert.equal(3, #h)
    local s = "New York, US, us, МОСКВА"
    assert.same(g:scan(s), h:scan(s))
    assert.same({ "New York", nil, {} }, { h:entry(1) })
  end)

  it("round-trips a loaded gazetteer", function()
    local tsv = tmpfile("South Korea\tLOC\tROK\nSeoul\n")
    local g = assert(core.gazetteer_load(tsv, { icase = false }))
    os.remove(tsv)
    local path = os.tmpname()
    assert.is_true(g:save(path))
    local h = assert(core.gazetteer_open(path))
    os.remove(path)
    assert.same({ "South Korea", "LOC", { "ROK" } }, { h:entry(1) })
    assert.same({ 1, 3, 1 }, h:scan("ROK rok"))
  end)

  it("returns nil and a message for a missing, foreign, truncated or corrupt file", function()
    local g = core.gazetteer({ "New York", "York", "U.S." })
    local path = os.tmpname()
    assert.is_true(g:save(path))
    local image = read(path)
    local function try(data)
      local f = assert(io.open(path, "wb"))
      f:write(data)
      f:close()
      return core.gazetteer_open(path)
    end
    local h, err = core.gazetteer_open("/nonexistent/x.img")
    assert.is_nil(h)
    assert.matches("^/nonexistent/x.img: ", err)
    h, err = try("name\tTYPE\n")
    assert.is_nil(h)
    assert.matches("not a lede gazetteer image", err, 1, true)
    for _, cut in ipairs({ 0, 11, 50, 108, #image - 1 }) do
      h, err = try(image:sub(1, cut))
      assert.is_nil(h)
      assert.is_string(err)
    end
    h, err = try(image .. "x")
    assert.is_nil(h)
    h, err = try(image:sub(1, 200) .. string.char((image:byte(201) + 1) % 256) .. image:sub(202))
    assert.is_nil(h)
    assert.matches("checksum mismatch", err, 1, true)
    os.remove(path)
  end)

  it("never trusts a forged image", function()
    local g = core.gazetteer({ "New York", "New York City", "York", { "US", exact = true },
      "U.S.", "Korea", "South Korea" })
    local path = os.tmpname()
    assert.is_true(g:save(path))
    local image = read(path)
    local text = "New York City, US, us, U.S. and South Korea; Korea"
    local seed = 12345
    for _ = 1, 300 do
      seed = (seed * 1103515245 + 12345) % 2147483648
      local at = 109 + seed % (#image - 108)
      seed = (seed * 1103515245 + 12345) % 2147483648
      local data = image:sub(1, at - 1) .. string.char(seed % 256) .. image:sub(at + 1)
      local f = assert(io.open(path, "wb"))
      f:write(reseal(data))
      f:close()
      local h, err = core.gazetteer_open(path)
      if h then
        assert.is_table(h:scan(text, 1, -1, { overlapping = true }))
        h:find(text)
        for id = 1, #h do h:entry(id) end
      else
        assert.is_string(err)
      end
    end
    os.remove(path)
  end)

  it("raises on a closed gazetteer", function()
    local g = core.gazetteer({ "a" })
    g:close()
    assert.has_error(function() g:save(os.tmpname()) end, "lede.Gazetteer is closed")
  end)
end)

describe("lede.Gazetteer", function()
  it("reports its memory", function()
    local g = core.gazetteer({ "a b", "c" })
    assert.is_true(math.type(g:memory()) == "integer" and g:memory() > 0)
  end)

  it("raises after close; close and __gc are idempotent", function()
    local g = core.gazetteer({ "Korea" })
    g:close()
    g:close()
    assert.has_error(function() g:scan("Korea") end, "lede.Gazetteer is closed")
    assert.has_error(function() g:find("Korea") end, "lede.Gazetteer is closed")
    assert.has_error(function() g:entry(1) end, "lede.Gazetteer is closed")
    assert.has_error(function() return #g end, "lede.Gazetteer is closed")
    assert.equal("lede.Gazetteer (closed)", tostring(g))
    getmetatable(g).__gc(g)
  end)

  it("closes through __close", function()
    local g = core.gazetteer({ "Korea" })
    getmetatable(g).__close(g)
    assert.has_error(function() g:memory() end, "lede.Gazetteer is closed")
  end)
end)
