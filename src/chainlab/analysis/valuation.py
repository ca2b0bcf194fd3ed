"""Value movements in US dollars at their own time (introduced in 02_crypto_assets_and_services, used again in 04)."""

from __future__ import annotations

import pandas as pd

from .errors import AnalysisInputError


def value_in_usd(
    movements: pd.DataFrame,
    prices: pd.DataFrame,
    symbol: str = "ETH",
    time_column: str = "block_timestamp",
    amount_column: str = "amount",
) -> pd.DataFrame:
    """`movements` in time order with `price_usd` (the price of `symbol` at the start of each movement's hour) and
    `value_usd` (= amount x price_usd) added.

    This is an as-of join (`pandas.merge_asof`, backward): each row takes the latest price at or before its own time.
    A movement before the first price gets no price (NaN).
    """
    for name, table, needed in (
        ("movements", movements, (time_column, amount_column)),
        ("prices", prices, ("timestamp", "symbol", "price_usd")),
    ):
        missing = [column for column in needed if column not in table.columns]
        if missing:
            raise AnalysisInputError(
                f"{name} lacks column(s) {', '.join(missing)}; give the table from chainlab.load (prices: cl.load('prices'))."
            )
    quoted = prices[prices["symbol"] == symbol]
    if quoted.empty:
        raise AnalysisInputError(
            f"the price table has no {symbol!r} prices; it has {', '.join(sorted(prices['symbol'].unique()))}."
        )
    ordered = movements.sort_values(time_column, kind="stable")
    valued = pd.merge_asof(
        ordered,
        quoted[["timestamp", "price_usd"]].sort_values("timestamp"),
        left_on=time_column,
        right_on="timestamp",
        direction="backward",
    )
    valued = valued.drop(columns="timestamp") if time_column != "timestamp" else valued
    valued["value_usd"] = valued[amount_column].astype(float) * valued["price_usd"]
    return valued
