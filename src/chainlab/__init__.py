"""Chain Investigations Lab: the helper package every course notebook imports."""

__version__ = "0.1.0"

from . import samples, widgets  # noqa: E402,F401
