"""Comment headers of :mod:`.segment`: the date and time of a reader comment, and the header that starts a thread.

A reader comment opens with a header line naming its author and when it was posted
("Ann Lee March 6, 2021 at 10:08 am"); the patterns are data (``comment_thread`` in
``lexicons/roles.yaml``), read by :mod:`.roles`.  Here: turning the date and time a
header gives into ISO 8601, and telling a header with a time of day (which starts a
thread by itself) from a list item of the article that happens to end with a date.

Example
-------
>>> parse_timestamp("6 March 2021", "10:08 am")
'2021-03-06T10:08'
"""
from __future__ import annotations

import re
from datetime import datetime

from ..text import word_count
from .roles import RoleRules

_BULLET_RE = re.compile(r"[-–—•·*▪►]\s")


def parse_timestamp(date: str | None, time: str | None) -> str | None:
    """ISO 8601 form of a comment date and time when it can be parsed, else the raw text.

    >>> parse_timestamp("26 October 2020", "16: 13")
    '2020-10-26T16:13'
    >>> parse_timestamp("March 6, 2021", "10:08 pm")
    '2021-03-06T22:08'
    >>> parse_timestamp("31/31/2020", None)
    '31/31/2020'
    """
    if not date:
        return None
    raw = f"{date} {time}".strip() if time else date.strip()
    d = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", date.replace(",", " ").replace(".", " ").strip())
    d = " ".join(d.split())
    day = None
    for fmt in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(d if fmt != "%Y-%m-%d" else date.strip(), fmt)
            break
        except ValueError:
            continue
    if day is None:
        return raw
    if not time:
        return day.strftime("%Y-%m-%d")
    m = re.match(r"(\d{1,2})\s?[:.]\s?(\d{2})(?:\s?:\s?(\d{2}))?\s*(?:([ap])\.?\s?m\.?)?$", time.strip(), re.I)
    if not m:
        return raw
    hh, mm = int(m.group(1)), int(m.group(2))
    ap = (m.group(4) or "").lower()
    if ap:
        if not 1 <= hh <= 12:
            return raw
        hh = hh % 12 + (12 if ap == "p" else 0)
    if hh > 23 or mm > 59:
        return raw
    out = day.replace(hour=hh, minute=mm).strftime("%Y-%m-%dT%H:%M")
    return out + (f":{int(m.group(3)):02d}" if m.group(3) else "")


def timed_header(rules: RoleRules, line: str) -> re.Match | None:
    """A comment header with a time of day (it starts a thread by itself), or None.  A list item
    ("- Air raid alert issued in Kyiv on 6 March 2023 at 04:15") or a line whose author would
    have more than ``header_author_max_words`` words is none.

    >>> r = RoleRules.load()
    >>> timed_header(r, "Ann Lee March 6, 2021 at 10:08 am").group("author")
    'Ann Lee'
    >>> timed_header(r, "- Air raid alert issued in Kyiv on 6 March 2023 at 04:15") is None
    True
    """
    if rules.header is None or len(line) > rules.rule_max_line_chars or _BULLET_RE.match(line):
        return None
    m = rules.header.match(line)
    if m is None or not m.group("time") or word_count(m.group("author")) > rules.header_author_max_words:
        return None
    return m
