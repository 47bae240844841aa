package io.mpathfs.control.dst;

import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrSyntaxException;
import io.mpathfs.backends.pr.PrType;
import java.util.SplittableRandom;

/**
 * The commands the simulation draws: ours through the multipath device (blkpr syntax, as ctl/pr
 * takes it) and the other hosts' on their own nexus. Mostly what a cluster does — register,
 * reserve, preempt the other node, change type — with a share of wrong keys and wrong types,
 * whose refusals must match a single device's too.
 */
final class Moves {
    static final long[] OUR_KEYS = {0xa1, 0xa2};
    static final int LBAS = 8;

    private Moves() {
    }

    static PrType type(SplittableRandom r) {
        PrType[] all = PrType.values();
        return all[r.nextInt(all.length)];
    }

    /**
     * One of our commands. current: the coordinator's key (0: none); held: the type we believe we
     * hold, or null.
     */
    static PrCommand ours(SplittableRandom r, long current, PrType held) {
        long cur = current != 0 ? current : OUR_KEYS[r.nextInt(2)];
        long other = cur == OUR_KEYS[0] ? OUR_KEYS[1] : OUR_KEYS[0];
        long k = r.nextInt(12) == 0 ? other : cur; // now and then the wrong key
        String t = " -t " + type(r).blkprName();
        String victim = hex(r.nextBoolean() ? 0xb1 : 0xc1);
        int d = r.nextInt(100);
        String line;
        if (d < 20) {
            line = "-c register -k " + hex(cur);
        } else if (d < 26) {
            line = "-c register -K " + hex(cur) + " -k " + hex(other);
        } else if (d < 36) {
            line = "-c register -k " + hex(k) + " -f ignore-key";
        } else if (d < 44) {
            line = "-c register -K " + hex(cur) + " -k 0";
        } else if (d < 62) {
            line = "-c reserve -k " + hex(k) + t;
        } else if (d < 70) {
            line = "-c release -k " + hex(k) + (held != null && r.nextInt(4) != 0 ? " -t " + held.blkprName() : t);
        } else if (d < 78) {
            line = "-c preempt -K " + hex(k) + " -k " + victim + t;
        } else if (d < 89) {
            line = "-c preempt -K " + hex(cur) + " -k " + hex(cur) + t; // type change / moving our reservation
        } else if (d < 92) {
            line = "-c preempt-abort -K " + hex(k) + " -k " + (r.nextBoolean() ? victim : hex(cur)) + t;
        } else if (d < 96) {
            line = "-c clear -k " + hex(k);
        } else if (d < 98) {
            line = "-c read-keys";
        } else {
            line = "-c read-reservation";
        }
        return parse(line);
    }

    /**
     * Our PREEMPT (or PREEMPT AND ABORT) with service action key 0: under an all-registrants
     * reservation it removes every other registration — our other nexuses' too, which one device,
     * whose only nexus is the issuer, keeps — and takes the reservation with the new type;
     * without one the LU refuses it (ILLEGAL REQUEST). current: the coordinator's key (0: none).
     */
    static PrCommand oursPreemptingAll(SplittableRandom r, long current) {
        long cur = current != 0 ? current : OUR_KEYS[r.nextInt(2)];
        String verb = r.nextInt(4) == 0 ? "preempt-abort" : "preempt";
        return parse("-c " + verb + " -K " + hex(cur) + " -k 0 -t " + type(r).blkprName());
    }

    /** One command of another host (its own key: B 0xb1, C 0xc1), or an IO of it. */
    static UserOp foreign(SplittableRandom r, String host, long ourKey, int pattern) {
        long own = host.equals("B") ? 0xb1 : 0xc1;
        long otherHost = host.equals("B") ? 0xc1 : 0xb1;
        long victim = r.nextInt(10) < 7 ? ourKey : otherHost;
        String t = " -t " + type(r).blkprName();
        int d = r.nextInt(100);
        String line;
        if (d < 25) {
            line = "-c register -k " + hex(own) + " -f ignore-key";
        } else if (d < 32) {
            line = "-c register -k 0 -f ignore-key";
        } else if (d < 48) {
            line = "-c reserve -k " + hex(own) + t;
        } else if (d < 55) {
            line = "-c release -k " + hex(own) + t;
        } else if (d < 77) {
            line = "-c preempt -K " + hex(own) + " -k " + hex(victim) + t;
        } else if (d < 84) {
            line = "-c preempt-abort -K " + hex(own) + " -k " + hex(victim) + t;
        } else if (d < 90) {
            line = "-c clear -k " + hex(own);
        } else {
            boolean write = r.nextBoolean();
            return new UserOp.IoOp(host, write, r.nextInt(LBAS), write ? pattern : 0);
        }
        PrCommand c = parse(line);
        return new UserOp.PrOutOp(host, line, PrOut.of(c, false));
    }

    static String hex(long k) {
        return PrKeys.hex(k);
    }

    private static PrCommand parse(String line) {
        try {
            return PrCommand.parse(line);
        } catch (PrSyntaxException e) {
            throw new IllegalStateException("the simulation drew a malformed command: " + line + ": " + e.getMessage());
        }
    }
}
