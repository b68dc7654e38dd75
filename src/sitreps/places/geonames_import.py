"""``sitreps gazetteer import``: GeoNames dump files added to a built gazetteer.

The files are those of https://download.geonames.org/export/dump/, as ``.txt`` or as a
``.zip`` holding one ``.txt`` (a ``readme.txt`` beside it is ignored). Each is recognised by
its number of tab-separated columns, whatever its name:

- 19, the main dump (``allCountries.zip``, a country's ``SY.zip``, ``cities500.zip``):
  geonameid, name, asciiname, alternatenames, latitude, longitude, feature class, feature
  code, country code, cc2, admin1 to admin4 codes, population, elevation, dem, timezone,
  modification date. Kept: terrain (class T: mountains, hills, valleys, passes, ...), wadis
  (H.WAD*), areas (class L: regions, ...), border posts (S.PSTB, S.PSTP) and camps (S.CMP*,
  refugee camps among them), updated in place when imported again; and populated places and
  admin areas (P, A) of any size that the gazetteer lacks.
- 10, ``alternateNamesV2`` (8, the older ``alternateNames``): alternateNameId, geonameid,
  isolanguage, alternate name, ...: names added to the places the gazetteer holds; links,
  postcodes and airport, railway and other codes are left out.
- 4, ``admin1CodesASCII.txt`` or ``admin2Codes.txt``: code ("SY.08"), name, asciiname,
  geonameid: names added to the area; an area the gazetteer lacks is added at its most
  populous place (source ``import:<file>:centroid=largest-place``).

Main dumps are read first, then admin codes, then alternate names, whatever the order given.
Every write is an upsert keyed by geonameid, so importing a file again adds nothing. Files are
streamed and written in batches of ``BATCH`` rows, one transaction each. A file of the wrong
shape is refused at its first line; a malformed row further on is skipped and counted.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .gazetteer import GazetteerError, connect, folded_names

__all__ = ["import_geonames"]

logger = logging.getLogger(__name__)

BATCH = 20_000
DUMP_URL = "https://download.geonames.org/export/dump/"

# Kind of file, by its number of columns; the order in which kinds are imported.
_KINDS = {19: "places", 4: "admin_codes", 10: "alternate_names", 8: "alternate_names"}
_ORDER = ("places", "admin_codes", "alternate_names")
# alternateNames "languages" that are not names.
_NOT_NAMES = frozenset({"link", "post", "iata", "icao", "faac", "tcid", "unlc", "wkdt", "uicn", "fr_1793", "phon", "piny"})
_ZIP_EXTRAS = frozenset({"readme.txt", "iso-languagecodes.txt"})

_UPSERT = """
INSERT INTO places (geonames_id, name, lat, lon, country, admin1_code, admin2_code, feature_class, feature_code, population, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (geonames_id) DO UPDATE SET
    name = excluded.name, lat = excluded.lat, lon = excluded.lon, country = excluded.country,
    admin1_code = excluded.admin1_code, admin2_code = excluded.admin2_code,
    feature_class = excluded.feature_class, feature_code = excluded.feature_code,
    population = excluded.population, source = excluded.source
"""
_INSERT_NEW = """
INSERT INTO places (geonames_id, name, lat, lon, country, admin1_code, admin2_code, feature_class, feature_code, population, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (geonames_id) DO NOTHING
"""
_ADD_NAME = "INSERT OR IGNORE INTO names (folded, place_id) SELECT ?, id FROM places WHERE geonames_id = ?"


@dataclass(slots=True)
class _FileReport:
    file: str
    kind: str
    rows: int = 0  # data rows read
    kept: int = 0  # rows written (places kept, names of known places)
    bad_rows: int = 0
    first_bad_lines: tuple[int, ...] = ()


def import_geonames(path: Path, files: list[Path]) -> dict:
    """Add the GeoNames dump ``files`` to the gazetteer at ``path`` (built beforehand).

    Returns ``{"seconds", "places_added", "names_added", "files": [{"file", "kind", "rows",
    "kept", "bad_rows", "first_bad_lines"}, ...]}``. Raises ``GazetteerError`` naming the file
    (and line) when a file is missing or not a GeoNames file; nothing is written then.
    """
    started = time.perf_counter()
    path = Path(path)
    plans = sorted(((_kind(Path(file)), Path(file)) for file in files), key=lambda plan: _ORDER.index(plan[0]))
    connection = _connect(path)
    try:
        places_before, names_before = _counts(connection)
        reports = []
        for kind, file in plans:
            report = _FileReport(file=file.name, kind=kind)
            importer = {"places": _import_places, "admin_codes": _import_admin_codes, "alternate_names": _import_alternate_names}[kind]
            importer(connection, file, report)
            if report.bad_rows:
                logger.warning("%s: %d malformed rows skipped (first at lines %s)", file, report.bad_rows, ", ".join(map(str, report.first_bad_lines)))
            reports.append(report)
        places_after, names_after = _counts(connection)
        connection.execute("PRAGMA optimize")
    finally:
        connection.close()
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "places_added": places_after - places_before,
        "names_added": names_after - names_before,
        "files": [
            {"file": r.file, "kind": r.kind, "rows": r.rows, "kept": r.kept, "bad_rows": r.bad_rows, "first_bad_lines": list(r.first_bad_lines)}
            for r in reports
        ],
    }


def _connect(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise GazetteerError(f"No gazetteer at {path} to import into. Build it first with: sitreps gazetteer build", path=path)
    return connect(path, read_only=False)


def _counts(connection: sqlite3.Connection) -> tuple[int, int]:
    return connection.execute("SELECT (SELECT count(*) FROM places), (SELECT count(*) FROM names)").fetchone()


@contextlib.contextmanager
def _open_text(file: Path) -> Iterator[io.TextIOBase]:
    """The text of ``file``: itself, or the one ``.txt`` of a zip archive."""
    if not file.is_file():
        raise GazetteerError(f"{file}: no such file. Download GeoNames files from {DUMP_URL}", path=file)
    if file.suffix.lower() != ".zip":
        with open(file, encoding="utf-8", newline="") as text:
            yield text
        return
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as error:
        raise GazetteerError(f"{file}: not a zip archive ({error}); give the GeoNames .zip as downloaded, or the .txt inside it", path=file) from error
    with archive:
        members = [name for name in archive.namelist() if name.lower().endswith(".txt") and Path(name).name.lower() not in _ZIP_EXTRAS]
        if len(members) != 1:
            raise GazetteerError(
                f"{file}: a GeoNames zip holds one .txt file; this one holds {len(members)} ({', '.join(members) or 'none'}). "
                "Unpack it and import the .txt files one by one.",
                path=file,
            )
        with archive.open(members[0]) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
            yield text


def _rows(file: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, columns) of every data line; blank lines and ``#`` comments skipped."""
    with _open_text(file) as text:
        number = 0
        try:
            for number, line in enumerate(text, start=1):
                line = line.rstrip("\r\n")
                if line and not line.startswith("#"):
                    yield number, line.split("\t")
        except UnicodeDecodeError as error:
            raise GazetteerError(f"{file}: line {number + 1} is not UTF-8 ({error}); GeoNames files are UTF-8", path=file, line=number + 1) from error


def _kind(file: Path) -> str:
    """What ``file`` is, from the columns of its first data line; refuses any other file."""
    with contextlib.closing(_rows(file)) as rows:
        number, columns = next(rows, (0, None))
    if columns is None:
        raise GazetteerError(f"{file}: no data rows; expected a GeoNames file from {DUMP_URL}", path=file)
    kind = _KINDS.get(len(columns))
    if kind is None:
        raise GazetteerError(
            f"{file}: line {number} has {len(columns)} tab-separated columns. Expected a GeoNames dump "
            "(19 columns: allCountries.zip, a country's zip such as SY.zip), alternateNamesV2 (10) or "
            f"admin1CodesASCII.txt / admin2Codes.txt (4), from {DUMP_URL}",
            path=file,
            line=number,
        )
    return kind


def _bad(report: _FileReport, number: int) -> None:
    report.bad_rows += 1
    if len(report.first_bad_lines) < 5:
        report.first_bad_lines += (number,)


def _write(connection: sqlite3.Connection, statements: list[tuple[str, list]]) -> None:
    with connection:
        for sql, rows in statements:
            if rows:
                connection.executemany(sql, rows)
                rows.clear()


def _keep_always(feature_class: str, feature_code: str) -> bool:
    """Features the populated-place packages lack: terrain, wadis, areas, border posts, camps."""
    return (
        feature_class in ("T", "L")
        or (feature_class == "H" and feature_code.startswith("WAD"))
        or (feature_class == "S" and (feature_code in ("PSTB", "PSTP") or feature_code.startswith("CMP")))
    )


def _import_places(connection: sqlite3.Connection, file: Path, report: _FileReport) -> None:
    source = f"import:{file.name}"
    upserts: list[tuple] = []
    inserts: list[tuple] = []
    names: list[tuple[str, int]] = []
    for number, columns in _rows(file):
        report.rows += 1
        try:
            if len(columns) != 19:
                raise ValueError
            feature_class, feature_code = columns[6], columns[7]
            keep_always = _keep_always(feature_class, feature_code)
            if not keep_always and feature_class not in ("P", "A"):
                continue
            geonames_id = int(columns[0])
            row = (
                geonames_id, columns[1], float(columns[4]), float(columns[5]), columns[8] or None,
                _code(columns[10]), _code(columns[11]), feature_class, feature_code,
                int(columns[14] or 0), source,
            )
        except ValueError:
            _bad(report, number)
            continue
        (upserts if keep_always else inserts).append(row)
        alternates = [columns[2], *columns[3].split(",")] if columns[3] else [columns[2]]
        names.extend((folded, geonames_id) for folded in folded_names(columns[1], alternates))
        report.kept += 1
        if len(upserts) + len(inserts) >= BATCH:
            _write(connection, [(_UPSERT, upserts), (_INSERT_NEW, inserts), (_ADD_NAME, names)])
    _write(connection, [(_UPSERT, upserts), (_INSERT_NEW, inserts), (_ADD_NAME, names)])


def _code(column: str) -> str | None:
    # GeoNames writes "00" for "no admin area" (countries, seas, places between two areas).
    return column if column and column != "00" else None


def _import_alternate_names(connection: sqlite3.Connection, file: Path, report: _FileReport) -> None:
    names: list[tuple[str, int]] = []
    for number, columns in _rows(file):
        report.rows += 1
        try:
            if len(columns) not in (8, 10):
                raise ValueError
            geonames_id = int(columns[1])
        except ValueError:
            _bad(report, number)
            continue
        if columns[2] in _NOT_NAMES:
            continue
        found = folded_names("", [columns[3]])
        names.extend((folded, geonames_id) for folded in found)
        report.kept += bool(found)
        if len(names) >= BATCH:
            _write(connection, [(_ADD_NAME, names)])
    _write(connection, [(_ADD_NAME, names)])


def _import_admin_codes(connection: sqlite3.Connection, file: Path, report: _FileReport) -> None:
    source = f"import:{file.name}:centroid=largest-place"
    names: list[tuple[str, int]] = []
    with connection:
        for number, columns in _rows(file):
            report.rows += 1
            code = columns[0].split(".") if len(columns) == 4 else []
            try:
                if len(code) not in (2, 3) or not all(code):
                    raise ValueError
                geonames_id = int(columns[3])
            except ValueError:
                _bad(report, number)
                continue
            known = connection.execute("SELECT 1 FROM places WHERE geonames_id = ?", (geonames_id,)).fetchone()
            if not known and not _add_area(connection, code, geonames_id, columns[1], source):
                continue
            names.extend((folded, geonames_id) for folded in folded_names(columns[1], [columns[2]]))
            report.kept += 1
        connection.executemany(_ADD_NAME, names)


def _add_area(connection: sqlite3.Connection, code: list[str], geonames_id: int, name: str, source: str) -> bool:
    """Add an area the gazetteer lacks at its most populous place, sized by its populated
    places; False when it has none (no coordinates to give it)."""
    country, admin1, admin2 = code[0], code[1], code[2] if len(code) == 3 else None
    where = "country = ? AND admin1_code = ? AND feature_class = 'P'" + (" AND admin2_code = ?" if admin2 else "")
    parameters = (country, admin1, admin2) if admin2 else (country, admin1)
    largest = connection.execute(f"SELECT lat, lon FROM places WHERE {where} ORDER BY population DESC, geonames_id LIMIT 1", parameters).fetchone()
    if largest is None:
        return False
    population = connection.execute(f"SELECT sum(population) FROM places WHERE {where}", parameters).fetchone()[0]
    connection.execute(_INSERT_NEW, (geonames_id, name, *largest, country, admin1, admin2, "A", f"ADM{len(code) - 1}", population, source))
    return True
