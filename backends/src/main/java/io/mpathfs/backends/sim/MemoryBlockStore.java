package io.mpathfs.backends.sim;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Sparse in-memory medium: 64 KiB chunks of native memory allocated on first write, so a 1 GiB demo
 * LU costs only what was written, and costs it outside the Java heap (a heap sized for the daemon
 * must not bound the LU). Unwritten ranges read as zeros, like a fresh thin-provisioned LU. A chunk
 * is freed when its pointer is garbage (jnr-ffi's direct memory), never while a copy may use it.
 */
final class MemoryBlockStore implements BlockStore {
    static final int CHUNK = 64 * 1024;

    private final ConcurrentHashMap<Long, Pointer> chunks = new ConcurrentHashMap<>();
    private final jnr.ffi.provider.MemoryManager memory = Runtime.getSystemRuntime().getMemoryManager();

    /** Whether capacity bytes could all be written: the LU must fit in this machine's memory. */
    static void checkFits(long capacity) {
        long total = SystemMemory.totalBytes();
        if (total > 0 && capacity > total) {
            throw new IllegalArgumentException(String.format("an in-memory LU of %d bytes cannot be held: this "
                    + "machine has %d bytes of memory (use --backing-file FILE for a sparse file instead)",
                    capacity, total));
        }
    }

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) {
        while (len > 0) {
            long index = offset / CHUNK;
            int in = (int) (offset % CHUNK);
            int n = Math.min(len, CHUNK - in);
            Pointer chunk = chunks.get(index);
            if (chunk == null) {
                Arrays.fill(dst, dstOff, dstOff + n, (byte) 0);
            } else {
                chunk.get(in, dst, dstOff, n);
            }
            offset += n;
            dstOff += n;
            len -= n;
        }
    }

    @Override
    public void write(long offset, byte[] src, int srcOff, int len) {
        while (len > 0) {
            long index = offset / CHUNK;
            int in = (int) (offset % CHUNK);
            int n = Math.min(len, CHUNK - in);
            Pointer chunk = chunks.computeIfAbsent(index, i -> memory.allocateDirect(CHUNK, true));
            chunk.put(in, src, srcOff, n);
            offset += n;
            srcOff += n;
            len -= n;
        }
    }

    /** Bytes of memory holding data: what the sparseness saves is visible in tests. */
    long allocatedBytes() {
        return (long) chunks.size() * CHUNK;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        chunks.clear();
    }
}
