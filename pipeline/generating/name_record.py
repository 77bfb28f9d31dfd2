"""The record of every operation's public Python name: patches/operation-names.json.

An operation's module, `hilos_client.api.<tag>.<name>`, is public API, so it must not follow upstream's
prose: upstream may drop a summary, reword an operationId or retag an operation without changing the
API. The record pins `tag` and `name` for each operation, keyed by "METHOD /path"; the pipeline gives the
generator exactly those (pipeline/operation_names.py), and `make generate` fails on an operation the
record does not know. Only `make update-spec` adds names (proposed by the rule in operation_names.py,
listed in its report for review) and drops the names of operations upstream removed (reported as
breaking).

Renaming is a deliberate edit of the record: give the entry its new `name` (and/or `tag`) and
`"renamed_from": {"name": <old name>, "tag": <old tag, if it changed>, "release": <first client
version with the new name>}`. The old module then stays importable, warning `DeprecationWarning`, for
the rest of that release's API minor version (pipeline/deprecated_aliases.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.project import NAME_RECORD, NAME_RECORD_FILE
from pipeline.releasing.version import spec_version

NAME_RECORD_DISPLAY = NAME_RECORD_FILE.as_posix()
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_RELEASE = re.compile(r"^[0-9]+(\.[0-9]+){1,3}$")
_KEY = re.compile(r"^(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) /\S*$")


class NameRecordError(Exception):
    """The record is malformed, or does not match the spec's operations."""


@dataclass(frozen=True)
class Rename:
    """Where an operation's module was before a deliberate rename, and the release that renamed it."""

    name: str
    tag: str
    release: str

    def alias_expired(self, spec: dict[str, Any]) -> bool:
        """The alias lives while the API's MAJOR.MINOR is the one of the release that renamed it."""
        renamed_in = tuple(int(part) for part in self.release.split(".")[:2])
        now = tuple(int(part) for part in spec_version(spec).split(".")[:2])
        return now > renamed_in


@dataclass(frozen=True)
class RecordedName:
    tag: str
    name: str
    renamed_from: Rename | None = None

    @property
    def module(self) -> str:
        return f"api.{self.tag}.{self.name}"


NameRecord = dict[str, RecordedName]


def load_record(path: Path = NAME_RECORD) -> NameRecord:
    """The record at `path`; a missing file is an empty record (a checkout that never recorded names)."""
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise NameRecordError(f"{NAME_RECORD_DISPLAY} is not valid JSON: {exc}") from exc
    return parse_record(raw)


def parse_record(raw: Any) -> NameRecord:
    if not isinstance(raw, dict):
        raise NameRecordError(f"{NAME_RECORD_DISPLAY} must be a JSON object keyed by 'METHOD /path'")
    record: NameRecord = {}
    for key, entry in raw.items():
        if not _KEY.match(key):
            raise NameRecordError(f"{NAME_RECORD_DISPLAY}: key {key!r} is not 'METHOD /path' (method in capitals)")
        if not isinstance(entry, dict) or set(entry) - {"tag", "name", "renamed_from"}:
            raise NameRecordError(f"{NAME_RECORD_DISPLAY}: {key}: expected {{'tag', 'name'[, 'renamed_from']}}")
        tag, name = _identifier(key, "tag", entry.get("tag")), _identifier(key, "name", entry.get("name"))
        rename = None
        if "renamed_from" in entry:
            old = entry["renamed_from"]
            if not isinstance(old, dict) or set(old) - {"name", "tag", "release"}:
                raise NameRecordError(f"{NAME_RECORD_DISPLAY}: {key}: renamed_from needs 'name', 'release'[, 'tag']")
            release = old.get("release")
            if not isinstance(release, str) or not _RELEASE.match(release):
                raise NameRecordError(
                    f"{NAME_RECORD_DISPLAY}: {key}: renamed_from.release must be the client version that "
                    f"shipped the new name (e.g. '1.0.0.3'), not {release!r}"
                )
            rename = Rename(
                _identifier(key, "renamed_from.name", old.get("name")),
                _identifier(key, "renamed_from.tag", old.get("tag", tag)),
                release,
            )
            if (rename.tag, rename.name) == (tag, name):
                raise NameRecordError(f"{NAME_RECORD_DISPLAY}: {key}: renamed_from names the current module")
        record[key] = RecordedName(tag, name, rename)
    _check_unique(record)
    return record


def dump_record(record: NameRecord) -> str:
    """Sorted, one entry per operation, so a review shows exactly which public names changed."""
    raw: dict[str, Any] = {}
    for key in sorted(record):
        entry = record[key]
        raw[key] = {"tag": entry.tag, "name": entry.name}
        if entry.renamed_from:
            old = entry.renamed_from
            raw[key]["renamed_from"] = {"name": old.name, "tag": old.tag, "release": old.release}
    return json.dumps(raw, indent=2) + "\n"


def _identifier(key: str, field: str, value: Any) -> str:
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise NameRecordError(f"{NAME_RECORD_DISPLAY}: {key}: {field} must be snake_case, not {value!r}")
    return value


def _check_unique(record: NameRecord) -> None:
    owners: dict[tuple[str, str], str] = {}
    for key, entry in sorted(record.items()):
        places = [(entry.tag, entry.name)]
        if entry.renamed_from:
            places.append((entry.renamed_from.tag, entry.renamed_from.name))
        for place in places:
            if place in owners:
                raise NameRecordError(
                    f"{NAME_RECORD_DISPLAY}: {key} and {owners[place]} both use api.{place[0]}.{place[1]}"
                )
            owners[place] = key
