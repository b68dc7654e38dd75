"""Metadata read from a page's own lines: byline, dateline, wire agency and outlet."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..records import Evidence, Line

# Wire and news agencies, as they are credited, to their usual short names.
AGENCIES = {
    "reuters": "Reuters", "thomson reuters": "Reuters", "afp": "AFP",
    "agence france-presse": "AFP", "agence france presse": "AFP", "ap": "AP",
    "associated press": "AP", "the associated press": "AP", "anadolu": "Anadolu Agency",
    "anadolu agency": "Anadolu Agency", "aa": "Anadolu Agency", "dpa": "dpa",
    "xinhua": "Xinhua", "efe": "EFE", "ansa": "ANSA", "upi": "UPI", "kyodo": "Kyodo",
    "tass": "TASS", "ria novosti": "RIA Novosti", "interfax": "Interfax", "sana": "SANA",
    "irna": "IRNA", "pti": "PTI", "ani": "ANI", "bernama": "Bernama", "yonhap": "Yonhap",
    "qna": "QNA", "wam": "WAM", "mena": "MENA", "ukrinform": "Ukrinform", "apa": "APA",
    "bloomberg": "Bloomberg", "ips": "IPS", "irin": "IRIN",
}  # fmt: skip
_AGENCY_NAMES = "|".join(sorted((re.escape(name) for name in AGENCIES), key=len, reverse=True))

_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|reported by|report by|words by|compiled by)\s*:?\s+"
    r"(?P<name>[^;|\n]+?)\s*(?:[;|]|\band\s+editing\b|\bediting by\b|\bin\s+[A-Z][a-z]+\s*$|$)",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3}(?:,\s+[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){0,2})?)"
    r"\s*(?:\((?P<wire>[^)]{2,40})\))?\s*[-–—:]+\s+(?=\S)"
)
_SOURCE_LINE = re.compile(r"^(?:source|sources|via)\s*:\s*(?P<name>.+?)\s*\.?$", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*)?"
    r"(?P<name>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,4})",
    re.IGNORECASE,
)
_MASTHEAD_NAME = re.compile(r"^(?P<name>.+)$")
_SIGNATURE = re.compile(r"^(?P<name>[\w .&'-]{2,40}?)\s+(?:and|with|&)\s+agencies\.?$", re.IGNORECASE)
_WIRE_CREDIT = re.compile(
    rf"(?:^[-–—]\s*(?P<line>{_AGENCY_NAMES})\s*$|\((?P<paren>{_AGENCY_NAMES})\)"
    rf"|^(?P<contrib>{_AGENCY_NAMES}) contributed to this report)",
    re.IGNORECASE,
)


def agency(name: str) -> str | None:
    """The short name of a wire agency, or None when ``name`` is not one."""
    return AGENCIES.get(name.strip().strip(".").lower())


def _evidence(line: Line, original: str, start: int, end: int) -> Evidence:
    return Evidence(line.start + start, line.start + end, original[line.start + start : line.start + end], "original")


def byline(lines: tuple[Line, ...], original: str) -> tuple[str, Evidence] | None:
    for line in lines:
        if line.reason == "byline":
            match = _BYLINE.match(original[line.start : line.end])
            if match and match.group("name").strip():
                name = match.group("name").strip().rstrip(",.")
                offset = match.start("name")
                return name, _evidence(line, original, offset, offset + len(name))
    return None


def dateline(
    lines: tuple[Line, ...], original: str
) -> tuple[tuple[str, Evidence], tuple[str, Evidence] | None] | None:
    """The place of a dateline ('KHARKIV, Ukraine — ...') opening one of the first three
    body paragraphs, and the wire it credits, if any, each with its evidence."""
    body = [line for line in lines if line.kind == "body"][:3]
    for first_body in body:
        match = _DATELINE.match(original[first_body.start : first_body.end])
        if match and sum(c.isupper() for c in match.group("place")) >= 3:
            break
    else:
        return None
    place = match.group("place")
    found_wire = None
    if match.group("wire") and agency(match.group("wire")):
        found_wire = (
            agency(match.group("wire")),
            _evidence(first_body, original, match.start("wire"), match.end("wire")),
        )
    return (place, _evidence(first_body, original, 0, len(place))), found_wire  # type: ignore[return-value]


def wire(lines: tuple[Line, ...], original: str) -> tuple[str, Evidence] | None:
    """The wire agency a page credits: 'Source: Reuters', '(AFP)', '— Reuters'."""
    for line in lines:
        content = original[line.start : line.end]
        if line.reason == "source_line":
            match = _SOURCE_LINE.match(content)
            if match and agency(match.group("name")):
                return agency(match.group("name")), _evidence(  # type: ignore[return-value]
                    line, original, match.start("name"), match.end("name")
                )
        if line.kind in ("body", "meta") and line.reason != "title":
            match = _WIRE_CREDIT.search(content)
            if match:
                group = next(g for g in ("line", "paren", "contrib") if match.group(g))
                return agency(match.group(group)), _evidence(  # type: ignore[return-value]
                    line, original, match.start(group), match.end(group)
                )
    return None


_OUTLET_LINES = {
    "masthead": _MASTHEAD_NAME,
    "source_line": _SOURCE_LINE,
    "signature": _SIGNATURE,
    "copyright": _COPYRIGHT,
}


def outlet_from_lines(lines: tuple[Line, ...], original: str) -> tuple[str, Evidence] | None:
    """An outlet a page names itself by, in order of trust: its masthead line, 'Source: ARA
    News', 'TRTWorld and agencies', '© 2024 Kyiv Ledger'. Wire agencies are not outlets."""
    for reason, pattern in _OUTLET_LINES.items():
        for line in lines:
            if line.reason != reason:
                continue
            match = pattern.match(original[line.start : line.end])
            if match and not agency(match.group("name")) and match.group("name").strip():
                return match.group("name"), _evidence(
                    line, original, match.start("name"), match.end("name")
                )
    return None


def outlet_from_url(url: str | None) -> str | None:
    """The host name of a URL without 'www.', the outlet of last resort."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
