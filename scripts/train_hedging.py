"""Train the hedging model shipped in ``src/alliance_study/lexicons/hedging_model.json``.

A logistic regression over the hedge lexicon's cue features, weasel-wording
patterns and word n-grams (:func:`alliance_study.metrics.hedging.features`), each
sentence's feature vector scaled to unit length (:data:`NORMALIZE`), trained on
the CoNLL-2010 Wikipedia development sentences
(``../shared/validation/wikiweasel/dev.csv``).  The model file records the
feature settings (patterns, length bins, min_df, scaling) beside the figures.

Reproducible: fixed seed, deterministic solver, stable feature order.  Figures:

* **cross-validated by article** (the validity figure): the sentences are not
  independent.  ``dev.csv`` has no article column, but it lists the uncertain
  sentences after the certain ones, each part in the articles' order (the first
  article, on the .338 Winchester Magnum, opens both parts).  :func:`article_folds`
  therefore cuts each part into k contiguous blocks and pairs the i-th blocks: each
  fold holds whole articles (bar the ones cut at a block's edge) with both their
  certain and uncertain sentences, in the file's proportion of each.  Shuffled
  sentence folds put sentences of one article on both sides and let its topic words
  carry over; they reported F1 0.650 where article folds give 0.640 for the same
  model.  Inside each training part an inner article k-fold chooses the
  regularisation C and the probability threshold, so the held-out fold never
  influences a choice.  Pooled precision/recall/F1 over the held-out folds, and the
  mean and standard deviation of the per-fold F1.
* **in-sample** F1 of the shipped model on the whole file (for the regression test).

The decision is the model's, except that a cue of one of :data:`ALWAYS`'s categories (marked
modals, epistemic adverbs, not ruling out) makes a sentence hedged whatever the model says (the model
file's ``always_hedged``; why: :mod:`alliance_study.metrics.hedging`).  The rule is applied inside
cross-validation, where the threshold is chosen for the combined decision; the model file also
records the cross-validated figure of the model alone (``cv_model_alone``).

The final model is fitted on all of dev.csv with C and threshold chosen by the
same k-fold on all of it.

Usage::

    .venv/bin/python scripts/train_hedging.py [--dev ../shared/validation/wikiweasel/dev.csv] \\
        [--out src/alliance_study/lexicons/hedging_model.json] [--seed 2010] [--folds 5]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize as unit_rows

from alliance_study.metrics import Scorer
from alliance_study.metrics.hedging import FORMAT, LENGTH_BINS, PATTERNS, HedgeModel, features, lexicon_hashes
from alliance_study.resources import content_hash, packaged
from alliance_study.text import tokenize
from alliance_study.validity.gold import prf, read_wikiweasel

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "validation" / "wikiweasel" / "dev.csv"
OUT = ROOT / "src" / "alliance_study" / "lexicons" / "hedging_model.json"
SEED = 2010
FOLDS = 5
C_GRID = (1.0, 2.0, 4.0, 8.0)
MIN_DF = 3
#: rows scaled to unit Euclidean length before fitting and scoring (the model file's ``normalize``)
NORMALIZE = True
#: hedge categories whose cue makes a sentence hedged whatever the model says (the model file's
#: ``always_hedged``; see :mod:`alliance_study.metrics.hedging`): applied inside cross-validation too
ALWAYS = ("marked_modal", "epistemic_adverb", "not_ruled_out")
THRESHOLDS = np.round(np.arange(0.10, 0.801, 0.01), 2)


def sentence_features(texts, scorer: Scorer | None = None) -> list[dict]:
    """:func:`~alliance_study.metrics.hedging.features` of each text with the packaged lexicons."""
    sc = scorer or Scorer(hedge_model=None)
    out = []
    for t in texts:
        toks = tokenize(t)
        out.append(features([x[3] for x in toks], sc.hedges.find(t, toks), sc.boosters.find(t, toks),
                            sc.rounder_categories, sc.weasel_categories))
    return out


def design(feats: list[dict]) -> tuple[sp.csr_matrix, list[str]]:
    """All sentences' features as one sparse matrix; columns in sorted name order."""
    names = sorted({k for f in feats for k in f})
    col = {k: j for j, k in enumerate(names)}
    rows, cols, vals = [], [], []
    for i, f in enumerate(feats):
        for k, v in f.items():
            rows.append(i)
            cols.append(col[k])
            vals.append(v)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(feats), len(names)), dtype=np.float64), names


def vocabulary(X: sp.csr_matrix, rows: np.ndarray, min_df: int = MIN_DF) -> np.ndarray:
    """Columns present in at least ``min_df`` of the given rows (chosen on training rows only)."""
    df = np.asarray((X[rows] != 0).sum(axis=0)).ravel()
    return np.flatnonzero(df >= min_df)


def rows_of(X, normalize: bool = NORMALIZE):
    """``X`` as the model sees it: each row (all of a sentence's features, also those outside the
    vocabulary, as :meth:`HedgeModel.margin` does) scaled to unit length when ``normalize``."""
    return unit_rows(X) if normalize else X


def fit(X, y, C: float, seed: int = SEED) -> LogisticRegression:
    """L2 logistic regression (liblinear, seeded: deterministic)."""
    return LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=seed).fit(X, y)


def forced(X, names: list[str], always=ALWAYS) -> np.ndarray:
    """Rows with a cue of an ``always`` category (hedged whatever the model says)."""
    cols = [names.index(f"cat:{c}") for c in always if f"cat:{c}" in names]
    if not cols:
        return np.zeros(X.shape[0], dtype=bool)
    return np.asarray((X[:, cols] != 0).sum(axis=1)).ravel() > 0


def best_threshold(p: np.ndarray, y: np.ndarray, force: np.ndarray | None = None) -> tuple[float, float]:
    """``(threshold, F1)`` maximising F1 of ``(p >= threshold) | force`` over :data:`THRESHOLDS` (lowest on ties)."""
    force = np.zeros(len(p), dtype=bool) if force is None else force
    f1 = np.array([prf((p >= t) | force, y == 1)["f1"] for t in THRESHOLDS])
    i = int(np.argmax(f1))
    return float(THRESHOLDS[i]), float(f1[i])


def article_folds(folds: int) -> StratifiedKFold:
    """k folds of whole articles: each label's rows cut, in file order, into k contiguous blocks.

    Unshuffled :class:`~sklearn.model_selection.StratifiedKFold` gives exactly that: its i-th
    fold is the i-th block of each label.  The rows must be in the file's order (a subset
    of them keeps it), which is the articles' order within each label (see the module's notes).

    >>> import numpy as np
    >>> y = np.array([0] * 6 + [1] * 3)
    >>> [te.tolist() for _, te in article_folds(3).split(y, y)]
    [[0, 1, 6], [2, 3, 7], [4, 5, 8]]
    """
    return StratifiedKFold(folds, shuffle=False)


def oof(X, y, rows: np.ndarray, C: float, seed: int, folds: int) -> np.ndarray:
    """Out-of-fold probabilities on ``rows`` (article k-fold, vocabulary per training part)."""
    p = np.zeros(len(rows))
    for tr, te in article_folds(folds).split(rows, y[rows]):
        vocab = vocabulary(X, rows[tr])
        m = fit(X[rows[tr]][:, vocab], y[rows[tr]], C, seed)
        p[te] = m.predict_proba(X[rows[te]][:, vocab])[:, 1]
    return p


def choose(X, y, rows, seed, folds, c_grid=C_GRID, force=None) -> dict:
    """C and threshold with the best out-of-fold F1 on ``rows`` (of the decision with ``force``)."""
    best = None
    for C in c_grid:
        t, f = best_threshold(oof(X, y, rows, C, seed, folds), y[rows], None if force is None else force[rows])
        if best is None or f > best["f1"]:
            best = {"C": C, "threshold": t, "f1": f}
    return best


def cross_validate(X, y, seed: int = SEED, folds: int = FOLDS, c_grid=C_GRID, normalize: bool = NORMALIZE,
                   force: np.ndarray | None = None) -> dict:
    """Nested article k-fold: pooled P/R/F1 of the held-out folds, per-fold F1 and choices.

    ``X`` is :func:`design`'s matrix; rows are scaled by :func:`rows_of` here (row by row, so no
    information crosses folds).  ``force``: rows hedged whatever the model says (:func:`forced`)."""
    X = rows_of(X, normalize)
    rows = np.arange(len(y))
    force = np.zeros(len(y), dtype=bool) if force is None else force
    pred = np.zeros(len(y), dtype=bool)
    per_fold = []
    for tr, te in article_folds(folds).split(rows, y):
        ch = choose(X, y, tr, seed, folds, c_grid, force)
        vocab = vocabulary(X, tr)
        m = fit(X[tr][:, vocab], y[tr], ch["C"], seed)
        pred[te] = (m.predict_proba(X[te][:, vocab])[:, 1] >= ch["threshold"]) | force[te]
        per_fold.append({"C": ch["C"], "threshold": ch["threshold"], "f1": prf(pred[te], y[te] == 1)["f1"]})
    pooled = prf(pred, y == 1)
    f1s = np.array([f["f1"] for f in per_fold])
    return {"scheme": f"nested {folds}-fold by article: contiguous blocks of each label in the file's article "
                      f"order (C and threshold chosen by an inner {folds}-fold of the same kind); solver seed {seed}",
            "precision": pooled["precision"], "recall": pooled["recall"], "f1": pooled["f1"],
            "fold_f1_mean": float(f1s.mean()), "fold_f1_sd": float(f1s.std(ddof=1)), "folds": per_fold}


def _r(x: float, digits: int = 4) -> float:
    return float(round(x, digits))


def feature_settings(normalize: bool = NORMALIZE) -> dict:
    """What :func:`~alliance_study.metrics.hedging.features` computed and how rows were scaled (recorded in the model file)."""
    return {"cues": "hedge and booster lexicon cues: cat:/cue:/bcat: and counts n:*, any:hedge",
            "words": "lower-cased word unigrams w: and bigrams b: (<s>, </s> ends; digits -> <num>)",
            "length_bins": list(LENGTH_BINS), "min_df": MIN_DF, "normalize": normalize,
            "patterns": {k: {"gates": [list(g) for g in gates], "regex": rx} for k, (gates, rx) in PATTERNS.items()}}


def train(dev=DEV, out=OUT, seed: int = SEED, folds: int = FOLDS, c_grid=C_GRID, normalize: bool = NORMALIZE,
          always=ALWAYS) -> dict:
    """Cross-validate, fit on all of ``dev``, write the model file; returns its content."""
    t0 = time.time()
    known = Scorer(hedge_model=None).hedges.categories
    unknown = [c for c in always if c not in known]
    if unknown:
        raise SystemExit(f"--always: {unknown} are not categories of hedges.yaml ({', '.join(known)}).")
    df = read_wikiweasel(dev)
    y = df["label"].to_numpy()
    feats = sentence_features(df["text"])
    X, names = design(feats)
    force = forced(X, names, always)
    cv = cross_validate(X, y, seed, folds, c_grid, normalize, force)
    model_only = cross_validate(X, y, seed, folds, c_grid, normalize) if always else cv
    rows = np.arange(len(y))
    Xn = rows_of(X, normalize)
    final = choose(Xn, y, rows, seed, folds, c_grid, force)
    vocab = vocabulary(Xn, rows)
    m = fit(Xn[:, vocab], y, final["C"], seed)
    coef = m.coef_.ravel()
    keep = [j for j in range(len(vocab)) if coef[j] != 0.0]
    feat_names = [names[vocab[j]] for j in keep]
    coefs = [float(f"{coef[j]:.6g}") for j in keep]
    model = HedgeModel(dict(zip(feat_names, coefs)), float(f"{m.intercept_[0]:.6g}"), final["threshold"],
                       normalize=normalize, always=tuple(always))
    lexicon_only = prf(X[:, names.index("any:hedge")].toarray().ravel() > 0, y == 1)
    insample = prf(np.array([model.decide(f) for f in feats]), y == 1)
    data = {
        "format": FORMAT,
        "description": "Logistic regression deciding 'hedged' from hedge-lexicon cue features, weasel-wording "
                       "patterns and word n-grams (alliance_study.metrics.hedging.features); trained by "
                       "scripts/train_hedging.py.",
        "intercept": model.intercept,
        "threshold": model.threshold,
        "normalize": normalize,
        "always_hedged": list(always),
        "training": {
            "data": "CoNLL-2010 shared task, Task 1, Wikipedia development sentences (Farkas et al. 2010)",
            "file": "shared/validation/wikiweasel/dev.csv",
            "sha256": content_hash(dev),
            "n": int(len(y)), "n_positive": int(y.sum()),
            "seed": seed, "folds": folds, "c_grid": list(c_grid), "min_df": MIN_DF,
            "C": final["C"], "solver": "liblinear (L2)", "sklearn": sklearn.__version__,
            "cv": {k: (_r(v) if isinstance(v, float) else v) for k, v in cv.items() if k != "folds"}
            | {"folds": [{k: _r(v) for k, v in f.items()} for f in cv["folds"]]},
            "cv_model_alone": {k: _r(model_only[k]) for k in ("precision", "recall", "f1", "fold_f1_sd")},
            "feature_settings": feature_settings(normalize),
            "in_sample": {k: _r(insample[k]) for k in ("precision", "recall", "f1")},
            "lexicon_only": {k: _r(lexicon_only[k]) for k in ("precision", "recall", "f1")},
        },
        "lexicons": lexicon_hashes(packaged("hedges.yaml"), packaged("boosters.yaml")),
        "features": feat_names,
        "coefficients": coefs,
    }
    Path(out).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{out}: {len(feat_names)} features, C={final['C']}, threshold={final['threshold']}; "
          f"CV F1 {cv['f1']:.4f} (P {cv['precision']:.4f}, R {cv['recall']:.4f}; folds "
          f"{cv['fold_f1_mean']:.4f} +- {cv['fold_f1_sd']:.4f}); in-sample F1 {insample['f1']:.4f}; "
          f"lexicon only {lexicon_only['f1']:.4f}; model alone (no always_hedged) CV F1 {model_only['f1']:.4f}; "
          f"{time.time() - t0:.0f} s", file=sys.stderr)
    return data


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(DEV))
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--C", type=float, nargs="+", default=list(C_GRID))
    ap.add_argument("--normalize", choices=("yes", "no"), default="yes" if NORMALIZE else "no",
                    help="scale each sentence's feature vector to unit length (default: %(default)s)")
    ap.add_argument("--always", nargs="*", default=list(ALWAYS), metavar="CATEGORY",
                    help="hedge categories whose cue makes a sentence hedged whatever the model says "
                         "(default: %(default)s; none: give the option with no value)")
    a = ap.parse_args(argv)
    train(a.dev, a.out, a.seed, a.folds, tuple(a.C), a.normalize == "yes", tuple(a.always))
    return 0


if __name__ == "__main__":
    sys.exit(main())
