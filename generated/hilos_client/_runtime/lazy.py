# Copied from patches/runtime/lazy.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/lazy.py, then run `make generate`.
"""Module attributes imported on first read (PEP 562), for the package's `__init__` modules.

`import hilos_client` must stay cheap (bench/README.md): the clients, models, errors and tag namespaces are
imported when a name is first read, and kept in the module's namespace so that later reads skip the module's
`__getattr__`, which calls `LazyAttributes.get` (as its `__dir__` calls `names`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import Any


class LazyAttributes:
    """The names of the module `module_name` that `modules` imports on first read, each from the (relative)
    module it maps to; a name that is that module's own last part is the module itself.

    With `distribution`, `__version__` is that distribution's installed version, read on first use:
    importlib.metadata would add about a tenth to every `import hilos_client`.
    """

    __slots__ = ("distribution", "module_name", "modules", "namespace")

    def __init__(self, module_name: str, modules: Mapping[str, str], distribution: str | None = None) -> None:
        self.module_name = module_name
        self.modules = modules
        self.distribution = distribution
        self.namespace = sys.modules[module_name].__dict__

    def get(self, name: str) -> Any:
        """The module's `__getattr__`: `name` imported, or AttributeError for a name it does not have."""
        if name == "__version__" and self.distribution is not None:
            from .metadata import installed_version

            version = self.namespace["__version__"] = installed_version(self.distribution)
            return version
        try:
            module = self.modules[name]
        except KeyError:
            raise AttributeError(f"module {self.module_name!r} has no attribute {name!r}") from None
        imported = importlib.import_module(module, self.module_name)
        value = imported if module == f".{name}" else getattr(imported, name)
        self.namespace[name] = value  # later reads skip __getattr__
        return value

    def names(self) -> list[str]:
        """The module's `__dir__`: its API, which is the names of its `__all__` and the submodules it imports on
        first read, beside the attributes every module has (`__doc__`, `__name__`, ...). Not the names its own
        code imports (`Any`, `TYPE_CHECKING`) nor its private ones, which editors would offer as completions."""
        submodules = [name for name, module in self.modules.items() if module == f".{name}"]
        dunders = [name for name in self.namespace if name.startswith("__") and name.endswith("__")]
        extra = ["__version__"] if self.distribution is not None else []
        return sorted({*self.namespace.get("__all__", ()), *submodules, *dunders, *extra})
