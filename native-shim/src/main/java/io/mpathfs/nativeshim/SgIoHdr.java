package io.mpathfs.nativeshim;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.util.List;

/** struct sg_io_hdr from &lt;scsi/sg.h&gt; (88 bytes on x86_64; SgIoHdrLayoutTest checks it against gcc). */
@Structure.FieldOrder({"interface_id", "dxfer_direction", "cmd_len", "mx_sb_len", "iovec_count", "dxfer_len",
        "dxferp", "cmdp", "sbp", "timeout", "flags", "pack_id", "usr_ptr", "status", "masked_status",
        "msg_status", "sb_len_wr", "host_status", "driver_status", "resid", "duration", "info"})
public class SgIoHdr extends Structure {
    public int interface_id;
    public int dxfer_direction;
    public byte cmd_len;
    public byte mx_sb_len;
    public short iovec_count;
    public int dxfer_len;
    public Pointer dxferp;
    public Pointer cmdp;
    public Pointer sbp;
    public int timeout;
    public int flags;
    public int pack_id;
    public Pointer usr_ptr;
    public byte status;
    public byte masked_status;
    public byte msg_status;
    public byte sb_len_wr;
    public short host_status;
    public short driver_status;
    public int resid;
    public int duration;
    public int info;

    /** Field names in declaration order, for the layout test. */
    public static List<String> fieldNames() {
        return new SgIoHdr().getFieldOrder();
    }

    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
