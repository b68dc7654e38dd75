"""Readers: files, directories, archives and standard input become RawInput records.

Every reader streams: a file larger than ``input.max_bytes`` is refused from its size, a JSONL
file is read one bounded line at a time, and a .gz is decompressed only up to the limit. An
input that cannot be read becomes a :class:`~sitreps.records.Skip` with its reason; the
iteration always goes on.
"""

from __future__ import annotations

import csv
import fnmatch
import gzip
import io
import json
import os
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, Iterable, Iterator

from ..config import InputSettings
from ..errors import InputError
from ..records import Skip
from .decode import decode_bytes

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv"}
RECORD_FIELDS = ("id", "text", "html", "title", "url", "outlet", "published", "language")


@dataclass(frozen=True, slots=True)
class RawInput:
    """One document's content as read, before cleaning, with the metadata that came with it."""

    source: str
    content: str
    format: str = "text"  # text | html
    source_id: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    encoding: str = "utf-8"
    input_format: str | None = None  # text | html | jsonl | csv (defaults to format)


def _skip(error: InputError) -> Skip:
    return Skip(
        source=error.source,
        reason=error.reason,
        message=str(error),
        source_id=error.source_id,
        line=error.line,
    )


def _kind(name: str) -> tuple[str | None, bool]:
    """The format a file name announces, and whether it is gzip-compressed."""
    lowered = name.lower()
    compressed = lowered.endswith(".gz")
    if compressed:
        lowered = lowered[:-3]
    suffix = os.path.splitext(lowered)[1]
    for kind, suffixes in (
        ("text", TEXT_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("jsonl", JSONL_SUFFIXES),
        ("csv", CSV_SUFFIXES),
    ):
        if suffix in suffixes:
            return kind, compressed
    return None, compressed


def _read_bounded(stream: BinaryIO, *, limit: int, source: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            "too_large",
            f"{source}: larger than input.max_bytes ({limit:,} bytes); it was not read. "
            "Raise the limit with --max-bytes or split the file.",
            source=source,
        )
    return data


def _document_input(
    data: bytes, *, kind: str, source: str, settings: InputSettings
) -> RawInput:
    if not data.strip():
        what = "is empty" if not data else "holds only whitespace"
        raise InputError("empty", f"{source}: the file {what}.", source=source)
    text, encoding = decode_bytes(data, source=source, detect_encoding=settings.detect_encoding)
    if not text.strip():
        raise InputError("empty", f"{source}: the file holds only whitespace.", source=source)
    return RawInput(source=source, content=text, format=kind, encoding=encoding, input_format=kind)


def _record_input(
    record: object, *, source: str, line: int, input_format: str
) -> RawInput:
    if not isinstance(record, dict):
        raise InputError(
            "malformed_record",
            f"{source}:{line}: a record must be a JSON object, got {type(record).__name__}.",
            source=source,
            line=line,
        )
    record_id = record.get("id")
    source_id = None if record_id in (None, "") else str(record_id)
    unknown = sorted(set(record) - set(RECORD_FIELDS))
    text, html = record.get("text"), record.get("html")
    for name, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            raise InputError(
                "malformed_record",
                f"{source}:{line}: field {name!r} must be a string, got {type(value).__name__}.",
                source=source,
                source_id=source_id,
                line=line,
            )
    content, kind = (html, "html") if html and html.strip() else (text, "text")
    if not content or not content.strip():
        extra = f" (unknown fields: {', '.join(unknown)})" if unknown else ""
        raise InputError(
            "empty",
            f"{source}:{line}: the record has no 'text' or 'html' content{extra}.",
            source=source,
            source_id=source_id,
            line=line,
        )

    def optional(name: str) -> str | None:
        value = record.get(name)
        return None if value in (None, "") else str(value)

    return RawInput(
        source=source,
        content=content,
        format=kind,
        source_id=source_id,
        url=optional("url"),
        title=optional("title"),
        outlet=optional("outlet"),
        published=optional("published"),
        language=optional("language"),
        input_format=input_format,
    )


def _bounded_lines(stream: BinaryIO, *, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; bytes is None for a line longer than ``limit``,
    which is drained in chunks and never held whole."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the oversized line
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def _read_jsonl(
    stream: BinaryIO, *, source: str, settings: InputSettings
) -> Iterator[RawInput | Skip]:
    records = 0
    for number, line in _bounded_lines(stream, limit=settings.max_bytes):
        records += 1
        if number == 1 and line is not None:
            line = line.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark
        if line is None:
            yield Skip(
                source=source,
                reason="too_large",
                message=f"{source}:{number}: the line is longer than input.max_bytes "
                f"({settings.max_bytes:,} bytes); it was skipped.",
                line=number,
            )
            continue
        if not line.strip():
            records -= 1
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as error:
            yield Skip(
                source=source,
                reason="bad_encoding",
                message=f"{source}:{number}: not valid UTF-8 ({error.reason} at byte "
                f"{error.start} of the line); JSONL must be UTF-8.",
                line=number,
            )
            continue
        except json.JSONDecodeError as error:
            yield Skip(
                source=source,
                reason="malformed_record",
                message=f"{source}:{number}: not valid JSON ({error.msg} at column "
                f"{error.colno}); the line was skipped.",
                line=number,
            )
            continue
        try:
            yield _record_input(record, source=source, line=number, input_format="jsonl")
        except InputError as error:
            yield _skip(error)
    if records == 0:
        yield Skip(source=source, reason="empty", message=f"{source}: the file holds no records.")


def _decoded_lines(
    stream: BinaryIO, bad_lines: set[int], long_lines: list[int], *, limit: int
) -> Iterator[str]:
    """Lines of a UTF-8 stream as text; a line that is not UTF-8 is noted in ``bad_lines``
    (and decoded with replacement characters, so the CSV parser keeps its place). A line
    longer than ``limit`` is drained unread, noted in ``long_lines`` and given as an empty
    line, which the CSV parser passes over."""
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            long_lines.append(number)
            yield "\n"
            continue
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines.add(number)
            yield line.decode("utf-8", "replace")


def _read_csv(
    stream: BinaryIO, *, source: str, settings: InputSettings
) -> Iterator[RawInput | Skip]:
    bad_lines: set[int] = set()
    long_lines: list[int] = []
    previous_limit = csv.field_size_limit(settings.max_bytes)

    def too_long(up_to: int | None) -> Iterator[Skip]:
        while long_lines and (up_to is None or long_lines[0] <= up_to):
            line = long_lines.pop(0)
            yield Skip(
                source=source,
                reason="too_large",
                message=f"{source}:{line}: the line is longer than input.max_bytes "
                f"({settings.max_bytes:,} bytes); it was skipped.",
                line=line,
            )

    try:
        reader = csv.DictReader(
            _decoded_lines(stream, bad_lines, long_lines, limit=settings.max_bytes)
        )
        try:
            header = reader.fieldnames
        except csv.Error as error:
            yield Skip(source=source, reason="malformed_record", message=f"{source}: cannot read the CSV header ({error}).", line=1)
            return
        if header is None:
            yield Skip(source=source, reason="empty", message=f"{source}: the file holds no records.")
            return
        if 1 in bad_lines:
            yield Skip(source=source, reason="bad_encoding", message=f"{source}:1: the CSV header is not valid UTF-8; convert the file to UTF-8.", line=1)
            return
        if not ({"text", "html"} & set(header)):
            yield Skip(
                source=source,
                reason="malformed_record",
                message=f"{source}: the CSV header must name a 'text' or 'html' column "
                f"(found: {', '.join(header) or 'nothing'}).",
                line=1,
            )
            return
        while True:
            first_line = reader.reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                yield from too_long(None)
                return
            except csv.Error as error:
                line = reader.reader.line_num
                if "field larger than field limit" in str(error):
                    yield Skip(
                        source=source,
                        reason="too_large",
                        message=f"{source}:{line}: a field is larger than input.max_bytes "
                        f"({settings.max_bytes:,} bytes); the record was skipped.",
                        line=line,
                    )
                    continue
                yield Skip(
                    source=source,
                    reason="malformed_record",
                    message=f"{source}:{line}: {error}; the rest of the file was skipped.",
                    line=line,
                )
                return
            line = reader.reader.line_num
            yield from too_long(line)
            broken = sorted(number for number in range(first_line, line + 1) if number in bad_lines)
            if broken:
                yield Skip(
                    source=source,
                    reason="bad_encoding",
                    message=f"{source}:{broken[0]}: not valid UTF-8; the record was skipped. "
                    "Convert the file to UTF-8.",
                    line=broken[0],
                )
                continue
            record = {key: value for key, value in row.items() if key is not None}
            try:
                yield _record_input(record, source=source, line=line, input_format="csv")
            except InputError as error:
                yield _skip(error)
    finally:
        csv.field_size_limit(previous_limit)


def read_stream(
    stream: BinaryIO, *, source: str, kind: str, settings: InputSettings
) -> Iterator[RawInput | Skip]:
    """Read one already-open binary stream of the given kind (text, html, jsonl, csv)."""
    if kind == "jsonl":
        yield from _read_jsonl(stream, source=source, settings=settings)
    elif kind == "csv":
        yield from _read_csv(stream, source=source, settings=settings)
    else:
        data = _read_bounded(stream, limit=settings.max_bytes, source=source)
        yield _document_input(data, kind=kind, source=source, settings=settings)


def sniff_kind(head: bytes) -> str:
    """Guess the format of unnamed input (standard input) from its first bytes."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "jsonl"
    lowered = stripped[:200].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")) or (
        lowered.startswith(b"<") and b">" in lowered
    ):
        return "html"
    return "text"


def read_file(path: Path, *, settings: InputSettings, kind: str | None = None) -> Iterator[RawInput | Skip]:
    """Read one file; every failure is yielded as a Skip, never raised."""
    source = str(path)
    compressed = False
    if kind is None:
        kind, compressed = _kind(path.name)
    if kind is None:
        yield Skip(
            source=source,
            reason="unsupported",
            message=f"{source}: unsupported file type {path.suffix or '(none)'!r}; sitreps reads "
            ".txt, .html/.htm, .jsonl, .csv and their .gz.",
        )
        return
    try:
        if not compressed and kind in ("text", "html"):
            size = path.stat().st_size
            if size > settings.max_bytes:
                raise InputError(
                    "too_large",
                    f"{source}: {size:,} bytes, larger than input.max_bytes "
                    f"({settings.max_bytes:,}); it was not read. Raise the limit with "
                    "--max-bytes or split the file.",
                    source=source,
                )
        with open(path, "rb") as raw_stream:
            stream: IO[bytes] = gzip.GzipFile(fileobj=raw_stream) if compressed else raw_stream
            yield from read_stream(stream, source=source, kind=kind, settings=settings)
    except InputError as error:
        yield _skip(error)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        yield Skip(
            source=source,
            reason="bad_archive",
            message=f"{source}: not a readable gzip file ({error}).",
        )
    except IsADirectoryError:
        yield Skip(source=source, reason="unreadable", message=f"{source}: is a directory.")
    except OSError as error:
        yield Skip(
            source=source,
            reason="unreadable",
            message=f"{source}: cannot be read ({error.strerror or error}).",
        )


def iter_paths(directory: Path, *, settings: InputSettings) -> Iterator[Path]:
    """Readable files below ``directory`` matching an include pattern (case-insensitive) and
    none of the excludes, in a stable (sorted) order."""
    for root, dirs, files in os.walk(directory, followlinks=False):
        relative_root = os.path.relpath(root, directory)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and not _excluded(os.path.normpath(os.path.join(relative_root, d)), settings)
        )
        for name in sorted(files):
            relative = os.path.normpath(os.path.join(relative_root, name))
            if name.startswith("."):
                continue
            if (
                any(fnmatch.fnmatch(name.lower(), pattern.lower()) for pattern in settings.include)
                and _kind(name)[0] is not None  # backup.tar.gz matches *.gz but is no input
                and not _excluded(relative, settings)
            ):
                yield Path(root) / name


def _excluded(relative: str, settings: InputSettings) -> bool:
    return any(
        fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(os.path.basename(relative), pattern)
        for pattern in settings.exclude
    )


def iter_inputs(
    paths: Iterable[str | Path], *, settings: InputSettings, stdin: BinaryIO | None = None
) -> Iterator[RawInput | Skip]:
    """Every document in ``paths`` (files, directories, ``-`` for standard input), in order."""
    for given in paths:
        if str(given) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            buffered = io.BufferedReader(stream) if not hasattr(stream, "peek") else stream
            kind = sniff_kind(buffered.peek(512)[:512])  # type: ignore[union-attr]
            try:
                yield from read_stream(buffered, source="-", kind=kind, settings=settings)
            except InputError as error:
                yield _skip(error)
            continue
        path = Path(given)
        if path.is_dir():
            yield from (
                item
                for file_path in iter_paths(path, settings=settings)
                for item in read_file(file_path, settings=settings)
            )
        elif path.exists() or path.is_symlink():
            yield from read_file(path, settings=settings)
        else:
            yield Skip(
                source=str(path),
                reason="unreadable",
                message=f"{path}: no such file or directory.",
            )
