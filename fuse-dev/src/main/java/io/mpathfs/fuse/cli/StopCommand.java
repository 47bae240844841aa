package io.mpathfs.fuse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Unmounts one configured device; its daemon exits. What mpathfs@ALIAS.service stops with. */
@Command(mixinStandardHelpOptions = true, name = "stop", description = "Unmount one configured device; "
        + "its daemon exits.")
final class StopCommand implements Callable<Integer> {
    @Mixin
    OneConfiguredDevice configured;

    @Override
    public Integer call() throws Exception {
        return UmountCommand.unmount(configured.device().mountPoint(), System.err);
    }
}
