package io.mpathfs.control.pr;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.control.PathEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Runs one PR OUT per path in parallel, so N paths cost about one command's latency. */
final class FanOut {
    /** One path's answer: a SCSI result, or the transport failure that prevented one. */
    record Outcome(PathEntry path, ScsiResult result, PathException failure) {
        boolean good() {
            return result != null && result.isGood();
        }

        boolean transportFailed() {
            return failure != null;
        }
    }

    @FunctionalInterface
    interface PathCall {
        ScsiResult call(PathEntry p) throws PathException;
    }

    private final Executor executor;

    FanOut(Executor executor) {
        this.executor = executor;
    }

    List<Outcome> run(List<PathEntry> paths, PathCall call) {
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        for (PathEntry p : paths) {
            fs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new Outcome(p, call.call(p), null);
                } catch (PathException e) {
                    return new Outcome(p, null, e);
                } catch (RuntimeException e) {
                    return new Outcome(p, null, PathException.pathFailure(p.name() + ": " + e));
                }
            }, executor));
        }
        List<Outcome> out = new ArrayList<>();
        for (CompletableFuture<Outcome> f : fs) {
            out.add(f.join());
        }
        return out;
    }
}
