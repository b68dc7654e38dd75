"""Shingle F1: the article-body score of the Scrapinghub / Zyte article-extraction benchmark.

Written from the scoring description in ``article-extraction/README.md`` (steps 1-8):

1. tokens are the matches of ``\\w+`` (case-sensitive, punctuation dropped);
2. shingles are the runs of 4 consecutive tokens, as a multiset; a text of 1-3 tokens has a
   single shingle made of all its tokens, an empty text none;
3. per page, ``tp``/``fp``/``fn`` count shingles in both / only the prediction / only the truth;
4. they are divided by their sum, so that every page weighs the same;
5. per-page precision and recall are averaged over the pages where they are defined;
6. F1 is the harmonic mean of the two averages (not a mean of per-page F1);
7. accuracy is the share of pages whose token sequences are identical;
8. the spread is the standard deviation over bootstrap resamples of the pages.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SHINGLE_SIZE = 4
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20191101

_TOKEN = re.compile(r"\w+")

# (tp, fp, fn) of one page, normalised to sum to 1 (or all 0 when both texts are empty).
PageCounts = tuple[float, float, float]


def tokenize(text: str | None) -> list[str]:
    """The ``\\w+`` tokens of ``text`` in order; None counts as the empty text."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-token shingles of ``text``.

    A text shorter than ``size`` tokens (but not empty) has exactly one shingle, all its tokens.
    """
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(true: str | None, pred: str | None, *, size: int = SHINGLE_SIZE) -> PageCounts:
    """Normalised ``(tp, fp, fn)`` of one page: shared, extra and missing shingles."""
    true_shingles = shingles(true, size)
    pred_shingles = shingles(pred, size)
    tp = fp = fn = 0
    for shingle in true_shingles.keys() | pred_shingles.keys():
        in_true = true_shingles[shingle]
        in_pred = pred_shingles[shingle]
        tp += min(in_true, in_pred)
        fp += max(0, in_pred - in_true)
        fn += max(0, in_true - in_pred)
    total = tp + fp + fn
    if total == 0:
        return (0.0, 0.0, 0.0)
    return (tp / total, fp / total, fn / total)


def page_precision(counts: PageCounts) -> float:
    """Precision of one page: 1 when nothing is wrong, 0 when nothing is right."""
    tp, fp, fn = counts
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0:
        return 0.0
    return tp / (tp + fp)


def page_recall(counts: PageCounts) -> float:
    """Recall of one page: 1 when nothing is wrong, 0 when nothing is right."""
    tp, fp, fn = counts
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0:
        return 0.0
    return tp / (tp + fn)


def same_tokens(true: str | None, pred: str | None) -> bool:
    """Whether the two texts have identical token sequences (the benchmark's "accuracy")."""
    return tokenize(true) == tokenize(pred)


def aggregate(pages: Sequence[PageCounts]) -> tuple[float, float, float]:
    """``(precision, recall, f1)`` over pages: averaged precision and recall, F1 of the averages.

    Precision is averaged over the pages with a prediction (``tp + fp > 0``), recall over the
    pages with a ground truth (``tp + fn > 0``). An average over no page is 0.
    """
    precisions = [page_precision(c) for c in pages if c[0] + c[1] > 0]
    recalls = [page_recall(c) for c in pages if c[0] + c[2] > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


@dataclass(frozen=True, slots=True)
class ShingleScores:
    """Scores of one set of predictions. ``*_std`` are bootstrap standard deviations."""

    f1: float
    precision: float
    recall: float
    accuracy: float
    f1_std: float
    precision_std: float
    recall_std: float
    accuracy_std: float
    pages: int
    # Per page, in the order of the ground truth: (tp, fp, fn) and whether tokens are identical.
    page_counts: tuple[PageCounts, ...]
    page_exact: tuple[bool, ...]


def score(
    truth: Mapping[str, str | None],
    predicted: Mapping[str, str | None],
    *,
    n_bootstrap: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> ShingleScores:
    """Score predicted bodies against true bodies, both keyed by page id.

    Every page of ``truth`` must have a prediction (an empty string for a page the system
    could not extract); extra predictions are an error too, since the benchmark compares
    files with the same keys. The bootstrap uses its own ``random.Random(seed)``, so the
    result is the same on every run.
    """
    missing = [key for key in truth if key not in predicted]
    extra = [key for key in predicted if key not in truth]
    if missing or extra:
        raise ValueError(
            f"predictions and ground truth must have the same page ids; "
            f"{len(missing)} missing (e.g. {missing[:3]}), {len(extra)} extra (e.g. {extra[:3]})"
        )
    keys = list(truth)
    counts = tuple(page_counts(truth[key], predicted[key]) for key in keys)
    exact = tuple(same_tokens(truth[key], predicted[key]) for key in keys)
    precision, recall, f1 = aggregate(counts)
    accuracy = statistics.fmean(exact) if exact else 0.0

    samples: dict[str, list[float]] = {"precision": [], "recall": [], "f1": [], "accuracy": []}
    rng = random.Random(seed)
    n = len(keys)
    for _ in range(n_bootstrap if n else 0):
        indices = [rng.randrange(n) for _ in range(n)]
        b_precision, b_recall, b_f1 = aggregate([counts[i] for i in indices])
        samples["precision"].append(b_precision)
        samples["recall"].append(b_recall)
        samples["f1"].append(b_f1)
        samples["accuracy"].append(statistics.fmean(exact[i] for i in indices))
    spread = {
        name: statistics.stdev(values) if len(values) > 1 else 0.0
        for name, values in samples.items()
    }
    return ShingleScores(
        f1=f1,
        precision=precision,
        recall=recall,
        accuracy=accuracy,
        f1_std=spread["f1"],
        precision_std=spread["precision"],
        recall_std=spread["recall"],
        accuracy_std=spread["accuracy"],
        pages=n,
        page_counts=counts,
        page_exact=exact,
    )
