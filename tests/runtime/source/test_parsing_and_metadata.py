"""`ParseError` builds a path step by step and keeps the first failure; `installed_version` reads pip's record."""

from __future__ import annotations

from importlib import metadata

from patches.runtime.metadata import UNKNOWN_VERSION, installed_version
from patches.runtime.parsing import ParseError


def test_steps_are_prepended_and_written_with_dots_and_brackets() -> None:
    origin = KeyError("last_updated_on")
    error = ParseError.at("last_updated_on", origin)
    error = ParseError.at("results", ParseError.at(0, ParseError.at("contact", error)))
    assert error.path == "results[0].contact.last_updated_on"
    assert str(error) == "results[0].contact.last_updated_on: required field is missing"
    assert ParseError.origin_of(error) is origin


def test_a_check_message_keeps_what_was_expected_without_repeating_the_field() -> None:
    error = ParseError.at("count", TypeError("field 'count': expected an integer, got str"))
    assert (error.path, error.expected) == ("count", "expected an integer, got str")


def test_a_key_error_for_another_key_is_not_called_missing() -> None:
    error = ParseError.at("meta", KeyError("other"))
    assert error.expected == "required key 'other' is missing"


def test_installed_version_is_pips_or_unknown() -> None:
    assert installed_version("pytest") == metadata.version("pytest")
    assert installed_version("no-such-distribution-here") == UNKNOWN_VERSION == "0+unknown"
