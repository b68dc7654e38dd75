"""Actors: the knowledge base of conflict actors and the resolution of every actor mention.

``load_knowledge_base()`` reads the curated files (``data/actors``), generates state forces
for every country and adds the dictionaries a user imported (``sitreps actors import``);
``ActorMatcher(kb).find(text)`` returns the resolved mentions of a text. In the pipeline the
``sitreps_actors`` spaCy component runs the matcher before the statistical NER.
"""

from __future__ import annotations

from functools import lru_cache

from ..paths import data_home
from .kb import Actor, KnowledgeBase, load_knowledge_base
from .matcher import ActorMatcher, ActorMention

__all__ = ["Actor", "ActorMatcher", "ActorMention", "KnowledgeBase", "default_matcher", "imported_dir", "load_knowledge_base"]


def imported_dir():
    """Where ``sitreps actors import`` writes the dictionaries it converts."""
    return data_home() / "actors"


@lru_cache(maxsize=2)
def default_matcher() -> ActorMatcher:
    """The process's matcher over the curated and imported knowledge base."""
    return ActorMatcher(load_knowledge_base([imported_dir()]))
