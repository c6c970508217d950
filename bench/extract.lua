--- Throughput of the whole extract over the corpus text files, per stage.
--
--   lua5.4 bench/extract.lua [--corpus ../shared/corpus] [--runs 5] [--body-meta]
--
-- `--body-meta` leaves the entities and quotes stages out.
--
-- Prints, per folder, the median documents/s and MB/s over all its files
-- (one core) of `extractor:extract` on each file and of
-- `extractor:extract_many` on them all, and the share of each pipeline step.
-- The shares come from one more run per folder with each step timed; the
-- timed runs themselves call lede as a user does, with no timing inside,
-- each with a new extractor (made outside the timing).
-- Each timed run is followed by a run of a fixed Lua workload (`reference`,
-- tables, strings and patterns, the same in every version of lede): the
-- column docs/ref is the documents extracted in the time of one reference
-- run, which moves much less than docs/s when the machine is shared.

local M = {}

local clock = os.clock

local function median(t)
  table.sort(t)
  local n = #t
  if n % 2 == 1 then return t[(n + 1) / 2] end
  return (t[n / 2] + t[n / 2 + 1]) / 2
end
M.median = median

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function list(dir)
  local files = {}
  local p = io.popen('ls "' .. dir .. '" 2>/dev/null')
  if p then
    for name in p:lines() do
      if name:match("%.txt$") then files[#files + 1] = dir .. "/" .. name end
    end
    p:close()
  end
  return files
end
M.list = list

-- The fixed workload: lede is not involved, so its time says how fast the
-- machine runs Lua at the moment.
local REF_TEXT = ("The quick brown fox, said Mr. Smith, jumped over 12 lazy dogs. "):rep(40)
local function reference()
  local t0 = clock()
  local acc = 0
  for r = 1, 60 do
    local words = {}
    for w in REF_TEXT:gmatch("%a+") do
      local rec = { word = w, len = #w, up = w:upper() }
      words[#words + 1] = rec
      acc = acc + rec.len
    end
    local index = {}
    for k, rec in ipairs(words) do index[rec.word .. k % 7] = rec end
    table.sort(words, function(a, b) return a.up < b.up end)
    acc = acc + #table.concat({ words[1].word, words[#words].word, tostring(r) }, " ")
    if REF_TEXT:find("dogs%.", 1 + r) then acc = acc + 1 end
    for _ in pairs(index) do acc = acc + 1 end
  end
  return clock() - t0, acc
end
M.reference = reference

-- The two ways of extracting a folder: `extract` on each text, and
-- `extract_many` on them all.
local WAYS = { "one", "many" }
local WAY_NAMES = { one = "extract", many = "extract_many" }

function M.run(corpus, runs, opts)
  local lede = require "lede"
  local ex
  -- a second extractor whose step functions are wrapped to time each step
  local steps = lede.new(opts)
  local spent, order = {}, {}
  for name, mod in pairs(steps.modules) do
    local wrapped = {}
    for fname, fn in pairs(mod) do
      if type(fn) == "function" and (fname == "run" or fname == "sentences") then
        local key = name .. (fname == "run" and "" or "." .. fname)
        spent[key] = 0
        order[#order + 1] = key
        wrapped[fname] = function(ctx, state)
          local t0 = clock()
          fn(ctx, state)
          spent[key] = spent[key] + (clock() - t0)
        end
      else
        wrapped[fname] = fn
      end
    end
    steps.modules[name] = wrapped
  end
  print(("%-24s %-13s %6s %9s %10s %9s %9s"):format("extract (1 core)", "call", "docs", "MB", "docs/s", "MB/s",
    "docs/ref"))
  local ref_all = {}
  local folders = { "aeb/input", "aeb/input_cropped", "wcxb/input", "readability/input", "horne2017/input" }
  for _, folder in ipairs(folders) do
    local texts, bytes = {}, 0
    for _, f in ipairs(list(corpus .. "/" .. folder)) do
      local s = read(f)
      if s then texts[#texts + 1] = s; bytes = bytes + #s end
    end
    if #texts > 0 then
      -- (one run of each way in turn: each with a new extractor, made
      -- outside the timing, so that what it keeps from one document to
      -- the next starts empty, as for a stream of pages not seen before)
      local times, refs = { one = {}, many = {} }, { one = {}, many = {} }
      for r = 1, runs do
        for _, way in ipairs(WAYS) do
          ex = lede.new(opts)
          collectgarbage("collect")
          local t0 = clock()
          if way == "many" then
            ex:extract_many(texts)
          else
            for _, s in ipairs(texts) do ex:extract(s) end
          end
          times[way][r] = clock() - t0
          collectgarbage("collect")
          refs[way][r] = reference()
          ref_all[#ref_all + 1] = refs[way][r]
        end
      end
      for _, way in ipairs(WAYS) do
        local t, ref = median(times[way]), median(refs[way])
        print(("%-24s %-13s %6d %9.2f %10.0f %9.2f %9.1f"):format(folder, WAY_NAMES[way], #texts,
          bytes / 1e6, #texts / t, bytes / 1e6 / t, #texts / t * ref))
      end
      collectgarbage("collect")
      for _, s in ipairs(texts) do steps:extract(s) end
    end
  end
  local sum = 0
  for _, v in pairs(spent) do sum = sum + v end
  if sum > 0 then
    table.sort(order, function(a, b) return spent[a] > spent[b] end)
    local parts = {}
    for _, k in ipairs(order) do
      parts[#parts + 1] = ("%s %.0f%%"):format(k, 100 * spent[k] / sum)
    end
    print("time by step (all folders): " .. table.concat(parts, ", "))
    print("slowest step: " .. order[1])
  end
  if #ref_all > 0 then
    print(("reference workload: median %.1f ms over %d runs"):format(median(ref_all) * 1000, #ref_all))
  end
end

if arg and arg[0] and arg[0]:match("extract%.lua$") then
  local corpus, runs, opts = "../shared/corpus", 5, nil
  local i = 1
  while arg[i] do
    if arg[i] == "--corpus" then corpus = arg[i + 1]; i = i + 2
    elseif arg[i] == "--runs" then runs = tonumber(arg[i + 1]); i = i + 2
    elseif arg[i] == "--body-meta" then
      opts = { entities = false, quotes = false }; i = i + 1
    else i = i + 1 end
  end
  M.run(corpus, runs, opts)
end

return M
