local report = require "lede.report"
local json = require "lede.formats.json"
local cjson = require "cjson"

local function sample()
  return {
    source = "a.txt",
    meta = { title = "Ministers meet", date = "2021-07-27", authors = {}, tags = { "talks" },
             related = {}, language = "en", publisher = "Sputnik" },
    body = "First paragraph.\n\nSecond \"one\", with <tags> & commas.",
    blocks = {
      { text = "19:20 GMT", start = 1, stop = 9, kind = "dateline", rule = "default:dateline#1" },
      { text = "First paragraph.", start = 11, stop = 26, kind = "body" },
      { text = "Second \"one\", with <tags> & commas.", start = 28, stop = 63, kind = "body" },
    },
    entities = { { name = "Wang Yi", type = "person", aliases = {}, roles = { "Foreign Minister" },
                   mentions = { { text = "Wang Yi", start = 1, stop = 7 } } } },
    quotes = { { text = "We agree", kind = "direct", speaker = "Wang Yi", speaker_text = "he",
                 cue = "said", start = 40, stop = 47 } },
  }
end

describe("lede.report json", function()
  it("encodes empty lists as arrays and absent values as null", function()
    local s = report.render(sample(), "json")
    local d = cjson.decode(s)
    assert.equals("table", type(d.meta.authors))
    assert.matches('"authors":%[%]', s)
    assert.matches('"related":%[%]', s)
    assert.matches('"date_text":null', s)
    assert.matches('"url":null', s)
    assert.equals(cjson.null, d.blocks[2].rule)
  end)

  it("keeps OUTPUT.md's key order", function()
    local s = report.render(sample(), "json")
    assert.truthy(s:find('"source"', 1, true) < s:find('"meta"', 1, true))
    assert.truthy(s:find('"meta"', 1, true) < s:find('"body"', 1, true))
    assert.truthy(s:find('"body"', 1, true) < s:find('"blocks"', 1, true))
  end)

  it("round-trips through cjson", function()
    local d = cjson.decode(report.render(sample(), "json"))
    assert.equals("Wang Yi", d.entities[1].name)
    assert.equals(47, d.quotes[1].stop)
    assert.equals(sample().body, d.body)
  end)

  it("pretty-prints the same value", function()
    local compact = cjson.decode(report.render(sample(), "json"))
    local pretty = report.render(sample(), "json", { pretty = true })
    assert.matches("\n  \"meta\": {", pretty)
    assert.same(compact, cjson.decode(pretty))
  end)

  it("encodes integers without a decimal point", function()
    assert.equals("[1,2.5,3]", json.encode({ 1, 2.5, 3 }))
  end)
end)

describe("lede.report other formats", function()
  it("jsonl is one line", function()
    local s = report.render(sample(), "jsonl")
    assert.equals(1, select(2, s:gsub("\n", "")))
    assert.equals("\n", s:sub(-1))
  end)

  it("text is the body", function()
    assert.equals(sample().body .. "\n", report.render(sample(), "text"))
  end)

  it("markdown has the title, body, entities and quotes", function()
    local s = report.render(sample(), "markdown")
    assert.matches("^# Ministers meet", s)
    assert.matches("First paragraph%.", s)
    assert.matches("%*%*Wang Yi%*%* %(person%): Foreign Minister", s)
    assert.matches("> We agree", s)
  end)

  it("csv quotes fields and writes a header", function()
    local s = report.render(sample(), "csv")
    local header, row = s:match("^(.-)\r\n(.*)\r\n$")
    assert.equals("source,date,title,authors,publisher,language,tags,url,entities,quotes,body", header)
    assert.matches('Second ""one"", with <tags> & commas%."$', row)
    assert.not_matches("^source", report.render(sample(), "csv", { header = false }))
  end)

  it("html escapes text", function()
    local s = report.render(sample(), "html")
    assert.matches("&lt;tags&gt; &amp; commas", s)
    assert.not_matches("<tags>", s)
    assert.matches("<h1>Ministers meet</h1>", s)
  end)
end)

describe("lede.report user formats", function()
  it("takes a function", function()
    assert.equals("a.txt", report.render(sample(), function(doc) return doc.source end))
  end)

  it("loads a format file sandboxed", function()
    local path = os.tmpname() .. ".lua"
    local f = assert(io.open(path, "wb"))
    f:write("return function(doc) return string.upper(doc.source) end\n")
    f:close()
    assert.equals("A.TXT", report.render(sample(), path))
    os.remove(path)
  end)

  it("names file and line of a broken format file", function()
    local path = os.tmpname() .. ".lua"
    local f = assert(io.open(path, "wb"))
    f:write("-- a format\nreturn function(doc) return os.date() end\n")
    f:close()
    local ok, err = pcall(report.render, sample(), path)
    os.remove(path)
    assert.is_false(ok)
    assert.matches(":2:", err)
  end)

  it("raises on an unknown format", function()
    local ok, err = pcall(report.render, sample(), "yaml")
    assert.is_false(ok)
    assert.matches("unknown format 'yaml'", err)
  end)

  it("raises when a format returns no string", function()
    local ok, err = pcall(report.render, sample(), function() return 1 end)
    assert.is_false(ok)
    assert.matches("returned number", err)
  end)
end)
