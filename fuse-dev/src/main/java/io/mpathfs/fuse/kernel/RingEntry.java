package io.mpathfs.fuse.kernel;

import static io.mpathfs.fuse.kernel.FuseLayout.InHeader;
import static io.mpathfs.fuse.kernel.FuseLayout.OutHeader;
import static io.mpathfs.fuse.kernel.FuseLayout.FUSE_URING_OP_IN_OUT_SZ;
import static io.mpathfs.fuse.kernel.FuseLayout.UringEntInOut;
import static io.mpathfs.fuse.kernel.FuseLayout.UringReqHeader;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/**
 * One buffer pair registered with the kernel's FUSE ring for one queue: the headers (in/out header,
 * the operation's first argument, and the entry's commit id and payload size) and the payload. The
 * payload is the request buffer's data area, so a WRITE's data arrives page-aligned where the
 * request handler expects it and a READ's answer is read into the payload directly: the same
 * zero-copy layout as on /dev/fuse. The entry reassembles each request in the handler's layout and
 * takes the handler's reply as a {@link ReplyChannel}.
 */
final class RingEntry implements ReplyChannel, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    final int qid;
    private final AlignedBuffer headers = AlignedBuffer.allocate(4096);
    private final AlignedBuffer in = AlignedBuffer.allocate(RequestHandler.IN_CAPACITY);
    /** struct iovec[2] for REGISTER: headers, payload. */
    private final AlignedBuffer iov = AlignedBuffer.allocate(4096);
    private final Pointer h = headers.pointer();
    private final Pointer inPtr = in.pointer();
    private final RequestHandler handler;
    private final FuseSession session;
    private final Pointer payload;
    private boolean replied;

    RingEntry(FuseSession session, int qid, AlignedBuffer sharedOut) {
        this.qid = qid;
        this.session = session;
        this.handler = new RequestHandler(session, in, sharedOut, this);
        this.payload = KernelLibC.RUNTIME.getMemoryManager().newPointer(in.address() + RequestHandler.DATA,
                payloadCapacity());
        Pointer v = iov.pointer();
        v.putLong(0, headers.address());
        v.putLong(8, UringReqHeader.SIZEOF);
        v.putLong(16, payload.address());
        v.putLong(24, payloadCapacity());
    }

    static int payloadCapacity() {
        return RequestHandler.IN_CAPACITY - RequestHandler.DATA;
    }

    /** The headers buffer as the kernel sees it (struct fuse_uring_req_header). */
    Pointer headers() {
        return h;
    }

    /** The payload buffer as the kernel sees it. */
    Pointer payload() {
        return payload;
    }

    long iovAddress() {
        return iov.address();
    }

    /** The id the kernel gave the request now in this entry, to commit its answer under. */
    long commitId() {
        return h.getLong(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.COMMIT_ID);
    }

    /**
     * Hands the request the kernel put in this entry to the handler and keeps its answer in the
     * entry. The in header's length is the whole request's: what is left after the header and the
     * payload is the operation's first argument, which the kernel put in op_in.
     */
    void serve() {
        replied = false;
        session.ringRequests.increment();
        int payloadSize = h.getInt(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.PAYLOAD_SZ);
        int len = h.getInt(UringReqHeader.IN_OUT + InHeader.LEN);
        int opArg = len - InHeader.SIZEOF - payloadSize;
        int at = RequestHandler.REQUEST_OFFSET;
        if (opArg < 0 || opArg > FUSE_URING_OP_IN_OUT_SZ || payloadSize < 0 || payloadSize > payloadCapacity()) {
            // Not a request this layout can carry: answer it with an error rather than guess.
            LOG.warning("fuse: malformed ring request (length " + len + ", payload " + payloadSize + ")");
            fail(Errno.EIO);
            return;
        }
        h.transferTo(UringReqHeader.IN_OUT, inPtr, at, InHeader.SIZEOF);
        h.transferTo(UringReqHeader.OP_IN, inPtr, at + InHeader.SIZEOF, opArg);
        int argsEnd = at + InHeader.SIZEOF + opArg;
        if (payloadSize > 0 && argsEnd != RequestHandler.DATA) {
            UringLibC.LIBC.memmove(inPtr.slice(argsEnd), payload, payloadSize);
        }
        handler.handle(len);
        if (!replied) {
            fail(Errno.EIO); // every request in a ring entry must be committed with an answer
        }
    }

    private void fail(int errno) {
        h.putInt(UringReqHeader.IN_OUT + OutHeader.LEN, OutHeader.SIZEOF);
        h.putInt(UringReqHeader.IN_OUT + OutHeader.ERROR, -errno);
        h.putLong(UringReqHeader.IN_OUT + OutHeader.UNIQUE, h.getLong(UringReqHeader.IN_OUT + InHeader.UNIQUE));
        h.putInt(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.PAYLOAD_SZ, 0);
        replied = true;
    }

    @Override
    public void send(Pointer buf, int len) {
        buf.transferTo(0, h, UringReqHeader.IN_OUT, OutHeader.SIZEOF);
        int rest = len - OutHeader.SIZEOF;
        if (rest > 0) {
            buf.transferTo(OutHeader.SIZEOF, payload, 0, rest);
        }
        h.putInt(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.PAYLOAD_SZ, Math.max(rest, 0));
        replied = true;
    }

    @Override
    public void send(Pointer header, int headerLen, Pointer data, int len) {
        header.transferTo(0, h, UringReqHeader.IN_OUT, OutHeader.SIZEOF);
        if (data.address() != payload.address()) {
            data.transferTo(0, payload, 0, len);
        }
        h.putInt(UringReqHeader.RING_ENT_IN_OUT + UringEntInOut.PAYLOAD_SZ, len);
        replied = true;
    }

    @Override
    public void close() {
        headers.close();
        in.close();
        iov.close();
    }
}
