"""Which reports of an incident are independent sources.

Reports are joined into one source group when:

1. they carry one wire agency's story: ``Document.wire`` is set, or the text opens with an
   agency credit such as "(AFP)", "(Reuters)", "- Reuters" (group ``wire:<agency>``);
2. their bodies are near-identical: Jaccard of 4-word shingles >= 0.8 (a copy republished
   with another headline or footer);
3. every casualty figure they give comes from one and the same claimant other than the
   reporter itself (outlets relaying the Observatory, or one police statement), group
   ``claimant:<name>``.

A report matching none of these is its own group (``document:<first 12 hex of its id>``).
``independent_sources`` is the number of groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ..records import Document, Event, Source
from .similarity import fold, jaccard, shingles

NEAR_DUPLICATE = 0.8
# Agency credits in the first characters of a text: "(AFP) -", "BEIRUT (Reuters) -", "— AP".
_AGENCIES = {
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "reuters": "Reuters", "ap": "AP", "associated press": "AP", "dpa": "dpa",
    "xinhua": "Xinhua", "anadolu": "Anadolu", "efe": "EFE", "ansa": "ANSA", "upi": "UPI",
}  # fmt: skip
_CREDIT = re.compile(
    r"\((AFP|Reuters|AP|dpa|Xinhua|Anadolu|EFE|ANSA|UPI|Agence France-Presse|Associated Press)\)"
    r"|^\s*(?:[A-Z][A-Za-z .'-]{1,40},?\s+)?[-–—]\s*(AFP|Reuters|AP)\b",
    re.MULTILINE,
)
_HEAD = 400
# Claimants that are the outlet's own voice: relaying them is not repeating another source.
_OWN_VOICE = {"reporter", "media", "multiple"}


def wire_of(document: Document) -> str | None:
    """The wire agency a document carries: ``Document.wire``, else a credit in its opening."""
    if document.wire:
        return _AGENCIES.get(fold(document.wire).strip(), document.wire.strip())
    match = _CREDIT.search(document.text[:_HEAD])
    if match is None:
        return None
    name = match.group(1) or match.group(2)
    return _AGENCIES.get(fold(name), name)


def source_groups(
    documents: Sequence[Document], events: Iterable[Event] = ()
) -> tuple[Source, ...]:
    """One Source per document (sorted by document id), with the group it counts in."""
    ordered = sorted({d.id: d for d in documents}.values(), key=lambda d: d.id)
    parent = {d.id: d.id for d in ordered}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    wires = {d.id: wire_of(d) for d in ordered}
    by_wire: dict[str, str] = {}
    for d in ordered:
        if wires[d.id]:
            union(d.id, by_wire.setdefault(wires[d.id], d.id))  # type: ignore[index]
    texts = {d.id: shingles(d.text) for d in ordered}
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            # Two reports already in one group (one wire, or copies met before) need no
            # comparison: joining them would change nothing.
            if find(a.id) != find(b.id) and jaccard(texts[a.id], texts[b.id]) >= NEAR_DUPLICATE:
                union(a.id, b.id)
    claimants = _sole_claimants(events)
    by_claimant: dict[str, str] = {}
    for d in ordered:
        claimant = claimants.get(d.id)
        if claimant:
            union(d.id, by_claimant.setdefault(claimant, d.id))
    members: dict[str, list[str]] = {}
    for d in ordered:
        members.setdefault(find(d.id), []).append(d.id)
    labels: dict[str, str] = {}
    for root, ids in members.items():
        agencies = sorted({wires[i] for i in ids if wires[i]})  # type: ignore[type-var]
        names = sorted({claimants[i] for i in ids if claimants.get(i)})
        if agencies:
            label = f"wire:{agencies[0]}"
        elif names and len(ids) > 1:
            label = f"claimant:{names[0]}"
        else:
            label = f"document:{root[:12]}"
        labels[root] = label
    return tuple(
        Source(document_id=d.id, outlet=d.outlet, wire=wires[d.id], group=labels[find(d.id)]) for d in ordered
    )


def _sole_claimants(events: Iterable[Event]) -> Mapping[str, str]:
    """Documents whose every casualty figure comes from one claimant not the outlet's own voice."""
    seen: dict[str, set[str]] = {}
    for event in events:
        for claims in (event.fatalities, event.injuries, event.captured, event.released, event.missing):
            for claim in claims:
                claimant = claim.claimed_by
                key = "" if claimant.type in _OWN_VOICE else (claimant.id or fold(claimant.name).strip())
                seen.setdefault(event.document_id, set()).add(key)
    return {doc: next(iter(keys)) for doc, keys in seen.items() if len(keys) == 1 and "" not in keys}


def count_independent(sources: Iterable[Source]) -> int:
    """How many separate source groups stand behind the sources."""
    return len({source.group for source in sources})
