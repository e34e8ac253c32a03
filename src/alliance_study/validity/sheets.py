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


def _fail(path, row: int | None, column: str | None, reason: str, fix: str):
    where = str(path) + (f", row {row}" if row is not None else "") + (f", column {column!r}" if column else "")
    raise InputError(f"{where}: {reason}. Fix: {fix}.")


def _integer(path, row, col, v, lo, hi, what):
    s = str(v).strip()
    try:
        x = float(s)
    except ValueError:
        _fail(path, row, col, f"{s!r} is not a number", f"enter {what}, or leave the cell blank if not coded")
    if not lo <= x <= hi:
        _fail(path, row, col, f"{s!r} is out of range", f"enter {what}, or leave the cell blank if not coded")
    if x != int(x):
        _fail(path, row, col, f"{s!r} is not a whole number", f"enter {what}, or leave the cell blank if not coded")
    return float(int(x))


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
        a missing or unknown column, a duplicate or empty ``unit_id``, a value out of range.

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
    missing = [c for c in expected if c not in cols]
    if missing:
        _fail(path, None, missing[0], f"column(s) {missing} missing",
              f"keep every column of the blank sheet ({', '.join(expected)}); fill cells, do not delete columns")
    extra = [c for c in cols if c not in expected and c != NOTES]
    if extra:
        _fail(path, None, extra[0], f"unknown column(s) {extra}",
              f"remove them or write remarks in a column called {NOTES!r}")
    out: dict[str, list] = {"unit_id": [], "article_id": [], "sent_id": [], "row": []}
    codes: dict[str, list] = {c: [] for c in coder_columns(frames)}
    seen: set = set()
    for i, rec in enumerate(raw.to_dict("records"), 1):
        uid = rec["unit_id"].strip()
        if not uid:
            _fail(path, i, "unit_id", "empty unit_id", "copy the unit_id of the blank sheet back into this row")
        if uid in seen:
            _fail(path, i, "unit_id", f"unit {uid!r} appears twice", "keep one row per unit")
        seen.add(uid)
        try:
            sent = int(str(rec["sent_id"]).strip())
        except ValueError:
            _fail(path, i, "sent_id", f"{rec['sent_id']!r} is not an integer", "restore the blank sheet's sent_id")
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
                codes[c].append(_integer(path, i, c, v, *SENTIMENT_RANGE, "a whole number from -4 to 4"))
            else:
                codes[c].append(_integer(path, i, c, v, 0, 1, "0 (no) or 1 (yes)"))
    df = pd.DataFrame({**out, **codes})
    df["coder"] = path.stem
    df.attrs["file"] = str(path)  # named in the errors found when sheets are compared
    return df
