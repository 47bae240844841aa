package io.mpathfs.fuse.kernel;

import static io.mpathfs.fuse.kernel.FuseLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.fuse.files.Caller;
import io.mpathfs.fuse.files.DeviceFiles;
import io.mpathfs.fuse.files.FileAttr;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request decoder against well-formed and malformed input, with no kernel: every request with
 * a readable id gets exactly one answer (an errno when it cannot be decoded), nothing throws, and
 * READ/WRITE data sits on the aligned data page.
 */
class RequestHandlerTest {
    private static final long DISK = 2;

    private final FakeDeviceFiles files = new FakeDeviceFiles();
    private final List<byte[]> replies = new ArrayList<>();
    private AlignedBuffer in;
    private AlignedBuffer out;
    private RequestHandler handler;
    private long nextUnique = 100;

    @BeforeEach
    void setUp() {
        in = AlignedBuffer.allocate(RequestHandler.IN_CAPACITY);
        out = AlignedBuffer.allocate(RequestHandler.OUT_CAPACITY);
        FuseSession session = new FuseSession(files, false, false, () -> { });
        handler = new RequestHandler(session, in, out, new ReplyChannel() {
            @Override
            public void send(Pointer buf, int len) {
                byte[] b = new byte[len];
                buf.get(0, b, 0, len);
                replies.add(b);
            }

            @Override
            public void send(Pointer header, int headerLen, Pointer data, int len) {
                byte[] b = new byte[headerLen + len];
                header.get(0, b, 0, headerLen);
                data.get(0, b, headerLen, len);
                replies.add(b);
            }
        });
    }

    @AfterEach
    void tearDown() {
        in.close();
        out.close();
    }

    @Test
    void initNegotiatesLargeRequestsAndParallelWrites() {
        ByteBuffer r = init();
        assertEquals(OutHeader.SIZEOF + InitOut.SIZEOF, r.getInt(OutHeader.LEN));
        assertEquals(0, r.getInt(OutHeader.ERROR));
        int o = OutHeader.SIZEOF;
        assertEquals(7, r.getInt(o + InitOut.MAJOR));
        assertEquals(1 << 20, r.getInt(o + InitOut.MAX_WRITE));
        assertEquals(256, r.getShort(o + InitOut.MAX_PAGES));
        int flags = r.getInt(o + InitOut.FLAGS);
        assertTrue((flags & FUSE_MAX_PAGES) != 0 && (flags & FUSE_ASYNC_DIO) != 0 && (flags & FUSE_PARALLEL_DIROPS) != 0);

        ByteBuffer open = request(Op.OPEN, DISK, le(OpenIn.SIZEOF).putInt(OpenIn.FLAGS, 2).array());
        assertEquals(0, open.getInt(OutHeader.ERROR));
        assertEquals(FOPEN_DIRECT_IO | FOPEN_PARALLEL_DIRECT_WRITES, open.getInt(OutHeader.SIZEOF + OpenOut.OPEN_FLAGS));
    }

    @Test
    void writeLandsOnTheAlignedPageAndReadAnswersFromIt() {
        init();
        byte[] payload = new byte[8192];
        new Random(1).nextBytes(payload);
        ByteBuffer w = le(WriteIn.SIZEOF + payload.length);
        w.putLong(WriteIn.OFFSET, 4096).putInt(WriteIn.SIZE, payload.length);
        w.position(WriteIn.SIZEOF);
        w.put(payload);
        ByteBuffer r = request(Op.WRITE, DISK, w.array());
        assertEquals(0, r.getInt(OutHeader.ERROR));
        assertEquals(payload.length, r.getInt(OutHeader.SIZEOF + WriteOut.SIZE));
        assertEquals(0, files.lastDataAddress % 4096, "the payload is page-aligned");

        ByteBuffer read = request(Op.READ, DISK, le(ReadIn.SIZEOF).putLong(ReadIn.OFFSET, 4096)
                .putInt(ReadIn.SIZE, payload.length).array());
        assertEquals(OutHeader.SIZEOF + payload.length, read.getInt(OutHeader.LEN));
        byte[] got = new byte[payload.length];
        read.position(OutHeader.SIZEOF);
        read.get(got);
        assertEquals(ByteBuffer.wrap(payload), ByteBuffer.wrap(got));
        assertEquals(0, files.lastDataAddress % 4096);
    }

    @Test
    void lookupGetattrReaddirAndIoctl() {
        init();
        ByteBuffer e = request(Op.LOOKUP, NodeTable.ROOT, "disk\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(DISK, e.getLong(OutHeader.SIZEOF + EntryOut.NODEID));
        assertEquals(1 << 20, e.getLong(OutHeader.SIZEOF + EntryOut.ATTR + Attr.SIZE));
        assertEquals(0100660, e.getInt(OutHeader.SIZEOF + EntryOut.ATTR + Attr.MODE));
        assertEquals(-Errno.ENOENT, request(Op.LOOKUP, NodeTable.ROOT, "nope\0".getBytes()).getInt(OutHeader.ERROR));

        ByteBuffer d = request(Op.READDIR, NodeTable.ROOT, le(ReadIn.SIZEOF).putInt(ReadIn.SIZE, 4096).array());
        assertEquals(0, d.getInt(OutHeader.ERROR));
        assertEquals(OutHeader.SIZEOF + 32 + 32 + 32 + 32, d.getInt(OutHeader.LEN), ". .. disk ctl");

        // A _IOW-style struct in, the handler's answer and the struct back out.
        ByteBuffer io = le(IoctlIn.SIZEOF + 16);
        io.putInt(IoctlIn.CMD, 0x1234).putInt(IoctlIn.IN_SIZE, 16).putInt(IoctlIn.OUT_SIZE, 16)
                .putLong(IoctlIn.SIZEOF, 0xabcdL);
        ByteBuffer r = request(Op.IOCTL, DISK, io.array());
        assertEquals(0, r.getInt(OutHeader.ERROR));
        assertEquals(0x18, r.getInt(OutHeader.SIZEOF + IoctlOut.RESULT));
        assertEquals(0xabcdL + 1, r.getLong(OutHeader.SIZEOF + IoctlOut.SIZEOF));
        assertEquals(new Caller(1000, 1000, 4242), files.lastCaller, "the request's caller reaches the files");
    }

    @Test
    void malformedRequestsAreAnsweredWithAnErrno() {
        assertEquals(-Errno.EIO, request(Op.GETATTR, NodeTable.ROOT, new byte[16]).getInt(OutHeader.ERROR),
                "nothing before INIT");
        init();
        assertEquals(-Errno.ENOSYS, request(9999, NodeTable.ROOT, new byte[0]).getInt(OutHeader.ERROR), "unknown opcode");
        assertEquals(-Errno.ENOSYS, request(Op.CREATE, NodeTable.ROOT, new byte[64]).getInt(OutHeader.ERROR));
        assertEquals(-Errno.ENOENT, request(Op.GETATTR, 999, new byte[16]).getInt(OutHeader.ERROR), "unknown node");
        assertEquals(-Errno.EINVAL, request(Op.READ, DISK, new byte[8]).getInt(OutHeader.ERROR), "short read_in");
        assertEquals(-Errno.EINVAL, request(Op.READ, DISK, le(ReadIn.SIZEOF).putInt(ReadIn.SIZE, 64 << 20).array())
                .getInt(OutHeader.ERROR), "oversized READ");
        assertEquals(-Errno.EINVAL, request(Op.WRITE, DISK, le(WriteIn.SIZEOF + 10).putInt(WriteIn.SIZE, 4096).array())
                .getInt(OutHeader.ERROR), "WRITE longer than its payload");
        assertEquals(-Errno.EINVAL, request(Op.LOOKUP, NodeTable.ROOT, "disk".getBytes()).getInt(OutHeader.ERROR),
                "name without NUL");
        assertEquals(-Errno.EINVAL, request(Op.IOCTL, DISK, le(IoctlIn.SIZEOF).putInt(IoctlIn.IN_SIZE, 64).array())
                .getInt(OutHeader.ERROR), "ioctl input longer than sent");
        assertEquals(-Errno.EINVAL, request(Op.IOCTL, DISK, le(IoctlIn.SIZEOF).putInt(IoctlIn.OUT_SIZE, 1 << 20).array())
                .getInt(OutHeader.ERROR), "ioctl output beyond _IOC_SIZE");

        // The header's length disagrees with what was read.
        int n = raw(Op.GETATTR, DISK, new byte[16], 777);
        in.pointer().putInt(RequestHandler.REQUEST_OFFSET + InHeader.LEN, n + 8);
        handler.handle(n);
        assertEquals(-Errno.EIO, last().getInt(OutHeader.ERROR));
        assertEquals(777, last().getLong(OutHeader.UNIQUE));

        // Short reads: an id but no full header is answered; less than an id cannot be.
        int before = replies.size();
        raw(Op.GETATTR, DISK, new byte[0], 778);
        handler.handle(20);
        assertEquals(before + 1, replies.size());
        assertEquals(-Errno.EIO, last().getInt(OutHeader.ERROR));
        handler.handle(8);
        handler.handle(0);
        assertEquals(before + 1, replies.size(), "no id, no answer");

        // No answer is due to these.
        before = replies.size();
        request0(Op.FORGET, DISK, le(ForgetIn.SIZEOF).putLong(0, 1).array());
        request0(Op.INTERRUPT, DISK, le(InterruptIn.SIZEOF).putLong(0, 5).array());
        assertEquals(before, replies.size());
    }

    @Test
    void randomBytesNeverCrashAndEveryIdentifiableRequestIsAnsweredOnce() {
        init();
        Random r = new Random(7);
        for (int i = 0; i < 5000; i++) {
            int n = r.nextInt(300);
            byte[] junk = new byte[n];
            r.nextBytes(junk);
            Pointer p = in.pointer();
            p.put(RequestHandler.REQUEST_OFFSET, junk, 0, n);
            if (n >= InHeader.SIZEOF && r.nextBoolean()) {
                p.putInt(RequestHandler.REQUEST_OFFSET + InHeader.LEN, n);
                p.putInt(RequestHandler.REQUEST_OFFSET + InHeader.OPCODE, 1 + r.nextInt(50));
                p.putLong(RequestHandler.REQUEST_OFFSET + InHeader.NODEID, r.nextInt(12));
            }
            int opcode = n >= 8 ? p.getInt(RequestHandler.REQUEST_OFFSET + InHeader.OPCODE) : 0;
            int before = replies.size();
            handler.handle(n);
            boolean noAnswerDue = n >= InHeader.SIZEOF && p.getInt(RequestHandler.REQUEST_OFFSET + InHeader.LEN) == n
                    && (opcode == Op.FORGET || opcode == Op.BATCH_FORGET || opcode == Op.INTERRUPT);
            assertEquals(n < OutHeader.SIZEOF || noAnswerDue ? before : before + 1, replies.size(), "request " + i);
            if (replies.size() > before) {
                assertEquals(p.getLong(RequestHandler.REQUEST_OFFSET + InHeader.UNIQUE), last().getLong(OutHeader.UNIQUE));
                assertEquals(last().capacity(), last().getInt(OutHeader.LEN));
            }
        }
    }

    // ---- helpers

    private ByteBuffer init() {
        ByteBuffer b = le(InitIn.SIZEOF);
        b.putInt(InitIn.MAJOR, 7).putInt(InitIn.MINOR, 44).putInt(InitIn.MAX_READAHEAD, 128 << 10)
                .putInt(InitIn.FLAGS, (int) (FUSE_ASYNC_READ | FUSE_ASYNC_DIO | FUSE_PARALLEL_DIROPS | FUSE_MAX_PAGES
                        | FUSE_BIG_WRITES | FUSE_INIT_EXT));
        return request(Op.INIT, 0, b.array());
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer last() {
        return ByteBuffer.wrap(replies.get(replies.size() - 1)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes a request at the handler's offset; returns its length. */
    private int raw(int opcode, long node, byte[] args, long unique) {
        ByteBuffer h = le(InHeader.SIZEOF);
        int n = InHeader.SIZEOF + args.length;
        h.putInt(InHeader.LEN, n).putInt(InHeader.OPCODE, opcode).putLong(InHeader.UNIQUE, unique)
                .putLong(InHeader.NODEID, node).putInt(InHeader.UID, 1000).putInt(InHeader.GID, 1000)
                .putInt(InHeader.PID, 4242);
        in.pointer().put(RequestHandler.REQUEST_OFFSET, h.array(), 0, InHeader.SIZEOF);
        in.pointer().put(RequestHandler.REQUEST_OFFSET + InHeader.SIZEOF, args, 0, args.length);
        return n;
    }

    private void request0(int opcode, long node, byte[] args) {
        handler.handle(raw(opcode, node, args, nextUnique++));
    }

    private ByteBuffer request(int opcode, long node, byte[] args) {
        long unique = nextUnique++;
        int before = replies.size();
        handler.handle(raw(opcode, node, args, unique));
        assertEquals(before + 1, replies.size(), "one answer to opcode " + opcode);
        ByteBuffer r = last();
        assertEquals(unique, r.getLong(OutHeader.UNIQUE));
        assertEquals(r.capacity(), r.getInt(OutHeader.LEN));
        return r;
    }
}
