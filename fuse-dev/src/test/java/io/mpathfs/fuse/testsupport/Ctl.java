package io.mpathfs.fuse.testsupport;

import io.mpathfs.nativeshim.Native;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** One transaction on a ctl file: write a command, read the answer on the same open file. */
public final class Ctl {
    public record Answer(int errno, String text) {
        public boolean ok() {
            return errno == 0;
        }
    }

    private Ctl() {
    }

    public static Answer tx(Path file, String line) throws NativeException {
        return txBytes(file, (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static Answer txBytes(Path file, byte[] raw) throws NativeException {
        try (NativeFile f = NativeFile.open(file.toString(), NativeFile.O_RDWR)) {
            Pointer buf = Memory.allocateDirect(Native.RUNTIME, Math.max(raw.length, 1 << 16));
            buf.put(0, raw, 0, raw.length);
            int errno = 0;
            try {
                f.pwrite(buf, raw.length, 0);
            } catch (NativeException e) {
                errno = e.errno();
            }
            int n = f.pread(buf, 1 << 16, 0);
            byte[] out = new byte[n];
            buf.get(0, out, 0, n);
            return new Answer(errno, new String(out, StandardCharsets.UTF_8));
        }
    }
}
