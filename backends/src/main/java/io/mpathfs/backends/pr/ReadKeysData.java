package io.mpathfs.backends.pr;

import io.mpathfs.backends.scsi.Cdb;
import java.util.ArrayList;
import java.util.List;

/**
 * PERSISTENT RESERVE IN / READ KEYS data: PRgeneration and one key per registered I_T nexus (a
 * host with four registered paths shows its key four times).
 *
 * @param truncated the device announced more keys than the buffer held (allocation length too
 *                  small): {@link #keys()} is then incomplete
 */
public record ReadKeysData(int generation, List<Long> keys, boolean truncated) {
    public ReadKeysData {
        keys = List.copyOf(keys);
    }

    public ReadKeysData(int generation, List<Long> keys) {
        this(generation, keys, false);
    }

    /** Full data: ADDITIONAL LENGTH = 8 × keys, whatever the allocation length later cuts. */
    public byte[] encode() {
        byte[] b = new byte[8 + 8 * keys.size()];
        Cdb.putInt(b, 0, generation);
        Cdb.putInt(b, 4, 8 * keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Cdb.putLong(b, 8 + 8 * i, keys.get(i));
        }
        return b;
    }

    /**
     * @param data what the device returned (at least the 8 header bytes; trailing bytes past the
     *             additional length are ignored)
     * @throws IllegalArgumentException when shorter than the header
     */
    public static ReadKeysData decode(byte[] data) {
        if (data == null || data.length < 8) {
            throw new IllegalArgumentException("READ KEYS data shorter than its 8-byte header");
        }
        int generation = Cdb.getInt(data, 0);
        long additional = Integer.toUnsignedLong(Cdb.getInt(data, 4));
        long end = Math.min(8 + additional, data.length);
        List<Long> keys = new ArrayList<>();
        for (int off = 8; off + 8 <= end; off += 8) {
            keys.add(Cdb.getLong(data, off));
        }
        return new ReadKeysData(generation, keys, 8 + additional > data.length);
    }

    /** How many registrations carry this key. */
    public long count(long key) {
        return keys.stream().filter(k -> k == key).count();
    }
}
