// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live migration through the VFIO migration uAPI v2, driven the way QEMU
 * drives it: vGPU A on mvgpu0 saves while work is queued, vGPU B of the
 * same type on mvgpu1 (same graphics memory placement) restores, and
 * the work's results and the guest driver's view (CSB, interrupts, GGTT)
 * continue on B; with and without PRE_COPY.  The test's "guest RAM" is
 * copied from A to B once A is stopped, as QEMU's last RAM pass does, so
 * what the engines wrote before the stop must be in it.  Also: corrupt,
 * truncated, foreign and random streams are refused with their errno and
 * leave B clean; a cancelled migration leaves A running and usable and
 * B reset; a data file's read or write that the VMM holds up in its copy
 * (a userfaultfd page) holds up no reset.  Needs two pGPUs (num_pgpus=2,
 * tests/vm/migration.sh).
 */
#include <pthread.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "native_util.h"
#include "uffd_util.h"

#define RCS	MVGPU_ENGINE_RCS
#define BCS	MVGPU_ENGINE_BCS
#define RING	(16 * GUEST_PAGE)
#define TYPE	"mvgpu-V1_8"
#define PGPU1	"/sys/class/mdev_bus/mvgpu1"
#define FILLS	24
#define SURF_W	512
#define SURF_H	128
#define STREAM_MAX	(8 << 20)
#define GATE_MS		200	/* well below watchdog_ms: a wait, not a hang */
#define HELD_WAIT_MS	10000	/* for a copy to wait in its fault */
#define CALL_WAIT_MS	2000	/* a device call that takes longer waited */

#define S_RUNNING	VFIO_DEVICE_STATE_RUNNING
#define S_STOP		VFIO_DEVICE_STATE_STOP
#define S_STOP_COPY	VFIO_DEVICE_STATE_STOP_COPY
#define S_RESUMING	VFIO_DEVICE_STATE_RESUMING
#define S_PRE_COPY	VFIO_DEVICE_STATE_PRE_COPY

/*
 * Work queued on A when it is stopped, checked on B.  A gated BCS context
 * first waits on a semaphore in guest memory that a thread opens GATE_MS
 * after the stop began (open_gate_later()): its work is in flight when
 * the stop begins, whatever the machine's speed.
 */
struct work {
	struct guest_surf surf;
	struct guest_ctx bc, rc;
	uint32_t *stores;		/* RCS writes here */
	uint64_t stores_ga;
	volatile uint32_t *gate;	/* BCS waits until it is 1 */
	uint64_t gate_ga;
	pthread_t opener;
};

FIXTURE(mig) {
	struct guest a, b;
	char b_uuid[40];
	uint8_t *stream;
	size_t len;
};

static int create_on(const char *parent, const char *type, char *uuid)
{
	char path[256];

	make_uuid(uuid);
	snprintf(path, sizeof(path), "%s/mdev_supported_types/%s/create",
		 parent, type);
	return sysfs_write(path, uuid);
}

FIXTURE_SETUP(mig)
{
	if (access(PGPU1, F_OK))
		SKIP(return, "needs two pGPUs (num_pgpus=2)");
	ASSERT_EQ(0, guest_create(&self->a, TYPE));
	ASSERT_EQ(0, create_on(PGPU1, TYPE, self->b_uuid));
	ASSERT_EQ(0, guest_open(&self->b, self->b_uuid));
	ASSERT_EQ(self->a.ap_base, self->b.ap_base);
	ASSERT_EQ(self->a.hi_base, self->b.hi_base);
	ASSERT_EQ(0, guest_start(&self->a));
	self->stream = malloc(STREAM_MAX);
	ASSERT_NE(NULL, self->stream);
}

FIXTURE_TEARDOWN(mig)
{
	free(self->stream);
	if (self->a.uuid[0])
		guest_destroy(&self->a);
	if (self->b.uuid[0])
		guest_destroy(&self->b);
}

static uint32_t state_of(struct guest *g)
{
	uint32_t s;

	mvgpu_vfio_mig_get_state(g->v, &s);
	return s;
}

/* Read a data file until its (temporary, with ENOMSG) end. */
static ssize_t read_stream(int fd, uint8_t *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	while (len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n < 0)
			return errno == ENOMSG ? (ssize_t)len : -errno;
		if (!n)
			break;
		len += n;
	}
	return len;
}

static int write_stream(int fd, const uint8_t *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		/* in pieces, as QEMU forwards what it receives */
		n = write(fd, buf + off, len - off < 4096 ? len - off : 4096);
		if (n < 0)
			return -errno;
		off += n;
	}
	return 0;
}

/*
 * Queue FILLS fills on BCS, behind a closed gate when @gated, and FILLS
 * stores on RCS; wait for nothing.
 */
static int queue_work(struct guest *g, struct work *w, bool gated)
{
	struct cs bcs = { .n = 0 }, rcs = { .n = 0 };
	int i, ret;

	ret = guest_surf_new(g, &w->surf, SURF_W, SURF_H, 0, 0);
	w->stores = guest_map(g, GUEST_PAGE, &w->stores_ga);
	w->gate = guest_map(g, GUEST_PAGE, &w->gate_ga);
	if (ret || !w->stores || !w->gate)
		return -ENOMEM;
	memset(w->stores, 0, GUEST_PAGE);
	w->gate[0] = !gated;
	if (guest_ctx_create(g, &w->bc, RING, 0x51) ||
	    guest_ctx_create(g, &w->rc, RING, 0x52))
		return -ENOMEM;
	cs_sem(&bcs, w->gate_ga, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
	for (i = 0; i < FILLS; i++) {
		cs_fill(&bcs, MVGPU_BR13_DEPTH_32, w->surf.pitch, 0, 0, SURF_W,
			SURF_H, w->surf.ga, 0x01010101U * (i + 1));
		cs_sdi(&rcs, w->stores_ga + 4 * i, 0xc0de0000U + i);
	}
	guest_emit_cs(&w->bc, &bcs);
	guest_emit_cs(&w->rc, &rcs);
	ret = guest_submit(g, BCS, &w->bc, NULL);
	return ret ?: guest_submit(g, RCS, &w->rc, NULL);
}

static void *gate_opener(void *arg)
{
	struct work *w = arg;

	usleep(GATE_MS * 1000);
	w->gate[0] = 1;
	return NULL;
}

/* The gate opens GATE_MS from now, in A's memory; join with open_gate_wait(). */
static int open_gate_later(struct work *w)
{
	return pthread_create(&w->opener, NULL, gate_opener, w);
}

static void open_gate_wait(struct work *w)
{
	pthread_join(w->opener, NULL);
}

/* @p, a pointer into A's guest memory, in B's copy of it. */
static void *on_b(struct _test_data_mig *self, void *p)
{
	return (uint8_t *)p - self->a.mem + self->b.mem;
}

/* B takes over A's guest driver state and its (copied) guest memory. */
static void adopt(struct _test_data_mig *self, struct work *w)
{
	struct guest b = self->a;

	memcpy(b.uuid, self->b.uuid, sizeof(b.uuid));
	b.v = self->b.v;
	b.mem = self->b.mem;
	memcpy(b.mem, self->a.mem, self->a.size);
	self->b = b;
	w->surf.p = on_b(self, w->surf.p);
	w->stores = on_b(self, w->stores);
	w->bc.img = on_b(self, w->bc.img);
	w->bc.ring = on_b(self, w->bc.ring);
	w->rc.img = on_b(self, w->rc.img);
	w->rc.ring = on_b(self, w->rc.ring);
	w->gate = on_b(self, (void *)w->gate);
}

/* Source: RUNNING -> STOP_COPY, the whole stream into self->stream. */
static int save_stop_copy(struct _test_data_mig *self)
{
	ssize_t n;
	int fd, ret;

	ret = mvgpu_vfio_mig_set_state(self->a.v, S_STOP_COPY, &fd);
	if (ret)
		return ret;
	n = read_stream(fd, self->stream, STREAM_MAX);
	close(fd);
	if (n < 0)
		return n;
	self->len = n;
	return 0;
}

/* Destination: STOP -> RESUMING, write @len bytes, -> STOP. */
static int restore(struct guest *b, const uint8_t *buf, size_t len)
{
	int fd, ret;

	ret = mvgpu_vfio_mig_set_state(b->v, S_RESUMING, &fd);
	if (ret)
		return ret;
	ret = write_stream(fd, buf, len);
	if (!ret)
		ret = mvgpu_vfio_mig_set_state(b->v, S_STOP, NULL);
	close(fd);
	return ret;
}

/*
 * The queued work's events (CSB entries and context-switch interrupts,
 * which guest_expect_done() checks) and results, read on B.
 */
static void check_work_on_b(struct __test_metadata *_metadata,
			    struct _test_data_mig *self, struct work *w)
{
	struct guest_ev ev[GUEST_MAX_EV];
	uint32_t want = 0x01010101U * FILLS, i;
	int n;

	n = guest_wait_csb(&self->b, BCS, ev, GUEST_MAX_EV, GUEST_TIMEOUT_MS);
	guest_expect_done(_metadata, &self->b, BCS, &w->bc, ev, n);
	n = guest_wait_csb(&self->b, RCS, ev, GUEST_MAX_EV, GUEST_TIMEOUT_MS);
	guest_expect_done(_metadata, &self->b, RCS, &w->rc, ev, n);
	for (i = 0; i < SURF_W * SURF_H; i++)
		ASSERT_EQ(want, w->surf.p[i]) TH_LOG("pixel %u", i);
	for (i = 0; i < FILLS; i++)
		ASSERT_EQ(0xc0de0000U + i, w->stores[i]) TH_LOG("store %u", i);
}

/* New work on B, through the GGTT entries it restored. */
static void check_b_runs(struct __test_metadata *_metadata,
			 struct _test_data_mig *self, struct work *w)
{
	struct guest_ev ev[GUEST_MAX_EV];
	struct cs cs = { .n = 0 };
	int n;

	cs_sdi(&cs, w->stores_ga + 4 * FILLS, 0xb0b0b0b0);
	guest_emit_cs(&w->rc, &cs);
	n = guest_run(&self->b, RCS, &w->rc, NULL, ev, GUEST_MAX_EV);
	guest_expect_done(_metadata, &self->b, RCS, &w->rc, ev, n);
	EXPECT_EQ(0xb0b0b0b0, w->stores[FILLS]);
	EXPECT_EQ(0xc0de0000U, w->stores[0]);	/* old commands not run again */
}

TEST_F(mig, device_offers_stop_copy_pre_copy_and_p2p)
{
	uint64_t flags;

	ASSERT_EQ(0, mvgpu_vfio_mig_flags(self->a.v, &flags));
	EXPECT_EQ(VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |
		  VFIO_MIGRATION_PRE_COPY, flags);
	EXPECT_EQ(S_RUNNING, state_of(&self->a));
}

TEST_F_TIMEOUT(mig, queued_work_finishes_on_the_destination_with_its_results, 120)
{
	uint64_t est, t0, t1, t2, t3, t4;
	struct work w;

	ASSERT_EQ(0, queue_work(&self->a, &w, true));
	ASSERT_EQ(0, mvgpu_vfio_mig_data_size(self->a.v, &est));
	t0 = guest_now_ms();
	ASSERT_EQ(0, open_gate_later(&w));
	/* the work waits at its gate: STOP waits for it */
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_STOP, NULL));
	t1 = guest_now_ms();
	open_gate_wait(&w);
	EXPECT_GE(t1 - t0, GATE_MS - 20);
	ASSERT_EQ(0, save_stop_copy(self));
	t2 = guest_now_ms();
	EXPECT_GE(est, self->len);
	adopt(self, &w);
	t3 = guest_now_ms();
	ASSERT_EQ(0, restore(&self->b, self->stream, self->len));
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->b.v, S_RUNNING, NULL));
	t4 = guest_now_ms();
	EXPECT_EQ(vgpu_attr(self->a.uuid, "completed"),
		  vgpu_attr(self->b.uuid, "completed"));
	EXPECT_EQ(2, vgpu_attr(self->b.uuid, "completed"));
	TH_LOG("stream %zu bytes (estimate %llu); drain at STOP %llu ms (gate %u ms), STOP_COPY and read %llu ms, RESUMING, write, STOP and RUNNING %llu ms (guest memory copy %llu ms)",
	       self->len, (unsigned long long)est,
	       (unsigned long long)(t1 - t0), GATE_MS,
	       (unsigned long long)(t2 - t1), (unsigned long long)(t4 - t3),
	       (unsigned long long)(t3 - t2));
	check_work_on_b(_metadata, self, &w);
	check_b_runs(_metadata, self, &w);
}

TEST_F_TIMEOUT(mig, pre_copy_sends_early_image_then_final_one, 120)
{
	uint64_t initial, dirty;
	struct work w;
	int src, dst;
	ssize_t early, rest;

	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_PRE_COPY, &src));
	ASSERT_EQ(0, mvgpu_vfio_mig_precopy_info(src, &initial, &dirty));
	EXPECT_LT(0, initial);
	early = read_stream(src, self->stream, STREAM_MAX);
	ASSERT_EQ((ssize_t)initial, early);
	ASSERT_EQ(0, mvgpu_vfio_mig_precopy_info(src, &initial, &dirty));
	EXPECT_EQ(0, initial);
	/* the destination takes the early image while the source runs */
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->b.v, S_RESUMING, &dst));
	ASSERT_EQ(0, write_stream(dst, self->stream, early));
	/*
	 * The guest runs on in PRE_COPY: its new work and GGTT entries are
	 * in the final image only, and the work is in flight at the stop.
	 */
	ASSERT_EQ(0, queue_work(&self->a, &w, true));
	ASSERT_EQ(0, open_gate_later(&w));
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_STOP_COPY, NULL));
	open_gate_wait(&w);
	EXPECT_EQ(-EINVAL, mvgpu_vfio_mig_precopy_info(src, &initial, &dirty));
	rest = read_stream(src, self->stream + early, STREAM_MAX - early);
	close(src);
	ASSERT_LT(0, rest);
	TH_LOG("early image %zd bytes, final %zd bytes", early, rest);
	adopt(self, &w);
	ASSERT_EQ(0, write_stream(dst, self->stream + early, rest));
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->b.v, S_STOP, NULL));
	close(dst);
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->b.v, S_RUNNING, NULL));
	check_work_on_b(_metadata, self, &w);
	check_b_runs(_metadata, self, &w);
}

/* B after a refused stream: still RESUMING, nothing of A's in it. */
static void expect_b_clean(struct __test_metadata *_metadata,
			   struct _test_data_mig *self, uint64_t ga)
{
	EXPECT_EQ(S_RESUMING, state_of(&self->b));
	EXPECT_EQ(0, guest_get_pte(&self->b, ga));
	EXPECT_EQ(0, vgpu_attr(self->b.uuid, "pinned_pages"));
}

TEST_F_TIMEOUT(mig, corrupt_truncated_and_foreign_streams_are_refused, 120)
{
	struct guest_ev ev[GUEST_MAX_EV];
	struct work w;
	char why[128];
	int fd;

	ASSERT_EQ(0, queue_work(&self->a, &w, false));
	ASSERT_EQ(0, save_stop_copy(self));
	self->stream[self->len / 2] ^= 0x40;
	EXPECT_EQ(-EBADMSG, restore(&self->b, self->stream, self->len));
	expect_b_clean(_metadata, self, w.surf.ga);
	self->stream[self->len / 2] ^= 0x40;
	ASSERT_EQ(0, mvgpu_vfio_reset(self->b.v));
	EXPECT_EQ(-ENODATA, restore(&self->b, self->stream, self->len - 8));
	expect_b_clean(_metadata, self, w.surf.ga);
	ASSERT_EQ(0, mvgpu_vfio_reset(self->b.v));
	/* another type: refused at the first write */
	memcpy(self->stream + 24, "mvgpu-V1_4", 11);
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->b.v, S_RESUMING, &fd));
	EXPECT_EQ(-EMEDIUMTYPE, write_stream(fd, self->stream, self->len));
	close(fd);
	ASSERT_EQ(0, mvgpu_vfio_reset(self->b.v));
	EXPECT_EQ(S_RUNNING, state_of(&self->b));
	/* the source goes back to running and its work is there */
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_RUNNING, NULL));
	guest_expect_done(_metadata, &self->a, BCS, &w.bc, ev,
			  guest_wait_csb(&self->a, BCS, ev, GUEST_MAX_EV,
					 GUEST_TIMEOUT_MS));
	EXPECT_EQ(0x01010101U * FILLS, w.surf.p[SURF_W * SURF_H - 1]);
	/* and B, reset, is a fresh vGPU that runs */
	ASSERT_EQ(0, guest_start(&self->b));
	EXPECT_EQ(0, guest_fill_check(&self->b, 7, 0x12345678, why, sizeof(why)))
		TH_LOG("%s", why);
}

TEST_F_TIMEOUT(mig, random_streams_are_refused_and_leave_the_destination_clean, 180)
{
	unsigned int i, seed = 19;
	struct work w;
	int ret;

	ASSERT_EQ(0, queue_work(&self->a, &w, false));
	ASSERT_EQ(0, save_stop_copy(self));
	for (i = 0; i < 200; i++) {
		uint8_t *s = malloc(self->len);
		unsigned int k, flips = 1 + rand_r(&seed) % 8;

		ASSERT_NE(NULL, s);
		memcpy(s, self->stream, self->len);
		for (k = 0; k < flips; k++)
			s[rand_r(&seed) % self->len] ^= 1 << (rand_r(&seed) % 8);
		ret = restore(&self->b, s, i % 3 ? self->len :
			      rand_r(&seed) % self->len);
		free(s);
		ASSERT_TRUE(ret == -EBADMSG || ret == -ENODATA ||
			    ret == -EPROTONOSUPPORT || ret == -EMEDIUMTYPE ||
			    ret == -EADDRNOTAVAIL || ret == -EFBIG)
			TH_LOG("round %u: %d", i, ret);
		expect_b_clean(_metadata, self, w.surf.ga);
		ASSERT_EQ(0, mvgpu_vfio_reset(self->b.v));
	}
}

TEST_F_TIMEOUT(mig, cancelled_migration_leaves_source_running_and_destination_reset, 120)
{
	struct guest_ev ev[GUEST_MAX_EV];
	struct work w;
	char why[128];
	uint8_t part[256];
	int src, dst;

	ASSERT_EQ(0, queue_work(&self->a, &w, false));
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_PRE_COPY, &src));
	ASSERT_EQ((ssize_t)sizeof(part), read(src, part, sizeof(part)));
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->b.v, S_RESUMING, &dst));
	ASSERT_EQ((ssize_t)sizeof(part), write(dst, part, sizeof(part)));
	/* migrate_cancel: the source back to RUNNING, the destination reset */
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_RUNNING, NULL));
	EXPECT_EQ(-1, read(src, part, sizeof(part)));
	EXPECT_EQ(ENODEV, errno);
	close(src);
	ASSERT_EQ(0, mvgpu_vfio_reset(self->b.v));
	EXPECT_EQ(-1, write(dst, part, sizeof(part)));
	EXPECT_EQ(ENODEV, errno);
	close(dst);
	EXPECT_EQ(S_RUNNING, state_of(&self->b));
	/* A's queued work completes and A takes more */
	guest_expect_done(_metadata, &self->a, BCS, &w.bc, ev,
			  guest_wait_csb(&self->a, BCS, ev, GUEST_MAX_EV,
					 GUEST_TIMEOUT_MS));
	EXPECT_EQ(0, guest_fill_check(&self->a, 9, 0x0badcafe, why, sizeof(why)))
		TH_LOG("%s", why);
	/* and a stop, cancelled too, resumes it */
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_STOP, NULL));
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_RUNNING, NULL));
	EXPECT_EQ(0, guest_fill_check(&self->a, 10, 0x600df00d, why, sizeof(why)))
		TH_LOG("%s", why);
}

/* A read or write of a data file, from its own thread. */
struct file_io {
	pthread_t t;
	int fd;
	bool write;
	void *buf;
	ssize_t ret;	/* bytes, or -errno */
	uint8_t got[UFFD_TRAP_BYTES];	/* what a read left in @buf */
};

static void *file_io_run(void *arg)
{
	struct file_io *io = arg;
	ssize_t n;

	n = io->write ? write(io->fd, io->buf, UFFD_TRAP_BYTES) :
			read(io->fd, io->buf, UFFD_TRAP_BYTES);
	io->ret = n < 0 ? -errno : n;
	return NULL;
}

/* VFIO_DEVICE_RESET, or a move to @state, from its own thread. */
struct dev_call {
	pthread_t t;
	struct guest *g;
	bool reset;
	uint32_t state;
	int ret;
	int done;
};

static void *dev_call_run(void *arg)
{
	struct dev_call *c = arg;

	c->ret = c->reset ? mvgpu_vfio_reset(c->g->v) :
		 mvgpu_vfio_mig_set_state(c->g->v, c->state, NULL);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * @io copies to or from a page the VMM has not filled, and waits in that
 * fault; @c is made meanwhile.  @c must not wait for the copy.  Whatever
 * happens, the page is filled and both threads joined before anything
 * is checked; the copy's outcome is left in @io.
 */
static void call_while_copy_held(struct __test_metadata *_metadata,
				 struct dev_call *c, struct file_io *io)
{
	bool io_started, c_started = false, held = false, in_time = false;
	struct uffd_trap trap;

	ASSERT_EQ(0, uffd_trap_open(&trap));
	io->buf = trap.page;
	io_started = !pthread_create(&io->t, NULL, file_io_run, io);
	held = io_started && !uffd_trap_wait(&trap, HELD_WAIT_MS, NULL);
	if (held) {
		c_started = !pthread_create(&c->t, NULL, dev_call_run, c);
		in_time = c_started && guest_wait_flag(&c->done, CALL_WAIT_MS);
	}
	EXPECT_EQ(0, uffd_trap_release(&trap));
	if (io_started)
		pthread_join(io->t, NULL);
	if (c_started)
		pthread_join(c->t, NULL);
	memcpy(io->got, trap.page, sizeof(io->got));
	uffd_trap_close(&trap);

	ASSERT_TRUE(io_started);
	ASSERT_TRUE(held) TH_LOG("the %s never waited in its copy",
				 io->write ? "write" : "read");
	EXPECT_TRUE(in_time) TH_LOG("the %s waited for the held %s",
				    c->reset ? "reset" : "state change",
				    io->write ? "write" : "read");
	EXPECT_EQ(0, c->ret);
}

/*
 * A held copy and a reset: the copy, let go after it, fails with -ENODEV
 * as the file's reads and writes do once the device left its state.
 */
static void reset_while_copy_held(struct __test_metadata *_metadata,
				  struct guest *g, struct file_io *io)
{
	struct dev_call c = { .g = g, .reset = true };

	call_while_copy_held(_metadata, &c, io);
	EXPECT_EQ(-ENODEV, io->ret);
	EXPECT_EQ(S_RUNNING, state_of(g));
}

TEST_F_TIMEOUT(mig, a_data_file_copy_held_by_the_vmm_holds_up_no_reset, 120)
{
	struct file_io rd = { .write = false }, wr = { .write = true };
	uint8_t part[256];
	char why[128];

	/* the source's read, in PRE_COPY */
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_PRE_COPY, &rd.fd));
	reset_while_copy_held(_metadata, &self->a, &rd);
	EXPECT_EQ(-1, read(rd.fd, part, sizeof(part)));
	EXPECT_EQ(ENODEV, errno);
	close(rd.fd);
	/* the destination's write, after a first piece */
	ASSERT_EQ(0, save_stop_copy(self));
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->b.v, S_RESUMING, &wr.fd));
	ASSERT_EQ((ssize_t)sizeof(part), write(wr.fd, self->stream, sizeof(part)));
	reset_while_copy_held(_metadata, &self->b, &wr);
	EXPECT_EQ(-1, write(wr.fd, part, sizeof(part)));
	EXPECT_EQ(ENODEV, errno);
	close(wr.fd);
	EXPECT_EQ(0, vgpu_attr(self->b.uuid, "pinned_pages"));
	/* both, reset, are fresh vGPUs that run */
	ASSERT_EQ(0, mvgpu_vfio_reset(self->a.v));
	self->a.ap_used = self->a.hi_used = 0;	/* the GGTT is empty */
	ASSERT_EQ(0, guest_start(&self->a));
	EXPECT_EQ(0, guest_fill_check(&self->a, 11, 0x0ddba11, why, sizeof(why)))
		TH_LOG("%s", why);
	ASSERT_EQ(0, guest_start(&self->b));
	EXPECT_EQ(0, guest_fill_check(&self->b, 12, 0x5ca1ab1e, why, sizeof(why)))
		TH_LOG("%s", why);
}

/*
 * The source's read of its early image is held while the VMM moves it
 * to STOP_COPY, which appends the FINAL image to the stream (in a larger
 * buffer): the move does not wait, the held read gets the early image
 * as it was, and the stream, read on, restores on the destination.
 */
TEST_F_TIMEOUT(mig, a_read_held_across_the_stop_copy_reads_the_stream_whole, 120)
{
	struct dev_call c = { .g = &self->a, .state = S_STOP_COPY };
	struct file_io rd = { .write = false };
	struct work w;
	ssize_t rest;

	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->a.v, S_PRE_COPY, &rd.fd));
	ASSERT_EQ(0, queue_work(&self->a, &w, true));
	ASSERT_EQ(0, open_gate_later(&w));
	call_while_copy_held(_metadata, &c, &rd);
	open_gate_wait(&w);
	ASSERT_LT(0, rd.ret);
	ASSERT_GE(UFFD_TRAP_BYTES, rd.ret);
	memcpy(self->stream, rd.got, rd.ret);
	rest = read_stream(rd.fd, self->stream + rd.ret, STREAM_MAX - rd.ret);
	close(rd.fd);
	ASSERT_LT(0, rest);
	TH_LOG("held read %zd bytes, then %zd", rd.ret, rest);
	adopt(self, &w);
	ASSERT_EQ(0, restore(&self->b, self->stream, rd.ret + rest));
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(self->b.v, S_RUNNING, NULL));
	check_work_on_b(_metadata, self, &w);
}

TEST_F(mig, other_placement_is_refused)
{
	char uuid[40];
	struct guest c;
	int fd;

	/* a second vGPU on mvgpu0 has other graphics memory than A */
	ASSERT_EQ(0, save_stop_copy(self));
	ASSERT_EQ(0, create_on(PGPU_DIR, TYPE, uuid));
	ASSERT_EQ(0, guest_open(&c, uuid));
	ASSERT_EQ(0, mvgpu_vfio_mig_set_state(c.v, S_RESUMING, &fd));
	EXPECT_EQ(-EADDRNOTAVAIL, write_stream(fd, self->stream, self->len));
	close(fd);
	guest_destroy(&c);
}

TEST_HARNESS_MAIN
