package io.mpathfs.control.dst;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.sim.PrSnapshot;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The oracle: ONE SCSI device, each host ONE I_T nexus to it (ours included) — what mpathfs must be
 * indistinguishable from. It is the embedded target with a single target port, so its answers are
 * the ones the conformance scenarios hold to LIO's. A copy is made by replaying the history.
 */
final class SingleDevice {
    static final long CAPACITY = 64 * UserOp.BLOCK;

    private final SimTarget target;
    private final List<UserOp> history = new ArrayList<>();
    /** What was written where, for telling worlds apart without reading through a nexus. */
    private final Map<Long, Integer> written = new TreeMap<>();

    private SingleDevice() {
        try {
            target = SimTarget.create(SimConfig.builder().capacityBytes(CAPACITY).targetPorts(1).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SingleDevice fresh() {
        return new SingleDevice();
    }

    SingleDevice copy() {
        SingleDevice c = new SingleDevice();
        for (UserOp op : history) {
            c.apply(op);
        }
        return c;
    }

    UserOp.Outcome apply(UserOp op) {
        history.add(op);
        UserOp.Outcome o;
        try {
            o = op.on(target.nexus(op.host(), 1));
        } catch (PathException e) {
            throw new IllegalStateException("the oracle has no transport to fail: " + e, e);
        }
        if (op instanceof UserOp.IoOp io && io.write() && o.kind() == UserOp.Outcome.Kind.OK) {
            written.put(io.lba(), io.pattern());
        }
        return o;
    }

    /** The host LIO keeps as the holder of an all-registrants reservation; null without one. */
    String allRegistrantsHolderHost() {
        PrSnapshot s = target.prSnapshot();
        return s.type() == null || !s.type().allRegistrants() || s.holder() == null ? null
                : target.hostOf(s.holder().initiator());
    }

    Folded state() {
        return Folded.of(target);
    }

    /** Equal for worlds no observation can tell apart. */
    String identityKey() {
        return state() + " " + written;
    }

    void close() {
        target.close();
    }
}
