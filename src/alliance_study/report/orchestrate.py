"""The report build: validate -> process -> run the notebooks -> one HTML report.

:func:`build` (library) and :func:`run_build` (the ``alliance-study build`` command):

1. read the ``parameters`` cell of every notebook and type-check the requested
   parameters against it (:mod:`~alliance_study.report.parameters`);
2. validate the corpus (``on_invalid="fail"``: any error stops the build, listing
   every problem, before any notebook runs; ``"skip"``: build from the readable
   articles, the skipped files are listed in the report's data-quality section);
3. write the processed tables (:func:`~alliance_study.report.process_corpus`);
4. run the notebooks with papermill, side by side (:mod:`~alliance_study.report.schedule`);
5. join the executed notebooks into ``OUTPUT/framing_report.html`` (code hidden, table of
   contents, appendix with versions, parameters and input hashes) and write ``OUTPUT/manifest.json``.

Everything is built in a temporary folder beside OUTPUT and moved into place at the
end, so an interrupted or failed build leaves the last good report and processed
tables as they were.  A failing notebook is kept as ``OUTPUT/failed/NN_name.ipynb``.

The checks of the build's folders are in :mod:`~alliance_study.report._build_folders`;
the report's manifest and the key that tells a build with nothing to do (it then does
nothing and returns the last manifest) in :mod:`~alliance_study.report._build_record`.

Example
-------
>>> from alliance_study.report import build                # doctest: +SKIP
>>> build("study.yaml", output_dir="reports", parameters={"group_by": "outlet"})  # doctest: +SKIP
"""
from __future__ import annotations

import datetime as _dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..errors import CorpusError, InputError, ParameterError
from ..io import sha256_file, write_json_atomic
from ._build_folders import _paths
from ._build_record import _build_key, _manifest, _unchanged
from .assemble import REPORT_NAME, assemble_report
from .lock import locked_folders
from .execute import (CELL_TIMEOUT, KERNEL_ENV, KERNEL_NAME, lazy_iri_grammar,
                      sigterm_as_interrupt, signals_blocked)
from .kernels import WarmKernels
from .parameters import (BUILD_OWNED, analysis_parameters, check_values, notebook_list, notebook_parameters,
                         resolve_parameters)
from .process import PARTITION_SIZE, install_processed, process_corpus, release_memory
from .schedule import final_paths, run_notebooks, small_corpus
from .provenance import output_sizes
from .study import STUDY_FILE, Study, StudyError, as_study, folder_study, load_study

if TYPE_CHECKING:
    from .progress import Progress

__all__ = ["build", "run_build", "choose_study"]


def _stop_on_corpus_errors(study: Study) -> list:
    """Every problem of the corpus; raise :class:`CorpusError` listing them all if any is an error."""
    from ..corpus import validate_corpus  # imported here: the notebooks' `import alliance_study.report` stays light

    kw = {k: v for k, v in study.corpus_kwargs().items() if k != "roles"}
    problems = validate_corpus(**kw)
    if any(getattr(p, "severity", "error") == "error" for p in problems):
        raise _no_notebook_run(study, CorpusError(problems))
    return problems


def _no_notebook_run(study: Study, err: CorpusError) -> CorpusError:
    """``err`` with the corpus named and the way out (fix the files, or --on-invalid skip)."""
    where = study.folder or ", ".join(map(str, study.table))
    err.args = (f"{where}: {err}\nNo notebook was run. Fix: correct the files above, "
                f"or build from the readable articles with --on-invalid skip.",)
    return err


def choose_study(study: Study | str | os.PathLike[str] | None = None, raw_dir: str | os.PathLike[str] | None = None,
                 metadata: str | os.PathLike[str] | None = None) -> Study:
    """The study a build runs: ``study`` (a file or folder), else a corpus folder ``raw_dir``,
    else ``./study.yaml`` when there is one, else the folder ``data/raw``."""
    if study is not None:
        if raw_dir is not None or metadata is not None:
            raise ParameterError("give either --study or --raw-dir/--metadata, not both. "
                                 "Fix: set the corpus in the study file (corpus: folder/metadata or table).")
        return as_study(study)
    if raw_dir is None and metadata is None and Path(STUDY_FILE).is_file():
        return load_study(STUDY_FILE)
    raw = Path(raw_dir if raw_dir is not None else "data/raw")
    if not raw.is_dir():
        raise InputError(f"{raw}: corpus folder not found. Fix: pass --study STUDY.yaml, or --raw-dir with the "
                         f"folder of articles.")
    return folder_study(raw, metadata)


def _study_cell_timeout(study: Study) -> float | None:
    """The study file's ``parameters: cell_timeout`` (seconds; 0 = no limit), else :data:`CELL_TIMEOUT`."""
    value = study.parameters.get("cell_timeout", CELL_TIMEOUT)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise StudyError(study.path or "study", [f"key 'parameters.cell_timeout': expected seconds (a number, "
                                                 f"0 = no limit), got {value!r}. Fix: e.g. cell_timeout: 1800."])
    return float(value) if value else None


def _study_parameters(study: Study, declared) -> dict:
    """The study file's parameters, checked against the notebooks' declared ones and the analysis defaults.

    An analysis parameter (:data:`~alliance_study.defaults.DEFAULTS`) is valid even
    when no notebook declares it: the processing step uses it.
    """
    from .study_parameters import study_parameter_problems

    out, problems = study_parameter_problems(study.parameters, declared)
    if problems:
        raise StudyError(study.path or "study", problems)
    return out


def _build_parameters(study: Study, declared: dict[str, Any], params_file: str | os.PathLike[str] | None,
                      parameters: Iterable[tuple[str, Any]] | Mapping[str, Any] | None,
                      notebooks_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Every parameter of a build: defaults, the study file's, ``params_file``, then ``parameters``.

    Analysis parameters the study sets but no notebook declares still reach the processing step.
    With ``notebooks_dir``, path parameters (validation data) are made absolute (:func:`.study_parameters.absolute_paths`).
    """
    base = _study_parameters(study, declared)
    params = resolve_parameters(declared, params_file, parameters,
                                base={k: v for k, v in base.items() if k in declared})
    params.update({k: v for k, v in base.items() if k not in declared})
    check_values(params)
    if notebooks_dir is not None:
        from .study_parameters import absolute_paths

        params = absolute_paths(params, declared, notebooks_dir, study_dir=study.path.parent if study.path else None,
                                study_parameters=list(study.parameters), params_file=params_file,
                                parameters=parameters)
    return params


def check_options(study: Study, cell_timeout: float | None | str = "study", jobs: int | None = None,
                  partition_size: int | None = None, engine: str = "local", scheduler: str | None = None) -> float | None:
    """The build's cell time limit (``"study"``: the study file's), after refusing a bad limit, ``jobs``,
    ``partition_size``, engine or scheduler (the build and ``build --check`` both ask here)."""
    from ..scale.tasks import ENGINES

    if engine not in ENGINES:
        raise ParameterError(f"unknown engine {engine!r}. Fix: use one of {', '.join(ENGINES)}.")
    if scheduler and engine != "dask":  # it would be ignored by a build of one partition
        raise ParameterError("--scheduler needs --engine dask. Fix: add --engine dask or drop --scheduler.")
    if cell_timeout == "study":
        cell_timeout = _study_cell_timeout(study)
    if cell_timeout is not None and not (isinstance(cell_timeout, (int, float)) and cell_timeout > 0):
        raise ParameterError(f"cell_timeout must be a positive number of seconds, not {cell_timeout!r}. "
                             f"Fix: pass --cell-timeout SECONDS.")
    for option, value in (("--jobs", jobs), ("--partition-size", partition_size)):
        if value is not None and value < 1:  # 0 used to mean the default, a negative number too
            raise ParameterError(f"{option} must be at least 1 (got {value}). "
                                 f"Fix: pass {option} 1 or more, or leave it out for the default.")
    return cell_timeout


def build(study: Study | str | os.PathLike[str] | None = None, raw_dir: str | os.PathLike[str] | None = None,
          metadata: str | os.PathLike[str] | None = None, processed_dir: str | os.PathLike[str] | None = None,
          output_dir: str | os.PathLike[str] | None = None, notebooks_dir: str | os.PathLike[str] | None = None,
          params_file: str | os.PathLike[str] | None = None,
          parameters: Iterable[tuple[str, Any]] | Mapping[str, Any] | None = None, on_invalid: str = "fail",
          kernel_name: str = KERNEL_NAME, cell_timeout: float | None | str = "study", wait: bool = False,
          progress: Progress | None = None, quiet: bool = False, jobs: int | None = None, engine: str = "local",
          scheduler: str | None = None, partition_size: int | None = None, force: bool = False) -> dict[str, Any]:
    """Build the report; returns the manifest (also written to ``OUTPUT/manifest.json``).

    Parameters
    ----------
    study : path or Study, optional
        The study file (or its folder).  Without it: a corpus folder ``raw_dir``, else
        ``./study.yaml`` when there is one, else ``data/raw``.
    raw_dir, metadata : path
        A corpus folder and its metadata table, for a build without a study file.
    processed_dir : path
        Where the processed tables go (Parquet + CSV + ``manifest.json``); default
        ``data/processed`` beside the study file (or in the current folder).
    output_dir : path
        Gets ``framing_report.html``, ``manifest.json``, ``notebooks/`` (executed) and
        ``figures/``; default ``reports`` beside the study file.
    notebooks_dir : path
        The numbered notebooks to run (default: the package's notebooks).
    params_file : path, optional
        YAML mapping of notebook parameters.
    parameters : mapping or list of (name, value-string) pairs
        Notebook parameters; strings are coerced to the type of the declared default.
        Precedence: defaults, the study file's ``parameters``, ``params_file``, ``parameters``.
    on_invalid : "fail" or "skip"
        What to do with corpus problems.
    cell_timeout : float, None or "study"
        Longest run time of one notebook cell, in seconds (None: no limit).  ``"study"``
        (the default): the study file's ``parameters: cell_timeout`` when it sets one
        (0 = no limit), else 1800.
    wait : bool
        When another build holds ``output_dir`` or ``processed_dir``: wait for it
        (True) or stop at once with :class:`~alliance_study.report.lock.BuildLocked`
        (exit status 75; the default).
    progress : Progress, optional
        Where stage progress goes (default: bars on a terminal, lines otherwise; nothing when ``quiet``).
    jobs : int, optional
        Worker processes for the corpus partitions, and notebooks run side by side (default: all cores).
    engine, scheduler : str
        ``engine="dask"``: the partitions run on a Dask cluster (``scheduler``, else a local one).
    partition_size : int, optional
        Articles per partition (default :data:`~alliance_study.report.process.PARTITION_SIZE`).
    force : bool
        Build even when nothing changed since the last build (otherwise such a build does
        nothing, says so and returns the last manifest).
    """
    from .progress import Progress

    if on_invalid not in ("fail", "skip"):
        raise ParameterError(f"on_invalid must be 'fail' or 'skip', not {on_invalid!r}. Fix: use --on-invalid skip.")
    lazy_iri_grammar()  # nbformat (read below, and by papermill and nbconvert) imports jsonschema: 1.4 s less
    the_study = choose_study(study, raw_dir, metadata)
    cell_timeout = check_options(the_study, cell_timeout, jobs, partition_size, engine, scheduler)
    proc, out, nb_dir = _paths(the_study, processed_dir, output_dir, notebooks_dir)
    progress = progress or Progress(enabled=not quiet)
    notebooks = notebook_list(nb_dir)
    declared = notebook_parameters(nb_dir)
    params = _build_parameters(the_study, declared, params_file, parameters, nb_dir)
    user_params = {k: v for k, v in params.items() if k not in BUILD_OWNED}
    run = dict(jobs=jobs, engine=engine, scheduler=scheduler, partition_size=partition_size or PARTITION_SIZE)
    with locked_folders([out, proc], wait=wait, say=progress.say):
        key = _build_key(the_study, proc, notebooks, user_params, on_invalid, cell_timeout)
        last = _unchanged(out, proc, key, progress.say)
        if last is not None and not force:
            progress.done(f"nothing changed since the last build: "
                          f"{out / REPORT_NAME} is up to date; nothing was processed or run")
            return last
        return _build_locked(the_study, proc, out, nb_dir, notebooks, declared, user_params, on_invalid,
                             kernel_name, cell_timeout, progress, run, key)


def _study_file_for_notebooks(study: Study, report_dir: Path) -> Path:
    """The study file the notebooks read: the study's own, or one written into the report for a plain
    folder build (so the executed notebooks, opened later, still find it)."""
    if study.path is not None:
        return study.path
    import yaml

    path = report_dir / STUDY_FILE
    corpus = {"folder": str(study.folder)}
    if study.metadata is not None:
        corpus["metadata"] = str(study.metadata)
    path.write_text(yaml.safe_dump({"title": study.title, "corpus": corpus}, sort_keys=True), encoding="utf-8")
    return path


def _build_locked(study, processed_dir, output_dir, notebooks_dir, notebooks, declared, user_params,
                  on_invalid, kernel_name, cell_timeout, progress, run, key) -> dict:
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    processed_dir.parent.mkdir(parents=True, exist_ok=True)
    for folder in (output_dir, processed_dir):  # we hold the locks: left by a killed build
        for dead in folder.parent.glob(f".{folder.name}.build-*"):
            shutil.rmtree(dead, ignore_errors=True)
    # each staged folder beside its final place, on the same file system: moved into place by renames
    stage = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.build-", dir=output_dir.parent))
    proc_parent = Path(tempfile.mkdtemp(prefix=f".{processed_dir.name}.build-", dir=processed_dir.parent))
    # the notebooks' kernels are forked from a helper that imports their modules: for a small corpus while it
    # is processed (it takes a second or two), for a large one after (the helper's memory stays out of that peak)
    warm = WarmKernels(notebooks, {**os.environ, **KERNEL_ENV}) if small_corpus(study) else None
    try:
        with sigterm_as_interrupt():
            report_dir, proc_stage = stage / "report", proc_parent / "processed"
            (report_dir / "notebooks").mkdir(parents=True)
            figures = report_dir / "figures"
            figures.mkdir()

            try:  # the corpus is checked as it is read: any error stops the build before a notebook runs
                process_corpus(study, proc_stage, on_invalid=on_invalid, progress=progress, **run,
                               **analysis_parameters(user_params))
            except CorpusError as err:
                raise _no_notebook_run(study, err) from None
            release_memory()  # the tables just made are dropped: their memory goes back before the kernels start

            if warm is None:
                warm = WarmKernels(notebooks, {**os.environ, **KERNEL_ENV})
            study_file = _study_file_for_notebooks(study, report_dir)
            nb_params = dict(user_params, study=str(study_file), processed_dir=str(proc_stage),
                             figures_dir=str(figures), on_invalid=on_invalid)
            executed = run_notebooks(notebooks, nb_params, declared, report_dir, notebooks_dir, output_dir,
                                      kernel_name, cell_timeout, progress, run["jobs"], warm)
            warm.close()
            # the executed notebooks ran on the staged folders: opened later, they must read the installed ones
            final_paths(executed, {report_dir: output_dir, proc_stage: processed_dir})

            with progress.stage("report"):
                manifest = _manifest(proc_stage, user_params, study, processed_dir, notebooks_dir,
                                     on_invalid, notebooks, cell_timeout)
                built_at = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
                assemble_report(executed, manifest, built_at, report_dir / REPORT_NAME)
                manifest["outputs"] = {f.relative_to(report_dir).as_posix(): sha256_file(f)
                                       for f in sorted(report_dir.rglob("*")) if f.is_file()}
                manifest["build_key"] = key
                manifest["processed_manifest"] = sha256_file(proc_stage / "manifest.json")
                manifest["output_sizes"] = output_sizes(report_dir, proc_stage, manifest)
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
        if warm is not None:
            warm.close()
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(proc_parent, ignore_errors=True)


def run_build(study: Study | str | os.PathLike[str] | None = None, raw_dir: str | os.PathLike[str] | None = None,
              metadata: str | os.PathLike[str] | None = None, processed_dir: str | os.PathLike[str] | None = None,
              output_dir: str | os.PathLike[str] | None = None, notebooks_dir: str | os.PathLike[str] | None = None,
              params_file: str | os.PathLike[str] | None = None, parameters: Iterable[tuple[str, Any]] | None = (),
              on_invalid: str = "fail", cell_timeout: float | None | str = "study", wait: bool = False,
              jobs: int | None = None, engine: str = "local", scheduler: str | None = None,
              partition_size: int | None = None) -> int:
    """The ``alliance-study build`` command: :func:`build`, exit status 0 on success.

    User errors (:class:`~alliance_study.errors.AllianceStudyError`) propagate to the CLI,
    which prints them without a traceback.
    """
    build(study=study, raw_dir=raw_dir, metadata=metadata, processed_dir=processed_dir, output_dir=output_dir,
          notebooks_dir=notebooks_dir, params_file=params_file, parameters=list(parameters or []),
          on_invalid=on_invalid, cell_timeout=cell_timeout, wait=wait, jobs=jobs, engine=engine,
          scheduler=scheduler, partition_size=partition_size)
    return 0
