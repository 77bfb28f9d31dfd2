# Copied from patches/runtime/parsing.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/parsing.py, then run `make generate`.
"""Reading models from JSON: where in a body a value failed (`ParseError`), and how models print.

A model's `from_dict()` notes which field it is reading in a local variable and has one `try` around all of
them; a list has one `try` around its loop. Only when something fails does a handler put the field name or
the item index in front of the path, so a valid body pays for no bookkeeping beyond those notes.
"""

from __future__ import annotations

import re
from typing import Any, Generic, TypeVar

# The primitive checks' own messages start with the field; the path says it already.
_FIELD_PREFIX = re.compile(r"^field '[^']*': ")


class ParseError(ValueError):
    """A value of a response body that does not match the spec: `path` inside the body, what was `expected`."""

    def __init__(self, path: tuple[str | int, ...], expected: str, *, origin: Exception | None = None) -> None:
        self.steps = path
        self.expected = expected
        self.origin = origin
        """The exception that started it (KeyError, TypeError, ValueError ...), for the traceback."""
        super().__init__(f"{self.path or 'the body'}: {expected}")

    @property
    def path(self) -> str:
        """Like `results[0].contact.last_updated_on`; empty for the body itself."""
        text = ""
        for step in self.steps:
            text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
        return text

    @classmethod
    def at(cls, step: str | int, exc: Exception) -> ParseError:
        """`exc`, raised while reading field or item `step`, as a ParseError whose path starts there."""
        if isinstance(exc, ParseError):
            return cls((step, *exc.steps), exc.expected, origin=exc.origin)
        if isinstance(exc, KeyError):
            missing = "required field is missing" if exc.args == (step,) else f"required key {exc.args[0]!r} is missing"
            return cls((step,), missing, origin=exc)
        return cls((step,), _FIELD_PREFIX.sub("", str(exc)) or type(exc).__name__, origin=exc)

    @staticmethod
    def origin_of(exc: Exception) -> Exception | None:
        """What `raise ParseError.at(...) from` names: the first failure, not each level that added a step."""
        return exc.origin if isinstance(exc, ParseError) else exc


_EXTRAS = "_additional_properties"

V = TypeVar("V")


class ExtraFields(Generic[V]):
    """The base of a model whose schema admits fields beyond its own: `additional_properties` and the
    mapping methods over them. The model declares `_additional_properties` as an attrs field (None until there is an
    extra field: most objects have none, and an empty dict per object costs memory and time) and its
    `from_dict` fills it directly; nothing here is on the parsing path."""

    # The slot is the model's attrs field: attrs reuses a base's slot of the same name.
    __slots__ = ("_additional_properties",)
    _additional_properties: dict[str, V] | None

    @property
    def additional_properties(self) -> dict[str, V]:
        """Fields the API sent that the spec does not describe, as received; add to it to send more."""
        if self._additional_properties is None:
            self._additional_properties = {}
        return self._additional_properties

    @additional_properties.setter
    def additional_properties(self, value: dict[str, V]) -> None:
        self._additional_properties = value

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> V:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: V) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


def model_repr(self: Any) -> str:
    """A model's repr with only the fields that are set (and `additional_properties` only when not empty)."""
    # Named `self`: models assign it as `__repr__`, whose declared type (object's) names its parameter so.
    # Imported here: errors.py imports this module, and neither needs attrs (nor types.py, which makes attrs
    # classes) before a model exists, which has loaded both.
    import attrs

    from .types import Unset

    shown = []
    for field in attrs.fields(type(self)):
        if field.repr is False:  # kept for the model's own use (the JSON texts to_dict reuses)
            continue
        value = getattr(self, field.name)
        if field.name == _EXTRAS:  # None until the API sent a field the spec does not describe
            if value:
                shown.append(f"additional_properties={value!r}")
        elif not isinstance(value, Unset):
            shown.append(f"{field.name}={value!r}")
    return f"{type(self).__name__}({', '.join(shown)})"


__all__ = ["ExtraFields", "ParseError", "model_repr"]
