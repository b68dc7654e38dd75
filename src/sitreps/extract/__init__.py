"""Extraction: events and casualty claims from an annotated document.

``extract_events(document, doc, ...)`` turns one cleaned document and its spaCy Doc (from the
pipeline of :mod:`sitreps.nlp`, with the actor component's ``doc._.actor_mentions``) into
:class:`~sitreps.records.Event` records with their claims. ``Extractor`` bundles what that
needs (the pipeline, the geoparser) for callers that start from text: evaluators, the API.
"""

from __future__ import annotations

from .events import Extractor, extract_events

__all__ = ["Extractor", "extract_events"]
