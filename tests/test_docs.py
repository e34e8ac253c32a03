"""The documentation site builds offline in strict mode and covers the whole public API.

* ``mkdocs build --strict`` (a broken cross-reference, a malformed docstring section or
  a missing page fails it) into a temporary folder;
* every public name -- ``alliance_study.__all__`` and the ``__all__`` of every public
  subpackage, walked here independently of the generator in docs/gen_api.py -- has a
  documented section on its module's page, or a link from that page to the section
  where it is documented;
* the site loads nothing from the network (no fonts, scripts or styles from elsewhere);
* the tables generated from the registry and the command-line help are in the pages;
* the getting-started page's commands marked ``<!-- test -->`` run as written.
"""
from __future__ import annotations

import html
import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import alliance_study

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs"

pytestmark = pytest.mark.skipif(not MKDOCS.exists(), reason="mkdocs is not installed in the venv")


def public_names() -> dict[str, list[str]]:
    """``{module: [names]}`` from ``alliance_study.__all__`` and every public subpackage's ``__all__``."""
    out = {"alliance_study": list(alliance_study.__all__)}
    for info in pkgutil.walk_packages(alliance_study.__path__, "alliance_study."):
        if info.ispkg and not any(p.startswith("_") for p in info.name.split(".")):
            mod = importlib.import_module(info.name)
            if hasattr(mod, "__all__"):
                out[info.name] = list(mod.__all__)
    return {m: [n for n in names if not (n.startswith("__") and n.endswith("__"))] for m, names in out.items()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    t0 = time.perf_counter()
    run = subprocess.run([str(MKDOCS), "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
                         cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    seconds = time.perf_counter() - t0
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stdout}\n{run.stderr}"
    print(f"docs built in {seconds:.1f} s")
    return out


def _html(site: Path, page: str) -> str:
    path = site / page / "index.html"
    assert path.exists(), f"{page}: no page in the built site"
    return path.read_text(encoding="utf-8")


def test_every_public_name_is_documented(site):
    ids: set[str] = set()
    for page in (site / "api").glob("*/index.html"):
        ids |= set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))
    api = public_names()
    assert {"alliance_study", "alliance_study.corpus", "alliance_study.metrics"} <= set(api)
    missing = []
    for module, names in api.items():
        html = _html(site, f"api/{module}")
        own_ids = set(re.findall(r'\bid="([^"]+)"', html))
        fragments = set(re.findall(r'href="[^"#]*#([^"]+)"', html))
        page_links = set(re.findall(r'href="\.\./([^"#/]+)/"', html))
        for name in names:
            obj = getattr(importlib.import_module(module), name)
            if isinstance(obj, type(sys)) and obj.__name__ in api:  # a subpackage: its own page
                ok = obj.__name__ in page_links
            else:
                ok = (any(i.endswith("." + name) for i in own_ids)
                      or any(f.endswith("." + name) and f in ids for f in fragments))
            if not ok:
                missing.append(f"{module}.{name}")
    assert not missing, f"public names without a documented section: {missing}"


def test_site_fetches_nothing_from_the_network(site):
    remote = re.compile(r'<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)="(?:https?:)?//', re.I)
    offenders = [str(p.relative_to(site)) for p in site.rglob("*.html") if remote.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"pages that load resources from the network: {offenders}"
    css = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_generated_tables_and_cli_help_are_in_the_pages(site):
    from alliance_study.metrics import registry

    measures = _html(site, "measures")
    assert "<!-- registry" not in measures
    for m in registry.sentence_measures(["<name>"]) + registry.quote_measures(["<type>"]):
        assert f"<code>{html.escape(m.name, quote=False)}</code>" in measures, m.name
    for c in registry.sentence_columns(["<name>"]):
        assert f"<code>{html.escape(c.name, quote=False)}</code>" in measures, c.name
    cli = _html(site, "cli")
    help_text = subprocess.run([str(BIN / "alliance-study"), "--help"], capture_output=True, text=True).stdout
    commands = re.findall(r"^    ([a-z][\w-]*)\s", help_text, flags=re.M)  # the sub-commands listed under COMMAND
    assert {"validate", "score", "build"} <= set(commands), help_text
    for command in commands:
        assert f"usage: alliance-study {command}" in cli, f"no generated help for {command}"


def _tested_blocks(page: Path) -> list[str]:
    """The fenced ``bash`` blocks right after a ``<!-- test -->`` line, in page order."""
    text = page.read_text(encoding="utf-8")
    return re.findall(r"^<!-- test -->\n```bash\n(.*?)^```", text, flags=re.M | re.S)


@pytest.mark.slow
def test_getting_started_commands_run_as_written(tmp_path):
    blocks = _tested_blocks(ROOT / "docs" / "getting-started.md")
    assert len(blocks) >= 2, "getting-started.md: expected the init and build blocks marked <!-- test -->"
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    assert shutil.which("alliance-study", path=env["PATH"]) == str(BIN / "alliance-study")
    for block in blocks:
        for line in [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]:
            run = subprocess.run(["bash", "-e", "-c", line], cwd=tmp_path, env=env, capture_output=True,
                                 text=True, timeout=600)
            assert run.returncode == 0, f"`{line}` failed ({run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
    study = tmp_path / "my-study" / "study.yaml"
    assert study.exists(), "alliance-study init my-study wrote no my-study/study.yaml"
    assert list(tmp_path.rglob("*.html")), "alliance-study build left no HTML report"


def test_doc_helpers_examples():
    """The examples in the docstrings of docs/*.py (outside pytest's testpaths) hold."""
    import doctest
    import importlib.util

    attempted = 0
    for name in ("griffe_doctest", "gen_api"):
        spec = importlib.util.spec_from_file_location(f"_docs_{name}", ROOT / "docs" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, f"docs/{name}.py: {result.failed} doctest(s) failed"
        attempted += result.attempted
    assert attempted >= 2
