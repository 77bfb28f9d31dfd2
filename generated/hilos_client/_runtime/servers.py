# Copied from patches/runtime/servers.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/servers.py, then run `make generate`.
"""The API's address: the spec's server URL template, and which base URLs the token may be sent to."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx
from attrs import field, frozen

from .errors import ConfigurationError, redact_url

ENV_ACCOUNT_NAME = "HILOS_ACCOUNT_NAME"
_DNS_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


@frozen
class ServerTemplate:
    """A server URL of the spec, with `{name}` variables and their defaults (the package's is in `_spec.py`)."""

    url_template: str
    variable_defaults: Mapping[str, str] = field(factory=dict)

    @property
    def account_variable(self) -> str | None:
        """The variable that holds the account name: the first one, if any."""
        return next(iter(self.variable_defaults), None)

    def url(self, **variables: str) -> str:
        """The URL with its `{...}` variables filled (unnamed ones keep the spec's default)."""
        url = self.url_template
        for name, default in self.variable_defaults.items():
            url = url.replace("{" + name + "}", variables.get(name, default))
        return url

    def base_url_for_account(self, account_name: str) -> str:
        """The API base URL of an account (the server URL with the account name filled in)."""
        if self.account_variable is None:
            raise ConfigurationError(f"the API's server URL {self.url_template!r} has no account part to fill")
        if not _DNS_LABEL.fullmatch(account_name):
            raise ConfigurationError(
                f"account name {account_name!r} is not a valid host name label (letters, digits and '-' only)"
            )
        return self.url(**{self.account_variable: account_name})

    def is_example(self, base_url: str) -> bool:
        """Whether `base_url` is the documentation's example address (the template with its defaults)."""
        return bool(self.variable_defaults) and base_url.rstrip("/").lower() == self.url().rstrip("/").lower()


def check_base_url(base_url: str, *, server: ServerTemplate, allow_insecure_http: bool = False) -> None:
    """Raise ConfigurationError unless `base_url` is a real API address the token may be sent to."""
    if not isinstance(base_url, str):
        raise ConfigurationError(f"base_url must be a string, not {type(base_url).__name__}")
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in base_url):
        raise ConfigurationError("base_url holds whitespace or a control character; remove it (and any newline)")
    if "{" in base_url or "}" in base_url:
        raise ConfigurationError(
            f"base_url {base_url!r} still holds a placeholder in braces; use your account's URL, "
            f"for example {ENV_ACCOUNT_NAME} with AuthenticatedClient.from_env()"
        )
    if server.is_example(base_url):
        raise ConfigurationError(
            f"base_url {base_url!r} is the API documentation's example address, not an account's; "
            "put your account name in its place"
        )
    bad_port = ConfigurationError("base_url has an invalid port (not a number from 1 to 65535)")
    try:
        parts = urlsplit(base_url)
        port = parts.port  # urlsplit checks the port only when asked
    except ValueError as exc:
        if "Port" in str(exc):
            raise bad_port from None
        raise ConfigurationError(f"base_url is not a usable URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"base_url {base_url!r} must be an absolute http(s) URL")
    if port == 0:
        raise bad_port
    if parts.query or parts.fragment or base_url.endswith(("?", "#")):
        # Every request path is appended to the base URL, so a query or fragment would end up in the middle.
        raise ConfigurationError(
            f"base_url {redact_url(base_url)!r} must not have a query (?...) or fragment (#...); "
            "pass query parameters to the operations instead"
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError("base_url must not hold credentials; pass the API key as `token`")
    try:
        # httpx parses the URL again to send requests (and the token's origin needs its host): what it
        # refuses must fail here, not at the first request. (No credentials or query are left to show.)
        httpx.URL(base_url).host  # noqa: B018
    except (httpx.InvalidURL, UnicodeError) as exc:  # idna's errors are UnicodeErrors
        raise ConfigurationError(f"base_url {base_url!r} is not a usable URL: {exc}") from None
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"base_url {redact_url(base_url)!r} uses plain http:// to a remote host, which would send the "
            "token unencrypted; use https://, or pass allow_insecure_http=True if you really mean it"
        )


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine (localhost or a loopback address)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


__all__ = ["ENV_ACCOUNT_NAME", "ServerTemplate", "check_base_url", "is_loopback"]
