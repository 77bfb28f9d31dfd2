"""The installed distribution's version, for `hilos_client.__version__`."""

from __future__ import annotations

from importlib import metadata

UNKNOWN_VERSION = "0+unknown"
"""`__version__` of a package imported from a source tree rather than installed (a PEP 440 local version that
sorts below every release)."""


def installed_version(distribution: str) -> str:
    """The version pip installed, as `pip show` prints it; UNKNOWN_VERSION when the package is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return UNKNOWN_VERSION


__all__ = ["UNKNOWN_VERSION", "installed_version"]
