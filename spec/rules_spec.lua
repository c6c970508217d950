-- Specs of the default rule pack's patterns: what some of them match, and
-- that none takes more than linear time on menu-like text.
local core = require "lede.core"
local lede = require "lede"

local pack = require "lede.rules.default"

-- The pattern rule `name` of the default pack, compiled.
local function rule(name)
  for _, r in ipairs(pack.blocks) do
    if r.name == name then return core.regex(r.pattern, r.flags or "") end
  end
  error("no rule " .. name)
end

local PROSE = ("The minister said on Tuesday that the plan would go ahead as "
  .. "expected by most observers of the talks. "):rep(4)

describe("the menu-shape rule", function()
  local re = rule("menu-shape")

  it("matches a menu of four or more items", function()
    assert.equal(1, (re:find("Home | News | Sport | Weather")))
    assert.equal(1, (re:find("World / Europe / Politics / Business\n")))
  end)

  it("does not match a line with a sentence stop", function()
    assert.is_nil(re:find("Home | News | Sport | Weather."))
    assert.is_nil(re:find("Home. | News | Sport | Weather"))
  end)

  it("turns down a long menu ending in a stop at once", function()
    assert.is_nil(re:find(("a | "):rep(30) .. "b."))
    assert.is_nil(re:find(("News | "):rep(5000) .. "end."))
  end)

  it("turns down a long menu with a long item in linear time", function()
    -- a last item, or one between, over 40 characters: no menu, and no
    -- match limit reached on the way
    assert.is_nil(re:find(("a | "):rep(25) .. ("b"):rep(50)))
    assert.is_nil(re:find(("a | "):rep(25) .. ("b"):rep(50) .. (" | a"):rep(25)))
    assert.is_nil(re:find(("News | "):rep(5000) .. ("b"):rep(41)))
    assert.equal(1, (re:find(("News | "):rep(5000) .. "Sport")))
  end)

  it("reads items that hold a separator character", function()
    assert.equal(1, (re:find("News | Sport/Tennis | A|B | Weather")))
    assert.equal(1, (re:find("| News | Sport | Weather | TV |")))
  end)

  it("lets a page with such a menu through the extract", function()
    local ex = lede.new()
    local doc = ex:extract(PROSE .. "\n\n" .. ("a | "):rep(30) .. "b.\n\n" .. PROSE)
    assert.is_table(doc)
  end)
end)

describe("the published rule", function()
  local re = rule("published")

  it("matches datelines", function()
    for _, s in ipairs({ "Published: 28 November 2026", "Updated 3 hours ago",
                         "Nov 18", "Mon, Nov 7, 2026 10:05 AM", "2026-11-28",
                         "— 12 Jan 2020", "5 min ago" }) do
      assert.equal(1, (re:find(s)), s)
    end
  end)

  it("does not match prose", function()
    for _, s in ipairs({ "The minister said on Tuesday", "He published it",
                         "Is it 2026-11-28?", "" }) do
      assert.is_nil(re:find(s), s)
    end
  end)
end)

describe("the inline-link rule", function()
  local re = rule("inline-link")

  it("matches a related link and a headline in capitals", function()
    assert.equal(1, (re:find("Related: The plan goes ahead")))
    assert.equal(1, (re:find("MINISTER SAYS THE PLAN WILL GO AHEAD AS EXPECTED")))
  end)

  it("does not match prose, a short heading or a question heading", function()
    assert.is_nil(re:find("The minister says the plan will go ahead as expected"))
    assert.is_nil(re:find("THE PLAN"))
    assert.is_nil(re:find("HOW THE MINISTER SAYS THE PLAN WILL GO AHEAD"))
    assert.is_nil(re:find("MINISTER SAYS THE PLAN WILL GO AHEAD. REALLY"))
  end)
end)

describe("phrases and prefixes", function()
  it("match a block's key, whatever punctuation ends its first word", function()
    local doc = lede.new():extract(table.concat({ "Search: [ ]", PROSE, "Share on: Facebook",
      "• Sections •", "Search the site" }, "\n"))
    local rules = {}
    for _, b in ipairs(doc.blocks) do rules[b.text] = b.rule end
    assert.equal("default:skip-links", rules["Search: [ ]"])
    assert.equal("default:share-prefix", rules["Share on: Facebook"])
    assert.equal("default:skip-links", rules["• Sections •"])
    assert.is_not.equal("default:skip-links", rules["Search the site"])
  end)
end)
