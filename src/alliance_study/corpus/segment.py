"""Split a decoded article into segments (non-empty lines) and give each a role.

Roles: ``headline``, ``body``, ``caption``, ``byline``, ``boilerplate``,
``reader_comment``.  The rules are data, in ``lexicons/roles.yaml`` (or any YAML
file of the same shape); the file documents each rule and the order in which they
apply (read by :mod:`.roles`).  Nothing here knows about particular outlets.

Example
-------
>>> text = "A Title\\n\\nFirst paragraph.\\nFollow us on Mastodon\\n2 comments\\nAnn Lee March 6, 2021 at 10:08 am\\nNice piece."
>>> [(s.role, s.author) for s in segment_text(text)]
[('headline', None), ('body', None), ('boilerplate', None), ('boilerplate', None), ('boilerplate', 'Ann Lee'), ('reader_comment', 'Ann Lee')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import word_count
from ._comments import parse_timestamp, timed_header
from .headline import ends_like_sentence, kicker, label_kind, lead_sentence, same_line, title_like
from .read import VISIBLE_RE, hard_wrapped, wrap_width, wraps
from .roles import ROLES, RoleRules  # noqa: F401  (ROLES re-exported: the roles a rule may give)

__all__ = ["ROLES", "Segment", "n_words", "same_line", "segment_text"]

_LINE_RE = re.compile(r"[^\n]+")


@dataclass
class Segment:
    """One segment: a stripped non-empty line with its role and comment metadata."""

    start: int
    end: int
    text: str
    role: str
    author: str | None = None
    timestamp: str | None = None
    depth: int | None = None
    comment_id: int | None = None
    rule: str | None = None


def n_words(text: str) -> int:
    """Number of words (runs of word characters) in ``text``.

    >>> n_words("WORLD / DIPLOMACY")
    2
    """
    return word_count(text)


def _lines(text: str):
    """(start, end, raw_line) of every line with a visible character (not only spaces, zero-width spaces, BOMs)."""
    for m in _LINE_RE.finditer(text):
        line = m.group()
        if VISIBLE_RE.search(line):
            yield m.start(), m.end(), line


def segment_text(text: str, rules: RoleRules | None = None, *, title: str | None = None) -> list[Segment]:
    """Segments of ``text`` (non-empty lines, stripped) with roles, in text order.

    Parameters
    ----------
    text : str
        Decoded article text with ``\\n`` line ends.
    rules : RoleRules, optional
        Default: the packaged ``roles.yaml``.
    title : str, optional
        The article's title from its metadata.  A first line that is the title is the
        headline whatever its length (rule ``title``), and no other line is taken for it;
        otherwise the headline is found from the text alone.

    Returns
    -------
    list of Segment
        ``text[s.start:s.end] == s.text`` for every segment.

    Examples
    --------
    >>> [s.role for s in segment_text("WORLD\\nBig News Today Here\\nIt happened.")]
    ['boilerplate', 'headline', 'body']
    >>> [(s.role, s.rule) for s in segment_text("Port strike\\n\\nDockers stopped work.", title="Port strike")]
    [('headline', 'title'), ('body', None)]
    """
    rules = rules or RoleRules.load()
    lines = []
    for s, e, raw in _lines(text):
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        lines.append((s + lead, s + lead + len(stripped), stripped, lead))
    if hard_wrapped(text):
        lines = _join_wrapped(text, lines, rules)
    segs = [Segment(s, e, t, "body") for s, e, t, _ in lines]
    indents = [ind for *_, ind in lines]
    n = len(lines)
    matches: list = []
    for _, _, t, _ in lines:  # a rule with `after:` sees the rule that matched the line before
        matches.append(rules.match(t, after=matches[-1].name if matches and matches[-1] is not None else None))

    head = _top([t for _, _, t, _ in lines], matches, segs, rules, title)

    # ---- the rest, in order
    in_thread = False
    in_related = False
    opener_indent: dict[int, int] = {}  # comment_id -> indentation of its first header line
    current: dict | None = None
    comment_id = -1
    pending_header = False  # the current comment's header had no timestamp yet
    begun = False  # a body line seen: only then may a rule start a comment thread
    for j in range(n):
        seg, line, m = segs[j], lines[j][2], matches[j]
        if seg.rule in ("kicker", "first_line", "title", "subtitle"):
            continue
        if in_thread:
            dm = (rules.date_line.match(line) if pending_header and current is not None
                  and rules.date_line is not None and len(line) <= rules.rule_max_line_chars else None)
            if dm is not None and current is not None:  # the date line of a header that had none ("Alice Brown says:")
                current["timestamp"] = parse_timestamp(dm.group("date"), dm.groupdict().get("time"))
                pending_header = False
                seg.role, seg.rule = "boilerplate", "comment_header"
                seg.author, seg.timestamp = current["author"], current["timestamp"]
                seg.comment_id = current["comment_id"]
                continue
            if m is not None:
                seg.role, seg.rule = m.role, m.name
                pending_header = False
                continue
            hm = rules.comment_header(line)
            if hm is not None:
                gd = hm.groupdict()
                ts = parse_timestamp(gd.get("date"), gd.get("time"))
                if pending_header and not gd.get("num") and current is not None:
                    # second header line of the same comment ("name (Real Name) date time")
                    current["timestamp"] = current["timestamp"] or ts
                    pending_header = ts is None
                else:
                    comment_id += 1
                    opener_indent[comment_id] = indents[j]
                    current = {"author": gd["author"].strip(), "timestamp": ts, "depth": None,
                               "comment_id": comment_id}
                    pending_header = ts is None
                seg.role, seg.rule = "boilerplate", "comment_header"
                seg.author, seg.timestamp = current["author"], current["timestamp"]
                seg.comment_id = current["comment_id"]
                continue
            pending_header = False
            seg.role, seg.rule = "reader_comment", "comment_text"
            if current is not None:
                seg.author, seg.timestamp = current["author"], current["timestamp"]
                seg.comment_id = current["comment_id"]
            continue
        if m is not None and m.thread_only:  # "Reply" outside a comment thread is a word of the article
            m = None
        if m is not None:
            seg.role, seg.rule = m.role, m.name
            in_related = False
            # the comments follow the article: a counter or sign-in notice above it starts nothing
            in_thread = m.starts_thread and begun
            continue
        if rules.related_heading is not None and len(line) <= rules.rule_max_line_chars \
                and rules.related_heading.match(line):
            seg.role, seg.rule = "boilerplate", "related_heading"
            in_related = True
            continue
        hm = timed_header(rules, line)
        if hm is not None and not begun and head is not None:
            # before the body, a name with a date and time is who wrote it and when, not a comment
            seg.role, seg.rule = "byline", "dated_byline"
            in_related = False
            continue
        if hm is not None:
            in_thread = True
            in_related = False
            comment_id += 1
            opener_indent[comment_id] = indents[j]
            current = {"author": hm.group("author").strip(),
                       "timestamp": parse_timestamp(hm.group("date"), hm.group("time")),
                       "depth": None, "comment_id": comment_id}
            seg.role, seg.rule = "boilerplate", "comment_header"
            seg.author, seg.timestamp = current["author"], current["timestamp"]
            seg.comment_id = comment_id
            continue
        if in_related:
            if n_words(line) <= rules.related_item_max_words and not (
                    rules.related_item_end is not None and rules.related_item_end.search(line)):
                seg.role, seg.rule = "boilerplate", "related_item"
                continue
            in_related = False
        seg.role, seg.rule = "body", None
        begun = True
    # depth = rank of the comment's header indentation among all header indentations
    # and every line of a comment gets the timestamp found on any of its header lines
    levels = sorted(set(opener_indent.values()))
    stamps: dict[int, str] = {}
    for seg in segs:
        if seg.comment_id is not None and seg.timestamp and seg.comment_id not in stamps:
            stamps[seg.comment_id] = seg.timestamp
    for seg in segs:
        if seg.comment_id is not None:
            seg.depth = levels.index(opener_indent[seg.comment_id])
            seg.timestamp = seg.timestamp or stamps.get(seg.comment_id)
    return segs


def _label_line(line: str, rules: RoleRules, matched: bool = False) -> bool:
    """Whether ``line`` is a label whatever stands under it: a sure one, one in capitals, or one word."""
    kind = label_kind(line, rules, matched)
    return kind in ("sure", "capitals") or (kind == "plain" and n_words(line) == 1)


def _top(texts: list[str], matches: list, segs: list[Segment], rules: RoleRules, title: str | None) -> int | None:
    """Give the top lines of a file their roles -- kicker, headline, subtitle (roles.yaml, step 2) -- and
    return the index of the headline (None: no headline).

    A line among the first ``1 + headline_search_lines`` that is the known ``title`` is the headline;
    short lines above it are furniture (a kicker, "Menu").  Under the title, a section label is a
    kicker too, and the text's own first headline line may follow it (a table's title put before
    its text).  Without the title in the text: a kicker, then the first line no rule claims.

    >>> [s.role for s in segment_text("Menu\\nMIDDLE EAST\\nTalks resume in Cairo\\nIt rained.",
    ...                                    title="Talks resume in Cairo")]
    ['boilerplate', 'boilerplate', 'headline', 'body']
    """
    n = len(texts)

    def plain(j: int) -> bool:
        return j < n and matches[j] is None and not rules.comment_header(texts[j])

    def first_line(start: int) -> int | None:
        for j in range(start, min(n, start + rules.headline_search_lines)):
            if matches[j] is None:
                if timed_header(rules, texts[j]) is not None:  # a file that starts with a comment
                    return None
                if n_words(texts[j]) <= rules.headline_max_words and not lead_sentence(texts[j], rules, bool(title)):
                    segs[j].role, segs[j].rule = "headline", "first_line"
                    return j
                return None
        return None

    at = next((j for j in range(min(n, 1 + rules.headline_search_lines)) if same_line(texts[j], title)), None)
    if at is not None:
        for j in range(at):  # short lines above the title: a kicker, menu words
            if matches[j] is None and n_words(texts[j]) <= rules.kicker_max_words and not ends_like_sentence(texts[j]):
                segs[j].role, segs[j].rule = "boilerplate", "kicker"
        segs[at].role, segs[at].rule = "headline", "title"
        if plain(at + 1) and _label_line(texts[at + 1], rules):
            segs[at + 1].role, segs[at + 1].rule = "boilerplate", "kicker"
            first_line(at + 2)
            return at
        head: int | None = at
    else:
        i = 0
        if n >= 2 and (matches[0] is None or matches[0].starts_thread) and plain(1) and (
                kicker(texts[0], texts[1], rules, matched=matches[0] is not None)
                or (_label_line(texts[0], rules, matches[0] is not None)
                    and lead_sentence(texts[1], rules, bool(title)))):
            segs[0].role, segs[0].rule = "boilerplate", "kicker"
            i = 1
        head = first_line(i)
    if head is not None and plain(head + 1) and title_like(texts[head + 1], rules, rules.subtitle_min_capitalized):
        segs[head + 1].role, segs[head + 1].rule = "headline", "subtitle"
    return head


def _join_wrapped(text: str, lines: list, rules: RoleRules) -> list:
    """Lines of a hard-wrapped text with each continuation line joined to the line before: the next line
    of the same paragraph opens in lower case after a long line without final punctuation (a wrap:
    :func:`.read.wraps`), and neither is furniture (a rule or a comment header).  Nothing is joined onto
    the first line (the title) or onto a short line (verse, a list item, a speaker's name).  A joined
    segment spans the line end: ``text[start:end]``.

    >>> t = ("Treaty extended\\n\\nNorway and Chile on Monday extended a friendship treaty for\\nfive years, the "
    ...      "cabinet said, in a move analysts called largely\\nsymbolic but which may signal closer military ties\\n"
    ...      "between the two governments.\\nThe talks covered:\\ntrade and tariffs\\nenergy security")
    >>> [s.text.replace("\\n", "|") for s in segment_text(t)][1:]  # doctest: +NORMALIZE_WHITESPACE
    ['Norway and Chile on Monday extended a friendship treaty for|five years, the cabinet said, in a move analysts
      called largely|symbolic but which may signal closer military ties|between the two governments.',
     'The talks covered:', 'trade and tariffs', 'energy security']
    """
    def plain(line: str) -> bool:
        return rules.match(line) is None and rules.comment_header(line) is None

    width = wrap_width([line.strip() for line in text.split("\n")])
    out: list = []
    for s, e, stripped, lead in lines:
        if len(out) > 1:  # never onto the first line (the title)
            ps, pe, prev, plead = out[-1]
            last = prev.rsplit("\n", 1)[-1].strip()
            if text.count("\n", pe, s) == 1 and wraps(last, stripped, width) and plain(last) and plain(stripped):
                out[-1] = (ps, e, text[ps:e], plead)
                continue
        out.append((s, e, stripped, lead))
    return out
