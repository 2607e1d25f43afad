"""Throughput, start-up and memory of `evlint check`, against a parse-only floor.

Usage:
    python benchmarks/throughput.py [CORPUS_DIR] [--files N] [--repeat R]

Without CORPUS_DIR a synthetic corpus of health-style Markdown posts is generated
in a temporary directory (deterministic: seeded).  Its posts are built from eight
sentences, so per-sentence memos (strength grades) hit far more often than on real
pages: treat it as a worst case for claim density, not for variety.  To benchmark on real content,
clone public documentation repositories (e.g. several projects' `docs/` folders)
and point CORPUS_DIR at a folder holding 1,000+ `.md` files.

Prints how many files name a health term (only those get the health rules; the others
get the front-matter, suppression and citation checks), then, as medians over R runs:
files/s and MB/s for markdown-it-py parsing alone
(the floor) and for evlint's full pipeline in one process, their ratio; the same for
the command as users run it (`evlint check --jobs 1 CORPUS`, a subprocess, against a
parse-only subprocess, CPU seconds so a busy machine skews less); the `--jobs 2`
speed-up and whether its JSON output is identical to `--jobs 1`; start-up time of
`evlint check FILE` for the corpus's smallest file, a small health post (SMALL_POST
below, written to a folder of its own) and the bundled seed post (with the seeds
folder's config), against `python -c "import markdown_it, yaml, click"` in
back-to-back pairs, with
evlint's cache directory filled (any run after the first) and with EVLINT_NO_CACHE=1
(the very first run); and peak RSS of a full CLI run.  evlint's cache directory is a
temporary one, so the benchmark neither uses nor fills the user's.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED_POST = Path(__file__).resolve().parent.parent / "seeds" / "exosome-treatment-blog-post.md"
# "One small post" of the start-up target: front matter, a heading, an uncited and a
# cited claim, a reference list (what a pre-commit hook sees when one post changes).
SMALL_POST = """---
title: Does turmeric help joint pain?
date: 2024-03-01
author: Jane Doe
---

# Does turmeric help joint pain?

Turmeric cures arthritis and reduces inflammation in everyone who takes it.
A 2020 trial found curcumin was linked to lower pain scores in adults with knee \
osteoarthritis [1].
Talk to your doctor before starting any supplement.

## References

1. Smith J, et al. Curcumin for knee osteoarthritis. J Pain. 2020. doi:10.1000/jp.2020.1
"""

SENTENCES = [
    "Exosomes can cross the blood-brain barrier, making them useful in neurological disease.",
    "Vitamin D may reduce the risk of fractures in older adults [1].",
    "Coffee consumption is associated with lower mortality in cohort studies.",
    "Our clinic offers a revolutionary stem cell treatment that is completely safe.",
    "Regular exercise improves blood pressure in people with hypertension.",
    "The museum is open on weekdays from nine to five.",
    "Smith et al. reported a 2.5-fold increase in risk (95% CI 1.2-4.1).",
    "See the [guideline](https://www.who.int/publications/guidelines) for details.",
]


def generate_corpus(directory: Path, files: int) -> None:
    rng = random.Random(1234)
    for index in range(files):
        lines = ["---", f"title: Post {index}", "date: 2024-01-01", "---", ""]
        for section in range(rng.randint(2, 6)):
            lines += [f"## Section {section}", ""]
            for _ in range(rng.randint(1, 5)):
                lines.append(" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4))))
                lines.append("")
            if rng.random() < 0.3:
                lines += ["- item one claims less", "- item two", "", "```", "code()", "```", ""]
        lines += ["## References", "", "1. Doe J. A study. 2020. https://doi.org/10.1000/abc", ""]
        (directory / f"post-{index:05d}.md").write_text("\n".join(lines), encoding="utf-8")


def parse_only(paths: list[Path]) -> float:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    start = time.perf_counter()
    for path in paths:
        md.parse(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def full_pipeline(paths: list[Path]) -> float:
    from evlint.config import Config
    from evlint.engine import lint_file
    from evlint.ruleset import load_ruleset

    config = Config()
    ruleset = load_ruleset(())
    lint_file(str(paths[0]), config, ruleset)  # load rules, lexicons, evidence once
    start = time.perf_counter()
    for path in paths:
        lint_file(str(path), config, ruleset)
    return time.perf_counter() - start


_PARSE_ONLY = (
    "import sys, pathlib\n"
    "from markdown_it import MarkdownIt\n"
    "from mdit_py_plugins.footnote import footnote_plugin\n"
    "md = MarkdownIt('commonmark').enable('table').use(footnote_plugin)\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*')):\n"
    "    if p.suffix in ('.md', '.mdx'):\n"
    "        md.parse(p.read_text(encoding='utf-8', errors='replace'))\n"
)


def cpu_seconds(command: list[str]) -> tuple[float, float, bytes]:
    """(CPU seconds, wall seconds, stdout) of a subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, elapsed, done.stdout


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, env=env)
    return time.perf_counter() - start


def startup(
    command: list[str], floor: list[str], runs: int, extra_env: dict[str, str]
) -> tuple[float, float, float]:
    """Medians of ``command``'s and ``floor``'s wall time and of their ratio, over
    ``runs`` back-to-back pairs (a busy moment slows both halves of a pair alike)."""
    env = {**os.environ, **extra_env}
    subprocess.run(command, capture_output=True, check=False, env=env)  # warm the caches
    pairs = []
    for _ in range(runs):
        pairs.append((wall(command, env), wall(floor, env)))
    return (
        statistics.median(a for a, _ in pairs),
        statistics.median(b for _, b in pairs),
        statistics.median(a / b for a, b in pairs),
    )


def peak_rss_mb(command: list[str]) -> float:
    code = (
        "import resource, subprocess, sys;"
        f"subprocess.run({command!r}, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary, tempfile.TemporaryDirectory() as cache:
        # evlint's own cache (compiled regexes, parsed data files) starts empty and is
        # filled by the first run, as on a user's machine.
        os.environ["EVLINT_CACHE_DIR"] = cache
        corpus = args.corpus
        if corpus is None:
            corpus = Path(temporary)
            generate_corpus(corpus, args.files)
        paths = sorted(p for p in corpus.rglob("*") if p.suffix in (".md", ".mdx"))
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        print(f"corpus: {corpus} ({len(paths)} files, {megabytes:.1f} MB)")
        from evlint.topic import health_terms

        health = sum(
            bool(health_terms(p.read_text(encoding="utf-8", errors="replace"))) for p in paths
        )
        print(f"topic      : {health} of {len(paths)} files name a health term (all rules run)")
        floor = statistics.median(parse_only(paths) for _ in range(args.repeat))
        full = statistics.median(full_pipeline(paths) for _ in range(args.repeat))
        print(f"parse-only : {len(paths) / floor:8.1f} files/s {megabytes / floor:6.2f} MB/s")
        print(f"evlint     : {len(paths) / full:8.1f} files/s {megabytes / full:6.2f} MB/s")
        print(f"ratio      : {full / floor:.2f}x the parse-only time")
        evlint_cli = [sys.executable, "-m", "evlint", "check"]
        cli_floor = statistics.median(
            cpu_seconds([sys.executable, "-c", _PARSE_ONLY, str(corpus)])[0]
            for _ in range(args.repeat)
        )
        cli_runs = [
            cpu_seconds([*evlint_cli, "--jobs", "1", str(corpus)]) for _ in range(args.repeat)
        ]
        cli_cpu = statistics.median(run[0] for run in cli_runs)
        print(
            f"CLI        : `evlint check --jobs 1` {cli_cpu:.2f} CPU s vs parse-only "
            f"{cli_floor:.2f} CPU s ({cli_cpu / cli_floor:.2f}x; "
            f"{len(paths) / statistics.median(run[1] for run in cli_runs):.1f} files/s wall)"
        )
        speedups, identical = [], True
        for _ in range(args.repeat):  # back-to-back pairs: a busy moment skews one pair
            serial = cpu_seconds([*evlint_cli, "--jobs", "1", "--format", "json", str(corpus)])
            parallel = cpu_seconds([*evlint_cli, "--jobs", "2", "--format", "json", str(corpus)])
            speedups.append(serial[1] / parallel[1])
            identical = identical and serial[2] == parallel[2]
        print(
            f"--jobs 2   : {statistics.median(speedups):.2f}x faster than --jobs 1 (wall); "
            f"output {'identical' if identical else 'DIFFERENT'}"
        )
        # Start-up is timed with evlint's modules byte-compiled, as pip leaves an installed
        # package; an editable install under PYTHONDONTWRITEBYTECODE would otherwise
        # recompile every module on every run, a cost no installed user pays.
        import evlint

        compileall.compile_dir(Path(evlint.__file__).parent, quiet=1)
        imports = [sys.executable, "-c", "import markdown_it, yaml, click"]
        runs = max(11, args.repeat)
        # A small page that is not about health (the corpus's smallest file) loads no
        # claim model or evidence; the bundled seed post (a health post, 3.6 KB) loads
        # everything a typical hook run on a health site does.  "cached": the compiled
        # regexes and parsed data files are in the cache directory, as after any first
        # run; "no cache": EVLINT_NO_CACHE=1, what the very first run costs.
        smallest = min(paths, key=lambda p: p.stat().st_size)
        small_post = Path(temporary) / "small-post" / "turmeric.md"
        small_post.parent.mkdir()
        small_post.write_text(SMALL_POST, encoding="utf-8")
        pages = (("smallest file", smallest), ("small post", small_post), ("seed post", SEED_POST))
        # The console script, as users (and pre-commit) run it; `python -m evlint` adds runpy.
        script = Path(sys.executable).with_name("evlint")
        launcher = [str(script)] if script.is_file() else [sys.executable, "-m", "evlint"]
        for label, small in pages:
            command = [*launcher, "check", str(small)]
            cached = startup(command, imports, runs, {})
            cold = startup(command, imports, runs, {"EVLINT_NO_CACHE": "1"})
            print(
                f"start-up   : {label} ({small.name}): {cached[0] * 1000:.0f} ms vs imports "
                f"{cached[1] * 1000:.0f} ms, {cached[2]:.2f}x cached, {cold[2]:.2f}x no cache"
            )
        rss = peak_rss_mb([sys.executable, "-m", "evlint", "check", "--jobs", "1", str(corpus)])
        print(f"peak RSS   : {rss:.0f} MB for `evlint check --jobs 1` on the whole corpus")


if __name__ == "__main__":
    main()
