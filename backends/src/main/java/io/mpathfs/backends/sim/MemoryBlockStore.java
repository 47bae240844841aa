package io.mpathfs.backends.sim;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Sparse in-memory medium: 64 KiB chunks allocated on first write, so a 1 GiB demo LU costs only
 * what was written. Unwritten ranges read as zeros, like a fresh thin-provisioned LU.
 */
final class MemoryBlockStore implements BlockStore {
    static final int CHUNK = 64 * 1024;

    private final ConcurrentHashMap<Long, byte[]> chunks = new ConcurrentHashMap<>();

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) {
        while (len > 0) {
            long index = offset / CHUNK;
            int in = (int) (offset % CHUNK);
            int n = Math.min(len, CHUNK - in);
            byte[] chunk = chunks.get(index);
            if (chunk == null) {
                java.util.Arrays.fill(dst, dstOff, dstOff + n, (byte) 0);
            } else {
                System.arraycopy(chunk, in, dst, dstOff, n);
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
            byte[] chunk = chunks.computeIfAbsent(index, i -> new byte[CHUNK]);
            System.arraycopy(src, srcOff, chunk, in, n);
            offset += n;
            srcOff += n;
            len -= n;
        }
    }

    /** Bytes of heap holding data: what the sparseness saves is visible in tests. */
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
