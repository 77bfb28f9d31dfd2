"""The package version: `<spec info.version>.<client revision>` (README, "Versions").

Two facts, each kept in one place: the API's version is `info.version` of generated/openapi.patched.json
(the spec the package was generated from), and the client revision is `[tool.hilos-client] client-revision`
in pyproject.toml. hatchling calls `client_version()` at build time (`[tool.hatch.version]`), so this file
ships in the sdist and uses the standard library only; the release tooling imports it too.

    python -m pipeline.releasing.version        prints the version the next build will have
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

# Repeats of pipeline/project.py's facts: hatchling loads this file alone, so it cannot import that module
# (tests/pipeline/releasing/test_version.py proves they agree).
ROOT = Path(__file__).resolve().parents[2]
PATCHED_SPEC = Path("generated") / "openapi.patched.json"
PYPROJECT = Path("pyproject.toml")
REVISION_TABLE = "hilos-client"
REVISION_KEY = "client-revision"
# Upstream versions its document MAJOR.MINOR.PATCH; shorter forms are padded so the revision is always
# the fourth release segment and never mistaken for part of the API's version.
_SPEC_VERSION = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}$")


class VersionError(Exception):
    """The spec's info.version or the client revision cannot make a PEP 440 version."""


def spec_version(spec: dict[str, object]) -> str:
    """The API's version as MAJOR.MINOR.PATCH, from a spec's `info.version`."""
    info = spec.get("info")
    raw = info.get("version") if isinstance(info, dict) else None
    if not isinstance(raw, str) or not _SPEC_VERSION.match(raw):
        raise VersionError(
            f"the spec's info.version is {raw!r}; the client's version needs MAJOR[.MINOR[.PATCH]] digits "
            '(change the rule in pipeline/releasing/version.py and RELEASING.md, "Versions", together)'
        )
    parts = raw.split(".")
    return ".".join(parts + ["0"] * (3 - len(parts)))


def client_revision(pyproject: dict[str, object]) -> int:
    """The client revision from a parsed pyproject.toml."""
    tool = pyproject.get("tool")
    table = tool.get(REVISION_TABLE) if isinstance(tool, dict) else None
    revision = table.get(REVISION_KEY) if isinstance(table, dict) else None
    if type(revision) is not int or revision < 0:
        raise VersionError(
            f"pyproject.toml [tool.{REVISION_TABLE}] {REVISION_KEY} is {revision!r}; it must be an integer >= 0"
        )
    return revision


def compose_version(spec: dict[str, object], pyproject: dict[str, object]) -> str:
    return f"{spec_version(spec)}.{client_revision(pyproject)}"


def client_version(root: Path = ROOT) -> str:
    """The version of the package built from the tree at `root`."""
    spec = json.loads((root / PATCHED_SPEC).read_text(encoding="utf-8"))
    pyproject = tomllib.loads((root / PYPROJECT).read_text(encoding="utf-8"))
    return compose_version(spec, pyproject)


if __name__ == "__main__":
    try:
        print(client_version())
    except VersionError as exc:
        sys.exit(f"version: FAILED: {exc}")
