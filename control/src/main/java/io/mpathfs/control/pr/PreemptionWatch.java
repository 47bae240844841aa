package io.mpathfs.control.pr;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.scsi.UnitAttentionCode;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Continuous preemption detection — not only at path events: a UNIT ATTENTION 2A/03
 * (reservations preempted), 2A/04 (released), 2A/05 (registrations preempted) or 2A/06 on any path, or a
 * conflict on a path believed registered, queues one check (READ KEYS, then READ RESERVATION) on
 * the coordinator's executor. Checks asked for while one is pending are folded into it.
 */
final class PreemptionWatch {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final MultipathDevice device;
    private final PrState state;
    private final PathRegistrar ops;
    private final HoldingReader holding;
    private final PrExecution exec;
    private final AtomicBoolean checkPending = new AtomicBoolean();

    PreemptionWatch(MultipathDevice device, PrState state, PathRegistrar ops, HoldingReader holding, PrExecution exec) {
        this.device = device;
        this.state = state;
        this.ops = ops;
        this.holding = holding;
        this.exec = exec;
    }

    /**
     * A target port group change (2A/06, 3F/03) triggers the check too: LIO reports only the first
     * pending unit attention of a nexus and clears the rest, so a 2A/03-05 queued behind a group's
     * state change or a port's move is never seen.
     */
    void onUnitAttention(DevicePath path, int asc, int ascq) {
        if (UnitAttentionCode.isReservationChange(asc, ascq) || UnitAttentionCode.isPortGroupChange(asc, ascq)) {
            schedule(String.format("unit attention %02X/%02X on %s", asc, ascq, path.name()));
        }
    }

    void schedule(String why) {
        if (checkPending.compareAndSet(false, true)) {
            LOG.info(device.name() + ": checking for preemption: " + why);
            exec.post(() -> {
                checkPending.set(false);
                try {
                    check();
                } catch (RuntimeException e) {
                    LOG.warning(device.name() + ": preemption check failed: " + e);
                }
            });
        }
    }

    /** READ KEYS / READ RESERVATION: is our key still there, do we still hold what we think? */
    void check() {
        if (state.key() == 0) {
            return;
        }
        // The groups first, when a change made them stale: the check then asks a port that takes PR.
        device.refreshAluaIfStale();
        PathEntry p = ops.anyUsable();
        if (p == null || !ops.verifyKeyCount()) {
            return;
        }
        if (state.holding() != null) {
            PathEntry holder = state.holding().holder();
            holding.refresh(holder != null && holder.usable() && PathRegistrar.takesPr(holder) ? holder : p);
        }
    }
}
