-- Specs of lede.meta: dates, title, authors, publisher, tags, related, language, url.
local meta = require "lede.meta"
local packs = require "lede.packs"
local helper = require "fixtures.bp.helper"

local state = meta.compile({ packs = packs.stack() })

local function page(before, after)
  local lines = {}
  for _, l in ipairs(before or {}) do lines[#lines + 1] = l end
  for _, p in ipairs(helper.prose) do lines[#lines + 1] = p end
  for _, l in ipairs(after or {}) do lines[#lines + 1] = l end
  return table.concat(lines, "\n") .. "\n"
end

describe("lede.meta.find_date", function()
  local cases = {
    { "19:20 GMT 27 July 2021", "2021-07-27T19:20:00Z", "19:20 GMT 27 July 2021" },
    { "21:17 18.11.2019", "2019-11-18T21:17:00", "21:17 18.11.2019" },
    { "Nov. 19, 2019 5:03 p.m. ET", "2019-11-19T17:03:00-05:00", "Nov. 19, 2019 5:03 p.m. ET" },
    { "Updated 1:02 PM EST, Tue November 19, 2019", "2019-11-19T13:02:00-05:00",
      "1:02 PM EST, Tue November 19, 2019" },
    { "2019-11-18T09:00:00Z", "2019-11-18T09:00:00Z", "2019-11-18T09:00:00Z" },
    { "2019-11-18T09:00:00+05:30", "2019-11-18T09:00:00+05:30", "2019-11-18T09:00:00+05:30" },
    { "18 November 2019", "2019-11-18", "18 November 2019" },
    { "Published: 2019-11-18", "2019-11-18", "2019-11-18" },
    { "July 4, 2021", "2021-07-04", "July 4, 2021" },
    { "July 27, 2021 12:00 AM EDT", "2021-07-27T00:00:00-04:00", "July 27, 2021 12:00 AM EDT" },
    { "Reuters November 18, 2019 11:03 PM", "2019-11-18T23:03:00", "November 18, 2019 11:03 PM" },
    { "14:53 GMT +3 20 November 2019", "2019-11-20T14:53:00+03:00", "14:53 GMT +3 20 November 2019" },
    { "Monday, November 18, 2019, 04:05 pm PT", "2019-11-18T16:05:00-08:00", "November 18, 2019, 04:05 pm PT" },
    { "posted on 3rd of March 2020 at 10:15", "2020-03-03T10:15:00", "3rd of March 2020 at 10:15" },
    { "11/19/2019", "2019-11-19", "11/19/2019" },
    { "19/11/2019", "2019-11-19", "19/11/2019" },
    { "EcoFlow- 2025/4/29", "2025-04-29", "2025/4/29" },
    { "Sept. 5, 2023 | 14:10", "2023-09-05T14:10:00", "Sept. 5, 2023 | 14:10" },
    -- (other languages write the day first)
    { "Von Moritz Bachmann publiziert am 25. September 2018", "2018-09-25", "25. September 2018" },
    { "1. MÄRZ 2020", "2020-03-01", "1. MÄRZ 2020" },
    { "Le 4 mars 2015 à 18:30", "2015-03-04T18:30:00", "4 mars 2015 à 18:30" },
    { "25 de marzo de 2020", "2020-03-25", "25 de marzo de 2020" },
    { "22 de outubro de 2010", "2010-10-22", "22 de outubro de 2010" },
    { "12 dicembre 2019", "2019-12-12", "12 dicembre 2019" },
    { "5 mei 2018", "2018-05-05", "5 mei 2018" },
    { "2 AOÛT 2017", "2017-08-02", "2 AOÛT 2017" },
  }
  for _, c in ipairs(cases) do
    it("reads " .. c[1], function()
      local iso, i, j = meta.find_date(c[1], state)
      assert.equal(c[2], iso)
      assert.equal(c[3], c[1]:sub(i, j))
    end)
  end

  it("follows US daylight saving time for ET/PT", function()
    assert.equal("2019-03-10T09:00:00-07:00", (meta.find_date("March 10, 2019 9:00 am PT", state)))
    assert.equal("2019-03-09T09:00:00-08:00", (meta.find_date("March 9, 2019 9:00 am PT", state)))
    assert.equal("2019-11-03T09:00:00-05:00", (meta.find_date("November 3, 2019 9:00 am ET", state)))
    assert.equal("2019-11-02T09:00:00-04:00", (meta.find_date("2 November 2019 9:00 ET", state)))
  end)

  it("rejects impossible days and returns nil without a date", function()
    assert.is_nil(meta.find_date("31 February 2020", state))
    assert.is_nil(meta.find_date("2019-13-01", state))
    assert.is_nil(meta.find_date("no date here", state))
    assert.is_nil(meta.find_date("", state))
  end)

  it("reads the first date-like text only: an impossible one hides a later date", function()
    assert.is_nil(meta.find_date("2019-13-01, then 18 November 2019", state))
    assert.is_nil(meta.find_date("1850-01-01 and 2019-11-18", state))
    assert.equal("2019-11-18", (meta.find_date("18 November 2019 and 1850-01-01", state)))
  end)

  it("reads years 1900 to 2100 in ASCII digits only", function()
    assert.equal("1900-01-01", (meta.find_date("1 January 1900", state)))
    assert.equal("2100-12-31", (meta.find_date("31 December 2100", state)))
    assert.is_nil(meta.find_date("1 January 1899", state))
    assert.is_nil(meta.find_date("1 January 2101", state))
    -- Arabic-Indic digits (U+0660..) read as no year: no date, and no later one either
    assert.is_nil(meta.find_date("\217\162\217\160\217\161\217\169-11-18 2019-11-18", state))
  end)

  it("finds a date after digits, month-like words and other scripts", function()
    assert.equal("2019-11-18", (meta.find_date("Vol. 12, no. 3 \226\128\148 Mayor says 18 November 2019", state)))
    assert.equal("2021-07-04", (meta.find_date("\208\156\208\190\209\129\208\186\208\178\208\176 July 4, 2021", state)))
  end)

  it("accepts invalid UTF-8 and NUL bytes around a date", function()
    assert.equal("2019-11-18", (meta.find_date("\255\0 18 November 2019 \255", state)))
    assert.is_nil(meta.find_date("\255\254\0 2019", state))
  end)
end)

describe("lede.meta.run on the seed article", function()
  local ctx = helper.run(helper.read("../shared/examples/000_6fea872e61a50aa0.txt"))
  local m = ctx.meta

  it("equals the gold metadata", function()
    assert.equal("2021-07-27T19:20:00Z", m.date)
    assert.equal("19:20 GMT27 July 2021", m.date_text)
    assert.equal("Sputnik", m.publisher)
    assert.is_nil(m.title)
    assert.same({}, m.authors)
    assert.equal("en", m.language)
    assert.same({ "strategy", "bilateral relations", "cooperation", "interview",
      "THAAD missile defense system", "South Korea" }, m.tags)
    assert.same({
      "South Korean Spy Agency: North Korea's Next Nuclear Test \226\128\152Is Possible Any Time'",
      "South Korea to Deport American Who Tried to Sneak Across DMZ Into North Korea",
      "South Korea Pledges Not to 'Develop or Own' Nuclear Weapons",
      "South Korea, China Agree to Restore Ties After THAAD Standoff",
      "South Korea Not Considering Additional US THAAD Deployments - Foreign Minister",
    }, m.related)
    assert.is_nil(m.url)
  end)
end)

describe("lede.meta.run", function()
  it("lists each related headline once, in order, however many there are", function()
    local blocks, want, seen = {}, {}, {}
    for n = 1, 60 do
      local t = ("Headline number %d of the related list, long enough to pass forty bytes"):format(n % 23)
      blocks[n] = { text = t, kind = "related", rule = "classifier:related-list", i = 1, j = #t }
      if not seen[t] then seen[t] = true; want[#want + 1] = t end
    end
    local ctx = { blocks = blocks, opts = {}, language = false, packs = {} }
    meta.run(ctx, state)
    assert.are.equal(23, #want)
    assert.same(want, ctx.meta.related)
  end)

  it("reads title, byline and dateline above the article", function()
    local ctx = helper.run(page({ "Home", "News", "City Weighs the Cost of a New Bridge",
      "By JOHN DOE and JANE ROE, Associated Press", "Nov. 19, 2019 5:03 p.m. ET" }))
    assert.equal("City Weighs the Cost of a New Bridge", ctx.meta.title)
    assert.same({ "JOHN DOE", "JANE ROE" }, ctx.meta.authors)
    assert.equal("2019-11-19T17:03:00-05:00", ctx.meta.date)
    assert.equal("Nov. 19, 2019 5:03 p.m. ET", ctx.meta.date_text)
  end)

  it("never takes a publisher, staff or a link text for an author", function()
    local ctx = helper.run(page({ "City Weighs the Cost of a New Bridge", "By Reuters Staff" }))
    assert.same({}, ctx.meta.authors)
    ctx = helper.run(page({ "City Weighs the Cost of a New Bridge", "by Finian Cunningham",
      "Email the author" }))
    assert.same({ "Finian Cunningham" }, ctx.meta.authors)
  end)

  it("reads the byline of a text in another language", function()
    local fr = {
      "Le conseil municipal a voté mardi le financement du nouveau pont, après un débat qui a duré trois ans "
        .. "et qui a divisé la ville.",
      "Les travaux doivent commencer au printemps, et la mairie estime que le chantier durera au moins deux ans, "
        .. "selon les documents publiés par le conseil.",
      "Les habitants du quartier sont partagés : certains craignent le bruit, d'autres attendent depuis longtemps "
        .. "une meilleure liaison avec le centre.",
    }
    local function run(top)
      local lines = {}
      for _, l in ipairs(top) do lines[#lines + 1] = l end
      for _, p in ipairs(fr) do lines[#lines + 1] = p end
      return require("lede").new():extract(table.concat(lines, "\n\n") .. "\n").meta
    end
    local title = "La ville vote le financement du nouveau pont"
    local m = run({ "Accueil", title, "Par Jeanne Roux et \195\137mile Martin", "4 mars 2015 \195\160 18:30" })
    assert.equal("fr", m.language)
    assert.same({ "Jeanne Roux", "\195\137mile Martin" }, m.authors)
    assert.equal("2015-03-04T18:30:00", m.date)
    -- (after a "|" of the line, before the site's name as a "Name | date" line could give it)
    m = run({ "Accueil", title, "Le Monde | 04.05.2015 \195\160 13h36 | Par Jeanne Roux (avec Paul Martin)" })
    assert.same({ "Jeanne Roux" }, m.authors)
  end)

  it("splits a name glued to the date line", function()
    local ctx = helper.run(page({ "City Weighs the Cost of a New Bridge",
      "By Korin MillerPublished: Jan 29, 2025" }))
    assert.same({ "Korin Miller" }, ctx.meta.authors)
    assert.equal("2025-01-29", ctx.meta.date)
  end)

  local title = "City Weighs the Cost of a New Bridge"
  local author_cases = {
    { "a name after a lone By", { title, "Written By:", "Cazzy Magennis", "June 5, 2025" }, { "Cazzy Magennis" } },
    { "the author's photo", { title, "Picture of Liz Kenny", "June 5, 2025" }, { "Liz Kenny" } },
    { "a handle after Posted by", { title, "Posted by BeauHD on Friday December 19, 2025 @08:00PM" }, { "BeauHD" } },
    { "a name before the date", { title, "Kristian Larsen July 13, 2025 \226\128\148 7 minutes read" }, { "Kristian Larsen" } },
    { "a name after the date", { title, "Dec 17, 2025 Julian K. Arni" }, { "Julian K. Arni" } },
    { "a name with a role after it", { title, "Written By: Catherine Boeckmann Executive Digital Editor and Master Gardener" },
      { "Catherine Boeckmann" } },
    { "an honorific", { title, "By Dr. Vahid Osman - Mar 27, 2024" }, { "Vahid Osman" } },
    { "a one-word name before the date", { title, "By Sarah July 30, 2019 January 18, 2023" }, { "Sarah" } },
    { "an Author: item of a list", { title, "\226\128\162 Author: Kashmir Brummel",
      "\226\128\162 Last Updated: February 28, 2026" }, { "Kashmir Brummel" } },
    { "a date line with the byline after it", { title, "October 11, 2023 by Autumn Huerter" }, { "Autumn Huerter" } },
    { "the name twice under a photo", { title, "Michelle Lee", "Michelle Lee", "Freelance hacks" }, { "Michelle Lee" } },
    { "a name with a non-ASCII capital, twice above the date", { title, "\195\135elik Nimani", "\195\135elik Nimani",
      "Dec 19, 2025" }, { "\195\135elik Nimani" } },
    { "a name with a name in brackets", { title, "Paramita (Guha) Ghosh Published: January 3, 2024" },
      { "Paramita (Guha) Ghosh" } },
    { "a name above a day without the year", { title, "Kalyn Keen", "\226\128\162 Jun 9", "\226\128\162 5 min read" },
      { "Kalyn Keen" } },
    { "a one-word byline under the title", { title, "By Clay", "Mar 14, 2024" }, { "Clay" } },
    { "a byline with a role that reads as a sentence", { title,
      "By: Benjamin Johnson, Sr. Director of Operations, Atlas Van Lines - 10+ Years in the Moving Industry" },
      { "Benjamin Johnson" } },
    { "a name glued to itself above the date", { title, "\226\128\162 Jonathan JonesJonathan JonesJonathan Jones",
      "\226\128\162 Last Updated Nov 6, 2025" }, { "Jonathan Jones" } },
    { "names with credentials under the title", { title,
      "Ellen Lindell, VMD, DACVB; Monique Feyrecilde, BA, LVT, VTS (Behavior); Debra Horwitz, DVM, DACVB" },
      { "Ellen Lindell" } },
    { "a byline with middle dots", { title, "by Amanda \194\183 Dec 20, 2025 at 3:00 am \194\183 One comment so far" },
      { "Amanda" } },
    { "'Written by' after 'Reviewed by'", { title, "Medically reviewed by Kim Rose-Francis RDN, CDCES, LD \226\128\148 "
      .. "Written by Jillian Kubala, MS, RD \226\128\148 Updated on March 3, 2025" }, { "Jillian Kubala" } },
    { "the date line's byline", { title, "Published August 7, 2023 by Nicole Burke" }, { "Nicole Burke" } },
    { "a 'by' that is no 'Updated by'", { title, "Updated by Jon Linkov", "Benjamin Preston By Benjamin Preston",
      "Updated April 10, 2025" }, { "Benjamin Preston" } },
  }
  for _, c in ipairs(author_cases) do
    it("reads the author from " .. c[1], function()
      assert.same(c[3], helper.run(page(c[2])).meta.authors)
    end)
  end

  it("reads the author from an author box below the article", function()
    local ctx = helper.run(page({ title }, { "Jane Doe",
      "Jane is a reporter who has covered city hall, the courts and the schools for ten years." }))
    assert.same({ "Jane Doe" }, ctx.meta.authors)
    ctx = helper.run(page({ title }, { "Albert Swann",
      "(Editor / Journalist) \226\128\147 Albert comes from an automotive background and writes about cars." }))
    assert.same({ "Albert Swann" }, ctx.meta.authors)
  end)

  it("reads the author from 'About the Author:' and 'About Jane Roe'", function()
    local ctx = helper.run(page({ title }, { "About the Author: Tom", "Avatar photo" }))
    assert.same({ "Tom" }, ctx.meta.authors)
    ctx = helper.run(page({ title }, { "About Jane Roe",
      "Jane Roe covers city hall for the paper and has worked here since 2010, after ten years in Chicago." }))
    assert.same({ "Jane Roe" }, ctx.meta.authors)
  end)

  it("prefers the byline under the title to one in the article's text", function()
    local lines = { title, "by Amanda \194\183 Dec 20, 2025" }
    for _, p in ipairs(helper.prose) do lines[#lines + 1] = p end
    table.insert(lines, 4, "Author: Heather Webber")
    local ctx = helper.run(table.concat(lines, "\n") .. "\n")
    assert.same({ "Amanda" }, ctx.meta.authors)
  end)

  it("reads an author box whose bio names the person later", function()
    local ctx = helper.run(page({ title }, { "Paul Frew", "Home and Digital Security Expert",
      "With over a decade of experience in tech, Paul is recognized for his expertise in security and privacy." }))
    assert.same({ "Paul Frew" }, ctx.meta.authors)
  end)

  it("takes no product above its review for an author box", function()
    local ctx = helper.run(page({ title }, { "TunnelBear Logo",
      "Two of our top picks offer excellent free plans. TunnelBear is another option, but their plans cost more." }))
    assert.same({}, ctx.meta.authors)
  end)

  it("takes no brand above a paragraph about it for an author box", function()
    local ctx = helper.run(page({ title }, { "Swann Camera", "Every Swann Camera includes both local and cloud storage",
      "Swann sells high-quality indoor and outdoor cameras for DIY monitoring only. They are similar to Lorex." }))
    assert.same({}, ctx.meta.authors)
  end)

  it("takes no heading above a paragraph for an author box", function()
    local ctx = helper.run(page({ title }, { "Change Management",
      "In 2024, when we started implementing Change Management for our services, it felt like a chore." }))
    assert.same({}, ctx.meta.authors)
  end)

  it("reads 'Article by' anywhere on the page", function()
    local ctx = helper.run(page({ title }, { "My photo", "Article by", "Matias Heikkil\195\164", "Let's talk" }))
    assert.same({ "Matias Heikkil\195\164" }, ctx.meta.authors)
  end)

  it("reads 'Posted by' in the article's first lines", function()
    local lines = { title }
    for n, p in ipairs(helper.prose) do
      lines[#lines + 1] = p
      if n == 3 then lines[#lines + 1] = "Posted by BeauHD on Friday December 19, 2025 @08:00PM from the jobs dept." end
    end
    local ctx = helper.run(table.concat(lines, "\n") .. "\n")
    assert.same({ "BeauHD" }, ctx.meta.authors)
  end)

  it("reads a signature at the article's end", function()
    local ctx = helper.run(page({ title }, { "<3 Myles Katherine", "In Camera Reviews" }))
    assert.same({ "Myles Katherine" }, ctx.meta.authors)
    for _, sig in ipairs({ "- Myles Katherine", "\226\128\148 Myles Katherine", "\226\128\147Myles Katherine",
      "~ Myles Katherine", "xo, Myles Katherine", "xoxo, Myles Katherine", "Cheers, Myles Katherine",
      "love Myles Katherine", "LOVE, Myles Katherine" }) do
      ctx = helper.run(page({ title }, { sig, "In Camera Reviews" }))
      assert.same({ "Myles Katherine" }, ctx.meta.authors, sig)
    end
    ctx = helper.run(page({ title }, { "Regards, Myles Katherine", "In Camera Reviews" }))
    assert.same({}, ctx.meta.authors)
  end)

  it("reads a personal site's 'About Jane Doe' menu item", function()
    local ctx = helper.run(page({ "\226\150\161 Shop All", "\226\150\161 About Melissa Neill", "\226\150\161 Meet The Team",
      title }))
    assert.same({ "Melissa Neill" }, ctx.meta.authors)
    ctx = helper.run(page({ "\226\150\161 About Us", "\226\150\161 About Our Company", title }))
    assert.same({}, ctx.meta.authors)
  end)

  it("reads the author's photo caption anywhere on the page, in any case", function()
    local ctx = helper.run(page({ title }, { "Related", "PHOTO OF Jane Doe" }))
    assert.same({ "Jane Doe" }, ctx.meta.authors)
    ctx = helper.run(page({ title }, { "Related", "Jane Doe headshot" }))
    assert.same({ "Jane Doe" }, ctx.meta.authors)
    -- (a bullet first is no caption)
    ctx = helper.run(page({ title }, { "Related", "\226\128\162 Photo of Jane Doe" }))
    assert.same({}, ctx.meta.authors)
  end)

  it("reads 'Posted by' anywhere on the page", function()
    local ctx = helper.run(page({ title }, { "Posted by Colin Watson on 2025-12-18 in debusine." }))
    assert.same({ "Colin Watson" }, ctx.meta.authors)
  end)

  local title_cases = {
    { "above a subtitle and the byline", { "Home", "These Are the Best Major Appliances of 2025",
      "Here\226\128\153s what we\226\128\153re excited about this year", "Written by Jane Doe",
      "Updated August 14, 2025" }, "These Are the Best Major Appliances of 2025" },
    { "below a kicker", { "Home", "Healthy aging", "What meditation can do for your mind, mood, and health",
      "By Jane Doe" }, "What meditation can do for your mind, mood, and health" },
    { "above a job title and the date", { "Home", "Scaling Go Testing with Contract and Scenario Mocks",
      "By Preetam Jinka", "Co-founder and Chief Architect", "Dec 17, 2025" },
      "Scaling Go Testing with Contract and Scenario Mocks" },
    { "with a product name in it", { "CODE FARM", "Home Category Tag Archive About",
      "Raw HTTP Message Logging for .NET HttpClient", "18 Dec 2025" },
      "Raw HTTP Message Logging for .NET HttpClient" },
    { "above a line with a date and a byline", { "Blog", "Lessons", "The Adult's Guide to Starting Music Lessons",
      "October 11, 2023 by Autumn Huerter" }, "The Adult's Guide to Starting Music Lessons" },
    { "that ends the breadcrumb", { "Home Research The Hottest Real Estate Markets in the U.S.",
      "Construction Coverage", "The Hottest Real Estate Markets in the U.S.", "Jonathan Jones" },
      "The Hottest Real Estate Markets in the U.S." },
    { "from the page's title line", { "Main Menu",
      "How to help babies, toddlers sleep through the night | Patient Education | UC Davis Children's Hospital",
      "Helping children sleep", "How to help babies, toddlers sleep through the night" },
      "How to help babies, toddlers sleep through the night" },
    { "in full, not its short form", { "Home", "Pros and Cons of Consulting: Is It a Good Fit for You?",
      "Back to all", "Pros and Cons of Consulting", "Picture of Liz Kenny" },
      "Pros and Cons of Consulting: Is It a Good Fit for You?" },
    { "and not a photo caption with its credit", { "Home",
      "Strained U.S.-Israeli Relations After the Election", "Upgrade to Premium",
      "The prime minister reacts as he visits the Western Wall on March 18. (Thomas Coex/AFP/Getty Images)",
      "By Jane Doe" }, "Strained U.S.-Israeli Relations After the Election" },
    { "and not a sponsor's label", { "Obama admits gun laws are his biggest frustration", "Share", "Features",
      "US & Canada is sponsored by", "By Jane Doe" }, "Obama admits gun laws are his biggest frustration" },
    { "and not a call to action", { "Get the Newsletter Today",
      "Understanding Digital Marketing: Key Types and Channels", "Learn about our editorial process", "By Jane Doe" },
      "Understanding Digital Marketing: Key Types and Channels" },
    { "in full, not a short form beside it", { "Sign in",
      "Top 10 Shoe Companies in the World You Should Know About", "Home", "Our Blogs",
      "Top 10 Shoe Companies in the World" }, "Top 10 Shoe Companies in the World You Should Know About",
      { url = "https://example.com/top-10-shoe-companies-in-the-world/" } },
    { "with a year in a short line", { "Login", "Car Talk / Car Reviews / Best EVs of 2026", "Best EVs of 2026",
      "\226\128\162 Written By", "John Goreham", "View Full Profile", "\226\128\162 2/24/2026" }, "Best EVs of 2026" },
    { "with a note in brackets", { "Home", "What are you looking for?", "Search [ ]",
      "10 Best Car Rentals in the USA in 2025 [For All Budgets!]", "By Jane Doe" },
      "10 Best Car Rentals in the USA in 2025 [For All Budgets!]" },
    { "and not a category label", { "Home", "Your Car Maintenance Schedule", "Resource Center", "Posted under Car Tires" },
      "Your Car Maintenance Schedule" },
    { "and not its image ('<title> cover')", { "Get a Demo",
      "Future-Proof Your SaaS: 15 Top Data Analytics Trends for 2025 cover", "October 26, 2025", "UX Analytics",
      "Future-Proof Your SaaS: 15 Top Data Analytics Trends for 2025", "By Jane Doe" },
      "Future-Proof Your SaaS: 15 Top Data Analytics Trends for 2025" },
  }
  it("drops the site's name after the title, not a subtitle", function()
    local ctx = helper.run(page({ "Artlyst", "Best UK Art Exhibitions of 2025 \226\128\147 Artlyst", "By Jane Doe" },
      { "Help Keep Artlyst Free" }))
    assert.equal("Best UK Art Exhibitions of 2025", ctx.meta.title)
    ctx = helper.run(page({ "Home", "Best Residential Movers in New York | Top Companies", "By Jane Doe" }))
    assert.equal("Best Residential Movers in New York | Top Companies", ctx.meta.title)
    ctx = helper.run(page({ "Home", "Best Residential Movers in New York - Example", "By Jane Doe" }),
      { domain = "www.example.com" })
    assert.equal("Best Residential Movers in New York", ctx.meta.title)
  end)

  it("drops the source an aggregator names after the title, and its comment count", function()
    local ctx = helper.run(page({ "Home", "Grads Find Their Degrees No Longer Guarantee Jobs (latimes.com) 87",
      "Posted by JaneRoe on Friday December 19, 2025 @08:00PM" }))
    assert.equal("Grads Find Their Degrees No Longer Guarantee Jobs", ctx.meta.title)
    ctx = helper.run(page({ "Home", "Show HN: A tiny VM in one file (github.com)", "By Jane Doe" }))
    assert.equal("Show HN: A tiny VM in one file", ctx.meta.title)
    -- (brackets that name no domain stay)
    ctx = helper.run(page({ "Home", "Apollo Guidance Computer (1966) 11", "By Jane Doe" }))
    assert.equal("Apollo Guidance Computer (1966) 11", ctx.meta.title)
  end)

  it("drops a tail that the URL's slug does not name, not an exclamation", function()
    local top = { "Home", "12 Must-Have Data Analysis Tools for 2026 | Python, SQL and AI", "By Jane Doe" }
    assert.equal("12 Must-Have Data Analysis Tools for 2026 | Python, SQL and AI", helper.run(page(top)).meta.title)
    local url = "https://www.example.com/blog/learn/data-analysis-tools.html"
    assert.equal("12 Must-Have Data Analysis Tools for 2026", helper.run(page(top), { url = url }).meta.title)
    top[2] = "Best Data Analysis Tools \226\128\147 My Favorites!"
    assert.equal("Best Data Analysis Tools \226\128\147 My Favorites!", helper.run(page(top), { url = url }).meta.title)
  end)

  for _, c in ipairs(title_cases) do
    it("reads the title " .. c[1], function()
      assert.equal(c[3], helper.run(page(c[2]), c[4]).meta.title)
    end)
  end

  it("reads the title that the URL's slug names", function()
    local top = { "Home", "Vegetable Gardening for Beginners: The Complete Guide", "Primary Image",
      "Photo Credit", "The Basics of Planting and Growing a Vegetable Garden", "Written By: Jane Doe",
      "December 17, 2025" }
    assert.equal("The Basics of Planting and Growing a Vegetable Garden", helper.run(page(top)).meta.title)
    local url = "https://www.example.com/garden/vegetable-gardening-for-beginners/"
    assert.equal("Vegetable Gardening for Beginners: The Complete Guide",
      helper.run(page(top), { url = url }).meta.title)
    -- a path of ids and one word names nothing
    assert.equal("The Basics of Planting and Growing a Vegetable Garden",
      helper.run(page(top), { url = "https://www.example.com/garden/a6808357212/" }).meta.title)
  end)

  it("takes no breadcrumb or menu label said twice for a title, even if the slug names it", function()
    local top = { "Home", "Website Builders Website Builders", "Popular", "Home \194\187 Website Builders" }
    assert.is_nil(helper.run(page(top), { url = "https://example.com/website-builders/" }).meta.title)
  end)

  it("reads odd URLs without raising", function()
    local top = { "Home", "City Weighs the Cost of a New Bridge", "By Jane Doe" }
    for _, url in ipairs({ "https://example.com", "https://example.com/", "not a url", "/a/b-c?x=1#y",
        "https://example.com/%E2%80%99-city-bridge/", "https://example.com/" .. string.rep("bridge-", 100000),
        "https://example.com/\0\255\254/city-bridge" }) do
      assert.equal("City Weighs the Cost of a New Bridge", helper.run(page(top), { url = url }).meta.title)
    end
  end)

  it("reads a heading at the article's start that says the URL's slug", function()
    local top = { "Apply Now", "Limited Time", "Gaining Weight After 40 and Nothing Seems to Work?",
      "Personalized workouts, nutrition, and one-on-one coaching built for your changing body. Break the plateau"
        .. " with a plan that fits the week you actually have, and the coaching that keeps you on it.",
      "Apply Now", "10 of the best home gym equipment" }
    assert.equal("Gaining Weight After 40 and Nothing Seems to Work?", helper.run(page(top)).meta.title)
    assert.equal("10 of the best home gym equipment",
      helper.run(page(top), { url = "https://example.com/10-of-the-best-home-gym-equipment/" }).meta.title)
  end)

  it("reads a title far above the article when the URL's slug names it", function()
    local top = { "Home", "How to Invest in Index Funds: A Beginner's Guide", "By Jane Doe, CFP - Updated Mar 5" }
    for n = 1, 70 do top[#top + 1] = "Loading paragraph " .. n .. "..." end
    top[#top + 1] = "Best Index Funds to Buy Right Now"
    top[#top + 1] = "Looking to the long term? Get in on these index funds."
    assert.equal("Best Index Funds to Buy Right Now", helper.run(page(top)).meta.title)
    assert.equal("How to Invest in Index Funds: A Beginner's Guide",
      helper.run(page(top), { url = "https://www.example.com/investing/how-to-invest-in-index-funds/" }).meta.title)
  end)

  it("takes no filter menu entry for a byline", function()
    local ctx = helper.run(page({ "\226\150\161 By Use Case", "\226\150\161 By Industry", title }))
    assert.same({}, ctx.meta.authors)
  end)

  it("reads the publisher from a wire lead-in", function()
    local text = page({ "City Weighs the Cost of a New Bridge" })
    text = text:gsub("The committee met", "LONDON (Reuters) - The committee met", 1)
    assert.equal("Reuters", helper.run(text).meta.publisher)
  end)

  it("reads the publisher from a copyright line", function()
    local ctx = helper.run(page(nil, { "© 2019 Hearst Communications, Inc. All rights reserved." }))
    assert.equal("Hearst Communications", ctx.meta.publisher)
  end)

  it("reads tags from a tag line", function()
    local ctx = helper.run(page(nil, { "Tags: Politics, Elections | Congress" }))
    assert.same({ "Politics", "Elections", "Congress" }, ctx.meta.tags)
  end)

  it("takes the url from the caller", function()
    local ctx = helper.run(page(), { url = "https://example.com/a", domain = "example.com" })
    assert.equal("https://example.com/a", ctx.meta.url)
  end)

  it("tells the language of clean input and reads a title from its first line", function()
    local ctx = helper.run("City Weighs the Cost of a New Bridge\n\n" .. table.concat(helper.prose, "\n\n"),
      { clean = false })
    assert.equal("en", ctx.meta.language)
    assert.equal("City Weighs the Cost of a New Bridge", ctx.meta.title)
  end)

  it("reads huge or odd lines without raising", function()
    for _, text in ipairs({ ("[ "):rep(200000), "Picture of " .. ("Abc "):rep(100000),
        "Written by:\n" .. ("Abc "):rep(100000), ("ByJohn "):rep(100000), ("\0\255"):rep(100000) }) do
      local ctx = helper.run(text)
      assert.is_table(ctx.meta.authors)
    end
  end)

  it("gives empty metadata for empty input", function()
    local ctx = helper.run("")
    assert.is_nil(ctx.meta.date)
    assert.is_nil(ctx.meta.title)
    assert.same({}, ctx.meta.authors)
    assert.same({}, ctx.meta.tags)
  end)
end)
