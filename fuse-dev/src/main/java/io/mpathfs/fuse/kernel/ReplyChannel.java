package io.mpathfs.fuse.kernel;

import jnr.ffi.Pointer;

/** Where a worker's replies go: its /dev/fuse descriptor, or a test's capture. */
interface ReplyChannel {
    /** One reply in one piece: the out header and its arguments, len bytes from buf. */
    void send(Pointer buf, int len);

    /** A reply whose data lies elsewhere: the out header, then len bytes of data (READ's zero-copy answer). */
    void send(Pointer header, int headerLen, Pointer data, int len);
}
