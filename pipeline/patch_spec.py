"""Step 1 of the pipeline: openapi.json + patches/overlay.yaml -> openapi.patched.json.

The overlay fixes this API's quirks; pipeline/operation_names.py gives each operation its name from
patches/operation-names.json; pipeline/normalise.py applies generic rules, so operations the spec gains
in the same style need no patch.

Prints one line per step and per overlay action, then validates the result with openapi-spec-validator.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate

from pipeline.name_record import NameRecord, load_record
from pipeline.normalise import normalise
from pipeline.operation_names import name_operations
from pipeline.overlay import apply_overlay


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
    validate(patched)
    return patched, log


def dump_spec(spec: dict[str, Any]) -> str:
    # Stable, reviewable text: keys in document order, two-space indent, non-ASCII kept readable.
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("spec", type=Path)
    parser.add_argument("overlay", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)

    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    overlay = yaml.safe_load(args.overlay.read_text(encoding="utf-8"))
    try:
        patched, log = patch_spec(spec, overlay)
    except Exception as exc:  # every failure here is a build failure with a readable message
        print(f"patch: FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    for line in log:
        print(f"patch: {line}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dump_spec(patched), encoding="utf-8")
    print(f"patch: wrote {args.output} (valid OpenAPI {patched['openapi']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
