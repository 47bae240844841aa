package io.mpathfs.fuse;

import io.mpathfs.fuse.testsupport.Ctl;
import io.mpathfs.nativeshim.Native;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One open ctl file on which several raw writes may be made (a command split over two writes),
 * each reporting its errno as write(2) does, and the answer read back on the same open file.
 * {@link Ctl} is the one-shot form; this one keeps the file open between writes.
 */
final class CtlSession implements AutoCloseable {
    /** What one write(2) did: 0 and the byte count, or the errno. */
    record Write(int errno, int count) {
    }

    private final NativeFile file;
    private long offset;

    CtlSession(Path file) throws NativeException {
        this.file = NativeFile.open(file.toString(), NativeFile.O_RDWR);
    }

    /** Writes raw bytes at the file's running offset, as write(2) on the descriptor would. */
    Write write(byte[] raw) {
        Pointer buf = Memory.allocateDirect(Native.RUNTIME, Math.max(raw.length, 1));
        buf.put(0, raw, 0, raw.length);
        try {
            int n = file.pwrite(buf, raw.length, offset);
            offset += n;
            return new Write(0, n);
        } catch (NativeException e) {
            return new Write(e.errno(), -1);
        }
    }

    /** The whole answer: every byte a read from offset 0 returns on this open file. */
    byte[] answer() throws NativeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pointer buf = Memory.allocateDirect(Native.RUNTIME, 1 << 16);
        byte[] chunk = new byte[1 << 16];
        long at = 0;
        while (true) {
            int n = file.pread(buf, chunk.length, at);
            if (n == 0) {
                return out.toByteArray();
            }
            buf.get(0, chunk, 0, n);
            out.write(chunk, 0, n);
            at += n;
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
