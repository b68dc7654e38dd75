"""The actor knowledge base: curated TOML files (``data/actors/``), generated state forces for
every country, and whatever a user imported; looked up by folded name, acronym or person.

The format of the files is described in ``data/actors/SCHEMA.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from ..errors import ConfigError
from .fold import fold

logger = logging.getLogger(__name__)

# The curated files, shipped inside the package (data/actors in the checkout links here).
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"

MILITARY_NOUNS = (
    "army", "armed forces", "military", "troops", "soldiers", "soldier", "forces",
    "government forces", "regime forces", "state forces", "defence forces", "defense forces",
    "air force", "airforce", "warplanes", "jets", "fighter jets", "navy", "artillery",
    "special forces", "ground forces", "army units", "army troops", "military forces",
    "armed forces units", "commandos", "paratroopers", "marines", "drones", "helicopters",
    # The weapons and strikes of a state name its forces: "Russian air strikes", "US raids".
    "air strikes", "airstrikes", "air raids", "raids", "strikes", "aircraft", "planes",
    "war planes", "bombers", "gunships", "helicopter gunships", "shelling", "missiles",
)  # fmt: skip
POLICE_NOUNS = (
    "police", "police forces", "policemen", "police officers", "security forces",
    "gendarmes", "gendarmerie", "border guards", "border police", "riot police",
)  # fmt: skip
TYPE_NAMES = {
    1: "state forces", 2: "rebel group", 3: "political militia", 4: "identity militia",
    5: "rioters", 6: "protesters", 7: "civilians", 8: "external/other forces",
}  # fmt: skip
RELATIONS = {"member_of", "part_of", "allied_with", "pledged_to", "split_from", "merged_into", "armed_wing_of"}


# English words that a name loses its "al" to ("Al-Monitor" is not every "war monitor").
_COMMON_WORDS = frozenset({"monitor", "watch", "network", "observer", "report", "news", "times", "front", "forces"})


@dataclass(frozen=True, slots=True)
class Period:
    start: str | None = None  # ISO dates; None: open
    end: str | None = None

    def covers(self, date: str | None) -> bool:
        if date is None:
            return True
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(frozen=True, slots=True)
class Renaming:
    name: str
    aliases: tuple[str, ...]
    period: Period


@dataclass(frozen=True, slots=True)
class Affiliation:
    actor: str
    relation: str
    period: Period


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    aliases: tuple[str, ...]
    role: str
    period: Period


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    actor_type: int
    kind: str = "armed"  # armed | political | claimant | civilians | unidentified
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    claimant_type: str | None = None
    aligned_with: tuple[str, ...] = ()
    names: tuple[Renaming, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    people: tuple[Person, ...] = ()
    source: str = ""
    origin: str = ""  # the file it came from, or "generated"

    def name_at(self, date: str | None) -> str:
        """The name the actor went by on ``date`` (its canonical name outside renamings)."""
        for renaming in self.names:
            if date is not None and renaming.period.covers(date):
                return renaming.name
        return self.name


@dataclass(frozen=True, slots=True)
class Entry:
    """One way of naming an actor: what a matched phrase resolves to, and how."""

    actor_id: str
    how: str  # alias | acronym | description | renaming | person | state_force
    phrase: str  # the alias as written in the knowledge base
    person: str | None = None


@dataclass
class KnowledgeBase:
    actors: dict[str, Actor] = field(default_factory=dict)
    # folded phrase (tuple of folded words) -> entries; acronym (exact) -> entries
    phrases: dict[tuple[str, ...], list[Entry]] = field(default_factory=lambda: defaultdict(list))
    acronyms: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    # country code -> (names, demonyms); folded demonym/name -> country
    countries: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    country_words: dict[tuple[str, ...], str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.actors)

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose alias, acronym, description or person is exactly ``name`` (folded;
        acronyms case-sensitively)."""
        found = list(self.acronyms.get(name.strip(), ()))
        key = tuple(fold(name).split())
        found += [entry for entry in self.phrases.get(key, ()) if entry not in found]
        return found

    def affiliations(self, actor_id: str, date: str | None = None) -> list[Affiliation]:
        """The actor's affiliations in force on ``date`` (all of them when None)."""
        actor = self.actors[actor_id]
        return [a for a in actor.affiliations if a.period.covers(date)]

    def state_force(self, country: str, *, police: bool = False) -> Actor | None:
        return self.actors.get(f"{'police' if police else 'military'}_{country.lower()}")

    def country_name(self, code: str) -> str:
        names = self.countries.get(code.upper())
        return names[0][0] if names and names[0] else code.upper()

    # -- building ---------------------------------------------------------------------

    def add(self, actor: Actor) -> None:
        if actor.id in self.actors:
            raise ConfigError(
                f"Actor id {actor.id!r} is defined twice ({self.actors[actor.id].origin} and "
                f"{actor.origin}); ids must be unique across the knowledge base."
            )
        self.actors[actor.id] = actor
        self._index(actor)

    def _phrase(self, text: str, entry: Entry) -> None:
        key = tuple(fold(text).split())
        if not key:
            return
        if entry not in self.phrases[key]:
            self.phrases[key].append(entry)
        # "al-Qaeda" is also written "Qaeda"; "Jabhat al-Nusra" also "Jabhat Nusra".
        bare = tuple(word for word in key if word != "al")
        if bare != key and bare and (len(bare) > 1 or (len(bare[0]) >= 5 and bare[0] not in _COMMON_WORDS)):
            if entry not in self.phrases[bare]:
                self.phrases[bare].append(entry)

    def _index(self, actor: Actor) -> None:
        for alias in (actor.name, *actor.aliases):
            self._phrase(alias, Entry(actor.id, "alias", alias))
        for description in actor.descriptions:
            self._phrase(description, Entry(actor.id, "description", description))
        for renaming in actor.names:
            for alias in (renaming.name, *renaming.aliases):
                if alias.isupper() and " " not in alias and len(alias) <= 6:
                    self.acronyms[alias].append(Entry(actor.id, "acronym", alias))
                else:
                    self._phrase(alias, Entry(actor.id, "renaming", alias))
        for acronym in actor.acronyms:
            self.acronyms[acronym].append(Entry(actor.id, "acronym", acronym))
        for person in actor.people:
            for alias in (person.name, *person.aliases):
                self._phrase(alias, Entry(actor.id, "person", alias, person=person.name))

    def merge(self, actor_id: str, extra: Actor) -> None:
        """Add an entry's names to an existing (generated) actor."""
        base = self.actors[actor_id]
        merged = replace(
            base,
            aliases=base.aliases + extra.aliases,
            acronyms=base.acronyms + extra.acronyms,
            descriptions=base.descriptions + extra.descriptions,
            names=base.names + extra.names,
            people=base.people + extra.people,
            affiliations=base.affiliations + extra.affiliations,
            countries=tuple(dict.fromkeys(base.countries + extra.countries)),
            source="; ".join(filter(None, (base.source, extra.source))),
        )
        self.actors[actor_id] = merged
        self._index(replace(extra, id=actor_id, name=base.name))


def _period(table: dict, where: str) -> Period:
    def date(key: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ConfigError(f"{where}: {key} = {value!r} is not a YYYY-MM-DD date.") from None
        return value

    return Period(date("start"), date("end"))


def _actor(table: dict, *, origin: str) -> Actor:
    where = f"{origin}: actor {table.get('id', '?')!r}"
    for key in ("id", "name", "actor_type"):
        if key not in table:
            raise ConfigError(f"{where} has no {key!r}; see data/actors/SCHEMA.md.")
    if table["actor_type"] not in TYPE_NAMES:
        raise ConfigError(f"{where}: actor_type must be an ACLED inter code 1-8, got {table['actor_type']!r}.")
    affiliations = []
    for item in table.get("affiliations", ()):
        if item.get("relation") not in RELATIONS:
            raise ConfigError(f"{where}: affiliation relation {item.get('relation')!r} is not one of {sorted(RELATIONS)}.")
        affiliations.append(Affiliation(item["actor"], item["relation"], _period(item, where)))
    return Actor(
        id=table["id"],
        name=table["name"],
        actor_type=int(table["actor_type"]),
        kind=table.get("kind", "armed"),
        aliases=tuple(table.get("aliases", ())),
        acronyms=tuple(table.get("acronyms", ())),
        descriptions=tuple(table.get("descriptions", ())),
        countries=tuple(code.upper() for code in table.get("countries", ())),
        claimant_type=table.get("claimant_type"),
        aligned_with=tuple(table.get("aligned_with", ())),
        names=tuple(
            Renaming(item["name"], tuple(item.get("aliases", ())), _period(item, where))
            for item in table.get("names", ())
        ),
        affiliations=tuple(affiliations),
        people=tuple(
            Person(item["name"], tuple(item.get("aliases", ())), item.get("role", "leader"), _period(item, where))
            for item in table.get("people", ())
        ),
        source=table.get("source", ""),
        origin=origin,
    )


def _read_demonyms(path: Path) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    countries = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = tuple(part.strip() for part in row["names"].split("|") if part.strip())
            demonyms = tuple(part.strip() for part in row["demonyms"].split("|") if part.strip())
            countries[row["country"].strip().upper()] = (names, demonyms)
    return countries


def _generate_state_forces(kb: KnowledgeBase) -> None:
    """'Military Forces of X' and 'Police Forces of X' for every country, named by demonym
    and noun ("Syrian troops", "Lebanese police") and by possessive ("Syria's army")."""
    for code, (names, demonyms) in sorted(kb.countries.items()):
        name = names[0] if names else code
        for police, nouns in ((False, MILITARY_NOUNS), (True, POLICE_NOUNS)):
            actor = Actor(
                id=f"{'police' if police else 'military'}_{code.lower()}",
                name=f"{'Police' if police else 'Military'} Forces of {name}",
                actor_type=1,
                kind="armed",
                countries=(code,),
                claimant_type="state_military" if not police else "state_official",
                aligned_with=(),
                source="generated from demonyms.csv",
                origin="generated",
            )
            kb.actors[actor.id] = actor
            for adjective in demonyms:
                if not adjective[:1].isupper():
                    continue
                for noun in nouns:
                    kb._phrase(f"{adjective} {noun}", Entry(actor.id, "state_force", f"{adjective} {noun}"))
            for country in names:
                for noun in nouns:
                    kb._phrase(f"{country}'s {noun}", Entry(actor.id, "state_force", f"{country}'s {noun}"))
        for word in (*names, *demonyms):
            key = tuple(fold(word).split())
            if key:
                kb.country_words.setdefault(key, code)


def load_knowledge_base(
    directories: Iterable[Path] = (), *, data_dir: Path | None = DATA_DIR
) -> KnowledgeBase:
    """The curated files of ``data_dir`` (``data/actors``; None for none) plus every
    ``*.toml`` in ``directories`` (imported dictionaries), with state forces generated for
    every country of ``data_dir/demonyms.csv``."""
    kb = KnowledgeBase()
    if data_dir is not None and (data_dir / "demonyms.csv").exists():
        kb.countries = _read_demonyms(data_dir / "demonyms.csv")
    _generate_state_forces(kb)
    curated = sorted(data_dir.glob("*.toml")) if data_dir is not None else []
    files = curated + [p for d in directories for p in sorted(Path(d).glob("*.toml"))]
    for path in files:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"Cannot read the actor file {path}: {error}.") from error
        for table in data.get("actor", ()):
            actor = _actor(table, origin=path.name)
            if actor.id in kb.actors and kb.actors[actor.id].origin == "generated":
                kb.merge(actor.id, actor)
            else:
                kb.add(actor)
    unknown = sorted(
        f"{actor.id} -> {affiliation.actor}"
        for actor in kb.actors.values()
        for affiliation in actor.affiliations
        if affiliation.actor not in kb.actors
    )
    if unknown:
        logger.warning("affiliations to unknown actors: %s", ", ".join(unknown))
    return kb
