"""The study file (report/study.py) and `alliance-study init` (report/init.py)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from alliance_study.report.init import init_study
from alliance_study.report.study import STUDY_FILE, StudyError, load_study

ROOT = Path(__file__).resolve().parents[1]


def _table_study(tmp_path: Path, body: str, rows=None) -> Path:
    rows = rows or [{"id": "a1", "maintext": "Headline\n\nSome text here.", "source_domain": "x.com",
                     "date_publish": "2020-10-23 14:05:00"}]
    (tmp_path / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / STUDY_FILE).write_text(body, encoding="utf-8")
    return tmp_path / STUDY_FILE


def test_a_valid_table_study_resolves_paths_relative_to_the_file(tmp_path):
    (tmp_path / "lex").mkdir()
    shutil.copy(ROOT / "src/alliance_study/lexicons/hedges.yaml", tmp_path / "lex" / "h.yaml")
    p = _table_study(tmp_path, "title: T\nquestion: Q?\ncorpus:\n  table: corpus.jsonl\n"
                               "  columns: {article_id: id, text: maintext, outlet: source_domain}\n"
                               "lexicons: {hedges: lex/h.yaml}\nparameters: {group_by: outlet, n_boot: 50}\n")
    s = load_study(p)
    assert (s.title, s.question) == ("T", "Q?")
    assert s.table == (tmp_path.resolve() / "corpus.jsonl",)
    assert s.lexicons == {"hedges": tmp_path.resolve() / "lex" / "h.yaml"}
    assert s.scorer_kwargs() == {"hedges": str(tmp_path.resolve() / "lex" / "h.yaml")}
    assert s.corpus_kwargs()["columns"] == {"article_id": "id", "text": "maintext", "outlet": "source_domain"}
    assert s.parameters == {"group_by": "outlet", "n_boot": 50}
    assert load_study(tmp_path).path == s.path  # a folder means its study.yaml


def test_every_problem_is_one_line_naming_file_key_and_fix(tmp_path):
    p = _table_study(tmp_path, "titel: T\ncorpus:\n  table: corpus.jsonl\n"
                               "  columns: {article_id: id, text: main_text}\n"
                               "lexicons: {frames: nowhere/frames.yaml}\n")
    with pytest.raises(StudyError) as info:
        load_study(p)
    err = info.value
    assert err.exit_code == 2
    assert len(err.problems) == 3
    text = str(err)
    assert "key 'titel': unknown key. Fix: did you mean 'title'?" in text
    assert "key 'corpus.columns.text': the table corpus.jsonl has no column 'main_text'" in text
    assert "did you mean 'maintext'?" in text
    assert "key 'lexicons.frames': file not found" in text and "nowhere/frames.yaml" in text
    assert all(line.startswith(f"  {p.resolve()}: key '") or line.startswith(f"  {p}: key '")
               for line in text.splitlines()[1:])
    assert "Traceback" not in text


@pytest.mark.parametrize("body, expect", [
    ("corpus: {folder: raw}\n", "key 'corpus.folder': folder not found"),
    ("corpus: {table: missing.csv, columns: {article_id: id, text: t}}\n", "key 'corpus.table': no file matches"),
    ("corpus: {table: corpus.jsonl}\n",
     "key 'corpus.columns.article_id': missing, and the table corpus.jsonl has no column 'article_id'"),
    ("title: 3\ncorpus: {table: corpus.jsonl, columns: {article_id: id, text: maintext}}\n",
     "key 'title': expected text, got 3"),
    ("corpus: {table: corpus.jsonl, columns: {article_id: id}}\n", "key 'corpus.columns.text': missing"),
    ("parameters: [1]\ncorpus: {table: corpus.jsonl, columns: {article_id: id, text: maintext}}\n",
     "key 'parameters': expected a mapping"),
    ("title: [unclosed\n", "not valid YAML"),
    ("- a\n- b\n", "must be a YAML mapping"),
    ("title: T\n", "key 'corpus': missing"),
])
def test_malformed_study_files(tmp_path, body, expect):
    p = _table_study(tmp_path, body)
    with pytest.raises(StudyError) as info:
        load_study(p)
    assert expect in str(info.value)


@pytest.mark.parametrize("ext", ["csv", "tsv", "jsonl", "parquet"])
def test_columns_are_checked_against_the_header_of_every_format(tmp_path, ext):
    import pandas as pd
    df = pd.DataFrame({"id": ["a"], "maintext": ["x"], "site": ["s"]})
    path = tmp_path / f"t.{ext}"
    if ext == "jsonl":
        df.to_json(path, orient="records", lines=True)
    elif ext == "parquet":
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False, sep="\t" if ext == "tsv" else ",")
    good = f"corpus: {{table: t.{ext}, columns: {{article_id: id, text: maintext, outlet: site}}}}\n"
    (tmp_path / STUDY_FILE).write_text(good)
    assert load_study(tmp_path / STUDY_FILE).columns["text"] == "maintext"
    (tmp_path / STUDY_FILE).write_text(good.replace("text: maintext", "text: body"))
    with pytest.raises(StudyError) as info:
        load_study(tmp_path / STUDY_FILE)
    assert info.value.problems == [f"key 'corpus.columns.text': the table t.{ext} has no column 'body'. "
                                   f"Fix: its columns are: id, maintext, site."]


def test_an_unreadable_table_is_one_problem_naming_the_file(tmp_path):
    (tmp_path / "t.json").write_text('[{"id": 1}]')
    (tmp_path / STUDY_FILE).write_text("corpus: {table: t.json, columns: {article_id: id, text: x}}\n")
    with pytest.raises(StudyError) as info:
        load_study(tmp_path / STUDY_FILE)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith("key 'corpus.table': ") and "t.json" in info.value.problems[0]
    assert "unknown table format '.json'" in info.value.problems[0]


def test_init_writes_a_study_that_loads_and_refuses_a_non_empty_folder(tmp_path):
    d = tmp_path / "new"
    written = init_study(d)
    names = {p.relative_to(d).as_posix() for p in written}
    assert {"study.yaml", "README.md", "data/corpus.jsonl", "lexicons/targets.yaml", "lexicons/frames.yaml",
            "lexicons/actors.csv", "lexicons/hedges.yaml"} <= names
    s = load_study(d / "study.yaml")
    assert set(s.lexicons) == {"targets", "frames", "actors", "hedges", "boosters", "attribution", "roles"}
    # every study.yaml key is explained by a comment
    assert (d / "study.yaml").read_text().count("#") >= 15
    from alliance_study.errors import InputError
    with pytest.raises(InputError, match="folder is not empty"):
        init_study(d)
    assert init_study(d, force=True)


def test_the_example_corpus_has_its_target_and_no_pilot_words(tmp_path):
    d = tmp_path / "new"
    init_study(d)
    from alliance_study.metrics import Scorer
    s = Scorer(targets=str(d / "lexicons/targets.yaml"), frames=str(d / "lexicons/frames.yaml"))
    texts = [json.loads(line)["maintext"] for line in (d / "data/corpus.jsonl").read_text().splitlines()]
    scored = s.score(texts)
    assert scored["target"].all()  # every example article mentions the four-day week
    assert scored.filter(like="frame_").to_numpy().sum() > 0
    blob = "\n".join(p.read_text(encoding="utf-8") for p in d.rglob("*") if p.is_file()).lower()
    for word in ("alliance", "china", "russia", "putin"):
        assert word not in blob.replace("alliance-study", "").replace("alliance_study", "")


def test_the_pilot_study_file_names_its_lexicons_and_group_by(pilot_study):
    """study.yaml at the repository root is the pilot: its own targets, frames and actors, grouped by
    origin country; a corpus folder alone gets the package lexicons and no parameters."""
    from alliance_study.metrics import Scorer
    from alliance_study.report import as_study, study_scorer
    from conftest import GENERIC_FRAME_NAMES, PILOT, PILOT_FRAME_NAMES

    s = load_study(pilot_study)
    assert s.lexicons == {"targets": PILOT / "targets.yaml", "frames": PILOT / "frames.yaml",
                          "actors": PILOT / "actors.csv"}
    assert s.parameters == {"group_by": "origin_country"}
    assert s.folder == ROOT / "data" / "raw" and s.metadata == ROOT / "data" / "raw" / "articles.csv"
    assert study_scorer(pilot_study).frame_names == PILOT_FRAME_NAMES
    assert study_scorer(pilot_study).score_one("A military alliance is not needed.")["target"] is True
    bare = as_study(ROOT / "data" / "raw")
    assert bare.lexicons == {} and bare.parameters == {}
    assert study_scorer(bare).frame_names == GENERIC_FRAME_NAMES == Scorer().frame_names


def test_build_check_reads_the_study_cell_timeout_and_refuses_a_bad_one(tmp_path):
    import subprocess
    import sys
    cli = Path(sys.executable).parent / "alliance-study"
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "raw")
    for value, rc, says in [("5", 0, "cell timeout 5.0"), ("0", 0, "cell timeout none"),
                            ("soon", 2, "key 'parameters.cell_timeout': expected seconds")]:
        (tmp_path / STUDY_FILE).write_text(f"title: T\ncorpus: {{folder: raw}}\nparameters: {{cell_timeout: {value}}}\n")
        r = subprocess.run([str(cli), "build", "--check", "--study", str(tmp_path / STUDY_FILE)],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == rc, r.stderr
        assert says in r.stdout + r.stderr
        assert "Traceback" not in r.stderr


def test_a_table_whose_columns_have_the_studys_names_needs_no_mapping(tmp_path):
    """article_id and text: mapped under corpus.columns, or a column of that name (as the README says);
    the study file required the mapping anyway, and said each missing key twice."""
    import json

    from alliance_study.report.study import StudyError, load_study

    (tmp_path / "data").mkdir()
    rows = [{"article_id": "a1", "text": "Head\n\nThe minister said talks went on.", "outlet": "X"}]
    (tmp_path / "data" / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "study.yaml").write_text("title: T\ncorpus:\n  table: data/c.jsonl\n", encoding="utf-8")
    study = load_study(tmp_path / "study.yaml")
    from alliance_study.corpus import load_corpus

    assert load_corpus(**study.corpus_kwargs()).articles["article_id"].tolist() == ["a1"]
    (tmp_path / "data" / "c.jsonl").write_text(json.dumps({"id": "a1", "body": "x", "outlet": "X"}) + "\n",
                                              encoding="utf-8")
    with pytest.raises(StudyError) as err:
        load_study(tmp_path / "study.yaml")
    text = str(err.value)
    assert "key 'corpus.columns.article_id': missing, and the table c.jsonl has no column 'article_id'" in text
    assert "'id', 'body', 'outlet'" in text and text.count("corpus.columns.text") == 1
