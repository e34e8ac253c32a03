"""Print speaker-span precision, recall, F1 and the unknown-type share of attributions() on PolNeAR.

Usage (from the repository root)::

    python scripts/validate_attribution.py [--folder ../shared/validation/polnear] [--splits train dev]

Develop on ``train``; ``dev`` is the held-out estimate.  The PolNeAR texts are
read from ``../shared`` and never copied (see alliance_study.validity.attribution).
"""
from __future__ import annotations

import argparse
import sys

from alliance_study.errors import AllianceStudyError
from alliance_study.validity.attribution import POLNEAR_DIR, validate_attribution


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", default=str(POLNEAR_DIR), help="PolNeAR folder (articles/, attributions.csv)")
    ap.add_argument("--splits", nargs="+", default=["train", "dev"], help="compartments to run")
    args = ap.parse_args(argv)
    try:
        v = validate_attribution(args.folder, splits=args.splits)
    except AllianceStudyError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    table = v.by_compartment.copy()
    for col in ("precision", "recall", "f1", "unknown_share"):
        table[col] = table[col].map(lambda x: f"{x:.3f}")
    print(table.to_string(index=False))
    print(f"\n{v.n_articles} articles, {v.seconds:.1f} s (load, find, score)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
