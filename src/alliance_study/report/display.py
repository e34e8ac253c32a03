"""The small helpers the notebooks use to show tables, notes and example sentences (figures: :mod:`.figures`).

Everything shown is HTML-escaped: article text can never become markup in the report.
:func:`examples_html` and :func:`cue_counts` compute; the ``show_*`` functions display
(in a notebook, through IPython).

>>> import pandas as pd
>>> s = pd.DataFrame({"article_id": ["a", "a", "b"], "sent_id": [0, 1, 0], "g": ["x", "x", "y"],
...                   "hedge_cues": ["may;perhaps", "may", ""]})
>>> cue_counts(s, "hedge_cues", "g").to_dict("records")
[{'g': 'x', 'cue': 'may', 'count': 2}, {'g': 'x', 'cue': 'perhaps', 'count': 1}]
"""
from __future__ import annotations

import html
import sys
from typing import TYPE_CHECKING, Any, Callable, Mapping

import pandas as pd

from ..text import group_order, natural_sorted

if TYPE_CHECKING:
    from ..metrics import Scorer

__all__ = ["show_table", "table_html", "format_p", "is_p_column", "show_note", "show_html", "show_examples", "examples_html", "top_sentences",
           "cue_counts", "top_cues", "short_errors", "corpus_caveats", "FEW_ARTICLES"]


def _short_error(shell, etype, value, tb, tb_offset=None) -> list[str]:
    """IPython custom exception handler: the package's error as its message (it names the file,
    the reason and the fix), not a traceback through library code."""
    stb = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def short_errors(on: bool = True, shell: Any = None) -> bool:
    """In a notebook, show the package's own errors (:class:`~alliance_study.errors.AllianceStudyError`)
    as their message alone; any other exception keeps its traceback (it is a bug).

    Importing :mod:`alliance_study.report` turns this on in an IPython kernel; ``short_errors(False)``
    turns it off (for a full traceback while debugging).  Returns whether a shell was found.
    A build still fails on such an error and prints it (papermill keeps the name and message).

    >>> short_errors(shell=None)   # not in IPython: nothing to do
    False
    """
    from ..errors import AllianceStudyError

    if shell is None:  # a kernel has IPython loaded already: elsewhere it is not imported for this (46 ms)
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    shell.set_custom_exc((AllianceStudyError,) if on else (), _short_error if on else None)
    return True


def _display_html(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def show_html(markup: str) -> None:
    """Display ready-made HTML (callers escape what they put in it)."""
    _display_html(markup)


def format_p(p: Any) -> str:
    """A p-value as a table prints it: three decimals, ``<0.001`` below that, blank when missing.

    A permutation p-value is never 0 (its smallest value is ``1 / (1 + permutations)``), so
    "0.000" would misstate it.

    >>> format_p(0.0004995), format_p(0.0123), format_p(float("nan")), format_p(None)
    ('<0.001', '0.012', '', '')
    """
    try:
        x = float(p)
    except (TypeError, ValueError):
        return ""
    if x != x:  # NaN
        return ""
    return "<0.001" if x < 0.001 else f"{x:.3f}"


def is_p_column(name: Any) -> bool:
    """Whether a column holds p-values, by name: ``p``, ``p_value``, ``p_...``, ``..._p`` or ``..._p_value``.

    >>> [is_p_column(c) for c in ("p_value", "p_holm", "pair_p", "n_perm", "group")]
    [True, True, True, False, False]
    """
    return isinstance(name, str) and (name == "p" or name.startswith("p_") or name.endswith("_p")
                                      or name.endswith("_p_value"))


def table_html(df: pd.DataFrame, max_rows: int | None = 30, index: bool = False,
               float_format: Callable[[float], str] | str | None = "{:.3f}".format, empty: str = "",
               source: str = "") -> str:
    """A DataFrame as HTML, cells escaped; a table with no rows becomes the sentence ``empty``.

    A table of headers only tells the reader nothing, so when ``df`` has no rows the
    result is ``empty`` (escaped) as a paragraph, or a generic sentence when none is given.
    A table longer than ``max_rows`` shows its first ``max_rows`` rows and says so, naming
    ``source`` (where all rows are) when given.  p-value columns (:func:`is_p_column`) are
    printed by :func:`format_p` (``<0.001``, never ``0.000``) when a ``float_format`` is used.

    >>> table_html(pd.DataFrame({"a": []}), empty="No <quotes> found.")
    '<p>No &lt;quotes&gt; found.</p>'
    >>> "as-table" in table_html(pd.DataFrame({"a": [1]}))
    True
    >>> h = table_html(pd.DataFrame({"p_value": [0.0002, 0.5, 0.04]}), max_rows=2, source="t.csv")
    >>> "&lt;0.001" in h, "0.000" in h, h.endswith("<p>Showing the first 2 of 3 rows; all rows in t.csv.</p>")
    (True, False, True)
    """
    if df.empty:
        return "<p>" + html.escape(empty or "Nothing to show: this table has no rows for this study.") + "</p>"
    cut = max_rows is not None and len(df) > max_rows
    shown = df.head(max_rows) if cut else df
    formatters = ({c: format_p for c in shown.columns if is_p_column(c) and shown[c].dtype.kind == "f"}
                  if float_format is not None else None)
    out = shown.to_html(escape=True, index=index, float_format=float_format, formatters=formatters or None,
                        border=0, classes="as-table", na_rep="")
    if cut:
        out += "<p>" + html.escape(f"Showing the first {max_rows:,} of {len(df):,} rows"
                                   + (f"; all rows in {source}" if source else "") + ".") + "</p>"
    return out


def show_table(df: pd.DataFrame, max_rows: int | None = 30, index: bool = False,
               float_format: Callable[[float], str] | str | None = "{:.3f}".format, empty: str = "",
               source: str = "") -> None:
    """Display :func:`table_html`: cells escaped (article text can never become markup); ``empty`` when no rows;
    a note of the rows left out (all of them in ``source``) when longer than ``max_rows``."""
    _display_html(table_html(df, max_rows, index, float_format, empty, source))


def show_note(text: str, **values: Any) -> None:
    """Display a paragraph of computed prose; ``values`` are HTML-escaped into ``text.format``."""
    _display_html("<p>" + text.format(**{k: html.escape(str(v)) for k, v in values.items()}) + "</p>")


def top_sentences(sentences: pd.DataFrame, column: str, n: int = 8, ascending: bool = False) -> pd.DataFrame:
    """The ``n`` sentences with the highest (or lowest) ``column``; ties by article and sentence id.

    >>> s = pd.DataFrame({"article_id": ["a", "b", "c"], "sent_id": [0, 0, 0], "x": [1, 3, 3]})
    >>> top_sentences(s, "x", n=2)["article_id"].tolist()
    ['b', 'c']
    """
    return sentences.sort_values([column, "article_id", "sent_id"], ascending=[ascending, True, True],
                                 kind="mergesort").head(n)


def examples_html(sentences: pd.DataFrame, column: str, group_by: str, n: int = 8, ascending: bool = False,
                  title: str = "", scorer: Scorer | None = None) -> str:
    """An HTML table of the :func:`top_sentences` by ``column``, cues highlighted, text escaped.

    ``scorer`` (a :class:`~alliance_study.metrics.Scorer`) gives the study's lexicons
    for the highlighting; default: the package's.  For a count of cues (a column named
    ``*_count``) the highest are only sentences with at least one: when none has any,
    a sentence says so instead of listing sentences without a cue.

    >>> s = pd.DataFrame({"article_id": ["a"], "sent_id": [0], "g": ["<x>"], "hedge_count": [1],
    ...                   "booster_count": [0], "text": ["It may <b>rain</b>."]})
    >>> h = examples_html(s, "hedge_count", "g", title="Hedged")
    >>> "&lt;x&gt;" in h and "&lt;b&gt;rain" in h and "<b>rain" not in h
    True
    >>> examples_html(s, "booster_count", "g", title="Boosted")
    '<h4>Boosted</h4><p>No sentence has a booster_count above 0.</p>'
    """
    from ..metrics import highlight

    if column.endswith("_count") and not ascending:
        sentences = sentences[sentences[column] > 0]
        if sentences.empty:
            return f"<h4>{html.escape(title)}</h4><p>No sentence has a {html.escape(column)} above 0.</p>"
    pick = top_sentences(sentences, column, n, ascending)
    rows = "".join(
        f"<tr><td>{html.escape(str(r['article_id']))}</td><td>{html.escape(str(r[group_by]))}</td>"
        f"<td>{html.escape(f'{r[column]:.3g}')}</td><td>{highlight(r['text'], scorer)}</td></tr>"
        for r in pick.to_dict("records"))
    return (f"<h4>{html.escape(title)}</h4><table class='as-table'><tr><th>article</th><th>group</th>"
            f"<th>{html.escape(column)}</th><th>sentence</th></tr>{rows}</table>")


def show_examples(sentences: pd.DataFrame, column: str, group_by: str, n: int = 8, ascending: bool = False,
                  title: str = "", scorer: Scorer | None = None) -> None:
    """Display :func:`examples_html`."""
    _display_html(examples_html(sentences, column, group_by, n, ascending, title, scorer))


def measure_summary(group_comparison: pd.DataFrame, frame_labels: Mapping[str, str] | None = None,
                    quotes: bool = False) -> pd.DataFrame:
    """The group estimates as one row per group and one column per measure, labelled from the registry.

    >>> gc = pd.DataFrame({"group": ["a", "b"], "metric": ["share_hedged"] * 2, "estimate": [0.1, 0.2]})
    >>> measure_summary(gc).columns.tolist()
    ['Hedged sentences']
    """
    from ..metrics import registry

    metrics = [m for m in dict.fromkeys(group_comparison["metric"])
               if quotes or not m.startswith(registry.SPEECH_SHARE_PREFIX)]
    wide = group_comparison.pivot(index="group", columns="metric", values="estimate")[metrics]
    wide.columns = [registry.label(m, frame_labels)[0] for m in metrics]
    wide.columns.name = None
    return wide


def cue_counts(sentences: pd.DataFrame, column: str, group_by: str, top: int | None = 8) -> pd.DataFrame:
    """How often each cue of a ``;``-joined cue column occurs, per group: the ``top`` cues of each group.

    Rows are sorted by group, then count (descending), then cue, so ties never depend on order.
    ``top=None`` keeps every cue (counts that can be summed over partitions).
    """
    s = sentences[[group_by, column]].assign(cue=sentences[column].fillna("").astype(str).str.split(";")).explode("cue")
    s = s[s["cue"].astype(bool)]
    counts = s.groupby([group_by, "cue"]).size().rename("count").reset_index()
    counts = counts.sort_values([group_by, "count", "cue"], ascending=[True, False, True],
                                key=group_order(counts, group_by))
    return (counts if top is None else counts.groupby(group_by).head(top)).reset_index(drop=True)


def top_cues(counts: pd.DataFrame, column: str, top: int = 8) -> pd.DataFrame:
    """The ``top`` cues of each group from a processed ``cue_counts`` table (``group, column, cue, count``).

    >>> c = pd.DataFrame({"group": ["x", "x", "y"], "column": ["hedge_cues"] * 3, "cue": ["may", "perhaps", "may"],
    ...                   "count": [1, 3, 2]})
    >>> top_cues(c, "hedge_cues", top=1).to_dict("records")
    [{'group': 'x', 'cue': 'perhaps', 'count': 3}, {'group': 'y', 'cue': 'may', 'count': 2}]
    """
    c = counts[counts["column"] == column]
    c = c.sort_values(["group", "count", "cue"], ascending=[True, False, True], key=group_order(c))
    return c.groupby("group").head(top)[["group", "cue", "count"]].reset_index(drop=True)

#: below this many articles in a group, the report warns that one article can move the group's estimates
FEW_ARTICLES = 10
_TRANSLATED = {"yes", "true", "y", "1"}  # the yes values the corpus checks accept for ``translated``


def corpus_caveats(articles: pd.DataFrame, group_by: str, few: int = FEW_ARTICLES) -> str:
    """What the corpus's size and translations allow, in sentences computed from ``articles`` (HTML).

    States the smallest and largest group by ``group_by`` (articles with a value; up to three
    group names each), and warns that the intervals are wide and one article can move an
    estimate only when a group has fewer than ``few`` articles.  When the articles have a
    ``translated`` column (yes/no), says how many were read in translation; without the
    column, says nothing about translation.

    >>> a = pd.DataFrame({"article_id": list("abcd"), "g": ["x", "x", "y", None],
    ...                   "translated": ["yes", "no", "", "no"]})
    >>> print(corpus_caveats(a, "g"))  # doctest: +NORMALIZE_WHITESPACE
    Groups by <code>g</code> have 1 (y) to 2 (x) articles; with fewer than 10 articles in a group the
    intervals are wide and a single article can move its estimates. 1 of 4 articles was read in
    translation (column <code>translated</code>): its words are partly the translator's choice, not the outlet's.
    >>> big = pd.DataFrame({"article_id": range(120), "g": ["x", "y"] * 60})
    >>> print(corpus_caveats(big, "g"))  # doctest: +NORMALIZE_WHITESPACE
    The 2 groups by <code>g</code> have 60 articles each; the intervals show how much an estimate could
    vary with other articles of the same kind, not whether the measures are right (part 4).
    """
    from ..compare import group_labels

    grouped = articles.dropna(subset=[group_by])
    sizes = grouped.groupby(group_labels(grouped[group_by]))["article_id"].nunique()
    out = []
    if len(sizes):
        lo, hi = int(sizes.min()), int(sizes.max())

        def named(n: int) -> str:
            names = natural_sorted(map(str, sizes.index[sizes == n]))
            return ", ".join(html.escape(g) for g in names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")

        k, by = len(sizes), f"by <code>{html.escape(group_by)}</code>"
        span = (f"The {k} group{'s' * (k != 1)} {by} {'have' if k != 1 else 'has'} {lo} article{'s' * (lo != 1)}"
                f"{' each' if k != 1 else ''}" if lo == hi
                else f"Groups {by} have {lo} ({named(lo)}) to {hi} ({named(hi)}) articles")
        out.append(f"{span}; " + (
            f"with fewer than {few} articles in a group the intervals are wide and a single article can move "
            f"its estimates." if lo < few else
            "the intervals show how much an estimate could vary with other articles of the same kind, not "
            "whether the measures are right (part 4)."))
    else:
        out.append(f"No article has a value of <code>{html.escape(group_by)}</code>: there are no groups to compare.")
    if "translated" in articles:
        n = int(articles["translated"].fillna("").astype(str).str.strip().str.lower().isin(_TRANSLATED).sum())
        total = len(articles)
        if n:
            one = n == 1
            out.append(f"{n} of {total} article{'s' * (total != 1)} {'was' if one else 'were'} read in translation "
                       f"(column <code>translated</code>): {'its' if one else 'their'} words are partly the "
                       "translator's choice, not the outlet's.")
        else:
            out.append("No article is marked as read in translation (column <code>translated</code>).")
    return " ".join(out)
