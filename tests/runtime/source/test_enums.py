"""patches/runtime/enums.py: the base classes every generated enum subclasses."""

from __future__ import annotations

import copy
import pickle

import pytest

from patches.runtime.enums import ApiIntEnum, ApiStrEnum


class Colour(ApiStrEnum):
    RED = "RED"


class Weekday(ApiIntEnum):
    MONDAY = 0


def test_known_values_are_the_members() -> None:
    assert Colour.from_api("RED") is Colour.RED
    assert Weekday.from_api(0) is Weekday.MONDAY
    assert not Colour.RED.is_unknown
    assert str(Weekday.MONDAY) == "0"


def test_unknown_values_become_stand_ins_of_the_enum() -> None:
    teal = Colour.from_api("TEAL")
    sunday = Weekday.from_api(6)
    assert isinstance(teal, Colour) and teal.is_unknown and str(teal) == "TEAL"
    assert isinstance(sunday, Weekday) and sunday.is_unknown and sunday == 6 and sunday.name == "UNKNOWN_6"
    assert teal not in list(Colour)


@pytest.mark.parametrize("value", [1, None, b"RED"])
def test_str_enum_rejects_non_strings(value: object) -> None:
    with pytest.raises(ValueError, match="not a string value of Colour"):
        Colour.from_api(value)


@pytest.mark.parametrize("value", [True, "0", 0.0])
def test_int_enum_rejects_non_integers(value: object) -> None:
    with pytest.raises(ValueError, match="not an integer value of Weekday"):
        Weekday.from_api(value)


def test_calling_the_class_stays_strict() -> None:
    with pytest.raises(ValueError):
        Colour("TEAL")


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_members_pickle_as_themselves_and_stand_ins_as_stand_ins(protocol: int) -> None:
    assert pickle.loads(pickle.dumps(Colour.RED, protocol=protocol)) is Colour.RED
    assert pickle.loads(pickle.dumps(Weekday.MONDAY, protocol=protocol)) is Weekday.MONDAY
    for unknown in (Colour.from_api("TEAL"), Weekday.from_api(6)):
        again = pickle.loads(pickle.dumps(unknown, protocol=protocol))
        assert type(again) is type(unknown) and again.is_unknown
        assert (again.value, again.name) == (unknown.value, unknown.name)
        assert again == unknown and hash(again) == hash(unknown)


def test_copies_of_stand_ins_are_the_stand_ins() -> None:
    teal = Colour.from_api("TEAL")
    assert copy.copy(teal) is teal
    assert copy.deepcopy([teal])[0] is teal
