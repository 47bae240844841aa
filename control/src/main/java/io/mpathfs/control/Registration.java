package io.mpathfs.control;

/** Whether our reservation key is registered on a path's I_T nexus, as the PR coordinator knows it. */
public enum Registration {
    YES, NO, UNKNOWN;

    public String label() {
        return name().toLowerCase();
    }
}
