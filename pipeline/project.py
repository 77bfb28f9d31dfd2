"""Facts about this repository that more than one step of the pipeline needs, each stated once.

pipeline/releasing/version.py cannot import this module (hatchling loads that file on its own, from the
sdist too), so it repeats ROOT and the patched spec's path; tests/pipeline/releasing/test_version.py
proves the two agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PACKAGE = "hilos_client"
DIST_NAME = "hilos-client"

# Paths inside a checkout, relative to its root: `make update-spec` works on other checkouts too.
SPEC_FILE = Path("openapi.json")
OVERLAY_FILE = Path("patches") / "overlay.yaml"
GENERATED_DIR = Path("generated")
PATCHED_SPEC_NAME = "openapi.patched.json"
PATCHED_SPEC_FILE = GENERATED_DIR / PATCHED_SPEC_NAME
PACKAGE_DIR = GENERATED_DIR / PACKAGE

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / SPEC_FILE
OVERLAY = ROOT / OVERLAY_FILE
TEMPLATES = ROOT / "patches" / "templates"
RUNTIME = ROOT / "patches" / "runtime"
STOCK_TEMPLATES_RECORD = ROOT / "patches" / "stock-templates.json"
NAME_RECORD_FILE = Path("patches") / "operation-names.json"
NAME_RECORD = ROOT / NAME_RECORD_FILE
CONFIG = ROOT / "generator-config.yaml"
PYPROJECT = ROOT / "pyproject.toml"
GENERATED = ROOT / GENERATED_DIR

SCHEMA_REF_PREFIX = "#/components/schemas/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def iter_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation, in document order."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                found.append((method, path, item[method]))
    return found
