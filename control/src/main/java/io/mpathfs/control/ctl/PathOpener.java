package io.mpathfs.control.ctl;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathException;

/** Opens the backend for a path name given on the command line or to "add DEV". */
@FunctionalInterface
public interface PathOpener {
    DevicePath open(String spec) throws PathException;
}
