-- A report format of your own: a function (doc, opts) -> string.
-- Here: one line per quote, tab-separated, for a spreadsheet of who said what.
local lede = require "lede"

local function quotes_tsv(doc)
  local out = { "speaker\tkind\tcue\tquote" }
  for _, q in ipairs(doc.quotes) do
    out[#out + 1] = table.concat({ q.speaker or q.speaker_text or "", q.kind, q.cue or "",
                                   q.text }, "\t")
  end
  return table.concat(out, "\n") .. "\n"
end

local f = assert(io.open("examples/seed.txt", "rb"))
local doc = lede.extract(f:read("*a"), { source = "examples/seed.txt" })
f:close()
io.write(lede.report(doc, quotes_tsv))

-- The same format as a file, usable from the command line:
--   bin/lede extract examples/seed.txt --format examples/formats/quotes_tsv.lua
io.write(lede.report(doc, "examples/formats/quotes_tsv.lua"))
