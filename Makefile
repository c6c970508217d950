# lede: build, test, install, measure.
#
#   make                 build build/lua5.4/lede/core.so
#   make test            run the busted specs under Lua 5.4 against that build
#   make install         install module, Lua files and bin/lede (PREFIX, DESTDIR)
#   make bench           print throughput figures (bench/)
#   make eval            score the extractor over ../shared/corpus
#   make LUA_VERSION=5.1 build build/lua5.1/lede/core.so (LuaJIT / Neovim ABI)

LUA_VERSION ?= 5.4
LUA         ?= lua$(LUA_VERSION)
PKG_CONFIG  ?= pkg-config
PREFIX      ?= /usr/local
DESTDIR     ?=

LUA_PC      ?= $(firstword $(foreach p,lua$(LUA_VERSION) lua-$(LUA_VERSION) luajit,$(if $(shell $(PKG_CONFIG) --exists $(p) && echo y),$(p))))
LUA_INCDIR  ?= $(patsubst -I%,%,$(filter -I%,$(shell $(PKG_CONFIG) --cflags-only-I $(LUA_PC) 2>/dev/null)))
PCRE2_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libpcre2-8 2>/dev/null)
PCRE2_LIBS   ?= $(shell $(PKG_CONFIG) --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)

CC      ?= cc
OPTFLAGS ?= -O2
WARN    ?= -Wall -Wextra -pedantic
CFLAGS  ?= $(OPTFLAGS)
ALL_CFLAGS = -std=c99 $(WARN) -fPIC -fvisibility=hidden $(CFLAGS) $(EXTRA_CFLAGS) \
             $(addprefix -I,$(LUA_INCDIR)) $(PCRE2_CFLAGS)
LDFLAGS ?=
LIBFLAG ?= -shared

BUILD  ?= build/lua$(LUA_VERSION)
MODULE  = $(BUILD)/lede/core.so
SRCS    = $(wildcard src/*.c)
HDRS    = $(wildcard src/*.h)
OBJS    = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRCS))

# Where `make install` puts things; LuaRocks sets these (see the rockspec).
INST_LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_VERSION)
INST_LUADIR ?= $(PREFIX)/share/lua/$(LUA_VERSION)
INST_BINDIR ?= $(PREFIX)/bin

CORPUS ?= ../shared/corpus

.PHONY: all test install uninstall bench eval clean example

all: $(MODULE)

$(BUILD)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(MODULE): $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LIBFLAG) $(LDFLAGS) -o $@ $(OBJS) $(PCRE2_LIBS)

test: $(MODULE)
	busted --lua=$(LUA) $(BUSTED_ARGS)

example: $(MODULE)
	$(LUA) bin/lede extract examples/seed.txt --format json

install: $(MODULE)
	install -d $(DESTDIR)$(INST_LIBDIR)/lede $(DESTDIR)$(INST_LUADIR) $(DESTDIR)$(INST_BINDIR)
	install -m 0755 $(MODULE) $(DESTDIR)$(INST_LIBDIR)/lede/core.so
	cd lua && find lede -type d -exec install -d $(DESTDIR)$(INST_LUADIR)/{} \;
	cd lua && find lede -type f \( -name '*.lua' -o -name '*.tsv' -o -name '*.txt' -o -name '*.rst' \
	  -o -name 'LICENSE*' -o -name 'COPYING*' -o -name '*.md' \) -exec install -m 0644 {} $(DESTDIR)$(INST_LUADIR)/{} \;
	sed '1s|.*|#!/usr/bin/env $(LUA)|' bin/lede > $(DESTDIR)$(INST_BINDIR)/lede
	chmod 0755 $(DESTDIR)$(INST_BINDIR)/lede

uninstall:
	rm -rf $(DESTDIR)$(INST_LIBDIR)/lede $(DESTDIR)$(INST_LUADIR)/lede $(DESTDIR)$(INST_BINDIR)/lede

bench: $(MODULE)
	$(LUA) bench/run.lua --corpus $(CORPUS) $(BENCH_ARGS)

eval: $(MODULE)
	@echo "== with each page's URL (MANIFEST.tsv), as a crawler's caller has it =="
	$(LUA) bench/eval.lua --corpus $(CORPUS) --out build/eval $(EVAL_ARGS)
	@echo "== text only (no URL) =="
	$(LUA) bench/eval.lua --corpus $(CORPUS) --out build/eval-text --no-url $(EVAL_ARGS)

clean:
	rm -rf build
