package io.mpathfs.control.dst;

import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.sim.NexusId;
import io.mpathfs.backends.sim.PrSnapshot;
import io.mpathfs.backends.sim.SimTarget;
import java.util.Map;
import java.util.TreeMap;

/**
 * The PR state of a logical unit as one initiator per host would see it: each host's key (our
 * many nexuses folded into one), the reservation type and the holder host (none for the
 * all-registrants types, where every registrant holds it).
 */
record Folded(Map<String, Long> keys, PrType type, String holderHost) {
    /** From the oracle: one nexus per host. */
    static Folded of(SimTarget t) {
        PrSnapshot s = t.prSnapshot();
        Map<String, Long> keys = new TreeMap<>();
        for (PrSnapshot.Entry e : s.registrations()) {
            keys.put(t.hostOf(e.nexus().initiator()), e.key());
        }
        return new Folded(keys, s.type(), holder(t, s));
    }

    static String holder(SimTarget t, PrSnapshot s) {
        if (s.type() == null || s.type().allRegistrants() || s.holder() == null) {
            return null;
        }
        NexusId h = s.holder();
        return t.hostOf(h.initiator());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("keys {");
        keys.forEach((h, k) -> b.append(' ').append(h).append('=').append(Long.toHexString(k)));
        b.append(" } reservation ").append(type == null ? "none" : type.blkprName());
        if (holderHost != null) {
            b.append(" held by ").append(holderHost);
        }
        return b.toString();
    }
}
