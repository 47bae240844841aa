package io.mpathfs.fuse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Unmounts one configured device; its daemon exits. What mpathfs@ALIAS.service stops with. */
@Command(mixinStandardHelpOptions = true, name = "stop", description = "Unmount one configured device; "
        + "its daemon exits.")
final class StopCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "ALIAS")
    String alias;

    @Override
    public Integer call() throws Exception {
        return UmountCommand.unmount(config.load().device(alias).mountPoint(), System.err);
    }
}
