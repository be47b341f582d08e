#!/usr/bin/env python3
"""Sarcostat against R's survival, side by side, interleaved, on registry-like data (bench/run.sh; docs/performance.md).

Every run is a whole process timed with /usr/bin/time (wall seconds and peak RSS). For each size and job the runs go
round-robin (Sarcostat, R with read.csv, R with data.table::fread; repeated), so that a load change on the machine hits
all of them alike; the table gives medians and the ratio Sarcostat / R. "compute" is the time after the file is read
(Sarcostat: SARCOSTAT_PHASES; R: proc.time() after reading), the fit row is the fit alone on data in memory (in-process
medians: bench engine --job coxfit and R coxph.fit). Before timing, the numbers are compared: coefficients, zph and
log-rank chi-squares, concordance, medians must agree to a relative 1e-6.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COVS = "b1,b2,b3,b4,f1,f2,c1,c2,c3,c4"
JOBS = {
    # job: (sarcostat arguments after the file, sizes it runs at by default)
    "cox": (["cox", "--time", "time", "--event", "status", "--covariates", COVS], "small"),
    "coxzph": (["cox", "--time", "time", "--event", "status", "--covariates", COVS, "--zph", "--concordance"], "small"),
    "km": (["km", "--time", "time", "--event", "status", "--group", "group"], "all"),
    "logrank": (["logrank", "--time", "time", "--event", "status", "--group", "group"], "all"),
    "coxfit": (None, "small"),
}
LABEL = {
    "cox": "Cox Efron, 12 coefficients, CSV to printed table",
    "coxzph": "the same with cox.zph and concordance",
    "km": "Kaplan-Meier by group, CSV to printed table",
    "logrank": "log-rank by group, CSV to printed table",
    "coxfit": "Cox fit alone, data in memory (in-process median)",
}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, env=None):
    """Runs a whole process under /usr/bin/time; returns (wall s, peak RSS MB, stdout, stderr)."""
    fd, tf = tempfile.mkstemp()
    os.close(fd)
    try:
        p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf] + cmd, capture_output=True, text=True, env=env)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
        wall, rss = open(tf).read().split()[-2:]
        return float(wall), int(rss) / 1024, p.stdout, p.stderr
    finally:
        os.unlink(tf)


def ensure_r():
    notes = []
    def has(pkg):
        return shutil.which("Rscript") and subprocess.run(["Rscript", "-e", f"quit(status = !requireNamespace('{pkg}', quietly = TRUE))"], capture_output=True).returncode == 0
    if not has("survival"):
        print("R's survival is missing: installing r-base-core r-cran-survival from Debian", flush=True)
        sh(["apt-get", "install", "-y", "--no-install-recommends", "r-base-core", "r-cran-survival"])
    fread = has("data.table")
    if not fread:
        r = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "r-cran-data.table"], capture_output=True)
        fread = r.returncode == 0 and has("data.table")
    if not fread:
        notes.append("data.table is not installed (apt-get install r-cran-data.table failed): the fread variant is skipped")
    ver = subprocess.run(["Rscript", "-e", "cat(R.version.string, '/ survival', format(packageVersion('survival')), if (requireNamespace('data.table', quietly = TRUE)) paste('/ data.table', format(packageVersion('data.table'))) else '')"],
                         capture_output=True, text=True).stdout.strip()
    return fread, ver, notes


def parse_phases(stderr):
    phases = {}
    for line in stderr.splitlines():
        if line.startswith("phase "):
            parts = line.split()
            phases[parts[1]] = float(parts[2])
    return phases


def r_compute(stderr, key="compute_ms"):
    for line in stderr.splitlines():
        if line.startswith(key + " "):
            return float(line.split()[1]) / 1000
    return float("nan")


def sarcostat_check(cli, job, data):
    out = subprocess.run([cli, JOBS[job][0][0], data] + JOBS[job][0][1:] + ["--json"], capture_output=True, text=True, check=True).stdout
    d = json.loads(out)
    v = {}
    if job in ("cox", "coxzph"):
        for t in d["fit"]["terms"]:
            v["coef." + t["term"]] = t["coef"]
        v["loglik"] = d["fit"]["logLik"]
        if job == "coxzph":
            for t in d["zph"]["tests"]:
                v["zph." + t["term"]] = t["chiSquare"]
            v["zph.GLOBAL"] = d["zph"]["global"]["chiSquare"]
            v["concordance"] = d["concordance"]["c"]
            v["concordance.se"] = d["concordance"]["stdError"]
    elif job == "km":
        for f in d["fits"]:
            v["median." + f["group"]] = f["median"]["estimate"]
    elif job == "logrank":
        v["chisq"] = d["result"]["chiSquare"]
    return v


def compare(ours, theirs, what):
    bad = []
    for k, rv in theirs.items():
        if k not in ours:
            bad.append(f"{k}: missing in Sarcostat")
            continue
        ov = ours[k]
        if abs(ov - rv) > 1e-6 * max(abs(rv), 1e-300) and not (rv == 0 and abs(ov) < 1e-12):
            bad.append(f"{k}: Sarcostat {ov!r}, R {rv!r}")
    if bad:
        print(f"  CHECK FAILED ({what}): " + "; ".join(bad), flush=True)
    else:
        print(f"  check {what}: {len(theirs)} numbers agree to 1e-6", flush=True)
    return not bad


def read_check(path):
    v = {}
    for line in open(path):
        k, x = line.split()
        v[k] = float(x)
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1e5,1e6", help="comma-separated row counts (e.g. 1e5,1e6,1e7)")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved whole-process runs per variant (median)")
    ap.add_argument("--jobs", default="cox,coxzph,km,logrank,coxfit")
    ap.add_argument("--cox-max", type=float, default=1e6, help="largest n for the Cox jobs (R's read.csv + coxph at 1e7 takes minutes)")
    ap.add_argument("--base-max", type=float, default=1e7, help="largest n for R's read.csv variant")
    ap.add_argument("--work", default=None, help="folder for data and builds (default: a new temp folder, removed at the end)")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="sarcostat-bench-")
    keep = a.work is not None
    os.makedirs(work, exist_ok=True)
    try:
        run(a, work)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def run(a, work):
    fread, rver, notes = ensure_r()
    print("machine:", subprocess.run(["bash", "-c", "nproc; grep -m1 'model name' /proc/cpuinfo | cut -d: -f2; free -g | awk '/Mem/{print $2\" GB\"}'; uptime"],
                                     capture_output=True, text=True).stdout.replace("\n", " | "), flush=True)
    print("R:", rver, flush=True)
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    print("dotnet SDK:", dotnet, flush=True)
    cli_dir = os.path.join(work, "cli")
    # Published as the README installs it: Release, ReadyToRun (precompiled; the JIT still optimises hot loops).
    sh(["dotnet", "publish", os.path.join(ROOT, "src/Sarcostat.Cli"), "-c", "Release", "-r", "linux-x64", "-p:PublishReadyToRun=true",
        "-o", cli_dir, "-v", "q", "-nologo"], stdout=subprocess.DEVNULL)
    bench_dir = os.path.join(work, "benchbin")
    sh(["dotnet", "build", os.path.join(ROOT, "bench/Sarcostat.Bench"), "-c", "Release", "-o", bench_dir, "-v", "q", "-nologo"], stdout=subprocess.DEVNULL)
    cli = os.path.join(cli_dir, "sarcostat")
    bench = ["dotnet", os.path.join(bench_dir, "Sarcostat.Bench.dll")]
    job_r = os.path.join(ROOT, "bench/r/job.R")
    sizes = [int(float(s)) for s in a.sizes.split(",")]
    jobs = a.jobs.split(",")
    rows = []
    ok = True
    for n in sizes:
        data = os.path.join(work, f"registry-{n}.csv")
        sh(bench + ["gen", "--n", str(n), "--out", data])
        mb = os.path.getsize(data) / 1e6
        print(f"\n== n = {n:,} ({mb:.0f} MB)", flush=True)
        for job in jobs:
            if job in ("cox", "coxzph", "coxfit") and n > a.cox_max:
                continue
            readers = ["base"] if n <= a.base_max else []
            if fread:
                readers.append("fread")
            check = os.path.join(work, "check.txt")
            if job == "coxfit":
                # In-process medians: Sarcostat's FitMatrix vs R's coxph.fit on the same design.
                out = subprocess.run(bench + ["engine", "--file", data, "--job", "coxfit", "--repeat", "5"], capture_output=True, text=True, check=True).stdout
                ours = float(out.split()[3]) / 1000
                _, _, _, err = timed(["Rscript", job_r, "coxfit", data, readers[-1], check])
                theirs = r_compute(err, "fit_ms")
                ok &= compare(sarcostat_check(cli, "cox", data), {k: v for k, v in read_check(check).items() if k.startswith("coef.")}, f"{job} n={n}")
                rows.append((job, n, ours, None, None, {"fit": theirs}, {}))
                print(f"  {job}: Sarcostat {ours*1000:.0f} ms, R coxph.fit {theirs*1000:.0f} ms", flush=True)
                continue
            # Numbers first.
            ours_check = sarcostat_check(cli, job, data)
            for reader in readers:
                timed(["Rscript", job_r, job, data, reader, check])
                ok &= compare(ours_check, read_check(check), f"{job} n={n} R {reader}")
            res = {"sarcostat": []}
            for reader in readers:
                res[reader] = []
            env = dict(os.environ, SARCOSTAT_PHASES="1")
            for r in range(a.repeat):
                wall, rss, _, err = timed([cli, JOBS[job][0][0], data] + JOBS[job][0][1:], env=env)
                ph = parse_phases(err)
                compute = sum(v for k, v in ph.items() if k not in ("start", "read")) / 1000 if ph else float("nan")
                res["sarcostat"].append((wall, rss, compute))
                for reader in readers:
                    wall, rss, _, err = timed(["Rscript", job_r, job, data, reader, check])
                    res[reader].append((wall, rss, r_compute(err)))
            med = {k: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), statistics.median(x[2] for x in v)) for k, v in res.items()}
            rows.append((job, n, med["sarcostat"][0], med["sarcostat"][1], med["sarcostat"][2], {k: v for k, v in med.items() if k != "sarcostat"}, {}))
            line = f"  {job}: Sarcostat {med['sarcostat'][0]:.2f} s {med['sarcostat'][1]:.0f} MB (compute {med['sarcostat'][2]:.2f} s)"
            for reader in readers:
                line += f"; R {reader} {med[reader][0]:.2f} s {med[reader][1]:.0f} MB (compute {med[reader][2]:.2f} s)"
            print(line, flush=True)

    print("\n| work | n | Sarcostat s (MB) | R read.csv s (MB) | R fread s (MB) | time ratio vs read.csv / fread | memory ratio vs read.csv / fread | compute: Sarcostat / R (fread) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for job, n, wall, rss, compute, r, _ in rows:
        if job == "coxfit":
            print(f"| {LABEL[job]} | {n:,} | {wall*1000:.0f} ms | coxph.fit {r['fit']*1000:.0f} ms | | {wall / r['fit']:.3f} | | |")
            continue
        def cell(k):
            return f"{r[k][0]:.2f} ({r[k][1]:.0f})" if k in r else "-"
        def ratio(i):
            return " / ".join(f"{(wall if i == 0 else rss) / r[k][i]:.2f}" if k in r else "-" for k in ("base", "fread"))
        last = "fread" if "fread" in r else "base"
        print(f"| {LABEL[job]} | {n:,} | {wall:.2f} ({rss:.0f}) | {cell('base')} | {cell('fread')} | {ratio(0)} | {ratio(1)} | {compute:.3f} / {r[last][2]:.3f} |")
    for note in notes:
        print("note:", note)
    print("\nall numbers agree to 1e-6" if ok else "\nSOME NUMBERS DISAGREE (see CHECK FAILED above)")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
