"""Reconciled figures of an incident: low / best / high per side and in total, UCDP GED style.

The rule (``docs/INCIDENTS.md`` says it in prose):

- Claims that are ``scope="subset"`` (part of another figure: "including 7 children") are
  listed but never counted. Wire copies of one claim (same source group, claimant and
  number) count once.
- A claim's value: ``exact`` and ``around`` N -> N; ``at_least`` N -> N; ``more_than`` N ->
  N + 1; an explicit range low-high -> low (and high for the high estimate); ``up_to`` N
  counts for ``high`` only.
- Credibility ranks: 0 UN or monitor/NGO; 1 media, reporter, local sources, and officials or
  authorities not party to the fighting (alignment neutral or unknown); 2 a party about its
  own side; 3 a party of unknown alignment; 4 a party about its enemy.
- Per side: ``best`` = the highest value among claims of the most credible rank present
  (tolls rise as the wounded die, so an earlier lower figure of equal standing is taken as
  superseded); ``low`` = the lowest value among claims of ranks 0-3 (all ranks when only
  enemy claims exist), never above best; ``high`` = the highest claim of any kind, never
  below best.
- Sides ``mixed`` and ``unknown`` are totals across sides, not a side. The incident total is
  the sum over the named sides (per bound), unless a total claim of rank 0-2 gives a higher
  best (or no side has a figure): then the total's low and best are used. High is always the
  larger of the sum of the sides' highs and the highest total claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..records import Claim, ClaimRef, Estimate, Figures

TOTAL_SIDES = ("mixed", "unknown")
_NEUTRAL_TYPES = {"un": 0, "monitor_ngo": 0}
_OWN_VOICE_TYPES = {"media", "reporter", "local_source", "multiple"}
_PARTY_TYPES = {"state_military", "armed_group", "partisan_media", "state_official", "local_authority"}


def credibility(claim: Claim) -> int:
    """The credibility rank of a claim: 0 (most credible) to 4 (a party about its enemy)."""
    claimant = claim.claimed_by
    if claimant.type in _NEUTRAL_TYPES:
        return 0
    if claimant.type in _OWN_VOICE_TYPES:
        return 1
    if claimant.type in _PARTY_TYPES or claimant.type:
        if claimant.alignment == "self":
            return 2
        if claimant.alignment == "adversary":
            return 4
        if claimant.alignment == "neutral":
            return 1
        # Officials and authorities of unknown alignment mostly speak of crimes and accidents
        # they are not party to (police about a shooting); fighting parties may be.
        return 1 if claimant.type in ("local_authority", "state_official") else 3
    return 1


def point(claim: Claim) -> int | None:
    """The value a claim gives ``best`` and ``low``; None for ``up_to`` (high only)."""
    if claim.qualifier == "up_to":
        return None
    if claim.qualifier == "more_than":
        return claim.low + 1
    return claim.low


def ceiling(claim: Claim) -> int:
    """The value a claim gives ``high``."""
    if claim.high is not None and claim.qualifier != "more_than":
        return max(claim.high, claim.low)
    return point(claim) if point(claim) is not None else claim.low  # type: ignore[return-value]


def describe_rank(rank: int) -> str:
    return ("UN or monitor", "media or independent source", "a party about itself",
            "a party of unknown alignment", "a party about its enemy")[rank]  # fmt: skip


def estimate(refs: Sequence[ClaimRef], groups: Mapping[str, str] | None = None) -> Estimate:
    """The low / best / high of the claims ``refs`` (one side, or totals), by the rule above.
    ``groups`` maps document ids to source groups (wire copies count once)."""
    groups = groups or {}
    counted: list[ClaimRef] = []
    seen: set[tuple] = set()
    for ref in refs:
        claim = ref.claim
        if claim.scope == "subset":
            continue
        key = (groups.get(ref.document_id, ref.document_id), claim.claimed_by.id or claim.claimed_by.name,
               claim.low, claim.high, claim.qualifier)  # fmt: skip
        if key in seen:
            continue
        seen.add(key)
        counted.append(ref)
    if not counted:
        return Estimate(claims=tuple(refs), rule="no counted claim (only subsets)" if refs else "")
    pointed = [(credibility(r.claim), point(r.claim), r) for r in counted if point(r.claim) is not None]
    high = max(ceiling(r.claim) for r in counted)
    if not pointed:
        return Estimate(low=None, best=None, high=high, claims=tuple(refs), rule="only 'up to' claims: high only")
    top = min(rank for rank, _, _ in pointed)
    best = max(value for rank, value, _ in pointed if rank == top)
    credible = [value for rank, value, _ in pointed if rank <= 3] or [value for _, value, _ in pointed]
    low = min(min(credible), best)
    high = max(high, best)
    return Estimate(
        low=low, best=best, high=high, claims=tuple(refs),
        rule=f"best from {describe_rank(top)} ({sum(1 for rank, _, _ in pointed if rank == top)} claim(s))",
    )  # fmt: skip


def side_of(claim: Claim) -> str:
    """The side a claim counts for; totals across sides are ``mixed``."""
    return "mixed" if claim.side in TOTAL_SIDES or claim.side == "" else claim.side


def reconcile(refs: Iterable[ClaimRef], groups: Mapping[str, str] | None = None) -> Figures:
    """Figures of one kind (fatalities or injuries) in total and per side."""
    refs = sorted(refs, key=lambda r: (r.document_id, r.event_id, r.claim.span, r.claim.low))
    if not refs:
        return Figures()
    by_side: dict[str, list[ClaimRef]] = {}
    for ref in refs:
        by_side.setdefault(side_of(ref.claim), []).append(ref)
    sides = {side: estimate(side_refs, groups) for side, side_refs in sorted(by_side.items()) if side != "mixed"}
    total = estimate(by_side.get("mixed", []), groups) if "mixed" in by_side else None

    def add(values: Iterable[int | None]) -> int | None:
        numbers = [v for v in values if v is not None]
        return sum(numbers) if numbers else None

    low = add(e.low for e in sides.values())
    best = add(e.best for e in sides.values())
    high = add(e.high if e.high is not None else e.best for e in sides.values())
    rule = "sum over sides" if sides else ""
    if total is not None and total.best is not None:
        counted_total = [r for r in by_side["mixed"] if r.claim.scope != "subset" and point(r.claim) is not None]
        total_rank = min(credibility(r.claim) for r in counted_total)
        if best is None or (total.best > best and total_rank <= 2):
            low = total.low
            best = total.best
            high = max(high or 0, total.high or 0) or None
            rule = f"total claim ({total.rule})"
    if total is not None and total.high is not None:
        high = max(high or 0, total.high)
    if best is not None:
        low = min(low if low is not None else best, best)
        high = max(high if high is not None else best, best)
    by = tuple(sides.items())
    if total is not None:
        by = by + (("mixed", total),)
    return Figures(low=low, best=best, high=high, by_side=by, claims=tuple(refs), rule=rule)
