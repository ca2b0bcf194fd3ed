"""Fixtures shared by the test modules (no test module imports another)."""

from __future__ import annotations

import pytest

from .browser_helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, MODULE_SLUGS, Lab
from .lab_server import LabServer
from .notebook_tools import copy_course_root, nbgrader_steps


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


def _serve(root, scratch, request):
    """JupyterLab on the course root `root` for one test file, its log named after the file; stopped at the end."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = LabServer(
        root=root,
        settings=scratch / "lab_settings",
        log_path=ARTIFACTS / f"jupyterlab-{request.module.__name__.rsplit('.', 1)[-1]}.log",
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory, request):
    """JupyterLab on a scratch copy of the course, every module released to a scratch nbgrader exchange (one per test file)."""
    scratch = tmp_path_factory.mktemp("browser")
    root = copy_course_root(scratch / "course_root")
    with (root / "nbgrader_config.py").open("a") as config:
        config.write(
            f"\n# The browser test's own exchange, where its modules are released to learners.\nc.Exchange.root = {str(scratch / 'exchange')!r}\n"
        )
    nbgrader_steps(root, [("release_assignment", slug) for slug in MODULE_SLUGS])
    yield from _serve(root, scratch, request)


@pytest.fixture(scope="module")
def panel_server(tmp_path_factory, request):
    """JupyterLab on a scratch copy of the course, for the answer-panel walkthroughs (one per test file)."""
    scratch = tmp_path_factory.mktemp("panels")
    root = copy_course_root(scratch / "course_root")
    yield from _serve(root, scratch, request)


@pytest.fixture
def lab(browser, lab_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield Lab(context.new_page(), lab_server)
    context.close()
    lab_server.shut_down_kernels()
