package io.mpathfs.backends.sim;

import io.mpathfs.backends.pr.PrOutAction;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.TargetPortGroups;

/**
 * Does a command conflict with the persistent reservation? LIO's answer
 * (core_scsi3_pr_seq_non_holder, from spc4r17 table 45), which SPC-4 differs from in a few places:
 * <ul>
 * <li>only the holder's own I_T nexus is "the holder"; for the all-registrants types the other
 * registrants pass because they are registered;</li>
 * <li>for commands not listed, the data direction decides: under a write-exclusive type an
 * unregistered nexus may do anything that does not send data to the device — so a SYNCHRONIZE CACHE
 * (no data) passes — while a registered non-holder under plain Write Exclusive may only read (its
 * SYNCHRONIZE CACHE conflicts);</li>
 * <li>READ CAPACITY is not on LIO's allow-list: under Exclusive Access it conflicts for non-holders.</li>
 * </ul>
 */
final class ReservationCheck {
    private static final int REQUEST_SENSE = 0x03;

    private ReservationCheck() {
    }

    static boolean conflicts(TargetReservations s, NexusId n, byte[] cdb, Direction dir) {
        if (!s.reserved() || s.holder().nexus.equals(n)) {
            return false;
        }
        PrType type = s.type();
        boolean registered = s.isRegistered(n);
        int op = cdb[0] & 0xff;
        switch (op) {
            case Cdb.TEST_UNIT_READY, Cdb.INQUIRY, Cdb.REPORT_LUNS, REQUEST_SENSE, Cdb.PERSISTENT_RESERVE_IN:
                return false;
            case TargetPortGroups.MAINTENANCE_IN:
                if ((cdb[1] & 0x1f) == TargetPortGroups.SA_TARGET_PORT_GROUPS) {
                    return false; // REPORT TARGET PORT GROUPS is allowed under every reservation
                }
                break;
            case Cdb.PERSISTENT_RESERVE_OUT:
                PrOutAction a = PrOutAction.of(cdb[1] & 0x1f).orElse(null);
                if (a == null) {
                    // LIO's check returns -EINVAL for an unknown service action, which counts as a conflict:
                    // only the holder gets as far as INVALID FIELD IN CDB.
                    return true;
                }
                if (a == PrOutAction.REGISTER || a == PrOutAction.REGISTER_AND_IGNORE_EXISTING_KEY) {
                    return false;
                }
                if (registered && a != PrOutAction.RESERVE && a != PrOutAction.REGISTER_AND_MOVE) {
                    return false; // CLEAR, RELEASE, PREEMPT (AND ABORT) from a registered nexus
                }
                break; // LIO runs the refused ones through the general rules below, which may still pass them
            default:
                break;
        }
        // Not on the allow-list: decided by type, registration and data direction.
        if (type.writeExclusive() && !registered) {
            return dir == Direction.TO_DEVICE;
        }
        if (type.registrantsOnly() || type.allRegistrants()) {
            return !registered;
        }
        if (type.writeExclusive()) {
            return dir != Direction.FROM_DEVICE; // plain WE, registered non-holder: reads only
        }
        return true; // Exclusive Access: nothing for non-holders
    }
}
