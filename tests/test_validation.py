"""External validation: VADER against the published human ratings and against the
reference implementation; hedging against the CoNLL-2010 Wikipedia sentences."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from alliance_study.errors import InputError
from alliance_study.metrics import default_scorer
from alliance_study.metrics.hedging import lexicon_hashes, load_hedge_model
from alliance_study.resources import content_hash, packaged
from alliance_study.validity.gold import (
    VADER_FILES, hedging_table, hedging_validation, nyt_documents, prf, read_vader_ground_truth, read_wikiweasel,
    split_halves, vader_reference_mismatches, vader_validation,
)

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def test_read_ground_truth_all_files(vader_dir):
    sizes = {}
    for fname in VADER_FILES:
        gt = read_vader_ground_truth(vader_dir / fname)
        assert list(gt.columns) == ["id", "rating", "text", "source", "encoding"]
        assert gt["rating"].between(-4, 4).all()
        assert not gt["text"].str.contains("\r").any()
        assert (gt["source"] == fname).all()
        sizes[fname] = len(gt)
    assert sum(sizes.values()) == 23_703
    assert sizes["nytEditorialSnippets_GroundTruth.txt"] == 5_190


def test_read_ground_truth_crlf_and_cp1252_fallback(tmp_path):
    p = tmp_path / "x_GroundTruth.txt"
    p.write_bytes(b"1_1\t1.5\tcaf\xc3\xa9 ok\r\n1_2\t-2\tna\xefve \x93quoted\x94\r\n2_1\t0\ttab\tinside\r\n")
    gt = read_vader_ground_truth(p)
    assert gt["text"].tolist() == ["café ok", "naïve “quoted”", "tab\tinside"]
    assert gt["encoding"].tolist() == ["utf-8", "cp1252", "utf-8"]
    assert gt["rating"].tolist() == [1.5, -2.0, 0.0]


def test_bad_ground_truth_line_names_file_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("1\t0.5\tfine\nbroken line\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.txt, line 2"):
        read_vader_ground_truth(p)


def test_missing_inputs_say_where_to_get_them(tmp_path):
    with pytest.raises(InputError, match="shared/validation/vader_icwsm2014"):
        vader_validation(tmp_path / "nowhere")
    with pytest.raises(InputError, match="shared/validation/wikiweasel"):
        hedging_validation(tmp_path / "dev.csv")


def test_vader_pearson_matches_published_reference(vader_dir):
    res = vader_validation(vader_dir).set_index("file")
    assert set(res.index) == set(VADER_FILES.values())
    assert res.loc["nyt_editorials", "pearson_r"] >= 0.485
    assert res.loc["nyt_editorials", "n"] == 5_190
    # same implementation as the reference: the published figures to rounding
    assert ((res["pearson_r"] - res["reference_r"]).abs() < 0.002).all(), res


def test_no_mismatch_with_reference_vader(vader_dir):
    mism = vader_reference_mismatches(vader_dir)
    assert len(mism) == 0, mism.head()


def test_nyt_documents(vader_dir):
    docs = nyt_documents(vader_dir)
    assert 450 <= len(docs) <= 550
    assert docs["n_sentences"].sum() == 5_190
    assert (docs["n_sentences"] > 1).mean() > 0.9
    assert docs["doc_id"].is_unique


def test_wikiweasel_reader(wikiweasel_csv):
    df = read_wikiweasel(wikiweasel_csv)
    assert len(df) == 7_363 and set(df["label"]) == {0, 1}
    assert not df["text"].str.endswith("\n").any()


def test_split_halves_is_fixed_and_disjoint(wikiweasel_csv):
    df = read_wikiweasel(wikiweasel_csv)
    a, b = split_halves(df)
    a2, _ = split_halves(df)
    assert a.index.equals(a2.index)
    assert len(a) + len(b) == len(df) and not set(a.index) & set(b.index)


def test_prf():
    r = prf([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
    assert (r["tp"], r["fp"], r["fn"]) == (2, 1, 1)
    assert r["precision"] == pytest.approx(2 / 3) and r["f1"] == pytest.approx(2 / 3)


def test_hedging_lexicon_f1_on_conll2010_wikipedia(wikiweasel_csv):
    res = hedging_validation(wikiweasel_csv, column="hedged_lexicon")
    assert res["n"] == 7_363 and res["n_positive"] == 2_131
    assert res["tp"] + res["fn"] == res["n_positive"]
    assert res["f1"] >= 0.60, res       # the acceptance threshold of issue 3
    # the measured figure is 0.626 (0.6263; 0.633 before "may" after a definite noun phrase counted, a
    # gain for news at a cost on Wikipedia): a lexicon change that costs more than about 0.001
    # F1 fails here, so validity cannot slip unnoticed towards the threshold
    assert res["f1"] >= 0.625, res
    # both halves of the fixed split (0.620 / 0.645), so the figure does not hang on one half
    df = read_wikiweasel(wikiweasel_csv)
    for half in split_halves(df):
        assert hedging_validation(half, column="hedged_lexicon")["f1"] >= 0.61


def test_hedging_table_reports_model_and_lexicon(wikiweasel_csv):
    model = load_hedge_model()
    table = hedging_table(wikiweasel_csv).set_index("decision")
    assert list(table.index) == ["hedged", "hedged_lexicon"]
    rec = model.meta["training"]
    # the shipped model reproduces the in-sample and lexicon-only figures its training recorded
    assert table.loc["hedged", "f1"] == pytest.approx(rec["in_sample"]["f1"], abs=0.005)
    assert table.loc["hedged_lexicon", "f1"] == pytest.approx(rec["lexicon_only"]["f1"], abs=0.0005)
    assert table.loc["hedged", "cv_f1"] == rec["cv"]["f1"]
    # the learned decision beats the lexicon out of sample (cross-validated by article), not only
    # in sample: by 0.008 at training (0.640 against 0.633)
    assert rec["cv"]["f1"] > rec["lexicon_only"]["f1"] + 0.005
    assert table.loc["hedged", "f1"] > table.loc["hedged_lexicon", "f1"]


def test_hedging_model_was_trained_on_this_file_and_these_lexicons(wikiweasel_csv):
    model = load_hedge_model()
    assert model.meta["training"]["sha256"] == content_hash(wikiweasel_csv)
    assert model.meta["lexicons"] == lexicon_hashes(packaged("hedges.yaml"), packaged("boosters.yaml")), \
        "the cues of hedges.yaml/boosters.yaml changed since training: run scripts/train_hedging.py"
    assert default_scorer().hedge_model is not None


def test_hedging_model_cv_figure_is_reproducible(wikiweasel_csv):
    """Recompute the nested cross-validation with the training script's own functions."""
    spec = importlib.util.spec_from_file_location("train_hedging", ROOT / "scripts" / "train_hedging.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    rec = load_hedge_model().meta["training"]
    df = read_wikiweasel(wikiweasel_csv)
    X, names = train.design(train.sentence_features(df["text"]))
    model = load_hedge_model()
    force = train.forced(X, names, model.always)
    cv = train.cross_validate(X, df["label"].to_numpy(), rec["seed"], rec["folds"], tuple(rec["c_grid"]),
                              force=force)
    assert cv["f1"] == pytest.approx(rec["cv"]["f1"], abs=0.0005)
    assert cv["precision"] == pytest.approx(rec["cv"]["precision"], abs=0.0005)
    assert model.always and force.sum() > 100  # the rule is part of the figure


def test_hedging_folds_hold_whole_articles(wikiweasel_csv):
    """The article folds rest on dev.csv's order: certain sentences, then uncertain ones, each in
    the articles' order, so that the i-th block of each label covers the same articles."""
    spec = importlib.util.spec_from_file_location("train_hedging", ROOT / "scripts" / "train_hedging.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    df = read_wikiweasel(wikiweasel_csv)
    y = df["label"].to_numpy()
    assert (np.diff(y) >= 0).all(), "dev.csv is no longer sorted by label: article folds need its order"
    n0 = int((y == 0).sum())
    for tr, te in train.article_folds(5).split(y, y):
        neg, pos = te[te < n0], te[te >= n0]
        # each fold is one contiguous block of each label
        assert (np.diff(neg) == 1).all() and (np.diff(pos) == 1).all()
    # the same article opens both labels' first block (the file keeps article order in each part)
    first = df["text"].str.contains("Winchester Magnum", regex=False)
    assert first.iloc[0] and first.iloc[n0]
