package io.mpathfs.fuse;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.fuse.files.FileAccess;
import io.mpathfs.nativeshim.Errno;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The embedded default: the built-in SPC-4 target, its I_T nexuses for this host as the paths of
 * one multipath device, and ctl/sim to drive the target (faults, other hosts).
 */
public final class EmbeddedDefault {
    private EmbeddedDefault() {
    }

    public record Mount(MountedDevice mounted, SimTarget target) {
    }

    public static Mount assemble(Path mountPoint, SimConfig sim, DeviceConfig config,
                                 DeviceAssembly.PrSettings pr) throws Exception {
        return assemble(mountPoint, sim, config, pr, FileAccess.defaults(), FuseKind.configured());
    }

    public static Mount assemble(Path mountPoint, SimConfig sim, DeviceConfig config,
                                 DeviceAssembly.PrSettings pr, FileAccess access, FuseKind fuse) throws Exception {
        return assemble(mountPoint, sim, config, pr, access, fuse, t -> { });
    }

    /**
     * {@code demo --alua}: ports 1..ceil(N/2) in target port group 1, active/optimized, the rest in
     * group 2, standby.
     */
    public static void twoPortGroups(SimTarget t) {
        int n = t.targetPortCount();
        int firstHalf = (n + 1) / 2;
        t.setGroupState(1, AluaState.ACTIVE_OPTIMIZED);
        if (n > firstHalf) {
            t.setGroupState(2, AluaState.STANDBY);
        }
        for (int p = 1; p <= n; p++) {
            t.movePort(p, p <= firstHalf ? 1 : 2);
        }
    }

    /** @param arrange sets the target up (e.g. its port groups) before the device first looks at it */
    public static Mount assemble(Path mountPoint, SimConfig sim, DeviceConfig config, DeviceAssembly.PrSettings pr,
                                 FileAccess access, FuseKind fuse, Consumer<SimTarget> arrange) throws Exception {
        SimTarget target = SimTarget.create(sim);
        try {
            arrange.accept(target);
            return assemble(mountPoint, target, config, pr, access, fuse);
        } catch (Exception | Error e) {
            target.close();
            throw e;
        }
    }

    /**
     * A mount over the paths of one view of a target: this host's, or another cluster node's
     * ({@link SimTarget#hostView}); the view is closed when the mount is (the LU only by the view
     * that created it). On failure the caller still owns the view.
     */
    public static Mount assemble(Path mountPoint, SimTarget target, DeviceConfig config,
                                 DeviceAssembly.PrSettings pr, FileAccess access, FuseKind fuse) throws Exception {
        List<DevicePath> ps = new ArrayList<>(target.paths());
        MultipathDevice device = new MultipathDevice(DeviceAssembly.nameFor(mountPoint), ps, config);
        device.discoverAlua();
        DeviceAssembly assembly = new DeviceAssembly(spec -> {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EINVAL,
                    "on the embedded target, new paths come from 'path add' in ctl/sim");
        });
        assembly.withControl(new SimControlFile(target, device)).withAccess(access).withFuse(fuse);
        MountedDevice m = assembly.assemble(mountPoint, device, pr);
        m.closeLater(target);
        return new Mount(m, target);
    }

    /**
     * The host letter of cluster node n (from 1) of a demo with several nodes: the first is this
     * host (A); the others count back from Z, so that ctl/sim's scripted hosts (B, C, …) stay
     * other initiators.
     */
    public static String nodeHost(int node) {
        if (node < 1 || node > MAX_NODES) {
            throw new IllegalArgumentException("a node is 1.." + MAX_NODES + ": " + node);
        }
        return node == 1 ? SimTarget.LOCAL_HOST : String.valueOf((char) ('Z' - (node - 2)));
    }

    /** Nodes of one demo: Z back to T leave B..S to ctl/sim's scripted hosts. */
    public static final int MAX_NODES = 8;
}
