"""Facts of the spec that openapi-python-client reads but does not hand to templates, as Jinja globals.

generate.py runs the generator in process to add these to its template environment:

- `comma_joined_parameters`: the generator keeps neither a parameter's `style` nor its `explode`, and its
  `params` dict makes httpx repeat a list (`channel__in=1&channel__in=2`): right for `explode: true` (form
  style's default), wrong for `explode: false`, where the values go as one comma-separated value
  (`channel__in=1,2`); a server that reads a repeated parameter's last value (Django) would silently filter
  by the last one only.
- `referencing_property_descriptions`: a model property that is a described reference
  (`{"allOf": [{"$ref": ...}], "description": ...}`, drf-spectacular's way) is built from the referenced
  schema alone, so its attribute docstring showed the referenced enum's description, not the field's.
"""

from __future__ import annotations

from typing import Any

from pipeline.project import SCHEMA_REF_PREFIX, iter_operations

PARAMETER_REF_PREFIX = "#/components/parameters/"


class UnsupportedQueryStyle(Exception):
    """A query array in a style the templates do not send (spaceDelimited, pipeDelimited, deepObject)."""


def comma_joined_parameters(spec: dict[str, Any]) -> dict[str, list[str]]:
    """`"<method> <path>"` -> the names of its query arrays with `style: form` (the default) and `explode: false`."""
    table: dict[str, list[str]] = {}
    components = spec.get("components", {}).get("parameters", {})
    for method, path, operation in iter_operations(spec):
        path_level = spec["paths"][path].get("parameters") or []
        joined: list[str] = []
        seen: set[str] = set()
        # Operation parameters first: a path-level parameter of the same name is overridden by it.
        for parameter in [*(operation.get("parameters") or []), *path_level]:
            ref = parameter.get("$ref")
            if isinstance(ref, str) and ref.startswith(PARAMETER_REF_PREFIX):
                parameter = components.get(ref.removeprefix(PARAMETER_REF_PREFIX), {})
            if parameter.get("in") != "query" or parameter.get("name") in seen:
                continue
            seen.add(parameter["name"])
            if (parameter.get("schema") or {}).get("type") != "array":
                continue
            style = parameter.get("style", "form")
            if style != "form":
                raise UnsupportedQueryStyle(
                    f"{method.upper()} {path}: query array {parameter['name']!r} has style {style!r}; only form "
                    "arrays are sent (see pipeline/generating/template_globals.py)"
                )
            if parameter.get("explode", True) is False:
                joined.append(parameter["name"])
        if joined:
            table[f"{method} {path}"] = sorted(joined)
    return table


def referencing_property_descriptions(spec: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Model name (as the generator names a component, `/components/schemas/<Name>`) -> property -> the
    description of each property that is a `$ref`, or an `allOf` of one, with a description of its own."""
    table: dict[str, dict[str, str]] = {}
    for name, schema in (spec.get("components", {}).get("schemas") or {}).items():
        described = {}
        for prop_name, prop in (schema.get("properties") or {}).items():
            if not isinstance(prop, dict) or not isinstance(prop.get("description"), str):
                continue
            all_of = prop.get("allOf")
            if "$ref" in prop or (isinstance(all_of, list) and len(all_of) == 1 and "$ref" in all_of[0]):
                described[prop_name] = prop["description"]
        if described:
            table["/" + SCHEMA_REF_PREFIX.removeprefix("#/") + name] = described
    return table


def template_globals(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "comma_joined_parameters": comma_joined_parameters(spec),
        "referencing_property_descriptions": referencing_property_descriptions(spec),
    }
