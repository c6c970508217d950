local cjson = require "cjson"

local function run(args, stdin)
  local errfile = os.tmpname()
  local cmd = "lua5.4 bin/lede " .. args .. " 2>" .. errfile
  if stdin then
    local inp = os.tmpname()
    local f = assert(io.open(inp, "wb"))
    f:write(stdin)
    f:close()
    cmd = cmd .. " < " .. inp
  end
  local p = assert(io.popen(cmd .. "; echo \"<<$?>>\""))
  local out = p:read("*a")
  p:close()
  local f = io.open(errfile, "rb")
  local err = f and f:read("*a") or ""
  if f then f:close() end
  os.remove(errfile)
  local status = tonumber(out:match("<<(%d+)>>%s*$"))
  return out:gsub("<<%d+>>%s*$", ""), status, err
end

describe("bin/lede extract", function()
  it("prints one JSON document", function()
    local out, status = run("extract examples/seed.txt --format json")
    assert.equals(0, status)
    local doc = cjson.decode(out)
    assert.equals("examples/seed.txt", doc.source)
    assert.is_true(#doc.blocks > 0)
    assert.equals(1, select(2, out:gsub("\n", "")))
  end)

  it("prints the clean body as text", function()
    local out, status = run("extract examples/seed.txt --format text")
    assert.equals(0, status)
    assert.matches("^Chinese Foreign Minister Wang Yi", out)
    assert.not_matches("Get short URL", out)
  end)

  it("reads standard input", function()
    local out, status = run("extract - --format text", "One paragraph of text here.\n")
    assert.equals(0, status)
    assert.equals("One paragraph of text here.\n", out)
  end)

  it("writes JSONL, one line per file", function()
    local out, status = run("extract examples/seed.txt examples/seed.txt --format jsonl")
    assert.equals(0, status)
    assert.equals(2, select(2, out:gsub("\n", "")))
  end)

  it("reports an unreadable file and goes on with the others", function()
    local out, status, err = run("extract /nonexistent/x.txt examples/seed.txt --format jsonl")
    assert.equals(1, status)
    assert.matches("/nonexistent/x%.txt", err)
    assert.equals(1, select(2, out:gsub("\n", "")))
  end)

  it("rejects an unknown format clearly", function()
    local _, status, err = run("extract examples/seed.txt --format yaml")
    assert.equals(1, status)
    assert.matches("unknown format 'yaml'", err)
  end)

  it("reports usage errors", function()
    local _, status, err = run("extract")
    assert.equals(2, status)
    assert.matches("Usage", err)
  end)

  it("streams JSON lines with --input jsonl, reporting bad lines by number", function()
    local input = '{"id":"a","text":"The minister said the talks went well and would go on."}\n'
      .. "not json\n"
      .. '{"text":"Leaders met at the summit in Beijing on Tuesday, officials said."}\n'
    local out, status, err = run("extract - --input jsonl --format jsonl", input)
    assert.equals(1, status)
    assert.matches("%-:2: invalid JSON", err)
    local lines = {}
    for line in out:gmatch("[^\n]+") do lines[#lines + 1] = cjson.decode(line) end
    assert.equals(2, #lines)
    assert.equals("a", lines[1].source)
    assert.equals("-:3", lines[2].source)
  end)

  it("writes many documents in order, reporting the one whose extraction raises", function()
    local lines = {}
    for k = 1, 70 do
      local text = k == 37 and ("a"):rep(5000) .. "b"
        or ("Paragraph %d: the minister said the talks in Beijing went well and would go on."):format(k)
      lines[k] = cjson.encode({ id = "d" .. k, text = text })
    end
    local out, status, err = run("extract - --input jsonl --format jsonl --rules spec/fixtures/bp/catastrophic.lua",
      table.concat(lines, "\n") .. "\n")
    assert.equals(1, status)
    assert.matches("lede: d37: .*catastrophic.lua:4", err)
    local k = 0
    for line in out:gmatch("[^\n]+") do
      k = k + 1
      local doc = cjson.decode(line)
      assert.equals("d" .. (k < 37 and k or k + 1), doc.source)
      assert.matches(("^Paragraph %d:"):format(k < 37 and k or k + 1), doc.body)
    end
    assert.equals(69, k)
  end)

  it("keeps all the input with --no-clean", function()
    local out, status = run("extract - --no-clean --format text", "Listen Live\n\nThe minister spoke.\n")
    assert.equals(0, status)
    assert.equals("Listen Live\n\nThe minister spoke.\n", out)
  end)

  it("leaves the entities and quotes stages out on request", function()
    local full = cjson.decode((run("extract examples/seed.txt")))
    local out, status = run("extract examples/seed.txt --no-entities --no-quotes")
    assert.equals(0, status)
    local doc = cjson.decode(out)
    assert.is_true(#full.entities > 0 and #full.quotes > 0)
    assert.equals(0, #doc.entities)
    assert.equals(0, #doc.quotes)
    assert.equals(full.body, doc.body)
    assert.same(full.meta, doc.meta)
  end)
end)
