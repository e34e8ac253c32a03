"""The one figure style of the package: palette, rcParams, deterministic saving (private)."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import io as _io
import pickle
import warnings
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, TypeVar, cast

import matplotlib as mpl
import pandas as pd
from cycler import cycler
from matplotlib.figure import Figure

from ..io import write_bytes_atomic
from ..text import natural_sorted


#: Okabe & Ito (2008) palette, in the order groups get their colours (yellow late: low contrast on white)
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442", "#000000"]
SVG_SALT = "alliance-study"
DPI = 150

STYLE = {
    "axes.prop_cycle": cycler(color=OKABE_ITO),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "font.family": "DejaVu Sans",   # ships with matplotlib: same glyphs everywhere
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": None,           # fixed canvas size: stable bytes
    "svg.fonttype": "path",
    "svg.hashsalt": SVG_SALT,
    "image.cmap": "cividis",
    "path.simplify": False,
    "text.parse_math": False,       # "$" in an outlet's name is a dollar sign, not TeX math
}


#: matplotlib's warning for a character the font has no glyph for (one per character and drawing);
#: silenced while drawing, and said once by the report instead (:func:`missing_glyphs`)
_GLYPH_WARNING = r"Glyph \d+ .*missing from font"


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context manager: the project's matplotlib style (rcParams restored afterwards).

    >>> with style():
    ...     import matplotlib as mpl; mpl.rcParams["svg.hashsalt"]
    'alliance-study'
    """
    with mpl.rc_context(cast(Any, STYLE)), quiet_glyphs():
        yield


@contextlib.contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Context manager: no "Glyph ... missing from font" warning while drawing (the report names them once).

    >>> import warnings
    >>> with quiet_glyphs():
    ...     warnings.warn("Glyph 24066 (X) missing from font(s) DejaVu Sans.", UserWarning)
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_GLYPH_WARNING, category=UserWarning)
        yield


def missing_glyphs(texts: Sequence[object]) -> str:
    """The characters of ``texts`` that the figures' font (DejaVu Sans) cannot draw, sorted, without repeats.

    The font is fixed so that figures are the same bytes on every machine; it has no
    Chinese, Japanese or Korean characters, among others: such characters in group
    names are drawn as empty boxes, and the report says so (tables show them).

    >>> missing_glyphs(["Südstadt", "Łódź", "Городские вести"])
    ''
    >>> missing_glyphs(["市民新聞", "Nord"])
    '市新民聞'
    """
    from matplotlib.font_manager import FontProperties, findfont, get_font

    charmap = get_font(findfont(FontProperties(family=str(STYLE["font.family"])))).get_charmap()
    return "".join(sorted({c for t in texts for c in str(t) if not c.isspace() and ord(c) not in charmap}))


def group_colors(groups: Sequence) -> dict:
    """Colour per group: group names in :func:`~alliance_study.text.natural_sorted` order get the Okabe-Ito colours in order (cycled).

    >>> group_colors(["b", "a"])
    {'a': '#E69F00', 'b': '#56B4E9'}
    """
    return {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(natural_sorted(map(str, groups)))}


def save(fig: Figure, path_stem: str | Path, formats: Sequence[str] = ("png", "svg"), dpi: int = DPI) -> list[Path]:
    """Write ``fig`` as ``<path_stem>.png`` and ``<path_stem>.svg`` (atomically) and return the paths.

    Output is byte-stable: no creation date, a fixed SVG hash salt, fixed dpi and size.
    """
    stem = Path(path_stem)
    out = []
    for fmt in formats:
        meta = {"png": {"Software": "alliance-study"}, "svg": {"Date": None, "Creator": "alliance-study"},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": "alliance-study", "Producer": None}}.get(fmt)
        buf = _io.BytesIO()
        with mpl.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "path"}), quiet_glyphs():
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
        path = stem.with_name(f"{stem.name}.{fmt}")
        write_bytes_atomic(path, buf.getvalue())
        out.append(path)
    return out


def wrap(text: object, width: int = 24, *, tail: str = "") -> str:
    r"""``text`` broken into lines of at most ``width`` characters (long words split), for labels and titles.

    Group names, frame labels and titles come from the study: a 50-character district name
    must not run into the next panel or off the canvas.  ``tail`` (a count such as
    ``"(n=24)"``) is never broken: it follows the last line when that line stays within
    ``width + 8`` characters, else it takes a line of its own.

    >>> wrap("The Very Long Northern Industrial Waterfront District", 24)
    'The Very Long Northern\nIndustrial Waterfront\nDistrict'
    >>> wrap(2024)
    '2024'
    >>> wrap("United States", tail="(n=24 sent.)")
    'United States (n=24 sent.)'
    >>> wrap("The Very Long Northern Industrial Waterfront", tail="(n=1,234 sent.)")
    'The Very Long Northern\nIndustrial Waterfront\n(n=1,234 sent.)'
    """
    import textwrap

    lines = textwrap.wrap(str(text), width, break_on_hyphens=False) or [str(text)]
    if tail:
        if len(lines[-1]) + 1 + len(tail) <= width + 8:
            lines[-1] = f"{lines[-1]} {tail}"
        else:
            lines.append(tail)
    return "\n".join(lines)


#: DejaVu Sans averages about 0.6 em per character: the one estimate of text width in the figures
EM_PER_CHAR = 0.6


def chars_per_inch(fontsize: float) -> float:
    """Characters of ``fontsize``-point text that fit in one inch (:data:`EM_PER_CHAR`).

    >>> round(chars_per_inch(10), 1), round(chars_per_inch(7), 1)
    (12.0, 17.1)
    """
    return 72 / (EM_PER_CHAR * fontsize)


def text_inches(labels: Sequence[str], fontsize: float = 8) -> float:
    r"""Width in inches that the longest line of ``labels`` needs (:func:`chars_per_inch`).

    >>> round(text_inches(["ab", "a\nabcd"], 10), 2)
    0.33
    """
    longest = max((len(line) for lab in labels for line in str(lab).split("\n")), default=0)
    return longest / chars_per_inch(fontsize)


def text_lines(labels: Sequence[str]) -> int:
    r"""Lines that ``labels`` take together (a wrapped label counts each of its lines), for figure heights.

    >>> text_lines(["ab", "a\nabcd"])
    3
    """
    return sum(str(lab).count("\n") + 1 for lab in labels)


def per_group(table: pd.DataFrame, column: str) -> pd.Series:
    """``column``'s value for each group of a results table (one value per group), indexed by the group as text.

    >>> per_group(pd.DataFrame({"group": [1, 1, 2], "n": [5, 5, 7]}), "n").to_dict()
    {'1': 5, '2': 7}
    """
    first = table.drop_duplicates("group")
    return first.set_index(first["group"].astype(str))[column]


def _n_text(fig: Figure, text: str) -> None:
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7, color="#444444")


def _empty(fig: Figure, msg: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, msg, ha="center", va="center", fontsize=10)
    return fig


# --------------------------------------------------------------------------- figures


_F = TypeVar("_F", bound=Callable[..., Figure])
#: the attribute a figure made by a plot function carries: a digest of that function and its inputs
INPUTS_ATTR = "alliance_study_inputs"


def rc_items() -> list[tuple[str, str]]:
    """matplotlib's current settings as sorted ``(name, repr)`` pairs (the backend left out: it draws nothing here).

    >>> dict(rc_items())["svg.hashsalt"] != dict(rc_items()).get("backend", "absent")
    True
    """
    return sorted((k, repr(v)) for k, v in dict.items(mpl.rcParams) if not k.startswith("backend"))


def inputs_digest(fn: Callable[..., Any], args: tuple, kwargs: dict) -> str | None:
    """SHA-256 of ``fn``'s name, its arguments (pickled: every value and dtype) and matplotlib's settings.

    None when an argument cannot be pickled.  The arguments are streamed into the hash,
    never held as one copy in memory.
    """
    h = hashlib.sha256()

    class _Sink:
        write = h.update

    try:
        pickle.Pickler(_Sink(), protocol=5).dump((fn.__module__, fn.__qualname__, args, sorted(kwargs.items()),
                                                 rc_items()))
    except Exception:  # noqa: BLE001 - an argument that does not pickle: the figure is simply not fingerprinted
        return None
    return h.hexdigest()


def fingerprinted(fn: _F) -> _F:
    """Decorator of the plot functions: the returned figure carries :func:`inputs_digest` as ``INPUTS_ATTR``.

    The figure is also marked up to date (``stale = False``): any change made to it
    afterwards through matplotlib marks it stale again, so a reader of the fingerprint
    (:func:`alliance_study.report.show_figure`, which reuses the drawn files of a figure
    it has drawn before) can tell a figure exactly as the function made it.
    """
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        fig = fn(*args, **kwargs)
        digest = inputs_digest(fn, args, kwargs)
        if digest is not None:
            setattr(fig, INPUTS_ATTR, digest)
            fig.stale = False
        return fig

    return cast(_F, wrapper)


def fingerprint(fig: Figure) -> str | None:
    """The inputs digest of a figure as its plot function made it; None when it has none or was changed since.

    >>> from matplotlib.figure import Figure
    >>> f = fingerprinted(lambda n: Figure(figsize=(n, 1)))(2)
    >>> len(fingerprint(f))
    64
    >>> _ = f.add_subplot().set_title("changed")
    >>> fingerprint(f) is None
    True
    """
    digest = getattr(fig, INPUTS_ATTR, None)
    return None if digest is None or fig.stale else digest
