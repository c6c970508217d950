--- Specs for lede.core's segmentation: lines, blocks, sentences, tokens.
local core = require "lede.core"

local NBSP = "\194\160"
local SEED = "../shared/examples/000_6fea872e61a50aa0.txt"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- The texts of an array of {start, stop} pairs.
local function texts(s, pairs_)
  local out = {}
  for k, p in ipairs(pairs_) do out[k] = s:sub(p[1], p[2]) end
  return out
end

-- Hard-wraps a text at width columns, keeping blank-line paragraph breaks.
local function wrap(s, width)
  local out = {}
  for para in (s .. "\n\n"):gmatch("(.-)\n\n+") do
    local line = ""
    for word in para:gmatch("%S+") do
      if line ~= "" and #line + 1 + #word > width then
        out[#out + 1] = line
        line = word
      else
        line = line == "" and word or line .. " " .. word
      end
    end
    out[#out + 1] = line
    out[#out + 1] = ""
  end
  return table.concat(out, "\n")
end

local PROSE = [[
Chinese Foreign Minister Wang Yi met with his South Korean counterpart on Tuesday in Beijing, where the two discussed the deployment of the missile defense system and the state of relations between the two countries after a long cooling.

Political observers said that the meeting laid the ground for proper talks between the leaders of the two states, which would be the first after a year in which trade and tourism between them fell sharply.

The director of the institute said in an interview that the sides were interested in cooperation to solve the problem of the peninsula, while warning against the excessive optimism expressed about the development of relations in recent weeks.]]

describe("core.lines", function()
  it("gives every non-blank line without its leading and trailing white space", function()
    local s = "  one two \n\n\t\nthree" .. NBSP .. "\r\nfour"
    assert.are.same({ { 3, 9 }, { 15, 19 }, { 24, 27 } }, core.lines(s))
    assert.are.same({ "one two", "three", "four" }, texts(s, core.lines(s)))
  end)

  it("returns an empty array for empty and blank input", function()
    assert.are.same({}, core.lines(""))
    assert.are.same({}, core.lines(" \n\t\n" .. NBSP))
  end)

  it("splits at CR, U+0085, U+2028 and U+2029", function()
    local s = "a\rb\194\133c\226\128\168d\226\128\169e"
    assert.are.same({ "a", "b", "c", "d", "e" }, texts(s, core.lines(s)))
  end)

  it("takes a string.sub style range and gives positions in the whole string", function()
    local s = "skip\nkeep this\nand this\nnot this"
    assert.are.same({ { 6, 14 }, { 16, 23 } }, core.lines(s, 6, 23))
    assert.are.same({ "this" }, texts(s, core.lines(s, -4)))
  end)

  it("counts multi-byte characters in bytes", function()
    local s = "日本\nÖl"
    assert.are.same({ { 1, 6 }, { 8, 10 } }, core.lines(s))
  end)

  it("treats invalid bytes and NUL as they are: text and white space", function()
    local s = "\255\0a\0\n\0\0"
    assert.are.same({ { 1, 3 } }, core.lines(s))
  end)

  it("returns input positions with opts.map", function()
    local input = "  Hello" .. NBSP .. "world  \r\n\r\n  Bye\t"
    local text, map = core.normalize(input)
    assert.are.equal("Hello world\n\nBye", text)
    assert.are.same({ "Hello" .. NBSP .. "world", "Bye" }, texts(input, core.lines(text, 1, -1, { map = map })))
  end)

  it("raises on a map of another text, an unknown option and bad arguments", function()
    local _, map = core.normalize("abc")
    assert.has_error(function() core.lines("abcd", 1, -1, { map = map }) end,
      "lines: option 'map' belongs to a text of 3 bytes, not to this one (4 bytes)")
    assert.has_error(function() core.lines("abc", 1, -1, { map = {} }) end,
      "lines: option 'map' must be a lede.OffsetMap, got table")
    assert.has_error(function() core.lines("abc", 1, -1, { mapp = map }) end,
      "lines: unknown option 'mapp'")
    assert.has_error(function() core.lines("abc", "x") end)
    assert.has_error(function() core.lines(nil) end)
    map:close()
    assert.has_error(function() core.lines("abc", 1, -1, { map = map }) end, "lede.OffsetMap is closed")
  end)
end)

describe("core.blocks", function()
  it("gives one block per non-blank line in line mode", function()
    local s = "Home\nNews\n\n  A paragraph.\n"
    local b, mode = core.blocks(s, { mode = "line" })
    assert.are.equal("line", mode)
    assert.are.same({ "Home", "News", "A paragraph." }, texts(s, b))
  end)

  it("joins lines between blank lines in paragraph mode", function()
    local s = "one\ntwo\n\n  three\n four\n\n\nfive"
    local b, mode = core.blocks(s, { mode = "paragraph" })
    assert.are.equal("paragraph", mode)
    assert.are.same({ "one\ntwo", "three\n four", "five" }, texts(s, b))
  end)

  it("detects hard-wrapped text in auto mode and joins its lines", function()
    local s = wrap(PROSE, 72)
    local b, mode = core.blocks(s)
    assert.are.equal("paragraph", mode)
    assert.are.equal(3, #b)
    assert.are.equal("Chinese", s:sub(b[1][1], b[1][1] + 6))
    assert.are.equal("weeks.", s:sub(b[3][2] - 5, b[3][2]))
  end)

  it("ends a wrapped paragraph at a short line ending a sentence, without a blank line", function()
    local s = wrap(PROSE, 76):gsub("\n\n", "\n")
    local b, mode = core.blocks(s)
    assert.are.equal("paragraph", mode)
    assert.are.equal(3, #b)
  end)

  it("reads curly closers, the ellipsis and two-byte letters in wrapped text", function()
    -- a short line ending a sentence (behind U+201D, U+2019 or not) ends
    -- its paragraph; widths count characters, not bytes
    for _, close in ipairs({ ".\u{201D}", ".\u{2019}", "\u{2026}", ".\u{201D})" }) do
      local s = wrap(PROSE, 76):gsub("\n\n", "\n"):gsub("cooling%.", "cooling" .. close)
      local b, mode = core.blocks(s)
      assert.are.equal("paragraph", mode)
      assert.are.equal(3, #b)
    end
    -- (an opening quote, a sign or an arrow after the stop: no end; U+2199
    -- ends in the byte U+2019 ends in)
    for _, open in ipairs({ "\u{201C}", ".\u{00A9}", ".\u{2199}", ".\u{219D}" }) do
      local s = wrap(PROSE, 76):gsub("\n\n", "\n"):gsub("cooling%.", "cooling" .. open)
      assert.are.equal(2, #core.blocks(s))
    end
    local cyr = wrap((PROSE:gsub("[a-z]", "\u{0430}")), 100):gsub("\n\n", "\n")
    local b, mode = core.blocks(cyr)
    assert.are.equal("paragraph", mode)
    assert.are.equal(3, #b)
  end)

  it("keeps one-paragraph-per-line text in line mode", function()
    local s = PROSE .. "\nShare this\nTweet\nRelated: a headline about something else\n"
    local b, mode = core.blocks(s)
    assert.are.equal("line", mode)
    assert.are.equal(6, #b)
  end)

  it("keeps short menu lines in line mode", function()
    local s = ("Home\nWorld\nBusiness\nSport\nCulture\n"):rep(5)
    local b, mode = core.blocks(s)
    assert.are.equal("line", mode)
    assert.are.equal(25, #b)
  end)

  it("keeps the seed article in line mode and maps its blocks back to the input", function()
    local input = read(SEED)
    local text, map = core.normalize(input)
    assert.is_nil(text:find(NBSP, 1, true))
    local b, mode = core.blocks(text, { map = map })
    assert.are.equal("line", mode)
    local plain = core.blocks(text)
    assert.are.equal(#plain, #b)
    local with_nbsp = 0
    for k, p in ipairs(b) do
      local orig = input:sub(p[1], p[2])
      if orig:find(NBSP, 1, true) then with_nbsp = with_nbsp + 1 end
      -- the original bytes re-normalise to the block's text
      assert.are.equal(text:sub(plain[k][1], plain[k][2]), (core.normalize(orig)))
      assert.is_nil(orig:find("^%s"))
    end
    assert.is_true(with_nbsp > 5)
    assert.are.equal("Get short URL", input:sub(b[3][1], b[3][2]))
  end)

  it("takes a range, with or without options", function()
    local s = "a\nb\nc\nd"
    assert.are.same({ { 3, 3 }, { 5, 5 } }, core.blocks(s, 3, 5))
    assert.are.same({ { 3, 5 } }, core.blocks(s, 3, 5, { mode = "paragraph" }))
  end)

  it("returns an empty array for empty input", function()
    local b, mode = core.blocks("")
    assert.are.same({}, b)
    assert.are.equal("line", mode)
  end)

  it("returns records with the block's text, range and input span", function()
    local input = "Hello\194\160world\n\nSecond  para\ncontinues"
    local text, map = core.normalize(input)
    local b = core.blocks(text, { mode = "paragraph", map = map, records = true,
                                  fields = { kind = "body" } })
    assert.are.equal(2, #b)
    assert.are.same({ i = 1, j = 11, text = "Hello world", start = 1, stop = 12, kind = "body" }, b[1])
    -- line breaks inside a paragraph become spaces; start/stop are in the input
    assert.are.equal("Second para continues", b[2].text)
    assert.are.equal(text:sub(b[2].i, b[2].j):gsub("\n", " "), b[2].text)
    assert.are.equal("Second  para\ncontinues", input:sub(b[2].start, b[2].stop))
    -- without a map, start/stop are i/j
    local plain = core.blocks("a\nb", { records = true })
    assert.are.same({ i = 3, j = 3, text = "b", start = 3, stop = 3 }, plain[2])
  end)

  it("reads texts with many lines and other line breaks alike", function()
    local lines = {}
    for k = 1, 5000 do lines[k] = "line " .. k end
    local s = table.concat(lines, "\n")
    assert.are.equal(5000, #core.blocks(s))
    assert.are.same({ { 1, 1 }, { 3, 3 }, { 7, 7 } }, core.blocks("a\rb\226\128\168c"))
  end)

  it("raises on a bad mode and unknown options", function()
    assert.has_error(function() core.blocks("x", { records = 1 }) end,
      "blocks: option 'records' must be a boolean, got number")
    assert.has_error(function() core.blocks("x", { fields = "x" }) end,
      "blocks: option 'fields' must be a table, got string")
    assert.has_error(function() core.blocks("x", { mode = "para" }) end,
      'blocks: option \'mode\' must be "line", "paragraph" or "auto", got para')
    assert.has_error(function() core.blocks("x", { lines = true }) end,
      "blocks: unknown option 'lines'")
    assert.has_error(function() core.blocks("x", 1, 1, 5) end,
      "bad argument #4 to 'blocks' (options table expected, got number)")
  end)
end)

describe("core.sentences", function()
  local ABBREVS = { ["Mr."] = true, ["Nov."] = true, ["Dr."] = true }

  local function split(s, abbrevs, opts)
    return texts(s, core.sentences(s, 1, -1, abbrevs, opts))
  end

  it("breaks after . ! ? before a capital, a digit or an opening quote", function()
    assert.are.same({ "It rained.", "Then it stopped!", "Why?", "2020 was hard.", "\"Yes.\"" },
      split("It rained. Then it stopped! Why? 2020 was hard. \"Yes.\""))
  end)

  it("keeps closing quotes and brackets with the sentence they close", function()
    assert.are.same({ "He said \u{201C}go.\u{201D}", "(It was late.)", "They left." },
      split("He said \u{201C}go.\u{201D} (It was late.) They left."))
  end)

  it("does not break before a lower-case word", function()
    assert.are.same({ "\"Really?\" she asked.", "Wait... what now?" },
      split("\"Really?\" she asked. Wait... what now?"))
  end)

  it("does not break after an abbreviation from the list", function()
    assert.are.same({ "Mr. Smith met Dr. Jones on Nov. 3.", "It went well." },
      split("Mr. Smith met Dr. Jones on Nov. 3. It went well.", ABBREVS))
    assert.are.same({ "Mr.", "Smith left." }, split("Mr. Smith left."))
  end)

  it("does not break after an initial, an initialism or inside a decimal", function()
    assert.are.same({ "J. Smith of the U.S. Army said 3.5 percent.", "Fine." },
      split("J. Smith of the U.S. Army said 3.5 percent. Fine."))
  end)

  it("breaks at line ends, and with lines = false only at blank lines", function()
    local s = "A headline\nThe body starts here\nand goes on.\n\nNext paragraph"
    assert.are.same({ "A headline", "The body starts here", "and goes on.", "Next paragraph" }, split(s))
    assert.are.same({ "A headline\nThe body starts here\nand goes on.", "Next paragraph" },
      split(s, nil, { lines = false }))
  end)

  it("breaks after CJK full stops without a space", function()
    assert.are.same({ "日本です。", "はい。" }, split("日本です。はい。"))
  end)

  it("works on raw text with U+00A0 and gives byte positions", function()
    local s = "Ölig" .. NBSP .. "ist gut." .. NBSP .. "Ja."
    assert.are.same({ { 1, 15 }, { 18, 20 } }, core.sentences(s))
  end)

  it("returns input positions with opts.map", function()
    local input = "One" .. NBSP .. "two.  Three\tfour."
    local text, map = core.normalize(input)
    assert.are.same({ "One" .. NBSP .. "two.", "Three\tfour." },
      texts(input, core.sentences(text, 1, -1, nil, { map = map })))
  end)

  it("takes a range", function()
    local s = "Skip. Keep this. And this. Not."
    assert.are.same({ { 7, 16 }, { 18, 26 } }, core.sentences(s, 7, 26))
  end)

  it("copes with empty input, punctuation only and invalid bytes", function()
    assert.are.same({}, core.sentences(""))
    assert.are.same({ "...", "!!!" }, split("... \n!!!"))
    assert.are.same({ "\255.", "B." }, split("\255. \0B."))
  end)

  it("raises on bad abbreviations and options", function()
    assert.has_error(function() core.sentences("x", 1, -1, "Mr.") end,
      "bad argument #4 to 'sentences' (table of abbreviations expected, got string)")
    assert.has_error(function() core.sentences("x", 1, -1, nil, { mode = "line" }) end,
      "sentences: unknown option 'mode'")
  end)
end)

describe("core.sentences and invisible characters", function()
  it("reads each token once when invisible characters follow its periods", function()
    -- "a.", U+200B, "B." ...: a token that never ends at white space
    local unit = "a.\u{200B}B"
    local s = unit:rep(400000)
    local got = core.sentences(s, 1, -1, { ["x."] = true })
    assert.are.equal(400001, #got)
    assert.are.same({ 1, 2 }, got[1])
    local opened = ("("):rep(200000) .. unit:rep(200000)
    assert.are.equal(200001, #core.sentences(opened, 1, -1, { ["x."] = true }))
  end)

  it("still looks a token up when an abbreviation is as long", function()
    local long = ("x"):rep(40) .. "."
    assert.are.same({ { 1, 46 } }, core.sentences(long .. " Then", 1, -1, { [long] = true }))
    assert.are.same({ { 1, 41 }, { 43, 46 } }, core.sentences(long .. " Then", 1, -1, { ["x."] = true }))
    -- after U+200B the token goes on: "a.\u{200B}B." is looked up whole
    local s = "a.\u{200B}B.\u{200B}C"
    assert.are.same({ { 1, 2 }, { 6, 7 }, { 11, 11 } }, core.sentences(s, 1, -1, {}))
    assert.are.same({ { 1, 2 }, { 6, 11 } }, core.sentences(s, 1, -1, { ["a.\u{200B}B."] = true }))
  end)
end)

describe("core.block_sentences", function()
  local ABBREVS = { ["Mr."] = true }

  it("splits the blocks of one kind, as core.sentences splits each", function()
    local s = "Menu Home\nMr. Smith came. He left!\nOne more here. 3.5 percent said “no.” Then ’twas"
      .. " over.\nFooter."
    local blocks = {
      { i = 1, j = 9, kind = "menu" }, { i = 11, j = 32, kind = "body" },
      { i = 34, j = #s - 8, kind = "body" }, { i = #s - 6, j = #s, kind = "footer" },
    }
    local want = {}
    for k, b in ipairs(blocks) do
      if b.kind == "body" then
        core.sentences(s, b.i, b.j, ABBREVS, { records = true, fields = { block = k }, into = want })
      end
    end
    assert.is_true(#want >= 4)
    assert.are.same(want, core.block_sentences(s, blocks, ABBREVS, { kind = "body" }))
  end)

  it("splits every block without a kind, and at line ends only with lines", function()
    local s = "One line\nand its end. Two.\n\nThree."
    local blocks = { { i = 1, j = #s } }
    assert.are.same({ { i = 1, j = 8, block = 1 }, { i = 10, j = 21, block = 1 }, { i = 23, j = 26, block = 1 },
                      { i = 29, j = 34, block = 1 } }, core.block_sentences(s, blocks))
    assert.are.same({ { i = 1, j = 21, block = 1 }, { i = 23, j = 26, block = 1 }, { i = 29, j = 34, block = 1 } },
      core.block_sentences(s, blocks, nil, { lines = false }))
  end)

  it("scans long plain runs, invalid UTF-8 and NUL bytes", function()
    local s = ("word "):rep(100) .. "end. Next\0one \255 here. Last"
    local r = core.block_sentences(s, { { i = 1, j = #s } })
    assert.are.same(core.sentences(s, 1, -1, nil, { records = true, fields = { block = 1 } }), r)
    assert.equal(3, #r)
    assert.are.same({}, core.block_sentences("", { { i = 1, j = 0 } }))
  end)

  it("reads two-byte letters as plain characters", function()
    local s = "Привет, мир. Это тест! Ж. Иванов сказал: «да». Конец"
    local r = core.block_sentences(s, { { i = 1, j = #s } })
    local got = {}
    for k, x in ipairs(r) do got[k] = s:sub(x.i, x.j) end
    assert.are.same({ "Привет, мир.", "Это тест!", "Ж. Иванов сказал: «да».", "Конец" }, got)
  end)

  it("reads block positions as string.sub does", function()
    local s = "One. Two."
    assert.are.same({ { i = 1, j = 4, block = 1 }, { i = 6, j = 9, block = 1 } },
      core.block_sentences(s, { { i = -100, j = 100 } }))
    assert.are.same({ { i = 6, j = 9, block = 1 } }, core.block_sentences(s, { { i = -4, j = -1 } }))
    assert.are.same({}, core.block_sentences(s, { { i = 5, j = 2 } }))
  end)

  it("raises on bad blocks and options", function()
    assert.has_error(function() core.block_sentences("x", { 1 }) end,
      "block_sentences: block 1 must be a table, got number")
    assert.has_error(function() core.block_sentences("x", { {} }) end,
      "block_sentences: block 1 needs numbers i and j")
    assert.has_error(function() core.block_sentences("x", {}, nil, { foo = 1 }) end,
      "block_sentences: unknown option 'foo'")
    assert.has_error(function() core.block_sentences("x", { { i = 1.5, j = 2 } }) end,
      "block_sentences: block 1 needs integer positions i and j")
    assert.has_error(function() core.block_sentences("x", { { i = 1, j = 0 / 0 } }) end,
      "block_sentences: block 1 needs integer positions i and j")
    assert.has_error(function() core.block_sentences("x", {}, nil, { [1] = true }) end,
      "block_sentences: unknown option (a number key)")
    assert.has_error(function() core.block_sentences("x", {}, 1) end)
  end)
end)

describe("core.sentences records", function()
  it("appends {i=, j=} records with fields to an array", function()
    local s = "One here. Two there.\nThree."
    local out = { "kept" }
    local fields = { block = 1 }
    local r = core.sentences(s, 1, 20, {}, { records = true, fields = fields, into = out })
    assert.are.equal(out, r)
    fields.block = 2
    core.sentences(s, 22, -1, {}, { records = true, fields = fields, into = out })
    assert.are.same({ "kept", { i = 1, j = 9, block = 1 }, { i = 11, j = 20, block = 1 },
                      { i = 22, j = 27, block = 2 } }, out)
  end)

  it("raises on a bad into", function()
    assert.has_error(function() core.sentences("x", 1, -1, nil, { into = 1 }) end,
      "sentences: option 'into' must be a table, got number")
  end)
end)

describe("core.token_stream", function()
  local CONTRACTED = { it = true, he = true }
  local function stream(cuewords)
    return { n = 0, k = {}, s = {}, e = {}, w = {}, l = {}, cap = {}, para = {}, cue = {},
             abbrevs = { ["Mr."] = true }, cuewords = cuewords or {}, cur_para = 7 }
  end

  it("appends words and punctuation with keys, capitals and paragraphs", function()
    local tk = stream({ said = true })
    core.token_stream("Ann’s dog said, it's IBM’s.", 1, -1, tk, CONTRACTED)
    assert.are.equal(7, tk.n)
    assert.are.same({ "w", "w", "w", "p", "w", "w", "p" }, { table.unpack(tk.k, 1, 7) })
    assert.are.same({ "Ann’s", "dog", "said", ",", "it's", "IBM’s", "." }, { table.unpack(tk.w, 1, 7) })
    -- possessives drop from the key, unless what is left is a contraction
    assert.are.same({ "ann", "dog", "said", ",", "it's", "ibm", "." }, { table.unpack(tk.l, 1, 7) })
    assert.are.same({ true, false, false, false, false, true, false }, { table.unpack(tk.cap, 1, 7) })
    assert.are.equal(true, tk.cue[3])
    assert.is_nil(tk.cue[2])
    assert.are.equal(7, tk.para[1])
    assert.are.same({ 1, 7 }, { tk.s[1], tk.e[1] })
  end)

  it("keeps the period of an abbreviation, an initial and an initialism", function()
    local tk = stream()
    core.token_stream("Mr. J. Smith of the U.S. and e.g. this.", 1, -1, tk, CONTRACTED)
    local w = { table.unpack(tk.w, 1, tk.n) }
    -- "e." is no listed abbreviation and "e" no capital: e.g. stays apart
    assert.are.same({ "Mr.", "J.", "Smith", "of", "the", "U.S.", "and", "e", ".", "g", ".", "this", "." }, w)
    assert.are.equal("u.s.", tk.l[6])
  end)

  it("goes on from the stream's last token", function()
    local tk = stream()
    core.token_stream("U.", 1, -1, tk, CONTRACTED)
    core.token_stream("U.S", 3, -1, tk, CONTRACTED) -- glued to the token before
    assert.are.equal(1, tk.n)
    assert.are.equal("U.S", tk.w[1])
  end)

  it("accepts any bytes and raises on a bad stream", function()
    local tk = stream()
    core.token_stream("a\0b\255 c", 1, -1, tk, CONTRACTED) -- NUL is white space
    assert.are.same({ "a", "b", "\255", "c" }, { table.unpack(tk.w, 1, tk.n) })
    assert.has_error(function() core.token_stream("x", 1, -1, { n = 0 }, {}) end,
      "token_stream: tk.k must be a table")
  end)

  it("raises on a count that is no count of tokens", function()
    for _, n in ipairs({ math.maxinteger, -1, 1.5, "2", true }) do
      local tk = stream()
      tk.n = n
      assert.has_error(function() core.token_stream("a b", 1, -1, tk, CONTRACTED) end)
    end
    local tk = stream()
    tk.n = nil
    core.token_stream("a b", 1, -1, tk, CONTRACTED)
    assert.are.equal(2, tk.n)
  end)

  it("takes a last word that is no string as empty", function()
    local tk = stream()
    tk.n, tk.k[1], tk.s[1], tk.e[1], tk.w[1] = 1, "w", 1, 1, {}
    core.token_stream("x.", 2, -1, tk, CONTRACTED)
    assert.are.same({ 2, "p", "." }, { tk.n, tk.k[2], tk.w[2] })
  end)

  it("glues to a last token ending at any position without overflowing", function()
    local tk = stream()
    core.token_stream("U.", 1, -1, tk, CONTRACTED)
    tk.e[1] = math.maxinteger
    core.token_stream("U.S", 3, -1, tk, CONTRACTED)
    assert.are.equal(2, tk.n)
  end)
end)

describe("core.tokens", function()
  local function toks(s)
    local t = core.tokens(s)
    local out = {}
    for k = 1, #t, 3 do out[#out + 1] = s:sub(t[k], t[k + 1]) .. "/" .. t[k + 2] end
    return table.concat(out, " ")
  end

  it("gives flat start, stop, shape triples", function()
    assert.are.same({ 1, 5, "C", 7, 11, "l", 12, 12, "p" }, core.tokens("Hello world."))
  end)

  it("tells the shapes apart", function()
    assert.are.equal("Paris/C NATO/U said/l 2021/d COVID-19/m iPhone/m I/C a/l", toks("Paris NATO said 2021 COVID-19 iPhone I a"))
  end)

  it("joins internal apostrophes, hyphens and digit separators", function()
    assert.are.equal("O'Brien/C don't/l Kang/C Kyung-wha/C Jean-Luc/C Xi\u{2019}s/C 3.5/d 1,000/d",
      toks("O'Brien don't Kang Kyung-wha Jean-Luc Xi\u{2019}s 3.5 1,000"))
    assert.are.equal("end/l ./p '/p quoted/l '/p -/p x/l", toks("end. 'quoted' - x"))
  end)

  it("makes every other character its own punctuation token", function()
    assert.are.equal("(/p a/l )/p ,/p \u{201C}/p \u{2014}/p", toks("(a), \u{201C}\u{2014}"))
  end)

  it("handles multi-byte letters, case and uncased scripts", function()
    assert.are.same({ 1, 5, "C", 7, 11, "U", 13, 18, "l" }, core.tokens("Ölig ÖLIG 日本"))
    assert.are.equal("\u{0395}\u{03BB}\u{03BB}\u{03AC}\u{03B4}\u{03B1}/C \u{041C}\u{041E}\u{0421}\u{041A}\u{0412}\u{0410}/U",
      toks("\u{0395}\u{03BB}\u{03BB}\u{03AC}\u{03B4}\u{03B1} \u{041C}\u{041E}\u{0421}\u{041A}\u{0412}\u{0410}"))
  end)

  it("keeps a word whole across a soft hyphen and splits at U+00A0", function()
    assert.are.equal("co\194\173operate/l now/l", toks("co\194\173operate" .. NBSP .. "now"))
  end)

  it("makes each invalid byte a punctuation token and skips NUL", function()
    assert.are.same({ 1, 1, "l", 2, 2, "p", 4, 4, "l" }, core.tokens("a\255\0b"))
  end)

  it("takes a range and returns input positions with opts.map", function()
    local input = "  Wang" .. NBSP .. "Yi  met"
    local text, map = core.normalize(input)
    assert.are.equal("Wang Yi met", text)
    assert.are.same({ 6, 7, "C" }, core.tokens(text, 6, 7))
    assert.are.same({ 9, 10, "C", 13, 15, "l" }, core.tokens(text, 6, -1, { map = map }))
  end)

  it("returns an empty array for empty or blank input", function()
    assert.are.same({}, core.tokens(""))
    assert.are.same({}, core.tokens(" \n" .. NBSP))
  end)

  it("raises on bad arguments", function()
    assert.has_error(function() core.tokens(42 > 1) end)
    assert.has_error(function() core.tokens("x", 1, 1, { shape = true }) end,
      "tokens: unknown option 'shape'")
  end)
end)

describe("segmentation of a 50 MB single line", function()
  local big = ("lorem ipsum dolor sit amet consectetur "):rep(1300000)

  it("gives one line, one block and one sentence", function()
    assert.is_true(#big > 50000000)
    assert.are.same({ { 1, #big - 1 } }, core.lines(big))
    local b, mode = core.blocks(big)
    assert.are.same({ { 1, #big - 1 } }, b)
    assert.are.equal("line", mode)
    assert.are.same({ { 1, #big - 1 } }, core.sentences(big))
  end)

  it("tokenises a slice and a 50 MB word", function()
    assert.are.same({ #big - 11, #big - 1, "l" }, core.tokens(big, -12))
    local word = ("x"):rep(50000000)
    assert.are.same({ 1, #word, "l" }, core.tokens(word))
  end)
end)

describe("core.blocks long lines", function()
  local core = require "lede.core"

  it("reads a long line of printable ASCII to its end at every offset", function()
    for pad = 1, 18 do
      local line = ("w"):rep(pad) .. " " .. ("abcdefgh "):rep(5) .. "end."
      local s = line .. "\n\194\169 c\n" .. line .. "\1x"
      local blocks = core.blocks(s, { mode = "line", records = true })
      assert.equal(3, #blocks)
      assert.equal(line, blocks[1].text)
      assert.same({ 1, #line }, { blocks[1].i, blocks[1].j })
      assert.equal(line .. "\1x", blocks[3].text)
    end
  end)
end)
