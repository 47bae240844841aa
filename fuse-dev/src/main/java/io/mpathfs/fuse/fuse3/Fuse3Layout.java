package io.mpathfs.fuse.fuse3;

/**
 * Byte offsets into libfuse 3.14's structs on x86_64 (fuse.h, fuse_common.h, fuse_opt.h,
 * fuse_lowlevel.h). Plain numbers rather than jnr Structs because we touch a handful of fields and
 * several of them are C bitfields; Fuse3LayoutTest compiles the same offsets from the headers with
 * gcc and fails on any difference.
 */
public final class Fuse3Layout {
    private Fuse3Layout() {
    }

    /** struct fuse_operations: one function pointer per slot, in header order. */
    public static final int OPERATIONS_SIZE = 336;
    public static final int OP_GETATTR = 0;
    public static final int OP_TRUNCATE = 88;
    public static final int OP_OPEN = 96;
    public static final int OP_READ = 104;
    public static final int OP_WRITE = 112;
    public static final int OP_FLUSH = 128;
    public static final int OP_RELEASE = 136;
    public static final int OP_FSYNC = 144;
    public static final int OP_GETXATTR = 160;
    public static final int OP_READDIR = 192;
    public static final int OP_INIT = 216;
    public static final int OP_IOCTL = 272;

    /** struct fuse_file_info: int flags; a 32-bit word of bitfields (writepage, direct_io, ...); fh. */
    public static final int FI_SIZE = 40;
    public static final int FI_FLAGS = 0;
    public static final int FI_BITS = 4;
    /** direct_io is the second bitfield (writepage is bit 0). */
    public static final int FI_DIRECT_IO_BIT = 1 << 1;
    public static final int FI_FH = 16;

    /** struct fuse_conn_info. */
    public static final int CONN_MAX_WRITE = 8;
    public static final int CONN_CAPABLE = 20;
    public static final int CONN_WANT = 24;
    public static final int CONN_MAX_BACKGROUND = 28;
    public static final int CONN_CONGESTION_THRESHOLD = 32;

    /** struct fuse_config (what init may adjust). */
    public static final int CFG_DIRECT_IO = 72;
    public static final int CFG_KERNEL_CACHE = 76;

    /** struct fuse_args: int argc; char **argv; int allocated. */
    public static final int ARGS_SIZE = 24;
    public static final int ARGS_ARGC = 0;
    public static final int ARGS_ARGV = 8;
    public static final int ARGS_ALLOCATED = 16;

    /** struct fuse_custom_io: writev, read, splice_receive, splice_send. */
    public static final int CUSTOM_IO_SIZE = 32;
    public static final int CUSTOM_IO_WRITEV = 0;
    public static final int CUSTOM_IO_READ = 8;

    /** The kernel's wire format (linux/fuse.h): struct fuse_out_header, struct fuse_open_out. */
    public static final int OUT_HEADER_SIZE = 16;
    public static final int OUT_HEADER_ERROR = 4;
    public static final int OPEN_OUT_SIZE = 16;
    public static final int OPEN_OUT_FLAGS = 8;
    public static final int FOPEN_DIRECT_IO = 1;
    public static final int FOPEN_PARALLEL_DIRECT_WRITES = 1 << 6;

    /** struct iovec. */
    public static final int IOVEC_SIZE = 16;
    public static final int IOVEC_BASE = 0;
    public static final int IOVEC_LEN = 8;
}
