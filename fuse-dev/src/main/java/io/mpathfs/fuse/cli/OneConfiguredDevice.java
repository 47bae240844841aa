package io.mpathfs.fuse.cli;

import io.mpathfs.fuse.config.ConfigException;
import io.mpathfs.fuse.config.ConfiguredDevice;
import picocli.CommandLine.Parameters;

/** --config FILE and the ALIAS of the one configured device a command acts on (start, stop). */
final class OneConfiguredDevice extends ConfigOption {
    @Parameters(index = "0", paramLabel = "ALIAS")
    String alias;

    /** The device ALIAS names in the configuration. */
    ConfiguredDevice device() throws ConfigException {
        return load().device(alias);
    }
}
