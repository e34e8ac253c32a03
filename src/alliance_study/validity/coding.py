"""Validation on the study's own sentences: a blind coding sheet, its codebook, and agreement.

1. :func:`coding_sheet` draws a sample of the study's sentences, stratified by
   group and by the machine's values (sentiment sign x hedged x any frame), so
   rare combinations are coded too; :func:`write_coding_sheet` writes it with a
   ``codebook.md`` beside it (:mod:`alliance_study.validity.codebook`).  The sheet shows
   **no machine value**: coders are blind (its ``group`` column names the source, and
   the codebook asks coders not to let it influence them).
2. Each coder fills a copy (the coder is the file's stem).
3. :func:`agreement` reads the copies and gives, per measure, Krippendorff's alpha
   between coders and the machine's validity against the coders
   (:mod:`alliance_study.validity.agreement`).

:func:`run_sample` and :func:`run_agreement` are the two command-line steps; they
take already-processed tables (sentences with metric columns, articles, sources).

Example
-------
>>> import pandas as pd
>>> sents = pd.DataFrame({"article_id": ["a", "a", "b"], "sent_id": [0, 1, 0], "role": "body",
...     "text": ["It may rain.", "Good news.", "Troops moved."], "sentiment_compound": [0.0, 0.4, 0.0],
...     "hedged": [True, False, False], "frame_security": [0, 0, 1]})
>>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"]})
>>> sheet = coding_sheet(sents, arts, n=3, seed=1, group_by="outlet")
>>> sheet.columns.tolist()
['unit_id', 'article_id', 'sent_id', 'group', 'text', 'sentiment', 'hedged', 'speaker', 'frame_security']
>>> sorted(sheet["text"])
['Good news.', 'It may rain.', 'Troops moved.']
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..defaults import DEFAULTS
from ..errors import InputError
from ..io import write_table, write_text_atomic
from ..metrics import registry
from .agreement import agreement
from .codebook import codebook
from .sheets import FRAME_PREFIX, UNIT_COLUMNS, as_flag, coder_columns, read_sheet, sheet_columns

__all__ = ["coding_sheet", "codebook", "write_coding_sheet", "agreement", "run_sample", "run_agreement",
           "read_sheet", "sheet_columns"]

#: VADER's conventional neutral band: |compound| < 0.05 is neutral
NEUTRAL = 0.05


def _strata(s: pd.DataFrame, frames: Sequence[str]) -> pd.Series:
    comp = pd.to_numeric(s["sentiment_compound"], errors="coerce").fillna(0.0)
    sign = np.where(comp >= NEUTRAL, "pos", np.where(comp <= -NEUTRAL, "neg", "neu"))
    hedged = pd.Series(np.where(as_flag(s["hedged"]), "hedged", "plain"), index=s.index)
    any_frame = np.zeros(len(s), dtype=bool)
    for f in frames:
        any_frame |= as_flag(s[f"{FRAME_PREFIX}{f}"])
    framed = np.where(any_frame, "framed", "unframed")
    return s["group"].astype(str) + "|" + pd.Series(sign, index=s.index) + "|" + hedged + "|" + framed


def _allocate(sizes: pd.Series, n: int) -> dict:
    """Equal allocation over strata, capped by each stratum's size; the remainder goes round again."""
    take = dict.fromkeys(sizes.index, 0)
    left = min(n, int(sizes.sum()))
    while left:
        open_ = [k for k in sizes.index if take[k] < sizes[k]]
        share = max(1, left // len(open_))
        for k in open_:
            add = min(share, int(sizes[k]) - take[k], left)
            take[k] += add
            left -= add
            if not left:
                break
    return take


def coding_sheet(sentences: pd.DataFrame, articles: pd.DataFrame, *, n: int = 200, seed: int = DEFAULTS["seed"],
                 group_by: str = DEFAULTS["group_by"], frames: Sequence[str] | None = None,
                 roles: Sequence[str] | None = DEFAULTS["roles"]) -> pd.DataFrame:
    """A stratified sample of sentences as a blank coding sheet (no machine value shown).

    Parameters
    ----------
    sentences : pandas.DataFrame
        Scored sentences: ``article_id, sent_id, text`` and the metric columns
        ``sentiment_compound``, ``hedged`` and ``frame_<name>`` (``role`` if ``roles`` is given).
    articles : pandas.DataFrame
        ``article_id`` and the ``group_by`` column.
    n : int
        Units to draw (fewer if the table has fewer sentences).
    seed : int
        Random seed: same inputs and seed, same sheet.
    group_by : str
        The metadata column defining the groups compared.
    frames : sequence of str, optional
        Frame names to code; default every ``frame_<name>`` column of ``sentences``.
    roles : sequence of str or None
        Segment roles sampled (default the study's own text, headline and body); None: all.

    Returns
    -------
    pandas.DataFrame
        Columns :func:`~alliance_study.validity.sheets.sheet_columns`: ``unit_id`` (``u0001`` ...,
        in random order), ``article_id, sent_id, group, text`` and the coder's empty columns.
        Strata are group x sentiment sign (|compound| < 0.05 neutral) x hedged x any
        frame; each stratum gets an equal share of ``n`` (capped by its size).
    """
    if n < 1:
        raise InputError(f"n must be at least 1 (got {n}). Fix: pass --n 1 or more (e.g. 200).")
    if seed < 0:
        raise InputError(f"seed must be 0 or more (got {seed}). Fix: pass --seed 0 or more (e.g. 2016).")
    need = ["article_id", "sent_id", "text", "sentiment_compound", "hedged"]
    missing = [c for c in need if c not in sentences.columns]
    if missing:
        raise InputError(f"sentences table: column(s) {missing} missing. "
                         "Fix: pass the processed sentence table (with the metric columns).")
    if group_by not in articles.columns or "article_id" not in articles.columns:
        raise InputError(f"articles table: needs 'article_id' and the group column {group_by!r}. "
                         f"Fix: pass group_by= one of {list(map(str, articles.columns))}.")
    if frames is None:
        frames = registry.frame_names_of(sentences.columns)
    s = sentences
    if roles is not None and "role" in s.columns:
        s = s[s["role"].isin(list(roles))]
    s = s.merge(articles[["article_id", group_by]].rename(columns={group_by: "group"}), on="article_id",
                how="left")
    s = s[s["text"].fillna("").str.strip() != ""]
    s = s.sort_values(["article_id", "sent_id"], kind="stable").reset_index(drop=True)
    s["group"] = s["group"].fillna("unknown").astype(str)
    if n > len(s):  # the sheet has them all: said, since the sheet is shorter than asked
        import warnings

        warnings.warn(f"{n} sentences asked, but only {len(s)} can be drawn (roles {list(roles or [])}): the sheet "
                      f"has all of them", stacklevel=2)
    strata = _strata(s, frames)
    rng = np.random.default_rng(seed)
    take = _allocate(strata.value_counts().sort_index(), n)
    picked: list[int] = []
    for key in sorted(take):
        rows = np.flatnonzero((strata == key).to_numpy())
        picked.extend(rng.choice(rows, size=take[key], replace=False).tolist())
    order = rng.permutation(np.array(sorted(picked), dtype=int))
    out = s.iloc[order][list(UNIT_COLUMNS[1:])].reset_index(drop=True)
    out.insert(0, "unit_id", [f"u{i:04d}" for i in range(1, len(out) + 1)])
    for c in coder_columns(frames):
        out[c] = ""
    return out[sheet_columns(frames)]


def write_coding_sheet(sheet: pd.DataFrame, path, *, hedges="hedges", frames_lexicon="frames") -> tuple[Path, Path]:
    """Write the sheet (CSV, UTF-8) and ``codebook.md`` in the same folder; returns both paths."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise InputError(f"{path}: a coding sheet is written as CSV. Fix: give a file name ending in .csv.")
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = [c[len(FRAME_PREFIX):] for c in sheet.columns if c.startswith(FRAME_PREFIX)]
    write_table(sheet, path)
    book = path.parent / "codebook.md"
    write_text_atomic(book, codebook(frames, hedges=hedges, frames_lexicon=frames_lexicon))
    return path, book


def run_sample(sentences: pd.DataFrame, articles: pd.DataFrame, out, *, n: int = 200,
               seed: int = DEFAULTS["seed"], group_by: str = DEFAULTS["group_by"],
               roles: Sequence[str] | None = DEFAULTS["roles"], hedges="hedges", frames_lexicon="frames"
               ) -> tuple[Path, Path]:
    """``alliance-study sample``: draw the sheet and write it with its codebook; returns both paths."""
    sheet = coding_sheet(sentences, articles, n=n, seed=seed, group_by=group_by, roles=roles)
    return write_coding_sheet(sheet, out, hedges=hedges, frames_lexicon=frames_lexicon)


def run_agreement(sheets: Sequence, sentences: pd.DataFrame, out=None, *, sources: pd.DataFrame | None = None,
                  n_boot: int = DEFAULTS["n_boot"], seed: int = DEFAULTS["seed"],
                  level: float = DEFAULTS["level"]) -> pd.DataFrame:
    """``alliance-study agreement``: :func:`agreement` of the filled sheets, written to ``out`` if given."""
    table = agreement([read_sheet(p) for p in sheets], sentences, sources, n_boot=n_boot, seed=seed, level=level)
    if out is not None:
        write_table(table, out)
    return table
