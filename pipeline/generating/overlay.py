"""Apply an OpenAPI Overlay 1.0 document to a spec.

Targets are RFC 9535 JSONPath expressions, evaluated by python-jsonpath in strict mode.
An action whose target selects nothing is an error that names the action: either upstream
fixed the quirk (delete the action) or the spec moved (fix the target).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import jsonpath
import jsonschema

# The parts of the Overlay 1.0.0 schema we rely on; extra "x-" fields are allowed, as in the spec.
# One deliberate difference: Overlay 1.0.0 says `actions` "MUST contain at least one value", and we accept
# `actions: []` as "nothing to apply". When upstream fixes the last quirk, the build tells us to delete its
# action (TargetVanishedError); an overlay left with no actions is where that instruction leads, not a
# mistake, and a spec with nothing to fix must still generate.
OVERLAY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["overlay", "info", "actions"],
    "properties": {
        "overlay": {"type": "string", "pattern": r"^1\.0\.\d+$"},
        "info": {
            "type": "object",
            "required": ["title", "version"],
            "properties": {"title": {"type": "string"}, "version": {"type": "string"}},
        },
        "extends": {"type": "string"},
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["target", "description"],
                "properties": {
                    "target": {"type": "string", "pattern": r"^\$"},
                    "description": {"type": "string", "minLength": 1},
                    "update": {},
                    "remove": {"type": "boolean"},
                },
                "patternProperties": {"^x-": {}},
                "additionalProperties": False,
                "oneOf": [
                    {"required": ["update"], "not": {"required": ["remove"]}},
                    {"required": ["remove"], "not": {"required": ["update"]}},
                ],
            },
        },
    },
    "patternProperties": {"^x-": {}},
    "additionalProperties": False,
}

_JSONPATH = jsonpath.JSONPathEnvironment(strict=True)


class OverlayError(Exception):
    """The overlay document is invalid or one of its actions cannot be applied."""


class TargetVanishedError(OverlayError):
    """An action's target matches nothing: upstream fixed the quirk (delete the action) or moved it."""

    def __init__(self, number: int, title: str, target: str) -> None:
        super().__init__(
            f"action {number} ({title}) matched nothing at {target}.\n"
            "If upstream fixed this quirk, delete the action from patches/overlay.yaml; "
            "otherwise update its target."
        )
        self.number = number
        self.title = title
        self.target = target


@dataclass(frozen=True)
class AppliedAction:
    """What one action did, for the pipeline's log."""

    number: int
    description: str
    target: str
    matches: int
    kind: str  # "update" or "remove"

    @property
    def summary(self) -> str:
        first_line = self.description.strip().splitlines()[0]
        return f"action {self.number}: {self.kind} {self.matches} node(s) at {self.target} - {first_line}"


def validate_overlay(overlay: Any) -> None:
    """Raise OverlayError unless `overlay` is a well-formed Overlay 1.0 document with valid JSONPaths."""
    errors = sorted(jsonschema.Draft202012Validator(OVERLAY_SCHEMA).iter_errors(overlay), key=str)
    if isinstance(overlay, dict) and "actions" in overlay and overlay["actions"] is None:
        # What YAML reads from `actions:` once every action under it was deleted.
        raise OverlayError(
            "overlay is not a valid Overlay 1.0 document at actions: `actions:` has nothing under it (null); "
            "write `actions: []` when no action is left to apply"
        )
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(document)"
        raise OverlayError(f"overlay is not a valid Overlay 1.0 document at {where}: {errors[0].message}")
    for number, action in enumerate(overlay["actions"], start=1):
        try:
            _JSONPATH.compile(action["target"])
        except jsonpath.JSONPathError as exc:
            raise OverlayError(
                f"action {number} ({_title(action)}): invalid target {action['target']!r}: {exc}"
            ) from exc


def apply_overlay(spec: dict[str, Any], overlay: dict[str, Any]) -> tuple[dict[str, Any], list[AppliedAction]]:
    """Return a patched copy of `spec` and a record of each action; the input is not modified."""
    validate_overlay(overlay)
    document = copy.deepcopy(spec)
    applied: list[AppliedAction] = []
    for number, action in enumerate(overlay["actions"], start=1):
        matches = list(_JSONPATH.finditer(action["target"], document))
        if not matches:
            raise TargetVanishedError(number, _title(action), action["target"])
        if action.get("remove"):
            if any(not match.parts for match in matches):
                raise OverlayError(f"action {number} ({_title(action)}): cannot remove the whole document")
            _remove_all(matches)
            kind = "remove"
        else:
            for match in matches:
                _update(match, action["update"], number, action)
            kind = "update"
        applied.append(AppliedAction(number, action["description"], action["target"], len(matches), kind))
    return document, applied


def _title(action: dict[str, Any]) -> str:
    return str(action["description"]).strip().splitlines()[0]


def _update(match: jsonpath.JSONPathMatch, update: Any, number: int, action: dict[str, Any]) -> None:
    node = match.obj
    if isinstance(node, dict) and isinstance(update, dict):
        _merge(node, update)
    elif isinstance(node, list):
        node.append(copy.deepcopy(update))
    else:
        raise OverlayError(
            f"action {number} ({_title(action)}): {match.path} is a {type(node).__name__}; "
            "an update needs an object or an array"
        )


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    """Overlay 1.0 merge: objects merge recursively, arrays are appended to, anything else is replaced."""
    for key, value in update.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(copy.deepcopy(value))
        else:
            target[key] = copy.deepcopy(value)


def _remove_all(matches: list[jsonpath.JSONPathMatch]) -> None:
    # Deepest nodes first (a match inside another match goes before it), and list items from the highest index
    # down, so no removal shifts or deletes the path of one still to come.
    def sort_key(match: jsonpath.JSONPathMatch) -> tuple[int, int, Any]:
        key = match.parts[-1]
        depth = -len(match.parts)
        return (depth, 0, -key) if isinstance(key, int) else (depth, 1, str(key))

    for match in sorted(matches, key=sort_key):
        parent = _resolve(match.root, match.parts[:-1])
        key = match.parts[-1]
        del parent[key]


def _resolve(root: Any, parts: tuple[Any, ...]) -> Any:
    node = root
    for part in parts:
        node = node[part]
    return node
