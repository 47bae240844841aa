package io.mpathfs.backends.scsidevice;

/**
 * A SCSI disk as sysfs shows it: kernel name (sdb), LU identifier (naa.6001405..., normalised),
 * vendor and model from INQUIRY, size in bytes, and H:C:T:L of its SCSI device.
 */
public record BlockDeviceInfo(String name, String identity, String vendor, String model, long sizeBytes, String hctl) {
    /** multipath's WWID for the identifier: NAA designators get the designator type 3 in front. */
    public String multipathWwid() {
        return identity.startsWith("naa.") ? "3" + identity.substring(4) : identity;
    }
}
