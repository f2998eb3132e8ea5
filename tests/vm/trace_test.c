// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mvgpu tracepoints, recorded through tracefs in an instance of its
 * own while a vGPU is driven through VFIO: register accesses are trap
 * events carrying offset and value, GGTT writes are update events, and a
 * workload of known size gives as many submit and complete events (tied
 * by their sequence numbers), a reject event for the one the scanner
 * refuses, schedule in/out pairs, interrupt assertions and the host's
 * reset.  Every event is filtered on the vGPU's id, so other vGPUs'
 * events cannot make up the counts.  And the kernel log line of a
 * refused workload names the vGPU by its UUID.
 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "native_util.h"

#define TRACEFS		"/sys/kernel/tracing"
#define BCS		MVGPU_ENGINE_BCS
#define NR_STORES	4
#define MAX_EVENTS	4096

FIXTURE(trace) {
	struct guest g;
	long id;
	char inst[128];
	char *text;		/* the trace as read by trace_stop() */
};

static int inst_write(const char *inst, const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", inst, file);
	return sysfs_write(path, val);
}

/* The instance's trace, whole, in a malloc()ed string. */
static char *inst_read_trace(const char *inst)
{
	size_t len = 0, cap = 1 << 16;
	char path[256], *buf = malloc(cap);
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/trace", inst);
	f = fopen(path, "r");
	if (!f || !buf) {
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = 0;
	return buf;
}

static int tracefs_ready(void)
{
	struct stat st;

	if (!stat(TRACEFS "/instances", &st))
		return 0;
	return mount("nodev", TRACEFS, "tracefs", 0, NULL);
}

/* Record @events (a path under events/, e.g. "mvgpu") of this vGPU only. */
static int trace_start(struct __test_metadata *_metadata,
		       FIXTURE_DATA(trace) *self, const char *events)
{
	char path[128], filter[64];

	snprintf(filter, sizeof(filter), "vgpu == %ld", self->id);
	snprintf(path, sizeof(path), "events/%s/filter", events);
	if (inst_write(self->inst, path, filter))
		return -1;
	snprintf(path, sizeof(path), "events/%s/enable", events);
	if (inst_write(self->inst, "buffer_size_kb", "4096") ||
	    inst_write(self->inst, path, "1"))
		return -1;
	return inst_write(self->inst, "tracing_on", "1");
}

static void trace_stop(FIXTURE_DATA(trace) *self)
{
	inst_write(self->inst, "tracing_on", "0");
	free(self->text);
	self->text = inst_read_trace(self->inst);
}

/* Lines of the trace with event @name whose text contains @with (or any). */
static int count(const char *text, const char *name, const char *with)
{
	char key[64];
	const char *p = text, *eol;
	int n = 0;

	snprintf(key, sizeof(key), " %s: ", name);
	while ((p = strstr(p, key))) {
		eol = strchrnul(p, '\n');
		if (!with || memmem(p, eol - p, with, strlen(with)))
			n++;
		p = eol;
	}
	return n;
}

/* Sequence numbers (seq=) of the @name events, sorted. */
static int seqs(const char *text, const char *name, unsigned long long *out,
		int max)
{
	char key[64];
	const char *p = text, *s, *eol;
	int n = 0, i, j;

	snprintf(key, sizeof(key), " %s: ", name);
	while ((p = strstr(p, key)) && n < max) {
		eol = strchrnul(p, '\n');
		s = memmem(p, eol - p, "seq=", 4);
		if (s)
			out[n++] = strtoull(s + 4, NULL, 0);
		p = eol;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && out[j - 1] > out[j]; j--) {
			unsigned long long t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

FIXTURE_SETUP(trace)
{
	int ret;

	self->text = NULL;
	ASSERT_EQ(0, tracefs_ready()) TH_LOG("tracefs: %s", strerror(errno));
	snprintf(self->inst, sizeof(self->inst), TRACEFS "/instances/mvgpu_trace_test_%d",
		 getpid());
	ASSERT_EQ(0, mkdir(self->inst, 0700)) TH_LOG("%s: %s", self->inst, strerror(errno));
	inst_write(self->inst, "tracing_on", "0");
	ASSERT_EQ(0, guest_create(&self->g, "mvgpu-V1_8"));
	ret = guest_start(&self->g);
	if (ret)
		guest_destroy(&self->g);
	ASSERT_EQ(0, ret);
	self->id = vgpu_attr(self->g.uuid, "vgpu_id");
	ASSERT_LE(0, self->id);
}

FIXTURE_TEARDOWN(trace)
{
	inst_write(self->inst, "events/enable", "0");
	rmdir(self->inst);
	free(self->text);
	EXPECT_EQ(0, guest_destroy(&self->g));
}

TEST_F(trace, register_accesses_are_trap_events_with_offset_and_value)
{
	uint32_t ier = guest_rd(&self->g, MVGPU_GT_IER(0));
	char want[96];
	int i;

	ASSERT_NE(0, ier);
	ASSERT_EQ(0, trace_start(_metadata, self, "mvgpu/mvgpu_trap"));
	ASSERT_EQ(0, guest_wr(&self->g, MVGPU_GT_IER(0), ier));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(ier, guest_rd(&self->g, MVGPU_GT_IER(0)));
	trace_stop(self);
	ASSERT_TRUE(self->text != NULL);

	snprintf(want, sizeof(want), "vgpu=%ld mmio write 0x%x len=4 val=0x%x ret=0",
		 self->id, MVGPU_GT_IER(0), ier);
	EXPECT_EQ(1, count(self->text, "mvgpu_trap", want)) TH_LOG("%s", self->text);
	snprintf(want, sizeof(want), "vgpu=%ld mmio read 0x%x len=4 val=0x%x ret=0",
		 self->id, MVGPU_GT_IER(0), ier);
	EXPECT_EQ(3, count(self->text, "mvgpu_trap", want));
}

TEST_F(trace, ggtt_write_is_an_update_event_with_entry_and_pte)
{
	uint64_t ga = self->g.ap_base + 0x10000, pte = self->g.iova | 1;
	char want[96];

	ASSERT_EQ(0, trace_start(_metadata, self, "mvgpu/mvgpu_ggtt_update"));
	ASSERT_EQ(0, guest_set_pte(&self->g, ga, self->g.iova));
	trace_stop(self);
	ASSERT_TRUE(self->text != NULL);
	snprintf(want, sizeof(want), "vgpu=%ld gm=0x%llx 0x0 -> 0x%llx",
		 self->id, (unsigned long long)ga, (unsigned long long)pte);
	EXPECT_EQ(1, count(self->text, "mvgpu_ggtt_update", want))
		TH_LOG("want \"%s\" in:\n%s", want, self->text);
}

TEST_F(trace, workload_events_match_the_work_submitted)
{
	const uint32_t bad = MVGPU_MI_INSTR(0x3f, 0);
	unsigned long long sub[MAX_EVENTS], done[MAX_EVENTS];
	struct guest_ev ev[GUEST_MAX_EV];
	struct guest_ctx c;
	char path[128];
	int i, n, in, out;

	ASSERT_EQ(0, trace_start(_metadata, self, "mvgpu"));
	ASSERT_EQ(0, inst_write(self->inst, "events/mvgpu/mvgpu_trap/enable", "0"));
	for (i = 0; i < NR_STORES; i++)
		guest_store_ok(_metadata, &self->g, BCS, 0x100 + i, 0xc0de0000 + i);
	/* one the scanner refuses: an MI opcode mvgpu_cmd.h does not know */
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, 4 * GUEST_PAGE, 0x1bad));
	guest_emit(&c, &bad, 1);
	n = guest_run(&self->g, BCS, &c, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n);
	ASSERT_TRUE(ev[n - 1].status & MVGPU_CSB_ERROR);
	snprintf(path, sizeof(path), MDEV_DIR "/%s/mvgpu/reset", self->g.uuid);
	ASSERT_EQ(0, sysfs_write(path, "1"));
	trace_stop(self);
	ASSERT_TRUE(self->text != NULL);

	EXPECT_EQ(NR_STORES + 1, count(self->text, "mvgpu_submit", NULL))
		TH_LOG("%s", self->text);
	EXPECT_EQ(NR_STORES + 1, count(self->text, "mvgpu_complete", NULL));
	EXPECT_EQ(1, count(self->text, "mvgpu_complete", "error err=INVALID_CMD"));
	EXPECT_EQ(1, count(self->text, "mvgpu_reject", NULL));
	EXPECT_EQ(1, count(self->text, "mvgpu_reject", "ctx=0x1bad INVALID_CMD at ring"));
	EXPECT_EQ(1, count(self->text, "mvgpu_submit", "rejected=1"));
	/* the rejected one never reaches the engine */
	in = count(self->text, "mvgpu_sched_in", NULL);
	out = count(self->text, "mvgpu_sched_out", NULL);
	EXPECT_LE(NR_STORES, in);
	EXPECT_EQ(in, out);
	EXPECT_EQ(0, count(self->text, "mvgpu_sched_in", "ctx=0x1bad"));
	/* each completion raised the interrupt; the guest acknowledged it */
	EXPECT_LE(NR_STORES, count(self->text, "mvgpu_irq", " assert"));
	EXPECT_EQ(1, count(self->text, "mvgpu_reset", "by host"));

	/* every workload submitted completed, and nothing else did */
	n = seqs(self->text, "mvgpu_submit", sub, MAX_EVENTS);
	ASSERT_EQ(n, seqs(self->text, "mvgpu_complete", done, MAX_EVENTS));
	for (i = 0; i < n; i++)
		EXPECT_EQ(sub[i], done[i]) TH_LOG("workload %d", i);
}

/* Is there a kernel log record with both @a and @b? */
static int kmsg_has(const char *a, const char *b)
{
	char rec[2048];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ssize_t n;
	int found = 0;

	if (fd < 0)
		return -1;
	while (!found) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten while we read: go on */
		if (n <= 0)
			break;
		rec[n] = 0;
		found = strstr(rec, a) && strstr(rec, b);
	}
	close(fd);
	return found;
}

/* Not a trace event: the log line of the same refusal names the vGPU. */
TEST_F(trace, log_line_about_a_rejected_workload_names_the_vgpu_by_uuid)
{
	const uint32_t bad = MVGPU_MI_INSTR(0x3f, 0);
	struct guest_ev ev[GUEST_MAX_EV];
	struct guest_ctx c;
	char uuid_colon[48];

	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, 4 * GUEST_PAGE, 0x2bad));
	guest_emit(&c, &bad, 1);
	ASSERT_LT(0, guest_run(&self->g, BCS, &c, NULL, ev, GUEST_MAX_EV));
	snprintf(uuid_colon, sizeof(uuid_colon), "%s: ", self->g.uuid);
	EXPECT_EQ(1, kmsg_has(uuid_colon, "context 0x2bad rejected"));
}

TEST_HARNESS_MAIN
