--- HTML: a standalone page with the article, its metadata, entities and quotes.
-- @module lede.formats.html

local ipairs, tostring = ipairs, tostring
local table_concat = table.concat

local ENTITIES = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

local function esc(s)
  return (tostring(s == nil and "" or s):gsub("[&<>\"']", ENTITIES))
end

return function(doc)
  local meta = doc.meta or {}
  local out = {}
  local function add(s) out[#out + 1] = s end
  add('<!DOCTYPE html>')
  add('<html lang="' .. esc(meta.language or "und") .. '"><head><meta charset="utf-8">')
  add('<title>' .. esc(meta.title or doc.source or "Article") .. '</title>')
  add('<style>body{max-width:42em;margin:2em auto;font:1.05em/1.5 Georgia,serif;padding:0 1em}'
    .. 'dl{font:.9em sans-serif}dt{font-weight:bold;float:left;width:7em}dd{margin-left:7.5em}'
    .. 'blockquote{border-left:3px solid #888;margin-left:0;padding-left:1em}'
    .. 'details{font:.85em sans-serif;color:#555}</style></head><body><article>')
  if meta.title then add('<h1>' .. esc(meta.title) .. '</h1>') end
  add('<dl>')
  if meta.date then add('<dt>Date</dt><dd><time datetime="' .. esc(meta.date) .. '">' .. esc(meta.date) .. '</time></dd>') end
  if meta.authors and #meta.authors > 0 then add('<dt>By</dt><dd>' .. esc(table_concat(meta.authors, ", ")) .. '</dd>') end
  if meta.publisher then add('<dt>Publisher</dt><dd>' .. esc(meta.publisher) .. '</dd>') end
  if meta.tags and #meta.tags > 0 then add('<dt>Tags</dt><dd>' .. esc(table_concat(meta.tags, ", ")) .. '</dd>') end
  add('</dl>')
  for _, b in ipairs(doc.blocks or {}) do
    if b.kind == "body" then add('<p>' .. esc(b.text) .. '</p>') end
  end
  add('</article>')
  if doc.quotes and #doc.quotes > 0 then
    add('<section><h2>Quotes</h2>')
    for _, q in ipairs(doc.quotes) do
      add('<blockquote><p>' .. esc(q.text) .. '</p><footer>— ' .. esc(q.speaker or q.speaker_text or "unattributed")
        .. ' <small>(' .. esc(q.kind) .. (q.cue and ', ' .. esc(q.cue) or '') .. ')</small></footer></blockquote>')
    end
    add('</section>')
  end
  if doc.entities and #doc.entities > 0 then
    add('<section><h2>Entities</h2><ul>')
    for _, e in ipairs(doc.entities) do
      local roles = (e.roles and #e.roles > 0) and (': ' .. esc(table_concat(e.roles, "; "))) or ''
      add('<li><b>' .. esc(e.name) .. '</b> <small>' .. esc(e.type) .. '</small>' .. roles .. '</li>')
    end
    add('</ul></section>')
  end
  add('<details><summary>Dropped blocks</summary><ul>')
  for _, b in ipairs(doc.blocks or {}) do
    if b.kind ~= "body" then
      add('<li><code>' .. esc(b.kind) .. ' ' .. esc(b.rule or "") .. '</code> ' .. esc(b.text) .. '</li>')
    end
  end
  add('</ul></details></body></html>')
  return table_concat(out, "\n") .. "\n"
end
