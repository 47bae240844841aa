package io.mpathfs.backends.pr;

import java.util.EnumSet;
import java.util.Set;

/**
 * PERSISTENT RESERVE IN / REPORT CAPABILITIES data (8 bytes).
 *
 * @param crh           compatible reservation handling (SPC-2 RESERVE/RELEASE vs PR)
 * @param sipC          SPEC_I_PT supported
 * @param atpC          ALL_TG_PT supported
 * @param ptplC         persistence through power loss (APTPL) supported
 * @param tmv           the type mask is valid
 * @param allowCommands the ALLOW COMMANDS field (0..7)
 * @param ptplA         APTPL is active now
 * @param types         the reservation types the device supports (meaningful when tmv)
 */
public record CapabilitiesData(boolean crh, boolean sipC, boolean atpC, boolean ptplC, boolean tmv,
                               int allowCommands, boolean ptplA, Set<PrType> types) {
    public CapabilitiesData {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    public byte[] encode() {
        byte[] b = new byte[8];
        b[1] = 8;
        b[2] = (byte) ((crh ? 0x10 : 0) | (sipC ? 0x08 : 0) | (atpC ? 0x04 : 0) | (ptplC ? 0x01 : 0));
        b[3] = (byte) ((tmv ? 0x80 : 0) | ((allowCommands & 0x7) << 4) | (ptplA ? 0x01 : 0));
        int mask = typeMask(types);
        b[4] = (byte) (mask >> 8);
        b[5] = (byte) mask;
        return b;
    }

    /** @throws IllegalArgumentException when shorter than 6 bytes */
    public static CapabilitiesData decode(byte[] data) {
        if (data == null || data.length < 6) {
            throw new IllegalArgumentException("REPORT CAPABILITIES data shorter than 6 bytes");
        }
        int mask = ((data[4] & 0xff) << 8) | (data[5] & 0xff);
        return new CapabilitiesData((data[2] & 0x10) != 0, (data[2] & 0x08) != 0, (data[2] & 0x04) != 0,
                (data[2] & 0x01) != 0, (data[3] & 0x80) != 0, (data[3] >> 4) & 0x7, (data[3] & 0x01) != 0,
                typesOf(mask));
    }

    /**
     * PERSISTENT RESERVATION TYPE MASK (bytes 4-5 as one big-endian value): byte 4 bit 7 WR_EX_AR,
     * 6 EX_AC_RO, 5 WR_EX_RO, 3 EX_AC, 1 WR_EX; byte 5 bit 0 EX_AC_AR.
     */
    static int maskBit(PrType t) {
        return switch (t) {
            case WRITE_EXCLUSIVE_ALL_REGS -> 0x8000;
            case EXCLUSIVE_ACCESS_REG_ONLY -> 0x4000;
            case WRITE_EXCLUSIVE_REG_ONLY -> 0x2000;
            case EXCLUSIVE_ACCESS -> 0x0800;
            case WRITE_EXCLUSIVE -> 0x0200;
            case EXCLUSIVE_ACCESS_ALL_REGS -> 0x0001;
        };
    }

    static int typeMask(Set<PrType> types) {
        int m = 0;
        for (PrType t : types) {
            m |= maskBit(t);
        }
        return m;
    }

    static Set<PrType> typesOf(int mask) {
        EnumSet<PrType> s = EnumSet.noneOf(PrType.class);
        for (PrType t : PrType.values()) {
            if ((mask & maskBit(t)) != 0) {
                s.add(t);
            }
        }
        return s;
    }
}
