# Copied from patches/runtime/types.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/types.py, then run `make generate`.
"""Types shared by the generated models and endpoints: `UNSET`, `Response`, `File`, `ExtraHeaders`, `ExtraQuery`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, MutableMapping, Sequence
from http import HTTPStatus
from typing import IO, TYPE_CHECKING, BinaryIO, Generic, Literal, TypeAlias, TypeVar

from attrs import define, field

if TYPE_CHECKING:
    # Not imported at run time: models import this module, and need no httpx.
    import httpx


class Unset:
    """The type of `UNSET`: a field or argument the caller did not give (distinct from None, JSON null)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"  # what help() and reprs show for a default, rather than an object address

    # One object in every process: models test a field with `is UNSET`, so a copy or an unpickled model must
    # hold this very object. Pickle stores the name of the module global, which the other process resolves.
    def __reduce__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: object) -> Unset:
        return self


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """A file to upload in a multipart/form-data body."""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """The tuple httpx accepts for multipart/form-data."""
        return self.file_name, self.payload, self.mime_type


# What `extra_headers=` and `extra_query=` of every operation take (see `hilos_client.api`'s functions).
ExtraHeaders: TypeAlias = Mapping[str, str]
"""Headers an operation call adds to its request (over the operation's and the client's own)."""
QueryValue: TypeAlias = str | int | float | bool | None
ExtraQuery: TypeAlias = Mapping[str, QueryValue | Sequence[QueryValue]]
"""Query parameters an operation call adds to its request (over the operation's own), encoded as httpx does."""

T = TypeVar("T")

# The URL of `Response.request` for a Response built without one (by hand, in a test): `.invalid` never resolves.
_PLACEHOLDER_URL = "http://response-built-by-hand.invalid/"


def _placeholder_request() -> httpx.Request:
    import httpx

    return httpx.Request("GET", _PLACEHOLDER_URL)


@define
class Response(Generic[T]):
    """A response from an endpoint (returned by the `*_detailed` functions and `with_raw_response`, whatever
    the status).

    `status_code` is an `http.HTTPStatus` for registered codes and a plain int for others (such as 520);
    `parsed` is the documented body (None for an undocumented status); `attempts` is how many times the
    request was sent, retries included. `request` is the last request sent (after any redirect), without
    its credentials (`Authorization`, `Cookie`: the token never outlives the call), `url` that request's URL, and `elapsed` the
    whole call's time, from the first attempt to the body's last byte, retries and their waits included
    (httpx's own `elapsed` is the last attempt's). A Response built by hand without `request=` holds a GET to
    `http://response-built-by-hand.invalid/`, and `elapsed` 0.
    """

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None
    attempts: int = 1
    # Not compared: httpx.Request has no equality, so two equal answers (or one and its unpickled copy) would differ.
    request: httpx.Request = field(factory=_placeholder_request, kw_only=True, eq=False)
    elapsed: datetime.timedelta = field(factory=datetime.timedelta, kw_only=True)

    @property
    def url(self) -> httpx.URL:
        """The URL of the last request sent (`request.url`): the final one, after any redirect."""
        return self.request.url


__all__ = [
    "UNSET",
    "ExtraHeaders",
    "ExtraQuery",
    "File",
    "FileContent",
    "FileTypes",
    "QueryValue",
    "RequestFiles",
    "Response",
    "Unset",
]
