package io.mpathfs.backends.scsidevice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.scsi.VpdIdentity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathDiscoveryTest {
    @TempDir
    Path sys;

    /** A VPD 0x83 page as LIO builds it: NAA 6 (LU), relative target port (port), then T10 (LU). */
    static byte[] page(String naaHex, int relPort) {
        byte[] naa = HexFormat.of().parseHex(naaHex);
        byte[] p = new byte[4 + 4 + naa.length + 8 + 4 + 8];
        p[1] = (byte) 0x83;
        int len = p.length - 4;
        p[2] = (byte) (len >> 8);
        p[3] = (byte) len;
        int o = 4;
        p[o] = 0x01; p[o + 1] = 0x03; p[o + 3] = (byte) naa.length; // binary, LU, NAA
        System.arraycopy(naa, 0, p, o + 4, naa.length);
        o += 4 + naa.length;
        p[o] = 0x61; p[o + 1] = (byte) 0x94; p[o + 3] = 4; // relative target port, port association
        p[o + 7] = (byte) relPort;
        o += 8;
        p[o] = 0x02; p[o + 1] = 0x01; p[o + 3] = 8; // ASCII T10 vendor id, LU
        System.arraycopy("LIO-ORG ".getBytes(), 0, p, o + 4, 8);
        return p;
    }

    void disk(String name, byte[] pg83) throws Exception {
        Path d = sys.resolve(name).resolve("device");
        Files.createDirectories(d);
        if (pg83 != null) {
            Files.write(d.resolve("vpd_pg83"), pg83);
        }
    }

    @Test
    void findsEveryPathOfTheLuByAnyFormOfItsIdentifier() throws Exception {
        String lu = "60014055a4b3c2d1e0f0011223344556";
        disk("sda", page(lu, 1));
        disk("sdb", page(lu, 2));
        disk("sdc", page("60014050f1e2d3c4b5a9988776655443", 1)); // another LU
        disk("sdd", null); // no VPD exported: not a match
        Files.createDirectories(sys.resolve("sdd/device"));
        Files.writeString(sys.resolve("sdd/device/wwid"), "naa." + lu + "\n");
        disk("loop0", page(lu, 1)); // not a SCSI disk name
        PathDiscovery d = new PathDiscovery(sys);
        List<String> want = List.of("/dev/sda", "/dev/sdb", "/dev/sdd");
        assertEquals(want, d.find("naa." + lu));
        assertEquals(want, d.find("3" + lu), "multipath's WWID form");
        assertEquals(want, d.find("NAA." + lu.toUpperCase()));
        assertEquals(List.of("/dev/sdc"), d.find("naa.60014050f1e2d3c4b5a9988776655443"));
        assertEquals(List.of(), d.find("naa.0000"));
    }

    @Test
    void aDiskNodesScannedIdentityIsTheOneItsPageGivesWithoutIo() throws Exception {
        String lu = "60014055a4b3c2d1e0f0011223344556";
        disk("sdb", page(lu, 2));
        Files.createDirectories(sys.resolve("sdb/device/scsi_generic/sg1"));
        disk("sdc", null);
        Files.writeString(sys.resolve("sdc/device/wwid"), "naa." + lu + "\n");
        PathDiscovery d = new PathDiscovery(sys);
        assertEquals(VpdIdentity.fromDeviceIdentification(page(lu, 2)), d.scannedIdentity("/dev/sdb"));
        assertEquals("naa." + lu, d.scannedIdentity("/dev/sdb").orElseThrow());
        assertEquals(Optional.empty(), d.scannedIdentity("/dev/sdc"), "only the page: wwid's form may differ");
        assertEquals(Optional.empty(), d.scannedIdentity("/dev/sdz"));
        assertTrue(d.isScsiDisk("/dev/sdb"));
        assertFalse(d.isScsiDisk("/dev/sdc"), "no SCSI generic node");
        assertFalse(d.isScsiDisk("/dev/loop0"));
    }

    @Test
    void aMissingSysfsFindsNothing() throws Exception {
        assertEquals(List.of(), new PathDiscovery(sys.resolve("nope")).find("naa.1"));
    }

    @Test
    void scanTellsWhatIdentifiesEachDiskAndFindHonoursTheBlacklist() throws Exception {
        String lu = "60014055a4b3c2d1e0f0011223344556";
        Path hctl = sys.resolve("devices/2:0:1:0");
        Files.createDirectories(hctl);
        Files.writeString(hctl.resolve("vendor"), "LIO-ORG \n");
        Files.writeString(hctl.resolve("model"), "lu0             \n");
        Files.write(hctl.resolve("vpd_pg83"), page(lu, 1));
        Path sda = sys.resolve("block/sda");
        Files.createDirectories(sda);
        Files.createSymbolicLink(sda.resolve("device"), hctl);
        Files.writeString(sda.resolve("size"), "524288\n");
        Files.createDirectories(sys.resolve("block/sdb/device"));
        Files.write(sys.resolve("block/sdb/device/vpd_pg83"), page(lu, 2));
        PathDiscovery d = new PathDiscovery(sys.resolve("block"));
        List<BlockDeviceInfo> all = d.scan();
        assertEquals(2, all.size());
        BlockDeviceInfo a = all.get(0);
        assertEquals(new BlockDeviceInfo("sda", "naa." + lu, "LIO-ORG", "lu0", 256L << 20, "2:0:1:0"), a);
        assertEquals("3" + lu, a.multipathWwid());
        assertEquals("naa." + lu, all.get(1).identity());
        assertEquals(List.of("/dev/sdb"), d.find("3" + lu, name -> !name.equals("sda")));
        assertEquals(true, d.isPathOf("sda", "3" + lu));
        assertEquals(false, d.isPathOf("sdc", "3" + lu), "gone");
    }

    @Test
    void aKernelUeventIsParsed() {
        byte[] raw = ("add@/devices/platform/host3/target3:0:1/3:0:1:0/block/sdd\0ACTION=add\0"
                + "DEVPATH=/devices/platform/host3/target3:0:1/3:0:1:0/block/sdd\0SUBSYSTEM=block\0MAJOR=8\0"
                + "MINOR=48\0DEVNAME=sdd\0DEVTYPE=disk\0SEQNUM=2171\0").getBytes();
        Uevent e = Uevent.parse(raw);
        assertEquals(new Uevent("add", "block", "sdd", "disk"), e);
        assertEquals(true, e.concernsDisks());
        assertEquals(false, Uevent.parse("add@/x\0ACTION=add\0SUBSYSTEM=block\0DEVNAME=sdd1\0DEVTYPE=partition\0"
                .getBytes()).concernsDisks());
        assertEquals(null, Uevent.parse("libudev\0\1\2".getBytes()));
    }
}
