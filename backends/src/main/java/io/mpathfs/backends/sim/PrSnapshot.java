package io.mpathfs.backends.sim;

import io.mpathfs.backends.pr.PrType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consistent copy of the LU's PR state and pending unit attentions, for tests and status views
 * that must not disturb the target (sending READ FULL STATUS or a TEST UNIT READY would: the latter
 * consumes a unit attention).
 *
 * @param holder the I_T nexus LIO records as holder (for all-registrants types: one representative)
 * @param pendingUnitAttentions per nexus, "29/00" style, head first (only the head is ever reported)
 */
public record PrSnapshot(int generation, boolean aptplActive, List<Entry> registrations, PrType type,
                         NexusId holder, Map<NexusId, List<String>> pendingUnitAttentions) {
    /** One registration. {@code holder} is true for every registrant of an all-registrants reservation. */
    public record Entry(NexusId nexus, long key, boolean allTgPt, boolean holder) {
    }

    public Optional<PrType> reservationType() {
        return Optional.ofNullable(type);
    }

    public Optional<Entry> registration(NexusId n) {
        return registrations.stream().filter(e -> e.nexus().equals(n)).findFirst();
    }

    public List<String> pending(NexusId n) {
        return pendingUnitAttentions.getOrDefault(n, List.of());
    }
}
