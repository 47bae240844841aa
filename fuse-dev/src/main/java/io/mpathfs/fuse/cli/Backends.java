package io.mpathfs.fuse.cli;

import io.mpathfs.backends.file.FilePath;
import io.mpathfs.control.ctl.PathOpener;

/** Which backend serves a path given on the command line. */
final class Backends {
    private Backends() {
    }

    static PathOpener opener() {
        return io.mpathfs.backends.scsi.device.PathOpeners::open;
    }
}
