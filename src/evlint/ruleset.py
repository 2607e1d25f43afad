"""The rules in force: built-in rules plus any user rule directories."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from evlint.kinds import KINDS
from evlint.records import record
from evlint.resources import builtin_rules_dir
from evlint.rules_loader import RuleError, load_rule_dir
from evlint.rulespec import Rule


@record
class RuleSet:
    """The rules in force, in load order, and the errors met loading them."""

    rules: tuple[Rule, ...]
    errors: tuple[RuleError, ...] = ()

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def find(self, key: str) -> Rule | None:
        for rule in self.rules:
            if key in (rule.id, rule.name):
                return rule
        return None


@lru_cache(maxsize=1)
def builtin_ruleset() -> RuleSet:
    rules, errors = load_rule_dir(builtin_rules_dir(), KINDS)
    return RuleSet(tuple(rules), tuple(errors))


@lru_cache(maxsize=8)
def load_ruleset(extra_dirs: tuple[str, ...] = ()) -> RuleSet:
    base = builtin_ruleset()
    rules = list(base.rules)
    errors = list(base.errors)
    seen = {rule.id for rule in rules}
    for directory in extra_dirs:
        path = Path(directory)
        if not path.is_dir():
            errors.append(RuleError(directory, "rule directory does not exist"))
            continue
        extra, extra_errors = load_rule_dir(path, KINDS)
        errors.extend(extra_errors)
        for rule in extra:
            if rule.id in seen:
                errors.append(RuleError(rule.source, f"rule id {rule.id} is already defined"))
                continue
            seen.add(rule.id)
            rules.append(rule)
    return RuleSet(tuple(rules), tuple(errors))
