"""Chain Investigations Lab: the helper package every course notebook imports.

Sub-packages load on first use (`cl.widgets`, `cl.analysis`, ...), so that
command-line tools and the dataset build start fast.
"""

import importlib

from . import friendly

__version__ = "0.1.0"

SUBMODULES = ("addresses", "analysis", "assets", "aml", "data", "exercises", "legal", "samples", "toychain", "viz", "widgets")

friendly.install()


def __getattr__(name: str):
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'chainlab' has no attribute {name!r}")


def load(table: str, profile: str = "classroom", seed: int | None = None, **options):
    """A table of the synthetic world as a DataFrame (see `chainlab.data.load`)."""
    from .data import load as load_table

    return load_table(table, profile, seed, **options)
