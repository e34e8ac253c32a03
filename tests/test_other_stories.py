"""Other stories than the pilot: the report must read right for a study the developers never saw.

A made-up tram-line story (its own targets and frames, district names with non-ASCII
characters and 50-character names, one to eight groups), and a vaccine roll-out study
with no targets, no actors, no quotes and one outlet.  The figures must keep every
label on the canvas and out of the neighbouring panel; a section with nothing to show
must say so in a sentence.
"""
from __future__ import annotations

import json
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from alliance_study import plots
from alliance_study.compare import compare_groups, keyness, sourcing_by_type
from alliance_study.report.display import table_html

G = "district"
#: eight districts: accents, a Polish and a Danish letter, and two names of 50+ characters
DISTRICTS = ["Nord", "Südstadt", "Île-de-Quai", "Østerbro",
             "Ciudad Jardín — el barrio más largo del mundo entero", "Łódź Fabryczna",
             "The Very Long Northern Industrial Waterfront District", "Centre"]
LONG_FRAME = "cost and budget overruns of the public transport project"
SENTENCES = [
    "The new tram line opened to passengers after three years of construction.",
    "Council members say the tram line could cost more than planned.",
    "The project cost rose from 410 million to 520 million euros, council documents show.",
    "Riders packed the first trams, and cyclists welcomed the new lanes.",
    "Some analysts suggest the line could possibly attract new housing near the stations.",
    "Ticket prices will stay the same for the first year.",
]


@pytest.fixture(scope="module")
def tram(tmp_path_factory):
    """Forty tram-story articles in eight districts, scored with the story's own targets and two frames."""
    from alliance_study.metrics import Scorer, score_sentences

    d = tmp_path_factory.mktemp("tram_lexicons")
    (d / "targets.yaml").write_text("name: targets\nlabel: the tram line\ncategories:\n  tram:\n"
                                    "    cues: ['tram*', 'light rail']\n", encoding="utf-8")
    (d / "frames.yaml").write_text(f"name: frames\ncategories:\n  cost:\n    label: {LONG_FRAME}\n"
                                   "    cues: [cost*, budget*, euros]\n  mobility:\n    cues: [rider*, ticket*]\n",
                                   encoding="utf-8")
    scorer = Scorer(frames=str(d / "frames.yaml"), targets=str(d / "targets.yaml"))
    arts, rows = [], []
    for i in range(40):
        arts.append({"article_id": f"tram-{i:03d}", G: DISTRICTS[i % 8], "outlet": f"Outlet {i % 4}",
                     "year": 2023 + i % 2, "published": f"{2023 + i % 2}-{i % 12 + 1:02d}-{i % 27 + 1:02d}"})
        for k in range(4):
            rows.append({"article_id": f"tram-{i:03d}", "sent_id": k, "role": "body",
                         "text": SENTENCES[(i + k) % len(SENTENCES)]})
    s = score_sentences(pd.DataFrame(rows), scorer)
    a = pd.DataFrame(arts)
    q = pd.DataFrame({"article_id": [f"tram-{i:03d}" for i in range(40)], "speaker": [f"S{i % 5}" for i in range(40)],
                      "speaker_type": [["official", "expert", "citizen", "anonymous", "unknown"][i % 5]
                                       for i in range(40)], "direct": [i % 2 == 0 for i in range(40)]})
    return {"s": s, "a": a, "q": q, "frame_labels": {"cost": LONG_FRAME}}


def _figures(t, group_by):
    res = compare_groups(t["s"], t["a"], group_by=group_by, attributions=t["q"], n_boot=50, n_perm=20)
    fl = t["frame_labels"]
    return {
        "estimates": lambda: plots.plot_estimates(res, frame_labels=fl),
        "frame_heatmap": lambda: plots.plot_frame_heatmap(res, frame_labels=fl),
        "keyness": lambda: plots.plot_keyness(keyness(t["s"], t["a"], group_by=group_by, min_count=1)),
        "sourcing": lambda: plots.plot_sourcing(sourcing_by_type(t["q"], t["a"], group_by=group_by)),
        "target_hedged": lambda: plots.plot_target_hedged(t["s"], t["a"], group_by=group_by),
        "timeline": lambda: plots.plot_timeline(t["a"], group_by=group_by, label_col=None),
        "hedging_vs_sentiment": lambda: plots.plot_hedging_vs_sentiment(t["s"], t["a"], group_by=group_by),
        "sentiment_distribution": lambda: plots.plot_sentiment_distribution(
            t["s"].merge(t["a"][["article_id", group_by]], on="article_id"), group_by=group_by),
    }


def _strings(fig):
    return " ".join(t.get_text() for t in fig.findobj(Text))


def _boxes(fig):
    """Extent in pixels of everything drawn: each axes with its titles, labels, tick labels and legend; figure texts."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    return ([(f"axes {i} ({ax.get_title()!r})", ax.get_tightbbox(r)) for i, ax in enumerate(fig.axes)
             if ax.get_visible()] + [(t.get_text(), t.get_window_extent(r)) for t in fig.texts])


@pytest.mark.parametrize("group_by", [G, "year"])
@pytest.mark.parametrize("name", ["estimates", "frame_heatmap", "keyness", "sourcing", "target_hedged",
                                  "timeline", "hedging_vs_sentiment", "sentiment_distribution"])
def test_labels_stay_on_the_canvas_with_long_non_ascii_and_numeric_groups(tram, name, group_by):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # "Tight layout not applied" was printed into the report
        fig = _figures(tram, group_by)[name]()
        boxes = _boxes(fig)
    W, H = fig.bbox.width, fig.bbox.height
    off = [(s, tuple(round(v) for v in b.extents)) for s, b in boxes
           if b.x0 < -1 or b.y0 < -1 or b.x1 > W + 1 or b.y1 > H + 1]
    assert not off, f"{name}: drawn outside the {W:.0f}x{H:.0f} canvas (cut): {off}"
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    for leg in legends:  # a legend of group names sits beside the data, not over it
        r = FigureCanvasAgg(fig).get_renderer()
        assert not leg.get_window_extent(r).overlaps(leg.axes.get_window_extent(r)), f"{name}: legend over the data"
    assert ("Łódź" if group_by == G else "2023") in _strings(fig)  # the group names themselves are drawn


def test_estimate_panels_do_not_overlap_their_neighbours(tram):
    fig = _figures(tram, G)["estimates"]()
    boxes = [b for s, b in _boxes(fig) if s.startswith("axes")]
    assert len(boxes) >= 9
    clashes = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
               if boxes[i].overlaps(boxes[j]) and
               min(boxes[i].x1, boxes[j].x1) - max(boxes[i].x0, boxes[j].x0) > 2 and
               min(boxes[i].y1, boxes[j].y1) - max(boxes[i].y0, boxes[j].y0) > 2]
    assert not clashes, f"panels (titles, tick labels) overlap: {clashes}"


def test_one_group_keyness_says_there_is_nothing_to_compare(tram):
    a = tram["a"].assign(single="all")
    fig = plots.plot_keyness(keyness(tram["s"], a, group_by="single", min_count=1))
    assert "one group only" in _strings(fig) and not fig.axes[0].axison


def test_an_empty_table_becomes_a_sentence():
    assert table_html(pd.DataFrame({"speaker": []}), empty="No <attributed> statement.") == \
        "<p>No &lt;attributed&gt; statement.</p>"
    assert "Nothing to show" in table_html(pd.DataFrame({"a": []}))
    assert "<table" in table_html(pd.DataFrame({"a": [1.5]}))


def _report_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<svg\b.*?</svg>|data:image/[^\"')]+", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.slow  # one full build: ~17 s on an idle machine, more under load
def test_a_study_with_no_target_no_quotes_and_one_outlet_says_so(tmp_path, monkeypatch):
    """One full build: a vaccine roll-out study, plain sentences, headline-only articles, nothing to attribute."""
    import subprocess
    import sys

    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(tmp_path / "cache"))
    study = tmp_path / "vaccine"
    cli = [sys.executable, "-m", "alliance_study.cli"]
    subprocess.run(cli + ["init", str(study)], check=True, capture_output=True)
    sents = ["The clinic opened at nine.", "Nurses gave the first doses to older residents.",
             "Buses brought people from the outer villages.", "The second round starts in March."]
    rows = [{"id": f"vx-{i:02d}", "source_domain": "Valley Gazette", "date_publish": f"2021-0{i % 9 + 1}-1{i % 9}",
             "title": f"Vaccine roll-out reaches district {i}",
             "maintext": f"Vaccine roll-out reaches district {i}" + ("" if i % 3 == 2 else "\n\n" + " ".join(sents))}
            for i in range(9)]
    (study / "data" / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    y = (study / "study.yaml").read_text(encoding="utf-8")
    y = re.sub(r"\n  (targets|actors): lexicons/\S+[^\n]*", "", y)  # no targets, no actors: the package's empty ones
    y = re.sub(r"n_boot: \d+", "n_boot: 50", y)
    (study / "study.yaml").write_text(y + "  news_sentiment: false\n", encoding="utf-8")
    p = subprocess.run(cli + ["build", "--study", str(study / "study.yaml")], capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    text = _report_text((study / "reports" / "framing_report.html").read_text(encoding="utf-8"))
    assert "grouped by outlet into 1 group(s): Valley Gazette" in text
    assert "One group only." in text                                   # nothing compared, said once
    assert "No attributed statement was found in these articles (9 of them)" in text
    assert "No sentence mentions the target" in text
    assert "No concordance lines" in text
    assert "UserWarning" not in text and "Tight layout" not in text    # no matplotlib warning in the report
    assert not re.search(r"\bnan\b|\bNaN\b", text)
    assert not re.search(r"china|russia|xinhua|tass\b", text, flags=re.I)


def test_characters_the_figure_font_lacks_are_named_once_not_warned_per_glyph(tmp_path):
    """A Japanese outlet name: DejaVu Sans has no CJK glyphs; matplotlib warned once per character and drawing."""
    from alliance_study.plots import missing_glyphs

    assert missing_glyphs(["Südstadt", "Łódź Fabryczna", "Городские вести", "Île-de-Quai"]) == ""
    assert missing_glyphs(["市民新聞", "Nord"]) == "".join(sorted("市民新聞"))
    est = pd.DataFrame({"group": ["市民新聞", "Nord"], "metric": "share_hedged", "estimate": [.2, .4],
                        "ci_low": [.1, .3], "ci_high": [.3, .5], "n_articles": [4, 5], "n_sentences": [40, 50]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        fig = plots.plot_estimates(est)
        plots.save(fig, tmp_path / "est", formats=("png",))  # drawing: no "Glyph ... missing from font" warning
    assert "市民新聞" in _strings(fig)
