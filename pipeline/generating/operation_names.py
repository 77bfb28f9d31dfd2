"""Give every operation its recorded, stable Python module: `hilos_client.api.<tag>.<name>`.

The names are public API, so they come from patches/operation-names.json (pipeline/name_record.py),
never from upstream's prose at generation time: the operationId and the first tag are set to the
recorded ones, so the generator writes the module where the record says (it names the folder after the
first tag, snake-cased, and the module after the operationId). Upstream values that differ are kept
beside them (`x-upstream-operationId`, `x-upstream-tags`).

`make update-spec` proposes names for operations the record lacks with a generic rule (so operations the
spec gains in the same style need no patch): verb + resource, as name_rule.py says; the tag is the
snake_case of the first tag, as the generator derives it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.strings import PythonIdentifier

from pipeline.generating.name_record import NAME_RECORD_DISPLAY, NameRecord, RecordedName
from pipeline.generating.name_rule import proposed_name
from pipeline.project import iter_operations


class OperationNameError(Exception):
    """Two operations would get the same Python name."""


def module_tag(operation: dict[str, Any]) -> str:
    """The api/ folder the generator puts an operation in: its first tag, snake-cased ("default" without)."""
    tags = operation.get("tags") or ["default"]
    return str(PythonIdentifier(str(tags[0]), prefix="tag"))


@dataclass
class NameProposal:
    """The record after `make update-spec`: names for new operations added, vanished operations dropped."""

    record: NameRecord
    added: dict[str, RecordedName] = field(default_factory=dict)
    removed: dict[str, RecordedName] = field(default_factory=dict)


def propose_names(spec: dict[str, Any], record: NameRecord) -> NameProposal:
    """Propose names by the rule for operations `record` lacks; drop entries of operations `spec` lacks."""
    present = {
        f"{method.upper()} {path}": (method, path, operation) for method, path, operation in iter_operations(spec)
    }
    proposal = NameProposal({key: entry for key, entry in record.items() if key in present})
    proposal.removed = {key: entry for key, entry in record.items() if key not in present}
    for key, (method, path, operation) in present.items():
        if key not in record:
            entry = RecordedName(module_tag(operation), proposed_name(method, path, operation))
            proposal.record[key] = proposal.added[key] = entry
    _check_unique_modules(proposal.record)
    return proposal


def name_operations(spec: dict[str, Any], record: NameRecord) -> list[str]:
    """Set every operation's operationId and tag to the recorded ones, in place; one log line per change."""
    present = {f"{method.upper()} {path}": operation for method, path, operation in iter_operations(spec)}
    unknown, vanished = sorted(present.keys() - record.keys()), sorted(record.keys() - present.keys())
    if unknown or vanished:
        lines = [f"  {key}: not in {NAME_RECORD_DISPLAY}" for key in unknown]
        lines += [f"  {key}: recorded as {record[key].module}, but not in the spec" for key in vanished]
        raise OperationNameError(
            f"the operations and {NAME_RECORD_DISPLAY} disagree:\n" + "\n".join(lines) + "\n"
            "  Public names are only proposed by `make update-spec SPEC=<spec>` (which lists them for review); "
            "to record names for the openapi.json in place, run `make update-spec SPEC=openapi.json`."
        )
    _check_unique_modules(record)
    log: list[str] = []
    for key, operation in present.items():
        entry = record[key]
        upstream = operation.get("operationId")
        if upstream != entry.name:
            operation["operationId"] = entry.name
            operation["x-upstream-operationId"] = upstream
            log.append(f"{key}: operationId {upstream!r} -> {entry.name!r}")
        if module_tag(operation) != entry.tag:
            upstream_tags = operation.get("tags")
            operation["tags"] = [entry.tag]
            operation["x-upstream-tags"] = upstream_tags
            log.append(f"{key}: tags {upstream_tags!r} -> [{entry.tag!r}]")
        if entry.renamed_from and not entry.renamed_from.alias_expired(spec):
            old = entry.renamed_from
            operation["x-hilos-deprecated-aliases"] = [{"module": f"api.{old.tag}.{old.name}", "release": old.release}]
            log.append(f"{key}: api.{old.tag}.{old.name} kept as a deprecated alias of {entry.module}")
        elif entry.renamed_from:
            log.append(
                f"{key}: deprecated alias api.{entry.renamed_from.tag}.{entry.renamed_from.name} expired "
                f"(renamed in {entry.renamed_from.release}); delete its renamed_from from {NAME_RECORD_DISPLAY}"
            )
    return log


def _check_unique_modules(record: NameRecord) -> None:
    owners: dict[str, str] = {}
    for key, entry in record.items():
        if entry.module in owners:
            raise OperationNameError(f"{key} and {owners[entry.module]} would both be {entry.module}")
        owners[entry.module] = key
