package io.mpathfs.control.ctl;

import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.pr.PrCoordinator;

/**
 * ctl/status: key, reservation, holder path, per-path registration, gate state, policy, and the
 * target port groups (ALUA mode, then a line per group: id, state, this device's paths). Read-only.
 */
public final class StatusControl implements ControlFile {
    private final PrCoordinator coordinator;
    private final MultipathDevice device;

    public StatusControl(PrCoordinator coordinator, MultipathDevice device) {
        this.coordinator = coordinator;
        this.device = device;
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String view() {
        return coordinator.status() + device.alua().describe(device.paths());
    }

    @Override
    public String execute(String line) throws CtlException {
        throw CtlException.invalid("ctl/status is read-only");
    }
}
