"""Where a build reads and writes: its folders, checked before any work is done.

:func:`_paths` resolves the processed-tables, report and notebooks folders of a build
(``build`` and ``build --check`` both ask it) and refuses, with the fix, any choice the
build would fail on at its end or that would damage an input: outputs inside the corpus
folder or holding an input, a corpus glob that would match the build's own outputs,
the processed tables inside the report folder (replaced whole), a report folder that is
a mount point or a folder of other files, an output folder that is a file or lies below one.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from .study import Study


def _default_notebooks_dir() -> Path:
    """The package's numbered notebooks (package data: they ship in the wheel)."""
    from ..resources import notebooks_dir

    return notebooks_dir()


#: what a report folder may hold without a manifest: a failed build's kept notebooks (``failed/``, see
#: :func:`~alliance_study.report.execute.execute_notebook`) and ``make e2e``'s screenshots (``e2e/``)
GENERATED_LEFTOVERS = frozenset({"failed", "e2e"})


def _glob_reaches(pattern: str, folder: Path) -> bool:
    """Whether the glob ``pattern`` could match a file the build writes in ``folder`` (or below it).

    >>> _glob_reaches("/s/data/*/*.parquet", Path("/s/data/processed")), _glob_reaches("/s/data/raw/*.csv", Path("/s/data/processed"))
    (True, False)
    >>> _glob_reaches("/s/**/*.jsonl", Path("/s/reports")), _glob_reaches("/s/corpus.jsonl", Path("/s"))
    (True, False)
    """
    import glob
    from fnmatch import fnmatch
    from pathlib import PurePath

    if not glob.has_magic(pattern):
        return False
    suffix = PurePath(pattern).suffix
    name = f"x{suffix}" if suffix and not glob.has_magic(suffix) else "x.parquet"
    candidates = [folder / name, folder / "x" / name, folder / "x" / "x" / name]
    if "**" in pattern:  # recursive: ** crosses folders, as fnmatch's * does
        return any(fnmatch(str(c), pattern.replace("**" + os.sep, "*").replace("**", "*")) for c in candidates)
    return any(PurePath(c).match(pattern) for c in candidates)


def _refuse_a_file(folder: Path, what: str, option: str) -> None:
    """Refuse an output folder that is a file, or lies below one: the build could not make it, after all its work.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = f.write_text("x")
    >>> _refuse_a_file(f / "below", "report", "--output-dir")
    Traceback (most recent call last):
    alliance_study.errors.InputError: ...notes.txt: a file, and the report folder .../notes.txt/below would lie inside it. Fix: give --output-dir a new folder, or one an earlier build wrote, or move the file away.
    >>> _refuse_a_file(f.parent / "new", "report", "--output-dir")
    """
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is None or blocker.is_dir():
        return
    said = (f"the {what} folder is a file" if blocker == folder
            else f"a file, and the {what} folder {folder} would lie inside it")
    raise InputError(f"{blocker}: {said}. Fix: give {option} a new folder, or one an earlier build wrote, or move "
                     f"the file away.")


def _paths(study: Study, processed_dir, output_dir, notebooks_dir) -> tuple[Path, Path, Path]:
    """The processed-tables, report and notebooks folders of a build (None: the study's, or the package's
    notebooks), resolved; :class:`~alliance_study.errors.InputError` naming the folder, the reason and the
    fix for any the build would fail on, or that would replace an input."""
    processed_dir = Path(processed_dir).resolve() if processed_dir else study.processed_dir
    output_dir = Path(output_dir).resolve() if output_dir else study.output_dir
    notebooks_dir = Path(notebooks_dir).resolve() if notebooks_dir else _default_notebooks_dir()
    if study.folder is not None:
        raw = study.folder
        for d in (processed_dir, output_dir):
            if raw == d or raw in d.parents:
                raise InputError(f"{d}: outputs must not go inside the corpus folder {raw}. "
                                 f"Fix: choose an output folder outside it.")
    # the build replaces the report folder and files of the processed folder: no input may lie in either
    inputs = [*study.read_paths(), *(Path(p).resolve() for p in [study.folder, notebooks_dir] if p)]
    for d in (processed_dir, output_dir):
        for p in inputs:
            if p == d or d in p.parents:
                raise InputError(f"{d}: this output folder holds an input of the build ({p}), which the build "
                                 f"would replace. Fix: choose an output folder that holds none of the study's "
                                 f"files (by default: reports/ and data/processed/ beside the study file).")
    # a corpus glob must not match what the build writes: the next build would read its tables as articles
    for d in (processed_dir, output_dir):
        if study.table_pattern and _glob_reaches(study.table_pattern, d):
            raise InputError(f"{d}: the corpus glob {study.table_pattern} would also match the files the build "
                             f"writes here, so the next build would read them as articles. Fix: make the glob "
                             f"match only the corpus (e.g. data/raw/*.parquet), or write the outputs elsewhere "
                             f"(--processed-dir, --output-dir).")
    # the report folder is replaced whole: the tables' folder must not be it or lie inside it
    if processed_dir == output_dir or output_dir in processed_dir.parents:
        raise InputError(f"{processed_dir}: the processed tables would go inside the report folder {output_dir}, "
                         f"which the build replaces whole, tables included. Fix: choose separate folders "
                         f"(by default: data/processed/ and reports/ beside the study file).")
    _refuse_a_file(processed_dir, "processed-tables", "--processed-dir")
    if os.path.ismount(output_dir):  # the build replaces the report folder by a rename: a mount point cannot be
        raise InputError(f"{output_dir}: the report folder is a mount point (a volume mounted there), which the "
                         f"build cannot replace; it would fail after all the work. Fix: write the report into a "
                         f"folder inside it, e.g. --output-dir {output_dir / 'report'}.")
    if output_dir.exists() and not (output_dir / "manifest.json").is_file() and (  # the build replaces it whole
            not output_dir.is_dir() or any(p.name not in GENERATED_LEFTOVERS for p in output_dir.iterdir())):
        raise InputError(f"{output_dir}: not a report folder of an earlier build (a file, or a folder with other "
                         f"files and no manifest.json); the build replaces the whole folder. Fix: choose a new "
                         f"or empty folder for the report, or the folder of an earlier report.")
    _refuse_a_file(output_dir, "report", "--output-dir")  # a file above it
    return processed_dir, output_dir, notebooks_dir
