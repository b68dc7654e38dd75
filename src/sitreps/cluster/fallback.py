"""A stand-in event for a document the extractor found no event in, so that the report
still joins an incident (or stands as one) by its text.

The stand-in has no type (it is compatible with every type family), no actors and no
figures; its date is only bounded by the publication date (``end``, ``start`` unknown), so
it groups as an undated event: it needs strong text evidence to join another report. Its
evidence is the opening of the text (at most ``LEAD_CHARS`` characters, cut at a sentence
end where there is one).
"""

from __future__ import annotations

import hashlib

from ..records import Document, Event, EventDate, Evidence, Location

LEAD_CHARS = 400
DOCUMENT_EVENT_TYPE = ""  # unknown type: compatible with every family


def document_event(document: Document, *, location: Location | None = None) -> Event:
    """The stand-in event of ``document`` (id: sha256 of "document-event:" + document id)."""
    text = document.text
    end = min(len(text), LEAD_CHARS)
    stop = text.rfind(". ", 0, end)
    if stop > LEAD_CHARS // 3:
        end = stop + 1
    evidence = (Evidence(0, end, text[:end]),) if end > 0 else ()
    published = document.published.date
    date = (
        EventDate(start=None, end=published, precision=None, mention=None, span=None, anchor="published")
        if published
        else None
    )
    event_id = hashlib.sha256(f"document-event:{document.id}".encode()).hexdigest()
    return Event(
        id=event_id,
        document_id=document.id,
        type=DOCUMENT_EVENT_TYPE,
        subtype="",
        location=location,
        date=date,
        evidence=evidence,
        confidence=0.0,
    )
