"""The interactive explorers the notebooks show (ipywidgets)."""

from .filter_panel import filter_panel  # noqa: F401
