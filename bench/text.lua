--- Throughput of lede.core's text and segmentation functions.
--
-- Usage: lua5.4 bench/text.lua [--cpath build/lua5.4/?.so] [--corpus ../shared/corpus]
--                              [--reps 5] [--size 20]
--
-- Runs normalize, blocks, sentences and tokens over every corpus input
-- (`<corpus>/*/input/*.txt`) and over a synthetic input of `--size` MB built
-- from them, `--reps` times each, and prints the median MB/s and documents/s.
-- Times are CPU seconds (os.clock).

local opts = { cpath = "build/lua5.4/?.so", corpus = "../shared/corpus", reps = 5, size = 20 }
local k = 1
while k <= #arg do
  local key = arg[k]:match("^%-%-(.+)$")
  if not key or opts[key] == nil or arg[k + 1] == nil then
    io.stderr:write("usage: lua5.4 bench/text.lua [--cpath PATH] [--corpus DIR] [--reps N] [--size MB]\n")
    os.exit(2)
  end
  opts[key] = type(opts[key]) == "number" and assert(tonumber(arg[k + 1]), key) or arg[k + 1]
  k = k + 2
end
package.cpath = opts.cpath .. ";" .. package.cpath

local core = require "lede.core"
local clock = os.clock

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local docs, bytes = {}, 0
local ls = io.popen('ls "' .. opts.corpus .. '"/*/input/*.txt 2>/dev/null')
for path in ls:lines() do
  local s = read(path)
  docs[#docs + 1] = s
  bytes = bytes + #s
end
ls:close()
if #docs == 0 then
  io.stderr:write("no inputs under " .. opts.corpus .. "/*/input/\n")
  os.exit(1)
end

local function median(t)
  table.sort(t)
  local n = #t
  if n % 2 == 1 then return t[(n + 1) / 2] end
  return (t[n / 2] + t[n / 2 + 1]) / 2
end

-- Median seconds of reps runs of f over the array of subjects.
local function time(f, subjects)
  local runs = {}
  for r = 1, opts.reps do
    collectgarbage()
    collectgarbage()
    local t0 = clock()
    for d = 1, #subjects do f(subjects[d]) end
    runs[r] = clock() - t0
  end
  return median(runs)
end

local ABBREVS = { ["Mr."] = true, ["Mrs."] = true, ["Dr."] = true, ["Sen."] = true, ["Gov."] = true,
  ["Jan."] = true, ["Feb."] = true, ["Aug."] = true, ["Sept."] = true, ["Oct."] = true,
  ["Nov."] = true, ["Dec."] = true, ["St."] = true, ["No."] = true, ["vs."] = true }

local function cases(texts)
  return {
    { "normalize", function(s) core.normalize(s) end, "input" },
    { "utf8_check", function(s) core.utf8_check(s) end, "input" },
    { "lines", function(s) core.lines(s) end, "text" },
    { "blocks", function(s) core.blocks(s) end, "text" },
    { "sentences", function(s) core.sentences(s, 1, -1, ABBREVS) end, "text" },
    { "tokens", function(s) core.tokens(s) end, "text" },
  }, texts
end

local function run(label, inputs)
  local texts, total = {}, 0
  for d = 1, #inputs do
    texts[d] = core.normalize(inputs[d])
    total = total + #inputs[d]
  end
  print(string.format("%s: %d documents, %.1f MB, %d repetitions (median)", label, #inputs,
    total / 1e6, opts.reps))
  print(string.format("  %-12s %10s %12s", "function", "MB/s", "docs/s"))
  local list = cases(texts)
  for _, c in ipairs(list) do
    local subjects = c[3] == "input" and inputs or texts
    local t = time(c[2], subjects)
    if t <= 0 then t = 1e-9 end
    print(string.format("  %-12s %10.1f %12.0f", c[1], total / 1e6 / t, #inputs / t))
  end
end

run("corpus " .. opts.corpus, docs)

-- A synthetic large input: the corpus concatenated until it reaches --size MB.
local parts, size = {}, 0
while size < opts.size * 1e6 do
  for d = 1, #docs do
    parts[#parts + 1] = docs[d]
    size = size + #docs[d]
    if size >= opts.size * 1e6 then break end
  end
end
run("synthetic", { table.concat(parts, "\n") })
