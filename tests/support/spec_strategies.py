"""Hypothesis strategies for the JSON values an OpenAPI schema of the patched spec allows, and how the client
writes such a value back.

The leaves (strings with their formats and lengths, numbers with their bounds, enums, untyped values) are
drawn by hypothesis-jsonschema from their JSON Schema (`spec_schema.to_json_schema`). Objects, arrays,
`nullable` and `oneOf` / `anyOf` are composed here from strategies built once: hypothesis-jsonschema given a
whole response schema re-canonicalises every nested schema at every draw, which took 13 to 76 s for ten
bodies of the larger operations (the detail of a flow execution contact inlines 50 kB of schema). Tests
validate what is drawn with jsonschema, so a mistake here cannot pass as a spec-valid body.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

from hilos_client.types import format_datetime
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from tests.support.spec_schema import resolve, to_json_schema

# hypothesis-jsonschema writes any string for "uuid" (a format it does not know) and years from 0000 for
# "date-time", which Python's datetime cannot hold; "uri" and "email" go through its slow domain strategies.
# Those formats are drawn here instead (renamed, so hypothesis-jsonschema takes the custom strategy).
# "time" is written as openapi-core checks it (`HH:MM:SS`, the form Django REST framework gives a time without
# microseconds), not as RFC 3339's full-time with an offset. RFC 3339 offsets are whole minutes (Python writes the seconds of historic zones' offsets, as in -00:16:08).
_OFFSETS = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda minutes: datetime.timedelta(minutes=minutes))
CUSTOM_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "x-uuid": st.uuids().map(str),
    "x-date-time": st.datetimes(
        min_value=datetime.datetime(1, 1, 2),
        timezones=st.just(datetime.UTC) | _OFFSETS.map(datetime.timezone),
    ).map(lambda moment: moment.isoformat()),
    "x-time": st.times().map(lambda moment: moment.replace(microsecond=0).isoformat()),
    "x-uri": st.from_regex(r"\Ahttps://[a-z]{1,8}\.example/[a-z0-9]{0,8}\Z"),
    "x-email": st.from_regex(r"\A[a-z0-9]{1,8}@[a-z]{1,8}\.example\Z"),
}
# More items or extra keys make bodies bigger, not different to a parser.
MAX_ITEMS = 2
UNKNOWN_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=4),
    lambda children: st.lists(children, max_size=2) | st.dictionaries(st.text(max_size=4), children, max_size=2),
    max_leaves=3,
)


def json_values(
    spec: dict[str, Any], schema: dict[str, Any], *, response: bool = True, unknown_enums: bool = False
) -> st.SearchStrategy[Any]:
    """Values the schema accepts: every required property, each optional one or not, nulls where nullable,
    keys the schema does not name unless `additionalProperties` is false. A response leaves out write-only
    properties. With `unknown_enums`, a string or integer enum may also hold a value it does not list (one
    the API adds later, which the client parses as an unknown member): such values are not spec-valid."""
    key = (id(spec), response, unknown_enums)
    composer = _COMPOSERS.setdefault(key, _Composer(spec, response, unknown_enums))
    return composer.of(schema)


class _Composer:
    def __init__(self, spec: dict[str, Any], response: bool, unknown_enums: bool = False) -> None:
        self.spec = spec
        self.skipped = "writeOnly" if response else "readOnly"
        self.unknown_enums = unknown_enums
        self.cache: dict[str, st.SearchStrategy[Any]] = {}

    def of(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        key = json.dumps(schema, sort_keys=True)
        if key not in self.cache:
            self.cache[key] = st.deferred(lambda: self._build(schema))
        return self.cache[key]

    def _build(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        schema = resolve(self.spec, schema)
        if schema.get("nullable"):
            return st.none() | self.of({key: value for key, value in schema.items() if key != "nullable"})
        for keyword in ("oneOf", "anyOf"):
            if schema.get(keyword):
                return st.one_of([self.of(member) for member in schema[keyword]])
        kind = schema.get("type")
        if "enum" not in schema and (kind == "object" or "properties" in schema) and not schema.get("allOf"):
            properties = {
                name: child
                for name, child in schema.get("properties", {}).items()
                if not resolve(self.spec, child).get(self.skipped)
            }
            required = set(schema.get("required", []))
            fixed = st.fixed_dictionaries(
                {name: self.of(child) for name, child in properties.items() if name in required},
                optional={name: self.of(child) for name, child in properties.items() if name not in required},
            )
            extra = schema.get("additionalProperties", True)
            if extra is False:
                return fixed
            # Without `additionalProperties` any key is allowed: one the spec does not know yet, with a value of
            # any JSON type (kept small: the client keeps it as it is).
            values = self.of(extra) if isinstance(extra, dict) else UNKNOWN_VALUES
            keys = st.text(max_size=8).filter(lambda key: key not in properties)
            extras = st.dictionaries(keys, values, max_size=MAX_ITEMS if isinstance(extra, dict) else 1)
            return st.tuples(fixed, extras).map(lambda parts: {**parts[1], **parts[0]})
        if "enum" not in schema and kind == "array":
            low = schema.get("minItems", 0)
            return st.lists(self.of(schema.get("items", {})), min_size=low, max_size=max(low, MAX_ITEMS))
        listed = from_schema(_renamed_formats(to_json_schema(self.spec, schema)), custom_formats=CUSTOM_FORMATS)
        if self.unknown_enums and "enum" in schema:
            return listed | _unlisted(schema["enum"])
        return listed


def _unlisted(values: list[Any]) -> st.SearchStrategy[Any]:
    """Values of the enum's type that it does not list (nothing more for an enum of null only)."""
    if all(isinstance(value, str) for value in values):
        return st.text(max_size=8).filter(lambda value: value not in values)
    if all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return st.integers().filter(lambda value: value not in values)
    return st.nothing()


# One composer per spec object, direction and enum choice, so the strategy of a schema used in several places
# is built once.
_COMPOSERS: dict[tuple[int, bool, bool], _Composer] = {}


def _renamed_formats(node: Any) -> Any:
    if isinstance(node, list):
        return [_renamed_formats(item) for item in node]
    if not isinstance(node, dict):
        return node
    renamed = {key: _renamed_formats(value) for key, value in node.items()}
    if f"x-{renamed.get('format')}" in CUSTOM_FORMATS:
        renamed["format"] = f"x-{renamed['format']}"
    return renamed


def as_written(spec: dict[str, Any], schema: dict[str, Any], value: Any) -> Any:
    """`value` as the client writes it back (`to_dict()`): date-times in ISO 8601 with UTC as `Z`, UUIDs in
    canonical lower case; everything else unchanged."""
    schema = resolve(spec, schema)
    if value is None:
        return None
    members = schema.get("oneOf") or schema.get("anyOf")
    if members:
        # The spec's unions are of enums, written back unchanged whichever member holds the value.
        return as_written(spec, members[0], value)
    if isinstance(value, str) and schema.get("format") == "date-time":
        return format_datetime(datetime.datetime.fromisoformat(value))
    if isinstance(value, str) and schema.get("format") == "uuid":
        return str(uuid.UUID(value))
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        return {
            key: as_written(spec, properties.get(key) or (extra if isinstance(extra, dict) else {}), item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [as_written(spec, schema.get("items", {}), item) for item in value]
    return value
