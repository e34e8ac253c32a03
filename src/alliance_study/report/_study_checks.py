"""Checking a study file's content: against :data:`SCHEMA`, then against the disk (private: see :mod:`.study`).

Each check returns a list of problems, one line each, naming the key, the reason
and the fix; :func:`~.study.load_study` reports them all at once.
"""
from __future__ import annotations

import difflib
import glob as _glob
import json
import os
from pathlib import Path
from typing import Any

from ..errors import CorpusError
from ..io import write_text_atomic
from ..resources import cache_root

#: the lexicon keys a study may set, and the function argument each one feeds
LEXICON_KEYS = ("targets", "frames", "hedges", "boosters", "actors", "attribution", "roles")
_LEXICON_EXT = {"actors": (".csv",)}
#: the build's default output folders, beside the study file
PROCESSED_DIR, OUTPUT_DIR = Path("data", "processed"), Path("reports")

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["corpus"],
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "question": {"type": "string"},
        "corpus": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "table": {"type": "string", "minLength": 1},
                "columns": {  # article_id and text: mapped here, or a column of that name (checked on disk)
                    "type": "object",
                    "additionalProperties": {"type": "string", "minLength": 1},
                },
                "folder": {"type": "string", "minLength": 1},
                "metadata": {"type": "string", "minLength": 1},
            },
        },
        "lexicons": {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: {"type": "string", "minLength": 1} for k in LEXICON_KEYS},
        },
        "parameters": {"type": "object"},
        "validation": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"coding": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
        },
    },
}

_FIXES = {
    "title": "write the report's title as text, e.g. title: \"How outlets framed X\"",
    "question": "write the research question as text",
    "corpus": "give either corpus.table (a CSV/TSV/JSONL/Parquet file or glob) with corpus.columns, "
              "or corpus.folder (a folder of .txt files with articles.csv)",
    "corpus.columns": "map the study's names to the table's columns, e.g. columns: {article_id: id, text: maintext}",
    "corpus.table": "give one path, or one glob for several files, e.g. table: data/*.jsonl",
    "corpus.folder": "give the folder of article files as one path, e.g. folder: raw/",
    "corpus.metadata": "give the metadata table as one path, e.g. metadata: raw/articles.csv",
    "parameters": "give notebook parameters as a mapping, e.g. parameters: {group_by: outlet}",
    "lexicons": "name each lexicon file under its key, e.g. lexicons: {frames: lexicons/frames.yaml} "
                "(one key per lexicon: " + ", ".join(LEXICON_KEYS) + ")",
    "validation": "put the coded sheets' glob under the key coding, e.g. validation: {coding: coding/*.csv}",
    "validation.coding": "give a glob of coded sheets, e.g. coding: coding/*.csv",
}


_TYPE_WORDS = {"object": "a mapping (key: value lines)", "string": "text", "array": "a list"}


def _key(path) -> str:
    return ".".join(str(p) for p in path) if path else "(top level)"


def _schema_seen_valid(data: Any) -> Path:
    """The marker of a study content that passed the schema before.

    ``jsonschema`` takes over a second to import (its format checkers build a grammar),
    and every notebook reads the study file: content that validated once is not checked
    against the schema again.  The marker's name hashes the content and the schema.
    """
    import hashlib

    try:
        text = json.dumps([data, SCHEMA], sort_keys=True, default=str)
    except TypeError:  # keys of mixed types deep in a parameter's value cannot be sorted: file order then
        text = json.dumps([data, SCHEMA], default=str)
    key = hashlib.sha256(text.encode()).hexdigest()
    return cache_root() / "studies" / f"{key}.valid"


#: the mappings of a study file whose keys are names (text); a number, yes/no or a date there is refused
_NAMED_MAPPINGS = ((), ("corpus",), ("corpus", "columns"), ("lexicons",), ("parameters",), ("validation",))


def _key_problems(data: dict) -> tuple[list[str], dict]:
    """Keys that are not text (YAML reads ``5:``, ``yes:``, ``2020-01-01:`` as numbers, booleans, dates).

    Returns the problems and the data without those keys (checked further as usual).

    >>> _key_problems({5: "x", "corpus": {"table": "t.csv", True: 1}})[0]  # doctest: +NORMALIZE_WHITESPACE
    ["key '5': a key must be a name (text), not 5 (a number). Fix: remove it, or quote it ('5': ...) if it is a
      name; allowed keys: title, question, corpus, lexicons, parameters, validation.",
     "key 'corpus.True': a key must be a name (text), not True (a yes/no value). Fix: remove it, or quote it ('True':
      ...) if it is a name; allowed keys: table, columns, folder, metadata."]
    """
    out: list[str] = []

    def clean(node: Any, where: tuple[str, ...]) -> Any:
        if not isinstance(node, dict):
            return node
        named = where in _NAMED_MAPPINGS
        kept = {}
        for k, v in node.items():
            if named and not isinstance(k, str):
                kind = ("a yes/no value" if isinstance(k, bool) else "a number" if isinstance(k, (int, float))
                        else "empty" if k is None else type(k).__name__)
                schema: Any = SCHEMA
                for part in where:
                    schema = (schema.get("properties") or {}).get(part, {})
                allowed = list((schema.get("properties") or {}).keys())
                hint = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
                out.append(f"key {_key([*where, k])!r}: a key must be a name (text), not {k!r} ({kind}). "
                           f"Fix: remove it, or quote it ('{k}': ...) if it is a name{hint}.")
                continue
            kept[k] = clean(v, (*where, k)) if named else v
        return kept

    return out, clean(data, ())


def _schema_problems(data: Any) -> list[str]:
    marker = _schema_seen_valid(data)
    if marker.is_file():
        return []
    import jsonschema

    out = []
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for err in sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        where = list(err.absolute_path)
        key = _key(where)
        if err.validator == "additionalProperties":
            allowed = sorted((err.schema.get("properties") or {}).keys())
            extra = sorted(set(err.instance) - set(allowed)) if isinstance(err.instance, dict) else []
            for name in extra:
                full = _key(where + [name])
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                out.append(f"key '{full}': unknown key. Fix: {hint}allowed here: {', '.join(allowed)}.")
        elif err.validator == "required":
            missing = [r for r in err.validator_value if r not in (err.instance or {})]
            for name in missing:
                full = _key(where + [name])
                out.append(f"key '{full}': missing. Fix: {_FIXES.get(full, _FIXES.get(key, 'add it'))}.")
        elif err.validator in ("type", "anyOf"):
            want = _TYPE_WORDS.get(err.schema.get("type"), "text or a list of texts")
            out.append(f"key '{key}': expected {want}, got {json.dumps(err.instance, default=str)[:60]}. "
                       f"Fix: {_FIXES.get(key, f'give {want}')}.")
        elif err.validator == "minLength":
            out.append(f"key '{key}': empty. Fix: {_FIXES.get(key, 'give a value or remove the key')}.")
        else:
            out.append(f"key '{key}': {err.message}. Fix: see the study file reference (docs/study-file.md).")
    if not out:
        try:
            write_text_atomic(marker, "valid\n")
        except OSError:
            pass  # a read-only cache only costs time
    return out


def _resolve(root: Path, value: str) -> Path:
    p = Path(os.path.expanduser(value))
    return p if p.is_absolute() else (root / p)


def _disk_problems(data: dict, root: Path) -> tuple[list[str], dict]:
    out: list[str] = []
    found: dict[str, Any] = {}
    corpus = data.get("corpus") or {}
    has_table, has_folder = "table" in corpus, "folder" in corpus
    if has_table == has_folder:
        out.append("key 'corpus': give exactly one of 'table' and 'folder'. Fix: " + _FIXES["corpus"] + ".")
    # a path that is not text (a list, a number) is the schema's problem, reported there: not looked up here
    corpus = {k: v for k, v in corpus.items() if k not in ("table", "folder", "metadata") or isinstance(v, str)}
    has_table, has_folder = "table" in corpus, "folder" in corpus
    if has_table:
        if "metadata" in corpus:
            out.append("key 'corpus.metadata': only for a folder corpus. Fix: remove it; a table holds its "
                       "metadata in its own columns.")
        pattern = str(_resolve(root, corpus["table"]))
        files = sorted(Path(p) for p in _glob.glob(pattern, recursive=True)) if _glob.has_magic(pattern) \
            else [Path(pattern)]
        files = [f for f in files if f.is_file()]
        found["table_pattern"] = pattern
        own = [f for f in files if any(root / d in f.resolve().parents for d in (PROCESSED_DIR, OUTPUT_DIR))]
        if own and _glob.has_magic(pattern):  # a later build would read the tables of the last one as articles
            out.append(f"key 'corpus.table': the glob {pattern} also matches the build's own output "
                       f"({own[0]}{f' and {len(own) - 1} more' if len(own) > 1 else ''}), which the next build "
                       f"would read as articles. Fix: make the glob match only the corpus (e.g. data/raw/*.parquet).")
            files = [f for f in files if f not in own]
        if not files and Path(pattern).is_dir():
            out.append(f"key 'corpus.table': {pattern} is a folder, not a table file. Fix: give the table (CSV, TSV, "
                       f"JSONL or Parquet) or a glob such as data/*.jsonl; a folder of article files goes under "
                       f"corpus.folder.")
        elif not files:
            out.append(f"key 'corpus.table': no file matches {pattern}. Fix: check the path (relative to the "
                       f"study file's folder {root}).")
        from ..corpus.table_read import open_source  # here: `import alliance_study.report` stays light

        have = None
        for f in files:  # the corpus reader's own check: format, readable, column names (header only)
            try:
                columns = open_source(f).columns
            except CorpusError as exc:
                out += [f"key 'corpus.table': {p}" for p in exc.problems]
                files = []
                break
            have = columns if have is None else have
        found["table"] = tuple(files)
        mapped: dict = corpus["columns"] if isinstance(corpus.get("columns"), dict) else {}
        if files and have is not None:
            for name in ("article_id", "text"):  # required: mapped, or a column of that name
                if not mapped.get(name) and name not in have:
                    out.append(f"key 'corpus.columns.{name}': missing, and the table {files[0].name} has no column "
                               f"'{name}'. Fix: {_FIXES['corpus.columns']} (its columns are: "
                               f"{', '.join(map(repr, have[:30]))}).")
        if files and isinstance(corpus.get("columns"), dict):
            if have is not None:
                for name, col in corpus["columns"].items():
                    if isinstance(col, str) and col not in have:
                        close = difflib.get_close_matches(col, have, n=1)
                        hint = f"did you mean '{close[0]}'? " if close else ""
                        out.append(f"key 'corpus.columns.{name}': the table {files[0].name} has no column "
                                   f"'{col}'. Fix: {hint}its columns are: {', '.join(have[:30])}.")
    if has_folder:
        folder = _resolve(root, corpus["folder"])
        found["folder"] = folder
        if folder.exists() and not folder.is_dir():
            out.append(f"key 'corpus.folder': {folder} is a file, not a folder. Fix: give the folder of article "
                       f"files, relative to the study file (a table of articles goes under corpus.table).")
        elif not folder.is_dir():
            out.append(f"key 'corpus.folder': folder not found: {folder}. Fix: give the folder of article "
                       f"files, relative to the study file.")
        meta = _resolve(root, corpus["metadata"]) if "metadata" in corpus else folder / "articles.csv"
        found["metadata"] = meta
        if folder.is_dir() and meta.is_dir():
            out.append(f"key 'corpus.metadata': {meta} is a folder, not a file. Fix: give the metadata table "
                       f"(article_id,file,outlet,...) itself, e.g. metadata: raw/articles.csv.")
        elif folder.is_dir() and not meta.is_file():
            out.append(f"key 'corpus.metadata': file not found: {meta}. Fix: give the metadata table "
                       f"(article_id,file,outlet,...) or put articles.csv in the folder.")
        if "columns" in corpus:
            out.append("key 'corpus.columns': only for a table corpus. Fix: remove it; a folder corpus "
                       "names its columns in the metadata table's header.")
    lex = {}
    lexicons = data.get("lexicons")
    for k, v in (lexicons if isinstance(lexicons, dict) else {}).items():  # not a mapping: the schema says so
        if k not in LEXICON_KEYS or not isinstance(v, str):
            continue
        p = _resolve(root, v)
        lex[k] = p
        if not p.is_file():
            what = "CSV table" if k == "actors" else "YAML file"
            why = f"{p} is a folder, not a file" if p.is_dir() else f"file not found: {p}"
            out.append(f"key 'lexicons.{k}': {why}. Fix: give the path of a {what} in the "
                       f"format of the package's own (alliance-study init writes copies to edit), or remove "
                       f"the key to use the package default.")
    found["lexicons"] = lex
    validation = data.get("validation")  # a wrong shape (text, a number) is the schema's problem
    coding = validation.get("coding") if isinstance(validation, dict) else None
    sheets: list[Path] = []
    unmatched: list[str] = []
    for pat in ([coding] if isinstance(coding, str) else coding if isinstance(coding, list) else []):
        if not isinstance(pat, str):
            continue
        full = str(_resolve(root, pat))
        hits = sorted(Path(p) for p in _glob.glob(full)) if _glob.has_magic(full) else [Path(full)]
        hits = [h for h in hits if h.is_file()]
        if not hits:  # sheets come after `sample`: not a problem for anything but `agreement`
            unmatched.append(full)
        sheets.extend(hits)
    found["coding"] = tuple(sheets)
    found["coding_unmatched"] = tuple(unmatched)
    return out, found


def _parameter_problems(data: dict, found: dict, declared: Any = None) -> list[str]:
    """The ``parameters:`` of a study file, each checked (names, types, values; see
    :func:`~.study_parameters.study_parameter_problems`), and, when ``declared`` (the notebooks'
    parameters) is given, its ``group_by`` against the corpus's columns (read from the
    metadata table's or the corpus table's header): every problem, none hiding another.
    """
    from .study_parameters import study_parameter_problems

    params = data.get("parameters")
    if not isinstance(params, dict):  # not a mapping: the schema says so
        return []
    values, out = study_parameter_problems(params, declared)
    group_by = values.get("group_by")
    if declared is None or not isinstance(group_by, str):
        return out
    columns = _corpus_columns(data, found)
    if columns is not None and group_by not in columns:
        from .study_parameters import group_by_problem

        out.append(f"key 'parameters.group_by': {group_by_problem(group_by, columns)}")
    return out


def _corpus_columns(data: dict, found: dict) -> list[str] | None:
    """The columns of the articles table a build would make (header only), or None when not known."""
    corpus: dict = data["corpus"] if isinstance(data.get("corpus"), dict) else {}
    try:
        if found.get("table"):
            from ..corpus.table import open_source, plan_columns

            mapped = corpus.get("columns") if isinstance(corpus.get("columns"), dict) else None
            return plan_columns(open_source(found["table"][0]), mapped)[1]
        meta = found.get("metadata")
        if meta is not None and Path(meta).is_file():
            from ..corpus.folder import read_metadata

            header, _, problems = read_metadata(Path(meta), str(meta))
            if any(p.scope == "table" for p in problems):
                return None
            return list(header) + ["title"] * ("title" not in header)  # the loader adds it (from the headline)
    except CorpusError:  # an unreadable corpus is the corpus check's to report
        return None
    return None
