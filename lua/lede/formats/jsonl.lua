--- JSON Lines: one document as one compact JSON object on one line.
-- @module lede.formats.jsonl

local json = require "lede.formats.json"

return function(doc)
  return json.encode(doc, "doc") .. "\n"
end
