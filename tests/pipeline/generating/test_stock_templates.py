"""pipeline/generating/stock_templates.py: the guard that makes a generator upgrade show which forked stock
templates changed, run against scratch copies of the stock and override folders (no network)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.generating.stock_templates import (
    STOCK_TEMPLATES,
    check,
    dump_record,
    installed_version,
    load_record,
    main,
    make_record,
    stock_diff,
)
from pipeline.project import STOCK_TEMPLATES_RECORD, TEMPLATES

INT_PROPERTY = "property_templates/int_property.py.jinja"
DIFF_COMMAND = f".venv/bin/python -m pipeline.generating.stock_templates diff {INT_PROPERTY}"


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Scratch copies of the installed stock templates and of ours, and a record of them as they are."""
    stock, templates, record = tmp_path / "stock", tmp_path / "templates", tmp_path / "stock-templates.json"
    shutil.copytree(STOCK_TEMPLATES, stock)
    shutil.copytree(TEMPLATES, templates)
    record.write_text(dump_record(make_record(templates, stock, "0.29.1")), encoding="utf-8")
    return stock, templates, record


def run_check(stock: Path, templates: Path, record: Path) -> list[str]:
    return check(templates, stock, load_record(record), record).problems


def test_committed_record_matches_the_installed_generator() -> None:
    found = check(TEMPLATES, STOCK_TEMPLATES, load_record(STOCK_TEMPLATES_RECORD))
    assert found.problems == []
    assert INT_PROPERTY in found.overrides
    assert load_record(STOCK_TEMPLATES_RECORD)["version"] == installed_version()


def test_committed_record_is_sorted_and_stable() -> None:
    text = STOCK_TEMPLATES_RECORD.read_text(encoding="utf-8")
    assert text == dump_record(json.loads(text))


def test_unchanged_stock_templates_pass_and_our_own_templates_are_listed(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    found = check(templates, stock, load_record(record), record)
    assert found.problems == []
    assert "endpoint_pagination.py.jinja" in found.ours
    assert "property_templates/json_checks.jinja" in found.ours
    assert not set(found.ours) & set(load_record(record)["templates"])


def test_changed_stock_template_fails_naming_it_and_the_diff_command(
    folders: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    stock, templates, record = folders
    with (stock / INT_PROPERTY).open("a", encoding="utf-8") as upstream_change:
        upstream_change.write("{# upstream's new line #}\n")
    problems = run_check(stock, templates, record)
    assert len(problems) == 1
    assert problems[0].startswith(f"stock template {INT_PROPERTY} differs from the one")
    assert f"`{DIFF_COMMAND}`" in problems[0]
    assert main(["--stock", str(stock), "--templates", str(templates), "--record", str(record), "check"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("stock-templates: FAILED:") and DIFF_COMMAND in out


def test_override_without_a_record_fails(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    shutil.copy(stock / "property_templates" / "date_property.py.jinja", templates / "property_templates")
    problems = run_check(stock, templates, record)
    assert len(problems) == 1
    assert "property_templates/date_property.py.jinja overrides a stock template" in problems[0]
    assert "has no record of it" in problems[0] and "make stock-templates" in problems[0]


def test_record_of_a_template_no_longer_overridden_is_stale(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    (templates / INT_PROPERTY).unlink()
    problems = run_check(stock, templates, record)
    assert len(problems) == 1
    assert f"records {INT_PROPERTY}, which" in problems[0] and "no longer overrides" in problems[0]


def test_override_of_a_template_upstream_removed_fails(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    (stock / INT_PROPERTY).unlink()
    problems = run_check(stock, templates, record)
    assert len(problems) == 1
    assert f"stock template {INT_PROPERTY} is gone" in problems[0] and DIFF_COMMAND in problems[0]


def test_record_command_rewrites_a_record_the_check_then_accepts(
    folders: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    stock, templates, record = folders
    (stock / INT_PROPERTY).write_text("merged upstream change\n", encoding="utf-8")
    options = ["--stock", str(stock), "--templates", str(templates), "--record", str(record)]
    assert main([*options, "check"]) == 1
    assert main([*options, "record"]) == 0
    assert main([*options, "check"]) == 0
    assert "ours, no stock counterpart: endpoint_pagination.py.jinja" in capsys.readouterr().out


def test_stock_diff_shows_what_upstream_changed(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, body in ((old, "a\nb\nc\n"), (new, "a\nB\nc\n")):
        (folder / "property_templates").mkdir(parents=True)
        (folder / INT_PROPERTY).write_text(body, encoding="utf-8")
    text = stock_diff(old, new, INT_PROPERTY, "openapi-python-client-0.29.1", "installed")
    assert text.splitlines() == [
        f"--- openapi-python-client-0.29.1/{INT_PROPERTY}",
        f"+++ installed/{INT_PROPERTY}",
        "@@ -1,3 +1,3 @@",
        " a",
        "-b",
        "+B",
        " c",
    ]


def test_stock_diff_of_a_removed_template_shows_all_of_it_removed(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    (old / "property_templates").mkdir(parents=True)
    new.mkdir()
    (old / INT_PROPERTY).write_text("only line", encoding="utf-8")
    assert stock_diff(old, new, INT_PROPERTY, "old", "new").splitlines()[2:] == ["@@ -1 +0,0 @@", "-only line"]


def test_stock_diff_of_identical_templates_is_empty(tmp_path: Path) -> None:
    assert stock_diff(STOCK_TEMPLATES, STOCK_TEMPLATES, INT_PROPERTY, "old", "new") == ""


FORK = "operation_macros.jinja"
FORK_BASE = "endpoint_macros.py.jinja"


def test_a_template_that_copies_part_of_a_stock_file_is_recorded_with_that_file() -> None:
    record = load_record(STOCK_TEMPLATES_RECORD)
    assert record["forks"][FORK]["stock"] == FORK_BASE


def test_a_changed_stock_file_behind_a_partial_fork_fails_naming_both(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    (stock / FORK_BASE).write_text((stock / FORK_BASE).read_text() + "{# upstream change #}\n")
    (problem,) = run_check(stock, templates, record)
    assert f"stock template {FORK_BASE}, a part of which" in problem and FORK in problem
    assert f"stock_templates diff {FORK_BASE}" in problem


def test_a_new_partial_fork_without_a_record_fails(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    (templates / "ours.jinja").write_text("{# fork of stock helpers.jinja: safe_docstring #}\n")
    (problem,) = run_check(stock, templates, record)
    assert "ours.jinja copies a part of stock helpers.jinja" in problem


def test_a_fork_record_of_a_template_that_no_longer_forks_fails(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    text = (templates / FORK).read_text().replace("fork of stock", "once based on")
    (templates / FORK).write_text(text)
    (problem,) = run_check(stock, templates, record)
    assert f"records {FORK} as a fork" in problem


def test_the_stock_templates_ours_call_are_recorded() -> None:
    calls = set(load_record(STOCK_TEMPLATES_RECORD)["called"])
    for name in (
        "helpers.jinja",
        "endpoint_macros.py.jinja",
        "property_templates/helpers.jinja",
        "property_templates/property_macros.py.jinja",
        "property_templates/date_property.py.jinja",  # reached by `import "property_templates/" + ...`
    ):
        assert name in calls
    assert not calls & set(load_record(STOCK_TEMPLATES_RECORD)["templates"])


def test_a_changed_stock_template_ours_call_fails_naming_it(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    helpers = stock / "property_templates" / "helpers.jinja"
    helpers.write_text(helpers.read_text(encoding="utf-8") + "{# upstream change #}\n", encoding="utf-8")
    (problem,) = run_check(stock, templates, record)
    assert "property_templates/helpers.jinja, which our templates call, differs" in problem


def test_a_newly_called_stock_template_without_a_record_fails(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    caller = templates / "str_enum.py.jinja"
    caller.write_text(
        '{% from "pyproject.toml.jinja" import x %}\n' + caller.read_text(encoding="utf-8"), encoding="utf-8"
    )
    problems = run_check(stock, templates, record)
    assert any("pyproject.toml.jinja, which our templates call, is not recorded" in p for p in problems)


def test_an_override_sharing_almost_nothing_with_stock_is_recorded_as_ours() -> None:
    record = load_record(STOCK_TEMPLATES_RECORD)
    assert "endpoint_init.py.jinja" in record["replaced"]
    assert "endpoint_init.py.jinja" not in record["templates"]
    assert "model.py.jinja" in record["templates"]


def test_a_changed_stock_file_behind_one_of_our_own_overrides_fails(folders: tuple[Path, Path, Path]) -> None:
    stock, templates, record = folders
    (stock / "endpoint_init.py.jinja").write_text("{# upstream change #}\n", encoding="utf-8")
    (problem,) = run_check(stock, templates, record)
    assert "endpoint_init.py.jinja is ours" in problem
