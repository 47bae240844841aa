package io.mpathfs.control.ctl;

import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.policy.PathSelectors;
import java.util.List;

/** ctl/policy: shows the IO policy; writing a policy name (or "set NAME") switches to it. */
public final class PolicyControl implements ControlFile {
    private final MultipathDevice device;

    public PolicyControl(MultipathDevice device) {
        this.device = device;
    }

    @Override
    public String name() {
        return "policy";
    }

    @Override
    public String view() {
        return device.selector().name() + "\n";
    }

    @Override
    public String execute(String line) throws CtlException {
        List<String> w = CommandLine.words(line);
        String name = w.size() == 2 && w.get(0).equals("set") ? w.get(1) : w.size() == 1 ? w.get(0) : null;
        if (name == null || !PathSelectors.names().contains(name)) {
            throw CtlException.invalid("unknown policy " + CommandLine.quote(String.join(" ", w)) + " (one of "
                    + String.join(", ", PathSelectors.names()) + ")");
        }
        device.setPolicy(name);
        return "ok";
    }
}
