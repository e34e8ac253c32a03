"""Packaged data files and the one cache of parsed files (bottom layer).

Every lexicon, rule file, actor table, stopword or abbreviation list is a data
file: a packaged one in :mod:`alliance_study.lexicons` (named without its folder,
such as ``"hedges"`` or ``"stopwords_en.txt"``) or any path a study gives.  Parsed
files are kept in one cache keyed on the resolved path, the parser, and the file's
modification time and size, so an edited file is read again and an unchanged one
is parsed once per process.

>>> packaged("hedges.yaml").name
'hedges.yaml'
>>> resolve("hedges", suffix=".yaml") == packaged("hedges.yaml")
True
>>> "the" in read_word_list("stopwords_en", suffix=".txt")
True
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
from importlib import resources as _resources
from pathlib import Path
from typing import Any, Callable, TypeVar

import yaml

from .errors import LexiconError

T = TypeVar("T")

#: the package folder that holds the default data files
PACKAGE_DATA = "alliance_study.lexicons"
#: the package folder that holds the files ``alliance-study init`` writes into a new study
TEMPLATES = "alliance_study.templates"
_CACHE: dict[tuple, Any] = {}
_CACHE_MAX = 256
_LOCK = threading.Lock()


def packaged(name: str) -> Path:
    """Path of a data file shipped in :mod:`alliance_study.lexicons`."""
    return Path(str(_resources.files(PACKAGE_DATA).joinpath(name)))


def template(name: str) -> Path:
    """Path of a file of the new-study template (:mod:`alliance_study.templates`).

    >>> template("study.yaml").name
    'study.yaml'
    """
    return Path(str(_resources.files(TEMPLATES).joinpath(name)))


def notebooks_dir() -> Path:
    """The folder of the package's numbered notebooks (``alliance_study/notebooks``, package data).

    In a source checkout it links to the project's ``notebooks/`` folder.
    """
    return Path(str(_resources.files("alliance_study").joinpath("notebooks")))


def resolve(name_or_path: str | os.PathLike, *, suffix: str = "", what: str = "data file") -> Path:
    """A path for a packaged name (``"hedges"`` -> ``lexicons/hedges.yaml``) or a user's path.

    A value with no suffix and no folder that names a packaged file is that packaged
    file, whatever the current folder holds (a folder or file called ``roles`` there
    must not replace the packaged rules: write ``./roles`` to mean it); anything else
    is a path.  A missing file raises :class:`~alliance_study.errors.LexiconError`
    naming it and saying what to give instead.

    >>> resolve("hedges", suffix=".yaml").name
    'hedges.yaml'
    """
    p = Path(name_or_path)
    if not p.suffix and p.name == str(name_or_path):
        candidate = packaged(f"{name_or_path}{suffix}")
        if candidate.exists():
            return candidate
    if not p.exists():
        raise LexiconError(f"{p}: {what} not found. Fix: give the path of an existing file, "
                           f"or a packaged name such as {sorted(available(suffix))[:4]}.")
    if p.is_dir():
        raise LexiconError(f"{p}: is a folder, not a {what}. Fix: give the file itself.")
    return p


#: environment variable naming the on-disk cache folder (processed partitions, results, markers)
CACHE_ENV = "ALLIANCE_STUDY_CACHE"


def cache_root() -> Path:
    """The on-disk cache folder: ``$ALLIANCE_STUDY_CACHE``, else ``$XDG_CACHE_HOME/alliance-study``
    (``~/.cache/alliance-study``).  Everything in it can be deleted; it is made again.

    >>> isinstance(cache_root(), Path)
    True
    """
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "alliance-study"


def available(suffix: str = "") -> list[str]:
    """Names of the packaged data files (without ``suffix`` when one is given)."""
    root = _resources.files(PACKAGE_DATA)
    names = [e.name for e in root.iterdir() if e.is_file() and not e.name.startswith(("_", "."))]
    if suffix:
        return sorted(n[: -len(suffix)] for n in names if n.endswith(suffix))
    return sorted(names)


def file_key(path: str | os.PathLike) -> tuple[str, int, int]:
    """``(resolved path, mtime in ns, size)``: what tells one version of a file from another."""
    p = Path(path).resolve()
    st = p.stat()
    return str(p), st.st_mtime_ns, st.st_size


def cached(parser: Callable[[Path], T], path: str | os.PathLike) -> T:
    """``parser(path)``, remembered until the file changes (mtime or size) or the process ends.

    The one file cache of the package: lexicons, role rules, actor tables, word
    lists all go through it.  Parsers must return objects that callers do not
    mutate.
    """
    fkey = file_key(path)
    key = (getattr(parser, "__module__", ""), getattr(parser, "__qualname__", repr(parser))) + fkey
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    value = parser(Path(fkey[0]))
    with _LOCK:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = value
    return value


def content_hash(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes (cached on the file's version like any parse).

    >>> len(content_hash(packaged("hedges.yaml")))
    64
    """
    return cached(_sha256, path)


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:  # streamed: a corpus table can be large
        return hashlib.file_digest(fh, "sha256").hexdigest()


class UniqueKeyLoader(yaml.SafeLoader):
    """The project's YAML reader: ``yaml.SafeLoader`` with two of YAML 1.1's traps closed.

    * A key given twice in one mapping is refused (YAML keeps the last one silently).
    * Only ``true`` and ``false`` (any of ``true``, ``True``, ``TRUE``) are booleans, as in
      YAML 1.2: unquoted ``on``, ``off``, ``yes``, ``no`` stay words.  YAML 1.1 turns
      them into True/False, so a word list ``[in, on]`` silently held ``True``
      instead of "on".

    >>> yaml.load("[in, on, off, yes, no, true, False]", Loader=UniqueKeyLoader)
    ['in', 'on', 'off', 'yes', 'no', True, False]
    >>> yaml.load("a: 1\\nb: 2\\na: 3\\n", Loader=UniqueKeyLoader)
    Traceback (most recent call last):
    ...
    yaml.constructor.ConstructorError: key 'a' is given twice (first on line 1)
      in "<unicode string>", line 3, column 1:
        a: 3
        ^
    """


_BOOL = "tag:yaml.org,2002:bool"
UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
UniqueKeyLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key: the constructor says so below
            continue
        if first is None:
            seen[key] = key_node.start_mark.line + 1
        else:  # also on one line: {a: 1, a: 2}
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} is given twice (first on line "
                                                    f"{first})", key_node.start_mark)
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """``(line, reason)`` of a YAML error: the 1-based line it points at (None if it points nowhere) and its reason.

    >>> try:
    ...     yaml.load("a: 1\\nb: [2\\n", Loader=UniqueKeyLoader)
    ... except yaml.YAMLError as exc:
    ...     yaml_problem(exc)
    (3, "expected ',' or ']', but got '<stream end>'")
    """
    mark = getattr(exc, "problem_mark", None)
    return (mark.line + 1 if mark is not None else None,
            getattr(exc, "problem", None) or str(exc).splitlines()[0])


def _parse_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)
    except yaml.YAMLError as exc:
        line, why = yaml_problem(exc)
        where = f" line {line}" if line else ""
        raise LexiconError(f"{path}{where}: not valid YAML ({why}). Fix: correct the file "
                           f"(the packaged files in alliance_study/lexicons/ show the format).") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot be read ({exc}). Fix: save it as UTF-8 text.") from None


def read_yaml(name_or_path: str | os.PathLike, *, what: str = "YAML file") -> Any:
    """Parsed YAML of a packaged name (``"hedges"``) or a path, cached on the file's version."""
    return cached(_parse_yaml, resolve(name_or_path, suffix=".yaml", what=what))


def _parse_lines(path: Path) -> tuple[str, ...]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot be read ({exc}). Fix: save it as UTF-8 text, one entry a line.") from None
    out = []
    for line in lines:
        item = line.split("#", 1)[0].strip()
        if item:
            out.append(item)
    return tuple(out)


def read_lines(name_or_path: str | os.PathLike, *, suffix: str = ".txt", what: str = "word list") -> tuple[str, ...]:
    """Non-empty lines of a one-entry-per-line file, ``#`` comments removed, cached."""
    return cached(_parse_lines, resolve(name_or_path, suffix=suffix, what=what))


def _parse_word_list(path: Path) -> frozenset:
    return frozenset(w.lower().replace("’", "'") for w in _parse_lines(path))


def read_word_list(name_or_path: str | os.PathLike, *, suffix: str = ".txt", what: str = "word list") -> frozenset:
    """A one-word-per-line file as a frozenset of lower-case words (curly apostrophes straight), cached."""
    return cached(_parse_word_list, resolve(name_or_path, suffix=suffix, what=what))


def clear_cache() -> None:
    """Forget every parsed file (tests use it; files are re-read on their next use)."""
    with _LOCK:
        _CACHE.clear()
