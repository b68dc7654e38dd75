"""``seeds-cleaning``: does the cleaner keep every gold string and drop the page furniture?

Runs the cleaner on the five seed articles in Mode A (text only) and measures:

- ``evidence_kept``: share of the gold's quoted strings (evidence of required events, figure
  texts) found in ``document.text`` after whitespace normalisation. The floor is 1.0: the
  cleaner must never lose a sentence an event is read from. ``evidence_kept_with_optional``
  counts optional events too: one of them is read from a photo caption, which the cleaner
  keeps out of the body on purpose (captions must produce no events). ``body_lost`` counts
  the misses of either kind.
- ``junk_removed``: share of the annotated junk lines whose line class is not ``body``, overall
  and per category. Which lines are junk is the project's own annotation,
  ``benchmarks/annotations/seeds_junk.json`` (line numbers, categories and short hashes only).
- ``captions_removed``: the same share over descriptive captions (reported apart: a caption can
  carry facts, and one seed's gold quotes a caption as evidence).
- ``published_accuracy`` / ``published_null_correct``: the publication date read from the text,
  and no date where the text gives none.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EvaluationError
from ..records import Document, Skip
from .base import Benchmark, read_json, result, share
from .seeds import Seed, gold_strings, line_spans, normalize_whitespace, read_seeds

if TYPE_CHECKING:
    from ..config import Settings

NAME = "seeds-cleaning"
ANNOTATIONS_ENV = "SITREPS_ANNOTATIONS"
ANNOTATION_FILE = "seeds_junk.json"
# Categories reported apart from junk: descriptive captions, and metadata lines (information).
CAPTION = "caption"
META = "meta"


def default_annotations() -> Path:
    """``$SITREPS_ANNOTATIONS/seeds_junk.json``, else the file in this checkout's
    ``benchmarks/annotations/``."""
    folder = os.environ.get(ANNOTATIONS_ENV)
    if folder:
        return Path(folder) / ANNOTATION_FILE
    # src/sitreps/evaluate/<this file> -> the repository root is three folders up from here.
    return Path(__file__).resolve().parents[3] / "benchmarks" / "annotations" / ANNOTATION_FILE


def line_hash(line: str) -> str:
    """The annotation's fingerprint of a line: first 8 hex chars of sha1 of the stripped line."""
    return hashlib.sha1(line.strip().encode("utf-8")).hexdigest()[:8]


def load_annotations(path: Path, seeds: list[Seed]) -> tuple[dict[str, list[dict]], set[str]]:
    """The annotated lines per seed and the set of junk categories, checked against the seeds.

    A line whose hash no longer matches, or a line number past the end of the file, means the
    seed file changed since it was annotated: the scores would be wrong, so this raises.
    """
    if not path.is_file():
        raise EvaluationError(
            f"Junk-line annotations not found: {path}. They live in the repository under "
            f"benchmarks/annotations/; run from a checkout, or set {ANNOTATIONS_ENV}=DIR "
            f"or pass annotations=PATH."
        )
    data = read_json(path, what="Junk-line annotation file")
    try:
        by_seed = data["seeds"]
        junk_categories = set(data["junk_categories"])
    except (KeyError, TypeError):
        raise EvaluationError(
            f"{path} must hold 'seeds' and 'junk_categories'; see its 'about' field."
        ) from None
    texts = {seed.id: seed.text.split("\n") for seed in seeds}
    stale = []
    for seed_id, rows in by_seed.items():
        if seed_id not in texts:
            stale.append(f"{seed_id} (no such seed file)")
            continue
        lines = texts[seed_id]
        for row in rows:
            number = row["line"]
            if number >= len(lines) or line_hash(lines[number]) != row["sha1"]:
                stale.append(f"{seed_id} line {number}")
    if stale:
        raise EvaluationError(
            f"The seed files no longer match the annotations in {path}: {', '.join(stale)}. "
            f"Re-annotate those lines (line numbers and hashes) before scoring."
        )
    return by_seed, junk_categories


def _original_spans(document: Document, text: str) -> list[tuple[int, int] | None]:
    """Where each line of ``text`` lies in ``document.original`` (None if it cannot be found).

    The cleaner may normalise its input (a BOM, CRLF newlines); then each line is searched for,
    in order, so the line numbers of the annotation still apply.
    """
    spans = line_spans(text)
    if document.original == text:
        return list(spans)
    located: list[tuple[int, int] | None] = []
    cursor = 0
    for start, end in spans:
        line = text[start:end].strip()
        if not line:
            located.append(None)
            continue
        found = document.original.find(line, cursor)
        if found < 0:
            located.append(None)
            continue
        located.append((found, found + len(line)))
        cursor = found + len(line)
    return located


def _classes(document: Document, span: tuple[int, int] | None) -> list[tuple[str, str]]:
    """``(kind, reason)`` of every cleaner line overlapping ``span`` of the original."""
    if span is None:
        return []
    start, end = span
    return [
        (line.kind, line.reason)
        for line in document.lines
        if line.start < end and line.end > start
    ]


def _score_seed(
    seed: Seed, document: Document | None, annotated: list[dict], skip: Skip | None
) -> dict[str, Any]:
    """Everything measured on one seed, as plain values (see :func:`run`).

    ``document`` is None when the cleaner skipped the seed; ``skip`` then says why.
    """
    clean_text = normalize_whitespace(document.text) if document is not None else ""
    strings = []
    for gold in gold_strings(seed):
        strings.append(
            {
                "event": gold.event,
                "field": gold.field,
                "optional": gold.optional,
                "kept": normalize_whitespace(gold.text) in clean_text,
                # The first 40 characters identify the string in the run's output; this output
                # is never committed.
                "start": normalize_whitespace(gold.text)[:40],
            }
        )

    seed_lines = seed.text.split("\n")
    spans = _original_spans(document, seed.text) if document is not None else []
    lines = []
    for row in annotated:
        number = row["line"]
        if document is None:
            classes: list[tuple[str, str]] = []
            removed = True  # nothing of a skipped input reaches the body
        else:
            classes = _classes(document, spans[number])
            if classes:
                removed = all(kind != "body" for kind, _ in classes)
            else:
                # No line class covers it: judge by the clean text itself.
                removed = normalize_whitespace(seed_lines[number]) not in clean_text
        lines.append(
            {
                "line": number,
                "category": row["category"],
                "removed": removed,
                "kinds": sorted({kind for kind, _ in classes}) or ["none"],
                "reasons": sorted({reason for _, reason in classes}),
            }
        )

    details: dict[str, Any] = {"seed": seed.id, "strings": strings, "lines": lines}
    if document is None:
        details["skipped"] = {"reason": skip.reason, "message": skip.message} if skip else {}
        details["published"] = None
    else:
        details["title"] = document.title
        details["published"] = document.published.date
        details["published_source"] = document.published.source
        details["line_kinds"] = dict(sorted(Counter(line.kind for line in document.lines).items()))
    details["gold_published"] = seed.gold.get("published")
    details["gold_published_source"] = seed.gold.get("published_source")
    return details


def run(data_dir: Path, *, settings: Settings, annotations: Path | None = None) -> dict[str, Any]:
    """Clean each ``seed_NNN.txt`` of ``data_dir`` from its text alone and score the result.

    ``annotations`` is the junk-line file (default: :func:`default_annotations`). Metrics:
    ``evidence_kept`` (required gold strings; ``evidence_kept_with_optional``: all of them),
    ``evidence_strings``, ``body_lost``, ``junk_removed``, ``junk_removed_<category>``,
    ``junk_lines``, ``captions_removed``, ``caption_lines``, ``meta_not_body``,
    ``published_accuracy``, ``published_null_correct``, ``documents``, ``skipped``,
    ``seconds``. Details: per seed, the title, dates, line kinds, every annotated line with the
    kinds the cleaner gave it, and the gold strings that were lost.
    """
    # Imported here so that listing benchmarks does not load the cleaner (and trafilatura).
    from ..clean import make_document
    from ..ingest import RawInput

    seeds = read_seeds(data_dir)
    annotations_path = annotations if annotations is not None else default_annotations()
    by_seed, junk_categories = load_annotations(annotations_path, seeds)

    per_seed = []
    seconds = 0.0
    for seed in seeds:
        raw = RawInput(source=str(seed.path), content=seed.text, format="text")
        started = time.perf_counter()
        made = make_document(raw, settings=settings)
        seconds += time.perf_counter() - started
        if isinstance(made, Skip):
            per_seed.append(_score_seed(seed, None, by_seed.get(seed.id, []), made))
        else:
            per_seed.append(_score_seed(seed, made, by_seed.get(seed.id, []), None))

    strings = [s for seed in per_seed for s in seed["strings"]]
    lines = [dict(line, seed=seed["seed"]) for seed in per_seed for line in seed["lines"]]
    junk = [line for line in lines if line["category"] in junk_categories]
    captions = [line for line in lines if line["category"] == CAPTION]
    meta = [line for line in lines if line["category"] == META]
    dated = [s for s in per_seed if s["gold_published_source"] == "text"]
    undated = [s for s in per_seed if s["gold_published"] is None]

    metrics: dict[str, Any] = {
        # Required gold only: an optional event may be read from a caption, and captions
        # must produce no events (seeds README), so the cleaner rightly keeps them out of
        # the body. The share over every string is reported beside it.
        "evidence_kept": share(s["kept"] for s in strings if not s["optional"]),
        "evidence_kept_with_optional": share(s["kept"] for s in strings),
        "evidence_strings": len(strings),
        "body_lost": sum(not s["kept"] for s in strings),
        "junk_removed": share(line["removed"] for line in junk),
    }
    for category in sorted(junk_categories):
        metrics[f"junk_removed_{category}"] = share(
            line["removed"] for line in junk if line["category"] == category
        )
    metrics.update(
        {
            "junk_lines": len(junk),
            "captions_removed": share(line["removed"] for line in captions),
            "caption_lines": len(captions),
            "meta_not_body": share(line["removed"] for line in meta),
            "published_accuracy": share(s["published"] == s["gold_published"] for s in dated),
            "published_null_correct": share(s["published"] is None for s in undated),
            "documents": len(per_seed),
            "skipped": sum("skipped" in s for s in per_seed),
            "seconds": round(seconds, 4),
        }
    )
    details = {
        "seeds": per_seed,
        "body_lost": [
            {"seed": seed["seed"], "event": s["event"], "field": s["field"], "start": s["start"]}
            for seed in per_seed
            for s in seed["strings"]
            if not s["kept"]
        ],
        "junk_kept": [
            {key: line[key] for key in ("seed", "line", "category", "kinds", "reasons")}
            for line in junk
            if not line["removed"]
        ],
        "captions_kept": [
            {key: line[key] for key in ("seed", "line", "kinds", "reasons")}
            for line in captions
            if not line["removed"]
        ],
        "published_wrong": [
            {"seed": s["seed"], "published": s["published"], "gold": s["gold_published"]}
            for s in per_seed
            if (s in dated and s["published"] != s["gold_published"])
            or (s in undated and s["published"] is not None)
        ],
        "annotations": str(annotations_path),
    }
    return result(NAME, metrics, details)


BENCHMARK = Benchmark(
    name=NAME,
    folder="seeds",
    description="Cleaner on the 5 seed articles: gold evidence kept, junk lines dropped, dates.",
    run=run,
)
