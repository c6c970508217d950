--- Entity and word lists: the built-in ones and the user's, checked and merged.
--
-- A list is a Lua table (or a `.lua` file returning one, loaded sandboxed), or
-- a `.tsv` file of `name<TAB>type<TAB>alias|alias...` lines. A Lua list may
-- hold any of these sections (see docs/entities.md for the full schema):
--
--    return {
--      { name = "Acme Corp", type = "organization", aliases = { "Acme" } },
--      places = { "Springfield", "Shelbyville|Shelby" },      -- "Name|alias|..."
--      people = { { "Jane Roe|Roe", gender = "f" } },
--      titles = { "Chief Widget Officer" },
--      ignore = { "Acme-Widget" },
--      patterns = { { name = "ticker", type = "organization", pattern = "\\$[A-Z]{2,5}\\b" } },
--    }
--
-- `stack(lists)` gives the built-in lists merged with the user's, in order;
-- `lede.entities` compiles the result into gazetteers once per extractor.
-- A malformed entry raises an error naming the file and the line.
--
-- @module lede.lists

local loader = require "lede.loader"

local error, ipairs, pairs, type, tostring, require = error, ipairs, pairs, type, tostring, require
local next, pcall, select = next, pcall, select
local table_remove = table.remove
local io_open = io.open
local string_format, string_find, string_sub, string_byte = string.format, string.find, string.sub, string.byte

local M = {}

--- The built-in list modules, merged in this order.
M.builtin_modules = {
  "lede.lists.countries", "lede.lists.demonyms", "lede.lists.places", "lede.lists.organizations",
  "lede.lists.people", "lede.lists.titles", "lede.lists.given_names", "lede.lists.names",
  "lede.lists.words",
}

-- Sections holding entities: the section's name and the type it gives.
local ENTITY_SECTIONS = {
  entities = false, places = "place", organizations = "organization", people = "person",
}

-- Sections that are arrays of strings.
local STRING_SECTIONS = {
  titles = true, role_modifiers = true, surnames = true, common_words = true,
  generic_words = true, org_heads = true, org_tails = true, person_cues_after = true,
  person_cues_before = true, place_tails = true, thing_tails = true, legal_suffixes = true, ignore = true, abbreviations = true, remove = true,
}

local ENTITY_KEYS = {
  name = true, type = true, aliases = true, gender = true, demonyms = true, iso = true,
  country = true, note = true,
}

-- Sections read by other stages, passed on as they are (lede.quotes checks
-- them): `reporting_verbs` (an array of verb entries) and `speech` (a table
-- of word lists).
local PASSED = { reporting_verbs = true, speech = true }

local PATTERN_KEYS = { name = true, type = true, pattern = true, flags = true, canonical = true,
                       group = true }

local GENDERS = { m = true, f = true }

--- A Lua source locator: the line where item `k` of section `section` (or of
-- the top-level array part when `section` is nil) starts.
-- @tparam string src the list file's source
-- @tparam string|nil section
-- @tparam integer k
-- @treturn integer|nil
function M.locate(src, section, k)
  if type(src) ~= "string" then return nil end
  local n, pos, line = #src, 1, 1
  local depth, target, count = 0, nil, 0
  local want_item = false     -- the next token starts an item at the target depth
  local pending_key = nil     -- identifier seen at depth 1, waiting for '='
  local key_for_next = nil    -- section name whose table opens next
  local item_start_line, item_is_keyed, tokens_in_item = nil, false, 0
  local function start_item()
    item_start_line, item_is_keyed, tokens_in_item = line, false, 0
  end
  local function finish_item()
    if item_start_line and not item_is_keyed and tokens_in_item > 0 then
      count = count + 1
      if count == k then return item_start_line end
    end
    item_start_line = nil
    return nil
  end
  while pos <= n do
    local c = src:sub(pos, pos)
    if c == "\n" then
      line = line + 1
      pos = pos + 1
    elseif c:find("^%s") then
      pos = pos + 1
    elseif src:find("^%-%-", pos) then
      local eq = src:match("^%-%-%[(=*)%[", pos)
      if eq then
        local close = src:find("]" .. eq .. "]", pos, true)
        local stop = close and close + #eq + 1 or n
        for _ in src:sub(pos, stop):gmatch("\n") do line = line + 1 end
        pos = stop + 1
      else
        local nl = src:find("\n", pos, true)
        pos = nl or n + 1
      end
    else
      -- a token
      local tok_line = line
      local stop
      local eq = src:match("^%[(=*)%[", pos)
      if c == '"' or c == "'" then
        local p = pos + 1
        while p <= n do
          local d = src:sub(p, p)
          if d == "\\" then p = p + 2
          elseif d == c or d == "\n" then break
          else p = p + 1 end
        end
        stop = p
      elseif eq then
        local close = src:find("]" .. eq .. "]", pos, true)
        stop = close and close + #eq + 1 or n
        for _ in src:sub(pos, stop):gmatch("\n") do line = line + 1 end
      elseif c:find("^[%a_]") then
        stop = select(2, src:find("^[%w_]+", pos))
      else
        stop = pos
      end
      local text = src:sub(pos, stop)
      pos = stop + 1
      if text == "{" or text == "(" or text == "[" then
        if target and depth == target and text == "{" and want_item then
          -- an item that is a table
          want_item = false
        end
        if target and depth == target then
          if tokens_in_item == 0 then item_start_line = tok_line end
          tokens_in_item = tokens_in_item + 1
        end
        depth = depth + 1
        if text == "{" then
          if depth == 1 and section == nil then
            target = 1; want_item = true; start_item()
          elseif depth == 2 and key_for_next and key_for_next == section then
            target = 2; want_item = true; start_item()
          end
        end
        key_for_next = nil
      elseif text == "}" or text == ")" or text == "]" then
        if target and depth == target and text == "}" then
          local l = finish_item()
          if l then return l end
          return nil
        end
        depth = depth - 1
        if target and depth == target then tokens_in_item = tokens_in_item + 1 end
      elseif target and depth == target and (text == "," or text == ";") then
        local l = finish_item()
        if l then return l end
        start_item()
      else
        if target and depth == target then
          if tokens_in_item == 0 then item_start_line = tok_line end
          tokens_in_item = tokens_in_item + 1
          if text == "=" and tokens_in_item == 2 then item_is_keyed = true end
        end
        if depth == 1 and not target then
          if text == "=" and pending_key then
            key_for_next = pending_key
          elseif text:find("^[%a_][%w_]*$") then
            pending_key = text
          elseif text:find("^[\"']") then
            pending_key = text:sub(2, -2)
          end
        end
      end
    end
  end
  return nil
end

-- Raises "name:line: msg", locating the entry when the source is known.
local function fail(where, msg, section, k, needle)
  local line
  if where.src then
    if k then line = M.locate(where.src, section, k) end
    if not line and needle then line = loader.where(where.src, needle) end
    if not line and section then line = loader.where(where.src, section) end
  end
  if line then error(string_format("%s:%d: %s", where.name, line, msg), 0) end
  error(string_format("%s: %s", where.name, msg), 0)
end

local function check_string_array(where, section, v, label)
  if type(v) ~= "table" then
    fail(where, string_format("%s must be an array of strings, got %s", label, type(v)), section, nil, section)
  end
  for k, s in ipairs(v) do
    if type(s) ~= "string" or s == "" then
      fail(where, string_format("%s[%d] must be a non-empty string, got %s", label, k,
        type(s) == "string" and "an empty string" or type(s)), section, k)
    end
  end
end

local function split_bar(s)
  local out = {}
  for part in (s .. "|"):gmatch("([^|]*)|") do
    part = part:match("^%s*(.-)%s*$")
    if part ~= "" then out[#out + 1] = part end
  end
  return out
end

-- Normalises one entity entry; raises on a malformed one.
local function check_entity(where, section, k, e, default_type)
  local label = string_format("%s[%d]", section or "entry", k)
  local name, aliases, etype, out
  if type(e) == "string" then
    local parts = split_bar(e)
    if #parts == 0 then fail(where, label .. ": empty name", section, k) end
    name = table_remove(parts, 1)
    aliases = parts
    etype = default_type
    out = {}
  elseif type(e) == "table" then
    for key in pairs(e) do
      if not (key == 1 or ENTITY_KEYS[key]) then
        fail(where, string_format("%s: unknown key '%s'", label, tostring(key)), section, k)
      end
    end
    local first = e.name or e[1]
    if type(first) ~= "string" then
      fail(where, label .. ": needs a name (a string)", section, k)
    end
    local parts = split_bar(first)
    if #parts == 0 then fail(where, label .. ": empty name", section, k) end
    name = table_remove(parts, 1)
    aliases = parts
    if e.aliases ~= nil then
      if type(e.aliases) ~= "table" then
        fail(where, label .. ": aliases must be an array of strings", section, k)
      end
      for _, a in ipairs(e.aliases) do
        if type(a) ~= "string" or a == "" then
          fail(where, label .. ": aliases must be non-empty strings", section, k)
        end
        aliases[#aliases + 1] = a
      end
    end
    etype = e.type or default_type
    if e.gender ~= nil and not GENDERS[e.gender] then
      fail(where, label .. ": gender must be \"m\" or \"f\"", section, k)
    end
    if e.demonyms ~= nil then
      if type(e.demonyms) ~= "table" then
        fail(where, label .. ": demonyms must be an array of strings", section, k)
      end
      for _, a in ipairs(e.demonyms) do
        if type(a) ~= "string" or a == "" then
          fail(where, label .. ": demonyms must be non-empty strings", section, k)
        end
      end
    end
    out = { gender = e.gender, demonyms = e.demonyms, iso = e.iso, country = e.country }
  else
    fail(where, string_format("%s must be a string or a table, got %s", label, type(e)), section, k)
  end
  if type(etype) ~= "string" or not etype:find("^[%a][%w_%-]*$") then
    fail(where, label .. ": type must be a word such as \"person\", \"organization\" or \"place\"",
      section, k)
  end
  out.name, out.type, out.aliases = name, etype, aliases
  return out
end

local function check_patterns(where, v)
  if type(v) ~= "table" then fail(where, "patterns must be an array of tables", "patterns") end
  local out = {}
  for k, p in ipairs(v) do
    local label = string_format("patterns[%d]", k)
    if type(p) ~= "table" then fail(where, label .. " must be a table", "patterns", k) end
    for key in pairs(p) do
      if not PATTERN_KEYS[key] then
        fail(where, string_format("%s: unknown key '%s'", label, tostring(key)), "patterns", k)
      end
    end
    if type(p.pattern) ~= "string" or p.pattern == "" then
      fail(where, label .. ": needs a pattern (a string)", "patterns", k)
    end
    if type(p.type) ~= "string" then fail(where, label .. ": needs a type (a string)", "patterns", k) end
    if p.flags ~= nil and (type(p.flags) ~= "string" or not p.flags:find("^[imsxUa]*$")) then
      fail(where, label .. ": flags must be letters of \"imsxUa\"", "patterns", k)
    end
    if p.group ~= nil and type(p.group) ~= "number" then
      fail(where, label .. ": group must be a number", "patterns", k)
    end
    -- compile now so that a bad pattern is reported with its file and line
    local ok, err = pcall(require("lede.core").regex, p.pattern, p.flags or "",
      { name = p.name or label })
    if not ok then fail(where, label .. ": " .. tostring(err), "patterns", k) end
    out[k] = { name = p.name or label, type = p.type, pattern = p.pattern, flags = p.flags or "",
               canonical = p.canonical, group = p.group }
  end
  return out
end

local function check_table(where, t)
  local list = { entities = {} }
  for key, v in pairs(t) do
    if type(key) == "number" then
      -- array part: entities
    elseif ENTITY_SECTIONS[key] ~= nil then
      if type(v) ~= "table" then fail(where, key .. " must be an array", key, nil, key) end
    elseif not (STRING_SECTIONS[key] or key == "demonyms" or key == "honorifics"
                or key == "first_names" or key == "patterns" or PASSED[key]) then
      fail(where, string_format("unknown section '%s'", tostring(key)), nil, nil, tostring(key))
    end
  end
  for k, e in ipairs(t) do
    list.entities[#list.entities + 1] = check_entity(where, nil, k, e, nil)
  end
  for section, dtype in pairs(ENTITY_SECTIONS) do
    local v = t[section]
    if v then
      for k, e in ipairs(v) do
        list.entities[#list.entities + 1] = check_entity(where, section, k, e, dtype or nil)
      end
    end
  end
  for section in pairs(STRING_SECTIONS) do
    if t[section] ~= nil then
      check_string_array(where, section, t[section], section)
      list[section] = t[section]
    end
  end
  if t.demonyms ~= nil then
    if type(t.demonyms) ~= "table" then fail(where, "demonyms must be a table", "demonyms") end
    for place, forms in pairs(t.demonyms) do
      if type(place) ~= "string" then fail(where, "demonyms: keys must be place names", "demonyms") end
      if type(forms) == "string" then forms = { forms } end
      if type(forms) ~= "table" then
        fail(where, string_format("demonyms[%q] must be an array of strings", place), nil, nil, place)
      end
      for _, f in ipairs(forms) do
        if type(f) ~= "string" or f == "" then
          fail(where, string_format("demonyms[%q] must be an array of strings", place), nil, nil, place)
        end
      end
    end
    list.demonyms = t.demonyms
  end
  if t.honorifics ~= nil then
    if type(t.honorifics) ~= "table" then fail(where, "honorifics must be a table", "honorifics") end
    local h = {}
    for k, v in pairs(t.honorifics) do
      if type(k) == "number" and type(v) == "string" then
        h[v] = ""
      elseif type(k) == "string" and (v == "m" or v == "f" or v == "") then
        h[k] = v
      else
        fail(where, "honorifics: entries must be `[\"Mr\"] = \"m\"|\"f\"|\"\"` or strings",
          nil, nil, type(k) == "string" and k or "honorifics")
      end
    end
    list.honorifics = h
  end
  if t.first_names ~= nil then
    local fnames = t.first_names
    if type(fnames) ~= "table" then fail(where, "first_names must be a table", "first_names") end
    local out = {}
    for g, names in pairs(fnames) do
      if type(g) == "number" and type(names) == "string" then
        out[names] = out[names] or "u"
      elseif (g == "m" or g == "f" or g == "u") and type(names) == "table" then
        for k, nm in ipairs(names) do
          if type(nm) ~= "string" or nm == "" then
            fail(where, string_format("first_names.%s[%d] must be a non-empty string", g, k), nil, nil,
              "first_names")
          end
          out[nm] = g
        end
      elseif type(g) == "string" and (names == "m" or names == "f" or names == "u") then
        out[g] = names
      else
        fail(where, "first_names: use { m = {...}, f = {...}, u = {...} } or [\"Name\"] = \"m\"|\"f\"|\"u\"",
          nil, nil, type(g) == "string" and g or "first_names")
      end
    end
    list.first_names = out
  end
  if t.patterns ~= nil then list.patterns = check_patterns(where, t.patterns) end
  for key in pairs(PASSED) do
    if t[key] ~= nil then
      if type(t[key]) ~= "table" then
        fail(where, string_format("%s must be a table, got %s", key, type(t[key])), nil, nil, key)
      end
      list[key] = t[key]
    end
  end
  return list
end

-- Checks a TSV list file line by line: every non-blank, non-comment line is
-- name<TAB>type[<TAB>alias|alias...]; the first malformed line is reported
-- with its number. (The C gazetteer then loads the file.)
local function check_tsv(path)
  local f, err = io_open(path, "rb")
  if not f then error(tostring(err), 0) end
  local n = 0
  for line in f:lines() do
    n = n + 1
    local c = string_byte(line, 1)
    if c and c ~= 35 and string_find(line, "[^ \r]") then
      local t1 = string_find(line, "\t", 1, true)
      local problem
      if not t1 then
        problem = "expected name<TAB>type<TAB>aliases, found no tab"
      elseif not string_find(string_sub(line, 1, t1 - 1), "%S") then
        problem = "empty name"
      else
        local t2 = string_find(line, "\t", t1 + 1, true)
        local etype = string_sub(line, t1 + 1, (t2 or #line + 1) - 1)
        if string_byte(etype, -1) == 13 then etype = string_sub(etype, 1, -2) end
        if not string_find(etype, "^%a[%w_%-]*$") then
          problem = string_format("type must be a word such as person, organization or place, got %q", etype)
        elseif t2 and string_find(line, "\t", t2 + 1, true) then
          problem = "too many fields (aliases are separated by |)"
        end
      end
      if problem then
        f:close()
        error(string_format("%s:%d: %s", path, n, problem), 0)
      end
    end
  end
  f:close()
  return { entities = {}, tsv = { path } }
end

--- Loads and checks one list.
-- @tparam string|table list a `.lua` or `.tsv` path, or a table
-- @tparam[opt] string name the name used in messages for a table
-- @treturn table the checked list, normalised: `entities` (array of
--   `{name=, type=, aliases=, gender=, demonyms=}`), string sections, `demonyms`,
--   `honorifics`, `first_names` (name -> "m"|"f"|"u"), `patterns`, `tsv` (paths)
-- @raise "file:line: message" on a malformed list, "file: message" when unreadable
function M.load(list, name)
  if type(list) == "table" then
    return check_table({ name = name or "list" }, list)
  elseif type(list) == "string" then
    if list:find("%.tsv$") or list:find("%.txt$") then
      return check_tsv(list)
    end
    local t, src = loader.load_file(list)
    return check_table({ name = list, src = src }, t)
  end
  error("lede.lists: a list must be a path or a table, got " .. type(list), 2)
end

local function append(dst, src)
  for _, v in ipairs(src) do dst[#dst + 1] = v end
end

-- Merges table b into a copy of a: arrays are appended, tables merged, other
-- values replaced.
local function deep_merge(a, b)
  local out = {}
  for k, v in pairs(a) do out[k] = v end
  for k, v in pairs(b) do
    local cur = out[k]
    if type(cur) == "table" and type(v) == "table" then
      if cur[1] ~= nil or v[1] ~= nil then
        local arr = {}
        append(arr, cur)
        append(arr, v)
        for kk, vv in pairs(v) do
          if type(kk) ~= "number" then arr[kk] = vv end
        end
        for kk, vv in pairs(cur) do
          if type(kk) ~= "number" and arr[kk] == nil then arr[kk] = vv end
        end
        out[k] = arr
      else
        out[k] = deep_merge(cur, v)
      end
    else
      out[k] = v
    end
  end
  return out
end

--- Merges checked list `b` into `a` (both as returned by `load`); later
-- entries win where one value must be chosen (a first name's gender).
-- @tparam table a the merged lists so far (changed in place)
-- @tparam table b a checked list
-- @treturn table a
function M.merge(a, b)
  a.entities = a.entities or {}
  append(a.entities, b.entities or {})
  for section in pairs(STRING_SECTIONS) do
    if b[section] then
      a[section] = a[section] or {}
      append(a[section], b[section])
    end
  end
  if b.tsv then
    a.tsv = a.tsv or {}
    append(a.tsv, b.tsv)
  end
  if b.patterns then
    a.patterns = a.patterns or {}
    append(a.patterns, b.patterns)
  end
  if b.reporting_verbs then
    a.reporting_verbs = a.reporting_verbs or {}
    append(a.reporting_verbs, b.reporting_verbs)
  end
  if b.speech then a.speech = deep_merge(a.speech or {}, b.speech) end
  for _, key in ipairs({ "honorifics", "first_names" }) do
    if b[key] then
      a[key] = a[key] or {}
      for k, v in pairs(b[key]) do a[key][k] = v end
    end
  end
  if b.demonyms then
    a.demonyms = a.demonyms or {}
    for place, forms in pairs(b.demonyms) do
      if type(forms) == "string" then forms = { forms } end
      local cur = a.demonyms[place] or {}
      a.demonyms[place] = cur
      append(cur, forms)
    end
  end
  return a
end

local builtin_cache

--- The built-in lists, checked and merged (computed once).
-- @treturn table
function M.builtin()
  if not builtin_cache then
    local merged = { entities = {} }
    for _, mod in ipairs(M.builtin_modules) do
      M.merge(merged, M.load(require(mod), mod))
    end
    builtin_cache = merged
  end
  return builtin_cache
end

--- The built-in lists merged with the user's, in order.
-- @tparam[opt] table|string lists an array of lists (paths or tables), or one path
-- @treturn table merged lists (a new table; the built-in ones are not changed)
-- @raise "file:line: message" on a malformed list
function M.stack(lists)
  local merged = M.merge({ entities = {} }, M.builtin())
  if lists == nil then return merged end
  if type(lists) == "string" then lists = { lists } end
  if type(lists) ~= "table" then
    error("lede.lists: lists must be an array of paths or tables, got " .. type(lists), 2)
  end
  local first = lists[1]
  if (first == nil and next(lists) ~= nil)
      or (type(first) == "table" and (type(first.name) == "string" or type(first[1]) == "string")) then
    -- one list given as a table rather than an array of lists
    lists = { lists }
  end
  for k, l in ipairs(lists) do
    M.merge(merged, M.load(l, type(l) == "table" and ("lists[" .. k .. "]") or nil))
  end
  return merged
end

return M
