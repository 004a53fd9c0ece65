"""What the browser tests share: Debian's Chromium, the npm packages, the overflow probe.

Chromium is driven by Playwright with ``executable_path`` (never ``playwright
install``); the npm packages are the ones ``make test`` installs from
package-lock.json into node_modules/.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = Path(__file__).resolve().parent / "output"
NODE_MODULES = ROOT / "node_modules"
# Width of a chat column in Teams' narrow layouts; the issue's reference width.
TEAMS_WIDTH = 400
# The narrowest phone the widget is checked at.
PHONE_WIDTH = 360

# Everything under an element that shows less than its content (see the script).
SCRIPTS = Path(__file__).resolve().parent / "js"
OVERFLOW_PROBE = (SCRIPTS / "overflow.js").read_text(encoding="utf-8")


def node_file(relative: str) -> Path:
    """A file of an npm package, or skip the test when `make test` has not installed it."""
    path = NODE_MODULES / relative
    if not path.exists():
        pytest.skip(f"{path} is missing: `make test` installs the npm packages (npm ci)")
    return path


async def overflows(locator: Any) -> list[str]:
    """OVERFLOW_PROBE run on the element a Playwright locator names."""
    return list(await locator.evaluate(OVERFLOW_PROBE))
