"""Faster stand-ins for components of the English pipelines, with the same output.

In ``en_core_web_sm`` the two rule components cost about a fifth of the model's time, almost
all of it Python work per token: the ``attribute_ruler`` runs a :class:`spacy.matcher.Matcher`
of 179 one- and two-token patterns over every token to map each fine tag to its part of speech
and morphology, and the rule ``lemmatizer`` builds a Token and a MorphAnalysis per token before
its cache lookup. Both are pure functions of a few token attributes, so their result can be
cached on those attributes:

- :class:`CompiledAttributeRuler` tests each pattern once per distinct combination of the
  attributes the patterns read (lower form, fine tag, dependency label, is-space; a lower form
  no pattern names counts as "any other"), then sets on each token the attributes of the rules
  that matched it, in the ruler's own order (a later rule wins), through spaCy's own
  ``set_token_attrs``. Patterns it cannot compile (quantifiers, other attributes or
  operators) leave spaCy's ruler in place.
- :class:`CachedLemmatizer` reads (orth, part of speech, morphology, lemma) of the whole Doc
  as one array, asks the original lemmatizer only for combinations it has not seen, and writes
  the lemmas back as one array. The rule lemmatizer's answer depends on nothing else
  (``rule_lemmatize`` caches on the same key).

:func:`speed_up` swaps them in under the same component names, with the third stand-in,
:class:`sitreps.nlp.ner.FastEntityRecognizer` for spaCy's greedy ``ner`` (its own module: a
decoder, not a cache). ``tests/test_nlp.py`` checks that every token attribute comes out the
same as with spaCy's components.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

try:  # what spaCy's AttributeRuler itself uses to set the attributes
    from spacy.tokens._retokenize import set_token_attrs
except ImportError:  # pragma: no cover - a spaCy without it keeps its own components
    set_token_attrs = None

if TYPE_CHECKING:
    from spacy.pipeline import AttributeRuler, Lemmatizer

logger = logging.getLogger(__name__)

# Token attributes a compiled pattern may test: string-valued ones (compared by hash) and flags.
_STRING_ATTRS = {"ORTH": ORTH, "LOWER": LOWER, "TAG": TAG, "DEP": DEP}
_FLAG_ATTRS = {"IS_SPACE": IS_SPACE}
_ATTR_ORDER = ("ORTH", "LOWER", "TAG", "DEP", "IS_SPACE")
_CACHE_LIMIT = 200_000  # distinct attribute combinations kept before the cache is cleared


class Unsupported(ValueError):
    """A pattern uses something :class:`CompiledAttributeRuler` does not compile."""


def _predicate(attr: str, value: Any) -> tuple[str, Any]:
    """One token test as (kind, argument): ("eq", v), ("in", set), ("not_in", set)."""
    if attr in _FLAG_ATTRS:
        if not isinstance(value, bool):
            raise Unsupported(f"{attr}: {value!r}")
        return ("eq", value)
    if isinstance(value, str):
        return ("eq", value)
    if isinstance(value, dict) and len(value) == 1:
        ((operator, argument),) = value.items()
        if operator in ("IN", "NOT_IN") and isinstance(argument, (list, tuple)) and all(isinstance(a, str) for a in argument):
            return ("in" if operator == "IN" else "not_in", frozenset(argument))
        if operator == "REGEX" and isinstance(argument, str):
            return ("regex", re.compile(argument))  # the Matcher's test: re.search
    raise Unsupported(f"{attr}: {value!r}")


def _compile_token(spec: dict) -> tuple[tuple[int, str, Any], ...]:
    """A token pattern as tests on positions of the attribute key (see ``_ATTR_ORDER``)."""
    tests = []
    for attr, value in spec.items():
        attr = attr.upper()
        if attr not in _STRING_ATTRS and attr not in _FLAG_ATTRS:
            raise Unsupported(f"attribute {attr}")
        kind, argument = _predicate(attr, value)
        tests.append((_ATTR_ORDER.index(attr), kind, argument))
    return tuple(tests)


def _holds(tests: tuple[tuple[int, str, Any], ...], values: tuple) -> bool:
    for position, kind, argument in tests:
        value = values[position]
        if kind == "eq":
            if value != argument:
                return False
        elif kind == "in":
            if value not in argument:
                return False
        elif kind == "regex":
            if not argument.search(value):
                return False
        elif value in argument:  # not_in
            return False
    return True


class CompiledAttributeRuler:
    """spaCy's AttributeRuler with its patterns tested once per attribute combination.

    Built from a loaded ruler with :meth:`from_ruler`, which raises :class:`Unsupported` when
    a pattern needs the Matcher."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler  # kept: the same attribute dicts, and for to_disk/scoring
        self.name = ruler.name
        self.vocab = ruler.vocab
        singles: list[tuple[int, tuple]] = []  # (rule, token tests)
        multis: list[tuple[int, int, tuple[tuple, ...]]] = []  # (rule, index, tests per token)
        for rule, item in enumerate(ruler.patterns):
            index = item.get("index", 0)
            for pattern in item["patterns"]:
                if not pattern:
                    raise Unsupported("empty pattern")
                compiled = tuple(_compile_token(spec) for spec in pattern)
                if not -len(compiled) <= index < len(compiled):
                    raise Unsupported(f"index {index} outside a pattern of {len(compiled)} tokens")
                if len(compiled) == 1:
                    singles.append((rule, compiled[0]))
                else:
                    multis.append((rule, index % len(compiled), compiled))
        self._singles = singles
        self._multis = multis
        # The attributes the Doc array must hold: those some pattern tests.
        tested = {test[0] for _, tests in singles for test in tests}
        tested |= {test[0] for _, _, token_tests in multis for tests in token_tests for test in tests}
        self._columns = [name for position, name in enumerate(_ATTR_ORDER) if position in tested]
        self._ids = [_STRING_ATTRS.get(name) or _FLAG_ATTRS[name] for name in self._columns]
        self._attrs = ruler.attrs
        self._merged: dict[tuple[int, ...], dict] = {}
        self._cache: dict[tuple, tuple] = {}

    @classmethod
    def from_ruler(cls, ruler: AttributeRuler) -> CompiledAttributeRuler:
        if set_token_attrs is None:
            raise Unsupported("spacy.tokens._retokenize.set_token_attrs is missing")
        return cls(ruler)

    def _values(self, row: tuple) -> tuple:
        """The attribute values in ``_ATTR_ORDER``: strings ("" for a missing one, hash 0, as
        the Matcher reads it) and flags."""
        strings = self.vocab.strings
        values: list[Any] = [None] * len(_ATTR_ORDER)
        for name, value in zip(self._columns, row):
            values[_ATTR_ORDER.index(name)] = bool(value) if name in _FLAG_ATTRS else strings[value]
        return tuple(values)

    def _info(self, row: tuple) -> tuple:
        """(values, rules of the one-token patterns that match, multi-token patterns whose
        first token matches), cached on the token's attribute row."""
        info = self._cache.get(row)
        if info is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            values = self._values(row)
            rules = tuple(sorted({rule for rule, tests in self._singles if _holds(tests, values)}))
            firsts = tuple(number for number, (_, _, tests) in enumerate(self._multis) if _holds(tests[0], values))
            info = self._cache[row] = (values, rules, firsts)
        return info

    def _merge(self, rules: tuple[int, ...]) -> dict:
        """The attributes the rules set, a later rule overriding an earlier one (the order
        in which spaCy's ruler applies its sorted matches)."""
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for rule in rules:
                merged.update(self._attrs[rule])
            self._merged[rules] = merged
        return merged

    def __call__(self, doc: Doc) -> Doc:
        length = len(doc)
        if not length or not self._ids:
            return doc
        rows = [tuple(row) for row in doc.to_array(self._ids).reshape(length, len(self._ids)).tolist()]
        infos = [self._info(row) for row in rows]
        extra: dict[int, list[int]] = {}
        if self._multis:
            for start, (_, _, firsts) in enumerate(infos):
                for number in firsts:
                    rule, index, tests = self._multis[number]
                    end = start + len(tests)
                    if end <= length and all(_holds(tests[k], infos[start + k][0]) for k in range(1, len(tests))):
                        extra.setdefault(start + index, []).append(rule)
        for i, (_, rules, _) in enumerate(infos):
            if i in extra:
                rules = tuple(sorted({*rules, *extra[i]}))
            if rules:
                set_token_attrs(doc[i], self._merge(rules))
        return doc

    def pipe(self, stream, *, batch_size: int = 128):  # noqa: ANN001 - spaCy's signature
        for doc in stream:
            yield self(doc)

    # Serialization and scoring stay spaCy's.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "ruler":  # not set yet (unpickling)
            raise AttributeError(name)
        return getattr(self.ruler, name)


class CachedLemmatizer:
    """spaCy's rule lemmatizer, read and written as arrays, with a cache on (orth, part of
    speech, morphology): the key ``rule_lemmatize`` itself caches on."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.name = lemmatizer.name
        self.vocab = lemmatizer.vocab
        self.overwrite = lemmatizer.overwrite
        self._cache: dict[tuple[int, int, int], int] = {}

    @classmethod
    def from_lemmatizer(cls, lemmatizer: Lemmatizer) -> CachedLemmatizer:
        if getattr(lemmatizer, "mode", None) != "rule":
            raise Unsupported(f"lemmatizer mode {getattr(lemmatizer, 'mode', None)!r}")
        lemmatizer._validate_tables()  # what its __call__ checks first
        return cls(lemmatizer)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        array = doc.to_array([ORTH, POS, MORPH, LEMMA])
        cache = self._cache
        lemmas = array[:, 3].copy()
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(array.tolist()):
            if lemma and not self.overwrite:
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                if len(cache) > _CACHE_LIMIT:
                    cache.clear()
                value = cache[key] = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            if value != lemma:
                lemmas[i] = value
                changed = True
        if changed:
            doc.from_array([LEMMA], lemmas)
        return doc

    def pipe(self, stream, *, batch_size: int = 128):  # noqa: ANN001 - spaCy's signature
        for doc in stream:
            yield self(doc)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "lemmatizer":  # not set yet (unpickling)
            raise AttributeError(name)
        return getattr(self.lemmatizer, name)


@Language.factory("sitreps_compiled_attribute_ruler")
def _make_compiled_ruler(nlp: Language, name: str, source: str) -> CompiledAttributeRuler:
    return CompiledAttributeRuler.from_ruler(nlp.get_pipe(source))


@Language.factory("sitreps_cached_lemmatizer")
def _make_cached_lemmatizer(nlp: Language, name: str, source: str) -> CachedLemmatizer:
    return CachedLemmatizer.from_lemmatizer(nlp.get_pipe(source))


def _fast_recognizer(ner: Any) -> Any:
    from .ner import FastEntityRecognizer  # imports this module: imported when first needed

    return FastEntityRecognizer.from_recognizer(ner)


@Language.factory("sitreps_fast_entity_recognizer")
def _make_fast_recognizer(nlp: Language, name: str, source: str) -> Any:
    return _fast_recognizer(nlp.get_pipe(source))


_STAND_INS = (
    ("attribute_ruler", "sitreps_compiled_attribute_ruler", CompiledAttributeRuler.from_ruler),
    ("lemmatizer", "sitreps_cached_lemmatizer", CachedLemmatizer.from_lemmatizer),
    ("ner", "sitreps_fast_entity_recognizer", _fast_recognizer),
)


def speed_up(nlp: Language) -> list[str]:
    """Swap the pipeline's ``attribute_ruler``, rule ``lemmatizer`` and greedy ``ner`` for
    their faster stand-ins (the last is :class:`.ner.FastEntityRecognizer`), under the same names and at the same places. Returns the names swapped; a
    component whose setup the stand-in cannot reproduce is left as it is (logged)."""
    swapped = []
    for name, factory, build in _STAND_INS:
        if name not in nlp.pipe_names:
            continue
        try:
            build(nlp.get_pipe(name))  # can it? (cheap: the factory builds it again)
        except Unsupported as error:
            logger.info("spaCy's %s kept: %s", name, error)
            continue
        temporary = f"sitreps_fast_{name}"
        nlp.add_pipe(factory, name=temporary, after=name, config={"source": name})
        nlp.remove_pipe(name)
        nlp.rename_pipe(temporary, name)
        swapped.append(name)
    return swapped
