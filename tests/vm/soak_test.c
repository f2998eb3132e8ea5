// SPDX-License-Identifier: GPL-2.0-only
/*
 * Soak: many vGPUs busy at once for a long time, every result checked as
 * it comes, and the statistics compared with the clients' own counts at
 * the end.  Not part of the default run: `make soak` (tests/soak.sh)
 * loads the module with enough pGPUs and runs it.
 *
 *   MVGPU_SOAK_VGPUS    vGPUs (default 64; 8 of type mvgpu-V1_8 per pGPU)
 *   MVGPU_SOAK_SECONDS  how long (default 600)
 *
 * Each vGPU has a thread that acts as its guest driver and loops: a
 * random fill and a copy of it on the BCS, then a run of stores on the
 * RCS, each checked dword by dword.  Every 30 s it prints how many
 * workloads each vGPU finished in that window; a vGPU that finished none
 * (starved, hung or lost) fails the test.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define SOAK_PER_PGPU	8
#define SOAK_MAX	64
#define SOAK_MEM	(2ULL << 20)
#define SOAK_W		128
#define SOAK_H		64
#define SOAK_STORES	32
#define SOAK_WINDOW_S	30

struct soak {
	pthread_t thread;
	char uuid[40];
	struct guest g;
	struct guest_ctx bcs, rcs;
	struct guest_surf a, b;
	uint32_t model[SOAK_W * SOAK_H];	/* what A must hold */
	uint32_t *store;
	uint64_t store_ga;
	unsigned int seed;
	atomic_long done;	/* workloads finished and checked */
	long submitted;
	char why[256];
	atomic_int bad;
};

static atomic_int soak_stop;

/* Run @c on @engine; 0 when it completed, else the reason is in @s. */
static int soak_run(struct soak *s, unsigned int engine, struct guest_ctx *c,
		    const char *what)
{
	struct guest_ev ev[GUEST_MAX_EV];
	int n = guest_run(&s->g, engine, c, NULL, ev, GUEST_MAX_EV);

	s->submitted++;
	if (n <= 0 || (ev[n - 1].status & GUEST_CSB_END) != GUEST_CSB_DONE) {
		snprintf(s->why, sizeof(s->why), "%s: wait %d, status 0x%x, ERR_STATUS 0x%x",
			 what, n, n > 0 ? ev[n - 1].status : 0,
			 guest_eng_rd(&s->g, engine, MVGPU_RING_ERR_STATUS));
		atomic_store(&s->bad, 1);
		return -1;
	}
	atomic_fetch_add(&s->done, 1);
	return 0;
}

/* A fill of a random rectangle of A, then a copy of all of A into B. */
static int soak_blit(struct soak *s)
{
	uint32_t x1 = rand_r(&s->seed) % SOAK_W, y1 = rand_r(&s->seed) % SOAK_H;
	uint32_t x2 = x1 + 1 + rand_r(&s->seed) % (SOAK_W - x1);
	uint32_t y2 = y1 + 1 + rand_r(&s->seed) % (SOAK_H - y1);
	uint32_t colour = rand_r(&s->seed), x, y, i;
	struct cs cs;

	cs.n = 0;
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, s->a.pitch, x1, y1, x2, y2, s->a.ga,
		colour);
	cs_copy(&cs, MVGPU_BR13_DEPTH_32, s->b.pitch, 0, 0, SOAK_W, SOAK_H,
		s->b.ga, 0, 0, s->a.pitch, s->a.ga);
	guest_emit_cs(&s->bcs, &cs);
	if (soak_run(s, MVGPU_ENGINE_BCS, &s->bcs, "fill and copy"))
		return -1;
	for (y = y1; y < y2; y++)
		for (x = x1; x < x2; x++)
			s->model[y * SOAK_W + x] = colour;
	__sync_synchronize();
	for (i = 0; i < SOAK_W * SOAK_H; i++) {
		if (s->a.p[i] != s->model[i] || s->b.p[i] != s->model[i]) {
			snprintf(s->why, sizeof(s->why),
				 "pixel %u,%u: a 0x%x b 0x%x, want 0x%x",
				 i % SOAK_W, i / SOAK_W, s->a.p[i], s->b.p[i],
				 s->model[i]);
			atomic_store(&s->bad, 1);
			return -1;
		}
	}
	return 0;
}

/* SOAK_STORES stores of fresh values on the RCS. */
static int soak_stores(struct soak *s)
{
	uint32_t base = rand_r(&s->seed), i;
	struct cs cs;

	cs.n = 0;
	for (i = 0; i < SOAK_STORES; i++)
		cs_sdi(&cs, s->store_ga + 4 * i, base + i);
	guest_emit_cs(&s->rcs, &cs);
	if (soak_run(s, MVGPU_ENGINE_RCS, &s->rcs, "stores"))
		return -1;
	__sync_synchronize();
	for (i = 0; i < SOAK_STORES; i++) {
		if (s->store[i] != base + i) {
			snprintf(s->why, sizeof(s->why), "store %u: 0x%x, want 0x%x",
				 i, s->store[i], base + i);
			atomic_store(&s->bad, 1);
			return -1;
		}
	}
	return 0;
}

static void *soak_thread(void *arg)
{
	struct soak *s = arg;

	while (!atomic_load(&soak_stop))
		if (soak_blit(s) || soak_stores(s))
			break;
	return NULL;
}

static int soak_setup(struct soak *s, unsigned int i)
{
	char path[256];
	int ret;

	make_uuid(s->uuid);
	snprintf(path, sizeof(path),
		 "/sys/class/mdev_bus/mvgpu%u/mdev_supported_types/mvgpu-V1_8/create",
		 i / SOAK_PER_PGPU);
	ret = sysfs_write(path, s->uuid);
	if (ret)
		return ret;
	s->seed = 0x50a0 + i;
	ret = guest_open_mem(&s->g, s->uuid, SOAK_MEM);
	ret = ret ?: guest_start(&s->g);
	ret = ret ?: guest_ctx_create(&s->g, &s->bcs, 4 * GUEST_PAGE, 0x300 + i);
	ret = ret ?: guest_ctx_create(&s->g, &s->rcs, 4 * GUEST_PAGE, 0x400 + i);
	ret = ret ?: guest_surf_new(&s->g, &s->a, SOAK_W, SOAK_H, 1, 0x100 + i);
	ret = ret ?: guest_surf_new(&s->g, &s->b, SOAK_W, SOAK_H, 0, 0);
	if (ret)
		return ret;
	memcpy(s->model, s->a.p, sizeof(s->model));
	s->store = guest_map(&s->g, GUEST_PAGE, &s->store_ga);
	return s->store ? 0 : -ENOMEM;
}

static unsigned int env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v ? strtoul(v, NULL, 0) : def;
}

FIXTURE(run) {};
FIXTURE_SETUP(run) {}
FIXTURE_TEARDOWN(run) {}

TEST_F_TIMEOUT(run, many_vgpus_busy_with_every_result_checked,
	       env_uint("MVGPU_SOAK_SECONDS", 600) + 300)
{
	unsigned int n = env_uint("MVGPU_SOAK_VGPUS", SOAK_MAX);
	unsigned int secs = env_uint("MVGPU_SOAK_SECONDS", 600);
	static struct soak s[SOAK_MAX];
	long last[SOAK_MAX] = { 0 };
	unsigned int i, elapsed = 0;
	long total = 0;

	ASSERT_LE(1, n);
	ASSERT_GE(SOAK_MAX, n);
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, soak_setup(&s[i], i)) TH_LOG("vGPU %u", i);
	atomic_store(&soak_stop, 0);
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, pthread_create(&s[i].thread, NULL, soak_thread, &s[i]));
	while (elapsed < secs) {
		unsigned int win = secs - elapsed < SOAK_WINDOW_S ?
				   secs - elapsed : SOAK_WINDOW_S;
		long lo = -1, hi = 0, sum = 0;
		int bad = 0;

		for (i = 0; i < win && !bad; i++) {
			unsigned int k;

			sleep(1);
			for (k = 0; k < n; k++)
				bad |= atomic_load(&s[k].bad);
		}
		elapsed += i;
		for (i = 0; i < n; i++) {
			long d = atomic_load(&s[i].done), w = d - last[i];

			last[i] = d;
			sum += w;
			lo = lo < 0 || w < lo ? w : lo;
			hi = w > hi ? w : hi;
			EXPECT_LT(0, w) TH_LOG("vGPU %u finished nothing in %u s before %u s",
					       i, win, elapsed);
		}
		TH_LOG("%4u s: %ld workloads in the last %u s (%.0f/s), per vGPU %ld..%ld",
		       elapsed, sum, win, (double)sum / (win ? win : 1), lo, hi);
		if (bad)
			break;
	}
	atomic_store(&soak_stop, 1);
	for (i = 0; i < n; i++) {
		pthread_join(s[i].thread, NULL);
		EXPECT_EQ(0, atomic_load(&s[i].bad)) TH_LOG("vGPU %u: %s", i, s[i].why);
		total += atomic_load(&s[i].done);
		EXPECT_EQ(s[i].submitted, vgpu_attr(s[i].uuid, "submissions"));
		EXPECT_EQ(atomic_load(&s[i].done), vgpu_attr(s[i].uuid, "completed"));
		EXPECT_EQ(0, vgpu_attr(s[i].uuid, "errors") +
			     vgpu_attr(s[i].uuid, "rejected"));
		guest_close(&s[i].g);
		EXPECT_EQ(0, vgpu_attr(s[i].uuid, "pinned_pages"));
		EXPECT_EQ(0, vgpu_remove(s[i].uuid));
	}
	TH_LOG("%u vGPUs, %u s: %ld workloads checked", n, elapsed, total);
}

TEST_HARNESS_MAIN
