package io.mpathfs.backends.scsidevice;

import io.mpathfs.backends.DataDescriptor;
import io.mpathfs.backends.DescriptorPath;
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
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import java.util.Optional;

/**
 * A SCSI device path (/dev/sdX): data through O_DIRECT pread/pwrite on the block node, commands
 * through SG_IO on a second descriptor of the same node. Every failure is classified by
 * {@link ErrorClassifier}. UNIT ATTENTIONs met by the path's own commands (probe, identity) are
 * reported to the listener; those of commands sent through {@link #scsi()} are their sender's to
 * report (the data path's are handled by the kernel's sd, which then returns EBADE on a conflict).
 *
 * <p>A node that vanished (ENODEV/ENXIO) leaves its descriptors dead for good; the checker's probe
 * reopens both by name, as a path that returns under the same name ({@link DataDescriptor}).
 */
public final class ScsiDevicePath extends DescriptorPath {
    private volatile SgIoChannel commands;
    private volatile PathEventListener listener;
    /** The SG_IO channel in use now (a reopen replaces it). */
    private final ScsiChannel current = (cdb, dir, buf, timeoutMs) -> commands.execute(cdb, dir, buf, timeoutMs);

    private ScsiDevicePath(String name, NativeFile data, SgIoChannel commands, long size, int blockSize) {
        super(name, data, size, blockSize);
        this.commands = commands;
    }

    public static ScsiDevicePath open(String device) throws PathException {
        NativeFile d = DataDescriptor.openDirect(device);
        try {
            if (!d.stat().isBlockDevice()) {
                throw new PathException(ErrorClass.TARGET_ERROR, Errno.EINVAL, device + " is not a block device");
            }
            SgIoChannel c = SgIoChannel.open(device);
            return new ScsiDevicePath(device, d, c, d.size(), Math.max(512, d.logicalBlockSize()));
        } catch (NativeException e) {
            d.close();
            throw ErrorClassifier.fromNative(device, e);
        } catch (PathException e) {
            d.close();
            throw e;
        }
    }

    /** Whether a node answers SG_IO INQUIRY (used to pick this backend over a plain file path). */
    public static boolean answersScsi(String device) {
        try {
            SgIoChannel c = SgIoChannel.open(device);
            try {
                byte[] inq = new byte[36];
                return c.execute(Cdb.inquiry(false, 0, 36), Direction.FROM_DEVICE, inq, 5000).isGood();
            } finally {
                c.file().close();
            }
        } catch (PathException e) {
            return false;
        }
    }

    /** TEST UNIT READY (UNIT ATTENTIONs retried and reported); reopens a vanished node first. */
    @Override
    public void probe() throws PathException {
        ScsiResult r;
        try {
            r = ScsiRetry.execute(commands, this::reportUnitAttention, Cdb.testUnitReady(), Direction.NONE, null,
                    ScsiChannel.DEFAULT_TIMEOUT_MS);
        } catch (PathException transport) {
            reopen(transport);
            r = ScsiRetry.execute(commands, this::reportUnitAttention, Cdb.testUnitReady(), Direction.NONE, null,
                    ScsiChannel.DEFAULT_TIMEOUT_MS);
        }
        if (!r.isGood() && ErrorClassifier.ofScsi(r) != null) {
            ErrorClass c = ErrorClassifier.ofScsi(r);
            if (c == ErrorClass.PATH_FAILURE || c == ErrorClass.RETRY) {
                throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, "TEST UNIT READY on " + name() + ": "
                        + r.describe(), r, null);
            }
            // A reservation conflict or a target error on TUR: the path answers, so it works.
        }
    }

    /** Reopens the SG_IO descriptor and the data descriptor of a node that came back. */
    private synchronized void reopen(PathException cause) throws PathException {
        SgIoChannel c;
        try {
            c = SgIoChannel.open(name());
        } catch (PathException e) {
            throw cause;
        }
        try {
            data.reopen(cause);
        } catch (PathException e) {
            c.file().close();
            throw e;
        }
        data.retire(commands.file());
        commands = c;
    }

    /**
     * INQUIRY VPD 0x83 (else 0x80), re-issued with the page's own length when truncated. A path
     * that is down answers with the page the kernel read when it found the disk (sysfs), as
     * multipath names a path by the WWID udev recorded: the node cannot change LU without the
     * kernel finding a new disk, so the device can start with the path failed and take it back
     * when it answers.
     */
    @Override
    public String identity() throws PathException {
        try {
            return identityFromDevice();
        } catch (PathException e) {
            if (!e.isPathFailure()) {
                throw e;
            }
            return PathDiscovery.system().scannedIdentity(name()).orElseThrow(() -> e);
        }
    }

    private String identityFromDevice() throws PathException {
        Optional<String> id = VpdIdentity.fromDeviceIdentification(vpd(0x83));
        if (id.isPresent()) {
            return id.get();
        }
        return VpdIdentity.fromUnitSerial(vpd(0x80)).orElseThrow(() -> new PathException(ErrorClass.TARGET_ERROR,
                Errno.EIO, name() + " reports no device identification (VPD 0x83) and no unit serial (VPD 0x80)"));
    }

    private byte[] vpd(int page) throws PathException {
        int alloc = 255;
        for (int attempt = 0; attempt < 2; attempt++) {
            byte[] buf = new byte[alloc];
            ScsiResult r = ScsiRetry.execute(commands, this::reportUnitAttention, Cdb.inquiry(true, page, alloc),
                    Direction.FROM_DEVICE, buf, ScsiChannel.DEFAULT_TIMEOUT_MS);
            if (!r.isGood()) {
                ErrorClass c = ErrorClassifier.ofScsi(r);
                if (c == ErrorClass.PATH_FAILURE || c == ErrorClass.RETRY) {
                    throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, "INQUIRY on " + name() + ": "
                            + r.describe(), r, null);
                }
                return null;
            }
            int len = 4 + (((buf[2] & 0xff) << 8) | (buf[3] & 0xff));
            if (len <= alloc) {
                return buf;
            }
            alloc = Math.min(len, 0xffff);
        }
        return null;
    }

    @Override
    public Optional<ScsiChannel> scsi() {
        return Optional.of(current);
    }

    /** An iSCSI session's initiator port, from sysfs (asked each time: a new login is a new nexus). */
    @Override
    public Optional<String> initiatorPort() {
        return IscsiInitiatorPort.system().of(name());
    }

    private void reportUnitAttention(int asc, int ascq) {
        PathEventListener l = listener;
        if (l != null) {
            l.unitAttention(this, asc, ascq);
        }
    }

    @Override
    public void setEventListener(PathEventListener listener) {
        this.listener = listener;
    }

    @Override
    public void close() {
        commands.file().close();
        data.close();
    }
}
