// SPDX-License-Identifier: GPL-2.0-only
/*
 * The same work through a vGPU and through the host's native path, in
 * one run in the test VM: an N MiB XY_FAST_COPY_BLT (submission to
 * completion as the submitter sees it: the CSB entry for the vGPU, the
 * completion event for the native path) and an empty submission.
 * Prints TAP with the figures as comments; a step fails only when it
 * cannot run or a copy is wrong, never on speed.
 *
 *   tests/vm/vm.sh --insmod mvgpu.ko --insmod mvgpu_native.ko \
 *       -- build/vm-tests/vgpu_bench
 */
#include <poll.h>
#include <stdbool.h>
#include <sys/eventfd.h>

#include "guest_util.h"
#include "native_util.h"

#define ROW		16384U		/* bytes: 4096 pixels of 32 bpp, as natively */
#define EMPTY_RUNS	500
#define COPY_RUNS	21
#define MEM_BYTES	(40ULL << 20)

static unsigned int step, failed;

static void tap(bool ok, const char *what)
{
	printf("%sok %u %s\n", ok ? "" : "not ", ++step, what);
	failed += !ok;
}

/*
 * Submit @c on BCS and wait for its completion as a guest driver does:
 * sleep until the MSI (an eventfd), acknowledge IIR, read the CSB.  The
 * native path sleeps on its completion event in the kernel alike; polling
 * instead would keep a second vCPU of the test VM busy during the copy.
 */
static int64_t run_once(struct guest *g, struct guest_ctx *c, int efd)
{
	uint64_t t0 = nat_now_ns();
	struct pollfd p = { .fd = efd, .events = POLLIN };
	struct guest_ev e;
	uint64_t n;
	int got;

	if (guest_submit(g, MVGPU_ENGINE_BCS, c, NULL))
		return -EIO;
	for (;;) {
		if (poll(&p, 1, GUEST_TIMEOUT_MS) != 1)
			return -ETIMEDOUT;
		if (read(efd, &n, sizeof(n)) != sizeof(n) ||
		    guest_ack_iir(g, 0xffffffff))
			return -EIO;
		while ((got = guest_csb_next(g, MVGPU_ENGINE_BCS, &e)) > 0) {
			if (e.status & MVGPU_CSB_ERROR)
				return -EIO;
			if (e.status & MVGPU_CSB_ACTIVE_TO_IDLE)
				return nat_now_ns() - t0;
		}
		if (got < 0)
			return got;
	}
}

/* One copy job of @mib MiB in the vGPU's memory. */
struct copy_job {
	struct guest_ctx c;
	struct cs cs;
	uint32_t *src, *dst;
	uint64_t bytes;
};

static int copy_setup(struct guest *g, struct copy_job *j, unsigned int mib)
{
	uint64_t src_ga = 0, dst_ga = 0, i;

	memset(j, 0, sizeof(*j));
	g->mem_used = g->hi_used = g->ap_used = 0;
	j->bytes = (uint64_t)mib << 20;
	if (guest_ctx_create(g, &j->c, 4 * GUEST_PAGE, 0x77))
		return -ENOMEM;
	j->src = guest_map(g, j->bytes, &src_ga);
	/*
	 * A gap, so that source and destination are not a power of two
	 * apart: they would alias in the caches of the machine running the
	 * VM and the copy would measure that (the native path's pages are
	 * scattered).
	 */
	g->mem_used += 17 * GUEST_PAGE;
	j->dst = guest_map(g, j->bytes, &dst_ga);
	if (!j->src || !j->dst)
		return -ENOMEM;
	for (i = 0; i < j->bytes / 4; i++)
		j->src[i] = i * 2654435761u;
	cs_fast_copy(&j->cs, MVGPU_FAST_COPY_DEPTH_32, ROW, 0, 0, ROW / 4,
		     j->bytes / ROW, dst_ga, 0, 0, ROW, src_ga);
	return 0;
}

/* Time of one copy through the vGPU; the result is checked. */
static int64_t copy_run(struct guest *g, struct copy_job *j, int efd)
{
	int64_t t;

	memset(j->dst, 0, j->bytes);
	guest_emit(&j->c, j->cs.dw, j->cs.n);
	t = run_once(g, &j->c, efd);
	if (t >= 0 && memcmp(j->src, j->dst, j->bytes))
		return -EBADMSG;
	return t;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Mean time of an empty submission through the vGPU. */
static int64_t vgpu_empty(struct guest *g, int efd, unsigned int runs,
			  int64_t *best)
{
	struct guest_ctx c;
	int64_t sum = 0, t;
	unsigned int i;

	if (guest_ctx_create(g, &c, GUEST_PAGE, 0x78))
		return -ENOMEM;
	*best = INT64_MAX;
	for (i = 0; i < runs; i++) {
		GUEST_EMIT(&c, MVGPU_MI_NOOP, MVGPU_MI_NOOP);
		t = run_once(g, &c, efd);
		if (t < 0)
			return t;
		sum += t;
		if (t < *best)
			*best = t;
	}
	return sum / runs;
}

/* A field "key=value" of the native benchmark's output. */
static long long field(const char *out, const char *key)
{
	const char *p = strstr(out, key);

	return p ? strtoll(p + strlen(key), NULL, 0) : -1;
}

int main(void)
{
	static const unsigned int mibs[] = { 1, 4, 16 };
	struct nat n = { .fd = -1, .mem = -1 };
	struct guest g;
	char uuid[40], what[128];
	int64_t best, avg, nbest, navg;
	unsigned int i;
	int efd = -1;

	printf("TAP version 13\n1..%zu\n", sizeof(mibs) / sizeof(mibs[0]) + 1);
	make_uuid(uuid);
	if (vgpu_create("mvgpu-V1_4", uuid) || guest_open_mem(&g, uuid, MEM_BYTES) ||
	    guest_start(&g) || nat_open(&n) || guest_enable_msi(&g) ||
	    (efd = eventfd(0, EFD_NONBLOCK)) < 0 ||
	    mvgpu_vfio_irq_set_eventfd(g.v, VFIO_PCI_MSI_IRQ_INDEX, efd) ||
	    guest_ack_iir(&g, 0xffffffff)) {
		printf("Bail out! cannot set up a vGPU and the native path\n");
		return 1;
	}
	for (i = 0; i < sizeof(mibs) / sizeof(mibs[0]); i++) {
		int64_t vt[COPY_RUNS], nt[COPY_RUNS], pr[COPY_RUNS];
		struct copy_job j;
		bool ok = !copy_setup(&g, &j, mibs[i]);
		unsigned int r;

		/* Interleaved, so that drift in the VM hits both alike. */
		for (r = 0; ok && r < COPY_RUNS; r++) {
			vt[r] = copy_run(&g, &j, efd);
			nat_cmd(&n, "bench copy %u 1", mibs[i]);
			nt[r] = field(n.out, "engine_ns=");
			ok = vt[r] > 0 && nt[r] > 0 &&
			     field(n.out, "verified=") == 1;
		}
		snprintf(what, sizeof(what), "copy %u MiB through a vGPU and natively", mibs[i]);
		tap(ok, what);
		if (!ok)
			continue;
		/* each run's ratio to its neighbour, in parts per thousand */
		for (r = 0; r < COPY_RUNS; r++)
			pr[r] = nt[r] * 1000 / vt[r];
		qsort(vt, COPY_RUNS, sizeof(vt[0]), cmp64);
		qsort(nt, COPY_RUNS, sizeof(nt[0]), cmp64);
		qsort(pr, COPY_RUNS, sizeof(pr[0]), cmp64);
		printf("# copy %2u MiB: vgpu %7.3f ms  native %7.3f ms (medians of %d)  vgpu/native throughput ratio %.2f median of pairs, %.2f of medians, %.2f best\n",
		       mibs[i], vt[COPY_RUNS / 2] / 1e6, nt[COPY_RUNS / 2] / 1e6,
		       COPY_RUNS, pr[COPY_RUNS / 2] / 1e3,
		       (double)nt[COPY_RUNS / 2] / vt[COPY_RUNS / 2],
		       (double)nt[0] / vt[0]);
	}
	avg = vgpu_empty(&g, efd, EMPTY_RUNS, &best);
	nat_cmd(&n, "bench empty %u", EMPTY_RUNS);
	navg = field(n.out, "avg_ns=");
	nbest = field(n.out, "best_ns=");
	tap(avg > 0 && navg > 0, "empty submission through a vGPU and natively");
	if (avg > 0 && navg > 0)
		printf("# empty submission: vgpu %.1f us (best %.1f)  native %.1f us (best %.1f)  vgpu/native submission rate ratio %.2f\n",
		       avg / 1e3, best / 1e3, navg / 1e3, nbest / 1e3,
		       (double)navg / avg);
	mvgpu_vfio_irq_set_eventfd(g.v, VFIO_PCI_MSI_IRQ_INDEX, -1);
	close(efd);
	nat_cmd(&n, "clear");
	nat_close(&n);
	guest_close(&g);
	vgpu_remove(uuid);
	return failed ? 1 : 0;
}
