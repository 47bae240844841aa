package io.mpathfs.control.pr;

import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.Registration;
import java.util.logging.Logger;

/**
 * What the coordinator knows: our key (persisted in the keys file on every change), APTPL, the
 * reservation we hold, whether we were preempted, and whether a reservation move is under way.
 * Written only on the coordinator's serial executor; read from IO threads (hence volatile).
 */
final class PrState {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final MultipathDevice device;
    private final KeysFile keysFile;

    volatile long key;
    volatile boolean aptpl;
    volatile Holding holding;
    volatile boolean preempted;
    /** A reservation move is under way: IO waits for it instead of failing for want of a path. */
    volatile boolean settling;
    /** A holder move is queued (its path failed): IO waits for it too. Apart from settling, which a
     * self-preempt in progress clears when it ends. */
    volatile boolean movePending;
    /**
     * No path could tell which reservation we hold (at start, or when the paths died right after
     * a command that changed it): the next path prepared asks. Until then holding is a guess.
     */
    volatile boolean holdingUnknown;
    volatile String lastEvent = "";

    PrState(MultipathDevice device, KeysFile keysFile, boolean aptpl) {
        this.device = device;
        this.keysFile = keysFile;
        this.aptpl = aptpl;
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
    void setKey(long k) throws KeysFile.KeysFileException {
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
