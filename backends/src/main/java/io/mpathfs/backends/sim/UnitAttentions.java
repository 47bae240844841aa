package io.mpathfs.backends.sim;

import static io.mpathfs.backends.scsi.UnitAttentionCode.ASC_PARAMETERS_CHANGED;
import static io.mpathfs.backends.scsi.UnitAttentionCode.ASC_POWER_ON;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pending UNIT ATTENTION conditions per I_T nexus, with LIO's rules (target_core_ua.c, default
 * UA_INTLCK_CTRL 00b):
 * <ul>
 * <li>a nexus seen for the first time starts with POWER ON OCCURRED (29/00);</li>
 * <li>the same ASC/ASCQ is never queued twice;</li>
 * <li>a 29/xx condition goes to the head in front of 2A/xx ones (and in front of a lower 29/xx);</li>
 * <li>reporting one (CHECK CONDITION on the next command) reports the head and clears <em>all</em>
 * pending conditions of that nexus — so after a preempt that queued 2A/05 then 2A/04, the
 * initiator sees 2A/05 once and nothing more.</li>
 * </ul>
 * Not thread-safe: the logical unit's lock guards it.
 */
final class UnitAttentions {
    /** One condition: ASC/ASCQ (the sense key is always UNIT ATTENTION). */
    record Ua(int asc, int ascq) {
        @Override
        public String toString() {
            return String.format("%02x/%02x", asc, ascq);
        }
    }

    private final Map<NexusId, Deque<Ua>> pending = new HashMap<>();

    /** Registers a nexus on its first command (or first mention); new ones get 29/00. */
    void attach(NexusId n) {
        pending.computeIfAbsent(n, k -> {
            Deque<Ua> q = new ArrayDeque<>();
            q.add(new Ua(ASC_POWER_ON, 0x00));
            return q;
        });
    }

    Set<NexusId> known() {
        return pending.keySet();
    }

    void establish(NexusId n, int asc, int ascq) {
        attach(n);
        Deque<Ua> q = pending.get(n);
        Ua ua = new Ua(asc, ascq);
        if (q.contains(ua)) {
            return;
        }
        Ua head = q.peekFirst();
        boolean toHead = head != null && asc == ASC_POWER_ON
                && (head.asc() == ASC_PARAMETERS_CHANGED || (head.asc() == ASC_POWER_ON && ascq > head.ascq()));
        if (toHead) {
            q.addFirst(ua);
        } else {
            q.addLast(ua);
        }
    }

    void establish(Iterable<NexusId> nexuses, int asc, int ascq) {
        for (NexusId n : nexuses) {
            establish(n, asc, ascq);
        }
    }

    /** For a CHECK CONDITION: the head condition, clearing every pending one on that nexus. */
    Optional<Ua> report(NexusId n) {
        Deque<Ua> q = pending.get(n);
        if (q == null || q.isEmpty()) {
            return Optional.empty();
        }
        Ua head = q.peekFirst();
        q.clear();
        return Optional.of(head);
    }

    boolean hasPending(NexusId n) {
        Deque<Ua> q = pending.get(n);
        return q != null && !q.isEmpty();
    }

    List<Ua> pending(NexusId n) {
        Deque<Ua> q = pending.get(n);
        return q == null ? List.of() : new ArrayList<>(q);
    }

    /** Power cycle: every known nexus gets 29/00 (ahead of whatever it still had). */
    void powerOn() {
        for (NexusId n : new ArrayList<>(pending.keySet())) {
            establish(n, ASC_POWER_ON, 0x00);
        }
    }
}
