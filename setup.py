"""Build step of the compiled handlers: mypyc compiles `handlers/*.py` (see handlers/native.py).

Everything else about the project is in pyproject.toml. `SUMMIT_PURE_PYTHON=1` compiles nothing and
removes compiled modules left in the source tree by an earlier editable build, so the plain Python runs.
"""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "handlers"
# loaded by path: importing the package would run its stale-build check against the build being made
native: dict[str, Any] = runpy.run_path(str(PACKAGE / "native.py"))
_COMPILED_FROM = ""


class BuildNative(build_ext):
    """build_ext that records the sources mypyc compiled (handlers/native.json) once the build succeeded:
    beside the built modules, and in the source tree too when they are copied there (editable install)."""

    def run(self) -> None:
        super().run()
        if not self.extensions:
            return
        targets = [Path(self.build_lib) / "handlers"]
        if self.inplace or getattr(self, "editable_mode", False):
            targets.append(PACKAGE)
        for target in targets:
            target.mkdir(parents=True, exist_ok=True)
            (target / native["MANIFEST"]).write_text(_COMPILED_FROM, encoding="utf-8")


def _remove_compiled() -> None:
    for path in [*native["extensions"](PACKAGE), PACKAGE / native["MANIFEST"]]:
        path.unlink(missing_ok=True)


def _ext_modules() -> list[Any]:
    if os.environ.get("SUMMIT_PURE_PYTHON", "") not in ("", "0"):
        _remove_compiled()
        return []
    from mypyc.build import mypycify

    _remove_compiled()  # a clean slate: no module a former build compiled is left to shadow its source
    global _COMPILED_FROM
    # the sources as mypyc reads them now (an edit during the build makes the result stale at once)
    _COMPILED_FROM = json.dumps(native["source_hashes"](PACKAGE), indent=1, sort_keys=True) + "\n"
    names = native["compiled_names"](PACKAGE)
    return mypycify(
        [f"handlers/{name}.py" for name in names],
        opt_level="3",
        group_name=f"handlers.{native['GROUP']}",
    )


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": BuildNative})
