"""Step 1 of the pipeline: openapi.json + patches/overlay.yaml -> openapi.patched.json.

The overlay fixes this API's quirks; generating/operation_names.py gives each operation its name from
patches/operation-names.json; generating/normalise.py applies generic rules, so operations the spec gains
in the same style need no patch.

Returns one log line per overlay action and per rewrite, and validates the result with openapi-spec-validator
(generating/refusals.py: an invalid spec is refused with the place and the overlay action that fixes it).
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.generating.name_record import NameRecord, load_record
from pipeline.generating.normalise import normalise
from pipeline.generating.operation_names import name_operations
from pipeline.generating.overlay import apply_overlay
from pipeline.generating.refusals import validate_spec


def patch_spec(
    spec: dict[str, Any], overlay: dict[str, Any], names: NameRecord | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Return the patched spec and the log of what was done; raise on any patch that does not apply.

    `names` defaults to the committed patches/operation-names.json.
    """
    patched, applied = apply_overlay(spec, overlay)
    log = [a.summary for a in applied]
    log += name_operations(patched, load_record() if names is None else names)
    log += normalise(patched)
    validate_spec(patched)
    return patched, log


def dump_spec(spec: dict[str, Any]) -> str:
    # Stable, reviewable text: keys in document order, two-space indent, non-ASCII kept readable.
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
