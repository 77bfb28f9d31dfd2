"""The README's Errors example, run as a user would run it (configured from the environment), catches each
error class it names against the loopback fake API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hilos_client import errors

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault

README = Path(__file__).resolve().parents[2] / "README.md"


def section_code(heading: str) -> str:
    section = README.read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"no python example under '## {heading}'"
    return match.group(1)


# The example as written, with only a shorter backoff and timeout so the retried cases stay fast.
ERRORS_EXAMPLE = section_code("Errors").replace("from_env()", "from_env(retry_backoff=0.001, timeout=0.2)")
RETRIED = 3  # a retried failure must be scripted for all three attempts

CASES = {
    "ok": ([], "ok: 0"),
    "AuthenticationError": ([Fault(status=401, body={"detail": "Invalid token."})], "AuthenticationError"),
    "NotFoundError": ([Fault(status=404, body={"detail": "Invalid page."})], "NotFoundError: Invalid page."),
    "RateLimitError": ([Fault(status=429, headers={"Retry-After": "0"})] * RETRIED, "RateLimitError"),
    "ServerError": ([Fault(status=503, body="busy")] * RETRIED, "ServerError: 503 after 3 attempts"),
    "ApiStatusError": ([Fault(status=400, body={"detail": "bad filter"})], "ApiStatusError: 400 bad filter"),
    "ResponseValidationError": (
        [Fault(status=200, body="<html/>", content_type="text/html")],
        "ResponseValidationError",
    ),
    "ApiTimeoutError": ([Fault(delay=0.5)] * RETRIED, "ApiTimeoutError"),
    "ApiConnectionError": ([Fault(reset=True)] * RETRIED, "ApiConnectionError"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_readme_errors_example_catches_each_error_class(
    case: str, fake_api: FakeHilosServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    faults, expected = CASES[case]
    fake_api.faults.extend(faults)
    monkeypatch.setenv("HILOS_API_TOKEN", TOKEN)
    monkeypatch.setenv("HILOS_BASE_URL", fake_api.base_url)
    exec(compile(ERRORS_EXAMPLE, str(README), "exec"), {})
    assert capsys.readouterr().out.startswith(expected)


def test_readme_errors_example_without_environment_raises_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HILOS_API_TOKEN", "HILOS_BASE_URL", "HILOS_ACCOUNT_NAME"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(errors.ConfigurationError, match="HILOS_API_TOKEN"):
        exec(compile(ERRORS_EXAMPLE, str(README), "exec"), {})
