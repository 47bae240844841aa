package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.SenseKey;
import io.mpathfs.backends.scsi.TargetPortGroups;
import io.mpathfs.backends.scsi.VpdIdentity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The embedded target's ALUA: INQUIRY TPGS, VPD 0x83 port designators, RTPG, STPG and ctl/sim. */
class PortGroupsTest {
    private static SimTarget target(int tpgs) throws Exception {
        SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(4).tpgs(tpgs).build());
        for (int p = 1; p <= 4; p++) {
            drain(t, "A" + p);
            drain(t, "B" + p);
        }
        return t;
    }

    /** Clears pending unit attentions (INQUIRY does not report them; REQUEST SENSE does, in every state). */
    private static void drain(SimTarget t, String n) throws PathException {
        for (int i = 0; i < 4; i++) {
            t.nexus(n).execute(new byte[] {0x03, 0, 0, 0, 18, 0}, Direction.FROM_DEVICE, new byte[18], 1000);
        }
    }

    private static ScsiResult run(SimTarget t, String n, byte[] cdb, Direction d, byte[] data) throws PathException {
        return t.nexus(n).execute(cdb, d, data, 1000);
    }

    private static List<TargetPortGroups.Group> rtpg(SimTarget t, String n) throws PathException {
        byte[] data = new byte[512];
        ScsiResult r = run(t, n, TargetPortGroups.reportCdb(data.length), Direction.FROM_DEVICE, data);
        assertTrue(r.isGood(), r.describe());
        return TargetPortGroups.decode(data);
    }

    private static boolean notReady(ScsiResult r, int ascq) {
        return r.isCheckCondition() && r.senseKey() == SenseKey.NOT_READY && r.asc() == 4 && r.ascq() == ascq;
    }

    @Test
    void inquiryAndVpdDescribeTheGroups() throws Exception {
        try (SimTarget t = target(1)) {
            byte[] std = new byte[96];
            assertTrue(run(t, "A2", Cdb.inquiry(false, 0, 96), Direction.FROM_DEVICE, std).isGood());
            assertEquals(1, TargetPortGroups.tpgs(std), "implicit ALUA by default");
            t.movePort(2, 7);
            byte[] vpd = new byte[255];
            assertTrue(run(t, "A2", Cdb.inquiry(true, 0x83, 255), Direction.FROM_DEVICE, vpd).isGood());
            assertEquals(Optional.of(2), VpdIdentity.relativeTargetPort(vpd));
            assertEquals(Optional.of(7), VpdIdentity.targetPortGroup(vpd));
            assertEquals(t.identity(), VpdIdentity.fromDeviceIdentification(vpd).orElseThrow());
            List<TargetPortGroups.Group> g = rtpg(t, "A1");
            assertEquals(2, g.size(), g.toString());
            assertEquals(new TargetPortGroups.Group(0, AluaState.ACTIVE_OPTIMIZED, false, List.of(1, 3, 4)), g.get(0));
            assertEquals(new TargetPortGroups.Group(7, AluaState.ACTIVE_OPTIMIZED, false, List.of(2)), g.get(1));
        }
    }

    @Test
    void withoutAluaThereAreNoGroups() throws Exception {
        try (SimTarget t = target(0)) {
            byte[] std = new byte[96];
            assertTrue(run(t, "A1", Cdb.inquiry(false, 0, 96), Direction.FROM_DEVICE, std).isGood());
            assertEquals(0, TargetPortGroups.tpgs(std));
            byte[] vpd = new byte[255];
            assertTrue(run(t, "A1", Cdb.inquiry(true, 0x83, 255), Direction.FROM_DEVICE, vpd).isGood());
            assertEquals(Optional.empty(), VpdIdentity.targetPortGroup(vpd));
            ScsiResult r = run(t, "A1", TargetPortGroups.reportCdb(64), Direction.FROM_DEVICE, new byte[64]);
            assertEquals(0x20, r.asc(), "REPORT TARGET PORT GROUPS is an unknown opcode: " + r.describe());
            SimControl c = new SimControl(t);
            assertTrue(c.execute("group 1 state standby").startsWith("error: the LU has no target port groups"));
        }
    }

    @Test
    void setTargetPortGroupsNeedsExplicitAluaAndTellsTheOtherNexuses() throws Exception {
        try (SimTarget implicit = target(1)) {
            byte[] p = TargetPortGroups.setParams(0, AluaState.STANDBY);
            ScsiResult r = run(implicit, "A1", TargetPortGroups.setCdb(p.length), Direction.TO_DEVICE, p);
            assertEquals(0x20, r.asc(), "implicit-only: LIO does not know the command: " + r.describe());
        }
        try (SimTarget t = target(3)) {
            t.movePort(3, 2);
            t.movePort(4, 2);
            t.setGroupState(2, AluaState.STANDBY);
            drain(t, "A3");
            drain(t, "A4");
            drain(t, "B3");
            byte[] p = TargetPortGroups.setParams(2, AluaState.ACTIVE_OPTIMIZED);
            assertTrue(run(t, "A3", TargetPortGroups.setCdb(p.length), Direction.TO_DEVICE, p).isGood());
            assertEquals(AluaState.ACTIVE_OPTIMIZED, t.logicalUnit().portState(3));
            assertTrue(run(t, "A3", Cdb.testUnitReady(), Direction.NONE, null).isGood(), "the asking nexus: no UA");
            ScsiResult ua = run(t, "A4", Cdb.testUnitReady(), Direction.NONE, null);
            assertTrue(ua.isUnitAttention() && ua.asc() == 0x2a && ua.ascq() == 6, ua.describe());
            ua = run(t, "B3", Cdb.testUnitReady(), Direction.NONE, null);
            assertTrue(ua.isUnitAttention() && ua.asc() == 0x2a && ua.ascq() == 6, ua.describe());
            assertTrue(run(t, "A1", Cdb.testUnitReady(), Direction.NONE, null).isGood(), "another group: no UA");
            byte[] bad = TargetPortGroups.setParams(2, AluaState.TRANSITIONING);
            ScsiResult r = run(t, "A1", TargetPortGroups.setCdb(bad.length), Direction.TO_DEVICE, bad);
            assertEquals(0x26, r.asc(), "transitioning is not asked for: " + r.describe());
            byte[] none = TargetPortGroups.setParams(9, AluaState.STANDBY);
            r = run(t, "A1", TargetPortGroups.setCdb(none.length), Direction.TO_DEVICE, none);
            assertEquals(0x26, r.asc(), "no group 9: " + r.describe());
        }
    }

    @Test
    void eachStateServesWhatLioServes() throws Exception {
        try (SimTarget t = target(1)) {
            t.movePort(2, 1);
            byte[] block = new byte[512];
            for (AluaState s : AluaState.values()) {
                t.setGroupState(1, s);
                ScsiResult ua = run(t, "A2", Cdb.testUnitReady(), Direction.NONE, null);
                assertEquals(s != AluaState.ACTIVE_OPTIMIZED, ua.isUnitAttention() && ua.asc() == 0x2a
                        && ua.ascq() == 6, s + ": 2A/06 when the state changed: " + ua.describe());
                ScsiResult tur = run(t, "A2", Cdb.testUnitReady(), Direction.NONE, null);
                ScsiResult read = run(t, "A2", Cdb.read16(0, 1), Direction.FROM_DEVICE, block);
                ScsiResult prIn = run(t, "A2", Cdb.prIn(0, 64), Direction.FROM_DEVICE, new byte[64]);
                ScsiResult inq = run(t, "A2", Cdb.inquiry(false, 0, 96), Direction.FROM_DEVICE, new byte[96]);
                assertTrue(inq.isGood(), s + ": INQUIRY " + inq.describe());
                if (s.active()) {
                    assertTrue(tur.isGood() && read.isGood() && prIn.isGood(), s.toString());
                } else {
                    assertTrue(notReady(tur, s.notReadyAscq()), s + ": TUR " + tur.describe());
                    assertTrue(notReady(read, s.notReadyAscq()), s + ": READ " + read.describe());
                    assertEquals(s == AluaState.STANDBY, prIn.isGood(), s + ": PR IN " + prIn.describe());
                }
            }
        }
    }

    @Test
    void ctlSimMovesPortsAndGroups() throws Exception {
        try (SimTarget t = target(1)) {
            SimControl c = new SimControl(t);
            assertEquals("port 3 group 2\n", c.execute("port 3 group 2"));
            assertEquals("group 2 standby\n", c.execute("group 2 state standby"));
            assertEquals(AluaState.STANDBY, t.logicalUnit().portState(3));
            assertEquals(AluaState.ACTIVE_OPTIMIZED, t.logicalUnit().portState(1));
            assertTrue(c.read().contains("group 2 standby       ports 3"), c.read());
            assertTrue(c.execute("group 2 state sleepy").startsWith("error: unknown state 'sleepy'"));
            assertTrue(c.execute("port 9 group 2").startsWith("error: no target port 9"));
            assertTrue(c.execute("port 1 group 70000").startsWith("error: group must be 0..65535"));
            assertTrue(c.execute("group 2 standby").startsWith("error: usage: group G state"));
        }
    }
}
