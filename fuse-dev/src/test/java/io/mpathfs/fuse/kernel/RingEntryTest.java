package io.mpathfs.fuse.kernel;

import static io.mpathfs.fuse.kernel.FuseLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A ring entry between the kernel's layout and the request handler's, with no kernel: the test
 * fills the headers and payload as the kernel does (in header, the operation's first argument in
 * op_in, the rest in the payload) and reads the answer where the kernel takes it (out header in
 * in_out, arguments in the payload, their size in the entry). Data stays where it is.
 */
class RingEntryTest {
    private static final long DISK = 2;

    private final FakeDeviceFiles files = new FakeDeviceFiles();
    private AlignedBuffer out;
    private RingEntry entry;
    private long unique = 500;

    @BeforeEach
    void setUp() {
        out = AlignedBuffer.allocate(RequestHandler.OUT_CAPACITY);
        FuseSession session = new FuseSession(files, false, true, () -> { });
        session.initialize(true);
        entry = new RingEntry(session, 1, out);
    }

    @AfterEach
    void tearDown() {
        entry.close();
        out.close();
    }

    @Test
    void lookupNameComesInThePayloadWithNoOperationHeader() {
        serve(Op.LOOKUP, NodeTable.ROOT, new byte[0], "disk\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, error());
        assertEquals(EntryOut.SIZEOF, payloadSize());
        assertEquals(DISK, entry.payload().getLong(EntryOut.NODEID));
        assertEquals(files.disk.length, entry.payload().getLong(EntryOut.ATTR + Attr.SIZE));
    }

    @Test
    void writeDataIsServedFromThePayloadWhereTheKernelPutItAndReadIsAnsweredInPlace() {
        byte[] data = new byte[64 * 1024];
        new Random(7).nextBytes(data);
        byte[] writeIn = new byte[WriteIn.SIZEOF];
        Pointer w = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager().allocateDirect(WriteIn.SIZEOF, true);
        w.putLong(WriteIn.OFFSET, 8192);
        w.putInt(WriteIn.SIZE, data.length);
        w.get(0, writeIn, 0, WriteIn.SIZEOF);
        serve(Op.WRITE, DISK, writeIn, data);
        assertEquals(0, error());
        assertEquals(data.length, entry.payload().getInt(WriteOut.SIZE));
        assertEquals(entry.payload().address(), files.lastDataAddress, "no copy: the handler wrote from the payload");
        assertEquals(0, files.lastDataAddress % 4096);

        Pointer r = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager().allocateDirect(ReadIn.SIZEOF, true);
        r.putLong(ReadIn.OFFSET, 8192);
        r.putInt(ReadIn.SIZE, data.length);
        byte[] readIn = new byte[ReadIn.SIZEOF];
        r.get(0, readIn, 0, ReadIn.SIZEOF);
        entry.payload().setMemory(0, data.length, (byte) 0);
        serve(Op.READ, DISK, readIn, new byte[0]);
        assertEquals(0, error());
        assertEquals(data.length, payloadSize());
        assertEquals(entry.payload().address(), files.lastDataAddress, "no copy: the path read into the payload");
        byte[] got = new byte[data.length];
        entry.payload().get(0, got, 0, got.length);
        assertTrue(java.util.Arrays.equals(data, got));
    }

    @Test
    void anOperationHeaderAndAPayloadAreJoinedAsOnDevFuse() {
        byte[] getxattrIn = new byte[GetxattrIn.SIZEOF];
        getxattrIn[0] = 64; // size 64
        serve(Op.GETXATTR, DISK, getxattrIn, "user.x\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(-Errno.ENODATA, error(), "the name reached the files: their answer came back");
    }

    @Test
    void aRequestWhoseLengthsDoNotAddUpIsAnsweredWithEio() {
        Pointer h = entry.headers();
        long id = unique++;
        h.putInt(UringReqHeader.IN_OUT + InHeader.LEN, InHeader.SIZEOF + 4); // less than the payload below
        h.putInt(UringReqHeader.IN_OUT + InHeader.OPCODE, Op.GETATTR);
        h.putLong(UringReqHeader.IN_OUT + InHeader.UNIQUE, id);
        h.putLong(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.COMMIT_ID, id);
        h.putInt(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.PAYLOAD_SZ, 100);
        entry.serve();
        assertEquals(-Errno.EIO, error());
        assertEquals(id, h.getLong(UringReqHeader.IN_OUT + OutHeader.UNIQUE));
        assertEquals(0, payloadSize());
    }

    @Test
    void unknownOpcodesGetEnosys() {
        serve(4000, DISK, new byte[16], new byte[0]);
        assertEquals(-Errno.ENOSYS, error());
    }

    /** Puts a request in the entry as the kernel does and has it served. */
    private void serve(int opcode, long node, byte[] opIn, byte[] payload) {
        Pointer h = entry.headers();
        long id = unique++;
        h.setMemory(0, UringReqHeader.SIZEOF, (byte) 0);
        h.putInt(UringReqHeader.IN_OUT + InHeader.LEN, InHeader.SIZEOF + opIn.length + payload.length);
        h.putInt(UringReqHeader.IN_OUT + InHeader.OPCODE, opcode);
        h.putLong(UringReqHeader.IN_OUT + InHeader.UNIQUE, id);
        h.putLong(UringReqHeader.IN_OUT + InHeader.NODEID, node);
        h.put(UringReqHeader.OP_IN, opIn, 0, opIn.length);
        h.putLong(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.COMMIT_ID, id);
        h.putInt(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.PAYLOAD_SZ, payload.length);
        entry.payload().put(0, payload, 0, payload.length);
        entry.serve();
        assertEquals(id, entry.commitId());
        assertEquals(id, h.getLong(UringReqHeader.IN_OUT + OutHeader.UNIQUE), "answered under the request's id");
        assertEquals(OutHeader.SIZEOF + payloadSize(), h.getInt(UringReqHeader.IN_OUT + OutHeader.LEN));
    }

    private int error() {
        return entry.headers().getInt(UringReqHeader.IN_OUT + OutHeader.ERROR);
    }

    private int payloadSize() {
        return entry.headers().getInt(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.PAYLOAD_SZ);
    }
}
