"""The notebooks' parameters: what they declare, the defaults, and the values of one build.

A notebook declares a parameter with a ``NAME = literal`` line in its cell tagged
``parameters`` (papermill's convention).  The *analysis* parameters (``group_by``,
``roles``, ``n_boot`` ...) take their default from :data:`alliance_study.defaults.DEFAULTS`,
the one set every entry point reads; the other parameters (paths, display options such
as ``n_examples``) take the literal of the notebook.  A build's values are resolved
in order: defaults, then a YAML parameters file (``--params``), then ``-p NAME VALUE``
pairs; strings are coerced to the declared type and anything unknown or mistyped
raises :class:`~alliance_study.errors.ParameterError` naming the valid choices.

Example
-------
>>> p = Param("n_boot", 2000, "int", ("01_corpus.ipynb",))
>>> coerce(p, "500", "-p n_boot")
500
>>> coerce(Param("roles", ["body"], "list", ()), "headline,body", "-p roles")
['headline', 'body']
"""
from __future__ import annotations

import ast
import numbers
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..defaults import DEFAULTS
from ..errors import InputError, ParameterError
from ..resources import UniqueKeyLoader, yaml_problem

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["Param", "BUILD_OWNED", "notebook_list", "notebook_parameters", "resolve_parameters", "coerce",
           "analysis_parameters", "check_values"]

#: parameters the build sets from its own options (paths, validation mode), never from -p
BUILD_OWNED = ("study", "raw_dir", "metadata", "processed_dir", "figures_dir", "on_invalid")


@dataclass(frozen=True)
class Param:
    """One declared parameter: its default, its type name and the notebooks that declare it."""

    name: str
    default: Any
    type: str          # "str", "int", "float", "bool", "list", "dict", "none"
    notebooks: tuple   # notebook file names that declare it


def _plain(value):
    """Tuples as lists: a parameter value as papermill and YAML write it."""
    return list(value) if isinstance(value, tuple) else value


def _type_name(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    for t in (int, float, str, list, dict):
        if isinstance(value, t):
            return t.__name__
    if isinstance(value, tuple):
        return "list"
    return type(value).__name__


def analysis_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """The analysis parameters of ``params`` (those of :data:`~alliance_study.defaults.DEFAULTS`), defaults filled in.

    >>> analysis_parameters({"seed": 7, "figures_dir": "x"})["seed"], analysis_parameters({})["roles"]
    (7, ['headline', 'body'])
    """
    return {k: _plain(params.get(k, v)) for k, v in DEFAULTS.items()}


def notebook_list(notebooks_dir: str | os.PathLike[str]) -> list[Path]:
    """The numbered notebooks ``NN_name.ipynb`` of a folder, in order."""
    d = Path(notebooks_dir)
    if not d.is_dir():
        raise InputError(f"{d}: notebooks folder not found. Fix: pass --notebooks-dir or run from the project root.")
    nbs = sorted(p for p in d.glob("*.ipynb") if re.match(r"^\d+_", p.name))
    if not nbs:
        raise InputError(f"{d}: no numbered notebooks (NN_name.ipynb) found. Fix: pass the notebooks folder.")
    return nbs


def parameters_cell(nb: NotebookNode, path: str | os.PathLike[str]) -> str:
    """Source of the one cell tagged ``parameters`` of notebook ``nb`` (read from ``path``)."""
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise InputError(f"{path}: expected exactly one cell tagged 'parameters', found {len(cells)}. "
                         f"Fix: tag the cell of defaults with 'parameters' (View > Cell toolbar > Tags).")
    return cells[0].source


def declared_literals(source: str, path: str | os.PathLike[str]) -> dict[str, Any]:
    """``NAME = literal`` assignments of a parameters cell, in order (computed values are skipped).

    >>> declared_literals("a = 1  # one\\nb = [2]\\nc = a + 1", "nb")
    {'a': 1, 'b': [2]}
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise InputError(f"{path}: parameters cell, line {exc.lineno}: {exc.msg}. Fix: correct the cell.") from None
    out = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) != 1 or not isinstance(targets[0], ast.Name) or node.value is None:
                continue
            try:
                out[targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue  # computed defaults are not parameters
    return out


def notebook_parameters(notebooks_dir: str | os.PathLike[str]) -> dict[str, Param]:
    """Name -> :class:`Param` declared in the ``parameters`` cells of the numbered notebooks.

    The default of an analysis parameter is the value in
    :data:`~alliance_study.defaults.DEFAULTS`, whatever the notebook's literal says.
    """
    import nbformat

    found: dict[str, dict] = {}
    for path in notebook_list(notebooks_dir):
        literals = declared_literals(parameters_cell(nbformat.read(path, as_version=4), path), path)
        for name, value in literals.items():
            entry = found.setdefault(name, {"default": _plain(DEFAULTS.get(name, value)), "notebooks": []})
            entry["notebooks"].append(path.name)
    return {n: Param(n, e["default"], _type_name(e["default"]), tuple(e["notebooks"])) for n, e in found.items()}


def coerce(p: Param, value: Any, source: str, *, named: bool = True) -> Any:
    """``value`` (a string from ``-p`` or a YAML value) as the declared type of ``p``.

    The message of a wrong value starts with ``source`` and, when ``named``, the
    parameter's name (``source`` may already name it: ``key 'parameters.seed'``).

    >>> coerce(Param("seed", 1, "int", ()), "x", "-p seed")
    Traceback (most recent call last):
    ...
    alliance_study.errors.ParameterError: -p seed: parameter 'seed' must be int (default 1); got 'x': not a whole number. Fix: give a value of that type.
    """
    import yaml

    def fail(why):
        raise ParameterError(f"{source}: {f'parameter {p.name!r} ' * named}must be {p.type} "
                             f"(default {p.default!r}); got {value!r}: {why}. Fix: give a value of that type.")

    v = value
    if isinstance(v, str) and p.type not in ("str", "none"):
        if p.type == "list" and not v.strip().startswith("["):
            v = [x.strip() for x in v.split(",") if x.strip()]
        else:
            try:
                v = yaml.load(v, Loader=UniqueKeyLoader)
            except yaml.YAMLError as exc:
                fail(f"not valid YAML ({exc.__class__.__name__})")
    checks = {
        "bool": (lambda x: isinstance(x, bool), "use true or false"),
        "int": (lambda x: isinstance(x, numbers.Integral) and not isinstance(x, bool), "not a whole number"),
        "float": (lambda x: isinstance(x, numbers.Real) and not isinstance(x, bool), "not a number"),
        "str": (lambda x: isinstance(x, str), "not text"),
        "list": (lambda x: isinstance(x, (list, tuple)), "not a list (write a,b or [a, b])"),
        "dict": (lambda x: isinstance(x, dict), "not a mapping"),
    }
    if p.type in checks:
        ok, why = checks[p.type]
        if not ok(v):
            fail(why)
    if p.type == "float":
        return float(v)
    if p.type == "int":
        return int(v)
    if p.type == "bool":
        return bool(v)
    return _plain(v)


def checked_parameters(params: Mapping[str, Any], source: str = "parameter") -> dict[str, Any]:
    """The analysis parameters of ``params`` as :data:`~alliance_study.defaults.DEFAULTS`' types, checked.

    What ``build`` does to ``-p`` values, for the library and the notebooks: text is read
    as the value it writes (``"body"`` or ``"headline,body"`` as a list of roles, ``"false"``
    as false), a value of the wrong type is refused, and so is one of no use
    (:func:`check_values`).  Names outside ``DEFAULTS`` are left out; None means "not set".

    >>> checked_parameters({"roles": "body", "n_boot": "200", "news_sentiment": "false"})
    {'roles': ['body'], 'n_boot': 200, 'news_sentiment': False}
    >>> checked_parameters({"n_boot": 10.7})
    Traceback (most recent call last):
    ...
    alliance_study.errors.ParameterError: parameter: parameter 'n_boot' must be int (default 2000); got 10.7: not a whole number. Fix: give a value of that type.
    """
    out = {k: coerce(Param(k, DEFAULTS[k], _type_name(DEFAULTS[k]), ()), v, source)
           for k, v in params.items() if k in DEFAULTS and v is not None}
    check_values(out)
    return out


#: the most bootstrap resamples or permutations a build takes (each costs memory per group and measure)
MAX_RESAMPLES = 1_000_000


def check_values(params: Mapping[str, Any]) -> None:
    """Refuse analysis parameter values of the right type but no use: an unknown role, ``n_boot`` below 1 ...

    Checked before the corpus is read (also by ``build --check``), so the message names
    the parameter rather than the empty table it would leave later.

    >>> check_values({"roles": ["headline", "body"], "n_boot": 200, "n_perm": 0, "level": 0.9})
    >>> check_values({"roles": ["hedline"]})
    Traceback (most recent call last):
    ...
    alliance_study.errors.ParameterError: parameter 'roles': unknown role(s) 'hedline'. Fix: use some of headline, body, caption, byline, boilerplate, reader_comment (e.g. -p roles headline,body).
    """
    from ..corpus.roles import ROLES

    bad = [r for r in params.get("roles") or [] if r not in ROLES]
    if bad:
        raise ParameterError(f"parameter 'roles': unknown role(s) {', '.join(map(repr, bad))}. Fix: use some of "
                             f"{', '.join(ROLES)} (e.g. -p roles headline,body).")
    if params.get("roles") is not None and not len(params["roles"]):
        raise ParameterError("parameter 'roles' is empty, so no sentence would count as the outlets' own text. "
                             "Fix: list the roles to measure (e.g. -p roles headline,body), or leave it out for "
                             "the default.")
    group_by = params.get("group_by")
    if group_by == "article_id":
        raise ParameterError("parameter 'group_by' is 'article_id': every article would be a group of its own, "
                             "with nothing to estimate within it. Fix: group by a column that several articles "
                             "share (e.g. outlet).")
    from ..corpus.load import SENTENCE_COLUMNS
    from ..metrics import registry

    taken = set(SENTENCE_COLUMNS) | set(registry.column_names([], news_sentiment=True))
    if group_by in taken or str(group_by).startswith(registry.FRAME_PREFIX):
        raise ParameterError(f"parameter 'group_by' is {group_by!r}, the name of a column of the sentence table "
                             f"too, so the corpus column of that name cannot be told apart from it. Fix: rename "
                             f"the corpus column (e.g. {group_by}_group) and group by the new name.")
    for name, ok, want in (("seed", lambda v: v >= 0, "0 or more (e.g. 20201023)"),
                           ("n_boot", lambda v: 1 <= v <= MAX_RESAMPLES,
                            f"1 to {MAX_RESAMPLES:,} (e.g. 2000; more only narrows the Monte Carlo error)"),
                           ("n_perm", lambda v: 0 <= v <= MAX_RESAMPLES,
                            f"0 (no tests) to {MAX_RESAMPLES:,} (e.g. 2000)"),
                           ("level", lambda v: 0 < v < 1, "between 0 and 1 (e.g. 0.95)")):
        if name in params and not ok(params[name]):
            raise ParameterError(f"parameter {name!r} is {params[name]!r}. Fix: set it to {want}.")


def resolve_parameters(declared: Mapping[str, Param], params_file: str | os.PathLike[str] | None = None,
                       parameters: Iterable[tuple[str, Any]] | Mapping[str, Any] | None = None, *,
                       base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then ``base`` (the study file's, already checked), then the YAML ``params_file``,
    then ``parameters`` (pairs of strings or a mapping).

    Unknown names and wrong types raise :class:`~alliance_study.errors.ParameterError`
    naming the valid ones; the build's own options (``raw_dir`` ...) cannot be set here.
    """
    import yaml

    valid = ", ".join(sorted(n for n in declared if n not in BUILD_OWNED))
    use = f"use one of the valid parameters: {valid}" if valid else "remove it; these notebooks declare no parameter"
    out = {n: p.default for n, p in declared.items()}
    out.update(base or {})
    requests: list[tuple[str, Any, str]] = []
    if params_file:
        pf = Path(params_file)
        if not pf.is_file():
            raise InputError(f"{pf}: parameters file not found. Fix: check the path given to --params.")
        try:
            data = yaml.load(pf.read_text(encoding="utf-8"), Loader=UniqueKeyLoader) or {}
        except UnicodeDecodeError as exc:
            at = pf.read_bytes()[:exc.start].count(b"\n") + 1
            raise ParameterError(f"{pf} line {at}: not UTF-8 text (byte {exc.object[exc.start]:#04x}). "
                                 f"Fix: save the parameters file as UTF-8.") from None
        except yaml.YAMLError as exc:
            line, why = yaml_problem(exc)
            where = f" line {line}" if line else ""
            raise ParameterError(f"{pf}{where}: not valid YAML ({why}). "
                                 f"Fix: write one NAME: VALUE per line.") from None
        if not isinstance(data, dict):
            raise ParameterError(f"{pf}: expected a mapping. Fix: write one NAME: VALUE per line.")
        requests += [(str(k), v, str(pf)) for k, v in data.items()]
    if isinstance(parameters, Mapping):
        requests += [(str(k), v, "parameters") for k, v in parameters.items()]
    else:
        for name, value in parameters or []:
            requests.append((str(name), value, f"-p {name}"))
    for name, value, source in requests:
        if name in BUILD_OWNED:
            opt = "--" + name.replace("_", "-")
            raise ParameterError(f"{source}: {name!r} is set by the build option {opt}, not as a parameter. "
                                 f"Fix: use {opt}.")
        if name == "cell_timeout":  # a build setting the study file may hold, not a notebook parameter
            raise ParameterError(f"{source}: the cell time limit is set by the build option --cell-timeout (or "
                                 f"parameters: cell_timeout in the study file). Fix: use --cell-timeout {value}.")
        if name not in declared:
            raise ParameterError(f"{source}: unknown parameter {name!r}. Fix: {use}.")
        out[name] = coerce(declared[name], value, source)
    return out
