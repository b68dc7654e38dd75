"""Accuracy floors: the least each benchmark metric may score, kept in ``benchmarks/floors.json``.

A floor is only ever raised by code (:func:`raise_floors` keeps the higher of the floor and the
measured value); lowering one means editing the file by hand, where review sees it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import EvaluationError

# The checkout's floors file (src/sitreps/evaluate -> the repository root).
DEFAULT_FLOORS = Path(__file__).resolve().parents[3] / "benchmarks" / "floors.json"


def read_floors(path: Path = DEFAULT_FLOORS) -> dict[str, dict[str, float]]:
    """``{benchmark: {metric: floor}}`` from ``path``."""
    try:
        floors = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError as error:
        raise EvaluationError(f"No floors file at {path}; pass --floors FILE.") from error
    except json.JSONDecodeError as error:
        raise EvaluationError(f"The floors file {path} is not valid JSON: {error}.") from error
    return {name: dict(metrics) for name, metrics in floors.items() if not name.startswith("_")}


def violations(result: Mapping[str, Any], floors: Mapping[str, Mapping[str, float]]) -> list[str]:
    """One message per metric of ``result`` that scores below its floor, or is missing."""
    messages = []
    metrics = result["metrics"]
    for metric, floor in sorted(floors.get(result["benchmark"], {}).items()):
        value = metrics.get(metric)
        if not isinstance(value, (int, float)) or math.isnan(value):
            messages.append(f"{result['benchmark']}.{metric}: not measured (floor {floor})")
        elif value < floor:
            messages.append(f"{result['benchmark']}.{metric}: {value:.4f} is below its floor {floor}")
    return messages


def raise_floors(result: Mapping[str, Any], path: Path = DEFAULT_FLOORS) -> dict[str, float]:
    """Raise the floors of ``result``'s benchmark to the measured values (rounded down to three
    decimals) where those are higher; never lowers one. Returns the benchmark's new floors."""
    data = json.loads(Path(path).read_text("utf-8")) if Path(path).exists() else {}
    current = data.setdefault(result["benchmark"], {})
    for metric, floor in current.items():
        value = result["metrics"].get(metric)
        if isinstance(value, (int, float)) and not math.isnan(value):
            current[metric] = max(floor, math.floor(value * 1000) / 1000)
    Path(path).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", "utf-8")
    return current
