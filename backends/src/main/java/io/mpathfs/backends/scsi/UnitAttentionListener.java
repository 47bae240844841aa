package io.mpathfs.backends.scsi;

/** Hears each UNIT ATTENTION (ASC/ASCQ) that a command met on its nexus. */
@FunctionalInterface
public interface UnitAttentionListener {
    void unitAttention(int asc, int ascq);
}
