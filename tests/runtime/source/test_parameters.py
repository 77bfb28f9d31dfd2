"""patches/runtime/parameters.py: the argument checks every endpoint's `_get_kwargs` runs, on plain values.

Each check passes UNSET and a good value through (normalising a UUID given as text and an enum given as its
value), and refuses anything else with InvalidParameterError (a ValueError) or, for a wrong type,
InvalidParameterTypeError (also a TypeError), whose message and `parameter` name the argument.
"""

from __future__ import annotations

import datetime
import math
import uuid
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from patches.runtime import parameters as p
from patches.runtime.enums import ApiIntEnum, ApiStrEnum
from patches.runtime.errors import InvalidParameterError, InvalidParameterTypeError
from patches.runtime.types import UNSET

UTC = datetime.UTC
AWARE = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
NAIVE = AWARE.replace(tzinfo=None)
ID = uuid.UUID("a3ff7ee5-0c11-49e2-a0d6-7e316626f7b1")


class Colour(ApiStrEnum):
    BLUE = "blue"
    RED = "red"


class Level(ApiIntEnum):
    LOW = 1
    HIGH = 2


GOOD: list[tuple[Callable[..., Any], tuple[Any, ...], Any]] = [
    (p.check_str, (), "text"),
    (p.check_str, (), Colour.RED),  # a str enum is a str
    (p.check_bool, (), True),
    (p.check_bool, (), False),
    (p.check_int, (), 0),
    (p.check_int, (), 10**30),
    (p.check_int, (), Level.LOW),
    (p.check_float, (), 1),
    (p.check_float, (), -2.5),
    (p.check_uuid, (), ID),
    (p.check_datetime, (), AWARE),
    (p.check_datetime, (), NAIVE.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=-6)))),
    (p.check_date, (), AWARE.date()),
    (p.check_enum, (Colour,), Colour.BLUE),
    (p.check_enum, (Colour,), Colour.from_api("purple")),  # a value the API added later
    (p.check_enum, (Level,), Level.HIGH),
]


@pytest.mark.parametrize(("check", "args", "value"), GOOD, ids=lambda x: repr(x)[:30])
def test_a_good_value_is_passed_through_unchanged(check: Callable[..., Any], args: tuple[Any, ...], value: Any) -> None:
    assert check("x", value, *args) is value


CHECKS = [p.check_str, p.check_bool, p.check_int, p.check_float, p.check_uuid, p.check_datetime, p.check_date]


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_unset_passes_every_check(check: Callable[..., Any]) -> None:
    assert check("x", UNSET) is UNSET
    assert p.check_enum("x", UNSET, Colour) is UNSET
    assert p.check_list("x", UNSET, check) is UNSET


@pytest.mark.parametrize(
    "text",
    [str(ID), str(ID).upper(), ID.hex, "{" + str(ID) + "}", "urn:uuid:" + str(ID)],
)
def test_a_uuid_given_as_text_becomes_the_uuid(text: str) -> None:
    assert p.check_uuid("flow", text) == ID
    assert isinstance(p.check_uuid("flow", text), uuid.UUID)


def test_an_enum_given_as_its_value_becomes_the_member() -> None:
    assert p.check_enum("colour", "red", Colour) is Colour.RED
    assert p.check_enum("level", 2, Level) is Level.HIGH


def test_a_list_is_sent_as_a_list_of_its_checked_items() -> None:
    assert p.check_list("ids", (str(ID), ID), p.check_uuid) == [ID, ID]  # type: ignore[comparison-overlap]
    assert p.check_list("colours", ["blue", Colour.RED], p.check_enum, Colour) == [Colour.BLUE, Colour.RED]
    assert p.check_list("names", [], p.check_str) == []


WRONG_TYPES: list[tuple[Callable[..., Any], tuple[Any, ...], Any]] = [
    (p.check_str, (), 3),
    (p.check_str, (), b"bytes"),
    (p.check_bool, (), 0),
    (p.check_bool, (), 1),
    (p.check_bool, (), "true"),
    (p.check_int, (), True),
    (p.check_int, (), "1"),
    (p.check_int, (), 1.0),
    (p.check_float, (), False),
    (p.check_float, (), "1.5"),
    (p.check_uuid, (), ID.int),
    (p.check_uuid, (), ID.bytes),
    (p.check_datetime, (), AWARE.isoformat()),
    (p.check_datetime, (), AWARE.date()),
    (p.check_date, (), AWARE),  # a datetime is a date to Python; its text is not one
    (p.check_date, (), "2024-01-02"),
    (p.check_enum, (Colour,), 1),
    (p.check_enum, (Colour,), Level.LOW),
    (p.check_enum, (Level,), True),
    (p.check_enum, (Level,), "1"),
    (p.check_list, (p.check_str,), "abc"),  # would go as its characters
    (p.check_list, (p.check_str,), {"a"}),
]


@pytest.mark.parametrize(("check", "args", "value"), WRONG_TYPES, ids=lambda x: repr(x)[:30])
def test_a_value_of_the_wrong_type_raises_a_type_error_naming_the_parameter(
    check: Callable[..., Any], args: tuple[Any, ...], value: Any
) -> None:
    with pytest.raises(InvalidParameterTypeError) as caught:
        check("the_name", value, *args)
    assert caught.value.parameter == "the_name"
    assert str(caught.value).startswith("the_name: expected ")
    assert type(value).__name__ in str(caught.value)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, ValueError)


WRONG_VALUES: list[tuple[Callable[..., Any], tuple[Any, ...], Any, str]] = [
    (p.check_uuid, (), "not-a-uuid", "not a UUID: 'not-a-uuid'"),
    (p.check_uuid, (), "", "not a UUID: ''"),
    (p.check_datetime, (), NAIVE, "naive datetime '2024-01-02T03:04:05'; give it a timezone"),
    (p.check_float, (), math.nan, "expected a finite number, got nan"),
    (p.check_float, (), math.inf, "expected a finite number, got inf"),
    (p.check_enum, (Colour,), "purple", "'purple' is not a Colour (one of: 'blue', 'red')"),
    (p.check_enum, (Level,), 3, "3 is not a Level (one of: 1, 2)"),
]


@pytest.mark.parametrize(("check", "args", "value", "message"), WRONG_VALUES, ids=lambda x: repr(x)[:30])
def test_a_value_of_the_wrong_format_raises_a_value_error_naming_the_parameter(
    check: Callable[..., Any], args: tuple[Any, ...], value: Any, message: str
) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        check("the_name", value, *args)
    assert not isinstance(caught.value, TypeError)
    assert caught.value.parameter == "the_name"
    assert str(caught.value).startswith(f"the_name: {message}")


def test_a_bad_item_of_a_list_is_named_by_its_index() -> None:
    with pytest.raises(InvalidParameterError) as caught:
        p.check_list("ids", [ID, "nope"], p.check_uuid)
    assert caught.value.parameter == "ids[1]"
    with pytest.raises(InvalidParameterTypeError) as typed:
        p.check_list("levels", [1, True], p.check_enum, Level)
    assert typed.value.parameter == "levels[1]"


def test_a_long_value_is_cut_in_the_message() -> None:
    with pytest.raises(InvalidParameterError) as caught:
        p.check_uuid("flow", "x" * 10_000)
    assert len(str(caught.value)) < 200


# -- bodies ----------------------------------------------------------------------------------------------------
@attrs.define
class Stamp:
    at: Any
    note: str = "x"
    _wire: tuple[Any, ...] | None = attrs.field(init=False, default=None, eq=False)


@attrs.define
class Batch:
    stamps: list[Stamp]
    extra: dict[str, Any] = attrs.field(factory=dict)


def test_a_body_without_a_naive_date_time_is_passed_through() -> None:
    body = Batch([Stamp(AWARE), Stamp(UNSET)], {"when": AWARE})
    assert p.check_body_datetimes("body", body) is body
    assert p.check_body_datetimes("body", UNSET) is UNSET


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (Stamp(NAIVE), "body.at"),
        (Batch([Stamp(AWARE), Stamp(NAIVE)]), "body.stamps[1].at"),
        (Batch([], {"when": NAIVE}), "body.extra.when"),
        ([Stamp(NAIVE)], "body[0].at"),
    ],
)
def test_a_naive_date_time_anywhere_in_a_body_is_refused_naming_its_field(body: Any, named: str) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        p.check_body_datetimes("body", body)
    assert caught.value.parameter == named
    assert str(caught.value).startswith(f"{named}: naive datetime")


def test_the_kept_wire_texts_of_a_model_are_not_walked() -> None:
    stamp = Stamp(AWARE)
    stamp._wire = (NAIVE, "2024-01-02T03:04:05")  # noqa: SLF001 (a parsed model's kept texts; not its fields)
    assert p.check_body_datetimes("body", stamp) is stamp
