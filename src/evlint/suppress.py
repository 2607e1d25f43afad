"""Inline suppressions, applied to a file's findings after the rules have run.

Forms (``RULE`` is an id, name or category; several are separated by commas; none
means every rule; text after `` -- `` is a free-form reason)::

    <!-- evlint-disable-next-line RULE[,RULE] -- reason -->
    <!-- evlint-disable RULE -->  ...  <!-- evlint-enable RULE -->
    <!-- evlint-disable-file RULE -->
    {/* evlint-disable-next-line RULE */}          (MDX: JSX comments, not HTML)
    ---
    evlint: {disable: [RULE, ...]}                 (front matter: the whole file)
    ---

A suppression that suppresses nothing is reported by rule EV003 so that stale ones
do not pile up; one naming only rules that are not in force for the file is not,
since those rules could not have fired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from evlint.config import selector_matches
from evlint.document import Document
from evlint.kinds.base import Violation
from evlint.model import Finding, Span
from evlint.records import record
from evlint.regex_cache import compile_regex
from evlint.rulespec import Rule

UNUSED_RULE = "EV003"
_DIRECTIVE = compile_regex(
    r"^\s*evlint-(?P<action>disable-next-line|disable-file|disable|enable)(?=\s|$)(?P<rest>.*)$",
    re.DOTALL,
)
_ANY_DIRECTIVE = compile_regex(r"^\s*evlint-[a-z-]+", re.IGNORECASE)
_MDX_COMMENT = compile_regex(r"\{/\*(.*?)\*/\}", re.DOTALL)
_FRONT_MATTER_KEY = compile_regex(r"^[\"']?evlint[\"']?\s*[:=]", re.MULTILINE)
ALL_RULES = ""  # the selector of a directive that names no rule


@record
class Directive:
    """One parsed suppression: an evlint comment or the front-matter ``evlint`` key."""

    action: str  # disable-next-line | disable | enable | disable-file | front-matter
    selectors: tuple[str, ...]  # empty: every rule
    span: Span  # where it is written
    line: int
    end_line: int
    text: str  # as shown in messages

    @property
    def targets(self) -> tuple[str, ...]:
        return self.selectors or (ALL_RULES,)


@record
class _Region:
    """The lines on which one directive suppresses one selector."""

    directive: int  # index into Suppressions.directives
    selector: str
    first_line: int
    last_line: int
    next_line_only: bool


@record
class _Problem:
    """A directive reported by EV003, with what is wrong with it."""

    directive: Directive
    problem: str


class Suppressions:
    """The suppressions of one document, and which of them were used."""

    def __init__(self, document: Document) -> None:
        self.directives, self.problems = _directives(document)
        self.regions = _regions(self.directives, document.source.line_count, self.problems)
        self.used: set[tuple[int, str]] = set()

    def __bool__(self) -> bool:
        return bool(self.directives or self.problems)

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        """Findings no suppression covers; records which suppressions were used."""
        kept = []
        for finding in findings:
            hits = [region for region in self.regions if _covers(region, finding)]
            for region in hits:
                self.used.add((region.directive, region.selector))
            if not hits:
                kept.append(finding)
        return kept

    def unused(self, in_force: Sequence[Rule], known: Sequence[Rule]) -> list[Violation]:
        """Violations of EV003 for suppressions that suppressed nothing."""
        problems = list(self.problems)
        for index, directive in enumerate(self.directives):
            if directive.action == "enable":
                continue
            for selector in directive.targets:
                if (index, selector) in self.used:
                    continue
                if selector and not _names_any(selector, known):
                    problems.append(_Problem(directive, f"names no known rule ({selector!r})"))
                elif not selector or _names_any(selector, in_force):
                    several = len(directive.selectors) > 1
                    problem = f"suppressed nothing for {selector}" if several else ""
                    problems.append(_Problem(directive, problem or "suppressed nothing"))
        problems.sort(key=lambda p: p.directive.span.start)
        return [
            Violation(p.directive.span, {"directive": p.directive.text, "problem": p.problem})
            for p in problems
        ]


def _names_any(selector: str, rules: Sequence[Rule]) -> bool:
    return any(selector_matches(selector, r.id, r.name, r.category) for r in rules)


def _covers(region: _Region, finding: Finding) -> bool:
    if region.selector and not selector_matches(
        region.selector, finding.rule, finding.name, finding.category
    ):
        return False
    if region.next_line_only:  # a sentence wrapped over several lines counts on each
        return finding.line <= region.first_line <= finding.end_line
    return region.first_line <= finding.line <= region.last_line


# --- finding the directives ----------------------------------------------------------


def _directives(document: Document) -> tuple[list[Directive], list[_Problem]]:
    source = document.source
    found: list[tuple[str, Span]] = [
        (_strip_html_comment(c.text), c.span) for c in document.markdown.comments
    ]
    found += _mdx_comments(document)
    directives: list[Directive] = []
    problems: list[_Problem] = []
    for body, span in sorted(found, key=lambda item: item[1].start):
        line = source.line_column(span.start)[0]
        end_line = source.line_column(max(span.end - 1, span.start))[0]
        match = _DIRECTIVE.match(body)
        if match is None:
            if _ANY_DIRECTIVE.match(body):
                text = " ".join(body.split())
                directive = Directive("unknown", (), span, line, end_line, text)
                problems.append(_Problem(directive, "is not an evlint directive"))
            continue
        rules, _, _reason = match.group("rest").partition(" --")
        selectors = tuple(s for s in re.split(r"[\s,]+", rules.strip()) if s)
        action = match.group("action")
        text = f"evlint-{action} {','.join(selectors)}".strip()
        directives.append(Directive(action, selectors, span, line, end_line, text))
    front = _front_matter_directive(document, problems)
    if front is not None:
        directives.insert(0, front)
    return directives, problems


def _strip_html_comment(text: str) -> str:
    return text.removeprefix("<!--").removesuffix("-->")


def _mdx_comments(document: Document) -> list[tuple[str, Span]]:
    """``{/* … */}`` outside code: JSX comments are prose text to the Markdown parser."""
    body = document.source.body
    code = document.markdown.code_spans
    result = []
    for match in _MDX_COMMENT.finditer(body):
        start = match.start()
        if any(span.start <= start < span.end for span in code):
            continue
        line_start = body.rfind("\n", 0, start) + 1
        if body.count("`", line_start, start) % 2:  # inside inline code on this line
            continue
        result.append((match.group(1), Span(start, match.end())))
    return result


def _front_matter_directive(document: Document, problems: list[_Problem]) -> Directive | None:
    front = document.source.front_matter
    if front is None or not front.data or "evlint" not in front.data:
        return None
    text = document.source.text
    key = _FRONT_MATTER_KEY.search(text, front.span.start, front.span.end)
    start = key.start() if key else front.span.start
    end = text.find("\n", start)
    span = Span(start, end if end != -1 else len(text))
    line = document.source.line_column(start)[0]
    settings = front.data["evlint"]
    disable = settings.get("disable") if isinstance(settings, dict) else None
    if isinstance(disable, str):
        disable = [disable]
    if not isinstance(disable, list) or not all(isinstance(s, str) for s in disable):
        bad = Directive("front-matter", (), span, line, line, "front matter 'evlint'")
        problems.append(_Problem(bad, "must be {disable: [RULE, ...]}"))
        return None
    selectors = tuple(s.strip() for s in disable if s.strip())
    return Directive(
        "front-matter", selectors, span, line, line, f"evlint: disable {','.join(selectors)}"
    )


def _regions(
    directives: Sequence[Directive], line_count: int, problems: list[_Problem]
) -> list[_Region]:
    """Line ranges per (directive, selector); ``disable`` runs to its ``enable`` or the end.

    ``enable RULE`` closes the open ``disable`` that named the same RULE; a bare
    ``enable`` closes every open one.
    """
    regions: list[_Region] = []
    open_: list[tuple[int, str, int]] = []  # (directive index, selector, first line)
    for index, directive in enumerate(directives):
        if directive.action == "disable-next-line":
            target = directive.end_line + 1
            regions += [_Region(index, s, target, target, True) for s in directive.targets]
        elif directive.action in ("disable-file", "front-matter"):
            regions += [_Region(index, s, 1, line_count, False) for s in directive.targets]
        elif directive.action == "disable":
            open_ += [(index, s, directive.line) for s in directive.targets]
        elif directive.action == "enable":
            wanted = {s.lower() for s in directive.selectors}
            closing = [o for o in open_ if not wanted or o[1].lower() in wanted]
            if not closing:
                problems.append(_Problem(directive, "enables nothing that was disabled"))
            for item in closing:
                open_.remove(item)
                regions.append(_Region(item[0], item[1], item[2], directive.line, False))
    regions += [_Region(i, s, first, line_count, False) for i, s, first in open_]
    return regions
