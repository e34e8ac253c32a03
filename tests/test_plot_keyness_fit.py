"""The keyness figure fits its text: long group names and long terms stay on the canvas and out of
the next panel (a tester's report cut "United Kingdom: over-used terms" at the image edge).

Checked on what is drawn: every panel's tight box (bars, tick labels, axis labels, title) lies within
the figure, and no two panels' boxes overlap.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from alliance_study import plots
from alliance_study.compare import keyness
from alliance_study.corpus import load_corpus


def misfits(fig) -> tuple[list[str], list[tuple[str, str]]]:
    """(titles of panels reaching past the canvas, pairs of panels that overlap)."""
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    panels = [(ax.get_title(), ax.get_tightbbox(r)) for ax in fig.axes if ax.axison]
    out = [t for t, b in panels if b.x0 < -0.5 or b.y0 < -0.5 or b.x1 > width + 0.5 or b.y1 > height + 0.5]
    out += [t.get_text() for t in fig.texts if t.get_window_extent(r).x1 > width + 0.5]
    over = [(a, c) for i, (a, b) in enumerate(panels) for c, d in panels[i + 1:] if b.overlaps(d)]
    return out, over


@pytest.fixture(scope="module")
def seed_keyness(raw_dir) -> pd.DataFrame:
    c = load_corpus(raw_dir)
    return keyness(c.sentences, c.articles, group_by="outlet", min_count=1)


def test_seed_outlets_fit(seed_keyness):
    """The seed's outlet names run to 35 characters ("Unnamed Chinese-language web outlet")."""
    assert seed_keyness.group.astype(str).str.len().max() > 30
    fig = plots.plot_keyness(seed_keyness)
    assert misfits(fig) == ([], [])
    titles = " ".join(ax.get_title().replace("\n", " ") for ax in fig.axes if ax.axison)
    for g in seed_keyness.group.unique():  # every name whole (wrapped, not cut)
        assert f"{g}: over-used terms" in titles


@pytest.mark.parametrize("ncols", [2, 3])
def test_long_group_names_and_long_terms_fit(seed_keyness, ncols, tmp_path):
    names = {g: f"{g} and the Associated Regional Weekly Newspapers of the North" for g in seed_keyness.group.unique()}
    k = seed_keyness.assign(group=seed_keyness.group.map(names))
    first = k.sort_values("log_odds_z", ascending=False).index[0]
    k.loc[first, "term"] = "counter-proliferation-arrangements-of-the-treaty-organisation"
    fig = plots.plot_keyness(k, ncols=ncols)
    assert misfits(fig) == ([], [])
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert any(lab.replace("\n", "").startswith(k.loc[first, "term"]) for lab in labels)
    # still byte-identical from run to run
    a = plots.save(fig, tmp_path / "a" / "k")
    b = plots.save(plots.plot_keyness(k, ncols=ncols), tmp_path / "b" / "k")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
