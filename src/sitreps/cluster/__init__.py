"""Incidents: reports of one real-world event grouped across sources, their figures
reconciled and their disagreements listed (``docs/INCIDENTS.md`` gives the rules).

>>> from sitreps.cluster import IncidentIndex, cluster_events
>>> incidents = cluster_events(events, documents)  # doctest: +SKIP
>>> index = IncidentIndex()                        # incremental
>>> update = index.add(events, documents)          # doctest: +SKIP
>>> update.incidents, update.removed               # doctest: +SKIP
"""

from __future__ import annotations

from .contradictions import claim_text, disagree, event_contradictions, figure_contradictions
from .embeddings import Encoder, load_encoder
from .fallback import document_event
from .independence import count_independent, source_groups, wire_of
from .index import IncidentIndex, IndexUpdate, cluster_events
from .merge import build_incident, incident_id
from .reconcile import credibility, estimate, reconcile
from .scoring import ClusterOptions, PairScore, score_pair

__all__ = [
    "ClusterOptions",
    "Encoder",
    "IncidentIndex",
    "IndexUpdate",
    "PairScore",
    "build_incident",
    "claim_text",
    "cluster_events",
    "count_independent",
    "credibility",
    "disagree",
    "document_event",
    "estimate",
    "event_contradictions",
    "figure_contradictions",
    "incident_id",
    "load_encoder",
    "reconcile",
    "score_pair",
    "source_groups",
    "wire_of",
]
