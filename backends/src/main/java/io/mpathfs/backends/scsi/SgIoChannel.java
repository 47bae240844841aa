package io.mpathfs.backends.scsi;

import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import io.mpathfs.nativeshim.ScsiGeneric;
import io.mpathfs.nativeshim.ScsiGeneric.Direction;

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
            ScsiGeneric.Result r = ScsiGeneric.execute(file.fd(), file.path(), cdb, dir, data, timeoutMs);
            return new ScsiResult(r.status(), r.hostStatus(), r.driverStatus(), r.sense(), r.resid());
        } catch (NativeException e) {
            // The ioctl itself failed: no SCSI device, device removed, out of memory. Not a SCSI answer.
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, e.getMessage(), null, e);
        }
    }
}
