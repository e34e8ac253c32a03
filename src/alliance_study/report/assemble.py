"""Join executed notebooks into one HTML report: front matter, table of contents, appendix.

Code cells are hidden, the ``parameters`` cells left out; the appendix lists the git
commit, the parameters, the package versions and the SHA-256 of every input file,
so the report says exactly how to rebuild it.

>>> markdown_headings("# Title\\n```\\n# not a heading\\n```\\n## Part *one*")
[(1, 'Title'), (2, 'Part *one*')]
>>> plain_heading("Part *one* of [the study](x.html)")
'Part one of the study'
"""
from __future__ import annotations

import contextlib
import copy
import hashlib
import html
import json
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..io import write_text_atomic
from .provenance import used_data_files

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["assemble_report", "combine_notebooks", "front_matter", "appendix", "markdown_headings",
           "plain_heading", "warm_up", "warm_up_in_background", "REPORT_NAME"]

REPORT_NAME = "framing_report.html"
_DROPPED_TAGS = {"parameters", "injected-parameters", "remove-cell", "remove_cell"}


def markdown_headings(source: str) -> list[tuple[int, str]]:
    """``(level, text)`` of the level 1-3 headings of a markdown cell (fenced code skipped)."""
    out, fence = [], False
    for line in source.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        m = None if fence else re.match(r"^(#{1,3})\s+(.+?)\s*#*\s*$", line)
        if m:
            out.append((len(m.group(1)), m.group(2)))
    return out


def plain_heading(md: str) -> str:
    """Heading markdown -> plain text (the text nbconvert uses for the anchor id)."""
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    return re.sub(r"[*_`]", "", t).strip()


def _anchor(text: str) -> str:
    try:
        from nbconvert.filters.strings import _convert_header_id
        return _convert_header_id(text)
    except Exception:  # pragma: no cover
        return re.sub(r"\s+", "-", text)


def combine_notebooks(executed: Sequence[Path], front: str, appendix_md: str,
                      title: str = "Framing report") -> NotebookNode:
    """One notebook: front matter (title, table of contents), every executed notebook, appendix."""
    import nbformat

    cells = []
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        cells += [c for c in nb.cells if not set(c.get("metadata", {}).get("tags", [])) & _DROPPED_TAGS]
    toc = []
    for c in cells:
        if c.cell_type == "markdown":
            for level, text in markdown_headings(c.source):
                plain = plain_heading(text)
                toc.append(f'{"  " * (level - 1)}- [{html.escape(plain)}](#{_anchor(plain)})')
    first_nb = nbformat.read(executed[0], as_version=4)
    out = nbformat.v4.new_notebook(metadata=copy.deepcopy(first_nb.metadata))
    out.metadata.pop("papermill", None)
    out.metadata["title"] = title
    out.cells = ([nbformat.v4.new_markdown_cell(front + "\n\n## Contents\n\n" + "\n".join(toc))]
                 + cells + [nbformat.v4.new_markdown_cell(appendix_md)])
    for i, c in enumerate(out.cells):
        c["id"] = f"cell-{i}"
    return out


_EXPORTER: dict[str, Any] = {}
_EXPORTER_LOCK = threading.Lock()


def _exporter() -> Any:
    """The one HTML exporter of this process (nbconvert's import and its templates cost about a second)."""
    with _EXPORTER_LOCK:
        if "html" not in _EXPORTER:
            from nbconvert import HTMLExporter

            _EXPORTER["html"] = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                                             exclude_output_prompt=True)
        return _EXPORTER["html"]


def _export_html(nb: NotebookNode) -> str:
    exporter = _exporter()
    with _EXPORTER_LOCK:
        body, _ = exporter.from_notebook_node(
            nb, resources={"metadata": {"name": nb.metadata.get("title", "Framing report")}})
    return body


def warm_up() -> None:
    """Import nbconvert and compile the report's templates (an export of a small notebook, discarded).

    The build calls this in a background thread while its last notebook runs, so that
    :func:`assemble_report` does not pay for it afterwards.  The report does not depend
    on it: the same exporter makes the same HTML, warmed up or not (tested).

    >>> warm_up()
    """
    import nbformat

    nb = nbformat.v4.new_notebook(metadata={"title": "warm-up"})
    code = nbformat.v4.new_code_cell("1", outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": "<p>x</p>", "text/plain": "x"}),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "x"})])
    nb.cells = [nbformat.v4.new_markdown_cell("# Warm-up\n\n| a |\n|---|\n| 1 |"), code]
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i}"
    _anchor("Warm up")
    _export_html(nb)


def warm_up_in_background() -> threading.Thread:
    """:func:`warm_up` in a daemon thread (a failure there is ignored: the report's own export reports it)."""
    def run() -> None:
        with contextlib.suppress(Exception):
            warm_up()

    thread = threading.Thread(target=run, name="report-warm-up", daemon=True)
    thread.start()
    return thread


def _md_table(rows: Iterable[tuple], header: tuple) -> str:
    def cell(x):
        return html.escape(str(x)).replace("|", "&#124;")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def appendix(manifest: dict[str, Any], built_at: str) -> str:
    """The reproducibility appendix (markdown) from the build manifest.

    >>> m = {"git_commit": None, "parameters": {"seed": 1}, "versions": {"pandas": "2"}, "inputs": {"raw/a.txt": "ab"}}
    >>> "| seed | 1 |" in appendix(m, "today")
    True
    """
    m = manifest
    parts = ["# Appendix: reproducibility", "",
             "Everything needed to rebuild this report exactly: the code version, the package "
             "versions, the parameters and the SHA-256 of every input file "
             "(`alliance-study build` with the same inputs gives the same tables and figures).", "",
             f"- Git commit: `{html.escape(m.get('git_commit') or 'not available')}`",
             f"- Built: {html.escape(built_at)}", "",
             "## Parameters", "", _md_table(sorted((k, json.dumps(v)) for k, v in m["parameters"].items()),
                                             ("parameter", "value")), "",
             "## Package versions", "", _md_table(sorted(m["versions"].items()), ("package", "version")), "",
             "## Input files", "", _inputs_md(m["inputs"])]
    if m.get("data_files"):
        parts += ["", "## Data files (lexicons, rules, word lists)", "",
                  "The files the build read: the study's own lexicons (paths relative to the study file) and "
                  "the package's data files for everything the study does not replace.", "",
                  _md_table(used_data_files(m), ("file", "from", "sha256"))]
    data = _data_paths(m)
    if data:
        parts += ["", "## Validation data", "",
                  "Where the validation section looked for its reference data (set each with `-p NAME PATH` or "
                  "`parameters: NAME: PATH` in the study file).", "",
                  _md_table(data, ("parameter", "path", "status"))]
    return "\n".join(parts)


def _data_paths(manifest: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(parameter, path, found or not found)`` of the path parameters of a build (:data:`~.parameters.PATH_SUFFIXES`).

    >>> _data_paths({"parameters": {"vader_dir": "/no/such/folder", "seed": 1}})
    [('vader_dir', '/no/such/folder', 'not found')]
    """
    from .study_parameters import PATH_SUFFIXES

    out = []
    for name, value in sorted((manifest.get("parameters") or {}).items()):
        if name.endswith(PATH_SUFFIXES) and isinstance(value, str) and value:
            out.append((name, value, "found" if Path(value).exists() else "not found"))
    return out


#: above this many input files the appendix gives their count and one combined hash (all stay in manifest.json)
MAX_LISTED_INPUTS = 50


def _inputs_md(inputs: dict) -> str:
    """The input files with their SHA-256, or for many files their count and one combined SHA-256.

    The combined hash is the SHA-256 of the sorted ``name<TAB>sha256`` lines, so it
    changes when any file, or the set of files, changes.
    """
    if len(inputs) <= MAX_LISTED_INPUTS:
        return _md_table(sorted(inputs.items()), ("file", "sha256"))
    lines = "".join(f"{k}\t{v}\n" for k, v in sorted(inputs.items()))
    combined = hashlib.sha256(lines.encode("utf-8")).hexdigest()
    return (f"{len(inputs)} input files; combined SHA-256 (of the sorted `file<TAB>sha256` lines) "
            f"`{combined}`. Each file's hash is in `manifest.json`.")


def front_matter(params: dict[str, Any], n_problems: int, skipped: list[str],
                 study: dict[str, Any] | None = None) -> str:
    """Title, the study's question, one paragraph on what the report is, and a data-quality line.

    ``study`` gives the title and question (from the study file).

    >>> print(front_matter({"group_by": "outlet"}, 0, ["raw/x.txt"]).splitlines()[-1])
    **Data quality:** 1 file(s) could not be read and were left out (listed with reasons in *Data quality*): `raw/x.txt`
    >>> front_matter({"group_by": "outlet"}, 0, [], {"title": "How outlets framed X", "question": "Q?"}).splitlines()[:3]
    ['# How outlets framed X', '', '**Question.** Q?']
    """
    study = study or {}
    lines = [f"# {html.escape(study.get('title') or 'Framing report')}", ""]
    if study.get("question"):
        lines += [f"**Question.** {html.escape(study['question'])}", ""]
    lines += [f"How news outlets frame the story, compared by **{html.escape(str(params.get('group_by')))}**. "
              "Built by `alliance-study build` from the study's notebooks; code is hidden, "
              "every number comes from the processed tables described in the first section."]
    if skipped:
        lines += ["", f"**Data quality:** {len(skipped)} file(s) could not be read and were left out "
                      "(listed with reasons in *Data quality*): " + ", ".join(f"`{html.escape(s)}`" for s in skipped)]
    elif n_problems:
        lines += ["", f"**Data quality:** {n_problems} warning(s) about the corpus; see *Data quality*."]
    return "\n".join(lines)


def assemble_report(executed: Sequence[Path], manifest: dict[str, Any], built_at: str, path: str | os.PathLike[str]) -> Path:
    """Write the HTML report of the ``executed`` notebooks to ``path`` (atomically); return ``path``."""
    front = front_matter(manifest["parameters"], manifest.get("n_problems", 0), manifest.get("skipped", []),
                         manifest.get("study"))
    title = (manifest.get("study") or {}).get("title") or "Framing report"
    combined = combine_notebooks(list(executed), front, appendix(manifest, built_at), title)
    write_text_atomic(path, _export_html(combined))
    return Path(path)
