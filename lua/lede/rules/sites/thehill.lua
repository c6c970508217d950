-- The Hill (thehill.com): the "Rising" teaser rail and the sign-up box.
return {
  name = "thehill",
  description = "The Hill",
  language = "en",
  match = {
    domains = { "thehill.com" },
    signatures = { { "TheHill.com", "The Hill 1625 K Street" } },
  },
  blocks = {
    { kind = "related", phrases = { "Rising", "More From The Web" } },
    { kind = "widget", phrases = { "Don't miss a brief. Sign up for our daily email.", "TheHill.com" } },
    { kind = "footer", name = "address", pattern = [[^The Hill 1625 K Street]] },
  },
  meta = { publisher = "The Hill" },
}
