"""The bundled example corpus against its hand-written expectations
(tests/fixtures/examples_expected.json): metadata, junk and captions out, body sentences in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitreps.clean import make_document
from sitreps.config import load_settings
from sitreps.ingest import iter_inputs
from sitreps.records import Document

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((ROOT / "tests/fixtures/examples_expected.json").read_text("utf-8"))
SETTINGS = load_settings(environ={})


def _key(source: str, source_id: str | None) -> str:
    name = Path(source).name
    return f"{name}#{source_id}" if source_id else name


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    found = {}
    for item in iter_inputs([ROOT / "examples"], settings=SETTINGS.input):
        document = make_document(item, settings=SETTINGS)
        assert isinstance(document, Document), document
        found[_key(item.source, item.source_id)] = document
    return found


def test_every_example_is_read(documents):
    assert set(documents) == set(EXPECTED)
    assert len(documents) >= 12


def _same_names(got: str | None, want: str | None) -> bool:
    # HTML metadata joins several authors with "; ", the page text with "and".
    normalize = lambda value: None if value is None else value.replace("; ", " and ")
    return normalize(got) == normalize(want)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_example_metadata(documents, key):
    document, expected = documents[key], EXPECTED[key]
    assert document.title == expected["title"]
    assert document.outlet == expected["outlet"]
    assert document.wire == expected["wire"]
    assert document.dateline == expected["dateline"]
    assert _same_names(document.byline, expected["byline"])
    assert document.published.date == expected["published"]
    if expected["published"] is not None:
        assert document.published.source == expected["published_source"]
    else:
        assert document.published.source == "unknown"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_example_junk_and_captions_leave_the_body(documents, key):
    document, expected = documents[key], EXPECTED[key]
    body_lines = {document.original[l.start : l.end].strip() for l in document.lines if l.kind == "body"}
    for line in expected["junk_lines"] + expected["caption_lines"]:
        assert line not in body_lines, line
    for sentence in expected["body_sentences"]:
        assert sentence in document.text, sentence


def test_wire_copies_are_distinct_documents(documents):
    first, copy = documents["003_mali_mondoro_attack_afp.html"], documents["004_mali_mondoro_attack_afp_copy.txt"]
    assert first.wire == copy.wire == "AFP"
    assert first.id != copy.id
    assert first.text.split("\n\n")[0] == copy.text.split("\n\n")[0]
