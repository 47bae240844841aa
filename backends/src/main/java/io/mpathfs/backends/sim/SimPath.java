package io.mpathfs.backends.sim;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.ErrorClassifier;
import io.mpathfs.backends.PathEventListener;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.ScsiRetry;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.VpdIdentity;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.util.Optional;

/**
 * This host's path to the simulated LU through one I_T nexus ("sim:1" …). Everything goes through
 * CDBs, exactly as a SCSI device path would send them — data as READ(16)/WRITE(16) so reservation
 * conflicts apply, flush as SYNCHRONIZE CACHE(10), probe as TEST UNIT READY, identity from VPD 0x83 —
 * with the midlayer's retries ({@link ScsiRetry}: unit attentions are retried and reported to the
 * listener) and failures classified in the one place that does it ({@link ErrorClassifier}).
 */
public final class SimPath implements DevicePath {
    /** Largest transfer per command: 1 MiB, a common max_sectors_kb. */
    static final int MAX_TRANSFER = 1 << 20;
    private static final int VPD_ALLOC = 255;

    private final String name;
    private final SimNexus nexus;
    private final int blockSize;
    private volatile PathEventListener listener;
    private volatile boolean closed;

    SimPath(String name, SimNexus nexus, int blockSize) {
        this.name = name;
        this.nexus = nexus;
        this.blockSize = blockSize;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * A new handle on the same I_T nexus, as a process that opens the path again gets (a daemon
     * restart): the nexus, and what the LU keeps for it (registration, pending unit attentions),
     * is the target's and outlives every handle.
     */
    public SimPath reopen() {
        return new SimPath(name, nexus, blockSize);
    }

    /** The I_T nexus behind the path, for fault injection (offline, latency). */
    public SimNexus nexus() {
        return nexus;
    }

    @Override
    public long sizeBytes() throws PathException {
        byte[] d = new byte[32];
        command("READ CAPACITY(16)", Cdb.readCapacity16(32), Direction.FROM_DEVICE, d);
        return (Cdb.getLong(d, 0) + 1) * Integer.toUnsignedLong(Cdb.getInt(d, 8));
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public void read(long offset, AlignedBuffer buf, int length) throws PathException {
        checkAligned(offset, length, buf);
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, MAX_TRANSFER);
            byte[] data = new byte[n];
            command("READ(16)", Cdb.read16((offset + done) / blockSize, n / blockSize), Direction.FROM_DEVICE, data);
            buf.put(done, data, 0, n);
            done += n;
        }
    }

    @Override
    public void write(long offset, AlignedBuffer buf, int length) throws PathException {
        checkAligned(offset, length, buf);
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, MAX_TRANSFER);
            byte[] data = new byte[n];
            buf.get(done, data, 0, n);
            command("WRITE(16)", Cdb.write16((offset + done) / blockSize, n / blockSize), Direction.TO_DEVICE, data);
            done += n;
        }
    }

    @Override
    public void flush() throws PathException {
        command("SYNCHRONIZE CACHE(10)", Cdb.synchronizeCache10(), Direction.NONE, null);
    }

    @Override
    public void probe() throws PathException {
        command("TEST UNIT READY", Cdb.testUnitReady(), Direction.NONE, null);
    }

    /** VPD 0x83's LU designator ("naa.6001405…"), else the VPD 0x80 serial. */
    @Override
    public String identity() throws PathException {
        byte[] page = new byte[VPD_ALLOC];
        command("INQUIRY VPD 0x83", Cdb.inquiry(true, VpdIdentity.PAGE_DEVICE_ID, VPD_ALLOC), Direction.FROM_DEVICE, page);
        Optional<String> id = VpdIdentity.fromDeviceIdentification(page);
        if (id.isPresent()) {
            return id.get();
        }
        byte[] serial = new byte[VPD_ALLOC];
        command("INQUIRY VPD 0x80", Cdb.inquiry(true, VpdIdentity.PAGE_UNIT_SERIAL, VPD_ALLOC), Direction.FROM_DEVICE,
                serial);
        return VpdIdentity.fromUnitSerial(serial).orElseThrow(() -> new PathException(ErrorClass.TARGET_ERROR,
                Errno.EIO, name + ": the device reports no identity in VPD 0x83 or 0x80"));
    }

    @Override
    public Optional<ScsiChannel> scsi() {
        return Optional.of(nexus);
    }

    @Override
    public void setEventListener(PathEventListener listener) {
        this.listener = listener;
    }

    /** Closes this host's handle; the nexus itself (the target side) lives on. */
    @Override
    public void close() {
        closed = true;
    }

    private ScsiResult command(String what, byte[] cdb, Direction dir, byte[] data) throws PathException {
        if (closed) {
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EBADF, name + " is closed");
        }
        ScsiResult r = ScsiRetry.execute(nexus, this::reportUnitAttention, cdb, dir, data, ScsiChannel.DEFAULT_TIMEOUT_MS);
        if (ErrorClassifier.ofScsi(r) != null) {
            throw ErrorClassifier.fromScsi(name, what, r);
        }
        return r;
    }

    private void reportUnitAttention(int asc, int ascq) {
        PathEventListener l = listener;
        if (l != null) {
            l.unitAttention(this, asc, ascq);
        }
    }

    private void checkAligned(long offset, int length, AlignedBuffer buf) throws PathException {
        if (offset < 0 || length < 0 || offset % blockSize != 0 || length % blockSize != 0 || length > buf.capacity()) {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EINVAL, name + ": unaligned or oversized IO at "
                    + offset + " length " + length);
        }
    }

    @Override
    public String toString() {
        return name + " -> " + nexus.name();
    }
}
