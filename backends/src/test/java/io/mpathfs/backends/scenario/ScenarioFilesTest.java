package io.mpathfs.backends.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every bundled scenario file against the embedded target: one test per file, and all in one go. */
class ScenarioFilesTest {
    static SimTarget target() throws IOException {
        return SimTarget.create(SimConfig.builder().capacityBytes(64L << 20).targetPorts(4).build());
    }

    static Map<String, ScsiChannel> nexuses(SimTarget t) {
        Map<String, ScsiChannel> m = new LinkedHashMap<>();
        for (String h : List.of("A", "B", "C")) {
            for (int p = 1; p <= 4; p++) {
                m.put(h + p, t.nexus(h, p));
            }
        }
        return m;
    }

    @TestFactory
    Stream<DynamicTest> eachBundledScenarioPassesOnAFreshTarget() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario s : ScenarioLibrary.bundled()) {
            tests.add(DynamicTest.dynamicTest(s.name(), () -> {
                try (SimTarget t = target()) {
                    ScenarioResult r = new ScenarioRunner(nexuses(t), new SimTargetAdmin(t)).run(s);
                    assertEquals(ScenarioResult.Outcome.PASS, r.outcome(), r.name() + ": " + r.difference());
                    assertEquals(s.steps().size(), r.stepsRun());
                }
            }));
        }
        assertTrue(tests.size() >= 30, "at least 30 scenarios are bundled: " + tests.size());
        return tests.stream();
    }

    /** Cleanup between scenarios works with SCSI commands alone: all of them in sequence on one LU. */
    @Test
    void allBundledScenariosPassInSequenceOnOneTarget() throws Exception {
        try (SimTarget t = target()) {
            ScenarioRunner runner = new ScenarioRunner(nexuses(t), new SimTargetAdmin(t));
            List<String> failed = new ArrayList<>();
            for (Scenario s : ScenarioLibrary.bundled()) {
                ScenarioResult r = runner.run(s);
                if (!r.passed()) {
                    failed.add(r.name() + ": " + r.difference());
                }
            }
            assertEquals(List.of(), failed);
        }
    }
}
