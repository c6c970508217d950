--- lede: clean, structured documents from scraped news articles.
--
--    local lede = require "lede"
--    local doc = lede.extract(io.open("article.txt"):read("a"))
--    print(doc.meta.date, doc.body)
--    print(lede.report(doc, "json"))
--
-- `lede.new(opts)` builds an extractor once (rules and lists loaded and
-- compiled); `extractor:extract(text, opts)` runs the pipeline on one
-- document and returns the table described in docs/OUTPUT.md.
--
-- @module lede

local core = require "lede.core"

local error, setmetatable, tonumber, type, tostring = error, setmetatable, tonumber, type, tostring
local math_floor = math.floor
local _VERSION = _VERSION

local function abi_of_running_lua()
  local major, minor = _VERSION:match("(%d+)%.(%d+)")
  return tonumber(major) * 100 + tonumber(minor)
end

do -- a module built for another Lua ABI loads, then crashes later: refuse it now
  local want = abi_of_running_lua()
  local have = core.LUA_VERSION_NUM
  -- LuaJIT reports 5.1 and uses the 5.1 ABI.
  if have ~= want then
    error(("lede: lede.core was built for Lua %d.%d but is running under %s; rebuild it with "
      .. "`make LUA_VERSION=%d.%d`"):format(math_floor(have / 100), have % 100, _VERSION,
      math_floor(want / 100), want % 100), 0)
  end
end

local pipeline = require "lede.pipeline"
local report = require "lede.report"

local M = {}

--- The version of lede.
M.version = core.version

--- The C module, for direct use of its scanners (see docs/core.md).
M.core = core

--- Builds an extractor: rules and lists are loaded and compiled once.
-- @tparam[opt] table opts
--   `rules`: array of rule packs (file paths or tables) stacked on the built-in ones;
--   `lists`: array of entity lists (`.lua` or `.tsv` paths, or tables) added to the built-in ones;
--   `sites`: load the built-in site packs (default true);
--   `formats`: table of report formats by name (functions or file paths);
--   `entities`, `quotes`: `false` leaves that stage out (its output array stays,
--   empty), for callers who want only the clean body and metadata.
-- @treturn Extractor
-- @raise on an unknown option or a malformed rule/list file (naming file:line)
function M.new(opts)
  return pipeline.new(opts)
end

local default_extractor

--- Extracts one document with a default extractor (built on first use).
-- @tparam string text the scraped article, any bytes
-- @tparam[opt] table opts see `Extractor:extract`
-- @treturn table the document (docs/OUTPUT.md)
function M.extract(text, opts)
  if not default_extractor then default_extractor = pipeline.new() end
  return default_extractor:extract(text, opts)
end

--- Renders a document.
-- @tparam table doc a document from `extract`
-- @tparam[opt="json"] string|function format a format name (`json`, `jsonl`,
--   `text`, `markdown`, `csv`, `html`), a path to a Lua format file, or a
--   function `(doc, opts) -> string`
-- @tparam[opt] table opts passed to the format
-- @treturn string
function M.report(doc, format, opts)
  if type(doc) ~= "table" then error("lede.report: document must be a table, got " .. type(doc), 2) end
  return report.render(doc, format or "json", opts)
end

--- Loads and validates a rule pack without building an extractor.
-- @tparam string|table pack a path or a table
-- @treturn table the validated pack
-- @raise naming file:line and rule when malformed
function M.load_rules(pack)
  return require("lede.packs").load(pack)
end

--- Loads and validates an entity list without building an extractor.
-- @tparam string|table list a `.lua`/`.tsv` path or a table
-- @treturn table the validated list
-- @raise naming file and line when malformed
function M.load_list(list)
  return require("lede.lists").load(list)
end

M.Extractor = pipeline.Extractor

return setmetatable(M, { __tostring = function() return "lede " .. tostring(M.version) end })
