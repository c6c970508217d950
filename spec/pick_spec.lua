--- Specs for lede.core.pick: which blocks a search should visit.
local core = require "lede.core"

local blocks = {
  { text = "By", kind = "byline" },
  { text = "Photo of Jane Doe", kind = "caption" },
  { text = "", kind = "body" },
  { text = "\226\128\162 About Jane Doe", kind = "navigation" },
  { text = "Jane Doe is a reporter who covers the courts and the city council.", kind = "body" },
  { text = "\194\169 2024 Example News", kind = nil },
}

describe("core.pick", function()
  it("returns one ascending array of block indices per spec", function()
    local short, long = core.pick(blocks, { { max = 17 }, { min = 18 } })
    assert.are.same({ 1, 2, 3 }, short)
    assert.are.same({ 4, 5, 6 }, long)
  end)

  it("returns nothing for no specs and empty arrays for no blocks", function()
    assert.are.equal(0, select("#", core.pick(blocks, {})))
    assert.are.same({}, (core.pick({}, { { max = 10 } })))
  end)

  it("tests the first and last byte against sets of bytes", function()
    local first, last = core.pick(blocks, { { first = "PJ" }, { last = "ys" } })
    assert.are.same({ 2, 5 }, first)
    assert.are.same({ 1, 6 }, last)
  end)

  it("never passes an empty text through a byte test", function()
    local all = {}
    for c = 0, 255 do all[#all + 1] = string.char(c) end
    all = table.concat(all)
    local first, last = core.pick(blocks, { { first = all }, { last = all } })
    assert.are.same({ 1, 2, 4, 5, 6 }, first)
    assert.are.same({ 1, 2, 4, 5, 6 }, last)
  end)

  it("tests bytes, not characters: a multi-byte character is its first or last byte", function()
    local bullet, copyright = core.pick(blocks, { { first = "\226" }, { first = "\194" } })
    assert.are.same({ 4 }, bullet)
    assert.are.same({ 6 }, copyright)
  end)

  it("keeps the kinds of a set, and leaves out those of another", function()
    local kept, skipped = core.pick(blocks, {
      { kinds = { body = true, byline = true } },
      { skip = { body = true } },
    })
    assert.are.same({ 1, 3, 5 }, kept)
    -- a block without a kind is in no set
    assert.are.same({ 1, 2, 4, 6 }, skipped)
  end)

  it("applies all the tests of a spec together", function()
    local got = core.pick(blocks, { { max = 40, first = "PB", skip = { byline = true } } })
    assert.are.same({ 2 }, got)
  end)

  it("accepts NUL bytes and invalid UTF-8 in texts", function()
    local got = core.pick({ { text = "\0\255x" }, { text = "\255" } }, { { first = "\0" }, { last = "\255" } })
    assert.are.same({ 1 }, got)
  end)

  it("raises on a block that is no table or has no text", function()
    assert.has_error(function() core.pick({ 1 }, { {} }) end, "pick: block 1 is not a table")
    assert.has_error(function() core.pick({ { kind = "body" } }, { {} }) end, "pick: block 1 has no text")
  end)

  it("raises on unknown options and bad option values, naming the spec", function()
    assert.has_error(function() core.pick(blocks, { { max = 1 }, { foo = 1 } }) end,
      "pick: spec 2: unknown option 'foo'")
    assert.has_error(function() core.pick(blocks, { { max = "x" } }) end,
      "pick: spec 1: 'max' must be a number, got string")
    assert.has_error(function() core.pick(blocks, { { first = 1 } }) end,
      "pick: spec 1: 'first' must be a string of bytes, got number")
    assert.has_error(function() core.pick(blocks, { { kinds = "body" } }) end,
      "pick: spec 1: 'kinds' must be a set table, got string")
    assert.has_error(function() core.pick(blocks, { "x" }) end, "pick: spec 1 must be a table, got string")
  end)

  it("keeps only the first and the last index that pass with ends", function()
    local bodies, none, one = core.pick(blocks, {
      { kinds = { body = true }, ends = true },
      { kinds = { title = true }, ends = true },
      { kinds = { byline = true }, ends = true },
    })
    assert.are.same({ 3, 5 }, bodies)
    assert.are.same({}, none)
    assert.are.same({ 1, 1 }, one)
    assert.are.same({ 1, 2, 3, 4, 5, 6 }, (core.pick(blocks, { { ends = false } })))
  end)

  -- the tests as Lua reads them
  local LOW = {}
  for c = 0, 255 do LOW[c] = (c >= 65 and c <= 90) and c + 32 or c end
  local STARTS = { pic = true, pho = true, ima = true, hea = true, ava = true, por = true, pro = true }
  local ENDS = { to = true, ot = true, ar = true, it = true, re = true, ge = true }
  local function picture_ends(t)
    if #t < 3 then return false end
    local a, b, c = t:byte(1, 3)
    if a >= 128 then
      return not ((a == 194 and b ~= 170 and b ~= 181 and b ~= 186)
        or (a == 226 and (b == 128 or (b == 129 and c < 176) or b == 150 or b == 151)))
    end
    if LOW[a] < 97 or LOW[a] > 122 then return false end
    if b >= 128 or c >= 128 or STARTS[string.char(LOW[a], LOW[b], LOW[c])] then return true end
    if a > 90 then return false end
    local y, z = t:byte(-2, -1)
    return y >= 128 or z >= 128 or z == 10 or ENDS[string.char(LOW[y], LOW[z])] or false
  end
  local PIC_STARTS = { "picture of", "photo of", "image of", "headshot of", "avatar of", "portrait of",
    "profile picture of", "profile photo of" }
  local PIC_ENDS = { "photo", "headshot", "avatar", "portrait", "picture", "image" }
  -- t starts (ends) with one of words in any ASCII case, or a byte above
  -- 127 comes before a difference (but for the first or last byte)
  local function word_at(t, words, at_end)
    for _, w in ipairs(words) do
      local k = 0
      while k < #w and k < #t do
        local c = at_end and t:byte(#t - k) or t:byte(k + 1)
        if c >= 128 then
          if k > 0 then return true end
          break
        end
        if LOW[c] ~= (at_end and w:byte(#w - k) or w:byte(k + 1)) then break end
        k = k + 1
      end
      if k == #w then return true end
    end
    return false
  end
  local function picture(t)
    if not picture_ends(t) then return false end
    local a, n = t:byte(1), #t
    if a == 0xC4 or word_at(t, PIC_STARTS, false) then return true end
    if a < 128 and (a < 65 or a > 90) then return false end
    local z = t:byte(n)
    if z < 32 or z == 127 then return true end
    if z >= 128 then
      return (n >= 2 and t:byte(n - 1) == 0xC2 and z == 0x85)
        or (n >= 3 and t:byte(n - 2) == 0xE2 and t:byte(n - 1) == 0x80 and (z == 0xA8 or z == 0xA9))
    end
    return word_at(t, PIC_ENDS, true)
  end
  local function copyright(t) return t:find("^%W*[%(\194\169Cc]") ~= nil end

  it("keeps the texts that can name an author's photo with test = 'picture'", function()
    local bl = {}
    for n, t in ipairs({ "Photo of Jane Doe", "Jane Doe headshot", "Jane Doe", "jane doe headshot", "PORTRAIT of X",
      "\195\135elik portrait", "\226\128\162 Photo of Jane", "12 photos", "ab", "Jane Doe\n", "Ma\195\175",
      "Portland man", "Image copyright Getty", "Profile photo of Jane", "Jane Doe head\197\191hot",
      "\208\164\208\190\209\130\208\190: Jane", "Jane Doe\226\128\168" }) do
      bl[n] = { text = t }
    end
    assert.are.same({ 1, 2, 5, 6, 10, 14, 15, 17 }, (core.pick(bl, { { test = "picture" } })))
    for _, b in ipairs(bl) do assert.equal(picture(b.text), core.pick({ b }, { { test = "picture" } })[1] ~= nil) end
  end)

  it("keeps every text lede.meta's author-photo pattern matches, with test = 'picture'", function()
    local pattern = require("lede.meta").compile({}).picture_of
    local heads = { "picture", "photo", "image", "headshot", "avatar", "portrait", "profile picture",
      "profile photo", "Photo", "PHOTO", "Profile Photo", "pho\u{17F}o", "Portr\u{E4}it" }
    local tails = { "photo", "headshot", "avatar", "portrait", "profile picture", "profile photo",
      "profile image", "Photo", "HEADSHOT", "Profile Image" }
    local names = { "Jane Doe", "\u{C7}elik", "\u{130}smail Kaya", "Ma\u{EF}a O'Neil", "\u{C5}sa", "X" }
    local texts = {}
    for _, h in ipairs(heads) do
      for _, n in ipairs(names) do
        texts[#texts + 1] = h .. " of " .. n
        texts[#texts + 1] = h .. " of  " .. n .. ", 2019"
      end
    end
    for _, t in ipairs(tails) do
      for _, n in ipairs(names) do
        texts[#texts + 1] = n .. " " .. t
        texts[#texts + 1] = n .. "\u{2019}s " .. t
        texts[#texts + 1] = n .. "'s  " .. t
      end
    end
    local matched = 0
    for _, t in ipairs(texts) do
      if pattern:match(t) ~= nil then
        matched = matched + 1
        assert.is_not_nil(core.pick({ { text = t } }, { { test = "picture" } })[1], t)
      end
    end
    assert.is_true(matched > #texts / 2)
  end)

  it("keeps the texts that start like a copyright line with test = 'copyright'", function()
    local bl = {}
    for n, t in ipairs({ "\194\169 2024 Example", "(c) Example", "Copyright Example", "-- copyright", "2024 (c)",
      "** \226\128\162 x", "", "Example (c)" }) do
      bl[n] = { text = t }
    end
    assert.are.same({ 1, 2, 3, 4 }, (core.pick(bl, { { test = "copyright" } })))
  end)

  it("reads the shape tests as the Lua reference does, on any bytes", function()
    math.randomseed(7)
    local alphabet = { "a", "C", "c", "(", " ", "-", "\n", "P", "h", "o", "t", "0", "\194", "\169", "\226", "\128",
      "\129", "\150", "\176", "\255", "\0", "e", "r", "g", "i", "A", "Photo", " of ", "image", "\196" }
    local bl = {}
    for n = 1, 3000 do
      local parts = {}
      for k = 1, math.random(0, 6) do parts[k] = alphabet[math.random(#alphabet)] end
      bl[n] = { text = table.concat(parts) }
    end
    local want_p, want_c = {}, {}
    for n, b in ipairs(bl) do
      if picture(b.text) then want_p[#want_p + 1] = n end
      if copyright(b.text) then want_c[#want_c + 1] = n end
    end
    local got_p, got_c = core.picker({ { test = "picture" }, { test = "copyright" } }):pick(bl)
    assert.are.same(want_p, got_p)
    assert.are.same(want_c, got_c)
  end)

  it("keeps every text the byline patterns can match with test = 'by_alone' and 'by_explicit'", function()
    local alone = core.regex([[^\W*(?:(?:article |post |story )?(?:written |posted )?by|authors?|about the author)\W*$]], "i")
    local explicit = core.regex(
      [[^\W*(?:authors?\s*:|about the author\s*:|(?:article |post |story )?(?:written|posted) by\b)]], "i")
    math.randomseed(11)
    local tokens = { "by", "By", "BY", " ", "  ", "written ", "Posted ", "article ", "POST ", "story ", "author", "s",
      ":", "about the Author", "-", "*", "_", "x", "\n", "\t", "Written", "\226\128\162", "\0", "Jane Doe", "\194\160",
      "\226\150\161", "\195\137", "\197\191", "\194\170", "\226\129\128" }
    local bl = {}
    for n = 1, 4000 do
      local parts = {}
      for k = 1, math.random(0, 5) do parts[k] = tokens[math.random(#tokens)] end
      bl[n] = { text = table.concat(parts) }
    end
    local got_a, got_e = core.picker({ { test = "by_alone" }, { test = "by_explicit" } }):pick(bl)
    local in_a, in_e = {}, {}
    for _, k in ipairs(got_a) do in_a[k] = true end
    for _, k in ipairs(got_e) do in_e[k] = true end
    for n, b in ipairs(bl) do
      local ascii = not b.text:find("[\128-\255]")
      -- (never a text the pattern matches left out; an ASCII text kept only when it matches)
      assert.is_true(in_a[n] == true or not alone:find(b.text), b.text)
      if ascii then assert.are.equal(alone:find(b.text) ~= nil, in_a[n] == true, b.text) end
      assert.is_true(in_e[n] == true or not explicit:find(b.text), b.text)
    end
    -- (white space, punctuation and symbols of U+00A0-U+00BF, U+2000-U+206F, U+25A0-U+25FF before and
    -- after the phrase are read as the pattern's \W; other characters above 127 pass)
    local got = { core.picker({ { test = "by_alone" }, { test = "by_explicit" } }):pick({
      { text = "\226\128\162 By \194\187" }, { text = "\226\128\162 Tech" }, { text = "\226\150\161 Written by Jane" },
      { text = "\194\160About the author:" }, { text = "\195\137crit par" }, { text = "Tech \226\128\148" },
      { text = "\194\170by" } }) }
    assert.are.same({ 1, 4, 5, 7 }, got[1])
    assert.are.same({ 3, 4, 5, 7 }, got[2])
    assert.are.same({ 1, 3 }, (core.pick({ { text = " By: " }, { text = "By Jane" }, { text = "* Article written by" } },
      { { test = "by_alone" } })))
    assert.are.same({ 2, 3 }, (core.pick({ { text = "Jane: author" }, { text = "-- Authors: x" },
      { text = "POSTED BY jd" } }, { { test = "by_explicit" } })))
  end)

  it("keeps the texts that start like \"About Jane\" with test = 'about'", function()
    local texts = { "About Jane Doe", "  * About\tJane", "\226\128\162 About Me", "About", "About:", "Jane About Doe",
      "- About Jane", "about Jane", "About\194\160Jane", "\0About Jane", "", "*About x" }
    local bl = {}
    for n, t in ipairs(texts) do bl[n] = { text = t } end
    assert.are.same({ 1, 2, 3, 12 }, (core.pick(bl, { { test = "about" } })))
    assert.are.same({ 1, 2, 3, 12 }, (core.picker({ { test = "about" } }):pick(bl)))
    -- (exactly the texts the Lua pattern finds)
    math.randomseed(5)
    local tokens = { "About", "about", " ", "\t", "*", "\226\128\162", "\194\160", "Jane", "-", "\n", "A", "bout" }
    bl = {}
    for n = 1, 2000 do
      local parts = {}
      for k = 1, math.random(0, 4) do parts[k] = tokens[math.random(#tokens)] end
      bl[n] = { text = table.concat(parts) }
    end
    local want = {}
    for n, b in ipairs(bl) do
      if b.text:find("^[%s\128-\255*]*About%s") then want[#want + 1] = n end
    end
    assert.are.same(want, (core.picker({ { test = "about" } }):pick(bl)))
  end)

  it("keeps only the blocks with a long text among the next two with next_long", function()
    local bl = { { text = "Jane" }, { text = "x" }, { text = string.rep("a", 80) }, { text = "Joe" },
      { text = string.rep("b", 79) }, { text = "Ann" }, { text = "Bob" } }
    assert.are.same({ 1, 2 }, (core.pick(bl, { { next_long = 80 } })))
    assert.are.same({ 1, 2 }, (core.picker({ { next_long = 80 } }):pick(bl)))
    assert.are.same({ 1, 2, 3, 4 }, (core.picker({ { next_long = 79 } }):pick(bl)))
    assert.are.same({ 1, 2, 3, 4, 5, 6, 7 }, (core.picker({ { next_long = 0 } }):pick(bl)))
    assert.are.same({ 1 }, (core.picker({ { next_long = 80, first = "J" } }):pick(bl)))
    -- (the same over a document longer than the picker keeps on its stack)
    local long, want = {}, {}
    for n = 1, 3000 do
      long[n] = { text = n % 7 == 0 and string.rep("z", 90) or "Name" }
    end
    for n = 1, 3000 do
      if (long[n + 1] and #long[n + 1].text >= 90) or (long[n + 2] and #long[n + 2].text >= 90) then
        want[#want + 1] = n
      end
    end
    assert.are.same(want, (core.picker({ { next_long = 90 } }):pick(long)))
    assert.are.same(want, (core.pick(long, { { next_long = 90 } })))
    assert.has_error(function() core.pick(bl, { { next_long = "80" } }) end,
      "pick: spec 1: 'next_long' must be a number, got string")
  end)

  it("raises on a bad ends or test option", function()
    assert.has_error(function() core.pick(blocks, { { ends = 1 } }) end, "pick: spec 1: 'ends' must be a boolean, got number")
    assert.has_error(function() core.pick(blocks, { { test = "photo" } }) end,
      "pick: spec 1: 'test' must be \"picture\", \"copyright\", \"by_alone\", \"by_explicit\" or \"about\"")
  end)

  it("raises on more than 16 specs and on arguments that are no tables", function()
    local many = {}
    for n = 1, 17 do many[n] = {} end
    assert.has_error(function() core.pick(blocks, many) end, "pick: at most 16 specs, got 17")
    assert.has_error(function() core.pick("x", {}) end)
    assert.has_error(function() core.pick(blocks) end)
  end)
end)

describe("core.picker", function()
  local function same_as_pick(specs, bl)
    bl = bl or blocks
    local want = { core.pick(bl, specs) }
    local got = { core.picker(specs):pick(bl) }
    assert.are.same(want, got)
  end

  it("picks what core.pick picks with the same specs", function()
    local all = {}
    for c = 0, 255 do all[#all + 1] = string.char(c) end
    all = table.concat(all)
    same_as_pick({ { max = 17 }, { min = 18 } })
    same_as_pick({ { first = "PJ" }, { last = "ys" }, { first = all }, { last = all } })
    same_as_pick({ { first = "\226" }, { first = "\194" } })
    same_as_pick({ { kinds = { body = true, byline = true } }, { skip = { body = true } } })
    same_as_pick({ { max = 40, first = "PB", skip = { byline = true } }, { kinds = {} }, { skip = {} } })
    same_as_pick({ { first = "\0" }, { last = "\255" } }, { { text = "\0\255x" }, { text = "\255" } })
    same_as_pick({ { max = 10 } }, {})
    same_as_pick({ { kinds = { body = true, tags = false } } })
    same_as_pick({ { kinds = { body = true }, ends = true }, { test = "picture" }, { test = "copyright", max = 20 } })
  end)

  it("picks what core.pick picks on a document of many blocks", function()
    local many = {}
    for n = 1, 1500 do many[n] = blocks[(n - 1) % #blocks + 1] end
    local specs = { { max = 17 }, { kinds = { body = true }, ends = true }, { test = "picture" },
      { skip = { body = true }, first = "\194\226" } }
    same_as_pick(specs, many)
    same_as_pick(specs, { table.unpack(many, 1, 1024) })
    same_as_pick(specs, { table.unpack(many, 1, 1025) })
  end)

  it("picks what core.pick picks on length bounds around 256 bytes and kinds made at run time", function()
    local bl = {}
    for _, n in ipairs({ 0, 1, 255, 256, 257, 299, 300, 301, 1000, 5000 }) do
      bl[#bl + 1] = { text = ("x"):rep(n), kind = ("bo" .. "dy"):rep(n % 2 + 1) }
      bl[#bl + 1] = { text = ("y"):rep(n), kind = table.concat({ "na", "vigation" }) }
      bl[#bl + 1] = { text = ("z"):rep(n), kind = ("k"):rep(60) }
    end
    same_as_pick({ { min = 300 }, { max = 300 }, { min = 256 }, { max = 255 }, { min = 300, max = 1000 },
      { min = 2000, max = 1000 }, { min = -5, max = 256 }, { min = 257, kinds = { body = true } },
      { skip = { navigation = true, bodybody = true } }, { kinds = { body = true }, ends = true } }, bl)
    -- (more kinds than the picker keeps the addresses of)
    local specs = { { kinds = { k7 = true, k30 = true } }, { skip = { k7 = true, k29 = true } } }
    local p = core.picker(specs)
    for round = 1, 2 do
      local many = {}
      for n = 1, 40 do many[n] = { text = "t", kind = "k" .. (n + round) % 40 } end
      assert.are.same({ core.pick(many, specs) }, { p:pick(many) })
    end
  end)

  it("can be used again, on other blocks", function()
    local p = core.picker({ { max = 2 }, { min = 3, kinds = { x = true } } })
    local a, b = p:pick({ { text = "ab", kind = "x" }, { text = "abc", kind = "x" } })
    assert.are.same({ 1 }, a)
    assert.are.same({ 2 }, b)
    a, b = p:pick({ { text = "abcd", kind = "y" }, { text = "", kind = "x" } })
    assert.are.same({ 2 }, a)
    assert.are.same({}, b)
    assert.are.equal(0, select("#", core.picker({}):pick(blocks)))
  end)

  it("refills the arrays of `into` instead of making new ones", function()
    local many = {}
    for n = 1, 1500 do many[n] = blocks[(n - 1) % #blocks + 1] end
    local specs = { { max = 17 }, { kinds = { body = true }, ends = true }, { test = "picture" },
      { skip = { body = true }, first = "\194\226" } }
    local p, into = core.picker(specs), {}
    local first = { p:pick(many, into) }
    for s = 1, #specs do assert.are.equal(into[s], first[s]) end
    -- (shorter, longer, empty, then many blocks again: the same arrays, holding only this pick)
    for _, bl in ipairs({ { table.unpack(many, 1, 7) }, many, {}, { table.unpack(many, 1, 1024) },
        { { text = "x", kind = "body" } }, { table.unpack(many, 1, 1100) } }) do
      local got = { p:pick(bl, into) }
      assert.are.same({ core.pick(bl, specs) }, got)
      for s = 1, #specs do assert.are.equal(first[s], got[s]) end
    end
    -- (arrays missing from `into`, or no tables, are made and stored there)
    into = { nil, 5 }
    local got = { p:pick(blocks, into) }
    assert.are.same({ core.pick(blocks, specs) }, got)
    for s = 1, #specs do assert.are.equal(into[s], got[s]) end
    assert.has_error(function() p:pick(blocks, 5) end)
  end)

  it("raises on bad specs when made and bad blocks when used", function()
    assert.has_error(function() core.picker({ { foo = 1 } }) end, "pick: spec 1: unknown option 'foo'")
    assert.has_error(function() core.picker({ { kinds = { [1] = true } } }) end,
      "picker: spec 1: the keys of 'kinds' must be kind names, got number")
    assert.has_error(function() core.picker({ { skip = { [("k"):rep(40)] = true } } }) end)
    local many = {}
    for n = 1, 17 do many[n] = {} end
    assert.has_error(function() core.picker(many) end, "pick: at most 16 specs, got 17")
    local p = core.picker({ {} })
    assert.has_error(function() p:pick({ 1 }) end, "pick: block 1 is not a table")
    assert.has_error(function() p:pick({ { kind = "body" } }) end, "pick: block 1 has no text")
    assert.has_error(function() p.pick("x", {}) end)
    assert.matches("^lede%.Picker", tostring(p))
  end)
end)

describe("core.byline_cues", function()
  -- the byline cue (bit 1) and the name cue (bit 2) of a lone text
  local function cues(t, next_text)
    local bs = { { text = t } }
    if next_text then bs[2] = { text = next_text } end
    local c = core.byline_cues(bs, 1, 1):byte() - 48
    return c % 2 == 1, c >= 2
  end
  local function cue(t, next_text) return (cues(t, next_text)) and "1" or "0" end
  local function name_cue(t) return (select(2, cues(t))) end

  it("returns one byte per block of the range, '0' plus 1 for a byline cue and 2 for a name cue", function()
    local bs = { { text = "By Jane Doe" }, { text = "The Council met on Tuesday evening." }, { text = "Jane Doe, MD" },
      { text = "Jane Doe" } }
    assert.are.equal("3232", core.byline_cues(bs, 1, 4))
    assert.are.equal("23", core.byline_cues(bs, 2, 3))
    assert.are.equal("", core.byline_cues(bs, 3, 2))
    assert.are.equal("", core.byline_cues({}, 1, 0))
  end)

  it("flags the texts a byline, name or date pattern of the header needs", function()
    for _, t in ipairs({ "By", "\226\128\162 Written by:", "About the author", "\194\160by Jane", "Jane Doe, PhD",
      "Jane Doe, EdD", "Photo of Jane Doe", "Jane Doe headshot", "\195\137douard Dupont photo",
      "Story by Jane Doe", "Updated Nov 19, 2019", "2100", "Reporting from Paris", "Jane [link] Doe",
      "news \226\128\162 posted \226\128\148 BY Jane" }) do
      assert.are.equal("1", cue(t), t)
    end
  end)

  it("leaves out the texts none of them can match", function()
    for _, t in ipairs({ "\226\128\162 Tech", "Personal Technology: Review", "Sports", "hobby horses",
      "The council met on Tuesday.", "\226\150\161", "\226\128\162", "3 min read", "1850 words",
      "Standby", "tech \194\187" }) do
      assert.are.equal("0", cue(t), t)
    end
  end)

  it("gives each block of a range the cue it has alone with its next block", function()
    local bs = {}
    for n, t in ipairs({ "Jane Doe", "Jane Doe", "Jane Doe", "By", ("word "):rep(20), "Jane Doe", "x", "x", "[y]",
      "Joe Roe", "Joe Roe" }) do
      bs[n] = { text = t }
    end
    for lo = 1, #bs do
      for hi = lo, #bs do
        local want = {}
        for k = lo, hi do want[#want + 1] = core.byline_cues(bs, k, k) end
        assert.are.equal(table.concat(want), core.byline_cues(bs, lo, hi))
      end
    end
    assert.are.equal("3", core.byline_cues(bs, 2, 2))
    assert.has_error(function() core.byline_cues({ { text = "Jane" }, {} }, 1, 2) end, "byline_cues: block 2 has no text")
  end)

  it("flags a short text the next block repeats, and skips texts over 240 bytes", function()
    assert.are.equal("1", cue("Jane Doe", "Jane Doe"))
    assert.are.equal("0", cue("Jane Doe", "Jane Roe"))
    assert.are.equal("0", cue(("word "):rep(60) .. "By Jane Doe"))
    assert.are.equal("1", cue(("word "):rep(60) .. "[x]"))
  end)

  it("flags a name cue on short texts that can start with a name alone", function()
    for _, t in ipairs({ "Jane Doe", "\226\128\162 Jane Doe", "* Jane Doe, Editor", "\195\137douard Dupont",
      "Jane [x] Doe" }) do
      assert.is_true(name_cue(t), t)
    end
    for _, t in ipairs({ "Jane", "jane doe", "Jane Doe 2019", "Jane@Doe Co", "J, Jane Doe", "\226\128\162 Tech",
      ("Jane Doe "):rep(10) }) do
      assert.is_false(name_cue(t), t)
    end
  end)

  it("finds a credential, a year and a name wherever they fall in the text", function()
    -- (texts over 120 bytes, "xxx" first: only a credential is a byline cue there)
    local cred = { MD = "1", Md = "0", Ph = "1", Ps = "1", Pa = "0", Ed = "1", Ef = "0", ["M d"] = "0",
      ["\195\131\195\131"] = "0", ["\193\193"] = "0", ["\208P\208h"] = "0" }
    local years = { ["1999"] = "1", ["1900"] = "1", ["2000"] = "1", ["2100"] = "1", ["1899"] = "0", ["2101"] = "0",
      ["2199"] = "0", ["19x9"] = "0", ["3000"] = "0" }
    local names = { [" Jane Doe"] = true, [" Jane Doe, 3"] = true, [" \195\137mile \195\137mile"] = true,
      [" Jane Doe 3"] = false, [" Jane@Doe Co"] = false, [" jane doe"] = false, [" \194\137mile \194\137mile"] = false,
      ["\tJane\rDoe"] = true, [" Jane 0oe"] = false }
    for p = 0, 17 do
      for q = 0, 9 do
        local pre, post = ("x"):rep(p), ("x"):rep(q)
        for mid, want in pairs(cred) do
          local t = "xxx" .. pre .. mid .. post .. ("x"):rep(125)
          assert.are.equal(want, cue(t), t)
          if #mid == 2 and not mid:find("[\128-\255]") then assert.are.equal(want, cue(pre .. mid), pre .. mid) end
        end
        for mid, want in pairs(years) do
          assert.are.equal(want, cue(pre .. mid .. post), pre .. mid .. post)
        end
        for mid, want in pairs(names) do
          assert.are.equal(want, name_cue(pre .. mid .. post), pre .. mid .. post)
        end
      end
    end
  end)

  it("accepts NUL bytes and invalid UTF-8", function()
    assert.are.equal("0", cue("\0\0\0"))
    assert.are.equal("1", cue("\255\254 by Jane"))
    assert.are.equal("0", cue("\0 Tech\0"))
    assert.are.equal("1", cue("\128by"))
    assert.is_true(name_cue("\255\254 \255"))
  end)

  it("raises on bad arguments and blocks", function()
    assert.has_error(function() core.byline_cues({ { text = "a" } }, 0, 1) end,
      "byline_cues: range 0..1 is outside the 1 blocks")
    assert.has_error(function() core.byline_cues({ { text = "a" } }, 1, 2) end,
      "byline_cues: range 1..2 is outside the 1 blocks")
    assert.has_error(function() core.byline_cues({ 1 }, 1, 1) end, "byline_cues: block 1 is not a table")
    assert.has_error(function() core.byline_cues({ {} }, 1, 1) end, "byline_cues: block 1 has no text")
    assert.has_error(function() core.byline_cues("x", 1, 1) end)
  end)
end)
