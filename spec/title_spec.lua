-- Specs of the title pick (lede.classify) and of the title's clean-up
-- (lede.meta): made-up pages above three paragraphs of prose.
local helper = require "fixtures.bp.helper"

-- The title found in a page: lines above the article, then its paragraphs
-- (or the page's lines, paragraph n written as the number n).
local function title(before, opts)
  local lines = {}
  for _, l in ipairs(before) do lines[#lines + 1] = helper.prose[l] or l end
  if type(before[#before]) ~= "number" then
    for _, p in ipairs(helper.prose) do lines[#lines + 1] = p end
  end
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

  it("takes no heading that a table of contents above lists", function()
    assert.equal(HEADLINE, title({
      "Home", HEADLINE, "Contents", "\226\128\162 What the Committee Said", "\226\128\162 What Comes Next",
      "What the Committee Said", 1, 2, "What Comes Next", 3,
    }))
  end)

  it("takes the last item of a breadcrumb right below it, however short", function()
    assert.equal("Bridges", title({
      "Home", "Home \194\187 City Hall \194\187 Bridges", "Bridges", "Plans, Costs and the Vote Ahead",
    }))
  end)

  it("reads a breadcrumb written as a numbered list", function()
    assert.equal("Bridges", title({ "Search", "1. Home", "2. Guides", "3. Bridges", "Bridges",
      "Plans, Costs and the Vote Ahead" }))
    assert.equal("Dutch Bridge Tours", title({ "Search", "1. Home", "2. Guides", "3. Dutch Bridge Tours",
      "Skip the Course Introduction and Topic Navigation", "Dutch Bridge Tours" }))
  end)

  it("takes no author's name beside the byline that names them", function()
    assert.equal("Five Lessons From a Long Winter", title({ "Home", "Five Lessons From a Long Winter", "Share",
      "Print", "Email", "Team Tiger Data", "By Team Tiger Data", "March 3, 2024" }))
  end)

  it("takes no site name that the page says again after the article", function()
    assert.equal("Five Lessons From a Long Winter", title({ "Skip to content", "The Acme Weekly",
      "March 3, 2024", "18 min read", "Five Lessons From a Long Winter", "By Jane Doe", 1, 2, 3,
      "Subscribe to The Acme Weekly for more stories like this one.",
      "The Acme Weekly is part of the Acme Media Group. All rights reserved." }))
  end)

  it("reads a headline far above the article when a byline follows it", function()
    local top = { "Home", "Five Lessons From a Long Winter", "By Jane Doe" }
    for n = 1, 70 do top[#top + 1] = "\226\128\162 Section " .. n end
    top[#top + 1] = "Share"
    assert.equal("Five Lessons From a Long Winter", title(top))
    -- (a notice has sentences)
    top[2] = "We may earn a commission from links. Learn more about it"
    assert.is_nil(title(top))
  end)

  it("reads a short breadcrumb written as a numbered list", function()
    assert.equal("Five Lessons From a Long Winter", title({ "1. Electronics", "2. Audio",
      "Five Lessons From a Long Winter", "Share", "Print", "Email", "The Committee and the Bridge" }))
  end)

  it("takes no picture of the author named by the byline", function()
    assert.equal("Five Lessons From a Long Winter", title({ "Home", "Five Lessons From a Long Winter", "Share",
      "Print", "Email", "Portrait of Tim Baker", "Written by Tim Baker", "March 3, 2024" }))
  end)

  it("makes no title of a weak line because the lede says one of its words", function()
    assert.is_nil(title({ "Facebook Twitter LinkedIn", "Search form", "[ ]", "Menu", "TRENDING:",
      "\226\128\162 Politics", "\226\128\162 Sports", "\226\128\162 Weather",
      "The tagline drew a mix of criticism and ridicule across Twitter on Monday, but the governor said that "
        .. "the campaign was working and that the state would keep paying for it.", 1, 2, 3 }))
  end)
end)
