"""Config files change what is reported; mistakes in them name file, key and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evlint.config import Config, ConfigError
from evlint.config_files import glob_problem, read_config_file
from tests.conftest import REPO, run_evlint
from tests.content_repo import NEUTRAL, SAFETY, TURMERIC, ContentRepo

pytestmark = pytest.mark.slow


@pytest.fixture()
def repo(tmp_path: Path) -> ContentRepo:
    repo = ContentRepo(tmp_path / "content")
    repo.write("posts/a.md", SAFETY + "\n" + TURMERIC)
    repo.write("drafts/b.md", SAFETY + "\n" + TURMERIC)
    return repo


def rules_of(findings: list[tuple[str, str, int]], path: str) -> set[str]:
    return {rule for p, rule, _ in findings if p == path}


def test_without_config_both_rules_fire(repo: ContentRepo) -> None:
    found = repo.findings(".")
    assert {"EV101", "EV103"} <= rules_of(found, "posts/a.md")


def test_select_and_ignore_by_id_name_and_category(repo: ContentRepo) -> None:
    repo.write(".evlint.yaml", "select: [absolute-safety-claim]\n")
    assert rules_of(repo.findings("."), "posts/a.md") == {"EV103"}
    repo.write(".evlint.yaml", "ignore: [uncited-claim]\n")  # a category
    found = rules_of(repo.findings("."), "posts/a.md")
    assert "EV103" in found and "EV101" not in found


def test_per_file_override_changes_only_matching_files(repo: ContentRepo) -> None:
    repo.write(
        ".evlint.yaml",
        "per-file:\n  - files: ['drafts/**']\n    ignore: [EV103]\n    rules:\n"
        "      uncited-claim: {level: info}\n",
    )
    result = repo.check("--format", "json", ".")
    findings = json.loads(result.stdout)["findings"]
    drafts = {(f["rule"], f["severity"]) for f in findings if f["path"] == "drafts/b.md"}
    posts = {(f["rule"], f["severity"]) for f in findings if f["path"] == "posts/a.md"}
    assert ("EV103", "error") in posts and ("EV101", "warning") in posts
    assert not any(rule == "EV103" for rule, _ in drafts)
    assert ("EV101", "info") in drafts


def test_level_off_and_fail_on_set_the_exit_code(repo: ContentRepo) -> None:
    repo.write("posts/a.md", TURMERIC)
    repo.write("drafts/b.md", NEUTRAL)
    repo.write(".evlint.yaml", "select: [EV101]\nrules:\n  EV101: {level: info}\n")
    assert repo.check(".").returncode == 0  # info is below the default fail-on (warning)
    repo.write(".evlint.yaml", "select: [EV101]\nrules:\n  EV101: {level: info}\nfail-on: info\n")
    assert repo.check(".").returncode == 1
    repo.write(".evlint.yaml", "select: [EV101, EV103]\nrules:\n  uncited-claim: off\n")
    assert repo.findings(".") == []


def test_exclude_applies_to_walked_and_named_files(repo: ContentRepo) -> None:
    repo.write(".evlint.yaml", "exclude: ['drafts/']\n")
    assert {p for p, _, _ in repo.findings(".")} == {"posts/a.md"}
    # pre-commit names files explicitly; an excluded one must stay excluded.
    assert repo.findings("drafts/b.md") == []


def test_nearest_config_governs_each_file(repo: ContentRepo) -> None:
    repo.write(".evlint.yaml", "select: [EV101]\n")
    repo.write("drafts/.evlint.yml", "select: [EV103]\n")
    found = repo.findings(".")
    assert rules_of(found, "posts/a.md") == {"EV101"}
    assert rules_of(found, "drafts/b.md") == {"EV103"}


def test_pyproject_tool_table_is_read(repo: ContentRepo) -> None:
    repo.write("pyproject.toml", '[project]\nname = "site"\n\n[tool.evlint]\nselect = ["EV103"]\n')
    assert rules_of(repo.findings("."), "posts/a.md") == {"EV103"}


def test_discovery_stops_at_the_git_root(tmp_path: Path) -> None:
    (tmp_path / ".evlint.yaml").write_text("select: [EV103]\n", encoding="utf-8")
    repo = ContentRepo(tmp_path / "inner")
    repo.write("a.md", SAFETY + "\n" + TURMERIC)
    # The outer config (EV103 only) is not this repository's: EV101 still runs.
    assert {"EV101", "EV103"} <= rules_of(repo.findings("."), "a.md")


def test_strict_preset_raises_levels(repo: ContentRepo) -> None:
    repo.write(".evlint.yaml", "extends: strict\nselect: [EV101]\n")
    result = repo.check("--format", "json", "posts/a.md")
    report = json.loads(result.stdout)
    assert {f["severity"] for f in report["findings"]} == {"error"}
    assert report["summary"]["fail_on"] == "info"


def test_extends_a_file_and_overrides_it(repo: ContentRepo) -> None:
    repo.write("base.yaml", "select: [EV103]\nfail-on: error\n")
    repo.write(".evlint.yaml", "extends: base.yaml\nfail-on: warning\n")
    result = repo.check("--format", "json", "posts/a.md")
    report = json.loads(result.stdout)
    assert {f["rule"] for f in report["findings"]} == {"EV103"}
    assert report["summary"]["fail_on"] == "warning"


def test_user_rule_directory_adds_a_rule(repo: ContentRepo) -> None:
    repo.write(
        "house-rules/HR001.yaml",
        "id: HR001\nname: no-miracles\nkind: lexicon_match\nscope: sentence\n"
        "category: hype-language\nlevel: error\nsummary: House style bans hype.\n"
        "message: House style forbids '{term}' in any article.\noptions: {lexicon: hype}\n"
        "docs: {what: Flags hype words here, why: House style says so, fix: Remove the word}\n",
    )
    repo.write("posts/a.md", "This miracle cure works.\n")
    repo.write(".evlint.yaml", "rule-dirs: [house-rules]\nselect: [HR001]\n")
    assert rules_of(repo.findings("."), "posts/a.md") == {"HR001"}
    listed = run_evlint("rules", cwd=repo.root)
    assert "HR001  no-miracles" in listed.stdout


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("select: [EV101]\nsevirity: high\n", 2, "sevirity: unknown key"),
        ("select: 3\n", 1, "select: must be a string or a list of strings"),
        ("exclude:\n  - 'drafts/[abc'\n", 2, "exclude: bad glob"),
        ("exclude: ['a**b/c.md']\n", 1, "exclude: bad glob"),
        ("ignore: [EV999]\n", 1, "unknown rule or category 'EV999'"),
        ("rules:\n  EV101:\n    level: loud\n", 3, "rules.EV101.level: must be one of"),
        ("rules:\n  EV102:\n    options:\n      lexicon: hype\n      speed: 3\n", 5, "speed"),
        ("per-file:\n  - files: ['x/*.md']\n    slect: [EV101]\n", 3, "per-file[0].slect"),
        ("fail-on: sometimes\n", 1, "fail-on: must be one of"),
        ("max-file-size: huge\n", 1, "max-file-size"),
        ("extends: pedantic\n", 1, "unknown preset 'pedantic'"),
        ("select: [EV101]\nselect: [EV103]\n", 2, "duplicate key"),
        ("rule-dirs: ['../../outside']\n", 1, "outside the repository"),
    ],
)
def test_config_mistakes_exit_2_naming_file_key_and_line(
    repo: ContentRepo, text: str, line: int, needle: str
) -> None:
    config = repo.write(".evlint.yaml", text)
    result = repo.check(".")
    assert result.returncode == 2
    assert f"{config.resolve()}:{line}:" in result.stderr, result.stderr
    assert needle in result.stderr
    assert result.stdout == ""


def test_explicit_config_may_name_paths_outside_the_repository(tmp_path: Path) -> None:
    shared = tmp_path / "shared-rules"
    shared.mkdir()
    config = tmp_path / "org.yaml"
    config.write_text("rule-dirs: [shared-rules]\nselect: [EV103]\n", encoding="utf-8")
    repo = ContentRepo(tmp_path / "content")
    repo.write(".evlint.yaml", "rule-dirs: ['../shared-rules']\n")
    repo.write("a.md", SAFETY)
    assert repo.check(".").returncode == 2  # discovered: confined to the repository
    result = repo.check("--config", str(config), "--format", "json", ".")
    assert result.returncode == 1, result.stderr
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} == {"EV103"}


def test_rules_command_shows_config_state(repo: ContentRepo) -> None:
    repo.write(".evlint.yaml", "ignore: [hype-language]\nrules:\n  EV101: {level: error}\n")
    result = run_evlint("rules", "--format", "json", cwd=repo.root)
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["EV102"]["enabled"] is False
    assert rows["EV101"]["level"] == "error" and rows["EV101"]["default_level"] == "warning"
    assert rows["EV103"]["enabled"] is True


def test_seeds_config_treats_the_review_as_evidence_not_content() -> None:
    result = run_evlint("check", "--format", "json", "seeds")
    paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert paths == {"seeds/exosome-treatment-blog-post.md"}
    config = read_config_file(REPO / "seeds" / ".evlint.yaml", explicit=False)
    assert config.evidence == (str(REPO / "seeds" / "neonatal-ev-review-summary.md"),)


def test_toml_errors_point_at_the_key(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.other]\nx = 1\n\n[tool.evlint]\nselect = ["EV101"]\nbogus = 2\n')
    with pytest.raises(ConfigError) as caught:
        read_config_file(path, explicit=True)
    assert (caught.value.line, caught.value.key) == (6, "bogus")


def test_glob_validation_and_matching() -> None:
    assert glob_problem("posts/**/*.md") is None
    assert glob_problem("/abs/*.md") is not None
    assert glob_problem("a\\b.md") is not None
    config = Config(exclude=("drafts/**", "*.tmp.md"), root=".")
    assert config.is_excluded("drafts/x/y.md")
    assert config.is_excluded("posts/deep/z.tmp.md")
    assert not config.is_excluded("posts/a.md")
