package io.mpathfs.nativeshim;

import jnr.ffi.Pointer;
import jnr.ffi.byref.PointerByReference;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The libc calls mpathfs needs, bound through jnr-ffi. errno is saved by jnr after each call. */
public interface LibC {
    int open(String path, int flags, int mode);

    int close(int fd);

    @ssize_t long pread(int fd, Pointer buf, @size_t long count, @off_t long offset);

    @ssize_t long pwrite(int fd, Pointer buf, @size_t long count, @off_t long offset);

    int fdatasync(int fd);

    /** ioctl is variadic; on x86_64 a pointer third argument is passed the same way as a fixed one. */
    int ioctl(int fd, long request, Pointer arg);

    /** glibc ≥ 2.33 exports fstat as a real symbol. */
    int fstat(int fd, Pointer statbuf);

    int posix_memalign(PointerByReference memptr, @size_t long alignment, @size_t long size);

    void free(Pointer ptr);

    @ssize_t long fgetxattr(int fd, String name, Pointer value, @size_t long size);

    Pointer memset(Pointer s, int c, @size_t long n);
}
