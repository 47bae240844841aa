package io.mpathfs.control.pr;

import io.mpathfs.backends.pr.CapabilitiesData;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.pr.TransportId;

/**
 * PR IN results as text, in the format of mpathpersist -i -k / -i -r / -i -s / -i -c — cluster
 * fence agents (fence_mpath, fence_scsi) parse these lines.
 */
public final class PrFormat {
    private PrFormat() {
    }

    public static String keys(ReadKeysData d) {
        StringBuilder b = new StringBuilder(String.format("  PR generation=0x%x, ", d.generation()));
        int n = d.keys().size();
        if (n == 0) {
            return b.append("\t0 registered reservation key.\n").toString();
        }
        b.append(n == 1 ? "\t1 registered reservation key follows:\n"
                : "\t" + n + " registered reservation keys follow:\n");
        for (long k : d.keys()) {
            b.append(String.format("    0x%x%n", k));
        }
        return b.toString();
    }

    public static String reservation(ReadReservationData d) {
        if (!d.reserved()) {
            return String.format("  PR generation=0x%x, there is NO reservation held %n", d.generation());
        }
        return String.format("  PR generation=0x%x, Reservation follows:%n   Key = 0x%x%n  scope = %s, type = %s%n",
                d.generation(), d.key(), d.scope() == 0 ? "LU_SCOPE" : Integer.toString(d.scope()),
                PrType.describeScsiCode(d.typeCode()));
    }

    public static String fullStatus(FullStatusData d) {
        StringBuilder b = new StringBuilder(String.format("  PR generation=0x%x %n", d.generation()));
        for (FullStatusData.Descriptor x : d.descriptors()) {
            b.append(String.format("   Key = 0x%x%n", x.key()));
            if (x.allTgPt()) {
                b.append("      All target ports bit set\n");
            } else {
                b.append("      All target ports bit clear\n");
                b.append(String.format("      Relative port address: 0x%x%n", x.relativeTargetPort()));
            }
            if (x.holder()) {
                b.append("      << Reservation holder >>\n");
                b.append("      scope: ").append(x.scope() == 0 ? "LU_SCOPE, " : x.scope() + " ")
                        .append(" type: ").append(PrType.describeScsiCode(x.typeCode())).append('\n');
            } else {
                b.append("      not reservation holder\n");
            }
            b.append("   ").append(TransportId.describe(x.transportId())).append('\n');
        }
        return b.toString();
    }

    public static String capabilities(CapabilitiesData c) {
        StringBuilder b = new StringBuilder("Report capabilities response:\n");
        b.append("  Compatible Reservation Handling(CRH): ").append(c.crh() ? 1 : 0).append('\n');
        b.append("  Specify Initiator Ports Capable(SIP_C): ").append(c.sipC() ? 1 : 0).append('\n');
        b.append("  All Target Ports Capable(ATP_C): ").append(c.atpC() ? 1 : 0).append('\n');
        b.append("  Persist Through Power Loss Capable(PTPL_C): ").append(c.ptplC() ? 1 : 0).append('\n');
        b.append("  Type Mask Valid(TMV): ").append(c.tmv() ? 1 : 0).append('\n');
        return b.toString();
    }
}
