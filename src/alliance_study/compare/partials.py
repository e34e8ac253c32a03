"""Comparison tables of a corpus processed in partitions: small mergeable pieces, merged exactly.

A large corpus is processed in partitions of articles (each article in exactly one
partition), in worker processes; no process holds the whole sentence table.  Each
worker reduces its partition's scored ``sentences``, ``articles`` and attributions to
:class:`Partials` with :func:`partials`; the main process folds them together with
:func:`merge_partials` and computes the report's comparison tables with :func:`finalize`.

What each piece holds, and why merging is exact:

* ``article_measures`` -- per article, the sums and counts behind every registry
  measure (:func:`alliance_study.compare.article_measures`): concatenated, then sorted;
* ``term_counts`` -- ``group, term, count`` of :func:`~alliance_study.compare.keyness.keyness_counts`: summed;
* ``sourcing_counts`` -- :func:`~alliance_study.compare.sources.sourcing_counts`: summed
  (article counts add up because no article is in two partitions);
* ``concordance`` -- a fixed-seed *bottom-k sample* (:mod:`._samples`) of the keyword-in-context lines per
  group and term: each hit gets a key, a hash of ``(seed, article_id, sent_id, start)``
  (BLAKE2b, never Python's salted ``hash()``), and the ``k`` hits with the smallest keys
  are kept.  The ``k`` smallest keys of a union are the ``k`` smallest of the parts'
  ``k`` smallest, so the sample of the merged pieces is the sample of the whole corpus,
  whatever the split (Cohen & Kaplan 2007, "Summarizing data using bottom-k sketches",
  PODC; Broder 1997's min-wise hashing);
* ``sentence_sample`` -- the same bottom-k sample of whole sentences per group (key of
  ``(seed, article_id, sent_id)``), with their text, role and metric columns, and
  ``group_sentences``, the number of sentences of the group it was drawn from.

So ``finalize(merge_partials(pieces))`` is the same, byte for byte, for every split of
the corpus into partitions, and its keyness and sourcing tables are those of
:func:`~alliance_study.compare.keyness` and :func:`~alliance_study.compare.sourcing_profile`
/ :func:`~alliance_study.compare.sourcing_by_type` on the whole tables.  Its concordance
is the sample (at most ``concordance_lines`` lines per group and term), where
:func:`~alliance_study.compare.concordance` on whole tables gives every hit.

Example
-------
>>> import pandas as pd
>>> s = pd.DataFrame({"article_id": ["a", "a", "b"], "sent_id": [0, 1, 0], "role": "body",
...                   "text": ["The pact may hold.", "The pact holds.", "Trade talks on the pact."]})
>>> arts = pd.DataFrame({"article_id": ["a", "b"], "side": ["x", "y"]})
>>> kw = dict(group_by="side", roles=["body"], terms=["pact"], seed=1)
>>> pieces = [partials(s[s.article_id == a], arts[arts.article_id == a], **kw) for a in ["a", "b"]]
>>> merged = merge_partials(pieces)
>>> merged.term_counts.equals(partials(s, arts, **kw).term_counts)
True
>>> merged.concordance[["group", "article_id", "keyword"]].values.tolist()
[['x', 'a', 'pact'], ['x', 'a', 'pact'], ['y', 'b', 'pact']]
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from ..defaults import GROUP_BY, LEVEL, N_BOOT, N_PERM, ROLES, SEED
from ..errors import InputError
from ..metrics.lexicon import CueLexicon
from ..metrics.registry import SPEAKER_TYPES, SPEECH_SHARE_PREFIX
from ..text import group_order
from ._samples import CONC_ORDER, bottom_k, concat, concordance_sample, merge_samples, sample_keys, sentence_sample
from ._tables import group_labels
from .aggregates import READERS_COLUMN, article_measures
from .concordance import CONCORDANCE_COLUMNS
from .estimates import compare_groups, compare_pairs
from .keyness import keyness_counts, keyness_from_counts
from .sources import SOURCING_COUNT_COLUMNS, by_type_from_counts, normal_counts, profile_from_counts, sourcing_counts

__all__ = ["Partials", "partials", "merge_partials", "finalize", "sample_keys",
           "CONCORDANCE_LINES", "SAMPLE_SIZE"]

#: default lines kept per group and term in the concordance sample
CONCORDANCE_LINES = 25
#: default sentences kept per group in the sentence sample
SAMPLE_SIZE = 300
_MERGE_ROWS = 200_000  # rows of buffered pieces that trigger a reduction (memory ~ merged size + this)


@dataclass(frozen=True)
class Partials:
    """Mergeable pieces of the comparison tables of one partition (or of several, merged).

    Attributes
    ----------
    article_measures : pandas.DataFrame
        :func:`alliance_study.compare.article_measures` of the partition.
    term_counts : pandas.DataFrame
        ``group, term, count`` (keyness counts), sorted by group and term.
    concordance : pandas.DataFrame
        The concordance columns plus ``term`` (the lexicon pattern matched) and
        ``sample_key``: at most ``concordance_lines`` hits per group and term, the ones
        with the smallest keys; sorted by group, term, key.
    sourcing_counts : pandas.DataFrame
        :func:`alliance_study.compare.sources.sourcing_counts`.
    sentence_sample : pandas.DataFrame
        ``group, sample_key, group_sentences`` then the sentence table's own columns:
        at most ``sample_size`` sentences per group, the ones with the smallest keys.
    seed, concordance_lines, sample_size, group_by, roles, reader_group
        The parameters the pieces were made with; only pieces made with the same ones merge.
    """

    article_measures: pd.DataFrame
    term_counts: pd.DataFrame
    concordance: pd.DataFrame
    sourcing_counts: pd.DataFrame
    sentence_sample: pd.DataFrame
    seed: int
    concordance_lines: int
    sample_size: int
    group_by: str
    roles: tuple | None
    reader_group: bool = False


# ----------------------------------------------------------------------------- one partition
def partials(sentences: pd.DataFrame, articles: pd.DataFrame | None = None, attributions: pd.DataFrame | None = None,
             *, group_by: str = GROUP_BY, roles: Sequence[str] | None = ROLES,
             terms: CueLexicon | str | Path | Sequence[str] | None = None, seed: int = SEED,
             concordance_lines: int = CONCORDANCE_LINES, sample_size: int = SAMPLE_SIZE, width: int = 40,
             reader_group: bool = False) -> Partials:
    """The mergeable pieces of one partition of a corpus (every article of it, and only those).

    Parameters
    ----------
    sentences : pandas.DataFrame
        The partition's scored sentences (``article_id, sent_id, role, text`` and the
        metric columns of :func:`alliance_study.score_sentences`).
    articles : pandas.DataFrame, optional
        ``article_id`` and the ``group_by`` column (else read from ``sentences``).
    attributions : pandas.DataFrame, optional
        The partition's attributed quotes (:func:`alliance_study.metrics.attribution.attributions`).
    group_by, roles, reader_group
        As in :func:`alliance_study.compare.compare_groups`.
    terms, width
        As in :func:`alliance_study.compare.concordance`.
    seed : int
        Seed of the sampling keys (same seed, same samples).
    concordance_lines : int
        Keyword-in-context lines kept per group and term.
    sample_size : int
        Sentences kept per group.

    Returns
    -------
    Partials
        See the module docstring; :func:`merge_partials` folds pieces, :func:`finalize`
        makes the tables.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": "a", "sent_id": [0, 1, 2], "role": "body",
    ...                   "text": ["Perhaps talks will resume.", "Talks resumed.", "No talks."]})
    >>> p = partials(s, pd.DataFrame({"article_id": ["a"], "g": ["x"]}), group_by="g", terms=["talks"],
    ...              concordance_lines=2, sample_size=1)
    >>> p.term_counts.values.tolist()
    [['x', 'perhaps', 1], ['x', 'resume', 1], ['x', 'resumed', 1], ['x', 'talks', 3]]
    >>> len(p.concordance), len(p.sentence_sample), int(p.sentence_sample["group_sentences"].iloc[0])
    (2, 1, 3)
    """
    if int(concordance_lines) < 0 or int(sample_size) < 0:
        raise InputError(f"concordance_lines and sample_size must be 0 or more, got {concordance_lines} and "
                         f"{sample_size}. Fix: pass a count of lines / sentences to keep.")
    roles_t = tuple(roles) if roles is not None else None
    am = article_measures(sentences, articles, roles=roles_t, attributions=attributions, reader_group=reader_group)
    if attributions is not None:
        sc = sourcing_counts(attributions, articles, group_by=group_by, roles=roles_t, reader_group=reader_group)
    else:
        sc = normal_counts(pd.DataFrame({c: pd.Series(dtype=str if c in ("group", "speaker_type", "speaker")
                                                      else "int64") for c in SOURCING_COUNT_COLUMNS}))
    return Partials(
        article_measures=_sorted_measures(am),
        term_counts=keyness_counts(sentences, articles, group_by=group_by, roles=roles_t, reader_group=reader_group),
        concordance=concordance_sample(sentences, articles, terms, group_by, roles_t, reader_group, width, seed,
                                       int(concordance_lines)),
        sourcing_counts=sc,
        sentence_sample=sentence_sample(sentences, articles, group_by, roles_t, reader_group, seed, int(sample_size)),
        seed=int(seed), concordance_lines=int(concordance_lines), sample_size=int(sample_size),
        group_by=group_by, roles=roles_t, reader_group=bool(reader_group))


# ----------------------------------------------------------------------------- merging
def _measure_keys(am: pd.DataFrame) -> list[str]:
    return ["article_id"] + ([READERS_COLUMN] if READERS_COLUMN in am.columns else [])


def _sorted_measures(am: pd.DataFrame) -> pd.DataFrame:
    return am.sort_values(_measure_keys(am), kind="mergesort").reset_index(drop=True)


def _concat_measures(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Article measures of disjoint articles -> the table of their union, as one partition writes it:
    a speaker type outside the registry's standard ones that a piece never saw counts 0 quotes there
    (int64, not NaN), and such types' columns come last, sorted (as ``quote_measures`` orders them)."""
    full = [f for f in frames if len(f)] or frames[:1]
    standard = {f"{SPEECH_SHARE_PREFIX}{t}_num" for t in SPEAKER_TYPES}
    out = pd.concat(full, ignore_index=True, sort=False)
    extra = sorted(c for c in out.columns if c.startswith(SPEECH_SHARE_PREFIX) and c.endswith("_num")
                   and c not in standard)
    for c in extra:
        if out[c].isna().any():  # NaN only where a piece lacked the column: counts of 0/1 parts, int64
            out[c] = out[c].fillna(0).astype("int64")
    return out[[c for c in out.columns if c not in extra] + extra]


def _same(parts: list[Partials]) -> None:
    first = parts[0]
    for p in parts[1:]:
        for name in ("seed", "concordance_lines", "sample_size", "group_by", "roles", "reader_group"):
            if getattr(p, name) != getattr(first, name):
                raise InputError(f"partials made with different {name} ({getattr(first, name)!r} and "
                                 f"{getattr(p, name)!r}) cannot be merged. Fix: make every partition's "
                                 "partials with the same parameters.")


def _reduce(parts: list[Partials]) -> Partials:
    """Merge a list of pieces into one (the pieces are already checked to agree)."""
    if len(parts) == 1:
        return parts[0]
    _same(parts)
    first = parts[0]
    am = _sorted_measures(_concat_measures([p.article_measures for p in parts]))
    dup = am[am.duplicated(_measure_keys(am), keep=False)]
    if len(dup):
        raise InputError(f"{dup['article_id'].nunique()} article(s) are in more than one partition "
                         f"(e.g. {dup['article_id'].iloc[0]!r}): their counts would be added twice. "
                         "Fix: partition the corpus by article, each article in exactly one partition, and "
                         "give each partition's partials() only its own articles table (article_measures "
                         "writes a row for every article of it).")
    tc = concat([p.term_counts for p in parts])
    tc = tc.groupby(["group", "term"], sort=True)["count"].sum().astype("int64").reset_index() if len(tc) else tc
    return replace(
        first, article_measures=am, term_counts=tc,
        concordance=bottom_k(concat([p.concordance for p in parts]), ["group", "term"], CONC_ORDER,
                             first.concordance_lines),
        sourcing_counts=normal_counts(concat([p.sourcing_counts for p in parts])),
        sentence_sample=merge_samples([p.sentence_sample for p in parts], first.sample_size))


def merge_partials(parts: Iterable[Partials]) -> Partials:
    """Fold the pieces of many partitions into one, exactly as if one partition held them all.

    The fold streams: pieces are taken one at a time and reduced whenever the buffered
    rows exceed the merged rows (or 200,000), so memory is bounded by the size of the
    merged pieces, not by the number of pieces.  Associative and order-free: any
    grouping or order of the same pieces gives the same result (after the sorting
    every piece carries).

    Raises :class:`~alliance_study.errors.InputError` when pieces were made with
    different parameters, or when an article is in two pieces.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": ["a", "b"], "sent_id": 0, "role": "body",
    ...                   "text": ["Talks may resume.", "Talks resumed."]})
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "g": ["x", "x"]})
    >>> one = partials(s, arts, group_by="g", seed=3)
    >>> two = merge_partials(partials(s[s.article_id == i], arts[arts.article_id == i], group_by="g", seed=3)
    ...                      for i in ["b", "a"])
    >>> all(getattr(one, f).equals(getattr(two, f)) for f in ["term_counts", "sentence_sample", "article_measures"])
    True
    """
    acc: Partials | None = None
    buffer: list[Partials] = []
    rows = 0
    for p in parts:
        if not isinstance(p, Partials):
            raise InputError(f"merge_partials takes Partials (from alliance_study.compare.partials), got "
                             f"{type(p).__name__}. Fix: pass the partials() of each partition.")
        buffer.append(p)
        rows += sum(len(getattr(p, f.name)) for f in fields(Partials) if isinstance(getattr(p, f.name), pd.DataFrame))
        held = 0 if acc is None else sum(len(getattr(acc, f.name)) for f in fields(Partials)
                                         if isinstance(getattr(acc, f.name), pd.DataFrame))
        if rows >= max(held, _MERGE_ROWS):
            acc = _reduce(([acc] if acc is not None else []) + buffer)
            buffer, rows = [], 0
    if buffer:
        acc = _reduce(([acc] if acc is not None else []) + buffer)
    if acc is None:
        raise InputError("merge_partials got no pieces. Fix: pass the partials() of at least one partition.")
    return acc


# ----------------------------------------------------------------------------- the tables
_LEFT_OUT = r"\d+ article\(s\) have no row in the articles table or a blank"  # compare_groups' warning


def finalize(merged: Partials, articles: pd.DataFrame | None = None, *, group_by: str | None = None,
             roles: Sequence[str] | None = ROLES, n_boot: int = N_BOOT, n_perm: int = N_PERM, seed: int = SEED,
             level: float = LEVEL, prior: float | str = "corpus", min_count: int = 2) -> dict[str, pd.DataFrame]:
    """The report's comparison tables from merged pieces.

    Parameters
    ----------
    merged : Partials
        :func:`merge_partials` of every partition's pieces (or one partition's :func:`partials`).
    articles : pandas.DataFrame
        ``article_id`` and the ``group_by`` column of every article (the group comparison
        joins the groups to the article measures).  Articles with a blank ``group_by`` are
        left out without a warning here: the caller reports them (the build does).
    group_by, roles
        Those the pieces were made with (``group_by`` default: the pieces'); other values
        are refused, since the counts and samples cannot be regrouped.
    n_boot, n_perm, seed, level
        As in :func:`~alliance_study.compare.compare_groups`.
    prior, min_count
        As in :func:`~alliance_study.compare.keyness`.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``group_comparison`` and ``group_differences``
        (:func:`~alliance_study.compare.compare_groups` / :func:`~alliance_study.compare.compare_pairs`
        on the article measures: the tables of the whole sentence table), ``keyness`` (as
        :func:`~alliance_study.compare.keyness`), ``concordance`` (the sample: at most
        ``concordance_lines`` lines per group and term, with the columns of
        :func:`~alliance_study.compare.concordance`, sorted by group, article, sentence,
        offset), ``sourcing`` and ``sourcing_by_type`` (as on the whole attribution
        table), ``article_measures`` (sorted by article) and ``sentence_sample`` (sorted by
        group, article, sentence).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": ["a", "b"], "sent_id": 0, "role": "body",
    ...                   "text": ["Perhaps talks will resume.", "Talks resumed."]})
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "g": ["x", "y"]})
    >>> t = finalize(partials(s, arts, group_by="g", terms=["talks"]), arts, n_boot=20, n_perm=20)
    >>> t["group_comparison"].query("metric == 'share_hedged'")[["group", "estimate"]].values.tolist()
    [['x', 1.0], ['y', 0.0]]
    >>> t["concordance"]["keyword"].tolist()
    ['talks', 'Talks']
    """
    roles_t = tuple(roles) if roles is not None else None
    group_by = merged.group_by if group_by is None else group_by
    if (group_by, roles_t) != (merged.group_by, merged.roles):
        raise InputError(f"finalize(group_by={group_by!r}, roles={roles_t!r}) on pieces made with "
                         f"group_by={merged.group_by!r}, roles={merged.roles!r}: term counts, samples and "
                         "sourcing counts cannot be regrouped. Fix: pass the pieces' group_by and roles, or "
                         "make the pieces again with the new ones.")
    est: dict[str, Any] = dict(group_by=group_by, roles=roles_t, n_boot=n_boot, n_perm=n_perm, seed=seed,
                               level=level, reader_group=merged.reader_group)
    conc = merged.concordance
    conc = conc.sort_values(["group", "article_id", "sent_id", "start", "end", "category"], key=group_order(conc),
                            kind="mergesort")
    sample = merged.sentence_sample
    sample = sample.sort_values(["group", "article_id", "sent_id"], key=group_order(sample), kind="mergesort")
    groups, blank = None, False
    if articles is not None and group_by in articles.columns:
        known = articles[group_by].notna()
        groups = group_labels(articles.loc[known, group_by]).unique().tolist()   # also those nobody is quoted in
        blank = not known.all()
    with warnings.catch_warnings():
        if blank:  # articles with a blank group: the caller says so (the build does, once), not every comparison
            warnings.filterwarnings("ignore", message=_LEFT_OUT, category=UserWarning)
        comparison = compare_groups(merged.article_measures, articles, **est)
        differences = compare_pairs(merged.article_measures, articles, **est)
    return {
        "group_comparison": comparison,
        "group_differences": differences,
        "keyness": keyness_from_counts(merged.term_counts, prior=prior, min_count=min_count),
        "concordance": conc[CONCORDANCE_COLUMNS].reset_index(drop=True),
        "sourcing": profile_from_counts(merged.sourcing_counts),
        "sourcing_by_type": by_type_from_counts(merged.sourcing_counts, groups),
        "article_measures": merged.article_measures,
        "sentence_sample": sample.reset_index(drop=True),
    }
