--- Rule packs: loading, validation, stacking, site selection, compilation.
--
-- A rule pack is a Lua data file returning a table (see docs/rules.md): block
-- rules (phrases and PCRE2 patterns with the block kind they imply), glued-word
-- repairs, classifier thresholds, metadata hints and a `match` section saying
-- when the pack applies. Packs stack: `default`, then the site packs whose
-- `match` fits the document, then the user's own packs, in that order.
--
-- Every problem in a pack raises `file:line: pack <name>: <message>`, the line
-- being the one where the offending key, pattern or rule is written.
--
-- @module lede.packs

local core = require "lede.core"
local loader = require "lede.loader"

local core_contains = core.contains

local error, ipairs, pairs, pcall, require, tostring, type = error, ipairs, pairs, pcall, require,
  tostring, type
local setmetatable = setmetatable
local string_format = string.format
local package_searchpath = package.searchpath
local table_sort = table.sort

local M = {}

--- The block kinds a rule may imply (docs/OUTPUT.md), plus "body" (keep).
M.kinds = {
  body = true, title = true, byline = true, dateline = true, related = true, tags = true,
  caption = true, navigation = true, widget = true, disclaimer = true, footer = true,
  comment = true, boilerplate = true,
}

--- The classifier thresholds a pack may set, with the defaults of `default.lua`.
M.threshold_keys = {
  length_low = true, length_high = true, stopwords_low = true, stopwords_high = true,
  max_heading_distance = true, title_max_words = true, related_max_words = true,
  tag_max_words = true, menu_title_share = true, rule_reach = true, cluster_gap = true,
  cluster_keep = true, neighbour_reach = true,
}

local TOP_KEYS = {
  name = "string", description = "string", language = "string", match = "table",
  thresholds = "table", blocks = "table", repairs = "table", meta = "table", title_weights = "table",
}
local MATCH_KEYS = { always = "boolean", domains = "table", signatures = "table" }
local RULE_KEYS = {
  kind = "string", name = "string", phrases = "table", prefixes = "table", pattern = "string",
  flags = "string", max_words = "number", min_words = "number", where = "string",
  list = "boolean", section = "boolean", inline = "boolean", note = "string", language = "string",
}
local REPAIR_KEYS = { name = "string", pattern = "string", flags = "string", note = "string" }
local META_KEYS = { publisher = "string", publisher_patterns = "table", url_patterns = "table" }
local WHERE = { any = true, before = true, after = true, edges = true }

-- Where a pack came from: its name for messages and its source for lines.
local function origin(pack)
  local o = pack and pack._origin
  return o and o.file or (pack and pack.name) or "rules", o and o.src
end

local function fail(pack, needles, msg)
  local file, src = origin(pack)
  local line
  for _, needle in ipairs(needles) do
    if type(needle) == "string" and needle ~= "" then
      line = loader.where(src, needle)
      if line then break end
    end
  end
  local label = string_format("pack %s: %s", tostring(pack.name or "?"), msg)
  if line then error(string_format("%s:%d: %s", file, line, label), 0) end
  error(string_format("%s: %s", file, label), 0)
end

-- The spellings a string may have in Lua source (raw, and escaped in quotes).
local function spellings(s)
  if type(s) ~= "string" then return {} end
  local escaped = s:gsub("\\", "\\\\"):gsub('"', '\\"')
  return { s, escaped, s:sub(1, 24), escaped:sub(1, 24) }
end

local function key_needles(key)
  key = tostring(key)
  return { key .. " =", key .. "=", '["' .. key .. '"]', key }
end

local function check_keys(pack, t, schema, what)
  for k, v in pairs(t) do
    local want = schema[k]
    if type(k) == "string" and k:sub(1, 1) == "_" then
      want = nil -- internal fields (origin, compiled patterns)
    elseif type(k) ~= "string" or not want then
      if type(k) ~= "number" then
        fail(pack, key_needles(k), string_format("unknown key '%s' in %s", tostring(k), what))
      end
    elseif type(v) ~= want then
      fail(pack, key_needles(k), string_format("%s: '%s' must be a %s, got %s", what, k, want, type(v)))
    end
  end
end

local function check_strings(pack, list, what, needles)
  for n, s in ipairs(list) do
    if type(s) ~= "string" or s == "" then
      fail(pack, needles, string_format("%s: entry %d must be a non-empty string", what, n))
    end
  end
end

--- The id of every rule: `pack:name`, or `pack:kind#n` (n-th rule of that kind).
local function rule_ids(pack)
  local count = {}
  for _, r in ipairs(pack.blocks or {}) do
    if type(r) == "table" and type(r.kind) == "string" then
      count[r.kind] = (count[r.kind] or 0) + 1
      r._id = pack.name .. ":" .. (r.name or (r.kind .. "#" .. count[r.kind]))
    end
  end
  for n, r in ipairs(pack.repairs or {}) do
    if type(r) == "table" then r._id = pack.name .. ":" .. (r.name or ("repair#" .. n)) end
  end
end

-- A compiled PCRE2 pattern; a bad pattern raises naming the rule and file:line.
local function compile_pattern(pack, rule_id, pattern, flags, needles)
  local file, src = origin(pack)
  local line
  for _, needle in ipairs(needles) do
    line = loader.where(src, needle)
    if line then break end
  end
  local where_ = line and string_format("%s:%d", file, line) or file
  local ok, re = pcall(core.regex, pattern, flags or "", { name = rule_id .. " (" .. where_ .. ")" })
  if not ok then
    error(string_format("%s: pack %s: rule %s: bad pattern: %s", where_, tostring(pack.name),
      rule_id, tostring(re)), 0)
  end
  return re, where_
end

--- Validates a pack table (in place) and returns it.
-- @tparam table pack the pack
-- @tparam[opt] string file where it came from (for messages)
-- @tparam[opt] string src its source text (for line numbers)
-- @treturn table the pack
-- @raise "file:line: pack name: message" on any problem
function M.validate(pack, file, src)
  if type(pack) ~= "table" then
    error(string_format("%s: a rule pack must be a table, got %s", tostring(file or "rules"), type(pack)), 0)
  end
  pack._origin = pack._origin or { file = file or ("pack " .. tostring(pack.name)), src = src }
  check_keys(pack, pack, TOP_KEYS, "pack")
  if type(pack.name) ~= "string" or not pack.name:match("^[%w_.-]+$") then
    fail(pack, { "name" }, "'name' must be a word (letters, digits, _ . -)")
  end
  if pack.match then
    check_keys(pack, pack.match, MATCH_KEYS, "match")
    if pack.match.domains then check_strings(pack, pack.match.domains, "match.domains", { "domains" }) end
    for n, sig in ipairs(pack.match.signatures or {}) do
      if type(sig) == "string" then sig = { sig } end
      if type(sig) ~= "table" or #sig == 0 then
        fail(pack, { "signatures" }, string_format("match.signatures: entry %d must be a string or a list of strings", n))
      end
      check_strings(pack, sig, "match.signatures", { "signatures" })
    end
  end
  if pack.thresholds then
    for k, v in pairs(pack.thresholds) do
      if not M.threshold_keys[k] then
        fail(pack, key_needles(k), string_format("unknown key '%s' in thresholds", tostring(k)))
      end
      if type(v) ~= "number" then
        fail(pack, key_needles(k), string_format("thresholds: '%s' must be a number", k))
      end
    end
  end
  if pack.title_weights then
    -- (the weights lede.classify's title pick knows: its TITLE_WEIGHTS)
    local known = require("lede.classify").TITLE_WEIGHTS
    for k, v in pairs(pack.title_weights) do
      if type(k) ~= "string" or known[k] == nil then
        fail(pack, key_needles(k), string_format("unknown key '%s' in title_weights", tostring(k)))
      end
      if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then
        fail(pack, key_needles(k), string_format("title_weights: '%s' must be a finite number", k))
      end
    end
  end
  rule_ids(pack)
  for n, r in ipairs(pack.blocks or {}) do
    if type(r) ~= "table" then fail(pack, { "blocks" }, string_format("blocks: rule %d must be a table", n)) end
    local id = r._id or string_format("%s:blocks#%d", pack.name, n)
    local needles = {}
    for _, s in ipairs(spellings(r.pattern)) do needles[#needles + 1] = s end
    if r.name then needles[#needles + 1] = '"' .. r.name .. '"' end
    if type(r.phrases) == "table" then
      for _, s in ipairs(spellings(r.phrases[1])) do needles[#needles + 1] = s end
    end
    if type(r.prefixes) == "table" then
      for _, s in ipairs(spellings(r.prefixes[1])) do needles[#needles + 1] = s end
    end
    for k, v in pairs(r) do
      if type(k) ~= "string" or k:sub(1, 1) ~= "_" then
        local want = RULE_KEYS[k]
        local kn = key_needles(k)
        if not want then
          -- the key is usually on the rule's own line or near it: prefer that line
          fail(pack, { tostring(k) .. " =", tostring(k) .. "=", needles[1], tostring(k) },
            string_format("rule %s: unknown key '%s'", id, tostring(k)))
        elseif type(v) ~= want then
          fail(pack, kn, string_format("rule %s: '%s' must be a %s, got %s", id, k, want, type(v)))
        end
      end
    end
    if not M.kinds[r.kind] then
      fail(pack, { '"' .. tostring(r.kind) .. '"', needles[1] },
        string_format("rule %s: unknown kind '%s'", id, tostring(r.kind)))
    end
    if not (r.phrases or r.prefixes or r.pattern) then
      fail(pack, needles, string_format("rule %s: needs phrases, prefixes or pattern", id))
    end
    if r.phrases then check_strings(pack, r.phrases, "rule " .. id .. ": phrases", needles) end
    if r.prefixes then check_strings(pack, r.prefixes, "rule " .. id .. ": prefixes", needles) end
    if r.where and not WHERE[r.where] then
      fail(pack, { '"' .. r.where .. '"' }, string_format("rule %s: 'where' must be any, before, after or edges", id))
    end
    if r.flags and not r.flags:match("^[imsxUa]*$") then
      fail(pack, { '"' .. r.flags .. '"' }, string_format("rule %s: bad flags '%s'", id, r.flags))
    end
  end
  for n, r in ipairs(pack.repairs or {}) do
    if type(r) ~= "table" then fail(pack, { "repairs" }, string_format("repairs: entry %d must be a table", n)) end
    local id = r._id
    for k, v in pairs(r) do
      if type(k) ~= "string" or k:sub(1, 1) ~= "_" then
        if not REPAIR_KEYS[k] then
          fail(pack, { tostring(k) .. " =", tostring(k) }, string_format("repair %s: unknown key '%s'", id, tostring(k)))
        elseif type(v) ~= REPAIR_KEYS[k] then
          fail(pack, key_needles(k), string_format("repair %s: '%s' must be a %s", id, k, REPAIR_KEYS[k]))
        end
      end
    end
    if not r.pattern then fail(pack, { "repairs" }, string_format("repair %s: needs a pattern", id)) end
  end
  if pack.meta then
    check_keys(pack, pack.meta, META_KEYS, "meta")
    if pack.meta.publisher_patterns then
      check_strings(pack, pack.meta.publisher_patterns, "meta.publisher_patterns", { "publisher_patterns" })
    end
  end
  return pack
end

local function module_source(modname)
  if not package_searchpath then return nil, modname end
  local path = package_searchpath(modname, package.path)
  if not path then return nil, modname end
  return loader.read_file(path), path
end

--- Loads and validates a pack: a path to a Lua data file (run sandboxed) or a table.
-- @tparam string|table pack
-- @treturn table the validated pack
-- @raise "file:line: message" on a syntax error, an unknown key, a bad value
function M.load(pack)
  if type(pack) == "string" then
    local t, src = loader.load_file(pack)
    if t.name == nil then
      t.name = pack:match("([^/\\]+)%.lua$") or pack:match("([^/\\]+)$")
    end
    return M.validate(t, pack, src)
  elseif type(pack) == "table" then
    if pack._origin and pack._validated then return pack end
    local p = M.validate(pack, pack._origin and pack._origin.file or nil, pack._origin and pack._origin.src)
    p._validated = true
    return p
  end
  error("lede.packs: a rule pack must be a path or a table, got " .. type(pack), 2)
end

local builtin_cache = {}

--- Loads a built-in pack by module name (`default`, `sites.sputnik`, ...).
-- @tparam string name
-- @treturn table
function M.builtin(name)
  local cached = builtin_cache[name]
  if cached then return cached end
  local modname = "lede.rules." .. name
  local t = require(modname)
  local src, file = module_source(modname)
  if not t._validated then
    M.validate(t, file, src)
    t._validated = true
  end
  t._builtin = true
  builtin_cache[name] = t
  return t
end

--- The names of the built-in site packs.
-- @treturn {string}
function M.site_names()
  return require "lede.rules.sites"
end

--- Stacks packs: default, the built-in site packs, then the user's.
-- @tparam[opt] {string|table} user the user's packs (paths or tables)
-- @tparam[opt] table opts `sites` (default true): include the built-in site packs
-- @treturn {table} the packs in order
-- @raise naming file:line when a pack is malformed
function M.stack(user, opts)
  local out = { M.builtin("default") }
  if not opts or opts.sites ~= false then
    for _, name in ipairs(M.site_names()) do out[#out + 1] = M.builtin("sites." .. name) end
  end
  if user ~= nil then
    if type(user) == "string" or (type(user) == "table" and (user.name or user.blocks)) then
      user = { user }
    end
    if type(user) ~= "table" then error("lede.packs: rules must be a list of packs", 2) end
    for _, p in ipairs(user) do
      local pack = M.load(p)
      pack._user = true
      out[#out + 1] = pack
    end
  end
  return out
end

-- Whether `domain` is `d` or a subdomain of it.
local function domain_match(domain, d)
  if domain == d then return true end
  return #domain > #d and domain:sub(-#d - 1) == "." .. d
end

-- The signatures of a match section as lists of strings (a string alone as
-- a list of one), made once per section (packs are not changed once
-- validated).
local signature_cache = setmetatable({}, { __mode = "k" })
local function signature_lists(m)
  local lists = signature_cache[m]
  if not lists then
    lists = {}
    for n, sig in ipairs(m.signatures or {}) do
      local list = {}
      if type(sig) == "string" then
        list[1] = sig
      else
        for q, str in ipairs(sig) do list[q] = str end
      end
      lists[n] = list
    end
    signature_cache[m] = lists
  end
  return lists
end

-- Whether a pack applies, each signature string searched for once per
-- document (`found`: string -> whether the text holds it, filled as it
-- goes), by its rarest byte (`core.contains`).
local function applies_found(pack, text, domain, found)
  local m = pack.match
  if not m then return "always" end
  if m.always then return "always" end
  if domain and m.domains then
    for _, d in ipairs(m.domains) do
      if domain_match(domain, d) then return "domain" end
    end
  end
  local lists = signature_lists(m)
  for n = 1, #lists do
    local sig = lists[n]
    local all = true
    for q = 1, #sig do
      local s = sig[q]
      local f = found[s]
      if f == nil then
        f = core_contains(text, s)
        found[s] = f
      end
      if not f then all = false; break end
    end
    if all then return "signature" end
  end
  return false
end

--- Whether a pack applies to a document.
-- Default and user packs without a `match` section always apply; a site pack
-- applies when the caller's domain is one of its domains or when all strings of
-- one of its signatures occur in the text.
-- @tparam table pack
-- @tparam string text the document's normalised text
-- @tparam[opt] string domain the caller's domain (lower case)
-- @treturn boolean|string false, or why it applies ("always", "domain", "signature")
function M.applies(pack, text, domain)
  return applies_found(pack, text, domain, {})
end

--- Which packs of a list apply to a document: what `M.applies` says of
-- each, every signature string searched for at most once.
-- @tparam {table} list packs
-- @tparam string text the document's normalised text
-- @tparam[opt] string domain the caller's domain (lower case)
-- @tparam[opt] table found what earlier calls on the same text found
-- (signature string -> boolean; filled here): the stages of one document
-- pass the same table, so that each string is searched for once
-- @treturn {boolean|string} by pack, as `M.applies` gives it
function M.applying(list, text, domain, found)
  found = found or {}
  local out = {}
  for n, pack in ipairs(list) do out[n] = applies_found(pack, text, domain, found) end
  return out
end

--- The signatures of a list of packs as `core.signature_packs` reads them.
-- Entry n is true when pack n always applies (no `match` section, or
-- `always`), else its signatures as lists of strings: which packs apply
-- to a text for which no domain is known is then one call. Nil when the
-- list has more packs than `core.signature_packs` tells apart (52).
-- @tparam {table} list validated packs
-- @treturn table|nil
function M.signature_spec(list)
  if #list > 52 then return nil end
  local out = {}
  for n, pack in ipairs(list) do
    local m = pack.match
    if not m or m.always then
      out[n] = true
    else
      out[n] = signature_lists(m)
    end
  end
  return out
end

--- Compiles the patterns of a pack once (cached on the pack).
-- Adds `_re` to every block rule and repair with a pattern.
-- @tparam table pack a validated pack
-- @treturn table the pack
-- @raise "file:line: pack p: rule r: bad pattern: ..." on a bad pattern
function M.compile(pack)
  if pack._compiled then return pack end
  for _, r in ipairs(pack.blocks or {}) do
    if r.pattern and not r._re then
      r._re, r._where = compile_pattern(pack, r._id, r.pattern, r.flags, spellings(r.pattern))
    end
  end
  for _, r in ipairs(pack.repairs or {}) do
    if not r._re then
      r._re, r._where = compile_pattern(pack, r._id, r.pattern, r.flags, spellings(r.pattern))
    end
  end
  local pubs = {}
  for n, p in ipairs(pack.meta and pack.meta.publisher_patterns or {}) do
    pubs[n] = compile_pattern(pack, pack.name .. ":publisher#" .. n, p, "", spellings(p))
  end
  pack._publisher_res = pubs
  pack._compiled = true
  return pack
end

-- Needles of a pattern: literal strings one of which every match contains,
-- so that a block holding none of them need not be matched. Derived by a
-- small, conservative reading of the pattern: anything it does not know
-- (extended mode, conditionals, verbs, \Q, recursion) gives no needles; a
-- class of up to eight plain characters ([|/]) counts as one of them.
-- Letters compare without case (the matcher folds ASCII); a non-ASCII
-- character is kept only where it has no other case: symbols and
-- punctuation (U+00A0..U+00BF but the micro sign, U+2000..U+206F,
-- U+2190..U+23FF, U+2500..U+27BF).

local NEEDLE_MIN, NEEDLES_MAX = 1, 16

-- A requirement: nil (none known) or a list of strings.
local function req_score(r)
  if not r then return -1 end
  local min = math.huge
  for _, n in ipairs(r) do
    if #n < min then min = #n end
  end
  return min * 100 - #r
end

local function better(a, b)
  if req_score(b) > req_score(a) then return b end
  return a
end

local function caseless_safe(ch)
  local cp = utf8 and utf8.codepoint and utf8.codepoint(ch) or nil
  if not cp then return false end
  return (cp >= 0xA0 and cp <= 0xBF and cp ~= 0xB5) or (cp >= 0x2000 and cp <= 0x206F)
    or (cp >= 0x2190 and cp <= 0x23FF) or (cp >= 0x2500 and cp <= 0x27BF)
end

local ESC_CLASS = { d = 1, D = 1, w = 1, W = 1, s = 1, S = 1, h = 1, H = 1, v = 1, V = 1,
  R = 1, X = 1 }
local ESC_ZERO = { b = 1, B = 1, A = 1, z = 1, Z = 1, G = 1, K = 1, E = 1 }
local ESC_CHAR = { n = "\n", t = "\t", r = "\r", f = "\f", e = "\27", a = "\7" }

local function parse_needles(pat, exact)
  local pos, len = 1, #pat
  local fail = {}
  local parse_alt

  local function peek(n) return pat:sub(pos, pos + (n or 1) - 1) end

  -- skips a character class starting at pos ('['); returns nothing
  local function skip_class()
    pos = pos + 1
    if peek() == "^" then pos = pos + 1 end
    if peek() == "]" then pos = pos + 1 end
    while pos <= len do
      local c = peek()
      if c == "]" then pos = pos + 1 return end
      if c == "\\" then
        local e = pat:sub(pos + 1, pos + 1)
        if (e == "x" or e == "p" or e == "P" or e == "o") and pat:sub(pos + 2, pos + 2) == "{" then
          local close = pat:find("}", pos + 3, true)
          if not close then error(fail) end
          pos = close + 1
        elseif e == "Q" or e == "E" or e == "c" then
          error(fail)
        else
          pos = pos + 2
        end
      elseif c == "[" and pat:sub(pos + 1, pos + 1) == ":" then
        local close = pat:find(":]", pos + 2, true)
        if not close then error(fail) end
        pos = close + 2
      else
        pos = pos + 1
      end
    end
    error(fail)
  end

  -- a class of a few plain characters at pos ('['), such as [|/]: its
  -- characters as a requirement (one of them), pos past it; nil, pos
  -- unmoved, for any other class (negated, ranges, escapes of sets, ...)
  local CLASS_MAX = 8
  local function class_chars()
    local at, out, seen = pos + 1, {}, {}
    if pat:sub(at, at) == "^" or pat:sub(at, at) == "]" then return nil end
    while at <= len do
      local c = pat:sub(at, at)
      local ch
      if c == "]" then
        if #out == 0 or #out > CLASS_MAX then return nil end
        pos = at + 1
        return out
      elseif c == "\\" then
        local e = pat:sub(at + 1, at + 1)
        if e == "x" then
          local hex, close = pat:match("^{(%x+)}()", at + 2)
          if not hex then return nil end
          local cp = tonumber(hex, 16)
          if cp < 0x80 then ch = string.char(cp)
          elseif utf8 and utf8.char and cp <= 0x10FFFF then ch = utf8.char(cp)
          else return nil end
          at = close
        elseif e ~= "" and not e:match("[%w%s]") then
          ch = e
          at = at + 2
        else
          return nil
        end
      elseif c == "[" or c == "-" then
        return nil
      else
        ch = pat:match("^[%z\1-\127\194-\244][\128-\191]*", at)
        if not ch then return nil end
        at = at + #ch
      end
      if not (#ch == 1 or caseless_safe(ch)) then return nil end
      if not exact then ch = ch:lower() end
      if not seen[ch] then seen[ch] = true; out[#out + 1] = ch end
    end
    return nil
  end

  -- one atom: returns kind ("char" with its text, "any", "zero", "group"
  -- with a requirement)
  local function atom()
    local c = peek()
    if c == "(" then
      local head = pat:sub(pos, pos + 3)
      local look = head:match("^%(%?<?[=!]")
      if head:sub(2, 2) == "*" then error(fail) end
      if head:sub(2, 2) == "?" then
        local d = head:sub(3, 3)
        if look then
          pos = pos + #look
          parse_alt()
          if peek() ~= ")" then error(fail) end
          pos = pos + 1
          return "zero"
        elseif d == "#" then
          local close = pat:find(")", pos, true)
          if not close then error(fail) end
          pos = close + 1
          return "zero"
        elseif d == ":" or d == ">" or d == "|" then
          pos = pos + 3
        elseif d == "<" or d == "'" or d == "P" then
          local close = pat:find(d == "'" and "'" or ">", pos + 3, true)
          if not close or pat:sub(pos, pos + 3) == "(?P=" or pat:sub(pos, pos + 3) == "(?P>" then error(fail) end
          pos = close + 1
        else
          -- option settings: (?i) (?-i) (?i:...)
          local opts, term = pat:match("^%(%?([imnsxJU%-%^]*)([:%)])", pos)
          if not opts or opts:find("x", 1, true) then error(fail) end
          pos = pos + 2 + #opts + 1
          if term == ")" then return "zero" end
        end
      else
        pos = pos + 1
      end
      local r, starts, whole = parse_alt()
      if peek() ~= ")" then error(fail) end
      pos = pos + 1
      return "group", r, starts, whole
    elseif c == "[" then
      local chars = class_chars()
      if chars then return "group", chars, chars, true end
      skip_class()
      return "any"
    elseif c == "\\" then
      local e = pat:sub(pos + 1, pos + 1)
      if e == "" then error(fail) end
      if ESC_CLASS[e] then
        pos = pos + 2
        return "any"
      elseif e == "p" or e == "P" then
        if pat:sub(pos + 2, pos + 2) == "{" then
          local close = pat:find("}", pos + 3, true)
          if not close then error(fail) end
          pos = close + 1
        else
          pos = pos + 3
        end
        return "any"
      elseif ESC_ZERO[e] then
        pos = pos + 2
        return "zero"
      elseif ESC_CHAR[e] then
        pos = pos + 2
        return "char", ESC_CHAR[e]
      elseif e == "x" then
        local hex, close = pat:match("^{(%x+)}()", pos + 2)
        if not hex then
          hex = pat:match("^%x%x?", pos + 2)
          if not hex then error(fail) end
          close = pos + 2 + #hex
        end
        pos = close
        local cp = tonumber(hex, 16)
        if cp < 0x80 then return "char", string.char(cp) end
        if not (utf8 and utf8.char) or cp > 0x10FFFF then return "any" end
        return "char", utf8.char(cp)
      elseif e:match("[%d]") or e == "g" or e == "k" then
        -- a back reference: matches what a group matched, no literal known
        -- (octal escapes read the same way: no needle either)
        if e == "g" or e == "k" then
          local close = pat:match("^[{<']", pos + 2) and pat:find("[}>']", pos + 3)
          if close then pos = close + 1 else
            local n = pat:match("^%-?%d+", pos + 2)
            if not n then error(fail) end
            pos = pos + 2 + #n
          end
        else
          pos = pos + 2
          while pat:sub(pos, pos):match("%d") do pos = pos + 1 end
        end
        return "any"
      elseif e:match("%w") then
        error(fail)
      else
        pos = pos + 2
        return "char", e
      end
    elseif c == "." then
      pos = pos + 1
      return "any"
    elseif c == "^" or c == "$" then
      pos = pos + 1
      return "zero"
    else
      local ch = pat:match("^[%z\1-\127\194-\244][\128-\191]*", pos)
      if not ch then error(fail) end
      pos = pos + #ch
      if c == "{" then return "any" end
      return "char", ch
    end
  end

  -- a quantifier at pos: returns its minimum, or nil when there is none
  local function quantifier()
    local c = peek()
    local min
    if c == "*" or c == "?" then min = 0; pos = pos + 1
    elseif c == "+" then min = 1; pos = pos + 1
    elseif c == "{" then
      local lo, hi, close = pat:match("^{(%d*)(,?%d*)}()", pos)
      if not lo or (lo == "" and hi == "") then return nil end
      min = tonumber(lo) or 0
      pos = close
    else
      return nil
    end
    local m = peek()
    if m == "+" or m == "?" then pos = pos + 1 end
    return min
  end

  -- The strings of a and of b joined, each of a with each of b; nil past
  -- NEEDLES_MAX of them or past SET_NEEDLE_MAX bytes (what a needle may be).
  local SET_NEEDLE_MAX = 64
  local function joined(a, b)
    if #a * #b > NEEDLES_MAX then return nil end
    local out = {}
    for _, x in ipairs(a) do
      for _, y in ipairs(b) do
        if #x + #y > SET_NEEDLE_MAX then return nil end
        out[#out + 1] = x .. y
      end
    end
    return out
  end

  -- a sequence up to | or ) or the end: its requirement, the strings one
  -- of which each of its matches starts with (nil: none known), and
  -- whether each match is one of them, whole
  local function parse_seq()
    local best, run = nil, {}
    -- (starts: what the sequence's matches start with so far; open: the
    -- atoms read up to here all match one way, so that starts still grows)
    local starts, open = { "" }, true
    local function flush()
      if #run > 0 then best = better(best, { table.concat(run) }) end
      run = {}
    end
    local function grow(list)
      starts = list and joined(starts, list)
      if not starts then open = false end
    end
    while pos <= len do
      local c = peek()
      if c == "|" or c == ")" then break end
      local kind, v, vstarts, vwhole = atom()
      local min = quantifier()
      if kind == "char" then
        local ok = #v == 1 or caseless_safe(v)
        if not exact then v = v:lower() end
        if min == nil and ok then
          run[#run + 1] = v
          if open then grow({ v }) end
        else
          flush()
          if min and min >= 1 and ok then best = better(best, { v }) end
          -- (a character repeated starts with itself; an optional one may
          -- not be there)
          if open and min and min >= 1 and ok then grow({ v }) end
          open = false
        end
      elseif kind == "group" then
        -- a run of characters right before a group goes on into the
        -- group's starts (its first time, when it repeats): "[" then
        -- "submit" or "go" needs "[submit" or "[go"
        if (min == nil or min >= 1) and vstarts and #run > 0 then
          local both = joined({ table.concat(run) }, vstarts)
          if both then best = better(best, both) end
        end
        flush()
        if min == nil or min >= 1 then best = better(best, v) end
        if open then
          if vstarts and (min == nil or min >= 1) then grow(vstarts) else open = false end
          -- (what follows a group follows its starts only when they are
          -- its whole matches, met once)
          if min ~= nil or not vwhole then open = false end
        end
      elseif kind == "zero" then
        flush()
      else
        flush()
        open = false
      end
    end
    flush()
    return best, starts, open and starts ~= nil
  end

  -- alternatives up to ) or the end: as parse_seq, for all of them
  function parse_alt()
    local out, dead, starts, whole = {}, false, {}, true
    repeat
      if peek() == "|" then pos = pos + 1 end
      local r, st, wh = parse_seq()
      if not r then dead = true
      else for _, n in ipairs(r) do out[#out + 1] = n end end
      whole = whole and wh
      if starts and st then
        for _, n in ipairs(st) do starts[#starts + 1] = n end
        if #starts > NEEDLES_MAX then starts = nil end
      else
        starts = nil
      end
    until peek() ~= "|"
    whole = whole and starts ~= nil
    if dead then return nil, starts, whole end
    return out, starts, whole
  end

  local ok, r = pcall(function()
    local res = parse_alt()
    if pos <= len then error(fail) end
    return res
  end)
  if not ok then
    if r == fail then return nil end
    error(r, 0)
  end
  return r
end

--- Literal needles of a PCRE2 pattern: strings one of which every match
-- contains, or nil when none can be told. A caseless pattern (flag `i`, or
-- `i` among inline options anywhere) gives them in lower case, to be
-- compared without ASCII case; another gives them as written, to be
-- compared exactly (the second result is then true).
-- @tparam string pattern
-- @tparam[opt] string flags
-- @treturn {string}|nil
-- @treturn boolean whether the needles compare exactly
function M.needles(pattern, flags)
  if type(pattern) ~= "string" or (flags and flags:find("x", 1, true)) then return nil end
  local exact = not ((flags and flags:find("i", 1, true)) or pattern:find("%(%?[%a%-%^]*i[%a%-%^]*[:%)]"))
  local r = parse_needles(pattern, exact)
  if not r or #r == 0 or #r > NEEDLES_MAX then return nil end
  local seen, out = {}, {}
  for _, n in ipairs(r) do
    if #n < NEEDLE_MIN then return nil end
    if not seen[n] then seen[n] = true; out[#out + 1] = n end
  end
  table_sort(out)
  return out, exact
end

--- The merged thresholds of a stack (later packs override earlier ones).
-- @tparam {table} packs
-- @treturn table
function M.thresholds(packs)
  local t = {}
  for _, p in ipairs(packs) do
    for k, v in pairs(p.thresholds or {}) do t[k] = v end
  end
  return t
end

--- The title pick's weights of a stack: lede.classify's TITLE_WEIGHTS with
-- those the packs set (later packs override earlier ones).
-- @tparam {table} packs
-- @treturn table
function M.title_weights(packs)
  local t = {}
  for k, v in pairs(require("lede.classify").TITLE_WEIGHTS) do t[k] = v end
  for _, p in ipairs(packs) do
    for k, v in pairs(p.title_weights or {}) do t[k] = v end
  end
  return t
end

--- A readable list of the rule ids of a stack (for `lede rules` style listings).
-- @tparam {table} packs
-- @treturn {string}
function M.rule_ids(packs)
  local out = {}
  for _, p in ipairs(packs) do
    for _, r in ipairs(p.blocks or {}) do out[#out + 1] = r._id end
    for _, r in ipairs(p.repairs or {}) do out[#out + 1] = r._id end
  end
  table_sort(out)
  return out, exact
end

return M
