package io.mpathfs.control;

import io.mpathfs.control.policy.PathSelectors;
import java.time.Duration;

/** Settings of a multipath device, as given at mount time. */
public record DeviceConfig(String policy, Duration checkerInterval, NoPathRetry noPathRetry, AluaMode alua) {
    public static final Duration DEFAULT_CHECKER_INTERVAL = Duration.ofSeconds(5);

    public DeviceConfig(String policy, Duration checkerInterval, NoPathRetry noPathRetry) {
        this(policy, checkerInterval, noPathRetry, AluaMode.IMPLICIT);
    }

    public static DeviceConfig defaults() {
        return new DeviceConfig(PathSelectors.DEFAULT, DEFAULT_CHECKER_INTERVAL,
                NoPathRetry.FAIL);
    }

    public DeviceConfig withPolicy(String p) {
        return new DeviceConfig(p, checkerInterval, noPathRetry, alua);
    }

    public DeviceConfig withCheckerInterval(Duration d) {
        return new DeviceConfig(policy, d, noPathRetry, alua);
    }

    public DeviceConfig withNoPathRetry(NoPathRetry n) {
        return new DeviceConfig(policy, checkerInterval, n, alua);
    }

    public DeviceConfig withAlua(AluaMode m) {
        return new DeviceConfig(policy, checkerInterval, noPathRetry, m);
    }
}
