--- Specs for lede.core's text functions: normalize, the offset map, utf8_check.
local core = require "lede.core"

local NBSP = "\194\160"
local SHY = "\194\173"
local FFFD = "\239\191\189"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- Every byte of text maps into the input, in order, and spans stay inside it.
local function check_map(input, text, map)
  assert.are.equal(#text, #map)
  assert.are.equal(#input, map:input_length())
  local last = 1
  for i = 1, #text do
    local o = map:orig(i)
    assert.is_true(o >= last and o <= #input + 1, "orig out of order at " .. i)
    last = o
    local a, b = map:span(i, i)
    assert.is_true(a >= 1 and b <= #input and a <= b + 1, "bad span at " .. i)
  end
  assert.are.equal(#input + 1, map:orig(#text + 1))
end

describe("core.normalize", function()
  it("returns plain ASCII text unchanged with a one-segment map", function()
    local s = "Hello, world. This is plain text."
    local t, m = core.normalize(s)
    assert.are.equal(s, t)
    assert.are.equal(1, m:segments())
    assert.are.same({ 8, 12 }, { m:span(8, 12) })
  end)

  it("returns an empty text and map for an empty input", function()
    local t, m = core.normalize("")
    assert.are.equal("", t)
    assert.are.equal(0, #m)
    assert.are.equal(0, m:input_length())
    assert.are.equal(1, m:orig(1))
  end)

  it("folds U+00A0 to a space that spans both of its bytes", function()
    local s = "met with" .. NBSP .. "Moon"
    local t, m = core.normalize(s)
    assert.are.equal("met with Moon", t)
    local a, b = m:span(9, 9)
    assert.are.equal(NBSP, s:sub(a, b))
    assert.are.equal(s, s:sub(m:span(1, #t)))
  end)

  it("folds a run of mixed white space into one space spanning the run", function()
    local s = "a \t" .. NBSP .. "\226\128\131  b"
    local t, m = core.normalize(s)
    assert.are.equal("a b", t)
    assert.are.same({ 2, #s - 1 }, { m:span(2, 2) })
  end)

  it("trims each line and maps line ends back to CRLF, CR and U+2028", function()
    local s = "  one  \r\ntwo\rthree\226\128\168four  "
    local t, m = core.normalize(s)
    assert.are.equal("one\ntwo\nthree\nfour", t)
    assert.are.equal("\r\n", s:sub(m:span(4, 4)))
    assert.are.equal("\r", s:sub(m:span(8, 8)))
    assert.are.equal("\226\128\168", s:sub(m:span(14, 14)))
    assert.are.equal("one", s:sub(m:span(1, 3)))
    check_map(s, t, m)
  end)

  it("turns U+2029 into a blank line and U+0085 into a line break", function()
    local t = core.normalize("a\226\128\169b\194\133c")
    assert.are.equal("a\n\nb\nc", t)
  end)

  it("keeps blank lines", function()
    assert.are.equal("a\n\n\nb", core.normalize("a\n  \n\t\nb"))
  end)

  it("drops invisible characters but keeps them inside spans", function()
    local s = "co" .. SHY .. "operate\239\187\191 now"
    local t, m = core.normalize(s)
    assert.are.equal("cooperate now", t)
    assert.are.equal("co" .. SHY .. "operate", s:sub(m:span(1, 9)))
  end)

  it("turns NUL and other control characters into spaces", function()
    local s = "ab\0cd\1\127e\194\150f"
    local t, m = core.normalize(s)
    assert.are.equal("ab cd e f", t)
    assert.are.equal("\0", s:sub(m:span(3, 3)))
    assert.are.equal("\1\127", s:sub(m:span(6, 6)))
    check_map(s, t, m)
  end)

  it("replaces each maximal invalid subpart with U+FFFD mapped to its bytes", function()
    local s = "x\255y\226\130z\240\159\152"
    local t, m = core.normalize(s)
    assert.are.equal("x" .. FFFD .. "y" .. FFFD .. "z" .. FFFD, t)
    assert.are.equal("\255", s:sub(m:span(2, 4)))
    assert.are.equal("\226\130", s:sub(m:span(6, 8)))
    assert.are.equal("\240\159\152", s:sub(m:span(10, 12)))
    assert.are.equal(3, m:orig(5))
    assert.are.equal(4, m:orig(6))
    check_map(s, t, m)
  end)

  it("treats encoded surrogates and overlong forms as invalid", function()
    local t = core.normalize("\237\160\128|\192\175")
    assert.are.equal(FFFD:rep(3) .. "|" .. FFFD:rep(2), t)
  end)

  it("keeps multi-byte characters and maps them byte for byte", function()
    local s = "Ölig  Škoda " .. NBSP .. " 日本"
    local t, m = core.normalize(s)
    assert.are.equal("Ölig Škoda 日本", t)
    local i = t:find("日本", 1, true)
    assert.are.equal("日本", s:sub(m:span(i, i + 5)))
    assert.are.equal(s:find("日本", 1, true), m:orig(i))
  end)

  it("copies kana, CJK and Hangul runs with the ideographic space folded", function()
    local s = "엘제이의 리벤지인가,  류화영\n漢字 かな\227\128\128끝 \237\160\128"
    local t, m = core.normalize(s)
    assert.are.equal("엘제이의 리벤지인가, 류화영\n漢字 かな 끝 " .. ("\239\191\189"):rep(3), t)
    assert.are.same({ 1, 12 }, { m:span(1, 12) }) -- one run, spaces between, copied
    assert.are.same({ 30, 31 }, { m:span(30, 30) }) -- the two spaces after the comma
    local k = #"엘제이의 리벤지인가, 류화영\n漢字 かな"
    assert.are.same({ k + 2, k + 4 }, { m:span(k + 1, k + 1) }) -- U+3000
  end)

  it("with trim = false keeps one space at line ends and starts", function()
    local t = core.normalize("  a  \n  b  ", { trim = false })
    assert.are.equal(" a \n b ", t)
  end)

  it("with newlines = false makes one line of running text", function()
    local s = "one\n\ntwo  \r\n three"
    local t, m = core.normalize(s, { newlines = false })
    assert.are.equal("one two three", t)
    assert.are.equal("\n\n", s:sub(m:span(4, 4)))
  end)

  it("inserts a split space that maps to an empty point", function()
    local s = "saidPresident Moon"
    local t, m = core.normalize(s, { splits = { 5 } })
    assert.are.equal("said President Moon", t)
    local a, b = m:span(5, 5)
    assert.are.equal(5, a)
    assert.are.equal(4, b)
    assert.are.equal("", s:sub(a, b))
    assert.are.equal(5, m:orig(5))
    assert.are.equal("said", s:sub(m:span(1, 5)))
    assert.are.equal("President", s:sub(m:span(5, 14)))
    assert.are.equal(s, s:sub(m:span(1, #t)))
  end)

  it("ignores splits next to white space, at line starts, or repeated", function()
    local s = "ab cd\nef"
    local t = core.normalize(s, { splits = { 3, 4, 7, 2, 2 } })
    assert.are.equal("a b cd\nef", t)
  end)

  it("ignores a split inside a multi-byte character", function()
    local s = "a日b"
    assert.are.equal("a日 b", core.normalize(s, { splits = { 3, 5 } }))
  end)

  it("accepts unsorted splits", function()
    assert.are.equal("a b c", core.normalize("abc", { splits = { 3, 2 } }))
  end)

  it("rejects splits out of range or not integers", function()
    assert.has_error(function() core.normalize("abc", { splits = { 4 } }) end,
      "normalize: splits[1] = 4 is out of range 1..3")
    assert.has_error(function() core.normalize("abc", { splits = { 1, "x" } }) end,
      "normalize: splits[2] must be an integer position, got string")
    assert.has_error(function() core.normalize("abc", { splits = { 1.5 } }) end,
      "normalize: splits[1] must be an integer position, got number")
  end)

  it("raises on an unknown option, naming it", function()
    assert.has_error(function() core.normalize("x", { trimm = true }) end,
      "normalize: unknown option 'trimm'")
  end)

  it("raises on bad option values and bad argument types", function()
    assert.has_error(function() core.normalize("x", { trim = 1 }) end,
      "normalize: option 'trim' must be a boolean, got number")
    assert.has_error(function() core.normalize("x", { splits = 3 }) end,
      "normalize: option 'splits' must be an array of positions, got number")
    assert.has_error(function() core.normalize({}) end)
    assert.has_error(function() core.normalize("x", "y") end)
  end)

  it("maps the seed article back to its bytes, U+00A0 and all", function()
    local input = read("../shared/examples/000_6fea872e61a50aa0.txt")
    local text, map = core.normalize(input)
    assert.is_nil(text:find(NBSP, 1, true))
    assert.is_truthy(input:find(NBSP, 1, true))
    check_map(input, text, map)
    -- every line of the text re-normalises from its original bytes
    local nbsp_lines = 0
    for i, j in text:gmatch("()[^\n]+()") do
      local a, b = map:span(i, j - 1)
      local orig = input:sub(a, b)
      if orig:find(NBSP, 1, true) then nbsp_lines = nbsp_lines + 1 end
      assert.are.equal(text:sub(i, j - 1), (core.normalize(orig)))
    end
    assert.is_true(nbsp_lines > 5)
  end)

  it("survives random byte strings with a consistent map", function()
    math.randomseed(42)
    local alphabet = { "a", "B", " ", "\t", "\n", "\r", "\0", NBSP, SHY, "\255", "\226\130",
      "\226\128\169", "日", ".", "\194" }
    for _ = 1, 200 do
      local parts = {}
      for k = 1, math.random(0, 30) do parts[k] = alphabet[math.random(#alphabet)] end
      local s = table.concat(parts)
      local splits = {}
      for k = 1, math.random(0, 3) do
        if #s > 0 then splits[k] = math.random(1, #s) end
      end
      for _, opts in ipairs({ {}, { trim = false }, { newlines = false }, { splits = splits } }) do
        local t, m = core.normalize(s, opts)
        check_map(s, t, m)
        local ok = core.utf8_check(t)
        assert.is_true(ok)
      end
    end
  end)

  it("normalises a 50 MB single line with a small map", function()
    local s = NBSP .. ("The quick brown fox jumps over the lazy dog "):rep(1200000) .. "end" .. NBSP
    assert.is_true(#s > 50000000)
    local t, m = core.normalize(s)
    assert.are.equal(#s - 4, #t)
    assert.is_true(m:segments() <= 2)
    assert.are.equal("end", s:sub(m:span(#t - 2, #t)))
    assert.are.equal(3, m:orig(1))
  end)

  it("keeps runs of invalid bytes and of CRLF blank lines in one segment each", function()
    local s = ("\255"):rep(1000) .. "\240\159" .. ("\r\n"):rep(1000) .. "a"
    local t, m = core.normalize(s)
    assert.are.equal(FFFD:rep(1001) .. ("\n"):rep(1000) .. "a", t)
    assert.is_true(m:segments() <= 3)
    assert.are.same({ 500, 500 }, { m:span(1498, 1500) })
    assert.are.same({ 1001, 1002 }, { m:span(3001, 3003) })
    assert.are.same({ 1003 + 2 * 99, 1004 + 2 * 99 }, { m:span(3004 + 99) })
    assert.are.equal("a", s:sub(m:span(#t)))
    check_map(s, t, m)
  end)

  it("reads a text the same wherever it falls, sixty-four bytes at a time or not", function()
    -- (splits inside a character change nothing but end the runs the fast
    -- path may take at once: with one every few bytes, it takes none)
    math.randomseed(7)
    local pieces = { "a", "Z", ".", " ", "  ", "\n", "\n\n", "\n\n\n", "\n ", " \n", "\195\159",
      "\226\128\153", "\226\128\148", "\226\128\168", "\226\128\175", "\226\128\169", "\226\128\139",
      "\226\130\172", NBSP, SHY, "\230\151\165", "\255", "\195", "\128", "\t", "\r\n", "word", "words and more" }
    for _ = 1, 60 do
      local parts, splits, len = { "x" }, {}, 1
      for k = 2, math.random(20, 120) do
        local piece = k % 6 == 0 and "\195\169" or pieces[math.random(#pieces)]
        if k % 6 == 0 then splits[#splits + 1] = len + 2 end
        parts[k] = piece
        len = len + #piece
      end
      local s = table.concat(parts)
      for _, opts in ipairs({ {}, { newlines = false } }) do
        local t0, m0 = core.normalize(s, opts)
        local t1, m1 = core.normalize(s, { newlines = opts.newlines, splits = splits })
        assert.are.equal(t1, t0)
        for i = 1, #t0 do
          assert.are.same({ m1:span(i, i + 2) }, { m0:span(i, i + 2) })
        end
        for shift = 0, 70, 3 do
          local pad = ("y"):rep(shift)
          local t, m = core.normalize(pad .. s, opts)
          assert.are.equal(pad .. t0, t)
          for i = 1, #t0, 5 do
            local a0, b0 = m0:span(i, i + 3)
            local a, b = m:span(shift + i, shift + i + 3)
            assert.are.same({ a0 + shift, b0 + shift }, { a, b })
          end
        end
      end
    end
  end)

  it("normalises a long run of invalid bytes and spaces", function()
    local s = ("\255 \t"):rep(100000)
    local t, m = core.normalize(s)
    assert.are.equal(100000 * 4 - 1, #t)
    assert.are.equal("\255", s:sub(m:span(#t - 2, #t)))
  end)
end)

describe("lede.OffsetMap", function()
  it("gives orig(#text + 1) == #input + 1", function()
    local s = "  ab  "
    local t, m = core.normalize(s)
    assert.are.equal("ab", t)
    assert.are.equal(3, m:orig(1))
    assert.are.equal(7, m:orig(3))
  end)

  it("raises on positions out of range", function()
    local _, m = core.normalize("abc")
    assert.has_error(function() m:orig(0) end,
      "bad argument #1 to 'orig' (position 0 out of range 1..4)")
    assert.has_error(function() m:orig(5) end)
    assert.has_error(function() m:orig("x") end)
  end)

  it("takes string.sub style ranges in span and gives an empty span for empty ranges", function()
    local s = "a" .. NBSP .. "bc"
    local t, m = core.normalize(s)
    assert.are.equal("a bc", t)
    assert.are.same({ 2, 5 }, { m:span(2, -1) })
    assert.are.same({ 5, 5 }, { m:span(-1) })
    assert.are.same({ 4, 3 }, { m:span(3, 2) })
  end)

  it("has a length, an input length and a string form", function()
    local _, m = core.normalize("a" .. NBSP .. "b")
    assert.are.equal(3, #m)
    assert.are.equal(4, m:input_length())
    assert.are.equal("lede.OffsetMap (4 input bytes -> 3, 2 segments)", tostring(m))
  end)

  it("raises 'closed' after close, and closing twice is harmless", function()
    local _, m = core.normalize("abc")
    m:close()
    m:close()
    assert.are.equal("lede.OffsetMap (closed)", tostring(m))
    assert.has_error(function() m:orig(1) end, "lede.OffsetMap is closed")
    assert.has_error(function() return #m end, "lede.OffsetMap is closed")
  end)

  it("closes at the end of a to-be-closed scope", function()
    local chunk = assert(load([[
      local core = ...
      local m
      do
        local _, mm <close> = core.normalize("abc")
        m = mm
      end
      return m
    ]]))
    local m = chunk(core)
    assert.has_error(function() m:span(1, 1) end, "lede.OffsetMap is closed")
  end)
end)

describe("core.count", function()
  it("counts the bytes of a set, or those followed by a byte of another", function()
    assert.are.equal(3, core.count("a b c d", " "))
    assert.are.equal(3, core.count("a,b;c d", " ,;x"))
    assert.are.equal(2, core.count("a B c 1 d", " ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
    assert.are.equal(0, core.count("", " "))
    assert.are.equal(0, core.count("x ", " ", "x"))
    assert.are.equal(2, core.count("\0\255\0", "\0"))
  end)
end)

describe("core.find_back", function()
  it("finds the last byte of a set at or before a position, down to a limit", function()
    assert.are.equal(9, core.find_back("one two, three", " ,", 11))
    assert.are.equal(8, core.find_back("one two, three", ",", 11))
    assert.are.equal(4, core.find_back("one two, three", " ,", 7))
    assert.is_nil(core.find_back("one two, three", " ,", 3))
    assert.is_nil(core.find_back("one two, three", " ,", 7, 5))
    assert.are.equal(9, core.find_back("one two, three", " ,", 100))
    assert.is_nil(core.find_back("", " ", 5))
    assert.is_nil(core.find_back("a b", " ", 0))
  end)
end)

describe("core.utf8_check", function()
  it("accepts valid UTF-8, ASCII and the empty string", function()
    assert.is_true(core.utf8_check(""))
    assert.is_true(core.utf8_check(("plain ascii "):rep(10)))
    assert.is_true(core.utf8_check("Ölig 日本 \240\159\152\128"))
  end)

  it("gives the 1-based position of the first invalid byte", function()
    local ok, pos = core.utf8_check("abcdefghij\255")
    assert.is_false(ok)
    assert.are.equal(11, pos)
    assert.are.same({ false, 4 }, { core.utf8_check("日\226\130") })
    assert.are.same({ false, 1 }, { core.utf8_check("\237\160\128") })
    assert.are.same({ false, 2 }, { core.utf8_check("a\192\175") })
  end)

  it("accepts NUL bytes", function()
    assert.is_true(core.utf8_check("a\0b"))
  end)

  it("raises on a non-string", function()
    assert.has_error(function() core.utf8_check(nil) end)
  end)
end)

describe("core.probes", function()
  local core = require "lede.core"

  it("finds where literals and bytes follow one another", function()
    local ps = core.probes({ { at = { { "GMT", "UTC" }, { bytes = "0123456789" } } } })
    assert.same({ [1] = { 1, 10 } }, ps:scan("GMT2 GMT UTC3 xGMT"))
    assert.is_nil(ps:scan("GMT UTC gmt1"))
  end)

  it("checks what stands before a position", function()
    local ps = core.probes({
      { before = { "on", "at" }, at = { { bytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" } } },
      { before = { bytes = "abc" } },
    })
    local found = ps:scan("onUSA atX on NATO b")
    assert.same({ 3, 9 }, found[1])
    assert.same({ 8, 20 }, found[2]) -- after the last byte too
  end)

  it("reports 1-based positions at character starts only", function()
    local ps = core.probes({ { before = { bytes = "\128\153" } }, { at = { "é" } } })
    local found = ps:scan("’xé")
    assert.same({ 4 }, found[1])
    assert.same({ 5 }, found[2])
  end)

  it("takes a character of unknown length as the end of the check", function()
    local ps = core.probes({ { at = { { bytes = "\195" }, { "x" } } } })
    assert.same({ [1] = { 1 } }, ps:scan("éy"))
    local later = core.probes({ { at = { "ab", { bytes = "\195" }, "x" } } })
    assert.same({ [1] = { 1, 7 } }, later:scan("ab\195\169y ab\195"))
  end)

  it("checks the bytes several steps on, up to the end of the text", function()
    local digit = { bytes = "0123456789" }
    local ps = core.probes({ { at = { { "19", "20" }, digit, digit, { bytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" } } } })
    assert.same({ [1] = { 6, 14, 21 } }, ps:scan("2019 2019Jan 1999X x2020A 2020"))
    assert.is_nil(ps:scan("2019 1999x 2020"))
    -- a literal step that ends early leaves the next steps to decide
    local mixed = core.probes({ { at = { { "a", "abc" }, { "xy" } } } })
    assert.same({ [1] = { 1, 7 } }, mixed:scan("axy0  abcxy abcx"))
  end)

  it("accepts any bytes and many probes", function()
    local list = {}
    for k = 1, 100 do list[k] = { at = { { tostring(k) } } } end
    local ps = core.probes(list)
    assert.equal(100, #ps)
    local found = ps:scan("\0\255 99 100")
    assert.same({ 4, 5 }, found[9])
    assert.same({ 7 }, found[100])
    assert.is_nil(ps:scan(""))
  end)

  it("scans a long run in one pass", function()
    local s = ("A"):rep(1000000)
    local found = core.probes({ { at = { "AAAA" } }, { before = { "AB" }, at = { "A" } } }):scan(s)
    assert.equal(1000000 - 3, #found[1])
    assert.equal(1000000 - 3, found[1][#found[1]])
    assert.is_nil(found[2])
  end)

  it("gives up after 256 literal comparisons at a position (and says yes)", function()
    -- 5000 literals, none of which holds (though some start with the
    -- three bytes at hand): only the first 256 are tried
    local many = {}
    for k = 1, 5000 do many[k] = "a" .. k .. "z" end
    local found = core.probes({ { at = { many } } }):scan(("a10 "):rep(100000))
    assert.equal(100000, #found[1])
    local before = core.probes({ { before = many, at = { "x" } } }):scan(("b9zx "):rep(100000))
    assert.equal(100000, #before[1])
    -- under the limit every literal is tried
    assert.is_nil(core.probes({ { at = { { "a1", "a2", "ab" } } } }):scan("a a a"))
  end)

  it("raises on bad entries and when closed", function()
    assert.has_error(function() core.probes({ {} }) end, "probes: entry 1 has no condition")
    assert.has_error(function() core.probes({ { at = { { "" } } } }) end, "probes: entry 1: a step[1] is empty")
    assert.has_error(function() core.probes({ { foo = 1 } }) end, "probes: entry 1: unknown key 'foo'")
    assert.has_error(function() core.probes({ { at = { {} } } }) end,
      "probes: entry 1: a step has neither literals nor bytes")
    local ps = core.probes({ { at = { "a" } } })
    ps:close()
    ps:close()
    assert.has_error(function() ps:scan("a") end, "lede.ProbeSet is closed")
    assert.equal("lede.ProbeSet(closed)", tostring(ps))
  end)
end)

describe("core.normalize long plain runs", function()
  local core = require "lede.core"

  it("trims a space that ends a run of plain bytes before a line break", function()
    assert.equal("abcdefg\nxyz", (core.normalize("abcdefg \nxyz")))
    assert.equal("abcdefgh ij\nk", (core.normalize("abcdefgh ij \t\nk")))
    assert.equal("abc def", (core.normalize("abc\194\160\194\160def")))
    assert.equal("abcdefgh ijkl", (core.normalize("abcdefgh  ijkl")))
  end)

  it("copies Cyrillic, curly quotes and dashes as they are and maps them one for one", function()
    local s = "Привет, мир — “да” и ‘нет’… ok  end"
    local t, map = core.normalize(s)
    assert.equal("Привет, мир — “да” и ‘нет’… ok end", t)
    local i = t:find("ok", 1, true)
    assert.same({ s:find("ok", 1, true), s:find("ok", 1, true) + 1 }, { map:span(i, i + 1) })
    assert.equal("a\nb", (core.normalize("a\226\128\168b"))) -- U+2028 is a line end
    assert.equal("a b", (core.normalize("a\226\128\175b"))) -- U+202F is a space
  end)
end)

describe("map:records", function()
  local core = require "lede.core"

  it("copies the named fields and adds the input span of i, j", function()
    local s = "ab  \195\169t\195\169  cd"
    local t, map = core.normalize(s)
    assert.equal("ab \195\169t\195\169 cd", t)
    local out = map:records({ { i = 4, j = 8, text = "\195\169t\195\169", x = 1 }, { i = 10, j = 11, kind = "k" } },
      { "text", "kind" })
    assert.same({ { text = "\195\169t\195\169", start = 5, stop = 9 }, { kind = "k", start = 12, stop = 13 } }, out)
    assert.same({}, map:records({}, { "text" }))
  end)

  it("maps positions as map:span does, ranges included", function()
    local t, map = core.normalize("a\r\nb  c")
    for i = 1, #t do
      for j = i - 1, #t do
        local r = map:records({ { i = i, j = j } }, {})[1]
        local a, b = map:span(i, j)
        assert.same({ start = a, stop = b }, r)
      end
    end
  end)

  it("with a field, replaces each element's list by its records, in place", function()
    local _, map = core.normalize("ab  cd ef")
    local shared = { { i = 4, j = 5, text = "cd", x = 1 } }
    local list = { { name = "a", mentions = { { i = 1, j = 2, text = "ab" }, { i = 7, j = 8, text = "ef" } } },
                   { name = "b" }, { name = "c", mentions = shared }, { name = "d", mentions = shared } }
    assert.equal(list, map:records(list, { "text" }, "mentions"))
    assert.same({ { name = "a", mentions = { { text = "ab", start = 1, stop = 2 }, { text = "ef", start = 8, stop = 9 } } },
                  { name = "b", mentions = {} }, { name = "c", mentions = { { text = "cd", start = 5, stop = 6 } } },
                  { name = "d", mentions = { { text = "cd", start = 5, stop = 6 } } } }, list)
    assert.same({}, map:records({}, { "text" }, "mentions"))
    assert.has_error(function() map:records({ 1 }, {}, "mentions") end, "records: element 1 must be a table, got number")
    assert.has_error(function() map:records({ { mentions = 1 } }, {}, "mentions") end,
      "records: element 1's mentions must be a table, got number")
    assert.has_error(function() map:records({ { mentions = { { i = 1 } } } }, {}, "mentions") end,
      "records: record 1 needs integer positions i and j")
  end)

  it("raises on bad records and keys", function()
    local _, map = core.normalize("abc")
    assert.has_error(function() map:records({ 1 }, {}) end, "records: record 1 must be a table, got number")
    assert.has_error(function() map:records({ { i = 1 } }, {}) end,
      "records: record 1 needs integer positions i and j")
    assert.has_error(function() map:records({}, { 1 }) end, "records: keys[1] must be a string, got number")
    map:close()
    assert.has_error(function() map:records({}, {}) end, "lede.OffsetMap is closed")
  end)
end)

describe("map:place", function()
  local core = require "lede.core"

  it("puts the input span of i, j in their place and drops the named fields", function()
    local s = "ab  \195\169t\195\169  cd"
    local t, map = core.normalize(s)
    assert.equal("ab \195\169t\195\169 cd", t)
    local a, b = { i = 4, j = 8, text = "\195\169t\195\169", x = 1 }, { i = 10, j = 11, kind = "k", y = 2 }
    local list = { a, b }
    assert.equal(list, map:place(list, { "x", "y" }))
    assert.equal(a, list[1])
    assert.same({ { text = "\195\169t\195\169", start = 5, stop = 9 }, { kind = "k", start = 12, stop = 13 } }, list)
    assert.same({}, map:place({}, { "x" }))
  end)

  it("maps positions as map:span does, ranges included", function()
    local t, map = core.normalize("a\r\nb  c")
    for i = 1, #t do
      for j = i - 1, #t do
        local r = map:place({ { i = i, j = j } }, {})[1]
        local x, y = map:span(i, j)
        assert.same({ start = x, stop = y }, r)
      end
    end
  end)

  it("with a field, places the records of each element's list; a record listed twice once", function()
    local _, map = core.normalize("ab  cd ef")
    local shared = { { i = 4, j = 5, text = "cd", entity = 1 } }
    local list = { { name = "a", mentions = { { i = 1, j = 2, text = "ab" }, { i = 7, j = 8, text = "ef", entity = 1 } } },
                   { name = "b" }, { name = "c", mentions = shared }, { name = "d", mentions = shared } }
    assert.equal(list, map:place(list, { "entity" }, "mentions"))
    assert.same({ { name = "a", mentions = { { text = "ab", start = 1, stop = 2 }, { text = "ef", start = 8, stop = 9 } } },
                  { name = "b" }, { name = "c", mentions = { { text = "cd", start = 5, stop = 6 } } },
                  { name = "d", mentions = { { text = "cd", start = 5, stop = 6 } } } }, list)
    assert.same({}, map:place({}, {}, "mentions"))
    assert.has_error(function() map:place({ 1 }, {}, "mentions") end, "place: element 1 must be a table, got number")
    assert.has_error(function() map:place({ { mentions = 1 } }, {}, "mentions") end,
      "place: element 1's mentions must be a table, got number")
    assert.has_error(function() map:place({ { mentions = { { i = 1 } } } }, {}, "mentions") end,
      "place: record 1 needs integer positions i and j")
  end)

  it("raises on bad records and fields", function()
    local _, map = core.normalize("abc")
    assert.has_error(function() map:place({ 1 }, {}) end, "place: record 1 must be a table, got number")
    assert.has_error(function() map:place({ { i = 1 } }, {}) end, "place: record 1 needs integer positions i and j")
    assert.has_error(function() map:place({ { j = 1 } }, {}) end, "place: record 1 needs integer positions i and j")
    assert.has_error(function() map:place({ { i = "x", j = 2 } }, {}) end,
      "place: record 1 needs integer positions i and j")
    assert.has_error(function() map:place({}, { 1 }) end, "place: drop[1] must be a string, got number")
    assert.has_error(function() map:place({}, { "a", "b", "c", "d", "e", "f", "g", "h", "i" }) end,
      "place: at most 8 fields to drop")
    map:close()
    assert.has_error(function() map:place({}, {}) end, "lede.OffsetMap is closed")
  end)
end)

describe("core.join", function()
  local core = require "lede.core"

  it("joins as table.concat does", function()
    local long, mixed = {}, {}
    for k = 1, 300 do long[k] = tostring(k) end
    for k = 1, 119 do mixed[k] = k % 3 == 0 and "" or string.rep("w", k) end
    for _, list in ipairs({ {}, { "a" }, { "" }, { "a", "", "b\0c" }, { "a", "" }, { "", "" },
                            { string.rep("x", 5000), "y", string.rep("z", 3000) }, long, mixed }) do
      assert.equal(table.concat(list, "\n\n"), core.join(list, "\n\n"))
      assert.equal(table.concat(list, ""), core.join(list, ""))
    end
  end)

  it("raises on an item that is no string", function()
    assert.has_error(function() core.join({ "a", 2 }, "") end, "join: item 2 must be a string, got number")
    local long = {}
    for k = 1, 200 do long[k] = "x" end
    long[150] = {}
    assert.has_error(function() core.join(long, ",") end, "join: item 150 must be a string, got table")
  end)
end)

describe("core.normalize words of two- and three-byte letters", function()
  local core = require "lede.core"

  it("keeps one segment for text with single spaces before such words", function()
    local s = string.rep("слово “да” éte — ok ", 20)
    local t, map = core.normalize(s)
    assert.equal(s:sub(1, -2), t)
    assert.equal(1, map:segments())
    local i = t:find("éte", 1, true)
    assert.same({ i, i + 3 }, { map:span(i, i + 3) })
  end)
end)

describe("core.probes candidates", function()
  local core = require "lede.core"

  it("finds every start in long texts, at all offsets of sixteen-byte blocks", function()
    local ps = core.probes({ { at = { { "Jan", "Feb" } } }, { at = { { bytes = "(" }, "CNN" } }, { at = { "2" } } })
    for pad = 0, 17 do
      local s = ("x"):rep(pad) .. "Jan (CNN) 2 Feb" .. ("y"):rep(40) .. "Jan"
      local found = ps:scan(s)
      assert.same({ pad + 1, pad + 16 + 40 }, { found[1][1], found[1][3] })
      assert.same({ pad + 1, pad + 13 }, { found[1][1], found[1][2] })
      assert.same({ pad + 5 }, found[2])
      assert.same({ pad + 11 }, found[3])
    end
  end)

  it("finds what a comparison at every position finds, with many literals per step", function()
    math.randomseed(7)
    local letters = { "a", "b", "c", "ab", "ba", "abc", "ca", "cc", "bca", "aab" }
    local function choice()
      local c = {}
      for k = 1, math.random(1, 8) do c[k] = letters[math.random(#letters)] end
      if math.random(3) == 1 then c.bytes = "bc" end
      return c
    end
    -- whether steps k.. of at hold from s[q] (backtracking over the literals)
    local function holds(at, k, s, q)
      if k > #at then return true end
      local c = at[k]
      for _, l in ipairs(c) do
        if s:sub(q, q + #l - 1) == l and holds(at, k + 1, s, q + #l) then return true end
      end
      return c.bytes ~= nil and q <= #s and c.bytes:find(s:sub(q, q), 1, true) ~= nil and holds(at, k + 1, s, q + 1)
    end
    for _ = 1, 40 do
      local list = {}
      for k = 1, math.random(1, 5) do
        local at = {}
        for j = 1, math.random(1, 3) do at[j] = choice() end
        list[k] = { at = at }
        if math.random(2) == 1 then list[k].before = { "a", "bc", "cab", "b", "ca" } end
      end
      local t = {}
      for k = 1, math.random(0, 80) do t[k] = ("abc "):sub(math.random(4), math.random(4)) end
      local s = table.concat(t)
      local found = core.probes(list):scan(s) or {}
      for k, pr in ipairs(list) do
        local want = {}
        for q = 1, #s do
          local ok = holds(pr.at, 1, s, q)
          if ok and pr.before then
            ok = false
            for _, l in ipairs(pr.before) do
              if q > #l and s:sub(q - #l, q - 1) == l then ok = true end
            end
          end
          if ok then want[#want + 1] = q end
        end
        assert.same(want, found[k] or {})
      end
    end
  end)
end)

describe("core.normalize runs of ASCII white space", function()
  local core = require "lede.core"

  it("folds a run of spaces, tabs and controls to one space spanning the run", function()
    local s = "ab  \t \1\127  cd\n    ef"
    local t, map = core.normalize(s)
    assert.equal("ab cd\nef", t)
    assert.same({ 3, 10 }, { map:span(3) })
    assert.same({ 18, 19 }, { map:span(7, 8) })
    local t2, map2 = core.normalize(s, { splits = { 5, 6 } })
    assert.equal(t, t2)
    assert.same({ map:span(3) }, { map2:span(3) })
  end)
end)

describe("core.normalize line breaks inside plain text", function()
  local core = require "lede.core"

  it("copies a line break before a plain character as it is, one segment in all", function()
    local s = "one\ntwo\nthree\n\nfour"
    local t, map = core.normalize(s)
    assert.equal(s, t)
    assert.equal(1, map:segments())
    local t2 = core.normalize(s, { newlines = false })
    assert.equal("one two three four", t2)
  end)
end)

describe("core.probes byte filters", function()
  local core = require "lede.core"

  it("finds literals of three bytes or more up to the text's end, and no others", function()
    local ps = core.probes({ { at = { { "Tra", "Tre" } } }, { at = { { "Tr", "Tre" } } } })
    assert.same({ { 2 }, { 2 } }, ps:scan("xTra"))
    assert.same({ [2] = { 1, 4 } }, ps:scan("TrxTr"))
    assert.same({ { 1 }, { 1 } }, ps:scan("Tre"))
    assert.is_nil(ps:scan("Tx"))
  end)
end)
