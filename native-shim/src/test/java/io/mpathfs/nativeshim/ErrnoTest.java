package io.mpathfs.nativeshim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every errno the project names has the number and the strerror text of glibc's <errno.h>. */
class ErrnoTest {

    @Test
    void namesNumbersAndTextsMatchTheCLibrary() throws Exception {
        List<Field> named = new ArrayList<>();
        for (Field f : Errno.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                named.add(f);
            }
        }
        assertTrue(named.size() > 20, "Errno's constants were found");
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <string.h>\n#include <errno.h>\nint main(void){\n");
        for (Field f : named) {
            c.append("printf(\"%s %d %s\\n\", \"").append(f.getName()).append("\", ").append(f.getName())
                    .append(", strerror(").append(f.getName()).append("));\n");
        }
        c.append("return 0;}\n");
        Path dir = Files.createTempDirectory("errno");
        Path src = dir.resolve("errno.c");
        Files.writeString(src, c);
        Path exe = dir.resolve("errno");
        run("gcc", "-o", exe.toString(), src.toString());
        for (String line : run(exe.toString()).split("\n")) {
            String[] parts = line.split(" ", 3);
            int number = Errno.class.getField(parts[0]).getInt(null);
            assertEquals(Integer.parseInt(parts[1]), number, parts[0]);
            assertEquals(parts[0], Errno.name(number), "name of " + number);
            assertEquals(parts[2], Errno.describe(number), "text of " + parts[0]);
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() == 0, String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
