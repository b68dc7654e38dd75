"""``seeds-clusters``: incidents across the five seed articles against ``seed_clusters.json``.

The seeds README, "How to score" point 5 and the acceptance checks of "Reference numbers".
The extractor runs on each seed article in Mode B (the gold ``published`` date given when not
null), and :func:`sitreps.cluster.cluster_events` groups the events of all five together.

**Scoring.** Each article's events are matched to its gold events with the ``seeds-events``
matching (:func:`~sitreps.evaluate.seeds_events.match_events`, strict). A matched gold event
takes the incident of its prediction as its predicted cluster; its gold cluster is its group
in ``seed_clusters.json``, or itself alone. Only matched gold events are scored (the matching
itself is ``seeds-events``' business): ``pairwise_*`` over pairs of them from different
articles (the clusterer never joins two distinct events of one report, and the gold's
clusters do), ``bcubed_*`` over all of them, next to ``bcubed_f1_singletons`` (every event
alone). The ``*_certain`` metrics drop the ``probable`` clusters of the gold: their members
count as singletons. A precision or recall with nothing to count is left out; pairwise F1 is
2TP / (2TP + FP + FN).

**Acceptance checks** (1 passed, 0 failed; ``details["checks"]`` says why), each naming its
gold figures by (article, event index, kind, figure index) in :data:`CHECKS`, so the numbers,
sides and claimants come from the gold files:

- ``hezbollah_contradiction``: some incident's fatalities contradiction, on the figures' side,
  lists both of ``seed_002``'s disputed Hezbollah figures, each with its number and claimant.
- ``isis_capture_cluster``: an event of ``seed_002`` and one of ``seed_003`` holding the
  captured figure of about 47 fall in one incident, each figure still a claim of its own,
  and no event of ``seed_000`` holding its "around 50" capture is in that incident.
- ``hezbollah_18_cluster``: the two "18 Hezbollah killed" claims (``seed_002``,
  ``seed_003``) are in one incident, and its reconciled fatalities keep both claims.
- ``footer_no_events``: no event of ``seed_003`` has evidence that names the subject of its
  "Related Posts" footer.

An event *holds* a gold figure when one of its claims of that kind has the figure's number
and side; the contradiction check also wants the claimant right (the README's attribution
rule). ``details["incidents"]`` lists every incident's members (article, type, place, date,
matched gold event), the multi-event ones first.

Everything but :func:`run` is a pure function of gold dicts and records, tested by hand.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Claimant, Document, Event, Incident
from .base import Benchmark, bcubed, read_json, result
from .seeds import read_seeds
from .seeds_events import claimant_correct, gold_side, match_events, normalize, plain_claimant_names, predicted_view

if TYPE_CHECKING:
    from ..config import Settings

NAME = "seeds-clusters"
CLUSTERS_FILE = "seed_clusters.json"
PROBABLE = "probable"

# A gold figure: (article, index of the event in its gold file, kind, index in that list).
FigureRef = tuple[str, int, str, int]

CHECKS: dict[str, dict[str, Any]] = {
    # Nasrallah's 13 Hezbollah dead against opposition media's "up to 120".
    "hezbollah_contradiction": {"disputed": [("seed_002", 9, "fatalities", 0), ("seed_002", 9, "fatalities", 2)]},
    # About 47 ISIS fighters captured (seed_002, seed_003); seed_000's "around 50" stays out.
    "isis_capture_cluster": {
        "together": [("seed_002", 3, "captured", 0), ("seed_003", 4, "captured", 0)],
        "apart": [("seed_000", 1, "captured", 0)],
    },
    # 18 Hezbollah killed, per SOHR (seed_002) and per the Nusra-led coalition (seed_003).
    "hezbollah_18_cluster": {"together": [("seed_002", 8, "fatalities", 1), ("seed_003", 2, "fatalities", 1)]},
    # seed_003's "Related Posts" footer is about the 2020 killing of Soleimani.
    "footer_no_events": {"article": "seed_003", "word": "Soleimani"},
}

# A matched gold event, as "seed_002#3".
GoldKey = str
ClaimantNames = Callable[[str, Claimant], Iterable[str]]  # (document id, claimant) -> names


def gold_key(article: str, index: int) -> GoldKey:
    return f"{article}#{index}"


def article_of(key: GoldKey) -> str:
    return key.rsplit("#", 1)[0]


def plain_names(document_id: str, claimant: Claimant) -> tuple[str, ...]:
    return plain_claimant_names(claimant)


# --- gold and predicted clusters ----------------------------------------------------------------


def gold_labels(golds: Mapping[str, Mapping[str, Any]], clusters: Sequence[Mapping[str, Any]], *, probable: bool = True) -> dict[GoldKey, str]:
    """Every gold event's cluster: its group in ``clusters`` (``seed_clusters.json``'s list),
    else its own key. ``probable`` false leaves out the groups marked probable."""
    labels = {gold_key(article, i): gold_key(article, i) for article, gold in golds.items() for i, _ in enumerate(gold.get("events") or ())}
    for cluster in clusters:
        if not probable and cluster.get("confidence") == PROBABLE:
            continue
        for article, index in cluster.get("members") or ():
            key = gold_key(article, index)
            if key in labels:
                labels[key] = str(cluster.get("cluster"))
    return labels


def matched_events(golds: Mapping[str, Mapping[str, Any]], events: Mapping[str, Sequence[Event]]) -> dict[GoldKey, Event]:
    """Each article's gold events matched to its events (the ``seeds-events`` strict matching)."""
    matched = {}
    for article, gold in golds.items():
        predictions = list(events.get(article, ()))
        views = [predicted_view(event, i) for i, event in enumerate(predictions)]
        for g, p, _ in match_events(list(gold.get("events") or ()), views).pairs:
            matched[gold_key(article, g)] = predictions[p]
    return matched


def incident_of_events(incidents: Iterable[Incident]) -> dict[str, Incident]:
    return {event_id: incident for incident in incidents for event_id in incident.event_ids}


# --- scores ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairScore:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float | None:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else None

    @property
    def f1(self) -> float | None:
        counted = 2 * self.true_positives + self.false_positives + self.false_negatives
        return 2 * self.true_positives / counted if counted else None


def pairwise_across(predicted: Mapping[GoldKey, str], gold: Mapping[GoldKey, str], *, group: Callable[[GoldKey], str] = article_of) -> PairScore:
    """Pairs of items put in one cluster, over pairs whose items lie in different ``group``s
    (articles); scored on the items of ``predicted``."""
    items = sorted(predicted)
    tp = fp = fn = 0
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if group(a) == group(b):
                continue
            same_predicted, same_gold = predicted[a] == predicted[b], gold[a] == gold[b]
            tp += same_predicted and same_gold
            fp += same_predicted and not same_gold
            fn += same_gold and not same_predicted
    return PairScore(tp, fp, fn)


def cluster_scores(predicted: Mapping[GoldKey, str], gold: Mapping[GoldKey, str], *, suffix: str = "") -> dict[str, float | int | None]:
    """Pairwise (across articles) and B-cubed scores, and the B-cubed F1 of putting every
    item alone (the baseline a clusterer has to beat), their names ending in ``suffix``."""
    pairs = pairwise_across(predicted, gold)
    precision, recall, f1 = bcubed(predicted, gold)
    _, _, alone = bcubed({item: item for item in predicted}, gold)
    return {
        f"pairwise_precision{suffix}": pairs.precision, f"pairwise_recall{suffix}": pairs.recall,
        f"pairwise_f1{suffix}": pairs.f1, f"gold_pairs{suffix}": pairs.true_positives + pairs.false_negatives,
        f"predicted_pairs{suffix}": pairs.true_positives + pairs.false_positives,
        f"bcubed_precision{suffix}": precision, f"bcubed_recall{suffix}": recall, f"bcubed_f1{suffix}": f1,
        f"bcubed_f1_singletons{suffix}": alone,
    }  # fmt: skip


# --- acceptance checks ------------------------------------------------------------------------------


# Kinds an Incident reconciles (its ``Figures`` keep every claim they drew on).
_RECONCILED = ("fatalities", "injuries")


@dataclass(frozen=True, slots=True)
class Check:
    passed: bool
    reason: str


def _describe(article: str, kind: str, figure: Mapping[str, Any]) -> str:
    qualifier = (figure.get("qualifier") or "exact").replace("_", " ")
    qualifier = "" if qualifier == "exact" else qualifier + " "
    return f"{article} {kind} {qualifier}{figure.get('count_low')} {figure.get('side')} ({figure.get('claimed_by')})"


def holders(events: Sequence[Event], kind: str, figure: Mapping[str, Any]) -> list[tuple[Event, int]]:
    """(event, claim index) of every claim of ``kind`` with the gold figure's number and side."""
    side = normalize(figure.get("side") or "unknown")
    return [
        (event, i)
        for event in events
        for i, claim in enumerate(getattr(event, kind))
        if claim.low == figure.get("count_low") and normalize(gold_side(claim.side, claim.side_id)) == side
    ]


def check_together(
    incidents: Sequence[Incident],
    events: Mapping[str, Sequence[Event]],
    together: Sequence[tuple[str, str, Mapping[str, Any]]],
    apart: Sequence[tuple[str, str, Mapping[str, Any]]] = (),
) -> Check:
    """The figures ``together`` ((article, kind, gold figure)) are held by events of one
    incident, each as a claim of its own (and, for fatalities and injuries, each among the
    incident's reconciled claims); no event holding a figure of ``apart`` is in it."""
    found = []
    for article, kind, figure in together:
        held = holders(events.get(article, ()), kind, figure)
        if not held:
            return Check(False, f"no event of {article} holds {_describe(article, kind, figure)}")
        found.append(held)
    of_event = incident_of_events(incidents)
    shared = set.intersection(*({of_event[e.id].id for e, _ in held if e.id in of_event} for held in found))
    if not shared:
        where = "; ".join(
            f"{_describe(article, kind, figure)} in incident(s) {sorted({of_event[e.id].id[:8] for e, _ in held if e.id in of_event})}"
            for (article, kind, figure), held in zip(together, found)
        )
        return Check(False, f"not in one incident: {where}")
    by_id = {incident.id: incident for incident in incidents}
    event_by_id = {event.id: event for held in found for event, _ in held}
    failures = []
    for incident_id in sorted(shared):
        incident = by_id[incident_id]
        members = set(incident.event_ids)
        claims = [{(e.id, i) for e, i in held if e.id in members} for held in found]
        if not _distinct(claims):
            failures.append(f"incident {incident_id[:8]}: the figures are not separate claims")
            continue
        missing = []
        for (article, kind, figure), held in zip(together, claims):
            if kind not in _RECONCILED:
                continue  # captured, released, missing: the incident keeps the events' own claims
            kept = {(ref.event_id, ref.claim) for ref in getattr(incident, kind).claims}
            if not any((e, getattr(event_by_id[e], kind)[i]) in kept for e, i in held):
                missing.append(_describe(article, kind, figure))
        if missing:
            failures.append(f"incident {incident_id[:8]}: reconciled {', '.join(missing)} away")
            continue
        intruders = []
        for article, kind, figure in apart:
            intruders += [_describe(article, kind, figure) for e, _ in holders(events.get(article, ()), kind, figure) if e.id in members]
        if intruders:
            failures.append(f"incident {incident_id[:8]} also holds {', '.join(sorted(set(intruders)))}")
            continue
        absent = [_describe(a, k, f) for a, k, f in apart if not holders(events.get(a, ()), k, f)]
        note = f" ({'; '.join(absent)}: held by no event at all)" if absent else ""
        return Check(True, f"together in incident {incident_id[:8]} ({len(members)} events){note}")
    return Check(False, "; ".join(failures))


def _distinct(claims: Sequence[set[tuple[str, int]]]) -> bool:
    """Each figure can take a claim of its own (a one-to-one choice exists)."""

    def place(k: int, used: frozenset[tuple[str, int]]) -> bool:
        return k == len(claims) or any(c not in used and place(k + 1, used | {c}) for c in claims[k])

    return place(0, frozenset())


_NUMBER = re.compile(r"\d+")


def check_contradiction(
    incidents: Sequence[Incident],
    disputed: Sequence[tuple[str, Mapping[str, Any]]],
    *,
    claimant_names: ClaimantNames = plain_names,
) -> Check:
    """Some incident has a contradiction on ``kind:<side>`` (``disputed`` = (kind, gold figure),
    all of one side) that lists every disputed figure with its number and claimant."""
    closest = ""
    for incident in incidents:
        for contradiction in incident.contradictions:
            kind, _, side = contradiction.field.partition(":")
            wrong_side = [f for k, f in disputed if k != kind or normalize(gold_side(side)) != normalize(f.get("side") or "unknown")]
            if wrong_side:
                continue
            missing = []
            for _, figure in disputed:
                if not any(
                    _NUMBER.findall(value.value)[:1] == [str(figure.get("count_low"))]
                    and value.claimed_by is not None
                    and claimant_correct(figure, claimant_names(value.document_id, value.claimed_by), reporter=value.claimed_by.type == "reporter")
                    for value in contradiction.values
                ):
                    missing.append(f"{figure.get('count_low')} ({figure.get('claimed_by')})")
            if not missing:
                return Check(True, f"incident {incident.id[:8]}: {contradiction.summary}")
            closest = closest or f"incident {incident.id[:8]} lacks {', '.join(missing)}: {contradiction.summary}"
    side = disputed[0][1].get("side") if disputed else "?"
    return Check(False, closest or f"no incident has a {disputed[0][0] if disputed else '?'} contradiction on {side}")


def check_no_events_mention(events: Sequence[Event], word: str) -> Check:
    """No event's evidence names ``word`` (normalised, as whole words)."""
    needle = f" {normalize(word)} "
    hits = [e for e in events if any(needle in f" {normalize(ev.text)} " for ev in e.evidence)]
    if hits:
        return Check(False, f"{len(hits)} event(s) with evidence naming {word!r}: " + "; ".join(f"{e.type}/{e.subtype}" for e in hits))
    return Check(True, f"no event's evidence names {word!r}")


def run_checks(
    golds: Mapping[str, Mapping[str, Any]],
    events: Mapping[str, Sequence[Event]],
    incidents: Sequence[Incident],
    *,
    claimant_names: ClaimantNames = plain_names,
    checks: Mapping[str, Mapping[str, Any]] = CHECKS,
) -> dict[str, Check]:
    """The acceptance checks of ``checks`` (shaped like :data:`CHECKS`)."""

    def figure(ref: FigureRef) -> tuple[str, str, Mapping[str, Any]]:
        article, event, kind, index = ref
        return article, kind, golds[article]["events"][event][kind][index]

    out = {}
    for name, spec in checks.items():
        if "disputed" in spec:
            disputed = [(kind, f) for _, kind, f in map(figure, spec["disputed"])]
            out[name] = check_contradiction(incidents, disputed, claimant_names=claimant_names)
        elif "together" in spec:
            out[name] = check_together(incidents, events, [figure(r) for r in spec["together"]], [figure(r) for r in spec.get("apart", ())])
        else:
            out[name] = check_no_events_mention(events.get(spec["article"], ()), spec["word"])
    return out


# --- details -----------------------------------------------------------------------------------------


def incident_details(incidents: Sequence[Incident], events: Mapping[str, Sequence[Event]], matched: Mapping[GoldKey, Event], labels: Mapping[GoldKey, str]) -> list[dict[str, Any]]:
    """Each incident's members (article, type, place, date, matched gold event and its gold
    cluster) and contradictions; the incidents of several events first."""
    article_of_event = {e.id: article for article, article_events in events.items() for e in article_events}
    event_by_id = {e.id: e for article_events in events.values() for e in article_events}
    gold_of_event = {event.id: key for key, event in matched.items()}
    out = []
    for incident in incidents:
        members = []
        for event_id in incident.event_ids:
            e = event_by_id.get(event_id)
            key = gold_of_event.get(event_id)
            members.append({
                "article": article_of_event.get(event_id), "type": e.type if e else None, "subtype": e.subtype if e else None,
                "place": e.location.name if e and e.location else None, "country": e.location.country if e and e.location else None,
                "date": [e.date.start, e.date.end] if e and e.date else None, "gold": key,
                "gold_cluster": labels.get(key) if key and labels.get(key) != key else None,
                "evidence": e.evidence[0].text[:160] if e and e.evidence else "",
            })  # fmt: skip
        members.sort(key=lambda m: (m["article"] or "", m["gold"] or ""))
        out.append({"incident": incident.id[:12], "events": len(incident.event_ids), "articles": len(incident.document_ids),
                    "members": members, "contradictions": [c.summary for c in incident.contradictions]})
    out.sort(key=lambda d: (-d["events"], d["members"][0]["article"] or "", d["incident"]))
    return out


def gold_cluster_details(clusters: Sequence[Mapping[str, Any]], matched: Mapping[GoldKey, Event], of_event: Mapping[str, Incident]) -> list[dict[str, Any]]:
    """Each gold cluster's members and the incident (or none) their matched events fell in."""
    out = []
    for cluster in clusters:
        members = {}
        for article, index in cluster.get("members") or ():
            key = gold_key(article, index)
            event = matched.get(key)
            members[key] = None if event is None else of_event[event.id].id[:12] if event.id in of_event else "?"
        out.append({"cluster": cluster.get("cluster"), "confidence": cluster.get("confidence"), "incident_of_member": members})
    return out


# --- the benchmark -----------------------------------------------------------------------------------------


def run(data_dir: Path, *, settings: Settings) -> dict[str, Any]:
    from ..actors import default_matcher
    from ..cluster import cluster_events
    from ..extract import Extractor
    from .seeds_events import knowledge_base_names

    extractor = Extractor(settings)
    kb = default_matcher().kb
    seeds = read_seeds(data_dir)
    clusters = list(read_json(data_dir / CLUSTERS_FILE, what="Seed clusters file").get("clusters") or ())
    golds = {seed.id: seed.gold for seed in seeds}
    documents: dict[str, Document] = {}
    events: dict[str, list[Event]] = {}
    started = time.perf_counter()
    for seed in seeds:
        document, found = extractor.events_of_text(seed.text, published=seed.gold.get("published"), source=str(seed.path))
        if isinstance(document, Document):  # else skipped (None, or a Skip)
            documents[document.id] = document
        events[seed.id] = list(found)
    extract_seconds = time.perf_counter() - started
    started = time.perf_counter()
    incidents = cluster_events([e for article_events in events.values() for e in article_events], documents.values())
    cluster_seconds = time.perf_counter() - started

    of_event = incident_of_events(incidents)
    matched = matched_events(golds, events)
    predicted = {key: of_event[event.id].id for key, event in matched.items() if event.id in of_event}
    labels = gold_labels(golds, clusters)
    certain = gold_labels(golds, clusters, probable=False)

    def claimant_names(document_id: str, claimant: Claimant) -> Iterable[str]:
        document = documents.get(document_id)
        return knowledge_base_names(kb, document.text if document else "")(claimant)

    checks = run_checks(golds, events, incidents, claimant_names=claimant_names)
    metrics: dict[str, Any] = {
        "gold_events": len(labels), "matched_gold_events": len(predicted),
        "predicted_events": sum(len(v) for v in events.values()), "incidents": len(incidents),
        "multi_event_incidents": sum(len(i.event_ids) > 1 for i in incidents),
        **cluster_scores(predicted, labels), **cluster_scores(predicted, certain, suffix="_certain"),
        **{name: int(check.passed) for name, check in checks.items()},
        "checks_passed": sum(check.passed for check in checks.values()),
        "extract_seconds": round(extract_seconds, 3), "cluster_seconds": round(cluster_seconds, 3),
    }  # fmt: skip
    details = {
        "mode": "B (gold published date given)",
        "checks": {name: {"passed": check.passed, "reason": check.reason} for name, check in checks.items()},
        "gold_clusters": gold_cluster_details(clusters, matched, of_event),
        "incidents": incident_details(incidents, events, matched, labels),
        "unmatched_gold": sorted(set(labels) - set(matched)),
    }
    return result(NAME, metrics, details)


BENCHMARK = Benchmark(
    name=NAME,
    folder="seeds",
    description="Incidents across the 5 seed articles: pairwise (cross-article) and B-cubed F1, acceptance checks (mode B).",
    run=run,
)
