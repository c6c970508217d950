-- Extract one scraped article and print what lede found.
--   lua5.4 examples/extract.lua [FILE]        (default: examples/seed.txt)
local lede = require "lede"

local path = arg[1] or "examples/seed.txt"
local f = assert(io.open(path, "rb"))
local input = f:read("*a")
f:close()

local doc = lede.extract(input, { source = path })

print("date:      " .. tostring(doc.meta.date) .. "  (from " .. tostring(doc.meta.date_text) .. ")")
print("publisher: " .. tostring(doc.meta.publisher))
print("language:  " .. tostring(doc.meta.language))
print("tags:      " .. table.concat(doc.meta.tags, ", "))
print()
for _, b in ipairs(doc.blocks) do
  if b.kind ~= "body" then
    -- every dropped block says which rule dropped it, and maps back to the input
    assert(b.start >= 1 and b.stop <= #input and b.start <= b.stop)
    print(("dropped %-10s %-28s %s"):format(b.kind, b.rule or "", b.text:sub(1, 50)))
  end
end
print()
for _, e in ipairs(doc.entities) do
  if e.type == "person" then
    print(("%-16s %s"):format(e.name, table.concat(e.roles, "; ")))
  end
end
print()
for _, q in ipairs(doc.quotes) do
  print(("%-8s %-14s %s..."):format(q.kind, tostring(q.speaker or q.speaker_text), q.text:sub(1, 50)))
end
