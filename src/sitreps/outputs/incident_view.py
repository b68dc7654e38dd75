"""Incidents as an analyst reads them at a terminal: one line each for a listing, a short
page for one incident (figures with the claims behind them, contradictions, sources), and
the filters of ``sitreps incidents list``. Pure functions over Incident records; the CLI
prints what they return.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Iterator

from ..records import Claim, Estimate, Figures, Incident
from .exports import EVENT_TYPE_LABELS, SUBTYPE_LABELS, claim_value

__all__ = ["incident_line", "incident_page", "matches", "select_incidents"]

_KEY = re.compile(r"[^a-z0-9]+")


def _key(value: str) -> str:
    """"Explosions/Remote violence" and "explosions_remote_violence" alike."""
    return _KEY.sub("_", value.casefold()).strip("_")


_TYPE_KEYS = {_key(label): name for name, label in {**EVENT_TYPE_LABELS, **SUBTYPE_LABELS}.items()}


def safe(text: str | None, limit: int | None = None) -> str:
    """Text from articles made safe for a terminal: control characters (escape sequences
    included) become spaces, runs of whitespace one space; cut to ``limit`` with "…"."""
    if not text:
        return ""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    cleaned = " ".join(cleaned.split())
    if limit is not None and len(cleaned) > limit:
        return cleaned[: max(limit - 1, 0)] + "…"
    return cleaned


def matches(
    incident: Incident,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    country: str | None = None,
    actor: str | None = None,
    type: str | None = None,
) -> bool:
    """Whether ``incident`` passes the filters: dates that overlap ``date_from`` ..
    ``date_to`` (ISO, inclusive; an undated incident passes no date filter), the country
    (ISO alpha-2), an actor whose name contains ``actor`` (or whose id is ``actor``), and
    a type or sub-type (snake_case or ACLED's label)."""
    if date_from or date_to:
        date = incident.date
        start = (date.start or date.end) if date else None
        end = (date.end or date.start) if date else None
        if start is None or end is None:
            return False
        if date_from and end < date_from:
            return False
        if date_to and start > date_to:
            return False
    if country:
        if incident.location is None or (incident.location.country or "").upper() != country.upper():
            return False
    if actor:
        needle = actor.casefold()
        if not any(needle in a.name.casefold() or needle == (a.id or "").casefold() for a in incident.actors):
            return False
    if type:
        wanted = _TYPE_KEYS.get(_key(type), _key(type))
        if wanted not in (incident.type, incident.subtype):
            return False
    return True


def select_incidents(
    incidents: Iterable[Incident],
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    country: str | None = None,
    actor: str | None = None,
    type: str | None = None,
    limit: int | None = None,
) -> Iterator[Incident]:
    """The incidents that pass :func:`matches`, at most ``limit`` of them, in the given order."""
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be at least 0, not {limit}")
    taken = 0
    for incident in incidents:
        if limit is not None and taken >= limit:
            return
        if matches(incident, date_from=date_from, date_to=date_to, country=country, actor=actor, type=type):
            taken += 1
            yield incident


def _range(low: int | None, best: int | None, high: int | None) -> str:
    if best is None and low is None and high is None:
        return "-"
    if low == best == high:
        return str(best)
    return f"{best if best is not None else '?'} ({'-' if low is None else low}-{'-' if high is None else high})"


def _label(incident: Incident) -> str:
    return SUBTYPE_LABELS.get(incident.subtype) or EVENT_TYPE_LABELS.get(incident.type) or incident.subtype or incident.type


def _when(incident: Incident) -> str:
    date = incident.date
    if date is None or not (date.start or date.end):
        return "undated"
    if date.start == date.end or not date.end:
        return date.start or ""
    return f"{date.start}..{date.end}" if date.start else f"..{date.end}"


def _where(incident: Incident) -> str:
    location = incident.location
    if location is None:
        return "unlocated"
    return ", ".join(safe(part) for part in (location.name, location.admin1, location.country) if part)


def incident_line(incident: Incident) -> str:
    """One line of ``sitreps incidents list``: id, date, country, what, where, killed
    (best, low-high), sources (independent/all), contradictions (!), actors."""
    fatalities = incident.fatalities
    country = (incident.location.country if incident.location else None) or "--"
    actors = " vs ".join(
        safe(a.name) for a in incident.actors if a.role in ("initiator", "target")
    ) or "; ".join(safe(a.name) for a in incident.actors)
    flag = f"!{len(incident.contradictions)}" if incident.contradictions else ""
    return (
        f"{incident.id[:12]}  {_when(incident)[:22]:22}  {country:2}  {safe(_label(incident), 28):28}  "
        f"{safe(_where(incident), 24):24}  killed {_range(fatalities.low, fatalities.best, fatalities.high):11}  "
        f"src {incident.independent_sources}/{len(incident.document_ids)}  {flag:3}  {safe(actors, 60)}"
    )


def _claimant(claim: Claim) -> str:
    by = claim.claimed_by
    via = f" via {' > '.join(safe(n) for n in by.chain[:-1])}" if len(by.chain) > 1 else ""
    return f"{safe(by.name)} ({by.type}, {by.alignment}){via}"


def _figure_lines(name: str, figures: Figures) -> list[str]:
    if figures.best is None and figures.low is None and figures.high is None and not figures.claims:
        return []
    lines = [
        f"{name:11} best {figures.best if figures.best is not None else '-'}   "
        f"low {figures.low if figures.low is not None else '-'}   high {figures.high if figures.high is not None else '-'}"
        + (f"   ({safe(figures.rule, 90)})" if figures.rule else "")
    ]
    sides: list[tuple[str, Estimate]] = list(figures.by_side)
    for side, estimate in sides:
        lines.append(f"  {safe(side, 30):30} best {estimate.best if estimate.best is not None else '-'}   "
                     f"low {estimate.low if estimate.low is not None else '-'}   "
                     f"high {estimate.high if estimate.high is not None else '-'}")
    for ref in figures.claims:
        claim = ref.claim
        side = "" if claim.side in ("unknown", "mixed") else f" {safe(claim.side)}"
        lines.append(
            f"    {safe(claim_value(claim) + side, 40):40} {_claimant(claim):50} "
            f"[{ref.document_id[:12]}] \"{safe(claim.text, 70)}\""
        )
    return lines


def incident_page(incident: Incident, *, outlets_by_document: dict[str, str] | None = None) -> str:
    """``sitreps incidents show``: what, when, where, who; the reconciled figures with every
    claim they drew on (value, side, claimant with its type and alignment, report, quote);
    the contradictions; the sources and the independent source each counts as."""
    lines = [
        f"incident {incident.id}",
        f"  what       {safe(_label(incident))} ({incident.type} / {incident.subtype})",
        f"  when       {_when(incident)}"
        + (f" ({incident.date.precision})" if incident.date and incident.date.precision else "")
        + (f"  \"{safe(incident.date.mention, 60)}\"" if incident.date and incident.date.mention else ""),
    ]
    location = incident.location
    if location is not None:
        where = _where(incident) + f" (precision {location.precision})"
        if location.lat is not None and location.lon is not None:
            where += f" at {location.lat:.4f},{location.lon:.4f}"
        lines.append(f"  where      {where}")
    else:
        lines.append("  where      unlocated")
    for role in ("initiator", "target", "other"):
        names = [safe(a.name) + (f" [inter {a.actor_type}]" if a.actor_type else "") for a in incident.actors if a.role == role]
        if names:
            lines.append(f"  {role + 's':10} {'; '.join(dict.fromkeys(names))}")
    figures = _figure_lines("killed", incident.fatalities) + _figure_lines("injured", incident.injuries)
    if figures:
        lines.append("")
        lines.extend(f"  {line}" for line in figures)
    if incident.contradictions:
        lines.append("")
        lines.append(f"  CONTRADICTIONS ({len(incident.contradictions)})")
        for contradiction in incident.contradictions:
            lines.append(f"  ! {safe(contradiction.summary or contradiction.field, 200)}")
            for value in contradiction.values:
                who = (
                    f"{safe(value.claimed_by.name)} ({value.claimed_by.type}, {value.claimed_by.alignment})"
                    if value.claimed_by
                    else "the report"
                )
                lines.append(
                    f"      {safe(value.value, 24):24} {who:52} [{value.document_id[:12]}] \"{safe(value.text, 60)}\""
                )
    lines.append("")
    lines.append(
        f"  sources    {len(incident.document_ids)} report{'s' * (len(incident.document_ids) != 1)}, "
        f"{incident.independent_sources} independent"
    )
    listed = set()
    for source in sorted(incident.sources, key=lambda s: (s.group, s.document_id)):
        outlet = source.outlet or (outlets_by_document or {}).get(source.document_id) or "-"
        wire = f" (wire: {safe(source.wire)})" if source.wire else ""
        lines.append(f"    {source.document_id[:12]}  {safe(outlet, 30) + wire:40} group {safe(source.group, 40)}")
        listed.add(source.document_id)
    for document_id in incident.document_ids:
        if document_id not in listed:
            lines.append(f"    {document_id[:12]}  {safe((outlets_by_document or {}).get(document_id) or '-', 40):40}")
    lines.append(f"  events     {', '.join(e[:12] for e in incident.event_ids)}")
    return "\n".join(lines)
