"""Fuzz the whole ``lint_text`` pipeline with hypothesis (outside the normal test suite).

Run from the repository root (the dev venv has hypothesis)::

    python benchmarks/fuzz_lint.py                    # 5,000 examples
    python benchmarks/fuzz_lint.py --examples 50000   # longer
    python benchmarks/fuzz_lint.py --minutes 10       # stop after a time budget

Each example is a generated Markdown page (tests/strategies.py: front matter, claims,
citations, links, footnotes, tables, code, HTML, nested lists, Unicode) or, for one in
four, raw text/bytes-like noise.  It checks what must hold for any input: no
exception, no example slower than 10 s, finding ranges inside the file and agreeing
with their offsets, and the same answer twice.  A failure prints hypothesis's shrunk
example; add it to tests/test_fuzz_regressions.py when you fix it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.strategies import documents

from evlint.engine import lint_text
from evlint.source import source_from_text
from evlint.watchdog import time_limit

DOCUMENTS = documents().map(lambda d: d.text)
NOISE = st.one_of(
    st.text(max_size=400),
    st.binary(max_size=400).map(lambda b: b.decode("utf-8", "replace")),
    st.lists(st.sampled_from(list("-*>#|[]()<>!`~_\\:{}+=\n\t 1.^@\"'")), max_size=200).map(
        "".join
    ),
)


SLOW_SECONDS = 10.0  # generated pages are small; any slower is pathological
ROUND = 250  # examples per hypothesis run; runs repeat until the budget is spent


def check(text: str) -> None:
    with time_limit(SLOW_SECONDS):  # a hang is a bug too: fail with the input
        result = lint_text(text)
    source = source_from_text("<text>", text)
    lines = source.text.split("\n")
    for finding in result.findings:
        p = finding.position
        assert 1 <= p.line <= p.end_line <= len(lines), finding
        assert 1 <= p.column <= len(lines[p.line - 1]) + 1, finding
        assert 1 <= p.end_column <= len(lines[p.end_line - 1]) + 1, finding
        assert 0 <= finding.span.start <= finding.span.end <= len(source.text), finding
        assert source.position(finding.span) == p, finding
    again = lint_text(text)
    assert [(f.rule, f.span, f.message) for f in again.findings] == [
        (f.rule, f.span, f.message) for f in result.findings
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=5000)
    parser.add_argument("--minutes", type=float, default=None)
    args = parser.parse_args()
    deadline = time.monotonic() + args.minutes * 60 if args.minutes else None
    done = 0

    @settings(
        max_examples=ROUND,
        deadline=None,
        database=None,  # a fresh random seed each run, so rounds explore new inputs
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.one_of(DOCUMENTS, DOCUMENTS, DOCUMENTS, NOISE))
    def fuzz(text: str) -> None:
        nonlocal done
        done += 1
        check(text)

    started = time.monotonic()
    while (done < args.examples) if deadline is None else (time.monotonic() < deadline):
        fuzz()
    print(f"fuzz_lint: {done} examples, no failures, {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
