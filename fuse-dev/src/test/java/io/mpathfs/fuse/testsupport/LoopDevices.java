package io.mpathfs.fuse.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loop devices over an image for the tests; detached on close even when a test failed. */
public final class LoopDevices implements AutoCloseable {
    private final List<String> devices = new ArrayList<>();

    public String attach(Path image) {
        Sh.Result r = Sh.run(30, "losetup", "-f", "--show", image.toString());
        if (!r.ok()) {
            fail("losetup -f --show " + image + " failed (are /dev/loop-control and root there?): " + r.out());
        }
        String dev = r.out().trim();
        devices.add(dev);
        return dev;
    }

    @Override
    public void close() {
        for (String d : devices) {
            Sh.run(30, "losetup", "-d", d);
        }
    }
}
