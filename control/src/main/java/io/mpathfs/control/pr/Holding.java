package io.mpathfs.control.pr;

import io.mpathfs.backends.pr.PrType;
import io.mpathfs.control.PathEntry;

/**
 * A reservation we hold: its type and the path (I_T nexus) that holds it. holder is null when
 * not known (learnt at start from the device) or irrelevant (all-registrants types).
 */
public record Holding(PrType type, PathEntry holder) {
    public String describe() {
        return type.blkprName() + (holder == null ? "" : " via " + holder.name());
    }
}
