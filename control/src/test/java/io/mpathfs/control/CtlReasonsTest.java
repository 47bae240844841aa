package io.mpathfs.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpathfs.backends.PathException;
import io.mpathfs.control.ctl.CommandLine;
import io.mpathfs.control.ctl.CtlException;
import io.mpathfs.control.ctl.PathsControl;
import io.mpathfs.control.ctl.PolicyControl;
import io.mpathfs.control.testsupport.ScriptedPath;
import io.mpathfs.nativeshim.Errno;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A refused ctl command's reason is one short printable line whatever was written: the words of the
 * user's it repeats are cut and shown as printable ASCII. (Found by ControlFuzzIT: ctl/policy and
 * ctl/paths repeated a 4 KiB word, a C1 control or a U+2028 line separator as given.)
 */
class CtlReasonsTest {
    private final byte[] lu = new byte[1 << 20];

    private MultipathDevice device() throws Exception {
        return new MultipathDevice("p", List.of(new ScriptedPath("a", lu, "id"), new ScriptedPath("b", lu, "id")),
                new DeviceConfig("round-robin", Duration.ofSeconds(5), NoPathRetry.FAIL));
    }

    private static CtlException refused(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(CtlException.class, e);
    }

    @Test
    void policyReasonsRepeatTheUsersWordsCutAndPrintable() throws Exception {
        PolicyControl c = new PolicyControl(device());
        CtlException e = refused(() -> c.execute("x".repeat(4000)));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("unknown policy '" + "x".repeat(40) + "...' (one of round-robin, queue-length, service-time, "
                + "failover)", e.getMessage());
        assertEquals("unknown policy 'serv?ice-time' (one of round-robin, queue-length, service-time, failover)",
                refused(() -> c.execute("serv\u2029ice-time")).getMessage());
    }

    @Test
    void pathsReasonsRepeatTheUsersWordsCutAndPrintable() throws Exception {
        PathsControl c = new PathsControl(device(), spec -> {
            throw new PathException(io.mpathfs.backends.ErrorClass.TARGET_ERROR, Errno.EINVAL, "no adds here");
        });
        assertEquals("unknown command 'rem?ove' (fail, reinstate, add, remove)",
                refused(() -> c.execute("rem\u2028ove a")).getMessage());
        CtlException e = refused(() -> c.execute("fail " + "y".repeat(4000)));
        assertEquals(Errno.ENODEV, e.errno());
        assertEquals("no path '" + "y".repeat(40) + "...' in p", e.getMessage());
    }

    @Test
    void c1ControlsAreControlCharacters() {
        // U+0085 (NEL) and U+009B (CSI) are controls as much as \n and ESC are.
        assertEquals("control character 0x85 in command",
                refused(() -> CommandLine.words("rem\u0085ove a")).getMessage());
        assertEquals("control character 0x9b in command", refused(() -> CommandLine.words("\u009b2J")).getMessage());
    }

    @Test
    void nothingAroundTheCommandIsDroppedSilently() {
        // Found by ControlFuzzIT: "set service-time\f" and "remove a\n" + "\n" ran as if the form
        // feed or the blank line were not there. One command per write means one line.
        assertEquals("control character 0x0c in command", refused(() -> CommandLine.words("set service-time\f")).getMessage());
        assertEquals("control character 0x1f in command", refused(() -> CommandLine.words("\u001fremove a")).getMessage());
        assertEquals("one command per write", refused(() -> CommandLine.words("remove a\n")).getMessage());
        assertEquals("one command per write", refused(() -> CommandLine.words("\n\nremove a")).getMessage());
        assertEquals(List.of("remove", "a"), assertDoesNotThrow(() -> CommandLine.words(" \tremove\ta  ")));
    }
}
