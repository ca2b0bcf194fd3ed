"""Ordinary UTXO-chain traffic in bulk, one day at a time, with numpy.

Each day, every wallet that acts spends some of its coins created on earlier days (all inputs of a
transaction belong to one wallet, so the common-input-ownership heuristic holds outside CoinJoins):
retail users pay each other, merchants and their exchange deposit addresses; merchants and services
cash out; exchanges sweep deposit addresses into the hot wallet and pay withdrawals in batches; mining
pools pay miners. Every block's coinbase pays the subsidy plus the block's fees.
"""

from __future__ import annotations

import numpy as np

from .entities import (
    CHANGE_LAST,
    CHANGE_LIKE_PAYMENT,
    DEPOSITS,
    HOT,
    INPUT_VSIZE,
    MERCHANT,
    POOL,
    QUIET,
    RETAIL,
    SERVICE,
)
from .model import World
from .utxo import COINBASE_MATURITY, DUST, wallet_fee_rates

PAY, SELF, SWEEP, BATCH, PAYOUT = range(5)
TO_RETAIL, TO_MERCHANT, TO_OWN_ACCOUNT, TO_SERVICE = range(4)


class Traffic:
    """Generates the ordinary traffic of a world whose scenarios have already been written."""

    def __init__(self, world: World, rng: np.random.Generator):
        self.world, self.rng = world, rng
        registry = world.registry
        self.behaviour = registry.wallet_behaviour.values
        self.software = registry.wallet_software.values
        self.reuse = registry.wallet_reuse.values
        wallet_count = self.behaviour.size
        self.exchange_of = np.full(wallet_count, -1)
        for x in world.exchanges:
            self.exchange_of[[x.hot_wallet, x.deposit_wallet]] = x.index
        self.hot_home = np.array([world.book.home(x.hot_wallet) for x in world.exchanges])
        accounts = np.flatnonzero(world.account_wallet.values >= 0)
        holders = world.account_wallet.values[accounts]
        self.primary = np.full(wallet_count, -1)
        self.secondary = np.full(wallet_count, -1)
        self.secondary[holders] = accounts  # later accounts win: each holder's second account, if any
        self.primary[holders[::-1]] = accounts[::-1]  # earlier accounts win: each holder's first account
        self.secondary = np.where(self.secondary == self.primary, -1, self.secondary)
        self.customers = [accounts[world.account_exchange.values[accounts] == x.index] for x in world.exchanges]
        self.retail = world.retail_wallets
        self.merchants = world.merchant_wallets
        self.services = world.service_wallets
        self.miners = self.retail[: max(10, self.retail.size // 30)]
        self.pool_wallets = np.array([w for w, _ in world.pools])
        self.pool_shares = np.array([s for _, s in world.pools])
        large = world.profile.name == "large"
        self.batch_outputs = (5, 60) if large else (2, 12)
        self.sweep_inputs = 50 if large else 20

    def run(self, progress=None) -> None:
        world, ledger = self.world, self.world.btc
        times = ledger.times
        day_starts = np.searchsorted(times, world.start + np.arange(world.profile.days + 1) * 86_400)
        day_starts[0] = 1
        ledger_outputs = ledger.out_tx.size
        eligible = np.arange(ledger_outputs)
        eligible = eligible[self._bulk_eligible(eligible)]
        scenario = eligible[ledger.out_block.values[eligible] > 0]
        scenario = scenario[np.argsort(ledger.out_block.values[scenario], kind="stable")]
        live = eligible[ledger.out_block.values[eligible] == 0]
        for day in range(world.profile.days):
            first, end = int(day_starts[day]), int(day_starts[day + 1])
            if end <= first:
                continue
            created = self._day(live, first, end)
            live = live[~ledger.out_spent.values[live]]
            arriving = scenario[
                (ledger.out_block.values[scenario] >= first) & (ledger.out_block.values[scenario] < end)
            ]
            live = np.concatenate([live, created, arriving])
            if progress is not None:
                progress(1)

    def _bulk_eligible(self, outputs: np.ndarray) -> np.ndarray:
        ledger = self.world.btc
        wallets = self.world.book.wallet.values[ledger.out_address.values[outputs]]
        return (
            (~ledger.out_reserved.values[outputs])
            & (~ledger.out_spent.values[outputs])
            & (self.behaviour[wallets] != QUIET)
        )

    def _day(self, live: np.ndarray, first: int, end: int) -> np.ndarray:
        """Make one day's transactions and coinbases; return the new outputs ordinary traffic may spend."""
        world, ledger, rng = self.world, self.world.btc, self.rng
        blocks = ledger.out_block.values[live]
        coinbase = ledger.tx_coinbase.values[ledger.out_tx.values[live]] & (blocks > 0)
        ready = live[(blocks < first) & (~coinbase | (blocks < first - COINBASE_MATURITY))]
        wallets = world.book.wallet.values[ledger.out_address.values[ready]]
        # By wallet, in random order within one; quicksort (2.5 times faster than a stable sort), as ties are rare.
        order = np.argsort((wallets.astype(np.int64) << 32) | rng.integers(0, 1 << 32, ready.size))
        coins, wallets = ready[order], wallets[order]
        group_start = np.flatnonzero(np.r_[True, wallets[1:] != wallets[:-1]]) if coins.size else np.array([], int)
        counts = np.diff(np.r_[group_start, coins.size])
        group_wallet = wallets[group_start]
        group_of_coin = np.repeat(np.arange(group_start.size), counts)
        rank = np.arange(coins.size) - group_start[group_of_coin]
        per_tx, txs_today, consolidate = self._plan(group_wallet, counts)
        tx_local = rank // per_tx[group_of_coin]
        chosen = np.flatnonzero(tx_local < txs_today[group_of_coin])
        new_outputs = self._transactions(
            coins[chosen], group_of_coin[chosen], tx_local[chosen], group_wallet, consolidate, first, end
        )
        coinbase_outputs = self._coinbases(first, end)
        return np.concatenate([new_outputs, coinbase_outputs])

    def _plan(self, group_wallet: np.ndarray, counts: np.ndarray):
        """For each wallet with coins: inputs per transaction, transactions today, consolidation or not."""
        rng, groups = self.rng, group_wallet.size
        behaviour = self.behaviour[group_wallet]
        per_tx = np.ones(groups, np.int64)
        txs = np.zeros(groups, np.int64)
        consolidate = np.zeros(groups, bool)
        draw = rng.random(groups)
        geometric = rng.geometric(0.6, groups)
        shop = (behaviour == MERCHANT) | (behaviour == SERVICE)
        retail = behaviour == RETAIL
        consolidate[retail] = (draw[retail] < 0.03) & (counts[retail] > 3)
        consolidate[shop] = (draw[shop] < 0.12) & (counts[shop] > 5)
        per_tx[retail | shop] = np.where(consolidate, 40, geometric)[retail | shop]
        txs[retail] = rng.random(retail.sum()) < self.world.profile.retail_daily_activity
        txs[shop] = np.where(consolidate[shop], 1, (rng.random(shop.sum()) < 0.7) * rng.integers(1, 4, shop.sum()))
        for kind, size in ((DEPOSITS, self.sweep_inputs), (POOL, 10)):
            mask = behaviour == kind
            per_tx[mask] = size
            txs[mask] = -(-counts[mask] // size)
        hot = behaviour == HOT
        per_tx[hot] = 2
        txs[hot] = self.world.profile.withdrawal_batches_per_day
        return per_tx, txs, consolidate

    def _transactions(self, coins, coin_group, coin_tx, group_wallet, consolidate, first, end) -> np.ndarray:
        world, ledger, book, rng = self.world, self.world.btc, self.world.book, self.rng
        if coins.size == 0:
            return np.array([], np.int64)
        values = ledger.out_value.values[coins]
        in_vsize = INPUT_VSIZE[book.kind.values[ledger.out_address.values[coins]]]
        starts = np.flatnonzero(np.r_[True, (coin_group[1:] != coin_group[:-1]) | (coin_tx[1:] != coin_tx[:-1])])
        tx_count = starts.size
        total = np.add.reduceat(values, starts)
        input_size = np.add.reduceat(in_vsize, starts)
        group = coin_group[starts]
        wallet = group_wallet[group]
        behaviour = self.behaviour[wallet]
        kind = np.select(
            [behaviour == DEPOSITS, behaviour == HOT, behaviour == POOL, consolidate[group]],
            [SWEEP, BATCH, PAYOUT, SELF],
            PAY,
        )

        payments = np.ones(tx_count, np.int64)
        payments[kind == PAY] += rng.random((kind == PAY).sum()) < 0.15
        payments[kind == BATCH] = rng.integers(*self.batch_outputs, (kind == BATCH).sum())
        payments[kind == PAYOUT] = rng.integers(5, 25, (kind == PAYOUT).sum())
        wants_change = np.isin(kind, (BATCH, PAYOUT)) | ((kind == PAY) & (rng.random(tx_count) > 0.12))
        drawn_block = self._blocks(first, end, tx_count)
        software = self.software[wallet]
        fee_rate = wallet_fee_rates(rng, ledger.fee_rates[drawn_block], software)
        fee = np.rint(fee_rate * (11 + input_size + 31 * (payments + wants_change))).astype(np.int64)
        available = total - fee
        share = np.select(
            [kind == BATCH, kind == PAYOUT, (kind == PAY) & wants_change],
            [rng.uniform(0.2, 0.7, tx_count), 0.98, rng.uniform(0.05, 0.9, tx_count)],
            1.0,
        )
        budget = np.floor(np.maximum(available, 0) * share)

        out_tx = np.repeat(np.arange(tx_count), payments)
        out_start = np.r_[0, np.cumsum(payments)[:-1]]
        weight = rng.exponential(1.0, out_tx.size)
        amount = np.floor(budget[out_tx] * weight / np.add.reduceat(weight, out_start)[out_tx]).astype(np.int64)
        rounded = wants_change[out_tx] & (kind[out_tx] != PAYOUT) & (rng.random(out_tx.size) < 0.5) & (amount > 0)
        magnitude = 10 ** np.floor(np.log10(np.maximum(amount, 1)) - 1)
        amount = np.where(rounded, (np.floor(amount / magnitude) * magnitude).astype(np.int64), amount)
        change = available - np.add.reduceat(amount, out_start)
        has_change = wants_change & (change >= DUST)
        fee = fee + np.where(has_change, 0, np.maximum(change, 0))
        valid = (available > 0) & (np.minimum.reduceat(amount, out_start) >= DUST)

        keep_tx = np.flatnonzero(valid)
        new_id = np.full(tx_count, -1)
        new_id[keep_tx] = np.arange(keep_tx.size)
        block = drawn_block[keep_tx]
        tx_ids = ledger.add_txs(block, rng.random(keep_tx.size), fee[keep_tx])

        kept_coin = valid[np.repeat(np.arange(tx_count), np.diff(np.r_[starts, coins.size]))]
        coin_tx_ids = tx_ids[new_id[np.repeat(np.arange(tx_count), np.diff(np.r_[starts, coins.size]))[kept_coin]]]
        input_index = np.arange(coins.size) - np.repeat(starts, np.diff(np.r_[starts, coins.size]))
        ledger.add_inputs(coin_tx_ids, input_index[kept_coin], coins[kept_coin])

        keep_out = valid[out_tx]
        pay_tx, pay_amount = out_tx[keep_out], amount[keep_out]
        pay_address, pay_account = self._recipients(pay_tx, kind, wallet)
        change_tx = np.flatnonzero(has_change & valid)
        first_payment = np.full(tx_count, -1, np.int64)
        first_payment[pay_tx[::-1]] = pay_address[::-1]
        like_payment = CHANGE_LIKE_PAYMENT[software[change_tx]]  # full nodes give change the payment's address type
        change_address = self._change_addresses(
            wallet[change_tx], book.kind.values[first_payment[change_tx]], like_payment
        )

        # Change goes last, or (desktop wallets) anywhere among the outputs; the payments after it move up one.
        slot = np.where(
            CHANGE_LAST[software[change_tx]],
            payments[change_tx],
            np.floor(rng.random(change_tx.size) * (payments[change_tx] + 1)).astype(np.int64),
        )
        change_slot = np.full(tx_count, np.iinfo(np.int64).max)
        change_slot[change_tx] = slot
        position = (np.arange(out_tx.size) - out_start[out_tx])[keep_out]
        pay_index = position + (position >= change_slot[pay_tx])
        all_tx = np.concatenate([pay_tx, change_tx])
        outputs = ledger.add_outputs(
            tx_ids[new_id[all_tx]],
            np.concatenate([pay_index, slot]),
            np.concatenate([pay_address, change_address]),
            np.concatenate([pay_amount, change[change_tx]]),
            block[new_id[all_tx]],
            change=np.arange(all_tx.size) >= pay_tx.size,
        )
        withdrawals = pay_account >= 0
        world.withdrawal_outputs.append((outputs[: pay_tx.size][withdrawals], pay_account[withdrawals]))
        return outputs

    def _blocks(self, first: int, end: int, count: int) -> np.ndarray:
        """Blocks for `count` transactions of one day: people transact more in the (European and American) day."""
        hours = (self.world.btc.times[first:end] // 3_600) % 24
        weight = np.cumsum(1 + 0.6 * np.sin(2 * np.pi * (hours - 9) / 24))
        return first + np.searchsorted(weight, self.rng.random(count) * weight[-1])

    def _recipients(self, pay_tx, kind, wallet):
        """Each payment's address, and the exchange account it withdraws for (-1 if none)."""
        rng, book, world = self.rng, self.world.book, self.world
        count = pay_tx.size
        sender = wallet[pay_tx]
        sender_kind = kind[pay_tx]
        sender_behaviour = self.behaviour[sender]
        target = np.where(
            sender_behaviour == RETAIL,
            rng.choice(4, count, p=[0.4, 0.22, 0.28, 0.1]),
            rng.choice([TO_RETAIL, TO_OWN_ACCOUNT], count, p=[0.45, 0.55]),
        )
        recipient = np.select(
            [target == TO_RETAIL, target == TO_MERCHANT, target == TO_SERVICE],
            [
                self.retail[rng.integers(0, self.retail.size, count)],
                self.merchants[rng.integers(0, self.merchants.size, count)],
                self.services[rng.integers(0, self.services.size, count)],
            ],
            -1,
        )
        account = np.where(
            (self.secondary[sender] >= 0) & (rng.random(count) < 0.25), self.secondary[sender], self.primary[sender]
        )
        deposit = np.where((sender_kind == PAY) & (target == TO_OWN_ACCOUNT), account, -1)

        withdrawal = np.full(count, -1)
        batch = np.flatnonzero(sender_kind == BATCH)
        exchanges = self.exchange_of[sender[batch]]
        for index, customers in enumerate(self.customers):
            rows = batch[exchanges == index]
            withdrawal[rows] = customers[rng.integers(0, customers.size, rows.size)]
        recipient[batch] = world.account_wallet.values[withdrawal[batch]]
        payout = sender_kind == PAYOUT
        recipient[payout] = self.miners[rng.integers(0, self.miners.size, payout.sum())]
        own = sender_kind == SELF
        recipient[own] = sender[own]
        sweep = sender_kind == SWEEP
        recipient[sweep | (deposit >= 0)] = -1

        address = np.full(count, -1, np.int64)
        to_wallet = recipient >= 0
        home = to_wallet & ((rng.random(count) < self.reuse[np.maximum(recipient, 0)]) | payout) & ~own
        address[home] = book.homes(recipient[home])
        fresh = to_wallet & ~home
        address[fresh] = book.new_many(recipient[fresh])
        address[deposit >= 0] = world.account_deposit.values[deposit[deposit >= 0]]
        address[sweep] = self.hot_home[self.exchange_of[sender[sweep]]]
        return address, withdrawal

    def _change_addresses(self, wallets, payment_kinds, like_payment):
        """Each change address: the wallet's reused one, or a fresh one of its own type or (`like_payment`) of the
        payment's type."""
        book = self.world.book
        reuse = np.isin(self.behaviour[wallets], (HOT, POOL)) | (self.rng.random(wallets.size) < self.reuse[wallets])
        address = np.empty(wallets.size, np.int64)
        address[reuse] = book.homes(wallets[reuse])
        fresh = ~reuse
        kinds = np.where(like_payment, payment_kinds, self.world.registry.wallet_kind.values[wallets])
        address[fresh] = book.new_many(wallets[fresh], kinds[fresh])
        return address

    def _coinbases(self, first: int, end: int) -> np.ndarray:
        ledger = self.world.btc
        blocks = np.arange(first, end)
        miners = self.pool_wallets[self.rng.choice(self.pool_wallets.size, blocks.size, p=self.pool_shares)]
        before = ledger.out_tx.size
        ledger.add_coinbases(blocks, self.world.book.homes(miners))
        return np.arange(before, ledger.out_tx.size)
