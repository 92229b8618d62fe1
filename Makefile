# rpiperf - performance reports of Raspberry Pi Imager, read offline.
#
#   make            build build/rpiperf, the libraries and tools
#   make demo       install missing dependencies, build, run on a sample
#   make check      install missing dependencies, build, run every test
#   make sanitize   build and run the tests under ASan + UBSan
#   make valgrind   run the tests under valgrind (RPP_TEST_SELECT=cli,
#                   RPP_TEST_ONLY="NAME ..." for some of them)
#   make bench      benchmarks (figures in README.md)
#   make fuzz       libFuzzer targets (FUZZ_SECONDS each, default 1800)
#   make fuzz-smoke the fuzz targets for a short bounded time
#   make lint       cppcheck and clang-tidy on the sources
#   make samples    regenerate samples/*.json with the writer library
#   make charts     redraw the charts README.md shows (samples/charts/)
#   make install    PREFIX=/usr/local DESTDIR=
#   make dist       rpiperf-VERSION.tar.gz of the files git tracks
#   make distcheck  that tarball unpacked in an empty directory, make check

CC ?= cc
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
PYTHON ?= /usr/bin/python3

PKGS_CORE = libcjson
PKGS_RENDER = cairo libpng fontconfig
PKGS_TEST = cmocka

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wswitch-enum \
       -Wno-format-nonliteral
OPT ?= -O2 -g
SAN ?=
BASE_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
       -fPIC $(WARN) $(OPT) $(SAN)
CFLAGS ?=
LDFLAGS ?=

# pkg-config is asked only when a target needs it, so that `make deps`
# works before anything is installed.
PC_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS_CORE) $(PKGS_RENDER) 2>/dev/null)
PC_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS_CORE) $(PKGS_RENDER) 2>/dev/null)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS_TEST) 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS_TEST) 2>/dev/null)

# The public headers are staged under $(BUILD)/include/rpiperf/ and used
# as <rpiperf/report.h>, exactly as a program does that includes them from
# PREFIX/include. The internal headers of each library are found through
# its own folder.
INC = $(BUILD)/include
PUBLIC_HEADERS = schema/report.h schema/event_types.def schema/phases.def \
                 schema/session_states.def schema/writer.h \
                 analyse/analyse.h render/render.h
STAGED_HEADERS = $(addprefix $(INC)/rpiperf/,$(notdir $(PUBLIC_HEADERS))) \
                 $(INC)/rpiperf/version.h

ALL_CFLAGS = $(BASE_CFLAGS) -I$(INC) $(INTERNAL_INC) $(PC_CFLAGS) $(CFLAGS)
INTERNAL_INC = -Ischema -Ianalyse -Irender
# The libraries export only what their headers declare with RPP_EXTERN.
LIB_CFLAGS = -fvisibility=hidden
LIBS = $(PC_LIBS) -lm -lpthread

# The ABI of the shared libraries: MAJOR is the soname and changes only
# when a program built against an earlier release could break (README.md,
# "Compatibility"); MINOR grows with additions, PATCH with fixes. It is
# not the release number of VERSION.
ABI_MAJOR = 1
ABI_MINOR = 2
ABI_PATCH = 0
ABI = $(ABI_MAJOR).$(ABI_MINOR).$(ABI_PATCH)
# The release number: written once, in the file VERSION; version.h,
# --version, the pkg-config files, the man page and the tarball take it
# from there.
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
VERSION_PARTS = $(subst ., ,$(VERSION))

SCHEMA_SRC = $(sort $(wildcard schema/*.c))
ANALYSE_SRC = $(sort $(wildcard analyse/*.c))
RENDER_SRC = $(sort $(wildcard render/*.c))
CLI_SRC = $(sort $(wildcard cli/*.c))
TEST_SRC = $(sort $(wildcard tests/unit/test_*.c))
TEST_SUPPORT_SRC = $(sort $(wildcard tests/unit/support_*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
objfull = $(patsubst %.c,$(BUILD)/obj-full/%.o,$(1))

# Two builds of the command line: rpiperf without the charts (it does not
# load cairo and its libraries at start) and rpiperf-render with them, to
# which rpiperf hands over render, report and analyse --html.
CLI_FULL_ONLY = cli/cmd_render.c cli/cmd_report.c
CLI_SRC_LEAN = $(filter-out $(CLI_FULL_ONLY),$(CLI_SRC))
LIBS_CORE = $(shell $(PKG_CONFIG) --libs $(PKGS_CORE) 2>/dev/null) -lm -lpthread

LIB_SCHEMA = $(BUILD)/librpiperf.a
LIB_ANALYSE = $(BUILD)/librpiperf-analyse.a
LIB_RENDER = $(BUILD)/librpiperf-render.a
# shared objects: the real name with the full ABI version, the soname link
# and the development link, as installed
SO_NAMES = librpiperf librpiperf-analyse librpiperf-render
SHLIBS = $(foreach n,$(SO_NAMES),$(BUILD)/$(n).so.$(ABI) $(BUILD)/$(n).so.$(ABI_MAJOR) $(BUILD)/$(n).so)
PC_FILES = $(BUILD)/pkgconfig/rpiperf.pc $(BUILD)/pkgconfig/rpiperf-analyse.pc \
           $(BUILD)/pkgconfig/rpiperf-render.pc
# render depends on analyse depends on schema: link order matters
STATIC_LIBS = $(if $(RENDER_SRC),$(LIB_RENDER)) \
              $(if $(ANALYSE_SRC),$(LIB_ANALYSE)) $(LIB_SCHEMA)

TOOLS = $(BUILD)/rpiperf $(BUILD)/rpiperf-render $(if $(wildcard samples/trace-replay.c),$(BUILD)/trace-replay) \
        $(if $(wildcard samples/simulate.c),$(BUILD)/simulate)
TEST_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))

.PHONY: all deps test-deps demo check test sanitize valgrind bench fuzz fuzz-smoke \
        lint samples charts install uninstall clean check-samples headers \
        dist distcheck FORCE

MAN_PAGE = $(BUILD)/man/rpiperf.1
COMPLETION = $(BUILD)/completion/rpiperf

all: $(TOOLS) $(SHLIBS) $(PC_FILES) $(MAN_PAGE) $(COMPLETION)

headers: $(STAGED_HEADERS) $(BUILD)/gen/commit.h

$(INC)/rpiperf/%.h: schema/%.h
	@mkdir -p $(dir $@)
	cp $< $@
$(INC)/rpiperf/%.def: schema/%.def
	@mkdir -p $(dir $@)
	cp $< $@
$(INC)/rpiperf/%.h: analyse/%.h
	@mkdir -p $(dir $@)
	cp $< $@
$(INC)/rpiperf/%.h: render/%.h
	@mkdir -p $(dir $@)
	cp $< $@
$(INC)/rpiperf/version.h: tools/version.h.in VERSION
	@mkdir -p $(dir $@)
	sed -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@VERSION_MAJOR@|$(or $(word 1,$(VERSION_PARTS)),0)|' \
	    -e 's|@VERSION_MINOR@|$(or $(word 2,$(VERSION_PARTS)),0)|' \
	    -e 's|@VERSION_PATCH@|$(or $(word 3,$(VERSION_PARTS)),0)|' $< > $@

# The commit --version names: remade at every build, replaced only when
# it changed (so that nothing is rebuilt for nothing); a temporary file of
# its own per make, as two makes may run at once (the tests run one).
$(BUILD)/gen/commit.h: FORCE
	@mkdir -p $(dir $@)
	@tmp=$@.$$$$; sh tools/gen-commit.sh > $$tmp && \
	    { cmp -s $$tmp $@ || mv $$tmp $@; }; rm -f $$tmp
FORCE:

$(BUILD)/obj/cli/main.o $(BUILD)/obj-full/cli/main.o: $(BUILD)/gen/commit.h
$(BUILD)/obj/cli/main.o $(BUILD)/obj-full/cli/main.o: INTERNAL_INC = -I$(BUILD)/gen

# bash completion, printed by the program from its own tables
$(COMPLETION): $(BUILD)/rpiperf
	@mkdir -p $(dir $@)
	$(BUILD)/rpiperf --completion bash > $@.$$$$ && mv $@.$$$$ $@

$(MAN_PAGE): man/rpiperf.1 VERSION
	@mkdir -p $(dir $@)
	sed -e 's|@VERSION@|$(VERSION)|g' $< > $@

deps:
	@sh tools/install-deps.sh build

test-deps:
	@sh tools/install-deps.sh test

$(BUILD)/obj/%.o: %.c | $(STAGED_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# cli/ uses the libraries as any program would: their public headers only
$(BUILD)/obj/cli/%.o $(BUILD)/obj-full/cli/%.o: INTERNAL_INC =

# library objects: only the API is visible outside the shared objects
$(BUILD)/obj/schema/%.o $(BUILD)/obj/analyse/%.o $(BUILD)/obj/render/%.o: \
    ALL_CFLAGS += $(LIB_CFLAGS)

$(LIB_SCHEMA): $(call obj,$(SCHEMA_SRC))
	@rm -f $@
	ar rcs $@ $^

$(LIB_ANALYSE): $(call obj,$(ANALYSE_SRC))
	@rm -f $@
	ar rcs $@ $^

$(LIB_RENDER): $(call obj,$(RENDER_SRC))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/librpiperf.so.$(ABI): $(call obj,$(SCHEMA_SRC))
	$(CC) -shared -Wl,-soname,librpiperf.so.$(ABI_MAJOR) -Wl,--no-undefined \
	    $(SAN) -o $@ $^ $(LDFLAGS) \
	    $(shell $(PKG_CONFIG) --libs $(PKGS_CORE) 2>/dev/null) -lm -lpthread

# The internal helpers of schema/util.c are hidden in librpiperf.so, so
# each of the other two shared objects carries its own (hidden) copy.
UTIL_OBJ = $(BUILD)/obj/schema/util.o

$(BUILD)/librpiperf-analyse.so.$(ABI): $(call obj,$(ANALYSE_SRC)) $(UTIL_OBJ) \
    $(BUILD)/librpiperf.so
	$(CC) -shared -Wl,-soname,librpiperf-analyse.so.$(ABI_MAJOR) \
	    -Wl,--no-undefined $(SAN) -o $@ $(call obj,$(ANALYSE_SRC)) $(UTIL_OBJ) \
	    $(LDFLAGS) -L$(BUILD) -lrpiperf -lm -lpthread

$(BUILD)/librpiperf-render.so.$(ABI): $(call obj,$(RENDER_SRC)) $(UTIL_OBJ) \
    $(BUILD)/librpiperf-analyse.so $(BUILD)/librpiperf.so
	$(CC) -shared -Wl,-soname,librpiperf-render.so.$(ABI_MAJOR) \
	    -Wl,--no-undefined $(SAN) -o $@ $(call obj,$(RENDER_SRC)) $(UTIL_OBJ) \
	    $(LDFLAGS) -L$(BUILD) -lrpiperf-analyse -lrpiperf \
	    $(shell $(PKG_CONFIG) --libs $(PKGS_RENDER) 2>/dev/null) -lm -lpthread

$(BUILD)/%.so.$(ABI_MAJOR): $(BUILD)/%.so.$(ABI)
	ln -sf $(notdir $<) $@
$(BUILD)/%.so: $(BUILD)/%.so.$(ABI_MAJOR)
	ln -sf $(notdir $<) $@

# pkg-config files for the build tree are written for PREFIX; install
# writes them again for its own PREFIX
$(BUILD)/pkgconfig/%.pc: tools/%.pc.in VERSION
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

$(BUILD)/obj-full/%.o: %.c | $(STAGED_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DRPP_CLI_FULL -MMD -MP -c $< -o $@

$(BUILD)/rpiperf: $(call obj,$(CLI_SRC_LEAN)) $(LIB_ANALYSE) $(LIB_SCHEMA)
	$(CC) $(SAN) -o $@ $(call obj,$(CLI_SRC_LEAN)) $(LIB_ANALYSE) \
	    $(LIB_SCHEMA) $(LDFLAGS) $(LIBS_CORE)

$(BUILD)/rpiperf-render: $(call objfull,$(CLI_SRC)) $(STATIC_LIBS)
	$(CC) $(SAN) -o $@ $(call objfull,$(CLI_SRC)) $(STATIC_LIBS) $(LDFLAGS) $(LIBS)

$(BUILD)/trace-replay: $(call obj,samples/trace-replay.c) $(LIB_SCHEMA)
	$(CC) $(SAN) -o $@ $^ $(LDFLAGS) $(LIBS)

$(BUILD)/simulate: $(call obj,samples/simulate.c) $(LIB_SCHEMA)
	$(CC) $(SAN) -o $@ $^ $(LDFLAGS) $(LIBS)

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c | $(STAGED_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/unit -Wno-missing-prototypes \
	    -MMD -MP -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(call obj,$(TEST_SUPPORT_SRC)) $(STATIC_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(LDFLAGS) $(CMOCKA_LIBS) $(LIBS)

# ---- the two commands of README.md -----------------------------------

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tools/demo.sh $(BUILD)

check: test-deps
	@$(MAKE) --no-print-directory all $(TEST_BINS)
	@BUILD=$(BUILD) PYTHON=$(PYTHON) sh tests/run.sh

test: all $(TEST_BINS)
	@BUILD=$(BUILD) PYTHON=$(PYTHON) sh tests/run.sh

sanitize:
	@$(MAKE) --no-print-directory BUILD=build-san OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" all \
	    $(patsubst $(BUILD)/%,build-san/%,$(TEST_BINS))
	@BUILD=build-san PYTHON=$(PYTHON) RPP_TEST_SANITIZE=1 \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/run.sh

RPP_TEST_SELECT ?= all
RPP_TEST_ONLY ?=

valgrind: all $(TEST_BINS)
	@BUILD=$(BUILD) PYTHON=$(PYTHON) RPP_TEST_VALGRIND=1 \
	    RPP_TEST_SELECT=$(RPP_TEST_SELECT) RPP_TEST_ONLY="$(RPP_TEST_ONLY)" \
	    sh tests/run.sh

bench: all $(BUILD)/bench_writer
	@BUILD=$(BUILD) PYTHON=$(PYTHON) sh tests/bench/run.sh

$(BUILD)/bench_writer: $(call obj,tests/bench/bench_writer.c) $(LIB_SCHEMA)
	$(CC) $(SAN) -o $@ $^ $(LDFLAGS) $(LIBS)

fuzz:
	@BUILD=build-fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-1800} sh tests/fuzz/run.sh

fuzz-smoke:
	@BUILD=build-fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-60} sh tests/fuzz/run.sh

lint:
	@sh tools/lint.sh

# the charts shown in README.md ("Charts", "compare"), drawn from bundled
# samples: samples/charts/NAME-CHART.png is chart CHART of
# samples/NAME.json, 900 pixels wide (tests/cli/test_render.sh draws them
# again and compares); compare-overlay.png compares six samples
SAMPLE_CHARTS = samples/charts/v3-stall-gap-throughput.png \
                samples/charts/v3-network-bound-network.png \
                samples/charts/v3-network-bound-timeline.png
COMPARE_CHART = samples/charts/compare-overlay.png
COMPARE_RUNS = samples/v3-healthy.json samples/v3-periodic-drops.json \
               samples/v3-stall-gap.json samples/v3-io-bound.json \
               samples/v3-cancelled.json samples/v3-failed.json
CHART_DEPS = $(BUILD)/rpiperf $(BUILD)/rpiperf-render

charts: $(SAMPLE_CHARTS) $(COMPARE_CHART)

samples/charts/%-timeline.png: samples/%.json $(CHART_DEPS)
	@mkdir -p $(dir $@)
	$(BUILD)/rpiperf render --only timeline --width 900 -o $(dir $@) $<
samples/charts/%-throughput.png: samples/%.json $(CHART_DEPS)
	@mkdir -p $(dir $@)
	$(BUILD)/rpiperf render --only throughput --width 900 -o $(dir $@) $<
samples/charts/%-network.png: samples/%.json $(CHART_DEPS)
	@mkdir -p $(dir $@)
	$(BUILD)/rpiperf render --only network --width 900 -o $(dir $@) $<

$(COMPARE_CHART): $(COMPARE_RUNS) $(CHART_DEPS)
	@mkdir -p $(dir $@)
	$(BUILD)/rpiperf compare --width 900 --chart $@ $(COMPARE_RUNS) >/dev/null

samples: $(BUILD)/simulate
	$(BUILD)/simulate samples

# ---- install ------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/libexec/rpiperf \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/rpiperf \
	    $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(BUILD)/rpiperf $(DESTDIR)$(PREFIX)/bin/rpiperf
	install -m 755 $(BUILD)/rpiperf-render \
	    $(DESTDIR)$(PREFIX)/libexec/rpiperf/rpiperf-render
	install -m 644 $(STATIC_LIBS) $(DESTDIR)$(PREFIX)/lib/
	for n in $(SO_NAMES); do \
	    install -m 755 $(BUILD)/$$n.so.$(ABI) $(DESTDIR)$(PREFIX)/lib/ && \
	    ln -sf $$n.so.$(ABI) $(DESTDIR)$(PREFIX)/lib/$$n.so.$(ABI_MAJOR) && \
	    ln -sf $$n.so.$(ABI_MAJOR) $(DESTDIR)$(PREFIX)/lib/$$n.so || exit 1; \
	done
	install -m 644 $(STAGED_HEADERS) $(DESTDIR)$(PREFIX)/include/rpiperf/
	for n in rpiperf rpiperf-analyse rpiperf-render; do \
	    sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
	        tools/$$n.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/$$n.pc || exit 1; \
	done
	install -m 644 $(MAN_PAGE) $(DESTDIR)$(PREFIX)/share/man/man1/rpiperf.1
	install -m 644 $(COMPLETION) \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/rpiperf

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/rpiperf $(DESTDIR)$(PREFIX)/lib/librpiperf* \
	    $(DESTDIR)$(PREFIX)/libexec/rpiperf/rpiperf-render \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig/rpiperf.pc \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig/rpiperf-analyse.pc \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig/rpiperf-render.pc \
	    $(DESTDIR)$(PREFIX)/share/man/man1/rpiperf.1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/rpiperf
	rm -rf $(DESTDIR)$(PREFIX)/include/rpiperf

# ---- release -------------------------------------------------------------

DIST_DIR ?= .

dist:
	@sh tools/dist.sh $(VERSION) $(DIST_DIR)

# its own step of the CI gate, not part of make check (it runs make check)
distcheck:
	@$(MAKE) --no-print-directory dist DIST_DIR=$(BUILD)/dist >/dev/null
	@MAKE="$(MAKE)" sh tools/distcheck.sh $(BUILD)/dist/rpiperf-$(VERSION).tar.gz

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD)/obj $(BUILD)/obj-full -name '*.d' 2>/dev/null)
