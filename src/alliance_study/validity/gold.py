"""External validation of the measures against published human judgements.

Two checks, both on read-only data kept outside the repository (``shared/validation``):

* **Sentiment** -- the VADER ground truth of Hutto & Gilbert (ICWSM 2014):
  5,190 NYT editorial snippets, 4,200 tweets, 10,605 movie-review and 3,708
  product-review snippets, each with the mean of 20 human ratings (-4..4).
  :func:`vader_validation` gives Pearson r between our ``sentiment_compound`` and
  the human mean per file, beside the figure the reference implementation
  (vaderSentiment 3.3.2) reaches; :func:`vader_reference_mismatches` checks that our
  scores equal the reference implementation's on every sentence.
* **Hedging** -- the CoNLL-2010 shared task, Task 1, Wikipedia part (Farkas et al.
  2010): sentences labelled 1 when they contain an uncertainty / weasel cue.
  :func:`hedging_validation` gives sentence-level precision, recall and F1 of the
  uncertain class for ``hedged`` (the learned decision) or ``hedged_lexicon`` (at
  least one hedge cue); :func:`hedging_table` both at once.  :func:`split_halves` gives the fixed development/check split used
  while building the lexicon, and :func:`cue_report` the per-cue precision table.

Every path is a parameter.  A missing file raises :class:`~alliance_study.errors.InputError`
saying where the data comes from.

Example
-------
>>> from alliance_study.validity.gold import hedging_validation   # doctest: +SKIP
>>> hedging_validation("../shared/validation/wikiweasel/dev.csv", column="hedged_lexicon")["f1"]  # doctest: +SKIP
0.63...
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = [
    "VADER_FILES", "VADER_REFERENCE_R", "read_vader_ground_truth", "vader_validation",
    "vader_reference_mismatches", "nyt_documents", "read_wikiweasel", "split_halves",
    "hedging_validation", "hedging_table", "prf", "cue_report", "read_vader_dir", "missing_vader_files",
]

#: ground-truth file name -> short name used in result tables
VADER_FILES = {
    "nytEditorialSnippets_GroundTruth.txt": "nyt_editorials",
    "tweets_GroundTruth.txt": "tweets",
    "movieReviewSnippets_GroundTruth.txt": "movie_reviews",
    "amazonReviewSnippets_GroundTruth.txt": "product_reviews",
}
#: Pearson r of vaderSentiment 3.3.2 with the human mean (shared/README.md)
VADER_REFERENCE_R = {"nyt_editorials": 0.503, "tweets": 0.872, "movie_reviews": 0.427, "product_reviews": 0.590}

_WHERE_VADER = ("the VADER ground truth (Hutto & Gilbert 2014) is expected in shared/validation/vader_icwsm2014/ "
                "(from the vaderSentiment repository, additional_resources/hutto_ICWSM_2014.tar.gz)")
_WHERE_WEASEL = ("the CoNLL-2010 Wikipedia hedge/weasel sentences are expected in shared/validation/wikiweasel/dev.csv "
                 "(columns text,label; Farkas et al. 2010)")


def _need(path: Path, where: str) -> Path:
    if not path.exists():
        raise InputError(f"{path}: not found; {where}")
    return path


# ---------------------------------------------------------------------- VADER data
def read_vader_ground_truth(path) -> pd.DataFrame:
    """Read one ``*_GroundTruth.txt`` file (tab-separated id, mean rating, text; CRLF).

    Each line is decoded as UTF-8; a line that is not valid UTF-8 is decoded as
    cp1252 (the encoding of the original Windows-made files), and the ``encoding``
    column records which decoding each line got.  Only the first two tabs split, so
    a tab inside the text is kept.

    Returns
    -------
    pandas.DataFrame
        ``id`` (str), ``rating`` (float), ``text`` (str), ``source`` (file name),
        ``encoding`` ("utf-8" or "cp1252").
    """
    path = _need(Path(path), _WHERE_VADER)
    rows = []
    for lineno, raw in enumerate(path.read_bytes().splitlines(), 1):
        if not raw.strip():
            continue
        try:
            line, enc = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            line, enc = raw.decode("cp1252", errors="replace"), "cp1252"
        parts = line.rstrip("\r").split("\t", 2)
        if len(parts) != 3:
            raise InputError(f"{path}, line {lineno}: expected 'id<TAB>rating<TAB>text', got {line[:60]!r}")
        try:
            rating = float(parts[1])
        except ValueError:
            raise InputError(f"{path}, line {lineno}: rating {parts[1]!r} is not a number") from None
        rows.append((parts[0], rating, parts[2], path.name, enc))
    return pd.DataFrame(rows, columns=["id", "rating", "text", "source", "encoding"])


def _vader_files(vader_dir) -> dict[str, Path]:
    d = _need(Path(vader_dir), _WHERE_VADER)
    return {short: _need(d / fname, _WHERE_VADER) for fname, short in VADER_FILES.items()}


def missing_vader_files(vader_dir) -> list[str]:
    """The ground-truth files :func:`vader_validation` needs that ``vader_dir`` lacks (all four when it is
    no folder): a notebook skips the comparison, naming them, instead of failing on a wrong folder.

    >>> missing_vader_files("/nonexistent")[0]
    'nytEditorialSnippets_GroundTruth.txt'
    """
    d = Path(vader_dir)
    return [name for name in VADER_FILES if not (d / name).is_file()]


def read_vader_dir(vader_dir) -> pd.DataFrame:
    """All four ground-truth files, in a fixed order, as one table.

    Columns of :func:`read_vader_ground_truth` plus ``file`` (the short name:
    ``nyt_editorials``, ``tweets``, ``movie_reviews``, ``product_reviews``).
    """
    return pd.concat([read_vader_ground_truth(path).assign(file=short)
                      for short, path in _vader_files(vader_dir).items()], ignore_index=True)


def vader_validation(vader_dir, scorer=None) -> pd.DataFrame:
    """Pearson r of ``sentiment_compound`` (via :func:`alliance_study.score`) with the human mean.

    Returns one row per file: ``file, n, pearson_r, reference_r`` (the figure of
    vaderSentiment 3.3.2 on the same file).
    """
    from scipy.stats import pearsonr

    from ..metrics import score

    rows = []
    for short, path in _vader_files(vader_dir).items():
        gt = read_vader_ground_truth(path)
        comp = score(gt["text"], scorer)["sentiment_compound"].to_numpy()
        r = float(pearsonr(comp, gt["rating"].to_numpy())[0])
        rows.append((short, len(gt), r, VADER_REFERENCE_R[short]))
    return pd.DataFrame(rows, columns=["file", "n", "pearson_r", "reference_r"])


def vader_reference_mismatches(vader_dir, scorer=None) -> pd.DataFrame:
    """Sentences where :func:`alliance_study.score` differs from the reference VADER.

    The reference is a fresh ``vaderSentiment.SentimentIntensityAnalyzer().polarity_scores``
    on the same text with straight apostrophes (the package reads ’ as ', see
    :mod:`alliance_study.metrics.sentiment`); any difference in compound, pos, neu or neg is a mismatch.
    Returns the differing rows (``source, id, text`` and both sets of scores); empty
    when the two agree everywhere.
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from ..metrics import score
    from ..text import straight_apostrophes

    ref = SentimentIntensityAnalyzer()
    out = []
    for short, path in _vader_files(vader_dir).items():
        gt = read_vader_ground_truth(path)
        ours = score(gt["text"], scorer)
        theirs = pd.DataFrame([ref.polarity_scores(straight_apostrophes(t)) for t in gt["text"]])
        diff = np.zeros(len(gt), dtype=bool)
        for k in ("compound", "pos", "neu", "neg"):
            diff |= ours[f"sentiment_{k}"].to_numpy() != theirs[k].to_numpy()
        if diff.any():
            bad = gt.loc[diff, ["id", "text"]].assign(file=short)
            for k in ("compound", "pos", "neu", "neg"):
                bad[f"ours_{k}"] = ours.loc[diff, f"sentiment_{k}"].to_numpy()
                bad[f"reference_{k}"] = theirs.loc[diff, k].to_numpy()
            out.append(bad)
    cols = ["file", "id", "text"] + [f"{w}_{k}" for k in ("compound", "pos", "neu", "neg") for w in ("ours", "reference")]
    if not out:
        return pd.DataFrame(columns=cols)
    return pd.concat(out, ignore_index=True)[cols]


def nyt_documents(vader_dir) -> pd.DataFrame:
    """The NYT editorial snippets regrouped into editorials (ids are ``editorial_sentence``).

    Returns one row per editorial: ``doc_id`` (int), ``n_sentences``, ``text``
    (sentences joined with a space, in sentence order), ``rating`` (mean of the
    sentence ratings).  About 500 documents.
    """
    gt = read_vader_ground_truth(Path(vader_dir) / "nytEditorialSnippets_GroundTruth.txt")
    ids = gt["id"].str.split("_", n=1, expand=True)
    gt = gt.assign(doc_id=ids[0].astype(int), sent=ids[1].astype(int)).sort_values(["doc_id", "sent"])
    g = gt.groupby("doc_id", sort=True)
    return pd.DataFrame({
        "n_sentences": g.size(),
        "text": g["text"].agg(lambda s: " ".join(x.strip() for x in s)),
        "rating": g["rating"].mean(),
    }).reset_index()


# ---------------------------------------------------------------------- hedging
def read_wikiweasel(path) -> pd.DataFrame:
    """Read the CoNLL-2010 Wikipedia sentences (``text,label``; 1 = uncertain/weasel).

    Text is stripped of surrounding white space; ``label`` is an int 0/1.
    """
    path = _need(Path(path), _WHERE_WEASEL)
    df = pd.read_csv(path, dtype={"text": str}, keep_default_na=False)
    missing = {"text", "label"} - set(df.columns)
    if missing:
        raise InputError(f"{path}: missing column(s) {sorted(missing)}; expected text,label")
    return pd.DataFrame({"text": df["text"].str.strip(), "label": df["label"].astype(int)})


def split_halves(df: pd.DataFrame, seed: int = 2010) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a table into two random halves (A, B) with a fixed seed.

    The hedge lexicon was developed by reading errors on half A only; half B is the
    check against over-fitting.
    """
    perm = np.random.RandomState(seed).permutation(len(df))
    half = len(df) // 2
    return df.iloc[np.sort(perm[:half])], df.iloc[np.sort(perm[half:])]


def prf(pred, gold) -> dict:
    """Precision, recall, F1 of the positive class, with counts."""
    pred = np.asarray(pred, dtype=bool)
    gold = np.asarray(gold, dtype=bool)
    tp = int((pred & gold).sum())
    fp = int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "n": int(len(gold)), "n_positive": int(gold.sum()),
            "tp": tp, "fp": fp, "fn": fn}


def hedging_validation(path_or_frame, scorer=None, column: str = "hedged") -> dict:
    """Sentence-level precision/recall/F1 of ``hedged`` (or ``hedged_lexicon``) on the CoNLL-2010 Wikipedia data.

    Parameters
    ----------
    path_or_frame : path or DataFrame
        ``dev.csv`` (or a frame with ``text`` and ``label``, e.g. one half of
        :func:`split_halves`).
    scorer : Scorer, optional
        Custom lexicons; defaults to the packaged ones.
    column : {"hedged", "hedged_lexicon"}
        The decision scored, exactly that column of :func:`alliance_study.score`:
        ``hedged`` is the learned decision (:mod:`alliance_study.metrics.hedging`;
        note that dev.csv is its training file, so on dev this is an in-sample
        figure -- the model file records the cross-validated one), ``hedged_lexicon``
        the lexicon-only decision (at least one hedge cue).

    Returns
    -------
    dict
        ``precision, recall, f1, n, n_positive, tp, fp, fn``.
    """
    from ..metrics import score

    if column not in ("hedged", "hedged_lexicon"):
        raise ValueError(f"column must be 'hedged' or 'hedged_lexicon', not {column!r}")
    df = path_or_frame if isinstance(path_or_frame, pd.DataFrame) else read_wikiweasel(path_or_frame)
    pred = score(df["text"].reset_index(drop=True), scorer)[column].to_numpy(dtype=bool)
    return prf(pred, df["label"].to_numpy() == 1)


def hedging_table(path_or_frame, scorer=None) -> pd.DataFrame:
    """Both hedging decisions on labelled sentences, one row each, with the model's cross-validated figure.

    Rows ``hedged`` (the learned decision) and ``hedged_lexicon``; columns
    ``decision, precision, recall, f1, n, n_positive, tp, fp, fn, cv_f1`` where
    ``cv_f1`` is the model file's cross-validated F1 on dev.csv (the figure to
    quote for ``hedged``: the file is the model's training data) and NaN for the lexicon.
    """
    from ..metrics import default_scorer

    sc = scorer or default_scorer()
    df = path_or_frame if isinstance(path_or_frame, pd.DataFrame) else read_wikiweasel(path_or_frame)
    rows = []
    for col in ("hedged", "hedged_lexicon"):
        r = hedging_validation(df, sc, col)
        cv = float("nan")
        if col == "hedged" and sc.hedge_model is not None:
            cv = float(sc.hedge_model.meta["training"]["cv"]["f1"])
        rows.append({"decision": col, **r, "cv_f1": cv})
    return pd.DataFrame(rows)


def cue_report(path_or_frame, scorer=None) -> pd.DataFrame:
    """Per-cue precision on labelled sentences: which hedge patterns earn their place.

    For every lexicon pattern that fires at least once: ``n`` sentences where it
    fires, ``precision`` (share of those labelled uncertain), ``only`` sentences
    where it is the sole cue and ``only_precision``, the precision there (what the
    cue adds on its own).  Sorted by ``n``, descending.  Rounders (counted apart
    from hedges, see :class:`alliance_study.metrics.Scorer`) are not listed.
    """
    from ..metrics import default_scorer

    df = path_or_frame if isinstance(path_or_frame, pd.DataFrame) else read_wikiweasel(path_or_frame)
    find = (scorer or default_scorer()).hedge_cues
    stats: dict[tuple, list] = {}
    for text, label in zip(df["text"], df["label"]):
        pats = {(c.category, c.pattern) for c in find(text)}
        for key in pats:
            s = stats.setdefault(key, [0, 0, 0, 0])
            s[0] += 1
            s[1] += label
            if len(pats) == 1:
                s[2] += 1
                s[3] += label
    rows = [(cat, pat, n, pos / n, only, (opos / only) if only else float("nan"))
            for (cat, pat), (n, pos, only, opos) in stats.items()]
    out = pd.DataFrame(rows, columns=["category", "pattern", "n", "precision", "only", "only_precision"])
    return out.sort_values(["n", "pattern"], ascending=[False, True]).reset_index(drop=True)
