#!/usr/bin/env bash
# Runs lede inside a headless Neovim on the bundled example (needs neovim and
# the Lua 5.1 headers: apt-get install neovim liblua5.1-0-dev).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nvim >/dev/null; then
  echo "nvim is not installed: skipping" >&2
  exit 0
fi
make -s LUA_VERSION=5.1
script=$(mktemp --suffix=.lua)
trap 'rm -f "$script"' EXIT
cat > "$script" <<'LUA'
local ok, err = pcall(function()
  local lede_buffer = dofile("examples/nvim/lede_buffer.lua")
  vim.cmd("edit examples/seed.txt")
  local doc, out, items = lede_buffer.clean_buffer()
  local first = vim.api.nvim_buf_get_lines(out, 0, 1, false)[1]
  assert(first:find("^Chinese Foreign Minister Wang Yi"), "body starts with the article: " .. tostring(first))
  assert(#items >= 5, "dropped blocks in the quickfix list")
  io.stdout:write(("nvim: %d body lines, %d dropped blocks, date %s\n"):format(
    #vim.api.nvim_buf_get_lines(out, 0, -1, false), #items, tostring(doc.meta.date)))
end)
if not ok then
  io.stderr:write("nvim example failed: ", tostring(err), "\n")
  vim.cmd("cquit 1")
end
vim.cmd("qa!")
LUA
nvim --headless -u NONE -i NONE -n -c "luafile $script"
