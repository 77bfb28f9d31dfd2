"""Run-time checks of an operation's arguments, called by every endpoint's `_get_kwargs` before anything is
sent: one call per parameter, the check chosen from the parameter's type in the spec
(pipeline/generating/parameter_checks.py decides which).

Type hints are not enforced by Python, so without these a UUID filter given as `"not-a-uuid"` or a boolean
given as `0` went to the server as written (and a string given for a list went as its characters). Each check
returns the value to send: the value itself, or for a UUID given as a string and an enum given as its value,
the `UUID` and the member (normalised, so the wire always gets the canonical form). `UNSET` (a parameter left
out) passes every check. A refused value raises `InvalidParameterError` (a ValueError) or, for a wrong type,
`InvalidParameterTypeError` (also a TypeError), naming the parameter.

Each check costs well under a microsecond on a good value: a type test comes first.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

import attrs

from .errors import InvalidParameterError, InvalidParameterTypeError
from .types import Unset

T = TypeVar("T")

_REPR_CHARS = 80


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _REPR_CHARS else text[:_REPR_CHARS] + "..."


def _wrong_type(name: str, expected: str, value: object) -> InvalidParameterTypeError:
    return InvalidParameterTypeError(f"expected {expected}, got {type(value).__name__} {_shown(value)}", parameter=name)


def check_str(name: str, value: T) -> T:
    """A string."""
    if isinstance(value, str | Unset):
        return value
    raise _wrong_type(name, "a str", value)


def check_bool(name: str, value: T) -> T:
    """True or False (not 0 or 1, nor "true")."""
    if isinstance(value, bool | Unset):  # bool has no subclasses: True or False
        return value
    raise _wrong_type(name, "a bool (True or False)", value)


def check_int(name: str, value: T) -> T:
    """An int, not a bool (True is an int to Python, not to the API)."""
    if (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, Unset):
        return value
    raise _wrong_type(name, "an int", value)


def check_float(name: str, value: T) -> T:
    """A finite int or float, not a bool (JSON has no NaN or infinity)."""
    if isinstance(value, Unset):
        return value
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _wrong_type(name, "a number", value)
    if not math.isfinite(value):
        raise InvalidParameterError(f"expected a finite number, got {value!r}", parameter=name)
    return value


def check_uuid(name: str, value: T) -> T:
    """A `UUID`, or a string `UUID()` reads (any case, with or without hyphens or braces), sent canonical."""
    if isinstance(value, UUID | Unset):
        return value
    if isinstance(value, str):
        try:
            return UUID(value)  # type: ignore[return-value]  # the declared type is UUID: this is it
        except ValueError:
            raise InvalidParameterError(f"not a UUID: {_shown(value)}", parameter=name) from None
    raise _wrong_type(name, "a UUID", value)


def check_datetime(name: str, value: T) -> T:
    """An aware `datetime`: the API reads a date-time with an offset, and a naive one has none to send."""
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is None:
            raise InvalidParameterError(
                f"naive datetime {value.isoformat()!r}; give it a timezone (e.g. tzinfo=datetime.timezone.utc)",
                parameter=name,
            )
        return value
    if isinstance(value, Unset):
        return value
    raise _wrong_type(name, "a datetime", value)


def check_date(name: str, value: T) -> T:
    """A `date`, not a `datetime` (whose text is not a date)."""
    if (isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)) or isinstance(value, Unset):
        return value
    raise _wrong_type(name, "a date", value)


def check_enum(name: str, value: T, enum: type[Enum]) -> T:
    """A member of `enum` (stand-ins for values the API added later included), or one of its values, sent as
    that member."""
    if isinstance(value, enum | Unset):
        return value
    if not isinstance(value, int if issubclass(enum, int) else str) or isinstance(value, bool | Enum):
        raise _wrong_type(name, f"a {enum.__name__} or its value", value)
    try:
        return enum(value)  # type: ignore[return-value]  # the declared type is the enum: this is a member
    except ValueError:
        accepted = ", ".join(repr(member._value_) for member in enum)
        raise InvalidParameterError(
            f"{_shown(value)} is not a {enum.__name__} (one of: {accepted})", parameter=name
        ) from None


def check_list(name: str, value: T, check: Callable[..., Any], *args: Any) -> T:
    """A list (or tuple) whose every item passes `check` (with `args`), sent as a list of the checked items;
    a string is refused, since it would go as its characters."""
    if isinstance(value, Unset):
        return value
    if not isinstance(value, list | tuple):
        raise _wrong_type(name, "a list", value)
    return [check(f"{name}[{index}]", item, *args) for index, item in enumerate(value)]  # type: ignore[return-value]


def check_body_datetimes(name: str, value: T) -> T:
    """A request body (a model, or a list of them) in which no date-time is naive: the one check a body gets,
    since its other fields are typed by the model's own constructor. Walks the model's fields (and nested
    models, lists and mappings) and names the field of a naive one, e.g. `body.contact_list[0].created_on`."""
    _refuse_naive(name, value)
    return value


def _refuse_naive(path: str, value: object) -> None:
    kind = type(value)
    if isinstance(value, datetime.datetime):
        check_datetime(path, value)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _refuse_naive(f"{path}[{index}]", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_naive(f"{path}.{key}", item)
    elif attrs.has(kind):
        for field in attrs.fields(kind):
            if field.init:  # the model's own fields; not the kept wire texts
                _refuse_naive(f"{path}.{field.name}", getattr(value, field.name))
        extra = getattr(value, "additional_properties", None)
        if isinstance(extra, dict):
            _refuse_naive(path, extra)


__all__ = [
    "check_body_datetimes",
    "check_bool",
    "check_date",
    "check_datetime",
    "check_enum",
    "check_float",
    "check_int",
    "check_list",
    "check_str",
    "check_uuid",
]
