"""Headless Chromium (Debian's, through the system chromedriver) reading textual-serve's terminal.

textual-serve draws with xterm.js on a canvas, so the page's DOM has no text. A script run before
the page's own catches the xterm Terminal object as the page creates it, and the test reads the
terminal's rows through xterm's public buffer API: exactly what the canvas shows.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from pathlib import Path

CHROMIUM = ("chromium", "chromium-browser")
MISSING = ("headless browser test needs Debian's chromium and chromium-driver "
           "(apt-get install chromium chromium-driver; .ci/system-packages does it)")

CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal',
                          {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer) { window.__neodymiumTerminal = value; }
  },
});
"""

READ_ROWS = """
const t = window.__neodymiumTerminal;
if (!t) { return null; }
const b = t.buffer.active, rows = [];
for (let i = 0; i < t.rows; i++) {
  const line = b.getLine(b.viewportY + i);
  rows.push(line ? line.translateToString(true) : '');
}
return rows.join('\\n');
"""


def browser_paths() -> tuple[str, str] | None:
    """(chromium, chromedriver) from the system, or None."""
    browser = next((p for p in map(shutil.which, CHROMIUM) if p), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def terminal_text(url: str, until: str | Sequence[str], timeout: float,
                  screenshot: Path | None = None) -> str:
    """Load ``url`` and return the terminal's rows once they contain ``until`` (every one of
    them, given several: one frame may show the price before the header says where it came
    from), or at timeout."""
    wanted = [until] if isinstance(until, str) else list(until)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = browser_paths()
    assert paths is not None, MISSING
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                               {"source": CATCH_TERMINAL})
        driver.get(url)
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = driver.execute_script(READ_ROWS) or ""
            if all(part in text for part in wanted):
                break
            time.sleep(0.1)
        if screenshot is not None:
            driver.save_screenshot(str(screenshot))
        return text
    finally:
        driver.quit()
