# daxperf: `make` builds ./daxperf; `make check` runs every test; `make bench` the performance targets.
CC ?= cc
SHELL := /bin/bash
PKGS := libpmem hwloc numa inih jansson zlib gsl
OPT ?= -O2 -g
CFLAGS += $(OPT) $(SANFLAGS) -std=c11 -Wall -Wextra -Wformat=2 -Wformat-security -D_GNU_SOURCE -pthread
# every project include is written from engine/ ("lib/util.h") or the top ("workloads/workload.h")
CPPFLAGS += -Iengine -I.
CFLAGS += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
CPPFLAGS += -DDAXPERF_GIT='"$(GIT_REV)"'
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
BUILD ?= build

ENGINE_SRC := $(filter-out engine/cli/main.c,$(wildcard engine/*/*.c))
WORKLOAD_SRC := $(wildcard workloads/*.c)
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(ENGINE_SRC) $(WORKLOAD_SRC))
MAIN_OBJ := $(BUILD)/engine/cli/main.o
HEADERS := $(wildcard engine/*/*.h workloads/*.h)

DEB_PKGS := build-essential pkg-config libpmem-dev libhwloc-dev libnuma-dev libinih-dev libjansson-dev \
	libcmocka-dev zlib1g-dev libgsl-dev gnuplot-nox fio jq xfsprogs e2fsprogs util-linux \
	qemu-system-x86 busybox-static cpio kmod ndctl daxctl chromium groff-base dpkg-dev debhelper lintian \
	openssh-server openssh-client parallel rsync

.PHONY: all deps check $(SUITES) unit integration plot-check robust diff-check fleet-check lab-check check-asan check-tsan fuzz bench clean
all: daxperf

daxperf: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Debian packages every part of daxperf needs (run as root).
deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_PKGS)

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS) $(shell pkg-config --libs cmocka)

unit: $(UNIT_TESTS)
	@bash tests/run-unit $(UNIT_TESTS)

integration: daxperf
	@bash tests/integration/run
	@bash tests/poison/run

$(BUILD)/tests/poke: tests/lab/poke.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

# real fsdax in the emulated machine (needs root, QEMU from make deps; the kernel is fetched once)
lab-check: daxperf $(BUILD)/tests/poke
	@bash tests/lab/run

plot-check: daxperf
	@bash tests/plot/run

robust: daxperf
	@bash tests/robust/run

diff-check: daxperf
	@bash tests/diff/run

# scripts/fleet over ssh to a private sshd on 127.0.0.1 (needs root, openssh-server and parallel)
fleet-check: daxperf
	@bash tests/fleet/run

# AddressSanitizer + UndefinedBehaviorSanitizer: the unit, integration and robustness suites on an
# instrumented build (build-asan/); any report fails the run.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
check-asan:
	$(MAKE) -s BUILD=build-asan OPT="-O1 -g" SANFLAGS="-fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
		build-asan/daxperf-asan $(patsubst $(BUILD)/%,build-asan/%,$(UNIT_TESTS))
	@$(SAN_ENV) bash tests/run-unit $(patsubst $(BUILD)/%,build-asan/%,$(UNIT_TESTS))
	@$(SAN_ENV) DAXPERF=$(CURDIR)/build-asan/daxperf-asan bash tests/integration/run
	@$(SAN_ENV) DAXPERF=$(CURDIR)/build-asan/daxperf-asan bash tests/poison/run
	@$(SAN_ENV) DAXPERF=$(CURDIR)/build-asan/daxperf-asan bash tests/robust/run
	@$(SAN_ENV) DAXPERF=$(CURDIR)/build-asan/daxperf-asan bash tests/plot/run
	@$(SAN_ENV) DAXPERF=$(CURDIR)/build-asan/daxperf-asan bash tests/diff/run

build-asan/daxperf-asan: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# ThreadSanitizer on the multi-threaded workloads
check-tsan:
	$(MAKE) -s BUILD=build-tsan OPT="-O1 -g" SANFLAGS="-fsanitize=thread" build-tsan/daxperf-tsan
	@TSAN_OPTIONS=halt_on_error=1 DAXPERF=$(CURDIR)/build-tsan/daxperf-tsan bash tests/tsan/run

build-tsan/daxperf-tsan: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# libFuzzer (clang) over the config parser and the result reader; FUZZ_SECONDS each (default 60)
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
fuzz:
	$(MAKE) -s BUILD=build-fuzz CC=clang OPT="-O1 -g" SANFLAGS="$(FUZZ_SAN)" build-fuzz/fuzz_config build-fuzz/fuzz_result
	@mkdir -p build-fuzz/corpus-config build-fuzz/corpus-result
	@cp configs/*.ini build-fuzz/corpus-config/ && cp tests/fuzz/regressions/config-* build-fuzz/corpus-config/ 2>/dev/null || true
	@for f in tests/fixtures/*/result.json; do cp $$f build-fuzz/corpus-result/$$(basename $$(dirname $$f)).json; done
	@cp tests/fuzz/regressions/result-* build-fuzz/corpus-result/ 2>/dev/null || true
	build-fuzz/fuzz_config -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=4096 build-fuzz/corpus-config
	build-fuzz/fuzz_result -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 build-fuzz/corpus-result

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_OBJ)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(LDLIBS)

# every suite, then one total line over all of them (a suite that fails still lets the others run)
SUITES := unit integration plot-check robust diff-check fleet-check check-asan check-tsan lab-check install-check
check:
	@mkdir -p $(BUILD)
	@set -o pipefail; $(MAKE) -k --no-print-directory $(SUITES) 2>&1 | tee $(BUILD)/check.log; rc=$$?; \
		bash tests/total $(BUILD)/check.log && exit $$rc

# --- installing: make install / uninstall (PREFIX, DESTDIR honoured), the man page, bash completion ---
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/daxperf
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
CONFIG_FILES := $(notdir $(wildcard configs/*.ini))
SCRIPT_FILES := $(notdir $(wildcard scripts/*))
COMPLETION := $(BUILD)/completion/daxperf

# the installed binary finds configs/ and scripts/ in DATADIR (a source tree finds its own first);
# paths.o is rebuilt when DATADIR changes
$(BUILD)/engine/lib/paths.o: CPPFLAGS += -DDAXPERF_DATADIR='"$(DATADIR)"'
$(BUILD)/engine/lib/paths.o: $(BUILD)/datadir
$(BUILD)/datadir: FORCE
	@mkdir -p $(dir $@); [ "$$(cat $@ 2>/dev/null)" = '$(DATADIR)' ] || echo '$(DATADIR)' > $@
FORCE:

# the man page and the completion script are printed by daxperf from its own tables
all: daxperf.1 $(COMPLETION)
daxperf.1: daxperf $(wildcard configs/*.ini) scripts/lab
	./daxperf man > $@.tmp && mv $@.tmp $@
$(COMPLETION): daxperf $(wildcard configs/*.ini) scripts/lab
	@mkdir -p $(dir $@)
	./daxperf completion bash > $@.tmp && mv $@.tmp $@

install: daxperf daxperf.1 $(COMPLETION)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/configs $(DESTDIR)$(DATADIR)/scripts \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 daxperf $(DESTDIR)$(BINDIR)/daxperf
	install -m 644 $(addprefix configs/,$(CONFIG_FILES)) $(DESTDIR)$(DATADIR)/configs/
	install -m 755 $(addprefix scripts/,$(SCRIPT_FILES)) $(DESTDIR)$(DATADIR)/scripts/
	install -m 644 daxperf.1 $(DESTDIR)$(MANDIR)/man1/daxperf.1
	install -m 644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/daxperf

# removes exactly what install put there; of the directories only daxperf's own, when empty
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/daxperf $(DESTDIR)$(MANDIR)/man1/daxperf.1 $(DESTDIR)$(BASHCOMPDIR)/daxperf \
		$(addprefix $(DESTDIR)$(DATADIR)/configs/,$(CONFIG_FILES)) \
		$(addprefix $(DESTDIR)$(DATADIR)/scripts/,$(SCRIPT_FILES))
	-rmdir $(DESTDIR)$(DATADIR)/configs $(DESTDIR)$(DATADIR)/scripts $(DESTDIR)$(DATADIR) 2>/dev/null

# installs into a scratch DESTDIR and runs the installed daxperf from elsewhere; the Debian package too
install-check:
	@bash tests/install/run
.PHONY: install uninstall install-check FORCE

bench: daxperf
	@bash tests/bench/run

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz daxperf daxperf.1
