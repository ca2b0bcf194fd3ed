"""The answer-panel walkthrough (tests/panel_walkthrough.py) for the second module of PANEL_WALKTHROUGH_MODULES.

Each walkthrough has a file of its own, so that the two (about two minutes each) run on two test workers at once.
"""

import pytest

from .answer_panels import PANEL_WALKTHROUGH_MODULES
from .panel_walkthrough import walk_through_by_panel

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("slug", PANEL_WALKTHROUGH_MODULES[1:2])
def test_a_learner_answers_by_panel_only_and_gets_full_marks(browser, panel_server, slug, tmp_path):
    walk_through_by_panel(browser, panel_server, slug, tmp_path)
