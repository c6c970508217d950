-- The default rule pack: page furniture of English-language news and blog
-- pages as a text dump shows it. Phrases match a whole block (case and
-- surrounding punctuation/bullets ignored); prefixes match its start; patterns
-- are PCRE2. See docs/rules.md for the format. Some quantifiers are
-- possessive (`*+`, `++`) where giving characters back could never let a
-- match through: the same matches, with less backtracking.
return {
  name = "default",
  description = "generic English page furniture",
  language = "en",

  thresholds = {
    length_low = 80,          -- shorter blocks are "short" (decided by their neighbours)
    length_high = 200,        -- longer blocks with enough stopwords are "good" outright
    stopwords_low = 0.20,     -- below: a long block is "bad" unless it reads like prose
    stopwords_high = 0.32,    -- above: "good" (long) or "near-good"
    max_heading_distance = 200, -- jusText's setting; lede keeps short headings right before body text
    title_max_words = 30,
    related_max_words = 25,
    tag_max_words = 5,
    menu_title_share = 0.85,
    neighbour_reach = 4,      -- near-good text farther than this many blocks does not vouch for a block
    rule_reach = 40,          -- blocks farther than this many blocks from good text skip the rules
    cluster_gap = 6,          -- more non-good blocks than this separate two clusters of good text
    cluster_keep = 0.2,       -- clusters scoring below this share of the best are not the article
  },

  blocks = {
    -- navigation
    { kind = "navigation", name = "skip-links", language = "any", phrases = {
        "skip to content", "skip to main content", "skip to navigation", "skip navigation",
        "jump to content", "back to top", "return to top", "go to home page", "main menu",
        "menu", "close menu", "open menu", "toggle navigation", "navigation", "sections",
        "search", "home", "next", "previous", "next article", "previous article",
        "next post", "previous post", "show more", "load more", "view all", "see all", "more",
        "site index", "site map", "sitemap", "all sections", "breadcrumb", "you are here" } },
    { kind = "navigation", name = "breadcrumb",
      pattern = [=[^(?:home|main)\s*(?:[>»›/|]|\x{2192})\s*\S]=], flags = "i", max_words = 20 },
    -- (the lookaheads in this rule and in form-field below look for the
    -- first separator or bracket in one pass, so most blocks fail at once;
    -- the second one here turns a block with a sentence stop away. An item
    -- runs to the next separator and no further, possessively: one way to
    -- read a line, so a long line that is no menu fails in linear time.
    -- Items that held separators themselves let the pattern try every
    -- split, exponential in the items; the two readings differ only where
    -- separators share a space, "a • · b")
    { kind = "navigation", name = "menu-shape", language = "any",
      pattern = [=[^(?=[^.!?|•·/]{0,41}+[|•·/])(?=[^.!?]*+$)[^.!?](?:(?!\s[|•·/]\s)[^.!?]){0,39}+(?:\s[|•·/]\s[^.!?](?:(?!\s[|•·/]\s)[^.!?]){0,39}+){3,}+$]=], max_words = 60 },

    -- widgets: sharing, sign-in, players, forms, placeholders
    { kind = "widget", name = "share", language = "any", phrases = {
        "share", "share this", "share this article", "share this story", "share this post",
        "share on facebook", "share on twitter", "share on linkedin", "share via email",
        "share article", "share story", "tweet", "email", "print", "copy link", "copy url",
        "link copied", "facebook", "twitter", "linkedin", "whatsapp", "reddit", "pinterest",
        "flipboard", "telegram", "messenger", "sms", "x", "save",
        "save article", "bookmark", "listen", "listen to this article", "play", "pause",
        "close", "×", "open", "expand", "collapse", "advertisement", "advert", "sponsored",
        "sponsored content", "ad", "ads", "loading", "loading...", "subscribe", "subscribe now",
        "sign in", "sign up", "log in", "login", "log out", "register", "my account",
        "create account", "sign in to comment", "newsletter", "newsletters",
        "sign up for our newsletter", "subscribe to our newsletter", "get the newsletter",
        "enter your email", "email address", "submit", "continue reading",
        "continue reading the main story", "continue reading below", "story continues below",
        "article continues below", "this slideshow requires javascript", "read more", "read full article", "read the full story",
        "learn more", "click here", "watch", "watch now", "watch video", "video", "photo",
        "photos", "image", "gallery", "view gallery", "back to gallery", "enlarge", "zoom",
        "follow", "follow us", "follow us on", "connect with us", "like us on facebook",
        "follow us on twitter", "rss", "get short url", "listen live", "text size",
        "font size", "a a", "reset", "go", "ok", "accept", "accept cookies", "i agree",
        "caption", "hide caption", "toggle caption", "close caption", "image source",
        "copyright", "getty images", "opens in a new window", "opens new window",
        "add to cart", "buy now", "shop now", "get started", "download", "download the app",
        "see more", "table of contents", "contents", "in this article", "jump to",
        "toggle", "reply", "report", "quote", "like", "dislike", "upvote" } },
    -- share buttons run together ("Share to LinkedInLinkedIn Share to FacebookFacebook ...")
    { kind = "widget", name = "share-run", language = "any",
      pattern = [=[^(?:\W*share (?:to|on|via) \S+){2,}]=], flags = "i" },
    { kind = "widget", name = "share-prefix", language = "any", max_words = 12, prefixes = {
        "share on", "share this", "share via", "follow us", "follow on", "follow me",
        "tweet about this", "tweet this", "pin on", "pin it", "email this", "post on",
        "sign up for", "subscribe to", "subscribe for", "get our", "join our", "download our",
        "click here to", "tap here", "read more:", "read more about", "watch:", "listen to",
        "we use cookies", "this site uses cookies", "by using this site", "recommended for you",
        "sponsored by", "promoted by", "presented by", "paid content", "advertisement -" } },
    { kind = "widget", name = "call-to-action", language = "any", max_words = 10, prefixes = {
        "search by", "start here", "book a", "book free", "book your", "learn more", "get started",
        "back to", "go to", "view all", "see all", "don't have an account", "new to",
        "want to read", "picture of", "image of", "photo of", "headshot of", "profile picture",
        "create an account", "create account", "have a question", "call now", "call us",
        "request a", "schedule a", "try it free", "try for free", "start for free", "start your free",
        "free trial", "talk to", "get a quote", "get a demo", "request demo", "watch demo",
        "shop now", "buy now", "order now", "add to cart", "go to cart", "view cart", "apply now",
        "join now", "join free", "sign up free", "download now", "download the", "get the app",
        "skip to", "open menu", "close menu", "toggle menu", "previous photo", "next photo",
        "previous article", "next article", "previous post", "next post", "← previous", "next →" } },
    { kind = "widget", name = "placeholder", inline = true, language = "any",
      pattern = [=[^[\[\](){}<>|•·\s_\x{2190}\x{2192}\x{25A0}-\x{25FF}\x{2600}-\x{26FF}]*$]=] },
    { kind = "widget", name = "form-field",
      pattern = [=[^(?=[^\n\[]{0,61}+\[)(?:\S.{0,60})?\[(?:[ _]{3,}|submit|search|go|ok|send|subscribe|sign up)\]]=], flags = "i",
      max_words = 15 },
    { kind = "widget", name = "image-file", language = "any", inline = true,
      pattern = [=[^\[?[\w.%-]+\.(?:jpe?g|png|gif|webp|svg|avif)\]?$]=], flags = "i" },
    { kind = "widget", name = "image-alt", inline = true, language = "any", pattern = [=[^\[[^\]]{1,200}\]$]=] },
    { kind = "widget", name = "counter",
      pattern = [=[^(?:\d[\d,.]*[km]?\s*(?:shares?|comments?|views?|likes?|reads?|responses?|min(?:ute)?s?(?: read)?)|(?:\d+\s*)?(?:min(?:ute)?s?) read)$]=],
      flags = "i" },
    { kind = "widget", name = "cookie", max_words = 80,
      pattern = [=[\b(?:we use cookies|uses cookies|cookie (?:policy|settings|preferences)|accept (?:all )?cookies|by (?:continuing|using) (?:to use )?(?:this|our) (?:site|website))\b]=],
      flags = "i" },
    { kind = "widget", name = "cookie-notice",
      pattern = [=[^(?:this (?:web)?site uses cookies|we use cookies|we (?:are committed to protecting|value) your (?:privacy|personal (?:information|data))|by (?:clicking|continuing|using|signing up)\b.{0,60}\b(?:agree|accept|consent)|(?:necessary|non-necessary|functional|analytics|analytical|performance|advertisement|statistics|marketing|preferences?|other uncategorized|strictly necessary) cookies (?:are|help|is|collect)|your account has been (?:deleted|created|activated)|any cookies that may not be)]=],
      flags = "i" },
    -- a consent plugin's table of cookies: its header, then a row per cookie
    -- (its name, how long it lasts, what it does)
    { kind = "widget", name = "cookie-table",
      pattern = [=[^(?:cookie\s+duration\s+description$|[\w.%-]{2,60}\s+(?:\d+\s+(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?)|session|persistent|never)\s+.{0,200}\bcookies?\b)]=],
      flags = "i" },
    { kind = "widget", name = "signup", max_words = 15,
      pattern = [=[\b(?:sign up|subscribe)\b.{0,80}\b(?:newsletters?|inbox|email|updates)\b]=], flags = "i" },
    -- a sentence that starts with "Sign up" or "Subscribe" (not one that
    -- mentions it); "... to your inbox", a magazine's offer ("delivered to your
    -- door", "12 issues for £11.99"). Alternatives that start with a literal
    -- keep the scan fast; do not mix them with caseless or anchored ones.
    { kind = "widget", name = "signup-sentence", max_words = 40,
      pattern = [=[(?<![\w,;:])(?<![\w,;:'\x{2019})]\s)(?:sign up|subscribe)\b.{0,80}\b(?:newsletters?|inbox|email|updates|magazine)\b]=],
      flags = "i" },
    { kind = "widget", name = "offer", max_words = 60,
      pattern = [=[(?<=\bto |\bin |\bmeet |\bhit |\bhits )your inbox\b|delivered (?:to|through) your (?:door|letterbox|mailbox)|\bissues for \S{0,3}\d]=] },

    -- a link to another story inside the article: "Related: <headline>", or
    -- a headline of 7 to 20 words in capitals (section headings in capitals
    -- are shorter, or ask "how", "what", ...)
    -- (a lower-case ASCII letter among the first two characters rules out a
    -- headline in capitals before the slower Unicode classes run)
    { kind = "related", name = "inline-link", inline = true, max_words = 25,
      pattern = [=[^\W*+(?i:re(?:lated|ad (?:more|also)|commended)|also(?: read)?|see (?:more|also)|more|watch)\s*:\s*\S[^.!?]*[.!?]?$|^(?!.?[a-z])(?=[^\p{Ll}\p{Lu}.!?]*+\p{Lu}[^\p{Ll}.!?]*+$)(?=(?:\S++\s++){6}\S)(?!(?:\S++\s++){20}\S)(?!\W*(?:HOW|WHAT|WHY|WHEN|WHERE|WHICH|WHO)\b)]=] },
    -- the signature line of an embedded tweet: "— Name (@handle) November 18, 2019"
    { kind = "body", name = "tweet-signature", language = "any", max_words = 25,
      pattern = [=[^(?:\x{2014}|-|\x{2013})\s*[^\n]{1,80}\(@\w{1,15}\)\s+\p{L}+\.?\s+\d{1,2},\s+\d{4}$]=] },

    -- related-headline lists: the header, and (list = true) the headlines after it
    { kind = "related", name = "related-header", list = true, max_words = 8, phrases = {
        "related", "related articles", "related stories", "related posts", "related news",
        "related content", "related coverage", "related links", "related topics", "read next",
        "read more", "more from", "more stories", "more news", "more articles", "more on this",
        "more on this story", "more to explore", "you may also like", "you might also like",
        "you may be interested in", "recommended", "recommended for you", "recommended stories",
        "most popular", "most read", "most viewed", "most shared", "trending", "trending now",
        "trending news", "popular now", "more stories like this", "recommended reading",
        "trending stories", "popular", "popular posts", "popular stories", "recent posts",
        "latest", "latest news", "latest stories", "top stories", "editor's picks",
        "editors' picks", "don't miss", "also read", "see also", "further reading",
        "in other news", "what to read next", "up next", "watch next", "more videos",
        "most popular videos", "around the web", "from the web", "promoted stories" } },
    { kind = "related", name = "related-prefix", list = true, max_words = 8, prefixes = {
        "more from", "more stories from", "more in", "more on", "related:", "also read:",
        "read also:", "read more:", "see also:", "related articles", "related stories",
        "you may also like", "recommended", "latest from", "more news from", "top stories in" } },

    -- tags
    { kind = "tags", name = "tag-line", max_words = 80,
      pattern = [=[^(?:tags?|topics?|tagged(?: with)?|filed under|categories|category|keywords|related topics|more about|posted in|labels)\s*:]=],
      flags = "i" },
    { kind = "tags", name = "tag-header", list = true, max_words = 3, phrases = {
        "tags", "topics", "related topics", "filed under", "tagged", "categories", "keywords",
        "explore more on these topics", "more on these topics", "topics in this article" } },

    -- disclaimers and legal lines
    { kind = "disclaimer", name = "views-disclaimer", max_words = 80,
      pattern = [=[\b(?:views|opinions)(?: and (?:views|opinions))? expressed\b.{0,120}\b(?:do not|don't|does not) (?:necessarily )?(?:reflect|represent)]=],
      flags = "i" },
    { kind = "disclaimer", name = "redistribution", max_words = 60,
      pattern = [=[\b(?:may not be (?:published|reproduced|copied)|(?:without|prior) (?:the )?(?:express )?(?:written )?permission)\b]=],
      flags = "i" },
    { kind = "disclaimer", name = "affiliate", max_words = 80,
      pattern = [=[\b(?:affiliate (?:links?|commission|partnerships?)|we may (?:earn|receive) (?:a )?(?:small )?(?:commission|compensation)|earn a commission|independently (?:selected|chosen))\b]=],
      flags = "i" },
    { kind = "disclaimer", name = "standards", max_words = 30,
      pattern = [=[^(?:our standards|editorial standards|corrections? policy|this (?:article|story) (?:has been|was) (?:updated|corrected))]=],
      flags = "i" },

    -- footers
    -- (two rules: an anchored pattern and one that starts with a literal
    -- scan faster than one alternation of both)
    { kind = "footer", name = "copyright", language = "any", max_words = 40,
      pattern = [=[^(?:copyright|\(c\)|©)\s*(?:©\s*)?(?:\d{4}|[A-Z])]=], flags = "i" },
    { kind = "footer", name = "copyright-mark", language = "any", max_words = 40,
      pattern = [=[©\s*(?:\d{4}|copyright)|\ball rights reserved]=], flags = "i" },
    { kind = "footer", name = "site-links", language = "any", phrases = {
        "privacy", "privacy policy", "privacy notice", "privacy statement", "cookie policy",
        "cookies", "cookie settings", "manage cookies", "terms", "terms of use",
        "terms of service", "terms and conditions", "terms & conditions", "contact", "contact us",
        "about", "about us", "careers", "jobs", "advertise", "advertise with us", "advertising",
        "help", "help center", "faq", "faqs", "accessibility", "accessibility statement",
        "site map", "legal", "disclaimer", "imprint", "impressum", "feedback", "support",
        "customer service", "press", "media kit", "work with us", "subscriptions",
        "manage subscription", "do not sell my personal information",
        "do not sell or share my personal information", "your privacy choices",
        "your california privacy rights", "interest based ads", "ad choices", "adchoices",
        "community guidelines", "community standards", "code of conduct", "corrections",
        "ethics policy", "editorial policy", "contributors", "masthead", "rss feeds", "archives",
        "archive", "store", "shop", "events", "podcasts", "partners", "licensing", "reprints",
        "reprints & permissions", "sitemap", "powered by wordpress", "all rights reserved" } },
    { kind = "footer", name = "powered-by", max_words = 12,
      pattern = [=[^(?:powered by|designed by|site by|theme by|proudly powered by)\b]=], flags = "i" },

    -- comments
    { kind = "comment", name = "comment-widgets", phrases = {
        "post comment", "hide comments", "comment", "comments are closed", "report abuse",
        "cancel reply", "reply to this comment", "be the first to comment", "no comments yet",
        "comment policy", "comments policy", "community standards" } },
    { kind = "comment", name = "comments-section", section = true, max_words = 8, phrases = {
        "comments", "top rated comments", "reader comments", "readers' comments", "user comments",
        "latest comments", "all comments", "most popular comments", "join the discussion",
        "join the conversation", "discussion", "conversation", "leave a comment", "leave a reply",
        "add a comment", "add your comment", "post a comment", "responses", "what do you think",
        "have your say", "comments closed", "show comments", "view comments", "load comments" } },
    -- comment counts and the comment policy
    { kind = "comment", name = "comment-count",
      pattern = [=[(?:^(?:\d+|no|one|view(?: all)?|show(?: all)?|read(?: all)?)\s+(?:comments?|replies|responses)(?:\s*\(\d+\))?\W*$)|(?:^(?:as you comment|please (?:keep|be) (?:it )?(?:respectful|civil|polite)|comments? (?:are|is) (?:moderated|closed)|we welcome (?:your )?comments|users are obliged|the administration has the right|our goal with (?:article )?comments|(?:the )?comments (?:below )?(?:are|do) not))]=],
      flags = "i" },
    { kind = "comment", name = "reply-form", max_words = 60,
      pattern = [=[\b(?:your email address will not be published|required fields are marked|you must be logged in to post a comment|save my name, email, and website)\b]=],
      flags = "i" },

    -- captions and credits
    -- credit labels and gallery counters ("Photo 3 of 12")
    { kind = "caption", name = "credit", inline = true, max_words = 30,
      pattern = [=[(?:^(?:photo|image|picture|video|graphic|illustration|file photo|credit|photograph|source)(?:\s+credit)?\s*(?:\(s\))?\s*:)|(?:^(?:image|photo|slide|picture)\s+\d+\s+(?:of|/)\s*\d*|^\d+\s*/\s*\d+$)]=],
      flags = "i" },
    { kind = "caption", name = "agency-credit", inline = true, max_words = 90,
      pattern = [=[(?:\((?:photo|image|picture)[^)]{0,80}\)|(?:photo|image|picture)(?: by)?:?\s*[^.]{0,60}(?:getty images|shutterstock|afp|ap photo|reuters|epa|istock|alamy|associated press|file))\s*\W*$]=],
      flags = "i" },
    -- (the character before the bracket is looked behind for, so that a
    -- search jumps from one "[" to the next)
    { kind = "caption", name = "image-tail", inline = true, max_words = 25, language = "any",
      pattern = [=[(?<=\S)\[[^\]\s]{1,40}\]$]=] },
    { kind = "caption", name = "caption-label", inline = true, language = "any", max_words = 80, prefixes = {
        "image caption", "media caption", "image copyright", "photo caption", "caption:" } },
    { kind = "caption", name = "credit-tail", inline = true, max_words = 60,
      pattern = [=[(?:Credit|Photograph|Photo|Image)(?:\.\.\.|:)\s*\S.{0,80}$|(?:\x{2014}|/)\s*(?:Getty Images|AFP|AP|Reuters|Shutterstock|EPA)(?:\s+(?:file|via Getty Images))?\s*$]=] },

    -- bylines and datelines (meta reads them too)
    { kind = "byline", name = "by", max_words = 20,
      pattern = [=[^\W*(?:by|written by|posted by|words by|reporting by|authors?\s*:|story by|report by)\s*:?\s*(?:\p{Lu}|$)]=],
      flags = "i" },
    -- a wire story's credits: "(Reporting by Jane Roe; additional reporting
    -- by ...; Editing by John Doe)", however many names
    { kind = "byline", name = "credits", max_words = 80,
      pattern = [=[^\W*(?:additional )?(?:reporting|writing|editing|research) by\b.*\b(?:editing|writing|reporting) by\b]=],
      flags = "i" },
    -- an author's bio ("Jane Roe is a reporter ..."), or how to reach the
    -- reporter ("Have a tip? Jane Roe may be reached at ...")
    { kind = "byline", name = "author-bio", max_words = 90,
      pattern = [=[^(?:(?:\p{Lu}[\p{L}'.-]++\s){1,3}(?:(?:is|was|has been)\s+(?:an?|the)\s+(?:[\w-]++\s++){0,5}(?:writer|reporter|journalist|editor|correspondent|author|contributor|columnist|blogger|freelancer|native|photographer|producer)\b|(?:may|can) be reached at\b)|[Hh]ave a (?:news )?tip\b|[Gg]ot a (?:news )?tip\b)]=] },
    { kind = "disclaimer", name = "press-boilerplate", max_words = 120,
      pattern = [=[^(?:About\s+\p{Lu}[\w&.-]*+(?:\s+\p{Lu}[\w&.-]*+){0,3}\s*$|\p{Lu}[\w&.-]*+(?:\s+\p{Lu}[\w&.-]*+){0,3}\s+is\s+(?:a|an|the)\s+(?:leading\s+|global\s+|world-leading\s+|premier\s+)*(?:[\w-]+\s+){0,4}(?:provider|supplier|company|developer|manufacturer|platform|firm)\s+(?:of|for|that|focused|specializing)\b)]=] },
    -- forum and premium offers; a subscription wall (under 40 words)
    -- (the lookahead on the first words spares the word count below on
    -- blocks that start otherwise)
    { kind = "widget", name = "promo", max_words = 80,
      pattern = [=[(?:^(?:join our\b.{0,40}\b(?:forums?|community|newsletter)|get access to\b.{0,80}\b(?:subscription|premium|pro)\b|an email with an activation link))|(?:^(?=to |already |subscribe to |you have |this )(?!(?:\S+\s+){40})(?:to (?:read|continue)|already (?:a )?subscriber|subscribe to (?:continue|read|\p{Lu})|you have \d+ free articles?|this (?:article|content) is (?:for|available to) (?:subscribers|members)))]=],
      flags = "i" },
    { kind = "byline", name = "by-alone", phrases = { "by", "author", "written by", "posted by" } },
    { kind = "byline", name = "about-author", list = false, max_words = 6, phrases = {
        "about the author", "about the authors", "author bio", "more by this author",
        "more from this author", "view all posts", "see all articles", "email the author",
        "contact the author", "read more from", "meet the author" } },
    -- "Published: ...", a date alone (also "on Dec 17, 2025", "Nov 18", "Nov 7 23:05"), "3 hours ago"
    -- (the lookaheads at the start ask for a first letter or digit, then
    -- for the first two or three, that one of the alternatives can start
    -- with: most blocks fail there at once, "The ..." too)
    { kind = "dateline", name = "published", max_words = 16,
      pattern = [=[^(?=\W*+[\dadfjlmnopstuw])(?=\W*+(?:\d|p(?:ub|os)|up|la|f(?:ir|ri|eb)|m(?:o[dn]|a[ry])|d(?:at|ec)|o(?:ri|ct|ne|n\s)|t(?:ue|hu)|we|s(?:at|un|ep)|j(?:an|u[nl])|a(?:pr|ug|n|\s)|no))(?:(?:^(?:published|updated|posted|last updated|first published|modified|date|originally published)(?:\s+(?:on|at))?\s*:?\s*(?:\d|\p{Lu}|$))|(?:^\W*+(?:on\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*+\.?,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*+\.?,?\s+\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?:[\s,|@-]*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\W*$|^\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?,?\s*\d)|(?:^(?:updated\s+)?(?:(?:\d+|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)|\d+\s?[smhdw])\s+ago(?:\s+\d{1,2}:\d{2})?$)|(?:^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?$))]=],
      flags = "i" },
  },

  -- Glued words where page elements meet: a space is inserted where each
  -- match starts (\K moves the start).
  repairs = {
    { name = "zone-date", pattern = [=[\b(?:GMT|UTC|BST|CET|CEST|EET|EST|EDT|CST|CDT|MST|MDT|PST|PDT|IST|JST|AEST|AEDT|MSK)\K\d]=] },
    { name = "zone-offset-day",
      pattern = [=[(?:GMT|UTC)\s?[+-]1?\d\K[0-3]?\d\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b]=] },
    { name = "year-time", pattern = [=[(?<![\d])(?:19|20)\d\d\K\d{1,2}:\d\d\b]=] },
    { name = "month-glue",
      pattern = [=[(?<=\p{Ll})(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)(?=\.?\s+\d)]=] },
    { name = "year-word", pattern = [=[(?<![\d])(?:1[89]|20)\d\d\K[A-Z][a-z]]=] },
    { name = "paren-lead", pattern = [=[\((?:CNN|AP|Reuters|AFP|UPI|Bloomberg|CNN Business|CNN Politics|AP Photo|The Conversation|BBC)\)\K\p{Lu}]=] },
    { name = "on-acronym", pattern = [=[(?<=\bon|\bat|\bby|\bvia|\bfrom)[A-Z]{2,}\b]=] },
    { name = "ui-words",
      pattern = [=[(?<=\p{Ll})(?:Discussion|Comments?|Share|Subscribe|Sign In|Sign Up|Log In|Login|Logout|Register|Menu|Sections|Search|Advertisement|Print|Email|Follow|Read More|More|Close|Home|Get short URL|Listen|Do not track|Newsletters?|Biography|Skip to|Published|Updated|Posted)\b]=] },
    { name = "count-glue", pattern = [=[(?<=\d)(?:Tweet|Share|Shares|Pin|Email|Comments?|Likes?)\b]=] },
    { name = "by-name", pattern = [=[\bBy\K[A-Z][a-z]]=] },
    { name = "updated-date",
      pattern = [=[\b(?:Updated|Published|Posted|Modified)(?: on)?:?\K(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|\d)]=] },
    { name = "track-words", pattern = [=[\bTrack\KDo not track\b]=] },
  },

  meta = {
    publisher_patterns = {
      [=[^\s*(?:[A-Z][A-Za-z .,'-]{0,40}?\s*)?\((Reuters|AP|AFP|UPI|CNN|Bloomberg|Xinhua|dpa|PA|CNN Business|CNN Politics)\)\s*(?:[-\x{2013}\x{2014}:]|\p{Lu})]=],
      [=[^\s*(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}\s*)?(?:-\s*\d{4}\s*)?([A-Z][\w&.' -]{1,60}?)(?:[.,]|\s+all rights|\s*$)]=],
    },
  },
}
