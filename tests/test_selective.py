"""Selective parsing: what is kept, offsets, and the same events as the full parse."""

from __future__ import annotations

import json

import pytest

from sitreps.config import load_settings
from sitreps.extract.select import select_text, split_sentences, worth_parsing

# Our own words. Sentences 2 and 4 hold nothing for extraction; 4 follows nothing kept.
TEXT = (
    "NORTHVILLE, 3 March (Wire) - The weather was mild this morning.\n"
    "Gunmen attacked a police post in Westbrook on Sunday, the interior ministry said. "
    "The hills around the town are green in spring.\n"
    "Local farmers grow wheat and barley. "
    "The market sells bread. "
    "The ministry said that four officers were killed."
)


def _sentence_texts(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_split_sentences() -> None:
    assert _sentence_texts(TEXT) == [
        "NORTHVILLE, 3 March (Wire) - The weather was mild this morning.",
        "Gunmen attacked a police post in Westbrook on Sunday, the interior ministry said.",
        "The hills around the town are green in spring.",
        "Local farmers grow wheat and barley.",
        "The market sells bread.",
        "The ministry said that four officers were killed.",
    ]


def test_split_keeps_titles_and_initials_together() -> None:
    assert _sentence_texts("Gen. Smith met Mr. Jones in the U.S. capital. They talked.") == [
        "Gen. Smith met Mr. Jones in the U.S. capital.",
        "They talked.",
    ]


@pytest.mark.parametrize(
    ("sentence", "worth"),
    [
        ("Gunmen attacked a police post.", True),  # trigger lemma
        ("The army shelled the village.", True),  # inflected trigger
        ("Rebels fought the army for hours.", True),  # irregular form
        ("A roadside bomb went off near the bridge.", True),  # trigger phrase
        ("Seven people died.", True),  # casualty word with a number
        ("The government met in the capital.", False),  # "over" inside a word is no trigger
        ("The country is large and the market sells bread.", False),
    ],
)
def test_worth_parsing(sentence: str, worth: bool) -> None:
    assert worth_parsing(sentence) is worth


def test_selection_keeps_triggers_context_and_opening() -> None:
    selection = select_text(TEXT)
    kept = [TEXT[start:end] for start, end in selection.kept]
    assert kept == [
        "NORTHVILLE, 3 March (Wire) - The weather was mild this morning.",  # the opening
        "Gunmen attacked a police post in Westbrook on Sunday, the interior ministry said.",
        "The market sells bread.",  # the sentence before a kept one
        "The ministry said that four officers were killed.",
    ]
    assert len(selection.sentences) == 6
    assert selection.share == pytest.approx(4 / 6)


def test_blanked_text_keeps_offsets() -> None:
    selection = select_text(TEXT)
    assert len(selection.text) == len(TEXT)
    assert [i for i, c in enumerate(selection.text) if c == "\n"] == [i for i, c in enumerate(TEXT) if c == "\n"]
    for start, end in selection.kept:
        assert selection.text[start:end] == TEXT[start:end]
    dropped = [span for span in selection.sentences if span not in selection.kept]
    for start, end in dropped:
        # One full stop stands for the sentence, the rest is blank.
        assert selection.text[start:end] == "." + " " * (end - start - 1)


def test_nothing_to_drop_returns_the_text_itself() -> None:
    text = "Rebels attacked the town. Two soldiers were killed."
    assert select_text(text).text is text
    assert select_text("").kept == ()


@pytest.fixture(scope="module")
def nlp():
    from sitreps.nlp import load_pipeline

    return load_pipeline(load_settings().nlp)


def test_doc_has_one_sentence_per_blank(nlp) -> None:
    from sitreps.extract.select import parse_selectively

    doc, selection = parse_selectively(nlp, TEXT)
    assert doc.text == selection.text
    starts = {sent.start_char for sent in doc.sents}
    for start, end in selection.sentences:
        if (start, end) not in selection.kept:
            assert start in starts
            # The blank is not glued to the sentence before it.
            assert not any(s.start_char < start < s.end_char for s in doc.sents if s.start_char not in (start,))
    # Actor mentions come from the whole text, as the component gives them without selection.
    full = nlp(TEXT)
    assert doc._.actor_mentions == full._.actor_mentions


def test_actor_entities_only_in_kept_sentences(nlp) -> None:
    """The actor component finds mentions in the whole text it is handed with a blanked Doc
    (one matcher pass for both), and makes entities only of those the model sees."""
    from sitreps.extract.select import selection_doc

    text = (
        "Gunmen attacked a police post in Westbrook on Sunday, the interior ministry said. "
        "The Syrian Observatory for Human Rights has offices in London. "
        "Local farmers grow wheat. "
        "The group later killed four officers, the Syrian Observatory for Human Rights said."
    )
    selection = select_text(text)
    blanked = [(start, end) for start, end in selection.sentences if (start, end) not in selection.kept]
    assert blanked, "a sentence should be left out"
    doc = nlp(selection_doc(nlp, selection, text=text))
    whole = nlp(text)
    assert doc._.actor_mentions == whole._.actor_mentions
    assert "sitreps.whole_text" not in doc.user_data  # not carried further
    for ent in doc.ents:
        assert not any(start <= ent.start_char < end for start, end in blanked)
    kept_actor_ents = [
        (e.start_char, e.end_char, e.label_, e.kb_id_) for e in whole.ents
        if e.kb_id_ and not any(start <= e.start_char < end for start, end in blanked)
    ]
    assert kept_actor_ents and kept_actor_ents == [(e.start_char, e.end_char, e.label_, e.kb_id_) for e in doc.ents if e.kb_id_]


ARTICLE = """WESTBROOK, 12 May 2024 - Gunmen attacked an army checkpoint near Westbrook on Sunday, killing three soldiers, the defence ministry said.

The road to the coast is lined with olive groves. Families often picnic there in summer.

Two days later, militants abducted five aid workers in Eastfield, local officials said. The region is known for its honey.

Protesters gathered in the capital on Tuesday to demand the release of the aid workers.
"""


def _run(tmp_path, name: str, selective: bool) -> tuple[list[dict], list[dict], dict]:
    from sitreps.run import run_pipeline
    from sitreps.store import open_store

    source = tmp_path / "in"
    source.mkdir(exist_ok=True)
    (source / "article.txt").write_text(ARTICLE, "utf-8")
    settings = load_settings(
        overrides={"extract": {"selective_parse": selective}, "store": {"url": str(tmp_path / f"{name}.db")}},
        environ={},
    )
    out = tmp_path / name
    with open_store(settings.store.url) as store:
        result = run_pipeline([source], settings=settings, store=store, out_dir=out)
    read = lambda file: [json.loads(line) for line in (out / file).read_text("utf-8").splitlines() if line.strip()]  # noqa: E731
    return read("events.jsonl"), read("claims.jsonl"), dict(result.counts)


def test_run_gives_the_same_events_with_and_without_selection(tmp_path) -> None:
    events_on, claims_on, counts_on = _run(tmp_path, "on", True)
    events_off, claims_off, counts_off = _run(tmp_path, "off", False)
    assert events_on, "the article should give events"
    assert events_on == events_off
    assert claims_on == claims_off
    # Some sentences were left out of the model's text, none with the selection off.
    assert 0 < counts_on["selection.kept"] < counts_on["selection.sentences"]
    assert "selection.sentences" not in counts_off


def test_setting_from_config_file_and_environment(tmp_path) -> None:
    assert load_settings(environ={}).extract.selective_parse is True
    config = tmp_path / "settings.toml"
    config.write_text("[extract]\nselective_parse = false\n", "utf-8")
    assert load_settings(config_file=config, environ={}).extract.selective_parse is False
    assert load_settings(environ={"SITREPS_EXTRACT__SELECTIVE_PARSE": "off"}).extract.selective_parse is False
    from sitreps.errors import ConfigError

    with pytest.raises(ConfigError, match="extract.selective_parse"):
        load_settings(overrides={"extract": {"selective_parse": "maybe"}}, environ={})
