package io.mpathfs.backends.scsidevice;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One kernel uevent as the NETLINK_KOBJECT_UEVENT socket delivers it: a header "ACTION@DEVPATH"
 * and KEY=VALUE fields, NUL-separated. Messages from udev (prefixed "libudev") are not the
 * kernel's and are not parsed.
 */
public record Uevent(String action, String subsystem, String devName, String devType) {

    /** The event, or null for a message that is not a kernel uevent. */
    public static Uevent parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        String[] parts = text.split("\0");
        if (parts.length == 0 || !parts[0].contains("@")) {
            return null;
        }
        Map<String, String> f = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                f.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        String action = f.getOrDefault("ACTION", parts[0].substring(0, parts[0].indexOf('@')));
        return new Uevent(action, f.getOrDefault("SUBSYSTEM", ""), f.getOrDefault("DEVNAME", ""),
                f.getOrDefault("DEVTYPE", ""));
    }

    /** A whole disk (not a partition) appeared, went or changed: the paths of an LU may differ now. */
    public boolean concernsDisks() {
        return subsystem.equals("block") && devType.equals("disk")
                && (action.equals("add") || action.equals("remove") || action.equals("change"));
    }
}
