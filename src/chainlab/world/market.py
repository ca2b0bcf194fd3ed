"""Synthetic hourly USD prices of the two chains' native coins, made before anything else so that scenarios can
size amounts in US dollars at the price of the moment (module 04's thresholds, module 07's bridge rate)."""

from __future__ import annotations

import numpy as np

SYMBOLS = ("BTC", "ETH")
OPENING_USD = {"BTC": 62_000.0, "ETH": 3_000.0}  # 2024-like levels
HOURLY_VOLATILITY = {"BTC": 0.006, "ETH": 0.008}
RETURN_CORRELATION = 0.8  # BTC and ETH hourly log returns move strongly together, as in 2024 markets


class Prices:
    """Hourly prices per symbol from the world's start; `usd(symbol, when)` is the price of the hour holding `when`."""

    def __init__(self, rng: np.random.Generator, start: int, days: int):
        self.start = start
        self.hours = days * 24
        self.series = {}
        common, own = rng.normal(0.0, 1.0, (2, self.hours))
        shocks = {"BTC": common, "ETH": RETURN_CORRELATION * common + np.sqrt(1 - RETURN_CORRELATION**2) * own}
        for symbol in SYMBOLS:
            steps = HOURLY_VOLATILITY[symbol] * shocks[symbol]
            self.series[symbol] = np.round(
                OPENING_USD[symbol] * np.exp(np.cumsum(steps) - np.arange(self.hours) * 0.000005), 2
            )

    def usd(self, symbol: str, when: int) -> float:
        hour = min(max((int(when) - self.start) // 3600, 0), self.hours - 1)
        return float(self.series[symbol][hour])

    def units(self, symbol: str, usd: float, when: int, per_coin: int) -> int:
        """How many smallest units (satoshi: per_coin 10**8; gwei: 10**9) are worth `usd` dollars at `when`."""
        return int(usd / self.usd(symbol, when) * per_coin)
