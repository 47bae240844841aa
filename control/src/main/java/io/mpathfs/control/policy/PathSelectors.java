package io.mpathfs.control.policy;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of IO policies by name. */
public final class PathSelectors {
    private static final Map<String, Supplier<PathSelector>> BY_NAME = Map.of(
            "round-robin", RoundRobinSelector::new,
            "queue-length", QueueLengthSelector::new,
            "service-time", ServiceTimeSelector::new,
            "failover", FailoverSelector::new);

    public static final String DEFAULT = "service-time";

    private PathSelectors() {
    }

    public static List<String> names() {
        return List.of("round-robin", "queue-length", "service-time", "failover");
    }

    public static PathSelector create(String name) {
        Supplier<PathSelector> s = BY_NAME.get(name.trim().toLowerCase());
        if (s == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "' (one of " + String.join(", ", names()) + ")");
        }
        return s.get();
    }
}
