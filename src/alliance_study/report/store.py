"""The processed folder: the tables' container, and writing, installing it atomically.

:class:`Tables` is what :func:`~alliance_study.report.load_tables` returns: summary tables read
on first use, the per-sentence, per-segment and per-quote *datasets* only when asked for.
:func:`write_tables` writes a processed folder (summaries as Parquet + CSV, datasets as
``<name>.parquet/part-NNNNN.parquet`` of :data:`PARTITION_SIZE` articles each, whatever the
partitioning; ``manifest.json`` last), and :func:`install_processed` moves a staged folder
into place, file by file, each move atomic.

>>> Tables(a=1).a
1
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from ..io import sha256_file, write_json_atomic, write_table
from .partitions import DATASETS, CacheDamaged, check_cached_copy, corpus_relative, tidy
from .provenance import RESULT_PACKAGES, data_file_hashes, package_versions, study_input_hashes
from .study import Study

__all__ = ["Tables", "write_tables", "install_processed", "provenance", "corpus_root", "corpus_relative", "PARTITION_SIZE"]

#: articles per partition and per dataset file: a worker holds one partition's sentences (about 25,000 for news articles)
PARTITION_SIZE = 2000

class Tables(dict):
    """A dict of DataFrames that also allows ``tables.sentences``.

    ``tables.study`` describes the study the tables were made for (title, question,
    target label, frame labels) and ``tables.params`` the analysis parameters used.
    The per-sentence, per-segment and per-quote tables (``tables.datasets``: name ->
    its Parquet files) are read only when asked for: on a large corpus they hold
    millions of rows, so the notebooks use the summaries and samples instead.
    :meth:`head` reads the first rows of one without reading it whole.  Tables read
    from a processed folder (``tables.files``: name -> its Parquet file) are also read on
    first use, so a notebook holds only the tables it uses.

    >>> Tables(a=1).a
    1
    """

    study: dict = {}
    params: dict = {}
    datasets: dict = {}
    files: dict = {}
    order: list = []   # article ids of each partition, in input order (for writing the datasets)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __missing__(self, name: str) -> pd.DataFrame:
        if name in self.files:
            self[name] = df = pd.read_parquet(self.files[name])
            return df
        files = self.datasets.get(name)
        if files is None:
            raise KeyError(name)
        df = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True) if files else pd.DataFrame()
        self[name] = df
        return df

    def head(self, name: str, n: int = 25) -> pd.DataFrame:
        """The first ``n`` rows of a table (a dataset: from its first files only)."""
        if name in self or name not in self.datasets:
            return self[name].head(n)
        parts, got = [], 0
        for f in self.datasets[name]:
            parts.append(pd.read_parquet(f).head(n - got))
            got += len(parts[-1])
            if got >= n:
                break
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def corpus_root(study: Study) -> tuple[Path, str]:
    """The folder problem paths are written relative to, and its name in the tables and the manifest:
    the corpus folder as ``raw``, or the table's folder as ``table``."""
    return (study.folder, "raw") if study.folder is not None else (study.table[0].parent, "table")


def provenance(study: Study) -> dict:
    """The manifest entries that decide whether processed tables are still valid."""
    return {"inputs": study_input_hashes(study), "data_files": data_file_hashes(),
            "versions": package_versions(RESULT_PACKAGES)}


def write_tables(tables: Tables, processed_dir: Path, study: Study, params, problems) -> None:
    """Summary tables as Parquet + CSV; datasets as ``<name>.parquet/part-NNNNN.parquet``; manifest last."""
    import pyarrow.parquet as pq

    processed_dir.mkdir(parents=True, exist_ok=True)
    outputs, rows = {}, {}
    for name in sorted(tables):
        for ext in (".parquet", ".csv"):
            path = processed_dir / f"{name}{ext}"
            write_table(tables[name], path)
            outputs[path.name] = sha256_file(path)
        rows[name] = int(len(tables[name]))
    for name in DATASETS:
        folder = processed_dir / f"{name}.parquet"
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=processed_dir))
        n = 0
        for i, piece in enumerate(_recut(name, tables.datasets[name], tables.order)):
            dst = tmp / f"part-{i:05d}.parquet"
            if isinstance(piece, Path):
                shutil.copyfile(piece, dst)
            else:
                write_table(piece, dst)
            outputs[f"{folder.name}/{dst.name}"] = digest = sha256_file(dst)
            if isinstance(piece, Path):  # a table copied from the partition cache: as it was written there?
                check_cached_copy(piece, digest)
            n += pq.ParquetFile(dst).metadata.num_rows
        rows[name] = n
        _replace_dir(tmp, folder)
    base = corpus_root(study)
    skipped = sorted({corpus_relative(str(p.file), *base) for p in problems if getattr(p, "severity", "error") == "error"})
    manifest = dict(provenance(study), parameters=params, study=tables.study, outputs=outputs,
                    rows=dict(sorted(rows.items())), datasets=list(DATASETS),
                    n_problems=len(problems), skipped=skipped)
    write_json_atomic(processed_dir / "manifest.json", manifest)


def _recut(name: str, pieces: list[Path], order: list[list[str]], per_file: int = PARTITION_SIZE):
    """The files of a dataset: ``per_file`` articles each, in input order, whatever the partition size.

    ``pieces`` are the partitions' files and ``order`` their article ids in input order.
    Yields a piece's path when it is exactly one output file (copied as is), else the
    rows of one output file (sorted as every table).  So the files, and their bytes,
    do not depend on how the corpus was partitioned.
    """
    group: list[tuple[Path, list[str], bool]] = []   # (piece, its ids in this file, whole piece?)
    held = 0

    def flush():
        if len(group) == 1 and group[0][2]:
            return group[0][0]
        parts = []
        for piece, ids, whole in group:
            try:
                df = pd.read_parquet(piece)
            except (OSError, ValueError) as exc:  # pyarrow's errors are ValueErrors
                shutil.rmtree(piece.parent, ignore_errors=True)
                raise CacheDamaged(f"{piece}: this table of the partition cache cannot be read ({type(exc).__name__}: "
                                   f"{exc}); the entry {piece.parent} was removed. Fix: run the build again (it "
                                   f"computes that partition again).") from None
            parts.append(df if whole else df[df["article_id"].isin(set(ids))])
        return tidy(name, pd.concat(parts, ignore_index=True))

    for piece, ids in zip(pieces, order):
        start = 0
        while start < len(ids):
            take = ids[start:start + per_file - held]
            group.append((piece, take, start == 0 and len(take) == len(ids)))
            held += len(take)
            start += len(take)
            if held == per_file:
                yield flush()
                group, held = [], 0
    if group:
        yield flush()
    elif not order or not any(order):  # no article at all: one empty file keeps the schema
        if pieces:
            yield pieces[0]


def _replace_dir(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target`` (an old file or folder there is moved aside, then removed)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def install_processed(stage: str | os.PathLike[str], processed_dir: str | os.PathLike[str]) -> None:
    """Move every file of ``stage`` into ``processed_dir`` (each move atomic; manifest last)."""
    stage, processed_dir = Path(stage), Path(processed_dir)
    processed_dir.mkdir(parents=True, exist_ok=True)
    files = sorted((f for f in stage.iterdir() if not f.name.startswith(".")),
                   key=lambda f: (f.name == "manifest.json", f.name))
    for f in files:
        if f.is_dir():
            _replace_dir(f, processed_dir / f.name)
        else:
            if (processed_dir / f.name).is_dir():
                shutil.rmtree(processed_dir / f.name)
            os.replace(f, processed_dir / f.name)
