"""The study file: one YAML file that says everything a study chooses.

Paths in it are relative to the file.  Shape (every key but ``corpus`` optional)::

    title: "How outlets framed X"          # shown at the top of the report
    question: "..."                         # shown in the report's opening
    corpus:
      table: corpus.jsonl                   # CSV, TSV, JSONL or Parquet; a glob reads several files
      columns: {article_id: id, text: maintext, title: title, outlet: source_domain}
      # or instead of table/columns:  folder: raw/   metadata: raw/articles.csv
    lexicons:                               # any subset; the rest are the package defaults
      targets: lexicons/targets.yaml
      frames: lexicons/frames.yaml
      hedges: lexicons/hedges.yaml
      boosters: lexicons/boosters.yaml
      actors: lexicons/actors.csv
      attribution: lexicons/attribution.yaml
      roles: lexicons/roles.yaml
    parameters:                             # any notebook parameter
      group_by: outlet
    validation:
      coding: coding/*.csv                  # coders' filled sheets (alliance-study agreement)

The file is checked against :data:`SCHEMA` (JSON Schema, checked with the
``jsonschema`` package) and then against the disk: every file it names exists, a
table has the columns ``columns`` maps.  Every problem is reported at once, one
line each, naming the file, the key, the reason and the fix
(:class:`StudyError`, exit code 2).

Example
-------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "corpus.csv").write_text("id,body,site\\na1,Some text.,x.com\\n")
>>> _ = (d / "study.yaml").write_text(
...     "title: Demo\\ncorpus:\\n  table: corpus.csv\\n"
...     "  columns: {article_id: id, text: body, outlet: site}\\n")
>>> s = load_study(d / "study.yaml")
>>> s.title, s.corpus_kwargs()["columns"]["text"]
('Demo', 'body')
>>> _ = (d / "bad.yaml").write_text("titel: Demo\\ncorpus: {table: corpus.csv, columns: {article_id: id, text: txt}}\\n")
>>> try:
...     load_study(d / "bad.yaml")
... except StudyError as e:
...     print(e.problems[0][:52])
key 'titel': unknown key. Fix: did you mean 'title'?
"""
from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import yaml

from ..errors import InputError
from ..resources import UniqueKeyLoader, yaml_problem
from ._study_checks import (LEXICON_KEYS, OUTPUT_DIR, PROCESSED_DIR, SCHEMA, _disk_problems, _key_problems,
                            _parameter_problems, _schema_problems)

if TYPE_CHECKING:
    from ..metrics import Scorer

STUDY_FILE = "study.yaml"

__all__ = ["LEXICON_KEYS", "OUTPUT_DIR", "PROCESSED_DIR", "SCHEMA", "STUDY_FILE", "Study", "StudyError",
           "StudyWarning", "as_study", "folder_study", "load_study", "study_labels", "study_scorer"]


class StudyWarning(UserWarning):
    """Something in a study file that is not an error yet (coded sheets not filled yet)."""


class StudyError(InputError):
    """A study file cannot be used: ``.problems`` holds one line per problem (file, key, reason, fix)."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the study file {self.path}:"
        super().__init__("\n".join([head] + [f"  {self.path}: {p}" for p in self.problems]))


@dataclass(frozen=True)
class Study:
    """A checked study file; every path is absolute.

    Attributes
    ----------
    path : pathlib.Path or None
        The study file (None for the defaults of a plain folder build).
    title, question : str
    table : list of pathlib.Path
        The corpus table files (empty for a folder corpus), sorted.
    columns : dict
        Study name -> table column.
    folder, metadata : pathlib.Path or None
        The folder corpus.
    lexicons : dict
        Lexicon key (:data:`LEXICON_KEYS`) -> path, only those the study sets.
    parameters : dict
        Notebook parameters set by the study.
    coding : list of pathlib.Path
        Coders' sheets for the validation part.
    """

    path: Path | None
    title: str
    question: str = ""
    table: tuple[Path, ...] = ()
    columns: Mapping[str, str] = field(default_factory=dict)
    folder: Path | None = None
    metadata: Path | None = None
    lexicons: Mapping[str, Path] = field(default_factory=dict)
    parameters: Mapping[str, Any] = field(default_factory=dict)
    coding: tuple[Path, ...] = ()
    coding_unmatched: tuple[str, ...] = ()
    #: ``corpus.table`` as written (resolved): a glob is checked against the build's output folders
    table_pattern: str | None = None

    def warn_coding(self) -> None:
        """A :class:`StudyWarning` per ``validation: coding`` pattern that matches no sheet yet.

        Sheets are filled after ``alliance-study sample``: ``validate`` and ``build --check``
        say so and go on (notebook 04 says it in the report); ``agreement`` needs them
        (:meth:`coding_sheets`).
        """
        for pattern in self.coding_unmatched:
            warnings.warn(f"{self.path}: key 'validation.coding': no coded sheet matches {pattern} yet (the "
                          f"validation part waits for them). Fix: draw a sheet with `alliance-study sample`, save "
                          f"the coders' filled copies there, or remove the key", StudyWarning, stacklevel=2)

    def coding_sheets(self) -> list[Path]:
        """The coders' sheets of ``validation: coding``; a :class:`StudyError` when a pattern matches none.

        For ``agreement``, which needs them (the other commands only warn).

        >>> Study(path=None, title="x").coding_sheets()
        Traceback (most recent call last):
        ...
        alliance_study.report.study.StudyError: 1 problem in the study file (no study file):
          (no study file): key 'validation.coding': no coded sheet given. Fix: list the coders' filled sheets (validation: coding: coding/*.csv) or pass them on the command line.
        """
        if self.coding_unmatched or not self.coding:
            what = (f"no coded sheet matches {', '.join(self.coding_unmatched)}" if self.coding_unmatched
                    else "no coded sheet given")
            raise StudyError(self.path or "(no study file)", [
                f"key 'validation.coding': {what}. Fix: list the coders' filled sheets (validation: coding: "
                f"coding/*.csv) or pass them on the command line."])
        return list(self.coding)

    @property
    def processed_dir(self) -> Path:
        """Default folder of the processed tables: ``data/processed`` beside the study file (else in the current folder)."""
        return (self.path.parent if self.path is not None else Path.cwd()) / PROCESSED_DIR

    @property
    def output_dir(self) -> Path:
        """Default folder of the report: ``reports`` beside the study file (else in the current folder)."""
        return (self.path.parent if self.path is not None else Path.cwd()) / OUTPUT_DIR

    def corpus_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :func:`alliance_study.corpus.load_corpus` (roles included)."""
        kw: dict[str, Any] = {}
        if self.table:
            kw.update(table=[str(p) for p in self.table], columns=dict(self.columns))
        else:
            kw.update(raw_dir=str(self.folder), metadata=str(self.metadata) if self.metadata else None)
        if "roles" in self.lexicons:
            kw["roles"] = str(self.lexicons["roles"])
        return kw

    def scorer_kwargs(self) -> dict[str, str]:
        """Keyword arguments for :class:`alliance_study.metrics.Scorer`."""
        return {k: str(self.lexicons[k]) for k in ("hedges", "boosters", "frames", "targets") if k in self.lexicons}

    def attribution_kwargs(self) -> dict[str, str]:
        """Keyword arguments for :func:`alliance_study.metrics.attribution.attributions`."""
        out = {}
        if "actors" in self.lexicons:
            out["actors"] = str(self.lexicons["actors"])
        if "attribution" in self.lexicons:
            out["speech"] = str(self.lexicons["attribution"])
        return out

    def inputs(self) -> list[Path]:
        """Every file the study reads (corpus tables or metadata, lexicons, coded sheets)."""
        files = list(self.table) + ([self.metadata] if self.metadata else [])
        return files + [self.lexicons[k] for k in sorted(self.lexicons)] + list(self.coding)

    def read_paths(self) -> list[Path]:
        """The study file and every :meth:`inputs` file, resolved: what no command may write over."""
        return [Path(p).resolve() for p in [self.path, *self.inputs()] if p]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description (for the manifest and the notebooks' ``study`` parameter)."""
        return json.loads(json.dumps({
            "path": self.path, "title": self.title, "question": self.question,
            "table": list(self.table), "columns": dict(self.columns), "folder": self.folder,
            "metadata": self.metadata, "lexicons": dict(self.lexicons), "parameters": dict(self.parameters),
            "coding": list(self.coding)}, default=str))


def load_study(path: str | os.PathLike, *, declared: Mapping[str, Any] | None = None) -> Study:
    """Read and check a study file; every problem at once in one :class:`StudyError`.

    Parameters
    ----------
    path : str or path
        The study file, or a folder holding ``study.yaml``.
    declared : mapping of Param, optional
        The notebooks' parameters (:func:`~.parameters.notebook_parameters`): given (as by
        ``validate --study`` and ``build --check``), a parameter name neither they nor the
        analysis defaults know is a problem, and so is a ``group_by`` the corpus has no
        column for.  Without it the analysis parameters' values are checked all the same.

    Returns
    -------
    Study
        With absolute paths.

    Raises
    ------
    StudyError
        Unknown key, wrong type, missing file, a ``columns`` entry naming a column
        the table lacks ... one line per problem (exit code 2 on the command line).
    """
    p = Path(path)
    if p.is_dir():
        p = p / STUDY_FILE
    if not p.is_file():
        raise StudyError(p, ["file not found. Fix: give the path of a study.yaml (alliance-study init DIR "
                             "writes one)."])
    try:
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)  # a key twice: refused
    except yaml.YAMLError as exc:
        line, why = yaml_problem(exc)
        where = f"line {line}: " if line else ""
        raise StudyError(p, [f"{where}not valid YAML ({why}). Fix: check the "
                             f"indentation and quoting there."]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StudyError(p, [f"cannot be read ({exc}). Fix: save it as UTF-8 text."]) from None
    if not isinstance(data, dict):
        raise StudyError(p, ["the file must be a YAML mapping (key: value lines). Fix: start from the file "
                             "`alliance-study init DIR` writes."])
    problems, data = _key_problems(data)
    problems += _schema_problems(data)
    root = p.resolve().parent
    disk, found = _disk_problems(data, root) if isinstance(data.get("corpus"), dict) else ([], {})
    problems += disk
    problems += _parameter_problems(data, found, declared)
    if problems:
        raise StudyError(p, list(dict.fromkeys(problems)))  # each problem once
    return Study(path=p.resolve(), title=data.get("title") or p.resolve().parent.name,
                 question=data.get("question") or "", table=found.get("table", ()),
                 columns=dict((data["corpus"].get("columns") or {})), folder=found.get("folder"),
                 metadata=found.get("metadata"), lexicons=found.get("lexicons", {}),
                 parameters=dict(data.get("parameters") or {}), coding=found.get("coding", ()),
                 coding_unmatched=found.get("coding_unmatched", ()), table_pattern=found.get("table_pattern"))


def folder_study(raw_dir: str | os.PathLike, metadata: str | os.PathLike | None = None, *,
                 title: str = "Framing comparison") -> Study:
    """The study of a plain folder build (``alliance-study build --raw-dir DIR`` with no study file)."""
    folder = Path(raw_dir).resolve()
    meta = Path(metadata).resolve() if metadata else folder / "articles.csv"
    return Study(path=None, title=title, folder=folder, metadata=meta)


def as_study(source: "Study | str | os.PathLike", metadata: str | os.PathLike | None = None) -> Study:
    """A :class:`Study` from a Study, a study file, a study folder, or a corpus folder (+ metadata).

    A folder is a study folder when it holds ``study.yaml`` and no ``articles.csv``;
    otherwise it is a corpus folder of article files (the layout of ``data/raw``).

    >>> as_study("data/raw").folder.name
    'raw'
    """
    if isinstance(source, Study):
        return source
    p = Path(source)
    if p.suffix.lower() in (".yaml", ".yml"):
        return load_study(p)
    if p.is_dir() and metadata is None and (p / STUDY_FILE).is_file() and not (p / "articles.csv").exists():
        return load_study(p / STUDY_FILE)
    return folder_study(p, metadata)


def study_labels(study: Study, scorer: Any = None) -> dict[str, Any]:
    """What the report says of the study: title, question, the target's name, the frames' labels.

    Read from the study file and its targets and frames lexicons (package defaults
    for those it does not set).

    >>> study_labels(folder_study("data/raw"))["target_label"]
    'the target'
    """
    scorer = scorer if scorer is not None else study_scorer(study)
    return {"title": study.title, "question": study.question, "target_label": scorer.target_label,
            "frame_labels": dict(scorer.frame_labels), "frames": list(scorer.frame_names)}


def study_scorer(study: Study | str | os.PathLike[str]) -> Scorer:
    """The :class:`~alliance_study.metrics.Scorer` with a study's lexicons (package defaults for the rest)."""
    from ..metrics import Scorer

    return Scorer(**as_study(study).scorer_kwargs())
