package io.mpathfs.fuse.kernel;

import static io.mpathfs.fuse.kernel.FuseLayout.FUSE_IO_URING_CMD_COMMIT_AND_FETCH;
import static io.mpathfs.fuse.kernel.FuseLayout.FUSE_IO_URING_CMD_REGISTER;
import static io.mpathfs.fuse.kernel.FuseLayout.UringCmdReq;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.io.IOException;
import java.util.List;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/**
 * A worker serving FUSE requests through io_uring: it registers its ring entries with the
 * connection's queues, then takes each request the kernel completes into an entry, answers it in
 * the entry and commits the answer together with fetching the next request (one system call per
 * request, where /dev/fuse takes a read and a write). The kernel queues a request on the queue of
 * the CPU its caller runs on; every queue has entries, spread over the workers.
 */
final class UringWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final FuseSession session;
    private final int devFd;
    private final List<Integer> qids;
    private final Runnable onRefused;

    /** Serves one entry per queue id given; onRefused runs if the kernel refuses the ring. */
    UringWorker(FuseSession session, int devFd, List<Integer> qids, Runnable onRefused) {
        this.session = session;
        this.devFd = devFd;
        this.qids = qids;
        this.onRefused = onRefused;
    }

    @Override
    public void run() {
        RingEntry[] entries = new RingEntry[qids.size()];
        try (AlignedBuffer out = AlignedBuffer.allocate(RequestHandler.OUT_CAPACITY);
             IoUring ring = IoUring.create(Math.max(2, Integer.highestOneBit(entries.length * 2 - 1)))) {
            for (int i = 0; i < entries.length; i++) {
                entries[i] = new RingEntry(session, qids.get(i), out);
                Pointer sqe = command(ring, entries[i], i, FUSE_IO_URING_CMD_REGISTER);
                sqe.putLong(IoUring.Sqe.ADDR, entries[i].iovAddress());
                sqe.putInt(IoUring.Sqe.LEN, 2);
            }
            serve(ring, entries);
        } catch (IOException e) {
            LOG.warning("fuse: io_uring worker: " + e.getMessage() + "; requests go through /dev/fuse");
            onRefused.run();
        } finally {
            for (RingEntry e : entries) {
                if (e != null) {
                    e.close();
                }
            }
        }
    }

    private void serve(IoUring ring, RingEntry[] entries) throws IOException {
        long[] userData = new long[1];
        boolean registered = false;
        while (true) {
            ring.submitAndWait(1);
            Integer res;
            while ((res = ring.takeCompletion(userData)) != null) {
                if (res < 0) {
                    int e = -res;
                    if (e == Errno.ENOTCONN || e == Errno.ECONNABORTED || e == Errno.ENODEV) {
                        return; // unmounted or aborted: the connection is gone
                    }
                    if (!registered) {
                        throw new IOException("FUSE ring registration refused: " + Errno.describe(e));
                    }
                    LOG.warning("fuse: ring entry ended: " + Errno.describe(e));
                    return;
                }
                registered = true;
                RingEntry entry = entries[(int) userData[0]];
                entry.serve();
                Pointer sqe = command(ring, entry, (int) userData[0], FUSE_IO_URING_CMD_COMMIT_AND_FETCH);
                sqe.putLong(IoUring.Sqe.CMD + UringCmdReq.COMMIT_ID, entry.commitId());
            }
        }
    }

    /** A ring command for one entry, its fields other than those of the command itself zero. */
    private Pointer command(IoUring ring, RingEntry entry, int index, int cmdOp) throws IOException {
        Pointer sqe = ring.nextSqe();
        if (sqe == null) {
            throw new IOException("io_uring submission queue full");
        }
        sqe.putByte(IoUring.Sqe.OPCODE, (byte) IoUring.Sqe.OP_URING_CMD);
        sqe.putInt(IoUring.Sqe.FD, devFd);
        sqe.putInt(IoUring.Sqe.CMD_OP, cmdOp);
        sqe.putLong(IoUring.Sqe.USER_DATA, index);
        sqe.putShort(IoUring.Sqe.CMD + UringCmdReq.QID, (short) entry.qid);
        return sqe;
    }

    /** The kernel's queue count: one per possible CPU. */
    static int queueCount() {
        try {
            String possible = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/possible"))
                    .trim();
            int max = 0;
            for (String part : possible.split(",")) {
                String[] range = part.split("-");
                max = Math.max(max, Integer.parseInt(range[range.length - 1].trim()));
            }
            return max + 1;
        } catch (IOException | NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
