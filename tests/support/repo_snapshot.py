"""A throw-away git repository holding the current working tree, for tests that need a clean checkout.

Release tests run `make publish` in a snapshot instead of the real checkout: they can dirty it, commit to
it or make generated/ stale without touching the developer's tree, and the snapshot is clean even while the
developer has uncommitted work. The snapshot shares the real .venv (symlinked, and excluded from git).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pipeline.project import ROOT

# Commits in throw-away repos must not depend on the machine's git configuration (identity, signing).
GIT_IDENTITY = ("-c", "user.name=release-test", "-c", "user.email=release-test@localhost", "-c", "commit.gpgsign=false")


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


def snapshot_repo(destination: Path, source: Path = ROOT) -> Path:
    """Copy the files git would commit from `source` (tracked and untracked, not ignored) into a new repo."""
    listed = git(source, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    destination.mkdir(parents=True)
    for name in filter(None, listed):
        path = source / name
        if path.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            # copy2 keeps modification times, so make sees the shared .venv's set-up as current.
            shutil.copy2(path, destination / name)
    git(destination, "init", "--quiet")
    (destination / ".venv").symlink_to(source / ".venv")
    # .gitignore's ".venv/" matches directories only; the symlink is excluded here instead.
    with (destination / ".git" / "info" / "exclude").open("a", encoding="utf-8") as exclude:
        exclude.write(".venv\n")
    commit_all(destination, "snapshot of the working tree")
    return destination


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--no-verify", "-m", message)
