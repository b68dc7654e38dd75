"""Reading the seed articles and their gold annotations (``benchmarks/seeds``).

Shared by every benchmark over the seeds (cleaning, and later actors, events, clustering).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EvaluationError
from .base import read_json, require_dir

# Kinds of figure lists a gold event may have, in the order the README lists them.
FIGURE_KINDS = ("fatalities", "injuries", "captured", "released", "missing")

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Seed:
    """One seed article: its id (``seed_000``), file, text as stored and gold annotation."""

    id: str
    path: Path
    text: str
    gold: dict[str, Any]


@dataclass(frozen=True, slots=True)
class GoldString:
    """A string the gold quotes from the article: an event's evidence or a figure's text."""

    seed: str
    event: int  # index of the event in the gold file
    field: str  # "evidence" or the figure kind ("fatalities", ...)
    text: str
    optional: bool  # the event (or the figure) is optional in the gold


def normalize_whitespace(text: str) -> str:
    """Every run of whitespace (newlines and no-break spaces included) as one space, stripped."""
    return _WHITESPACE.sub(" ", text).strip()


def read_seeds(data_dir: Path) -> list[Seed]:
    """The seeds of ``data_dir`` (``seed_NNN.txt`` with ``seed_NNN.gold.json``), sorted by id.

    The text is read as UTF-8 with newlines kept as stored, so line numbers match
    ``text.split("\\n")``.
    """
    require_dir(data_dir, what="Seeds benchmark")
    seeds = []
    for path in sorted(data_dir.glob("seed_[0-9][0-9][0-9].txt")):
        seed_id = path.name[: -len(".txt")]
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise EvaluationError(
                f"Seed article {path} cannot be read as UTF-8: {error}."
            ) from error
        gold = read_json(path.with_name(f"{seed_id}.gold.json"), what="Seed gold file")
        if not isinstance(gold, dict) or not isinstance(gold.get("events"), list):
            raise EvaluationError(
                f"Seed gold file for {seed_id} has no 'events' list; see seeds/README.md for "
                f"the gold schema."
            )
        seeds.append(Seed(id=seed_id, path=path, text=text, gold=gold))
    if not seeds:
        raise EvaluationError(
            f"No seed_NNN.txt files in {data_dir}. Pass --data DIR with the benchmarks root "
            f"that holds seeds/."
        )
    return seeds


def gold_strings(seed: Seed) -> list[GoldString]:
    """Every quoted string of a seed's gold: each event's evidence and each figure's text."""
    strings = []
    for index, event in enumerate(seed.gold["events"]):
        optional = bool(event.get("optional"))
        evidence = event.get("evidence")
        for text in evidence if isinstance(evidence, list) else [evidence]:
            if text:
                strings.append(GoldString(seed.id, index, "evidence", text, optional))
        for kind in FIGURE_KINDS:
            for figure in event.get(kind) or ():
                if figure.get("text"):
                    strings.append(
                        GoldString(
                            seed.id,
                            index,
                            kind,
                            figure["text"],
                            optional or bool(figure.get("optional")),
                        )
                    )
    return strings


def line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each line of ``text.split("\\n")``, newline excluded."""
    spans = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def phrase_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every occurrence of ``phrase`` in ``text`` as ``(start, end)`` offsets, matching any run
    of whitespace to any other (newlines and no-break spaces included)."""
    positions: list[int] = []  # squeezed index -> offset in text
    squeezed: list[str] = []
    for index, char in enumerate(text):
        if char.isspace():
            if squeezed and squeezed[-1] == " ":
                continue
            char = " "
        squeezed.append(char)
        positions.append(index)
    flat = "".join(squeezed)
    needle = normalize_whitespace(phrase)
    spans: list[tuple[int, int]] = []
    if not needle:
        return spans
    start = flat.find(needle)
    while start >= 0:
        spans.append((positions[start], positions[start + len(needle) - 1] + 1))
        start = flat.find(needle, start + 1)
    return spans
