"""Process a corpus into the processed tables the notebooks and the report read.

:func:`process` loads the corpus, scores every sentence, finds who is quoted,
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
group_differences   pair of groups x metric                               parquet, csv
keyness             group x term (count, log-odds z)                       parquet, csv
concordance         keyword hit (left, keyword, right)                     parquet, csv
problems            problem found while reading (skipped files, warnings)  parquet, csv
==================  =====================================================  =========

plus ``manifest.json``: the SHA-256 of every input file, the parameters, the package
versions and the SHA-256 of every output.  No timestamps: the same inputs and
parameters give the same bytes.

:func:`load_tables` is what a notebook calls: it reads the processed tables when
they were made from the same inputs and parameters, and (re)computes them otherwise.

Example
-------
>>> from alliance_study.pipeline import process            # doctest: +SKIP
>>> tables = process("data/raw", "data/processed", group_by="outlet")  # doctest: +SKIP
>>> tables["group_comparison"].head()                      # doctest: +SKIP
"""
from __future__ import annotations

import json
from importlib import import_module
import os
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from .errors import AllianceStudyError
from .io import sha256_file, write_json_atomic, write_table

__all__ = ["process", "load_tables", "check_corpus", "input_hashes", "install_processed", "pipeline_params",
           "Tables", "TABLES", "DEFAULTS", "CorpusInvalid"]

#: table name -> sort keys (rows are sorted so that output bytes never depend on dict/hash order)
TABLES = {
    "articles": ["article_id"],
    "segments": ["article_id", "seg_id"],
    "sentences": ["article_id", "sent_id"],
    "sources": ["article_id", "sent_id", "quote_start"],
    "problems": ["file", "line", "reason"],
    # the comparison tables come sorted from alliance_study.compare (groups sorted, fixed metric order)
}
#: the parameters that change the processed tables, with their defaults
DEFAULTS: dict[str, Any] = {
    "group_by": "origin_country",
    "roles": ["headline", "body"],
    "n_boot": 2000,
    "n_perm": 2000,
    "seed": 20201023,
    "concordance_terms": [],
}


class CorpusInvalid(AllianceStudyError):
    """The corpus has problems and the build was asked to fail on them."""

    exit_code = 1


class Tables(dict):
    """A dict of DataFrames that also allows ``tables.sentences``."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def pipeline_params(params: Mapping[str, Any]) -> dict:
    """The subset of notebook parameters that :func:`process` uses, defaults filled in."""
    return {k: params.get(k, v) for k, v in DEFAULTS.items()}


# -------------------------------------------------------------------- inputs
def _metadata_path(raw_dir: Path, metadata) -> Path | None:
    if metadata:
        return Path(metadata)
    for name in ("articles.csv", "metadata.csv"):
        if (raw_dir / name).is_file():
            return raw_dir / name
    return None


def input_hashes(raw_dir, metadata=None) -> dict:
    """``{"raw/<file>": sha256, ..., "metadata/<name>": sha256}`` for every input file (sorted)."""
    raw_dir = Path(raw_dir)
    out = {}
    for f in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        rel = f.relative_to(raw_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        out[f"raw/{rel}"] = sha256_file(f)
    meta = _metadata_path(raw_dir, metadata)
    if meta is not None and meta.is_file() and raw_dir.resolve() not in meta.resolve().parents:
        out[f"metadata/{meta.name}"] = sha256_file(meta)
    return out


def check_corpus(raw_dir, metadata=None) -> list:
    """Every problem of the corpus; raise :class:`CorpusInvalid` listing them all if any is an error."""
    from .corpus import validate_corpus

    problems = list(validate_corpus(raw_dir, metadata))
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if errors:
        lines = "\n".join(f"  {p}" for p in problems)
        raise CorpusInvalid(f"{raw_dir}: {len(errors)} problem(s) in the corpus; no notebook was run.\n{lines}\n"
                            f"Fix the files above, or build from the readable articles with --on-invalid skip.")
    return problems


# -------------------------------------------------------------------- tables
def _relative(text: str, raw_dir: Path) -> str:
    """Paths inside the corpus folder as ``raw/<file>``: tables must not depend on where the corpus lives."""
    for prefix in {str(raw_dir), str(raw_dir.resolve())}:
        text = text.replace(prefix + os.sep, "raw/").replace(prefix, "raw")
    return text


def _problems_frame(problems, raw_dir: Path) -> pd.DataFrame:
    cols = ["file", "line", "severity", "article_id", "reason", "fix", "message"]
    rows = []
    for p in problems:
        rows.append({"file": _relative(str(getattr(p, "file", "") or ""), raw_dir), "line": getattr(p, "line", None),
                     "severity": getattr(p, "severity", "error"), "article_id": getattr(p, "article_id", None),
                     "reason": getattr(p, "reason", str(p)), "fix": getattr(p, "fix", ""),
                     "message": _relative(str(p), raw_dir)})
    df = pd.DataFrame(rows, columns=cols)
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


def _compare_tables(sentences, articles, sources, group_by, roles, n_boot, n_perm, seed, terms) -> dict:
    cmp = import_module("alliance_study.compare")  # not `from . import compare`: that name is the function

    roles = tuple(roles) if roles else None
    est = dict(group_by=group_by, roles=roles, attributions=sources, n_boot=n_boot, n_perm=n_perm, seed=seed)
    return {
        "group_comparison": cmp.compare(sentences, articles, **est),
        "group_differences": cmp.compare_pairs(sentences, articles, **est),
        "keyness": cmp.keyness(sentences, articles, group_by=group_by, roles=roles),
        "concordance": cmp.concordance(sentences, articles, terms=list(terms) or None, group_by=group_by, roles=roles),
        "sourcing": cmp.sourcing_profile(sources, articles, group_by=group_by, roles=roles),
        "sourcing_by_type": cmp.sourcing_by_type(sources, articles, group_by=group_by, roles=roles),
    }


def process(raw_dir, processed_dir, metadata=None, *, on_invalid: str = "fail", group_by: str = "origin_country",
            roles=("headline", "body"), n_boot: int = 2000, n_perm: int = 2000, seed: int = 20201023,
            concordance_terms=(), write: bool = True) -> Tables:
    """Corpus folder -> processed tables (returned, and written to ``processed_dir`` when ``write``).

    Parameters
    ----------
    raw_dir, metadata : path
        The article files and the metadata table (default: the corpus loader's default).
    processed_dir : path
        Output folder: ``<table>.parquet`` and ``<table>.csv`` for each table, ``manifest.json``.
    on_invalid : "fail" or "skip"
        Passed to :func:`alliance_study.load_corpus`.
    group_by, roles, n_boot, n_perm, seed, concordance_terms
        Passed to :func:`alliance_study.compare` and friends.  ``roles`` are the
        segment roles that count as the outlet's own text.
    """
    from .corpus import load_corpus
    from .metrics import score_sentences
    from .metrics.attribution import attributions

    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    corpus = load_corpus(raw_dir, metadata, on_invalid=on_invalid)
    articles = corpus.articles.copy()
    if group_by not in articles.columns:
        raise AllianceStudyError(
            f"group_by={group_by!r}: no such column in the metadata table. "
            f"Available columns: {', '.join(map(str, articles.columns))}. Pass -p group_by COLUMN.")
    sentences = score_sentences(corpus.sentences)
    sources = attributions(corpus)
    tables = {"articles": articles, "segments": corpus.segments.copy(), "sentences": sentences,
              "sources": sources, "problems": _problems_frame(corpus.problems, raw_dir)}
    tables.update(_compare_tables(sentences, articles, sources, group_by, roles, n_boot, n_perm, seed,
                                  concordance_terms))
    tables = Tables({name: _sorted(name, _listify(df.copy())) for name, df in tables.items()})
    params = {"group_by": group_by, "roles": list(roles), "n_boot": int(n_boot), "n_perm": int(n_perm),
              "seed": int(seed), "concordance_terms": list(concordance_terms), "on_invalid": on_invalid}
    if write:
        _write(tables, processed_dir, raw_dir, metadata, params, corpus.problems)
    return tables


def _write(tables: Mapping[str, pd.DataFrame], processed_dir: Path, raw_dir: Path, metadata, params, problems):
    from .build import package_versions

    processed_dir.mkdir(parents=True, exist_ok=True)
    outputs = {}
    for name in sorted(tables):
        for ext in (".parquet", ".csv"):
            path = processed_dir / f"{name}{ext}"
            write_table(tables[name], path)
            outputs[path.name] = sha256_file(path)
    skipped = sorted({_relative(str(p.file), raw_dir) for p in problems if getattr(p, "severity", "error") == "error"})
    manifest = {
        "inputs": input_hashes(raw_dir, metadata),
        "parameters": params,
        "versions": {k: v for k, v in package_versions().items() if k not in ("papermill", "nbconvert", "nbformat",
                                                                             "nbclient", "ipykernel")},
        "outputs": outputs,
        "rows": {name: int(len(df)) for name, df in sorted(tables.items())},
        "n_problems": len(problems),
        "skipped": skipped,
    }
    write_json_atomic(processed_dir / "manifest.json", manifest)


def install_processed(stage, processed_dir) -> None:
    """Move every file of ``stage`` into ``processed_dir`` (each move atomic; manifest last)."""
    stage, processed_dir = Path(stage), Path(processed_dir)
    processed_dir.mkdir(parents=True, exist_ok=True)
    files = sorted((f for f in stage.iterdir() if f.is_file()), key=lambda f: (f.name == "manifest.json", f.name))
    for f in files:
        os.replace(f, processed_dir / f.name)


def _fresh(processed_dir: Path, raw_dir: Path, metadata, params: dict) -> bool:
    mf = processed_dir / "manifest.json"
    if not mf.is_file():
        return False
    try:
        m = json.loads(mf.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    want = {k: params[k] for k in m.get("parameters", {}) if k in params}
    if any(m["parameters"].get(k) != v for k, v in want.items()):
        return False
    if m.get("inputs") != input_hashes(raw_dir, metadata):
        return False
    return all((processed_dir / f"{t}.parquet").is_file() for t in m.get("rows", {}))


def load_tables(raw_dir="../data/raw", processed_dir="../data/processed", metadata=None, *, on_invalid="fail",
                write: bool = True, **params) -> Tables:
    """The processed tables for a notebook: read them if they match the inputs and parameters, else compute.

    Parameters are those of :func:`process`.  When the tables in ``processed_dir``
    were made from the same input files (SHA-256) and parameters they are read
    (fast); otherwise :func:`process` runs (and writes them, when ``write``).
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    p = pipeline_params(params)
    p["roles"] = list(p["roles"])
    p["concordance_terms"] = list(p["concordance_terms"] or [])
    if _fresh(processed_dir, raw_dir, metadata, dict(p, on_invalid=on_invalid)):
        m = json.loads((processed_dir / "manifest.json").read_text(encoding="utf-8"))
        return Tables({t: pd.read_parquet(processed_dir / f"{t}.parquet") for t in m["rows"]})
    return process(raw_dir, processed_dir, metadata, on_invalid=on_invalid, write=write, **p)
