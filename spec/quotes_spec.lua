--- Specs for lede.quotes: quotes, their speakers and positions.
local lede = require "lede"
local pipeline = require "lede.pipeline"
local quotes = require "lede.quotes"
local rng = require "support.rng"

local SEED = "../shared/examples/000_6fea872e61a50aa0.txt"
local GOLD = "../shared/gold/000_6fea872e61a50aa0.json"
local FIXTURES = "spec/fixtures/quotes/"

-- The Lua VM instructions (in thousands) of extracting text, and the
-- document: a measure of cost that does not depend on the machine's load.
local function vm_cost(text, opts)
  local ex = lede.new()
  local count = 0
  debug.sethook(function() count = count + 1 end, "", 1000)
  local doc = ex:extract(text, opts)
  debug.sethook()
  return count, doc
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- A small JSON reader for the gold file (objects, arrays, strings, numbers,
-- true/false/null).
local function json_decode(s)
  local pos = 1
  local value
  local function ws() pos = s:find("[^ \t\r\n]", pos) or #s + 1 end
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = s:sub(pos, pos)
      if c == '"' then pos = pos + 1 break end
      if c == "\\" then
        local e = s:sub(pos + 1, pos + 1)
        if e == "u" then
          local cp = tonumber(s:sub(pos + 2, pos + 5), 16)
          out[#out + 1] = utf8.char(cp)
          pos = pos + 6
        else
          out[#out + 1] = ({ n = "\n", t = "\t", r = "\r", b = "\b", f = "\f" })[e] or e
          pos = pos + 2
        end
      else
        out[#out + 1] = c
        pos = pos + 1
      end
    end
    return table.concat(out)
  end
  function value()
    ws()
    local c = s:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1
      ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1 return t end
      while true do
        ws()
        local k = str()
        ws()
        pos = pos + 1 -- :
        t[k] = value()
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "}" then return t end
      end
    elseif c == "[" then
      local t = {}
      pos = pos + 1
      ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1 return t end
      while true do
        t[#t + 1] = value()
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "]" then return t end
      end
    elseif c == '"' then
      return str()
    elseif s:sub(pos, pos + 3) == "true" then pos = pos + 4 return true
    elseif s:sub(pos, pos + 4) == "false" then pos = pos + 5 return false
    elseif s:sub(pos, pos + 3) == "null" then pos = pos + 4 return nil
    end
    local num = s:match("^-?[%d%.eE+-]+", pos)
    pos = pos + #num
    return tonumber(num)
  end
  return value()
end

-- Runs the stages up to quotes over text as clean input (every block is
-- body). entities = false leaves lede.entities out, so that the stage's own
-- name reading is used.
local extractor
local function run(text, entities)
  extractor = extractor or pipeline.new()
  local ctx = { input = text, opts = { clean = false } }
  local steps = { { "normalize", "run" }, { "segment", "run" }, { "segment", "sentences" } }
  if entities ~= false then steps[#steps + 1] = { "entities", "run" } end
  for _, step in ipairs(steps) do
    extractor.modules[step[1]][step[2]](ctx, extractor.states[step[1]])
  end
  quotes.run(ctx, extractor.states.quotes)
  return ctx.quotes, ctx
end

local function starts(s, prefix) return s:sub(1, #prefix) == prefix end

-- Checks found quotes against expected ones, in order, and no more.
local function check(found, expected, name)
  for k, want in ipairs(expected) do
    local q = found[k]
    assert(q, ("%s: quote %d (%s) missing"):format(name, k, want.starts_with))
    local where = ("%s: quote %d"):format(name, k)
    assert(starts(q.text, want.starts_with),
      ("%s: text %q does not start with %q"):format(where, q.text:sub(1, 60), want.starts_with))
    assert.equal(want.kind, q.kind, where .. " kind")
    assert.equal(want.speaker, q.speaker, where .. " speaker")
    assert.equal(want.speaker_text, q.speaker_text, where .. " speaker_text")
    assert.equal(want.cue, q.cue, where .. " cue")
    if want.paragraphs then
      local _, breaks = q.text:gsub("\n\n", "")
      assert.equal(want.paragraphs, breaks + 1, where .. " paragraphs")
    end
    if want.ends_with then
      assert.equal(want.ends_with, q.text:sub(-#want.ends_with), where .. " end")
    end
  end
  assert.equal(#expected, #found, name .. ": number of quotes")
end

local function normalised(s)
  return (s:gsub("\194\160", " "):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

describe("lede.quotes on the seed article", function()
  local input = read(SEED)
  local gold = json_decode(read(GOLD))
  local doc = lede.extract(input)

  it("finds the gold's quotes with their kind, cue, speaker and text, and no others", function()
    check(doc.quotes, gold.quotes, "seed")
  end)

  it("resolves the five ways Ba Dianjun is written to him", function()
    local seen = {}
    for _, q in ipairs(doc.quotes) do
      if q.speaker == "Ba Dianjun" then seen[q.speaker_text] = true end
    end
    for _, t in ipairs({ "Ba Dianjun", "He", "the political observer", "Dianjun", "the Chinese expert" }) do
      assert.is_true(seen[t], t)
    end
  end)

  it("adds the speakers written as pronouns and descriptions to the entity's mentions", function()
    local ba
    for _, e in ipairs(doc.entities) do
      if e.name == "Ba Dianjun" then ba = e end
    end
    assert.is_table(ba)
    local texts, last = {}, 0
    for _, m in ipairs(ba.mentions) do
      assert.equal(m.text, input:sub(m.start, m.stop))
      assert.is_true(m.start > last, "mentions in text order")
      last = m.start
      texts[m.text] = true
    end
    for _, g in ipairs(gold.entities) do
      if g.name == "Ba Dianjun" then
        for _, t in ipairs(g.mentions) do assert.is_true(texts[t], t) end
      end
    end
  end)

  it("maps every quote back to the input bytes", function()
    for _, q in ipairs(doc.quotes) do
      assert.equal(q.text, normalised(input:sub(q.start, q.stop)))
    end
  end)

  it("finds no quote in the related headlines, even when they are read as body", function()
    local found = run(input)
    check(found, gold.quotes, "seed as clean text")
  end)

  it("gives the same answers without lede.entities", function()
    check(run(input, false), gold.quotes, "seed without entities")
  end)

  it("leaves in ctx.quotes the fields of a quote only", function()
    local FIELDS = { text = true, kind = true, speaker = true, speaker_text = true, cue = true, i = true,
                     j = true, parts = true }
    for _, entities in ipairs({ true, false }) do
      local found = run(input, entities)
      assert.is_true(#found > 0)
      for k, q in ipairs(found) do
        for key in pairs(q) do assert.is_true(FIELDS[key], ("quote %d: field %s"):format(k, key)) end
        assert.is_string(q.text)
        assert.is_number(q.i)
        assert.is_number(q.j)
      end
    end
  end)
end)

describe("lede.quotes on wire copy", function()
  for _, name in ipairs({ "ceasefire", "speech", "briefing" }) do
    local text = read(FIXTURES .. name .. ".txt")
    local expected = dofile(FIXTURES .. name .. ".lua")
    it(name .. ": every quote with its speaker", function()
      check(lede.extract(text, { clean = false }).quotes, expected, name)
    end)
    it(name .. ": the same without lede.entities", function()
      check(run(text, false), expected, name .. " without entities")
    end)
    it(name .. ": positions give the quote's text back", function()
      local found, ctx = run(text)
      for _, q in ipairs(found) do
        if not q.parts then
          assert.equal(q.text, normalised(ctx.text:sub(q.i, q.j)))
        end
      end
    end)
  end
end)

describe("lede.quotes patterns", function()
  local function one(text)
    local found = run(text, false)
    assert.equal(1, #found, text)
    return found[1]
  end

  it("reads X said that ...", function()
    local q = one("Mayor Jane Doe said on Monday that the bridge would reopen in May.")
    assert.same({ "indirect", "Jane Doe", "said", "the bridge would reopen in May" },
      { q.kind, q.speaker, q.cue, q.text })
  end)

  it("reads X told Y (that) ...", function()
    local q = one("Police chief Tom Reyes told the Associated Press that two men were arrested.")
    assert.same({ "Tom Reyes", "told", "two men were arrested" }, { q.speaker, q.cue, q.text })
    q = one("Tom Reyes told reporters the suspects had fled.")
    assert.same({ "Tom Reyes", "the suspects had fled" }, { q.speaker, q.text })
  end)

  it("reads According to X, ... and ..., according to X.", function()
    local q = one("According to the ministry, exports rose 4% in May.")
    assert.same({ "According to", "the ministry", "exports rose 4% in May" }, { q.cue, q.speaker_text, q.text })
    q = one("Exports rose 4% in May, according to Maria Lopez.")
    assert.same({ "according to", "Maria Lopez", "Exports rose 4% in May" }, { q.cue, q.speaker, q.text })
  end)

  it("reads ..., X said. and ..., said X.", function()
    local q = one("The fire is under control, Chief Ann Park said.")
    assert.same({ "Ann Park", "said", "The fire is under control" }, { q.speaker, q.cue, q.text })
    q = one("The fire is under control, said Ann Park.")
    assert.same({ "Ann Park", "said" }, { q.speaker, q.cue })
  end)

  it("reads other reporting verbs, inflected", function()
    for _, verb in ipairs({ "stressed", "noted", "added", "warned", "believes", "insisted", "argues",
                            "pointed out" }) do
      local q = one("Ann Park " .. verb .. " that the plan would fail.")
      assert.equal(verb, q.cue)
      assert.equal("Ann Park", q.speaker)
    end
  end)

  it("does not take opinions, passives or refusals for reported speech", function()
    assert.same({}, run("Ann Park considers the plan desirable.", false))
    assert.same({}, run("Ann Park was told that the plan would fail.", false))
    assert.same({}, run("Ann Park declined to comment on the plan.", false))
    assert.same({}, run("It is believed that the plan will fail.", false))
    assert.same({}, run("The man who said that the plan would fail left.", false))
  end)

  it("keeps unnamed sources unresolved with their words", function()
    local q = one("A source familiar with the matter said the deal was close.")
    assert.is_nil(q.speaker)
    assert.equal("A source familiar with the matter", q.speaker_text)
    q = one("“The deal is close,” officials said.")
    assert.is_nil(q.speaker)
    assert.equal("officials", q.speaker_text)
  end)

  it("resolves they to an organisation that just spoke, never to unnamed people", function()
    local found = run("Acme Corp said on Monday that profits rose 4% in the third quarter. " ..
                      "They added that sales in Asia had doubled.\n\n" ..
                      "Political observers said the vote was close. They noted that turnout was low.", false)
    assert.equal(4, #found)
    assert.same({ "Acme Corp", "They" }, { found[2].speaker, found[2].speaker_text })
    assert.is_nil(found[4].speaker)
    assert.equal("They", found[4].speaker_text)
  end)

  it("attributes a quote after its speaker's verb and colon", function()
    local q = one("Ann Park said: “We will rebuild.”")
    assert.same({ "direct", "Ann Park", "said", "We will rebuild." }, { q.kind, q.speaker, q.cue, q.text })
  end)

  it("attributes a quote followed by according to X", function()
    local q = one("“The plant will close in March,” according to Maria Lopez, the union's regional head.")
    assert.same({ "direct", "Maria Lopez", "according to" }, { q.kind, q.speaker, q.cue })
  end)

  it("gives a quote after an inverted attribution to its speaker", function()
    local found = run("“We are ready,” said Ann Park, adding: “The team has trained for months.”", false)
    assert.equal(2, #found)
    assert.same({ "Ann Park", "said" }, { found[2].speaker, found[2].cue })
  end)

  it("gives an interrupted quote's second half to the same speaker", function()
    local found = run("“We will rebuild,” Ann Park said, “whatever it costs.”", false)
    assert.equal(2, #found)
    assert.equal("Ann Park", found[2].speaker)
  end)

  it("reads titles, ages and appositions around an inverted name", function()
    local q = one("“We will appeal,” said Mr. Smith, 45, a lawyer for the family.")
    assert.same({ "Smith", "Smith", "said" }, { q.speaker, q.speaker_text, q.cue })
    q = one("“Thank you,” said Maxi Moving's vice president, Ivan Cheptenari.")
    assert.equal("Ivan Cheptenari", q.speaker)
    q = one("“Organics matter,” said planetary geologist Rosaly Lopes of NASA.")
    assert.equal("Rosaly Lopes", q.speaker)
  end)

  it("finds the speaker after a long apposition", function()
    local q = one("“It works,” Dylan Nelson, a postdoctoral fellow at the Max Planck Institute in " ..
                  "Munich, Germany, and co-author of the study, said in a statement.")
    assert.equal("Dylan Nelson", q.speaker)
    q = one("“It works,” JPL scientist and study co-author Michael Malaska said.")
    assert.equal("Michael Malaska", q.speaker)
  end)

  it("resolves a description it has no role for to the person just written about", function()
    local found = run("Mary Steenburgen won the award on Sunday. “I am thrilled,” the 66-year-old said.", false)
    assert.equal(1, #found)
    assert.same({ "Mary Steenburgen", "the 66-year-old" }, { found[1].speaker, found[1].speaker_text })
  end)

  it("keeps a single unnamed source unnamed when a description returns to it", function()
    local found = run("Ann Park left the court on Friday.\n\n“He is not entitled to silence,” said one legal " ..
                      "expert. “His friendship was a mistake,” the expert warned.", false)
    assert.equal(2, #found)
    assert.is_nil(found[2].speaker)
    assert.equal("the expert", found[2].speaker_text)
  end)

  it("does not read a capitalised verb inside a name", function()
    assert.same({}, run("The service has films from Pixar, “Star Wars,” Marvel Studios and Disney.", false))
  end)

  it("attributes a quote signed after a dash", function()
    local q = one("“The move was fast and cheap.” — Leslie, a customer in Denver.")
    assert.same({ "Leslie", "Leslie" }, { q.speaker, q.speaker_text })
    assert.is_nil(q.cue)
  end)

  it("attributes a quote over several paragraphs by the verb after its end", function()
    local q = one("“We have a plan for the city.\n\n“It starts with the buses.\n\n" ..
                  "“And it ends with the trains,” Mayor Ann Lee said on Monday.\n\nCritics were not convinced.")
    assert.same({ "Ann Lee", "said" }, { q.speaker, q.cue })
    assert.equal("We have a plan for the city.\n\nIt starts with the buses.\n\nAnd it ends with the trains", q.text)
  end)

  it("leaves scare quotes and titles alone", function()
    assert.same({}, run("The so-called “peace dividend” never came.", false))
    assert.same({}, run("She starred in “Wild Rose” last year.", false))
  end)

  it("gives a quote standing alone to the speaker of the reported speech before it", function()
    local found = run("Ann Park said the plan was sound.\n\n“We have done our homework.”", false)
    assert.equal(2, #found)
    assert.same({ "direct", "Ann Park" }, { found[2].kind, found[2].speaker })
    assert.is_nil(found[2].speaker_text)
  end)

  it("keeps a quote with no speaker at all", function()
    local q = one("Nobody claimed the letter. “We know where you live.”")
    assert.same({ "direct", "We know where you live." }, { q.kind, q.text })
    assert.is_nil(q.speaker)
    assert.is_nil(q.speaker_text)
    assert.is_nil(q.cue)
  end)

  it("skips headline blocks", function()
    assert.same({}, run("South Korea Pledges Not to 'Develop or Own' Nuclear Weapons", false))
    assert.same({}, run("Volker says he didn't realize the link", false))
  end)

  it("survives empty text, invalid UTF-8 and NUL bytes", function()
    assert.same({}, run("", false))
    local found = run("Ann Park said \255\0 that the plan \254 would fail. “Yes\0,” she said.", false)
    assert.is_table(found)
  end)
end)

describe("lede.quotes in a text in another language", function()
  -- (the stages up to quotes, with the language set as lede.classify sets it)
  local function run_in(text, language)
    extractor = extractor or pipeline.new()
    local ctx = { input = text, opts = { clean = false } }
    for _, step in ipairs({ { "normalize", "run" }, { "segment", "run" }, { "segment", "sentences" } }) do
      extractor.modules[step[1]][step[2]](ctx, extractor.states[step[1]])
    end
    ctx.language = language
    extractor.modules.entities.run(ctx, extractor.states.entities)
    quotes.run(ctx, extractor.states.quotes)
    return ctx.quotes
  end

  it("keeps a direct quote without the speaker an English reading makes up", function()
    local text = "Les autorités françaises sont toujours sans nouvelles. "
      .. "«Pour certains d’entre eux on est très interrogatif», a ajouté Laurent Fabius."
    local q = run_in(text, "en")[1]
    assert.same({ "direct", "Les", "Les" }, { q.kind, q.speaker, q.speaker_text })
    local found = run_in(text, "fr")
    assert.equals(1, #found)
    assert.same({ "direct", "Pour certains d’entre eux on est très interrogatif" }, { found[1].kind, found[1].text })
    assert.is_nil(found[1].speaker)
    assert.is_nil(found[1].speaker_text)
  end)

  it("keeps a speaker that is an entity of the text, and reads no reported speech", function()
    local text = "Le ministre Laurent Fabius a parlé jeudi. «Nous sommes toujours en train de dénombrer les "
      .. "personnes sauvées», said Laurent Fabius. Laurent Fabius said that the count would take days."
    assert.equals(2, #run_in(text, "en"))
    local found = run_in(text, "fr")
    assert.equals(1, #found)
    assert.same({ "direct", "Laurent Fabius", "said" }, { found[1].kind, found[1].speaker, found[1].cue })
  end)
end)

describe("lede.quotes.compile", function()
  it("takes extra reporting verbs from the lists", function()
    local st = quotes.compile({ lists = { reporting_verbs = { { "harrumph", "harrumphs", "harrumphed",
      "harrumphing", bare = true } } } })
    local ctx = { text = "Ann Park harrumphed that the plan would fail.",
                  blocks = { { i = 1, j = 45, kind = "body" } } }
    quotes.run(ctx, st)
    assert.equal(1, #ctx.quotes)
    assert.equal("harrumphed", ctx.quotes[1].cue)
  end)

  it("takes them from a user's list given to lede.new", function()
    local ex = lede.new({ lists = { { reporting_verbs = { { "harrumph", "harrumphs", "harrumphed",
      "harrumphing", bare = true } }, speech = { source_cues = { "as reported by" } } } } })
    local doc = ex:extract("Ann Park harrumphed that the plan would fail.\n\n" ..
                           "As reported by the Daily Mail, the plan failed.", { clean = false })
    assert.equal(2, #doc.quotes)
    assert.equal("harrumphed", doc.quotes[1].cue)
    assert.equal("As reported by", doc.quotes[2].cue)
  end)

  it("rejects a malformed verb entry, naming it", function()
    assert.has_error(function() quotes.compile({ lists = { reporting_verbs = { "say" } } }) end,
      "lists.reporting_verbs[1]: a reporting verb is an array of forms, lemma first")
    assert.has_error(function() quotes.compile({ lists = { reporting_verbs = { { "say", loud = true } } } }) end,
      "lists.reporting_verbs[1]: unknown key 'loud'")
  end)

  it("ships at least 100 reporting verbs", function()
    assert.is_true(#require("lede.lists.reporting_verbs") >= 100)
  end)
end)

describe("lede.quotes on a long sentence of quotes", function()
  local function cost(n)
    return (vm_cost("The minister of the board " ..
      ("and “we will win this war today and tomorrow” "):rep(n) .. "today.", { clean = false }))
  end

  it("stays linear in the number of quotes", function()
    local a, b = cost(500), cost(2000)
    assert.is_true(b < 6 * a, ("4x the quotes cost %.1fx"):format(b / a))
  end)
end)

describe("lede.quotes on many quotes of one speaker", function()
  -- each "He" is a mention of Lee added to his mentions: checked against
  -- them once, not one by one
  local function cost(n)
    return vm_cost(("He said “we will win” and Mr. Lee told reporters that it was over. "):rep(n))
  end

  it("stays linear in the number of mentions", function()
    local a = cost(250)
    local b, doc = cost(1000)
    assert.is_true(b < 6 * a, ("4x the quotes cost %.1fx"):format(b / a))
    assert.is_true(#doc.quotes >= 1000)
  end)
end)

describe("core.quote_parser", function()
  local core = require "lede.core"
  local st = lede.new().states.quotes

  -- The token records of text (one block) and what the parser finds there.
  local function parse(text, packed, no_q)
    local ranges = { { 1, #text } }
    local qs = {}
    for _, q in ipairs(core.quotes(text, 1, -1, { blocks = ranges, nested = false })) do
      if q.level == 1 then qs[#qs + 1] = q end
    end
    local tk = { n = 0, q = {}, records = true, abbrevs = st.abbrevs, cuewords = st.cuewords,
                 cuefilter = st.parser.cuefilter, packed = packed }
    if no_q then tk.q = nil end
    local cl, sents, recs = core.quote_tokens(text, ranges, qs, nil, nil, tk, nil, {})
    st.parser.bind(recs, text, nil, tk.n)
    local found = {}
    st.parser.speech(qs, sents, cl, found, st.min_fragment, st.min_unattributed)
    return found, st.parser.names(), qs
  end

  it("finds quotes and reported speech in text order, with 1-based positions", function()
    local text = "Ann Park said that the plan would fail. “It will not work,” said Bob Lee."
    local found = parse(text)
    local info = st.parser.info
    assert.equals(2, #found)
    assert.equals("indirect", found[1].kind)
    assert.equals("the plan would fail", text:sub(found[1].i, found[1].j))
    assert.equals("name", info(1).np.kind)
    assert.equals("Ann Park", info(1).np.name)
    assert.equals("Ann Park", text:sub(info(1).np.i, info(1).np.j))
    assert.equals(1, info(1).para)
    assert.equals("said", found[1].cue)
    assert.equals("direct", found[2].kind)
    assert.equals("It will not work", found[2].text)
    assert.equals("Bob Lee", info(2).np.name)
    assert.equals(4, info(2).nwords)
    assert.equals(#text, info(2).send)
    assert.is_nil(info(3))
    -- the records hold the fields of ctx.quotes only; the rest stays in C
    assert.is_nil(found[1].np)
    assert.is_nil(found[2].para)
  end)

  it("keeps a description's head and role, a pronoun, and who inherits a speaker", function()
    local text = "The Chinese expert said that it would rain. “It will,” he said. " ..
                 "“It will rain all week long.”"
    local found = parse(text)
    local info = st.parser.info
    assert.equals(3, #found)
    local d = info(1).np
    assert.equals("desc", d.kind)
    assert.equals("expert", d.head)
    assert.equals("china", d.nat)
    assert.is_true(d.definite)
    assert.is_false(d.plural)
    assert.equals("pronoun", info(2).np.kind)
    assert.equals("he", info(2).np.pron)
    assert.is_nil(info(3).np)
    assert.equals(2, info(3).inherit)
    -- the resolver reads them from P.side
    local found2, names, qs = parse(text)
    local out = {}
    st.resolve(nil, found2, qs, { 1 }, text, out, nil, names, st.min_unattributed, st.parser.side)
    assert.equals(3, #out)
    assert.equals("The Chinese expert", out[1].speaker_text)
    assert.equals("he", out[2].speaker_text)
    assert.is_nil(out[3].speaker_text)
    assert.equals("It will rain all week long.", out[3].text)
    assert.is_nil(out[1].np)
    assert.has_error(function()
      st.resolve(nil, { found2[1] }, qs, { 1 }, text, {}, nil, names, st.min_unattributed, st.parser.side)
    end, "quote_resolver: 1 records found, the parser kept 3")
    assert.has_error(function()
      st.resolve(nil, {}, qs, { 1 }, text, {}, nil, names, st.min_unattributed, {})
    end, "bad argument #10 to 'resolve' (lede.QuoteSpeech expected)")
    -- a quote alone: the speaker of the quote before, if any
    parse("“It will rain all week long.”")
    assert.equals("previous", info(1).inherit)
    assert.is_nil(info(1).np)
  end)

  it("reads names with their roles when there are no entities", function()
    local _, names = parse("The plan failed, spokesperson Mao Ning told reporters on Monday.")
    assert.equals(1, #names)
    assert.equals("Mao Ning", names[1].name)
    assert.same({ "spokesperson" }, names[1].roles)
  end)

  it("survives invalid UTF-8, NUL bytes and a text of marks", function()
    assert.same({}, (parse("\255\254\0 \0")))
    assert.is_table(parse("Ann Park said \255\0 that the plan \254 would fail. “Yes\0,” she said."))
    assert.is_table(parse(("“" .. ("\226\128"):rep(3) .. "said ”, "):rep(200)))
  end)

  it("reads the cue words and sentences of quote_tokens kept in C (tk.packed) as their tables", function()
    local texts = {
      "Ann Park said that the plan would fail. “It will not work,” said Bob Lee.",
      "“We will win,” he said. Mr. Lee told reporters that the U.S. plan was dead. According to "
        .. "officials, it is over. “Yes.” “No,” she added.\n\nThe expert noted that it was late.",
      "The plan failed, spokesperson Mao Ning told reporters on Monday.",
    }
    for _, text in ipairs(texts) do
      local a, na = parse(text)
      local b, nb = parse(text, true)
      assert.same(a, b)
      assert.same(na, nb)
      local c, nc = parse(text, true, true)
      assert.same(a, c)
      assert.same(na, nc)
    end
    assert.is_true(#parse(texts[2], true) >= 3)
    -- what it returns: #a and a[k] as the tables
    local text = texts[2]
    local function run(packed)
      local tk = { n = 0, q = {}, records = true, abbrevs = st.abbrevs, cuewords = st.cuewords,
                   cuefilter = st.parser.cuefilter, packed = packed }
      local qs = core.quotes(text, 1, -1, { blocks = { { 1, #text } }, nested = false })
      local cl, sents = core.quote_tokens(text, { { 1, #text } }, qs, nil, nil, tk, nil, {})
      local out = {}
      for _, t in ipairs({ cl, sents }) do
        local arr = {}
        for k = 1, #t do arr[k] = t[k] end
        assert.is_nil(t[#t + 1])
        out[#out + 1] = arr
      end
      return out, cl
    end
    local plain = run(false)
    local packed, cl = run(true)
    assert.same(plain, packed)
    assert.is_true(#plain[1] > 0 and #plain[2] > 0)
    assert.matches("lede.QuoteInts", tostring(cl))
    assert.is_nil(cl[0])
    assert.is_nil(cl.x)
  end)

  it("marks the same cue words with the parser's cue filter as without it", function()
    -- cue words in every case, with "'s" and "’s", long and short, and at
    -- the very end of the text (fewer than eight bytes after them)
    local words = { "said", "SAID", "Said", "says", "told", "TOLD", "according", "According", "added",
                    "noted", "it's", "said's", "Said’s", "that's", "he", "warned", "the", "x", "Ann",
                    "insisted", "INSISTED", "explained", "é", "saidx", "sai", "to", "\255" }
    local rnd = rng.new(99)
    local function cues(text, filter)
      local tk = { n = 0, q = {}, records = true, abbrevs = st.abbrevs, cuewords = st.cuewords,
                   cuefilter = filter and st.parser.cuefilter or nil }
      local cl = core.quote_tokens(text, { { 1, #text } }, {}, nil, nil, tk, nil, {})
      local out = {}
      for k = 1, #cl do out[k] = cl[k] end
      return out
    end
    local marked = 0
    for _ = 1, 200 do
      local parts = {}
      for k = 1, rnd(12) do parts[k] = words[rnd(#words)] end
      local text = table.concat(parts, rnd(2) == 1 and " " or ", ")
      local a, b = cues(text, true), cues(text, false)
      assert.same(b, a)
      marked = marked + #a
    end
    assert.is_true(marked > 100)
  end)

  it("raises when not bound to a token stream", function()
    local p = core.quote_parser({})
    assert.has_error(function() p.speech({}, {}, {}, {}, 3, 4) end,
      "speech: the parser is not bound to a token stream")
    assert.has_error(function() p.names() end, "names: the parser is not bound to a token stream")
  end)

  it("raises when bound to more tokens than the records hold", function()
    local tk = { n = 0, q = {}, records = true, abbrevs = {}, cuewords = {} }
    local _, _, recs = core.quote_tokens("a b", { { 1, 3 } }, {}, nil, nil, tk, nil, {})
    assert.has_error(function() st.parser.bind(recs, "a b", nil, 1e6) end,
      "quote_parser.bind: 1000000 tokens do not fit the records")
  end)
end)

describe("lede.quotes on many people, each quoted by role", function()
  -- "the expert" is looked for among the people seen before: past a few
  -- hundred, among the most recently mentioned only
  local first = { "John", "Mary", "Peter", "Anna", "David", "Laura", "Mark", "Susan", "Paul", "Emma" }
  local function name(k)
    local s, n = "", k
    repeat
      s = s .. string.char(97 + n % 26)
      n = math.floor(n / 26)
    until n == 0
    return first[k % 10 + 1] .. " " .. s:sub(1, 1):upper() .. s:sub(2) .. "son"
  end
  local function cost(n)
    local parts = {}
    for k = 1, n do
      parts[k] = name(k) .. ", a senior economist at the bank, spoke on Monday. "
        .. "“Prices will rise again next year,” the expert said."
    end
    return vm_cost(table.concat(parts, "\n\n"))
  end

  it("stays linear in the number of people and resolves every description", function()
    local a = cost(400)
    local b, doc = cost(1600)
    assert.is_true(b < 6 * a, ("4x the people cost %.1fx"):format(b / a))
    assert.equal(1600, #doc.quotes)
    assert.equal(name(1), doc.quotes[1].speaker)
    for k = 1, #doc.quotes do assert.is_string(doc.quotes[k].speaker) end
  end)
end)

describe("lede.quotes between documents", function()
  it("keeps no record of a document in the arrays it reuses", function()
    local ex = lede.new()
    local doc = ex:extract("Ba Dianjun, a Chinese expert, spoke on Monday. Ba Dianjun said the talks "
      .. "would go on.\n\n“The three states need each other,” the Chinese expert said.")
    assert.is_true(#doc.quotes > 0)
    local st = ex.states.quotes
    assert.is_nil(next(st.found))
    -- the people of the first document are nobody's speakers in the next
    local other = "“The talks will go on,” the Chinese expert said. He added that they went well."
    local want = lede.new():extract(other).quotes
    local got = ex:extract(other).quotes
    assert.same(want, got)
    assert.is_nil(got[1].speaker)
  end)
end)
