"""The ``sitreps`` command: parse arguments, call the library, turn errors into exit codes.

Exit codes: 0 ok; 1 error; 2 bad command line; 3 completed, but some inputs were skipped;
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from .. import __version__
from ..errors import SitrepsError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Console:
    """The only place sitreps prints: results to stdout, messages to stderr."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet

    def out(self, text: str = "") -> None:
        print(text, file=sys.stdout)

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr)

    def error(self, text: str) -> None:
        print(f"sitreps: error: {text}", file=sys.stderr)


def _settings(args: argparse.Namespace):
    from ..config import load_settings

    overrides: dict[str, dict[str, Any]] = {}
    for attribute, section, key in (
        ("db", "store", "url"),
        ("workers", "run", "workers"),
        ("max_bytes", "input", "max_bytes"),
        ("include", "input", "include"),
        ("exclude", "input", "exclude"),
        ("model", "nlp", "model"),
    ):
        value = getattr(args, attribute, None)
        if value is not None:
            overrides.setdefault(section, {})[key] = value
    return load_settings(config_file=args.config, overrides=overrides)


def _iso_date(value: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="settings file (TOML) layered over the defaults")
    parser.add_argument("--db", metavar="URL", help="store: SQLite path or postgresql:// URL (default: sitreps.db)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories, or - for standard input")
    parser.add_argument("--include", action="append", metavar="GLOB", help="file name pattern to read in directories (repeatable; replaces the default list)")
    parser.add_argument("--exclude", action="append", metavar="GLOB", help="path pattern to leave out (repeatable)")
    parser.add_argument("--max-bytes", type=int, metavar="N", help="largest document accepted, in bytes")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitreps",
        description="Turn news reports about armed conflict into an auditable event dataset.",
    )
    parser.add_argument("--version", action="version", version=f"sitreps {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser("run", help="run the whole pipeline over inputs and write the outputs")
    _add_input_options(run)
    run.add_argument("--out", type=Path, metavar="DIR", help="write documents/events/claims/incidents .jsonl here")
    run.add_argument("--workers", type=int, metavar="N", help="processes for the NLP stage")
    run.add_argument("--model", metavar="NAME", help="spaCy pipeline to load")
    run.add_argument("--published", metavar="YYYY-MM-DD", type=_iso_date, help="publication date of every input (the anchor of relative dates)")
    _add_common(run)

    ingest = commands.add_parser("ingest", help="read and clean inputs into the store, without NLP")
    _add_input_options(ingest)
    _add_common(ingest)

    documents = commands.add_parser("documents", help="list or show stored documents")
    documents_commands = documents.add_subparsers(dest="documents_command", metavar="ACTION", required=True)
    listing = documents_commands.add_parser("list", help="one line per stored document")
    listing.add_argument("--limit", type=int, default=50, metavar="N")
    listing.add_argument("--offset", type=int, default=0, metavar="N")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    _add_common(listing)
    show = documents_commands.add_parser("show", help="one document: metadata, line classes, text")
    show.add_argument("id", metavar="ID", help="document id or a unique prefix (6+ characters)")
    show.add_argument("--json", action="store_true", help="the whole record as JSON")
    show.add_argument("--lines", action="store_true", help="list every original line with its class")
    _add_common(show)

    actors = commands.add_parser("actors", help="look up or extend the actor knowledge base")
    actors_commands = actors.add_subparsers(dest="actors_command", metavar="ACTION", required=True)
    lookup = actors_commands.add_parser("lookup", help="how a name resolves, and why")
    lookup.add_argument("name", metavar="NAME")
    lookup.add_argument("--date", metavar="YYYY-MM-DD", help="show the name and affiliations in force on this date")
    importing = actors_commands.add_parser("import", help="add a CAMEO/PETRARCH dictionary or a sitreps actor CSV")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--format", choices=["cameo", "csv"], help="default: from the file name and content")
    importing.add_argument("--name", metavar="NAME", help="name of the imported set (default: the file name)")
    for sub in (lookup, importing):
        sub.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")

    evaluate = commands.add_parser("evaluate", help="score the pipeline on a benchmark folder")
    evaluate.add_argument("name", nargs="?", metavar="NAME", help="benchmark name (omit with --list)")
    evaluate.add_argument("--list", action="store_true", help="list the benchmarks")
    evaluate.add_argument("--data", type=Path, metavar="DIR", help="the benchmarks folder (default: ../shared/benchmarks found from here)")
    evaluate.add_argument("--json", type=Path, metavar="FILE", help='write {"benchmark": NAME, "metrics": {...}} here')
    evaluate.add_argument("--check", action="store_true", help="exit 1 when a metric is below its floor")
    evaluate.add_argument("--raise-floors", action="store_true", help="raise the floors to the measured values (never lowers one)")
    evaluate.add_argument("--floors", type=Path, metavar="FILE", help="floors file (default: benchmarks/floors.json of the checkout)")
    _add_common(evaluate)
    _add_gazetteer_parser(commands)
    places = commands.add_parser("places", help="look up how a place name resolves")
    places_actions = places.add_subparsers(dest="places_command", metavar="ACTION", required=True)
    place_lookup = places_actions.add_parser("lookup", help="the candidates of a name and their scores")
    place_lookup.add_argument("name", metavar="NAME")
    place_lookup.add_argument("--country", metavar="CC", help="an article about this country (ISO alpha-2)")
    place_lookup.add_argument("--limit", type=int, default=10, metavar="N")
    place_lookup.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")
    _add_export_parsers(commands)
    return parser


def _add_gazetteer_parser(commands) -> None:
    gazetteer = commands.add_parser("gazetteer", help="build, extend or describe the offline gazetteer (GeoNames)")
    actions = gazetteer.add_subparsers(dest="gazetteer_command", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="(re)build it from the installed packages; replaces the file, so imports must be run again")
    build.add_argument("--min-population", type=int, default=500, choices=[500, 1000, 5000, 15000], metavar="N", help="populated places of N+ people (500, 1000, 5000 or 15000; default 500)")
    importing = actions.add_parser("import", help="add GeoNames dumps: allCountries.zip or a country's zip, alternateNamesV2.zip, admin1CodesASCII.txt")
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    stats = actions.add_parser("stats", help="what it holds: places by source and class, names, size, build time")
    stats.add_argument("--json", action="store_true", help="one JSON object")
    for sub in (build, importing, stats):
        sub.add_argument("--path", type=Path, metavar="FILE", help="the gazetteer file (default: gazetteer-<version>.sqlite in the data directory)")
        sub.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")


def _cmd_run(args: argparse.Namespace, console: _Console) -> int:
    from ..run import run_pipeline
    from ..store import open_store

    settings = _settings(args)
    progress = _progress(console)

    def on_skip(skip) -> None:
        progress.update(1)
        if not console.quiet:
            progress.write(f"skipped: {skip.message}", file=sys.stderr)

    with open_store(settings.store.url) as store:
        try:
            result = run_pipeline(
                args.inputs,
                settings=settings,
                store=store,
                out_dir=args.out,
                on_document=lambda document: progress.update(1),
                on_skip=on_skip,
                published=args.published,
            )
        finally:
            progress.close()
    counts = result.counts
    rate = counts["documents"] / result.timings["total"] if result.timings["total"] else 0.0
    console.out(
        f"sitreps {__version__}: {counts['inputs']} inputs -> {counts['documents']} documents "
        f"({counts['new']} new, {counts['existing']} already stored, "
        f"{counts['duplicates']} duplicate copies), {result.skipped} skipped"
    )
    console.out(
        f"  {counts['characters']:,} characters of body text, {counts['sentences']:,} sentences, "
        f"{counts['entities']:,} entity mentions ({counts['actor_mentions']:,} actor mentions resolved), "
        f"{counts['time_mentions']:,} time expressions ({counts['time_mentions_dated']:,} placed on the calendar); "
        f"{result.timings['total']:.1f} s ({rate:.1f} documents/s)"
    )
    if result.skips:
        reasons = sorted((key.split(".", 1)[1], value) for key, value in counts.items() if key.startswith("skipped."))
        console.out("  skipped: " + ", ".join(f"{reason} {number}" for reason, number in reasons))
    console.out(f"  store:   {store.url} (run {result.run_id})")
    for name, path in result.outputs.items():
        console.out(f"  output:  {path}")
    return EXIT_SKIPPED if result.skips else EXIT_OK


def _progress(console: _Console):
    from tqdm import tqdm

    # disable=None: shown on a terminal only, so logs and pipes stay clean.
    return tqdm(unit=" doc", desc="sitreps", file=sys.stderr, disable=True if console.quiet else None, leave=False)


def _cmd_ingest(args: argparse.Namespace, console: _Console) -> int:
    from ..clean import make_document
    from ..ingest import iter_inputs
    from ..records import Skip
    from ..store import open_store

    settings = _settings(args)
    new = existing = skipped = 0
    with open_store(settings.store.url) as store:
        run_id = store.begin_run(version=__version__, settings=settings.to_dict(), inputs=list(args.inputs))
        status = "failed"
        try:
            for item in iter_inputs(args.inputs, settings=settings.input):
                document = item if isinstance(item, Skip) else make_document(item, settings=settings)
                if isinstance(document, Skip):
                    skipped += 1
                    store.record_skip(document, run_id=run_id)
                    console.info(f"skipped: {document.message}")
                elif store.write_document(document, run_id=run_id, processed=False):
                    new += 1
                else:
                    existing += 1
            status = "completed_with_skips" if skipped else "completed"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            store.finish_run(run_id, status=status, counts={"new": new, "existing": existing, "skipped": skipped}, timings={})
        console.out(f"ingested: {new} new documents, {existing} already stored, {skipped} skipped -> {store.url}")
    return EXIT_SKIPPED if skipped else EXIT_OK


def _cmd_documents(args: argparse.Namespace, console: _Console) -> int:
    from ..records import to_dict
    from ..store import open_store

    settings = _settings(args)
    with open_store(settings.store.url) as store:
        if args.documents_command == "list":
            for row in store.iter_documents(limit=args.limit, offset=args.offset):
                if args.json:
                    console.out(json.dumps(row, ensure_ascii=False, sort_keys=True))
                else:
                    published = row.get("published_date") or "-"
                    console.out(
                        f"{row['id'][:12]}  {published:10}  {(row.get('outlet') or '-')[:20]:20}  "
                        f"{(row.get('title') or row['source'])[:70]}"
                    )
            return EXIT_OK
        document = store.get_document(args.id)
        if document is None:
            console.error(f"no document with id {args.id!r} in {store.url}; list them with: sitreps documents list")
            return EXIT_ERROR
        if args.json:
            console.out(json.dumps(to_dict(document), ensure_ascii=False, indent=2, sort_keys=True))
            return EXIT_OK
        sources = store.document_sources(document.id)
        published = document.published
        for label, value in (
            ("id", document.id),
            ("title", document.title),
            ("outlet", document.outlet),
            ("byline", document.byline),
            ("dateline", document.dateline),
            ("wire", document.wire),
            ("published", f"{published.date or 'unknown'} (from {published.source})"),
            ("language", document.language),
            ("format", f"{document.input_format}, {document.encoding}"),
            ("sources", "; ".join(s["source"] + (f"#{s['source_id']}" if s.get("source_id") else "") for s in sources)),
        ):
            console.out(f"{label:10} {value if value is not None else '-'}")
        if args.lines:
            console.out("")
            for line in document.lines:
                console.out(f"{line.kind:7} {line.reason:15} {document.original[line.start:line.end][:100]}")
        console.out("")
        console.out(document.text)
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace, console: _Console) -> int:
    from ..evaluate import BENCHMARKS, evaluate, format_table

    if args.list or not args.name:
        for name, benchmark in sorted(BENCHMARKS.items()):
            console.out(f"{name:22} {benchmark.description}")
        return EXIT_OK if args.list else EXIT_USAGE
    settings = _settings(args)
    result = evaluate(args.name, data_dir=args.data, settings=settings)
    console.out(format_table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"benchmark": result["benchmark"], "metrics": result["metrics"]}, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        console.info(f"wrote {args.json}")
    if args.check or args.raise_floors:
        from ..evaluate import floors

        path = args.floors or floors.DEFAULT_FLOORS
        failed = floors.violations(result, floors.read_floors(path))
        for message in failed:
            console.error(message)
        if args.raise_floors and not failed:
            raised = floors.raise_floors(result, path)
            console.info(f"floors of {result['benchmark']} in {path}: {raised}")
        if failed:
            return EXIT_ERROR
        console.info(f"{result['benchmark']}: every metric is at or above its floor")
    return EXIT_OK


def _cmd_actors(args: argparse.Namespace, console: _Console) -> int:
    from ..actors import default_matcher, imported_dir
    from ..actors.fold import fold
    from ..actors.kb import TYPE_NAMES

    if args.actors_command == "import":
        from ..actors.importers import import_file

        report = import_file(args.file, fmt=args.format, out_dir=imported_dir(), name=args.name)
        console.out(report.summary())
        return EXIT_OK
    matcher = default_matcher()
    kb = matcher.kb
    entries = kb.lookup(args.name)
    console.out(f"{args.name!r} folds to {fold(args.name) or '(nothing)'!r}")
    if not entries:
        mentions = matcher.find(args.name)
        if not mentions:
            console.out("no actor: not a name, acronym, description or person in the knowledge base")
            return EXIT_ERROR
        console.out("no exact entry; inside it the matcher finds:")
        for mention in mentions:
            console.out(f"  {mention.text!r} -> {mention.name} [{mention.actor_id}] ({mention.how})")
        return EXIT_OK
    for entry in entries:
        actor = kb.get(entry.actor_id)
        console.out("")
        console.out(f"{actor.name} [{actor.id}]  matched as {entry.how} {entry.phrase!r}" + (f" (person: {entry.person})" if entry.person else ""))
        if args.date:
            console.out(f"  name on {args.date}: {actor.name_at(args.date)}")
        console.out(f"  type: {actor.actor_type} ({TYPE_NAMES[actor.actor_type]}), kind: {actor.kind}, countries: {', '.join(actor.countries) or '-'}")
        if actor.claimant_type:
            aligned = ", ".join(kb.get(a).name if kb.get(a) else a for a in actor.aligned_with) or "none (neutral)"
            console.out(f"  as claimant: {actor.claimant_type}, aligned with {aligned}")
        for affiliation in kb.affiliations(actor.id, args.date):
            other = kb.get(affiliation.actor)
            period = f"{affiliation.period.start or '…'} to {affiliation.period.end or '…'}"
            console.out(f"  {affiliation.relation} {other.name if other else affiliation.actor} ({period})")
        for renaming in actor.names:
            console.out(f"  also named {renaming.name} ({renaming.period.start or '…'} to {renaming.period.end or '…'})")
        console.out(f"  from {actor.origin}; source: {actor.source or '-'}")
    return EXIT_OK


def _cmd_gazetteer(args: argparse.Namespace, console: _Console) -> int:
    from ..places import Gazetteer, build_gazetteer, default_path, import_geonames

    path = args.path or default_path()
    if args.gazetteer_command == "stats":
        with Gazetteer.open(path, build=False) as gazetteer:
            stats = gazetteer.stats()
        if args.json:
            console.out(json.dumps(stats, ensure_ascii=False, indent=2, sort_keys=True))
            return EXIT_OK
        console.out(f"{stats['path']}: {stats['places']:,} places, {stats['names']:,} names, {stats['bytes'] / 1e6:.1f} MB")
        console.out(f"  built {stats['built_at']} in {stats['build_seconds']} s from {', '.join(f'{k} {v}' for k, v in stats['versions'].items())}")
        for label, counts in (("source", stats["by_source"]), ("class", stats["by_class"])):
            console.out(f"  by {label}: " + ", ".join(f"{key} {count:,}" for key, count in counts.items()))
        return EXIT_OK
    if args.gazetteer_command == "build":
        report = build_gazetteer(path, min_population=args.min_population)
        console.out(f"built {path}: {report['places']:,} places, {report['names']:,} names, {report['bytes'] / 1e6:.1f} MB in {report['seconds']:.1f} s")
        if report["skipped"]:
            console.info("  left out: " + ", ".join(f"{count:,} {reason}" for reason, count in report["skipped"].items()))
        return EXIT_OK
    Gazetteer.open(path).close()  # built from the installed packages first when missing
    report = import_geonames(path, args.files)
    for item in report["files"]:
        bad = f", {item['bad_rows']:,} malformed rows skipped (lines {', '.join(map(str, item['first_bad_lines']))}...)" if item["bad_rows"] else ""
        console.out(f"  {item['file']} ({item['kind']}): {item['rows']:,} rows, {item['kept']:,} kept{bad}")
    console.out(f"imported into {path}: {report['places_added']:,} places added, {report['names_added']:,} names added in {report['seconds']:.1f} s")
    return EXIT_SKIPPED if any(item["bad_rows"] for item in report["files"]) else EXIT_OK


def _cmd_places(args: argparse.Namespace, console: _Console) -> int:
    from collections import Counter

    from ..places import Gazetteer
    from ..places.geoparse import ABSTAIN, Context, Geoparser

    with Gazetteer.open() as gazetteer:
        geoparser = Geoparser(gazetteer)
        context = Context(Counter({args.country.upper(): 1}) if args.country else Counter())
        candidates = geoparser.candidates(args.name)
        if not candidates:
            console.out(f"no place named {args.name!r} in the gazetteer or the curated supplement")
            return EXIT_ERROR
        scored = sorted(((geoparser.score(p, context=context, cue=None), p) for p in candidates), key=lambda item: -item[0][0])
        console.out(f"{len(candidates)} candidates for {args.name!r}" + (f" in an article about {args.country.upper()}" if args.country else ""))
        for (score, reason), place in scored[: args.limit]:
            ident = f"geonames {place.geonames_id}" if place.geonames_id else place.source
            console.out(
                f"  {score:5.2f}  {place.name} ({place.country or '-'}, {place.admin1 or '-'}) "
                f"{place.feature_class}.{place.feature_code} pop {place.population:,} at {place.lat:.4f},{place.lon:.4f} [{ident}] — {reason}"
            )
        best = scored[0][0][0]
        if best < ABSTAIN:
            console.out("  below the abstain threshold: the geoparser would leave it unresolved")
    return EXIT_OK


# -- exports and incidents ------------------------------------------------------------------
# `sitreps export` and `sitreps incidents`: read events and incidents from the store through
# Store.iter_events(), Store.iter_incidents() and Store.get_incident(ID), and hand them to
# sitreps.outputs (exports.py writes the files, incident_view.py formats the pages).


def _add_export_parsers(commands) -> None:
    from ..outputs.exports import FORMATS

    export = commands.add_parser("export", help="write stored incidents or events as ACLED, UCDP GED, GeoJSON, JSON Lines, CSV or Parquet")
    export.add_argument("--format", required=True, choices=FORMATS, help="acled / ucdp: their published columns; csv / parquet: our flat table; geojson: points; jsonl: whole records")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--incidents", dest="kind", action="store_const", const="incidents", help="one row per incident (the default)")
    which.add_argument("--events", dest="kind", action="store_const", const="events", help="one row per event (per report)")
    export.set_defaults(kind="incidents")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here, atomically (default: standard output; Parquet needs a file)")
    export.add_argument("--no-formula-guard", action="store_true", help="CSV formats: keep text cells starting with = + - @ as they are (no leading apostrophe)")
    _add_common(export)

    incidents = commands.add_parser("incidents", help="list or show stored incidents")
    actions = incidents.add_subparsers(dest="incidents_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="one line per incident: date, country, what, where, killed, sources, contradictions (!N), actors")
    listing.add_argument("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD", help="incidents on or after this date")
    listing.add_argument("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD", help="incidents on or before this date")
    listing.add_argument("--country", metavar="CC", help="country (ISO alpha-2)")
    listing.add_argument("--actor", metavar="NAME", help="an actor whose name contains NAME (or whose id is NAME)")
    listing.add_argument("--type", metavar="TYPE", help="event type or sub-type: battles, armed_clash, 'Air/drone strike', ...")
    listing.add_argument("--limit", type=int, default=50, metavar="N", help="at most N incidents (default 50; 0 for all)")
    listing.add_argument("--json", action="store_true", help="one JSON object (the whole record) per line")
    _add_common(listing)
    show = actions.add_parser("show", help="one incident: figures with the claims behind them, contradictions, sources")
    show.add_argument("id", metavar="ID", help="incident id or a unique prefix (6+ characters)")
    show.add_argument("--json", action="store_true", help="the whole record as JSON")
    _add_common(show)


def _find_incident(store, id_or_prefix: str):
    """The incident with this id, or with the one id starting with this prefix (6+
    characters); None when there is none. An ambiguous or too short prefix raises."""
    from ..errors import StoreError

    incident = store.get_incident(id_or_prefix)
    if incident is not None:
        return incident
    prefix = id_or_prefix.strip().lower()
    if len(prefix) < 6:
        raise StoreError(f"the incident id prefix {id_or_prefix!r} is too short: give at least 6 characters of the id")
    found = []
    for candidate in store.iter_incidents():  # by id: stop once past the prefix
        if candidate.id.startswith(prefix):
            found.append(candidate)
        elif candidate.id > prefix:
            break
    if len(found) > 1:
        raise StoreError(f"the incident id prefix {id_or_prefix!r} is ambiguous: it matches {len(found)} incidents; give more characters")
    return found[0] if found else None


def _outlets(store) -> dict[str, str]:
    # Events do not name their outlet; one pass over the document summaries does.
    return {row["id"]: row["outlet"] for row in store.iter_documents() if row.get("outlet")}


def _cmd_export(args: argparse.Namespace, console: _Console) -> int:
    from ..outputs.exports import export, write_export
    from ..store import open_store

    if args.format == "parquet" and args.out is None:
        console.error("Parquet is a binary format: give the file to write with --out FILE")
        return EXIT_USAGE
    settings = _settings(args)
    with open_store(settings.store.url) as store:
        if args.kind == "events":
            records = store.iter_events()
        else:
            records = store.iter_incidents()
        options = {"format": args.format, "kind": args.kind, "outlets": _outlets(store), "formula_guard": not args.no_formula_guard}
        if args.out is None:
            result = write_export(records, sys.stdout, **options)
            sys.stdout.flush()
        else:
            result = export(records, path=args.out, **options)
    where = str(result.path) if result.path else "standard output"
    console.info(
        f"exported {result.rows} {args.kind} as {args.format} to {where}"
        + (f" ({result.unlocated} without coordinates left out)" if result.unlocated else "")
    )
    return EXIT_OK


def _cmd_incidents(args: argparse.Namespace, console: _Console) -> int:
    from ..outputs.incident_view import incident_line, incident_page, select_incidents
    from ..records import to_dict
    from ..store import open_store

    settings = _settings(args)
    with open_store(settings.store.url) as store:
        if args.incidents_command == "list":
            if args.limit < 0:
                console.error(f"--limit must be 0 (all) or more, not {args.limit}")
                return EXIT_USAGE
            selected = select_incidents(
                store.iter_incidents(),
                date_from=args.date_from,
                date_to=args.date_to,
                country=args.country,
                actor=args.actor,
                type=args.type,
                limit=args.limit or None,
            )
            for incident in selected:
                if args.json:
                    console.out(json.dumps(to_dict(incident), ensure_ascii=False, sort_keys=True))
                else:
                    console.out(incident_line(incident))
            return EXIT_OK
        incident = _find_incident(store, args.id)
        if incident is None:
            console.error(f"no incident with id {args.id!r} in {store.url}; list them with: sitreps incidents list")
            return EXIT_ERROR
        if args.json:
            console.out(json.dumps(to_dict(incident), ensure_ascii=False, indent=2, sort_keys=True))
        else:
            outlets = {}
            for document_id in incident.document_ids:
                document = store.get_document(document_id)
                if document is not None and document.outlet:
                    outlets[document_id] = document.outlet
            console.out(incident_page(incident, outlets_by_document=outlets))
    return EXIT_OK


# -- end of exports and incidents ----------------------------------------------------------


_COMMANDS = {
    "places": _cmd_places,
    "actors": _cmd_actors,
    "run": _cmd_run,
    "ingest": _cmd_ingest,
    "documents": _cmd_documents,
    "evaluate": _cmd_evaluate,
    "gazetteer": _cmd_gazetteer,
    "export": _cmd_export,
    "incidents": _cmd_incidents,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = _Console(quiet=getattr(args, "quiet", False))
    logging.basicConfig(
        level=logging.ERROR if console.quiet else logging.WARNING,
        format="sitreps: %(levelname)s: %(message)s",
    )
    try:
        return _COMMANDS[args.command](args, console)
    except SitrepsError as error:
        console.error(str(error))
        return EXIT_ERROR
    except KeyboardInterrupt:
        console.error("interrupted; documents written so far are complete, rerun to resume")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`sitreps export ... | head`): stop quietly, as Unix tools do.
        # Python would report the error again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
