package io.mpathfs.backends.scenario;

import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.SenseKey;

/**
 * Brings the LU to a clean PR state with SCSI commands only, so it works on LIO as on the sim:
 * drain unit attentions on every nexus (TEST UNIT READY until GOOD); REGISTER AND IGNORE EXISTING KEY
 * a cleanup key on the first nexus (allowed whatever the reservation; retried with ALL_TG_PT when
 * that nexus holds an ALL_TG_PT registration, which LIO will not change otherwise) and CLEAR with it
 * — which also ends APTPL; drain the RESERVATIONS PREEMPTED unit attentions CLEAR gave; verify.
 */
final class LuCleaner {
    static final long CLEANUP_KEY = 0x5c1ea00000000001L;

    private LuCleaner() {
    }

    static void clean(Exchange x) throws Exchange.StepFailed {
        x.drainAll();
        String n0 = x.channels().keySet().iterator().next();
        ScsiResult r = x.out(n0, PrOut.registerAndIgnore(CLEANUP_KEY, false, false));
        if (r.isCheckCondition() && r.senseKey() == SenseKey.ILLEGAL_REQUEST && r.asc() == 0x24) {
            r = x.out(n0, PrOut.registerAndIgnore(CLEANUP_KEY, false, true));
        }
        if (!r.isGood()) {
            throw new Exchange.StepFailed("cleanup: " + n0 + " REGISTER AND IGNORE EXISTING KEY answered "
                    + r.describe());
        }
        r = x.out(n0, PrOut.clear(CLEANUP_KEY));
        if (!r.isGood()) {
            throw new Exchange.StepFailed("cleanup: " + n0 + " CLEAR answered " + r.describe());
        }
        x.drainAll();
        ReadKeysData keys = ReadKeysData.decode(x.prIn(n0, PrInAction.READ_KEYS));
        ReadReservationData res = ReadReservationData.decode(x.prIn(n0, PrInAction.READ_RESERVATION));
        if (!keys.keys().isEmpty() || res.reserved()) {
            throw new Exchange.StepFailed("cleanup: still registered or reserved after CLEAR: keys "
                    + keys.keys() + ", reservation " + res.describe());
        }
    }
}
