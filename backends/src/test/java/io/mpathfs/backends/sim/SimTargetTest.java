package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.VpdIdentity;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SimTargetTest {
    @Test
    void describeShowsEveryRegistrationTheReservationAndGeneration() {
        try (Sim s = Sim.clean(2)) {
            s.register("A1", 0, 0xa);
            s.register("A2", 0, 0xa);
            s.out("B2", PrOut.register(0, 0xb, true, true));
            s.reserve("A1", 0xa, PrType.WRITE_EXCLUSIVE_REG_ONLY);
            s.out("B1", PrOut.preempt(0xb, 0xa, PrType.EXCLUSIVE_ACCESS)); // preempts A1, A2
            String d = s.t.describe();
            assertTrue(d.startsWith("MPATHFS SIM  naa.6001405"), d);
            assertTrue(d.contains("capacity 67108864 bytes (131072 blocks of 512)  target ports 2"), d);
            assertTrue(d.contains("PRgeneration 0x5  APTPL active"), d);
            assertTrue(d.contains("Reservation: Exclusive Access (exclusive-access)  holder B1 key 0xb"), d);
            assertTrue(d.contains("  B1   port 1  key 0xb                holder  all_tg_pt  iqn.2024-01.io.mpathfs:host-b"),
                    d);
            assertTrue(d.contains("  B2   port 2  key 0xb                        all_tg_pt  iqn.2024-01.io.mpathfs:host-b"),
                    d);
            assertTrue(!d.contains("  A1   port 1"), d);
            assertTrue(d.contains("Pending unit attentions (only the first is reported):\n  A1   2a/05\n  A2   2a/05\n"), d);
            assertTrue(d.contains("  sim:2  A2   online"), d);
        }
    }

    @Test
    void aHostViewHasItsOwnPathsToTheSameLu() throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(1 << 20).targetPorts(2).build())) {
            SimTarget z = t.hostView("z");
            assertEquals("Z", z.host());
            assertEquals(List.of("Z1", "Z2"), z.paths().stream().map(p -> p.nexus().name()).toList());
            assertEquals(List.of("sim:1", "sim:2"), z.paths().stream().map(SimPath::name).toList());
            assertTrue(z.nexus("Z1") == t.nexus("Z1"), "one nexus object whichever view names it");
            PrOut.Request reg = PrOut.register(0, 0x2, false, false);
            ScsiResult r = io.mpathfs.backends.ScsiRetry.execute(z.path(0).nexus(), (asc, ascq) -> { },
                    reg.cdb(), Direction.TO_DEVICE, reg.params(), 5000);
            assertTrue(r.isGood(), r.describe());
            assertTrue(t.describe().contains("  Z1   port 1  key 0x2"), t.describe());
            assertTrue(z.describe().contains("Paths (host Z):\n  sim:1  Z1   online"), z.describe());
            z.path(1).nexus().setOnline(false);
            assertTrue(t.path(1).nexus().online(), "a view's fault is its own nexus's");
            assertEquals("sim:3", z.addPath().name());
            assertEquals(2, t.paths().size(), "a path added by one view is not the other's");
            z.close();
            assertTrue(t.describe().contains("  Z1   port 1  key 0x2"), "closing a view leaves the LU open");
            assertThrows(IllegalArgumentException.class, () -> t.hostView("A"));
            assertThrows(IllegalArgumentException.class, () -> t.hostView("ZZ"));
        }
    }

    @Test
    void namesAndValidation() throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(1 << 20).build())) {
            assertEquals("iqn.2024-01.io.mpathfs:host-c", t.initiatorName("C"));
            assertEquals("C", t.hostOf("iqn.2024-01.io.mpathfs:host-c"));
            assertEquals("B2", t.nexus("b2").name());
            assertTrue(t.nexus("B", 2) == t.nexus("B2"));
            assertEquals("B2", t.shortName(t.nexus("B2").id()));
            assertEquals("other@1", t.shortName(new NexusId("other", 1)));
            assertThrows(IllegalArgumentException.class, () -> t.nexus("B3"));
            assertThrows(IllegalArgumentException.class, () -> t.nexus("BB1"));
            assertThrows(IllegalArgumentException.class, () -> t.initiatorName("1"));
            assertThrows(IllegalArgumentException.class, () -> t.path(2));
        }
        assertThrows(IllegalArgumentException.class, () -> SimConfig.builder().blockSize(1000).build());
        assertThrows(IllegalArgumentException.class, () -> SimConfig.builder().capacityBytes(1000).build());
        assertThrows(IllegalArgumentException.class, () -> SimConfig.builder().targetPorts(0).build());
        assertThrows(IllegalArgumentException.class, () -> SimConfig.builder().unitSerial("has space"));
    }

    @Test
    void inquiryData() {
        try (Sim s = Sim.clean(2)) {
            byte[] std = new byte[96];
            Sim.expectGood(s.run("A1", Cdb.inquiry(false, 0, 96), Direction.FROM_DEVICE, std));
            assertEquals("MPATHFS SIM             0001", new String(std, 8, 28, StandardCharsets.US_ASCII));
            assertEquals(0x10, std[6] & 0x10); // MULTIP: more than one port
            byte[] pages = new byte[16];
            ScsiResult r = s.run("A1", Cdb.inquiry(true, 0, 16), Direction.FROM_DEVICE, pages);
            assertEquals(16 - 7, r.resid());
            assertEquals("00 80 83", String.format("%02x %02x %02x", pages[4], pages[5] & 0xff, pages[6] & 0xff));
            byte[] serial = new byte[64];
            s.run("A2", Cdb.inquiry(true, 0x80, 64), Direction.FROM_DEVICE, serial);
            assertEquals(s.t.config().unitSerial(), VpdIdentity.fromUnitSerial(serial).orElseThrow());
            byte[] id = new byte[255];
            s.run("A2", Cdb.inquiry(true, 0x83, 255), Direction.FROM_DEVICE, id);
            assertEquals(2, VpdIdentity.relativeTargetPort(id).orElseThrow());
            assertEquals(s.t.identity(), VpdIdentity.fromDeviceIdentification(id).orElseThrow());
            byte[] cap = new byte[8];
            s.run("A1", new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, Direction.FROM_DEVICE, cap);
            assertEquals(131071, Cdb.getInt(cap, 0));
            assertEquals(512, Cdb.getInt(cap, 4));
        }
    }

    /** Many nexuses at once: IO, PR changes and reads interleave without corrupting data or state. */
    @Test
    void concurrentUseIsSafe() throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(4).build())) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int path = i;
                jobs.add(pool.submit(() -> {
                    try (AlignedBuffer b = AlignedBuffer.allocate(4096); AlignedBuffer r = AlignedBuffer.allocate(4096)) {
                        byte[] fill = new byte[4096];
                        for (int round = 0; round < 300; round++) {
                            Arrays.fill(fill, (byte) (path * 50 + round % 50));
                            b.put(0, fill, 0, 4096);
                            long off = (path * 1000L + round) * 4096;
                            t.path(path).write(off, b, 4096);
                            t.path((path + 1) % 4).read(off, r, 4096);
                            byte[] back = new byte[4096];
                            r.get(0, back, 0, 4096);
                            if (!Arrays.equals(fill, back)) {
                                throw new AssertionError("data mismatch at " + off);
                            }
                        }
                    }
                    return null;
                }));
            }
            SimNexus b1 = t.nexus("B", 1);
            jobs.add(pool.submit(() -> {
                for (int k = 1; k <= 300; k++) {
                    PrOut.Request reg = PrOut.registerAndIgnore(k, false, false);
                    b1.execute(reg.cdb(), Direction.TO_DEVICE, reg.params(), 1000);
                    byte[] d = new byte[64];
                    b1.execute(Cdb.prIn(0, 64), Direction.FROM_DEVICE, d, 1000);
                }
                return null;
            }));
            for (Future<?> f : jobs) {
                f.get();
            }
            pool.shutdown();
            PrSnapshot s = t.prSnapshot();
            assertEquals(1, s.registrations().size());
            assertEquals(300, s.registrations().get(0).key());
        }
    }
}
