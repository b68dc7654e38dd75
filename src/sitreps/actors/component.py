"""The ``sitreps_actors`` spaCy component: actor mentions as entities before the NER.

Knowledge-base matches become entities (label ``ACTOR``, ``CLAIMANT`` or ``PERSON``, with the
actor id as ``kb_id_``), so the statistical NER keeps them and labels the rest of the text
around them. Every resolved mention, anaphors included, is kept in ``doc._.actor_mentions``
as plain dicts (they travel between processes with the Doc).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from . import default_matcher

if not Doc.has_extension("actor_mentions"):
    Doc.set_extension("actor_mentions", default=None)

_LABELS = {"claimant": "CLAIMANT", "person": "PERSON"}


# ``doc.user_data`` key of the whole text of a Doc whose text is a blanked copy of it
# (:func:`sitreps.extract.select.selection_doc`): mentions are found in the whole text, so
# anaphors and the article's country see all of it, and only those in the kept text become
# entities.
WHOLE_TEXT = "sitreps.whole_text"


class ActorComponent:
    def __init__(self) -> None:
        self.matcher = default_matcher()

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        whole = doc.user_data.pop(WHOLE_TEXT, None)
        if whole is None or len(whole) != len(text):
            whole = text
        mentions = self.matcher.find(whole)
        spans = []
        for mention in mentions:
            if mention.actor_id is None or mention.how == "anaphor" or mention.kind == "civilians":
                continue
            if whole is not text and text[mention.start : mention.end] != mention.text:
                continue  # in a blanked sentence: the model does not see it
            span = doc.char_span(
                mention.start,
                mention.end,
                label=_LABELS.get(mention.kind, "ACTOR"),
                kb_id=mention.actor_id,
                alignment_mode="expand",
            )
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(spans)
        doc._.actor_mentions = [mention.to_dict() for mention in mentions]
        return doc


@Language.factory("sitreps_actors")
def make_actor_component(nlp: Language, name: str) -> ActorComponent:
    return ActorComponent()
