"""Sanctions evasion: a listed entity moves its coins to new, unlisted addresses and keeps trading.

Used by 03_legal_and_regulatory (screening, one-hop exposure) and 08_crime_typologies.
"""

from __future__ import annotations

import numpy as np

from ..model import World
from ..utxo import COIN
from .common import actor, buy_coins, fresh

LISTED_DAY = 25


def run(world: World, rng: np.random.Generator) -> None:
    case = world.case("SAN-1", "sanctions_evasion", "Ironvale Trading Ltd moves funds after its listing")
    ledger = world.btc
    entity, wallet = actor(world, "Ironvale Trading Ltd", "sanctioned_entity", "Fictional Republic of Norvask")
    listed = [fresh(world, wallet) for _ in range(3)]
    coins = list(ledger.fund(np.array(listed), rng.integers(5, 30, 3) * COIN))
    listed_at = world.start + LISTED_DAY * 86_400
    for address in listed:
        world.sanctions.append(
            dict(
                entity=entity,
                name="Ironvale Trading Ltd",
                address=address,
                listed=listed_at,
                delisted=None,
                program="FICTIONAL-NRV-1",
            )
        )
    retired_entity, retired_wallet = actor(
        world, "Old Fen Shipping Co.", "formerly_sanctioned", "Fictional Republic of Norvask"
    )
    retired = fresh(world, retired_wallet)
    ledger.fund(retired, 2 * COIN)
    world.sanctions.append(
        dict(
            entity=retired_entity,
            name="Old Fen Shipping Co.",
            address=retired,
            listed=world.start - 400 * 86_400,
            delisted=world.start + 10 * 86_400,
            program="FICTIONAL-NRV-1",
        )
    )

    # A customer paid an invoice into a listed address before the listing: an address that sent coins to a listed
    # address (one-hop exposure, module 03).
    _, customer_wallet = actor(world, "Tollgate Freight Agency", "sanctions_counterparty", "Georgia")
    day = rng.uniform(LISTED_DAY - 15, LISTED_DAY - 5)
    invoice = int(rng.integers(3, 12)) * COIN // 10
    coin = buy_coins(
        world,
        world.exchange("Kestrel Coin Markets"),
        fresh(world, customer_wallet),
        invoice + COIN // 50,
        world.time(rng, day, day + 0.4),
    )
    tx, outs = ledger.send(
        [coin], [(listed[0], invoice)], world.time(rng, day + 0.5, day + 1), change=fresh(world, customer_wallet)
    )
    world.label(tx, case, "invoice_payment")
    coins.append(outs[0])
    # Before the listing it paid a supplier's exchange account from an address listed later: a deposit from an
    # address on the sanctions list (direct exposure, module 04).
    dock, _ = actor(world, "Saltmere Dock Services", "sanctions_counterparty", "Netherlands")
    dock_account = world.open_account(world.exchange("Harbourline Exchange"), dock, world.start - 250 * 86_400)
    day = rng.uniform(LISTED_DAY - 15, LISTED_DAY - 5)
    tx, outs = ledger.send(
        [coins[1]],
        [(world.deposit_address(dock_account), COIN // 2)],
        world.time(rng, day, day + 0.5),
        change=listed[1],
    )
    world.label(tx, case, "payment_to_exchange_customer")
    coins[1] = outs[1]

    # Two days after the listing, everything moves to new addresses.
    new_addresses = [fresh(world, wallet) for _ in range(2)]
    total = sum(ledger.coin_values(coins))
    tx, moved = ledger.send(coins, [(new_addresses[0], total // 2), (new_addresses[1], None)], listed_at + 2 * 86_400)
    world.label(tx, case, "evasion_move")
    # From the new addresses it pays suppliers: one holds an exchange account (direct exposure for that exchange),
    # one a self-hosted wallet that later deposits at another exchange (one-hop exposure).
    supplier, supplier_wallet = actor(world, "Brackenridge Marine Supplies", "sanctions_counterparty", "Netherlands")
    account = world.open_account(world.exchange("Harbourline Exchange"), supplier, world.start - 300 * 86_400)
    when = listed_at + 6 * 86_400
    tx, outs = ledger.send([moved[0]], [(world.deposit_address(account), 3 * COIN)], when, change=fresh(world, wallet))
    world.label(tx, case, "payment_to_exchange_customer")
    broker, broker_wallet = actor(world, "Fenwhistle Commodities", "sanctions_counterparty", "Turkey")
    broker_address = fresh(world, broker_wallet)
    tx, outs2 = ledger.send([moved[1]], [(broker_address, 2 * COIN)], when + 86_400, change=fresh(world, wallet))
    world.label(tx, case, "payment_to_counterparty")
    broker_account = world.open_account(world.exchange("Kestrel Coin Markets"), broker, world.start - 100 * 86_400)
    tx, _ = ledger.send([outs2[0]], [(world.deposit_address(broker_account), None)], when + 3 * 86_400)
    world.label(tx, case, "one_hop_deposit")
    case.facts.update(
        listed_addresses=listed,
        new_addresses=new_addresses,
        exchange_account=account,
        one_hop_account=broker_account,
        entity=entity,
        listed_at=listed_at,
    )
