"""A real package index on 127.0.0.1 for release tests: pypiserver, with uploads behind an htpasswd login.

Only loopback addresses are bound or contacted. The index never falls back to public PyPI, so whatever
pip installs from it came from its package directory.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]

UPLOADER = "release-bot"
UPLOADER_PASSWORD = "test-password-not-a-secret"
STARTUP_SECONDS = 20.0


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalPackageIndex:
    """pypiserver serving `packages_dir`; `overwrite=True` lets the server accept a re-upload of a file,
    so a test can prove that only the publisher's own check stands between a release and its overwrite."""

    def __init__(self, workdir: Path, *, overwrite: bool = False) -> None:
        self.packages_dir = workdir / "packages"
        self.packages_dir.mkdir(parents=True, exist_ok=True)
        self._htpasswd = workdir / "htpasswd"
        passwords = HtpasswdFile(str(self._htpasswd), new=True, default_scheme="apr_md5_crypt")
        passwords.set_password(UPLOADER, UPLOADER_PASSWORD)
        passwords.save()
        self._log_path = workdir / "pypiserver.log"
        self._overwrite = overwrite
        self._process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def upload_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def simple_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/simple/"

    def log(self) -> str:
        return self._log_path.read_text(encoding="utf-8", errors="replace") if self._log_path.exists() else ""

    def start(self) -> LocalPackageIndex:
        self.port = free_loopback_port()
        command = [
            sys.executable,
            "-m",
            "pypiserver",
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--authenticate",
            "update",
            "--passwords",
            str(self._htpasswd),
            "--disable-fallback",
            "--backend",
            "simple-dir",
            *(["--overwrite"] if self._overwrite else []),
            str(self.packages_dir),
        ]
        with self._log_path.open("wb") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"pypiserver exited with {self._process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=1.0, trust_env=False).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"pypiserver did not answer within {STARTUP_SECONDS} s:\n{self.log()}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)

    def __enter__(self) -> LocalPackageIndex:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def files(self) -> dict[str, bytes]:
        """What the index holds, by file name."""
        return {path.name: path.read_bytes() for path in sorted(self.packages_dir.iterdir()) if path.is_file()}
