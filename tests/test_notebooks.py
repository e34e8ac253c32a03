"""The committed notebooks: clean (no outputs), parameterised, paired, safe with article text,
and runnable standalone from ``notebooks/`` with their default parameters."""
from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from _buildkit import ROOT, copy_raw

NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_the_four_numbered_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == ["01_corpus", "02_metrics", "03_framing_comparison", "04_validation"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} has outputs: clear them before committing"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"
    assert "papermill" not in nb["metadata"]
    assert nb["metadata"]["kernelspec"]["name"] == "alliance-study"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_of_literals(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    tree = ast.parse(cells[0].source)
    assigned = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets}
    for node in tree.body:
        assert isinstance(node, ast.Assign), "parameters cell: only NAME = literal lines"
        ast.literal_eval(node.value)
    assert "study" in assigned  # the build passes the study file; nothing names a corpus folder
    assert not {"raw_dir", "metadata"} & assigned
    if path.stem != "04_validation":
        assert {"processed_dir", "group_by", "roles", "n_boot", "seed", "figures_dir"} <= assigned
    # papermill must be able to read every line (a '=' in a comment defeats its parser)
    import papermill as pm

    names = {p["name"] for p in pm.inspect_notebook(str(path)).values()}
    assert names == assigned


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem != "04_validation"], ids=lambda p: p.name)
def test_parameters_cell_leaves_analysis_parameters_to_the_study(path):
    """Every analysis parameter of alliance_study.defaults.DEFAULTS is declared and None, so a notebook
    opened by hand computes what the build and the library compute: load_tables fills each from the
    study file, else from DEFAULTS (test_none_parameters_take_the_study_value_then_the_defaults)."""
    from alliance_study.defaults import DEFAULTS
    from alliance_study.report.parameters import declared_literals, parameters_cell

    literals = declared_literals(parameters_cell(nbformat.read(path, as_version=4), path), path)
    assert literals["study"] == "../study.yaml"
    for name in DEFAULTS:
        assert name in literals, f"{path.name}: parameter {name!r} not declared"
        assert literals[name] is None, f"{path.name}: {name} = {literals[name]!r}; leave it None (study file, DEFAULTS)"


def test_none_parameters_take_the_study_value_then_the_defaults(tmp_path):
    """What the notebooks' None parameters become: the study file's value where it sets one
    (the pilot: group_by origin_country), else DEFAULTS; a corpus folder alone: DEFAULTS."""
    from alliance_study.defaults import DEFAULTS
    from alliance_study.report import load_tables

    unset = dict.fromkeys(DEFAULTS)
    pilot = load_tables(ROOT / "study.yaml", tmp_path / "pilot", write=False, **unset)
    want = {k: (list(v) if isinstance(v, tuple) else v) for k, v in DEFAULTS.items()}
    got = {k: (list(v) if isinstance(v, tuple) else v) for k, v in pilot.params.items() if k in DEFAULTS}
    assert got == {**want, "group_by": "origin_country"}
    assert sorted(pilot.group_comparison["group"].unique()) == sorted(pilot.articles["origin_country"].unique())
    plain = load_tables(ROOT / "data" / "raw", tmp_path / "plain", write=False, **unset)
    assert {k: (list(v) if isinstance(v, tuple) else v) for k, v in plain.params.items() if k in DEFAULTS} == want
    assert sorted(plain.group_comparison["group"].unique()) == sorted(plain.articles[DEFAULTS["group_by"]].unique())


#: words of the pilot study that a notebook must not contain (the study file supplies title, target, frames)
PILOT_WORDS = ("alliance", "china", "russia", "putin", "origin_country")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_say_nothing_of_the_pilot(path):
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type not in ("markdown", "code"):
            continue
        text = cell.source.lower().replace("alliance_study", "").replace("alliance-study", "")
        found = [w for w in PILOT_WORDS if w in text]
        assert not found, f"{path.name} cell {i} ({cell.cell_type}) names the pilot: {found}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_only_public_report_and_library_names(path):
    src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    tree = ast.parse(src)
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {m for m in modules if m and (m.startswith("alliance_study.build") or "pipeline" in m)}
    assert not [m for m in modules if m and any(part.startswith("_") for part in m.split("."))]
    # no unused imports: every imported name is used in the notebook
    names = {(a.asname or a.name).split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
             for a in n.names}
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert names <= used, f"{path.name}: unused imports {sorted(names - used)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_unescaped_html(path):
    src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert "escape=False" not in src
    assert not re.search(r"\.to_html\([^)]*escape\s*=\s*False", src)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_paired_script_in_sync(path):
    jupytext = pytest.importorskip("jupytext")
    script = path.with_suffix(".py")
    assert script.is_file(), f"{script.name} missing: jupytext --sync {path.name}"
    a = [(c.cell_type, c.source.strip()) for c in jupytext.read(path).cells]
    b = [(c.cell_type, c.source.strip()) for c in jupytext.read(script).cells]
    assert a == b, f"{path.name} and {script.name} differ: run jupytext --sync"


def _markdown(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


#: a confidence level stated as a fact of the intervals ("the 95% intervals", "its 90% bootstrap interval")
FIXED_LEVEL = re.compile(r"\b\d\d(\.\d+)?\s?%\s+(bootstrap\s+|cluster-bootstrap\s+|confidence\s+)?intervals?\b")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_interval_level_is_the_studys_not_a_fixed_number(path):
    """``level`` is a parameter: the text names no fixed level of the intervals, and every estimates figure
    is told the level in force (its caption says it)."""
    found = FIXED_LEVEL.findall(_markdown(path))
    assert not FIXED_LEVEL.search(_markdown(path)), f"{path.name}: the text fixes the intervals' level: {found}"
    src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    calls = [n for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Call)
             and getattr(n.func, "attr", getattr(n.func, "id", "")) == "plot_estimates"]
    for call in calls:
        assert "level" in {k.arg for k in call.keywords}, f"{path.name}: plot_estimates(...) without level="


def test_the_keyness_threshold_in_the_text_is_the_figures_line():
    from alliance_study import plots

    text = _markdown(NB_DIR / "03_framing_comparison.ipynb")
    assert f"z above {plots.KEYNESS_Z}" in text
    assert not re.search(r"\|?z\|? ?(>|above) ?2\b", text)


def _readme_figure(pattern: str) -> str:
    """A figure of the README's validation table (the text the notebooks must print the same)."""
    m = re.search(pattern, (ROOT / "README.md").read_text(encoding="utf-8"))
    assert m, f"README.md: no line matching {pattern!r}"
    return m.group(1)


def _count_cells_with_decimals(nb) -> list[tuple[int, str, str]]:
    """(cell, column, value) of every table cell under an ``n_...`` header that shows decimals."""
    bad = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            markup = out.get("data", {}).get("text/html", "")
            for table in re.findall(r"<table.*?</table>", markup, re.S):
                head, _, body = table.partition("</thead>")
                names = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
                for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
                    for name, value in zip(names, re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)):
                        if name.startswith("n_") and re.fullmatch(r"\s*-?\d+\.\d+\s*", value):
                            bad.append((i, name, value.strip()))
    return bad


@pytest.mark.slow
def test_notebooks_run_standalone_with_defaults(tmp_path):
    """Opened from notebooks/ in JupyterLab: the defaults work, computing the missing processed tables;
    validation data absent -> the notebook says where to get it instead of failing."""
    import papermill as pm

    proj = tmp_path / "proj"
    shutil.copytree(NB_DIR, proj / "notebooks", ignore=shutil.ignore_patterns("*.py", ".ipynb_checkpoints"))
    copy_raw(ROOT / "data" / "raw", proj / "data" / "raw")
    shutil.copy(ROOT / "study.yaml", proj / "study.yaml")   # the notebooks' default study = "../study.yaml"
    shutil.copytree(ROOT / "lexicons", proj / "lexicons")
    # the default validation folders exist but are empty (a wrong folder): skipped with a note, not a failure
    for name in ("vader_icwsm2014", "polnear"):
        (tmp_path / "shared" / "validation" / name).mkdir(parents=True)
    for path in sorted((proj / "notebooks").glob("0*.ipynb")):
        params = {"n_boot": 100, "n_perm": 100, "level": 0.9} if path.stem != "04_validation" else {}
        pm.execute_notebook(str(path), str(tmp_path / path.name), parameters=params, kernel_name="alliance-study",
                            cwd=str(path.parent), progress_bar=False, log_output=False)
    assert (proj / "data" / "processed" / "sentences.parquet").is_dir()  # a dataset: one Parquet file per partition
    assert len(list((proj / "reports" / "figures").glob("*.png"))) >= 6
    out = nbformat.read(tmp_path / "04_validation.ipynb", as_version=4)
    text = json.dumps([c.get("outputs", []) for c in out.cells])
    assert "Skipped: the VADER ground truth was not found" in text
    assert "missing: nytEditorialSnippets_GroundTruth.txt" in text and "Skipped: PolNeAR was not found" in text
    # the news tone's recorded r as the README prints it (0.6485 is 0.649 there, not 0.648)
    for data in ("EmoBank news", "NYT editorials"):
        r = _readme_figure(rf"`sentiment_news`, {data}[^|]*\|\s*r = \*\*([0-9.]+)\*\*")
        assert f"<td>{r}</td>" in text, f"04: the {data} r of the README ({r}) is not in the table"
    # part 3 ran at level 0.9: it says so, and counts are whole numbers in its tables
    comparison = nbformat.read(tmp_path / "03_framing_comparison.ipynb", as_version=4)
    said = json.dumps([c.get("outputs", []) for c in comparison.cells])
    assert "Intervals: 90% cluster-bootstrap intervals" in said
    assert not _count_cells_with_decimals(comparison)
    assert "n_units" in said
