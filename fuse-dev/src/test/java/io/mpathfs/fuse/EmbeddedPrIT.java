package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.fuse.testsupport.Ctl;
import io.mpathfs.fuse.testsupport.CtlPaths;
import io.mpathfs.fuse.testsupport.EmbeddedMount;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import io.mpathfs.nativeshim.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PR through the mount of the embedded target, with real clients: mpathfs pr, dd, fio, and a
 * Python program issuing the kernel PR ioctls on disk. Host B acts through ctl/sim.
 */
class EmbeddedPrIT {
    @RegisterExtension
    final EmbeddedMount mount = new EmbeddedMount("mpathfs-pr",
            SimConfig.builder().capacityBytes(64L << 20).targetPorts(4).build(),
            new DeviceConfig("round-robin", Duration.ofMillis(500), new NoPathRetry(4))).requiring("fio", "fio");

    @Test
    void seedExampleRegisterReserveThen1000RoundRobinReadsSucceed() throws Exception {
        assertEquals(0, mount.pr("-c", "register", "-k", "0x1").rc());
        assertEquals(0, mount.pr("-c", "reserve", "-k", "0x1", "-t", "exclusive-access-reg-only").rc());
        Sh.Result dd = Sh.run(120, "dd", "if=" + mount.point().resolve("disk"), "of=/dev/null", "bs=4k", "count=1000",
                "iflag=direct");
        assertEquals(0, dd.rc(), dd.out());
        Map<String, CtlPaths.Row> rows = CtlPaths.read(mount.point());
        for (CtlPaths.Row r : rows.values()) {
            assertTrue(r.io() >= 240, "round-robin used every path: " + r);
            assertEquals(0, r.errors(), r.toString());
            assertEquals("yes", r.registered());
        }
        String target = Mounts.read(mount.point().resolve("ctl/sim"));
        assertEquals(4, target.lines().filter(l -> l.matches("\\s+A\\d .*key 0x1 .*")).count(), target);
        Sh.Result keys = mount.pr("--read-keys");
        assertTrue(keys.out().contains("4 registered reservation keys follow:"), keys.out());
        Sh.Result res = mount.pr("--read-reservation");
        assertTrue(res.out().contains("Key = 0x1") && res.out().contains("Exclusive Access, registrants only"),
                res.out());
    }

    @Test
    void seedExampleThroughTheKernelPrIoctlsOnDisk() throws Exception {
        String py = String.join("\n",
                "import fcntl, os, struct, mmap, sys",
                "fd = os.open(sys.argv[1], os.O_RDWR)",
                "IOC_PR_REGISTER, IOC_PR_RESERVE, IOC_PR_READ_RESERVATION = 0x401870c8, 0x401070c9, 0x801070cf",
                "def pr(cmd, data):  # a mutable buffer makes ioctl() return the call's return value",
                "    return fcntl.ioctl(fd, cmd, bytearray(data), True)",
                "print('register', pr(IOC_PR_REGISTER, struct.pack('QQII', 0, 0x2, 0, 0)))",
                "print('reserve', pr(IOC_PR_RESERVE, struct.pack('QII', 0x2, 4, 0)))",
                "key, gen, typ = struct.unpack('QII', fcntl.ioctl(fd, IOC_PR_READ_RESERVATION, bytes(16)))",
                "print('held', hex(key), typ)",
                "print('wrong-key-rc', pr(IOC_PR_RESERVE, struct.pack('QII', 0x9, 4, 0)))",
                "dfd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECT)",
                "buf = mmap.mmap(-1, 4096)",
                "errors = 0",
                "for i in range(1000):",
                "    try:",
                "        os.preadv(dfd, [buf], i * 4096)",
                "    except OSError:",
                "        errors += 1",
                "print('errors', errors)");
        Path script = mount.dir().resolve("pr_ioctl.py");
        Files.writeString(script, py);
        Sh.Result r = Sh.run(120, "python3", script.toString(), mount.point().resolve("disk").toString());
        assertEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("register 0"), r.out());
        assertTrue(r.out().contains("reserve 0"), r.out());
        assertTrue(r.out().contains("held 0x2 4"), r.out());
        assertTrue(r.out().contains("wrong-key-rc 24"), "a conflict returns PR status 0x18, as sd does: " + r.out());
        assertTrue(r.out().contains("errors 0"), r.out());
        String target = Mounts.read(mount.point().resolve("ctl/sim"));
        assertEquals(4, target.lines().filter(l -> l.matches("\\s+A\\d .*key 0x2 .*")).count(), target);
    }

    @Test
    void aShellReadsTheAnswerOnTheDescriptorItWroteTheCommandOn() {
        // The README's way: the read follows the write on one descriptor, at the position the write left.
        Sh.Result r = Sh.run(60, "bash", "-c", "exec 3<>\"$1\"; echo '-c register -k 0x3' >&3; cat <&3; "
                + "echo '-c read-keys' >&3; cat <&3; exec 3>&-", "sh", mount.point().resolve("ctl/pr").toString());
        assertEquals(0, r.rc(), r.out());
        assertTrue(r.out().startsWith("ok"), r.out());
        assertTrue(r.out().contains("registered reservation key") && r.out().contains("0x3"), r.out());
    }

    @Test
    void malformedCommandsGetEinvalAndAReasonAndChangeNothing() throws Exception {
        assertEquals(0, mount.pr("-c", "register", "-k", "0x5").rc());
        String before = Mounts.read(mount.point().resolve("ctl/status"));
        Path ctl = mount.point().resolve("ctl/pr");
        String[] bad = {"-c frobnicate", "-c register -k 0xzz", "-c reserve -k 0x5", "-c reserve -k 0 -t exclusive-access",
                "-c reserve -k 0x5 -t exclusive", "-c register -k 0x5 -f nope", "", "\u0001\u0002"};
        for (String b : bad) {
            Ctl.Answer a = Ctl.tx(ctl, b);
            assertEquals(Errno.EINVAL, a.errno(), "'" + b + "': " + a.text());
            assertTrue(a.text().startsWith("error: ") && a.text().length() > 10, a.text());
        }
        byte[] garbage = new byte[10 * 1024];
        new Random(3).nextBytes(garbage);
        assertEquals(Errno.EINVAL, Ctl.txBytes(ctl, garbage).errno());
        // Concurrent writers, each on its own open file, get coherent answers.
        ExecutorService ex = Executors.newFixedThreadPool(8);
        List<Future<Ctl.Answer>> fs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String cmd = i % 2 == 0 ? "-c read-keys" : "-c bogus";
            fs.add(ex.submit(() -> Ctl.tx(ctl, cmd)));
        }
        for (int i = 0; i < fs.size(); i++) {
            Ctl.Answer a = fs.get(i).get();
            if (i % 2 == 0) {
                assertTrue(a.ok() && a.text().contains("registered reservation key"), a.text());
            } else {
                assertEquals(Errno.EINVAL, a.errno());
            }
        }
        ex.shutdown();
        assertEquals(before, Mounts.read(mount.point().resolve("ctl/status")), "state unchanged");
        Sh.Result cli = mount.pr("-c", "reserve", "-k", "0x5");
        assertEquals(1, cli.rc());
        assertTrue(cli.out().contains("pr ioctl failed: Invalid argument"), cli.out());
    }

    @Test
    void aConflictOnAnUnregisteredPathIsEbadeNotAPathFailure() throws Exception {
        assertTrue(mount.sim("host B -c register -k 0xb").ok());
        assertTrue(mount.sim("host B -c reserve -k 0xb -t exclusive-access-reg-only").ok());
        Sh.Result dd = Sh.run(30, "dd", "if=" + mount.point().resolve("disk"), "of=/dev/null", "bs=4k", "count=1",
                "iflag=direct");
        assertNotEquals(0, dd.rc());
        assertTrue(dd.out().contains("Invalid exchange"), dd.out());
        for (CtlPaths.Row r : CtlPaths.read(mount.point()).values()) {
            assertEquals("active", r.state(), "no path failed by a conflict: " + r);
        }
        Sh.Result cli = mount.pr("-c", "reserve", "-k", "0x7", "-t", "exclusive-access");
        assertEquals(1, cli.rc());
        assertTrue(cli.out().contains("error code 0x18"), cli.out());
    }

    @Test
    void ioSurvivesPathsGoingOfflineAndOnlineThroughCtlSim() throws Exception {
        assertEquals(0, mount.pr("-c", "register", "-k", "0x1").rc());
        Path out = mount.dir().resolve("fio.out");
        Process fio = new ProcessBuilder("fio", "--name=sim", "--verify_state_save=0",
                "--filename=" + mount.point().resolve("disk"), "--direct=1",
                "--rw=randrw", "--bs=16k", "--size=16m", "--verify=crc32c", "--ioengine=psync", "--time_based",
                "--runtime=6").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        CtlPaths.await(mount.point(), "sim:1", "carrying IO", r -> r.io() > 0);
        assertTrue(mount.sim("path 1 offline").ok());
        CtlPaths.await(mount.point(), "sim:1", "failed", r -> "failed".equals(r.state()));
        assertTrue(mount.sim("path 1 online").ok());
        // The checker registers the returning path, then reinstates it.
        CtlPaths.Row back = CtlPaths.await(mount.point(), "sim:1", "reinstated", r -> "active".equals(r.state()));
        assertEquals("yes", back.registered());
        assertTrue(fio.waitFor(120, TimeUnit.SECONDS), "fio finished");
        String o = Files.readString(out);
        assertEquals(0, fio.exitValue(), o);
        assertTrue(o.contains("err= 0"), o);
        // A path appearing at run time joins the device, registered first.
        Ctl.Answer add = mount.sim("path add");
        assertTrue(add.ok(), add.text());
        CtlPaths.Row added = CtlPaths.read(mount.point()).get(add.text().strip());
        assertEquals("active", added.state());
        assertEquals("yes", added.registered());
        assertFalse(Mounts.read(mount.point().resolve("ctl/sim")).isEmpty());
    }
}
