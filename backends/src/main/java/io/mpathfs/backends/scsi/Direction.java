package io.mpathfs.backends.scsi;

/** Data direction of a command: none, parameter data to the device, or data from it. */
public enum Direction { NONE, TO_DEVICE, FROM_DEVICE }
