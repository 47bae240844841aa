package io.mpathfs.control.ctl;

import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrSyntaxException;
import io.mpathfs.control.pr.PrCoordinator;
import io.mpathfs.control.pr.PrResult;

/**
 * ctl/pr: blkpr's options without the device, e.g. {@code -c register -k 0x1},
 * {@code -c reserve -k 0x1 -t exclusive-access-reg-only}, {@code -c read-keys}. A write runs the
 * command (EBADE conflict, EINVAL syntax, ENODEV no usable path, EOPNOTSUPP no PR on this backend);
 * a read on the same open file gives its output (mpathpersist format for read-keys and
 * read-reservation, "ok" for a PR OUT) or the one-line reason of a failure.
 */
public final class PrControl implements ControlFile {
    private final PrCoordinator coordinator;

    public PrControl(PrCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public String name() {
        return "pr";
    }

    @Override
    public String view() {
        return coordinator.status();
    }

    @Override
    public String execute(String line) throws CtlException {
        CommandLine.words(line); // one command per write, no control characters, bounded length
        PrCommand c;
        try {
            c = PrCommand.parse(line);
        } catch (PrSyntaxException e) {
            throw CtlException.invalid(e.getMessage());
        }
        PrResult r = coordinator.execute(c);
        if (!r.isOk()) {
            throw new CtlException(r.errno(), r.text());
        }
        return r.text().isEmpty() ? "ok" : r.text();
    }
}
