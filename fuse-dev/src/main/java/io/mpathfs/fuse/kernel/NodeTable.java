package io.mpathfs.fuse.kernel;

import io.mpathfs.fuse.files.DeviceFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node ids the kernel knows the mount's files by. The tree of one mount is fixed when it is
 * assembled, so every path gets its id once, at start (the root is 1, as FUSE requires), and
 * FORGET has nothing to free.
 */
final class NodeTable {
    static final long ROOT = 1;

    private final List<String> paths = new ArrayList<>();
    private final Map<String, Long> ids = new HashMap<>();

    NodeTable(DeviceFiles files) {
        paths.add(null); // node id 0 is not a node
        add("/");
        for (int i = 1; i < paths.size(); i++) {
            List<String> names = files.list(paths.get(i));
            if (names != null) {
                for (String n : names) {
                    add(child(paths.get(i), n));
                }
            }
        }
    }

    private void add(String path) {
        ids.put(path, (long) paths.size());
        paths.add(path);
    }

    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /** The path of a node id, or null for an id we never gave out. */
    String path(long nodeId) {
        return nodeId > 0 && nodeId < paths.size() ? paths.get((int) nodeId) : null;
    }

    /** The node id of a path, or 0 when there is no such file. */
    long id(String path) {
        Long id = ids.get(path);
        return id == null ? 0 : id;
    }

    /** The parent directory's path ("/" for the root itself). */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
