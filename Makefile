# SPDX-License-Identifier: GPL-2.0-only
#
# mvgpu: build the module against the Debian 6.12 LTS headers, the tools
# and the userspace tests.  "make help" lists the targets.

KVER ?= $(shell $(CURDIR)/scripts/kernel.sh --version 2>/dev/null || uname -r)
KVER := $(KVER)
KDIR ?= /usr/src/linux-headers-$(KVER)

all: module drm tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The guest's DRM driver, drm/mvgpu_drm.ko (Documentation/guest-driver.rst).
drm:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm modules

# The kernel's DRM uAPI headers as userspace sees them (headers_install),
# for guest programs built with include/uapi/drm/mvgpu_drm.h:
#   cc -Ibuild/uapi/drm -Iinclude/uapi ...
KSRC ?= $(shell sed -n 's|^include \(.*\)/Makefile$$|\1|p' $(KDIR)/Makefile 2>/dev/null || echo $(KDIR))
UAPI_DRM := build/uapi/drm
uapi: $(UAPI_DRM)/drm.h $(UAPI_DRM)/drm_mode.h

$(UAPI_DRM)/%.h: $(KSRC)/include/uapi/drm/%.h
	@mkdir -p $(UAPI_DRM)
	cd $(KDIR) && sh scripts/headers_install.sh $< $(CURDIR)/$@

tools:
	$(MAKE) -C tools

unit:
	$(MAKE) -C tests/unit run

check:
	tests/run.sh

# The VM suite on the debug kernel (KASAN, lockdep, kmemleak, debug
# objects); the first run builds that kernel (about an hour).
debug-check:
	tests/debug-check.sh

fuzz:
	$(MAKE) -C tests/fuzz run SECONDS=$(or $(SECONDS),600)

# The executor's and the scanner's userspace benchmarks and the engine's
# slice times, then in the test VM the native path's, the guest
# driver's against it, copy, fill and blend and the tiny-batch rate
# through a vGPU against native (tests/bench/vm_bench.sh).  The CSV files
# of the VM's benchmarks go to build/bench/csv for make bench-report.
BENCH_OUT := build/bench/vm-out
BENCH_CSV := build/bench/csv
bench: module
	$(MAKE) -C tests/bench run slices
	$(MAKE) -C tests/guest
	$(MAKE) -C tests/vm
	rm -rf $(BENCH_OUT) && mkdir -p $(BENCH_OUT) $(BENCH_CSV)
	tests/vm/vm.sh --timeout 1800 --out $(abspath $(BENCH_OUT)) \
		--insmod mvgpu.ko --insmod mvgpu_native.ko \
		-- tests/bench/vm_bench.sh; rc=$$?; \
	cp $(BENCH_OUT)/*.csv $(BENCH_CSV)/ && \
	tests/bench/bench_meta.sh > $(BENCH_CSV)/meta.txt; exit $$rc

# Plots (SVG) and tables of the CSV files of the last "make bench" into
# Documentation/perf/, which Documentation/performance.rst shows, and the
# share-over-time plot of the last "make scale" (skipped without one).
SCALE_CSV := build/vm-out/scale/scale_shares.csv
bench-report:
	python3 tests/bench/bench_report.py $(BENCH_CSV) Documentation/perf $(SCALE_CSV)

# The whole guest suite, its ioctl fuzz included, in one L2 guest (KVM)
# in the test VM; not part of "make check" (guest_pair runs the suite in
# two guests at once).
guest-suite: module drm tools
	$(MAKE) -C tests/vm
	$(MAKE) -C tests/guest
	tests/vm/vm.sh --timeout 1800 --out build/vm-out/guest-suite \
		--insmod mvgpu.ko --insmod mvgpu_native.ko -- bash -c \
		'tests/e2e/guest_suite.sh | tee "$$MVGPU_OUT/guest_suite.tap"'

# The administrator's tools against the loaded module in the test VM:
# trace-cmd recording the mvgpu tracepoints around a workload and
# mvgpuctl against real vGPUs (about 75 s each under TCG, so not in the
# suite's inside.sh; trace_test, the tracefs check, is).
tools-check: module tools
	$(MAKE) -C tests/vm
	tests/vm/vm.sh --timeout 1200 --out build/vm-out/tools-check \
		--insmod mvgpu.ko --insmod mvgpu_native.ko -- bash -c \
		'set -o pipefail; r=0; for t in tests/vm/trace_cmd.sh tests/vm/mvgpuctl.sh; do \
			$$t | tee "$$MVGPU_OUT/$${t##*/}.tap" || r=1; done; exit $$r'

# 64 vGPUs busy for ten minutes in the test VM (MVGPU_SOAK_VGPUS,
# MVGPU_SOAK_SECONDS); not part of "make check".
soak:
	tests/soak.sh

# 64 vGPUs of mixed weights on one pGPU: shares of delivered work and of
# engine time, probe latency, maximal blits (MVGPU_SCALE_SECONDS,
# MVGPU_SCALE_LAT_SECONDS); not part of "make check".
scale:
	tests/scale.sh

# Lost L2 guests with and without a vGPU (testing.rst): rounds of two
# L2 guests at once, the arms alternating, each guest busy for
# MVGPU_CONTROL_SECONDS (300) in MVGPU_CONTROL_ROUNDS (5) rounds per arm;
# about 12 minutes per round of both arms.  Not part of "make check".
MVGPU_CONTROL_ROUNDS ?= 5
MVGPU_CONTROL_SECONDS ?= 300
l2-control: module drm tools
	$(MAKE) -C tests/vm
	$(MAKE) -C tests/guest
	tests/vm/vm.sh --timeout $$((($(MVGPU_CONTROL_SECONDS) + 600) * 2 * $(MVGPU_CONTROL_ROUNDS) + 600)) \
		--out build/vm-out/l2-control --insmod mvgpu.ko -- bash -c \
		'set -o pipefail; r=0; for i in $$(seq $(MVGPU_CONTROL_ROUNDS)); do for arm in edu vgpu; do \
			tests/e2e/l2_control.sh $$arm 1 $(MVGPU_CONTROL_SECONDS) $$i | \
			tee -a "$$MVGPU_OUT/l2_control.tap" || r=1; done; done; \
		grep "^# [a-z]*: 1 rounds" "$$MVGPU_OUT/l2_control.tap"; exit $$r'

# Install like any out-of-tree module (Documentation/admin-guide.rst): the
# modules for $(KVER) in /lib/modules/$(KVER)/updates, the tools, the
# modprobe.d options (commented-out examples) and, as examples, a
# modules-load.d file and a udev rule binding a PCI function to mvgpu.
# DESTDIR stages it; DKMS (dkms.conf) and the Debian package (debian/) are
# the other ways.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/mvgpu
# Unsigned: Debian's headers ask kbuild to sign with a key only the kernel's
# build had (sign them yourself for Secure Boot, or let DKMS use its MOK).
MOD_INSTALL = INSTALL_MOD_DIR=updates CONFIG_MODULE_SIG_ALL= \
	$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install

install: module drm tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(MOD_INSTALL)
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm $(MOD_INSTALL)
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)
	install -D -m 0644 dist/modprobe.d/mvgpu.conf $(DESTDIR)/etc/modprobe.d/mvgpu.conf
	install -D -m 0644 dist/modules-load.d/mvgpu.conf \
		$(DESTDIR)$(DOCDIR)/examples/modules-load.d/mvgpu.conf
	install -D -m 0644 dist/udev/90-mvgpu-pci.rules \
		$(DESTDIR)$(DOCDIR)/examples/udev/90-mvgpu-pci.rules
	for f in build/tools/mvgpu*; do \
		[ ! -f "$$f" ] || [ ! -x "$$f" ] || install -D -m 0755 "$$f" "$(DESTDIR)$(BINDIR)/$${f##*/}"; \
	done
	for m in $(wildcard tools/*.[1-8] tools/man/*.[1-8]); do \
		install -D -m 0644 "$$m" "$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}"; \
	done

uninstall:
	rm -f /lib/modules/$(KVER)/updates/mvgpu.ko* /lib/modules/$(KVER)/updates/mvgpu_native.ko* \
		/lib/modules/$(KVER)/updates/mvgpu_drm.ko*
	depmod -a $(KVER)
	rm -f /etc/modprobe.d/mvgpu.conf $(BINDIR)/mvgpu-vfio $(BINDIR)/mvgpuctl
	rm -rf $(DOCDIR)

# mdevctl and libvirt with the pGPU behind a spare PCI function of the
# test VM (tests/vm/mdevctl.sh, also in the suite; tests/vm/libvirt.sh,
# which boots a domain whose guest runs mvgpu_drm; tests/vm/libvirt_migrate.sh,
# virsh migrate of such a domain with QEMU 10 between two libvirtds: each
# in a writable overlay root, tests/vm/sandbox.sh).
ecosystem-check: module drm
	$(MAKE) -C tests/vm
	$(MAKE) -C tests/guest
	scripts/qemu10.sh >/dev/null
	tests/vm/vm.sh --timeout 1800 --out build/vm-out/ecosystem --device pci-testdev,addr=10 \
		--insmod mvgpu.ko -- bash -c \
		'r=0; for t in mdevctl libvirt libvirt_migrate; do tests/vm/$$t.sh | tee "$$MVGPU_OUT/$$t.tap"; \
		[ $${PIPESTATUS[0]} = 0 ] || r=1; done; exit $$r'

# The Debian source and binary packages (mvgpu-dkms, mvgpu-tools) in build/deb.
deb:
	tests/pkg/build-deb.sh build/deb

# DKMS against Debian's headers on this machine (a tree of its own), then
# the packages installed, used and removed in the test VM, DKMS building
# the modules there under TCG (over 40 minutes on a busy 2-core machine);
# not in "make check".
deb-check: deb
	tests/pkg/dkms_host.sh
	tests/vm/vm.sh --timeout 5400 --out build/vm-out/deb -- \
		tests/vm/sandbox.sh -- tests/pkg/deb_install.sh $(CURDIR)/build/deb

# clean keeps downloads (build/cache); distclean removes build/ entirely.
clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm clean
	find build -mindepth 1 -maxdepth 1 ! -name cache -exec rm -rf {} + 2>/dev/null || true
	rmdir build 2>/dev/null || true

distclean: clean
	rm -rf build

help:
	@echo "make [module|drm|tools|unit|check|fuzz SECONDS=n|clean|distclean]  KVER=$(KVER)"
	@echo "make uapi          the kernel's DRM uAPI headers for guest programs, in build/uapi/drm"
	@echo "make debug-check   the VM suite on a KASAN/lockdep/kmemleak kernel"
	@echo "make soak          64 vGPUs busy for 10 minutes, results checked"
	@echo "make scale         64 vGPUs on one pGPU: fairness by weight, latency, CSV"
	@echo "make guest-suite   the whole guest suite, fuzz included, in one L2 guest"
	@echo "make ecosystem-check  mdevctl and libvirt (PCI parent, node devices, a domain, virsh migrate) in the test VM"
	@echo "make deb           Debian packages in build/deb; make deb-check: DKMS and dpkg -i tested"
	@echo "make install       modules, tools, modprobe.d and examples (DESTDIR, PREFIX)"
	@echo "make bench         benchmarks: executor, native path, guest driver against native"
	@echo "make tools-check   trace-cmd and mvgpuctl against the module, in the test VM"
	@echo "make l2-control    L2 guests lost with a vGPU and without (edu device), alternating rounds"
	@echo "make bench-report  plots and tables of the last make bench into Documentation/perf/"

.PHONY: install uninstall ecosystem-check deb deb-check
.PHONY: all module drm uapi tools unit check debug-check fuzz soak scale l2-control guest-suite bench bench-report tools-check clean distclean help
