"""Importers of actor dictionaries into the knowledge base: CAMEO/PETRARCH ``.actors`` files and
our own CSV, converted into the TOML of ``data/actors/SCHEMA.md`` and written where
``load_knowledge_base`` finds imported files (``sitreps actors import FILE``).

``import_file(path, out_dir=...)`` detects the format, converts, validates every actor with the
loader's own checks, writes ``<out_dir>/<name>.toml`` atomically (a re-import replaces the file
whole) and returns an ``ImportReport``. ``read_cameo``, ``read_csv`` and ``write_toml`` are the
steps, usable alone.

CAMEO / PETRARCH actor dictionaries
-----------------------------------
The format of PETRARCH's ``Phoenix.*.actors.txt`` (and TABARI's older ``.actors``)::

    HEZBOLLAH_  [LBNREBHEZ]          # a phrase, then its code
    +HIZBULLAH_                      # synonyms of the same entry
    BASHAR_AL-ASSAD_  [SYRGOV 000101-141231]
    SAHEL_FRONT_                     # codes may come on tab-indented lines after the synonyms
    +SAHEL_FRONT_FOR_JUSTICE_
        [MLIREB >150620]             # date restrictions: >after, <before, from-to
        [MLIREB]                     # an undated code: the default outside the periods

Phrases join words with ``_`` (a trailing ``_`` only marks a word end); they become aliases
with spaces, in the dictionary's case (aliases are matched case-insensitively). A trailing
``(ABC)`` whose letters are initials of the phrase's words becomes an acronym. Dates are
``YYMMDD`` (years up to 30 are 20xx, as PETRARCH reads them) or ``YYYYMMDD``; every bound is
inclusive. Comments: ``#`` at a line start or after a blank or ``]``, ``;`` anywhere (TABARI),
``{...}`` and ``<!-- ... -->``; ``---STOP---`` ends the file. A code ``[---]`` means "no code".
As in PETRARCH, a phrase line without a code shares the codes of the next phrase line, and
synonyms belong to the last phrase line even across blank lines. Blank and comment lines are
ignored; ``~`` lines, lines that cannot be parsed, bad codes and dates, and entries that cannot
become actors are skipped, each with its line and reason.

How entries become actors:

- An entry's *key code* is the code of its latest period: an open-ended dated code, else its
  first undated code, else the dated code that ends last.
- Organisations (entries without dates, or whose phrase contains an organisation word such as
  ARMY, FRONT, MOVEMENT, PARTY) sharing a key code become ONE actor, ``id = cameo_<code>``:
  its name is the first undated entry's phrase (else the entry of the latest period), the
  other undated entries' phrases are aliases, and dated entries are renamings
  (``[[actor.names]]``) with their periods.
- Persons (entries with a date-restricted code and a person-like phrase: at most six words,
  no digit, no organisation word) become ``people`` of the organisation of each of their dated
  codes, with that code's period, and of their undated code from the day after their last
  period when every period has an end. The organisation of ``AFGGOVBUS`` is ``AFGGOVBUS``,
  else ``AFGGOV``: the longest prefix of at least two parts that is an organisation of the
  same file. A person with no such organisation becomes its own actor,
  ``id = cameo_<key code>_<phrase>``, its codes and periods recorded in ``source``.
- A code is read in three-letter parts: a country (ISO alpha-3, converted to the alpha-2 of
  ``countries`` with pycountry when it is installed, else no country) or region or
  international prefix, then roles. ``actor_type`` comes from the international prefix or the
  first known role (``CAMEO_ROLES``); a code without one (``[AFG]``, a country or region name
  rather than an actor) is skipped. ``kind`` is "armed" for types 1-4, else "political".

=====================================  ===========  ========================================
CAMEO part                             actor_type   note
=====================================  ===========  ========================================
GOV MIL COP SPY JUD LEG                1            state (government, military, police, ...)
REB INS SEP; prefix IMG                2            rebels, insurgents, separatists, jihadists
UAF OPP PTY CRM                        3            unaligned armed, opposition, parties, crime
ETH REL and religions (MOS SUN SHI...) 4            identity groups
CVL BUS EDU MED HLH REF AGR LAB ELI    7            civilians, business, media, elites, ...
HRI DEV ENV; prefix MNC                7            rights, development, firms
prefixes IGO NGO NGM                   8            international organisations
=====================================  ===========  ========================================

People's ``role`` is "commander" for MIL codes, "official" for state and international codes,
else "leader". ``source`` is "imported from <file name> (CAMEO code <code>)".

sitreps actor CSV
-----------------
UTF-8 (a BOM is allowed), comma-separated, quoted as usual; a header row names the columns, in
any order; blank rows and rows whose first cell starts with ``#`` are ignored::

    id,name,aliases,acronyms,actor_type,countries,kind,claimant_type,aligned_with,descriptions,source,parent,relation
    coastal_shield,Coastal Shield Brigade,Coastal Shield|Dir' al-Sahil,CSB,3,LY,armed,,,,"Made up, for tests",western_alliance,member_of

- Required columns and values: ``id`` (lowercase ascii letters, digits and ``_``, unique),
  ``name``, ``actor_type`` (an ACLED inter code 1-8).
- Optional columns: ``aliases``, ``acronyms``, ``countries`` (ISO alpha-2), ``aligned_with``
  (actor ids), ``descriptions`` -- lists separated by ``|``; ``kind`` (armed, political,
  claimant, civilians, unidentified; empty: "armed" for types 1-4, else "political");
  ``claimant_type`` (as in SCHEMA.md); ``source`` (empty: "imported from <file name>");
  ``parent`` and ``relation``: an affiliation to the actor ``parent`` (several separated by
  ``|``), ``relation`` one of SCHEMA.md's relations, one for all parents or one per parent
  (empty: ``part_of``).
- Any other column, a row with more or fewer fields than the header, or a bad value is an
  error naming the line (``ActorImportError``, a ``ValueError``); the file is not imported.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import logging
import math
import os
import re
import tempfile
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..errors import ConfigError, SitrepsError
from .kb import DATA_DIR, RELATIONS, TYPE_NAMES, Period, _actor

logger = logging.getLogger(__name__)

FORMATS = ("cameo", "csv")
KINDS = ("armed", "political", "claimant", "civilians", "unidentified")
CLAIMANT_TYPES = (
    "state_military", "state_official", "local_authority", "armed_group", "partisan_media",
    "media", "monitor_ngo", "un",
)  # fmt: skip

# CAMEO role codes -> ACLED inter code (see the module docstring's table).
CAMEO_ROLES: dict[str, int] = {
    **dict.fromkeys(("GOV", "MIL", "COP", "SPY", "JUD", "LEG"), 1),
    **dict.fromkeys(("REB", "INS", "SEP"), 2),
    **dict.fromkeys(("UAF", "OPP", "PTY", "CRM"), 3),
    **dict.fromkeys(("ETH", "REL", "MOS", "SUN", "SHI", "CHR", "CTH", "PRO", "ORT", "JEW", "HIN", "BUD", "SIK", "DRZ"), 4),
    **dict.fromkeys(("CVL", "BUS", "EDU", "MED", "HLH", "REF", "AGR", "LAB", "ELI", "HRI", "DEV", "ENV"), 7),
}  # fmt: skip
# Codes that begin with these name no country: they are the actor's type themselves.
CAMEO_PREFIXES: dict[str, int] = {"IGO": 8, "NGO": 8, "NGM": 8, "IMG": 2, "MNC": 7}

# Words that make a dated entry an organisation (renamed over time) rather than a person.
_ORGANISATION_WORDS = frozenset(
    """ARMY ARMED FORCE FORCES FRONT MOVEMENT PARTY BRIGADE BRIGADES BATTALION BATTALIONS GROUP
    GROUPS ORGANIZATION ORGANISATION COUNCIL COMMITTEE UNION LEAGUE ALLIANCE COALITION CORPS
    GUARD GUARDS MILITIA MILITIAS COMMAND AUTHORITY GOVERNMENT MINISTRY AGENCY COMMISSION
    ASSOCIATION SOCIETY NETWORK CELLS NUCLEI STATE REPUBLIC KINGDOM EMIRATE CONGRESS ASSEMBLY
    PARLIAMENT COURT BANK FUND PROGRAM PROGRAMME MISSION OFFICE POLICE DEPARTMENT INSTITUTE
    FOUNDATION CENTER CENTRE DIVISION REGIMENT UNIT UNITS TRIBE TRIBES CLAN NATIONS BOARD SERVICE
    SERVICES COMPANY CORPORATION JABHAT JAYSH JAISH HARAKAT HARAKAH HIZB KATAIB KATAEB LIWA
    FAYLAQ TANZIM SARAYA ANSAR""".split()
)
_GENERATED_ID = re.compile(r"^(?:military|police)_[a-z]{2}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class ActorImportError(SitrepsError, ValueError):
    """A dictionary cannot be imported; ``line`` names the offending line where there is one."""

    def __init__(self, message: str, *, path: Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class Skip:
    """A line (or an entry starting on that line) left out of an import, and why."""

    line: int
    reason: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What ``import_file`` did: the file written and what was read, kept and left out."""

    source: Path
    format: str
    path: Path
    actors_written: int
    people: int
    entries_read: int
    skipped: tuple[Skip, ...] = ()
    ignored_lines: int = 0  # blank and comment lines
    replaced: bool = False
    warnings: tuple[str, ...] = ()

    def summary(self, *, examples: int = 10) -> str:
        """A few lines for the CLI: counts, then the skip reasons with example lines."""
        people = f" ({self.people} people attached)" if self.people else ""
        what = "rows" if self.format == "csv" else "entries"
        lines = [
            f"Imported {self.actors_written} actors{people} from {self.entries_read} {what} of "
            f"{self.source} ({self.format}) into {self.path}"
            + (", replacing the previous import." if self.replaced else ".")
        ]
        if self.skipped:
            reasons = Counter(skip.reason for skip in self.skipped)
            lines.append(
                f"Skipped {len(self.skipped)}: "
                + "; ".join(f"{count} x {reason}" for reason, count in reasons.most_common())
            )
            for skip in self.skipped[:examples]:
                lines.append(f"  line {skip.line}: {skip.reason}: {skip.text[:80]!r}")
            if len(self.skipped) > examples:
                lines.append(f"  ... and {len(self.skipped) - examples} more")
        lines.extend(f"Warning: {warning}" for warning in self.warnings)
        return "\n".join(lines)


# --- CAMEO -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Code:
    code: str
    period: Period | None  # None: undated (the default code)

    def describe(self) -> str:
        if self.period is None:
            return f"{self.code} otherwise"
        start, end = self.period.start, self.period.end
        if start and end:
            return f"{self.code} {start}..{end}"
        return f"{self.code} from {start}" if start else f"{self.code} until {end}"


@dataclass(slots=True)
class _Entry:
    line: int
    phrases: list[str]
    codes: list[_Code] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _CameoRead:
    actors: list[dict]
    entries: int
    people: int
    skipped: tuple[Skip, ...]
    ignored_lines: int


_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_COMMENT = re.compile(r"(?:^|(?<=[\s\]]))#.*$")
_CODE = re.compile(r"^[A-Z0-9]{3,24}$")
_BAD_PHRASE_CHARS = frozenset('<>=!$%^*|\\"[]{}')


def _strip_comments(text: str) -> str:
    text = re.sub(r"\{[^{}]*\}", " ", text)
    text = text.split(";", 1)[0]
    return _COMMENT.sub("", text)


def _cameo_date(digits: str) -> str | None:
    """``YYMMDD`` (years up to 30 are 20xx, as PETRARCH reads them) or ``YYYYMMDD`` -> ISO."""
    if len(digits) == 6:
        year = int(digits[:2])
        year += 2000 if year <= 30 else 1900
        month, day = int(digits[2:4]), int(digits[4:6])
    elif len(digits) == 8:
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    else:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _parse_code(inside: str) -> _Code | str | None:
    """One bracket's content -> a code, None for the null code ``---``, or a problem (str)."""
    parts = inside.strip().split(None, 1)
    if not parts:
        return "empty code []"
    code, restriction = parts[0].upper(), (parts[1].strip() if len(parts) > 1 else "")
    if code.startswith("---"):
        return None
    if "~" in code:
        return f"agent code [{inside.strip()}] (an .agents dictionary?)"
    # "[SYRGOV>000101]": a restriction written without a blank
    if not _CODE.match(code) and (match := re.match(r"^([A-Z0-9]{3,24})([<>].*)$", code)):
        code, restriction = match.group(1), match.group(2)
    if not _CODE.match(code):
        return f"bad code [{inside.strip()}]"
    if not restriction:
        return _Code(code, None)
    if match := re.fullmatch(r"([<>])\s*(\d+)", restriction):
        date = _cameo_date(match.group(2))
        if date is None:
            return f"bad date in [{inside.strip()}]"
        return _Code(code, Period(end=date) if match.group(1) == "<" else Period(start=date))
    if match := re.fullmatch(r"(\d+)\s*-\s*(\d+)", restriction):
        start, end = _cameo_date(match.group(1)), _cameo_date(match.group(2))
        if start is None or end is None:
            return f"bad date in [{inside.strip()}]"
        if end < start:
            return f"date range ends before it starts in [{inside.strip()}]"
        return _Code(code, Period(start, end))
    return f"bad date restriction in [{inside.strip()}]"


def _split_line(content: str) -> tuple[str, list[_Code], list[str]] | None:
    """A line (comments removed) -> its phrase text, codes and problems; None if unparseable."""
    if content.count("[") != content.count("]"):
        return None
    brackets = list(_BRACKET.finditer(content))
    if len(brackets) != content.count("["):  # nested or reversed brackets
        return None
    phrase = content[: brackets[0].start()] if brackets else content
    codes, problems = [], []
    for bracket in brackets:
        parsed = _parse_code(bracket.group(1))
        if isinstance(parsed, _Code):
            codes.append(parsed)
        elif isinstance(parsed, str):
            problems.append(parsed)
    return phrase, codes, problems


def _phrase(text: str) -> str | None:
    """``BASHAR_AL-ASSAD_`` -> ``BASHAR AL-ASSAD``; None when it cannot be a name."""
    phrase = " ".join(text.replace("_", " ").split())
    if not phrase or not any(ch.isalpha() for ch in phrase):
        return None
    if any(ch in _BAD_PHRASE_CHARS for ch in phrase) or len(phrase) > 150 or len(phrase.split()) > 20:
        return None
    return phrase


def _parse_cameo(text: str) -> tuple[list[_Entry], list[Skip], int]:
    entries: list[_Entry] = []
    skipped: list[Skip] = []
    ignored = 0
    current: _Entry | None = None
    in_comment = False
    lines = text.splitlines()
    for number, raw in enumerate(lines, 1):
        line = raw
        if in_comment:
            end = line.find("-->")
            if end < 0:
                ignored += 1
                continue
            line, in_comment = line[end + 3 :], False
        while "<!--" in line:
            start = line.find("<!--")
            end = line.find("-->", start + 4)
            if end < 0:
                line, in_comment = line[:start], True
                break
            line = line[:start] + " " + line[end + 3 :]
        if "---STOP---" in line:
            if any(rest.strip() for rest in lines[number:]):
                skipped.append(Skip(number, "---STOP---: the lines after it are not read", raw.strip()))
            break
        indented = line.startswith("\t")  # PETRARCH: a tab starts a code (date restriction) line
        content = _strip_comments(line).strip()
        if not content:
            ignored += 1
            continue
        if content.startswith("~"):
            skipped.append(Skip(number, "~ line", raw.strip()))
            continue
        synonym = content.startswith("+")
        split = _split_line(content[1:] if synonym else content)
        if split is None:
            skipped.append(Skip(number, "unparseable line (unbalanced brackets)", raw.strip()))
            if not synonym and not indented:
                current = None  # its synonyms must not join the previous entry
            continue
        phrase_text, codes, problems = split
        skipped.extend(Skip(number, problem, raw.strip()) for problem in problems)
        phrase = _phrase(phrase_text) if phrase_text.strip() else None
        if synonym or indented or not phrase_text.strip():
            # A synonym, a code line, or an indented "PHRASE [CODE]" (read as a synonym).
            if indented and not synonym and "[" not in content:
                skipped.append(Skip(number, "indented line without a [code]", raw.strip()))
            elif current is None:
                skipped.append(Skip(number, "synonym or code without an entry", raw.strip()))
            elif phrase_text.strip() and phrase is None:
                skipped.append(Skip(number, "unparseable phrase", raw.strip()))
            elif synonym and phrase is None and not codes and not problems:
                skipped.append(Skip(number, "empty synonym", raw.strip()))
            else:
                if phrase is not None:
                    current.phrases.append(phrase)
                current.codes.extend(codes)
            continue
        # A primary phrase: a new entry. Prose (blanks but no "_" and no code) is not one.
        if phrase is None or ("_" not in phrase_text and " " in phrase_text.strip() and not codes):
            skipped.append(Skip(number, "unparseable line", raw.strip()))
            current = None
            continue
        if current is not None and not current.codes:
            # As in PETRARCH, phrase lines without a code share the codes of the next one.
            current.phrases.append(phrase)
            current.codes.extend(codes)
            continue
        current = _Entry(number, [phrase], list(codes))
        entries.append(current)
    return entries, skipped, ignored


@lru_cache(maxsize=1)
def _alpha3() -> dict[str, str] | None:
    try:
        import pycountry
    except ImportError:
        logger.warning("pycountry is not installed: imported CAMEO actors get no countries (pip install pycountry)")
        return None
    return {country.alpha_3: country.alpha_2 for country in pycountry.countries}


def _parts(code: str) -> list[str]:
    return [code[i : i + 3] for i in range(0, len(code), 3)]


def _code_type(code: str) -> tuple[int | None, str | None, str | None]:
    """(actor_type, the part that decided it, ISO alpha-2 country) of a CAMEO code."""
    parts = _parts(code)
    if parts[0] in CAMEO_PREFIXES:
        return CAMEO_PREFIXES[parts[0]], parts[0], None
    countries = _alpha3()
    country = countries.get(parts[0]) if countries else None
    # "ETH" first is Ethiopia; a role first ("[ELI]", "[REB]") is a code without a country.
    roles = parts if parts[0] in CAMEO_ROLES and parts[0] != "ETH" and country is None else parts[1:]
    for part in roles:
        if part in CAMEO_ROLES:
            return CAMEO_ROLES[part], part, country
    return None, None, country


def _kind(actor_type: int) -> str:
    return "armed" if actor_type <= 4 else "political"


def _role(code: str) -> str:
    actor_type, part, _ = _code_type(code)
    if part == "MIL":
        return "commander"
    return "official" if actor_type in (1, 8) else "leader"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _key_code(codes: list[_Code]) -> _Code:
    """The code of the entry's latest period: open-ended dated, else first undated, else last end."""
    open_ended = [c for c in codes if c.period is not None and c.period.end is None]
    if open_ended:
        return max(open_ended, key=lambda c: c.period.start or "")
    undated = [c for c in codes if c.period is None]
    if undated:
        return undated[0]
    return max(codes, key=lambda c: (c.period.end or "", c.period.start or ""))


def _person_like(phrase: str) -> bool:
    words = re.split(r"[\s\-]+", phrase.upper())
    if len(words) > 6 or any(ch.isdigit() for ch in phrase) or phrase.rstrip().endswith(")"):
        return False
    return not any(word.strip(".,'()") in _ORGANISATION_WORDS for word in words)


def _acronym(phrase: str) -> tuple[str, str | None]:
    """``ADEN ABYAN ISLAMIC ARMY (AAIA)`` -> (``ADEN ABYAN ISLAMIC ARMY``, ``AAIA``) when the
    letters are initials of the words, in order; a 2-letter one is dropped (too ambiguous); any
    other parenthesis (``DIRECT ACTION (GREECE)``) stays in the phrase."""
    match = re.fullmatch(r"(.+?)\s*\(([A-Z0-9][A-Z0-9.\-/]{1,9})\)", phrase)
    if not match:
        return phrase, None
    base, inner = match.group(1).strip(), match.group(2)
    letters = [ch for ch in inner if ch.isalnum()]
    initials = [word[0].upper() for word in re.split(r"[\s\-/]+", base) if word]
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return phrase, None
        position += 1
    return base, (inner if len(letters) >= 3 else None)


def _names(phrases: Iterable[str]) -> tuple[list[str], list[str]]:
    """Phrases -> (aliases, acronyms), deduplicated case-insensitively, in order."""
    aliases: dict[str, str] = {}
    acronyms: dict[str, str] = {}
    for phrase in phrases:
        alias, acronym = _acronym(phrase)
        aliases.setdefault(alias.casefold(), alias)
        if acronym:
            acronyms.setdefault(acronym, acronym)
    return list(aliases.values()), list(acronyms.values())


def _organisation_of(code: str, organisations: dict[str, object]) -> str | None:
    parts = _parts(code)
    for size in range(len(parts), 1, -1):
        prefix = "".join(parts[:size])
        if prefix in organisations:
            return prefix
    return None


def _convert_cameo(entries: list[_Entry], file_name: str) -> tuple[list[dict], list[Skip], int]:
    skipped: list[Skip] = []
    groups: dict[str, list[tuple[_Entry, _Code]]] = {}  # key code -> organisation entries
    persons: list[tuple[_Entry, _Code]] = []
    for entry in entries:
        if not entry.codes:
            skipped.append(Skip(entry.line, "entry has no CAMEO code", entry.phrases[0]))
            continue
        key = _key_code(entry.codes)
        dated = any(code.period is not None for code in entry.codes)
        if dated and _person_like(entry.phrases[0]):
            persons.append((entry, key))
        elif _code_type(key.code)[0] is None:
            skipped.append(Skip(entry.line, f"code {key.code} names a country or region, not an actor", entry.phrases[0]))
        else:
            groups.setdefault(key.code, []).append((entry, key))

    actors: dict[str, dict] = {}
    for code, members in groups.items():
        actor_type, _, country = _code_type(code)
        undated = [(entry, key) for entry, key in members if key.period is None]
        if undated:
            canonical = undated[0]
        else:  # every name is dated: the current (latest) one is the canonical name
            canonical = max(members, key=lambda m: (m[1].period.end is None, m[1].period.end or "", m[1].period.start or ""))
        aliases, acronyms = _names(p for entry, key in [canonical, *undated] for p in entry.phrases)
        source = f"imported from {file_name} (CAMEO code {code})"
        if canonical[1].period is not None:
            source += f"; {canonical[0].phrases[0]}: {canonical[1].describe()}"
        actor = {
            "id": f"cameo_{code.lower()}",
            "name": aliases[0],
            "aliases": aliases[1:],
            "acronyms": acronyms,
            "actor_type": actor_type,
            "countries": [country] if country else [],
            "kind": _kind(actor_type),
            "source": source,
            "names": [],
            "people": [],
        }
        for entry, key in members:
            if key.period is None or entry is canonical[0]:
                continue
            names, name_acronyms = _names(entry.phrases)
            actor["names"].append(
                {"name": names[0], "aliases": names[1:] + name_acronyms, "start": key.period.start, "end": key.period.end}
            )
        actors[code] = actor

    people = 0
    own: dict[str, dict] = {}
    for entry, key in persons:
        names, _ = _names(entry.phrases)
        # An undated code applies outside the dated periods: after them when they all end.
        ends = [code.period.end for code in entry.codes if code.period is not None]
        after = (dt.date.fromisoformat(max(ends)) + dt.timedelta(days=1)).isoformat() if all(ends) else None
        attached = False
        for code in entry.codes:
            if code.period is None and after is None:
                continue
            organisation = _organisation_of(code.code, actors)
            if organisation is None:
                continue
            start, end = (code.period.start, code.period.end) if code.period is not None else (after, None)
            person = {"name": names[0], "aliases": names[1:], "role": _role(code.code), "start": start, "end": end}
            if person not in actors[organisation]["people"]:
                actors[organisation]["people"].append(person)
                people += 1
            attached = True
        if attached:
            continue
        actor_type, _, country = _code_type(key.code)
        if actor_type is None:
            skipped.append(Skip(entry.line, f"code {key.code} names a country or region, not an actor", entry.phrases[0]))
            continue
        actor_id = f"cameo_{key.code.lower()}_{_slug(names[0])}"
        history = ", ".join(code.describe() for code in entry.codes)
        if actor_id in own:  # the same person listed twice
            merged, _ = _names([own[actor_id]["name"], *own[actor_id]["aliases"], *names])
            own[actor_id]["aliases"] = merged[1:]
            continue
        own[actor_id] = {
            "id": actor_id,
            "name": names[0],
            "aliases": names[1:],
            "actor_type": actor_type,
            "countries": [country] if country else [],
            "kind": _kind(actor_type),
            "source": f"imported from {file_name} (CAMEO code {key.code}); codes: {history}",
        }
    return [*actors.values(), *own.values()], skipped, people


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ActorImportError(f"Cannot read {path}: {error.strerror or error}.", path=path) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        logger.warning("%s is not UTF-8; read as cp1252", path)
        return data.decode("cp1252", errors="replace")


def _read_cameo(path: Path) -> _CameoRead:
    entries, skipped, ignored = _parse_cameo(_read_text(path))
    actors, dropped, people = _convert_cameo(entries, path.name)
    skipped = sorted([*skipped, *dropped], key=lambda skip: skip.line)
    return _CameoRead([_plain(actor) for actor in actors], len(entries), people, tuple(skipped), ignored)


def read_cameo(path: Path) -> list[dict]:
    """The actors of a CAMEO/PETRARCH actor dictionary, as knowledge-base tables (see the
    module docstring). Lines and entries left out are logged once; ``import_file`` reports
    them one by one."""
    path = Path(path)
    read = _read_cameo(path)
    if read.skipped:
        reasons = Counter(skip.reason for skip in read.skipped)
        logger.warning(
            "%s: %d lines or entries skipped (%s)",
            path, len(read.skipped), "; ".join(f"{n} x {r}" for r, n in reasons.most_common(5)),
        )
    return read.actors


# --- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id", "name", "aliases", "acronyms", "actor_type", "countries", "kind", "claimant_type",
    "aligned_with", "descriptions", "source", "parent", "relation",
)  # fmt: skip
CSV_REQUIRED = ("id", "name", "actor_type")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _csv_actor(row: dict[str, str], file_name: str) -> tuple[dict, list[str]]:
    """One row -> (actor table, problems)."""
    problems = []
    actor_id = row.get("id", "")
    if not _ID.match(actor_id):
        problems.append(f"id {actor_id!r} must be lowercase ascii letters, digits and '_' (e.g. 'coastal_shield')")
    if not row.get("name"):
        problems.append("name is empty")
    actor_type: int | None = None
    try:
        actor_type = int(row.get("actor_type", ""))
    except ValueError:
        pass
    if actor_type not in TYPE_NAMES:
        codes = ", ".join(f"{code} {name}" for code, name in TYPE_NAMES.items())
        problems.append(f"actor_type {row.get('actor_type', '')!r} is not an ACLED inter code ({codes})")
    countries = [code.upper() for code in _split(row.get("countries", ""))]
    if bad := [code for code in countries if not re.fullmatch(r"[A-Z]{2}", code)]:
        problems.append(f"countries {bad} are not ISO 3166 alpha-2 codes (e.g. SY|LB)")
    kind = row.get("kind") or (_kind(actor_type) if actor_type in TYPE_NAMES else "armed")
    if kind not in KINDS:
        problems.append(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    claimant_type = row.get("claimant_type") or None
    if claimant_type is not None and claimant_type not in CLAIMANT_TYPES:
        problems.append(f"claimant_type {claimant_type!r} is not one of {', '.join(CLAIMANT_TYPES)}")
    aligned_with = _split(row.get("aligned_with", ""))
    parents, relations = _split(row.get("parent", "")), _split(row.get("relation", ""))
    if relations and not parents:
        problems.append("relation is given without a parent")
    if len(relations) > 1 and len(relations) != len(parents):
        problems.append(f"{len(relations)} relations for {len(parents)} parents: give one, or one per parent")
    if bad := [relation for relation in relations if relation not in RELATIONS]:
        problems.append(f"relation {bad[0]!r} is not one of {', '.join(sorted(RELATIONS))}")
    relations = relations * len(parents) if len(relations) == 1 else relations or ["part_of"] * len(parents)
    table = {
        "id": actor_id,
        "name": row.get("name", ""),
        "aliases": _split(row.get("aliases", "")),
        "acronyms": _split(row.get("acronyms", "")),
        "descriptions": _split(row.get("descriptions", "")),
        "actor_type": actor_type,
        "countries": countries,
        "kind": kind,
        "claimant_type": claimant_type,
        "aligned_with": aligned_with,
        "source": row.get("source") or f"imported from {file_name}",
        "affiliations": [{"actor": p, "relation": r} for p, r in zip(parents, relations)],
    }
    return table, problems


def _read_csv(path: Path) -> tuple[list[dict], int, int]:
    """(actors, rows read, ignored lines); every bad line is named in one ActorImportError."""
    text = _read_text(path)
    reader = csv.reader(text.splitlines(keepends=True))
    header: list[str] | None = None
    actors: list[dict] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    rows = ignored = 0
    previous = 0
    try:
        for cells in reader:
            number, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
                ignored += 1
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                unknown = [name for name in header if name not in CSV_COLUMNS]
                missing = [name for name in CSV_REQUIRED if name not in header]
                doubled = sorted({name for name in header if header.count(name) > 1})
                if unknown or missing or doubled:
                    problems = []
                    if missing:
                        problems.append(f"required columns missing: {', '.join(missing)}")
                    if unknown:
                        problems.append(f"unknown columns: {', '.join(unknown)} (known: {', '.join(CSV_COLUMNS)})")
                    if doubled:
                        problems.append(f"columns given twice: {', '.join(doubled)}")
                    raise ActorImportError(
                        f"{path}, line {number} (the header): {'; '.join(problems)}.", path=path, line=number
                    )
                continue
            rows += 1
            if len(cells) != len(header):
                errors.append((number, f"{len(cells)} fields where the header has {len(header)} (quote values with commas)"))
                continue
            row = {name: cell.strip() for name, cell in zip(header, cells)}
            table, problems = _csv_actor(row, path.name)
            if table["id"] in seen:
                problems.append(f"id {table['id']!r} is already used on line {seen[table['id']]}")
            if not problems:
                try:
                    _actor(_plain(table), origin=f"{path.name} line {number}")
                except ConfigError as error:
                    problems.append(str(error))
            if problems:
                errors.extend((number, problem) for problem in problems)
                continue
            seen[table["id"]] = number
            actors.append(_plain(table))
    except csv.Error as error:
        line = reader.line_num
        raise ActorImportError(f"{path}, line {line}: not valid CSV: {error}.", path=path, line=line) from error
    if header is None:
        raise ActorImportError(f"{path}: no header row (expected columns {', '.join(CSV_COLUMNS)}).", path=path)
    if errors:
        listed = "\n".join(f"  line {number}: {problem}" for number, problem in errors[:20])
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise ActorImportError(
            f"{path}: {len(errors)} problems; fix them and import again:\n{listed}{more}",
            path=path,
            line=errors[0][0],
        )
    return actors, rows, ignored


def read_csv(path: Path) -> list[dict]:
    """The actors of a sitreps actor CSV (format in the module docstring). Raises
    ``ActorImportError`` (a ``ValueError``) naming every bad line."""
    return _read_csv(Path(path))[0]


# --- TOML ------------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_value(value: object, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(item, where) for item in value) + "]"
    raise TypeError(f"{where}: cannot write {type(value).__name__} {value!r} to the actor TOML")


def _plain(value):
    """Tables as they read back: None and empty lists left out, tuples as lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None and not (isinstance(v, (list, tuple)) and not v)}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _toml_table(lines: list[str], header: str, table: dict) -> None:
    lines.append(f"[[{header}]]")
    nested = []
    for key, value in table.items():
        if isinstance(value, (list, tuple)) and value and all(isinstance(item, dict) for item in value):
            nested.append((key, value))
        elif isinstance(value, dict):
            raise TypeError(f"{header}.{key}: plain tables are not part of the actor schema")
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value, f'{header}.{key}')}")
    for key, items in nested:
        for item in items:
            lines.append("")
            _toml_table(lines, f"{header}.{_toml_key(key)}", item)


def to_toml(actors: Iterable[dict], *, comment: str = "") -> str:
    """The ``[[actor]]`` tables of ``actors`` as TOML text (None and empty lists left out)."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    if lines:
        lines.append("")
    for actor in actors:
        _toml_table(lines, "actor", _plain(actor))
        lines.append("")
    return "\n".join(lines)


def write_toml(actors: list[dict], path: Path, *, comment: str = "") -> None:
    """Write ``actors`` as knowledge-base TOML to ``path`` atomically: a temporary file in the
    same folder, renamed over ``path`` only once complete (readers see the old file or the new,
    never a part). The text is checked to read back equal through tomllib first."""
    path = Path(path)
    text = to_toml(actors, comment=comment)
    if tomllib.loads(text) != ({"actor": [_plain(actor) for actor in actors]} if actors else {}):
        raise ActorImportError(f"Internal error: the TOML written for {path} does not read back equal; please report it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# --- import ----------------------------------------------------------------------------------


def detect_format(path: Path) -> str:
    """"csv" or "cameo", from the suffix (.csv; .txt, .actors) or else the content."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".txt", ".actors"):
        return "cameo"
    text = _read_text(Path(path))[:65536]
    for line in text.splitlines():
        content = _strip_comments(line).strip()
        if not content or content.startswith("<!"):
            continue
        header = [cell.strip().lower() for cell in next(csv.reader([content]))]
        if "id" in header and "name" in header:
            return "csv"
        break
    if re.search(r"\[[A-Z0-9]{3,}[^\]\n]*\]", text) or re.search(r"(?m)^\+\S", text):
        return "cameo"
    raise ActorImportError(
        f"Cannot tell the format of {path}: it looks neither like a CAMEO dictionary "
        f"(PHRASE_ [CODE] lines) nor like a sitreps actor CSV (a header with id,name,...). "
        f"Pass the format: --format cameo or --format csv.",
        path=Path(path),
    )


def _existing_ids(data_dir: Path | None, out_dir: Path, target: Path) -> dict[str, str]:
    """Ids of the curated files and of the other imported files -> the file defining them."""
    files = sorted(data_dir.glob("*.toml")) if data_dir is not None and data_dir.is_dir() else []
    if out_dir.is_dir():
        files += [p for p in sorted(out_dir.glob("*.toml")) if p.resolve() != target.resolve()]
    ids: dict[str, str] = {}
    for file in files:
        try:
            data = tomllib.loads(file.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # the loader reports broken files itself
        for table in data.get("actor", ()):
            if isinstance(table, dict) and isinstance(table.get("id"), str):
                ids.setdefault(table["id"], str(file))
    return ids


def import_file(
    path: Path,
    *,
    fmt: str | None = None,
    out_dir: Path,
    name: str | None = None,
    data_dir: Path | None = DATA_DIR,
) -> ImportReport:
    """Convert the dictionary ``path`` (format ``fmt``: "cameo" or "csv"; None: detected) into
    ``<out_dir>/<name or the file's stem>.toml``, replacing an earlier import of that name.
    Every actor is checked as the loader will check it, and ids must not clash with the
    curated files of ``data_dir`` or the other files of ``out_dir``."""
    path, out_dir = Path(path), Path(out_dir)
    if fmt is None:
        fmt = detect_format(path)
    elif fmt not in FORMATS:
        raise ActorImportError(f"Unknown dictionary format {fmt!r}; use one of: {', '.join(FORMATS)}.", path=path)
    stem = name if name is not None else path.stem
    stem = stem[:-5] if stem.lower().endswith(".toml") else stem
    if not _NAME.match(stem):
        raise ActorImportError(
            f"Cannot name the imported file {stem!r}: use letters, digits, '.', '_' and '-' (e.g. --name phoenix).",
            path=path,
        )
    target = out_dir / f"{stem}.toml"

    if fmt == "cameo":
        read = _read_cameo(path)
        actors, entries, people, skipped, ignored = read.actors, read.entries, read.people, read.skipped, read.ignored_lines
    else:
        actors, entries, ignored = _read_csv(path)
        people, skipped = sum(len(actor.get("people", ())) for actor in actors), ()
    if not actors:
        reasons = Counter(skip.reason for skip in skipped)
        detail = "; ".join(f"{n} x {r}" for r, n in reasons.most_common(3)) or "the file has no entries"
        raise ActorImportError(
            f"No actors found in {path} read as {fmt} ({detail}). Is it a {fmt} dictionary? "
            f"Pass --format {'csv' if fmt == 'cameo' else 'cameo'} if not.",
            path=path,
        )

    ids: dict[str, int] = {}
    for index, table in enumerate(actors):
        try:
            _actor(_plain(table), origin=target.name)
        except ConfigError as error:
            raise ActorImportError(f"{path}: {error}", path=path) from error
        if table["id"] in ids:
            raise ActorImportError(f"{path}: actor id {table['id']!r} is produced twice.", path=path)
        ids[table["id"]] = index
    existing = _existing_ids(data_dir, out_dir, target)
    clashes = sorted(i for i in ids if i in existing and not _GENERATED_ID.match(i))
    if clashes:
        listed = ", ".join(f"{i} (in {existing[i]})" for i in clashes[:10])
        raise ActorImportError(
            f"{path}: {len(clashes)} actor ids are already defined: {listed}. Ids must be unique across the "
            f"knowledge base: rename them, or re-import under the same --name to replace an earlier import.",
            path=path,
        )
    known = set(ids) | set(existing)
    warnings = tuple(
        f"{table['id']} is affiliated to {affiliation['actor']!r}, which no file defines yet"
        for table in actors
        for affiliation in table.get("affiliations", ())
        if affiliation["actor"] not in known and not _GENERATED_ID.match(affiliation["actor"])
    )

    replaced = target.exists()
    try:
        write_toml(
            actors,
            target,
            comment=f"Imported by `sitreps actors import` from {path.name} ({fmt}) on {dt.date.today().isoformat()}.\n"
            "Edit the source dictionary and import it again rather than this file.",
        )
    except OSError as error:
        raise ActorImportError(
            f"Cannot write {target}: {error.strerror or error}. Check that {out_dir} is writable "
            f"(SITREPS_HOME sets where imported dictionaries go); any earlier import is unchanged.",
            path=path,
        ) from error
    return ImportReport(
        source=path,
        format=fmt,
        path=target,
        actors_written=len(actors),
        people=people,
        entries_read=entries,
        skipped=tuple(skipped),
        ignored_lines=ignored,
        replaced=replaced,
        warnings=warnings,
    )


__all__ = [
    "ActorImportError", "CAMEO_PREFIXES", "CAMEO_ROLES", "CSV_COLUMNS", "ImportReport", "Skip",
    "detect_format", "import_file", "read_cameo", "read_csv", "to_toml", "write_toml",
]  # fmt: skip
