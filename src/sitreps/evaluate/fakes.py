"""``fakes``: casualty counts, place, perpetrator, cause and date of FA-KES events (dev split).

The recipe of the FA-KES README ("How to score"). Each article's ``text`` alone goes to
:class:`sitreps.extract.Extractor` (the dateline at its start carries the publication date;
``published_read`` says how often our cleaner reads it). Each predicted event is read in
FA-KES's terms (:class:`Guess`):

- **governorate**: the place's admin1 (a GeoNames or curated name, or a code such as
  ``SY.08``) through ``GOVERNORATES`` (Rif Dimashq -> ``damascus``, as FA-KES codes it);
  the place's own name when it has no admin1 (a governorate seat: "Aleppo", "Homs").
- **counts** from the fatality claims (:func:`casualty_counts`): per side, the largest
  figure (figures of one side from several claimants are readings of one toll, not parts
  of it); ``subset`` claims left out. ``civilians``: the civilians' figure, else the figure
  with no side stated ("six people killed": FA-KES counts those as civilians), else a
  cross-side total less the armed sides. ``noncivilians``: the sum over armed sides, else a
  total less the civilians. ``children`` / ``women``: the largest figure, subsets included,
  whose words name children (child, kids, boys, girls, infants, ...) or women.
- **actor**: the first initiator with a FA-KES category (``fakes_actors.CATEGORIES`` by
  knowledge-base id, else ``ACTOR_WORDS`` on its name), ``unknown`` when none.
- **cause**: from the subtype (``CAUSES``).

**Alignment** (per article): each annotation, in order, takes at most one unused predicted
event in its governorate whose dates, when both are known, are within a day of its date;
among those, the one with the closest civilian-plus-non-civilian total. Field scores read
the aligned event, or, for an unaligned annotation, the article's event with the closest
total (the one a reader would take for the report's), so that place and date are not
right by construction.

**Metrics**: ``aligned``; per category ``<category>_exact`` and ``<category>_mae`` over
annotations with a count > 0 (an unaligned one counts as 0 predicted),
``<category>_exact_aligned`` over the aligned ones, ``<category>_over_extraction`` (non-zero
where FA-KES has 0; 0 also means "not reported" there, so indicative only);
``crowd_span_overlap`` (our claim span overlaps the crowd's span for that figure);
``governorate_accuracy``, ``actor_accuracy``, ``cause_accuracy``, ``date_exact``,
``date_within_1``; the same split by article label (``credible_*``, ``fake_*``);
``crowd_agreement`` (crowd civilian spans starting with digits that equal the count) and
``baseline_*``: a naive reader scored by the same code, whose one event per article has the
largest number within a few words of "killed" / "dead" / "died" as its civilian count, the
first governorate named in the text as its place and the dateline's date as its date.
The 3 crowd-only records (no FA-KES row, every normalised field null) are left out.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Claim, Document, Event, Location
from .base import Benchmark, read_jsonl, result
from .fakes_actors import COALITION, GOVERNMENT, ISIS, NUSRA, OPPOSITION, SELF_ADMINISTRATION, UNKNOWN, category
from .seeds import phrase_spans
from .seeds_events import normalize

if TYPE_CHECKING:
    from ..config import Settings

NAME = "fakes"
CATEGORIES = ("civilians", "noncivilians", "children", "women")

# FA-KES governorates -> the names and GeoNames codes of the admin1 area (or the place) they
# stand for. FA-KES codes Damascus countryside (Rif Dimashq: Douma, Eastern Ghouta) as
# damascus; it has no Suwayda, which is kept so that it is not taken for another.
GOVERNORATES = {
    "aleppo": ("Aleppo", "Halab", "Ḩalab", "Aleppo Governorate", "SY.09"),
    "damascus": ("Damascus", "Dimashq", "Damascus City", "Damascus Governorate", "SY.13",
                 "Rif Dimashq", "Rīf Dimashq", "Rif-dimashq", "Damascus Countryside", "Rural Damascus", "SY.08"),
    "idlib": ("Idlib", "Idleb", "Edlib", "Idlib Governorate", "SY.12"),
    "deir ezzor": ("Deir ez-Zor", "Deir Ezzor", "Deir el-Zour", "Deir al-Zour", "Deir al-Zor", "Deir Zor",
                   "Dayr az Zawr", "Deir ez-Zor Governorate", "SY.07"),
    "raqqa": ("Raqqa", "Raqqah", "Ar Raqqah", "Raqa", "Rakka", "Raqqa Governorate", "SY.04"),
    "homs": ("Homs", "Hims", "Ḩimş", "Homs Governorate", "SY.11"),
    "hasakeh": ("Hasakeh", "Hasakah", "Al Hasakah", "Al-Hasakah", "Hasaka", "Hassakeh", "Hassakah",
                "Al-Hasakah Governorate", "SY.01"),
    "hama": ("Hama", "Hamah", "Ḩamāh", "Hama Governorate", "SY.10"),
    "daraa": ("Daraa", "Dar'a", "Dar'ā", "Deraa", "Daraa Governorate", "SY.06"),
    "lattakia": ("Lattakia", "Latakia", "Al Ladhiqiyah", "Al Lādhiqīyah", "Latakia Governorate", "SY.02"),
    "quneitra": ("Quneitra", "Qunaitra", "Al Qunaytirah", "Al Qunayţirah", "Quneitra Governorate", "SY.03"),
    "tartous": ("Tartous", "Tartus", "Ţarţūs", "Tartus Governorate", "SY.14"),
    "suwayda": ("Suwayda", "Sweida", "As Suwayda", "As Suwaydā'", "Suwayda Governorate", "SY.05"),
}
# Our subtypes -> FA-KES causes of death.
CAUSES = {
    "air_drone_strike": "shelling",
    "shelling_artillery_missile_attack": "shelling",
    "remote_explosive_landmine_ied": "explosion",
    "suicide_bomb": "explosion",
    "grenade": "explosion",
    "chemical_weapon": "chemical and toxic gases",
    "armed_clash": "shooting",
    "attack": "shooting",
    "government_regains_territory": "shooting",
    "non_state_actor_overtakes_territory": "shooting",
    "targeted_killing": "execution",
    "execution": "execution",
}
# Actor names without a knowledge-base id -> FA-KES categories, by the words they contain.
ACTOR_WORDS = (
    (re.compile(r"\b(?:nusra|tahrir al sham|fateh? al sham)\b"), NUSRA),
    (re.compile(r"\b(?:islamic state|isis|isil|daesh)\b"), ISIS),
    (re.compile(r"\bcoalition\b|\bunited states\b|\bus led\b"), COALITION),
    (re.compile(r"\b(?:syrian democratic|sdf|ypg|kurdish)\b"), SELF_ADMINISTRATION),
    (re.compile(r"\b(?:rebels?|opposition|free syrian|insurgents?)\b"), OPPOSITION),
    (re.compile(r"\b(?:regime|government|syria|russia)\b"), GOVERNMENT),
)
_CHILDREN = re.compile(r"\b(?:child|children|kids?|boys?|girls?|infants?|bab(?:y|ies)|minors?|toddlers?|schoolchildren|newborns?)\b", re.IGNORECASE)
_WOMEN = re.compile(r"\b(?:woman|women|mothers?|wives|wife)\b", re.IGNORECASE)
_NON_ACTOR_SIDES = {"civilians", "mixed", "unknown"}
_EXTRA_PARTICLES = {"ar", "as", "ad", "ash", "an", "at", "governorate", "province"}


def _key(name: str | None) -> str:
    return " ".join(word for word in normalize(name).split() if word not in _EXTRA_PARTICLES)


_GOVERNORATE_INDEX = {_key(name): governorate for governorate, names in GOVERNORATES.items() for name in names}


def governorate_of_name(name: str | None) -> str | None:
    """The FA-KES governorate a name or code stands for ("Rīf Dimashq", "SY.08", "Homs")."""
    return _GOVERNORATE_INDEX.get(_key(name)) if name else None


def governorate(location: Location | None) -> str | None:
    """The governorate of a predicted place: its admin1 (a name, ``SY.08`` or ``08``), else
    the place's own name or mention when it is a governorate (or its seat). None outside
    Syria or when unknown."""
    if location is None or location.country not in (None, "SY"):
        return None
    admin1 = (location.admin1 or "").strip()
    if re.fullmatch(r"\d\d", admin1):
        admin1 = f"SY.{admin1}"
    found = governorate_of_name(admin1) if admin1 else None
    if found:
        return found
    for name in (location.name, location.mention):
        found = governorate_of_name(name)
        if found:
            return found
    return None


def cause_of_death(subtype: str | None) -> str:
    return CAUSES.get(subtype or "", UNKNOWN)


def actor_category(event: Event) -> str:
    """The FA-KES category of the event's first initiator that has one; ``unknown`` when none."""
    for actor in event.actors:
        if actor.role != "initiator":
            continue
        found = category(actor.id)
        if found is None:
            name = normalize(actor.name)
            found = next((label for pattern, label in ACTOR_WORDS if pattern.search(name)), None)
        if found is not None:
            return found
    return UNKNOWN


def casualty_counts(claims: Sequence[Claim]) -> tuple[dict[str, int], dict[str, tuple[tuple[int, int], ...]]]:
    """Killed per FA-KES category from an event's fatality claims, and the spans of the
    claims each count was read from (see the module's description for the rules)."""
    by_side: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.scope != "subset":
            by_side.setdefault(claim.side, []).append(claim)
    figure = {side: max(claim.low for claim in found) for side, found in by_side.items()}
    armed = [side for side in figure if side not in _NON_ACTOR_SIDES]
    armed_sum = sum(figure[side] for side in armed)
    spans: dict[str, list[tuple[int, int]]] = {name: [] for name in CATEGORIES}

    def used(category_name: str, sides: Iterable[str]) -> None:
        for side in sides:
            spans[category_name] += [claim.span for claim in by_side.get(side, ())]

    if "civilians" in figure:
        civilians = figure["civilians"]
        used("civilians", ["civilians"])
    elif "unknown" in figure:
        civilians = figure["unknown"]
        used("civilians", ["unknown"])
    elif "mixed" in figure:
        civilians = max(figure["mixed"] - armed_sum, 0)
        used("civilians", ["mixed"])
    else:
        civilians = 0
    if armed:
        noncivilians = armed_sum
        used("noncivilians", armed)
    elif "mixed" in figure and "civilians" in figure:
        noncivilians = max(figure["mixed"] - figure["civilians"], 0)
        used("noncivilians", ["mixed"])
    else:
        noncivilians = 0
    counts = {"civilians": civilians, "noncivilians": noncivilians, "children": 0, "women": 0}
    for name, pattern in (("children", _CHILDREN), ("women", _WOMEN)):
        found = [claim for claim in claims if pattern.search(claim.text or "")]
        if found:
            counts[name] = max(claim.low for claim in found)
            spans[name] = [claim.span for claim in found]
    return counts, {name: tuple(value) for name, value in spans.items()}


@dataclass(frozen=True, slots=True)
class Guess:
    """One predicted event in FA-KES's terms."""

    governorate: str | None
    start: datetime.date | None
    end: datetime.date | None
    counts: Mapping[str, int]
    spans: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    actor: str = UNKNOWN
    cause: str = UNKNOWN

    @property
    def total(self) -> int:
        return self.counts.get("civilians", 0) + self.counts.get("noncivilians", 0)


def _date(value: str | None) -> datetime.date | None:
    """An ISO date value as a date (the cleaner's reading, imported when first needed so that
    importing this module does not load the cleaner)."""
    from ..clean.dates import parse_iso_date

    return parse_iso_date(value)


def guess_of_event(event: Event) -> Guess:
    counts, spans = casualty_counts(event.fatalities)
    start = _date(event.date.start) if event.date else None
    end = (_date(event.date.end) if event.date else None) or start
    return Guess(
        governorate=governorate(event.location), start=start, end=end, counts=counts, spans=spans,
        actor=actor_category(event), cause=cause_of_death(event.subtype),
    )


# --- the naive baseline --------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATELINE_PATTERNS = (
    (re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE), ("day", "month", "year")),
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s*(\d{{4}})(?!\d)", re.IGNORECASE), ("month", "day", "year")),
    (re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?!\d)"), ("day", "month", "year")),
)
# How far into the text a dateline is looked for.
_DATELINE_REACH = 100
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|\d[\d,]*")
_KILL = re.compile(r"^(?:kill\w*|dead|died|dies|death|deaths)$", re.IGNORECASE)
# "A few words": a number this many tokens or fewer from a kill word counts.
_NEAR = 4


def read_dateline(text: str) -> datetime.date | None:
    """The first date written near the start of ``text`` ("Sun 16 Apr 2017",
    "Posted on April 19 2017", "16-04-2017", day first): the baseline's publication date."""
    head = text[:_DATELINE_REACH]
    found: list[tuple[int, datetime.date]] = []
    for pattern, order in _DATELINE_PATTERNS:
        match = pattern.search(head)
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = _MONTHS.get(parts["month"].lower()) if not parts["month"].isdigit() else int(parts["month"])
        day = int(parts["day"])
        if month and month > 12 and day <= 12:
            month, day = day, month
        try:
            found.append((match.start(), datetime.date(int(parts["year"]), month or 0, day)))
        except ValueError:
            continue
    return min(found)[1] if found else None


def _number(token: str) -> int | None:
    if token[0].isdigit():
        return int(token.replace(",", ""))
    parts = token.lower().split("-")
    if all(part in _NUMBER_WORDS for part in parts) and not (len(parts) == 1 and parts[0] in ("a", "an")):
        return sum(_NUMBER_WORDS[part] for part in parts)
    return None


def baseline_count(text: str) -> tuple[int, tuple[int, int] | None]:
    """The largest number within a few words of killed / dead / died / death(s), and its
    span. Years (1900-2099) and day numbers beside a month name are not counts."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    kills = [i for i, (token, _, _) in enumerate(tokens) if _KILL.match(token)]
    best, best_span = 0, None
    for i, (token, start, end) in enumerate(tokens):
        value = _number(token)
        if value is None or (token[0].isdigit() and 1900 <= value <= 2099 and len(token) == 4):
            continue
        beside = [tokens[j][0].lower() for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
        if token[0].isdigit() and any(word in _MONTHS for word in beside):
            continue
        if any(abs(i - k) <= _NEAR for k in kills) and value > best:
            best, best_span = value, (start, end)
    return best, best_span


_GOVERNORATE_MENTION = re.compile(
    r"\b(" + "|".join(
        sorted({re.escape(name) for names in GOVERNORATES.values() for name in names if not name.startswith("SY.")},
               key=len, reverse=True)
    ) + r")\b",
    re.IGNORECASE,
)


def baseline_guess(text: str) -> Guess:
    """The naive reader's one event: the largest number near a kill word as civilians, the
    first governorate named as the place, the dateline as the date."""
    count, span = baseline_count(text)
    match = _GOVERNORATE_MENTION.search(text)
    date = read_dateline(text)
    return Guess(
        governorate=governorate_of_name(match.group(1)) if match else None,
        start=date, end=date,
        counts={"civilians": count, "noncivilians": 0, "children": 0, "women": 0},
        spans={"civilians": (span,) if span else ()},
    )


# --- alignment and scoring -------------------------------------------------------------------


def _date_ok(annotation: Mapping[str, Any], guess: Guess) -> bool:
    date = _date(annotation.get("date"))
    if date is None or guess.start is None:
        return True
    one = datetime.timedelta(days=1)
    return guess.start - one <= date <= (guess.end or guess.start) + one


def _gold_total(annotation: Mapping[str, Any]) -> int:
    return (annotation.get("civilians") or 0) + (annotation.get("noncivilians") or 0)


def align(annotations: Sequence[Mapping[str, Any]], guesses: Sequence[Guess]) -> list[int | None]:
    """For each annotation, the index of its aligned guess or None (one-to-one, in order)."""
    used: set[int] = set()
    aligned: list[int | None] = []
    for annotation in annotations:
        gold_place = annotation.get("location")
        candidates = [
            i for i, guess in enumerate(guesses)
            if i not in used and (gold_place is None or guess.governorate == gold_place) and _date_ok(annotation, guess)
        ]
        if not candidates:
            aligned.append(None)
            continue
        total = _gold_total(annotation)
        chosen = min(candidates, key=lambda i: (abs(guesses[i].total - total), i))
        used.add(chosen)
        aligned.append(chosen)
    return aligned


def _closest(annotation: Mapping[str, Any], guesses: Sequence[Guess]) -> int | None:
    if not guesses:
        return None
    total = _gold_total(annotation)
    return min(range(len(guesses)), key=lambda i: (abs(guesses[i].total - total), i))


def _overlaps(spans: Iterable[tuple[int, int]], others: Iterable[tuple[int, int]]) -> bool:
    others = list(others)
    return any(min(a[1], b[1]) > max(a[0], b[0]) for a in spans for b in others)


@dataclass(frozen=True, slots=True)
class Article:
    """One article to score: its record, its annotations, the guesses and the text the
    guesses' spans point into."""

    record: Mapping[str, Any]
    annotations: Sequence[Mapping[str, Any]]
    guesses: Sequence[Guess]
    text: str = ""


def score_annotations(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """One row per annotation: what was aligned and predicted, and each check."""
    rows = []
    for article in articles:
        aligned = align(article.annotations, article.guesses)
        for annotation, index in zip(article.annotations, aligned):
            scored = index if index is not None else _closest(annotation, article.guesses)
            guess = article.guesses[scored] if scored is not None else None
            aligned_guess = article.guesses[index] if index is not None else None
            predicted = {name: (aligned_guess.counts.get(name, 0) if aligned_guess else 0) for name in CATEGORIES}
            crowd = annotation.get("crowd") or {}
            overlap = {}
            if aligned_guess is not None and article.text:
                for name in CATEGORIES:
                    if crowd.get(name):
                        found = phrase_spans(article.text, crowd[name])
                        if found:
                            overlap[name] = _overlaps(aligned_guess.spans.get(name, ()), found)
            date = _date(annotation.get("date"))
            rows.append({
                "id": annotation.get("id"),
                "article": article.record.get("id"),
                "label": annotation.get("label"),
                "aligned": index is not None,
                "gold": {name: annotation.get(name) for name in (*CATEGORIES, "location", "actor", "cause_of_death", "date")},
                "predicted": {
                    **predicted,
                    "governorate": guess.governorate if guess else None,
                    "actor": guess.actor if guess else UNKNOWN,
                    "cause": guess.cause if guess else UNKNOWN,
                    "start": guess.start.isoformat() if guess and guess.start else None,
                },
                "crowd_overlap": overlap,
                "governorate_ok": None if annotation.get("location") is None else (guess is not None and guess.governorate == annotation["location"]),
                "actor_ok": None if annotation.get("actor") is None else (guess.actor if guess else UNKNOWN) == annotation["actor"],
                "cause_ok": None if annotation.get("cause_of_death") is None else (guess.cause if guess else UNKNOWN) == annotation["cause_of_death"],
                "date_exact": None if date is None else (guess is not None and guess.start == date),
                "date_within_1": None if date is None else (guess is not None and guess.start is not None and _date_ok(annotation, guess)),
                "guesses": len(article.guesses),
            })
    return rows


def _share(flags: Iterable[bool | None]) -> float | None:
    known = [flag for flag in flags if flag is not None]
    return sum(known) / len(known) if known else None


def summarise(rows: Sequence[Mapping[str, Any]]) -> dict[str, float | int | None]:
    """The metrics over per-annotation rows (from :func:`score_annotations`)."""
    metrics: dict[str, float | int | None] = {"annotations": len(rows), "aligned": _share(row["aligned"] for row in rows)}
    for name in CATEGORIES:
        positive = [row for row in rows if (row["gold"][name] or 0) > 0]
        errors = [abs(row["predicted"][name] - row["gold"][name]) for row in positive]
        metrics[f"{name}_exact"] = _share(error == 0 for error in errors)
        metrics[f"{name}_mae"] = sum(errors) / len(errors) if errors else None
        metrics[f"{name}_exact_aligned"] = _share(row["predicted"][name] == row["gold"][name] for row in positive if row["aligned"])
        metrics[f"{name}_over_extraction"] = _share(
            row["predicted"][name] > 0 for row in rows if row["aligned"] and row["gold"][name] == 0
        )
    metrics["crowd_span_overlap"] = _share(ok for row in rows for ok in row["crowd_overlap"].values())
    metrics["governorate_accuracy"] = _share(row["governorate_ok"] for row in rows)
    metrics["actor_accuracy"] = _share(row["actor_ok"] for row in rows)
    metrics["cause_accuracy"] = _share(row["cause_ok"] for row in rows)
    metrics["date_exact"] = _share(row["date_exact"] for row in rows)
    metrics["date_within_1"] = _share(row["date_within_1"] for row in rows)
    return metrics


_BY_LABEL = ("aligned", "civilians_exact", "noncivilians_exact", "governorate_accuracy", "actor_accuracy", "cause_accuracy", "date_exact")
_BASELINE = ("aligned", "civilians_exact", "civilians_mae", "civilians_exact_aligned", "civilians_over_extraction",
             "governorate_accuracy", "date_exact", "date_within_1")


def crowd_agreement(annotations: Iterable[Mapping[str, Any]]) -> float | None:
    """Over crowd civilian spans that start with digits, the share equal to the count."""
    flags = []
    for annotation in annotations:
        span = (annotation.get("crowd") or {}).get("civilians")
        match = re.match(r"\s*(\d[\d,]*)", span or "")
        if match and annotation.get("civilians") is not None:
            flags.append(int(match.group(1).replace(",", "")) == annotation["civilians"])
    return _share(flags)


def metrics_of(rows: Sequence[Mapping[str, Any]], baseline_rows: Sequence[Mapping[str, Any]]) -> dict[str, float | int | None]:
    """Every reported metric: ours, split by label, and the baseline's."""
    metrics = summarise(rows)
    for label, prefix in ((1, "credible_"), (0, "fake_")):
        split = summarise([row for row in rows if row["label"] == label])
        metrics.update({f"{prefix}{key}": split[key] for key in _BY_LABEL})
    baseline = summarise(baseline_rows)
    metrics.update({f"baseline_{key}": baseline[key] for key in _BASELINE})
    return metrics


def run(data_dir: Path, *, settings: Settings) -> dict[str, Any]:
    from ..extract import Extractor

    extractor = Extractor(settings)
    articles = list(read_jsonl(data_dir / "articles.dev.jsonl", what="FA-KES articles"))
    annotations: dict[str, list[dict]] = {}
    crowd_only = 0
    for annotation in read_jsonl(data_dir / "annotations.dev.jsonl", what="FA-KES annotations"):
        if annotation.get("unit_id") is None:  # a crowd answer with no FA-KES row: nothing to score
            crowd_only += 1
            continue
        annotations.setdefault(annotation["article_id"], []).append(annotation)
    ours, naive = [], []
    published = skipped = events_total = 0
    seconds = 0.0
    for record in articles:
        found = annotations.get(record["id"], [])
        started = time.perf_counter()
        document, events = extractor.events_of_text(record["text"], source=f"fakes:{record['id']}")
        seconds += time.perf_counter() - started
        # The extractor returns None for a skipped input (a Skip is accepted as well).
        if not isinstance(document, Document):
            document = None
            skipped += 1
        elif document.published.date:
            published += 1
        events_total += len(events)
        text = document.text if document is not None else ""
        ours.append(Article(record, found, [guess_of_event(event) for event in events], text))
        naive.append(Article(record, found, [baseline_guess(record["text"])], record["text"]))
    rows = score_annotations(ours)
    baseline_rows = score_annotations(naive)
    metrics = metrics_of(rows, baseline_rows)
    metrics.update({
        "crowd_agreement": crowd_agreement(a for found in annotations.values() for a in found),
        "published_read": published / len(articles) if articles else None,
        "articles": len(articles),
        "predicted_events": events_total,
        "skipped": skipped,
        "crowd_only_left_out": crowd_only,
        "seconds": round(seconds, 3),
    })
    misses = [row for row in rows if not row["aligned"] or any(
        (row["gold"][name] or 0) != row["predicted"][name] for name in ("civilians", "noncivilians"))]
    return result(NAME, metrics, {"annotations": rows, "misses": misses, "baseline": baseline_rows})


BENCHMARK = Benchmark(
    name=NAME,
    folder="fakes",
    description="FA-KES dev: casualty counts, governorate, perpetrator, cause and date of aligned events, beside a naive baseline.",
    run=run,
)
