"""`sitreps export` and `sitreps incidents` over a real SQLite store holding hand-built
documents, events and incidents (the records of tests/test_exports.py)."""

from __future__ import annotations

import json

import pytest

pd = pytest.importorskip("pandas")

from sitreps.cli.main import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main
from sitreps.outputs.exports import ACLED_COLUMNS, UCDP_COLUMNS
from sitreps.records import Document, Incident, from_dict
from sitreps.store import open_store
from test_exports import EVENTS, INCIDENTS, OUTLETS


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.db"
    with open_store(str(path)) as store:
        run_id = store.begin_run(version="test", settings={}, inputs=[])
        for event in EVENTS:
            document = Document(
                id=event.document_id,
                source=f"{event.id}.txt",
                text="invented report",
                original="invented report",
                outlet=OUTLETS.get(event.document_id),
            )
            store.write_document(document, run_id=run_id, events=[event])
        store.replace_incidents(INCIDENTS)
        store.finish_run(run_id, status="completed", counts={}, timings={})
    return str(path)


def test_export_incidents_as_acled_and_ucdp(db, tmp_path, capsys):
    out = tmp_path / "acled.csv"
    assert main(["export", "--format", "acled", "--out", str(out), "--db", db]) == EXIT_OK
    frame = pd.read_csv(out, keep_default_na=False, dtype=str)
    assert tuple(frame.columns) == ACLED_COLUMNS
    # The store lists incidents by id.
    assert list(frame["event_id_cnty"]) == sorted(i.id for i in INCIDENTS)
    assert dict(zip(frame["event_id_cnty"], frame["fatalities"])) == {"inc-clash": "13", "inc-onesided": "5", "inc-hostile": "0"}
    assert "exported 3 incidents as acled" in capsys.readouterr().err

    assert main(["export", "--format", "ucdp", "--incidents", "--db", db, "-q"]) == EXIT_OK
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == ",".join(UCDP_COLUMNS)


def test_export_events_names_their_outlets(db, tmp_path):
    out = tmp_path / "events.parquet"
    assert main(["export", "--format", "parquet", "--events", "--out", str(out), "--db", db, "-q"]) == EXIT_OK
    frame = pd.read_parquet(out)
    assert list(frame["id"]) == sorted(e.id for e in EVENTS)
    assert dict(zip(frame["id"], frame["outlet"].fillna(""))) == {
        "ev-abduction": "@Sahel Radio", "ev-clash": "The Daily Example", "ev-strike": ""
    }


def test_export_parquet_needs_a_file(db, capsys):
    assert main(["export", "--format", "parquet", "--db", db]) == EXIT_USAGE
    assert "--out FILE" in capsys.readouterr().err


def test_export_jsonl_reads_back(db, capsys):
    assert main(["export", "--format", "jsonl", "--db", db, "-q"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert {from_dict(Incident, json.loads(line)) for line in lines} == set(INCIDENTS)


def test_incidents_list_and_filters(db, capsys):
    assert main(["incidents", "list", "--db", db]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["inc-clash", "inc-hostile", "inc-onesided"]
    assert "!1" in lines[0]

    for options, expected in (
        (["--country", "ML"], ["inc-onesided"]),
        (["--from", "2021-01-01"], ["inc-onesided"]),
        (["--to", "2020-01-01"], ["inc-clash"]),
        (["--actor", "liberation", "--type", "battles"], ["inc-clash"]),
        (["--type", "Air/drone strike"], ["inc-hostile"]),
        (["--limit", "1"], ["inc-clash"]),
    ):
        assert main(["incidents", "list", "--db", db, *options]) == EXIT_OK
        assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == expected, options

    assert main(["incidents", "list", "--db", db, "--json", "--country", "SY"]) == EXIT_OK
    (line,) = capsys.readouterr().out.splitlines()
    assert from_dict(Incident, json.loads(line)) == INCIDENTS[0]


def test_incidents_list_refuses_a_bad_date(db, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["incidents", "list", "--db", db, "--from", "last week"])
    assert exit.value.code == EXIT_USAGE


def test_incidents_show(db, capsys):
    assert main(["incidents", "show", "inc-cl", "--db", db]) == EXIT_OK
    page = capsys.readouterr().out
    for text in ("incident inc-clash", "CONTRADICTIONS (1)", "State News Agency (partisan_media, adversary)", "2 reports, 2 independent"):
        assert text in page
    assert main(["incidents", "show", "inc-clash", "--db", db, "--json"]) == EXIT_OK
    assert from_dict(Incident, json.loads(capsys.readouterr().out)) == INCIDENTS[0]
    assert main(["incidents", "show", "nothing-here", "--db", db]) == EXIT_ERROR
    assert "sitreps incidents list" in capsys.readouterr().err
    assert main(["incidents", "show", "inc-", "--db", db]) == EXIT_ERROR
    assert "too short" in capsys.readouterr().err
    assert main(["incidents", "show", "inc-cl", "--db", db]) == EXIT_OK
