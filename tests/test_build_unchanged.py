""""Nothing changed since the last build" only when every output the last build wrote is still as written.

The check used to hash only the report page and the processed manifest: a deleted
processed table or an edited figure was reported "up to date".  Each build here runs the
real command line on a small corpus with one fast notebook (partitions from the cache).
"""
from __future__ import annotations

from _buildkit import FAST, run_build, two_outlet_corpus
from test_build_kill import one_quick_notebook


def test_a_missing_or_changed_output_is_rebuilt_and_said(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(tmp_path / "cache"))
    raw = two_outlet_corpus(tmp_path / "raw", n=20)
    nbs = one_quick_notebook(tmp_path / "nbs")
    out, proc = tmp_path / "out", tmp_path / "proc"
    args = ["--raw-dir", raw, "--output-dir", out, "--processed-dir", proc, "--notebooks-dir", nbs, "--jobs", "1"]

    def build():
        r = run_build(*args, timeout=300)
        assert r.returncode == 0, r.stderr
        return r.stderr

    build()
    figure, keyness = out / "figures" / "01_tables.svg", proc / "keyness.csv"
    assert figure.is_file() and keyness.is_file()
    assert "nothing changed since the last build" in build()

    keyness.unlink()  # a processed table deleted
    err = build()
    assert "nothing changed" not in err and f"{keyness}: missing" in err, err
    assert keyness.is_file()

    good = figure.read_bytes()
    figure.write_bytes(good + b"junk")  # a figure appended to
    err = build()
    assert "nothing changed" not in err and f"{figure}: changed since the last build" in err, err
    assert figure.read_bytes() == good

    articles = proc / "articles.csv"  # the same size, one byte different: only the hash sees it
    data = bytearray(articles.read_bytes())
    data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
    articles.write_bytes(bytes(data))
    err = build()
    assert "nothing changed" not in err and f"{articles}: changed since the last build" in err, err

    # notebooks kept by an earlier failed build do not stay beside an up-to-date report unsaid
    (out / "failed").mkdir()
    (out / "failed" / "01_quick.ipynb").write_text("{}")
    err = build()
    assert "nothing changed since the last build" in err
    assert f"removed {out / 'failed'}" in err and not (out / "failed").exists()


def test_executed_notebooks_are_the_same_bytes_in_two_builds(tmp_path, monkeypatch):
    """papermill's clock readings and the random id of its injected cell made every executed notebook (and so
    the report manifest's output hashes) differ between two builds of the same inputs."""
    import json

    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(tmp_path / "cache"))
    raw = two_outlet_corpus(tmp_path / "raw", n=20)
    nbs = one_quick_notebook(tmp_path / "nbs")
    out, proc = tmp_path / "out", tmp_path / "proc"
    args = ["--raw-dir", raw, "--output-dir", out, "--processed-dir", proc, "--notebooks-dir", nbs, "--jobs", "1"]
    first = run_build(*args, timeout=300)
    assert first.returncode == 0, first.stderr
    executed = out / "notebooks" / "01_quick.ipynb"
    before = executed.read_bytes()
    nb = json.loads(before)
    assert not any(k in nb["metadata"]["papermill"] for k in ("start_time", "end_time", "duration"))
    assert ".build-" not in nb["metadata"]["papermill"]["output_path"]
    assert all("execution" not in c["metadata"] for c in nb["cells"])
    (out / "framing_report.html").unlink()  # so the next build runs again, notebooks and all
    second = run_build(*args, timeout=300)
    assert second.returncode == 0 and "missing: building again" in second.stderr, second.stderr
    assert executed.read_bytes() == before
    import hashlib

    outputs = json.loads((out / "manifest.json").read_text())["outputs"]
    assert outputs["notebooks/01_quick.ipynb"] == hashlib.sha256(before).hexdigest()
