"""Which resolved place names become the scene of an event: a government that acts is no
scene ("Moscow vetoed", "brokered by Russia"), and a lone namesake abroad in an article about
one country is left out ("Hass" in Idlib read as Ha'il, Saudi Arabia)."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from sitreps.extract.events import _acting_state, _without_stray_namesakes


@pytest.mark.parametrize(
    "text, name, acting",
    [
        ("Washington is leading a coalition fighting the group.", "Washington", True),
        ("On Wednesday Moscow vetoed a draft resolution.", "Moscow", True),
        ("Russia began air strikes last September.", "Russia", True),
        ("Moscow has been staging air strikes since 2015.", "Moscow", True),
        ("a truce brokered by the US and Russia last week", "Russia", True),
        ("a zone agreed by Turkey, Russia and Iran", "Iran", True),
        ("the regime accused by Washington of starving the city", "Washington", True),
        ("a deal brokered by regime ally Iran and opposition backer Qatar", "Qatar", True),
        ("attacks against the West", "West", True),
        ("Clashes in Aleppo killed five fighters.", "Aleppo", False),
        ("Fighting in Homs began on Monday.", "Homs", False),  # the verb is the fighting's
        ("Aleppo was shelled overnight.", "Aleppo", False),
        ("Rebels advanced on Hama, the monitor said.", "Hama", False),
        ("Troops entered the West Bank town.", "West", False),
    ],
)
def test_a_government_that_acts_is_no_scene(text, name, acting):
    start = text.index(name)
    assert _acting_state(text, start, start + len(name)) is acting


def _mention(country, population=5_000, code="PPL", name="x"):
    return SimpleNamespace(text=name, place=SimpleNamespace(country=country, population=population, feature_code=code))


def test_a_lone_small_namesake_abroad_is_left_out():
    syria = [_mention("SY") for _ in range(4)]
    stray = _mention("SA", population=600_000, name="Hass")
    kept = _without_stray_namesakes([*syria, stray], Counter())
    assert stray not in kept and len(kept) == 4


@pytest.mark.parametrize(
    "extra, actors, kept",
    [
        (_mention("LB", population=2_000_000, name="Beirut"), Counter(), True),  # a big city
        (_mention("IQ", code="PCLI", name="Iraq"), Counter(), True),  # a country
        (_mention("LB", name="Arsal"), Counter({"LB": 1}), True),  # an actor of that country is named
    ],
)
def test_what_keeps_a_place_abroad(extra, actors, kept):
    syria = [_mention("SY") for _ in range(4)]
    assert (extra in _without_stray_namesakes([*syria, extra], actors)) is kept


def test_a_second_mention_of_the_country_or_no_main_country_keeps_it():
    syria = [_mention("SY") for _ in range(4)]
    lebanon = [_mention("LB", name="Arsal"), _mention("LB", name="Ras Baalbek")]
    assert all(m in _without_stray_namesakes([*syria, *lebanon], Counter()) for m in lebanon)
    few = [_mention("SY"), _mention("SY"), _mention("SA", name="Hass")]  # too few places to tell
    assert len(_without_stray_namesakes(few, Counter())) == 3
