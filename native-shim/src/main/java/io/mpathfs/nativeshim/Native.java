package io.mpathfs.nativeshim;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** The one loaded libc binding, shared by the shim. */
public final class Native {
    public static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    public static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {
    }

    /** errno of the last failed call on this thread. */
    public static int lastErrno() {
        return RUNTIME.getLastError();
    }
}
