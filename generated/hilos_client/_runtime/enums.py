# Copied from patches/runtime/enums.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/enums.py, then run `make generate`.
"""Base classes of the generated enums: parse values the API adds later instead of failing.

Every enum the spec defines subclasses one of these, so `from_api()` and `is_unknown` exist once, here.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any, Self


class ApiStrEnum(StrEnum):
    """A string enum of the API. `str()` is the value, as sent on the wire."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def from_api(cls, value: object) -> Self:
        """The member for `value`, or, for a string this version does not know, a stand-in with `is_unknown` True.

        Responses are parsed with this, so a value the API adds later does not break parsing; calling the
        class itself (`Enum("...")`) still rejects unknown values.
        """
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a string value of {cls.__name__}")
        try:
            return cls(value)
        except ValueError:
            pass
        unknown = str.__new__(cls, value)
        unknown._name_ = value
        unknown._value_ = value
        return unknown

    @property
    def is_unknown(self) -> bool:
        """True for a value the API sent that this version of the client does not know."""
        return self._value_ not in type(self)._value2member_map_

    def __reduce_ex__(self, proto: object) -> tuple[Any, ...]:
        # Enum's own pickles `cls(value)`, which refuses an unknown value: a stand-in is made again as it was made.
        return _reduce(self)


class ApiIntEnum(IntEnum):
    """An integer enum of the API. `str()` is the value, as sent on the wire."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def from_api(cls, value: object) -> Self:
        """The member for `value`, or, for an integer this version does not know, a stand-in with `is_unknown` True.

        Responses are parsed with this, so a value the API adds later does not break parsing; calling the
        class itself (`Enum(...)`) still rejects unknown values.
        """
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{value!r} is not an integer value of {cls.__name__}")
        try:
            return cls(value)
        except ValueError:
            pass
        unknown = int.__new__(cls, value)
        unknown._name_ = f"UNKNOWN_{value}"
        unknown._value_ = value
        return unknown

    @property
    def is_unknown(self) -> bool:
        """True for a value the API sent that this version of the client does not know."""
        return self._value_ not in type(self)._value2member_map_

    def __reduce_ex__(self, proto: object) -> tuple[Any, ...]:
        # Enum's own pickles `cls(value)`, which refuses an unknown value: a stand-in is made again as it was made.
        return _reduce(self)


def _reduce(member: ApiStrEnum | ApiIntEnum) -> tuple[Any, ...]:
    """How pickle makes `member` again: by value, through `from_api` for a stand-in (so it stays unknown)."""
    cls = type(member)
    return (cls.from_api if member.is_unknown else cls), (member._value_,)


__all__ = ["ApiIntEnum", "ApiStrEnum"]
