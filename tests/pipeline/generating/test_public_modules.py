"""The package's public modules written from one table (pipeline/generating/public_modules.py): what each
renders, and that the generated modules export exactly what their rows name."""

from __future__ import annotations

import importlib

import pytest

from pipeline.generating.public_modules import PUBLIC_MODULES, PublicModule, Reexport, module_source
from pipeline.project import GENERATED, PACKAGE


def test_a_module_reexported_whole_keeps_the_runtime_modules_names_and_docstring() -> None:
    source = module_source(PublicModule("things", "See things.", whole="things", runtime_docstring=True))
    assert source == (
        '"""See things."""\n\n'
        "from ._runtime import things as _things\n"
        "from ._runtime.things import *  # noqa: F403\n\n"
        "__doc__ = _things.__doc__  # the runtime module's, for help()\n"
        "__all__ = []\n"
        "__all__ += _things.__all__\n"
    )


def test_named_reexports_are_listed_constants_first_then_classes_then_functions() -> None:
    source = module_source(PublicModule("t", "T.", names=(Reexport("_runtime.t", ("helper", "Thing", "UNSET")),)))
    assert "from ._runtime.t import helper, Thing, UNSET\n" in source
    assert '__all__ = ["UNSET", "Thing", "helper"]\n' in source


def test_a_module_that_runs_exits_with_its_function_and_exports_nothing() -> None:
    source = module_source(
        PublicModule("__main__", "Run.", names=(Reexport("cli", ("main",)),), exports=False, runs="main")
    )
    assert "__all__" not in source
    assert source.endswith('if __name__ == "__main__":  # not when a tool imports every module\n    sys.exit(main())\n')


def test_the_runtime_docstring_needs_a_module_reexported_whole() -> None:
    with pytest.raises(ValueError, match="x: runtime_docstring needs the runtime module"):
        PublicModule("x", "X.", runtime_docstring=True)


@pytest.mark.parametrize("public", PUBLIC_MODULES, ids=[public.name for public in PUBLIC_MODULES])
def test_each_generated_public_module_exports_what_its_row_names(public: PublicModule) -> None:
    assert (GENERATED / PACKAGE / f"{public.name}.py").is_file()
    module = importlib.import_module(f"{PACKAGE}.{public.name}")
    named = {name for reexport in public.names for name in reexport.names}
    if public.whole is not None:
        runtime = importlib.import_module(f"{PACKAGE}._runtime.{public.whole}")
        named |= set(runtime.__all__)
        assert (module.__doc__ == runtime.__doc__) == public.runtime_docstring
    if public.exports:
        assert set(module.__all__) == named
        assert len(module.__all__) == len(named)
    else:
        assert not hasattr(module, "__all__")
    assert all(hasattr(module, name) for name in named)


def test_every_hand_written_public_module_has_its_row() -> None:
    assert [public.name for public in PUBLIC_MODULES] == ["client", "errors", "types", "cli", "testing", "__main__"]
