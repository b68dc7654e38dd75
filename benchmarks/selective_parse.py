"""Accuracy with and without selective parsing (``extract.selective_parse``).

Runs ``sitreps evaluate seeds-events`` and ``sitreps evaluate fakes`` twice: once with the
model over every sentence (what ``Extractor`` does), once through the selective path of
``sitreps run`` (:func:`sitreps.extract.select.parse_selectively`), and prints event counts,
the share of sentences the model saw and the metrics side by side. The two runs share every
line of scoring code: the second only swaps how the extractor parses a document.

Usage: python benchmarks/selective_parse.py [--benchmarks DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import json
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"

# The metrics printed (all the evaluators' metrics go to --json).
SHOWN = {
    "seeds-events": ("predicted_events", "event_f1", "type_accuracy", "actor_f1", "location_accuracy", "date_accuracy", "figure_f1", "claimant_accuracy", "side_accuracy",
                     "mode_b_event_f1", "mode_b_figure_f1", "mode_b_date_accuracy"),
    "fakes": ("predicted_events", "aligned", "civilians_exact", "civilians_mae", "noncivilians_exact", "governorate_accuracy", "actor_accuracy", "cause_accuracy", "date_exact"),
}


class _Tally:
    sentences = 0
    kept = 0


@contextlib.contextmanager
def selective(tally: _Tally) -> Iterator[None]:
    """While active, ``Extractor.events`` parses selectively, as ``sitreps run`` does."""
    from sitreps.extract import events as events_module
    from sitreps.extract.select import parse_selectively
    from sitreps.nlp import nlp_text

    original = events_module.Extractor.events

    def events(self, document):  # type: ignore[no-untyped-def]
        doc, selection = parse_selectively(self.nlp, nlp_text(document.text, self.settings.nlp))
        tally.sentences += len(selection.sentences)
        tally.kept += len(selection.kept)
        return events_module.extract_events(document, doc, geoparser=self.geoparser)

    events_module.Extractor.events = events
    try:
        yield
    finally:
        events_module.Extractor.events = original


def main() -> None:
    from sitreps.config import load_settings
    from sitreps.evaluate import fakes, seeds_events

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--benchmarks", type=Path, default=BENCHMARKS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings = load_settings()
    report: dict = {}
    for name, module, folder in (("seeds-events", seeds_events, "seeds"), ("fakes", fakes, "fakes")):
        full = module.run(args.benchmarks / folder, settings=settings)
        tally = _Tally()
        with selective(tally):
            chosen = module.run(args.benchmarks / folder, settings=settings)
        full_metrics, chosen_metrics = _metrics(full), _metrics(chosen)
        report[name] = {
            "full": full_metrics,
            "selective": chosen_metrics,
            "sentences": tally.sentences,
            "sentences_kept": tally.kept,
            "share_kept": round(tally.kept / tally.sentences, 4) if tally.sentences else None,
        }
        print(f"{name}: the model saw {tally.kept} of {tally.sentences} sentences ({report[name]['share_kept']:.1%})")
        print(f"  {'metric':28} {'full parse':>11} {'selective':>11}")
        for key in SHOWN[name]:
            if key in full_metrics or key in chosen_metrics:
                print(f"  {key:28} {_show(full_metrics.get(key)):>11} {_show(chosen_metrics.get(key)):>11}")
        differing = sorted(k for k in full_metrics if k != "seconds" and full_metrics.get(k) != chosen_metrics.get(k))
        print(f"  metrics that differ: {', '.join(differing) or 'none'}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")


def _metrics(result: object) -> dict:
    metrics = getattr(result, "metrics", None)
    if metrics is None and isinstance(result, dict):
        metrics = result.get("metrics", result)
    return dict(metrics or {})


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "-" if value is None else str(value)


if __name__ == "__main__":
    main()
