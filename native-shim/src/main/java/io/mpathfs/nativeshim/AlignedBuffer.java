package io.mpathfs.nativeshim;

import jnr.ffi.Pointer;
import jnr.ffi.byref.PointerByReference;

/**
 * Native memory aligned for O_DIRECT (posix_memalign). O_DIRECT needs buffer, offset and length
 * aligned to the logical block size; FUSE hands us unaligned buffers, so the data path bounces
 * through these. Not thread-safe; one owner at a time. Free with {@link #close()}.
 */
public final class AlignedBuffer implements AutoCloseable {
    public static final int ALIGNMENT = 4096;

    private final Pointer pointer;
    private final int capacity;
    /** False for a view of memory owned elsewhere: close() leaves it alone. */
    private final boolean owned;
    private boolean freed;

    private AlignedBuffer(Pointer pointer, int capacity, boolean owned) {
        this.pointer = pointer;
        this.capacity = capacity;
        this.owned = owned;
    }

    public static AlignedBuffer allocate(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        PointerByReference ref = new PointerByReference();
        int rc = Native.LIBC.posix_memalign(ref, ALIGNMENT, capacity);
        if (rc != 0) {
            // posix_memalign returns the error number instead of setting errno.
            throw new OutOfMemoryError("posix_memalign(" + capacity + "): " + Errno.name(rc));
        }
        Pointer raw = ref.getValue();
        // Re-wrap with a known size so bounds are checked by jnr on get/put.
        Pointer sized = Native.RUNTIME.getMemoryManager().newPointer(raw.address(), capacity);
        return new AlignedBuffer(sized, capacity, true);
    }

    /**
     * An aligned region of memory owned elsewhere (e.g. the data part of a FUSE request buffer), so
     * a path can read or write it O_DIRECT without a bounce copy. Closing the view frees nothing.
     */
    public static AlignedBuffer view(long address, int capacity) {
        if (address % ALIGNMENT != 0 || capacity <= 0) {
            throw new IllegalArgumentException("not an aligned region: 0x" + Long.toHexString(address) + "+" + capacity);
        }
        return new AlignedBuffer(Native.RUNTIME.getMemoryManager().newPointer(address, capacity), capacity, false);
    }

    public Pointer pointer() {
        check();
        return pointer;
    }

    public int capacity() {
        return capacity;
    }

    public long address() {
        return pointer.address();
    }

    public void get(int offset, byte[] dst, int dstOff, int len) {
        check();
        pointer.get(offset, dst, dstOff, len);
    }

    public void put(int offset, byte[] src, int srcOff, int len) {
        check();
        pointer.put(offset, src, srcOff, len);
    }

    /** Copies from this buffer to any native memory (e.g. the FUSE buffer) without a Java array. */
    public void copyTo(int offset, Pointer dst, long dstOff, int len) {
        check();
        pointer.transferTo(offset, dst, dstOff, len);
    }

    /** Copies from any native memory into this buffer. */
    public void copyFrom(int offset, Pointer src, long srcOff, int len) {
        check();
        src.transferTo(srcOff, pointer, offset, len);
    }

    public void zero(int offset, int len) {
        check();
        pointer.setMemory(offset, len, (byte) 0);
    }

    private void check() {
        if (freed) {
            throw new IllegalStateException("aligned buffer already freed");
        }
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            if (!owned) {
                return;
            }
            Native.LIBC.free(Native.RUNTIME.getMemoryManager().newPointer(pointer.address()));
        }
    }
}
