"""The build benchmark's corpus generator (benchmarks/bench_build.py) at a tiny size.

Nothing here is timed: the benchmark itself runs outside the test suite.  These
check that its corpus is what the benchmark README says (reproducible bytes, 8-15
real NYT snippets per article in 2-4 paragraphs, outlets and groups, dates) and
that the study file beside it passes ``alliance-study build --check``.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bb():
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmarks" / "bench_build.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_build"] = mod  # dataclasses look their module up there
    try:
        spec.loader.exec_module(mod)
        yield mod
    finally:
        sys.modules.pop("bench_build", None)


@pytest.fixture(scope="module")
def snippets(bb, vader_dir):
    return bb.read_snippets(vader_dir / "nytEditorialSnippets_GroundTruth.txt")


@pytest.fixture(scope="module")
def corpus50(bb, snippets, tmp_path_factory):
    d = tmp_path_factory.mktemp("bench50")
    return bb.write_corpus(50, d, snippets=snippets), bb.write_study(50, d)


def test_corpus_bytes_are_reproducible(bb, snippets, corpus50, tmp_path):
    path, _ = corpus50
    again = bb.write_corpus(50, tmp_path / "again", snippets=snippets)
    assert again.read_bytes() == path.read_bytes()
    other_seed = bb.write_corpus(50, tmp_path / "seed2", seed=bb.SEED + 1, snippets=snippets)
    assert other_seed.read_bytes() != path.read_bytes()


def test_smaller_corpus_is_a_prefix_of_a_larger_one(bb, snippets, corpus50, tmp_path):
    small = pq.read_table(corpus50[0]).to_pylist()
    big = pq.read_table(bb.write_corpus(120, tmp_path, snippets=snippets)).to_pylist()
    assert len(big) == 120 and big[:50] == small


def test_articles_are_8_to_15_snippets_in_2_to_4_paragraphs(bb, snippets, corpus50):
    rows = pq.read_table(corpus50[0]).to_pylist()
    assert len(rows) == 50 and len({r["id"] for r in rows}) == 50
    known = set(snippets)
    counts = []
    for i, row in enumerate(rows):
        art = bb.draw_article(i, snippets)
        assert row == art.row()
        assert 8 <= len(art.sentences) <= 15 and set(art.sentences) <= known
        paragraphs = row["text"].split("\n\n")
        assert 2 <= len(paragraphs) <= 4 and all(p.strip() for p in paragraphs)
        assert row["title"] and art.sentences[0].startswith(row["title"])
        assert bb.OUTLETS[row["outlet"]] == row["origin_country"]
        assert bb.FIRST_DAY <= dt.date.fromisoformat(row["published"]) <= bb.LAST_DAY
        counts.append(len(art.sentences))
    assert len(set(counts)) > 3  # the sizes vary
    assert len({r["outlet"] for r in rows}) == 5


def test_package_splits_about_one_sentence_per_snippet(bb, snippets, corpus50):
    """The benchmark's sentences-per-article figure rests on the splitter seeing the snippets as sentences."""
    from alliance_study.corpus.sentences import sentence_spans

    rows = pq.read_table(corpus50[0]).to_pylist()
    drawn = sum(len(bb.draw_article(i, snippets).sentences) for i in range(len(rows)))
    split = sum(len(sentence_spans(p)) for r in rows for p in r["text"].split("\n\n"))
    assert 0.9 * drawn <= split <= 1.1 * drawn


def test_study_file_passes_build_check(corpus50):
    _, study = corpus50
    exe = Path(sys.executable).parent / "alliance-study"
    res = subprocess.run([str(exe), "build", "--study", str(study), "--check"], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "group_by='origin_country'" in res.stdout and "lexicons: package defaults" in res.stdout
