"""Steps that many scenarios share: buying coins at an exchange, sweeping payments together, fresh addresses."""

from __future__ import annotations

import numpy as np

from ..entities import P2WPKH
from ..model import Exchange, World
from ..utxo import COIN

USD_PER_COIN = 62_000  # rough 2024 level, used only to size amounts in USD terms


def usd(amount: float) -> int:
    """Satoshi worth about `amount` US dollars."""
    return int(amount / USD_PER_COIN * COIN)


def buy_coins(
    world: World, exchange: Exchange, address: int, value: int, when: int, customer: int | None = None
) -> int:
    """The owner of `address` (or `customer`, when the withdrawal pays someone else) buys coins at `exchange` and
    withdraws them to `address`; returns the new coin.

    The buyer gets a customer account (KYC) at the exchange, and the withdrawal is in the exchange's ledger.
    """
    entity = (
        int(world.registry.wallet_entity.values[world.book.wallet.values[address]]) if customer is None else customer
    )
    key = (exchange.index, entity)
    if key not in world.customer_accounts:
        world.customer_accounts[key] = world.open_account(exchange, entity, int(world.opening_times(1)[0]))
    hot = world.book.home(exchange.hot_wallet)
    reserve = int(world.btc.fund(hot, value + COIN // 10)[0])
    _, outputs = world.btc.send([reserve], [(address, value)], when, change=hot)
    world.withdrawal_outputs.append((np.array([outputs[0]]), np.array([world.customer_accounts[key]])))
    return outputs[0]


def actor(world: World, name: str, role: str, jurisdiction: str = "", kind: int = P2WPKH) -> tuple[int, int]:
    """A scenario entity with one quiet wallet (it moves only when the scenario says); returns (entity, wallet)."""
    entity = world.registry.entity(name, role, jurisdiction)
    return entity, world.registry.wallet(entity, kind)


def person_actor(world: World, role: str, kind: int = P2WPKH) -> tuple[int, int]:
    """A fictional person, drawn like every ordinary customer, with one quiet wallet; returns (entity, wallet)."""
    entity = world.person(role)
    return entity, world.registry.wallet(entity, kind)


def fresh(world: World, wallet: int) -> int:
    return world.book.new(wallet)


def hours(value: float) -> int:
    return int(value * 3600)


def jitter(rng: np.random.Generator, low_hours: float, high_hours: float) -> int:
    return int(rng.uniform(low_hours, high_hours) * 3600)


def consolidate_due(
    world: World,
    rng: np.random.Generator,
    payments: list[dict],
    wallet: int,
    case,
    day: int,
    *,
    min_count: int = 1,
    spread: float = 0.2,
) -> list[int] | None:
    """Sweep the payments confirmed before `day`, not swept yet, into one fresh address of `wallet`.

    Returns the new coins, or None when fewer than `min_count` payments are due.
    """
    cutoff = world.btc.block_at(world.start + day * 86_400)
    due = [p for p in payments if p["block"] < cutoff and "swept" not in p]
    if len(due) < min_count:
        return None
    for payment in due:
        payment["swept"] = True
    collection = fresh(world, wallet)
    tx, outs = world.btc.send([p["coin"] for p in due], [(collection, None)], world.time(rng, day, day + spread))
    world.label(tx, case, "consolidation")
    return outs
