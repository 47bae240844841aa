package io.mpathfs.control.pr;

import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.Registration;
import java.util.logging.Logger;

/**
 * What the coordinator knows: our key (persisted in the keys file on every change), APTPL, the
 * reservation we hold, whether we were preempted, and whether a reservation move is under way.
 * Changed only through its transitions below, each on the coordinator's serial executor; read
 * from IO threads (hence volatile).
 */
final class PrState {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final MultipathDevice device;
    private final KeysFile keysFile;

    private volatile long key;
    private volatile boolean aptpl;
    private volatile Holding holding;
    private volatile boolean preempted;
    /** A reservation move is under way: IO waits for it instead of failing for want of a path. */
    private volatile boolean settling;
    /** A holder move is queued (its path failed): IO waits for it too. Apart from settling, which a
     * self-preempt in progress clears when it ends. */
    private volatile boolean movePending;
    /**
     * No path could tell which reservation we hold (at start, or when the paths died right after
     * a command that changed it): the next path prepared asks. Until then holding is a guess.
     */
    private volatile boolean holdingUnknown;
    private volatile String lastEvent = "";

    PrState(MultipathDevice device, KeysFile keysFile, boolean aptpl) {
        this.device = device;
        this.keysFile = keysFile;
        this.aptpl = aptpl;
    }

    long key() {
        return key;
    }

    boolean aptpl() {
        return aptpl;
    }

    /** The reservation we hold, or null. */
    Holding holding() {
        return holding;
    }

    boolean preempted() {
        return preempted;
    }

    /** A holder move is queued and has not run yet. */
    boolean movePending() {
        return movePending;
    }

    /** No path has told which reservation we hold since it may have changed: the next one asked tells. */
    boolean holdingUnknown() {
        return holdingUnknown;
    }

    /** Whether IO must wait for a reservation move (under way, or queued) instead of failing. */
    boolean settling() {
        return settling || movePending;
    }

    // ---- transitions

    /** The keys file's APTPL: once the key was registered with it, it stays on. */
    void storedAptpl(boolean stored) {
        aptpl = aptpl || stored;
    }

    /** The keys file's key, taken as ours at start (checked against the device as paths allow). */
    void restoredKey(long stored) {
        key = stored;
    }

    /** Our key is k now (0: unregistered), as a REGISTER left it: no longer preempted. */
    void registered(long k) throws KeysFile.KeysFileException {
        if (k == 0) {
            holding = null; // unregistering all our nexuses drops a reservation we held
        }
        preempted = false;
        setKey(k);
    }

    /** Which reservation we hold is to be asked of a path (none answered yet). */
    void holdingToBeLearnt() {
        holdingUnknown = true;
    }

    /** A path told which reservation we hold (held or notHeld follows). */
    void holdingLearnt() {
        holdingUnknown = false;
    }

    /** We hold a reservation of this type through holder (null: every registrant holds it). */
    void held(Holding h) {
        holding = h;
    }

    /** We hold no reservation (released, cleared, or taken by another host). */
    void notHeld() {
        holding = null;
    }

    /** CLEAR ran: no registration and no reservation is left, ours neither. */
    void cleared() {
        holding = null;
        forgetKey();
        preempted = false;
    }

    /** A PREEMPT of our own key while we held no reservation unregistered every nexus of ours. */
    void unregisteredByOwnPreempt() {
        holding = null;
        forgetKey();
        lastEvent = "preempt of our own key without holding the reservation: unregistered";
    }

    void settlingStarted() {
        settling = true;
    }

    void settlingEnded() {
        settling = false;
    }

    void moveQueued() {
        movePending = true;
    }

    void moveDone() {
        movePending = false;
    }

    /** What ctl/status shows as the last thing that happened. */
    void event(String what) {
        lastEvent = what;
    }

    /** ctl/status: key, reservation, holder, per-path registration, gate. */
    public String status() {
        StringBuilder b = new StringBuilder();
        b.append("device ").append(device.name()).append('\n');
        b.append("identity ").append(device.identity()).append('\n');
        b.append("key ").append(key == 0 ? "none" : PrKeys.hex(key)).append('\n');
        b.append("aptpl ").append(aptpl ? "yes" : "no").append('\n');
        Holding h = holding;
        b.append("reservation ").append(h == null ? "none" : h.type().blkprName()).append('\n');
        b.append("holder ").append(h == null || h.holder() == null ? "-" : h.holder().name()).append('\n');
        b.append("pr-state ").append(preempted ? "preempted" : key != 0 ? "registered" : "unregistered").append('\n');
        b.append("gate ").append(device.gate().label()).append('\n');
        b.append("policy ").append(device.selector().name()).append('\n');
        for (PathEntry p : device.paths()) {
            b.append("path ").append(p.name()).append(' ').append(p.state().label()).append(" registered=")
                    .append(p.registration().label()).append('\n');
        }
        if (!lastEvent.isEmpty()) {
            b.append("last-event ").append(lastEvent).append('\n');
        }
        return b.toString();
    }

    /**
     * Our key is now k (0: none), as the device has it; persisted before this returns. When the
     * keys file cannot be written the key is still what the device has, and the caller is told:
     * a registration the file does not remember would be forgotten at the next start.
     */
    private void setKey(long k) throws KeysFile.KeysFileException {
        key = k;
        keysFile.store(device.identity(), k, aptpl);
    }

    /** Proves the keys file can take a new key before a command relies on it. */
    void checkKeysWritable() throws KeysFile.KeysFileException {
        keysFile.checkWritable();
    }

    /** Our key is gone (0); a keys file that cannot record it is logged loudly (a restart re-checks the device). */
    void forgetKey() {
        try {
            setKey(0);
        } catch (KeysFile.KeysFileException e) {
            LOG.severe(device.name() + ": " + e.getMessage() + " (it still names our old key; the next start "
                    + "finds the key gone from the device)");
            lastEvent = "keys file not updated: " + e.getMessage();
        }
    }

    /** Our key is gone: every path unregistered, nothing re-registers until the user registers again. */
    void markPreempted(String why) {
        LOG.warning(device.name() + ": " + why + "; now preempted");
        for (PathEntry p : device.paths()) {
            p.setRegistration(Registration.NO);
        }
        holding = null;
        lastEvent = why;
        forgetKey(); // persisted before anyone can see the PREEMPTED state
        preempted = true;
        device.signalPathsChanged();
    }
}
