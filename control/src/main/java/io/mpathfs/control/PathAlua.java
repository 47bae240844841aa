package io.mpathfs.control;

import io.mpathfs.backends.scsi.AluaState;

/**
 * What the device knows of a path's target port: its relative target port, the target port
 * group it is in, that group's state and PREF bit. Immutable; a re-read replaces it.
 */
public record PathAlua(int relativePort, int group, AluaState state, boolean preferred) {
    /** IO preference: active/optimized first, then active/non-optimized; nothing else carries IO. */
    int rank() {
        return switch (state) {
            case ACTIVE_OPTIMIZED -> 0;
            case ACTIVE_NON_OPTIMIZED -> 1;
            default -> Integer.MAX_VALUE;
        };
    }

    PathAlua withState(AluaState s) {
        return new PathAlua(relativePort, group, s, preferred);
    }
}
