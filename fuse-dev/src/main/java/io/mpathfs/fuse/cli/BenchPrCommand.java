package io.mpathfs.fuse.cli;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.pr.KeysFile;
import io.mpathfs.control.pr.PrCoordinator;
import io.mpathfs.control.pr.PrResult;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * PR latency (make bench): register/unregister cycles through the coordinator on the embedded
 * target with a per-command latency injected on every nexus, for 1 path and for N paths. The
 * coordinator sends REGISTER to all paths in parallel, so N paths should cost about one.
 */
@Command(mixinStandardHelpOptions = true, name = "bench-pr", hidden = true, description = "PR command latency, 1 path versus N (embedded target).")
final class BenchPrCommand implements Callable<Integer> {
    @Option(names = "--paths", defaultValue = "4")
    int paths;

    @Option(names = "--latency-ms", defaultValue = "2")
    int latencyMs;

    @Option(names = "--cycles", defaultValue = "50")
    int cycles;

    @Override
    public Integer call() throws Exception {
        double one = median(1);
        double many = median(paths);
        System.out.printf("pr latency (register+unregister, %d ms per command): 1 path %.1f ms, %d paths %.1f ms,"
                + " ratio %.2f%n", latencyMs, one, paths, many, many / one);
        return 0;
    }

    /** Median milliseconds of one register + unregister cycle with n paths. */
    private double median(int n) throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(1L << 20).targetPorts(n).build())) {
            List<DevicePath> ps = new ArrayList<>();
            for (SimPath p : t.paths()) {
                ps.add(p);
            }
            MultipathDevice d = new MultipathDevice("bench", ps,
                    new DeviceConfig("round-robin", Duration.ofSeconds(60), NoPathRetry.FAIL));
            PrCoordinator pr = new PrCoordinator(d, new KeysFile(Files.createTempDirectory("bench").resolve("k")), true);
            pr.start();
            run(pr, "-c register -k 0x1"); // first commands absorb the power-on unit attentions
            run(pr, "-c register -K 0x1 -k 0");
            for (SimPath p : t.paths()) {
                p.nexus().setLatencyMs(latencyMs);
            }
            double[] ms = new double[cycles];
            for (int i = 0; i < cycles; i++) {
                long t0 = System.nanoTime();
                run(pr, "-c register -k 0x1");
                run(pr, "-c register -K 0x1 -k 0");
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            pr.close();
            Arrays.sort(ms);
            return ms[cycles / 2];
        }
    }

    private static void run(PrCoordinator pr, String line) throws Exception {
        PrResult r = pr.execute(PrCommand.parse(line));
        if (!r.isOk()) {
            throw new IllegalStateException(line + ": " + r.text());
        }
    }
}
