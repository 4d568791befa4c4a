# slotbench - measures what __slots__ buys on real CPython objects.
#
# Knobs (make VAR=value):
#   PYTHON    interpreter to embed (default: Debian's /usr/bin/python3);
#             another one builds into build/py<version>/ with an rpath
#   CFLAGS    optimization and debug flags (warnings are in CWARNS)
#   SANITIZE  1 to build with AddressSanitizer + UBSan (see check-sanitize)
#   V         1 to show full compiler command lines
#   ARGS      extra arguments for `make bench`, e.g. ARGS="--n 2000000"
#   RESULTS   results directories for `make plots` (default: results/latest)
#   PYTHONS   interpreters for `make bench-versions`: paths, or pyenv
#             versions such as "3.8.18 3.13.0" (default: all found)
#   GIT_REV   revision meta.json records (default: git describe --always
#             --dirty of the checkout, regenerated on every make)
#   PREFIX    where `make install` puts slotbench (default: /usr/local)
#   DESTDIR   staging directory prepended to PREFIX by install/uninstall
#
# Targets:
#   all (default)   build the harness (installs missing packages first)
#   bench           run the default suite and print the table  (~6 min)
#   bench-full      the suite at every scenario's own N (event.py: 10M)
#   bench-versions  person and player on every CPython found, one table
#                   and chart across versions     (~1 min per version)
#   plots           charts and report of results/latest or RESULTS (~10 s)
#   crosscheck-timing  person's net read and write in plain Python
#                   against a fresh run's (tests/timeit_crosscheck.py) (~1 min)
#   readme-quickstart  README's quick start tables from a real run
#                   of person and player                         (~1 min)
#   test            build and run every test                    (~2 min)
#   check-sanitize  the tests against an ASan + UBSan build     (~5 min)
#   test-debian     as root, DIST=bookworm|trixie|sid: make test and a short
#                   bench-versions in a fresh minimal root of that Debian
#                   (debootstrap; cached in .debian-roots/) (~15 min)
#   install         binary, scenarios, gnuplot scripts, man page and bash
#                   completion into DESTDIR/PREFIX              (seconds)
#   uninstall       remove what install put there
#   clean           remove build directories

PYTHON ?= /usr/bin/python3
CC ?= gcc
CXX ?= g++
CFLAGS ?= -O2 -g
CXXFLAGS ?= -O2 -g
# snprintf truncation is how the harness bounds paths and messages, by design.
CWARNS = -std=c11 -Wall -Wextra -Werror -Wno-format-truncation
CXXWARNS = -std=c++17 -Wall -Wextra -Werror
ROOT := $(CURDIR)

ifeq ($(PYTHON),/usr/bin/python3)
  BUILD ?= build
  PY_CFLAGS = $(shell pkg-config --cflags python3-embed)
  PY_LIBS = $(shell pkg-config --libs python3-embed)
else
  PYVER := $(shell $(PYTHON) -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)
  # Not yet an error: `make PYTHON=/usr/bin/python3.X` first installs that
  # interpreter's -dev package (deps), then builds in a new make.
  ifeq ($(PYVER),)
    ifneq ($(filter-out all deps,$(or $(MAKECMDGOALS),all)),)
      $(error PYTHON=$(PYTHON) does not run: give the path of a python3 executable)
    endif
  endif
  BUILD ?= build/py$(PYVER)
  PY_LIBDIR = $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))')
  PY_CFLAGS = $(shell $(PYTHON)-config --includes)
  PY_LIBS = $(shell $(PYTHON)-config --ldflags --embed) -Wl,-rpath,$(PY_LIBDIR)
endif

ifeq ($(SANITIZE),1)
  SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -DSB_SANITIZE
  BUILD = build-sanitize
endif

DEP_CFLAGS = $(shell pkg-config --cflags jansson benchmark)
DEP_LIBS = $(shell pkg-config --libs jansson benchmark) -lpthread -lm
DEFS = -DSB_ROOT='"$(ROOT)"' \
       -DSB_BENCHMARK_VERSION='"$(shell pkg-config --modversion benchmark)"'

C_SRCS = $(wildcard harness/*.c)
OBJS = $(patsubst harness/%.c,$(BUILD)/%.o,$(C_SRCS)) $(BUILD)/gbench.o
BIN = $(BUILD)/slotbench

ifeq ($(V),1)
  Q =
else
  Q = @
endif

.PHONY: all deps binary bench bench-full bench-versions plots test \
	readme-quickstart crosscheck-timing test-debian \
	check-sanitize install install-files uninstall clean FORCE

all: deps
	@$(MAKE) --no-print-directory binary

# Install missing system packages (apt-get as root), or say how to.
deps:
	@PYTHON=$(call shell_quote,$(PYTHON)) sh harness/deps.sh

binary: $(BIN)

# Build provenance, git's GIT-VERSION-FILE pattern: two generated files,
# remade on every make but rewritten only when their content changes, so
# what depends on them is rebuilt exactly when it must.
#   $(BUILD)/BUILD-FLAGS    every compile flag; every object depends on it,
#                           so other flags (CFLAGS=-O0, SANITIZE, another
#                           PYTHON) rebuild everything, as git's GIT-CFLAGS
#   $(BUILD)/build-info.h   the git revision (GIT_REV) and the build flags
#                           meta.json records; only meta.o includes it, so
#                           a new commit (or -dirty coming or going)
#                           rebuilds meta.o and relinks, nothing else
GIT_REV := $(shell git -C $(ROOT) describe --always --dirty 2>/dev/null || echo unknown)
BUILD_FLAGS = $(strip $(CC) $(CWARNS) $(CFLAGS) $(SAN_FLAGS)); \
	$(strip $(CXX) $(CXXWARNS) $(CXXFLAGS) $(SAN_FLAGS))
# $(call shell_quote,TEXT): TEXT as one shell word;
# $(call c_string,TEXT): TEXT as a C string literal, as one shell word.
shell_quote = '$(subst ','\'',$(1))'
c_string = $(call shell_quote,"$(subst ",\",$(subst \,\\,$(1)))")
# $(call update_if_changed,FILE): move FILE.tmp over FILE if they differ.
update_if_changed = if cmp -s $(1).tmp $(1); then rm -f $(1).tmp; \
	else mv -f $(1).tmp $(1) && $(if $(Q),echo "  GEN     $(1)",:); fi

$(BUILD)/BUILD-FLAGS: FORCE | $(BUILD)
	@printf '%s\n' $(call shell_quote,$(BUILD_FLAGS) $(PY_CFLAGS) $(DEP_CFLAGS) \
	    $(DEFS) $(PY_LIBS) $(DEP_LIBS)) > $@.tmp
	@$(call update_if_changed,$@)

$(BUILD)/build-info.h: FORCE | $(BUILD)
	@printf '%s\n' '/* Generated by make (see the Makefile): do not edit. */' \
	    '#define SB_GIT_REV '$(call c_string,$(GIT_REV)) \
	    '#define SB_BUILD_FLAGS '$(call c_string,$(BUILD_FLAGS)) > $@.tmp
	@$(call update_if_changed,$@)

$(BUILD)/meta.o: $(BUILD)/build-info.h
$(BUILD)/meta.o: BUILD_INFO_CFLAGS = -I$(BUILD)

$(BUILD)/%.o: harness/%.c harness/*.h $(BUILD)/BUILD-FLAGS | $(BUILD)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CWARNS) $(CFLAGS) $(SAN_FLAGS) $(PY_CFLAGS) $(DEP_CFLAGS) $(DEFS) $(BUILD_INFO_CFLAGS) -c $< -o $@

$(BUILD)/gbench.o: harness/gbench.cc harness/gbench.h $(BUILD)/BUILD-FLAGS | $(BUILD)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(CXXWARNS) $(CXXFLAGS) $(SAN_FLAGS) $(DEP_CFLAGS) $(DEFS) -c $< -o $@

$(BIN): $(OBJS)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(SAN_FLAGS) -o $@ $(OBJS) $(PY_LIBS) $(DEP_LIBS)

$(BUILD):
	@mkdir -p $@

# Run the default suite (every scenario, memory, timing and the at-scale
# ops) and print the table: about 5 minutes on a 2-core machine (263 s,
# 75 s of them the at-scale ops, at load average 0.7-1.0).
bench: all
	$(BIN) run $(ARGS)

# The suite at every scenario's own N, above 1,000,000 too (event.py:
# 10,000,000 events, about 2 GB for its dict variant): longer, and needs
# the memory.  `make bench` caps such N at 1,000,000 and says so.
bench-full: all
	$(BIN) run --full $(ARGS)

# Find the embeddable interpreters (python3 and python3.X in /usr/bin and
# /usr/local/bin, ~/.pyenv/versions/*, uv's; each decision printed with
# its reason: harness/pythons.sh list), build build/py<version>/
# for each, run ARGS (default below) on each into results/versions-<time>/,
# then versions.tsv, versions.md and the charts across versions.
VERSIONS_ARGS = --quick --n 1000000 person player
bench-versions: deps
	@PYTHONS="$(PYTHONS)" ARGS="$(if $(ARGS),$(ARGS),$(VERSIONS_ARGS))" \
	    MAKE="$(MAKE)" sh harness/pythons.sh bench

# Charts (PNG and SVG, drawn by gnuplot from plots/*.gp) and report.md /
# report.html of the newest run, or of RESULTS="dir1 dir2 ..." (several
# Python versions add the cross-version charts).  Seconds per run.
plots: all
	$(BIN) plot $(RESULTS)

# The net read and write of person, timed in plain Python on the embedded
# libpython (tests/timeit_crosscheck.py, stdlib only), against slotbench's
# timing children, the two in turn (8 of each): exit status 1 when a figure
# disagrees by more than 10%.
# A benchmark, run on a quiet machine, not a test.
crosscheck-timing: all
	/usr/bin/python3 tests/timeit_crosscheck.py --processes 8 \
	    --interleave $(BIN)

# README.md's quick start tables, rewritten from a real `run person
# player` (between its quickstart markers; nothing else changes), so they
# cannot drift from what a run prints.  About a minute.
readme-quickstart: all
	@/usr/bin/python3 harness/quickstart.py $(BIN) README.md

# Unit tests of the C modules that need no interpreter (tests/test_units.c).
UNIT_OBJS = $(BUILD)/util.o $(BUILD)/results.o $(BUILD)/schema.o $(BUILD)/tsv.o \
	$(BUILD)/sysmem.o $(BUILD)/stats.o $(BUILD)/gbjson.o $(BUILD)/claims.o \
	$(BUILD)/claims_time.o $(BUILD)/claims_scale.o $(BUILD)/verdict.o \
	$(BUILD)/pool.o $(BUILD)/pool_facts.o $(BUILD)/pool_quiet.o $(BUILD)/ops.o \
	$(BUILD)/between.o
$(BUILD)/test_units: tests/test_units.c $(UNIT_OBJS) harness/*.h $(BUILD)/BUILD-FLAGS
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CWARNS) $(CFLAGS) $(SAN_FLAGS) $(DEP_CFLAGS) -o $@ $< $(UNIT_OBJS) $(DEP_LIBS)

# The Google Benchmark shim's own test program (tests/test_gbench.c).
$(BUILD)/test_gbench: tests/test_gbench.c $(BUILD)/gbench.o harness/gbench.h $(BUILD)/BUILD-FLAGS
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CWARNS) $(CFLAGS) $(SAN_FLAGS) -c $< -o $@.o
	$(Q)$(CXX) $(SAN_FLAGS) -o $@ $@.o $(BUILD)/gbench.o $(DEP_LIBS)

# Build and run every test; ends with "N passed, N failed".  About 2 minutes.
test: all
	@$(MAKE) --no-print-directory $(BUILD)/test_units $(BUILD)/test_gbench
	@/usr/bin/python3 tests/run.py --bin $(BIN)

# Build with AddressSanitizer + UBSan into build-sanitize/ and run the test
# suite against it; any sanitizer report fails the test that caused it.
# CPython's own allocations that live until exit are suppressed
# (tests/sanitize/README.md).  About 5 minutes.
SAN_ENV = ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(ROOT)/tests/sanitize/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
check-sanitize: deps
	@$(MAKE) --no-print-directory SANITIZE=1 build-sanitize/slotbench \
	    build-sanitize/test_units build-sanitize/test_gbench
	@$(SAN_ENV) /usr/bin/python3 tests/run.py --bin build-sanitize/slotbench \
	    $(SAN_EXCLUDE)
# Tests of measured figures that ASan's own malloc changes (see the README).
SAN_EXCLUDE = -x test_every_scenario_runs_with_small_n \
	-x test_pays_off_only_when_values_are_shared \
	-x test_net_read_and_write_agree_with_plain_python \
	-x test_scan_random_within_ten_percent

# The README's commands on a new machine of Debian DIST that has only make
# and git: harness/debroot.sh builds a minimal root with debootstrap (as
# root; the mirror is the host's; cached in .debian-roots/, so only the
# first run pays the minutes), copies it, clones this checkout's HEAD into
# it, runs make test and a short make bench-versions over every python3.X
# the release ships, and copies that run to results/debian-DIST-TIME/.
# Measured on a busy 2-core machine: 12-15 minutes a release (make test
# in the root is most of it; sid's three interpreters add about a minute).
test-debian:
	@sh harness/debroot.sh $(if $(DIST),$(call shell_quote,$(DIST)),)

# Install into DESTDIR/PREFIX: bin/slotbench; share/slotbench/ with the
# shipped scenarios and the gnuplot scripts (found from the binary's own
# place, ../share/slotbench, so a DESTDIR tree works where it is); the man
# page and the bash completion, written by the binary from its options
# table (manpage.c), so they say what the code does.  The build in the
# checkout keeps using the checkout.  install-files installs an existing
# BIN without building.  Seconds.
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
SHAREDIR = $(DESTDIR)$(PREFIX)/share/slotbench
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
COMPLETIONDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
INSTALL ?= install
install: all
	@$(MAKE) --no-print-directory install-files

install-files:
	$(INSTALL) -d $(BINDIR) $(SHAREDIR)/scenarios $(SHAREDIR)/plots \
	    $(MANDIR) $(COMPLETIONDIR)
	$(INSTALL) -m 755 $(BIN) $(BINDIR)/slotbench
	$(INSTALL) -m 644 scenarios/*.py $(SHAREDIR)/scenarios/
	$(INSTALL) -m 644 plots/*.gp $(SHAREDIR)/plots/
	$(BIN) __man > $(MANDIR)/slotbench.1
	$(BIN) __completion > $(COMPLETIONDIR)/slotbench
	chmod 644 $(MANDIR)/slotbench.1 $(COMPLETIONDIR)/slotbench

uninstall:
	rm -f $(BINDIR)/slotbench $(MANDIR)/slotbench.1 \
	    $(COMPLETIONDIR)/slotbench
	rm -rf $(SHAREDIR)

clean:
	rm -rf build build-sanitize

FORCE:
