"""``tempeval3``: time expressions found and normalised on the TempEval-3 platinum test set.

Each of the 20 documents is given to :func:`sitreps.times.find_time_mentions` with its document
creation time (DCT) as the anchor, and the mentions are compared with the gold TIMEX3 spans as
the benchmark's README says (TempEval-3 Task A, matched on characters rather than tokens):

- **strict** match: the same start and end; **relaxed** match: overlapping spans, one-to-one
  (a greedy assignment by largest overlap). Precision, recall and F1 for both.
- ``value_accuracy``: the share of relaxed matches whose normalised value equals the gold's;
  ``value_f1`` = value accuracy x relaxed F1 (the headline figure). ``type_accuracy`` and
  ``type_f1`` likewise.
- The same restricted to gold ``DATE`` expressions, where event dates come from:
  ``date_relaxed_recall``, ``date_value_accuracy_relaxed`` (over relaxed matches),
  ``date_value_accuracy_strict`` (over strict matches) and ``date_value_prefix_accuracy``: right
  at the gold's precision or a coarser one (``2013-03`` or ``2013-W12`` for ``2013-03-22``; a
  prediction finer than the gold does not count).

A mention the resolver could not normalise (``value`` None) is a predicted span with an empty
value and type. The scoring is pure (:func:`score`, over :class:`Timex` lists) so it can be
tested without the resolver. The published reference figures are in the details, not the
metrics: they were recalled, not re-checked against the paper.
"""

from __future__ import annotations

import datetime
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import EvaluationError
from .base import Benchmark, read_jsonl, require_dir, result

if TYPE_CHECKING:
    from ..config import Settings

NAME = "tempeval3"
DATA_FILE = "platinum.jsonl"

# TempEval-3 Task A, official results (UzZaman et al., SemEval 2013). Recalled in the
# benchmark's README, not re-checked against the paper: details only, never a floor.
PUBLISHED_REFERENCE = {
    "note": (
        "TempEval-3 Task A official results (UzZaman et al. 2013), recalled, not re-checked "
        "against the paper: verify before quoting. The official scorer matches tokens; this "
        "benchmark matches characters, which can differ slightly."
    ),
    "HeidelTime": {"relaxed_f1": 0.903, "strict_f1": 0.813, "value_f1": 0.776},
    "SUTime": {"relaxed_f1": 0.903, "value_f1": 0.67},
}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class Timex(NamedTuple):
    """One time expression, gold or predicted: character span, TIMEX3 type and value.

    An unresolved prediction has ``type`` and ``value`` "".
    """

    start: int
    end: int
    type: str
    value: str


def _overlap(a: Timex, b: Timex) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def strict_pairs(gold: Sequence[Timex], predicted: Sequence[Timex]) -> list[tuple[int, int]]:
    """``(gold index, predicted index)`` pairs with exactly the same span, one-to-one."""
    unused: dict[tuple[int, int], list[int]] = {}
    for j, timex in enumerate(predicted):
        unused.setdefault((timex.start, timex.end), []).append(j)
    pairs = []
    for i, timex in enumerate(gold):
        candidates = unused.get((timex.start, timex.end))
        if candidates:
            pairs.append((i, candidates.pop(0)))
    return pairs


def relaxed_pairs(gold: Sequence[Timex], predicted: Sequence[Timex]) -> list[tuple[int, int]]:
    """``(gold index, predicted index)`` pairs of overlapping spans, one-to-one.

    Greedy by largest overlap; ties go to the pair whose spans differ least in length, then to
    the earlier gold and predicted spans, so the result does not depend on chance.
    """
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            overlap = _overlap(g, p)
            if overlap > 0:
                mismatch = abs((g.end - g.start) - (p.end - p.start))
                candidates.append((-overlap, mismatch, i, j))
    candidates.sort()
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, _, i, j in candidates:
        if i not in used_gold and j not in used_predicted:
            used_gold.add(i)
            used_predicted.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def value_prefix_ok(gold_value: str, predicted_value: str) -> bool:
    """Whether ``predicted_value`` is the gold value or the same date at a coarser precision.

    Coarser means a prefix ending at a component boundary (``2013-03`` or ``2013`` for
    ``2013-03-22``, ``2013-03-22`` for ``2013-03-22TMO``), or the ISO week holding a gold day
    (``2013-W12`` for ``2013-03-22``). A prediction finer than the gold does not count.
    """
    if not predicted_value:
        return False
    if predicted_value == gold_value:
        return True
    if (
        predicted_value[:1].isdigit()
        and len(predicted_value) < len(gold_value)
        and gold_value.startswith(predicted_value)
        and gold_value[len(predicted_value)] in "-T"
    ):
        return True
    week, day = _WEEK.match(predicted_value), _DAY.match(gold_value)
    if week and day:
        try:
            year, number, _ = datetime.date(*map(int, day.groups())).isocalendar()
        except ValueError:
            return False
        return (year, number) == (int(week.group(1)), int(week.group(2)))
    return False


@dataclass(frozen=True, slots=True)
class Counts:
    """The counts every metric is computed from; add them up over documents with ``+``."""

    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed: int = 0
    value_correct: int = 0  # relaxed matches with the gold value
    type_correct: int = 0  # relaxed matches with the gold type
    gold_dates: int = 0
    date_strict: int = 0
    date_relaxed: int = 0
    date_value_strict: int = 0
    date_value_relaxed: int = 0
    date_value_prefix: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def count_document(gold: Sequence[Timex], predicted: Sequence[Timex]) -> Counts:
    """The counts for one document's gold and predicted time expressions."""
    strict = strict_pairs(gold, predicted)
    relaxed = relaxed_pairs(gold, predicted)
    date_strict = [(i, j) for i, j in strict if gold[i].type == "DATE"]
    date_relaxed = [(i, j) for i, j in relaxed if gold[i].type == "DATE"]
    return Counts(
        gold=len(gold),
        predicted=len(predicted),
        strict=len(strict),
        relaxed=len(relaxed),
        value_correct=sum(gold[i].value == predicted[j].value for i, j in relaxed),
        type_correct=sum(gold[i].type == predicted[j].type for i, j in relaxed),
        gold_dates=sum(timex.type == "DATE" for timex in gold),
        date_strict=len(date_strict),
        date_relaxed=len(date_relaxed),
        date_value_strict=sum(gold[i].value == predicted[j].value for i, j in date_strict),
        date_value_relaxed=sum(gold[i].value == predicted[j].value for i, j in date_relaxed),
        date_value_prefix=sum(value_prefix_ok(gold[i].value, predicted[j].value) for i, j in date_relaxed),
    )


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(matches: int, gold: int, predicted: int) -> float | None:
    # The harmonic mean of precision and recall, written so it is defined (0) when one side is empty.
    return 2 * matches / (gold + predicted) if gold + predicted else None


def _times(accuracy: float | None, f1: float | None) -> float | None:
    return None if f1 is None else (accuracy or 0.0) * f1


def metrics_from_counts(counts: Counts) -> dict[str, float | int | None]:
    """Strict / relaxed P, R, F1, value and type accuracy and F1, and the DATE-only figures.

    A ratio over nothing is None (``result`` leaves it out of the metrics).
    """
    relaxed_f1 = _f1(counts.relaxed, counts.gold, counts.predicted)
    value_accuracy = _ratio(counts.value_correct, counts.relaxed)
    type_accuracy = _ratio(counts.type_correct, counts.relaxed)
    return {
        "value_f1": _times(value_accuracy, relaxed_f1),
        "value_accuracy": value_accuracy,
        "relaxed_precision": _ratio(counts.relaxed, counts.predicted),
        "relaxed_recall": _ratio(counts.relaxed, counts.gold),
        "relaxed_f1": relaxed_f1,
        "strict_precision": _ratio(counts.strict, counts.predicted),
        "strict_recall": _ratio(counts.strict, counts.gold),
        "strict_f1": _f1(counts.strict, counts.gold, counts.predicted),
        "type_accuracy": type_accuracy,
        "type_f1": _times(type_accuracy, relaxed_f1),
        "date_relaxed_recall": _ratio(counts.date_relaxed, counts.gold_dates),
        "date_strict_recall": _ratio(counts.date_strict, counts.gold_dates),
        "date_value_accuracy_relaxed": _ratio(counts.date_value_relaxed, counts.date_relaxed),
        "date_value_accuracy_strict": _ratio(counts.date_value_strict, counts.date_strict),
        "date_value_prefix_accuracy": _ratio(counts.date_value_prefix, counts.date_relaxed),
        "gold_timexes": counts.gold,
        "gold_dates": counts.gold_dates,
        "predicted": counts.predicted,
    }


def score(documents: Iterable[tuple[Sequence[Timex], Sequence[Timex]]]) -> dict[str, float | int | None]:
    """The metrics over ``(gold, predicted)`` pairs, one per document (micro-averaged)."""
    total = Counts()
    for gold, predicted in documents:
        total = total + count_document(gold, predicted)
    return metrics_from_counts(total)


def value_shape(value: str) -> str:
    """The kind of a TIMEX3 value, for grouping errors: day, week, month, year, duration, ..."""
    if not value:
        return "none"
    if value.startswith("P"):
        return "ref" if value.endswith("_REF") else "duration"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", value):
        return "time"
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}-Q\d", value):
        return "quarter"
    if re.fullmatch(r"\d{4}-(SP|SU|FA|WI)", value):
        return "season"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    if re.fullmatch(r"\d{3}", value):
        return "decade"
    if value.endswith("_REF"):
        return "ref"
    return "other"


def read_documents(data_dir: Path) -> list[dict[str, Any]]:
    """The platinum documents of ``data_dir/platinum.jsonl``, with their gold timexes."""
    path = require_dir(data_dir, what="TempEval-3 benchmark") / DATA_FILE
    documents = list(read_jsonl(path, what="TempEval-3 data"))
    for document in documents:
        if not {"id", "text", "dct", "timexes"} <= set(document):
            raise EvaluationError(
                f"{path}: document {document.get('id', '?')!r} lacks one of id, text, dct, "
                f"timexes; see tempeval3/README.md for the format."
            )
    return documents


def gold_timexes(document: dict[str, Any]) -> list[Timex]:
    """The gold TIMEX3 expressions of one platinum document."""
    return [Timex(t["start"], t["end"], t["type"], t["value"]) for t in document["timexes"]]


def predicted_timexes(mentions: Iterable[Any]) -> list[Timex]:
    """``TimeMention`` objects as :class:`Timex`; an unresolved mention has type and value ""."""
    return [
        Timex(m.start, m.end, m.value.type if m.value else "", m.value.value if m.value else "")
        for m in mentions
    ]


def run(data_dir: Path, *, settings: Settings) -> dict[str, Any]:
    from ..nlp import load_pipeline
    from ..times import find_time_mentions

    documents = read_documents(data_dir)
    started = time.perf_counter()
    nlp = load_pipeline(settings.nlp)
    load_seconds = time.perf_counter() - started

    total = Counts()
    seconds = 0.0
    per_document, value_errors, missed, spurious = [], [], [], []
    for document in documents:
        text = document["text"]
        started = time.perf_counter()
        mentions = find_time_mentions(text, anchor=datetime.date.fromisoformat(document["dct"]), nlp=nlp)
        seconds += time.perf_counter() - started
        gold, predicted = gold_timexes(document), predicted_timexes(mentions)
        counts = count_document(gold, predicted)
        total = total + counts
        per_document.append(
            {"id": document["id"], "dct": document["dct"], "gold": counts.gold, "predicted": counts.predicted,
             "strict": counts.strict, "relaxed": counts.relaxed, "value_correct": counts.value_correct}
        )
        pairs = relaxed_pairs(gold, predicted)
        for i, j in pairs:
            if gold[i].value != predicted[j].value:
                value_errors.append(
                    {"id": document["id"], "gold_text": text[gold[i].start:gold[i].end],
                     "predicted_text": text[predicted[j].start:predicted[j].end],
                     "gold_type": gold[i].type, "gold_value": gold[i].value,
                     "predicted_type": predicted[j].type, "predicted_value": predicted[j].value}
                )
        matched_gold = {i for i, _ in pairs}
        matched_predicted = {j for _, j in pairs}
        missed += [
            {"id": document["id"], "text": text[g.start:g.end], "type": g.type, "value": g.value}
            for i, g in enumerate(gold) if i not in matched_gold
        ]
        spurious += [
            {"id": document["id"], "text": text[p.start:p.end], "type": p.type, "value": p.value}
            for j, p in enumerate(predicted) if j not in matched_predicted
        ]

    metrics = metrics_from_counts(total)
    metrics["documents"] = len(documents)
    metrics["seconds"] = round(seconds, 4)
    error_kinds = Counter(
        f"{error['gold_type']} {value_shape(error['gold_value'])} -> {value_shape(error['predicted_value'])}"
        for error in value_errors
    )
    details = {
        "published_reference": PUBLISHED_REFERENCE,
        "counts": {f.name: getattr(total, f.name) for f in fields(total)},
        "documents": per_document,
        "value_errors": value_errors,
        "value_error_kinds": dict(error_kinds.most_common()),
        "missed": missed,
        "spurious": spurious,
        "pipeline_load_seconds": round(load_seconds, 4),
    }
    return result(NAME, metrics, details)


BENCHMARK = Benchmark(
    name=NAME,
    folder="tempeval3",
    description="Time expressions on the TempEval-3 platinum set (20 news texts): spans, types and ISO values vs the DCT.",
    run=run,
)
