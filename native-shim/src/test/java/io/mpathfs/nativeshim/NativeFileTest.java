package io.mpathfs.nativeshim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeFileTest {
    @TempDir
    Path tmp;

    @Test
    void directReadWriteRoundTripsThroughAlignedMemory() throws Exception {
        Path img = tmp.resolve("img");
        Files.write(img, new byte[1 << 20]);
        byte[] data = new byte[8192];
        new Random(7).nextBytes(data);
        try (NativeFile f = NativeFile.openDirect(img.toString()); AlignedBuffer b = AlignedBuffer.allocate(8192)) {
            assertEquals(0, b.address() % AlignedBuffer.ALIGNMENT);
            b.put(0, data, 0, data.length);
            assertEquals(8192, f.pwrite(b.pointer(), 8192, 4096));
            f.fdatasync();
            b.zero(0, 8192);
            assertEquals(8192, f.pread(b.pointer(), 8192, 4096));
            byte[] back = new byte[8192];
            b.get(0, back, 0, back.length);
            assertArrayEquals(data, back);
            assertEquals(1 << 20, f.size());
            assertEquals(512, f.logicalBlockSize());
            assertTrue(f.stat().isRegularFile());
        }
        byte[] onDisk = Files.readAllBytes(img);
        byte[] slice = Arrays.copyOfRange(onDisk, 4096, 4096 + 8192);
        assertArrayEquals(data, slice);
    }

    @Test
    void unalignedDirectIoFailsWithEinval() throws Exception {
        Path img = tmp.resolve("img2");
        Files.write(img, new byte[65536]);
        try (NativeFile f = NativeFile.openDirect(img.toString()); AlignedBuffer b = AlignedBuffer.allocate(8192)) {
            NativeException e = assertThrows(NativeException.class, () -> f.pread(b.pointer(), 100, 3));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
        }
    }

    @Test
    void openOfMissingFileNamesTheErrno() {
        NativeException e = assertThrows(NativeException.class,
                () -> NativeFile.openDirect(tmp.resolve("nope").toString()));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
    }

    @Test
    void sgIoOnARegularFileFailsCleanly() throws Exception {
        Path img = tmp.resolve("img3");
        Files.write(img, new byte[4096]);
        try (NativeFile f = NativeFile.open(img.toString(), NativeFile.O_RDWR)) {
            byte[] tur = new byte[6];
            NativeException e = assertThrows(NativeException.class,
                    () -> ScsiGeneric.execute(f.fd(), f.path(), tur, ScsiGeneric.SG_DXFER_NONE, null, 1000));
            assertTrue(e.errno() == Errno.ENOTTY || e.errno() == Errno.EINVAL, e.getMessage());
            assertTrue(e.getMessage().startsWith("SG_IO"), e.getMessage());
        }
    }
}
