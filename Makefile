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
# Documentation/perf/, which Documentation/performance.rst shows.
bench-report:
	python3 tests/bench/bench_report.py $(BENCH_CSV) Documentation/perf

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
	@echo "make bench         benchmarks: executor, native path, guest driver against native"
	@echo "make tools-check   trace-cmd and mvgpuctl against the module, in the test VM"
	@echo "make bench-report  plots and tables of the last make bench into Documentation/perf/"

.PHONY: all module drm uapi tools unit check debug-check fuzz soak scale guest-suite bench bench-report tools-check clean distclean help
