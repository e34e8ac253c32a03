"""Processing in partitions: each run of articles split, scored, attributed and summarised on its own.

A corpus is read as partitions of ``partition_size`` articles in input order
(:func:`alliance_study.corpus.partition.iter_partitions`).  Each partition goes
through three steps, each cached on disk by content (:class:`PartitionCache`, in
:mod:`~alliance_study.report.partition_cache`):

======== ===================================================== ==========================================
step     makes                                                  cache key: the previous key plus ...
======== ===================================================== ==========================================
split    articles, segments, sentences (text, role, offsets)    the articles (ids, texts, metadata), the
                                                                role rules, the package's code and version,
                                                                the versions of the packages that make
                                                                results (``RESULT_PACKAGES``)
score    sentences with every metric, sources (attributions)    the lexicons, actor table and attribution
                                                                rules, the packaged data files, news tone on/off
summary  per-article sums (``article_measures``), term counts,  the analysis parameters (group_by, roles,
         concordance and sentence samples, sourcing counts,     concordance terms, seed)
         words per role, cue counts
======== ===================================================== ==========================================

So a second build with nothing changed reads every partition from the cache; a
changed lexicon re-scores without re-splitting; a changed article reprocesses its
partition only; a changed ``group_by`` only re-summarises.  :func:`run_partition` is
the work of one partition (it runs in a worker process or on a Dask worker);
the driver (:func:`alliance_study.report.process_corpus`) merges the summaries.  A
partition has a time limit (:mod:`~alliance_study.report.time_limits`): past it the build
stops with :class:`PartitionTimeout`, on every engine.

The cache lives in ``$ALLIANCE_STUDY_CACHE``, else ``$XDG_CACHE_HOME/alliance-study``,
else ``~/.cache/alliance-study``; deleting it is always safe.

>>> cache_root().name
'alliance-study'
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import resources
from ..resources import CACHE_ENV, cache_root  # noqa: F401  (re-exported: the processing cache lives there)
# re-exported: the cache of the partitions' steps, and their time limit, have their own modules
from .partition_cache import LEVELS, CacheDamaged, PartitionCache, check_cached_copy, damage, drop_entry  # noqa: F401
from .time_limits import TIME_LIMIT_ENV, PartitionTimeout, partition_time_limit, time_limit, timed_out_message  # noqa: F401

__all__ = ["Plan", "Task", "PartitionCache", "CacheDamaged", "check_cached_copy", "damage", "drop_entry", "cache_root",
           "run_partition", "code_hash", "tidy", "LEVELS", "DATASETS", "SUMMARY_TABLES", "partials_from",
           "corpus_relative", "PartitionTimeout", "partition_time_limit", "time_limit", "TIME_LIMIT_ENV"]

#: tables written as partitioned Parquet datasets (one file per partition)
DATASETS = ("segments", "sentences", "sources")
#: the summary tables merged by the driver
SUMMARY_TABLES = LEVELS["summary"]


def partials_from(tables: dict[str, pd.DataFrame]):
    """The :class:`~alliance_study.compare.Partials` of a cached summary step (its tables are popped)."""
    from ..compare import Partials

    scalars = json.loads(tables.pop("partials_params")["json"].iloc[0])
    if isinstance(scalars.get("roles"), list):
        scalars["roles"] = tuple(scalars["roles"])
    names = {f.name for f in dataclasses.fields(Partials)}
    return Partials(**{k: v for k, v in tables.items() if k in names}, **scalars)

#: table name -> sort keys (rows are sorted so that output bytes never depend on dict/hash order)
SORT_KEYS = {
    "articles": ["article_id"],
    "article_roles": ["article_id"],
    "segments": ["article_id", "seg_id"],
    "sentences": ["article_id", "sent_id"],
    "sources": ["article_id", "sent_id", "quote_start"],
    "problems": ["file", "line", "reason"],
}


def corpus_relative(text: str, raw_dir: Path, name: str = "raw") -> str:
    """Paths inside the corpus folder as ``<name>/<file>``: tables must not depend on where the corpus lives.

    ``name`` is ``raw`` for a folder corpus and ``table`` for a table (as the manifest's inputs name them).

    >>> corpus_relative("/data/x/a.txt: empty file", Path("/data/x"))
    'raw/a.txt: empty file'
    """
    for prefix in {str(raw_dir), str(raw_dir.resolve())}:
        text = text.replace(prefix + os.sep, f"{name}/").replace(prefix, name)
    return text


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-256 of the package's Python source and version: a code change invalidates cached partitions."""
    from importlib import metadata

    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(metadata.version("alliance-study").encode())
    for f in sorted(root.rglob("*.py")):
        if "notebooks" in f.relative_to(root).parts:
            continue
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _hash(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _file_hash(path: str | None) -> str | None:
    return resources.content_hash(Path(path)) if path else None


@dataclass(frozen=True)
class Plan:
    """What every partition needs (small and picklable), and the cache keys of its steps' settings."""

    roles_file: str | None
    scorer_kwargs: dict
    attribution_kwargs: dict
    news_sentiment: bool
    group_by: str
    roles: tuple
    terms: tuple
    seed: int
    split_key: str = ""
    score_key: str = ""
    summary_key: str = ""

    @classmethod
    def make(cls, *, roles_file, scorer_kwargs, attribution_kwargs, news_sentiment, group_by, roles, terms, seed,
             data_files: dict) -> "Plan":
        """A plan whose keys hash the settings and the contents of every file they name."""
        from .provenance import RESULT_PACKAGES, package_versions

        # an upgraded pandas, onnxruntime ... recomputes every partition, as a cold build would
        split = _hash("split", code_hash(), package_versions(RESULT_PACKAGES), _file_hash(roles_file),
                      data_files.get("lexicons/roles.yaml"), data_files.get("lexicons/abbreviations.txt"))
        score = _hash("score", split, {k: _file_hash(v) for k, v in sorted(scorer_kwargs.items())},
                      {k: _file_hash(v) for k, v in sorted(attribution_kwargs.items())}, data_files, news_sentiment)
        summary = _hash("summary", score, group_by, list(roles), list(terms), seed)
        return cls(roles_file, dict(scorer_kwargs), dict(attribution_kwargs), bool(news_sentiment), group_by,
                   tuple(roles), tuple(terms), int(seed), split, score, summary)

    def keys(self, content_hash: str) -> dict[str, str]:
        """The cache key of each step for a partition with this content."""
        return {level: _hash(level, content_hash, getattr(self, f"{level}_key")) for level in LEVELS}


@dataclass
class Task:
    """One partition to process: its raw articles and what the cache already had."""

    index: int
    raw: Any                      # corpus.partition.RawPartition
    plan: Plan
    keys: dict                    # step -> cache key (Plan.keys)
    done: dict = dataclasses.field(default_factory=dict)   # step -> {table: DataFrame} found in the cache
    cache: str | None = None      # the worker writes its steps there itself (a cache it can reach)

    @property
    def what(self) -> str:
        """The partition as messages name it: ``partition 3 (articles a-17 to a-24)``."""
        articles = self.raw.articles
        if not articles:
            return f"partition {self.index + 1}"
        return f"partition {self.index + 1} (articles {articles[0].article_id} to {articles[-1].article_id})"

    @property
    def time_limit(self) -> float:
        """Seconds this partition may take (:func:`partition_time_limit`): the worker's clock and the
        driver's (:func:`alliance_study.scale.tasks.map_ordered` reads this attribute) both hold it."""
        return partition_time_limit(len(self.raw.articles))

    def timed_out(self, seconds: float) -> PartitionTimeout:
        """The error of this partition stopped after ``seconds`` (what the driver raises)."""
        return PartitionTimeout(timed_out_message(self.what, seconds))


def tidy(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Lists in cells as ``;``-joined strings, text columns as ``str``, rows sorted by the table's keys.

    A column of text (or of nothing but missing values) always gets pandas' ``str``
    dtype, so that every partition of a table has the same schema even when one
    partition has no value in a column.
    """
    df = df.copy()
    for c in df.columns:
        if df[c].dtype != object:
            continue
        if df[c].map(lambda v: isinstance(v, (list, tuple, set))).any():
            df[c] = df[c].map(lambda v: ";".join(map(str, sorted(v) if isinstance(v, set) else v))
                              if isinstance(v, (list, tuple, set)) else v)
        if df[c].map(lambda v: v is None or isinstance(v, str) or v != v).all():
            df[c] = df[c].astype("str")
    keys = [k for k in SORT_KEYS.get(name, []) if k in df.columns]
    if keys and len(df):
        df = df.sort_values(keys, kind="mergesort", na_position="last")
    return df.reset_index(drop=True)


# ---------------------------------------------------------------- the work of one partition (in a worker)

_WORKER: dict[str, Any] = {}


def _scorer(plan: Plan):
    from ..metrics import Scorer

    if _WORKER.get("score_key") != plan.score_key:
        _WORKER.update(score_key=plan.score_key,
                       scorer=Scorer(**plan.scorer_kwargs, news_sentiment=plan.news_sentiment))
    return _WORKER["scorer"]


def _corpus(task: Task, split: dict):
    from ..corpus import Corpus

    raw = task.raw
    texts = {a.article_id: a.text for a in raw.articles}
    return Corpus(articles=split["articles"], segments=split["segments"], sentences=split["sentences"],
                  problems=[], raw_dir=Path("."), metadata_path=Path("."), _texts=texts)


def _article_roles(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences and words per role and article, wide: ``article_id, n_sentences_<role>..., n_words_<role>...``."""
    g = sentences.groupby(["article_id", "role"], sort=True)
    wide = pd.concat({"n_sentences": g.size(), "n_words": g["n_words"].sum()}, axis=1).unstack("role", fill_value=0)
    wide = wide.reindex(pd.Index(articles["article_id"], name="article_id"), fill_value=0)
    wide.columns = [f"{what}_{role}" for what, role in wide.columns]
    out = wide.reset_index()
    for c in out.columns[1:]:
        out[c] = out[c].astype("int64")
    return out


def _cue_counts(own: pd.DataFrame, group_by: str) -> pd.DataFrame:
    """``group, column, cue, count`` for every ``;``-joined cue column of the sentences in the roles."""
    from .display import cue_counts

    frames = [cue_counts(own, column, group_by, top=None).assign(column=column).rename(columns={group_by: "group"})
              for column in sorted(c for c in own.columns if c.endswith("_cues"))]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["group", "cue", "count", "column"])
    out = out[["group", "column", "cue", "count"]].astype({"group": str, "column": str, "cue": str, "count": "int64"})
    return out.sort_values(["group", "column", "cue"], kind="mergesort").reset_index(drop=True)


def run_partition(task: Task) -> dict[str, dict[str, pd.DataFrame]]:
    """Split, score and summarise one partition (the steps the cache did not have), within its
    time limit (:func:`partition_time_limit`).

    Returns ``{step: {table: DataFrame}}`` for every step, cached or computed; with
    ``task.cache`` the computed steps are also written to that cache.
    """
    with time_limit(task.time_limit, task.what):
        return _run_partition(task)


def _run_partition(task: Task) -> dict[str, dict[str, pd.DataFrame]]:
    from ..compare import partials
    from ..corpus.partition import build_partition
    from ..metrics import score_sentences
    from ..metrics.attribution import attributions

    plan, out = task.plan, dict(task.done)
    if "split" not in out:
        c = build_partition(task.raw, roles=plan.roles_file)
        root = getattr(task.raw, "root", "")
        if root and "table_file" in c.articles.columns:  # as the outputs say it: where the study lives is no input
            c.articles["table_file"] = [corpus_relative(v, Path(root), "table") if isinstance(v, str) else v
                                        for v in c.articles["table_file"]]
        out["split"] = {"articles": tidy("articles", c.articles), "segments": tidy("segments", c.segments),
                        "sentences": tidy("sentences", c.sentences)}
    split = out["split"]
    if "score" not in out:
        corpus = _corpus(task, split)
        sentences = score_sentences(split["sentences"], _scorer(plan))
        sources = attributions(corpus, **plan.attribution_kwargs)
        out["score"] = {"sentences": tidy("sentences", sentences), "sources": tidy("sources", sources)}
    if "summary" not in out:
        sentences, sources, articles = out["score"]["sentences"], out["score"]["sources"], split["articles"]
        p = partials(sentences, articles, sources, group_by=plan.group_by, roles=plan.roles or None,
                     terms=list(plan.terms) or _scorer(plan).targets, seed=plan.seed)
        summary = {f.name: getattr(p, f.name) for f in dataclasses.fields(p)
                   if isinstance(getattr(p, f.name), pd.DataFrame)}
        scalars = {f.name: getattr(p, f.name) for f in dataclasses.fields(p) if f.name not in summary}
        summary["partials_params"] = pd.DataFrame({"json": [json.dumps(scalars, sort_keys=True, default=list)]})
        own = sentences[sentences["role"].isin(plan.roles)] if plan.roles else sentences
        own = own.merge(articles[["article_id", plan.group_by]], on="article_id", how="left")
        summary["article_roles"] = _article_roles(articles, sentences)
        summary["cue_counts"] = _cue_counts(own, plan.group_by)
        out["summary"] = summary
    if task.cache is not None:
        cache = PartitionCache(task.cache)
        for level in LEVELS:
            if level not in task.done:
                cache.put(level, task.keys[level], out[level])
    return out
