"""Readers: every format with its metadata, directories, standard input, and every way an
input can be bad (each one a Skip with its reason, the batch going on)."""

from __future__ import annotations

import builtins
import codecs
import csv
import gzip
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from sitreps.config import InputSettings, load_settings
from sitreps.errors import InputError
from sitreps.ingest import RawInput, iter_inputs, iter_paths, read_file, sniff_kind
from sitreps.ingest.decode import decode_bytes, looks_binary
from sitreps.records import Skip

INPUT = load_settings(environ={}).input

PNG_HEADER = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
)

STORY = "Flooding cut the northern road on Friday.\nTwo bridges were closed, officials said.\n"
PAGE = "<html><head><title>Road cut</title></head><body><p>Flooding cut the road.</p></body></html>"


def _input(**changes) -> InputSettings:
    return load_settings(environ={}, overrides={"input": changes}).input


def _read(path: Path, settings: InputSettings = INPUT) -> list[RawInput | Skip]:
    return list(read_file(path, settings=settings))


def _only(items: list) -> RawInput | Skip:
    assert len(items) == 1, items
    return items[0]


def _skips(items) -> list[Skip]:
    return [item for item in items if isinstance(item, Skip)]


def _inputs(items) -> list[RawInput]:
    return [item for item in items if isinstance(item, RawInput)]


@pytest.fixture(autouse=True)
def _restore_csv_field_limit():
    # The CSV reader sets the csv module's process-wide field limit from input.max_bytes;
    # put it back so a small limit in one test cannot leak into another.
    limit = csv.field_size_limit()
    yield
    csv.field_size_limit(limit)


@pytest.fixture
def open_spy(monkeypatch):
    """Records every path opened through builtins.open; a path in ``refuse`` raises EACCES."""
    real_open = builtins.open
    spy = {"opened": [], "refuse": set()}

    def spying_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)):
            path = Path(file)
            spy["opened"].append(path)
            if path in spy["refuse"]:
                raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spying_open)
    return spy


# --- text and HTML files ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["story.txt", "story.text", "STORY.TXT"])
def test_text_file(tmp_path, name):
    path = tmp_path / name
    path.write_text(STORY, encoding="utf-8")
    item = _only(_read(path))
    assert item == RawInput(
        source=str(path), content=STORY, format="text", encoding="utf-8", input_format="text"
    )


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.xhtml"])
def test_html_file(tmp_path, name):
    path = tmp_path / name
    path.write_text(PAGE, encoding="utf-8")
    item = _only(_read(path))
    assert isinstance(item, RawInput)
    assert (item.content, item.format, item.input_format) == (PAGE, "html", "html")
    assert item.source_id is None and item.url is None


def test_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + STORY.encode("utf-8"))
    item = _only(_read(path))
    assert (item.content, item.encoding) == (STORY, "utf-8-sig")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path, encoding):
    text = "Le pont de Gao a été fermé – deux morts.\n"
    path = tmp_path / "wide.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    item = _only(_read(path))
    assert isinstance(item, RawInput), item
    assert item.content == text
    assert item.encoding in {"utf-16", "utf-32"}


def test_legacy_encoding_is_detected_and_recorded(tmp_path):
    text = (
        "Le café du marché a rouvert lundi, a déclaré le maire. ‘Nous avons eu peur’, a dit "
        "un témoin à l’agence. Les élèves sont rentrés à l’école."
    )
    data = text.encode("cp1252")
    path = tmp_path / "legacy.txt"
    path.write_bytes(data)
    item = _only(_read(path))
    assert isinstance(item, RawInput), item
    assert item.content == text  # é and ’ come out right
    assert item.encoding == "cp1252"


def test_cp1252_english_sentence_is_decoded_right(tmp_path):
    text = (
        "The café near the old bridge reopened on Monday. ‘We were afraid,’ a resident said, "
        "adding that the army’s patrols had resumed after the storm."
    )
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))
    item = _only(_read(path))
    assert item.content == text


def test_invalid_utf8_without_detection_is_bad_encoding(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("The café was shelled overnight, the owner said.".encode("latin-1"))
    skip = _only(_read(path, _input(detect_encoding=False)))
    assert isinstance(skip, Skip)
    assert skip.reason == "bad_encoding"
    assert str(path) in skip.message and "detect_encoding" in skip.message


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\t\r\n  ", "empty"),
        ("  \n ".encode("utf-16"), "empty"),
        (b"Shots were \x00\x00 heard near the depot.", "binary"),
        (PNG_HEADER, "binary"),
        (bytes(range(1, 9)) * 20 + b"some words", "binary"),
    ],
    ids=["empty", "whitespace", "utf16-whitespace", "nul-bytes", "png", "control-bytes"],
)
def test_bad_document_files(tmp_path, data, reason):
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    skip = _only(_read(path))
    assert isinstance(skip, Skip)
    assert (skip.source, skip.reason) == (str(path), reason)
    assert str(path) in skip.message


def test_png_named_html_is_binary(tmp_path):
    path = tmp_path / "photo.html"
    path.write_bytes(PNG_HEADER)
    assert _only(_read(path)).reason == "binary"


def test_file_above_max_bytes_is_refused_from_its_size(tmp_path, open_spy):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: no 200 MB are written
        handle.truncate(200 * 2**20)
    open_spy["opened"].clear()
    skip = _only(_read(path))
    assert isinstance(skip, Skip)
    assert skip.reason == "too_large"
    assert "209,715,200" in skip.message and "max_bytes" in skip.message
    assert path not in open_spy["opened"]  # refused from stat(), never opened


def test_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "exact.txt"
    path.write_bytes(b"a" * 64)
    assert _only(_read(path, _input(max_bytes=64))).content == "a" * 64
    assert _only(_read(path, _input(max_bytes=63))).reason == "too_large"


# --- JSONL ----------------------------------------------------------------------------


def _jsonl(path: Path, *lines: object) -> Path:
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def test_jsonl_records_with_metadata(tmp_path):
    path = _jsonl(
        tmp_path / "feed.jsonl",
        {
            "id": "n-1",
            "text": "Militants burned two trucks near the border.",
            "title": "Trucks burned",
            "url": "https://news.example/trucks",
            "outlet": "Border Herald",
            "published": "2024-05-02",
            "language": "en",
            "section": "world",  # unknown fields are ignored
        },
        {"id": 7, "text": "Aid reached the camp.", "html": "<p>Aid reached the camp.</p>"},
        {"id": "", "text": "Rain delayed the talks.", "html": "  ", "url": ""},
    )
    first, second, third = _read(path)
    assert first == RawInput(
        source=str(path),
        content="Militants burned two trucks near the border.",
        format="text",
        source_id="n-1",
        url="https://news.example/trucks",
        title="Trucks burned",
        outlet="Border Herald",
        published="2024-05-02",
        language="en",
        input_format="jsonl",
    )
    # html is preferred when it has content; the id is made a string
    assert (second.content, second.format, second.source_id) == (
        "<p>Aid reached the camp.</p>",
        "html",
        "7",
    )
    assert second.input_format == "jsonl"
    # blank html falls back to text; empty strings are no value
    assert (third.content, third.format, third.source_id, third.url) == (
        "Rain delayed the talks.",
        "text",
        None,
        None,
    )


def test_ndjson_suffix(tmp_path):
    path = _jsonl(tmp_path / "feed.ndjson", {"text": "Curfew lifted in the capital."})
    assert _only(_read(path)).input_format == "jsonl"


def test_jsonl_bad_lines_are_skipped_with_their_line_numbers(tmp_path):
    path = _jsonl(
        tmp_path / "feed.jsonl",
        {"id": "a", "text": "Police cleared the square."},  # 1
        '{"id": "b", "text": "unterminated',  # 2
        "",  # 3: blank lines are not records
        "[1, 2, 3]",  # 4
        {"id": "c", "text": 42},  # 5
        {"id": "d", "html": ["<p>no</p>"]},  # 6
        {"id": "e", "title": "Headline only"},  # 7
        {"id": "f", "text": "   "},  # 8
        '"just a string"',  # 9
        {"id": "g", "text": "Talks resumed in the evening."},  # 10
    )
    items = _read(path)
    assert [item.source_id for item in _inputs(items)] == ["a", "g"]
    skips = {skip.line: skip for skip in _skips(items)}
    assert sorted(skips) == [2, 4, 5, 6, 7, 8, 9]
    assert {line: skip.reason for line, skip in skips.items()} == {
        2: "malformed_record",
        4: "malformed_record",
        5: "malformed_record",
        6: "malformed_record",
        7: "empty",
        8: "empty",
        9: "malformed_record",
    }
    assert f"{path}:2: not valid JSON" in skips[2].message
    assert "must be a JSON object, got list" in skips[4].message
    assert "'text' must be a string, got int" in skips[5].message
    assert "'html' must be a string, got list" in skips[6].message
    assert [skips[n].source_id for n in (5, 6, 7, 8)] == ["c", "d", "e", "f"]
    assert all(skip.source == str(path) for skip in skips.values())


def test_jsonl_record_without_content_names_unknown_fields(tmp_path):
    path = _jsonl(tmp_path / "feed.jsonl", {"id": "x", "body": "Text under another name."})
    skip = _only(_read(path))
    assert skip.reason == "empty"
    assert "body" in skip.message


def test_jsonl_invalid_utf8_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b'{"text": "Shops reopened."}\n{"text": "caf\xe9"}\n{"text": "Schools closed."}\n'
    )
    items = _read(path)
    assert [item.content for item in _inputs(items)] == ["Shops reopened.", "Schools closed."]
    skip = _only(_skips(items))
    assert (skip.reason, skip.line) == ("bad_encoding", 2)


def test_oversized_jsonl_line_is_skipped_between_good_lines(tmp_path):
    path = _jsonl(
        tmp_path / "feed.jsonl",
        {"id": "before", "text": "Fighting eased at dawn."},
        {"id": "huge", "text": "word " * 5000},
        {"id": "after", "text": "Roads reopened by noon."},
    )
    items = _read(path, _input(max_bytes=200))
    assert [item.source_id for item in _inputs(items)] == ["before", "after"]
    skip = _only(_skips(items))
    assert (skip.reason, skip.line, skip.source) == ("too_large", 2, str(path))
    assert "200" in skip.message


def test_oversized_last_jsonl_line_without_newline(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"text": "Short one."}) + "\n" + json.dumps({"text": "x" * 500}),
        encoding="utf-8",
    )
    items = _read(path, _input(max_bytes=100))
    assert [type(item) for item in items] == [RawInput, Skip]
    assert (items[1].reason, items[1].line) == ("too_large", 2)


def test_jsonl_line_at_the_limit_is_read(tmp_path):
    line = json.dumps({"text": "y" * 40})
    path = tmp_path / "feed.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    assert isinstance(_only(_read(path, _input(max_bytes=len(line)))), RawInput)
    assert _only(_read(path, _input(max_bytes=len(line) - 1))).reason == "too_large"


class _LineSpy(io.BufferedReader):
    """A binary stream that records the size asked of each readline call."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self.sizes: list[int] = []

    def readline(self, size=-1):  # type: ignore[override]
        self.sizes.append(size)
        return super().readline(size)


def test_oversized_jsonl_line_is_never_read_whole():
    data = (
        json.dumps({"text": "Calm returned."}).encode()
        + b"\n"
        + json.dumps({"text": "z" * (3 * 2**20)}).encode()
        + b"\n"
        + json.dumps({"text": "Markets opened."}).encode()
        + b"\n"
    )
    stream = _LineSpy(data)
    items = list(iter_inputs(["-"], settings=_input(max_bytes=1000), stdin=stream))
    assert [item.content for item in _inputs(items)] == ["Calm returned.", "Markets opened."]
    assert _only(_skips(items)).line == 2
    assert stream.sizes and all(0 < size <= 2**20 for size in stream.sizes)


def test_jsonl_with_utf8_bom_reads_first_record(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + b'{"id": "1", "text": "Rockets struck the port."}\n')
    item = _only(_read(path))
    assert isinstance(item, RawInput), item
    assert item.source_id == "1"


@pytest.mark.parametrize("data", [b"", b"\n\n  \n"], ids=["empty", "blank-lines"])
def test_empty_jsonl_file_is_a_skip(tmp_path, data):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(data)
    skip = _only(_read(path))
    assert skip.reason == "empty"


# --- CSV ------------------------------------------------------------------------------


def test_csv_records_with_metadata(tmp_path):
    path = tmp_path / "feed.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "url", "outlet", "published", "language", "text", "html"])
        writer.writerow(
            [
                "r1",
                "Dam breached",
                "https://news.example/dam",
                "Valley Post",
                "2023-11-30",
                "en",
                "The dam gave way after heavy rain,\nflooding three villages.",
                "",
            ]
        )
        writer.writerow(["r2", "", "", "", "", "", "ignored", "<p>Evacuations began.</p>"])
    first, second = _read(path)
    assert first == RawInput(
        source=str(path),
        content="The dam gave way after heavy rain,\nflooding three villages.",
        format="text",
        source_id="r1",
        url="https://news.example/dam",
        title="Dam breached",
        outlet="Valley Post",
        published="2023-11-30",
        language="en",
        input_format="csv",
    )
    assert (second.content, second.format, second.source_id, second.title) == (
        "<p>Evacuations began.</p>",
        "html",
        "r2",
        None,
    )


def test_csv_with_bom_and_only_a_text_column(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"text\nA ceasefire was announced.\n")
    item = _only(_read(path))
    assert (item.content, item.source_id, item.input_format) == (
        "A ceasefire was announced.",
        None,
        "csv",
    )


def test_csv_without_a_content_column(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("id,headline\n1,Storm hits coast\n", encoding="utf-8")
    skip = _only(_read(path))
    assert skip.reason == "malformed_record"
    assert "'text' or 'html'" in skip.message and "id, headline" in skip.message


def test_empty_csv_is_one_skip(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_bytes(b"")
    skip = _only(_read(path))
    assert isinstance(skip, Skip) and skip.reason == "empty"


def test_csv_bad_rows_are_skipped_and_reading_goes_on(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(
        "id,text\n"
        "a,The market was shelled.\n"  # line 2
        "b,\n"  # line 3: no content
        "c\n"  # line 4: missing column
        "d,A convoy was stopped.,surplus\n"  # line 5: an extra field is dropped
        ",Nobody claimed the attack.\n",  # line 6
        encoding="utf-8",
    )
    items = _read(path)
    assert [(item.source_id, item.content) for item in _inputs(items)] == [
        ("a", "The market was shelled."),
        ("d", "A convoy was stopped."),
        (None, "Nobody claimed the attack."),
    ]
    assert [(skip.reason, skip.line, skip.source_id) for skip in _skips(items)] == [
        ("empty", 3, "b"),
        ("empty", 4, "c"),
    ]


def test_csv_header_not_utf8(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_bytes(b"id,t\xe9xt\n1,Hello\n")
    skip = _only(_read(path))
    assert skip.reason == "bad_encoding"


def test_csv_invalid_utf8_row_keeps_the_rows_before_it(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_bytes(
        b"id,text\n1,Shelling hit the market.\n2,Caf\xe9 closed after the raid.\n3,Calm.\n"
    )
    items = _read(path)
    assert [item.source_id for item in _inputs(items)] == ["1", "3"]
    skip = _only(_skips(items))
    assert (skip.reason, skip.line) == ("bad_encoding", 3)
    assert "header" not in skip.message


def test_oversized_csv_record_is_skipped_like_a_jsonl_line(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(
        "id,text\n1,Short report.\n2," + "x" * 300 + "\n3,Another short one.\n", encoding="utf-8"
    )
    items = _read(path, _input(max_bytes=100))
    assert [item.source_id for item in _inputs(items)] == ["1", "3"]
    skip = _only(_skips(items))
    assert (skip.reason, skip.line) == ("too_large", 3)


def test_oversized_csv_record_keeps_the_rows_before_it(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("id,text\n1,Short report.\n2," + "x" * 300 + "\n", encoding="utf-8")
    items = _read(path, _input(max_bytes=100))
    assert [item.source_id for item in _inputs(items)] == ["1"]
    skip = _only(_skips(items))
    assert skip.reason == "too_large" and "longer than input.max_bytes" in skip.message


def test_csv_error_names_the_line_of_the_bad_record(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("id,text\n1,Short report.\n2," + "x" * 300 + "\n", encoding="utf-8")
    skip = _only(_skips(_read(path, _input(max_bytes=100))))
    assert skip.line == 3
    assert f"{path}:3:" in skip.message


# --- gzip -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, payload, kind, content",
    [
        ("story.txt.gz", STORY.encode(), "text", STORY),
        ("page.html.gz", PAGE.encode(), "html", PAGE),
        ("feed.jsonl.gz", b'{"id": "z", "text": "Ships left the harbour."}\n', "jsonl",
         "Ships left the harbour."),
        ("feed.csv.gz", b"id,text\nz,Ships left the harbour.\n", "csv", "Ships left the harbour."),
        ("FEED.NDJSON.GZ", b'{"text": "Ships left the harbour."}\n', "jsonl",
         "Ships left the harbour."),
    ],
)
def test_gzip_of_each_kind(tmp_path, name, payload, kind, content):
    path = tmp_path / name
    path.write_bytes(gzip.compress(payload))
    item = _only(_read(path))
    assert isinstance(item, RawInput), item
    assert (item.source, item.content, item.input_format) == (str(path), content, kind)


_GZ_PAYLOADS = {
    "story.txt.gz": STORY.encode() * 50,
    "feed.jsonl.gz": b'{"text": "Ships left the harbour."}\n' * 50,
    "feed.csv.gz": b"text\n" + b"Ships left the harbour.\n" * 50,
}


@pytest.mark.parametrize("truncated", [False, True], ids=["not-gzip", "truncated"])
@pytest.mark.parametrize("name", sorted(_GZ_PAYLOADS))
def test_corrupt_gzip_is_bad_archive(tmp_path, name, truncated):
    path = tmp_path / name
    if truncated:
        path.write_bytes(gzip.compress(_GZ_PAYLOADS[name])[:-30])
    else:
        path.write_bytes(_GZ_PAYLOADS[name])  # plain bytes under a .gz name
    skip = _only(_skips(_read(path)))
    assert (skip.reason, skip.source) == ("bad_archive", str(path))
    assert "not a readable gzip file" in skip.message


def test_gzip_content_above_the_limit(tmp_path):
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(b"quiet " * 10_000))  # 60 kB inflated, a few hundred on disk
    assert path.stat().st_size < 1000
    skip = _only(_read(path, _input(max_bytes=1000)))
    assert skip.reason == "too_large"
    assert "1,000" in skip.message


def test_gzip_jsonl_lines_are_bounded_one_by_one(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    lines = [
        {"id": "1", "text": "Short."},
        {"id": "2", "text": "w" * 5000},
        {"id": "3", "text": "Also short."},
    ]
    path.write_bytes(gzip.compress("".join(json.dumps(line) + "\n" for line in lines).encode()))
    items = _read(path, _input(max_bytes=200))
    assert [item.source_id for item in _inputs(items)] == ["1", "3"]
    assert _only(_skips(items)).line == 2


def test_gz_without_a_known_inner_format_is_unsupported(tmp_path):
    path = tmp_path / "backup.tar.gz"
    path.write_bytes(gzip.compress(b"whatever"))
    assert _only(_read(path)).reason == "unsupported"


# --- paths that cannot be read ----------------------------------------------------------


def test_explicit_unsupported_file_is_a_skip(tmp_path):
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    bare = tmp_path / "README"
    bare.write_text("notes", encoding="utf-8")
    first, second = iter_inputs([pdf, bare], settings=INPUT)
    assert (first.reason, first.source) == ("unsupported", str(pdf))
    assert "'.pdf'" in first.message and ".jsonl" in first.message
    assert second.reason == "unsupported" and "(none)" in second.message


def test_nonexistent_path(tmp_path):
    missing = tmp_path / "nowhere.txt"
    skip = _only(list(iter_inputs([str(missing)], settings=INPUT)))
    assert (skip.reason, skip.source) == ("unreadable", str(missing))
    assert "no such file" in skip.message


@pytest.mark.parametrize("name", ["dangling.txt", "dangling.jsonl"])
def test_broken_symlink(tmp_path, name):
    link = tmp_path / name
    link.symlink_to(tmp_path / "gone")
    skip = _only(list(iter_inputs([link], settings=INPUT)))
    assert (skip.reason, skip.source) == ("unreadable", str(link))
    assert "No such file" in skip.message


@pytest.mark.parametrize("name", ["locked.txt", "locked.jsonl", "locked.csv.gz"])
def test_permission_error_on_open(tmp_path, open_spy, name):
    path = tmp_path / name
    path.write_bytes(b"whatever")
    open_spy["refuse"].add(path)
    skip = _only(_read(path))
    assert (skip.reason, skip.source) == ("unreadable", str(path))
    assert "Permission denied" in skip.message


def test_directory_given_to_read_file(tmp_path):
    folder = tmp_path / "looks-like.txt"
    folder.mkdir()
    skip = _only(_read(folder))
    assert skip.reason == "unreadable" and "directory" in skip.message


# --- directories ----------------------------------------------------------------------


def _tree(root: Path, files: dict[str, bytes | str]) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)


def _relative(root: Path, paths) -> list[str]:
    return [Path(path).relative_to(root).as_posix() for path in paths]


def test_directory_walk_order_and_filters(tmp_path):
    _tree(
        tmp_path,
        {
            "b.txt": "Second report.",
            "a.txt": "First report.",
            "z/deep/y.html": "<p>Deep page.</p>",
            "m/feed.jsonl": '{"text": "Fed line."}\n',
            "m/c.csv": "text\nRow.\n",
            "m/story.txt.gz": gzip.compress(b"Zipped."),
            ".hidden.txt": "Hidden file.",
            ".cache/inside.txt": "Hidden folder.",
            "m/.secret/x.txt": "Hidden deeper.",
            "notes.pdf": "%PDF",
            "image.png": PNG_HEADER,
            "README": "no suffix",
        },
    )
    assert _relative(tmp_path, iter_paths(tmp_path, settings=INPUT)) == [
        "a.txt",
        "b.txt",
        "m/c.csv",
        "m/feed.jsonl",
        "m/story.txt.gz",
        "z/deep/y.html",
    ]
    items = list(iter_inputs([tmp_path], settings=INPUT))
    assert not _skips(items)  # unsupported and hidden files are not looked at
    assert [item.content for item in items] == [
        "First report.",
        "Second report.",
        "Row.",
        "Fed line.",
        "Zipped.",
        "<p>Deep page.</p>",
    ]


def test_include_and_exclude_patterns(tmp_path):
    _tree(
        tmp_path,
        {
            "keep.txt": "a",
            "page.html": "<p>b</p>",
            "drafts/old.txt": "c",
            "2024/drafts/older.txt": "d",
            "2024/ok.txt": "e",
            "2024/skip-me.txt": "f",
        },
    )
    settings = _input(include=["*.txt"], exclude=["drafts", "*/skip-*"])
    assert _relative(tmp_path, iter_paths(tmp_path, settings=settings)) == [
        "keep.txt",
        "2024/ok.txt",
    ]
    settings = _input(exclude=["drafts/*"])
    assert "drafts/old.txt" not in _relative(tmp_path, iter_paths(tmp_path, settings=settings))


def test_mixed_directory_goes_on_and_gives_one_skip_per_bad_file(tmp_path):
    files = {
        "01-good.txt": "Soldiers patrolled the market.",
        "02-empty.txt": "",
        "03-blank.txt": "  \n\n ",
        "04-binary.txt": b"ab\x00\x00cd",
        "05-png.html": PNG_HEADER,
        "06-latin.txt": "Le café a brûlé.".encode("latin-1"),
        "07-corrupt.txt.gz": b"plainly not gzip",
        "08-headless.csv": "id,body\n1,x\n",
        "09-one-bad-line.jsonl": '{"text": "Good line."}\n{broken\n',
        "10-good.html": "<p>Talks broke down.</p>",
        "11-big.txt": "x" * 5000,
        "12-notes.docx": "ignored, not included",
    }
    _tree(tmp_path, files)
    (tmp_path / "13-dangling.txt").symlink_to(tmp_path / "absent")
    settings = _input(max_bytes=1000, detect_encoding=False)
    items = list(iter_inputs([tmp_path], settings=settings))
    assert [Path(item.source).name for item in _inputs(items)] == [
        "01-good.txt",
        "09-one-bad-line.jsonl",
        "10-good.html",
    ]
    reasons = {Path(skip.source).name: skip.reason for skip in _skips(items)}
    assert len(_skips(items)) == len(reasons)  # exactly one Skip per bad file
    assert reasons == {
        "02-empty.txt": "empty",
        "03-blank.txt": "empty",
        "04-binary.txt": "binary",
        "05-png.html": "binary",
        "06-latin.txt": "bad_encoding",
        "07-corrupt.txt.gz": "bad_archive",
        "08-headless.csv": "malformed_record",
        "09-one-bad-line.jsonl": "malformed_record",
        "11-big.txt": "too_large",
        "13-dangling.txt": "unreadable",
    }
    assert all(skip.message.startswith(skip.source) for skip in _skips(items))


def test_several_paths_keep_their_order(tmp_path):
    _tree(tmp_path, {"one.txt": "One.", "dir/two.txt": "Two.", "three.txt": "Three."})
    given_paths = [tmp_path / "three.txt", tmp_path / "missing.txt", tmp_path / "dir", "-"]
    items = list(iter_inputs(given_paths, settings=INPUT, stdin=io.BytesIO(b"Four.")))
    assert [getattr(item, "content", None) or item.reason for item in items] == [
        "Three.",
        "unreadable",
        "Two.",
        "Four.",
    ]


# --- standard input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, fmt, input_format, content",
    [
        (STORY.encode(), "text", "text", STORY),
        (b"\n  " + PAGE.encode(), "html", "html", "\n  " + PAGE),
        (b"<!DOCTYPE html>\n<p>Gunfire at night.</p>", "html", "html",
         "<!DOCTYPE html>\n<p>Gunfire at night.</p>"),
        (b' {"id": 3, "text": "Clinic reopened.", "outlet": "Local Wire"}\n', "text", "jsonl",
         "Clinic reopened."),
    ],
    ids=["text", "html", "doctype", "jsonl"],
)
def test_stdin_formats(data, fmt, input_format, content):
    item = _only(list(iter_inputs(["-"], settings=INPUT, stdin=io.BytesIO(data))))
    assert isinstance(item, RawInput), item
    assert (item.source, item.content, item.format, item.input_format) == (
        "-",
        content,
        fmt,
        input_format,
    )


def test_stdin_jsonl_keeps_metadata_and_line_numbers():
    data = b'{"id": 3, "text": "Clinic reopened.", "outlet": "Local Wire"}\n\n{"id": 4}\n'
    first, second = iter_inputs(["-"], settings=INPUT, stdin=io.BytesIO(data))
    assert (first.source_id, first.outlet) == ("3", "Local Wire")
    assert (second.source, second.reason, second.line, second.source_id) == ("-", "empty", 3, "4")


@pytest.mark.parametrize(
    "data, reason",
    [(b"", "empty"), (b" \n ", "empty"), (PNG_HEADER, "binary"), (b"w" * 2000, "too_large")],
)
def test_bad_stdin(data, reason):
    skip = _only(list(iter_inputs(["-"], settings=_input(max_bytes=1000), stdin=io.BytesIO(data))))
    assert (skip.source, skip.reason) == ("-", reason)


def test_stdin_utf16():
    text = "Curfew ends at six – officials.\n"
    item = _only(list(iter_inputs(["-"], settings=INPUT, stdin=io.BytesIO(text.encode("utf-16")))))
    assert (item.content, item.encoding) == (text, "utf-16")


# --- sniffing and decoding ------------------------------------------------------------


@pytest.mark.parametrize(
    "head, kind",
    [
        (b'{"text": "x"}', "jsonl"),
        (b"\xef\xbb\xbf\n\t {", "jsonl"),
        (b"<html lang=en>", "html"),
        (b"  <?xml version='1.0'?>", "html"),
        (b"<BODY>", "html"),
        (b"<div class='story'>", "html"),
        (b"<<< breaking", "text"),
        (b"Troops left the town.", "text"),
        (b"", "text"),
        (b"[1, 2]", "text"),
    ],
)
def test_sniff_kind(head, kind):
    assert sniff_kind(head) == kind


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@given(
    record=st.dictionaries(st.text(max_size=10), _JSON_VALUES, max_size=4),
    padding=st.text(alphabet=" \t\r\n", max_size=5),
)
def test_sniff_kind_finds_any_json_object(record, padding):
    assert sniff_kind((padding + json.dumps(record)).encode("utf-8")) == "jsonl"


def _starts_like_markup(text: str) -> bool:
    # sniff_kind drops leading whitespace and BOM bytes before looking at the first byte
    return text.encode("utf-8").lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"<", b"")


@given(st.text(min_size=1).filter(lambda text: not _starts_like_markup(text)))
def test_sniff_kind_prose_is_text(text):
    assert sniff_kind(text.encode("utf-8")) == "text"


# Printable text: no C0 control characters other than the whitespace text uses.
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r\f "),
    max_size=200,
)


@given(_TEXT.filter(lambda text: not text.startswith("\ufeff")))
def test_utf8_text_decodes_to_itself(text):
    assert decode_bytes(text.encode("utf-8"), source="t") == (text, "utf-8")


@given(_TEXT, st.sampled_from(["utf-16", "utf-32", "utf-8-sig"]))
def test_text_with_a_bom_decodes_to_itself(text, encoding):
    decoded, used = decode_bytes(text.encode(encoding), source="t")
    assert decoded == text
    assert used == encoding


@hypothesis_settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300), detect=st.booleans())
def test_decode_bytes_returns_text_or_a_reasoned_error(data, detect):
    try:
        text, encoding = decode_bytes(data, source="blob", detect_encoding=detect)
    except InputError as error:
        assert error.reason in {"binary", "bad_encoding"}
        assert error.source == "blob" and str(error).startswith("blob: ")
    else:
        assert isinstance(text, str) and isinstance(encoding, str)


def test_looks_binary():
    assert looks_binary(PNG_HEADER)
    assert looks_binary(b"text\x00")
    assert not looks_binary(b"")
    assert not looks_binary("Tabs\tand\nnew lines\r\n\f".encode())
    assert not looks_binary("x".encode("utf-16"))  # NUL bytes after a BOM are text
    assert looks_binary(b"\x1b" * 10 + b"a" * 100)  # 9% control bytes
    assert not looks_binary(b"\x1b" + b"a" * 100)


def test_csv_quoted_record_over_the_limit_is_skipped_and_reading_goes_on(tmp_path):
    path = tmp_path / "feed.csv"
    long_field = "\n".join(["word " * 15] * 4)  # each line short, the field long
    path.write_text(f'id,text\n1,Short report.\n2,"{long_field}"\n3,Another short one.\n', encoding="utf-8")
    items = _read(path, _input(max_bytes=200))
    assert [item.source_id for item in _inputs(items)][0] == "1"
    assert any(skip.reason == "too_large" for skip in _skips(items))
