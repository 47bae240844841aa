package io.mpathfs.control.ctl;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathAlua;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathState;
import io.mpathfs.nativeshim.Errno;
import java.util.List;

/**
 * ctl/paths. View: one line per path,
 * {@code DEVICE STATE registered=yes|no|unknown io=N errors=N inflight=N}, and for a LU with
 * target port groups (ALUA) {@code group=G alua=ao|ano|standby|unavailable|transitioning}; STATE is
 * active, failed, or ghost (working, in a standby group).
 * Commands: {@code fail DEV}, {@code reinstate DEV}, {@code add DEV}, {@code remove DEV}.
 */
public final class PathsControl implements ControlFile {
    private final MultipathDevice device;
    private final PathOpener opener;

    public PathsControl(MultipathDevice device, PathOpener opener) {
        this.device = device;
        this.opener = opener;
    }

    @Override
    public String name() {
        return "paths";
    }

    @Override
    public String view() {
        StringBuilder b = new StringBuilder();
        for (PathEntry p : device.paths()) {
            b.append(line(p)).append('\n');
        }
        return b.toString();
    }

    public static String line(PathEntry p) {
        PathAlua a = p.alua();
        String line = String.format("%s %s registered=%s io=%d errors=%d inflight=%d", p.name(), stateLabel(p),
                p.registration().label(), p.ioCount(), p.errorCount(), p.inFlight());
        return a == null ? line : line + " group=" + a.group() + " alua=" + a.state().shortName();
    }

    /** active, failed, or ghost: a working path whose port is in standby (it takes PR, not IO), as multipathd says. */
    private static String stateLabel(PathEntry p) {
        PathAlua a = p.alua();
        return p.state() == PathState.ACTIVE && a != null && a.state() == AluaState.STANDBY ? "ghost"
                : p.state().label();
    }

    @Override
    public String execute(String line) throws CtlException {
        List<String> w = CommandLine.words(line);
        if (w.size() != 2) {
            throw CtlException.invalid("usage: fail DEV | reinstate DEV | add DEV | remove DEV");
        }
        String dev = w.get(1);
        try {
            switch (w.get(0)) {
                case "fail" -> {
                    requirePath(dev);
                    device.adminFail(dev);
                    return "ok";
                }
                case "reinstate" -> {
                    requirePath(dev);
                    device.adminReinstate(dev);
                    return "ok";
                }
                case "add" -> {
                    return add(dev);
                }
                case "remove" -> {
                    return remove(dev);
                }
                default -> throw CtlException.invalid("unknown command " + CommandLine.quote(w.get(0))
                        + " (fail, reinstate, add, remove)");
            }
        } catch (PathException e) {
            throw new CtlException(e.errno(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(Errno.EINTR, "interrupted");
        }
    }

    /**
     * {@code add DEV}: opened, identity-checked against the device, prepared by the PR coordinator
     * (registered when we hold a key) before it carries IO. Also what hot-plug does with a new path.
     */
    public String add(String dev) throws CtlException, PathException {
        PathEntry added = device.addPath(opener.open(dev));
        return added.state() == PathState.ACTIVE ? "ok" : "ok: added as failed (" + added.lastError()
                + "); it carries IO once it answers and is prepared";
    }

    /**
     * {@code remove DEV}: no new IO goes to it, IO in flight on it finishes (or fails over), then it
     * is closed; the last path stays. Also what hot-plug does with a path whose device went away.
     */
    public String remove(String dev) throws CtlException, InterruptedException {
        requirePath(dev);
        if (device.paths().size() == 1) {
            throw new CtlException(Errno.EBUSY, "cannot remove the last path of " + device.name());
        }
        device.removePath(dev);
        return "ok";
    }

    private void requirePath(String dev) throws CtlException {
        if (device.find(dev) == null) {
            throw new CtlException(Errno.ENODEV, "no path " + CommandLine.quote(dev) + " in " + device.name());
        }
    }
}
