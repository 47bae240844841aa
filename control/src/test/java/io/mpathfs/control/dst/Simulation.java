package io.mpathfs.control.dst;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.DeviceIoException;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathChecker;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathState;
import io.mpathfs.control.dst.Linearizations.Event;
import io.mpathfs.control.dst.UserOp.Outcome;
import io.mpathfs.control.pr.Holding;
import io.mpathfs.control.pr.KeysFile;
import io.mpathfs.control.pr.PrCoordinator;
import io.mpathfs.control.pr.PrResult;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One seeded run: our host's multipath device over the embedded target (2-4 paths) with the PR
 * coordinator, host B and C acting on the same LU, path faults, path additions and IO — all
 * interleaved by one random seed, on one thread, so the same seed replays the same run. Each step
 * draws from its own random stream (seed, step), so a step can be left out when shrinking without
 * changing what the others do.
 *
 * <p>Checked after every operation: its answer must be one a single device could give (see
 * {@link Linearizations}); IO with no usable path must be EIO. At quiescence (every few steps,
 * after the checker ran and the coordinator's queued checks were done): our usable paths all carry
 * the same key, which is the single device's key for us, the whole PR state folds to a
 * single-device state, and the coordinator and the keys file agree with it.
 *
 * <p>This class draws the steps and runs our side (commands, IO, path faults, restarts, the
 * scheduler's turns between the coordinator's commands); the other hosts are {@link OtherHosts},
 * the array's target port group moves {@link PortGroupMoves}, the checks {@link OneDeviceChecks},
 * the reading of our answers {@link CoordinatorAnswers}.
 */
final class Simulation {
    private final long seed;
    private final int steps;
    private final Set<Integer> skip;
    private final Schedule schedule;
    /** This run's LU has two target port groups that the array moves (drawn per seed, on a stream of its own). */
    private final boolean alua;
    /** The array's moves of the target port groups; null in runs without ALUA. */
    private PortGroupMoves groups;
    private OtherHosts others;
    private OneDeviceChecks oneDevice;
    private final List<String> trace = new ArrayList<>();
    private final Linearizations lin = new Linearizations();
    private final List<Runnable> deferred = new ArrayList<>();

    private SimTarget target;
    private MultipathDevice device;
    private DeterministicExecution exec;
    private PrCoordinator pr;
    private PathChecker checker;
    /** The daemon running now (a restart replaces it). */
    private Daemon daemon;
    private Path dir;
    private KeysFile keysFile;
    private String policy;
    private DaemonRestart restarts;
    /** Our daemon is starting: the mount serves no IO yet. */
    private boolean starting;

    private int step;
    private SplittableRandom rng;
    /** Other hosts' operations and our IO since the current top-level step began, in target order. */
    private List<Event> during = new ArrayList<>();
    private boolean quiet;
    private boolean inTurn;
    private boolean ourRegisterInFlight;
    private int pattern = 1;
    private int added;
    int checks;
    /** The run stopped where a key of ours lingers on an unreachable path (see OneDeviceChecks). */
    boolean endedEarly;
    private boolean lingeredThisStep;

    /** Ends a run whose LU no single device explains any more (see OneDeviceChecks.beyondOneDevice). */
    private static final class Lingering extends RuntimeException {
        Lingering() {
            super(null, null, false, false);
        }
    }

    Simulation(long seed, int steps, Set<Integer> skip) {
        this(seed, steps, skip, Schedule.CURRENT);
    }

    /** A seed pinned in a test replays with the schedule it was found with (see Schedule). */
    Simulation(long seed, int steps, Set<Integer> skip, Schedule schedule) {
        this.seed = seed;
        this.steps = steps;
        this.skip = skip;
        this.schedule = schedule;
        this.alua = PortGroupMoves.drawn(seed, schedule.restarts());
    }

    /** Runs the whole schedule; null when every check held, else the first violation. */
    SimulationFailure run() {
        try {
            setUp();
            for (step = 0; step < steps; step++) {
                if (skip.contains(step)) {
                    continue;
                }
                rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 1);
                if (restartNow()) {
                    restart();
                } else if (groups != null && groups.now(step)) {
                    aluaTransition();
                } else {
                    doStep();
                }
                String beyond = beyondOneDevice();
                if (beyond != null) {
                    endedEarly = true;
                    trace.add("   ended early: " + beyond);
                    return null;
                }
                if (step % 8 == 7) {
                    quiesceAndCheck();
                }
            }
            step = steps;
            quiesceAndCheck();
            return null;
        } catch (Lingering l) {
            endedEarly = true;
            return null;
        } catch (SimulationFailure f) {
            return f;
        } catch (RuntimeException | IOException e) {
            StringBuilder where = new StringBuilder("exception: " + e);
            for (StackTraceElement f : Arrays.copyOf(e.getStackTrace(), Math.min(8, e.getStackTrace().length))) {
                where.append("\n      at ").append(f);
            }
            return new SimulationFailure(seed, step, where.toString(), trace);
        } finally {
            tearDown();
        }
    }

    List<String> trace() {
        return trace;
    }

    // ------------------------------------------------------------------ set-up

    private void setUp() throws IOException, PathException {
        SplittableRandom r0 = new SplittableRandom(seed);
        int n = 2 + r0.nextInt(3);
        String policy = new String[] {"round-robin", "round-robin", "round-robin", "failover", "queue-length"}[r0.nextInt(5)];
        this.policy = policy;
        target = SimTarget.create(SimConfig.builder().capacityBytes(SingleDevice.CAPACITY).targetPorts(n).build());
        if (alua) {
            groups = PortGroupMoves.setUp(seed, target, n, schedule.refusingPortsAndPreemptsOfAll(), trace);
        }
        others = new OtherHosts(target, groups == null ? 0 : groups.foreignPort(), trace);
        dir = Files.createTempDirectory("mpathfs-dst");
        keysFile = new KeysFile(dir.resolve("prkeys"));
        oneDevice = new OneDeviceChecks(target, lin, keysFile, () -> daemon, trace,
                port -> groups != null && groups.refusesPr(port));
        restarts = new DaemonRestart(target, trace);
        adopt(openDaemon());
        pr.start();
        trace.add("seed " + seed + ": " + n + " paths, policy " + policy + (alua ? ", two target port groups" : ""));
    }

    private Daemon openDaemon() throws PathException {
        return Daemon.open(target, policy, keysFile, this::between, alua);
    }

    private void adopt(Daemon d) {
        daemon = d;
        device = d.device();
        exec = d.exec();
        pr = d.pr();
        checker = d.checker();
    }

    private void tearDown() {
        if (checker != null) {
            checker.close();
        }
        if (pr != null) {
            pr.close();
        }
        if (device != null) {
            device.close();
        }
        if (target != null) {
            target.close();
        }
        lin.close();
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is no test failure
            }
        }
    }

    // ------------------------------------------------------------------ steps

    private void doStep() {
        others.newStep();
        lingeredThisStep = false;
        int d = rng.nextInt(100);
        if (d < 30) {
            ourCommand();
            return;
        }
        during = new ArrayList<>();
        if (d < 46) {
            foreign();
        } else if (d < 64) {
            ourIo();
        } else if (d < 73) {
            flipPath(false);
        } else if (d < 82) {
            flipPath(true);
        } else if (d < 90) {
            trace.add(step + ": checker round");
            checker.checkAll();
        } else if (d < 97) {
            trace.add(step + ": coordinator runs its queued work");
            exec.drain();
        } else {
            addPath();
        }
        settleEvents();
    }

    /**
     * Whether this step is a daemon restart: drawn from a stream of its own, so that a seed whose
     * steps draw no restart runs exactly as it did before restarts existed.
     */
    private boolean restartNow() {
        return schedule.restarts() && new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 2).nextInt(RESTART_ONE_IN) == 0;
    }

    private static final int RESTART_ONE_IN = 30;
    /**
     * Of our commands, one in this many is a PREEMPT with service action key 0 (one in
     * SARK_ZERO_HELD_ONE_IN while we hold an all-registrants reservation, where it matters).
     */
    private static final int SARK_ZERO_ONE_IN = 25;
    private static final int SARK_ZERO_HELD_ONE_IN = 4;

    /** The array moves its target port groups (see PortGroupMoves); IO that waited then goes. */
    private void aluaTransition() {
        groups.transition(rng, step);
        during = new ArrayList<>();
        settleEvents();
    }

    /** Our daemon restarts (see DaemonRestart); other hosts and path faults may come during its start. */
    private void restart() {
        others.newStep();
        lingeredThisStep = false;
        during = new ArrayList<>();
        if (groups != null) {
            groups.beforeOpen();
        }
        starting = true;
        try {
            restarts.restart(new Daemon(device, exec, pr, checker), rng, step, this::openDaemon, this::adopt);
        } catch (PathException e) {
            if (e.errorClass() != io.mpathfs.backends.ErrorClass.RESERVATION_CONFLICT) {
                throw new IllegalStateException("the daemon could not open its paths again: " + e, e);
            }
            // Under another host's exclusive-access reservation none of our nexuses may read the
            // capacity; one device would still be attached (with no capacity until it may read
            // it), the daemon does not start. What follows is no longer one device's.
            trace.add("   ended early: the daemon cannot start: " + e.getMessage());
            throw new Lingering();
        } finally {
            starting = false;
        }
        settleEvents();
    }

    /** Our PR command through the coordinator; other hosts and IO may come between its steps. */
    private void ourCommand() {
        Holding h = pr.holding();
        PrCommand c = Moves.ours(rng, pr.key(), h == null ? null : h.type());
        // Drawn on a stream of the step's own, after the step's stream drew as before: a seed that
        // draws no such preempt runs as it did before they were drawn.
        SplittableRandom sarkZero = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 6);
        if (schedule.refusingPortsAndPreemptsOfAll() && sarkZero.nextInt(h != null && h.type().allRegistrants() ? SARK_ZERO_HELD_ONE_IN
                : SARK_ZERO_ONE_IN) == 0) {
            c = Moves.oursPreemptingAll(sarkZero, pr.key());
        }
        UserOp op = c.verb().isPrOut() ? new UserOp.PrOutOp("A", c.toString(), PrOut.of(c, true))
                : new UserOp.PrInOp("A", c.verb() == PrCommand.Verb.READ_KEYS ? PrInAction.READ_KEYS
                : PrInAction.READ_RESERVATION);
        during = new ArrayList<>();
        ourRegisterInFlight = c.verb() == PrCommand.Verb.REGISTER;
        long usableBefore = device.paths().stream().filter(PathEntry::usable).count();
        PrResult r;
        try {
            r = pr.execute(c);
        } finally {
            ourRegisterInFlight = false;
        }
        if (c.verb() == PrCommand.Verb.REGISTER && device.paths().stream().filter(PathEntry::usable).count() < usableBefore) {
            // A path lost on the way kept its old key (the same limit as a path that was down
            // already, met a moment later): what other hosts saw of it meanwhile is not checked.
            lingeredThisStep = true;
        }
        Outcome seen = CoordinatorAnswers.observed(c, r);
        trace.add(step + ": ours " + c + " -> " + (seen == null ? "errno " + r.errno() + " " + r.text() : seen));
        if (seen == null && oneDevice.healthy()) {
            fail("our " + c + " failed with errno " + r.errno() + " (" + r.text() + ") while every path was healthy");
        }
        List<Event> meanwhile = during;
        during = new ArrayList<>();
        check(lin.overlapping(new Event(op, seen), meanwhile));
        settleEvents();
    }

    /** Host B or C acts (see OtherHosts). */
    private void foreign() {
        Event e = others.act(rng, pr.key(), pattern++, inTurn);
        if (e != null) {
            during.add(e);
            trace.add((inTurn ? "      meanwhile " : step + ": ") + e);
        }
    }

    private String beyondOneDevice() {
        return oneDevice.beyondOneDevice(ourRegisterInFlight);
    }

    private void ourIo() {
        boolean write = rng.nextBoolean();
        long lba = rng.nextInt(Moves.LBAS);
        int pat = write ? pattern++ : 0;
        Runnable io = () -> runOurIo(write, lba, pat);
        if (blocked(write)) {
            deferred.add(io);
            if (!inTurn) {
                trace.add(step + ": ours " + (write ? "write" : "read") + " lba " + lba + " waits (IO suspended)");
            }
        } else {
            io.run();
        }
    }

    private void runOurIo(boolean write, long lba, int pat) {
        UserOp.IoOp op = new UserOp.IoOp("A", write, lba, pat);
        if (groups != null && groups.transitioning() && oneDevice.noPortServesIo()) {
            groups.settle("our IO would wait for it");
        }
        checkUsableRegistered();
        Outcome seen;
        // Each IO its own buffer, as each IO thread of the daemon has: an IO may wait for the
        // coordinator, whose turn may run another IO (see DeterministicExecution.ioWaiting).
        try (AlignedBuffer buf = AlignedBuffer.allocate(UserOp.BLOCK)) {
            if (write) {
                buf.put(0, UserOp.block(pat), 0, UserOp.BLOCK);
                device.write(lba * UserOp.BLOCK, buf, UserOp.BLOCK);
                seen = Outcome.ok("");
            } else {
                device.read(lba * UserOp.BLOCK, buf, UserOp.BLOCK);
                byte[] b = new byte[4];
                buf.get(0, b, 0, 4);
                seen = Outcome.ok("data " + ByteBuffer.wrap(b).getInt());
            }
        } catch (DeterministicExecution.IoMustWait w) {
            // Never reached the LU (it waits for a reservation move): run it once the move is done.
            deferred.add(() -> runOurIo(write, lba, pat));
            trace.add((inTurn ? "      " : step + ": ") + op.describe() + " waits for the coordinator");
            return;
        } catch (DeviceIoException e) {
            if (e.errno() == Errno.EBADE) {
                seen = new Outcome(Outcome.Kind.CONFLICT, "");
            } else if (e.errno() == Errno.EIO && oneDevice.noUsablePath()) {
                trace.add((inTurn ? "      " : step + ": ") + op.describe() + " -> EIO, no usable path");
                return; // never reached the LU: nothing for the single device to do
            } else {
                seen = new Outcome(Outcome.Kind.OTHER, "errno " + e.errno() + ": " + e.getMessage());
            }
        }
        Event ev = new Event(op, seen);
        during.add(ev);
        trace.add((inTurn ? "      meanwhile " : step + ": ") + ev);
    }

    private void flipPath(boolean online) {
        List<SimPath> ps = target.paths();
        SimPath p = ps.get(rng.nextInt(ps.size()));
        if (p.nexus().online() != online) {
            p.nexus().setOnline(online);
            trace.add((inTurn ? "      meanwhile " : step + ": ") + "path " + p.name() + (online ? " back online" : " goes offline"));
        }
    }

    private void addPath() {
        if (added >= 2) {
            return;
        }
        added++;
        SimPath p = target.addPath();
        try {
            PathEntry e = device.addPath(new InterleavedPath(p, this::between));
            trace.add(step + ": path " + p.name() + (e.state() == PathState.ACTIVE ? " added"
                    : " added as failed: " + e.lastError()));
        } catch (PathException e) {
            trace.add(step + ": path " + p.name() + " refused: " + e.getMessage());
        }
    }

    /** The scheduler's turn between two of the coordinator's commands. */
    private static final boolean TRACE_COMMANDS = Boolean.getBoolean("dstCommands");

    private void between(String path, byte[] cdb, boolean after) {
        if (device == null) {
            return; // the first daemon's device learning its target port groups, before the run begins
        }
        if (starting && !after) {
            restarts.beforeCommand(path, cdb);
        }
        // While the coordinator starts, its key is not yet the keys file's: nothing lingers yet.
        if (!starting && !lingeredThisStep && beyondOneDevice() != null) {
            lingeredThisStep = true; // another host's command in this step may have met it
        }
        if (TRACE_COMMANDS && after) {
            trace.add(String.format("      (coordinator: %02x/%d on %s; holding %s)", cdb[0] & 0xff, cdb[1] & 0x1f, path, pr.holding()));
        }
        if (quiet || inTurn || rng == null) {
            return;
        }
        inTurn = true;
        try {
            int d = rng.nextInt(100);
            if (d < 12) {
                foreign();
            } else if (d < 17) {
                flipPath(rng.nextBoolean());
            } else if (d < 27 && !starting) {
                ourIo();
            }
        } finally {
            inTurn = false;
        }
    }

    /**
     * Applies what happened during a step that no oracle sees (path events, the coordinator's own
     * work) in target order, then lets IO that waited at the gate go.
     */
    private void settleEvents() {
        for (Event e : during) {
            check(lin.atomic(e));
        }
        during = new ArrayList<>();
        while (!deferred.isEmpty()) {
            Runnable io = deferred.remove(0);
            int guard = 0;
            while (blocked(true) || blocked(false)) {
                if (!exec.hasPosted() || ++guard > 10) {
                    fail("IO waits forever: " + (device.gate().suspended() ? "the gate stayed suspended"
                            : "a reservation move never finished"));
                }
                exec.drain();
            }
            io.run();
            for (Event e : during) {
                trace.add("      then " + e);
                check(lin.atomic(e));
            }
            during = new ArrayList<>();
        }
    }

    /** An IO thread would wait now: at the gate, or for a reservation move when no path may take it. */
    private boolean blocked(boolean write) {
        if (device.gate().suspended()) {
            return true;
        }
        if (!device.lifecycle().settling()) {
            return false;
        }
        List<PathEntry> usable = device.paths().stream().filter(PathEntry::usable).toList();
        return usable.isEmpty() || device.lifecycle().route(usable, write).isEmpty();
    }

    // ------------------------------------------------------------------ quiescence

    private void quiesceAndCheck() {
        quiet = true;
        try {
            for (int i = 0; i < 4; i++) {
                exec.drain();
                checker.checkAll();
            }
            exec.drain();
        } finally {
            quiet = false;
        }
        checks++;
        check(oneDevice.quiescentState());
    }

    // ------------------------------------------------------------------ helpers

    private void checkUsableRegistered() {
        check(oneDevice.usableRegistered());
    }

    private void check(String why) {
        if (why != null) {
            fail(why);
        }
    }

    private void fail(String why) {
        if (lingeredThisStep || beyondOneDevice() != null) {
            trace.add("   ended early at a violation where no single device explains the LU: " + why);
            throw new Lingering();
        }
        trace.add("   coordinator: " + pr.status().replace('\n', ';'));
        trace.add("   target: " + target.prSnapshot());
        throw new SimulationFailure(seed, step, why, trace);
    }
}
