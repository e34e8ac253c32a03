"""Study files and build options of the wrong shape: each is named (file, key, reason, ``Fix:``) with the
exit code ``--help`` gives, never an internal error.  One test per problem testers found."""
from __future__ import annotations

import json
import warnings

import pytest
import yaml

from alliance_study.cli import _parser, main
from alliance_study.report import study as study_file
from alliance_study.report.study import StudyError, load_study


# errors as a user sees them, a cache of each test's own, and a new study made by `alliance-study init`
from test_robustness_sweep import _plain_errors, study  # noqa: E402,F401 - fixtures shared with the sweep


def run(capsys, argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return code, cap.err + cap.out


def user_error(capsys, argv, code: int = 2) -> str:
    got, text = run(capsys, argv)
    assert got == code, text
    assert "Traceback" not in text and "internal error" not in text and "This is a bug" not in text, text
    assert "Fix:" in text, text
    return text


def with_keys(study, name: str, extra: str, drop: tuple[str, ...] = ()) -> str:
    """The study file of ``init`` with top-level keys ``drop`` removed and the YAML ``extra`` added."""
    data = yaml.safe_load((study / "study.yaml").read_text(encoding="utf-8"))
    for key in drop:
        data.pop(key, None)
    path = study / name
    path.write_text(yaml.safe_dump(data, sort_keys=False) + extra, encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------ 1. values of the wrong shape
@pytest.mark.parametrize("extra, drop, key, says", [
    ("5: x\n", (), "'5'", "a key must be a name (text), not 5 (a number)"),
    ("lexicons: lexicons/\n", ("lexicons",), "'lexicons'", "expected a mapping"),
    ("validation: coding/*.csv\n", (), "'validation'", "expected a mapping"),
    ("validation: {coding: 5}\n", (), "'validation.coding'", "expected text or a list of texts, got 5"),
    ("parameters: {7: 1, group_by: outlet}\n", ("parameters",), "'parameters.7'", "a key must be a name"),
    ("corpus: {table: data/corpus.jsonl, columns: {article_id: id, text: maintext, 2: x}}\n", ("corpus",),
     "'corpus.columns.2'", "a key must be a name"),
])
def test_study_values_of_the_wrong_shape_are_named(study, capsys, extra, drop, key, says):
    """These were TypeError / AttributeError ('internal error', exit 3) in the study file's checks."""
    path = with_keys(study, "odd.yaml", extra, drop)
    for argv in (["build", "--check", "--study", path], ["validate", "--study", path]):
        text = user_error(capsys, argv)
        assert f"{path}: key {key}: {says}" in text, text
    with pytest.raises(StudyError) as err:
        load_study(path)
    assert len(err.value.problems) == 1 and "Fix:" in err.value.problems[0]


def test_sample_names_lexicons_given_as_text(study, capsys, tmp_path):
    path = with_keys(study, "odd.yaml", "lexicons: lexicons/\n", ("lexicons",))
    text = user_error(capsys, ["sample", "--study", path, "-o", tmp_path / "coding" / "sheet.csv"])
    assert "key 'lexicons': expected a mapping" in text and "frames: lexicons/frames.yaml" in text
    assert not (tmp_path / "coding").exists()


def test_a_params_file_that_is_not_utf8_is_named(study, capsys):
    bad = study / "params.yaml"
    bad.write_bytes("group_by: r\xe9gion\n".encode("latin-1"))
    text = user_error(capsys, ["build", "--check", "--study", study / "study.yaml", "--params", bad])
    assert str(bad) in text and "UTF-8" in text


# ------------------------------------------------------------------ 2. a processed dir that is a file
@pytest.mark.parametrize("sub", ["", "below"])
def test_check_refuses_a_processed_dir_that_is_a_file(study, capsys, sub):
    """It passed --check, then the build failed after all its work ('File exists')."""
    afile = study / "notes.txt"
    afile.write_text("mine\n", encoding="utf-8")
    target = afile / sub if sub else afile
    text = user_error(capsys, ["build", "--check", "--study", study / "study.yaml", "--processed-dir", target])
    assert f"{afile}: " in text and "a file" in text and "--processed-dir" in text
    assert afile.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("sub", ["", "below"])
def test_build_refuses_a_processed_dir_that_is_a_file_before_building(study, sub):
    from alliance_study.errors import InputError
    from alliance_study.report.orchestrate import _paths

    afile = study / "notes.txt"
    afile.write_text("mine\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"{afile}: .*a file"):
        _paths(load_study(study / "study.yaml"), afile / sub if sub else afile, None, None)


# ------------------------------------------------------------------ 3. and 4. validate's output and exit codes
def test_validate_study_shows_the_table_path_plainly(study, capsys):
    code, text = run(capsys, ["validate", "--study", study / "study.yaml"])
    table = study.resolve() / "data" / "corpus.jsonl"
    assert code == 0 and f"(table: {table})" in text, text
    assert "['" not in text


def test_validate_exit_code_of_a_missing_table_is_the_one_help_gives(tmp_path, capsys):
    """`validate missing.parquet` exits 1; the help said '2 when unusable'."""
    text = user_error(capsys, ["validate", tmp_path / "missing.parquet"], code=1)
    assert "table file not found" in text
    sub = _parser()._subparsers._group_actions[0].choices["validate"]
    help_text = " ".join(sub.description.split())
    assert "1 when the corpus has an error" in help_text and "table missing or unreadable" in help_text
    assert "2 when the command cannot run as given" in help_text
    # the study file's own problems are the command's (2), as in build
    (tmp_path / "s.yaml").write_text("corpus: {table: missing.parquet, columns: {article_id: id, text: t}}\n")
    user_error(capsys, ["validate", "--study", tmp_path / "s.yaml"], code=2)


# ------------------------------------------------------------------ 5. group_by names columns as they are
def test_bad_group_by_quotes_columns_and_hides_the_loaders_own(tmp_path, capsys):
    rows = [{"id": f"a{i}", "body": "The council met on Monday. It agreed a plan.", "Region, coded (v2)": "North"}
            for i in range(3)]
    (tmp_path / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "study.yaml").write_text(
        "corpus:\n  table: corpus.jsonl\n  columns: {article_id: id, text: body, outlet: 'Region, coded (v2)'}\n"
        "parameters: {group_by: region}\n", encoding="utf-8")
    text = user_error(capsys, ["build", "--check", "--study", tmp_path / "study.yaml"])
    assert "group_by='region': no such column" in text
    offered = text.split("to one of: ")[1]
    assert "'outlet'" in offered and "'title'" in offered
    assert "table_file" not in offered and "table_row" not in offered and "article_id" not in offered
    # a column whose name has a comma is one quoted name
    (tmp_path / "study.yaml").write_text(
        "corpus:\n  table: corpus.jsonl\n  columns: {article_id: id, text: body, outlet: id}\n"
        "parameters: {group_by: region}\n", encoding="utf-8")
    text = user_error(capsys, ["build", "--check", "--study", tmp_path / "study.yaml"])
    assert "'Region, coded (v2)'" in text.split("to one of: ")[1]


# ------------------------------------------------------------------ 6. coded sheets come later
def test_an_unmatched_coding_glob_is_a_warning_until_agreement(study, capsys):
    path = with_keys(study, "coded.yaml", "validation: {coding: coding/*.csv}\n")
    code, text = run(capsys, ["validate", "--study", path])
    assert code == 0, text
    assert "note:" in text and "no coded sheet matches" in text and "coding/*.csv" in text and "Fix:" in text
    assert text.count("OK: ") == 1
    code, text = run(capsys, ["build", "--check", "--study", path])
    assert code == 0 and "OK:" in text and "note:" in text and "no coded sheet matches" in text, text
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # loading says nothing (a notebook would print it in the report)
        s = load_study(path)
    assert s.coding == ()
    with pytest.warns(study_file.StudyWarning, match="no coded sheet matches"):
        s.warn_coding()
    with pytest.raises(StudyError, match=r"key 'validation.coding': no coded sheet matches .*coding/\*\.csv. Fix:"):
        s.coding_sheets()
    # once a sheet is there: no warning, and agreement has its sheets
    (study / "coding").mkdir()
    (study / "coding" / "ann.csv").write_text("unit_id\n", encoding="utf-8")
    s = load_study(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s.warn_coding()
    assert s.coding_sheets() == [study.resolve() / "coding" / "ann.csv"]


# ------------------------------------------------------------------ 9. a cue in two categories of one lexicon
def test_a_cue_in_two_frames_is_refused_naming_both(study, capsys):
    """Matches do not overlap within a lexicon: 'week' counted for frame a only, silently."""
    (study / "lexicons" / "frames.yaml").write_text(
        "categories:\n  a: {cues: [week]}\n  b: {cues: [week, plan]}\n", encoding="utf-8")
    text = user_error(capsys, ["build", "--check", "--study", study / "study.yaml"])
    assert "frames.yaml" in text and "'week'" in text and "'a'" in text and "'b'" in text
