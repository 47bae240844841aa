package io.mpathfs.fuse.kernel;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import jnr.ffi.Pointer;

/**
 * One io_uring with 128-byte submission entries (what FUSE's ring commands need), owned by one
 * thread: it fills submission entries, submits them and waits for completions in the same call.
 * The rings are the kernel's shared memory; head and tail are published with release and read with
 * acquire ordering, as the io_uring ABI requires.
 */
final class IoUring implements AutoCloseable {
    static final int IORING_SETUP_SQE128 = 1 << 10;
    static final int IORING_ENTER_GETEVENTS = 1;
    static final int IORING_FEAT_SINGLE_MMAP = 1;
    static final long IORING_OFF_SQ_RING = 0, IORING_OFF_CQ_RING = 0x8000000L, IORING_OFF_SQES = 0x10000000L;
    static final int SQE_SIZE = 128, CQE_SIZE = 16;

    /** struct io_uring_params and the two ring offset structs in it. */
    static final class Params {
        static final int SIZEOF = 120, SQ_ENTRIES = 0, CQ_ENTRIES = 4, FLAGS = 8, FEATURES = 20, SQ_OFF = 40,
                CQ_OFF = 80;
        /** struct io_sqring_offsets, from SQ_OFF. */
        static final int SQ_HEAD = 0, SQ_TAIL = 4, SQ_RING_MASK = 8, SQ_RING_ENTRIES = 12, SQ_ARRAY = 24;
        /** struct io_cqring_offsets, from CQ_OFF. */
        static final int CQ_HEAD = 0, CQ_TAIL = 4, CQ_RING_MASK = 8, CQ_RING_ENTRIES = 12, CQ_CQES = 20;
    }

    /** struct io_uring_sqe fields used here; cmd is the 80-byte command area of a 128-byte entry. */
    static final class Sqe {
        static final int OPCODE = 0, FLAGS = 1, FD = 4, CMD_OP = 8, ADDR = 16, LEN = 24, USER_DATA = 32, CMD = 48;
        static final int OP_NOP = 0, OP_URING_CMD = 46;
    }

    /** struct io_uring_cqe. */
    static final class Cqe {
        static final int USER_DATA = 0, RES = 8, FLAGS = 12;
    }

    private final int fd;
    private final long sqRing, sqRingSize, cqRing, cqRingSize, sqes, sqesSize;
    private final Pointer sq, cq, sqe;
    private final int sqHead, sqTail, sqMask, sqArray, cqHead, cqTail, cqMask, cqCqes, sqEntries;
    private int pendingSubmissions;

    private IoUring(int fd, Pointer p) throws IOException {
        this.fd = fd;
        int sqOff = Params.SQ_OFF, cqOff = Params.CQ_OFF;
        sqEntries = p.getInt(Params.SQ_ENTRIES);
        int cqEntries = p.getInt(Params.CQ_ENTRIES);
        sqHead = p.getInt(sqOff + Params.SQ_HEAD);
        sqTail = p.getInt(sqOff + Params.SQ_TAIL);
        sqMask = p.getInt(sqOff + Params.SQ_RING_MASK);
        sqArray = p.getInt(sqOff + Params.SQ_ARRAY);
        cqHead = p.getInt(cqOff + Params.CQ_HEAD);
        cqTail = p.getInt(cqOff + Params.CQ_TAIL);
        cqMask = p.getInt(cqOff + Params.CQ_RING_MASK);
        cqCqes = p.getInt(cqOff + Params.CQ_CQES);
        boolean single = (p.getInt(Params.FEATURES) & IORING_FEAT_SINGLE_MMAP) != 0;
        long sqSize = sqArray + 4L * sqEntries;
        long cqSize = cqCqes + (long) CQE_SIZE * cqEntries;
        if (single) {
            sqSize = cqSize = Math.max(sqSize, cqSize);
        }
        sqRingSize = sqSize;
        sqRing = map(sqSize, IORING_OFF_SQ_RING);
        if (single) {
            cqRing = sqRing;
            cqRingSize = 0;
        } else {
            cqRingSize = cqSize;
            cqRing = map(cqSize, IORING_OFF_CQ_RING);
        }
        sqesSize = (long) SQE_SIZE * sqEntries;
        sqes = map(sqesSize, IORING_OFF_SQES);
        sq = pointer(sqRing, sqSize);
        cq = pointer(cqRing, cqSize);
        sqe = pointer(sqes, sqesSize);
    }

    /** A ring of at least the given number of entries; IOException (with the errno) where the kernel refuses. */
    static IoUring create(int entries) throws IOException {
        try (AlignedBuffer params = AlignedBuffer.allocate(4096)) {
            Pointer p = params.pointer();
            p.setMemory(0, Params.SIZEOF, (byte) 0);
            p.putInt(Params.FLAGS, IORING_SETUP_SQE128);
            long fd = UringLibC.LIBC.syscall(UringLibC.SYS_IO_URING_SETUP, entries, p);
            if (fd < 0) {
                throw new IOException("io_uring_setup: " + Errno.describe(KernelLibC.errno()));
            }
            try {
                return new IoUring((int) fd, p);
            } catch (IOException e) {
                KernelLibC.LIBC.close((int) fd);
                throw e;
            }
        }
    }

    private long map(long size, long offset) throws IOException {
        long addr = UringLibC.LIBC.mmap(null, size, UringLibC.PROT_READ | UringLibC.PROT_WRITE,
                UringLibC.MAP_SHARED | UringLibC.MAP_POPULATE, fd, offset);
        if (addr == UringLibC.MAP_FAILED) {
            throw new IOException("mmap of io_uring: " + Errno.describe(KernelLibC.errno()));
        }
        return addr;
    }

    private static Pointer pointer(long address, long size) {
        return KernelLibC.RUNTIME.getMemoryManager().newPointer(address, size);
    }

    /**
     * The next free submission entry, zeroed; it is handed to the kernel by the next
     * {@link #submitAndWait}. Null when every entry is taken.
     */
    Pointer nextSqe() {
        VarHandle.acquireFence();
        int head = sq.getInt(sqHead);
        int tail = sq.getInt(sqTail);
        if (tail - head >= sqEntries) {
            return null;
        }
        int index = tail & sq.getInt(sqMask);
        Pointer entry = pointer(sqe.address() + (long) index * SQE_SIZE, SQE_SIZE);
        entry.setMemory(0, SQE_SIZE, (byte) 0);
        sq.putInt(sqArray + 4L * index, index);
        VarHandle.releaseFence();
        sq.putInt(sqTail, tail + 1);
        pendingSubmissions++;
        return entry;
    }

    /** Submits what {@link #nextSqe} prepared and waits until at least minComplete completions are there. */
    void submitAndWait(int minComplete) throws IOException {
        while (true) {
            VarHandle.fullFence();
            long n = UringLibC.LIBC.syscall(UringLibC.SYS_IO_URING_ENTER, fd, pendingSubmissions, minComplete,
                    IORING_ENTER_GETEVENTS, null, 0);
            if (n >= 0) {
                pendingSubmissions -= (int) n;
                if (pendingSubmissions == 0) {
                    return;
                }
                continue;
            }
            int e = KernelLibC.errno();
            if (e != Errno.EINTR && e != Errno.EAGAIN) {
                throw new IOException("io_uring_enter: " + Errno.describe(e));
            }
        }
    }

    /** The next completion's result (its user data in userData[0]), or null when none is there; consumes it. */
    Integer takeCompletion(long[] userData) {
        int head = cq.getInt(cqHead);
        VarHandle.acquireFence();
        int tail = cq.getInt(cqTail);
        VarHandle.acquireFence();
        if (head == tail) {
            return null;
        }
        long at = cqCqes + (long) (head & cq.getInt(cqMask)) * CQE_SIZE;
        userData[0] = cq.getLong(at + Cqe.USER_DATA);
        int res = cq.getInt(at + Cqe.RES);
        VarHandle.releaseFence();
        cq.putInt(cqHead, head + 1);
        return res;
    }

    @Override
    public void close() {
        UringLibC.LIBC.munmap(sqes, sqesSize);
        if (cqRingSize > 0) {
            UringLibC.LIBC.munmap(cqRing, cqRingSize);
        }
        UringLibC.LIBC.munmap(sqRing, sqRingSize);
        KernelLibC.LIBC.close(fd);
    }
}
