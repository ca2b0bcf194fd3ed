"""A terrorism-financing donation campaign: one published address, many small donations, forwarded to an OTC desk.

Used by 08_crime_typologies (payment patterns only).
"""

from __future__ import annotations

import numpy as np

from ..model import World
from .common import actor, buy_coins, consolidate_due, fresh, person_actor, usd


def run(world: World, rng: np.random.Generator) -> None:
    case = world.case("TF-1", "terrorism_financing", "'Free Varnland Brigade' donation campaign (fictional group)")
    ledger, classroom = world.btc, world.profile.name == "classroom"
    campaign, wallet = actor(world, "Free Varnland Brigade (fictional armed group)", "terror_campaign")
    donation_address = world.book.home(wallet)
    world.tag(
        "bitcoin",
        donation_address,
        "Free Varnland Brigade donations",
        "terrorism_financing",
        "social media post",
        "high",
    )
    donations, donors = [], []
    for _ in range(15 if classroom else 60):
        donor, donor_wallet = person_actor(world, "donor")
        exchange = world.exchanges[int(rng.choice(len(world.exchanges), p=[0.15, 0.15, 0.2, 0.1, 0.4]))]
        day = rng.uniform(10, world.profile.days - 15)
        value = usd(rng.choice([25, 50, 100, 150, 300]))
        coin = buy_coins(world, exchange, fresh(world, donor_wallet), value + 12_000, world.time(rng, day, day + 0.3))
        tx, outs = ledger.send(
            [coin],
            [(donation_address, value)],
            world.time(rng, day + 0.4, day + 0.8),
            change=fresh(world, donor_wallet),
        )
        world.label(tx, case, "donation")
        donations.append(dict(coin=outs[0], block=int(ledger.tx_block.values[tx])))
        donors.append(dict(entity=donor, exchange=exchange.name, tx=tx, value=value))

    otc, forwarded = world.book.home(world.otc_wallet), 0
    for day in range(20, world.profile.days - 2, 10):
        outs = consolidate_due(world, rng, donations, wallet, case, day, min_count=2, spread=0.3)
        if outs is None:
            continue
        tx, outs = ledger.send(outs, [(otc, None)], world.time(rng, day + 0.5, day + 0.9))
        world.label(tx, case, "otc_cash_out")
        forwarded += ledger.coin_values(outs)[0]
    case.facts.update(
        donation_address=donation_address,
        donors=donors,
        total_donations=sum(d["value"] for d in donors),
        forwarded_to_otc=forwarded,
        campaign_entity=campaign,
    )
