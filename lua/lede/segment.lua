--- Segmentation stage: blocks of the normalised text, and sentences of the body.
--
-- Blocks are the units the classifier labels (paragraphs: one per line in
-- line-per-paragraph dumps, blank-line separated otherwise). Sentences are
-- split only in body blocks, once the classifier has run, with the
-- abbreviation list of `lede.lists.abbreviations`.
--
-- @module lede.segment

local core = require "lede.core"

local ipairs = ipairs

local M = {}

--- Compiles the stage.
-- @tparam table config the extractor's configuration
-- @treturn table state: the abbreviation set
function M.compile(config)
  local abbrevs = {}
  for _, a in ipairs(require("lede.lists.abbreviations")) do
    abbrevs[a] = true
  end
  local extra = config.lists and config.lists.abbreviations
  if extra then
    for _, a in ipairs(extra) do abbrevs[a] = true end
  end
  local mode = "auto"
  return {
    -- the abbreviations as a set in C, looked up in place
    abbrevs = core.abbrev_set(abbrevs), mode = mode,
    -- core.body_sentences options: body blocks only; in hard-wrapped
    -- paragraphs a line end is not a sentence end
    sentences = { kind = "body" },
    wrapped = { kind = "body", lines = false },
    -- core.blocks options: one record per block, made in C
    blocks = { mode = mode, records = true, fields = { kind = "body" } },
    blocks_clean = { mode = mode, records = true, fields = { kind = "body", rule = "input:clean" } },
  }
end

--- Splits `ctx.text` into `ctx.blocks`.
-- Each block gets its normalised `text` (line breaks inside a paragraph become
-- spaces), its position `i, j` in `ctx.text`, its input span `start, stop`,
-- and kind "body" until the classifier says otherwise.
-- @tparam table ctx
-- @tparam table state
function M.run(ctx, state)
  local opts = ctx.opts.clean == false and state.blocks_clean or state.blocks
  opts.map = ctx.map
  local blocks, mode = core.blocks(ctx.text, opts)
  opts.map = nil
  ctx.block_mode = mode
  ctx.blocks = blocks
end

--- Splits the body blocks into `ctx.sentences`.
-- The sentences are a `lede.Sentences` (core.body_sentences): `#s` and
-- `s[k]` (a new `{i=, j=, block=k}` at each access) as an array of records
-- would give; the quotes stage reads it in C. A block is read and cut when
-- its sentences are first asked for (`ctx.blocks` does not change
-- meanwhile).
-- @tparam table ctx
-- @tparam table state
function M.sentences(ctx, state)
  local sopts = ctx.block_mode == "paragraph" and state.wrapped or state.sentences
  ctx.sentences = core.body_sentences(ctx.text, ctx.blocks, state.abbrevs, sopts)
end

return M
