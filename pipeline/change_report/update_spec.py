"""Take a new upstream spec: replace openapi.json, regenerate, and report what changed.

    python -m pipeline.change_report.update_spec SPEC        (SPEC: a file path or an http(s) URL; `make update-spec SPEC=...`)

The new spec is patched and generated into a temporary folder first; openapi.json and generated/ are
replaced only when that succeeds, so a patch that no longer applies leaves the checkout as it was and
names the overlay action to delete. The report compares against the last commit (HEAD): the PATCHED
specs (generated/openapi.patched.json), so quirks the overlay fixes do not show as changes, and the
Python API of the generated package (griffe). Operations new to patches/operation-names.json get a name
by the rule (pipeline/generating/operation_names.py), recorded there and listed as "new public names to review";
operations that left the spec lose their entry, reported as breaking. It ends with the suggested
version bump.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.change_report.api_diff import diff_api
from pipeline.change_report.changes import Change, format_section, suggested_bump
from pipeline.change_report.spec_diff import diff_specs
from pipeline.generating.api_reference import API_REFERENCE_NAME, api_reference_path
from pipeline.generating.generate import generate
from pipeline.generating.name_record import NAME_RECORD_DISPLAY, dump_record
from pipeline.generating.operation_names import NameProposal
from pipeline.generating.overlay import TargetVanishedError
from pipeline.project import (
    GENERATED_DIR,
    NAME_RECORD_FILE,
    OVERLAY_FILE,
    PACKAGE,
    PACKAGE_DIR,
    PATCHED_SPEC_FILE,
    PATCHED_SPEC_NAME,
    ROOT,
    SPEC_FILE,
)

FETCH_TIMEOUT_SECONDS = 30.0


class UpdateSpecError(Exception):
    """The new spec could not be taken; the checkout is unchanged."""


@dataclass(frozen=True)
class UpdateReport:
    spec_changes: list[Change]
    api_changes: list[Change]
    name_changes: list[Change]

    @property
    def bump(self) -> str:
        return suggested_bump(self.spec_changes + self.api_changes + self.name_changes)

    def text(self, ref: str) -> str:
        in_spec, in_api = sum(c.breaking for c in self.spec_changes), sum(c.breaking for c in self.api_changes)
        lines = format_section(
            f"New public names to review, and names of removed operations ({NAME_RECORD_FILE.as_posix()})",
            self.name_changes,
        )
        lines += [""]
        lines += format_section(f"Spec changes ({ref}:{PATCHED_SPEC_FILE.as_posix()} -> new)", self.spec_changes)
        lines += [""]
        lines += format_section(f"Python API changes of {PACKAGE} ({ref} -> new, griffe)", self.api_changes)
        why = f"{in_spec} breaking change(s) in the spec, {in_api} in the Python API"
        lines += ["", f"Suggested version bump: {self.bump} ({why})"]
        return "\n".join(lines) + "\n"


def read_source(source: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> bytes:
    """The bytes of a spec file, or of an http(s) URL fetched with a timeout (the only network use)."""
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
                data: bytes = response.read()
                return data
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise UpdateSpecError(f"could not fetch {source} (timeout {timeout:g} s): {reason}") from exc
    if "://" in source:
        raise UpdateSpecError(f"{source}: only http(s) URLs and file paths are supported")
    path = Path(source)
    if not path.is_file():
        raise UpdateSpecError(f"{source}: no such file")
    return path.read_bytes()


def parse_spec(data: bytes, source: str) -> tuple[dict[str, Any], bytes]:
    """The spec as a dict, and the bytes to store as openapi.json (JSON kept byte for byte; YAML converted)."""
    try:
        spec = json.loads(data)
        text = data
    except ValueError:
        try:
            spec = yaml.safe_load(data)
        except yaml.YAMLError as exc:
            raise UpdateSpecError(f"{source} is neither JSON nor YAML: {exc}") from exc
        text = (json.dumps(spec, indent=2, ensure_ascii=False) + "\n").encode()
    if not isinstance(spec, dict) or not str(spec.get("openapi", "")).startswith("3.") or "paths" not in spec:
        raise UpdateSpecError(f"{source} is not an OpenAPI 3 document (no `openapi: 3.x` and `paths`)")
    return spec, text


def update_spec(
    source: str, root: Path = ROOT, ref: str = "HEAD", timeout: float = FETCH_TIMEOUT_SECONDS
) -> UpdateReport:
    """Install the spec at `source` into the checkout at `root`, regenerate, and compare with `ref`."""
    _, spec_bytes = parse_spec(read_source(source, timeout), source)
    with tempfile.TemporaryDirectory(prefix="hilos-update-spec-") as scratch_name:
        scratch = Path(scratch_name)
        new_spec = scratch / SPEC_FILE
        new_spec.write_bytes(spec_bytes)
        new_out = scratch / "new" / GENERATED_DIR
        proposal = _generate(new_out, new_spec, root)

        old_out = scratch / "old"
        old_patched = json.loads(_git(root, "show", f"{ref}:{PATCHED_SPEC_FILE.as_posix()}"))
        _extract(root, ref, PACKAGE_DIR.as_posix(), old_out)
        new_patched = json.loads((new_out / PATCHED_SPEC_NAME).read_text(encoding="utf-8"))

        report = UpdateReport(
            diff_specs(old_patched, new_patched),
            diff_api(old_out / GENERATED_DIR, new_out, PACKAGE),
            name_changes(proposal),
        )

        (root / SPEC_FILE).write_bytes(spec_bytes)
        (root / NAME_RECORD_FILE).write_text(dump_record(proposal.record), encoding="utf-8")
        target = root / GENERATED_DIR
        target.mkdir(exist_ok=True)
        shutil.rmtree(target / PACKAGE, ignore_errors=True)
        shutil.copytree(new_out / PACKAGE, target / PACKAGE)
        shutil.copy2(new_out / PATCHED_SPEC_NAME, target / PATCHED_SPEC_NAME)
        shutil.copy2(api_reference_path(new_out), root / API_REFERENCE_NAME)
    return report


def name_changes(proposal: NameProposal) -> list[Change]:
    """The record's changes: proposed names (to review before committing) and names of vanished operations."""
    changes = [
        Change(f"{PACKAGE}.{entry.module}", "added", f"new name for {key}") for key, entry in proposal.added.items()
    ]
    changes += [
        Change(f"{PACKAGE}.{entry.module}", "removed", f"{key} is gone from the spec", True)
        for key, entry in proposal.removed.items()
    ]
    return changes


def _generate(out_dir: Path, spec_path: Path, root: Path) -> NameProposal:
    unchanged = f"openapi.json, {NAME_RECORD_DISPLAY}, generated/ and {API_REFERENCE_NAME} are unchanged."
    log = io.StringIO()
    try:
        with redirect_stdout(log):
            proposal = generate(
                out_dir,
                spec_path,
                root / OVERLAY_FILE,
                root / NAME_RECORD_FILE,
                propose_new_names=True,
            )
    except TargetVanishedError as exc:
        raise UpdateSpecError(
            f"patch no longer applies: action {exc.number} of patches/overlay.yaml ({exc.title})\n"
            f"  matched nothing at {exc.target}\n"
            f"  Upstream fixed this quirk: delete action {exc.number} from patches/overlay.yaml "
            "(and its row in patches/README.md), then run this command again.\n"
            f"  If upstream only moved it, fix the action's target instead. {unchanged}"
        ) from exc
    except (Exception, SystemExit) as exc:
        raise UpdateSpecError(f"regeneration failed: {type(exc).__name__}: {exc}\n{log.getvalue()}{unchanged}") from exc
    sys.stdout.write(log.getvalue())
    return proposal


def _git(root: Path, *args: str) -> bytes:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True)
    if result.returncode != 0:
        raise UpdateSpecError(f"git {' '.join(args)} failed in {root}: {result.stderr.decode().strip()}")
    return result.stdout


def _extract(root: Path, ref: str, path: str, destination: Path) -> None:
    """Write `path` as it was at `ref` under `destination` (the package the report compares against)."""
    archive = _git(root, "archive", "--format=tar", ref, path)
    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec", help="path or http(s) URL of the new upstream OpenAPI document")
    parser.add_argument("--ref", default="HEAD", help="git revision to compare against (default: HEAD)")
    parser.add_argument("--timeout", type=float, default=FETCH_TIMEOUT_SECONDS, help="URL fetch timeout, seconds")
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="checkout to update (default: this one; templates are always this one's)",
    )
    args = parser.parse_args(argv)
    try:
        report = update_spec(args.spec, args.root, args.ref, args.timeout)
    except UpdateSpecError as exc:
        print(f"update-spec: FAILED: {exc}", file=sys.stderr)
        return 1
    print(
        f"update-spec: openapi.json replaced by {args.spec}; {NAME_RECORD_DISPLAY}, generated/ and {API_REFERENCE_NAME} updated\n"
    )
    print(report.text(args.ref), end="")
    print(
        f"\nNext: review `git diff` (a proposed name can still be changed in {NAME_RECORD_DISPLAY}: then run "
        f"`make generate`), run `make check` and `make test`, then commit openapi.json, {NAME_RECORD_DISPLAY}, "
        f"generated/ and {API_REFERENCE_NAME}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
