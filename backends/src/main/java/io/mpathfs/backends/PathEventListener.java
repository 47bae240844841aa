package io.mpathfs.backends;

/** Hears what a path saw that the device as a whole must know about. */
public interface PathEventListener {
    /** A UNIT ATTENTION with this ASC/ASCQ arrived on the path (e.g. 2A/03 reservations preempted). */
    void unitAttention(DevicePath path, int asc, int ascq);
}
