package io.mpathfs.fuse.files;

import jnr.ffi.Pointer;

/** The ioctls on /disk: the struct arrives in (and returns through) data; returns 0, a status or -errno. */
public interface DiskIoctl {
    /** Whether cmd is one of this handler's ioctls (others answer ENOTTY before any permission check). */
    boolean handles(int cmd);

    int ioctl(int cmd, Pointer data);
}
