-- The New York Times (nytimes.com): article-page furniture.
return {
  name = "nytimes",
  description = "The New York Times",
  language = "en",
  match = {
    domains = { "nytimes.com" },
    signatures = { { "Continue reading the main story", "The New York Times" } },
  },
  blocks = {
    { kind = "widget", phrases = { "Continue reading the main story", "Advertisement",
        "Supported by", "Site Index", "Go to Home Page »", "Site Information Navigation",
        "Read in app", "Give this article", "Share full article" } },
    { kind = "disclaimer", name = "letters", pattern = [[^The Times is committed to publishing a diversity of letters]] },
    { kind = "widget", name = "follow-opinion", pattern = [[^Follow The New York Times Opinion section\b]] },
    { kind = "caption", name = "credit", inline = true, pattern = [[Credit\.\.\.\S.{0,80}$]], max_words = 80 },
    { kind = "byline", name = "contributed", pattern = [[^\p{Lu}[\p{L}.' -]+ contributed reporting\b]], max_words = 30 },
  },
  meta = { publisher = "The New York Times" },
}
