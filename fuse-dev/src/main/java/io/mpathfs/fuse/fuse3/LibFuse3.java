package io.mpathfs.fuse.fuse3;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;

/**
 * The few functions of libfuse3's high-level API that mpathfs calls (libfuse3.so.3, 3.12 or later).
 * fuse_new and fuse_loop_mt are versioned symbols whose plain names resolve to the oldest ABI; the
 * explicit fuse_new_31 / fuse_loop_mt_312 are the ones fuse.h maps to for FUSE_USE_VERSION 312+.
 */
public interface LibFuse3 {
    String SONAME = "fuse3";

    /** struct fuse *fuse_new_31(struct fuse_args *, const struct fuse_operations *, size_t, void *). */
    Pointer fuse_new_31(Pointer args, Pointer operations, @size_t long operationsSize, Pointer userData);

    int fuse_mount(Pointer fuse, String mountPoint);

    void fuse_unmount(Pointer fuse);

    void fuse_destroy(Pointer fuse);

    void fuse_exit(Pointer fuse);

    Pointer fuse_get_session(Pointer fuse);

    int fuse_session_fd(Pointer session);

    /** Replaces the session's read/writev on /dev/fuse (struct fuse_custom_io); fd stays the mounted one. */
    int fuse_session_custom_io(Pointer session, Pointer customIo, int fd);

    Pointer fuse_loop_cfg_create();

    void fuse_loop_cfg_destroy(Pointer config);

    void fuse_loop_cfg_set_max_threads(Pointer config, int value);

    void fuse_loop_cfg_set_idle_threads(Pointer config, int value);

    void fuse_loop_cfg_set_clone_fd(Pointer config, int value);

    int fuse_loop_mt_312(Pointer fuse, Pointer config);

    /** Loads libfuse3.so.3, or says why it cannot. */
    static LibFuse3 load() {
        return LibraryLoader.create(LibFuse3.class).failImmediately().load(SONAME);
    }
}
