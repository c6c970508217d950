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
    abbrevs = abbrevs, mode = mode,
    -- core.sentences options: {i=, j=, block=} records appended in C
    sentences = { records = true, fields = { block = 0 } },
    wrapped = { lines = false, records = true, fields = { block = 0 } },
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

--- Splits the body blocks into `ctx.sentences` (`{i=, j=, block=k}`).
-- @tparam table ctx
-- @tparam table state
function M.sentences(ctx, state)
  local text, abbrevs = ctx.text, state.abbrevs
  -- in hard-wrapped paragraphs a line end is not a sentence end
  local sopts = ctx.block_mode == "paragraph" and state.wrapped or state.sentences
  local fields, out = sopts.fields, {}
  sopts.into = out
  for k, b in ipairs(ctx.blocks) do
    if b.kind == "body" then
      fields.block = k
      core.sentences(text, b.i, b.j, abbrevs, sopts)
    end
  end
  sopts.into = nil
  ctx.sentences = out
end

return M
