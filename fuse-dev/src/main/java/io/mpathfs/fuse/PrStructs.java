package io.mpathfs.fuse;

import jnr.ffi.Pointer;

/**
 * The structs of the block layer's PR ioctls (include/uapi/linux/pr.h), as FUSE hands them over in
 * a restricted ioctl's data: each read whole from its offsets here, the one place that knows them.
 */
final class PrStructs {
    private PrStructs() {
    }

    /** struct pr_registration { u64 old_key; u64 new_key; u32 flags; u32 pad; } */
    record Registration(long oldKey, long newKey, int flags) {
        static final int SIZE = 24;

        static Registration read(Pointer d) {
            return new Registration(d.getLong(0), d.getLong(8), d.getInt(16));
        }
    }

    /** struct pr_reservation { u64 key; u32 type; u32 flags; } */
    record Reservation(long key, int type, int flags) {
        static final int SIZE = 16;

        static Reservation read(Pointer d) {
            return new Reservation(d.getLong(0), d.getInt(8), d.getInt(12));
        }
    }

    /** struct pr_preempt { u64 old_key (ours, RK); u64 new_key (the victim, SARK); u32 type; u32 flags; } */
    record Preempt(long oldKey, long newKey, int type, int flags) {
        static final int SIZE = 24;

        static Preempt read(Pointer d) {
            return new Preempt(d.getLong(0), d.getLong(8), d.getInt(16), d.getInt(20));
        }
    }

    /** struct pr_clear { u64 key; u32 flags; u32 pad; } */
    record Clear(long key, int flags) {
        static final int SIZE = 16;

        static Clear read(Pointer d) {
            return new Clear(d.getLong(0), d.getInt(8));
        }
    }

    /** struct pr_held_reservation { u64 key; u32 generation; u32 type; } (Linux 6.19). */
    record HeldReservation(long key, int generation, int type) {
        static final int SIZE = 16;

        void write(Pointer d) {
            d.putLong(0, key);
            d.putInt(8, generation);
            d.putInt(12, type);
        }

        static HeldReservation read(Pointer d) {
            return new HeldReservation(d.getLong(0), d.getInt(8), d.getInt(12));
        }
    }
}
