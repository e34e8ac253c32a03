"""MkDocs hook: the API reference and the command-line help, generated at build time.

The reference follows the code: every name in ``alliance_study.__all__``, in the
``__all__`` of every public subpackage, and every public name of the top-level
modules (``alliance_study.errors``, ``alliance_study.text`` ...) gets a section
``::: module.name`` rendered by mkdocstrings from its numpy docstring.  A name that
several modules export is documented once, in the module closest to where it is
defined; the other pages link to that section.  Nothing is written into ``docs/``:
the pages exist only in the build (``site/api/...``).

A line ``<!-- registry: columns -->`` (or ``measures``) is replaced by a table of the
per-sentence columns (or group measures) declared in ``alliance_study.metrics.registry``.
A line ``<!-- lexicons: sources -->`` is replaced by a table of the packaged data files
with the description and the sources each file gives in its own header.
A line ``<!-- cli-help: COMMAND -->`` is replaced by the output of
``alliance-study COMMAND --help`` (``<!-- cli-help: -->`` for the top level).

``public_api()`` is importable on its own (tests/test_docs.py uses it to list pages).
"""
from __future__ import annotations

import importlib
import inspect
import logging
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

ROOT = "alliance_study"
API_DIR = "api"
log = logging.getLogger("mkdocs.hooks.gen_api")
_CLI_RE = re.compile(r"^<!-- cli-help:\s*([\w-]*)\s*-->$", re.M)
_REGISTRY_RE = re.compile(r"^<!-- registry:\s*(columns|measures)\s*-->$", re.M)
_LEXICONS_RE = re.compile(r"^<!-- lexicons: sources -->$", re.M)


def _public(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split("."))


def _modules() -> list[str]:
    """The package, its public subpackages, and the public modules directly under the package."""
    root = importlib.import_module(ROOT)
    names = [ROOT]
    for info in pkgutil.walk_packages(root.__path__, ROOT + "."):
        if not _public(info.name):
            continue
        depth = info.name.count(".")
        if info.ispkg or depth == 1:
            names.append(info.name)
    return sorted(names)


def _exports(module) -> list[str]:
    """``__all__`` (dunders left out), or else the public names the module defines itself."""
    if hasattr(module, "__all__"):
        return [n for n in module.__all__ if not (n.startswith("__") and n.endswith("__"))]
    own = []
    for name, obj in vars(module).items():
        if name.startswith("_"):
            continue
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module.__name__:
            own.append(name)
    return own


def public_api() -> dict[str, dict[str, str]]:
    """``{module: {name: canonical module}}`` for the whole public API.

    The canonical module of a name is where its section is rendered: among the modules
    that export the very same object, the deepest one whose name prefixes the object's
    ``__module__`` (where it is defined), else the shallowest subpackage, else the
    package itself.
    """
    mods = {m: importlib.import_module(m) for m in _modules()}
    exports = {m: _exports(mod) for m, mod in mods.items()}
    exports = {m: names for m, names in exports.items() if names}
    api: dict[str, dict[str, str]] = {}
    for m, names in exports.items():
        api[m] = {}
        for name in names:
            try:
                obj = getattr(mods[m], name)
            except AttributeError as e:
                from mkdocs.exceptions import PluginError
                raise PluginError(f"{m}.__all__ lists {name!r}, which cannot be imported ({e}). "
                                  f"Fix: define {name} or remove it from {m}.__all__.") from e
            if isinstance(obj, type(sys)) and obj.__name__ in exports and obj.__name__ != m:
                api[m][name] = obj.__name__  # a subpackage: its own page
                continue
            holders = [h for h, hn in exports.items() if name in hn and getattr(mods[h], name) is obj]
            home = getattr(obj, "__module__", None) or ""
            if isinstance(obj, type(sys)):
                home = obj.__name__
            near = [h for h in holders if h != ROOT and (home == h or home.startswith(h + "."))]
            if near:
                api[m][name] = max(near, key=lambda h: h.count("."))
            else:
                others = [h for h in holders if h != ROOT]
                api[m][name] = min(others, key=lambda h: (h.count("."), h)) if others else m
    return api


def _summary(obj) -> str:
    doc = inspect.getdoc(obj) if (inspect.isfunction(obj) or inspect.isclass(obj)
                                  or isinstance(obj, type(sys))) else None
    return (doc or "").strip().split("\n\n")[0].replace("\n", " ").replace("|", "\\|")


def target(module: str, name: str) -> str:
    """The dotted path rendered for ``module.name``: where a function or class is defined.

    The defining path is unambiguous where the exported path is not (a package that
    exports a function named like one of its submodules: griffe would show the module).
    """
    obj = getattr(importlib.import_module(module), name)
    if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__qualname__ == name:
        return f"{obj.__module__}.{obj.__qualname__}"
    return f"{module}.{name}"  # a constant, or another name for an object (griffe resolves it)


def page_of(module: str) -> str:
    return f"{API_DIR}/{module}.md"


def _page(module: str, names: dict[str, str]) -> str:
    mod = importlib.import_module(module)
    lines = [f"# `{module}`", "",
             f"::: {module}", "    options:", "      members: false", "      show_root_heading: false", ""]
    own = [n for n, home in names.items() if home == module]
    elsewhere = {n: home for n, home in names.items() if home != module}
    for name in own:
        lines += [f"::: {target(module, name)}", ""]
    if elsewhere:
        lines += ["## Also exported here", "",
                  f"Documented where they are defined; importable as `from {module} import NAME`.", "",
                  "| name | documented in | summary |", "|---|---|---|"]
        for name, home in sorted(elsewhere.items()):
            obj = getattr(mod, name)
            summary = _summary(obj)
            if isinstance(obj, type(sys)) and obj.__name__ == home:
                lines.append(f"| [`{name}`]({home}.md) | [`{home}`]({home}.md) | {summary} |")
            else:
                lines.append(f"| [`{name}`][{target(home, name)}] | [`{home}`]({home}.md) | {summary} |")
        lines.append("")
    return "\n".join(lines)


def _index(api: dict[str, dict[str, str]]) -> str:
    import alliance_study
    lines = ["# API reference", "",
             f"Generated from the docstrings of version {alliance_study.__version__}: one page per "
             "public module, one section per public name (its `__all__`). A name exported by "
             "several modules is documented where it is defined.", "",
             "| module | summary |", "|---|---|"]
    for m in api:
        lines.append(f"| [`{m}`]({m}.md) | {_summary(importlib.import_module(m))} |")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ MkDocs hook events
_API: dict[str, dict[str, str]] = {}


def on_config(config, **kwargs):
    _API.clear()
    _API.update(public_api())
    pages = [{"Overview": f"{API_DIR}/index.md"}] + [{m: page_of(m)} for m in _API]
    nav = [item for item in (config.nav or [])
           if not (isinstance(item, dict) and "API reference" in item)]
    config.nav = nav + [{"API reference": pages}]
    return config


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File
    files.append(File.generated(config, f"{API_DIR}/index.md", content=_index(_API)))
    for m, names in _API.items():
        files.append(File.generated(config, page_of(m), content=_page(m, names)))
    return files


def _cli_help(command: str) -> str:
    exe = Path(sys.executable).with_name("alliance-study")
    args = [str(exe)] + ([command] if command else []) + ["--help"]
    env = dict(os.environ, COLUMNS="88")
    run = subprocess.run(args, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        log.info("alliance-study %s --help failed: %s", command, run.stderr.strip()[-200:])
        return (f'!!! note "Not in this version"\n    `alliance-study {command}` is not available in '
                "the installed version of the package.")
    return "```text\n" + run.stdout.rstrip() + "\n```"


def _cell(text) -> str:
    if text is None:
        return ""
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def _registry_table(which: str) -> str:
    from alliance_study.metrics import registry
    if which == "columns":
        rows = ["| column | dtype | what | lexicon |", "|---|---|---|---|"]
        for c in registry.sentence_columns(["<name>"]):
            rows.append(f"| `{c.name}` | {c.dtype} | {_cell(c.description)} | {_cell(c.lexicon)} |")
    else:
        rows = ["| measure | estimate | of column | over | label (unit) |", "|---|---|---|---|---|"]
        for m in registry.sentence_measures(["<name>"]) + registry.quote_measures(["<type>"]):
            where = f" where `{m.where}`" if m.where else ""
            rows.append(f"| `{m.name}` | {m.kind} | `{m.column}`{where} | {_cell(m.units)} "
                        f"| {_cell(m.label)} ({_cell(m.unit)}) |")
    return "\n".join(rows)


def _first_sentences(text: str, n: int = 2) -> str:
    parts = re.split(r"(?<=[.!?])\s+", " ".join(str(text).split()))
    return " ".join(parts[:n])


def _lexicon_sources() -> str:
    """One row per packaged data file: what it is and its sources, from the file's own header."""
    import json
    from importlib.resources import files as package_files

    import yaml

    rows = ["| file | what | sources |", "|---|---|---|"]
    for f in sorted(package_files("alliance_study.lexicons").iterdir(), key=lambda f: f.name):
        if f.name.startswith(("_", ".")) or f.name.endswith((".py", ".md")) or not f.is_file():
            continue
        text = f.read_text(encoding="utf-8")
        what, sources = "", ""
        if f.name.endswith((".yaml", ".yml")):
            data = yaml.safe_load(text) or {}
            what = _first_sentences(data.get("description", ""))
            sources = "<br>".join(_cell(s) for s in data.get("sources") or [])
            what = _cell(what)
        elif f.name.endswith(".json"):
            data = json.loads(text)
            what = _cell(_first_sentences(data.get("description", "") or
                                          f"model file ({', '.join(list(data)[:6])})"))
            training = data.get("training")
            if isinstance(training, dict) and training.get("data"):
                sources = _cell(training["data"])
        else:
            header = [ln.lstrip("#").strip() for ln in text.splitlines() if ln.startswith("#")]
            header = header[:next((i for i, ln in enumerate(text.splitlines()) if not ln.startswith("#")),
                                  len(header))]
            src = next((i for i, ln in enumerate(header) if ln.lower().startswith("source")), None)
            what = _cell(_first_sentences(" ".join(header[:src]), 2))
            if src is not None:
                sources = _cell(" ".join(header[src:]).split(":", 1)[-1].strip())
        rows.append(f"| `{f.name}` | {what} | {sources} |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files, **kwargs):
    markdown = _LEXICONS_RE.sub(lambda m: _lexicon_sources(), markdown)
    markdown = _REGISTRY_RE.sub(lambda m: _registry_table(m.group(1)), markdown)
    return _CLI_RE.sub(lambda m: _cli_help(m.group(1)), markdown)
