"""pytest-recording wiring for the contract cassettes: one cassette per case, named after the case."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.recording import CASSETTE_DIR, VCR_CONFIG, register_matchers


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTE_DIR)


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    name: str = request.node.callspec.params["case"].name
    return name


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return dict(VCR_CONFIG)


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    register_matchers(vcr)
