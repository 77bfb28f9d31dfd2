# Copied from patches/runtime/types.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/types.py, then run `make generate`.
"""Types shared by the generated models and endpoints: `UNSET`, `Response`, `File`."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, BinaryIO, Generic, Literal, TypeVar

from attrs import define


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


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint (returned by the `*_detailed` functions, whatever the status).

    `status_code` is an `http.HTTPStatus` for registered codes and a plain int for others (such as 520);
    `parsed` is the documented body (None for an undocumented status); `attempts` is how many times the
    request was sent, retries included.
    """

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None
    attempts: int = 1


__all__ = ["UNSET", "File", "FileContent", "FileTypes", "RequestFiles", "Response", "Unset"]
