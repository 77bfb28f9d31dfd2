"""How each query array goes on the wire, read from the spec for the endpoint template.

openapi-python-client reads a parameter's `style` and `explode` but keeps neither on the property it hands
to templates, and its `params` dict makes httpx repeat a list (`channel__in=1&channel__in=2`): right for
`explode: true` (form style's default), wrong for `explode: false`, where the values go as one
comma-separated value (`channel__in=1,2`) and a server that reads a repeated parameter's last value (Django)
would silently filter by the last one only. generate.py hands this table to the templates as the Jinja
global `comma_joined_parameters`.
"""

from __future__ import annotations

from typing import Any

from pipeline.project import iter_operations

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
                    "arrays are sent (see pipeline/generating/query_styles.py)"
                )
            if parameter.get("explode", True) is False:
                joined.append(parameter["name"])
        if joined:
            table[f"{method} {path}"] = sorted(joined)
    return table
