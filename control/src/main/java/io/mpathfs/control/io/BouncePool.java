package io.mpathfs.control.io;

import io.mpathfs.nativeshim.AlignedBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Aligned bounce buffers for O_DIRECT, reused across IOs: FUSE buffers are not aligned, and
 * allocating per IO would cost a syscall pair each time. Keeps at most {@code maxIdle} buffers.
 */
public final class BouncePool implements AutoCloseable {
    private final int bufferSize;
    private final int maxIdle;
    private final ConcurrentLinkedDeque<AlignedBuffer> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    public BouncePool(int bufferSize, int maxIdle) {
        this.bufferSize = bufferSize;
        this.maxIdle = maxIdle;
    }

    public int bufferSize() {
        return bufferSize;
    }

    public AlignedBuffer take() {
        AlignedBuffer b = idle.pollFirst();
        if (b != null) {
            idleCount.decrementAndGet();
            return b;
        }
        return AlignedBuffer.allocate(bufferSize);
    }

    public void give(AlignedBuffer b) {
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.addFirst(b);
        } else {
            idleCount.decrementAndGet();
            b.close();
        }
    }

    @Override
    public void close() {
        AlignedBuffer b;
        while ((b = idle.pollFirst()) != null) {
            b.close();
        }
    }
}
