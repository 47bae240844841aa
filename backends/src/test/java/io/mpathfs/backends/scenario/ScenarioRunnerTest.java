package io.mpathfs.backends.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.TransportId;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.sim.SimTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner must catch every kind of difference, clean up with SCSI only, and say where it failed. */
class ScenarioRunnerTest {
    private static ScenarioResult run(String text) throws Exception {
        try (SimTarget t = ScenarioFilesTest.target()) {
            return new ScenarioRunner(ScenarioFilesTest.nexuses(t)).run(ScenarioParser.parse("t", text));
        }
    }

    private static void assertFails(String text, int line, String fragment) throws Exception {
        ScenarioResult r = run(text);
        assertEquals(ScenarioResult.Outcome.FAIL, r.outcome(), text);
        assertTrue(r.difference().startsWith("line " + line + ":"), r.difference());
        assertTrue(r.difference().contains(fragment), r.difference());
    }

    @Test
    void targetPortGroupStepsNeedTheTargetsAdministratorAndTheirChecksCatchDifferences() throws Exception {
        String text = "target port 2 group 5\ntarget group 5 state standby\ntpg 5 standby ports=2\nua A2 3f/03\n"
                + "A2 read lba=0 => CHECK_CONDITION NOT_READY 04/0B\n";
        ScenarioResult skipped = run(text);
        assertEquals(ScenarioResult.Outcome.SKIP, skipped.outcome(), "no administrator: " + skipped.difference());
        try (SimTarget t = ScenarioFilesTest.target()) {
            ScenarioRunner r = new ScenarioRunner(ScenarioFilesTest.nexuses(t), new SimTargetAdmin(t));
            ScenarioResult ok = r.run(ScenarioParser.parse("t", text));
            assertEquals(ScenarioResult.Outcome.PASS, ok.outcome(), ok.difference());
            ScenarioResult wrong = r.run(ScenarioParser.parse("t", "target port 2 group 5\ntpg 5 ano ports=2\n"));
            assertEquals(ScenarioResult.Outcome.FAIL, wrong.outcome());
            assertTrue(wrong.difference().contains("REPORT TARGET PORT GROUPS gave 0 ao ports=[1, 3, 4]; 5 ao ports=[2]"),
                    "the reset put port 2 back in group 0 first, then group 5 is new: " + wrong.difference());
            ScenarioResult refused = r.run(ScenarioParser.parse("t", "target port 9 group 1\n"));
            assertTrue(refused.difference().contains("the target refused: error: no target port 9"), refused.difference());
        }
        for (String bad : List.of("target group 1 state sleepy", "target port 1", "tpg 1", "tpg 1 ao ports=x",
                "target group 1 state ao via A1")) {
            ScenarioSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(ScenarioSyntaxException.class,
                    () -> ScenarioParser.parse("t", bad + "\n"), bad);
            assertTrue(e.getMessage().startsWith("t.scn:1: "), e.getMessage());
        }
    }

    @Test
    void passingScenarioPasses() throws Exception {
        ScenarioResult r = run("A1 register sark=0xa\nkeys 0xa\ngeneration +1\nreservation none\nstatus A1 key=0xa\n");
        assertEquals(ScenarioResult.Outcome.PASS, r.outcome(), r.difference());
        assertEquals(5, r.stepsRun());
    }

    @Test
    void wrongStatusIsTheFirstDifference() throws Exception {
        assertFails("A1 register sark=0xa\nA1 write lba=0 => RESERVATION_CONFLICT\nkeys 0xb\n", 2,
                "expected RESERVATION CONFLICT, got GOOD");
    }

    @Test
    void missingExpectMeansGood() throws Exception {
        assertFails("A1 reserve rk=0xa type=write-exclusive\n", 1, "got CHECK CONDITION Not Ready 08/00");
    }

    @Test
    void wrongSenseIsADifference() throws Exception {
        assertFails("A1 cdb ff0000000000\nexpect CHECK_CONDITION ILLEGAL_REQUEST 24/00\n", 1,
                "got CHECK CONDITION Illegal Request 20/00");
    }

    @Test
    void eachCheckKindDetectsADifference() throws Exception {
        assertFails("A1 register sark=0xa\nkeys 0xa 0xa\n", 2, "READ KEYS gave 0xa");
        assertFails("A1 register sark=0xa\nreservation 0xa write-exclusive\n", 2, "READ RESERVATION gave none");
        assertFails("A1 register sark=0xa\ngeneration +2\n", 2, "PRgeneration is +1");
        assertFails("A1 register sark=0xa\nstatus A1 key=0xa holder\n", 2, "READ FULL STATUS for A1");
        assertFails("A1 register sark=0xa\nstatus A2 key=0xa\n", 2, "no registration");
        assertFails("capabilities ptpl_a=1\n", 1, "ptpl_a=0");
        assertFails("capabilities types=write-exclusive\n", 1, "types are");
        assertFails("A1 register sark=0xa\nB1 preempt rk=0 sark=0xa type=write-exclusive\n", 2, "RESERVATION CONFLICT");
    }

    @Test
    void unitAttentionStepsCheckWhatComesNext() throws Exception {
        String setup = "A1 register sark=0xa\nB1 register sark=0xb\nB1 preempt rk=0xb sark=0xa type=write-exclusive\n";
        assertFails(setup + "ua A1 none\n", 4, "got CHECK CONDITION Unit Attention 2a/05");
        assertFails(setup + "ua A1 2a/04\n", 4, "got CHECK CONDITION Unit Attention 2a/05");
        assertFails(setup + "ua B1 2a/05\n", 4, "got GOOD");
        // An unannounced unit attention on the observer fails the check that meets it.
        assertFails(setup + "keys 0xb\n", 4, "Unit Attention 2a/05"); // A1 is the default observer
    }

    @Test
    void readDataIsCompared() throws Exception {
        assertFails("A1 write lba=5 fill=0x11\nA2 read lba=5 fill=0x12\n", 2, "data byte 0 is 0x11, expected 0x12");
    }

    @Test
    void unmappedNexusSkips() throws Exception {
        try (SimTarget t = ScenarioFilesTest.target()) {
            Map<String, ScsiChannel> only = new LinkedHashMap<>();
            only.put("A1", t.nexus("A", 1));
            ScenarioResult r = new ScenarioRunner(only).run(ScenarioParser.parse("t", "B1 register sark=0xb\n"));
            assertEquals(ScenarioResult.Outcome.SKIP, r.outcome());
            assertTrue(r.difference().contains("B1"), r.difference());
        }
    }

    @Test
    void transportErrorsFailTheStep() throws Exception {
        try (SimTarget t = ScenarioFilesTest.target()) {
            Map<String, ScsiChannel> m = ScenarioFilesTest.nexuses(t);
            ScenarioRunner runner = new ScenarioRunner(m);
            t.nexus("A", 2).setOnline(false);
            ScenarioResult r = runner.run(ScenarioParser.parse("t", "A1 register sark=0xa\n"));
            assertEquals(ScenarioResult.Outcome.FAIL, r.outcome());
            assertTrue(r.difference().contains("A2: transport error"), r.difference());
        }
    }

    /** Leftovers of any kind — reservation, ALL_TG_PT registrations, APTPL, unit attentions — are cleaned. */
    @Test
    void cleanupStartsFromAnyState() throws Exception {
        try (SimTarget t = ScenarioFilesTest.target()) {
            Map<String, ScsiChannel> m = ScenarioFilesTest.nexuses(t);
            send(m.get("A1"), PrOut.register(0, 0x77, true, true));
            send(m.get("B2"), PrOut.register(0, 0x88, true, false));
            send(m.get("B2"), PrOut.reserve(0x88, PrType.EXCLUSIVE_ACCESS));
            ScenarioResult r = new ScenarioRunner(m).run(ScenarioParser.parse("t",
                    "keys none\nreservation none\ncapabilities ptpl_a=0\nua B2 none\nua A3 none\ngeneration +0\n"));
            assertEquals(ScenarioResult.Outcome.PASS, r.outcome(), r.difference());
            assertTrue(t.prSnapshot().registrations().isEmpty());
            assertTrue(t.prSnapshot().pendingUnitAttentions().isEmpty(), t.prSnapshot().pendingUnitAttentions()
                    .toString());
        }
    }

    private static void send(ScsiChannel ch, PrOut.Request r) throws PathException {
        ScsiResult res = null;
        for (int i = 0; i < 3 && (res == null || res.isUnitAttention()); i++) {
            res = ch.execute(r.cdb(), Direction.TO_DEVICE, r.params(), 1000);
        }
        assertTrue(res.isGood(), res.describe());
    }

    @Test
    void identitiesAreLearnedThroughFullStatus() throws Exception {
        try (SimTarget t = ScenarioFilesTest.target()) {
            Exchange x = new Exchange(ScenarioFilesTest.nexuses(t));
            LuCleaner.clean(x);
            Map<String, NexusIdentities.Identity> ids = NexusIdentities.learn(x);
            assertEquals(12, ids.size());
            assertEquals(3, ids.get("B3").relativeTargetPort());
            List<String> tids = new ArrayList<>();
            for (NexusIdentities.Identity id : ids.values()) {
                tids.add(TransportId.describe(id.transportId()));
            }
            assertEquals("iqn.2024-01.io.mpathfs:host-c", tids.get(11));
            assertTrue(t.prSnapshot().registrations().isEmpty(), "learning leaves the LU clean");
        }
    }
}
