--- Gazetteer benchmark: build time, image open time, memory and scan throughput of
-- lede.core's gazetteer at 100,000 and 1,000,000 phrases, beside Debian's
-- python3-ahocorasick on the same phrases and text.
--
--   lua5.4 bench/gazetteer.lua [--cpath build/x/?.so] [--text FILE...]
--     [--mb 20] [--runs 5] [--no-python]
--
-- Phrases are synthetic and deterministic: 1 to 4 words from a vocabulary
-- of about 50,000 pseudo-words plus real-looking personal and place names,
-- in mixed case. The text is the corpus text files (../shared/corpus/*/
-- input*/*.txt by default) concatenated and repeated to at least 20 MB, with
-- a phrase planted about every 2 KB. Times are CPU seconds (os.clock) with
-- Lua's collector stopped, MB/s are medians over the runs.
-- @script bench.gazetteer

local args = { ... }
local cpath, texts, mb, runs, python = nil, {}, 20, 5, true
do
  local k = 1
  while k <= #args do
    local a = args[k]
    if a == "--cpath" then
      cpath = args[k + 1]; k = k + 2
    elseif a == "--text" then
      k = k + 1
      while args[k] and not args[k]:match("^%-%-") do
        texts[#texts + 1] = args[k]; k = k + 1
      end
    elseif a == "--mb" then
      mb = tonumber(args[k + 1]); k = k + 2
    elseif a == "--runs" then
      runs = tonumber(args[k + 1]); k = k + 2
    elseif a == "--no-python" then
      python = false; k = k + 1
    else
      io.stderr:write("usage: lua5.4 bench/gazetteer.lua [--cpath build/x/?.so] [--text FILE...]",
                      " [--mb N] [--runs N] [--no-python]\n")
      os.exit(2)
    end
  end
end
package.cpath = (cpath or "build/lua5.4/?.so") .. ";" .. package.cpath
local core = require "lede.core"

local clock, floor, concat, sort = os.clock, math.floor, table.concat, table.sort

-- Deterministic generator (a 64-bit LCG; Lua 5.4 integers wrap).
local seed = 20261128
local function rand(n)
  seed = seed * 6364136223846793005 + 1442695040888963407
  return ((seed >> 33) % n) + 1
end

-- ~50,000 distinct pseudo-words made of syllables.
local onsets = { "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m",
                 "n", "p", "pr", "qu", "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "z", "" }
local nuclei = { "a", "e", "i", "o", "u", "ai", "ea", "ou", "y", "io" }
local codas = { "", "", "n", "r", "s", "l", "m", "x", "nd", "rt", "st", "k" }
local vocab, seen = {}, {}
while #vocab < 50000 do
  local parts = {}
  for _ = 1, rand(3) + 1 do
    parts[#parts + 1] = onsets[rand(#onsets)] .. nuclei[rand(#nuclei)] .. codas[rand(#codas)]
  end
  local w = concat(parts)
  if #w >= 4 and not seen[w] then seen[w] = true; vocab[#vocab + 1] = w end
end

local firsts = { "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
  "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
  "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark",
  "Sandra", "Donald", "Ashley", "Steven", "Emily", "Paul", "Kimberly", "Andrew", "Donna", "Joshua",
  "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah",
  "Emmanuel", "Angela", "Boris", "Olaf", "Xi", "Vladimir", "Jacinda", "Narendra", "Recep",
  "Kyung-wha", "José", "François", "Zoë", "Søren", "Łukasz", "Ольга", "Дмитрий", "Νίκος" }
local lasts = { "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
  "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
  "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
  "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
  "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera",
  "Campbell", "Mitchell", "Carter", "Roberts", "Macron", "Johnson", "Scholz", "Jinping", "Putin",
  "Ardern", "Modi", "Erdoğan", "Kang", "Müller", "Dupont", "Kowalski", "Иванов", "Παπαδόπουλος" }
local places = { "York", "Jersey", "Orleans", "Hampshire", "Delhi", "Zealand", "Mexico", "Haven",
  "Brunswick", "Caledonia", "Guinea", "Wales", "Castle", "Port", "Bay", "Springs", "Falls" }
local prefixes = { "New", "Port", "San", "Santa", "Fort", "Lake", "Mount", "Saint", "East",
  "West", "North", "South", "Upper", "Lower", "Great" }

local function cased(w)
  local r = rand(10)
  if r <= 5 then return w:sub(1, 1):upper() .. w:sub(2) end
  if r == 6 then return w:upper() end
  return w
end

-- 1,000,000 distinct phrases; the first 100,000 are the small set.
local function gen_phrases(n)
  local out, have = {}, {}
  while #out < n do
    local r, p = rand(100)
    if r <= 25 then
      p = firsts[rand(#firsts)] .. " " .. lasts[rand(#lasts)]
      if rand(3) == 1 then p = p .. " " .. cased(vocab[rand(#vocab)]) end
    elseif r <= 30 then
      p = prefixes[rand(#prefixes)] .. " " .. (rand(2) == 1 and places[rand(#places)]
          or cased(vocab[rand(#vocab)]))
    else
      local words = {}
      for k = 1, rand(4) do words[k] = cased(vocab[rand(#vocab)]) end
      p = concat(words, " ")
    end
    local key = p:lower()
    if not have[key] then have[key] = true; out[#out + 1] = p end
  end
  return out
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

if #texts == 0 then
  local p = assert(io.popen("ls ../shared/corpus/*/input*/*.txt 2>/dev/null"))
  for line in p:lines() do texts[#texts + 1] = line end
  p:close()
  if #texts == 0 then
    io.stderr:write("no text: pass --text FILE... (default ../shared/corpus/*/input*/*.txt)\n")
    os.exit(2)
  end
end

local t0 = clock()
local phrases = gen_phrases(1000000)
local small = {}
for k = 1, 100000 do small[k] = phrases[k] end
local gen_time = clock() - t0

-- The text: corpus files repeated to mb MB, a planted phrase every ~2 KB.
local base = {}
for k, path in ipairs(texts) do base[k] = read(path) end
base = concat(base, "\n\n")
local pieces, size, pos = {}, 0, 1
local target = mb * 1000000
while size < target do
  local stop = pos + 1500 + rand(1000)
  local chunk = base:sub(pos, stop)
  pos = stop + 1
  if pos > #base then pos = 1 end
  pieces[#pieces + 1] = chunk
  pieces[#pieces + 1] = " " .. small[rand(#small)] .. ", "
  size = size + #chunk + 20
end
local text = concat(pieces)
pieces = nil

local function median(t)
  sort(t)
  return t[floor((#t + 1) / 2)]
end

local function mbps(bytes, secs) return bytes / 1e6 / secs end

print(("text: %d files, %.1f MB; phrase generation %.2f s"):format(#texts, #text / 1e6, gen_time))

local results = {}
for _, set in ipairs({ { "100k", small }, { "1M", phrases } }) do
  local name, list = set[1], set[2]
  collectgarbage()
  collectgarbage()
  collectgarbage("stop")
  local b0 = clock()
  local g = core.gazetteer(list)
  local build = clock() - b0
  collectgarbage("restart")
  local mem = g:memory()
  local speeds, nmatch = {}, 0
  for r = 1, runs do
    collectgarbage()
    collectgarbage("stop") -- time the scan, not the collection of the phrase lists
    local s0 = clock()
    local m = g:scan(text)
    speeds[r] = mbps(#text, clock() - s0)
    collectgarbage("restart")
    nmatch = #m / 3
    m = nil
  end
  local med = median(speeds)
  results[name] = med
  local img = os.tmpname()
  assert(g:save(img))
  g:close()
  collectgarbage()
  local o0 = clock()
  g = assert(core.gazetteer_open(img))
  local open = clock() - o0
  os.remove(img)
  g:close()
  print(("lede %-4s build %.2f s, open image %.2f s, memory %.1f MB (%.0f bytes/phrase),"
    .. " scan %.0f MB/s median of %d (%d matches, whole words, case-insensitive)")
    :format(name, build, open, mem / 1e6, mem / #list, med, runs, nmatch))
end

if python then
  local py
  for _, exe in ipairs({ "python3", "/usr/bin/python3" }) do
    local p = io.popen(exe .. ' -c "import ahocorasick" 2>/dev/null && echo ok')
    local ok = p:read("a")
    p:close()
    if ok:match("ok") then py = exe; break end
  end
  if not py then
    print("python3-ahocorasick: not installed (apt-get install -y python3-ahocorasick)")
    return
  end
  local dir = os.tmpname()
  os.remove(dir)
  local tfile, sfile, pfile = dir .. ".txt", dir .. ".py", dir .. ".phrases"
  local f = assert(io.open(tfile, "wb")); f:write(text); f:close()
  f = assert(io.open(sfile, "wb"))
  f:write([[
import sys, time, ahocorasick
text = open(sys.argv[1], encoding="utf-8", errors="replace").read().lower()
nbytes = len(text.encode("utf-8"))
phrases = open(sys.argv[2], encoding="utf-8").read().split("\n")
n, runs = int(sys.argv[3]), int(sys.argv[4])
t0 = time.process_time()
a = ahocorasick.Automaton()
for i, p in enumerate(phrases[:n]):
    a.add_word(p.lower(), i + 1)
a.make_automaton()
build = time.process_time() - t0
speeds = []
for r in range(runs):
    t0 = time.process_time()
    m = 0
    for end, v in a.iter(text):
        m += 1
    speeds.append(nbytes / 1e6 / (time.process_time() - t0))
speeds.sort()
print("%.3f %d %.1f %d" % (build, a.get_stats()["total_size"], speeds[(len(speeds) - 1) // 2], m))
]])
  f:close()
  f = assert(io.open(pfile, "wb")); f:write(concat(phrases, "\n")); f:close()
  for _, set in ipairs({ { "100k", 100000 }, { "1M", 1000000 } }) do
    local p = io.popen(("%s %s %s %s %d %d"):format(py, sfile, tfile, pfile, set[2], runs))
    local out = p:read("a")
    p:close()
    local build, mem, speed, nm = out:match("^(%S+) (%S+) (%S+) (%S+)")
    if not build then
      print("pyahocorasick " .. set[1] .. ": failed: " .. out)
    else
      speed = tonumber(speed)
      print(("pyahocorasick %-4s build %.2f s, memory %.1f MB, scan %.0f MB/s median of %d"
        .. " (%s matches, substrings: no whole-word filter); lede/pyahocorasick %.2fx")
        :format(set[1], tonumber(build), tonumber(mem) / 1e6, speed, runs, nm,
                results[set[1]] / speed))
    end
  end
  os.remove(tfile); os.remove(sfile); os.remove(pfile)
end
