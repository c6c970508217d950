--- CSV (RFC 4180): one row per document, for spreadsheets and data frames.
--
-- Columns: source, date, title, authors, publisher, language, tags, url,
-- entities, quotes, body. Lists are joined with "; ". `opts.header` (default
-- true) writes the header row first: the CLI writes it once for a run.
--
-- @module lede.formats.csv

local ipairs, setmetatable, tostring = ipairs, setmetatable, tostring
local table_concat = table.concat

local COLUMNS = { "source", "date", "title", "authors", "publisher", "language", "tags", "url",
                  "entities", "quotes", "body" }

local function field(v)
  v = tostring(v == nil and "" or v)
  if v:find('[",\r\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  return v
end

local function list(t)
  return table_concat(t or {}, "; ")
end

local M = {}
M.columns = COLUMNS

--- The header row.
-- @treturn string
function M.header()
  return table_concat(COLUMNS, ",") .. "\r\n"
end

return setmetatable(M, { __call = function(_, doc, opts)
  local meta = doc.meta or {}
  local names = {}
  for i, e in ipairs(doc.entities or {}) do names[i] = e.name end
  local row = {
    doc.source, meta.date, meta.title, list(meta.authors), meta.publisher, meta.language,
    list(meta.tags), meta.url, list(names), #(doc.quotes or {}), doc.body,
  }
  local cells = {}
  for i = 1, #COLUMNS do cells[i] = field(row[i]) end
  local line = table_concat(cells, ",") .. "\r\n"
  if opts and opts.header == false then return line end
  return M.header() .. line
end })
