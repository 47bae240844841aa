package io.mpathfs.fuse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mpathfs.backends.scsidevice.BlockDeviceInfo;
import io.mpathfs.backends.scsidevice.PathDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every logical unit the kernel shows through several SCSI disks (multipath -d -v3's view): what
 * `mount --wwid` or a configured device's wwid would take, with the identifiers to write there.
 */
@Command(mixinStandardHelpOptions = true, name = "discover", description = "List every logical unit seen "
        + "through several block devices: WWID, vendor/product, size, device names (like multipath -d -v3).")
final class DiscoverCommand implements Callable<Integer> {
    @Option(names = "--json", description = "one JSON document")
    boolean json;

    @Option(names = "--all", description = "also logical units seen through one block device only")
    boolean all;

    @Option(names = "--sys-block", paramLabel = "DIR", defaultValue = "/sys/block", hidden = true)
    java.nio.file.Path sysBlock;

    @Override
    public Integer call() throws Exception {
        Map<String, List<BlockDeviceInfo>> byLu = new LinkedHashMap<>();
        for (BlockDeviceInfo d : new PathDiscovery(sysBlock).scan()) {
            byLu.computeIfAbsent(d.identity(), k -> new ArrayList<>()).add(d);
        }
        List<List<BlockDeviceInfo>> shown = byLu.values().stream().filter(l -> all || l.size() > 1).toList();
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (List<BlockDeviceInfo> lu : shown) {
                BlockDeviceInfo first = lu.get(0);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("wwid", first.multipathWwid());
                m.put("identity", first.identity());
                m.put("vendor", first.vendor());
                m.put("product", first.model());
                m.put("size_bytes", first.sizeBytes());
                m.put("devices", lu.stream().map(d -> Map.of("name", "/dev/" + d.name(), "hctl", d.hctl())).toList());
                out.add(m);
            }
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("logical_units", out)));
            return 0;
        }
        for (List<BlockDeviceInfo> lu : shown) {
            BlockDeviceInfo first = lu.get(0);
            System.out.println(first.multipathWwid() + " (" + first.identity() + ") " + first.vendor() + ","
                    + first.model());
            System.out.println("size=" + Sizes.human(first.sizeBytes()) + " paths=" + lu.size());
            for (int i = 0; i < lu.size(); i++) {
                BlockDeviceInfo d = lu.get(i);
                System.out.println((i == lu.size() - 1 ? "`- " : "|- ") + d.hctl() + " /dev/" + d.name());
            }
        }
        if (shown.isEmpty()) {
            System.err.println("mpathfs: no logical unit seen through several block devices");
        }
        return 0;
    }
}
