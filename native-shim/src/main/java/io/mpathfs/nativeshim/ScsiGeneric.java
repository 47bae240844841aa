package io.mpathfs.nativeshim;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * SG_IO through JNA: runs one CDB on a /dev/sdX or /dev/sgN file descriptor. Returns what the
 * kernel says (status, host/driver status, sense, residual); an ioctl that fails (not a SCSI
 * device, device gone) raises a {@link NativeException} with its errno.
 */
public final class ScsiGeneric {
    public static final int SG_IO = 0x2285;
    public static final int SG_DXFER_NONE = -1, SG_DXFER_TO_DEV = -2, SG_DXFER_FROM_DEV = -3;
    public static final int SENSE_MAX = 32;

    interface CLib extends Library {
        int ioctl(int fd, long request, SgIoHdr hdr);
    }

    private static final CLib C = Native.load("c", CLib.class);

    /** What SG_IO reported for one command. */
    public record Result(int status, int maskedStatus, int hostStatus, int driverStatus, byte[] sense,
                         int resid, int durationMs, int info) {
    }

    private ScsiGeneric() {
    }

    /**
     * @param dxferDirection {@link #SG_DXFER_NONE}, {@link #SG_DXFER_TO_DEV} or {@link #SG_DXFER_FROM_DEV}
     * @param data for TO_DEV the bytes sent; for FROM_DEV filled with what came back (its length is
     *             the allocation length); null for NONE
     */
    public static Result execute(int fd, String name, byte[] cdb, int dxferDirection, byte[] data, int timeoutMs)
            throws NativeException {
        SgIoHdr h = new SgIoHdr();
        h.interface_id = 'S';
        Memory cdbMem = new Memory(cdb.length);
        cdbMem.write(0, cdb, 0, cdb.length);
        Memory senseMem = new Memory(SENSE_MAX);
        senseMem.clear();
        Memory dataMem = null;
        int len = data == null ? 0 : data.length;
        if (dxferDirection != SG_DXFER_NONE && len > 0) {
            dataMem = new Memory(len);
            if (dxferDirection == SG_DXFER_TO_DEV) {
                dataMem.write(0, data, 0, len);
            } else {
                dataMem.clear();
            }
        }
        h.dxfer_direction = dataMem == null ? SG_DXFER_NONE : dxferDirection;
        h.cmd_len = (byte) cdb.length;
        h.mx_sb_len = (byte) SENSE_MAX;
        h.dxfer_len = dataMem == null ? 0 : len;
        h.dxferp = dataMem;
        h.cmdp = cdbMem;
        h.sbp = senseMem;
        h.timeout = timeoutMs;
        h.write();
        int rc = C.ioctl(fd, SG_IO, h);
        if (rc < 0) {
            throw new NativeException("SG_IO", name, Native.getLastError());
        }
        h.read();
        if (dataMem != null && dxferDirection == SG_DXFER_FROM_DEV) {
            dataMem.read(0, data, 0, len);
        }
        int senseLen = Byte.toUnsignedInt(h.sb_len_wr);
        byte[] sense = senseMem.getByteArray(0, Math.min(senseLen, SENSE_MAX));
        return new Result(Byte.toUnsignedInt(h.status), Byte.toUnsignedInt(h.masked_status),
                Short.toUnsignedInt(h.host_status), Short.toUnsignedInt(h.driver_status), sense, h.resid,
                h.duration, h.info);
    }

}
