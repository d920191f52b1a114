"""The command keeps httpx's CLI and trio, which it never uses, out of its process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from neodymium.tui.lean_imports import unused_imports_held_off


def test_a_held_off_module_cannot_be_imported_inside_and_can_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "held_off_example.py").write_text("VALUE = 7\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with unused_imports_held_off(["held_off_example"]), pytest.raises(ImportError):
        import held_off_example  # noqa: F401
    import held_off_example as loaded
    assert loaded.VALUE == 7
    monkeypatch.delitem(sys.modules, "held_off_example")


def test_a_module_already_loaded_is_left_alone() -> None:
    with unused_imports_held_off(["json"]):
        import json
        assert json.dumps([1]) == "[1]"
    assert sys.modules["json"] is json


PROGRAM = """
import sys
from neodymium.tui.cli import main
rc = main(["quote", "--demo", "600111.SS"])
print("rc", rc, "click", "click" in sys.modules, "trio", "trio" in sys.modules)
import trio, click  # still importable by anything that needs them afterwards
print("after", trio.__name__, click.__name__)
"""


def test_quote_runs_without_httpx_cli_or_trio_in_its_process() -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "600111.SS" in done.stdout
    assert "rc 0 click False trio False" in done.stdout
    assert "after trio click" in done.stdout
