"""``seeds-dates``: are the date phrases of the seed gold events found and resolved right?

For every gold event whose ``date.text`` is not null, the phrase is located in the cleaned
article (whitespace-insensitively; the occurrence nearest the event's evidence when there are
several) and the time mention overlapping it most is taken. Two modes, as the seeds README
says:

- **Mode A** (text only): the anchor is the publication date the cleaner read from the text,
  or none. Articles whose gold publication date came from elsewhere (the URL) are left out.
- **Mode B** (with metadata): the anchor is the gold ``published`` date, or none.

Scored per mode:

- ``date_matched``: over gold dates with a ``start`` (the text allows a date), the share whose
  mention resolves to the same start, and the same end too when the gold is a range.
- ``unresolved_correct``: over gold dates without a ``start`` ("Tuesday" in an undated article,
  "recently", "last week"), the share where no concrete date was made up: no start, and no end
  either unless it is the gold's bound ("recently" ends on the publication date).

``phrase_found`` is the share of gold phrases some mention overlaps (Mode B's mentions). The
rules are pure functions (:func:`date_matched`, :func:`unresolved_correct`,
:func:`phrase_span`) so they can be tested without the resolver.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Document
from .base import Benchmark, result, share
from .seeds import Seed, phrase_spans, read_seeds

if TYPE_CHECKING:
    from ..config import Settings
    from ..times import TimeMention

NAME = "seeds-dates"
MODES = ("a", "b")
# Mode A scores only articles whose gold publication date the text itself gives (or none).
_MODE_A_SOURCES = {"text", None}


@dataclass(frozen=True, slots=True)
class GoldDate:
    """One gold event's date phrase: where it is from and what it resolves to."""

    seed: str
    event: int  # index of the event in the gold file
    phrase: str
    start: str | None
    end: str | None
    evidence: tuple[str, ...]
    optional: bool


def gold_dates(seed: Seed) -> list[GoldDate]:
    """The dated gold events of a seed whose date phrase is given (``date.text`` not null)."""
    dates = []
    for index, event in enumerate(seed.gold["events"]):
        date = event.get("date") or {}
        if not date.get("text"):
            continue
        evidence = event.get("evidence")
        evidence = tuple(evidence) if isinstance(evidence, list) else ((evidence,) if evidence else ())
        dates.append(
            GoldDate(seed.id, index, date["text"], date.get("start"), date.get("end"), evidence,
                     bool(event.get("optional")))
        )
    return dates


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans; 0 when they overlap or touch."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def phrase_span(text: str, phrase: str, evidence: Sequence[str] = ()) -> tuple[int, int] | None:
    """Where the gold ``phrase`` is in ``text``: the occurrence nearest any ``evidence`` string
    (inside it, best), else the first; None when the phrase is not in the text."""
    spans = phrase_spans(text, phrase)
    if not spans:
        return None
    anchors = [span for quote in evidence for span in phrase_spans(text, quote)]
    if not anchors:
        return spans[0]
    return min(spans, key=lambda span: (min(_distance(span, anchor) for anchor in anchors), span))


def overlapping_mention(mentions: Sequence[TimeMention], span: tuple[int, int]) -> TimeMention | None:
    """The mention overlapping ``span`` most (a resolved one first on a tie), or None."""
    best, best_key = None, None
    for mention in mentions:
        overlap = min(mention.end, span[1]) - max(mention.start, span[0])
        if overlap <= 0:
            continue
        key = (overlap, mention.value is not None, -mention.start)
        if best_key is None or key > best_key:
            best, best_key = mention, key
    return best


def date_matched(gold_start: str, gold_end: str | None, start: str | None, end: str | None) -> bool:
    """A gold date with a start is matched by the same start, and the same end when the gold
    is a range (its end given and different from its start)."""
    if start != gold_start:
        return False
    if gold_end is None or gold_end == gold_start:
        return True
    return end == gold_end


def unresolved_correct(gold_end: str | None, start: str | None, end: str | None) -> bool:
    """A gold date without a start is right when we made no date up: no start, and no end
    unless it is the gold's own bound (``recently`` -> end = the publication date)."""
    return start is None and (end is None or end == gold_end)


def _anchor(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _mention_fields(mention: TimeMention | None) -> dict[str, Any]:
    value = mention.value if mention is not None else None
    return {
        "mention": mention.text if mention is not None else None,
        "value": value.value if value else None,
        "start": value.start if value else None,
        "end": value.end if value else None,
    }


def run(data_dir: Path, *, settings: Settings) -> dict[str, Any]:
    from ..clean import make_document
    from ..ingest import RawInput
    from ..nlp import load_pipeline
    from ..times import find_time_mentions

    nlp = load_pipeline(settings.nlp)
    flags: dict[str, dict[str, list[bool]]] = {
        mode: {"dated": [], "dated_start": [], "unresolved": [], "found": []} for mode in MODES
    }
    misses, per_seed = [], []
    seconds = 0.0
    for seed in read_seeds(data_dir):
        golds = gold_dates(seed)
        if not golds:
            continue
        document = make_document(RawInput(source=str(seed.path), content=seed.text), settings=settings)
        text = document.text if isinstance(document, Document) else ""
        published = document.published.date if isinstance(document, Document) else None
        anchors = {"a": _anchor(published), "b": _anchor(seed.gold.get("published"))}
        modes = [m for m in MODES if m != "a" or seed.gold.get("published_source") in _MODE_A_SOURCES]
        mentions_by_anchor: dict[datetime.date | None, list[TimeMention]] = {}
        for mode in modes:
            if text and anchors[mode] not in mentions_by_anchor:
                started = time.perf_counter()
                mentions_by_anchor[anchors[mode]] = find_time_mentions(text, anchor=anchors[mode], nlp=nlp)
                seconds += time.perf_counter() - started

        for gold in golds:
            span = phrase_span(text, gold.phrase, gold.evidence) if text else None
            for mode in modes:
                mentions = mentions_by_anchor.get(anchors[mode], [])
                mention = overlapping_mention(mentions, span) if span is not None else None
                value = mention.value if mention is not None else None
                start = value.start if value else None
                end = value.end if value else None
                flags[mode]["found"].append(mention is not None)
                if gold.start is not None:
                    ok = date_matched(gold.start, gold.end, start, end)
                    flags[mode]["dated"].append(ok)
                    # Reported apart: a gold range often spans more than its phrase says.
                    flags[mode]["dated_start"].append(start == gold.start)
                else:
                    ok = unresolved_correct(gold.end, start, end)
                    flags[mode]["unresolved"].append(ok)
                if not ok:
                    if span is None:
                        reason = "phrase not in the cleaned text"
                    elif mention is None:
                        reason = "no mention overlaps the phrase"
                    elif gold.start is None:
                        reason = "a date where the gold has none"
                    else:
                        reason = "wrong date"
                    misses.append(
                        {"mode": mode.upper(), "seed": gold.seed, "event": gold.event, "optional": gold.optional,
                         "phrase": gold.phrase, "gold_start": gold.start, "gold_end": gold.end,
                         "anchor": anchors[mode].isoformat() if anchors[mode] else None,
                         **_mention_fields(mention), "reason": reason}
                    )
        per_seed.append(
            {"seed": seed.id, "gold_dates": len(golds), "published_read": published,
             "published_gold": seed.gold.get("published"), "modes": [m.upper() for m in modes],
             "mentions": {m.upper(): len(mentions_by_anchor.get(anchors[m], [])) for m in modes}}
        )

    metrics = {
        "mode_a_date_matched": share(flags["a"]["dated"]),
        "mode_b_date_matched": share(flags["b"]["dated"]),
        "mode_a_unresolved_correct": share(flags["a"]["unresolved"]),
        "mode_b_unresolved_correct": share(flags["b"]["unresolved"]),
        "phrase_found": share(flags["b"]["found"]),
        "gold_dates": len(flags["b"]["dated"]),
        "gold_unresolved": len(flags["b"]["unresolved"]),
        "seconds": round(seconds, 4),
    }
    counts = {
        f"mode_{mode}": {
            "dated": len(flags[mode]["dated"]), "dated_matched": sum(flags[mode]["dated"]),
            "dated_start_matched": sum(flags[mode]["dated_start"]),
            "unresolved": len(flags[mode]["unresolved"]), "unresolved_correct": sum(flags[mode]["unresolved"]),
            "phrases": len(flags[mode]["found"]), "phrases_found": sum(flags[mode]["found"]),
        }
        for mode in MODES
    }
    return result(NAME, metrics, {"counts": counts, "seeds": per_seed, "misses": misses})


BENCHMARK = Benchmark(
    name=NAME,
    folder="seeds",
    description="Date phrases of the seed gold events: found, resolved to the gold day or range, none made up (modes A and B).",
    run=run,
)
