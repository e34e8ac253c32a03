"""A damaged partition-cache entry is found, said, removed and recomputed: never an internal error.

A build of a small corpus fills the cache; one cached table is then cut short (as by a
full disk), or changed in place at the same size; the next build into new folders must
give the same tables as the first.
"""
from __future__ import annotations

from pathlib import Path

from _buildkit import run_build, tree_hashes, two_outlet_corpus
from test_build_kill import one_quick_notebook


def _build(raw, nbs, dest: Path):
    r = run_build("--raw-dir", raw, "--output-dir", dest / "out", "--processed-dir", dest / "proc",
                  "--notebooks-dir", nbs, "--jobs", "1", timeout=300)
    return r


def test_damaged_cache_entries_are_recomputed(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(cache))
    raw = two_outlet_corpus(tmp_path / "raw", n=20)
    nbs = one_quick_notebook(tmp_path / "nbs")
    first = _build(raw, nbs, tmp_path / "a")
    assert first.returncode == 0, first.stderr
    good = tree_hashes(tmp_path / "a" / "proc")

    # cut short: found before it is read (sizes and Parquet's end bytes), said, recomputed
    (sources,) = cache.glob("score/*/*/sources.parquet")
    with open(sources, "r+b") as fh:
        fh.truncate(100)
    r = _build(raw, nbs, tmp_path / "b")
    assert r.returncode == 0, r.stderr
    assert f"{sources.parent}: damaged cache entry (sources.parquet: 100 bytes, written as" in r.stderr, r.stderr
    assert "computed again" in r.stderr and "internal error" not in r.stderr
    assert tree_hashes(tmp_path / "b" / "proc") == good
    assert sources.stat().st_size > 100  # written again, whole

    # changed in place, same size: the copy's SHA-256 gives it away; a clear error, the entry removed
    (sentences,) = cache.glob("score/*/*/sentences.parquet")
    data = bytearray(sentences.read_bytes())
    data[len(data) // 2] ^= 0xFF
    sentences.write_bytes(bytes(data))
    r = _build(raw, nbs, tmp_path / "c")
    assert r.returncode == 1, r.stderr
    assert f"{sentences}: this table of the partition cache changed after it was written" in r.stderr
    assert "Fix: run the build again" in r.stderr and "internal error" not in r.stderr
    assert not sentences.parent.exists()
    r = _build(raw, nbs, tmp_path / "c")
    assert r.returncode == 0, r.stderr
    assert tree_hashes(tmp_path / "c" / "proc") == good
