"""Log output on demand, without code: HILOS_LOG=debug (or info, warning) prints the package's log to stderr."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

ENV_LOG = "HILOS_LOG"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


class EnvLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The stderr handler HILOS_LOG adds; its class marks it, so it is never added twice."""


def log_from_env(logger: logging.Logger, environ: Mapping[str, str] | None = None) -> None:
    """Send `logger`'s records at HILOS_LOG's level or above to stderr; nothing when HILOS_LOG is unset.

    Only this logger gets a handler (never the root logger, which belongs to the application), and an
    unknown level is reported on stderr once instead of raising at import time.
    """
    value = (os.environ if environ is None else environ).get(ENV_LOG, "").strip().lower()
    if not value:
        return
    level = _LEVELS.get(value)
    if level is None:
        print(f"{logger.name}: ignoring {ENV_LOG}={value!r} (use one of: {', '.join(_LEVELS)})", file=sys.stderr)
        return
    logger.setLevel(level)
    if not any(isinstance(handler, EnvLogHandler) for handler in logger.handlers):
        handler = EnvLogHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)


__all__ = ["ENV_LOG", "EnvLogHandler", "log_from_env"]
