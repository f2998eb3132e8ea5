// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host memory per idle vGPU: for each type (V1_64 to V1_1), as many
 * vGPUs as mvgpu0 has room for (64 to 1) are created, opened and started
 * as QEMU does, then put through a burst of work (blits and stores
 * through the GGTT and through a 4-level PPGTT, batches, both engines; a
 * surface shown and looked at through the mapped display region, as
 * QEMU's display=on does) and left idle.  After each step the change of
 * what the host has free (/proc/meminfo's MemAvailable plus the free
 * pages on the per-CPU lists, which MemAvailable leaves out), of Slab
 * and VmallocUsed and of mvgpu's own vmalloc areas (/proc/vmallocinfo)
 * is printed per vGPU.  "kernel" is that drop less what the test
 * process itself grew by (AnonPages: the guest memory it gives the
 * vGPUs, and PageTables): the host memory the vGPUs cost beyond their
 * graphics memory, which must stay under 1 MiB each once idle.  Removing
 * them must give mvgpu's vmalloc areas back to the byte.  What a guest
 * makes the host allocate is charged to the memory cgroup of the process
 * that drives the vGPU, as QEMU's would be.
 */
#include <dirent.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "native_util.h"

#define MAX_VGPUS	64	/* V1_64: a pGPU's worth */
#define LIMIT_KIB	1024
#define GUEST_MEM	(4ULL << 20)
/* longer than the idle time after which a vGPU drops its caches */
#define IDLE_WAIT_MS	2500

struct mem_snap {
	long avail, pcp, slab, vmalloc, anon, ptables;	/* KiB */
	long mvgpu_vmalloc;				/* KiB */
};

static long meminfo_kib(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Give the slab caches' empty slabs back, as memory pressure would. */
static void slab_shrink(void)
{
	DIR *d = opendir("/sys/kernel/slab");
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 e->d_name);
		sysfs_write(path, "1");
	}
	if (d)
		closedir(d);
}

static int mem_snap(struct mem_snap *s)
{
	char buf[8192];

	sync();
	sysfs_write("/proc/sys/vm/drop_caches", "3");
	slab_shrink();
	usleep(100 * 1000);
	if (sysfs_read("/proc/meminfo", buf, sizeof(buf)) <= 0)
		return -1;
	s->pcp = pcp_free_kib();
	/* free pages on per-CPU lists are free, MemAvailable or not */
	s->avail = meminfo_kib(buf, "MemAvailable:") + s->pcp;
	s->slab = meminfo_kib(buf, "\nSlab:");
	s->vmalloc = meminfo_kib(buf, "VmallocUsed:");
	s->anon = meminfo_kib(buf, "AnonPages:");
	s->ptables = meminfo_kib(buf, "PageTables:");
	s->mvgpu_vmalloc = mvgpu_vmalloc_kib();
	return s->avail < 0 || s->slab < 0 || s->vmalloc < 0 || s->anon < 0 ||
	       s->ptables < 0 || s->mvgpu_vmalloc < 0 ? -1 : 0;
}

/* Prints the change from @a to @b per vGPU; returns "kernel" KiB each. */
static long mem_report(const char *type, const char *what, int n,
		       const struct mem_snap *a, const struct mem_snap *b)
{
	long user = (b->anon - a->anon) + (b->ptables - a->ptables);
	long kernel = (a->avail - b->avail) - user;

	printf("# %-11s x%-2d %-15s per vGPU: kernel %6ld KiB, available %+ld KiB (per-CPU lists %+ld), slab %+ld KiB, vmalloc %+ld KiB (mvgpu %+ld KiB)\n",
	       type, n, what, kernel / n, (b->avail - a->avail) / n,
	       (b->pcp - a->pcp) / n,
	       (b->slab - a->slab) / n, (b->vmalloc - a->vmalloc) / n,
	       (b->mvgpu_vmalloc - a->mvgpu_vmalloc) / n);
	return kernel / n;
}

/* Stores and a fill through the PPGTT, fills and stores through the GGTT. */
static void burst(struct __test_metadata *_metadata, struct guest *g)
{
	const uint64_t va = GUEST_VA(1, 2, 3, 0);
	struct guest_ppgtt pp;
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint32_t *dst;
	int i;

	ASSERT_EQ(0, guest_ppgtt_init(g, &pp));
	dst = guest_ppgtt_map_new(g, &pp, va, 16, NULL);
	ASSERT_TRUE(dst != NULL);
	ASSERT_EQ(0, guest_ctx64_create(g, &c, 4 * GUEST_PAGE, 1, pp.pml4));
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, 1024, 0, 4, 256, 8, va,
		0xff102030);
	for (i = 0; i < 16; i++)
		CS(&cs, MVGPU_MI_STORE_DATA_IMM, LO(va + i * GUEST_PAGE),
		   HI(va + i * GUEST_PAGE), 0x5eed0000U + i);
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, g, MVGPU_ENGINE_BCS, &c);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0x5eed0000U + i, dst[i * GUEST_PAGE / 4]);
	ASSERT_EQ(0xff102030, dst[4 * 256 + 1]);
	for (i = 0; i < 4; i++) {
		guest_fill_ok(_metadata, g, 10 + i, 0xff000000U + i);
		guest_store_ok(_metadata, g, i & 1 ? MVGPU_ENGINE_RCS :
			       MVGPU_ENGINE_BCS, 20 + i, 0xc0de0000U + i);
	}
}

#define SURF		64	/* pixels a side of the surface each vGPU shows */
#define DISPLAY		MVGPU_VFIO_DISPLAY_REGION_INDEX

static uint32_t surf_pixel(unsigned int i)
{
	return 0xff000000U | (i * 0x9e3779b9U >> 8);
}

/* A surface of SURF x SURF pixels in @g's graphics memory; its address. */
static uint64_t surface(struct __test_metadata *_metadata, struct guest *g)
{
	uint64_t ga = 0;
	uint32_t *px = guest_map(g, SURF * SURF * 4, &ga);
	unsigned int i;

	EXPECT_TRUE(px != NULL);
	for (i = 0; px && i < SURF * SURF; i++)
		px[i] = surf_pixel(i);
	return ga;
}

/*
 * What QEMU's display=on does with the region plane: query the plane,
 * map the region once (*@map, *@size), read the frame through the map.
 */
static void display_look(struct __test_metadata *_metadata, struct guest *g,
			 uint64_t ga, uint8_t **map, size_t *size)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = DISPLAY };
	struct vfio_device_gfx_plane_info p;
	unsigned int i, bad = 0;

	ASSERT_EQ(0, guest_plane_show(g, ga, SURF, SURF, SURF * 4,
				      MVGPU_DSPCNTR_FORMAT_XRGB8888));
	ASSERT_EQ(0, mvgpu_vfio_query_plane(g->v, VFIO_GFX_PLANE_TYPE_REGION,
					    1, &p));
	ASSERT_EQ(SURF, p.width);
	ASSERT_EQ(SURF * 4, p.stride);
	if (!*map) {
		ASSERT_EQ(0, ioctl(mvgpu_vfio_device_fd(g->v),
				   VFIO_DEVICE_GET_REGION_INFO, &ri));
		ASSERT_EQ(0, mvgpu_vfio_mmap_region(g->v, DISPLAY, 0, ri.size,
						    PROT_READ, (void **)map));
		*size = ri.size;
	}
	for (i = 0; i < SURF * SURF; i++)
		bad += ((uint32_t *)*map)[i] != surf_pixel(i);
	EXPECT_EQ(0, bad);
}

/* Waits until an idle vGPU has dropped its shadow caches; 0 or -ETIMEDOUT. */
static int caches_gone(const char *uuid)
{
	uint64_t end = guest_now_ms() + 10 * IDLE_WAIT_MS;

	while (vgpu_attr(uuid, "shadow_pages") || vgpu_attr(uuid, "shadow_bytes")) {
		if (guest_now_ms() > end)
			return -ETIMEDOUT;
		usleep(100 * 1000);
	}
	return 0;
}

#define TRIM_PARAM	"/sys/module/mvgpu/parameters/trim_idle_ms"
#define HANG_PARAM	"/sys/module/mvgpu/parameters/hang_ms"
#define WATCHDOG_PARAM	"/sys/module/mvgpu/parameters/watchdog_ms"
#define WAIT_MS		10000	/* how long a blocked workload may wait */

/* The backend's watchdog of the blitter, through the native session. */
static int set_bcs_watchdog(long ms)
{
	struct nat n;
	int ret;

	ret = nat_open(&n);
	ret = ret ?: nat_cmd(&n, "watchdog bcs %ld", ms);
	nat_close(&n);
	return ret;
}

static int param_write(const char *path, long val)
{
	char v[32];

	snprintf(v, sizeof(v), "%ld", val);
	return sysfs_write(path, v);
}

FIXTURE(mem) {
	struct guest g[MAX_VGPUS];
	char uuid[MAX_VGPUS][40];
	uint8_t *map[MAX_VGPUS];	/* display regions mapped */
	size_t map_size;
	int made, opened;
	long trim_was;	/* trim_idle_ms to restore, 0 for none */
	long hang_was;	/* hang_ms and BCS watchdog to restore, 0 for none */
	long watchdog_was;
};

FIXTURE_SETUP(mem)
{
	memset(self->map, 0, sizeof(self->map));
	self->made = 0;
	self->opened = 0;
	self->trim_was = 0;
	self->hang_was = 0;
	self->watchdog_was = 0;
}

FIXTURE_TEARDOWN(mem)
{
	int i;

	for (i = 0; i < MAX_VGPUS; i++)
		if (self->map[i])
			munmap(self->map[i], self->map_size);
	while (self->opened)
		guest_close(&self->g[--self->opened]);
	while (self->made)
		EXPECT_EQ(0, vgpu_remove(self->uuid[--self->made]));
	if (self->trim_was > 0)
		EXPECT_EQ(0, param_write(TRIM_PARAM, self->trim_was));
	if (self->hang_was > 0)
		EXPECT_EQ(0, param_write(HANG_PARAM, self->hang_was));
	if (self->watchdog_was > 0)
		EXPECT_EQ(0, set_bcs_watchdog(self->watchdog_was));
}

/*
 * Snapshot after a step and report it; MemAvailable lags what was freed
 * by up to a few MiB (per-CPU page lists), so a figure over the limit is
 * measured again, twice at most, before it counts.
 */
static long mem_step(const char *type, const char *what, int n,
		     const struct mem_snap *s0, struct mem_snap *s)
{
	long k = LONG_MAX;
	int i;

	for (i = 0; i < 3 && k >= LIMIT_KIB; i++) {
		if (i)
			usleep(500 * 1000);
		if (mem_snap(s))
			return LONG_MAX;
		k = mem_report(type, what, n, s0, s);
	}
	return k;
}

static void idle_vgpus_of(struct __test_metadata *_metadata,
			  FIXTURE_DATA(mem) *self, const char *type)
{
	struct mem_snap s0, s1, s2, s3, s4;
	int n = type_available(type), i, made;
	uint64_t ga[MAX_VGPUS];

	if (n > MAX_VGPUS)
		n = MAX_VGPUS;
	ASSERT_GT(n, 0);
	ASSERT_EQ(0, mem_snap(&s0));
	for (i = 0; i < n; i++) {
		make_uuid(self->uuid[i]);
		ASSERT_EQ(0, vgpu_create(type, self->uuid[i]));
		self->made++;
	}
	EXPECT_GT(LIMIT_KIB, mem_step(type, "created", n, &s0, &s1));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, guest_open_mem(&self->g[i], self->uuid[i],
					    GUEST_MEM));
		self->opened++;
		ASSERT_EQ(0, guest_start(&self->g[i]));
		memset(self->g[i].mem, 0, GUEST_MEM);	/* its pages are all there */
	}
	EXPECT_GT(LIMIT_KIB, mem_step(type, "opened, started", n, &s0, &s2));
	for (i = 0; i < n; i++) {
		burst(_metadata, &self->g[i]);
		EXPECT_LT(0, vgpu_attr(self->uuid[i], "shadow_pages"));
		EXPECT_LT(0, vgpu_attr(self->uuid[i], "shadow_bytes"));
		ga[i] = surface(_metadata, &self->g[i]);
		display_look(_metadata, &self->g[i], ga[i], &self->map[i],
			     &self->map_size);
	}
	usleep(IDLE_WAIT_MS * 1000);
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, caches_gone(self->uuid[i])) TH_LOG("vGPU %d", i);
	EXPECT_GT(LIMIT_KIB, mem_step(type, "idle after work", n, &s0, &s3));
	/* the VMM looks again through its old mappings: the frame is there */
	for (i = 0; i < n; i++)
		display_look(_metadata, &self->g[i], ga[i], &self->map[i],
			     &self->map_size);
	for (i = 0; i < n; i++) {
		munmap(self->map[i], self->map_size);
		self->map[i] = NULL;
	}
	while (self->opened)
		guest_close(&self->g[--self->opened]);
	made = self->made;
	while (self->made)
		ASSERT_EQ(0, vgpu_remove(self->uuid[--self->made]));
	ASSERT_EQ(0, mem_snap(&s4));
	mem_report(type, "removed", made, &s0, &s4);
	EXPECT_GT(LIMIT_KIB, (s1.slab - s0.slab + s1.vmalloc - s0.vmalloc) / made);
	EXPECT_GT(LIMIT_KIB, (s2.slab - s0.slab + s2.vmalloc - s0.vmalloc) / made);
	EXPECT_GT(LIMIT_KIB, (s3.slab - s0.slab + s3.vmalloc - s0.vmalloc) / made);
	/* everything mvgpu vmalloc()ed for them is back */
	EXPECT_EQ(s0.mvgpu_vmalloc, s4.mvgpu_vmalloc);
}

TEST_F_TIMEOUT(mem, idle_v1_64_vgpus_cost_under_1_mib_each, 900)
{
	idle_vgpus_of(_metadata, self, "mvgpu-V1_64");
}

TEST_F_TIMEOUT(mem, idle_v1_32_vgpus_cost_under_1_mib_each, 600)
{
	idle_vgpus_of(_metadata, self, "mvgpu-V1_32");
}

TEST_F_TIMEOUT(mem, idle_v1_16_vgpus_cost_under_1_mib_each, 600)
{
	idle_vgpus_of(_metadata, self, "mvgpu-V1_16");
}

TEST_F_TIMEOUT(mem, idle_v1_8_vgpus_cost_under_1_mib_each, 600)
{
	idle_vgpus_of(_metadata, self, "mvgpu-V1_8");
}

TEST_F_TIMEOUT(mem, idle_v1_4_vgpus_cost_under_1_mib_each, 600)
{
	idle_vgpus_of(_metadata, self, "mvgpu-V1_4");
}

TEST_F_TIMEOUT(mem, idle_v1_2_vgpus_cost_under_1_mib_each, 600)
{
	idle_vgpus_of(_metadata, self, "mvgpu-V1_2");
}

TEST_F_TIMEOUT(mem, idle_v1_1_vgpus_cost_under_1_mib_each, 600)
{
	idle_vgpus_of(_metadata, self, "mvgpu-V1_1");
}

/*
 * Memory pressure, as drop_caches 2 makes it (every slab shrinker runs),
 * releases the shadow caches of a vGPU with no work in flight through
 * its pGPU's shrinker, while trim_idle_ms 0 keeps idle vGPUs from
 * dropping them on their own; a vGPU whose work waits on a semaphore
 * (allowed to wait WAIT_MS: hang_ms and the BCS watchdog) keeps its.
 * The display buffer of the first, unused for over a second, goes too
 * (its display's shrinker).  Work runs and checks out afterwards on
 * both, and the first's screen shows through the same mapping.
 */
TEST_F_TIMEOUT(mem, memory_pressure_releases_the_shadow_caches_of_vgpus_without_work_in_flight, 300)
{
	struct guest *a = &self->g[0], *b = &self->g[1];
	long spt_a, spt_b, sb_a, sb_b, inflight, vm0, vm1, vm2;
	struct guest_ev ev[GUEST_MAX_EV];
	struct cs cs = { .n = 0 };
	struct guest_ctx s;
	uint64_t sem_ga, end, ga;
	uint32_t *sem;
	int i, n;

	self->trim_was = sysfs_read_long(TRIM_PARAM);
	ASSERT_LT(0, self->trim_was);
	ASSERT_EQ(0, sysfs_write(TRIM_PARAM, "0"));
	self->hang_was = sysfs_read_long(HANG_PARAM);
	self->watchdog_was = sysfs_read_long(WATCHDOG_PARAM);
	ASSERT_LT(0, self->hang_was);
	ASSERT_LT(0, self->watchdog_was);
	ASSERT_EQ(0, param_write(HANG_PARAM, WAIT_MS));
	ASSERT_EQ(0, set_bcs_watchdog(WAIT_MS));
	for (i = 0; i < 2; i++) {
		make_uuid(self->uuid[i]);
		ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", self->uuid[i]));
		self->made++;
		ASSERT_EQ(0, guest_open_mem(&self->g[i], self->uuid[i], GUEST_MEM));
		self->opened++;
		ASSERT_EQ(0, guest_start(&self->g[i]));
		memset(self->g[i].mem, 0, GUEST_MEM);
		burst(_metadata, &self->g[i]);
	}
	/* a's VMM looks at its screen: the display buffer is made */
	vm0 = mvgpu_vmalloc_kib();
	ga = surface(_metadata, a);
	display_look(_metadata, a, ga, &self->map[0], &self->map_size);
	vm1 = mvgpu_vmalloc_kib();
	EXPECT_LE(vm0 + 3072, vm1);
	/* idle longer than the default trim: with 0, the caches stay */
	usleep(IDLE_WAIT_MS * 1000);
	EXPECT_LT(vm1 - 3072, mvgpu_vmalloc_kib());
	spt_a = vgpu_attr(self->uuid[0], "shadow_pages");
	sb_a = vgpu_attr(self->uuid[0], "shadow_bytes");
	EXPECT_LT(0, spt_a);
	EXPECT_LT(0, sb_a);

	/* b's work waits on a semaphore: it is in flight */
	sem = guest_map(b, GUEST_PAGE, &sem_ga);
	ASSERT_TRUE(sem != NULL);
	ASSERT_EQ(0, guest_ctx_create(b, &s, 4 * GUEST_PAGE, 0x5e0));
	cs_sem(&cs, sem_ga, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
	guest_emit_cs(&s, &cs);
	ASSERT_EQ(0, guest_submit(b, MVGPU_ENGINE_BCS, &s, NULL));
	usleep(20 * 1000);
	spt_b = vgpu_attr(self->uuid[1], "shadow_pages");
	sb_b = vgpu_attr(self->uuid[1], "shadow_bytes");

	ASSERT_EQ(0, sysfs_write("/proc/sys/vm/drop_caches", "2"));
	inflight = vgpu_attr(self->uuid[1], "submissions") -
		   vgpu_attr(self->uuid[1], "completed");
	EXPECT_EQ(spt_b, vgpu_attr(self->uuid[1], "shadow_pages"));
	EXPECT_LE(sb_b, vgpu_attr(self->uuid[1], "shadow_bytes"));
	*(volatile uint32_t *)sem = 1;
	EXPECT_LT(0, inflight) TH_LOG("b's work ended before the shrinker ran");
	n = guest_wait_csb(b, MVGPU_ENGINE_BCS, ev, GUEST_MAX_EV,
			   GUEST_TIMEOUT_MS);
	ASSERT_LT(0, n);
	ASSERT_TRUE(guest_end_ev(ev, n) != NULL);
	EXPECT_EQ(GUEST_CSB_DONE, guest_end_ev(ev, n)->status & GUEST_CSB_END);

	/*
	 * a's buffers went in the shrinker, its PPGTT shadows and its
	 * display buffer right after
	 */
	EXPECT_EQ(0, vgpu_attr(self->uuid[0], "shadow_bytes"));
	end = guest_now_ms() + 2000;
	while ((vgpu_attr(self->uuid[0], "shadow_pages") ||
		mvgpu_vmalloc_kib() > vm1 - 3072) && guest_now_ms() < end)
		usleep(10 * 1000);
	EXPECT_EQ(0, vgpu_attr(self->uuid[0], "shadow_pages"));
	vm2 = mvgpu_vmalloc_kib();
	EXPECT_GE(vm1 - 3072, vm2);
	printf("# shrinker: idle vGPU shadow_pages %ld -> 0, shadow_bytes %ld -> 0, mvgpu vmalloc %ld -> %ld KiB (display buffer); busy vGPU kept %ld and %ld\n",
	       spt_a, sb_a, vm1, vm2, spt_b, sb_b);
	display_look(_metadata, a, ga, &self->map[0], &self->map_size);

	/* work runs as before */
	burst(_metadata, a);
	burst(_metadata, b);
	EXPECT_LT(0, vgpu_attr(self->uuid[0], "shadow_pages"));
	EXPECT_EQ(0, vgpu_attr(self->uuid[0], "errors"));
	EXPECT_EQ(0, vgpu_attr(self->uuid[1], "errors"));
}

#define CG_ROOT		"/sys/fs/cgroup"
#define CG		CG_ROOT "/mvgpu-mem-test"
#define CG_ENTRIES	(64 * 1024)	/* GGTT entries written: 257 chunks */

/* A memory.stat field of the test's cgroup, KiB; -1 if none. */
static long cg_stat_kib(const char *key)
{
	char buf[8192], k[64];
	const char *p;

	if (sysfs_read(CG "/memory.stat", buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(k, sizeof(k), "\n%s ", key);
	p = strstr(buf, k);
	if (!p && !strncmp(buf, k + 1, strlen(k + 1)))
		p = buf - 1;
	return p ? strtol(p + strlen(k), NULL, 10) >> 10 : -1;
}

/* Puts the calling process in a fresh memory cgroup; 0 or -errno. */
static int cg_enter(void)
{
	char pid[32];
	int ret;

	if (access(CG_ROOT "/cgroup.controllers", F_OK) &&
	    mount("none", CG_ROOT, "cgroup2", 0, NULL))
		return -errno;
	ret = sysfs_write(CG_ROOT "/cgroup.subtree_control", "+memory");
	if (ret)
		return ret;
	if (mkdir(CG, 0755) && errno != EEXIST)
		return -errno;
	snprintf(pid, sizeof(pid), "%d", getpid());
	return sysfs_write(CG "/cgroup.procs", pid);
}

static void cg_leave(void)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", getpid());
	sysfs_write(CG_ROOT "/cgroup.procs", pid);
	rmdir(CG);
}

/*
 * The VMM's side of a V1_1 (the largest bookkeeping): 64 Ki GGTT entries
 * written make 1 MiB of GGTT chunks, a read of the display region makes
 * its buffer (32 MiB); both must show in the cgroup of the process that
 * wrote and read, not elsewhere.
 */
TEST_F_TIMEOUT(mem, ggtt_chunks_and_display_buffer_are_charged_to_the_vmms_cgroup, 300)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	long slab0, slab1, vm0, vm1;
	struct guest *g = &self->g[0];
	uint64_t ga, pages;
	char px[4096];
	int ret, i;

	ret = cg_enter();
	if (ret)
		SKIP(return, "no memory cgroup here (%d)", ret);
	make_uuid(self->uuid[0]);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_1", self->uuid[0]));
	self->made = 1;
	ASSERT_EQ(0, guest_open_mem(g, self->uuid[0], GUEST_MEM));
	self->opened = 1;
	ASSERT_EQ(0, guest_start(g));
	ASSERT_LE((uint64_t)CG_ENTRIES << MVGPU_GTT_PAGE_SHIFT, g->hi_size);
	pages = GUEST_MEM / GUEST_PAGE;
	slab0 = cg_stat_kib("slab");
	vm0 = cg_stat_kib("vmalloc");
	ASSERT_LE(0, slab0);
	ASSERT_LE(0, vm0);

	for (i = 0, ga = g->hi_base; i < CG_ENTRIES; i++, ga += GUEST_PAGE)
		ASSERT_EQ(0, guest_set_pte(g, ga, g->iova + (i % pages) * GUEST_PAGE));
	slab1 = cg_stat_kib("slab");
	ri.index = MVGPU_VFIO_DISPLAY_REGION_INDEX;
	ASSERT_EQ(0, ioctl(mvgpu_vfio_device_fd(g->v), VFIO_DEVICE_GET_REGION_INFO,
			   &ri));
	ASSERT_EQ((ssize_t)sizeof(px), pread(mvgpu_vfio_device_fd(g->v), px,
					     sizeof(px), (off_t)ri.index << 40));
	vm1 = cg_stat_kib("vmalloc");
	printf("# cgroup: slab %+ld KiB after %d GGTT entries, vmalloc %+ld KiB after reading the %llu KiB display region\n",
	       slab1 - slab0, CG_ENTRIES, vm1 - vm0,
	       (unsigned long long)ri.size >> 10);
	EXPECT_LE((CG_ENTRIES / 255) * 4, slab1 - slab0);
	EXPECT_LE((long)(ri.size >> 10), vm1 - vm0);

	guest_close(g);
	self->opened = 0;
	EXPECT_EQ(0, vgpu_remove(self->uuid[0]));
	self->made = 0;
	cg_leave();
}

TEST_HARNESS_MAIN
