"""One change in the spec or the Python API, the report that lists them, and the version bump they call for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BREAKING_MARK = "BREAKING"


@dataclass(frozen=True, order=True)
class Change:
    """`kind` is "added", "removed" or "changed"; `subject` says what (e.g. "property Foo.bar")."""

    subject: str
    kind: str
    detail: str = ""
    breaking: bool = False

    def line(self) -> str:
        mark = BREAKING_MARK if self.breaking else ""
        text = f"{mark:<9}{self.kind:<8} {self.subject}"
        return f"{text}: {self.detail}" if self.detail else text


def suggested_bump(changes: Iterable[Change]) -> str:
    """major for any breaking change, minor for any addition (new public names too), patch otherwise.

    A change that is neither (a new info.version, a request field that may now be null) alters nothing
    a caller must adapt to nor anything new to use.
    """
    found = list(changes)
    if any(change.breaking for change in found):
        return "major"
    if any(change.kind == "added" for change in found):
        return "minor"
    return "patch"


def format_section(title: str, changes: list[Change]) -> list[str]:
    lines = [f"{title} ({len(changes)} change(s), {sum(c.breaking for c in changes)} breaking)"]
    lines += ["  " + change.line() for change in sorted(changes, key=lambda c: (not c.breaking, c.subject, c.kind))]
    if not changes:
        lines.append("  (none)")
    return lines
