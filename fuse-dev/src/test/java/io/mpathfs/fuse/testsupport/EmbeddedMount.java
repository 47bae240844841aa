package io.mpathfs.fuse.testsupport;

import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.fuse.DeviceAssembly;
import io.mpathfs.fuse.EmbeddedDefault;
import io.mpathfs.fuse.FuseKind;
import io.mpathfs.fuse.MountedDevice;
import io.mpathfs.fuse.files.FileAccess;
import io.mpathfs.nativeshim.NativeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The embedded target mounted in process for each test ({@code @RegisterExtension}): a new
 * temporary directory, the mount at DIR/mpath0 on the transport the mpathfs.fuse property picks,
 * the PR keys in DIR/prkeys (APTPL); after the test it is unmounted and checked gone. Host A is
 * the mount; the test drives the target through {@link #sim} and PR through {@link #pr}.
 */
public final class EmbeddedMount implements BeforeEachCallback, AfterEachCallback {
    private final String prefix;
    private final SimConfig sim;
    private final DeviceConfig config;
    private final List<String[]> tools = new ArrayList<>();
    private Consumer<SimTarget> arrange = t -> { };
    private Path dir;
    private Path point;
    private EmbeddedDefault.Mount mount;

    /** @param prefix names the temporary directory */
    public EmbeddedMount(String prefix, SimConfig sim, DeviceConfig config) {
        this.prefix = prefix;
        this.sim = sim;
        this.config = config;
    }

    /** A tool the test runs; checked before anything is mounted. */
    public EmbeddedMount requiring(String tool, String debianPackage) {
        tools.add(new String[] {tool, debianPackage});
        return this;
    }

    /** Sets the target up (e.g. its port groups) before the device first looks at it. */
    public EmbeddedMount arranged(Consumer<SimTarget> arrange) {
        this.arrange = arrange;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        for (String[] t : tools) {
            Sh.require(t[0], t[1]);
        }
        dir = Files.createTempDirectory(prefix);
        point = dir.resolve("mpath0");
        mount = EmbeddedDefault.assemble(point, sim, config, new DeviceAssembly.PrSettings(dir.resolve("prkeys"), true),
                FileAccess.defaults(), FuseKind.configured(), arrange);
        mount.mounted().mount(false);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (mount != null) {
            mount.mounted().close();
            Mounts.assertUnmounted(point);
        }
    }

    /** The test's temporary directory (the mount point and the keys file are in it). */
    public Path dir() {
        return dir;
    }

    /** The mount point: disk and ctl/ are in it. */
    public Path point() {
        return point;
    }

    public MountedDevice mounted() {
        return mount.mounted();
    }

    public SimTarget target() {
        return mount.target();
    }

    /** One command to the target through ctl/sim. */
    public Ctl.Answer sim(String line) throws NativeException {
        return Ctl.tx(point.resolve("ctl/sim"), line);
    }

    /** bin/mpathfs pr with these arguments on the mount. */
    public Sh.Result pr(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Mounts.launcher().toString(), "pr"));
        cmd.addAll(List.of(args));
        cmd.add(point.toString());
        return Sh.run(60, cmd.toArray(new String[0]));
    }
}
