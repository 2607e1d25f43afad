"""Core value types shared by every stage: spans, positions, findings and errors.

Offsets are character offsets into the decoded, newline-normalised source text
(``Source.text``).  Lines and columns are 1-based; columns count Unicode code points
(SARIF ``columnKind: unicodeCodePoints``).  End positions are exclusive columns.
"""

from __future__ import annotations

import enum

from evlint.records import record


@record(order=True)
class Span:
    """A half-open range ``[start, end)`` of character offsets in the source text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@record
class Position:
    """A 1-based line and column range, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class Severity(enum.IntEnum):
    """Finding severities, ordered so that ``>=`` compares how serious they are."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown level {value!r}; expected one of: error, warning, info"
            ) from None


@record
class Related:
    """A second location that explains a finding (e.g. the evidence's stated limitation)."""

    path: str
    line: int
    message: str
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


@record
class Finding:
    """One reported problem, ready for rendering."""

    path: str
    position: Position
    rule: str
    name: str
    category: str
    severity: Severity
    message: str
    span: Span
    snippet: str = ""
    related: tuple[Related, ...] = ()
    fingerprint: str = ""

    @property
    def line(self) -> int:
        return self.position.line

    @property
    def column(self) -> int:
        return self.position.column

    @property
    def end_line(self) -> int:
        return self.position.end_line

    @property
    def end_column(self) -> int:
        return self.position.end_column

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.position.line, self.position.column, self.rule)


@record
class InputError:
    """A file or setting evlint could not process; always makes the run exit 2."""

    path: str
    message: str
    line: int | None = None
    code: str = "input-error"

    def describe(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@record
class FileResult:
    """Everything evlint found in one file."""

    path: str
    findings: tuple[Finding, ...] = ()
    errors: tuple[InputError, ...] = ()
