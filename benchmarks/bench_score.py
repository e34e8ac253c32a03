"""Scoring benchmark (``make bench``): full metric suite vs VADER alone, 1 vs 2 jobs, Dask.

Input: the 23,703 VADER ground-truth sentences (../shared/validation/vader_icwsm2014)
repeated ``--repeat`` times (default 10: 237,030 rows) as a CSV in benchmarks/work/
(built once, reused).  Each variant runs in a fresh subprocess, timed by wall clock
from here, with its own peak memory:

  a  VADER alone: csv module in, SentimentIntensityAnalyzer().polarity_scores per row, csv out
  b  alliance-study score IN.csv -o OUT.parquet --jobs 1   (full suite, streaming)
  c  alliance-study score ... --jobs 2
  d  alliance-study score ... --engine dask --jobs 2       (LocalCluster, 2 worker processes)

ratio = wall seconds of the variant / wall seconds of (a)  (1.0 = as fast as VADER alone).
cpu_ratio = CPU seconds (user+sys of the process tree) / CPU seconds of (a):
less sensitive than wall time to other load on a shared machine (the load average
before and after the run is recorded).
peak_rss_mb: peak resident memory of the variant's main process (wait4 ru_maxrss).
peak_tree_rss_mb: peak of the summed RSS of the process and all its descendants
(sampled every 0.1 s), which counts the worker processes of (c) and (d).

Usage::

    python benchmarks/bench_score.py                 # a,b,c,d at 10x -> benchmarks/results.json
    python benchmarks/bench_score.py --repeat 100 --only b   # memory run, 2.37M sentences
    python benchmarks/bench_score.py --quick         # smoke run: 1x, results not saved by default
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
SHARED = Path(os.environ.get("ALLIANCE_SHARED", ROOT.parent / "shared")).resolve()
VADER_DIR = SHARED / "validation" / "vader_icwsm2014"
BIN = Path(sys.executable).parent
VARIANTS = {
    "a": "VADER alone (vaderSentiment loop)",
    "b": "alliance-study score, --jobs 1",
    "c": "alliance-study score, --jobs 2",
    "d": "alliance-study score, --engine dask (LocalCluster, 2 workers)",
}


# ----------------------------------------------------------------------------- input
def ground_truth_rows(vader_dir: Path = VADER_DIR) -> list[tuple[str, str, str]]:
    """(source, id, text) of every ground-truth sentence (alliance_study.validity.gold's reader)."""
    from alliance_study.errors import InputError
    from alliance_study.validity.gold import read_vader_dir

    try:
        gt = read_vader_dir(vader_dir)
    except InputError as exc:
        sys.exit(f"bench_score: {exc}. Put the project's shared/ folder beside the repository or set ALLIANCE_SHARED.")
    return list(gt[["file", "id", "text"]].itertuples(index=False, name=None))


def build_input(repeat: int) -> tuple[Path, int]:
    rows = ground_truth_rows()
    path = WORK / f"sentences_x{repeat}.csv"
    n = len(rows) * repeat
    stamp = path.with_suffix(".rows")
    if path.exists() and stamp.exists() and stamp.read_text().strip() == str(n):
        return path, n
    WORK.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["row", "source", "id", "text"])
        k = 0
        for _ in range(repeat):
            for src, i, text in rows:
                w.writerow([k, src, i, text])
                k += 1
    os.replace(tmp, path)
    stamp.write_text(f"{n}\n")
    return path, n


# ----------------------------------------------------------------------------- variant (a)
def vader_only(inp: str, out: str) -> None:
    """The baseline: what a researcher would write with vaderSentiment alone."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    analyzer = SentimentIntensityAnalyzer()
    with open(inp, encoding="utf-8", newline="") as fin, open(out, "w", encoding="utf-8", newline="") as fout:
        r = csv.reader(fin)
        w = csv.writer(fout, lineterminator="\n")
        header = next(r)
        t = header.index("text")
        w.writerow(header + ["compound", "pos", "neu", "neg"])
        for row in r:
            s = analyzer.polarity_scores(row[t])
            w.writerow(row + [s["compound"], s["pos"], s["neu"], s["neg"]])


# ----------------------------------------------------------------------------- measuring
def _tree_rss_kb(pid: int, cpu_ticks: dict | None = None) -> int:
    """Summed RSS (kB) of ``pid`` and all its descendants, from /proc.

    ``cpu_ticks`` (pid -> utime+stime clock ticks) is updated for every process of the tree,
    so the CPU time of workers that are not waited for by the variant (forkserver
    children) is counted too.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                stat = fh.read()
            fields = stat[stat.rindex(")") + 2:].split()
            ppid, pages = int(fields[1]), int(fields[21])
            ticks[int(d)] = int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
        rss[int(d)] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        if cpu_ticks is not None and p in ticks:
            cpu_ticks[p] = max(cpu_ticks.get(p, 0), ticks[p])
        stack.extend(children.get(p, []))
    return total


def measure(cmd: list[str], *, stderr=subprocess.PIPE, env: dict | None = None, cwd: Path | None = None,
            digits: int = 3) -> tuple[int, bytes, dict]:
    """Run ``cmd``; ``(exit code, stderr if piped, figures)``: wall and CPU seconds, peak RSS.

    CPU is the waited-for total from wait4 or the sum sampled over the process tree every
    0.1 s (which also sees forkserver workers), whichever is larger; the peak tree RSS is
    the largest sampled sum of the tree's resident memory.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr, cwd=cwd, env=env)
    peak_tree = [0]
    cpu_ticks: dict[int, int] = {}
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak_tree[0] = max(peak_tree[0], _tree_rss_kb(proc.pid, cpu_ticks))
            done.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    err = proc.stderr.read() if proc.stderr is not None else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    done.set()
    th.join()
    tree_cpu = sum(cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")
    cpu = max(usage.ru_utime + usage.ru_stime, tree_cpu)
    return os.waitstatus_to_exitcode(status), err, {
        "seconds": round(seconds, digits), "cpu_seconds": round(cpu, digits),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_tree_rss_mb": round(max(peak_tree[0], usage.ru_maxrss) / 1024, 1)}


def run_variant(cmd: list[str]) -> dict:
    code, stderr, figures = measure(cmd)
    if code != 0:
        sys.exit(f"bench_score: {' '.join(cmd)} failed (exit {code}):\n{stderr.decode(errors='replace')}")
    return figures


def command(variant: str, inp: Path, out_dir: Path) -> tuple[list[str], Path]:
    py = sys.executable
    if variant == "a":
        out = out_dir / "a_vader.csv"
        return [py, str(Path(__file__).resolve()), "--vader-only", str(inp), str(out)], out
    exe = str(BIN / "alliance-study")
    out = out_dir / f"{variant}_scored.parquet"
    base = [exe, "score", str(inp), "-o", str(out), "--no-progress"]
    return base + {"b": ["--jobs", "1"], "c": ["--jobs", "2"], "d": ["--engine", "dask", "--jobs", "2"]}[variant], out


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for pkg in ("alliance-study", "vaderSentiment", "pandas", "pyarrow", "numpy", "dask", "distributed"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"cpu_count": os.cpu_count(), "cpu_model": model, "memory_gb": mem_gb,
            "python": platform.python_version(), "platform": platform.platform(),
            "packages": versions, "git_commit": commit, "load_average_before": list(os.getloadavg())}


def lexicon_digest() -> str:
    """SHA-256 over the packaged lexicon files: the scored outputs are comparable only if it is unchanged."""
    import hashlib
    h = hashlib.sha256()
    for f in sorted((ROOT / "src" / "alliance_study" / "lexicons").glob("*.yaml")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def check_outputs(outs: dict[str, Path]) -> dict:
    """Sanity: the scored outputs are identical across variants and VADER equals (a)."""
    import pandas as pd
    checks = {}
    scored = {v: pd.read_parquet(p) for v, p in outs.items() if v != "a"}
    ref_v = next(iter(scored), None)
    for v, df in scored.items():
        if v != ref_v:
            same = bool(df.equals(scored[ref_v]))
            checks[f"{v}_equals_{ref_v}"] = same
            if not same:
                diff = [c for c in df.columns if not df[c].equals(scored[ref_v][c])]
                print(f"  {v} differs from {ref_v} in columns: {diff}")
    if "a" in outs and ref_v:
        a = pd.read_csv(outs["a"], usecols=["compound"])
        checks[f"{ref_v}_compound_equals_a"] = bool(
            (a["compound"].to_numpy() == scored[ref_v]["sentiment_compound"].to_numpy()).all())
    return checks


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=10, help="times the 23,703 sentences are repeated (default 10)")
    ap.add_argument("--only", default="a,b,c,d", help="comma-separated subset of variants a,b,c,d")
    ap.add_argument("--quick", action="store_true", help="smoke run: --repeat 1, results not saved unless --output")
    ap.add_argument("--output", default=None, help="results JSON (default benchmarks/results.json at 10x, "
                                                    "benchmarks/results_x<N>.json otherwise)")
    ap.add_argument("--no-check", action="store_true", help="skip comparing the outputs of the variants")
    ap.add_argument("--vader-only", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.vader_only:
        vader_only(*args.vader_only)
        return 0
    repeat = 1 if args.quick else args.repeat
    variants = [v.strip() for v in args.only.split(",") if v.strip()]
    bad = [v for v in variants if v not in VARIANTS]
    if bad:
        ap.error(f"unknown variant(s) {bad}; choose from {', '.join(VARIANTS)}")
    inp, n = build_input(repeat)
    out_dir = WORK / f"out_x{repeat}"
    out_dir.mkdir(parents=True, exist_ok=True)
    facts = machine()
    print(f"{n:,} sentences ({repeat} x 23,703) on {facts['cpu_count']} cores, {facts['cpu_model']}", flush=True)
    results, outs = {}, {}
    digest = lexicon_digest()
    for v in variants:
        cmd, out = command(v, inp, out_dir)
        print(f"  running {v}: {VARIANTS[v]} ...", end=" ", flush=True)
        r = run_variant(cmd)
        r.update(name=VARIANTS[v], command=" ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd)),
                 sentences_per_s=round(n / r["seconds"], 1))
        results[v], outs[v] = r, out
        print(f"{r['seconds']:.1f} s", flush=True)
    base = results.get("a", {}).get("seconds")
    base_cpu = results.get("a", {}).get("cpu_seconds")
    for r in results.values():
        r["ratio_to_vader"] = round(r["seconds"] / base, 3) if base else None
        r["cpu_ratio_to_vader"] = round(r["cpu_seconds"] / base_cpu, 3) if base_cpu else None
    speedup = (round(results["b"]["seconds"] / results["c"]["seconds"], 3)
               if "b" in results and "c" in results else None)

    print(f"\n{'variant':<62} {'seconds':>8} {'sent/s':>9} {'ratio':>6} {'cpu s':>7} {'cpu ratio':>9} "
          f"{'peak MB':>8} {'tree MB':>8}")
    for v, r in results.items():
        ratio = f"{r['ratio_to_vader']:.2f}" if r["ratio_to_vader"] is not None else "-"
        cratio = f"{r['cpu_ratio_to_vader']:.2f}" if r["cpu_ratio_to_vader"] is not None else "-"
        print(f"{v}  {r['name']:<59} {r['seconds']:>8.1f} {r['sentences_per_s']:>9,.0f} {ratio:>6} "
              f"{r['cpu_seconds']:>7.1f} {cratio:>9} {r['peak_rss_mb']:>8.0f} {r['peak_tree_rss_mb']:>8.0f}")
    if speedup:
        print(f"speed-up of 2 jobs over 1 job: {speedup:.2f}x")
    lexicons_changed = lexicon_digest() != digest
    if lexicons_changed:
        print("WARNING: the packaged lexicons changed during the run; variants scored with different lexicons.")
    checks = {} if args.no_check or lexicons_changed else check_outputs(outs)
    for k, ok in checks.items():
        print(f"check {k}: {'ok' if ok else 'MISMATCH'}")

    report = {"machine": facts, "rows": n, "repeat": repeat, "input": "VADER ICWSM-2014 ground truth, 4 files",
              "output_format": "parquet (b, c, d); csv (a)", "variants": results,
              "speedup_jobs2_over_jobs1": speedup, "checks": checks, "lexicons_sha256_16": digest,
              "lexicons_changed_during_run": lexicons_changed,
              "ratio_definition": "wall seconds of variant / wall seconds of (a) VADER alone; cpu_ratio: "
                                  "user+sys CPU seconds of the variant's process tree / same of (a)",
              "load_average_after": list(os.getloadavg())}
    out_json = args.output or (None if args.quick else
                               HERE / ("results.json" if repeat == 10 else f"results_x{repeat}.json"))
    if out_json:
        Path(out_json).write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {out_json}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
