package io.mpathfs.backends.scsi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * REPORT TARGET PORT GROUPS (MAINTENANCE IN, service action 0Ah) and SET TARGET PORT GROUPS
 * (MAINTENANCE OUT, 0Ah): the CDBs and their data, in SPC-4's length-only format.
 */
public final class TargetPortGroups {
    public static final int MAINTENANCE_IN = 0xa3, MAINTENANCE_OUT = 0xa4, SA_TARGET_PORT_GROUPS = 0x0a;
    /** Supported-state bits of a descriptor's second byte: T, O, U, S, AN, AO. */
    public static final int SUPPORTS_ALL = 0x80 | 0x40 | 0x08 | 0x04 | 0x02 | 0x01;
    /** INQUIRY byte 5 TPGS: implicit (01b) and explicit (10b) asymmetric access. */
    public static final int TPGS_IMPLICIT = 0x1, TPGS_EXPLICIT = 0x2;

    /** One target port group as reported: id, state, PREF bit, and its relative target ports. */
    public record Group(int id, AluaState state, boolean preferred, List<Integer> ports) {
    }

    private TargetPortGroups() {
    }

    public static byte[] reportCdb(int allocLen) {
        byte[] c = new byte[12];
        c[0] = (byte) MAINTENANCE_IN;
        c[1] = SA_TARGET_PORT_GROUPS;
        Cdb.putInt(c, 6, allocLen);
        return c;
    }

    public static byte[] setCdb(int paramLen) {
        byte[] c = new byte[12];
        c[0] = (byte) MAINTENANCE_OUT;
        c[1] = SA_TARGET_PORT_GROUPS;
        Cdb.putInt(c, 6, paramLen);
        return c;
    }

    /** The parameter list of SET TARGET PORT GROUPS asking one group for one state. */
    public static byte[] setParams(int groupId, AluaState state) {
        byte[] p = new byte[8];
        p[4] = (byte) state.code();
        p[6] = (byte) (groupId >> 8);
        p[7] = (byte) groupId;
        return p;
    }

    /** The TPGS bits of standard INQUIRY data (0 when the LU has no asymmetric access). */
    public static int tpgs(byte[] inquiry) {
        return inquiry == null || inquiry.length < 6 ? 0 : (inquiry[5] >> 4) & 0x3;
    }

    /** Encodes REPORT TARGET PORT GROUPS data (length-only format). */
    public static byte[] encode(List<Group> groups, List<Integer> statusCodes) {
        int len = 0;
        for (Group g : groups) {
            len += 8 + 4 * g.ports().size();
        }
        byte[] b = new byte[4 + len];
        Cdb.putInt(b, 0, len);
        int off = 4;
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            b[off] = (byte) ((g.preferred() ? 0x80 : 0) | g.state().code());
            b[off + 1] = (byte) SUPPORTS_ALL;
            b[off + 2] = (byte) (g.id() >> 8);
            b[off + 3] = (byte) g.id();
            b[off + 5] = (byte) (int) statusCodes.get(i);
            b[off + 7] = (byte) g.ports().size();
            off += 8;
            for (int p : g.ports()) {
                b[off + 2] = (byte) (p >> 8);
                b[off + 3] = (byte) p;
                off += 4;
            }
        }
        return b;
    }

    /** Decodes REPORT TARGET PORT GROUPS data; stops at what the buffer or the length holds. */
    public static List<Group> decode(byte[] b) {
        List<Group> out = new ArrayList<>();
        if (b == null || b.length < 4) {
            return out;
        }
        int end = (int) Math.min(b.length, 4 + Integer.toUnsignedLong(Cdb.getInt(b, 0)));
        int off = 4;
        while (off + 8 <= end) {
            Optional<AluaState> s = AluaState.fromCode(b[off] & 0x0f);
            int id = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
            int count = b[off + 7] & 0xff;
            List<Integer> ports = new ArrayList<>();
            int p = off + 8;
            for (int i = 0; i < count && p + 4 <= end; i++, p += 4) {
                ports.add(((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff));
            }
            if (s.isPresent()) {
                out.add(new Group(id, s.get(), (b[off] & 0x80) != 0, List.copyOf(ports)));
            }
            off = p;
        }
        return out;
    }

    /** Decodes a SET TARGET PORT GROUPS parameter list: (group id, state code) per descriptor. */
    public static List<int[]> decodeSetParams(byte[] p, int len) {
        List<int[]> out = new ArrayList<>();
        int end = Math.min(len, p == null ? 0 : p.length);
        for (int off = 4; off + 4 <= end; off += 4) {
            out.add(new int[] {((p[off + 2] & 0xff) << 8) | (p[off + 3] & 0xff), p[off] & 0x0f});
        }
        return out;
    }
}
