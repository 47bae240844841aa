package io.mpathfs.backends.sim;

import io.mpathfs.backends.pr.PrType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where APTPL (persist through power loss) state survives a power cycle: in memory for an
 * in-memory LU (what a power cycle of the sim keeps), in a text file next to the data for a
 * file-backed one. LIO rewrites its aptpl_&lt;serial&gt; file after every PR OUT while APTPL is active,
 * and writes "no registrations" when APTPL is turned off or CLEAR runs; so do we.
 */
abstract class AptplStore {
    /** One saved registration, by initiator name and target port. */
    record Entry(String initiator, int targetPort, long key, boolean allTgPt, boolean holder, int typeCode) {
    }

    abstract void save(List<Entry> entries);

    abstract List<Entry> load();

    static List<Entry> snapshot(TargetReservations s) {
        List<Entry> out = new ArrayList<>();
        for (Registrant r : s.registrations()) {
            boolean holder = s.holder() == r;
            out.add(new Entry(r.nexus.initiator(), r.nexus.targetPort(), r.key, r.allTgPt, holder,
                    holder ? s.type().scsiCode() : 0));
        }
        return out;
    }

    /** Rebuilds PR state after a power cycle: each restored registration bumps PRgeneration (LIO). */
    static void restore(TargetReservations s, List<Entry> entries) {
        s.reset();
        for (Entry e : entries) {
            Registrant r = new Registrant(new NexusId(e.initiator(), e.targetPort()), e.key(), e.allTgPt());
            s.add(r);
            if (e.holder()) {
                PrType.fromScsiCode(e.typeCode()).ifPresent(t -> s.reserve(r, t));
            }
        }
        s.setAptplActive(!entries.isEmpty());
    }

    static final class InMemory extends AptplStore {
        private List<Entry> saved = List.of();

        @Override
        void save(List<Entry> entries) {
            saved = List.copyOf(entries);
        }

        @Override
        List<Entry> load() {
            return saved;
        }
    }

    /**
     * One line per registration: {@code register <initiator> <port> <key-hex> <all_tg_pt 0|1>
     * <holder 0|1> <type>}. Written to a temporary file and renamed, so a crash leaves the old or the
     * new state, never half. A file that cannot be read or parsed restores nothing.
     */
    static final class InFile extends AptplStore {
        private static final String HEADER = "# mpathfs sim APTPL state";
        private final Path path;

        InFile(Path path) {
            this.path = path;
        }

        Path path() {
            return path;
        }

        @Override
        void save(List<Entry> entries) {
            StringBuilder b = new StringBuilder(HEADER).append('\n');
            if (entries.isEmpty()) {
                b.append("# No Registrations or Reservations\n");
            }
            for (Entry e : entries) {
                b.append("register ").append(e.initiator()).append(' ').append(e.targetPort()).append(' ')
                        .append(Long.toHexString(e.key())).append(' ').append(e.allTgPt() ? 1 : 0).append(' ')
                        .append(e.holder() ? 1 : 0).append(' ').append(e.typeCode()).append('\n');
            }
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            try {
                Files.writeString(tmp, b, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                // LIO logs and carries on when it cannot write its APTPL file; the command still succeeds.
                System.err.println("sim: cannot write APTPL state " + path + ": " + e.getMessage());
            }
        }

        @Override
        List<Entry> load() {
            if (!Files.isRegularFile(path)) {
                return List.of();
            }
            List<Entry> out = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    String[] f = l.split("\\s+");
                    if (f.length != 7 || !f[0].equals("register")) {
                        return List.of();
                    }
                    out.add(new Entry(f[1], Integer.parseInt(f[2]), Long.parseUnsignedLong(f[3], 16),
                            f[4].equals("1"), f[5].equals("1"), Integer.parseInt(f[6])));
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("sim: ignoring unreadable APTPL state " + path + ": " + e.getMessage());
                return List.of();
            }
            return out;
        }
    }
}
