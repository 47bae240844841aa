package io.mpathfs.control.pr;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Our reservation key per logical unit, kept across restarts (multipath-tools' prkeys file does
 * the same): one line per LU, {@code IDENTITY 0xKEY [aptpl]}. Written atomically (temp file,
 * fsync, rename) so a crash leaves the old or the new content, never a torn file.
 */
public final class KeysFile {
    public static final Path DEFAULT = Path.of("/var/lib/mpathfs/prkeys");

    public record Entry(long key, boolean aptpl) {
    }

    private final Path file;

    public KeysFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public synchronized Entry load(String identity) throws IOException {
        return readAll().getOrDefault(identity, new Entry(0, false));
    }

    public synchronized void store(String identity, long key, boolean aptpl) throws IOException {
        Map<String, Entry> all = readAll();
        if (key == 0) {
            all.remove(identity);
        } else {
            all.put(identity, new Entry(key, aptpl));
        }
        StringBuilder b = new StringBuilder("# mpathfs persistent reservation keys: IDENTITY KEY [aptpl]\n");
        for (Map.Entry<String, Entry> e : all.entrySet()) {
            b.append(e.getKey()).append(' ').append(String.format("0x%x", e.getValue().key()))
                    .append(e.getValue().aptpl() ? " aptpl" : "").append('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Map<String, Entry> readAll() throws IOException {
        Map<String, Entry> m = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return m;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length < 2) {
                continue; // a damaged line loses only itself
            }
            try {
                long key = Long.parseUnsignedLong(f[1].toLowerCase().replaceFirst("^0x", ""), 16);
                m.put(f[0], new Entry(key, f.length > 2 && f[2].equals("aptpl")));
            } catch (NumberFormatException ignored) {
                // skip a damaged line
            }
        }
        return m;
    }
}
