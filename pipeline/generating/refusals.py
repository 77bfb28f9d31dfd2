"""Clear refusals: where the patched spec cannot be generated safely, one short error per place, naming it as a
JSONPath target and the overlay action (patches/overlay.yaml) that would fix it, never the whole document.

Three sources: `$ref`s to nothing (openapi-spec-validator's error printed the whole document), the validator's
other errors (their message holds the offending node, sometimes a whole path item), and the generator's
problems (its headers and details, with its internal objects' reprs).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import yaml
from jsonschema.exceptions import ValidationError
from openapi_python_client.parser.errors import GeneratorError
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

OVERLAY_FILE = "patches/overlay.yaml"
MAX_DETAIL = 300  # characters of a tool's message kept per place: enough for the reason, never a document
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATION_HEADER = re.compile(r"parsing (?P<method>[A-Z]+) (?P<path>\S+) within")
_POINTER_IN_HEADER = re.compile(r"(?P<pointer>/components/[^\s:]+)")
_GENERATOR_REPR = re.compile(r"<openapi_python_client\.[\w.]+ object at 0x[0-9a-f]+>")


class SpecRefusal(Exception):
    """The patched spec cannot be generated safely; the message names each place and the overlay fix."""


def json_path(parts: Iterable[str | int]) -> str:
    """An RFC 9535 JSONPath selecting exactly the node at `parts`, as an overlay `target` is written."""
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _NAME.fullmatch(part):
            path += f".{part}"
        else:
            path += "['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return path


def pointer_parts(pointer: str) -> list[str]:
    """The keys of a JSON pointer (RFC 6901), as written in a `$ref` fragment (percent-encoded, `~1`, `~0`)."""
    return [unquote(part).replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


@dataclass(frozen=True)
class DanglingReference:
    ref: str  # the `$ref` value, `#/components/schemas/Missing`
    used_at: tuple[tuple[str | int, ...], ...]  # where each object holding that `$ref` is


def dangling_references(spec: dict[str, Any]) -> list[DanglingReference]:
    """Every `$ref` that points at nothing in `spec` (or outside it), with each place it is used."""
    uses: dict[str, list[tuple[str | int, ...]]] = {}
    for ref, where in _refs(spec, ()):
        if not ref.startswith("#") or _lookup(spec, pointer_parts(ref[1:])) is None:
            uses.setdefault(ref, []).append(where)
    return [DanglingReference(ref, tuple(places)) for ref, places in uses.items()]


def check_references(spec: dict[str, Any]) -> None:
    """Raise SpecRefusal naming every `$ref` to nothing, where it is used, and the overlay actions that fix it."""
    dangling = dangling_references(spec)
    if dangling:
        raise SpecRefusal("\n".join(_describe_dangling(spec, reference) for reference in dangling))


def validate_spec(spec: dict[str, Any]) -> None:
    """openapi-spec-validator's check, its error cut to the place and the reason."""
    check_references(spec)  # first: the validator's own error for these prints the whole document
    try:
        validate(spec)
    except OpenAPIValidationError as exc:
        # "not valid under any of the given schemas" names a whole schema: the deepest of its causes is the place.
        error = max(_causes(exc), key=lambda cause: len(cause.absolute_path))
        raise SpecRefusal(
            f"the patched spec is not valid OpenAPI at {json_path(error.absolute_path)}: {_short(error.message)}\n"
            f"Fix it in {OVERLAY_FILE} with an action at that target (`update` it, or `remove: true`)."
        ) from None


def generator_refusal(problems: Iterable[GeneratorError]) -> str:
    """What openapi-python-client could not generate, one line per place with its overlay target."""
    lines = ["openapi-python-client cannot generate every part of the patched spec:"]
    targets: list[str] = []
    for problem in problems:
        where, target = _problem_place(problem)
        header = problem.header or ""
        if _OPERATION_HEADER.search(header):  # the header only says where, which `where` says already
            header = "the operation would be left out:" if "will not be generated" in header else ""
        reason = _short(" ".join(part for part in (header, problem.detail) if part))
        lines.append(f"  {where}: {reason}" + (f"\n    overlay target: {target}" if target else ""))
        targets += [target] if target else []
    if targets:
        lines.append(
            f"Fix each in {OVERLAY_FILE}: an action at its target that corrects it (`update`) or leaves it out "
            f"(`remove: true`), for example:\n{_action_example(targets[0], 'remove: true')}"
        )
    return "\n".join(lines)


def _causes(error: ValidationError) -> Iterator[ValidationError]:
    """`error` and the errors of every alternative it tried (`oneOf`, `anyOf`), depth first."""
    yield error
    for cause in error.context or ():
        yield from _causes(cause)


def _refs(node: Any, where: tuple[str | int, ...]) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref, where
        for key, value in node.items():
            if key != "$ref" and not (isinstance(key, str) and key.startswith("x-")):  # extensions are not OpenAPI
                yield from _refs(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _refs(value, (*where, index))


def _lookup(node: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _describe_dangling(spec: dict[str, Any], reference: DanglingReference) -> str:
    used = "\n".join(f"  used at {json_path(place)}" for place in reference.used_at)
    remove = _action_example(json_path(reference.used_at[0]), "remove: true")
    if not reference.ref.startswith("#"):
        return (
            f"the spec refers to {reference.ref}, outside the document (the generator reads one document)\n{used}\n"
            f"Fix it in {OVERLAY_FILE}: define what it means inside the document, or remove what uses it:\n{remove}"
        )
    parts = pointer_parts(reference.ref[1:])
    # The overlay merges an update into an existing node: target the deepest ancestor the document has.
    known = 0
    while known < len(parts) and _lookup(spec, parts[: known + 1]) is not None:
        known += 1
    define = _action_example(json_path(parts[:known]), f"update: {_nested_update(parts[known:])}")
    return (
        f"the spec refers to {reference.ref}, which it does not define\n{used}\n"
        f"Fix it in {OVERLAY_FILE}, either by defining it:\n{define}\nor by removing what uses it:\n{remove}"
    )


def _nested_update(missing: list[str]) -> str:
    """`{A: {B: {type: object}}}` for the missing keys A, B: the update that creates the referenced node."""
    value = "{type: object}"
    for name in reversed(missing):
        value = "{" + _yaml_key(name) + ": " + value + "}"
    return value + "  # what upstream means"


def _yaml_key(name: str) -> str:
    return name if _NAME.fullmatch(name) else "'" + name.replace("'", "''") + "'"


def _action_example(target: str, change: str) -> str:
    # Plain, as patches/overlay.yaml writes its targets, unless YAML would read it as something else.
    quoted = target if yaml.safe_load(target) == target else json.dumps(target)
    return f"  - target: {quoted}\n    description: <why upstream's document needs this>\n    {change}"


def _problem_place(problem: GeneratorError) -> tuple[str, str | None]:
    header = problem.header or ""
    operation = _OPERATION_HEADER.search(header)
    if operation:
        method, path = operation["method"], operation["path"]
        return f"{method} {path}", json_path(["paths", path, method.lower()])
    pointer = _POINTER_IN_HEADER.search(header)
    if pointer:
        return pointer["pointer"], json_path(pointer_parts(pointer["pointer"]))
    return "the document", None


def _short(text: str) -> str:
    """One line of at most MAX_DETAIL characters, without the generator's object reprs."""
    text = " ".join(_GENERATOR_REPR.sub("?", text).split())
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"
