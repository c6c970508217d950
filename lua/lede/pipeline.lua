--- The extraction pipeline: stages in order over one document.
--
-- normalise -> segment -> classify -> meta -> entities -> quotes
--
-- Each stage is a module `lede.<stage>` with `compile(config) -> state`, run
-- once when an extractor is built, and `run(ctx, state)`, run per document.
-- `config` holds `opts` (the options of `lede.new`), `packs` (the stacked
-- rule packs, from `lede.packs.stack`) and `lists` (the merged lists, from
-- `lede.lists.stack`). `ctx` is the working state of one document; the last
-- step turns it into the document of docs/OUTPUT.md, mapping every position
-- back to the input.
--
-- @module lede.pipeline

local core = require "lede.core"
local loader = require "lede.loader"

local error, ipairs, pairs, pcall, type, tostring, setmetatable = error, ipairs, pairs, pcall, type, tostring, setmetatable
local core_join = core.join

local M = {}

--- The stages, in the order they are compiled.
M.stages = { "normalize", "segment", "classify", "meta", "entities", "quotes" }

-- The steps run per document: stage and function. Sentences are split once
-- the body is known, so that boilerplate costs nothing downstream.
local STEPS = {
  { "normalize", "run" }, { "segment", "run" }, { "classify", "run" },
  { "segment", "sentences" }, { "meta", "run" }, { "entities", "run" }, { "quotes", "run" },
}

local NEW_OPTS = { rules = true, lists = true, sites = true, formats = true,
                   entities = true, quotes = true }

-- Stages a caller may leave out (`lede.new{ entities = false }`): their
-- output fields stay, empty.
local OPTIONAL = { entities = true, quotes = true }
local EXTRACT_OPTS = { source = true, clean = true, url = true, domain = true }

--- A compiled extractor.
-- @type Extractor
local Extractor = {}
Extractor.__index = Extractor
M.Extractor = Extractor

--- Builds an extractor (see `lede.new`).
-- @tparam[opt] table opts
-- @treturn Extractor
function M.new(opts)
  opts = loader.check_opts(opts, NEW_OPTS, "lede.new")
  local config = { opts = opts }
  config.packs = require("lede.packs").stack(opts.rules, { sites = opts.sites ~= false })
  config.lists = require("lede.lists").stack(opts.lists)
  local self = setmetatable({ config = config, modules = {}, states = {}, formats = opts.formats }, Extractor)
  for _, name in ipairs(M.stages) do
    local v = opts[name]
    if v ~= nil and type(v) ~= "boolean" then
      error(("lede.new: option '%s' must be a boolean, got %s"):format(name, type(v)), 3)
    end
    if not (OPTIONAL[name] and v == false) then
      local mod = require("lede." .. name)
      self.modules[name] = mod
      self.states[name] = mod.compile(config)
    end
  end
  -- sentences are split for the stages that read them
  local steps = {}
  for _, step in ipairs(STEPS) do
    local name = step[1]
    if self.modules[name] and (step[2] ~= "sentences" or self.modules.entities or self.modules.quotes) then
      steps[#steps + 1] = step
    end
  end
  self.steps = steps
  return self
end

-- The body blocks' texts of the document being finished, joined into
-- doc.body: one array kept from document to document so that it never grows
-- again; it is emptied after each join, so it holds no document's text.
local BODY = {}
-- The fields of the stages' mention and quote records that the output's
-- have not (besides i, j: `map:place`).
local MENTION_DROP = { "entity" }
local QUOTE_DROP = { "parts" }

-- The output document from a finished ctx.
local function finish(ctx)
  local map = ctx.map
  local place = map.place
  local body, nbody = BODY, 0
  -- the stages' block records become the output's: only their positions in
  -- ctx.text go (the document is built once, ctx is dropped after)
  local blocks = ctx.blocks
  for k = 1, #blocks do
    local b = blocks[k]
    b.i, b.j = nil, nil
    if b.kind == "body" then
      nbody = nbody + 1
      body[nbody] = b.text
    end
  end
  for k = #body, nbody + 1, -1 do body[k] = nil end -- (left by a join that raised)
  local body_text = core_join(body, "\n\n")
  for k = nbody, 1, -1 do body[k] = nil end
  -- the stages' mention and quote records become the output's: their
  -- input spans, start and stop, take the place of their positions i, j
  -- in ctx.text and of their other fields the output has not (one call
  -- for all)
  local entities = ctx.entities
  if not entities then
    entities = {}
  elseif #entities > 0 then
    place(map, entities, MENTION_DROP, "mentions")
    -- (and the entity records theirs: the fields lede.entities gives the
    -- later stages go, the others are made sure of)
    for k = 1, #entities do
      local e = entities[k]
      e.gender, e.nationality, e.demonym = nil, nil, nil
      if not e.aliases then e.aliases = {} end
      if not e.roles then e.roles = {} end
      if not e.mentions then e.mentions = {} end
    end
  end
  local quotes = ctx.quotes or {}
  if #quotes > 0 then place(map, quotes, QUOTE_DROP) end
  return { source = ctx.opts.source, meta = ctx.meta or {}, blocks = blocks,
           body = body_text, entities = entities,
           quotes = quotes }
end

-- The options of one document, checked, with the domain read from the URL.
local function doc_opts(opts, who)
  opts = loader.check_opts(opts, EXTRACT_OPTS, who)
  if opts.domain == nil and type(opts.url) == "string" then
    local d = opts.url:match("^%a[%w+.-]*://([^/:?#]+)")
    if d then
      opts = { source = opts.source, clean = opts.clean, url = opts.url, domain = d:lower() }
    end
  end
  return opts
end

-- A document's working state before its first step. (The fields the stages
-- add are named, nil, so that the table is made at its final size.)
local function new_ctx(self, text, opts)
  return { input = text, opts = opts, extractor = self, meta = nil, text = nil, map = nil,
           repairs = nil, blocks = nil, block_mode = nil, features = nil, language = nil,
           packs = nil, signatures = nil, sentences = nil, entities = nil, mentions = nil,
           quotes = nil }
end

--- Extracts one document.
-- @tparam string text the scraped article: any bytes (invalid UTF-8, NULs, empty)
-- @tparam[opt] table opts
--   `source`: the document's name or path (`doc.source`);
--   `clean`: `false` when the input is already clean text: every block is body
--   and no boilerplate rule runs (default true);
--   `url`, `domain`: where the page came from, when known (selects site packs).
-- @treturn table the document (docs/OUTPUT.md)
-- @raise on a non-string text or an unknown option
function Extractor:extract(text, opts)
  if type(text) ~= "string" then
    error("extract: text must be a string, got " .. type(text), 2)
  end
  opts = doc_opts(opts, "extract")
  local ctx = new_ctx(self, text, opts)
  local states, modules = self.states, self.modules
  local clean = opts.clean ~= false
  for _, step in ipairs(self.steps) do
    local name = step[1]
    if clean or name ~= "classify" then
      modules[name][step[2]](ctx, states[name])
    end
  end
  return finish(ctx)
end

-- How many documents `extract_many` takes through each step before the next
-- step: enough that a step's tables and code stay in the caches from one
-- document to the next, few enough that the documents' working states stay
-- small. A batch also ends once its texts reach BATCH_BYTES (a large
-- document gains nothing from the others' company).
local BATCH, BATCH_BYTES = 32, 1048576

local MANY_ITEM = { text = true, source = true, clean = true, url = true, domain = true }

-- The text and checked options of item i of `extract_many`.
local function many_item(i, item, opts)
  local text, o = item, opts
  if type(item) ~= "string" and type(item) ~= "table" then
    error(("extract_many: item %d must be a string or a table, got %s"):format(i, type(item)), 3)
  end
  if type(item) == "table" then
    text = item.text
    o = {}
    if opts then for k, v in pairs(opts) do o[k] = v end end
    for k, v in pairs(item) do
      if not MANY_ITEM[k] then
        error(("extract_many: item %d: unknown option '%s'"):format(i, tostring(k)), 3)
      end
      if k ~= "text" then o[k] = v end
    end
  end
  if type(text) ~= "string" then
    error(("extract_many: item %d: text must be a string, got %s"):format(i, type(text)), 3)
  end
  return text, doc_opts(o, "extract_many")
end

--- Extracts many documents, in order: the same documents as `extract` on
-- each, faster over a corpus. The documents go through the pipeline in
-- small batches, each step over the whole batch before the next step.
-- @tparam {string|table,...} items the documents: each a text, or a table
--   with `text` and the options of `extract` for that document (`source`,
--   `clean`, `url`, `domain`)
-- @tparam[opt] table opts options of `extract` for every document (an item's
--   own options win)
-- @treturn {table|false,...} the documents (docs/OUTPUT.md), one per item:
--   `false` for a document whose extraction raised
-- @treturn ?table nil when every document was extracted; otherwise the
--   error messages by item number
-- @raise on a malformed item or option (before any document is extracted)
function Extractor:extract_many(items, opts)
  if type(items) ~= "table" then
    error("extract_many: items must be an array, got " .. type(items), 2)
  end
  if opts ~= nil then opts = loader.check_opts(opts, EXTRACT_OPTS, "extract_many") end
  local n = #items
  local texts, all_opts = {}, {}
  for i = 1, n do texts[i], all_opts[i] = many_item(i, items[i], opts) end
  local docs, failed = {}, nil
  local states, modules, steps = self.states, self.modules, self.steps
  local first = 1
  while first <= n do
    -- the batch: first .. last
    local last, bytes = first, #texts[first]
    while last < n and last - first + 1 < BATCH and bytes + #texts[last + 1] <= BATCH_BYTES do
      last = last + 1
      bytes = bytes + #texts[last]
    end
    local ctxs = {}
    for i = first, last do ctxs[i - first + 1] = new_ctx(self, texts[i], all_opts[i]) end
    for _, step in ipairs(steps) do
      local name = step[1]
      local run, state = modules[name][step[2]], states[name]
      for b = 1, #ctxs do
        local ctx = ctxs[b]
        if ctx and (name ~= "classify" or ctx.opts.clean ~= false) then
          local ok, err = pcall(run, ctx, state)
          if not ok then
            failed = failed or {}
            failed[first + b - 1] = tostring(err)
            ctxs[b] = false
          end
        end
      end
    end
    for b = 1, #ctxs do
      local ctx, doc = ctxs[b], false
      if ctx then
        local ok, res = pcall(finish, ctx)
        if ok then
          doc = res
        else
          failed = failed or {}
          failed[first + b - 1] = tostring(res)
        end
      end
      docs[first + b - 1] = doc
    end
    first = last + 1
  end
  return docs, failed
end

function Extractor:__tostring()
  return "lede.Extractor(" .. tostring(#self.config.packs) .. " packs)"
end

return M
