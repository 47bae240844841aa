package io.mpathfs.control.dst;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.PrIn;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.SenseKey;
import java.nio.ByteBuffer;
import java.util.TreeSet;

/**
 * One user-visible operation of one host, as a single SCSI device receives it: a PR OUT or PR IN
 * command, or a one-block read or write. The same operation runs on the real (multipath) target
 * for the other hosts, and on the oracle for every host.
 */
sealed interface UserOp {
    int BLOCK = 512;

    String host();

    String describe();

    /** Sends the operation down one I_T nexus, retrying UNIT ATTENTIONs as the midlayer does. */
    Outcome on(ScsiChannel nexus) throws PathException;

    record PrOutOp(String host, String line, PrOut.Request request) implements UserOp {
        @Override
        public String describe() {
            return "host " + host + " " + line;
        }

        @Override
        public Outcome on(ScsiChannel nexus) throws PathException {
            return Outcome.of(run(nexus, request.cdb(), Direction.TO_DEVICE, request.params()), "");
        }
    }

    record PrInOp(String host, PrInAction action) implements UserOp {
        @Override
        public String describe() {
            return "host " + host + " -c " + action.name().toLowerCase().replace('_', '-');
        }

        @Override
        public Outcome on(ScsiChannel nexus) throws PathException {
            byte[] data = new byte[PrIn.defaultAllocation(action)];
            ScsiResult r = run(nexus, PrIn.cdb(action), Direction.FROM_DEVICE, data);
            if (!r.isGood()) {
                return Outcome.of(r, "");
            }
            return Outcome.ok(action == PrInAction.READ_KEYS ? keysView(ReadKeysData.decode(data))
                    : reservationView(ReadReservationData.decode(data)));
        }
    }

    record IoOp(String host, boolean write, long lba, int pattern) implements UserOp {
        @Override
        public String describe() {
            return "host " + host + (write ? " write lba " + lba + " pattern " + pattern : " read lba " + lba);
        }

        @Override
        public Outcome on(ScsiChannel nexus) throws PathException {
            byte[] data = write ? block(pattern) : new byte[BLOCK];
            ScsiResult r = run(nexus, write ? Cdb.write16(lba, 1) : Cdb.read16(lba, 1),
                    write ? Direction.TO_DEVICE : Direction.FROM_DEVICE, data);
            if (!r.isGood() || write) {
                return Outcome.of(r, "");
            }
            return Outcome.ok("data " + ByteBuffer.wrap(data).getInt(0));
        }
    }

    static byte[] block(int pattern) {
        byte[] b = new byte[BLOCK];
        ByteBuffer.wrap(b).putInt(0, pattern);
        return b;
    }

    /** Distinct keys, sorted: our per-path duplicates folded. */
    static String keysView(ReadKeysData d) {
        TreeSet<String> keys = new TreeSet<>();
        for (long k : d.keys()) {
            keys.add(Long.toHexString(k));
        }
        return "keys " + keys;
    }

    static String reservationView(ReadReservationData d) {
        return d.reserved() ? "reservation " + PrTypes.name(d.typeCode()) + " key " + Long.toHexString(d.key())
                : "no reservation";
    }

    private static ScsiResult run(ScsiChannel nexus, byte[] cdb, Direction dir, byte[] data) throws PathException {
        ScsiResult r = null;
        for (int i = 0; i < 6; i++) {
            r = nexus.execute(cdb, dir, data, 30_000);
            if (!r.isUnitAttention()) {
                break;
            }
        }
        return r;
    }

    /** What the application saw, in the terms that are compared: kind, and for reads what was read. */
    record Outcome(Kind kind, String view) {
        enum Kind { OK, CONFLICT, ILLEGAL_REQUEST, OTHER }

        static Outcome ok(String view) {
            return new Outcome(Kind.OK, view);
        }

        static Outcome of(ScsiResult r, String view) {
            if (r.isGood()) {
                return ok(view);
            }
            if (r.isReservationConflict()) {
                return new Outcome(Kind.CONFLICT, "");
            }
            if (r.isCheckCondition() && r.senseKey() == SenseKey.ILLEGAL_REQUEST) {
                return new Outcome(Kind.ILLEGAL_REQUEST, "");
            }
            return new Outcome(Kind.OTHER, r.describe());
        }

        @Override
        public String toString() {
            return view.isEmpty() ? kind.name().toLowerCase() : kind.name().toLowerCase() + " (" + view + ")";
        }
    }

    /** Type names for views, tolerant of codes that are no type. */
    final class PrTypes {
        private PrTypes() {
        }

        static String name(int code) {
            return PrType.fromScsiCode(code).map(PrType::blkprName)
                    .orElse("type-" + code);
        }
    }
}
