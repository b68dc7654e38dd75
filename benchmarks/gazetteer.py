"""The gazetteer's build time, size on disk, open time and lookup rate.

Builds the default gazetteer from the installed packages into a temporary folder (or measures
the one at ``--path``), then opens it read-only and looks up ``--lookups`` place names drawn at
random (seed 0) from the gazetteer itself, through ``Gazetteer.candidates`` (folding
included). ``--all-scripts`` builds a second gazetteer that also indexes the alternate names
in non-Latin scripts, to measure what leaving them out saves.

Usage: python benchmarks/gazetteer.py [--path FILE] [--lookups 20000] [--all-scripts] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sitreps.places import Gazetteer, build_gazetteer
from sitreps.places import gazetteer as gazetteer_module


def _build(path: Path) -> dict:
    report = build_gazetteer(path)
    return {"build_seconds": report["seconds"], "places": report["places"], "names": report["names"], "bytes": report["bytes"]}


def _sample(path: Path, size: int) -> list[str]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [name for (name,) in connection.execute("SELECT name FROM places ORDER BY id")]
    finally:
        connection.close()
    return random.Random(0).choices(names, k=size)


def measure(path: Path, lookups: int) -> dict:
    started = time.perf_counter()
    gazetteer = Gazetteer.open(path, build=False)
    opened = time.perf_counter() - started
    started = time.perf_counter()
    gazetteer.candidates("Aleppo")
    first = time.perf_counter() - started
    names = _sample(path, lookups)
    found = 0
    started = time.perf_counter()
    for name in names:
        found += len(gazetteer.candidates(name))
    seconds = time.perf_counter() - started
    gazetteer.close()
    return {
        "open_seconds": round(opened, 4),
        "first_lookup_seconds": round(first, 4),
        "lookups": lookups,
        "lookups_per_second": round(lookups / seconds),
        "candidates_per_lookup": round(found / lookups, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", type=Path, help="measure this gazetteer instead of building one")
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--all-scripts", action="store_true", help="also build with the names in every script")
    parser.add_argument("--json", type=Path, metavar="FILE")
    args = parser.parse_args(argv)

    results: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        path = args.path
        if path is None:
            path = Path(folder) / "gazetteer.sqlite"
            results.update(_build(path))
            results["build_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        else:
            results["bytes"] = path.stat().st_size
        results.update(measure(path, args.lookups))
        if args.all_scripts:
            # The build's Latin-script filter, widened to every script.
            gazetteer_module._LATIN = re.compile(r".+", re.S)
            every = _build(Path(folder) / "every-script.sqlite")
            results["all_scripts"] = {key: every[key] for key in ("build_seconds", "names", "bytes")}

    print(f"build:   {results['build_seconds']:.1f} s, peak memory {results['build_peak_rss_mb']} MB" if "build_seconds" in results else "build:   (not measured: --path)")
    if "places" in results:
        print(f"content: {results['places']:,} places, {results['names']:,} folded names")
    print(f"size:    {results['bytes'] / 1e6:.1f} MB")
    print(f"open:    {results['open_seconds'] * 1000:.1f} ms (first lookup {results['first_lookup_seconds'] * 1000:.1f} ms)")
    print(f"lookups: {results['lookups_per_second']:,}/s over {results['lookups']:,} random names ({results['candidates_per_lookup']} candidates each)")
    if "all_scripts" in results:
        every = results["all_scripts"]
        print(f"every script indexed: {every['names']:,} names, {every['bytes'] / 1e6:.1f} MB, built in {every['build_seconds']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
