"""Figures in a notebook: :func:`show_figure` writes a figure's PNG and SVG and displays the PNG.

A figure of :mod:`alliance_study.plots` left as its plot function made it carries a
digest of that function's inputs (:func:`alliance_study.plots.fingerprint`).  Drawn
once, its files are kept in the cache (:func:`~alliance_study.report.cache.store_files`)
under that digest, matplotlib's settings, the package's code and the drawing packages'
versions; a later build that makes the same figure writes those files, the same bytes,
instead of drawing them again (drawing is most of a notebook's time on a small corpus).
Any other figure, or one changed after its plot function, is drawn.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["show_figure"]


#: what a drawn figure's bytes depend on besides the figure: these packages' versions (and Python's, FreeType's)
_DRAWING_PACKAGES = ("matplotlib", "numpy", "pandas", "pyarrow", "pillow", "contourpy", "kiwisolver", "fonttools")


def _drawn_key(fig: Figure, formats: tuple[str, ...]) -> str | None:
    """The cache key of ``fig``'s drawn files, when it is a package figure exactly as its plot function made it.

    The key hashes the plot function and its inputs (:func:`alliance_study.plots.fingerprint`),
    matplotlib's settings now, the package's code, the drawing packages' versions and the formats.
    """
    from ..plots import fingerprint, rc_items
    from .partitions import _hash, code_hash
    from .provenance import package_versions

    inputs = fingerprint(fig)
    if inputs is None:
        return None
    import matplotlib.ft2font

    return _hash(inputs, rc_items(), code_hash(), package_versions(_DRAWING_PACKAGES),
                 getattr(matplotlib.ft2font, "__freetype_version__", None), list(formats))


def _drawn(fig: Figure, stem: str, target: Path, formats: tuple[str, ...]) -> bytes:
    """Write ``target/stem.<format>`` for ``formats`` (PNG first); return the PNG's bytes.

    A package figure drawn before from the same inputs, code and versions
    (:func:`_drawn_key`) is not drawn again: its files are the ones kept in the cache
    (:func:`~alliance_study.report.cache.cached_files`), byte for byte what drawing gives.
    """
    from ..io import write_bytes_atomic
    from ..plots import save
    from .cache import cached_files, store_files

    key = _drawn_key(fig, formats)
    files = cached_files(key) if key else None
    names = [f"{stem}.{fmt}" for fmt in formats]
    if files is not None and sorted(files) == sorted(names):
        for name in names:
            write_bytes_atomic(target / name, files[name])
    else:
        files = {p.name: p.read_bytes() for p in save(fig, target / stem, formats=formats)}
        if key:
            store_files(key, files)
    return files[f"{stem}.png"]


def show_figure(fig: Figure, stem: str, figures_dir: str | os.PathLike[str] | None = None) -> None:
    """Save ``fig`` as ``figures_dir/stem.png|svg`` (byte-stable, :func:`alliance_study.plots.save`) and
    display that same PNG inline (embedded as base64 in the report).  ``figures_dir`` empty: display only
    (only the PNG is drawn).

    A figure of :mod:`alliance_study.plots` left as its function made it, and drawn
    before from the same inputs (same tables, code, settings and versions), is not
    drawn again: its files come from the cache, the same bytes.
    """
    from IPython.display import Image, display

    if figures_dir:
        target = Path(figures_dir)
        target.mkdir(parents=True, exist_ok=True)
        png = _drawn(fig, stem, target, ("png", "svg"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            png = _drawn(fig, stem, Path(tmp), ("png",))
    display(Image(data=png, format="png", width=int(round(fig.get_figwidth() * 96))))
    with contextlib.suppress(Exception):
        import matplotlib.pyplot as plt

        plt.close(fig)
