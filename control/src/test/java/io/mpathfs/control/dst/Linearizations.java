package io.mpathfs.control.dst;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every state ONE device could be in after what was observed so far. Operations that did not
 * overlap happened in the order seen; an operation of ours that overlapped others (another host's
 * command or an IO landing between two of the coordinator's steps) may take effect at any point
 * among them, and an operation that ended ambiguously (EIO) may or may not have taken effect. A
 * state survives while it explains every answer seen; none left is a violation: no single device
 * could have behaved like that.
 */
final class Linearizations {
    /** One observed operation; observed null: ended ambiguously (took effect or not). */
    record Event(UserOp op, UserOp.Outcome observed) {
        @Override
        public String toString() {
            return op.describe() + " -> " + (observed == null ? "ambiguous (EIO)" : observed);
        }
    }

    private static final int CAP = 24;
    private List<SingleDevice> worlds = new ArrayList<>(List.of(SingleDevice.fresh()));

    /** An operation that overlapped nothing. Returns null, or why no single device explains it. */
    String atomic(Event e) {
        return overlapping(e, List.of());
    }

    /**
     * Our operation, with the other events that happened while it was in flight (in the order
     * they reached the target).
     */
    String overlapping(Event ours, List<Event> during) {
        if (during.isEmpty() && ours.observed() != null) {
            return inPlace(ours);
        }
        Map<String, SingleDevice> next = new LinkedHashMap<>();
        String firstMismatch = null;
        for (SingleDevice w : worlds) {
            for (int at = 0; at <= during.size(); at++) {
                String why = tryOrder(w, ours, during, at, true, next);
                firstMismatch = firstMismatch == null ? why : why == null ? firstMismatch : firstMismatch + " | " + why;
            }
            if (ours.observed() == null) {
                tryOrder(w, ours, during, during.size(), false, next);
            }
        }
        if (next.isEmpty()) {
            StringBuilder b = new StringBuilder(firstMismatch).append("; the single-device states it started from:");
            for (SingleDevice w : worlds) {
                b.append(" [").append(w.state()).append(']');
            }
            return b.toString();
        }
        for (SingleDevice w : worlds) {
            w.close();
        }
        worlds = new ArrayList<>(next.values());
        return null;
    }

    /** One possible order only: apply to every state where it is, no copies. */
    private String inPlace(Event e) {
        List<SingleDevice> keep = new ArrayList<>();
        String firstMismatch = null;
        for (SingleDevice w : worlds) {
            UserOp.Outcome o = w.apply(e.op());
            if (e.observed().equals(o)) {
                keep.add(w);
            } else {
                firstMismatch = firstMismatch != null ? firstMismatch
                        : e.op().describe() + ": observed " + e.observed() + ", a single device answers " + o;
                w.close();
            }
        }
        if (keep.isEmpty()) {
            return firstMismatch;
        }
        worlds = keep;
        return null;
    }

    private String tryOrder(SingleDevice base, Event ours, List<Event> during, int at, boolean applied,
                            Map<String, SingleDevice> next) {
        SingleDevice w = base.copy();
        List<Event> order = new ArrayList<>(during);
        if (applied) {
            order.add(at, ours);
        }
        for (Event e : order) {
            UserOp.Outcome o = w.apply(e.op());
            if (e.observed() != null && !e.observed().equals(o)) {
                w.close();
                return e.op().describe() + ": observed " + e.observed() + ", a single device answers " + o
                        + (during.isEmpty() ? "" : " (in the order " + order + ")");
            }
        }
        String k = w.identityKey();
        if (next.containsKey(k) || next.size() >= CAP) {
            w.close();
        } else {
            next.put(k, w);
        }
        return null;
    }

    /** At quiescence the multipath device's folded state must be one a single device could be in. */
    String matchState(Folded real) {
        return matchState(real, true);
    }

    /** As {@link #matchState(Folded)} when none of our paths is usable: our own key cannot be seen. */
    String matchStateUnknownOurs(Folded real) {
        return matchState(real, false);
    }

    private String matchState(Folded real, boolean oursKnown) {
        List<SingleDevice> keep = new ArrayList<>();
        for (SingleDevice w : worlds) {
            if (matches(w.state(), real, oursKnown)) {
                keep.add(w);
            }
        }
        if (keep.isEmpty()) {
            StringBuilder b = new StringBuilder("the multipath device is in state [" + real
                    + "], a single device would be in");
            for (SingleDevice w : worlds) {
                b.append(" [").append(w.state()).append(']');
            }
            return b.toString();
        }
        for (SingleDevice w : worlds) {
            if (!keep.contains(w)) {
                w.close();
            }
        }
        worlds = keep;
        return null;
    }

    private static boolean matches(Folded oracle, Folded real, boolean oursKnown) {
        Map<String, Long> o = new LinkedHashMap<>(oracle.keys());
        if (!oursKnown) {
            o.remove("A");
        }
        return o.equals(real.keys()) && oracle.type() == real.type()
                && Objects.equals(oracle.holderHost(), real.holderHost());
    }

    /** Does every single-device state keep the same host as all-registrants holder as this one? */
    boolean allRegistrantsHolderIs(String host) {
        for (SingleDevice w : worlds) {
            if (!Objects.equals(w.allRegistrantsHolderHost(), host)) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return worlds.size();
    }

    /** Our key as every remaining single-device state has it; -1 when they disagree. */
    long ourKey() {
        long k = worlds.get(0).state().keys().getOrDefault("A", 0L);
        for (SingleDevice w : worlds) {
            if (w.state().keys().getOrDefault("A", 0L) != k) {
                return -1;
            }
        }
        return k;
    }

    void close() {
        for (SingleDevice w : worlds) {
            w.close();
        }
    }
}
