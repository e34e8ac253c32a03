"""The report build: validate -> process -> run the notebooks -> one HTML report.

:func:`build` (library) and :func:`run_build` (the ``alliance-study build`` command):

1. read the ``parameters`` cell of every notebook and type-check the requested
   parameters against it (:mod:`~alliance_study.report.parameters`);
2. validate the corpus (``on_invalid="fail"``: any error stops the build, listing
   every problem, before any notebook runs; ``"skip"``: build from the readable
   articles, the skipped files are listed in the report's data-quality section);
3. write the processed tables (:func:`~alliance_study.report.process_corpus`);
4. run the notebooks in order with papermill (:func:`~alliance_study.report.execute_notebook`);
5. join the executed notebooks into ``OUTPUT/framing_report.html`` (code hidden, table of
   contents, appendix with versions, parameters and input hashes) and write ``OUTPUT/manifest.json``.

Everything is built in a temporary folder beside OUTPUT and moved into place at the
end, so an interrupted or failed build leaves the last good report and processed
tables as they were.  A failing notebook is kept as ``OUTPUT/failed/NN_name.ipynb``.

Example
-------
>>> from alliance_study.report import build                # doctest: +SKIP
>>> build(raw_dir="data/raw", output_dir="reports", parameters={"group_by": "outlet"})  # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import CorpusError, InputError, ParameterError
from ..io import sha256_file, write_json_atomic
from .assemble import REPORT_NAME, assemble_report
from .lock import locked_folders
from .execute import CELL_TIMEOUT, KERNEL_NAME, execute_notebook, kernel_env, sigterm_as_interrupt, signals_blocked
from .parameters import BUILD_OWNED, analysis_parameters, notebook_list, notebook_parameters, resolve_parameters
from .process import install_processed, process_corpus
from .provenance import git_commit, package_versions

__all__ = ["build", "run_build"]

_PROJECT = Path(__file__).resolve().parents[3]


def _default_notebooks_dir() -> Path:
    return _PROJECT / "notebooks"


def _stop_on_corpus_errors(raw_dir: Path, metadata) -> list:
    """Every problem of the corpus; raise :class:`CorpusError` listing them all if any is an error."""
    from ..corpus import validate_corpus

    problems = validate_corpus(raw_dir, metadata)
    if any(getattr(p, "severity", "error") == "error" for p in problems):
        err = CorpusError(problems)
        err.args = (f"{raw_dir}: {err}\nNo notebook was run. Fix: correct the files above, "
                    f"or build from the readable articles with --on-invalid skip.",)
        raise err
    return problems


def _paths(raw_dir, processed_dir, output_dir, notebooks_dir, metadata):
    raw_dir, processed_dir, output_dir = (Path(p).resolve() for p in (raw_dir, processed_dir, output_dir))
    notebooks_dir = Path(notebooks_dir).resolve() if notebooks_dir else _default_notebooks_dir()
    metadata = str(Path(metadata).resolve()) if metadata else None
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir}: corpus folder not found. Fix: pass --raw-dir with the folder of articles.")
    for d in (processed_dir, output_dir):
        if raw_dir == d or raw_dir in d.parents:
            raise InputError(f"{d}: outputs must not go inside the raw corpus folder {raw_dir}. "
                             f"Fix: choose an output folder outside it.")
    return raw_dir, processed_dir, output_dir, notebooks_dir, metadata


def build(raw_dir="data/raw", metadata=None, processed_dir="data/processed", output_dir="reports",
          notebooks_dir=None, params_file=None, parameters=None, on_invalid="fail",
          kernel_name: str = KERNEL_NAME, cell_timeout: float | None = CELL_TIMEOUT, wait: bool = False,
          progress=None, quiet: bool = False) -> dict:
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
    cell_timeout : float or None
        Longest run time of one notebook cell, in seconds (None: no limit).
    wait : bool
        When another build holds ``output_dir`` or ``processed_dir``: wait for it
        (True) or stop at once with :class:`~alliance_study.report.lock.BuildLocked`
        (exit status 75; the default).
    progress : Progress, optional
        Where stage progress goes (default: bars on a terminal, lines otherwise; nothing when ``quiet``).
    """
    from .progress import Progress

    if on_invalid not in ("fail", "skip"):
        raise ParameterError(f"on_invalid must be 'fail' or 'skip', not {on_invalid!r}. Fix: use --on-invalid skip.")
    if cell_timeout is not None and not cell_timeout > 0:
        raise ParameterError(f"cell_timeout must be a positive number of seconds, not {cell_timeout!r}. "
                             f"Fix: pass --cell-timeout SECONDS.")
    raw_dir, processed_dir, output_dir, notebooks_dir, metadata = _paths(raw_dir, processed_dir, output_dir,
                                                                         notebooks_dir, metadata)
    progress = progress or Progress(enabled=not quiet)
    notebooks = notebook_list(notebooks_dir)
    declared = notebook_parameters(notebooks_dir)
    params = resolve_parameters(declared, params_file, parameters)
    user_params = {k: v for k, v in params.items() if k not in BUILD_OWNED}
    with locked_folders([output_dir, processed_dir], wait=wait, say=progress.say):
        return _build_locked(raw_dir, metadata, processed_dir, output_dir, notebooks_dir, notebooks, declared,
                             user_params, on_invalid, kernel_name, cell_timeout, progress)


def _build_locked(raw_dir, metadata, processed_dir, output_dir, notebooks_dir, notebooks, declared, user_params,
                  on_invalid, kernel_name, cell_timeout, progress) -> dict:
    with progress.stage("validate corpus"):
        if on_invalid == "fail":
            _stop_on_corpus_errors(raw_dir, metadata)

    output_dir.parent.mkdir(parents=True, exist_ok=True)
    processed_dir.parent.mkdir(parents=True, exist_ok=True)
    for dead in output_dir.parent.glob(f".{output_dir.name}.build-*"):  # we hold the lock: left by a killed build
        shutil.rmtree(dead, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.build-", dir=output_dir.parent))
    try:
        with sigterm_as_interrupt():
            report_dir, proc_stage = stage / "report", stage / "processed"
            (report_dir / "notebooks").mkdir(parents=True)
            figures = report_dir / "figures"
            figures.mkdir()

            process_corpus(raw_dir, proc_stage, metadata=metadata, on_invalid=on_invalid, progress=progress,
                           **analysis_parameters(user_params))

            nb_params = dict(user_params, raw_dir=str(raw_dir), metadata=metadata, processed_dir=str(proc_stage),
                             figures_dir=str(figures), on_invalid=on_invalid)
            executed = []
            ipc_dir = Path(tempfile.mkdtemp(prefix="als-ipc-"))  # short path: Unix socket names are limited
            with kernel_env(), contextlib.ExitStack() as cleanup:
                cleanup.callback(shutil.rmtree, ipc_dir, True)
                for i, nb in enumerate(notebooks, 1):
                    mine = {k: v for k, v in nb_params.items() if k in declared and nb.name in declared[k].notebooks}
                    out = report_dir / "notebooks" / nb.name
                    with progress.notebook(i, len(notebooks), nb.name) as st:
                        execute_notebook(nb, out, mine, cwd=notebooks_dir, failed_dir=output_dir / "failed",
                                         ipc_dir=ipc_dir, kernel_name=kernel_name, cell_timeout=cell_timeout,
                                         progress_bar=st.bar)
                    executed.append(out)

            with progress.stage("report"):
                manifest = _manifest(proc_stage, user_params, raw_dir, metadata, processed_dir, notebooks_dir,
                                     on_invalid, notebooks, cell_timeout)
                built_at = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
                assemble_report(executed, manifest, built_at, report_dir / REPORT_NAME)
                manifest["outputs"] = {f.relative_to(report_dir).as_posix(): sha256_file(f)
                                       for f in sorted(report_dir.rglob("*")) if f.is_file()}
                write_json_atomic(report_dir / "manifest.json", manifest)

            # move into place (signals deferred for these few renames)
            with signals_blocked():
                install_processed(proc_stage, processed_dir)
                if output_dir.exists():
                    os.replace(output_dir, stage / "previous")
                os.replace(report_dir, output_dir)
        progress.done(f"wrote {output_dir / REPORT_NAME}")
        return manifest
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _manifest(proc_stage: Path, user_params, raw_dir, metadata, processed_dir, notebooks_dir, on_invalid,
              notebooks, cell_timeout) -> dict:
    pman = json.loads((proc_stage / "manifest.json").read_text(encoding="utf-8"))
    return {
        "parameters": dict(sorted(user_params.items())),
        "build": {"raw_dir": str(raw_dir), "metadata": metadata, "processed_dir": str(processed_dir),
                  "notebooks_dir": str(notebooks_dir), "on_invalid": on_invalid, "cell_timeout": cell_timeout,
                  "notebooks": [p.name for p in notebooks]},
        "inputs": pman["inputs"],
        "data_files": pman["data_files"],
        "versions": package_versions(),
        "git_commit": git_commit(_PROJECT),
        "processed": pman["outputs"],
        "n_problems": pman.get("n_problems", 0),
        "skipped": pman.get("skipped", []),
    }


def run_build(raw_dir="data/raw", metadata=None, processed_dir="data/processed", output_dir="reports",
              notebooks_dir=None, params_file=None, parameters=(), on_invalid="fail",
              cell_timeout: float | None = CELL_TIMEOUT, wait: bool = False) -> int:
    """The ``alliance-study build`` command: :func:`build`, exit status 0 on success.

    User errors (:class:`~alliance_study.errors.AllianceStudyError`) propagate to the CLI,
    which prints them without a traceback.
    """
    build(raw_dir=raw_dir, metadata=metadata, processed_dir=processed_dir, output_dir=output_dir,
          notebooks_dir=notebooks_dir, params_file=params_file, parameters=list(parameters or []),
          on_invalid=on_invalid, cell_timeout=cell_timeout, wait=wait)
    return 0
