"""Keyword-in-context (KWIC) lines for target terms.

Terms are matched with the project's cue matcher
(:class:`alliance_study.metrics.lexicon.CueLexicon`), so multiword terms ("trade
deal"), wildcards (``tarif*``) and alternatives work exactly as in the metrics.  The
layout follows the classic concordance (Luhn 1960; NLTK's ``ConcordanceIndex``): left
context, keyword, right context, all plain text -- escaping for HTML is the report's job.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import pandas as pd

from ..defaults import GROUP_BY, ROLES
from ..errors import InputError
from ..metrics.lexicon import CueLexicon, load_lexicon
from ._tables import attach_group, filter_roles, need_columns, sort_units

__all__ = ["concordance", "hits", "CONCORDANCE_COLUMNS"]

CONCORDANCE_COLUMNS = ["group", "article_id", "sent_id", "left", "keyword", "right", "start", "end", "category"]
_WS = re.compile(r"\s+")


def _lexicon(terms) -> CueLexicon:
    if terms is None:
        return load_lexicon("targets")
    if isinstance(terms, CueLexicon):
        return terms
    if isinstance(terms, (str, Path)) and (str(terms).endswith((".yaml", ".yml")) or Path(str(terms)).exists()):
        return load_lexicon(terms)
    if isinstance(terms, str):
        terms = [terms]
    return CueLexicon.from_dict({"name": "terms", "categories": {"term": {"cues": list(terms)}}}, source="<terms>")


def _flat(text: str) -> str:
    return _WS.sub(" ", text)


def concordance(sentences: pd.DataFrame, articles: pd.DataFrame | None = None,
                terms: CueLexicon | str | Path | Sequence[str] | None = None, *,
                group_by: str = GROUP_BY, width: int = 40,
                roles: Sequence[str] | None = ROLES, reader_group: bool = False) -> pd.DataFrame:
    """Every occurrence of the target terms with its left and right context.

    Parameters
    ----------
    sentences : pandas.DataFrame
        ``article_id``, ``text`` (optionally ``sent_id``, ``role``, ``start``).
    articles : pandas.DataFrame, optional
        ``article_id`` and ``group_by`` (else ``group_by`` is read from ``sentences``).
    terms : None, list of str, str, path or CueLexicon
        ``None``: the packaged ``targets`` lexicon (refused when it has no cues, as
        shipped: a study's targets file names its target); strings use the cue syntax of
        :mod:`alliance_study.metrics.lexicon` (``"military pact"``, ``"allian*"``).
    group_by : str
        Any grouping column.
    width : int
        Characters of context on each side (within the sentence; whitespace runs shown as one space).
    roles : sequence of str or None
        Roles to search (``None``: all).
    reader_group : bool
        Reader comments as their own group ``"readers"``.

    Returns
    -------
    pandas.DataFrame
        ``group, article_id, sent_id, left, keyword, right, start, end, category``:
        every hit (a corpus processed in partitions keeps a fixed-seed sample of them
        instead, :func:`alliance_study.compare.partials.partials`).
        ``start``/``end`` are character offsets of the keyword in the article text when
        the sentence table has a ``start`` column (the sentence's own offset), else
        offsets within the sentence. Sorted by group, article, sentence, offset.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": [7], "sent_id": [0], "start": [100], "g": ["x"],
    ...                   "text": ["They signed a military pact in May."]})
    >>> row = concordance(s, terms=["military pact"], group_by="g").iloc[0]
    >>> row["left"], row["keyword"], row["right"], int(row["start"]), int(row["end"])
    ('They signed a ', 'military pact', ' in May.', 114, 127)
    """
    if terms is None and not _lexicon(None).entries:
        raise InputError("no terms to look for: the packaged targets lexicon is empty (each study names its own "
                         "target in its targets file). Fix: pass terms=[...] (e.g. terms=['tariff*']) or "
                         "terms=<the study's targets.yaml>.")
    found = hits(sentences, articles, terms, group_by=group_by, width=width, roles=roles, reader_group=reader_group)
    return found[CONCORDANCE_COLUMNS]


def hits(sentences: pd.DataFrame, articles: pd.DataFrame | None = None,
         terms: CueLexicon | str | Path | Sequence[str] | None = None, *,
         group_by: str = GROUP_BY, width: int = 40,
         roles: Sequence[str] | None = ROLES, reader_group: bool = False) -> pd.DataFrame:
    """:func:`concordance` with one more column, ``term``: the lexicon pattern each hit matched.

    The fixed-seed sample of :func:`alliance_study.compare.partials.partials` draws its
    lines per group and ``term``.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": [1], "g": ["x"], "text": ["Duties and tariffs."]})
    >>> hits(s, terms=["tarif*", "duties"], group_by="g")[["keyword", "term"]].values.tolist()
    [['Duties', 'duties'], ['tariffs', 'tarif*']]
    """
    need_columns(sentences, ["article_id", "text"], "sentences")
    lex = _lexicon(terms)
    s = attach_group(sentences, articles, group_by, "sentences")
    s = sort_units(filter_roles(s, roles, reader_group), ["sent_id", "start"])
    has_start = "start" in s.columns
    rows = []
    texts = s["text"].tolist()
    gs = s["_group"].tolist()
    aids = s["article_id"].tolist()
    sids = s["sent_id"].tolist() if "sent_id" in s.columns else list(range(len(s)))
    starts = s["start"].tolist() if has_start else [0] * len(s)
    for text, g, aid, sid, off in zip(texts, gs, aids, sids, starts):
        if not isinstance(text, str) or not text:
            continue
        for cue in lex.find(text):
            base = int(off) if has_start and pd.notna(off) else 0
            rows.append((g, aid, sid, _flat(text[max(0, cue.start - width):cue.start]), cue.text,
                         _flat(text[cue.end:cue.end + width]), base + cue.start, base + cue.end, cue.category,
                         cue.pattern))
    return pd.DataFrame(rows, columns=CONCORDANCE_COLUMNS + ["term"])
