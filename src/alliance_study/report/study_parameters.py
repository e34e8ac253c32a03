"""A study's parameters checked one by one, the ``group_by`` message, and path parameters made absolute.

* :func:`study_parameter_problems` -- every problem of a study file's ``parameters:`` at once
  (unknown names, types, values), for :func:`~.study.load_study` and the build;
* :func:`group_by_problem` -- the message for a ``group_by`` that names no column
  (the study file check, the build and ``build --check`` say it);
* :func:`path_parameters`, :func:`absolute_paths` -- the notebook parameters that name
  files or folders (validation data), made absolute relative to where each was written,
  so that a notebook says the path it looked in and the report's appendix lists it.

Example
-------
>>> study_parameter_problems({"seed": "7"})
({'seed': 7}, [])
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..defaults import DEFAULTS
from ..errors import ParameterError
from ..resources import UniqueKeyLoader
from .parameters import BUILD_OWNED, Param, _plain, _type_name, check_values, coerce

__all__ = ["PATH_SUFFIXES", "study_parameter_problems", "group_by_problem", "path_parameters", "absolute_paths"]

#: a notebook parameter whose name ends so names a file or folder (validation data ...)
PATH_SUFFIXES = ("_dir", "_csv", "_file", "_path")


def study_parameter_problems(parameters: Mapping[str, Any],
                             declared: Mapping[str, Param] | None = None) -> tuple[dict[str, Any], list[str]]:
    """A study file's ``parameters:``, checked one by one: the values read, and every problem (none hides another).

    Parameters
    ----------
    parameters : mapping
        The study file's ``parameters`` mapping.
    declared : mapping of Param, optional
        The notebooks' declared parameters (:func:`~.parameters.notebook_parameters`); a name neither
        declared nor an analysis parameter (:data:`~alliance_study.defaults.DEFAULTS`) is
        unknown.  None: only the analysis parameters and ``cell_timeout`` are checked
        (names for other notebooks are let through).

    Returns
    -------
    (dict, list of str)
        Name -> value as the declared type (``cell_timeout`` left out: a build setting);
        one line per problem, ``key 'parameters.NAME': reason. Fix: ...``.

    Examples
    --------
    >>> values, problems = study_parameter_problems({"n_boot": "lots", "groupby": "x", "seed": 3}, {})
    >>> values
    {'seed': 3}
    >>> for line in problems:
    ...     print(line)  # doctest: +ELLIPSIS
    key 'parameters.n_boot': must be int (default 2000); got 'lots': not a whole number. Fix: give a value of that type.
    key 'parameters.groupby': unknown parameter. Fix: did you mean 'group_by'? Valid: concordance_terms, group_by, ...
    """
    import difflib

    known = dict(declared or {})
    for name, value in DEFAULTS.items():
        if name not in known:
            known[name] = Param(name, _plain(value), _type_name(_plain(value)), ())
    valid = sorted(n for n in known if n not in BUILD_OWNED)
    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in parameters.items():
        key = f"key 'parameters.{name}'"
        if name == "cell_timeout":  # a build setting, not a notebook parameter
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                problems.append(f"{key}: expected seconds (a number, 0 = no limit), got {value!r}. "
                                f"Fix: e.g. cell_timeout: 1800.")
        elif name in BUILD_OWNED:
            problems.append(f"{key}: set by the build, not by the study. Fix: remove it (the corpus is set under "
                            f"corpus:, output folders by the build's options).")
        elif name not in known:
            if declared is None:
                continue  # a parameter of notebooks not known here: the build checks it against them
            close = difflib.get_close_matches(str(name), valid, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(f"{key}: unknown parameter. Fix: {hint}Valid: {', '.join(valid)}.")
        else:
            try:
                out[name] = coerce(known[name], value, key, named=False)
                if name in DEFAULTS and value is not None:
                    check_values({name: out[name]})
            except ParameterError as exc:
                why = str(exc)
                for said in (f"parameter {name!r}: ", f"parameter {name!r} "):
                    why = why.removeprefix(said)
                problems.append(why if why.startswith(key) else f"{key}: {why}")
                out.pop(name, None)
    return out, problems


def group_by_problem(group_by: Any, columns: Iterable[Any]) -> str:
    """The message for a ``group_by`` that names no column: each usable column quoted (a name may hold
    commas), not the article id nor the loader's own ``table_file``/``table_row``; the build and
    ``build --check`` both say it so.

    >>> print(group_by_problem("regoin", ["article_id", "Region, coded (v2)", "table_file", "table_row"]))
    group_by='regoin': no such column in the corpus. Fix: set parameters: group_by in the study file (or -p group_by COLUMN) to one of: 'Region, coded (v2)'.
    """
    from ..corpus.partition import TAIL_COLUMNS

    usable = [str(c) for c in columns if c not in ("article_id", *TAIL_COLUMNS)]
    close = difflib.get_close_matches(str(group_by), usable, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"group_by={group_by!r}: no such column in the corpus. Fix: set parameters: group_by in the study "
            f"file (or -p group_by COLUMN) to one of: {', '.join(map(repr, usable)) or '(no metadata column)'}{hint}.")


def path_parameters(declared: Mapping[str, Param]) -> list[str]:
    """The declared text parameters that name a file or folder (:data:`PATH_SUFFIXES`), not set by the build.

    >>> path_parameters({"vader_dir": Param("vader_dir", "../v", "str", ()), "n_examples": Param("n_examples", 3,
    ...                  "int", ()), "processed_dir": Param("processed_dir", "x", "str", ())})
    ['vader_dir']
    """
    return sorted(n for n, p in declared.items()
                  if p.type == "str" and n.endswith(PATH_SUFFIXES) and n not in BUILD_OWNED)


def absolute_paths(params: Mapping[str, Any], declared: Mapping[str, Param], notebooks_dir: str | os.PathLike[str], *,
                   study_dir: str | os.PathLike[str] | None = None, study_parameters: Iterable[str] = (),
                   params_file: str | os.PathLike[str] | None = None,
                   parameters: Iterable[tuple[str, Any]] | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``params`` with every path parameter (:func:`path_parameters`) made absolute, relative to where it was written.

    A value given with ``-p`` (``parameters``) is relative to the current folder, one in
    the ``--params`` file to that file's folder, one in the study file (``study_parameters``
    of the study in ``study_dir``) to the study file's folder, and a notebook's own default
    to the notebooks' folder (where the notebook runs).  The notebooks then say the path
    they looked in, and the report's appendix lists it.

    >>> d = {"vader_dir": Param("vader_dir", "../v", "str", ())}
    >>> absolute_paths({"vader_dir": "../v", "seed": 1}, d, "/no/such/pkg/notebooks")
    {'vader_dir': '/no/such/pkg/v', 'seed': 1}
    >>> absolute_paths({"vader_dir": "v"}, d, "/no/such/pkg", study_dir="/no/s", study_parameters=["vader_dir"])
    {'vader_dir': '/no/s/v'}
    """
    import yaml

    out = dict(params)
    cli = {str(k) for k in parameters} if isinstance(parameters, Mapping) else {str(n) for n, _ in parameters or []}
    in_file: set[str] = set()
    if params_file is not None:  # read and checked by resolve_parameters before: only its names are wanted
        data = yaml.load(Path(params_file).read_text(encoding="utf-8"), Loader=UniqueKeyLoader)
        in_file = {str(k) for k in data} if isinstance(data, dict) else set()
    in_study = set(study_parameters)
    for name in path_parameters(declared):
        value = out.get(name)
        if not isinstance(value, str) or not value:
            continue
        if name in cli:
            base = Path.cwd()
        elif name in in_file and params_file is not None:
            base = Path(params_file).resolve().parent
        elif name in in_study and study_dir is not None:
            base = Path(study_dir)
        else:
            base = Path(notebooks_dir)
        path = Path(os.path.expanduser(value))
        # as the notebook's open() would find it: '..' taken after the folder's links (the package's notebooks
        # folder may be a link into the checkout)
        out[name] = str(path if path.is_absolute() else (base.resolve() / path).resolve())
    return out
