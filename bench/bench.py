#!/usr/bin/env python3
"""make bench: fio against /mnt/<bench>/disk and against the raw backing path in the same run.

Raw paths are loop devices (direct IO) over one image on the host disk; mpathfs is mounted over
them. Every job runs on both targets, interleaved, RUNS times; the table reports medians and the
ratio mpathfs/raw, the daemon's RSS and thread count under load, and the failover stall. Writes
BENCHMARKS.md. Never runs in the emulated lab guest: numbers there mean nothing.
"""
import json, os, platform, statistics, subprocess, sys, tempfile, threading, time

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
    # Deep queue: how many threads libfuse2 spawns (each one attached to the JVM by jnr).
    ("rand read 4k qd32", ["--rw=randread", "--bs=4k", "--iodepth=32", "--numjobs=1"]),
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


def main():
    if platform.machine() != "x86_64":
        sys.exit("bench: x86_64 only")
    sh(os.path.join(REPO, "scripts/ensure-deps.sh"), "fio", "libfuse2", "fuse")
    work = tempfile.mkdtemp(prefix="mpathfs-bench-", dir="/var/tmp")
    img = os.path.join(work, "lu.img")
    mnt = os.path.join(work, "mpathb")
    with open(img, "wb") as f:  # a fully allocated image: sparse files measure the allocator
        chunk = os.urandom(1 << 20)
        for _ in range(SIZE_MB):
            f.write(chunk)
    loops = [sh("losetup", "-f", "--show", "--direct-io=on", img) for _ in range(2)]
    log = open(os.path.join(work, "daemon.log"), "w")
    daemon = subprocess.Popen([os.path.join(REPO, "bin/mpathfs"), "mount", "--checker-interval", "1", mnt, *loops],
                              stdout=log, stderr=subprocess.STDOUT)
    rows, fail = [], None
    try:
        deadline = time.time() + 60
        while "serving" not in open(log.name).read():
            if daemon.poll() is not None or time.time() > deadline:
                sys.exit("bench: mount failed:\n" + open(log.name).read())
            time.sleep(0.1)
        disk = os.path.join(mnt, "disk")
        for name, args in JOBS:
            m, r = [], []
            peak_rss = peak_thr = 0
            for _ in range(RUNS):  # interleaved: raw, mpathfs, raw, mpathfs, ...
                r.append(fio(loops[0], args))
                s = Sampler(daemon.pid)
                s.start()
                m.append(fio(disk, args))
                s.stop = True
                s.join()
                peak_rss, peak_thr = max(peak_rss, s.rss), max(peak_thr, s.threads)
            key = 0 if "1M" in name else 1  # MB/s for sequential, IOPS for random
            mm = statistics.median(x[key] for x in m)
            rm = statistics.median(x[key] for x in r)
            rows.append((name, "MB/s" if key == 0 else "IOPS", rm, mm, mm / rm if rm else 0, peak_rss, peak_thr,
                         sum(x[2] for x in m)))
            print(f"{name:22} raw {rm:10.1f}  mpathfs {mm:10.1f}  ratio {mm / rm:5.2f}  rss {peak_rss} MiB  "
                  f"threads {peak_thr}", flush=True)
        fail = failover_stall(disk, mnt, loops)
    finally:
        daemon.terminate()
        try:
            daemon.wait(30)
        except subprocess.TimeoutExpired:
            daemon.kill()
        for l in loops:
            sh("losetup", "-d", l, check=False)
        os.remove(img)
    pr = sh(os.path.join(REPO, "bin/mpathfs"), "bench-pr", "--paths", "4", "--latency-ms", "2")
    print(pr, flush=True)
    write_report(rows, fail, pr)


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


def write_report(rows, fail, pr):
    cpu = sh("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    lines = ["# mpathfs benchmarks", "",
             f"Machine: {os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
             f"kernel {platform.release()}. Raw path: a loop device (direct IO) over a {SIZE_MB} MiB image on the host "
             f"disk; mpathfs over two such loop devices. fio libaio, O_DIRECT, {RUNTIME} s per run, median of {RUNS} "
             "interleaved runs.", "",
             "Reproduce: `make bench` (as root).", "",
             "| job | unit | raw | mpathfs | ratio | daemon RSS MiB | daemon threads | errors |",
             "|---|---|---|---|---|---|---|---|"]
    for name, unit, raw, mp, ratio, rss, thr, errs in rows:
        lines.append(f"| {name} | {unit} | {raw:.1f} | {mp:.1f} | {ratio:.2f} | {rss} | {thr} | {errs} |")
    if fail:
        lines += ["", f"Failover stall (random 4k reads, qd4, the serving path failed by `ctl/paths fail`): longest IO "
                      f"completion {fail[0]:.1f} ms, IO errors {fail[1]}."]
    lines += ["", "PR latency on the embedded target (`bin/mpathfs bench-pr`, median of 50 cycles): " + pr.strip(), ""]
    with open(os.path.join(REPO, "bench/analysis.md")) as f:  # the why, kept by hand
        lines += f.read().splitlines()
    with open(os.path.join(REPO, "BENCHMARKS.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
