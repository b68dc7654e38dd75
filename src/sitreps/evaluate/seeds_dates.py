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

``phrase_found`` is the share of gold phrases some mention overlaps (Mode B's mentions).

The phrase alone cannot give every gold range: "On 4 May" is coded 4–5 May because the attack
ran into "the next day", and "the recent battles" spans the offensive. So the dates are also
scored **per event**, as the pipeline dates them (docs/TIME.md, "Event date"): the extracted
events are matched to the gold events as ``seeds-events`` does (the README's recipe), and

- ``event_date_matched``: over all dated gold events (a ``start``), the share whose matched
  event has the gold start, and the gold end when the gold is a range; a gold event the
  matching leaves out is scored on the extracted event its evidence went into (one told as
  part of another), and one that went into none counts as a miss;
- ``event_date_matched_required``: the same over the gold events not marked optional;
- ``event_unresolved_correct``: over gold events with a phrase but no ``start``, the share
  whose matched event made no date up (unmatched ones are left out);
- ``event_dated_unmatched``: dated gold events in no extracted event.

The rules are pure functions (:func:`date_matched`, :func:`unresolved_correct`,
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


def _event_dates(extractor: Any, seed: Seed, anchor: datetime.date | None) -> dict[int, tuple[str | None, str | None]]:
    """Gold event index -> (start, end) of the extracted event matched to it (the seeds
    README's matching, as ``seeds-events`` does it)."""
    from .seeds_events import match_events, predicted_view

    document, events = extractor.events_of_text(seed.text, published=anchor.isoformat() if anchor else None, source=str(seed.path))
    golds = seed.gold["events"]
    matching = match_events(golds, [predicted_view(event, index) for index, event in enumerate(events)])
    chosen = {gold: predicted for gold, predicted, _ in matching.pairs}
    text = document.text if isinstance(document, Document) else ""
    for index, gold in enumerate(golds):
        if index in chosen or not text:
            continue
        # Not matched one to one: the extracted event its evidence was folded into, if any
        # ("... with rockets and mortar bombs" told as part of the attack it accompanied).
        quotes = gold.get("evidence")
        quotes = quotes if isinstance(quotes, list) else [quotes] if quotes else []
        spans = [span for quote in quotes for span in phrase_spans(text, quote)]
        holders = [
            number for number, event in enumerate(events)
            if any(e.start < end and start < e.end for e in event.evidence for start, end in spans)
        ]
        if holders:
            chosen[index] = holders[0]
    dates = {}
    for gold, predicted in chosen.items():
        date = events[predicted].date
        dates[gold] = (date.start, date.end) if date is not None else (None, None)
    return dates


def run(data_dir: Path, *, settings: Settings) -> dict[str, Any]:
    from ..clean import make_document
    from ..extract import Extractor
    from ..ingest import RawInput
    from ..nlp import load_pipeline
    from ..times import find_time_mentions

    nlp = load_pipeline(settings.nlp)  # cached: the extractor's pipeline too
    extractor = Extractor(settings)
    flags: dict[str, dict[str, list[bool]]] = {
        mode: {"dated": [], "dated_start": [], "unresolved": [], "found": [], "event_dated": [], "event_dated_required": [], "event_unresolved": []}
        for mode in MODES
    }
    event_misses: list[dict[str, Any]] = []
    unmatched = {mode: 0 for mode in MODES}
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
        for mode in modes:
            dates = _event_dates(extractor, seed, anchors[mode])
            for gold in golds:
                date = dates.get(gold.event)
                if date is None:
                    unmatched[mode] += gold.start is not None
                    if gold.start is not None:
                        flags[mode]["event_dated"].append(False)
                        if not gold.optional:
                            flags[mode]["event_dated_required"].append(False)
                        event_misses.append({"mode": mode.upper(), "seed": gold.seed, "event": gold.event, "optional": gold.optional,
                                             "phrase": gold.phrase, "reason": "no extracted event matches it"})
                    continue
                start, end = date
                if gold.start is not None:
                    ok = date_matched(gold.start, gold.end, start, end)
                    flags[mode]["event_dated"].append(ok)
                    if not gold.optional:
                        flags[mode]["event_dated_required"].append(ok)
                else:
                    ok = unresolved_correct(gold.end, start, end)
                    flags[mode]["event_unresolved"].append(ok)
                if not ok:
                    event_misses.append({"mode": mode.upper(), "seed": gold.seed, "event": gold.event, "optional": gold.optional,
                                         "phrase": gold.phrase, "gold_start": gold.start, "gold_end": gold.end,
                                         "start": start, "end": end, "reason": "wrong date"})
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
        "mode_a_event_date_matched": share(flags["a"]["event_dated"]),
        "mode_b_event_date_matched": share(flags["b"]["event_dated"]),
        "mode_a_event_date_matched_required": share(flags["a"]["event_dated_required"]),
        "mode_b_event_date_matched_required": share(flags["b"]["event_dated_required"]),
        "mode_a_event_unresolved_correct": share(flags["a"]["event_unresolved"]),
        "mode_b_event_unresolved_correct": share(flags["b"]["event_unresolved"]),
        "event_dated_unmatched": unmatched["b"],
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
            "event_dated": len(flags[mode]["event_dated"]), "event_dated_matched": sum(flags[mode]["event_dated"]),
            "event_dated_unmatched": unmatched[mode],
            "event_dated_required": len(flags[mode]["event_dated_required"]),
            "event_dated_required_matched": sum(flags[mode]["event_dated_required"]),
        }
        for mode in MODES
    }
    return result(NAME, metrics, {"counts": counts, "seeds": per_seed, "misses": misses, "event_misses": event_misses})


BENCHMARK = Benchmark(
    name=NAME,
    folder="seeds",
    description="Date phrases of the seed gold events: found, resolved to the gold day or range, none made up (modes A and B).",
    run=run,
)
