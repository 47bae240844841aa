package io.mpathfs.control.ctl;

import io.mpathfs.control.pr.PrCoordinator;

/** ctl/status: key, reservation, holder path, per-path registration, gate state, policy. Read-only. */
public final class StatusControl implements ControlFile {
    private final PrCoordinator coordinator;

    public StatusControl(PrCoordinator coordinator) {
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
}
