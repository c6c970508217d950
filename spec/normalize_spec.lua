-- Specs of lede.normalize: core.normalize plus the glued-word repairs of the packs.
local normalize = require "lede.normalize"
local packs = require "lede.packs"
local core = require "lede.core"

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

describe("lede.normalize.probe_of", function()
  it("reads what a match must start with", function()
    local p = normalize.probe_of([=[\b(?:GMT|UTC)\K\d]=])
    assert.same({ "GMT", "UTC" }, { p.at[1][1], p.at[1][2] })
    assert.is_nil(p.before)
    assert.truthy(p.at[2].bytes:find("0", 1, true))
  end)

  it("reads a leading lookbehind as what stands before", function()
    local p = normalize.probe_of([=[(?<=\bon|\bat)[A-Z]{2,}\b]=])
    assert.same({ "on", "at" }, { p.before[1], p.before[2] })
    assert.equal(1, #p.at)
    p = normalize.probe_of([=[(?<=\p{Ll})(?:Share|Email)\b]=])
    assert.truthy(p.before.bytes:find("a", 1, true))
    assert.falsy(p.before.bytes:find("A", 1, true))
  end)

  it("spells out a small class after a literal", function()
    local p = normalize.probe_of([=[(?:1[89]|20)\d\d]=])
    assert.same({ "18", "19", "20" }, { p.at[1][1], p.at[1][2], p.at[1][3] })
  end)

  it("gives no probe where it cannot be sure", function()
    for _, pat in ipairs({ "a|b", "(?i)abc", [=[\1abc]=], "a?b", ".abc", "[^a]bc", [=[\Qa\E]=], "(*UCP)abc",
      [=[\x41]=], "(?<=a)?", "" }) do
      assert.is_nil(normalize.probe_of(pat), pat)
    end
    assert.is_nil(normalize.probe_of("abc", "i"))
  end)
end)

describe("lede.normalize repairs through probes", function()
  -- every pattern gives the positions a scan of the whole text gives
  local patterns = {
    [=[\b(?:GMT|UTC)\K\d]=], [=[(?<=\p{Ll})(?:Share|Comments?)\b]=], [=[(?<=[a-z])(?=[A-Z])]=],
    [=[foo\K]=], [=[(?<=x)]=], [=[\K(?:ab)+]=], [=[(?:ab|a)b\Kc]=], [=[(?<![\d])(?:1[89]|20)\d\d\K[A-Z][a-z]]=],
    [=[\((?:CNN|AP)\)\K\p{Lu}]=], [=[(?<=\bon|\bat|\bby)[A-Z]{2,}\b]=], [=[é\Kx]=], [=[(?:a|b|c)\K(?=b)]=],
    [=[\bBy\K[A-Z][a-z]]=], [=[(?<=\d)(?:Tweet|Share)\b]=], [=[a*b]=], [=[(?<=aa|b)a]=],
    [=[(?<=[a-z0-9])(?:[0-9]|)]=], [=[(?<=\p{Ll})]=], [=[(?<=’)]=],
  }
  local texts = {
    "", "x", "GMT2 UTC33 GMT UTCx", "shareShare standardsComments dataComment",
    "fooBar bazQux iPhone ABC aBcD", "foofoo foo", "xxx x", "abababc abc aabc",
    "(CNN)Some (AP)Él text 2019Hello 1899Ab", "onUSA atNATO byAB onlyUSA", "ééx éx",
    "abcb cbb", "ByJohn By John", "12Tweet 3Share", "aaab b ab", "aaa baa aab",
    "\255GMT1\0\n(AP)Ü", "a1 b22 c’d ’x x’ ß1",
  }
  for _, pat in ipairs(patterns) do
    it("finds what a scan finds: " .. pat, function()
      local pack = packs.load({ name = "t", repairs = { { name = "r", pattern = pat } } })
      local st = normalize.compile({ packs = { pack } })
      local re = core.regex(pat)
      for _, raw in ipairs(texts) do
        local text = core.normalize(raw)
        local want, seen = {}, {}
        for s in re:gfind(text) do
          local prev = text:sub(s - 1, s - 1)
          if s > 1 and not seen[s] and prev ~= " " and prev ~= "\n" then
            seen[s] = true
            want[#want + 1] = s
          end
        end
        table.sort(want)
        assert.same(want, normalize.repair_points(text, st), pat .. " on " .. raw)
      end
    end)
  end

  it("gives most default repairs a probe", function()
    local n, with = 0, 0
    for _, r in ipairs(packs.builtin("default").repairs) do
      n = n + 1
      if normalize.probe_of(r.pattern, r.flags) then with = with + 1 end
    end
    assert.is_true(with * 2 > n)
  end)
end)
