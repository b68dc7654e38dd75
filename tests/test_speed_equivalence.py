"""The faster forms of hot helpers give exactly what the plain forms they replaced gave.

Each test keeps the plain form (the code as it was) as the reference and compares on
generated inputs: the speed-ups must never change an output.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc
from spacy.vocab import Vocab

from sitreps.cluster import ClusterOptions, score_pair
from sitreps.cluster.scoring import DocumentFeatures, EventFeatures
from sitreps.cluster.similarity import containment, fold, jaccard
from sitreps.extract import triggers as T
from sitreps.extract.claims import doc_text, span_text
from sitreps.extract.events import _PREFILTER, _STEMS
from sitreps.records import ActorRef, Document, Event, EventDate, Evidence, Location, Published, document_id

# -- cluster.similarity ---------------------------------------------------------------------


def _fold_plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_ACCENTED = st.text(alphabet=st.sampled_from("aeiouAEIOU çÇéÉñÑüÜøØßẞİıſ’—“”\u0301\u0308\u0327ﬁ½Ⅻ①漢字 \n"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), _ACCENTED))
def test_fold_matches_the_character_by_character_form(text: str) -> None:
    assert fold(text) == _fold_plain(text)


def _jaccard_plain(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    shared = sum(1 for item in a if item in b)
    return shared / (len(a) + len(b) - shared)


def _containment_plain(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(1 for item in a if item in b) / len(a)


_WORDS = st.frozensets(st.sampled_from([f"w{i}" for i in range(30)]), max_size=25)


@settings(max_examples=300, deadline=None)
@given(_WORDS, _WORDS)
def test_set_measures_match_the_counting_forms(a: frozenset, b: frozenset) -> None:
    assert jaccard(a, b) == _jaccard_plain(a, b) == jaccard(b, a)
    assert containment(a, b) == _containment_plain(a, b)


# -- extract: sentence tests ----------------------------------------------------------------

_FLAT_PREFILTER = re.compile("|".join(re.escape(stem) for stem in _STEMS), re.IGNORECASE)
_PIECES = [*_STEMS, *(stem[:-1] for stem in _STEMS), *(stem.upper() for stem in _STEMS), " ", "x", "e", "-", "Ş"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join))
def test_the_stem_tree_finds_a_stem_exactly_when_the_flat_alternation_does(text: str) -> None:
    assert bool(_PREFILTER.search(text)) == bool(_FLAT_PREFILTER.search(text))


_PHRASE_WORDS = [
    "suicide", "car", "bomb", "blew", "up", "himself", "air", "strikes", "drone", "took", "control", "of", "over",
    "opened", "fire", "shot", "dead", "exchange", "artillery", "ceasefire", "deal", "talks", "about", "the", "declared",
    "war", "set", "base", "pledged", "allegiance", "torched", "tear", "gas", "withdrew", "from", "town", "agreement",
    "hostages", "prisoner", "swap", "IED", "landmine", "rockets", "on", "a", "captive",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PHRASE_WORDS), max_size=12).map(" ".join))
def test_any_phrase_is_found_exactly_when_one_phrase_is(text: str) -> None:
    assert bool(T.ANY_PHRASE.search(text)) == any(pattern.search(text) for pattern, _ in T.PHRASES)


def test_span_text_is_the_spans_own_text() -> None:
    words = ["Shelling", "hit", "Kharbova", ".", "\n\n", "Two", "died", "there", ".", "  ", "Then", "calm", "returned", "."]
    spaces = [True, True, False, False, False, True, False, False, True, False, True, True, False, False]
    starts = [True, False, False, False, False, True, False, False, False, False, True, False, False, False]
    doc = Doc(Vocab(), words=words, spaces=spaces, sent_starts=starts)
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)  # built once
    spans = [*doc.sents, doc[1:3], doc[4:6], doc[8:10], doc[0:0]]
    for span in spans:
        assert span_text(span) == span.text


# -- cluster.scoring ------------------------------------------------------------------------


def _document(text: str) -> Document:
    return Document(
        id=document_id(text), source="test", text=text, original=text, title="",
        published=Published("2024-03-05", "metadata"),
    )  # fmt: skip


def _event(document: Document, n: int, day: str, place: tuple[str, float], actor: str) -> Event:
    name, lon = place
    return Event(
        id=f"{document.id[:8]}-{n}", document_id=document.id, type="explosions_remote_violence",
        subtype="shelling_artillery_missile_attack",
        actors=(ActorRef(actor, actor, (0, 1), "initiator"),),
        location=Location(name=name, mention=name, span=(0, 1), precision=1, lat=35.1, lon=lon, admin1="Velmar", country="SY"),
        date=EventDate(day, day, "day", "on Monday", (0, 1), "published"),
        evidence=(Evidence(0, 10, document.text[:60]),), confidence=0.8,
    )  # fmt: skip


def test_the_story_memo_changes_no_score() -> None:
    texts = [
        "Shelling hit the market in Kharbova on Monday, killing four, the Velmar Army said.",
        "Army shelling struck Kharbova market on Monday; four people died, officials said.",
        "Protesters gathered in Orsk Ridge to demand the release of detainees.",
    ]
    documents = [_document(text) for text in texts]
    features = {d.id: DocumentFeatures.of(d) for d in documents}
    events = [
        _event(document, n, day, place, actor)
        for document in documents
        for n, (day, place, actor) in enumerate([
            ("2024-03-04", ("Kharbova", 38.20), "Velmar Army"),
            ("2024-03-05", ("Talven", 38.25), "Dunmar Front"),
        ])
    ]  # fmt: skip
    options = ClusterOptions()
    reduced = [EventFeatures.of(e, features[e.document_id]) for e in events]
    stories: dict[tuple[str, str], float | None] = {}
    for a, b in itertools.permutations(reduced, 2):
        da, db = features[a.event.document_id], features[b.event.document_id]
        assert score_pair(a, b, da, db, options, stories=stories) == score_pair(a, b, da, db, options)
    assert stories  # the memo was used, one entry per pair of documents
    assert all(key[0] < key[1] for key in stories)
