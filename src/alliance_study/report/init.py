"""``alliance-study init DIR``: a new study that builds at once.

Writes ``DIR/study.yaml`` (every key explained in comments), ``DIR/README.md``
(what to change first), ``DIR/data/corpus.jsonl`` (a small made-up example corpus
with news-please field names) and ``DIR/lexicons/`` (copies of the package's
lexicons to edit, plus an example targets file).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()) / "my_study"
>>> written = init_study(d)
>>> sorted(p.relative_to(d).as_posix() for p in written)[:4]
['README.md', 'data/corpus.jsonl', 'lexicons/actors.csv', 'lexicons/attribution.yaml']
>>> from alliance_study.report.study import load_study
>>> load_study(d / "study.yaml").title
'How outlets framed a four-day work week'
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import InputError
from ..resources import packaged, template

#: package lexicons copied into a new study (the example's targets file replaces the empty default)
COPIED_LEXICONS = ("frames.yaml", "hedges.yaml", "boosters.yaml", "attribution.yaml", "roles.yaml", "actors.csv")
_TEMPLATE_FILES = {"study.yaml": "study.yaml", "README.md": "README.md",
                   "data/corpus.jsonl": "example_corpus.jsonl", "lexicons/targets.yaml": "targets.yaml"}


def init_study(directory: str | os.PathLike, *, force: bool = False) -> list[Path]:
    """Create a new study folder; return the files written.

    Parameters
    ----------
    directory : str or path
        The new study's folder. It may exist only if it is empty (or with ``force``).
    force : bool
        Write into a non-empty folder, replacing the files of the same names.

    Raises
    ------
    InputError
        The folder is not empty, or is a file.
    """
    d = Path(directory)
    if d.exists() and not d.is_dir():
        raise InputError(f"{d}: is a file. Fix: give a new folder name for the study.")
    if d.is_dir() and any(d.iterdir()) and not force:
        raise InputError(f"{d}: folder is not empty. Fix: give a new folder name, or add --force to "
                         f"overwrite the study files in it.")
    plan = {rel: template(src) for rel, src in _TEMPLATE_FILES.items()}
    plan.update({f"lexicons/{name}": packaged(name) for name in COPIED_LEXICONS})
    written = []
    for rel, src in sorted(plan.items()):
        dest = d / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(dest)
    return written


def run_init(directory: str | os.PathLike, *, force: bool = False) -> int:
    """CLI ``alliance-study init DIR``: write the study, say what to do next; exit code 0."""
    written = init_study(directory, force=force)
    d = Path(directory)
    print(f"Created the study {d}/ ({len(written)} files):")
    for p in written:
        print(f"  {p.relative_to(d).as_posix()}")
    print(f"\nBuild its report:  alliance-study build --study {d / 'study.yaml'}\n"
          f"Then edit {d / 'study.yaml'} and the files in {d / 'lexicons'}/ (README.md says what first).")
    return 0
