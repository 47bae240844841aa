package io.mpathfs.backends.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrKeysTest {
    @Test
    void cIntegerSyntax() throws Exception {
        assertEquals(0, PrKeys.parse("0"));
        assertEquals(10, PrKeys.parse("10"));
        assertEquals(10, PrKeys.parse("0xa"));
        assertEquals(10, PrKeys.parse("0XA"));
        assertEquals(10, PrKeys.parse("012"));
        assertEquals(0, PrKeys.parse("00"));
        assertEquals(-1L, PrKeys.parse("0xffffffffffffffff"));
        assertEquals(-1L, PrKeys.parse("18446744073709551615"));
        assertEquals(-1L, PrKeys.parse("01777777777777777777777"));
        assertEquals(0x123456789abcdef0L, PrKeys.parse("0x123456789abcdef0"));
    }

    @Test
    void rejects() {
        for (String bad : new String[] {"", "-1", "+1", " 1", "1 ", "0x", "08", "09", "1a", "0xg", "0x10000000000000000",
                "18446744073709551616", "02000000000000000000000", "１２", "0x٣"}) {
            PrSyntaxException e = assertThrows(PrSyntaxException.class, () -> PrKeys.parse(bad), "'" + bad + "'");
            assertEquals(-1, e.getMessage().indexOf('\n'));
        }
        assertThrows(PrSyntaxException.class, () -> PrKeys.parse(null));
    }

    @Test
    void formats() {
        assertEquals("0", PrKeys.format(0));
        assertEquals("0xa", PrKeys.format(10));
        assertEquals("0xffffffffffffffff", PrKeys.format(-1));
        assertEquals("0x0", PrKeys.hex(0));
    }
}
