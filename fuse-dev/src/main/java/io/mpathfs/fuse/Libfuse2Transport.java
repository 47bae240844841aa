package io.mpathfs.fuse;

import io.mpathfs.fuse.files.FuseTransport;
import io.mpathfs.fuse.files.MountFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The portable transport: libfuse2's loop under jnr-fuse, with {@link MpathFs} adapting its callbacks. */
public final class Libfuse2Transport implements FuseTransport {
    private final MpathFs fs;
    private final String deviceName;

    public Libfuse2Transport(MountFiles files) {
        this.fs = new MpathFs(files);
        this.deviceName = files.device().name();
    }

    @Override
    public String name() {
        return "libfuse2";
    }

    /**
     * FUSE options: big writes, a stable fsname (mpathfs:NAME) that mount/df/umount show, and
     * default_permissions always, so the kernel enforces the files' owners and modes (root:disk 0660
     * for disk, root-only control files) for every user allow_other lets in.
     */
    List<String> options() {
        List<String> o = new ArrayList<>(List.of("-o", "big_writes", "-o", "max_write=131072",
                "-o", "fsname=mpathfs:" + deviceName, "-o", "subtype=mpathfs",
                "-o", "default_permissions"));
        if ("root".equals(System.getProperty("user.name"))) {
            o.addAll(List.of("-o", "allow_other"));
        }
        return o;
    }

    @Override
    public void mount(Path mountPoint, boolean blocking, Runnable onServing) {
        fs.setOnServing(onServing);
        fs.mount(mountPoint, blocking, false, options().toArray(new String[0]));
    }

    @Override
    public void umount() {
        fs.umount();
    }
}
