package io.mpathfs.backends.scsidevice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The iSCSI initiator port a SCSI disk's I_T nexus leaves from, as a target names it in a
 * TransportID: {@code <initiator name>,i,0x<ISID>}. Learnt from the initiator's sysfs: the disk's
 * device sits under its session ({@code .../hostH/sessionN/targetH:C:T/H:C:T:L}), the session
 * names the initiator ({@code /sys/class/iscsi_session/sessionN/initiatorname}). The ISID is in
 * no sysfs file; open-iscsi's software initiator builds it from its qualifier 00 02 3d and the
 * 3-byte session number N, so that is only trusted on an iscsi_tcp host (offload HBAs choose
 * their own). Every other disk — not iSCSI, or not one this can name — gives nothing.
 *
 * <p>Looked up every time: a session that ends and a new one that logs in may reuse the disk's
 * name, and the new one is another nexus with another ISID.
 */
public final class IscsiInitiatorPort {
    /** open-iscsi's ISID qualifier (OUI format), the first three of the six ISID bytes. */
    static final long OPEN_ISCSI_QUALIFIER = 0x00023dL << 24;
    private static final Pattern SESSION = Pattern.compile("session(\\d+)");
    private static final Pattern HOST = Pattern.compile("host(\\d+)");

    private final Path sys;

    public IscsiInitiatorPort(Path sys) {
        this.sys = sys;
    }

    public static IscsiInitiatorPort system() {
        return new IscsiInitiatorPort(Path.of("/sys"));
    }

    /** The initiator port of a block device ("/dev/sdb", or a symlink to it), if it can be named. */
    public Optional<String> of(String blockDevice) {
        try {
            Path node = Path.of(blockDevice);
            String disk = (Files.isSymbolicLink(node) ? node.toRealPath() : node).getFileName().toString();
            Path device = sys.resolve("block").resolve(disk).resolve("device").toRealPath();
            Integer session = null, host = null;
            for (Path part : device) {
                Matcher s = SESSION.matcher(part.toString());
                Matcher h = HOST.matcher(part.toString());
                if (s.matches()) {
                    session = Integer.valueOf(s.group(1));
                } else if (h.matches()) {
                    host = Integer.valueOf(h.group(1));
                }
            }
            if (session == null || host == null || session >= 1 << 24 || !softwareInitiator(host)) {
                return Optional.empty();
            }
            String name = Files.readString(sys.resolve("class/iscsi_session/session" + session + "/initiatorname"))
                    .strip();
            if (name.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(String.format("%s,i,0x%012x", name, OPEN_ISCSI_QUALIFIER | session));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone, or not a disk sysfs knows: not nameable
        }
    }

    /** The SCSI host is open-iscsi's software (TCP) initiator, whose ISIDs open-iscsi assigns. */
    private boolean softwareInitiator(int host) throws IOException {
        Path proc = sys.resolve("class/scsi_host/host" + host + "/proc_name");
        return Files.isReadable(proc) && Files.readString(proc).strip().equals("iscsi_tcp");
    }
}
