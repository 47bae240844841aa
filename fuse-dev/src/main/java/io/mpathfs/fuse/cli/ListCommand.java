package io.mpathfs.fuse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mpathfs.fuse.MountTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Every running mpathfs device, its paths and PR state at a glance (multipath -ll). */
@Command(mixinStandardHelpOptions = true, name = "list", description = "Show every running mpathfs device "
        + "with its paths, their states and the PR state (like multipath -ll).")
final class ListCommand implements Callable<Integer> {
    @Option(names = "--json", description = "one JSON document, for monitoring")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<DeviceListing> devices = new ArrayList<>();
        for (Path mp : MountTable.mpathfsMounts()) {
            devices.add(DeviceListing.read(mp));
        }
        if (json) {
            List<Map<String, Object>> out = devices.stream().map(DeviceListing::toMap).toList();
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("devices", out)));
        } else {
            for (DeviceListing d : devices) {
                System.out.print(d.toText());
            }
        }
        return devices.stream().anyMatch(d -> d.error() != null) ? 1 : 0;
    }
}
