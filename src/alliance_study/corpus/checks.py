"""Checks of one article's study columns, shared by the folder layout and tables.

Both :func:`~alliance_study.corpus.validate.check_corpus` (metadata CSV + files)
and :func:`~alliance_study.corpus.table.iter_table_articles` (one table) run
:func:`row_checks` on every row, so an id, an outlet or a date is judged the same
way whatever the corpus layout.

Example
-------
>>> seen = {}
>>> row_checks({"article_id": "a", "outlet": "Daily", "published": "2020-10-23 14:05:00"}, seen, "line 2")
[]
>>> [r for r, _, _ in row_checks({"article_id": "a", "outlet": "", "published": "2020-02-30"}, seen, "line 3")]
["duplicate article_id 'a' (first used on line 2)", 'blank outlet', "published: impossible date '2020-02-30': February 2020 has 29 days"]
"""
from __future__ import annotations

import calendar
import functools
import re

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
ISO_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?"
                    r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$")
BOOL = {"", "yes", "no", "true", "false", "y", "n", "1", "0"}
DATE_FIX = "write the date as precisely as known: 2020-10-23, 2020-10 or 2020 (a time may follow: 2020-10-23 14:05:00)"


@functools.lru_cache(maxsize=4096)  # a large table repeats the same dates many times
def check_iso_date(value: str) -> str | None:
    """None when ``value`` is an ISO 8601 date as precise as known, else the reason.

    A time may follow the date after ``T`` or a space (news-please writes
    ``2020-10-23 14:05:00``), with optional seconds, fraction and offset.

    >>> check_iso_date("2020-10"), check_iso_date("2016"), check_iso_date("2020-10-23 14:05:00")
    (None, None, None)
    >>> check_iso_date("2020-02-30")
    "impossible date '2020-02-30': February 2020 has 29 days"
    >>> check_iso_date("2020-13")
    "impossible date '2020-13': there is no month 13"
    """
    m = ISO_RE.match(value)
    if not m:
        return (f"date {value!r} is not ISO 8601 (use YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM "
                f"or YYYY-MM-DD HH:MM:SS)")
    year, month, day, hh, mm, ss = m.groups()
    if month is not None and not 1 <= int(month) <= 12:
        return f"impossible date {value!r}: there is no month {int(month)}"
    if day is not None:
        ndays = calendar.monthrange(int(year), int(month))[1]
        if not 1 <= int(day) <= ndays:
            return (f"impossible date {value!r}: {calendar.month_name[int(month)]} {year} "
                    f"has {ndays} days")
    if hh is not None and (int(hh) > 23 or int(mm) > 59 or (ss is not None and int(ss) > 59)):
        return f"impossible time in {value!r}"
    return None


#: the separators a CSV or TSV table may have been saved with
SEPARATORS = (",", ";", "\t", "|")


def other_separator(header: list[str], sep: str) -> str | None:
    """The separator a one-column header holds instead of ``sep`` (the file was saved with it), or None.

    >>> other_separator(["id;text;outlet"], ","), other_separator(["id", "text"], ","), other_separator(["a,b"], ",")
    (';', None, None)
    """
    if len(header) != 1:
        return None
    return next((c for c in SEPARATORS if c != sep and c in header[0]), None)


def row_checks(values: dict, seen_ids: dict[str, str], where: str) -> list[tuple[str, str, str]]:
    """``(reason, fix, severity)`` for the study columns of one row.

    Checks ``article_id`` (blank, unsafe, duplicate), ``outlet`` (blank),
    ``published`` (ISO 8601, possible date) and ``translated`` (yes/no, warning).

    Parameters
    ----------
    values : dict
        Column -> value (``str`` or None) under the study's names.
    seen_ids : dict
        Ids seen so far -> where; a new valid id is added with ``where``.
    where : str
        How to name this row in a later duplicate message (``"line 3"``).

    Returns
    -------
    list of tuple

    Examples
    --------
    >>> row_checks({"article_id": "../x", "outlet": "D"}, {}, "line 2")[0][0][:22]
    "unsafe article_id '../"
    """
    out = []
    aid = values.get("article_id") or ""
    if not aid:
        out.append(("blank article_id", "give every row a unique short id (letters, digits, . _ -)", "error"))
    elif not ID_RE.match(aid) or ".." in aid:
        out.append((f"unsafe article_id {aid[:200]!r}: ids may only use unaccented letters (A-Z, a-z), digits, "
                    f"'.', '_' and '-', and start with a letter or digit (no '/', '\\\\', '..', spaces; at most 128 "
                    f"characters) because they name output files",
                    "rename the id, e.g. to the file stem or a row number", "error"))
    elif aid in seen_ids:
        out.append((f"duplicate article_id {aid!r} (first used on {seen_ids[aid]})",
                    "give every row a unique article_id", "error"))
    else:
        seen_ids[aid] = where
    if not values.get("outlet"):
        out.append(("blank outlet", "name the outlet that published the article", "error"))
    pub = values.get("published") or ""
    if pub:
        why = check_iso_date(pub)
        if why:
            out.append((f"published: {why}", DATE_FIX, "error"))
    tr = values.get("translated") or ""
    if tr.lower() not in BOOL:
        out.append((f"translated {tr!r} is not yes/no", "write yes, no or leave it blank", "warning"))
    return out
