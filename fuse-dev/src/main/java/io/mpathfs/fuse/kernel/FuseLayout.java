package io.mpathfs.fuse.kernel;

/**
 * The FUSE kernel protocol (linux/fuse.h, protocol 7.38) as byte offsets: every struct this
 * transport reads or writes is a nested class holding its {@code SIZEOF} and one constant per field
 * (the field's name in capitals), and the opcodes and flags keep their C names. FuseLayoutTest holds
 * all of them to the header compiled with gcc; nothing else in the package spells an offset.
 */
public final class FuseLayout {
    private FuseLayout() {
    }

    public static final int FUSE_KERNEL_VERSION = 7;
    /** The minor version this transport speaks; the kernel answers with the lower of its and ours. */
    public static final int FUSE_KERNEL_MINOR_VERSION = 38;
    public static final int FUSE_MIN_READ_BUFFER = 8192;
    /** _IOR(229, 0, uint32_t): attaches a new /dev/fuse descriptor to an existing connection. */
    public static final long FUSE_DEV_IOC_CLONE = 0x8004e500L;

    // fuse_init_in/out flags (flags holds bits 0..31, flags2 bits 32..63 when FUSE_INIT_EXT is set).
    public static final long FUSE_ASYNC_READ = 1L << 0;
    public static final long FUSE_BIG_WRITES = 1L << 5;
    public static final long FUSE_HAS_IOCTL_DIR = 1L << 11;
    public static final long FUSE_ASYNC_DIO = 1L << 15;
    public static final long FUSE_PARALLEL_DIROPS = 1L << 18;
    public static final long FUSE_MAX_PAGES = 1L << 22;
    public static final long FUSE_INIT_EXT = 1L << 30;
    /** In newer headers than 7.38 (7.39): mmap of a FOPEN_DIRECT_IO file is allowed. */
    public static final long FUSE_DIRECT_IO_ALLOW_MMAP = 1L << 36;
    /** Requests through io_uring (kernel 6.14+, with the fuse module's enable_uring set). */
    public static final long FUSE_OVER_IO_URING = 1L << 41;
    public static final int FUSE_URING_IN_OUT_HEADER_SZ = 128, FUSE_URING_OP_IN_OUT_SZ = 128;
    /** enum fuse_uring_cmd: a ring command's cmd_op. */
    public static final int FUSE_IO_URING_CMD_REGISTER = 1, FUSE_IO_URING_CMD_COMMIT_AND_FETCH = 2;

    // fuse_open_out.open_flags
    public static final int FOPEN_DIRECT_IO = 1 << 0;
    public static final int FOPEN_PARALLEL_DIRECT_WRITES = 1 << 6;

    // fuse_setattr_in.valid
    public static final int FATTR_MODE = 1 << 0;
    public static final int FATTR_UID = 1 << 1;
    public static final int FATTR_GID = 1 << 2;
    public static final int FATTR_SIZE = 1 << 3;

    // fuse_ioctl_in.flags
    public static final int FUSE_IOCTL_UNRESTRICTED = 1 << 1;

    /** Request opcodes (enum fuse_opcode); the C name is FUSE_ + the constant's name. */
    public static final class Op {
        private Op() {
        }

        public static final int LOOKUP = 1, FORGET = 2, GETATTR = 3, SETATTR = 4, OPEN = 14, READ = 15,
                WRITE = 16, STATFS = 17, RELEASE = 18, FSYNC = 20, SETXATTR = 21, GETXATTR = 22,
                LISTXATTR = 23, REMOVEXATTR = 24, FLUSH = 25, INIT = 26, OPENDIR = 27, READDIR = 28,
                RELEASEDIR = 29, FSYNCDIR = 30, ACCESS = 34, CREATE = 35, INTERRUPT = 36, DESTROY = 38,
                IOCTL = 39, BATCH_FORGET = 42;
    }

    public static final class InHeader {
        private InHeader() {
        }

        public static final int SIZEOF = 40, LEN = 0, OPCODE = 4, UNIQUE = 8, NODEID = 16, UID = 24, GID = 28,
                PID = 32, TOTAL_EXTLEN = 36;
    }

    public static final class OutHeader {
        private OutHeader() {
        }

        public static final int SIZEOF = 16, LEN = 0, ERROR = 4, UNIQUE = 8;
    }

    public static final class InitIn {
        private InitIn() {
        }

        public static final int SIZEOF = 64, MAJOR = 0, MINOR = 4, MAX_READAHEAD = 8, FLAGS = 12, FLAGS2 = 16;
    }

    public static final class InitOut {
        private InitOut() {
        }

        public static final int SIZEOF = 64, MAJOR = 0, MINOR = 4, MAX_READAHEAD = 8, FLAGS = 12,
                MAX_BACKGROUND = 16, CONGESTION_THRESHOLD = 18, MAX_WRITE = 20, TIME_GRAN = 24, MAX_PAGES = 28,
                MAP_ALIGNMENT = 30, FLAGS2 = 32;
    }

    public static final class Attr {
        private Attr() {
        }

        public static final int SIZEOF = 88, INO = 0, SIZE = 8, BLOCKS = 16, ATIME = 24, MTIME = 32, CTIME = 40,
                ATIMENSEC = 48, MTIMENSEC = 52, CTIMENSEC = 56, MODE = 60, NLINK = 64, UID = 68, GID = 72,
                RDEV = 76, BLKSIZE = 80, FLAGS = 84;
    }

    public static final class EntryOut {
        private EntryOut() {
        }

        public static final int SIZEOF = 128, NODEID = 0, GENERATION = 8, ENTRY_VALID = 16, ATTR_VALID = 24,
                ENTRY_VALID_NSEC = 32, ATTR_VALID_NSEC = 36, ATTR = 40;
    }

    public static final class AttrOut {
        private AttrOut() {
        }

        public static final int SIZEOF = 104, ATTR_VALID = 0, ATTR_VALID_NSEC = 8, ATTR = 16;
    }

    public static final class GetattrIn {
        private GetattrIn() {
        }

        public static final int SIZEOF = 16, GETATTR_FLAGS = 0, FH = 8;
    }

    public static final class SetattrIn {
        private SetattrIn() {
        }

        public static final int SIZEOF = 88, VALID = 0, FH = 8, SIZE = 16, MODE = 68, UID = 76, GID = 80;
    }

    public static final class OpenIn {
        private OpenIn() {
        }

        public static final int SIZEOF = 8, FLAGS = 0, OPEN_FLAGS = 4;
    }

    public static final class OpenOut {
        private OpenOut() {
        }

        public static final int SIZEOF = 16, FH = 0, OPEN_FLAGS = 8;
    }

    public static final class ReadIn {
        private ReadIn() {
        }

        public static final int SIZEOF = 40, FH = 0, OFFSET = 8, SIZE = 16, READ_FLAGS = 20, LOCK_OWNER = 24,
                FLAGS = 32;
    }

    public static final class WriteIn {
        private WriteIn() {
        }

        public static final int SIZEOF = 40, FH = 0, OFFSET = 8, SIZE = 16, WRITE_FLAGS = 20, LOCK_OWNER = 24,
                FLAGS = 32;
    }

    public static final class WriteOut {
        private WriteOut() {
        }

        public static final int SIZEOF = 8, SIZE = 0;
    }

    public static final class ReleaseIn {
        private ReleaseIn() {
        }

        public static final int SIZEOF = 24, FH = 0, FLAGS = 8, RELEASE_FLAGS = 12, LOCK_OWNER = 16;
    }

    public static final class FlushIn {
        private FlushIn() {
        }

        public static final int SIZEOF = 24, FH = 0, LOCK_OWNER = 16;
    }

    public static final class FsyncIn {
        private FsyncIn() {
        }

        public static final int SIZEOF = 16, FH = 0, FSYNC_FLAGS = 8;
    }

    public static final class GetxattrIn {
        private GetxattrIn() {
        }

        public static final int SIZEOF = 8, SIZE = 0;
    }

    public static final class GetxattrOut {
        private GetxattrOut() {
        }

        public static final int SIZEOF = 8, SIZE = 0;
    }

    public static final class IoctlIn {
        private IoctlIn() {
        }

        public static final int SIZEOF = 32, FH = 0, FLAGS = 8, CMD = 12, ARG = 16, IN_SIZE = 24, OUT_SIZE = 28;
    }

    public static final class IoctlOut {
        private IoctlOut() {
        }

        public static final int SIZEOF = 16, RESULT = 0, FLAGS = 4, IN_IOVS = 8, OUT_IOVS = 12;
    }

    public static final class InterruptIn {
        private InterruptIn() {
        }

        public static final int SIZEOF = 8, UNIQUE = 0;
    }

    public static final class ForgetIn {
        private ForgetIn() {
        }

        public static final int SIZEOF = 8, NLOOKUP = 0;
    }

    public static final class BatchForgetIn {
        private BatchForgetIn() {
        }

        public static final int SIZEOF = 8, COUNT = 0;
    }

    public static final class Dirent {
        private Dirent() {
        }

        /** The fixed part; the name follows and the entry is padded to 8 bytes. */
        public static final int SIZEOF = 24, INO = 0, OFF = 8, NAMELEN = 16, TYPE = 20, NAME = 24;
    }

    public static final class Kstatfs {
        private Kstatfs() {
        }

        public static final int SIZEOF = 80, BLOCKS = 0, BFREE = 8, BAVAIL = 16, FILES = 24, FFREE = 32, BSIZE = 40,
                NAMELEN = 44, FRSIZE = 48;
    }

    public static final class StatfsOut {
        private StatfsOut() {
        }

        public static final int SIZEOF = 80, ST = 0;
    }

    /**
     * struct fuse_uring_req_header, the headers buffer of a ring entry: in_out holds fuse_in_header
     * on the way in and fuse_out_header on the way back, op_in the operation's first argument, then
     * struct fuse_uring_ent_in_out.
     */
    public static final class UringReqHeader {
        private UringReqHeader() {
        }

        public static final int SIZEOF = 288, IN_OUT = 0, OP_IN = 128, RING_ENT_IN_OUT = 256;
    }

    /** struct fuse_uring_ent_in_out: the request's id to commit under, and the payload's size both ways. */
    public static final class UringEntInOut {
        private UringEntInOut() {
        }

        public static final int SIZEOF = 32, FLAGS = 0, COMMIT_ID = 8, PAYLOAD_SZ = 16;
    }

    /** struct fuse_uring_cmd_req, in the command area of a 128-byte submission entry. */
    public static final class UringCmdReq {
        private UringCmdReq() {
        }

        public static final int SIZEOF = 24, FLAGS = 0, COMMIT_ID = 8, QID = 16;
    }
}
