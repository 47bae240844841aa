package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mpathfs.fuse.testsupport.Ctl;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * bin/fence_mpathfs, the Pacemaker fence agent, run as Pacemaker runs it (the executable on its
 * shebang's python3, options on the command line or key=value lines on stdin) against two cluster
 * nodes on one embedded target: {@code mpathfs demo --hosts 2}, node 1 (key 0x1) at MNT, node 2
 * (key 0x2) at MNT-2. Node 1 fences node 2; node 2's O_DIRECT writes fail with EBADE, node 1's
 * succeed, and node 2's key stays gone from the target even when a path that was down while it
 * was fenced returns.
 */
class FenceAgentIT {
    private static final Pattern REGISTRATION = Pattern.compile("^\\s+([A-Z]\\d+)\\s+port \\d+\\s+key (0x[0-9a-f]+)",
            Pattern.MULTILINE);
    private static Path dir;
    private static Path node1;
    private static Path node2;
    private static Mounts.Daemon demo;

    @BeforeAll
    static void twoNodes() throws Exception {
        if (!Files.exists(Path.of("/usr/share/fence/fencing.py"))) {
            fail("fence-agents' fencing library is missing: run 'make test' (it installs fence-agents) "
                    + "or apt-get install fence-agents");
        }
        Sh.require("dd", "coreutils");
        dir = Files.createTempDirectory("mpathfs-fence");
        node1 = dir.resolve("mpatha");
        node2 = dir.resolve("mpatha-2");
        demo = Mounts.daemon(node1, "demo", "--hosts", "2", "--paths", "2", "--size", "64M",
                "--checker-interval", "0.5", "--keys-file", dir.resolve("prkeys").toString(), node1.toString());
        long end = System.currentTimeMillis() + 30_000;
        while (!(demo.log().contains("serving mpatha-2 at") && Files.exists(node2.resolve("disk")))) {
            if (System.currentTimeMillis() > end) {
                fail("node 2 did not serve at " + node2 + ":\n" + demo.log());
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
            if (MountTable.fuseSourceAt(node2) != null) {
                Sh.run(10, "fusermount", "-u", "-z", node2.toString());
                fail("node 2's mount outlived the demo");
            }
        }
    }

    @Test
    void nodeOneFencesNodeTwoAndItsKeyDoesNotComeBackWithAPath() throws Exception {
        Path store1 = dir.resolve("store-1");
        Path store2 = dir.resolve("store-2");
        // Unfencing: each node registers its key through its own mount; the first reserves.
        assertAgent(0, "Success: Powered ON", agent(store1, "-o", "on", "-n", "1", "-d", node1.toString()));
        assertAgent(0, "Success: Powered ON", agent(store2, "-o", "on", "-n", "0x2", "-d", node2 + "/disk"));
        assertEquals(Set.of("0x1"), keysOf(targetRegistrations(), "A"));
        assertEquals(Set.of("0x2"), keysOf(targetRegistrations(), "Z"));
        assertTrue(Mounts.read(node1.resolve("ctl/sim")).contains(
                "Reservation: Write Exclusive, registrants only (write-exclusive-reg-only)  holder A"),
                Mounts.read(node1.resolve("ctl/sim")));
        assertAgent(0, "Status: ON", agent(store1, "-o", "status", "-n", "2", "-d", node1.toString()));
        assertAgent(0, "Success: Already ON", agent(store2, "-o", "on", "-n", "2", "-d", node2.toString()));
        assertWrites(node2, true);

        assertAgent(0, "Success: Powered OFF", agent(store1, "-o", "off", "-n", "2", "-d", node1.toString()));
        assertEquals(Set.of(), keysOf(targetRegistrations(), "Z"));
        assertEquals(Set.of("0x1"), keysOf(targetRegistrations(), "A"));
        assertAgent(2, "Status: OFF", agent(store1, "-o", "status", "-n", "2", "-d", node1.toString()));
        assertWrites(node2, false);
        assertWrites(node1, true);
        Sh.Result list = agent(store1, "-o", "list", "-d", node1.toString());
        assertAgent(0, "0x1," + node1 + "\n", list);
        assertFalse(list.out().contains("0x2"), list.out());
        assertAgent(0, "", agent(store1, "-o", "monitor", "-d", node1 + "," + node2));

        // Node 2 comes back (unfences itself), one of its paths goes down, and it is fenced again —
        // this time as Pacemaker fences by default: action=reboot, key=value lines on stdin.
        assertAgent(0, "Success: Powered ON", agent(store2, "-o", "on", "-n", "2", "-d", node2.toString()));
        assertEquals(Set.of("0x2"), keysOf(targetRegistrations(), "Z"));
        assertTrue(Ctl.tx(node2.resolve("ctl/sim"), "path 1 offline").ok());
        awaitPath(node2, "sim:1 failed");
        assertAgent(0, "Success: Rebooted", agentStdin(store1, "reboot", "plug", "2", node1.toString()));
        // Z1 was down: the target removed its registration all the same.
        assertEquals(Set.of(), keysOf(targetRegistrations(), "Z"));
        assertTrue(Ctl.tx(node2.resolve("ctl/sim"), "path 1 online").ok());
        awaitPath(node2, "sim:1 active");
        assertEquals(Set.of(), keysOf(targetRegistrations(), "Z"), "the returning path re-registered node 2's key");
        assertTrue(Mounts.read(node2.resolve("ctl/status")).contains("pr-state preempted"),
                Mounts.read(node2.resolve("ctl/status")));
        // The returned path carries the write now (round-robin), and it still conflicts.
        assertTrue(Ctl.tx(node2.resolve("ctl/policy"), "round-robin").ok());
        assertWrites(node2, false);
        assertWrites(node2, false);
        assertWrites(node1, true);
        assertAgent(2, "Status: OFF", agentStdin(store1, "status", "port", "2", node1.toString()));
    }

    @Test
    void metadataValidateAllAndRefusals() throws Exception {
        Path store = dir.resolve("store-v");
        Sh.Result meta = agent(store, "-o", "metadata");
        assertEquals(0, meta.rc(), meta.out());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(meta.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("resource-agent", root.getTagName());
        assertEquals("fence_mpathfs", root.getAttribute("name"));
        Set<String> params = new HashSet<>();
        NodeList ps = root.getElementsByTagName("parameter");
        for (int i = 0; i < ps.getLength(); i++) {
            params.add(((Element) ps.item(i)).getAttribute("name"));
        }
        assertTrue(params.containsAll(List.of("action", "plug", "port", "devices", "store_path", "mpathfs_path",
                "preempt_command", "power_timeout", "delay", "verbose", "quiet")), params.toString());
        Set<String> actions = new HashSet<>();
        NodeList as = root.getElementsByTagName("action");
        for (int i = 0; i < as.getLength(); i++) {
            Element a = (Element) as.item(i);
            actions.add(a.getAttribute("name"));
            if (a.getAttribute("name").equals("on")) {
                assertEquals("1", a.getAttribute("on_target"), "unfencing runs on the node itself");
            }
        }
        assertTrue(actions.containsAll(List.of("on", "off", "reboot", "status", "list", "monitor", "metadata",
                "validate-all")), actions.toString());

        assertAgent(0, "", agent(store, "-o", "validate-all", "-n", "1", "-d", node1.toString()));
        // Pacemaker validates a stonith resource's parameters without a key.
        assertAgent(0, "", agent(store, "-o", "validate-all", "-d", node1.toString()));
        assertAgent(1, "is not an mpathfs mount (no ctl/pr)", agent(store, "-o", "validate-all", "-n", "1",
                "-d", dir.toString()));
        assertAgent(1, "key 'xyz' is not a non-zero hexadecimal number", agent(store, "-o", "validate-all",
                "-n", "xyz", "-d", node1.toString()));
        assertAgent(1, "does not exist", agent(store, "-o", "status", "-n", "1", "-d", dir.resolve("none").toString()));
        assertAgent(1, "You have to enter plug number", agent(store, "-o", "off", "-d", node1.toString()));
        assertAgent(1, "Unrecognised action", agent(store, "-o", "explode", "-n", "1", "-d", node1.toString()));
        // mpathfs pr, like the agent's ctl/pr transaction, carries one command per call.
        assertAgent(1, "one command at a time", Sh.run(60, Mounts.launcher().toString(), "pr", "--read-keys",
                "--read-full-status", node1.toString()));
    }

    @Test
    void aDaemonThatDoesNotAnswerFailsTheActionWithinPowerTimeout() throws Exception {
        Path store = dir.resolve("store-slow");
        for (int p = 1; p <= 2; p++) {
            assertTrue(Ctl.tx(node1.resolve("ctl/sim"), "path " + p + " latency 4000").ok());
        }
        try {
            Sh.Result r = Sh.run(600, agentPath().toString(), "--store-path", store.toString(), "--power-timeout", "1",
                    "-o", "status", "-n", "1", "-d", node1.toString());
            assertAgent(1, "no answer within 1 s (--power-timeout)", r);
        } finally {
            for (int p = 1; p <= 2; p++) {
                assertTrue(Ctl.tx(node1.resolve("ctl/sim"), "path " + p + " latency 0").ok());
            }
        }
        assertAgent(0, "", agent(store, "-o", "monitor", "-d", node1.toString())); // answers again
    }

    /**
     * The agent bounds each ctl/pr command by --power-timeout (20 s by default); the bound here is
     * generous, for a machine under load (it only catches hangs).
     */
    private static Sh.Result agent(Path store, String... args) {
        List<String> cmd = new ArrayList<>(List.of(agentPath().toString(), "--store-path", store.toString(),
                "--power-timeout", "120"));
        cmd.addAll(List.of(args));
        return Sh.run(600, cmd.toArray(String[]::new));
    }

    /**
     * As Pacemaker's fencer calls a stonith resource: no arguments, its parameters on stdin, the
     * key mapped by pcmk_host_map as plug= (or port=, which older fencers send), and
     * PCMK_service=pacemaker-fenced in the environment (fencing.py then lifts its timeouts).
     */
    private static Sh.Result agentStdin(Path store, String action, String plugArgument, String plug, String devices) {
        String stdin = String.join("\n", "action=" + action, plugArgument + "=" + plug, "nodename=node1",
                "devices=" + devices, "store_path=" + store, "");
        return Sh.bash(600, "printf '%s' '" + stdin + "' | PCMK_service=pacemaker-fenced " + agentPath());
    }

    private static Path agentPath() {
        Mounts.launcher();
        return Mounts.repo().resolve("bin/fence_mpathfs");
    }

    private static void assertAgent(int rc, String expected, Sh.Result r) {
        assertEquals(rc, r.rc(), r.out());
        assertTrue(r.out().contains(expected), "expected '" + expected + "' in:\n" + r.out());
    }

    /** The registrations the target holds (node 1's ctl/sim): nexus → key. */
    private static List<String[]> targetRegistrations() throws Exception {
        List<String[]> regs = new ArrayList<>();
        Matcher m = REGISTRATION.matcher(Mounts.read(node1.resolve("ctl/sim")));
        while (m.find()) {
            regs.add(new String[] {m.group(1), m.group(2)});
        }
        return regs;
    }

    private static Set<String> keysOf(List<String[]> regs, String host) {
        Set<String> keys = new HashSet<>();
        for (String[] r : regs) {
            if (r[0].startsWith(host)) {
                keys.add(r[1]);
            }
        }
        return keys;
    }

    private static void assertWrites(Path node, boolean ok) {
        Sh.Result dd = Sh.run(60, "dd", "if=/dev/zero", "of=" + node.resolve("disk"), "bs=4k", "count=1",
                "oflag=direct", "conv=notrunc");
        if (ok) {
            assertEquals(0, dd.rc(), node + ": " + dd.out());
        } else {
            assertNotEquals(0, dd.rc(), node + ": " + dd.out());
            assertTrue(dd.out().contains("Invalid exchange"), node + " must fail with EBADE: " + dd.out());
        }
    }

    private static void awaitPath(Path node, String state) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        while (!Mounts.read(node.resolve("ctl/paths")).contains(state)) {
            if (System.currentTimeMillis() > end) {
                fail("no '" + state + "' in " + node + "/ctl/paths:\n" + Mounts.read(node.resolve("ctl/paths")));
            }
            Thread.sleep(50);
        }
    }
}
