"""Clean: one RawInput becomes a Document — body text with an offset map back to the
original, every line classified, and the page's metadata with where each value was read.

Publication date precedence: metadata (the input's own field, HTML meta tags) > a publication
line in the text > a date in the URL path > unknown. Nothing is guessed.
"""

from __future__ import annotations

import logging
import re

from ..config import Settings
from ..errors import InputError
from ..ingest import RawInput
from ..records import Document, Evidence, Published, Segment, Skip, document_id
from . import meta
from .dates import date_from_url, parse_iso_date
from .html import HtmlExtract, extract_html
from .lines import ClassifiedLines, classify_lines

__all__ = ["make_document", "clean_text"]

logger = logging.getLogger(__name__)
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x85")


def _body(original: str, lines, *, structured: bool) -> tuple[str, tuple[Segment, ...]]:
    """Join body lines: one newline between lines adjacent in the original, else a blank line
    (always a blank line for ``structured`` text, where every line is a paragraph)."""
    parts: list[str] = []
    segments: list[Segment] = []
    length = 0
    previous_end = None
    for line in lines:
        if line.kind != "body":
            continue
        if previous_end is not None:
            gap = original[previous_end : line.start]
            adjacent = gap.count("\n") == 1 and not structured
            separator = "\n" if adjacent and _adjacent(original, previous_end, line.start) else "\n\n"
            parts.append(separator)
            length += len(separator)
        segments.append(Segment(clean=length, orig=line.start, length=line.end - line.start))
        parts.append(original[line.start : line.end])
        length += line.end - line.start
        previous_end = line.end
    return "".join(parts), tuple(segments)


def _adjacent(original: str, end: int, start: int) -> bool:
    return original[end:start].strip() == ""


def clean_text(
    original: str,
    *,
    settings: Settings,
    title: str | None = None,
    structured: bool = False,
) -> tuple[str, tuple[Segment, ...], ClassifiedLines]:
    """Classify the lines of ``original`` and return (body text, offset map, classification)."""
    classified = classify_lines(
        original, settings=settings.clean, title=title, structured=structured
    )
    text, segments = _body(original, classified.lines, structured=structured)
    return text, segments, classified


def _published(raw: RawInput, html_meta: HtmlExtract | None, classified, original: str) -> Published:
    if raw.published:
        date = parse_iso_date(raw.published)
        if date is not None:
            return Published(date.isoformat(), "metadata", Evidence(0, len(raw.published), raw.published, "metadata"))
        logger.warning(
            "%s: published value %r is not a complete date; it was ignored", raw.source, raw.published
        )
    if html_meta is not None and html_meta.date:
        date = parse_iso_date(html_meta.date)
        if date is not None:
            source = html_meta.date_source or "metadata"
            evidence = Evidence(0, len(html_meta.date), html_meta.date, "metadata") if source == "metadata" else None
            return Published(date.isoformat(), source, evidence)
    if classified.published:
        # A publication line beats an update line; the first of its kind wins.
        line, iso, start, end, _ = min(classified.published, key=lambda item: (item[4], item[0].start))
        return Published(
            iso,
            "text",
            Evidence(line.start + start, line.start + end, original[line.start + start : line.start + end], "original"),
        )
    if raw.url:
        match = date_from_url(raw.url)
        if match is not None:
            return Published(match.iso, "url", Evidence(match.start, match.end, raw.url[match.start : match.end], "url"))
    return Published()


def make_document(raw: RawInput, *, settings: Settings) -> Document | Skip:
    """Clean one input into a Document, or a Skip saying why it holds no article."""
    try:
        return _make_document(raw, settings=settings)
    except InputError as error:
        return Skip(
            source=error.source,
            reason=error.reason,
            message=str(error),
            source_id=error.source_id or raw.source_id,
            line=error.line,
        )


def _make_document(raw: RawInput, *, settings: Settings) -> Document:
    html_meta = None
    if raw.format == "html":
        html_meta = extract_html(raw.content, url=raw.url, source=raw.source, source_id=raw.source_id, settings=settings.input)
        original = html_meta.text
    else:
        original = raw.content
    original = _NEWLINES.sub("\n", original)
    title = raw.title or (html_meta.title if html_meta else None)
    text, segments, classified = clean_text(
        original,
        settings=settings,
        title=title,
        structured=html_meta is not None,
    )
    if not text.strip():
        raise InputError(
            "no_text",
            f"{raw.source}{'#' + raw.source_id if raw.source_id else ''}: no article text left "
            "after cleaning (every line was page furniture, a caption or metadata).",
            source=raw.source,
            source_id=raw.source_id,
        )

    evidence: list[tuple[str, Evidence]] = []
    if title is None and classified.title is not None:
        line = classified.title
        title = original[line.start : line.end]
        evidence.append(("title", Evidence(line.start, line.end, title, "original")))

    byline_name = html_meta.author if html_meta and html_meta.author else None
    if byline_name is None and (found := meta.byline(classified.lines, original)):
        byline_name, where = found
        evidence.append(("byline", where))

    dateline_place = wire_name = None
    found_wire = None
    if found_dateline := meta.dateline(classified.lines, original):
        (dateline_place, where), found_wire = found_dateline
        evidence.append(("dateline", where))
    found_wire = found_wire or meta.wire(classified.lines, original)
    if found_wire:
        wire_name, where = found_wire
        evidence.append(("wire", where))

    outlet = raw.outlet or (html_meta.sitename if html_meta else None)
    if outlet is None and (found_outlet := meta.outlet_from_lines(classified.lines, original)):
        outlet, where = found_outlet
        evidence.append(("outlet", where))
    if outlet is None:
        outlet = meta.outlet_from_url(raw.url)

    return Document(
        id=document_id(text),
        source=raw.source,
        source_id=raw.source_id,
        url=raw.url,
        text=text,
        original=original,
        outlet=outlet,
        title=title,
        byline=byline_name,
        dateline=dateline_place,
        wire=wire_name,
        published=_published(raw, html_meta, classified, original),
        language=raw.language or (html_meta.language if html_meta else None),
        input_format=raw.input_format or raw.format,
        encoding=raw.encoding,
        lines=classified.lines,
        segments=segments,
        meta_evidence=tuple(evidence),
    )
