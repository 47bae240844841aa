package io.mpathfs.fuse.cli;

import io.mpathfs.fuse.config.ConfigException;
import io.mpathfs.fuse.config.ConfigReader;
import io.mpathfs.fuse.config.MpathfsConf;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * --config FILE, for the commands that work from the configuration: start and stop through
 * {@link OneConfiguredDevice}, up and down through {@link ConfiguredDevices}.
 */
public class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "the configuration (default: $MPATHFS_CONFIG, else /etc/mpathfs/mpathfs.conf)")
    Path file;

    MpathfsConf load() throws ConfigException {
        return ConfigReader.read(MpathfsConf.fileFrom(file));
    }
}
