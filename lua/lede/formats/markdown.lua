--- Markdown: the article with its metadata, people and quotes, for reading.
-- @module lede.formats.markdown

local ipairs, tostring = ipairs, tostring
local table_concat = table.concat

-- Escapes what Markdown would read as markup at the start of a line or inline.
local function esc(s)
  s = tostring(s or ""):gsub("([\\`*_%[%]<>|])", "\\%1")
  return (s:gsub("^([#+%-]) ", "\\%1 "):gsub("^(%d+)%. ", "%1\\. "))
end

return function(doc)
  local meta = doc.meta or {}
  local out = {}
  local function add(s) out[#out + 1] = s end
  add("# " .. esc(meta.title or doc.source or "Untitled"))
  add("")
  local facts = {}
  if meta.date then facts[#facts + 1] = "- **Date:** " .. esc(meta.date) end
  if meta.authors and #meta.authors > 0 then
    local a = {}
    for i, name in ipairs(meta.authors) do a[i] = esc(name) end
    facts[#facts + 1] = "- **By:** " .. table_concat(a, ", ")
  end
  if meta.publisher then facts[#facts + 1] = "- **Publisher:** " .. esc(meta.publisher) end
  if meta.language then facts[#facts + 1] = "- **Language:** " .. esc(meta.language) end
  if meta.url then facts[#facts + 1] = "- **URL:** <" .. tostring(meta.url) .. ">" end
  if meta.tags and #meta.tags > 0 then
    local t = {}
    for i, tag in ipairs(meta.tags) do t[i] = esc(tag) end
    facts[#facts + 1] = "- **Tags:** " .. table_concat(t, ", ")
  end
  if #facts > 0 then
    add(table_concat(facts, "\n"))
    add("")
  end
  for _, b in ipairs(doc.blocks or {}) do
    if b.kind == "body" then
      add(esc(b.text))
      add("")
    end
  end
  local people = {}
  for _, e in ipairs(doc.entities or {}) do
    local line = "- **" .. esc(e.name) .. "** (" .. esc(e.type) .. ")"
    if e.roles and #e.roles > 0 then
      local r = {}
      for i, role in ipairs(e.roles) do r[i] = esc(role) end
      line = line .. ": " .. table_concat(r, "; ")
    end
    people[#people + 1] = line .. ", " .. #(e.mentions or {}) .. " mention(s)"
  end
  if #people > 0 then
    add("## Entities")
    add("")
    add(table_concat(people, "\n"))
    add("")
  end
  if doc.quotes and #doc.quotes > 0 then
    add("## Quotes")
    add("")
    for _, q in ipairs(doc.quotes) do
      local who = q.speaker or q.speaker_text or "unattributed"
      add("> " .. esc(q.text))
      add(">")
      add("> — " .. esc(who) .. " (" .. esc(q.kind) .. (q.cue and ", " .. esc(q.cue) or "") .. ")")
      add("")
    end
  end
  if meta.related and #meta.related > 0 then
    add("## Related")
    add("")
    for _, r in ipairs(meta.related) do add("- " .. esc(r)) end
    add("")
  end
  return table_concat(out, "\n")
end
