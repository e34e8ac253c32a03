"""The report build: validate -> process -> run the notebooks -> one HTML report.

:func:`build` (library) and :func:`run_build` (the ``alliance-study build`` command)

1. read the ``parameters`` cell of every notebook and type-check the requested
   parameters against it (``-p`` strings are coerced to the declared type);
2. validate the corpus (``on_invalid="fail"``: any error stops the build, listing
   every problem, before any notebook runs; ``"skip"``: build from the readable
   articles, the skipped files are listed in the report's data-quality section);
3. write the processed tables (:func:`alliance_study.pipeline.process`);
4. run the notebooks in order with papermill, one progress line per notebook on stderr;
5. join the executed notebooks into ``OUTPUT/framing_report.html`` (code hidden,
   table of contents, appendix with versions, parameters and input hashes) and write
   ``OUTPUT/manifest.json``.

Everything is built in a temporary folder beside OUTPUT and moved into place at the
end, so an interrupted or failed build leaves the last good report and processed
tables as they were.  A failing notebook is kept as ``OUTPUT/failed/NN_name.ipynb``.

Example
-------
>>> from alliance_study import build                      # doctest: +SKIP
>>> build(raw_dir="data/raw", output_dir="reports", parameters={"group_by": "outlet"})  # doctest: +SKIP
"""
from __future__ import annotations

import ast
import contextlib
import copy
import datetime as _dt
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import AllianceStudyError, InputError
from .io import sha256_file, write_bytes_atomic, write_json_atomic, write_text_atomic

__all__ = ["build", "run_build", "notebook_parameters", "resolve_parameters", "BuildError",
           "ParameterError", "KERNEL_NAME", "REPORT_NAME"]

KERNEL_NAME = "alliance-study"
REPORT_NAME = "framing_report.html"
#: parameters the build sets from its own options (paths, validation mode)
BUILD_OWNED = ("raw_dir", "metadata", "processed_dir", "figures_dir", "on_invalid")
#: fixed environment of the notebook kernels: same inputs, same bytes
KERNEL_ENV = {"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0",
              "ALLIANCE_STUDY_BUILD": "1"}
_PROJECT = Path(__file__).resolve().parents[2]


class BuildError(AllianceStudyError):
    """The build stopped: a notebook failed or an output could not be written."""

    exit_code = 1


class ParameterError(AllianceStudyError):
    """A parameter is unknown or of the wrong type."""

    exit_code = 2


# ----------------------------------------------------------------- parameters
@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    type: str          # "str", "int", "float", "bool", "list", "dict", "none"
    notebooks: tuple   # notebook file names that declare it


def _type_name(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    for t in (int, float, str, list, dict):
        if isinstance(value, t):
            return t.__name__
    if isinstance(value, tuple):
        return "list"
    return type(value).__name__


def notebook_list(notebooks_dir) -> list[Path]:
    """The numbered notebooks ``NN_name.ipynb`` of a folder, in order."""
    d = Path(notebooks_dir)
    if not d.is_dir():
        raise InputError(f"{d}: notebooks folder not found. Pass --notebooks-dir or run from the project root.")
    nbs = sorted(p for p in d.glob("*.ipynb") if re.match(r"^\d+_", p.name))
    if not nbs:
        raise InputError(f"{d}: no numbered notebooks (NN_name.ipynb) found.")
    return nbs


def _parameters_cell(nb, path) -> str:
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise InputError(f"{path}: expected exactly one cell tagged 'parameters', found {len(cells)}. "
                         f"Tag the cell of defaults with 'parameters' (View > Cell toolbar > Tags).")
    return cells[0].source


def notebook_parameters(notebooks_dir) -> dict[str, Param]:
    """Name -> :class:`Param` declared in the ``parameters`` cells (``name = literal`` lines)."""
    import nbformat

    found: dict[str, dict] = {}
    for path in notebook_list(notebooks_dir):
        src = _parameters_cell(nbformat.read(path, as_version=4), path)
        try:
            tree = ast.parse(src)
        except SyntaxError as exc:
            raise InputError(f"{path}: parameters cell, line {exc.lineno}: {exc.msg}. Fix the cell.") from None
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if len(targets) != 1 or not isinstance(targets[0], ast.Name) or node.value is None:
                    continue
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    continue  # computed defaults are not parameters
                name = targets[0].id
                entry = found.setdefault(name, {"default": value, "notebooks": []})
                entry["notebooks"].append(path.name)
    return {n: Param(n, e["default"], _type_name(e["default"]), tuple(e["notebooks"])) for n, e in found.items()}


def _coerce(p: Param, value, source: str):
    """``value`` (a string from ``-p`` or a YAML value) as the declared type of ``p``."""
    import yaml

    def fail(why):
        raise ParameterError(f"{source}: parameter {p.name!r} must be {p.type} "
                             f"(default {p.default!r}); got {value!r}: {why}.")

    v = value
    if isinstance(v, str) and p.type not in ("str", "none"):
        if p.type == "list" and not v.strip().startswith("["):
            v = [x.strip() for x in v.split(",") if x.strip()]
        else:
            try:
                v = yaml.safe_load(v)
            except yaml.YAMLError as exc:
                fail(f"not valid YAML ({exc.__class__.__name__})")
    t = p.type
    if t == "none":
        return v
    if t == "bool":
        if not isinstance(v, bool):
            fail("use true or false")
        return v
    if t == "int":
        if isinstance(v, bool) or not isinstance(v, int):
            fail("not a whole number")
        return v
    if t == "float":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            fail("not a number")
        return float(v)
    if t == "str":
        if not isinstance(v, str):
            fail("not text")
        return v
    if t == "list":
        if isinstance(v, tuple):
            v = list(v)
        if not isinstance(v, list):
            fail("not a list (write a,b or [a, b])")
        return v
    if t == "dict":
        if not isinstance(v, dict):
            fail("not a mapping")
        return v
    return v


def resolve_parameters(declared: Mapping[str, Param], params_file=None,
                       parameters: Iterable | Mapping | None = None) -> dict:
    """Defaults, then the YAML ``params_file``, then ``parameters`` (pairs of strings or a mapping).

    Unknown names and wrong types raise :class:`ParameterError` naming the valid ones.
    """
    import yaml

    user = [n for n in declared if n not in BUILD_OWNED]
    valid = ", ".join(sorted(user))
    out = {n: p.default for n, p in declared.items()}
    requests: list[tuple[str, Any, str]] = []
    if params_file:
        pf = Path(params_file)
        if not pf.is_file():
            raise InputError(f"{pf}: parameters file not found.")
        try:
            data = yaml.safe_load(pf.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ParameterError(f"{pf}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise ParameterError(f"{pf}: expected a mapping of NAME: VALUE lines.")
        requests += [(str(k), v, str(pf)) for k, v in data.items()]
    if isinstance(parameters, Mapping):
        requests += [(str(k), v, "parameters") for k, v in parameters.items()]
    else:
        for pair in parameters or []:
            name, value = pair
            requests.append((str(name), value, f"-p {name}"))
    for name, value, source in requests:
        if name in BUILD_OWNED:
            opt = "--" + name.replace("_", "-")
            raise ParameterError(f"{source}: {name!r} is set by the build option {opt}, not as a parameter.")
        if name not in declared:
            raise ParameterError(f"{source}: unknown parameter {name!r}. Valid parameters: {valid}.")
        out[name] = _coerce(declared[name], value, source)
    return out


# ------------------------------------------------------------------- helpers
def _git_commit(root: Path) -> str | None:
    try:
        r = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            return None
        commit = r.stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return commit + (" (+ uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def package_versions() -> dict:
    """Versions of Python and the packages the results depend on."""
    from importlib import metadata

    out = {"python": sys.version.split()[0]}
    for name in ("alliance-study", "pandas", "numpy", "scipy", "matplotlib", "pyarrow", "vaderSentiment",
                 "papermill", "nbconvert", "nbformat", "nbclient", "ipykernel", "pyyaml"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _input_hashes(raw_dir: Path, metadata) -> dict:
    from .pipeline import input_hashes

    return input_hashes(raw_dir, metadata)


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """Handle SIGTERM like Ctrl-C (KeyboardInterrupt) so temporary folders are cleaned up."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextlib.contextmanager
def _signals_blocked():
    """Defer SIGINT/SIGTERM while outputs are swapped into place (a few renames)."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def _kernel_env():
    saved = {k: os.environ.get(k) for k in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _progress(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ notebooks
def _kernel_manager_class(ipc_dir: Path):
    """Kernels talk over Unix sockets in ``ipc_dir``: no TCP port is opened, and no
    'running over TCP without encryption' warning clutters the build's stderr."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.transport = "ipc"
            self.ip = str(ipc_dir / "k")

    return IPCKernelManager


@contextlib.contextmanager
def _quiet_papermill():
    """Papermill logs warnings for parameters it cannot parse; the build checks parameters itself."""
    import logging

    log = logging.getLogger("papermill")
    old = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(old)


def _run_notebook(path: Path, out_path: Path, params: dict, cwd: Path, kernel_name: str, failed_dir: Path,
                  ipc_dir: Path):
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        with _quiet_papermill():
            return pm.execute_notebook(str(path), str(out_path), parameters=params, kernel_name=kernel_name,
                                       cwd=str(cwd), progress_bar=False, log_output=False,
                                       request_save_on_cell_execute=False, start_timeout=120,
                                       kernel_manager_class=_kernel_manager_class(ipc_dir),
                                       shutdown_kernel="immediate")  # outputs are in; no shutdown chatter
    except PapermillExecutionError as exc:
        failed_dir.mkdir(parents=True, exist_ok=True)
        kept = failed_dir / path.name
        if out_path.exists():
            write_bytes_atomic(kept, out_path.read_bytes())
        # papermill's cell_index counts its injected-parameters and error-banner cells: name the cell
        # as the user sees it in the source notebook (counting from 1)
        cell_no = None
        with contextlib.suppress(Exception):
            import nbformat

            executed = nbformat.read(out_path, as_version=4)
            src_cells = [c for c in executed.cells
                         if not {"injected-parameters", "papermill-error-cell-tag"} & set(c.metadata.get("tags", []))]
            cell_no = 1 + next(i for i, c in enumerate(src_cells)
                               if any(o.get("output_type") == "error" for o in c.get("outputs", [])))
        where = f"cell {cell_no} of {len(src_cells)} (counting from 1)" if cell_no else f"cell index {exc.cell_index}"
        first = next((ln for ln in (exc.source or "").splitlines() if ln.strip()), "")
        raise BuildError(
            f"{path}: {where}, In [{exc.exec_count}], failed: {exc.ename}: {exc.evalue}\n"
            f"  cell starts: {first[:120]}\n"
            f"  executed notebook kept for inspection: {kept}\n"
            f"  the previous report (if any) was left in place.") from None


def _markdown_headings(source: str) -> list[tuple[int, str]]:
    out, fence = [], False
    for line in source.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        m = None if fence else re.match(r"^(#{1,3})\s+(.+?)\s*#*\s*$", line)
        if m:
            out.append((len(m.group(1)), m.group(2)))
    return out


def _plain(md: str) -> str:
    """Heading markdown -> plain text (the text nbconvert uses for the anchor id)."""
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    return re.sub(r"[*_`]", "", t).strip()


def _anchor(text: str) -> str:
    try:
        from nbconvert.filters.strings import _convert_header_id
        return _convert_header_id(text)
    except Exception:  # pragma: no cover
        return re.sub(r"\s+", "-", text)


def _combine(executed: list[Path], front: str, appendix: str):
    """One notebook: front matter (title, TOC), every executed notebook, appendix."""
    import nbformat

    cells = []
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        for c in nb.cells:
            tags = set(c.get("metadata", {}).get("tags", []))
            if tags & {"parameters", "injected-parameters", "remove-cell", "remove_cell"}:
                continue
            cells.append(c)
    toc = []
    for c in cells:
        if c.cell_type == "markdown":
            for level, text in _markdown_headings(c.source):
                plain = _plain(text)
                toc.append(f'{"  " * (level - 1)}- [{html.escape(plain)}](#{_anchor(plain)})')
    first_nb = nbformat.read(executed[0], as_version=4)
    out = nbformat.v4.new_notebook(metadata=copy.deepcopy(first_nb.metadata))
    out.metadata.pop("papermill", None)
    out.metadata["title"] = "Framing report"
    out.cells = ([nbformat.v4.new_markdown_cell(front + "\n\n## Contents\n\n" + "\n".join(toc))]
                 + cells + [nbformat.v4.new_markdown_cell(appendix)])
    for i, c in enumerate(out.cells):
        c["id"] = f"cell-{i}"
    return out


def _export_html(nb) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": "Framing report"}})
    return body


def _md_table(rows: Iterable[tuple], header: tuple) -> str:
    def cell(x):
        return html.escape(str(x)).replace("|", "&#124;")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def _appendix(manifest: dict, built_at: str) -> str:
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
             "## Input files", "", _md_table(sorted((k, v) for k, v in m["inputs"].items()), ("file", "sha256"))]
    return "\n".join(parts)


def _front(params: dict, n_problems: int, skipped: list[str]) -> str:
    lines = ["# Framing report", "",
             f"How news outlets frame the story, compared by **{html.escape(str(params.get('group_by')))}**. "
             "Built by `alliance-study build` from the notebooks in `notebooks/`; code is hidden, "
             "every number comes from the processed tables described in the first section."]
    if skipped:
        lines += ["", f"**Data quality:** {len(skipped)} file(s) could not be read and were left out "
                      "(listed with reasons in *Data quality*): " + ", ".join(f"`{html.escape(s)}`" for s in skipped)]
    elif n_problems:
        lines += ["", f"**Data quality:** {n_problems} warning(s) about the corpus; see *Data quality*."]
    return "\n".join(lines)


# ---------------------------------------------------------------------- build
def _default_notebooks_dir() -> Path:
    return _PROJECT / "notebooks"


def build(raw_dir="data/raw", metadata=None, processed_dir="data/processed", output_dir="reports",
          notebooks_dir=None, params_file=None, parameters=None, on_invalid="fail",
          kernel_name: str = KERNEL_NAME, quiet: bool = False) -> dict:
    """Build the report; returns the manifest (also written to ``OUTPUT/manifest.json``).

    Parameters
    ----------
    raw_dir, metadata : path
        The corpus folder and its metadata table (default: the corpus loader's default).
    processed_dir : path
        Where the processed tables go (Parquet + CSV + ``manifest.json``).
    output_dir : path
        Gets ``framing_report.html``, ``manifest.json``, ``notebooks/`` (executed) and ``figures/``.
    notebooks_dir : path
        The numbered notebooks to run (default: this project's ``notebooks/``).
    params_file : path, optional
        YAML mapping of notebook parameters.
    parameters : mapping or list of (name, value-string) pairs
        Notebook parameters; strings are coerced to the type of the declared default.
    on_invalid : "fail" or "skip"
        What to do with corpus problems.
    """
    from . import pipeline

    if on_invalid not in ("fail", "skip"):
        raise ParameterError(f"on_invalid must be 'fail' or 'skip', not {on_invalid!r}.")
    raw_dir = Path(raw_dir).resolve()
    processed_dir = Path(processed_dir).resolve()
    output_dir = Path(output_dir).resolve()
    notebooks_dir = Path(notebooks_dir).resolve() if notebooks_dir else _default_notebooks_dir()
    metadata = str(Path(metadata).resolve()) if metadata else None
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir}: corpus folder not found. Pass --raw-dir.")
    for d in (processed_dir, output_dir):
        if raw_dir == d or raw_dir in d.parents:
            raise InputError(f"{d}: outputs must not go inside the raw corpus folder {raw_dir}.")

    t0 = time.monotonic()
    notebooks = notebook_list(notebooks_dir)
    declared = notebook_parameters(notebooks_dir)
    params = resolve_parameters(declared, params_file, parameters)
    user_params = {k: v for k, v in params.items() if k not in BUILD_OWNED}

    # 1. validate (fail: before any notebook runs)
    if on_invalid == "fail":
        pipeline.check_corpus(raw_dir, metadata)

    output_dir.parent.mkdir(parents=True, exist_ok=True)
    processed_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.build-", dir=output_dir.parent))
    try:
        with _sigterm_as_interrupt():
            report_dir = stage / "report"
            proc_stage = stage / "processed"
            (report_dir / "notebooks").mkdir(parents=True)
            figures = report_dir / "figures"
            figures.mkdir()

            # 2. processed tables (into the staging folder; moved into place at the end)
            t = time.monotonic()
            pparams = pipeline.pipeline_params(user_params)
            tables = pipeline.process(raw_dir, proc_stage, metadata=metadata, on_invalid=on_invalid, **pparams)
            _progress(f"alliance-study build: processed tables ({len(tables['articles'])} articles, "
                      f"{len(tables['sentences'])} sentences) in {time.monotonic() - t:.1f} s", quiet)

            # 3. notebooks, in order
            nb_params = dict(user_params, raw_dir=str(raw_dir), metadata=metadata, processed_dir=str(proc_stage),
                             figures_dir=str(figures), on_invalid=on_invalid)
            executed = []
            ipc_dir = Path(tempfile.mkdtemp(prefix="als-ipc-"))  # short path: Unix socket names are limited
            with _kernel_env(), contextlib.ExitStack() as cleanup:
                cleanup.callback(shutil.rmtree, ipc_dir, True)
                for i, nb in enumerate(notebooks, 1):
                    t = time.monotonic()
                    mine = {k: v for k, v in nb_params.items() if k in declared and nb.name in declared[k].notebooks}
                    out = report_dir / "notebooks" / nb.name
                    _run_notebook(nb, out, mine, notebooks_dir, kernel_name, output_dir / "failed", ipc_dir)
                    executed.append(out)
                    _progress(f"alliance-study build: [{i}/{len(notebooks)}] {nb.name} "
                              f"{time.monotonic() - t:.1f} s", quiet)

            # 4. report + manifest
            t = time.monotonic()
            pman = json.loads((proc_stage / "manifest.json").read_text(encoding="utf-8"))
            manifest = {
                "parameters": dict(sorted(user_params.items())),
                "build": {"raw_dir": str(raw_dir), "metadata": metadata, "processed_dir": str(processed_dir),
                          "notebooks_dir": str(notebooks_dir), "on_invalid": on_invalid,
                          "notebooks": [p.name for p in notebooks]},
                "inputs": pman["inputs"],
                "versions": package_versions(),
                "git_commit": _git_commit(_PROJECT),
                "processed": pman["outputs"],
                "skipped": pman.get("skipped", []),
            }
            built_at = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            combined = _combine(executed, _front(user_params, pman.get("n_problems", 0), manifest["skipped"]),
                                _appendix(manifest, built_at))
            write_text_atomic(report_dir / REPORT_NAME, _export_html(combined))
            outputs = {}
            for f in sorted(report_dir.rglob("*")):
                if f.is_file():
                    outputs[f.relative_to(report_dir).as_posix()] = sha256_file(f)
            manifest["outputs"] = outputs
            write_json_atomic(report_dir / "manifest.json", manifest)
            _progress(f"alliance-study build: report in {time.monotonic() - t:.1f} s", quiet)

            # 5. move into place (signals deferred for these few renames)
            with _signals_blocked():
                pipeline.install_processed(proc_stage, processed_dir)
                old = None
                if output_dir.exists():
                    old = stage / "previous"
                    os.replace(output_dir, old)
                os.replace(report_dir, output_dir)
        _progress(f"alliance-study build: wrote {output_dir / REPORT_NAME} in {time.monotonic() - t0:.1f} s", quiet)
        return manifest
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def run_build(raw_dir="data/raw", metadata=None, processed_dir="data/processed", output_dir="reports",
              notebooks_dir=None, params_file=None, parameters=(), on_invalid="fail") -> int:
    """The ``alliance-study build`` command: :func:`build`, exit status 0 on success.

    User errors (:class:`~alliance_study.errors.AllianceStudyError`) propagate to the CLI,
    which prints them without a traceback.
    """
    build(raw_dir=raw_dir, metadata=metadata, processed_dir=processed_dir, output_dir=output_dir,
          notebooks_dir=notebooks_dir, params_file=params_file, parameters=list(parameters or []),
          on_invalid=on_invalid)
    return 0


# ---------------------------------------------------------- notebook helpers
def show_table(df, max_rows: int = 30, index: bool = False, float_format="{:.3f}".format):
    """Display a DataFrame as HTML, cells escaped (article text can never become markup)."""
    from IPython.display import HTML, display

    display(HTML(df.to_html(escape=True, index=index, max_rows=max_rows, float_format=float_format,
                            border=0, classes="as-table", na_rep="")))


def show_figure(fig, stem: str, figures_dir=None) -> None:
    """Save ``fig`` as ``figures_dir/stem.png|svg`` (byte-stable, :func:`alliance_study.plots.save`) and
    display that same PNG inline (embedded as base64 in the report).  ``figures_dir`` empty: display only."""
    from IPython.display import Image, display

    from .plots import save

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(figures_dir) if figures_dir else Path(tmp)
        target.mkdir(parents=True, exist_ok=True)
        png = next(p for p in save(fig, target / stem) if p.suffix == ".png").read_bytes()
    display(Image(data=png, format="png", width=int(round(fig.get_figwidth() * 96))))
    with contextlib.suppress(Exception):
        import matplotlib.pyplot as plt

        plt.close(fig)


def show_note(text: str, **values) -> None:
    """Display a paragraph of computed prose; ``values`` are HTML-escaped into ``text.format``."""
    from IPython.display import HTML, display

    display(HTML("<p>" + text.format(**{k: html.escape(str(v)) for k, v in values.items()}) + "</p>"))


# `alliance_study.build` is both this module and (lazily) the `build` function.  Whichever is
# bound first on the package, `alliance_study.build(...)` must build: make the module callable.
class _CallableModule(type(sys)):
    def __call__(self, *args, **kwargs):
        return build(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
