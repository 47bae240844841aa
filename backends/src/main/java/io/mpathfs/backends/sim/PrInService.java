package io.mpathfs.backends.sim;

import io.mpathfs.backends.pr.CapabilitiesData;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.pr.TransportId;
import io.mpathfs.backends.scsi.ScsiResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** PERSISTENT RESERVE IN: the four reports, with LIO's allocation-length behaviour. */
final class PrInService {
    private final TargetReservations state;

    PrInService(TargetReservations state) {
        this.state = state;
    }

    ScsiResult execute(byte[] cdb, byte[] buffer) {
        // A buffer smaller than the allocation length is what the device can send (LIO: data_length).
        int alloc = Math.min(((cdb[7] & 0xff) << 8) | (cdb[8] & 0xff), buffer == null ? 0 : buffer.length);
        PrInAction action = PrInAction.of(cdb[1] & 0x1f).orElse(null);
        if (action == null) {
            return Results.invalidCdbField();
        }
        // LIO refuses allocation lengths too small for the header (6 for capabilities, else 8).
        if (alloc < (action == PrInAction.REPORT_CAPABILITIES ? 6 : 8)) {
            return Results.invalidCdbField();
        }
        return switch (action) {
            case READ_KEYS -> {
                // ADDITIONAL LENGTH stays 8n when the keys do not all fit; only whole keys are sent (LIO).
                byte[] data = readKeys().encode();
                yield Results.dataIn(data, 8 + (alloc - 8) / 8 * 8, buffer);
            }
            case READ_RESERVATION -> {
                byte[] data = readReservation().encode();
                // LIO fills only the header when the reservation descriptor would be cut (alloc < 22).
                yield Results.dataIn(data, alloc < 22 ? 8 : alloc, buffer);
            }
            case REPORT_CAPABILITIES -> Results.dataIn(capabilities().encode(), alloc, buffer);
            case READ_FULL_STATUS -> Results.dataIn(fullStatus(alloc).encode(), alloc, buffer);
        };
    }

    ReadKeysData readKeys() {
        List<Long> keys = new ArrayList<>();
        for (Registrant r : state.registrations()) {
            keys.add(r.key);
        }
        return new ReadKeysData(state.generation(), keys);
    }

    ReadReservationData readReservation() {
        if (!state.reserved()) {
            return ReadReservationData.none(state.generation());
        }
        PrType t = state.type();
        return ReadReservationData.of(state.generation(), t.allRegistrants() ? 0 : state.holder().key, t);
    }

    /**
     * CRH=0 (no SPC-2 RESERVE/RELEASE here), SIP_C=0 (SPEC_I_PT not supported), ATP_C=1, PTPL_C=1,
     * TMV=1, ALLOW COMMANDS=001b as LIO reports, PTPL_A as the last REGISTER's APTPL left it, all six types.
     */
    CapabilitiesData capabilities() {
        return new CapabilitiesData(false, false, true, true, true, 1, state.aptplActive(),
                EnumSet.allOf(PrType.class));
    }

    /**
     * One descriptor per registration, in registration order. LIO quirks kept: R_HOLDER and the
     * type on every registration of an all-registrants reservation; no relative target port for an
     * ALL_TG_PT registration; a descriptor that does not fit ends the list and ADDITIONAL LENGTH
     * counts only what was sent (LIO's test compares the TransportID length plus what is already
     * sent with the allocation length).
     */
    FullStatusData fullStatus(int alloc) {
        List<FullStatusData.Descriptor> list = new ArrayList<>();
        boolean allRegs = state.reserved() && state.type().allRegistrants();
        int sent = 0;
        for (Registrant r : state.registrations()) {
            byte[] tid = TransportId.forInitiator(r.nexus.initiator());
            if (tid.length + sent > alloc) {
                break;
            }
            boolean holder = state.holder() == r || allRegs;
            list.add(new FullStatusData.Descriptor(r.key, r.allTgPt, holder, 0,
                    holder ? state.type().scsiCode() : 0, r.allTgPt ? 0 : r.nexus.targetPort(), tid));
            sent += 24 + tid.length;
        }
        return new FullStatusData(state.generation(), list);
    }
}
