package io.mpathfs.control.pr;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathEventListener;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.ScsiChannel;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A sim path whose SCSI channel runs a hook once, just before the first command matching a
 * predicate: the way to land another host's command between two of the coordinator's steps.
 */
final class HookedPath implements DevicePath {
    final SimPath inner;
    private final ScsiChannel channel;
    volatile Predicate<byte[]> when = c -> false;
    volatile Runnable hook = () -> { };

    HookedPath(SimPath inner) {
        this.inner = inner;
        ScsiChannel real = inner.scsi().orElseThrow();
        this.channel = (cdb, dir, data, timeout) -> {
            if (when.test(cdb)) {
                Runnable h = hook;
                hook = () -> { };
                when = c -> false;
                h.run();
            }
            return real.execute(cdb, dir, data, timeout);
        };
    }

    static boolean isPrOut(byte[] cdb, int serviceAction) {
        return (cdb[0] & 0xff) == 0x5f && (cdb[1] & 0x1f) == serviceAction;
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
