-- Specs of lede.packs: loading, validation, stacking, site selection, compilation.
local packs = require "lede.packs"
local helper = require "fixtures.bp.helper"

local FIX = "spec/fixtures/bp/"

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok)
  return tostring(err)
end

-- The error of packs.load on a pack file holding `src`.
local function load_error(src)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(src)
  f:close()
  local err = errmsg(packs.load, path)
  os.remove(path)
  return err
end

describe("lede.packs.stack", function()
  it("puts the default pack first, then the built-in site packs", function()
    local stack = packs.stack()
    assert.equal("default", stack[1].name)
    local names = {}
    for _, p in ipairs(stack) do names[p.name] = true end
    assert.is_true(names.sputnik)
  end)

  it("leaves the site packs out with sites = false", function()
    local stack = packs.stack(nil, { sites = false })
    assert.equal(1, #stack)
  end)

  it("adds the user's packs last, from files or tables", function()
    local stack = packs.stack({ FIX .. "site.lua", { name = "mine", blocks = {
      { kind = "footer", phrases = { "The end" } } } } })
    assert.equal("example", stack[#stack - 1].name)
    assert.equal("mine", stack[#stack].name)
  end)
end)

describe("lede.packs.load", function()
  it("loads a valid pack file and names its rules", function()
    local p = packs.load(FIX .. "site.lua")
    assert.equal("example", p.name)
    assert.equal("example:widget#1", p.blocks[1]._id)
    assert.equal("example:house-note", p.blocks[2]._id)
  end)

  it("names file and line of a syntax error", function()
    assert.matches("syntax_error%.lua:5:", errmsg(packs.load, FIX .. "syntax_error.lua"))
  end)

  it("names file, line and rule of an unknown key", function()
    local err = errmsg(packs.load, FIX .. "unknown_key.lua")
    assert.matches("unknown_key%.lua:5:", err)
    assert.matches("typo:legal", err, 1, true)
    assert.matches("unknown key 'flagz'", err, 1, true)
  end)

  it("names the line of an unknown top-level key", function()
    local err = load_error('return {\n  name = "x",\n  blokcs = {},\n}\n')
    assert.matches(":3: pack x: unknown key 'blokcs'", err, 1, true)
  end)

  it("takes the title pick's weights, naming the line of an unknown one", function()
    local p = packs.load({ name = "w", title_weights = { byline = -3, slug = 1.5 } })
    assert.equal(-3, p.title_weights.byline)
    local err = load_error('return {\n  name = "x",\n  title_weights = {\n    byline = -3,\n    colour = 1,\n  },\n}\n')
    assert.matches(":5: pack x: unknown key 'colour' in title_weights", err, 1, true)
    assert.matches("title_weights: 'slug' must be a finite number",
      errmsg(packs.load, { name = "t", title_weights = { slug = "3" } }), 1, true)
    assert.matches("title_weights: 'slug' must be a finite number",
      errmsg(packs.load, { name = "t", title_weights = { slug = 0 / 0 } }), 1, true)
  end)

  it("stacks the title pick's weights over lede.classify's", function()
    local w = packs.title_weights({ { name = "a", title_weights = { byline = -3, slug = 1 } },
      { name = "b", title_weights = { slug = 2 } } })
    assert.same({ -3, 2 }, { w.byline, w.slug })
    assert.equal(require("lede.classify").TITLE_WEIGHTS.base, w.base)
    -- (the picker reads them: every line below its least score, no title)
    local lines = { "Home", "City Weighs the Cost of a New Bridge", "By Jane Doe" }
    for _, p in ipairs(helper.prose) do lines[#lines + 1] = p end
    local text = table.concat(lines, "\n") .. "\n"
    local lede = require "lede"
    assert.equal("City Weighs the Cost of a New Bridge", lede.new():extract(text).meta.title)
    assert.is_nil(lede.new({ rules = { { name = "low", title_weights = { base = -20 } } } }):extract(text).meta.title)
  end)

  it("rejects an unknown kind, naming the rule", function()
    local err = errmsg(packs.load, { name = "k", blocks = { { kind = "sidebar", phrases = { "x" } } } })
    assert.matches("unknown kind 'sidebar'", err, 1, true)
    assert.matches("k:sidebar#1", err, 1, true)
  end)

  it("rejects a rule without phrases, prefixes or pattern", function()
    assert.matches("needs phrases, prefixes or pattern",
      errmsg(packs.load, { name = "e", blocks = { { kind = "widget" } } }))
  end)

  it("rejects bad value types and unknown thresholds", function()
    assert.matches("'max_words' must be a number",
      errmsg(packs.load, { name = "t", blocks = { { kind = "widget", phrases = { "x" }, max_words = "3" } } }))
    assert.matches("unknown key 'lenght_low' in thresholds",
      errmsg(packs.load, { name = "t", thresholds = { lenght_low = 3 } }))
  end)

  it("rejects a non-table pack and a bad name", function()
    assert.matches("must be a path or a table", errmsg(packs.load, 42))
    assert.matches("'name' must be a word", errmsg(packs.load, { name = "a b" }))
  end)
end)

describe("lede.packs.compile", function()
  it("names rule, file and line of a bad pattern", function()
    local p = packs.load(FIX .. "bad_pattern.lua")
    local err = errmsg(packs.compile, p)
    assert.matches("bad_pattern%.lua:5:", err)
    assert.matches("badpat:credit", err, 1, true)
    assert.matches("missing closing parenthesis", err, 1, true)
  end)

  it("compiles each pattern once", function()
    local p = packs.compile(packs.load(FIX .. "site.lua"))
    local re = p.blocks[2]._re
    assert.equal(re, packs.compile(p).blocks[2]._re)
  end)
end)

describe("lede.packs.applies", function()
  local site = packs.load(FIX .. "site.lua")

  it("applies a pack without match section always", function()
    assert.equal("always", packs.applies(packs.builtin("default"), "", nil))
  end)

  it("applies a site pack to its domain and subdomains", function()
    assert.equal("domain", packs.applies(site, "", "example.com"))
    assert.equal("domain", packs.applies(site, "", "news.example.com"))
    assert.is_false(packs.applies(site, "", "badexample.com"))
  end)

  it("applies a site pack when all strings of a signature occur", function()
    assert.equal("signature", packs.applies(site, "Example Daily ... Read the paper", nil))
    assert.is_false(packs.applies(site, "Example Daily only", nil))
  end)

  it("knows the seed's site from its text", function()
    local text = helper.read("../shared/examples/000_6fea872e61a50aa0.txt")
    assert.equal("signature", packs.applies(packs.builtin("sites.sputnik"), text, nil))
  end)
end)

describe("lede.packs.applying", function()
  local site = packs.load(FIX .. "site.lua")
  local stack = packs.stack()
  stack[#stack + 1] = site

  it("says of every pack of a list what applies says", function()
    local texts = { "", "Example Daily ... Read the paper", "Example Daily only",
      helper.read("../shared/examples/000_6fea872e61a50aa0.txt"), "Follow RT on X and RT" }
    for _, text in ipairs(texts) do
      for _, domain in ipairs({ false, "example.com", "news.example.com", "rt.com" }) do
        local got = packs.applying(stack, text, domain or nil)
        for n, p in ipairs(stack) do
          assert.equal(packs.applies(p, text, domain or nil), got[n])
        end
      end
    end
  end)

  it("keeps what it found in the table a caller passes, and reads it again", function()
    local text = helper.read("../shared/examples/000_6fea872e61a50aa0.txt")
    local found = {}
    local first = packs.applying(stack, text, nil, found)
    assert.is_true(found["Get short URL"])
    assert.same(first, packs.applying(stack, text, nil, found))
    -- (what the table says of a string is taken as it is: it is the
    -- caller's memo of one text)
    local other = {}
    for k, v in pairs(found) do other[k] = v end
    local got = packs.applying(stack, "", nil, other)
    assert.same(first, got)
  end)
end)

describe("core.contains", function()
  local core = require "lede.core"
  it("tells which strings occur in a text, as a plain find does", function()
    assert.same({ true, false, true, true, false }, core.contains("The Hill \0 x\255",
      { "Hill", "hill", "", "\0 x\255", "The Hill \0 x\255!" }))
    assert.same({}, core.contains("abc", {}))
    assert.is_true(core.contains("The Hill", "Hill"))
    assert.is_false(core.contains("The Hill", "hill"))
    assert.is_true(core.contains("", ""))
    assert.same({ false }, core.contains("", { "a" }))
    assert.has_error(function() core.contains("abc", { 1 }) end, "contains: strings[1] is not a string")
  end)
end)

describe("lede.packs.thresholds", function()
  it("lets later packs override earlier thresholds", function()
    local t = packs.thresholds({ packs.builtin("default"), packs.load(FIX .. "site.lua") })
    assert.equal(60, t.length_low)
    assert.equal(200, t.length_high)
  end)
end)

describe("lede.packs.needles", function()
  it("gives literals one of which every match contains", function()
    assert.same({ " expressed" }, packs.needles([[\b(?:views|opinions)(?: and (?:views|opinions))? expressed\b]], "i"))
    assert.same({ "sign up", "subscribe" }, packs.needles([[(?<![\w,;:])(?:sign up|subscribe)\b.{0,80}\bemail]], "i"))
    assert.same({ "Credit..." }, packs.needles([[Credit\.\.\.\S.{0,80}$]]))
    assert.same({ "\194\169" }, packs.needles([[\x{A9}\s*\d{4}]]))
    assert.same({ "[" }, packs.needles([[\S\[[^\]\s]{1,40}\]$]]))
  end)

  it("goes on from a run of characters into the starts of the group after it", function()
    assert.same({ "[go", "[ok", "[sign up" }, packs.needles([=[^\S*\[(?:go|ok|sign up)\]]=], "i"))
    assert.same({ ".jp", ".png" }, packs.needles([[\w\.(?:jpe?g|png)$]], "i"))
    -- (a group's starts: one of them then anything, "(?:b.c|d)": no "abe")
    assert.same({ "ab", "ad" }, packs.needles([[a(?:b.c|d)e]]))
    -- (whole matches go on into the next group; a class is one character)
    assert.same({ "we value your data", "we value your personal data" },
      packs.needles([[we value your (?:data|personal (?:data))]]))
    assert.same({ "[ ", "[_" }, packs.needles([=[\[[ _]{3,}\]]=]))
    -- (a group met once or more: its first time; an optional one may not be there)
    assert.same({ "xab", "xcd" }, packs.needles([[x(?:ab|cd)+]]))
    assert.same({ "yz" }, packs.needles([[yz(?:ab|cd)?]]))
    -- (more than sixteen joined strings: the run and the group apart)
    assert.same({ "abc" }, packs.needles([[abc(?:[abcdefgh]|[ijklmnop]|[qrstuvwx])]]))
  end)

  it("says whether they compare exactly: as written for a pattern that minds case", function()
    assert.same({ { "AP", "Getty" }, true }, { packs.needles([[/\s*(?:Getty|AP)$]]) })
    assert.same({ { "ap", "getty" }, false }, { packs.needles([[/\s*(?:Getty|AP)$]], "i") })
    assert.same({ { "ap", "getty" }, false }, { packs.needles([[/\s*(?i:Getty|AP)$]]) })
  end)

  it("gives nil when some match need not contain a literal", function()
    assert.is_nil(packs.needles([[^\d+$]]))
    assert.is_nil(packs.needles([[foo|\d+]]))
    assert.is_nil(packs.needles([[(?:abc)?\d]]))
    assert.is_nil(packs.needles([[x?]]))
  end)

  it("reads a class of a few plain characters as one of them", function()
    assert.same({ "/", "|", "\194\183", "\226\128\162" }, packs.needles("^\\w+\\s[|\226\128\162\194\183/]\\s"))
    assert.same({ "]", "x" }, packs.needles("\\d[x\\]]"))
    assert.same({ "h" }, packs.needles("[Hh]\\d", "i"))
    -- (ranges, negated classes, sets and large classes are any character)
    assert.is_nil(packs.needles("[a-c]\\d"))
    assert.is_nil(packs.needles("[^ab]\\d"))
    assert.is_nil(packs.needles("[\\dx]\\d"))
    assert.is_nil(packs.needles("[abcdefghi]"))
    assert.is_nil(packs.needles("[ab]?"))
  end)

  it("keeps no letter outside ASCII (caseless matching has other forms of it)", function()
    assert.same({ "ber" }, packs.needles([[über]], "i"))
  end)

  it("gives nil for what it does not read: extended mode, verbs, conditionals, \\Q", function()
    assert.is_nil(packs.needles([[foo bar]], "x"))
    assert.is_nil(packs.needles([[(?x) foo # bar]]))
    assert.is_nil(packs.needles([[(*SKIP)foo]]))
    assert.is_nil(packs.needles([[(?(1)foo|bar)]]))
    assert.is_nil(packs.needles([[\Qfoo\E]]))
    assert.is_nil(packs.needles([[\N{U+41}+bc]]))
  end)

  it("holds for every built-in pattern: a block it matches contains a needle", function()
    local core = require "lede.core"
    -- page furniture the rules are for, the seed article, and real pages
    -- when the corpus is there
    local lines = {
      "Photo: Jane Doe/AP", "Copyright © 2024 Acme Media. All rights reserved.", "We use cookies to improve",
      "Sign up for our newsletter to get updates by email", "Jane Roe is a staff writer for the Daily",
      "The views expressed here do not necessarily reflect ours", "Tags: politics, economy",
      "Home | News | Sport | Weather | Travel", "[Search] [Go]", "photo.jpg", "3 min read",
      "Posted in News", "By Jane Roe", "Published: March 3, 2024", "Acme is a leading provider of tools",
      "Image caption: the harbour", "A storm hit the coast. (Photo by Jane Doe/Getty Images)",
    }
    local seed = io.open("examples/seed.txt", "rb")
    if seed then
      for line in seed:read("a"):gmatch("[^\n]+") do lines[#lines + 1] = line end
      seed:close()
    end
    for _, dir in ipairs({ "../shared/corpus/aeb/input_cropped/", "../shared/corpus/wcxb/input/" }) do
      local list = io.popen("ls " .. dir .. " 2>/dev/null")
      local n = 0
      for name in list:lines() do
        n = n + 1
        if n > 30 then break end
        local f = io.open(dir .. name, "rb")
        for line in f:read("a"):gmatch("[^\n]+") do lines[#lines + 1] = line end
        f:close()
      end
      list:close()
    end
    local checked = 0
    for _, p in ipairs(packs.stack()) do
      for _, r in ipairs(p.blocks) do
        local needles, exact
        if r.pattern then needles, exact = packs.needles(r.pattern, r.flags) end
        if needles then
          local re = core.regex(r.pattern, r.flags or "")
          for _, line in ipairs(lines) do
            if re:find(line) then
              local low, found = exact and line or line:lower(), false
              for _, n in ipairs(needles) do
                if low:find(n, 1, true) then found = true break end
              end
              assert(found, r._id .. " matched a line without its needles: " .. line)
              checked = checked + 1
            end
          end
        end
      end
    end
    assert.is_true(checked > 0)
  end)
end)

describe("a catastrophically backtracking rule", function()
  it("raises a clear error naming the rule and its file:line, without hanging", function()
    local states = helper.states(packs.stack({ FIX .. "catastrophic.lua" }))
    local err = errmsg(helper.run, ("a"):rep(5000) .. "b", {}, states)
    assert.matches("lede.classify:", err, 1, true)
    assert.matches("slow:nested", err, 1, true)
    assert.matches("catastrophic.lua:4", err, 1, true)
    assert.matches("limit exceeded", err, 1, true)
  end)
end)

describe("a user's site pack", function()
  it("labels blocks, repairs glue and names the publisher when it applies", function()
    local states = helper.states(packs.stack({ FIX .. "site.lua" }))
    local text = "Example Daily\n" .. helper.prose[1] .. "\nRead the paper\n" .. helper.prose[2]
      .. "\nExample Daily is not responsible for external links.\nOut todayRead the paper\n"
    local ctx = helper.run(text, { domain = "example.com" }, states)
    local b = helper.block(ctx, "Read the paper")
    assert.is_not_nil(b)
    assert.equal("widget", b.kind)
    assert.equal("example:widget#1", b.rule)
    assert.equal("disclaimer", helper.block(ctx, "Example Daily is not responsible for external links.").kind)
    assert.equal("Example Daily", ctx.meta.publisher)
    assert.truthy(ctx.text:find("Out today Read the paper", 1, true))
  end)
end)

describe("core.signature_packs", function()
  local core = require "lede.core"
  it("sets the bit of each pack that applies, searching each string once and lazily", function()
    local sigs = { true, false, { { "Hill", "nope" }, { "The", "" } }, { { "absent", "Hill" } },
      { { "Hill" } }, {} }
    local found = {}
    assert.equal(1 + 4 + 16, core.signature_packs("The Hill \0 x", sigs, found))
    assert.same({ Hill = true, nope = false, The = true, [""] = true, absent = false }, found)
    -- what found says is taken as it is
    assert.equal(1, core.signature_packs("The Hill", { true, { { "Hill" } }, { { "x" } } },
      { Hill = false, x = false }))
    assert.equal(2, core.signature_packs("The Hill", { false, { { "Hill" } } }))
    assert.equal(0, core.signature_packs("", {}))
  end)
  it("agrees with lede.packs.applying over the built-in packs", function()
    local packs = require "lede.packs"
    local stack = packs.stack()
    local spec = packs.signature_spec(stack)
    for _, text in ipairs({ "", "Get short URL by Sputnik", "Continue reading the main story\nThe New York Times",
        "Follow RT on RT", "TheHill.com and The Hill 1625 K Street" }) do
      local mask, want = core.signature_packs(text, spec, {}), 0
      for n, a in ipairs(packs.applying(stack, text)) do
        if a then want = want + 2 ^ (n - 1) end
      end
      assert.equal(want, mask)
    end
  end)
  it("raises on a malformed list", function()
    assert.has_error(function() core.signature_packs("abc", { 1 }) end,
      "signature_packs: sigs[1] is not a boolean or a table")
    assert.has_error(function() core.signature_packs("abc", { { { 1 } } }) end,
      "signature_packs: sigs[1][1][1] is not a string")
    assert.has_error(function() core.signature_packs("abc", { { "x" } }) end,
      "signature_packs: sigs[1][1] is not a table")
    local many = {}
    for n = 1, 53 do many[n] = true end
    assert.has_error(function() core.signature_packs("abc", many) end,
      "signature_packs: more than 52 packs")
  end)
end)
