"""Time of each component of the model, as spaCy ships it and as ``sitreps run`` uses it.

Over the example corpus (``--copies`` times), each component is timed alone on the whole
batch, in pipeline order, three passes; the median is printed with its share of the total:

- ``shipped``: the bare model as spaCy loads it, over every sentence of the clean texts;
- ``sitreps``: the pipeline ``sitreps run`` builds (the stand-ins of :mod:`sitreps.nlp.fast`
  and :mod:`sitreps.nlp.ner`, the actor component) over the selected text
  (:mod:`sitreps.extract.select`), as a run with ``extract.selective_parse`` on gives it.

Usage: python benchmarks/model_components.py [--copies 6]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _texts(copies: int) -> list[str]:
    from sitreps.clean import make_document
    from sitreps.config import load_settings
    from sitreps.ingest import iter_inputs
    from sitreps.records import Document

    settings = load_settings()
    items = iter_inputs([ROOT / "examples"], settings=settings.input)
    texts = [d.text for item in items if isinstance(d := make_document(item, settings=settings), Document)]
    return texts * copies


def _time_components(nlp, texts: list[str], *, selective: bool) -> dict[str, float]:  # noqa: ANN001
    from sitreps.extract.select import select_text, selection_doc

    docs = []
    for text in texts:
        selection = select_text(text) if selective else None
        if selection is None or selection.text is text:
            docs.append(nlp.make_doc(text))
        else:
            docs.append(selection_doc(nlp, selection, text=text))
    seconds = {}
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=32))
        else:
            docs = [component(doc) for doc in docs]
        seconds[name] = time.perf_counter() - start
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=6)
    args = parser.parse_args()
    from sitreps.config import load_settings
    from sitreps.nlp import build_pipeline

    settings = load_settings()
    texts = _texts(args.copies)
    pipelines = (
        ("shipped", build_pipeline(settings.nlp, fast=False, components=()), False),
        ("sitreps", build_pipeline(settings.nlp), True),
    )
    print(f"{len(texts)} documents")
    for label, nlp, selective in pipelines:
        passes = [_time_components(nlp, texts, selective=selective) for _ in range(3)]
        median = {name: statistics.median(p[name] for p in passes) for name in passes[0]}
        total = sum(median.values())
        parts = " | ".join(f"{name} {value:.2f} s ({value / total:.0%})" for name, value in median.items())
        print(f"{label}: {parts} | total {total:.2f} s")


if __name__ == "__main__":
    main()
