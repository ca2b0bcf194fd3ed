"""Investment fraud ("pig butchering"): victims deposit more and more to a fake platform; the ring launders via OTC.

Used by 08_crime_typologies and 10_capstone_investigation.
"""

from __future__ import annotations

import numpy as np

from ..model import World
from .common import actor, buy_coins, consolidate_due, fresh, person_actor, usd


def run(world: World, rng: np.random.Generator) -> None:
    case = world.case("PB-1", "investment_fraud", "Golden Orchid Investments (fake trading platform)")
    ledger, classroom = world.btc, world.profile.name == "classroom"
    ring, wallet = actor(world, "Golden Orchid Investments (fraud ring)", "fraud_ring")
    launderers = []
    for name in ("Tamsin G. Saltmarsh-Twee", "Wystan E. Pebbleshaw"):
        entity = world.registry.entity(name, "fraud_launderer", "Cambodia")
        launderers.append(world.open_account(world.exchange("Meridian Vault"), entity, world.start - 90 * 86_400))
    world.shared_devices.append((launderers, "fraud ring launderers"))

    deposits, victims = [], []
    for number in range(4 if classroom else 10):
        victim, victim_wallet = person_actor(world, "fraud_victim")
        name = world.registry.entity_name[victim]
        exchange = world.exchanges[number % 4]
        platform_address = fresh(world, wallet)  # the "account" the fake platform shows the victim
        day, amount, paid = rng.uniform(3, 20), rng.uniform(500, 2_000), []
        while day < world.profile.days - 25 and len(paid) < 6:
            value = usd(amount)
            coin = buy_coins(
                world, exchange, fresh(world, victim_wallet), value + 15_000, world.time(rng, day, day + 0.3)
            )
            tx, outs = ledger.send(
                [coin],
                [(platform_address, value)],
                world.time(rng, day + 0.4, day + 0.6),
                change=fresh(world, victim_wallet),
            )
            world.label(tx, case, "victim_deposit")
            deposits.append(dict(coin=outs[0], block=int(ledger.tx_block.values[tx])))
            paid.append(dict(tx=tx, value=value, when=int(ledger.times[ledger.tx_block.values[tx]])))
            day, amount = day + rng.uniform(4, 12), amount * rng.uniform(1.6, 3.0)
        victims.append(dict(name=name, entity=victim, exchange=exchange.name, address=platform_address, payments=paid))
        world.complaints.append(
            dict(
                case=case.case_id,
                reporter=name,
                typology="investment_fraud",
                filed=paid[-1]["when"] + 10 * 86_400,
                address=platform_address,
                tx=paid[0]["tx"],
                value=sum(p["value"] for p in paid),
                narrative="A contact met online showed me profits on the Golden Orchid platform; I could never withdraw.",
            )
        )

    # Weekly: collect the platform deposits, send most to the OTC broker and the rest to the launderers' accounts.
    otc = world.book.home(world.otc_wallet)
    sent_otc = sent_exchange = 0
    for day in range(14, world.profile.days - 3, 7):
        outs = consolidate_due(world, rng, deposits, wallet, case, day)
        if outs is None:
            continue
        value = ledger.coin_values(outs)[0]
        to_otc = int(value * 0.7)
        tx, outs = ledger.send(
            outs, [(otc, to_otc)], world.time(rng, day + 0.4, day + 0.6), change=fresh(world, wallet)
        )
        world.label(tx, case, "otc_cash_out")
        sent_otc += to_otc
        account = launderers[(day // 7) % 2]
        tx, last = ledger.send([outs[1]], [(world.deposit_address(account), None)], world.time(rng, day + 1, day + 1.5))
        world.label(tx, case, "cash_out")
        sent_exchange += ledger.coin_values(last)[0]
    _separate_networks(world, launderers, account, tx)
    case.facts.update(
        victims=victims,
        total_loss=sum(p["value"] for v in victims for p in v["payments"]),
        launderer_accounts=launderers,
        sent_to_otc=sent_otc,
        sent_to_exchange=sent_exchange,
        ring_entity=ring,
    )


def _separate_networks(world: World, launderers: list[int], last: int, last_cash_out: int) -> None:
    """The launderers share a phone but not a network: the one paid last uses a café's network, shared by an ordinary
    customer of the exchange (an IP link that is not a link between people); the other uses a network of its own.
    Both log in shortly before the ring's last cash-out (module 09 tells these links apart)."""
    other = next(a for a in launderers if a != last)
    exchange = world.account_exchange.values[last]
    ordinary = np.flatnonzero((world.account_exchange.values == exchange) & (world.account_wallet.values >= 0))
    stranger, elsewhere = int(ordinary[0]), int(ordinary[1])
    world.shared_networks += [[last, stranger], [elsewhere, other]]
    when = int(world.btc.times[world.btc.tx_block.values[last_cash_out]])
    world.scenario_logins += [(stranger, when - 3600), (other, when - 7200)]
