package io.mpathfs.fuse.fuse3;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The C signatures of the libfuse3 callbacks mpathfs implements (fuse.h, FUSE_USE_VERSION 312). */
public final class Fuse3Callbacks {
    private Fuse3Callbacks() {
    }

    public interface Getattr {
        @Delegate
        int getattr(String path, Pointer stat, Pointer fi);
    }

    public interface Readdir {
        @Delegate
        int readdir(String path, Pointer buf, Pointer filler, @off_t long offset, Pointer fi, int flags);
    }

    /** open, release, flush: (path, fi). */
    public interface PathFile {
        @Delegate
        int call(String path, Pointer fi);
    }

    /** read and write: (path, buf, size, offset, fi). */
    public interface ReadWrite {
        @Delegate
        int call(String path, Pointer buf, @size_t long size, @off_t long offset, Pointer fi);
    }

    public interface Fsync {
        @Delegate
        int fsync(String path, int datasync, Pointer fi);
    }

    public interface Truncate {
        @Delegate
        int truncate(String path, @off_t long size, Pointer fi);
    }

    public interface Getxattr {
        @Delegate
        int getxattr(String path, String name, Pointer value, @size_t long size);
    }

    /** 3.x: unsigned int cmd, unsigned int flags (same registers as int). */
    public interface Ioctl {
        @Delegate
        int ioctl(String path, int cmd, Pointer arg, Pointer fi, int flags, Pointer data);
    }

    /** void *init(struct fuse_conn_info *, struct fuse_config *). */
    public interface Init {
        @Delegate
        Pointer init(Pointer conn, Pointer cfg);
    }

    /** fuse_custom_io.writev: ssize_t (int fd, struct iovec *iov, int count, void *userdata). */
    public interface Writev {
        @Delegate
        @ssize_t long writev(int fd, Pointer iov, int count, Pointer userData);
    }
}
