"""AuthenticatedClient.from_env(): HILOS_API_TOKEN plus HILOS_BASE_URL or HILOS_ACCOUNT_NAME."""

from __future__ import annotations

import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts

from tests.support.fake_hilos import TOKEN, FakeHilosServer, make_contacts


def test_from_env_reads_token_and_base_url(fake_api: FakeHilosServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_api.contacts = make_contacts(2)
    monkeypatch.setenv("HILOS_API_TOKEN", TOKEN)
    monkeypatch.setenv("HILOS_BASE_URL", fake_api.base_url)
    monkeypatch.delenv("HILOS_ACCOUNT_NAME", raising=False)
    with AuthenticatedClient.from_env() as client:
        assert list_contacts.sync(client=client).count == 2
    assert fake_api.requests[0].headers["Authorization"] == f"Token {TOKEN}"


def test_from_env_builds_the_url_from_the_account_name() -> None:
    client = AuthenticatedClient.from_env(environ={"HILOS_API_TOKEN": TOKEN, "HILOS_ACCOUNT_NAME": "acme"})
    assert client.base_url == "https://acme.api-us1.com/api/3"
    assert client.token == TOKEN


def test_base_url_wins_over_account_name() -> None:
    environ = {"HILOS_API_TOKEN": TOKEN, "HILOS_BASE_URL": "https://b.example/api/3", "HILOS_ACCOUNT_NAME": "acme"}
    assert AuthenticatedClient.from_env(environ=environ).base_url == "https://b.example/api/3"


def test_from_env_passes_other_options_on() -> None:
    environ = {"HILOS_API_TOKEN": TOKEN, "HILOS_ACCOUNT_NAME": "acme"}
    assert AuthenticatedClient.from_env(environ=environ, retries=0).retries == 0


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"HILOS_BASE_URL": "https://acme.api-us1.com/api/3"}, ["HILOS_API_TOKEN"]),
        ({"HILOS_API_TOKEN": " ", "HILOS_ACCOUNT_NAME": "acme"}, ["HILOS_API_TOKEN"]),
        ({"HILOS_API_TOKEN": TOKEN}, ["HILOS_BASE_URL", "HILOS_ACCOUNT_NAME"]),
        ({"HILOS_API_TOKEN": TOKEN, "HILOS_ACCOUNT_NAME": "evil.example/x?"}, ["HILOS_ACCOUNT_NAME"]),
        ({"HILOS_API_TOKEN": TOKEN, "HILOS_BASE_URL": "http://api.example/api/3"}, ["HILOS_BASE_URL"]),
        ({"HILOS_API_TOKEN": TOKEN, "HILOS_ACCOUNT_NAME": "youraccountname"}, ["HILOS_ACCOUNT_NAME"]),
    ],
    ids=["no-token", "blank-token", "no-url", "account-name-not-a-label", "remote-http", "placeholder-account"],
)
def test_missing_or_wrong_variable_is_named_in_the_error(environ: dict[str, str], named: list[str]) -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        AuthenticatedClient.from_env(environ=environ)
    for name in named:
        assert name in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert isinstance(caught.value, ValueError)


ACME = {"HILOS_API_TOKEN": TOKEN, "HILOS_ACCOUNT_NAME": "acme"}


@pytest.mark.parametrize(
    ("variables", "settings"),
    [
        ({"HILOS_TIMEOUT": "2.5", "HILOS_DEADLINE": "30", "HILOS_RETRIES": "0"}, (2.5, 30.0, 0)),
        ({"HILOS_TIMEOUT": "none", "HILOS_DEADLINE": " NONE ", "HILOS_RETRIES": " 5 "}, (None, None, 5)),
    ],
    ids=["numbers", "none-and-spaces"],
)
def test_from_env_reads_timeout_deadline_and_retries(variables: dict[str, str], settings: tuple[object, ...]) -> None:
    client = AuthenticatedClient.from_env(environ=ACME | variables)
    assert (client.timeout, client.deadline, client.retries) == settings


def test_keyword_arguments_win_over_the_timeout_deadline_and_retries_variables() -> None:
    variables = {"HILOS_TIMEOUT": "2.5", "HILOS_DEADLINE": "30", "HILOS_RETRIES": "0"}
    client = AuthenticatedClient.from_env(environ=ACME | variables, timeout=1.0, deadline=None, retries=3)
    assert (client.timeout, client.deadline, client.retries) == (1.0, None, 3)


def test_empty_timeout_deadline_and_retries_variables_leave_the_defaults() -> None:
    client = AuthenticatedClient.from_env(
        environ=ACME | {"HILOS_TIMEOUT": "", "HILOS_DEADLINE": " ", "HILOS_RETRIES": ""}
    )
    default = AuthenticatedClient(base_url="https://acme.api-us1.com/api/3", token=TOKEN)
    assert (client.timeout, client.deadline, client.retries) == (default.timeout, default.deadline, default.retries)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HILOS_TIMEOUT", "0"),
        ("HILOS_TIMEOUT", "-1"),
        ("HILOS_TIMEOUT", "soon"),
        ("HILOS_DEADLINE", "inf"),
        ("HILOS_DEADLINE", "nan"),
        ("HILOS_RETRIES", "-1"),
        ("HILOS_RETRIES", "1.5"),
        ("HILOS_RETRIES", "many"),
    ],
)
def test_a_wrong_timeout_deadline_or_retries_variable_is_named_with_its_value(variable: str, value: str) -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        AuthenticatedClient.from_env(environ=ACME | {variable: value})
    assert str(caught.value).startswith(f"environment variable {variable}: expected ")
    assert repr(value) in str(caught.value)
