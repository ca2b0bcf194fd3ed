"""Charts for the investigation modules (matplotlib, colour-blind-safe): flow graphs, money-flow summaries, timelines."""

from .charts import PALETTE, figure_png, flow_graph, money_flow_summary, timeline  # noqa: F401
