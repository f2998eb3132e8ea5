// SPDX-License-Identifier: GPL-2.0-only
/*
 * Load: threads creating, using and removing vGPUs concurrently, and the
 * per-vGPU statistics against what the clients themselves submitted.
 *
 *   tests/vm/vm.sh --insmod mvgpu.ko -- build/vm-tests/load_test
 *
 * MVGPU_LOAD_SECONDS (default 60) sets how long the churn runs.  The
 * 64-vGPU, ten-minute soak is tests/vm/soak_test.c (make soak).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define CHURN_THREADS	4
#define CHURN_MEM	(1ULL << 20)	/* guest memory of a churn client */

struct churn {
	pthread_t thread;
	unsigned int seed;
	uint64_t deadline_ms;
	long creates, nospc, opened, fills;
	int bad;
	char why[256];
};

static atomic_int churn_stop;

/* Open @uuid, run one checked fill, close. */
static int churn_use(struct churn *c, const char *uuid)
{
	struct guest g;
	int ret;

	ret = guest_open_mem(&g, uuid, CHURN_MEM);
	ret = ret ?: guest_start(&g);
	if (ret) {
		snprintf(c->why, sizeof(c->why), "open %s: %d", uuid, ret);
		guest_close(&g);
		return -1;
	}
	c->opened++;
	ret = guest_fill_check(&g, 0x100 + (c->seed & 0xff),
			       rand_r(&c->seed) | 1, c->why, sizeof(c->why));
	guest_close(&g);
	if (!ret)
		c->fills++;
	return ret;
}

/* Create a vGPU of a random type, maybe use it, remove it; until done. */
static void *churn_thread(void *arg)
{
	struct churn *c = arg;
	char uuid[40];
	int ret;

	while (!atomic_load(&churn_stop) && guest_now_ms() < c->deadline_ms) {
		const char *type = vgpu_types[rand_r(&c->seed) %
						  ARRAY_SIZE(vgpu_types)];

		/*
		 * Mostly types with room: each refused create also costs a
		 * line in the kernel log from the driver core's probe.
		 */
		if (type_available(type) <= 0 && rand_r(&c->seed) % 8) {
			usleep(200);
			continue;
		}
		make_uuid(uuid);
		ret = vgpu_create(type, uuid);
		if (ret == -ENOSPC) {
			c->nospc++;
			usleep(rand_r(&c->seed) % 2000);
			continue;
		}
		if (ret) {
			snprintf(c->why, sizeof(c->why), "create %s: %d", type, ret);
			c->bad = 1;
			break;
		}
		c->creates++;
		if (rand_r(&c->seed) % 2 && churn_use(c, uuid))
			c->bad = 1;
		ret = vgpu_remove(uuid);
		if (ret && !c->bad) {
			snprintf(c->why, sizeof(c->why), "remove %s: %d", uuid, ret);
			c->bad = 1;
		}
		if (c->bad)
			break;
	}
	if (c->bad)
		atomic_store(&churn_stop, 1);
	return NULL;
}

/* Read every attribute of every vGPU while they come and go. */
static void *reader_thread(void *arg)
{
	long *reads = arg;
	char path[512], buf[128];
	struct dirent *d;
	DIR *dir;

	while (!atomic_load(&churn_stop)) {
		dir = opendir(MDEV_DIR);
		if (!dir)
			break;
		while ((d = readdir(dir))) {
			static const char *const attrs[] = {
				"pinned_pages", "submissions", "busy_ns_bcs",
				"shadow_pages", "type_name", "failsafe",
			};
			unsigned int i;

			if (d->d_name[0] == '.')
				continue;
			for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
				snprintf(path, sizeof(path), MDEV_DIR "/%s/mvgpu/%s",
					 d->d_name, attrs[i]);
				if (sysfs_read(path, buf, sizeof(buf)) > 0)
					(*reads)++;
			}
		}
		closedir(dir);
		usleep(500);
	}
	return NULL;
}

static long pgpu_attr(const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), PGPU_DIR "/%s", attr);
	return sysfs_read_long(path);
}

/*
 * CHURN_THREADS threads create vGPUs of random types, half of them open
 * and use them (a checked fill), and remove them, while another thread
 * reads their sysfs attributes.  The only failure allowed is ENOSPC from
 * a full pGPU; afterwards every resource is back.
 */
static unsigned int load_seconds(void)
{
	const char *env = getenv("MVGPU_LOAD_SECONDS");

	return env ? strtoul(env, NULL, 0) : 60;
}

FIXTURE(load) {};
FIXTURE_SETUP(load) {}
FIXTURE_TEARDOWN(load) {}

TEST_F_TIMEOUT(load, concurrent_create_use_remove_for_a_minute,
	       load_seconds() + 60)
{
	unsigned int secs = load_seconds(), i;
	long ap = pgpu_attr("aperture_free"), hid = pgpu_attr("hidden_free");
	long avail[ARRAY_SIZE(vgpu_types)], creates = 0, nospc = 0, opened = 0, fills = 0, reads = 0;
	struct churn c[CHURN_THREADS];
	pthread_t reader;
	uint64_t t0 = guest_now_ms();

	ASSERT_EQ(0, pgpu_attr("vgpus"));
	for (i = 0; i < ARRAY_SIZE(vgpu_types); i++)
		avail[i] = type_available(vgpu_types[i]);
	atomic_store(&churn_stop, 0);
	ASSERT_EQ(0, pthread_create(&reader, NULL, reader_thread, &reads));
	for (i = 0; i < CHURN_THREADS; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].seed = 0x1000 + i;
		c[i].deadline_ms = t0 + 1000ULL * secs;
		ASSERT_EQ(0, pthread_create(&c[i].thread, NULL, churn_thread,
					    &c[i]));
	}
	for (i = 0; i < CHURN_THREADS; i++) {
		pthread_join(c[i].thread, NULL);
		EXPECT_EQ(0, c[i].bad) TH_LOG("thread %u: %s", i, c[i].why);
		creates += c[i].creates;
		nospc += c[i].nospc;
		opened += c[i].opened;
		fills += c[i].fills;
	}
	atomic_store(&churn_stop, 1);
	pthread_join(reader, NULL);
	TH_LOG("%u s, %u threads: %ld vGPUs created and removed (%.1f/s), %ld ENOSPC, %ld opened, %ld checked fills, %ld attribute reads",
	       secs, CHURN_THREADS, creates,
	       creates * 1000.0 / (guest_now_ms() - t0 + 1), nospc, opened,
	       fills, reads);
	EXPECT_LT(0, creates);
	EXPECT_EQ(opened, fills);
	EXPECT_EQ(0, pgpu_attr("vgpus"));
	EXPECT_EQ(ap, pgpu_attr("aperture_free"));
	EXPECT_EQ(hid, pgpu_attr("hidden_free"));
	for (i = 0; i < ARRAY_SIZE(vgpu_types); i++)
		EXPECT_EQ(avail[i], type_available(vgpu_types[i]))
			TH_LOG("%s", vgpu_types[i]);
}

/* What one client did, by its own count. */
struct tally {
	long submitted, completed, rejected, errors;
};

/*
 * Submit @c on @engine and count how it ended: completed, rejected by the
 * scanner (INVALID_CMD) or stopped by the engine (CMD_PARAM).
 */
static int run_counted(struct guest *g, unsigned int engine,
		       struct guest_ctx *c, struct tally *t)
{
	struct guest_ev ev[GUEST_MAX_EV];
	int n = guest_run(g, engine, c, NULL, ev, GUEST_MAX_EV);
	uint32_t code;

	if (n <= 0)
		return -EIO;
	t->submitted++;
	if ((ev[n - 1].status & GUEST_CSB_END) == GUEST_CSB_DONE) {
		t->completed++;
		return 0;
	}
	if (!(ev[n - 1].status & MVGPU_CSB_ERROR))
		return -EPROTO;
	code = guest_eng_rd(g, engine, MVGPU_RING_ERR_STATUS) &
	       MVGPU_ERR_STATUS_CODE_MASK;
	if (code == MVGPU_ERR_INVALID_CMD)
		t->rejected++;
	else if (code == MVGPU_ERR_CMD_PARAM)
		t->errors++;
	else
		return -EBADMSG;
	return guest_clear_err(g, engine);
}

/*
 * Three clients at once submit known mixes of good, rejected (unknown
 * opcode) and engine-failed (reserved semaphore compare) work on both
 * engines; each vGPU's counters must equal its client's own count.
 */
TEST(statistics_agree_with_what_clients_submitted)
{
	static const unsigned int mix[3][3] = {
		/* good, rejected, engine errors */
		{ 12, 3, 2 }, { 7, 0, 5 }, { 20, 4, 0 },
	};
	struct guest g[3];
	struct tally t[3];
	unsigned int v, k, round;

	for (v = 0; v < 3; v++) {
		memset(&t[v], 0, sizeof(t[v]));
		ASSERT_EQ(0, guest_create(&g[v], "mvgpu-V1_8"));
		ASSERT_EQ(0, guest_start(&g[v]));
	}
	for (round = 0; round < 20; round++) {
		for (v = 0; v < 3; v++) {
			for (k = 0; k < 3; k++) {
				unsigned int engine = (round + v + k) % 2;
				struct guest_ctx c;
				struct cs cs = { .n = 0 };
				uint64_t ga = 0;
				uint32_t *p;

				if (round >= mix[v][k])
					continue;
				p = guest_map(&g[v], GUEST_PAGE, &ga);
				ASSERT_TRUE(p != NULL);
				ASSERT_EQ(0, guest_ctx_create(&g[v], &c, GUEST_PAGE,
							      0x200 + round));
				if (k == 0)
					cs_sdi(&cs, ga, round);
				else if (k == 1)
					cs.dw[cs.n++] = MVGPU_MI_INSTR(0x3f, 0);
				else
					cs_sem(&cs, ga, 6U << MVGPU_MI_SEMAPHORE_OP_SHIFT, 0);
				guest_emit_cs(&c, &cs);
				ASSERT_EQ(0, run_counted(&g[v], engine, &c, &t[v]))
					TH_LOG("vGPU %u round %u kind %u", v, round, k);
				if (k == 0)
					EXPECT_EQ(round, p[0]);
			}
		}
	}
	for (v = 0; v < 3; v++) {
		const char *u = g[v].uuid;

		TH_LOG("vGPU %u: client counted %ld submitted, %ld completed, %ld rejected, %ld errors; sysfs %ld, %ld, %ld, %ld",
		       v, t[v].submitted, t[v].completed, t[v].rejected,
		       t[v].errors, vgpu_attr(u, "submissions"),
		       vgpu_attr(u, "completed"), vgpu_attr(u, "rejected"),
		       vgpu_attr(u, "errors"));
		EXPECT_EQ(mix[v][0], t[v].completed);
		EXPECT_EQ(mix[v][1], t[v].rejected);
		EXPECT_EQ(mix[v][2], t[v].errors);
		EXPECT_EQ(t[v].submitted, vgpu_attr(u, "submissions"));
		EXPECT_EQ(t[v].completed, vgpu_attr(u, "completed"));
		EXPECT_EQ(t[v].rejected, vgpu_attr(u, "rejected"));
		EXPECT_EQ(t[v].errors, vgpu_attr(u, "errors"));
		EXPECT_EQ(0, vgpu_attr(u, "hangs"));
		/* one command each; the scanner counts none of a rejected one */
		EXPECT_EQ(t[v].completed + t[v].errors,
			  vgpu_attr(u, "cmds_scanned"));
		EXPECT_LT(0, vgpu_attr(u, "busy_ns_rcs") + vgpu_attr(u, "busy_ns_bcs"));
		EXPECT_EQ(0, guest_destroy(&g[v]));
	}
}

TEST_HARNESS_MAIN
