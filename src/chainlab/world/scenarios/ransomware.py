"""Ransomware: victims pay unique ransom addresses; the group consolidates, peels, and cashes out at exchanges.

Used by 05_tracing_the_money (and 08, 10).
"""

from __future__ import annotations

import numpy as np

from ..model import World
from .common import actor, buy_coins, fresh, hours, jitter, usd

VICTIMS = (
    "Oakridge Dental Clinic",
    "Pennywhistle Logistics",
    "Saltmarsh Town Council",
    "Bramblegate Law Partners",
    "Copperfield Primary School",
    "Duckpond Water Utility",
    "Hollyhock Veterinary Group",
    "Tinderbox Print Works",
    "Fernhollow Care Home",
    "Gullwing Freight",
    "Marrowby Motors",
    "Quayside Architects",
)


def run(world: World, rng: np.random.Generator) -> None:
    case = world.case("RW-1", "ransomware", "Black Lantern ransomware campaign")
    group, wallet = actor(world, "Black Lantern (ransomware group)", "ransomware_group")
    ledger = world.btc
    victims = VICTIMS[: 6 if world.profile.name == "classroom" else 12]
    ransom_coins, payments = [], []
    for number, name in enumerate(victims):
        victim, victim_wallet = actor(world, name, "ransomware_victim", "United Kingdom")
        exchange = world.exchanges[number % 4]
        ransom = int(round(usd(rng.choice([45_000, 80_000, 120_000, 250_000])), -4))
        attacked = world.time(rng, 3 + number * 4, 5 + number * 4)
        bought = buy_coins(world, exchange, fresh(world, victim_wallet), ransom + 20_000, attacked + hours(30))
        pay_to = fresh(world, wallet)
        tx, outs = ledger.send([bought], [(pay_to, ransom)], attacked + hours(40), change=fresh(world, victim_wallet))
        world.label(tx, case, "ransom_payment")
        ransom_coins.append(outs[0])
        payments.append(
            dict(
                victim=name,
                entity=victim,
                address=pay_to,
                tx=tx,
                value=ransom,
                exchange=exchange.name,
                when=attacked + hours(40),
            )
        )
        world.complaints.append(
            dict(
                case=case.case_id,
                reporter=name,
                typology="ransomware",
                filed=attacked + hours(72),
                address=pay_to,
                tx=tx,
                value=ransom,
                narrative=f"Our systems were encrypted by 'Black Lantern'. We paid the ransom note's bitcoin address after buying coins at {exchange.name}.",
            )
        )
    for payment in payments[:2]:
        world.tag(
            "bitcoin", payment["address"], "Black Lantern ransomware", "ransomware", "threat-intel blog", "medium"
        )

    # Consolidate everything into one address, then peel small amounts off to exchange accounts.
    last_paid = max(p["when"] for p in payments)
    pool = fresh(world, wallet)
    tx, outs = ledger.send(ransom_coins, [(pool, None)], last_paid + hours(20))
    world.label(tx, case, "consolidation")
    mules = []
    for mule_name, exchange_name in (
        ("Orrin T. Muddleford", "Meridian Vault"),
        ("Ember Q. Kettlebank", "Bluewater Digital Assets"),
        ("Cosmo R. Fizzlewick", "Meridian Vault"),
    ):
        entity = world.registry.entity(mule_name, "money_mule", "Portugal")
        account = world.open_account(world.exchange(exchange_name), entity, world.start - 40 * 86_400)
        mules.append(account)
    world.shared_devices.append((mules, "ransomware mules"))
    coin, when, peels = outs[0], last_paid + hours(30), []
    for hop in range(10 if world.profile.name == "classroom" else 14):
        balance = ledger.coin_values([coin])[0]
        peel = int(balance * rng.uniform(0.04, 0.12))
        account = mules[hop % len(mules)]
        next_address = fresh(world, wallet)
        tx, outs = ledger.send([coin], [(world.deposit_address(account), peel)], when, change=next_address)
        world.label(tx, case, "peel")
        peels.append(dict(tx=tx, account=account, value=peel))
        coin, when = outs[1], when + jitter(rng, 2, 9)
    tx, outs = ledger.send([coin], [(world.deposit_address(mules[0]), None)], when)
    world.label(tx, case, "cash_out")
    case.facts.update(
        payments=payments,
        total_ransom=sum(p["value"] for p in payments),
        consolidation_address=pool,
        peels=peels,
        final_cash_out=dict(tx=tx, account=mules[0]),
        mule_accounts=mules,
        group_entity=group,
    )
