"""What changed in the Python API of the generated package, computed with griffe.

griffe reads both versions of the package statically (no import) and lists the breaking changes
(`griffe.find_breaking_changes`: removed objects, removed or newly required parameters, changed
kinds...). Additions are the public objects present only in the new version; an added module or
class is one line, not one per member.
"""

from __future__ import annotations

from pathlib import Path

import griffe

from pipeline.change_report.changes import Change


def load_package(search_path: Path, package: str) -> griffe.Object | griffe.Alias:
    """Load `package` from `search_path` only, in its own collection so two versions can coexist."""
    return griffe.load(
        package,
        search_paths=[search_path],
        try_relative_path=False,
        allow_inspection=False,
        modules_collection=griffe.ModulesCollection(),
        lines_collection=griffe.LinesCollection(),
    )


def diff_api(old_search_path: Path, new_search_path: Path, package: str) -> list[Change]:
    """Changes from the package found in `old_search_path` to the one in `new_search_path`."""
    old, new = load_package(old_search_path, package), load_package(new_search_path, package)
    changes = [
        Change(breakage.obj.path, _kind(breakage), _detail(breakage), True)
        for breakage in griffe.find_breaking_changes(old, new)
    ]
    changes += [Change(path, "added") for path in sorted(_public_paths(new) - _public_paths(old))]
    return _without_members_of_added(changes)


def _kind(breakage: griffe.Breakage) -> str:
    return "removed" if breakage.kind in _REMOVALS else "changed"


_REMOVALS = {griffe.BreakageKind.OBJECT_REMOVED, griffe.BreakageKind.PARAMETER_REMOVED}


def _detail(breakage: griffe.Breakage) -> str:
    """griffe's wording, with `old -> new` only when both exist (a removed parameter has no new value)."""
    detail = breakage.kind.value
    if breakage.kind is griffe.BreakageKind.OBJECT_REMOVED:
        return ""
    old, new = _name(breakage.old_value, breakage.kind), _name(breakage.new_value, breakage.kind)
    if old and new:
        return f"{detail}: {old} -> {new}"
    if old or new:
        return f"{detail}: {old or new}"
    return detail


def _name(value: object, kind: griffe.BreakageKind) -> str:
    """What changed about the value: a parameter's default or kind for those breakages, else its name."""
    if value is None:
        return ""
    if isinstance(value, griffe.Parameter):
        if kind is griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT:
            return str(value.default)
        if kind is griffe.BreakageKind.PARAMETER_CHANGED_KIND:
            return str(value.kind.value) if value.kind else ""
    return str(getattr(value, "name", value))


def _public_paths(root: griffe.Object | griffe.Alias) -> set[str]:
    found: set[str] = set()

    def walk(obj: griffe.Object | griffe.Alias) -> None:
        for name, member in obj.members.items():
            if name.startswith("_"):
                continue
            found.add(member.path)
            if not member.is_alias and (member.is_module or member.is_class):
                walk(member)

    walk(root)
    return found


def _without_members_of_added(changes: list[Change]) -> list[Change]:
    added = {c.subject for c in changes if c.kind == "added"}
    return [
        c for c in changes if not (c.kind == "added" and any(c.subject.startswith(parent + ".") for parent in added))
    ]
