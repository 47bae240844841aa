package io.mpathfs.control.io;

import io.mpathfs.control.DeviceIoException;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Pointer;

/**
 * Byte-granular IO on a block device that only takes whole, aligned blocks: reads the covering
 * blocks into an aligned bounce buffer and copies out; writes whole blocks straight from a bounce
 * copy, and partial blocks at either end by read-modify-write. RMW of one block is serialised by a
 * striped lock so two unaligned writes to different bytes of the same block cannot undo each other.
 */
public final class BlockAligner implements AutoCloseable {
    /** Largest IO sent to a path at once. */
    public static final int MAX_CHUNK = 1 << 20;
    private static final int STRIPES = 256;

    private final MultipathDevice device;
    private final int bs;
    private final BouncePool pool;
    private final ReentrantLock[] rmwLocks = new ReentrantLock[STRIPES];

    public BlockAligner(MultipathDevice device) {
        this.device = device;
        this.bs = device.blockSize();
        // Room for a full chunk plus a partial block at each end.
        this.pool = new BouncePool(MAX_CHUNK + 2 * Math.max(bs, AlignedBuffer.ALIGNMENT), 32);
        for (int i = 0; i < STRIPES; i++) {
            rmwLocks[i] = new ReentrantLock();
        }
    }

    /** Reads up to len bytes at offset into dst; returns the count (short at the end of the device). */
    public int read(long offset, Pointer dst, long dstOff, int len) throws DeviceIoException {
        int n = clip(offset, len);
        int done = 0;
        AlignedBuffer b = pool.take();
        try {
            while (done < n) {
                long pos = offset + done;
                long start = pos - pos % bs;
                int lead = (int) (pos - start);
                int take = Math.min(n - done, MAX_CHUNK - lead);
                int span = roundUp(lead + take);
                device.read(start, b, span);
                b.copyTo(lead, dst, dstOff + done, take);
                done += take;
            }
            return n;
        } finally {
            pool.give(b);
        }
    }

    /**
     * Reads into aligned memory: whole blocks (at most {@link #MAX_CHUNK}) go from the path straight
     * into dst, anything else through a bounce buffer as {@link #read} does.
     */
    public int readInto(long offset, AlignedBuffer dst, int len) throws DeviceIoException {
        int n = clip(offset, len);
        if (n > 0 && wholeBlocks(offset, n, dst)) {
            device.read(offset, dst, n);
            return n;
        }
        return read(offset, dst.pointer(), 0, len);
    }

    /** Writes from aligned memory: whole blocks go to the path as they are, anything else as {@link #write}. */
    public int writeFrom(long offset, AlignedBuffer src, int len) throws DeviceIoException {
        if (len > 0 && offset + len <= device.size() && wholeBlocks(offset, len, src)) {
            device.write(offset, src, len);
            return len;
        }
        return write(offset, src.pointer(), 0, len);
    }

    private boolean wholeBlocks(long offset, int len, AlignedBuffer b) {
        return offset % bs == 0 && len % bs == 0 && len <= MAX_CHUNK && len <= b.capacity();
    }

    /**
     * Writes len bytes from src at offset; returns the count written. As on a block device, a write
     * that crosses the end writes the part that fits (a short count), and one that starts at or
     * past the end fails with ENOSPC.
     */
    public int write(long offset, Pointer src, long srcOff, int len) throws DeviceIoException {
        if (len > 0 && offset >= device.size()) {
            throw new DeviceIoException(Errno.ENOSPC, "write at " + offset + ": at or past the end of the device ("
                    + device.size() + " bytes)");
        }
        len = clip(offset, len);
        int done = 0;
        AlignedBuffer b = pool.take();
        try {
            while (done < len) {
                long pos = offset + done;
                long start = pos - pos % bs;
                int lead = (int) (pos - start);
                int take = Math.min(len - done, MAX_CHUNK - lead);
                int span = roundUp(lead + take);
                boolean partial = lead != 0 || (lead + take) % bs != 0;
                if (!partial) {
                    b.copyFrom(0, src, srcOff + done, take);
                    device.write(start, b, span);
                } else {
                    writePartial(start, lead, take, span, b, src, srcOff + done);
                }
                done += take;
            }
            return len;
        } finally {
            pool.give(b);
        }
    }

    private void writePartial(long start, int lead, int take, int span, AlignedBuffer b, Pointer src, long srcOff)
            throws DeviceIoException {
        long firstBlock = start / bs;
        long lastBlock = (start + span) / bs - 1;
        int s1 = (int) Math.floorMod(firstBlock, (long) STRIPES);
        int s2 = (int) Math.floorMod(lastBlock, (long) STRIPES);
        // Lock in stripe index order so two writers never deadlock (a re-entrant lock taken twice
        // when both ends share a stripe).
        ReentrantLock a = rmwLocks[Math.min(s1, s2)];
        ReentrantLock z = rmwLocks[Math.max(s1, s2)];
        a.lock();
        z.lock();
        try {
            if (span == bs) {
                device.read(start, b, bs);
            } else {
                // Only the edge blocks need their old contents; the middle is overwritten.
                if (lead != 0) {
                    device.read(start, b, bs);
                }
                if ((lead + take) % bs != 0) {
                    readEdge(start + span - bs, b, span - bs);
                }
            }
            b.copyFrom(lead, src, srcOff, take);
            device.write(start, b, span);
        } finally {
            z.unlock();
            a.unlock();
        }
    }

    /** Reads one block into b at bufOff (through a scratch buffer: paths read from a buffer's start). */
    private void readEdge(long pos, AlignedBuffer b, int bufOff) throws DeviceIoException {
        AlignedBuffer scratch = pool.take();
        try {
            device.read(pos, scratch, bs);
            scratch.copyTo(0, b.pointer(), bufOff, bs);
        } finally {
            pool.give(scratch);
        }
    }

    private int clip(long offset, int len) {
        if (offset >= device.size() || len <= 0) {
            return 0;
        }
        return (int) Math.min(len, device.size() - offset);
    }

    private int roundUp(int n) {
        return (n + bs - 1) / bs * bs;
    }

    public void flush() throws DeviceIoException {
        device.flush();
    }

    @Override
    public void close() {
        pool.close();
    }
}
