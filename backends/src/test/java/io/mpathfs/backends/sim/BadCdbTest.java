package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.backends.scsi.SenseKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Malformed commands get CHECK CONDITION ILLEGAL REQUEST with the right ASC/ASCQ, never an exception. */
class BadCdbTest {
    /** CDB in hex, direction, buffer length (or hex data for data-out), expected "key asc/ascq". */
    private record Row(String what, String cdb, Direction dir, String data, String expected) {
    }

    private static final long BLOCKS = (64L << 20) / 512; // Sim's LU: 64 MiB

    private static String hex16(long v) {
        return String.format("%016x", v);
    }

    private static final List<Row> ROWS = List.of(
            new Row("empty CDB", "", Direction.NONE, null, "Illegal Request 20/00"),
            new Row("vendor opcode", "ff0000000000", Direction.NONE, null, "Illegal Request 20/00"),
            new Row("READ(6) unsupported", "080000000100", Direction.FROM_DEVICE, "512", "Illegal Request 20/00"),
            new Row("MODE SENSE(6) unsupported", "1a003f00ff00", Direction.FROM_DEVICE, "255", "Illegal Request 20/00"),
            new Row("READ(10) cut to 6 bytes", "280000000000", Direction.FROM_DEVICE, "512", "Illegal Request 24/00"),
            new Row("SERVICE ACTION IN(16), not READ CAPACITY", "9e11000000000000000000000020" + "0000",
                    Direction.FROM_DEVICE, "32", "Illegal Request 24/00"),
            new Row("READ(16) at the last block + 1", "8800" + hex16(BLOCKS) + "000000010000", Direction.FROM_DEVICE,
                    "512", "Illegal Request 21/00"),
            new Row("READ(16) crossing the end", "8800" + hex16(BLOCKS - 1) + "000000020000", Direction.FROM_DEVICE,
                    "1024", "Illegal Request 21/00"),
            new Row("WRITE(16) wrapping LBA", "8a00" + hex16(-16) + "000000200000", Direction.TO_DEVICE,
                    "00".repeat(512 * 32), "Illegal Request 21/00"),
            new Row("READ(10) beyond the end", "2800ffffffff00000100", Direction.FROM_DEVICE, "512",
                    "Illegal Request 21/00"),
            new Row("WRITE(10) data shorter than the transfer length", "2a000000000000000200", Direction.TO_DEVICE,
                    "00".repeat(512), "Illegal Request 0e/03"),
            new Row("SYNCHRONIZE CACHE beyond the end (SBC; LIO rd_mcp skips the check)", "3500ffffff0000010000", Direction.NONE, null,
                    "Illegal Request 21/00"),
            new Row("INQUIRY CMDDT", "120200006000", Direction.FROM_DEVICE, "96", "Illegal Request 24/00"),
            new Row("INQUIRY page without EVPD", "120083006000", Direction.FROM_DEVICE, "96", "Illegal Request 24/00"),
            new Row("INQUIRY unknown VPD page", "120142006000", Direction.FROM_DEVICE, "96", "Illegal Request 24/00"),
            new Row("PR IN service action 4", "5e040000000000100000", Direction.FROM_DEVICE, "16", "Illegal Request 24/00"),
            new Row("PR IN READ KEYS allocation 7", "5e000000000000000700", Direction.FROM_DEVICE, "7",
                    "Illegal Request 24/00"),
            new Row("PR IN REPORT CAPABILITIES allocation 5", "5e020000000000000500", Direction.FROM_DEVICE, "5",
                    "Illegal Request 24/00"),
            new Row("PR OUT parameter list 0", "5f000000000000000000", Direction.NONE, null, "Illegal Request 1a/00"),
            new Row("PR OUT parameter list 23", "5f000000000000001700", Direction.TO_DEVICE, "00".repeat(23),
                    "Illegal Request 1a/00"),
            new Row("PR OUT parameter list 32", "5f000000000000002000", Direction.TO_DEVICE, "00".repeat(32),
                    "Illegal Request 1a/00"),
            new Row("PR OUT service action 8", "5f080000000000001800", Direction.TO_DEVICE, "00".repeat(24),
                    "Illegal Request 24/00"),
            new Row("PR OUT SPEC_I_PT on RESERVE", "5f010100000000001800", Direction.TO_DEVICE,
                    "00".repeat(20) + "08000000", "Illegal Request 26/00"),
            new Row("PR OUT SPEC_I_PT on REGISTER (not supported)", "5f000000000000001800", Direction.TO_DEVICE,
                    "00".repeat(15) + "0a" + "00".repeat(4) + "08000000", "Illegal Request 26/00"),
            new Row("PR OUT REGISTER AND MOVE (not supported)", "5f070000000000001800", Direction.TO_DEVICE,
                    "00".repeat(24), "Illegal Request 24/00"),
            new Row("PR OUT RESERVE type 2 (obsolete)", "5f010200000000001800", Direction.TO_DEVICE, "00".repeat(24),
                    "Illegal Request 24/00"),
            new Row("PR OUT PREEMPT type 15", "5f040f00000000001800", Direction.TO_DEVICE, "00".repeat(24),
                    "Illegal Request 24/00"));

    @TestFactory
    Stream<DynamicTest> eachBadCdb() {
        return ROWS.stream().map(row -> DynamicTest.dynamicTest(row.what(), () -> {
            try (Sim s = Sim.clean(1)) {
                byte[] cdb = HexFormat.of().parseHex(row.cdb());
                byte[] data = row.data() == null ? null
                        : row.dir() == Direction.TO_DEVICE ? HexFormat.of().parseHex(row.data())
                        : new byte[Integer.parseInt(row.data())];
                ScsiResult r = s.run("A1", cdb, row.dir(), data);
                assertEquals("CHECK CONDITION " + row.expected(), r.describe());
                assertEquals(0x70, r.sense()[0] & 0xff, "fixed-format sense");
                assertEquals(18, r.sense().length);
                assertEquals(10, r.sense()[7]);
            }
        }));
    }

    @Test
    void lastBlockIsInRange() {
        try (Sim s = Sim.clean(1)) {
            Sim.expectGood(s.read("A1", BLOCKS - 1, 1));
            Sim.expectGood(s.write("A1", BLOCKS - 1, 1));
            Sim.expectGood(s.read("A1", BLOCKS, 0)); // zero blocks at the end: nothing to do
        }
    }

    /** A pending unit attention does not hide a bad CDB (LIO checks the CDB first) and survives it. */
    @Test
    void badCdbIsAnsweredBeforeAPendingUnitAttention() {
        try (Sim s = new Sim(1)) {
            Sim.expectSense(s.run("A1", new byte[] {(byte) 0xff, 0, 0, 0, 0, 0}, Direction.NONE, null),
                    SenseKey.ILLEGAL_REQUEST, 0x20, 0);
            Sim.expectUa(s.tur("A1"), 0x29, 0x00);
        }
    }

    /** Random CDBs and data never make the LU throw, and every answer is well formed. */
    @Test
    void fuzzNeverThrows() {
        Random rnd = new Random(42);
        Set<Integer> statuses = Set.of(ScsiStatus.GOOD, ScsiStatus.CHECK_CONDITION, ScsiStatus.RESERVATION_CONFLICT);
        try (Sim s = Sim.clean(2)) {
            s.register("A1", 0, 0xa);
            s.reserve("A1", 0xa, PrType.WRITE_EXCLUSIVE);
            int[] interesting = {0x00, 0x03, 0x12, 0x25, 0x28, 0x2a, 0x35, 0x5e, 0x5f, 0x88, 0x8a, 0x9e, 0xa0};
            for (int i = 0; i < 20_000; i++) {
                byte[] cdb = new byte[rnd.nextInt(18)];
                rnd.nextBytes(cdb);
                if (cdb.length > 0 && rnd.nextBoolean()) {
                    cdb[0] = (byte) interesting[rnd.nextInt(interesting.length)];
                }
                Direction dir = Direction.values()[rnd.nextInt(3)];
                byte[] data = rnd.nextInt(4) == 0 ? null : new byte[rnd.nextInt(2048)];
                if (data != null) {
                    rnd.nextBytes(data);
                }
                String n = rnd.nextBoolean() ? "A1" : "B1";
                ScsiResult r = s.run(n, cdb, dir, data);
                assertTrue(statuses.contains(r.status()), r.describe());
                if (r.isCheckCondition()) {
                    assertEquals(18, r.sense().length);
                    assertTrue(r.senseKey() != SenseKey.HARDWARE_ERROR, "internal error for " + HexFormat.of()
                            .formatHex(cdb) + ": " + r.describe());
                }
            }
        }
    }

    /** LIO: a data-out buffer shorter than the parameter list length is INVALID FIELD IN CDB. */
    @Test
    void prOutWithAShortBuffer() {
        try (Sim s = Sim.clean(1)) {
            PrOut.Request r = PrOut.register(0, 0xa, false, false);
            ScsiResult res = s.run("A1", r.cdb(), Direction.TO_DEVICE, Arrays.copyOf(r.params(), 16));
            Sim.expectSense(res, SenseKey.ILLEGAL_REQUEST, 0x24, 0x00);
            assertTrue(s.t.prSnapshot().registrations().isEmpty());
            assertEquals(24, Cdb.getInt(r.cdb(), 5));
        }
    }

    /** A PR IN buffer smaller than the allocation length counts as the allocation length (LIO). */
    @Test
    void prInWithASmallBuffer() {
        try (Sim s = Sim.clean(1)) {
            Sim.expectSense(s.run("A1", Cdb.prIn(0, 100), Direction.FROM_DEVICE, new byte[4]),
                    SenseKey.ILLEGAL_REQUEST, 0x24, 0x00);
            Sim.expectGood(s.run("A1", Cdb.prIn(0, 100), Direction.FROM_DEVICE, new byte[8]));
        }
    }
}
