--- Sandboxed loading of user data files (rule packs, lists, formats).
--
-- A data file is Lua source returning a table. It runs in an empty environment
-- (no `io`, `os`, `require`, `load`), under an instruction budget so that a
-- runaway loop in a user's file raises instead of hanging the editor it runs
-- in. Every error names the file and line.
--
-- @module lede.loader

local debug_sethook = debug and debug.sethook
local debug_gethook = debug and debug.gethook
local error, load, pcall, tostring, type = error, load, pcall, tostring, type
local io_open = io.open
local pairs, ipairs = pairs, ipairs
local string_format = string.format
local loadstring = rawget(_G, "loadstring")
local setfenv = rawget(_G, "setfenv")

local M = {}

--- The instruction budget of one data file (VM instructions, in thousands).
M.budget = 50000

-- What a data file may use: pure functions on values, nothing that reaches out.
local function safe_env(extra)
  local env = {
    string = { byte = string.byte, char = string.char, find = string.find, format = string.format,
               gsub = string.gsub, len = string.len, lower = string.lower, match = string.match,
               gmatch = string.gmatch, rep = string.rep, sub = string.sub, upper = string.upper },
    table = { concat = table.concat, insert = table.insert, sort = table.sort,
              unpack = table.unpack or rawget(_G, "unpack") },
    math = { floor = math.floor, ceil = math.ceil, max = math.max, min = math.min, huge = math.huge },
    ipairs = ipairs, pairs = pairs, tostring = tostring, tonumber = tonumber, type = type,
    select = select, next = next,
  }
  if extra then
    for k, v in pairs(extra) do env[k] = v end
  end
  return env
end

--- Reads a whole file.
-- @tparam string path
-- @treturn string|nil the contents
-- @treturn string|nil an error message
function M.read_file(path)
  local f, err = io_open(path, "rb")
  if not f then return nil, err end
  local s = f:read("*a")
  f:close()
  return s
end

--- The 1-based line number of the first occurrence of `needle` in `src`.
-- Used to point an error at the line of a rule or key in a data file.
-- @tparam string src the file's source
-- @tparam string needle plain text to look for (a key, a pattern, a name)
-- @treturn integer|nil the line, or nil when not found
function M.where(src, needle)
  if type(src) ~= "string" or type(needle) ~= "string" or needle == "" then return nil end
  local at = src:find(needle, 1, true)
  if not at then return nil end
  local line = 1
  for _ in src:sub(1, at - 1):gmatch("\n") do line = line + 1 end
  return line
end

--- Runs Lua source text sandboxed and returns what it returns.
-- @tparam string src the source
-- @tparam string name the chunk's name for messages (a path, usually)
-- @tparam[opt] table extra additional names visible to the chunk
-- @return what the chunk returned
-- @raise "name:line: message" on a syntax error, a runtime error or an
--   exhausted budget
function M.eval(src, name, extra)
  if type(src) ~= "string" then error("lede.loader: source of " .. tostring(name) .. " is not a string", 2) end
  if src:sub(1, 4) == "\27Lua" then error(name .. ": binary chunks are not accepted", 0) end
  local env = safe_env(extra)
  local chunk, err
  if setfenv then
    chunk, err = loadstring(src, "=" .. name)
    if chunk then setfenv(chunk, env) end
  else
    chunk, err = load(src, "=" .. name, "t", env)
  end
  if not chunk then error(err, 0) end
  local hook, mask, count
  if debug_sethook then
    hook, mask, count = debug_gethook()
    debug_sethook(function()
      local info = debug.getinfo(2, "Sl")
      local line = info and info.currentline or 0
      error(string_format("%s:%d: data file runs too long (more than %d thousand instructions)",
        name, line, M.budget), 0)
    end, "", M.budget * 1000)
  end
  local ok, result = pcall(chunk)
  if debug_sethook then
    if hook then debug_sethook(hook, mask, count) else debug_sethook() end
  end
  if not ok then error(tostring(result), 0) end
  return result
end

--- Loads Lua source text returning a table, sandboxed.
-- @tparam string src the source
-- @tparam string name the chunk's name for messages (a path, usually)
-- @tparam[opt] table extra additional names visible to the chunk
-- @treturn table what the chunk returned
-- @raise "name:line: message" as `eval` does, or when the chunk does not
--   return a table
function M.load_string(src, name, extra)
  local result = M.eval(src, name, extra)
  if type(result) ~= "table" then
    error(string_format("%s: must return a table, got %s", name, type(result)), 0)
  end
  return result
end

--- Loads a data file from disk, sandboxed.
-- @tparam string path
-- @tparam[opt] table extra additional names visible to the chunk
-- @treturn table what the file returned
-- @treturn string the file's source (for locating lines with `where`)
-- @raise "path: message" when unreadable, "path:line: message" otherwise
function M.load_file(path, extra)
  local src, err = M.read_file(path)
  if not src then error(tostring(err), 0) end
  return M.load_string(src, path, extra), src
end

--- Raises an error pointing at the line of `needle` in a data file.
-- @tparam string name the file's name
-- @tparam string|nil src its source
-- @tparam string|nil needle the text to locate
-- @tparam string msg the message
-- @raise always
function M.fail(name, src, needle, msg)
  local line = M.where(src, needle)
  if line then error(string_format("%s:%d: %s", name, line, msg), 0) end
  error(string_format("%s: %s", name, msg), 0)
end

--- Checks an options table against the keys a function accepts.
-- @tparam table|nil opts the options given
-- @tparam table known set of accepted keys
-- @tparam string what who is checking (for the message)
-- @treturn table opts, or an empty table
-- @raise "what: unknown option 'key'"
function M.check_opts(opts, known, what)
  if opts == nil then return {} end
  if type(opts) ~= "table" then error(what .. ": options must be a table, got " .. type(opts), 3) end
  for k in pairs(opts) do
    if not known[k] then error(string_format("%s: unknown option '%s'", what, tostring(k)), 3) end
  end
  return opts
end

return M
