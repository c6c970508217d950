--- Scores lede.entities on entity fixtures (spec/fixtures/entities/NAME.txt
-- with the expected entities in NAME.lua): precision, recall and F1 per
-- fixture and overall, with what was missed and what was found in excess.
--
-- Usage (from the project root, after `make`):
--   lua5.4 tools/score_entities.lua [-q] [NAME ...]
-- Without names every fixture is scored. -q prints the figures only.
-- The module path is taken from LUA_CPATH (e.g. LUA_CPATH='build/lua5.4/?.so').

package.path = "lua/?.lua;lua/?/init.lua;" .. package.path

local entities = require "lede.entities"
local normalize = require "lede.normalize"
local segment = require "lede.segment"

local DIR = "spec/fixtures/entities/"
local WANTED = { person = true, organization = true, place = true }

local quiet = false
local names = {}
for _, a in ipairs(arg) do
  if a == "-q" then quiet = true else names[#names + 1] = a end
end
if #names == 0 then
  local p = io.popen('ls "' .. DIR .. '"')
  for f in p:lines() do
    local base = f:match("^(.+)%.txt$")
    if base then names[#names + 1] = base end
  end
  p:close()
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local est, nst, sst = entities.compile({}), normalize.compile({}), segment.compile({})

local function names_of(e)
  local t = { [e.name] = true }
  for _, a in ipairs(e.aliases or {}) do t[a] = true end
  return t
end

local tp_all, exp_all, found_all = 0, 0, 0
local t0 = os.clock()
for _, name in ipairs(names) do
  local input = read(DIR .. name .. ".txt")
  local want = dofile(DIR .. name .. ".lua")
  local ctx = { input = input, opts = { clean = false } }
  normalize.run(ctx, nst)
  segment.run(ctx, sst)
  segment.sentences(ctx, sst)
  entities.run(ctx, est)
  local used, missing, extra, tp = {}, {}, {}, 0
  for _, x in ipairs(want.entities) do
    local hit
    for k, e in ipairs(ctx.entities) do
      if not used[k] and e.type == x[2] and names_of(e)[x[1]] then hit = k; break end
    end
    if hit then used[hit] = true; tp = tp + 1 else missing[#missing + 1] = x[1] .. " (" .. x[2] .. ")" end
  end
  local opt = {}
  for _, o in ipairs(want.optional or {}) do opt[o] = true end
  for k, e in ipairs(ctx.entities) do
    if not used[k] and WANTED[e.type] then
      local o = false
      for n in pairs(names_of(e)) do if opt[n] then o = true end end
      if not o then extra[#extra + 1] = e.name .. " (" .. e.type .. ")" end
    end
  end
  local found = tp + #extra
  tp_all, exp_all, found_all = tp_all + tp, exp_all + #want.entities, found_all + found
  local p, r = found > 0 and tp / found or 1, tp / math.max(1, #want.entities)
  print(string.format("%-22s P=%.2f R=%.2f F1=%.2f", name, p, r, p + r > 0 and 2 * p * r / (p + r) or 0))
  if not quiet then
    if #missing > 0 then print("    missing: " .. table.concat(missing, ", ")) end
    if #extra > 0 then print("    extra:   " .. table.concat(extra, ", ")) end
  end
end
local p, r = tp_all / math.max(1, found_all), tp_all / math.max(1, exp_all)
print(string.format("entities over %d fixtures: P=%.3f R=%.3f F1=%.3f (%.3f s)", #names,
  p, r, p + r > 0 and 2 * p * r / (p + r) or 0, os.clock() - t0))
