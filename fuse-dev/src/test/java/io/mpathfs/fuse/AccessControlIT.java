package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.fuse.files.FileAccess;
import io.mpathfs.fuse.testsupport.Ctl;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mount is as safe as a block device node (root:disk 0660): another user can neither read nor
 * write the LU nor touch reservations; a member of the group can do IO and read ctl/status, and PR
 * ioctls only on a disk opened for writing; root can do everything. Every attempt runs as a real
 * process of that user (setpriv) through the kernel, and every refusal leaves the PR state as it was.
 */
class AccessControlIT {
    private static final int NOBODY = 65534;
    /** The mount's group in this test: not one nobody belongs to. */
    private static final int GROUP = 4242;
    private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");

    Path dir;
    Path mnt;
    EmbeddedDefault.Mount m;
    Path probe;

    /**
     * Tries every operation once and prints NAME=ERRNO (0 = allowed). PR ioctls: REGISTER of our own
     * key 0xa again (no change but the PR generation) on a disk opened read-only, then read-write;
     * a PR status the ioctl returns is printed as 1000 + status.
     */
    private static final String PROBE = String.join("\n",
            "import errno, fcntl, os, struct, sys",
            "mnt = sys.argv[1]",
            "def attempt(name, f):",
            "    try:",
            "        f(); print(name + '=0')",
            "    except OSError as e:",
            "        print(name + '=' + str(e.errno))",
            "def read(path):",
            "    fd = os.open(path, os.O_RDONLY)",
            "    try: os.read(fd, 4096)",
            "    finally: os.close(fd)",
            "def write(path, data):",
            "    fd = os.open(path, os.O_WRONLY)",
            "    try: os.write(fd, data)",
            "    finally: os.close(fd)",
            "IOC_PR_REGISTER = 0x401870c8",
            "def pr_register(flags):",
            "    fd = os.open(mnt + '/disk', flags)",
            "    try:",
            "        rc = fcntl.ioctl(fd, IOC_PR_REGISTER, bytearray(struct.pack('QQII', 0xa, 0xa, 0, 0)), True)",
            "        if rc != 0: raise OSError(1000 + rc, 'pr status')",
            "    finally: os.close(fd)",
            "attempt('read-disk', lambda: read(mnt + '/disk'))",
            "attempt('write-disk', lambda: write(mnt + '/disk', b'\\0' * 512))",
            "for f in ['pr', 'paths', 'policy', 'sim']:",
            "    cmd = {'pr': b'-c register -k 0x5\\n', 'paths': b'fail sim:1\\n', 'policy': b'round-robin\\n',",
            "           'sim': b'host B -c register -k 0xb\\n'}[f]",
            "    attempt('write-ctl-' + f, lambda: write(mnt + '/ctl/' + f, cmd))",
            "for f in ['status', 'paths', 'pr', 'sim']:",
            "    attempt('read-ctl-' + f, lambda: read(mnt + '/ctl/' + f))",
            "attempt('ioctl-ro', lambda: pr_register(os.O_RDONLY))",
            "attempt('ioctl-rw', lambda: pr_register(os.O_RDWR))",
            "");

    @BeforeEach
    void mount() throws Exception {
        Sh.require("setpriv", "util-linux");
        assertTrue(Files.isExecutable(SYSTEM_PYTHON), SYSTEM_PYTHON + " is missing (Debian's python3-minimal): the "
                + "probe runs as other users, who cannot reach a python under /root");
        dir = Files.createTempDirectory("mpathfs-acl");
        // Other users must reach the mount point to be refused by it, not by the temp directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        mnt = dir.resolve("mpath0");
        m = EmbeddedDefault.assemble(mnt, SimConfig.builder().capacityBytes(16L << 20).targetPorts(2).build(),
                new DeviceConfig("round-robin", Duration.ofSeconds(5), NoPathRetry.FAIL),
                new DeviceAssembly.PrSettings(dir.resolve("prkeys"), true), new FileAccess(GROUP, 0660),
                FuseKind.configured());
        m.mounted().mount(false);
        probe = dir.resolve("probe.py");
        Files.writeString(probe, PROBE);
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
        // The state refusals must not change: our key and reservation, and host B's registration.
        assertTrue(Ctl.tx(mnt.resolve("ctl/pr"), "-c register -k 0xa").ok());
        assertTrue(Ctl.tx(mnt.resolve("ctl/pr"), "-c reserve -k 0xa -t write-exclusive-reg-only").ok());
    }

    @AfterEach
    void unmount() throws Exception {
        m.mounted().close();
        Mounts.assertUnmounted(mnt);
    }

    private Map<String, Integer> probeAs(String... setpriv) {
        List<String> cmd = new ArrayList<>(List.of("setpriv"));
        cmd.addAll(List.of(setpriv));
        cmd.addAll(List.of(SYSTEM_PYTHON.toString(), probe.toString(), mnt.toString()));
        Sh.Result r = Sh.run(60, cmd.toArray(new String[0]));
        assertEquals(0, r.rc(), r.out());
        Map<String, Integer> out = new HashMap<>();
        for (String l : r.out().lines().toList()) {
            String[] kv = l.split("=");
            if (kv.length == 2) {
                out.put(kv[0], Integer.valueOf(kv[1]));
            }
        }
        assertEquals(12, out.size(), r.out());
        return out;
    }

    private String targetView() throws Exception {
        return Mounts.read(mnt.resolve("ctl/sim")).lines()
                .filter(l -> l.startsWith("PRgeneration") || l.startsWith("Reservation") || l.matches("\\s+[A-Z]\\d .*"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static String withoutGeneration(String view) {
        return view.lines().filter(l -> !l.startsWith("PRgeneration")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void anotherUserIsRefusedEverythingAndChangesNothing() throws Exception {
        String before = targetView();
        String paths = Mounts.read(mnt.resolve("ctl/paths"));
        Map<String, Integer> r = probeAs("--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
        for (Map.Entry<String, Integer> e : r.entrySet()) {
            assertEquals(13, e.getValue(), "nobody: " + e.getKey() + " must be EACCES: " + r);
        }
        assertEquals(before, targetView(), "PR state unchanged");
        assertEquals(paths, Mounts.read(mnt.resolve("ctl/paths")), "path states unchanged");
        assertEquals("round-robin", Mounts.read(mnt.resolve("ctl/policy")).strip());
    }

    @Test
    void aGroupMemberDoesIoAndMonitorsButNeedsAWritableDiskForPrIoctlsAndRootForCtl() throws Exception {
        String before = targetView();
        Map<String, Integer> r = probeAs("--reuid=" + NOBODY, "--regid=" + NOBODY, "--groups=" + GROUP);
        assertEquals(0, r.get("read-disk"), r.toString());
        assertEquals(0, r.get("write-disk"), r.toString());
        assertEquals(0, r.get("read-ctl-status"), r.toString());
        assertEquals(0, r.get("read-ctl-paths"), r.toString());
        for (String f : new String[] {"write-ctl-pr", "write-ctl-paths", "write-ctl-policy", "write-ctl-sim",
            "read-ctl-pr", "read-ctl-sim"}) {
            assertEquals(13, r.get(f), f + " must be EACCES: " + r);
        }
        assertEquals(1, r.get("ioctl-ro"), "PR ioctl on a read-only open without CAP_SYS_ADMIN: EPERM " + r);
        // Opened for writing, the block layer allows it (the re-registration of our key ran).
        assertEquals(0, r.get("ioctl-rw"), r.toString());
        assertEquals(withoutGeneration(before), withoutGeneration(targetView()), "keys and reservation unchanged");
    }

    @Test
    void rootMayDoEverything() throws Exception {
        Map<String, Integer> r = probeAs("--reuid=0", "--regid=0", "--clear-groups");
        for (Map.Entry<String, Integer> e : r.entrySet()) {
            // Root passes every permission check; a command may still fail on its merits
            // (ctl/pr's REGISTER of 0x5 over our 0xa is a reservation conflict, EBADE).
            assertTrue(e.getValue() != 13 && e.getValue() != 1, "root: " + e.getKey() + " " + r);
        }
        assertEquals(52, r.get("write-ctl-pr"), r.toString());
        assertEquals(0, r.get("ioctl-ro"), "root has CAP_SYS_ADMIN: a read-only open is enough " + r);
    }

    @Test
    void filesShowABlockDeviceNodesOwnership() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(mnt.resolve("disk"))));
        assertEquals(GROUP, (int) Files.getAttribute(mnt.resolve("disk"), "unix:gid"));
        assertEquals(0, (int) Files.getAttribute(mnt.resolve("disk"), "unix:uid"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mnt.resolve("ctl/pr"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mnt.resolve("ctl/sim"))));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(mnt.resolve("ctl/status"))));
        assertTrue(Mounts.read(Path.of("/proc/self/mounts")).lines()
                .anyMatch(l -> l.contains(mnt.toString()) && l.contains("default_permissions")), "default_permissions");
    }
}
