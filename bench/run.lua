--- `make bench`: every benchmark of lede, one after the other.
--
--   lua5.4 bench/run.lua [--corpus ../shared/corpus] [--quick]
--
-- Each figure is the median of several runs on one core; this machine is
-- shared, so compare figures printed in the same run rather than across runs.

package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = "build/lua5.4/?.so;" .. package.cpath

local corpus, quick = "../shared/corpus", false
local i = 1
while arg[i] do
  if arg[i] == "--corpus" then corpus = arg[i + 1]; i = i + 2
  elseif arg[i] == "--quick" then quick = true; i = i + 1
  else i = i + 1 end
end

local function section(title)
  io.write("\n== ", title, " ==\n")
  io.flush()
end

local function run_script(script, args)
  local cmd = ("lua5.4 %s %s"):format(script, args)
  local ok = os.execute(cmd)
  if not ok then io.write("(", script, " failed)\n") end
end

section("normalise and segment")
run_script("bench/text.lua", "--corpus " .. corpus .. (quick and " --reps 1 --size 2" or ""))
section("gazetteer")
run_script("bench/gazetteer.lua", quick and "--mb 2 --runs 1 --no-python" or "")
section("whole extract")
require("extract").run(corpus, quick and 1 or 5)
section("body and metadata only (lede.new{ entities = false, quotes = false })")
require("extract").run(corpus, quick and 1 or 5, { entities = false, quotes = false })
