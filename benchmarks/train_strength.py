"""Train the claim-strength and hedge weights shipped as src/evlint/claims/strength_model.txt.

    python benchmarks/train_strength.py --data ../shared/data

Data is read in place from the shared folder and never copied into the repo:
  yu2019-causal/pubmed_causal_language_use.csv  Yu, Li & Wang 2019 (EMNLP), GPL-3.0
  bioscope-abstracts/abstracts.xml              BioScope, Vincze et al. 2008
Features come from ``evlint.claims.strength.model_features`` so training and pure-Python
inference see exactly the same inputs. scikit-learn is a training-time tool only.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from evlint.claims.strength import (  # noqa: E402
    BUCKET_SEPARATOR,
    COLUMN_SEPARATOR,
    MODEL_FORMAT,
    MODEL_PATH,
    Lexicons,
    analyse,
    feature_bucket,
    load_lexicons,
    model_features,
)

# Yu et al.'s file labels -> evlint's strength names.
YU_LABELS = {"0": "none", "1": "causal", "2": "conditional", "3": "correlational"}
STRENGTH_ORDER = ("none", "correlational", "conditional", "causal")


@dataclass(frozen=True, slots=True)
class Params:
    strength_c: float = 1.0  # Wang & Manning's setting for NB-weighted logistic regression
    hedge_c: float = 0.5
    strength_min_df: int = 1  # Yu is small: rare n-grams still help
    hedge_min_df: int = 2
    prune: float = 0.02  # drop strength features whose largest |weight| is below this
    hedge_prune: float = 0.1  # hedge F1 is flat from 0.02 (0.910) to 0.1 (0.907); 6x fewer rows
    scale: int = 1000  # weights ship as integers in units of 1/scale


def _fix_mojibake(text: str) -> str:
    # The CSV holds UTF-8 that was once decoded as cp1252 ("Î´" for "δ"); undo when clean.
    if not any(ch in text for ch in "ÃÂÎâ"):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def load_yu(data: Path) -> list[tuple[str, str]]:
    path = data / "yu2019-causal" / "pubmed_causal_language_use.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            (_fix_mojibake(row["sentence"]).strip().strip('"'), YU_LABELS[row["label"]])
            for row in csv.DictReader(fh)
        ]


def load_bioscope(data: Path) -> list[tuple[str, bool, str]]:
    """(sentence, uncertain, document id); uncertain = has a speculation cue."""
    root = ET.parse(data / "bioscope-abstracts" / "abstracts.xml").getroot()
    out: list[tuple[str, bool, str]] = []
    for doc in root.iter("Document"):
        doc_id = doc.findtext("DocID") or ""
        for sent in doc.iter("sentence"):
            text = "".join(sent.itertext())
            uncertain = any(c.get("type") == "speculation" for c in sent.iter("cue"))
            out.append((text, uncertain, doc_id))
    return out


def featurise(sentences: Sequence[str], lexicons: Lexicons) -> list[list[str]]:
    return [list(model_features(s, analyse(s, lexicons))) for s in sentences]


def _design(feats: Sequence[Sequence[str]], min_df: int) -> tuple[list[str], Any]:
    """The vocabulary and the binary sentence-by-feature matrix."""
    import numpy as np
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    df: dict[str, int] = {}
    for row in feats:
        for f in row:
            df[f] = df.get(f, 0) + 1
    # Cue-class features are always kept: they are few and carry the lexicons' knowledge.
    vocab = sorted(f for f, n in df.items() if n >= min_df or f.startswith("c:"))
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, row in enumerate(feats):
        for f in row:
            j = index.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(feats), len(vocab)))
    return vocab, x


def _export(
    vocab: Sequence[str],
    coef: Any,
    intercept: Any,
    labels: Sequence[str],
    prune: float,
    params: Params,
) -> dict[str, Any]:
    """Pruned integer weights as plain JSON; ``coef`` is (outputs, features)."""
    import numpy as np

    weights: dict[str, list[int]] = {}
    for j, f in enumerate(vocab):
        col = coef[:, j]
        if float(np.abs(col).max()) >= prune:
            weights[f] = [round(float(v) * params.scale) for v in col]
    return {
        "labels": list(labels),
        "bias": [round(float(b) * params.scale) for b in intercept],
        "scale": params.scale,
        "threshold": 0.0,
        "weights": weights,
    }


def fit_linear(
    feats: Sequence[Sequence[str]],
    y: Sequence[int],
    labels: Sequence[str],
    c: float,
    min_df: int,
    prune: float,
    params: Params,
) -> dict[str, Any]:
    """L2 logistic regression (binary or multinomial)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    vocab, x = _design(feats, min_df)
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    clf.fit(x, np.asarray(y))
    return _export(vocab, clf.coef_, clf.intercept_, labels, prune, params)


def fit_nb_linear(
    feats: Sequence[Sequence[str]],
    y: Sequence[int],
    labels: Sequence[str],
    c: float,
    min_df: int,
    params: Params,
) -> dict[str, Any]:
    """One-vs-rest logistic regression over naive-Bayes-scaled features (Wang & Manning
    2012, "Baselines and Bigrams"): each feature is scaled per class by its smoothed log
    count ratio, so rare but one-sided n-grams start from their evidence and
    uninformative ones shrink. Scaling a feature and its weight is the same as scaling
    the weight, so the shipped table stays plain linear weights.
    """
    import numpy as np
    from scipy.sparse import diags
    from sklearn.linear_model import LogisticRegression

    vocab, x = _design(feats, min_df)
    target = np.asarray(y)
    coefs, intercepts = [], []
    for k in range(len(labels)):
        pos = target == k
        p = 1.0 + np.asarray(x[pos].sum(axis=0)).ravel()  # add-one smoothing
        q = 1.0 + np.asarray(x[~pos].sum(axis=0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        clf.fit(x @ diags(ratio), pos.astype(int))
        coefs.append(clf.coef_[0] * ratio)
        intercepts.append(clf.intercept_[0])
    return _export(vocab, np.vstack(coefs), np.asarray(intercepts), labels, params.prune, params)


def train_strength(
    sentences: Sequence[str], labels: Sequence[str], lexicons: Lexicons, params: Params
) -> dict[str, Any]:
    y = [STRENGTH_ORDER.index(lab) for lab in labels]
    return fit_nb_linear(
        featurise(sentences, lexicons),
        y,
        STRENGTH_ORDER,
        params.strength_c,
        params.strength_min_df,
        params,
    )


def train_hedge(
    sentences: Sequence[str], uncertain: Sequence[bool], lexicons: Lexicons, params: Params
) -> dict[str, Any]:
    y = [int(u) for u in uncertain]
    return fit_linear(
        featurise(sentences, lexicons),
        y,
        ("hedged",),
        params.hedge_c,
        params.hedge_min_df,
        params.hedge_prune,
        params,
    )


# Buckets of the shipped weight table: ~11 features each, so a short page opens few.
MODEL_BUCKETS = 4096


def model_file(strength: dict[str, Any], hedge: dict[str, Any]) -> bytes:
    """One weight table: each row is the strength weights, then the hedge weight.

    The file is a one-line JSON header, then one line per bucket (see
    ``evlint.claims.strength.MODEL_FORMAT``)."""
    k = len(strength["labels"])
    sw, hw = strength["weights"], hedge["weights"]
    features: list[list[str]] = [[] for _ in range(MODEL_BUCKETS)]
    rows: list[list[str]] = [[] for _ in range(MODEL_BUCKETS)]
    for f in sorted(sw.keys() | hw.keys()):
        for separator in (BUCKET_SEPARATOR, COLUMN_SEPARATOR, "\n"):
            if separator in f:
                raise ValueError(f"feature {f!r} contains the separator {separator!r}")
        bucket = feature_bucket(f, MODEL_BUCKETS)
        features[bucket].append(f)
        rows[bucket].append(" ".join(map(str, [*sw.get(f, [0] * k), *hw.get(f, [0])])))
    header = {
        "_comment": (
            "evlint claim-strength and hedge weights. Trained by benchmarks/train_strength.py: "
            "strength on Yu, Li & Wang 2019, 'Detecting Causal Language Use in Science "
            "Findings' (EMNLP; data GPL-3.0, github.com/junwang4/causal-language-use-in-science); "
            "hedge on the BioScope abstracts (Vincze et al. 2008). Strength: one-vs-rest "
            "logistic regression over naive-Bayes-scaled features; hedge: logistic regression. "
            "Features: words, word bigrams, stems, character 4-grams and cue-class features; "
            "low weights pruned. After this line, one UTF-8 line per bucket (CRC-32 of the "
            "feature modulo the bucket count): the bucket's features, '|'-separated, a tab, "
            "then their rows, '|'-separated; a row is one weight per strength label, then "
            "the hedge weight, in units of 1/scale, separated by spaces. 'offsets' gives "
            "where each bucket's line starts, counted in bytes from the line after this one, "
            "and then the length of all the bucket lines."
        ),
        "format": MODEL_FORMAT,
        "labels": strength["labels"],
        "bias": [*strength["bias"], *hedge["bias"]],
        "scale": strength["scale"],
        "hedge_threshold": hedge["threshold"],
        "buckets": MODEL_BUCKETS,
    }
    lines = [
        (
            BUCKET_SEPARATOR.join(names) + COLUMN_SEPARATOR + BUCKET_SEPARATOR.join(bucket) + "\n"
        ).encode("utf-8")
        for names, bucket in zip(features, rows, strict=True)
    ]
    # Where each bucket's line starts after the header line, then where the file ends.
    header["offsets"] = [0, *itertools.accumulate(map(len, lines))]
    head = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return head + b"\n" + b"".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    params = Params()
    lexicons = load_lexicons()
    yu = load_yu(args.data)
    bio = load_bioscope(args.data)
    strength = train_strength([s for s, _ in yu], [lab for _, lab in yu], lexicons, params)
    hedge = train_hedge([s for s, _, _ in bio], [u for _, u, _ in bio], lexicons, params)
    data = model_file(strength, hedge)
    sw_keys, hw_keys = strength["weights"].keys(), hedge["weights"].keys()
    args.out.write_bytes(data)
    print(
        f"wrote {args.out} ({len(data) / 1e6:.2f} MB; strength {len(strength['weights'])} "
        f"features, hedge {len(hedge['weights'])}, {len(sw_keys | hw_keys)} rows)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
