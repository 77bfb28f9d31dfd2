"""`make publish` against a real index on 127.0.0.1, then a user's install from that index alone.

One pypiserver (uploads need a login; overwrites allowed, so only the publisher's own check can stop a
second upload of a version) and one publish for the package (tests/publish/conftest.py). The index also serves
the runtime dependencies' wheels from .venv/wheelhouse (`make wheelhouse`), so the fresh virtualenv installs
with no other source.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name, parse_wheel_filename

from pipeline.releasing.publish import release_files
from pipeline.releasing.version import client_version
from tests.publish.conftest import WHEELHOUSE, Run, base_env, fresh_venv, pip, refusal, run_publish, url_env
from tests.support.fake_hilos import TOKEN, FakeHilosServer, make_contacts
from tests.support.package_index import UPLOADER, UPLOADER_PASSWORD, LocalPackageIndex
from tests.support.repo_snapshot import commit_all, snapshot_repo

CALL_THE_API = """
import json, sys
import hilos_client
from importlib.metadata import version
from hilos_client import AuthenticatedClient
from hilos_client.api.flows import list_flow_execution_contacts

base_url, token = sys.argv[1], sys.argv[2]
with AuthenticatedClient(base_url=base_url, token=token) as client:
    page = list_flow_execution_contacts.sync(client=client)
print(json.dumps({
    "module": hilos_client.__file__,
    "version": version("hilos-client"),
    "__version__": hilos_client.__version__,
    "count": page.count,
    "phones": [result.contact.phone for result in page.results],
}))
"""


@pytest.fixture(scope="module")
def user_venv(tmp_path_factory: pytest.TempPathFactory, index: LocalPackageIndex, published: Run) -> Path:
    """A fresh virtualenv with hilos-client installed from the local index and nothing else."""
    return fresh_venv(tmp_path_factory.mktemp("user") / "venv", index)


def test_publish_uploads_the_wheel_and_sdist_of_the_current_version(published: Run, index: LocalPackageIndex) -> None:
    version = client_version()
    assert sorted(release_files(list(index.files()), version)) == [
        f"hilos_client-{version}-py3-none-any.whl",
        f"hilos_client-{version}.tar.gz",
    ]
    assert f"publish: published hilos-client {version}" in published.stdout


def test_fresh_virtualenv_installs_from_the_index_and_calls_the_api(user_venv: Path, tmp_path: Path) -> None:
    with FakeHilosServer(make_contacts(2)) as api:
        call = subprocess.run(
            [user_venv / "bin" / "python", "-c", CALL_THE_API, api.base_url, TOKEN],
            cwd=tmp_path,  # nowhere near the source tree, so only the installed package can be imported
            env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert call.returncode == 0, call.stderr
        answer = json.loads(call.stdout)
        (request,) = api.requests
    assert Path(answer["module"]).is_relative_to(user_venv)
    assert answer["version"] == answer["__version__"] == client_version()
    assert answer["count"] == 2
    assert answer["phones"] == [contact["contact"]["phone"] for contact in make_contacts(2)]
    assert request.headers["Authorization"] == f"Token {TOKEN}"


def test_fresh_virtualenv_holds_only_hilos_client_and_its_runtime_dependencies(user_venv: Path) -> None:
    listed = pip(user_venv, "list", "--format=json")
    assert listed.returncode == 0, listed.stderr
    installed = {canonicalize_name(entry["name"]) for entry in json.loads(listed.stdout)}
    runtime = {parse_wheel_filename(wheel.name)[0] for wheel in WHEELHOUSE.glob("*.whl")}
    assert installed == runtime | {"hilos-client"}


def test_publishing_the_same_version_again_is_refused_before_upload(
    published: Run, index: LocalPackageIndex, home: Path, tmp_path: Path
) -> None:
    before = index.files()
    again = run_publish(snapshot_repo(tmp_path / "repo"), url_env(home, index))
    version = re.escape(client_version())
    assert re.fullmatch(
        rf"publish: REFUSED: hilos-client {version} is already on {re.escape(index.upload_url)} \(.*\); "
        r"bump client-revision in pyproject.toml and add a CHANGELOG.md entry",
        refusal(again),
    )
    assert index.files() == before


def test_publish_to_a_pypirc_repository_uploads_there_and_then_refuses_the_same_version(
    index: LocalPackageIndex, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".pypirc").write_text(
        f"[distutils]\nindex-servers = internal\n\n[internal]\nrepository = {index.upload_url}\n"
        f"username = {UPLOADER}\npassword = {UPLOADER_PASSWORD}\n",
        encoding="utf-8",
    )
    env = {**base_env(home), "HILOS_INDEX_REPOSITORY": "internal"}
    repo = snapshot_repo(tmp_path / "repo")
    version = bump_revision(repo, 97)
    first = run_publish(repo, env)
    assert first.returncode == 0, f"{first.stdout}\n{first.stderr}"
    assert len(release_files(list(index.files()), version)) == 2
    assert f"hilos-client {version} is already on {index.upload_url} " in refusal(run_publish(repo, env))


def test_publish_refuses_a_dirty_working_tree(index: LocalPackageIndex, home: Path, tmp_path: Path) -> None:
    repo = snapshot_repo(tmp_path / "repo")
    (repo / "notes.txt").write_text("not committed\n", encoding="utf-8")
    run = run_publish(repo, url_env(home, index))
    assert refusal(run).startswith("publish: REFUSED: the working tree is not clean (1 uncommitted or untracked")
    assert "?? notes.txt" in refusal(run)


def bump_revision(repo: Path, revision: int) -> str:
    """Give the snapshot a version the index cannot have yet, with its CHANGELOG entry; return it."""
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(re.sub(r"client-revision = \d+", f"client-revision = {revision}", pyproject.read_text()))
    version = client_version(repo)
    changelog = repo / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("## ", f"## {version}\n\n- test release\n\n## ", 1))
    commit_all(repo, f"release {version}")
    return version


def test_upload_without_the_right_password_is_rejected_by_the_index(
    index: LocalPackageIndex, home: Path, tmp_path: Path
) -> None:
    repo = snapshot_repo(tmp_path / "repo")
    version = bump_revision(repo, 98)
    run = run_publish(repo, {**url_env(home, index), "TWINE_PASSWORD": "wrong"})
    failures = [line for line in run.stderr.splitlines() if line.startswith("publish: FAILED: ")]
    assert run.returncode != 0
    assert failures == [f"publish: FAILED: twine upload to {index.upload_url} exited 1 (its output is above)"]
    assert "403 Forbidden" in run.stdout + run.stderr
    assert not [name for name in index.files() if version in name]


def test_publish_refuses_a_stale_generated_package(index: LocalPackageIndex, home: Path, tmp_path: Path) -> None:
    repo = snapshot_repo(tmp_path / "repo")
    bump_revision(repo, 99)  # a new version, so the refusal cannot come from the version check
    hand_edit = repo / "generated" / "hilos_client" / "client.py"
    hand_edit.write_text(hand_edit.read_text() + "# edited by hand\n")
    commit_all(repo, "hand edit under generated/")
    files_before = index.files()
    run = run_publish(repo, url_env(home, index))
    assert refusal(run).startswith(
        "publish: REFUSED: generated/ is not what openapi.json + patches/ produce (differs: hilos_client/client.py;"
    )
    assert index.files() == files_before


def test_publish_with_no_index_configured_says_what_to_set(home: Path, tmp_path: Path) -> None:
    run = run_publish(snapshot_repo(tmp_path / "repo"), base_env(home))
    assert refusal(run) == (
        "publish: REFUSED: no index configured: set HILOS_INDEX_URL (with TWINE_USERNAME and TWINE_PASSWORD) "
        "or HILOS_INDEX_REPOSITORY (a section of ~/.pypirc)"
    )


def test_publish_refuses_a_build_that_lacks_a_runtime_dependency(
    index: LocalPackageIndex, home: Path, tmp_path: Path
) -> None:
    repo = snapshot_repo(tmp_path / "repo")
    pyproject = repo / "pyproject.toml"
    without_attrs = re.sub(r'^\s*"attrs[^"]*",\n', "", pyproject.read_text(), flags=re.MULTILINE)
    assert without_attrs != pyproject.read_text()
    pyproject.write_text(without_attrs)
    version = bump_revision(repo, 96)
    run = run_publish(repo, url_env(home, index))
    assert refusal(run) == (
        "publish: REFUSED: the fresh build of dist/ is not fit to publish (details above; make build shows the same)"
    )
    assert re.search(r"deptry DEP00[13]: 'attrs' imported but .*: add it to pyproject.toml dependencies", run.stderr)
    assert not [name for name in index.files() if version in name]
