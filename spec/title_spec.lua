-- Specs of the title pick (lede.classify) and of the title's clean-up
-- (lede.meta): made-up pages above three paragraphs of prose.
local helper = require "fixtures.bp.helper"

-- The title found in a page: lines above the article, then its paragraphs.
local function title(before, opts)
  local lines = {}
  for _, l in ipairs(before) do lines[#lines + 1] = l end
  for _, p in ipairs(helper.prose) do lines[#lines + 1] = p end
  local ctx = helper.run(table.concat(lines, "\n") .. "\n", opts)
  return ctx.meta.title
end

local HEADLINE = "Committee Worries Over the Cost of a New Bridge"

describe("the title pick", function()
  it("prefers the headline whose words the lede repeats", function()
    assert.equal(HEADLINE, title({
      "Home", HEADLINE, "Share", "Print", "Email",
      "The Best Summer Holiday Memories of Our Readers",
    }))
  end)

  it("prefers a headline to the page's title line around it", function()
    assert.equal(HEADLINE, title({
      "Home", HEADLINE, "Share", "Print", HEADLINE .. " \226\128\147 The Courier",
    }))
  end)
end)
