"""Charts for the investigation modules (colour-blind-safe): flow graphs, money-flow summaries, timelines.

The matplotlib charts load on first use, so the SVG flow graph (`viz.flow`) and the palette come without matplotlib.
"""

from .palette import PALETTE  # noqa: F401

CHARTS = ("figure_png", "flow_graph", "money_flow_summary", "timeline")


def __getattr__(name: str):
    if name in CHARTS:
        from . import charts

        return getattr(charts, name)
    raise AttributeError(f"module 'chainlab.viz' has no attribute {name!r}")
