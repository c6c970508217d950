-- Specs of lede.normalize: core.normalize plus the glued-word repairs of the packs.
local normalize = require "lede.normalize"
local packs = require "lede.packs"

local state = normalize.compile({ packs = packs.stack() })

local function run(input, opts)
  local ctx = { input = input, opts = opts or {} }
  normalize.run(ctx, state)
  return ctx
end

describe("lede.normalize.run", function()
  local cases = {
    { "19:20 GMT27 July 2021", "19:20 GMT 27 July 2021" },
    { "21:17 18.11.2019Get short URL", "21:17 18.11.2019 Get short URL" },
    { "Community standardsDiscussion", "Community standards Discussion" },
    { "Follow RT onRT", "Follow RT on RT" },
    { "(CNN Business)A new report says", "(CNN Business) A new report says" },
    { "TrackDo not track", "Track Do not track" },
    { "By Korin MillerPublished: Jan 29, 2025", "By Korin Miller Published: Jan 29, 2025" },
    { "ByJaime Marchwinski", "By Jaime Marchwinski" },
    { "Rhonda Krause UpdatedJanuary 5, 2024", "Rhonda Krause Updated January 5, 2024" },
    { "14:53 GMT +320 November 2019", "14:53 GMT +3 20 November 2019" },
    { "SubscribeSign In", "Subscribe Sign In" },
    { "October 17, 20236:01 PM ET", "October 17, 2023 6:01 PM ET" },
    { "by Jeffrey ZeldmanNovember 20, 2007", "by Jeffrey Zeldman November 20, 2007" },
    { "calendarApr 16, 2024", "calendar Apr 16, 2024" },
  }
  for _, c in ipairs(cases) do
    it("repairs " .. c[1], function()
      local ctx = run(c[1])
      assert.equal(c[2], ctx.text)
    end)
  end

  it("leaves ordinary mixed-case words alone", function()
    local s = "iPhone, YouTube, McDonald's, PlayStation, macOS, eBay and JavaScript in 2019 and F-35s. "
      .. "The Mayor of Junes 2 and a PhD at 10:30 in 2020."
    assert.equal(s, run(s).text)
  end)

  it("maps every position of the repaired text back to the input", function()
    local input = "x\194\160y GMT27 July 2021\nCommunity standardsDiscussion"
    local ctx = run(input)
    assert.equal("x y GMT 27 July 2021\nCommunity standards Discussion", ctx.text)
    local i = ctx.text:find("27", 1, true)
    local start, stop = ctx.map:span(i, i + 1)
    assert.equal("27", input:sub(start, stop))
    local a, b = ctx.text:find("Community standards Discussion", 1, true)
    start, stop = ctx.map:span(a, b)
    assert.equal("Community standardsDiscussion", input:sub(start, stop))
    assert.same({ (input:find("27", 1, true)), (input:find("Discussion", 1, true)) }, ctx.repairs)
  end)

  it("repairs at multi-byte positions", function()
    local input = "Ünïcödé — 19:20 GMT27 July 2021"
    local ctx = run(input)
    assert.equal("Ünïcödé — 19:20 GMT 27 July 2021", ctx.text)
  end)

  it("accepts empty input, NUL bytes and invalid UTF-8", function()
    assert.equal("", run("").text)
    local ctx = run("a\0b\255c GMT27 July")
    assert.equal("a b\239\191\189c GMT 27 July", ctx.text)
  end)

  it("runs a site pack's repairs only where the pack applies", function()
    local site = packs.load("spec/fixtures/bp/site.lua")
    local st = normalize.compile({ packs = { packs.builtin("default"), site } })
    local ctx = { input = "Out todayRead the paper", opts = {} }
    normalize.run(ctx, st)
    assert.equal("Out todayRead the paper", ctx.text)
    ctx = { input = "Out todayRead the paper", opts = { domain = "example.com" } }
    normalize.run(ctx, st)
    assert.equal("Out today Read the paper", ctx.text)
  end)
end)

describe("lede.normalize.repair_points", function()
  it("gives sorted positions in the normalised text", function()
    local s = "19:20 GMT27 July 2021, Community standardsDiscussion"
    assert.same({ (s:find("27", 1, true)), (s:find("Discussion", 1, true)) }, normalize.repair_points(s, state))
  end)

  it("returns nothing for clean text", function()
    assert.same({}, normalize.repair_points("Nothing glued here.", state))
  end)
end)
