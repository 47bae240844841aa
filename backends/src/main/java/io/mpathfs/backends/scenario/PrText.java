package io.mpathfs.backends.scenario;

import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.TransportId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back what ctl/pr prints for read-full-status and read-reservation (mpathpersist's
 * {@code -i -s} / {@code -i -r} text, as fence agents parse it), and puts raw READ FULL STATUS
 * data in the same shape, so the runner compares one form whichever way it looked.
 */
final class PrText {
    /** One READ FULL STATUS descriptor; initiator = the TransportID as {@link TransportId#describe} shows it. */
    record Registration(long key, boolean allTgPt, int relativeTargetPort, boolean holder, int typeCode,
                        String initiator) {
    }

    /** READ RESERVATION: key and type code, or none. */
    record Held(long key, int typeCode) {
    }

    private static final Pattern KEY = Pattern.compile("^\\s*Key = 0x([0-9a-f]+)\\s*$");
    private static final Pattern PORT = Pattern.compile("^\\s*Relative port address: 0x([0-9a-f]+)\\s*$");
    private static final Pattern SCOPE_TYPE = Pattern.compile("^\\s*scope\\s*[:=].*type\\s*[:=]\\s*(.+?)\\s*$");

    private PrText() {
    }

    static List<Registration> of(FullStatusData d) {
        List<Registration> out = new ArrayList<>();
        for (FullStatusData.Descriptor x : d.descriptors()) {
            out.add(new Registration(x.key(), x.allTgPt(), x.relativeTargetPort(), x.holder(), x.typeCode(),
                    TransportId.describe(x.transportId())));
        }
        return out;
    }

    /** ctl/pr read-full-status: per descriptor a Key line, port lines, holder lines, then the initiator line. */
    static List<Registration> fullStatus(String text) {
        List<Registration> out = new ArrayList<>();
        Long key = null;
        boolean allTgPt = false, holder = false;
        int port = 0, type = 0;
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = KEY.matcher(line)).matches()) {
                key = Long.parseUnsignedLong(m.group(1), 16);
                allTgPt = holder = false;
                port = type = 0;
            } else if (key == null || line.contains("PR generation")) {
                continue;
            } else if (line.contains("All target ports bit set")) {
                allTgPt = true;
            } else if (line.contains("All target ports bit clear")) {
                allTgPt = false;
            } else if ((m = PORT.matcher(line)).matches()) {
                port = Integer.parseInt(m.group(1), 16);
            } else if (line.contains("<< Reservation holder >>")) {
                holder = true;
            } else if ((m = SCOPE_TYPE.matcher(line)).matches()) {
                type = typeCode(m.group(1));
            } else if (line.contains("not reservation holder")) {
                holder = false;
            } else if (!line.isBlank()) {
                out.add(new Registration(key, allTgPt, port, holder, type, line.strip()));
                key = null;
            }
        }
        return out;
    }

    /** ctl/pr read-reservation. */
    static Optional<Held> reservation(String text) {
        if (text.contains("NO reservation held")) {
            return Optional.empty();
        }
        Long key = null;
        int type = -1;
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = KEY.matcher(line)).matches()) {
                key = Long.parseUnsignedLong(m.group(1), 16);
            } else if ((m = SCOPE_TYPE.matcher(line)).matches()) {
                type = typeCode(m.group(1));
            }
        }
        if (key == null || type < 0) {
            throw new IllegalArgumentException("read-reservation output not understood: " + text.strip());
        }
        return Optional.of(new Held(key, type));
    }

    /** sg_persist's type wording back to the code ("Write Exclusive, registrants only" → 5). */
    static int typeCode(String description) {
        for (PrType t : PrType.values()) {
            if (t.description().equalsIgnoreCase(description)) {
                return t.scsiCode();
            }
        }
        Matcher m = Pattern.compile("\\[(\\d+)]").matcher(description);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        throw new IllegalArgumentException("unknown reservation type wording: " + description);
    }
}
