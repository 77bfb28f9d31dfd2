"""Readable, deterministic names for enum members, given to the generator as `x-enum-varnames`.

openapi-python-client 0.29.1 names a string member after its value only when the value starts with a
letter, and otherwise `VALUE_<position>`: `""`, `"360DIALOG"` and `"!exact"` became `VALUE_0`..., names
that change meaning whenever upstream reorders the list. The rule here (the value stays the upstream
spelling; only the Python name is chosen):

- a value starting with a letter keeps the generator's own name (upper-cased, `-`/space/`.` -> `_`), so
  every existing member keeps its name;
- `""` is `BLANK`;
- otherwise the value is read as words: ASCII letters and digits are kept, the separators
  `-`, ` `, `_`, `.`, `/`, `:`, `,` split words, and each symbol becomes a word of its own
  (`!` NOT, `>` GT, `<` LT, `=` EQ, `+` PLUS, `-` at the start MINUS, `*` STAR, `@` AT, `#` HASH,
  `$` DOLLAR, `%` PERCENT, `&` AND, `|` OR, `~` TILDE, `^` CARET, `?` QUESTION); accented letters
  lose their accent: `"!exact"` -> `NOT_EXACT`, `">="` -> `GT_EQ`, `"-created"` -> `MINUS_CREATED`;
- a name that would start with a digit gets `VALUE_`: `"360DIALOG"` -> `VALUE_360DIALOG`;
- integer members are `VALUE_<n>` / `VALUE_NEGATIVE_<n>`, the generator's own names: the number is the
  only stable fact about them (drf-spectacular's labels, such as weekday names, are prose upstream may
  reword, and a member's name must not move with it).

A value the rule cannot name, or two values with the same name, fail the build naming the enum.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from openapi_python_client.strings import snake_case

VARNAMES_KEY = "x-enum-varnames"
SYMBOL_WORDS = {
    "!": "NOT",
    ">": "GT",
    "<": "LT",
    "=": "EQ",
    "+": "PLUS",
    "*": "STAR",
    "@": "AT",
    "#": "HASH",
    "$": "DOLLAR",
    "%": "PERCENT",
    "&": "AND",
    "|": "OR",
    "~": "TILDE",
    "^": "CARET",
    "?": "QUESTION",
}
SEPARATORS = frozenset("- _./:,")


class EnumNameError(Exception):
    """An enum value has no readable name, or two values would share one."""


def member_name(value: str | int) -> str:
    if isinstance(value, bool):
        raise EnumNameError(f"{value!r} is not a string or integer enum value")
    if isinstance(value, int):
        return f"VALUE_NEGATIVE_{-value}" if value < 0 else f"VALUE_{value}"
    if value == "":
        return "BLANK"
    if value[0].isalpha():
        name = snake_case(value.upper()).upper()  # exactly the generator's own name for such a value
        if name.isidentifier() and name.isascii():
            return name
    words: list[str] = []
    word = ""
    folded = unicodedata.normalize("NFKD", value)
    for index, char in enumerate(folded):
        if unicodedata.combining(char):
            continue
        if char.isascii() and char.isalnum():
            word += char.upper()
            continue
        words.append(word)
        word = ""
        if char == "-" and index == 0:
            words.append("MINUS")
        elif char in SYMBOL_WORDS:
            words.append(SYMBOL_WORDS[char])
        elif char not in SEPARATORS:
            raise EnumNameError(f"no name for the character {char!r} in {value!r}")
    words.append(word)
    name = "_".join(w for w in words if w)
    if not name:
        raise EnumNameError(f"no name for {value!r}")
    return f"VALUE_{name}" if name[0].isdigit() else name


def name_enum_members(where: str, schema: dict[str, Any]) -> list[str]:
    """Set `x-enum-varnames` on a string or integer enum schema; log the names the generator would not give."""
    members = schema.get("enum")
    if not isinstance(members, list) or not members or None in members or VARNAMES_KEY in schema:
        return []
    if schema.get("type") not in ("string", "integer"):
        return []
    names: dict[str, Any] = {}
    for value in members:
        try:
            name = member_name(value)
        except EnumNameError as exc:
            raise EnumNameError(f"{where}: {exc}") from None
        if name in names:
            raise EnumNameError(f"{where}: {names[name]!r} and {value!r} would both be named {name}")
        names[name] = value
    schema[VARNAMES_KEY] = list(names)
    readable = [f"{value!r} -> {name}" for name, value in names.items() if not _generator_names_it(value)]
    return [f"{where}: enum member names {', '.join(readable)}"] if readable else []


def _generator_names_it(value: Any) -> bool:
    """The generator alone gives the same name (a value starting with a letter, or any integer)."""
    return isinstance(value, int) or (isinstance(value, str) and value[:1].isalpha())
