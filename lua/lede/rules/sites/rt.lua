-- RT (rt.com): the article template's widgets and inline "Also on rt.com" links.
return {
  name = "rt",
  description = "RT news site",
  language = "en",
  match = {
    domains = { "rt.com" },
    signatures = { { "Follow RT on", "RT" }, { "Also on rt.com" }, { "RTQuestion more" } },
  },
  blocks = {
    { kind = "related", name = "also-on", inline = true, prefixes = { "Also on rt.com" } },
    { kind = "widget", phrases = { "Follow RT on RT", "Follow RT on", "Get short URL",
        "Like this story? Share it with a friend!", "RT Question more", "RT News App", "RT Shop",
        "Add to home screen", "Accept cookies" } },
    { kind = "tags", name = "trends", prefixes = { "Trends:" } },
    { kind = "disclaimer", name = "cookies", pattern = [[^This website uses cookies\. Read RT Privacy policy]] },
  },
  repairs = {
    { name = "follow-rt", pattern = [[\bFollow RT on\KRT\b]] },
    { name = "trends", pattern = [[\bTrends:\K\p{Lu}]] },
  },
  meta = { publisher = "RT" },
}
