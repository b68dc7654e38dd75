"""The accuracy gate: every benchmark with floors in benchmarks/floors.json scores at or above
them. Runs where ../shared/benchmarks is present (as in CI), skips with the reason elsewhere."""

from __future__ import annotations

import json

import pytest

from sitreps.config import load_settings
from sitreps.errors import EvaluationError
from sitreps.evaluate import evaluate, find_benchmarks_root
from sitreps.evaluate.floors import DEFAULT_FLOORS, raise_floors, read_floors, violations

FLOORS = read_floors()


def _root():
    try:
        return find_benchmarks_root()
    except EvaluationError as error:
        pytest.skip(f"benchmark data not found: {error}")


@pytest.fixture(scope="module")
def own_data_home(tmp_path_factory):
    """The place benchmarks build the gazetteer (about 30 s): into a folder of the test
    session, never the user's data directory."""
    patch = pytest.MonkeyPatch()
    patch.setenv("SITREPS_HOME", str(tmp_path_factory.mktemp("sitreps-home")))
    yield
    patch.undo()


@pytest.mark.benchmark_data
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_benchmark_meets_its_floors(name, own_data_home):
    root = _root()
    result = evaluate(name, data_dir=root, settings=load_settings(environ={}), **({"n_bootstrap": 50} if name == "article-extraction" else {}))
    assert violations(result, FLOORS) == []


def test_floors_only_ever_rise(tmp_path):
    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"b": {"f1": 0.8, "recall": 0.9}}))
    raise_floors({"benchmark": "b", "metrics": {"f1": 0.85678, "recall": 0.5}}, path)
    assert json.loads(path.read_text()) == {"b": {"f1": 0.856, "recall": 0.9}}
    assert violations({"benchmark": "b", "metrics": {"f1": 0.84, "recall": 0.95}}, read_floors(path)) == [
        "b.f1: 0.8400 is below its floor 0.856"
    ]
    assert "not measured" in violations({"benchmark": "b", "metrics": {}}, read_floors(path))[0]


def test_floors_file_is_the_checkouts():
    assert DEFAULT_FLOORS.exists()
    assert {"seeds-cleaning", "article-extraction"} <= set(FLOORS)
