package io.mpathfs.backends.sim;

import java.io.Closeable;
import java.io.IOException;

/** The medium behind the simulated logical unit: byte-addressed, bounds already checked by the LU. */
interface BlockStore extends Closeable {
    void read(long offset, byte[] dst, int dstOff, int len) throws IOException;

    void write(long offset, byte[] src, int srcOff, int len) throws IOException;

    /** Makes written data durable (no-op in memory). */
    void flush() throws IOException;

    @Override
    void close();
}
