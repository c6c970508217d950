--- The command line: `lede extract FILE... | -`.
--
-- Every input is read whole and extracted on its own (a few at a time, with
-- `extract_many`); a file that cannot be read or extracted is reported on
-- stderr, the others still run, and the exit status is 1.
--
-- @module lede.cli

local argparse = require "argparse"

local io_open, io_stdin, io_stdout, io_stderr = io.open, io.stdin, io.stdout, io.stderr
local ipairs, pcall, tostring, type = ipairs, pcall, tostring, type
local coroutine = coroutine

local M = {}

-- Documents read before they are extracted together (and the most bytes
-- of text held so).
local BATCH, BATCH_BYTES = 32, 4194304

local function parser()
  local p = argparse("lede", "Clean, structured documents from scraped news articles.")
    :add_help_command()
  p:command_target("command")
  p:flag("--version", "Print the version and exit."):action(function()
    io_stdout:write("lede ", require("lede").version, "\n")
    os.exit(0)
  end)
  local ex = p:command("extract", "Extract documents from text files (- for standard input).")
  ex:argument("files", "Input files, or - for standard input."):args("+")
  ex:option("-f --format", "Output format: json, jsonl, text, markdown, csv, html, or a .lua format file.", "json")
  ex:option("-r --rules", "A rule pack file to stack on the built-in ones (repeatable)."):count("*")
  ex:option("-l --lists", "An entity list file, .lua or .tsv (repeatable)."):count("*")
  ex:option("--url", "The URL the page came from (selects site rule packs).")
  ex:flag("--no-clean", "The input is already clean article text: keep all of it.")
  ex:flag("--no-sites", "Do not apply the built-in site rule packs.")
  ex:flag("--no-entities", "Leave out the entities stage (the entities array stays empty).")
  ex:flag("--no-quotes", "Leave out the quotes stage (the quotes array stays empty).")
  ex:flag("--pretty", "Indent JSON output.")
  ex:option("-o --output", "Write to this file instead of standard output.")
  ex:option("--input", "Input format: text (each file is one document) or jsonl (each line is "
    .. "a JSON object with \"text\" and optional \"id\"/\"source\" and \"url\"; read as a stream).", "text")
    :choices({ "text", "jsonl" })
  return p
end

-- Yields { text, source, url } or { err = message } for each JSON line of a
-- file, streaming.
local function jsonl_documents(path)
  local cjson = require "cjson"
  local f, err
  if path == "-" then f = io_stdin else f, err = io_open(path, "rb") end
  return coroutine.wrap(function()
    if not f then
      coroutine.yield({ err = tostring(err) })
      return
    end
    local n = 0
    for line in f:lines() do
      n = n + 1
      if line:find("%S") then
        local ok, obj = pcall(cjson.decode, line)
        if not ok or type(obj) ~= "table" or type(obj.text) ~= "string" then
          coroutine.yield({ err = ("%s:%d: %s"):format(path, n,
            ok and 'expected a JSON object with a "text" string' or "invalid JSON: " .. tostring(obj)) })
        else
          local id = obj.id or obj.source
          local source = type(id) == "string" and id or type(id) == "number" and tostring(id)
            or ("%s:%d"):format(path, n)
          coroutine.yield({ text = obj.text, source = source, url = type(obj.url) == "string" and obj.url or nil })
        end
      end
    end
    if f ~= io_stdin then f:close() end
  end)
end

local function read_input(path)
  if path == "-" then return io_stdin:read("*a") end
  local f, err = io_open(path, "rb")
  if not f then return nil, err end
  local s, rerr = f:read("*a")
  f:close()
  if not s then return nil, path .. ": " .. tostring(rerr) end
  return s
end

--- Runs the command line.
-- @tparam {string,...} argv the arguments (without the program name)
-- @treturn integer the exit status
function M.main(argv)
  local p = parser()
  local ok, args = p:pparse(argv)
  if not ok then
    io_stderr:write(p:get_usage(), "\n\nlede: ", tostring(args), "\n")
    return 2
  end
  if args.command ~= "extract" then
    io_stderr:write(p:get_help())
    return 2
  end
  local lede = require "lede"
  local built, extractor = pcall(lede.new, { rules = args.rules, lists = args.lists,
                                             sites = not args.no_sites,
                                             entities = not args.no_entities,
                                             quotes = not args.no_quotes })
  if not built then
    io_stderr:write("lede: ", tostring(extractor), "\n")
    return 2
  end
  local out = io_stdout
  if args.output then
    local f, err = io_open(args.output, "wb")
    if not f then
      io_stderr:write("lede: ", tostring(err), "\n")
      return 2
    end
    out = f
  end
  local format = args.format
  local status = 0
  local first = true
  local function documents(path)
    if args.input == "jsonl" then return jsonl_documents(path) end
    local done = false
    return function()
      if done then return nil end
      done = true
      local text, err = read_input(path)
      return { text = text, source = path, url = args.url, err = err }
    end
  end
  local function write(doc, source)
    local done, result = pcall(lede.report, doc, format, { pretty = args.pretty, header = first })
    if done then
      if format == "json" and not args.pretty and result:sub(-1) ~= "\n" then result = result .. "\n" end
      if format == "json" and args.pretty then result = result .. "\n" end
      if not first and (format == "text" or format == "markdown") then out:write("\n") end
      out:write(result)
      first = false
    else
      io_stderr:write("lede: ", source, ": ", tostring(result), "\n")
      status = 1
    end
  end
  -- documents are extracted in batches (`extract_many`), written in order
  local batch, sources, nbytes = {}, {}, 0
  local function flush()
    if #batch == 0 then return end
    local docs, failed = extractor:extract_many(batch, { clean = not args.no_clean })
    for k = 1, #batch do
      if docs[k] then
        write(docs[k], sources[k])
      else
        io_stderr:write("lede: ", sources[k], ": ", tostring(failed[k]), "\n")
        status = 1
      end
      batch[k], sources[k] = nil, nil
    end
    nbytes = 0
  end
  local function each(d)
    if not d.text then
      flush()
      io_stderr:write("lede: ", tostring(d.err), "\n")
      status = 1
      return
    end
    batch[#batch + 1] = { text = d.text, source = d.source, url = d.url }
    sources[#sources + 1] = d.source
    nbytes = nbytes + #d.text
    if #batch >= BATCH or nbytes >= BATCH_BYTES then flush() end
  end
  for _, path in ipairs(args.files) do
    for d in documents(path) do each(d) end
  end
  flush()
  if out ~= io_stdout then out:close() end
  return status
end

return M
