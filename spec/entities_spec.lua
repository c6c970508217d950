-- Specs for lede.entities: the seed article against its gold, and news
-- paragraphs written for these specs (spec/fixtures/entities/*.txt, with the
-- expected entities in the .lua beside each) scored for precision and recall.

local entities = require "lede.entities"
local normalize = require "lede.normalize"
local segment = require "lede.segment"
local classify = require "lede.classify"
local rng = require "support.rng"

local FIXTURES = "spec/fixtures/entities/"
local SEED = "../shared/examples/000_6fea872e61a50aa0.txt"
local SEED_GOLD = "spec/fixtures/seed.gold.json"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local state = entities.compile({})
local nstate, sstate = normalize.compile({}), segment.compile({})
local cstate

-- A ctx through the stages before this one; `clean` false: every block is body.
local function context(input, clean)
  local ctx = { input = input, opts = { clean = clean } }
  normalize.run(ctx, nstate)
  segment.run(ctx, sstate)
  if clean ~= false then
    cstate = cstate or classify.compile({})
    classify.run(ctx, cstate)
  end
  segment.sentences(ctx, sstate)
  return ctx
end

local function extract(input, clean, st)
  local ctx = context(input, clean)
  entities.run(ctx, st or state)
  return ctx
end

local WANTED = { person = true, organization = true, place = true }

local function names_of(e)
  local t = { [e.name] = true }
  for _, a in ipairs(e.aliases or {}) do t[a] = true end
  return t
end

-- Matches found entities to expected ones (name or alias, same type).
local function score(found, expected, optional)
  local used, hits, missing = {}, {}, {}
  for _, x in ipairs(expected) do
    local hit
    for k, e in ipairs(found) do
      if not used[k] and e.type == x[2] and names_of(e)[x[1]] then
        hit = k
        break
      end
    end
    if hit then
      used[hit] = true
      hits[#hits + 1] = { x, found[hit] }
    else
      missing[#missing + 1] = x[1] .. " (" .. x[2] .. ")"
    end
  end
  local extra = {}
  local opt = {}
  for _, o in ipairs(optional or {}) do opt[o] = true end
  for k, e in ipairs(found) do
    if not used[k] and WANTED[e.type] then
      local optional_hit = false
      for n in pairs(names_of(e)) do if opt[n] then optional_hit = true end end
      if not optional_hit then extra[#extra + 1] = e.name .. " (" .. e.type .. ")" end
    end
  end
  local tp = #hits
  local p = tp + #extra > 0 and tp / (tp + #extra) or 1
  local r = #expected > 0 and tp / #expected or 1
  local f1 = p + r > 0 and 2 * p * r / (p + r) or 0
  return { hits = hits, missing = missing, extra = extra, tp = tp, p = p, r = r, f1 = f1 }
end

local function texts(mentions)
  local out = {}
  for _, m in ipairs(mentions) do out[#out + 1] = m.text end
  return out
end

-- Every text of `want` is among `have` (as a multiset).
local function contains_all(have, want)
  local count = {}
  for _, t in ipairs(have) do count[t] = (count[t] or 0) + 1 end
  for _, t in ipairs(want) do
    if not count[t] or count[t] == 0 then return false, t end
    count[t] = count[t] - 1
  end
  return true
end

local function fixture_names()
  local out = {}
  local p = io.popen('ls "' .. FIXTURES .. '"')
  for name in p:lines() do
    local base = name:match("^(.+)%.txt$")
    if base then out[#out + 1] = base end
  end
  p:close()
  table.sort(out)
  return out
end

-- The seed article's text, then every fixture's.
local function all_inputs()
  local inputs = { read(SEED) }
  for _, name in ipairs(fixture_names()) do inputs[#inputs + 1] = read(FIXTURES .. name .. ".txt") end
  return inputs
end

describe("lede.entities", function()
  describe("on the seed article", function()
    local input = read(SEED)
    local ctx = extract(input)
    local gold_src = read(SEED_GOLD)

    -- the gold's entities: name, type, roles (a small reader for this file's shape)
    local gold_entities = {}
    for block in gold_src:match('"entities": %[(.-)\n %]'):gmatch("{(.-)\n  }") do
      local e = { name = block:match('"name": "(.-)"'), type = block:match('"type": "(.-)"'), roles = {} }
      local roles = block:match('"roles": %[(.-)%]')
      if roles then for r in roles:gmatch('"(.-)"') do e.roles[#e.roles + 1] = r end end
      gold_entities[#gold_entities + 1] = e
    end

    it("reads 24 gold entities", function()
      assert.equals(24, #gold_entities)
    end)

    it("finds every gold entity with its type", function()
      local by = {}
      for _, e in ipairs(ctx.entities) do by[e.name] = e end
      for _, g in ipairs(gold_entities) do
        assert.is_truthy(by[g.name], "missing " .. g.name)
        assert.equals(g.type, by[g.name].type, g.name)
      end
    end)

    it("finds at most two further entities", function()
      local gold_names = {}
      for _, g in ipairs(gold_entities) do gold_names[g.name] = true end
      local extra = {}
      for _, e in ipairs(ctx.entities) do
        if WANTED[e.type] and not gold_names[e.name] then extra[#extra + 1] = e.name end
      end
      assert.is_true(#extra <= 2, table.concat(extra, ", "))
      for _, e in ipairs(ctx.entities) do
        assert.not_equals("THAAD", e.name)
        assert.not_equals("President", e.name)
      end
    end)

    it("gives the eight people the gold roles exactly", function()
      local by = {}
      for _, e in ipairs(ctx.entities) do by[e.name] = e end
      local people = 0
      for _, g in ipairs(gold_entities) do
        if g.type == "person" then
          people = people + 1
          assert.same(g.roles, by[g.name].roles)
        end
      end
      assert.equals(8, people)
    end)

    it("joins \"Dianjun\" to Ba Dianjun and \"Chinese\" to China", function()
      local by = {}
      for _, e in ipairs(ctx.entities) do by[e.name] = e end
      assert.is_truthy(names_of(by["Ba Dianjun"])["Dianjun"])
      assert.is_true(#by["Ba Dianjun"].mentions >= 4)
      assert.is_truthy(names_of(by["China"])["Chinese"])
      assert.is_truthy(names_of(by["United States"])["US"])
      assert.same({ "Obama" }, texts(by["Barack Obama"].mentions))
      assert.same({ "North Korean" }, texts(by["North Korea"].mentions))
    end)

    it("maps every mention back to the input", function()
      for _, e in ipairs(ctx.entities) do
        for _, m in ipairs(e.mentions) do
          assert.equals(m.text, ctx.text:sub(m.i, m.j))
          local start, stop = ctx.map:span(m.i, m.j)
          -- the input's bytes, odd spaces (U+00A0) and all
          assert.equals(m.text, (input:sub(start, stop):gsub("\194\160", " ")))
        end
      end
    end)

    it("sorts ctx.mentions and links each to its entity", function()
      local last = 0
      for _, m in ipairs(ctx.mentions) do
        assert.is_true(m.i > last)
        last = m.i
        assert.is_table(m.entity)
        assert.is_string(m.entity.name)
      end
    end)

    it("gives people a gender and a nationality where the text or the lists say", function()
      local by = {}
      for _, e in ipairs(ctx.entities) do by[e.name] = e end
      assert.equals("m", by["Andrei Karneev"].gender)
      assert.equals("f", by["Kang Kyung-wha"].gender)
      assert.equals("China", by["Wang Yi"].nationality)
      assert.equals("Chinese", by["Wang Yi"].demonym)
      assert.equals("United States", by["Donald Trump"].nationality)
    end)

    it("takes entities from body blocks only", function()
      -- the related headlines name "DMZ" and an "American": not in the body
      for _, e in ipairs(ctx.entities) do
        for _, m in ipairs(e.mentions) do
          local inside = false
          for _, b in ipairs(ctx.blocks) do
            if b.kind == "body" and m.i >= b.i and m.j <= b.j then inside = true end
          end
          assert.is_true(inside, m.text)
        end
      end
    end)
  end)

  describe("on news paragraphs", function()
    local totals = { tp = 0, expected = 0, found = 0 }
    for _, name in ipairs(fixture_names()) do
      local input = read(FIXTURES .. name .. ".txt")
      local want = dofile(FIXTURES .. name .. ".lua")
      local ctx = extract(input, false)
      local s = score(ctx.entities, want.entities, want.optional)
      totals.tp = totals.tp + s.tp
      totals.expected = totals.expected + #want.entities
      totals.found = totals.found + s.tp + #s.extra
      totals[#totals + 1] = string.format("  %-12s P=%.2f R=%.2f F1=%.2f", name, s.p, s.r, s.f1)

      it(name .. ": precision and recall of at least 0.75", function()
        local msg = string.format("%s P=%.2f R=%.2f F1=%.2f missing: %s; extra: %s", name, s.p, s.r, s.f1,
          table.concat(s.missing, ", "), table.concat(s.extra, ", "))
        assert.is_true(s.p >= 0.75 and s.r >= 0.75, msg)
      end)

      it(name .. ": roles and mentions as written", function()
        for _, h in ipairs(s.hits) do
          local x, e = h[1], h[2]
          if x.roles then assert.same(x.roles, e.roles, x[1]) end
          if x.roles_include then
            for _, r in ipairs(x.roles_include) do
              local ok = false
              for _, have in ipairs(e.roles) do if have == r then ok = true end end
              assert.is_true(ok, x[1] .. " lacks role " .. r)
            end
          end
          if x.mentions then
            local ok, lack = contains_all(texts(e.mentions), x.mentions)
            assert.is_true(ok, x[1] .. " lacks mention " .. tostring(lack))
          end
        end
      end)

      it(name .. ": no entity where none is meant", function()
        for _, e in ipairs(ctx.entities) do
          for _, a in ipairs(want.absent or {}) do
            assert.is_nil(names_of(e)[a], a .. " found as " .. e.name)
          end
        end
      end)

      it(name .. ": mentions map back to the input", function()
        for _, m in ipairs(ctx.mentions) do
          local start, stop = ctx.map:span(m.i, m.j)
          assert.equals(m.text, input:sub(start, stop))
        end
      end)
    end

    it("scores F1 of at least 0.85 over all paragraphs", function()
      local p = totals.tp / math.max(1, totals.found)
      local r = totals.tp / math.max(1, totals.expected)
      local f1 = 2 * p * r / math.max(1e-9, p + r)
      print("\n" .. table.concat(totals, "\n"))
      print(string.format("  entities over %d fixtures: P=%.3f R=%.3f F1=%.3f", #fixture_names(), p, r, f1))
      assert.is_true(f1 >= 0.85, string.format("P=%.3f R=%.3f F1=%.3f", p, r, f1))
    end)
  end)

  describe("rules", function()
    local function run(text)
      local ctx = extract(text, false)
      local by = {}
      for _, e in ipairs(ctx.entities) do by[e.name] = e end
      return by, ctx
    end

    it("joins a surname alone to the person named in full, before the lists' person", function()
      local by = run("Tim Morrison, a former White House official, testified on Thursday. Morrison said he was worried.")
      assert.same({ "Tim Morrison", "Morrison" }, texts(by["Tim Morrison"].mentions))
      assert.is_nil(by["Scott Morrison"])
      by = run("Morrison said the election would be held in May.")
      assert.same({ "Morrison" }, texts(by["Scott Morrison"].mentions))
    end)

    it("reads a known surname after an honorific and before a typographic possessive once", function()
      local by = run("But Mr. Trump continues to give mixed signals. Mr. Trump’s approach has not worked, Trump said.")
      assert.same({ "Trump", "Trump", "Trump" }, texts(by["Donald Trump"].mentions))
      assert.is_nil(by["Trump"])
    end)

    it("cuts possessives and reads names inside hyphenated compounds", function()
      local by = run("Obama's plan hurt China-South Korea relations and the US-South Korean alliance.")
      assert.same({ "Obama" }, texts(by["Barack Obama"].mentions))
      assert.same({ "China" }, texts(by["China"].mentions))
      assert.same({ "South Korea", "South Korean" }, texts(by["South Korea"].mentions))
      assert.same({ "US" }, texts(by["United States"].mentions))
    end)

    it("finds a person from a title, an apposition or a cue, with the role as written", function()
      local by = run("Deputy Mayor Ezinne Obiora met Yusuf Adeyemi, a senior economist at Lagos Business School. "
        .. "\"Prices are rising,\" said Chidi Okafor.")
      assert.same({ "Deputy Mayor" }, by["Ezinne Obiora"].roles)
      assert.same({ "senior economist at Lagos Business School" }, by["Yusuf Adeyemi"].roles)
      assert.equals("person", by["Chidi Okafor"].type)
      assert.equals("organization", by["Lagos Business School"].type)
    end)

    it("does not take capitalised phrases for people", function()
      local by = run("Fans watched the World Cup-style final. The Official Cybersecurity Summit opens today. "
        .. "Forward Never Stops and Empower doesn't either.")
      for name, e in pairs(by) do
        assert.not_equals("person", e.type, name)
      end
    end)

    it("reads a one-word name no list knows from the words around it", function()
      local by = run("Zorvex said on Monday it would cut jobs. Rival Quindar and the research firm Maltrek "
        .. "disagreed. Protests spread to Banvale, Tresko and Ulmi, and residents in Kasoro fled. "
        .. "Zorvex shares fell.")
      for _, name in ipairs({ "Zorvex", "Quindar", "Maltrek" }) do
        assert.equals("organization", by[name] and by[name].type, name)
      end
      assert.equals(2, #by["Zorvex"].mentions)
      for _, name in ipairs({ "Kasoro" }) do
        assert.equals("place", by[name] and by[name].type, name)
      end
    end)

    it("takes common English words for names only after a company word", function()
      local by = run("Shoppers liked the Magic Keyboard. Growth was strong in Marketing. "
        .. "Prosecutors said the firm Outlier had lied. Fans of the journal Nature cheered.")
      assert.is_nil(by["Magic Keyboard"])
      assert.is_nil(by["Marketing"])
      assert.is_nil(by["Prosecutors"])
      assert.equals("organization", by["Outlier"].type)
      assert.equals("organization", by["Nature"].type)
    end)

    it("reads unknown names inside a sentence as people's, and company and place shapes", function()
      local by = run("The goal came after Yoane Wissa scored. Starbucks Corp said Luckin Coffee had grown. "
        .. "Agus Subiyanto, 57, was sworn in. Flooding hit San Pedro Sula and the Tempe-based firm.")
      assert.equals("person", by["Yoane Wissa"].type)
      assert.equals("person", by["Agus Subiyanto"].type)
      assert.equals("organization", by["Starbucks"].type)
      assert.same({ "Starbucks Corp" }, texts(by["Starbucks"].mentions))
      assert.equals("organization", by["Luckin Coffee"].type)
      assert.equals("place", by["San Pedro Sula"].type)
      assert.equals("place", by["Tempe"].type)
    end)

    it("joins an acronym in brackets and an adjectival form to their entity", function()
      local by = run("The Lagos Chamber of Commerce and Industry (LCCI) said on Monday that LCCI members and "
        .. "Nigerian firms were worried.")
      local org = by["Lagos Chamber of Commerce and Industry"]
      assert.same({ "Lagos Chamber of Commerce and Industry", "LCCI", "LCCI" }, texts(org.mentions))
      assert.same({ "Nigerian" }, texts(by["Nigeria"].mentions))
    end)
  end)

  describe("in a text in another language", function()
    local TEXT = "Die Daten werden importiert. Der Patient entscheidet, welche Informationen er teilt. "
      .. "Ein neues Gesetz ist in Arbeit. Das sagte Anna Schmidt am Montag in Hamburg. "
      .. "Im Gegensatz dazu arbeitet die Klinik mit IBM."
    local function types(language)
      local ctx = context(TEXT, false)
      ctx.language = language
      entities.run(ctx, state)
      local by = {}
      for _, e in ipairs(ctx.entities) do by[e.name] = e.type end
      return by
    end

    it("takes no capitalised word for a name for being no English word", function()
      -- (read as English, German nouns look like names no list knows)
      local en = types("en")
      assert.equals("person", en["Der Patient"])
      assert.equals("person", en["Im Gegensatz"])
      assert.equals("place", en["Arbeit"])
      local de = types("de")
      for _, name in ipairs({ "Der Patient", "Patient", "Im Gegensatz", "Gegensatz", "Arbeit" }) do
        assert.is_nil(de[name], name)
      end
    end)

    it("still finds the names a given name, a cue or the lists make", function()
      for _, language in ipairs({ "de", "xx" }) do
        local by = types(language)
        assert.equals("person", by["Anna Schmidt"], language)
        assert.equals("place", by["Hamburg"], language)
        assert.equals("organization", by["IBM"], language)
      end
    end)

    it("drops the language's frequent words at the start of a name, not a place's head", function()
      local function one(text, language)
        local ctx = context(text, false)
        ctx.language = language
        entities.run(ctx, state)
        local out = {}
        for _, e in ipairs(ctx.entities) do out[#out + 1] = e.type .. ":" .. e.name end
        return table.concat(out, " ")
      end
      -- ("Der" is also a given name: English reading keeps it)
      assert.equals("person:Der Xyzzy", one("Die Daten. Der Xyzzy entscheidet.", "en"))
      assert.equals("", one("Die Daten. Der Xyzzy entscheidet.", "de"))
      assert.equals("person:Carlos Nadalim", one("O prof. Carlos Nadalim apresenta, neste vídeo, a loja.", "pt"))
      assert.equals("place:Los Zarzales", one("Ella vive cerca de Los Zarzales desde 2010.", "es"))
    end)

    it("knows the countries by their names in that language", function()
      local ctx = context("Die Klinik in Hamburg arbeitet mit Partnern in Deutschland und \195\150sterreich. "
        .. "Das sagte Anna Schmidt am Montag.", false)
      ctx.language = "de"
      entities.run(ctx, state)
      local by = {}
      for _, e in ipairs(ctx.entities) do by[e.name] = e end
      assert.equals("place", by["Germany"].type)
      assert.same({ "Deutschland" }, texts(by["Germany"].mentions))
      assert.equals("place", by["Austria"].type)
    end)

    it("reads the language the pipeline detects", function()
      local doc = require("lede").new():extract(table.concat({
        "Die Daten werden aus den Systemen der Kliniken importiert, und die Ärzte können sie jederzeit einsehen. "
          .. "Der Patient entscheidet, welche Informationen er mit den Ärzten teilt und welche nicht.",
        "Ein neues Gesetz ist bereits in Arbeit. Das sagte Anna Schmidt am Montag in Hamburg, nachdem sie mit "
          .. "Vertretern von IBM und der Kliniken gesprochen hatte.",
      }, "\n\n"))
      assert.equals("de", doc.meta.language)
      local names = {}
      for _, e in ipairs(doc.entities) do names[#names + 1] = e.name end
      table.sort(names)
      assert.same({ "Anna Schmidt", "Hamburg", "IBM" }, names)
    end)
  end)

  describe("on bad input", function()
    it("accepts empty text, no blocks and junk", function()
      local ctx = { text = "", blocks = {} }
      entities.run(ctx, state)
      assert.same({}, ctx.entities)
      assert.same({}, ctx.mentions)
      local junk = {}
      for i = 0, 4095 do junk[#junk + 1] = string.char((i * 7919) % 256) end
      for _, input in ipairs({ "\0\0\0", table.concat(junk), ("A "):rep(20000), ("Ab-"):rep(5000),
                               "Mr. , said , according to", "\226\128\156 President", "X, the director" }) do
        local c = extract(input, false)
        assert.is_table(c.entities)
      end
    end)

    it("reads a long line in time linear in its length", function()
      local line = ("Foreign Minister Wang Yi met John Smith, director of the Institute of Things at Big University. "):rep(500)
      local t = os.clock()
      local c = extract(line, false)
      assert.is_true(os.clock() - t < 5)
      local by = {}
      for _, e in ipairs(c.entities) do by[e.name] = e end
      assert.equals(500, #by["Wang Yi"].mentions)
    end)
  end)
end)

describe("core.caps_runs", function()
  local core = require "lede.core"
  local function runs(s)
    local t, n = core.caps_runs(s)
    local out = {}
    for k = 1, 4 * n, 4 do out[#out + 1] = s:sub(t[k], t[k + 1]) end
    return out, t, n
  end

  it("finds runs of capitalised words with connectors", function()
    assert.same({ "The Institute for Asian and African Affairs", "Beijing" },
      runs("The Institute for Asian and African Affairs in Beijing said."))
    assert.same({ "Bank of the West" }, runs("at Bank of the West today"))
  end)

  it("counts the spaces, inside runs and out, and those before a capital or digit", function()
    local s = "Barack Obama met 3 people  in New York,  Zed\255 \0 Ann"
    local _, n, spaces, caps = core.caps_runs(s)
    assert.equals(4, n)
    assert.same({ 12, 6 }, { spaces, caps })
    assert.same({ 0, 0 }, { select(3, core.caps_runs("")) })
    assert.same({ 1, 1 }, { select(3, core.caps_runs(" A")) })
    assert.same({ 1, 0 }, { select(3, core.caps_runs("A ")) })
  end)

  it("counts them alike in texts of every length, long ones too", function()
    local function counted(s)
      local spaces, caps = 0, 0
      for p in s:gmatch("() ") do
        spaces = spaces + 1
        if s:find("^[A-Z0-9]", p + 1) then caps = caps + 1 end
      end
      return { spaces, caps }
    end
    local bytes = { " ", " ", "A", "Z", "a", "0", "9", "@", "[", "/", ":", "\0", "\255", "\226", "-" }
    local rnd = rng.new(7)
    for len = 0, 80 do
      local t = {}
      for k = 1, len do t[k] = bytes[rnd(#bytes)] end
      local s = table.concat(t)
      assert.same(counted(s), { select(3, core.caps_runs(s)) })
    end
    local t = {}
    for k = 1, 9000 do t[k] = bytes[rnd(#bytes)] end
    local s = table.concat(t)
    assert.same(counted(s), { select(3, core.caps_runs(s)) })
    s = string.rep(" A", 5000)
    assert.same({ 5000, 5000 }, { select(3, core.caps_runs(s)) })
  end)

  it("finds a run after lower-case text of any length", function()
    for pad = 0, 40 do
      local lead = string.rep("ab ", pad)
      assert.same({ "Paris" }, runs(lead .. "in Paris today " .. lead))
      assert.same({ "7 Eleven" }, runs(lead .. "a 7 Eleven store " .. lead))
      assert.same({ "Bashar al-Assad" }, runs(lead .. "Bashar al-Assad " .. lead))
      assert.same({ "Zürich" }, runs(lead .. "in Zürich " .. lead))
      assert.same({ "Élysée" }, runs(lead .. "the Élysée said" .. lead))
    end
  end)

  it("reads initials, abbreviations, particles, apostrophes and digits", function()
    assert.same({ "U.S.", "J. Smith", "St. Louis" }, runs("the U.S. met J. Smith in St. Louis"))
    assert.same({ "Bashar al-Assad", "O’Neil", "Kang Kyung-wha" },
      runs("Bashar al-Assad met O’Neil then Kang Kyung-wha"))
    assert.same({ "7 Eleven" }, runs("a 7 Eleven store"))
  end)

  it("leaves out one-word runs the skip set holds, or with an inner apostrophe", function()
    local skip = core.english_set({ Th = " The ", It = " It ", Ne = " New ", Ja = " Jane " })
    local s = "The man said: It’s here. Jane’s dog, New York's mayor. It's fine; The cat met Tom. Ann’ll go. Jane."
    local function texts(t, n)
      local out = {}
      for k = 1, 4 * n, 4 do out[#out + 1] = s:sub(t[k], t[k + 1]) end
      return out
    end
    assert.same({ "The", "It’s", "Jane’s", "New York's", "It's", "The", "Tom", "Ann’ll", "Jane" },
      texts(core.caps_runs(s)))
    local t, n, spaces, caps = core.caps_runs(s, skip)
    assert.same({ "New York's", "Tom" }, texts(t, n))
    assert.same({ 42, 51, 45, 49 }, { t[1], t[2], t[3], t[4] })
    local _, _, spaces0, caps0 = core.caps_runs(s)
    assert.same({ spaces0, caps0 }, { spaces, caps })
    skip:close()
    assert.has_error(function() core.caps_runs(s, skip) end, "closed")
    assert.has_error(function() core.caps_runs(s, {}) end)
  end)

  it("counts the spaces, and those before a capital or digit, as a byte-by-byte reading does", function()
    local pieces = { " ", "A", "z", "9", "0", "Z", "@", "[", "/", ":", "\255", "\128", "\0", "a", "  " }
    local seed = 7
    for _ = 1, 500 do
      local t = {}
      for k = 1, seed % 41 do
        seed = (seed * 1103515245 + 12345) % 2147483648
        t[k] = pieces[seed % #pieces + 1]
      end
      local s = table.concat(t)
      local sp, cp = 0, 0
      for x = 1, #s do
        if s:sub(x, x) == " " then
          sp = sp + 1
          local c = s:byte(x + 1)
          if c and ((c >= 65 and c <= 90) or (c >= 48 and c <= 57)) then cp = cp + 1 end
        end
      end
      local _, _, spaces, caps = core.caps_runs(s)
      assert.same({ sp, cp }, { spaces, caps })
    end
  end)

  it("gives 1-based inclusive byte positions over multi-byte text", function()
    local _, t, n = runs("é São Paulo")
    assert.equal(1, n)
    assert.same({ 4, 13, 8, 13 }, t)
  end)

  it("does not start inside a word", function()
    assert.same({}, runs("abcDef"))
    assert.same({ "Жуков" }, runs("маршал Жуков"))
  end)

  it("gives each run's first space and its end without a possessive", function()
    local s = "met Jo Smith's aide, Ann's dog or O'Neil"
    local _, t, n = runs(s)
    assert.equal(3, n)
    assert.same({ 5, 14, 7, 12 }, { t[1], t[2], t[3], t[4] })
    assert.same({ 22, 26, 0, 24 }, { t[5], t[6], t[7], t[8] })
    assert.same({ 35, 40, 0, 40 }, { t[9], t[10], t[11], t[12] })
    s = "the Reuters’s view"
    _, t = runs(s)
    assert.same({ 5, 15, 0, 11 }, t)
  end)

  it("stops after sixteen words", function()
    local s = ("Aa "):rep(20)
    local out = runs(s)
    assert.equal(2, #out)
    assert.equal(("Aa "):rep(16):sub(1, -2), out[1])
  end)

  it("counts the spaces, and those before a capital or a digit", function()
    local s = "The Bank of Korea said 3 times: no. Then  Ok"
    local _, _, sp, caps = core.caps_runs(s)
    assert.equal(core.count(s, " "), sp)
    assert.equal(core.count(s, " ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), caps)
    assert.same({ 10, 5 }, { sp, caps })
    local _, n2, sp2, caps2 = core.caps_runs("")
    assert.same({ 0, 0, 0 }, { n2, sp2, caps2 })
  end)

  it("returns an empty array and 0 when there is no run", function()
    local t, n = core.caps_runs("")
    assert.same({}, t)
    assert.equal(0, n)
    t, n = core.caps_runs("no names here")
    assert.equal(0, n)
  end)

  it("accepts NUL bytes and invalid UTF-8", function()
    assert.same({ "Ab", "Cd" }, runs("Ab\0Cd \255\128"))
    assert.same({ "Ab" }, runs("\195Ab"))
  end)

  it("agrees with the regex it stands for", function()
    local st = entities.compile({})
    local s = "Mr. Moon Jae-in, the U.N. chief, and Ba Dianjun of Jilin University met "
              .. "the Dalai Lama in Dharamsala; 3M and O'Brien & Sons said de Gaulle. "
    local want, got = {}, {}
    for a, z in st.run_re:gfind(s) do want[#want + 1] = a; want[#want + 1] = z end
    local t, n = core.caps_runs(s)
    for k = 1, 4 * n, 4 do got[#got + 1] = t[k]; got[#got + 1] = t[k + 1] end
    assert.equal(#want / 2, n)
    assert.same(want, got)
  end)

  it("agrees with the regex on words of other scripts, marks and bad bytes", function()
    local st = state
    local pieces = { "Привет", "мир", " ", "  ", "Éric", "café", "É", "é", "’s", "'", "-", "Jae-in", "U.S.",
                     "J.", " of ", " the ", "Mr.", "St.", "al-", "3M", "7 ", "A", "b", "Zürich", "\255", "\0",
                     ", ", ".", "中国", "Ωmega", "ω", "x", "Kang", "de", "&", "İ", "ǅ", "e\204\129" }
    local rand = rng.new(12345)
    for _ = 1, 2000 do
      local t = {}
      for k = 1, rand(14) do t[k] = pieces[rand(#pieces)] end
      local s = table.concat(t)
      local want, got = {}, {}
      for a, z in st.run_re:gfind(s) do want[#want + 1] = a .. ":" .. z end
      local r, n = core.caps_runs(s)
      for k = 1, 4 * n, 4 do got[#got + 1] = r[k] .. ":" .. r[k + 1] end
      assert.equals(table.concat(want, ","), table.concat(got, ","), s)
    end
  end)

  it("raises on a non-string", function()
    assert.has_error(function() core.caps_runs({}) end)
  end)
end)

describe("core.word_shape", function()
  local core = require "lede.core"
  local function shape(w) return { core.word_shape(w) } end

  it("tells lower-case letters, capitals and digits", function()
    assert.same({ true, true, false, false, false }, shape("Beijing"))
    assert.same({ false, true, false, false, false }, shape("NATO"))
    assert.same({ false, true, true, false, false }, shape("M23"))
    assert.same({ false, false, false, false, false }, shape(""))
  end)

  it("finds apostrophes and hyphens before a lower-case letter", function()
    assert.same({ true, true, false, true, true }, shape("It’s"))
    assert.same({ true, true, false, true, true }, shape("We've"))
    assert.same({ true, true, false, false, true }, shape("Saudi-led"))
    assert.same({ true, true, false, false, false }, shape("O'Neil"))
    assert.same({ true, false, false, false, true }, shape("'tis"))
  end)

  it("agrees with the patterns it stands for, on any bytes", function()
    for _, w in ipairs({ "ę\153a", "\0a'b", "\255-", "É'é", "a\226b", "--x", "x'", "’" }) do
      assert.same({ w:find("%l") ~= nil, w:find("%u") ~= nil, w:find("%d") ~= nil,
                    w:find("['’]%l", 2) ~= nil, w:find("[%-'’]%l") ~= nil }, shape(w))
    end
  end)

  it("raises on a non-string", function()
    assert.has_error(function() core.word_shape(nil) end)
  end)
end)

describe("core.english_set", function()
  local core = require "lede.core"
  local buckets = { ab = " aback abacus ", wa = " walk war ", ru = " run ", x = " x xs ", zz = " zz ab " }

  -- what lede.entities did before the set: a search in the bucket
  local SUFFIXES = { "s", "es", "ed", "d", "ing", "ly", "er", "ers", "est" }
  local function search(w, depth)
    local bucket = buckets[w:sub(1, 2)]
    if bucket and bucket:find(" " .. w .. " ", 1, true) then return true end
    if depth >= 2 then return false end
    for _, suf in ipairs(SUFFIXES) do
      if #w - #suf >= 3 and w:sub(-#suf) == suf and search(w:sub(1, #w - #suf), depth + 1) then return true end
    end
    return false
  end

  it("answers what a search of the bucket answers", function()
    local set = core.english_set(buckets)
    local words = { "aback", "abacus", "walk", "walkers", "walkings", "walkerses", "war", "wars",
                    "run", "runs", "x", "xs", "zz", "ab", "aba", "", "wal", "walke", "\0", "w\0alk",
                    "\255\254", "walkly", "runers" }
    for _, w in ipairs(words) do
      assert.equals(search(w, 0), set:english(w), w)
    end
    assert.is_true(set:english("walkers"))
    assert.is_false(set:english("ab")) -- in the "zz" bucket only
  end)

  it("raises on a word with a space, a bad table and after close", function()
    local set = core.english_set(buckets)
    assert.has_error(function() set:english("walk war") end)
    assert.has_error(function() core.english_set({ 1 }) end)
    assert.matches("lede.EnglishSet", tostring(set))
    set:close()
    set:close()
    assert.has_error(function() set:english("walk") end, "closed")
  end)
end)

describe("core.entity_sets", function()
  local core = require "lede.core"
  it("hashes the words of the sets and closes", function()
    local e = core.entity_sets({ { Alpha = true, Beta = "m", Gamma = false }, { Delta = true } })
    assert.equals("lede.EntitySets (3 words)", tostring(e))
    e:close()
    e:close()
    assert.equals("lede.EntitySets (closed)", tostring(e))
    assert.has_error(function() core.entity_sets("x") end)
  end)
end)

-- A block record as lede.entities makes it, with no gazetteer match.
local function block(s)
  local core = require "lede.core"
  local _, _, nsp, ncap = core.caps_runs(s)
  return { s = s, off = 0, role_spans = {}, list = {}, starts_at = {}, ends_at = {}, cover = {},
           run_a = 0, done = false, titlecase = 0, cue_places = false, nsp = nsp, ncap = ncap }
end

-- The live mention at position i of D (core.entity_mentions lists every
-- mention made, a shorter one replaced at its place marked dead).
local function mention_at(D, i)
  local found
  for _, m in ipairs(require("lede.core").entity_mentions(D)) do
    if m.i == i and not m.dead then found = m end
  end
  return found
end

describe("core.entity_cue", function()
  local core = require "lede.core"
  local function cue(s, word)
    local i = assert(s:find(word, 1, true))
    return core.entity_cue(block(s), state.cue_sets, i, i + #word - 1, word, false)
  end

  it("answers the same from its cache of English words, which stays bounded", function()
    local st = entities.compile({})
    st.english_seen_max = 3
    local s = "The Magic said it would stay in Orlando."
    local i = s:find("Magic", 1, true)
    local first = core.entity_cue(block(s), st.cue_sets, i, i + 4, "Magic", false)
    for _ = 1, 3 do
      assert.equals(first, core.entity_cue(block(s), st.cue_sets, i, i + 4, "Magic", false))
    end
    for _, w in ipairs({ "Zorblax", "Quorbil", "Plumtree", "Magic" }) do
      local t = "The " .. w .. " said it would stay."
      core.entity_cue(block(t), st.cue_sets, 5, 4 + #w, w, false)
      assert.is_true(st.english_seen_n <= 3)
    end
    assert.equals(first, core.entity_cue(block(s), st.cue_sets, i, i + 4, "Magic", false))
    -- without the hashed sets, the cache is the state's table
    local plain = { table.unpack(st.cue_sets, 1, #st.cue_sets - 1) }
    st.english_seen_n = 0
    for _, w in ipairs({ "Zorblax", "Quorbil", "Plumtree", "Magic", "Magic" }) do
      local t = "The " .. w .. " said it would stay."
      core.entity_cue(block(t), plain, 5, 4 + #w, w, false)
      local n = 0
      for _ in pairs(st.english_seen) do n = n + 1 end
      assert.is_true(st.english_seen_n <= 3)
      assert.equals(st.english_seen_n, n)
    end
    assert.equals(first, core.entity_cue(block(s), plain, i, i + 4, "Magic", false))
  end)

  it("reads the same with the hashed sets as from the tables, for the words of each set and near misses", function()
    local sets = state.cue_sets
    local plain = { table.unpack(sets, 1, #sets - 1) }
    local words = {}
    for k = 1, #plain do
      local set = plain[k]
      if type(set) == "table" and k ~= 26 then
        local n = 0
        for w in pairs(set) do
          if type(w) == "string" and not w:find(" ", 1, true) and n < 12 then
            n = n + 1
            words[#words + 1] = w
            words[#words + 1] = w .. "s"
            words[#words + 1] = w:sub(1, -2)
            words[#words + 1] = (w:sub(1, 1) == w:sub(1, 1):upper() and w:sub(1, 1):lower() or w:sub(1, 1):upper()) .. w:sub(2)
          end
        end
      end
    end
    local frames = { "Investors sold Zorblax %s on Monday.", "%s Zorblax said on Monday.",
                     "It was near Zorblax %s, they said.", "the %s of Zorblax met." }
    for _, w in ipairs(words) do
      if w ~= "" and not w:find("%%") then
        for _, f in ipairs(frames) do
          local t = f:format(w)
          local i = assert(t:find("Zorblax", 1, true))
          assert.equals(core.entity_cue(block(t), plain, i, i + 6, "Zorblax", false),
            core.entity_cue(block(t), sets, i, i + 6, "Zorblax", false))
        end
      end
    end
  end)

  it("reads the words around a one-word name", function()
    assert.equals("organization", cue("Investors sold Zorblax shares on Monday, traders said.", "Zorblax"))
    assert.equals("place", cue("Fighting broke out near Kwembe on Friday, witnesses said.", "Kwembe"))
    assert.equals("organization?", cue("On Monday the rebels left and Zorblax said nothing.", "Zorblax"))
    assert.is_nil(cue("He met Zorblax yesterday in the morning after the meeting.", "Zorblax"))
  end)

  it("reads nothing for a fragment and raises on a word with a space", function()
    local s = "Investors sold Zorblax shares on Monday."
    assert.is_nil(core.entity_cue(block(s), state.cue_sets, 16, 22, "Zorblax", true))
    assert.has_error(function() core.entity_cue(block(s), state.cue_sets, 16, 22, "Zor blax", false) end)
  end)
end)

describe("core.entity_roles", function()
  local core = require "lede.core"
  it("reads an apposition after a name up to the clause's end", function()
    local s = "Jane Roe, deputy director of the institute, said on Monday."
    local B = block(s)
    local t = { i = 11, j = 25, kind = 3, dead = false }
    B.starts_at[11], B.ends_at[25], B.list[1] = t, t, t
    local rs, re = core.entity_roles(B, state.cue_sets, 1, 8)
    assert.equals("deputy director of the institute", s:sub(rs, re))
    assert.is_nil(core.entity_roles(block(s), state.cue_sets, 1, 8))
  end)

  it("accepts any bytes around the name", function()
    local s = "\0\255, \226\128\156 X, \0"
    assert.is_nil(core.entity_roles(block(s), state.cue_sets, 1, 2))
  end)
end)

describe("core.entity_runs", function()
  local core = require "lede.core"
  local function doc(s)
    return core.entity_new(s, state)
  end

  it("puts a one-word name no list knows in D.pending", function()
    local s = "Yesterday the council met Zorblax again."
    local D = doc(s)
    local B = block(s)
    B.nsp, B.ncap = 0, 0
    core.entity_runs(D, B, state.cue_sets, state.run_skip)
    assert.same({ 5, 1 }, { B.nsp, B.ncap })
    assert.equals(1, #D.pending)
    local pend = core.entity_pending(D)
    assert.equals(7, #pend)
    local B1, bi, bj, word, flags, gender, fallback = (table.unpack or unpack)(pend, 1, 7)
    assert.equals(B, B1)
    assert.same({ 27, 33, "Zorblax", 0, false, false }, { bi, bj, word, flags, gender, fallback })
    assert.equals(0, #D.list)
    assert.has_error(function() core.entity_runs(D, B, state.cue_sets, {}) end)
  end)

  it("reads any bytes", function()
    local s = "\0\255 Zed \226\128\153 Quorbil \0 Ava\255Plum"
    local D = doc(s)
    core.entity_runs(D, block(s), state.cue_sets)
    assert.equals(#D.pending * 7, #core.entity_pending(D))
  end)

  it("records the names it finds in D, with their mentions", function()
    local s = "He spoke to Mr. Zed Quorbil and to Ms. Ava Plumtree on Monday."
    local D = doc(s)
    core.entity_runs(D, block(s), state.cue_sets, state.run_skip)
    assert.equals(2, #D.list)
    assert.same({ "Zed Quorbil", "person" }, { D.list[1].name, D.list[1].type })
    assert.same({ "Ava Plumtree", "person" }, { D.list[2].name, D.list[2].type })
    local m = mention_at(D, 17)
    assert.same({ 17, 27, "Zed Quorbil" }, { m.i, m.j, m.text })
    assert.equals(D.list[1], m.entity)
    assert.equals(D.list[1], core.entity_tail(D, "Quorbil"))
    assert.is_nil(core.entity_tail(D, "Zed"))
  end)
end)

describe("core.entity_resolve", function()
  local core = require "lede.core"
  local function doc(s)
    return core.entity_new(s, state)
  end

  it("gives one-word names their entity among many persons and organisations", function()
    -- more name words than the first table of words holds
    local first = { "John", "Mary", "Peter", "Anna", "James", "Laura", "David", "Sarah", "Paul", "Emma" }
    local t, last = {}, {}
    for k = 1, 70 do
      last[k] = "Zor" .. string.char(97 + k % 26) .. string.char(97 + math.floor(k / 26)) .. "ski"
      t[#t + 1] = ("%s %s, a director at Vexa%d Holdings, said the plan would work.")
        :format(first[k % 10 + 1], last[k], k)
    end
    for k = 1, 70 do t[#t + 1] = ("Later %s added that Vexa%d would grow."):format(last[k], k) end
    local ctx = extract(table.concat(t, "\n\n"), false)
    assert.equals(140, #ctx.entities)
    for k, e in ipairs(ctx.entities) do
      if k % 2 == 1 then
        assert.same({ "person", first[(k + 1) / 2 % 10 + 1] .. " " .. last[(k + 1) / 2], 2 },
          { e.type, e.name, #e.mentions })
      else
        assert.same({ "organization", ("Vexa%d Holdings"):format(k / 2), 2 }, { e.type, e.name, #e.mentions })
      end
    end
  end)

  it("gives one-word names to the person, organisation or place the text names", function()
    local s = "Tim Zorbel met the Brentford Water Company. Zorbel said Brentford is fine. BWC agreed."
    local D = doc(s)
    local B = block(s)
    B.list = core.entity_matches(B, state.gaz:scan(s), state.match_info)
    B.starts_at, B.ends_at, B.cover = core.entity_index(s, B.list)
    core.entity_mention(D, core.entity_doc(D, "Tim Zorbel", "person"), 1, 10)
    local O = core.entity_doc(D, "Brentford Water Company", "organization")
    core.entity_mention(D, O, 20, 42)
    for _, w in ipairs({ { 45, 50, "Zorbel", 0 }, { 57, 65, "Brentford", 0 }, { 76, 78, "BWC", 4 } }) do
      core.entity_pend(D, B, w[1], w[2], w[3], w[4])
    end
    local pend = core.entity_pending(D)
    assert.same({ B, 76, 78, "BWC", 4, false, false }, { (table.unpack or unpack)(pend, 15, 21) })
    core.entity_resolve(D, state.cue_sets, string.find)
    assert.equals(D.list[1], mention_at(D, 45).entity)
    assert.equals(O, mention_at(D, 57).entity)
    assert.equals(O, mention_at(D, 76).entity)
    assert.equals(2, #D.list)
    assert.has_error(function() core.entity_pend(D, "not a block", 1, 2, "x", 0) end)
    assert.has_error(function() core.entity_pend(D, B, 1, 2, "x", 8) end)
    D.pvals[1] = "not a block"
    assert.has_error(function() core.entity_resolve(D, state.cue_sets, string.find) end,
      "entity_resolve: bad pending name 1")
  end)

  it("gives a word of one person's full name to that person, of two persons' to neither", function()
    local names, words = {}, {}
    for k = 1, 60 do
      names[k] = "Tim Zorb" .. string.char(97 + k % 26) .. string.char(97 + math.floor(k / 26))
      words[k] = names[k]:sub(5)
    end
    local s = table.concat(names, ", ") .. ". Ann Smith and Bob Smith. " .. table.concat(words, " ") .. " Smith."
    local D = doc(s)
    local B = block(s)
    B.list = core.entity_matches(B, state.gaz:scan(s), state.match_info)
    B.starts_at, B.ends_at, B.cover = core.entity_index(s, B.list)
    local at = 1
    for k = 1, 60 do
      core.entity_mention(D, core.entity_doc(D, names[k], "person"), at, at + #names[k] - 1)
      at = at + #names[k] + 2
    end
    for _, nm in ipairs({ "Ann Smith", "Bob Smith" }) do
      local i = s:find(nm, 1, true)
      core.entity_mention(D, core.entity_doc(D, nm, "person"), i, i + #nm - 1)
    end
    local i0 = s:find(words[1] .. " ", 1, true)
    at = i0
    for k = 1, 60 do
      core.entity_pend(D, B, at, at + #words[k] - 1, words[k], 0)
      at = at + #words[k] + 1
    end
    core.entity_pend(D, B, at, at + 4, "Smith", 0)
    core.entity_resolve(D, state.cue_sets, string.find)
    at = i0
    for k = 1, 60 do
      assert.equals(D.list[k], mention_at(D, at).entity)
      at = at + #words[k] + 1
    end
    assert.is_nil(mention_at(D, at))
    assert.equals(62, #D.list)
  end)
end)

describe("core.entity_new", function()
  local core = require "lede.core"

  it("makes an empty document record", function()
    local D = core.entity_new("Some text.", state)
    assert.equals("Some text.", D.text)
    assert.equals(state, D.st)
    for _, k in ipairs({ "list", "pvals", "acronyms" }) do
      assert.same({}, D[k])
    end
    assert.matches("^lede.EntityMentions %(0 mentions%)$", tostring(D.at))
    assert.equals(0, #D.at)
    assert.same({}, core.entity_mentions(D))
    assert.matches("^lede.EntityPending %(0 names%)$", tostring(D.pending))
    assert.same({}, core.entity_pending(D))
    assert.has_error(function() core.entity_new(nil, state) end)
  end)

  it("takes a foreign text's frequent words as a lede.WordSet, and no other userdata", function()
    local D = core.entity_new("Der Xyzzy kam.", state, core.wordset({ "der" }))
    assert.equals("Der Xyzzy kam.", D.text)
    assert.has_error(function() core.entity_new("Der Xyzzy kam.", state, io.stdout) end)
    core.entity_output(core.entity_new("x", state))
  end)

  it("keeps each record's mentions apart when two documents are read in turn", function()
    local D1 = core.entity_new("Acme met Zed.", state)
    local D2 = core.entity_new("Zed met Acme.", state)
    core.entity_mention(D1, core.entity_doc(D1, "Acme", "organization"), 1, 4)
    core.entity_mention(D2, core.entity_doc(D2, "Zed", "person"), 1, 3)
    core.entity_mention(D1, core.entity_doc(D1, "Zed", "person"), 10, 12)
    assert.same({ 2, 1 }, { #D1.at, #D2.at })
    local _, m2 = core.entity_output(D2)
    local _, m1 = core.entity_output(D1)
    assert.same({ "Acme", "Zed" }, { m1[1].text, m1[2].text })
    assert.same({ "Zed" }, { m2[1].text })
    -- after its output a record is still read (from its fields)
    assert.equals(2, #core.entity_mentions(D1))
    local D3 = core.entity_new("Zed.", state)
    D3.at:close()
    assert.has_error(function() core.entity_output(D3) end, "closed")
    D3.pending:close()
    assert.has_error(function() core.entity_resolve(D3, state.cue_sets, string.find) end, "closed")
  end)
end)

describe("core.entity_new after a record done", function()
  local core = require "lede.core"

  it("makes the stores of the last record done again, empty", function()
    local D1 = core.entity_new("Acme met Zed.", state)
    core.entity_mention(D1, core.entity_doc(D1, "Acme", "organization"), 1, 4)
    core.entity_doc(D1, "Zed Quorbil", "person")
    D1.acronyms.ACM = D1.list[1]
    local ents = core.entity_output(D1)
    assert.equals(1, #ents)
    local at = D1.at
    local D2 = core.entity_new("Zed.", state)
    assert.equals(at, D2.at)
    assert.same({}, D2.list)
    assert.same({}, D2.pvals)
    assert.same({}, D2.acronyms)
    assert.is_nil(core.entity_tail(D2, "Quorbil"))
    assert.equals(0, #D2.at)
    assert.same({}, core.entity_pending(D2))
    core.entity_mention(D2, core.entity_doc(D2, "Zed", "person"), 1, 3)
    local e2, m2 = core.entity_output(D2)
    assert.same({ "Zed", 1, 3 }, { e2[1].name, m2[1].i, m2[1].j })
    assert.same({ "Acme" }, { ents[1].name })
  end)
end)

describe("core.entity_block", function()
  local core = require "lede.core"

  it("is a block record the readers fill and read as they do a table", function()
    local s = "He spoke to Mr. Zed Quorbil, deputy director of the Zorblax Institute, in Masisi."
    local D = core.entity_new("xx " .. s, state)
    local B = core.entity_block(s, 3)
    assert.equals(B, core.entity_matches(B, state.gaz:scan(s), state.match_info))
    core.entity_index(s, B)
    core.entity_runs(D, B, state.cue_sets, state.run_skip)
    core.entity_known(D, B, state.cue_sets)
    assert.equals("Zed Quorbil", D.list[1].name)
    local m = mention_at(D, 20)
    assert.same({ 20, 30, "Zed Quorbil" }, { m.i, m.j, m.text })
    assert.equals("deputy director of the Zorblax Institute", D.list[1].roles[1])
    assert.equals(core.entity_pending(D)[1], B)
    assert.matches("^lede.EntityMatches", tostring(B))
    assert.has_error(function() core.entity_block(nil, 0) end)
    assert.has_error(function() core.entity_runs(D, "B", state.cue_sets) end)
    B:close()
    assert.has_error(function() core.entity_runs(D, B, state.cue_sets) end)
  end)
end)

describe("core.entity_phrase_flags", function()
  local core = require "lede.core"

  it("gives two bytes per phrase, or nil when the tables hold what the flags cannot say", function()
    local f = core.entity_phrase_flags(state.match_info)
    assert.equals("string", type(f))
    assert.equals(2 * #state.match_info[1], #f)
    assert.equals(f, state.match_info[6])
    local e = { name = "Acme", type = "organization" }
    local info = { { 1, 3 }, { e, "minister" }, { true, true }, { false, false }, { false, false } }
    assert.equals(4, #core.entity_phrase_flags(info))
    assert.same("", core.entity_phrase_flags({ {}, {}, {}, {}, {} }))
    -- a kind out of range; an entity with no record
    assert.is_nil(core.entity_phrase_flags({ { 9 }, { e }, {}, {}, {} }))
    assert.is_nil(core.entity_phrase_flags({ { 1 }, { "Acme" }, {}, {}, {} }))
    assert.has_error(function() core.entity_phrase_flags(nil) end)
    assert.has_error(function() core.entity_phrase_flags({ {}, {}, {}, {} }) end, "entity_phrase_flags: info[5] must be a table")
  end)
end)

describe("core.entity_blocks", function()
  local core = require "lede.core"

  -- ctx.entities and ctx.mentions as plain values (entities by ordinal)
  local function flat(ctx)
    local ord, out = {}, { entities = {}, mentions = {} }
    for k, e in ipairs(ctx.entities) do
      ord[e] = k
      local ms = {}
      for x, m in ipairs(e.mentions) do ms[x] = { m.i, m.j, m.text } end
      out.entities[k] = { e.name, e.type, e.aliases, e.roles, ms, e.gender, e.nationality, e.demonym }
    end
    for x, m in ipairs(ctx.mentions) do out.mentions[x] = { m.i, m.j, m.text, ord[m.entity] } end
    return out
  end

  it("reads every body block as the five readers called per block do", function()
    assert.is_true(state.blocks_in_c)
    local slow = setmetatable({ blocks_in_c = false }, { __index = state })
    local inputs = all_inputs()
    for _, input in ipairs(inputs) do
      for _, clean in ipairs({ true, false }) do
        local a, b = context(input, clean), context(input, clean)
        entities.run(a, state)
        entities.run(b, slow)
        assert.same(flat(b), flat(a))
      end
    end
  end)

  it("takes a block's text from the document when b.text is absent or not as long", function()
    local text = "Intro.\nAndrei Karneev, deputy director of the\nInstitute for Asian Studies, spoke."
    for _, blocks in ipairs({ { { i = 8, j = #text, kind = "body" }, { i = 1, j = 6, kind = "nav" } },
                              { { i = 8, j = #text, text = "short" } } }) do
      local ctx = { text = text, blocks = blocks }
      entities.run(ctx, state)
      local names = {}
      for _, e in ipairs(ctx.entities) do names[#names + 1] = e.name end
      assert.same({ "Andrei Karneev", "Institute for Asian Studies" }, names)
    end
  end)

  it("reads a document the same after others, whose block records it reuses", function()
    local inputs = all_inputs()
    local first = {}
    for k, input in ipairs(inputs) do
      local ctx = context(input, true)
      entities.run(ctx, state)
      first[k] = flat(ctx)
    end
    -- in the other order, and with a record of a document done closed by
    -- its user (not reused then)
    for k = #inputs, 1, -1 do
      local ctx = context(inputs[k], true)
      local D = core.entity_new(ctx.text, state)
      core.entity_blocks(D, ctx.blocks, ctx.text, state.gaz, state.match_info, state.cue_sets, state.run_skip)
      local B = D.pvals[1]
      core.entity_resolve(D, state.cue_sets, string.find)
      core.entity_merge(D)
      local ents, ms = core.entity_output(D)
      assert.same(first[k], flat({ entities = ents, mentions = ms }))
      assert.same({}, core.entity_pending(D))
      if B and k % 2 == 0 then B:close() end
    end
  end)

  it("reads documents alike with two states in turn, whose block records are shared", function()
    local other = entities.compile({})
    local inputs = all_inputs()
    local alone = {}
    for k, input in ipairs(inputs) do
      local ctx = context(input, true)
      entities.run(ctx, state)
      alone[k] = flat(ctx)
    end
    for k, input in ipairs(inputs) do
      local ctx = context(input, true)
      entities.run(ctx, k % 2 == 0 and state or other)
      assert.same(alone[k], flat(ctx))
    end
    -- a state without the phrase flags made at compile reads the same
    local bare = entities.compile({})
    bare.match_info = { table.unpack(bare.match_info, 1, 5) }
    for k, input in ipairs(inputs) do
      local ctx = context(input, true)
      entities.run(ctx, k % 3 == 0 and bare or state)
      assert.same(alone[k], flat(ctx))
    end
  end)

  it("raises on bad arguments and bad blocks, and takes empty input", function()
    local D = core.entity_new("abc", state)
    local args = { state.gaz, state.match_info, state.cue_sets, state.run_skip }
    assert.has_error(function() core.entity_blocks(D, { "x" }, "abc", table.unpack(args)) end)
    assert.has_error(function() core.entity_blocks(D, { { i = "a", j = 2 } }, "abc", table.unpack(args)) end)
    assert.has_error(function() core.entity_blocks(D, { { i = 1, j = 2, text = 5 } }, "abc", table.unpack(args)) end)
    assert.has_error(function() core.entity_blocks(D, {}, "abc", state.gaz, state.match_info, state.cue_sets, "x") end)
    assert.has_error(function() core.entity_blocks(D, {}, nil, table.unpack(args)) end)
    core.entity_blocks(D, {}, "abc", table.unpack(args))
    core.entity_blocks(D, { { i = 3, j = 2 }, { i = 1, j = 3, text = "\0\255b" } }, "a\0c", table.unpack(args))
    assert.same({}, core.entity_output(D))
  end)
end)

describe("a person's roles", function()
  it("are each kept once, in order, past the first few", function()
    local words = { "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Theta", "Iota", "Kappa", "Lambda", "Omicron" }
    local parts, want, seen = {}, {}, {}
    for k = 1, 14 do
      local w = words[(k * 7) % #words + 1]
      parts[#parts + 1] = "Zed Quorbil, director of the " .. w .. " Institute, said it."
      if not seen[w] then seen[w] = true; want[#want + 1] = "director of the " .. w .. " Institute" end
    end
    local text = table.concat(parts, " ")
    local ctx = { text = text, blocks = { { i = 1, j = #text, text = text } } }
    entities.run(ctx, state)
    local zed
    for _, e in ipairs(ctx.entities) do if e.name == "Zed Quorbil" then zed = e end end
    assert.same(want, zed.roles)
    assert.is_nil(zed._role)
  end)
end)

describe("core.entity_merge", function()
  local core = require "lede.core"

  it("gives an acronym's mentions to the organisation it abbreviates", function()
    local s = "TSMC said Taiwan Semiconductor Manufacturing Co would grow. TSMC agreed."
    local D = core.entity_new(s, state)
    local A = core.entity_doc(D, "TSMC", "organization")
    core.entity_mention(D, A, 1, 4)
    local O = core.entity_doc(D, "Taiwan Semiconductor Manufacturing", "organization")
    core.entity_mention(D, O, 11, 47)
    core.entity_mention(D, A, 61, 64)
    local X = core.entity_doc(D, "ZZ", "organization")
    core.entity_mention(D, X, 20, 21)
    core.entity_merge(D)
    assert.equals(O, mention_at(D, 1).entity)
    assert.equals(O, mention_at(D, 61).entity)
    assert.equals(X, mention_at(D, 20).entity)
    local ents = core.entity_output(D)
    assert.equals(2, #ents)
    assert.same({ "Taiwan Semiconductor Manufacturing", 3 }, { ents[1].name, #ents[1].mentions })
    assert.same({ "ZZ", 1 }, { ents[2].name, #ents[2].mentions })
    assert.has_error(function() core.entity_merge({}) end)
  end)
end)

describe("core.entity_word_in", function()
  local core = require "lede.core"

  it("finds a word between bytes that are no letters, as string.find does", function()
    local text = "Prosecutors said the prosecutors' case, prosecutorsX and \0workday\0."
    for _, w in ipairs({ "prosecutors", "workday", "case", "said", "the", "x", "caseload", "pro" }) do
      assert.equals(text:find("[^%a]" .. w .. "[^%a]") ~= nil, core.entity_word_in(text, w), w)
    end
    assert.is_false(core.entity_word_in("said", "said"))
    assert.is_false(core.entity_word_in("", "a"))
    assert.is_true(core.entity_word_in("\255ab\255", "ab"))
    assert.is_nil(core.entity_word_in(text, "al-assad"))
    assert.is_nil(core.entity_word_in(text, "u.s."))
    assert.has_error(function() core.entity_word_in(nil, "a") end)
  end)
end)

describe("core.entity_doc, core.entity_mention, core.entity_person", function()
  local core = require "lede.core"
  local function doc(s)
    return core.entity_new(s, state)
  end

  it("makes one entity per type and name", function()
    local D = doc("")
    local E = core.entity_doc(D, "Commerce Ministry", "organization")
    assert.equals(E, core.entity_doc(D, "Ministry of Commerce", "organization"))
    assert.are_not.equal(E, core.entity_doc(D, "Commerce Ministry", "place"))
    assert.same({ "Commerce Ministry", "organization" }, { E.name, E.type })
    assert.equals(2, #D.list)
    local rec = { name = "Jane Roe", type = "person", gender = "f", key = "person\0Jane Roe" }
    local P = core.entity_doc(D, rec.name, rec.type, rec)
    assert.equals("f", P.gender)
    assert.equals(P, core.entity_doc(D, "Jane Roe", "person"))
    assert.equals(P, core.entity_doc(D, "Jane Roe", "person", { name = "Jane Roe", type = "person" }))
    assert.are_not.equal(P, core.entity_doc(D, "Jane Roe", "place"))
    assert.equals(4, #D.list)
    assert.equals(P, core.entity_tail(D, "Roe"))
    assert.is_nil(core.entity_tail(D, "Ministry"))
    assert.has_error(function() core.entity_doc(D, nil, "person") end)
  end)

  it("keeps the longer mention at a place", function()
    local s = "New York City is big."
    local D = doc(s)
    local A = core.entity_doc(D, "New York", "place")
    local B = core.entity_doc(D, "New York City", "place")
    assert.same({ 1, 8 }, { core.entity_mention(D, A, 1, 8) })
    assert.same({ 1, 13 }, { core.entity_mention(D, B, 1, 13) })
    assert.same({ 1, 13 }, { core.entity_mention(D, A, 1, 8) })
    local all = core.entity_mentions(D)
    assert.equals(2, #all)
    assert.same({ 1, 8, "New York", A, true }, { all[1].i, all[1].j, all[1].text, all[1].entity, all[1].dead })
    assert.same({ 1, 13, "New York City", B }, { all[2].i, all[2].j, all[2].text, all[2].entity })
    assert.is_nil(all[2].dead)
    assert.equals(all[2].text, mention_at(D, 1).text)
    assert.has_error(function() core.entity_mention(D, { name = "X" }, 1, 2) end)
  end)

  it("reads the roles around a person's name", function()
    local s = "Jane Roe, deputy director of the Zorblax Institute, spoke."
    local D = doc(s)
    local B = block(s)
    B.list = core.entity_matches(B, state.gaz:scan(s), state.match_info)
    B.starts_at, B.ends_at, B.cover = core.entity_index(s, B.list)
    local E = core.entity_doc(D, "Jane Roe", "person")
    core.entity_person(D, B, state.cue_sets, E, 1, 8)
    assert.equals(1, #core.entity_mentions(D))
    assert.equals(E, mention_at(D, 1).entity)
    assert.equals(1, #E.roles)
    assert.equals("deputy director of the Zorblax Institute", E.roles[1])
    assert.same({ { 11, 50 } }, B.role_spans)
  end)
end)

describe("core.entity_matches and core.entity_index", function()
  local core = require "lede.core"
  local function info(kinds, targets, shout, multi, titles)
    return { kinds, targets, shout, multi, titles }
  end

  it("keeps names that start with a capital, and titles in lower case", function()
    local s = "The Economist reported; an economist said Economist Martin Rapetti spoke."
    local paper = { name = "The Economist", type = "organization" }
    local r = { 5, 13, 1, 26, 34, 1, 42, 50, 1 }
    local list = core.entity_matches(block(s), r, info({ 1 }, { paper }, { true }, { false }, { "economist" }))
    assert.equals(3, #list)
    local m1, m2, m3 = list:get(1), list:get(2), list:get(3)
    assert.same({ 5, 13, 1, "organization" }, { m1.i, m1.j, m1.kind, m1.etype })
    assert.equals(paper, m1.target)
    assert.same({ 26, 3, "economist" }, { m2.i, m2.kind, m2.target })
    assert.same({ 42, 3 }, { m3.i, m3.kind })
    assert.is_nil(list:get(4))
    assert.matches("^lede.EntityMatches %(3 matches%)$", tostring(list))
    assert.has_error(function() core.entity_matches(block(s), { 1, 999, 1 }, info({ 1 }, { paper }, {}, {}, {})) end,
      "entity_matches: bad match 1")
  end)

  it("reads each info table's own values, used in turn", function()
    local s = "Chinese Foreign Minister Wang Yi met the Economist in Beijing."
    local titles = {}
    for k = 1, #state.match_info[1] do titles[k] = 3 end
    local other = { titles, state.match_info[2], state.match_info[3], state.match_info[4], state.match_info[5] }
    for _ = 1, 2 do
      for _, inf in ipairs({ state.match_info, other }) do
        local a = core.entity_matches(core.entity_block(s, 0), state.gaz:scan(s), inf)
        local b = core.entity_matches(core.entity_block(s, 0), state.gaz, inf)
        assert.is_true(#b > 2)
        assert.equals(#a, #b)
        local kinds = {}
        for k = 1, #a do
          local x, y = a:get(k), b:get(k)
          assert.same({ x.i, x.j, x.kind, x.etype, x.multi }, { y.i, y.j, y.kind, y.etype, y.multi })
          kinds[y.kind] = true
        end
        assert.equals(inf == other, kinds[1] == nil and kinds[2] == nil)
      end
    end
  end)

  it("reads a gazetteer's matches itself, as from its scan", function()
    local s = "Chinese Foreign Minister Wang Yi met the Economist in Beijing and NEW YORK."
    local a = core.entity_matches(core.entity_block(s, 0), state.gaz:scan(s), state.match_info)
    local b = core.entity_matches(core.entity_block(s, 0), state.gaz, state.match_info)
    assert.is_true(#a > 2)
    assert.equals(#a, #b)
    for k = 1, #a do
      local x, y = a:get(k), b:get(k)
      assert.same({ x.i, x.j, x.kind, x.etype, x.target }, { y.i, y.j, y.kind, y.etype, y.target })
    end
    -- a block matched again with other lists takes the targets of those
    local other = {}
    for k, v in ipairs(state.match_info) do other[k] = v end
    local ptarget = {}
    for k, v in pairs(state.match_info[2]) do ptarget[k] = type(v) == "table" and { name = "x" .. k, type = v.type } or v end
    other[2] = ptarget
    local B = core.entity_block(s, 0)
    core.entity_matches(B, state.gaz, state.match_info)
    local before = B:get(1).target
    core.entity_matches(B, state.gaz, other)
    local id_at = {}
    local hits = state.gaz:scan(s)
    for k = 1, #hits, 3 do id_at[hits[k] .. ":" .. hits[k + 1]] = hits[k + 2] end
    for k = 1, #B do
      local x = B:get(k)
      if x.kind ~= 3 then assert.equals(ptarget[id_at[x.i .. ":" .. x.j]], x.target) end
    end
    assert.are_not.equal(before, B:get(1).target)
    local g = core.gazetteer({ "Wang Yi" })
    g:close()
    assert.has_error(function() core.entity_matches(core.entity_block(s, 0), g, state.match_info) end)
    assert.has_error(function() core.entity_matches(core.entity_block(s, 0), "x", state.match_info) end)
  end)

  it("leaves out a name in capitals but for a dateline's place", function()
    local place = { name = "Washington", type = "place" }
    local i1 = info({ 1 }, { place }, { true }, { false }, {})
    assert.equals(1, #core.entity_matches(block("WASHINGTON (Reuters) - The talks"), { 1, 10, 1 }, i1))
    assert.equals(0, #core.entity_matches(block("WE LOVE WASHINGTON AND MORE"), { 9, 18, 1 }, i1))
  end)

  it("indexes records by first byte, last byte and word starts", function()
    local s = "at New York City Hall"
    local m = { i = 4, j = 16, multi = true }
    local one = { i = 18, j = 21, multi = false }
    local starts, ends, cover = core.entity_index(s, { m, one })
    assert.equals(m, starts[4])
    assert.equals(m, ends[16])
    assert.equals(m, cover[8])
    assert.equals(m, cover[13])
    assert.equals(one, cover[18])
    assert.is_nil(cover[5])
    assert.has_error(function() core.entity_index(s, { 1 }) end)
  end)

  it("indexes a lede.EntityMatches in place, by position", function()
    local s = "at New York City Hall in Springfield"
    local city = { name = "New York City", type = "place" }
    local hall = { name = "City Hall", type = "organization" }
    local list = core.entity_matches(block(s), { 4, 16, 1, 18, 21, 2 },
      info({ 1, 1 }, { city, hall }, { true, true }, { true, false }, {}))
    local starts, ends, cover = core.entity_index(s, list)
    assert.equals(list, starts)
    assert.equals(list, ends)
    assert.equals(list, cover)
    assert.equals(city, list:find("starts", 4).target)
    assert.equals(city, list:find("ends", 16).target)
    assert.equals(city, list:find("cover", 8).target)
    assert.equals(city, list:find("cover", 13).target)
    assert.equals(hall, list:find("cover", 18).target)
    assert.is_nil(list:find("cover", 5))
    assert.has_error(function() list:find("middle", 5) end)
    -- a match of another list: the longer one wins, then in order of position
    local spring = { name = "Springfield", type = "place" }
    list:merge(26, 36, spring)
    list:merge(4, 8, { name = "New York", type = "place" })
    list:merge(8, 21, { name = "York City Hall", type = "organization" })
    core.entity_index(s, list)
    assert.equals(2, #list)
    assert.same({ 8, 21, "organization" }, { list:get(1).i, list:get(1).j, list:get(1).etype })
    assert.equals(spring, list:get(2).target)
    assert.is_nil(list:find("starts", 4))
    list:close()
    list:close()
    assert.has_error(function() return #list end, "closed")
    assert.has_error(function() list:get(1) end, "closed")
  end)
end)

describe("core.entity_output", function()
  local core = require "lede.core"

  it("lists each alias once, in order, however many there are", function()
    local words, want = {}, {}
    for k = 1, 30 do words[k] = k % 3 == 0 and "Acme" or ("Acme" .. string.char(64 + k % 11)) end
    local text = table.concat(words, " ")
    local D = core.entity_new(text, state)
    local E = core.entity_doc(D, "Acme", "organization")
    local at = 1
    for k = 1, 30 do
      core.entity_mention(D, E, at, at + #words[k] - 1)
      at = at + #words[k] + 1
      if words[k] ~= "Acme" then
        local dup = false
        for _, w in ipairs(want) do dup = dup or w == words[k] end
        if not dup then want[#want + 1] = words[k] end
      end
    end
    local ents, ms = core.entity_output(D)
    assert.equals(1, #ents)
    assert.equals(30, #ms)
    assert.same(want, ents[1].aliases)
    assert.equals(30, #ents[1].mentions)
  end)

  it("sorts the live mentions and builds one record per entity, in order of first mention", function()
    local s = "Wang Yi in Moscow, Moskva: Wang. Wang."
    local D = core.entity_new(s, state)
    local A = core.entity_doc(D, "Wang Yi", "person")
    A.roles[1], A.gender, A.nationality, A.demonym = "foreign minister", "m", "China", "Chinese"
    local B = core.entity_doc(D, "Moscow", "place")
    core.entity_mention(D, A, 28, 31)
    core.entity_mention(D, A, 1, 7)
    core.entity_mention(D, B, 12, 17)
    core.entity_mention(D, B, 20, 22)
    core.entity_mention(D, A, 20, 25) -- longer: "Moskv" at 20 is dead
    core.entity_mention(D, A, 34, 37)
    local ents, ms = core.entity_output(D)
    assert.equals(5, #ms)
    assert.same({ 1, 12, 20, 28, 34 }, { ms[1].i, ms[2].i, ms[3].i, ms[4].i, ms[5].i })
    assert.same({ "Wang Yi", "Moscow", "Moskva", "Wang", "Wang" },
      { ms[1].text, ms[2].text, ms[3].text, ms[4].text, ms[5].text })
    assert.equals(2, #ents)
    local a, b = ents[1], ents[2]
    assert.equals("Wang Yi", a.name)
    assert.equals("person", a.type)
    assert.equals(A.roles, a.roles)
    -- the entity itself is the record, its working fields gone
    assert.equals(A, a)
    assert.equals(B, ents[2])
    assert.is_nil(rawget(a, 0))
    assert.is_nil(rawget(a, "_role"))
    local keys = {}
    for k in pairs(a) do keys[#keys + 1] = k end
    table.sort(keys)
    assert.same({ "aliases", "demonym", "gender", "mentions", "name", "nationality", "roles", "type" }, keys)
    assert.same({ "m", "China", "Chinese" }, { a.gender, a.nationality, a.demonym })
    assert.same({ "Moskva", "Wang" }, a.aliases)
    assert.same({ ms[1], ms[3], ms[4], ms[5] }, a.mentions)
    assert.equals("Moscow", b.name)
    assert.same({}, b.aliases)
    assert.same({ ms[2] }, b.mentions)
    assert.is_nil(b.gender)
    assert.equals(a, ms[1].entity)
    assert.equals(b, ms[2].entity)
  end)

  it("returns empty arrays for no mentions, and raises on bad input", function()
    local ents, ms = core.entity_output(core.entity_new("", state))
    assert.same({}, ents)
    assert.same({}, ms)
    assert.has_error(function() core.entity_output(nil) end)
    assert.has_error(function() core.entity_output({ list = {}, at = {} }) end)
    local D = core.entity_new("x", state)
    D.at:close()
    assert.has_error(function() core.entity_output(D) end, "closed")
  end)
end)
