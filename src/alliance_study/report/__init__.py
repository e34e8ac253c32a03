"""The study and report layer: from a study file to processed tables, executed notebooks and one HTML report.

What this room holds, one concept per module (in the style of papermill):

* :mod:`.study` -- the study file (``study.yaml``): corpus, lexicons, title, parameters;
  :mod:`.init` -- ``alliance-study init``, a new study that builds at once;
* :mod:`.parameters` -- the notebooks' declared parameters, type coercion, ``-p``/``--params``;
  defaults of the analysis parameters from :data:`alliance_study.defaults.DEFAULTS`;
  :mod:`.study_parameters` -- a study file's parameters checked one by one, path parameters made absolute;
* :mod:`.provenance` -- hashes of input and data files, package versions, git commit;
* :mod:`.process` -- corpus -> processed tables in partitions (:mod:`.partitions`; their cache
  :mod:`.partition_cache`, their time limit :mod:`.time_limits`; the driver's state while they
  run in :mod:`._partition_run`); :func:`load_tables`, the notebooks' table cache (fresh only
  when inputs, data files, parameters and versions all match);
* :mod:`.problems` -- the problems table: skipped files, blank and near-duplicate groups,
  articles without body text;
* :mod:`.store` -- the processed folder: :class:`Tables`, written atomically with its
  manifest, installed file by file;
* :mod:`.execute` -- run one notebook with papermill (kernel environment, signals, cell time limit);
* :mod:`.assemble` -- executed notebooks -> one HTML report (front matter, contents, appendix);
* :mod:`.display` -- the helpers notebooks import (``show_table``, ``show_note``,
  ``show_examples``, ``cue_counts`` ...); :mod:`.figures` -- ``show_figure`` (drawn once, reused from the cache);
* :mod:`.kernels` -- the notebooks' kernels, forked from a helper that has their modules imported;
* :mod:`.progress` -- progress bars on a terminal, one line per stage otherwise;
* :mod:`.lock` -- one build per output folder at a time;
* :mod:`.orchestrate` -- :func:`build` and :func:`run_build`, which tie the above together (the
  checks of a build's folders in :mod:`._build_folders`; the report's manifest and the
  nothing-changed key in :mod:`._build_record`).

What it may import: every layer below it (``errors``, ``resources``, ``text``, ``io``,
``defaults``, ``corpus``, ``metrics``, ``compare``, ``validity``, ``plots``, ``scale``),
never ``cli``.  Nothing here is specific to one study.

Example
-------
>>> from alliance_study.report import notebook_parameters
>>> from alliance_study.resources import notebooks_dir
>>> notebook_parameters(notebooks_dir())["seed"].default
20201023
"""
from __future__ import annotations

from .lock import BuildLocked
from .cache import cached_call
from .display import (cue_counts, examples_html, short_errors, show_examples, show_html, show_note, show_table,
                      top_cues)
from .figures import show_figure
from .orchestrate import build, run_build
from .parameters import notebook_parameters, resolve_parameters
from .process import Tables, load_tables, process_corpus, tables_are_fresh
from .display import measure_summary
from .init import init_study, run_init
from .study import Study, StudyError, as_study, load_study, study_scorer

__all__ = ["build", "run_build", "BuildLocked", "load_tables", "process_corpus", "tables_are_fresh", "Tables",
           "notebook_parameters", "resolve_parameters", "show_table", "show_figure", "show_note", "show_html",
           "show_examples", "examples_html", "cue_counts", "top_cues", "measure_summary", "Study", "StudyError",
           "load_study", "as_study", "study_scorer", "init_study", "run_init", "cached_call", "short_errors"]

short_errors()  # in a notebook's kernel: the package's errors show as their message, not a traceback
