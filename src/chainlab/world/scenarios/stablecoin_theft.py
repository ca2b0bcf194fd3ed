"""Stolen stablecoins: an exploiter drains a lending protocol's NUSD, splits it, swaps part for the native coin on
the DEX, mixes that in fixed-denomination pools, bridges it to the UTXO chain and cashes out at an exchange.
The issuer freezes the accounts it knows about; one account escapes the freeze.

The thief makes the mistakes module 07's heuristics find: a withdrawal back to a depositing address, withdrawals
minutes after the deposits, one unusual gas price on deposits and self-submitted withdrawals, and a withdrawal
address that receives exactly the mix of notes one account deposited. Used by 07_ethereum_defi_and_bridges.
"""

from __future__ import annotations

import numpy as np

from ..account import GAS_USED, GWEI_PER_ETHER, NATIVE, WEI_PER_GWEI
from ..defi import STABLE_UNIT, STABLECOIN, mint
from ..entities import P2WPKH
from ..model import World
from .common import fresh, hours

EXPLOIT_DAY = 30
THIEF_GAS_PRICE = 21_210_000_000  # 21.21 gwei on every transaction the thief signs: a fingerprint
GAS_RESERVE = GWEI_PER_ETHER // 20


def run(world: World, rng: np.random.Generator, traffic) -> None:
    """The account-chain part of the case (the bridge releases it on the UTXO chain later; see `cash_out`).

    `traffic` (the ordinary AccountTraffic) is made up to each of the thief's moves first, so that his swaps meet
    the DEX pool as it stands at their place in the chain."""
    case = world.case("ST-1", "stablecoin_theft", "Lumen Lend exploit: stolen NUSD swapped, mixed and bridged")
    ledger, registry = world.eth, world.registry
    large = world.profile.name == "large"
    protocol_entity = registry.entity("Lumen Lend (lending protocol)", "defi_protocol")
    protocol = ledger.add_contract(protocol_entity, "Lumen Lend reserve", "lending_protocol").account
    mint(world, protocol, (14_000_000 if large else 6_000_000) * STABLE_UNIT, world.start + 1_200)

    thief = registry.entity("Brisk H. Ravelstoke", "thief", "Fictional Republic of Norvask")
    own = lambda: ledger.new_account(thief)  # noqa: E731
    main, gas = own(), own()
    world.tag("ethereum", main, "Lumen Lend Exploiter 1", "exploiter", "explorer label", "high")
    facts = case.facts
    label = lambda tx, step: world.eth_labels.append((tx, case.case_id, step)) or tx  # noqa: E731

    def send(when, sender, to, value=0, method="plain"):
        return ledger.send(when, sender, to, value, method, THIEF_GAS_PRICE)

    # Gas money comes from the thief's own account at the lax exchange.
    day = world.start + EXPLOIT_DAY * 86_400
    meridian = world.exchange("Meridian Vault")
    facts["thief_exchange_account"] = world.open_account(meridian, thief, day - 60 * 86_400)
    funded = day - 3 * 86_400 + hours(rng.uniform(9, 17))
    traffic.run(until=funded)
    funding = label(ledger.send(funded, meridian.eth_hot, main, int(0.8 * GWEI_PER_ETHER)), "gas_funding")
    when = day + hours(2.2) + int(rng.integers(0, 600))
    traffic.run(until=when)
    stolen = (3_600_000 if large else 2_400_000) * STABLE_UNIT + int(rng.integers(0, 10**6)) * STABLE_UNIT // 100
    exploit = label(send(when, main, protocol, method="exploit"), "exploit")
    ledger.transfer_token(exploit, STABLECOIN, protocol, main, stolen)

    # Split into three accounts; fund the gas account that will submit mixer withdrawals.
    splits = [own() for _ in range(3)]
    shares = [stolen * 40 // 100, stolen * 35 // 100]
    shares.append(stolen - sum(shares))
    when += 300
    for account, share in zip(splits, shares):
        when += int(rng.integers(60, 400))
        tx = label(send(when, main, ledger.tokens[STABLECOIN].account, method="transfer"), "split")
        ledger.transfer_token(tx, STABLECOIN, main, account, share)
    label(send(when + 200, main, gas, int(0.5 * GWEI_PER_ETHER)), "gas_funding")
    for account in splits:
        label(send(when + 260, main, account, int(0.08 * GWEI_PER_ETHER)), "gas_funding")

    # Swap: all of the first account's coins, half of the second's, in a few pieces each.
    swaps = []
    when += 1_800
    for account, part, pieces in ((splits[0], 1.0, 3), (splits[1], 0.5, 2)):
        left = int(ledger.balance(STABLECOIN, account) * part)
        for piece in range(pieces):
            amount = left if piece == pieces - 1 else int(left * rng.uniform(0.3, 0.45))
            left -= amount
            when += int(rng.integers(120, 900))
            tx, _ = world.dex.tokens_for_eth(when, account, amount, THIEF_GAS_PRICE)
            swaps.append(label(tx, "swap"))
    traffic.make_room(after=when)

    # Before the freeze, half of the third account moves to a fourth the issuer does not know about.
    hidden = own()
    moved = ledger.balance(STABLECOIN, splits[2]) // 2
    tx = label(send(day + hours(20), splits[2], ledger.tokens[STABLECOIN].account, method="transfer"), "split")
    ledger.transfer_token(tx, STABLECOIN, splits[2], hidden, moved)

    notes = _mix(world, rng, ledger, splits[:2], gas, thief, when + 1_200, label)
    frozen = _freeze(world, rng, [main, splits[1], splits[2]], day + hours(26), label)
    bridged = _bridge(world, rng, notes, thief, label)
    facts.update(
        protocol=protocol,
        thief=thief,
        main=main,
        gas=gas,
        splits=splits,
        hidden=hidden,
        stolen=stolen,
        exploit=exploit,
        funding=funding,
        swaps=swaps,
        notes=notes,
        frozen=frozen,
        bridged=bridged,
    )


def _mix(world, rng, ledger, depositors, gas, thief, start, label):
    """Deposit each account's native coins as notes (largest first), then withdraw them to fresh accounts."""
    deposits, when = [], start
    for depositor in depositors:
        spendable = ledger.balance(NATIVE, depositor) - GAS_RESERVE
        deposit_gas = -(-(GAS_USED["mixer_deposit"] + 4_000) * THIEF_GAS_PRICE // WEI_PER_GWEI)
        for ether in (100, 10, 1):
            mixer = world.mixers[ether]
            while spendable >= mixer.denomination + deposit_gas:
                when += int(rng.integers(240, 1_200))
                note = mixer.deposit(when, depositor, thief, THIEF_GAS_PRICE)
                label(note.deposit_tx, "mixer_deposit")
                deposits.append((depositor, note))
                spendable -= mixer.denomination + deposit_gas
    # Withdrawals: the first depositor's 100-notes to one account each, soon after, submitted by the gas account;
    # the second depositor's whole mix of notes to one account (its combination of amounts gives it away);
    # one 10-note straight back to a depositing address; the rest later through the relayer.
    combo_recipient = ledger.new_account(thief)
    reused = next((n for d, n in deposits if n.pool.denomination == 10 * GWEI_PER_ETHER), None)
    first = [n for d, n in deposits if d == depositors[0]]
    small = [n for n in first if n.pool.denomination < 100 * GWEI_PER_ETHER and n is not reused]
    careful = [n for n in first if n is not reused][-1] if not small else None  # one note at least leaves untraceably
    out = when + hours(0.5)
    for depositor, note in deposits:
        out += int(rng.integers(120, 900))
        if note is reused:
            recipient, submitter, mistakes = depositors[0], depositors[0], ["address_reuse", "gas_price"]
        elif depositor == depositors[1]:
            recipient, submitter, mistakes = combo_recipient, gas, ["multi_denomination", "gas_price"]
        elif note.pool.denomination == 100 * GWEI_PER_ETHER and note is not careful:
            recipient, submitter, mistakes = ledger.new_account(thief), gas, ["gas_price"]
        else:
            recipient, submitter, mistakes = ledger.new_account(thief), world.relayer, []
        later = out + (int(rng.uniform(1, 4) * 86_400) if submitter == world.relayer else 0)
        if submitter == world.relayer:
            note.pool.withdraw(later, note, recipient, submitter, relayer_fee=note.pool.denomination // 200)
        else:
            note.pool.withdraw(later, note, recipient, submitter, gas_price=THIEF_GAS_PRICE)
        if later - int(ledger.tx[note.deposit_tx][0]) < 3 * 3_600:
            mistakes.append("timing")
        note.heuristics = mistakes
        label(note.withdrawal_tx, "mixer_withdrawal")
    return [n for _, n in deposits]


def _freeze(world, rng, accounts, when, label):
    """The issuer freezes the accounts named in the protocol's incident report; the thief then tries to move one."""
    frozen = []
    for account in accounts:
        amount = world.eth.balance(STABLECOIN, account)
        when += int(rng.integers(30, 300))
        tx = label(world.eth.freeze(when, world.issuer_account, STABLECOIN, account), "issuer_freeze")
        frozen.append(dict(account=account, tx=tx, amount=amount))
    attempt = world.eth.send(
        when + hours(3),
        accounts[1],
        world.eth.tokens[STABLECOIN].account,
        method="transfer",
        gas_price=THIEF_GAS_PRICE,
        status=0,
    )
    label(attempt, "failed_transfer_after_freeze")
    return frozen


def _bridge(world, rng, notes, thief, label):
    """Every account that received mixer withdrawals bridges its coins to a fresh UTXO-chain address of the thief."""
    ledger = world.eth
    world.thief_btc_wallet = world.registry.wallet(thief, P2WPKH)
    recipients = sorted({n.recipient for n in notes})
    deposits = []
    for recipient in recipients:
        last = max(int(ledger.tx[n.withdrawal_tx][0]) for n in notes if n.recipient == recipient)
        value = ledger.balance(NATIVE, recipient) - GAS_RESERVE
        if value < GWEI_PER_ETHER // 2:
            continue
        deposit = world.bridge.deposit(
            last + hours(rng.uniform(2, 10)), recipient, value, fresh(world, world.thief_btc_wallet), THIEF_GAS_PRICE
        )
        label(deposit.tx, "bridge_deposit")
        deposits.append(deposit)
    return deposits


def cash_out(world: World, rng: np.random.Generator) -> None:
    """After the bridge paid out: gather the released coins and send them to a money mule's exchange account."""
    case = next(c for c in world.cases if c.case_id == "ST-1")
    btc, facts = world.btc, case.facts
    released = [d for d in facts["bridged"] if d.release_tx >= 0]
    mule = world.registry.entity("Calla N. Oddlebury", "money_mule", "Portugal")
    account = world.open_account(world.exchange("Bluewater Digital Assets"), mule, world.start - 120 * 86_400)
    world.shared_devices.append(([account, facts["thief_exchange_account"]], "thief and mule"))
    for deposit in released:
        world.label(deposit.release_tx, case, "bridge_release")
    last = max(int(btc.times[btc.tx_block.values[d.release_tx]]) for d in released)
    gathered = fresh(world, world.thief_btc_wallet)
    tx, outs = btc.send([d.release_output for d in released], [(gathered, None)], last + hours(rng.uniform(3, 8)))
    world.label(tx, case, "consolidation")
    total = btc.coin_values(outs)[0]
    tx1, rest = btc.send(
        outs,
        [(world.deposit_address(account), total * 45 // 100)],
        last + hours(rng.uniform(20, 30)),
        change=fresh(world, world.thief_btc_wallet),
    )
    world.label(tx1, case, "cash_out")
    tx2, _ = btc.send([rest[1]], [(world.deposit_address(account), None)], last + hours(rng.uniform(50, 70)))
    world.label(tx2, case, "cash_out")
    facts.update(
        mule_account=account, consolidation=tx, cash_outs=[tx1, tx2], cash_out_address=world.deposit_address(account)
    )
