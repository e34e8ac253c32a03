"""The study's own coding: ``alliance-study sample`` and ``alliance-study agreement`` for a study file.

Both read the study's processed tables (computed first when missing or stale, see
:func:`~alliance_study.report.process.load_tables`) and hand them to
:mod:`alliance_study.validity.coding`, which draws the blind coding sheet and
computes agreement between coders and with the machine.

Example
-------
>>> run_study_sample("study.yaml", "coding/sheet.csv", n=100, seed=1)   # doctest: +SKIP
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import pandas as pd

from .process import Tables, load_tables, tables_are_fresh
from .study import Study, as_study


def _tables(study: Study, processed_dir: str | os.PathLike[str] | None) -> Tables:
    """The processed tables as the last build made them (its parameters, also ``-p`` ones), when they
    are still those of the study's inputs; else computed afresh with the study file's parameters."""
    import json
    import sys

    from ..defaults import DEFAULTS

    folder = Path(processed_dir or study.processed_dir)
    try:
        made = json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("parameters") or {}
    except (OSError, ValueError, AttributeError):
        made = {}
    params = {k: v for k, v in made.items() if k in DEFAULTS}
    on_invalid = made.get("on_invalid", "fail")
    if params and on_invalid in ("fail", "skip") and tables_are_fresh(folder, study, on_invalid=on_invalid, **params):
        return load_tables(study, folder, on_invalid=on_invalid, **params)
    print(f"note: the processed tables in {folder} are missing or not those of the study's inputs: computing "
          f"them with the study file's parameters (they are written there)", file=sys.stderr)
    return load_tables(study, folder)


def _not_an_input(study: Study, outputs: Sequence[str | os.PathLike[str]],
                  inputs: Sequence[str | os.PathLike[str]] = ()) -> None:
    """Refuse to write over a file the study reads (its file, corpus, lexicons, sheets) or into its corpus folder."""
    from ..errors import InputError

    taken = {*study.read_paths(), *(Path(p).resolve() for p in inputs if p)}
    folder = study.folder.resolve() if study.folder else None
    for out in outputs:
        o = Path(out).resolve()
        if o in taken or (folder is not None and folder in o.parents):
            raise InputError(f"{out}: the command reads this file (the study file, its corpus, a lexicon or a "
                             f"coding sheet) or it lies in the corpus folder; writing here would change an input. "
                             f"Fix: write to another file, e.g. in a coding/ folder beside the study file.")


def run_study_sample(study: Study | str | os.PathLike[str], out: str | os.PathLike[str], *, n: int = 200, seed: int | None = None,
                     processed_dir: str | os.PathLike[str] | None = None) -> int:
    """Write a blind coding sheet of ``n`` of the study's sentences and its ``codebook.md``; exit code 0."""
    from ..validity import run_sample

    s = as_study(study)
    _not_an_input(s, [out, Path(out).parent / "codebook.md"])
    tables = _tables(s, processed_dir)
    p = tables.params
    sheet, book = run_sample(tables.sentences, tables.articles, out, n=n,
                             seed=p["seed"] if seed is None else seed, group_by=p["group_by"], roles=p["roles"],
                             hedges=str(s.lexicons.get("hedges", "hedges")),
                             frames_lexicon=str(s.lexicons.get("frames", "frames")))
    print(f"Wrote the coding sheet {sheet} and {book}. Give each coder a copy named after them "
          f"(e.g. coding/ann.csv), then: alliance-study agreement coding/*.csv --study {s.path or 'study.yaml'}")
    return 0


def study_agreement(study: Study | str | os.PathLike[str], sheets: Sequence[str | os.PathLike[str]] | None = None, *,
                    processed_dir: str | os.PathLike[str] | None = None, tables: Tables | None = None) -> pd.DataFrame:
    """Agreement of the coded sheets (default: the study file's ``validation: coding``) with each other and the machine."""
    from ..validity import run_agreement

    s = as_study(study)
    sheets = list(sheets) if sheets else s.coding_sheets()  # none matched: a StudyError naming the key
    tables = tables if tables is not None else _tables(s, processed_dir)
    p = tables.params
    return run_agreement(sheets, tables.sentences, sources=tables.sources, n_boot=p["n_boot"], seed=p["seed"],
                         level=p["level"])


def run_study_agreement(study: Study | str | os.PathLike[str], sheets: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str], *,
                        processed_dir: str | os.PathLike[str] | None = None) -> int:
    """``alliance-study agreement``: write the table of agreement and validity per measure; exit code 0."""
    from ..io import write_table

    study = as_study(study)
    _not_an_input(study, [out], inputs=sheets)
    table = study_agreement(study, sheets, processed_dir=processed_dir)
    write_table(table, out)
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(table.to_string(index=False))
    print(f"\nWrote {out}.")
    return 0
