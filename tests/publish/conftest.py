"""What the publish tests share: one local index on 127.0.0.1 and one `make publish` into it for the package.

The index serves the runtime dependencies' wheels from .venv/wheelhouse (`make wheelhouse`), so a fresh
virtualenv installs hilos-client from it with no other source. `readme_app/` is not collected here: it is
the app tests/publish/test_readme_app.py copies out of the source tree and runs in a fresh virtualenv.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.project import ROOT
from pipeline.releasing.version import client_version
from tests.support.package_index import UPLOADER, UPLOADER_PASSWORD, LocalPackageIndex
from tests.support.repo_snapshot import snapshot_repo

collect_ignore = ["readme_app"]

WHEELHOUSE = ROOT / ".venv" / "wheelhouse"


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_publish(repo: Path, env: dict[str, str]) -> Run:
    result = subprocess.run(
        ["make", "--no-print-directory", "publish"], cwd=repo, env=env, capture_output=True, text=True
    )
    return Run(result.returncode, result.stdout, result.stderr)


def refusal(run: Run) -> str:
    lines = [line for line in run.stderr.splitlines() if line.startswith("publish: REFUSED: ")]
    assert run.returncode != 0 and len(lines) == 1, f"expected one refusal line:\n{run.stdout}\n{run.stderr}"
    return lines[0]


def base_env(home: Path) -> dict[str, str]:
    """The caller's environment without any index settings, with a HOME that has no ~/.pypirc."""
    # Proxy settings go too: every request here is for 127.0.0.1 and must reach it directly.
    dropped = ("HILOS_INDEX_", "TWINE_", "PIP_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(dropped)}
    env["HOME"] = str(home)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # twine must not reach for a desktop keyring
    return env


def url_env(home: Path, index: LocalPackageIndex) -> dict[str, str]:
    return {
        **base_env(home),
        "HILOS_INDEX_URL": index.upload_url,
        "TWINE_USERNAME": UPLOADER,
        "TWINE_PASSWORD": UPLOADER_PASSWORD,
    }


@pytest.fixture(scope="package")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="package")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPackageIndex]:
    wheels = sorted(WHEELHOUSE.glob("*.whl"))
    if not wheels:
        pytest.fail(f"{WHEELHOUSE} has no wheels: run `make wheelhouse` (tests do not use the network)")
    with LocalPackageIndex(tmp_path_factory.mktemp("index"), overwrite=True) as server:
        for wheel in wheels:
            (server.packages_dir / wheel.name).write_bytes(wheel.read_bytes())
        yield server


@pytest.fixture(scope="package")
def published(tmp_path_factory: pytest.TempPathFactory, index: LocalPackageIndex, home: Path) -> Run:
    repo = snapshot_repo(tmp_path_factory.mktemp("release") / "repo")
    run = run_publish(repo, url_env(home, index))
    assert run.returncode == 0, f"make publish failed:\n{run.stdout}\n{run.stderr}\n{index.log()}"
    return run


# pip runs from .venv (pinned in tools.txt) and targets the fresh virtualenv with --python, which keeps the
# virtualenv empty but for what the install brings and spares the slow ensurepip bootstrap. No machine or
# user pip settings apply: no other index, no find-links, no cache.
ISOLATED_PIP_ENV = {
    "PIP_CONFIG_FILE": os.devnull,
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_INPUT": "1",
}


def pip(venv_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv_dir / "bin" / "python"), *args],
        env={"PATH": os.environ["PATH"], "HOME": str(venv_dir.parent), **ISOLATED_PIP_ENV},
        capture_output=True,
        text=True,
    )


def fresh_venv(where: Path, index: LocalPackageIndex, *also: str) -> Path:
    """A new virtualenv at `where` with hilos-client (this version) from the local index, its dependencies,
    and `also` (more pip install arguments); nothing else."""
    venv.EnvBuilder(with_pip=False).create(where)
    install = pip(
        where, "install", "--no-cache-dir", "--index-url", index.simple_url, f"hilos-client=={client_version()}", *also
    )
    assert install.returncode == 0, f"pip install failed:\n{install.stdout}\n{install.stderr}\n{index.log()}"
    return where
