-- Specs for lede.lists: the built-in lists, the user's lists (Lua and TSV),
-- their checks, and that a user's entry takes effect without a rebuild.

local lists = require "lede.lists"
local lede = require "lede"

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
  return path
end

local function tmp(ext, s)
  local base = os.tmpname()
  os.remove(base)
  return write(base .. ext, s)
end

local function entity(doc, name)
  for _, e in ipairs(doc.entities) do
    if e.name == name then return e end
  end
end

describe("lede.lists", function()
  describe("builtin", function()
    local b = lists.builtin()

    it("has countries with their short forms", function()
      local us
      for _, e in ipairs(b.entities) do
        if e.name == "United States" then us = e end
      end
      assert.equals("place", us.type)
      local have = {}
      for _, a in ipairs(us.aliases) do have[a] = true end
      assert.is_true(have["US"] and have["U.S."] and have["America"] and have["USA"])
    end)

    it("has demonyms, titles, given names and organisations", function()
      assert.same({ "Chinese" }, b.demonyms["China"])
      assert.same({ "South Korean" }, b.demonyms["South Korea"])
      local titles = {}
      for _, t in ipairs(b.titles) do titles[t] = true end
      assert.is_true(titles["Foreign Minister"] and titles["spokesperson"] and titles["deputy director"])
      assert.equals("m", b.first_names["Andrei"])
      assert.equals("f", b.first_names["Maria"])
      local orgs = {}
      for _, e in ipairs(b.entities) do
        if e.type == "organization" then orgs[e.name] = e end
      end
      assert.is_truthy(orgs["NATO"] and orgs["APEC"] and orgs["Reuters"] and orgs["Sputnik"])
    end)

    it("gives every entity a name and a type", function()
      for _, e in ipairs(b.entities) do
        assert.is_string(e.name)
        assert.is_true(#e.name > 0)
        assert.matches("^%a", e.type)
      end
    end)
  end)

  describe("load", function()
    it("reads \"Name|alias\" strings and tables", function()
      local l = lists.load({
        places = { "Springfield|Springfield City" },
        people = { { "Jane Roe|Roe", gender = "f" } },
        { name = "Acme Corp", type = "organization", aliases = { "Acme" } },
      })
      local by = {}
      for _, e in ipairs(l.entities) do by[e.name] = e end
      assert.same({ "Springfield City" }, by["Springfield"].aliases)
      assert.equals("place", by["Springfield"].type)
      assert.equals("f", by["Jane Roe"].gender)
      assert.same({ "Roe" }, by["Jane Roe"].aliases)
      assert.equals("organization", by["Acme Corp"].type)
    end)

    it("names the file and line of a malformed entry in a Lua list", function()
      local path = tmp(".lua", table.concat({
        "return {",
        "  places = {",
        "    \"Springfield\",",
        "    { \"Shelbyville\", type = 42 },",
        "  },",
        "}",
      }, "\n"))
      local ok, err = pcall(lists.load, path)
      assert.is_false(ok)
      assert.equals(path .. ":4:", err:sub(1, #path + 3))
      assert.matches("type must be a word", err)
      os.remove(path)
    end)

    it("names the line of an unknown key, an unknown section and a bad pattern", function()
      local path = tmp(".lua", "return {\n  people = {\n    { \"A B\", colour = \"red\" },\n  },\n}\n")
      local ok, err = pcall(lists.load, path)
      assert.is_false(ok)
      assert.matches(":3: people%[1%]: unknown key 'colour'", err)
      os.remove(path)
      path = tmp(".lua", "return {\n  titles = { \"Boss\" },\n  placez = { \"X\" },\n}\n")
      ok, err = pcall(lists.load, path)
      assert.is_false(ok)
      assert.matches(":3: unknown section 'placez'", err)
      os.remove(path)
      path = tmp(".lua", "return {\n  patterns = {\n    { type = \"organization\", pattern = \"(unclosed\" },\n  },\n}\n")
      ok, err = pcall(lists.load, path)
      assert.is_false(ok)
      assert.matches(":3: patterns%[1%]: ", err)
      os.remove(path)
    end)

    it("names the line of a syntax error", function()
      local path = tmp(".lua", "return {\n  places = { \"X\" \"Y\" },\n}\n")
      local ok, err = pcall(lists.load, path)
      assert.is_false(ok)
      assert.matches(":2:", err)
      os.remove(path)
    end)

    it("names the file and line of a malformed TSV line", function()
      local path = tmp(".tsv", "Acme Corp\torganization\tAcme\n# a comment\n\nno tab here\n")
      local ok, err = pcall(lists.load, path)
      assert.is_false(ok)
      assert.equals(path .. ":4: expected name<TAB>type<TAB>aliases, found no tab", err)
      os.remove(path)
      path = tmp(".tsv", "Acme\torganization\n\tplace\tX\n")
      ok, err = pcall(lists.load, path)
      assert.is_false(ok)
      assert.equals(path .. ":2: empty name", err)
      os.remove(path)
      path = tmp(".tsv", "Acme\tan organisation\n")
      ok, err = pcall(lists.load, path)
      assert.is_false(ok)
      assert.matches("^" .. path:gsub("%p", "%%%0") .. ":1: type must be a word", err)
      os.remove(path)
    end)

    it("accepts CRLF line ends, comments and blank lines in a TSV list", function()
      local path = tmp(".tsv", "# companies\r\nAcme Corp\torganization\tAcme|ACME\r\n\r\n   \nSpringfield\tplace\n")
      local l = lists.load(path)
      assert.same({ path }, l.tsv)
      os.remove(path)
    end)

    it("raises on an unreadable file", function()
      local ok, err = pcall(lists.load, "/nonexistent/list.lua")
      assert.is_false(ok)
      assert.matches("nonexistent", err)
      ok, err = pcall(lists.load, "/nonexistent/list.tsv")
      assert.is_false(ok)
      assert.matches("nonexistent", err)
    end)

    it("raises on a list that is neither a path nor a table", function()
      assert.has_error(function() lists.load(42) end)
    end)
  end)

  describe("sections for other stages", function()
    it("passes reporting verbs and speech words on, merged", function()
      local merged = lists.stack({
        { reporting_verbs = { { "quip", "quips", "quipped", direct = true } }, speech = { source_cues = { "per" } } },
        { speech = { source_cues = { "as told by" } } },
      })
      assert.same({ "quip", "quips", "quipped", direct = true }, merged.reporting_verbs[1])
      assert.same({ "per", "as told by" }, merged.speech.source_cues)
    end)

    it("raises when such a section is not a table", function()
      local ok, err = pcall(lists.load, { speech = "loud" })
      assert.is_false(ok)
      assert.matches("speech must be a table", err)
    end)
  end)

  describe("locate", function()
    it("finds the line of an entry in a section or in the array part", function()
      local src = "-- { , }\nreturn {\n  { name = \"A\" },\n  \"B|C\",\n  places = {\n    \"X\",\n    { \"Y\" },\n  },\n}\n"
      assert.equals(3, lists.locate(src, nil, 1))
      assert.equals(4, lists.locate(src, nil, 2))
      assert.equals(6, lists.locate(src, "places", 1))
      assert.equals(7, lists.locate(src, "places", 2))
      assert.is_nil(lists.locate(src, "places", 3))
    end)
  end)

  describe("stack", function()
    it("adds the user's lists after the built-in ones", function()
      local merged = lists.stack({ { titles = { "Chief Widget Officer" }, places = { "Springfield" } } })
      local found = false
      for _, t in ipairs(merged.titles) do if t == "Chief Widget Officer" then found = true end end
      assert.is_true(found)
      assert.is_true(#merged.entities > #lists.builtin().entities)
    end)

    it("does not change the built-in lists", function()
      local n = #lists.builtin().entities
      lists.stack({ { places = { "Springfield" } } })
      assert.equals(n, #lists.builtin().entities)
    end)
  end)

  describe("a user's list in lede.new", function()
    local text = "Chief Widget Officer Jane Roe of Zorblat Industries said on Monday that the "
      .. "company would open a Springfield plant. Roe said ZRB-1000 sales doubled.\n\n"
      .. "Zorblat rival Acme Widgets declined to comment, Roe added."

    it("takes effect without a rebuild (Lua file)", function()
      local before = lede.new():extract(text, { clean = false })
      assert.is_nil(entity(before, "Springfield"))
      local path = tmp(".lua", table.concat({
        "return {",
        "  places = { \"Springfield\" },",
        "  organizations = { \"Zorblat Industries|Zorblat\" },",
        "  titles = { \"Chief Widget Officer\" },",
        "  patterns = { { name = \"product\", type = \"product\", pattern = \"\\\\bZRB-\\\\d+\\\\b\" } },",
        "}",
      }, "\n"))
      local doc = lede.new({ lists = { path } }):extract(text, { clean = false })
      os.remove(path)
      assert.equals("place", entity(doc, "Springfield").type)
      local z = entity(doc, "Zorblat Industries")
      assert.equals("organization", z.type)
      assert.equals(2, #z.mentions)
      local roe = entity(doc, "Jane Roe")
      assert.equals("person", roe.type)
      assert.same({ "Chief Widget Officer" }, roe.roles)
      assert.equals(3, #roe.mentions)
      assert.equals("product", entity(doc, "ZRB-1000").type)
      for _, e in ipairs(doc.entities) do
        for _, m in ipairs(e.mentions) do
          assert.equals(m.text, text:sub(m.start, m.stop))
        end
      end
    end)

    it("takes effect without a rebuild (TSV file)", function()
      local path = tmp(".tsv", "Acme Widgets\torganization\tAcme\nSpringfield\tplace\n")
      local doc = lede.new({ lists = { path } }):extract(text, { clean = false })
      os.remove(path)
      assert.equals("organization", entity(doc, "Acme Widgets").type)
      assert.equals("place", entity(doc, "Springfield").type)
    end)

    it("can remove and ignore built-in names", function()
      local t = "Georgia officials said the Indo-Pacific plan was new. Jordan Smith agreed."
      local doc = lede.new({ lists = { { remove = { "Georgia" } } } }):extract(t, { clean = false })
      assert.is_nil(entity(doc, "Georgia"))
      doc = lede.new({ lists = { { ignore = { "Jordan Smith" } } } }):extract(t, { clean = false })
      assert.is_nil(entity(doc, "Jordan Smith"))
      assert.is_nil(entity(doc, "Jordan"))
    end)

    it("raises naming file and line when the list is malformed", function()
      local path = tmp(".tsv", "Acme\torganization\nbroken line\n")
      local ok, err = pcall(lede.new, { lists = { path } })
      os.remove(path)
      assert.is_false(ok)
      assert.matches(":2: expected name<TAB>type", err)
    end)
  end)

  describe("bin/lede --lists", function()
    local function run(args)
      local errfile = os.tmpname()
      local p = assert(io.popen("lua5.4 bin/lede " .. args .. " 2>" .. errfile .. "; echo \"<<$?>>\""))
      local out = p:read("*a")
      p:close()
      local f = io.open(errfile, "rb")
      local err = f:read("*a")
      f:close()
      os.remove(errfile)
      return out:gsub("<<%d+>>%s*$", ""), tonumber(out:match("<<(%d+)>>%s*$")), err
    end

    it("uses a list file given on the command line", function()
      local list = tmp(".lua", "return { places = { \"Springfield\" } }\n")
      local input = tmp(".txt", "Mayor Joe Quimby of Springfield said the plant would stay open.\n")
      local out, status = run("extract " .. input .. " --no-clean --lists " .. list .. " --format json")
      os.remove(list)
      os.remove(input)
      assert.equals(0, status)
      local doc = require("cjson").decode(out)
      assert.is_truthy(entity(doc, "Springfield"))
    end)

    it("fails naming the file and line of a malformed list", function()
      local list = tmp(".tsv", "Springfield\tplace\nbroken\n")
      local input = tmp(".txt", "Springfield.\n")
      local _, status, err = run("extract " .. input .. " --lists " .. list)
      os.remove(list)
      os.remove(input)
      assert.not_equals(0, status)
      assert.matches(list:gsub("%p", "%%%0") .. ":2: expected name<TAB>type", err)
    end)
  end)
end)
