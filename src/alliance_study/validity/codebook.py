"""The coders' codebook (``codebook.md``): each column of the coding sheet, with the lexicons' own cues as examples.

Examples are cues of each category as the lexicon finds them: a cue that the
lexicon counts only with certain words after or before it (``require_after``,
``require_before``) is shown with those words ("may" of ``marked_modal`` only
as *may well*), or left out when its rule cannot be read as plain words.

>>> book = codebook(["conflict"])
>>> "**marked modal**" in book and "*may well*" in book and "## group" in book
True
"""
from __future__ import annotations

import re
from typing import Sequence

from ..resources import read_yaml
from .sheets import NONE_SPEAKER

__all__ = ["codebook", "cue_examples"]

_WORD = re.compile(r"[A-Za-z'’-]+")


def _close(rx: str, i: int) -> int:
    """Index of the parenthesis closing the group opened at ``i`` (-1 if none)."""
    depth = 0
    k = i
    while k < len(rx):
        if rx[k] == "\\":
            k += 2
            continue
        depth += {"(": 1, ")": -1}.get(rx[k], 0)
        if depth == 0:
            return k
        k += 1
    return -1


def _first_alternative(body: str) -> str:
    """The first top-level alternative of a group's body."""
    depth = 0
    k = 0
    while k < len(body):
        ch = body[k]
        if ch == "\\":              # an escaped character: never a group or an alternative
            k += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return body[:k]
        k += 1
    return body


def _plain(rx: str) -> tuple[str, bool]:
    """The words a context rule requires first, as text, and whether the rule was read to its end.

    Whitespace (``\\s+``) is a space, ``\\b`` nothing, a group ``(?:a|b)`` its first
    alternative (also when optional); reading stops at anything else.

    >>> _plain(r"\\s+(?:well|have|be\\s+\\w+ing)\\b"), _plain(r"\\bit\\s+(?:would\\s+|might\\s+)?")
    ((' well', True), ('it would ', True))
    >>> _plain(r"[$€£¥]\\s?[\\d.,]+\\s*")
    ('', False)
    """
    out: list[str] = []
    i = 0
    while i < len(rx):
        if rx.startswith((r"\s+", r"\s*"), i):
            out.append(" ")
            i += 3
        elif rx.startswith(r"\s", i):
            out.append(" ")
            i += 2
        elif rx.startswith(r"\b", i):
            i += 2
        elif rx.startswith("(?:", i):
            j = _close(rx, i)
            sub, whole = _plain(_first_alternative(rx[i + 3:j])) if j > 0 else ("", False)
            out.append(sub)
            if not whole:
                return "".join(out), False
            i = j + 1 + (rx[j + 1:j + 2] == "?")
        else:
            m = _WORD.match(rx, i)
            if not m or rx[m.end():m.end() + 1] in ("?", "*", "+", "{"):   # a letter made optional: stop
                return "".join(out), False
            out.append(m.group())
            i = m.end()
    return "".join(out), True


def _context(entry: dict) -> tuple[str, str] | None:
    """(words before, words after) a cue needs, as plain text; None when a required context is not plain words."""
    before = after = ""
    if entry.get("require_before"):
        text, whole = _plain(str(entry["require_before"]).rstrip("$"))
        if not whole or not re.search(r"[A-Za-z]", text):
            return None
        before = " ".join(text.split())
    if entry.get("require_after"):
        text, _ = _plain(str(entry["require_after"]))          # the words read are next to the cue
        if not re.search(r"[A-Za-z]", text):
            return None
        after = " ".join(text.split())
    return before, after


def cue_examples(body, k: int = 4) -> list[str]:
    """The first ``k`` distinct cues of a category as a reader would see them, each as the lexicon finds it.

    A wildcard ``blame*`` shows as *blame…*, alternatives ``a|b`` as their first word,
    a gap ``...`` is left out; a cue with required words after or before it shows
    them ("may" + ``require_after: '\\s+(?:well|have)'`` -> "may well"), and is left
    out when they cannot be read as words.

    >>> cue_examples({"cues": ["blame*", {"cue": "may", "require_after": "\\\\s+(?:well|have)"}, "at|in odds",
    ...     {"cue": "may", "require_before": "[A-Z]\\\\w*\\\\s+$"}, "not ... necessarily", "x"]})
    ['blame…', 'may well', 'at odds', 'not necessarily']
    """
    cues: list[str] = []
    for c in (body.get("cues") if isinstance(body, dict) else body) or []:
        entry = c if isinstance(c, dict) else {"cue": c}
        context = _context(entry)
        if context is None:
            continue
        words = [w.split("|")[0] for w in str(entry.get("cue") or "").split() if w not in ("...", "…")]
        words = [w[:-1] + "…" if w.endswith("*") and len(w) > 1 else w for w in words]
        if not words:
            continue
        text = " ".join([context[0], *words, context[1]]).strip().lower()
        if text not in cues:
            cues.append(text)
        if len(cues) == k:
            break
    return cues


def _cues(body, k: int = 4) -> str:
    """:func:`cue_examples` in Markdown italics.

    >>> _cues({"cues": ["blame*", "accus*", {"cue": "war of words"}, "at|in odds", "not ... necessarily", "x"]})
    '*blame…*, *accus…*, *war of words*, *at odds*'
    """
    return ", ".join(f"*{c}*" for c in cue_examples(body, k))


def _describe(body: dict, what: str) -> str:
    """A category's ``description``, else its ``label``, else a note that the file has neither.

    >>> _describe({"label": "Economic cost"}, "frame"), _describe({}, "frame")
    ('Economic cost', '(no description or label in the frame file)')
    """
    body = body if isinstance(body, dict) else {}
    for key in ("description", "label"):
        text = " ".join(str(body.get(key) or "").split())
        if text:
            return text
    return f"(no description or label in the {what} file)"


def codebook(frames: Sequence[str], *, hedges="hedges", frames_lexicon="frames") -> str:
    """The coders' instructions (Markdown): each column, with the lexicons' categories as examples.

    Parameters
    ----------
    frames : sequence of str
        The frame names on the sheet (a ``frame_<name>`` column each).
    hedges, frames_lexicon : str or path
        The hedge and frame lexicons (packaged name or file) whose categories and cues are shown.

    Returns
    -------
    str
        Markdown: how to fill the sheet, the ``group`` column, each coder column, and
        how the codes are compared (what matches a speaker, how ties are handled).

    Examples
    --------
    >>> "frame_security_military" in codebook(["security_military"])
    True
    """
    hy, fy = read_yaml(hedges, what="hedge lexicon"), read_yaml(frames_lexicon, what="frame lexicon")
    hcats = hy.get("categories") or {}
    skip = set(hy.get("rounder_categories") or ())
    lines = [
        "# Codebook", "",
        "Code each row of the sheet from its `text` alone. Do not look at any program output. "
        "Leave a cell **blank** if you cannot decide: blank means *not coded*, never 0. "
        "Do not change `unit_id`, `article_id`, `sent_id`, `group` or `text`; remarks go in an optional `notes` column. "
        "Save the file as CSV under your own name (e.g. `coder_a.csv`): the file name identifies the coder.", "",
        "## group (do not code; do not let it influence you)", "",
        "The outlet or group of outlets the sentence comes from: the very grouping the study compares. "
        "It is on the sheet so that each row can be traced to its source when the sheets are checked, "
        "not as information for coding. Code every sentence as you would if you did not know where it was "
        "published: do not let the group influence your codes. If your spreadsheet allows it, hide the "
        "`group` column while you code.", "",
        "## sentiment (whole number, -4 to 4)", "",
        "How negative or positive the sentence is, as a reader would feel it: -4 extremely negative, "
        "0 neutral or mixed, 4 extremely positive (the scale of the VADER ground truth, Hutto & Gilbert 2014). "
        "Rate the tone of the words, not whether you agree.", "",
        "## hedged (0/1)", "",
        "1 when the writer (or the quoted speaker) withholds full commitment to what is said: possibility, "
        "doubt, approximation of a claim, or a claim attributed to unnamed people. "
        "A plain approximation of a number (*about 40 ships*) alone is **not** hedging. Kinds of hedges "
        "(the examples are words the program counts, with the words it needs around them):", "",
    ]
    for name, body in hcats.items():
        if name in skip:
            continue
        lines.append(f"- **{name.replace('_', ' ')}** -- {_describe(body, 'hedge')}. Examples: {_cues(body)}.")
    lines += ["", "Example: *In principle we do not exclude such a possibility.* -> 1; *Absolutely not.* -> 0.", "",
              "## speaker (free text)", "",
              "The person or body the sentence reports as speaking (quoted or paraphrased), **as named or "
              "referred to in this sentence**: write the sentence's own words (*Jane Roe*, *the health ministry*, "
              "*some experts*), a pronoun included: for *\"I would love a day off,\" she said.* write *she*. "
              f"Write `{NONE_SPEAKER}` when the sentence itself neither names nor refers to anyone speaking: the "
              "writer's own voice, and also a sentence that only goes on with or opens a quotation whose speaker "
              "is named in another sentence (*\"They stopped calling.\"* after *\"We have no choice,\" said Roe.*: "
              f"`{NONE_SPEAKER}`). If several speak, write the main one.", "",
              "What counts as agreeing with the program: your name is compared, after lower-casing, dropping "
              "punctuation and a leading *the/a/an*, with two forms of the program's speaker of the same "
              "sentence: the words of the sentence that name or refer to them (*she*) and the person they "
              "resolve to (*Maria Lopez*); a match with either counts, and so does a name that contains, is "
              "contained in, or shares its last word with one of them (*Lopez* ~ *Maria Lopez*). "
              f"`{NONE_SPEAKER}` agrees when the program finds no speaker named or referred to in the sentence; "
              "the program, like you, does not count a speaker named only in another sentence.", ""]
    fcats = fy.get("categories") or {}
    lines += ["## frame_<name> (0/1 each)", "",
              "1 when the sentence talks about the topic from this angle, whatever words it uses; 0 otherwise. "
              "A sentence may have several frames or none.", ""]
    for name in frames:
        body = fcats.get(name, {})
        lines.append(f"- **frame_{name}** -- {_describe(body, 'frame')}. Typical words: {_cues(body)}.")
    lines += ["", "## How your codes are compared", "",
              "Agreement between coders is Krippendorff's alpha (interval for sentiment, nominal for the rest). "
              "The program is compared with the coders' mean sentiment (correlation) and with their majority "
              "for hedged, each frame and speaker. A unit where the coders split evenly (a tie: one 1 and one 0, "
              "or two different speakers) has no majority: it is left out of that comparison, and the table says "
              "how many units each comparison uses (`n_value_units`, beside `n_units`, the units coded).", ""]
    return "\n".join(lines) + "\n"
