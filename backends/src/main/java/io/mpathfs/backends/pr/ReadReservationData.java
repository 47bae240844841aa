package io.mpathfs.backends.pr;

import io.mpathfs.backends.scsi.Cdb;
import java.util.Optional;

/**
 * PERSISTENT RESERVE IN / READ RESERVATION data. For an all-registrants reservation the key is 0
 * (SPC-4 5.12.10; LIO does the same).
 *
 * @param reserved whether a reservation exists (ADDITIONAL LENGTH 16) or not (0)
 * @param typeCode the raw TYPE field (see {@link #type()}), 0 when not reserved
 * @param scope    the SCOPE field (0 = logical unit)
 */
public record ReadReservationData(int generation, boolean reserved, long key, int scope, int typeCode) {
    public static ReadReservationData none(int generation) {
        return new ReadReservationData(generation, false, 0, 0, 0);
    }

    public static ReadReservationData of(int generation, long key, PrType type) {
        return new ReadReservationData(generation, true, key, 0, type.scsiCode());
    }

    public Optional<PrType> type() {
        return reserved ? PrType.fromScsiCode(typeCode) : Optional.empty();
    }

    public byte[] encode() {
        byte[] b = new byte[reserved ? 24 : 8];
        Cdb.putInt(b, 0, generation);
        if (reserved) {
            Cdb.putInt(b, 4, 16);
            Cdb.putLong(b, 8, key);
            b[21] = (byte) (((scope & 0xf) << 4) | (typeCode & 0xf));
        }
        return b;
    }

    /** @throws IllegalArgumentException when shorter than the header, or reserved but cut before byte 22 */
    public static ReadReservationData decode(byte[] data) {
        if (data == null || data.length < 8) {
            throw new IllegalArgumentException("READ RESERVATION data shorter than its 8-byte header");
        }
        int generation = Cdb.getInt(data, 0);
        int additional = Cdb.getInt(data, 4);
        if (additional == 0) {
            return none(generation);
        }
        if (data.length < 22) {
            throw new IllegalArgumentException("READ RESERVATION data cut short: " + data.length + " bytes");
        }
        return new ReadReservationData(generation, true, Cdb.getLong(data, 8), (data[21] >> 4) & 0xf,
                data[21] & 0xf);
    }

    /** "none" or "0xa Exclusive Access". */
    public String describe() {
        return reserved ? PrKeys.hex(key) + " " + PrType.describeScsiCode(typeCode) : "none";
    }
}
