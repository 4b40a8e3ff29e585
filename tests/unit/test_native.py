"""The compiled handlers (mypyc): a build made from other sources than those beside it is refused."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest

from handlers import native


def _package(tmp_path: Path) -> Path:
    """A copy of handlers/*.py and schemas/*.py, as a build tree would hold them."""
    for name in ("handlers", "schemas"):
        (tmp_path / name).mkdir()
        for source in (native.HERE.parent / name).glob("*.py"):
            shutil.copy(source, tmp_path / name / source.name)
    return tmp_path / "handlers"


def _build(package: Path) -> None:
    """What setup.py leaves: an extension module and the manifest of the sources it was built from."""
    (package / "text.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    (package / native.MANIFEST).write_text(json.dumps(native.source_hashes(package)), encoding="utf-8")


def test_plain_python_is_never_stale(tmp_path: Path) -> None:
    assert native.stale(_package(tmp_path)) == []


def test_a_build_from_the_sources_beside_it_is_accepted(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _build(package)
    assert native.stale(package) == []
    native.check(package)


@pytest.mark.parametrize("edited", ["handlers/fields.py", "handlers/records.py", "schemas/summit.py"])
def test_an_edit_after_the_build_is_refused(tmp_path: Path, edited: str) -> None:
    package = _package(tmp_path)
    _build(package)
    with (tmp_path / edited).open("a", encoding="utf-8") as source:
        source.write("\n# edited\n")
    assert native.stale(package) == [f"{edited} changed"]
    with pytest.raises(native.StaleBuildError, match=f"{edited} changed.*make install"):
        native.check(package)


def test_an_added_or_removed_module_is_refused(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _build(package)
    (package / "new.py").write_text("X = 1\n", encoding="utf-8")
    (package / "dates.py").unlink()
    assert native.stale(package) == ["handlers/dates.py removed", "handlers/new.py added"]


def test_a_module_no_longer_compiled_is_refused(tmp_path: Path) -> None:
    """A module moved to NOT_COMPILED (or removed) must not be shadowed by its former build."""
    package = _package(tmp_path)
    _build(package)
    (package / "knowledge.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    assert native.stale(package) == [
        "knowledge.cpython-311-x86_64-linux-gnu.so is no module this build compiles"
    ]


def test_compiled_modules_without_a_manifest_are_refused(tmp_path: Path) -> None:
    package = _package(tmp_path)
    (package / "text.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    assert "no native.json" in native.stale(package)[0]


def test_this_install_is_consistent() -> None:
    """Either plain Python, or every module the build compiles is the compiled one, built from these
    sources (`make install` rebuilds after an edit; importing `handlers` already ran this check)."""
    assert native.stale() == []
    if not native.extensions():
        pytest.skip("plain Python install (SUMMIT_PURE_PYTHON=1)")
    for name in native.compiled_names():
        module = importlib.import_module(f"handlers.{name}")
        assert not str(module.__file__).endswith(".py"), name
    assert len(native.extensions()) == len(native.compiled_names()) + 1  # and the shared library
