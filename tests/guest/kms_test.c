// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest driver's display through the generic KMS uAPI only, as any
 * KMS client uses it: dumb buffers, legacy modeset (which the atomic
 * helpers implement), page flips with events, vblank waits.  Runs in an
 * L2 guest (tests/e2e/display_kms.sh) on the primary node of mvgpu_drm.
 *
 * Patterns are what tests/e2e/display_check.py expects: for seed s, pixel
 * (x, y) is R = (x + 64 s) & 255, G = (y + 32 s) & 255, B = 255 when
 * ((x >> 5) ^ (y >> 5) ^ s) & 1, else 0.  With MVGPU_KMS_SYNC=<tty> the
 * program writes "SHOT <name> <width> <height> <seed>" there whenever a
 * pattern is on screen and waits for a line back (the host took its
 * screendump); without it, it goes on at once.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>

#include "kselftest_harness.h"
#include "mdrm.h"
#include <drm_mode.h>

#define FLIP_TIMEOUT_MS	5000
#define RATE_FLIPS	60

struct dumb {
	__u32 handle, fb, pitch, w, h;
	__u64 size;
	__u32 *map;
};

FIXTURE(kms) {
	int fd;
	__u32 crtc, conn;
	struct drm_mode_modeinfo modes[64];
	unsigned int nmodes;
	struct dumb buf[2];
};

static int open_card(void)
{
	char path[32];
	int i, fd;

	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (mdrm_is_mvgpu(fd))
			return fd;
		close(fd);
	}
	return -ENODEV;
}

static double now_s(void)
{
	return mdrm_now_ns() / 1e9;
}

static __u32 pattern(unsigned int x, unsigned int y, unsigned int s)
{
	__u32 r = (x + 64 * s) & 255, g = (y + 32 * s) & 255;
	__u32 b = ((x >> 5) ^ (y >> 5) ^ s) & 1 ? 255 : 0;

	return r << 16 | g << 8 | b;
}

static void draw(struct dumb *d, unsigned int seed)
{
	unsigned int x, y;

	for (y = 0; y < d->h; y++)
		for (x = 0; x < d->w; x++)
			d->map[y * (d->pitch / 4) + x] = pattern(x, y, seed);
}

static int dumb_new(int fd, struct dumb *d, __u32 w, __u32 h)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	struct drm_mode_fb_cmd2 f = { .width = w, .height = h,
				      .pixel_format = 0x34325258 /* XR24 */ };
	int ret;

	memset(d, 0, sizeof(*d));
	ret = mdrm_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);
	if (ret)
		return ret;
	d->handle = c.handle;
	d->pitch = c.pitch;
	d->size = c.size;
	d->w = w;
	d->h = h;
	m.handle = c.handle;
	ret = mdrm_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m);
	if (ret)
		return ret;
	d->map = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		      m.offset);
	if (d->map == MAP_FAILED) {
		d->map = NULL;
		return -errno;
	}
	f.handles[0] = d->handle;
	f.pitches[0] = d->pitch;
	ret = mdrm_ioctl(fd, DRM_IOCTL_MODE_ADDFB2, &f);
	d->fb = f.fb_id;
	return ret;
}

static void dumb_del(int fd, struct dumb *d)
{
	struct drm_mode_destroy_dumb dd = { .handle = d->handle };

	if (d->fb)
		mdrm_ioctl(fd, DRM_IOCTL_MODE_RMFB, &d->fb);
	if (d->map)
		munmap(d->map, d->size);
	if (d->handle)
		mdrm_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	memset(d, 0, sizeof(*d));
}

static int set_crtc(int fd, __u32 crtc, __u32 conn, __u32 fb,
		    const struct drm_mode_modeinfo *mode)
{
	struct drm_mode_crtc c = { .crtc_id = crtc, .fb_id = fb };

	if (fb) {
		c.set_connectors_ptr = (__u64)(uintptr_t)&conn;
		c.count_connectors = 1;
		c.mode = *mode;
		c.mode_valid = 1;
	}
	return mdrm_ioctl(fd, DRM_IOCTL_MODE_SETCRTC, &c);
}

/* Wait for one DRM event of @type; its vblank payload in @ev. */
static int wait_event(int fd, __u32 type, struct drm_event_vblank *ev)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[1024];
	ssize_t n, off;

	for (;;) {
		if (poll(&p, 1, FLIP_TIMEOUT_MS) != 1)
			return -ETIMEDOUT;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return -EIO;
		for (off = 0; off + (ssize_t)sizeof(struct drm_event) <= n;) {
			struct drm_event *e = (struct drm_event *)(buf + off);

			if (e->type == type) {
				memcpy(ev, e, sizeof(*ev));
				return 0;
			}
			off += e->length;
		}
	}
}

/* An event's timestamp, seconds. */
static double ev_time(const struct drm_event_vblank *ev)
{
	return ev->tv_sec + ev->tv_usec / 1e6;
}

static int flip(int fd, __u32 crtc, __u32 fb, struct drm_event_vblank *ev)
{
	struct drm_mode_crtc_page_flip f = {
		.crtc_id = crtc, .fb_id = fb, .flags = DRM_MODE_PAGE_FLIP_EVENT,
		.user_data = fb,
	};
	int ret = mdrm_ioctl(fd, DRM_IOCTL_MODE_PAGE_FLIP, &f);

	return ret ?: wait_event(fd, DRM_EVENT_FLIP_COMPLETE, ev);
}

/* Tell the host a pattern is on screen and wait for its screendump. */
static void shot(const char *name, const struct dumb *d, unsigned int seed)
{
	const char *tty = getenv("MVGPU_KMS_SYNC");
	struct termios t;
	char line[64], c;
	int fd, n;

	printf("# SHOT %s %u %u %u\n", name, d->w, d->h, seed);
	fflush(stdout);
	if (!tty)
		return;
	fd = open(tty, O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	n = snprintf(line, sizeof(line), "SHOT %s %u %u %u\n", name, d->w,
		     d->h, seed);
	if (write(fd, line, n) == n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		while (poll(&p, 1, 120000) == 1 && read(fd, &c, 1) == 1 &&
		       c != '\n')
			;
	}
	close(fd);
}

FIXTURE_SETUP(kms)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_get_connector gc = { 0 };
	__u32 crtcs[4], conns[4], encs[4];

	self->fd = open_card();
	ASSERT_LE(0, self->fd) TH_LOG("no mvgpu primary node");
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_SET_MASTER, NULL));
	res.crtc_id_ptr = (__u64)(uintptr_t)crtcs;
	res.connector_id_ptr = (__u64)(uintptr_t)conns;
	res.encoder_id_ptr = (__u64)(uintptr_t)encs;
	res.count_crtcs = res.count_connectors = res.count_encoders = 4;
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_GETRESOURCES, &res));
	ASSERT_EQ(1, res.count_crtcs);
	ASSERT_EQ(1, res.count_connectors);
	self->crtc = crtcs[0];
	self->conn = conns[0];
	gc.connector_id = self->conn;
	gc.modes_ptr = (__u64)(uintptr_t)self->modes;
	gc.count_modes = 64;
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_GETCONNECTOR, &gc));
	ASSERT_EQ(1, gc.connection) TH_LOG("the monitor is not connected");
	self->nmodes = gc.count_modes < 64 ? gc.count_modes : 64;
	ASSERT_LT(0, self->nmodes);
}

FIXTURE_TEARDOWN(kms)
{
	dumb_del(self->fd, &self->buf[0]);
	dumb_del(self->fd, &self->buf[1]);
	close(self->fd);
}

/* The preferred mode (the EDID's), or the first. */
static const struct drm_mode_modeinfo *preferred(FIXTURE_DATA(kms) *self)
{
	unsigned int i;

	for (i = 0; i < self->nmodes; i++)
		if (self->modes[i].type & DRM_MODE_TYPE_PREFERRED)
			return &self->modes[i];
	return &self->modes[0];
}

/* A mode of another size, smaller than @m if there is one. */
static const struct drm_mode_modeinfo *
other_mode(FIXTURE_DATA(kms) *self, const struct drm_mode_modeinfo *m)
{
	unsigned int i;

	for (i = 0; i < self->nmodes; i++)
		if (self->modes[i].hdisplay < m->hdisplay &&
		    self->modes[i].vdisplay < m->vdisplay)
			return &self->modes[i];
	return NULL;
}

static void show_two(struct __test_metadata *_metadata,
		     FIXTURE_DATA(kms) *self,
		     const struct drm_mode_modeinfo *mode)
{
	int i;

	for (i = 0; i < 2; i++) {
		dumb_del(self->fd, &self->buf[i]);
		ASSERT_EQ(0, dumb_new(self->fd, &self->buf[i], mode->hdisplay,
				      mode->vdisplay));
		ASSERT_EQ(0, self->buf[i].pitch % 64);
		draw(&self->buf[i], i);
	}
	ASSERT_EQ(0, set_crtc(self->fd, self->crtc, self->conn,
			      self->buf[0].fb, mode));
}

TEST_F(kms, modes_come_from_the_edid)
{
	const struct drm_mode_modeinfo *p = preferred(self);
	unsigned int i;

	TH_LOG("%u modes, preferred %s %ux%u@%u", self->nmodes, p->name,
	       p->hdisplay, p->vdisplay, p->vrefresh);
	EXPECT_NE(0, p->type & DRM_MODE_TYPE_PREFERRED);
	for (i = 0; i < self->nmodes; i++) {
		EXPECT_GE(8192, self->modes[i].hdisplay);
		EXPECT_GE(8192, self->modes[i].vdisplay);
	}
}

TEST_F(kms, a_pattern_then_a_flip_to_another_are_shown)
{
	const struct drm_mode_modeinfo *m = preferred(self);
	struct drm_mode_crtc gc = { .crtc_id = self->crtc };
	struct drm_event_vblank ev;

	show_two(_metadata, self, m);
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_GETCRTC, &gc));
	EXPECT_EQ(self->buf[0].fb, gc.fb_id);
	EXPECT_EQ(1, gc.mode_valid);
	EXPECT_EQ(m->hdisplay, gc.mode.hdisplay);
	/* one vblank: the surface is latched */
	ASSERT_EQ(0, flip(self->fd, self->crtc, self->buf[0].fb, &ev));
	shot("first", &self->buf[0], 0);
	ASSERT_EQ(0, flip(self->fd, self->crtc, self->buf[1].fb, &ev));
	EXPECT_EQ(self->buf[1].fb, ev.user_data);
	shot("second", &self->buf[1], 1);
}

TEST_F(kms, flips_complete_at_the_vblank_rate)
{
	const struct drm_mode_modeinfo *m = preferred(self);
	struct drm_event_vblank ev, first, prev;
	union drm_wait_vblank wv;
	double t0, t1, hz, ev_hz, wait_hz;
	int i;

	show_two(_metadata, self, m);
	ASSERT_EQ(0, flip(self->fd, self->crtc, self->buf[1].fb, &first));
	t0 = now_s();
	prev = first;
	EXPECT_NE(0, first.tv_sec);
	for (i = 1; i <= RATE_FLIPS; i++) {
		ASSERT_EQ(0, flip(self->fd, self->crtc, self->buf[i & 1].fb,
				  &ev));
		EXPECT_LE(i, ev.sequence - first.sequence);
		/* each flip a later vblank, with a later timestamp */
		EXPECT_LT(0.0, ev_time(&ev) - ev_time(&prev));
		prev = ev;
	}
	t1 = now_s();
	hz = RATE_FLIPS / (t1 - t0);
	ev_hz = (ev.sequence - first.sequence) /
		(ev_time(&ev) - ev_time(&first));
	/* DRM_IOCTL_WAIT_VBLANK: the vblank counter as the core keeps it */
	memset(&wv, 0, sizeof(wv));
	wv.request.type = _DRM_VBLANK_RELATIVE;
	wv.request.sequence = 1;
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_WAIT_VBLANK, &wv));
	first.sequence = wv.reply.sequence;
	t0 = now_s();
	memset(&wv, 0, sizeof(wv));
	wv.request.type = _DRM_VBLANK_RELATIVE;
	wv.request.sequence = RATE_FLIPS;
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_WAIT_VBLANK, &wv));
	t1 = now_s();
	wait_hz = (wv.reply.sequence - first.sequence) / (t1 - t0);
	printf("# vblank: flips %.1f Hz, event timestamps %.1f Hz, wait_vblank %.1f Hz\n",
	       hz, ev_hz, wait_hz);
	fflush(stdout);
	/* a 60 Hz pipe, less what nested emulation loses */
	EXPECT_LT(5.0, hz);
	EXPECT_GT(66.0, hz);
	EXPECT_LT(5.0, ev_hz);
	EXPECT_GT(66.0, ev_hz);
	/* the count may move on between the two waits */
	EXPECT_LE(RATE_FLIPS, wv.reply.sequence - first.sequence);
	EXPECT_GE(RATE_FLIPS + 2, wv.reply.sequence - first.sequence);
	EXPECT_GT(66.0, wait_hz);
}

TEST_F(kms, mode_change_and_back)
{
	const struct drm_mode_modeinfo *m = preferred(self), *o;
	struct drm_mode_crtc gc = { .crtc_id = self->crtc };
	struct drm_event_vblank ev;
	struct dumb small;

	o = other_mode(self, m);
	if (!o)
		SKIP(return, "one mode size only");
	show_two(_metadata, self, m);
	ASSERT_EQ(0, dumb_new(self->fd, &small, o->hdisplay, o->vdisplay));
	draw(&small, 2);
	ASSERT_EQ(0, set_crtc(self->fd, self->crtc, self->conn, small.fb, o));
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_GETCRTC, &gc));
	EXPECT_EQ(o->hdisplay, gc.mode.hdisplay);
	EXPECT_EQ(o->vdisplay, gc.mode.vdisplay);
	ASSERT_EQ(0, flip(self->fd, self->crtc, small.fb, &ev));
	shot("small", &small, 2);
	/* a framebuffer smaller than the mode is refused */
	EXPECT_NE(0, set_crtc(self->fd, self->crtc, self->conn, small.fb, m));
	ASSERT_EQ(0, set_crtc(self->fd, self->crtc, self->conn,
			      self->buf[1].fb, m));
	ASSERT_EQ(0, flip(self->fd, self->crtc, self->buf[0].fb, &ev));
	dumb_del(self->fd, &small);
}

TEST_F(kms, disable_then_enable)
{
	const struct drm_mode_modeinfo *m = preferred(self);
	struct drm_mode_crtc gc = { .crtc_id = self->crtc };
	struct drm_mode_crtc_page_flip f = { .crtc_id = self->crtc };
	struct drm_event_vblank ev;
	int round;

	show_two(_metadata, self, m);
	for (round = 0; round < 3; round++) {
		ASSERT_EQ(0, set_crtc(self->fd, self->crtc, 0, 0, NULL));
		ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_GETCRTC, &gc));
		EXPECT_EQ(0, gc.mode_valid);
		EXPECT_EQ(0, gc.fb_id);
		/* no pipe, no flip */
		f.fb_id = self->buf[1].fb;
		f.flags = DRM_MODE_PAGE_FLIP_EVENT;
		EXPECT_NE(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_PAGE_FLIP, &f));
		ASSERT_EQ(0, set_crtc(self->fd, self->crtc, self->conn,
				      self->buf[round & 1].fb, m));
		ASSERT_EQ(0, flip(self->fd, self->crtc,
				  self->buf[!(round & 1)].fb, &ev));
	}
}

TEST_F(kms, bad_framebuffers_are_refused)
{
	const struct drm_mode_modeinfo *m = preferred(self);
	struct drm_mode_fb_cmd2 f = { .width = 64, .height = 64,
				      .pixel_format = 0x34325258 };
	struct dumb d;
	__u32 h, ggtt_h;
	__u64 ggtt;

	ASSERT_EQ(0, dumb_new(self->fd, &d, 64, 64));
	f.handles[0] = d.handle;
	f.pitches[0] = 4 * 64 + 4;	/* not a multiple of 64 */
	EXPECT_NE(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_ADDFB2, &f));
	f.pitches[0] = 256;
	f.pixel_format = 0x36314752;	/* RG16 */
	EXPECT_NE(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_ADDFB2, &f));
	/* an object the GPU cannot scan out: not in the GGTT */
	ASSERT_EQ(0, mdrm_bo_create(self->fd, 65536, 0, &h, &ggtt));
	f.pixel_format = 0x34325258;
	f.handles[0] = h;
	EXPECT_NE(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_ADDFB2, &f));
	/* one that is can */
	ASSERT_EQ(0, mdrm_bo_create(self->fd, 65536, DRM_MVGPU_GEM_CREATE_GGTT,
				    &ggtt_h, &ggtt));
	f.handles[0] = ggtt_h;
	EXPECT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_ADDFB2, &f));
	mdrm_ioctl(self->fd, DRM_IOCTL_MODE_RMFB, &f.fb_id);
	/* a framebuffer smaller than the mode */
	EXPECT_NE(0, set_crtc(self->fd, self->crtc, self->conn, d.fb, m));
	mdrm_bo_close(self->fd, h);
	mdrm_bo_close(self->fd, ggtt_h);
	dumb_del(self->fd, &d);
}

struct render {
	int fd;
	volatile int stop;
	unsigned int done, failed;
};

/* Blitter fills into an object of its own until told to stop. */
static void *render_loop(void *arg)
{
	struct render *r = arg;
	struct drm_mvgpu_exec_object o[2];
	struct mdrm_batch b;
	__u32 dst, bb, *map;
	__u64 ggtt;
	int err;

	if (mdrm_bo_create(r->fd, 1 << 20, 0, &dst, &ggtt) ||
	    mdrm_bo_create(r->fd, 4096, 0, &bb, &ggtt)) {
		r->failed++;
		return NULL;
	}
	map = mdrm_bo_map(r->fd, bb, 4096);
	if (!map) {
		r->failed++;
		return NULL;
	}
	b = (struct mdrm_batch){ .cs = map, .max = 1024 };
	mdrm_fill(&b, 0x10000000ULL, 1024, 0, 0, 256, 1024, 0xff00ff00);
	mdrm_end(&b);
	o[0] = (struct drm_mvgpu_exec_object){ dst, DRM_MVGPU_EXEC_OBJECT_WRITE,
					       0x10000000ULL };
	o[1] = (struct drm_mvgpu_exec_object){ bb, 0, 0x20000000ULL };
	while (!r->stop) {
		__u32 ctx;

		if (mdrm_ctx_create(r->fd, 0, &ctx)) {
			r->failed++;
			break;
		}
		if (mdrm_exec(r->fd, ctx, DRM_MVGPU_ENGINE_BCS, o, 2, 1, 0, NULL) ||
		    mdrm_bo_wait(r->fd, dst, 20000, &err) || err)
			r->failed++;
		else
			r->done++;
		mdrm_ctx_destroy(r->fd, ctx);
	}
	munmap(map, 4096);
	return NULL;
}

TEST_F(kms, flips_go_on_while_render_work_runs)
{
	const struct drm_mode_modeinfo *m = preferred(self);
	struct render r = { .fd = mdrm_open() };
	struct drm_event_vblank ev;
	pthread_t t;
	double t0;
	int i;

	ASSERT_LE(0, r.fd);
	show_two(_metadata, self, m);
	ASSERT_EQ(0, pthread_create(&t, NULL, render_loop, &r));
	t0 = now_s();
	for (i = 0; i < RATE_FLIPS; i++)
		if (flip(self->fd, self->crtc, self->buf[!(i & 1)].fb, &ev))
			break;
	t0 = now_s() - t0;
	r.stop = 1;
	pthread_join(t, NULL);
	close(r.fd);
	printf("# under load: %d flips at %.1f Hz, %u fills done\n", i,
	       i / t0, r.done);
	fflush(stdout);
	EXPECT_EQ(RATE_FLIPS, i);
	EXPECT_LT(0, r.done);
	EXPECT_EQ(0, r.failed);
}

/* The ID of the property @name of object @id, or 0. */
static __u32 prop_id(int fd, __u32 id, __u32 type, const char *name)
{
	struct drm_mode_obj_get_properties op = { .obj_id = id,
						  .obj_type = type };
	__u32 ids[64];
	__u64 vals[64];
	unsigned int i;

	op.props_ptr = (__u64)(uintptr_t)ids;
	op.prop_values_ptr = (__u64)(uintptr_t)vals;
	op.count_props = 64;
	if (mdrm_ioctl(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &op))
		return 0;
	for (i = 0; i < op.count_props && i < 64; i++) {
		struct drm_mode_get_property gp = { .prop_id = ids[i] };

		if (!mdrm_ioctl(fd, DRM_IOCTL_MODE_GETPROPERTY, &gp) &&
		    !strcmp(gp.name, name))
			return ids[i];
	}
	return 0;
}

/* One atomic commit setting the plane's FB_ID (and CRTC_* geometry). */
static int atomic_flip(int fd, __u32 plane, __u32 fb, __u32 flags,
		       const __u32 *props, const __u64 *vals, unsigned int n)
{
	__u32 objs[1] = { plane }, counts[1] = { n };
	struct drm_mode_atomic a = {
		.flags = flags, .count_objs = 1,
		.objs_ptr = (__u64)(uintptr_t)objs,
		.count_props_ptr = (__u64)(uintptr_t)counts,
		.props_ptr = (__u64)(uintptr_t)props,
		.prop_values_ptr = (__u64)(uintptr_t)vals,
		.user_data = fb,
	};

	return mdrm_ioctl(fd, DRM_IOCTL_MODE_ATOMIC, &a);
}

TEST_F(kms, atomic_commits_flip_and_test_only_changes_nothing)
{
	const struct drm_mode_modeinfo *m = preferred(self);
	struct drm_set_client_cap cap = { DRM_CLIENT_CAP_ATOMIC, 1 };
	struct drm_mode_get_plane_res pr = { 0 };
	struct drm_mode_crtc gc = { .crtc_id = self->crtc };
	struct drm_event_vblank ev;
	__u32 planes[4], props[2];
	__u64 vals[2];

	show_two(_metadata, self, m);
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_SET_CLIENT_CAP, &cap));
	pr.plane_id_ptr = (__u64)(uintptr_t)planes;
	pr.count_planes = 4;
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr));
	ASSERT_EQ(1, pr.count_planes);	/* the primary plane only */
	props[0] = prop_id(self->fd, planes[0], DRM_MODE_OBJECT_PLANE, "FB_ID");
	props[1] = prop_id(self->fd, planes[0], DRM_MODE_OBJECT_PLANE, "SRC_X");
	ASSERT_NE(0, props[0]);
	ASSERT_NE(0, props[1]);
	vals[0] = self->buf[1].fb;
	/* TEST_ONLY: accepted, nothing shown */
	ASSERT_EQ(0, atomic_flip(self->fd, planes[0], self->buf[1].fb,
				 DRM_MODE_ATOMIC_TEST_ONLY, props, vals, 1));
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_GETCRTC, &gc));
	EXPECT_EQ(self->buf[0].fb, gc.fb_id);
	/* a source the plane cannot show (outside the framebuffer) */
	vals[1] = 16ULL << 16;
	EXPECT_NE(0, atomic_flip(self->fd, planes[0], self->buf[1].fb,
				 DRM_MODE_ATOMIC_TEST_ONLY, props, vals, 2));
	/* a nonblocking flip with its event */
	ASSERT_EQ(0, atomic_flip(self->fd, planes[0], self->buf[1].fb,
				 DRM_MODE_PAGE_FLIP_EVENT | DRM_MODE_ATOMIC_NONBLOCK,
				 props, vals, 1));
	ASSERT_EQ(0, wait_event(self->fd, DRM_EVENT_FLIP_COMPLETE, &ev));
	EXPECT_EQ(self->buf[1].fb, ev.user_data);
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MODE_GETCRTC, &gc));
	EXPECT_EQ(self->buf[1].fb, gc.fb_id);
}

/* One batch of one (bad) dword on the blitter; its fence's status. */
static int bad_batch(int fd)
{
	struct drm_mvgpu_exec_object o = { 0, 0, 0x20000000ULL };
	struct mdrm_batch b;
	__u32 ctx, *map;
	__u64 ggtt;
	int fence = -1, ret;

	if (mdrm_ctx_create(fd, 0, &ctx))
		return -ENOMEM;
	ret = mdrm_bo_create(fd, 4096, 0, &o.handle, &ggtt);
	map = ret ? NULL : mdrm_bo_map(fd, o.handle, 4096);
	if (map) {
		b = (struct mdrm_batch){ .cs = map, .max = 1024 };
		MDRM_EMIT(&b, 0x1f800000);	/* no such command */
		mdrm_end(&b);
		ret = mdrm_exec(fd, ctx, DRM_MVGPU_ENGINE_BCS, &o, 1, 0, 0,
				&fence);
		if (!ret) {
			ret = mdrm_sync_file_wait(fence, 20000);
			close(fence);
		}
		munmap(map, 4096);
	}
	mdrm_bo_close(fd, o.handle);
	mdrm_ctx_destroy(fd, ctx);
	return ret;
}

/*
 * Rejected batches put the vGPU in failsafe mode; the driver's full reset
 * (GDRST) disables the plane, and the display comes back by itself: the
 * picture, then flips.
 */
TEST_F_TIMEOUT(kms, the_display_comes_back_after_a_full_gpu_reset, 180)
{
	const struct drm_mode_modeinfo *m = preferred(self);
	struct drm_event_vblank ev;
	__u64 full0, full;
	int rfd = mdrm_open(), i;

	ASSERT_LE(0, rfd);
	show_two(_metadata, self, m);
	ASSERT_EQ(0, flip(self->fd, self->crtc, self->buf[1].fb, &ev));
	ASSERT_EQ(0, mdrm_getparam(rfd, DRM_MVGPU_PARAM_FULL_RESETS, &full0));
	for (i = 0; i < 16; i++)
		EXPECT_EQ(-EIO, bad_batch(rfd));
	/* the reset comes with the next submission the vGPU ignores */
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, mdrm_getparam(rfd, DRM_MVGPU_PARAM_FULL_RESETS,
					   &full));
		if (full != full0)
			break;
		bad_batch(rfd);
	}
	close(rfd);
	EXPECT_EQ(full0 + 1, full);
	/* the restored plane scans out and flips again */
	ASSERT_EQ(0, flip(self->fd, self->crtc, self->buf[1].fb, &ev));
	shot("after_reset", &self->buf[1], 1);
	ASSERT_EQ(0, flip(self->fd, self->crtc, self->buf[0].fb, &ev));
	ASSERT_EQ(0, flip(self->fd, self->crtc, self->buf[1].fb, &ev));
}

TEST_HARNESS_MAIN
