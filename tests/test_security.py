"""Security: no network at lint time, content and config only through safe loaders."""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SEEDS

SRC = REPO / "src" / "evlint"

BLOCK_NETWORK = """\
import socket

def _refuse(*args, **kwargs):
    raise OSError("network access attempted during lint (blocked by the test)")

socket.socket = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
socket.socketpair = _refuse
"""


def _check(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evlint", "check", *args, "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.slow
def test_linting_the_seeds_needs_no_network(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(BLOCK_NETWORK, encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    blocked = {**base, "PYTHONPATH": os.pathsep.join([str(tmp_path), base.get("PYTHONPATH", "")])}
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.socket()"],
        env=blocked,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode != 0 and "network access attempted" in probe.stderr  # block is on

    normal = _check([str(SEEDS)], base)
    assert normal.returncode == 1, normal.stderr
    for jobs in ("1", "2"):
        offline = _check([str(SEEDS), "--jobs", jobs], blocked)
        assert offline.returncode == 1, offline.stderr
        assert "network access attempted" not in offline.stdout + offline.stderr
        assert json.loads(offline.stdout)["findings"] == json.loads(normal.stdout)["findings"]
        assert json.loads(offline.stdout)["errors"] == []


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in SRC.rglob("*.py")]


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def test_no_eval_exec_pickle_or_unsafe_yaml_in_src() -> None:
    banned_calls = {"eval", "exec", "compile", "__import__", "yaml.unsafe_load", "yaml.full_load"}
    banned_modules = {"pickle", "marshal", "shelve", "dill", "cloudpickle"}
    problems = []
    for path, tree in _sources():
        where = path.relative_to(REPO)
        for call in _calls(tree):
            name = _dotted(call.func)
            if name in banned_calls:
                problems.append(f"{where}:{call.lineno}: {name}()")
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            problems += [
                f"{where}:{node.lineno}: imports {n}"
                for n in names
                if n.split(".")[0] in banned_modules
            ]
    assert problems == []


def test_every_yaml_load_uses_a_safe_loader() -> None:
    """``yaml.load`` only with a Loader built on SafeConstructor (never Full/Unsafe)."""
    seen = 0
    for path, tree in _sources():
        module_name = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        for call in _calls(tree):
            name = _dotted(call.func)
            if name in ("yaml.load", "yaml.load_all", "yaml.safe_load", "yaml.safe_load_all"):
                seen += 1
            if name not in ("yaml.load", "yaml.load_all"):
                continue
            loader = next((k.value for k in call.keywords if k.arg == "Loader"), None)
            assert loader is not None, f"{path}:{call.lineno}: yaml.load without Loader="
            first, *rest = _dotted(loader).split(".")
            cls = vars(importlib.import_module(module_name))[first]
            for attribute in rest:
                cls = getattr(cls, attribute)
            where = f"{path}:{call.lineno}: {_dotted(loader)}"
            assert issubclass(cls, yaml.constructor.SafeConstructor), where
            assert not issubclass(cls, yaml.constructor.FullConstructor), where
    assert seen >= 3  # the scan really looked at the loaders


def test_subprocess_only_runs_git() -> None:
    users = sorted(
        str(path.relative_to(REPO))
        for path, tree in _sources()
        if any(
            _dotted(c.func).startswith(("subprocess.", "os.system", "os.popen"))
            for c in _calls(tree)
        )
    )
    assert users == ["src/evlint/changes.py"]  # `git diff` for --changed-since only
    text = (SRC / "changes.py").read_text(encoding="utf-8")
    assert '["git", ' in text and "shell=True" not in text
