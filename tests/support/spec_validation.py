"""Request validation by openapi-core: does a request the loopback fake received conform to the spec?

The spec is `generated/openapi.patched.json`, the one the generator saw, not the upstream `openapi.json`:
the overlay's fixes describe the real API (the upstream security scheme names a `Token` header while the API
reads `Authorization: Token <key>`; `page` and `page_size` gain their minimum of 1), and request bodies are the
normalised ones the client was built from (read-only fields dropped). Validating against the upstream text
would report the auth header of every request.

openapi-core checks what the spec describes (operation, path and query parameters by their style, security,
the body and its content type) and ignores what it does not list; two structural checks of ours close that gap:
a query parameter the operation does not declare, or one sent more than once (openapi-core reads the first
value only), and a body sent to an operation that takes none.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from hilos_client._runtime.operations import Operation, find
from hilos_client._spec import OPERATIONS
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest, MockResponse
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests.support.spec_schema import load_patched_spec

# The spec's server is the account's host (`https://{youraccountname}.api-us1.com/api/3`); the fake listens on
# 127.0.0.1:<port>. A relative server URL keeps the base path and matches any origin.
SERVER_PATH = "/api/3"


@functools.cache
def _spec() -> dict[str, Any]:
    return load_patched_spec()


@functools.cache
def _openapi() -> OpenAPI:
    # Building the validator reads and checks the whole spec (about 0.4 s): once per test session.
    return OpenAPI.from_dict({**_spec(), "servers": [{"url": SERVER_PATH}]})


@dataclass(frozen=True)
class RequestCheck:
    """What openapi-core made of one request: the operation it matched, the errors, and the request's
    parameters and body as it unmarshalled them (empty when the request did not validate)."""

    method: str
    target: str
    operation: Operation | None
    errors: tuple[str, ...]
    query: dict[str, Any] = field(default_factory=dict)
    path: dict[str, Any] = field(default_factory=dict)
    body: Any = None

    def describe(self) -> str:
        return f"{self.method} {self.target}: " + "; ".join(self.errors)


@dataclass
class _WireRequest:
    """openapi-core's Request protocol over the parts of a received HTTP request."""

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters


def check_request(
    *, origin: str, method: str, path: str, query: str, headers: dict[str, str], body: bytes
) -> RequestCheck:
    """Validate one received request against the patched spec."""
    header = Headers(list(headers.items()))
    pairs = parse_qsl(query, keep_blank_values=True)
    request = _WireRequest(
        host_url=origin,
        path=path,
        method=method.lower(),
        body=body or None,
        # RFC 9110: a body without Content-Type is application/octet-stream.
        content_type=(header.get("Content-Type") or ("application/octet-stream" if body else "")).lower(),
        parameters=RequestParameters(query=ImmutableMultiDict(pairs), header=header),
    )
    result = _openapi().unmarshal_request(request)
    errors = [_explain(error) for error in result.errors]
    operation = _operation(method, path)
    if operation is not None:
        errors.extend(_undeclared(operation, pairs, body))
    target = path + (f"?{query}" if query else "")
    if errors:
        return RequestCheck(method.upper(), target, operation, tuple(errors))
    return RequestCheck(
        method.upper(),
        target,
        operation,
        (),
        query=dict(result.parameters.query),
        path=dict(result.parameters.path),
        # JSON as sent (openapi-core's unmarshalled body holds datetimes and UUIDs); any other body as bytes.
        body=json.loads(body) if body and request.content_type.startswith("application/json") else body or None,
    )


def _explain(error: Exception) -> str:
    """The error and the schema errors openapi-core keeps as its cause."""
    causes = getattr(error, "schema_errors", None) or getattr(error.__cause__, "schema_errors", None) or ()
    detail = "; ".join(str(cause.message) for cause in causes)
    if not detail and error.__cause__ is not None:
        detail = str(error.__cause__)
    return f"{type(error).__name__}: {error}" + (f" ({detail})" if detail else "")


def _operation(method: str, path: str) -> Operation | None:
    found = find(OPERATIONS, method, path.removeprefix(SERVER_PATH))
    return found[0] if found else None


def _undeclared(operation: Operation, pairs: list[tuple[str, str]], body: bytes) -> list[str]:
    spec_operation = _spec()["paths"][operation.path][operation.method.lower()]
    parameters = [
        *(_spec()["paths"][operation.path].get("parameters") or []),
        *(spec_operation.get("parameters") or []),
    ]
    declared = {parameter["name"] for parameter in parameters if parameter["in"] == "query"}
    names = [name for name, _ in pairs]
    problems = [f"query parameter {name!r} is not declared by the operation" for name in sorted(set(names) - declared)]
    problems += [
        f"query parameter {name!r} sent {names.count(name)} times"
        for name in sorted(set(names))
        if names.count(name) > 1
    ]
    if body and "requestBody" not in spec_operation:
        problems.append(f"a {len(body)}-byte body sent to an operation that takes none")
    return problems


def check_response(*, method: str, path: str, status: int, body: Any) -> tuple[str, ...]:
    """openapi-core's errors for a JSON answer `body` with `status` to `method` `path` (relative to the base
    URL, parameters filled in); empty when the answer conforms to the patched spec."""
    request = MockRequest("http://127.0.0.1", method.lower(), SERVER_PATH + path)
    response = MockResponse(json.dumps(body).encode(), status_code=status, content_type="application/json", headers={})
    # Validating without unmarshalling is about 30 times faster on a large body; the first error is enough.
    try:
        _openapi().validate_response(request, response)
    except OpenAPIError as error:
        return (_explain(error),)
    return ()
