package io.mpathfs.control.ctl;

import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.pr.PrCoordinator;

/** ctl/status: key, reservation, holder path, per-path registration, gate state, policy. Read-only. */
public final class StatusControl implements ControlFile {
    private final MultipathDevice device;
    private final PrCoordinator coordinator;

    public StatusControl(MultipathDevice device, PrCoordinator coordinator) {
        this.device = device;
        this.coordinator = coordinator;
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String view() {
        return coordinator.status();
    }

    @Override
    public String execute(String line) throws CtlException {
        throw CtlException.invalid("ctl/status is read-only");
    }

    MultipathDevice device() {
        return device;
    }
}
