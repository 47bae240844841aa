package io.mpathfs.backends.sim;

import static io.mpathfs.backends.scsi.UnitAttentionCode.ASC_PARAMETERS_CHANGED;
import static io.mpathfs.backends.scsi.UnitAttentionCode.REGISTRATIONS_PREEMPTED;
import static io.mpathfs.backends.scsi.UnitAttentionCode.RESERVATIONS_PREEMPTED;
import static io.mpathfs.backends.scsi.UnitAttentionCode.RESERVATIONS_RELEASED;

import io.mpathfs.backends.pr.PrOutAction;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.ScsiResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * PERSISTENT RESERVE OUT, service action by service action, following LIO's target_core_pr.c where
 * it differs from SPC-4 (each such place says so). Runs after the LU has reported unit attentions and
 * applied the reservation-conflict rules ({@link ReservationCheck}); guarded by the LU's lock.
 */
final class PrOutService {
    static final int PARAMETER_LIST_LENGTH = 24;

    private final TargetReservations state;
    private final UnitAttentions uas;
    private final AptplStore aptpl;
    private final Supplier<List<Integer>> targetPorts;
    private final Consumer<Set<NexusId>> abortTasks;

    PrOutService(TargetReservations state, UnitAttentions uas, AptplStore aptpl, Supplier<List<Integer>> targetPorts,
                 Consumer<Set<NexusId>> abortTasks) {
        this.state = state;
        this.uas = uas;
        this.aptpl = aptpl;
        this.targetPorts = targetPorts;
        this.abortTasks = abortTasks;
    }

    /** The parameter list fields this class works with. */
    private record Params(long rk, long sark, boolean specIpt, boolean allTgPt, boolean aptpl) {
        static Params of(byte[] p) {
            return new Params(Cdb.getLong(p, 0), Cdb.getLong(p, 8), (p[20] & 0x08) != 0, (p[20] & 0x04) != 0,
                    (p[20] & 0x01) != 0);
        }
    }

    ScsiResult execute(NexusId n, byte[] cdb, byte[] data) {
        int sa = cdb[1] & 0x1f;
        int scope = (cdb[2] >> 4) & 0xf;
        int typeCode = cdb[2] & 0xf;
        long length = Integer.toUnsignedLong(Cdb.getInt(cdb, 5));
        if (length < PARAMETER_LIST_LENGTH) {
            return Results.parameterListLength();
        }
        Params f = Params.of(data); // the LU has checked the buffer holds the whole parameter list
        PrOutAction action = PrOutAction.of(sa).orElse(null);
        if (f.specIpt && action != PrOutAction.REGISTER) {
            return Results.invalidParameterField(); // LIO: SPEC_I_PT only with REGISTER
        }
        if (!f.specIpt && action != PrOutAction.REGISTER_AND_MOVE && length != PARAMETER_LIST_LENGTH) {
            return Results.parameterListLength();
        }
        if (f.specIpt) {
            // Sim decision: SPEC_I_PT is not supported (REPORT CAPABILITIES says SIP_C=0); SPC-4 answers
            // INVALID FIELD IN PARAMETER LIST. LIO supports it.
            return Results.invalidParameterField();
        }
        if (action == null) {
            return Results.invalidCdbField();
        }
        return switch (action) {
            case REGISTER -> register(n, f.rk, f.sark, f.aptpl, f.allTgPt, false);
            // LIO passes RK = 0 for REGISTER AND IGNORE EXISTING KEY, which matters below (ALL_TG_PT).
            case REGISTER_AND_IGNORE_EXISTING_KEY -> register(n, 0, f.sark, f.aptpl, f.allTgPt, true);
            case RESERVE -> reserve(n, typeCode, scope, f.rk);
            case RELEASE -> release(n, typeCode, scope, f.rk);
            case CLEAR -> clear(n, f.rk);
            case PREEMPT -> preempt(n, typeCode, scope, f.rk, f.sark, false);
            case PREEMPT_AND_ABORT -> preempt(n, typeCode, scope, f.rk, f.sark, true);
            // Sim decision: REGISTER AND MOVE is not supported; SPC-4 answers an unsupported service
            // action with INVALID FIELD IN CDB (what LIO answers for service actions it lacks). LIO has it.
            case REGISTER_AND_MOVE -> Results.invalidCdbField();
        };
    }

    private ScsiResult register(NexusId n, long rk, long sark, boolean aptplBit, boolean allTgPt, boolean ignore) {
        Registrant reg = state.find(n).orElse(null);
        if (reg == null) {
            if (rk != 0) {
                return Results.conflict();
            }
            if (sark == 0) {
                return ScsiResult.GOOD; // nothing to do: no PRgeneration bump, no APTPL rewrite (LIO)
            }
            state.add(new Registrant(n, sark, allTgPt));
            if (allTgPt) {
                // The same initiator port through every other target port, one PRgeneration each
                // (LIO). LIO would add a second registration for a nexus already registered; we skip it.
                for (int port : targetPorts.get()) {
                    NexusId other = new NexusId(n.initiator(), port);
                    if (port != n.targetPort() && !state.isRegistered(other)) {
                        state.add(new Registrant(other, sark, true));
                    }
                }
            }
            saveAfterRegister(aptplBit);
            return ScsiResult.GOOD;
        }
        if (!ignore && rk != reg.key) {
            return Results.conflict();
        }
        if (reg.allTgPt && !allTgPt) {
            return Results.invalidCdbField(); // LIO: an ALL_TG_PT registration needs ALL_TG_PT to change
        }
        if (sark != 0) {
            // LIO changes the key of this I_T nexus only, even for an ALL_TG_PT registration.
            reg.key = sark;
            state.bumpGeneration();
        } else {
            ScsiResult r = unregister(reg, rk);
            if (r != null) {
                return r;
            }
        }
        saveAfterRegister(aptplBit);
        return ScsiResult.GOOD;
    }

    /**
     * Removes a registration (REGISTER with SARK 0). LIO quirks kept: no PRgeneration bump; an
     * ALL_TG_PT registration takes its siblings with it only when their key equals the RK field as
     * sent (0 for REGISTER AND IGNORE, so those siblings stay); a non-holder sibling of the holder's
     * ALL_TG_PT registration cannot unregister (conflict).
     *
     * @return null on success, else the answer
     */
    private ScsiResult unregister(Registrant reg, long rk) {
        boolean wasHolder = state.holder() == reg;
        PrType heldType = state.type();
        Registrant holder = state.holder();
        if (!wasHolder && reg.allTgPt && holder != null
                && holder.nexus.initiator().equals(reg.nexus.initiator()) && holder.key == reg.key) {
            return Results.conflict();
        }
        if (reg.allTgPt) {
            for (Registrant r : new ArrayList<>(state.registrations())) {
                if (r != reg && r.allTgPt && r.key == rk && r.nexus.initiator().equals(reg.nexus.initiator())) {
                    state.remove(r);
                }
            }
        }
        state.remove(reg);
        if (wasHolder) {
            if (heldType.allRegistrants() && !state.registrations().isEmpty()) {
                // The reservation lives on while registrants remain; LIO moves its holder pointer to the first.
                state.reserve(state.registrations().get(0), heldType);
            } else if (heldType.registrantsOnly()) {
                uas.establish(nexusesOf(state.registrations()), ASC_PARAMETERS_CHANGED, RESERVATIONS_RELEASED);
            }
        }
        return null;
    }

    private ScsiResult reserve(NexusId n, int typeCode, int scope, long rk) {
        PrType type = PrType.fromScsiCode(typeCode).orElse(null);
        if (type == null) {
            return Results.invalidCdbField();
        }
        Registrant reg = state.find(n).orElse(null);
        if (reg == null) {
            return Results.luCommunicationFailure(); // LIO; SPC-4 says RESERVATION CONFLICT
        }
        if (rk != reg.key) {
            return Results.conflict();
        }
        if (scope != 0) {
            return Results.invalidParameterField();
        }
        if (state.reserved()) {
            if (!state.isHolder(reg) || state.type() != type) {
                return Results.conflict();
            }
            return ScsiResult.GOOD; // same holder, same type: nothing changes
        }
        state.reserve(reg, type);
        saveIfActive();
        return ScsiResult.GOOD;
    }

    private ScsiResult release(NexusId n, int typeCode, int scope, long rk) {
        Registrant reg = state.find(n).orElse(null);
        if (reg == null) {
            return Results.luCommunicationFailure(); // LIO; SPC-4 says RESERVATION CONFLICT
        }
        // LIO looks at "holder?" before the key: a non-holder's RELEASE is GOOD whatever its RK.
        if (!state.reserved() || !state.isHolder(reg)) {
            return ScsiResult.GOOD;
        }
        if (rk != reg.key) {
            return Results.conflict();
        }
        if (typeCode != state.type().scsiCode() || scope != 0) {
            return Results.conflict(); // LIO; SPC-4 says ILLEGAL REQUEST 26/04
        }
        PrType type = state.type();
        state.release();
        if (type.registrantsOnly() || type.allRegistrants()) {
            uas.establish(othersThan(reg), ASC_PARAMETERS_CHANGED, RESERVATIONS_RELEASED);
        }
        saveIfActive();
        return ScsiResult.GOOD;
    }

    private ScsiResult clear(NexusId n, long rk) {
        Registrant reg = state.find(n).orElse(null);
        if (reg == null) {
            return Results.luCommunicationFailure(); // LIO; SPC-4 says RESERVATION CONFLICT
        }
        if (rk != reg.key) {
            return Results.conflict();
        }
        List<NexusId> others = othersThan(reg);
        state.removeAll();
        uas.establish(others, ASC_PARAMETERS_CHANGED, RESERVATIONS_PREEMPTED);
        state.setAptplActive(false);
        aptpl.save(List.of());
        state.bumpGeneration();
        return ScsiResult.GOOD;
    }

    private ScsiResult preempt(NexusId n, int typeCode, int scope, long rk, long sark, boolean abort) {
        PrType type = PrType.fromScsiCode(typeCode).orElse(null);
        if (type == null) {
            return Results.invalidCdbField(); // LIO checks the type even when no reservation exists
        }
        Registrant reg = state.find(n).orElse(null);
        if (reg == null || rk != reg.key) {
            return Results.conflict();
        }
        if (scope != 0) {
            return Results.invalidParameterField();
        }
        boolean allRegs = state.reserved() && state.type().allRegistrants();
        if (!allRegs && sark == 0) {
            return Results.invalidParameterField();
        }
        Set<NexusId> preempted = new LinkedHashSet<>();
        if (!state.reserved() || state.holder().key != sark) {
            // Removing registrations (SPC-4 5.12.11.2.4), or an all-registrants reservation.
            boolean matched = sark == 0;
            for (Registrant r : new ArrayList<>(state.registrations())) {
                if (sark != 0 && r.key != sark) {
                    continue;
                }
                matched = true;
                if (r == reg && allRegs) {
                    continue;
                }
                // Without an all-registrants reservation the issuer's own registration goes too when its
                // key is the one named (LIO, as SPC-4 reads); it gets no unit attention for it.
                state.remove(r);
                if (r != reg) {
                    preempted.add(r.nexus);
                    uas.establish(r.nexus, ASC_PARAMETERS_CHANGED, REGISTRATIONS_PREEMPTED);
                }
            }
            if (!matched) {
                return Results.conflict();
            }
            if (allRegs && sark == 0) {
                state.reserve(reg, type);
            }
        } else {
            // SARK names the holder (for all-registrants types: LIO's representative holder): preempt
            // the reservation. The issuer keeps its registration even when its key is SARK.
            PrType before = state.type();
            state.release();
            for (Registrant r : new ArrayList<>(state.registrations())) {
                if (r != reg && r.key == sark) {
                    state.remove(r);
                    preempted.add(r.nexus);
                    uas.establish(r.nexus, ASC_PARAMETERS_CHANGED, REGISTRATIONS_PREEMPTED);
                }
            }
            state.reserve(reg, type);
            if (before != type) {
                uas.establish(othersThan(reg), ASC_PARAMETERS_CHANGED, RESERVATIONS_RELEASED);
            }
        }
        if (abort) {
            abortTasks.accept(preempted);
        }
        saveIfActive();
        state.bumpGeneration();
        return ScsiResult.GOOD;
    }

    private List<NexusId> othersThan(Registrant reg) {
        List<NexusId> out = new ArrayList<>();
        for (Registrant r : state.registrations()) {
            if (r != reg) {
                out.add(r.nexus);
            }
        }
        return out;
    }

    private static List<NexusId> nexusesOf(List<Registrant> regs) {
        List<NexusId> out = new ArrayList<>();
        for (Registrant r : regs) {
            out.add(r.nexus);
        }
        return out;
    }

    /** LIO rewrites its APTPL file after every REGISTER, as that command's APTPL bit says. */
    private void saveAfterRegister(boolean aptplBit) {
        state.setAptplActive(aptplBit);
        aptpl.save(aptplBit ? AptplStore.snapshot(state) : List.of());
    }

    private void saveIfActive() {
        if (state.aptplActive()) {
            aptpl.save(AptplStore.snapshot(state));
        }
    }
}
