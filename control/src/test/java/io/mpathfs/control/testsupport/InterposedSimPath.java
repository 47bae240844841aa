package io.mpathfs.control.testsupport;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathEventListener;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.util.Optional;

/**
 * An embedded-target path whose SCSI command channel (the one the PR coordinator uses) runs
 * through {@link #interpose}: the tests' way to act between two of the coordinator's commands.
 * Data IO, probes and identity go to the path directly.
 */
public abstract class InterposedSimPath implements DevicePath {
    private final SimPath inner;
    private final ScsiChannel channel;

    protected InterposedSimPath(SimPath inner) {
        this.inner = inner;
        ScsiChannel real = inner.scsi().orElseThrow();
        this.channel = (cdb, dir, data, timeout) -> interpose(real, cdb, dir, data, timeout);
    }

    /** Sends the command on real (or not), with whatever the test needs around it. */
    protected abstract ScsiResult interpose(ScsiChannel real, byte[] cdb, Direction dir, byte[] data, int timeoutMs)
            throws PathException;

    public SimPath sim() {
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
