"""The sitreps command and the runner behind it: the whole pipeline over real files into a real
store, reruns, interruptions, bad inputs, and the listing commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from sitreps.cli.main import EXIT_ERROR, EXIT_OK, EXIT_SKIPPED, main
from sitreps.config import load_settings
from sitreps.records import Document
from sitreps.run import run_pipeline
from sitreps.store import open_store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXPECTED = json.loads((ROOT / "tests/fixtures/examples_expected.json").read_text("utf-8"))


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    """The README's first command, in process: the examples into a fresh store."""
    folder = tmp_path_factory.mktemp("run")
    code = main(["run", str(EXAMPLES), "--out", str(folder / "out"), "--db", str(folder / "s.db"), "-q"])
    return code, folder


def test_run_writes_every_output(example_run):
    code, folder = example_run
    assert code == EXIT_OK
    for name in ("documents", "events", "claims", "incidents"):
        assert (folder / "out" / f"{name}.jsonl").exists()
    documents = _read_jsonl(folder / "out/documents.jsonl")
    assert len(documents) == len(EXPECTED)
    for document in documents:
        assert document["source"].startswith(str(EXAMPLES))
        assert document["text"] and document["id"] and document["published"]["source"]
        assert all(line["kind"] in {"body", "meta", "caption", "junk"} for line in document["lines"])
    from_feed = [d for d in documents if d["source"].endswith("feed.jsonl")]
    assert sorted(d["source_id"] for d in from_feed) == sorted(
        key.split("#", 1)[1] for key in EXPECTED if "#" in key
    )
    assert all(d["input_format"] == "jsonl" for d in from_feed)
    # Every event points into its document's text; every claim row into an event.
    texts = {d["id"]: d["text"] for d in documents}
    events = _read_jsonl(folder / "out/events.jsonl")
    assert events and {e["document_id"] for e in events} <= set(texts)
    for event in events:
        for evidence in event["evidence"]:
            assert texts[event["document_id"]][evidence["start"] : evidence["end"]] == evidence["text"]
    claims = _read_jsonl(folder / "out/claims.jsonl")
    event_ids = {e["id"] for e in events}
    assert claims and all(c["event_id"] in event_ids and c["kind"] in ("fatalities", "injuries", "captured", "released", "missing") for c in claims)
    for claim in claims:
        start, end = claim["span"]
        assert texts[claim["document_id"]][start:end] == claim["text"]


def test_rerun_resumes_and_writes_the_same_bytes(example_run, tmp_path):
    code, folder = example_run
    first = (folder / "out/documents.jsonl").read_bytes()
    again = main(["run", str(EXAMPLES), "--out", str(tmp_path / "out"), "--db", str(folder / "s.db"), "-q"])
    assert again == EXIT_OK
    assert (tmp_path / "out/documents.jsonl").read_bytes() == first
    # Events of documents already stored come back from the store, byte for byte.
    assert (tmp_path / "out/events.jsonl").read_bytes() == (folder / "out/events.jsonl").read_bytes()
    assert (tmp_path / "out/claims.jsonl").read_bytes() == (folder / "out/claims.jsonl").read_bytes()
    with open_store(str(folder / "s.db")) as store:
        runs = store.runs()
        assert runs[-1]["counts"]["existing"] == len(EXPECTED)
        assert runs[-1]["counts"].get("new", 0) == 0
        assert store.count_documents() == len(EXPECTED)


def test_run_summary_says_where_outputs_are(tmp_path, capsys):
    code = main(["run", str(EXAMPLES / "002_hama_army_statement.txt"), "--out", str(tmp_path / "o"), "--db", str(tmp_path / "s.db")])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert "1 inputs -> 1 documents" in out
    assert str(tmp_path / "o" / "documents.jsonl") in out
    assert str(tmp_path / "s.db") in out


def test_bad_inputs_are_skipped_and_recorded(tmp_path, capsys):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (inputs / "legacy.txt").write_bytes(
        "Headline\n\nThe caf\xe9 owner said gunmen fired on the crowd.\n".encode("cp1252")
    )
    (inputs / "feed.jsonl").write_text(
        '{"id": "a", "text": "Troops shelled the ridge overnight, residents said."}\n'
        "{not json\n"
        '{"id": "c", "title": "no body"}\n',
        encoding="utf-8",
    )
    (inputs / "nested.html").write_text("<div>" * 3000 + "x" + "</div>" * 3000, encoding="utf-8")
    code = main(["run", str(inputs), str(tmp_path / "missing.txt"), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "s.db")])
    captured = capsys.readouterr()
    assert code == EXIT_SKIPPED
    with open_store(str(tmp_path / "s.db")) as store:
        reasons = sorted(skip["reason"] for skip in store.skips())
        assert reasons == ["binary", "empty", "empty", "html_too_deep", "malformed_record", "unreadable"]
        (malformed,) = [skip for skip in store.skips() if skip["reason"] == "malformed_record"]
        assert malformed["line"] == 2
        assert store.count_documents() == 2  # the legacy-encoded file and record "a"
        assert store.runs()[-1]["status"] == "completed_with_skips"
    # Each bad input is reported once, with its reason.
    assert captured.err.count("skipped:") == 6
    assert "skipped: binary 1, empty 2" in captured.out
    legacy = [d for d in _read_jsonl(tmp_path / "out/documents.jsonl") if d["source"].endswith("legacy.txt")]
    assert "café owner" in legacy[0]["text"] and legacy[0]["encoding"] != "utf-8"


def test_interrupted_run_leaves_whole_documents_and_resumes(tmp_path):
    settings = load_settings(environ={}, overrides={"store": {"url": str(tmp_path / "s.db")}})
    written: list[Document] = []

    def stop_after_three(document: Document) -> None:
        written.append(document)
        if len(written) == 3:
            raise KeyboardInterrupt

    with open_store(settings.store.url) as store:
        with pytest.raises(KeyboardInterrupt):
            run_pipeline([EXAMPLES], settings=settings, store=store, out_dir=tmp_path / "out", on_document=stop_after_three)
        assert store.runs()[-1]["status"] == "interrupted"
        assert store.count_documents() == 3
        for document in written:
            assert store.get_document(document.id) == document
    # Outputs are written whole or not at all.
    assert not (tmp_path / "out/documents.jsonl").exists()
    assert not list((tmp_path / "out").glob(".*.tmp"))
    with open_store(settings.store.url) as store:
        result = run_pipeline([EXAMPLES], settings=settings, store=store, out_dir=tmp_path / "out")
    assert result.counts["existing"] == 3
    assert result.counts["new"] == len(EXPECTED) - 3
    assert len(_read_jsonl(tmp_path / "out/documents.jsonl")) == len(EXPECTED)


def test_same_content_from_two_sources_is_one_document(tmp_path):
    text = "Headline\n\nGunmen attacked a police post near the market, officials said.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("Headline", "Another headline"), encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert main(["run", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", db, "-q"]) == EXIT_OK
    with open_store(db) as store:
        assert store.count_documents() == 1
        (summary,) = store.iter_documents()
        assert [s["source"] for s in store.document_sources(summary["id"])] == [
            str(tmp_path / "a.txt"),
            str(tmp_path / "b.txt"),
        ]
        assert store.runs()[-1]["counts"]["duplicates"] == 1


def test_ingest_then_run_annotates_what_was_only_ingested(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(EXAMPLES / "006_kharkiv_missile_strike.txt"), "--db", db]) == EXIT_OK
    assert "1 new documents" in capsys.readouterr().out
    with open_store(db) as store:
        (summary,) = store.iter_documents()
        assert not store.has_document(summary["id"], processed=True)
    assert main(["run", str(EXAMPLES / "006_kharkiv_missile_strike.txt"), "--db", db, "-q"]) == EXIT_OK
    with open_store(db) as store:
        assert store.has_document(summary["id"], processed=True)
        assert store.runs()[-1]["counts"]["new"] == 1


def test_documents_list_and_show(example_run, capsys):
    _, folder = example_run
    db = str(folder / "s.db")
    capsys.readouterr()
    assert main(["documents", "list", "--db", db, "--limit", "3"]) == EXIT_OK
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 3
    prefix = rows[0].split()[0]
    assert main(["documents", "show", prefix, "--db", db, "--lines"]) == EXIT_OK
    shown = capsys.readouterr().out
    assert "published" in shown and "body    paragraph" in shown
    assert main(["documents", "show", prefix, "--db", db, "--json"]) == EXIT_OK
    record = json.loads(capsys.readouterr().out)
    assert record["id"].startswith(prefix)
    assert main(["documents", "list", "--db", db, "--json", "--limit", "1"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["id"].startswith(prefix)
    assert main(["documents", "show", "ffffffffffff", "--db", db]) == EXIT_ERROR
    assert "no document" in capsys.readouterr().err


def test_errors_become_exit_codes_with_messages(tmp_path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text("[store]\nurll = 'x'\n", encoding="utf-8")
    assert main(["run", str(EXAMPLES), "--config", str(config)]) == EXIT_ERROR
    assert "store.urll" in capsys.readouterr().err
    assert main(["run", str(EXAMPLES), "--db", "mysql://nowhere/db"]) == EXIT_ERROR
    assert "unsupported scheme" in capsys.readouterr().err


def test_evaluate_lists_and_writes_json(tmp_path, capsys):
    assert main(["evaluate", "--list"]) == EXIT_OK
    listed = capsys.readouterr().out
    assert "seeds-cleaning" in listed and "article-extraction" in listed
    data = ROOT.parent / "shared" / "benchmarks"
    if not (data / "seeds").is_dir():
        pytest.skip("../shared/benchmarks is not beside the checkout")
    out = tmp_path / "m.json"
    assert main(["evaluate", "seeds-cleaning", "--data", str(data), "--json", str(out), "-q"]) == EXIT_OK
    written = json.loads(out.read_text())
    assert written["benchmark"] == "seeds-cleaning" and written["metrics"]["junk_removed"] == 1.0
    assert main(["evaluate", "no-such-benchmark", "--data", str(data)]) == EXIT_ERROR


def _sitreps(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitreps.cli.main", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


def test_version_and_standard_input(tmp_path):
    version = _sitreps("--version")
    assert version.returncode == 0 and version.stdout.decode().startswith("sitreps ")
    feed = (EXAMPLES / "feed.jsonl").read_bytes()
    done = _sitreps("run", "-", "--out", str(tmp_path / "out"), "--db", str(tmp_path / "s.db"), "-q", stdin=feed)
    assert done.returncode == 0, done.stderr.decode()
    documents = _read_jsonl(tmp_path / "out/documents.jsonl")
    assert len(documents) == sum(1 for key in EXPECTED if key.startswith("feed.jsonl#"))
    assert {d["source"] for d in documents} == {"-"}


def test_importing_the_cli_loads_no_heavy_dependency():
    code = (
        "import sys, sitreps.cli.main\n"
        "heavy = [m for m in ('ray', 'torch', 'fastapi', 'psycopg', 'spacy', 'trafilatura') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stderr.decode()


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("SITREPS_TEST_POSTGRES"),
    reason="set SITREPS_TEST_POSTGRES to a PostgreSQL URL to run the PostgreSQL store tests",
)
def test_run_into_postgresql(tmp_path):
    schema = f"sitreps_cli_{uuid.uuid4().hex[:10]}"
    base = os.environ["SITREPS_TEST_POSTGRES"]
    url = f"{base}{'&' if '?' in base else '?'}schema={schema}"
    try:
        assert main(["run", str(EXAMPLES), "--db", url, "--out", str(tmp_path / "out"), "-q"]) == EXIT_OK
        assert main(["run", str(EXAMPLES), "--db", url, "-q"]) == EXIT_OK
        with open_store(url) as store:
            assert store.count_documents() == len(EXPECTED)
            assert store.runs()[-1]["counts"]["existing"] == len(EXPECTED)
    finally:
        import psycopg

        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_actors_lookup_explains_the_resolution(capsys):
    assert main(["actors", "lookup", "Jabhat Fateh al-Sham", "--date", "2016-10-01"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Nusra Front [nusra_front]" in out
    assert "name on 2016-10-01: Jabhat Fatah al-Sham" in out
    assert "member_of Jaysh al-Fatah" in out
    assert main(["actors", "lookup", "SOHR"]) == EXIT_OK
    assert "as claimant: monitor_ngo" in capsys.readouterr().out
    assert main(["actors", "lookup", "clashes between Hezbollah and the Syrian army"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "no exact entry" in out and "[hezbollah]" in out and "[military_sy]" in out
    assert main(["actors", "lookup", "the weather"]) == EXIT_ERROR


def test_actors_import_adds_to_the_knowledge_base(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SITREPS_HOME", str(tmp_path / "home"))
    from sitreps.actors import default_matcher

    default_matcher.cache_clear()
    source = tmp_path / "extra.csv"
    source.write_text(
        "id,name,aliases,acronyms,actor_type,countries\n"
        "river_guard,River Valley Guard,Valley Guard Militia,RVG,3,ML\n",
        encoding="utf-8",
    )
    try:
        assert main(["actors", "import", str(source)]) == EXIT_OK
        assert (tmp_path / "home" / "actors" / "extra.toml").exists()
        default_matcher.cache_clear()
        assert main(["actors", "lookup", "RVG"]) == EXIT_OK
        assert "River Valley Guard [river_guard]" in capsys.readouterr().out
    finally:
        default_matcher.cache_clear()


def test_export_into_a_pipe_closed_early_stops_quietly(example_run):
    import subprocess
    import sys

    _, folder = example_run
    command = [sys.executable, "-c", "import sys; from sitreps.cli.main import main; sys.exit(main(sys.argv[1:]))",
               "export", "--format", "jsonl", "--events", "--db", str(folder / "s.db")]
    # The reader hangs up before anything is written, so the very first write meets a
    # closed pipe whatever the size of the export.
    export = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    export.stdout.close()
    _, errors = export.communicate(timeout=120)
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors
    assert export.returncode == EXIT_OK


def test_a_document_that_breaks_extraction_is_skipped_not_fatal(tmp_path, monkeypatch):
    import sitreps.run as run_module

    real = run_module.extract_events

    def fragile(document, doc, **options):
        if "Bunagana" in document.text:
            raise ValueError("a defect met by this text")
        return real(document, doc, **options)

    monkeypatch.setattr(run_module, "extract_events", fragile)
    db = str(tmp_path / "s.db")
    code = main(["run", str(EXAMPLES), "--out", str(tmp_path / "out"), "--db", db, "-q"])
    assert code == EXIT_SKIPPED
    with open_store(db) as store:
        skips = store.skips()
        assert [s["reason"] for s in skips] == ["extraction_error"]
        assert "a defect met by this text" in skips[0]["message"]
        assert store.count_documents() == len(EXPECTED) - 1  # nothing half-written
    # Fixed, a rerun picks the document up.
    monkeypatch.setattr(run_module, "extract_events", real)
    assert main(["run", str(EXAMPLES), "--db", db, "-q"]) == EXIT_OK
    with open_store(db) as store:
        assert store.count_documents() == len(EXPECTED)
