"""Agreement between coders, and the machine's validity against them, per measure.

For each measure coded on the sheets:

* **inter-coder reliability** -- Krippendorff's alpha (the ``krippendorff`` package):
  interval level for ``sentiment``, nominal for ``hedged``, the frames and
  ``speaker``; the interval is a percentile bootstrap over units (fixed seed);
* **machine validity** -- ``sentiment_compound`` (VADER) and, when the machine's
  sentences have it, ``sentiment_news`` (the model-based news tone) against the
  coders' mean sentiment (Pearson r: scale-free, so the coders' -4..4 and the
  machine's -1..1 need no rescaling); ``hedged`` and each ``frame_<name>`` (> 0)
  against the coders' majority (F1 of the machine's positive class); ``speaker``
  against the coders' majority name (share of units where the machine's speaker
  matches, ``none`` included; what matches: :mod:`alliance_study.validity.speakers`).

Ties are left out of the machine figures, and counted: a unit whose coders split
evenly (one says 1, the other 0; two different names) has no majority, so it is
not in F1 or ``share_matched``; ``n_value_units`` gives the units each machine
figure is computed on, beside ``n_units`` (units coded by at least one coder).
A unit is also outside the Pearson r when the machine has no value for it
(``sentiment_news`` is NaN for a blank sentence).

Units a coder left blank are missing for that coder, never zero.  A measure no
coder filled is skipped with a warning.

>>> import numpy as np
>>> round(alpha(np.array([[1, 2, 3, 3], [1, 2, 3, 4]], dtype=float), "interval"), 3)
0.889
"""
from __future__ import annotations

import warnings
from typing import Literal, Sequence

import krippendorff
import numpy as np
import pandas as pd

from ..defaults import DEFAULTS
from ..errors import InputError
from ..metrics import registry
from .sheets import FRAME_PREFIX, SheetProblems, as_flag, read_sheet
from .speakers import machine_speakers, normalise_speaker, speaker_match

#: output columns of :func:`agreement`, in order
COLUMNS = ["measure", "n_units", "n_coders", "alpha", "alpha_low", "alpha_high",
           "statistic", "value", "value_low", "value_high", "n_value_units"]
#: the machine's model-based news tone, checked beside VADER when the sentence table has it
NEWS = registry.NEWS_SENTIMENT_COLUMN.name


def alpha(values: np.ndarray, level: Literal["nominal", "interval"]) -> float:
    """Krippendorff's alpha of a coders x units matrix (NaN = not coded); NaN when nothing is pairable."""
    return _alpha_counts(*_value_counts(values), level)


def _value_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    domain = np.unique(values[~np.isnan(values)])
    counts = np.stack([(values == v).sum(axis=0) for v in domain], axis=1) if domain.size else np.zeros((values.shape[1], 0))
    return counts.astype(float), domain


def _alpha_counts(counts: np.ndarray, domain: np.ndarray, level: Literal["nominal", "interval"]) -> float:
    pairable = counts.sum(axis=1) >= 2
    if pairable.sum() < 1 or domain.size < 2:
        return float("nan")
    c = counts[pairable]
    if np.count_nonzero(c.sum(axis=0)) < 2:   # all pairable values identical: alpha undefined
        return float("nan")
    return float(krippendorff.alpha(value_counts=c, value_domain=domain, level_of_measurement=level))


def _interval(stats: np.ndarray, level: float) -> tuple[float, float]:
    ok = stats[~np.isnan(stats)]
    if ok.size < max(10, stats.size // 2):
        return float("nan"), float("nan")
    lo, hi = np.quantile(ok, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if x.size < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float(np.sum(pred & gold))
    denom = float(np.sum(pred) + np.sum(gold))
    return 2 * tp / denom if denom else float("nan")


def _raise_all(found: list[SheetProblems]) -> None:
    """Every sheet's problems in one error (each sheet's list capped at :data:`~.sheets.MAX_SHOWN`)."""
    errors = [str(f.error()) for f in found if f]
    if errors:
        raise InputError("\n".join(errors))


def _read_sheets(sheets: Sequence) -> list[pd.DataFrame]:
    """The sheets as tables; the problems of every sheet read from a file reported together."""
    out, errors = [], []
    for s in sheets:
        if isinstance(s, pd.DataFrame):
            out.append(s)
            continue
        try:
            out.append(read_sheet(s))
        except InputError as exc:
            errors.append(str(exc))
    if errors:
        raise InputError("\n".join(errors))
    return out


def _units(sheets: list[pd.DataFrame], sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per unit (first sheet's order, then new units), checked against each other and the machine.

    Every mismatch of every sheet is reported, each with its row (see :class:`~.sheets.SheetProblems`).
    """
    known = set(zip(sentences["article_id"].astype(str), pd.to_numeric(sentences["sent_id"]).astype(int)))
    where: dict = {}
    unit_of: dict = {}
    found = []
    for sh in sheets:
        coder = str(sh["coder"].iloc[0]) if len(sh) else "?"
        problems = SheetProblems(f"{sh.attrs['file']}, coder {coder}" if "file" in sh.attrs else coder, joiner=": ")
        found.append(problems)
        for uid, a, s, row in zip(sh["unit_id"], sh["article_id"], sh["sent_id"], sh["row"]):
            if (a, s) not in known:
                problems.add(row, "unit_id", f"unit {uid!r} (article {a!r}, sentence {s}) is not a sentence of the "
                             "processed tables", "use the sheet drawn from these tables and do not edit unit_id, "
                             "article_id or sent_id")
                continue
            if uid in where and where[uid] != (a, s):
                problems.add(row, "unit_id", f"unit {uid!r} is article {a!r} sentence {s} here but article "
                             f"{where[uid][0]!r} sentence {where[uid][1]} on another sheet",
                             "every coder must fill a copy of the same sheet")
                continue
            if unit_of.setdefault((a, s), uid) != uid:
                problems.add(row, "unit_id", f"article {a!r} sentence {s} is unit {uid!r} here but unit "
                             f"{unit_of[(a, s)]!r} on another sheet", "every coder must fill a copy of the same "
                             "sheet; restore the blank sheet's unit_id")
                continue
            where.setdefault(uid, (a, s))
    _raise_all(found)
    return pd.DataFrame([(u, a, s) for u, (a, s) in where.items()], columns=["unit_id", "article_id", "sent_id"])


def _matrix(sheets, units, column, coders):
    idx = {u: j for j, u in enumerate(units["unit_id"])}
    out = np.full((len(coders), len(units)), np.nan)
    for i, sh in enumerate(sheets):
        for u, v in zip(sh["unit_id"], sh[column]):
            out[i, idx[u]] = v
    return out


def _machine(sentences: pd.DataFrame, units: pd.DataFrame, column: str) -> np.ndarray:
    m = sentences.assign(article_id=sentences["article_id"].astype(str),
                         sent_id=pd.to_numeric(sentences["sent_id"]).astype(int))
    m = m.drop_duplicates(["article_id", "sent_id"]).set_index(["article_id", "sent_id"])[column]
    return m.reindex(pd.MultiIndex.from_frame(units[["article_id", "sent_id"]])).to_numpy()


def _speaker_codes(sheets, units, coders):
    names = sorted({n for sh in sheets for n in map(normalise_speaker, sh["speaker"]) if n})
    code = {n: float(k) for k, n in enumerate(names)}
    tmp = [sh.assign(_sp=[code.get(normalise_speaker(v) or "", np.nan) for v in sh["speaker"]]) for sh in sheets]
    return _matrix(tmp, units, "_sp", coders), names


def _majority(values: np.ndarray) -> np.ndarray:
    """Per unit, the value coded by more than half of the coders who coded it (NaN: none or tie)."""
    out = np.full(values.shape[1], np.nan)
    for j in range(values.shape[1]):
        col = values[~np.isnan(values[:, j]), j]
        if col.size:
            vals, counts = np.unique(col, return_counts=True)
            k = int(np.argmax(counts))
            if counts[k] * 2 > col.size:
                out[j] = vals[k]
    return out


def agreement(sheets: Sequence, sentences: pd.DataFrame, sources: pd.DataFrame | None = None, *,
              n_boot: int = DEFAULTS["n_boot"], seed: int = DEFAULTS["seed"],
              level: float = DEFAULTS["level"]) -> pd.DataFrame:
    """Inter-coder alpha and machine validity, one row per measure (columns :data:`COLUMNS`).

    Parameters
    ----------
    sheets : sequence of path or DataFrame
        The coders' filled sheets (paths, or tables from :func:`~alliance_study.validity.sheets.read_sheet`).
    sentences : pandas.DataFrame
        The machine's sentence table: ``article_id, sent_id``, ``sentiment_compound``,
        ``hedged`` and ``frame_<name>`` for the frames coded; ``sentiment_news`` if the
        study scored it (then checked too).
    sources : pandas.DataFrame, optional
        The attribution table (``article_id, sent_id, speaker``, and to find the
        mention in the sentence ``cue_sent_id, speaker_text, speaker_start``: see
        :func:`~alliance_study.validity.speakers.machine_speakers`); without it the
        speaker's machine validity is left empty with a warning.
    n_boot, seed, level : int, int, float
        Bootstrap resamples of units, their seed, and the interval's level.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``measure`` (the machine column: ``sentiment_compound``,
        ``sentiment_news`` if the sentences have it, ``hedged``, ``frame_<name>``,
        ``speaker``), ``n_units`` (units coded by at least one coder), ``n_coders``,
        ``alpha`` with ``alpha_low/high`` (the two sentiment rows share the coders'
        alpha), ``statistic`` (``pearson_r``, ``f1`` or ``share_matched``), ``value``
        with ``value_low/high``, and ``n_value_units``: the units ``value`` is computed
        on -- ``n_units`` less the ties (no majority among the coders) and the units
        the machine has no value for.

    Examples
    --------
    >>> import pandas as pd
    >>> sents = pd.DataFrame({"article_id": "a", "sent_id": [0, 1, 2, 3],
    ...                       "sentiment_compound": [0.0, 0.5, -0.6, 0.2], "hedged": [True, False, True, False]})
    >>> def coder(name, hedged):
    ...     return pd.DataFrame({"unit_id": ["u1", "u2", "u3", "u4"], "article_id": "a", "sent_id": [0, 1, 2, 3],
    ...                          "row": [1, 2, 3, 4], "sentiment": [0.0, 2.0, -3.0, 1.0], "hedged": hedged,
    ...                          "speaker": None, "coder": name})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):   # nobody coded the speaker: said in a warning
    ...     t = agreement([coder("ann", [1.0, 0.0, 1.0, 0.0]), coder("bob", [1.0, 0.0, 0.0, 0.0])], sents, n_boot=20)
    >>> row = t.set_index("measure").loc["hedged"]     # u3 is a tie (1 and 0): left out of F1, and counted
    >>> int(row["n_units"]), row["statistic"], float(row["value"]), int(row["n_value_units"])
    (4, 'f1', 1.0, 3)
    """
    sheets = _read_sheets(sheets)
    if not sheets:
        raise InputError("agreement: no coding sheet given. Fix: pass one filled sheet per coder.")
    coders = [str(sh["coder"].iloc[0]) if len(sh) else f"sheet{i}" for i, sh in enumerate(sheets)]
    if len(set(coders)) != len(coders):
        raise InputError(f"agreement: two sheets have the same coder name (file stem) among {coders}. "
                         "Fix: name each coder's file differently.")
    framesets = [sorted(c for c in sh.columns if c.startswith(FRAME_PREFIX)) for sh in sheets]
    for sh, fs in zip(sheets[1:], framesets[1:]):
        if fs != framesets[0]:
            odd, first = sorted(set(fs) ^ set(framesets[0]))[0], sheets[0].attrs.get("file", coders[0])
            raise InputError(f"{sh.attrs.get('file', 'a sheet')}: column {odd!r} is on one coder's sheet and not on "
                             f"the other's ({first}). Fix: every coder must fill a copy of the same sheet; do not "
                             "add or delete frame columns.")
    units = _units(sheets, sentences)
    for sh, coder in zip(sheets, coders):  # a deleted row is a unit this coder did not code: said, not hidden
        absent = len(units) - sh["unit_id"].nunique()
        if absent:
            warnings.warn(f"{sh.attrs.get('file', coder)}: {absent} of the {len(units)} units are not on coder "
                          f"{coder}'s sheet; they count as not coded by {coder}. If rows were deleted by mistake, "
                          f"restore them from the blank sheet", stacklevel=2)
    if len(sheets) == 1:
        warnings.warn("only one coder's sheet: alpha (agreement between coders) needs two or more and is left "
                      "empty; the machine's validity is measured against this coder", stacklevel=2)
    rng = np.random.default_rng(seed)
    boot = rng.integers(0, len(units), size=(n_boot, len(units))) if len(units) else np.zeros((n_boot, 0), int)
    frames = sorted({c for sh in sheets for c in sh.columns if c.startswith(FRAME_PREFIX)})
    plan = [("sentiment_compound", "sentiment", "interval")] + \
        [(NEWS, "sentiment", "interval")] * (NEWS in sentences.columns) + [("hedged", "hedged", "nominal")] + \
        [(f, f, "nominal") for f in frames] + [("speaker", "speaker", "nominal")]
    rows: list[tuple] = []
    alphas: dict[str, tuple[float, float, float]] = {}
    for measure, column, lvl in plan:
        if column == "speaker":
            values, _ = _speaker_codes(sheets, units, coders)
        else:
            values = _matrix(sheets, units, column, coders)
        coded = ~np.isnan(values)
        if not coded.any():
            warnings.warn(f"{measure}: no coder filled the column {column!r}; measure skipped", stacklevel=2)
            continue
        if measure != "speaker" and measure not in sentences.columns:
            raise InputError(f"sentences table: no column {measure!r} for the coded column {column!r}. "
                             "Fix: pass the processed sentence table scored with the same frames as the sheet.")
        if measure == "speaker" and sources is None:
            warnings.warn("speaker: no sources table given; machine validity of speaker skipped", stacklevel=2)
        if column not in alphas:          # the coders' alpha of a column, once (both sentiment rows share it)
            counts, domain = _value_counts(values)
            a_boot = np.array([_alpha_counts(counts[b], domain, lvl) for b in boot])
            alphas[column] = (_alpha_counts(counts, domain, lvl), *_interval(a_boot, level))
        stat, value, v_boot, n_value = _validity(measure, values, units, sentences, sources, sheets, coders, boot)
        rows.append((measure, int(coded.any(axis=0).sum()), int(coded.any(axis=1).sum()), *alphas[column],
                     stat, value, *_interval(v_boot, level), n_value))
    return pd.DataFrame(rows, columns=COLUMNS)


def _validity(measure, values, units, sentences, sources, sheets, coders, boot):
    """(statistic, value, bootstrap values, n_value_units) of the machine against the coders."""
    nan = float("nan")
    if measure in ("sentiment_compound", NEWS):
        coded = ~np.isnan(values).all(axis=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # units no coder rated: mean is NaN, left out
            gold = np.nanmean(values, axis=0)
        mach = pd.to_numeric(pd.Series(_machine(sentences, units, measure)), errors="coerce").to_numpy(float)
        ok = coded & ~np.isnan(mach)
        fn = lambda b: _pearson(mach[b][ok[b]], gold[b][ok[b]])  # noqa: E731
        return "pearson_r", fn(np.arange(len(units))), np.array([fn(b) for b in boot]), int(ok.sum())
    if measure == "speaker":
        if sources is None:
            return "share_matched", nan, np.full(len(boot), nan), 0
        s_vals, names = _speaker_codes(sheets, units, coders)
        maj = _majority(s_vals)
        by = machine_speakers(sources)
        hit = np.array([np.nan if np.isnan(m) else float(speaker_match(names[int(m)], by.get((a, int(s)), set())))
                        for m, a, s in zip(maj, units["article_id"].astype(str), units["sent_id"])])
        fn = lambda b: float(np.nanmean(hit[b])) if (~np.isnan(hit[b])).any() else nan  # noqa: E731
        return "share_matched", fn(np.arange(len(units))), np.array([fn(b) for b in boot]), \
            int((~np.isnan(hit)).sum())
    maj = _majority(values)
    mach = as_flag(_machine(sentences, units, measure))
    ok = ~np.isnan(maj)
    gold = maj == 1
    fn = lambda b: _f1(mach[b][ok[b]], gold[b][ok[b]])  # noqa: E731
    return "f1", fn(np.arange(len(units))), np.array([fn(b) for b in boot]), int(ok.sum())
