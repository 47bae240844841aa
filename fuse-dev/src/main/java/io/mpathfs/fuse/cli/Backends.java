package io.mpathfs.fuse.cli;

import io.mpathfs.backends.scsidevice.PathOpeners;
import io.mpathfs.control.ctl.PathOpener;

/** Which backend serves a path given on the command line. */
final class Backends {
    private Backends() {
    }

    static PathOpener opener() {
        return PathOpeners::open;
    }
}
