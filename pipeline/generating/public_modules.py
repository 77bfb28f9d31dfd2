"""The package's hand-written public modules (`client`, `errors`, `types`, `cli`, `testing`, `__main__`): each
is a re-export of the runtime (patches/runtime/, copied into `_runtime/`) under its public import path, written
by the pipeline from one table, so every one of them comes from the same code.

The generator writes its own `client.py`, `errors.py` and `types.py` (from its stock templates) first;
generate.py writes these over them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reexport:
    """`from .<module> import <names>`: names the public module lists in its `__all__`."""

    module: str
    """Relative to the package: "_runtime.sending", "_spec", "cli"."""
    names: tuple[str, ...]


@dataclass(frozen=True)
class PublicModule:
    name: str
    """The module's file name without `.py`: `hilos_client.<name>`."""
    docstring: str
    whole: str | None = None
    """A runtime module re-exported whole (`from ._runtime.<whole> import *`, its `__all__` added to ours)."""
    runtime_docstring: bool = False
    """Whether the module's `__doc__` is the runtime module's (`help()` shows it) rather than `docstring`."""
    names: tuple[Reexport, ...] = ()
    exports: bool = True
    """Whether the module has an `__all__` (`__main__` has none: it is run, not imported from)."""
    runs: str | None = None
    """A function the module calls, exiting with what it returns, when run as a script (`python -m`)."""

    def __post_init__(self) -> None:
        if self.runtime_docstring and self.whole is None:
            raise ValueError(f"{self.name}: runtime_docstring needs the runtime module it re-exports whole")


PUBLIC_MODULES: tuple[PublicModule, ...] = (
    PublicModule(
        "client",
        "The clients, and how every operation's request is sent (the code is in `_runtime/`).",
        whole="client",
        names=(
            Reexport("_runtime.retries", ("logger",)),
            Reexport("_runtime.sending", ("send_request", "send_request_async")),
            Reexport("_spec", ("SERVER", "SERVER_URL_TEMPLATE", "SERVER_VARIABLE_DEFAULTS")),
        ),
    ),
    PublicModule(
        "errors",
        "Every error the client raises; catch `HilosError` to catch them all.",
        whole="errors",
        runtime_docstring=True,  # the hierarchy
    ),
    PublicModule(
        "types",
        "Types shared by the models and endpoints (the code is in `_runtime/types.py`, `_runtime/pages.py` and"
        " `_runtime/wire.py`).",
        names=(
            Reexport(
                "_runtime.types",
                (
                    "UNSET",
                    "ExtraHeaders",
                    "ExtraQuery",
                    "File",
                    "FileContent",
                    "FileTypes",
                    "RequestFiles",
                    "Response",
                    "Unset",
                ),
            ),
            Reexport("_runtime.pages", ("Page",)),
            Reexport("_runtime.wire", ("format_datetime", "http_status")),
        ),
    ),
    PublicModule("cli", "See `_runtime/cli.py`.", whole="cli", runtime_docstring=True),
    PublicModule("testing", "See `_runtime/testing.py`.", whole="testing", runtime_docstring=True),
    PublicModule(
        "__main__",
        "`python -m hilos_client`: the command line (see `cli`).",
        names=(Reexport("cli", ("main",)),),
        exports=False,
        runs="main",
    ),
)


def _isort_order(name: str) -> tuple[int, str]:
    # As isort orders imported names (and ruff's RUF022 `__all__`): constants, then classes, then the rest.
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def module_source(module: PublicModule) -> str:
    """The module's code (generate.py adds the generated-file header; ruff sorts the imports and formats it)."""
    lines = [f'"""{module.docstring}"""', ""]
    if module.runs is not None:
        lines += ["import sys", ""]
    if module.whole is not None:
        lines += [
            f"from ._runtime import {module.whole} as _{module.whole}",
            f"from ._runtime.{module.whole} import *  # noqa: F403",
        ]
    lines += [f"from .{reexport.module} import {', '.join(reexport.names)}" for reexport in module.names]
    lines.append("")
    if module.runtime_docstring:
        lines.append(f"__doc__ = _{module.whole}.__doc__  # the runtime module's, for help()")
    if module.exports:
        listed = sorted((name for reexport in module.names for name in reexport.names), key=_isort_order)
        lines.append("__all__ = [" + ", ".join(f'"{name}"' for name in listed) + "]")
        if module.whole is not None:
            lines.append(f"__all__ += _{module.whole}.__all__")
    if module.runs is not None:
        lines += [
            "",
            'if __name__ == "__main__":  # not when a tool imports every module',
            f"    sys.exit({module.runs}())",
        ]
    return "\n".join(lines) + "\n"
