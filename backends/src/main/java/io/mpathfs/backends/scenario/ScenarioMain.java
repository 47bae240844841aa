package io.mpathfs.backends.scenario;

import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.scsidevice.SgIoChannel;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.nativeshim.NativeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs scenario files against the embedded target or real devices, prints one line per scenario
 * (name, PASS/FAIL/SKIP, first difference) and exits 1 if any failed (2 for bad usage).
 *
 * <pre>
 * ScenarioMain --sim                                        # bundled scenarios, embedded target
 * ScenarioMain --nexus A1=/dev/sg0 --nexus A2=/dev/sg1 --nexus B1=/dev/sg4 --skip-tag preempt-abort
 * ScenarioMain --list
 * ScenarioMain --sim --only preempt-self-type-change my-dir/ extra.scn
 * ScenarioMain --mpathfs /mnt/mpath0 --nexus B1=/dev/sg4 --nexus B2=/dev/sg5   # host A = the mount
 * ScenarioMain --lio-lu /sys/kernel/config/target/core/rd_mcp_0/lu0 --nexus A1=/dev/sg0 ...
 * </pre>
 * Without file arguments the scenarios bundled in the jar run. With --sim the target has four
 * target ports and hosts A, B and C (nexuses A1..C4). With --mpathfs host A is that mount (over
 * A's nexuses) and the --nexus devices are the other hosts': see {@link MultipathHostRunner}. With
 * --lio-lu the scenarios that change target port groups run too, through that LIO LU's configfs
 * ({@link LioTargetAdmin}); the groups are reset before each scenario and after the run.
 */
public final class ScenarioMain {
    private static final Pattern NEXUS_NAME = Pattern.compile("[A-Z][0-9]{1,2}");
    static final int SIM_PORTS = 4;

    private ScenarioMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The whole program, minus System.exit; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean sim = false;
        boolean list = false;
        Path mpathfs = null;
        Path lioLu = null;
        Map<String, String> devices = new LinkedHashMap<>();
        Set<String> only = new LinkedHashSet<>();
        Set<String> skipTags = new LinkedHashSet<>();
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--sim" -> sim = true;
                case "--list" -> list = true;
                case "--nexus", "--only", "--skip-tag", "--mpathfs", "--lio-lu" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, a + " needs a value");
                    }
                    String v = args[++i];
                    if (a.equals("--mpathfs")) {
                        mpathfs = Path.of(v);
                    } else if (a.equals("--lio-lu")) {
                        lioLu = Path.of(v);
                    } else if (a.equals("--only")) {
                        only.add(v);
                    } else if (a.equals("--skip-tag")) {
                        skipTags.add(v);
                    } else {
                        int eq = v.indexOf('=');
                        if (eq < 0 || !NEXUS_NAME.matcher(v.substring(0, eq)).matches()) {
                            return usage(err, "--nexus takes NAME=DEVICE, like A1=/dev/sg0");
                        }
                        devices.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                }
                case "-h", "--help" -> {
                    usage(out, null);
                    return 0;
                }
                default -> {
                    if (a.startsWith("-")) {
                        return usage(err, "unknown option " + a);
                    }
                    paths.add(Path.of(a));
                }
            }
        }
        List<Scenario> scenarios;
        try {
            scenarios = new ArrayList<>();
            if (paths.isEmpty()) {
                scenarios.addAll(ScenarioLibrary.bundled());
            }
            for (Path p : paths) {
                scenarios.addAll(ScenarioLibrary.load(p));
            }
        } catch (IOException | ScenarioSyntaxException e) {
            err.println("scenarios: " + e.getMessage());
            return 2;
        }
        if (!only.isEmpty()) {
            Set<String> missing = new LinkedHashSet<>(only);
            scenarios.removeIf(s -> !only.contains(s.name()));
            scenarios.forEach(s -> missing.remove(s.name()));
            if (!missing.isEmpty()) {
                return usage(err, "no scenario named " + String.join(", ", missing));
            }
        }
        if (list) {
            for (Scenario s : scenarios) {
                out.printf("%-40s %s%s%n", s.name(), s.title(), s.tags().isEmpty() ? "" : "  [" + String.join(", ",
                        s.tags()) + "]");
            }
            return 0;
        }
        if (sim == !devices.isEmpty() || (mpathfs != null && sim)) {
            return usage(err, "give either --sim or --nexus NAME=DEVICE (one per I_T nexus)"
                    + (mpathfs != null ? "; with --mpathfs, the other hosts' nexuses" : ""));
        }
        if (lioLu != null && (sim || mpathfs != null)) {
            return usage(err, "--lio-lu administers a LIO LU reached with --nexus (not with --sim or --mpathfs)");
        }
        SimTarget target = null;
        Map<String, ScsiChannel> channels = new LinkedHashMap<>();
        try {
            if (sim) {
                target = SimTarget.create(SimConfig.builder().capacityBytes(256L << 20).targetPorts(SIM_PORTS).build());
                for (String h : List.of("A", "B", "C")) {
                    for (int p = 1; p <= SIM_PORTS; p++) {
                        channels.put(h + p, target.nexus(h, p));
                    }
                }
            } else {
                for (Map.Entry<String, String> d : devices.entrySet()) {
                    channels.put(d.getKey(), SgIoChannel.open(d.getValue()));
                }
            }
            if (mpathfs != null) {
                MultipathHostRunner m = new MultipathHostRunner(mpathfs, channels);
                try {
                    return report(m::run, scenarios, skipTags, out);
                } finally {
                    m.close();
                }
            }
            // Scenarios that change target port groups need the array's administrator: the
            // embedded target's, or LIO's configfs for --lio-lu; without one they are SKIP.
            TargetAdmin admin = target != null ? new SimTargetAdmin(target)
                    : lioLu != null ? LioTargetAdmin.open(lioLu, lioLu.getParent().getParent().getParent()) : null;
            try {
                return report(new ScenarioRunner(channels, admin)::run, scenarios, skipTags, out);
            } finally {
                resetAfterRun(admin, err);
            }
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (NativeException e) {
            err.println("scenarios: " + mpathfs + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("scenarios: " + e.getMessage());
            return 2;
        } finally {
            if (target != null) {
                target.close();
            }
            for (ScsiChannel c : channels.values()) {
                if (c instanceof SgIoChannel s) {
                    s.file().close();
                }
            }
        }
    }

    /** Leaves the LU's groups as a fresh LU has them, for whatever runs on it next. */
    private static void resetAfterRun(TargetAdmin admin, PrintStream err) {
        if (admin == null) {
            return;
        }
        try {
            admin.reset();
        } catch (Exception e) {
            err.println("scenarios: resetting the target port groups after the run: " + e.getMessage());
        }
    }

    private static int report(Function<Scenario, ScenarioResult> runner, List<Scenario> scenarios, Set<String> skipTags, PrintStream out) {
        int pass = 0, fail = 0, skip = 0;
        out.printf("%-40s %-6s %s%n", "SCENARIO", "RESULT", "FIRST DIFFERENCE");
        for (Scenario s : scenarios) {
            ScenarioResult r;
            Set<String> hit = new LinkedHashSet<>(s.tags());
            hit.retainAll(skipTags);
            r = hit.isEmpty() ? runner.apply(s) : ScenarioResult.skip(s.name(), "tag " + String.join(", ", hit));
            switch (r.outcome()) {
                case PASS -> pass++;
                case FAIL -> fail++;
                case SKIP -> skip++;
            }
            out.printf("%-40s %-6s %s%n", r.name(), r.outcome(), r.difference());
        }
        out.printf("%d passed, %d failed, %d skipped%n", pass, fail, skip);
        return fail == 0 ? 0 : 1;
    }

    private static int usage(PrintStream s, String problem) {
        if (problem != null) {
            s.println("scenarios: " + problem);
        }
        s.println("usage: ScenarioMain (--sim | [--mpathfs MOUNT | --lio-lu CONFIGFS_LU_DIR] --nexus NAME=DEVICE ...) [--only NAME]... "
                + "[--skip-tag TAG]... [--list] [FILE|DIR]...");
        return problem == null ? 0 : 2;
    }
}
