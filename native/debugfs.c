// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs files of a pGPU, /sys/kernel/debug/mvgpu/mvgpuN/:
 *
 * - native: write command lines (debugfs_cmd.c), read what the last
 *   write printed.  Each open file has its own output.
 * - mem: pread/pwrite at offset = graphics address, into the native
 *   session's buffers.
 * - edid: the backend's EDID.
 *
 * Removal waits for file operations in progress (debugfs proxies), which
 * are bounded: the longest is a wait of %MVGPU_NATIVE_MAX_WAIT_MS.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <mvgpu/mvgpu_pci.h>

#include "debugfs.h"

#define MVGPU_DBG_MAX_WRITE	(64 * 1024)
#define MVGPU_DBG_OUT_SIZE	(64 * 1024)

static struct dentry *mvgpu_debugfs_root;

/**
 * struct mvgpu_debugfs - the debugfs directory of one pGPU
 * @dir: /sys/kernel/debug/mvgpu/mvgpuN
 * @edid: the EDID as a blob
 */
struct mvgpu_debugfs {
	struct dentry *dir;
	struct debugfs_blob_wrapper edid;
};

/**
 * struct mvgpu_dbg_file - one open "native" file
 * @n: the session
 * @lock: protects @out and @len, and serialises writes to this file
 * @out: output of the last write, %MVGPU_DBG_OUT_SIZE bytes
 * @len: bytes in @out
 */
struct mvgpu_dbg_file {
	struct mvgpu_native *n;
	struct mutex lock; /* see @lock above */
	char *out;
	size_t len;
};

static int mvgpu_dbg_native_open(struct inode *inode, struct file *file)
{
	struct mvgpu_dbg_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->out = kvzalloc(MVGPU_DBG_OUT_SIZE, GFP_KERNEL);
	if (!f->out) {
		kfree(f);
		return -ENOMEM;
	}
	f->n = inode->i_private;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int mvgpu_dbg_native_release(struct inode *inode, struct file *file)
{
	struct mvgpu_dbg_file *f = file->private_data;

	mutex_destroy(&f->lock);
	kvfree(f->out);
	kfree(f);
	return 0;
}

/* Run every line of @buf, stopping at the first error. */
static int mvgpu_dbg_run(struct mvgpu_dbg_file *f, char *buf)
{
	char **argv, *line;
	int ret = 0;

	argv = kmalloc_array(MVGPU_DEBUGFS_MAX_ARGS, sizeof(*argv),
			     GFP_KERNEL);
	if (!argv)
		return -ENOMEM;
	while (!ret && (line = strsep(&buf, "\n;")) != NULL)
		ret = mvgpu_debugfs_exec(f->n, line, argv, f->out,
					 MVGPU_DBG_OUT_SIZE, &f->len);
	kfree(argv);
	return ret;
}

static ssize_t mvgpu_dbg_native_write(struct file *file,
				      const char __user *ubuf, size_t len,
				      loff_t *ppos)
{
	struct mvgpu_dbg_file *f = file->private_data;
	char *buf;
	int ret;

	if (len > MVGPU_DBG_MAX_WRITE)
		return -E2BIG;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&f->lock);
	f->len = 0;
	f->out[0] = 0;
	ret = mvgpu_dbg_run(f, buf);
	if (ret)
		f->len += scnprintf(f->out + f->len, MVGPU_DBG_OUT_SIZE - f->len,
				    "error %d\n", ret);
	*ppos = 0;
	mutex_unlock(&f->lock);
	kfree(buf);
	return ret ? ret : len;
}

static ssize_t mvgpu_dbg_native_read(struct file *file, char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	struct mvgpu_dbg_file *f = file->private_data;
	ssize_t ret;

	mutex_lock(&f->lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, f->out, f->len);
	mutex_unlock(&f->lock);
	return ret;
}

static const struct file_operations mvgpu_dbg_native_fops = {
	.owner = THIS_MODULE,
	.open = mvgpu_dbg_native_open,
	.release = mvgpu_dbg_native_release,
	.read = mvgpu_dbg_native_read,
	.write = mvgpu_dbg_native_write,
	.llseek = default_llseek,
};

/* Copy between user memory and graphics memory, a page at a time. */
static ssize_t mvgpu_dbg_mem_rw(struct file *file, char __user *ubuf,
				size_t len, loff_t *ppos, bool write)
{
	struct mvgpu_native *n = file->private_data;
	size_t done = 0;
	void *bounce;
	int ret = 0;

	if (*ppos < 0 || *ppos >= MVGPU_GM_SIZE)
		return -EINVAL;
	bounce = (void *)__get_free_page(GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < len && !ret) {
		u64 pos = *ppos;
		size_t chunk = min_t(size_t, len - done,
				     PAGE_SIZE - offset_in_page(pos));

		if (write && copy_from_user(bounce, ubuf + done, chunk))
			ret = -EFAULT;
		if (!ret)
			ret = mvgpu_native_rw(n, pos, bounce, chunk, write);
		if (!ret && !write && copy_to_user(ubuf + done, bounce, chunk))
			ret = -EFAULT;
		if (!ret) {
			done += chunk;
			*ppos += chunk;
		}
	}
	free_page((unsigned long)bounce);
	return done ? done : ret;
}

static ssize_t mvgpu_dbg_mem_read(struct file *file, char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	return mvgpu_dbg_mem_rw(file, ubuf, len, ppos, false);
}

static ssize_t mvgpu_dbg_mem_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	return mvgpu_dbg_mem_rw(file, (char __user *)ubuf, len, ppos, true);
}

static const struct file_operations mvgpu_dbg_mem_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = mvgpu_dbg_mem_read,
	.write = mvgpu_dbg_mem_write,
	.llseek = default_llseek,
};

/**
 * mvgpu_debugfs_init() - create /sys/kernel/debug/mvgpu
 *
 * Failure is not an error: the pGPUs then have no debugfs files.
 */
void mvgpu_debugfs_init(void)
{
	mvgpu_debugfs_root = debugfs_create_dir("mvgpu", NULL);
}

/**
 * mvgpu_debugfs_exit() - remove /sys/kernel/debug/mvgpu and what is left
 */
void mvgpu_debugfs_exit(void)
{
	debugfs_remove_recursive(mvgpu_debugfs_root);
	mvgpu_debugfs_root = NULL;
}

/**
 * mvgpu_debugfs_add() - create the files of one pGPU
 * @name: directory name, as the pGPU's device
 * @n: its native session, which must outlive the files
 *
 * Return: the directory, to pass to mvgpu_debugfs_remove(), or NULL.
 */
struct mvgpu_debugfs *mvgpu_debugfs_add(const char *name,
					struct mvgpu_native *n)
{
	struct mvgpu_debugfs *d;

	if (IS_ERR_OR_NULL(mvgpu_debugfs_root) || !n)
		return NULL;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return NULL;
	d->dir = debugfs_create_dir(name, mvgpu_debugfs_root);
	d->edid.data = (void *)mvgpu_native_edid(n);
	d->edid.size = MVGPU_EDID_SIZE;
	debugfs_create_file("native", 0600, d->dir, n, &mvgpu_dbg_native_fops);
	debugfs_create_file("mem", 0600, d->dir, n, &mvgpu_dbg_mem_fops);
	debugfs_create_blob("edid", 0444, d->dir, &d->edid);
	return d;
}

/**
 * mvgpu_debugfs_remove() - remove the files of one pGPU
 * @d: from mvgpu_debugfs_add(), or NULL
 *
 * Waits until no file operation is in progress.
 */
void mvgpu_debugfs_remove(struct mvgpu_debugfs *d)
{
	if (!d)
		return;
	debugfs_remove_recursive(d->dir);
	kfree(d);
}
