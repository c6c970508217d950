local lede = require "lede"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function squash(s)
  return (s:gsub("\194\160", " "):gsub("%s+", ""))
end

describe("lede.new", function()
  it("builds an extractor", function()
    local ex = lede.new()
    assert.equals("function", type(ex.extract))
    assert.matches("^lede%.Extractor", tostring(ex))
  end)

  it("raises on an unknown option, naming it", function()
    local ok, err = pcall(lede.new, { rulez = {} })
    assert.is_false(ok)
    assert.matches("unknown option 'rulez'", err)
  end)

  it("leaves out the stages a caller turns off, keeping their fields", function()
    local seed = read("examples/seed.txt")
    local full = lede.new():extract(seed)
    local ex = lede.new { entities = false }
    assert.is_nil(ex.modules.entities)
    local doc = ex:extract(seed)
    assert.same({}, doc.entities)
    assert.equals(full.body, doc.body)
    assert.same(full.meta, doc.meta)
    -- quotes still run: speakers come from the quote's own words
    assert.equals(#full.quotes, #doc.quotes)
    doc = lede.new({ entities = false, quotes = false }):extract(seed)
    assert.same({}, doc.entities)
    assert.same({}, doc.quotes)
    assert.equals(full.body, doc.body)
  end)

  it("keeps its word caches bounded over many documents", function()
    local ex = lede.new { quotes = false }
    local st = ex.states.entities
    st.english_seen_max = 50
    for d = 1, 20 do
      local words = {}
      for k = 1, 10 do words[k] = "Zq" .. string.char(96 + d) .. string.char(96 + k) .. "x" end
      ex:extract("The visit of " .. table.concat(words, " saw ") .. " was noted.", { clean = false })
      assert.is_true(st.english_seen_n <= 50)
    end
    assert.is_true(st.english_seen_n > 0)
    -- (the hashed sets keep the answers in C: the state's table is only
    -- for sets without them)
    assert.is_nil(next(st.english_seen))
  end)

  it("raises on a stage switch that is not a boolean", function()
    local ok, err = pcall(lede.new, { quotes = "no" })
    assert.is_false(ok)
    assert.matches("'quotes' must be a boolean", err)
  end)
end)

describe("extractor:extract", function()
  local ex = lede.new()

  it("raises on a non-string text", function()
    local ok, err = pcall(ex.extract, ex, 42)
    assert.is_false(ok)
    assert.matches("text must be a string, got number", err)
  end)

  it("raises on an unknown option", function()
    local ok, err = pcall(ex.extract, ex, "x", { cleen = false })
    assert.is_false(ok)
    assert.matches("unknown option 'cleen'", err)
  end)

  it("gives an empty document for empty input", function()
    local doc = ex:extract("")
    assert.equals("", doc.body)
    assert.same({}, doc.blocks)
    assert.same({}, doc.entities)
    assert.same({}, doc.quotes)
    assert.equals("table", type(doc.meta))
  end)

  it("accepts invalid UTF-8, NUL bytes and binary junk, and maps blocks back", function()
    local junk = {}
    for i = 0, 2047 do junk[#junk + 1] = string.char((i * 7919) % 256) end
    local inputs = {
      "Caf\xE9 au lait is served here every morning, the owner said.\n\nBad \xC3\x28 byte.",
      "NUL\0inside a line of text that goes on for a while.\n",
      table.concat(junk),
      "\239\187\191BOM first line.\r\nSecond line.\r\n",
    }
    for _, input in ipairs(inputs) do
      local doc = ex:extract(input)
      for _, b in ipairs(doc.blocks) do
        assert.is_true(b.start >= 1 and b.stop <= #input and b.start <= b.stop)
        assert.is_true(utf8.len(b.text) ~= nil, "block text is valid UTF-8")
      end
      assert.is_true(utf8.len(doc.body) ~= nil)
    end
  end)

  it("handles a 5 MB single line", function()
    local line = string.rep("The minister said the talks went well and will go on. ", 100000)
    local doc = ex:extract(line)
    assert.equals(1, #doc.blocks)
    assert.equals(#line, doc.blocks[1].stop + 1) -- trailing space trimmed
  end)

  it("keeps everything as body with clean = false", function()
    local text = "Listen Live\n\nGet short URL\n\nThe minister spoke."
    local doc = ex:extract(text, { clean = false })
    for _, b in ipairs(doc.blocks) do
      assert.equals("body", b.kind)
      assert.equals("input:clean", b.rule)
    end
    assert.equals("Listen Live\n\nGet short URL\n\nThe minister spoke.", doc.body)
  end)

  it("sets the source", function()
    assert.equals("x.txt", ex:extract("Hello.", { source = "x.txt" }).source)
  end)

  it("gives the next document what a new extractor gives after a run cut short by an error", function()
    -- (the stages keep tables from one document to the next; an error at any
    -- point of a run, here raised by a count hook in their Lua code, must not
    -- leave them half changed for the next document)
    local json, sethook = require "lede.formats.json", debug.sethook
    local seed = read("examples/seed.txt")
    local other = "Wang Yi, the Chinese Foreign Minister, met Ba Dianjun in Beijing.\n\n" ..
      "\"We will talk again,\" Wang said. Dianjun said the talks went well.\n\n" ..
      "The Chinese expert added: \"It is a start.\""
    local want = json.encode(lede.new():extract(other))
    local long = lede.new()
    -- (the Lua instructions of a run of the seed, counted in hundreds: about
    -- 120 points spread over the run are tried)
    local hundreds = 0
    sethook(function() hundreds = hundreds + 1 end, "", 100)
    long:extract(seed)
    sethook()
    local step = math.max(1, math.floor(hundreds * 100 / 120))
    local cut = 0
    for k = 1, hundreds * 100 + 2 * step, step do
      local ok = pcall(function()
        sethook(function() sethook(); error("cut short") end, "", k)
        long:extract(seed)
        sethook()
      end)
      sethook()
      if not ok then
        cut = cut + 1
        assert.equals(want, json.encode(long:extract(other)))
      end
    end
    assert.is_true(cut > 50)
  end)
end)

describe("extractor:extract_many", function()
  local json = require "lede.formats.json"
  local seed = read("examples/seed.txt")
  local other = "Wang Yi, the Chinese Foreign Minister, met Ba Dianjun in Beijing.\n\n" ..
    "\"We will talk again,\" Wang said. Dianjun said the talks went well.\n\n" ..
    "The Chinese expert added: \"It is a start.\""
  local short = "Menu\nHome\n" .. ("The council voted on the budget on Tuesday night. "):rep(6)

  it("gives, in order, the documents extract gives, across batches", function()
    local items, want = {}, {}
    local one = lede.new()
    for k = 1, 75 do
      local text = ({ seed, other, short, "", "\0\255 junk" })[k % 5 + 1]
      if k % 3 == 0 then
        items[k] = { text = text, source = "doc" .. k, url = "https://sputniknews.com/x/" .. k }
        want[k] = json.encode(one:extract(text, { source = "doc" .. k,
          url = "https://sputniknews.com/x/" .. k }))
      else
        items[k] = text
        want[k] = json.encode(one:extract(text))
      end
    end
    local docs, failed = lede.new():extract_many(items)
    assert.is_nil(failed)
    assert.equals(75, #docs)
    for k = 1, 75 do assert.equals(want[k], json.encode(docs[k])) end
  end)

  it("applies options for every document, an item's own winning", function()
    local docs = lede.new():extract_many({ short, { text = short, clean = true, source = "b" } },
                                         { clean = false, source = "all" })
    assert.equals("all", docs[1].source)
    assert.equals("b", docs[2].source)
    for _, b in ipairs(docs[1].blocks) do assert.equals("body", b.kind) end
    assert.are_not.equal("body", docs[2].blocks[1].kind)
  end)

  it("takes a document of more than a batch's bytes alone", function()
    local big = ("A sentence of the long article, with words in it. "):rep(30000)
    local docs = lede.new():extract_many({ other, big, other })
    assert.equals(3, #docs)
    assert.equals(json.encode(lede.new():extract(big)), json.encode(docs[2]))
    assert.equals(json.encode(docs[1]), json.encode(docs[3]))
  end)

  it("returns an empty array for no items", function()
    local docs, failed = lede.new():extract_many({})
    assert.same({}, docs)
    assert.is_nil(failed)
  end)

  it("reports a document whose extraction raises, and extracts the others", function()
    local ex = lede.new({ rules = { "spec/fixtures/bp/catastrophic.lua" } })
    local bad = ("a"):rep(5000) .. "b"
    local docs, failed = ex:extract_many({ other, bad, short, bad, seed })
    assert.equals(5, #docs)
    assert.is_false(docs[2])
    assert.is_false(docs[4])
    assert.matches("catastrophic.lua:4", failed[2], 1, true)
    assert.matches("limit exceeded", failed[4], 1, true)
    assert.is_nil(failed[1])
    local fresh = lede.new({ rules = { "spec/fixtures/bp/catastrophic.lua" } })
    assert.equals(json.encode(fresh:extract(other)), json.encode(docs[1]))
    assert.equals(json.encode(fresh:extract(short)), json.encode(docs[3]))
    assert.equals(json.encode(fresh:extract(seed)), json.encode(docs[5]))
  end)

  it("raises on malformed items and options, naming the item", function()
    local ex = lede.new()
    local function err(...)
      local ok, e = pcall(ex.extract_many, ex, ...)
      assert.is_false(ok)
      return e
    end
    assert.matches("items must be an array, got string", err("text"))
    assert.matches("item 2 must be a string or a table, got number", err({ "a", 7 }))
    assert.matches("item 1: text must be a string, got nil", err({ { source = "x" } }))
    assert.matches("item 2: unknown option 'lang'", err({ "a", { text = "b", lang = "en" } }))
    assert.matches("unknown option 'bogus'", err({ "a" }, { bogus = true }))
  end)
end)

describe("lede.extract", function()
  it("uses a default extractor", function()
    local doc = lede.extract("A sentence of text here.\n")
    assert.equals("A sentence of text here.", doc.body)
  end)
end)

describe("lede ABI check", function()
  it("refuses a core built for another Lua", function()
    local saved_core, saved_lede = package.loaded["lede.core"], package.loaded["lede"]
    package.loaded["lede.core"] = { LUA_VERSION_NUM = 501, version = "x" }
    package.loaded["lede"] = nil
    local ok, err = pcall(require, "lede")
    package.loaded["lede.core"], package.loaded["lede"] = saved_core, saved_lede
    assert.is_false(ok)
    assert.matches("built for Lua 5%.1", err)
  end)
end)

describe("the seed article", function()
  local cjson = require "cjson"
  local input = read("examples/seed.txt")
  local gold = cjson.decode(read("spec/fixtures/seed.gold.json"))
  local doc = lede.extract(input, { source = "examples/seed.txt" })

  local function fold(s)
    return (s:gsub("\194\160", " "):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
  end

  it("has the gold body paragraphs, in order", function()
    local body = {}
    for _, b in ipairs(doc.blocks) do
      if b.kind == "body" then body[#body + 1] = fold(b.text) end
    end
    local want = {}
    for i, p in ipairs(gold.body) do want[i] = fold(p) end
    assert.same(want, body)
    assert.equals(table.concat(want, "\n\n"), doc.body)
  end)

  it("keeps every gold boilerplate line out of the body", function()
    for _, line in ipairs(gold.boilerplate) do
      assert.is_nil(doc.body:find(fold(line), 1, true), line)
    end
  end)

  it("labels every dropped block with a kind and a rule", function()
    for _, b in ipairs(doc.blocks) do
      if b.kind ~= "body" then
        assert.is_string(b.rule)
        assert.is_true(#b.rule > 0)
      end
    end
  end)

  it("maps every block back to the input bytes", function()
    local nbsp = 0
    for _, b in ipairs(doc.blocks) do
      local orig = input:sub(b.start, b.stop)
      assert.equals(squash(b.text), squash(orig))
      assert.is_nil(b.text:find("\194\160", 1, true))
      if orig:find("\194\160", 1, true) then nbsp = nbsp + 1 end
    end
    assert.is_true(nbsp >= 5, "original bytes keep their U+00A0")
  end)

  it("gives entities, mentions, quotes and blocks exactly the documented fields", function()
    local function only(t, allowed, what)
      for k in pairs(t) do
        assert.is_true(allowed[k] == true, what .. " has an undocumented field " .. tostring(k))
      end
    end
    local ENTITY = { name = true, type = true, aliases = true, roles = true, mentions = true }
    local MENTION = { text = true, start = true, stop = true }
    local QUOTE = { text = true, kind = true, speaker = true, speaker_text = true, cue = true,
                    start = true, stop = true }
    local BLOCK = { text = true, start = true, stop = true, kind = true, rule = true }
    assert.is_true(#doc.entities > 0)
    assert.is_true(#doc.quotes > 0)
    for _, e in ipairs(doc.entities) do
      only(e, ENTITY, "an entity")
      assert.is_table(e.aliases)
      assert.is_table(e.roles)
      assert.is_true(#e.mentions > 0)
      for _, m in ipairs(e.mentions) do
        only(m, MENTION, "a mention")
        assert.equals(squash(m.text), squash(input:sub(m.start, m.stop)))
      end
    end
    for _, q in ipairs(doc.quotes) do
      only(q, QUOTE, "a quote")
      assert.is_true(q.start <= q.stop)
    end
    for _, b in ipairs(doc.blocks) do only(b, BLOCK, "a block") end
  end)
end)
