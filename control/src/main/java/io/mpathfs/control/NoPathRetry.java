package io.mpathfs.control;

/**
 * What IO does when no path is usable (dm-multipath's no_path_retry): fail at once, queue
 * forever, or queue for N checker intervals and then fail with EIO.
 */
public record NoPathRetry(int intervals) {
    public static final int QUEUE_FOREVER = -1;
    public static final NoPathRetry FAIL = new NoPathRetry(0);
    public static final NoPathRetry QUEUE = new NoPathRetry(QUEUE_FOREVER);

    /** Parses "fail", "queue" or a non-negative count, as multipath.conf spells it. */
    public static NoPathRetry parse(String s) {
        String v = s.trim().toLowerCase();
        if (v.equals("fail")) {
            return FAIL;
        }
        if (v.equals("queue")) {
            return QUEUE;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return new NoPathRetry(n);
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("no-path-retry must be fail, queue or a count >= 0: " + s);
    }

    public boolean queueForever() {
        return intervals == QUEUE_FOREVER;
    }

    @Override
    public String toString() {
        return intervals == QUEUE_FOREVER ? "queue" : intervals == 0 ? "fail" : Integer.toString(intervals);
    }
}
