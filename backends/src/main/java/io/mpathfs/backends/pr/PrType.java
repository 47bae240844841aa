package io.mpathfs.backends.pr;

import java.util.Locale;
import java.util.Optional;

/**
 * The six persistent reservation types, with every name the outside world uses for them: the SCSI
 * TYPE code (PR OUT CDB byte 2, READ RESERVATION byte 21), the util-linux blkpr name, the Linux
 * {@code enum pr_type} value of the block-layer PR ioctls, and sg_persist's description text.
 */
public enum PrType {
    WRITE_EXCLUSIVE(1, "write-exclusive", 1, "Write Exclusive"),
    EXCLUSIVE_ACCESS(3, "exclusive-access", 2, "Exclusive Access"),
    WRITE_EXCLUSIVE_REG_ONLY(5, "write-exclusive-reg-only", 3, "Write Exclusive, registrants only"),
    EXCLUSIVE_ACCESS_REG_ONLY(6, "exclusive-access-reg-only", 4, "Exclusive Access, registrants only"),
    WRITE_EXCLUSIVE_ALL_REGS(7, "write-exclusive-all-regs", 5, "Write Exclusive, all registrants"),
    EXCLUSIVE_ACCESS_ALL_REGS(8, "exclusive-access-all-regs", 6, "Exclusive Access, all registrants");

    private final int scsiCode;
    private final String blkprName;
    private final int linuxType;
    private final String description;

    PrType(int scsiCode, String blkprName, int linuxType, String description) {
        this.scsiCode = scsiCode;
        this.blkprName = blkprName;
        this.linuxType = linuxType;
        this.description = description;
    }

    /** TYPE field value in PR OUT / PR IN data: 1, 3, 5, 6, 7 or 8. */
    public int scsiCode() {
        return scsiCode;
    }

    /** The name blkpr and the ctl/pr file use: "write-exclusive-reg-only". */
    public String blkprName() {
        return blkprName;
    }

    /** Value of the Linux {@code enum pr_type} (include/uapi/linux/pr.h), 1..6. */
    public int linuxType() {
        return linuxType;
    }

    /** sg_persist / mpathpersist wording: "Write Exclusive, registrants only". */
    public String description() {
        return description;
    }

    /** WE and EA: exactly one I_T nexus holds the reservation. */
    public boolean singleHolder() {
        return this == WRITE_EXCLUSIVE || this == EXCLUSIVE_ACCESS;
    }

    /** WE-RO and EA-RO: one holder, but every registered I_T nexus gets access. */
    public boolean registrantsOnly() {
        return this == WRITE_EXCLUSIVE_REG_ONLY || this == EXCLUSIVE_ACCESS_REG_ONLY;
    }

    /** WE-AR and EA-AR: every registered I_T nexus is a reservation holder. */
    public boolean allRegistrants() {
        return this == WRITE_EXCLUSIVE_ALL_REGS || this == EXCLUSIVE_ACCESS_ALL_REGS;
    }

    /** The write-exclusive family: those without access may still read. */
    public boolean writeExclusive() {
        return this == WRITE_EXCLUSIVE || this == WRITE_EXCLUSIVE_REG_ONLY || this == WRITE_EXCLUSIVE_ALL_REGS;
    }

    public static Optional<PrType> fromScsiCode(int code) {
        for (PrType t : values()) {
            if (t.scsiCode == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** By blkpr name, case-insensitive. */
    public static Optional<PrType> fromBlkprName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (PrType t : values()) {
            if (t.blkprName.equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static Optional<PrType> fromLinuxType(int value) {
        for (PrType t : values()) {
            if (t.linuxType == value) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** sg_persist's text for any TYPE code, including the obsolete and reserved ones. */
    public static String describeScsiCode(int code) {
        return fromScsiCode(code).map(PrType::description)
                .orElse((code == 0 || code == 2 || code == 4 ? "obsolete [" : "reserved [") + code + "]");
    }

    /** "write-exclusive, exclusive-access, ..." for error messages. */
    public static String blkprNames() {
        StringBuilder b = new StringBuilder();
        for (PrType t : values()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(t.blkprName);
        }
        return b.toString();
    }
}
