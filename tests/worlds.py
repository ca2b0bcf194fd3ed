"""The seeds of the freshly built classroom worlds that the world tests share (built once per session in conftest.py)."""

from chainlab.cohort import DEFAULT_SEED

SEEDS = (DEFAULT_SEED, 7, 99)
