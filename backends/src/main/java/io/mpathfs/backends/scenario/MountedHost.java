package io.mpathfs.backends.scenario;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host A as an application sees it on an mpathfs mount: the {@code disk} (O_DIRECT reads and
 * writes, fdatasync) and {@code ctl/pr} (blkpr-style commands; the answer is read back on the same
 * open file) — the interfaces users have, nothing below them. {@code ctl/status} tells whether
 * mpathfs believes itself registered.
 */
final class MountedHost implements AutoCloseable {
    /** What a ctl/pr write or a disk IO came back with: errno 0 = success; text = ctl/pr's answer. */
    record Outcome(int errno, String text) {
        boolean ok() {
            return errno == 0;
        }

        String describe() {
            return ok() ? "success" : Errno.name(errno) + (text.isBlank() ? "" : " (" + text.strip() + ")");
        }
    }

    private static final Pattern STATE_LINE = Pattern.compile("(?m)^pr-state (\\S+)$");

    private final Path mount;
    private final NativeFile disk;
    private final AlignedBuffer buf = AlignedBuffer.allocate(1 << 20);

    private MountedHost(Path mount, NativeFile disk) {
        this.mount = mount;
        this.disk = disk;
    }

    static MountedHost open(Path mount) throws NativeException {
        return new MountedHost(mount, NativeFile.openDirect(mount.resolve("disk").toString()));
    }

    Path mount() {
        return mount;
    }

    /** One ctl/pr command, e.g. "-c register -k 0xa". */
    synchronized Outcome pr(String command) {
        try (NativeFile f = NativeFile.open(mount.resolve("ctl/pr").toString(), NativeFile.O_RDWR)) {
            byte[] line = (command + "\n").getBytes(StandardCharsets.UTF_8);
            buf.put(0, line, 0, line.length);
            int errno = 0;
            try {
                f.pwrite(buf.pointer(), line.length, 0);
            } catch (NativeException e) {
                errno = e.errno();
            }
            int n = f.pread(buf.pointer(), buf.capacity(), 0);
            byte[] out = new byte[n];
            buf.get(0, out, 0, n);
            return new Outcome(errno, new String(out, StandardCharsets.UTF_8));
        } catch (NativeException e) {
            return new Outcome(e.errno(), "ctl/pr: " + e.getMessage());
        }
    }

    /** Text of a PR IN command that must succeed (read-keys, read-reservation, read-full-status). */
    String prIn(String command) throws Exchange.StepFailed {
        Outcome o = pr("-c " + command);
        if (!o.ok()) {
            throw new Exchange.StepFailed("mpathfs: ctl/pr " + command + " failed: " + o.describe());
        }
        return o.text();
    }

    /** Reads blocks at lba; on success every byte must be fill, when fill is given. */
    synchronized Outcome read(long lba, int blocks, int blockSize, Integer fill) {
        int len = blocks * blockSize;
        try {
            int n = disk.pread(buf.pointer(), len, lba * blockSize);
            if (fill != null) {
                byte[] d = new byte[n];
                buf.get(0, d, 0, n);
                for (int i = 0; i < n; i++) {
                    if ((d[i] & 0xff) != fill) {
                        return new Outcome(Errno.EIO, String.format("data byte %d is 0x%02x, expected 0x%02x", i,
                                d[i] & 0xff, fill));
                    }
                }
            }
            return n == len ? new Outcome(0, "") : new Outcome(Errno.EIO, "short read: " + n + " of " + len);
        } catch (NativeException e) {
            return new Outcome(e.errno(), "");
        }
    }

    synchronized Outcome write(long lba, int blocks, int blockSize, int fill) {
        int len = blocks * blockSize;
        byte[] d = new byte[len];
        Arrays.fill(d, (byte) fill);
        buf.put(0, d, 0, len);
        try {
            int n = disk.pwrite(buf.pointer(), len, lba * blockSize);
            return n == len ? new Outcome(0, "") : new Outcome(Errno.EIO, "short write: " + n + " of " + len);
        } catch (NativeException e) {
            return new Outcome(e.errno(), "");
        }
    }

    synchronized Outcome sync() {
        try {
            disk.fdatasync();
            return new Outcome(0, "");
        } catch (NativeException e) {
            return new Outcome(e.errno(), "");
        }
    }

    String status() throws Exchange.StepFailed {
        try {
            return Files.readString(mount.resolve("ctl/status"));
        } catch (IOException e) {
            throw new Exchange.StepFailed("mpathfs: cannot read ctl/status: " + e.getMessage());
        }
    }

    /** registered / unregistered / preempted. */
    String prState() throws Exchange.StepFailed {
        Matcher m = STATE_LINE.matcher(status());
        return m.find() ? m.group(1) : "unknown";
    }

    @Override
    public void close() {
        disk.close();
        buf.close();
    }
}
