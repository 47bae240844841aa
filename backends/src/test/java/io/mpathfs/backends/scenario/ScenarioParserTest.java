package io.mpathfs.backends.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.backends.scsi.SenseKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {
    @Test
    void headersStepsAndExpectations() throws Exception {
        Scenario s = ScenarioParser.parse("x", """
                title: a title   # with a comment
                tags: preempt-abort, sim-only
                observer: B2

                A1 register sark=0xa
                A1 reserve rk=0xa type=write-exclusive
                expect RESERVATION_CONFLICT
                B1 read lba=0 => CHECK_CONDITION UNIT_ATTENTION 2a/05
                ua B1 none
                ua B2 2A/03
                keys 0xb 0xa 0xa via A3
                reservation none
                reservation 0xa exclusive-access
                generation +2
                status A1 key=0xa holder type=write-exclusive
                status A2 none
                capabilities atp_c=1 types=all
                """);
        assertEquals("x", s.name());
        assertEquals("a title", s.title());
        assertEquals(Set.of("preempt-abort", "sim-only"), s.tags());
        assertEquals("B2", s.observer());
        assertEquals(List.of("B2", "A1", "B1", "A3", "A2"), s.nexuses());
        List<Step> st = s.steps();
        assertEquals(12, st.size());
        Step.Command reg = (Step.Command) st.get(0);
        assertEquals(5, reg.line());
        assertEquals(Expectation.GOOD, reg.expect());
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, ((Step.Command) st.get(1)).expect().status());
        Expectation ua = ((Step.Command) st.get(2)).expect();
        assertEquals(SenseKey.UNIT_ATTENTION, ua.senseKey());
        assertEquals(0x2a, ua.asc());
        assertEquals(5, ua.ascq());
        assertTrue(((Step.UnitAttention) st.get(3)).ascAscq().isEmpty());
        assertEquals(3, ((Step.UnitAttention) st.get(4)).ascAscq().orElseThrow()[1]);
        Step.Keys k = (Step.Keys) st.get(5);
        assertEquals(List.of(0xaL, 0xaL, 0xbL), k.keys());
        assertEquals(Optional.of("A3"), k.via());
        assertTrue(((Step.Reservation) st.get(6)).none());
        assertEquals(3, ((Step.Reservation) st.get(7)).typeCode());
        assertEquals(2, ((Step.Generation) st.get(8)).delta());
        Step.Status status = (Step.Status) st.get(9);
        assertTrue(status.holder());
        assertEquals(1, status.typeCode());
        assertTrue(((Step.Status) st.get(10)).none());
        assertEquals(0x1ea, ((Step.Capabilities) st.get(11)).typeMask().orElseThrow());
    }

    @Test
    void mistakesNameTheLine() {
        String[][] cases = {
                {"A1 frobnicate", "x.scn:1: unknown command 'frobnicate'"},
                {"\nA1 register", "x.scn:2: register needs sark="},
                {"A1 register sark=0xa bogus=1", "x.scn:1: register does not take 'bogus'"},
                {"A1 reserve rk=1 type=sideways", "x.scn:1: reserve: unknown type 'sideways'"},
                {"expect GOOD", "x.scn:1: expect must follow a command"},
                {"A1 tur\nexpect GOOD\nexpect GOOD", "x.scn:3: the command above already has"},
                {"A1 tur => GOOD\nexpect GOOD", "x.scn:2: the command above already has"},
                {"A1 tur\nexpect CHECK_CONDITION ILLEGAL_REQUEST", "x.scn:2: CHECK_CONDITION needs"},
                {"A1 tur\nexpect MAYBE", "x.scn:2: unknown status 'MAYBE'"},
                {"A1 tur\nexpect CHECK_CONDITION ODD_KEY 24/00", "x.scn:2: unknown sense key"},
                {"A1 tur\nexpect CHECK_CONDITION ILLEGAL_REQUEST 2400", "x.scn:2: ASC/ASCQ must be"},
                {"keys", "x.scn:1: keys needs keys"},
                {"keys 0xq", "x.scn:1: bad number"},
                {"generation 3", "x.scn:1: generation is relative"},
                {"status a1 none", "x.scn:1: expected a nexus"},
                {"keys 0xa via", "x.scn:1: 'via NEXUS' must end the line"},
                {"keys 0xa via a1", "x.scn:1: expected a nexus"},
                {"keys via A1 0xa", "x.scn:1: 'via NEXUS' must end the line"},
                {"ua A1 2a/05 via B1", "x.scn:1: ua reads through the nexus it names"},
                {"capabilities", "x.scn:1: capabilities needs"},
                {"capabilities speed=1", "x.scn:1: unknown capability 'speed'"},
                {"frob", "x.scn:1: unknown step 'frob'"},
                {"A1 read lba=0 size=12", "x.scn:1: size is 10 or 16"},
                {"A1 cdb 2", "x.scn:1: cdb must be whole bytes in hex"},
                {"# nothing\n", "x.scn: no steps"},
        };
        for (String[] c : cases) {
            ScenarioSyntaxException e = assertThrows(ScenarioSyntaxException.class, () -> ScenarioParser.parse("x", c[0]),
                    c[0]);
            assertTrue(e.getMessage().startsWith(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
