package io.mpathfs.fuse;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.sim.SimControl;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.ctl.CommandLine;
import io.mpathfs.control.ctl.ControlFile;
import io.mpathfs.control.ctl.CtlException;
import java.util.List;

/**
 * ctl/sim on a mount of the embedded target: the target's side (what sg_persist -i -s would show)
 * and its commands (see {@link SimControl}). A path added with "path add" joins the device at once,
 * as multipathd adds a new path on its uevent — registered first when a key is set.
 */
public final class SimControlFile implements ControlFile {
    private final SimTarget target;
    private final SimControl control;
    private final MultipathDevice device;

    public SimControlFile(SimTarget target, MultipathDevice device) {
        this.target = target;
        this.control = new SimControl(target);
        this.device = device;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public String view() {
        return control.read();
    }

    @Override
    public String execute(String line) throws CtlException {
        List<String> w = CommandLine.words(line);
        String out = control.execute(line);
        if (out.startsWith("error:")) {
            throw CtlException.invalid(out.substring("error:".length()).strip());
        }
        if (w.size() == 2 && w.get(0).equals("path") && w.get(1).equals("add")) {
            String name = out.strip();
            SimPath p = target.paths().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("new path " + name + " not found"));
            try {
                device.addPath(p);
            } catch (PathException e) {
                throw new CtlException(e.errno(), "path " + name + " created but not added: " + e.getMessage());
            }
        }
        return out;
    }
}
