#!/usr/bin/env python3
"""make bench: fio against the mount's disk and against the raw backing path in the same run.

Raw paths are loop devices (direct IO) over one image on the host disk; mpathfs is mounted over
them three times: with the libfuse2 transport, with the kernel transport, and with the kernel
transport answering READ on disk without touching a path (-Dmpathfs.noopReads=true: the
transport's own ceiling). Every job runs on every target, interleaved, RUNS times; the table
reports medians and each ratio to raw, each daemon's RSS and thread count under load, the targets
met or not, and the failover stall. Writes BENCHMARKS.md (--out FILE elsewhere). Never runs in the
emulated lab guest: numbers there mean nothing.
"""
import argparse, json, os, platform, statistics, subprocess, sys, tempfile, threading, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
RUNTIME = int(os.environ.get("BENCH_SECONDS", "6"))
SIZE_MB = int(os.environ.get("BENCH_SIZE_MB", "1024"))

JOBS = [  # name, fio args
    ("seq read 1M qd1", ["--rw=read", "--bs=1m", "--iodepth=1", "--numjobs=1"]),
    ("seq read 1M qd16", ["--rw=read", "--bs=1m", "--iodepth=16", "--numjobs=1"]),
    ("seq write 1M qd1", ["--rw=write", "--bs=1m", "--iodepth=1", "--numjobs=1"]),
    ("seq write 1M qd16", ["--rw=write", "--bs=1m", "--iodepth=16", "--numjobs=1"]),
    ("rand read 4k 1 job", ["--rw=randread", "--bs=4k", "--iodepth=1", "--numjobs=1"]),
    ("rand read 4k 4 jobs", ["--rw=randread", "--bs=4k", "--iodepth=1", "--numjobs=4"]),
    ("rand write 4k 1 job", ["--rw=randwrite", "--bs=4k", "--iodepth=1", "--numjobs=1"]),
    ("rand write 4k 4 jobs", ["--rw=randwrite", "--bs=4k", "--iodepth=1", "--numjobs=4"]),
    # Deep queue: libfuse2 spawns a thread per concurrent request; the kernel transport has a fixed pool.
    ("rand read 4k qd32", ["--rw=randread", "--bs=4k", "--iodepth=32", "--numjobs=1"]),
]

# The targets: the kernel transport's ratio to raw for these jobs.
TARGETS = {
    "seq read 1M qd1": 0.85, "seq write 1M qd1": 0.85,
    "seq read 1M qd16": 0.9, "seq write 1M qd16": 0.9,
    "rand read 4k 1 job": 0.8, "rand write 4k 1 job": 0.8,
    "rand read 4k 4 jobs": 0.8, "rand write 4k 4 jobs": 0.8,
    "rand read 4k qd32": 0.7,
}
RSS_TARGET_MIB = 256

# name, mpathfs mount options, extra JVM options; "noop" serves only the read jobs.
TRANSPORTS = [
    ("libfuse2", ["--fuse", "libfuse2"], ""),
    ("kernel", ["--fuse", "kernel"], ""),
    # FUSE over io_uring: the module parameter is switched on for the mount only (a connection
    # that has the ring keeps it) and put back right after.
    ("uring", ["--fuse", "uring"], ""),
    ("noop", ["--fuse", "kernel"], "-Dmpathfs.noopReads=true"),
]


def sh(*cmd, check=True):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed: {r.stdout}{r.stderr}")
    return r.stdout.strip()


def fio(target, args, runtime=RUNTIME, extra=()):
    out = sh("fio", "--name=b", f"--filename={target}", "--direct=1", "--ioengine=libaio", "--time_based",
             f"--runtime={runtime}", f"--size={SIZE_MB // 2}m", "--group_reporting", "--output-format=json",
             *args, *extra)
    j = json.loads(out[out.index("{"):])["jobs"][0]
    bw = (j["read"]["bw_bytes"] + j["write"]["bw_bytes"]) / 1e6
    iops = j["read"]["iops"] + j["write"]["iops"]
    errs = j.get("error", 0)
    lat_max = max(j["read"]["clat_ns"]["max"], j["write"]["clat_ns"]["max"]) / 1e6
    return bw, iops, errs, lat_max


def proc_status(pid):
    d = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            d[k] = v.strip()
    return int(d["VmRSS"].split()[0]) // 1024, int(d["Threads"])


class Sampler(threading.Thread):
    """Samples the daemon's RSS and threads while a job runs."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.stop, self.rss, self.threads = pid, False, 0, 0

    def run(self):
        while not self.stop:
            try:
                r, t = proc_status(self.pid)
                self.rss, self.threads = max(self.rss, r), max(self.threads, t)
            except OSError:
                pass
            time.sleep(0.2)


class Daemon:
    def __init__(self, work, name, args, java_opts, loops):
        self.name = name
        self.mnt = os.path.join(work, "mpath-" + name)
        self.log = os.path.join(work, name + ".log")
        env = dict(os.environ, MPATHFS_JAVA_OPTS=java_opts)
        self.proc = subprocess.Popen([os.path.join(REPO, "bin/mpathfs"), "mount", *args, "--checker-interval", "1",
                                      self.mnt, *loops], stdout=open(self.log, "w"), stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 60
        while "serving" not in open(self.log).read():
            if self.proc.poll() is not None or time.time() > deadline:
                sys.exit(f"bench: {name} mount failed:\n" + open(self.log).read())
            time.sleep(0.1)
        self.disk = os.path.join(self.mnt, "disk")
        self.idle_threads = proc_status(self.proc.pid)[1]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def main():
    ap = argparse.ArgumentParser(description="fio: mpathfs (libfuse2, kernel transport) vs the raw path")
    ap.add_argument("--out", default=os.path.join(REPO, "BENCHMARKS.md"), help="report file (default: BENCHMARKS.md)")
    opts = ap.parse_args()
    if platform.machine() != "x86_64":
        sys.exit("bench: x86_64 only")
    if os.geteuid() != 0:
        sys.exit("bench: run as root (loop devices, and the kernel transport mounts with mount(2))")
    sh(os.path.join(REPO, "scripts/ensure-deps.sh"), "fio", "libfuse2", "fuse")
    work = tempfile.mkdtemp(prefix="mpathfs-bench-", dir="/var/tmp")
    img = os.path.join(work, "lu.img")
    with open(img, "wb") as f:  # a fully allocated image: sparse files measure the allocator
        chunk = os.urandom(1 << 20)
        for _ in range(SIZE_MB):
            f.write(chunk)
    loops = [sh("losetup", "-f", "--show", "--direct-io=on", img) for _ in range(2)]
    daemons, rows, fail = [], [], None
    load = [os.getloadavg()[0]]  # other work on the machine skews every ratio: reported with them
    try:
        for name, args, java in TRANSPORTS:
            if name == "uring":
                if uring_state() == "absent":
                    print("bench: no FUSE over io_uring in this kernel; the uring column stays empty", flush=True)
                    continue
                saved = uring_state()
                set_uring("Y")
                try:
                    daemons.append(Daemon(work, name, args, java, loops))
                finally:
                    set_uring(saved)
                continue
            daemons.append(Daemon(work, name, args, java, loops))
        for name, args in JOBS:
            results = {"raw": []}
            peaks = {}
            for _ in range(RUNS):  # interleaved: raw, libfuse2, kernel, uring, noop, raw, ...
                results["raw"].append(fio(loops[0], args))
                for d in daemons:
                    if d.name == "noop" and "read" not in name:
                        continue
                    s = Sampler(d.proc.pid)
                    s.start()
                    results.setdefault(d.name, []).append(fio(d.disk, args))
                    s.stop = True
                    s.join()
                    rss, thr = peaks.get(d.name, (0, 0))
                    peaks[d.name] = (max(rss, s.rss), max(thr, s.threads))
            key = 0 if "1M" in name else 1  # MB/s for sequential, IOPS for random
            med = {t: statistics.median(x[key] for x in v) for t, v in results.items()}
            errs = {t: sum(x[2] for x in v) for t, v in results.items()}
            rows.append((name, "MB/s" if key == 0 else "IOPS", med, peaks, errs))
            raw = med["raw"]
            print(f"{name:22} raw {raw:10.1f}  " + "  ".join(
                f"{t} {med[t]:10.1f} ({med[t] / raw:4.2f}x, {peaks[t][0]} MiB, {peaks[t][1]} thr)"
                for t in med if t != "raw"), flush=True)
        load.append(os.getloadavg()[0])
        kernel = next(d for d in daemons if d.name == "kernel")
        fail = failover_stall(kernel.disk, kernel.mnt, loops)
        idle = {d.name: d.idle_threads for d in daemons}
    finally:
        for d in daemons:
            d.stop()
        for l in loops:
            sh("losetup", "-d", l, check=False)
        os.remove(img)
    pr = sh(os.path.join(REPO, "bin/mpathfs"), "bench-pr", "--paths", "4", "--latency-ms", "2")
    print(pr, flush=True)
    write_report(rows, fail, pr, idle, load, opts.out)


def failover_stall(disk, mnt, loops):
    """Longest IO completion latency while the serving path is failed under a random-read load."""
    result = {}

    def run():
        result["fio"] = fio(disk, ["--rw=randread", "--bs=4k", "--iodepth=4", "--numjobs=1"], runtime=8)

    t = threading.Thread(target=run)
    t.start()
    time.sleep(2)
    for p in loops:  # fail every path but the last, then bring them back
        with open(os.path.join(mnt, "ctl/paths"), "w") as f:
            f.write(f"fail {p}\n")
        time.sleep(1.5)
        with open(os.path.join(mnt, "ctl/paths"), "w") as f:
            f.write(f"reinstate {p}\n")
        if p == loops[-2]:
            break
    t.join()
    bw, iops, errs, lat_max = result["fio"]
    print(f"failover stall: longest IO {lat_max:.1f} ms, errors {errs}", flush=True)
    return lat_max, errs


def set_uring(value):
    with open("/sys/module/fuse/parameters/enable_uring", "w") as f:
        f.write(value)


def uring_state():
    try:
        with open("/sys/module/fuse/parameters/enable_uring") as f:
            return f.read().strip()
    except OSError:
        return "absent"


def write_report(rows, fail, pr, idle, load, out):
    cpu = sh("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    cores = os.cpu_count()
    lines = ["# mpathfs benchmarks", "",
             f"Machine: {cores} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
             f"kernel {platform.release()} (fuse enable_uring: {uring_state()}). Raw path: a loop device (direct IO) over "
             f"a {SIZE_MB} MiB image on the host disk; mpathfs over two such loop devices, mounted four times: "
             "`--fuse libfuse2` (jnr-fuse), `--fuse kernel` (our transport on /dev/fuse alone), `--fuse uring` "
             "(the same transport with requests through io_uring: the default, on /dev/fuse where the kernel has no ring) and the kernel transport answering READ on disk without touching a path (no-op, the transport's own ceiling; read jobs "
             f"only). fio libaio, O_DIRECT, {RUNTIME} s per run, median of {RUNS} interleaved runs; ratio = mount / raw. "
             f"Load average (1 min) at the start and end of the fio runs: {load[0]:.1f} / {load[-1]:.1f}.", "",
             "Reproduce: `make bench` (as root).", "",
             "| job | unit | raw | libfuse2 | ratio | kernel | ratio | uring | ratio | no-op kernel | ratio | target | met (kernel) | met (uring) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    met_rows = []
    for name, unit, med, peaks, errs in rows:
        raw = med["raw"]
        def cell(t):
            return (f"{med[t]:.1f}", f"{med[t] / raw:.2f}") if t in med and raw else ("–", "–")
        l2, k, u, n = cell("libfuse2"), cell("kernel"), cell("uring"), cell("noop")
        target = TARGETS.get(name)
        lr = med["libfuse2"] / raw if raw else 0

        def verdict(t):
            if t not in med or not raw:
                return "–", None
            r = med[t] / raw
            ok = target is not None and r >= target and r >= lr
            return ("met" if ok else "**not met**") + ("" if r >= lr else " (below libfuse2)"), ok
        kv, kok = verdict("kernel")
        uv, uok = verdict("uring")
        met_rows.append((kok, uok))
        lines.append(f"| {name} | {unit} | {raw:.1f} | {l2[0]} | {l2[1]} | {k[0]} | {k[1]} | {u[0]} | {u[1]} | "
                     f"{n[0]} | {n[1]} | ≥ {target} | {kv} | {uv} |")
    daemons = [t for t in ("libfuse2", "kernel", "uring") if any(t in r[3] for r in rows)]
    peak_rss = {t: max(r[3][t][0] for r in rows if t in r[3]) for t in daemons}
    peak_thr = {t: max(r[3][t][1] for r in rows if t in r[3]) for t in daemons}
    errors = {t: sum(r[4].get(t, 0) for r in rows) for t in daemons + ["noop"]}
    limit = 4 * cores + 8
    fixed = peak_thr["kernel"] == idle["kernel"]
    lines += ["",
              "| daemon | threads idle | threads peak | RSS peak MiB | fio errors |",
              "|---|---|---|---|---|"]
    for t in daemons:
        lines.append(f"| {t} | {idle[t]} | {peak_thr[t]} | {peak_rss[t]} | {errors[t]} |")
    lines += ["",
              f"Threads target (fixed, ≤ 4 × cores + 8 = {limit}): kernel transport "
              f"{'fixed' if fixed else '**not fixed**'} at {peak_thr['kernel']} "
              f"({'met' if fixed and peak_thr['kernel'] <= limit else '**not met**'}; of these "
              f"{min(32, max(4, 4 * cores))} are FUSE workers, the rest the JVM's own and mpathfs's checker and PR threads). "
              f"RSS target (< {RSS_TARGET_MIB} MiB at qd32, 4 jobs): {peak_rss['kernel']} MiB "
              f"({'met' if peak_rss['kernel'] < RSS_TARGET_MIB else '**not met**'}). "
              f"Throughput targets met: kernel {sum(1 for k, u in met_rows if k)} of {len(met_rows)}, "
              f"uring {sum(1 for k, u in met_rows if u)} of {len(met_rows)}.",
              "",
              ("FUSE over io_uring (`--fuse uring`): measured with the fuse module's `enable_uring` switched on for "
               "its mount." if "uring" in daemons else
               f"FUSE over io_uring: not measured (the kernel's `enable_uring` parameter is {uring_state()}).")]
    if fail:
        lines += ["", f"Failover stall (kernel transport; random 4k reads, qd4, the serving path failed by `ctl/paths "
                      f"fail`): longest IO completion {fail[0]:.1f} ms, IO errors {fail[1]}."]
    lines += ["", "PR latency on the embedded target (`bin/mpathfs bench-pr`, median of 50 cycles): " + pr.strip(), ""]
    with open(os.path.join(REPO, "bench/analysis.md")) as f:  # the why, kept by hand
        lines += f.read().splitlines()
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
