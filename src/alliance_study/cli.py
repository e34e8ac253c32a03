"""Command line: ``alliance-study validate | score | build``.

Every sub-command prints user errors as one clear message (file, line, reason, what
to do) and exits non-zero; it never shows a Python traceback unless ``--debug``
is given.  The work itself lives in the library: this module only parses arguments.

Examples::

    alliance-study validate data/raw
    alliance-study score sentences.csv -o scored.parquet --text-column text --jobs 2
    alliance-study build -p group_by outlet --raw-dir my_corpus/
"""
from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .errors import AllianceStudyError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="alliance-study", description="Measure how news outlets frame a story.")
    p.add_argument("--version", action="version", version=f"alliance-study {__version__}")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks (for bug reports)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    v = sub.add_parser("validate", help="check a raw corpus folder and its metadata table",
                       description="Check every metadata row and article file; one line per problem. "
                                   "Exit 0 when clean, 1 when anything is wrong.")
    v.add_argument("raw_dir", help="folder of article files (e.g. data/raw)")
    v.add_argument("--metadata", help="metadata CSV (default: RAW_DIR/articles.csv)")

    s = sub.add_parser("score", help="add metric columns to a table of texts",
                       description="Score every row of a CSV, TSV, JSONL or Parquet table (chosen by extension) "
                                   "and write the same rows, in order, with the metric columns added.")
    s.add_argument("input")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--text-column", default="text")
    s.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    s.add_argument("--engine", choices=["local", "dask"], default="local")
    s.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask)")
    s.add_argument("--chunksize", type=int, default=None, help="rows per chunk when streaming")
    s.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    b = sub.add_parser("build", help="validate, process and run the notebooks into the HTML report",
                       description="Validate the corpus, write the processed tables, run the notebooks in order "
                                   "with papermill and write OUTPUT/framing_report.html and OUTPUT/manifest.json.")
    b.add_argument("--raw-dir", default="data/raw")
    b.add_argument("--metadata", default=None)
    b.add_argument("--processed-dir", default="data/processed")
    b.add_argument("--output-dir", default="reports")
    b.add_argument("--notebooks-dir", default=None, help="default: notebooks/ of this project")
    b.add_argument("--params", default=None, help="YAML file of notebook parameters")
    b.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="set one notebook parameter (repeatable)")
    b.add_argument("--on-invalid", choices=["fail", "skip"], default="fail",
                   help="fail (default): stop on any corpus problem; skip: build from the readable articles")
    b.add_argument("--cell-timeout", type=float, default=1800, metavar="SECONDS",
                   help="stop the build when one notebook cell runs longer than this (default 1800; 0: no limit)")
    b.add_argument("--wait", action="store_true",
                   help="if another build is writing to the same folders, wait for it (default: exit 75 at once)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            from .corpus.validate import run_validate
            return run_validate(args.raw_dir, args.metadata)
        if args.command == "score":
            from .scale import run_score
            return run_score(args.input, args.output, text_column=args.text_column, jobs=args.jobs,
                             engine=args.engine, scheduler=args.scheduler, chunksize=args.chunksize,
                             progress=not args.no_progress)
        if args.command == "build":
            from .report import run_build
            return run_build(raw_dir=args.raw_dir, metadata=args.metadata, processed_dir=args.processed_dir,
                             output_dir=args.output_dir, notebooks_dir=args.notebooks_dir,
                             params_file=args.params, parameters=args.parameter, on_invalid=args.on_invalid,
                             cell_timeout=args.cell_timeout or None, wait=args.wait)
    except AllianceStudyError as exc:
        if args.debug:
            raise
        print(f"alliance-study {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"alliance-study {args.command}: interrupted; outputs already in place were left as they were.",
              file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly, point at --debug
        if args.debug or os.environ.get("ALLIANCE_STUDY_DEBUG"):
            raise
        print(f"alliance-study {args.command}: internal error ({type(exc).__name__}: {exc}). "
              f"This is a bug; rerun with --debug and report the traceback.", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
