"""Exchange customers for AML monitoring: structuring, rapid in-and-out, and honest customers who look alike.

Used by 04_aml_monitoring_and_red_flags. The red flags are judged in US dollars at the hour's price:
structurers make several deposits just under THRESHOLD_USD within WINDOW_HOURS; rapid in-and-out customers
withdraw most of a deposit within hours. Look-alikes trip looser rules (two near-threshold deposits a week apart;
a withdrawal of part of a deposit the next day) but are ordinary customers.
"""

from __future__ import annotations

import numpy as np

from ..entities import P2WPKH
from ..model import World
from ..utxo import COIN
from .common import actor, fresh, hours

THRESHOLD_USD = 10_000
WINDOW_HOURS = 48


def run(world: World, rng: np.random.Generator) -> None:
    case = world.case("AML-1", "aml_red_flags", "Harbourline and Kestrel customers under transaction monitoring")
    large = world.profile.name == "large"
    labels = []
    for number in range(8 if large else 3):
        labels.append(_structurer(world, rng, case, number))
    for number in range(8 if large else 3):
        labels.append(_in_and_out(world, rng, case, number))
    for number in range(10 if large else 4):
        labels.append(_lookalike_structuring(world, rng, number))
    for number in range(10 if large else 4):
        labels.append(_lookalike_in_out(world, rng, number))
    for number in range(2 if large else 1):
        labels.append(_lookalike_quick_partial(world, rng, number))
    world.aml_labels = labels
    case.facts.update(threshold_usd=THRESHOLD_USD, window_hours=WINDOW_HOURS, customers=labels)


def _customer(world: World, rng: np.random.Generator, number: int, funds_usd: float):
    """A person with a self-hosted wallet funded in the genesis block and an account at one of two exchanges."""
    entity = world.person("exchange_customer")
    wallet = world.registry.wallet(entity, P2WPKH)
    exchange = world.exchanges[number % 2]
    account = world.open_account(exchange, entity, int(world.opening_times(1)[0]))
    coin = int(world.btc.fund(fresh(world, wallet), int(funds_usd / 40_000 * COIN))[0])
    return wallet, exchange, account, coin


def _deposit(world, wallet, account, coin, usd, when):
    """Send about `usd` dollars (at the hour's price) from `coin` to the account's deposit address; returns (tx, change)."""
    value = world.prices.units("BTC", usd, when, COIN)
    tx, outs = world.btc.send([coin], [(world.deposit_address(account), value)], when, change=fresh(world, wallet))
    return tx, outs[1]


def _withdraw(world, exchange, account, address, usd, when) -> int:
    """The exchange pays `usd` dollars of coins from its hot wallet to `address` for the account."""
    hot = world.book.home(exchange.hot_wallet)
    value = world.prices.units("BTC", usd, when, COIN)
    reserve = int(world.btc.fund(hot, value + COIN // 20)[0])
    tx, outputs = world.btc.send([reserve], [(address, value)], when, change=hot)
    world.withdrawal_outputs.append((np.array([outputs[0]]), np.array([account])))
    return tx


def _structurer(world, rng, case, number) -> dict:
    wallet, exchange, account, coin = _customer(world, rng, number, 120_000)
    day = rng.uniform(8, world.profile.days - 35)
    for _ in range(2):
        when = world.time(rng, day, day + 0.2)
        for _ in range(int(rng.integers(3, 6))):
            tx, coin = _deposit(world, wallet, account, coin, rng.uniform(9_000, 9_950), when)
            world.label(tx, case, "structured_deposit")
            when += hours(rng.uniform(3, WINDOW_HOURS / 4))
        day += rng.uniform(12, 25)
    return dict(account=account, exchange=exchange.name, pattern="structuring", suspicious=True)


def _in_and_out(world, rng, case, number) -> dict:
    wallet, exchange, account, coin = _customer(world, rng, number + 1, 300_000)
    _, onward = actor(world, f"Unknown counterparty {number + 1}", "layering_counterparty")
    day = rng.uniform(5, 20)
    for _ in range(3):
        usd = rng.uniform(15_000, 60_000)
        when = world.time(rng, day, day + 0.3)
        tx, coin = _deposit(world, wallet, account, coin, usd, when)
        world.label(tx, case, "rapid_deposit")
        tx = _withdraw(
            world,
            exchange,
            account,
            fresh(world, onward),
            usd * rng.uniform(0.95, 0.99),
            when + hours(rng.uniform(1, 5)),
        )
        world.label(tx, case, "rapid_withdrawal")
        day += rng.uniform(10, 20)
    return dict(account=account, exchange=exchange.name, pattern="rapid_in_and_out", suspicious=True)


def _lookalike_structuring(world, rng, number) -> dict:
    """Two near-threshold deposits (a monthly rent and a car sale, say) six days apart: not structuring."""
    wallet, exchange, account, coin = _customer(world, rng, number, 60_000)
    when = world.time(rng, 5, world.profile.days - 15)
    for _ in range(2):
        _, coin = _deposit(world, wallet, account, coin, rng.uniform(8_500, 9_900), when)
        when += hours(rng.uniform(130, 160))
    return dict(account=account, exchange=exchange.name, pattern="lookalike_structuring", suspicious=False)


def _lookalike_in_out(world, rng, number) -> dict:
    """A trader who deposits, then withdraws part of it a day or more later to their own wallet: not layering."""
    wallet, exchange, account, coin = _customer(world, rng, number + 1, 100_000)
    when = world.time(rng, 5, world.profile.days - 15)
    usd = rng.uniform(12_000, 40_000)
    _, coin = _deposit(world, wallet, account, coin, usd, when)
    _withdraw(
        world, exchange, account, fresh(world, wallet), usd * rng.uniform(0.5, 0.8), when + hours(rng.uniform(26, 60))
    )
    return dict(account=account, exchange=exchange.name, pattern="lookalike_in_and_out", suspicious=False)


def _lookalike_quick_partial(world, rng, number) -> dict:
    """A trader who, three times, withdraws part of a deposit within hours to their own wallet: fast, but far from
    the whole deposit, so not rapid in-and-out."""
    wallet, exchange, account, coin = _customer(world, rng, number, 150_000)
    day = rng.uniform(5, 20)
    for _ in range(3):
        usd = rng.uniform(12_000, 40_000)
        when = world.time(rng, day, day + 0.3)
        _, coin = _deposit(world, wallet, account, coin, usd, when)
        _withdraw(
            world,
            exchange,
            account,
            fresh(world, wallet),
            usd * rng.uniform(0.4, 0.75),
            when + hours(rng.uniform(1, 6)),
        )
        day += rng.uniform(10, 20)
    return dict(account=account, exchange=exchange.name, pattern="lookalike_quick_partial", suspicious=False)
