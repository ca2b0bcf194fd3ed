"""A fund-recovery fraud for the capstone: a fake firm charges scam victims "recovery fees", sweeps them together,
peels the pool off to two money mules' exchange accounts, and pays the rest to the organiser's account there.

Used by 10_capstone_investigation, whose learners meet this case for the first time. One victim's complaint opens it;
the other victims are found by clustering (the sweep spends every fee together). The organiser, the mules and a
recruiter who never touches the chain log in from one phone; two strangers share only the organiser's network (a
café's IP address). The exchange, the people, the amounts and the number of victims, fees and peels change with
the seed.

The case is added without disturbing the rest of the world: its accounts open after every other account (so no
other account id changes), and its coins are reserved (ordinary traffic never spends them, so the traffic generated
afterwards is the one the world had without it).
"""

from __future__ import annotations

import numpy as np

from ..model import World
from .common import actor, buy_coins, fresh, hours, jitter, person_actor, usd

FIRM = "Lodestar Recovery Partners"
START_DAY = 72  # late in the world, so that the transactions of the other cases keep their place in the chain


def run(world: World, rng: np.random.Generator) -> None:
    case = world.case("CAP-1", "fund_recovery_fraud", f"{FIRM} (fake fund-recovery firm)")
    ledger = world.btc
    firm, wallet = actor(world, f"{FIRM} (fraud)", "fraud_ring")
    cash_out_at = world.exchanges[int(rng.integers(0, len(world.exchanges)))]
    elsewhere = [x for x in world.exchanges if x is not cash_out_at]
    latest = int(world.account_opened.values.max())
    opened = lambda: latest + len(world.account_opened.values)  # noqa: E731  (after every account so far, in order)
    first_output = ledger.out_tx.size

    victims, fee_coins = [], []
    for number in range(int(rng.integers(4, 7))):
        victim, victim_wallet = person_actor(world, "fraud_victim")
        bought_at = elsewhere[int(rng.integers(0, len(elsewhere)))]
        world.customer_accounts[(bought_at.index, victim)] = world.open_account(bought_at, victim, opened())
        day, fees = rng.uniform(START_DAY, START_DAY + 4), []
        for _ in range(int(rng.integers(1, 4))):
            value = usd(rng.uniform(1_500, 12_000))
            coin = buy_coins(
                world, bought_at, fresh(world, victim_wallet), value + 20_000, world.time(rng, day, day + 0.3)
            )
            invoice = fresh(world, wallet)  # the firm sends a new "invoice address" for every fee
            tx, outs = ledger.send(
                [coin], [(invoice, value)], world.time(rng, day + 0.4, day + 0.6), change=fresh(world, victim_wallet)
            )
            world.label(tx, case, "victim_payment")
            fee_coins.append(outs[0])
            fees.append(dict(tx=tx, address=invoice, value=value, when=int(ledger.times[ledger.tx_block.values[tx]])))
            day += rng.uniform(1, 3)
        victims.append(dict(name=world.registry.entity_name[victim], exchange=bought_at.name, fees=fees))
        if number == 0:  # only the first victim goes to the police: the others are found by clustering
            world.complaints.append(
                dict(
                    case=case.case_id,
                    reporter=victims[0]["name"],
                    typology="fund_recovery_fraud",
                    filed=fees[-1]["when"] + 6 * 86_400,
                    address=fees[0]["address"],
                    tx=fees[0]["tx"],
                    value=sum(f["value"] for f in fees),
                    narrative=f"After I lost money to an online scam, {FIRM} promised to recover it for a fee paid "
                    "in bitcoin. I paid every invoice they sent; they stopped answering.",
                )
            )
    later = victims[1 + int(rng.integers(0, len(victims) - 1))]["fees"][0]["address"]
    world.tag("bitcoin", later, f"{FIRM} (reported scam)", "fraud", "scam-report website", "medium")

    roles = ["fraud_organiser", "money_mule", "money_mule", "fraud_recruiter", "customer", "customer"]
    holders = [person_actor(world, role)[0] for role in roles]
    accounts = [-1] * len(roles)
    for number in rng.permutation(len(roles)):  # opened in no telling order, so that account ids give nothing away
        accounts[number] = world.open_account(cash_out_at, holders[number], opened())
    suspect, mule_accounts, recruiter_account, strangers = accounts[0], accounts[1:3], accounts[3], accounts[4:]
    world.shared_devices.append(([suspect, *mule_accounts, recruiter_account], "capstone fraud ring"))
    world.shared_networks.append([suspect, *strangers])  # one café's network: the IP address only

    # Sweep every fee into one pool, peel it off to the mules, and pay what is left to the organiser.
    last_fee = max(f["when"] for v in victims for f in v["fees"])
    pool = fresh(world, wallet)
    swept = last_fee + hours(rng.uniform(10, 30))
    tx, outs = ledger.send(fee_coins, [(pool, None)], swept)
    world.label(tx, case, "consolidation")
    coin, when, peels = outs[0], last_fee + hours(40), []
    for hop in range(int(rng.integers(6, 9))):
        peel = int(ledger.coin_values([coin])[0] * rng.uniform(0.05, 0.12))
        account = mule_accounts[hop % 2]
        tx, outs = ledger.send([coin], [(world.deposit_address(account), peel)], when, change=fresh(world, wallet))
        world.label(tx, case, "peel")
        peels.append(dict(tx=tx, account=account, value=peel))
        world.scenario_logins.append((account, when + hours(rng.uniform(0.5, 1.5))))  # the mule checks the deposit
        coin, when = outs[1], when + jitter(rng, 2, 9)
    end = world.deposit_address(suspect)
    tx, last = ledger.send([coin], [(end, None)], when)
    world.label(tx, case, "cash_out")
    # Before the cash-out (so within the days of the facts): the organiser at a café, two strangers on its network,
    # and the recruiter, some time after the sweep.
    logged_in = when - hours(rng.uniform(0.2, 1.5))
    world.scenario_logins += [(suspect, logged_in), (recruiter_account, int(rng.uniform(swept, logged_in)))]
    world.scenario_logins += [(other, logged_in - hours(rng.uniform(0, 1))) for other in strangers]
    world.tag("bitcoin", end, f"{cash_out_at.name} deposit", "exchange", "address clustering service", "medium")
    ledger.out_reserved.values[first_output:] = True  # out of the ordinary traffic's reach
    case.facts.update(
        victims=victims,
        total_proceeds=sum(f["value"] for v in victims for f in v["fees"]),
        pool=pool,
        peels=peels,
        final_cash_out=dict(tx=tx, value=ledger.coin_values(last)[0]),
        exchange=cash_out_at.name,
        suspect_account=suspect,
        mule_accounts=mule_accounts,
        recruiter_account=recruiter_account,
        stranger_accounts=strangers,
        firm_entity=firm,
    )
