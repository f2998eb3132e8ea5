// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vGPU's screen through the VFIO API, as QEMU's display=on reads it: a
 * surface set up through the vGPU's MMIO as a guest driver would (GGTT
 * entries, plane registers, enable), then VFIO_DEVICE_QUERY_GFX_PLANE of
 * both types, the display region read and mapped, dma-bufs mapped,
 * flips, the EDID, and the vblank interrupt rate.
 */
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define FOURCC(a, b, c, d)	((uint32_t)(a) | (uint32_t)(b) << 8 | \
				 (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define XR24		FOURCC('X', 'R', '2', '4')
#define AR24		FOURCC('A', 'R', '2', '4')
#define PRIMARY		1	/* DRM_PLANE_TYPE_PRIMARY */
#define CURSOR		2
#define DISPLAY		MVGPU_VFIO_DISPLAY_REGION_INDEX

#define W		320
#define H		200
#define STRIDE		1536	/* > W * 4, a multiple of 64 */

FIXTURE(display) {
	struct guest g;
	char trim_was[32];	/* trim_idle_ms to restore, "" for none */
};

FIXTURE_SETUP(display)
{
	self->trim_was[0] = 0;
	ASSERT_EQ(0, guest_create(&self->g, "mvgpu-V1_8"));
}

#define TRIM_PARAM	"/sys/module/mvgpu/parameters/trim_idle_ms"

FIXTURE_TEARDOWN(display)
{
	EXPECT_EQ(0, guest_destroy(&self->g));
	if (self->trim_was[0])
		EXPECT_EQ(0, sysfs_write(TRIM_PARAM, self->trim_was));
}

static uint32_t pixel(unsigned int seed, unsigned int x, unsigned int y)
{
	return (seed * 0x9e3779b9u) ^ (x * 0x10001u) ^ (y << 12) ^ 0x5a000000u;
}

/* A surface of W x H pixels at STRIDE, filled with @seed's pattern. */
static uint8_t *surface(struct guest *g, unsigned int seed, uint64_t *ga)
{
	uint8_t *p = guest_map(g, (uint64_t)STRIDE * H, ga);
	unsigned int x, y;

	if (!p)
		return NULL;
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			((uint32_t *)(p + y * STRIDE))[x] = pixel(seed, x, y);
	return p;
}

/* Rows of @img (at @img_stride) are @seed's pattern. */
static int same_pixels(const uint8_t *img, uint32_t img_stride,
		       unsigned int seed)
{
	unsigned int x, y;

	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			if (((const uint32_t *)(img + (size_t)y * img_stride))[x] !=
			    pixel(seed, x, y))
				return 0;
	return 1;
}

TEST_F(display, edid_describes_a_connected_monitor)
{
	uint8_t edid[MVGPU_EDID_SIZE];
	uint32_t st = guest_rd(&self->g, MVGPU_EDID_STATUS), i;
	uint8_t sum = 0;
	static const uint8_t hdr[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };

	EXPECT_TRUE(st & MVGPU_EDID_STATUS_CONNECTED);
	for (i = 0; i < MVGPU_EDID_SIZE; i += 4) {
		uint32_t v = guest_rd(&self->g, MVGPU_EDID_BASE + i);

		memcpy(edid + i, &v, 4);
	}
	EXPECT_EQ(0, memcmp(edid, hdr, sizeof(hdr)));
	for (i = 0; i < 128; i++)
		sum += edid[i];
	EXPECT_EQ(0, sum);
	/* preferred detailed timing: a mode with a pixel clock */
	EXPECT_NE(0, edid[54] | edid[55] << 8);
}

#define DMABUF_PARAM	"/sys/module/mvgpu/parameters/display_dmabuf"

static int set_param(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -errno;
	ret = fputs(val, f) < 0 ? -EIO : 0;
	return fclose(f) ? -errno : ret;
}

TEST_F(display, no_plane_while_disabled_and_probes_follow_the_parameter)
{
	struct vfio_device_gfx_plane_info p;

	EXPECT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_PROBE |
					    VFIO_GFX_PLANE_TYPE_REGION, PRIMARY, &p));
	/* the region plane only, by default: QEMU without OpenGL works */
	EXPECT_EQ(-EINVAL, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_PROBE |
						  VFIO_GFX_PLANE_TYPE_DMABUF, PRIMARY, &p));
	ASSERT_EQ(0, set_param(DMABUF_PARAM, "Y"));
	EXPECT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_PROBE |
					    VFIO_GFX_PLANE_TYPE_DMABUF, PRIMARY, &p));
	ASSERT_EQ(0, set_param(DMABUF_PARAM, "N"));
	EXPECT_EQ(-EINVAL, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_PROBE |
						  VFIO_GFX_PLANE_TYPE_DMABUF |
						  VFIO_GFX_PLANE_TYPE_REGION, PRIMARY, &p));
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_REGION,
					    PRIMARY, &p));
	EXPECT_EQ(0, p.drm_format);
	EXPECT_EQ(0, p.size);
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_DMABUF,
					    CURSOR, &p));
	EXPECT_EQ(0, p.drm_format);
}

TEST_F(display, region_plane_shows_the_surface_read_and_mapped)
{
	struct { struct vfio_region_info i; uint8_t caps[64]; } ri;
	struct vfio_region_info_cap_type *cap;
	struct vfio_device_gfx_plane_info p;
	uint8_t *buf, *map;
	uint64_t ga;

	ASSERT_NE(NULL, surface(&self->g, 1, &ga));
	ASSERT_EQ(0, guest_plane_show(&self->g, ga, W, H, STRIDE,
			  MVGPU_DSPCNTR_FORMAT_XRGB8888));
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_REGION,
					    PRIMARY, &p));
	EXPECT_EQ(XR24, p.drm_format);
	EXPECT_EQ(W, p.width);
	EXPECT_EQ(H, p.height);
	EXPECT_EQ(W * 4, p.stride);
	EXPECT_EQ(W * 4 * H, p.size);
	ASSERT_EQ(DISPLAY, p.region_index);

	memset(&ri, 0, sizeof(ri));
	ri.i.argsz = sizeof(ri);
	ri.i.index = DISPLAY;
	ASSERT_EQ(0, ioctl(mvgpu_vfio_device_fd(self->g.v),
			   VFIO_DEVICE_GET_REGION_INFO, &ri));
	EXPECT_TRUE(ri.i.flags & VFIO_REGION_INFO_FLAG_MMAP);
	EXPECT_TRUE(ri.i.flags & VFIO_REGION_INFO_FLAG_CAPS);
	EXPECT_FALSE(ri.i.flags & VFIO_REGION_INFO_FLAG_WRITE);
	EXPECT_LE((uint64_t)1024 * 768 * 4, ri.i.size);
	ASSERT_EQ(sizeof(ri.i), ri.i.cap_offset);
	cap = (void *)((uint8_t *)&ri + ri.i.cap_offset);
	EXPECT_EQ(VFIO_REGION_INFO_CAP_TYPE, cap->header.id);
	EXPECT_EQ(VFIO_REGION_TYPE_PCI_VENDOR_TYPE | MVGPU_PCI_VENDOR_ID, cap->type);
	EXPECT_EQ(MVGPU_VFIO_REGION_SUBTYPE_DISPLAY, cap->subtype);

	buf = malloc(p.size);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ((ssize_t)p.size, pread(mvgpu_vfio_device_fd(self->g.v), buf, p.size,
					 (off_t)DISPLAY << 40));
	EXPECT_TRUE(same_pixels(buf, p.stride, 1));
	free(buf);
	ASSERT_EQ(0, mvgpu_vfio_mmap_region(self->g.v, DISPLAY, 0, ri.i.size,
					    PROT_READ, (void **)&map));
	EXPECT_TRUE(same_pixels(map, p.stride, 1));
	/* the guest draws; the next query shows it */
	((uint32_t *)self->g.mem)[0] ^= 0xffffffff;
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_REGION,
					    PRIMARY, &p));
	EXPECT_EQ(pixel(1, 0, 0) ^ 0xffffffff, ((uint32_t *)map)[0]);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
				   mvgpu_vfio_device_fd(self->g.v), (off_t)DISPLAY << 40));
	munmap(map, ri.i.size);
}

/*
 * trim_idle_ms at 300 (the fixture restores it), @seed's surface shown,
 * mvgpu's vmalloc in @kib0, then the region plane queried into @p: the
 * region's buffer is made.
 */
static void region_buffer_made(struct __test_metadata *_metadata,
			       FIXTURE_DATA(display) *self, unsigned int seed,
			       struct vfio_device_gfx_plane_info *p, long *kib0)
{
	uint64_t ga;

	ASSERT_LT(0, sysfs_read(TRIM_PARAM, self->trim_was,
				sizeof(self->trim_was)));
	ASSERT_EQ(0, sysfs_write(TRIM_PARAM, "300"));
	ASSERT_NE(NULL, surface(&self->g, seed, &ga));
	ASSERT_EQ(0, guest_plane_show(&self->g, ga, W, H, STRIDE,
			  MVGPU_DSPCNTR_FORMAT_XRGB8888));
	*kib0 = mvgpu_vmalloc_kib();
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_REGION,
					    PRIMARY, p));
}

/*
 * The region's buffer is host memory beyond the vGPU's graphics memory:
 * once the VMM has not used it for trim_idle_ms it goes, zapped from the
 * VMM's mapping, which then reads a new, zeroed buffer until the next
 * query fills it.
 */
TEST_F(display, an_unused_region_buffer_is_released_and_the_mapping_follows)
{
	struct vfio_device_gfx_plane_info p;
	long kib0, kib1, kib2;
	uint8_t *map;

	region_buffer_made(_metadata, self, 3, &p, &kib0);
	ASSERT_EQ(W * 4, p.stride);
	ASSERT_EQ(0, mvgpu_vfio_mmap_region(self->g.v, DISPLAY, 0, 1024 * 768 * 4,
					    PROT_READ, (void **)&map));
	EXPECT_TRUE(same_pixels(map, p.stride, 3));
	kib1 = mvgpu_vmalloc_kib();
	usleep(1000 * 1000);
	kib2 = mvgpu_vmalloc_kib();
	printf("# mvgpu vmalloc: %ld KiB before the query, %ld while in use, %ld after 1 s unused\n",
	       kib0, kib1, kib2);
	EXPECT_LE(kib0 + 3072, kib1);
	EXPECT_GE(kib0, kib2);
	EXPECT_EQ(0, ((uint32_t *)map)[0]);	/* a new buffer, zeroed */
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_REGION,
					    PRIMARY, &p));
	EXPECT_TRUE(same_pixels(map, p.stride, 3));
	munmap(map, 1024 * 768 * 4);
}

/*
 * Reclaim just after a use finds the buffer in use and keeps it; the
 * release trim_idle_ms after that use must still come.  Before, reclaim
 * replaced the pending release, which never came back: the buffer
 * stayed until the next reclaim, use or close.
 */
TEST_F(display, reclaim_right_after_a_use_leaves_the_idle_release_to_come)
{
	struct vfio_device_gfx_plane_info p;
	long kib0, kib1, kib2;

	region_buffer_made(_metadata, self, 4, &p, &kib0);
	kib1 = mvgpu_vmalloc_kib();
	/* reclaim at once: every shrinker scans, the display's among them */
	ASSERT_EQ(0, sysfs_write("/proc/sys/vm/drop_caches", "2"));
	usleep(1500 * 1000);
	kib2 = mvgpu_vmalloc_kib();
	printf("# mvgpu vmalloc: %ld KiB before the query, %ld after it, %ld 1.5 s after reclaim\n",
	       kib0, kib1, kib2);
	EXPECT_LE(kib0 + 3072, kib1);
	EXPECT_GE(kib0, kib2);
}

TEST_F(display, dmabuf_plane_maps_guest_pages_and_flips_get_new_ids)
{
	struct vfio_device_gfx_plane_info p, q;
	uint64_t ga1, ga2;
	uint8_t *m1, *m2, *s1;
	int fd1, fd2;

	ASSERT_NE(NULL, s1 = surface(&self->g, 1, &ga1));
	ASSERT_NE(NULL, surface(&self->g, 2, &ga2));
	ASSERT_EQ(0, guest_plane_show(&self->g, ga1, W, H, STRIDE,
			  MVGPU_DSPCNTR_FORMAT_ARGB8888));
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_DMABUF,
					    PRIMARY, &p));
	EXPECT_EQ(AR24, p.drm_format);
	EXPECT_EQ(STRIDE, p.stride);
	EXPECT_NE(0, p.dmabuf_id);
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_DMABUF,
					    PRIMARY, &q));
	EXPECT_EQ(p.dmabuf_id, q.dmabuf_id);
	fd1 = mvgpu_vfio_get_dmabuf(self->g.v, p.dmabuf_id);
	ASSERT_LE(0, fd1);
	m1 = mmap(NULL, p.size, PROT_READ, MAP_SHARED, fd1, 0);
	ASSERT_NE(MAP_FAILED, m1);
	EXPECT_TRUE(same_pixels(m1, STRIDE, 1));
	/* the dma-buf is the guest's memory: a draw shows at once */
	((uint32_t *)s1)[1] ^= 0xffffffff;
	EXPECT_EQ(pixel(1, 1, 0) ^ 0xffffffff, ((uint32_t *)m1)[1]);
	((uint32_t *)s1)[1] ^= 0xffffffff;

	/* flip: a new id; the old dma-buf still shows the old surface */
	ASSERT_EQ(0, guest_wr(&self->g, MVGPU_DSPSURF, (uint32_t)ga2));
	ASSERT_TRUE(guest_plane_latched(&self->g, ga2));
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_DMABUF,
					    PRIMARY, &q));
	EXPECT_NE(p.dmabuf_id, q.dmabuf_id);
	EXPECT_EQ(-ENOENT, mvgpu_vfio_get_dmabuf(self->g.v, p.dmabuf_id));
	fd2 = mvgpu_vfio_get_dmabuf(self->g.v, q.dmabuf_id);
	ASSERT_LE(0, fd2);
	m2 = mmap(NULL, q.size, PROT_READ, MAP_SHARED, fd2, 0);
	ASSERT_NE(MAP_FAILED, m2);
	EXPECT_TRUE(same_pixels(m2, STRIDE, 2));
	EXPECT_TRUE(same_pixels(m1, STRIDE, 1));

	/* a size change is a new plane too */
	ASSERT_EQ(0, guest_wr(&self->g, MVGPU_PIPESRC, (W / 2 - 1) << 16 | (H - 1)));
	ASSERT_EQ(0, mvgpu_vfio_query_plane(self->g.v, VFIO_GFX_PLANE_TYPE_DMABUF,
					    PRIMARY, &p));
	EXPECT_EQ(W / 2, p.width);
	EXPECT_NE(q.dmabuf_id, p.dmabuf_id);
	munmap(m1, q.size);
	munmap(m2, q.size);
	close(fd1);
	close(fd2);
}

static uint32_t frame(struct guest *g)
{
	return guest_rd(g, MVGPU_PIPE_FRMCOUNT);
}

TEST_F(display, vblank_interrupts_arrive_at_60_hz)
{
	struct guest *g = &self->g;
	uint64_t ga, end, t0;
	uint32_t f0, f1;
	int efd, n = 0;

	ASSERT_NE(NULL, surface(g, 3, &ga));
	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(g->v, VFIO_PCI_MSI_IRQ_INDEX, efd));
	ASSERT_EQ(0, guest_wr(g, MVGPU_DE_PIPE_IER(0), MVGPU_DE_PIPE_VBLANK));
	ASSERT_EQ(0, guest_wr(g, MVGPU_DE_PIPE_IMR(0), ~MVGPU_DE_PIPE_VBLANK));
	ASSERT_EQ(0, guest_wr(g, MVGPU_MASTER_IRQ, MVGPU_MASTER_IRQ_CONTROL));
	ASSERT_EQ(0, guest_plane_show(g, ga, W, H, STRIDE, MVGPU_DSPCNTR_FORMAT_XRGB8888));
	guest_wr(g, MVGPU_DE_PIPE_IIR(0), ~0u);
	f0 = frame(g);
	t0 = guest_now_ms();
	end = t0 + 2000;
	while (guest_now_ms() < end) {
		struct pollfd pfd = { .fd = efd, .events = POLLIN };
		uint64_t cnt;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if (read(efd, &cnt, sizeof(cnt)) != sizeof(cnt))
			continue;
		n += cnt;
		/* as a guest's handler: ack, so the next vblank interrupts */
		guest_wr(g, MVGPU_DE_PIPE_IIR(0), MVGPU_DE_PIPE_VBLANK);
	}
	f1 = frame(g);
	printf("# vblank: %d interrupts, %u frames in %llu ms: %.1f Hz (interrupts), %.1f Hz (frames)\n",
	       n, f1 - f0, (unsigned long long)(guest_now_ms() - t0),
	       n * 1000.0 / (guest_now_ms() - t0),
	       (f1 - f0) * 1000.0 / (guest_now_ms() - t0));
	EXPECT_LE(60, f1 - f0);		/* >= 30 Hz even under TCG and load */
	EXPECT_GE(2 * 60 + 10, f1 - f0);	/* never faster than 60 Hz */
	EXPECT_LE(30, n);
	EXPECT_GE(f1 - f0 + 2, n);	/* one may be from before f0 */
	/* disabled: no more frames */
	ASSERT_EQ(0, guest_wr(g, MVGPU_DSPCNTR, 0));
	usleep(50000);
	f0 = frame(g);
	usleep(200000);
	EXPECT_EQ(f0, frame(g));
	close(efd);
}

TEST_HARNESS_MAIN
