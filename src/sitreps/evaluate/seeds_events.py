"""``seeds-events``: events, their fields, figures and claimants against the seed gold.

The scoring recipe of the seeds README ("How to score", sections 1-4), over the events that
:class:`sitreps.extract.Extractor` returns for each seed article, in two modes:

- **Mode A** (text only): metrics without a prefix. Date fields are scored only on articles
  whose gold publication date the text itself gives, or that have none
  (``published_source`` ``"text"`` or null).
- **Mode B** (the gold ``published`` date given to the extractor when not null): the same
  metrics prefixed ``mode_b_``.

1. **Event matching**, per article. A gold event and a prediction are *compatible* when the
   type agrees (``alt_types`` accepted), the place names agree (normalised; equal, or one
   contains the other as whole words; ``alt_names`` accepted; a gold place of null accepts
   a prediction in the gold country or with no place at all), the predicted country (when
   given) is the gold's or one of ``country_alt``, and the dates, when both are known,
   overlap the gold window widened by a day (3 for aggregate events). Compatible pairs weigh
   2 x place-name match + subtype match + actor Jaccard + exact start, and the
   maximum-weight one-to-one assignment (:func:`max_weight_assignment`, exact) matches them.
   Matched optional or aggregate gold events are neutral; unmatched required gold events are
   false negatives, unmatched predictions false positives. ``event_f1_macro`` is the mean F1
   over event types (the README's "event-type macro F1"); ``event_f1_relaxed`` matches
   without the type criterion, and ``type_accuracy`` is measured over those relaxed pairs
   (over strict pairs it would be 1 by construction).
2. **Field scores** over matched pairs: subtype, actors (micro P/R/F1 of the sets, after
   mapping our names to the gold's and ``actor_alternatives``), roles, place name and
   country, dates (exact start, exact end, window, made-up dates where the gold has none).
3. **Figures** of matched events, aligned greedily per kind: same number and claimant, then
   same number and side, then same side and claimant. Gold ``subset`` and ``optional``
   figures are neutral, and so are our own ``subset`` claims left unaligned. Figure P/R/F1,
   exact match, number, qualifier, within-range, side, claimant and claimant type accuracy.
   ``figure_*_overall`` also count the figures of unmatched events. ``contested_recall``:
   over the disputes of the gold (figures of one event, kind and side from different
   claimants that disagree: Nasrallah's 13 against "up to 120", 17 against "at least 17"),
   the share whose figures all appear among the article's claims as separate claims with
   the same number and side; ``contested_recall_attributed`` also wants the claimants right.
4. **Attribution**: a claimant is right when the normalised names are equal, one contains
   the other, their token Jaccard is at least 0.5, or it matches ``claimed_by_alt``; a gold
   ``"reporter"`` accepts only a reporter or an unattributed claim. The names tried for one
   of our claimants are its name, its relay chain, the text at its span and, when it
   resolved to the knowledge base, that actor's names and acronyms.

``published_accuracy`` (Mode A): the publication date read from the text equals the gold's
(null where the text gives none). ``gold_events`` counts the required gold events,
``predicted_events`` our events. ``details["articles"]`` lists, per article and mode, the matched
pairs with their differences, the false positives and negatives, figure mismatches, missed and
spurious figures, and each dispute with whether it was found.

Our records speak ACLED's vocabulary and our knowledge base's names; ``TYPES``,
``SUBTYPES``, ``ALIASES`` and :data:`~sitreps.evaluate.seeds_actors.SEED_NAMES` map them to
the gold's. Everything but :func:`run` is a pure function over a gold dict and a list of
:class:`~sitreps.records.Event`, so it is tested without the extractor.
"""

from __future__ import annotations

import datetime
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Claim, Claimant, Document, Event
from .base import Benchmark, result
from .seeds import FIGURE_KINDS, read_seeds
from .seeds_actors import SEED_NAMES

if TYPE_CHECKING:
    from ..actors import KnowledgeBase
    from ..config import Settings

NAME = "seeds-events"
MODES = ("a", "b")
# Mode A scores dates only on articles whose gold publication date the text gives (or none).
_MODE_A_DATE_SOURCES = {"text", None}

# Our ACLED event types (plural) -> the gold's (singular).
TYPES = {
    "battles": "battle",
    "explosions_remote_violence": "explosion_remote_violence",
    "violence_against_civilians": "violence_against_civilians",
    "protests": "protest",
    "riots": "riot",
    "strategic_developments": "strategic_development",
}
# Our ACLED sub-event types -> the gold's shortened ones. Values not listed are the same in
# both vocabularies (armed_clash, attack, arrests, agreement, release, negotiation, ...).
SUBTYPES = {
    "shelling_artillery_missile_attack": "shelling_artillery_missile",
    "remote_explosive_landmine_ied": "remote_explosive",
    "abduction_forced_disappearance": "abduction",
    "looting_property_destruction": "looting",
}
# The gold's canonical actor names and the other names they go by (the README's alias table,
# plus the canonical names our knowledge base gives the same actors).
ALIASES = {
    "Islamic State": ("ISIS", "ISIL", "IS", "Daesh", "Islamic State group", "Islamic State of Iraq and the Levant"),
    "Nusra Front": ("al-Nusra Front", "Jabhat al-Nusra", "Jabhat Fatah al-Sham", "Jabhat Fateh al-Sham",
                    "Fateh al-Sham", "former al-Nusra Front", "Hay'at Tahrir al-Sham"),
    "Jaysh al-Fatah": ("Army of Conquest", "Fatah Army", "al-Fatih Army", "Jaysh al-Fateh",
                       "Jaysh al-Fateh al-Qalamoun", "Nusra-led rebel coalition", "Syrian opposition alliance"),
    "Hezbollah": ("Hizbullah", "the resistance"),
    "Syrian Government Forces": ("Syrian army", "Syrian Arab Army", "regime forces", "Assad forces",
                                 "Military Forces of Syria"),
    "National Defence Forces": ("NDF",),
    "IRGC Quds Force": ("al-Quds Force", "Quds Force", "Iranian al-Quds Brigade"),
    "Lebanese Armed Forces": ("Lebanese army", "LAF", "Military Forces of Lebanon"),
    "Afghan militias": ("Liwa Fatemiyoun",),
    "Israeli Air Force": (),
}
# Sides that are not actors.
_NON_ACTOR_SIDES = {"civilians", "mixed", "unknown"}
# A gold "reporter" accepts these (normalised) predicted claimants.
_UNATTRIBUTED = {"", "reporter", "unattributed"}

_PARTICLES = {"al", "el", "az", "the"}
_APOSTROPHES = "'’‘`´ʼʻ"
_PUNCTUATION = re.compile(r"[^\w\s]|_")


# --- names -------------------------------------------------------------------------------


def normalize(text: str | None) -> str:
    """The README's normal form: casefolded, accents, punctuation and apostrophes gone, the
    particles al / el / az / the dropped, whitespace collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    for apostrophe in _APOSTROPHES:
        letters = letters.replace(apostrophe, "")
    letters = _PUNCTUATION.sub(" ", letters)
    return " ".join(word for word in letters.split() if word not in _PARTICLES)


def names_match(a: str | None, b: str | None) -> bool:
    """Normalised names equal, or one contained in the other as whole words."""
    a, b = normalize(a), normalize(b)
    if not a or not b:
        return False
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def token_jaccard(a: str | None, b: str | None) -> float:
    first, second = set(normalize(a).split()), set(normalize(b).split())
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


_ALIAS_INDEX = {normalize(alias): canonical for canonical, aliases in ALIASES.items() for alias in (canonical, *aliases)}


def gold_type(value: str) -> str:
    return TYPES.get(value, value)


def gold_subtype(value: str) -> str:
    return SUBTYPES.get(value, value)


def gold_actor(name: str, actor_id: str | None = None) -> str:
    """An actor of ours named as the gold names it: by knowledge-base id, else by name
    through the alias table, else the name itself."""
    if actor_id and actor_id in SEED_NAMES:
        return SEED_NAMES[actor_id]
    return _ALIAS_INDEX.get(normalize(name), name)


def gold_side(side: str, side_id: str | None = None) -> str:
    if side in _NON_ACTOR_SIDES:
        return side
    return gold_actor(side, side_id)


def _same_actor(gold_name: str, predicted: str, alternatives: Mapping[str, Sequence[str]]) -> bool:
    """``predicted`` (already in gold names) is ``gold_name`` or one of its alternatives."""
    if normalize(predicted) == normalize(gold_name):
        return True
    return any(normalize(predicted) == normalize(alt) for alt in alternatives.get(gold_name, ()))


def _resolve_alternatives(predicted: Sequence[str], gold_actors: Sequence[str], alternatives: Mapping[str, Sequence[str]]) -> list[str]:
    """Predicted actor names with an accepted alternative renamed to its gold actor, unless
    that gold actor is predicted too."""
    out = list(predicted)
    present = {normalize(name) for name in out}
    for index, name in enumerate(out):
        if name in gold_actors:
            continue
        for actor in gold_actors:
            if normalize(actor) not in present and _same_actor(actor, name, alternatives):
                out[index] = actor
                present.add(normalize(actor))
                break
    return out


def claimant_correct(figure: Mapping[str, Any], names: Iterable[str], *, reporter: bool) -> bool:
    """The README's attribution rule: ``names`` are every name of one predicted claimant,
    ``reporter`` whether it is the reporter (unattributed)."""
    gold = figure.get("claimed_by") or "reporter"
    names = [name for name in names if name is not None]
    if normalize(gold) == "reporter":
        return reporter or any(normalize(name) in _UNATTRIBUTED for name in names)
    if reporter:
        return False
    for accepted in (gold, *(figure.get("claimed_by_alt") or ())):
        for name in names:
            if normalize(name) and (names_match(accepted, name) or token_jaccard(accepted, name) >= 0.5):
                return True
    return False


# --- predictions in the gold's terms --------------------------------------------------------


ClaimantNames = Callable[[Claimant], Iterable[str]]


def plain_claimant_names(claimant: Claimant) -> tuple[str, ...]:
    """A claimant's own name and its relay chain."""
    return (claimant.name, *claimant.chain)


def knowledge_base_names(kb: KnowledgeBase, text: str = "") -> ClaimantNames:
    """Names of a claimant: its own, its chain, ``text`` at its span (the words the article
    uses) and, for a claimant resolved to the knowledge base, that actor's names."""

    def names(claimant: Claimant) -> list[str]:
        found = list(plain_claimant_names(claimant))
        if claimant.span and text:
            found.append(text[claimant.span[0] : claimant.span[1]])
        actor = kb.get(claimant.id) if claimant.id else None
        if actor is not None:
            found += [actor.name, *actor.aliases, *actor.acronyms]
            found += [renaming.name for renaming in actor.names]
            if actor.id in SEED_NAMES:
                found.append(SEED_NAMES[actor.id])
        return found

    return names


@dataclass(frozen=True, slots=True)
class Figure:
    """One of our claims in the gold's terms."""

    low: int
    high: int | None  # None unless an explicit range (the gold's count_high)
    qualifier: str
    side: str
    claimant: tuple[str, ...]  # every name it goes by
    claimant_type: str | None
    reporter: bool
    subset: bool
    text: str
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Predicted:
    """One of our events in the gold's terms."""

    index: int
    id: str
    type: str
    subtype: str
    actors: tuple[tuple[str, str], ...]  # (gold name, role), in event order
    places: tuple[str, ...]  # the location's name and its mention
    country: str | None
    start: datetime.date | None
    end: datetime.date | None
    figures: dict[str, tuple[Figure, ...]] = field(default_factory=dict)
    evidence: str = ""


def _date(value: str | None) -> datetime.date | None:
    """An ISO date value as a date (the cleaner's reading, imported when first needed so that
    importing this module does not load the cleaner)."""
    from ..clean.dates import parse_iso_date

    return parse_iso_date(value)


def _figure(claim: Claim, claimant_names: ClaimantNames) -> Figure:
    claimant = claim.claimed_by
    names = tuple(claimant_names(claimant))
    reporter = claimant.type == "reporter" or normalize(claimant.name) in _UNATTRIBUTED
    high = claim.high if claim.high is not None and claim.high != claim.low else None
    return Figure(
        low=claim.low, high=high, qualifier=claim.qualifier, side=gold_side(claim.side, claim.side_id),
        claimant=names, claimant_type=claimant.type, reporter=reporter, subset=claim.scope == "subset",
        text=claim.text, span=claim.span,
    )


def predicted_view(event: Event, index: int, *, claimant_names: ClaimantNames = plain_claimant_names) -> Predicted:
    """``event`` with its type, subtype, actors, sides and claimants in the gold's terms."""
    location = event.location
    start = _date(event.date.start) if event.date else None
    end = _date(event.date.end) if event.date else None
    if end is None:
        end = start
    return Predicted(
        index=index,
        id=event.id,
        type=gold_type(event.type),
        subtype=gold_subtype(event.subtype),
        actors=tuple((gold_actor(actor.name, actor.id), actor.role) for actor in event.actors),
        places=tuple(dict.fromkeys(name for name in ((location.name, location.mention) if location else ()) if name)),
        country=location.country if location else None,
        start=start,
        end=end,
        figures={kind: tuple(_figure(claim, claimant_names) for claim in getattr(event, kind)) for kind in FIGURE_KINDS},
        evidence=event.evidence[0].text if event.evidence else "",
    )


# --- event matching -----------------------------------------------------------------------


def _gold_places(gold: Mapping[str, Any]) -> list[str]:
    location = gold.get("location") or {}
    return [name for name in (location.get("name"), *(location.get("alt_names") or ())) if name]


def _gold_countries(gold: Mapping[str, Any]) -> set[str]:
    location = gold.get("location") or {}
    return {c for c in (location.get("country"), *(location.get("country_alt") or ())) if c}


def place_match(gold: Mapping[str, Any], predicted: Predicted) -> bool:
    """One of the predicted names matches the gold place or one of its ``alt_names``."""
    return any(names_match(g, p) for g in _gold_places(gold) for p in predicted.places)


def _overlap(a: tuple[datetime.date | None, datetime.date | None], b: tuple[datetime.date | None, datetime.date | None]) -> bool:
    """Do two closed intervals overlap? None is an open end."""
    lows = [d for d in (a[0], b[0]) if d is not None]
    highs = [d for d in (a[1], b[1]) if d is not None]
    return not lows or not highs or max(lows) <= min(highs)


def _gold_window(gold: Mapping[str, Any], days: int) -> tuple[datetime.date | None, datetime.date | None] | None:
    date = gold.get("date") or {}
    start, end = _date(date.get("start")), _date(date.get("end"))
    if start is None and end is None:
        return None
    delta = datetime.timedelta(days=days)
    return (start - delta if start else None, end + delta if end else None)


def compatible(gold: Mapping[str, Any], predicted: Predicted, *, relaxed: bool = False) -> bool:
    """The README's compatibility of a gold event and a prediction (``relaxed``: without
    the type criterion)."""
    if not relaxed and predicted.type not in {gold.get("type"), *(gold.get("alt_types") or ())}:
        return False
    location = gold.get("location") or {}
    countries = _gold_countries(gold)
    if predicted.country and countries and predicted.country not in countries:
        return False
    if location.get("name"):
        if not place_match(gold, predicted):
            return False
    elif predicted.places and not place_match(gold, predicted):
        # No gold place: the country decides (a prediction with no place passes).
        if not predicted.country or predicted.country not in countries:
            return False
    window = _gold_window(gold, 3 if gold.get("aggregate") else 1)
    if window is not None and (predicted.start or predicted.end):
        if not _overlap((predicted.start, predicted.end), window):
            return False
    return True


def _subtype_match(gold: Mapping[str, Any], predicted: Predicted) -> bool:
    return predicted.subtype in {gold.get("subtype"), *(gold.get("alt_subtypes") or ())}


def _actor_sets(gold: Mapping[str, Any], predicted: Predicted) -> tuple[set[str], set[str]]:
    gold_actors = list(gold.get("actors") or ())
    names = _resolve_alternatives([name for name, _ in predicted.actors], gold_actors, gold.get("actor_alternatives") or {})
    return set(gold_actors), set(names)


def _exact_start(gold: Mapping[str, Any], predicted: Predicted) -> bool:
    start = _date((gold.get("date") or {}).get("start"))
    return start is not None and predicted.start == start


def pair_weight(gold: Mapping[str, Any], predicted: Predicted) -> float:
    """2 x place-name match + subtype match + actor Jaccard + exact start date."""
    gold_actors, predicted_actors = _actor_sets(gold, predicted)
    union = gold_actors | predicted_actors
    jaccard = len(gold_actors & predicted_actors) / len(union) if union else 0.0
    return 2.0 * place_match(gold, predicted) + _subtype_match(gold, predicted) + jaccard + _exact_start(gold, predicted)


# Added to every compatible pair, so that a compatible pair of weight 0 is still matched
# rather than left as a false positive and a false negative.
_COMPATIBLE = 1e-3


def max_weight_assignment(weights: Sequence[Sequence[float | None]]) -> list[tuple[int, int]]:
    """The one-to-one assignment of rows to columns with the largest total weight, using only
    pairs whose weight is not None (weights must be positive). Exact: the Hungarian algorithm
    on the negated weights, padded to a square. Returns (row, column) pairs, sorted."""
    rows = len(weights)
    columns = len(weights[0]) if rows else 0
    if not rows or not columns:
        return []
    size = max(rows, columns)

    def cost(i: int, j: int) -> float:
        if i < rows and j < columns and weights[i][j] is not None:
            return -float(weights[i][j])
        return 0.0

    inf = float("inf")
    u = [0.0] * (size + 1)
    v = [0.0] * (size + 1)
    owner = [0] * (size + 1)  # column -> row (1-based; 0 none)
    way = [0] * (size + 1)
    for row in range(1, size + 1):
        owner[0] = row
        column = 0
        least = [inf] * (size + 1)
        used = [False] * (size + 1)
        while True:
            used[column] = True
            current, delta, next_column = owner[column], inf, 0
            for j in range(1, size + 1):
                if used[j]:
                    continue
                reduced = cost(current - 1, j - 1) - u[current] - v[j]
                if reduced < least[j]:
                    least[j], way[j] = reduced, column
                if least[j] < delta:
                    delta, next_column = least[j], j
            for j in range(size + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            column = next_column
            if owner[column] == 0:
                break
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    pairs = [
        (owner[j] - 1, j - 1)
        for j in range(1, size + 1)
        if owner[j] and owner[j] - 1 < rows and j - 1 < columns and weights[owner[j] - 1][j - 1] is not None
    ]
    return sorted(pairs)


@dataclass(frozen=True, slots=True)
class Matching:
    """The matched (gold index, predicted index, weight) pairs of one article and what is left."""

    pairs: tuple[tuple[int, int, float], ...]
    false_negatives: tuple[int, ...]  # required gold events left unmatched
    false_positives: tuple[int, ...]  # predictions left unmatched
    neutral: tuple[int, ...]  # gold events matched but optional or aggregate

    @property
    def true_positives(self) -> int:
        return len(self.pairs) - len(self.neutral)


def is_neutral(gold: Mapping[str, Any]) -> bool:
    return bool(gold.get("optional") or gold.get("aggregate"))


def match_events(golds: Sequence[Mapping[str, Any]], predictions: Sequence[Predicted], *, relaxed: bool = False) -> Matching:
    """The maximum-weight one-to-one matching of one article's gold events and predictions."""
    weights = [
        [pair_weight(gold, p) + _COMPATIBLE if compatible(gold, p, relaxed=relaxed) else None for p in predictions]
        for gold in golds
    ]
    pairs = max_weight_assignment(weights)
    matched_gold = {g for g, _ in pairs}
    matched_predicted = {p for _, p in pairs}
    return Matching(
        pairs=tuple((g, p, round(weights[g][p] - _COMPATIBLE, 6)) for g, p in pairs),
        false_negatives=tuple(i for i, gold in enumerate(golds) if i not in matched_gold and not gold.get("optional")),
        false_positives=tuple(j for j in range(len(predictions)) if j not in matched_predicted),
        neutral=tuple(g for g, _ in pairs if is_neutral(golds[g])),
    )


# --- figures -------------------------------------------------------------------------------


def figure_neutral(figure: Mapping[str, Any]) -> bool:
    return figure.get("scope") == "subset" or bool(figure.get("optional"))


def _side_match(figure: Mapping[str, Any], predicted: Figure, alternatives: Mapping[str, Sequence[str]]) -> bool:
    return _same_actor(figure.get("side") or "unknown", predicted.side, alternatives)


def _claimant_match(figure: Mapping[str, Any], predicted: Figure) -> bool:
    return claimant_correct(figure, predicted.claimant, reporter=predicted.reporter)


def align_figures(
    golds: Sequence[Mapping[str, Any]],
    predictions: Sequence[Figure],
    *,
    alternatives: Mapping[str, Sequence[str]] | None = None,
) -> list[tuple[int, int]]:
    """Greedy alignment of the figures of one kind in one matched pair: same number and
    claimant first, then same number and side, then same side and claimant. Returns
    (gold index, predicted index) pairs in the order they were made."""
    alternatives = alternatives or {}
    tiers = (
        lambda g, p: g.get("count_low") == p.low and _claimant_match(g, p),
        lambda g, p: g.get("count_low") == p.low and _side_match(g, p, alternatives),
        lambda g, p: _side_match(g, p, alternatives) and _claimant_match(g, p),
    )
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    for test in tiers:
        for i, gold in enumerate(golds):
            if i in used_gold:
                continue
            for j, predicted in enumerate(predictions):
                if j not in used_predicted and test(gold, predicted):
                    pairs.append((i, j))
                    used_gold.add(i)
                    used_predicted.add(j)
                    break
    return pairs


def within_range(figure: Mapping[str, Any], value: int) -> bool:
    """``value`` within the gold figure's range: exact [N, N] (or its explicit range);
    at least / more than [N, inf); up to [0, N]; around [0.8 N, 1.2 N]."""
    low = figure.get("count_low")
    high = figure.get("count_high")
    if low is None:
        return False
    qualifier = figure.get("qualifier") or "exact"
    if high is not None:
        return low <= value <= high
    if qualifier in ("at_least", "more_than"):
        return value >= low
    if qualifier == "up_to":
        return 0 <= value <= low
    if qualifier == "around":
        return 0.8 * low <= value <= 1.2 * low
    return value == low


def figure_exact(figure: Mapping[str, Any], predicted: Figure) -> bool:
    return (
        figure.get("count_low") == predicted.low
        and figure.get("count_high") == predicted.high
        and (figure.get("qualifier") or "exact") == predicted.qualifier
    )


def disputes(gold: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Contested claims in a gold article: pairs of figures of one event, kind and side from
    different claimants that disagree (number or qualifier)."""
    found = []
    for index, event in enumerate(gold.get("events") or ()):
        for kind in FIGURE_KINDS:
            figures = [(i, f) for i, f in enumerate(event.get(kind) or ()) if not figure_neutral(f)]
            for a, (i, first) in enumerate(figures):
                for j, second in figures[a + 1 :]:
                    if normalize(first.get("side")) != normalize(second.get("side")):
                        continue
                    if normalize(first.get("claimed_by")) == normalize(second.get("claimed_by")):
                        continue
                    if (first.get("count_low"), first.get("count_high"), first.get("qualifier")) == (
                        second.get("count_low"), second.get("count_high"), second.get("qualifier")
                    ):
                        continue
                    found.append({"event": index, "kind": kind, "side": first.get("side"), "figures": [i, j]})
    return found


def _found_separately(
    figures: Sequence[Mapping[str, Any]], candidates: Sequence[Figure], alternatives: Mapping[str, Sequence[str]], *, attributed: bool
) -> bool:
    """Each gold figure has its own candidate with the same number and side (and claimant)."""

    def fits(figure: Mapping[str, Any], candidate: Figure) -> bool:
        ok = figure.get("count_low") == candidate.low and _side_match(figure, candidate, alternatives)
        return ok and (not attributed or _claimant_match(figure, candidate))

    def place(k: int, used: frozenset[int]) -> bool:
        if k == len(figures):
            return True
        return any(j not in used and fits(figures[k], c) and place(k + 1, used | {j}) for j, c in enumerate(candidates))

    return place(0, frozenset())


# --- one article ---------------------------------------------------------------------------


def _summary_of_gold(index: int, gold: Mapping[str, Any]) -> dict[str, Any]:
    location = gold.get("location") or {}
    date = gold.get("date") or {}
    return {
        "gold": index, "type": gold.get("type"), "subtype": gold.get("subtype"), "place": location.get("name"),
        "country": location.get("country"), "start": date.get("start"), "end": date.get("end"),
        "actors": list(gold.get("actors") or ()), "optional": bool(gold.get("optional")),
        "aggregate": bool(gold.get("aggregate")),
    }


def _summary_of_prediction(predicted: Predicted) -> dict[str, Any]:
    return {
        "predicted": predicted.index, "id": predicted.id, "type": predicted.type, "subtype": predicted.subtype,
        "places": list(predicted.places), "country": predicted.country,
        "start": predicted.start.isoformat() if predicted.start else None,
        "end": predicted.end.isoformat() if predicted.end else None,
        "actors": [f"{name} ({role})" for name, role in predicted.actors],
        "figures": sum(len(f) for f in predicted.figures.values()), "evidence": predicted.evidence[:200],
    }


def _summary_of_figure(figure: Figure) -> dict[str, Any]:
    return {
        "low": figure.low, "high": figure.high, "qualifier": figure.qualifier, "side": figure.side,
        "claimed_by": figure.claimant[0] if figure.claimant else None, "claimed_by_type": figure.claimant_type,
        "text": figure.text,
    }


def _gold_figure_summary(figure: Mapping[str, Any]) -> dict[str, Any]:
    return {key: figure.get(key) for key in ("count_low", "count_high", "qualifier", "side", "claimed_by", "claimed_by_type", "text")}


@dataclass
class ArticleScore:
    """The tallies of one article in one mode (summed over articles by :func:`summarise`)
    and what a developer reads to see what is left."""

    counts: Counter = field(default_factory=Counter)
    by_type: Counter = field(default_factory=Counter)  # (gold type, "tp" | "fp" | "fn")
    details: dict[str, Any] = field(default_factory=dict)


def score_article(
    gold: Mapping[str, Any],
    events: Sequence[Event],
    *,
    claimant_names: ClaimantNames = plain_claimant_names,
    score_dates: bool = True,
) -> ArticleScore:
    """Score one article's predicted ``events`` against its ``gold`` (the gold file's dict).

    ``score_dates`` false leaves the date fields out (Mode A on an article whose date the
    text does not give); the date criterion of matching applies either way.
    """
    golds = list(gold.get("events") or ())
    predictions = [predicted_view(event, i, claimant_names=claimant_names) for i, event in enumerate(events)]
    score = ArticleScore()
    c = score.counts

    # 1. matching, strict and relaxed
    matching = match_events(golds, predictions)
    relaxed = match_events(golds, predictions, relaxed=True)
    c["events_tp"] += matching.true_positives
    c["events_fp"] += len(matching.false_positives)
    c["events_fn"] += len(matching.false_negatives)
    c["events_neutral"] += len(matching.neutral)
    c["relaxed_tp"] += relaxed.true_positives
    c["relaxed_fp"] += len(relaxed.false_positives)
    c["relaxed_fn"] += len(relaxed.false_negatives)
    c["gold_required"] += sum(1 for g in golds if not g.get("optional"))
    c["predicted"] += len(predictions)
    neutral = set(matching.neutral)
    for g, _, _ in matching.pairs:
        if g not in neutral:
            score.by_type[golds[g].get("type"), "tp"] += 1
    for g in matching.false_negatives:
        score.by_type[golds[g].get("type"), "fn"] += 1
    for p in matching.false_positives:
        score.by_type[predictions[p].type, "fp"] += 1
    for g, p, _ in relaxed.pairs:
        c["type_n"] += 1
        c["type_ok"] += predictions[p].type in {golds[g].get("type"), *(golds[g].get("alt_types") or ())}

    # 2. fields and 3-4. figures of the matched pairs
    matched, mismatches, missed, spurious = [], [], [], []
    for g, p, weight in matching.pairs:
        gold_event, predicted = golds[g], predictions[p]
        differences = []
        c["subtype_n"] += 1
        if _subtype_match(gold_event, predicted):
            c["subtype_ok"] += 1
        else:
            differences.append(f"subtype {predicted.subtype} (gold {gold_event.get('subtype')})")

        gold_actors, predicted_actors = _actor_sets(gold_event, predicted)
        c["actors_tp"] += len(gold_actors & predicted_actors)
        c["actors_fp"] += len(predicted_actors - gold_actors)
        c["actors_fn"] += len(gold_actors - predicted_actors)
        if gold_actors != predicted_actors:
            differences.append(f"actors {sorted(predicted_actors)} (gold {sorted(gold_actors)})")
        roles = gold_event.get("actor_roles") or {}
        resolved = _resolve_alternatives([name for name, _ in predicted.actors], list(gold_event.get("actors") or ()), gold_event.get("actor_alternatives") or {})
        predicted_roles: dict[str, str] = {}
        for name, (_, role) in zip(resolved, predicted.actors):
            predicted_roles.setdefault(name, role)
        for actor, role in roles.items():
            if actor in predicted_roles:
                c["role_n"] += 1
                if predicted_roles[actor] == role:
                    c["role_ok"] += 1
                else:
                    differences.append(f"role of {actor} {predicted_roles[actor]} (gold {role})")

        location = gold_event.get("location") or {}
        if location.get("name"):
            c["location_n"] += 1
            c["location_ok"] += place_match(gold_event, predicted)
        countries = _gold_countries(gold_event)
        if countries:
            c["country_n"] += 1
            if predicted.country in countries:
                c["country_ok"] += 1
            else:
                differences.append(f"country {predicted.country} (gold {sorted(countries)})")

        if score_dates:
            date = gold_event.get("date") or {}
            start, end = _date(date.get("start")), _date(date.get("end"))
            if start is not None:
                c["date_n"] += 1
                c["date_ok"] += predicted.start == start
                c["date_end_ok"] += predicted.end == (end or start)
                window = _gold_window(gold_event, 1)
                inside = predicted.start is not None and window is not None and _overlap((predicted.start, predicted.start), window) and _overlap((predicted.end, predicted.end), window)
                c["date_window_ok"] += bool(inside)
                if predicted.start != start:
                    differences.append(f"start {predicted.start} (gold {start})")
            else:
                c["date_null_n"] += 1
                if predicted.start is not None:
                    c["date_hallucinated"] += 1
                    differences.append(f"start {predicted.start} where the gold has none")

        alternatives = gold_event.get("actor_alternatives") or {}
        for kind in FIGURE_KINDS:
            gold_figures = list(gold_event.get(kind) or ())
            predicted_figures = list(predicted.figures.get(kind, ()))
            pairs = align_figures(gold_figures, predicted_figures, alternatives=alternatives)
            aligned_gold = {i for i, _ in pairs}
            aligned_predicted = {j for _, j in pairs}
            for i, j in pairs:
                figure, ours = gold_figures[i], predicted_figures[j]
                if figure_neutral(figure):
                    c["figures_neutral"] += 1
                    continue
                c["figures_tp"] += 1
                checks = {
                    "exact": figure_exact(figure, ours),
                    "number": figure.get("count_low") == ours.low,
                    "qualifier": (figure.get("qualifier") or "exact") == ours.qualifier,
                    "within_range": within_range(figure, ours.low),
                    "side": _side_match(figure, ours, alternatives),
                    "claimant": _claimant_match(figure, ours),
                }
                for name, ok in checks.items():
                    c[f"figure_{name}_ok"] += ok
                if figure.get("claimed_by_type") and ours.claimant_type:
                    c["claimant_type_n"] += 1
                    c["claimant_type_ok"] += figure.get("claimed_by_type") == ours.claimant_type
                    checks["claimant_type"] = figure.get("claimed_by_type") == ours.claimant_type
                wrong = [name for name, ok in checks.items() if not ok]
                if wrong:
                    mismatches.append({"gold": g, "kind": kind, "wrong": wrong, "gold_figure": _gold_figure_summary(figure), "predicted": _summary_of_figure(ours)})
            for i, figure in enumerate(gold_figures):
                if i not in aligned_gold and not figure_neutral(figure):
                    c["figures_fn"] += 1
                    missed.append({"gold": g, "kind": kind, "gold_figure": _gold_figure_summary(figure)})
            for j, ours in enumerate(predicted_figures):
                if j not in aligned_predicted and not ours.subset:
                    c["figures_fp"] += 1
                    spurious.append({"gold": g, "predicted": p, "kind": kind, "figure": _summary_of_figure(ours)})
        matched.append({"gold": g, "predicted": p, "id": predicted.id, "weight": weight, "neutral": g in neutral, "differences": differences})

    # Figures of unmatched events, for the overall figures.
    for g in matching.false_negatives:
        for kind in FIGURE_KINDS:
            for figure in golds[g].get(kind) or ():
                if not figure_neutral(figure):
                    c["figures_fn_unmatched"] += 1
                    missed.append({"gold": g, "kind": kind, "event_unmatched": True, "gold_figure": _gold_figure_summary(figure)})
    for p in matching.false_positives:
        c["figures_fp_unmatched"] += sum(1 for kind in FIGURE_KINDS for f in predictions[p].figures.get(kind, ()) if not f.subset)

    # Contested claims, article-wide: are both sides of each dispute among our claims?
    contested = []
    for dispute in disputes(gold):
        event = golds[dispute["event"]]
        figures = [(event.get(dispute["kind"]) or ())[i] for i in dispute["figures"]]
        candidates = [f for pred in predictions for f in pred.figures.get(dispute["kind"], ())]
        alternatives = event.get("actor_alternatives") or {}
        found = _found_separately(figures, candidates, alternatives, attributed=False)
        attributed = _found_separately(figures, candidates, alternatives, attributed=True)
        c["contested_n"] += 1
        c["contested_ok"] += found
        c["contested_attributed_ok"] += attributed
        contested.append({**dispute, "found": found, "attributed": attributed,
                          "claims": [_gold_figure_summary(f) for f in figures]})

    score.details = {
        "predicted": len(predictions),
        "matched": matched,
        "false_negatives": [_summary_of_gold(g, golds[g]) for g in matching.false_negatives],
        "false_positives": [_summary_of_prediction(predictions[p]) for p in matching.false_positives],
        "figure_mismatches": mismatches,
        "figures_missed": missed,
        "figures_spurious": spurious,
        "contested": contested,
    }
    return score


# --- summing up ------------------------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _f1(tp: float, fp: float, fn: float) -> tuple[float | None, float | None, float | None]:
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    if precision is None or recall is None:
        return precision, recall, None
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def summarise(scores: Iterable[ArticleScore]) -> dict[str, float | int | None]:
    """The metrics of a set of articles (one mode), from their summed tallies."""
    c: Counter = Counter()
    by_type: Counter = Counter()
    for score in scores:
        c.update(score.counts)
        by_type.update(score.by_type)
    precision, recall, f1 = _f1(c["events_tp"], c["events_fp"], c["events_fn"])
    relaxed_p, relaxed_r, relaxed_f1 = _f1(c["relaxed_tp"], c["relaxed_fp"], c["relaxed_fn"])
    per_type = []
    for event_type in sorted({t for t, _ in by_type}, key=str):
        _, _, type_f1 = _f1(by_type[event_type, "tp"], by_type[event_type, "fp"], by_type[event_type, "fn"])
        per_type.append(type_f1 or 0.0)
    actor_p, actor_r, actor_f1 = _f1(c["actors_tp"], c["actors_fp"], c["actors_fn"])
    figure_p, figure_r, figure_f1 = _f1(c["figures_tp"], c["figures_fp"], c["figures_fn"])
    overall_p, overall_r, overall_f1 = _f1(
        c["figures_tp"], c["figures_fp"] + c["figures_fp_unmatched"], c["figures_fn"] + c["figures_fn_unmatched"]
    )
    tp = c["figures_tp"]
    return {
        "event_f1": f1,
        "event_precision": precision,
        "event_recall": recall,
        "event_f1_macro": sum(per_type) / len(per_type) if per_type else None,
        "event_f1_relaxed": relaxed_f1,
        "event_precision_relaxed": relaxed_p,
        "event_recall_relaxed": relaxed_r,
        "type_accuracy": _ratio(c["type_ok"], c["type_n"]),
        "subtype_accuracy": _ratio(c["subtype_ok"], c["subtype_n"]),
        "actor_precision": actor_p,
        "actor_recall": actor_r,
        "actor_f1": actor_f1,
        "role_accuracy": _ratio(c["role_ok"], c["role_n"]),
        "location_accuracy": _ratio(c["location_ok"], c["location_n"]),
        "country_accuracy": _ratio(c["country_ok"], c["country_n"]),
        "date_accuracy": _ratio(c["date_ok"], c["date_n"]),
        "date_end_accuracy": _ratio(c["date_end_ok"], c["date_n"]),
        "date_window_accuracy": _ratio(c["date_window_ok"], c["date_n"]),
        "date_hallucination_rate": _ratio(c["date_hallucinated"], c["date_null_n"]),
        "figure_f1": figure_f1,
        "figure_precision": figure_p,
        "figure_recall": figure_r,
        "figure_f1_overall": overall_f1,
        "figure_precision_overall": overall_p,
        "figure_recall_overall": overall_r,
        "figure_exact": _ratio(c["figure_exact_ok"], tp),
        "number_accuracy": _ratio(c["figure_number_ok"], tp),
        "qualifier_accuracy": _ratio(c["figure_qualifier_ok"], tp),
        "within_range_accuracy": _ratio(c["figure_within_range_ok"], tp),
        "side_accuracy": _ratio(c["figure_side_ok"], tp),
        "claimant_accuracy": _ratio(c["figure_claimant_ok"], tp),
        "claimant_type_accuracy": _ratio(c["claimant_type_ok"], c["claimant_type_n"]),
        "contested_recall": _ratio(c["contested_ok"], c["contested_n"]),
        "contested_recall_attributed": _ratio(c["contested_attributed_ok"], c["contested_n"]),
        "gold_events": c["gold_required"],
        "predicted_events": c["predicted"],
    }


def run(data_dir: Path, *, settings: Settings) -> dict[str, Any]:
    from ..actors import default_matcher
    from ..extract import Extractor

    extractor = Extractor(settings)
    kb = default_matcher().kb
    seeds = read_seeds(data_dir)
    metrics: dict[str, Any] = {}
    articles: list[dict[str, Any]] = []
    published_flags: list[bool] = []
    seconds = 0.0
    for mode in MODES:
        scores = []
        for seed in seeds:
            published = seed.gold.get("published") if mode == "b" else None
            started = time.perf_counter()
            document, events = extractor.events_of_text(seed.text, published=published, source=str(seed.path))
            seconds += time.perf_counter() - started
            if not isinstance(document, Document):  # skipped (None, or a Skip)
                document = None
            text = document.text if document is not None else ""
            score_dates = mode == "b" or seed.gold.get("published_source") in _MODE_A_DATE_SOURCES
            score = score_article(seed.gold, events, claimant_names=knowledge_base_names(kb, text), score_dates=score_dates)
            scores.append(score)
            read = document.published.date if document is not None else None
            if mode == "a" and seed.gold.get("published_source") in _MODE_A_DATE_SOURCES:
                published_flags.append(read == seed.gold.get("published"))
            articles.append({"seed": seed.id, "mode": mode.upper(), "skipped": document is None,
                             "published_read": read, "published_gold": seed.gold.get("published"),
                             "dates_scored": score_dates, **score.details})
        prefix = "" if mode == "a" else "mode_b_"
        metrics.update({f"{prefix}{key}": value for key, value in summarise(scores).items()})
    metrics["published_accuracy"] = _ratio(sum(published_flags), len(published_flags))
    metrics["seconds"] = round(seconds, 3)
    return result(NAME, metrics, {"articles": articles, "modes": {"": "A (text only)", "mode_b_": "B (gold published date given)"}})


BENCHMARK = Benchmark(
    name=NAME,
    folder="seeds",
    description="Events of the 5 seed articles: matching, fields, figures and claimants (README recipe, modes A and B).",
    run=run,
)
