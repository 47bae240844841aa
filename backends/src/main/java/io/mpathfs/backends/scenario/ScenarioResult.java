package io.mpathfs.backends.scenario;

/**
 * How one scenario went.
 *
 * @param difference the first step that did not answer as written ("line 12: B1 write lba=0:
 *                   expected RESERVATION CONFLICT, got GOOD"), or why it was skipped; empty on PASS
 */
public record ScenarioResult(String name, Outcome outcome, String difference, int stepsRun) {
    public enum Outcome { PASS, FAIL, SKIP }

    public static ScenarioResult pass(String name, int steps) {
        return new ScenarioResult(name, Outcome.PASS, "", steps);
    }

    public static ScenarioResult fail(String name, String difference, int steps) {
        return new ScenarioResult(name, Outcome.FAIL, difference, steps);
    }

    public static ScenarioResult skip(String name, String why) {
        return new ScenarioResult(name, Outcome.SKIP, why, 0);
    }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }
}
