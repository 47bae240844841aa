package io.mpathfs.fuse.config;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Block devices never taken as paths, by kernel name (sda, sdb...): regular expressions searched
 * in the name, as multipath.conf's blacklist devnode entries are. The defaults' list applies to
 * every device, a device's own list adds to it.
 */
public record Blacklist(List<Pattern> patterns) implements Predicate<String> {
    public static final Blacklist NONE = new Blacklist(List.of());

    /** true when the device with this kernel name may be a path. */
    @Override
    public boolean test(String kernelName) {
        for (Pattern p : patterns) {
            if (p.matcher(kernelName).find()) {
                return false;
            }
        }
        return true;
    }

    Blacklist plus(Blacklist more) {
        return new Blacklist(java.util.stream.Stream.concat(patterns.stream(), more.patterns.stream()).toList());
    }

    @Override
    public String toString() {
        return patterns.stream().map(Pattern::pattern).toList().toString();
    }
}
