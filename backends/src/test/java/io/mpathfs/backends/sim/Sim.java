package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrIn;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.backends.scsi.SenseKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Test helper: a fresh target with hosts A/B/C and short calls for the commands tests send. */
final class Sim implements AutoCloseable {
    final SimTarget t;

    Sim(int ports) {
        try {
            t = SimTarget.create(SimConfig.builder().capacityBytes(64L << 20).targetPorts(ports).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A target whose nexuses A1..An, B1..Bn, C1..Cn have had their power-on unit attention drained. */
    static Sim clean(int ports) {
        Sim s = new Sim(ports);
        for (String h : List.of("A", "B", "C")) {
            for (int p = 1; p <= ports; p++) {
                s.drain(h + p);
            }
        }
        return s;
    }

    ScsiResult run(String nexus, byte[] cdb, Direction dir, byte[] data) {
        try {
            return t.nexus(nexus).execute(cdb, dir, data, 30_000);
        } catch (PathException e) {
            throw new AssertionError(e);
        }
    }

    ScsiResult out(String nexus, PrOut.Request r) {
        return run(nexus, r.cdb(), Direction.TO_DEVICE, r.params());
    }

    ScsiResult register(String nexus, long rk, long sark) {
        return out(nexus, PrOut.register(rk, sark, false, false));
    }

    ScsiResult reserve(String nexus, long key, PrType type) {
        return out(nexus, PrOut.reserve(key, type));
    }

    ScsiResult tur(String nexus) {
        return run(nexus, Cdb.testUnitReady(), Direction.NONE, null);
    }

    ScsiResult read(String nexus, long lba, int blocks) {
        return run(nexus, Cdb.read16(lba, blocks), Direction.FROM_DEVICE, new byte[blocks * 512]);
    }

    ScsiResult write(String nexus, long lba, int blocks) {
        return run(nexus, Cdb.write16(lba, blocks), Direction.TO_DEVICE, new byte[blocks * 512]);
    }

    void drain(String nexus) {
        for (int i = 0; i < 10; i++) {
            if (tur(nexus).isGood()) {
                return;
            }
        }
        throw new AssertionError(nexus + " keeps failing TEST UNIT READY");
    }

    /** Sorted keys from READ KEYS through C1 (an observer that never registers in these tests). */
    List<Long> keys() {
        byte[] d = new byte[PrIn.READ_KEYS_ALLOC];
        expectGood(run("C1", PrIn.cdb(PrInAction.READ_KEYS), Direction.FROM_DEVICE, d));
        List<Long> k = new ArrayList<>(ReadKeysData.decode(d).keys());
        Collections.sort(k);
        return k;
    }

    int generation() {
        byte[] d = new byte[PrIn.READ_KEYS_ALLOC];
        expectGood(run("C1", PrIn.cdb(PrInAction.READ_KEYS), Direction.FROM_DEVICE, d));
        return ReadKeysData.decode(d).generation();
    }

    ReadReservationData reservation() {
        byte[] d = new byte[PrIn.READ_RESERVATION_ALLOC];
        expectGood(run("C1", PrIn.cdb(PrInAction.READ_RESERVATION), Direction.FROM_DEVICE, d));
        return ReadReservationData.decode(d);
    }

    FullStatusData fullStatus() {
        byte[] d = new byte[PrIn.READ_FULL_STATUS_ALLOC];
        expectGood(run("C1", PrIn.cdb(PrInAction.READ_FULL_STATUS), Direction.FROM_DEVICE, d));
        return FullStatusData.decode(d);
    }

    static void expectGood(ScsiResult r) {
        assertTrue(r.isGood(), "expected GOOD, got " + r.describe());
    }

    static void expectConflict(ScsiResult r) {
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, r.status(), "expected RESERVATION CONFLICT, got " + r.describe());
    }

    static void expectSense(ScsiResult r, int key, int asc, int ascq) {
        assertEquals(ScsiStatus.CHECK_CONDITION, r.status(), "expected CHECK CONDITION, got " + r.describe());
        assertEquals(String.format("%s %02x/%02x", SenseKey.name(key), asc, ascq),
                String.format("%s %02x/%02x", SenseKey.name(r.senseKey()), r.asc(), r.ascq()));
    }

    static void expectUa(ScsiResult r, int asc, int ascq) {
        expectSense(r, SenseKey.UNIT_ATTENTION, asc, ascq);
    }

    @Override
    public void close() {
        t.close();
    }
}
