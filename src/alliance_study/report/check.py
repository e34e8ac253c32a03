"""``alliance-study build --check``: everything a build would refuse, found before anything is built.

The study file, the parameters (names, types and values), every lexicon (parsed, as the
build parses them), the corpus (validated, reading no more than a build would) and the
``group_by`` column, checked in a second or two; the outputs' folders are checked as the
build checks them (:func:`~alliance_study.report.orchestrate.build`).  Every problem of the
study file is said at once (unknown keys, unknown or mistyped parameters, a ``group_by`` the
corpus lacks), and for a folder corpus, whose files the check reads, the warnings the build
would add to its problems table (blank or near-duplicate groups, articles with no body text)
are named one per line.  :func:`run_validate_study` is ``alliance-study validate --study``.

Example
-------
>>> import contextlib, io, tempfile
>>> from alliance_study.report.init import init_study
>>> folder = tempfile.mkdtemp()
>>> _ = init_study(folder)  # a new study with a small corpus of its own
>>> with contextlib.redirect_stdout(io.StringIO()) as out:
...     code = run_check(f"{folder}/study.yaml")
>>> code, out.getvalue().startswith("OK:")
(0, True)
"""
from __future__ import annotations

import os
from typing import Any, Iterable

from pathlib import Path

from ..errors import CorpusError, ParameterError
from .execute import lazy_iri_grammar
from .orchestrate import (_build_parameters, _no_notebook_run, _paths, _stop_on_corpus_errors, check_options,
                          choose_study)
from .problems import folder_warnings, group_by_problem
from .parameters import notebook_parameters
from .study import STUDY_FILE, Study, load_study

__all__ = ["run_check", "run_validate_study"]


def run_check(study: Study | str | os.PathLike[str] | None = None, raw_dir: str | os.PathLike[str] | None = None,
              metadata: str | os.PathLike[str] | None = None, notebooks_dir: str | os.PathLike[str] | None = None,
              params_file: str | os.PathLike[str] | None = None, parameters: Iterable[tuple[str, Any]] | None = (),
              *, processed_dir: str | os.PathLike[str] | None = None, output_dir: str | os.PathLike[str] | None = None,
              cell_timeout: float | None | str = "study", jobs: int | None = None,
              partition_size: int | None = None, engine: str = "local", scheduler: str | None = None) -> int:
    """``alliance-study build --check``: the study file, the parameters and the corpus, checked; nothing built.

    Prints what the build would use and returns 0, or raises the error a build would raise
    (:class:`~alliance_study.report.study.StudyError`, ``ParameterError``, ``CorpusError``).
    """
    lazy_iri_grammar()
    declared = notebook_parameters(Path(notebooks_dir).resolve() if notebooks_dir else _package_notebooks())
    _check_study_file(study, raw_dir, metadata, declared)
    the_study = choose_study(study, raw_dir, metadata)
    the_study.warn_coding()  # coded sheets come later: said, not refused
    timeout = check_options(the_study, cell_timeout, jobs, partition_size, engine, scheduler)
    processed_dir, output_dir, notebooks_dir = _paths(the_study, processed_dir, output_dir, notebooks_dir)
    params = _build_parameters(the_study, declared, params_file, parameters)
    # every lexicon is parsed, as the build would: a malformed one fails here, not after the corpus is read
    from ..corpus.roles import RoleRules
    from ..metrics import Scorer
    from ..metrics.attribution import load_actors, load_speech_rules

    Scorer(**the_study.scorer_kwargs())
    load_actors(the_study.attribution_kwargs().get("actors"))
    load_speech_rules(the_study.attribution_kwargs().get("speech"))
    RoleRules.load(the_study.corpus_kwargs().get("roles"))
    if the_study.table:  # the columns the articles table will have (header only), for group_by
        problems = _stop_on_corpus_errors(the_study)
        from ..corpus.table import open_source, plan_columns
        columns = plan_columns(open_source(the_study.table[0]), the_study.columns)[1]
    else:  # a folder: its files are read by the check, so the build's warnings about them are found here too
        from ..corpus.validate import check_corpus
        assert the_study.folder is not None  # a study has a table or a folder
        checked = check_corpus(the_study.folder, the_study.metadata)
        if any(p.severity == "error" for p in checked.problems):
            raise _no_notebook_run(the_study, CorpusError(checked.problems))
        columns = checked.columns + ["title"] * ("title" not in checked.columns)  # the loader adds it
        problems = checked.problems
        if params.get("group_by") in columns:
            problems = problems + folder_warnings(checked, params["group_by"], the_study.lexicons.get("roles"))
    if params.get("group_by") not in columns:
        raise ParameterError(group_by_problem(params.get("group_by"), columns))
    for p in problems:  # each warning named (the count alone does not say what to look at)
        print(f"warning: {p}")
    corpus = ", ".join(map(str, the_study.table)) or str(the_study.folder)
    print(f"OK: {the_study.path or 'no study file'}: corpus {corpus} ({len(problems)} warning(s)); "
          f"lexicons: {', '.join(sorted(the_study.lexicons)) or 'package defaults'}; "
          f"group_by={params.get('group_by')!r}; cell timeout {timeout or 'none'}; outputs: {processed_dir}, "
          f"{output_dir}")
    return 0


def _package_notebooks() -> Path:
    from ..resources import notebooks_dir

    return notebooks_dir()


def _check_study_file(study: Study | str | os.PathLike[str] | None, raw_dir: Any, metadata: Any,
                      declared: dict) -> None:
    """Read the study file a check will use with the notebooks' parameters known, so that an unknown
    parameter or a ``group_by`` the corpus lacks is said with every other problem of the file at once."""
    if raw_dir is not None or metadata is not None or isinstance(study, Study):
        return
    if study is None:
        if not Path(STUDY_FILE).is_file():
            return
        study = STUDY_FILE
    p = Path(study)
    if p.suffix.lower() in (".yaml", ".yml") or (p.is_dir() and (p / STUDY_FILE).is_file()
                                                   and not (p / "articles.csv").exists()):
        load_study(p, declared=declared)


def run_validate_study(path: str | os.PathLike[str], notebooks_dir: str | os.PathLike[str] | None = None) -> int:
    """``alliance-study validate --study FILE``: the study file (every key and parameter, ``group_by`` against the
    corpus's columns), then its corpus, with the warnings a build would add to its problems table.

    The study file's problems raise one :class:`~alliance_study.report.study.StudyError`
    (exit 2).  For a folder corpus, whose files validate reads anyway, the build's warnings
    are added: blank and near-duplicate ``group_by`` values and articles with no body line
    under the study's role rules (:func:`~.problems.folder_warnings`).  A table corpus is
    checked as by ``validate TABLE`` (its group and no-body warnings come with the build).

    Returns
    -------
    int
        0 when the corpus has no error (warnings allowed), 1 when it has one.

    Examples
    --------
    >>> import contextlib, io, tempfile
    >>> from alliance_study.report.init import init_study
    >>> folder = tempfile.mkdtemp()
    >>> _ = init_study(folder)
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = run_validate_study(f"{folder}/study.yaml")
    >>> code, out.getvalue().startswith("OK:")
    (0, True)
    """
    from ..corpus.validate import run_validate

    lazy_iri_grammar()  # the notebooks are read with nbformat, which imports jsonschema: 1.4 s less
    declared = notebook_parameters(Path(notebooks_dir).resolve() if notebooks_dir else _package_notebooks())
    study = load_study(path, declared=declared)
    study.warn_coding()  # coded sheets come later: said, and the corpus is checked
    from ..corpus.roles import RoleRules

    RoleRules.load(study.corpus_kwargs().get("roles"))  # a broken roles.yaml is refused, as build --check does
    params = _build_parameters(study, declared, None, ())
    kw = {k: v for k, v in study.corpus_kwargs().items() if k != "roles"}
    group_by, roles = str(params.get("group_by")), study.lexicons.get("roles")
    more = (lambda checked: folder_warnings(checked, group_by, roles)) if study.folder is not None else None
    return run_validate(**kw, more=more)
