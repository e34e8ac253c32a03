"""`alliance-study score`: in process via cli.main and as the installed command."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from alliance_study.cli import main
from alliance_study.metrics import default_scorer

from conftest import GENERIC_FRAME_NAMES
from test_scale import ground_truth

EXE = Path(sys.executable).parent / "alliance-study"


def test_csv_to_parquet_scores_every_ground_truth_sentence_in_order(vader_dir, tmp_path, capsys):
    gt = ground_truth(vader_dir)
    src, dst = tmp_path / "gt.csv", tmp_path / "gt_scored.parquet"
    gt.to_csv(src, index=False)
    assert main(["score", str(src), "-o", str(dst), "--jobs", "1", "--no-progress"]) == 0
    cap = capsys.readouterr()
    assert cap.out == ""  # nothing on stdout; the summary goes to stderr
    assert "23,703 rows" in cap.err

    out = pd.read_parquet(dst)
    metrics = default_scorer().columns
    assert len(out) == 23_703
    assert list(out.columns) == ["source", "sid", "rating", "text"] + metrics
    assert out["text"].tolist() == gt["text"].tolist()          # every row, in input order
    assert out["sid"].astype(str).tolist() == gt["sid"].tolist()
    assert not out[metrics].isna().any().any()                  # every metric filled
    assert out["sentiment_compound"].between(-1, 1).all()
    for c in ("sentiment_pos", "sentiment_neu", "sentiment_neg"):
        assert out[c].between(0, 1).all(), c
    counts = ["n_words", "hedge_count", "booster_count", "weasel_count"] + [c for c in metrics if c.startswith("frame_")]
    assert (out[counts] >= 0).all().all()
    assert (out["hedged_lexicon"] == (out["hedge_count"] > 0)).all()
    assert (out["weasel_count"] <= out["hedge_count"]).all()
    assert ((out["n_words"] > 0) == gt["text"].str.contains(r"\w", regex=True)).all()  # 0 only for ":)" etc.
    # the numbers are real: VADER compound equals the reference package, hedge cues are counted
    sia = SentimentIntensityAnalyzer()
    for i in range(0, 23_703, 97):
        assert out.at[i, "sentiment_compound"] == sia.polarity_scores(gt.at[i, "text"])["compound"]
    cues = out["hedge_cues"].str.split(";").map(lambda x: len([c for c in x if c]))
    assert (cues == out["hedge_count"]).all()
    assert out["hedged"].mean() > 0.05 and out["sentiment_compound"].abs().mean() > 0.2


def test_installed_command_streams_and_keeps_stdout_clean(tmp_path):
    src, dst = tmp_path / "in.tsv", tmp_path / "out.jsonl"
    pd.DataFrame({"doc": [3, 1, 2], "text": ["It may rain.", "Certainly not!", "Allies met."]}).to_csv(
        src, sep="\t", index=False)
    r = subprocess.run([str(EXE), "score", str(src), "-o", str(dst), "--jobs", "1", "--chunksize", "2"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    out = pd.read_json(dst, lines=True)
    assert out["doc"].tolist() == [3, 1, 2]
    assert out["hedged"].tolist() == [True, False, False]
    # `score` uses the package lexicons: no target terms, the five generic frames
    assert out["target"].tolist() == [False, False, False]
    assert [c for c in out.columns if c.startswith("frame_")] == [f"frame_{f}" for f in GENERIC_FRAME_NAMES]


def _run(args):
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=120)


def test_missing_column_error_names_the_columns(tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame({"id": [1], "body": ["x"]}).to_csv(src, index=False)
    r = _run(["score", str(src), "-o", str(tmp_path / "o.parquet")])
    assert r.returncode == 2
    assert "no text column 'text'" in r.stderr and "'id', 'body'" in r.stderr and "--text-column" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "o.parquet").exists()
    r = _run(["score", str(src), "-o", str(tmp_path / "o.parquet"), "--text-column", "body", "--no-progress"])
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("case", ["unknown_in", "unknown_out", "missing", "garbage_parquet", "not_utf8", "empty"])
def test_clear_errors_without_traceback(tmp_path, capsys, case):
    good = tmp_path / "good.csv"
    pd.DataFrame({"text": ["a"]}).to_csv(good, index=False)
    src, dst, expect = good, tmp_path / "out.parquet", None
    if case == "unknown_in":
        src = tmp_path / "in.xlsx"
        src.write_bytes(b"PK")
        expect = "unknown table format '.xlsx'"
    elif case == "unknown_out":
        dst, expect = tmp_path / "out.txt", "unknown table format '.txt'"
    elif case == "missing":
        src, expect = tmp_path / "absent.csv", "file not found"
    elif case == "garbage_parquet":
        src = tmp_path / "in.parquet"
        src.write_bytes(b"\x00\x01 not a parquet file")
        expect = "cannot be read as parquet"
    elif case == "not_utf8":
        src = tmp_path / "in.csv"
        src.write_bytes("text\ncaf\xe9 au lait\n".encode("latin-1"))
        expect = "Save it as UTF-8"
    elif case == "empty":
        src = tmp_path / "in.csv"
        src.write_bytes(b"")
        expect = "empty"
    code = main(["score", str(src), "-o", str(dst), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert expect in err and (dst.name if case == "unknown_out" else src.name) in err
    assert "Traceback" not in err
    assert not dst.exists()


def _score_until_running(src: Path, dst: Path) -> tuple[subprocess.Popen, set]:
    """``score SRC -o DST --jobs 2`` in a subprocess, returned once its two workers run and its temporary file exists."""
    import time

    from test_build_kill import _descendants

    p = subprocess.Popen([str(EXE), "score", str(src), "-o", str(dst), "--text-column", "text", "--jobs", "2",
                          "--chunksize", "2000", "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    seen: set = set()
    end = time.monotonic() + 60
    while time.monotonic() < end and p.poll() is None:
        seen |= _descendants(p.pid)
        if len(seen) >= 2 and list(dst.parent.glob(f".{dst.name}.*")):
            return p, seen
        time.sleep(0.05)
    p.kill()
    raise AssertionError(f"the score did not get going: {p.communicate()[1]}")


def _gone(pids, timeout: float = 20) -> list:
    import time

    from test_build_kill import _running

    end = time.monotonic() + timeout
    while time.monotonic() < end and any(_running(q) for q in pids):
        time.sleep(0.1)
    left = [q for q in pids if _running(q)]
    for q in left:  # never leave a process of this test behind
        import os
        import signal
        os.kill(q, signal.SIGKILL)
    return left


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_a_stopped_score_leaves_no_worker_and_no_temporary_file(vader_dir, tmp_path, how):
    """SIGTERM is a Ctrl-C (exit 130, said, temporary file removed); after a kill -9 nothing survives the
    driver and the next score to that output removes the temporary file the killed one left."""
    import signal

    src, dst = tmp_path / "gt.csv", tmp_path / "scored.csv"
    pd.concat([ground_truth(vader_dir)] * 2, ignore_index=True).to_csv(src, index=False)
    p, workers = _score_until_running(src, dst)
    p.send_signal(getattr(signal, how))
    err = p.communicate(timeout=60)[1]
    assert not _gone(workers), f"workers outlived the score ({how})"
    left = list(tmp_path.glob(".scored.csv.*"))
    if how == "SIGTERM":
        assert p.returncode == 130 and "interrupted" in err, err
        assert not left and not dst.exists()
        return
    assert p.returncode == -signal.SIGKILL and len(left) == 1  # kill -9: nothing could tidy up
    small = tmp_path / "small.csv"
    ground_truth(vader_dir).head(50).to_csv(small, index=False)
    r = subprocess.run([str(EXE), "score", str(small), "-o", str(dst), "--jobs", "1", "--no-progress"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"removed 1 temporary file(s) left beside {dst}" in r.stderr and left[0].name in r.stderr
    assert not list(tmp_path.glob(".scored.csv.*")) and len(pd.read_csv(dst)) == 50
