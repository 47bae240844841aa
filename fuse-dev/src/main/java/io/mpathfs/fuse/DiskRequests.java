package io.mpathfs.fuse;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the kernel cut IO on /disk into FUSE requests: how many reads and writes arrived and the
 * largest of each. Shows what the FUSE binding negotiates (libfuse2: at most 128 KiB a request;
 * libfuse3: 1 MiB), and is logged when the mount ends.
 */
public final class DiskRequests {
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final AtomicLong maxRead = new AtomicLong();
    private final AtomicLong maxWrite = new AtomicLong();

    void read(long size) {
        reads.increment();
        raise(maxRead, size);
    }

    void write(long size) {
        writes.increment();
        raise(maxWrite, size);
    }

    private static void raise(AtomicLong max, long size) {
        long m = max.get();
        while (size > m && !max.compareAndSet(m, size)) {
            m = max.get();
        }
    }

    public long reads() {
        return reads.sum();
    }

    public long writes() {
        return writes.sum();
    }

    public long maxRead() {
        return maxRead.get();
    }

    public long maxWrite() {
        return maxWrite.get();
    }

    @Override
    public String toString() {
        return "reads " + reads() + " (largest " + maxRead() + " bytes), writes " + writes() + " (largest "
                + maxWrite() + " bytes)";
    }
}
