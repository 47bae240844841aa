package io.mpathfs.control;

/** Path states, as dm-multipath and multipathd name them. */
public enum PathState {
    /** Working; carries IO when the policy picks it and PR allows it. */
    ACTIVE,
    /** Failed by an IO error, the checker or a command; the checker probes it for reinstatement. */
    FAILED;

    public String label() {
        return name().toLowerCase();
    }
}
