--- The command line: `lede extract FILE... | -`.
--
-- Every input is read whole and extracted on its own; a file that cannot be
-- read is reported on stderr, the others still run, and the exit status is 1.
--
-- @module lede.cli

local argparse = require "argparse"

local io_open, io_stdin, io_stdout, io_stderr = io.open, io.stdin, io.stdout, io.stderr
local ipairs, pcall, tostring = ipairs, pcall, tostring

local M = {}

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
  ex:flag("--pretty", "Indent JSON output.")
  ex:option("-o --output", "Write to this file instead of standard output.")
  return p
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
                                             sites = not args.no_sites })
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
  for _, path in ipairs(args.files) do
    local text, err = read_input(path)
    if not text then
      io_stderr:write("lede: ", tostring(err), "\n")
      status = 1
    else
      local done, result = pcall(function()
        local doc = extractor:extract(text, { source = path, clean = not args.no_clean, url = args.url })
        local render_opts = { pretty = args.pretty, header = first }
        return lede.report(doc, format, render_opts)
      end)
      if done then
        if format == "json" and not args.pretty and result:sub(-1) ~= "\n" then result = result .. "\n" end
        if format == "json" and args.pretty then result = result .. "\n" end
        if not first and (format == "text" or format == "markdown") then out:write("\n") end
        out:write(result)
        first = false
      else
        io_stderr:write("lede: ", path, ": ", tostring(result), "\n")
        status = 1
      end
    end
  end
  if out ~= io_stdout then out:close() end
  return status
end

return M
