"""Which handler modules are compiled with mypyc, and the check that a compiled build is not stale.

`make install` (and any `pip install` of the project) compiles `handlers/*.py` with mypyc into extension
modules; an editable install puts them beside the sources (`handlers/foo.cpython-311-....so` next to
`handlers/foo.py`), and Python imports the extension first. An edit to `foo.py` would then silently not
run. So the build records a SHA-256 of every source mypyc read (`handlers/*.py` and `schemas/*.py`: the
compiled code depends on the types of both) in `native.json`, and importing `handlers` compares them with
the sources beside it: a compiled module built from other sources raises `StaleBuildError`. This module,
`records.py`, `knowledge.py` and `__init__.py` stay plain Python (the check must run before any compiled
module loads).
"""

from __future__ import annotations

import hashlib
import json
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = "native.json"
GROUP = "native"  # mypyc's shared library of the compiled modules: handlers/native__mypyc.<suffix>
# records: its decorator carries dataclass_transform metadata, which a compiled function cannot hold;
# knowledge: start-up only (loading the data files), and its casts of library values (babel's mappings,
# optional dates) would become checks at run time in compiled code
NOT_COMPILED = frozenset({"__init__", "native", "records", "knowledge"})


class StaleBuildError(ImportError):
    """A compiled handler module was built from sources other than those beside it."""


def compiled_names(package: Path = HERE) -> list[str]:
    """The modules of `package` that the build compiles, by name, sorted."""
    return sorted(p.stem for p in package.glob("*.py") if p.stem not in NOT_COMPILED)


def source_hashes(package: Path = HERE) -> dict[str, str]:
    """SHA-256 of every source the compiled modules were type-checked against, by path from the root."""
    root = package.parent
    paths = sorted([*package.glob("*.py"), *(root / "schemas").glob("*.py")])
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def extensions(package: Path = HERE) -> list[Path]:
    """The compiled extension modules present in `package`."""
    return sorted({p for suffix in EXTENSION_SUFFIXES for p in package.glob(f"*{suffix}")})


def stale(package: Path = HERE) -> list[str]:
    """Why the compiled modules in `package` cannot be trusted: empty when none are present or all are
    built from the sources beside them."""
    found = extensions(package)
    if not found:
        return []
    expected = {*compiled_names(package), f"{GROUP}__mypyc"}
    strays = [
        f"{p.name} is no module this build compiles" for p in found if p.name.split(".")[0] not in expected
    ]
    path = package / MANIFEST
    if not path.is_file():
        return [f"compiled modules in {package} but no {MANIFEST} saying what they were built from", *strays]
    built: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    now = source_hashes(package)
    return strays + [
        f"{name} {'changed' if name in now and name in built else 'added' if name in now else 'removed'}"
        for name in sorted(built.keys() | now.keys())
        if built.get(name) != now.get(name)
    ]


def check(package: Path = HERE) -> None:
    """Raise `StaleBuildError` when the compiled handler modules are older than their sources."""
    problems = stale(package)
    if problems:
        raise StaleBuildError(
            "the compiled handler modules were built from other sources ("
            + "; ".join(problems)
            + "): run `make install` to rebuild them, or `SUMMIT_PURE_PYTHON=1 make install` to remove "
            "them and run the plain Python"
        )
