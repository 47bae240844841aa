package io.mpathfs.backends.scenario;

import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.TransportId;
import io.mpathfs.backends.scsi.ScsiResult;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which READ FULL STATUS descriptor belongs to which named nexus? The runner does not know the
 * initiator TransportIDs of a lab's devices, so it asks the LU: every nexus registers its own
 * throw-away key, one READ FULL STATUS maps keys to (relative target port, TransportID), and a
 * cleanup removes them again. Learned once per runner.
 */
final class NexusIdentities {
    static final long LEARN_BASE = 0x1de0000000000000L;

    /** How READ FULL STATUS names one I_T nexus. */
    record Identity(int relativeTargetPort, byte[] transportId) {
        boolean sameInitiator(FullStatusData.Descriptor d) {
            return Arrays.equals(transportId, d.transportId());
        }

        /**
         * This nexus's descriptor, or (LIO leaves the port of ALL_TG_PT registrations out) an
         * ALL_TG_PT descriptor of the same initiator port without one.
         */
        boolean mayBe(FullStatusData.Descriptor d) {
            return sameInitiator(d) && (d.relativeTargetPort() == relativeTargetPort
                    || (d.allTgPt() && d.relativeTargetPort() == 0));
        }

        @Override
        public String toString() {
            return "port " + relativeTargetPort + " " + TransportId.describe(transportId);
        }
    }

    private NexusIdentities() {
    }

    /** Needs a clean LU; leaves it clean. */
    static Map<String, Identity> learn(Exchange x) throws Exchange.StepFailed {
        Map<Long, String> byKey = new HashMap<>();
        long key = LEARN_BASE;
        String first = null;
        for (String n : x.channels().keySet()) {
            key++;
            ScsiResult r = x.out(n, PrOut.registerAndIgnore(key, false, false));
            if (!r.isGood()) {
                throw new Exchange.StepFailed("learning nexus identities: " + n + " REGISTER answered " + r.describe());
            }
            byKey.put(key, n);
            first = first == null ? n : first;
        }
        FullStatusData f = FullStatusData.decode(x.prIn(first, PrInAction.READ_FULL_STATUS));
        Map<String, Identity> ids = new LinkedHashMap<>();
        for (FullStatusData.Descriptor d : f.descriptors()) {
            String n = byKey.get(d.key());
            if (n != null) {
                ids.put(n, new Identity(d.relativeTargetPort(), d.transportId()));
            }
        }
        LuCleaner.clean(x);
        for (String n : x.channels().keySet()) {
            if (!ids.containsKey(n)) {
                throw new Exchange.StepFailed("learning nexus identities: READ FULL STATUS does not show " + n);
            }
        }
        return ids;
    }
}
