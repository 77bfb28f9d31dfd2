"""Give every operation a stable Python name.

Upstream uses titles as operationIds ("List Flow Execution Contact"), which the generator would
turn into module names on its own terms. The rule here is generic, so operations the spec gains
in the same style need no patch: an operationId that is not already snake_case is replaced by the
snake_case of the operation's summary (falling back to the operationId itself). The result is
part of the public API: it is deterministic, recorded in generated/openapi.patched.json, and the
upstream value is kept beside it as `x-upstream-operationId`.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.project import iter_operations

_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class OperationNameError(Exception):
    """Two operations would get the same Python name, or one would get none."""


def snake_case(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "_".join(word.lower() for word in words)


def name_operations(spec: dict[str, Any]) -> list[str]:
    """Rename title-style operationIds in place; return one log line per rename."""
    log: list[str] = []
    owners: dict[str, str] = {}
    for method, path, operation in iter_operations(spec):
        where = f"{method.upper()} {path}"
        upstream = operation.get("operationId")
        if isinstance(upstream, str) and _SNAKE_CASE.match(upstream):
            name = upstream
        else:
            source = operation.get("summary") or upstream
            if not source:
                raise OperationNameError(f"{where} has neither an operationId nor a summary to name it by")
            name = snake_case(str(source))
            if not name or not name[0].isalpha():
                raise OperationNameError(f"{where}: cannot make a Python name from {source!r}")
            operation["operationId"] = name
            operation["x-upstream-operationId"] = upstream
            log.append(f"{where}: operationId {upstream!r} -> {name!r}")
        if name in owners:
            raise OperationNameError(f"{where} and {owners[name]} would both be named {name!r}")
        owners[name] = where
    return log
