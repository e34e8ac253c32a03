"""Fixed-seed bottom-k samples of :mod:`.partials`: keys, the sample of one partition, the merge of samples.

A sampled row gets a key, a hash of ``seed`` and the values that name the row
(BLAKE2b, never Python's salted ``hash()``); a sample keeps the ``k`` rows with the
smallest keys per group.  The ``k`` smallest keys of a union are the ``k`` smallest of
the parts' ``k`` smallest, so merging the samples of partitions gives the sample of
the whole corpus, whatever the split (Cohen & Kaplan 2007, "Summarizing data using
bottom-k sketches", PODC; Broder 1997's min-wise hashing).

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"group": ["x", "x", "y"], "sample_key": [3, 1, 2], "article_id": "a", "sent_id": [0, 1, 2]})
>>> bottom_k(df, ["group"], SAMPLE_ORDER, 1)[["group", "sent_id"]].values.tolist()
[['x', 1], ['y', 2]]
"""
from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np
import pandas as pd

from ._tables import attach_group, filter_roles, need_columns, sort_units
from .concordance import hits

__all__ = ["sample_keys"]

KEY = "sample_key"
#: sort order of the concordance sample: group, term, key, then tie-breaks
CONC_ORDER = ["group", "term", KEY, "article_id", "sent_id", "start", "end", "category", "keyword"]
#: sort order of the sentence sample
SAMPLE_ORDER = ["group", KEY, "article_id", "sent_id"]


def sample_keys(seed: int, *columns: Sequence) -> np.ndarray:
    """Stable 64-bit sampling keys: BLAKE2b of ``seed`` and each row's values of ``columns``.

    The same values give the same key in every process, on every machine and run
    (unlike Python's salted ``hash()``); a bottom-k sample keeps the rows with the
    smallest keys.

    >>> k = sample_keys(7, ["a", "a"], [0, 1])
    >>> k.dtype, bool(k[0] != k[1]), bool((k == sample_keys(7, ["a", "a"], [0, 1])).all())
    (dtype('uint64'), True, True)
    """
    out = np.empty(len(columns[0]) if columns else 0, dtype=np.uint64)
    for i, values in enumerate(zip(*columns)):
        text = "\x1f".join([str(int(seed))] + [str(v) for v in values])
        out[i] = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")
    return out


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate, leaving out empty frames (their dtypes must not change the others')."""
    full = [f for f in frames if len(f)]
    return pd.concat(full, ignore_index=True) if full else frames[0]


def bottom_k(df: pd.DataFrame, by: list[str], order: list[str], k: int) -> pd.DataFrame:
    """The ``k`` rows with the smallest ``order`` (key first, then tie-breaks) per ``by``, sorted by ``order``."""
    if df.empty:
        return df.reset_index(drop=True)
    df = df.reset_index(drop=True)
    keep = df[order].sort_values(order, kind="mergesort").groupby(by, sort=False).head(k).index
    return df.take(keep).reset_index(drop=True)


def concordance_sample(sentences, articles, terms, group_by, roles, reader_group, width, seed, k) -> pd.DataFrame:
    """The bottom-``k`` keyword-in-context hits per group and term (key of article, sentence, offset)."""
    h = hits(sentences, articles, terms, group_by=group_by, width=width, roles=roles, reader_group=reader_group)
    h.insert(len(h.columns), KEY, sample_keys(seed, h["article_id"], h["sent_id"], h["start"]))
    return bottom_k(h, ["group", "term"], CONC_ORDER, k)


def sentence_sample(sentences, articles, group_by, roles, reader_group, seed, k) -> pd.DataFrame:
    """The bottom-``k`` sentences per group (key of article and sentence), with ``group_sentences``."""
    need_columns(sentences, ["article_id", "sent_id"], "sentences")
    s = sort_units(filter_roles(attach_group(sentences, articles, group_by, "sentences"), roles, reader_group),
                   ["sent_id"])
    own = [c for c in s.columns if c not in ("_group", "group", KEY, "group_sentences")]
    out = s[own].copy()
    out.insert(0, "group", s["_group"])
    out.insert(1, KEY, sample_keys(seed, s["article_id"], s["sent_id"]))
    out.insert(2, "group_sentences", out.groupby("group")["group"].transform("size").astype("int64"))
    return bottom_k(out, ["group"], SAMPLE_ORDER, k)


def merge_samples(samples: list[pd.DataFrame], k: int) -> pd.DataFrame:
    """The sentence sample of the union of the pieces whose samples are ``samples``."""
    s = concat(samples)
    if s.empty:
        return s
    # every piece holding sentences of a group has at least one of them in its sample (k >= 1), with
    # that piece's group size: the pieces' sizes add up to the merged group's
    sizes: dict = {}
    for x in samples:
        for g, n in dict(zip(x["group"].tolist(), x["group_sentences"].tolist())).items():
            sizes[g] = sizes.get(g, 0) + n
    s = s.assign(group_sentences=s["group"].map(sizes).astype("int64"))
    return bottom_k(s, ["group"], SAMPLE_ORDER, k)
