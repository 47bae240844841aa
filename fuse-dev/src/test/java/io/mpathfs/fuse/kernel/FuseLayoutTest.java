package io.mpathfs.fuse.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every struct size and field offset, opcode and flag in {@link FuseLayout} is the one of the
 * kernel's linux/fuse.h (linux-libc-dev), printed by a C program compiled here with gcc.
 */
class FuseLayoutTest {
    /**
     * Constants of a newer protocol than some headers carry (Debian 12's are 6.1's; FUSE over io_uring
     * came with 6.14): checked when the header has them. The ring commands are enum values, which
     * the preprocessor cannot see: the ring tests against the running kernel hold them.
     */
    private static final Set<String> NEWER_THAN_SOME_HEADERS = Set.of("FUSE_DIRECT_IO_ALLOW_MMAP",
            "FUSE_OVER_IO_URING", "FUSE_URING_IN_OUT_HEADER_SZ", "FUSE_URING_OP_IN_OUT_SZ",
            "FUSE_IO_URING_CMD_REGISTER", "FUSE_IO_URING_CMD_COMMIT_AND_FETCH");
    /** The structs of FUSE over io_uring, checked where the header defines FUSE_OVER_IO_URING. */
    private static final String RING_STRUCTS = "Uring";

    @Test
    void everyStructConstantAndFlagMatchesTheKernelHeader() throws Exception {
        Map<String, Long> expected = new HashMap<>();
        StringBuilder c = new StringBuilder(
                "#include <stdio.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <linux/ioctl.h>\n#include <linux/fuse.h>\nint main(void){\n");
        int structs = 0;
        for (Class<?> nested : FuseLayout.class.getDeclaredClasses()) {
            if (nested == FuseLayout.Op.class) {
                for (Field f : constants(nested)) {
                    String name = "FUSE_" + f.getName();
                    expected.put("const " + name, f.getLong(null));
                    c.append(print("const " + name, "(unsigned long long)" + name));
                }
                continue;
            }
            String struct = "struct fuse_" + snake(nested.getSimpleName());
            structs++;
            boolean ring = nested.getSimpleName().startsWith(RING_STRUCTS);
            if (ring) {
                c.append("#ifdef FUSE_OVER_IO_URING\n");
            }
            for (Field f : constants(nested)) {
                String key = struct + " " + f.getName();
                expected.put(key, f.getLong(null));
                String expr = f.getName().equals("SIZEOF") ? "sizeof(" + struct + ")"
                        : "offsetof(" + struct + ", " + f.getName().toLowerCase() + ")";
                c.append(print(key, "(unsigned long long)" + expr));
            }
            if (ring) {
                c.append("#endif\n");
            }
        }
        assertTrue(structs >= 25, "the layout's structs were found: " + structs);
        for (Field f : constants(FuseLayout.class)) {
            String name = f.getName();
            if (name.equals("FUSE_KERNEL_MINOR_VERSION")) {
                c.append(print("minor", "(unsigned long long)FUSE_KERNEL_MINOR_VERSION"));
                continue;
            }
            expected.put("const " + name, f.getLong(null));
            c.append("#ifdef ").append(name).append('\n').append(print("const " + name, "(unsigned long long)(" + name + ")"))
                    .append("#else\n").append(print("absent " + name, "0ULL")).append("#endif\n");
        }
        c.append("return 0;}\n");

        Path dir = Files.createTempDirectory("fuse-layout");
        Path src = dir.resolve("layout.c");
        Files.writeString(src, c);
        Path exe = dir.resolve("layout");
        run("gcc", "-o", exe.toString(), src.toString());
        int checked = 0;
        for (String line : run(exe.toString()).split("\n")) {
            int sp = line.lastIndexOf(' ');
            String key = line.substring(0, sp);
            long value = Long.parseUnsignedLong(line.substring(sp + 1));
            if (key.equals("minor")) {
                assertTrue(value >= FuseLayout.FUSE_KERNEL_MINOR_VERSION, "header older than the protocol we speak");
            } else if (key.startsWith("absent ")) {
                String name = key.substring("absent ".length());
                assertTrue(NEWER_THAN_SOME_HEADERS.contains(name), name + " is not in linux/fuse.h");
            } else {
                assertEquals(value, (long) expected.get(key), key);
                checked++;
            }
        }
        assertTrue(checked > 150, "checked " + checked);
    }

    private static java.util.List<Field> constants(Class<?> k) {
        java.util.List<Field> out = new java.util.ArrayList<>();
        for (Field f : k.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isPublic(m) && (f.getType() == int.class || f.getType() == long.class)) {
                out.add(f);
            }
        }
        return out;
    }

    private static String print(String key, String expr) {
        return "printf(\"" + key + " %llu\\n\", " + expr + ");\n";
    }

    /** InHeader → in_header, BatchForgetIn → batch_forget_in. */
    static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch) && i > 0) {
                b.append('_');
            }
            b.append(Character.toLowerCase(ch));
        }
        return b.toString();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() == 0, String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
