"""Prove generated/ is exactly what the pipeline produces today (new, deleted and changed files).

    python -m pipeline.generating.check_drift [GENERATED_DIR]

Regenerates into a temporary folder and compares byte for byte, like openapi-python-client's own
golden-record test. Exit 1, listing each difference and the command that fixes it, on any drift.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import sys
import tempfile
from pathlib import Path

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
        if old[name] != new[name]:
            problems.append(f"  differs: {name}")
            diff = difflib.unified_diff(
                old[name].decode(errors="replace").splitlines(),
                new[name].decode(errors="replace").splitlines(),
                f"committed/{name}",
                f"pipeline/{name}",
                lineterm="",
                n=1,
            )
            problems.extend(f"    {line}" for line in list(diff)[:20])
    return problems


def check_drift(generated: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="hilos-check-") as tmp:
        fresh = Path(tmp) / "generated"
        with contextlib.redirect_stdout(io.StringIO()):
            generate(fresh)
        return compare_trees(generated, fresh)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("generated", type=Path, nargs="?", default=GENERATED)
    args = parser.parse_args(argv)
    problems = check_drift(args.generated.resolve())
    if problems:
        print("check: FAILED: generated/ is not what openapi.json + patches/ + templates produce today:")
        print("\n".join(problems))
        print(f"check: fix it with: {FIX_COMMAND}  (then commit generated/)")
        return 1
    print("check: generated/ is exactly what the pipeline produces")
    return 0


if __name__ == "__main__":
    sys.exit(main())
