package io.mpathfs.backends.pr;

/**
 * Reservation keys as users write them: C integer syntax (decimal, 0x hex, leading-0 octal) as
 * blkpr's strtoull does, unsigned 64-bit, without a sign. Printed as blkpr does ({@code %#jx}).
 */
public final class PrKeys {
    private PrKeys() {
    }

    /** Parses "10", "0xa", "012"; rejects signs, spaces, overflow and trailing garbage. */
    public static long parse(String text) throws PrSyntaxException {
        if (text == null || text.isEmpty()) {
            throw new PrSyntaxException("missing number");
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        int radix = 10;
        String digits = text;
        if (text.length() > 2 && (text.startsWith("0x") || text.startsWith("0X"))) {
            radix = 16;
            digits = text.substring(2);
        } else if (text.length() > 1 && text.charAt(0) == '0') {
            radix = 8;
            digits = text.substring(1);
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), radix);
            if (d < 0 || digits.charAt(i) > 0x7f) {
                throw new PrSyntaxException("bad number '" + printable(shown) + "'");
            }
            // value * radix + d must fit in 64 unsigned bits.
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, radix)) > 0) {
                throw new PrSyntaxException("number too large '" + printable(shown) + "'");
            }
            long next = value * radix + d;
            if (Long.compareUnsigned(next, value * radix) < 0) {
                throw new PrSyntaxException("number too large '" + printable(shown) + "'");
            }
            value = next;
        }
        return value;
    }

    /** blkpr's {@code %#jx}: "0" for zero, else "0x" and lower-case hex. */
    public static String format(long key) {
        return key == 0 ? "0" : "0x" + Long.toHexString(key);
    }

    /** Always with the 0x prefix ("0x0" for zero): sg_persist's and the sim's status views. */
    public static String hex(long key) {
        return "0x" + Long.toHexString(key);
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
