package io.mpathfs.backends.sim;

/** One I_T nexus's registration: its key, and whether it came from a REGISTER with ALL_TG_PT. */
final class Registrant {
    final NexusId nexus;
    final boolean allTgPt;
    long key;

    Registrant(NexusId nexus, long key, boolean allTgPt) {
        this.nexus = nexus;
        this.key = key;
        this.allTgPt = allTgPt;
    }
}
