"""A study folder moved or copied elsewhere (a CI checkout at a new path) keeps its partition cache.

The loader records where each article of a table corpus came from (``table_file``); the
outputs write it relative to the corpus (``table/corpus.csv``), and the cache is keyed and
filled the same way, so the same study at another path reads every partition from the
cache and writes the same bytes.
"""
from __future__ import annotations

import shutil

import pandas as pd

from _buildkit import run_build, tree_hashes, two_outlet_corpus
from test_build_kill import one_quick_notebook


def _table_study(folder, n=30):
    docs = two_outlet_corpus(folder.parent / "docs", n=n)
    meta = pd.read_csv(docs / "articles.csv")
    meta["text"] = [(docs / f).read_text(encoding="utf-8") for f in meta["file"]]
    (folder / "data").mkdir(parents=True)
    meta[["article_id", "outlet", "text"]].to_csv(folder / "data" / "corpus.csv", index=False)
    (folder / "study.yaml").write_text("title: Two outlets\ncorpus:\n  table: data/corpus.csv\n"
                                       "parameters:\n  group_by: outlet\n", encoding="utf-8")
    return folder


def test_a_moved_study_reads_its_partitions_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(tmp_path / "cache"))
    nbs = one_quick_notebook(tmp_path / "nbs")
    first = _table_study(tmp_path / "here" / "study")

    def build(study, name):
        r = run_build("--study", study / "study.yaml", "--processed-dir", tmp_path / name / "proc",
                      "--output-dir", tmp_path / name / "out", "--notebooks-dir", nbs, "--jobs", "1",
                      "--partition-size", "10", timeout=300)
        assert r.returncode == 0, r.stderr
        return r.stderr, tree_hashes(tmp_path / name / "proc")

    err, made = build(first, "a")
    assert "3 partition(s) processed, none from the cache" in err, err
    moved = tmp_path / "elsewhere" / "checkout" / "study"
    shutil.copytree(first, moved)
    shutil.rmtree(first)
    err, again = build(moved, "b")
    assert "all 3 partition(s) from the cache" in err, err
    assert again == made  # the same bytes, the corpus's place included as the outputs write it
    articles = pd.read_parquet(tmp_path / "b" / "proc" / "articles.parquet")
    assert set(articles["table_file"]) == {"table/corpus.csv"}
