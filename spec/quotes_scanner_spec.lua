--- Specs for lede.core's quotation-mark scanner, core.quotes.
local core = require "lede.core"
local rng = require "support.rng"

-- The content texts of the quotes of s (level 1 and deeper, in order).
local function contents(s, opts)
  local out = {}
  for k, q in ipairs(core.quotes(s, 1, -1, opts)) do out[k] = s:sub(q.start, q.stop) end
  return out
end

-- The elements 1..#a of an array kept in C (lede.QuoteInts, lede.Sentences)
-- as a table.
local function array(a)
  local t = {}
  for k = 1, #a do t[k] = a[k] end
  return t
end

describe("core.quotes", function()
  it("reads long runs of letters of two bytes as it reads short ones", function()
    -- Cyrillic words of every length between marks, and the same with
    -- broken characters in them
    for n = 1, 40 do
      local w = string.rep("\208\191\209\128", n)
      local s = "\194\171" .. w .. "\194\187 \226\128\148 \209\129\208\186. \226\128\156" .. w .. "x\226\128\157"
      assert.same({ w, w .. "x" }, contents(s))
      local broken = w .. "\208" .. w
      s = "\194\171" .. broken .. "\194\187 \226\128\156" .. w .. "\128" .. w .. "\226\128\157"
      assert.same({ broken, w .. "\128" .. w }, contents(s))
    end
  end)

  it("pairs curly double quotes and gives 1-based content positions", function()
    local s = "He said, “As for it, I agree.” Then he left."
    local q = core.quotes(s)
    assert.equal(1, #q)
    assert.equal(s:find("As", 1, true), q[1].start)
    assert.equal("As for it, I agree.", s:sub(q[1].start, q[1].stop))
    assert.equal("“", q[1].open_mark)
    assert.equal("”", q[1].close_mark)
    assert.equal(s:find("“", 1, true), q[1].open)
    assert.equal(s:find("”", 1, true), q[1].close)
    assert.is_true(q[1].closed)
    assert.equal(1, q[1].level)
    assert.equal(1, q[1].paragraphs)
    assert.is_nil(q[1].parts)
  end)

  it("pairs straight double quotes by the characters around them", function()
    assert.same({ "We will win.", "soon" }, contents('"We will win." They said "soon" again.'))
  end)

  it("pairs single curly quotes, guillemets, German and CJK marks", function()
    assert.same({ "left" }, contents("Then ‘left’ it."))
    assert.same({ "Bonjour", "oui" }, contents("«Bonjour» et « oui »."))
    assert.same({ "Das ist gut" }, contents("„Das ist gut“, sagte er."))
    assert.same({ "Danish" }, contents("»Danish« style"))
    assert.same({ "你好" }, contents("他说「你好」。"))
  end)

  it("reports nested quotes after their enclosing quote, with their level", function()
    local s = "“They told us ‘you will never win,’ and they were wrong,” he added."
    local q = core.quotes(s)
    assert.equal(2, #q)
    assert.equal(1, q[1].level)
    assert.equal(2, q[2].level)
    assert.equal("you will never win,", s:sub(q[2].start, q[2].stop))
    assert.same({ s:sub(q[1].start, q[1].stop) }, contents(s, { nested = false }))
  end)

  it("leaves the marks but the closing one, closed, level and paragraphs out with brief", function()
    local s = "“One” and “two\n\n“three” he said"
    local full, brief = core.quotes(s), core.quotes(s, 1, -1, { brief = true })
    assert.equal(#full, #brief)
    for k, q in ipairs(full) do
      local b = brief[k]
      assert.same({ q.start, q.stop, q.open, q.close, q.close_mark, q.parts },
                  { b.start, b.stop, b.open, b.close, b.close_mark, b.parts })
      assert.is_nil(b.open_mark)
      assert.is_nil(b.closed)
      assert.is_nil(b.level)
      assert.is_nil(b.paragraphs)
    end
    assert.has_error(function() core.quotes(s, 1, -1, { brief = 1 }) end,
      "core.quotes: opts.brief must be a boolean")
  end)

  it("does not take apostrophes for quotation marks", function()
    assert.same({}, contents("China’s rock’n’roll, the players' union, the ’90s, don't, '80s, 'em."))
    assert.same({ "It's the players' turn" }, contents("“It's the players' turn” he said"))
  end)

  it("reads a plural possessive inside a single quote as an apostrophe when a later mark closes", function()
    assert.same({ "The players’ union is strong," }, contents("‘The players’ union is strong,’ he said."))
    assert.same({ "no", "deal" }, contents("He said ‘no’ to the ‘deal’ today."))
    assert.same({ "The owners" }, contents("‘The owners’ group wins"))
  end)

  it("pairs a headline's single quotes (deciding speech is not its job)", function()
    local s = "North Korea's Next Nuclear Test ‘Is Possible Any Time'"
    assert.same({ "Is Possible Any Time" }, contents(s))
  end)

  it("continues a quote into the next paragraph that opens with a mark", function()
    local s = "Smith said: “First paragraph.\n\n“Second paragraph.\n\n" ..
              "“Third paragraph ends.”\n\nNot quoted."
    local q = core.quotes(s)
    assert.equal(1, #q)
    assert.equal(3, q[1].paragraphs)
    assert.is_true(q[1].closed)
    local parts = {}
    for k = 1, #q[1].parts, 2 do parts[#parts + 1] = s:sub(q[1].parts[k], q[1].parts[k + 1]) end
    assert.same({ "First paragraph.", "Second paragraph.", "Third paragraph ends." }, parts)
    assert.equal(q[1].parts[1], q[1].start)
    assert.equal("Third paragraph ends.", s:sub(q[1].stop - 20, q[1].stop))
  end)

  it("ends an unclosed quote at the end of its paragraph", function()
    local s = "He said “we will win.\n\nNot continued, no mark here."
    local q = core.quotes(s)
    assert.equal(1, #q)
    assert.is_false(q[1].closed)
    assert.is_nil(q[1].close)
    assert.equal("we will win.", s:sub(q[1].start, q[1].stop))
  end)

  it("ends an unclosed quote where another of the same kind opens", function()
    assert.same({ "we will win and then", "lose" }, contents('He said "we will win and then "lose" it.'))
  end)

  it("never lets a stray mark swallow the following paragraphs", function()
    local s = "A stray ” mark and an opening “here\n\nSecond paragraph.\n\nThird “quoted” one."
    assert.same({ "here", "quoted" }, contents(s))
  end)

  it("treats every line as a paragraph in line mode", function()
    local s = "He said “one\ntwo” here"
    assert.same({ "one\ntwo" }, contents(s))
    assert.same({ "one" }, contents(s, { paragraphs = "line" }))
  end)

  it("scans only the given blocks, continuing across them", function()
    local s = "MENU “not this”\nSmith said: “First.\n“Second.”\nFOOTER “nor this”"
    local b1 = s:find("Smith", 1, true)
    local e1 = s:find("\n", b1, true) - 1
    local b2 = e1 + 2
    local e2 = s:find("\n", b2, true) - 1
    local q = core.quotes(s, 1, -1, { blocks = { { b1, e1 }, { i = b2, j = e2 } } })
    assert.equal(1, #q)
    assert.equal(2, q[1].paragraphs)
    assert.equal("First.", s:sub(q[1].parts[1], q[1].parts[2]))
  end)

  it("honours the (i, j) range", function()
    local s = "“one” and “two”"
    local q = core.quotes(s, 10)
    assert.equal(1, #q)
    assert.equal("two", s:sub(q[1].start, q[1].stop))
    assert.same({}, core.quotes(s, 1, 3))
  end)

  it("counts positions in bytes over multi-byte text", function()
    local s = "Zoë said “naïve”"
    local q = core.quotes(s)[1]
    assert.equal("naïve", s:sub(q.start, q.stop))
    assert.equal(#"Zoë said “" + 1, q.start)
  end)

  it("returns an empty array when there is no quote", function()
    assert.same({}, core.quotes(""))
    assert.same({}, core.quotes("no quotes here"))
    assert.same({}, core.quotes("“”"))
  end)

  it("accepts invalid UTF-8 and NUL bytes", function()
    assert.same({ "b\0c", "x" }, contents('a "b\0c" \255\254 "x'))
    assert.same({}, core.quotes("\226\128"))
  end)

  it("runs in linear time on a long line and on runs of marks", function()
    local q = core.quotes(string.rep("word ", 2000000) .. "“end”")
    assert.equal(1, #q)
    assert.same({}, core.quotes(string.rep('"', 1000000)))
    assert.equal(200000, #core.quotes(string.rep("“a ", 200000)))
  end)

  it("raises on misuse", function()
    assert.has_error(function() core.quotes(nil) end)
    assert.has_error(function() core.quotes("x", 1, -1, { bogus = true }) end,
      "core.quotes: unknown option 'bogus'")
    assert.has_error(function() core.quotes("x", 1, -1, { paragraphs = "x" }) end,
      'core.quotes: opts.paragraphs must be "blank" or "line"')
    assert.has_error(function() core.quotes("abcdef", 1, -1, { blocks = { { 4, 5 }, { 1, 2 } } }) end,
      "core.quotes: opts.blocks[2] overlaps or precedes the block before it")
    assert.has_error(function() core.quotes("x", 1, -1, { blocks = { "x" } }) end,
      "core.quotes: opts.blocks[1] must be a range {i, j}")
    assert.has_error(function() core.quotes("abc", 1, -1, { blocks = { { 1.5, 2 } } }) end,
      "core.quotes: opts.blocks[1] must be a range {i, j}")
    assert.has_error(function() core.quotes("abc", 1, -1, { blocks = { { i = 1, j = 2.5 } } }) end,
      "core.quotes: opts.blocks[1] must be a range {i, j}")
  end)
end)

describe("core.token_sentences", function()
  -- A token stream of s as lede.quotes builds it: words and punctuation,
  -- each quote one "q" token, a "b" token at the end of the block.
  local function stream(s, abbrevs)
    local tk = { n = 0, k = {}, s = {}, e = {}, w = {}, l = {}, cap = {}, para = {}, q = {},
                 cue = {}, abbrevs = abbrevs or {}, cuewords = {}, cur_para = 1 }
    local quotes = core.quotes(s, 1, -1, { nested = false })
    local at = 1
    local function push(kind, i, j, qi)
      tk.n = tk.n + 1
      tk.k[tk.n], tk.s[tk.n], tk.e[tk.n], tk.w[tk.n], tk.l[tk.n], tk.cap[tk.n] = kind, i, j, "", "", false
      tk.q[tk.n] = qi
    end
    for qi, q in ipairs(quotes) do
      if q.open > at then core.token_stream(s, at, q.open - 1, tk, {}) end
      local qend = q.close and (q.close + #q.close_mark - 1) or q.stop
      push("q", q.open, qend, qi)
      at = qend + 1
    end
    if at <= #s then core.token_stream(s, at, #s, tk, {}) end
    push("b", #s, #s)
    return tk, quotes
  end

  -- The sentences of s as strings.
  local function sentences(s, abbrevs)
    local tk, quotes = stream(s, abbrevs)
    local out = {}
    for k, p in ipairs(core.token_sentences(tk, s, quotes, abbrevs or {})) do
      out[k] = s:sub(tk.s[p[1]], tk.e[p[2]])
    end
    return out
  end

  it("ends a sentence at . ! ? before a capital, a digit, a mark or the end", function()
    assert.same({ "One two.", "Three!", "4 is it?", "(Five)." },
      sentences("One two. Three! 4 is it? (Five)."))
    assert.same({ "Not here. but on." }, sentences("Not here. but on."))
  end)

  it("keeps a period after an abbreviation or an initial", function()
    assert.same({ "Mr. Smith and J. Doe met in the U.S. Army.", "Then." },
      sentences("Mr. Smith and J. Doe met in the U.S. Army. Then.", { ["Mr."] = true }))
    assert.same({ "Mr.", "Smith came." }, sentences("Mr. Smith came."))
  end)

  it("ends a sentence at a quote ending in . ! ? or … before a capital", function()
    assert.same({ "He said “We won.”", "Then he left." }, sentences("He said “We won.” Then he left."))
    assert.same({ "He said “We won…”", "Then." }, sentences("He said “We won…” Then."))
    assert.same({ "He said “We won” Then." }, sentences("He said “We won” Then."))
  end)

  it("gives 1-based token pairs and ends a sentence at a block edge", function()
    local tk, quotes = stream("Yes. No")
    assert.same({ { 1, 2 }, { 3, 3 } }, core.token_sentences(tk, "Yes. No", quotes, {}))
    assert.same({}, core.token_sentences({ n = 0, k = {}, w = {}, s = {}, e = {}, cap = {}, q = {} },
      "", {}, {}))
  end)

  it("accepts multi-byte text, invalid UTF-8 and NUL bytes", function()
    assert.same({ "Élan vital.", "Über\0alles \255." }, sentences("Élan vital. Über\0alles \255."))
  end)

  it("raises on misuse", function()
    assert.has_error(function() core.token_sentences(nil, "", {}, {}) end)
    assert.has_error(function() core.token_sentences({ n = 0 }, "", {}, {}) end,
      "token_sentences: tk.k must be a table")
  end)
end)

describe("core.sentence_runs", function()
  -- "One. Two said. Three. Four." and its sentences, all in block 1
  local text = "One. Two said. Three. Four."
  local sents = { { i = 1, j = 4, block = 1 }, { i = 6, j = 14, block = 1 },
                  { i = 16, j = 21, block = 1 }, { i = 23, j = 27, block = 1 } }
  local said = { 10, 13, 1 }

  it("keeps the sentences with a cue", function()
    assert.same({ { { 6, 14 } } },
      core.sentence_runs(text, sents, { { 1, 27 } }, { 1 }, { true }, said, {}, {}))
  end)

  it("keeps the sentences a quote overlaps and their neighbours, to the block's edges", function()
    local quotes = { { open = 16, close = 21, stop = 20 } }
    assert.same({ { { 6, 27 } } },
      core.sentence_runs(text, sents, { { 1, 27 } }, { 1 }, { true }, {}, {}, quotes))
    assert.same({ { { 1, 14 } } },
      core.sentence_runs(text, sents, { { 1, 27 } }, { 1 }, { true }, {}, {}, { { open = 3, stop = 3 } }))
  end)

  it("keeps a weak cue only with a whole-word \"that\" after it or near the end", function()
    local long = "Ann noted the long list of things we saw there in town today, thatch and all."
    local s1 = { { i = 1, j = #long, block = 1 } }
    local noted = { 5, 9, 7 }
    local weak = { [7] = true }
    assert.same({ {} }, core.sentence_runs(long, s1, { { 1, #long } }, { 1 }, { true }, noted, weak, {}))
    local with = long:gsub("thatch", "that it")
    s1[1].j = #with
    assert.same({ { { 1, #with } } },
      core.sentence_runs(with, s1, { { 1, #with } }, { 1 }, { true }, noted, weak, {}))
    assert.same({ { { 6, 14 } } },
      core.sentence_runs(text, sents, { { 1, 27 } }, { 1 }, { true }, said, { [1] = true }, {}))
  end)

  it("reads only the wanted blocks, by block index", function()
    assert.same({}, core.sentence_runs(text, sents, { { 1, 27 } }, { 1 }, {}, said, {}, {}))
    assert.same({}, core.sentence_runs(text, sents, { { 1, 27 } }, { 2 }, { true }, said, {}, {}))
    assert.same({}, core.sentence_runs("", {}, {}, {}, {}, {}, {}, {}))
  end)

  it("finds a sentence's block by its index however the indices come", function()
    -- two ranges: "One. Two said." is block 7, "Three. Four." block 3
    local s2 = { { i = 1, j = 4, block = 7 }, { i = 6, j = 14, block = 7.0 },
                 { i = 16, j = 21, block = 3 }, { i = 23, j = 27, block = "3" } }
    local ranges = { { 1, 14 }, { 16, 27 } }
    local hits = { 10, 13, 1, 16, 20, 1, 23, 26, 1 }
    -- in order (7 then 9), out of order (7 then 3), and not numbers
    assert.same({ { { 6, 14 } } }, core.sentence_runs(text, s2, ranges, { 7, 9 }, { true, true }, hits, {}, {}))
    assert.same({ { { 6, 14 } }, { { 16, 27 } } },
      core.sentence_runs(text, s2, ranges, { 7, 3 }, { true, true }, hits, {}, {}))
    -- the index "3" is the block of the last sentence only; a run reaches
    -- its range's edges
    assert.same({ [2] = { { 16, 27 } } },
      core.sentence_runs(text, s2, ranges, { "7", "3" }, { true, true }, hits, {}, {}))
    assert.same({ [2] = { { 16, 27 } } },
      core.sentence_runs(text, s2, ranges, { 7.5, 3 }, { nil, true }, hits, {}, {}))
    assert.same({ { { 6, 14 } }, { { 16, 27 } } },
      core.sentence_runs(text, s2, ranges, { 7, "3" }, { true, true }, hits, {}, {}))
  end)

  it("stays linear with many weak cues in one long sentence", function()
    local long = string.rep("he noted it ", 200000) .. "that day."
    local hits = {}
    for p = 4, #long - 60, 12 do
      hits[#hits + 1] = p
      hits[#hits + 1] = p + 4
      hits[#hits + 1] = 7
    end
    local s1 = { { i = 1, j = #long, block = 1 } }
    assert.same({ { { 1, #long } } },
      core.sentence_runs(long, s1, { { 1, #long } }, { 1 }, { true }, hits, { [7] = true }, {}))
    local none = long:gsub("that day", "thatch day")
    assert.same({ {} }, core.sentence_runs(none, s1, { { 1, #none } }, { 1 }, { true }, hits, { [7] = true }, {}))
  end)

  it("finds each weak cue's \"that\" however many cues share a sentence", function()
    -- "that" at bytes 1 and 21; a cue (start 1, stop) counts with a "that"
    -- right at its stop or after it, or within 40 bytes of the end
    local t = "that is it, we said that it was so and then some more words here ok."
    local s1 = { { i = 1, j = #t, block = 1 } }
    local function runs(hits)
      return #core.sentence_runs(t, s1, { { 1, #t } }, { 1 }, { true }, hits, { [7] = true }, {})[1]
    end
    assert.equal(1, runs({ 1, 0, 7 }))
    assert.equal(1, runs({ 1, 12, 7 }))
    assert.equal(1, runs({ 1, 20, 7 }))
    assert.equal(0, runs({ 1, 21, 7 }))
    assert.equal(0, runs({ 1, #t - 40, 7 }))
    assert.equal(1, runs({ 1, #t - 39, 7 }))
    assert.equal(1, runs({ 1, 25, 7, 1, 22, 7, 1, 12, 7 }))
    assert.equal(0, runs({ 1, 25, 7, 1, 21, 7, 1, 22, 7 }))
    assert.equal(1, runs({ 1, 25, 7, 1, 21, 7, 1, 0, 7 }))
  end)

  it("stays linear with a quote over many sentences", function()
    local n = 100000
    local sents, quotes = {}, { { open = 1, close = 20 * n } }
    for k = 1, n do
      sents[k] = { i = (k - 1) * 20 + 1, j = k * 20, block = 1 }
      quotes[k + 1] = { open = (k - 1) * 20 + 2, close = (k - 1) * 20 + 5 }
    end
    local runs = core.sentence_runs(string.rep("x", 20 * n), sents, { { 1, 20 * n } }, { 1 }, { true }, {}, {}, quotes)
    assert.same({ { { 1, 20 * n } } }, runs)
  end)

  it("takes absurd positions without overflowing", function()
    local big, small = math.maxinteger, math.mininteger
    local s1 = { { i = small, j = big, block = 1 } }
    assert.same({ { { 1, 27 } } },
      core.sentence_runs(text, s1, { { 1, 27 } }, { 1 }, { true }, { big, small, 1 }, { [1] = true },
        { { open = small, close = big } }))
    -- a weak cue ending far before the sentence's end, with no "that"
    assert.same({ {} },
      core.sentence_runs(text, s1, { { 1, 27 } }, { 1 }, { true }, { 1, small, 1 }, { [1] = true }, {}))
  end)

  it("raises on misuse", function()
    assert.has_error(function() core.sentence_runs(text, nil, {}, {}, {}, {}, {}, {}) end)
    assert.has_error(function() core.sentence_runs(text, sents, { { 1, 27 } }, { 1 }, { true }, {}, {}, { 5 }) end,
      "sentence_runs: quote 1 must be a table, got number")
  end)
end)

describe("core.prose_blocks", function()
  local function pick(text, blocks)
    local ranges, bidx = core.prose_blocks(text, blocks)
    return bidx, ranges
  end

  it("keeps the body blocks that end with sentence punctuation", function()
    local text = "One. Two! Three Four Menu"
    local bidx, ranges = pick(text, { { i = 1, j = 4 }, { i = 6, j = 9, kind = "body" },
                                      { i = 11, j = 25 } })
    assert.same({ 1, 2 }, bidx)
    assert.same({ { 1, 4 }, { 6, 9 } }, ranges)
  end)

  it("skips blocks of another kind and empty or unplaced ones", function()
    local text = "One. Two."
    assert.same({}, (pick(text, { { i = 1, j = 4, kind = "boilerplate" }, { i = 6, j = 5 }, { kind = "body" } })))
  end)

  it("keeps a block ending with a closing mark unless it reads as a headline", function()
    local prose = "He said it would rain “all week”"
    local head = "Storm Hits “Big City”"
    assert.same({ 1 }, (pick(prose, { { i = 1, j = #prose } })))
    assert.same({}, (pick(head, { { i = 1, j = #head } })))
    assert.same({}, (pick("Élan Über „Öl”", { { i = 1, j = #"Élan Über „Öl”" } })))
    assert.same({ 1 }, (pick("Wait…", { { i = 1, j = #"Wait…" } })))
  end)

  it("reads a block of more than 30 words as prose", function()
    local long = string.rep("Big ", 31) .. "'Word'"
    assert.same({ 1 }, (pick(long, { { i = 1, j = #long } })))
  end)

  it("accepts invalid UTF-8, NUL bytes and positions past the end", function()
    assert.same({ 1 }, (pick("a\0\255.", { { i = 1, j = 4 } })))
    assert.same({}, (pick("abc", { { i = 1, j = 10 } })))
    assert.same({}, (pick("", {})))
  end)

  it("raises on misuse", function()
    assert.has_error(function() core.prose_blocks("x", nil) end)
    assert.has_error(function() core.prose_blocks(nil, {}) end)
  end)
end)

describe("core.prose_ranges", function()
  -- the ranges as a table of {i, j, block index}
  local function unpack_ranges(ranges)
    local out = {}
    for k = 1, #ranges do out[k] = { ranges:get(k) } end
    return out
  end

  it("keeps the blocks core.prose_blocks keeps, in C", function()
    local text = "One. Two! Three Four Menu Storm Hits “Big City” He said “it would rain”"
    local blocks = { { i = 1, j = 4 }, { i = 6, j = 9, kind = "body" }, { i = 11, j = 25 },
                     { i = 27, j = 49 }, { i = 51, j = #text }, { i = 1, j = 4, kind = "menu" } }
    local ranges, starts = core.prose_ranges(text, blocks)
    local r2, bidx, s2 = core.prose_blocks(text, blocks)
    assert.equal(3, #ranges)
    assert.same({ { 1, 4, 1 }, { 6, 9, 2 }, { 51, #text, 5 } }, unpack_ranges(ranges))
    assert.same(s2, starts)
    assert.same({ 1, 2, 5 }, bidx)
    assert.equal(#r2, #ranges)
    assert.is_nil(ranges:get(0))
    assert.is_nil(ranges:get(4))
    assert.matches("^lede.QuoteRanges%(3 ranges%)$", tostring(ranges))
  end)

  it("fills the ranges given again when they have room, else makes new ones", function()
    local text = "One. Two! Three Four Menu"
    local blocks = { { i = 1, j = 4 }, { i = 6, j = 9 } }
    local ranges = core.prose_ranges(text, blocks)
    local again, starts = core.prose_ranges(text, { { i = 6, j = 9 } }, ranges)
    assert.equal(ranges, again)
    assert.is_nil(starts)
    assert.same({ { 6, 9, 1 } }, unpack_ranges(again))
    local none = core.prose_ranges("", {})
    local grown = core.prose_ranges(text, blocks, none)
    assert.are_not.equal(none, grown)
    assert.same({ { 1, 4, 1 }, { 6, 9, 2 } }, unpack_ranges(grown))
    assert.equal(0, #none)
    assert.has_error(function() core.prose_ranges(text, blocks, {}) end)
  end)

  it("gives none for no prose and raises on misuse", function()
    local ranges, starts = core.prose_ranges("", {})
    assert.equal(0, #ranges)
    assert.same({}, starts)
    assert.has_error(function() core.prose_ranges("x", nil) end)
    assert.has_error(function() core.prose_ranges(nil, {}) end)
  end)

  it("stands for its table of ranges in core.quotes, quote_blocks, sentence_runs, quote_tokens",
     function()
    local text = "Intro line.\n\nShe said “we will win.” Then left.\n\nMenu\n\n“Again,” he said. Fine."
    local blocks, sents = {}, {}
    for a, b in text:gmatch("()[^\n]+()") do blocks[#blocks + 1] = { i = a, j = b - 1 } end
    for k, b in ipairs(blocks) do
      for a, z in text:sub(b.i, b.j):gmatch("()[^.]+%.?()") do
        sents[#sents + 1] = { i = b.i + a - 1, j = b.i + z - 2, block = k }
      end
    end
    local ranges = core.prose_ranges(text, blocks)
    local tr, bidx = core.prose_blocks(text, blocks)
    local q1 = core.quotes(text, 1, -1, { blocks = ranges, nested = false })
    local q2 = core.quotes(text, 1, -1, { blocks = tr, nested = false })
    assert.same(q2, q1)
    assert.equal(2, #q1)
    local hits = { 18, 21, 1, 68, 71, 1 }
    local w1 = core.quote_blocks(ranges, hits, q1)
    assert.same(core.quote_blocks(tr, hits, q1), w1)
    local runs = core.sentence_runs(text, sents, ranges, ranges, w1, hits, {}, q1)
    assert.same(core.sentence_runs(text, sents, tr, bidx, w1, hits, {}, q1), runs)
    local function tokens(rg, quotes)
      local tk = { n = 0, k = {}, s = {}, e = {}, w = {}, l = {}, cap = {}, para = {}, q = {}, cue = {},
                   abbrevs = {}, cuewords = { said = true } }
      local cues = core.quote_tokens(text, rg, quotes, runs, w1, tk, nil, {})
      return { cues, tk.k, tk.s, tk.e, tk.para, tk.q }
    end
    assert.same(tokens(tr, q2), tokens(ranges, q1))
    assert.has_error(function() core.quote_blocks(io.stdout, hits, q1) end)
    -- the packed runs: the same runs, read in place by quote_tokens
    local packed = core.sentence_runs(text, sents, ranges, ranges, w1, hits, {}, q1, true)
    assert.equal(#ranges, #packed)
    assert.matches("lede.QuoteRuns", tostring(packed))
    for r = 0, #ranges + 1 do assert.same({ runs[r] }, { packed:get(r) }) end
    local plain = tokens(ranges, q1)
    runs = packed
    assert.same(plain, tokens(ranges, q1))
    -- packed only with packed ranges
    assert.same(core.sentence_runs(text, sents, tr, bidx, w1, hits, {}, q1),
      core.sentence_runs(text, sents, tr, bidx, w1, hits, {}, q1, true))
  end)

  it("packs the runs of sentence_runs as the table form holds them", function()
    local text = "One. Two said. Three. Four.\n\nFive said it. Six. Seven.\n\nEight. Nine said."
    local blocks = {}
    for a, b in text:gmatch("()[^\n]+()") do blocks[#blocks + 1] = { i = a, j = b - 1, kind = "body" } end
    local ranges = core.prose_ranges(text, blocks)
    local sents = core.block_sentences(text, blocks, {}, { kind = "body" })
    local hits = {}
    for a, z in text:gmatch("()said()") do
      hits[#hits + 1] = a; hits[#hits + 1] = z - 1; hits[#hits + 1] = 1
    end
    for _, wanted in ipairs({ { true, true, true }, { true, false, true }, { false, true }, {} }) do
      for _, quotes in ipairs({ {}, { { open = 16, close = 21, stop = 20 } } }) do
        local t = core.sentence_runs(text, sents, ranges, ranges, wanted, hits, {}, quotes)
        local p = core.sentence_runs(text, sents, ranges, ranges, wanted, hits, {}, quotes, true)
        for r = 1, #ranges do assert.same({ t[r] }, { p:get(r) }) end
      end
    end
  end)

  it("fills the packed runs given again when they have room", function()
    local text = "One. Two said. Three.\n\nFour said it. Five."
    local blocks = {}
    for a, b in text:gmatch("()[^\n]+()") do blocks[#blocks + 1] = { i = a, j = b - 1, kind = "body" } end
    local ranges = core.prose_ranges(text, blocks)
    local sents = core.block_sentences(text, blocks, {}, { kind = "body" })
    local hits = { 10, 13, 1, 29, 32, 1 }
    local first = core.sentence_runs(text, sents, ranges, ranges, { true, true }, hits, {}, {}, true)
    local want = {}
    for r = 1, #ranges do want[r] = { first:get(r) } end
    local only = core.sentence_runs(text, sents, ranges, ranges, { false, true }, hits, {}, {}, true, first)
    assert.equal(first, only)
    assert.same({}, { only:get(1) })
    assert.same(want[2], { only:get(2) })
    -- no room: new runs, the ones given left as they were
    local small = core.sentence_runs(text, sents, ranges, ranges, {}, hits, {}, {}, true)
    local again = core.sentence_runs(text, sents, ranges, ranges, { true, true }, hits, {}, {}, true, small)
    for r = 1, #ranges do assert.same(want[r], { again:get(r) }) end
  end)
end)

describe("core.quote_tokens", function()
  local function new_tk()
    return { n = 0, k = {}, s = {}, e = {}, w = {}, l = {}, cap = {}, para = {}, q = {}, cue = {},
             abbrevs = {}, cuewords = { said = true } }
  end

  -- "kind:text" of every token
  local function show(text, tk)
    local out = {}
    for t = 1, tk.n do
      out[t] = tk.k[t] == "w" or tk.k[t] == "p" and tk.k[t] .. ":" .. tk.w[t]
        or tk.k[t] .. ":" .. text:sub(tk.s[t], tk.e[t])
      if tk.k[t] == "w" then out[t] = "w:" .. tk.w[t] end
    end
    return out
  end

  it("makes each quote one token and ends each block with a \"b\" token", function()
    local text = "Ann said “We won.” Yes.\n\nBob left."
    local ranges = { { 1, 27 }, { 30, 38 } }
    local quotes = core.quotes(text, 1, -1, { blocks = ranges, nested = false })
    local tk = new_tk()
    core.quote_tokens(text, ranges, quotes, nil, nil, tk, core.token_stream, {})
    assert.same({ "w:Ann", "w:said", "q:“We won.”", "w:Yes", "p:.", "b:.", "w:Bob", "w:left", "p:.", "b:." },
      show(text, tk))
    assert.equal(3, quotes[1].token)
    assert.equal(1, quotes[1].para)
    assert.equal(1, tk.q[3])
    assert.same({ 1, 1, 1, 1, 1, 1, 2, 2, 2, 2 }, tk.para)
    assert.is_true(tk.cue[2])
  end)

  it("cuts the tokens itself, as core.token_stream does, without a tokenize function", function()
    local text = "Mr. J. Smith of the U.S. said it's Ann’s “idea,” e.g. co-op 3.5 \0\255 İstanbul.\n\nX.Y. said."
    local ranges = { { 1, #text - 12 }, { #text - 9, #text } }
    local quotes = core.quotes(text, 1, -1, { blocks = ranges, nested = false })
    local a, b = new_tk(), new_tk()
    a.abbrevs = { ["mr."] = true, ["Mr."] = true, ["e.g."] = true }
    b.abbrevs = a.abbrevs
    local ca = core.quote_tokens(text, ranges, quotes, nil, nil, a, core.token_stream, { it = true })
    local cb = core.quote_tokens(text, ranges, quotes, nil, nil, b, nil, { it = true })
    assert.same(ca, cb)
    for _, f in ipairs({ "n", "k", "s", "e", "w", "l", "cap", "para", "q", "cue" }) do
      assert.same(a[f], b[f], f)
    end
    assert.equal("Mr.", b.w[1])
    assert.equal("U.S.", b.w[6])
    assert.equal("it's", b.l[8])
    assert.equal("ann", b.l[9])
  end)

  it("cuts ASCII words, numbers and marks as core.token_stream does", function()
    local text = "A1 x_y 3,5 5. 4.x a-b a'b AB Ab aB ab. A \127 12,x é9 a’b 1٣ x\194\173y J.K. i.e. Zz9, ok."
    local ranges = { { 1, #text } }
    local a, b = new_tk(), new_tk()
    local ca = core.quote_tokens(text, ranges, {}, nil, nil, a, core.token_stream, { it = true })
    local cb = core.quote_tokens(text, ranges, {}, nil, nil, b, nil, { it = true })
    assert.same(ca, cb)
    for _, f in ipairs({ "n", "k", "s", "e", "w", "l", "cap", "para" }) do
      assert.same(a[f], b[f], f)
    end
  end)

  it("sets tk.s, tk.e, tk.w and tk.para to read-only views when tk has no s", function()
    local text = "Mr. J. Smith of the U.S. said it's Ann’s “idea,” e.g. co-op \0\255 x.\n\nX.Y. said."
    local ranges = { { 1, #text - 12 }, { #text - 9, #text } }
    local quotes = core.quotes(text, 1, -1, { blocks = ranges, nested = false })
    local a, b = new_tk(), new_tk()
    a.abbrevs = { ["mr."] = true, ["Mr."] = true, ["e.g."] = true }
    b.abbrevs = a.abbrevs
    b.s, b.e, b.w, b.para = nil, nil, nil, nil
    local ca, sa = core.quote_tokens(text, ranges, quotes, nil, nil, a, nil, { it = true })
    local cb, sb = core.quote_tokens(text, ranges, quotes, nil, nil, b, nil, { it = true })
    assert.same(ca, cb)
    assert.same(sa, sb)
    assert.equal(a.n, b.n)
    for _, f in ipairs({ "k", "l", "cap", "q", "cue" }) do assert.same(a[f], b[f], f) end
    for _, f in ipairs({ "s", "e", "w", "para" }) do
      for t = 1, a.n do assert.equal(a[f][t], b[f][t], f .. t) end
      assert.is_nil(b[f][0])
      assert.is_nil(b[f][a.n + 1])
      assert.is_nil(b[f]["1"])
      assert.is_nil(b[f][1.5])
      assert.has_error(function() b[f][1] = 1 end)
    end
    assert.equal("U.S.", b.w[6])
    assert.equal("", b.w[a.n])
    -- the next call reuses the records: the views before it raise
    local c = new_tk()
    c.s, c.e, c.w, c.para = nil, nil, nil, nil
    core.quote_tokens("Other words here.", { { 1, 17 } }, {}, nil, nil, c, nil, {})
    assert.has_error(function() return b.w[1] end,
      "quote_tokens: the token views are stale (a later call reused the records)")
    assert.equal("Other", c.w[1])
    assert.equal(7, c.s[2])
    assert.equal(1, c.para[3])
  end)

  it("takes the abbreviations as a lede.AbbrevSet, with the same tokens and sentences", function()
    local text = "Mr. J. Smith of the U.S. said it's Ann’s “idea,” e.g. co-op \0\255 x. Dr. No. mr. Who.\n\n"
      .. "X.Y. said. e.g. Then etc. Done Mr.\n\nMr. " .. string.rep("long", 30) .. ". Next."
    local ranges = { { 1, 84 }, { 87, 120 }, { 123, #text } }
    local quotes = core.quotes(text, 1, -1, { blocks = ranges, nested = false })
    local set = { ["mr."] = true, ["Mr."] = true, ["e.g."] = true, ["Dr."] = true, ["etc."] = true,
                  [string.rep("long", 30) .. "."] = true }
    local a, b = new_tk(), new_tk()
    a.abbrevs, b.abbrevs = set, core.abbrev_set(set)
    local ca, sa = core.quote_tokens(text, ranges, quotes, nil, nil, a, nil, { it = true })
    local cb, sb = core.quote_tokens(text, ranges, quotes, nil, nil, b, nil, { it = true })
    assert.same(ca, cb)
    assert.same(sa, sb)
    assert.is_true(#sa >= 5)
    for _, f in ipairs({ "n", "k", "s", "e", "w", "l", "cap", "para", "q", "cue" }) do assert.same(a[f], b[f], f) end
    -- the token records (records = true) and their sentences
    local function recs(abbrevs)
      local tk = { n = 0, q = {}, records = true, abbrevs = abbrevs, cuewords = { said = true } }
      local cl, sents = core.quote_tokens(text, ranges, quotes, nil, nil, tk, nil, {})
      return { cl, sents, tk.n }
    end
    assert.same(recs(set), recs(core.abbrev_set(set)))
    local closed = core.abbrev_set(set)
    getmetatable(closed).__gc(closed)
    local c = new_tk()
    c.abbrevs = closed
    assert.has_error(function() core.quote_tokens(text, ranges, quotes, nil, nil, c, nil, {}) end, "closed")
    c.abbrevs = 5
    assert.has_error(function() core.quote_tokens(text, ranges, quotes, nil, nil, c, nil, {}) end,
      "quote_tokens: tk.abbrevs must be a table")
  end)

  it("returns the sentences core.token_sentences finds, with the built-in tokeniser", function()
    local text = "Mr. Smith said “It is done.” Then U.S. officials left! (Why?) “Yes.” no. 9 x.\n\nAnn said so"
    local ranges = { { 1, #text - 13 }, { #text - 10, #text } }
    local quotes = core.quotes(text, 1, -1, { blocks = ranges, nested = false })
    local tk = new_tk()
    tk.abbrevs = { ["Mr."] = true }
    local _, sents = core.quote_tokens(text, ranges, quotes, { { { 1, 40 }, { 60, #text - 13 } } }, nil, tk, nil, {})
    assert.same(core.token_sentences(tk, text, quotes, tk.abbrevs), sents)
    assert.is_true(#sents >= 4)
    -- a tokenize function: no sentences
    local cues, none = core.quote_tokens(text, ranges, quotes, nil, nil, new_tk(), core.token_stream, {})
    assert.is_table(cues)
    assert.is_nil(none)
  end)

  it("returns the cue words' tokens in order", function()
    local text = "Ann said no. Bob said yes, she said.\n\nThey said."
    local ranges = { { 1, 36 }, { 39, 48 } }
    local tk = new_tk()
    assert.same({ 2, 6, 10, 14 }, core.quote_tokens(text, ranges, {}, nil, nil, tk, core.token_stream, {}))
    assert.same({}, core.quote_tokens("", {}, {}, nil, nil, new_tk(), core.token_stream, {}))
  end)

  it("reads only the runs of a block, a \"g\" token over the gap, and skips unwanted blocks", function()
    local text = "One. Two. Three.\n\nFour."
    local ranges = { { 1, 16 }, { 19, 23 } }
    local tk = new_tk()
    core.quote_tokens(text, ranges, {}, { { { 1, 4 }, { 11, 16 } } }, { true }, tk, core.token_stream, {})
    assert.same({ "w:One", "p:.", "g:T", "w:Three", "p:.", "b:.", "b:." }, show(text, tk))
  end)

  it("follows a quote over several paragraphs into the block where it ends", function()
    local text = "“One two.\n\n“Three four,” he said."
    local ranges = { { 1, 11 }, { 14, #text } }
    local quotes = core.quotes(text, 1, -1, { blocks = ranges, nested = false })
    local tk = new_tk()
    core.quote_tokens(text, ranges, quotes, nil, nil, tk, core.token_stream, {})
    assert.equal(1, #quotes)
    assert.equal("q", tk.k[1])
    assert.same({ 1, 2 }, { tk.para[1], tk.para[2] })
    assert.same({ "w:he", "w:said", "p:." }, { show(text, tk)[2], show(text, tk)[3], show(text, tk)[4] })
  end)

  it("finds the runs of a block with many runs and quotes in linear time", function()
    local n = 400000
    local text = string.rep("word ", n // 5)
    local runs, quotes = {}, {}
    for k = 1, n // 40 do
      runs[k] = { (k - 1) * 40 + 1, (k - 1) * 40 + 20 }
      quotes[k] = { open = (k - 1) * 40 + 6, close = (k - 1) * 40 + 10, close_mark = "\"" }
    end
    local tk = new_tk()
    core.quote_tokens(text, { { 1, n } }, quotes, { runs }, nil, tk, core.token_stream, {})
    -- per run (its first 20 bytes): "word", the quote, "word", "word", then
    -- a "g" before the next run; a "b" at the end
    assert.same({ "w", "q", "w", "w", "g", "w", "q" }, { table.unpack(tk.k, 1, 7) })
    assert.same({ 1, 6, 11, 16, 41, 41, 46 }, { table.unpack(tk.s, 1, 7) })
    assert.equal(5 * (n // 40), tk.n)
  end)

  it("keeps positions sane with absurd quote bounds", function()
    local tk = new_tk()
    core.quote_tokens("ab cd", { { 1, 5 } }, { { open = 4, close = math.maxinteger, close_mark = "”" } },
      nil, nil, tk, core.token_stream, {})
    assert.same({ "w", "q", "b" }, tk.k)
    assert.is_true(tk.e[2] > 5)
    assert.has_error(function()
      core.token_stream("ab", 1, -1, { n = math.maxinteger, k = {}, s = {}, e = {}, w = {}, l = {}, cap = {},
        para = {}, cue = {}, abbrevs = {}, cuewords = {} }, {})
    end)
  end)

  it("raises on ranges, runs or quotes that are not tables, and on runs out of order", function()
    local tk = new_tk()
    assert.has_error(function() core.quote_tokens("abc", { 5 }, {}, nil, nil, tk, core.token_stream, {}) end,
      "quote_tokens: range 1 must be a table {i, j}, got number")
    assert.has_error(function() core.quote_tokens("abc", { { 1, 3 } }, {}, { { 7 } }, nil, tk, core.token_stream, {}) end,
      "quote_tokens: run 1 must be a table {i, j}, got number")
    assert.has_error(function() core.quote_tokens("abc", { { 1, 3 } }, { "x" }, nil, nil, tk, core.token_stream, {}) end,
      "quote_tokens: quote 1 must be a table, got string")
    assert.has_error(function()
      core.quote_tokens("abcdef", { { 1, 6 } }, {}, { { { 4, 5 }, { 1, 2 } } }, nil, tk, core.token_stream, {})
    end, "quote_tokens: run 2 of block 1 is out of order")
  end)

  it("does nothing without ranges and raises on misuse", function()
    local tk = new_tk()
    core.quote_tokens("", {}, {}, nil, nil, tk, core.token_stream, {})
    assert.equal(0, tk.n)
    assert.has_error(function() core.quote_tokens("x", {}, {}, nil, nil, tk, 5, {}) end)
    -- the built-in tokeniser needs the contracted set
    assert.has_error(function() core.quote_tokens("x", {}, {}, nil, nil, tk, nil, nil) end)
    assert.has_error(function() core.quote_tokens("x", { { 1, 1 } }, {}, nil, nil, { n = 0 }, core.token_stream, {}) end,
      "quote_tokens: tk.k must be a table")
  end)
end)

describe("core.squeeze", function()
  it("makes every run of white space one space, over string.sub positions", function()
    assert.equal("a b c ", core.squeeze("a  b\t\n\v\fc \r\n"))
    assert.equal("b c", core.squeeze("ab \n c d", 2, 6))
    assert.equal("c d", core.squeeze("ab \n c d", -3))
    assert.equal("", core.squeeze("abc", 3, 2))
    assert.equal("", core.squeeze(""))
  end)

  it("keeps other bytes as they are: non-breaking spaces, NUL, invalid UTF-8", function()
    assert.equal("a\194\160 b\0c\255", core.squeeze("a\194\160  b\0c\255"))
  end)

  it("raises on a non-string", function()
    assert.has_error(function() core.squeeze(nil) end)
  end)
end)

describe("core.quote_text", function()
  local function qt(...) return { core.quote_text(...) } end

  it("squeezes the content and counts its words", function()
    local s = "x “We  will\nwin,  today” y"
    local i, j = s:find("We", 1, true), s:find("y”", 1, true)
    assert.same({ "We will win, today", j, 4, false, true }, qt(s, i, j))
  end)

  it("drops a final comma with the white space before it, and moves j back over both", function()
    local s = "“Yes we can ,” he said"
    local i = s:find("Yes", 1, true)
    local j = s:find(",", 1, true)
    assert.same({ "Yes we can", j - 2, 3, false, true }, qt(s, i, j))
    -- a comma alone
    assert.same({ "", 3, 0, false, false }, qt("“,” x", 4, 4))
  end)

  it("tells a lower-case start and whether two letters follow each other", function()
    assert.same({ "a farce", 7, 2, true, true }, qt("a farce", 1, 7))
    assert.same({ "A 1 b", 5, 3, false, false }, qt("A 1 b", 1, 5))
    -- bytes of 0x80 and above are word bytes; not letters
    assert.same({ "é è", 5, 2, false, false }, qt("é è", 1, 5))
  end)

  it("reads long runs as it reads short ones (white space of every kind, words, letters)", function()
    -- the squeezed text, its words and whether two letters meet, as Lua
    -- patterns read them, over strings long and short of random bytes
    local alphabet = { " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "a", "Z", "q", "7", "0", "_", "-", ",",
                       ".", "\194\160", "\195\169", "\226\128\156", "\0", "\255", "xyzzy", "AB12cd" }
    local rnd = rng.new(12345)
    for _ = 1, 400 do
      local parts = {}
      for k = 1, rnd(60) do parts[k] = alphabet[rnd(#alphabet)] end
      local s = table.concat(parts)
      local sq = s:gsub("%s+", " ")
      assert.equal(sq, core.squeeze(s))
      local out = { core.quote_text(s, 1, #s) }
      local words = 0
      for _ in sq:gmatch("[%w\128-\255]+") do words = words + 1 end
      local text = sq:gsub("%s*,$", "")
      assert.equal(text, out[1])
      assert.equal(words, out[3])
      assert.equal(sq:find("%a%a") ~= nil, out[5])
    end
  end)

  it("joins the parts of a quote over paragraphs with a blank line", function()
    local s = "“One  two\n\n“three four,”"
    local a1, b1 = s:find("One  two")
    local a2, b2 = s:find("three four,")
    assert.same({ "One two\n\nthree four", b2 - 1, 4, false, true },
      qt(s, a1, b2, { a1, b1, a2, b2 }))
  end)

  it("raises on parts that are not pairs of positions", function()
    assert.has_error(function() core.quote_text("abc", 1, 3, { 1 }) end,
      "quote_text: parts must be pairs of positions")
    assert.has_error(function() core.quote_text("abc", 1, 3, { 1, "x" }) end,
      "quote_text: part 2 must be a position, got string")
    assert.has_error(function() core.quote_text("abc", nil, 3) end)
  end)

  it("reads long quotes and any bytes", function()
    local long = ("ab \0 "):rep(1000)
    local out, j, words = core.quote_text(long, 1, #long)
    assert.equal(("ab \0 "):rep(1000), long)
    assert.equal(#long, j)
    assert.equal(("ab \0 "):rep(1000), out)
    assert.equal(1000, words)
  end)
end)

describe("core.cue_set", function()
  local phrases = { "said", "according to", "told", "in the words of", "says", "told reporters" }

  it("finds what a case-insensitive gazetteer finds: longest first, whole words", function()
    local cs = core.cue_set(phrases)
    local g = core.gazetteer(phrases, { icase = true })
    for _, s in ipairs({
      "He SAID, according to Smith, that she told reporters so.",
      "According\nto them; according\n\nto them; according  to; according-to",
      "saidx said_ said2 xsaid said’s “said” sa\194\173id İN THE WORDS OF him",
      "told\226\128\169reporters told\194\133reporters told\r\nreporters told\r\rreporters",
      "\0said\255says\226\128\139told",
      "",
    }) do
      assert.same(g:scan(s), cs:scan(s))
      for i = 1, #s + 1, 3 do
        assert.same(g:scan(s, i, #s - i), cs:scan(s, i, #s - i))
      end
    end
  end)

  it("reads words of every length at every offset as the gazetteer does (eight bytes at a time)", function()
    local cs = core.cue_set(phrases)
    local g = core.gazetteer(phrases, { icase = true })
    local words = { "said", "Told", "saidsaidsaid", "reporters_said", "said2024", "SAYS", "told\195\169",
                    "x\128said", "[said]", "@said`", "{says}", "said\0said", "TOLD reporters" }
    for pad = 0, 9 do
      for _, w in ipairs(words) do
        for _, sep in ipairs({ " ", "", "\t", ".", "\226\128\153s " }) do
          local s = ("a"):rep(pad) .. " " .. w .. sep .. w
          assert.same(g:scan(s), cs:scan(s))
          assert.same(g:scan(s .. " said"), cs:scan(s .. " said"))
        end
      end
    end
    -- phrases of one byte, of digits, of "_"
    local odd = { "a", "I said", "9am", "x2", "_q said", "said_", "2" }
    local cs2, g2 = core.cue_set(odd), core.gazetteer(odd, { icase = true })
    for _, s in ipairs({ "A a. i said 9AM 9am9 x2 X2y _Q SAID said_ 2 22 a2 I", "a", "I said", "_q\nsaid" }) do
      assert.same(g2:scan(s), cs2:scan(s))
    end
  end)

  it("reads long texts (sixty-four bytes at a time) as the gazetteer does", function()
    local cs = core.cue_set(phrases)
    local g = core.gazetteer(phrases, { icase = true })
    local pieces = { "said", "SAYS", "told", "reporters", "according", "to", "in the words of", " ", "  ",
                     "\n", "\n\n", ", ", ".", "\226\128\156", "\226\128\157", "\226\128\153s", "\226\128\148",
                     "caf\195\169", "\196\176N", "\208\152\208\178\208\176\208\189", "\228\184\173\230\150\135",
                     "\255", "\0", "\226\128", "\195", "abcdefghijklmnopq", "x", "_", "9", "the", "he", "\t",
                     "\208\189\208\176\209\129\209\130\208\190\209\143\209\137\208\184\208\181",
                     "\206\187\206\173\206\190\206\183", "\216\185\216\177\216\168\217\138", "\128", "\208",
                     "\196\176", "\195\151", "\227\128\129" }
    local pick = rng.new(12345)
    for _ = 1, 150 do
      local parts = {}
      for k = 1, pick(120) + 20 do
        parts[k] = pick(3) == 1 and pieces[pick(5)] or pieces[pick(#pieces)]
      end
      local s = table.concat(parts)
      assert.same(g:scan(s), cs:scan(s))
      for i = 1, 80, 7 do
        assert.same(g:scan(s, i, #s - i), cs:scan(s, i, #s - i))
      end
    end
  end)

  it("scans the ranges of core.prose_ranges: the hits that start inside one", function()
    local cs = core.cue_set(phrases)
    local text = "He said so. Menu told\nreporters x. It was, according\nto Ann, over. Told.\nsaid it."
    local blocks = {}
    for a, b in text:gmatch("()[^.]+%.()") do blocks[#blocks + 1] = { i = a, j = b - 1 } end
    blocks[2].kind = "menu"
    blocks[4].kind = "menu"
    local ranges = core.prose_ranges(text, blocks)
    assert.equal(3, #ranges)
    -- the whole scan's hits that start inside a range
    local all, want = cs:scan(text, 1, #text), {}
    for k = 1, #all, 3 do
      for r = 1, #ranges do
        local i, j = ranges:get(r)
        if all[k] >= i and all[k] <= j then
          for x = 0, 2 do want[#want + 1] = all[k + x] end
        end
      end
    end
    assert.same({ 4, 7, 1, 18, 31, 6, 44, 55, 2, 68, 71, 3, 74, 77, 1 }, all)
    assert.same({ 4, 7, 1, 44, 55, 2, 74, 77, 1 }, want)
    assert.same(want, cs:scan(text, ranges))
    assert.same({}, cs:scan(text, (core.prose_ranges(text, {}))))
    -- a phrase from before a range takes the range's first word
    local two = core.cue_set({ "told reporters", "reporters said" })
    local t2 = "Ok. told\nreporters said it."
    local r2 = core.prose_ranges(t2, { { i = 1, j = 3 }, { i = 5, j = 8, kind = "menu" }, { i = 9, j = #t2 } })
    assert.same({ 5, 18, 1 }, two:scan(t2))
    assert.same({ 10, 23, 2 }, two:scan(t2, 10))
    assert.same({}, two:scan(t2, r2))
  end)

  it("keeps the hits in C (a lede.QuoteInts) with packed, for quote_blocks and sentence_runs", function()
    local cs = core.cue_set(phrases)
    -- few hits, and enough to fill the buffer several times
    for _, n in ipairs({ 1, 5, 40, 300 }) do
      local parts = {}
      for k = 1, n do parts[k] = (k % 3 == 0 and "Menu told\n" or "") .. (k % 2 == 0 and "It rained all day.\n" or "") .. "He said so, according to Ann." end
      local text = table.concat(parts, "\n")
      local blocks = {}
      for a, b in text:gmatch("()[^\n]+()") do blocks[#blocks + 1] = { i = a, j = b - 1, kind = "body" } end
      local ranges = core.prose_ranges(text, blocks)
      local hits = cs:scan(text, ranges)
      local packed = cs:scan(text, ranges, true)
      assert.matches("lede.QuoteInts", tostring(packed))
      assert.same(hits, array(packed))
      assert.is_true(#hits >= 3 * n)
      local quotes = core.quotes(text, 1, -1, { blocks = ranges, nested = false })
      local wanted = core.quote_blocks(ranges, hits, quotes)
      assert.same(wanted, core.quote_blocks(ranges, packed, quotes))
      local sents = core.block_sentences(text, blocks, {}, { kind = "body" })
      assert.same(core.sentence_runs(text, sents, ranges, ranges, wanted, hits, { [2] = true }, quotes),
        core.sentence_runs(text, sents, ranges, ranges, wanted, packed, { [2] = true }, quotes))
      -- the wanted flags kept in C too: a 1 or 0 per range
      local wflags = core.quote_blocks(ranges, packed, quotes, true)
      assert.matches("lede.QuoteInts", tostring(wflags))
      assert.equal(#ranges, #wflags)
      for r = 1, #ranges do assert.equal(wanted[r] and 1 or 0, wflags[r]) end
      if n > 1 then assert.equal(0, wflags[2]) end
      assert.same(core.sentence_runs(text, sents, ranges, ranges, wanted, hits, { [2] = true }, quotes),
        core.sentence_runs(text, sents, ranges, ranges, wflags, packed, { [2] = true }, quotes))
      local function stream(w)
        local tk = { n = 0, q = {}, cue = {}, k = {}, s = {}, e = {}, w = {}, l = {}, cap = {}, para = {},
                     abbrevs = {}, cuewords = { said = true } }
        core.quote_tokens(text, ranges, quotes, nil, w, tk, nil, {})
        return { tk.k, tk.s, tk.e }
      end
      assert.same(stream(wanted), stream(wflags))
    end
    -- packed only with ranges
    assert.same({ 4, 7, 1 }, cs:scan("He said so.", 1, -1))
  end)

  it("gives 1-based inclusive positions and the phrase's index", function()
    local cs = core.cue_set(phrases)
    assert.same({ 4, 7, 1, 9, 20, 2 }, cs:scan("He said according to X"))
    assert.same({}, cs:scan("He sai", 1, 6))
    assert.same({}, cs:scan("He said", 1, 6)) -- a word that goes on past j
    assert.same({}, cs:scan("unsaid", 3)) -- nor one that starts before i
  end)

  it("gives every hit of a long text, in order", function()
    local cs = core.cue_set(phrases)
    local g = core.gazetteer(phrases, { icase = true })
    local s = string.rep("he said’s “told” according to x ", 150)
    local hits = cs:scan(s)
    assert.equal(3 * 450, #hits)
    assert.same(g:scan(s), hits)
  end)

  it("takes the lowest index among phrases of the same words", function()
    local cs = core.cue_set({ "told  reporters", "said", "told reporters" })
    assert.same({ 1, 14, 1 }, cs:scan("told reporters"))
  end)

  it("returns nil and a message for phrases that are not plain words", function()
    local cs, msg = core.cue_set({ "said", "don't say" })
    assert.is_nil(cs)
    assert.equal("cue_set: phrase 2 is not plain words", msg)
    assert.is_nil(core.cue_set({ "" }))
    assert.is_nil(core.cue_set({ "éclat" }))
    assert.is_nil(core.cue_set({ "a b c d e f g h i" }))
  end)

  it("raises on misuse and once closed", function()
    assert.has_error(function() core.cue_set({ "a", 5 }) end, "cue_set: phrase 2 must be a string, got number")
    assert.has_error(function() core.cue_set("said") end)
    local cs = core.cue_set({ "said" })
    assert.equal("lede.CueSet(1 phrases)", tostring(cs))
    assert.has_error(function() cs:scan(nil) end)
    cs:close()
    cs:close()
    assert.has_error(function() cs:scan("said") end, "lede.CueSet is closed")
  end)
end)

describe("core.quote_blocks", function()
  it("marks the blocks with a hit and the block where each quote opens (or the next)", function()
    local ranges = { { 1, 10 }, { 20, 30 }, { 40, 50 }, { 60, 70 } }
    local hits = { 22, 25, 1, 27, 29, 2, 65, 68, 1 }
    local quotes = { { open = 15 }, { open = 45 } }
    assert.same({ [2] = true, [3] = true, [4] = true }, core.quote_blocks(ranges, hits, quotes))
    assert.same({}, core.quote_blocks(ranges, { 12, 13, 1, 80, 81, 1 }, { { open = 90 } }))
    assert.same({}, core.quote_blocks({}, hits, quotes))
  end)

  it("fills the packed flags given again when they have room", function()
    local text = "One said. Two.\n\nThree said."
    local blocks = {}
    for a, b in text:gmatch("()[^\n]+()") do blocks[#blocks + 1] = { i = a, j = b - 1, kind = "body" } end
    local ranges = core.prose_ranges(text, blocks)
    local w = core.quote_blocks(ranges, { 5, 8, 1 }, {}, true)
    assert.same({ 1, 0 }, { w[1], w[2] })
    local again = core.quote_blocks(ranges, { 22, 25, 1 }, {}, true, w)
    assert.equal(w, again)
    assert.same({ 0, 1 }, { again[1], again[2] })
    -- the hits are never filled: new flags
    local hits = core.cue_set({ "said" }):scan(text, ranges, true)
    local other = core.quote_blocks(ranges, hits, {}, true, hits)
    assert.are_not.equal(hits, other)
    assert.same({ 1, 1 }, { other[1], other[2] })
    -- the hits of a scan, filled again
    local h2 = core.cue_set({ "two" }):scan(text, ranges, true, hits)
    assert.equal(hits, h2)
    assert.same({ 11, 13 }, { h2[1], h2[2] })
    assert.equal(3, #h2)
  end)

  it("raises on bad ranges and quotes", function()
    assert.has_error(function() core.quote_blocks({ 5 }, { 1, 2, 1 }, {}) end,
      "quote_blocks: range 1 must be a table {i, j}, got number")
    assert.has_error(function() core.quote_blocks({ { 1, 2 } }, {}, { 7 }) end,
      "quote_blocks: quote 1 must be a table, got number")
    assert.has_error(function() core.quote_blocks({ { 1, 2 } }, {}, { {} }) end,
      "quote_blocks: quote 1 has no open position")
    assert.has_error(function() core.quote_blocks(nil, {}, {}) end)
  end)
end)

describe("core.abbrev_set", function()
  it("holds the string keys whose value is true, compared byte for byte", function()
    local a = core.abbrev_set({ ["Mr."] = true, ["e.g."] = true, ["No."] = false, [1] = true, ["é."] = true })
    assert.is_true(a:has("Mr."))
    assert.is_true(a:has("e.g."))
    assert.is_true(a:has("é."))
    assert.is_false(a:has("mr."))
    assert.is_false(a:has("No."))
    assert.is_false(a:has("Mr"))
    assert.is_false(a:has(""))
    assert.matches("lede.AbbrevSet%(3 keys%)", tostring(a))
  end)

  it("holds keys with NUL bytes and many keys", function()
    local t = { ["a\0b."] = true }
    for k = 1, 5000 do t["w" .. k .. "."] = true end
    local a = core.abbrev_set(t)
    assert.is_true(a:has("a\0b."))
    assert.is_false(a:has("a\0c."))
    assert.is_true(a:has("w4999."))
    assert.is_false(a:has("w5001."))
    assert.is_false(core.abbrev_set({}):has("x."))
  end)

  it("raises on a bad argument and after close", function()
    assert.has_error(function() core.abbrev_set("x") end)
    local a = core.abbrev_set({ ["x."] = true })
    getmetatable(a).__gc(a)
    getmetatable(a).__gc(a)
    assert.has_error(function() a:has("x.") end, "closed")
    assert.matches("closed", tostring(a))
  end)
end)

describe("core.body_sentences", function()
  local ABBREVS = { ["Mr."] = true, ["Dr."] = true, ["St."] = true, ["a.\u{200B}B."] = true }
  local SET = core.abbrev_set(ABBREVS)

  local function check(s, blocks, opts)
    local want = core.block_sentences(s, blocks, ABBREVS, opts)
    local got = core.body_sentences(s, blocks, SET, opts)
    assert.are.same(want, array(got))
    assert.is_nil(got[#got + 1])
    assert.is_nil(got[0])
    assert.is_nil(got.i)
    return got
  end

  it("cuts the sentences core.block_sentences cuts, as records on access", function()
    local s = "Menu Home\nMr. Smith came. He left!\nOne more here. 3.5 percent said “no.” Then ’twas"
      .. " over.\nFooter."
    local blocks = {
      { i = 1, j = 9, kind = "menu" }, { i = 11, j = 32, kind = "body" },
      { i = 34, j = #s - 8, kind = "body" }, { i = #s - 6, j = #s, kind = "footer" },
    }
    local got = check(s, blocks, { kind = "body" })
    assert.is_true(#got >= 4)
    assert.same({ i = 11, j = 25, block = 2 }, got[1])
    check(s, blocks)
    check(s, blocks, { lines = false })
    assert.matches("lede.Sentences%(%d+ sentences%)", tostring(got))
  end)

  it("cuts as core.block_sentences on generated text: marks, abbreviations, initialisms, breaks", function()
    local pieces = { "Mr.", "Dr.", "St.", "U.S.", "J.", "e.g.", "word", "Word", "3.5", "“Quote.”", "(x.)",
                     "a.\u{200B}B.", "?!", "...", "…", ".", "!", "?", "\n", "\n\n", "\r\n", " ", "  ", "\u{2029}",
                     "\u{200B}", "\u{A0}", "é.", "Éa", "日本。", "x\0y.", "\xff.", "\xc3", "_a", "1.", "[A.]" }
    local rnd = rng.new(7)
    for _ = 1, 300 do
      local parts = {}
      for k = 1, rnd(40) do
        parts[k] = pieces[rnd(#pieces)]
        if rnd(3) > 1 then parts[k] = parts[k] .. " " end
      end
      local s = table.concat(parts)
      local blocks = { { i = 1, j = #s, kind = "body" } }
      local cut = rnd(#s + 1)
      if cut <= #s then
        blocks = { { i = 1, j = cut - 1, kind = "body" }, { i = cut, j = #s, kind = rnd(2) == 1 and "body" or "menu" } }
      end
      check(s, blocks, { kind = "body" })
      check(s, blocks, { kind = "body", lines = false })
    end
  end)

  it("cuts a long token of initials behind invisible characters as core.block_sentences does", function()
    -- each full stop ends a sentence, and the token before it grows: it is
    -- not looked up once it is longer than every abbreviation
    local s = string.rep("A.\u{200B}", 20000)
    local blocks = { { i = 1, j = #s } }
    local got = core.body_sentences(s, blocks, SET)
    local want = core.block_sentences(s, blocks, ABBREVS)
    assert.equal(19999, #got)
    assert.equal(#want, #got)
    assert.same(want[1], got[1])
    assert.same(want[#want], got[#got])
  end)

  it("takes no abbreviations, empty text and ranges past the ends", function()
    local s = "Mr. Smith came."
    assert.are.same(core.block_sentences(s, { { i = 1, j = #s } }),
      array(core.body_sentences(s, { { i = 1, j = #s } })))
    assert.equal(0, #core.body_sentences("", { { i = 1, j = 0 } }))
    check(s, { { i = -100, j = 100 } })
    check(s, { { i = 5, j = 2 } })
    check(s, {})
  end)

  it("stands for its records in core.sentence_runs", function()
    local s = "One. Two said. Three. Four.\nFive said. Six."
    local blocks = { { i = 1, j = 27, kind = "body" }, { i = 29, j = #s, kind = "body" } }
    local ranges = core.prose_ranges(s, blocks)
    local hits = { 10, 13, 1, 34, 37, 1 }
    local quotes = { { open = 16, close = 21, stop = 20 } }
    local store = core.body_sentences(s, blocks, SET, { kind = "body" })
    local tbl = core.block_sentences(s, blocks, ABBREVS, { kind = "body" })
    local want = core.sentence_runs(s, tbl, ranges, ranges, { true, true }, hits, {}, quotes)
    assert.is_true(#want > 0)
    assert.same(want, core.sentence_runs(s, store, ranges, ranges, { true, true }, hits, {}, quotes))
    assert.same(core.sentence_runs(s, tbl, ranges, ranges, { true }, hits, {}, {}),
      core.sentence_runs(s, store, ranges, ranges, { true }, hits, {}, {}))
    -- it cut only the blocks it read; all of them when asked
    assert.are.same(tbl, array(store))
    assert.same(want, core.sentence_runs(s, store, ranges, ranges, { true, true }, hits, {}, quotes))
    -- block indices as a table, and a fresh store
    local fresh = core.body_sentences(s, blocks, SET, { kind = "body" })
    assert.same(core.sentence_runs(s, tbl, { { 1, 27 }, { 29, #s } }, { 1, 2 }, { true, true }, hits, {}, quotes),
      core.sentence_runs(s, fresh, { { 1, 27 }, { 29, #s } }, { 1, 2 }, { true, true }, hits, {}, quotes))
    assert.are.same(tbl, array(fresh))
    assert.equal(#tbl, #core.body_sentences(s, blocks, SET, { kind = "body" }))
  end)

  it("reads a block when it cuts it, and raises then on a bad one", function()
    local blocks = { { i = 1, j = 2, kind = "body" }, { i = 4, j = 5, kind = "body" } }
    local st = core.body_sentences("A. B.", blocks, nil, { kind = "body" })
    blocks[2].kind = "menu"
    assert.same({ { i = 1, j = 2, block = 1 } }, array(st))
    assert.has_error(function() return #core.body_sentences("x", { 1 }) end,
      "body_sentences: block 1 must be a table, got number")
    assert.has_error(function() return #core.body_sentences("x", { {} }) end,
      "body_sentences: block 1 needs numbers i and j")
    assert.has_error(function() return core.body_sentences("x", { { i = 1.5, j = 2 } })[1] end,
      "body_sentences: block 1 needs integer positions i and j")
    assert.has_error(function() return tostring(core.body_sentences("x", { "x" })) end,
      "body_sentences: block 1 must be a table, got string")
    -- a block of another kind is not read
    assert.equal(0, #core.body_sentences("x", { { kind = "menu" } }, nil, { kind = "body" }))
  end)

  it("raises on bad arguments, and after close", function()
    assert.has_error(function() core.body_sentences("x", {}, {}) end,
      "bad argument #3 to 'body_sentences' (lede.AbbrevSet expected, got table)")
    assert.has_error(function() core.body_sentences("x", {}, nil, { nope = 1 }) end,
      "body_sentences: unknown option 'nope'")
    assert.has_error(function() core.body_sentences("x", {}, nil, { lines = 1 }) end,
      "body_sentences: option 'lines' must be a boolean, got number")
    assert.has_error(function() core.body_sentences("x", {}, nil, { kind = 1 }) end,
      "body_sentences: option 'kind' must be a string, got number")
    local st = core.body_sentences("A. B.", { { i = 1, j = 5 } })
    getmetatable(st).__gc(st)
    getmetatable(st).__gc(st)
    assert.has_error(function() return #st end, "closed")
    assert.has_error(function() return st[1] end, "closed")
    assert.has_error(function() core.sentence_runs("A. B.", st, {}, {}, {}, {}, {}, {}) end, "closed")
  end)
end)

describe("core.quote_resolver", function()
  local function sorter(ms) table.sort(ms, function(a, b) return a.i < b.i end) end

  it("resolves a pronoun and a name, and adds the pronoun to the entity's mentions", function()
    local resolve = core.quote_resolver({ pronouns = { he = "m" }, first_names = { john = "m" },
                                          sort_mentions = sorter })
    local text = "John Smith spoke. “Yes,” he said. “No,” John Smith said."
    local y1, y2 = text:find("Yes", 1, true)
    local h = text:find("he said", 1, true)
    local n1, n2 = text:find("No", 1, true)
    local s2 = text:find("John Smith said", 1, true)
    local E = { name = "John Smith", type = "person", roles = {}, mentions = {} }
    local mentions = { { i = 1, j = 10, entity = E }, { i = s2, j = s2 + 9, entity = E } }
    E.mentions = { { i = 1, j = 10, text = "John Smith" }, { i = s2, j = s2 + 9, text = "John Smith" } }
    local found = {
      { i = y1, j = y2, kind = "direct", text = "Yes", para = 1, nwords = 1,
        np = { kind = "pronoun", i = h, j = h + 1, pron = "he" } },
      { i = n1, j = n2, kind = "direct", text = "No", para = 1, nwords = 1,
        np = { kind = "name", i = s2, j = s2 + 9, name = "John Smith" } },
    }
    local quotes = { { open = y1 - 3, close = y2 + 4 }, { open = n1 - 3, close = n2 + 4 } }
    local out = {}
    resolve(mentions, found, quotes, { 1 }, text, out, { E }, nil, 4)
    assert.equal(2, #out)
    assert.equal("John Smith", out[1].speaker)
    assert.equal("he", out[1].speaker_text)
    assert.equal("John Smith", out[2].speaker)
    assert.equal("John Smith", out[2].speaker_text)
    assert.equal(3, #E.mentions)
    assert.same({ i = h, j = h + 1, text = "he" }, E.mentions[2])
    -- the next call starts anew: without the mentions, nobody is he
    local out2 = {}
    resolve(nil, { found[1] }, quotes, { 1 }, text, out2, nil, {}, 4)
    assert.equal(1, #out2)
    assert.is_nil(out2[1].speaker)
  end)

  it("raises on lists that are no tables and records of the wrong shape", function()
    assert.has_error(function() core.quote_resolver({ pronouns = 5, sort_mentions = sorter }) end,
      "quote_resolver: lists.pronouns is not a table")
    assert.has_error(function() core.quote_resolver({}) end,
      "quote_resolver: lists.sort_mentions is not a function")
    local resolve = core.quote_resolver({ sort_mentions = sorter })
    local found = { { i = 1, j = 2, para = 1, np = { kind = "name", i = 1, j = 2, name = "Ab" } } }
    assert.has_error(function() resolve({ { j = 2 } }, found, {}, { 1 }, "Ab", {}, nil, nil, 4) end,
      "quote_resolver: a mention without its 'i'")
    assert.has_error(function() resolve(nil, found, { {} }, { 1 }, "Ab", {}, nil, nil, 4) end,
      "quote_resolver: a quote without its 'open'")
  end)
end)

describe("core.quotes with packed = true", function()
  local texts = {
    'He said “hello there,” and ‘x’ then “a\n\n“b” end.” Also "q" and “unclosed',
    "She said “we will win.” Then left.\n\n“Again,” he said.\n\n“Long one\n\n“goes on” here.",
    "The players’ union said 'no' and ‘yes’ and the ’90s and «Guillemets» „German“.",
    "",
    "No marks at all here.",
  }
  local FIELDS = { "start", "stop", "open", "close", "close_mark", "parts" }

  it("holds the records core.quotes makes with brief = true", function()
    for _, text in ipairs(texts) do
      for _, nested in ipairs({ false, true }) do
        local t = core.quotes(text, 1, -1, { brief = true, nested = nested })
        local l = core.quotes(text, 1, -1, { brief = true, nested = nested, packed = true })
        assert.matches("lede.QuoteList", tostring(l))
        assert.equal(#t, #l)
        for k = 1, #t do
          local got = l:get(k)
          for _, f in ipairs(FIELDS) do assert.same(t[k][f], got[f]) end
        end
        assert.is_nil(l:get(0))
        assert.is_nil(l:get(#t + 1))
      end
    end
  end)

  it("fills the list given as into again, the parts of the text before gone", function()
    local l = core.quotes(texts[2], 1, -1, { nested = false, packed = true })
    assert.is_table(l:get(3).parts)
    local again = core.quotes(texts[3], 1, -1, { nested = false, packed = true, into = l })
    assert.equal(l, again)
    local t = core.quotes(texts[3], 1, -1, { nested = false, brief = true })
    assert.equal(#t, #l)
    for k = 1, #t do
      local got = l:get(k)
      for _, f in ipairs(FIELDS) do assert.same(t[k][f], got[f]) end
    end
    assert.equal(0, #core.quotes("", 1, -1, { packed = true, into = l }))
  end)

  it("stands for the records in quote_blocks, sentence_runs and quote_tokens", function()
    local text = "Intro line.\n\nShe said “we will win.” Then left.\n\nMenu\n\n“Again,” he said. Fine." ..
                 "\n\n“One\n\n“two” three.” Done."
    local blocks = {}
    for a, b in text:gmatch("()[^\n]+()") do blocks[#blocks + 1] = { i = a, j = b - 1, kind = "body" } end
    local sents = core.block_sentences(text, blocks, {}, { kind = "body" })
    local ranges = core.prose_ranges(text, blocks)
    local t = core.quotes(text, 1, -1, { blocks = ranges, nested = false, brief = true })
    local l = core.quotes(text, 1, -1, { blocks = ranges, nested = false, packed = true })
    assert.equal(#t, #l)
    local hits = {}
    for a, z in text:gmatch("()said()") do
      hits[#hits + 1] = a; hits[#hits + 1] = z - 1; hits[#hits + 1] = 1
    end
    local w = core.quote_blocks(ranges, hits, t)
    assert.same(w, core.quote_blocks(ranges, hits, l))
    local runs = core.sentence_runs(text, sents, ranges, ranges, w, hits, {}, t)
    assert.same(runs, core.sentence_runs(text, sents, ranges, ranges, w, hits, {}, l))
    local function tokens(quotes)
      local tk = { n = 0, k = {}, s = {}, e = {}, w = {}, l = {}, cap = {}, para = {}, q = {}, cue = {},
                   abbrevs = {}, cuewords = { said = true } }
      local cues = core.quote_tokens(text, ranges, quotes, runs, w, tk, nil, {})
      return { cues, tk.k, tk.s, tk.e, tk.para, tk.q }
    end
    assert.same(tokens(t), tokens(l))
    assert.is_true(#t >= 3)
    assert.is_number(l:get(1).token)
    for k = 1, #t do
      assert.equal(t[k].token, l:get(k).token)
      assert.equal(t[k].para, l:get(k).para)
    end
  end)

  it("raises on a bad option and once closed", function()
    assert.has_error(function() core.quotes("x", 1, -1, { packed = 1 }) end,
      "core.quotes: opts.packed must be a boolean")
    assert.has_error(function() core.quotes("x", 1, -1, { packed = true, into = {} }) end,
      "core.quotes: opts.into must be a lede.QuoteList")
    local l = core.quotes("“a”", 1, -1, { packed = true })
    getmetatable(l).__gc(l)
    getmetatable(l).__gc(l)
    assert.equal(0, #l)
    assert.matches("closed", tostring(l))
    assert.has_error(function() l:get(1) end, "closed")
    assert.has_error(function() core.quotes("x", 1, -1, { packed = true, into = l }) end, "closed")
    assert.has_error(function() core.quote_blocks({}, {}, l) end, "closed")
  end)
end)
