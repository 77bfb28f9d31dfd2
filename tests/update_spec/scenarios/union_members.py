"""Every member of every enum in a union field parses to that member, whatever the rest of the object.

Run by tests/update_spec/test_future_additions.py in a subprocess whose sys.path starts with the package
generated from a synthetic spec (named hilos_client, like ours); the repo root comes second, for the
test helpers. Prints, as JSON, each union field checked with the enums it holds and their members' count.

    python union_members.py PATCHED_SPEC REPO_ROOT [MODEL ...]

With MODEL names, only those models' fields are checked.
"""

from __future__ import annotations

import enum
import json
import sys
import typing
from pathlib import Path
from typing import Any

import hilos_client.models as models
from hilos_client.types import Unset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

# Formats the spec uses that hypothesis-jsonschema does not generate by itself.
FORMATS = {"uuid": st.uuids().map(str)}


def union_cases(spec: dict[str, Any], only: set[str]) -> list[tuple[str, str, enum.Enum]]:
    """(model, JSON field, member) for each member of each enum in a field typed as a union (of the models
    named in `only`, when it names any)."""
    cases = []
    for name, schema in spec["components"]["schemas"].items():
        model = getattr(models, name, None)
        if model is None or not schema.get("properties") or (only and name not in only):
            continue
        hints = typing.get_type_hints(model)
        for key in schema["properties"]:
            members = [arg for arg in typing.get_args(hints.get(key)) if arg is not Unset]  # `next` is `next_`
            enums = [arg for arg in members if isinstance(arg, type) and issubclass(arg, enum.Enum)]
            if len(members) >= 2:
                cases += [(name, key, member) for enum_class in enums for member in enum_class]
    return cases


def main(patched_spec: str, repo_root: str, *only: str) -> dict[str, dict[str, int]]:
    sys.path.append(repo_root)
    from tests.support.spec_schema import to_json_schema

    spec = json.loads(Path(patched_spec).read_text(encoding="utf-8"))
    cases = union_cases(spec, set(only))
    for model_name, key, member in cases:
        schema = spec["components"]["schemas"][model_name]
        required = [name for name in schema.get("required", []) if name != key]
        rest = {"type": "object", "properties": {name: schema["properties"][name] for name in required}}
        others = to_json_schema(spec, {**rest, "required": required, "additionalProperties": False})
        model = getattr(models, model_name)

        @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(st.just(model), st.just(key), st.just(member), from_schema(others, custom_formats=FORMATS))
        def parses_to_its_member(model: Any, key: str, member: enum.Enum, payload: dict[str, Any]) -> None:
            parsed = getattr(model.from_dict({**payload, key: member.value}), key)
            assert parsed is member, f"{model.__name__}.{key}: {member.value!r} parsed as {parsed!r}, not {member!r}"

        parses_to_its_member()
    checked: dict[str, dict[str, int]] = {}
    for model_name, key, member in cases:
        counts = checked.setdefault(f"{model_name}.{key}", {})
        counts[type(member).__name__] = counts.get(type(member).__name__, 0) + 1
    return checked


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), sort_keys=True))
