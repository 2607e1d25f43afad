"""Score the claim-strength and hedge grader on Yu et al. 2019 and BioScope.

    python benchmarks/strength.py --data ../shared/data          # rules-only + shipped model
    python benchmarks/strength.py --data ../shared/data --cv     # + 5-fold cross-validation

Protocol. "rules" grades with the cue lexicons alone. "shipped" uses the committed
weights, which were trained on ALL of both files: it is a consistency check, not a
result. "cv" is the result: 5 folds, and in each fold the model is retrained exactly as
train_strength.py trains the shipped one (same features, C, min_df, pruning, rounding)
on the other four folds and scored on the held-out fold. Yu folds are stratified by
label; BioScope folds are grouped by abstract so sentences of one abstract never sit on
both sides.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_strength import (
    REPO,
    STRENGTH_ORDER,
    Params,
    load_bioscope,
    load_yu,
    model_file,
    train_hedge,
    train_strength,
)

from evlint.claims.strength import (
    Grader,
    StrengthGrade,
    StrengthModel,
    load_lexicons,
    load_model,
)

FOLDS = 5
SEED = 0


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def strength_report(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, list[str]]:
    lines = [f"  {'class':<14}{'P':>7}{'R':>7}{'F1':>7}{'n':>7}"]
    f1s = []
    for lab in STRENGTH_ORDER:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred, strict=True))
        p, r, f = prf(tp, fp, fn)
        f1s.append(f)
        lines.append(f"  {lab:<14}{p:7.3f}{r:7.3f}{f:7.3f}{tp + fn:7d}")
    macro = sum(f1s) / len(f1s)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    lines.append(f"  macro-F1 {macro:.3f}   accuracy {acc:.3f}")
    return macro, lines


def hedge_report(gold: Sequence[bool], pred: Sequence[bool]) -> tuple[float, list[str]]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    p, r, f = prf(tp, fp, fn)
    return f, [f"  uncertain     P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (n={tp + fn})"]


def grade_all(grader: Grader, sentences: Sequence[str]) -> list[StrengthGrade]:
    return [grader.grade(s) for s in sentences]


def yu_folds(labels: Sequence[str]) -> list[list[int]]:
    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

    skf = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return [list(test) for _, test in skf.split(list(range(len(labels))), labels)]


def bio_folds(groups: Sequence[str]) -> list[list[int]]:
    from sklearn.model_selection import GroupKFold

    gkf = GroupKFold(n_splits=FOLDS)
    idx = list(range(len(groups)))
    return [list(test) for _, test in gkf.split(idx, idx, groups)]


def cross_validate(
    n: int,
    folds: list[list[int]],
    fit: Callable[[list[int]], Grader],
    predict: Callable[[Grader, list[int]], list[object]],
) -> list[object]:
    out: list[object] = [None] * n
    for k, test in enumerate(folds):
        held = set(test)
        grader = fit([i for i in range(n) if i not in held])
        for i, p in zip(test, predict(grader, test), strict=True):
            out[i] = p
        print(f"    fold {k + 1}/{len(folds)} done", file=sys.stderr)
    return out


def run(data: Path, cv: bool, limit: int | None = None) -> dict[str, float]:
    """Print the report; return the headline numbers (used by the tests)."""
    lexicons = load_lexicons()
    yu = load_yu(data)
    bio = load_bioscope(data)
    if limit is not None:
        yu, bio = yu[:: max(1, len(yu) // limit)], bio[:: max(1, len(bio) // limit)]
    ys, yl = [s for s, _ in yu], [lab for _, lab in yu]
    bs, bl, bg = [s for s, _, _ in bio], [u for _, u, _ in bio], [d for _, _, d in bio]
    results: dict[str, float] = {}
    print(f"Yu et al. 2019: {len(yu)} sentences; BioScope abstracts: {len(bio)} sentences")

    graders: list[tuple[str, Grader]] = [("rules", Grader(lexicons, None))]
    shipped = load_model()
    if shipped is not None:
        graders.append(
            ("shipped (trained on these files; not a result)", Grader(lexicons, shipped))
        )
    for name, grader in graders:
        key = name.split()[0]
        t0 = time.perf_counter()
        yg = grade_all(grader, ys)
        bgr = grade_all(grader, bs)
        rate = (len(ys) + len(bs)) / (time.perf_counter() - t0)
        macro, lines = strength_report(yl, [g.strength for g in yg])
        hf, hlines = hedge_report(bl, [g.hedged for g in bgr])
        results[f"{key}_macro_f1"], results[f"{key}_hedge_f1"] = macro, hf
        print(f"\n[{name}]  {rate:,.0f} sentences/s")
        print(" Yu 4-way strength:", *lines, sep="\n")
        print(" BioScope sentence hedge:", *hlines, sep="\n")

    if cv:
        params = Params()
        full_strength = train_strength(ys, yl, lexicons, params)
        full_hedge = train_hedge(bs, bl, lexicons, params)

        def yu_fit(train: list[int]) -> Grader:
            part = train_strength([ys[i] for i in train], [yl[i] for i in train], lexicons, params)
            return Grader(lexicons, StrengthModel.from_file_data(model_file(part, full_hedge)))

        def bio_fit(train: list[int]) -> Grader:
            # The strength part never saw BioScope; only the hedge part is held out.
            part = train_hedge([bs[i] for i in train], [bl[i] for i in train], lexicons, params)
            return Grader(lexicons, StrengthModel.from_file_data(model_file(full_strength, part)))

        print(f"\n[cv] {FOLDS}-fold; model retrained per fold as in train_strength.py")
        ypred = cross_validate(
            len(ys), yu_folds(yl), yu_fit, lambda g, t: [g.grade(ys[i]).strength for i in t]
        )
        bpred = cross_validate(
            len(bs), bio_folds(bg), bio_fit, lambda g, t: [g.grade(bs[i]).hedged for i in t]
        )
        macro, lines = strength_report(yl, [str(p) for p in ypred])
        hf, hlines = hedge_report(bl, [bool(p) for p in bpred])
        results["cv_macro_f1"], results["cv_hedge_f1"] = macro, hf
        print(" Yu 4-way strength (stratified folds, seed 0):", *lines, sep="\n")
        print(" BioScope sentence hedge (folds grouped by abstract):", *hlines, sep="\n")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark evlint's claim-strength grader.")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--cv", action="store_true", help="add 5-fold cross-validated model numbers")
    ap.add_argument("--limit", type=int, default=None, help="score an evenly spaced sample")
    args = ap.parse_args(argv)
    run(args.data, args.cv, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
