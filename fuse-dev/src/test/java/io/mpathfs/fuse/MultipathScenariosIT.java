package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.scenario.MultipathHostRunner;
import io.mpathfs.backends.scenario.Scenario;
import io.mpathfs.backends.scenario.ScenarioLibrary;
import io.mpathfs.backends.scenario.ScenarioResult;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.fuse.testsupport.EmbeddedMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scenario files with host A being the mount (embedded target, four paths of host A) and host B
 * acting on raw nexuses of the same target: an application on the mount gets the answers ONE
 * nexus would. The lab runs the same on LIO (the conformance table's mpathfs column).
 */
class MultipathScenariosIT {
    /** Scenarios where host A uses one nexus; fewer passing means some stopped being checked. */
    static final int AT_LEAST = 25;

    @RegisterExtension
    final EmbeddedMount mount = new EmbeddedMount("mpathfs-scn",
            SimConfig.builder().capacityBytes(64L << 20).targetPorts(4).build(),
            new DeviceConfig("round-robin", Duration.ofMillis(500), new NoPathRetry(4)));

    @Test
    void everyApplicableScenarioGivesOneNexusAnswersThroughTheMount() throws Exception {
        List<ScenarioResult> results = new ArrayList<>();
        Map<String, ScsiChannel> hostB = new LinkedHashMap<>();
        hostB.put("B1", mount.target().nexus("B", 1));
        hostB.put("B2", mount.target().nexus("B", 2));
        MultipathHostRunner runner = new MultipathHostRunner(mount.point(), hostB);
        try {
            for (Scenario s : ScenarioLibrary.bundled()) {
                results.add(runner.run(s));
            }
        } finally {
            runner.close();
        }
        StringBuilder table = new StringBuilder();
        int pass = 0;
        List<String> failed = new ArrayList<>();
        for (ScenarioResult r : results) {
            table.append(String.format("%-40s %-5s %s%n", r.name(), r.outcome(), r.difference()));
            if (r.passed()) {
                pass++;
            } else if (r.outcome() == ScenarioResult.Outcome.FAIL) {
                failed.add(r.name());
            }
        }
        System.out.print(table);
        System.out.println("mpathfs on the embedded target: " + pass + " of " + results.size() + " scenarios passed");
        assertEquals(List.of(), failed, table.toString());
        assertTrue(pass >= AT_LEAST, pass + " scenarios passed, expected at least " + AT_LEAST + "\n" + table);
    }
}
