package io.mpathfs.fuse.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpathfs.backends.file.FilePath;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.ctl.ControlFile;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a write to a ctl file reaches its command language: the bytes as the command, or a refusal. */
class MountFilesCtlTest {
    private static final Caller ROOT = new Caller(0, 0, 1);
    private final List<String> executed = new ArrayList<>();
    private MountFiles files;

    @BeforeEach
    void setUp() throws Exception {
        Path img = Files.createTempFile("mountfiles", ".img");
        Files.write(img, new byte[1 << 20]);
        MultipathDevice d = new MultipathDevice("t", List.of(FilePath.open(img.toString())),
                new DeviceConfig("round-robin", Duration.ofSeconds(5), NoPathRetry.FAIL));
        ControlFile echo = new ControlFile() {
            @Override
            public String name() {
                return "echo";
            }

            @Override
            public String view() {
                return "";
            }

            @Override
            public String execute(String line) {
                executed.add(line);
                return "ran";
            }
        };
        files = new MountFiles(d, List.of(echo), new FileAccess(0, 0660));
    }

    @AfterEach
    void tearDown() {
        files.close();
    }

    private int write(long h, byte[] raw) {
        Pointer buf = Memory.allocateDirect(Native.RUNTIME, Math.max(1, raw.length));
        buf.put(0, raw, 0, raw.length);
        return files.write("/ctl/echo", h, 0, buf, raw.length, ROOT);
    }

    private String answer(long h) {
        Pointer buf = Memory.allocateDirect(Native.RUNTIME, 4096);
        int n = files.read("/ctl/echo", h, 0, buf, 4096);
        byte[] out = new byte[n];
        buf.get(0, out, 0, n);
        return new String(out, StandardCharsets.UTF_8);
    }

    private String readAt(long h, long offset) {
        Pointer buf = Memory.allocateDirect(Native.RUNTIME, 4096);
        int n = files.read("/ctl/echo", h, offset, buf, 4096);
        byte[] out = new byte[n];
        buf.get(0, out, 0, n);
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void theAnswerIsReadFromTheWritersPositionAsFromTheStart() {
        // A shell's `echo cmd >&3; cat <&3` reads where the write left the descriptor's position.
        long h = files.open("/ctl/echo", 2, ROOT);
        byte[] cmd = "first\n".getBytes(StandardCharsets.UTF_8);
        Pointer buf = Memory.allocateDirect(Native.RUNTIME, 64);
        buf.put(0, cmd, 0, cmd.length);
        assertEquals(cmd.length, files.write("/ctl/echo", h, 0, buf, cmd.length, ROOT));
        assertEquals("ran\n", readAt(h, cmd.length), "read at the position after the write");
        assertEquals("", readAt(h, cmd.length + 4), "then end of file");
        // A reader from 0 (pread, or one that rewound) reads it from 0 to its end, and no further.
        assertEquals(cmd.length, files.write("/ctl/echo", h, 0, buf, cmd.length, ROOT));
        assertEquals("ran\n", readAt(h, 0));
        assertEquals("", readAt(h, 4), "end of file after the answer, though past the write's end");
        assertEquals("", readAt(h, cmd.length + 4));
        // A second command written where the first answer's read left the position.
        long pos = cmd.length + 4;
        assertEquals(cmd.length, files.write("/ctl/echo", h, pos, buf, cmd.length, ROOT));
        assertEquals("ran\n", readAt(h, pos + cmd.length));
        // A refused write leaves the position where it was: the reason is read from there.
        byte[] bad = {'a', (byte) 0xff};
        buf.put(0, bad, 0, bad.length);
        assertEquals(-Errno.EINVAL, files.write("/ctl/echo", h, 100, buf, bad.length, ROOT));
        assertEquals("error: command is not valid UTF-8\n", readAt(h, 100));
    }

    @Test
    void aCommandThatIsNotUtf8IsRefusedNotRunWithReplacementCharacters() {
        // Found by ControlFuzzIT: "# a com\xffment" reached ctl/sim as "# a com\ufffdment" and ran.
        long h = files.open("/ctl/echo", 2, ROOT);
        byte[][] bad = {{'a', (byte) 0xff, '\n'}, {(byte) 0xc0, (byte) 0x80}, {'x', (byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {'a', (byte) 0xe2, (byte) 0x82}};
        for (byte[] b : bad) {
            assertEquals(-Errno.EINVAL, write(h, b));
            assertEquals("error: command is not valid UTF-8\n", answer(h));
        }
        assertEquals(List.of(), executed);
        assertEquals(4, write(h, "h\u00e9\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ran\n", answer(h));
        assertEquals(List.of("h\u00e9"), executed);
    }
}
