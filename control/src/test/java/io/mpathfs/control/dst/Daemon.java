package io.mpathfs.control.dst;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.PathChecker;
import io.mpathfs.control.pr.KeysFile;
import io.mpathfs.control.pr.PrCoordinator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Our host's daemon in the simulation: the multipath device over a handle on each of our nexuses,
 * its PR coordinator (not yet started) on the deterministic executor, and its checker. What a
 * restart drops and builds again; the target, and with it the LU's PR state, is not part of it.
 */
record Daemon(MultipathDevice device, DeterministicExecution exec, PrCoordinator pr, PathChecker checker) {
    /** Opens a new handle on every nexus of host A, as the daemon taking every path of the LU does. */
    /** @param alua the device learns the target port groups, as the daemon does on an ALUA LU */
    static Daemon open(SimTarget target, String policy, KeysFile keys, InterleavedPath.Turn turn, boolean alua)
            throws PathException {
        List<DevicePath> ps = new ArrayList<>();
        for (SimPath p : target.paths()) {
            ps.add(new InterleavedPath(p.reopen(), turn));
        }
        MultipathDevice device = new MultipathDevice("sim", ps, new DeviceConfig(policy, Duration.ofSeconds(5),
                NoPathRetry.FAIL));
        if (alua) {
            device.discoverAlua();
        }
        DeterministicExecution exec = new DeterministicExecution();
        return new Daemon(device, exec, new PrCoordinator(device, keys, true, exec), new PathChecker(device));
    }

    /**
     * A clean stop closes everything (the coordinator's queued work is dropped, as its executor's
     * shutdownNow drops it in the daemon); a kill closes nothing — the process is simply gone.
     */
    void stop(boolean clean) {
        checker.close(); // the checker's timer thread is the test JVM's, not the daemon's
        if (clean) {
            pr.close();
            device.close();
        }
    }
}
