package io.mpathfs.nativeshim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JNA struct must match the kernel header byte for byte, or SG_IO corrupts memory. */
class SgIoHdrLayoutTest {

    @Test
    void layoutMatchesTheCHeader() throws Exception {
        Path dir = Files.createTempDirectory("sgio-layout");
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <scsi/sg.h>\nint main(void){\n");
        c.append("printf(\"sizeof %zu\\n\", sizeof(struct sg_io_hdr));\n");
        for (String f : SgIoHdr.fieldNames()) {
            c.append("printf(\"").append(f).append(" %zu\\n\", offsetof(struct sg_io_hdr, ").append(f).append("));\n");
        }
        c.append("return 0;}\n");
        Path src = dir.resolve("layout.c");
        Files.writeString(src, c);
        Path exe = dir.resolve("layout");
        run("gcc", "-o", exe.toString(), src.toString());
        Map<String, Integer> fromC = new HashMap<>();
        for (String line : run(exe.toString()).split("\n")) {
            String[] kv = line.trim().split(" ");
            fromC.put(kv[0], Integer.parseInt(kv[1]));
        }
        SgIoHdr h = new SgIoHdr();
        assertEquals(88, (int) fromC.get("sizeof"), "x86_64 sg_io_hdr size");
        assertEquals(fromC.get("sizeof").intValue(), h.size(), "JNA struct size");
        for (String f : SgIoHdr.fieldNames()) {
            assertEquals(fromC.get(f).intValue(), h.offsetOf(f), "offset of " + f);
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() == 0, String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
