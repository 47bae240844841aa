package io.mpathfs.backends.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configfs writes LioTargetAdmin makes, on a directory tree shaped like LIO's (the attribute
 * files are plain files here; the lab runs the same admin on the real configfs).
 */
class LioTargetAdminTest {
    @TempDir
    Path root;
    private Path lu;

    @BeforeEach
    void lioTree() throws IOException {
        lu = lu("lu0");
        lu("lu1");
        export("loopback", "naa.01", "lu0", 1);
        export("loopback", "naa.02", "lu0", 2);
        export("iscsi", "iqn.x:ilu0", "lu0", 3);
        export("loopback", "naa.03", "lu1", 1); // another LU's port 1
    }

    private Path lu(String name) throws IOException {
        Path d = root.resolve("core/rd_mcp_0").resolve(name);
        Path def = Files.createDirectories(d.resolve("alua").resolve(LioTargetAdmin.DEFAULT_GROUP));
        Files.writeString(def.resolve("alua_access_state"), "0\n");
        return d;
    }

    private void export(String fabric, String wwn, String luName, int rtpi) throws IOException {
        Path lun = Files.createDirectories(root.resolve(fabric).resolve(wwn).resolve("tpgt_" + rtpi).resolve("lun/lun_0"));
        Files.createSymbolicLink(lun.resolve(luName), root.resolve("core/rd_mcp_0").resolve(luName));
        Files.writeString(lun.resolve("alua_tg_pt_gp"), LioTargetAdmin.DEFAULT_GROUP + "\n");
        Path stats = Files.createDirectories(lun.resolve("statistics/scsi_port"));
        Files.writeString(stats.resolve("indx"), rtpi + "\n");
    }

    private Path lun(String fabric, String wwn, int tpgt) {
        return root.resolve(fabric).resolve(wwn).resolve("tpgt_" + tpgt).resolve("lun/lun_0");
    }

    private static String read(Path f) throws IOException {
        return Files.readString(f).strip();
    }

    @Test
    void findsTheLusPortsByRelativeTargetPortOnEveryFabric() throws IOException {
        LioTargetAdmin a = LioTargetAdmin.open(lu, root);
        assertEquals(List.of(1, 2, 3), a.ports());
    }

    @Test
    void movingAPortCreatesTheGroupWithItsIdAndImplicitAndExplicitAccess() throws Exception {
        LioTargetAdmin a = LioTargetAdmin.open(lu, root);
        a.run(List.of("port", "3", "group", "2"));
        assertEquals("scenario_g2", read(lun("iscsi", "iqn.x:ilu0", 3).resolve("alua_tg_pt_gp")));
        Path g = lu.resolve("alua/scenario_g2");
        assertEquals("2", read(g.resolve("tg_pt_gp_id")));
        assertEquals("3", read(g.resolve("alua_access_type")));
        assertEquals(LioTargetAdmin.DEFAULT_GROUP, read(lun("loopback", "naa.03", 1).resolve("alua_tg_pt_gp")),
                "another LU's port is not touched");
    }

    @Test
    void aStateIsWrittenAsItsSpcCode() throws Exception {
        LioTargetAdmin a = LioTargetAdmin.open(lu, root);
        a.run(List.of("group", "2", "state", "transitioning"));
        assertEquals("15", read(lu.resolve("alua/scenario_g2/alua_access_state")));
        a.run(List.of("group", "0", "state", "standby"));
        assertEquals("2", read(lu.resolve("alua/default_tg_pt_gp/alua_access_state")));
    }

    @Test
    void resetPutsEveryPortBackInTheDefaultGroupActiveOptimizedAndRemovesTheOthers() throws Exception {
        LioTargetAdmin a = LioTargetAdmin.open(lu, root);
        a.run(List.of("port", "1", "group", "2"));
        a.run(List.of("group", "0", "state", "unavailable"));
        // the fake tree cannot empty a group on rmdir the way configfs does: leave it empty
        for (Path f : List.of(lu.resolve("alua/scenario_g2/tg_pt_gp_id"), lu.resolve("alua/scenario_g2/alua_access_type"))) {
            Files.delete(f);
        }
        a.reset();
        assertEquals(LioTargetAdmin.DEFAULT_GROUP, read(lun("loopback", "naa.01", 1).resolve("alua_tg_pt_gp")));
        assertEquals("0", read(lu.resolve("alua/default_tg_pt_gp/alua_access_state")));
        assertFalse(Files.exists(lu.resolve("alua/scenario_g2")));
    }

    @Test
    void refusesWhatItCannotDo() throws Exception {
        LioTargetAdmin a = LioTargetAdmin.open(lu, root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.run(List.of("port", "9", "group", "1")));
        assertTrue(e.getMessage().contains("no target port 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.run(List.of("group", "1", "state", "sleepy")));
        assertThrows(IllegalArgumentException.class, () -> LioTargetAdmin.open(root.resolve("core"), root));
    }
}
