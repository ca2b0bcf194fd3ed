"""Chain Investigations Lab: the helper package every course notebook imports."""

__version__ = "0.1.0"

from . import friendly, samples, widgets  # noqa: E402,F401

friendly.install()


def load(table: str, profile: str = "classroom", seed: int | None = None, **options):
    """A table of the synthetic world as a DataFrame (see `chainlab.data.load`; imported lazily to keep startup fast)."""
    from .data import load as load_table

    return load_table(table, profile, seed, **options)
