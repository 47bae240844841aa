package io.mpathfs.control.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathException;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.testsupport.ScriptedPath;
import io.mpathfs.nativeshim.Errno;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ctl/paths: its view, line by line, and each command's answer and errno. */
class PathsControlTest {
    private final byte[] lu = new byte[1 << 16];

    private MultipathDevice device(String... names) throws PathException {
        List<DevicePath> paths = new ArrayList<>();
        for (String n : names) {
            paths.add(new ScriptedPath(n, lu, "lu"));
        }
        return new MultipathDevice("t", paths, new DeviceConfig("round-robin", Duration.ofHours(1), NoPathRetry.FAIL));
    }

    private static PathsControl control(MultipathDevice d, byte[] lu) {
        return new PathsControl(d, name -> new ScriptedPath(name, lu, "lu"));
    }

    @Test
    void theViewIsOneLinePerPath() throws Exception {
        try (MultipathDevice d = device("a", "b")) {
            assertEquals("a active registered=no io=0 errors=0 inflight=0\n"
                    + "b active registered=no io=0 errors=0 inflight=0\n", control(d, lu).view());
        }
    }

    @Test
    void failAndReinstateChangeTheStateShown() throws Exception {
        try (MultipathDevice d = device("a", "b")) {
            PathsControl c = control(d, lu);
            assertEquals("ok", c.execute("fail a"));
            assertEquals("a failed", PathsControl.line(d.find("a")).substring(0, "a failed".length()));
            assertEquals("ok", c.execute("reinstate a"));
            assertEquals("a active", PathsControl.line(d.find("a")).substring(0, "a active".length()));
        }
    }

    @Test
    void addAndRemoveAPath() throws Exception {
        try (MultipathDevice d = device("a")) {
            PathsControl c = control(d, lu);
            assertEquals("ok", c.execute("add b"));
            assertEquals(2, d.paths().size());
            assertEquals("ok", c.execute("remove a"));
            assertEquals(List.of("b"), d.paths().stream().map(p -> p.name()).toList());
        }
    }

    @Test
    void refusalsCarryTheirErrno() throws Exception {
        try (MultipathDevice d = device("a")) {
            PathsControl c = control(d, lu);
            assertEquals(Errno.ENODEV, assertThrows(CtlException.class, () -> c.execute("fail z")).errno());
            assertEquals(Errno.ENODEV, assertThrows(CtlException.class, () -> c.execute("remove z")).errno());
            assertEquals(Errno.EBUSY, assertThrows(CtlException.class, () -> c.execute("remove a")).errno());
            assertEquals(Errno.EINVAL, assertThrows(CtlException.class, () -> c.execute("fail")).errno());
            assertEquals(Errno.EINVAL, assertThrows(CtlException.class, () -> c.execute("frob a")).errno());
        }
    }
}
