// SPDX-License-Identifier: GPL-2.0-only
/*
 * Weighted time slices: three vGPUs of weights 2, 4 and 8 (1:2:4) keep
 * the copy engine busy with preemptible work while a fourth stays idle.
 * Over one second each busy vGPU's engine time (busy_ns_bcs in sysfs, as
 * the scheduler charged it) must be its weight's share within 5%, the
 * idle one must cost nothing, and every fill must have landed.
 *
 * The scheduler's sysfs files (the pGPU's sched_policy and
 * sched_slice_us, a vGPU's sched_cap) refuse bad values with EINVAL and
 * keep theirs, and switching them all while the vGPUs are busy breaks
 * none of their work.
 */
#include "kselftest_harness.h"
#include "guest_util.h"
#include "native_util.h"

#define NR_BUSY		3
/*
 * Workloads each busy vGPU keeps queued, deep enough that a heavy vGPU
 * does not run dry while this process waits for a CPU in a loaded VM
 * (with three, a vGPU of weight 32 often did, and shares were pulled
 * toward equal).  Completions are counted from a breadcrumb each
 * workload stores, not from CSB entries: the CSB holds 6, a workload may
 * add two (IDLE_TO_ACTIVE, COMPLETE), and 6 written between two reads
 * look like none (seen with three queued: the vGPU counted 170
 * completed, the client 167, and waited for the rest).  CSB entries are
 * still read, for errors.
 */
#define IN_FLIGHT	8
#define FILLS		16		/* per workload, MI_ARB_CHECK between */
#define SURF_W		256
#define SURF_H		128
#define RING_BYTES	(64 * 1024)
#define WARMUP_MS	300
#define MEASURE_MS	1000
#define CLASS_DIR	"/sys/class/mvgpu/mvgpu0"

struct client {
	struct guest g;
	struct guest_ctx c;
	uint32_t *surf;
	uint64_t surf_ga;
	volatile uint32_t *seqno;
	uint64_t seqno_ga;
	unsigned int inflight;
	unsigned long sub;
	unsigned long done;
	uint32_t color;
};

static const char *const types[NR_BUSY] = {
	"mvgpu-V1_8", "mvgpu-V1_4", "mvgpu-V1_2",
};

static int queue_work(struct client *cl)
{
	struct cs cs;
	int i;

	cs.n = 0;
	for (i = 0; i < FILLS; i++) {
		cs_fill(&cs, MVGPU_BR13_DEPTH_32, SURF_W * 4, 0, 0, SURF_W,
			SURF_H, cl->surf_ga, cl->color);
		CS(&cs, MVGPU_MI_ARB_CHECK);
	}
	cs_sdi(&cs, cl->seqno_ga, ++cl->sub);
	guest_emit(&cl->c, cs.dw, cs.n);
	cl->inflight++;
	return guest_submit(&cl->g, MVGPU_ENGINE_BCS, &cl->c, NULL);
}

/* Take the CSB entries that are there; count completions by the breadcrumb, refill. */
static int poll_client(struct client *cl, bool refill)
{
	struct guest_ev e;
	uint32_t seq;
	int got;

	while ((got = guest_csb_next(&cl->g, MVGPU_ENGINE_BCS, &e)) > 0)
		if (e.status & MVGPU_CSB_ERROR)
			return -EIO;
	if (got < 0)
		return got;
	seq = *cl->seqno;
	if (seq > cl->sub)
		return -EPROTO;
	for (; cl->done < seq; cl->done++)
		cl->inflight--;
	while (refill && cl->inflight < IN_FLIGHT)
		if (queue_work(cl))
			return -EIO;
	return 0;
}

static int run_for(struct client *cl, uint64_t ms, bool refill)
{
	uint64_t end = guest_now_ms() + ms;
	int i;

	while (guest_now_ms() < end) {
		for (i = 0; i < NR_BUSY; i++)
			if (poll_client(&cl[i], refill))
				return -EIO;
		usleep(100);
	}
	return 0;
}

static long busy(const struct guest *g)
{
	return vgpu_attr(g->uuid, "busy_ns_bcs");
}

/* The engine time the backend measured, for comparison. */
static long backend(const struct guest *g)
{
	return vgpu_attr(g->uuid, "backend_ns_bcs");
}

FIXTURE(sched) {
	struct client cl[NR_BUSY];
	struct guest idle;
	int made;
	bool idle_made;
};

FIXTURE_SETUP(sched)
{
	int i;

	memset(self->cl, 0, sizeof(self->cl));
	for (i = 0; i < NR_BUSY; i++) {
		struct client *cl = &self->cl[i];

		ASSERT_EQ(0, guest_create(&cl->g, types[i])) TH_LOG("%s", types[i]);
		self->made++;
		ASSERT_EQ(0, guest_start(&cl->g));
		ASSERT_EQ(0, guest_ctx_create(&cl->g, &cl->c, RING_BYTES,
					      0x100 + i));
		cl->surf = guest_map(&cl->g, SURF_W * SURF_H * 4, &cl->surf_ga);
		ASSERT_TRUE(cl->surf != NULL);
		cl->seqno = guest_map(&cl->g, GUEST_PAGE, &cl->seqno_ga);
		ASSERT_TRUE(cl->seqno != NULL);
		*cl->seqno = 0;
		cl->color = 0x11000000u * (i + 1) | 0x00abcdef;
	}
	ASSERT_EQ(0, guest_create(&self->idle, "mvgpu-V1_8"));
	self->idle_made = true;
	ASSERT_EQ(0, guest_start(&self->idle));
}

/* The scheduler's defaults: what every test starts from. */
static void sched_defaults(void)
{
	sysfs_write(CLASS_DIR "/sched_policy", "best_effort");
	sysfs_write(CLASS_DIR "/sched_slice_us", "1000");
}

FIXTURE_TEARDOWN(sched)
{
	int i;

	sched_defaults();
	for (i = 0; i < self->made; i++)
		EXPECT_EQ(0, guest_destroy(&self->cl[i].g));
	if (self->idle_made)
		EXPECT_EQ(0, guest_destroy(&self->idle));
}

TEST_F(sched, busy_vgpus_share_an_engine_by_weight_and_idle_ones_cost_nothing)
{
	struct client *cl = self->cl;
	long before[NR_BUSY], idle_before, total = 0, delta[NR_BUSY];
	long be_before[NR_BUSY], be_total = 0, be_delta[NR_BUSY];
	long eng_busy, eng_stalled;
	unsigned int weight[NR_BUSY], wsum = 0;
	int i, j;

	for (i = 0; i < NR_BUSY; i++) {
		weight[i] = vgpu_attr(cl[i].g.uuid, "weight");
		wsum += weight[i];
	}
	ASSERT_EQ(0, run_for(cl, WARMUP_MS, true));
	for (i = 0; i < NR_BUSY; i++) {
		before[i] = busy(&cl[i].g);
		be_before[i] = backend(&cl[i].g);
	}
	idle_before = busy(&self->idle);
	eng_busy = sysfs_read_long(CLASS_DIR "/engine_busy_ns_bcs");
	eng_stalled = sysfs_read_long(CLASS_DIR "/engine_stalled_ns_bcs");
	ASSERT_EQ(0, run_for(cl, MEASURE_MS, true));
	eng_busy = sysfs_read_long(CLASS_DIR "/engine_busy_ns_bcs") - eng_busy;
	eng_stalled = sysfs_read_long(CLASS_DIR "/engine_stalled_ns_bcs") -
		      eng_stalled;
	printf("# the BCS over the measure: %ld ms busy, %ld ms stalled\n",
	       eng_busy / 1000000, eng_stalled / 1000000);
	for (i = 0; i < NR_BUSY; i++) {
		delta[i] = busy(&cl[i].g) - before[i];
		total += delta[i];
		be_delta[i] = backend(&cl[i].g) - be_before[i];
		be_total += be_delta[i];
	}
	EXPECT_EQ(0, busy(&self->idle) - idle_before);

	/* Drain (generously: a loaded host slows TCG), then check the fills. */
	for (j = 0; j < 50 && (cl[0].inflight || cl[1].inflight ||
			       cl[2].inflight); j++)
		ASSERT_EQ(0, run_for(cl, 200, false));
	ASSERT_LT(0, total);
	for (i = 0; i < NR_BUSY; i++) {
		double share = (double)delta[i] / total;
		double want = (double)weight[i] / wsum;

		printf("# %s weight %u: %5.1f%% of the engine (expected %5.1f%%; %5.1f%% by the backend's measure), %lu workloads\n",
		       types[i], weight[i], 100 * share, 100 * want,
		       be_total ? 100.0 * be_delta[i] / be_total : 0.0,
		       cl[i].done);
		EXPECT_LE(share, want * 1.05);
		EXPECT_GE(share, want * 0.95);
		EXPECT_EQ(0, cl[i].inflight);
		for (j = 0; j < SURF_W * SURF_H; j++)
			if (cl[i].surf[j] != cl[i].color)
				break;
		EXPECT_EQ(SURF_W * SURF_H, j) TH_LOG("vGPU %d pixel %d", i, j);
	}
}

static int set_cap(const struct guest *g, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_DIR "/%s/mvgpu/sched_cap", g->uuid);
	return sysfs_write(path, val);
}

/* Every fill of every client landed and nothing is in flight. */
static void expect_fills(struct __test_metadata *_metadata, struct client *cl)
{
	int i, j;

	for (j = 0; j < 50 && (cl[0].inflight || cl[1].inflight ||
			       cl[2].inflight); j++)
		ASSERT_EQ(0, run_for(cl, 200, false));
	for (i = 0; i < NR_BUSY; i++) {
		EXPECT_EQ(0, cl[i].inflight);
		for (j = 0; j < SURF_W * SURF_H; j++)
			if (cl[i].surf[j] != cl[i].color)
				break;
		EXPECT_EQ(SURF_W * SURF_H, j) TH_LOG("vGPU %d pixel %d", i, j);
	}
}

/*
 * For a second, every 20 ms: another policy, another slice (1 to 30 ms)
 * and another cap for one vGPU, while all three keep the engine busy.
 * No workload may fail; back in best effort without caps, every vGPU
 * makes progress again, and all fills land.
 */
TEST_F(sched, policy_slice_and_cap_switches_under_load_break_no_work)
{
	static const char *const policies[] = {
		"equal_share", "fixed_share", "best_effort",
	};
	static const char *const slices[] = { "30000", "1000", "7000", "2000" };
	static const char *const caps[] = { "10", "0", "50" };
	struct client *cl = self->cl;
	unsigned long done[NR_BUSY];
	long before[NR_BUSY];
	int i, k;

	ASSERT_EQ(0, run_for(cl, 100, true));
	for (k = 0; k < 50; k++) {
		ASSERT_EQ(0, sysfs_write(CLASS_DIR "/sched_policy", policies[k % 3]));
		ASSERT_EQ(0, sysfs_write(CLASS_DIR "/sched_slice_us", slices[k % 4]));
		ASSERT_EQ(0, set_cap(&cl[k % NR_BUSY].g, caps[k % 3]));
		ASSERT_EQ(0, run_for(cl, 20, true)) TH_LOG("round %d", k);
	}
	sched_defaults();
	for (i = 0; i < NR_BUSY; i++) {
		ASSERT_EQ(0, set_cap(&cl[i].g, "0"));
		done[i] = cl[i].done;
		before[i] = busy(&cl[i].g);
	}
	ASSERT_EQ(0, run_for(cl, 300, true));
	for (i = 0; i < NR_BUSY; i++) {
		printf("# %s: %lu workloads during the switches, %lu in 300 ms after, %ld ms on the engine; the vGPU counts %ld submitted, %ld completed\n",
		       types[i], done[i], cl[i].done - done[i],
		       (busy(&cl[i].g) - before[i]) / 1000000,
		       vgpu_attr(cl[i].g.uuid, "submissions"),
		       vgpu_attr(cl[i].g.uuid, "completed"));
		EXPECT_LT(done[i], cl[i].done);
		EXPECT_LT(before[i], busy(&cl[i].g));
	}
	expect_fills(_metadata, cl);
}

/* The scheduler's sysfs files: good values stick, bad ones get EINVAL. */
TEST(sched_sysfs_files_refuse_bad_values)
{
	static const char *const bad_policy[] = {
		"fixed", "best_effort_", "BEST_EFFORT", "0", "\n", "\xff",
		"best_effort equal_share",
	};
	static const char *const bad_slice[] = {
		"0", "999", "30001", "-1000", "abc", "1e3", "4294967296",
		"1000x", "\n",
	};
	static const char *const bad_cap[] = {
		"101", "-1", "x", "4294967296", "50%", "\n",
	};
	char u[40], cap[256], buf[64];
	unsigned int i;

	make_uuid(u);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", u));
	snprintf(cap, sizeof(cap), MDEV_DIR "/%s/mvgpu/sched_cap", u);

	ASSERT_LT(0, sysfs_read(CLASS_DIR "/sched_policy", buf, sizeof(buf)));
	EXPECT_STREQ("best_effort\n", buf);
	EXPECT_EQ(0, sysfs_write(CLASS_DIR "/sched_policy", "fixed_share\n"));
	for (i = 0; i < sizeof(bad_policy) / sizeof(bad_policy[0]); i++)
		EXPECT_EQ(-EINVAL, sysfs_write(CLASS_DIR "/sched_policy",
					       bad_policy[i])) TH_LOG("%s", bad_policy[i]);
	ASSERT_LT(0, sysfs_read(CLASS_DIR "/sched_policy", buf, sizeof(buf)));
	EXPECT_STREQ("fixed_share\n", buf);
	EXPECT_EQ(0, sysfs_write(CLASS_DIR "/sched_policy", "equal_share"));
	ASSERT_LT(0, sysfs_read(CLASS_DIR "/sched_policy", buf, sizeof(buf)));
	EXPECT_STREQ("equal_share\n", buf);

	EXPECT_EQ(1000, sysfs_read_long(CLASS_DIR "/sched_slice_us"));
	EXPECT_EQ(0, sysfs_write(CLASS_DIR "/sched_slice_us", "30000"));
	for (i = 0; i < sizeof(bad_slice) / sizeof(bad_slice[0]); i++)
		EXPECT_EQ(-EINVAL, sysfs_write(CLASS_DIR "/sched_slice_us",
					       bad_slice[i])) TH_LOG("%s", bad_slice[i]);
	EXPECT_EQ(30000, sysfs_read_long(CLASS_DIR "/sched_slice_us"));
	EXPECT_EQ(0, sysfs_write(CLASS_DIR "/sched_slice_us", "1000\n"));
	EXPECT_EQ(1000, sysfs_read_long(CLASS_DIR "/sched_slice_us"));

	EXPECT_EQ(0, sysfs_read_long(cap));
	EXPECT_EQ(0, sysfs_write(cap, "100"));
	EXPECT_EQ(0, sysfs_write(cap, "25"));
	for (i = 0; i < sizeof(bad_cap) / sizeof(bad_cap[0]); i++)
		EXPECT_EQ(-EINVAL, sysfs_write(cap, bad_cap[i])) TH_LOG("%s", bad_cap[i]);
	EXPECT_EQ(25, sysfs_read_long(cap));

	sched_defaults();
	EXPECT_EQ(0, vgpu_remove(u));
}

TEST_HARNESS_MAIN
