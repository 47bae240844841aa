package io.mpathfs.backends.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.scsi.Cdb;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrCommandTest {
    @Test
    void registerMapsOldKeyToRkAndKeyToSark() throws Exception {
        PrCommand c = PrCommand.parse("-c register -K 0xa -k 0xb");
        assertEquals(PrCommand.Verb.REGISTER, c.verb());
        assertEquals(0xa, c.reservationKey());
        assertEquals(0xb, c.serviceActionKey());
        assertFalse(c.ignoreKey());
        c = PrCommand.parse("--command=register --key 0xb --flag ignore-key");
        assertTrue(c.ignoreKey());
        assertEquals(0, c.reservationKey());
        c = PrCommand.parse("-c register -k 0"); // unregister
        assertEquals(0, c.serviceActionKey());
    }

    @Test
    void preemptMapsOwnKeyToRkAndVictimToSark() throws Exception {
        PrCommand c = PrCommand.parse("-c preempt -K 0x1 -k 0x2 -t exclusive-access");
        assertEquals(0x1, c.reservationKey());
        assertEquals(0x2, c.serviceActionKey());
        assertEquals(Optional.of(PrType.EXCLUSIVE_ACCESS), c.type());
        c = PrCommand.parse("-c preempt-abort --oldkey=1 --key=0 --type write-exclusive-all-regs");
        assertEquals(PrCommand.Verb.PREEMPT_ABORT, c.verb());
        assertEquals(0, c.serviceActionKey());
    }

    @Test
    void reserveReleaseClearUseKeyAsRk() throws Exception {
        assertEquals(7, PrCommand.parse("-c reserve -k 7 -t write-exclusive").reservationKey());
        assertEquals(8, PrCommand.parse("-c release -k010 -t write-exclusive").reservationKey());
        assertEquals(9, PrCommand.parse("  -c   clear   -k 9  ").reservationKey());
        PrCommand c = PrCommand.parse("-c read-keys");
        assertFalse(c.verb().isPrOut());
        assertTrue(PrCommand.Verb.CLEAR.isPrOut());
        assertEquals(0, c.reservationKey());
    }

    @Test
    void prOutRequestsCarryTheRightFields() throws Exception {
        PrOut.Request r = PrOut.of(PrCommand.parse("-c preempt -K 0x1 -k 0x2 -t exclusive-access"), false);
        assertEquals(0x5f, r.cdb()[0] & 0xff);
        assertEquals(4, r.cdb()[1]);
        assertEquals(3, r.cdb()[2]);
        assertEquals(24, Cdb.getInt(r.cdb(), 5));
        assertEquals(1, Cdb.getLong(r.params(), 0));
        assertEquals(2, Cdb.getLong(r.params(), 8));
        r = PrOut.of(PrCommand.parse("-c register -k 0xb -f ignore-key"), true);
        assertEquals(PrOutAction.REGISTER_AND_IGNORE_EXISTING_KEY, r.action());
        assertEquals(6, r.cdb()[1]);
        assertEquals(1, r.params()[20]); // APTPL, as sd.c sends it
        assertThrows(IllegalArgumentException.class, () -> PrOut.of(PrCommand.parse("-c read-keys"), false));
    }

    @Test
    void canonicalFormParsesBack() throws Exception {
        for (String line : new String[] {"-c register -k 0xb -K 0xa -f ignore-key", "-c reserve -k 0x1 -t write-exclusive",
                "-c preempt -k 0x0 -K 0x5 -t exclusive-access-all-regs", "-c read-full-status"}) {
            PrCommand c = PrCommand.parse(line);
            assertEquals(c.toString(), PrCommand.parse(c.toString()).toString());
        }
    }

    @Test
    void clearReasons() {
        String[][] cases = {
                {"", "empty command"},
                {"-k 1", "missing -c COMMAND"},
                {"-c frobnicate", "unknown command 'frobnicate'"},
                {"-c reserve -k 0x1", "reserve needs -t TYPE"},
                {"-c reserve -k 0 -t write-exclusive", "reserve needs a non-zero -k KEY"},
                {"-c release -t write-exclusive", "release needs a non-zero -k KEY"},
                {"-c clear -k 0", "clear needs a non-zero -k KEY"},
                {"-c preempt -K 0 -k 1 -t write-exclusive", "preempt needs a non-zero -K OWNKEY"},
                {"-c preempt -K 1 -t write-exclusive", "preempt needs -k VICTIMKEY"},
                {"-c preempt -K 1 -k 2", "preempt needs -t TYPE"},
                {"-c register", "register needs -k NEWKEY"},
                {"-c register -k 1 -t write-exclusive", "-t does not apply to register"},
                {"-c reserve -k 1 -t bogus", "unknown type 'bogus'"},
                {"-c register -k 1 -f sideways", "unknown flag 'sideways'"},
                {"-c reserve -k 1 -t write-exclusive -f ignore-key", "-f ignore-key applies to register only"},
                {"-c register -k 0xzz", "-k: bad number '0xzz'"},
                {"-c register -k -1", "-k: bad number '-1'"},
                {"-c register -k 1 -k 2", "-k given twice"},
                {"-c register -k", "option -k needs a value"},
                {"-c register -x 1", "unknown option '-x'"},
                {"register -k 1", "unexpected argument 'register'"},
                {"-c read-keys -k 1", "read-keys takes no -k, -K or -t"},
                {"-c clear -k 1 -K 2", "-K does not apply to clear"},
                {"-c register -k 1\u0001", "control character in command line"},
                {"-c register -k " + "1".repeat(5000), "command line longer than 4096 characters"},
        };
        for (String[] c : cases) {
            PrSyntaxException e = assertThrows(PrSyntaxException.class, () -> PrCommand.parse(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(c[1]), c[0] + " -> " + e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'));
        }
    }

    /** Anything at all: a command or a PrSyntaxException, never another exception. */
    @Test
    void garbageFuzz() {
        Random rnd = new Random(1234);
        String[] pieces = {"-c", "--command", "-k", "-K", "-t", "-f", "--key=", "--type", "register", "reserve",
                "preempt", "clear", "0x", "0xa", "08", "-1", "write-exclusive", "ignore-key", "=", " ", "\t", "--",
                "-", "\u0000", "\u00e9", "99999999999999999999", "read-keys"};
        int parsed = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = rnd.nextInt(10);
            for (int j = 0; j < n; j++) {
                if (rnd.nextInt(5) == 0) {
                    b.append((char) rnd.nextInt(0x3000));
                } else {
                    b.append(pieces[rnd.nextInt(pieces.length)]);
                }
                if (rnd.nextBoolean()) {
                    b.append(' ');
                }
            }
            try {
                PrCommand c = PrCommand.parse(b.toString());
                parsed++;
                assertEquals(c.toString(), PrCommand.parse(c.toString()).toString());
            } catch (PrSyntaxException e) {
                assertFalse(e.getMessage().isEmpty());
            }
        }
        assertTrue(parsed > 0, "the fuzz should produce some valid commands too");
    }
}
