// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-VM tests' reader of the kernel's stage figures (debugfs
 * mvgpu_stages/<vGPU>, tests/vm/vm_util.h): each stage gets its own
 * line's figures, whichever lines follow it.
 */
#include <stdio.h>

#include "../vm/vm_util.h"

#include "kselftest_harness.h"

/* As stages_show() prints them (gvt/stages_debugfs.c). */
static const char figures[] =
	"# stage samples p50_ns p99_ns max_ns (on)\n"
	"trap 10 1001 1002 1003\n"
	"scan 10 2001 2002 2003\n"
	"queue 10 3001 3002 3003\n"
	"start 10 4001 4002 4003\n"
	"engine 10 5001 5002 5003\n"
	"deliver 10 6001 6002 6003\n"
	"interrupt 0 0 0 0\n"
	"total 10 8001 8002 8003\n";

static int parse(const char *stage, unsigned long long v[4])
{
	FILE *f = fmemopen((void *)figures, sizeof(figures) - 1, "r");
	int ret;

	if (!f)
		return -2;
	ret = vgpu_stage_parse(f, stage, v);
	fclose(f);
	return ret;
}

TEST(each_stage_gets_its_own_line)
{
	static const char *const names[] = {
		"trap", "scan", "queue", "start", "engine", "deliver",
	};
	unsigned long long v[4];
	unsigned int i;

	for (i = 0; i < 6; i++) {
		ASSERT_EQ(0, parse(names[i], v)) TH_LOG("%s", names[i]);
		EXPECT_EQ(10, v[0]) TH_LOG("%s", names[i]);
		EXPECT_EQ((i + 1) * 1000 + 1, v[1]) TH_LOG("%s p50", names[i]);
		EXPECT_EQ((i + 1) * 1000 + 2, v[2]) TH_LOG("%s p99", names[i]);
		EXPECT_EQ((i + 1) * 1000 + 3, v[3]) TH_LOG("%s max", names[i]);
	}
	ASSERT_EQ(0, parse("total", v));
	EXPECT_EQ(8001, v[1]);
}

TEST(a_stage_without_samples_or_unknown_is_missing)
{
	unsigned long long v[4] = { 7, 7, 7, 7 };

	EXPECT_EQ(-1, parse("interrupt", v));
	EXPECT_EQ(-1, parse("nonesuch", v));
	EXPECT_EQ(7, v[0]);
	EXPECT_EQ(7, v[1]);
}

TEST_HARNESS_MAIN
