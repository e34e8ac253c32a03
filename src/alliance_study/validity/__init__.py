"""Validation of the measures against human judgement, on public gold data and on the study's own coded sentences.

Layer: above ``corpus`` and ``metrics``.  May import :mod:`alliance_study.metrics`,
:mod:`alliance_study.corpus` and the bottom layer (``errors``, ``resources``,
``text``, ``io``, ``defaults``); never ``compare``, ``plots``, ``report``, ``scale``
or ``cli``.

* :mod:`~alliance_study.validity.gold` -- public gold data: the VADER ground truth
  (sentiment) and the CoNLL-2010 Wikipedia sentences (hedging).
* :mod:`~alliance_study.validity.coding` -- the study's own sentences: a blind
  coding sheet and codebook for human coders, and agreement (Krippendorff's alpha
  between coders, the machine's validity against them); the coders' instructions in
  :mod:`~alliance_study.validity.codebook`, the speaker check (the speaker named in the
  sentence, resolved or as written) in :mod:`~alliance_study.validity.speakers`.
"""
from __future__ import annotations

from . import gold
from .gold import hedging_validation, read_vader_dir, read_vader_ground_truth, read_wikiweasel, vader_validation
from .gold import hedging_table, missing_vader_files
from .coding import agreement, codebook, coding_sheet, run_agreement, run_sample, write_coding_sheet
from .sheets import read_sheet
from .attribution import AttributionValidation, missing_polnear_files, validate_attribution
