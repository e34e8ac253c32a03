"""The speaker check of the coding sheet: what a coder writes, and what of the machine's it is compared with.

The codebook asks coders to code each sentence from its own text: the speaker *as
named in the sentence* ("she", "the ministry", "Jane Roe"), and ``none`` when the
sentence itself neither names nor refers to anyone speaking -- the writer's own
voice, but also a sentence that only goes on with a quotation whose speaker is
named in another sentence.  The machine's side is built the same way
(:func:`machine_speakers`): a sentence's speakers are those of the attribution
rows whose speaker *mention* lies in that sentence, each in two forms, the
resolved speaker (``speaker``: "Maria Lopez") and the mention (``speaker_text``:
"she"); a coder's name matches either (:func:`speaker_match`).

>>> import pandas as pd
>>> src = pd.DataFrame({"article_id": "a", "sent_id": [1, 2], "cue_sent_id": [1, 1],
...     "speaker": ["Maria Lopez", "Maria Lopez"], "speaker_text": ["she", ""],
...     "pattern": ["subject_verb", "continued"], "speaker_start": pd.array([103, None], dtype="Int64")})
>>> by = machine_speakers(src)
>>> sorted(by[("a", 1)]), ("a", 2) in by
(['maria lopez', 'she'], False)
>>> speaker_match("she", by[("a", 1)]), speaker_match("none", by.get(("a", 2), set()))
(True, True)
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..text import straight_apostrophes
from .sheets import NONE_SPEAKER

__all__ = ["normalise_speaker", "speaker_match", "machine_speakers", "NO_MENTION_PATTERNS"]

#: attribution patterns whose speaker is not mentioned in the row's text (used when the table has no offsets):
#: a quote that goes on from an earlier sentence, and a reader comment (its author stands outside the text)
NO_MENTION_PATTERNS = ("continued", "reader_comment")


def normalise_speaker(name) -> str | None:
    """Lower case, letters and digits only, no leading article; None for blank.

    >>> normalise_speaker("  The Ministry's  spokesman,")
    "ministry's spokesman"
    """
    if name is None or (isinstance(name, float) and np.isnan(name)) or name is pd.NA:
        return None
    s = " ".join(re.sub(r"[^\w\s'’-]", " ", straight_apostrophes(str(name).lower())).split())
    s = re.sub(r"^(?:the|a|an) ", "", s)
    return s or None


def speaker_match(coded: str, machine: set) -> bool:
    """Whether the machine's speakers of a sentence contain the coders' speaker.

    ``machine`` holds the normalised resolved speakers *and* mentions of the
    sentence (:func:`machine_speakers`).  ``none`` matches a sentence with no
    speaker mention; a name matches when it equals, contains, is contained in or
    shares the last word with one of them ("Lavrov" ~ "Sergei Lavrov").

    >>> speaker_match("roe", {"jane roe"}), speaker_match("none", set()), speaker_match("lee", {"smith"})
    (True, True, False)
    """
    if coded == NONE_SPEAKER:
        return not machine
    for m in machine:
        if coded == m or f" {coded} " in f" {m} " or f" {m} " in f" {coded} " or coded.split()[-1] == m.split()[-1]:
            return True
    return False


def _mentioned(sources: pd.DataFrame) -> np.ndarray:
    """Rows whose speaker is mentioned in the text: a ``speaker_start`` offset, else a pattern with a mention."""
    if "speaker_start" in sources.columns:
        return sources["speaker_start"].notna().to_numpy(dtype=bool)
    if "pattern" in sources.columns:
        return (~sources["pattern"].astype(str).isin(NO_MENTION_PATTERNS)).to_numpy(dtype=bool)
    return np.ones(len(sources), dtype=bool)


def machine_speakers(sources: pd.DataFrame) -> dict[tuple[str, int], set[str]]:
    """Per sentence ``(article_id, sent_id)``, the normalised speakers the sentence itself names or refers to.

    A row counts for the sentence of its speaker mention (``cue_sent_id``: the
    mention stands by its cue, also when the row's quote began in an earlier
    sentence; ``sent_id`` when the table has no ``cue_sent_id``), with its resolved
    ``speaker`` and its mention ``speaker_text``.  Rows with no mention in the text
    (``speaker_start`` missing: a continued quote, a reader comment) name nobody in
    any sentence, so such a sentence counts as ``none`` -- as the codebook asks.
    A sentence absent from the result has no speaker mention.
    """
    src = sources[_mentioned(sources)]
    sent = "cue_sent_id" if "cue_sent_id" in src.columns else "sent_id"
    texts = src["speaker_text"] if "speaker_text" in src.columns else pd.Series(None, index=src.index)
    out: dict[tuple[str, int], set[str]] = {}
    for a, s, speaker, mention in zip(src["article_id"].astype(str), pd.to_numeric(src[sent]).astype(int),
                                      src["speaker"], texts):
        names = {n for n in (normalise_speaker(speaker), normalise_speaker(mention)) if n}
        if names:
            out.setdefault((a, int(s)), set()).update(names)
    return out
