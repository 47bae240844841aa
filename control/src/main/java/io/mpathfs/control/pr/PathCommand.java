package io.mpathfs.control.pr;

import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.ScsiRetry;
import io.mpathfs.backends.pr.PrIn;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.UnitAttentionListener;
import io.mpathfs.backends.scsi.VpdIdentity;
import io.mpathfs.control.IoHooks;
import io.mpathfs.control.PathEntry;
import io.mpathfs.nativeshim.Errno;
import java.util.Optional;

/**
 * Sends PR commands down one path with the midlayer's retries (UNIT ATTENTION reported to the
 * coordinator's {@link IoHooks}, then retried). A transport failure arrives as
 * {@link PathException}; every SCSI answer, good or not, as a {@link ScsiResult} — except the
 * NOT READY by which a port's target port group refuses PR (unavailable 04/0C, transitioning
 * 04/0A): that is no answer of the LU, which such a port cannot reach, and it arrives as a
 * {@link PathException} too.
 */
final class PathCommand {
    /** Where the unit attentions met by PR commands go: the coordinator's {@link IoHooks#unitAttention}. */
    @FunctionalInterface
    interface UnitAttentionRoute {
        void unitAttention(PathEntry path, int asc, int ascq);
    }

    private final UnitAttentionRoute route;

    PathCommand(UnitAttentionRoute route) {
        this.route = route;
    }

    private UnitAttentionListener reporting(PathEntry p) {
        return (asc, ascq) -> route.unitAttention(p, asc, ascq);
    }

    static boolean hasScsi(PathEntry p) {
        return p.path().scsi().isPresent();
    }

    ScsiResult out(PathEntry p, PrOut.Request r) throws PathException {
        ScsiChannel ch = p.path().scsi().orElseThrow();
        return reachedTheLu(p, ScsiRetry.execute(ch, reporting(p), r.cdb(), Direction.TO_DEVICE, r.params(),
                ScsiChannel.DEFAULT_TIMEOUT_MS));
    }

    /**
     * A nexus whose target port group refuses PR (unavailable, transitioning) is, for PR, a path
     * that is down: its registration can be neither changed nor read until the group takes PR
     * again. Failed like a dead one, it keeps what it had on the LU and is brought in line
     * (registered, or its stale key removed) when it answers, before it carries IO — where
     * the refusal taken for the LU's answer would fail a REGISTER that one device accepts (and
     * undo it on every other path), or leave a usable path with a registration nobody knows.
     */
    private static ScsiResult reachedTheLu(PathEntry p, ScsiResult r) throws PathException {
        Optional<AluaState> refused = AluaState.refusedBy(r);
        if (refused.isPresent() && !refused.get().takesPersistentReserve() && Safeguards.PORT_REFUSING_PR_IS_DOWN.on()) {
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, p.name() + ": target port group "
                    + refused.get().shortName() + ", no PR: " + r.describe(), r, null);
        }
        return r;
    }

    /** A PR IN command; returns the data, or throws {@link PrInFailed} with the SCSI answer. */
    byte[] in(PathEntry p, PrInAction action) throws PathException, PrInFailed {
        ScsiChannel ch = p.path().scsi().orElseThrow();
        byte[] data = new byte[PrIn.defaultAllocation(action)];
        ScsiResult r = reachedTheLu(p, ScsiRetry.execute(ch, reporting(p), PrIn.cdb(action), Direction.FROM_DEVICE,
                data, ScsiChannel.DEFAULT_TIMEOUT_MS));
        if (!r.isGood()) {
            throw new PrInFailed(r);
        }
        return data;
    }

    ReadKeysData readKeys(PathEntry p) throws PathException, PrInFailed {
        return ReadKeysData.decode(in(p, PrInAction.READ_KEYS));
    }

    ReadReservationData readReservation(PathEntry p) throws PathException, PrInFailed {
        return ReadReservationData.decode(in(p, PrInAction.READ_RESERVATION));
    }

    /** The relative target port of the path's I_T nexus (INQUIRY VPD 0x83), if it reports one. */
    Optional<Integer> relativeTargetPort(PathEntry p) throws PathException {
        ScsiChannel ch = p.path().scsi().orElseThrow();
        byte[] page = new byte[512];
        ScsiResult r = ScsiRetry.execute(ch, reporting(p), Cdb.inquiry(true, 0x83, page.length),
                Direction.FROM_DEVICE, page, ScsiChannel.DEFAULT_TIMEOUT_MS);
        return r.isGood() ? VpdIdentity.relativeTargetPort(page) : Optional.empty();
    }

    /** A PR IN that the device refused. */
    static final class PrInFailed extends Exception {
        final ScsiResult result;

        PrInFailed(ScsiResult r) {
            super(r.describe());
            this.result = r;
        }
    }
}
