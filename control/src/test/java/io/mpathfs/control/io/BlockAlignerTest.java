package io.mpathfs.control.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.DeviceIoException;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.testsupport.TestPaths;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.Native;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

/** Byte-granular IO over block-only paths matches a plain byte array, at any offset and length. */
class BlockAlignerTest {

    @Test
    void randomUnalignedReadsAndWritesMatchAReferenceModel() throws Exception {
        int size = 4 << 20;
        byte[] lu = new byte[size];
        byte[] model = new byte[size];
        var a = TestPaths.memory("a", lu);
        var b = TestPaths.memory("b", lu);
        MultipathDevice d = new MultipathDevice("al", List.of(a, b),
                new DeviceConfig("round-robin", Duration.ofSeconds(5), NoPathRetry.FAIL));
        Random r = new Random(1234);
        try (BlockAligner al = new BlockAligner(d)) {
            for (int i = 0; i < 400; i++) {
                int len = r.nextInt(5) == 0 ? 1 + r.nextInt(3 << 20) : 1 + r.nextInt(9000);
                long off = r.nextInt(size - len);
                Pointer p = Memory.allocateDirect(Native.RUNTIME, len);
                if (r.nextBoolean()) {
                    byte[] data = new byte[len];
                    r.nextBytes(data);
                    p.put(0, data, 0, len);
                    assertEquals(len, al.write(off, p, 0, len));
                    System.arraycopy(data, 0, model, (int) off, len);
                } else {
                    assertEquals(len, al.read(off, p, 0, len));
                    byte[] got = new byte[len];
                    p.get(0, got, 0, len);
                    assertArrayEquals(Arrays.copyOfRange(model, (int) off, (int) off + len), got,
                            "read at " + off + "+" + len);
                }
            }
            // Reads past the end are short, as on a block device.
            Pointer p = Memory.allocateDirect(Native.RUNTIME, 1000);
            assertEquals(100, al.read(size - 100, p, 0, 1000));
            assertEquals(0, al.read(size, p, 0, 1000));
        }
        assertArrayEquals(model, lu);
    }

    @Test
    void aWriteCrossingTheEndWritesWhatFitsAndOneAtTheEndIsEnospc() throws Exception {
        int size = 1 << 20;
        byte[] lu = new byte[size];
        MultipathDevice d = new MultipathDevice("end", List.of(TestPaths.memory("a", lu)),
                new DeviceConfig("round-robin", Duration.ofSeconds(5), NoPathRetry.FAIL));
        try (BlockAligner al = new BlockAligner(d)) {
            Pointer p = Memory.allocateDirect(Native.RUNTIME, 4096);
            byte[] ones = new byte[4096];
            Arrays.fill(ones, (byte) 1);
            p.put(0, ones, 0, ones.length);
            assertEquals(1000, al.write(size - 1000, p, 0, 4096), "a block device writes the part that fits");
            for (int i = size - 1000; i < size; i++) {
                assertEquals(1, lu[i], "byte " + i);
            }
            DeviceIoException e = assertThrows(
                    DeviceIoException.class, () -> al.write(size, p, 0, 512));
            assertEquals(Errno.ENOSPC, e.errno());
        }
    }

    /**
     * readInto/writeFrom on aligned memory: whole blocks go to the paths from that memory, anything
     * else (unaligned offset or length, past the end) falls back to the bounce path; the data always
     * matches the model.
     */
    @Test
    void alignedFastPathMatchesTheModelAndFallsBackForAnythingElse() throws Exception {
        int size = 4 << 20;
        byte[] lu = new byte[size];
        byte[] model = new byte[size];
        MultipathDevice d = new MultipathDevice("al", List.of(TestPaths.memory("a", lu), TestPaths.memory("b", lu)),
                new DeviceConfig("round-robin", Duration.ofSeconds(5), NoPathRetry.FAIL));
        Random r = new Random(99);
        try (BlockAligner al = new BlockAligner(d); AlignedBuffer region = AlignedBuffer.allocate(2 << 20)) {
            AlignedBuffer view = AlignedBuffer.view(region.address() + 4096, (1 << 20) + 4096);
            for (int i = 0; i < 300; i++) {
                boolean aligned = r.nextBoolean();
                int len = aligned ? 512 * (1 + r.nextInt(2048)) : 1 + r.nextInt(1 << 20);
                long off = aligned ? 512L * r.nextInt((size - len) / 512) : r.nextInt(size - len);
                if (r.nextBoolean()) {
                    byte[] data = new byte[len];
                    r.nextBytes(data);
                    view.put(0, data, 0, len);
                    assertEquals(len, al.writeFrom(off, view, len));
                    System.arraycopy(data, 0, model, (int) off, len);
                } else {
                    assertEquals(len, al.readInto(off, view, len));
                    byte[] got = new byte[len];
                    view.get(0, got, 0, len);
                    assertArrayEquals(Arrays.copyOfRange(model, (int) off, (int) off + len), got, "read at " + off + "+" + len);
                }
            }
            assertEquals(512, al.readInto(size - 512, view, 4096), "short at the end");
            view.close(); // a view frees nothing: the region is still usable
            region.zero(0, 8192);
        }
        assertArrayEquals(model, lu);
    }
}
