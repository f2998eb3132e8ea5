/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A page whose first touch waits until the test lets it go: an anonymous
 * page registered with a userfaultfd for missing faults.  A VMM can hold
 * up any copy the kernel makes to or from its memory this way; the tests
 * use it to check that nothing but that VMM's own call waits.
 */
#ifndef _MVGPU_UFFD_UTIL_H
#define _MVGPU_UFFD_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>

#define UFFD_TRAP_BYTES	4096

struct uffd_trap {
	int fd;		/* userfaultfd */
	void *page;	/* UFFD_TRAP_BYTES, not yet there */
};

/* Set up @t; 0 or -errno.  uffd_trap_close() in any case. */
static inline int uffd_trap_open(struct uffd_trap *t)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	t->fd = -1;
	t->page = mmap(NULL, UFFD_TRAP_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->page == MAP_FAILED)
		return -errno;
	t->fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (t->fd < 0 || ioctl(t->fd, UFFDIO_API, &api))
		return -errno;
	reg.range.start = (uintptr_t)t->page;
	reg.range.len = UFFD_TRAP_BYTES;
	return ioctl(t->fd, UFFDIO_REGISTER, &reg) ? -errno : 0;
}

/*
 * Wait until someone touches the page (and waits); 0 or -errno.  The
 * address touched in @addr unless NULL.
 */
static inline int uffd_trap_wait(struct uffd_trap *t, int timeout_ms,
				 uint64_t *addr)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&pfd, 1, timeout_ms) != 1)
		return -ETIMEDOUT;
	if (read(t->fd, &msg, sizeof(msg)) != sizeof(msg))
		return -EIO;
	if (msg.event != UFFD_EVENT_PAGEFAULT)
		return -EPROTO;
	if (addr)
		*addr = msg.arg.pagefault.address;
	return 0;
}

/* The page becomes zeroes (if it is not there yet); whoever waits goes on. */
static inline int uffd_trap_release(struct uffd_trap *t)
{
	struct uffdio_zeropage z = {
		.range = { .start = (uintptr_t)t->page, .len = UFFD_TRAP_BYTES },
	};

	return ioctl(t->fd, UFFDIO_ZEROPAGE, &z) && errno != EEXIST ?
	       -errno : 0;
}

static inline void uffd_trap_close(struct uffd_trap *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->page != MAP_FAILED)
		munmap(t->page, UFFD_TRAP_BYTES);
}

#endif /* _MVGPU_UFFD_UTIL_H */
