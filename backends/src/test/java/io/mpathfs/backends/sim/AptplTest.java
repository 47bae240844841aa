package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** APTPL: accepted on REGISTER, and what it keeps across power loss (memory) or restart (file). */
class AptplTest {
    @TempDir
    Path dir;

    private SimTarget open(Path file) throws Exception {
        return SimTarget.create(SimConfig.builder().capacityBytes(8L << 20).targetPorts(2).backingFile(file).build());
    }

    private static void good(ScsiChannel ch, PrOut.Request r) throws Exception {
        ScsiResult res;
        int tries = 0;
        do {
            res = ch.execute(r.cdb(), Direction.TO_DEVICE, r.params(), 1000);
        } while (res.isUnitAttention() && ++tries < 5);
        assertTrue(res.isGood(), res.describe());
    }

    @Test
    void fileBackedLuKeepsDataIdentityAndAptplStateAcrossRestart() throws Exception {
        Path file = dir.resolve("lu.img");
        String identity;
        try (SimTarget t = open(file); AlignedBuffer b = AlignedBuffer.allocate(512)) {
            good(t.nexus("A", 1), PrOut.register(0, 0xa, true, false));
            good(t.nexus("B", 2), PrOut.register(0, 0xb, true, false));
            good(t.nexus("A", 1), PrOut.reserve(0xa, PrType.WRITE_EXCLUSIVE_REG_ONLY));
            b.put(0, new byte[] {1, 2, 3}, 0, 3);
            t.path(0).write(512 * 9, b, 512); // A1 holds; A2 is unregistered and would conflict
            identity = t.identity();
            assertTrue(Files.readString(dir.resolve("lu.img.aptpl")).contains("register iqn.2024-01.io.mpathfs:host-b 2 b"));
        }
        assertEquals(8L << 20, Files.size(file));
        try (SimTarget t = open(file); AlignedBuffer b = AlignedBuffer.allocate(512)) {
            PrSnapshot s = t.prSnapshot();
            assertEquals(2, s.registrations().size());
            assertEquals(0xb, s.registration(t.nexus("B", 2).id()).orElseThrow().key());
            assertEquals(PrType.WRITE_EXCLUSIVE_REG_ONLY, s.type());
            assertEquals(t.nexus("A", 1).id(), s.holder());
            assertEquals(2, s.generation()); // LIO: one per restored registration
            assertTrue(s.aptplActive());
            assertEquals(identity, t.identity());
            t.path(0).read(512 * 9, b, 512);
            byte[] d = new byte[3];
            b.get(0, d, 0, 3);
            assertEquals(3, d[2]);
        }
    }

    @Test
    void withoutAptplNothingSurvives() throws Exception {
        Path file = dir.resolve("lu.img");
        try (SimTarget t = open(file)) {
            good(t.nexus("A", 1), PrOut.register(0, 0xa, false, false));
            assertTrue(!t.prSnapshot().aptplActive());
        }
        try (SimTarget t = open(file)) {
            assertTrue(t.prSnapshot().registrations().isEmpty());
        }
    }

    @Test
    void clearAndAPlainRegisterEndPersistence() throws Exception {
        Path file = dir.resolve("lu.img");
        try (SimTarget t = open(file)) {
            good(t.nexus("A", 1), PrOut.register(0, 0xa, true, false));
            good(t.nexus("A", 1), PrOut.clear(0xa));
            assertTrue(!t.prSnapshot().aptplActive());
        }
        try (SimTarget t = open(file)) {
            assertTrue(t.prSnapshot().registrations().isEmpty());
            good(t.nexus("A", 1), PrOut.register(0, 0xa, true, false));
            good(t.nexus("B", 1), PrOut.register(0, 0xb, false, false)); // the last REGISTER decides (LIO)
        }
        try (SimTarget t = open(file)) {
            assertTrue(t.prSnapshot().registrations().isEmpty());
        }
    }

    @Test
    void corruptStateFileIsIgnored() throws Exception {
        Path file = dir.resolve("lu.img");
        Files.writeString(dir.resolve("lu.img.aptpl"), "register nonsense\n\u0000garbage");
        try (SimTarget t = open(file)) {
            assertTrue(t.prSnapshot().registrations().isEmpty());
            assertTrue(!t.prSnapshot().aptplActive());
        }
    }

    @Test
    void inMemoryPowerCycleKeepsAptplState() throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(1 << 20).build())) {
            good(t.nexus("A", 1), PrOut.register(0, 0xa, true, false));
            good(t.nexus("A", 2), PrOut.register(0, 0xa, true, false));
            good(t.nexus("A", 1), PrOut.reserve(0xa, PrType.EXCLUSIVE_ACCESS));
            good(t.nexus("A", 2), PrOut.register(0xa, 0xa2, true, false));
            t.powerCycle();
            PrSnapshot s = t.prSnapshot();
            assertEquals(2, s.registrations().size());
            assertEquals(PrType.EXCLUSIVE_ACCESS, s.type());
            assertEquals(2, s.generation());
            assertEquals(0xa2, s.registration(t.nexus("A", 2).id()).orElseThrow().key());
        }
    }
}
