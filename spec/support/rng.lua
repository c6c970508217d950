--- A seeded pseudo-random sequence for the specs' generated inputs: the
-- same numbers on every run and under every Lua version.
-- @module support.rng

local M = {}

--- A function `rnd(n)` giving the next number of the sequence from `seed`,
-- in 1..n.
-- @tparam integer seed
-- @treturn function
function M.new(seed)
  return function(n)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n + 1
  end
end

return M
