package io.mpathfs.control.testsupport;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.util.Optional;

/** Plain memory-backed paths that insist on aligned IO, as O_DIRECT does. */
public final class TestPaths {
    private TestPaths() {
    }

    public static DevicePath memory(String name, byte[] lu) {
        return new DevicePath() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long sizeBytes() {
                return lu.length;
            }

            @Override
            public int blockSize() {
                return 512;
            }

            private void check(long off, AlignedBuffer b, int len) {
                if (off % 512 != 0 || len % 512 != 0 || b.address() % 512 != 0 || len > b.capacity()) {
                    throw new AssertionError("unaligned IO reached a path: " + off + "+" + len);
                }
            }

            @Override
            public void read(long offset, AlignedBuffer buf, int length) {
                check(offset, buf, length);
                synchronized (lu) {
                    buf.put(0, lu, (int) offset, length);
                }
            }

            @Override
            public void write(long offset, AlignedBuffer buf, int length) {
                check(offset, buf, length);
                synchronized (lu) {
                    buf.get(0, lu, (int) offset, length);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void probe() {
            }

            @Override
            public String identity() {
                return "mem";
            }

            @Override
            public Optional<ScsiChannel> scsi() {
                return Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }
}
