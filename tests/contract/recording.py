"""How contract cassettes are recorded, filtered, matched and read: one place for all of it.

The same VCR.py configuration serves `make record` (live API, record mode rewrite), the replay in the
contract tests (record mode none, strict matching) and tests/contract/synthesize.py, so a synthesized
cassette looks exactly like a filtered live recording.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

CASSETTE_DIR = Path(__file__).resolve().parent / "cassettes"
OPERATION_ID = "list_flow_execution_contacts"

# The credential in a recorded Authorization header is replaced by this; the scheme word before it is kept,
# so a cassette still shows `Authorization: Token ...` while holding no key.
FILTERED = "<filtered>"
# Allowlists, not blocklists: anything else (Cookie, Set-Cookie, tracing and session headers) is never written.
REQUEST_HEADERS_KEPT = frozenset({"authorization", "accept"})
RESPONSE_HEADERS_KEPT = frozenset({"content-type", "allow", "vary", "content-language"})
# Used by the client in replays; it never leaves the process (replays make no network calls).
REPLAY_TOKEN = "replay-token-not-a-secret"
TOKEN_ENV = "HILOS_API_TOKEN"
BASE_URL_ENV = "HILOS_BASE_URL"


def redact_credential(key: str, value: str, request: Any) -> str:
    scheme, _, credential = value.partition(" ")
    return f"{scheme} {FILTERED}" if credential else FILTERED


def keep_request_headers(request: Any) -> Any:
    for name in [n for n in request.headers if n.lower() not in REQUEST_HEADERS_KEPT]:
        del request.headers[name]
    return request


def keep_response_headers(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {k: v for k, v in response["headers"].items() if k.lower() in RESPONSE_HEADERS_KEPT}
    return response


def match_authorization(live: Any, recorded: Any) -> None:
    """Both requests have been through redact_credential, so this compares presence and scheme word."""
    sent, expected = live.headers.get("Authorization"), recorded.headers.get("Authorization")
    assert sent == expected, f"Authorization {sent!r} != recorded {expected!r}"


MATCH_ON = ("method", "scheme", "host", "port", "path", "query", "authorization")

# No record_mode here: pytest-recording lets this config override its --record-mode option. Replays use
# pytest-recording's default ("none"), or replay_vcr() below.
VCR_CONFIG: dict[str, Any] = {
    "match_on": MATCH_ON,
    "allow_playback_repeats": False,
    "filter_headers": [("Authorization", redact_credential)],
    "before_record_request": keep_request_headers,
    "before_record_response": keep_response_headers,
    "decode_compressed_response": True,
}


@dataclass(frozen=True)
class Exchange:
    """The one HTTP exchange a cassette holds, as recorded."""

    method: str
    uri: str
    request_headers: dict[str, list[str]]
    status: int
    response_headers: dict[str, list[str]]
    body_text: str

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.uri).query, keep_blank_values=True)

    @property
    def body(self) -> Any:
        return json.loads(self.body_text)

    def base_url(self, path: str) -> str:
        """The client's base_url at recording time: the URI without the operation path and query."""
        parts = urlsplit(self.uri)
        if not parts.path.endswith(path):
            raise ValueError(f"recorded URI {self.uri} is not for {path}")
        return f"{parts.scheme}://{parts.netloc}{parts.path[: -len(path)]}"


def cassette_path(case_name: str) -> Path:
    return CASSETTE_DIR / f"{case_name}.yaml"


def load_exchange(case_name: str) -> Exchange:
    path = cassette_path(case_name)
    return parse_exchange(path.read_text(encoding="utf-8"), str(path))


def parse_exchange(cassette_text: str, source: str) -> Exchange:
    document = yaml.safe_load(cassette_text)
    interactions = document["interactions"]
    if len(interactions) != 1:
        raise ValueError(f"{source} holds {len(interactions)} exchanges; a case records exactly one")
    request, response = interactions[0]["request"], interactions[0]["response"]
    return Exchange(
        method=request["method"].upper(),
        uri=request["uri"],
        request_headers=request["headers"],
        status=response["status"]["code"],
        response_headers=response["headers"],
        body_text=response["body"]["string"],
    )


def server_url_pattern(url_template: str) -> re.Pattern[str]:
    """A server URL template (`https://{youraccountname}.api-us1.com/api/3`) as a regex over base URLs."""
    parts = re.split(r"({[^}]+})", url_template)
    return re.compile("".join("[^/.]+" if p.startswith("{") else re.escape(p) for p in parts))


def register_matchers(vcr: Any) -> None:
    vcr.register_matcher("authorization", match_authorization)


def replay_vcr() -> Any:
    """A VCR.py instance for replaying cassettes outside pytest-recording (same config, same matchers)."""
    import vcr  # type: ignore[import-untyped]  # VCR.py ships no type information

    instance = vcr.VCR(cassette_library_dir=str(CASSETTE_DIR), record_mode="none")
    register_matchers(instance)
    return instance
