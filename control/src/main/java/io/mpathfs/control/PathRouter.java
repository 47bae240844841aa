package io.mpathfs.control;

import java.util.ArrayList;
import java.util.List;

/**
 * Which path an IO takes: among the usable paths, the reservation's routing comes first (a WE/EA
 * holder in an active/non-optimized group still carries the IO), then the best target port group
 * among what it allows, then the device's policy picks one.
 */
final class PathRouter {
    private final MultipathDevice device;
    private final List<PathEntry> paths;
    private final AluaGroups alua;

    PathRouter(MultipathDevice device, List<PathEntry> paths, AluaGroups alua) {
        this.device = device;
        this.paths = paths;
        this.alua = alua;
    }

    /** The path for one IO, or null when none may carry it now. */
    PathEntry choose(boolean write, int length) {
        List<PathEntry> usable = usable();
        if (usable.isEmpty()) {
            return null;
        }
        List<PathEntry> active = alua.active(usable);
        if (active.isEmpty()) {
            return null;
        }
        List<PathEntry> routed = alua.best(device.lifecycle().route(active, write));
        return routed.isEmpty() ? null : device.selector().select(routed, length);
    }

    /** The usable paths a write may take now. */
    List<PathEntry> writablePaths() {
        List<PathEntry> usable = usable();
        return usable.isEmpty() ? usable : alua.best(device.lifecycle().route(alua.active(usable), true));
    }

    private List<PathEntry> usable() {
        List<PathEntry> usable = new ArrayList<>(paths.size());
        for (PathEntry p : paths) {
            if (p.usable()) {
                usable.add(p);
            }
        }
        return usable;
    }
}
