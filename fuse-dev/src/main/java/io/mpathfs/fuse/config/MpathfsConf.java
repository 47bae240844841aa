package io.mpathfs.fuse.config;

import java.nio.file.Path;
import java.util.List;

/** The configuration file read: where the daemons of `mpathfs up` log, and every configured device. */
public record MpathfsConf(Path file, Path logDir, List<ConfiguredDevice> devices) {
    public static final Path DEFAULT_FILE = Path.of("/etc/mpathfs/mpathfs.conf");
    /** Overrides the default file for every subcommand (systemd units and tests set it). */
    public static final String FILE_ENV = "MPATHFS_CONFIG";

    /** --config when given, else $MPATHFS_CONFIG, else /etc/mpathfs/mpathfs.conf. */
    public static Path fileFrom(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv(FILE_ENV);
        return env == null || env.isBlank() ? DEFAULT_FILE : Path.of(env);
    }

    /** The devices named (all when none is), each name checked. */
    public List<ConfiguredDevice> select(List<String> aliases) throws ConfigException {
        if (aliases == null || aliases.isEmpty()) {
            return devices;
        }
        List<ConfiguredDevice> out = new java.util.ArrayList<>();
        for (String a : aliases) {
            out.add(device(a));
        }
        return out;
    }

    public ConfiguredDevice device(String alias) throws ConfigException {
        for (ConfiguredDevice d : devices) {
            if (d.alias().equals(alias)) {
                return d;
            }
        }
        throw new ConfigException(file, 0, "no device with alias '" + alias + "' (configured: "
                + String.join(", ", devices.stream().map(ConfiguredDevice::alias).toList()) + ")");
    }
}
