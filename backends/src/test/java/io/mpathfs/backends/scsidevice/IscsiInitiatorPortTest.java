package io.mpathfs.backends.scsidevice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The initiator port of a disk, from a fake sysfs tree laid out as the kernel lays it out. */
class IscsiInitiatorPortTest {
    static final String NAME = "iqn.2003-01.org.linux-iscsi.lab:hosta";

    @TempDir
    Path sys;

    /** A disk sdX of SCSI host H under iSCSI session N (or, with session -1, a disk of no session). */
    private void disk(String sd, int host, int session, String procName, String initiator) throws IOException {
        Path dev = sys.resolve("devices/platform/host" + host
                + (session < 0 ? "" : "/session" + session) + "/target" + host + ":0:0/" + host + ":0:0:0");
        Files.createDirectories(dev);
        Files.createDirectories(sys.resolve("block/" + sd));
        // sysfs's device link is relative, as the kernel makes it
        Files.createSymbolicLink(sys.resolve("block/" + sd + "/device"),
                sys.resolve("block/" + sd).relativize(dev));
        Files.createDirectories(sys.resolve("class/scsi_host/host" + host));
        Files.writeString(sys.resolve("class/scsi_host/host" + host + "/proc_name"), procName + "\n");
        if (session >= 0) {
            Path s = sys.resolve("class/iscsi_session/session" + session);
            Files.createDirectories(s);
            if (initiator != null) {
                Files.writeString(s.resolve("initiatorname"), initiator + "\n");
            }
        }
    }

    private Optional<String> of(String dev) {
        return new IscsiInitiatorPort(sys).of(dev);
    }

    @Test
    void anOpenIscsiSessionNamesItsInitiatorPortWithTheIsidBuiltFromTheSessionNumber() throws IOException {
        disk("sdm", 12, 8, "iscsi_tcp", NAME);
        disk("sdb", 3, 0x12345, "iscsi_tcp", NAME);
        assertEquals(Optional.of(NAME + ",i,0x00023d000008"), of("/dev/sdm"));
        assertEquals(Optional.of(NAME + ",i,0x00023d012345"), of("/dev/sdb"));
    }

    @Test
    void aDiskGivenThroughASymlinkIsTheDiskItNames() throws IOException {
        disk("sdm", 12, 8, "iscsi_tcp", NAME);
        Path byPath = sys.resolve("by-path");
        Files.createDirectories(byPath);
        Path target = sys.resolve("dev-sdm/sdm");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "");
        Files.createSymbolicLink(byPath.resolve("ip-127.0.0.2:3260-iscsi-lun-0"), target);
        assertEquals(Optional.of(NAME + ",i,0x00023d000008"),
                of(byPath.resolve("ip-127.0.0.2:3260-iscsi-lun-0").toString()));
    }

    @Test
    void disksThatCannotBeNamedGiveNothing() throws IOException {
        disk("sda", 0, -1, "tcm_loopback", null);           // no session: tcm_loop, SAS, SATA...
        disk("sdc", 4, 2, "be2iscsi", NAME);                 // an offload HBA picks its own ISIDs
        disk("sdd", 5, 3, "iscsi_tcp", null);                // the session has gone meanwhile
        disk("sde", 6, 1 << 24, "iscsi_tcp", NAME);          // no 3-byte session number
        disk("sdf", 7, 4, "iscsi_tcp", "  \n");
        for (String d : new String[] {"/dev/sda", "/dev/sdc", "/dev/sdd", "/dev/sde", "/dev/sdf", "/dev/sdz", "/dev/loop0"}) {
            assertTrue(of(d).isEmpty(), d + " gave " + of(d));
        }
    }
}
