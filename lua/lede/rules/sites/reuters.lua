-- Reuters (reuters.com): article-page furniture and the wire credits.
return {
  name = "reuters",
  description = "Reuters",
  language = "en",
  match = {
    domains = { "reuters.com" },
    signatures = { { "The Thomson Reuters Trust Principles" } },
  },
  blocks = {
    { kind = "disclaimer", name = "standards", pattern = [[^Our Standards:\s*The Thomson Reuters Trust Principles]] },
    { kind = "widget", phrases = { "Discover Thomson Reuters", "Directory of sites", "Flag of United States" } },
    { kind = "widget", name = "read-time", pattern = [[^\d+ Min Read$]] },
    { kind = "byline", name = "credits", max_words = 60,
      pattern = [[^\(?(?:Reporting|Writing|Additional reporting|Editing) by\b]] },
  },
  repairs = {
    { name = "standards", pattern = [[Our Standards:\KThe Thomson Reuters]] },
  },
  meta = { publisher = "Reuters" },
}
