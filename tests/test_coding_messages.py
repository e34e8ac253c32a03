"""What coders and the study's author read: every problem of a filled sheet at once (row, column, fix),
and a codebook that describes each frame and shows its typical words, wildcards included."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from alliance_study.corpus import load_corpus
from alliance_study.errors import InputError
from alliance_study.metrics import score_sentences
from alliance_study.validity import sheets as sheet_mod
from alliance_study.validity.agreement import agreement
from alliance_study.validity.coding import codebook, run_sample
from alliance_study.validity.sheets import read_sheet

N = 40


@pytest.fixture(scope="module")
def tables(raw_dir):
    corpus = load_corpus(raw_dir)
    return score_sentences(corpus.sentences), corpus.articles


@pytest.fixture(scope="module")
def blank(tables, tmp_path_factory) -> pd.DataFrame:
    sentences, articles = tables
    d = tmp_path_factory.mktemp("coding")
    run_sample(sentences, articles, d / "sheet.csv", n=N, seed=3)
    return pd.read_csv(d / "sheet.csv", dtype=str, keep_default_na=False)


def write(sheet: pd.DataFrame, path) -> str:
    sheet.to_csv(path, index=False)
    return str(path)


# ------------------------------------------------------------------ 7. every problem of a sheet
def test_every_problem_of_a_sheet_is_reported_with_row_and_column(blank, tmp_path):
    """Only the first problem was reported: a coder fixed one cell per run."""
    s = blank.copy()
    s.loc[1, "sentiment"] = "7"       # row 2: out of range
    s.loc[2, "hedged"] = "yes"        # row 3: not a number
    s.loc[4, "sentiment"] = "0.5"     # row 5: not a whole number
    frame = next(c for c in s.columns if c.startswith("frame_"))
    s.loc[6, frame] = "2"             # row 7: out of range (0/1)
    s.loc[7, "unit_id"] = s.loc[0, "unit_id"]  # row 8: a unit twice
    path = write(s, tmp_path / "ann.csv")
    with pytest.raises(InputError) as err:
        read_sheet(path)
    text = str(err.value)
    assert text.startswith(f"{path}: 5 problems in this coding sheet")
    for row, col, why in [(2, "sentiment", "'7' is out of range"), (3, "hedged", "'yes' is not a number"),
                          (5, "sentiment", "'0.5' is not a whole number"), (7, frame, "'2' is out of range"),
                          (8, "unit_id", f"unit {s.loc[0, 'unit_id']!r} appears twice")]:
        assert re.search(rf"^  {re.escape(path)}, row {row}, column {col!r}: {re.escape(why)}\. Fix: \w", text,
                         re.M), (row, col, text)
    assert len(text.splitlines()) == 6


def test_many_problems_are_capped_with_their_count(blank, tmp_path):
    s = blank.assign(sentiment="9")
    path = write(s, tmp_path / "bob.csv")
    with pytest.raises(InputError) as err:
        read_sheet(path)
    text = str(err.value)
    cap = sheet_mod.MAX_SHOWN
    assert N > cap and f"{N} problems in this coding sheet (the first {cap} shown)" in text
    assert text.count("is out of range. Fix:") == cap
    assert f"... and {N - cap} more" in text


def test_agreement_names_every_edited_unit_of_every_sheet(blank, tables, tmp_path):
    """A changed unit_id and an edited sentence number on one sheet, a bad value on the other: all said."""
    sentences, _ = tables
    ann = blank.assign(sentiment="1", hedged="0", speaker="none")
    ann_path = write(ann, tmp_path / "ann.csv")
    bob = ann.copy()
    bob.loc[3, "unit_id"] = "u9999"           # row 4: the same sentence under another unit
    bob.loc[5, "sent_id"] = "9999"            # row 6: no such sentence
    bob_path = write(bob, tmp_path / "bob.csv")
    with pytest.raises(InputError) as err:
        agreement([ann_path, bob_path], sentences, n_boot=10)
    text = str(err.value)
    assert f"{bob_path}, coder bob: 2 problems in this coding sheet" in text
    assert f"{bob_path}, coder bob: row 4, column 'unit_id': article" in text and "'u9999'" in text
    assert f"{bob_path}, coder bob: row 6, column 'unit_id': unit" in text and "not a sentence" in text
    assert ann_path not in text
    # problems in two sheets' cells: both sheets are named in one error
    carl_path = write(ann.assign(hedged=["5"] + ["0"] * (N - 1)), tmp_path / "carl.csv")
    dora_path = write(ann.assign(sentiment=["x"] + ["1"] * (N - 1)), tmp_path / "dora.csv")
    with pytest.raises(InputError) as err:
        agreement([carl_path, dora_path], sentences, n_boot=10)
    text = str(err.value)
    assert f"{carl_path}, row 1, column 'hedged': '5' is out of range" in text
    assert f"{dora_path}, row 1, column 'sentiment': 'x' is not a number" in text


# ------------------------------------------------------------------ 8. the codebook's frames
def test_codebook_uses_the_label_and_shows_wildcard_cues(tmp_path):
    frames = tmp_path / "frames.yaml"
    frames.write_text(
        "categories:\n"
        "  blame:\n    label: Blame and accusation\n    cues: [blame*, accus*, fault]\n"
        "  cost:\n    description: what it costs\n    label: Cost\n    cues: [cost, 'price|prices']\n"
        "  bare:\n    cues: [thing]\n", encoding="utf-8")
    book = codebook(["blame", "cost", "bare"], frames_lexicon=str(frames))
    line = {m.group(1): m.group(0) for m in re.finditer(r"^- \*\*frame_(\w+)\*\* -- .*$", book, re.M)}
    assert line["blame"] == "- **frame_blame** -- Blame and accusation. Typical words: *blame…*, *accus…*, *fault*."
    assert line["cost"] == "- **frame_cost** -- what it costs. Typical words: *cost*, *price*."
    assert "(no description or label in the frame file)" in line["bare"]


def test_codebook_of_the_packaged_frames_lists_their_wildcards():
    book = codebook(["conflict"])
    conflict = next(x for x in book.splitlines() if x.startswith("- **frame_conflict**"))
    assert "*conflict…*" in conflict and "*clash…*" in conflict
