"""``gva-clusters`` and ``gva-counts``: incidents on the Gun Violence Corpus (GVA/GVC data).

Both read ``gva/articles.jsonl`` and ``gva/gvc_split.jsonl`` (the document -> incident gold
and its train/dev/test split) and run the extractor on each GVC document's text with its
publication date. A document in which the extractor finds no event (or every document, while
the extractor is unavailable) is represented by its stand-in event
(:func:`sitreps.cluster.document_event`: undated, typeless, grouped by its text), so every
document is clustered.

``gva-clusters`` groups the events with :func:`sitreps.cluster.cluster_events` and maps each
document to the incident, among those holding its events, that holds the most documents (the
story the reports share; its other events are mostly background told by it alone), then
the one holding most of its events, then the lowest incident id. Metrics, on the test split
(74 documents) and on all 510 GVC documents, each next to the all-singletons baseline computed
in the same run: B-cubed precision, recall and F1, and pairwise precision, recall and F1.
Goal: B-cubed F1 >= 0.85.

``gva-counts`` scores killed and injured against ``incidents.jsonl``: per document (the
reconciled best of the document's own events; no figure counts as 0) and per incident (the
reconciled best over all events of the incident's documents, and the maximum of the
per-document figures), as exact-match accuracy and mean absolute error.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Document, Event, Published, document_id
from .base import Benchmark, bcubed, f1, read_jsonl, result

if TYPE_CHECKING:
    from ..config import Settings

logger = logging.getLogger(__name__)

CLUSTERS = "gva-clusters"
COUNTS = "gva-counts"
GOAL_BCUBED_F1 = 0.85


def _load(data_dir: Path, limit: int | None) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    gold = list(read_jsonl(data_dir / "gvc_split.jsonl", what="GVC split"))
    wanted = {row["doc_id"] for row in gold}
    articles = {
        row["id"]: row for row in read_jsonl(data_dir / "articles.jsonl", what="GVA articles") if row["id"] in wanted
    }
    gold = [row for row in gold if row["doc_id"] in articles]
    if limit is not None:
        gold = gold[:limit]
    return gold, articles


def _extract(
    gold: list[dict[str, Any]], articles: dict[str, dict[str, Any]], settings: Settings, use_extractor: bool
) -> tuple[dict[str, Document], dict[str, list[Event]], dict[str, Any]]:
    """Documents and events per GVC document id, and notes on how they were made."""
    from ..cluster import document_event

    extractor = None
    notes: dict[str, Any] = {"extractor": "not used"}
    if use_extractor:
        try:
            from ..extract import Extractor

            extractor = Extractor(settings)
            notes["extractor"] = "used"
        except NotImplementedError:
            notes["extractor"] = "unavailable (not implemented yet): every document uses its stand-in event"
    documents: dict[str, Document] = {}
    events: dict[str, list[Event]] = {}
    fallback = 0
    started = time.perf_counter()
    for row in gold:
        article = articles[row["doc_id"]]
        text = article.get("text") or ""
        document, found = None, ()
        if extractor is not None and text.strip():
            document, found = extractor.events_of_text(text, published=article.get("published"), source=row["doc_id"])
        if document is None:
            document = Document(
                id=document_id(text or row["doc_id"]), source=row["doc_id"], text=text, original=text,
                published=Published(article.get("published"), "metadata"),
            )  # fmt: skip
        document = dataclasses.replace(document, title=article.get("title") or document.title)
        if not found:
            found = (document_event(document),)
            fallback += 1
        documents[row["doc_id"]] = document
        events[row["doc_id"]] = list(found)
    notes["documents_with_stand_in_event"] = fallback
    notes["extract_seconds"] = round(time.perf_counter() - started, 1)
    return documents, events, notes


def _assign(doc_ids: list[str], documents: dict[str, Document], events: dict[str, list[Event]]) -> dict[str, str]:
    """Cluster the events of ``doc_ids``; each document to the incident that holds the most
    documents among those holding its events (then most of its events, then the lowest id)."""
    from ..cluster import cluster_events

    chosen = [documents[d] for d in doc_ids]
    # Two GVC documents with the same text are one Document: keep the id of each.
    incidents = cluster_events([e for d in doc_ids for e in events[d]], {doc.id: doc for doc in chosen}.values())
    of_event = {event_id: incident for incident in incidents for event_id in incident.event_ids}
    assigned = {}
    for doc in doc_ids:
        # The incident most reports share is the story this report tells; its other events
        # (an earlier crime, a court date) are mostly told by it alone. Then: most of its
        # events, then the incident id.
        votes = Counter(of_event[e.id].id for e in events[doc])
        reports = {of_event[e.id].id: len(of_event[e.id].document_ids) for e in events[doc]}
        assigned[doc] = min(votes, key=lambda key: (-reports[key], -votes[key], key))
    return assigned


def pairwise(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over pairs of items put in one cluster."""
    items = sorted(gold)
    tp = fp = fn = 0
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            same_pred, same_gold = predicted[a] == predicted[b], gold[a] == gold[b]
            tp += same_pred and same_gold
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, f1(precision, recall)


def run_clusters(
    data_dir: Path, *, settings: Settings, extractor: bool = True, limit: int | None = None
) -> dict[str, Any]:
    gold, articles = _load(data_dir, limit)
    documents, events, notes = _extract(gold, articles, settings, extractor)
    from ..cluster import document_event

    metrics: dict[str, Any] = {}
    details: dict[str, Any] = dict(notes)
    # Two ways to group reports: by their extracted events (what `sitreps run` does), and by
    # one report-level event each (its text, title and publication date: a report about one
    # shooting is one event), prefixed "doc_".
    stand_ins = {doc: [document_event(document)] for doc, document in documents.items()}
    variants = [
        (name, rows, found)
        for name, rows in (("test", [r for r in gold if r["split"] == "test"]), ("all", gold))
        for name, found in ((name, events), ("doc_" + name, stand_ins))
    ]
    for name, rows, found in variants:
        if not rows:
            continue
        truth = {r["doc_id"]: r["incident_id"] for r in rows}
        started = time.perf_counter()
        predicted = _assign(sorted(truth), documents, found)
        seconds = time.perf_counter() - started
        singletons = {doc: doc for doc in truth}
        p, r, f = bcubed(predicted, truth)
        pp, pr, pf = pairwise(predicted, truth)
        sp, sr, sf = bcubed(singletons, truth)
        metrics.update({
            f"{name}_documents": len(truth), f"{name}_gold_incidents": len(set(truth.values())),
            f"{name}_predicted_incidents": len(set(predicted.values())),
            f"{name}_bcubed_p": p, f"{name}_bcubed_r": r, f"{name}_bcubed_f1": f,
            f"{name}_pairwise_p": pp, f"{name}_pairwise_r": pr, f"{name}_pairwise_f1": pf,
            f"{name}_singletons_bcubed_p": sp, f"{name}_singletons_bcubed_r": sr, f"{name}_singletons_bcubed_f1": sf,
            f"{name}_cluster_seconds": seconds,
        })  # fmt: skip
    details["goal_bcubed_f1"] = GOAL_BCUBED_F1
    return result(CLUSTERS, metrics, details)


def run_counts(
    data_dir: Path, *, settings: Settings, extractor: bool = True, limit: int | None = None
) -> dict[str, Any]:
    from ..cluster import build_incident

    gold, articles = _load(data_dir, limit)
    incidents = {
        row["incident_id"]: row
        for row in read_jsonl(data_dir / "incidents.jsonl", what="GVA incidents")
        if row.get("in_registry")
    }
    documents, events, notes = _extract(gold, articles, settings, extractor)
    by_id = {doc.id: doc for doc in documents.values()}

    def figures(doc_ids: list[str]) -> tuple[int, int]:
        incident = build_incident([e for d in doc_ids for e in events[d]], by_id)
        return incident.fatalities.best or 0, incident.injuries.best or 0

    per_doc: dict[str, tuple[int, int]] = {row["doc_id"]: figures([row["doc_id"]]) for row in gold}
    members: dict[str, list[str]] = defaultdict(list)
    for row in gold:
        members[row["incident_id"]].append(row["doc_id"])
    metrics: dict[str, Any] = {}
    doc_pairs = [(per_doc[r["doc_id"]], incidents[r["incident_id"]]) for r in gold if r["incident_id"] in incidents]
    inc_pairs = [(figures(docs), incidents[key]) for key, docs in sorted(members.items()) if key in incidents]
    max_pairs = [
        ((max(per_doc[d][0] for d in docs), max(per_doc[d][1] for d in docs)), incidents[key])
        for key, docs in sorted(members.items())
        if key in incidents
    ]
    for label, pairs in (("document", doc_pairs), ("incident", inc_pairs), ("incident_max", max_pairs)):
        for index, field in ((0, "killed"), (1, "injured")):
            if not pairs:
                continue
            errors = [abs(pred[index] - truth[field]) for pred, truth in pairs]
            metrics[f"{label}_{field}_exact"] = sum(e == 0 for e in errors) / len(errors)
            metrics[f"{label}_{field}_mae"] = sum(errors) / len(errors)
        metrics[f"{label}_n"] = len(pairs)
    return result(COUNTS, metrics, notes)


CLUSTERS_BENCHMARK = Benchmark(
    name=CLUSTERS,
    folder="gva",
    description="incident clustering of GVC documents (B-cubed and pairwise F1, test split and all 510)",
    run=run_clusters,
)
COUNTS_BENCHMARK = Benchmark(
    name=COUNTS,
    folder="gva",
    description="killed and injured per GVC document and incident (exact match, MAE)",
    run=run_counts,
)
