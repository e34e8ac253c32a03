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

Example
-------
>>> from alliance_study.report import process_corpus          # doctest: +SKIP
>>> tables = process_corpus("data/raw", "data/processed", group_by="outlet")  # doctest: +SKIP
>>> tables["group_comparison"].head()                          # doctest: +SKIP
"""
from __future__ import annotations

import itertools
import json
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

import pandas as pd

from ..corpus import Problem
from ..corpus.load import NO_BODY_FIX
from ..defaults import DEFAULTS
from ..errors import InputError, ParameterError
from ..metrics.news_sentiment import SENTENCES_PER_SECOND
from ..scale.tasks import Ready, default_jobs, map_ordered
from ..text import INVISIBLE, group_order
from .parameters import analysis_parameters, checked_parameters
from .partitions import (DATASETS, LEVELS, SUMMARY_TABLES, PartitionCache, Plan, Task, partials_from,
                         run_partition, tidy)
from .provenance import data_file_hashes
from .store import PARTITION_SIZE, Tables, corpus_relative, corpus_root, install_processed, provenance, write_tables
from .study import Study, as_study, study_labels

if TYPE_CHECKING:
    from ..compare import Partials
    from .progress import Progress

__all__ = ["process_corpus", "load_tables", "tables_are_fresh", "install_processed", "Tables", "PARTITION_SIZE"]

#: more groups than this get a warning: every pair of groups is compared (the work grows as the square)
MANY_GROUPS = 30
_PROBLEM_COLUMNS = ["file", "line", "row", "severity", "article_id", "reason", "fix", "message"]


def _problems_frame(problems, base: tuple[Path, str]) -> pd.DataFrame:
    """The problems table; paths inside the corpus folder as in :func:`~.store.corpus_relative`."""
    rows = [dict(p.as_dict(), file=corpus_relative(str(p.file or ""), *base), message=corpus_relative(str(p), *base),
                 reason=corpus_relative(p.reason, *base), fix=corpus_relative(p.fix, *base)) for p in problems]
    df = pd.DataFrame(rows, columns=_PROBLEM_COLUMNS)
    for c in ("line", "row"):
        df[c] = pd.array(df[c], dtype="Int64")
    for c in ("file", "severity", "article_id", "reason", "fix", "message"):
        df[c] = df[c].astype("string")
    return df


def group_by_problem(group_by: Any, columns: Iterable[Any]) -> str:
    """The message for a ``group_by`` that names no column: each usable column quoted (a name may hold
    commas), not the article id nor the loader's own ``table_file``/``table_row``; the build and
    ``build --check`` both say it so.

    >>> print(group_by_problem("regoin", ["article_id", "Region, coded (v2)", "table_file", "table_row"]))
    group_by='regoin': no such column in the corpus. Fix: set parameters: group_by in the study file (or -p group_by COLUMN) to one of: 'Region, coded (v2)'.
    """
    from ..corpus.partition import TAIL_COLUMNS

    offered = ", ".join(repr(str(c)) for c in columns if c not in ("article_id", *TAIL_COLUMNS))
    return (f"group_by={group_by!r}: no such column in the corpus. Fix: set parameters: group_by in the study "
            f"file (or -p group_by COLUMN) to one of: {offered or '(no metadata column)'}.")


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
    run = _Run(study, p, plan, cache, on_invalid, partition_size, ckw, scheduler)
    n_jobs = jobs or default_jobs()
    total = _known_articles(study)
    if p["news_sentiment"]:  # said when the first partition is to be scored (not when all come from the cache)
        run.before_scoring = lambda: progress.say(
            f"news tone (sentiment_news) is on: a sentence encoder, about {SENTENCES_PER_SECOND} sentences a second "
            f"per core (--jobs N or --engine dask spread it); set parameters: news_sentiment: false to skip it")
    with progress.stage("process partitions") as st:
        results = map_ordered(_work, run.tasks(), engine=engine, jobs=n_jobs if engine == "local" else jobs,
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
    if run.problems:  # nothing left out unsaid: the rows skipped (--on-invalid skip) and the warnings
        n_err = sum(getattr(q, "severity", "error") == "error" for q in run.problems)
        first = next((q for q in run.problems if getattr(q, "severity", "error") == "error"), run.problems[0])
        progress.say(f"{n_err} unreadable article row(s) skipped and {len(run.problems) - n_err} warning(s) (e.g. "
                     f"{first}); all are listed in problems.csv beside the processed tables and in the report")
    with progress.stage("compare groups"):
        tables = _compare(run, p)
    if "table_file" in tables["articles"].columns:  # where the corpus lives is no input of the tables
        tables["articles"]["table_file"] = [v if not isinstance(v, str) else corpus_relative(v, *base)
                                            for v in tables["articles"]["table_file"]]
    run.problems.extend(_blank_groups(tables["articles"], p["group_by"], base[1]))
    run.problems.extend(_near_duplicate_groups(tables["articles"], p["group_by"], base[1]))
    tables["article_roles"] = run.article_roles()
    run.problems.extend(_no_body(tables["articles"], tables["article_roles"], base[1]))
    tables["problems"] = _problems_frame(run.problems, base)
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


def _article_problem(rec: dict, name: str, reason: str, fix: str) -> Problem:
    """A warning about one article (a row of the articles table), naming its file or table row."""
    table_row = rec.get("table_row")
    file = rec.get("table_file") if table_row is not None else f"{name}/{rec.get('file')}"
    return Problem(str(file or ""), None, reason, fix, severity="warning", article_id=str(rec["article_id"]),
                   row=int(table_row) if table_row is not None and str(table_row).isdigit() else None)


def _blank_groups(articles: pd.DataFrame, group_by: str, name: str) -> list[Problem]:
    """A warning for each article left out of the comparison for want of a ``group_by`` value
    (the problems table and the report's data-quality part list them: nothing is left out unsaid)."""
    if group_by not in articles.columns:
        return []
    blank = articles[articles[group_by].isna()]
    return [_article_problem(r._asdict(), name, f"article {r.article_id!r} has no {group_by!r} value, so it "
                             f"is left out of the group comparison (its sentences are still scored)",
                             f"give it a {group_by!r} value in the corpus, or group by another column")
            for r in blank.itertuples(index=False)]


def _no_body(articles: pd.DataFrame, roles: pd.DataFrame, name: str) -> list[Problem]:
    """A warning for each article with no body sentence (a paywall or error page, a headline-only or
    comment-only file): it is kept, but adds nothing to the body text the comparisons measure."""
    if "n_sentences_body" in roles.columns:
        empty = set(roles.loc[roles["n_sentences_body"] == 0, "article_id"])
    else:
        empty = set(roles["article_id"])
    counts = [c for c in roles.columns if c.startswith("n_sentences_")]
    by_id = roles.set_index("article_id")[counts] if counts else None
    out = []
    for r in articles[articles["article_id"].isin(empty)].itertuples(index=False):
        row = by_id.loc[r.article_id] if by_id is not None and r.article_id in by_id.index else None
        has = ", ".join(f"{c.removeprefix('n_sentences_')} ({int(row[c])})" for c in counts
                        if row is not None and row[c]) or "none"
        out.append(_article_problem(r._asdict(), name, f"article {r.article_id!r} has no body text (its sentences: "
                                    f"{has})", NO_BODY_FIX))
    return out


#: characters a reader cannot see, ignored when group values are compared for near-duplicates
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE), None)


def _near_duplicate_groups(articles: pd.DataFrame, group_by: str, name: str = "") -> list[Problem]:
    """A warning for each set of ``group_by`` values that differ only in case, spacing or invisible
    characters ("Reuters", "reuters", "Reuters\u200b"): each is its own group, which is seldom meant.

    >>> a = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["Reuters", "reuters ", "AP"]})
    >>> [p.reason for p in _near_duplicate_groups(a, "outlet")]  # doctest: +ELLIPSIS
    ["the 'outlet' values 'Reuters', 'reuters ' differ only in case, spacing or invisible characters, ...
    """
    if group_by not in articles.columns:
        return []
    values = articles[group_by].dropna().astype(str).unique().tolist()
    by_key: dict[str, list[str]] = {}
    for v in values:
        by_key.setdefault(" ".join(v.translate(_INVISIBLE).split()).casefold(), []).append(v)
    out = []
    for key in sorted(by_key):
        same = sorted(by_key[key])
        if len(same) > 1:
            out.append(Problem(name, None, f"the {group_by!r} values {', '.join(map(repr, same))} differ only in case, "
                               f"spacing or invisible characters, so they are compared as {len(same)} groups",
                               "write them the same way in the corpus if they are one group",
                               severity="warning"))
    return out


def _compare(run: _Run, p: dict) -> dict[str, pd.DataFrame]:
    """The comparison tables, then the articles table, with as little held at once as possible.

    The statistics run on the merged pieces (:meth:`_Run.merged_partials`) and the group
    column of the articles (not the whole articles table); the articles table (and, by the
    caller, the words-per-role table) is read from the partitions' files only after the
    statistics, when their working memory is released.
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


def release_memory(collect: bool = True) -> None:
    """Give freed memory back to the system.

    glibc's allocator (and Arrow's memory pool) keep freed memory for reuse, so without this
    the resident memory of the build's main process follows the largest tables it ever made
    (every fold of the partitions' pieces makes a new one), not what it still holds; and it
    stays high while the notebooks run beside it.  Call it after dropping large tables.

    Parameters
    ----------
    collect : bool
        Run the garbage collector first.

    Examples
    --------
    >>> release_memory()
    """
    import ctypes
    import gc

    if collect:
        gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover - older pyarrow
        pass
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _known_articles(study: Study) -> int | None:
    """The number of rows of a Parquet table corpus (from its metadata), else None (not known up front)."""
    if not study.table or any(f.suffix.lower() != ".parquet" for f in study.table):
        return None
    import pyarrow.parquet as pq

    try:
        return sum(pq.ParquetFile(f).metadata.num_rows for f in study.table)
    except (OSError, ValueError):
        return None


def _work(task: Task) -> tuple[int, dict, dict]:
    """One partition in a worker: ``(index, cache keys, the steps computed)``."""
    computed = run_partition(task)
    # steps the worker cached itself travel back as None: the driver reads what it needs from the cache
    return task.index, task.keys, {k: (None if task.cache else v) for k, v in computed.items() if k not in task.done}


class _Run:
    """The driver's state while partitions are processed: tasks out, results in (in input order)."""

    def __init__(self, study: Study, p: dict, plan: Plan, cache: PartitionCache, on_invalid: str, size: int,
                 reader: dict, scheduler: str | None = None) -> None:
        self.study, self.p, self.plan, self.cache, self.on_invalid = study, p, plan, cache, on_invalid
        self.size, self.reader = size, reader
        #: the workers write the cache themselves when they can reach it (this machine); a remote Dask
        #: cluster sends the tables back instead
        self.shared_cache: str | None = None if scheduler else str(cache.root)
        self.problems: list = []
        self.failed = False
        #: the partitions' files of articles, of per-article sums and of words per role (in the cache,
        #: read at the end: the driver holds no per-article table while partitions run)
        self.articles: list[Path] = []
        self.summaries: list = []
        self._measures: list[Path] = []
        self._roles: list[Path] = []
        self._cues: list[pd.DataFrame] = []
        self.files: dict[str, list[Path]] = {name: [] for name in DATASETS}
        self.order: list[list[str]] = []
        self.n_articles = self.n_sentences = self.n_cached = self.n_parts = 0
        self.reused = {level: 0 for level in LEVELS}  # partitions whose step came from the cache
        self.before_scoring: Callable[[], None] | None = None

    def tasks(self):
        from ..corpus.partition import iter_partitions

        for part in iter_partitions(**self.reader, size=self.size):
            group_by = self.p["group_by"]
            if group_by not in part.columns:
                raise InputError(group_by_problem(group_by, part.columns))
            self.problems.extend(part.problems)
            if self.on_invalid == "fail" and any(getattr(q, "severity", "error") == "error" for q in part.problems):
                self.failed = True
            if self.failed:
                continue  # keep reading: every problem is reported
            keys = self.plan.keys(part.content_hash)
            self.order.append([a.article_id for a in part.articles])
            if all(self.cache.has(level, keys[level]) for level in LEVELS):
                yield Ready((part.index, keys, {}))
                continue
            done = {}
            for level in ("split", "score"):
                got = self.cache.get(level, keys[level])
                if got is None:
                    break
                done[level] = got
            if "score" not in done and self.before_scoring is not None:
                self.before_scoring()
                self.before_scoring = None
            yield Task(part.index, part, self.plan, keys, done, self.shared_cache)

    def reuse_note(self) -> str:
        """What came from the cache: "all 3 partitions from the cache", or per step ("split reused 3 of 3 ...")."""
        if self.n_cached == self.n_parts:
            return f"all {self.n_parts} partition(s) from the cache"
        if not any(self.reused.values()):
            return f"{self.n_parts} partition(s) processed, none from the cache"
        names = {"split": "split", "score": "scores", "summary": "summaries"}
        return "from the cache: " + ", ".join(f"{names[level]} {self.reused[level]} of {self.n_parts}"
                                              for level in LEVELS)

    def collect(self, index: int, keys: dict, computed: dict) -> None:
        from ..compare import merge_partials

        self.n_parts += 1
        self.n_cached += not computed
        for level in LEVELS:
            self.reused[level] += level not in computed
        for level, tables in computed.items():
            if tables is not None:
                self.cache.put(level, keys[level], tables)
        split = self.cache.folder("split", keys["split"])
        score = self.cache.folder("score", keys["score"])
        summary = self.cache.folder("summary", keys["summary"])
        import pyarrow.parquet as pq

        articles = pq.read_table(split / "articles.parquet",   # counted, not kept (read again at the end)
                                 columns=[c for c in ("article_id", "n_sentences")
                                          if c in pq.read_schema(split / "articles.parquet").names])
        self.articles.append(split / "articles.parquet")
        self.n_articles += articles.num_rows
        self.files["segments"].append(split / "segments.parquet")
        self.files["sentences"].append(score / "sentences.parquet")
        self.files["sources"].append(score / "sources.parquet")
        self.n_sentences += int(articles["n_sentences"].to_numpy().sum()) if "n_sentences" in articles.column_names \
            else 0
        s = {name: pd.read_parquet(summary / f"{name}.parquet") for name in SUMMARY_TABLES if name != "article_roles"}
        self._measures.append(summary / "article_measures.parquet")
        s["article_measures"] = s["article_measures"].iloc[:0]  # its rows are merged once, at the end
        self._roles.append(summary / "article_roles.parquet")
        self._cues.append(s.pop("cue_counts"))
        self.summaries.append(partials_from(s))
        if len(self.summaries) >= 16:  # fold as we go: memory follows the merged size, not the corpus
            self.summaries = [merge_partials(self.summaries)]
            release_memory(collect=False)
        if len(self._cues) >= 16:
            self._cues = [self.cue_counts()]

    def merged_partials(self) -> Partials:
        """The partitions' pieces merged into one (and dropped), with the per-article sums read
        from the partitions' files and merged once: one sort, one check for articles in two partitions."""
        from dataclasses import replace

        from ..compare import merge_partials

        merged = merge_partials(self.summaries)
        self.summaries = []
        if not self._measures:
            return merged
        empty = {name: getattr(merged, name).iloc[:0]
                 for name in ("term_counts", "concordance", "sourcing_counts", "sentence_sample")}
        return merge_partials(itertools.chain(
            [merged], (replace(merged, article_measures=pd.read_parquet(f), **empty) for f in self._measures)))

    def articles_table(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The articles of every partition (``columns`` of them), sorted by id."""
        if not self.articles:
            return pd.DataFrame(columns=columns or ["article_id", self.p["group_by"]])
        return tidy("articles", pd.concat([pd.read_parquet(f, columns=columns) for f in self.articles],
                                          ignore_index=True))

    def article_roles(self) -> pd.DataFrame:
        if not self._roles:
            return pd.DataFrame({"article_id": pd.Series([], dtype="string")})
        out = pd.concat([pd.read_parquet(f) for f in self._roles], ignore_index=True)
        words = sorted(c for c in out.columns if c != "article_id")
        out[words] = out[words].fillna(0).astype("int64")
        return out[["article_id"] + words]

    def cue_counts(self) -> pd.DataFrame:
        if not self._cues:
            return pd.DataFrame(columns=["group", "column", "cue", "count"])
        c = pd.concat(self._cues, ignore_index=True)
        c = c.groupby(["group", "column", "cue"], sort=True)["count"].sum().reset_index()
        c["count"] = c["count"].astype("int64")
        # groups in the order of every other table (1, 2, 10)
        return c.sort_values("group", key=group_order(c), kind="mergesort").reset_index(drop=True)


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
