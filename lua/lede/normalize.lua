--- Normalisation stage: clean text with an offset map, glued words repaired.
--
-- `core.normalize` folds odd spaces, repairs invalid UTF-8 and keeps an offset
-- map back to the input. Then the repair rules of the applicable packs (PCRE2
-- patterns whose match start marks where a space belongs: `GMT27 July` ->
-- `GMT 27 July`, `standardsDiscussion` -> `standards Discussion`) run over that
-- text; their positions are mapped back to the input with `map:orig` and the
-- input is normalised again with `opts.splits`, so that `ctx.text` and
-- `ctx.map` include the repairs and every position still maps to the input.
--
-- @module lede.normalize

local core = require "lede.core"
local packs_mod = require "lede.packs"

local error, ipairs, pcall, tostring = error, ipairs, pcall, tostring
local string_format = string.format
local table_sort = table.sort

local M = {}

-- The repairs of one pack. Each pattern scans on its own: an alternation of
-- them would lose PCRE2's start-of-match optimisations (first characters).
local function compile_pack(pack)
  packs_mod.compile(pack)
  local repairs = pack.repairs
  if not repairs or #repairs == 0 then return nil end
  return { pack = pack }
end

--- Compiles the stage.
-- @tparam table config `packs` (default stack when absent)
-- @treturn table state
function M.compile(config)
  local packs = config and config.packs or packs_mod.stack()
  local list = {}
  for _, p in ipairs(packs) do
    local c = compile_pack(p)
    if c then list[#list + 1] = c end
  end
  return { repairs = list }
end

--- The split positions (in `text`) the repair rules find.
-- @tparam string text normalised text
-- @tparam table state
-- @tparam[opt] string domain the caller's domain
-- @treturn {integer} sorted positions before which a space belongs
function M.repair_points(text, state, domain)
  local points, seen = {}, {}
  local function add(s)
    if s and s > 1 and not seen[s] then
      local prev = text:sub(s - 1, s - 1)
      if prev ~= " " and prev ~= "\n" then
        seen[s] = true
        points[#points + 1] = s
      end
    end
  end
  for _, c in ipairs(state.repairs) do
    if packs_mod.applies(c.pack, text, domain) then
      local ok, err = pcall(function()
        for _, r in ipairs(c.pack.repairs) do
          for s in r._re:gfind(text) do add(s) end
        end
      end)
      if not ok then error(string_format("lede.normalize: %s", tostring(err)), 0) end
    end
  end
  table_sort(points)
  return points
end

--- Normalises `ctx.input` into `ctx.text`, `ctx.map` with glued words repaired.
-- Sets `ctx.repairs` to the split positions in the input.
-- @tparam table ctx
-- @tparam table state
function M.run(ctx, state)
  local input = ctx.input or ""
  local text, map = core.normalize(input)
  local domain = ctx.opts and ctx.opts.domain
  local points = M.repair_points(text, state, domain)
  if #points > 0 then
    local splits = {}
    for n, p in ipairs(points) do splits[n] = map:orig(p) end
    text, map = core.normalize(input, { splits = splits })
    ctx.repairs = splits
  end
  ctx.text, ctx.map = text, map
end

return M
