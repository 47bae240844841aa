package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpathfs.backends.pr.PrIn;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The reservation-conflict table, written out by hand (not derived from the code under test): every
 * type × {holder, registered non-holder, unregistered} × command, each cell asserting status, sense
 * key and ASC/ASCQ. G = GOOD (no sense), C = RESERVATION CONFLICT (no sense). LIO's answers where it
 * differs from SPC-4: a no-data SYNCHRONIZE CACHE passes for unregistered nexuses under the
 * write-exclusive types, a registered non-holder's SYNCHRONIZE CACHE conflicts under plain Write
 * Exclusive, and READ CAPACITY conflicts for non-holders under the exclusive-access types.
 */
class ConflictTableTest {
    /** Column order of the table. */
    private static final List<String> COMMANDS = List.of("READ", "WRITE", "SYNC", "TUR", "INQUIRY", "PR_IN",
            "REGISTER", "READ_CAPACITY");

    //                          type                            role     READ WRITE SYNC TUR INQ PRIN REG RCAP
    private static final Object[][] TABLE = {
            {PrType.WRITE_EXCLUSIVE, "holder", "G G G G G G G G"},
            {PrType.WRITE_EXCLUSIVE, "registered", "G C C G G G G G"},
            {PrType.WRITE_EXCLUSIVE, "unregistered", "G C G G G G G G"},
            {PrType.EXCLUSIVE_ACCESS, "holder", "G G G G G G G G"},
            {PrType.EXCLUSIVE_ACCESS, "registered", "C C C G G G G C"},
            {PrType.EXCLUSIVE_ACCESS, "unregistered", "C C C G G G G C"},
            {PrType.WRITE_EXCLUSIVE_REG_ONLY, "holder", "G G G G G G G G"},
            {PrType.WRITE_EXCLUSIVE_REG_ONLY, "registered", "G G G G G G G G"},
            {PrType.WRITE_EXCLUSIVE_REG_ONLY, "unregistered", "G C G G G G G G"},
            {PrType.EXCLUSIVE_ACCESS_REG_ONLY, "holder", "G G G G G G G G"},
            {PrType.EXCLUSIVE_ACCESS_REG_ONLY, "registered", "G G G G G G G G"},
            {PrType.EXCLUSIVE_ACCESS_REG_ONLY, "unregistered", "C C C G G G G C"},
            {PrType.WRITE_EXCLUSIVE_ALL_REGS, "holder", "G G G G G G G G"},
            {PrType.WRITE_EXCLUSIVE_ALL_REGS, "registered", "G G G G G G G G"},
            {PrType.WRITE_EXCLUSIVE_ALL_REGS, "unregistered", "G C G G G G G G"},
            {PrType.EXCLUSIVE_ACCESS_ALL_REGS, "holder", "G G G G G G G G"},
            {PrType.EXCLUSIVE_ACCESS_ALL_REGS, "registered", "G G G G G G G G"},
            {PrType.EXCLUSIVE_ACCESS_ALL_REGS, "unregistered", "C C C G G G G C"},
    };

    @TestFactory
    Stream<DynamicTest> everyTypeRoleAndCommand() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Object[] row : TABLE) {
            PrType type = (PrType) row[0];
            String role = (String) row[1];
            String[] cells = ((String) row[2]).split(" ");
            assertEquals(COMMANDS.size(), cells.length);
            for (int i = 0; i < cells.length; i++) {
                String command = COMMANDS.get(i);
                boolean conflict = cells[i].equals("C");
                tests.add(DynamicTest.dynamicTest(type.blkprName() + " " + role + " " + command + " -> "
                        + (conflict ? "CONFLICT" : "GOOD"), () -> check(type, role, command, conflict)));
            }
        }
        return tests.stream();
    }

    private static void check(PrType type, String role, String command, boolean conflict) {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("A1", 0xa, type));
            String nexus = switch (role) {
                case "holder" -> "A1";
                case "registered" -> "B1";
                default -> "B2";
            };
            ScsiResult r = send(s, nexus, command);
            // status, sense key and ASC/ASCQ all at once: GOOD and RESERVATION CONFLICT carry no sense.
            assertEquals(conflict ? "RESERVATION CONFLICT -1 -1/-1" : "GOOD -1 -1/-1",
                    r.describe() + " " + r.senseKey() + " " + r.asc() + "/" + r.ascq());
            assertEquals(0, r.sense().length);
        }
    }

    private static ScsiResult send(Sim s, String n, String command) {
        return switch (command) {
            case "READ" -> s.read(n, 0, 1);
            case "WRITE" -> s.write(n, 0, 1);
            case "SYNC" -> s.run(n, Cdb.synchronizeCache10(), Direction.NONE, null);
            case "TUR" -> s.tur(n);
            case "INQUIRY" -> s.run(n, Cdb.inquiry(false, 0, 96), Direction.FROM_DEVICE, new byte[96]);
            case "PR_IN" -> s.run(n, PrIn.cdb(PrInAction.READ_FULL_STATUS), Direction.FROM_DEVICE, new byte[4096]);
            case "REGISTER" -> s.out(n, PrOut.registerAndIgnore(0x99, false, false));
            case "READ_CAPACITY" -> s.run(n, Cdb.readCapacity16(32), Direction.FROM_DEVICE, new byte[32]);
            default -> throw new IllegalArgumentException(command);
        };
    }
}
