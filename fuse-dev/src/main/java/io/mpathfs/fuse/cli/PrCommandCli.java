package io.mpathfs.fuse.cli;

import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.Native;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mpathfs pr}: blkpr's options and messages, on a mount. Writes the command to
 * MOUNTPOINT/ctl/pr and reads the answer on the same open file. Exit 0 on success, 1 on any
 * failure (as blkpr): "error code 0x18, ..." for a reservation conflict, "pr ioctl failed: ..."
 * otherwise, followed by mpathfs's one-line reason.
 */
@Command(mixinStandardHelpOptions = true, name = "pr", description = "Persistent Reservations on a mount, with blkpr's options.")
final class PrCommandCli implements Callable<Integer> {
    @Option(names = {"-c", "--command"}, paramLabel = "CMD",
            description = "register, reserve, release, preempt, preempt-abort, clear, read-keys, read-reservation, read-full-status, report-capabilities")
    String command;

    @Option(names = {"-k", "--key"}, paramLabel = "NUM", description = "key to operate on")
    String key;

    @Option(names = {"-K", "--oldkey"}, paramLabel = "NUM", description = "old key (register) / own key (preempt)")
    String oldKey;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "reservation type (blkpr names)")
    String type;

    @Option(names = {"-f", "--flag"}, paramLabel = "FLAG", description = "ignore-key")
    String flag;

    @Option(names = "--read-keys", description = "same as -c read-keys")
    boolean readKeys;

    @Option(names = "--read-reservation", description = "same as -c read-reservation")
    boolean readReservation;

    @Option(names = "--read-full-status", description = "same as -c read-full-status (mpathpersist -i -s format: "
            + "every registration with its key and target port, and the holder)")
    boolean readFullStatus;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "the mount (or its disk)")
    Path target;

    @Override
    public Integer call() {
        int shortcuts = (readKeys ? 1 : 0) + (readReservation ? 1 : 0) + (readFullStatus ? 1 : 0);
        if (shortcuts > 1 || (shortcuts == 1 && command != null)) {
            System.err.println("mpathfs pr: one command at a time (-c CMD, --read-keys, --read-reservation "
                    + "or --read-full-status)");
            return 1;
        }
        String cmd = readKeys ? "read-keys" : readReservation ? "read-reservation"
                : readFullStatus ? "read-full-status" : command;
        if (cmd == null) {
            System.err.println("mpathfs pr: no command specified (-c CMD, --read-keys, --read-reservation "
                    + "or --read-full-status)");
            return 1;
        }
        List<String> words = new ArrayList<>(List.of("-c", cmd));
        add(words, "-k", key);
        add(words, "-K", oldKey);
        add(words, "-t", type);
        add(words, "-f", flag);
        Path mount = target.getFileName() != null && target.getFileName().toString().equals("disk")
                ? target.getParent() : target;
        Path ctl = mount.resolve("ctl/pr");
        if (!Files.exists(ctl)) {
            System.err.println("mpathfs pr: " + mount + " is not an mpathfs mount with PR (no ctl/pr)");
            return 1;
        }
        try (NativeFile f = NativeFile.open(ctl.toString(), NativeFile.O_RDWR)) {
            byte[] line = (String.join(" ", words) + "\n").getBytes(StandardCharsets.UTF_8);
            Pointer buf = Memory.allocateDirect(Native.RUNTIME, 1 << 16);
            buf.put(0, line, 0, line.length);
            int errno = 0;
            try {
                f.pwrite(buf, line.length, 0);
            } catch (NativeException e) {
                errno = e.errno();
            }
            int n = f.pread(buf, 1 << 16, 0);
            byte[] out = new byte[n];
            buf.get(0, out, 0, n);
            String text = new String(out, StandardCharsets.UTF_8);
            if (errno == 0) {
                if (!text.strip().equals("ok")) {
                    System.out.print(text);
                }
                return 0;
            }
            if (errno == Errno.EBADE) {
                System.err.println("mpathfs pr: error code 0x18, for more detailed information see specification of device model.");
            } else {
                System.err.println("mpathfs pr: pr ioctl failed: " + Errno.describe(errno));
            }
            System.err.print("mpathfs pr: " + text.replaceFirst("^error: ", ""));
            return 1;
        } catch (NativeException e) {
            System.err.println("mpathfs pr: cannot open " + ctl + ": " + Errno.describe(e.errno()));
            return 1;
        }
    }

    private static void add(List<String> words, String opt, String value) {
        if (value != null) {
            words.add(opt);
            words.add(value);
        }
    }
}
