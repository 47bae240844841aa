package io.mpathfs.control.dst;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathEventListener;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.ScsiChannel;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.util.Optional;

/**
 * One of our sim paths whose SCSI command channel (the one the PR coordinator uses) gives the
 * scheduler a turn just before and just after every command: the moments where, in the daemon,
 * other hosts, path faults and IO threads can come between two of the coordinator's steps.
 * Data IO, probes and identity go to the path directly.
 */
final class InterleavedPath implements DevicePath {
    /** The scheduler's turn; {@code after} is true once the command has run on the target. */
    interface Turn {
        void between(String path, byte[] cdb, boolean after);
    }

    private final SimPath inner;
    private final ScsiChannel channel;

    InterleavedPath(SimPath inner, Turn turn) {
        this.inner = inner;
        ScsiChannel real = inner.scsi().orElseThrow();
        this.channel = (cdb, dir, data, timeout) -> {
            turn.between(inner.name(), cdb, false);
            try {
                return real.execute(cdb, dir, data, timeout);
            } finally {
                turn.between(inner.name(), cdb, true);
            }
        };
    }

    SimPath sim() {
        return inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long sizeBytes() throws PathException {
        return inner.sizeBytes();
    }

    @Override
    public int blockSize() {
        return inner.blockSize();
    }

    @Override
    public void read(long offset, AlignedBuffer buf, int length) throws PathException {
        inner.read(offset, buf, length);
    }

    @Override
    public void write(long offset, AlignedBuffer buf, int length) throws PathException {
        inner.write(offset, buf, length);
    }

    @Override
    public void flush() throws PathException {
        inner.flush();
    }

    @Override
    public void probe() throws PathException {
        inner.probe();
    }

    @Override
    public String identity() throws PathException {
        return inner.identity();
    }

    @Override
    public Optional<ScsiChannel> scsi() {
        return Optional.of(channel);
    }

    @Override
    public void setEventListener(PathEventListener listener) {
        inner.setEventListener(listener);
    }

    @Override
    public void close() {
        inner.close();
    }
}
