package io.mpathfs.fuse.cli;

import io.mpathfs.fuse.config.ConfigException;
import io.mpathfs.fuse.config.ConfiguredDevice;
import io.mpathfs.fuse.config.MpathfsConf;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * --config FILE and the ALIASes of the configured devices a command acts on, every one when none
 * is named (up, down).
 */
final class ConfiguredDevices extends ConfigOption {
    @Parameters(paramLabel = "ALIAS", arity = "0..*", description = "only these devices")
    List<String> aliases;

    /** The devices the ALIASes name in conf, in the order named; all of conf's when none is. */
    List<ConfiguredDevice> selectFrom(MpathfsConf conf) throws ConfigException {
        return conf.select(aliases);
    }
}
