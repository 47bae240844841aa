package io.mpathfs.fuse.fuse3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every offset the libfuse3 binding writes or reads must match libfuse3's headers byte for byte,
 * or a callback table slot or a fuse_file_info field lands on the wrong member. gcc compiles the
 * same expressions from fuse.h / fuse_common.h / fuse_lowlevel.h / linux/fuse.h and this test
 * compares them with Fuse3Layout.
 */
class Fuse3LayoutTest {

    /** Fuse3Layout's value for each C expression. */
    private static Map<String, Integer> expected() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("sizeof(struct fuse_operations)", Fuse3Layout.OPERATIONS_SIZE);
        m.put("offsetof(struct fuse_operations, getattr)", Fuse3Layout.OP_GETATTR);
        m.put("offsetof(struct fuse_operations, truncate)", Fuse3Layout.OP_TRUNCATE);
        m.put("offsetof(struct fuse_operations, open)", Fuse3Layout.OP_OPEN);
        m.put("offsetof(struct fuse_operations, read)", Fuse3Layout.OP_READ);
        m.put("offsetof(struct fuse_operations, write)", Fuse3Layout.OP_WRITE);
        m.put("offsetof(struct fuse_operations, flush)", Fuse3Layout.OP_FLUSH);
        m.put("offsetof(struct fuse_operations, release)", Fuse3Layout.OP_RELEASE);
        m.put("offsetof(struct fuse_operations, fsync)", Fuse3Layout.OP_FSYNC);
        m.put("offsetof(struct fuse_operations, getxattr)", Fuse3Layout.OP_GETXATTR);
        m.put("offsetof(struct fuse_operations, readdir)", Fuse3Layout.OP_READDIR);
        m.put("offsetof(struct fuse_operations, init)", Fuse3Layout.OP_INIT);
        m.put("offsetof(struct fuse_operations, ioctl)", Fuse3Layout.OP_IOCTL);
        m.put("sizeof(struct fuse_file_info)", Fuse3Layout.FI_SIZE);
        m.put("offsetof(struct fuse_file_info, flags)", Fuse3Layout.FI_FLAGS);
        m.put("offsetof(struct fuse_file_info, fh)", Fuse3Layout.FI_FH);
        // The bitfield word: set direct_io alone in C and read the 32-bit word at FI_BITS.
        m.put("direct_io_word()", Fuse3Layout.FI_DIRECT_IO_BIT);
        m.put("offsetof(struct fuse_conn_info, max_write)", Fuse3Layout.CONN_MAX_WRITE);
        m.put("offsetof(struct fuse_conn_info, capable)", Fuse3Layout.CONN_CAPABLE);
        m.put("offsetof(struct fuse_conn_info, want)", Fuse3Layout.CONN_WANT);
        m.put("offsetof(struct fuse_conn_info, max_background)", Fuse3Layout.CONN_MAX_BACKGROUND);
        m.put("offsetof(struct fuse_conn_info, congestion_threshold)", Fuse3Layout.CONN_CONGESTION_THRESHOLD);
        m.put("offsetof(struct fuse_config, direct_io)", Fuse3Layout.CFG_DIRECT_IO);
        m.put("offsetof(struct fuse_config, kernel_cache)", Fuse3Layout.CFG_KERNEL_CACHE);
        m.put("sizeof(struct fuse_args)", Fuse3Layout.ARGS_SIZE);
        m.put("offsetof(struct fuse_args, argc)", Fuse3Layout.ARGS_ARGC);
        m.put("offsetof(struct fuse_args, argv)", Fuse3Layout.ARGS_ARGV);
        m.put("offsetof(struct fuse_args, allocated)", Fuse3Layout.ARGS_ALLOCATED);
        m.put("sizeof(struct fuse_custom_io)", Fuse3Layout.CUSTOM_IO_SIZE);
        m.put("offsetof(struct fuse_custom_io, writev)", Fuse3Layout.CUSTOM_IO_WRITEV);
        m.put("offsetof(struct fuse_custom_io, read)", Fuse3Layout.CUSTOM_IO_READ);
        m.put("sizeof(struct fuse_out_header)", Fuse3Layout.OUT_HEADER_SIZE);
        m.put("offsetof(struct fuse_out_header, error)", Fuse3Layout.OUT_HEADER_ERROR);
        m.put("sizeof(struct fuse_open_out)", Fuse3Layout.OPEN_OUT_SIZE);
        m.put("offsetof(struct fuse_open_out, open_flags)", Fuse3Layout.OPEN_OUT_FLAGS);
        m.put("FOPEN_DIRECT_IO", Fuse3Layout.FOPEN_DIRECT_IO);
        m.put("FOPEN_PARALLEL_DIRECT_WRITES", Fuse3Layout.FOPEN_PARALLEL_DIRECT_WRITES);
        m.put("sizeof(struct iovec)", Fuse3Layout.IOVEC_SIZE);
        m.put("offsetof(struct iovec, iov_base)", Fuse3Layout.IOVEC_BASE);
        m.put("offsetof(struct iovec, iov_len)", Fuse3Layout.IOVEC_LEN);
        return m;
    }

    /** libfuse3's headers: -Dfuse3.include=DIR, else the libfuse3-dev package's /usr/include/fuse3. */
    private static Path includeDir() {
        String prop = System.getProperty("fuse3.include");
        Path dir = Path.of(prop != null ? prop : "/usr/include/fuse3");
        if (!Files.isRegularFile(dir.resolve("fuse.h"))) {
            fail("libfuse3 headers not found at " + dir + ": install libfuse3-dev (make unit-test does), or "
                    + "'dpkg-deb -x libfuse3-dev_*.deb DIR' and pass -Dfuse3.include=DIR/usr/include/fuse3");
        }
        return dir;
    }

    @Test
    void layoutMatchesTheLibfuse3Headers() throws Exception {
        Path include = includeDir();
        Map<String, Integer> expected = expected();
        Path dir = Files.createTempDirectory("fuse3-layout");
        StringBuilder c = new StringBuilder();
        c.append("#define FUSE_USE_VERSION 312\n#include <fuse.h>\n#include <fuse_lowlevel.h>\n");
        c.append("#include <linux/fuse.h>\n#include <sys/uio.h>\n#include <stdio.h>\n#include <stddef.h>\n#include <string.h>\n");
        c.append("static unsigned direct_io_word(void){struct fuse_file_info fi; unsigned w; memset(&fi,0,sizeof fi);"
                + " fi.direct_io=1; memcpy(&w,(char*)&fi+").append(Fuse3Layout.FI_BITS).append(",4); return w;}\n");
        c.append("int main(void){\n");
        int i = 0;
        for (String expr : expected.keySet()) {
            c.append("printf(\"").append(i++).append(" %lu\\n\", (unsigned long)(").append(expr).append("));\n");
        }
        c.append("return 0;}\n");
        Path src = dir.resolve("layout.c");
        Files.writeString(src, c);
        Path exe = dir.resolve("layout");
        run("gcc", "-I" + include, "-o", exe.toString(), src.toString());
        String[] lines = run(exe.toString()).split("\n");
        i = 0;
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            String[] kv = lines[i].trim().split(" ");
            assertEquals(Integer.toString(i), kv[0]);
            assertEquals(Long.parseLong(kv[1]), e.getValue().longValue(), e.getKey());
            i++;
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() == 0, String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
