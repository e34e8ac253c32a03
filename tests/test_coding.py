"""Validation on the study's own sentences: the blind coding sheet drawn from the seed corpus,
its codebook, and agreement (Krippendorff's alpha, machine validity) on simulated coders."""
from __future__ import annotations

import re
import warnings

import krippendorff
import numpy as np
import pandas as pd
import pytest
from scipy.stats import pearsonr

from alliance_study.corpus import load_corpus
from alliance_study.defaults import DEFAULTS
from alliance_study.errors import InputError
from alliance_study.metrics import registry, score_sentences
from alliance_study.metrics.attribution import attributions
from alliance_study.validity.agreement import COLUMNS, agreement, normalise_speaker
from alliance_study.validity.coding import coding_sheet, run_agreement, run_sample
from alliance_study.validity.sheets import read_sheet, sheet_columns

N = 60
SEED = 7


@pytest.fixture(scope="module")
def tables(raw_dir):
    corpus = load_corpus(raw_dir)
    return score_sentences(corpus.sentences), corpus.articles, attributions(corpus)


@pytest.fixture(scope="module")
def sheet_dir(tables, tmp_path_factory):
    sentences, articles, _ = tables
    d = tmp_path_factory.mktemp("coding")
    run_sample(sentences, articles, d / "sheet.csv", n=N, seed=SEED)
    return d


def machine_of(sheet: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The machine's row for each unit of a sheet (independent lookup by article and sentence)."""
    keyed = sentences.assign(article_id=sentences["article_id"].astype(str))
    return sheet[["unit_id", "article_id", "sent_id"]].astype({"article_id": str, "sent_id": int}).merge(
        keyed, on=["article_id", "sent_id"], how="left", validate="one_to_one")


# ------------------------------------------------------------------ the sheet is blind
def test_sheet_shows_no_machine_value(tables, sheet_dir):
    sentences, _, _ = tables
    frames = registry.frame_names_of(sentences.columns)
    raw = (sheet_dir / "sheet.csv").read_text(encoding="utf-8")
    sheet = pd.read_csv(sheet_dir / "sheet.csv", dtype=str, keep_default_na=False)
    assert list(sheet.columns) == sheet_columns(frames)
    assert len(sheet) == N and sheet["unit_id"].is_unique
    coder = [c for c in sheet.columns if c not in ("unit_id", "article_id", "sent_id", "group", "text")]
    assert (sheet[coder] == "").all().all()               # every coder cell is empty
    # no machine-only column (scores, counts, cues) on the sheet
    machine_only = set(registry.column_names(frames)) - set(coder)
    assert not machine_only & set(sheet.columns)
    # no machine output appears anywhere in the file: not the compound scores, not the cue lists
    mach = machine_of(sheet, sentences)
    for v in mach["sentiment_compound"]:
        if v != 0:
            assert repr(float(v)) not in raw and f"{v:.4f}" not in raw, v
    for cues in mach["hedge_cues"]:
        if cues and ";" in cues:
            assert cues not in raw, cues
    # the text is the sentence, unmarked
    assert (sheet["text"].to_numpy() == mach["text"].to_numpy()).all()


def test_codebook_explains_every_column_with_lexicon_examples(tables, sheet_dir):
    sentences, _, _ = tables
    book = (sheet_dir / "codebook.md").read_text(encoding="utf-8")
    for col in ("sentiment", "hedged", "speaker"):
        assert f"## {col}" in book
    for name in registry.frame_names_of(sentences.columns):
        assert f"**frame_{name}**" in book
    assert "**vague attribution**" in book and "*in principle*" in book   # hedge categories with cues
    assert "**rounder**" not in book                                      # rounders are not hedges
    assert not re.search(r"-?0\.\d{3}", book)                               # no scores


def test_sample_is_reproducible_and_stratified(tables, sheet_dir, tmp_path):
    sentences, articles, _ = tables
    again, _ = run_sample(sentences, articles, tmp_path / "again.csv", n=N, seed=SEED)
    assert again.read_bytes() == (sheet_dir / "sheet.csv").read_bytes()
    other = coding_sheet(sentences, articles, n=N, seed=SEED + 1)
    first = pd.read_csv(sheet_dir / "sheet.csv", dtype={"article_id": str})
    assert set(zip(other["article_id"], other["sent_id"])) != set(zip(first["article_id"], first["sent_id"]))
    # strata recomputed independently: every non-empty stratum gets its equal share (or all its sentences)
    group = DEFAULTS["group_by"]
    own = sentences[sentences["role"].isin(DEFAULTS["roles"])].merge(articles[["article_id", group]], on="article_id")
    comp = own["sentiment_compound"]
    framed = (own[[c for c in own.columns if c.startswith("frame_")]] > 0).any(axis=1)
    key = (own[group].astype(str) + np.where(comp >= 0.05, "+", np.where(comp <= -0.05, "-", "0"))
           + own["hedged"].map({True: "h", False: "p"}) + framed.map({True: "f", False: "u"}))
    drawn = set(zip(first["article_id"], first["sent_id"]))
    took = pd.Series([(a, s) in drawn for a, s in zip(own["article_id"], own["sent_id"])]).groupby(key.values).sum()
    sizes = key.value_counts()
    floor = N // len(sizes)
    for k, size in sizes.items():
        assert took[k] >= min(size, floor), (k, took[k], size)
    assert set(first["group"]) == set(own[group].astype(str))


# ------------------------------------------------------------------ simulated coders
def simulate(sheet_path, tables, tmp_path, seed=11):
    """Two coders who partly agree with the machine and with each other; some cells blank."""
    sentences, _, sources = tables
    rng = np.random.default_rng(seed)
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    mach = machine_of(sheet, sentences)
    speakers = sources.groupby(["article_id", "sent_id"])["speaker"].first()
    true_sent = np.clip(np.round(mach["sentiment_compound"].to_numpy() * 4 + rng.normal(0, 1, len(sheet))), -4, 4)
    paths = []
    for coder, flip in (("coder_a", 0.15), ("coder_b", 0.3)):
        s = sheet.copy()
        sent = np.clip(true_sent + rng.integers(-1, 2, len(s)), -4, 4).astype(int).astype(str)
        sent[rng.random(len(s)) < 0.1] = ""                                   # left blank = missing
        s["sentiment"] = sent
        hed = mach["hedged"].to_numpy(dtype=bool) ^ (rng.random(len(s)) < flip)
        s["hedged"] = hed.astype(int).astype(str)
        for c in [c for c in s.columns if c.startswith("frame_")]:
            s[c] = ((mach[c].to_numpy() > 0) ^ (rng.random(len(s)) < flip)).astype(int).astype(str)
        names = [speakers.get((a, int(i)), "none") for a, i in zip(s["article_id"], s["sent_id"])]
        s["speaker"] = [n if rng.random() > flip else "none" for n in names]
        p = tmp_path / f"{coder}.csv"
        s.to_csv(p, index=False)
        paths.append(p)
    return paths


def test_agreement_equals_independent_computation(tables, sheet_dir, tmp_path):
    sentences, _, sources = tables
    paths = simulate(sheet_dir / "sheet.csv", tables, tmp_path)
    out = tmp_path / "validity.csv"
    res = run_agreement(paths, sentences, out, sources=sources, n_boot=200, seed=1)
    assert list(res.columns) == COLUMNS
    assert out.exists() and list(pd.read_csv(out).columns) == COLUMNS
    frames = registry.frame_names_of(sentences.columns)
    assert res["measure"].tolist() == ["sentiment_compound", "hedged"] + [f"frame_{f}" for f in sorted(frames)] \
        + ["speaker"]
    res = res.set_index("measure")
    a, b = (pd.read_csv(p, dtype={"article_id": str}, keep_default_na=False) for p in paths)
    # alpha: the krippendorff package on the raw coder x unit matrix, blanks as NaN
    num = lambda s: pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)  # noqa: E731
    for measure, col, level in [("sentiment_compound", "sentiment", "interval"), ("hedged", "hedged", "nominal")] \
            + [(f"frame_{f}", f"frame_{f}", "nominal") for f in frames]:
        data = np.vstack([num(a[col]), num(b[col])])
        expect = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
        assert res.loc[measure, "alpha"] == pytest.approx(expect, abs=0.01), measure
        assert res.loc[measure, "alpha_low"] <= res.loc[measure, "alpha"] <= res.loc[measure, "alpha_high"]
        assert res.loc[measure, "n_coders"] == 2
    # Pearson r: machine compound against the mean of the coders who rated the unit (scipy)
    both = np.vstack([num(a["sentiment"]), num(b["sentiment"])])
    rated = ~np.isnan(both).all(axis=0)
    mean = np.array([np.nanmean(col) for col in both.T[rated]])
    comp = machine_of(a, sentences)["sentiment_compound"].to_numpy()[rated]
    assert res.loc["sentiment_compound", "value"] == pytest.approx(pearsonr(comp, mean)[0], abs=0.01)
    assert res.loc["sentiment_compound", "n_units"] == rated.sum()
    assert res.loc["sentiment_compound", "statistic"] == "pearson_r"
    assert res.loc["hedged", "statistic"] == "f1" and 0 < res.loc["hedged", "value"] <= 1
    # speaker: nominal alpha over normalised names
    names = sorted({normalise_speaker(x) for x in list(a["speaker"]) + list(b["speaker"]) if normalise_speaker(x)})
    code = lambda col: [float(names.index(normalise_speaker(x))) if normalise_speaker(x) else np.nan for x in col]  # noqa: E731
    expect = krippendorff.alpha(reliability_data=np.array([code(a["speaker"]), code(b["speaker"])]),
                                level_of_measurement="nominal")
    assert res.loc["speaker", "alpha"] == pytest.approx(expect, abs=0.01)
    assert res.loc["speaker", "statistic"] == "share_matched" and 0 < res.loc["speaker", "value"] <= 1
    # the same inputs give the same table
    again = run_agreement(paths, sentences, sources=sources, n_boot=200, seed=1)
    pd.testing.assert_frame_equal(again, res.reset_index())


def test_blank_is_missing_and_unfilled_measure_is_skipped(tables, sheet_dir, tmp_path):
    sentences, _, sources = tables
    paths = simulate(sheet_dir / "sheet.csv", tables, tmp_path, seed=3)
    for p in paths:                                   # nobody coded the speaker
        s = pd.read_csv(p, dtype=str, keep_default_na=False)
        s["speaker"] = ""
        s.to_csv(p, index=False)
    with pytest.warns(UserWarning, match="speaker: no coder filled"):
        res = agreement(paths, sentences, sources, n_boot=50, seed=1).set_index("measure")
    assert "speaker" not in res.index
    # blanks are missing, not zero: zeros in their place change alpha
    sheets = [read_sheet(p) for p in paths]
    zeroed = [s.assign(hedged=s["hedged"].fillna(0.0)) for s in sheets]
    blanked = [s.assign(hedged=np.where(np.arange(len(s)) % 4 == 0, np.nan, s["hedged"])) for s in sheets]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r_blank = agreement(blanked, sentences, n_boot=20, seed=1).set_index("measure")
        r_zero = agreement([s.assign(hedged=np.where(np.arange(len(s)) % 4 == 0, 0.0, s["hedged"])) for s in zeroed],
                           sentences, n_boot=20, seed=1).set_index("measure")
    assert r_blank.loc["hedged", "n_units"] == len(sheets[0]) - len(range(0, len(sheets[0]), 4))
    assert r_zero.loc["hedged", "n_units"] == len(sheets[0])
    assert r_blank.loc["hedged", "alpha"] != r_zero.loc["hedged", "alpha"]


# ------------------------------------------------------------------ bad sheets
def test_bad_sheets_name_file_row_column_and_fix(tables, sheet_dir, tmp_path):
    sentences, _, _ = tables
    base = pd.read_csv(sheet_dir / "sheet.csv", dtype=str, keep_default_na=False)

    def bad(name, edit):
        s = base.copy()
        s = edit(s) if edit else s
        p = tmp_path / f"{name}.csv"
        s.to_csv(p, index=False)
        return p

    p = bad("out_of_range", lambda s: s.assign(sentiment=["5"] + [""] * (len(s) - 1)))
    with pytest.raises(InputError, match=r"out_of_range\.csv, row 1, column 'sentiment': '5' is out of range\. Fix:"):
        read_sheet(p)
    p = bad("half", lambda s: s.assign(sentiment=["1.5"] + [""] * (len(s) - 1)))
    with pytest.raises(InputError, match=r"column 'sentiment': '1\.5' is not a whole number\. Fix:"):
        read_sheet(p)
    p = bad("not_binary", lambda s: s.assign(hedged=[""] * 2 + ["yes"] + [""] * (len(s) - 3)))
    with pytest.raises(InputError, match=r"row 3, column 'hedged': 'yes' is not a number\. Fix: enter 0 \(no\)"):
        read_sheet(p)
    p = bad("dropped", lambda s: s.drop(columns="speaker"))
    with pytest.raises(InputError, match=r"dropped\.csv, column 'speaker': column\(s\) \['speaker'\] missing\. Fix:"):
        read_sheet(p)
    p = bad("extra", lambda s: s.assign(confidence="high"))
    with pytest.raises(InputError, match=r"column 'confidence': unknown column.*Fix: .*'notes'"):
        read_sheet(p)
    assert len(read_sheet(bad("with_notes", lambda s: s.assign(notes="hard one")))) == N
    p = bad("unknown_unit", lambda s: s.assign(sent_id=["9999"] + list(s["sent_id"][1:])))
    with pytest.raises(InputError, match=r"unknown_unit: row 1, column 'unit_id': unit 'u0001' .* not a sentence"):
        agreement([p], sentences, n_boot=10)
    p = bad("dup", lambda s: pd.concat([s, s.iloc[[0]]]))
    with pytest.raises(InputError, match=rf"row {N + 1}, column 'unit_id': unit 'u0001' appears twice"):
        read_sheet(p)


def test_machine_table_read_back_from_csv_gives_the_same_agreement(tables, sheet_dir, tmp_path):
    sentences, _, _ = tables
    paths = simulate(sheet_dir / "sheet.csv", tables, tmp_path, seed=5)
    csv = tmp_path / "sentences.csv"
    sentences.to_csv(csv, index=False)
    as_text = pd.read_csv(csv, dtype=str, keep_default_na=False)     # "True"/"False", "0"/"2" as text
    as_text["sentiment_compound"] = as_text["sentiment_compound"].astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = agreement(paths, sentences, n_boot=30, seed=2)
        b = agreement(paths, as_text, n_boot=30, seed=2)
    pd.testing.assert_frame_equal(a, b)
