package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpathfs.backends.file.FilePath;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathState;
import io.mpathfs.fuse.testsupport.LoopDevices;
import io.mpathfs.fuse.testsupport.Sh;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A path's block node loses its capacity (as a SCSI disk being deleted does: its capacity drops
 * to 0 before the node goes): the kernel refuses writes inside the LU with ENOSPC. That is a dead
 * path, not the application's "disk full": the write fails over to another path and succeeds.
 */
class ShrunkBlockDeviceIT {
    @Test
    void enospcInsideTheLuFromAShrunkNodeFailsThePathAndTheWriteFailsOver() throws Exception {
        Path img = Files.createTempFile("shrunk", ".img");
        Files.write(img, new byte[8 << 20]);
        try (LoopDevices loops = new LoopDevices()) {
            String first = loops.attach(img);
            String second = loops.attach(img);
            MultipathDevice device = new MultipathDevice("shrunk", List.of(FilePath.open(first), FilePath.open(second)),
                    DeviceConfig.defaults().withPolicy("failover"));
            try (AlignedBuffer buf = AlignedBuffer.allocate(4096)) {
                // The first path's node now shows 1 MiB: the image shrinks and only that loop re-reads it.
                Sh.ok(30, "truncate", "-s", "1M", img.toString());
                Sh.ok(30, "losetup", "-c", first);
                device.write(4L << 20, buf, 4096);
                assertEquals(PathState.FAILED, device.find(first).state(), "the shrunk node's path failed");
                assertEquals(1, device.find(second).ioCount(), "the write went to the other path");
            } finally {
                device.close();
            }
        } finally {
            Files.deleteIfExists(img);
        }
    }
}
