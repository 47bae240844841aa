package io.mpathfs.fuse.kernel;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The system calls the kernel transport makes: /dev/fuse IO, mount(2) and umount2(2). */
public interface KernelLibC {
    KernelLibC LIBC = LibraryLoader.create(KernelLibC.class).load("c");
    Runtime RUNTIME = Runtime.getRuntime(LIBC);

    int O_RDWR = 02, O_CLOEXEC = 02000000;
    long MS_NOSUID = 2, MS_NODEV = 4;
    int MNT_DETACH = 2;

    int open(String path, int flags, int mode);

    int close(int fd);

    @ssize_t long read(int fd, Pointer buf, @size_t long count);

    @ssize_t long write(int fd, Pointer buf, @size_t long count);

    @ssize_t long writev(int fd, Pointer iov, int iovcnt);

    int ioctl(int fd, long request, Pointer arg);

    int mount(String source, String target, String fstype, long flags, String data);

    int umount2(String target, int flags);

    static int errno() {
        return RUNTIME.getLastError();
    }
}
