package io.mpathfs.fuse;

import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrCommand.Verb;
import io.mpathfs.backends.pr.PrSyntaxException;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.control.pr.PrCoordinator;
import io.mpathfs.control.pr.PrResult;
import io.mpathfs.fuse.files.DiskIoctl;
import io.mpathfs.nativeshim.Errno;
import java.util.Optional;
import jnr.ffi.Pointer;

/**
 * The Linux block-layer PR ioctls (include/uapi/linux/pr.h) on /disk, so blkpr works on the mount
 * as on a SCSI disk. FUSE passes restricted ioctls with the struct in {@code data}; command numbers
 * with bit 31 set arrive as negative ints. Returns what sd_pr_command would: 0, a positive PR status
 * (0x18 reservation conflict), or -errno (EOPNOTSUPP for flags other than PR_FL_IGNORE_KEY, as the
 * block layer does).
 */
public final class PrIoctl implements DiskIoctl {
    public static final int IOC_PR_REGISTER = 0x401870c8, IOC_PR_RESERVE = 0x401070c9, IOC_PR_RELEASE = 0x401070ca,
            IOC_PR_PREEMPT = 0x401870cb, IOC_PR_PREEMPT_ABORT = 0x401870cc, IOC_PR_CLEAR = 0x401070cd,
            IOC_PR_READ_KEYS = 0xc01070ce, IOC_PR_READ_RESERVATION = 0x801070cf;
    private static final int PR_FL_IGNORE_KEY = 1;

    private final PrCoordinator coordinator;

    public PrIoctl(PrCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public boolean handles(int cmd) {
        return switch (cmd) {
            case IOC_PR_REGISTER, IOC_PR_RESERVE, IOC_PR_RELEASE, IOC_PR_PREEMPT, IOC_PR_PREEMPT_ABORT, IOC_PR_CLEAR,
                    IOC_PR_READ_KEYS, IOC_PR_READ_RESERVATION -> true;
            default -> false;
        };
    }

    @Override
    public int ioctl(int cmd, Pointer data) {
        try {
            return switch (cmd) {
                case IOC_PR_REGISTER -> register(data);
                case IOC_PR_RESERVE -> keyType(data, Verb.RESERVE, true);
                case IOC_PR_RELEASE -> keyType(data, Verb.RELEASE, false);
                case IOC_PR_PREEMPT -> preempt(data, Verb.PREEMPT);
                case IOC_PR_PREEMPT_ABORT -> preempt(data, Verb.PREEMPT_ABORT);
                case IOC_PR_CLEAR -> clear(data);
                case IOC_PR_READ_RESERVATION -> readReservation(data);
                // READ_KEYS carries a user pointer to the key array, which a FUSE restricted
                // ioctl cannot follow: answer as a kernel without the ioctl would.
                default -> -Errno.ENOTTY;
            };
        } catch (PrSyntaxException e) {
            return -Errno.EINVAL;
        }
    }

    private int register(Pointer d) throws PrSyntaxException {
        PrStructs.Registration r = PrStructs.Registration.read(d);
        if ((r.flags() & ~PR_FL_IGNORE_KEY) != 0) {
            return -Errno.EOPNOTSUPP;
        }
        return run(PrCommand.of(Verb.REGISTER, r.newKey(), r.oldKey(), null, (r.flags() & PR_FL_IGNORE_KEY) != 0));
    }

    private int keyType(Pointer d, Verb verb, boolean ignoreAllowed) throws PrSyntaxException {
        PrStructs.Reservation r = PrStructs.Reservation.read(d);
        if ((r.flags() & ~(ignoreAllowed ? PR_FL_IGNORE_KEY : 0)) != 0) {
            return -Errno.EOPNOTSUPP;
        }
        Optional<PrType> t = PrType.fromLinuxType(r.type());
        if (t.isEmpty()) {
            return -Errno.EINVAL;
        }
        return run(PrCommand.of(verb, r.key(), null, t.get(), false));
    }

    private int preempt(Pointer d, Verb verb) throws PrSyntaxException {
        PrStructs.Preempt p = PrStructs.Preempt.read(d);
        if (p.flags() != 0) {
            return -Errno.EOPNOTSUPP;
        }
        Optional<PrType> t = PrType.fromLinuxType(p.type());
        if (t.isEmpty()) {
            return -Errno.EINVAL;
        }
        return run(PrCommand.of(verb, p.newKey(), p.oldKey(), t.get(), false));
    }

    private int clear(Pointer d) throws PrSyntaxException {
        PrStructs.Clear c = PrStructs.Clear.read(d);
        if (c.flags() != 0) {
            return -Errno.EOPNOTSUPP;
        }
        return run(PrCommand.of(Verb.CLEAR, c.key(), null, null, false));
    }

    private int readReservation(Pointer d) {
        ReadReservationData r = coordinator.readReservationData();
        if (r == null) {
            return -Errno.EIO;
        }
        new PrStructs.HeldReservation(r.reserved() ? r.key() : 0, r.generation(),
                r.reserved() ? r.type().map(PrType::linuxType).orElse(0) : 0).write(d);
        return 0;
    }

    private int run(PrCommand c) {
        PrResult r = coordinator.execute(c);
        return r.ioctlReturn();
    }
}
