-- lede inside Neovim: clean the scraped article in the current buffer into a
-- new scratch buffer, and list the dropped blocks in the quickfix window.
--
--   :lua dofile("examples/nvim/lede_buffer.lua").clean_buffer()
--
-- Neovim runs LuaJIT, so lede.core must be the Lua 5.1 ABI build:
-- `make LUA_VERSION=5.1` writes build/lua5.1/lede/core.so.
local root = vim.env.LEDE_ROOT or vim.fn.getcwd()
package.path = root .. "/lua/?.lua;" .. root .. "/lua/?/init.lua;" .. package.path
package.cpath = root .. "/build/lua5.1/?.so;" .. package.cpath

local lede = require "lede"

local M = {}

function M.clean_buffer(buf)
  buf = buf or vim.api.nvim_get_current_buf()
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local input = table.concat(lines, "\n")
  local doc = lede.extract(input, { source = vim.api.nvim_buf_get_name(buf) })

  local out = vim.api.nvim_create_buf(true, true)
  local body = {}
  for line in (doc.body .. "\n"):gmatch("(.-)\n") do body[#body + 1] = line end
  vim.api.nvim_buf_set_lines(out, 0, -1, false, body)

  -- dropped blocks as quickfix entries: byte offsets map back to buffer lines
  local items = {}
  for _, b in ipairs(doc.blocks) do
    if b.kind ~= "body" then
      local lnum = select(2, input:sub(1, b.start):gsub("\n", "")) + 1
      items[#items + 1] = { bufnr = buf, lnum = lnum, text = b.kind .. " (" .. (b.rule or "") .. "): " .. b.text }
    end
  end
  vim.fn.setqflist(items, "r")
  return doc, out, items
end

return M
