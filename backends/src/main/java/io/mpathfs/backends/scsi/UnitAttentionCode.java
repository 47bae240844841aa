package io.mpathfs.backends.scsi;

/**
 * The UNIT ATTENTION conditions (ASC/ASCQ) that a target raises and a host acts on: power on, and
 * the 2A/xx family by which a target tells a nexus that another one changed its registrations or
 * reservation.
 */
public final class UnitAttentionCode {
    /** 29/xx: power on, reset or bus device reset occurred. */
    public static final int ASC_POWER_ON = 0x29;
    /** 2A/xx: parameters changed; with the ASCQs below, persistent reservation changes. */
    public static final int ASC_PARAMETERS_CHANGED = 0x2a;
    public static final int RESERVATIONS_PREEMPTED = 0x03;
    public static final int RESERVATIONS_RELEASED = 0x04;
    public static final int REGISTRATIONS_PREEMPTED = 0x05;
    /** 2A/06: asymmetric access state changed (a target port group moved, ALUA). */
    public static final int ASYMMETRIC_ACCESS_CHANGED = 0x06;
    /** 3F/xx: target operating conditions have changed. */
    public static final int ASC_INQUIRY_DATA_CHANGED = 0x3f;
    /** 3F/03: inquiry data has changed (LIO raises it when a port joins another target port group). */
    public static final int INQUIRY_DATA_HAS_CHANGED = 0x03;

    private UnitAttentionCode() {
    }

    /**
     * 2A/06, or 3F/03 (VPD 0x83 names the port's group, so a port that joined another group
     * changes its inquiry data): the target port groups must be read again.
     */
    public static boolean isPortGroupChange(int asc, int ascq) {
        return (asc == ASC_PARAMETERS_CHANGED && ascq == ASYMMETRIC_ACCESS_CHANGED)
                || (asc == ASC_INQUIRY_DATA_CHANGED && ascq == INQUIRY_DATA_HAS_CHANGED);
    }

    /** 2A/03, 2A/04 or 2A/05: another nexus preempted or released what this one registered or held. */
    public static boolean isReservationChange(int asc, int ascq) {
        return asc == ASC_PARAMETERS_CHANGED
                && (ascq == RESERVATIONS_PREEMPTED || ascq == RESERVATIONS_RELEASED || ascq == REGISTRATIONS_PREEMPTED);
    }
}
