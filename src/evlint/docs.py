"""Rule documentation: one Markdown page per rule, generated from the rule file."""

from __future__ import annotations

from pathlib import Path

from evlint.rulespec import Rule


def rule_markdown(rule: Rule) -> str:
    lines = [
        f"# {rule.id} {rule.name}",
        "",
        f"*{rule.summary}*",
        "",
        f"- Category: `{rule.category}`",
        f"- Default level: `{rule.level.label}`",
        f"- Scope: {rule.scope}",
        f"- Enabled by default: {'yes' if rule.enabled else 'no'}",
        "",
        "## What it does",
        "",
        rule.doc.what,
        "",
        "## Why is this bad?",
        "",
        rule.doc.why,
        "",
        "## How to fix it",
        "",
        rule.doc.fix,
        "",
    ]
    if rule.options:
        lines += ["## Options", ""]
        lines += [f"- `{key}`: `{value}`" for key, value in sorted(rule.options.items())]
        lines.append("")
    for title, examples in (("Fails", rule.fail_examples), ("Passes", rule.pass_examples)):
        if not examples:
            continue
        lines += [f"## Example: {title.lower()}", ""]
        for example in examples:
            lines += ["```markdown", example.text.rstrip("\n"), "```", ""]
    if rule.doc.references:
        lines += ["## References", ""]
        lines += [f"- {reference}" for reference in rule.doc.references]
        lines.append("")
    lines += [
        f"To silence it on one line: `<!-- evlint-disable-next-line {rule.id} -- reason -->`.",
        "",
    ]
    return "\n".join(lines)


def write_rule_docs(rules: tuple[Rule, ...], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in rules:
        path = directory / f"{rule.id}-{rule.name}.md"
        path.write_text(rule_markdown(rule), encoding="utf-8")
        written.append(path)
    index = ["# evlint rules", "", "| id | name | category | level |", "|---|---|---|---|"]
    index += [
        f"| [{r.id}]({r.id}-{r.name}.md) | {r.name} | {r.category} | {r.level.label} |"
        for r in rules
    ]
    (directory / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return written
