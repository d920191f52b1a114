"""The running demo loads no numpy, pandas or tomlkit (issue 12's memory: numpy alone is
13-16 MiB).

Only the charts need numpy and pandas, and import them when opened; the simulator, the
watcher's analytics and the panels run on the standard library. tomlkit is for writing an edit
back to the config file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: Loaded by the charts screen (numpy, pandas) or an edit written back (tomlkit) only.
NOT_WHILE_WATCHING = ("numpy", "pandas", "tomlkit")
#: Snapshots to see after every data kind has arrived: the demo ticking, not just starting.
TICKS = 3


def test_the_running_demo_never_imports_numpy_pandas_or_tomlkit(tmp_path: Path) -> None:
    """The real command (``neodymium --demo``), headless: once every kind has loaded and the
    demo has published a few more snapshots, none of them is in sys.modules."""
    script = f"""
import asyncio, json, sys
from neodymium.tui import app as app_module

seen = {{}}
start_runtime = app_module.NeodymiumApp._start_runtime

async def watch_ticks(self):
    await self.data_ready.wait()
    seen["ticks"] = 0
    for _ in range({TICKS}):
        self.snapshot_seen.clear()
        await self.snapshot_seen.wait()
        seen["ticks"] += 1
    seen["last"] = self.snapshot.quotes["600111.SS"].quote.last
    seen["loaded"] = sorted(name for name in {NOT_WHILE_WATCHING!r} if name in sys.modules)
    self.exit()

async def start_then_watch(self):
    await start_runtime(self)
    self.run_worker(watch_ticks(self))

app_module.NeodymiumApp._start_runtime = start_then_watch
run = app_module.NeodymiumApp.run
app_module.NeodymiumApp.run = lambda self: run(self, headless=True, size=(160, 48))
from neodymium.tui import cli
cli.has_terminal = lambda: True
code = cli.main(["--demo"])
print(json.dumps({{"code": code, **seen}}))
"""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0 and result["ticks"] == TICKS
    assert result["last"] is not None
    assert result["loaded"] == []
