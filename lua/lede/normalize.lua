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
-- Most texts need no repair, and most repair patterns could only match at
-- a few places: one pass of `core.probes` finds, for every pattern whose
-- syntax says what its match must start with, the positions where it could
-- start; the pattern is then tried (anchored) there only, in the order and
-- with the results of a scan of the whole text.
--
-- @module lede.normalize

local core = require "lede.core"
local packs_mod = require "lede.packs"

local error, getmetatable, ipairs, pairs = error, getmetatable, ipairs, pairs
local pcall, select, tonumber, tostring = pcall, select, tonumber, tostring
local string_byte, string_char, string_format = string.byte, string.char, string.format
local table_concat, table_sort = table.concat, table.sort

-- The find method of lede.core's regular expressions, called as a function.
local rx_find = getmetatable(core.regex("")).__index.find

local M = {}

-- ---- probes: where a repair pattern can match ------------------------------
--
-- A repair pattern is run only where a cheap necessary condition holds: the
-- literals or characters its match must start with, and what its leading
-- lookbehind needs before that. The condition is read from the pattern's
-- syntax (a subset of PCRE2's: literals, escapes, classes, groups,
-- lookarounds, quantifiers); a pattern outside that subset, with flags, or
-- with a top-level alternation gets no probe and scans the whole text.

local ASCII_SPACE = "\t\n\v\f\r "

local function byte_range(set, a, b)
  for c = a, b do set[c] = true end
end

-- Class of an escape letter (with UCP, any non-ASCII character may belong).
local function escape_class(letter)
  local set = {}
  if letter == "d" then byte_range(set, 48, 57)
  elseif letter == "w" then
    byte_range(set, 48, 57); byte_range(set, 65, 90); byte_range(set, 97, 122); set[95] = true
  elseif letter == "s" then for k = 1, #ASCII_SPACE do set[ASCII_SPACE:byte(k)] = true end
  elseif letter == "h" then set[9] = true; set[32] = true
  elseif letter == "v" then byte_range(set, 10, 13)
  else return nil end
  return set, true
end

local PROPS = {
  Lu = { { 65, 90 } }, Ll = { { 97, 122 } }, L = { { 65, 90 }, { 97, 122 } },
  ["L&"] = { { 65, 90 }, { 97, 122 } }, N = { { 48, 57 } }, Nd = { { 48, 57 } },
}

-- Reads `\p{X}` / `\pX` at i (the `p`): set, next index; nil when unknown.
local function prop_class(pat, i)
  local name, nxt = pat:match("^{(%^?[%w&]+)}()", i + 1)
  if not name then name, nxt = pat:match("^(%a)()", i + 1) end
  local ranges = name and PROPS[name]
  if not ranges then return nil end
  local set = {}
  for _, r in ipairs(ranges) do byte_range(set, r[1], r[2]) end
  return set, nxt
end

local function utf8_len(b)
  if b < 0x80 then return 1 elseif b >= 0xF0 then return 4 elseif b >= 0xE0 then return 3 end
  return 2
end

-- A class `[...]` at i (after `[`): item, next index; nil when unknown.
local function read_class(pat, i)
  if pat:sub(i, i) == "^" then
    -- negated: skip to its end, consuming but unconstrained
    local j = i + 1
    if pat:sub(j, j) == "]" then j = j + 1 end
    while j <= #pat do
      local c = pat:sub(j, j)
      if c == "\\" then j = j + 2
      elseif c == "[" and pat:sub(j + 1, j + 1) == ":" then return nil
      elseif c == "]" then return { kind = "any" }, j + 1
      else j = j + 1 end
    end
    return nil
  end
  local set, wide, j, first = {}, false, i, true
  local prev -- the last single byte added (for ranges)
  while j <= #pat do
    local c = pat:byte(j)
    if c == 93 and not first then return { kind = "class", set = set, wide = wide }, j + 1 end
    first = false
    if c == 92 then -- backslash
      local e = pat:sub(j + 1, j + 1)
      local es, w = escape_class(e)
      if es then
        for b in pairs(es) do set[b] = true end
        wide = wide or w
        prev = nil
        j = j + 2
      elseif e == "p" then
        local ps, nxt = prop_class(pat, j + 1)
        if not ps then return nil end
        for b in pairs(ps) do set[b] = true end
        wide, prev, j = true, nil, nxt
      elseif e == "n" then set[10] = true; prev = 10; j = j + 2
      elseif e == "t" then set[9] = true; prev = 9; j = j + 2
      elseif e ~= "" and not e:match("[%w]") and e:byte() < 0x80 then
        set[e:byte()] = true; prev = e:byte(); j = j + 2
      else return nil end
    elseif c == 91 and pat:sub(j + 1, j + 1) == ":" then return nil
    elseif c == 45 and prev and pat:byte(j + 1) and pat:byte(j + 1) ~= 93 then -- a range
      local hi = pat:byte(j + 1)
      if hi == 92 or hi == 91 then return nil end
      if hi >= 0x80 then wide = true; j = j + 1 + utf8_len(hi); prev = nil
      else byte_range(set, prev, hi); prev = nil; j = j + 2 end
    elseif c >= 0x80 then
      wide = true; prev = nil; j = j + utf8_len(c)
    else set[c] = true; prev = c; j = j + 1 end
  end
  return nil
end

-- A quantifier at i: min count (0 or more), next index; no quantifier: nil.
local function read_quant(pat, i)
  local c, min, nxt = pat:sub(i, i), nil, nil
  if c == "?" or c == "*" then min, nxt = 0, i + 1
  elseif c == "+" then min, nxt = 1, i + 1
  elseif c == "{" then
    local n, e = pat:match("^{(%d+)}()", i)
    if not n then n, e = pat:match("^{(%d+),%d*}()", i) end
    if not n then return nil end
    min, nxt = tonumber(n), e
  else return nil end
  local d = pat:sub(nxt, nxt)
  if d == "?" or d == "+" then nxt = nxt + 1 end
  return min, nxt
end

local read_alts

-- One item at i: item, next index; nil when the syntax is not understood.
-- Kinds: lit (s), class (set, wide), any (consuming, unconstrained), zero,
-- behind (alts), group (alts). Each item gets min (1 without quantifier) and
-- plain (no quantifier).
local function read_item(pat, i)
  local c = pat:sub(i, i)
  local item, nxt
  if c == "\\" then
    local e = pat:sub(i + 1, i + 1)
    if e == "b" or e == "B" or e == "K" or e == "A" or e == "z" or e == "Z" then
      item, nxt = { kind = "zero" }, i + 2
    elseif escape_class(e) then
      local set = escape_class(e)
      item, nxt = { kind = "class", set = set, wide = true }, i + 2
    elseif e == "p" then
      local set, n2 = prop_class(pat, i + 1)
      if not set then return nil end
      item, nxt = { kind = "class", set = set, wide = true }, n2
    elseif e == "D" or e == "W" or e == "S" or e == "H" or e == "V" or e == "N" or e == "X"
      or e == "P" then
      if e == "P" and not prop_class(pat, i + 1) then return nil end
      item, nxt = { kind = "any" }, e == "P" and select(2, prop_class(pat, i + 1)) or i + 2
    elseif e == "n" then item, nxt = { kind = "lit", s = "\n" }, i + 2
    elseif e == "t" then item, nxt = { kind = "lit", s = "\t" }, i + 2
    elseif e ~= "" and e:byte() >= 0x80 then
      local n = utf8_len(e:byte())
      item, nxt = { kind = "lit", s = pat:sub(i + 1, i + n) }, i + 1 + n
    elseif e ~= "" and not e:match("%w") then item, nxt = { kind = "lit", s = e }, i + 2
    else return nil end
  elseif c == "[" then
    item, nxt = read_class(pat, i + 1)
    if not item then return nil end
  elseif c == "(" then
    local kind, body
    if pat:sub(i + 1, i + 1) ~= "?" then
      if pat:sub(i + 1, i + 1) == "*" then return nil end
      kind, body = "group", i + 1
    else
      local h = pat:sub(i + 2, i + 2)
      if h == ":" or h == ">" then kind, body = "group", i + 3
      elseif pat:sub(i + 2, i + 3) == "<=" then kind, body = "behind", i + 4
      elseif pat:sub(i + 2, i + 3) == "<!" or h == "=" or h == "!" then
        kind, body = "zero", i + (h == "<" and 4 or 3)
      else
        local e = pat:match("^<[%a_][%w_]*>()", i + 2) or pat:match("^P<[%a_][%w_]*>()", i + 2)
          or pat:match("^'[%a_][%w_]*'()", i + 2)
        if not e then return nil end
        kind, body = "group", e
      end
    end
    local alts, n2 = read_alts(pat, body, true)
    if not alts then return nil end
    item, nxt = { kind = kind, alts = alts }, n2
  elseif c == "." then item, nxt = { kind = "any" }, i + 1
  elseif c == "^" or c == "$" then item, nxt = { kind = "zero" }, i + 1
  elseif c == "|" or c == ")" then return nil
  else
    local n = utf8_len(pat:byte(i))
    item, nxt = { kind = "lit", s = pat:sub(i, i + n - 1) }, i + n
  end
  local min, n3 = read_quant(pat, nxt)
  if min then
    item.min, item.plain, nxt = min, false, n3
  else
    item.min, item.plain = 1, true
  end
  return item, nxt
end

-- Alternatives (arrays of items) from i up to `)` (closed) or the end.
function read_alts(pat, i, closed)
  local alts, seq = {}, {}
  while true do
    local c = pat:sub(i, i)
    if c == "" then
      if closed then return nil end
      alts[#alts + 1] = seq
      return alts, i
    elseif c == ")" then
      if not closed then return nil end
      alts[#alts + 1] = seq
      return alts, i + 1
    elseif c == "|" then
      alts[#alts + 1] = seq
      seq = {}
      i = i + 1
    else
      local item, nxt = read_item(pat, i)
      if not item then return nil end
      seq[#seq + 1] = item
      i = nxt
    end
  end
end

local function set_bytes(set, wide, wide_lo, wide_hi)
  local out = {}
  for b = 0, 127 do if set[b] then out[#out + 1] = string_char(b) end end
  if wide then for b = wide_lo, wide_hi do out[#out + 1] = string_char(b) end end
  return table_concat(out)
end

-- The first character an item's match starts with, as a probe choice:
-- choice, whether the item is matched by the choice alone (the next item
-- then starts right after it).
local first_choice

-- The literal prefixes of a sequence (a small class after a literal is
-- spelled out: `1[89]` gives "18", "19"): choice, complete.
local function seq_choice(seq)
  local prefixes = { "" }
  local function cut(complete)
    if prefixes[1] == "" then return nil end
    return prefixes, complete
  end
  for _, item in ipairs(seq) do
    local kind = item.kind
    if kind == "zero" or kind == "behind" then -- luacheck: ignore
    elseif item.min < 1 then
      return cut(false)
    elseif kind == "lit" then
      for k = 1, #prefixes do prefixes[k] = prefixes[k] .. item.s end
      if not item.plain then return cut(false) end
    elseif prefixes[1] ~= "" then
      if kind ~= "class" or item.wide then return cut(false) end
      local members = {}
      for b = 0, 127 do if item.set[b] then members[#members + 1] = string_char(b) end end
      if #members * #prefixes > 64 then return cut(false) end
      local out = {}
      for _, p in ipairs(prefixes) do
        for _, m in ipairs(members) do out[#out + 1] = p .. m end
      end
      prefixes = out
      if not item.plain then return cut(false) end
    else
      return first_choice(item), false
    end
  end
  return cut(true)
end

function first_choice(item)
  if item.kind == "lit" then return { item.s }, true end
  if item.kind == "class" then return { bytes = set_bytes(item.set, item.wide, 0xC2, 0xF4) }, true end
  if item.kind == "group" then
    local choice, complete, bytes = {}, true, {}
    for _, alt in ipairs(item.alts) do
      local c, whole = seq_choice(alt)
      if not c then return nil end
      for _, l in ipairs(c) do choice[#choice + 1] = l end
      if c.bytes then bytes[#bytes + 1] = c.bytes end
      complete = complete and whole and not c.bytes
    end
    if #bytes > 0 then choice.bytes = table_concat(bytes) end
    return choice, complete
  end
  return nil
end

-- What a lookbehind needs right before the position: a choice of literals
-- (ending there) or of last bytes.
local function behind_choice(item)
  local choice, bytes = {}, {}
  for _, alt in ipairs(item.alts) do
    local lits, classes = {}, {}
    for _, it in ipairs(alt) do
      if it.kind == "zero" then -- luacheck: ignore
      elseif it.kind == "lit" and it.plain then lits[#lits + 1] = it.s
      elseif it.kind == "class" and it.plain then classes[#classes + 1] = it
      else return nil end
    end
    if #classes == 1 and #lits == 0 then
      bytes[#bytes + 1] = set_bytes(classes[1].set, classes[1].wide, 0x80, 0xBF)
    elseif #classes == 0 and #lits > 0 then
      choice[#choice + 1] = table_concat(lits)
    else
      return nil
    end
  end
  if #bytes > 0 then choice.bytes = table_concat(bytes) end
  return choice
end

--- The probe of a pattern (see `core.probes`), or nil when none is known.
-- @tparam string pattern a PCRE2 pattern
-- @tparam[opt] string flags its flags
-- @treturn table|nil `{ at = {choice, ...}, before = choice }`
function M.probe_of(pattern, flags)
  if flags and flags ~= "" then return nil end
  if pattern:find("\\[GQE]") then return nil end
  local alts = read_alts(pattern, 1, false)
  if not alts or #alts ~= 1 then return nil end
  local at, before = {}, nil
  for _, item in ipairs(alts[1]) do
    local kind = item.kind
    if kind == "zero" then -- luacheck: ignore
    elseif kind == "behind" then
      if #at == 0 and not before and item.min >= 1 then before = behind_choice(item) end
    else
      if item.min == 0 then break end
      local choice, complete = first_choice(item)
      if not choice then break end
      local last = at[#at]
      if last and last.whole and #last == 1 and not last.bytes and #choice == 1 and not choice.bytes then
        last[1] = last[1] .. choice[1]
      else
        at[#at + 1] = choice
      end
      at[#at].whole = nil
      if not complete or not item.plain or #at >= 8 then break end
      at[#at].whole = #choice == 1 and not choice.bytes
    end
  end
  for _, c in ipairs(at) do c.whole = nil end
  if #at == 0 and not before then return nil end
  return { at = #at > 0 and at or nil, before = before }
end

-- The repairs of one pack: each pattern scans on its own (an alternation of
-- them would lose PCRE2's start-of-match optimisations), or is tried where
-- its probe holds.
local function compile_pack(pack, probes)
  packs_mod.compile(pack)
  local repairs = pack.repairs
  if not repairs or #repairs == 0 then return nil end
  local rules, unprobed = {}, false
  for n, r in ipairs(repairs) do
    local rule = { re = r._re }
    local probe = M.probe_of(r.pattern, r.flags)
    if probe then
      local ok, anchored = pcall(core.regex, "\\G(?:" .. r.pattern .. ")", "",
        { name = tostring(r._id or r.name or n) .. " (anchored)" })
      if ok then
        probes[#probes + 1] = probe
        rule.probe, rule.anchored = #probes, anchored
      end
    end
    if not rule.probe then unprobed = true end
    rules[n] = rule
  end
  -- (the probes of the rules, for the look at whether any holds)
  local probe_ids = {}
  for _, rule in ipairs(rules) do
    if rule.probe then probe_ids[#probe_ids + 1] = rule.probe end
  end
  -- (a pack without a match section applies to every text: not asked)
  local always = not pack.match or pack.match.always and true or false
  return { pack = pack, rules = rules, unprobed = unprobed, probe_ids = probe_ids, always = always }
end

--- Compiles the stage.
-- @tparam table config `packs` (default stack when absent)
-- @treturn table state
function M.compile(config)
  local packs = config and config.packs or packs_mod.stack()
  local list, probes, unprobed = {}, {}, false
  for _, p in ipairs(packs) do
    local c = compile_pack(p, probes)
    if c then
      list[#list + 1] = c
      unprobed = unprobed or c.unprobed
    end
  end
  return { repairs = list, probes = #probes > 0 and core.probes(probes) or nil, unprobed = unprobed }
end

-- Adds split point s unless known or after white space.
local function add(points, seen, text, s)
  if s and s > 1 and not seen[s] then
    local prev = string_byte(text, s - 1)
    if prev ~= 32 and prev ~= 10 then
      seen[s] = true
      points[#points + 1] = s
    end
  end
end

-- The matches of the rules of pack c, as a scan of the whole text by each
-- would find them.
local function pack_points(c, text, found, points, seen)
  local rules = c.rules
  for ri = 1, #rules do
    local rule = rules[ri]
    local probe = rule.probe
    if probe then
      local at = found and found[probe]
      if at then
        -- each match found where the next scan would: the first candidate
        -- at or after the end of the last match (an empty match right
        -- there is skipped, one character on, as r:gfind does)
        local re, pos, last, len = rule.anchored, 1, -1, #text
        for ai = 1, #at do
          local p = at[ai]
          if p >= pos then
            local s, e = rx_find(re, text, p)
            if s then
              if s == e + 1 and e == last then
                if s > len then break end
                local b = string_byte(text, s)
                pos = s + (b < 0x80 and 1 or b < 0xE0 and 2 or b < 0xF0 and 3 or 4)
              else
                add(points, seen, text, s)
                last, pos = e, e + 1
              end
            end
          end
        end
      end
    else
      for s in rule.re:gfind(text) do add(points, seen, text, s) end
    end
  end
end

-- The split positions the repair rules find, given the probes' findings.
local function points_of(text, state, domain, found)
  local points, seen = {}, {}
  local repairs = state.repairs
  for pi = 1, #repairs do
    local c = repairs[pi]
    -- a pack whose patterns all have probes, none holding, finds nothing:
    -- whether it applies need not be asked
    local maybe = c.unprobed
    if not maybe and found then
      local ids = c.probe_ids
      for k = 1, #ids do
        if found[ids[k]] then maybe = true; break end
      end
    end
    if maybe and (c.always or packs_mod.applies(c.pack, text, domain)) then
      local ok, err = pcall(pack_points, c, text, found, points, seen)
      if not ok then error(string_format("lede.normalize: %s", tostring(err)), 0) end
    end
  end
  if #points > 1 then table_sort(points) end
  return points
end

--- The split positions (in `text`) the repair rules find.
-- @tparam string text normalised text
-- @tparam table state
-- @tparam[opt] string domain the caller's domain
-- @treturn {integer} sorted positions before which a space belongs
function M.repair_points(text, state, domain)
  return points_of(text, state, domain, state.probes and state.probes:scan(text))
end

--- Normalises `ctx.input` into `ctx.text`, `ctx.map` with glued words repaired.
-- Sets `ctx.repairs` to the split positions in the input.
-- @tparam table ctx
-- @tparam table state
function M.run(ctx, state)
  local input = ctx.input or ""
  local text, map = core.normalize(input)
  local found = state.probes and state.probes:scan(text)
  -- no probe holding and every pattern probed: nothing to repair
  if not found and not state.unprobed then
    ctx.text, ctx.map = text, map
    return
  end
  local points = points_of(text, state, ctx.opts and ctx.opts.domain, found)
  if #points > 0 then
    local splits = {}
    for n, p in ipairs(points) do splits[n] = map:orig(p) end
    text, map = core.normalize(input, { splits = splits })
    ctx.repairs = splits
  end
  ctx.text, ctx.map = text, map
end

return M
