-- Specs of the metadata stage's readers in lede.core: core.namer, core.dater.
local core = require "lede.core"
local meta = require "lede.meta"

local NAME_WORD = [[^(?:\p{Lu}|\p{Lu}[\p{Ll}'\x{2019}-]+(?:-\p{Lu}[\p{Ll}]+)?|\p{Lu}\.|\p{Lu}{2,}|de|van)$]]

local function namer()
  return core.namer({
    name_word = NAME_WORD,
    not_name = { staff = true, editor = true, by = true },
    role = { senior = true, april = true },
    given_months = { april = true },
    honorifics = { Dr = true, Mrs = true },
  })
end

describe("core.namer", function()
  local nm = namer()

  it("reads a person's name: 2-5 name words", function()
    assert.equal("Jane Doe", nm:person_name("Jane Doe"))
    assert.equal("Jane Doe", nm:person_name("  By Dr. Jane Doe's, "))
    assert.equal("Jane Doe", nm:person_name("Jane Doe\226\128\153s"))
    assert.equal("Ludwig van Beethoven", nm:person_name("Ludwig van Beethoven"))
    assert.equal("J. Doe", nm:person_name("J. Doe"))
    assert.equal("April Jones", nm:person_name("April Jones"))
    assert.equal("\195\135elik Y\195\188z", nm:person_name("\195\135elik Y\195\188z"))
  end)

  it("returns nil for what is no name", function()
    assert.is_nil(nm:person_name("Jane"))
    assert.is_nil(nm:person_name("Jane Doe 2019"))
    assert.is_nil(nm:person_name("jane@doe Jane"))
    assert.is_nil(nm:person_name("Jane Staff"))
    assert.is_nil(nm:person_name("Jane April"))
    assert.is_nil(nm:person_name("Senior Jane"))
    assert.is_nil(nm:person_name("A B C D E F"))
    assert.is_nil(nm:person_name("Jane Doe, Editor"))
    assert.is_nil(nm:person_name("the quick fox"))
    assert.is_nil(nm:person_name("see http Jane"))
    assert.is_nil(nm:person_name(""))
    assert.is_nil(nm:person_name("Jane \255Doe"))
    assert.is_nil(nm:person_name("Jane\0 Doe"))
    assert.is_nil(nm:person_name(("Jane "):rep(20)))
  end)

  it("finds every word of its sets, of any length, and no other", function()
    -- (each set is tested through a filter of its words' lengths and ends
    -- before it is searched)
    local words, not_name = {}, {}
    for n = 1, 31 do
      words[#words + 1] = ("q"):rep(n)
      words[#words + 1] = "z" .. ("x"):rep(n - 1)
    end
    for _, w in ipairs(words) do not_name[w] = true end
    local big = core.namer({ name_word = [[^\p{L}+$]], not_name = not_name })
    for _, w in ipairs(words) do
      local cap = w:sub(1, 1):upper() .. w:sub(2)
      assert.is_nil(big:person_name("Jane " .. cap), w)
      assert.equal("Jane " .. cap .. "y", big:person_name("Jane " .. cap .. "y"))
      if #w > 1 then assert.equal("Jane " .. cap:sub(1, -2) .. "w", big:person_name("Jane " .. cap:sub(1, -2) .. "w")) end
    end
  end)

  it("reads the name a text starts with", function()
    assert.equal("Jane Doe", nm:name_prefix("- Jane Doe Senior Editor"))
    assert.equal("Jane Doe", nm:name_prefix("Jane Doe, Staff Writer"))
    assert.equal("J R Doe", nm:name_prefix("J. R. Doe 2019"))
    assert.equal("Jane (Guha) Doe", nm:name_prefix("Jane (Guha) Doe wrote"))
    assert.equal("Jane Doe", nm:name_prefix("Dr. Jane Doe"))
    assert.is_nil(nm:name_prefix("Jane wrote this"))
    assert.is_nil(nm:name_prefix("Staff Jane Doe"))
    assert.is_nil(nm:name_prefix(""))
    assert.is_nil(nm:name_prefix(("\255"):rep(100)))
  end)

  it("checks its options and its object", function()
    assert.has_error(function() core.namer({}) end, "namer: 'name_word' must be a pattern string, got nil")
    assert.has_error(function() core.namer({ name_word = "(" }) end)
    assert.has_error(function() core.namer({ name_word = "x", role = 1 }) end,
      "namer: 'role' must be a set table, got number")
    assert.has_error(function() core.namer({ name_word = "x", role = { [("x"):rep(40)] = true } }) end,
      "namer: 'role': words must be 1 to 31 bytes long")
    assert.has_error(function() nm.person_name({}, "x") end)
    assert.matches("^lede%.Namer", tostring(nm))
  end)

  it("never runs long on a huge word", function()
    local s = ("Aa-"):rep(200000) .. " B"
    assert.is_nil(nm:person_name(s))
    assert.is_nil(nm:name_prefix(s))
  end)
end)

describe("namer:split_byline", function()
  local st = meta.compile()
  local function split(text, explicit, near)
    return st.namer:split_byline(text, st.dater, st.given, explicit, near)
  end

  it("splits a byline into people", function()
    assert.same({ "Jane Doe", "John Smith" }, split("By Jane Doe and John Smith"))
    assert.same({ "Jane Doe", "John Smith" }, split("By Jane Doe & John Smith | Reuters"))
    assert.same({ "Jane Doe" }, split("By Jane Doe, Senior Editor"))
    assert.same({ "Jane Doe" }, split("By Jane Doe Senior Editor"))
    assert.same({ "Jane Doe" }, split("By Jane Doe Published Nov. 19, 2019"))
    assert.same({ "Jane Doe" }, split("Written by: [Jane Doe] Jane Doe on Monday"))
    assert.same({ "Jane Doe" }, split("About Jane Doe"))
    -- (an author box's heading in other languages)
    assert.same({ "Jane Doe" }, split("\195\156ber Jane Doe"))
    assert.same({ "Jane Doe" }, split("Sobre Jane Doe"))
    assert.same({ "Jane Doe" }, split("\195\128 propos de Jane Doe"))
    assert.same({ "Jane Doe" }, split("Acerca de Jane Doe"))
    assert.same({ "Jane Doe" }, split("Jane Doe \194\183 5 min read", true))
  end)

  it("takes a one-word name or handle after an explicit By", function()
    assert.same({ "j_doe" }, split("by j_doe"))
    assert.same({ "jdoe" }, split("by jdoe42"))
    assert.same({}, split("By Clay"))
    assert.same({ "Clay" }, split("By Clay", false, true))
    assert.same({}, split("Jane"))
  end)

  it("is safe on bad input", function()
    assert.same({}, split(""))
    assert.same({}, split("\255\0[[[]"))
    assert.same({}, split(("By [x "):rep(10000)))
    assert.has_error(function() st.namer:split_byline("x", {}, nil) end)
  end)
end)

describe("namer:header_block", function()
  local st = meta.compile()
  local function block(t, kind, same, after_alone, text)
    return st.namer:header_block(t, text or t, kind or "byline", same, st.dater, st.given, after_alone)
  end

  it("reads the strong author cues of a header line", function()
    assert.same({ "Jane Doe" }, (block("Medically reviewed by X - Written by Jane Doe", "body")))
    assert.same({ "Jillian Kubala" }, (block("Jillian Kubala, MS, RD", "body")))
    assert.same({ "Jane Doe" }, (block("Picture of Jane Doe", "body")))
    assert.same({ "Joe Rossignol" }, (block("Monday November 18, 2019 7:45 am PST by Joe Rossignol", "dateline")))
    assert.same({ "Jane Doe" }, (block("Jane Doe Published: May 1, 2024", "dateline")))
    assert.same({ "Julian K. Arni" }, (block("Dec 17, 2025 | Julian K. Arni", "dateline")))
    assert.same({ "Jane Doe", "John Smith" }, (block("By Jane Doe and John Smith", "byline")))
  end)

  it("leaves a filter menu, other kinds and other bylines alone", function()
    assert.is_nil((block("By Jane Doe", "body")))
    assert.is_nil((block("Photo by Jane Doe", "dateline")))
    assert.is_nil((block("\226\128\162 By Clay", "navigation", false, false, "\226\128\162 By Clay")))
    assert.is_nil((block("Written by Jane Doe", "related")))
  end)

  it("hands \"By\" alone back to the caller", function()
    local names, alone = block("Article written by:", "byline")
    assert.is_nil(names)
    assert.is_true(alone)
    assert.is_nil((block("Article written by:", "byline", false, true)))
  end)

  it("is safe on bad input", function()
    assert.is_nil((block("", "byline")))
    assert.is_nil((block("\255\0 by \0\255", "body")))
    assert.is_nil((block(("By [x "):rep(40), "byline")))
    assert.has_error(function() st.namer:header_block("x", "x", "body", false, {}, nil) end)
  end)
end)

describe("namer:byline_block", function()
  local st = meta.compile()
  local function block(text, kind, k, rule)
    return st.namer:byline_block(text, kind, rule, k or 3, 2, 5, 8, 6, 20, st.dater, st.given)
  end

  it("reads the names of bylines, datelines and the article's first lines", function()
    assert.same({ "Jane Doe" }, (block("Published August 7, 2023 by Jane Doe", "dateline")))
    assert.is_nil((block("Published August 7, 2023 by Jane Doe", "dateline", 6)))
    assert.same({ "Jane Doe", "John Smith" }, (block("By Jane Doe and John Smith", "byline")))
    assert.same({ "Jane Doe" }, (block("By Jane Doe", "body")))
    assert.is_nil((block("By Jane Doe", "body", 10)))
    assert.same({ "Jane Doe" }, (block("By Jane Doe", "byline", 21)))
    assert.is_nil((block("By Jane Doe", "byline", 12)))
    assert.is_nil((block("By Jane Doe", "navigation")))
  end)

  it("hands \"By\" alone back to the caller", function()
    local names, alone = block("Written by:", "byline")
    assert.is_nil(names)
    assert.is_true(alone)
  end)

  it("is safe on bad input", function()
    assert.is_nil((block("", "byline")))
    assert.is_nil((block("\255\0 by \0\255", "dateline")))
    assert.has_error(function() st.namer:byline_block("x", "byline", nil, 1, 1, 1, 1, nil, nil, {}, nil) end)
  end)
end)

describe("namer:byline_scan", function()
  local st = meta.compile()
  local blocks = {
    { text = "Home", kind = "navigation" }, { text = "Published August 7, 2023 by Jane Doe", kind = "dateline" },
    { text = "A headline", kind = "title" }, { text = "Written by:", kind = "byline" },
    { text = "Jane Roe", kind = "body" }, { text = ("A long first paragraph. "):rep(12), kind = "body" },
    { text = "By John Smith", kind = "body" }, { text = "By Ann Lee", kind = "byline", rule = "classifier:author-box" },
    { text = "Share", kind = "widget" }, { text = "By Bob Poe and Kim Day", kind = "byline" },
  }
  local function scan(from, to, lo, near_hi, lead_hi, first_body, last_body)
    return st.namer:byline_scan(blocks, from, to, lo, near_hi, lead_hi, first_body, last_body, st.dater, st.given)
  end

  it("finds the blocks byline_block gives names or a \"By\" alone, in order", function()
    for _, w in ipairs({ { 1, 10, 2, 5, 8, 6, 9 }, { 2, 8, 1, 3, 4, 5, 9 }, { 3, 10, 3, 4, 7, nil, nil },
      { 1, 10, 1, 10, 10, 3, 7 } }) do
      local from, to, lo, near_hi, lead_hi, first_body, last_body = w[1], w[2], w[3], w[4], w[5], w[6], w[7]
      local k, got = from, {}
      while k <= to do
        local kk, names, alone = scan(k, to, lo, near_hi, lead_hi, first_body, last_body)
        if not kk then break end
        got[#got + 1] = { kk, names or false, alone }
        k = kk + 1
      end
      local want = {}
      for kk = from, to do
        local b = blocks[kk]
        if b.kind == "dateline" or b.kind == "byline" or (b.kind == "body" and #b.text <= 200 and kk >= lo and kk <= lead_hi) then
          local names, alone = st.namer:byline_block(b.text, b.kind, b.rule, kk, lo, near_hi, lead_hi, first_body,
            last_body, st.dater, st.given)
          if names or alone then want[#want + 1] = { kk, names or false, alone } end
        end
      end
      assert.same(want, got)
    end
    local k, names, alone = scan(1, 10, 2, 5, 8, 6, 9)
    assert.same({ 2, { "Jane Doe" }, false }, { k, names, alone })
    assert.is_nil(scan(11, 20, 1, 5, 8, 6, 9))
    assert.is_nil(scan(2 ^ 40, 2 ^ 41, 1, 5, 8, 6, 9))
    assert.same(2, (scan(-5, 2 ^ 40, 2, 5, 8, 6, 9)))
  end)

  it("raises on blocks with no text", function()
    assert.has_error(function()
      st.namer:byline_scan({ { kind = "byline" } }, 1, 1, 1, 1, 1, nil, nil, st.dater, st.given)
    end, "byline_scan: block 1 has no text")
    assert.has_error(function() st.namer:byline_scan({ 5 }, 1, 1, 1, 1, 1, nil, nil, st.dater, st.given) end,
      "byline_scan: block 1 is not a table")
  end)
end)

describe("namer:header_scan", function()
  local st = meta.compile()
  local blocks = {
    { text = "Home", kind = "navigation" }, { text = "Jillian Kubala, MS, RD", kind = "body" },
    { text = "A [link] headline", kind = "title" }, { text = "Article written by:", kind = "byline" },
    { text = "Jane Roe", kind = "body" }, { text = "Jane Roe", kind = "body" },
    { text = "Picture of [Ann] Jane Doe", kind = "body" }, { text = "Dec 17, 2025 | [x]Julian K. Arni", kind = "dateline" },
  }
  local cues = "13133131"
  local function strip(t) return (t:gsub("%[[^%]%[]*%]%s*", "")) end

  it("finds the blocks header_block gives names or a \"By\" alone, in order", function()
    local got, from = {}, 1
    while true do
      local k, names, alone, t, same = st.namer:header_scan(blocks, cues, 1, from, st.dater, st.given)
      if not k then break end
      got[#got + 1] = { k, names or false, alone, t, same }
      from = k + 1
    end
    local want = {}
    for k = 1, #blocks do
      local c = cues:sub(k, k)
      if c == "1" or c == "3" then
        local b, nx = blocks[k], blocks[k + 1]
        local t = strip(b.text)
        local same = #t <= 60 and nx ~= nil and nx.text == b.text
        local names, alone = st.namer:header_block(t, b.text, b.kind, same, st.dater, st.given)
        if names or alone then want[#want + 1] = { k, names or false, alone, t, same } end
      end
    end
    assert.same(want, got)
    assert.is_true(#got >= 3)
    assert.same("Picture of Jane Doe", got[#got - 1][4])
    assert.is_nil(st.namer:header_scan(blocks, cues, 1, 9, st.dater, st.given))
    assert.is_nil(st.namer:header_scan(blocks, "", 1, 1, st.dater, st.given))
  end)

  it("raises on blocks with no text", function()
    assert.has_error(function() st.namer:header_scan({ { kind = "byline" } }, "1", 1, 1, st.dater, st.given) end,
      "header_scan: a block has no text")
    assert.has_error(function() st.namer:header_scan({ 5 }, "1", 1, 1, st.dater, st.given) end,
      "header_scan: block 1 is not a table")
  end)
end)

describe("namer:name_alone and namer:alone_scan", function()
  local st = meta.compile()
  local function alone(blocks, k, lo, t)
    return st.namer:name_alone(blocks, k, t or blocks[k].text, lo or 1, st.dater, st.given, st.day_month)
  end

  it("reads a name alone next to the title, a byline or a date", function()
    local blocks = { { text = "A headline", kind = "title" }, { text = "Jane Doe", kind = "byline" },
      { text = "May 1, 2024", kind = "body" } }
    assert.equal("Jane Doe", alone(blocks, 2, 2))
    assert.equal("Jane Doe", alone(blocks, 2, 2, "\226\128\162 *Jane DoeJane Doe, Editor"))
    blocks[3] = { text = "Jun 9", kind = "body" }
    assert.equal("Jane Doe", alone(blocks, 2, 1))
    blocks[3] = { text = "Some text", kind = "body" }
    assert.is_nil(alone(blocks, 2, 1, "Qx Vbnm"))
    assert.is_nil(alone({ { text = "x", kind = "body" }, { text = "Jane Doe", kind = "byline" } }, 2, 1))
    assert.is_nil(alone(blocks, 2, 2, "1234"))
    assert.is_nil(alone(blocks, 2, 2, ""))
  end)

  it("scans the cued blocks for the first name alone", function()
    local blocks = { { text = "A headline", kind = "title" }, { text = "Menu", kind = "navigation" },
      { text = "[x] John Smith", kind = "byline" }, { text = "May 1, 2024", kind = "dateline" } }
    assert.equal("John Smith", st.namer:alone_scan(blocks, "0020", 1, st.dater, st.given, st.day_month))
    assert.is_nil(st.namer:alone_scan(blocks, "0010", 1, st.dater, st.given, st.day_month))
    blocks[3].kind = "related"
    assert.is_nil(st.namer:alone_scan(blocks, "0030", 1, st.dater, st.given, st.day_month))
    blocks[3].kind = "body"
    assert.equal("John Smith", st.namer:alone_scan(blocks, "0030", 1, st.dater, st.given, st.day_month))
    assert.has_error(function() st.namer:alone_scan({ 5 }, "2", 1, st.dater, st.given, st.day_month) end,
      "alone_scan: block 1 is not a table")
  end)
end)

describe("namer:box_scan", function()
  local st = meta.compile()
  local verbs = { " is ", " has ", " was ", " holds ", " writes ", " covers " }
  local function box(blocks, ks)
    return st.namer:box_scan(blocks, ks or { 1 }, st.given, st.pronoun, verbs)
  end

  it("reads the name over a bio about that person", function()
    assert.equal("Jane Doe", box({ { text = "- About Jane Doe" },
      { text = ("(Editor) - Jane Doe writes about courts, and she likes it. "):rep(3) } }))
    assert.equal("Jane Doe", box({ { text = "\195\156ber Jane Doe" },
      { text = ("(Editor) - Jane Doe writes about courts, and she likes it. "):rep(3) } }))
    assert.equal("Jane Doe", box({ { text = "Jane Doe" }, { text = "short" },
      { text = ("Jane Doe is a reporter; she covers the courts of the city. "):rep(3) } }))
    assert.equal("Stefan", box({ { text = "Stefan" },
      { text = ("Our colleague Stefan is a reporter who covers the courts. "):rep(3) } }))
    assert.equal("Ann Lee", box({ { text = "x" }, { text = "Ann Lee" },
      { text = ("Ann Lee reports from the city hall, where she covers politics. "):rep(3) } }, { 1, 2 }))
  end)

  it("leaves what names no person alone", function()
    assert.is_nil(box({ { text = "Acme Widgets" }, { text = ("Acme Widgets makes widgets; they sell them. "):rep(3) } }))
    assert.is_nil(box({ { text = "Jane Doe" }, { text = ("A story (by Jane) about Jane Doe and her friends. "):rep(3) } }))
    assert.is_nil(box({ { text = "jane doe" }, { text = ("jane doe is a reporter; she covers courts. "):rep(3) } }))
    assert.is_nil(box({ { text = "Jane Doe" }, { text = "short" }, { text = "short" },
      { text = ("Jane Doe is a reporter; she covers the courts of the city. "):rep(3) } }))
    assert.is_nil(box({ { text = "Jane Doe" } }))
    assert.is_nil(box({}, {}))
  end)

  it("raises on what is no block", function()
    assert.has_error(function() box({ 5 }) end, "box_scan: block 1 is not a table")
    assert.has_error(function() box({ {} }) end, "box_scan: a block has no text")
  end)
end)

describe("the namer's scans", function()
  local st = meta.compile()
  local verbs = { " is " }

  it("are safe on bad input", function()
    local long = ("By [x] \255\0 Jane Doe "):rep(20000)
    local blocks = { { text = "\255\0[", kind = "byline" }, { text = long, kind = "body" }, { text = "", kind = "title" },
      { text = "\0Jane\0Doe\0", kind = "byline" }, { text = ("[["):rep(50000) .. "]", kind = "dateline" } }
    local cues = "33333"
    assert.is_nil(st.namer:header_scan(blocks, cues, 1, 1, st.dater, st.given))
    assert.is_nil(st.namer:alone_scan(blocks, cues, 1, st.dater, st.given, st.day_month))
    for k = 1, #blocks do
      assert.is_nil(st.namer:name_alone(blocks, k, blocks[k].text, 1, st.dater, st.given, st.day_month))
    end
    assert.is_nil(st.namer:box_scan(blocks, { 1, 2, 3, 4, 5 }, st.given, st.pronoun, verbs))
    assert.is_nil(st.namer:header_scan(blocks, cues, 1, 2 ^ 40, st.dater, st.given))
    assert.is_nil(st.namer:header_scan(blocks, "0000", 2 ^ 40, 1, st.dater, st.given))
    assert.has_error(function() st.namer:header_scan(blocks, "1", 2 ^ 40, 1, st.dater, st.given) end)
  end)
end)

describe("core.dater", function()
  local st = meta.compile()
  local dt = st.dater

  it("reads a date, its time and zone", function()
    assert.same({ "2019-11-19T17:03:00-05:00", 1, 26 }, { dt:find("Nov. 19, 2019 5:03 p.m. ET") })
    assert.same({ "2021-07-27T19:20:00Z", 1, 22 }, { dt:find("19:20 GMT 27 July 2021") })
    assert.same({ "2019-11-18T09:00:00+05:30", 1, 25 }, { dt:find("2019-11-18T09:00:00+05:30") })
    assert.same({ "2019-11-18", 12, 21 }, { dt:find("Published: 2019-11-18") })
    assert.same({ "2019-11-20T14:53:00+03:00", 1, 29 }, { dt:find("14:53 GMT +3 20 November 2019") })
  end)

  it("returns nil without a date", function()
    assert.is_nil(dt:find(""))
    assert.is_nil(dt:find("31 February 2020"))
    assert.is_nil(dt:find("no year here 1899"))
    assert.is_nil(dt:find("\255\0 2019"))
    assert.is_nil(dt:find("\217\161\217\162/\217\161/2019"))
  end)

  it("is linear on long texts", function()
    local s = ("1 2019 "):rep(20000)
    assert.is_nil(dt:find(s))
  end)

  it("searches the blocks in order for the first date", function()
    local blocks = {
      { text = "Menu 2019", kind = "navigation" },
      { text = "Title", kind = "title" },
      { text = "Posted 5 May 2020", kind = "boilerplate" },
      { text = "Body text of 1 June 2021.", kind = "body" },
      { text = "Jane Doe, 3 March 2022", kind = "byline" },
    }
    assert.same({ 5, "2022-03-03", 11, 22 }, { dt:search(blocks, { 5 }, 2, 4, 4, 4) })
    assert.same({ 3, "2020-05-05", 8, 17 }, { dt:search(blocks, {}, 2, 4, 4, 4) })
    assert.same({ 4, "2021-06-01", 14, 24 }, { dt:search(blocks, {}, 4, 4, 4, 4) })
    assert.is_nil(dt:search({ blocks[1], blocks[2] }, {}, 3, 2))
    assert.is_nil(dt:search({}, {}, 1, 0))
    assert.has_error(function() dt:search({ { kind = "body" } }, {}, 1, 1) end, "search: block 1 has no text")
  end)

  it("takes when the page was published over when it was updated, near the first", function()
    local one = { { text = "Title", kind = "title" },
      { text = "Updated November 11, 2022 8:23 PM ET Originally published November 9, 2022 11:01 AM ET",
        kind = "dateline" } }
    local k, iso = dt:search(one, { 2 }, 1, 2)
    assert.same({ 2, "2022-11-09T11:01:00-05:00" }, { k, iso })
    local two = { { text = "Title", kind = "title" }, { text = "Updated: 18 Nov 2019 9:38 pm", kind = "dateline" },
      { text = "Posted: 18 Nov 2019 8:11 pm", kind = "dateline" }, { text = "Body.", kind = "body" } }
    local k2, iso2 = dt:search(two, { 2, 3 }, 1, 4, 4)
    assert.same({ 3, "2019-11-18T20:11:00" }, { k2, iso2 })
    -- ("Last modified on", "Updated on" too)
    two[2].text = "Last modified on 18 Nov 2019 9:38 pm"
    assert.equals(3, (dt:search(two, { 2, 3 }, 1, 4, 4)))
    -- (a short line of another kind near it too)
    local short = { { text = "Title", kind = "title" }, { text = "January 20th, 2025 by JWU", kind = "boilerplate" },
      { text = "Last updated: August 25, 2025", kind = "dateline" }, { text = "Body.", kind = "body" } }
    local ks, isos = dt:search(short, { 3 }, 1, 4, 4)
    assert.same({ 2, "2025-01-20" }, { ks, isos })
    -- an update's date alone is the page's date; a caption's or a far
    -- dateline's date does not replace it
    local alone = { { text = "Title", kind = "title" }, { text = "By Jane Doe Updated Nov 13, 2019, 10:28am EST",
      kind = "byline" }, { text = "A view of the gate on November 8, 2019.", kind = "caption" },
      { text = "Body.", kind = "body" } }
    for x = 5, 16 do alone[x] = { text = "Text.", kind = "body" } end
    alone[17] = { text = "December 8, 2025", kind = "dateline" }
    local ka, isoa = dt:search(alone, { 2, 17 }, 1, 5, 4, 16)
    assert.same({ 2, "2019-11-13T10:28:00-05:00" }, { ka, isoa })
  end)

  it("checks its options", function()
    assert.has_error(function() core.dater({}) end, "dater: 'date' must be a pattern string, got nil")
    assert.has_error(function() core.dater({ date = "(a)", time_after = "(a)", time_before = "(a)" }) end,
      "dater: 'date' must have 22 captures, has 1")
    assert.has_error(function() core.dater({ zones = { GMT = 0.5 } }) end,
      "dater: 'zones' must map zone names to whole minutes")
    assert.has_error(function() core.dater({ months = { mars = 13 } }) end,
      "dater: 'months' must map month names to 1 to 12")
    assert.has_error(function() core.dater({ months = { ma = 5 } }) end,
      "dater: 'months': names must be 3 to 15 bytes long")
    assert.has_error(function() core.dater({ updated = { [("x"):rep(16)] = true } }) end,
      "dater: 'updated': words must be 1 to 15 bytes long")
    assert.matches("^lede%.Dater", tostring(dt))
  end)
end)

describe("core.meta_lists", function()
  it("takes a tag list's text, a tag line's items and related headlines, each once", function()
    local blocks = {
      { text = "  #Politics  ", kind = "tags", rule = "default:tag-header:list" },
      { text = "Tags: Economy, Trade | Politics; \226\128\162 Europe.", kind = "tags", rule = "default:tag-line" },
      { text = "Tags", kind = "tags", rule = "default:tag-header" },
      { text = "\226\128\162 Markets fall again", kind = "related", rule = "default:related-header:list" },
      { text = "Markets fall again", kind = "related", rule = "classifier:related-list" },
      { text = "One", kind = "related", rule = "classifier:related-list" },
      { text = "Not a list item", kind = "related", rule = "default:related-header" },
      { text = "Body", kind = "body" },
    }
    local tags, related = {}, {}
    core.meta_lists(blocks, { 1, 2, 3, 4, 5, 6, 7, 8 }, tags, related)
    assert.same({ "Politics", "Economy", "Trade", "Europe" }, tags)
    assert.same({ "Markets fall again" }, related)
  end)

  it("keeps items once past sixteen of them, and skips what is no list", function()
    local blocks, ks = {}, {}
    for k = 1, 40 do
      blocks[k] = { text = "Item " .. (k % 20), kind = "tags", rule = "x:list" }
      ks[k] = k
    end
    blocks[41] = { text = "Item 1, Item 21", kind = "tags", rule = false }
    ks[41] = 41
    local tags = {}
    core.meta_lists(blocks, ks, tags, {})
    assert.equal(21, #tags)
    assert.equal("Item 21", tags[21])
  end)

  it("raises on a block that is no record", function()
    assert.has_error(function() core.meta_lists({ 1 }, { 1 }, {}, {}) end, "meta_lists: block 1 is not a table")
    assert.has_error(function() core.meta_lists({ { kind = "tags" } }, { 1 }, {}, {}) end,
      "meta_lists: block 1 has no text")
    assert.has_error(function() core.meta_lists({}, { "x" }, {}, {}) end, "meta_lists: ks[1] must be an integer")
  end)
end)
