--- Specs for lede.core's regular expressions (lede.Regex, lede.RegexSet).
local core = require "lede.core"

-- Collects what an iterator gives, each call's values joined by ",".
local function collect(iter)
  local out = {}
  while true do
    local v = { iter() }
    if v[1] == nil then break end
    for k = 1, #v do v[k] = tostring(v[k]) end
    out[#out + 1] = table.concat(v, ",")
  end
  return out
end

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok)
  return tostring(err)
end

describe("core.regex", function()
  it("returns a lede.Regex named by its pattern", function()
    local r = core.regex("a+b")
    assert.equal("userdata", type(r))
    assert.equal("lede.Regex(a+b)", tostring(r))
  end)

  it("uses opts.name in tostring and errors", function()
    assert.equal("lede.Regex(byline)", tostring(core.regex("^By ", "", { name = "byline" })))
    assert.matches("regex byline: missing closing parenthesis at offset 4",
                   errmsg(core.regex, "(ab", nil, { name = "byline" }), 1, true)
  end)

  it("cuts a long pattern used as a name on a character boundary", function()
    local pat = string.rep("a", 39) .. "äöü" .. string.rep("b", 20)
    assert.equal("lede.Regex(" .. string.rep("a", 39) .. "...)", tostring(core.regex(pat)))
    local r = core.regex(string.rep("x", 38) .. "ä" .. string.rep("y", 20))
    assert.equal("lede.Regex(" .. string.rep("x", 38) .. "ä...)", tostring(r))
  end)

  it("raises on a bad pattern with PCRE2's message and a 1-based offset", function()
    assert.equal("regex a(b: missing closing parenthesis at offset 4",
                 errmsg(core.regex, "a(b"):match("regex .*"))
    assert.equal("regex ab): unmatched closing parenthesis at offset 3",
                 errmsg(core.regex, "ab)"):match("regex .*"))
    assert.equal("regex a{2,1}: numbers out of order in {} quantifier at offset 6",
                 errmsg(core.regex, "a{2,1}"):match("regex .*"))
  end)

  it("counts the offset of a bad pattern in bytes", function()
    -- "ä" is two bytes: the stray ")" is the fourth byte
    assert.matches("unmatched closing parenthesis at offset 4",
                   errmsg(core.regex, "äb)"), 1, true)
  end)

  it("raises on a pattern that is not valid UTF-8", function()
    assert.matches("regex .*UTF%-8 error.* at offset 2", errmsg(core.regex, "a\255b"))
  end)

  it("refuses \\C, which could split a character", function()
    assert.matches("regex a\\Cb: .* at offset 4", errmsg(core.regex, "a\\Cb"))
  end)

  it("raises on an unknown flag, naming it", function()
    assert.matches("unknown flag 'q'", errmsg(core.regex, "ab", "iq"), 1, true)
    assert.matches("bad argument #2", errmsg(core.regex, "ab", "iq"), 1, true)
  end)

  it("raises on an unknown option, naming it", function()
    assert.matches("unknown option 'match_limt'",
                   errmsg(core.regex, "ab", "i", { match_limt = 10 }), 1, true)
    assert.matches("bad argument #3", errmsg(core.regex, "ab", "i", { bogus = 1 }), 1, true)
  end)

  it("raises on a limit that is not a positive integer", function()
    assert.matches("option 'match_limit' must be a positive integer",
                   errmsg(core.regex, "ab", "", { match_limit = 0 }), 1, true)
    assert.matches("option 'depth_limit' must be a positive integer",
                   errmsg(core.regex, "ab", "", { depth_limit = 1.5 }), 1, true)
    assert.matches("option 'heap_limit' must be a positive integer",
                   errmsg(core.regex, "ab", "", { heap_limit = "big" }), 1, true)
  end)

  it("raises on wrong argument types", function()
    assert.matches("bad argument #1", errmsg(core.regex, nil), 1, true)
    assert.matches("bad argument #1", errmsg(core.regex, {}), 1, true)
    assert.matches("bad argument #2", errmsg(core.regex, "a", true), 1, true)
    assert.matches("bad argument #3", errmsg(core.regex, "a", "i", "m"), 1, true)
  end)

  it("takes the options table as second argument, flags among them", function()
    local r = core.regex("abc", { flags = "i", name = "abc rule" })
    assert.equal("lede.Regex(abc rule)", tostring(r))
    assert.equal(1, r:find("ABC"))
    assert.same({ 2, 2 }, { core.regex("b", nil, { match_limit = 10 }):find("abc") })
    assert.matches("flags given twice", errmsg(core.regex, "a", "i", { flags = "m" }), 1, true)
    assert.matches("unknown flag 'z'", errmsg(core.regex, "a", { flags = "z" }), 1, true)
  end)

  it("flag i matches caseless, Unicode included", function()
    local r = core.regex("élan", "i")
    assert.same({ 1, 5 }, { r:find("ÉLAN") })
    assert.same({ 1, 5 }, { r:find("Élan") })
    assert.is_nil(core.regex("élan"):find("Élan"))
    assert.same({ 1, 3 }, { core.regex("ß", "i"):find("ẞ") })
    assert.same({ 1, 10 }, { core.regex("σοφία", "i"):find("ΣΟΦΊΑ") })
  end)

  it("flag m makes ^ and $ match at line ends (LF)", function()
    assert.is_nil(core.regex("^b$"):find("a\nb\nc"))
    assert.same({ 3, 3 }, { core.regex("^b$", "m"):find("a\nb\nc") })
  end)

  it("flag s lets . match a newline", function()
    assert.is_nil(core.regex("a.b"):find("a\nb"))
    assert.same({ 1, 3 }, { core.regex("a.b", "s"):find("a\nb") })
  end)

  it("flag x ignores white space and comments in the pattern", function()
    assert.same({ 1, 3 }, { core.regex("a b  c # letters", "x"):find("abc") })
  end)

  it("flag U makes quantifiers lazy", function()
    assert.equal("<a>", core.regex("<.+>", "U"):match("<a><b>"))
    assert.equal("<a><b>", core.regex("<.+>"):match("<a><b>"))
  end)

  it("classes are Unicode by default; flag a makes them ASCII", function()
    assert.equal("äbc", core.regex("\\w+"):match("äbc"))
    assert.equal("bc", core.regex("\\w+", "a"):match("äbc"))
    assert.equal("äbc", core.regex("[[:alpha:]]+"):match("äbc"))
    assert.equal("bc", core.regex("[[:alpha:]]+", "a"):match("äbc"))
    assert.equal("É", core.regex("é", "ai"):match("É"))
  end)
end)

describe("r:find", function()
  it("returns 1-based inclusive start and stop", function()
    assert.same({ 3, 5 }, { core.regex("cde"):find("abcdef") })
    assert.same({ 1, 1 }, { core.regex("a"):find("a") })
  end)

  it("returns the captures after the positions", function()
    assert.same({ 1, 7, "key", "val" }, { core.regex("(\\w+)=(\\w+)"):find("key=val") })
  end)

  it("gives false for a capture that did not take part", function()
    assert.same({ 1, 1, "a", false }, { core.regex("(a)|(b)"):find("a") })
    assert.same({ 1, 1, false, "b" }, { core.regex("(a)|(b)"):find("b") })
  end)

  it("gives an empty string for a capture that matched nothing", function()
    assert.same({ 2, 2, "", "b" }, { core.regex("(x*)(b)"):find("abc") })
  end)

  it("returns nil when nothing matches", function()
    assert.is_nil(core.regex("z"):find("abc"))
    assert.is_nil(core.regex("a"):find(""))
  end)

  it("counts positions in bytes after multi-byte characters", function()
    assert.same({ 3, 5 }, { core.regex("abc"):find("äabc") })
    assert.same({ 5, 6, "ö" }, { core.regex("(ö)"):find("a€ö") })
  end)

  it("starts at init, string.find style", function()
    local r = core.regex("a")
    assert.same({ 3, 3 }, { r:find("aba", 2) })
    assert.same({ 3, 3 }, { r:find("aba", -1) })
    assert.same({ 1, 1 }, { r:find("aba", -10) })
    assert.same({ 1, 1 }, { r:find("aba", 0) })
    assert.is_nil(r:find("aba", 4))
    assert.same({ 4, 3 }, { core.regex(""):find("aba", 4) })
    assert.is_nil(core.regex(""):find("aba", 5))
  end)

  it("sees the text before init (lookbehind, \\b)", function()
    assert.is_nil(core.regex("\\bcd"):find("abcd", 3))
    assert.same({ 3, 4 }, { core.regex("(?<=b)cd"):find("abcd", 3) })
  end)

  it("skips to the next character when init is inside one", function()
    assert.same({ 3, 3 }, { core.regex("."):find("äb", 2) })
  end)

  it("works on invalid UTF-8: bad bytes never match, positions are bytes", function()
    assert.same({ 2, 4 }, { core.regex("abc"):find("\255abc\254") })
    assert.equal("äb", core.regex("\\w+"):match("\255\0äb\192"))
    assert.is_nil(core.regex("a.b"):find("a\255b"))
    assert.same({ 1, 1 }, { core.regex("\\bx\\b"):find("x\255y") })
  end)

  it("treats NUL bytes as ordinary characters", function()
    assert.same({ 4, 4 }, { core.regex("b"):find("ab\0b", 3) })
    assert.same({ 2, 4 }, { core.regex("a\0b"):find("xa\0b") })
    assert.same({ 3, 3 }, { core.regex("\\x00"):find("ab\0b") })
    assert.same({ 1, 3 }, { core.regex("a.b"):find("a\0b") })
  end)

  it("finds a match at the end of a 50 MB subject", function()
    local big = string.rep("abc def ", 50 * 1024 * 1024 / 8) .. "THE END"
    assert.same({ #big - 2, #big }, { core.regex("END$"):find(big) })
    assert.same({ #big - 6, #big, "END" }, { core.regex("THE (\\w+)"):find(big) })
    assert.is_nil(core.regex("THE X"):find(big))
  end)

  it("finds what an anchored pattern matches, whatever the subject's first byte", function()
    -- (against the same pattern anchored by \\G at the second byte of "Z" .. text)
    local pats = { { "^\\d+ views$" }, { "^\\[[^\\]]+\\]$" }, { "^(?:home|main) >", "i" },
      { "^\\W*by\\s", "i" }, { "^[|\\s]*$" }, { "^(?:k|s)", "i" } }
    local tails = { "", "12 views", "[x]", "ome > a", "OME > a", "y Jane", " by Jo", "| |", "ss" }
    for _, p in ipairs(pats) do
      local r, ref = core.regex(p[1], p[2]), core.regex("\\G" .. p[1]:sub(2), p[2])
      for b = 0, 255 do
        for _, tail in ipairs(tails) do
          local text = string.char(b) .. tail
          local i, j = ref:find("Z" .. text, 2)
          assert.same(i and { i - 1, j - 1 } or {}, { r:find(text) })
        end
      end
    end
    assert.same({ 1, 3 }, { core.regex("^k", "i"):find("\226\132\170") })
  end)

  it("raises on a wrong subject type", function()
    assert.matches("bad argument #2", errmsg(core.regex("a").find, core.regex("a"), {}),
                   1, true)
  end)
end)

describe("r:match", function()
  it("returns the whole match when there are no captures", function()
    assert.equal("bcd", core.regex("b.d"):match("abcde"))
  end)

  it("returns the captures when there are some", function()
    assert.same({ "2024", "05" }, { core.regex("(\\d+)-(\\d+)"):match("on 2024-05") })
    assert.same({ "x", false }, { core.regex("(x)|(y)"):match("x") })
  end)

  it("returns nil when nothing matches", function()
    assert.is_nil(core.regex("\\d"):match("abc"))
  end)

  it("starts at init", function()
    assert.equal("3", core.regex("\\d"):match("1a3", 2))
    assert.equal("3", core.regex("\\d"):match("1a3", -1))
    assert.is_nil(core.regex("\\d"):match("1a3", 9))
  end)
end)

describe("r:gmatch", function()
  it("iterates over every match", function()
    assert.same({ "one", "two", "três" }, collect(core.regex("\\w+"):gmatch("one, two; três")))
  end)

  it("gives the captures of each match", function()
    assert.same({ "a,1", "b,2" }, collect(core.regex("(\\w)=(\\d)"):gmatch("a=1 b=2")))
  end)

  it("starts at init", function()
    assert.same({ "two" }, collect(core.regex("\\w+"):gmatch("one two", 4)))
    assert.same({ "wo" }, collect(core.regex("\\w+"):gmatch("one two", -2)))
    assert.same({}, collect(core.regex("\\w+"):gmatch("one two", 9)))
  end)

  it("gives nothing when nothing matches", function()
    assert.same({}, collect(core.regex("\\d"):gmatch("abc")))
    assert.same({}, collect(core.regex("\\d"):gmatch("")))
  end)

  it("handles empty matches as Lua 5.4's string.gmatch does", function()
    local cases = {
      { "x*", "x*", "abc" },
      { "a*", "a*", "baaac" },
      { "[a-z]*", "%l*", "ab12cd" },
      { "\\d*", "%d*", "1a22b" },
      { "", "", "" },
      { "", "", "ab" },
    }
    for _, c in ipairs(cases) do
      local want = {}
      for m in string.gmatch(c[3], c[2]) do want[#want + 1] = m end
      assert.same(want, collect(core.regex(c[1]):gmatch(c[3])))
    end
  end)

  it("advances past an empty match by a whole UTF-8 character", function()
    assert.same({ "1,0", "3,2", "5,4" }, collect(core.regex("x*"):gfind("äö")))
  end)

  it("advances past an empty match on invalid UTF-8 without looping", function()
    assert.same({ "1,0", "2,1", "3,2" }, collect(core.regex("x*"):gfind("\255\254")))
    assert.same({ "1,0", "3,2", "6,5", "8,7" }, collect(core.regex("\\b"):gfind("ab \255 cd")))
  end)

  it("raises if the regex is closed during the iteration", function()
    local r = core.regex("\\w")
    local it = r:gmatch("abc")
    assert.equal("a", it())
    r:close()
    assert.matches("lede.Regex is closed", errmsg(it), 1, true)
  end)

  it("keeps the regex alive while iterating", function()
    local it = core.regex("\\d+"):gmatch("1 22 333")
    collectgarbage()
    collectgarbage()
    assert.same({ "1", "22", "333" }, collect(it))
  end)
end)

describe("r:gfind", function()
  it("gives start, stop and captures of each match", function()
    assert.same({ "1,3,abc", "5,6,de" }, collect(core.regex("([a-z]+)"):gfind("abc de")))
  end)

  it("gives byte positions after multi-byte characters", function()
    assert.same({ "3,4", "11,12" }, collect(core.regex("\\d+"):gfind("ä12 ö€34")))
  end)

  it("starts at init", function()
    assert.same({ "5,6" }, collect(core.regex("\\d+"):gfind("12 a34", 3)))
  end)
end)

describe("r:count", function()
  it("counts the matches gmatch gives", function()
    assert.equal(3, core.regex("\\w+"):count("a bb ccc"))
    assert.equal(0, core.regex("\\d"):count("abc"))
    assert.equal(4, core.regex("x*"):count("abc"))
    assert.equal(2, core.regex("\\w+"):count("a bb ccc", 2))
    assert.equal(0, core.regex("\\w+"):count("abc", 5))
  end)
end)

describe("match limits", function()
  it("raise a clear error on catastrophic backtracking instead of hanging", function()
    local r = core.regex("(a+)+$")
    local err = errmsg(r.find, r, string.rep("a", 5000) .. "b")
    assert.matches("regex (a+)+$: match limit exceeded", err, 1, true)
  end)

  it("name the regex in the error", function()
    local r = core.regex("(\\w+\\s?)+$", "", { name = "runaway" })
    local err = errmsg(r.find, r, string.rep("word ", 5000) .. "!")
    assert.matches("regex runaway: match limit exceeded", err, 1, true)
  end)

  it("can be lowered with opts.match_limit", function()
    local s = string.rep("a", 12) .. "b"
    assert.is_nil(core.regex("(a+)+$"):find(s))
    local r = core.regex("(a+)+$", "", { match_limit = 50 })
    assert.matches("match limit exceeded", errmsg(r.find, r, s), 1, true)
    assert.same({ 1, 3, "aaa" }, { r:find("aaa") })
  end)

  it("grow with a long subject: a linear pattern over a long line succeeds, a runaway one fails", function()
    -- the default pack's menu pattern over a 7 MB line of menu items: a
    -- few steps per byte, millions in all
    local pat
    for _, rule in ipairs(require("lede.rules.default").blocks) do
      if rule.name == "menu-shape" then pat = rule.pattern end
    end
    local line = string.rep("Home | ", 1000000)
    local menu = core.regex(pat)
    assert.has_no.errors(function() menu:find(line) end)
    local set = core.regexset({ { pat, name = "menu" } })
    assert.has_no.errors(function() set:first(line) end)
    local r = core.regex("(a+)+$")
    assert.matches("match limit exceeded", errmsg(r.find, r, string.rep("a", 2000000) .. "b"), 1, true)
    -- (a limit set lower still holds on short subjects after a long one)
    local low = core.regex("(a+)+$", "", { match_limit = 50 })
    assert.is_nil(low:find(string.rep("b", 1000)))
    assert.matches("match limit exceeded", errmsg(low.find, low, string.rep("a", 12) .. "b"), 1, true)
  end)

  it("raise from the iterators too", function()
    local r = core.regex("(a+)+$")
    local it = r:gmatch(string.rep("a", 5000) .. "b")
    assert.matches("match limit exceeded", errmsg(it), 1, true)
    assert.matches("match limit exceeded", errmsg(r.count, r, string.rep("a", 5000) .. "b"),
                   1, true)
  end)

  it("depth_limit bounds the interpreter", function()
    local r = core.regex("(*NO_JIT)(?:a|b)*X", "", { depth_limit = 100 })
    assert.matches("regex .*: depth limit exceeded", errmsg(r.find, r, string.rep("a", 1000) .. "X"))
    assert.same({ 1, 3 }, { r:find("abX") })
  end)

  it("heap_limit bounds the interpreter's memory", function()
    local r = core.regex("(*NO_JIT)(?:a|b)*X", "", { heap_limit = 1 })
    assert.matches("regex .*: heap limit exceeded", errmsg(r.find, r, string.rep("a", 5000) .. "X"))
  end)

  it("a deep but sane match succeeds with the defaults", function()
    local s = string.rep("ab", 10000) .. "X"
    assert.same({ 1, #s }, { core.regex("(?:a|b)*X"):find(s) })
  end)
end)

describe("core.regex_escape", function()
  it("escapes every metacharacter", function()
    assert.equal("a\\.b\\*c\\?\\(d\\)\\[e\\]\\{f\\}\\|g\\^h\\$i\\\\j\\+",
                 core.regex_escape("a.b*c?(d)[e]{f}|g^h$i\\j+"))
  end)

  it("leaves letters, digits, underscore and non-ASCII alone", function()
    assert.equal("abc_123_äö", core.regex_escape("abc_123_äö"))
  end)

  it("gives a pattern matching the string literally, flag x included", function()
    local all = {}
    for c = 1, 127 do all[#all + 1] = string.char(c) end
    local s = table.concat(all) .. "\0é"
    for _, flags in ipairs({ "", "x", "i", "xms" }) do
      local r = core.regex(core.regex_escape(s), flags)
      assert.same({ 3, #s + 2 }, { r:find("--" .. s) })
    end
  end)

  it("escapes NUL so that a following digit stays a digit", function()
    assert.same({ 1, 2 }, { core.regex(core.regex_escape("\0" .. "1")):find("\0" .. "1") })
  end)

  it("returns an empty string for an empty string", function()
    assert.equal("", core.regex_escape(""))
  end)
end)

describe("core.regexset", function()
  local set = core.regexset({
    "^Share",
    { "subscribe", "i", "newsletter" },
    { pattern = "\\d{4}", name = "year" },
    { pattern = "end$", flags = "" },
  })

  it("returns a lede.RegexSet with its length", function()
    assert.equal("lede.RegexSet(4 patterns)", tostring(set))
    assert.equal(4, #set)
  end)

  it("first gives the earliest-listed match, not the leftmost", function()
    assert.same({ 2, 17, 25 }, { set:first("In 2024, please SUBSCRIBE") })
    assert.same({ 3, 4, 7 }, { set:first("In 2024") })
  end)

  it("first returns nil when no pattern matches", function()
    assert.is_nil(set:first("nothing here"))
    assert.is_nil(set:first(""))
  end)

  it("matches within s:sub(i, j), giving positions in s", function()
    local s = "xx Share 1999 end yy"
    assert.same({ 1, 4, 8 }, { set:first(s, 4) })
    assert.same({ 3, 10, 13 }, { set:first(s, 5) })
    assert.same({ 4, 15, 17 }, { set:first(s, 15, 17) })
    assert.is_nil(set:first(s, 15, 16))
    assert.same({ 3, 10, 13 }, { set:first(s, -11, -8) })
  end)

  it("anchors ^ and $ at the range ends", function()
    assert.is_nil(set:first("xShare", 1))
    assert.same({ 1, 2, 6 }, { set:first("xShare", 2) })
    assert.same({ 4, 2, 4 }, { set:first("xend!", 1, 4) })
  end)

  it("counts positions in bytes across multi-byte text and bad bytes", function()
    assert.same({ 3, 5, 8 }, { set:first("ä\255 1999") })
    assert.same({ 3, 3, 6 }, { set:first("é2024", 2) })
  end)

  it("all gives the indices of every matching pattern in order", function()
    assert.same({ 1, 3, 4 }, set:all("Share 2024 end"))
    assert.same({ 2 }, set:all("Subscribe!"))
    assert.same({}, set:all("nothing"))
    assert.same({ 3 }, set:all("Share 2024 end", 2, 10))
  end)

  it("an empty set matches nothing", function()
    local empty = core.regexset({})
    assert.equal(0, #empty)
    assert.is_nil(empty:first("abc"))
    assert.same({}, empty:all("abc"))
  end)

  it("names the entry in a compile error", function()
    assert.equal("regexset entry 3 (paren rule): missing closing parenthesis at offset 2",
                 errmsg(core.regexset, { "a", "b", { "(", "", "paren rule" } }):match("regexset .*"))
    assert.equal("regexset entry 2 (a)b): unmatched closing parenthesis at offset 2",
                 errmsg(core.regexset, { "a", "a)b" }):match("regexset .*"))
  end)

  it("names the entry on an unknown flag or key, or a bad entry", function()
    assert.matches("regexset entry 1 (x): unknown flag 'q'",
                   errmsg(core.regexset, { { "x", "q" } }), 1, true)
    assert.matches("regexset entry 2: unknown key 'flag'",
                   errmsg(core.regexset, { "a", { pattern = "b", flag = "i" } }), 1, true)
    assert.matches("regexset entry 1: expected a string or a table, got number",
                   errmsg(core.regexset, { 42 }), 1, true)
    assert.matches("regexset entry 1: the pattern must be a string",
                   errmsg(core.regexset, { { name = "x" } }), 1, true)
  end)

  it("raises on an unknown option, naming it", function()
    assert.matches("unknown option 'limit'", errmsg(core.regexset, { "a" }, { limit = 1 }),
                   1, true)
  end)

  it("names the entry when a match exceeds a limit", function()
    local s = core.regexset({ "x", { "(a+)+$", "", "runaway" } })
    assert.matches("regexset entry 2 (runaway): match limit exceeded",
                   errmsg(s.first, s, string.rep("a", 5000) .. "b"), 1, true)
    local low = core.regexset({ "(a+)+$" }, { match_limit = 50 })
    assert.same({}, core.regexset({ "(a+)+$" }):all(string.rep("a", 12) .. "b"))
    assert.matches("regexset entry 1 ((a+)+$): match limit exceeded",
                   errmsg(low.all, low, string.rep("a", 12) .. "b"), 1, true)
  end)

  it("takes the compiled patterns of the set given as share, matching as its own", function()
    local base = core.regexset({ { "^ab+", "i" }, "c(d)", "^x" })
    local shared = core.regexset({ "c(d)", { "^ab+", "i" }, { "^ab+", "" }, "e" }, { share = base })
    local alone = core.regexset({ "c(d)", { "^ab+", "i" }, { "^ab+", "" }, "e" })
    for _, s in ipairs({ "ABB", "abb cd", "xcd", "e", "ab", "nothing" }) do
      assert.same({ alone:first(s) }, { shared:first(s) })
      assert.same(alone:all(s), shared:all(s))
    end
    assert.same({ 2, 1, 3 }, { shared:first("ABB") })
    -- (closed or collected, the set shared leaves the other one whole)
    base:close()
    base = nil
    collectgarbage()
    collectgarbage()
    assert.same({ 1, 3, 4 }, { shared:first("abcd") })
    assert.same({ 1, 2, 3 }, shared:all("abb cd"))
    shared:close()
    assert.same({ 2, 1, 3 }, { alone:first("ABB") })
  end)

  it("raises when share is no lede.RegexSet", function()
    assert.matches("share must be a lede.RegexSet", errmsg(core.regexset, { "a" }, { share = {} }),
                   1, true)
    assert.matches("share must be a lede.RegexSet", errmsg(core.regexset, { "a" }, { share = 1 }),
                   1, true)
  end)

  it("skips an entry none of whose needles the subject holds (ASCII case ignored)", function()
    local s = core.regexset({
      { pattern = "(?i)\\bcookies?\\b", needles = { "cookie" } },
      { pattern = "\\d{4}", needles = { "19", "20" } },
      -- (a needle that a match need not contain: the promise is the caller's)
      { pattern = "tea", needles = { "coffee" } },
    })
    assert.same({ 1, 5, 11 }, { s:first("Our COOKIES policy") })
    assert.same({ 2, 4, 7 }, { s:first("In 2024") })
    assert.is_nil(s:first("In 1850"))
    assert.is_nil(s:first("tea"))
    assert.same({ 3, 1, 3 }, { s:first("tea or coffee") })
    assert.same({ 1, 2 }, s:all("cookie 2020"))
  end)

  it("lets k and s match KELVIN SIGN and LONG S, as caseless PCRE2 does", function()
    local s = core.regexset({ { pattern = "kiss", flags = "i", needles = { "kiss" } } })
    assert.same({ 1, 1, 6 }, { s:first("\226\132\170iss") })
    assert.same({ 1, 1, 5 }, { s:first("ki\197\191s") })
  end)

  it("takes needles of one byte, and exact needles that mind ASCII case", function()
    local s = core.regexset({ { pattern = "\\[\\d\\]", needles = { "[" } },
      { pattern = "AP$", needles = { "AP" }, exact = true }, { pattern = "x", needles = { "" } } })
    assert.same({ 1, 2, 4 }, { s:first("a[1]") })
    assert.same({ 2, 7, 8 }, { s:first("Photo AP") })
    assert.is_nil(s:first("Photo ap"))
    -- (an empty needle cannot be used: that entry always runs)
    assert.same({ 3, 1, 1 }, { s:first("x") })
  end)

  it("finds a long needle whole: its first bytes alone are not it", function()
    -- (the needles are promises that the patterns here do not keep, so that
    -- whether an entry ran shows)
    local s = core.regexset({
      { pattern = "x", needles = { "subscribe to our" } },
      { pattern = "y", needles = { "Getty Images" }, exact = true },
    })
    assert.same({ 1, 1, 1 }, { s:first("x SUBSCRIBE TO OUR") })
    assert.is_nil(s:first("x subscribe to ou"))
    assert.is_nil(s:first("x subscribe-to our"))
    assert.is_nil(s:first("x subscriber"))
    assert.same({ 2, 1, 1 }, { s:first("y Getty Images") })
    assert.is_nil(s:first("y Getty images"))
    assert.is_nil(s:first("y Getty Image"))
    -- in a long subject cut into parts, a needle across a cut, and at the end
    local pad = string.rep("a", 97)
    for n = 0, 40 do
      local t = string.rep("z", n) .. pad .. "subscribe to our" .. pad .. "x"
      assert.same({ 1, #t, #t }, { s:first(t) })
      t = string.rep("z", n) .. pad .. "subscribe to ou" .. pad .. "x"
      assert.is_nil(s:first(t))
    end
    local t = string.rep("b", 300) .. "x subscribe to our"
    assert.same({ 1, 301, 301 }, { s:first(t) })
    assert.is_nil(s:first(string.rep("b", 300) .. "x subscribe to o"))
  end)

  it("finds needles inside, overlapping and ending other needles", function()
    local s = core.regexset({
      { pattern = "(?i)use", needles = { "use" } },
      { pattern = "(?i)cookies", needles = { "we use cookies" } },
      { pattern = "Image", needles = { "Image" }, exact = true },
      { pattern = "(?i)sign", needles = { "sign" } },
      { pattern = "(?i)image", needles = { "image" } },
    })
    -- "use" ends inside "we use cookies": both are found in one pass
    assert.same({ 1, 2 }, s:all("WE USE COOKIES"))
    -- a needle that failed at one place is found at the next
    assert.same({ 1 }, s:all("we usecookies; users"))
    assert.same({ 4 }, s:all("ssssign"))
    -- the exact needle and the caseless one of the same letters
    assert.same({ 5 }, s:all("IMAGE"))
    assert.same({ 3, 5 }, s:all("image Image"))
    -- NUL bytes and bytes of invalid UTF-8 are ordinary bytes
    assert.same({ 4 }, s:all("\0\255sign\0"))
  end)

  it("keeps list order when anchored entries with needles run alone", function()
    local s = core.regexset({
      { pattern = "^menu", flags = "i", needles = { "menu" } },
      "^\\w+ > ",
      { pattern = "^home", flags = "i", needles = { "home" } },
      "^home",
      "> news$",
    })
    assert.same({ 2, 1, 7 }, { s:first("Home > News") })
    assert.same({ 1, 1, 4 }, { s:first("Menu > x") })
    assert.same({ 3, 1, 4 }, { s:first("HOME") })
    assert.same({ 2, 3, 4, 5 }, s:all("home > news"))
    assert.is_nil(s:first("a menu"))
  end)

  it("takes more than 64 needles and more than 64 entries", function()
    local list = {}
    for k = 1, 70 do list[k] = { pattern = "^w" .. k .. "$", needles = { "w" .. k } } end
    list[71] = "^x"
    local s = core.regexset(list)
    assert.same({ 69, 1, 3 }, { s:first("w69") })
    assert.same({ 3, 1, 2 }, { s:first("w3") })
    assert.same({ 71, 1, 1 }, { s:first("x") })
    assert.is_nil(s:first("w72"))
  end)

  it("gives anchored entries what their own matches give, whatever the first byte", function()
    local pats = { "^\\d+ views$", "^\\[[^\\]]+\\]$", "(?i)^(?:home|main) >", "^\\W*by\\s",
      "^[|\\s]*$", "^(?=[^.]*+$).{3,}\\|", "(?<=x)y" }
    local list, single = {}, {}
    for k, p in ipairs(pats) do list[k] = p; single[k] = core.regex(p) end
    local s = core.regexset(list)
    local tails = { "", "12 views", "[x]", "ome > a", "OME > a", "y Jane", " by Jo", "| |", "abc|d", "y" }
    for b = 0, 255 do
      for _, tail in ipairs(tails) do
        local text = string.char(b) .. tail
        local want, all = nil, {}
        for k, r in ipairs(single) do
          if r:find(text) then
            want = want or k
            all[#all + 1] = k
          end
        end
        assert.equal(want, (s:first(text)))
        assert.same(all, s:all(text))
      end
    end
    assert.equal(5, (s:first("")))
  end)

  it("finds a needle anywhere in a long subject, across the parts it is scanned in", function()
    local s = core.regexset({ { pattern = "(?i)we use cookies", needles = { "we use cookies" } },
      { pattern = "(?i)subscribe", needles = { "subscribe" } } })
    for n = 1, 700, 3 do
      local text = ("x"):rep(n) .. " We use cookies " .. ("y"):rep(700 - n)
      assert.same({ 1, n + 2, n + 15 }, { s:first(text) })
      assert.same({ 1 }, s:all(text))
    end
    assert.is_nil(s:first(("x"):rep(1000)))
  end)

  it("finds needles in an automaton too big for 16-bit rows", function()
    -- (200 needles of 60 bytes over many bytes: more than 65536 transitions)
    local list, bytes, x = {}, "abcdefghijklmnopqrstuvwxyz0123456789-_=+~", 12345
    for k = 1, 200 do
      local t = {}
      for q = 1, 60 do
        x = (x * 1103515245 + 12345) % 2147483648
        local c = math.floor(x / 65536) % #bytes + 1
        t[q] = bytes:sub(c, c)
      end
      local needle = table.concat(t)
      list[k] = { pattern = "(?i)" .. core.regex_escape(needle) .. "!", needles = { needle } }
    end
    local s = core.regexset(list)
    local n150 = list[150].needles[1]
    assert.same({ 150, 4, 64 }, { s:first("xx " .. n150:upper() .. "! yy") })
    assert.is_nil(s:first("xx " .. n150:sub(1, 59) .. "! yy"))
    assert.same({ 7, 199 }, s:all(list[7].needles[1] .. "! " .. list[199].needles[1] .. "!"))
  end)

  it("names an anchored entry with needles that exceeds a limit", function()
    local s = core.regexset({ "^x", { pattern = "^(a+)+$", needles = { "a" } }, "^y" },
      { match_limit = 1000 })
    assert.matches("regexset entry 2 (^(a+)+$): match limit exceeded",
                   errmsg(s.first, s, string.rep("a", 20) .. "b"), 1, true)
  end)

  it("raises on needles that are not a list of strings", function()
    assert.matches("regexset entry 1: needles must be a list of strings",
                   errmsg(core.regexset, { { pattern = "a", needles = "a" } }), 1, true)
    assert.matches("regexset entry 1: needles must be a list of strings",
                   errmsg(core.regexset, { { pattern = "a", needles = { 1 } } }), 1, true)
  end)

  it("gives the earliest-listed entry whether anchored patterns are tried together or not", function()
    local s = core.regexset({
      "^\\d+ min read$", { "^(?:home|main) >", "i" }, "shares?$", { "^share", "i" },
      "^(\\w+) \\1$", { "^SHARE", "" }, "(?<=a)b",
    })
    assert.same({ 2, 1, 6 }, { s:first("Home > News") })
    assert.same({ 3, 9, 14 }, { s:first("Share 3 shares") })
    assert.same({ 4, 1, 5 }, { s:first("SHARE it") })
    assert.same({ 1, 1, 10 }, { s:first("5 min read") })
    assert.same({ 5, 1, 7 }, { s:first("xyz xyz") })
    assert.same({ 7, 2, 2 }, { s:first("ab") })
    assert.is_nil(s:first("nothing"))
    assert.same({ 4, 6 }, s:all("SHARE it"))
    assert.same({ 4, 3, 7 }, { s:first("x SHARE y", 3) })
    assert.same({ 2, 3, 7 }, { core.regexset({ "^share", "^SHARE" }):first("x SHARE y", 3) })
  end)

  it("reports a limit of anchored entries tried together naming the entry", function()
    local s = core.regexset({ "^b", { "^(a+)+$", "", "runaway" }, "^c" })
    assert.matches("regexset entry 2 (runaway): match limit exceeded",
                   errmsg(s.first, s, string.rep("a", 5000) .. "b"), 1, true)
    assert.same({ 1, 1, 1 }, { s:first("b" .. string.rep("a", 5000) .. "b") })
  end)
end)

describe("closed objects", function()
  it("a closed lede.Regex raises on every method", function()
    local r = core.regex("a")
    r:close()
    for _, m in ipairs({ "find", "match", "gmatch", "gfind", "count" }) do
      assert.matches("lede.Regex is closed", errmsg(r[m], r, "a"), 1, true)
    end
    assert.equal("lede.Regex(closed)", tostring(r))
  end)

  it("close is idempotent", function()
    local r = core.regex("a")
    r:close()
    r:close()
    assert.equal("lede.Regex(closed)", tostring(r))
  end)

  it("a lede.Regex closes at the end of a to-be-closed scope", function()
    local f = assert(load([[
      local core = ...
      local keep
      do
        local r <close> = core.regex("a")
        keep = r
      end
      return keep
    ]]))
    local r = f(core)
    assert.matches("lede.Regex is closed", errmsg(r.find, r, "a"), 1, true)
  end)

  it("a closed lede.RegexSet raises on every method", function()
    local s = core.regexset({ "a" })
    s:close()
    s:close()
    assert.matches("lede.RegexSet is closed", errmsg(s.first, s, "a"), 1, true)
    assert.matches("lede.RegexSet is closed", errmsg(s.all, s, "a"), 1, true)
    assert.matches("lede.RegexSet is closed", errmsg(function() return #s end), 1, true)
    assert.equal("lede.RegexSet(closed)", tostring(s))
  end)

  it("methods check the type of self", function()
    local r = core.regex("a")
    assert.matches("lede.Regex expected", errmsg(r.find, core.regexset({}), "a"), 1, true)
    assert.matches("lede.RegexSet expected", errmsg(core.regexset({}).first, r, "a"),
                   1, true)
  end)
end)
