"""`make publish`'s checks, one by one (the whole command runs end to end in tests/publish/)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.releasing.publish import (
    Index,
    Refusal,
    files_on_index,
    index_from_env,
    release_files,
    require_changelog_entry,
    require_clean_tree,
    require_new_version,
)
from tests.support.fake_hilos import FakeHilosServer, Fault, RecordedRequest
from tests.support.repo_snapshot import commit_all, git

CREDENTIALS = {"TWINE_USERNAME": "bot", "TWINE_PASSWORD": "secret-not-real"}
PEP503_PAGE = """<!DOCTYPE html><html><body><h1>Links for hilos-client</h1>
<a href="../../packages/hilos_client-1.0.0.0-py3-none-any.whl#sha256=ab12">hilos_client-1.0.0.0-py3-none-any.whl</a>
<a href="/files/hilos_client-1.0.0.0.tar.gz">hilos_client-1.0.0.0.tar.gz</a>
<a href="https://files.example/hilos%5Fclient-1.0.0.1.tar.gz#md5=00">hilos_client-1.0.0.1.tar.gz</a>
</body></html>"""


def pypirc(tmp_path: Path, body: str) -> Path:
    path = tmp_path / ".pypirc"
    path.write_text(body, encoding="utf-8")
    return path


# -- which index ---------------------------------------------------------------------------------------


def test_index_url_with_credentials_uploads_there_and_reads_its_simple_page(tmp_path: Path) -> None:
    index = index_from_env({"HILOS_INDEX_URL": "https://pypi.internal.example/", **CREDENTIALS}, tmp_path / "none")
    assert index == Index(
        upload_url="https://pypi.internal.example/",
        simple_url="https://pypi.internal.example/simple/",
        twine_args=("--repository-url", "https://pypi.internal.example/"),
        auth=("bot", "secret-not-real"),
    )
    assert index.project_url == "https://pypi.internal.example/simple/hilos-client/"


def test_explicit_simple_url_wins_for_indexes_that_put_it_elsewhere(tmp_path: Path) -> None:
    env = {
        "HILOS_INDEX_URL": "https://devpi.example/team/prod/",
        "HILOS_INDEX_SIMPLE_URL": "https://devpi.example/team/prod/+simple",
        **CREDENTIALS,
    }
    assert index_from_env(env, tmp_path).project_url == "https://devpi.example/team/prod/+simple/hilos-client/"


def test_pypirc_repository_gives_url_and_credentials_and_env_credentials_win(tmp_path: Path) -> None:
    config = pypirc(
        tmp_path, "[internal]\nrepository = https://nexus.example/repository/py/\nusername = u\npassword = p\n"
    )
    index = index_from_env({"HILOS_INDEX_REPOSITORY": "internal"}, config)
    assert index.upload_url == "https://nexus.example/repository/py/"
    assert index.twine_args == ("--repository", "internal", "--config-file", str(config))
    assert index.auth == ("u", "p")
    assert index_from_env({"HILOS_INDEX_REPOSITORY": "internal", **CREDENTIALS}, config).auth == (
        "bot",
        "secret-not-real",
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "no index configured: set HILOS_INDEX_URL"),
        ({"HILOS_INDEX_URL": "https://a.example/", "HILOS_INDEX_REPOSITORY": "x"}, "both HILOS_INDEX_URL and"),
        ({"HILOS_INDEX_URL": "https://a.example/"}, "TWINE_USERNAME and TWINE_PASSWORD are not; set both"),
        ({"HILOS_INDEX_URL": "https://upload.pypi.org/legacy/", **CREDENTIALS}, "is public PyPI"),
        ({"HILOS_INDEX_URL": "ftp://a.example/", **CREDENTIALS}, "is not an http(s) URL"),
        ({"HILOS_INDEX_REPOSITORY": "missing"}, "has no [missing] with a repository URL"),
    ],
)
def test_index_configuration_mistakes_are_refused(env: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(Refusal) as refused:
        index_from_env(env, pypirc(tmp_path, "[internal]\nrepository = https://a.example/\n"))
    assert message in str(refused.value)


# -- what the index already has ------------------------------------------------------------------------


def index_at(server: FakeHilosServer, auth: tuple[str, str] | None = ("bot", "pw")) -> Index:
    return Index(server.origin + "/", server.origin + "/simple/", (), auth)


def test_pep503_html_page_file_names_come_from_the_links(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=200, body=PEP503_PAGE, content_type="text/html")
    assert files_on_index(index_at(fake_api)) == [
        "hilos_client-1.0.0.0-py3-none-any.whl",
        "hilos_client-1.0.0.0.tar.gz",
        "hilos_client-1.0.0.1.tar.gz",
    ]


def test_pep691_json_page_file_names(fake_api: FakeHilosServer) -> None:
    body = '{"meta": {"api-version": "1.0"}, "name": "hilos-client", "files": [{"filename": "hilos_client-2.0.0.0.tar.gz", "url": "x", "hashes": {}}]}'
    fake_api.handler = lambda request: Fault(status=200, body=body, content_type="application/vnd.pypi.simple.v1+json")
    assert files_on_index(index_at(fake_api)) == ["hilos_client-2.0.0.0.tar.gz"]


def test_release_files_match_the_exact_version_of_this_project_only() -> None:
    names = [
        "hilos_client-1.0.0.1-py3-none-any.whl",
        "hilos_client-1.0.0.10.tar.gz",
        "hilos-client-1.0.0.1.tar.gz",
        "other_project-1.0.0.1.tar.gz",
        "index.html",
    ]
    assert release_files(names, "1.0.0.1") == ["hilos_client-1.0.0.1-py3-none-any.whl", "hilos-client-1.0.0.1.tar.gz"]
    assert release_files(names, "1.0.0.2") == []


def test_index_page_is_read_with_the_credentials(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=200, body=PEP503_PAGE, content_type="text/html")
    assert len(files_on_index(index_at(fake_api))) == 3
    (request,) = fake_api.requests
    assert request.path == "/simple/hilos-client/"
    assert request.headers["Authorization"] == "Basic Ym90OnB3"


def test_project_unknown_to_the_index_has_no_files(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=404, body="Not Found")
    assert files_on_index(index_at(fake_api)) == []


def test_unreadable_index_page_is_a_refusal_not_a_guess(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=401, body="Unauthorized")
    with pytest.raises(Refusal, match=r"HTTP 401 \(set credentials that may read the index\)"):
        files_on_index(index_at(fake_api))


def test_same_origin_redirect_is_followed_with_credentials(fake_api: FakeHilosServer) -> None:
    def handler(request: RecordedRequest) -> Fault:
        if request.path == "/simple/hilos-client/":
            return Fault(status=301, headers={"Location": "/packages/simple/hilos-client/"})
        return Fault(status=200, body=PEP503_PAGE, content_type="text/html")

    fake_api.handler = handler
    assert len(files_on_index(index_at(fake_api))) == 3
    assert [r.headers.get("Authorization") for r in fake_api.requests] == ["Basic Ym90OnB3"] * 2


def test_credentials_never_follow_a_redirect_to_another_origin(fake_api: FakeHilosServer) -> None:
    with FakeHilosServer() as elsewhere:
        fake_api.handler = lambda request: Fault(status=303, headers={"Location": elsewhere.origin + "/simple/x/"})
        assert files_on_index(index_at(fake_api)) == []
        assert elsewhere.requests == []


def test_existing_version_is_refused_with_the_files_found(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=200, body=PEP503_PAGE, content_type="text/html")
    with pytest.raises(Refusal) as refused:
        require_new_version(index_at(fake_api), "1.0.0.0")
    assert str(refused.value) == (
        f"hilos-client 1.0.0.0 is already on {fake_api.origin}/ "
        "(hilos_client-1.0.0.0-py3-none-any.whl, hilos_client-1.0.0.0.tar.gz); "
        "bump client-revision in pyproject.toml and add a CHANGELOG.md entry"
    )
    require_new_version(index_at(fake_api), "1.0.0.2")


# -- the tree -----------------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    (tmp_path / "README.md").write_text("x\n")
    commit_all(tmp_path, "first")
    return tmp_path


def test_clean_tree_passes(repo: Path) -> None:
    require_clean_tree(repo)


def test_untracked_file_makes_the_tree_dirty(repo: Path) -> None:
    (repo / "deep" / "new.txt").parent.mkdir()
    (repo / "deep" / "new.txt").write_text("x\n")
    with pytest.raises(Refusal, match=r"not clean \(1 uncommitted or untracked path\(s\), first: \?\? deep/new.txt\)"):
        require_clean_tree(repo)


def test_staged_change_makes_the_tree_dirty(repo: Path) -> None:
    (repo / "README.md").write_text("changed\n")
    git(repo, "add", "README.md")
    with pytest.raises(Refusal, match="first: M  README.md"):
        require_clean_tree(repo)


def test_changelog_entry_must_name_the_exact_version(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## 1.0.0.10\n\n- x\n\n## 1.0.0.0 (2026-11-28)\n")
    require_changelog_entry(tmp_path, "1.0.0.0")
    with pytest.raises(Refusal, match=r"CHANGELOG.md has no '## 1.0.0.1' entry"):
        require_changelog_entry(tmp_path, "1.0.0.1")
