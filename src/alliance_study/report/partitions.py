"""Processing in partitions: each run of articles split, scored, attributed and summarised on its own.

A corpus is read as partitions of ``partition_size`` articles in input order
(:func:`alliance_study.corpus.partition.iter_partitions`).  Each partition goes
through three steps, each cached on disk by content (:class:`PartitionCache`):

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
the driver (:func:`alliance_study.report.process_corpus`) merges the summaries.

The cache lives in ``$ALLIANCE_STUDY_CACHE``, else ``$XDG_CACHE_HOME/alliance-study``,
else ``~/.cache/alliance-study``; deleting it is always safe.

>>> cache_root().name
'alliance-study'
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from .. import resources
from ..resources import CACHE_ENV, cache_root  # noqa: F401  (re-exported: the processing cache lives there)
from ..errors import BuildError, InputError
from ..io import sha256_file, write_table

__all__ = ["Plan", "Task", "PartitionCache", "CacheDamaged", "check_cached_copy", "damage", "drop_entry", "cache_root", "run_partition", "code_hash", "tidy", "LEVELS",
           "DATASETS", "SUMMARY_TABLES", "partials_from", "corpus_relative"]

#: tables of each cached step
LEVELS = {
    "split": ("articles", "segments", "sentences"),
    "score": ("sentences", "sources"),
    "summary": ("article_measures", "term_counts", "concordance", "sourcing_counts", "sentence_sample",
                "article_roles", "cue_counts", "partials_params"),
}
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


class PartitionCache:
    """Tables of a partition's steps on disk: ``ROOT/<step>/<key[:2]>/<key>/<table>.parquet``.

    An entry is written into a temporary folder and renamed into place, so a reader
    sees a whole entry or none; its ``complete`` marker records each table's size and
    SHA-256.  An entry found damaged (a table missing, of another size, or not Parquet
    at both ends: a full disk, a copy cut short, an edit) is said in a warning naming it,
    removed, and its step computed again; a table copied from the cache is checked
    against its SHA-256 (:func:`check_cached_copy`).
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else cache_root()

    def folder(self, level: str, key: str) -> Path:
        return self.root / level / key[:2] / key

    def _whole(self, level: str, key: str) -> bool:
        """Whether the entry is there and sound; a damaged one is removed (and said)."""
        folder = self.folder(level, key)
        if not (folder / "complete").is_file():
            return False
        why = damage(folder, LEVELS[level])
        if why is None:
            return True
        drop_entry(folder, why)
        return False

    def has(self, level: str, key: str) -> bool:
        return self._whole(level, key)

    def get(self, level: str, key: str) -> dict[str, pd.DataFrame] | None:
        if not self._whole(level, key):
            return None
        folder = self.folder(level, key)
        try:
            return {name: pd.read_parquet(folder / f"{name}.parquet") for name in LEVELS[level]}
        except (OSError, ValueError) as exc:  # damaged inside: recomputed
            drop_entry(folder, f"unreadable ({type(exc).__name__}: {exc})")
            return None

    def put(self, level: str, key: str, tables: dict[str, pd.DataFrame]) -> Path:
        folder = self.folder(level, key)
        if (folder / "complete").is_file():
            return folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}.", dir=folder.parent))
        try:
            files = {}
            for name in LEVELS[level]:
                path = tmp / f"{name}.parquet"
                write_table(tables[name], path)
                files[path.name] = {"size": path.stat().st_size, "sha256": sha256_file(path)}
            (tmp / "complete").write_text(json.dumps({"files": files}, sort_keys=True) + "\n", encoding="utf-8")
            try:
                os.replace(tmp, folder)
            except OSError:  # another build wrote it meanwhile: theirs is the same
                shutil.rmtree(tmp, ignore_errors=True)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return folder


def _recorded(folder: Path) -> dict[str, dict]:
    """What an entry's ``complete`` marker records of its files (nothing for an entry of an older version)."""
    try:
        files = json.loads((folder / "complete").read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def damage(folder: Path, tables) -> str | None:
    """What is wrong with the cache entry ``folder`` holding ``tables``, or None when it looks whole.

    Cheap: sizes against the marker and Parquet's magic bytes at both ends of each file.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> c = PartitionCache(d)
    >>> f = c.put("score", "ab" * 32, {"sentences": pd.DataFrame({"a": [1]}), "sources": pd.DataFrame({"b": [2]})})
    >>> damage(f, LEVELS["score"]) is None
    True
    >>> with open(f / "sources.parquet", "r+b") as fh:
    ...     _ = fh.truncate(100)
    >>> damage(f, LEVELS["score"])
    'sources.parquet: 100 bytes, written as ... bytes'
    """
    recorded = _recorded(folder)
    for name in tables:
        path = folder / f"{name}.parquet"
        try:
            size = path.stat().st_size
            with open(path, "rb") as fh:
                head = fh.read(4)
                fh.seek(max(0, size - 4))
                tail = fh.read(4)
        except OSError:
            return f"{path.name}: missing"
        want = recorded.get(path.name, {}).get("size") if isinstance(recorded.get(path.name), dict) else None
        if want is not None and size != want:
            return f"{path.name}: {size} bytes, written as {want} bytes"
        if size < 12 or head != b"PAR1" or tail != b"PAR1":
            return f"{path.name}: not a whole Parquet file"
    return None


def drop_entry(folder: Path, why: str) -> None:
    """Remove a damaged cache entry, saying which and why (its step is computed again)."""
    import warnings

    warnings.warn(f"{folder}: damaged cache entry ({why}); it was removed and its partition is computed again",
                  stacklevel=3)
    shutil.rmtree(folder, ignore_errors=True)


def check_cached_copy(source: Path, digest: str) -> None:
    """Raise :class:`CacheDamaged` when ``digest`` (the SHA-256 of a copy of the cached table ``source``) is not
    what the cache entry recorded when it was written; the entry is removed, so the next build recomputes it."""
    want = _recorded(source.parent).get(source.name, {})
    if isinstance(want, dict) and want.get("sha256") not in (None, digest):
        shutil.rmtree(source.parent, ignore_errors=True)
        raise CacheDamaged(
            f"{source}: this table of the partition cache changed after it was written (its SHA-256 is not the "
            f"recorded one), so the tables made from it cannot be trusted; the entry {source.parent} was removed. "
            f"Fix: run the build again (it computes that partition again); if it happens again, delete the cache "
            f"folder {source.parent.parent.parent.parent} (always safe).")


class CacheDamaged(BuildError):
    """A table read from the partition cache is not what was written there (the message names it)."""


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


#: seconds a partition may take before the build stops it: this much, plus TIME_PER_ARTICLE for each article
TIME_BASE = 900.0
TIME_PER_ARTICLE = 2.0
#: environment variable setting the limit in seconds instead (0: none)
TIME_LIMIT_ENV = "ALLIANCE_STUDY_PARTITION_TIMEOUT"


class PartitionTimeout(InputError):
    """A partition ran past its time limit (:func:`time_limit`)."""


def partition_time_limit(n_articles: int) -> float:
    """Seconds one partition of ``n_articles`` may take: generous (a partition of 2,000 news
    articles takes well under a minute), only there so that a build never hangs.

    >>> partition_time_limit(2000)
    4900.0
    """
    value = os.environ.get(TIME_LIMIT_ENV, "").strip()
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            raise InputError(f"{TIME_LIMIT_ENV}={value!r} is not a number of seconds. Fix: set it to e.g. 3600, "
                             f"or 0 for no limit, or unset it.") from None
    return TIME_BASE + TIME_PER_ARTICLE * n_articles


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise :class:`PartitionTimeout` if the block runs longer than ``seconds`` (0: no limit).

    Python's regular expressions cannot be stopped from outside a match, but they check for
    signals: a timer signal stops a rule that backtracks without end.  Only in a process's
    main thread (local workers and ``--jobs 1``; not in Dask's worker threads), on POSIX.
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise PartitionTimeout(
            f"{what} ran longer than {seconds:g} s and was stopped. A rule's regular expression (roles.yaml, or "
            f"the context rules of a lexicon) may be backtracking without end on a long line, or an article is "
            f"extremely long. Fix: check the rules the study edited (e.g. (\\w+\\s?)+ -> (\\w+\\s)+) and the "
            f"longest articles; to allow more time, set {TIME_LIMIT_ENV} (seconds).")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_partition(task: Task) -> dict[str, dict[str, pd.DataFrame]]:
    """Split, score and summarise one partition (the steps the cache did not have), within its
    time limit (:func:`partition_time_limit`).

    Returns ``{step: {table: DataFrame}}`` for every step, cached or computed; with
    ``task.cache`` the computed steps are also written to that cache.
    """
    articles = task.raw.articles
    what = (f"partition {task.index + 1} (articles {articles[0].article_id} to {articles[-1].article_id})"
            if articles else f"partition {task.index + 1}")
    with time_limit(partition_time_limit(len(articles)), what):
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
