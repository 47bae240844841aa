package io.mpathfs.control.dst;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.PathEntry;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The restart step: our daemon is stopped (cleanly or killed) and started again over new handles
 * to the same nexuses. For one device a restart is nothing: the LU keeps our registration and
 * reservation, and the keys file is the new daemon's memory of our key — so the oracle sees no
 * operation, and every later answer and quiescent state must still be one device's.
 *
 * <p>What the new daemon starts into is drawn from the step's stream: nothing wrong; paths that die
 * between the device's open and the coordinator's start (possibly all of them); the path of the
 * first PR IN command of the start dying just before it (the key in the keys file then cannot be
 * checked through it); or the path of the n-th SCSI command of the start dying just before it.
 * A path that does not answer cannot be opened (the device asks every path for the LU's
 * identity), so the daemon is started once its paths answer; "a path down at start" is a path
 * that dies right after that.
 */
final class DaemonRestart {
    private static final int PR_IN = 0x5e;

    private final SimTarget target;
    private final List<String> trace;
    /** The coordinator commands of the start until the armed one; -1: none armed. */
    private int countdown = -1;
    private boolean firstPrIn;

    DaemonRestart(SimTarget target, List<String> trace) {
        this.target = target;
        this.trace = trace;
    }

    /**
     * Stops old, opens a new daemon (open), hands it over (adopt: the scheduler's turns during its
     * start act on it), and starts its coordinator with the drawn fault.
     */
    void restart(Daemon old, SplittableRandom rng, int step, Opener open, Consumer<Daemon> adopt) throws PathException {
        boolean clean = rng.nextBoolean();
        old.stop(clean);
        trace.add(step + ": daemon " + (clean ? "stopped" : "killed") + " and started again");
        for (SimPath p : target.paths()) {
            if (!p.nexus().online()) {
                p.nexus().setOnline(true);
                trace.add("      path " + p.name() + " back online (the daemon opens only paths that answer)");
            }
        }
        Daemon d = open.open();
        adopt.accept(d);
        int fault = rng.nextInt(4);
        if (fault == 1) {
            boolean all = rng.nextInt(3) == 0;
            for (PathEntry p : d.device().paths()) {
                if (all || rng.nextBoolean()) {
                    goOffline(p.name(), "before the coordinator starts");
                }
            }
        } else if (fault == 2) {
            firstPrIn = true;
        } else if (fault == 3) {
            countdown = rng.nextInt(d.device().paths().size() + 4);
        }
        try {
            d.pr().start();
        } finally {
            countdown = -1;
            firstPrIn = false;
        }
        trace.add("      started: " + d.pr().status().lines()
                .filter(l -> l.startsWith("key") || l.startsWith("reservation") || l.startsWith("path"))
                .map(String::strip).reduce((a, b) -> a + "; " + b).orElse(""));
    }

    /** The scheduler's turn before one of the coordinator's commands: the armed fault, if it is this one. */
    void beforeCommand(String path, byte[] cdb) {
        if (firstPrIn && (cdb[0] & 0xff) == PR_IN) {
            firstPrIn = false;
            goOffline(path, "at the first PR IN of the start");
        } else if (countdown == 0) {
            countdown = -1;
            goOffline(path, "at a command of the start");
        } else if (countdown > 0) {
            countdown--;
        }
    }

    private void goOffline(String path, String when) {
        SimPath p = target.path(path).orElseThrow();
        if (p.nexus().online()) {
            p.nexus().setOnline(false);
            trace.add("      path " + path + " goes offline " + when);
        }
    }

    /** Opens the new daemon's device and coordinator. */
    interface Opener {
        Daemon open() throws PathException;
    }
}
