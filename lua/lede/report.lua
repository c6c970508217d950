--- Rendering documents: built-in formats and the user's own.
--
-- A format is a function `(doc, opts) -> string`. The built-in ones live in
-- `lede.formats.<name>`; a user's format is a Lua file returning such a
-- function (or a table with a `render` function), loaded sandboxed.
--
-- @module lede.report

local loader = require "lede.loader"

local error, pcall, require, type, tostring = error, pcall, require, type, tostring

local M = {}

--- The names of the built-in formats.
M.builtin = { json = true, jsonl = true, text = true, markdown = true, csv = true, html = true }

local user_formats = {}

--- Loads a user format file.
-- @tparam string path a Lua file returning a function or `{ render = function }`
-- @treturn function the renderer
-- @raise "path:line: message" when the file is malformed
function M.load_format(path)
  local src, err = loader.read_file(path)
  if not src then error(tostring(err), 0) end
  local value = loader.eval(src, path)
  if type(value) == "table" and type(value.render) == "function" then value = value.render end
  if type(value) ~= "function" then
    error(path .. ": a format file must return a function or a table with a render function", 0)
  end
  return value
end

--- Finds the renderer for a format.
-- @tparam string|function format a name, a path to a `.lua` file, or a function
-- @tparam[opt] table formats extra formats by name (from `lede.new{formats=...}`)
-- @treturn function
-- @raise on an unknown format
function M.resolve(format, formats)
  if type(format) == "function" then return format end
  if type(format) ~= "string" then error("lede.report: format must be a string or function", 3) end
  if formats and formats[format] then
    local f = formats[format]
    if type(f) == "string" then f = M.load_format(f) end
    return f
  end
  if M.builtin[format] then return require("lede.formats." .. format) end
  if format:match("%.lua$") then
    local f = user_formats[format]
    if not f then
      f = M.load_format(format)
      user_formats[format] = f
    end
    return f
  end
  error("lede.report: unknown format '" .. format .. "' (json, jsonl, text, markdown, csv, html, or a .lua file)", 3)
end

--- Renders a document.
-- @tparam table doc
-- @tparam string|function format
-- @tparam[opt] table opts passed to the format
-- @tparam[opt] table formats extra formats by name
-- @treturn string
function M.render(doc, format, opts, formats)
  local f = M.resolve(format, formats)
  local ok, out = pcall(f, doc, opts or {})
  if not ok then error("lede.report: format '" .. tostring(format) .. "' failed: " .. tostring(out), 0) end
  if type(out) ~= "string" then
    error("lede.report: format '" .. tostring(format) .. "' returned " .. type(out) .. ", not a string", 0)
  end
  return out
end

return M
