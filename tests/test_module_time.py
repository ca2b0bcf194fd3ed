"""Every module states at least the time the model gives a learner who struggles, and at most 90 minutes."""

from __future__ import annotations

import math

import pytest

from chainlab import course

from .module_time import MOST_MINUTES, module_time


@pytest.mark.parametrize("module", course.MODULES, ids=lambda module: module.number)
def test_the_stated_time_covers_the_model_and_stays_under_the_ceiling(module):
    estimate = module_time(module.slug).minutes
    assert module.minutes <= MOST_MINUTES, f"{module.slug} states {module.minutes} minutes: trim it to {MOST_MINUTES}"
    assert module.minutes >= estimate, (
        f"{module.slug} states {module.minutes} minutes, but the model gives {estimate:.0f}: "
        f"state {5 * math.ceil(estimate / 5)}, or give its code exercises answer panels"
    )


def test_a_panel_answer_costs_less_than_a_code_answer():
    time = module_time("05_tracing_the_money")
    as_code = type(time)(
        **{**vars(time), "panel_exercises": 0, "code_exercises": time.panel_exercises, "panel_actions": 0}
    )
    assert time.panel_exercises == 5 and as_code.minutes - time.minutes > 5 * 8
