package io.mpathfs.backends.sim;

import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.scsi.AluaState;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded SPC-4 target: one simulated logical unit reachable through N target ports by any
 * number of initiator ports ("hosts" A, B, C …; A is this host). Each (host, target port) pair is
 * an I_T nexus, named like "B2"; this host's nexuses are also its paths "sim:1" (A1), "sim:2" (A2) …
 *
 * <pre>
 * SimTarget t = SimTarget.create(SimConfig.builder().targetPorts(2).build());
 * DevicePath p0 = t.path(0);                  // host A through target port 1
 * ScsiChannel b1 = t.nexus("B", 1);           // another host, for PR scenarios
 * t.path(1).nexus().setOnline(false);         // fault injection
 * SimTarget z = t.hostView("Z");              // another host's paths to the same LU (a second cluster node)
 * </pre>
 */
public final class SimTarget implements Closeable {
    /** The host this process plays; its nexuses are the paths. */
    public static final String LOCAL_HOST = "A";
    private static final Pattern SHORT_NAME = Pattern.compile("([A-Za-z])([0-9]{1,2})");

    private final SimLogicalUnit lu;
    /**
     * Every I_T nexus any host has used, shared by every view of the LU (and its lock): one
     * SimNexus per nexus, whichever view names it first.
     */
    private final Map<NexusId, SimNexus> nexuses;
    /** The host whose paths this view holds: {@link #LOCAL_HOST}, or another cluster node's. */
    private final String host;
    /** The view that created the LU closes it; the other hosts' views leave it to that one. */
    private final boolean ownsLu;
    private final List<SimPath> paths = new ArrayList<>();
    private volatile Consumer<SimPath> pathAdded = p -> { };

    private SimTarget(SimLogicalUnit lu, Map<NexusId, SimNexus> nexuses, String host, boolean ownsLu) {
        this.lu = lu;
        this.nexuses = nexuses;
        this.host = host;
        this.ownsLu = ownsLu;
    }

    /** Builds the LU (restoring APTPL state of a file-backed one) and this host's path per target port. */
    public static SimTarget create(SimConfig config) throws IOException {
        SimTarget t = new SimTarget(new SimLogicalUnit(config), new LinkedHashMap<>(), LOCAL_HOST, true);
        t.addPathsThroughEveryPort();
        return t;
    }

    /**
     * Another host's view of the same LU: its own path per target port (nexuses H1..HN), its own
     * "path add", the same LU and nexuses. Two cluster nodes on one target: each mounts its
     * view's paths. Closing a view leaves the LU to the view that created it.
     */
    public SimTarget hostView(String otherHost) {
        String h = otherHost.toUpperCase(Locale.ROOT);
        initiatorName(h); // one letter, else refused
        if (h.equals(host)) {
            throw new IllegalArgumentException("host " + h + " is this view's own host");
        }
        SimTarget v = new SimTarget(lu, nexuses, h, false);
        v.addPathsThroughEveryPort();
        return v;
    }

    /** The host whose paths this view holds ("A" unless made by {@link #hostView}). */
    public String host() {
        return host;
    }

    private void addPathsThroughEveryPort() {
        for (TargetPort p : lu.ports()) {
            addPathFor(p.relativeId());
        }
    }

    public SimConfig config() {
        return lu.config();
    }

    public SimLogicalUnit logicalUnit() {
        return lu;
    }

    /** The initiator port name of a host letter ("A" → "iqn.2024-01.io.mpathfs:host-a"). */
    public String initiatorName(String host) {
        if (host.length() != 1 || !Character.isLetter(host.charAt(0))) {
            throw new IllegalArgumentException("a host is one letter, A to Z: " + quote(host));
        }
        char h = Character.toLowerCase(host.charAt(0));
        return config().transport() == SimConfig.Transport.SAS
                ? String.format("naa.5001405%09x", 0xa00 + (h - 'a'))
                : "iqn.2024-01.io.mpathfs:host-" + h;
    }

    /** The host letter of an initiator port name made by {@link #initiatorName}, else the name. */
    public String hostOf(String initiator) {
        for (char h = 'A'; h <= 'Z'; h++) {
            if (initiatorName(String.valueOf(h)).equals(initiator)) {
                return String.valueOf(h);
            }
        }
        return initiator;
    }

    /** The names of every I_T nexus some host has used so far ("A1", "B2", …). */
    public List<String> nexusNames() {
        synchronized (nexuses) {
            return nexuses.values().stream().map(SimNexus::name).toList();
        }
    }

    /** The I_T nexus of a host through a target port (1..N); created (with 29/00 pending) on first use. */
    public SimNexus nexus(String host, int targetPort) {
        if (targetPort < 1 || targetPort > targetPortCount()) {
            throw new IllegalArgumentException("no target port " + targetPort + " (the LU has "
                    + targetPortCount() + ")");
        }
        NexusId id = new NexusId(initiatorName(host), targetPort);
        synchronized (nexuses) {
            return nexuses.computeIfAbsent(id, k -> new SimNexus(lu, k, host.toUpperCase(Locale.ROOT) + targetPort));
        }
    }

    /** By short name: "A1", "b2". */
    public SimNexus nexus(String shortName) {
        Matcher m = SHORT_NAME.matcher(shortName.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("a nexus is a host letter and a target port, like B2: "
                    + quote(shortName));
        }
        return nexus(m.group(1), Integer.parseInt(m.group(2)));
    }

    public synchronized List<SimPath> paths() {
        return List.copyOf(paths);
    }

    /** This host's index-th path, counted from 0: "sim:(index + 1)", through target port index + 1. */
    public synchronized SimPath path(int index) {
        if (index < 0 || index >= paths.size()) {
            throw new IllegalArgumentException("no path sim:" + (index + 1) + " (there are " + paths.size() + ")");
        }
        return paths.get(index);
    }

    /** This view's path by name ("sim:2"). */
    public synchronized Optional<SimPath> path(String name) {
        return paths.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * A new target port on the LU and this host's path through it (a path appearing at run time);
     * the path-added listener hears of it after this returns it.
     */
    public SimPath addPath() {
        SimPath p;
        synchronized (this) {
            p = addPathFor(lu.addTargetPort().relativeId());
        }
        pathAdded.accept(p);
        return p;
    }

    /** Who hears of paths added at run time ({@link #addPath()}, "path add" in ctl/sim): the multipath device. */
    public void setPathAddedListener(Consumer<SimPath> listener) {
        this.pathAdded = listener == null ? p -> { } : listener;
    }

    /** A new target port without a path for this host (other hosts may use it). */
    public int addTargetPort() {
        return lu.addTargetPort().relativeId();
    }

    public int targetPortCount() {
        return lu.ports().size();
    }

    private synchronized SimPath addPathFor(int port) {
        // Named by its target port, as the view and the nexus name (host letter and port) number it.
        SimPath p = new SimPath("sim:" + port, nexus(host, port), config().blockSize());
        paths.add(p);
        return p;
    }

    /** The LU's identity as every path reports it ("naa.6001405…"). */
    public String identity() {
        return lu.identity();
    }

    /** The array moves a target port group to a state (implicit ALUA): 2A/06 to its ports' nexuses. */
    public void setGroupState(int group, AluaState state) {
        requireAlua();
        lu.setGroupState(group, state);
    }

    /** The array moves target port N (1..) into a group. */
    public void movePort(int targetPort, int group) {
        requireAlua();
        lu.movePort(targetPort, group);
    }

    /** Every target port back in the default group, active/optimized; other groups forgotten. */
    public void resetPortGroups() {
        requireAlua();
        lu.resetPortGroups();
    }

    private void requireAlua() {
        if (config().tpgs() == 0) {
            throw new IllegalArgumentException("the LU has no target port groups (TPGS 0: no ALUA)");
        }
    }

    public PrSnapshot prSnapshot() {
        return lu.snapshot();
    }

    public void powerCycle() {
        lu.powerCycle();
    }

    /** A status view like {@code sg_persist -i -s}: registrations per I_T nexus, reservation, PRgeneration. */
    public String describe() {
        PrSnapshot s = lu.snapshot();
        SimConfig c = config();
        String groups = lu.describeGroups();
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s %s  %s  serial %s%n", c.vendor(), c.product(), identity(), c.unitSerial()));
        b.append(String.format("capacity %d bytes (%d blocks of %d)  target ports %d%n", c.capacityBytes(),
                c.blocks(), c.blockSize(), targetPortCount()));
        if (!groups.isEmpty()) {
            b.append(String.format("Target port groups (TPGS %d):%n", c.tpgs())).append(groups);
        }
        b.append(String.format("PRgeneration 0x%x  APTPL %s%n", s.generation(), s.aptplActive() ? "active" : "inactive"));
        if (s.type() == null) {
            b.append("Reservation: none\n");
        } else {
            long key = s.registration(s.holder()).map(PrSnapshot.Entry::key).orElse(0L);
            b.append(String.format("Reservation: %s (%s)  %s%n", s.type().description(), s.type().blkprName(),
                    s.type().allRegistrants() ? "held by every registrant"
                            : "holder " + shortName(s.holder()) + " key " + PrKeys.hex(key)));
        }
        if (s.registrations().isEmpty()) {
            b.append("Registrations: none\n");
        } else {
            b.append("Registrations:\n");
            for (PrSnapshot.Entry e : s.registrations()) {
                b.append(String.format("  %-4s port %d  key %-18s %-7s %-10s %s%n", shortName(e.nexus()),
                        e.nexus().targetPort(), PrKeys.hex(e.key()), e.holder() ? "holder" : "",
                        e.allTgPt() ? "all_tg_pt" : "", e.nexus().initiator()));
            }
        }
        b.append("Paths (host ").append(host).append("):\n");
        for (SimPath p : paths()) {
            SimNexus n = p.nexus();
            b.append(String.format("  %-6s %-4s %s%s%n", p.name(), n.name(), n.online() ? "online" : "offline",
                    n.latencyMs() > 0 ? "  latency " + n.latencyMs() + " ms" : ""));
        }
        if (!s.pendingUnitAttentions().isEmpty()) {
            b.append("Pending unit attentions (only the first is reported):\n");
            s.pendingUnitAttentions().entrySet().stream()
                    .sorted((x, y) -> shortName(x.getKey()).compareTo(shortName(y.getKey())))
                    .forEach(e -> b.append(String.format("  %-4s %s%n", shortName(e.getKey()),
                            String.join(" ", e.getValue()))));
        }
        return b.toString();
    }

    /**
     * A name as given, for a message that ctl/sim answers with: cut, printable ASCII only, so the
     * answer stays one short line whatever was written.
     */
    private static String quote(String name) {
        String t = name.length() > 40 ? name.substring(0, 40) : name;
        StringBuilder b = new StringBuilder("'");
        for (char c : t.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.append(name.length() > 40 ? "...'" : "'").toString();
    }

    /** "B2" for a nexus of a lettered host, else "initiator@port". */
    public String shortName(NexusId n) {
        String host = hostOf(n.initiator());
        return host.length() == 1 ? host + n.targetPort() : host + "@" + n.targetPort();
    }

    @Override
    public void close() {
        if (ownsLu) {
            lu.close();
        }
    }
}
