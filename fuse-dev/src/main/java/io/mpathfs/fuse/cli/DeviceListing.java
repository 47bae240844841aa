package io.mpathfs.fuse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What `mpathfs list` shows of one running device, read from its mount: ctl/status (identity,
 * PR state, reservation, policy) and ctl/paths (each path's state, registration and counters).
 * A daemon that does not answer within a few seconds is shown as such; listing never hangs on it.
 */
record DeviceListing(Path mountPoint, String error, Map<String, String> status, List<Map<String, Object>> paths,
        long sizeBytes) {
    private static final long ANSWER_SECONDS = 5;

    static DeviceListing read(Path mountPoint) {
        CompletableFuture<DeviceListing> f = CompletableFuture.supplyAsync(() -> readNow(mountPoint));
        try {
            return f.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return failed(mountPoint, "not answering within " + ANSWER_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(mountPoint, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return failed(mountPoint, String.valueOf(e.getCause()));
        }
    }

    private static DeviceListing failed(Path mountPoint, String why) {
        return new DeviceListing(mountPoint, why, Map.of(), List.of(), -1);
    }

    private static DeviceListing readNow(Path mountPoint) {
        try {
            Map<String, String> status = new LinkedHashMap<>();
            for (String l : Files.readAllLines(mountPoint.resolve("ctl/status"))) {
                int sp = l.indexOf(' ');
                if (sp > 0 && !l.startsWith("path ")) {
                    status.put(l.substring(0, sp), l.substring(sp + 1));
                }
            }
            List<Map<String, Object>> paths = new ArrayList<>();
            for (String l : Files.readAllLines(mountPoint.resolve("ctl/paths"))) {
                String[] w = l.trim().split("\\s+");
                if (w.length < 2) {
                    continue;
                }
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("device", w[0]);
                p.put("state", w[1]);
                for (int i = 2; i < w.length; i++) {
                    int eq = w[i].indexOf('=');
                    if (eq > 0) {
                        String v = w[i].substring(eq + 1);
                        p.put(w[i].substring(0, eq), v.matches("\\d+") ? (Object) Long.parseLong(v) : v);
                    }
                }
                paths.add(p);
            }
            return new DeviceListing(mountPoint, null, status, paths, Files.size(mountPoint.resolve("disk")));
        } catch (IOException e) {
            // e.g. "…/ctl/status: Transport endpoint is not connected": a stale mount, its daemon gone
            return failed(mountPoint, e.getMessage());
        }
    }

    /** The device as JSON-ready maps: name, identity, mount point, size, PR state and the paths. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", status.getOrDefault("device", mountPoint.getFileName() == null ? "" : mountPoint.getFileName().toString()));
        m.put("mount_point", mountPoint.toString());
        if (error != null) {
            m.put("error", error);
            return m;
        }
        m.put("identity", status.get("identity"));
        m.put("size_bytes", sizeBytes);
        m.put("policy", status.get("policy"));
        m.put("pr_state", status.get("pr-state"));
        m.put("key", status.get("key"));
        m.put("reservation", status.get("reservation"));
        m.put("holder", status.get("holder"));
        m.put("gate", status.get("gate"));
        m.put("paths", paths);
        return m;
    }

    /** multipath -ll's shape: a header line, a line of settings and PR state, a tree of paths. */
    String toText() {
        String name = String.valueOf(toMap().get("name"));
        if (error != null) {
            return name + " " + mountPoint + " error: " + error + "\n";
        }
        StringBuilder b = new StringBuilder();
        b.append(name).append(" (").append(status.get("identity")).append(") ").append(mountPoint).append('\n');
        b.append("size=").append(Sizes.human(sizeBytes)).append(" policy='").append(status.get("policy"))
                .append("' pr=").append(status.get("pr-state")).append(" key=").append(status.get("key"))
                .append(" reservation=").append(status.get("reservation")).append(" holder=")
                .append(status.get("holder")).append(" gate=").append(status.get("gate")).append('\n');
        for (int i = 0; i < paths.size(); i++) {
            Map<String, Object> p = paths.get(i);
            b.append(i == paths.size() - 1 ? "`- " : "|- ").append(p.get("device")).append(' ').append(p.get("state"))
                    .append(" registered=").append(p.get("registered")).append(" io=").append(p.get("io"))
                    .append(" errors=").append(p.get("errors")).append(" inflight=").append(p.get("inflight"))
                    .append('\n');
        }
        return b.toString();
    }
}
