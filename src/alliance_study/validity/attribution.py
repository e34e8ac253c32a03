"""Validation of the attribution finder against PolNeAR (Newell, Margolin & Ruths, LREC 2018).

PolNeAR annotates attribution relations (source, cue, content) in 2016 US
election news.  The validation runs :func:`~alliance_study.metrics.attribution.attributions`
on each article and compares the **speaker spans** it reports
(``speaker_start:speaker_end``, offsets into the article text) with the gold
**source spans**:

* a found speaker is *correct* when its span overlaps a gold source span of the
  same article (precision = correct / found);
* a gold source is *found* when at least one found speaker span overlaps it
  (recall = found gold / gold);
* F1 is their harmonic mean; ``unknown_share`` is the share of found speakers
  typed ``unknown``.

Only the primary annotator's rows are used (one annotation per article) and only
relations with a source (``attribution_type == "Attribution"``).  Identical spans
count once on each side: several cues of one speaker mention are one found
speaker, and one source mention shared by several relations is one gold source.
A discontinuous gold source (``s1-e1;s2-e2``) is overlapped when any part is.
Rows without a speaker span (reader comments) are not scored.

The data stay in ``../shared/validation/polnear`` (the texts belong to their
publishers): the corpus is loaded from there through
:func:`alliance_study.corpus.load_corpus`, with a temporary metadata table when
only some articles are asked for.  Develop on ``train``; ``dev`` is the held-out
estimate.

Example
-------
>>> from alliance_study.validity.attribution import validate_attribution
>>> v = validate_attribution(splits=["dev"])                      # doctest: +SKIP
>>> round(v.f1, 2), v.by_compartment.columns[:4].tolist()          # doctest: +SKIP
(0.6..., ['split', 'n_articles', 'n_gold', 'n_found'])
"""
from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..io import write_table

__all__ = ["POLNEAR_DIR", "AttributionValidation", "missing_polnear_files", "read_polnear_gold", "score_speakers",
           "validate_attribution"]

#: where the PolNeAR train/dev data are expected, relative to the repository root
POLNEAR_DIR = Path("..") / "shared" / "validation" / "polnear"
#: columns of :attr:`AttributionValidation.by_compartment`
TABLE_COLUMNS = ["split", "n_articles", "n_gold", "n_found", "n_gold_found", "n_found_correct",
                 "precision", "recall", "f1", "unknown_share"]
_WHERE = ("PolNeAR (Newell, Margolin & Ruths 2018; networkdynamics/PolNeAR on GitHub, converted to "
          "articles/ + attributions.csv) is expected in {}. Fix: put the shared validation data next to the "
          "repository (../shared/validation/polnear) or pass folder=PATH.")


@dataclass(frozen=True)
class AttributionValidation:
    """Speaker-span precision/recall/F1 against PolNeAR gold sources (all compartments pooled)."""

    precision: float
    recall: float
    f1: float
    unknown_share: float          #: share of found speakers typed ``unknown``
    n_articles: int
    n_gold: int                   #: distinct gold source spans
    n_found: int                  #: distinct found speaker spans
    by_compartment: pd.DataFrame  #: one row per split, columns :data:`TABLE_COLUMNS`
    found: pd.DataFrame           #: the scored speaker rows with ``split`` and ``correct``
    gold: pd.DataFrame            #: the gold sources with ``split`` and ``found``
    seconds: float                #: wall time of loading, finding and scoring


#: the files of the PolNeAR layout, relative to its folder (the articles' texts are beside articles.csv)
POLNEAR_FILES = ("articles/articles.csv", "attributions.csv")


def missing_polnear_files(folder: str | os.PathLike) -> list[str]:
    """The files of the PolNeAR layout :func:`validate_attribution` needs that ``folder`` lacks.

    >>> missing_polnear_files("/nonexistent")
    ['articles/articles.csv', 'attributions.csv']
    """
    root = Path(folder)
    return [rel for rel in POLNEAR_FILES if not (root / rel).is_file()]


def _check_folder(folder: str | os.PathLike | None) -> Path:
    root = Path(folder) if folder is not None else POLNEAR_DIR
    for need in (root, root / "articles", *(root / rel for rel in POLNEAR_FILES)):
        if not need.exists():
            raise InputError(f"{need}: not found. " + _WHERE.format(root))
    return root


def _spans(value: str) -> list[tuple[int, int]]:
    out = []
    for part in str(value).split(";"):
        a, _, b = part.strip().partition("-")
        if a.strip().isdigit() and b.strip().isdigit():
            out.append((int(a), int(b)))
    return out


def read_polnear_gold(folder: str | os.PathLike | None = None,
                      splits: Sequence[str] = ("train", "dev")) -> pd.DataFrame:
    """Gold source spans: ``split, article_id, source_text, spans`` (a list of ``(start, end)``), one row per distinct span.

    >>> g = read_polnear_gold(splits=["dev"])                         # doctest: +SKIP
    >>> g.columns.tolist()                                             # doctest: +SKIP
    ['split', 'article_id', 'source_text', 'source_spans', 'spans']
    """
    root = _check_folder(folder)
    a = pd.read_csv(root / "attributions.csv", dtype=str, keep_default_na=False)
    need = {"split", "article_id", "primary_annotation", "attribution_type", "source_text", "source_spans"}
    missing = sorted(need - set(a.columns))
    if missing:
        raise InputError(f"{root / 'attributions.csv'}: lacks column(s) {missing}. "
                         "Fix: use the converted PolNeAR table described in its README.")
    a = a[(a["primary_annotation"] == "1") & (a["attribution_type"] == "Attribution")
          & a["split"].isin(list(splits)) & (a["source_spans"].str.strip() != "")]
    g = a[["split", "article_id", "source_text", "source_spans"]].drop_duplicates(["article_id", "source_spans"])
    g = g.assign(spans=g["source_spans"].map(_spans))
    return g[g["spans"].map(len) > 0].sort_values(["split", "article_id", "source_spans"], kind="stable") \
        .reset_index(drop=True)


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def score_speakers(found: pd.DataFrame, gold: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mark found speakers ``correct`` and gold sources ``found`` (span overlap within an article).

    ``found`` needs ``article_id, speaker_start, speaker_end, speaker_type``; rows
    without a speaker span are dropped and identical spans kept once.  Returns the
    two tables with the added boolean column.

    >>> f = pd.DataFrame({"article_id": ["a", "a"], "speaker_start": [0, 20], "speaker_end": [5, 24],
    ...                   "speaker_type": ["official", "unknown"]})
    >>> g = pd.DataFrame({"article_id": ["a", "a"], "spans": [[(2, 9)], [(40, 45)]]})
    >>> f2, g2 = score_speakers(f, g)
    >>> f2["correct"].tolist(), g2["found"].tolist()
    ([True, False], [True, False])
    """
    f = found.dropna(subset=["speaker_start", "speaker_end"])
    f = f.drop_duplicates(["article_id", "speaker_start", "speaker_end"]).reset_index(drop=True)
    gold_by: dict = {}
    for aid, spans in zip(gold["article_id"], gold["spans"]):
        gold_by.setdefault(aid, []).extend(spans)
    found_by: dict = {}
    for aid, s, e in zip(f["article_id"], f["speaker_start"], f["speaker_end"]):
        found_by.setdefault(aid, []).append((int(s), int(e)))
    correct = [_overlaps((int(s), int(e)), gold_by.get(aid, ()))
               for aid, s, e in zip(f["article_id"], f["speaker_start"], f["speaker_end"])]
    hit = [any(_overlaps(sp, spans) for sp in found_by.get(aid, ())) for aid, spans in zip(gold["article_id"],
                                                                                           gold["spans"])]
    return f.assign(correct=np.array(correct, dtype=bool)), gold.assign(found=np.array(hit, dtype=bool))


def _figures(split: str, n_articles: int, f: pd.DataFrame, g: pd.DataFrame) -> dict:
    p = float(f["correct"].mean()) if len(f) else float("nan")
    r = float(g["found"].mean()) if len(g) else float("nan")
    f1 = 2 * p * r / (p + r) if len(f) and len(g) and (p + r) > 0 else float("nan")
    unk = float((f["speaker_type"] == "unknown").mean()) if len(f) else float("nan")
    return dict(split=split, n_articles=n_articles, n_gold=len(g), n_found=len(f),
                n_gold_found=int(g["found"].sum()), n_found_correct=int(f["correct"].sum()),
                precision=p, recall=r, f1=f1, unknown_share=unk)


def validate_attribution(folder: str | os.PathLike | None = None, splits: Sequence[str] = ("train", "dev"), *,
                         articles: Sequence[str] | None = None, actors=None, speech=None) -> AttributionValidation:
    """Run :func:`~alliance_study.metrics.attribution.attributions` on PolNeAR and score the speaker spans.

    Parameters
    ----------
    folder : path, optional
        The PolNeAR folder (``articles/`` with ``articles.csv``, ``attributions.csv``);
        default :data:`POLNEAR_DIR` (``../shared/validation/polnear``).
    splits : sequence of str
        Compartments to run (``train``, ``dev``).
    articles : sequence of str, optional
        Only these article ids (a fixed subset for quick checks).
    actors, speech
        Passed to :func:`~alliance_study.metrics.attribution.attributions`.

    Returns
    -------
    AttributionValidation
        Pooled figures, a per-compartment table and the scored rows.

    Raises
    ------
    InputError
        When the folder or one of its files is missing (the message names it).
    """
    t0 = time.perf_counter()
    root = _check_folder(folder)
    meta = pd.read_csv(root / "articles" / "articles.csv", dtype=str, keep_default_na=False)
    meta = meta[meta["split"].isin(list(splits))] if "split" in meta.columns else meta
    if articles is not None:
        meta = meta[meta["article_id"].isin(list(articles))]
    if meta.empty:
        raise InputError(f"{root / 'articles' / 'articles.csv'}: no article in splits {list(splits)}"
                         f"{' among the ids given' if articles is not None else ''}. "
                         "Fix: ask for train and/or dev, or give ids listed there.")
    gold = read_polnear_gold(root, splits)
    gold = gold[gold["article_id"].isin(set(meta["article_id"]))].reset_index(drop=True)
    with tempfile.TemporaryDirectory(prefix="polnear-meta-") as tmp:
        meta_path = Path(tmp) / "articles.csv"
        write_table(meta, meta_path)  # a value holding a carriage return stays one row
        from ..corpus import load_corpus  # here: importing the corpus reader loads NLTK (seconds)

        corpus = load_corpus(root / "articles", meta_path)
    from ..metrics.attribution import attributions

    found = attributions(corpus, actors=actors, speech=speech)
    split_of = dict(zip(meta["article_id"], meta["split"]))
    found = found.assign(split=found["article_id"].map(split_of))
    f, g = score_speakers(found, gold)
    rows = []
    for split in [s for s in splits if s in set(meta["split"])]:
        n = int((meta["split"] == split).sum())
        rows.append(_figures(split, n, f[f["split"] == split], g[g["split"] == split]))
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    pooled = _figures("all", len(meta), f, g)
    return AttributionValidation(precision=pooled["precision"], recall=pooled["recall"], f1=pooled["f1"],
                                 unknown_share=pooled["unknown_share"], n_articles=len(meta), n_gold=len(g),
                                 n_found=len(f), by_compartment=table, found=f, gold=g,
                                 seconds=time.perf_counter() - t0)
