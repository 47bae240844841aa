package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.pr.CapabilitiesData;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.pr.TransportId;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PERSISTENT RESERVE IN reports, including LIO's behaviour with short allocation lengths. */
class PrInReportsTest {
    private static byte[] prIn(Sim s, int sa, int alloc, int bufferLength) {
        byte[] d = new byte[bufferLength];
        Sim.expectGood(s.run("C1", Cdb.prIn(sa, alloc), Direction.FROM_DEVICE, d));
        return d;
    }

    @Test
    void readKeysKeepsTheFullAdditionalLengthWhenCut() {
        try (Sim s = Sim.clean(2)) {
            s.register("A1", 0, 0xa);
            s.register("A2", 0, 0xa);
            s.register("B1", 0, 0xb);
            byte[] d = prIn(s, 0, 20, 20); // room for one key and a half
            assertEquals(24, Cdb.getInt(d, 4)); // 8 × 3, not what fit
            ReadKeysData k = ReadKeysData.decode(d);
            assertTrue(k.truncated());
            assertEquals(List.of(0xaL), k.keys());
            assertEquals(0, d[19]); // the half key is not sent
            ScsiResult r = s.run("C1", Cdb.prIn(0, 100), Direction.FROM_DEVICE, new byte[100]);
            assertEquals(100 - 32, r.resid());
        }
    }

    @Test
    void readReservationHeaderOnlyWhenTheDescriptorDoesNotFit() {
        try (Sim s = Sim.clean(2)) {
            s.register("A1", 0, 0xa);
            s.reserve("A1", 0xa, PrType.EXCLUSIVE_ACCESS);
            byte[] d = prIn(s, 1, 21, 21);
            assertEquals(16, Cdb.getInt(d, 4));
            assertEquals(0, Cdb.getLong(d, 8)); // LIO leaves the key out
            ReadReservationData full = ReadReservationData.decode(prIn(s, 1, 24, 24));
            assertEquals(0xa, full.key());
            assertEquals(PrType.EXCLUSIVE_ACCESS, full.type().orElseThrow());
        }
    }

    @Test
    void fullStatusNamesEachNexus() {
        try (Sim s = Sim.clean(3)) {
            s.register("A1", 0, 0xa);
            s.out("B2", PrOut.register(0, 0xb, false, true)); // ALL_TG_PT: B1, B2, B3
            s.reserve("A1", 0xa, PrType.WRITE_EXCLUSIVE);
            FullStatusData f = s.fullStatus();
            assertEquals(4, f.descriptors().size());
            FullStatusData.Descriptor a1 = f.descriptors().get(0);
            assertEquals(0xa, a1.key());
            assertTrue(a1.holder());
            assertEquals(1, a1.relativeTargetPort());
            assertEquals("iqn.2024-01.io.mpathfs:host-a", TransportId.describe(a1.transportId()));
            for (FullStatusData.Descriptor b : f.descriptors().subList(1, 4)) {
                assertTrue(b.allTgPt());
                assertFalse(b.holder());
                assertEquals(0, b.relativeTargetPort()); // LIO leaves it out for ALL_TG_PT registrations
            }
            // A short allocation length ends the list; ADDITIONAL LENGTH counts what was sent (LIO).
            byte[] d = prIn(s, 3, 8 + a1.length() + 10, 200);
            FullStatusData cut = FullStatusData.decode(d);
            assertEquals(a1.length(), Cdb.getInt(d, 4));
            assertEquals(1, cut.descriptors().size());
        }
    }

    @Test
    void sasTransportIds() throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(1 << 20)
                .transport(SimConfig.Transport.SAS).build())) {
            String a = t.initiatorName("A");
            assertTrue(TransportId.isSasName(a), a);
            var ch = t.nexus("A", 1);
            ch.execute(Cdb.testUnitReady(), Direction.NONE, null, 1000);
            PrOut.Request r = PrOut.register(0, 0xa, false, false);
            assertTrue(ch.execute(r.cdb(), Direction.TO_DEVICE, r.params(), 1000).isGood());
            byte[] d = new byte[512];
            ch.execute(Cdb.prIn(3, 512), Direction.FROM_DEVICE, d, 1000);
            FullStatusData.Descriptor e = FullStatusData.decode(d).descriptors().get(0);
            assertEquals(24, e.transportId().length);
            assertEquals(TransportId.PROTOCOL_SAS, e.transportId()[0]);
            assertEquals(a, TransportId.describe(e.transportId()));
            assertTrue(t.identity().startsWith("naa.6001405"));
        }
    }

    @Test
    void capabilitiesFollowAptpl() {
        try (Sim s = Sim.clean(1)) {
            CapabilitiesData c = CapabilitiesData.decode(prIn(s, 2, 8, 8));
            assertTrue(c.atpC() && c.ptplC() && c.tmv());
            assertFalse(c.sipC() || c.crh() || c.ptplA());
            assertEquals(6, c.types().size());
            s.out("A1", PrOut.register(0, 0xa, true, false));
            assertTrue(CapabilitiesData.decode(prIn(s, 2, 8, 8)).ptplA());
        }
    }
}
