"""A darknet market: buyers pay per-order escrow addresses, the market pays vendors, vendors cash out.

Used by 06_clustering_and_attribution (and 08).
"""

from __future__ import annotations

import numpy as np

from ..entities import P2PKH, P2WPKH
from ..model import World
from ..utxo import COIN
from .coinjoin import CoinJoinService
from .common import actor, buy_coins, fresh, hours, person_actor, usd

VENDORS = (
    "GreenLeafDirect",
    "NightOwlPharma",
    "SilentCourier",
    "CrystalHarbour",
    "PaperMoonDocs",
    "FrostByteCards",
    "BlueLotusSupply",
    "IronKiteLabs",
)
CASHOUT = (
    "Meridian Vault",
    "Kestrel Coin Markets",
    "Meridian Vault",
    "Nordlicht Krypto",
    "Meridian Vault",
    "Bluewater Digital Assets",
    "Harbourline Exchange",
    "Meridian Vault",
)
MARKET_CUT = 0.05


def run(world: World, rng: np.random.Generator, coinjoin: CoinJoinService) -> None:
    case = world.case("DNM-1", "darknet_market", "Hollowreed Market")
    ledger, classroom = world.btc, world.profile.name == "classroom"
    market, escrow = actor(world, "Hollowreed Market", "darknet_market")
    escrow_home = world.book.home(escrow)
    world.tag("bitcoin", escrow_home, "Hollowreed Market escrow", "darknet_market", "forum post", "medium")

    vendors = []
    for number, handle in enumerate(VENDORS[: 5 if classroom else 8]):
        entity, wallet = actor(world, f"{handle} (vendor)", "darknet_vendor", "", P2PKH if number % 3 == 0 else P2WPKH)
        holder = world.registry.entity(_legal_name(number), "darknet_vendor_operator", "Spain")
        account = world.open_account(world.exchange(CASHOUT[number]), holder, world.start - 200 * 86_400)
        vendors.append(
            dict(
                handle=handle,
                entity=entity,
                holder=holder,
                wallet=wallet,
                account=account,
                popularity=rng.pareto(1.2) + 1,
                received=0,
                cashed_out=0,
            )
        )
    popularity = np.array([v["popularity"] for v in vendors])

    orders = []
    for _ in range(30 if classroom else 250):
        _, buyer = person_actor(world, "darknet_buyer")
        exchange = world.exchanges[int(rng.integers(0, len(world.exchanges)))]
        start = rng.uniform(2, world.profile.days - 20)
        order_count = int(rng.integers(1, 4))
        amounts = [usd(rng.uniform(40, 600)) for _ in range(order_count)]
        coin = buy_coins(
            world, exchange, fresh(world, buyer), sum(amounts) + 60_000, world.time(rng, start, start + 0.5)
        )
        when = world.time(rng, start + 0.6, start + 1)
        for amount in amounts:
            vendor = int(rng.choice(len(vendors), p=popularity / popularity.sum()))
            order_address = fresh(world, escrow)
            tx, outs = ledger.send([coin], [(order_address, amount)], when, change=fresh(world, buyer))
            world.label(tx, case, "purchase")
            orders.append(dict(coin=outs[0], vendor=vendor, value=amount, block=ledger.tx_block.values[tx]))
            coin, when = outs[1], when + int(rng.uniform(1, 7) * 86_400)
            if ledger.block_at(when) >= ledger.times.size - 10:
                break

    # Every few days the market sweeps paid orders into escrow and pays vendors their share in one batch.
    escrow_coin = None
    for day in range(7, world.profile.days - 2, 4):
        cutoff = ledger.block_at(world.start + day * 86_400)
        due = [o for o in orders if o["block"] < cutoff and "paid" not in o]
        if not due:
            continue
        when = world.time(rng, day, day + 0.3)
        inputs = [o["coin"] for o in due] + ([escrow_coin] if escrow_coin is not None else [])
        shares = {}
        for order in due:
            order["paid"] = True
            shares[order["vendor"]] = shares.get(order["vendor"], 0) + int(order["value"] * (1 - MARKET_CUT))
        payouts = [(world.book.home(vendors[v]["wallet"]), value) for v, value in sorted(shares.items())]
        tx, outs = ledger.send(inputs, payouts, when, change=escrow_home)
        world.label(tx, case, "vendor_payout")
        escrow_coin = outs[-1] if len(outs) > len(payouts) else None
        for (vendor, value), coin in zip(sorted(shares.items()), outs):
            vendors[vendor]["received"] += value
            vendors[vendor].setdefault("coins", []).append(coin)
            vendors[vendor]["last"] = when

    # Vendors cash out their payouts at their exchange account; one of them passes through a CoinJoin first.
    for number, vendor in enumerate(vendors):
        coins = vendor.get("coins", [])
        if not coins:
            continue
        when = vendor["last"] + hours(rng.uniform(6, 48))
        deposit = world.deposit_address(vendor["account"])
        if number == 1 and sum(ledger.coin_values(coins)) > 0.012 * COIN:
            tx, coins = coinjoin.round(when, (vendor["wallet"], coins, 3))
            world.label(tx, case, "coinjoin")
            vendor["coinjoin"] = tx
            when += hours(30)
        tx, outs = ledger.send(coins, [(deposit, None)], when)
        world.label(tx, case, "cash_out")
        vendor["cashed_out"] = ledger.coin_values(outs)[0]
        vendor["cash_out_exchange"] = world.exchanges[int(world.account_exchange.values[vendor["account"]])].name
    # After the last sweep, one buyer pays from the exchange straight to the market's escrow address, with no wallet
    # of their own between: the exchange's ledger shows a withdrawal to a darknet market (direct exposure, module 04).
    day = world.profile.days - 1.6
    coin = buy_coins(
        world,
        world.exchanges[int(rng.integers(0, len(world.exchanges)))],
        escrow_home,
        usd(rng.uniform(40, 600)),
        world.time(rng, day, day + 0.5),
        customer=world.person("darknet_buyer"),
    )
    world.label(int(ledger.out_tx.values[coin]), case, "purchase")
    case.facts.update(vendors=vendors, orders=len(orders), escrow_address=escrow_home, market_entity=market)


def _legal_name(number: int) -> str:
    return (
        "Dorian P. Puddingstone",
        "Xanthe V. Gorseberry",
        "Ulric M. Hollowmere",
        "Sorrel A. Lanternfield",
        "Perpetua J. Quibbleton",
        "Fenn L. Tumblewick",
        "Halcyon B. Crumplehorn",
        "Jasper N. Inkwhistle",
    )[number]
