"""The local runner: inputs -> documents -> clean -> annotate -> extract -> store -> outputs.

Documents stream through: readers yield one input at a time, cleaning happens as spaCy asks
for the next batch, and each document is written in its own transaction as soon as it is
annotated. A document already in the store (same content) is not annotated again, so an
interrupted run resumes where it stopped; its new source is still recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable, Iterator, Mapping

from .. import __version__
from ..clean import make_document
from ..config import Settings
from ..ingest import RawInput, iter_inputs
from ..nlp import load_pipeline, nlp_text
from ..outputs.jsonl import JsonlWriter
from ..extract.events import default_geoparser, extract_events
from ..extract.select import select_text, selection_doc
from ..records import CLAIM_KINDS, Document, Event, Skip, from_dict, to_dict
from ..store import Store
from ..times import find_time_mentions

if TYPE_CHECKING:
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What a run did: counts, skipped inputs with reasons, timings and output paths."""

    run_id: int
    status: str
    counts: Counter = field(default_factory=Counter)
    skips: list[Skip] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return len(self.skips)


@dataclass
class _Timer:
    seconds: float = 0.0

    def __enter__(self) -> _Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds += time.perf_counter() - self._start


def iter_documents(
    inputs: Iterable[RawInput | Skip], *, settings: Settings, published: str | None = None
) -> Iterator[Document | Skip]:
    """Clean every input: the ingest + clean stages as one pure, streaming function.
    ``published`` (ISO date) overrides every input's publication date."""
    for item in inputs:
        if isinstance(item, Skip):
            yield item
            continue
        if published is not None:
            item = replace(item, published=published)
        yield make_document(item, settings=settings)


def claim_rows(event: Event) -> Iterator[dict]:
    """The rows of claims.jsonl for one event: each claim with its event, document and kind."""
    for kind in CLAIM_KINDS:
        for number, claim in enumerate(getattr(event, kind)):
            yield {
                "id": f"{event.id}:{kind}:{number}",
                "event_id": event.id,
                "document_id": event.document_id,
                "kind": kind,
                **to_dict(claim),
            }


def _sentence_count(doc: Doc) -> int:
    """``len(list(doc.sents))`` without making a Span per sentence: the first token and
    every later one marked as a sentence start."""
    from spacy.attrs import SENT_START

    if not len(doc):
        return 0
    return 1 + int((doc.to_array([SENT_START])[1:] == 1).sum())


def update_incidents(
    store: Store,
    events: list[Event],
    *,
    window_days: int = 60,
    documents: Mapping[str, Document] | None = None,
) -> set[str]:
    """Group ``events`` (new in the store) with the stored events near them in time and
    store the incidents that changed; the rest of the store is not regrouped. Returns the
    ids of the incidents that hold any of ``events``. ``documents`` (id -> document) are
    documents of ``events`` the caller holds as stored, so they need not be read back."""
    from ..cluster import IncidentIndex

    if not events:
        return set()
    days = [e.date.start or e.date.end for e in events if e.date is not None and (e.date.start or e.date.end)]
    new_ids = {e.id for e in events}
    if days:
        low = (dt.date.fromisoformat(min(days)) - dt.timedelta(days=window_days)).isoformat()
        high = (dt.date.fromisoformat(max(days)) + dt.timedelta(days=window_days)).isoformat()
    # Stored events of the time window around the new ones, and the undated ones; the store
    # selects them, so a large store is not read whole.
    existing = list(store.iter_events(exclude=new_ids, near=(low, high) if days else None))
    held = documents or {}
    documents = {}
    for event in [*existing, *events]:
        if event.document_id not in documents:
            document = held.get(event.document_id) or store.get_document(event.document_id)
            if document is not None:
                documents[document.id] = document
    index = IncidentIndex()
    index.add(existing, [documents[e.document_id] for e in existing if e.document_id in documents])
    update = index.add(events, [documents[e.document_id] for e in events if e.document_id in documents])
    store.replace_incidents(update.incidents, removed=update.removed)
    return {incident.id for incident in (index.incident_of(event.id) for event in events) if incident is not None}


def run_pipeline(
    paths: Iterable[str | Path],
    *,
    settings: Settings,
    store: Store,
    out_dir: Path | None = None,
    stdin: BinaryIO | None = None,
    on_document: Callable[[Document], None] | None = None,
    on_skip: Callable[[Skip], None] | None = None,
    published: str | None = None,
) -> RunResult:
    """Run the whole pipeline over ``paths`` (files, directories, ``-``) into ``store``.

    With ``out_dir``, writes documents.jsonl, events.jsonl, claims.jsonl and incidents.jsonl
    there (atomically, at the end). ``on_document`` and ``on_skip`` are called as each input
    is finished (the CLI's progress bar and messages). ``published`` (ISO date) is the
    publication date of every input, the anchor of their relative dates.
    """
    paths = [str(path) for path in paths]
    run_id = store.begin_run(version=__version__, settings=settings.to_dict(), inputs=paths)
    result = RunResult(run_id=run_id, status="running")
    counts = result.counts
    writer = JsonlWriter(out_dir) if out_dir is not None else None
    clean_timer, store_timer, time_timer, extract_timer, cluster_timer = _Timer(), _Timer(), _Timer(), _Timer(), _Timer()
    new_events: list[Event] = []
    grouped_documents: dict[str, Document] = {}  # new documents with events, as stored
    select_timer = _Timer()
    started = time.perf_counter()
    seen_in_run: set[str] = set()
    pending: dict[str, list[Document]] = {}  # id -> copies seen while it is being annotated

    def skip(item: Skip) -> None:
        result.skips.append(item)
        counts["skipped"] += 1
        counts[f"skipped.{item.reason}"] += 1
        logger.info("skipped %s: %s", item.source, item.message)
        with store_timer:
            store.record_skip(item, run_id=run_id)
        if on_skip:
            on_skip(item)

    def emit(document: Document, events: Iterable[Event] | None = None) -> None:
        if writer is not None:
            writer.write("documents", document)
            if events is None:
                # Content already in the store: its events come from there.
                events = [from_dict(Event, row) for row in store.events_for(document.id)]
            for event in events:
                writer.write("events", event)
                for row in claim_rows(event):
                    writer.write("claims", row)
        if on_document:
            on_document(document)

    def to_annotate() -> Iterator[tuple[str, Document]]:
        """Documents that need the model; the rest are recorded here and passed over."""
        items = iter_documents(
            iter_inputs(paths, settings=settings.input, stdin=stdin), settings=settings, published=published
        )
        while True:
            with clean_timer:
                item = next(items, None)
            if item is None:
                return
            counts["inputs"] += 1
            if isinstance(item, Skip):
                skip(item)
                continue
            if item.id in pending:
                # A copy of a document still on its way through the model: its source is
                # recorded once that document is written.
                counts["duplicates"] += 1
                pending[item.id].append(item)
                continue
            if item.id in seen_in_run or store.has_document(item.id, processed=True):
                # Same content again (a copy, or a rerun): keep the source, skip the work.
                counts["duplicates" if item.id in seen_in_run else "existing"] += 1
                with store_timer:
                    store.record_source(item, run_id=run_id)
                if item.id not in seen_in_run:
                    seen_in_run.add(item.id)
                    emit(item)
                continue
            seen_in_run.add(item.id)
            pending[item.id] = []
            if len(item.text) > settings.nlp.max_chars:
                counts["cut_for_model"] += 1
            yield model_text(item), item

    def model_text(document: Document) -> str | Doc:
        """What the model parses: the clean text (cut at nlp.max_chars); with
        extract.selective_parse, the Doc of it with the sentences extraction cannot use
        blanked (sitreps.extract.select)."""
        text = nlp_text(document.text, settings.nlp)
        if not settings.extract.selective_parse:
            return text
        with select_timer:
            selection = select_text(text)
            counts["selection.sentences"] += len(selection.sentences)
            counts["selection.kept"] += len(selection.kept)
            if selection.text is text:
                return text
            return selection_doc(nlp, selection, text=text)

    try:
        nlp = load_pipeline(settings.nlp)
        geoparser = default_geoparser() if settings.extract.places else None
        annotated = nlp.pipe(
            to_annotate(),
            as_tuples=True,
            batch_size=settings.nlp.batch_size,
            n_process=settings.run.workers,
        )
        for doc, document in annotated:
            counts["sentences"] += _sentence_count(doc)
            counts["entities"] += len(doc.ents)
            mentions = doc._.actor_mentions if doc.has_extension("actor_mentions") else None
            counts["actor_mentions"] += len(mentions or ())
            with time_timer:
                anchor = dt.date.fromisoformat(document.published.date) if document.published.date else None
                times = find_time_mentions(document.text, anchor=anchor, doc=doc)
            counts["time_mentions"] += len(times)
            counts["time_mentions_dated"] += sum(1 for t in times if t.value is not None and t.value.start)
            counts["characters"] += len(document.text)
            with extract_timer:
                try:
                    events = extract_events(document, doc, geoparser=geoparser, times=times)
                except Exception as error:  # noqa: BLE001 - one document must never end a batch
                    # A defect of ours met by this text: the document is reported and left
                    # out of the store (a rerun tries it again), the batch goes on.
                    logger.exception("event extraction failed on %s", document.source)
                    pending.pop(document.id, None)
                    seen_in_run.discard(document.id)
                    skip(Skip(
                        source=document.source,
                        reason="extraction_error",
                        message=f"event extraction failed on document {document.id[:12]}: "
                        f"{type(error).__name__}: {error}. The document was not stored; please "
                        "report it with this text. A rerun tries it again.",
                        source_id=document.source_id,
                    ))
                    continue
            counts["events"] += len(events)
            new_events.extend(events)
            for event in events:
                for kind in CLAIM_KINDS:
                    counts["claims"] += len(getattr(event, kind))
            with store_timer:
                if store.write_document(document, run_id=run_id, events=events) and events:
                    # Stored as it is here, so incident grouping need not read it back.
                    grouped_documents[document.id] = document
                for copy in pending.pop(document.id):
                    store.record_source(copy, run_id=run_id)
            counts["new"] += 1
            emit(document, events)
        counts["documents"] = counts["new"] + counts["existing"]
        with cluster_timer:
            touched = update_incidents(store, new_events, documents=grouped_documents)
            if writer is not None:
                # The incidents of every document of this run (new or already stored).
                for document_id in sorted(seen_in_run):
                    for row in store.events_for(document_id):
                        incident = store.incident_of_event(row["id"])
                        if incident is not None:
                            touched.add(incident)
                for incident_id in sorted(touched):
                    incident = store.get_incident(incident_id)
                    if incident is not None:
                        writer.write("incidents", incident)
        counts["incidents"] = len(touched)
        if counts["cut_for_model"]:
            logger.warning(
                "%d documents were longer than nlp.max_chars (%d characters); the model saw "
                "only their beginning",
                counts["cut_for_model"],
                settings.nlp.max_chars,
            )
        result.status = "completed_with_skips" if result.skips else "completed"
        if writer is not None:
            result.outputs = writer.commit()
    except BaseException as error:
        result.status = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
        if writer is not None:
            writer.abort()
        raise
    finally:
        total = time.perf_counter() - started
        result.timings = {
            "total": round(total, 3),
            "ingest_clean": round(clean_timer.seconds, 3),
            "store": round(store_timer.seconds, 3),
            "times": round(time_timer.seconds, 3),
            "extract": round(extract_timer.seconds, 3),
            "select": round(select_timer.seconds, 3),
            "cluster": round(cluster_timer.seconds, 3),
            "annotate": round(max(
                total - clean_timer.seconds - store_timer.seconds - time_timer.seconds - extract_timer.seconds
                - select_timer.seconds - cluster_timer.seconds, 0.0
            ), 3),
        }
        store.finish_run(run_id, status=result.status, counts=dict(counts), timings=result.timings)
    return result
