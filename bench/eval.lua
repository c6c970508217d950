--- Scores the extractor over the evaluation corpus.
--
--   lua5.4 bench/eval.lua [--corpus ../shared/corpus] [--out build/eval]
--                         [--only aeb/input_cropped] [--stages] [--no-url] [--cpath 'build/x/?.so']
--   make eval [BUILD=build/x]
--
-- Runs the extractor over aeb/input, aeb/input_cropped, wcxb/input,
-- readability/input and horne2017/input, writes each document's body
-- (`<out>/<set>/<id>.txt`) and metadata (`<out>/<set>/<id>.json`), runs the
-- corpus scorers (`tools/score_body.py`, `tools/score_meta.py`) and prints one
-- table: body P/R/F1 and date/title/author accuracy per set, next to the
-- do-nothing baselines of the corpus README, plus documents per second.
-- Each document is extracted with the page's URL from the corpus
-- `MANIFEST.tsv` as `url` (where known), as a caller that fetched it would;
-- `--no-url` leaves it out, for the figures of a caller that only has text.
-- `--stages` drives normalise/segment/classify/meta directly instead of the
-- whole pipeline (entities and quotes skipped).

package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
-- the module of `make BUILD=...` (make passes BUILD to the environment), else
-- the default build
package.cpath = (os.getenv("BUILD") or "build/lua5.4") .. "/?.so;" .. package.cpath

local clock = os.clock

local SETS = {
  { name = "aeb_input", dir = "aeb/input", gold = "aeb/gold", baseline = 0.666 },
  { name = "aeb_cropped", dir = "aeb/input_cropped", gold = "aeb/gold", baseline = 0.850 },
  { name = "wcxb", dir = "wcxb/input", gold = "wcxb/gold", baseline = 0.799, meta = true },
  { name = "readability", dir = "readability/input", gold = "readability/gold", baseline = 0.624, meta = true },
  { name = "horne2017", dir = "horne2017/input", gold = "horne2017/gold", meta = true, nobody = true },
}

local function parse_args(argv)
  local o = { corpus = "../shared/corpus", out = "build/eval" }
  local k = 1
  while k <= #argv do
    local a = argv[k]
    if a == "--corpus" or a == "--out" or a == "--only" or a == "--cpath" then
      o[a:sub(3)] = argv[k + 1]
      k = k + 2
    elseif a == "--stages" then
      o.stages = true
      k = k + 1
    elseif a == "--no-url" then
      o.no_url = true
      k = k + 1
    else
      io.stderr:write("eval.lua: unknown argument " .. a .. "\n")
      os.exit(2)
    end
  end
  if o.cpath then package.cpath = o.cpath .. ";" .. package.cpath end
  return o
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

local function list(dir)
  local files = {}
  local p = io.popen('ls "' .. dir .. '" 2>/dev/null')
  for name in p:lines() do
    if name:match("%.txt$") then files[#files + 1] = name end
  end
  p:close()
  return files
end

local function json_string(s)
  if s == nil then return "null" end
  s = s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\"
    elseif c == "\n" then return "\\n" elseif c == "\t" then return "\\t" end
    return string.format("\\u%04x", c:byte())
  end)
  return '"' .. s .. '"'
end

local function json_meta(meta)
  local authors = {}
  for n, a in ipairs(meta.authors or {}) do authors[n] = json_string(a) end
  return string.format('{"title": %s, "date": %s, "authors": [%s], "publisher": %s, "language": %s}\n',
    json_string(meta.title), json_string(meta.date), table.concat(authors, ", "),
    json_string(meta.publisher), json_string(meta.language or nil))
end

-- An extract function: the whole pipeline, or the stages this bench owns.
local function extractor(stages)
  if not stages then
    local ok, lede = pcall(require, "lede")
    if ok then
      local ok2, ex = pcall(lede.new)
      if ok2 then
        return function(text, opts) return ex:extract(text, opts) end, "pipeline"
      end
      io.stderr:write("eval.lua: pipeline unavailable (" .. tostring(ex) .. "), using stages\n")
    else
      io.stderr:write("eval.lua: lede unavailable (" .. tostring(lede) .. "), using stages\n")
    end
  end
  local packs = require("lede.packs").stack()
  local config = { packs = packs, opts = {} }
  local mods, states, names = {}, {}, {}
  for _, name in ipairs({ "normalize", "segment", "classify", "meta" }) do
    local ok, mod = pcall(require, "lede." .. name)
    if ok then
      names[#names + 1] = name
      mods[name] = mod
      states[name] = mod.compile(config)
    else
      io.stderr:write("eval.lua: stage " .. name .. " unavailable: " .. tostring(mod) .. "\n")
    end
  end
  return function(text, opts)
    local ctx = { input = text, opts = opts or {} }
    for _, name in ipairs(names) do
      mods[name].run(ctx, states[name])
    end
    local body = {}
    for _, b in ipairs(ctx.blocks) do
      if b.kind == "body" then body[#body + 1] = b.text end
    end
    return { meta = ctx.meta or {}, body = table.concat(body, "\n\n"), blocks = ctx.blocks }
  end, "stages"
end

-- The page URLs of MANIFEST.tsv ("folder<TAB>id<TAB>...<TAB>url<TAB>site"), by
-- folder and id: a caller usually knows where a page came from.
local function manifest_urls(corpus)
  local urls = {}
  local f = io.open(corpus .. "/MANIFEST.tsv", "rb")
  if not f then return urls end
  for line in f:lines() do
    local folder, id, url = line:match("^([^\t]*)\t([^\t]*)\t[^\t]*\t[^\t]*\t([^\t]*)")
    if folder and url and url:find("^%a[%w+.-]*://") then
      urls[folder] = urls[folder] or {}
      urls[folder][id] = url
    end
  end
  f:close()
  return urls
end

local function run_python(cmd)
  local p = io.popen(cmd .. " 2>/dev/null")
  local out = p:read("*a")
  p:close()
  return out
end

local function main(argv)
  local o = parse_args(argv)
  local extract, how = extractor(o.stages)
  os.execute('mkdir -p "' .. o.out .. '"')
  local tools = o.corpus .. "/../tools"
  local urls = o.no_url and {} or manifest_urls(o.corpus)
  local rows = {}
  for _, set in ipairs(SETS) do
    if not o.only or o.only == set.dir or o.only == set.name then
      local dir = o.corpus .. "/" .. set.dir
      local out = o.out .. "/" .. set.name
      os.execute('mkdir -p "' .. out .. '"')
      local files = list(dir)
      local inputs = {}
      for n, name in ipairs(files) do inputs[n] = read(dir .. "/" .. name) end
      local t0 = clock()
      local docs = {}
      local set_urls = urls[set.dir:match("^[^/]+")] or {}
      for n, name in ipairs(files) do
        docs[n] = extract(inputs[n], { source = name, url = set_urls[name:gsub("%.txt$", "")] })
      end
      local elapsed = clock() - t0
      for n, name in ipairs(files) do
        local id = name:gsub("%.txt$", "")
        write(out .. "/" .. id .. ".txt", docs[n].body or "")
        write(out .. "/" .. id .. ".json", json_meta(docs[n].meta or {}))
      end
      local row = { set = set, docs = #files, rate = elapsed > 0 and #files / elapsed or 0 }
      if not set.nobody then
        local s = run_python(string.format('python3 "%s/score_body.py" "%s/%s" "%s"', tools, o.corpus,
          set.gold, out))
        row.p, row.r, row.f = s:match("P=([%d.]+)%s+R=([%d.]+)%s+F1=([%d.]+)")
      end
      if set.meta then
        local s = run_python(string.format('python3 "%s/score_meta.py" "%s/%s" "%s"', tools, o.corpus,
          set.gold, out))
        row.date = s:match("date_accuracy (%S+ %(%d+/%d+)")
        row.title = s:match("title_accuracy (%S+ %(%d+/%d+)")
        row.author = s:match("author_accuracy (%S+ %(%d+/%d+)")
      end
      rows[#rows + 1] = row
    end
  end
  print(string.format("lede eval (%s) over %s", how, o.corpus))
  print(string.format("%-12s %5s %6s %6s %6s %8s  %-15s %-15s %-15s %8s", "set", "docs", "P", "R", "F1",
    "baseline", "date", "title", "author", "docs/s"))
  for _, r in ipairs(rows) do
    local function paren(s) return s and (s .. ")") or "-" end
    print(string.format("%-12s %5d %6s %6s %6s %8s  %-15s %-15s %-15s %8.0f", r.set.name, r.docs,
      r.p or "-", r.r or "-", r.f or "-", r.set.baseline and string.format("%.3f", r.set.baseline) or "-",
      paren(r.date), paren(r.title), paren(r.author), r.rate))
  end
end

main(arg)
