package io.mpathfs.backends.sim;

import io.mpathfs.backends.pr.PrType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Registrations, the reservation and PRgeneration of the LU, shaped like LIO's: registrations in
 * arrival order (READ KEYS lists them so), and the reservation as a pointer to the holder's
 * registration plus a type. For the all-registrants types that pointer is just one of the
 * registrants (LIO's dev_pr_res_holder) and every registrant counts as holder. Plain data with
 * invariants; the service actions live in {@link PrOutService}. Guarded by the LU's lock.
 */
final class TargetReservations {
    private final List<Registrant> registrations = new ArrayList<>();
    private Registrant holder;
    private PrType type;
    private int generation;
    private boolean aptplActive;

    List<Registrant> registrations() {
        return Collections.unmodifiableList(registrations);
    }

    Optional<Registrant> find(NexusId n) {
        for (Registrant r : registrations) {
            if (r.nexus.equals(n)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    boolean isRegistered(NexusId n) {
        return find(n).isPresent();
    }

    /** Adds a registration; LIO bumps PRgeneration once per registration created. */
    void add(Registrant r) {
        registrations.add(r);
        generation++;
    }

    /** Drops a registration; the caller has already dealt with the reservation if it was the holder. */
    void remove(Registrant r) {
        registrations.remove(r);
        if (holder == r) {
            holder = null;
            type = null;
        }
    }

    void removeAll() {
        registrations.clear();
        holder = null;
        type = null;
    }

    boolean reserved() {
        return holder != null;
    }

    /** The registration LIO records as holder; for all-registrants types only a representative. */
    Registrant holder() {
        return holder;
    }

    PrType type() {
        return type;
    }

    void reserve(Registrant r, PrType t) {
        holder = r;
        type = t;
    }

    void release() {
        holder = null;
        type = null;
    }

    /** LIO's is_reservation_holder(): the holder's registration, or any registrant for all-registrants types. */
    boolean isHolder(Registrant r) {
        return holder != null && (holder == r || type.allRegistrants());
    }

    int generation() {
        return generation;
    }

    void bumpGeneration() {
        generation++;
    }

    boolean aptplActive() {
        return aptplActive;
    }

    void setAptplActive(boolean v) {
        aptplActive = v;
    }

    /** Forget everything (power loss without APTPL); PRgeneration restarts at 0 as LIO's does. */
    void reset() {
        registrations.clear();
        holder = null;
        type = null;
        generation = 0;
        aptplActive = false;
    }
}
