"""Chain Investigations Lab: the helper package every course notebook imports.

Sub-packages load on first use (`cl.widgets`, `cl.analysis`, ...), so that
command-line tools and the dataset build start fast.
"""

import importlib

from . import friendly
from .version import __version__  # noqa: F401  (chainlab.__version__)

SUBMODULES = (
    "analysis",
    "cases",
    "chain",
    "data",
    "course_home",
    "exercises",
    "progress",
    "rules",
    "viz",
    "widgets",
    "world",
)

friendly.install()


def __getattr__(name: str):
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'chainlab' has no attribute {name!r}")


def load(table: str, profile: str = "classroom", seed: int | None = None, **options):
    """A table of the synthetic world as a DataFrame (see `chainlab.data.load`)."""
    from .data import load as load_table

    return load_table(table, profile, seed, **options)
