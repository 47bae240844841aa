package io.mpathfs.backends.scenario;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One line of a scenario that does something: a command with its expected answer, or a check. */
public sealed interface Step {
    /** Line number in the scenario file. */
    int line();

    /** The line as written (without comment), for reports. */
    String text();

    /** Nexus names the step talks to (the observer is added by the runner for checks). */
    List<String> nexuses();

    /** {@code A1 reserve rk=0xa type=exclusive-access} [{@code => EXPECT} or next line {@code expect EXPECT}]. */
    record Command(int line, String text, String nexus, String verb, List<String> words, Expectation expect)
            implements Step {
        Command withExpect(Expectation e) {
            return new Command(line, text, nexus, verb, words, e);
        }

        @Override
        public List<String> nexuses() {
            return List.of(nexus);
        }
    }

    /** {@code ua B1 2a/05}: the next command on B1 (a TEST UNIT READY) reports that; {@code ua B1 none}: GOOD. */
    record UnitAttention(int line, String text, String nexus, Optional<int[]> ascAscq) implements Step {
        @Override
        public List<String> nexuses() {
            return List.of(nexus);
        }
    }

    /**
     * {@code target group 2 state standby} or {@code target port 3 group 2}: the array's
     * administrator changes the target port groups (ALUA) — no SCSI command; see {@link TargetAdmin}.
     */
    record Target(int line, String text, List<String> words) implements Step {
        @Override
        public List<String> nexuses() {
            return List.of();
        }
    }

    /** A check of the LU's PR state, read through {@code via} (the observer unless given). */
    sealed interface Check extends Step {
        Optional<String> via();

        @Override
        default List<String> nexuses() {
            return via().map(List::of).orElse(List.of());
        }
    }

    /** {@code keys 0xa 0xa 0xb} (sorted multiset from READ KEYS) or {@code keys none}. */
    record Keys(int line, String text, Optional<String> via, List<Long> keys) implements Check {
    }

    /** {@code reservation 0xa exclusive-access} or {@code reservation none} (READ RESERVATION). */
    record Reservation(int line, String text, Optional<String> via, boolean none, long key, int typeCode)
            implements Check {
    }

    /** {@code generation +3}: PRgeneration relative to the scenario's start. */
    record Generation(int line, String text, Optional<String> via, int delta) implements Check {
    }

    /**
     * {@code status A2 key=0xa [holder] [type=T] [all-tg-pt]} or {@code status A2 none}: what READ FULL
     * STATUS says about that I_T nexus (found by its relative target port and TransportID).
     */
    record Status(int line, String text, Optional<String> via, String nexus, boolean none, long key,
                  boolean holder, int typeCode, boolean allTgPt) implements Check {
        @Override
        public List<String> nexuses() {
            return via.map(v -> List.of(v, nexus)).orElse(List.of(nexus));
        }
    }

    /**
     * {@code tpg 2 standby [ports=3,4]}: REPORT TARGET PORT GROUPS lists group 2 in that state (with
     * exactly those relative target ports).
     */
    record PortGroup(int line, String text, Optional<String> via, int group, String state,
                     Optional<List<Integer>> ports) implements Check {
    }

    /** {@code capabilities atp_c=1 ptpl_a=0 types=all}: the listed REPORT CAPABILITIES fields. */
    record Capabilities(int line, String text, Optional<String> via, Map<String, Integer> fields,
                        Optional<Integer> typeMask) implements Check {
    }
}
