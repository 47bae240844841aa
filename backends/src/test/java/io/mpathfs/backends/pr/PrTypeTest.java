package io.mpathfs.backends.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrTypeTest {
    /** code, blkpr name, Linux pr_type, sg_persist text, single, regs-only, all-regs, write-excl. */
    private static final Object[][] TABLE = {
            {1, "write-exclusive", 1, "Write Exclusive", true, false, false, true},
            {3, "exclusive-access", 2, "Exclusive Access", true, false, false, false},
            {5, "write-exclusive-reg-only", 3, "Write Exclusive, registrants only", false, true, false, true},
            {6, "exclusive-access-reg-only", 4, "Exclusive Access, registrants only", false, true, false, false},
            {7, "write-exclusive-all-regs", 5, "Write Exclusive, all registrants", false, false, true, true},
            {8, "exclusive-access-all-regs", 6, "Exclusive Access, all registrants", false, false, true, false},
    };

    @Test
    void everyNameAndPredicate() {
        assertEquals(TABLE.length, PrType.values().length);
        for (Object[] row : TABLE) {
            PrType t = PrType.fromScsiCode((int) row[0]).orElseThrow();
            assertEquals(row[1], t.blkprName());
            assertEquals(row[2], t.linuxType());
            assertEquals(row[3], t.description());
            assertEquals(row[4], t.singleHolder(), t + " singleHolder");
            assertEquals(row[5], t.registrantsOnly(), t + " registrantsOnly");
            assertEquals(row[6], t.allRegistrants(), t + " allRegistrants");
            assertEquals(row[7], t.writeExclusive(), t + " writeExclusive");
            assertEquals(Optional.of(t), PrType.fromBlkprName((String) row[1]));
            assertEquals(Optional.of(t), PrType.fromBlkprName(((String) row[1]).toUpperCase()));
            assertEquals(Optional.of(t), PrType.fromLinuxType((int) row[2]));
        }
    }

    @Test
    void unknownValues() {
        for (int code : new int[] {0, 2, 4, 9, 15, -1}) {
            assertFalse(PrType.fromScsiCode(code).isPresent(), "code " + code);
        }
        assertFalse(PrType.fromLinuxType(0).isPresent());
        assertFalse(PrType.fromLinuxType(7).isPresent());
        assertFalse(PrType.fromBlkprName("write_exclusive").isPresent());
        assertFalse(PrType.fromBlkprName(null).isPresent());
        assertEquals("obsolete [2]", PrType.describeScsiCode(2));
        assertEquals("reserved [9]", PrType.describeScsiCode(9));
        assertTrue(PrType.blkprNames().startsWith("write-exclusive, exclusive-access, "));
    }
}
