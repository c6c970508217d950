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
  return { abbrevs = abbrevs, mode = "auto", wrapped = { lines = false } }
end

--- Splits `ctx.text` into `ctx.blocks`.
-- Each block gets its normalised `text` (line breaks inside a paragraph become
-- spaces), its position `i, j` in `ctx.text`, its input span `start, stop`,
-- and kind "body" until the classifier says otherwise.
-- @tparam table ctx
-- @tparam table state
function M.run(ctx, state)
  local text, map = ctx.text, ctx.map
  local spans, mode = core.blocks(text, { mode = state.mode })
  ctx.block_mode = mode
  local blocks = {}
  local clean = ctx.opts.clean == false
  for k, span in ipairs(spans) do
    local i, j = span[1], span[2]
    local start, stop = map:span(i, j)
    local t = text:sub(i, j)
    if t:find("\n", 1, true) then t = t:gsub("\n", " ") end
    blocks[k] = { i = i, j = j, text = t, start = start, stop = stop, kind = "body",
                  rule = clean and "input:clean" or nil }
  end
  ctx.blocks = blocks
end

--- Splits the body blocks into `ctx.sentences` (`{i=, j=, block=k}`).
-- @tparam table ctx
-- @tparam table state
function M.sentences(ctx, state)
  local text, abbrevs = ctx.text, state.abbrevs
  -- in hard-wrapped paragraphs a line end is not a sentence end
  local sopts = ctx.block_mode == "paragraph" and state.wrapped or nil
  local out, n = {}, 0
  for k, b in ipairs(ctx.blocks) do
    if b.kind == "body" then
      for _, s in ipairs(core.sentences(text, b.i, b.j, abbrevs, sopts)) do
        n = n + 1
        out[n] = { i = s[1], j = s[2], block = k }
      end
    end
  end
  ctx.sentences = out
end

return M
