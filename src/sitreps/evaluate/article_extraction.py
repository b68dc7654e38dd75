"""``article-extraction``: article body versus page furniture on 181 raw HTML pages.

The Scrapinghub / Zyte article-extraction benchmark, scored with shingle F1
(:mod:`sitreps.evaluate.shingles`). Each page goes through the same function as any HTML
input, :func:`sitreps.clean.make_document`, and ``document.text`` is the predicted body.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EvaluationError
from ..records import Skip
from . import shingles
from .base import Benchmark, read_json, require_dir, result

if TYPE_CHECKING:
    from ..config import Settings

NAME = "article-extraction"
REFERENCE = "trafilatura"  # the reference output scored alongside, as a check of the scorer


def read_ground_truth(data_dir: Path) -> dict[str, dict[str, Any]]:
    """``{page id: {"articleBody": str, "url": str}}`` from ``ground-truth.json``."""
    truth = read_json(data_dir / "ground-truth.json", what="Article-extraction ground truth")
    if not isinstance(truth, dict) or not all(isinstance(v, dict) for v in truth.values()):
        raise EvaluationError(
            f"{data_dir / 'ground-truth.json'} must map page ids to objects with 'articleBody'."
        )
    return truth


def read_reference(data_dir: Path, name: str) -> dict[str, str]:
    """The bodies of one reference output, ``reference-outputs/<name>.json``, by page id."""
    data = read_json(data_dir / "reference-outputs" / f"{name}.json", what="Reference output")
    try:
        return {key: value.get("articleBody") or "" for key, value in data["output"].items()}
    except (KeyError, TypeError, AttributeError):
        raise EvaluationError(
            f"Reference output {name}.json must have the form "
            f'{{"version": ..., "output": {{id: {{"articleBody": ...}}}}}}.'
        ) from None


def score_reference(
    data_dir: Path, name: str, *, n_bootstrap: int = shingles.BOOTSTRAP_RESAMPLES
) -> shingles.ShingleScores:
    """Shingle scores of a reference output (``trafilatura``, ``readability``, ``html-text``)."""
    truth = read_ground_truth(data_dir)
    return shingles.score(
        {key: value.get("articleBody") or "" for key, value in truth.items()},
        read_reference(data_dir, name),
        n_bootstrap=n_bootstrap,
    )


def run(
    data_dir: Path,
    *,
    settings: Settings,
    predictions_out: Path | None = None,
    n_bootstrap: int = shingles.BOOTSTRAP_RESAMPLES,
    baseline: bool = True,
) -> dict[str, Any]:
    """Extract every page of ``data_dir/html`` with the cleaner and score the bodies.

    A page the cleaner skips is scored as an empty prediction. ``predictions_out``, when
    given, receives the predictions in the benchmark's format (``{id: {"articleBody": ...}}``)
    for inspection. Metrics: ``shingle_f1``, ``precision``, ``recall``, ``accuracy``,
    ``f1_std``, ``pages``, ``skipped``, ``pages_per_second`` (cleaner time only, one process),
    and ``trafilatura_ref_f1`` (with its precision and recall) when the reference output is
    present. With ``baseline``, also ``trafilatura_installed_f1`` (precision, recall, pages per
    second): plain ``trafilatura.extract`` of the installed version on the same pages in the
    same run, the figure our HTML path must not fall below. Details: per page scores and skip
    reasons, worst pages first.
    """
    # Imported here so that listing benchmarks does not load the cleaner (and trafilatura).
    from ..clean import make_document
    from ..ingest import RawInput

    require_dir(data_dir / "html", what="Article-extraction html")
    truth = read_ground_truth(data_dir)
    predicted: dict[str, str] = {}
    plain: dict[str, str] = {}
    skips: dict[str, dict[str, str]] = {}
    seconds = plain_seconds = 0.0
    for page_id, page in truth.items():
        path = data_dir / "html" / f"{page_id}.html.gz"
        try:
            html = gzip.decompress(path.read_bytes()).decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise EvaluationError(
                f"Page {path} of the ground truth cannot be read: {error}. The benchmark "
                f"folder is incomplete; copy it again."
            ) from error
        raw = RawInput(source=str(path), content=html, format="html", url=page.get("url"))
        started = time.perf_counter()
        made = make_document(raw, settings=settings)
        seconds += time.perf_counter() - started
        if isinstance(made, Skip):
            predicted[page_id] = ""
            skips[page_id] = {"reason": made.reason, "message": made.message}
        else:
            predicted[page_id] = made.text
        if baseline:
            import trafilatura

            started = time.perf_counter()
            plain[page_id] = trafilatura.extract(html, url=page.get("url"), include_comments=False) or ""
            plain_seconds += time.perf_counter() - started

    scores = shingles.score(
        {key: value.get("articleBody") or "" for key, value in truth.items()},
        predicted,
        n_bootstrap=n_bootstrap,
    )
    if predictions_out is not None:
        predictions_out.parent.mkdir(parents=True, exist_ok=True)
        predictions_out.write_text(
            json.dumps(
                {key: {"articleBody": text} for key, text in predicted.items()},
                ensure_ascii=False,
                indent=1,
                sort_keys=True,
            ),
            encoding="utf-8",
        )

    metrics: dict[str, Any] = {
        "shingle_f1": scores.f1,
        "precision": scores.precision,
        "recall": scores.recall,
        "accuracy": scores.accuracy,
        "f1_std": scores.f1_std,
        "pages": scores.pages,
        "skipped": len(skips),
        "pages_per_second": scores.pages / seconds if seconds > 0 else None,
    }
    if baseline:
        installed = shingles.score(
            {key: value.get("articleBody") or "" for key, value in truth.items()}, plain, n_bootstrap=0
        )
        metrics["trafilatura_installed_f1"] = installed.f1
        metrics["trafilatura_installed_precision"] = installed.precision
        metrics["trafilatura_installed_recall"] = installed.recall
        metrics["trafilatura_installed_pages_per_second"] = (
            installed.pages / plain_seconds if plain_seconds > 0 else None
        )
    if (data_dir / "reference-outputs" / f"{REFERENCE}.json").is_file():
        reference = score_reference(data_dir, REFERENCE, n_bootstrap=0)
        metrics[f"{REFERENCE}_ref_f1"] = reference.f1
        metrics[f"{REFERENCE}_ref_precision"] = reference.precision
        metrics[f"{REFERENCE}_ref_recall"] = reference.recall

    pages = []
    for page_id, counts, exact in zip(truth, scores.page_counts, scores.page_exact):
        precision = shingles.page_precision(counts) if counts[0] + counts[1] > 0 else None
        recall = shingles.page_recall(counts) if counts[0] + counts[2] > 0 else None
        pages.append(
            {
                "id": page_id,
                "url": truth[page_id].get("url"),
                "precision": precision,
                "recall": recall,
                "exact": exact,
                "predicted_chars": len(predicted[page_id]),
                "true_chars": len(truth[page_id].get("articleBody") or ""),
                **({"skipped": skips[page_id]} if page_id in skips else {}),
            }
        )
    # Worst first: the pages to look at when the score drops.
    pages.sort(key=lambda p: (min(p["precision"] or 0.0, p["recall"] or 0.0), p["id"]))
    details = {
        "pages": pages,
        "seconds": round(seconds, 3),
        "precision_std": scores.precision_std,
        "recall_std": scores.recall_std,
        "accuracy_std": scores.accuracy_std,
        "predictions": str(predictions_out) if predictions_out is not None else None,
    }
    return result(NAME, metrics, details)


BENCHMARK = Benchmark(
    name=NAME,
    folder="article-extraction",
    description="Article body vs boilerplate on 181 raw HTML pages (Zyte benchmark, shingle F1).",
    run=run,
)
