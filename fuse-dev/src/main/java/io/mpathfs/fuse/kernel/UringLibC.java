package io.mpathfs.fuse.kernel;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;

/** The system calls behind an io_uring: its two syscalls (glibc has no wrappers) and mmap of its rings. */
public interface UringLibC {
    UringLibC LIBC = LibraryLoader.create(UringLibC.class).load("c");

    long SYS_IO_URING_SETUP = 425, SYS_IO_URING_ENTER = 426;
    int PROT_READ = 1, PROT_WRITE = 2;
    int MAP_SHARED = 1, MAP_POPULATE = 0x8000;
    long MAP_FAILED = -1L;

    /** io_uring_setup(entries, params). */
    long syscall(long number, int entries, Pointer params);

    /** io_uring_enter(fd, to_submit, min_complete, flags, sig, sigsz). */
    long syscall(long number, int fd, int toSubmit, int minComplete, int flags, Pointer sig, long sigsz);

    long mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, long offset);

    int munmap(long addr, @size_t long length);

    Pointer memmove(Pointer dest, Pointer src, @size_t long n);
}
