package io.mpathfs.backends.scenario;

import io.mpathfs.backends.pr.PrIn;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrOutAction;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.TargetPortGroups;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a command step's verb and arguments into the CDB and data buffer to send. Built when the
 * step runs, because READ/WRITE buffer sizes depend on the device's block size; parsing builds once
 * with 512 to catch mistakes early.
 *
 * <pre>
 * register sark=K [rk=K] [aptpl] [all-tg-pt]     register-ignore sark=K [aptpl] [all-tg-pt]
 * reserve rk=K type=T        release rk=K type=T        clear rk=K
 * preempt rk=K sark=K type=T                       preempt-abort rk=K sark=K type=T
 * prout sa=N [rk=K] [sark=K] [type=T] [scope=N] [len=N] [flags=N]   (raw PR OUT; flags = byte 20)
 * read-keys | read-reservation | read-full-status | report-capabilities [alloc=N]
 * prin sa=N [alloc=N]
 * tur    inquiry [page=N] [evpd=0|1] [alloc=N]    read-capacity [alloc=N]    read-capacity10
 * report-luns [alloc=N]    request-sense [alloc=N]
 * read lba=N [blocks=N] [size=10|16] [fill=B]      (fill: every byte read must be B)
 * write lba=N [blocks=N] [size=10|16] [fill=B]     (fill: the byte written, default 0)
 * sync [lba=N] [blocks=N]
 * cdb HEX [in=N] [out=HEX] [out-len=N]            (any CDB; in = bytes to read)
 * rtpg [alloc=N]                                  REPORT TARGET PORT GROUPS
 * stpg group=G state=ao|ano|standby|unavailable|transitioning|N   SET TARGET PORT GROUPS, one descriptor
 * </pre>
 * Types are blkpr names (write-exclusive, …) or raw codes (type=2 sends an invalid type).
 */
final class CommandBuilder {
    /** What to send, and for a read with fill=, what every data byte must be. */
    record Built(byte[] cdb, Direction dir, byte[] data, Integer expectFill) {
    }

    private static final Map<String, Set<String>> ARGS = Map.ofEntries(
            Map.entry("register", Set.of("rk", "sark", "aptpl", "all-tg-pt")),
            Map.entry("register-ignore", Set.of("sark", "aptpl", "all-tg-pt")),
            Map.entry("reserve", Set.of("rk", "type")),
            Map.entry("release", Set.of("rk", "type")),
            Map.entry("clear", Set.of("rk")),
            Map.entry("preempt", Set.of("rk", "sark", "type")),
            Map.entry("preempt-abort", Set.of("rk", "sark", "type")),
            Map.entry("prout", Set.of("sa", "rk", "sark", "type", "scope", "len", "flags")),
            Map.entry("read-keys", Set.of("alloc")),
            Map.entry("read-reservation", Set.of("alloc")),
            Map.entry("read-full-status", Set.of("alloc")),
            Map.entry("report-capabilities", Set.of("alloc")),
            Map.entry("prin", Set.of("sa", "alloc")),
            Map.entry("tur", Set.of()),
            Map.entry("inquiry", Set.of("page", "evpd", "alloc")),
            Map.entry("read-capacity", Set.of("alloc")),
            Map.entry("read-capacity10", Set.of()),
            Map.entry("report-luns", Set.of("alloc")),
            Map.entry("request-sense", Set.of("alloc")),
            Map.entry("read", Set.of("lba", "blocks", "size", "fill")),
            Map.entry("write", Set.of("lba", "blocks", "size", "fill")),
            Map.entry("sync", Set.of("lba", "blocks")),
            Map.entry("cdb", Set.of("in", "out", "out-len")),
            Map.entry("rtpg", Set.of("alloc")),
            Map.entry("stpg", Set.of("group", "state")));

    private CommandBuilder() {
    }

    static boolean isVerb(String verb) {
        return ARGS.containsKey(verb);
    }

    static Built build(String verb, List<String> words, int blockSize) throws ScenarioSyntaxException {
        Set<String> allowed = ARGS.get(verb);
        if (allowed == null) {
            throw new ScenarioSyntaxException("unknown command '" + verb + "'");
        }
        byte[] rawCdb = null;
        if (verb.equals("cdb")) {
            if (words.isEmpty()) {
                throw new ScenarioSyntaxException("cdb needs the CDB bytes in hex");
            }
            rawCdb = hex(words.get(0), "cdb");
            words = words.subList(1, words.size());
        }
        Args a = Args.parse(verb, words, allowed);
        switch (verb) {
            case "register":
                return out(PrOut.register(a.number("rk", 0), a.required("sark"), a.flag("aptpl"), a.flag("all-tg-pt")));
            case "register-ignore":
                return out(PrOut.registerAndIgnore(a.required("sark"), a.flag("aptpl"), a.flag("all-tg-pt")));
            case "reserve":
                return out(PrOut.raw(PrOutAction.RESERVE.code(), a.typeCode("type", true), a.required("rk"), 0, false,
                        false));
            case "release":
                return out(PrOut.raw(PrOutAction.RELEASE.code(), a.typeCode("type", true), a.required("rk"), 0, false,
                        false));
            case "clear":
                return out(PrOut.clear(a.required("rk")));
            case "preempt":
            case "preempt-abort":
                int sa = verb.equals("preempt") ? PrOutAction.PREEMPT.code() : PrOutAction.PREEMPT_AND_ABORT.code();
                return out(PrOut.raw(sa, a.typeCode("type", true), a.required("rk"), a.required("sark"), false, false));
            case "prout":
                return rawPrOut(a);
            case "read-keys":
                return prIn(PrInAction.READ_KEYS.code(), a.number("alloc", PrIn.READ_KEYS_ALLOC));
            case "read-reservation":
                return prIn(PrInAction.READ_RESERVATION.code(), a.number("alloc", PrIn.READ_RESERVATION_ALLOC));
            case "read-full-status":
                return prIn(PrInAction.READ_FULL_STATUS.code(), a.number("alloc", PrIn.READ_FULL_STATUS_ALLOC));
            case "report-capabilities":
                return prIn(PrInAction.REPORT_CAPABILITIES.code(), a.number("alloc", PrIn.REPORT_CAPABILITIES_ALLOC));
            case "prin":
                return prIn((int) a.required("sa"), a.number("alloc", 0xfff0));
            case "tur":
                return new Built(Cdb.testUnitReady(), Direction.NONE, null, null);
            case "inquiry": {
                boolean evpd = a.flag("evpd") || (a.has("page") && !a.has("evpd"));
                int alloc = (int) limit(a.number("alloc", 255), 0xffff, "alloc");
                return in(Cdb.inquiry(evpd, (int) limit(a.number("page", 0), 0xff, "page"), alloc), alloc);
            }
            case "read-capacity": {
                int alloc = (int) limit(a.number("alloc", 32), 0xffff, "alloc");
                return in(Cdb.readCapacity16(alloc), alloc);
            }
            case "read-capacity10": {
                byte[] c = new byte[10];
                c[0] = (byte) Cdb.READ_CAPACITY_10;
                return in(c, 8);
            }
            case "report-luns": {
                int alloc = (int) limit(a.number("alloc", 64), 0xffff, "alloc");
                byte[] c = new byte[12];
                c[0] = (byte) Cdb.REPORT_LUNS;
                Cdb.putInt(c, 6, alloc);
                return in(c, alloc);
            }
            case "request-sense": {
                int alloc = (int) limit(a.number("alloc", 18), 0xff, "alloc");
                return in(new byte[] {0x03, 0, 0, 0, (byte) alloc, 0}, alloc);
            }
            case "read":
            case "write":
                return readWrite(verb.equals("write"), a, blockSize);
            case "rtpg": {
                int alloc = (int) limit(a.number("alloc", 1024), 0xffff, "alloc");
                return in(TargetPortGroups.reportCdb(alloc), alloc);
            }
            case "stpg": {
                int group = (int) limit(a.required("group"), 0xffff, "group");
                String st = a.text("state");
                if (st == null) {
                    throw new ScenarioSyntaxException("stpg needs state=");
                }
                Optional<AluaState> named = AluaState.fromShortName(st);
                int code = named.isPresent() ? named.get().code() : (int) limit(a.required("state"), 0xf, "state");
                byte[] params = TargetPortGroups.setParams(group, AluaState.ACTIVE_OPTIMIZED);
                params[4] = (byte) code;
                return new Built(TargetPortGroups.setCdb(params.length), Direction.TO_DEVICE, params, null);
            }
            case "sync": {
                byte[] c = Cdb.synchronizeCache10();
                Cdb.putInt(c, 2, (int) limit(a.number("lba", 0), 0xffffffffL, "lba"));
                int blocks = (int) limit(a.number("blocks", 0), 0xffff, "blocks");
                c[7] = (byte) (blocks >> 8);
                c[8] = (byte) blocks;
                return new Built(c, Direction.NONE, null, null);
            }
            default: // cdb
                if (a.has("out") || a.has("out-len")) {
                    byte[] data = a.has("out") ? hex(a.text("out"), "out")
                            : new byte[(int) limit(a.number("out-len", 0), 1 << 20, "out-len")];
                    return new Built(rawCdb, Direction.TO_DEVICE, data, null);
                }
                int inLen = (int) limit(a.number("in", 0), 1 << 20, "in");
                return new Built(rawCdb, inLen > 0 ? Direction.FROM_DEVICE : Direction.NONE,
                        inLen > 0 ? new byte[inLen] : null, null);
        }
    }

    private static Built rawPrOut(Args a) throws ScenarioSyntaxException {
        int sa = (int) limit(a.required("sa"), 0x1f, "sa");
        int len = (int) limit(a.number("len", 24), 0xffff, "len");
        byte[] cdb = Cdb.prOut(sa, a.typeCode("type", false));
        cdb[2] |= (byte) (limit(a.number("scope", 0), 0xf, "scope") << 4);
        Cdb.putInt(cdb, 5, len);
        byte[] params = Cdb.prOutParams(a.number("rk", 0), a.number("sark", 0), false, false);
        params[20] = (byte) limit(a.number("flags", 0), 0xff, "flags");
        return new Built(cdb, len == 0 ? Direction.NONE : Direction.TO_DEVICE,
                len == 0 ? null : Arrays.copyOf(params, len), null);
    }

    private static Built readWrite(boolean write, Args a, int blockSize) throws ScenarioSyntaxException {
        long lba = a.required("lba");
        int blocks = (int) limit(a.number("blocks", 1), 2048, "blocks");
        long size = a.number("size", 16);
        Integer fill = a.has("fill") ? (int) limit(a.required("fill"), 0xff, "fill") : null;
        byte[] cdb;
        if (size == 10) {
            cdb = write ? Cdb.write10(limit(lba, 0xffffffffL, "lba"), blocks) : Cdb.read10(limit(lba, 0xffffffffL, "lba"),
                    blocks);
        } else if (size == 16) {
            cdb = write ? Cdb.write16(lba, blocks) : Cdb.read16(lba, blocks);
        } else {
            throw new ScenarioSyntaxException("size is 10 or 16");
        }
        byte[] data = new byte[blocks * blockSize];
        if (write) {
            Arrays.fill(data, (byte) (fill == null ? 0 : fill));
            return new Built(cdb, Direction.TO_DEVICE, data, null);
        }
        return new Built(cdb, Direction.FROM_DEVICE, data, fill);
    }

    private static Built out(PrOut.Request r) {
        return new Built(r.cdb(), Direction.TO_DEVICE, r.params(), null);
    }

    private static Built prIn(int sa, long alloc) throws ScenarioSyntaxException {
        int a = (int) limit(alloc, 0xffff, "alloc");
        return in(Cdb.prIn((int) limit(sa, 0x1f, "sa"), a), a);
    }

    private static Built in(byte[] cdb, int alloc) {
        return new Built(cdb, alloc > 0 ? Direction.FROM_DEVICE : Direction.NONE, alloc > 0 ? new byte[alloc] : null,
                null);
    }

    private static long limit(long v, long max, String what) throws ScenarioSyntaxException {
        if (v < 0 || v > max) {
            throw new ScenarioSyntaxException(what + " must be 0.." + max);
        }
        return v;
    }

    private static byte[] hex(String s, String what) throws ScenarioSyntaxException {
        try {
            if (s.isEmpty() || s.length() % 2 != 0) {
                throw new IllegalArgumentException();
            }
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new ScenarioSyntaxException(what + " must be whole bytes in hex: '" + s + "'");
        }
    }
}
