-- Sputnik (sputniknews.com and its regional editions): the article template's
-- widgets, disclaimer and comment block.
return {
  name = "sputnik",
  description = "Sputnik news sites",
  language = "en",
  match = {
    domains = { "sputniknews.com", "sputnik.by", "sputniknews.lt", "sputnikglobe.com",
                "sputniknews.cn", "sputniknewslv.com", "sputnik-news.ee" },
    signatures = { { "Get short URL", "Sputnik" }, { "reflect those of Sputnik" } },
  },
  blocks = {
    { kind = "widget", phrases = { "Get short URL", "Listen Live", "Subscribe", "all editions",
        "Сomment", "avatar", "Track", "Do not track", "Comment via Facebook",
        "Comment via Sputnik", "Columnists", "Radio", "Multimedia", "Infographics",
        "Cartoons" } },
    { kind = "widget", name = "short-url", pattern = [=[\bGet short URL$]=], max_words = 12 },
    { kind = "disclaimer", pattern = [=[^The views and opinions expressed in the article do not necessarily reflect those of Sputnik\.?$]=] },
    -- the account and privacy dialogs and the community standards at the
    -- page's end: everything after them is page furniture
    { kind = "widget", name = "privacy-dialog", section = true,
      prefixes = { "We are committed to protecting your personal information" } },
    { kind = "comment", name = "community-standards", section = true, phrases = { "Community standards" } },
    { kind = "comment", phrases = { "Community standards", "Discussion",
        "Community standards Discussion", "Comment via Facebook Comment via Sputnik",
        "Track Do not track Community standards Discussion" } },
    { kind = "comment", name = "comment-tail", pattern = [=[^(?:Track Do not track )?Community standards\b]=] },
    { kind = "caption", name = "photo-credit", pattern = [=[^©\s*(?:\p{Lu}[\p{L}.]*\s*/\s*)*\p{Lu}[\p{L} .]*$]=], max_words = 10 },
    { kind = "dateline", name = "time-date",
      pattern = [=[^\d{1,2}:\d{2}\s*(?:GMT|UTC)\s*(?:[+-]\d{1,2}\s*)?\d{1,2}(?:\.\d{1,2}\.\d{4}|\s+\p{L}+\s+\d{4})]=] },
  },
  meta = { publisher = "Sputnik" },
}
