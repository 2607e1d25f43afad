"""Guarded kinds: a guard may only skip pages on which its kind reports nothing, and a
page that no guard admits must not import the evidence machinery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evlint.analysis import Analysis
from evlint.document import parse_document
from evlint.kinds import GUARDS, _import, get_kind
from evlint.ruleset import load_ruleset
from evlint.source import source_from_text
from tests.conftest import REPO, SEED_POST

PAGES = [*sorted((REPO / "tests" / "fixtures").rglob("*.md")), SEED_POST]
# Modules only a health page needs (citation parsing does need evlint.evidence.keys).
# A README names no health term, so the claim detector is not loaded either.
HEAVY = (
    "evlint.claims.detector",
    "evlint.claims.strength",
    "evlint.linking",
    "evlint.evidence.library",
    "evlint.evidence.model",
    "evlint.kinds.evidence",
    "evlint.doclevel.discussion",
    "evlint.doclevel.authors",
    "evlint.doclevel.dates",
    "evlint.doclevel.sources",
)
# Not needed by a health post without directives or a config file once the cache holds
# the evidence pack's parse: suppression, config-file reading, the evidence parsers.
WARM_UNNEEDED = (
    "evlint.suppress",
    "evlint.config_files",
    "evlint.evidence.summary",
    "evlint.evidence.cards",
    "evlint.evidence.bibliography",
)
README = (
    "# Tooling\n\nRun `make test` before you push. The CI job caches wheels.\n\n"
    "- Lint: `make lint` (front end too).\n- See Doe et al. for the design.\n"
)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_guarded_kinds_report_what_the_kinds_report(path: Path) -> None:
    rules = [rule for rule in load_ruleset(()).rules if rule.kind in GUARDS]
    assert {rule.kind for rule in rules} == set(GUARDS)  # every guard is exercised
    text = path.read_text(encoding="utf-8")
    guarded = Analysis(parse_document(source_from_text(str(path), text)))
    direct = Analysis(parse_document(source_from_text(str(path), text)))
    for rule in rules:
        found = list(get_kind(rule.kind)(rule, guarded))
        expected = list(_import(rule.kind)(rule, direct))
        assert found == expected, rule.id
        if found:
            assert GUARDS[rule.kind](guarded)


def test_guards_admit_the_seed_post() -> None:
    # The seed post has claims and safety wording: a guard that rejected it would be
    # silently hiding the evidence rules, which the equality test above cannot see.
    analysis = Analysis(parse_document(source_from_text("p.md", SEED_POST.read_text())))
    assert all(guard(analysis) for guard in GUARDS.values())


def test_guard_rejects_a_page_without_claims() -> None:
    analysis = Analysis(parse_document(source_from_text("README.md", README)))
    assert not any(guard(analysis) for guard in GUARDS.values())


@pytest.mark.slow
def test_checking_a_readme_does_not_import_the_evidence_machinery(tmp_path: Path) -> None:
    page = tmp_path / "README.md"
    page.write_text(README, encoding="utf-8")
    code = (
        "import sys\n"
        "from evlint.cli import main\n"
        f"sys.argv = ['evlint', 'check', {str(page)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = [m for m in sys.modules if m.startswith({HEAVY!r})]\n"
        "print('loaded:', sorted(heavy), file=sys.stderr)\n"
    )
    src = str(REPO / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "loaded: []" in done.stderr, done.stderr


@pytest.mark.slow
def test_warm_health_post_loads_only_what_it_needs(
    tmp_path: Path,
) -> None:
    """Start-up: with evlint's cache filled, a health post's run neither loads hashlib
    (OpenSSL) nor compiles any of evlint's own patterns (all come from the cache), nor
    imports modules the page does not need."""
    post = tmp_path / "blog" / SEED_POST.name  # no config file above it
    post.parent.mkdir()
    post.write_bytes(SEED_POST.read_bytes())
    code = (
        "import sys\n"
        "from evlint.cli import main\n"
        "from evlint import regex_cache\n"
        f"sys.argv = ['evlint', 'check', {str(post)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('hashlib:', 'hashlib' in sys.modules, file=sys.stderr)\n"
        "print('compiled:', regex_cache._default.added, file=sys.stderr)\n"
        f"unneeded = [m for m in sys.modules if m.startswith({WARM_UNNEEDED!r})]\n"
        "print('unneeded:', sorted(unneeded), file=sys.stderr)\n"
    )
    src = str(REPO / "src")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        "EVLINT_CACHE_DIR": str(tmp_path / "cache"),
    }
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        for _ in range(2)
    ]
    assert "compiled: 0" not in runs[0].stderr, runs[0].stderr  # the first run fills it
    assert "hashlib: False" in runs[1].stderr, runs[1].stderr
    assert "compiled: 0\n" in runs[1].stderr, runs[1].stderr
    # The first run parsed the built-in review summary; the second read it from the cache.
    assert "'evlint.evidence.summary'" in runs[0].stderr, runs[0].stderr
    assert "unneeded: []" in runs[1].stderr, runs[1].stderr
