"""pipeline/api_diff.py: the Python API report reads as sentences, with no dangling `old -> ` arrows."""

from __future__ import annotations

from pathlib import Path

from pipeline.change_report.api_diff import diff_api
from pipeline.change_report.changes import suggested_bump


def _package(root: Path, source: str) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text(source, encoding="utf-8")
    return root


def test_removed_parameter_is_named_without_an_arrow(tmp_path: Path) -> None:
    old = _package(tmp_path / "old", "def sync(*, search: str | None = None, page: int = 1) -> None: ...\n")
    new = _package(tmp_path / "new", "def sync(*, page: int = 1) -> None: ...\n")
    changes = diff_api(old, new, "pkg")
    assert [(c.subject, c.kind, c.detail, c.breaking) for c in changes] == [
        ("pkg.sync", "removed", "Parameter was removed: search", True)
    ]
    assert not any(c.line().rstrip().endswith("->") for c in changes)


def test_changed_default_keeps_both_sides_of_the_arrow(tmp_path: Path) -> None:
    old = _package(tmp_path / "old", "def sync(*, page: int = 1) -> None: ...\n")
    new = _package(tmp_path / "new", "def sync(*, page: int = 2) -> None: ...\n")
    [change] = diff_api(old, new, "pkg")
    assert change.detail == "Parameter default was changed: 1 -> 2"


def test_added_function_calls_for_a_minor_release(tmp_path: Path) -> None:
    old = _package(tmp_path / "old", "def sync() -> None: ...\n")
    new = _package(tmp_path / "new", "def sync() -> None: ...\ndef sync_all() -> None: ...\n")
    changes = diff_api(old, new, "pkg")
    assert [(c.subject, c.kind) for c in changes] == [("pkg.sync_all", "added")]
    assert suggested_bump(changes) == "minor"
