package io.mpathfs.control.policy;

/** What a path selector reads of a path: the device keeps these counts per path as IO runs. */
public interface PathLoad {
    /** IOs in flight on the path now. */
    int inFlight();

    /** Bytes of the IOs in flight on the path now. */
    long inFlightBytes();

    /** Measured throughput, bytes per microsecond (an average); 0 before the first measurement. */
    double throughput();
}
