"""Publish hilos-client to the internal package index; refuse anything but a clean, current, new release.

    python -m pipeline.releasing.publish        (`make publish`)

The index comes from the environment, one of:
  HILOS_INDEX_URL          its upload URL, with TWINE_USERNAME and TWINE_PASSWORD
  HILOS_INDEX_REPOSITORY   a repository section of ~/.pypirc (its `repository`, `username`, `password`)
  HILOS_INDEX_SIMPLE_URL   optional: the index's simple API root, when it is not <upload URL>/simple/

In order, each step either passes or stops the release with one line, `publish: REFUSED: ...`, and exit 1:
the index is configured; the working tree is clean (untracked files included); CHANGELOG.md has an entry
for the version; the version is not on the index yet (its simple page read with pypi-simple, not left to the
server's error); generated/ is what the pipeline makes (`make check`'s drift check); dist/ is rebuilt from this tree
and verified (pipeline/releasing/dist.py). Only then does twine upload dist/*.
"""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version
from pypi_simple import NoSuchProjectError, PyPISimple, UnsupportedContentTypeError, UnsupportedRepoVersionError

from pipeline.generating.check_drift import check_drift
from pipeline.project import DIST_NAME, GENERATED_DIR, ROOT
from pipeline.releasing.dist import DistError, build
from pipeline.releasing.version import VersionError, client_version

CHANGELOG = "CHANGELOG.md"
# The package is for the internal index only; an upload to public PyPI would be a leak, never a release.
PUBLIC_INDEX_HOSTS = frozenset({"pypi.org", "upload.pypi.org", "test.pypi.org", "pypi.python.org"})
MAX_REDIRECTS = 5


class Refusal(Exception):
    """A reason not to publish; its text is the one line the user sees."""


class UploadFailed(Exception):
    """Every check passed but the index did not take the upload (twine printed why)."""


@dataclass(frozen=True)
class Index:
    """Where to upload, how twine names it, and where to read what is already there."""

    upload_url: str
    simple_url: str
    twine_args: tuple[str, ...]
    auth: tuple[str, str] | None

    @property
    def project_url(self) -> str:
        return urljoin(self.simple_url.rstrip("/") + "/", f"{canonicalize_name(DIST_NAME)}/")


def index_from_env(env: Mapping[str, str], pypirc: Path) -> Index:
    url, repository = env.get("HILOS_INDEX_URL", "").strip(), env.get("HILOS_INDEX_REPOSITORY", "").strip()
    user, password = env.get("TWINE_USERNAME", ""), env.get("TWINE_PASSWORD", "")
    if url and repository:
        raise Refusal("both HILOS_INDEX_URL and HILOS_INDEX_REPOSITORY are set; set exactly one")
    twine_args: tuple[str, ...]
    if url:
        if not (user and password):
            raise Refusal("HILOS_INDEX_URL is set but TWINE_USERNAME and TWINE_PASSWORD are not; set both")
        upload_url, twine_args = url, ("--repository-url", url)
    elif repository:
        config = configparser.RawConfigParser()
        config.read(pypirc, encoding="utf-8")
        if not config.has_option(repository, "repository"):
            raise Refusal(
                f"HILOS_INDEX_REPOSITORY={repository}, but {pypirc} has no [{repository}] with a repository URL"
            )
        upload_url = config.get(repository, "repository")
        twine_args = ("--repository", repository, "--config-file", str(pypirc))
        user = user or config.get(repository, "username", fallback="")
        password = password or config.get(repository, "password", fallback="")
    else:
        raise Refusal(
            "no index configured: set HILOS_INDEX_URL (with TWINE_USERNAME and TWINE_PASSWORD) "
            "or HILOS_INDEX_REPOSITORY (a section of ~/.pypirc)"
        )
    parts = urlsplit(upload_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refusal(f"the index URL {upload_url!r} is not an http(s) URL")
    if parts.hostname in PUBLIC_INDEX_HOSTS:
        raise Refusal(f"{upload_url} is public PyPI; {DIST_NAME} is published to the internal index only")
    simple_url = env.get("HILOS_INDEX_SIMPLE_URL", "").strip() or upload_url.rstrip("/") + "/simple/"
    return Index(upload_url, simple_url, twine_args, (user, password) if user and password else None)


def require_clean_tree(root: Path) -> None:
    result = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise Refusal(f"cannot tell whether {root} is clean: git status failed: {result.stderr.strip()}")
    changes = result.stdout.splitlines()
    if changes:
        raise Refusal(
            f"the working tree is not clean ({len(changes)} uncommitted or untracked path(s), "
            f"first: {changes[0].strip()}); commit or remove them, a release is built from a commit"
        )


def require_changelog_entry(root: Path, version: str) -> None:
    text = (root / CHANGELOG).read_text(encoding="utf-8") if (root / CHANGELOG).exists() else ""
    if not re.search(rf"^## {re.escape(version)}(\s|$)", text, re.MULTILINE):
        raise Refusal(f"{CHANGELOG} has no '## {version}' entry; write what changed for users first")


def release_files(filenames: list[str], version: str) -> list[str]:
    """The files among `filenames` that belong to hilos-client `version`."""
    wanted, found = Version(version), []
    for name in filenames:
        try:
            if name.endswith(".whl"):
                project, file_version, _, _ = parse_wheel_filename(name)
            else:
                project, file_version = parse_sdist_filename(name)
        except (InvalidWheelFilename, InvalidSdistFilename):
            continue
        if project == canonicalize_name(DIST_NAME) and file_version == wanted:
            found.append(name)
    return found


class _LeftTheIndex(Exception):
    """The index redirected to another origin, where the index's credentials must not go."""


def _stop_at_another_origin(origin: tuple[str, str]) -> Callable[..., None]:
    def hook(response: requests.Response, *args: object, **kwargs: object) -> None:
        # requests runs response hooks before it follows a redirect, so raising here stops it being followed.
        if response.is_redirect and urlsplit(urljoin(response.url, response.headers["Location"]))[:2] != origin:
            response.close()
            raise _LeftTheIndex(response.url)

    return hook


def files_on_index(index: Index, timeout: float = 30.0) -> list[str]:
    """Every file name the index lists for hilos-client; empty if it has never seen the project."""
    url = index.project_url
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    # Redirects stay within the index's own origin, so credentials only ever go there.
    session.hooks["response"].append(_stop_at_another_origin(urlsplit(url)[:2]))
    with PyPISimple(index.simple_url, auth=index.auth, session=session) as repository:
        try:
            page = repository.get_project_page(DIST_NAME, timeout=timeout)
        except NoSuchProjectError:
            return []
        except _LeftTheIndex as left:
            # An index that sends unknown projects elsewhere (pypiserver's fallback) does not have it.
            print(f"publish: note: {left} redirects to another host, so the index has no {DIST_NAME} yet")
            return []
        except requests.TooManyRedirects as exc:
            raise Refusal(f"{url} redirects more than {MAX_REDIRECTS} times") from exc
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else "error"
            hint = " (set credentials that may read the index)" if status in (401, 403) else ""
            raise Refusal(f"cannot check {url} for an existing release: HTTP {status}{hint}") from exc
        except (requests.RequestException, UnsupportedContentTypeError, UnsupportedRepoVersionError) as exc:
            raise Refusal(f"cannot read {url} to check for an existing release: {exc}") from exc
    return [package.filename for package in page.packages]


def require_new_version(index: Index, version: str) -> None:
    existing = release_files(files_on_index(index), version)
    if existing:
        raise Refusal(
            f"{DIST_NAME} {version} is already on {index.upload_url} ({', '.join(sorted(existing))}); "
            "bump client-revision in pyproject.toml and add a CHANGELOG.md entry"
        )


def require_current_generated(root: Path) -> None:
    problems = check_drift(root / GENERATED_DIR)
    if problems:
        raise Refusal(
            f"generated/ is not what openapi.json + patches/ produce ({problems[0].strip()}; "
            f"{sum(1 for p in problems if not p.startswith('    '))} file(s) in all); run make generate and commit"
        )


def publish(root: Path, env: Mapping[str, str], pypirc: Path) -> str:
    """Run every check, build, upload; return the published version. Raises Refusal or UploadFailed."""
    index = index_from_env(env, pypirc)
    require_clean_tree(root)
    try:
        version = client_version(root)
    except VersionError as exc:
        raise Refusal(str(exc)) from exc
    require_changelog_entry(root, version)
    require_new_version(index, version)
    print(f"publish: {DIST_NAME} {version} is new on {index.upload_url}; working tree clean; changelog entry found")
    require_current_generated(root)
    print("publish: generated/ is exactly what the pipeline produces")
    try:
        artifacts = build(root / "dist", root)
    except DistError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        raise Refusal(
            "the fresh build of dist/ is not fit to publish (details above; make build shows the same)"
        ) from exc
    print(f"publish: rebuilt and verified {', '.join(p.name for p in artifacts.files)}")
    twine = Path(sys.executable).parent / "twine"
    command = [str(twine), "upload", "--non-interactive", "--disable-progress-bar", *index.twine_args]
    # twine's own repository variables would override the index chosen above.
    twine_env = {k: v for k, v in env.items() if k not in ("TWINE_REPOSITORY", "TWINE_REPOSITORY_URL")}
    result = subprocess.run([*command, *map(str, artifacts.files)], cwd=root, env=twine_env)
    if result.returncode != 0:
        raise UploadFailed(f"twine upload to {index.upload_url} exited {result.returncode} (its output is above)")
    return version


def main() -> int:
    try:
        version = publish(ROOT, os.environ, Path.home() / ".pypirc")
    except Refusal as exc:
        print(f"publish: REFUSED: {exc}", file=sys.stderr)
        return 1
    except UploadFailed as exc:
        print(f"publish: FAILED: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # anything unforeseen (no git, a generator crash) still ends in one readable line
        print(f"publish: FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    tag = f"v{version}"
    print(
        f"publish: published {DIST_NAME} {version}. Tag it: git tag -a {tag} -m '{DIST_NAME} {version}' && git push origin {tag}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
