"""The driver's side of processing in partitions: tasks out, results in, in input order.

:func:`~alliance_study.report.process.process_corpus` reads the corpus partition by
partition; :class:`PartitionRun` holds its state meanwhile: it turns each partition into a
:class:`~alliance_study.report.partitions.Task` (or a ready result when the cache has every
step), collects what the workers send back (:func:`work` is what a worker runs), counts
articles, sentences and cache reuse, gathers the problems, and at the end reads back the
merged per-article sums, the articles table, the words per role and the cue counts.
:func:`release_memory` gives the memory of dropped tables back to the system.
"""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pandas as pd

from ..errors import InputError
from ..scale.tasks import Ready
from ..text import group_order
from .partitions import DATASETS, LEVELS, SUMMARY_TABLES, PartitionCache, Plan, Task, partials_from, run_partition, tidy
from .problems import group_by_problem
from .study import Study

if TYPE_CHECKING:
    from ..compare import Partials


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


def work(task: Task) -> tuple[int, dict, dict]:
    """One partition in a worker: ``(index, cache keys, the steps computed)``."""
    computed = run_partition(task)
    # steps the worker cached itself travel back as None: the driver reads what it needs from the cache
    return task.index, task.keys, {k: (None if task.cache else v) for k, v in computed.items() if k not in task.done}


class PartitionRun:
    """The driver's state while partitions are processed: tasks out, results in (in input order).

    Parameters
    ----------
    study : Study
        The study being processed.
    p : dict
        The analysis parameters (``group_by`` ...), checked by
        :func:`~alliance_study.report.process.process_corpus`.
    plan : Plan
        What every partition needs, and the cache keys of its steps' settings.
    cache : PartitionCache
        Where each step of each partition is cached.
    on_invalid : {"fail", "skip"}
        ``fail``: an error in any partition stops the run once every partition was read (all problems said).
    size : int
        Articles per partition.
    reader : dict
        The keyword arguments of :func:`~alliance_study.corpus.partition.iter_partitions` (the study's corpus).
    scheduler : str, optional
        A remote Dask scheduler: its workers send the tables back instead of writing the cache.
    """

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
