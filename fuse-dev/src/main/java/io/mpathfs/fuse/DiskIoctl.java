package io.mpathfs.fuse;

import jnr.ffi.Pointer;

/** An ioctl on /disk: the struct arrives in (and returns through) data; returns 0, a status or -errno. */
@FunctionalInterface
public interface DiskIoctl {
    int ioctl(int cmd, Pointer data);
}
