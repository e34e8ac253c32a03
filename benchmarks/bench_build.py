"""Build benchmark: ``alliance-study build`` on corpora of 5,000, 50,000 and 500,000 articles.

Input: articles made from the 5,189 NYT editorial snippets of the VADER ground truth
(../shared/validation/vader_icwsm2014/nytEditorialSnippets_GroundTruth.txt, read with
``alliance_study.validity.gold.read_vader_ground_truth``: UTF-8 per line, cp1252 fallback).
Article ``i`` is drawn from its own seeded generator, so it is the same whatever N (the
5,000-article corpus is the first 5,000 articles of the 50,000 one):

* 8 to 15 snippets drawn uniformly with replacement (11.5 on average), grouped in
  order into 2 to 4 paragraphs separated by a blank line;
* title: the first snippet's first 8 words;
* one of 5 outlets, each in one of 3 groups (column ``origin_country``);
* a published date in 2016-01-01 .. 2021-12-31.

The corpus is written once, streamed in chunks with ``pyarrow.parquet.ParquetWriter``
(memory bounded by the chunk, not by N), as benchmarks/work/build_<N>/articles.parquet
(gitignored), reproducible byte for byte; beside it a study file (corpus-table form,
package-default lexicons, ``group_by: origin_country``, ``news_sentiment: false``).

Per size, each run in a fresh subprocess, timed from here:

  build    alliance-study build --study S --processed-dir P --output-dir R [--jobs J]
           into emptied folders (the cold build); its progress log -> build.log
  rebuild  the same command again, nothing changed (should do no work) -> rebuild.log
  dask     (--dask, only when ``build --help`` offers --engine) the cold build with
           --engine dask into other folders; its tables are compared with build's

Measured: wall seconds, CPU seconds (user+sys of the whole process tree), peak RSS of
the process tree (sum over the process and its descendants, sampled from /proc every
0.1 s), sentences per second (sentences of the processed tables / wall seconds), HTML
report size, and the per-stage times the build prints on stderr.

Usage::

    python benchmarks/bench_build.py                      # 5,000, 50,000, 500,000 -> benchmarks/build_results.json
    python benchmarks/bench_build.py --only small         # 5,000 only (results of other sizes are kept)
    python benchmarks/bench_build.py --sizes 50000 --dask # one size, with the Dask variant
    python benchmarks/bench_build.py --quick              # smoke run: 200 articles, nothing saved
    python benchmarks/bench_build.py --only small --commit HEAD  # the code of a commit, not the edited tree
    python benchmarks/bench_build.py --make-corpus 50 DIR # only write DIR/articles.parquet + DIR/study.yaml
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
SHARED = Path(os.environ.get("ALLIANCE_SHARED", ROOT.parent / "shared")).resolve()
NYT = SHARED / "validation" / "vader_icwsm2014" / "nytEditorialSnippets_GroundTruth.txt"
BIN = Path(sys.executable).parent
RESULTS = HERE / "build_results.json"

sys.path.insert(0, str(HERE))
from bench_score import machine, measure  # noqa: E402  (the scoring benchmark's measured run and machine facts)

SIZES = {"small": 5_000, "medium": 50_000, "large": 500_000}
SEED = 20201023
#: bump when the generator changes: a corpus on disk is reused only when its stamp matches
GENERATOR_VERSION = 1
CHUNK = 5_000  # articles per Parquet row group (and per generator chunk)
SENTENCES_PER_ARTICLE = (8, 15)
PARAGRAPHS_PER_ARTICLE = (2, 4)
TITLE_WORDS = 8
#: outlet -> group (the study compares the groups: group_by origin_country)
OUTLETS = {"Outlet A": "Country X", "Outlet B": "Country X", "Outlet C": "Country Y",
           "Outlet D": "Country Y", "Outlet E": "Country Z"}
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2021, 12, 31)
COLUMNS = ("id", "title", "text", "outlet", "origin_country", "published")


# ----------------------------------------------------------------------------- corpus
def read_snippets(path: Path = NYT) -> list[str]:
    """The NYT editorial snippets, in file order (whitespace-trimmed, empty ones dropped)."""
    from alliance_study.errors import InputError
    from alliance_study.validity.gold import read_vader_ground_truth

    try:
        gt = read_vader_ground_truth(path)
    except InputError as exc:
        sys.exit(f"bench_build: {exc}. Put the project's shared/ folder beside the repository or set ALLIANCE_SHARED.")
    return [t.strip() for t in gt["text"] if t.strip()]


@dataclass(frozen=True)
class Article:
    """One generated article: ``sentences`` (the snippets drawn) grouped in ``paragraphs``."""

    article_id: str
    title: str
    paragraphs: tuple[tuple[str, ...], ...]
    outlet: str
    published: str

    @property
    def sentences(self) -> list[str]:
        return [s for p in self.paragraphs for s in p]

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs)

    def row(self) -> dict[str, str]:
        return {"id": self.article_id, "title": self.title, "text": self.text, "outlet": self.outlet,
                "origin_country": OUTLETS[self.outlet], "published": self.published}


def _below(rnd: random.Random, n: int) -> int:
    """An integer in [0, n) from ``rnd.random()`` alone (the one call whose stream Python guarantees)."""
    return min(int(rnd.random() * n), n - 1)


def draw_article(i: int, snippets: list[str], seed: int = SEED) -> Article:
    """Article ``i`` of the benchmark corpus; depends only on ``i``, ``seed`` and the snippets."""
    rnd = random.Random(f"bench_build:{GENERATOR_VERSION}:{seed}:{i}")
    lo, hi = SENTENCES_PER_ARTICLE
    k = lo + _below(rnd, hi - lo + 1)
    sents = [snippets[_below(rnd, len(snippets))] for _ in range(k)]
    plo, phi = PARAGRAPHS_PER_ARTICLE
    n_par = plo + _below(rnd, phi - plo + 1)
    cuts: set[int] = set()
    while len(cuts) < n_par - 1:  # n_par - 1 distinct cut points in 1 .. k-1
        cuts.add(1 + _below(rnd, k - 1))
    bounds = [0, *sorted(cuts), k]
    paragraphs = tuple(tuple(sents[a:b]) for a, b in zip(bounds, bounds[1:]))
    outlet = sorted(OUTLETS)[_below(rnd, len(OUTLETS))]
    day = FIRST_DAY + dt.timedelta(days=_below(rnd, (LAST_DAY - FIRST_DAY).days + 1))
    title = " ".join(sents[0].split()[:TITLE_WORDS]).rstrip(" ,;:.-")
    return Article(f"a{i:07d}", title, paragraphs, outlet, day.isoformat())


def _stamp(n: int, seed: int, snippets: list[str]) -> dict:
    h = hashlib.sha256("\n".join(snippets).encode("utf-8")).hexdigest()[:16]
    return {"articles": n, "seed": seed, "generator_version": GENERATOR_VERSION, "snippets_sha256_16": h,
            "chunk": CHUNK}


def write_corpus(n: int, out_dir: Path, seed: int = SEED, snippets: list[str] | None = None) -> Path:
    """Write ``out_dir/articles.parquet`` (n articles, streamed in row groups of :data:`CHUNK`); reused if current."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    snippets = read_snippets() if snippets is None else snippets
    out_dir.mkdir(parents=True, exist_ok=True)
    path, stamp_path = out_dir / "articles.parquet", out_dir / "articles.stamp.json"
    stamp = _stamp(n, seed, snippets)
    if path.is_file() and stamp_path.is_file() and json.loads(stamp_path.read_text()) == stamp:
        return path
    schema = pa.schema([(c, pa.string()) for c in COLUMNS])
    tmp = path.with_suffix(".parquet.tmp")
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for start in range(0, n, CHUNK):
            rows = [draw_article(i, snippets, seed).row() for i in range(start, min(start + CHUNK, n))]
            writer.write_table(pa.table({c: [r[c] for r in rows] for c in COLUMNS}, schema=schema))
    os.replace(tmp, path)
    stamp_path.write_text(json.dumps(stamp, sort_keys=True) + "\n")
    return path


STUDY = """\
# Build benchmark corpus (benchmarks/bench_build.py): {n:,} articles made from the NYT editorial snippets.
title: "Build benchmark: {n:,} articles from NYT editorial snippets"
corpus:
  table: articles.parquet
  columns: {{article_id: id, text: text, title: title, outlet: outlet, published: published}}
# lexicons: none set, the package defaults
parameters:
  group_by: origin_country   # 5 outlets in 3 groups
  news_sentiment: false      # the news-sentiment encoder would take CPU-hours at 500,000 articles
"""


def write_study(n: int, out_dir: Path) -> Path:
    """Write ``out_dir/study.yaml`` for ``out_dir/articles.parquet`` (n/n_boot/n_perm: package defaults)."""
    path = out_dir / "study.yaml"
    path.write_text(STUDY.format(n=n), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- measuring
def run_measured(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> dict:
    """Run ``cmd`` (stderr -> ``log``); wall and tree-CPU seconds, peak tree RSS, exit code."""
    with open(log, "wb") as err:
        code, _, figures = measure(cmd, stderr=err, env=env, cwd=ROOT, digits=2)
    return {"exit_code": code, **figures}


_STAGE = re.compile(r"^alliance-study build: (?P<name>.+?) (?P<s>\d+(?:\.\d+)?) s(?: \((?P<note>.*)\))?$")
_DONE = re.compile(r"^alliance-study build: (?P<name>.+) in (?P<s>\d+(?:\.\d+)?) s$")


def stages(log_text: str) -> list[dict]:
    """The stage lines of a build's progress log: ``[{"stage", "seconds", "note"}]`` in order.

    >>> log = ("alliance-study build: load corpus 3.2 s (5 articles)\\n"
    ...        "alliance-study build: [1/4] 01.ipynb 9.0 s\\n"
    ...        "alliance-study build: wrote r/framing_report.html in 14.0 s\\n")
    >>> for s in stages(log):
    ...     print(s["stage"], s["seconds"], s["note"])
    load corpus 3.2 5 articles
    [1/4] 01.ipynb 9.0 None
    total 14.0 wrote r/framing_report.html
    """
    out = []
    for line in log_text.splitlines():
        if m := _DONE.match(line):  # the last line: what was written, and the total time
            out.append({"note": m["name"], "seconds": float(m["s"]), "stage": "total"})
        elif m := _STAGE.match(line):
            out.append({"note": m["note"], "seconds": float(m["s"]), "stage": m["name"]})
    return out


def table_rows(processed: Path, name: str) -> int | None:
    """Rows of a processed table: the manifest's count, else ``<name>.parquet``, else a ``<name>/`` dataset."""
    import pyarrow.parquet as pq

    mf = processed / "manifest.json"
    if mf.is_file():
        rows = json.loads(mf.read_text(encoding="utf-8")).get("rows") or {}
        if name in rows:
            return int(rows[name])
    single, folder = processed / f"{name}.parquet", processed / name
    if single.is_file():
        return pq.ParquetFile(single).metadata.num_rows
    if folder.is_dir():
        return sum(pq.ParquetFile(f).metadata.num_rows for f in sorted(folder.rglob("*.parquet")))
    return None


def tables_digest(processed: Path) -> dict[str, str]:
    """SHA-256 (16 hex) of every Parquet file under ``processed``, by relative path."""
    return {str(f.relative_to(processed)): hashlib.sha256(f.read_bytes()).hexdigest()[:16]
            for f in sorted(processed.rglob("*.parquet")) if f.is_file()}


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout


def code_env(commit: str | None) -> tuple[dict[str, str] | None, dict]:
    """Environment for the builds and a description of the code they run.

    ``commit`` None: the working tree (the editable install).  Otherwise ``git archive``
    of the commit's ``src`` and ``notebooks`` (the package's notebooks link there) is
    unpacked into benchmarks/work/code_<sha> and put first on the builds' PYTHONPATH, so a
    baseline can be measured while others edit the tree.
    """
    if commit is None:
        dirty = [ln for ln in _git("status", "--porcelain", "--", "src", "notebooks").splitlines() if ln.strip()]
        return None, {"source": "working tree", "commit": _git("rev-parse", "--short", "HEAD").strip(),
                      "uncommitted_changes": dirty}
    sha = _git("rev-parse", "--short", f"{commit}^{{commit}}").strip()
    dest = WORK / f"code_{sha}"
    if not (dest / "src" / "alliance_study" / "__init__.py").is_file():
        tmp = WORK / f"code_{sha}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha, "src", "notebooks"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        shutil.rmtree(dest, ignore_errors=True)
        os.replace(tmp, dest)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(dest / "src")] + [p for p in
                                                       os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    used = subprocess.run([sys.executable, "-c", "import alliance_study; print(alliance_study.__file__)"], env=env,
                          capture_output=True, text=True, check=True).stdout.strip()
    if not used.startswith(str(dest)):
        sys.exit(f"bench_build: PYTHONPATH did not take: alliance_study is imported from {used}")
    return env, {"source": f"git archive of {sha} (src, notebooks) on PYTHONPATH", "commit": sha}


def build_help(env: dict[str, str] | None = None) -> str:
    return subprocess.run([str(BIN / "alliance-study"), "build", "--help"], capture_output=True, text=True,
                          check=True, env=env).stdout


def bench_size(n: int, *, jobs: int, dask: bool, seed: int, commit: str | None = None) -> dict:
    """Make the corpus and study of size ``n`` and run the build variants on it."""
    d = WORK / f"build_{n}"
    t = time.perf_counter()
    corpus = write_corpus(n, d, seed)
    study = write_study(n, d)
    made = round(time.perf_counter() - t, 1)
    env, code = code_env(commit)
    help_text = build_help(env)
    opts = ["--jobs", str(jobs)] if "--jobs" in help_text else []
    exe = str(BIN / "alliance-study")
    # (processed folder, report folder, extra options, processing cache): "build" is cold (empty folders and an
    # empty cache); "rebuild" repeats it unchanged; "warm" builds into new folders from the warm cache;
    # "dask" is cold again, on a local Dask cluster, with a cache of its own
    variants = {"build": ("processed", "report", [], "cache"), "rebuild": ("processed", "report", [], "cache"),
                "warm": ("processed_warm", "report_warm", [], "cache")}
    if dask:
        if "--engine" in help_text:
            variants["dask"] = ("processed_dask", "report_dask", ["--engine", "dask"], "cache_dask")
        else:
            print("  --dask: `alliance-study build --help` offers no --engine; skipped", flush=True)
    for sub in {v[0] for v in variants.values()} | {v[1] for v in variants.values()} | {v[3] for v in variants.values()}:
        shutil.rmtree(d / sub, ignore_errors=True)  # every cold build starts from empty folders and cache
    facts = machine()
    out = {"articles": n, "code": code, "corpus_mb": round(corpus.stat().st_size / 2**20, 1), "corpus_seconds": made,
           "jobs_option": " ".join(opts) or "(build has no --jobs)", "machine": facts, "variants": {}}
    for name, (proc_dir, rep_dir, extra, cache) in variants.items():
        run_env = dict(env if env is not None else os.environ, ALLIANCE_STUDY_CACHE=str(d / cache))
        cmd = [exe, "build", "--study", str(study), "--processed-dir", str(d / proc_dir),
               "--output-dir", str(d / rep_dir), *opts, *extra]
        log = d / f"{name}.log"
        print(f"  {n:,} articles: {name} ...", end=" ", flush=True)
        load = list(os.getloadavg())
        r = run_measured(cmd, log, run_env)
        text = log.read_text(encoding="utf-8", errors="replace").replace(f"{ROOT}{os.sep}", "")
        r.update(command=" ".join(Path(c).name if i == 0 else os.path.relpath(c, ROOT) if c.startswith("/") else c
                                  for i, c in enumerate(cmd)),
                 log=os.path.relpath(log, ROOT), stages=stages(text), load_average_before=load,
                 last_line=(text.strip().splitlines() or [""])[-1][:300])
        print(f"{r['seconds']:.1f} s" + ("" if r["exit_code"] == 0 else f" FAILED (exit {r['exit_code']}, see {log})"),
              flush=True)
        html = d / rep_dir / "framing_report.html"
        r["report_mb"] = round(html.stat().st_size / 2**20, 2) if html.is_file() else None
        mf = d / proc_dir / "manifest.json"
        r["manifest_kb"] = round(mf.stat().st_size / 1024, 1) if mf.is_file() else None
        out["variants"][name] = r
        if r["exit_code"] != 0:
            break
    b = out["variants"]["build"]
    out["sentences"] = table_rows(d / "processed", "sentences")
    out["articles_processed"] = table_rows(d / "processed", "articles")
    ok = bool(out["sentences"]) and b["exit_code"] == 0
    out["sentences_per_s"] = round(out["sentences"] / b["seconds"], 1) if ok else None
    out["sentences_per_cpu_s"] = round(out["sentences"] / b["cpu_seconds"], 1) if ok else None
    if "dask" in out["variants"] and out["variants"]["dask"]["exit_code"] == 0:
        out["dask_tables_identical"] = tables_digest(d / "processed") == tables_digest(d / "processed_dask")
    facts["load_average_after"] = list(os.getloadavg())
    return out


def print_table(results: dict) -> None:
    print(f"\n{'articles':>9} {'sentences':>10} {'variant':<8} {'seconds':>8} {'sent/s':>8} {'cpu s':>8} "
          f"{'sent/cpu s':>10} {'tree MB':>8} {'report MB':>9} {'load':>5}")
    for key in sorted(results, key=int):
        r = results[key]
        for name, v in r["variants"].items():
            sps = f"{r['sentences_per_s']:,.0f}" if name == "build" and r.get("sentences_per_s") else "-"
            spc = f"{r['sentences_per_cpu_s']:,.0f}" if name == "build" and r.get("sentences_per_cpu_s") else "-"
            rep = f"{v['report_mb']:.2f}" if v.get("report_mb") is not None else "-"
            print(f"{r['articles']:>9,} {r.get('sentences') or 0:>10,} {name:<8} {v['seconds']:>8.1f} {sps:>8} "
                  f"{v['cpu_seconds']:>8.1f} {spc:>10} {v['peak_tree_rss_mb']:>8.0f} {rep:>9} "
                  f"{v['load_average_before'][0]:>5.1f}")
        slow = [s for s in r["variants"]["build"]["stages"] if s["seconds"] >= 1 and s["stage"] != "total"]
        if slow:
            print("          stages of build: " + ", ".join(f"{s['stage']} {s['seconds']:.0f} s" for s in slow))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=None, help="comma-separated article counts (default 5000,50000,500000)")
    ap.add_argument("--only", default=None, help="comma-separated subset of small (5,000), medium (50,000), "
                                                 "large (500,000)")
    ap.add_argument("--jobs", type=int, default=2, help="--jobs passed to the build when it has the option (default 2)")
    ap.add_argument("--dask", action="store_true", help="also a cold build with --engine dask (when offered)")
    ap.add_argument("--seed", type=int, default=SEED, help=f"corpus seed (default {SEED})")
    ap.add_argument("--commit", default=None, help="build with the code of this commit (git archive on "
                                                   "PYTHONPATH) instead of the working tree")
    ap.add_argument("--quick", action="store_true", help="smoke run: 200 articles, results not saved unless --output")
    ap.add_argument("--output", default=None, help=f"results JSON (default {os.path.relpath(RESULTS, ROOT)}; "
                                                   "the entries of sizes not run are kept)")
    ap.add_argument("--make-corpus", nargs=2, metavar=("N", "DIR"), help="only write DIR/articles.parquet and "
                                                                        "DIR/study.yaml for N articles")
    args = ap.parse_args(argv)
    if args.make_corpus:
        n, d = int(args.make_corpus[0]), Path(args.make_corpus[1])
        print(write_corpus(n, d, args.seed), write_study(n, d))
        return 0
    if args.quick:
        sizes = [200]
    elif args.only:
        bad = [s for s in args.only.split(",") if s.strip() not in SIZES]
        if bad:
            ap.error(f"unknown size name(s) {bad}; choose from {', '.join(SIZES)}")
        sizes = [SIZES[s.strip()] for s in args.only.split(",")]
    else:
        sizes = [int(s) for s in (args.sizes or "5000,50000,500000").split(",") if s.strip()]
    results = {}
    for n in sizes:
        results[str(n)] = r = bench_size(n, jobs=args.jobs, dask=args.dask, seed=args.seed, commit=args.commit)
        if any(v["exit_code"] != 0 for v in r["variants"].values()):
            print_table(results)
            return 1
    print_table(results)
    out_json = Path(args.output) if args.output else (None if args.quick else RESULTS)
    if out_json:
        saved = json.loads(out_json.read_text(encoding="utf-8")).get("sizes", {}) if out_json.is_file() else {}
        saved.update(results)
        report = {"input": "NYT editorial snippets (VADER ICWSM-2014 ground truth), 8-15 per article in "
                           "2-4 paragraphs; 5 outlets in 3 groups; one Parquet table; study: package-default "
                           "lexicons, group_by origin_country, news_sentiment false",
                  "seed": args.seed, "generator_version": GENERATOR_VERSION, "sizes": saved,
                  "definitions": "seconds: wall clock of the build subprocess; cpu_seconds: user+sys of its "
                                 "process tree; peak_tree_rss_mb: peak of the summed RSS of the process and "
                                 "its descendants, sampled every 0.1 s; sentences_per_s: sentences of the "
                                 "processed tables / wall seconds of the cold build (sentences_per_cpu_s: / its "
                                 "CPU seconds); load_average_before: 1, 5, 15-minute load when the variant "
                                 "started; rebuild: the same "
                                 "command again with nothing changed"}
        out_json.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {os.path.relpath(out_json, ROOT) if out_json.is_absolute() else out_json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
