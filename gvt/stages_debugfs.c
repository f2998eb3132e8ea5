// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs mvgpu_stages/<vGPU>: write "on" to measure a vGPU's stage
 * latencies afresh, "off" to stop; read the figures, one stage a line:
 * name, samples, p50, p99 and maximum in ns (stages.c).
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <mvgpu/vgpu.h>

#include "stages.h"
#include "vgpu_types.h"

static struct dentry *mvgpu_stages_root;

/* Serialises turning measurement on and off: the static key's count. */
static DEFINE_MUTEX(mvgpu_stages_mutex);

/* Measure @vgpu's stages afresh (@on), or stop. */
static int stages_set(struct mvgpu_vgpu *vgpu, bool on)
{
	struct mvgpu_stages_hist *h = NULL, *old;

	if (on) {
		h = mvgpu_stages_alloc();
		if (!h)
			return -ENOMEM;
	}
	mutex_lock(&mvgpu_stages_mutex);
	old = mvgpu_stages_swap(vgpu, h);
	if (h && !old)
		atomic_inc(&mvgpu_stages_on);
	else if (!h && old)
		atomic_dec(&mvgpu_stages_on);
	mutex_unlock(&mvgpu_stages_mutex);
	mvgpu_stages_free(old);
	return 0;
}

static int stages_show(struct seq_file *m, void *unused)
{
	struct mvgpu_stage_figs f[MVGPU_ST_NR];
	bool on = mvgpu_stages_read(m->private, f);
	unsigned int i;

	seq_printf(m, "# stage samples p50_ns p99_ns max_ns (%s)\n",
		   on ? "on" : "off");
	for (i = 0; on && i < MVGPU_ST_NR; i++)
		seq_printf(m, "%s %llu %llu %llu %llu\n", mvgpu_stage_names[i],
			   f[i].n, f[i].p50, f[i].p99, f[i].max);
	return 0;
}

static int stages_open(struct inode *inode, struct file *file)
{
	return single_open(file, stages_show, inode->i_private);
}

static ssize_t stages_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct mvgpu_vgpu *vgpu = file_inode(file)->i_private;
	char buf[8] = { };
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	strim(buf);
	if (strcmp(buf, "on") && strcmp(buf, "off"))
		return -EINVAL;
	ret = stages_set(vgpu, !strcmp(buf, "on"));
	return ret ?: len;
}

static const struct file_operations stages_fops = {
	.owner = THIS_MODULE,
	.open = stages_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = stages_write,
};

/**
 * mvgpu_stages_add() - the debugfs file of a new vGPU
 * @vgpu: the vGPU, named after its device
 *
 * Without debugfs the vGPU simply cannot measure.
 */
void mvgpu_stages_add(struct mvgpu_vgpu *vgpu)
{
	vgpu->stages.dir = NULL;
	if (IS_ERR_OR_NULL(mvgpu_stages_root) || !vgpu->dev)
		return;
	vgpu->stages.dir = debugfs_create_file(dev_name(vgpu->dev), 0600,
					       mvgpu_stages_root, vgpu,
					       &stages_fops);
}

/**
 * mvgpu_stages_remove() - remove a vGPU's file and stop measuring
 * @vgpu: the vGPU, before it is destroyed
 */
void mvgpu_stages_remove(struct mvgpu_vgpu *vgpu)
{
	debugfs_remove(vgpu->stages.dir);	/* waits for its users */
	vgpu->stages.dir = NULL;
	stages_set(vgpu, false);
}

/**
 * mvgpu_stages_init() - the debugfs directory mvgpu_stages
 */
void mvgpu_stages_init(void)
{
	mvgpu_stages_root = debugfs_create_dir("mvgpu_stages", NULL);
}

/**
 * mvgpu_stages_exit() - remove the directory, every vGPU gone
 */
void mvgpu_stages_exit(void)
{
	debugfs_remove(mvgpu_stages_root);
	mvgpu_stages_root = NULL;
}
