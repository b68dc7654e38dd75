"""Bytes to text: UTF-8 first, BOMs honoured, legacy encodings detected, binary refused."""

from __future__ import annotations

import codecs

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never appear in text (tab, newlines, form feed excluded).
_CONTROL = bytes(range(0, 9)) + bytes([11]) + bytes(range(14, 32))
_CONTROL_TABLE = bytes.maketrans(_CONTROL, b"\x00" * len(_CONTROL))


# Legacy encodings of Western European text, most likely first.
_WESTERN = ["cp1252", "latin_1", "iso8859_15"]


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes, or many control characters, near the start."""
    head = data[:8192]
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > 0.05


def decode_bytes(
    data: bytes, *, source: str, detect_encoding: bool = True, source_id: str | None = None
) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Raises InputError("binary" | "bad_encoding") when the bytes are not text. Text that is not
    valid UTF-8 is decoded with a detected legacy encoding when ``detect_encoding`` is set.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise InputError(
                    "bad_encoding",
                    f"{source}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} ({error.reason} at byte {error.start}).",
                    source=source,
                    source_id=source_id,
                ) from error
    if looks_binary(data):
        raise InputError(
            "binary",
            f"{source}: looks like a binary file (NUL or control bytes), not text or HTML; "
            "give sitreps .txt, .html, .jsonl or .csv files.",
            source=source,
            source_id=source_id,
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    if detect_encoding:
        from charset_normalizer import from_bytes  # only paid for by non-UTF-8 input

        sample = data[:1_000_000]
        matches = [m for m in from_bytes(sample) if m.encoding not in {"utf_8", "utf-8"}]
        # The detector often leaves cp1252 out of its shortlist for English text; score the
        # Western encodings on their own so they can be compared.
        matches += list(from_bytes(sample, cp_isolation=_WESTERN))
        if matches:
            best = min(matches, key=lambda m: m.chaos)
            # Western legacy encodings win near-ties: English news in cp1252 also decodes,
            # wrongly but with as little "chaos", as mac_latin2 or cp1250.
            western = [
                m for m in matches if m.encoding in _WESTERN and m.chaos <= best.chaos + 0.02
            ]
            chosen = min(western, key=lambda m: _WESTERN.index(m.encoding)) if western else best
            try:
                return data.decode(chosen.encoding), chosen.encoding
            except (UnicodeDecodeError, LookupError):
                pass
    hint = "" if detect_encoding else " (set input.detect_encoding = true to try legacy encodings)"
    raise InputError(
        "bad_encoding",
        f"{source}: not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no "
        f"other encoding fits{hint}; convert it with iconv -t UTF-8.",
        source=source,
        source_id=source_id,
    )
