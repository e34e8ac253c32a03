"""A hostile user's inputs: every problem is named (file, line or key), says ``Fix:``, exits non-zero
without a traceback, and no input is ever written.  One test per problem the sweep found."""
from __future__ import annotations

import pytest

import test_validate as tv  # its corpus-folder helper (make) and a good article text
from _buildkit import tree_hashes

from alliance_study.cli import main


@pytest.fixture(autouse=True)
def _plain_errors(monkeypatch, tmp_path):
    """Errors as a user sees them (no ALLIANCE_STUDY_DEBUG re-raise); a cache of the test's own."""
    monkeypatch.delenv("ALLIANCE_STUDY_DEBUG", raising=False)
    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(tmp_path / "cache"))


def user_error(capsys, argv: list[str]) -> str:
    """Run the CLI, expect a user error (exit code 1 or 2, no traceback, no 'internal error'); return stderr+stdout."""
    code = main([str(a) for a in argv])
    cap = capsys.readouterr()
    text = cap.err + cap.out
    assert code in (1, 2), text
    assert "Traceback" not in text and "internal error" not in text, text
    assert "Fix:" in text, text
    return text


@pytest.fixture
def study(tmp_path, capsys):
    """A new study made by ``alliance-study init`` (table corpus data/corpus.jsonl, lexicon copies)."""
    d = tmp_path / "my study"
    assert main(["init", str(d)]) == 0
    capsys.readouterr()
    return d


# ------------------------------------------------------------------ build: outputs never replace inputs
@pytest.mark.parametrize("out", ["data", ".", "lexicons/frames.yaml"])
def test_build_refuses_an_output_folder_holding_an_input(study, capsys, out):
    before = tree_hashes(study)
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--output-dir", study / out,
                               "-p", "news_sentiment", "false"])
    assert "holds an input of the build" in text and str((study / out).resolve()) in text
    assert tree_hashes(study) == before


def test_build_refuses_a_processed_folder_holding_the_corpus_table(study, capsys):
    before = tree_hashes(study)
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--processed-dir", study / "data"])
    assert "corpus.jsonl" in text
    assert tree_hashes(study) == before


# ------------------------------------------------------------------ outputs that cannot be written
def test_score_output_below_a_file_is_a_user_error(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,The minister may resign.\n", encoding="utf-8")
    before = src.read_bytes()
    text = user_error(capsys, ["score", src, "-o", src / "out.csv", "--jobs", "1", "--no-progress"])
    assert f"{src / 'out.csv'}: cannot write here ({src} is a file, not a folder)" in text
    assert src.read_bytes() == before


def test_init_below_a_file_is_a_user_error(tmp_path, capsys):
    (tmp_path / "f.txt").write_text("x")
    text = user_error(capsys, ["init", tmp_path / "f.txt" / "study"])
    assert str(tmp_path / "f.txt") in text and "Not a directory" in text
