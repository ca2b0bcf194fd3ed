"""Exercises: one object per question with check(), hint() and solution().

A notebook starts with::

    from chainlab.exercises import ____
    from chainlab.exercises import m00 as ex

and each answer cell is checked with `ex.<name>.check(<name>)`.
"""

from .answers import BLANK as ____  # noqa: F401  (the blank a learner replaces)
from .answers import Amount, Choice, Count, CountsBy, LabelSet, Row, Rows, Text  # noqa: F401
from .core import AnswerNotAccepted, Exercise, Slip, compare_with_package, strict_mode  # noqa: F401
