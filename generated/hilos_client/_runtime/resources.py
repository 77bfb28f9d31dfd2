# Copied from patches/runtime/resources.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/resources.py, then run `make generate`.
"""The resource-style clients' base classes: `Hilos` / `AsyncHilos` and their per-tag namespaces are generated
from the spec (one method per operation, calling the operation's module functions); what does not depend on
the spec is here.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypedDict, TypeVar, Unpack, overload

import httpx

if TYPE_CHECKING:
    # Imported when the first client is made: the package's `Hilos` classes subclass this module's, and
    # `import <package>` need not load the clients (nor attrs) for them to exist.
    from .client import AuthenticatedClient


NamespaceT = TypeVar("NamespaceT")


class tag_namespace(Generic[NamespaceT]):  # noqa: N801  # a decorator, named like `property`
    """A tag's attribute of `Hilos` / `AsyncHilos`: the method's result, made on first read and kept in the
    instance (as `functools.cached_property` does; later reads find it in the instance's `__dict__`).

    Unlike `cached_property`, the attribute read on the class has no public attributes of its own
    (`attrname`, `func`, `lock`), which editors offered as completions of `hilos.flows.`.
    """

    def __init__(self, make: Callable[[Any], NamespaceT]) -> None:
        self._make = make
        self._name = make.__name__
        self.__doc__ = make.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> NamespaceT: ...

    def __get__(self, instance: object, owner: type[Any] | None = None) -> NamespaceT | Self:
        if instance is None:
            return self
        value = instance.__dict__[self._name] = self._make(instance)
        return value


class ClientOptions(TypedDict, total=False):
    """AuthenticatedClient's keyword arguments besides `base_url` and `token` (see Client for each)."""

    timeout: httpx.Timeout | float | None
    deadline: float | None
    max_response_bytes: int
    retries: int
    retry_backoff: float
    retry_max_wait: float
    retry_methods: frozenset[str]
    rate_limit: float | None
    rate_limit_url: str | None
    allow_insecure_http: bool
    headers: dict[str, str]
    cookies: dict[str, str]
    verify_ssl: str | bool | ssl.SSLContext
    follow_redirects: bool
    httpx_args: dict[str, Any]
    prefix: str


class Resource:
    """The operations of one tag of the API, sent through `client`."""

    __slots__ = ("_client",)

    def __init__(self, client: AuthenticatedClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r})"


def _client_for(
    base_url: str | None, token: str | None, client: AuthenticatedClient | None, options: ClientOptions
) -> AuthenticatedClient:
    from .client import AuthenticatedClient
    from .errors import ConfigurationError

    if client is not None:
        if base_url is not None or token is not None or options:
            raise ConfigurationError("pass either client= or the client's settings (base_url, token, ...), not both")
        return client
    if base_url is None or token is None:
        raise ConfigurationError("base_url and token are required (or use from_env(), or pass client=)")
    return AuthenticatedClient(base_url=base_url, token=token, **options)


class _ResourceClient:
    def __init__(
        self,
        base_url: str | None = None,
        *,
        token: str | None = None,
        client: AuthenticatedClient | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        """`base_url` and `token` (and any other AuthenticatedClient setting), or `client=` an AuthenticatedClient.

        Raises errors.ConfigurationError for a missing or unusable setting.
        """
        self._client = _client_for(base_url, token, client, options)

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Unpack[ClientOptions]) -> Self:
        """Configured from HILOS_API_TOKEN and HILOS_BASE_URL (or HILOS_ACCOUNT_NAME): see
        AuthenticatedClient.from_env(). Raises errors.ConfigurationError naming the variable that is wrong."""
        from .client import AuthenticatedClient

        return cls(client=AuthenticatedClient.from_env(environ=environ, **options))

    @property
    def client(self) -> AuthenticatedClient:
        """The AuthenticatedClient underneath, for the module functions (`hilos_client.api.<tag>.<operation>`)."""
        return self._client

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r})"


class ResourceClient(_ResourceClient):
    """Base of the generated `Hilos`: a blocking client whose attributes are the API's tags."""

    def close(self) -> None:
        """Close the connections (also done by leaving a `with` block)."""
        self._client.get_httpx_client().close()

    def __enter__(self) -> Self:
        self._client.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._client.__exit__(exc_type, exc, traceback)


class AsyncResourceClient(_ResourceClient):
    """Base of the generated `AsyncHilos`: an asyncio client whose attributes are the API's tags."""

    async def aclose(self) -> None:
        """Close the connections (also done by leaving an `async with` block)."""
        await self._client.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        await self._client.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self._client.__aexit__(exc_type, exc, traceback)


__all__ = ["AsyncResourceClient", "ClientOptions", "Resource", "ResourceClient", "tag_namespace"]
