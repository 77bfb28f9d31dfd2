"""patches/runtime/sending.py in place: the per-httpx-client join of operation paths to the base URL."""

from __future__ import annotations

import httpx
import pytest

from patches.runtime import sending

# Paths as the endpoint modules give them (parameters already percent-encoded), and ones httpx must encode or
# reads in its own way (a lone "%", dot segments, a leading "//").
PATHS = (
    "/things",
    "/things/a%2Fb",
    "/things/%C3%A9/run;v=1",
    "/caf\u00e9/x y",
    "/things?kind=a",
    "/a%zz",
    "/a/./b/../c",
    "//elsewhere/x",
)
BASE_URLS = ("http://127.0.0.1:8765", "https://acme.example/api/3", "https://acme.example/api%203/x/")


@pytest.mark.parametrize("base_url", BASE_URLS)
@pytest.mark.parametrize("path", PATHS)
def test_the_join_is_httpxs_merge_on_first_use_and_from_the_cache(base_url: str, path: str) -> None:
    with httpx.Client(base_url=base_url) as http:
        merged = http.build_request("GET", path).url
        assert sending._absolute_url(http, path, http.base_url) == merged  # noqa: SLF001
        assert sending._absolute_url(http, path, http.base_url) == merged  # noqa: SLF001


def test_paths_seen_once_do_not_accumulate_and_stay_right() -> None:
    with httpx.Client(base_url="https://acme.example/api/3") as http:
        for number in range(3 * sending._JOINED_URLS_KEPT):  # noqa: SLF001
            path = f"/things/{number}"
            assert sending._absolute_url(http, path, http.base_url) == http.build_request("GET", path).url  # noqa: SLF001
        assert len(sending._joins[http].urls) <= sending._JOINED_URLS_KEPT  # noqa: SLF001


def test_a_new_base_url_on_the_same_httpx_client_is_followed() -> None:
    with httpx.Client(base_url="https://acme.example/api/3") as http:
        assert str(sending._absolute_url(http, "/things", http.base_url)) == "https://acme.example/api/3/things"  # noqa: SLF001
        http.base_url = httpx.URL("http://[::1]:8765")
        assert str(sending._absolute_url(http, "/things", http.base_url)) == "http://[::1]:8765/things"  # noqa: SLF001


def test_a_base_url_with_a_query_is_left_to_httpx() -> None:
    with httpx.Client(base_url="https://acme.example/api?x=1") as http:
        assert sending._absolute_url(http, "/things", http.base_url) == "/things"  # noqa: SLF001


def test_the_join_is_to_the_base_given_whatever_the_httpx_clients_and_a_joined_url_stays() -> None:
    base = httpx.URL("https://acme.example/api/3/")
    with httpx.Client() as http:  # a caller's httpx client without a base_url: the client's own is given
        joined = sending._absolute_url(http, "/things", base)  # noqa: SLF001
        assert str(joined) == "https://acme.example/api/3/things"
        other = httpx.URL("https://other.example/")
        assert str(sending._absolute_url(http, "/things", other)) == "https://other.example/things"  # noqa: SLF001
        assert sending._absolute_url(http, joined, other) is joined  # noqa: SLF001
