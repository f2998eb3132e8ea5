#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every mvgpu test, from a fresh Debian 12 machine: installs what it needs,
# builds, lints, runs the userspace unit tests, then boots the test VM for
# the in-VM and guest tests.  Ends with "N passed, N failed" and exits
# non-zero on any failure.  Logs go to build/test-logs/.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOGS=$TOP/build/test-logs
cd "$TOP" || exit 1

# PASS/FAIL lines are also kept in $LOGS/results.txt, which
# tests/robustness.py reads.
RESULTS_FILE=$LOGS/results.txt
. tests/lib/results.sh

# A step that must succeed for anything else to run.
setup() { # name command...
	local name=$1
	shift
	echo "# $name"
	if ! "$@" > "$LOGS/$name.log" 2>&1; then
		tail -n 30 "$LOGS/$name.log"
		result 1 "$name"
		finish
	fi
}

# Rebuild every object so W=1 and sparse see every file.  (kbuild's own
# clean would also delete the cached kernel's modules under build/.)
build_module_clean() {
	find gvt mdev native sgpu -name '*.o' -delete
	rm -f mvgpu.ko mvgpu.o mvgpu.mod mvgpu.mod.c
	rm -f mvgpu_native.ko mvgpu_native.o mvgpu_native.mod mvgpu_native.mod.c
	make module KVER="$KVER" W=1 C=2 > "$LOGS/module.log" 2>&1 &&
		! grep -E 'warning:|error:' "$LOGS/module.log"
}

# The guest's driver, drm/, to the same bar.
build_drm_clean() {
	find drm -name '*.o' -delete
	rm -f drm/mvgpu_drm.ko drm/mvgpu_drm.mod drm/mvgpu_drm.mod.c
	make drm KVER="$KVER" W=1 C=2 > "$LOGS/drm.log" 2>&1 &&
		! grep -E 'warning:|error:' "$LOGS/drm.log"
}

checkpatch_files() {
	local f
	for f in $(git ls-files 'gvt/*.[ch]' 'mdev/*.[ch]' 'native/*.[ch]' \
			'sgpu/*.[ch]' 'drm/*.[ch]' 'include/*.h' 'tools/*.[ch]'); do
		build/checkpatch/checkpatch.pl --strict --no-tree --quiet \
			--ignore FILE_PATH_CHANGES -f "$f" > "$LOGS/checkpatch.tmp" 2>&1
		local r=$?
		[ $r -eq 0 ] || cat "$LOGS/checkpatch.tmp"
		result $r "checkpatch --strict $f"
	done
	rm -f "$TOP"/.checkpatch-camelcase.* "$LOGS/checkpatch.tmp"
}

# The layers' include rule (Documentation/architecture.rst).
check_include_rule() {
	tests/check-includes.sh > "$LOGS/check-includes.log" 2>&1
	local r=$?
	[ $r -eq 0 ] || grep -v 'the include rule holds' "$LOGS/check-includes.log"
	result $r "include rule: gvt/ includes nothing of mdev/ or sgpu/, mdev/ and native/ only public headers, sgpu/ only the backend contract"
}

# modinfo: every module parameter with a description naming its default.
check_modinfo() {
	tests/check-modinfo.sh > "$LOGS/check-modinfo.log" 2>&1
	local r=$?
	[ $r -eq 0 ] || cat "$LOGS/check-modinfo.log"
	result $r "modinfo: every module has a description, every parameter a description naming its default"
}

# kernel-doc comments and Documentation/*.rst build without a warning.
check_docs() {
	tests/check-docs.py > "$LOGS/check-docs.log" 2>&1
	local r=$?
	[ $r -eq 0 ] || grep -v '^# check-docs' "$LOGS/check-docs.log"
	result $r "docs: kernel-doc -Wall and docutils find nothing to warn about, index.rst lists every page"
}

make_clean_restores_tree() {
	local tmp r
	tmp=$(mktemp -d)
	git clone -q "$TOP" "$tmp/src" &&
		git ls-files -co --exclude-standard | tar -cf - -T - |
		tar -xf - -C "$tmp/src"
	(cd "$tmp/src" && rm -rf build &&
		before=$(git status --porcelain --ignored) &&
		make -s module tools KVER="$KVER" >/dev/null 2>&1 &&
		make -s clean KVER="$KVER" >/dev/null 2>&1 &&
		[ "$before" = "$(git status --porcelain --ignored)" ])
	r=$?
	rm -rf "$tmp"
	return $r
}

run_unit() {
	local t
	make -C tests/unit all > "$LOGS/unit-build.log" 2>&1
	result $? "unit tests build"
	local name
	# build/unit/tsan/: the threaded tests again, under ThreadSanitizer
	for t in build/unit/* build/unit/tsan/*; do
		[ -f "$t" ] || continue
		name=${t#build/unit/}
		TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}" "$t" \
			> "$LOGS/unit-${name//\//-}.tap" 2>&1
		count_tap "$LOGS/unit-${name//\//-}.tap" "unit/$name"
	done
}

# Figures, not pass/fail: the run only has to work.
run_bench() {
	make -C tests/bench run > "$LOGS/bench.log" 2>&1
	local r=$?
	grep -E 'ratio|per submission|per batch' "$LOGS/bench.log" | sed 's/^/# /'
	result $r "executor benchmark runs and prints its figures"
}

run_fuzz() {
	make -C tests/fuzz run SECONDS="${MVGPU_FUZZ_SECONDS:-15}" \
		> "$LOGS/fuzz.log" 2>&1
	local r=$?
	[ $r -eq 0 ] || tail -n 30 "$LOGS/fuzz.log"
	result $r "fuzzers ran ${MVGPU_FUZZ_SECONDS:-15} s each on their corpus without a finding"
}

# One boot of the test VM.  A VM that died (vm.sh exit 121) in code that
# is not ours boots again, up to four boots in all, and runs the suites
# it had not finished (inside.sh, MVGPU_DONE_DIR): QEMU's TCG crashes L1
# now and then under nested KVM with two L2 guests (an int3 oops, a
# triple fault, a corrupted stack; see Documentation/testing.rst).  The
# suite it was in is named, and its console kept.
vm_boot() { # out
	rm -rf "$1"
	mkdir -p "$1"
	tests/vm/vm.sh --timeout 2100 --out "$1" --device pci-testdev,addr=10 --insmod mvgpu.ko \
		--insmod mvgpu_native.ko -- tests/vm/inside.sh > "$LOGS/vm.log" 2>&1
}

run_vm() {
	local out=$TOP/build/vm-out/suite r s
	rm -rf "$out.crashed" "$LOGS/vm-crash.log"
	local boots=1
	vm_boot "$out"
	r=$?
	while [ $r -eq 121 ] && [ $boots -lt 4 ] &&
		! "$TOP/tests/vm/crash-in-mvgpu.sh" "$out/console.log"; do
		boots=$((boots + 1))
		echo "# test VM crashed outside mvgpu (see $LOGS/vm-crash.log, $out.crashed); boot $boots runs the suites it had not finished"
		grep -h 'MVGPU_SUITE_BEGIN' "$out/console.log" | tail -n 1 | sed 's/^/#   it was in: /'
		cat "$LOGS/vm.log" >> "$LOGS/vm-crash.log"
		# the suites finished in every boot so far
		mkdir -p "$out.crashed"
		cp -f "$out"/*.rc "$out"/*.tap "$out.crashed"/ 2>/dev/null
		cp -f "$out/console.log" "$out.crashed/console-$((boots - 1)).log"
		[ ! -f "$out/triple-fault.txt" ] || cp -f "$out/triple-fault.txt" "$out.crashed/triple-fault-$((boots - 1)).txt"
		rm -rf "$out"
		MVGPU_DONE_DIR=$out.crashed vm_boot "$out"
		r=$?
	done
	for s in "$out"/*.tap; do
		[ -e "$s" ] || continue
		s=${s##*/}
		count_tap "$out/$s" "${s%.tap}"
	done
	# The harness itself: VM boots, module loads and unloads, kernel
	# log clean (no oops, WARN, BUG, lockup, or taint beyond O/E).
	grep -hE '^# (copy|empty) ' "$out"/vm-native-bench.tap 2>/dev/null |
		sed 's/^# /# native path in the VM: /'
	grep -hE '^# .*(ratio|traps per submission)' "$out"/vm-vgpu-bench.tap 2>/dev/null |
		sed 's/^# /# vGPU against native in the VM: /'
	grep -hE '^# .*of the engine' "$out"/vm-sched.tap 2>/dev/null
	for s in "$out"/e2e-*.tap; do
		[ -e "$s" ] || continue
		grep -hE '^# (an L2 guest ended|first run:)' "$s" |
			sed "s/^# /# $(basename "$s" .tap): /"
	done
	[ $r -eq 0 ] || tail -n 40 "$LOGS/vm.log"
	result $r "vm: suite ran, module unloaded, kernel log and taint clean"
}

mkdir -p "$LOGS"
: > "$LOGS/results.txt"
setup deps scripts/deps.sh
setup linux-source scripts/linux-source.sh
setup kernel scripts/kernel.sh
KVER=$(scripts/kernel.sh --version)

build_module_clean
result $? "modules build clean with W=1 and sparse (C=2)"
[ -f mvgpu.ko ] && [ -f mvgpu_native.ko ] || finish
build_drm_clean
result $? "guest driver (drm/) builds clean with W=1 and sparse (C=2)"
checkpatch_files
check_include_rule
check_modinfo
check_docs
make_clean_restores_tree
result $? "make clean leaves the tree as git has it"
setup tools make -C tools
setup vm-tests make -C tests/vm
setup guest-tests make -C tests/guest
setup qemu10 scripts/qemu10.sh # the second QEMU of the display tests
run_unit
run_bench
run_fuzz
run_vm
tests/robustness.py check
result $? "Documentation/robustness.rst: every case in the default run passed (build/test-logs/robustness.txt)"
finish
