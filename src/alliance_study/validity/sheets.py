"""Coding sheets: their columns, and reading a coder's filled copy with a clear error for each mistake.

A coding sheet (written by :func:`alliance_study.validity.coding.coding_sheet`) has
one row per unit (a sentence) and the columns :data:`UNIT_COLUMNS` followed by the
coder's columns: ``sentiment`` (integer -4 to 4), ``hedged`` (0/1), ``speaker``
(free text; ``none`` when nobody is reported speaking) and ``frame_<name>`` (0/1)
for each frame.  A cell the coder left blank is *missing* (not coded), never zero.
A ``notes`` column is allowed and ignored.

>>> coder_columns(["economy"])
['sentiment', 'hedged', 'speaker', 'frame_economy']
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError

#: the columns that identify a unit and show it to the coder
UNIT_COLUMNS = ("unit_id", "article_id", "sent_id", "group", "text")
#: the coder's columns before the frames
CODE_COLUMNS = ("sentiment", "hedged", "speaker")
#: allowed, ignored column for the coder's remarks
NOTES = "notes"
SENTIMENT_RANGE = (-4, 4)
FRAME_PREFIX = "frame_"
NONE_SPEAKER = "none"


def as_flag(values) -> np.ndarray:
    """A machine column as booleans: bools, counts (> 0) or the strings of a CSV round trip ("True", "1").

    >>> as_flag(pd.Series(["True", "False", "2", "0", None])).tolist()
    [True, False, True, False, False]
    """
    s = pd.Series(values)
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        low = s.astype("string").str.strip().str.lower()
        num = pd.to_numeric(low, errors="coerce")
        return (low.isin(["true", "yes"]) | (num.fillna(0) > 0)).fillna(False).to_numpy(dtype=bool)
    return (pd.to_numeric(s, errors="coerce").fillna(0) > 0).to_numpy(dtype=bool)


def coder_columns(frames: Sequence[str]) -> list[str]:
    """The coder's columns: sentiment, hedged, speaker, then ``frame_<name>`` per frame."""
    return list(CODE_COLUMNS) + [f"{FRAME_PREFIX}{f}" for f in frames]


def sheet_columns(frames: Sequence[str]) -> list[str]:
    """All columns of a blank coding sheet, in order."""
    return list(UNIT_COLUMNS) + coder_columns(frames)


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())


#: at most this many problems of one sheet are listed (the count of all is given)
MAX_SHOWN = 25


class SheetProblems:
    """The problems found in one coder's sheet, each with its row and column; raised together.

    >>> found = SheetProblems("ann.csv")
    >>> found.add(2, "sentiment", "'7' is out of range", "enter a whole number from -4 to 4")
    >>> found.add(3, "hedged", "'yes' is not a number", "enter 0 (no) or 1 (yes)")
    >>> print(found.error())
    ann.csv: 2 problems in this coding sheet (row 1 = the first line after the header):
      ann.csv, row 2, column 'sentiment': '7' is out of range. Fix: enter a whole number from -4 to 4.
      ann.csv, row 3, column 'hedged': 'yes' is not a number. Fix: enter 0 (no) or 1 (yes).
    """

    def __init__(self, path, joiner: str = ", "):
        self.path = str(path)
        self.joiner = joiner  # between the sheet's name and the row ("file, coder ann: row 2" when compared)
        self.lines: list[str] = []

    def add(self, row: int | None, column: str | None, reason: str, fix: str) -> None:
        where = ", ".join([f"row {row}"] * (row is not None) + [f"column {column!r}"] * bool(column))
        where = self.path + (self.joiner + where if where else "")
        self.lines.append(f"{where}: {reason}. Fix: {fix}.")

    def __bool__(self) -> bool:
        return bool(self.lines)

    def error(self) -> InputError:
        """One :class:`InputError` listing the problems (the first :data:`MAX_SHOWN`, and how many in all)."""
        n = len(self.lines)
        if n == 1:
            return InputError(self.lines[0])
        shown = self.lines[:MAX_SHOWN]
        more = [f"  ... and {n - len(shown)} more; fix these and run again to see the rest."] if n > len(shown) else []
        head = (f"{self.path}: {n} problems in this coding sheet"
                f"{f' (the first {len(shown)} shown)' if more else ''} (row 1 = the first line after the header):")
        return InputError("\n".join([head] + [f"  {line}" for line in shown] + more))

    def raise_if_any(self) -> None:
        if self.lines:
            raise self.error()


def _fail(path, row: int | None, column: str | None, reason: str, fix: str):
    found = SheetProblems(path)
    found.add(row, column, reason, fix)
    raise found.error()


def _integer(found: SheetProblems, row, col, v, lo, hi, what) -> float:
    """The cell as a whole number in ``[lo, hi]``; NaN (and a problem noted) when it is not."""
    s = str(v).strip()
    fix = f"enter {what}, or leave the cell blank if not coded"
    try:
        x = float(s)
    except ValueError:
        found.add(row, col, f"{s!r} is not a number", fix)
        return float("nan")
    if not lo <= x <= hi:
        found.add(row, col, f"{s!r} is out of range", fix)
    elif x != int(x):
        found.add(row, col, f"{s!r} is not a whole number", fix)
    else:
        return float(int(x))
    return float("nan")


def read_sheet(path, *, frames: Sequence[str] | None = None) -> pd.DataFrame:
    """Read one coder's filled sheet and check it; the coder is the file's stem.

    Parameters
    ----------
    path : path
        CSV written by :func:`~alliance_study.validity.coding.run_sample`, filled by one coder.
    frames : sequence of str, optional
        The frame names expected; default: the sheet's own ``frame_<name>`` columns.

    Returns
    -------
    pandas.DataFrame
        ``unit_id, article_id, sent_id, row`` (1 = first line after the header) and the coder's columns: ``sentiment``,
        ``hedged`` and the frames as floats (NaN = blank), ``speaker`` as a string
        (None = blank), plus ``coder``.  Row order as in the file.

    Raises
    ------
    InputError
        Naming the file, the row (1 = first line after the header) and column, and the fix:
        a missing or unknown column, a duplicate or empty ``unit_id``, a value out of range;
        every problem of the sheet at once (the first :data:`MAX_SHOWN`, with the count of all).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ann.csv"
    >>> _ = p.write_text("unit_id,article_id,sent_id,group,text,sentiment,hedged,speaker,frame_x\\n"
    ...                  "u0001,a,3,G,Some text.,-2,1,none,\\n", encoding="utf-8")
    >>> read_sheet(p)[["unit_id", "sentiment", "hedged", "frame_x", "coder"]].values.tolist()
    [['u0001', -2.0, 1.0, nan, 'ann']]
    """
    path = Path(path)
    if not path.exists():
        _fail(path, None, None, "file not found", "give the path of a coder's filled copy of the coding sheet")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
        _fail(path, None, None, f"not a readable CSV file ({e})", "save the sheet as CSV (UTF-8, comma-separated)")
    cols = [str(c).strip() for c in raw.columns]
    raw.columns = cols
    if raw.empty:
        _fail(path, None, None, "no rows (only a header)",
              "give the coder's filled copy of the sheet, one row per unit")
    if frames is None:
        frames = [c[len(FRAME_PREFIX):] for c in cols if c.startswith(FRAME_PREFIX)]
    expected = sheet_columns(frames)
    found = SheetProblems(path)
    missing = [c for c in expected if c not in cols]
    if missing:
        found.add(None, missing[0], f"column(s) {missing} missing",
                  f"keep every column of the blank sheet ({', '.join(expected)}); fill cells, do not delete columns")
    extra = [c for c in cols if c not in expected and c != NOTES]
    if extra:
        found.add(None, extra[0], f"unknown column(s) {extra}",
                  f"remove them or write remarks in a column called {NOTES!r}")
    found.raise_if_any()  # the cells are read by column name: no use going on
    out: dict[str, list] = {"unit_id": [], "article_id": [], "sent_id": [], "row": []}
    codes: dict[str, list] = {c: [] for c in coder_columns(frames)}
    seen: set = set()
    for i, rec in enumerate(raw.to_dict("records"), 1):
        uid = rec["unit_id"].strip()
        if not uid:
            found.add(i, "unit_id", "empty unit_id", "copy the unit_id of the blank sheet back into this row")
        elif uid in seen:
            found.add(i, "unit_id", f"unit {uid!r} appears twice", "keep one row per unit")
        seen.add(uid)
        try:
            sent = int(str(rec["sent_id"]).strip())
        except ValueError:
            found.add(i, "sent_id", f"{rec['sent_id']!r} is not an integer", "restore the blank sheet's sent_id")
            sent = -1
        out["unit_id"].append(uid)
        out["article_id"].append(rec["article_id"].strip())
        out["sent_id"].append(sent)
        out["row"].append(i)
        for c in codes:
            v = rec[c]
            if _blank(v):
                codes[c].append(None if c == "speaker" else np.nan)
            elif c == "speaker":
                codes[c].append(" ".join(v.split()))
            elif c == "sentiment":
                codes[c].append(_integer(found, i, c, v, *SENTIMENT_RANGE, "a whole number from -4 to 4"))
            else:
                codes[c].append(_integer(found, i, c, v, 0, 1, "0 (no) or 1 (yes)"))
    found.raise_if_any()  # every problem of the sheet, each with its row and column
    df = pd.DataFrame({**out, **codes})
    df["coder"] = path.stem
    df.attrs["file"] = str(path)  # named in the errors found when sheets are compared
    return df
