"""Processing and the notebooks' table cache (alliance_study.report.process) on the seed corpus.

The cache must never hand a notebook stale tables: an edited lexicon or data file, a
different package version, other parameters or an edited input each force a recompute.
"""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from _buildkit import copy_raw, tree_hashes

from alliance_study import resources
from alliance_study.errors import InputError
from alliance_study.report import load_tables, process_corpus, tables_are_fresh
from alliance_study.report.provenance import data_file_hashes

FAST = dict(n_boot=20, n_perm=20)


@pytest.fixture(scope="module")
def processed(tmp_path_factory, raw_dir):
    out = tmp_path_factory.mktemp("processed")
    process_corpus(raw_dir, out, **FAST)
    return out


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_records_inputs_data_files_versions_and_parameters(processed):
    m = _manifest(processed)
    for name in ("hedges.yaml", "boosters.yaml", "frames.yaml", "targets.yaml", "actors.csv", "attribution.yaml",
                 "roles.yaml", "abbreviations.txt", "stopwords_en.txt"):
        assert f"lexicons/{name}" in m["data_files"], name
    assert m["data_files"]["lexicons/hedges.yaml"] == resources.content_hash(resources.packaged("hedges.yaml"))
    assert m["versions"]["alliance-study"] and m["versions"]["pandas"] == pd.__version__
    assert m["parameters"]["n_boot"] == 20 and m["parameters"]["level"] == 0.95
    assert len([k for k in m["inputs"] if k.endswith(".txt")]) == 5
    assert "target" in pd.read_parquet(processed / "sentences.parquet").columns


def test_fresh_tables_are_read_not_recomputed(processed, raw_dir, monkeypatch):
    import alliance_study.report.process as proc

    assert tables_are_fresh(processed, raw_dir, **FAST)
    monkeypatch.setattr(proc, "process_corpus", lambda *a, **k: pytest.fail("recomputed fresh tables"))
    t = load_tables(raw_dir, processed, **FAST)
    assert t.sentences.equals(pd.read_parquet(processed / "sentences.parquet"))


def test_other_parameters_are_not_fresh(processed, raw_dir):
    assert not tables_are_fresh(processed, raw_dir, n_boot=20, n_perm=20, seed=1)
    assert not tables_are_fresh(processed, raw_dir, n_boot=20, n_perm=20, roles=["body"])


def test_edited_lexicon_makes_tables_stale(tmp_path, raw_dir, monkeypatch):
    """Regression: the cache looked at input files and parameters only, so after a lexicon was
    edited a notebook silently read tables computed with the old lexicon."""
    out = tmp_path / "proc"
    load_tables(raw_dir, out, **FAST)
    before = _manifest(out)
    lex = tmp_path / "lexicons"
    shutil.copytree(resources.packaged("hedges.yaml").parent, lex,
                    ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    with open(lex / "hedges.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n# edited by a test\n")
    monkeypatch.setattr(resources, "packaged", lambda name: lex / name)
    assert not tables_are_fresh(out, raw_dir, **FAST)
    import alliance_study.report.process as proc

    calls = []
    real = proc.process_corpus
    monkeypatch.setattr(proc, "process_corpus", lambda *a, **k: calls.append(1) or real(*a, **k))
    load_tables(raw_dir, out, **FAST)  # recomputes with the edited lexicon
    assert calls == [1], "stale tables were read after the lexicon changed"
    after = _manifest(out)
    assert after["data_files"]["lexicons/hedges.yaml"] != before["data_files"]["lexicons/hedges.yaml"]
    assert after["data_files"]["lexicons/hedges.yaml"] == resources.content_hash(lex / "hedges.yaml")
    assert tables_are_fresh(out, raw_dir, **FAST)


def test_tables_of_another_package_version_are_stale(tmp_path, raw_dir):
    out = tmp_path / "proc"
    process_corpus(raw_dir, out, **FAST)
    m = _manifest(out)
    m["versions"]["alliance-study"] = "0.0.0-older"
    (out / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert not tables_are_fresh(out, raw_dir, **FAST)
    del m["data_files"]  # a manifest written before data files were recorded is never fresh
    m["versions"] = _manifest(out)["versions"]
    (out / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert not tables_are_fresh(out, raw_dir, **FAST)


def test_edited_input_makes_tables_stale(tmp_path, raw_dir):
    raw = copy_raw(raw_dir, tmp_path / "raw")
    out = tmp_path / "proc"
    process_corpus(raw, out, **FAST)
    assert tables_are_fresh(out, raw, **FAST)
    first = sorted(raw.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert not tables_are_fresh(out, raw, **FAST)


def test_data_file_hashes_cover_every_packaged_data_file():
    names = {n for n in resources.available() if not n.endswith(".md")}
    assert {f"lexicons/{n}" for n in names} == set(data_file_hashes())


def test_unknown_processing_parameter_is_refused(tmp_path, raw_dir):
    with pytest.raises(InputError, match="n_bootz"):
        process_corpus(raw_dir, tmp_path / "p", n_bootz=5)
    assert not (tmp_path / "p").exists()


def test_parameters_are_read_and_checked_as_build_does(tmp_path, raw_dir, processed):
    """A notebook's or a library caller's values as ``build -p`` takes them: "body" is the list
    [body] (it was split into letters), "false" is false, a wrong type or value is refused."""
    from alliance_study.errors import ParameterError

    # the same values as text: the tables in `processed` (made with n_boot=20) are fresh for them
    assert tables_are_fresh(processed, raw_dir, n_boot="20", n_perm="20", roles="headline,body")
    t = process_corpus(raw_dir, tmp_path / "p", write=False, roles="body", concordance_terms="partnership",
                       news_sentiment="false", **FAST)
    assert t.params["roles"] == ["body"] and t.params["concordance_terms"] == ["partnership"]
    assert t.params["news_sentiment"] is False and "sentiment_news" not in t.sentences.columns
    assert set(t.concordance["keyword"].str.lower()) == {"partnership"}
    for bad, match in ((dict(n_boot=10.7), "'n_boot' must be int"), (dict(n_boot="abc"), "'n_boot' must be int"),
                       (dict(roles="bodyy"), "unknown role.*'bodyy'.*Fix"), (dict(level=95), "'level' is 95")):
        with pytest.raises(ParameterError, match=match):
            process_corpus(raw_dir, tmp_path / "q", **(FAST | bad))
    with pytest.raises(ParameterError, match="on_invalid must be 'fail' or 'skip', not 'skipp'"):
        process_corpus(raw_dir, tmp_path / "q", on_invalid="skipp", **FAST)
    assert not (tmp_path / "q").exists()


def test_unknown_group_column_names_the_columns(tmp_path, raw_dir):
    with pytest.raises(InputError, match="group_by='nope'.*outlet"):
        process_corpus(raw_dir, tmp_path / "p", group_by="nope", **FAST)


def test_write_false_writes_nothing(tmp_path, raw_dir):
    t = process_corpus(raw_dir, tmp_path / "p", write=False, **FAST)
    assert len(t.group_comparison) and not (tmp_path / "p").exists()


def test_same_inputs_same_bytes(tmp_path, raw_dir, processed):
    process_corpus(raw_dir, tmp_path / "again", **FAST)
    assert tree_hashes(tmp_path / "again") == tree_hashes(processed)
