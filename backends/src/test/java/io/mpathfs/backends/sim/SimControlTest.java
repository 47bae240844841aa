package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.PathException;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ctl/sim command language. */
class SimControlTest {
    private static SimTarget target() throws Exception {
        return SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(2).build());
    }

    @Test
    void pathFaults() throws Exception {
        try (SimTarget t = target()) {
            SimControl c = new SimControl(t);
            assertEquals("sim:2 offline\n", c.execute("path 2 offline"));
            assertFalse(t.path(1).nexus().online());
            try (AlignedBuffer b = AlignedBuffer.allocate(512)) {
                PathException e = assertThrows(PathException.class,
                        () -> t.path(1).read(0, b, 512));
                assertTrue(e.isPathFailure());
            }
            assertEquals("sim:2 online\n", c.execute("path 2 online"));
            assertTrue(t.path(1).nexus().online());
            assertEquals("sim:1 latency 25 ms\n", c.execute("path 1 latency 25"));
            assertEquals(25, t.path(0).nexus().latencyMs());
            assertEquals("sim:3\n", c.execute("path add"));
            assertEquals(3, t.paths().size());
            String list = c.execute("path list");
            assertTrue(list.contains("sim:3 A3 online latency 0 ms"), list);
            assertTrue(c.read().contains("sim:1  A1   online  latency 25 ms"), c.read());
        }
    }

    @Test
    void otherHostsPrCommands() throws Exception {
        try (SimTarget t = target()) {
            SimControl c = new SimControl(t);
            // The first command of a new nexus meets 29/00; retried like sd.c does, and shown.
            assertEquals("B1: GOOD  (after unit attention 29/00)\n", c.execute("host B -c register -k 0xb"));
            assertEquals("B2: GOOD  (after unit attention 29/00)\n", c.execute("host B2 -c register -k 0xb"));
            assertEquals("B1: GOOD\n", c.execute("host B -c reserve -k 0xb -t exclusive-access"));
            assertEquals("B1: GOOD\nGeneration: 0x2\n0xb\n0xb\n", c.execute("host b -c read-keys"));
            assertEquals("B1: GOOD\nKey: 0xb\nGeneration: 0x2\nType: exclusive-access\n",
                    c.execute("host B -c read-reservation"));
            String full = c.execute("host B -c read-full-status");
            assertTrue(full.contains("key 0xb  port 1  initiator B  holder exclusive-access"), full);
            assertTrue(full.contains("key 0xb  port 2  initiator B\n"), full);
            String cap = c.execute("host B -c report-capabilities");
            assertTrue(cap.contains("ATP_C=1 PTPL_C=1 TMV=1 ALLOW_COMMANDS=1 PTPL_A=1"), cap); // sd.c-like APTPL
            assertTrue(cap.contains("types: write-exclusive, exclusive-access, write-exclusive-reg-only"), cap);
            assertEquals("C1: RESERVATION CONFLICT  (after unit attention 29/00)\n", c.execute("host C write 0 8"));
            assertEquals("C1: RESERVATION CONFLICT\n", c.execute("host C read 0"));
            assertEquals("B1: GOOD\n", c.execute("host B write 0 8"));
            // preempt: -K is the issuer's own key, -k the victim's
            assertEquals("C1: GOOD\n", c.execute("host C -c register -k 0xc"));
            assertEquals("C1: GOOD\n", c.execute("host C -c preempt -K 0xc -k 0xb -t write-exclusive"));
            assertTrue(t.describe().contains("holder C1 key 0xc"), t.describe());
            assertEquals("B1: GOOD  (after unit attention 2a/05)\n", c.execute("host B tur"));
            assertEquals("B1: RESERVATION CONFLICT\n", c.execute("host B -c release -k 0xb -t write-exclusive"));
            assertEquals("B1: GOOD\nKey: 0xc\nGeneration: 0x4\nType: write-exclusive\n",
                    c.execute("host B -c read-reservation"));
        }
    }

    @Test
    void hostWriteIsVisibleToThisHost() throws Exception {
        try (SimTarget t = target(); AlignedBuffer b = AlignedBuffer.allocate(512)) {
            SimControl c = new SimControl(t);
            assertTrue(c.execute("host B write 3 1").contains("GOOD"));
            t.path(0).read(3 * 512, b, 512);
            byte[] d = new byte[512];
            b.get(0, d, 0, 512);
            assertEquals('B', d[0]);
            assertEquals('B', d[511]);
        }
    }

    @Test
    void errorsAreOneLineAndNeverThrow() throws Exception {
        try (SimTarget t = target()) {
            SimControl c = new SimControl(t);
            assertEquals("", c.execute(""));
            assertEquals("", c.execute("   # a comment"));
            assertEquals("", c.execute(null));
            assertEquals("error: unknown command 'frobnicate' (try help)\n", c.execute("frobnicate now"));
            assertEquals("error: no path sim:7 (the paths are sim:1, sim:2)\n", c.execute("path 7 offline"));
            assertEquals("error: unknown path action 'sideways'\n", c.execute("path 1 sideways"));
            assertEquals("error: latency must be 0..600000: 0xffffffffffffffff\n",
                    c.execute("path 1 latency 0xffffffffffffffff"));
            assertEquals("error: no target port 9 (the LU has 2)\n", c.execute("host B9 tur"));
            assertEquals("error: unknown type 'sideways' (expected one of: write-exclusive, exclusive-access, "
                    + "write-exclusive-reg-only, exclusive-access-reg-only, write-exclusive-all-regs, "
                    + "exclusive-access-all-regs)\n", c.execute("host B -c reserve -k 1 -t sideways"));
            assertEquals("error: reserve needs a non-zero -k KEY (the registered key)\n",
                    c.execute("host B -c reserve -t write-exclusive"));
            assertEquals("error: LBA: bad number 'zz'\n", c.execute("host B read zz"));
            assertTrue(c.execute("x".repeat(5000)).startsWith("error: line longer than"));
            // A name the user wrote comes back cut and printable: the answer is one short line
            // (found by ControlFuzzIT: a 4 KiB host name, a U+2028 line separator, echoed as given).
            assertEquals("error: a nexus is a host letter and a target port, like B2: '" + "Q".repeat(40) + "...'\n",
                    c.execute("host " + "Q".repeat(4000) + " tur"));
            assertEquals("error: a nexus is a host letter and a target port, like B2: '?x'\n",
                    c.execute("host \u2028x tur"));
            assertTrue(c.execute("help").contains("path N offline|online"));
            assertEquals("error: usage: help\n", c.execute("help HELP 0x10000000000000000"));
            Random rnd = new Random(1);
            String[] words = {"path", "host", "B", "B2", "-c", "register", "-k", "0x1", "add", "offline", "latency",
                    "read", "write", "1", "-t", "x", "power-cycle", "\u0000", "-K", "tur", "list"};
            for (int i = 0; i < 3000; i++) {
                StringBuilder line = new StringBuilder();
                for (int w = rnd.nextInt(6); w >= 0; w--) {
                    line.append(words[rnd.nextInt(words.length)]).append(' ');
                }
                String out = c.execute(line.toString());
                assertTrue(out.isEmpty() || out.endsWith("\n"), out);
            }
        }
    }

    @Test
    void powerCycle() throws Exception {
        try (SimTarget t = target()) {
            SimControl c = new SimControl(t);
            c.execute("host B -c register -k 0xb"); // APTPL like sd.c: survives
            assertTrue(c.execute("power-cycle").startsWith("power cycled"));
            assertEquals("B1: GOOD  (after unit attention 29/00)\nGeneration: 0x1\n0xb\n",
                    c.execute("host B -c read-keys"));
        }
    }

    @Test
    void aRefusedHostCommandCreatesNoNexus() throws Exception {
        try (SimTarget t = target()) {
            SimControl c = new SimControl(t);
            List<String> before = t.nexusNames();
            assertTrue(c.execute("host Q -c frob").startsWith("error: "));
            assertTrue(c.execute("host Q read").startsWith("error: "));
            assertTrue(c.execute("host Q tur extra").startsWith("error: "));
            assertEquals(before, t.nexusNames(), "no nexus Q1 from refused commands");
            assertTrue(c.execute("host Q tur").startsWith("Q1: "));
            assertTrue(t.nexusNames().contains("Q1"));
        }
    }
}
