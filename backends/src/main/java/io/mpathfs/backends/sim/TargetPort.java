package io.mpathfs.backends.sim;

/**
 * A target port of the simulated LU: its relative target port identifier (1..N, what READ FULL
 * STATUS and VPD 0x83 report) and its name (the SCSI name string in VPD 0x83).
 */
record TargetPort(int relativeId, String name) {
}
