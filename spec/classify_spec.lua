-- Specs of lede.classify: rules, the classifier and its revision, on the seed
-- article and on small made-up pages.
local classify = require "lede.classify"
local core = require "lede.core"
local helper = require "fixtures.bp.helper"

local SEED = "../shared/examples/000_6fea872e61a50aa0.txt"
local GOLD = "../shared/gold/000_6fea872e61a50aa0.json"

-- A page: lines of boilerplate around three prose paragraphs.
local function page(before, after)
  local lines = {}
  for _, l in ipairs(before or {}) do lines[#lines + 1] = l end
  for _, p in ipairs(helper.prose) do lines[#lines + 1] = p end
  for _, l in ipairs(after or {}) do lines[#lines + 1] = l end
  return table.concat(lines, "\n") .. "\n"
end

describe("lede.classify.run on the seed article", function()
  local ctx = helper.run(helper.read(SEED))
  local gold = helper.read(GOLD)

  it("keeps exactly the 11 gold body paragraphs", function()
    local body = helper.body(ctx)
    assert.equal(11, #body)
    for _, p in ipairs(body) do
      assert.truthy(gold:find(p, 1, true), p)
    end
  end)

  it("gives every boilerplate block a fitting kind and the rule that set it", function()
    local want = {
      ["19:20 GMT 27 July 2021"] = "dateline",
      ["Listen Live"] = "widget",
      ["Get short URL"] = "widget",
      ["The views and opinions expressed in the article do not necessarily reflect those of Sputnik."] = "disclaimer",
      ["strategy, bilateral relations, cooperation, interview, THAAD missile defense system, South Korea"] = "tags",
      ["Community standards Discussion"] = "comment",
    }
    for text, kind in pairs(want) do
      local b = helper.block(ctx, text)
      assert.is_not_nil(b, text)
      assert.equal(kind, b.kind, text)
    end
    local related = 0
    for _, b in ipairs(ctx.blocks) do
      assert.is_string(b.rule)
      if b.kind == "related" then related = related + 1 end
    end
    assert.equal(5, related)
    assert.equal("sputnik:widget#1", helper.block(ctx, "Get short URL").rule)
  end)
end)

describe("the Sputnik pack", function()
  it("drops the privacy dialog and the community standards at the page's end", function()
    local policy = "The websites' administration has the right to delete comments made in languages other "
      .. "than the language of the majority of the websites' content, and it will do so without notice."
    local ctx = helper.run(page({ "Get short URL", "Sputnik" }, { "Community standards", policy,
      "A user comment will be deleted if it:", "• does not correspond with the subject of the post;" }))
    assert.equal("sputnik:community-standards", helper.block(ctx, "Community standards").rule)
    assert.equal("sputnik:community-standards:section", helper.block(ctx, policy).rule)
    assert.equal(3, #helper.body(ctx))
  end)
end)

describe("block rules", function()
  local function kind_of(line, before)
    local ctx = helper.run(page(before or { line }, before and { line } or nil))
    local b = helper.block(ctx, line)
    assert.is_not_nil(b, line)
    return b.kind, b.rule
  end

  local cases = {
    { "Skip to main content", "navigation" },
    { "Home > World > Asia", "navigation" },
    { "Home | World | Business | Tech | Sport", "navigation" },
    { "Share on Facebook", "widget" },
    { "Sign up for our daily newsletter", "widget" },
    { "Listen to this article", "widget" },
    { "Photo: Damian Dovarganes, AP", "caption" },
    { "By John Doe and Jane Roe, Associated Press", "byline" },
    { "By Jane Roe, CFP – Updated Mar 5, 2026 at 4:28 PM EST | Fact-checked by John Doe", "byline" },
    { "Posted by JaneRoe on Friday December 19, 2025 @08:00PM from the long-week dept.", "byline" },
    { "(Reporting by Jane Roe, John Doe and Ann Lee in New York and Bo Kim in Seoul, with additional reporting by "
      .. "Max Roe and Lia Doe; editing by Tom Lee and Sue Kim)", "byline" },
    { "Share on Facebook Share on X (formerly known as Twitter) Share on LinkedIn Share via Email Share on Reddit", "widget" },
    { "Published: November 19, 2019", "dateline" },
    { "Nov. 19, 2019 8:03 am ET", "dateline" },
    { "Nov 7 23:05", "dateline" },
    { "on Dec 17, 2025", "dateline" },
    { "7H ago 08:51", "dateline" },
    { "© 2019 Hearst Communications, Inc.", "footer" },
    { "Privacy Policy", "footer" },
    { "Leave a Reply", "comment" },
    { "Tags: Politics, Elections, Congress", "tags" },
    { "Meg James is a corporate media reporter for the Los Angeles Times, covering television.", "byline" },
    { "Ascom is a global solutions provider focused on healthcare ICT and mobile workflow solutions.", "disclaimer" },
    { "Join our Space Forums to keep talking space on the latest missions!", "widget" },
    { "The views and opinions expressed in this article are the author's own and do not necessarily reflect those of the publisher.", "disclaimer" },
    { "— Jane Roe (@janeroe) November 19, 2019", "body" },
    { "Advert", "widget" },
    { "CO-FOUNDER 'PROUD' OF HOME DEPOT EMPLOYEES LIVING OUT THEIR AMERICAN DREAM", "related" },
    { "Subscribe to WIRED and stay smart with more of your favorite Ideas writers.", "widget" },
    { "Let our news meet your inbox. The news and stories that matter, delivered weekday mornings.", "widget" },
    { "Continue Reading Below", "widget" },
    { "Related: The 15 Weirdest Galaxies in Our Universe", "related" },
    { "SEE MORE: Students under siege in university", "related" },
    { "Get Cycle Monthly delivered through your letterbox every month. 12 issues for £11.99.", "widget" },
    { "Image caption The mayor has managed the city budget for ten years", "caption" },
    { "Have a tip? Jane Roe may be reached at jroe@example.com. Follow her on Twitter.", "byline" },
    { "Get the latest updates right in your inbox. Subscribe to our newsletters.", "widget" },
    { "cookielawinfo-checkbox-analytics 11 months This cookie is set by GDPR Cookie Consent plugin.", "widget" },
    { "_ga 2 years The _ga cookie, installed by Google Analytics, counts visitors.", "widget" },
    { "Any cookies that may not be particularly necessary for the website to function and is used specifically "
      .. "to collect user personal data via analytics, ads, other embedded contents are termed as non-necessary cookies.",
      "widget" },
  }
  for _, c in ipairs(cases) do
    it(c[2] .. ": " .. c[1], function()
      local kind, rule = kind_of(c[1])
      assert.equal(c[2], kind)
      assert.matches("^default:", rule)
    end)
  end

  -- an article's sentences about what the rules look for, after the prose
  local sentences = {
    { "about cookies", "Third-party cookies are used by advertisers to follow readers from site to site for "
      .. "13 months, the report found, and most readers never see them." },
    { "that mentions subscribing to newsletters", "Stay informed about the trends in your industry: follow the "
      .. "news, subscribe to industry newsletters and join the groups where your peers meet." },
  }
  for _, c in ipairs(sentences) do
    it("leaves an article's sentence " .. c[1] .. " alone", function()
      assert.equal("body", (kind_of(c[2], {})))
    end)
  end

  it("labels a related-headline list after its header", function()
    local ctx = helper.run(page(nil, { "Related Stories", "Mayor Opens New Library Branch",
      "City Council Votes on Parking Fees", "Storm Damage Closes Two Schools" }))
    assert.equal("related", helper.block(ctx, "Related Stories").kind)
    local b = helper.block(ctx, "City Council Votes on Parking Fees")
    assert.equal("related", b.kind)
    assert.equal("default:related-header:list", b.rule)
  end)

  it("labels a numbered related list, up to a line that announces what follows", function()
    local ctx = helper.run(page({ "Most Popular", "1. St. Paul police chief sought state funding, but mayor unswayed",
      "2. The Dakota County Fair will be free to attend starting next summer",
      "3. Property taxes are on the rise: these maps show where",
      "Here are some of the highlights of the day:" }))
    local b = helper.block(ctx, "3. Property taxes are on the rise: these maps show where")
    assert.equal("related", b.kind)
    assert.equal("default:related-header:list", b.rule)
    assert.not_equal("related", helper.block(ctx, "Here are some of the highlights of the day:").kind)
  end)

  it("labels a run of headlines below the article as related", function()
    local ctx = helper.run(page(nil, { "Mayor Opens New Library Branch In The North",
      "City Council Votes on New Parking Fees", "Storm Damage Closes Two Schools Downtown" }))
    local b = helper.block(ctx, "City Council Votes on New Parking Fees")
    assert.equal("related", b.kind)
    assert.equal("classifier:related-list", b.rule)
  end)

  it("labels everything after a comments header as comment", function()
    local ctx = helper.run(page(nil, { "Comments", "Avatar", "jdoe", helper.prose[1]:gsub("committee", "council") }))
    assert.equal("comment", helper.block(ctx, "Avatar").kind)
    assert.equal("default:comments-section:section", helper.block(ctx, "jdoe").rule)
  end)

  it("looks through inline blocks (images) inside the article", function()
    local ctx = helper.run(table.concat({ helper.prose[1], "[photo-of-bridge]",
      "The mayor did not say when the work would start.", "[ad-slot]", helper.prose[2], helper.prose[3] }, "\n"))
    local img = helper.block(ctx, "[photo-of-bridge]")
    assert.equal("widget", img.kind)
    assert.equal("default:image-alt", img.rule)
    assert.equal("body", helper.block(ctx, "The mayor did not say when the work would start.").kind)
  end)

  it("drops a paragraph that the page repeats", function()
    local teaser = "Residents of the old town say the new parking rules will hurt the shops that line the "
      .. "main street, and they want the council to think again."
    local ctx = helper.run(page({ teaser }, { teaser }))
    assert.equal("classifier:repeated", ctx.blocks[1].rule)
    assert.equal(3, #helper.body(ctx))
  end)

  it("splits teasers apart at their dates", function()
    local lines = { helper.prose[1], helper.prose[2], helper.prose[3],
      (helper.prose[1]:gsub("bridge", "tunnel")), (helper.prose[2]:gsub("city", "county")),
      (helper.prose[3]:gsub("river", "lake")), "More news",
      "Storm Damage Closes Two Schools", "November 17, 2019 at 7:21 pm",
      "The storm that hit the coast on Sunday night left two schools without power, and the district "
        .. "said that classes would resume on Wednesday at the earliest, once repairs were done." }
    local ctx = helper.run(table.concat(lines, "\n"))
    assert.equal(6, #helper.body(ctx))
    assert.equal("classifier:outside-article", ctx.blocks[#ctx.blocks].rule)
  end)

  it("picks the title above the article", function()
    local ctx = helper.run(page({ "Home", "News", "City Weighs the Cost of a New Bridge", "By Jane Roe" }))
    local b = helper.block(ctx, "City Weighs the Cost of a New Bridge")
    assert.equal("title", b.kind)
    assert.equal("classifier:title", b.rule)
  end)
end)

describe("the classifier", function()
  it("keeps a heading in capitals between body paragraphs", function()
    for _, h in ipairs({ "HOW TO USE A WATER BATH CANNER", "USING HONEY INSTEAD OF SUGAR" }) do
      local ctx = helper.run(table.concat({ helper.prose[1], h, helper.prose[2], helper.prose[3] }, "\n"))
      assert.equal("body", helper.block(ctx, h).kind, h)
    end
  end)

  it("keeps a short heading between body paragraphs", function()
    local ctx = helper.run(table.concat({ helper.prose[1], "The cost", helper.prose[2], helper.prose[3] }, "\n"))
    local b = helper.block(ctx, "The cost")
    assert.equal("body", b.kind)
    assert.matches("^classifier:", b.rule)
  end)

  it("keeps a numbered list that a sentence ending in a colon announces", function()
    local ctx = helper.run(page(nil, { "Here are the deals that we liked best this week, in order:",
      "1) Lego Star Wars Bomber", "http://amzn.to/2iJFhRj", "[1-300x300]",
      "2) Polistil Electric Track", "http://amzn.to/2hZfWFJ",
      "3) Blade Runner The Final Cut (4K Ultra HD)", "http://amzn.to/2hWEIX7",
      "Leave a Reply" }))
    assert.equal("classifier:list-intro",
      helper.block(ctx, "Here are the deals that we liked best this week, in order:").rule)
    assert.equal("classifier:numbered-list", helper.block(ctx, "2) Polistil Electric Track").rule)
    assert.equal("body", helper.block(ctx, "http://amzn.to/2hZfWFJ").kind)
    assert.equal("body", helper.block(ctx, "3) Blade Runner The Final Cut (4K Ultra HD)").kind)
    assert.not_equal("body", helper.block(ctx, "[1-300x300]").kind)
    assert.not_equal("body", helper.block(ctx, "Leave a Reply").kind)
  end)

  it("keeps numbered steps and table rows, not numbered headlines or references", function()
    local steps = { "1. Fill the canner with water and set it to simmer.",
      "2. Core and peel the pears and put them in a pot with the lemon juice.",
      "3. Boil the jam until it is thick enough to stick to the spoon." }
    local rows = { "1 Kyle Busch 5040 5 1 17 27", "2 Martin Truex Jr. 5035 7 0 15 24",
      "3 Kevin Harvick 5033 4 6 15 26", "4 Denny Hamlin 5027 6 3 19 24", "5 Joey Logano 2380 2 3 12 21" }
    local heads = { "1. Mayor Opens New Library Branch", "2. City Council Votes on Parking Fees",
      "3. Storm Damage Closes Two Schools" }
    local refs = { "1. Roe JA, Doe B, Smith C. Diet quality and the risk of heart disease in women. J Nutr. 2011;94(1):247-53.",
      "2. Doe B, Roe JA, Lee K. Trends in the quality of the diet of adults in the states. JAMA. 2014;174(10):1587-95.",
      "3. Lee K, Doe B, Roe JA. The quality of the diet and the risk of a chronic disease. Am J Nutr. 2002;76(6):1261-71." }
    for _, case in ipairs({ { steps, "body" }, { rows, "body" }, { heads, nil }, { refs, nil } }) do
      local lines = { "Menu", "Ingredients and more" }
      for _, l in ipairs(case[1]) do lines[#lines + 1] = l end
      lines[#lines + 1] = "Sign in"
      local ctx = helper.run(page(nil, lines))
      local b = helper.block(ctx, case[1][2])
      if case[2] then
        assert.equal(case[2], b.kind, case[1][2])
        assert.equal("classifier:numbered-list", b.rule)
      else
        assert.not_equal("classifier:numbered-list", b.rule, case[1][2])
      end
    end
  end)

  it("drops the author box at the article's end, not a heading inside the article", function()
    local bio = "Jane Roe covers city hall for the paper and has written about local politics for ten years. "
      .. "Before that she worked as a teacher in the north of the county, and she is the author of two books "
      .. "about the history of the river and the people who live on it."
    local ctx = helper.run(page(nil, { "About Jane Roe", bio, "Share" }))
    assert.not_equal("body", helper.block(ctx, "About Jane Roe").kind)
    assert.equal("classifier:author-box", helper.block(ctx, bio).rule)
    assert.equal(3, #helper.body(ctx))
    ctx = helper.run(page(nil, { "Über Moritz Bachmann", bio }))
    assert.equal("classifier:author-box", helper.block(ctx, "Über Moritz Bachmann").rule)
    ctx = helper.run(table.concat({ helper.prose[1], "About the bridge", helper.prose[2], helper.prose[3] }, "\n"))
    assert.equal("body", helper.block(ctx, "About the bridge").kind)
    local p = helper.prose
    ctx = helper.run(table.concat({ p[1], p[2], p[3], "Über Moritz Bachmann", (p[1]:gsub("bridge", "tunnel")),
      (p[2]:gsub("city", "town")), (p[3]:gsub("river", "lake")) }, "\n"))
    assert.equal("body", helper.block(ctx, "Über Moritz Bachmann").kind)
  end)

  it("drops short lines between navigation", function()
    local ctx = helper.run(page({ "World", "Business", "Opinion", "Weather", "Sport", "Culture", "Travel" }))
    local b = helper.block(ctx, "Opinion")
    assert.not_equal("body", b.kind)
    assert.matches("^classifier:short%-", b.rule)
    assert.equal(3, #helper.body(ctx))
  end)

  it("works on German text with the German stopwords, without English rules", function()
    local de = {
      "Die Regierung hat am Dienstag einen neuen Plan für den Ausbau der Bahn vorgestellt, der in den "
        .. "nächsten zehn Jahren umgesetzt werden soll und nach Angaben des Ministeriums viel Geld kostet.",
      "Kritiker sagen, dass die Pläne zu spät kommen und dass die Bahn schon heute nicht genug Personal "
        .. "hat, um den Betrieb auf allen Strecken sicher und pünktlich zu führen.",
      "Views expressed here do not necessarily reflect those of the editors",
      "Share",
    }
    local ctx = helper.run(table.concat(de, "\n"))
    assert.equal("de", ctx.language)
    assert.equal(2, #helper.body(ctx))
    -- an English pattern rule does not run on German text; a whole-line UI phrase does
    assert.not_equal("default:views-disclaimer",
      helper.block(ctx, "Views expressed here do not necessarily reflect those of the editors").rule)
    assert.equal("default:share", helper.block(ctx, "Share").rule)
  end)

  it("handles long runs of placeholders, bullets and menus without hitting match limits", function()
    for _, text in ipairs({ ("[ "):rep(300000), ("\226\128\162 "):rep(300000), ("Home | "):rep(200000),
        ("a"):rep(1000000) .. "b" }) do
      local ctx = helper.run(text)
      assert.equal(1, #ctx.blocks)
    end
  end)

  it("handles empty input, a single word and binary junk", function()
    assert.same({}, helper.run("").blocks)
    local ctx = helper.run("word")
    assert.equal(1, #ctx.blocks)
    ctx = helper.run("\0\255\254 \1\2\3 junk\n\n" .. ("x"):rep(100000))
    for _, b in ipairs(ctx.blocks) do assert.is_string(b.kind) end
  end)
end)

describe("lede.classify.cf_class", function()
  local state = classify.compile({})
  local en = classify.stopwords("en")

  it("calls long prose good, menus bad and short lines short", function()
    assert.equal("good", (classify.cf_class(core.features(helper.prose[1], 1, -1, en), state, true)))
    assert.equal("bad", (classify.cf_class(core.features("Home | News | Sport | Weather", 1, -1, en), state, true)))
    assert.equal("short", (classify.cf_class(core.features("Read this", 1, -1, en), state, true)))
  end)

  it("leaves numbers out of the stopword density (scores, prices)", function()
    local scores = "Australia beat Colombia behind Nick Kyrgios’ 6-4, 6-4 win over Alejandro Gonzalez and "
      .. "Alex de Minaur’s 6-4, 6-3 victory over Daniel Elahi Galan."
    assert.not_equal("bad", (classify.cf_class(core.features(scores, 1, -1, en), state, true)))
  end)
end)

describe("lede.classify.detect_language", function()
  it("tells English from other languages", function()
    assert.equal("en", classify.detect_language(table.concat(helper.prose, " ")))
    assert.equal("fr", classify.detect_language("Le gouvernement a présenté mardi un plan pour les "
      .. "transports qui sera mis en place dans les dix prochaines années, selon le ministère."))
    assert.is_nil(classify.detect_language(""))
    assert.is_nil(classify.detect_language("12345 67890"))
  end)

  it("needs three of a language's frequent words", function()
    -- ("to" and the "s" of "Argentina's" are Czech words too)
    local s = "BUENOS AIRES (Reuters) - Argentina's annual inflation rate slowed to 117."
    assert.is_nil(classify.detect_language(s))
    assert.equal("en", require("lede").new():extract(s).meta.language)
    assert.equal("de", classify.detect_language("Die Daten werden in der Klinik importiert."))
  end)
end)

describe("core.features", function()
  local ws = core.wordset({ "the", "of", "don't", "he", "said", "so" })

  it("counts words, stopwords, capitals and sentences", function()
    local f = core.features("The cat of the Don’t house. He said so!", 1, -1, ws)
    assert.equal(9, f.words)
    assert.equal(7, f.stopwords)
    assert.equal(3, f.title_words)
    assert.equal(2, f.sentences)
    assert.is_true(f.ends_sentence)
    assert.near(7 / 9, f.stopword_density, 1e-9)
  end)

  it("does not count the number of a list item as a sentence", function()
    assert.equal(0, core.features("1. Mayor opens new library branch").sentences)
    assert.equal(1, core.features("12. Mayor opens new library branch. More").sentences)
    assert.equal(2, core.features("Mayor opens a branch. 2. More").sentences)
  end)

  it("gives the same counts with a set table", function()
    local set = { the = true, of = true, ["don't"] = true, he = true, said = true, so = true }
    assert.equal(7, core.features("The cat of the Don’t house. He said so!", 1, -1, set).stopwords)
  end)

  it("measures a range with 1-based inclusive positions", function()
    local s = "xx Home | World | Business yy"
    local f = core.features(s, 4, 26)
    assert.equal(3, f.words)
    assert.equal(2, f.separators)
    assert.is_true(f.menu_like)
    assert.equal("home | world | business", f.key)
  end)

  it("sees bullets, camel glue, links and the phrase key", function()
    local f = core.features("  • Community standardsDiscussion »")
    assert.is_true(f.bullet)
    assert.equal(1, f.camel)
    assert.equal("community standardsdiscussion", f.key)
    assert.equal(2, core.features("see https://x.com and www.bbc.co.uk").urls)
    assert.is_false(core.features(("word "):rep(100)).key)
  end)

  it("counts multi-byte characters once and accepts invalid UTF-8 and NULs", function()
    local f = core.features("Ünïcödé ÉTÉ")
    assert.equal(10, f.chars)
    assert.equal(1, f.upper_words)
    f = core.features("\0\255\254abc")
    assert.equal(1, f.words)
    assert.equal(0, core.features("").words)
  end)

  it("raises on a bad stopwords argument", function()
    assert.has_error(function() core.features("a", 1, -1, 5) end)
  end)
end)

describe("core.block_features", function()
  it("gives what core.features gives for each block, from strings or tables with text", function()
    local en = classify.stopwords("en")
    local texts = { "The cat of the Don’t house. He said so!", "  • Community standardsDiscussion »",
      "Ünïcödé ÉTÉ", "\0\255\254abc", "", ("word "):rep(100), "Home | News | Sport | Weather" }
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = (k % 2 == 0) and t or { text = t } end
    local all = core.block_features(blocks, en)
    assert.equal(#texts, #all)
    for k, t in ipairs(texts) do assert.same(core.features(t, 1, -1, en), all[k]) end
    assert.same(core.features("a b", 1, -1, { a = true }), core.block_features({ "a b" }, { a = true })[1])
    assert.same({}, core.block_features({}))
  end)

  it("raises on a block without text or a bad stopwords argument", function()
    assert.matches("block 2 has no text", select(2, pcall(core.block_features, { "a", {} })), 1, true)
    assert.has_error(function() core.block_features({ "a" }, 5) end)
  end)

  it("sets only the fields asked for, with the values core.features gives", function()
    local en = classify.stopwords("en")
    local t = "The cat of the Don’t house. He said so!"
    local f = core.block_features({ t, { text = "\0\255x" } }, en, { fields = { "words", "key", "ends_sentence", "words" } })
    local full = core.features(t, 1, -1, en)
    assert.same({ words = full.words, key = full.key, ends_sentence = true }, f[1])
    assert.same({ words = 1, key = "x", ends_sentence = false }, f[2])
    assert.same({ {} }, core.block_features({ "a b" }, nil, { fields = {} }))
  end)

  it("fills the tables of into, and sets a metatable on new ones", function()
    local en = classify.stopwords("en")
    local old = { { words = 99, extra = 1 } }
    local mt = {}
    local out = core.block_features({ "the cat", "a dog" }, en, { fields = { "words", "stopwords" }, into = old, metatable = mt })
    assert.equal(old, out)
    assert.same({ words = 2, stopwords = 1, extra = 1 }, out[1])
    assert.is_nil(getmetatable(out[1]))
    assert.equal(mt, getmetatable(out[2]))
    assert.same({ words = 2, stopwords = 1 }, out[2])
  end)

  it("raises on an unknown option or field, naming it", function()
    assert.matches("unknown option 'field'", select(2, pcall(core.block_features, { "a" }, nil, { field = {} })), 1, true)
    assert.matches("unknown field 'wordz'", select(2, pcall(core.block_features, { "a" }, nil, { fields = { "wordz" } })), 1, true)
    assert.matches("fields[1] is not a string", select(2, pcall(core.block_features, { "a" }, nil, { fields = { 1 } })), 1, true)
    assert.has_error(function() core.block_features({ "a" }, nil, { into = 5 }) end)
    assert.has_error(function() core.block_features({ "a" }, nil, 5) end)
  end)
end)

describe("core.phrase_key", function()
  it("gives the key field of core.features", function()
    for _, t in ipairs({ "  • Community standards »", "Don’t  STOP\tme.", "", "...", "\0\255\254abc",
        "ÉTÉ Ünïcödé!", ("word "):rep(100), ("x"):rep(160) }) do
      assert.equal(core.features(t).key, core.phrase_key(t))
    end
    assert.equal("don't stop me", core.phrase_key("Don’t  STOP\tme."))
    assert.is_false(core.phrase_key(("x"):rep(161)))
  end)

  it("raises on a non-string", function()
    assert.has_error(function() core.phrase_key({}) end)
  end)
end)

describe("core.block_classes", function()
  local en = classify.stopwords("en")
  local state = classify.compile({})
  local opts = { length_low = state.length_low, length_high = state.length_high,
                 stopwords_low = state.stopwords_low, stopwords_high = state.stopwords_high,
                 menu_title_share = state.menu_title_share, has_stop = true, repeats = true }

  it("gives every block the class and reason of cf_class", function()
    local texts = {}
    for k, t in ipairs({ helper.prose[1], "Home | News | Sport | Weather", "Read this", "", "http://x.example/a b",
        "\0\255 broken ütf", helper.prose[2] }) do
      texts[k] = { text = t }
    end
    local feats, flat = core.block_features(texts, en, { flat = true })
    assert.equal(#texts, #flat)
    assert.equal("lede.Features(7 blocks)", tostring(flat))
    local cls, why = core.block_classes(texts, flat, opts)
    for k = 1, #texts do
      local c, w = classify.cf_class(feats[k], state, true)
      assert.equal(c, cls[k])
      assert.equal(c == "good" and w == "good" and "good" or w, why[k])
    end
  end)

  it("marks long texts the page repeats, but the first copy of a doubled article", function()
    local p = helper.prose[1]
    local blocks = { { text = p }, { text = "Short one" }, { text = p } }
    local _, flat = core.block_features(blocks, en, { flat = true })
    local cls, why, changed = core.block_classes(blocks, flat, opts)
    assert.is_true(changed)
    assert.same({ "good", "short", "bad" }, cls)
    assert.equal("repeated", why[3])
  end)

  it("tells texts with the same ends apart, and drops every copy of a repeated teaser", function()
    local head = "The council met on Monday to talk about the new bridge, and "
    local tail = " and the vote will be held in the spring when the money is there."
    local a, b = head .. "the mayor said it was needed" .. tail, head .. "the mayor said it was not needed" .. tail
    local teaser = "Ten things to know about the bridge that the council wants to build"
    local blocks = { { text = a }, { text = teaser }, { text = b }, { text = teaser }, { text = a } }
    local _, flat = core.block_features(blocks, en, { flat = true })
    local cls, why = core.block_classes(blocks, flat, opts)
    assert.equal("good", cls[3])
    assert.equal("repeated", why[1])
    assert.equal("repeated", why[5])
    assert.equal("bad", cls[2])
    assert.equal("bad", cls[4])
  end)

  it("fills two lede.Labels as it fills the tables, and the passes after it read them alike", function()
    local p = helper.prose[1]
    local blocks = { { text = "Home | News | Sport | Weather" }, { text = p }, { text = "Read this" },
      { text = helper.prose[2] }, { text = "Short one" }, { text = p } }
    local _, flat = core.block_features(blocks, en, { flat = true })
    local cls_l, why_l = core.labels(), core.labels()
    -- (labels used before, for more blocks, are made those of these ones)
    core.block_classes({ { text = p }, { text = p }, { text = p }, { text = p }, { text = p }, { text = p },
      { text = p } }, select(2, core.block_features({ p, p, p, p, p, p, p }, en, { flat = true })), opts,
      cls_l, why_l)
    why_l[7] = "mine"
    local cls, why, changed = core.block_classes(blocks, flat, opts)
    local cls2, why2, changed2 = core.block_classes(blocks, flat, opts, cls_l, why_l)
    assert.equal(cls_l, cls2)
    assert.equal(why_l, why2)
    assert.equal(changed, changed2)
    assert.equal(#blocks, #cls2)
    assert.matches("^lede.Labels", tostring(cls2))
    for k = 1, #blocks do
      assert.equal(cls[k], cls2[k])
      assert.equal(why[k], why2[k])
    end
    assert.is_nil(cls2[0])
    assert.is_nil(cls2[#blocks + 1])
    -- (written from Lua: any value, a string of the classifier's or another)
    why2[3], why[3] = "list-intro", "list-intro"
    cls2[3], cls[3] = "good", "good"
    assert.equal("list-intro", why2[3])
    local ropts = { neighbour_reach = 4, cluster_gap = 6, cluster_keep = 0.2, has_stop = true }
    assert.same({ core.revise_classes(cls, why, {}, flat, ropts) },
      { core.revise_classes(cls2, why2, {}, flat, ropts) })
    assert.same({ core.good_span(cls, #blocks) }, { core.good_span(cls2, #blocks) })
    assert.equal(core.lede_text(blocks, flat, cls, 1, 150), core.lede_text(blocks, flat, cls2, 1, 150))
    for k = 1, #blocks do
      assert.equal(cls[k], cls2[k])
      assert.equal(why[k], why2[k])
    end
    why2[1] = nil
    assert.is_nil(why2[1])
    why2[1] = true
    assert.is_true(why2[1])
    assert.matches("out of 1..6", select(2, pcall(function() cls2[7] = "good" end)), 1, true)
    assert.matches("integer", select(2, pcall(function() return cls2.x end)), 1, true)
    assert.matches("twice", select(2, pcall(core.block_classes, blocks, flat, opts, cls_l, cls_l)), 1, true)
  end)

  it("raises on a missing threshold or a bad flat", function()
    local _, flat = core.block_features({ "a" }, en, { flat = true })
    assert.matches("length_low", select(2, pcall(core.block_classes, { "a" }, flat, {})), 1, true)
    assert.has_error(function() core.block_classes({ "a" }, {}, opts) end)
  end)
end)

describe("core.pool_tables", function()
  it("gives the pool's tables, then new ones that join it up to max", function()
    local mt = {}
    local a, b = {}, {}
    local pool = { a, b }
    local t = core.pool_tables(pool, 4, mt, 3)
    assert.equal(4, #t)
    assert.equal(a, t[1])
    assert.equal(b, t[2])
    assert.equal(mt, getmetatable(t[3]))
    assert.equal(mt, getmetatable(t[4]))
    assert.same({ a, b, t[3] }, pool)
    assert.equal(t[3], pool[3])
  end)

  it("gives fewer tables than the pool has, and none for n <= 0", function()
    local a, b = {}, {}
    local pool = { a, b }
    local t = core.pool_tables(pool, 1, {}, 10)
    assert.equal(1, #t)
    assert.equal(a, t[1])
    assert.equal(2, #pool)
    assert.same({}, core.pool_tables(pool, 0, {}, 10))
    assert.same({}, core.pool_tables(pool, -3, {}, 10))
  end)

  it("raises on bad arguments", function()
    assert.has_error(function() core.pool_tables(nil, 1, {}, 1) end)
    assert.has_error(function() core.pool_tables({}, 1, nil, 1) end)
    assert.has_error(function() core.pool_tables({}, nil, {}, 1) end)
    assert.has_error(function() core.pool_tables({}, 1, {}) end)
  end)
end)

describe("core.block_features with flat", function()
  it("counts the stopwords alone as the whole measure does, and updates a flat", function()
    local en, de = classify.stopwords("en"), classify.stopwords("de")
    local texts = { "Der Hund und die Katze don’t run", "THE Über-Straße's  \0\255 und und", "",
                    ("und "):rep(40), "a’b ’x don'’t _und_ und'" }
    local feats, flat = core.block_features(texts, en, { fields = { "words", "stopwords" }, flat = true })
    local same = core.block_features(texts, en, { fields = { "stopwords" }, into = feats, flat = flat })
    assert.equal(feats, same)
    for k, t in ipairs(texts) do
      assert.equal(core.features(t, 1, -1, en).stopwords, feats[k].stopwords)
    end
    local _, flat2 = core.block_features(texts, de, { fields = { "stopwords" }, into = feats, flat = flat })
    assert.equal(flat, flat2)
    for k, t in ipairs(texts) do
      assert.equal(core.features(t, 1, -1, de).stopwords, feats[k].stopwords)
    end
    assert.has_error(function() core.block_features({ "a" }, en, { flat = flat }) end)
  end)

  it("counts the words of an alt list in the same pass, which a recount of that list takes", function()
    local en, de, ru = classify.stopwords("en"), classify.stopwords("de"), classify.stopwords("ru")
    local texts = { "Der Hund und die Katze don’t run", "THE Über-Straße's  \0\255 und und", "",
                    ("und "):rep(40), "a’b ’x don'’t _und_ und'", "Это и не он, и она", "ÜBER über Über" }
    local none, flat = core.block_features(texts, en, { fields = {}, tables = false, flat = true, alt = de })
    assert.is_nil(none)
    for k, t in ipairs(texts) do
      -- (the English counts, as without alt)
      assert.equal(core.features(t, 1, -1, en).stopwords, core.feature_record(flat, k)[3])
    end
    local _, same = core.block_features(texts, de, { fields = { "stopwords" }, tables = false, flat = flat })
    assert.equal(flat, same)
    for k, t in ipairs(texts) do
      assert.equal(core.features(t, 1, -1, de).stopwords, core.feature_record(flat, k)[3])
    end
    -- another list than the alt one is counted again
    local _, flat2 = core.block_features(texts, en, { fields = {}, tables = false, flat = true, alt = de })
    core.block_features(texts, ru, { fields = { "stopwords" }, tables = false, flat = flat2 })
    for k, t in ipairs(texts) do
      assert.equal(core.features(t, 1, -1, ru).stopwords, core.feature_record(flat2, k)[3])
    end
    -- other blocks of the same number are counted again
    local others = { "und und", "die", "", "der", "x", "und", "nein" }
    local _, flat3 = core.block_features(texts, en, { fields = {}, tables = false, flat = true, alt = de })
    core.block_features(others, de, { fields = { "stopwords" }, tables = false, flat = flat3 })
    for k, t in ipairs(others) do
      assert.equal(core.features(t, 1, -1, de).stopwords, core.feature_record(flat3, k)[3])
    end
    assert.matches("alt must be a lede.WordSet",
      select(2, pcall(core.block_features, texts, en, { flat = true, alt = {} })), 1, true)
  end)

  it("with tables = false makes no tables and updates the flat alone", function()
    local en, de = classify.stopwords("en"), classify.stopwords("de")
    local texts = { "Der Hund und die Katze don’t run", "THE Über-Straße's  \0\255 und und", "" }
    local none, flat = core.block_features(texts, en, { tables = false, flat = true })
    assert.is_nil(none)
    for k, t in ipairs(texts) do assert.equal(core.features(t, 1, -1, en).words, core.feature_record(flat, k)[1]) end
    local none2, flat2 = core.block_features(texts, de, { fields = { "stopwords" }, tables = false, flat = flat })
    assert.is_nil(none2)
    assert.equal(flat, flat2)
    for k, t in ipairs(texts) do
      assert.equal(core.features(t, 1, -1, de).stopwords, core.feature_record(flat, k)[3])
    end
    assert.matches("needs flat", select(2, pcall(core.block_features, texts, en, { tables = false })), 1, true)
  end)

  it("measures other blocks into a reused flat when it has room, else into a new one", function()
    local en, de = classify.stopwords("en"), classify.stopwords("de")
    local texts = { "Der Hund und die Katze don’t run", "THE Über-Straße's  \0\255 und und", "",
                    ("und "):rep(40), "a’b ’x don'’t _und_ und'", "Это и не он, и она" }
    local _, flat = core.block_features(texts, en, { tables = false, flat = true })
    local _, spare = core.block_features({ "x", "y" }, en, { tables = false, flat = true,
      reuse = select(2, core.block_features({ "z" }, en, { tables = false, flat = true })) })
    -- (two blocks into one of room for one: a new one, with room to spare)
    assert.equal(2, #spare)
    local _, same = core.block_features(texts, en, { tables = false, flat = true, reuse = spare, alt = de })
    assert.equal(spare, same)
    assert.equal(#texts, #same)
    for k = 1, #texts do
      assert.same(core.feature_record(flat, k), core.feature_record(same, k))
    end
    -- (the alt counts of the reused one are its own blocks')
    core.block_features(texts, de, { fields = { "stopwords" }, tables = false, flat = same })
    for k, t in ipairs(texts) do
      assert.equal(core.features(t, 1, -1, de).stopwords, core.feature_record(same, k)[3])
    end
    -- fewer blocks: the others are gone
    local _, fewer = core.block_features({ "The cat" }, en, { tables = false, flat = true, reuse = same })
    assert.equal(same, fewer)
    assert.equal(1, #fewer)
    assert.equal(2, core.feature_record(fewer, 1)[1])
    assert.is_nil(core.feature_value(fewer, 2, 1))
    assert.matches("reuse must be a lede.Features",
      select(2, pcall(core.block_features, texts, en, { flat = true, reuse = {} })), 1, true)
  end)

  it("with no fields leaves the tables of into empty", function()
    local old = { {} }
    local mt = {}
    local out, flat = core.block_features({ "the cat", "a dog" }, nil, { fields = {}, into = old, metatable = mt, flat = true })
    assert.equal(old, out)
    assert.same({ {}, {} }, out)
    assert.equal(mt, getmetatable(out[2]))
    assert.equal(2, core.feature_record(flat, 2)[1])
  end)
end)

describe("core.rule_hits", function()
  it("reads the words of the flat features as it reads the tables", function()
    local state = helper.states().classify
    local ctx = helper.run(helper.read(SEED))
    local blocks = ctx.blocks
    local feats, flat = core.block_features(blocks, classify.stopwords("en"), { flat = true })
    local a = core.rule_hits(blocks, feats, state.packs, 1, #blocks, #blocks, "en", 5, #blocks - 5)
    local b = core.rule_hits(blocks, flat, state.packs, 1, #blocks, #blocks, "en", 5, #blocks - 5)
    assert.is_true(next(a) ~= nil)
    assert.same(a, b)
    local _, short = core.block_features({ "a" }, nil, { flat = true })
    assert.matches("no features for block 2", select(2, pcall(core.rule_hits, blocks, short, state.packs, 1, 2, 2)),
      1, true)
  end)

  it("keeps what it reads of a pack whose _prep is false, and reads it back alike", function()
    local state = helper.states().classify
    local ctx = helper.run(helper.read(SEED))
    local blocks = ctx.blocks
    local _, flat = core.block_features(blocks, classify.stopwords("en"), { flat = true })
    -- (the same packs, read anew by every call: no _prep)
    local fresh = {}
    for n, c in ipairs(state.packs) do
      local t = {}
      for k, v in pairs(c) do t[k] = v end
      t._prep = nil
      fresh[n] = t
    end
    local a = core.rule_hits(blocks, flat, fresh, 1, #blocks, #blocks, "en", 5, #blocks - 5)
    assert.is_nil(fresh[1]._prep)
    for _, t in ipairs(fresh) do t._prep = false end
    local b = core.rule_hits(blocks, flat, fresh, 1, #blocks, #blocks, "en", 5, #blocks - 5)
    assert.equal("userdata", type(fresh[1]._prep))
    assert.matches("lede.RulePrep", tostring(fresh[1]._prep), 1, true)
    local c = core.rule_hits(blocks, flat, fresh, 1, #blocks, #blocks, "en", 5, #blocks - 5)
    assert.is_true(next(a) ~= nil)
    assert.same(a, b)
    assert.same(a, c)
    -- (another userdata as _prep is not taken for one)
    fresh[1]._prep = flat
    assert.same(a, core.rule_hits(blocks, flat, fresh, 1, #blocks, #blocks, "en", 5, #blocks - 5))
  end)
end)

describe("core.feature_record", function()
  it("gives the fields the flat features keep, as core.features gives them", function()
    local en = classify.stopwords("en")
    local texts = { "The cat of the Don’t house. He said so!", "  • Community standardsDiscussion »",
      "Ünïcödé ÉTÉ 2024 iPhone", "\0\255\254abc", "", "Home | News | Sport | Weather", "Read on:" }
    local _, flat = core.block_features(texts, en, { tables = false, flat = true })
    local names = { "words", "chars", "stopwords", "number_words", "commas", "sentences", "ends_sentence",
      "title_share", "urls", "lower_words", "bullet", "digits", "camel", "ends_colon", "menu_like", "punct" }
    for k, t in ipairs(texts) do
      local full, r = core.features(t, 1, -1, en), core.feature_record(flat, k)
      local n = 0
      for _ in pairs(r) do n = n + 1 end
      assert.equal(#names, n)
      for q, name in ipairs(names) do
        assert.equal(full[name], r[q])
        assert.equal(math.type(full[name]), math.type(r[q]))
      end
    end
    assert.is_nil(core.feature_record(flat, 0))
    assert.is_nil(core.feature_record(flat, #texts + 1))
    assert.has_error(function() core.feature_record({}, 1) end)
  end)
end)

describe("core.feature_value", function()
  it("gives fields of block k's core.feature_record, without the record", function()
    local en = classify.stopwords("en")
    local texts = { "The cat of the Don’t house. He said so!", "  • Community standardsDiscussion »",
      "Ünïcödé ÉTÉ 2024 iPhone", "\0\255\254abc", "", "Home | News | Sport | Weather", "Read on:" }
    local _, flat = core.block_features(texts, en, { tables = false, flat = true })
    for k = 1, #texts do
      local r = core.feature_record(flat, k)
      for q = 1, 16 do
        local v = core.feature_value(flat, k, q)
        assert.equal(r[q], v)
        assert.equal(math.type(r[q]), math.type(v))
      end
      assert.same({ r[1], r[4], r[7] }, { core.feature_value(flat, k, 1, 4, 7) })
      assert.is_nil(core.feature_value(flat, k, 17))
      assert.is_nil(core.feature_value(flat, k, 0))
    end
    assert.equal(0, select("#", core.feature_value(flat, 1)))
    assert.is_nil(core.feature_value(flat, 0, 1))
    assert.is_nil(core.feature_value(flat, #texts + 1, 1))
    assert.has_error(function() core.feature_value({}, 1, 1) end)
    assert.has_error(function() core.feature_value(flat, 1, "words") end)
  end)
end)

describe("core.feature_records", function()
  it("makes block k's core.feature_record when first read, and keeps it", function()
    local en = classify.stopwords("en")
    local texts = { "The cat of the house. He said so!", "Home | News | Sport | Weather", "" }
    local _, flat = core.block_features(texts, en, { tables = false, flat = true })
    local recs = core.feature_records(flat)
    assert.is_nil(rawget(recs, 2))
    for k = 1, #texts do
      assert.same(core.feature_record(flat, k), recs[k])
      assert.equal(recs[k], rawget(recs, k))
    end
    assert.is_nil(recs[0])
    assert.is_nil(recs[#texts + 1])
    assert.is_nil(recs[1.5])
    assert.is_nil(recs.words)
    assert.has_error(function() core.feature_records({}) end)
  end)
end)

describe("core.profile_counts", function()
  -- (what the Lua loop it replaces gave)
  local function reference(text, index, fold, max)
    if fold then text = text:lower() end
    local counts, words = {}, 0
    for w in text:gmatch("[^%s%p%d]+") do
      words = words + 1
      local l = index[w] or (not fold and index[w:lower()])
      if l then
        for _, n in ipairs(l) do counts[n] = (counts[n] or 0) + 1 end
      end
      if words >= max then break end
    end
    return words, counts
  end

  it("counts the words of each profile as a pattern loop does", function()
    local index = { the = { 1 }, de = { 2, 3 }, la = { 2, 4 }, ["été"] = { 3 }, x = { 5, nil, 6 } }
    for _, t in ipairs({ "The cat de LA la 12de été\0x\1x", "", "...", ("the "):rep(500),
        "ÉTÉ de\255la\127the", "x_x x-x x.x THE" }) do
      for _, fold in ipairs({ true, false }) do
        local w1, c1 = core.profile_counts(t, index, fold, 400)
        local w2, c2 = reference(t, index, fold, 400)
        assert.equal(w2, w1)
        assert.same(c2, c1)
      end
    end
    assert.has_error(function() core.profile_counts("x", nil, true, 5) end)
  end)
end)

describe("core.profile_index", function()
  it("gives core.profile_counts the counts of the table it compiles", function()
    local index = { the = { 1 }, de = { 2, 3 }, la = { 2, 4 }, ["été"] = { 3 }, x = { 5, nil, 6 },
      THE = { 7, 7 }, no = false, yes = true, ["a\0b"] = { 8 } }
    local compiled = core.profile_index(index)
    assert.equal(8, #compiled)
    assert.truthy(tostring(compiled):find("lede.ProfileIndex", 1, true))
    for _, t in ipairs({ "The cat de LA la 12de été\0x\1x", "", "...", ("the "):rep(500),
        "ÉTÉ de\255la\127the", "x_x x-x x.x THE", "No no YES yes a\0b A\0B" }) do
      for _, fold in ipairs({ true, false }) do
        for _, max in ipairs({ 400, 3, 0 }) do
          local w1, c1 = core.profile_counts(t, index, fold, max)
          local w2, c2 = core.profile_counts(t, compiled, fold, max)
          assert.equal(w1, w2)
          assert.same(c1, c2)
        end
      end
    end
  end)

  it("raises on numbers out of 1..255 and on long words", function()
    assert.has_error(function() core.profile_index({ a = { 0 } }) end)
    assert.has_error(function() core.profile_index({ a = { 256 } }) end)
    assert.has_error(function() core.profile_index({ a = { "x" } }) end)
    assert.has_error(function() core.profile_index({ [("a"):rep(256)] = { 1 } }) end)
    assert.has_error(function() core.profile_index("x") end)
    assert.has_error(function() core.profile_counts("x", io.stdout, true, 5) end)
  end)
end)

describe("core.revise_classes", function()
  it("revises short and near-good blocks from their neighbours", function()
    local en = classify.stopwords("en")
    local p = helper.prose[1]
    local texts = { p, "A short line", p, "Menu", "Menu two", p, "Tail" }
    local _, flat = core.block_features(texts, en, { flat = true })
    local cls = { "good", "short", "good", "bad", "short", "good", "short" }
    local why = { "good", "short", "good", "menu", "short", "good", "short" }
    local first, last = core.revise_classes(cls, why, {}, flat, { neighbour_reach = 4, cluster_gap = 6,
                                                                   cluster_keep = 0.2, has_stop = true })
    assert.same({ "good", "good", "good", "bad", "bad", "good", "bad" }, cls)
    assert.same({ 1, 6 }, { first, last })
    assert.equal("short-between-good", why[2])
    assert.equal("short-at-edge", why[7])
    assert.equal("short-at-edge", why[5])
  end)

  it("gives the first and last good block after the revision, or nil", function()
    local en = classify.stopwords("en")
    local _, flat = core.block_features({ "Menu", "Home" }, en, { flat = true })
    local opts = { neighbour_reach = 4, cluster_gap = 6, cluster_keep = 0.2, has_stop = true }
    assert.same({ nil, nil }, { core.revise_classes({ "bad", "short" }, { "menu", "short" }, {}, flat, opts) })
    local cls = { "short", "good" }
    assert.same({ 2, 2 }, { core.revise_classes(cls, { "short", "good" }, {}, flat, opts) })
    assert.same({ "bad", "good" }, cls)
  end)
end)

describe("core.good_span", function()
  it("gives the first and last good block, or nil", function()
    assert.same({ 2, 4 }, { core.good_span({ "bad", "good", "short", "good", "good" }, 4) })
    assert.same({ nil, nil }, { core.good_span({ "bad", "short" }, 2) })
    assert.same({ nil, nil }, { core.good_span({}, 0) })
    assert.same({ 1, 1 }, { core.good_span({ "good" }, 1) })
    assert.same({ 1, 1 }, { core.good_span({ "good", "bad", "good" }, 2) })
    assert.same({ 3, 3 }, { core.good_span({ "bad", "short", "good", "bad" }, 4) })
    assert.has_error(function() core.good_span(nil, 1) end)
  end)
end)

describe("core.number_starts", function()
  it("lists the blocks with number words that start with a digit, not a bracket", function()
    local en = classify.stopwords("en")
    local texts = { "1. Mix the flour", "(2) Whisk", "Step 3 then", "4", "", "10 Goals 3 2 1", "7 é" }
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    assert.same({ 1, 6, 7 }, core.number_starts(blocks, flat))
    assert.same({ 1, 6, 7 }, core.number_starts(texts, flat))
    assert.has_error(function() core.number_starts(blocks, {}) end)
  end)
end)

describe("core.promote_headings", function()
  it("makes a short bad line right before good text a heading", function()
    local en = classify.stopwords("en")
    local p = helper.prose[1]
    local texts = { "Menu", "Our findings", p, "Short", "Also short", p, "- bullet line", p, "Tail" }
    local _, flat = core.block_features(texts, en, { flat = true })
    local cls = { "bad", "bad", "good", "bad", "bad", "good", "bad", "good", "bad" }
    local why = { "menu", "x", "good", "x", "x", "good", "x", "good", "x" }
    core.promote_headings(cls, why, { [4] = "byline" }, flat, 1, 80)
    assert.same({ "bad", "good", "good", "bad", "good", "good", "bad", "good", "bad" }, cls)
    assert.same({ "menu", "heading", "good", "x", "heading", "good", "x", "good", "x" }, why)
    -- (not below the block given)
    cls[2], why[2] = "bad", "x"
    core.promote_headings(cls, why, {}, flat, 3, 80)
    assert.equal("bad", cls[2])
  end)
end)

describe("core.set_kinds", function()
  it("sets each block's kind and rule", function()
    local en = classify.stopwords("en")
    local texts = { "Intro text here", "Home", "- one", "Footer", "Notes" }
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    local cache = {}
    core.set_kinds(blocks, { "good", "bad", "bad", "bad", "bad" }, { "prose", "menu", "x", "repeated", "y" },
      { [5] = "tags" }, { [5] = "r:tags" }, flat, cache)
    assert.same({ "body", "navigation", "navigation", "boilerplate", "tags" },
      { blocks[1].kind, blocks[2].kind, blocks[3].kind, blocks[4].kind, blocks[5].kind })
    assert.same({ "classifier:prose", "classifier:menu", "classifier:x", "classifier:repeated", "r:tags" },
      { blocks[1].rule, blocks[2].rule, blocks[3].rule, blocks[4].rule, blocks[5].rule })
    assert.equal("classifier:prose", cache.prose)
    assert.has_error(function() core.set_kinds(blocks, {}, {}, {}, {}, flat, cache) end,
      "why[1] must be a string")
    assert.has_error(function() core.set_kinds({}, {}, {}, {}, {}, flat, cache) end,
      "set_kinds: flat is not of these blocks")
  end)
end)

describe("core.lede_words", function()
  it("counts the distinct words of a line the lede has, stopwords left out", function()
    local en = classify.stopwords("en")
    local lede = " the bridges of acme's town were built by nagel in 1990 "
    -- (the lede's own words, as the title picker's Lua loop counted them)
    assert.equal(2, core.lede_words("Nagel’s Bridge: the Town", lede, en))
    assert.equal(4, core.lede_words("Bridges’ bridge Acme’s acmes ACME", lede, en))
    assert.equal(0, core.lede_words("", lede, en))
    assert.equal(1, core.lede_words("1990 1990 a", lede, en))
    assert.equal(0, core.lede_words("\0\255", lede, en))
    assert.has_error(function() core.lede_words("x", lede, {}) end)
  end)

  it("counts each word once in a long text too, and finds words by their rarest byte", function()
    local en = classify.stopwords("en")
    local lede = " the bridges of acme's town were built by nagel in 1990 "
    local long = ("Nagel bridge acme zzz "):rep(100)
    assert.is_true(#long > 1024)
    assert.equal(3, core.lede_words(long, lede, en))
    assert.equal(3, core.lede_words(("Nagel bridge acme zzz "):rep(10), lede, en))
    local many = {}
    for k = 1, 600 do many[k] = "w" .. k end
    assert.equal(0, core.lede_words(table.concat(many, " "), lede, en))
    -- (a word inside another, at the lede's ends, with an "s")
    assert.equal(0, core.lede_words("ridge uilt", lede, en))
    assert.equal(2, core.lede_words("nagels THE 1990", lede, en))
  end)
end)

describe("core.wordset", function()
  it("folds words and answers has", function()
    local ws = core.wordset({ "The", "Don’t", "ÉTÉ" })
    assert.equal(3, #ws)
    assert.is_true(ws:has("the"))
    assert.is_true(ws:has("DON'T"))
    assert.is_true(ws:has("été"))
    assert.is_false(ws:has("of"))
    assert.equal("lede.WordSet(3 words)", tostring(ws))
  end)

  it("takes a set table and rejects non-strings", function()
    assert.equal(2, #core.wordset({ a = true, b = true, c = false }))
    assert.has_error(function() core.wordset({ "a", 2 }) end, "wordset: entry 2 is not a string")
  end)
end)

describe("ctx.features as lede.classify.run leaves it", function()
  it("is an array of one table per block whose every field reads as core.features gives it", function()
    local ctx = helper.run(helper.read(SEED))
    local feats = ctx.features
    assert.equal(#ctx.blocks, #feats)
    local n = 0
    for k, f in ipairs(feats) do
      n = n + 1
      local full = core.features(ctx.blocks[k].text, 1, -1, classify.stopwords(ctx.language or "en"))
      assert.equal(full.words, f.words)
      assert.equal(full.title_share, f.title_share)
      -- (fields measured on first read)
      assert.equal(full.key, f.key)
      assert.equal(full.stopword_density, f.stopword_density)
      for field, v in pairs(full) do assert.equal(v, f[field]) end
      assert.is_nil(f.no_such_field)
    end
    assert.equal(#ctx.blocks, n)
  end)

  it("gives every field to pairs, before any was read", function()
    local ctx = helper.run(helper.read(SEED))
    local k = #ctx.blocks
    local seen = {}
    for field, v in pairs(ctx.features[k]) do seen[field] = v end
    assert.same(core.features(ctx.blocks[k].text, 1, -1, classify.stopwords(ctx.language or "en")), seen)
  end)

  it("is measured afresh for each document, after fields were read on demand", function()
    local states = helper.states()
    local function check(ctx)
      local set = classify.stopwords(ctx.language or "en")
      assert.equal(#ctx.blocks, #ctx.features)
      for k, f in ipairs(ctx.features) do
        for field, v in pairs(core.features(ctx.blocks[k].text, 1, -1, set)) do assert.equal(v, f[field]) end
      end
    end
    local long = helper.run(helper.read(SEED), nil, states)
    check(long)
    check(helper.run(page({ "Home | News | Sport", "Share this" }, { "Related", "More" }), nil, states))
    check(helper.run("Ein kurzer Text. Und der ist nicht lang, aber er ist da und wir haben ihn.\nNoch ein Satz.\n",
      nil, states))
    check(helper.run(helper.read(SEED), nil, states))
  end)
end)

describe("flat features in place of blocks", function()
  it("give the texts the blocks give, to every function that reads them", function()
    local en = classify.stopwords("en")
    local texts = { "Home » News » Big Storm Hits the Coast", "Big Storm Hits the Coast",
      "• 1. Intro", "• 2. The storm", "1. Big Storm Hits the Coast", "Big Storm Hits the Coast cover",
      "Ünïcödé ÉTÉ 2024 — the storm hit the coast on Monday, officials said.",
      "The storm hit the coast on Monday and the rain went on for days, officials said.",
      "Acme Weekly", "Subscribe to Acme Weekly for more", "(c) 2024 Acme Weekly",
      "Politics, Storms, Coast, Weather", "\0\255 bad bytes", "" }
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { tables = false, flat = true })
    local kind = { [9] = "related" }
    local cls = {}
    for k = 1, #texts do cls[k] = k >= 7 and k <= 8 and "good" or "bad" end
    local function both(f, ...)
      local args = { ... }
      local a, b = {}, {}
      for q, v in ipairs(args) do a[q], b[q] = v, v end
      for q, v in ipairs(args) do if v == "BLOCKS" then a[q], b[q] = blocks, flat end end
      assert.same({ f(table.unpack(a, 1, #args)) }, { f(table.unpack(b, 1, #args)) })
    end
    for k = 1, #texts do
      both(core.crumb_above, "BLOCKS", k)
      both(core.repeated_above, texts[k], k, "BLOCKS", 1, #texts)
      both(core.short_forms, texts[k], k, "BLOCKS", 1, #texts)
      both(core.name_hits, texts[k], "BLOCKS", kind, 1, #texts)
    end
    both(core.toc_entries, "BLOCKS", flat, 1, #texts)
    both(core.number_lines, "BLOCKS", flat, 1, #texts, 49)
    both(core.lede_text, "BLOCKS", flat, cls, 1, 150)
    both(core.title_range, "BLOCKS", flat, {}, { ["Big Storm Hits the Coast"] = 3 }, 1, 5, #texts, 7, 30)
    local function tails(b)
      local k2, r2, c2 = {}, {}, {}
      for k = 1, #texts do c2[k] = cls[k] end
      core.tail_lists(b, flat, k2, r2, c2, 9, 5, 25)
      return { k2, r2, c2 }
    end
    assert.same(tails(blocks), tails(flat))
    for _, b in ipairs({ blocks, flat }) do
      assert.has_error(function() core.crumb_above(b, #texts + 1) end, "block " .. (#texts + 1) .. " has no text")
      assert.has_error(function() core.repeated_above("x", 1, b, 1, #texts + 1) end,
        "block " .. (#texts + 1) .. " has no text")
    end
  end)
end)

describe("core.wordset exact", function()
  it("keeps words byte for byte, 1 to 255 bytes", function()
    local long = string.rep("x", 256)
    local ws = core.wordset({ "Read More", "’til", "", long, "read more" }, { exact = true })
    assert.equal(3, #ws)
    assert.is_true(ws:has("Read More"))
    assert.is_true(ws:has("read more"))
    assert.is_true(ws:has("’til"))
    assert.is_false(ws:has("READ MORE"))
    assert.is_false(ws:has(long))
    assert.is_true(core.wordset({ "Read More" }):has("READ MORE"))
  end)
end)

describe("core.word_repeats", function()
  -- (the Lua loop it stands for)
  local function reference(t, words)
    local seen, ctas = {}, 0
    for w in t:lower():gmatch("%a+") do
      seen[w] = (seen[w] or 0) + 1
      if seen[w] == 3 then return 1 end
      if words[w] then ctas = ctas + 1 end
      if ctas == 2 then return 2 end
    end
    return 0
  end
  local list = { "login", "sign", "subscribe", "read", "watch" }
  local set, words = core.wordset(list), {}
  for _, w in ipairs(list) do words[w] = true end

  it("tells a run of letters three times, or two words of the set, whichever comes first", function()
    for _, t in ipairs({ "Part 1 Part 2 Part 3", "Find a Provider Subscribe Login", "Site Facebook Site X",
        "", "Sign", "a b c", "A a a", "Read READ", "SIGNUP sign-in Sign up", "Ünïcödé Ünïcödé Ünïcödé",
        "x1x2x3", "don't don't don't", "\0sign\255login", "Watch the news, then watch it again" }) do
      assert.equal(reference(t, words), core.word_repeats(t, set), t)
    end
  end)

  it("agrees with the loop on random texts", function()
    local parts = { "a", "B", "ab", "Ab", " ", "1", "-", "é", "\255", "sign", "Login", "READ", "x", ".", "\0" }
    math.randomseed(3)
    for _ = 1, 3000 do
      local t = {}
      for q = 1, math.random(0, 30) do t[q] = parts[math.random(#parts)] end
      t = table.concat(t)
      assert.equal(reference(t, words), core.word_repeats(t, set), t)
    end
  end)

  it("gives nil past 96 distinct runs", function()
    local t = {}
    for q = 1, 100 do t[q] = string.rep("a", q) end
    assert.is_nil(core.word_repeats(table.concat(t, " "), set))
    assert.equal(0, core.word_repeats(table.concat(t, " ", 1, 96), set))
    assert.has_error(function() core.word_repeats("x", {}) end)
  end)
end)

describe("core.word_in", function()
  -- (the Lua loop it stands for)
  local function reference(t, words)
    for w in t:lower():gmatch("[%a%-]+") do
      if words[w] then return true end
    end
    return false
  end
  local words = { founder = true, ["co-founder"] = true, ceo = true, editor = true, ["-"] = true }
  local set = core.wordset(words, { exact = true })

  it("tells a run of letters and hyphens, in lower case, that the set holds", function()
    for _, t in ipairs({ "Jane Doe, Co-Founder", "CEO", "Editor-in-chief", "Founders", "", "a - b", "x-",
        "\0ceo\255", "Écrivain", "co founder", "EDITOR", "ceo1", "_ceo_" }) do
      assert.equal(reference(t, words), core.word_in(t, set), t)
    end
  end)

  it("agrees with the loop on random texts", function()
    local parts = { "ceo", "CEO", "co", "-", "Founder", "editor", " ", "é", "\255", "\0", "a", "1", "[", "`", "{", "@" }
    math.randomseed(5)
    for _ = 1, 3000 do
      local t = {}
      for q = 1, math.random(0, 12) do t[q] = parts[math.random(#parts)] end
      t = table.concat(t)
      assert.equal(reference(t, words), core.word_in(t, set), t)
    end
  end)

  it("wants an exact set", function()
    assert.has_error(function() core.word_in("ceo", core.wordset({ "ceo" })) end,
      "word_in: the set must be made with exact = true")
    assert.has_error(function() core.word_in("ceo", {}) end)
  end)
end)

describe("core.title_range", function()
  it("keeps the lines far up that may be a title", function()
    local en = classify.stopwords("en")
    local texts = { "Home / News / Storm Hits Town", "Storm Hits Town", "Short", "Four words here now",
      "A sentence here. Another one.", "- Big", "Crumb end", "x", "y", "z" }
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    local crumbs = { ["Crumb end"] = 9 }
    assert.same({ 1, 2, 4, 7 }, core.title_range(blocks, flat, {}, crumbs, 1, 8, 7, 8, 30, false))
    assert.same({ 1, 4, 7 }, core.title_range(blocks, flat, { [2] = "nav" }, crumbs, 1, 8, 7, 8, 30))
    assert.same({ 1, 2, 3, 4, 5 }, core.title_range(blocks, flat, {}, {}, 1, 8, 5, 8, 30, true))
    assert.has_error(function() core.title_range(blocks, {}, {}, {}, 1, 2, 3, 3, 30) end)
  end)

  it("keeps the lines near the article that may be a headline or a crumb", function()
    local en = classify.stopwords("en")
    local texts = { "Menu", "A Headline About Things", "Tiny one", "- A bulleted headline here",
      "See https://example.com now", "A Headline About Things", "Menu", "Tiny one", "Long " .. ("word "):rep(40) }
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    -- (above block 6 any short line with no kind; from 6 on headlines only)
    assert.same({ 1, 2, 3, 6 }, core.title_range(blocks, flat, {}, {}, 1, 1, 9, 6, 30))
    assert.same({ 1, 3, 6 }, core.title_range(blocks, flat, { [2] = "byline", [6] = "body" }, {}, 1, 1, 9, 6, 30))
    assert.same({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, core.title_range(blocks, flat, {}, {}, 1, 1, 9, 6, 30, true))
  end)
end)

describe("core.title_candidates", function()
  local en = classify.stopwords("en")
  local byline = core.regex([[^\W*by\s]], "i")
  local date = core.regex([[\b(?:19|20)\d\d\b]])
  local function run(texts, kind, cls, lo, first_body, crumb_last)
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    local range = core.title_range(blocks, flat, kind, crumb_last or {}, 1, lo, #texts, first_body, 30, false)
    return core.title_candidates(flat, kind, cls, range, crumb_last or {}, lo, first_body, 30, byline, date)
  end
  local body = "The storm reached the coast on Monday and the town was flooded by the rain that fell all night."

  it("keeps the headline-like lines near the article", function()
    local texts = { "Menu", "Big Storm Hits the Coast Today", "Tiny", "Sign in | Register | Help Desk", body }
    local cand, crumb = run(texts, {}, {}, 1, 5)
    assert.same({ [2] = true }, cand)
    assert.is_nil(crumb)
    -- (a kind of its own, or a date in it, makes none)
    assert.same({}, (run(texts, { [2] = "byline" }, {}, 1, 5)))
    texts[2] = "Big Storm Hits the Coast in June 2024"
    assert.same({}, (run(texts, {}, {}, 1, 5)))
  end)

  it("keeps a line far up with a byline below it, and a breadcrumb's last item", function()
    local texts = { "Big Storm Hits the Coast Today", "By Jane Doe", "x", "y", "z", body }
    assert.same({ [1] = true }, (run(texts, {}, {}, 5, 6)))
    texts[2] = "Jane Doe"
    assert.same({}, (run(texts, {}, {}, 5, 6)))
    local cand, crumb = run({ "Home \194\187 News \194\187 Storm", "Storm", "x", body }, {}, {}, 1, 4)
    assert.same({ [2] = true }, cand)
    assert.same({ [2] = true }, crumb)
    -- (or the last item of a numbered breadcrumb that ends at most four blocks above)
    cand, crumb = run({ "x", "Storm", "y", body }, {}, {}, 1, 4, { Storm = 2 })
    assert.same({ [2] = true }, cand)
    assert.same({ [2] = true }, crumb)
  end)

  it("needs flat features and the two patterns", function()
    assert.has_error(function() core.title_candidates({}, {}, {}, {}, {}, 1, 1, 30, byline, date) end)
    local _, flat = core.block_features({ "a" }, en, { flat = true })
    assert.has_error(function() core.title_candidates(flat, {}, {}, { 1 }, {}, 1, 1, 30, byline, "x") end)
    assert.has_error(function() core.title_candidates(flat, {}, {}, { 2 }, {}, 1, 1, 30, byline, date) end)
  end)
end)

describe("core.title_scores", function()
  local en = classify.stopwords("en")
  local date = core.regex([[\b(?:19|20)\d\d\b]])
  local cta_start = core.regex([[^\W*(?:read more|find out)\b]], "i")
  local sponsor = core.regex([[\bsponsored by\b]], "i")
  local byline = core.regex([[^\W*by\s]], "i")
  local cta = core.wordset({ "sign", "subscribe" }, { exact = true })
  local cta_words = core.wordset({ "sign", "subscribe", "login" })
  local roles = core.wordset({ "editor", "writer" }, { exact = true })
  local body = "The storm reached the coast on Monday and the town was flooded by the rain that fell all night."
  local default_weights = core.title_weights(classify.TITLE_WEIGHTS)
  local function scores(texts, cand, first_body, kind, weights)
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    local range = {}
    for k = 1, #texts do range[k] = k end
    return core.title_scores(flat, kind or {}, range, cand, {}, {}, {}, {}, nil, 1, first_body, date, cta_start,
      sponsor, byline, cta, cta_words, roles, weights or default_weights)
  end

  it("ranks the headline with a byline below it over a call to action", function()
    local texts = { "Subscribe to Our Daily Newsletter Now", "Big Storm Hits the Coast Today", "By Jane Doe", body }
    local list, n = scores(texts, { true, true }, 4, { [3] = "byline" })
    assert.equal(2, n)
    assert.equal(2, list[1])
    assert.equal(1, list[3])
    assert.is_true(list[2] > list[4])
    -- (without the byline right below, the headline scores 2.5 less)
    local list2 = scores(texts, { true, true }, 4)
    assert.is_true(math.abs(list[2] - 2.5 - list2[2]) < 1e-9)
  end)

  it("reads its weights from the table lede.classify keeps", function()
    local texts = { "Subscribe to Our Daily Newsletter Now", "Big Storm Hits the Coast Today", "By Jane Doe", body }
    local w = {}
    for k, v in pairs(classify.TITLE_WEIGHTS) do w[k] = v end
    w.header_below = 0.5
    local list = scores(texts, { true, true }, 4, { [3] = "byline" })
    local list2 = scores(texts, { true, true }, 4, { [3] = "byline" }, core.title_weights(w))
    assert.equal(2, list2[1])
    assert.is_true(math.abs(list[2] - 2 - list2[2]) < 1e-9)
  end)

  it("needs every weight, as a number, and no other", function()
    local w = {}
    for k, v in pairs(classify.TITLE_WEIGHTS) do w[k] = v end
    w.slug = nil
    assert.has_error(function() core.title_weights(w) end, "title_weights: weight 'slug' must be a number, got nil")
    w.slug = "3"
    assert.has_error(function() core.title_weights(w) end, "title_weights: weight 'slug' must be a number, got string")
    w.slug, w.colour = 3, 1
    assert.has_error(function() core.title_weights(w) end, "title_weights: unknown weight 'colour'")
  end)

  it("gives nil and 0 without candidates, and drops lines below the article the page does not repeat", function()
    local texts = { "Menu", body, "Another Headline Below Here Now" }
    local list, n = scores(texts, {}, 2)
    assert.is_nil(list)
    assert.equal(0, n)
    local cand = { [3] = true }
    list, n = scores(texts, cand, 2)
    assert.is_nil(list)
    assert.equal(0, n)
    assert.is_nil(cand[3])
  end)

  it("needs flat features, patterns and exact sets", function()
    local _, flat = core.block_features({ "a" }, en, { flat = true })
    assert.has_error(function()
      core.title_scores({}, {}, {}, {}, {}, {}, {}, {}, nil, 1, 1, date, cta_start, sponsor, byline, cta, cta_words, roles,
        default_weights)
    end)
    assert.has_error(function()
      core.title_scores(flat, {}, {}, {}, {}, {}, {}, {}, nil, 1, 1, date, cta_start, sponsor, byline, cta_words,
        cta_words, roles, default_weights)
    end)
    assert.has_error(function()
      core.title_scores(flat, {}, { 2 }, {}, {}, {}, {}, {}, nil, 1, 1, date, cta_start, sponsor, byline, cta, cta_words,
        roles, default_weights)
    end)
  end)
end)

describe("core.title_best", function()
  local en = classify.stopwords("en")
  local byline = core.regex([[^\W*by\s]], "i")
  local body = "The storm reached the coast on Monday and the town was flooded by the rain that fell all night."
  local function best(texts, list, first_body, kind, good)
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    local cls = core.labels()
    local c = {}
    for k = 1, #texts do c[k] = good[k] and "good" or "bad" end
    core.block_classes(blocks, flat, { length_low = 80, length_high = 200, stopwords_low = 0.3,
      stopwords_high = 0.32, menu_title_share = 0.85, has_stop = true, repeats = false }, cls, core.labels())
    for k = 1, #texts do cls[k] = c[k] end
    local range, cand = {}, {}
    for q = 1, #list, 2 do range[#range + 1] = list[q] cand[list[q]] = true end
    table.sort(range)
    return core.title_best(list, #list // 2, flat, kind or {}, cls, range, cand, first_body, 1, #texts, byline, en,
      150, 1.5, core.title_weights(classify.TITLE_WEIGHTS))
  end

  it("ranks a headline whose words the lede repeats over one it does not", function()
    local texts = { "Markets Rally on Friday Afternoon", "Storm Floods the Coastal Town", body }
    assert.equal(2, best(texts, { 1, 1.8, 2, 1.5 }, 3, nil, { [3] = true }))
    -- (the lede's words add 1.5 at most: a score 1.5 higher keeps the first)
    assert.equal(1, best(texts, { 1, 3.5, 2, 1.5 }, 3, nil, { [3] = true }))
  end)

  it("lowers the author's name beside the byline that names them, and gives nil for no line", function()
    local texts = { "Jane Doe", "By Jane Doe", "Storm News Today Here", body }
    assert.equal(3, best(texts, { 1, 2.0, 3, 1.0 }, 4, { [2] = "byline" }, { [4] = true }))
    -- (a byline found by its pattern, without a kind, the same)
    assert.equal(3, best(texts, { 1, 2.0, 3, 1.0 }, 4, {}, { [4] = true }))
    -- (an author's name that no byline nearby names keeps its score)
    texts[2] = "Weather desk"
    assert.equal(1, best(texts, { 1, 2.0, 3, 1.0 }, 4, {}, { [4] = true }))
    assert.is_nil(best(texts, {}, 4, nil, { [4] = true }))
    assert.is_nil(best(texts, { 1, -1.0 }, 4, nil, { [4] = true }))
  end)
end)

describe("core.label_blocks", function()
  it("labels the blocks the rules hit, and the lists and sections after header rules", function()
    local feats = {}
    for k = 1, 12 do feats[k] = { words = 3, sentences = 0, ends_colon = false } end
    feats[4].ends_colon = true
    feats[10].words = 30
    local hits = {
      [1] = { kind = "body", _id = "p:body" },
      [2] = { kind = "related", _id = "p:rel", list = true },
      [5] = { kind = "share", _id = "p:share", inline = true },
      [6] = { kind = "tags", _id = "p:tags", list = true },
      [9] = { kind = "comments", _id = "p:com", section = true },
      [12] = { kind = "footer", _id = "p:foot" },
    }
    local cls = { "bad", "bad", "short", "short", "good", "good", "good", "bad", "bad", "good", "bad", "bad" }
    local kind, rule = core.label_blocks(hits, cls, feats, 12, { footer = true }, 5, 25)
    assert.same({ "body", "related", "related", nil, "share", "tags", nil, nil, "comments", "comments",
      "comments", "footer" }, { kind[1], kind[2], kind[3], kind[4], kind[5], kind[6], kind[7], kind[8], kind[9],
      kind[10], kind[11], kind[12] })
    assert.equal("p:rel:list", rule[3])
    assert.is_nil(rule[8])
    assert.equal("p:com:section", rule[10])
    assert.equal("p:foot", rule[12])
    -- (a good line ends the tags' list; after it the list is over)
    assert.same({ "good", "bad", "bad", "short", "short", "bad", "good", "bad", "bad", "bad", "bad", "bad" }, cls)
    -- (a section needs two good blocks above it)
    local kind2 = core.label_blocks({ [1] = { kind = "comments", _id = "c", section = true } },
      { "bad", "good" }, feats, 2, {}, 5, 25)
    assert.is_nil(kind2[2])
    assert.has_error(function() core.label_blocks({}, {}, feats, 1, nil, 5, 25) end)
  end)

  it("reads the flat features as it reads the tables", function()
    local texts = { "Related", "One headline here", "Another headline:", "A third headline",
      "Tags", "x y", "Two sentences. Here they are.", "z" }
    local feats, flat = core.block_features(texts, nil, { flat = true })
    local hits = { [1] = { kind = "related", _id = "p:rel", list = true }, [5] = { kind = "tags", _id = "p:tags", list = true } }
    local function cls() return { "bad", "bad", "short", "short", "bad", "short", "short", "bad" } end
    local c1, c2 = cls(), cls()
    local k1, r1 = core.label_blocks(hits, c1, feats, 8, {}, 1, 25)
    local k2, r2 = core.label_blocks(hits, c2, flat, 8, {}, 1, 25)
    assert.same(k1, k2)
    assert.same(r1, r2)
    assert.same(c1, c2)
    assert.equal("related", k2[2])
    assert.is_nil(k2[3])
    assert.matches("no features for block 9", select(2, pcall(core.label_blocks,
      { [8] = { kind = "related", _id = "r", list = true } }, cls(), flat, 9, {}, 1, 25)), 1, true)
  end)
end)

describe("core.stopword_density", function()
  it("gives the stopwords over the words of the longer blocks, and their words", function()
    local en = classify.stopwords("en")
    local texts = { "the cat and the dog of the town", "Big News", "one two three four five six seven eight" }
    local feats, flat = core.block_features(texts, en, { flat = true })
    local d, w = core.stopword_density(flat, 8)
    assert.equal(16, w)
    assert.is_true(math.type(w) == "integer")
    assert.equal((feats[1].stopwords + feats[3].stopwords) / 16, d)
    assert.same({ 0, 0 }, { core.stopword_density(flat, 100) })
    assert.has_error(function() core.stopword_density({}, 8) end)
  end)
end)

describe("core.tail_lists", function()
  it("labels tag lines and runs of related headlines below the article", function()
    local en = classify.stopwords("en")
    local texts = { "Body text.", "Politics, Economy, World News", "Storm Hits The Coast Again",
      "Markets Fall On Rate Fears", "Lone Headline Of The Day", "A plain sentence here.", "Three Big Words",
      "Another Related Headline Here", "Ends With A Colon:" }
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    local kind, rule, cls = { [5] = "ad" }, { [5] = "r" }, {}
    core.tail_lists(blocks, flat, kind, rule, cls, 2, 5, 25)
    assert.same({ nil, "tags", "related", "related", "ad", nil, "related", "related", nil },
      { kind[1], kind[2], kind[3], kind[4], kind[5], kind[6], kind[7], kind[8], kind[9] })
    assert.equal("classifier:tag-list", rule[2])
    assert.equal("classifier:related-list", rule[3])
    assert.same({ nil, nil, "bad", "bad", nil, nil, "bad", "bad", nil },
      { cls[1], cls[2], cls[3], cls[4], cls[5], cls[6], cls[7], cls[8], cls[9] })
    assert.has_error(function() core.tail_lists(blocks, {}, {}, {}, {}, 1, 5, 25) end)
  end)
end)
describe("core.final_kinds", function()
  local en = classify.stopwords("en")
  local p = helper.prose[1]

  -- the three passes it stands for, on copies of the tables
  local function three(texts, cls, why, kind, rule, from, tail_from)
    local blocks, c, w, kd, r = {}, {}, {}, {}, {}
    for k, t in ipairs(texts) do blocks[k] = { text = t, kind = "body" } end
    for k = 1, #texts do c[k], w[k], kd[k], r[k] = cls[k], why[k], kind[k], rule[k] end
    local _, flat = core.block_features(blocks, en, { flat = true })
    core.promote_headings(c, w, kd, flat, from, 80)
    if tail_from then core.tail_lists(flat, flat, kd, r, c, tail_from, 5, 25) end
    core.set_kinds(blocks, c, w, kd, r, flat, {})
    return blocks
  end

  local function one(texts, cls, why, kind, rule, from, tail_from)
    local blocks = {}
    for k, t in ipairs(texts) do blocks[k] = { text = t, kind = "body" } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    core.final_kinds(blocks, cls, why, kind, rule, flat, {}, from, 80, tail_from, 5, 25)
    return blocks
  end

  it("promotes headings, labels the tail lists and sets the kinds as the three passes do", function()
    local texts = { "Menu", "Our findings", p, "Short", "Also short", p, "- bullet line", p,
      "Politics, Economy, World News", "Storm Hits The Coast Again", "Markets Fall On Rate Fears",
      "Lone Headline Of The Day", "A plain sentence here.", "Three Big Words", "Another Related Headline Here",
      "Ends With A Colon:", "- two" }
    local cls = { "bad", "bad", "good", "bad", "bad", "good", "bad", "good", "bad", "bad", "near-good", "bad",
      "short", "bad", "bad", "good", "bad" }
    local why = { "menu", "x", "good", "x", "short-between-good", "good", "x", "good", "x", "x", "y", "menu",
      "z", "x", "x", "heading", "x" }
    local kind, rule = { [4] = "byline", [12] = "ad" }, { [4] = "r:by", [12] = "r:ad" }
    for _, from in ipairs({ 1, 3, 9, 18 }) do
      for _, tail_from in ipairs({ false, 1, 9, 14 }) do
        local a = three(texts, cls, why, kind, rule, from, tail_from or nil)
        local b = one(texts, cls, why, kind, rule, from, tail_from or nil)
        assert.same(a, b)
      end
    end
    -- (the tables given are read, not updated)
    assert.equal("x", why[2])
    assert.is_nil(kind[9])
  end)

  it("gives the kinds and rules of the passes", function()
    local texts = { "Our findings", p, "Politics, Economy, World News", "Storm Hits The Coast Again",
      "Markets Fall On Rate Fears" }
    local b = one(texts, { "bad", "good", "bad", "bad", "bad" }, { "x", "good", "y", "y", "y" }, {}, {}, 1, 3)
    assert.same({ "body", "body", "tags", "related", "related" }, { b[1].kind, b[2].kind, b[3].kind, b[4].kind,
      b[5].kind })
    assert.same({ "classifier:heading", "classifier:good", "classifier:tag-list", "classifier:related-list",
      "classifier:related-list" }, { b[1].rule, b[2].rule, b[3].rule, b[4].rule, b[5].rule })
  end)

  it("raises as set_kinds does", function()
    local blocks = { { text = "Footer" } }
    local _, flat = core.block_features(blocks, en, { flat = true })
    assert.has_error(function() core.final_kinds(blocks, {}, {}, {}, {}, flat, {}, 1, 80) end,
      "why[1] must be a string")
    assert.has_error(function() core.final_kinds({}, {}, {}, {}, {}, flat, {}, 1, 80) end,
      "final_kinds: flat is not of these blocks")
    assert.has_error(function() core.final_kinds(blocks, {}, {}, {}, {}, {}, {}, 1, 80) end)
  end)
end)


describe("core.number_lines", function()
  it("lists the blocks with a number word that start with a byte", function()
    local en = classify.stopwords("en")
    local blocks = {}
    for k, t in ipairs({ "1. Home", "1x", "2. News", "1 2 3", "10 things", "One", "1" }) do blocks[k] = { text = t } end
    local _, flat = core.block_features(blocks, en, { flat = true })
    assert.same({ 1, 2, 4, 5, 7 }, core.number_lines(blocks, flat, 1, 7, 49))
    assert.same({ 2, 4, 5 }, core.number_lines(blocks, flat, 2, 5, 49))
    assert.same({ 3 }, core.number_lines(blocks, flat, -5, 50, 50))
    assert.has_error(function() core.number_lines(blocks, {}, 1, 2, 49) end)
  end)
end)

describe("core.crumb_above", function()
  it("tells a breadcrumb's last item in the two blocks above", function()
    local blocks = {}
    for k, t in ipairs({ "Home » News » Coffee", "Coffee", "x", "Coffee", "Home / Tea", "Tea", "Tea" }) do
      blocks[k] = { text = t }
    end
    assert.is_true(core.crumb_above(blocks, 2))
    assert.is_false(core.crumb_above(blocks, 4))
    assert.is_true(core.crumb_above(blocks, 6))
    assert.is_true(core.crumb_above(blocks, 7))
    assert.is_false(core.crumb_above(blocks, 1))
    assert.has_error(function() core.crumb_above({ {} , { text = "a" } }, 2) end, "block 1 has no text")
  end)
end)

describe("core.repeated_above", function()
  local blocks = {}
  for k, t in ipairs({ "Home > News > Storm hits the coast", "Storm hits the coast | The Daily",
      "1. Storm hits the coast and m...", "Storm hits the coast", "Other news", "Storm hits the coast cover",
      "Mild weather ahead" }) do
    blocks[k] = { text = t }
  end
  it("finds a breadcrumb's last item, a title line, a cut text, an image", function()
    assert.is_true(core.repeated_above("Storm hits the coast", 4, blocks, 1, 1))
    assert.is_true(core.repeated_above("Storm hits the coast", 4, blocks, 2, 2))
    assert.is_true(core.repeated_above("Storm hits the coast and more to come", 7, blocks, 3, 3))
    assert.is_true(core.repeated_above("Storm hits the coast", 4, blocks, 6, 6))
    assert.is_false(core.repeated_above("Storm hits the coast", 4, blocks, 4, 5))
    assert.is_false(core.repeated_above("Mild weather ahead", 7, blocks, 1, 6))
  end)
  it("wants a non-word byte before the text at a block's end", function()
    local b = { { text = "Cloudstorm hits the coast" } }
    assert.is_false(core.repeated_above("storm hits the coast", 2, b, 1, 1))
    b[1].text = "\226\128\148storm hits the coast"
    assert.is_false(core.repeated_above("storm hits the coast", 2, b, 1, 1))
    b[1].text = "A: storm hits the coast"
    assert.is_true(core.repeated_above("storm hits the coast", 2, b, 1, 1))
  end)
end)

describe("core.toc_entries", function()
  it("maps the items of a table of contents that come back below it", function()
    local en = classify.stopwords("en")
    local blocks = {}
    for k, t in ipairs({ "Contents", "- 1. Intro", "- Method", "* Results", "Title", "Intro", "text",
        "Method", "Results", "- Menu", "- Items", "Menu" }) do
      blocks[k] = { text = t }
    end
    local _, flat = core.block_features(blocks, en, { flat = true })
    assert.same({ Intro = 5, Method = 5, Results = 5 }, core.toc_entries(blocks, flat, 1, 9))
    -- (one item back only: no table of contents)
    assert.same({}, core.toc_entries(blocks, flat, 10, 12))
    assert.same({}, core.toc_entries(blocks, flat, 5, 9))
    assert.has_error(function() core.toc_entries(blocks, {}, 1, 2) end)
  end)
end)

describe("core.short_forms", function()
  it("counts the images of a headline before the first longer form of it", function()
    local blocks = {}
    for k, t in ipairs({ "Best laptops", "Best laptops: Is It for You?", "Best laptops of 2026",
        "Best laptops (2026)", "Best laptops.", "Storm over the bay", "Other" }) do
      blocks[k] = { text = t }
    end
    assert.same({ 0, true }, { core.short_forms("Best laptops", 1, blocks, 1, 7) })
    assert.same({ 0, true }, { core.short_forms("Best laptops", 1, blocks, 3, 3) })
    assert.same({ 0, true }, { core.short_forms("Best laptops", 1, blocks, 4, 4) })
    assert.same({ 0, false }, { core.short_forms("Best laptops", 1, blocks, 5, 7) })
    assert.same({ 1, false }, { core.short_forms("Storm over the bay cover", 9, blocks, 1, 7) })
    assert.same({ 0, false }, { core.short_forms("Storm over the bay Cover", 9, blocks, 1, 7) })
    assert.same({ 0, false }, { core.short_forms("", 1, blocks, 1, 7) })
    assert.has_error(function() core.short_forms("x", 1, { {} }, 1, 1) end, "block 1 has no text")
  end)
end)

describe("core.lede_text", function()
  it("joins the good blocks from the first on, in lower case, up to a word count", function()
    local blocks, cls = {}, { "good", "bad", "good", "good", "good" }
    for k, t in ipairs({ "Headline", "Menu", "The Storm’s Path was WIDE.", "It Hit Two Towns.", "Later text." }) do
      blocks[k] = { text = t }
    end
    local _, flat = core.block_features(blocks, nil, { flat = true })
    assert.equal(" the storm's path was wide. it hit two towns. ", core.lede_text(blocks, flat, cls, 2, 6))
    assert.equal(" the storm's path was wide. ", core.lede_text(blocks, flat, cls, 3, 5))
    assert.equal("  ", core.lede_text(blocks, flat, { "bad" }, 1, 5))
    assert.has_error(function() core.lede_text(blocks, {}, cls, 1, 5) end)
  end)
end)

describe("core.title_text", function()
  local function tests(t) return { core.title_text(t) } end
  it("tells a year, a headline's note, a pause, a caption's credit, a photo's, a breadcrumb", function()
    assert.same({ true, true, true, false, false, false }, tests("Best EVs of 2026"))
    assert.same({ false, true, true, false, false, false }, tests("Best EVs of 20261"))
    assert.same({ true, true, true, false, false, false }, tests("10 Best Car Rentals in 2025 [For All Budgets!]"))
    assert.same({ false, false, true, false, false, false }, tests("Search [ok]"))
    assert.same({ false, true, false, false, false, false }, tests("Read more:"))
    assert.same({ false, true, true, false, false, false }, tests("Made in the U.S.A."))
    assert.same({ false, true, true, true, false, false }, tests("Fans cheer on March 18. (Jane Doe/AFP)"))
    assert.same({ false, true, true, false, true, false }, tests("The bridge (Photo: Jane Doe)"))
    assert.same({ false, true, true, false, false, true }, tests("Home \194\187 News"))
    assert.same({ false, true, true, false, false, true }, tests("Reviews Reviews"))
    assert.same({ false, true, true, false, false, false }, tests(""))
  end)
end)

describe("core.name_hits", function()
  it("counts the longer blocks that hold a name, but related headlines and menus", function()
    local blocks = {}
    for k, t in ipairs({ "Acme Weekly", "Subscribe to Acme Weekly today", "(c) 2024 Acme Weekly",
        "More from Acme Weekly", "Acme Weekly!" }) do
      blocks[k] = { text = t }
    end
    local kind = { [4] = "related" }
    assert.equal(2, core.name_hits("Acme Weekly", blocks, kind, 2, 5))
    assert.equal(1, core.name_hits("Acme Weekly", blocks, kind, 3, 5))
    assert.equal(0, core.name_hits("Acme Weekly", blocks, kind, 6, 5))
    assert.has_error(function() core.name_hits("x", { {} }, {}, 1, 1) end, "block 1 has no text")
  end)
end)

describe("core.title_shape", function()
  it("tells a list number, the first word, a byline inside, a colon, a lower-case start", function()
    assert.same({ 1, nil, false, false, false, false }, { core.title_shape("3. Steps to take") })
    assert.same({ 2, nil, false, false, false, false }, { core.title_shape("10 things to know") })
    assert.same({ 0, "sign", false, false, false, false }, { core.title_shape("Sign up now") })
    assert.same({ 0, "jane", true, false, false, true }, { core.title_shape("Jane Doe By Jane Doe") })
    assert.same({ 0, "watch", false, true, true, false }, { core.title_shape("watch: the storm") })
    assert.same({ 0, nil, false, false, false, false }, { core.title_shape("") })
  end)
  it("tells a line with \"by\" or \"por\" in any ASCII case (a sponsor's label may hold one)", function()
    assert.is_true(select(6, core.title_shape("Sponsored BY Acme")))
    assert.is_true(select(6, core.title_shape("Patrocinado pOr Acme")))
    assert.is_true(select(6, core.title_shape("by")))
    assert.is_false(select(6, core.title_shape("b y po r \0\255 p")))
    assert.is_false(select(6, core.title_shape("po")))
  end)
end)

describe("core.may_date", function()
  it("tells the texts a date pattern may match: a year's 19 or 20, or a separator between digits", function()
    assert.is_true(core.may_date("May 3, 2024"))
    assert.is_true(core.may_date("3/4/25"))
    assert.is_true(core.may_date("\217\161\217\162/\217\163/\217\162\217\164"))
    assert.is_true(core.may_date("\240\157\159\143\240\157\159\144.\240\157\159\145\240\157\159\146.24"))
    assert.is_false(core.may_date("3.5 million, 1-2 days"))
    assert.is_false(core.may_date("1.123456789.25"))
    assert.is_false(core.may_date("Page 3 of 4"))
    assert.is_false(core.may_date("-3/"))
    assert.is_false(core.may_date(""))
  end)
  it("needs a month's three letters beside a year's 19 or 20, in any case", function()
    assert.is_false(core.may_date("Best EVs of 2026"))
    assert.is_true(core.may_date("3 DECEMBER 2019"))
    assert.is_true(core.may_date("\197\191ep 3, 2024"))
    assert.is_true(core.may_date("2024 jUl"))
    assert.is_false(core.may_date("Ju 2024"))
    assert.is_false(core.may_date("\197\191e 2024 \197"))
  end)
  it("is true wherever the title picker's date pattern finds a date", function()
    local state = classify.compile({})
    for _, t in ipairs({ "Updated 3 May 2024", "ſep 3, 2024", "12 of dec. 1999", "1.2.34", "2024-05-03",
      "\217\161\217\162/\217\163/\217\162\217\164", "\240\157\159\143\240\157\159\144.\240\157\159\145\240\157\159\146.24",
      "Posted Jan 5th, 2020 by Jane", "On MARCH 3rd 2021" }) do
      assert.is_true(state.date_line:find(t) ~= nil, t)
      assert.is_true(core.may_date(t), t)
    end
  end)
end)

describe("core.header_below", function()
  local en = classify.stopwords("en")
  local texts = { "Big Storm Hits the Coast", "Updated 3 May 2024", "Page 3 of 4",
    "The storm hit the coast on Monday 3 May 2024 and the rain went on for days after it.",
    "By Jane Doe", "12/05/24", "\0\255 1-2-24" }
  local blocks = {}
  for k, t in ipairs(texts) do blocks[k] = { text = t } end
  local _, flat = core.block_features(blocks, en, { tables = false, flat = true })
  it("finds the first rule's byline or dateline (sure) or short line that may hold a date", function()
    assert.same({ 2, false }, { core.header_below(flat, {}, 1, 7) })
    assert.same({ 5, true }, { core.header_below(flat, { [5] = "byline" }, 3, 7) })
    assert.same({ 6, false }, { core.header_below(flat, { [5] = "body" }, 3, 7) })
    assert.same({ 7, false }, { core.header_below(flat, { [6] = "navigation" }, 6, 7) })
    assert.same({ 2, true }, { core.header_below(flat, { [2] = "dateline" }, 1, 7) })
  end)
  it("skips a block with another kind, a long line, a line without a date's digits", function()
    assert.is_nil(core.header_below(flat, { [2] = "navigation" }, 2, 4))
    assert.is_nil(core.header_below(flat, {}, 3, 4))
  end)
  it("keeps to the document's blocks and raises on a bad argument", function()
    assert.is_nil(core.header_below(flat, {}, 8, 20))
    assert.same({ 2, false }, { core.header_below(flat, {}, -5, 2) })
    assert.is_nil(core.header_below(flat, {}, 3, 2))
    assert.has_error(function() core.header_below({}, {}, 1, 2) end)
    assert.has_error(function() core.header_below(flat, nil, 1, 2) end)
  end)
end)
