"""News-tone benchmark: ``sentiment_news`` sentences per second per core (CPU time).

Runs on one thread (the encoder's onnxruntime session has one; OMP/OPENBLAS/MKL_NUM_THREADS=1
are set here before numpy is imported) and reports CPU seconds (user+sys), not wall time,
because other jobs may share the machine.  Two measurements, each on realistic news sentences:

  score  in-process ``NewsSentiment().score(texts)`` (tokenizer, encoder, VADER, head) on
         the 5,190 NYT editorial snippets of ../shared/validation/vader_icwsm2014
         (the model loaded and warmed up first; best of ``--repeat`` runs)
  cli    ``alliance-study score IN.csv -o OUT.parquet --jobs 1 --no-progress --news-sentiment``
         on the same sentences as a CSV, in a fresh subprocess: the whole command (start-up,
         model loading, the lexicon suite, reading and writing), CPU time of the process tree

``--sentences-csv`` adds the ``score`` measurement on the first ``--limit`` rows of another
CSV (default: benchmarks/work/sentences_x10.csv, written by bench_score.py, when present).

Usage::

    python benchmarks/bench_news_sentiment.py            # -> benchmarks/news_sentiment_results.json
    python benchmarks/bench_news_sentiment.py --no-cli --repeat 1
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("ALLIANCE_SHARED", ROOT.parent / "shared")).resolve()
NYT = SHARED / "validation" / "vader_icwsm2014" / "nytEditorialSnippets_GroundTruth.txt"
BIN = Path(sys.executable).parent


def nyt_texts() -> list[str]:
    from alliance_study.validity.gold import read_vader_ground_truth

    return read_vader_ground_truth(NYT)["text"].tolist()


def csv_texts(path: Path, limit: int) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(fh)
        return [row["text"] for _, row in zip(range(limit), rows)]


def time_score(texts: list[str], repeat: int) -> dict:
    """Best CPU time of ``NewsSentiment().score(texts)`` over ``repeat`` runs (model warm)."""
    import numpy as np

    from alliance_study.metrics.news_sentiment import NewsSentiment

    model = NewsSentiment()
    model.score(texts[:64])
    best, first = float("inf"), None
    for _ in range(repeat):
        t = time.process_time()
        out = model.score(texts)
        best = min(best, time.process_time() - t)
        if first is None:
            first = out
        elif not np.array_equal(out, first, equal_nan=True):
            raise SystemExit("sentiment_news differs between two runs on the same texts")
    ids = model.encoder.token_ids(texts)
    return {"sentences": len(texts), "cpu_seconds": round(best, 3),
            "sentences_per_s_per_core": round(len(texts) / best, 1),
            "mean_word_pieces": round(sum(map(len, ids)) / len(ids), 2), "runs": repeat}


def time_cli(texts: list[str]) -> dict:
    """CPU time (user+sys, process tree) of ``alliance-study score --news-sentiment --jobs 1`` on ``texts``."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.csv", Path(tmp) / "out.parquet"
        with src.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["row", "text"])
            w.writerows(enumerate(texts))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        subprocess.run([str(BIN / "alliance-study"), "score", str(src), "-o", str(dst), "--jobs", "1",
                        "--no-progress", "--news-sentiment"], check=True)
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"sentences": len(texts), "cpu_seconds": round(cpu, 3), "wall_seconds": round(wall, 3),
            "sentences_per_s_per_core": round(len(texts) / cpu, 1),
            "command": "alliance-study score IN.csv -o OUT.parquet --jobs 1 --no-progress --news-sentiment"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of the in-process measurement (best kept)")
    ap.add_argument("--no-cli", action="store_true", help="skip the alliance-study score subprocess")
    ap.add_argument("--sentences-csv", type=Path, default=HERE / "work" / "sentences_x10.csv")
    ap.add_argument("--limit", type=int, default=5000, help="rows of --sentences-csv")
    ap.add_argument("-o", "--output", type=Path, default=HERE / "news_sentiment_results.json")
    args = ap.parse_args(argv)
    from importlib import metadata

    texts = nyt_texts()
    results: dict = {"load_average_before": list(os.getloadavg())}
    results["score_nyt_editorials"] = time_score(texts, args.repeat)
    print("score, NYT editorials:", results["score_nyt_editorials"], flush=True)
    if args.sentences_csv.exists():
        more = csv_texts(args.sentences_csv, args.limit)
        results["score_sentences_csv"] = {"file": args.sentences_csv.name, **time_score(more, 1)}
        print("score,", args.sentences_csv.name, results["score_sentences_csv"], flush=True)
    if not args.no_cli:
        results["cli_nyt_editorials"] = time_cli(texts)
        print("cli, NYT editorials:", results["cli_nyt_editorials"], flush=True)
    results["load_average_after"] = list(os.getloadavg())
    results["machine"] = {"cpu_model": _cpu_model(), "cpu_count": os.cpu_count(), "python": platform.python_version(),
                          "numpy": metadata.version("numpy"), "blas_threads": 1}
    args.output.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print("wrote", args.output)
    return 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    raise SystemExit(main())
