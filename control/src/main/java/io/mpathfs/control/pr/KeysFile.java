package io.mpathfs.control.pr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Our reservation key per logical unit, kept across restarts (multipath-tools' prkeys file does
 * the same): one line per LU, {@code IDENTITY 0xKEY [aptpl]}, comments with '#'.
 *
 * <p>A key we registered and then forgot would leave a registration on the LU that nobody
 * removes, so the file is trusted or refused, never half-read: a symlink, a directory, a file
 * others may write, or any line that does not parse (not UTF-8 included) is an error naming the
 * file and line. It is created 0600 and replaced atomically: a new temp file in the same
 * directory, fsync, rename over the old one, fsync of the directory — a crash at any point
 * leaves the old or the new content.
 */
public final class KeysFile {
    public static final Path DEFAULT = Path.of("/var/lib/mpathfs/prkeys");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public record Entry(long key, boolean aptpl) {
    }

    /** The keys file cannot be trusted or written; the message names the file and the problem. */
    public static final class KeysFileException extends IOException {
        KeysFileException(String message) {
            super(message);
        }

        KeysFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path file;

    public KeysFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** Reads and checks the whole file (absent is fine: no keys yet); throws when it cannot be trusted. */
    public synchronized void verify() throws KeysFileException {
        readAll();
    }

    public synchronized Entry load(String identity) throws KeysFileException {
        return readAll().getOrDefault(identity, new Entry(0, false));
    }

    /** Records identity's key (0 removes it); on failure nothing changed and the reason is thrown. */
    public synchronized void store(String identity, long key, boolean aptpl) throws KeysFileException {
        Map<String, Entry> all = readAll();
        if (key == 0) {
            all.remove(identity);
        } else {
            all.put(identity, new Entry(key, aptpl));
        }
        write(all);
    }

    private void write(Map<String, Entry> all) throws KeysFileException {
        StringBuilder b = new StringBuilder("# mpathfs persistent reservation keys: IDENTITY KEY [aptpl]\n");
        for (Map.Entry<String, Entry> e : all.entrySet()) {
            b.append(e.getKey()).append(' ').append(String.format("0x%x", e.getValue().key()))
                    .append(e.getValue().aptpl() ? " aptpl" : "").append('\n');
        }
        replace(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Proves the file can be written now (rewrites its current content), before a key change relies on it. */
    public synchronized void checkWritable() throws KeysFileException {
        write(readAll());
    }

    private Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    private void replace(byte[] content) throws KeysFileException {
        Path dir = directory();
        Path tmp = null;
        try {
            checkNotSymlinkOrDirectory();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself reaches the disk
            }
        } catch (KeysFileException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            throw new KeysFileException("cannot write keys file " + file + ": " + describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write failed already; a stray temp file is harmless and says what happened
                }
            }
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private void checkNotSymlinkOrDirectory() throws KeysFileException {
        if (Files.isSymbolicLink(file)) {
            throw new KeysFileException("keys file " + file + " is a symbolic link; refusing to follow it "
                    + "(make it a regular file owned by root, mode 0600)");
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new KeysFileException("keys file " + file + " is a directory");
        }
    }

    private Map<String, Entry> readAll() throws KeysFileException {
        Map<String, Entry> m = new LinkedHashMap<>();
        checkNotSymlinkOrDirectory();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return m;
        }
        byte[] raw;
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new KeysFileException("keys file " + file + " is not a regular file");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new KeysFileException("keys file " + file + " is world-writable (mode "
                        + PosixFilePermissions.toString(perms) + "); anyone could change the keys we use: "
                        + "chmod 0600 it after checking its content");
            }
            raw = Files.readAllBytes(file);
        } catch (KeysFileException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            throw new KeysFileException("cannot read keys file " + file + ": " + describe(e), e);
        }
        List<byte[]> lines = splitLines(raw);
        for (int i = 0; i < lines.size(); i++) {
            String t = decode(lines.get(i), i + 1).strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length < 2 || f.length > 3 || f.length == 3 && !f[2].equals("aptpl")) {
                throw unparsable(i + 1, "expected 'IDENTITY 0xKEY [aptpl]'");
            }
            long key;
            try {
                String hex = f[1].toLowerCase();
                if (!hex.startsWith("0x") || hex.length() < 3 || hex.length() > 18) {
                    throw new NumberFormatException();
                }
                key = Long.parseUnsignedLong(hex.substring(2), 16);
            } catch (NumberFormatException e) {
                throw unparsable(i + 1, "'" + f[1] + "' is not a key like 0x1a2b");
            }
            if (key == 0) {
                throw unparsable(i + 1, "key 0 is no key");
            }
            if (m.put(f[0], new Entry(key, f.length == 3)) != null) {
                throw unparsable(i + 1, "a second key for " + f[0]);
            }
        }
        return m;
    }

    private String decode(byte[] line, int lineNo) throws KeysFileException {
        try {
            CharBuffer c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line));
            String s = c.toString();
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch < 0x20 && ch != '\t' && ch != '\r' || ch == 0x7f) {
                    throw unparsable(lineNo, String.format("control character 0x%02x", (int) ch));
                }
            }
            return s;
        } catch (CharacterCodingException e) {
            throw unparsable(lineNo, "not UTF-8 text");
        }
    }

    private KeysFileException unparsable(int line, String why) {
        return new KeysFileException("keys file " + file + " line " + line + ": " + why
                + "; refusing to guess which keys we hold (fix or remove the line; the device's "
                + "registrations show what is really registered: sg_persist -i -k)");
    }

    private static List<byte[]> splitLines(byte[] raw) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '\n') {
                if (i > start || i < raw.length) {
                    out.add(Arrays.copyOfRange(raw, start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }
}
