"""What a benchmark is, and small helpers every benchmark module shares."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import EvaluationError

# run(data_dir, *, settings, **options) -> {"benchmark": name, "metrics": {...}, "details": {...}}
Runner = Callable[..., dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Benchmark:
    """One registered benchmark.

    ``folder`` is the folder it reads, relative to the benchmarks root (``seeds``,
    ``article-extraction``). ``run`` takes that folder and the settings, and returns
    ``{"benchmark": name, "metrics": {name: number}, "details": {...}}``.
    """

    name: str
    folder: str
    description: str
    run: Runner


def result(name: str, metrics: dict[str, float | int], details: dict[str, Any]) -> dict[str, Any]:
    """The dict every benchmark returns; metrics that could not be computed (None) are left out."""
    return {
        "benchmark": name,
        "metrics": {key: value for key, value in metrics.items() if value is not None},
        "details": details,
    }


def share(flags: Iterable[bool]) -> float | None:
    """The share of true values, or None when there is none at all (the metric is undefined)."""
    flags = list(flags)
    return sum(flags) / len(flags) if flags else None


def read_json(path: Path, *, what: str) -> Any:
    """Load one JSON file of benchmark data, with an error that names the file and the fix."""
    try:
        with path.open("r", encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise EvaluationError(
            f"{what} not found: {path}. Check that the benchmark folder is complete, "
            f"or point --data DIR at the folder that holds it."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EvaluationError(f"{what} {path} cannot be read as JSON: {error}.") from error


def read_jsonl(path: Path, *, what: str) -> Iterator[Any]:
    """The records of one JSON Lines file of benchmark data, streamed, with an error that
    names the file, the line and the fix."""
    number = 0
    try:
        with path.open("r", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield json.loads(line)
    except FileNotFoundError:
        raise EvaluationError(
            f"{what} not found: {path}. Check that the benchmark folder is complete, "
            f"or point --data DIR at the folder that holds it."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EvaluationError(f"{what} {path} cannot be read as JSON lines (line {number}): {error}.") from error


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0.0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def bcubed(predicted: Mapping[Any, str], gold: Mapping[Any, str]) -> tuple[float | None, float | None, float | None]:
    """B-cubed precision, recall and F1 of a clustering over the items of ``predicted``
    (item -> cluster), against ``gold`` (item -> cluster); None each when there is no item."""
    if not predicted:
        return None, None, None
    predicted_members: dict[str, set] = defaultdict(set)
    gold_members: dict[str, set] = defaultdict(set)
    for item in predicted:
        predicted_members[predicted[item]].add(item)
        gold_members[gold[item]].add(item)
    precision = recall = 0.0
    for item in predicted:
        shared = len(predicted_members[predicted[item]] & gold_members[gold[item]])
        precision += shared / len(predicted_members[predicted[item]])
        recall += shared / len(gold_members[gold[item]])
    precision, recall = precision / len(predicted), recall / len(predicted)
    return precision, recall, f1(precision, recall)


def require_dir(path: Path, *, what: str) -> Path:
    """``path`` if it is a directory, else an EvaluationError saying how to fix it."""
    if not path.is_dir():
        raise EvaluationError(
            f"{what} folder not found: {path}. Pass --data DIR with the benchmarks root "
            f"(the folder holding seeds/, article-extraction/, ...)."
        )
    return path
