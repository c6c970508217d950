--- JSON: one object per document, keys in the order of docs/OUTPUT.md.
--
-- Strings and numbers are encoded by lua-cjson; objects and arrays here, so
-- that empty lists come out as `[]`, missing values as `null`, and keys in a
-- stable, readable order.
--
-- @module lede.formats.json

local cjson = require "cjson"

local encode_value = cjson.encode
local ipairs, pairs, setmetatable, type, tostring = ipairs, pairs, setmetatable, type, tostring
local string_format, string_rep = string.format, string.rep
local huge = math.huge
local table_concat, table_sort = table.concat, table.sort
local math_type = math.type

local M = {}

-- Fields that are arrays even when empty.
local ARRAYS = {
  authors = true, tags = true, related = true, blocks = true, entities = true, aliases = true,
  roles = true, mentions = true, quotes = true,
}

-- Fields written as null when absent.
local NULLABLE = {
  meta = { "title", "date", "date_text", "publisher", "language", "url" },
  quote = { "speaker", "speaker_text", "cue" },
  block = { "rule" },
  doc = { "source" },
}

-- Key order: these first, in this order, then the rest alphabetically.
local ORDER = {}
for i, k in ipairs({
  "source", "meta", "body", "blocks", "entities", "quotes",
  "title", "date", "date_text", "publisher", "authors", "language", "tags", "related", "url",
  "name", "type", "text", "kind", "speaker", "speaker_text", "cue", "start", "stop", "rule",
  "aliases", "roles", "mentions",
}) do ORDER[k] = i end

local function key_less(a, b)
  local ra, rb = ORDER[a], ORDER[b]
  if ra and rb then return ra < rb end
  if ra or rb then return ra ~= nil end
  return tostring(a) < tostring(b)
end

local encode

local function is_array(t, key)
  if ARRAYS[key] then return true end
  local n = #t
  if n == 0 then return false end
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k > n or k % 1 ~= 0 then return false end
  end
  return true
end

local function encode_table(t, key, out, nulls)
  if is_array(t, key) then
    out[#out + 1] = "["
    for i, v in ipairs(t) do
      if i > 1 then out[#out + 1] = "," end
      encode(v, key == "blocks" and "block" or key == "quotes" and "quote" or nil, out)
    end
    out[#out + 1] = "]"
    return
  end
  local keys = {}
  for k in pairs(t) do
    if type(k) == "string" and type(t[k]) ~= "function" then keys[#keys + 1] = k end
  end
  if nulls then
    for _, k in ipairs(nulls) do
      if t[k] == nil then keys[#keys + 1] = k end
    end
  end
  table_sort(keys, key_less)
  out[#out + 1] = "{"
  for i, k in ipairs(keys) do
    if i > 1 then out[#out + 1] = "," end
    out[#out + 1] = encode_value(k)
    out[#out + 1] = ":"
    local v = t[k]
    if v == nil then out[#out + 1] = "null" else encode(v, k, out) end
  end
  out[#out + 1] = "}"
end

function encode(v, key, out)
  local tv = type(v)
  if tv == "table" then
    encode_table(v, key, out, NULLABLE[key])
  elseif tv == "number" then
    if math_type and math_type(v) == "integer" then out[#out + 1] = tostring(v)
    elseif v ~= v or v == huge or v == -huge then out[#out + 1] = "null"
    elseif v % 1 == 0 and v > -2^53 and v < 2^53 then out[#out + 1] = string_format("%d", v)
    else out[#out + 1] = encode_value(v) end
  elseif tv == "string" or tv == "boolean" then
    out[#out + 1] = encode_value(v)
  elseif v == cjson.null or v == nil then
    out[#out + 1] = "null"
  else
    out[#out + 1] = encode_value(tostring(v))
  end
end

--- Encodes any Lua value as JSON text (arrays for the known list fields).
-- @param value
-- @tparam[opt] string kind "doc" for a document (nulls for its absent fields)
-- @treturn string
function M.encode(value, kind)
  local out = {}
  encode(value, kind, out)
  return table_concat(out)
end

--- Indents compact JSON text, two spaces a level.
-- @tparam string s JSON from `encode`
-- @treturn string
function M.pretty(s)
  local out, depth, i, n = {}, 0, 1, #s
  local function newline() out[#out + 1] = "\n" .. string_rep("  ", depth) end
  while i <= n do
    local c = s:sub(i, i)
    if c == '"' then
      local j = i + 1
      while j <= n do
        local d = s:sub(j, j)
        if d == "\\" then j = j + 2
        elseif d == '"' then break
        else j = j + 1 end
      end
      out[#out + 1] = s:sub(i, j)
      i = j + 1
    elseif c == "{" or c == "[" then
      local close = c == "{" and "}" or "]"
      if s:sub(i + 1, i + 1) == close then
        out[#out + 1] = c .. close
        i = i + 2
      else
        out[#out + 1] = c
        depth = depth + 1
        newline()
        i = i + 1
      end
    elseif c == "}" or c == "]" then
      depth = depth - 1
      newline()
      out[#out + 1] = c
      i = i + 1
    elseif c == "," then
      out[#out + 1] = ","
      newline()
      i = i + 1
    elseif c == ":" then
      out[#out + 1] = ": "
      i = i + 1
    else
      local j = s:find('[,%]}"]', i) or n + 1
      out[#out + 1] = s:sub(i, j - 1)
      i = j
    end
  end
  return table_concat(out)
end

--- Renders a document as one JSON object.
-- @tparam table doc
-- @tparam table opts `pretty` (indent nested values; default false)
-- @treturn string
return setmetatable(M, { __call = function(_, doc, opts)
  local s = M.encode(doc, "doc")
  if opts and opts.pretty then s = M.pretty(s) end
  return s
end })
