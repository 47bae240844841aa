package io.mpathfs.backends.scenario;

import io.mpathfs.backends.sim.SimControl;
import io.mpathfs.backends.sim.SimTarget;
import java.util.List;

/** {@link TargetAdmin} of the embedded target: the same commands as its ctl/sim. */
public final class SimTargetAdmin implements TargetAdmin {
    private final SimTarget target;
    private final SimControl control;

    public SimTargetAdmin(SimTarget target) {
        this.target = target;
        this.control = new SimControl(target);
    }

    @Override
    public void run(List<String> words) throws Exception {
        String answer = control.execute(String.join(" ", words));
        if (answer.startsWith("error:")) {
            throw new IllegalStateException(answer.strip());
        }
    }

    @Override
    public void reset() {
        target.resetPortGroups();
    }
}
