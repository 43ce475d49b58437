# SPDX-License-Identifier: GPL-2.0
#
# uprobectl: the module (through the kernel's build system, see Kbuild),
# the CLI, the tests and the demo.
#
#   make                  module for the running kernel, and the CLI
#   make KDIR=DIR         module against the headers in DIR
#   make install          module, CLI, man page, bash completion, uapi header
#                         and the C example (DESTDIR, PREFIX)
#   make dkms-install     module sources into /usr/src/uprobectl-VERSION (DKMS)
#   make deb, make rpm    packages (packaging/README.md)
#   make check            unit tests and the VM suite on both kernels
#   make check-packages   DKMS and the packages, as root on a throwaway machine
#   make demo             a VM on 6.1 showing the tool working
#
# The knobs of check and demo (KERNELS, TESTS, EXTRA_TESTS, VM_TIMEOUT) are
# described in README.md.

UPC_VERSION := $(shell cat VERSION)
KDIR ?= /lib/modules/$(shell uname -r)/build
BUILD ?= $(CURDIR)/build
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -I$(CURDIR)/include/uapi

all: module cli

module:
	@test -d $(KDIR) || { echo "uprobectl: kernel headers not found at $(KDIR): install linux-headers-$$(uname -r) or pass KDIR=/path/to/headers"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

cli:
	$(MAKE) -C tools/uprobectl TOP=$(CURDIR) OUT=$(BUILD)/host

# What the VM needs from the host: the CLI and the test programs. The
# programs find libtarget.so beside them ($$ORIGIN).
PROGDIR := $(BUILD)/host/progs
PROGS := $(patsubst tests/progs/%.c,$(PROGDIR)/%,$(wildcard tests/progs/*.c))

host-build: cli $(PROGDIR)/libtarget.so $(PROGS) $(PROGDIR)/target.insns \
	$(PROGDIR)/libtarget.insns $(PROGDIR)/libz.so.1 $(PROGDIR)/zlib.insns \
	$(PROGDIR)/manyfn $(PROGDIR)/manyfn.entries $(PROGDIR)/probe-events $(PROGDIR)/cxxthrow

# A private copy of zlib for the sweep: only zwork maps it ($$ORIGIN).
LIBZ := $(firstword $(wildcard /lib/x86_64-linux-gnu/libz.so.1 /usr/lib/x86_64-linux-gnu/libz.so.1))
$(PROGDIR)/libz.so.1: $(LIBZ)
	@mkdir -p $(dir $@)
	cp $< $@
$(PROGDIR)/zlib.insns: $(PROGDIR)/libz.so.1 tests/progs/zinsns.sh
	tests/progs/zinsns.sh $< > $@
$(PROGDIR)/zwork: tests/progs/zwork.c $(PROGDIR)/libz.so.1
	$(CC) $(HOST_CFLAGS) -o $@ $< $(PROGDIR)/libz.so.1 -Wl,-rpath,'$$ORIGIN'

# Every instruction boundary of a program, as "FILEOFFSET FUNCTION" lines,
# for the sweep test (text is mapped at file offset == vaddr in these).
$(PROGDIR)/%.insns: $(PROGDIR)/%
	tests/progs/insns.sh $< > $@
$(PROGDIR)/libtarget.insns: $(PROGDIR)/libtarget.so
	tests/progs/insns.sh $< > $@

$(PROGDIR)/libtarget.so: tests/progs/lib/libtarget.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -fPIC -shared -o $@ $<

$(PROGDIR)/target: tests/progs/target.c tests/progs/offset.h $(PROGDIR)/libtarget.so
	$(CC) $(HOST_CFLAGS) -rdynamic -o $@ $< -L$(PROGDIR) -ltarget \
		-Wl,-rpath,'$$ORIGIN' -lpthread -ldl

$(PROGDIR)/manyfn.c: tests/progs/gen/manyfn.sh
	@mkdir -p $(PROGDIR)
	tests/progs/gen/manyfn.sh 1000 > $@
$(PROGDIR)/manyfn: $(PROGDIR)/manyfn.c
	$(CC) $(HOST_CFLAGS) -o $@ $<
# The first instruction of each of its functions.
$(PROGDIR)/manyfn.entries: $(PROGDIR)/manyfn tests/progs/insns.sh
	tests/progs/insns.sh $< | awk '$$2 ~ /^mf_/ && !seen[$$2]++' > $@

$(PROGDIR)/oolcheck: tests/progs/oolcheck.c tests/progs/offset.h
	$(CC) $(HOST_CFLAGS) -rdynamic -o $@ $< -ldl

$(PROGDIR)/stepper: tests/progs/stepper.c tests/progs/offset.h
	$(CC) $(HOST_CFLAGS) -rdynamic -o $@ $< -ldl

$(PROGDIR)/hitbench: tests/progs/hitbench.c tests/progs/offset.h
	$(CC) $(HOST_CFLAGS) -rdynamic -o $@ $< -ldl

$(PROGDIR)/emu: tests/progs/emu.c tests/progs/offset.h
	$(CC) $(HOST_CFLAGS) -rdynamic -o $@ $< -ldl

$(PROGDIR)/lifetime: tests/progs/lifetime.c tests/progs/offset.h
	$(CC) $(HOST_CFLAGS) -rdynamic -o $@ $< -lpthread -ldl

# No PIE: fixed addresses for @ADDR, file offsets unlike addresses.
$(PROGDIR)/fetchprog: tests/progs/fetchprog.c
	$(CC) $(HOST_CFLAGS) -O1 -fno-pie -no-pie -o $@ $<

# The C API example, run by the tests.
$(PROGDIR)/probe-events: examples/probe-events.c include/uapi/linux/uprobectl.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $<

# SDT probes (<sys/sdt.h>, systemtap-sdt-dev), one with its semaphore in a library.
$(PROGDIR)/libsdt.so: tests/progs/lib/libsdt.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -fPIC -shared -o $@ $<
$(PROGDIR)/libsdt2.so: tests/progs/lib/libsdt.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -fPIC -shared -o $@ $<
$(PROGDIR)/sdtprog: tests/progs/sdtprog.c $(PROGDIR)/libsdt.so $(PROGDIR)/libsdt2.so
	$(CC) $(HOST_CFLAGS) -o $@ $< -L$(PROGDIR) -lsdt -Wl,-rpath,'$$ORIGIN' -ldl
$(PROGDIR)/cxxthrow: tests/progs/cxxthrow.cc
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -o $@ $<

$(PROGDIR)/%: tests/progs/%.c include/uapi/linux/uprobectl.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $< -lpthread

install: all install-module install-tools

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install

# The CLI and what comes with it (no kernel headers needed).
install-tools: cli
	install -D -m 0755 $(BUILD)/host/uprobectl $(DESTDIR)$(PREFIX)/bin/uprobectl
	install -D -m 0644 include/uapi/linux/uprobectl.h \
		$(DESTDIR)$(PREFIX)/include/linux/uprobectl.h
	install -D -m 0644 tools/uprobectl/uprobectl.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/uprobectl.8
	install -D -m 0644 tools/uprobectl/uprobectl.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/uprobectl
	install -D -m 0644 examples/probe-events.c \
		$(DESTDIR)$(PREFIX)/share/doc/uprobectl/examples/probe-events.c

# The module's sources for DKMS, under /usr/src/uprobectl-VERSION; without
# DESTDIR they are also registered with DKMS ('dkms install' builds them).
DKMS_SRC = $(DESTDIR)/usr/src/uprobectl-$(UPC_VERSION)
dkms-install:
	@test "$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)" = "$(UPC_VERSION)" || \
		{ echo "uprobectl: dkms.conf's PACKAGE_VERSION is not $(UPC_VERSION) (VERSION)"; exit 1; }
	install -d $(DKMS_SRC)/src/compat $(DKMS_SRC)/include/uapi/linux
	install -m 0644 Kbuild VERSION dkms.conf $(DKMS_SRC)/
	install -m 0644 src/*.c src/*.h $(DKMS_SRC)/src/
	install -m 0644 src/compat/*.h $(DKMS_SRC)/src/compat/
	install -m 0644 include/uapi/linux/uprobectl.h $(DKMS_SRC)/include/uapi/linux/
	@if [ -z "$(DESTDIR)" ] && command -v dkms > /dev/null; then \
		dkms add -m uprobectl -v $(UPC_VERSION) && \
		echo "uprobectl: now 'dkms install uprobectl/$(UPC_VERSION)' builds and installs it"; \
	elif [ -z "$(DESTDIR)" ]; then \
		echo "uprobectl: sources in $(DKMS_SRC); install dkms, then 'dkms install uprobectl/$(UPC_VERSION)'"; \
	fi

# Debian packages and RPMs (packaging/README.md); the packaging test runs
# as root on a throwaway machine: it installs packages and kernel headers.
deb:
	@packaging/build-deb.sh

rpm:
	@packaging/build-rpm.sh

check-packages:
	@tests/packaging/check.sh

check:
	@tests/check.sh

check-unit:
	@ONLY=unit tests/check.sh

demo:
	@KERNELS=$${KERNELS:-6.1} tests/vm/testbed.sh demo

# Benchmarks (not pass/fail): ratios against the built-in uprobes on the
# same boot, medians of BENCH_ROUNDS (default 5) alternated rounds.
bench: host-build
	@TESTS=$${TESTS:-.} tests/vm/testbed.sh bench

checkpatch:
	@tests/checkpatch.sh

clean:
	rm -rf $(BUILD)
	rm -f *.o *.ko *.mod *.mod.c *.mod.o modules.order Module.symvers .*.cmd
	rm -f src/*.o src/.*.cmd

.PHONY: all module cli host-build install install-module install-tools dkms-install deb rpm check-packages check check-unit demo bench checkpatch clean
