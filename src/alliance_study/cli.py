"""Command line: ``alliance-study init | validate | score | build | sample | agreement`` (top layer).

Every sub-command prints user errors as one clear message (file, line, reason, what
to do) and exits non-zero; it never shows a Python traceback unless ``--debug``
is given.  The work itself lives in the library: this module only parses arguments.

Examples::

    alliance-study init my_study
    alliance-study build --study my_study/study.yaml
    alliance-study validate data/raw
    alliance-study validate news.jsonl --columns article_id=id,text=maintext,outlet=source_domain
    alliance-study score sentences.csv -o scored.parquet --text-column text --jobs 2
"""
from __future__ import annotations

import argparse
import os
import sys
import warnings

from . import __version__
from .errors import AllianceStudyError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="alliance-study", description="Measure how news outlets frame a story.")
    p.add_argument("--version", action="version", version=f"alliance-study {__version__}")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks (for bug reports)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    i = sub.add_parser("init", help="create a new study that builds at once",
                       description="Write DIR/study.yaml (every key explained), DIR/README.md (what to change "
                                   "first), an example corpus table and copies of the package lexicons to edit.")
    i.add_argument("directory", help="the new study's folder (new or empty)")
    i.add_argument("--force", action="store_true", help="write into a non-empty folder, replacing study files")

    v = sub.add_parser("validate", help="check a corpus (a folder with its metadata table, or one table)",
                       description="Check every article (metadata row and file, or table row); one line per "
                                   "problem. Exit 0 when clean (warnings allowed); 1 when the corpus has an error, "
                                   "in an article or in the corpus as a whole (folder, metadata table or table "
                                   "missing or unreadable, a required column missing); 2 when the command cannot "
                                   "run as given (a wrong option, or a study file with problems).")
    v.add_argument("corpus", nargs="?", default=None,
                   help="folder of article files (e.g. data/raw), or a CSV/TSV/JSONL/Parquet table or glob")
    v.add_argument("--metadata", help="metadata CSV of a folder (default: FOLDER/articles.csv)")
    v.add_argument("--columns", help="for a table: study names to table columns, e.g. "
                                     "article_id=id,text=maintext,outlet=source_domain")
    v.add_argument("--study", help="check the corpus of this study file instead")

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
    s.add_argument("--study", default=None, help="score with this study file's lexicons (targets, frames, ...)")
    s.add_argument("--news-sentiment", action="store_true",
                   help="also write sentiment_news, the model-based news tone (about 170 sentences/s per core)")

    sm = sub.add_parser("sample", help="draw a blind coding sheet of the study's sentences",
                        description="Draw a sample of sentences stratified by group and measure values and write "
                                    "a coding sheet (no machine values) with codebook.md beside it.")
    sm.add_argument("--study", default="study.yaml", help="the study file (default: ./study.yaml)")
    sm.add_argument("--n", type=int, default=200, help="number of sentences (default 200)")
    sm.add_argument("--seed", type=int, default=None, help="random seed (default: the study's seed)")
    sm.add_argument("-o", "--output", required=True, help="the sheet to write (CSV)")
    sm.add_argument("--processed-dir", default=None, help="default: data/processed beside the study file")

    ag = sub.add_parser("agreement", help="agreement between coders and with the machine",
                        description="Krippendorff's alpha between the coders' filled sheets (one coder per file, "
                                    "named by its stem) and the machine's validity against them, per measure.")
    ag.add_argument("sheets", nargs="+", help="filled coding sheets (CSV), one per coder")
    ag.add_argument("--study", default="study.yaml", help="the study file (default: ./study.yaml)")
    ag.add_argument("-o", "--output", required=True, help="the table to write (CSV, TSV, JSONL or Parquet)")
    ag.add_argument("--processed-dir", default=None, help="default: data/processed beside the study file")

    b = sub.add_parser("build", help="validate, process and run the notebooks into the HTML report",
                       description="Validate the corpus, write the processed tables, run the notebooks in order "
                                   "with papermill and write OUTPUT/framing_report.html and OUTPUT/manifest.json.")
    b.add_argument("--study", default=None,
                   help="the study file (default: ./study.yaml when there is one, else --raw-dir)")
    b.add_argument("--check", action="store_true",
                   help="check the study file, its parameters and the corpus; build nothing")
    b.add_argument("--raw-dir", default=None, help="a corpus folder, for a build without a study file")
    b.add_argument("--metadata", default=None, help="its metadata table (default: RAW_DIR/articles.csv)")
    b.add_argument("--processed-dir", default=None, help="default: data/processed beside the study file")
    b.add_argument("--output-dir", default=None, help="default: reports beside the study file")
    b.add_argument("--notebooks-dir", default=None, help="default: the package's notebooks")
    b.add_argument("--params", default=None, help="YAML file of notebook parameters")
    b.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="set one notebook parameter (repeatable)")
    b.add_argument("--on-invalid", choices=["fail", "skip"], default="fail",
                   help="fail (default): stop on any corpus problem; skip: build from the readable articles")
    b.add_argument("--cell-timeout", type=float, default=None, metavar="SECONDS",
                   help="stop the build when one notebook cell runs longer than this (default: the study file's "
                        "parameters: cell_timeout, else 1800; 0: no limit)")
    b.add_argument("--wait", action="store_true",
                   help="if another build is writing to the same folders, wait for it (default: exit 75 at once)")
    b.add_argument("--jobs", type=int, default=None,
                   help="worker processes for the corpus and notebooks run side by side (default: all cores)")
    b.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local (default): worker processes here; dask: partitions as tasks on a Dask cluster")
    b.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask; default: a local "
                                                      "cluster of --jobs workers)")
    b.add_argument("--partition-size", type=int, default=None, metavar="ARTICLES",
                   help="articles per partition (default 2000); a worker holds one partition")
    return p


def _study_lexicons(study) -> dict:
    """The scorer's lexicon arguments of a study file (none without one)."""
    if not study:
        return {}
    from .report import load_study
    return load_study(study).scorer_kwargs()


def _validate(args) -> int:
    from .corpus.table import looks_like_table
    from .corpus.validate import run_validate

    if args.study:
        if args.corpus or args.metadata or args.columns:
            from .errors import ParameterError
            raise ParameterError("give either --study or a corpus (with --metadata/--columns), not both. "
                                 "Fix: drop one.")
        from .report.check import run_validate_study
        return run_validate_study(args.study)
    if args.corpus is None:
        from .errors import ParameterError
        raise ParameterError("no corpus given. Fix: alliance-study validate FOLDER, or TABLE --columns ..., "
                             "or --study study.yaml.")
    from .errors import ParameterError
    if looks_like_table(args.corpus):
        if args.metadata:  # a table holds its metadata in its own columns: the option would be ignored
            raise ParameterError(f"--metadata belongs to a folder corpus; {args.corpus} is a table, whose columns "
                                 f"hold the metadata. Fix: drop --metadata (map the columns with --columns).")
        return run_validate(table=args.corpus, columns=args.columns)
    if args.columns:
        raise ParameterError(f"--columns maps the columns of a table; {args.corpus} is a folder, read with its "
                             f"metadata table. Fix: drop --columns (give the metadata table with --metadata).")
    return run_validate(args.corpus, args.metadata)


def _plain_warnings(command: str) -> None:
    """Warnings meant for the user as one line each (no file name, no source line)."""
    def show(message, category, filename, lineno, file=None, line=None):
        print(f"alliance-study {command}: note: {message}", file=sys.stderr)

    warnings.showwarning = show


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.debug:
        _plain_warnings(args.command)
    try:
        if args.command == "init":
            from .report import run_init
            return run_init(args.directory, force=args.force)
        if args.command == "validate":
            return _validate(args)
        if args.command == "sample":
            from .report.coding import run_study_sample
            return run_study_sample(args.study, args.output, n=args.n, seed=args.seed,
                                    processed_dir=args.processed_dir)
        if args.command == "agreement":
            from .report.coding import run_study_agreement
            return run_study_agreement(args.study, args.sheets, args.output, processed_dir=args.processed_dir)
        if args.command == "score":
            from .report.execute import sigterm_as_interrupt
            from .scale import run_score
            with sigterm_as_interrupt():  # like Ctrl-C: the temporary output is removed, the workers stop
                return run_score(args.input, args.output, text_column=args.text_column, jobs=args.jobs,
                                 engine=args.engine, scheduler=args.scheduler, chunksize=args.chunksize,
                                 progress=not args.no_progress, news_sentiment=args.news_sentiment,
                                 lexicons=_study_lexicons(args.study))
        if args.command == "build":
            from .report import run_build
            if args.check:
                from .report.check import run_check
                return run_check(study=args.study, raw_dir=args.raw_dir, metadata=args.metadata,
                                 notebooks_dir=args.notebooks_dir, params_file=args.params,
                                 parameters=args.parameter, processed_dir=args.processed_dir,
                                 output_dir=args.output_dir,
                                 cell_timeout="study" if args.cell_timeout is None else (args.cell_timeout or None),
                                 jobs=args.jobs, partition_size=args.partition_size, engine=args.engine,
                                 scheduler=args.scheduler)
            return run_build(study=args.study, raw_dir=args.raw_dir, metadata=args.metadata, processed_dir=args.processed_dir,
                             output_dir=args.output_dir, notebooks_dir=args.notebooks_dir,
                             params_file=args.params, parameters=args.parameter, on_invalid=args.on_invalid,
                             cell_timeout="study" if args.cell_timeout is None else (args.cell_timeout or None),
                             wait=args.wait, jobs=args.jobs, engine=args.engine, scheduler=args.scheduler,
                             partition_size=args.partition_size)
    except AllianceStudyError as exc:
        if args.debug:
            raise
        print(f"alliance-study {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"alliance-study {args.command}: interrupted; outputs already in place were left as they were.",
              file=sys.stderr)
        return 130
    except OSError as exc:  # the file system refused: a file where a folder is needed, permissions, disk full
        if args.debug:
            raise
        print(f"alliance-study {args.command}: error: {exc.filename or 'a file'}: {exc.strerror or exc}. Fix: check "
              f"that the path exists, is a folder or a file as needed, and that you may read or write it.",
              file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: say so plainly, point at --debug
        if args.debug or os.environ.get("ALLIANCE_STUDY_DEBUG"):
            raise
        print(f"alliance-study {args.command}: internal error ({type(exc).__name__}: {exc}). "
              f"This is a bug; rerun with --debug and report the traceback.", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
