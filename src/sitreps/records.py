"""The records every stage takes and returns: the contract of sitreps' outputs.

Records are frozen dataclasses of plain values, so they pickle (process pools, Ray workers),
compare by value and serialise with :func:`to_dict`. Offsets are character offsets (Python
string indices, end exclusive) into a document's clean ``text`` unless a field says it points
into ``original`` (the text before line cleaning).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

LineKind = Literal["body", "meta", "caption", "junk"]
PublishedSource = Literal["metadata", "text", "url", "inferred", "unknown"]

_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """The form a document's id is computed from: NFKC, whitespace collapsed, stripped."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def document_id(text: str) -> str:
    """sha256 (hex) of the normalized text: the same content always gets the same id."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Evidence:
    """A piece of text that supports a value: where it is and what it says."""

    start: int
    end: int
    text: str
    # What the offsets point into: Document.text, Document.original, the input's own
    # metadata value (as given in a JSONL/CSV field or an HTML meta tag), or Document.url.
    of: Literal["text", "original", "metadata", "url"] = "text"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the original text with the class the cleaner gave it."""

    start: int  # offsets into Document.original
    end: int
    kind: LineKind
    reason: str  # the rule that decided, e.g. "captcha", "share", "title", "paragraph"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of clean text copied from the original: text[clean:clean+length] == original[orig:orig+length]."""

    clean: int
    orig: int
    length: int


@dataclass(frozen=True, slots=True)
class Published:
    """The publication date and where it came from; ``date`` is None when unknown (never guessed)."""

    date: str | None = None  # ISO YYYY-MM-DD
    source: PublishedSource = "unknown"
    evidence: Evidence | None = None  # the phrase it was read from (metadata/url: the raw value)


@dataclass(frozen=True, slots=True)
class Document:
    """One news report, cleaned. ``text`` is the body; ``original`` what the cleaner was given."""

    id: str
    source: str  # path, URL or "-" for standard input
    text: str
    original: str
    source_id: str | None = None  # the record id of JSONL/CSV input
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    wire: str | None = None  # a wire agency the text credits ("Reuters", "AFP")
    published: Published = field(default_factory=Published)
    language: str | None = None
    input_format: str = "text"  # text | html | jsonl | csv
    encoding: str = "utf-8"
    lines: tuple[Line, ...] = ()
    segments: tuple[Segment, ...] = ()
    # Where title, byline, dateline, outlet and wire were read (offsets into ``original``).
    meta_evidence: tuple[tuple[str, Evidence], ...] = ()

    def original_offset(self, offset: int) -> int:
        """Map an offset into ``text`` to the matching offset into ``original``."""
        if not self.segments:
            raise ValueError(f"document {self.id[:12]} has no offset map")
        lo, hi = 0, len(self.segments) - 1
        while lo < hi:  # last segment starting at or before offset
            mid = (lo + hi + 1) // 2
            if self.segments[mid].clean <= offset:
                lo = mid
            else:
                hi = mid - 1
        segment = self.segments[lo]
        return segment.orig + min(max(offset - segment.clean, 0), segment.length)


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that was not turned into a document, and why."""

    source: str
    reason: str  # a short code: empty, binary, too_large, bad_encoding, malformed_record, ...
    message: str  # what failed, the value, and how to fix it
    source_id: str | None = None
    line: int | None = None  # line number in JSONL/CSV input


# ---------------------------------------------------------------------------------------
# Extraction records. They follow DESIGN's contract; the stages that fill them come later.


ClaimKind = Literal["fatalities", "injuries", "captured", "released", "missing"]
CLAIM_KINDS: tuple[str, ...] = ("fatalities", "injuries", "captured", "released", "missing")


@dataclass(frozen=True, slots=True)
class Claimant:
    """Who gives a number. ``name`` is the originating claimant; ``chain`` the relays from
    the outermost (the outlet's own words, "AFP reported") to the origin, inclusive, when the
    text nests attributions ("AFP, citing the Observatory, said ...")."""

    name: str
    type: str  # state_military | state_official | local_authority | armed_group | ...
    alignment: Literal["self", "adversary", "neutral", "unknown"] = "unknown"
    id: str | None = None  # knowledge-base id of the claimant, when it resolved to one
    chain: tuple[str, ...] = ()
    span: tuple[int, int] | None = None  # where the claimant is named


@dataclass(frozen=True, slots=True)
class Claim:
    """One number as one claimant gives it. ``high`` is None when open-ended ("at least 17",
    "dozens") and equal to ``low`` for an exact figure."""

    low: int
    high: int | None
    qualifier: Literal["exact", "at_least", "more_than", "up_to", "around"]
    side: str  # canonical actor name, "civilians", "mixed" or "unknown"
    claimed_by: Claimant
    span: tuple[int, int]
    text: str
    # "subset": part of another figure of the same event ("including 7 children");
    # "total": a sum of other figures; None: a figure of its own.
    scope: Literal["subset", "total"] | None = None
    side_id: str | None = None  # knowledge-base id of the side, when it is an actor


@dataclass(frozen=True, slots=True)
class ActorRef:
    name: str
    mention: str
    span: tuple[int, int]
    role: Literal["initiator", "target", "other"]
    actor_type: int | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    mention: str
    span: tuple[int, int]
    precision: Literal[1, 2, 3]
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class EventDate:
    start: str | None
    end: str | None
    precision: Literal["day", "week", "month", "year"] | None
    mention: str | None
    span: tuple[int, int] | None
    anchor: str | None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    document_id: str
    type: str
    subtype: str
    actors: tuple[ActorRef, ...] = ()
    location: Location | None = None
    date: EventDate | None = None
    fatalities: tuple[Claim, ...] = ()
    injuries: tuple[Claim, ...] = ()
    captured: tuple[Claim, ...] = ()
    released: tuple[Claim, ...] = ()
    missing: tuple[Claim, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    confidence: float = 0.0


# ---------------------------------------------------------------------------------------
# Incidents: one real-world event across reports.


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """A claim as an incident uses it: the claim and where it comes from."""

    event_id: str
    document_id: str
    kind: str  # fatalities | injuries | captured | released | missing
    claim: Claim


@dataclass(frozen=True, slots=True)
class Estimate:
    """Reconciled figures (UCDP GED style): ``best`` from the most credible independent
    claim, ``low`` the lowest credible figure, ``high`` the highest claim. None: no figure.
    ``claims`` are every claim it drew on; ``rule`` says how ``best`` was chosen."""

    low: int | None = None
    best: int | None = None
    high: int | None = None
    claims: tuple[ClaimRef, ...] = ()
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Figures:
    """The estimate of one kind (fatalities, injuries) in total and per side."""

    low: int | None = None
    best: int | None = None
    high: int | None = None
    by_side: tuple[tuple[str, Estimate], ...] = ()
    claims: tuple[ClaimRef, ...] = ()
    rule: str = ""


@dataclass(frozen=True, slots=True)
class ContradictionValue:
    value: str  # as an analyst reads it: "13", "up to 120", "Islamic State", "2015-05-24"
    claimed_by: Claimant | None
    document_id: str
    event_id: str
    span: tuple[int, int] | None
    text: str


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Sources that disagree on one field of an incident: ``fatalities`` (optionally
    ``fatalities:<side>``), ``injuries``, ``initiator``, ``location`` or ``date``."""

    field: str
    values: tuple[ContradictionValue, ...]
    summary: str  # one line: "fatalities of Hezbollah: 13 (Nasrallah, armed_group, self) vs up to 120 (...)"


@dataclass(frozen=True, slots=True)
class Source:
    """One report behind an incident, and the independent source it counts as: wire copies
    and outlets relaying one claimant share a ``group``."""

    document_id: str
    outlet: str | None
    wire: str | None
    group: str


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    event_ids: tuple[str, ...]
    document_ids: tuple[str, ...]
    type: str
    subtype: str
    actors: tuple[ActorRef, ...] = ()
    location: Location | None = None
    date: EventDate | None = None
    fatalities: Figures = field(default_factory=Figures)
    injuries: Figures = field(default_factory=Figures)
    sources: tuple[Source, ...] = ()
    independent_sources: int = 0
    contradictions: tuple[Contradiction, ...] = ()
    confidence: float = 0.0


def to_dict(record: Any) -> Any:
    """A record as JSON-ready values (tuples become lists, nested records dicts)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, (list, tuple)):
        return [to_dict(item) for item in record]
    if isinstance(record, dict):
        return {key: to_dict(value) for key, value in record.items()}
    return record


def document_from_dict(data: dict[str, Any]) -> Document:
    """Rebuild a Document from :func:`to_dict` output (as read back from the store)."""
    values = dict(data)
    published = values.get("published") or {}
    evidence = published.get("evidence")
    values["published"] = Published(
        date=published.get("date"),
        source=published.get("source", "unknown"),
        evidence=Evidence(**evidence) if evidence else None,
    )
    values["lines"] = tuple(Line(**line) for line in values.get("lines", ()))
    values["segments"] = tuple(Segment(**segment) for segment in values.get("segments", ()))
    values["meta_evidence"] = tuple(
        (name, Evidence(**evidence)) for name, evidence in values.get("meta_evidence", ())
    )
    return Document(**values)


def _build(hint: Any, value: Any) -> Any:
    """``value`` (from :func:`to_dict`) rebuilt as the type ``hint`` describes."""
    import types
    import typing

    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [h for h in typing.get_args(hint) if h is not type(None)]
        for option in options:
            if dataclasses.is_dataclass(option) and isinstance(value, dict):
                return _build(option, value)
        return _build(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], item) for item in value)
        return tuple(_build(arg, item) for arg, item in zip(args, value))
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return from_dict(hint, value)
    return value


@functools.lru_cache(maxsize=64)
def _fields_of(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """The resolved type hints and field names of a record class (resolving is slow)."""
    import typing

    return typing.get_type_hints(cls), frozenset(f.name for f in dataclasses.fields(cls))


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Rebuild a record of type ``cls`` (Event, Incident, Claim, ...) from :func:`to_dict`
    output. Unknown keys are refused, so a record written by a newer version is not
    silently cut."""
    hints, names = _fields_of(cls)
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
    return cls(**{key: _build(hints[key], value) for key, value in data.items()})
