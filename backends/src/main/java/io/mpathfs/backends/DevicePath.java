package io.mpathfs.backends;

import io.mpathfs.nativeshim.AlignedBuffer;
import java.io.Closeable;
import java.util.Optional;

/**
 * One way to reach the logical unit: a file path, a SCSI device path (/dev/sdX) or one I_T nexus
 * of the embedded target. The multipath layer cannot tell them apart; every failure arrives as a
 * classified {@link PathException}.
 */
public interface DevicePath extends Closeable {
    /** Stable name used in ctl/paths and commands: "/dev/loop0", "/dev/sdb", "sim:1". */
    String name();

    /** Capacity of the LU in bytes. */
    long sizeBytes() throws PathException;

    /** Logical block size; offsets and lengths given to read/write are multiples of it. */
    int blockSize();

    /** Reads length bytes at offset into buf (from its start). Aligned offset and length. */
    void read(long offset, AlignedBuffer buf, int length) throws PathException;

    /** Writes length bytes from buf (from its start) at offset. Aligned offset and length. */
    void write(long offset, AlignedBuffer buf, int length) throws PathException;

    /** Makes written data durable (fdatasync / SYNCHRONIZE CACHE). */
    void flush() throws PathException;

    /** Health probe for the path checker: TEST UNIT READY, or a 4 KiB direct read for file paths. */
    void probe() throws PathException;

    /**
     * Identity of the logical unit behind the path: VPD 0x83 designator (else 0x80 serial) for
     * SCSI, the backing file for file paths. Paths of one device must all report the same.
     */
    String identity() throws PathException;

    /** The SCSI command channel, for PR; empty for backends without one (file paths). */
    Optional<ScsiChannel> scsi();

    /**
     * The initiator port this path's I_T nexus leaves from, as the target names it in a
     * TransportID (iSCSI: "iqn…,i,0x&lt;ISID&gt;"), when the path can tell; it tells READ FULL
     * STATUS's registrations of this nexus from those of another nexus through the same target port.
     */
    default Optional<String> initiatorPort() {
        return Optional.empty();
    }

    /** Who hears of UNIT ATTENTIONs seen on this path (the PR coordinator needs 2A/xx). */
    default void setEventListener(PathEventListener listener) {
    }

    @Override
    void close();
}
