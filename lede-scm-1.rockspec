rockspec_format = "3.0"
package = "lede"
version = "scm-1"
source = {
  url = "git+https://example.invalid/lede.git",
}
description = {
  summary = "Clean, structured documents from scraped news articles",
  detailed = [[
lede turns scraped news articles (plain text, boilerplate and all) into the
clean article body, metadata, entities with roles, and quotes with their
speakers. A C module (PCRE2) does the scanning; Lua rule packs, lists and
report formats hold the policy.
]],
  license = "MIT",
  labels = { "text", "nlp", "news", "extraction", "pcre2" },
}
-- lua-cjson and argparse are needed at run time (Debian: lua-cjson,
-- lua-argparse); they are not listed here so that a build needs no network.
dependencies = {
  "lua >= 5.1",
}
external_dependencies = {
  PCRE2 = { header = "pcre2.h", library = "pcre2-8" },
}
-- The same Makefile builds and installs for LuaRocks as for `make`.
build = {
  type = "make",
  build_variables = {
    CFLAGS = "$(CFLAGS)",
    LIBFLAG = "$(LIBFLAG)",
    LUA_INCDIR = "$(LUA_INCDIR)",
    PCRE2_CFLAGS = "-I$(PCRE2_INCDIR)",
    PCRE2_LIBS = "-L$(PCRE2_LIBDIR) -lpcre2-8",
    LUA = "$(LUA)",
  },
  install_variables = {
    INST_LIBDIR = "$(LIBDIR)",
    INST_LUADIR = "$(LUADIR)",
    INST_BINDIR = "$(BINDIR)",
    LUA = "$(LUA)",
  },
}
