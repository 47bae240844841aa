package io.mpathfs.fuse.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.policy.PathSelectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads mpathfs.conf (TOML, parsed by jackson-dataformat-toml) and checks every value: a
 * syntax error is reported at the parser's line, a wrong key or value at the line of that key.
 * Unknown keys are errors too — a misspelt {@code no_path_retry} silently ignored would change
 * what IO does with no path.
 */
public final class ConfigReader {
    static final Set<String> SETTINGS = Set.of("policy", "checker_interval", "no_path_retry", "keys_file", "blacklist");
    static final Set<String> DEFAULTS_ONLY = Set.of("mount_dir", "log_dir");
    static final Set<String> DEVICE_ONLY = Set.of("alias", "wwid", "paths");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    static final String DEFAULT_KEYS_FILE = "/var/lib/mpathfs/prkeys-{alias}";

    private final Path file;
    private KeyLines lines;

    private ConfigReader(Path file) {
        this.file = file;
    }

    public static MpathfsConf read(Path file) throws ConfigException {
        return new ConfigReader(file).read();
    }

    private MpathfsConf read() throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read: " + e);
        }
        lines = new KeyLines(text);
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(file, at == null ? 0 : at.getLineNr(), "TOML syntax: " + e.getOriginalMessage());
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!k.equals("defaults") && !k.equals("device")) {
                throw new ConfigException(file, lineOfTopLevel(k), "unknown section or key '" + k
                        + "' (the file has [defaults] and [[device]] sections)");
            }
        }
        Section defaults = new Section("defaults", 0, root.path("defaults"));
        if (!root.path("defaults").isMissingNode() && !root.path("defaults").isObject()) {
            throw new ConfigException(file, lineOfTopLevel("defaults"), "defaults must be a table: [defaults]");
        }
        defaults.allowOnly(SETTINGS, DEFAULTS_ONLY);
        Path mountDir = defaults.absolutePath("mount_dir", "/mnt");
        Path logDir = defaults.absolutePath("log_dir", "/var/log/mpathfs");
        JsonNode devs = root.path("device");
        if (devs.isMissingNode()) {
            throw new ConfigException(file, 0, "no device configured (add a [[device]] section)");
        }
        if (!devs.isArray()) {
            throw new ConfigException(file, lineOfTopLevel("device"), "device sections are written [[device]]");
        }
        List<ConfiguredDevice> out = new ArrayList<>();
        Map<String, Integer> aliases = new HashMap<>();
        Map<String, String> wwids = new HashMap<>();
        Map<Path, String> keyFiles = new HashMap<>();
        for (int i = 0; i < devs.size(); i++) {
            Section d = new Section("device", i, devs.get(i));
            ConfiguredDevice dev = device(d, defaults, mountDir);
            if (aliases.putIfAbsent(dev.alias(), i) != null) {
                throw d.error("alias", "alias '" + dev.alias() + "' is configured twice");
            }
            if (dev.byWwid()) {
                String other = wwids.putIfAbsent(io.mpathfs.backends.scsidevice.PathDiscovery.normalise(dev.wwid()),
                        dev.alias());
                if (other != null) {
                    throw d.error("wwid", "wwid " + dev.wwid() + " is also the wwid of device '" + other + "'");
                }
            }
            String sharing = keyFiles.putIfAbsent(dev.keysFile(), dev.alias());
            if (sharing != null) {
                // One daemon per device: two processes replacing one keys file could each lose the other's key.
                throw d.errorAt(defaults, "keys_file", "keys file " + dev.keysFile() + " is also the keys file of device '"
                        + sharing + "'; each device needs its own (the default is " + DEFAULT_KEYS_FILE + ")");
            }
            out.add(dev);
        }
        return new MpathfsConf(file, logDir, List.copyOf(out));
    }

    private ConfiguredDevice device(Section d, Section defaults, Path mountDir) throws ConfigException {
        if (!d.node.isObject()) {
            throw d.error(null, "a [[device]] must be a table");
        }
        d.allowOnly(SETTINGS, DEVICE_ONLY);
        String alias = d.string("alias", null);
        if (alias == null) {
            throw d.error(null, "a device needs an alias (its mount point is " + mountDir + "/ALIAS)");
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw d.error("alias", "alias '" + alias + "' must be letters, digits, '_', '.', '-' (a directory name)");
        }
        String wwid = d.string("wwid", null);
        List<String> paths = d.has("paths") ? d.strings("paths") : List.of();
        if ((wwid == null) == paths.isEmpty()) {
            throw d.error(wwid == null ? null : "paths", "device '" + alias
                    + "' needs either wwid (every block device of that LU) or paths (a list), not both");
        }
        String policy = d.stringOr(defaults, "policy", PathSelectors.DEFAULT);
        if (!PathSelectors.names().contains(policy)) {
            throw d.errorAt(defaults, "policy", "unknown policy '" + policy + "' (one of "
                    + String.join(", ", PathSelectors.names()) + ")");
        }
        double interval = d.numberOr(defaults, "checker_interval", 5);
        if (!(interval > 0) || interval > 86_400) {
            throw d.errorAt(defaults, "checker_interval", "checker_interval must be seconds > 0 (fractions allowed)");
        }
        NoPathRetry npr;
        JsonNode n = d.valueOr(defaults, "no_path_retry");
        try {
            npr = n == null ? NoPathRetry.FAIL : NoPathRetry.parse(n.isTextual() ? n.textValue() : n.toString());
        } catch (IllegalArgumentException e) {
            throw d.errorAt(defaults, "no_path_retry", "no_path_retry must be \"fail\", \"queue\" or a count >= 0, not "
                    + n);
        }
        String keys = d.stringOr(defaults, "keys_file", DEFAULT_KEYS_FILE).replace("{alias}", alias);
        if (!keys.startsWith("/")) {
            throw d.errorAt(defaults, "keys_file", "keys_file must be an absolute path: " + keys);
        }
        Blacklist blacklist = defaults.blacklist().plus(d.blacklist());
        DeviceConfig settings = new DeviceConfig(policy, Duration.ofMillis(Math.round(interval * 1000)), npr);
        return new ConfiguredDevice(alias, wwid, paths, mountDir.resolve(alias), settings, Path.of(keys), blacklist);
    }

    private int lineOfTopLevel(String key) {
        int l = lines.ofTable(key, 0);
        return l > 0 ? l : lines.of("", 0, key);
    }

    /** One table of the file ([defaults] or the index-th [[device]]), with the line of each key at hand. */
    private final class Section {
        final String table;
        final int index;
        final JsonNode node;

        Section(String table, int index, JsonNode node) {
            this.table = table;
            this.index = index;
            this.node = node;
        }

        ConfigException error(String key, String problem) {
            return new ConfigException(file, key == null ? lines.ofTable(table, index) : lines.of(table, index, key),
                    "[" + (table.equals("device") ? "[device]] #" + (index + 1) : table + "]") + ": " + problem);
        }

        /** An error about a value that may come from this section or from the defaults. */
        ConfigException errorAt(Section defaults, String key, String problem) {
            return (has(key) ? this : defaults).error(key, problem);
        }

        boolean has(String key) {
            return node.has(key);
        }

        void allowOnly(Set<String> a, Set<String> b) throws ConfigException {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String k = it.next();
                if (!a.contains(k) && !b.contains(k)) {
                    List<String> known = new ArrayList<>(a);
                    known.addAll(b);
                    known.sort(null);
                    throw error(k, "unknown key '" + k + "' (known here: " + String.join(", ", known) + ")");
                }
            }
        }

        JsonNode valueOr(Section defaults, String key) {
            return has(key) ? node.get(key) : defaults.node.get(key);
        }

        String string(String key, String dflt) throws ConfigException {
            JsonNode v = node.get(key);
            if (v == null) {
                return dflt;
            }
            if (!v.isTextual() || v.textValue().isBlank()) {
                throw error(key, key + " must be a non-empty string in quotes");
            }
            return v.textValue();
        }

        String stringOr(Section defaults, String key, String dflt) throws ConfigException {
            return has(key) ? string(key, dflt) : defaults.string(key, dflt);
        }

        double numberOr(Section defaults, String key, double dflt) throws ConfigException {
            Section s = has(key) ? this : defaults;
            JsonNode v = s.node.get(key);
            if (v == null) {
                return dflt;
            }
            if (!v.isNumber()) {
                throw s.error(key, key + " must be a number");
            }
            return v.doubleValue();
        }

        Path absolutePath(String key, String dflt) throws ConfigException {
            String v = string(key, dflt);
            if (!v.startsWith("/")) {
                throw error(key, key + " must be an absolute path: " + v);
            }
            return Path.of(v);
        }

        List<String> strings(String key) throws ConfigException {
            JsonNode v = node.get(key);
            if (v == null) {
                return List.of();
            }
            if (!v.isArray()) {
                throw error(key, key + " must be a list of strings: [\"...\", ...]");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isTextual() || e.textValue().isBlank()) {
                    throw error(key, key + " must be a list of non-empty strings");
                }
                out.add(e.textValue());
            }
            return out;
        }

        Blacklist blacklist() throws ConfigException {
            List<Pattern> out = new ArrayList<>();
            for (String re : strings("blacklist")) {
                try {
                    out.add(Pattern.compile(re));
                } catch (PatternSyntaxException e) {
                    throw error("blacklist", "blacklist entry '" + re + "' is not a regular expression: "
                            + e.getDescription());
                }
            }
            return new Blacklist(out);
        }
    }
}
