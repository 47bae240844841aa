package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.scsidevice.Uevent;
import io.mpathfs.fuse.testsupport.LoopDevices;
import io.mpathfs.nativeshim.UeventSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernel's uevents reach the hot-plug watch's socket: a "change" event requested for a loop
 * device of ours (writing to its sysfs uevent file) arrives, parsed as a whole-disk block event.
 */
class UeventSocketIT {
    @Test
    void aDiskEventFromTheKernelArrivesParsed() throws Exception {
        Path img = Files.createTempFile("uevent", ".img");
        Files.write(img, new byte[1 << 20]);
        try (LoopDevices loops = new LoopDevices(); UeventSocket socket = UeventSocket.open()) {
            String loop = Path.of(loops.attach(img)).getFileName().toString();
            Files.writeString(Path.of("/sys/block", loop, "uevent"), "change");
            List<String> seen = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Uevent ours = null;
            while (ours == null && System.nanoTime() < end) {
                byte[] raw = socket.receive(500);
                Uevent e = raw == null || raw.length == 0 ? null : Uevent.parse(raw);
                if (e != null) {
                    seen.add(e.toString());
                    if (e.devName().equals(loop) && e.action().equals("change")) {
                        ours = e;
                    }
                }
            }
            assertTrue(ours != null, "no change event for " + loop + " within 30 s; saw " + seen);
            assertTrue(ours.concernsDisks(), ours.toString());
        } finally {
            Files.deleteIfExists(img);
        }
    }
}
