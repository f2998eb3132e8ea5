// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control arm of tests/e2e/l2_control.sh: VM exits in an L2 guest
 * with no vGPU.  Traps as a vGPU's guest takes them (an MMIO access that
 * the L1 hypervisor hands to QEMU), timer interrupts, and processes
 * forked and memory touched, for a given time, every access checked.
 *
 * The device is QEMU's "edu" (1234:11e8): a read of its register 0x04
 * returns the bitwise inverse of the last value written there, so each
 * write and read pair is two exits to QEMU and checks that both arrived.
 *
 *   mmio_hammer SECONDS
 *
 * Prints "MVGPU_HAMMER start", then every 10 s "MVGPU_HAMMER t=<s>
 * pairs=<n> forks=<n>", and "MVGPU_HAMMER done pairs=<n>" with exit 0, or
 * "MVGPU_HAMMER FAIL ..." with exit 1.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EDU_ID		"0x1234 0x11e8"
#define EDU_LIVENESS	0x04
#define PAIRS_PER_NAP	64	/* then a 50 us sleep: a timer interrupt */
#define PAIRS_PER_FORK	20000
#define CHURN_BYTES	(8u << 20)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	if (!ok)
		return -EIO;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* The edu device's BAR 0, mapped; NULL if there is none. */
static volatile uint32_t *map_edu(void)
{
	char path[300], vendor[16], device[16], id[40];
	struct dirent *d;
	void *bar = NULL;
	DIR *dir = opendir("/sys/bus/pci/devices");
	int fd;

	while (dir && !bar && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", d->d_name);
		if (read_line(path, vendor, sizeof(vendor)))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", d->d_name);
		if (read_line(path, device, sizeof(device)))
			continue;
		snprintf(id, sizeof(id), "%s %s", vendor, device);
		if (strcmp(id, EDU_ID))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/enable", d->d_name);
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			if (write(fd, "1", 1) != 1)
				perror("enable");
			close(fd);
		}
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", d->d_name);
		fd = open(path, O_RDWR | O_SYNC);
		if (fd < 0)
			break;
		bar = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (bar == MAP_FAILED)
			bar = NULL;
	}
	if (dir)
		closedir(dir);
	return bar;
}

/* A child that touches fresh memory and exits: page faults, a fork. */
static int churn(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (!pid) {
		char *p = malloc(CHURN_BYTES);

		if (!p)
			_exit(1);
		memset(p, 0x5a, CHURN_BYTES);
		_exit(p[CHURN_BYTES - 1] != 0x5a);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

int main(int argc, char **argv)
{
	const struct timespec nap = { .tv_nsec = 50000 };
	unsigned long pairs = 0, forks = 0;
	volatile uint32_t *bar;
	double t0, next, t;
	int secs;

	secs = argc == 2 ? atoi(argv[1]) : 0;
	if (secs <= 0) {
		fprintf(stderr, "usage: %s SECONDS\n", argv[0]);
		return 2;
	}
	bar = map_edu();
	if (!bar) {
		printf("MVGPU_HAMMER FAIL no edu device (QEMU -device edu)\n");
		return 1;
	}
	printf("MVGPU_HAMMER start\n");
	fflush(stdout);
	t0 = now_s();
	next = t0 + 10;
	for (;;) {
		uint32_t v = (uint32_t)pairs * 2654435761u;

		bar[EDU_LIVENESS / 4] = v;
		if (bar[EDU_LIVENESS / 4] != ~v) {
			printf("MVGPU_HAMMER FAIL pair %lu read %#x for ~%#x\n",
			       pairs, bar[EDU_LIVENESS / 4], ~v);
			return 1;
		}
		pairs++;
		if (pairs % PAIRS_PER_NAP == 0)
			nanosleep(&nap, NULL);
		if (pairs % PAIRS_PER_FORK == 0) {
			if (churn()) {
				printf("MVGPU_HAMMER FAIL child\n");
				return 1;
			}
			forks++;
		}
		if (pairs % PAIRS_PER_NAP)
			continue;
		t = now_s();
		if (t < next)
			continue;
		printf("MVGPU_HAMMER t=%.0f pairs=%lu forks=%lu\n", t - t0,
		       pairs, forks);
		fflush(stdout);
		next += 10;
		if (t - t0 >= secs)
			break;
	}
	printf("MVGPU_HAMMER done pairs=%lu\n", pairs);
	return 0;
}
