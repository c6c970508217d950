--- Text: the clean article body, paragraphs separated by a blank line.
-- @module lede.formats.text

return function(doc)
  local body = doc.body or ""
  if body == "" then return "" end
  return body .. "\n"
end
