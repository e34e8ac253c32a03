"""Helpers shared by the build tests: run the CLI, hash folders, make corpora."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "alliance-study"
#: fast but still real statistics for test builds
FAST = ["-p", "n_boot", "200", "-p", "n_perm", "200"]


def cli_env() -> dict:
    env = dict(os.environ)
    env.pop("ALLIANCE_STUDY_DEBUG", None)
    return env


def run_build(*args, timeout=600) -> subprocess.CompletedProcess:
    """``alliance-study build ARGS`` in a subprocess (the real front door)."""
    return subprocess.run([str(CLI), "build", *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, env=cli_env())


def tree_hashes(folder: Path) -> dict:
    """relative path -> sha256 of every file under ``folder``."""
    out = {}
    for f in sorted(Path(folder).rglob("*")):
        if f.is_file():
            out[f.relative_to(folder).as_posix()] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def copy_raw(raw: Path, dest: Path) -> Path:
    """A writable copy of a corpus folder."""
    shutil.copytree(raw, dest)
    for f in dest.rglob("*"):
        f.chmod(0o644 if f.is_file() else 0o755)
    return dest


def two_outlet_corpus(dest: Path, n: int = 200) -> Path:
    """``n`` short plain-text documents from two invented outlets + ``articles.csv`` (article_id,file,outlet)."""
    dest.mkdir(parents=True)
    outlets = ["Northern Ledger", "Harbour Times"]
    styles = [
        ["Officials may consider a closer partnership, analysts suggest.",
         "It is possible that the talks could stall, some observers say.",
         "The ministry perhaps hopes for a quiet summer."],
        ["The government clearly rejects any military alliance.",
         "Ministers certainly will sign the trade agreement this week.",
         "The port authority definitely expects record traffic."],
    ]
    rows = ["article_id,file,outlet"]
    for i in range(n):
        k = i % 2
        aid = f"doc{i:04d}"
        body = " ".join(styles[k][(i + j) % 3] for j in range(3))
        text = f"Report {i} from the {outlets[k]}\n\n{body}\nA second paragraph about topic {i % 7} follows here.\n"
        (dest / f"{aid}.txt").write_text(text, encoding="utf-8")
        rows.append(f"{aid},{aid}.txt,{outlets[k]}")
    (dest / "articles.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return dest


def fake_previous_outputs(output_dir: Path, processed_dir: Path) -> tuple[dict, dict]:
    """A 'last good' report and processed tables to check that a failed build leaves them alone."""
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "framing_report.html").write_text("<html><body>previous good report</body></html>\n")
    (output_dir / "manifest.json").write_text('{"previous": true}\n')
    processed_dir.mkdir(parents=True, exist_ok=True)
    (processed_dir / "articles.csv").write_text("article_id\nprevious\n")
    (processed_dir / "manifest.json").write_text('{"previous": true}\n')
    return tree_hashes(output_dir), tree_hashes(processed_dir)
