#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# One line on the run of "make bench" for tests/bench/bench_report.py:
# date, the machine running the test VM, its load.
set -u
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
printf '%s, %s, %s cores, load average %s; test VM: QEMU TCG, 2 vCPUs\n' \
	"$(date -u '+%Y-%m-%d %H:%M UTC')" "${cpu:-unknown CPU}" "$(nproc)" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
