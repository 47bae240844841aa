package io.mpathfs.control.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimNexus;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.Registration;
import io.mpathfs.control.testsupport.InterposedSimPath;
import io.mpathfs.control.testsupport.TwoHosts;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A path that knows its initiator port (an iSCSI session's name and ISID) is told apart from
 * other nexuses through the same target port when it returns: the case of a session that logged
 * out and in again, whose old ISID keeps a stale registration of our key at the target.
 */
class OwnNexusTest {
    static final long A = 0xa;

    /** An embedded-target path that names its initiator port, as an iSCSI session's path does. */
    static final class KnownInitiatorPath extends InterposedSimPath {
        private final String port;

        KnownInitiatorPath(SimPath inner, String port) {
            super(inner);
            this.port = port;
        }

        @Override
        protected ScsiResult interpose(ScsiChannel real, byte[] cdb, Direction dir, byte[] data, int timeoutMs)
                throws PathException {
            return real.execute(cdb, dir, data, timeoutMs);
        }

        @Override
        public Optional<String> initiatorPort() {
            return Optional.of(port);
        }
    }

    private static void send(SimNexus n, PrOut.Request r) throws PathException {
        ScsiResult res = null;
        for (int i = 0; i < 6; i++) { // the first command on a nexus reports 29/00
            res = n.execute(r.cdb(), Direction.TO_DEVICE, r.params(), 1000);
            if (!res.isUnitAttention()) {
                break;
            }
        }
        assertTrue(res.isGood(), res.describe());
    }

    @Test
    void aReturningPathIsRegisteredWhenOnlyAnotherInitiatorPortThroughItsTargetPortKeptOurKey() throws Exception {
        SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(4).build());
        try (TwoHosts h = new TwoHosts(t, p -> new KnownInitiatorPath(p, t.initiatorName("A")))) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t write-exclusive-reg-only"));
            h.device.adminFail(h.pathName(1));
            // While path 2 is away its nexus becomes a new, unregistered one, and another initiator
            // port through the same target port (an ended session's) carries our key.
            send(t.path(1).nexus(), PrOut.registerAndIgnore(0, false, false));
            send(t.nexus("C", 2), PrOut.registerAndIgnore(A, false, false));
            assertEquals(0, h.keyOn(1));
            h.device.adminReinstate(h.pathName(1));
            assertEquals(A, h.keyOn(1), "path 2's own nexus registered on return, not taken for the other one");
            assertEquals(Registration.YES, h.device.find(h.pathName(1)).registration());
            assertEquals(4, h.ourRegistrations(A));
            for (int i = 0; i < 8; i++) { // round-robin: every path writes under write-exclusive-reg-only
                assertEquals(0, h.io(true, 4096L * i), "write " + i);
            }
            assertEquals(PrType.WRITE_EXCLUSIVE_REG_ONLY, h.snap().reservationType().orElseThrow());
        }
    }
}
