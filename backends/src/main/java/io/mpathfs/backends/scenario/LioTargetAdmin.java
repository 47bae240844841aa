package io.mpathfs.backends.scenario;

import io.mpathfs.backends.scsi.AluaState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link TargetAdmin} of a LIO logical unit, through its configfs tree: what targetcli's
 * {@code alua/} commands do, written directly (the lab guest has no targetcli).
 *
 * <p>A scenario's group G is the LIO group whose {@code tg_pt_gp_id} is G; group 0 is LIO's
 * {@code default_tg_pt_gp}, where every port of a fresh LU sits. Other groups are created on first
 * use as {@code scenario_gG}, implicit and explicit ALUA like the default group (INQUIRY's TPGS
 * comes from the port's group). A scenario's port N is the LU's export whose relative target port
 * identifier is N — found through each LUN's {@code statistics/scsi_port/indx}, whatever fabric
 * (tcm_loop, iSCSI) exports it.
 */
public final class LioTargetAdmin implements TargetAdmin {
    static final String DEFAULT_GROUP = "default_tg_pt_gp";
    private static final String GROUP_PREFIX = "scenario_g";
    /** LIO's alua_access_type: 1 implicit, 2 explicit, 3 both. */
    private static final String IMPLICIT_AND_EXPLICIT = "3";

    private final Path lu;
    private final Map<Integer, Path> ports;

    private LioTargetAdmin(Path lu, Map<Integer, Path> ports) {
        this.lu = lu;
        this.ports = ports;
    }

    /**
     * @param lu the LU's directory under {@code core/} (e.g. {@code .../core/rd_mcp_0/lu0})
     * @param configfsTarget LIO's configfs root ({@code /sys/kernel/config/target})
     */
    public static LioTargetAdmin open(Path lu, Path configfsTarget) throws IOException {
        if (!Files.isDirectory(lu.resolve("alua"))) {
            throw new IllegalArgumentException(lu + " is not a LIO logical unit (no alua/ directory)");
        }
        Map<Integer, Path> ports = exports(lu.toRealPath(), configfsTarget);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException(lu + " is exported through no target port under " + configfsTarget);
        }
        return new LioTargetAdmin(lu, ports);
    }

    /** The relative target ports that export the LU, each with its LUN directory. */
    static Map<Integer, Path> exports(Path luReal, Path configfsTarget) throws IOException {
        Map<Integer, Path> found = new TreeMap<>();
        for (Path fabric : children(configfsTarget)) {
            if (fabric.getFileName().toString().equals("core")) {
                continue;
            }
            for (Path wwn : children(fabric)) {
                for (Path tpg : children(wwn)) {
                    if (!tpg.getFileName().toString().startsWith("tpgt_")) {
                        continue;
                    }
                    for (Path lun : children(tpg.resolve("lun"))) {
                        if (exportsLu(lun, luReal)) {
                            int rtpi = Integer.parseInt(read(lun.resolve("statistics/scsi_port/indx")));
                            found.put(rtpi, lun);
                        }
                    }
                }
            }
        }
        return found;
    }

    private static boolean exportsLu(Path lun, Path luReal) throws IOException {
        for (Path e : children(lun)) {
            if (Files.isSymbolicLink(e) && e.toRealPath().equals(luReal)) {
                return true;
            }
        }
        return false;
    }

    /** The relative target ports this admin can move. */
    public List<Integer> ports() {
        return List.copyOf(ports.keySet());
    }

    @Override
    public void run(List<String> words) throws IOException {
        if (words.size() == 4 && words.get(0).equals("group") && words.get(2).equals("state")) {
            int g = Integer.parseInt(words.get(1));
            AluaState s = AluaState.fromShortName(words.get(3))
                    .orElseThrow(() -> new IllegalArgumentException("unknown state " + words.get(3)));
            write(group(g).resolve("alua_access_state"), Integer.toString(s.code()));
        } else if (words.size() == 4 && words.get(0).equals("port") && words.get(2).equals("group")) {
            int p = Integer.parseInt(words.get(1));
            Path lun = Optional.ofNullable(ports.get(p)).orElseThrow(() -> new IllegalArgumentException(
                    "no target port " + p + " exports " + lu.getFileName() + " (ports " + ports.keySet() + ")"));
            write(lun.resolve("alua_tg_pt_gp"), group(Integer.parseInt(words.get(3))).getFileName().toString());
        } else {
            throw new IllegalArgumentException("not a target command: " + String.join(" ", words));
        }
    }

    /** Every port back in the default group, active/optimized, and the scenario groups removed. */
    @Override
    public void reset() throws IOException {
        for (Path lun : ports.values()) {
            write(lun.resolve("alua_tg_pt_gp"), DEFAULT_GROUP);
        }
        write(lu.resolve("alua").resolve(DEFAULT_GROUP).resolve("alua_access_state"),
                Integer.toString(AluaState.ACTIVE_OPTIMIZED.code()));
        for (Path g : children(lu.resolve("alua"))) {
            if (g.getFileName().toString().startsWith(GROUP_PREFIX)) {
                Files.delete(g);
            }
        }
    }

    /** The directory of group id g, created (implicit and explicit ALUA) when it does not exist yet. */
    private Path group(int g) throws IOException {
        if (g < 0 || g > 0xffff) {
            throw new IllegalArgumentException("group id out of range: " + g);
        }
        Path alua = lu.resolve("alua");
        if (g == 0) {
            return alua.resolve(DEFAULT_GROUP);
        }
        Path dir = alua.resolve(GROUP_PREFIX + g);
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir);
            write(dir.resolve("tg_pt_gp_id"), Integer.toString(g));
            write(dir.resolve("alua_access_type"), IMPLICIT_AND_EXPLICIT);
        }
        return dir;
    }

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            List<Path> out = new java.util.ArrayList<>();
            s.forEach(out::add);
            out.sort(null);
            return out;
        }
    }

    private static String read(Path f) throws IOException {
        return Files.readString(f, StandardCharsets.US_ASCII).strip();
    }

    /** One configfs attribute write: a single write(2), as the kernel's store handlers expect. */
    private static void write(Path f, String value) throws IOException {
        try {
            Files.writeString(f, value + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("writing '" + value + "' to " + f + ": " + e.getMessage(), e);
        }
    }
}
