"""HTML pages: the article body and metadata, extracted with trafilatura.

trafilatura finds the main content (dropping menus, comments and most related links) and reads
title, author, site name and the publication date from the page's metadata. Its text then goes
through the same line classes as plain text, which catch what survives (share prompts, credits).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ..config import InputSettings
from ..errors import InputError

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^>]*?)(/?)>")
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont frame "
    "isindex keygen command".split()
)
_HTML_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z]+)?", re.IGNORECASE)
# Elements whose content is not markup; their insides are never counted for depth.
_RAW_TEXT = re.compile(r"<(script|style|textarea|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    title: str | None
    author: str | None
    date: str | None
    # "metadata" when the page's markup states the date (meta tags, JSON-LD, a datetime
    # attribute), "text" when it was read from a visible date on the page.
    date_source: str | None
    sitename: str | None
    language: str | None


def _date_in_markup(html: str, iso: str) -> bool:
    head_end = html.lower().find("<body")
    head = html[: head_end if head_end >= 0 else 20000]
    return (
        iso in head
        or re.search(rf"datetime\s*=\s*[\"']?{iso}", html) is not None
        or re.search(rf"\"date(?:Published|Created|Modified)\"\s*:\s*\"{iso}", html) is not None
    )


def nesting_depth(html: str, *, stop_at: int) -> int:
    """How deep elements nest (void elements and raw-text insides ignored), counting no
    further than ``stop_at``: a cheap scan that runs before any parser recursion can."""
    depth = deepest = 0
    for match in _TAG.finditer(_RAW_TEXT.sub("", html)):
        closing, name, _, self_closing = match.groups()
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_at:
                    break
    return deepest


def extract_html(
    html: str,
    *,
    url: str | None,
    source: str,
    settings: InputSettings,
    source_id: str | None = None,
) -> HtmlExtract:
    """Body text (paragraphs on their own lines) and metadata of one HTML page.

    Raises InputError for pages nested too deeply or holding no article text.
    """
    depth = nesting_depth(html, stop_at=settings.max_html_depth)
    if depth > settings.max_html_depth:
        raise InputError(
            "html_too_deep",
            f"{source}: HTML nested more than {settings.max_html_depth} elements deep; it was "
            "skipped (raise input.max_html_depth to try it anyway).",
            source=source,
            source_id=source_id,
        )
    import trafilatura  # the import costs ~0.5 s; plain-text runs never pay it

    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            # Only dates the page states in its metadata: no guessing from free text.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, RecursionError, MemoryError) as error:
        raise InputError(
            "bad_html",
            f"{source}: the HTML could not be parsed ({type(error).__name__}: {error}).",
            source=source,
            source_id=source_id,
        ) from error
    text = (result.text if result is not None else "") or ""
    if not text.strip():
        raise InputError(
            "no_text",
            f"{source}: no article text found in the HTML (a page of links, a form or an "
            "empty template?).",
            source=source,
            source_id=source_id,
        )
    lang = _HTML_LANG.search(html[:5000])
    return HtmlExtract(
        text=text,
        title=result.title or None,
        author=result.author or None,
        date=result.date or None,
        date_source=(
            None if not result.date else "metadata" if _date_in_markup(html, result.date) else "text"
        ),
        sitename=result.sitename or None,
        language=lang.group(1).lower() if lang else None,
    )
