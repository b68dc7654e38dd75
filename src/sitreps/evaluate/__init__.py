"""Accuracy and speed benchmarks over the public evaluation data (``shared/benchmarks``).

Each benchmark is a module of this package that defines ``BENCHMARK`` (a :class:`Benchmark`):
its name, the folder it reads under the benchmarks root, a one-line description and a
``run(data_dir, *, settings) -> {"benchmark", "metrics", "details"}`` function. To add one,
write the module and list its ``BENCHMARK`` in ``_REGISTERED`` below.

Usage::

    result = evaluate("seeds-cleaning", settings=load_settings())
    table = format_table(result)
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EvaluationError
from . import (
    article_extraction,
    fakes,
    fakes_actors,
    geoparsing,
    gva,
    seeds_actors,
    seeds_cleaning,
    seeds_clusters,
    seeds_dates,
    seeds_events,
    seeds_places,
    tempeval3,
)
from .base import Benchmark

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["BENCHMARKS", "Benchmark", "ENV_VAR", "evaluate", "find_benchmarks_root", "format_table"]

ENV_VAR = "SITREPS_BENCHMARKS"

_REGISTERED: tuple[Benchmark, ...] = (
    article_extraction.BENCHMARK,
    fakes.BENCHMARK,
    fakes_actors.BENCHMARK,
    geoparsing.BENCHMARK,
    gva.CLUSTERS_BENCHMARK,
    gva.COUNTS_BENCHMARK,
    seeds_actors.BENCHMARK,
    seeds_cleaning.BENCHMARK,
    seeds_clusters.BENCHMARK,
    seeds_dates.BENCHMARK,
    seeds_events.BENCHMARK,
    seeds_places.BENCHMARK,
    tempeval3.BENCHMARK,
)

BENCHMARKS: dict[str, Benchmark] = {benchmark.name: benchmark for benchmark in _REGISTERED}

# Where the benchmarks root is looked for, relative to the current directory and each parent.
_SEARCHED = Path("shared") / "benchmarks"
# The search is repeated from here, so a source checkout finds its data from any directory.
_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates(start: Path) -> list[Path]:
    """``shared/benchmarks`` in ``start`` and each of its parents (which covers
    ``../shared/benchmarks`` beside a checkout)."""
    return [folder / _SEARCHED for folder in (start, *start.parents)]


def find_benchmarks_root(
    explicit: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path:
    """The folder that holds the benchmarks (``seeds/``, ``article-extraction/``, ...).

    In order: ``explicit`` (the CLI's ``--data DIR``), then ``$SITREPS_BENCHMARKS``, then the
    first existing ``shared/benchmarks`` in the current directory or one of its parents, then
    the same search from this package's location (a source checkout). ``environ`` and ``cwd``
    default to the process's own. An explicit or environment path that is not a folder is an
    error, not a reason to look elsewhere.
    """
    environ = os.environ if environ is None else environ
    if explicit is not None:
        explicit = Path(explicit)
        if not explicit.is_dir():
            raise EvaluationError(
                f"Benchmark data folder {str(explicit)!r} (given with --data) does not exist or "
                f"is not a folder. Pass --data DIR with the folder that holds seeds/, "
                f"article-extraction/, ..."
            )
        return explicit
    from_env = environ.get(ENV_VAR)
    if from_env:
        path = Path(from_env)
        if not path.is_dir():
            raise EvaluationError(
                f"${ENV_VAR} is {from_env!r}, which is not a folder. Set it to the folder that "
                f"holds seeds/, article-extraction/, ..., or pass --data DIR."
            )
        return path
    cwd = Path.cwd() if cwd is None else Path(cwd)
    tried = _candidates(cwd.resolve())
    tried += [path for path in _candidates(_PACKAGE_DIR) if path not in tried]
    for path in tried:
        if path.is_dir():
            return path
    raise EvaluationError(
        f"No benchmark data found. Tried: --data (not given), ${ENV_VAR} (not set), and "
        f"{', '.join(str(path) for path in tried)}. Pass --data DIR with the folder that holds "
        f"seeds/, article-extraction/, ..., or set {ENV_VAR}=DIR."
    )


def _benchmark_dir(root: Path, benchmark: Benchmark) -> Path:
    """``root/<folder>``; ``root`` itself when it already is that folder (``--data .../seeds``)."""
    folder = root / benchmark.folder
    if folder.is_dir():
        return folder
    if root.name == Path(benchmark.folder).name:
        return root
    raise EvaluationError(
        f"Benchmark {benchmark.name!r} reads the folder {benchmark.folder!r}, which is not in "
        f"{root}. Pass --data DIR with the benchmarks root that holds {benchmark.folder}/."
    )


def evaluate(
    name: str,
    *,
    data_dir: Path | None = None,
    settings: Settings,
    **options: Any,
) -> dict[str, Any]:
    """Run the benchmark ``name`` and return ``{"benchmark", "metrics", "details"}``.

    ``data_dir`` is the benchmarks root (see :func:`find_benchmarks_root`). ``options`` go to
    the benchmark's ``run`` unchanged (e.g. ``predictions_out=Path(...)`` for
    ``article-extraction``).
    """
    try:
        benchmark = BENCHMARKS[name]
    except KeyError:
        raise EvaluationError(
            f"Unknown benchmark {name!r}. Known benchmarks: {', '.join(sorted(BENCHMARKS))}."
        ) from None
    root = find_benchmarks_root(data_dir)
    return benchmark.run(_benchmark_dir(root, benchmark), settings=settings, **options)


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value.is_integer() and abs(value) >= 1000:
            return str(int(value))
        return f"{value:.3f}"
    return str(value)


def format_table(result: Mapping[str, Any]) -> str:
    """The metrics of a benchmark result as a plain two-column text table.

    Floats show three decimals, integers as they are; metrics keep the benchmark's order.
    """
    metrics = result.get("metrics") or {}
    rows = [("metric", "value")]
    rows += [(str(key), _format_value(value)) for key, value in metrics.items()]
    width = max(len(name) for name, _ in rows)
    value_width = max(len(value) for _, value in rows)
    lines = [f"benchmark: {result.get('benchmark', '?')}"]
    for index, (name, value) in enumerate(rows):
        lines.append(f"{name:<{width}}  {value:>{value_width}}")
        if index == 0:
            lines.append(f"{'-' * width}  {'-' * value_width}")
    return "\n".join(lines)
