"""Process a corpus into the tables the notebooks and the report read.

:func:`process_corpus` loads the corpus, scores every sentence, finds who is quoted,
compares the groups and writes, atomically and byte-for-byte reproducibly:

==================  =====================================================  =========
table               one row per                                            formats
==================  =====================================================  =========
articles            article (metadata + counts + sha256)                   parquet, csv
segments            segment (headline, body paragraph, comment ...)        parquet, csv
sentences           sentence, with every metric column                     parquet, csv
sources             attributed statement (speaker, verb, direct quote ...) parquet, csv
sourcing            group x speaker (quotes, direct/indirect, share)       parquet, csv
sourcing_by_type    group x speaker type                                   parquet, csv
group_comparison    group x metric (estimate, CI, n, p-value, small_n)     parquet, csv
group_differences   pair of groups x metric                                parquet, csv
keyness             group x term (count, log-odds z)                       parquet, csv
concordance         keyword hit (left, keyword, right)                     parquet, csv
problems            problem found while reading (skipped files, warnings)  parquet, csv
==================  =====================================================  =========

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

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import pandas as pd

from ..defaults import DEFAULTS
from ..errors import InputError
from ..io import sha256_file, write_json_atomic, write_table
from .parameters import analysis_parameters
from .provenance import RESULT_PACKAGES, data_file_hashes, package_versions, study_input_hashes
from .study import Study, as_study, study_labels

if TYPE_CHECKING:
    from .progress import Progress

__all__ = ["process_corpus", "load_tables", "tables_are_fresh", "install_processed", "Tables", "TABLES"]

#: table name -> sort keys (rows are sorted so that output bytes never depend on dict/hash order)
TABLES = {
    "articles": ["article_id"],
    "segments": ["article_id", "seg_id"],
    "sentences": ["article_id", "sent_id"],
    "sources": ["article_id", "sent_id", "quote_start"],
    "problems": ["file", "line", "reason"],
    # the comparison tables come sorted from alliance_study.compare (groups sorted, fixed metric order)
}
_PROBLEM_COLUMNS = ["file", "line", "severity", "article_id", "reason", "fix", "message"]


class Tables(dict):
    """A dict of DataFrames that also allows ``tables.sentences``.

    ``tables.study`` describes the study the tables were made for (title, question,
    target label, frame labels) and ``tables.params`` the analysis parameters used.

    >>> Tables(a=1).a
    1
    """

    study: dict = {}
    params: dict = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _relative(text: str, raw_dir: Path) -> str:
    """Paths inside the corpus folder as ``raw/<file>``: tables must not depend on where the corpus lives."""
    for prefix in {str(raw_dir), str(raw_dir.resolve())}:
        text = text.replace(prefix + os.sep, "raw/").replace(prefix, "raw")
    return text


def _problems_frame(problems, raw_dir: Path) -> pd.DataFrame:
    rows = [dict(p.as_dict(), file=_relative(str(p.file or ""), raw_dir), message=_relative(str(p), raw_dir))
            for p in problems]
    df = pd.DataFrame(rows, columns=_PROBLEM_COLUMNS)
    df["line"] = pd.array(df["line"], dtype="Int64")
    for c in ("file", "severity", "article_id", "reason", "fix", "message"):
        df[c] = df[c].astype("string")
    return df


def _sorted(name: str, df: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in TABLES.get(name, []) if k in df.columns]
    if keys and len(df):
        df = df.sort_values(keys, kind="mergesort", na_position="last")
    return df.reset_index(drop=True)


def _listify(df: pd.DataFrame) -> pd.DataFrame:
    """Lists/tuples/sets in cells -> ';'-joined strings (CSV-friendly, stable)."""
    for c in df.columns:
        if df[c].dtype == object and df[c].map(lambda v: isinstance(v, (list, tuple, set))).any():
            df[c] = df[c].map(lambda v: ";".join(map(str, sorted(v) if isinstance(v, set) else v))
                              if isinstance(v, (list, tuple, set)) else v)
    return df


def _compare_tables(sentences, articles, sources, p: Mapping[str, Any], targets=None) -> dict:
    from ..compare import (compare_groups, compare_pairs, concordance, keyness, sourcing_by_type,
                           sourcing_profile)

    roles = tuple(p["roles"]) if p["roles"] else None
    group_by = p["group_by"]
    est = dict(group_by=group_by, roles=roles, attributions=sources, n_boot=p["n_boot"], n_perm=p["n_perm"],
               seed=p["seed"], level=p["level"])
    terms = list(p["concordance_terms"]) or targets
    return {
        "group_comparison": compare_groups(sentences, articles, **est),
        "group_differences": compare_pairs(sentences, articles, **est),
        "keyness": keyness(sentences, articles, group_by=group_by, roles=roles),
        "concordance": concordance(sentences, articles, terms=terms, group_by=group_by, roles=roles),
        "sourcing": sourcing_profile(sources, articles, group_by=group_by, roles=roles),
        "sourcing_by_type": sourcing_by_type(sources, articles, group_by=group_by, roles=roles),
    }


def _params(on_invalid: str, params: Mapping[str, Any], study: Study | None = None) -> dict:
    """Analysis parameters: the package defaults, then the study file's, then ``params`` (None = not set)."""
    unknown = sorted(set(params) - set(DEFAULTS))
    if unknown:
        raise InputError(f"unknown processing parameter(s) {', '.join(unknown)}. "
                         f"Fix: use only {', '.join(DEFAULTS)}.")
    chosen = {k: v for k, v in (study.parameters if study is not None else {}).items() if k in DEFAULTS}
    chosen.update({k: v for k, v in params.items() if v is not None})
    p = analysis_parameters(chosen)
    p.update(roles=list(p["roles"] or []), concordance_terms=list(p["concordance_terms"] or []),
             n_boot=int(p["n_boot"]), n_perm=int(p["n_perm"]), seed=int(p["seed"]), level=float(p["level"]),
             news_sentiment=bool(p["news_sentiment"]),
             on_invalid=on_invalid)
    return p


def process_corpus(study: Study | str | os.PathLike[str], processed_dir: str | os.PathLike[str], metadata: str | os.PathLike[str] | None = None, *,
                   on_invalid: str = "fail", write: bool = True, progress: Progress | None = None,
                   **params: Any) -> Tables:
    """A study's corpus -> processed tables (returned, and written to ``processed_dir`` when ``write``).

    Parameters
    ----------
    study : Study, path of a study file, or corpus folder
        What to process: a :class:`~alliance_study.report.study.Study`, a ``study.yaml``
        (its corpus, lexicons and parameters), or a folder of article files with its
        metadata table (package lexicons).
    processed_dir : path
        Output folder: ``<table>.parquet`` and ``<table>.csv`` for each table, ``manifest.json``.
    metadata : path, optional
        The metadata table of a corpus folder (default ``FOLDER/articles.csv``).
    on_invalid : "fail" or "skip"
        Passed to :func:`alliance_study.load_corpus`.
    write : bool
        False: return the tables without writing anything.
    progress : alliance_study.report.progress.Progress, optional
        Where the time of each stage (load, score, compare, write) is shown; default: nowhere.
    **params
        The analysis parameters of :data:`alliance_study.defaults.DEFAULTS` (``group_by``,
        ``roles``, ``n_boot``, ``n_perm``, ``seed``, ``level``, ``concordance_terms``);
        missing ones (or None) take the study file's value, else those defaults.

    Examples
    --------
    >>> import tempfile
    >>> t = process_corpus("study.yaml", tempfile.mkdtemp(), n_boot=20, n_perm=20)   # doctest: +SKIP
    >>> sorted(t)[:3]                                                               # doctest: +SKIP
    ['articles', 'concordance', 'group_comparison']
    """
    from ..corpus import load_corpus
    from ..metrics import Scorer, score_sentences
    from ..metrics.attribution import attributions

    from .progress import Progress

    progress = progress or Progress(enabled=False)
    study = as_study(study, metadata)
    p = _params(on_invalid, params, study)
    processed_dir = Path(processed_dir)
    base = _corpus_root(study)
    with progress.stage("load corpus") as st:
        corpus = load_corpus(**study.corpus_kwargs(), on_invalid=on_invalid)
        articles = corpus.articles.copy()
        st.note(f"{len(articles)} articles, {len(corpus.sentences)} sentences")
    if p["group_by"] not in articles.columns:
        raise InputError(f"group_by={p['group_by']!r}: no such column in the corpus. "
                         f"Fix: set parameters: group_by in the study file (or -p group_by COLUMN) to one of: "
                         f"{', '.join(map(str, articles.columns))}.")
    if p["news_sentiment"]:
        n = len(corpus.sentences)
        progress.say(f"news tone (sentiment_news) for {n:,} sentences: about {n / 100 / 60:.1f} CPU-minutes "
                     f"(100 sentences/s per core; `alliance-study score --news-sentiment --engine dask` spreads it over a "
                     f"cluster); set parameters: news_sentiment: false to skip it")
    with progress.stage("score sentences"):
        scorer = Scorer(**study.scorer_kwargs(), news_sentiment=p["news_sentiment"])
        sentences = score_sentences(corpus.sentences, scorer)
        sources = attributions(corpus, **study.attribution_kwargs())
    tables = {"articles": articles, "segments": corpus.segments.copy(), "sentences": sentences,
              "sources": sources, "problems": _problems_frame(corpus.problems, base)}
    with progress.stage("compare groups"):
        tables.update(_compare_tables(sentences, articles, sources, p, scorer.targets))
    out = Tables({name: _sorted(name, _listify(df.copy())) for name, df in tables.items()})
    out.study, out.params = study_labels(study, scorer), {k: p[k] for k in DEFAULTS}
    if write:
        with progress.stage("write tables"):
            _write(out, processed_dir, study, p, corpus.problems)
    return out


def _corpus_root(study: Study) -> Path:
    """The folder problem paths are written relative to (the corpus folder, or the table's folder)."""
    return study.folder if study.folder is not None else study.table[0].parent


def _provenance(study: Study) -> dict:
    """The manifest entries that decide whether processed tables are still valid."""
    return {"inputs": study_input_hashes(study), "data_files": data_file_hashes(),
            "versions": package_versions(RESULT_PACKAGES)}


def _write(tables: Tables, processed_dir: Path, study: Study, params, problems):
    processed_dir.mkdir(parents=True, exist_ok=True)
    outputs = {}
    for name in sorted(tables):
        for ext in (".parquet", ".csv"):
            path = processed_dir / f"{name}{ext}"
            write_table(tables[name], path)
            outputs[path.name] = sha256_file(path)
    base = _corpus_root(study)
    skipped = sorted({_relative(str(p.file), base) for p in problems if getattr(p, "severity", "error") == "error"})
    manifest = dict(_provenance(study), parameters=params, study=tables.study, outputs=outputs,
                    rows={name: int(len(df)) for name, df in sorted(tables.items())},
                    n_problems=len(problems), skipped=skipped)
    write_json_atomic(processed_dir / "manifest.json", manifest)


def install_processed(stage: str | os.PathLike[str], processed_dir: str | os.PathLike[str]) -> None:
    """Move every file of ``stage`` into ``processed_dir`` (each move atomic; manifest last)."""
    stage, processed_dir = Path(stage), Path(processed_dir)
    processed_dir.mkdir(parents=True, exist_ok=True)
    files = sorted((f for f in stage.iterdir() if f.is_file()), key=lambda f: (f.name == "manifest.json", f.name))
    for f in files:
        os.replace(f, processed_dir / f.name)


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
    now = _provenance(study)
    if any(m.get(key) != value for key, value in now.items()):
        return False
    return all((processed_dir / f"{t}.parquet").is_file() for t in m.get("rows", {}))


def load_tables(study: Study | str | os.PathLike[str] = "../study.yaml", processed_dir: str | os.PathLike[str] = "../data/processed",
                metadata: str | os.PathLike[str] | None = None, *, on_invalid: str = "fail", write: bool = True,
                **params: Any) -> Tables:
    """The processed tables for a notebook: read them if still valid, else compute (and write) them.

    ``study`` and ``params`` are those of :func:`process_corpus` (None values: the
    study file's choice).  The tables in ``processed_dir`` are read when
    :func:`tables_are_fresh` (same input files, data files, parameters and package
    versions); otherwise :func:`process_corpus` runs.
    """
    study = as_study(study, metadata)
    if tables_are_fresh(processed_dir, study, on_invalid=on_invalid, **params):
        m = json.loads((Path(processed_dir) / "manifest.json").read_text(encoding="utf-8"))
        out = Tables({t: pd.read_parquet(Path(processed_dir) / f"{t}.parquet") for t in m["rows"]})
        out.study, out.params = m["study"], {k: v for k, v in m["parameters"].items() if k in DEFAULTS}
        return out
    return process_corpus(study, processed_dir, on_invalid=on_invalid, write=write, **params)
