package io.mpathfs.fuse.cli;

/** Sizes as storage tools write them: 512, 64K, 256M, 1G, 2T (powers of 1024), optional "iB"/"B". */
final class Sizes {
    private Sizes() {
    }

    static long parse(String s) {
        String v = s.trim().toUpperCase().replaceAll("I?B$", "");
        long mult = 1;
        if (!v.isEmpty() && "KMGT".indexOf(v.charAt(v.length() - 1)) >= 0) {
            mult = 1L << (10 * ("KMGT".indexOf(v.charAt(v.length() - 1)) + 1));
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad size '" + s + "' (e.g. 256M, 1G)");
        }
    }

    /** The size as multipath -ll prints it: 256M, 1.5G (powers of 1024, one decimal when not whole). */
    static String human(long bytes) {
        String units = "KMGTP";
        if (bytes < 1024) {
            return bytes + "B";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.floor(v) ? Long.toString((long) v) : String.format("%.1f", v)) + units.charAt(u);
    }
}
