package io.mpathfs.backends.pr;

import io.mpathfs.backends.scsi.Cdb;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * PERSISTENT RESERVE IN / READ FULL STATUS data: one descriptor per registered I_T nexus, naming
 * the nexus by relative target port and initiator TransportID — the only PR IN data that tells
 * which path holds what.
 *
 * @param truncated the device announced more than the buffer held
 */
public record FullStatusData(int generation, List<Descriptor> descriptors, boolean truncated) {
    /**
     * One registration.
     *
     * @param allTgPt            registered with ALL_TG_PT (then relativeTargetPort is not defined)
     * @param holder             R_HOLDER: this I_T nexus holds the reservation (every registrant for
     *                           the all-registrants types)
     * @param typeCode           the TYPE field, meaningful when holder
     * @param relativeTargetPort the target port of the I_T nexus
     * @param transportId        the initiator port's TransportID
     */
    public record Descriptor(long key, boolean allTgPt, boolean holder, int scope, int typeCode,
                             int relativeTargetPort, byte[] transportId) {
        public Descriptor {
            transportId = transportId.clone();
        }

        @Override
        public byte[] transportId() {
            return transportId.clone();
        }

        public Optional<PrType> type() {
            return holder ? PrType.fromScsiCode(typeCode) : Optional.empty();
        }

        /** Descriptor length on the wire: the 24-byte header and the TransportID. */
        public int length() {
            return 24 + transportId.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Descriptor d && d.key == key && d.allTgPt == allTgPt && d.holder == holder
                    && d.scope == scope && d.typeCode == typeCode && d.relativeTargetPort == relativeTargetPort
                    && Arrays.equals(d.transportId, transportId);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(key) * 31 + relativeTargetPort * 7 + Arrays.hashCode(transportId);
        }

        @Override
        public String toString() {
            return PrKeys.hex(key) + " port " + relativeTargetPort + " " + TransportId.describe(transportId)
                    + (allTgPt ? " all_tg_pt" : "") + (holder ? " holder " + PrType.describeScsiCode(typeCode) : "");
        }
    }

    public FullStatusData {
        descriptors = List.copyOf(descriptors);
    }

    public FullStatusData(int generation, List<Descriptor> descriptors) {
        this(generation, descriptors, false);
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int additional = 0;
        for (Descriptor d : descriptors) {
            additional += d.length();
        }
        byte[] head = new byte[8];
        Cdb.putInt(head, 0, generation);
        Cdb.putInt(head, 4, additional);
        out.writeBytes(head);
        for (Descriptor d : descriptors) {
            byte[] h = new byte[24];
            Cdb.putLong(h, 0, d.key);
            h[12] = (byte) ((d.allTgPt ? 0x02 : 0) | (d.holder ? 0x01 : 0));
            h[13] = (byte) (((d.scope & 0xf) << 4) | (d.typeCode & 0xf));
            h[18] = (byte) (d.relativeTargetPort >> 8);
            h[19] = (byte) d.relativeTargetPort;
            Cdb.putInt(h, 20, d.transportId.length);
            out.writeBytes(h);
            out.writeBytes(d.transportId);
        }
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException when shorter than the 8-byte header */
    public static FullStatusData decode(byte[] data) {
        if (data == null || data.length < 8) {
            throw new IllegalArgumentException("READ FULL STATUS data shorter than its 8-byte header");
        }
        int generation = Cdb.getInt(data, 0);
        long additional = Integer.toUnsignedLong(Cdb.getInt(data, 4));
        long end = Math.min(8 + additional, data.length);
        boolean truncated = 8 + additional > data.length;
        List<Descriptor> list = new ArrayList<>();
        int off = 8;
        while (off + 24 <= end) {
            long tidLen = Integer.toUnsignedLong(Cdb.getInt(data, off + 20));
            if (off + 24 + tidLen > end) {
                truncated = true;
                break;
            }
            byte[] tid = Arrays.copyOfRange(data, off + 24, off + 24 + (int) tidLen);
            list.add(new Descriptor(Cdb.getLong(data, off), (data[off + 12] & 0x02) != 0,
                    (data[off + 12] & 0x01) != 0, (data[off + 13] >> 4) & 0xf, data[off + 13] & 0xf,
                    ((data[off + 18] & 0xff) << 8) | (data[off + 19] & 0xff), tid));
            off += 24 + (int) tidLen;
        }
        return new FullStatusData(generation, list, truncated);
    }
}
