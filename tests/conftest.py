"""Fixtures shared by the test modules (no test module imports another)."""

from __future__ import annotations

import pytest

from .browser_helpers import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright, for the whole session (tests that use it are marked `browser`)."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"no browser: {CHROMIUM} is missing. Run scripts/install-browser.sh as root (`make test` does), then test again."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def worlds(tmp_path_factory):
    """A folder holding freshly built classroom worlds of every seed in worlds.SEEDS, built once per session."""
    from chainlab.world.build import build

    from .worlds import SEEDS

    root = tmp_path_factory.mktemp("worlds")
    for seed in SEEDS:
        build("classroom", seed, root=root, progress=False)
    return root
