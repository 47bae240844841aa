package io.mpathfs.backends.scenario;

/** A scenario file line that cannot be understood; the message names the file and line. */
public class ScenarioSyntaxException extends Exception {
    public ScenarioSyntaxException(String message) {
        super(message);
    }
}
