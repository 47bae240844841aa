package io.mpathfs.control;

import static io.mpathfs.control.MultipathDevice.LOG;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.nativeshim.Errno;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How a device's paths come and go: failed on an IO error, by the checker or by an admin;
 * reinstated when they answer again, once the PR coordinator has prepared them; added and removed
 * at run time.
 */
final class PathTransitions {
    private final MultipathDevice device;
    private final List<PathEntry> paths;
    private final AluaGroups alua;
    private final LogicalUnit lu;

    PathTransitions(MultipathDevice device, List<PathEntry> paths, AluaGroups alua, LogicalUnit lu) {
        this.device = device;
        this.paths = paths;
        this.alua = alua;
        this.lu = lu;
    }

    /** Marks a path FAILED (IO error or checker) and tells the PR coordinator. */
    void failPath(PathEntry p, String why) {
        if (p.state() == PathState.ACTIVE) {
            p.setState(PathState.FAILED);
            LOG.warning(device.name() + ": path " + p.name() + " failed: " + why);
            device.lifecycle().pathFailed(p);
        }
    }

    /** Admin "fail DEV": failed and kept failed by the checker until "reinstate DEV". */
    void adminFail(String pathName) {
        PathEntry p = require(pathName);
        p.setAdminFailed(true);
        failPath(p, "failed by command");
    }

    /**
     * Admin "reinstate DEV": probes the path, lets the coordinator prepare it (registration), then
     * makes it ACTIVE.
     */
    void adminReinstate(String pathName) throws PathException {
        PathEntry p = require(pathName);
        p.setAdminFailed(false);
        if (p.state() == PathState.ACTIVE) {
            return;
        }
        p.path().probe();
        if (!reinstate(p)) {
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO,
                    "path " + pathName + " was not reinstated: " + p.lastError());
        }
    }

    /** The reinstate procedure: coordinator first, then ACTIVE. */
    private boolean reinstate(PathEntry p) {
        if (!device.lifecycle().beforeReinstate(p)) {
            return false;
        }
        p.setState(PathState.ACTIVE);
        LOG.info(device.name() + ": path " + p.name() + " reinstated");
        device.signalPathsChanged();
        return true;
    }

    /** One checker probe of one path. */
    void checkPath(PathEntry p) {
        if (p.adminFailed() || p.removed()) {
            return;
        }
        p.checkLock().lock();
        try {
            p.path().probe();
            if (p.state() == PathState.FAILED && !p.adminFailed() && !p.removed()) {
                reinstate(p);
            }
        } catch (PathException e) {
            Optional<AluaState> refused = alua.enabled() ? AluaState.refusedBy(e.scsi()) : Optional.empty();
            if (refused.isPresent()) {
                // Not down: the port's group refuses data. A standby port ("ghost", as multipathd's tur
                // checker calls it) answers and takes PR, so a failed one comes back (registered
                // first); unavailable and transitioning ones stay as they are until they answer.
                alua.refused(p, refused.get());
                if (refused.get() == AluaState.STANDBY && p.state() == PathState.FAILED && !p.adminFailed()
                        && !p.removed()) {
                    reinstate(p);
                }
            } else if (e.isPathFailure() && p.state() == PathState.ACTIVE) {
                p.recordError(e.getMessage());
                failPath(p, "checker: " + e.getMessage());
            }
        } finally {
            p.checkLock().unlock();
        }
    }

    /**
     * Adds a path at run time: FAILED until the coordinator has prepared it, and kept FAILED when
     * that does not work (see {@link MultipathDevice#addPath} for why it is kept).
     */
    PathEntry addPath(DevicePath path) throws PathException {
        if (device.find(path.name()) != null) {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EEXIST,
                    "path " + path.name() + " is already part of " + device.name());
        }
        lu.checkSameLu(path);
        PathEntry e = new PathEntry(path);
        e.setState(PathState.FAILED); // not usable until the coordinator says so
        path.setEventListener(device.listenerFor(e));
        if (alua.enabled()) {
            alua.learnPort(e);
        }
        boolean prepared = device.lifecycle().beforeAdd(e);
        paths.add(e);
        if (prepared) {
            e.setState(PathState.ACTIVE);
            LOG.info(device.name() + ": path " + path.name() + " added");
        } else {
            LOG.warning(device.name() + ": path " + path.name() + " added as failed (" + e.lastError()
                    + "); it carries IO once it answers and is prepared");
        }
        device.signalPathsChanged();
        return e;
    }

    /** Removes a path: no new IO goes to it, in-flight IO completes, then it is closed. */
    void removePath(String pathName) throws InterruptedException {
        PathEntry p = require(pathName);
        p.setRemoved();
        paths.remove(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.path().close();
        LOG.info(device.name() + ": path " + pathName + " removed");
    }

    private PathEntry require(String pathName) {
        PathEntry p = device.find(pathName);
        if (p == null) {
            throw new IllegalArgumentException("no path " + pathName + " in " + device.name());
        }
        return p;
    }
}
