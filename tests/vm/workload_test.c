// SPDX-License-Identifier: GPL-2.0-only
/*
 * vGPU workloads, driven as a guest driver drives them through VFIO:
 * contexts and rings in the vGPU's own graphics memory, ELSP submission,
 * completion in the context status buffer, the context image and the
 * interrupt registers; blits, stores, blends and batches checked byte for
 * byte; both engines and several vGPUs at once; workloads the command
 * scanner refuses; user interrupts, engine reset and MSI delivery.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "native_util.h"

#define RCS	MVGPU_ENGINE_RCS
#define BCS	MVGPU_ENGINE_BCS
#define RING	(4 * GUEST_PAGE)

FIXTURE(vgpu) {
	struct guest g;
};

FIXTURE_SETUP(vgpu)
{
	int ret;

	ASSERT_EQ(0, guest_create(&self->g, "mvgpu-V1_8"));
	ret = guest_start(&self->g);
	if (ret)
		guest_destroy(&self->g);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(vgpu)
{
	EXPECT_EQ(0, guest_destroy(&self->g));
}

TEST_F(vgpu, fill_on_bcs_colours_every_pixel_and_nothing_else)
{
	guest_fill_ok(_metadata, &self->g, 1, 0xff3366cc);
}

TEST_F(vgpu, copy_on_bcs_matches_source_byte_for_byte)
{
	uint32_t want[80 * 80], x, y;
	struct cs cs = { .n = 0 };
	struct guest_surf src, dst;
	struct guest_ctx c;

	ASSERT_EQ(0, guest_surf_new(&self->g, &src, 70, 70, 0, 1000));
	ASSERT_EQ(0, guest_surf_new(&self->g, &dst, 80, 80, 1, 2000));
	memcpy(want, dst.p, sizeof(want));
	for (y = 0; y < 64; y++)
		for (x = 0; x < 64; x++)
			want[(8 + y) * 80 + 8 + x] = src.p[(2 + y) * 70 + 3 + x];
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, RING, 2));
	cs_copy(&cs, MVGPU_BR13_DEPTH_32, dst.pitch, 8, 8, 72, 72, dst.ga, 3, 2,
		src.pitch, src.ga);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, &self->g, BCS, &c);
	EXPECT_EQ(-1, guest_surf_diff(&dst, want));
	for (y = 0; y < 70 * 70; y++)
		ASSERT_EQ(guest_pattern(1000 + y), src.p[y]);
}

TEST_F(vgpu, copy_from_first_level_batch_matches_source)
{
	uint32_t want[80 * 80], x, y, *batch, *mark, saved[64];
	struct cs cs = { .n = 0 }, bb = { .n = 0 };
	uint64_t bb_ga = 0, mark_ga = 0;
	struct guest_surf src, dst;
	struct guest_ctx c;

	ASSERT_EQ(0, guest_surf_new(&self->g, &src, 64, 64, 1, 3000));
	ASSERT_EQ(0, guest_surf_new(&self->g, &dst, 80, 80, 0, 4000));
	memcpy(want, dst.p, sizeof(want));
	for (y = 0; y < 64; y++)
		for (x = 0; x < 64; x++)
			want[(8 + y) * 80 + 8 + x] = src.p[y * 64 + x];
	batch = guest_map(&self->g, GUEST_PAGE, &bb_ga);
	mark = guest_map(&self->g, GUEST_PAGE, &mark_ga);
	ASSERT_TRUE(batch && mark);
	cs_copy(&bb, MVGPU_BR13_DEPTH_32, dst.pitch, 8, 8, 72, 72, dst.ga, 0, 0,
		src.pitch, src.ga);
	CS(&bb, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(batch, bb.dw, 4 * bb.n);
	memcpy(saved, batch, sizeof(saved));
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, RING, 3));
	cs_bbs(&cs, bb_ga);
	cs_sdi(&cs, mark_ga, 0x600df00d);	/* runs after the batch returns */
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, &self->g, BCS, &c);
	EXPECT_EQ(-1, guest_surf_diff(&dst, want));
	EXPECT_EQ(0x600df00d, mark[0]);
	/* The guest's batch is what it wrote: only shadows are patched. */
	EXPECT_EQ(0, memcmp(saved, batch, sizeof(saved)));
	EXPECT_EQ(0, c.img[MVGPU_CTX_BB_STATE]);
}

TEST_F(vgpu, store_data_imm_on_rcs_writes_its_dword_and_qword)
{
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint32_t *dst;
	uint64_t ga = 0;
	int i;

	dst = guest_map_ap(&self->g, GUEST_PAGE, &ga);
	ASSERT_TRUE(dst != NULL);
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, RING, 4));
	cs_sdi(&cs, ga + 4, 0xdeadbeef);
	CS(&cs, MVGPU_MI_STORE_DATA_IMM_QW | MVGPU_MI_USE_GGTT, LO(ga + 16),
	   HI(ga + 16), 0x01234567, 0x89abcdef);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, &self->g, RCS, &c);
	EXPECT_EQ(0xdeadbeef, dst[1]);
	EXPECT_EQ(0x01234567, dst[4]);
	EXPECT_EQ(0x89abcdef, dst[5]);
	for (i = 0; i < 1024; i++)
		if (i != 1 && i != 4 && i != 5)
			ASSERT_EQ(0, dst[i]) TH_LOG("dword %d", i);
}

TEST_F(vgpu, pipe_control_post_sync_writes_its_value)
{
	const uint32_t flags = MVGPU_PIPE_CONTROL_WRITE_IMM |
			       MVGPU_PIPE_CONTROL_GLOBAL_GTT |
			       MVGPU_PIPE_CONTROL_CS_STALL;
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint32_t *dst;
	uint64_t ga = 0;

	dst = guest_map(&self->g, GUEST_PAGE, &ga);
	ASSERT_TRUE(dst != NULL);
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, RING, 5));
	CS(&cs, MVGPU_PIPE_CONTROL_DW, flags, LO(ga + 0x40), HI(ga + 0x40),
	   0xc0ffee01);
	CS(&cs, MVGPU_PIPE_CONTROL, flags, LO(ga + 0x80), HI(ga + 0x80),
	   0x11112222, 0x33334444);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, &self->g, RCS, &c);
	EXPECT_EQ(0xc0ffee01, dst[0x10]);
	EXPECT_EQ(0, dst[0x11]);
	EXPECT_EQ(0x11112222, dst[0x20]);
	EXPECT_EQ(0x33334444, dst[0x21]);
	EXPECT_EQ(0, dst[0x22]);
}

TEST_F(vgpu, blend_set_alpha_on_rcs_transforms_every_pixel)
{
	const uint32_t w = 30, h = 16, alpha = 0x80;
	uint32_t want[40 * 16], x, y;
	struct cs cs = { .n = 0 };
	struct guest_surf src, dst;
	struct guest_ctx c;

	ASSERT_EQ(0, guest_surf_new(&self->g, &src, 32, h, 0, 5000));
	ASSERT_EQ(0, guest_surf_new(&self->g, &dst, 40, h, 1, 6000));
	memcpy(want, dst.p, sizeof(want));
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			want[y * 40 + x] = (src.p[y * 32 + x] & 0xffffff) |
					   alpha << 24;
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, RING, 6));
	cs_blend(&cs, MVGPU_BLEND_OP_SET_ALPHA, alpha, w, h, dst.pitch, dst.ga,
		 src.pitch, src.ga);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, &self->g, RCS, &c);
	EXPECT_EQ(-1, guest_surf_diff(&dst, want));
}

TEST_F(vgpu, rcs_and_bcs_run_at_once_and_both_complete)
{
	const uint32_t both = MVGPU_GT_CONTEXT_SWITCH_INTERRUPT << MVGPU_RCS_IRQ_SHIFT |
			      MVGPU_GT_CONTEXT_SWITCH_INTERRUPT << MVGPU_BCS_IRQ_SHIFT;
	struct cs rcs = { .n = 0 }, bcs = { .n = 0 };
	struct guest_ev rev[GUEST_MAX_EV], bev[GUEST_MAX_EV];
	uint32_t want_b[256 * 64], want_r[256 * 64], i;
	struct guest_surf fill, src, dst;
	struct guest_ctx rc, bc;
	int rn, bn;

	ASSERT_EQ(0, guest_surf_new(&self->g, &fill, 256, 64, 1, 7000));
	ASSERT_EQ(0, guest_surf_new(&self->g, &src, 256, 64, 0, 8000));
	ASSERT_EQ(0, guest_surf_new(&self->g, &dst, 256, 64, 0, 9000));
	for (i = 0; i < 256 * 64; i++) {
		want_b[i] = 0x80112233;
		want_r[i] = (src.p[i] & 0xffffff) | 0xffU << 24;
	}
	ASSERT_EQ(0, guest_ctx_create(&self->g, &rc, RING, 7));
	ASSERT_EQ(0, guest_ctx_create(&self->g, &bc, RING, 8));
	for (i = 0; i < 8; i++) {
		cs_fill(&bcs, MVGPU_BR13_DEPTH_32, fill.pitch, 0, 8 * i, 256,
			8 * i + 8, fill.ga, 0x80112233);
		cs_blend(&rcs, MVGPU_BLEND_OP_SET_ALPHA, 0xff, 256, 8,
			 dst.pitch, dst.ga + 8 * i * dst.pitch, src.pitch,
			 src.ga + 8 * i * src.pitch);
	}
	guest_emit_cs(&rc, &rcs);
	guest_emit_cs(&bc, &bcs);
	ASSERT_EQ(0, guest_submit(&self->g, RCS, &rc, NULL));
	ASSERT_EQ(0, guest_submit(&self->g, BCS, &bc, NULL));
	bn = guest_wait_csb(&self->g, BCS, bev, GUEST_MAX_EV, GUEST_TIMEOUT_MS);
	rn = guest_wait_csb(&self->g, RCS, rev, GUEST_MAX_EV, GUEST_TIMEOUT_MS);
	EXPECT_EQ(both, guest_iir(&self->g) & both);
	guest_expect_done(_metadata, &self->g, BCS, &bc, bev, bn);
	guest_expect_done(_metadata, &self->g, RCS, &rc, rev, rn);
	EXPECT_EQ(-1, guest_surf_diff(&fill, want_b));
	EXPECT_EQ(-1, guest_surf_diff(&dst, want_r));
}

TEST_F(vgpu, two_elements_complete_in_order_with_element_switch)
{
	struct cs ca = { .n = 0 }, cb = { .n = 0 };
	struct guest_ev ev[GUEST_MAX_EV], end[GUEST_MAX_EV];
	uint32_t want_a[64 * 64], want_b[64 * 64], i;
	struct guest_ctx a, b;
	struct guest_surf sa, sb;
	int n, k = 0;

	ASSERT_EQ(0, guest_surf_new(&self->g, &sa, 64, 64, 1, 10000));
	ASSERT_EQ(0, guest_surf_new(&self->g, &sb, 64, 64, 0, 11000));
	for (i = 0; i < 64 * 64; i++) {
		want_a[i] = 0xaaaa5555;
		want_b[i] = 0x5555aaaa;
	}
	ASSERT_EQ(0, guest_ctx_create(&self->g, &a, RING, 0x100));
	ASSERT_EQ(0, guest_ctx_create(&self->g, &b, RING, 0x200));
	cs_fill(&ca, MVGPU_BR13_DEPTH_32, sa.pitch, 0, 0, 64, 64, sa.ga, 0xaaaa5555);
	cs_fill(&cb, MVGPU_BR13_DEPTH_32, sb.pitch, 0, 0, 64, 64, sb.ga, 0x5555aaaa);
	guest_emit_cs(&a, &ca);
	guest_emit_cs(&b, &cb);
	n = guest_run(&self->g, BCS, &a, &b, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n) TH_LOG("wait: %d", n);
	for (i = 0; i < (uint32_t)n; i++)
		if (ev[i].status != MVGPU_CSB_IDLE_TO_ACTIVE)
			end[k++] = ev[i];
	ASSERT_EQ(2, k);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ELEMENT_SWITCH,
		  end[0].status & GUEST_CSB_END) TH_LOG("0x%x", end[0].status);
	EXPECT_EQ(a.id, end[0].ctx_id);
	EXPECT_EQ(GUEST_CSB_DONE, end[1].status & GUEST_CSB_END)
		TH_LOG("0x%x", end[1].status);
	EXPECT_EQ(b.id, end[1].ctx_id);
	EXPECT_EQ(a.tail, a.img[MVGPU_CTX_RING_HEAD]);
	EXPECT_EQ(b.tail, b.img[MVGPU_CTX_RING_HEAD]);
	EXPECT_EQ(-1, guest_surf_diff(&sa, want_a));
	EXPECT_EQ(-1, guest_surf_diff(&sb, want_b));
}

TEST_F(vgpu, resubmitted_context_runs_only_its_new_commands)
{
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint32_t *dst;
	uint64_t ga = 0;

	dst = guest_map(&self->g, GUEST_PAGE, &ga);
	ASSERT_TRUE(dst != NULL);
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, RING, 9));
	cs_sdi(&cs, ga, 1);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, &self->g, BCS, &c);
	ASSERT_EQ(1, dst[0]);
	dst[0] = 0;	/* a rerun of the first store would show */
	cs.n = 0;
	cs_sdi(&cs, ga + 4, 2);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, &self->g, BCS, &c);
	EXPECT_EQ(0, dst[0]);
	EXPECT_EQ(2, dst[1]);
}

TEST_F(vgpu, commands_wrapping_around_the_ring_end_run)
{
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint32_t *dst;
	uint64_t ga = 0;
	int i;

	dst = guest_map(&self->g, GUEST_PAGE, &ga);
	ASSERT_TRUE(dst != NULL);
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, GUEST_PAGE, 10));
	for (i = 0; i < 1022; i++)
		CS(&cs, MVGPU_MI_NOOP);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, &self->g, RCS, &c);
	ASSERT_EQ(4088, c.tail);
	cs.n = 0;
	cs_sdi(&cs, ga + 12, 0x77777777);	/* two dwords each side */
	guest_emit_cs(&c, &cs);
	ASSERT_EQ(8, c.tail);
	guest_run_ok(_metadata, &self->g, RCS, &c);
	EXPECT_EQ(0x77777777, dst[3]);
}

/* Fills of one colour by one vGPU, for the several-vGPU test. */
struct vgpu_job {
	struct guest g;
	uint32_t colour;
	int ret;
	char why[160];
};

static void *fill_job(void *arg)
{
	struct vgpu_job *j = arg;
	struct guest *g = &j->g;
	struct guest_ev ev[GUEST_MAX_EV];
	struct guest_ctx c;
	struct guest_surf s;
	uint32_t i, r;
	int n;

	j->ret = -1;
	if (guest_surf_new(g, &s, 128, 128, 1, j->colour) ||
	    guest_ctx_create(g, &c, RING, j->colour & 0xffff)) {
		snprintf(j->why, sizeof(j->why), "out of guest memory");
		return NULL;
	}
	for (r = 0; r < 8; r++) {
		struct cs cs = { .n = 0 };

		cs_fill(&cs, MVGPU_BR13_DEPTH_32, s.pitch, 0, 16 * r, 128,
			16 * r + 16, s.ga, j->colour);
		guest_emit_cs(&c, &cs);
		n = guest_run(g, BCS, &c, NULL, ev, GUEST_MAX_EV);
		if (n <= 0 || (ev[n - 1].status & GUEST_CSB_END) != GUEST_CSB_DONE ||
		    ev[n - 1].ctx_id != c.id ||
		    c.img[MVGPU_CTX_RING_HEAD] != c.tail) {
			snprintf(j->why, sizeof(j->why),
				 "round %u: wait %d, status 0x%x, head 0x%x tail 0x%x",
				 r, n, n > 0 ? ev[n - 1].status : 0,
				 c.img[MVGPU_CTX_RING_HEAD], c.tail);
			return NULL;
		}
	}
	__sync_synchronize();
	for (i = 0; i < 128 * 128; i++) {
		if (s.p[i] != j->colour) {
			snprintf(j->why, sizeof(j->why), "pixel %u is 0x%x",
				 i, s.p[i]);
			return NULL;
		}
	}
	j->ret = 0;
	return NULL;
}

FIXTURE(vgpus) {
	struct vgpu_job job[3];
	int made;
};

FIXTURE_SETUP(vgpus)
{
	int i, ret = 0;

	for (i = 0; i < 3 && !ret; i++) {
		self->job[i].colour = 0xff000000U | (0x40U << (8 * i)) | (i + 1);
		ret = guest_create(&self->job[i].g, "mvgpu-V1_8");
		if (ret)
			break;
		self->made++;
		ret = guest_start(&self->job[i].g);
	}
	if (ret)
		while (self->made)
			guest_destroy(&self->job[--self->made].g);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(vgpus)
{
	int i;

	for (i = 0; i < self->made; i++)
		EXPECT_EQ(0, guest_destroy(&self->job[i].g));
}

TEST_F_TIMEOUT(vgpus, three_vgpus_fill_their_own_surfaces_at_once, 120)
{
	pthread_t t[3];
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, fill_job, &self->job[i]));
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 3; i++) {
		if (self->job[i].ret)
			TH_LOG("vGPU %d: %s", i, self->job[i].why);
		EXPECT_EQ(0, self->job[i].ret);
	}
}

/*
 * A workload with a good store at ring offset 0, the @n dwords of @bad at
 * offset 16 and (unless @bad_is_last) another good store after it: the
 * scanner refuses it, so neither store happens; the end is an ERROR event
 * and the capture describes the bad command.  Afterwards the error is
 * released and the vGPU still runs work on both engines.
 */
static void expect_rejected(struct __test_metadata *_metadata,
			    struct guest *g, unsigned int engine,
			    const uint32_t *bad, int n, int bad_is_last)
{
	const uint32_t err_bit = MVGPU_GT_CS_ERROR_INTERRUPT << guest_irq_shift(engine);
	long rejected = vgpu_attr(g->uuid, "rejected");
	long completed = vgpu_attr(g->uuid, "completed");
	struct guest_ev ev[GUEST_MAX_EV];
	struct cs cs = { .n = 0 };
	const struct guest_ev *end;
	struct guest_err e;
	struct guest_ctx c;
	uint32_t *mark;
	uint64_t mark_ga = 0;
	int i, k;

	mark = guest_map(g, GUEST_PAGE, &mark_ga);
	ASSERT_TRUE(mark != NULL);
	ASSERT_EQ(0, guest_ctx_create(g, &c, RING, 0x4242));
	cs_sdi(&cs, mark_ga, 0x11111111);
	for (i = 0; i < n; i++)
		CS(&cs, bad[i]);
	if (!bad_is_last)
		cs_sdi(&cs, mark_ga + 4, 0x22222222);
	guest_emit_cs(&c, &cs);
	k = guest_run(g, engine, &c, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, k) TH_LOG("wait: %d", k);
	end = guest_end_ev(ev, k);
	ASSERT_TRUE(end != NULL);
	EXPECT_TRUE(end->status & MVGPU_CSB_ERROR) TH_LOG("status 0x%x", end->status);
	EXPECT_TRUE(end->status & MVGPU_CSB_ACTIVE_TO_IDLE);
	EXPECT_FALSE(end->status & MVGPU_CSB_COMPLETE);
	EXPECT_EQ(c.id, end->ctx_id);

	guest_read_err(g, engine, &e);
	EXPECT_TRUE(e.status & MVGPU_ERR_STATUS_VALID) TH_LOG("0x%x", e.status);
	EXPECT_NE(0, e.status & MVGPU_ERR_STATUS_CODE_MASK);
	EXPECT_EQ(MVGPU_SPACE_RING, (e.status & MVGPU_ERR_STATUS_SPACE_MASK) >>
		  MVGPU_ERR_STATUS_SPACE_SHIFT);
	EXPECT_EQ(c.id, e.ctx_id);
	EXPECT_EQ(16, e.cmd_addr);
	EXPECT_EQ(bad[0], e.header);
	EXPECT_EQ(e.status & MVGPU_ERR_STATUS_CODE_MASK, c.img[MVGPU_CTX_ERROR]);
	EXPECT_NE(c.tail, c.img[MVGPU_CTX_RING_HEAD]);
	EXPECT_EQ(err_bit, guest_iir(g) & err_bit);

	/* Nothing of the workload ran. */
	for (i = 0; i < 1024; i++)
		ASSERT_EQ(0, mark[i]) TH_LOG("dword %d", i);
	ASSERT_LE(0, rejected);
	ASSERT_LE(0, completed);
	EXPECT_EQ(rejected + 1, vgpu_attr(g->uuid, "rejected"));
	EXPECT_EQ(completed, vgpu_attr(g->uuid, "completed"));

	EXPECT_EQ(0, guest_clear_err(g, engine));
	EXPECT_EQ(0, guest_eng_rd(g, engine, MVGPU_RING_ERR_STATUS) &
		  MVGPU_ERR_STATUS_VALID);
	EXPECT_EQ(0, guest_ack_iir(g, 0xffffffff));
	guest_store_ok(_metadata, g, engine, 0x4343, 0x5a5a5a5a);
	guest_fill_ok(_metadata, g, 0x4444, 0xff00ff00);
}

TEST_F(vgpu, unknown_opcode_is_rejected_before_any_engine)
{
	/* MI client, opcode 0x3f: not a command of mvgpu_cmd.h */
	const uint32_t bad[] = { MVGPU_MI_INSTR(0x3f, 0) };

	expect_rejected(_metadata, &self->g, BCS, bad, 1, 0);
}

TEST_F(vgpu, store_outside_own_graphics_memory_is_rejected)
{
	uint64_t ga = guest_foreign_ga(&self->g);
	const uint32_t bad[] = {
		MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(ga), HI(ga),
		0xbadbad,
	};

	expect_rejected(_metadata, &self->g, BCS, bad, 4, 0);
}

TEST_F(vgpu, fill_running_past_end_of_own_range_is_rejected)
{
	/* Starts in the aperture range's last page, ends 64 bytes beyond. */
	uint64_t ga = self->g.ap_base + self->g.ap_size - GUEST_PAGE;
	const uint32_t bad[] = {
		MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
		MVGPU_XY_BLT_WRITE_RGB,
		MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_PATCOPY | 4096,
		MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(16, 2), LO(ga), HI(ga),
		0xbadbad,
	};

	expect_rejected(_metadata, &self->g, BCS, bad, 7, 0);
}

TEST_F(vgpu, register_write_off_the_allow_list_is_rejected)
{
	const uint32_t bad[] = {
		MVGPU_MI_LOAD_REGISTER_IMM(1), MVGPU_GDRST, MVGPU_GDRST_RENDER,
	};

	expect_rejected(_metadata, &self->g, RCS, bad, 3, 0);
}

TEST_F(vgpu, batch_outside_own_graphics_memory_is_rejected)
{
	uint64_t ga = guest_foreign_ga(&self->g);
	const uint32_t bad[] = { MVGPU_MI_BATCH_BUFFER_START, LO(ga), HI(ga) };

	expect_rejected(_metadata, &self->g, BCS, bad, 3, 0);
}

TEST_F(vgpu, command_running_past_the_tail_is_rejected)
{
	/* An XY_COLOR_BLT of 7 dwords with only 3 before the tail. */
	const uint32_t bad[] = {
		MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
		MVGPU_XY_BLT_WRITE_RGB,
		MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_PATCOPY | 256,
		MVGPU_BLT_XY(0, 0),
	};

	expect_rejected(_metadata, &self->g, BCS, bad, 3, 1);
}

/*
 * A guest submits a good first-level batch, submits it again unchanged
 * (compared with the bytes the scanner accepted, not scanned again:
 * batches_known), then rewrites it in place, with the same length, into
 * a register write off the allow-list and submits it again: the change
 * is seen, the workload rejected, nothing of it runs.
 */
TEST_F(vgpu, batch_rewritten_between_submissions_is_checked_again)
{
	const uint32_t err_bit = MVGPU_GT_CS_ERROR_INTERRUPT << guest_irq_shift(RCS);
	struct cs cs = { .n = 0 }, good = { .n = 0 }, bad = { .n = 0 };
	long known, rejected, completed;
	uint64_t bb_ga = 0, mark_ga = 0;
	struct guest_ev ev[GUEST_MAX_EV];
	const struct guest_ev *end;
	uint32_t *batch, *mark;
	struct guest_err e;
	struct guest_ctx c;
	int i, k;

	batch = guest_map(&self->g, GUEST_PAGE, &bb_ga);
	mark = guest_map(&self->g, GUEST_PAGE, &mark_ga);
	ASSERT_TRUE(batch && mark);
	cs_sdi(&good, mark_ga, 0x1111);
	CS(&good, MVGPU_MI_BATCH_BUFFER_END);
	CS(&bad, MVGPU_MI_LOAD_REGISTER_IMM(1), MVGPU_GDRST, MVGPU_GDRST_RENDER,
	   MVGPU_MI_NOOP, MVGPU_MI_BATCH_BUFFER_END);
	ASSERT_EQ(good.n, bad.n);
	memcpy(batch, good.dw, 4 * good.n);
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, RING, 0x4545));
	cs_bbs(&cs, bb_ga);

	known = vgpu_attr(self->g.uuid, "batches_known");
	for (i = 0; i < 2; i++) {
		mark[0] = 0;
		__sync_synchronize();
		guest_emit_cs(&c, &cs);
		guest_run_ok(_metadata, &self->g, RCS, &c);
		EXPECT_EQ(0x1111, mark[0]) TH_LOG("submission %d", i);
		EXPECT_EQ(known + i, vgpu_attr(self->g.uuid, "batches_known"))
			TH_LOG("submission %d", i);
	}

	mark[0] = 0;
	memcpy(batch, bad.dw, 4 * bad.n);
	__sync_synchronize();
	rejected = vgpu_attr(self->g.uuid, "rejected");
	completed = vgpu_attr(self->g.uuid, "completed");
	guest_emit_cs(&c, &cs);
	k = guest_run(&self->g, RCS, &c, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, k) TH_LOG("wait: %d", k);
	end = guest_end_ev(ev, k);
	ASSERT_TRUE(end != NULL);
	EXPECT_TRUE(end->status & MVGPU_CSB_ERROR) TH_LOG("status 0x%x", end->status);
	EXPECT_FALSE(end->status & MVGPU_CSB_COMPLETE);
	guest_read_err(&self->g, RCS, &e);
	EXPECT_EQ(MVGPU_ERR_REG_ACCESS, GUEST_ERR_CODE(e.status))
		TH_LOG("ERR_STATUS 0x%x", e.status);
	EXPECT_EQ(MVGPU_SPACE_GGTT, (e.status & MVGPU_ERR_STATUS_SPACE_MASK) >>
		  MVGPU_ERR_STATUS_SPACE_SHIFT);
	EXPECT_EQ(bb_ga, e.cmd_addr);
	EXPECT_EQ(bad.dw[0], e.header);
	EXPECT_EQ(rejected + 1, vgpu_attr(self->g.uuid, "rejected"));
	EXPECT_EQ(completed, vgpu_attr(self->g.uuid, "completed"));
	EXPECT_EQ(known + 1, vgpu_attr(self->g.uuid, "batches_known"));
	EXPECT_EQ(0, mark[0]);
	EXPECT_EQ(err_bit, guest_iir(&self->g) & err_bit);
	EXPECT_EQ(0, guest_clear_err(&self->g, RCS));
	EXPECT_EQ(0, guest_ack_iir(&self->g, 0xffffffff));
	guest_store_ok(_metadata, &self->g, RCS, 0x4646, 0x5d5d5d5d);
}

/* 16 rejected workloads on BCS in context @c: the vGPU enters failsafe. */
static void enter_failsafe(struct __test_metadata *_metadata, struct guest *g,
			   struct guest_ctx *c)
{
	struct guest_ev ev[GUEST_MAX_EV];
	int i, k;

	for (i = 0; i < 16; i++) {
		EXPECT_EQ(0, vgpu_attr(g->uuid, "failsafe")) TH_LOG("after %d", i);
		EXPECT_EQ(0, guest_rd(g, MVGPU_PVINFO_OFFSET +
				      MVGPU_PVINFO_FAILSAFE_REG));
		GUEST_EMIT(c, 0x1f800000);
		k = guest_run(g, BCS, c, NULL, ev, GUEST_MAX_EV);
		ASSERT_LT(0, k);
		EXPECT_TRUE(guest_end_ev(ev, k)->status & MVGPU_CSB_ERROR);
		/* the guest moves past the bad command, as a driver would */
		c->img[MVGPU_CTX_RING_HEAD] = c->tail;
	}
	EXPECT_EQ(1, vgpu_attr(g->uuid, "failsafe"));
	EXPECT_EQ(1, guest_rd(g, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_FAILSAFE_REG));
}

TEST_F(vgpu, repeated_bad_work_puts_the_vgpu_in_failsafe_until_reset)
{
	struct guest *g = &self->g;
	struct guest_ev ev[GUEST_MAX_EV];
	struct guest_ctx c;
	uint32_t *dst;
	uint64_t ga = 0;
	struct cs cs;
	long rejected;

	ASSERT_EQ(0, guest_ctx_create(g, &c, RING, 0x5151));
	enter_failsafe(_metadata, g, &c);

	/* Good work is ignored now: no event, no store. */
	dst = guest_map(g, GUEST_PAGE, &ga);
	ASSERT_TRUE(dst != NULL);
	rejected = vgpu_attr(g->uuid, "rejected");
	cs.n = 0;
	cs_sdi(&cs, ga, 0x600d);
	guest_emit_cs(&c, &cs);
	ASSERT_EQ(0, guest_submit(g, BCS, &c, NULL));
	EXPECT_EQ(-ETIMEDOUT, guest_wait_csb(g, BCS, ev, GUEST_MAX_EV, 300));
	EXPECT_EQ(0, dst[0]);
	EXPECT_EQ(rejected + 1, vgpu_attr(g->uuid, "rejected"));
	EXPECT_EQ(1, guest_rd(g, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_FAILSAFE_REG));

	/* A device reset ends it; the guest sets its vGPU up again. */
	ASSERT_EQ(0, mvgpu_vfio_reset(g->v));
	EXPECT_EQ(0, vgpu_attr(g->uuid, "failsafe"));
	EXPECT_EQ(0, guest_rd(g, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_FAILSAFE_REG));
	g->ap_used = g->hi_used = 0;	/* GGTT is empty; fresh pages */
	ASSERT_EQ(0, guest_start(g));
	guest_store_ok(_metadata, g, BCS, 0x5252, 0x5a5a5a5a);
}

/* What a guest driver can do itself: GDRST bit 0, the GGTT kept. */
TEST_F(vgpu, gdrst_full_reset_ends_failsafe_mode)
{
	struct guest *g = &self->g;
	struct guest_ctx c;
	uint64_t end;

	ASSERT_EQ(0, guest_ctx_create(g, &c, RING, 0x5353));
	enter_failsafe(_metadata, g, &c);

	ASSERT_EQ(0, guest_wr(g, MVGPU_GDRST, MVGPU_GDRST_FULL));
	end = guest_now_ms() + GUEST_TIMEOUT_MS;
	while ((guest_rd(g, MVGPU_GDRST) & MVGPU_GDRST_FULL) &&
	       guest_now_ms() < end)
		usleep(1000);
	EXPECT_EQ(0, guest_rd(g, MVGPU_GDRST) & MVGPU_GDRST_FULL);
	EXPECT_EQ(0, vgpu_attr(g->uuid, "failsafe"));
	EXPECT_EQ(0, guest_rd(g, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_FAILSAFE_REG));
	ASSERT_EQ(0, guest_start(g));
	guest_store_ok(_metadata, g, BCS, 0x5454, 0x5b5b5b5b);
	guest_store_ok(_metadata, g, RCS, 0x5455, 0x5c5c5c5c);
}

TEST_F(vgpu, user_interrupt_raises_its_engines_iir_bit)
{
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		uint32_t bit = MVGPU_GT_USER_INTERRUPT << guest_irq_shift(e);
		uint32_t other = MVGPU_GT_USER_INTERRUPT << guest_irq_shift(!e);
		struct cs cs = { .n = 0 };
		struct guest_ctx c;
		uint32_t *dst, iir;
		uint64_t ga = 0;

		dst = guest_map(&self->g, GUEST_PAGE, &ga);
		ASSERT_TRUE(dst != NULL);
		ASSERT_EQ(0, guest_ack_iir(&self->g, 0xffffffff));
		ASSERT_EQ(0, guest_ctx_create(&self->g, &c, RING, 20 + e));
		CS(&cs, MVGPU_MI_USER_INTERRUPT);
		cs_sdi(&cs, ga, 0x1234);
		guest_emit_cs(&c, &cs);
		guest_run_ok(_metadata, &self->g, e, &c);
		iir = guest_wait_iir(&self->g, bit, 1000);
		EXPECT_EQ(bit, iir & bit) TH_LOG("engine %u: IIR 0x%x", e, iir);
		EXPECT_EQ(0, iir & other) TH_LOG("engine %u: IIR 0x%x", e, iir);
		EXPECT_EQ(0x1234, dst[0]);
		EXPECT_EQ(0, guest_ack_iir(&self->g, bit));
		EXPECT_EQ(0, guest_iir(&self->g) & bit);
	}
}

TEST_F(vgpu, render_reset_when_idle_leaves_rcs_usable)
{
	uint64_t end;
	uint32_t v;

	guest_store_ok(_metadata, &self->g, RCS, 30, 0xaaaa0001);
	guest_fill_ok(_metadata, &self->g, 31, 0xff123456);
	v = guest_eng_rd(&self->g, BCS, MVGPU_RING_CSB_PTR);
	ASSERT_NE(MVGPU_CSB_PTR_RESET, guest_eng_rd(&self->g, RCS,
						    MVGPU_RING_CSB_PTR));

	ASSERT_EQ(0, guest_wr(&self->g, MVGPU_GDRST, MVGPU_GDRST_RENDER));
	end = guest_now_ms() + GUEST_TIMEOUT_MS;
	while ((guest_rd(&self->g, MVGPU_GDRST) & MVGPU_GDRST_RENDER) &&
	       guest_now_ms() < end)
		usleep(1000);
	EXPECT_EQ(0, guest_rd(&self->g, MVGPU_GDRST) & MVGPU_GDRST_RENDER);
	EXPECT_EQ(MVGPU_CSB_PTR_RESET, guest_eng_rd(&self->g, RCS,
						    MVGPU_RING_CSB_PTR));
	EXPECT_EQ(0, guest_eng_rd(&self->g, RCS, MVGPU_RING_ERR_STATUS));
	EXPECT_EQ(v, guest_eng_rd(&self->g, BCS, MVGPU_RING_CSB_PTR));

	ASSERT_EQ(0, guest_enable_run_list(&self->g, RCS));
	ASSERT_EQ(0, guest_sync_csb(&self->g, RCS));
	EXPECT_EQ(5, self->g.csb_rp[RCS]);
	EXPECT_EQ(0, guest_ack_iir(&self->g, 0xffffffff));
	guest_store_ok(_metadata, &self->g, RCS, 32, 0xaaaa0002);
	guest_fill_ok(_metadata, &self->g, 33, 0xff654321);
}

static int eventfd_count(int efd, int timeout_ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n;

	if (poll(&p, 1, timeout_ms) != 1)
		return 0;
	return read(efd, &n, sizeof(n)) == sizeof(n) ? (int)n : 0;
}

TEST_F(vgpu, completion_fires_msi_eventfd)
{
	const uint32_t bit = MVGPU_GT_CONTEXT_SWITCH_INTERRUPT << MVGPU_BCS_IRQ_SHIFT;
	struct cs cs = { .n = 0 };
	struct guest_ev ev[GUEST_MAX_EV];
	struct guest_ctx c;
	int efd, round, n;
	uint32_t *dst;
	uint64_t ga = 0;

	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, guest_enable_msi(&self->g));
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(self->g.v, VFIO_PCI_MSI_IRQ_INDEX,
						efd));
	dst = guest_map(&self->g, GUEST_PAGE, &ga);
	ASSERT_TRUE(dst != NULL);
	ASSERT_EQ(0, guest_ctx_create(&self->g, &c, RING, 40));
	for (round = 0; round < 2; round++) {
		/* Nothing pending: the next event asserts the interrupt. */
		ASSERT_EQ(0, guest_ack_iir(&self->g, 0xffffffff));
		eventfd_count(efd, 0);
		cs.n = 0;
		cs_sdi(&cs, ga + 4 * round, 0x51 + round);
		guest_emit_cs(&c, &cs);
		n = guest_run(&self->g, BCS, &c, NULL, ev, GUEST_MAX_EV);
		ASSERT_LT(0, n) TH_LOG("round %d: wait %d", round, n);
		EXPECT_EQ(GUEST_CSB_DONE, ev[n - 1].status & GUEST_CSB_END);
		EXPECT_LE(1, eventfd_count(efd, 1000)) TH_LOG("round %d", round);
		EXPECT_TRUE(guest_rd(&self->g, MVGPU_MASTER_IRQ) &
			    MVGPU_MASTER_GT0_IRQ);
		EXPECT_EQ(bit, guest_iir(&self->g) & bit);
		EXPECT_EQ(0x51 + round, dst[round]);
	}
	EXPECT_EQ(0, guest_ack_iir(&self->g, 0xffffffff));
	EXPECT_FALSE(guest_rd(&self->g, MVGPU_MASTER_IRQ) & MVGPU_MASTER_GT0_IRQ);
	EXPECT_EQ(0, mvgpu_vfio_irq_set_eventfd(self->g.v, VFIO_PCI_MSI_IRQ_INDEX,
						-1));
	close(efd);
}

/* Drain @engine's CSB until ACTIVE_TO_IDLE; returns the entries or < 0. */
static int drain_until_idle(struct guest *g, unsigned int engine,
			    struct guest_ev *ev, int max)
{
	uint64_t end = guest_now_ms() + GUEST_TIMEOUT_MS;
	struct guest_ev e[MVGPU_CSB_ENTRIES];
	int n = 0, got, i;

	while (guest_now_ms() < end) {
		got = guest_csb_drain(g, engine, e);
		if (got < 0)
			return got;
		for (i = 0; i < got; i++) {
			if (n < max)
				ev[n++] = e[i];
			if (e[i].status & MVGPU_CSB_ACTIVE_TO_IDLE)
				return n;
		}
		usleep(1000);
	}
	return -ETIMEDOUT;
}

TEST_F(vgpu, status_page_gets_csb_entries_and_write_pointer)
{
	struct guest *g = &self->g;
	struct guest_ev ev[GUEST_MAX_EV];
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint32_t *dst, *page, wp, i;
	uint64_t ga = 0;
	int n;

	dst = guest_map(g, GUEST_PAGE, &ga);
	ASSERT_TRUE(dst != NULL);
	ASSERT_EQ(0, guest_hws_enable(g, BCS));
	EXPECT_EQ(g->hws_ga[BCS], guest_eng_rd(g, BCS, MVGPU_RING_HWS_PGA));
	EXPECT_EQ(0, guest_eng_rd(g, RCS, MVGPU_RING_HWS_PGA));
	ASSERT_EQ(0, guest_ctx_create(g, &c, RING, 0x51));
	cs_sdi(&cs, ga, 0x5ca1ab1e);
	guest_emit_cs(&c, &cs);
	ASSERT_EQ(0, guest_submit(g, BCS, &c, NULL));
	n = drain_until_idle(g, BCS, ev, GUEST_MAX_EV);
	ASSERT_EQ(2, n);
	EXPECT_EQ(MVGPU_CSB_IDLE_TO_ACTIVE, ev[0].status);
	EXPECT_EQ(0x51, ev[0].ctx_id);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE, ev[1].status);
	EXPECT_EQ(0x51, ev[1].ctx_id);
	EXPECT_EQ(0x5ca1ab1e, dst[0]);
	/* the page holds what the registers hold */
	wp = guest_eng_rd(g, BCS, MVGPU_RING_CSB_PTR) & MVGPU_CSB_WRITE_PTR_MASK;
	EXPECT_EQ(wp, guest_hws_rd(g, BCS, MVGPU_HWS_CSB_WRITE_PTR));
	for (i = 0; i < MVGPU_CSB_ENTRIES; i++) {
		EXPECT_EQ(guest_eng_rd(g, BCS, MVGPU_RING_CSB(i)),
			  guest_hws_rd(g, BCS, MVGPU_HWS_CSB(i)));
		EXPECT_EQ(guest_eng_rd(g, BCS, MVGPU_RING_CSB_CTX_ID(i)),
			  guest_hws_rd(g, BCS, MVGPU_HWS_CSB_CTX_ID(i)));
	}
	EXPECT_EQ(0, guest_hws_rd(g, BCS, 0x3c));
	EXPECT_EQ(0, guest_hws_rd(g, BCS, 0x90));
	/* the submit queue holds what the guest wrote there */
	EXPECT_EQ((uint32_t)guest_desc(&c),
		  guest_hws_rd(g, BCS, MVGPU_HWS_SQ(0)));
	EXPECT_EQ(0, guest_hws_rd(g, BCS, MVGPU_HWS_SQ(1)));
	/* an engine reset keeps the address */
	ASSERT_EQ(0, guest_wr(g, MVGPU_GDRST, MVGPU_GDRST_BLT));
	EXPECT_EQ(g->hws_ga[BCS], guest_eng_rd(g, BCS, MVGPU_RING_HWS_PGA));
	/* off: the page is left alone, the registers still work */
	page = g->hws[BCS];
	ASSERT_EQ(0, guest_hws_disable(g, BCS));
	ASSERT_EQ(0, guest_sync_csb(g, BCS));
	wp = page[MVGPU_HWS_CSB_WRITE_PTR / 4];
	guest_store_ok(_metadata, g, BCS, 0x52, 0x600d);
	EXPECT_EQ(wp, __atomic_load_n(&page[MVGPU_HWS_CSB_WRITE_PTR / 4],
				      __ATOMIC_ACQUIRE));
	/* a full reset clears it */
	ASSERT_EQ(0, guest_hws_enable(g, RCS));
	ASSERT_EQ(0, guest_wr(g, MVGPU_GDRST, MVGPU_GDRST_FULL));
	EXPECT_EQ(0, guest_eng_rd(g, RCS, MVGPU_RING_HWS_PGA));
}

/*
 * The submit queue needs a status page: a load without one is refused
 * and counted, runs nothing, and the ELSP still works; with one, a load
 * runs the pair in the page.
 */
TEST_F(vgpu, submit_queue_load_needs_a_status_page)
{
	struct guest *g = &self->g;
	long bad0 = vgpu_attr(g->uuid, "bad_mmio");
	long subs0 = vgpu_attr(g->uuid, "submissions");

	ASSERT_EQ(0, guest_eng_wr(g, BCS, MVGPU_RING_EXECLIST_CONTROL,
				  MVGPU_EXECLIST_CONTROL_LOAD));
	EXPECT_EQ(bad0 + 1, vgpu_attr(g->uuid, "bad_mmio"));
	EXPECT_EQ(subs0, vgpu_attr(g->uuid, "submissions"));
	guest_store_ok(_metadata, g, BCS, 0x61, 0xe15b);	/* the ELSP */
	ASSERT_EQ(0, guest_hws_enable(g, BCS));
	guest_store_ok(_metadata, g, BCS, 0x62, 0x5a11);	/* the queue */
	EXPECT_EQ(bad0 + 1, vgpu_attr(g->uuid, "bad_mmio"));
	EXPECT_EQ(subs0 + 2, vgpu_attr(g->uuid, "submissions"));
}

/* Events since CSB write pointer @wp0, from the register. */
static unsigned int csb_events_since(struct guest *g, unsigned int engine,
				     uint32_t wp0)
{
	uint32_t wp = guest_eng_rd(g, engine, MVGPU_RING_CSB_PTR) &
		      MVGPU_CSB_WRITE_PTR_MASK;

	return (wp + MVGPU_CSB_ENTRIES - wp0) % MVGPU_CSB_ENTRIES;
}

/* A page-aligned graphics address, not 0 (status page off), not @g's. */
static uint64_t foreign_page(const struct guest *g)
{
	uint64_t ga;

	for (ga = MVGPU_GM_SIZE - GUEST_PAGE; ga; ga -= 64 * GUEST_PAGE)
		if (!guest_in_range(g, ga))
			return ga;
	return MVGPU_GM_SIZE - GUEST_PAGE;
}

TEST_F(vgpu, status_page_outside_own_graphics_memory_is_refused_and_counted)
{
	struct guest *g = &self->g;
	const uint64_t bad[] = {
		foreign_page(g),			/* not the vGPU's */
		g->hi_base + g->hi_size - GUEST_PAGE,	/* its own, unmapped */
	};
	long before, mmio;
	unsigned int i, events;
	uint32_t wp0;

	for (i = 0; i < 2; i++) {
		ASSERT_FALSE(guest_in_range(g, bad[0]));
		ASSERT_EQ(0, guest_sync_csb(g, RCS));
		wp0 = guest_eng_rd(g, RCS, MVGPU_RING_CSB_PTR) &
		      MVGPU_CSB_WRITE_PTR_MASK;
		before = vgpu_attr(g->uuid, "bad_ggtt");
		mmio = vgpu_attr(g->uuid, "bad_mmio");
		ASSERT_EQ(0, guest_eng_wr(g, RCS, MVGPU_RING_HWS_PGA,
					  (uint32_t)bad[i]));
		ASSERT_EQ((uint32_t)bad[i],
			  guest_eng_rd(g, RCS, MVGPU_RING_HWS_PGA));
		/* the CSB registers still report the work */
		guest_store_ok(_metadata, g, RCS, 0x60 + i, 0xb0 + i);
		events = csb_events_since(g, RCS, wp0);
		EXPECT_EQ(2, events);
		/* each entry and each write pointer refused, and counted */
		EXPECT_EQ(before + 2 * events, vgpu_attr(g->uuid, "bad_ggtt"))
			TH_LOG("status page at 0x%llx",
			       (unsigned long long)bad[i]);
		EXPECT_EQ(mmio, vgpu_attr(g->uuid, "bad_mmio"));
		EXPECT_EQ(0, vgpu_attr(g->uuid, "failsafe"));
	}
	/* the vGPU keeps working, with a good page too */
	ASSERT_EQ(0, guest_hws_enable(g, RCS));
	guest_store_ok(_metadata, g, RCS, 0x70, 0x1234);
	EXPECT_EQ(guest_eng_rd(g, RCS, MVGPU_RING_CSB_PTR) &
		  MVGPU_CSB_WRITE_PTR_MASK,
		  guest_hws_rd(g, RCS, MVGPU_HWS_CSB_WRITE_PTR));
	guest_fill_ok(_metadata, g, 0x71, 0xff00ff00);
}

TEST_HARNESS_MAIN
