# Copied from patches/runtime/bodies.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/bodies.py, then run `make generate`.
"""Request bodies sent as multipart/form-data, by the OpenAPI 3 encoding rules.

A model's `to_multipart()` turns each field into its JSON value (as `to_dict()` does) and hands it here:
an object or array becomes an `application/json` part, a boolean `true`/`false`, a string or number its
text, and an unset or null field is left out (a part cannot say null, and the server then applies its
own default). Files are passed through as httpx file tuples. httpx chooses a random boundary, so no
field value can end a part and inject another.
"""

from __future__ import annotations

import json
from typing import Any

from .types import UNSET, FileTypes, RequestFiles, Unset

__all__ = ["add_file_part", "add_part", "multipart_value"]

TEXT_PART = "text/plain"
JSON_PART = "application/json"
BINARY_PART = "application/octet-stream"


def multipart_value(value: Any) -> tuple[str, str]:
    """The text of one part for a field's JSON value, and its content type."""
    if isinstance(value, bool):  # before int: a bool is an int, and JSON spells it in lower case
        return ("true" if value else "false"), TEXT_PART
    if isinstance(value, str):
        return value, TEXT_PART
    if isinstance(value, int | float):
        return json.dumps(value), TEXT_PART
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False), JSON_PART


def add_part(parts: RequestFiles, name: str, value: Any) -> None:
    """Append the part for a field's JSON value (as `to_dict()` makes it), unless it is unset or null."""
    if value is UNSET or value is None:
        return
    text, content_type = multipart_value(value)
    parts.append((name, (None, text.encode(), content_type)))


def add_file_part(parts: RequestFiles, name: str, file: FileTypes | Unset | None) -> None:
    """Append a file (a `File.to_tuple()`), unless it is unset or null.

    A part without a filename is a plain field to a server (Django reads it into `request.POST`), and a
    file's type defaults to `application/octet-stream` (OpenAPI 3's default for binary): the field name and
    that type stand in for a `File` given without them.
    """
    if isinstance(file, Unset) or file is None:
        return
    if len(file) == 4:
        file_name, payload, content_type, headers = file
        parts.append((name, (file_name or name, payload, content_type or BINARY_PART, headers)))
    else:
        file_name, payload, content_type = file
        parts.append((name, (file_name or name, payload, content_type or BINARY_PART)))
