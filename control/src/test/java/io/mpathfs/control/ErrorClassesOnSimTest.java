package io.mpathfs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimNexus;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Each error class ends where it should, with real SCSI semantics from the embedded target:
 * transport failure → failover; RESERVATION CONFLICT → EBADE, no path failed; UNIT ATTENTION →
 * retried on the same path and reported; ILLEGAL REQUEST (LBA out of range) → the caller.
 */
class ErrorClassesOnSimTest {

    static MultipathDevice device(SimTarget t) throws Exception {
        return new MultipathDevice("s", new ArrayList<DevicePath>(t.paths()),
                new DeviceConfig("round-robin", Duration.ofMillis(50), NoPathRetry.FAIL));
    }

    static ScsiResult send(SimNexus n, PrOut.Request r) throws Exception {
        ScsiResult res = null;
        for (int i = 0; i < 6; i++) {
            res = n.execute(r.cdb(), Direction.TO_DEVICE, r.params(), 1000);
            if (!res.isUnitAttention()) {
                break;
            }
        }
        return res;
    }

    @Test
    void transportFailureFailsOverAndConflictIsEbadeWithoutFailingAPath() throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(8L << 20).targetPorts(3).build());
             AlignedBuffer b = AlignedBuffer.allocate(4096)) {
            MultipathDevice d = device(t);
            t.path(0).nexus().setOnline(false);
            for (int i = 0; i < 6; i++) {
                d.write(i * 4096L, b, 4096);
            }
            assertEquals(PathState.FAILED, d.find("sim:1").state(), "offline nexus: path failed, IO went elsewhere");
            // Another host takes an exclusive-access reservation: our unregistered nexuses conflict.
            SimNexus b1 = t.nexus("B", 1);
            assertTrue(send(b1, PrOut.register(0, 0xb, false, false)).isGood());
            assertTrue(send(b1, PrOut.reserve(0xb, PrType.EXCLUSIVE_ACCESS)).isGood());
            DeviceIoException e = assertThrows(DeviceIoException.class, () -> d.read(0, b, 4096));
            assertEquals(Errno.EBADE, e.errno());
            assertEquals(PathState.ACTIVE, d.find("sim:2").state());
            assertEquals(PathState.ACTIVE, d.find("sim:3").state());
        }
    }

    @Test
    void unitAttentionIsRetriedOnTheSamePathAndReported() throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(8L << 20).targetPorts(2).build());
             AlignedBuffer b = AlignedBuffer.allocate(4096)) {
            MultipathDevice d = device(t);
            List<String> seen = new CopyOnWriteArrayList<>();
            d.setLifecycle(new PathLifecycle() {
                @Override
                public void unitAttention(PathEntry path, int asc, int ascq) {
                    seen.add(path.name() + String.format(" %02x/%02x", asc, ascq));
                }
            });
            d.setPolicy("failover");
            t.powerCycle(); // every nexus now owes a 29/00 POWER ON OCCURRED
            d.read(0, b, 4096);
            assertEquals(List.of("sim:1 29/00"), seen);
            assertEquals(PathState.ACTIVE, d.find("sim:1").state());
            assertEquals(1, d.find("sim:1").ioCount());
            assertEquals(0, d.find("sim:2").ioCount(), "retried on the same path, not failed over");
        }
    }

    @Test
    void anOutOfRangeReadIsTheCallersErrorAndThePathStays() throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(1L << 20).targetPorts(2).build());
             AlignedBuffer b = AlignedBuffer.allocate(8192)) {
            MultipathDevice d = device(t);
            DeviceIoException e = assertThrows(DeviceIoException.class, () -> d.read((1L << 20) - 4096, b, 8192));
            assertEquals(Errno.EINVAL, e.errno(), e.getMessage());
            assertEquals(PathState.ACTIVE, d.find("sim:1").state());
            assertEquals(PathState.ACTIVE, d.find("sim:2").state());
        }
    }
}
