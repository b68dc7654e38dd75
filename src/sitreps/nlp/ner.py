"""A faster decoder for spaCy's greedy entity recognizer, with the same output.

spaCy's ``ner`` reads a Doc left to right with a transition system (BILUO: begin, in, last,
unit, out, each with a label). At each token it sums three precomputed feature vectors (the
token, the first and the last token of the open entity), takes a maxout layer and a linear
layer to score the 76 moves of ``en_core_web_sm``, and applies the best valid one. In
``en_core_web_sm`` that loop costs about three times the rest of the component; it steps
through the Doc one token at a time, and checks each move's validity one by one.

Two facts make it cheap to run in bulk:

- every move consumes exactly one token, so step *t* of every sequence is its token *t*;
- no entity crosses a sentence boundary unless a preset entity (our actor component's)
  forces it: at the last token of a sentence "begin" and "in" are invalid, so an open entity
  must close there. The state at the start of each sentence is therefore always "no entity
  open", and the sentences of a batch are independent sequences.

:class:`FastEntityRecognizer` cuts the batch's Docs into such segments (at a sentence start
that is not inside a preset entity), runs the feature sums, the two layers and the validity
rules of :mod:`spacy.pipeline._parser_internals.ner` as array operations over all segments at
once, one step per token position, and sets the entities exactly as spaCy's
``BiluoPushDown.set_annotations`` does. The network's weights and its precomputed first layer
are spaCy's own (the component's ``model.layers``); the arithmetic is done in the same order
(the same matrix product, through the same BLAS as spaCy's ``NumpyOps``), so the scores are
the same numbers. A Doc where no move is valid at some step (spaCy then stops reading it) is
handed to spaCy's own component. ``tests/test_nlp.py`` checks that every token's entity
annotation is the same as spaCy's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator

import numpy

from spacy.attrs import ENT_IOB, ENT_TYPE, IS_SPACE, SENT_START
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .fast import Unsupported

if TYPE_CHECKING:
    from spacy.pipeline import EntityRecognizer

_KINDS = {"B": 0, "I": 1, "L": 2, "U": 3}
_OUT = 4
# Preset entity annotation (spaCy's ent_iob): 0 missing, 1 inside, 2 outside, 3 begin.
_IN, _BEGIN = 1, 3


class FastEntityRecognizer:
    """spaCy's greedy ``EntityRecognizer`` with its transition loop run over arrays.

    Built from a loaded component with :meth:`from_recognizer`, which raises
    :class:`~.fast.Unsupported` for anything but the greedy BILUO recognizer with a hidden
    layer that ``en_core_web_sm`` ships."""

    def __init__(self, ner: EntityRecognizer) -> None:
        self.ner = ner  # kept: the model, and for the Docs the fast path leaves to spaCy
        self.name = ner.name
        self.vocab = ner.vocab
        tok2vec, lower, upper = ner.model.layers
        self._tok2vec = tok2vec
        self._lower = lower
        self._ops = lower.ops
        self._lower_bias = lower.get_param("b")  # (hidden, pieces)
        self._upper_w = upper.get_param("W")  # (moves, hidden)
        self._upper_b = upper.get_param("b")  # (moves,)
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        kinds, labels = [], []
        self._labels: list[int] = []  # label index -> label hash; index 0 is "no label"
        self._labels.append(0)
        for name in names:
            if name == "O":
                kinds.append(_OUT)
                labels.append(0)
                continue
            kind, _, label = name.partition("-")
            kinds.append(_KINDS[kind])
            label_id = self.vocab.strings.add(label) if label else 0
            if label_id not in self._labels:
                self._labels.append(label_id)
            labels.append(self._labels.index(label_id))
        self._kind = numpy.array(kinds, dtype=numpy.int8)
        self._label = numpy.array(labels, dtype=numpy.int64)  # label index of each move
        self._label_hash = numpy.array(self._labels, dtype=numpy.uint64)
        self._move_hash = self._label_hash[self._label]  # label hash of each move

    @classmethod
    def from_recognizer(cls, ner: EntityRecognizer) -> FastEntityRecognizer:
        from spacy.pipeline._parser_internals.ner import BiluoPushDown

        if not isinstance(ner.moves, BiluoPushDown):
            raise Unsupported(f"transition system {type(ner.moves).__name__}")
        if ner.cfg.get("beam_width", 1) != 1:
            raise Unsupported(f"beam width {ner.cfg.get('beam_width')}")
        layers = ner.model.layers
        if len(layers) != 3 or not ner.model.attrs.get("has_upper") or layers[1].name != "precomputable_affine":
            raise Unsupported("model without the precomputed layer and a hidden layer")
        if ner.model.attrs.get("unseen_classes"):
            raise Unsupported("unseen classes")
        if layers[1].get_dim("nF") != 3 or layers[1].get_dim("nP") < 2:
            raise Unsupported(f"{layers[1].get_dim('nF')} state features, maxout {layers[1].get_dim('nP')}")
        if getattr(ner, "postprocesses", None):
            raise Unsupported("postprocess hooks")
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        if any(name != "O" and name.partition("-")[0] not in _KINDS for name in names):
            raise Unsupported(f"moves {names}")
        return cls(ner)

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            batch = list(batch)
            self._annotate(batch)
            yield from batch

    # -- the decoder -------------------------------------------------------------------------

    def _annotate(self, docs: list[Doc]) -> None:
        full = [doc for doc in docs if len(doc)]
        if not full:
            return
        found, failed = self._decode(full)
        for number, doc in enumerate(full):
            if number in failed:
                self.ner.set_annotations([doc], self.ner.predict([doc]))
            else:
                self._set_annotations(doc, found[number])

    def _decode(self, docs: list[Doc]) -> tuple[list[list[tuple[int, int, int]]], set[int]]:
        """The entities (start, end, label hash) of each Doc, and the Docs (by number) where
        a step had no valid move."""
        ops = self._ops
        tokvecs = self._tok2vec.predict(docs)
        cached, _ = self._lower(tokvecs, False)  # (tokens + 1, 3, hidden, pieces); row 0 pads
        bias = self._lower_bias
        lengths = [len(doc) for doc in docs]
        offsets = numpy.cumsum([0, *lengths[:-1]])
        total = int(sum(lengths))

        # Token arrays over the batch (global index g): preset annotation, the next token's
        # (0 past a Doc's end, like spaCy's empty token), sentence starts, whitespace.
        iob = numpy.empty(total, dtype=numpy.int64)
        etype = numpy.empty(total, dtype=numpy.uint64)
        next_iob = numpy.zeros(total, dtype=numpy.int64)
        next_start = numpy.zeros(total, dtype=bool)
        space = numpy.empty(total, dtype=bool)
        last = numpy.zeros(total, dtype=bool)
        doc_of = numpy.empty(total, dtype=numpy.int64)
        cuts = []  # global index of each segment start
        for number, (doc, offset, length) in enumerate(zip(docs, offsets, lengths)):
            array = doc.to_array([ENT_IOB, ENT_TYPE, SENT_START, IS_SPACE])
            end = offset + length
            iob[offset:end] = array[:, 0].astype(numpy.int64)
            etype[offset:end] = array[:, 1]
            starts = array[:, 2].astype(numpy.int64) == 1
            next_iob[offset : end - 1] = iob[offset + 1 : end]
            next_start[offset : end - 1] = starts[1:]
            space[offset:end] = array[:, 3] != 0
            last[end - 1] = True
            doc_of[offset:end] = number
            # A sentence start begins an independent segment unless a preset entity runs
            # across it.
            inner = numpy.flatnonzero(starts[1:] & (iob[offset + 1 : end] != _IN)) + 1
            cuts.append(offset)
            cuts.extend((offset + inner).tolist())
        seg_start = numpy.array(cuts, dtype=numpy.int64)
        seg_end = numpy.empty_like(seg_start)
        seg_end[:-1] = seg_start[1:]
        seg_end[-1] = total
        # Segments cut at a Doc's start: the previous segment ends at its Doc's end.
        doc_ends = offsets + numpy.array(lengths)
        seg_end = numpy.minimum(seg_end, doc_ends[doc_of[seg_start]])
        order = numpy.argsort(-(seg_end - seg_start), kind="stable")
        seg_start, seg_end = seg_start[order], seg_end[order]
        seg_len = seg_end - seg_start

        # A preset entity whose label the model lacks (the actor component's ACTOR): spaCy
        # adds its moves to the model, never seen in training, and scores them below every
        # other move; only the preset entity's own moves are then valid at its tokens.
        kind, move_label, move_hash = self._kind, self._label, self._move_hash
        label_hash = self._label_hash
        known = set(self._labels)
        new = sorted({int(h) for h in numpy.unique(etype[(iob == _BEGIN) | (iob == _IN)])} - known)
        if new:
            label_hash = numpy.concatenate([label_hash, numpy.array(new, dtype=numpy.uint64)])
            new_index = numpy.repeat(numpy.arange(len(self._labels), len(label_hash)), 4)
            kind = numpy.concatenate([kind, numpy.tile(numpy.array([0, 1, 2, 3], dtype=kind.dtype), len(new))])
            move_label = numpy.concatenate([move_label, new_index])
            move_hash = label_hash[move_label]
        unseen = numpy.full((1, len(kind) - len(self._kind)), numpy.finfo(numpy.float32).min, dtype=numpy.float32)

        # Which moves are valid at each token, worked out for all tokens at once: for a
        # state with no entity open, and for one with an entity open (in two parts: the
        # moves valid whatever the entity's label, and those valid only for its label).
        closed_valid, open_any, open_same = _validity(
            kind, move_label, move_hash, iob, etype, next_iob, next_start, space, last
        )
        out_move = int(numpy.flatnonzero(kind == _OUT)[0])
        n_segments = len(seg_start)
        is_open = numpy.zeros(n_segments, dtype=bool)
        ent_start = numpy.zeros(n_segments, dtype=numpy.int64)
        ent_label = numpy.zeros(n_segments, dtype=numpy.int64)
        failed_tokens: list[numpy.ndarray] = []
        starts_out, ends_out, labels_out = [], [], []
        upper_w, upper_b = self._upper_w, self._upper_b
        active = numpy.searchsorted(-seg_len, -numpy.arange(int(seg_len[0]) if n_segments else 0), side="left")
        for step, n in enumerate(active.tolist()):
            # ``seg_len`` is sorted longest first: the segments still running are a prefix.
            g = seg_start[:n] + step
            opened = is_open[:n]
            # The three features: the token, the entity's first token, the token before
            # (rows of ``cached`` are shifted by one; row 0 is the padding of an absent one).
            if opened.any():
                first = numpy.where(opened, ent_start[:n] + 1, 0)
                previous = numpy.where(opened, g, 0)
                valid = closed_valid[g]
                rows = numpy.flatnonzero(opened)
                valid[rows] = open_any[g[rows]] | (
                    open_same[g[rows]] & (move_label[None, :] == ent_label[rows][:, None])
                )
            else:
                first = previous = numpy.zeros(n, dtype=numpy.int64)
                valid = closed_valid[g]
            unmaxed = cached[g + 1, 0] + cached[first, 1]
            unmaxed += cached[previous, 2]
            unmaxed += bias
            hidden = unmaxed.max(axis=-1)
            scores = ops.gemm(hidden, upper_w, trans2=True)
            scores += upper_b
            if unseen.size:
                scores = numpy.concatenate([scores, numpy.broadcast_to(unseen, (n, unseen.shape[1]))], axis=1)
            scores[~valid] = -numpy.inf
            guess = scores.argmax(axis=1)
            none = scores[numpy.arange(n), guess] == -numpy.inf
            if none.any():
                failed_tokens.append(g[none])
                guess[none] = out_move  # the Doc goes to spaCy; any move will do
            chosen = kind[guess]
            close = chosen == 2
            if close.any():
                rows = numpy.flatnonzero(close)
                starts_out.append(ent_start[rows])
                ends_out.append(g[rows] + 1)
                labels_out.append(ent_label[rows])
                is_open[rows] = False
            unit = chosen == 3
            if unit.any():
                rows = numpy.flatnonzero(unit)
                starts_out.append(g[rows])
                ends_out.append(g[rows] + 1)
                labels_out.append(move_label[guess[rows]])
            begin = chosen == 0
            if begin.any():
                rows = numpy.flatnonzero(begin)
                is_open[rows] = True
                ent_start[rows] = g[rows]
                ent_label[rows] = move_label[guess[rows]]
        failed = set(doc_of[numpy.concatenate(failed_tokens)].tolist()) if failed_tokens else set()
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        if starts_out:
            starts = numpy.concatenate(starts_out)
            ends = numpy.concatenate(ends_out)
            labels = label_hash[numpy.concatenate(labels_out)]
            for index in numpy.argsort(starts, kind="stable").tolist():
                start = int(starts[index])
                number = int(doc_of[start])
                offset = int(offsets[number])
                found[number].append((start - offset, int(ends[index]) - offset, int(labels[index])))
        return found, failed

    def _set_annotations(self, doc: Doc, entities: list[tuple[int, int, int]]) -> None:
        """What ``BiluoPushDown.set_annotations`` does with the entities found: set them,
        keeping every other token's annotation, then mark the unannotated tokens outside."""
        doc.set_ents(
            [Span(doc, start, end, label=label, kb_id=doc[start].ent_kb_id) for start, end, label in entities],
            default="unmodified",
        )
        missing = numpy.flatnonzero(doc.to_array([ENT_IOB]) == 0)
        if len(missing):
            runs = numpy.split(missing, numpy.flatnonzero(numpy.diff(missing) != 1) + 1)
            doc.set_ents([], outside=[Span(doc, int(run[0]), int(run[-1]) + 1) for run in runs], default="unmodified")

    # Serialization and scoring stay spaCy's.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "ner":  # not set yet (unpickling)
            raise AttributeError(name)
        return getattr(self.ner, name)


def _validity(
    kind: numpy.ndarray, move_label: numpy.ndarray, move_hash: numpy.ndarray, iob: numpy.ndarray,
    etype: numpy.ndarray, next_iob: numpy.ndarray, next_start: numpy.ndarray, space: numpy.ndarray,
    last: numpy.ndarray,
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(tokens, moves) masks of the valid moves, by the rules of spaCy's ``Begin``, ``In``,
    ``Last``, ``Unit`` and ``Out`` (``spacy/pipeline/_parser_internals/ner.pyx``): with no
    entity open; with one open, whatever its label; with one open, if the move's label is the
    open entity's. ``kind``, ``move_label`` (index, 0 for none) and ``move_hash`` describe the
    moves; the other arrays the tokens (``next_*`` of the token after, 0 past the end)."""
    is_b, is_i, is_l, is_u, is_o = (kind == k for k in (0, 1, 2, 3, _OUT))
    labelled = move_label != 0
    col = lambda a: a[:, None]  # noqa: E731 - a token's value against every move
    preset_b, preset_i = col(iob == _BEGIN), col(iob == _IN)
    same_type = col(etype) == move_hash[None, :]  # the move's label is the preset one's
    next_i, next_b = col(next_iob == _IN), col(next_iob == _BEGIN)
    free = col(~next_start)  # the next token does not start a sentence
    not_last = col(~last)
    word = col(~space)
    blocked_unit = ~labelled & col((etype == 0) & (iob == _BEGIN))  # "U-": a preset blocked token

    begin = not_last & labelled & ~preset_i & numpy.where(preset_b, same_type & next_i, ~next_b & free & word)
    unit = (labelled & ~next_i & numpy.where(preset_b, same_type, word)) | blocked_unit
    out = ~preset_b & ~preset_i
    closed = (is_b & begin) | (is_u & unit) | (is_o & out)

    ends_preset = preset_i & ~next_i
    open_any = (is_l & labelled & ends_preset & same_type) | (is_u & blocked_unit)
    inside = not_last & labelled & ~preset_b & ~next_b & numpy.where(preset_i, next_i & same_type, free)
    open_same = (is_i & inside) | (is_l & labelled & ~ends_preset & ~next_i)
    return closed, open_any, open_same
