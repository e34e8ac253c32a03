"""``alliance-study build --check``: everything a build would refuse, found before anything is built.

The study file, the parameters (names, types and values), every lexicon (parsed, as the
build parses them), the corpus (validated, reading no more than a build would) and the
``group_by`` column, checked in a second or two; the outputs' folders are checked as the
build checks them (:func:`~alliance_study.report.orchestrate.build`).

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

from ..errors import ParameterError
from .execute import lazy_iri_grammar
from .orchestrate import _build_parameters, _paths, _stop_on_corpus_errors, check_options, choose_study
from .process import group_by_problem
from .parameters import notebook_parameters
from .study import Study


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
    the_study = choose_study(study, raw_dir, metadata)
    the_study.warn_coding()  # coded sheets come later: said, not refused
    timeout = check_options(the_study, cell_timeout, jobs, partition_size, engine, scheduler)
    processed_dir, output_dir, notebooks_dir = _paths(the_study, processed_dir, output_dir, notebooks_dir)
    declared = notebook_parameters(notebooks_dir)
    params = _build_parameters(the_study, declared, params_file, parameters)
    # every lexicon is parsed, as the build would: a malformed one fails here, not after the corpus is read
    from ..corpus.roles import RoleRules
    from ..metrics import Scorer
    from ..metrics.attribution import load_actors, load_speech_rules

    Scorer(**the_study.scorer_kwargs())
    load_actors(the_study.attribution_kwargs().get("actors"))
    load_speech_rules(the_study.attribution_kwargs().get("speech"))
    RoleRules.load(the_study.corpus_kwargs().get("roles"))
    problems = _stop_on_corpus_errors(the_study)
    if the_study.table:  # the columns the articles table will have (header only), for group_by
        from ..corpus.table import open_source, plan_columns
        columns = plan_columns(open_source(the_study.table[0]), the_study.columns)[1]
    else:
        from ..corpus.validate import check_corpus
        assert the_study.folder is not None  # a study has a table or a folder
        columns = check_corpus(the_study.folder, the_study.metadata, read_files=False).columns
        columns = columns + ["title"] * ("title" not in columns)  # the loader adds it (from the headline)
    if params.get("group_by") not in columns:
        raise ParameterError(group_by_problem(params.get("group_by"), columns))
    corpus = ", ".join(map(str, the_study.table)) or str(the_study.folder)
    print(f"OK: {the_study.path or 'no study file'}: corpus {corpus} ({len(problems)} warning(s)); "
          f"lexicons: {', '.join(sorted(the_study.lexicons)) or 'package defaults'}; "
          f"group_by={params.get('group_by')!r}; cell timeout {timeout or 'none'}; outputs: {processed_dir}, "
          f"{output_dir}")
    return 0
