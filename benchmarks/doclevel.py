"""Score evlint's document-level checks on a labelled corpus.

    python benchmarks/doclevel.py [CORPUS_DIR] [--show-errors]

CORPUS_DIR (default tests/fixtures/doclevel) holds ``pages/`` and ``labels.yaml``
(``checks: [...]`` and ``pages: {file: {check: true|false}}``).  Prints precision,
recall and F1 per check and their macro average.  A check with no positives and no
findings scores F1 = 1 (nothing to find, nothing wrongly found).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from evlint.config import Config
from evlint.engine import lint_file
from evlint.rulespec import DOCUMENT_CATEGORIES

CHECKS = DOCUMENT_CATEGORIES
DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "doclevel"


@dataclass(frozen=True, slots=True)
class Score:
    check: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Outcome:
    page: str
    check: str
    expected: bool
    found: bool


def evaluate(corpus: Path) -> list[Outcome]:
    labels = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))
    checks = tuple(labels.get("checks", CHECKS))
    config = Config(select=checks)
    outcomes: list[Outcome] = []
    for name, expected in labels["pages"].items():
        result = lint_file(str(corpus / "pages" / name), config)
        if result.errors:
            raise SystemExit(f"{name}: {result.errors[0].describe()}")
        found = {finding.category for finding in result.findings}
        outcomes.extend(Outcome(name, c, bool(expected[c]), c in found) for c in checks)
    return outcomes


def scores(outcomes: list[Outcome]) -> list[Score]:
    checks = list(dict.fromkeys(o.check for o in outcomes))
    result = []
    for check in checks:
        mine = [o for o in outcomes if o.check == check]
        result.append(
            Score(
                check,
                sum(o.found and o.expected for o in mine),
                sum(o.found and not o.expected for o in mine),
                sum(o.expected and not o.found for o in mine),
            )
        )
    return result


def macro_f1(outcomes: list[Outcome]) -> float:
    per_check = scores(outcomes)
    return sum(s.f1 for s in per_check) / len(per_check)


def report(outcomes: list[Outcome]) -> str:
    lines = [f"{'check':<28}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}"]
    for s in scores(outcomes):
        lines.append(
            f"{s.check:<28}{s.precision:>7.2f}{s.recall:>7.2f}{s.f1:>7.2f}{s.tp:>5}{s.fp:>5}{s.fn:>5}"
        )
    pages = len({o.page for o in outcomes})
    lines.append(f"{'macro-F1':<28}{macro_f1(outcomes):>21.3f}   ({pages} pages)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show-errors", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    outcomes = evaluate(args.corpus)
    print(report(outcomes))
    if args.show_errors:
        for o in outcomes:
            if o.found != o.expected:
                kind = "FP" if o.found else "FN"
                print(f"{kind} {o.check:<28}{o.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
