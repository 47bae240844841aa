package io.mpathfs.backends.pr;

import io.mpathfs.backends.scsi.Cdb;

/**
 * Ready-to-send PERSISTENT RESERVE OUT commands: a CDB and its 24-byte parameter list, built with
 * {@link Cdb#prOut} and {@link Cdb#prOutParams}. The key arguments are named by their SPC fields (RK,
 * SARK) because that is what the device sees; {@link #of(PrCommand, boolean)} maps blkpr's
 * {@code -k/-K} onto them.
 */
public final class PrOut {
    /** One PR OUT command: send {@code cdb} with {@code params} as the data-out buffer. */
    public record Request(PrOutAction action, byte[] cdb, byte[] params) {
    }

    private PrOut() {
    }

    public static Request register(long rk, long sark, boolean aptpl, boolean allTgPt) {
        return build(PrOutAction.REGISTER, 0, rk, sark, allTgPt, aptpl);
    }

    /** REGISTER AND IGNORE EXISTING KEY: the RK field is not checked (sent as 0). */
    public static Request registerAndIgnore(long sark, boolean aptpl, boolean allTgPt) {
        return build(PrOutAction.REGISTER_AND_IGNORE_EXISTING_KEY, 0, 0, sark, allTgPt, aptpl);
    }

    public static Request reserve(long rk, PrType type) {
        return build(PrOutAction.RESERVE, type.scsiCode(), rk, 0, false, false);
    }

    public static Request release(long rk, PrType type) {
        return build(PrOutAction.RELEASE, type.scsiCode(), rk, 0, false, false);
    }

    public static Request clear(long rk) {
        return build(PrOutAction.CLEAR, 0, rk, 0, false, false);
    }

    /** PREEMPT: rk = the issuer's own key, sark = the key being preempted. */
    public static Request preempt(long rk, long sark, PrType type) {
        return build(PrOutAction.PREEMPT, type.scsiCode(), rk, sark, false, false);
    }

    public static Request preemptAndAbort(long rk, long sark, PrType type) {
        return build(PrOutAction.PREEMPT_AND_ABORT, type.scsiCode(), rk, sark, false, false);
    }

    /**
     * Any service action with raw fields, for tests and scenarios that send what a well-behaved
     * client would not (bad types, odd flags).
     */
    public static Request raw(int serviceAction, int typeCode, long rk, long sark, boolean allTgPt, boolean aptpl) {
        byte[] cdb = Cdb.prOut(serviceAction, typeCode);
        return new Request(PrOutAction.of(serviceAction & 0x1f).orElse(null), cdb,
                Cdb.prOutParams(rk, sark, allTgPt, aptpl));
    }

    /**
     * The PR OUT request for a parsed blkpr-style command, sent the way sd.c sends it: APTPL as
     * asked (sd.c always sets it on REGISTER), never ALL_TG_PT or SPEC_I_PT.
     *
     * @throws IllegalArgumentException for a PR IN command (read-keys etc.)
     */
    public static Request of(PrCommand c, boolean aptpl) {
        long rk = c.reservationKey();
        long sark = c.serviceActionKey();
        return switch (c.verb()) {
            case REGISTER -> c.ignoreKey() ? registerAndIgnore(sark, aptpl, false) : register(rk, sark, aptpl, false);
            case RESERVE -> reserve(rk, c.type().orElseThrow());
            case RELEASE -> release(rk, c.type().orElseThrow());
            case CLEAR -> clear(rk);
            case PREEMPT -> preempt(rk, sark, c.type().orElseThrow());
            case PREEMPT_ABORT -> preemptAndAbort(rk, sark, c.type().orElseThrow());
            default -> throw new IllegalArgumentException(c.verb().cliName() + " is not a PR OUT command");
        };
    }

    private static Request build(PrOutAction a, int type, long rk, long sark, boolean allTgPt, boolean aptpl) {
        return new Request(a, Cdb.prOut(a.code(), type), Cdb.prOutParams(rk, sark, allTgPt, aptpl));
    }
}
