"""The resource-style clients' base classes: `Hilos` / `AsyncHilos` and their per-tag namespaces are generated
from the spec (one method per operation, calling the operation's module functions); what does not depend on
the spec is here.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypedDict, TypeVar, Unpack, overload

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


class CopyOptions(TypedDict, total=False):
    """with_options()'s keyword arguments: the settings a copy sharing the connection pool may change (see Client
    for each); `headers` are added to the client's."""

    timeout: httpx.Timeout | float | None
    deadline: float | None
    retries: int
    retry_backoff: float
    retry_max_wait: float
    max_response_bytes: int
    rate_limit: float | None
    headers: Mapping[str, str]


_Http = TypeVar("_Http", httpx.Client, httpx.AsyncClient)


class Resource:
    """The operations of one tag of the API, sent through `client`."""

    __slots__ = ("_client",)

    def __init__(self, client: AuthenticatedClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r})"


def _client_for(
    base_url: str | None,
    token: str | None,
    client: AuthenticatedClient | None,
    http_client: httpx.Client | httpx.AsyncClient | None,
    options: ClientOptions,
) -> AuthenticatedClient:
    from .client import AuthenticatedClient
    from .errors import ConfigurationError

    if client is not None:
        if base_url is not None or token is not None or http_client is not None or options:
            raise ConfigurationError("pass either client= or the client's settings (base_url, token, ...), not both")
        return client
    if base_url is None or token is None:
        raise ConfigurationError("base_url and token are required (or use from_env(), or pass client=)")
    return AuthenticatedClient(base_url=base_url, token=token, http_client=http_client, **options)


class _ResourceClient(Generic[_Http]):
    _http_kind: ClassVar[type[httpx.Client | httpx.AsyncClient]]
    """The kind of httpx client `http_client=` takes."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token: str | None = None,
        client: AuthenticatedClient | None = None,
        http_client: _Http | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        """`base_url` and `token` (and any other AuthenticatedClient setting), or `client=` an AuthenticatedClient.

        `http_client`: your own httpx client (an httpx.Client for Hilos, an httpx.AsyncClient for AsyncHilos),
        used as it is and never closed here (see Client). Raises errors.ConfigurationError for a missing or
        unusable setting.
        """
        self._check_http_client(http_client)
        self._client = _client_for(base_url, token, client, http_client, options)

    @classmethod
    def _check_http_client(cls, http_client: object) -> None:
        if http_client is not None and not isinstance(http_client, cls._http_kind):
            from .errors import ConfigurationError

            raise ConfigurationError(
                f"{cls.__name__} takes an httpx.{cls._http_kind.__name__} as http_client, "
                f"not {type(http_client).__name__}"
            )

    @classmethod
    def from_env(
        cls,
        *,
        environ: Mapping[str, str] | None = None,
        http_client: _Http | None = None,
        **options: Unpack[ClientOptions],
    ) -> Self:
        """Configured from HILOS_API_TOKEN and HILOS_BASE_URL (or HILOS_ACCOUNT_NAME): see
        AuthenticatedClient.from_env(). Raises errors.ConfigurationError naming the variable that is wrong."""
        from .client import AuthenticatedClient

        cls._check_http_client(http_client)
        return cls(client=AuthenticatedClient.from_env(environ=environ, http_client=http_client, **options))

    def with_options(self, **options: Unpack[CopyOptions]) -> Self:
        """A copy with other settings (`timeout`, `deadline`, `retries`, `retry_backoff`, `retry_max_wait`,
        `max_response_bytes`, `rate_limit`; `headers` are added), sharing this one's connection pool.

        `hilos.with_options(timeout=5.0).flows.list_flow_executions()`: the copy's client is
        `client.with_options(...)` (see Client); closing the copy leaves the connections open, closing this
        one closes them. This one is not changed.
        """
        return type(self)(client=self._client.with_options(**options))

    @property
    def client(self) -> AuthenticatedClient:
        """The AuthenticatedClient underneath, for the module functions (`hilos_client.api.<tag>.<operation>`)."""
        return self._client

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r})"


class ResourceClient(_ResourceClient[httpx.Client]):
    """Base of the generated `Hilos`: a blocking client whose attributes are the API's tags."""

    _http_kind = httpx.Client

    def close(self) -> None:
        """Close the connections this client opened (also done by leaving a `with` block); your own httpx
        client (http_client=) and the pool of the client a with_options() copy came from stay open."""
        self._client.__exit__(None, None, None)

    def __enter__(self) -> Self:
        self._client.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._client.__exit__(exc_type, exc, traceback)


class AsyncResourceClient(_ResourceClient[httpx.AsyncClient]):
    """Base of the generated `AsyncHilos`: an asyncio client whose attributes are the API's tags."""

    _http_kind = httpx.AsyncClient

    async def aclose(self) -> None:
        """Close the connections this client opened (also done by leaving an `async with` block); see close()."""
        await self._client.__aexit__(None, None, None)

    async def __aenter__(self) -> Self:
        await self._client.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self._client.__aexit__(exc_type, exc, traceback)


__all__ = ["AsyncResourceClient", "ClientOptions", "CopyOptions", "Resource", "ResourceClient", "tag_namespace"]
