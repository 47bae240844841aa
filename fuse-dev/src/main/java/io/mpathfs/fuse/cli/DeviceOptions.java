package io.mpathfs.fuse.cli;

import io.mpathfs.control.AluaMode;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.policy.PathSelectors;
import io.mpathfs.fuse.files.FileAccess;
import java.time.Duration;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options every command that builds a device takes (mount, demo): dm-multipath's knobs. */
public class DeviceOptions {
    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = PathSelectors.DEFAULT,
            description = "IO policy: round-robin, queue-length, service-time, failover (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--checker-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "path checker interval in seconds, fractions allowed (default: ${DEFAULT-VALUE})")
    double checkerInterval;

    @Option(names = "--no-path-retry", paramLabel = "N|queue|fail", defaultValue = "fail",
            description = "with no usable path: queue IO for N checker intervals, forever (queue), or fail at once (default: ${DEFAULT-VALUE})")
    String noPathRetry;

    @Option(names = "--keys-file", paramLabel = "FILE", defaultValue = "/var/lib/mpathfs/prkeys",
            description = "where the PR key is kept across restarts (default: ${DEFAULT-VALUE})")
    java.nio.file.Path keysFile;

    @Option(names = "--aptpl", paramLabel = "yes|no", defaultValue = "yes",
            description = "set APTPL on REGISTER, as the kernel's sd does (default: ${DEFAULT-VALUE})")
    String aptpl;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "group owning disk (name or number), as a block device node's (default: disk, or root "
                    + "where the system has no disk group)")
    String group;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "0660",
            description = "permission bits of disk, octal (default: ${DEFAULT-VALUE}); control files stay root's")
    String mode;

    @Option(names = "--fuse", paramLabel = "kernel|uring|libfuse2",
            description = "FUSE transport: uring (our own, with requests through io_uring where the kernel "
                    + "offers it: Linux 6.14+, fuse module parameter enable_uring=Y; else on /dev/fuse), "
                    + "kernel (our own, on /dev/fuse only) or libfuse2 (portable); uring and kernel need root "
                    + "(default: uring as root, else libfuse2)")
    String fuse;

    @Option(names = "--alua", paramLabel = "implicit|explicit", arity = "0..1",
            parameterConsumer = AluaModeConsumer.class,
            description = "target port groups: follow the array's transitions (implicit, the default), or also "
                    + "ask it with SET TARGET PORT GROUPS to activate a standby group when no active one is left "
                    + "(explicit); on demo, --alua also gives the target two groups")
    String alua;

    /**
     * Takes the word after --alua as its mode (checked: implicit or explicit) unless it is an
     * option or a path (a mount point, with a '/'), which --alua alone leaves alone.
     */
    static final class AluaModeConsumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            boolean named = !args.isEmpty() && !args.peek().startsWith("-") && !args.peek().contains("/");
            argSpec.setValue(named ? args.pop() : AluaMode.IMPLICIT.label());
        }
    }

    /** Whether --alua was given at all. */
    public boolean aluaGiven() {
        return alua != null;
    }

    public AluaMode aluaMode() {
        return alua == null ? AluaMode.IMPLICIT : AluaMode.parse(alua);
    }

    public io.mpathfs.fuse.FuseKind fuse() {
        return fuse == null ? io.mpathfs.fuse.FuseKind.configured() : io.mpathfs.fuse.FuseKind.parse(fuse);
    }

    public FileAccess access() {
        if (group == null) {
            return new FileAccess(FileAccess.defaults().gid(), FileAccess.parse("0", mode).diskMode());
        }
        return FileAccess.parse(group, mode);
    }

    public io.mpathfs.fuse.DeviceAssembly.PrSettings prSettings() {
        if (!aptpl.equals("yes") && !aptpl.equals("no")) {
            throw new IllegalArgumentException("--aptpl must be yes or no");
        }
        return new io.mpathfs.fuse.DeviceAssembly.PrSettings(keysFile, aptpl.equals("yes"));
    }

    public DeviceConfig toConfig() {
        if (!PathSelectors.names().contains(policy)) {
            throw new IllegalArgumentException("unknown policy '" + policy + "' (one of "
                    + String.join(", ", PathSelectors.names()) + ")");
        }
        if (!(checkerInterval > 0)) {
            throw new IllegalArgumentException("--checker-interval must be positive");
        }
        return new DeviceConfig(policy, Duration.ofMillis(Math.round(checkerInterval * 1000)),
                NoPathRetry.parse(noPathRetry), aluaMode());
    }
}
