"""Process a corpus into the tables the notebooks and the report read (written by :mod:`.store`).

:func:`process_corpus` reads the corpus in partitions, splits, scores and attributes
each one (in worker processes or on Dask; :mod:`~alliance_study.report.partitions`),
merges their per-article sums, counts and samples, compares the groups and writes,
atomically and byte-for-byte reproducibly:

==================  =====================================================  ===============
table               one row per                                            formats
==================  =====================================================  ===============
articles            article (metadata + counts + sha256)                   parquet, csv
article_measures    article: the sums behind every measure (statistics)    parquet, csv
article_roles       article: sentences and words per role                  parquet, csv
segments            segment (headline, body paragraph, comment ...)        parquet dataset
sentences           sentence, with every metric column                     parquet dataset
sources             attributed statement (speaker, verb, direct quote ...) parquet dataset
sentence_sample     fixed-seed sample of each group's sentences            parquet, csv
cue_counts          group x cue column x cue                               parquet, csv
sourcing            group x speaker (quotes, direct/indirect, share)       parquet, csv
sourcing_by_type    group x speaker type                                   parquet, csv
group_comparison    group x metric (estimate, CI, n, p, p_holm, small_n)   parquet, csv
group_differences   pair of groups x metric                                parquet, csv
keyness             group x term (count, log-odds z)                       parquet, csv
concordance         sampled keyword hit (left, keyword, right)             parquet, csv
problems            problem found while reading (skipped files, warnings)  parquet, csv
==================  =====================================================  ===============

A *parquet dataset* is a folder ``<table>.parquet/`` of ``part-NNNNN.parquet`` files of
:data:`PARTITION_SIZE` articles each, in input order, whatever the partition size,
the number of jobs or the engine (``pandas.read_parquet`` reads the folder as one
table); the notebooks never read them whole (:meth:`Tables.head`).

plus ``manifest.json``: the SHA-256 of every input file and of every data file
(lexicons, rules, word lists), the parameters, the package versions and the SHA-256
of every output.  No timestamps: the same inputs and parameters give the same bytes.

:func:`load_tables` is what a notebook calls: it reads the processed tables when the
manifest still matches (:func:`tables_are_fresh`), and (re)computes them otherwise.

The driver's state while the partitions run (tasks out, results in) is in
:mod:`~alliance_study.report._partition_run`; the warnings of the ``problems`` table
(blank or near-duplicate groups, articles without body text) in :mod:`~alliance_study.report.problems`.

Example
-------
>>> from alliance_study.report import process_corpus          # doctest: +SKIP
>>> tables = process_corpus("data/raw", "data/processed", group_by="outlet")  # doctest: +SKIP
>>> tables["group_comparison"].head()                          # doctest: +SKIP
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import pandas as pd

from ..defaults import DEFAULTS
from ..errors import InputError, ParameterError
from ..metrics.news_sentiment import SENTENCES_PER_SECOND
from ..scale.tasks import default_jobs, map_ordered
from ._partition_run import PartitionRun, release_memory, work  # release_memory: the build imports it from here
from .parameters import analysis_parameters, checked_parameters
from .partitions import DATASETS, PartitionCache, Plan, tidy
from .problems import group_by_problem  # noqa: F401  (re-exported: report.check imports it from here)
from .problems import blank_groups, near_duplicate_groups, no_body, problems_frame, problems_summary
from .provenance import data_file_hashes
from .store import PARTITION_SIZE, Tables, corpus_relative, corpus_root, install_processed, provenance, write_tables
from .study import Study, as_study, study_labels

if TYPE_CHECKING:
    from .progress import Progress

__all__ = ["process_corpus", "load_tables", "tables_are_fresh", "install_processed", "Tables", "PARTITION_SIZE"]

#: more groups than this get a warning: every pair of groups is compared (the work grows as the square)
MANY_GROUPS = 30


def _params(on_invalid: str, params: Mapping[str, Any], study: Study | None = None) -> dict:
    """Analysis parameters: the package defaults, then the study file's, then ``params`` (None = not set)."""
    unknown = sorted(set(params) - set(DEFAULTS))
    if unknown:
        raise InputError(f"unknown processing parameter(s) {', '.join(unknown)}. "
                         f"Fix: use only {', '.join(DEFAULTS)}.")
    if on_invalid not in ("fail", "skip"):
        raise ParameterError(f"on_invalid must be 'fail' or 'skip', not {on_invalid!r}. Fix: on_invalid=\"skip\" "
                             f"reads on past unreadable articles (listed in the problems table), \"fail\" stops.")
    where = f"{study.path}: parameters" if study is not None and study.path is not None else "study parameters"
    chosen = checked_parameters({k: v for k, v in (study.parameters if study is not None else {}).items()}, where)
    chosen.update(checked_parameters(params))
    p = analysis_parameters(chosen)
    p.update(roles=list(p["roles"] or []), concordance_terms=list(p["concordance_terms"] or []),
             n_boot=int(p["n_boot"]), n_perm=int(p["n_perm"]), seed=int(p["seed"]), level=float(p["level"]),
             news_sentiment=bool(p["news_sentiment"]),
             on_invalid=on_invalid)
    return p


def process_corpus(study: Study | str | os.PathLike[str], processed_dir: str | os.PathLike[str], metadata: str | os.PathLike[str] | None = None, *,
                   on_invalid: str = "fail", write: bool = True, progress: Progress | None = None,
                   jobs: int | None = None, engine: str = "local", scheduler: str | None = None,
                   partition_size: int = PARTITION_SIZE, cache_dir: str | os.PathLike[str] | None = None,
                   **params: Any) -> Tables:
    """A study's corpus -> processed tables (returned, and written to ``processed_dir`` when ``write``).

    The corpus is processed in partitions of ``partition_size`` articles, in parallel
    (``jobs`` worker processes, or a Dask cluster), each step of each partition cached
    by content (:mod:`~alliance_study.report.partitions`).  The per-sentence, per-segment
    and per-quote tables are written as partitioned Parquet datasets
    (``sentences.parquet/part-00000.parquet`` ...); the comparisons are computed from
    per-article sums and counts merged over partitions, never from the whole sentence
    table.  The tables are byte-identical whatever ``jobs`` and ``engine``.

    Parameters
    ----------
    study : Study, path of a study file, or corpus folder
        What to process: a :class:`~alliance_study.report.study.Study`, a ``study.yaml``
        (its corpus, lexicons and parameters), or a folder of article files with its
        metadata table (package lexicons).
    processed_dir : path
        Output folder: ``<table>.parquet`` (and ``<table>.csv`` for the summary tables), ``manifest.json``.
    metadata : path, optional
        The metadata table of a corpus folder (default ``FOLDER/articles.csv``).
    on_invalid : "fail" or "skip"
        Passed to :func:`alliance_study.load_corpus`.
    write : bool
        False: return the tables without writing to ``processed_dir``.
    progress : alliance_study.report.progress.Progress, optional
        Where the time of each stage is shown; default: nowhere.
    jobs : int, optional
        Worker processes (default: all cores; a corpus of one partition runs in this process).
    engine : {"local", "dask"}
        ``dask``: partitions run as tasks on a Dask cluster (``scheduler``, else a local one of ``jobs`` workers).
    scheduler : str, optional
        Address of a running Dask scheduler.
    partition_size : int
        Articles per partition (memory per worker grows with it).
    cache_dir : path, optional
        The partition cache (default :func:`~alliance_study.report.partitions.cache_root`).
    **params
        The analysis parameters of :data:`alliance_study.defaults.DEFAULTS` (``group_by``,
        ``roles``, ``n_boot``, ``n_perm``, ``seed``, ``level``, ``concordance_terms``);
        missing ones (or None) take the study file's value, else those defaults.

    Examples
    --------
    >>> import tempfile
    >>> t = process_corpus("study.yaml", tempfile.mkdtemp(), n_boot=20, n_perm=20)   # doctest: +SKIP
    >>> sorted(t)[:3]                                                               # doctest: +SKIP
    ['article_measures', 'article_roles', 'articles']
    """
    from ..errors import CorpusError
    from ..metrics import Scorer

    from .progress import Progress

    progress = progress or Progress(enabled=False)
    study = as_study(study, metadata)
    p = _params(on_invalid, params, study)
    processed_dir = Path(processed_dir)
    base = corpus_root(study)
    scorer = Scorer(**study.scorer_kwargs())  # the study's targets and labels (no model loaded here)
    terms = list(p["concordance_terms"])  # empty: the study's target terms (the scorer's targets lexicon)
    ckw = study.corpus_kwargs()
    plan = Plan.make(roles_file=ckw.pop("roles", None), scorer_kwargs=study.scorer_kwargs(),
                     attribution_kwargs=study.attribution_kwargs(), news_sentiment=p["news_sentiment"],
                     group_by=p["group_by"], roles=p["roles"], terms=terms, seed=p["seed"],
                     data_files=data_file_hashes())
    cache = PartitionCache(cache_dir)
    run = PartitionRun(study, p, plan, cache, on_invalid, partition_size, ckw, scheduler)
    n_jobs = jobs or default_jobs()
    total = _known_articles(study)
    if p["news_sentiment"]:  # said when the first partition is to be scored (not when all come from the cache)
        run.before_scoring = lambda: progress.say(
            f"news tone (sentiment_news) is on: a sentence encoder, about {SENTENCES_PER_SECOND} sentences a second "
            f"per core (--jobs N or --engine dask spread it); set parameters: news_sentiment: false to skip it")
    with progress.stage("process partitions") as st:
        results = map_ordered(work, run.tasks(), engine=engine, jobs=n_jobs if engine == "local" else jobs,
                              scheduler=scheduler)
        for index, keys, computed in results:
            run.collect(index, keys, computed)
            if p["news_sentiment"] and run.n_parts == 1 and total and run.n_articles and computed:
                n = total * run.n_sentences / run.n_articles
                progress.say(f"about {n:,.0f} sentences in {total:,} articles: the news tone costs about "
                             f"{n / SENTENCES_PER_SECOND / 60:,.0f} CPU-minutes")
            st.note(f"{run.n_articles:,} articles, {run.n_sentences:,} sentences; {run.reuse_note()}")
    del results  # the pool (or Dask cluster) is shut down once its results are all collected
    if run.failed:
        raise CorpusError(run.problems)
    with progress.stage("compare groups"):
        tables = _compare(run, p)
    if "table_file" in tables["articles"].columns:  # where the corpus lives is no input of the tables
        tables["articles"]["table_file"] = [v if not isinstance(v, str) else corpus_relative(v, *base)
                                            for v in tables["articles"]["table_file"]]
    run.problems.extend(blank_groups(tables["articles"], p["group_by"], base[1]))
    run.problems.extend(near_duplicate_groups(tables["articles"], p["group_by"], base[1]))
    tables["article_roles"] = run.article_roles()
    run.problems.extend(no_body(tables["articles"], tables["article_roles"], base[1]))
    tables["problems"] = problems_frame(run.problems, base)
    if run.problems:  # nothing left out unsaid: said once every warning is known (the loader's and the groups')
        progress.say(problems_summary(run.problems, base))
    tables["cue_counts"] = run.cue_counts()
    out = Tables()
    for name in list(tables):  # one table at a time: never the tidied and the raw copy of all of them
        out[name] = tidy(name, tables.pop(name))
    out.study, out.params = study_labels(study, scorer), {k: p[k] for k in DEFAULTS}
    out.datasets = {name: list(files) for name, files in run.files.items()}
    out.order = run.order
    if write:
        with progress.stage("write tables"):
            write_tables(out, processed_dir, study, p, run.problems)
            out.datasets = {name: sorted((processed_dir / f"{name}.parquet").glob("part-*.parquet"))
                            for name in DATASETS}
    release_memory()
    return out


def _compare(run: PartitionRun, p: dict) -> dict[str, pd.DataFrame]:
    """The comparison tables, then the articles table, with as little held at once as possible.

    The statistics run on the merged pieces (:meth:`~._partition_run.PartitionRun.merged_partials`)
    and the group column of the articles (not the whole articles table); the articles table
    (and, by the caller, the words-per-role table) is read from the partitions' files only
    after the statistics, when their working memory is released.
    """
    from ..compare import finalize

    merged = run.merged_partials()
    groups = run.articles_table(["article_id", p["group_by"]])
    blank = groups.loc[groups[p["group_by"]].isna(), "article_id"].astype(str).tolist()
    if blank and len(blank) == len(groups):
        raise InputError(f"group_by={p['group_by']!r}: the column is blank for every article, so there are no "
                         f"groups to compare. Fix: fill it in the corpus, or set group_by to another column.")
    if blank:  # they cannot be compared: said, not dropped silently
        warnings.warn(f"{len(blank)} article(s) with a blank {p['group_by']!r} are left out of the group "
                      f"comparison (e.g. {', '.join(blank[:5])}); fill the column to include them", stacklevel=2)
    n_groups = int(groups[p["group_by"]].nunique())
    if n_groups > MANY_GROUPS:  # every pair is compared: the work and the report grow as the square
        warnings.warn(f"group_by={p['group_by']!r} has {n_groups} groups: {n_groups * (n_groups - 1) // 2:,} pairs "
                      f"of groups are compared on every measure, which is slow and makes a large report; fix: "
                      f"group by a coarser column (a country, an outlet type), or merge small groups", stacklevel=2)
    tables: dict[str, pd.DataFrame] = dict(finalize(
        merged, groups, group_by=p["group_by"], roles=tuple(p["roles"]) or None, n_boot=p["n_boot"],
        n_perm=p["n_perm"], seed=p["seed"], level=p["level"]))
    del merged, groups
    release_memory()
    tables["articles"] = run.articles_table()
    return tables


def _known_articles(study: Study) -> int | None:
    """The number of rows of a Parquet table corpus (from its metadata), else None (not known up front)."""
    if not study.table or any(f.suffix.lower() != ".parquet" for f in study.table):
        return None
    import pyarrow.parquet as pq

    try:
        return sum(pq.ParquetFile(f).metadata.num_rows for f in study.table)
    except (OSError, ValueError):
        return None


def tables_are_fresh(processed_dir: str | os.PathLike[str], study: Study | str | os.PathLike[str], metadata: str | os.PathLike[str] | None = None, *,
                     on_invalid: str = "fail", **params: Any) -> bool:
    """True when ``processed_dir`` holds tables made from these inputs, parameters, data files and versions.

    ``study`` is what :func:`process_corpus` takes.  Every input file (corpus, the
    study's own lexicons), every packaged data file (lexicons, rules, word lists) and
    the versions of the package and its numeric dependencies must hash or compare
    equal to what the manifest recorded; a manifest without these entries is never fresh.
    """
    processed_dir = Path(processed_dir)
    study = as_study(study, metadata)
    mf = processed_dir / "manifest.json"
    try:
        m = json.loads(mf.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(m, dict) or m.get("parameters") != _params(on_invalid, params, study):
        return False
    # the target and frame labels come from lexicon files whose hashes are checked below;
    # the title and question are the study file's own
    seen = m.get("study") or {}
    if (seen.get("title"), seen.get("question")) != (study.title, study.question):
        return False
    now = provenance(study)
    if any(m.get(key) != value for key, value in now.items()):
        return False
    return all((processed_dir / f"{t}.parquet").exists() for t in m.get("rows", {}))


def load_tables(study: Study | str | os.PathLike[str] = "../study.yaml", processed_dir: str | os.PathLike[str] = "../data/processed",
                metadata: str | os.PathLike[str] | None = None, *, on_invalid: str = "fail", write: bool = True,
                **params: Any) -> Tables:
    """The processed tables for a notebook: read them if still valid, else compute (and write) them.

    ``study`` and ``params`` are those of :func:`process_corpus` (None values: the
    study file's choice).  The tables in ``processed_dir`` are read when
    :func:`tables_are_fresh` (same input files, data files, parameters and package
    versions); otherwise :func:`process_corpus` runs.
    """
    from .display import short_errors

    short_errors()  # a kernel forked from the build's warm helper imported this package before it had a shell
    study = as_study(study, metadata)
    if tables_are_fresh(processed_dir, study, on_invalid=on_invalid, **params):
        folder = Path(processed_dir)
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        datasets = set(m.get("datasets", []))
        out = Tables()
        out.files = {t: folder / f"{t}.parquet" for t in m["rows"] if t not in datasets}
        out.datasets = {t: sorted((folder / f"{t}.parquet").glob("part-*.parquet")) for t in datasets}
        out.study, out.params = m["study"], {k: v for k, v in m["parameters"].items() if k in DEFAULTS}
        return out
    return process_corpus(study, processed_dir, on_invalid=on_invalid, write=write, **params)
