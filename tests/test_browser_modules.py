"""The second half of the modules in a real browser (see test_browser.py): open, Run All Cells, work the widget."""

from __future__ import annotations

import pytest

from .browser_checks import run_module_and_work_its_widget
from .browser_helpers import CHROMIUM, MODULE_SLUGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"no browser: {CHROMIUM} is missing and could not be installed. Run scripts/install-browser.sh as root (`make test` does), then test again.",
    ),
]


@pytest.mark.parametrize("slug", MODULE_SLUGS[5:])
def test_module_runs_in_jupyterlab_and_its_widget_responds(lab, slug):
    run_module_and_work_its_widget(lab, slug)
