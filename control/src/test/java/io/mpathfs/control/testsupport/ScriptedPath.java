package io.mpathfs.control.testsupport;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.ErrorClassifier;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A memory-backed path whose next failures are scripted by error class, for unit tests of the
 * device's decisions (the embedded target gives the same classes from real SCSI semantics).
 */
public class ScriptedPath implements DevicePath {
    final String name;
    final byte[] data;
    final String identity;
    public final ConcurrentLinkedQueue<ErrorClass> nextErrors = new ConcurrentLinkedQueue<>();
    public volatile ErrorClass always;
    public volatile boolean probeFails;
    public volatile long latencyMs;
    public final AtomicInteger reads = new AtomicInteger();
    public final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();

    public ScriptedPath(String name, byte[] shared, String identity) {
        this.name = name;
        this.data = shared;
        this.identity = identity;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long sizeBytes() throws PathException {
        return data.length;
    }

    @Override
    public int blockSize() {
        return 512;
    }

    private void maybeFail() throws PathException {
        if (latencyMs > 0) {
            try {
                Thread.sleep(latencyMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ErrorClass c = always != null ? always : nextErrors.poll();
        if (c != null) {
            int errno = c == ErrorClass.TARGET_ERROR ? Errno.ENODATA : ErrorClassifier.errnoOf(c);
            throw new PathException(c, errno, name + ": scripted " + c);
        }
    }

    @Override
    public void read(long offset, AlignedBuffer buf, int length) throws PathException {
        maybeFail();
        reads.incrementAndGet();
        synchronized (data) {
            buf.put(0, data, (int) offset, length);
        }
    }

    @Override
    public void write(long offset, AlignedBuffer buf, int length) throws PathException {
        maybeFail();
        writes.incrementAndGet();
        synchronized (data) {
            buf.get(0, data, (int) offset, length);
        }
    }

    @Override
    public void flush() throws PathException {
        maybeFail();
        flushes.incrementAndGet();
    }

    @Override
    public void probe() throws PathException {
        if (probeFails) {
            throw PathException.pathFailure(name + ": probe fails");
        }
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public Optional<ScsiChannel> scsi() {
        return Optional.empty();
    }

    @Override
    public void close() {
    }
}
