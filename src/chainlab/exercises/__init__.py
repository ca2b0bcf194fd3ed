"""Exercises: one object per question with check(), hint() and solution().

A notebook starts with::

    from chainlab.exercises import ____
    from chainlab.exercises import m00 as ex

and each answer cell is checked by a grade cell that imports what it needs itself
(so it still explains itself when run first after a restart)::

    from chainlab.exercises import m00 as ex
    ex.<name>.check(<name>)

Importing this package hooks the kernel so that a check knows whether the answer
cell's last run stopped with an error (see `runs`), so that an answer cell left
blank takes the answer chosen in its answer panel (see `answer_widgets`), and so that errors get their
plain-language notes even where `chainlab` was imported before the kernel started
(nbgrader's limited kernels import it first; see `chainlab.friendly`).
"""

from .. import friendly
from . import answer_widgets, runs
from .answers import BLANK as ____  # noqa: F401  (the blank a learner replaces)
from .answers import Amount, Choice, Count, CountsBy, LabelSet, Row, Rows, Text  # noqa: F401
from .core import AnswerNotAccepted, Exercise, Slip, compare_with_package, strict_mode  # noqa: F401

runs.install()
answer_widgets.install()
friendly.install()
