package io.mpathfs.backends.scsidevice;

import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import io.mpathfs.nativeshim.ScsiGeneric;

/** A {@link ScsiChannel} over SG_IO on an open /dev/sdX or /dev/sgN descriptor. */
public final class SgIoChannel implements ScsiChannel {
    private final NativeFile file;

    public SgIoChannel(NativeFile file) {
        this.file = file;
    }

    /** Opens a device node read/write, non-blocking (as sg_persist does), for commands only. */
    public static SgIoChannel open(String device) throws PathException {
        try {
            return new SgIoChannel(NativeFile.open(device, NativeFile.O_RDWR | NativeFile.O_NONBLOCK));
        } catch (NativeException e) {
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, e.getMessage(), null, e);
        }
    }

    public NativeFile file() {
        return file;
    }

    @Override
    public ScsiResult execute(byte[] cdb, Direction dir, byte[] data, int timeoutMs) throws PathException {
        try {
            ScsiGeneric.Result r = ScsiGeneric.execute(file.fd(), file.path(), cdb, dxfer(dir), data, timeoutMs);
            return new ScsiResult(r.status(), r.hostStatus(), r.driverStatus(), r.sense(), r.resid());
        } catch (NativeException e) {
            // The ioctl itself failed: no SCSI device, device removed, out of memory. Not a SCSI answer.
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, e.getMessage(), null, e);
        }
    }

    private static int dxfer(Direction dir) {
        return switch (dir) {
            case NONE -> ScsiGeneric.SG_DXFER_NONE;
            case TO_DEVICE -> ScsiGeneric.SG_DXFER_TO_DEV;
            case FROM_DEVICE -> ScsiGeneric.SG_DXFER_FROM_DEV;
        };
    }
}
