// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO migration v2 of a vGPU: STOP_COPY, PRE_COPY and P2P.
 *
 * The device state machine follows vfio_mig_get_next_state(); the arcs
 * that do something are:
 *
 * - RUNNING_P2P -> STOP: the vGPU's work in flight drains, then it is
 *   stopped (gvt/migration.c); -ETIMEDOUT leaves it running;
 * - STOP -> RUNNING_P2P: it runs again (an aborted migration);
 * - RUNNING(_P2P) -> PRE_COPY(_P2P): a data file with an early image of
 *   the running vGPU (GGTT and registers), so the destination checks
 *   compatibility and QEMU sizes the transfer while the guest still runs;
 * - PRE_COPY_P2P -> STOP_COPY: drain and stop, then the FINAL image is
 *   appended to the same file;
 * - STOP -> STOP_COPY: a data file with the FINAL image only;
 * - STOP -> RESUMING: a data file to write the stream to; its first
 *   header is checked at once;
 * - RESUMING -> STOP: the whole stream is checked, then applied;
 *   a refused stream leaves the vGPU as it was, in RESUMING.
 *
 * Leaving PRE_COPY, STOP_COPY or RESUMING, a reset or closing the device
 * disables the data files: their reads and writes then fail with
 * -ENODEV.  The files reach nothing but their own buffer, so they may
 * outlive the device.  A read or write copies to or from the user
 * without the lock the device takes: a copy the VMM holds up (a
 * userfaultfd page) holds up that file only, never a reset or a close.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <mvgpu/vgpu.h>

#include "migration.h"
#include "vfio.h"

/**
 * struct mvgpu_mig_file - one data file of a migration
 * @filp: the file given to the user
 * @io_lock: one read or write of the file at a time, held across its
 *           copy to or from the user; taken before @lock, never by the
 *           device
 * @lock: protects the fields below; taken after &mvgpu_mig.lock and
 *        before the vGPU's lock
 * @buf: the stream: what was saved, or what the user wrote
 * @in_io: a read or write copies to or from @buf without @lock: @buf
 *         stays allocated until it ends
 * @old: @buf as it was when a copy began, replaced since; freed when the
 *       copy ends
 * @cap: bytes of @buf
 * @len: bytes of @buf in use
 * @precopy: end of the early image, 0 when there is none
 * @final: the FINAL image is in @buf: reading to @len ends the stream
 * @disabled: the device left the state of the file: nothing more
 * @limit: most bytes a user may write (resuming file)
 * @vgpu: the destination, to check the stream's first header against
 *        (resuming file); only used while not @disabled: the device
 *        disables its files before it goes
 */
struct mvgpu_mig_file {
	struct file *filp;
	struct mutex io_lock; /* see @io_lock above */
	struct mutex lock; /* see @lock above */
	u8 *buf;
	bool in_io;
	u8 *old;
	size_t cap;
	size_t len;
	size_t precopy;
	bool final;
	bool disabled;
	size_t limit;
	struct mvgpu_vgpu *vgpu;
};

static struct mvgpu_mig *to_mig(struct vfio_device *vdev)
{
	return &container_of(vdev, struct mvgpu_vfio, vdev)->mig;
}

/* Make room for @need bytes in all; file lock held or file private. */
static int mig_file_reserve(struct mvgpu_mig_file *f, size_t need)
{
	u8 *buf;

	if (need <= f->cap)
		return 0;
	buf = kvmalloc(need, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	if (f->len)
		memcpy(buf, f->buf, f->len);
	if (f->in_io) {
		/* a read copies from it: only the FINAL image comes meanwhile */
		if (WARN_ON_ONCE(f->old)) {
			kvfree(buf);
			return -EBUSY;
		}
		f->old = f->buf;
	} else {
		kvfree(f->buf);
	}
	f->buf = buf;
	f->cap = need;
	return 0;
}

/* The stream goes; file lock held, no copy in progress. */
static void mig_file_free_buf(struct mvgpu_mig_file *f)
{
	kvfree(f->buf);
	f->buf = NULL;
	f->cap = 0;
	f->len = 0;
}

static void mig_file_disable(struct mvgpu_mig_file *f)
{
	mutex_lock(&f->lock);
	f->disabled = true;
	if (!f->in_io)
		mig_file_free_buf(f);
	mutex_unlock(&f->lock);
}

/*
 * A copy to or from the user, @io_lock held and @lock released, ended:
 * what it kept of the file is freed.  @lock held; -ENODEV when the file
 * was disabled meanwhile.
 */
static int mig_io_end(struct mvgpu_mig_file *f)
{
	f->in_io = false;
	kvfree(f->old);
	f->old = NULL;
	if (!f->disabled)
		return 0;
	mig_file_free_buf(f);
	return -ENODEV;
}

static int mig_file_release(struct inode *inode, struct file *filp)
{
	struct mvgpu_mig_file *f = filp->private_data;

	kvfree(f->buf);
	mutex_destroy(&f->lock);
	mutex_destroy(&f->io_lock);
	kfree(f);
	return 0;
}

static ssize_t mig_save_read(struct file *filp, char __user *ubuf, size_t len,
			     loff_t *ppos)
{
	struct mvgpu_mig_file *f = filp->private_data;
	loff_t *pos = &filp->f_pos;
	unsigned long left;
	const u8 *src;
	ssize_t ret;

	if (ppos)
		return -ESPIPE;
	if (mutex_lock_killable(&f->io_lock))
		return -EINTR;
	mutex_lock(&f->lock);
	if (f->disabled) {
		ret = -ENODEV;
		goto out;
	}
	if (*pos < 0 || *pos > f->len) {
		ret = -EINVAL;
		goto out;
	}
	len = min_t(size_t, f->len - *pos, len);
	if (!len) {
		/* a temporary end of stream in PRE_COPY */
		ret = f->final ? 0 : -ENOMSG;
		goto out;
	}
	/* @buf stays while @in_io, whatever the device does */
	src = f->buf + *pos;
	f->in_io = true;
	mutex_unlock(&f->lock);
	left = copy_to_user(ubuf, src, len);
	mutex_lock(&f->lock);
	ret = mig_io_end(f);
	if (ret)
		goto out;
	if (left) {
		ret = -EFAULT;
		goto out;
	}
	*pos += len;
	ret = len;
out:
	mutex_unlock(&f->lock);
	mutex_unlock(&f->io_lock);
	return ret;
}

static long mig_precopy_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_precopy_info, dirty_bytes);
	struct mvgpu_mig_file *f = filp->private_data;
	struct vfio_precopy_info info;
	long ret = 0;

	if (cmd != VFIO_MIG_GET_PRECOPY_INFO)
		return -ENOTTY;
	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	mutex_lock(&f->lock);
	if (f->disabled)
		ret = -ENODEV;
	else if (f->final || filp->f_pos > f->len)
		ret = -EINVAL;	/* not in PRE_COPY any more */
	info.initial_bytes = ret ? 0 : f->len - filp->f_pos;
	mutex_unlock(&f->lock);
	if (ret)
		return ret;
	/* the FINAL image is sent again whole, in STOP_COPY */
	info.dirty_bytes = 0;
	info.flags = 0;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static const struct file_operations mig_save_fops = {
	.owner = THIS_MODULE,
	.read = mig_save_read,
	.unlocked_ioctl = mig_precopy_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = mig_file_release,
};

static ssize_t mig_resume_write(struct file *filp, const char __user *ubuf,
				size_t len, loff_t *ppos);

static const struct file_operations mig_resume_fops = {
	.owner = THIS_MODULE,
	.write = mig_resume_write,
	.release = mig_file_release,
};

static struct mvgpu_mig_file *mig_file_new(bool save, size_t limit)
{
	struct mvgpu_mig_file *f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);

	if (!f)
		return ERR_PTR(-ENOMEM);
	mutex_init(&f->io_lock);
	mutex_init(&f->lock);
	f->limit = limit;
	f->filp = anon_inode_getfile("mvgpu_mig",
				     save ? &mig_save_fops : &mig_resume_fops,
				     f, save ? O_RDONLY : O_WRONLY);
	if (IS_ERR(f->filp)) {
		int ret = PTR_ERR(f->filp);

		mutex_destroy(&f->lock);
		mutex_destroy(&f->io_lock);
		kfree(f);
		return ERR_PTR(ret);
	}
	stream_open(f->filp->f_inode, f->filp);
	return f;
}

/* Append an image of the vGPU; the file is the caller's or locked. */
static int mig_file_save(struct mvgpu_mig *mig, struct mvgpu_mig_file *f,
			 bool final)
{
	size_t max = mvgpu_vgpu_mig_max_image(mig->vgpu);
	int ret;

	ret = mig_file_reserve(f, f->len + max);
	if (ret)
		return ret;
	ret = mvgpu_vgpu_mig_save(mig->vgpu, f->buf, f->cap, f->len, final);
	if (ret < 0)
		return ret;
	f->len += ret;
	if (final)
		f->final = true;
	else
		f->precopy = f->len;
	return 0;
}

static struct file *mig_save_begin(struct mvgpu_mig *mig, bool final)
{
	struct mvgpu_mig_file *f = mig_file_new(true, 0);
	int ret;

	if (IS_ERR(f))
		return ERR_CAST(f);
	ret = mig_file_save(mig, f, final);
	if (ret) {
		fput(f->filp);
		return ERR_PTR(ret);
	}
	mig->saving = f;
	get_file(f->filp);
	return f->filp;
}

static int mig_save_final(struct mvgpu_mig *mig)
{
	struct mvgpu_mig_file *f = mig->saving;
	int ret;

	ret = mvgpu_vgpu_mig_quiesce(mig->vgpu, MVGPU_MIG_DRAIN_MS);
	if (ret)
		return ret;
	mutex_lock(&f->lock);
	ret = f->disabled ? -ENODEV : mig_file_save(mig, f, true);
	mutex_unlock(&f->lock);
	if (ret)
		mvgpu_vgpu_mig_resume(mig->vgpu);
	return ret;
}

static ssize_t mig_resume_write(struct file *filp, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct mvgpu_mig_file *f = filp->private_data;
	loff_t *pos = &filp->f_pos;
	unsigned long left;
	ssize_t ret;
	u8 *dst;

	if (ppos)
		return -ESPIPE;
	if (mutex_lock_killable(&f->io_lock))
		return -EINTR;
	mutex_lock(&f->lock);
	if (f->disabled) {
		ret = -ENODEV;
		goto out;
	}
	if (*pos != f->len || len > f->limit - f->len) {
		ret = -EFBIG;
		goto out;
	}
	ret = mig_file_reserve(f, max(f->len + len,
				      min(2 * f->cap, f->limit)));
	if (ret)
		goto out;
	/* beyond @len: what the device reads of @buf stays as it is */
	dst = f->buf + f->len;
	f->in_io = true;
	mutex_unlock(&f->lock);
	left = copy_from_user(dst, ubuf, len);
	mutex_lock(&f->lock);
	ret = mig_io_end(f);
	if (ret)
		goto out;
	if (left) {
		ret = -EFAULT;
		goto out;
	}
	/* the first header is checked as soon as it is in: fail early */
	ret = mvgpu_vgpu_mig_check(f->vgpu, f->buf, f->len + len);
	if (ret)
		goto out;
	f->len += len;
	*pos += len;
	ret = len;
out:
	mutex_unlock(&f->lock);
	mutex_unlock(&f->io_lock);
	return ret;
}

static struct file *mig_resume_begin(struct mvgpu_mig *mig)
{
	/* an early image and the FINAL one */
	size_t limit = 2 * mvgpu_vgpu_mig_max_image(mig->vgpu);
	struct mvgpu_mig_file *f = mig_file_new(false, limit);

	if (IS_ERR(f))
		return ERR_CAST(f);
	f->vgpu = mig->vgpu;
	mig->resuming = f;
	get_file(f->filp);
	return f->filp;
}

static int mig_resume_end(struct mvgpu_mig *mig)
{
	struct mvgpu_mig_file *f = mig->resuming;
	int ret;

	mutex_lock(&f->lock);
	ret = f->disabled ? -ENODEV :
	      mvgpu_vgpu_mig_restore(mig->vgpu, f->buf, f->len);
	mutex_unlock(&f->lock);
	return ret;
}

static void mig_drop_files(struct mvgpu_mig *mig)
{
	if (mig->saving) {
		mig_file_disable(mig->saving);
		fput(mig->saving->filp);
		mig->saving = NULL;
	}
	if (mig->resuming) {
		mig_file_disable(mig->resuming);
		fput(mig->resuming->filp);
		mig->resuming = NULL;
	}
}

#define ARC(a, b)	((a) << 8 | (b))

/* One arc of the state machine; returns a data file, NULL or an error. */
static struct file *mig_step(struct mvgpu_mig *mig,
			     enum vfio_device_mig_state next)
{
	int ret = 0;

	switch (ARC(mig->state, next)) {
	case ARC(VFIO_DEVICE_STATE_RUNNING, VFIO_DEVICE_STATE_RUNNING_P2P):
	case ARC(VFIO_DEVICE_STATE_RUNNING_P2P, VFIO_DEVICE_STATE_RUNNING):
	case ARC(VFIO_DEVICE_STATE_PRE_COPY, VFIO_DEVICE_STATE_PRE_COPY_P2P):
	case ARC(VFIO_DEVICE_STATE_PRE_COPY_P2P, VFIO_DEVICE_STATE_PRE_COPY):
		return NULL;
	case ARC(VFIO_DEVICE_STATE_RUNNING_P2P, VFIO_DEVICE_STATE_STOP):
		ret = mvgpu_vgpu_mig_quiesce(mig->vgpu, MVGPU_MIG_DRAIN_MS);
		break;
	case ARC(VFIO_DEVICE_STATE_STOP, VFIO_DEVICE_STATE_RUNNING_P2P):
		mvgpu_vgpu_mig_resume(mig->vgpu);
		break;
	case ARC(VFIO_DEVICE_STATE_RUNNING, VFIO_DEVICE_STATE_PRE_COPY):
	case ARC(VFIO_DEVICE_STATE_RUNNING_P2P, VFIO_DEVICE_STATE_PRE_COPY_P2P):
		return mig_save_begin(mig, false);
	case ARC(VFIO_DEVICE_STATE_STOP, VFIO_DEVICE_STATE_STOP_COPY):
		return mig_save_begin(mig, true);
	case ARC(VFIO_DEVICE_STATE_PRE_COPY_P2P, VFIO_DEVICE_STATE_STOP_COPY):
		ret = mig_save_final(mig);
		break;
	case ARC(VFIO_DEVICE_STATE_PRE_COPY, VFIO_DEVICE_STATE_RUNNING):
	case ARC(VFIO_DEVICE_STATE_PRE_COPY_P2P, VFIO_DEVICE_STATE_RUNNING_P2P):
	case ARC(VFIO_DEVICE_STATE_STOP_COPY, VFIO_DEVICE_STATE_STOP):
		mig_drop_files(mig);
		break;
	case ARC(VFIO_DEVICE_STATE_STOP, VFIO_DEVICE_STATE_RESUMING):
		return mig_resume_begin(mig);
	case ARC(VFIO_DEVICE_STATE_RESUMING, VFIO_DEVICE_STATE_STOP):
		ret = mig_resume_end(mig);
		if (!ret)
			mig_drop_files(mig);
		break;
	default:
		/* vfio_mig_get_next_state() takes no other arc */
		WARN_ON_ONCE(1);
		ret = -EINVAL;
	}
	return ret ? ERR_PTR(ret) : NULL;
}

static struct file *mig_set_state(struct vfio_device *vdev,
				  enum vfio_device_mig_state new_state)
{
	struct mvgpu_mig *mig = to_mig(vdev);
	enum vfio_device_mig_state next;
	struct file *res = NULL;
	int ret;

	mutex_lock(&mig->lock);
	while (mig->state != new_state) {
		ret = vfio_mig_get_next_state(vdev, mig->state, new_state,
					      &next);
		if (ret) {
			res = ERR_PTR(ret);
			break;
		}
		res = mig_step(mig, next);
		if (IS_ERR(res))
			break;
		mig->state = next;
		if (WARN_ON(res && next != new_state)) {
			fput(res);
			res = ERR_PTR(-EINVAL);
			break;
		}
	}
	mutex_unlock(&mig->lock);
	return res;
}

static int mig_get_state(struct vfio_device *vdev,
			 enum vfio_device_mig_state *state)
{
	struct mvgpu_mig *mig = to_mig(vdev);

	mutex_lock(&mig->lock);
	*state = mig->state;
	mutex_unlock(&mig->lock);
	return 0;
}

static int mig_get_data_size(struct vfio_device *vdev,
			     unsigned long *stop_copy_length)
{
	*stop_copy_length = mvgpu_vgpu_mig_image_size(to_mig(vdev)->vgpu);
	return 0;
}

static const struct vfio_migration_ops mig_ops = {
	.migration_set_state = mig_set_state,
	.migration_get_state = mig_get_state,
	.migration_get_data_size = mig_get_data_size,
};

/**
 * mvgpu_mig_init() - a vGPU's VFIO device can migrate
 * @mig: its migration state
 * @vgpu: the device model
 * @vdev: the VFIO device, before it is registered
 */
void mvgpu_mig_init(struct mvgpu_mig *mig, struct mvgpu_vgpu *vgpu,
		    struct vfio_device *vdev)
{
	mig->vgpu = vgpu;
	mutex_init(&mig->lock);
	mig->state = VFIO_DEVICE_STATE_RUNNING;
	vdev->migration_flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |
				VFIO_MIGRATION_PRE_COPY;
	vdev->mig_ops = &mig_ops;
}

/**
 * mvgpu_mig_fini() - the device goes away
 * @mig: its migration state, reset (mvgpu_mig_reset())
 */
void mvgpu_mig_fini(struct mvgpu_mig *mig)
{
	mutex_destroy(&mig->lock);
}

/**
 * mvgpu_mig_reset() - reset the vGPU, on VFIO_DEVICE_RESET or close
 * @mig: its migration state
 *
 * The device returns to RUNNING and its data files are disabled; the
 * vGPU is reset (mvgpu_vgpu_reset(), which also lets a stopped vGPU run)
 * under the state lock, so no state change comes in between.
 */
void mvgpu_mig_reset(struct mvgpu_mig *mig)
{
	mutex_lock(&mig->lock);
	mig_drop_files(mig);
	mig->state = VFIO_DEVICE_STATE_RUNNING;
	mvgpu_vgpu_reset(mig->vgpu);
	mutex_unlock(&mig->lock);
}
