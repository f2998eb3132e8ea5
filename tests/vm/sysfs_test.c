// SPDX-License-Identifier: GPL-2.0-only
/*
 * vGPU types and lifecycle through sysfs: attributes, create and remove,
 * available_instances bookkeeping, bad input to every writable file.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "vm_util.h"

static void remove_all(void)
{
	char path[300];
	struct dirent *e;
	DIR *d = opendir(MDEV_DIR);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), MDEV_DIR "/%s/remove", e->d_name);
		sysfs_write(path, "1");
	}
	closedir(d);
}

TEST(pgpu_is_an_mdev_parent_with_types)
{
	struct stat st;
	unsigned int i;

	ASSERT_EQ(0, stat("/sys/class/mvgpu/mvgpu0", &st));
	ASSERT_EQ(0, stat(TYPES_DIR, &st));
	for (i = 0; i < ARRAY_SIZE(vgpu_types); i++) {
		char path[256];

		snprintf(path, sizeof(path), TYPES_DIR "/%s", vgpu_types[i]);
		EXPECT_EQ(0, stat(path, &st)) TH_LOG("missing %s", path);
	}
}

TEST(type_attributes_are_truthful)
{
	static const struct { const char *type, *name; long avail; } want[] = {
		{ "mvgpu-V1_64", "mvgpu_V1_64", 64 },
		{ "mvgpu-V1_32", "mvgpu_V1_32", 32 },
		{ "mvgpu-V1_16", "mvgpu_V1_16", 16 },
		{ "mvgpu-V1_8", "mvgpu_V1_8", 8 },
		{ "mvgpu-V1_4", "mvgpu_V1_4", 4 },
		{ "mvgpu-V1_2", "mvgpu_V1_2", 2 },
		{ "mvgpu-V1_1", "mvgpu_V1_1", 1 },
	};
	char path[256], buf[512];
	unsigned int i;

	remove_all();
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		snprintf(path, sizeof(path), TYPES_DIR "/%s/name", want[i].type);
		ASSERT_LT(0, sysfs_read(path, buf, sizeof(buf)));
		EXPECT_STREQ(want[i].name, strtok(buf, "\n"));
		snprintf(path, sizeof(path), TYPES_DIR "/%s/device_api", want[i].type);
		ASSERT_LT(0, sysfs_read(path, buf, sizeof(buf)));
		EXPECT_STREQ("vfio-pci", strtok(buf, "\n"));
		snprintf(path, sizeof(path), TYPES_DIR "/%s/description", want[i].type);
		ASSERT_LT(0, sysfs_read(path, buf, sizeof(buf)));
		EXPECT_NE(NULL, strstr(buf, "aperture_mb:"));
		EXPECT_NE(NULL, strstr(buf, "weight:"));
		EXPECT_NE(NULL, strstr(buf, "resolution:"));
		EXPECT_EQ(want[i].avail, type_available(want[i].type));
	}
}

TEST(create_and_remove_update_available_instances_across_types)
{
	char a[40], b[40];

	remove_all();
	make_uuid(a);
	make_uuid(b);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_4", a));
	EXPECT_EQ(3, type_available("mvgpu-V1_4"));
	EXPECT_EQ(6, type_available("mvgpu-V1_8"));
	EXPECT_EQ(1, type_available("mvgpu-V1_2"));
	EXPECT_EQ(0, type_available("mvgpu-V1_1"));
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", b));
	EXPECT_EQ(5, type_available("mvgpu-V1_8"));
	EXPECT_EQ(2, type_available("mvgpu-V1_4"));
	EXPECT_EQ(2, sysfs_read_long("/sys/class/mvgpu/mvgpu0/vgpus"));
	EXPECT_EQ(16, vgpu_attr(a, "weight"));
	EXPECT_EQ(8, vgpu_attr(b, "weight"));
	EXPECT_EQ(40, type_available("mvgpu-V1_64"));
	EXPECT_NE(vgpu_attr(a, "vgpu_id"), vgpu_attr(b, "vgpu_id"));
	ASSERT_EQ(0, vgpu_remove(a));
	EXPECT_EQ(7, type_available("mvgpu-V1_8"));
	EXPECT_EQ(0, type_available("mvgpu-V1_1"));
	ASSERT_EQ(0, vgpu_remove(b));
	EXPECT_EQ(8, type_available("mvgpu-V1_8"));
	EXPECT_EQ(1, type_available("mvgpu-V1_1"));
	EXPECT_EQ(0, sysfs_read_long("/sys/class/mvgpu/mvgpu0/vgpus"));
}

TEST(vgpus_get_disjoint_graphics_memory)
{
	char u[8][40];
	long base[8];
	int i, j;

	remove_all();
	for (i = 0; i < 8; i++) {
		make_uuid(u[i]);
		ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", u[i]));
		base[i] = vgpu_attr(u[i], "aperture_base");
		EXPECT_EQ(64 << 20, vgpu_attr(u[i], "aperture_size"));
	}
	for (i = 0; i < 8; i++)
		for (j = i + 1; j < 8; j++)
			EXPECT_NE(base[i], base[j]);
	EXPECT_EQ(0, type_available("mvgpu-V1_8"));
	remove_all();
}

/*
 * 64 of the smallest type fill a pGPU: each gets 1/64 of the aperture and
 * of hidden memory, no two overlap, the 65th and any larger type are
 * refused, and one removed frees room for exactly one again.
 */
TEST(sixty_four_v1_64_fill_a_pgpu_with_disjoint_memory)
{
	static char u[64][40];
	char x[40];
	long ap[64], hid[64];
	int i, j;

	remove_all();
	for (i = 0; i < 64; i++) {
		make_uuid(u[i]);
		ASSERT_EQ(0, vgpu_create("mvgpu-V1_64", u[i])) TH_LOG("vGPU %d", i);
		ap[i] = vgpu_attr(u[i], "aperture_base");
		hid[i] = vgpu_attr(u[i], "hidden_base");
		EXPECT_EQ(8 << 20, vgpu_attr(u[i], "aperture_size"));
		EXPECT_EQ(32 << 20, vgpu_attr(u[i], "hidden_size"));
		EXPECT_EQ(1, vgpu_attr(u[i], "weight"));
		EXPECT_EQ(63 - i, type_available("mvgpu-V1_64"));
	}
	for (i = 0; i < 64; i++)
		for (j = i + 1; j < 64; j++) {
			EXPECT_LE(8 << 20, labs(ap[i] - ap[j]));
			EXPECT_LE(32 << 20, labs(hid[i] - hid[j]));
		}
	EXPECT_EQ(64, sysfs_read_long("/sys/class/mvgpu/mvgpu0/vgpus"));
	EXPECT_EQ(0, type_available("mvgpu-V1_16"));
	make_uuid(x);
	EXPECT_EQ(-ENOSPC, vgpu_create("mvgpu-V1_64", x));
	ASSERT_EQ(0, vgpu_remove(u[17]));
	EXPECT_EQ(1, type_available("mvgpu-V1_64"));
	EXPECT_EQ(0, type_available("mvgpu-V1_32"));
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_64", u[17]));
	EXPECT_EQ(ap[17], vgpu_attr(u[17], "aperture_base"));
	remove_all();
	EXPECT_EQ(64, type_available("mvgpu-V1_64"));
	EXPECT_EQ(0, sysfs_read_long("/sys/class/mvgpu/mvgpu0/vgpus"));
}

TEST(create_beyond_capacity_fails_and_leaks_nothing)
{
	char u[3][40];
	int i;

	remove_all();
	for (i = 0; i < 3; i++)
		make_uuid(u[i]);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_2", u[0]));
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_2", u[1]));
	EXPECT_EQ(0, type_available("mvgpu-V1_2"));
	EXPECT_EQ(-ENOSPC, vgpu_create("mvgpu-V1_2", u[2]));
	EXPECT_EQ(-ENOSPC, vgpu_create("mvgpu-V1_8", u[2]));
	ASSERT_EQ(0, vgpu_remove(u[0]));
	EXPECT_EQ(1, type_available("mvgpu-V1_2"));
	EXPECT_EQ(0, vgpu_create("mvgpu-V1_2", u[2]));
	remove_all();
	EXPECT_EQ(8, type_available("mvgpu-V1_8"));
	EXPECT_EQ(0, sysfs_read_long("/sys/class/mvgpu/mvgpu0/vgpus"));
}

TEST(duplicate_uuid_is_refused)
{
	char u[40];

	remove_all();
	make_uuid(u);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", u));
	EXPECT_EQ(-EEXIST, vgpu_create("mvgpu-V1_8", u));
	EXPECT_EQ(-EEXIST, vgpu_create("mvgpu-V1_4", u));
	EXPECT_EQ(7, type_available("mvgpu-V1_8"));
	remove_all();
}

TEST(garbage_to_create_is_refused)
{
	static const char *const bad[] = {
		"\n", "not-a-uuid", "12345678-1234-1234-1234-12345678901",
		"12345678-1234-1234-1234-1234567890123456",
		"zzzzzzzz-1234-1234-1234-123456789012",
		"12345678_1234_1234_1234_123456789012",
		"-1", "\xff\xfe\x01",
	};
	unsigned int i;

	remove_all();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, vgpu_create("mvgpu-V1_8", bad[i]))
			TH_LOG("input %u", i);
	EXPECT_EQ(8, type_available("mvgpu-V1_8"));
	EXPECT_EQ(0, sysfs_read_long("/sys/class/mvgpu/mvgpu0/vgpus"));
}

TEST(remove_ignores_zero_and_refuses_garbage)
{
	char u[40], path[256];

	remove_all();
	make_uuid(u);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", u));
	snprintf(path, sizeof(path), MDEV_DIR "/%s/remove", u);
	EXPECT_EQ(-EINVAL, sysfs_write(path, "yes"));
	EXPECT_EQ(-EINVAL, sysfs_write(path, "\n"));
	EXPECT_EQ(0, sysfs_write(path, "0"));
	EXPECT_EQ(1, sysfs_read_long("/sys/class/mvgpu/mvgpu0/vgpus"));
	EXPECT_EQ(0, sysfs_write(path, "1"));
	EXPECT_EQ(-ENOENT, sysfs_write(path, "1"));
	EXPECT_EQ(0, sysfs_read_long("/sys/class/mvgpu/mvgpu0/vgpus"));
}

TEST(read_only_files_refuse_writes)
{
	static const char *const ro[] = {
		TYPES_DIR "/mvgpu-V1_8/name",
		TYPES_DIR "/mvgpu-V1_8/description",
		TYPES_DIR "/mvgpu-V1_8/device_api",
		TYPES_DIR "/mvgpu-V1_8/available_instances",
		"/sys/class/mvgpu/mvgpu0/vgpus",
		"/sys/class/mvgpu/mvgpu0/aperture_free",
		"/sys/class/mvgpu/mvgpu0/hidden_free",
		"/sys/class/mvgpu/mvgpu0/engine_busy_ns_rcs",
		"/sys/class/mvgpu/mvgpu0/engine_busy_ns_bcs",
		"/sys/class/mvgpu/mvgpu0/engine_stalled_ns_rcs",
		"/sys/class/mvgpu/mvgpu0/engine_stalled_ns_bcs",
	};
	static const char *const vattr[] = {
		"vgpu_id", "type_name", "aperture_base", "aperture_size",
		"hidden_base", "hidden_size", "bad_mmio",
		"bad_ggtt", "bad_aperture", "pinned_pages", "trapped",
		"host_resets", "backend_ns_rcs", "backend_ns_bcs", "owner_pid",
		"batches_known",
	};
	char u[40], path[256];
	unsigned int i;

	remove_all();
	for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		EXPECT_EQ(-EACCES, sysfs_write(ro[i], "1")) TH_LOG("%s", ro[i]);
	make_uuid(u);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", u));
	for (i = 0; i < sizeof(vattr) / sizeof(vattr[0]); i++) {
		snprintf(path, sizeof(path), MDEV_DIR "/%s/mvgpu/%s", u, vattr[i]);
		EXPECT_LE(0, sysfs_read_long(path)) TH_LOG("%s", path);
		EXPECT_EQ(-EACCES, sysfs_write(path, "1")) TH_LOG("%s", path);
	}
	remove_all();
}

/*
 * A vGPU's weight starts as its type's, takes 1 to 65536, refuses
 * anything else with EINVAL and keeps its value.
 */
TEST(weight_is_writable_within_bounds)
{
	static const char *const bad[] = { "0", "65537", "-1", "x" };
	char u[40];
	unsigned int i;

	remove_all();
	make_uuid(u);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_16", u));
	EXPECT_EQ(4, vgpu_attr(u, "weight"));
	EXPECT_EQ(0, vgpu_attr_write(u, "weight", "65536"));
	EXPECT_EQ(65536, vgpu_attr(u, "weight"));
	EXPECT_EQ(0, vgpu_attr_write(u, "weight", "3"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, vgpu_attr_write(u, "weight", bad[i]))
			TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(3, vgpu_attr(u, "weight"));
	}
	remove_all();
}

TEST_HARNESS_MAIN
