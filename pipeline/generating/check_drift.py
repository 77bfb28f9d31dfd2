"""Prove generated/ and api.md are exactly what the pipeline produces today (new, deleted and changed files).

    python -m pipeline.generating.check_drift [GENERATED_DIR]

Regenerates into a temporary folder and compares byte for byte, like openapi-python-client's own
golden-record test: the tree under GENERATED_DIR, and the API reference beside it (api.md, at the
checkout's root). Exit 1, listing each difference and the command that fixes it, on any drift.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import sys
import tempfile
from pathlib import Path

from pipeline.generating.api_reference import API_REFERENCE_NAME, api_reference_path
from pipeline.generating.generate import generate
from pipeline.project import GENERATED

IGNORED_PARTS = {"__pycache__"}
FIX_COMMAND = "make generate"


def tree_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not IGNORED_PARTS.intersection(path.relative_to(root).parts)
    }


def compare_trees(committed: Path, fresh: Path) -> list[str]:
    """One line per difference (plus a short diff for changed text files); empty when identical."""
    old, new = tree_files(committed), tree_files(fresh)
    problems: list[str] = []
    for name in sorted(old.keys() - new.keys()):
        problems.append(f"  not produced by the pipeline (delete it): {name}")
    for name in sorted(new.keys() - old.keys()):
        problems.append(f"  missing from generated/: {name}")
    for name in sorted(old.keys() & new.keys()):
        problems.extend(_difference(name, old[name], new[name]))
    return problems


def _difference(name: str, committed: bytes, fresh: bytes) -> list[str]:
    """`differs: <name>` and the start of a diff, or nothing when the bytes are equal."""
    if committed == fresh:
        return []
    diff = difflib.unified_diff(
        committed.decode(errors="replace").splitlines(),
        fresh.decode(errors="replace").splitlines(),
        f"committed/{name}",
        f"pipeline/{name}",
        lineterm="",
        n=1,
    )
    return [f"  differs: {name}", *(f"    {line}" for line in list(diff)[:20])]


def compare_api_reference(committed: Path, fresh: Path) -> list[str]:
    """api.md as committed against the one the pipeline wrote; empty when identical."""
    if not committed.is_file():
        return [f"  missing: {API_REFERENCE_NAME}"]
    return _difference(API_REFERENCE_NAME, committed.read_bytes(), fresh.read_bytes())


def check_drift(generated: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="hilos-check-") as tmp:
        fresh = Path(tmp) / "generated"
        with contextlib.redirect_stdout(io.StringIO()):
            generate(fresh)
        return compare_trees(generated, fresh) + compare_api_reference(
            api_reference_path(generated), api_reference_path(fresh)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("generated", type=Path, nargs="?", default=GENERATED)
    args = parser.parse_args(argv)
    problems = check_drift(args.generated.resolve())
    if problems:
        print(
            f"check: FAILED: generated/ or {API_REFERENCE_NAME} is not what openapi.json + patches/ + templates produce today:"
        )
        print("\n".join(problems))
        print(f"check: fix it with: {FIX_COMMAND}  (then commit generated/ and {API_REFERENCE_NAME})")
        return 1
    print(f"check: generated/ and {API_REFERENCE_NAME} are exactly what the pipeline produces")
    return 0


if __name__ == "__main__":
    sys.exit(main())
