"""Throughput of the whole pipeline, as a ratio to plain ``nlp.pipe`` in the same run.

The bundled example corpus is copied into a temporary folder until it holds at least
``--documents`` documents (every copy gets its own marker sentence, so no two are the same
content and the store's deduplication does not flatter the figures). Then, each in a fresh
process so peak memory is its own:

- ``baseline``: plain ``nlp.pipe`` of the bare spaCy model, as spaCy loads it, over the
  clean texts, read beforehand: the model alone over every sentence;
- ``run_selective``: the whole ``run_pipeline`` (ingest + clean + model with the actor
  component + dates + event extraction + SQLite store) with ``extract.selective_parse`` on:
  the model sees only the sentences extraction can use;
- ``run_full``: the same with ``extract.selective_parse`` off: the model sees every sentence.

``--modes`` picks other measures: ``model_fast`` (the baseline with sitreps' stand-ins for
the attribute ruler and lemmatizer, :mod:`sitreps.nlp.fast`, same annotation),
``pipeline_plain`` (ingest + clean + the bare model, streaming) and ``pipeline`` (the same
with the actor component).

On a shared machine the load of other processes changes from one measure to the next:
``--repeat N`` runs the measures N times, interleaved (baseline, the others, baseline, ...),
and reports for each the median time, its ratio to the baseline's median, and the median of
the ratios measured round by round (each against the baseline of its own round). Each
measure also gives its CPU time (this process and its workers), which other processes'
load disturbs much less than the wall-clock time, and the ratio of CPU times.

Usage: python benchmarks/throughput.py [--documents 500] [--workers 1] [--repeat 1] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MODES = {
    "baseline": "plain nlp.pipe (model alone)",
    "model_fast": "nlp.pipe, model with sitreps' stand-ins",
    "pipeline_plain": "ingest + clean + nlp.pipe",
    "pipeline": "ingest + clean + nlp.pipe + actors",
    "run_selective": "sitreps run, selective parse (everything)",
    "run_full": "sitreps run, full parse (everything)",
}


def _marker(number: int) -> str:
    return f"This is benchmark copy number {number} of the example report."


def _mark_text(text: str, marker: str) -> str:
    """The marker put at the start of the first long paragraph, where the cleaner keeps it."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if len(line.split()) > 20:
            lines[number] = f"{marker} {line}"
            break
    return "\n".join(lines)


def _mark_html(html: str, marker: str) -> str:
    match = re.search(r"<p\b[^>]*>(?=[^<]{100,})", html)
    return html if match is None else html[: match.end()] + marker + " " + html[match.end() :]


def build_corpus(target: Path, documents: int) -> int:
    """Copy the examples into ``target`` until it holds at least ``documents`` documents."""
    sources = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".html", ".jsonl"})
    written = copy = 0
    while written < documents:
        folder = target / f"copy{copy:04d}"
        folder.mkdir(parents=True)
        marker = _marker(copy)
        for path in sources:
            if path.suffix == ".txt":
                (folder / path.name).write_text(_mark_text(path.read_text("utf-8"), marker), "utf-8")
                written += 1
            elif path.suffix == ".html":
                (folder / path.name).write_text(_mark_html(path.read_text("utf-8"), marker), "utf-8")
                written += 1
            else:
                lines = []
                for line in path.read_text("utf-8").splitlines():
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    if record.get("html"):
                        record["html"] = _mark_html(record["html"], marker)
                    else:
                        record["text"] = _mark_text(record["text"], marker)
                    lines.append(json.dumps(record, ensure_ascii=False))
                    written += 1
                (folder / path.name).write_text("\n".join(lines) + "\n", "utf-8")
        copy += 1
    return written


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mib() -> float:
    """Peak resident memory of this process, or of its largest worker process if larger."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def measure(mode: str, corpus: Path, workers: int, store: Path | None = None) -> dict:
    """One measurement, in this process."""
    from sitreps.clean import make_document
    from sitreps.config import load_settings
    from sitreps.ingest import iter_inputs
    from sitreps.nlp import build_pipeline, load_pipeline
    from sitreps.records import Document

    components = [] if mode in ("baseline", "model_fast", "pipeline_plain") else ["actors"]
    store = store or corpus.parent / f"{mode}.db"
    overrides = {"run": {"workers": workers}, "store": {"url": str(store)}, "nlp": {"components": components}}
    if mode.startswith("run_"):
        overrides["extract"] = {"selective_parse": mode == "run_selective"}
    settings = load_settings(overrides=overrides)
    # The baseline is the model exactly as spaCy ships it; every other measure uses the
    # pipeline sitreps builds.
    nlp = build_pipeline(settings.nlp, fast=False) if mode == "baseline" else load_pipeline(settings.nlp)
    nlp("Warm-up sentence for the model.")
    if mode in ("baseline", "model_fast"):
        texts = [
            document.text
            for item in iter_inputs([corpus], settings=settings.input)
            if isinstance(document := make_document(item, settings=settings), Document)
        ]
        start, cpu_start = time.perf_counter(), _cpu_seconds()
        count = sum(1 for _ in nlp.pipe(texts, batch_size=settings.nlp.batch_size, n_process=workers))
    elif mode in ("pipeline", "pipeline_plain"):
        start, cpu_start = time.perf_counter(), _cpu_seconds()

        def texts():
            for item in iter_inputs([corpus], settings=settings.input):
                document = make_document(item, settings=settings)
                if isinstance(document, Document):
                    yield document.text

        count = sum(1 for _ in nlp.pipe(texts(), batch_size=settings.nlp.batch_size, n_process=workers))
    elif mode.startswith("run_"):
        from sitreps.extract.events import default_geoparser
        from sitreps.run import run_pipeline
        from sitreps.store import open_store

        if settings.extract.places:
            default_geoparser()  # opened once per process, like the model: not the run's cost
        start, cpu_start = time.perf_counter(), _cpu_seconds()
        with open_store(settings.store.url) as store:
            result = run_pipeline([corpus], settings=settings, store=store)
        count = result.counts["new"]
        extra = {
            "timings": result.timings,
            "events": result.counts["events"],
            "claims": result.counts["claims"],
            "time_resolution_seconds": result.timings["times"],
        }
        if result.counts["selection.sentences"]:
            extra["sentences"] = result.counts["selection.sentences"]
            extra["sentences_selected"] = result.counts["selection.kept"]
            extra["share_selected"] = round(result.counts["selection.kept"] / result.counts["selection.sentences"], 4)
    else:
        raise ValueError(mode)
    seconds = time.perf_counter() - start
    cpu_seconds = _cpu_seconds() - cpu_start
    extra = locals().get("extra", {})
    if extra:
        extra["time_resolution_share"] = round(extra["time_resolution_seconds"] / seconds, 4)
    return {**extra, "mode": mode, "documents": count, "seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3),
            "docs_per_s": round(count / seconds, 2), "peak_mib": round(_peak_mib(), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of interleaved measures (medians reported)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--modes", default="baseline,run_selective,run_full", help="comma-separated measures, from: " + ", ".join(MODES))
    parser.add_argument("--measure", choices=list(MODES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.workers, args.store)))
        return

    workdir = Path(tempfile.mkdtemp(prefix="sitreps-throughput-"))
    try:
        corpus = workdir / "corpus"
        count = build_corpus(corpus, args.documents)
        print(f"corpus: {count} documents in {corpus} (examples copied, each copy distinct)")
        modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
        if "baseline" not in modes or any(mode not in MODES for mode in modes):
            parser.error(f"--modes must include baseline and name only: {', '.join(MODES)}")
        modes = ["baseline", *(mode for mode in modes if mode != "baseline")]
        rounds: list[dict[str, dict]] = []
        for number in range(max(args.repeat, 1)):
            measured = {}
            for mode in modes:
                output = subprocess.run(
                    [sys.executable, __file__, "--measure", mode, "--corpus", str(corpus), "--workers", str(args.workers),
                     "--store", str(workdir / f"{mode}-{number}.db")],
                    check=True, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
                ).stdout
                measured[mode] = json.loads(output.strip().splitlines()[-1])
            for mode, item in measured.items():
                item["ratio_to_nlp_pipe"] = round(item["docs_per_s"] / measured["baseline"]["docs_per_s"], 3)
                item["cpu_ratio_to_nlp_pipe"] = round(measured["baseline"]["cpu_seconds"] / item["cpu_seconds"], 3)
            rounds.append(measured)
        results = {}
        for mode in modes:
            # The round whose time is the median one stands for the mode (its timings too).
            ordered = sorted((measured[mode] for measured in rounds), key=lambda item: item["seconds"])
            results[mode] = dict(ordered[(len(ordered) - 1) // 2])
            results[mode]["seconds_all"] = [measured[mode]["seconds"] for measured in rounds]
            results[mode]["ratio_by_round"] = [measured[mode]["ratio_to_nlp_pipe"] for measured in rounds]
            results[mode]["cpu_seconds_median"] = statistics.median(measured[mode]["cpu_seconds"] for measured in rounds)
            results[mode]["cpu_ratio_by_round"] = [measured[mode]["cpu_ratio_to_nlp_pipe"] for measured in rounds]
        base = results["baseline"]["docs_per_s"]
        base_cpu = results["baseline"]["cpu_seconds_median"]
        print(f"{'measure':44} {'docs':>6} {'seconds':>8} {'docs/s':>8} {'ratio':>6} {'CPU s':>7} {'CPU ratio':>9} {'peak MiB':>9}"
              + ("  ratio by round (median); CPU ratio by round (median)" if len(rounds) > 1 else ""))
        for mode, item in results.items():
            item["ratio_to_nlp_pipe"] = round(item["docs_per_s"] / base, 3)
            item["cpu_ratio_to_nlp_pipe"] = round(base_cpu / item["cpu_seconds_median"], 3)
            line = (f"{MODES[mode]:44} {item['documents']:>6} {item['seconds']:>8.2f} {item['docs_per_s']:>8.1f} {item['ratio_to_nlp_pipe']:>6.2f}"
                    f" {item['cpu_seconds_median']:>7.2f} {item['cpu_ratio_to_nlp_pipe']:>9.2f} {item['peak_mib']:>9.0f}")
            if len(rounds) > 1:
                item["ratio_median_of_rounds"] = round(statistics.median(item["ratio_by_round"]), 3)
                item["cpu_ratio_median_of_rounds"] = round(statistics.median(item["cpu_ratio_by_round"]), 3)
                line += f"  {' '.join(f'{r:.2f}' for r in item['ratio_by_round'])} ({item['ratio_median_of_rounds']:.2f})"
                line += f"; {' '.join(f'{r:.2f}' for r in item['cpu_ratio_by_round'])} ({item['cpu_ratio_median_of_rounds']:.2f})"
            print(line)
        for mode in ("run_selective", "run_full"):
            item = results.get(mode)
            if item is None:
                continue
            print(f"{mode}: {item['events']} events, {item['claims']} claims; timings {item['timings']}")
            if "share_selected" in item:
                print(f"{mode}: the model saw {item['sentences_selected']} of {item['sentences']} sentences ({item['share_selected']:.1%})")
        if args.json:
            args.json.write_text(json.dumps({"documents": count, "workers": args.workers, "rounds": len(rounds), "results": results}, indent=2) + "\n")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
