package io.mpathfs.nativeshim;

import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;

/**
 * A file descriptor opened through libc: a regular file or a block device, normally O_DIRECT.
 * Every failure raises a {@link NativeException} carrying the errno; what it means is decided by
 * the caller (backends), not here.
 */
public final class NativeFile implements AutoCloseable {
    /** Linux x86_64 open flags; jnr has no constant for O_DIRECT. */
    public static final int O_RDONLY = 0, O_RDWR = 02, O_EXCL = 0200, O_NONBLOCK = 04000,
            O_DIRECT = 040000, O_CLOEXEC = 02000000;

    /** _IO(0x12,104) and _IOR(0x12,114,size_t) from linux/fs.h. */
    static final long BLKSSZGET = 0x1268L, BLKGETSIZE64 = 0x80081272L;

    private static final int S_IFMT = 0170000, S_IFBLK = 0060000, S_IFREG = 0100000, S_IFCHR = 0020000;
    /** struct stat on x86_64: st_mode at 24 (u32), st_rdev at 40, st_size at 48, 144 bytes total. */
    private static final int STAT_SIZE = 144, ST_MODE = 24, ST_RDEV = 40, ST_SIZE = 48, ST_DEV = 0, ST_INO = 8;

    private final String path;
    private final int fd;
    private volatile boolean closed;

    private NativeFile(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    public static NativeFile open(String path, int flags) throws NativeException {
        int fd = Native.LIBC.open(path, flags | O_CLOEXEC, 0);
        if (fd < 0) {
            throw new NativeException("open", path, Native.lastErrno());
        }
        return new NativeFile(path, fd);
    }

    /** Read/write, O_DIRECT: what every data path uses (each /dev/sdX has its own page cache). */
    public static NativeFile openDirect(String path) throws NativeException {
        return open(path, O_RDWR | O_DIRECT);
    }

    public String path() {
        return path;
    }

    public int fd() {
        return fd;
    }

    /** Reads up to len bytes at offset; returns the count (short at end of file). */
    public int pread(Pointer buf, int len, long offset) throws NativeException {
        long n = Native.LIBC.pread(fd, buf, len, offset);
        if (n < 0) {
            throw new NativeException("pread", path, Native.lastErrno());
        }
        return (int) n;
    }

    public int pwrite(Pointer buf, int len, long offset) throws NativeException {
        long n = Native.LIBC.pwrite(fd, buf, len, offset);
        if (n < 0) {
            throw new NativeException("pwrite", path, Native.lastErrno());
        }
        return (int) n;
    }

    public void fdatasync() throws NativeException {
        if (Native.LIBC.fdatasync(fd) != 0) {
            throw new NativeException("fdatasync", path, Native.lastErrno());
        }
    }

    /** ioctl with a pointer argument; returns the (non-negative) result. */
    public int ioctl(long request, Pointer arg) throws NativeException {
        int rc = Native.LIBC.ioctl(fd, request, arg);
        if (rc < 0) {
            throw new NativeException("ioctl", path, Native.lastErrno());
        }
        return rc;
    }

    /** What fstat says of this descriptor. */
    public record Stat(int mode, long size, long dev, long ino, long rdev) {
        public boolean isBlockDevice() {
            return (mode & S_IFMT) == S_IFBLK;
        }

        public boolean isRegularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        public boolean isCharDevice() {
            return (mode & S_IFMT) == S_IFCHR;
        }
    }

    public Stat stat() throws NativeException {
        Pointer st = jnr.ffi.Memory.allocateDirect(Native.RUNTIME, STAT_SIZE);
        if (Native.LIBC.fstat(fd, st) != 0) {
            throw new NativeException("fstat", path, Native.lastErrno());
        }
        return new Stat(st.getInt(ST_MODE), st.getLong(ST_SIZE), st.getLong(ST_DEV), st.getLong(ST_INO),
                st.getLong(ST_RDEV));
    }

    /** Size in bytes: BLKGETSIZE64 for block devices, st_size for regular files. */
    public long size() throws NativeException {
        Stat st = stat();
        if (st.isBlockDevice()) {
            Pointer out = jnr.ffi.Memory.allocateDirect(Native.RUNTIME, 8);
            ioctl(BLKGETSIZE64, out);
            return out.getLong(0);
        }
        return st.size();
    }

    /** Logical sector size: BLKSSZGET for block devices, 512 for regular files. */
    public int logicalBlockSize() throws NativeException {
        if (stat().isBlockDevice()) {
            Pointer out = jnr.ffi.Memory.allocateDirect(Native.RUNTIME, 4);
            ioctl(BLKSSZGET, out);
            return out.getInt(0);
        }
        return 512;
    }

    /** An extended attribute as text, or null when the file has none of that name (or no xattrs). */
    public String getXattr(String name) throws NativeException {
        Pointer buf = jnr.ffi.Memory.allocateDirect(Native.RUNTIME, 4096);
        long n = Native.LIBC.fgetxattr(fd, name, buf, 4096);
        if (n < 0) {
            int e = Native.lastErrno();
            if (e == Errno.ENODATA || e == Errno.EOPNOTSUPP || e == ENOTSUP_ALIAS) {
                return null;
            }
            throw new NativeException("fgetxattr " + name, path, e);
        }
        byte[] b = new byte[(int) n];
        buf.get(0, b, 0, b.length);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static final int ENOTSUP_ALIAS = 95;

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.LIBC.close(fd);
        }
    }
}
