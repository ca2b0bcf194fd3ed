"""Ordinary account-chain traffic, one day at a time: native and stablecoin transfers between users, deposits to
exchange deposit addresses (swept to the hot wallet at the end of the day, after a gas top-up when a deposit address
holds tokens but no ether), exchange withdrawals, DEX swaps, an arbitrage desk that keeps the pool at the market
price, bridge deposits to users' own UTXO-chain wallets, and privacy users' mixer deposits and withdrawals (through
the relayer, or after someone sent the fresh recipient ether for gas).

Each day's transactions are made in time order, so a sender always holds what it sends and the gas it pays.
"""

from __future__ import annotations

import numpy as np

from .account import GWEI_PER_ETHER, NATIVE
from .defi import STABLE_UNIT, STABLECOIN
from .model import World

KINDS = ("native", "token", "deposit", "withdrawal", "swap", "bridge")
SHARES = (0.26, 0.26, 0.16, 0.2, 0.1, 0.02)
SWEEP_WINDOW = 1_800  # seconds at the end of each day reserved for the exchanges' sweeps
ARBITRAGE_BAND = 0.006  # the pool may stray this far from the market price before the arbitrage desk trades
ARBITRAGE_ETHER, ARBITRAGE_NUSD = 3_000 * GWEI_PER_ETHER, 9_000_000 * STABLE_UNIT  # each of the desk's withdrawals
SWEEP_DUST = GWEI_PER_ETHER // 100  # ether left on a deposit address (gas top-up change) is not worth sweeping
GAS_TOP_UP = (
    4 * GWEI_PER_ETHER // 1_000
)  # 0.004 ETH: what an exchange sends a deposit address to pay a token sweep's gas


class AccountTraffic:
    def __init__(self, world: World, rng: np.random.Generator):
        self.world, self.rng, self.ledger = world, rng, world.eth
        self.users = world.eth_users
        self.hot = {x.index: x.eth_hot for x in world.exchanges}
        exchange_of_user = world.account_exchange.values[world.eth_user_account]
        self.user_hot = np.array([self.hot[int(x)] for x in exchange_of_user])
        self.user_deposit = np.array([world.eth_deposit[int(a)] for a in world.eth_user_account])
        self.deposit_hot = dict(zip(self.user_deposit.tolist(), self.user_hot.tolist()))
        self.privacy = self._privacy_users()
        self.arbitrageur = self._arbitrageur()
        self.arbitrage_seen = (-1, -1)
        self.day, self.pending = 0, []  # the next day to finish, and its transactions not made yet

    def run(self, until: int | None = None) -> None:
        """Make the traffic in time order up to `until` (default: the world's end); a later call carries on.

        A scenario that moves shared state (the DEX pool's reserves) pauses the traffic at its start, acts, and
        then `make_room`s for its own transactions, so that everything happens on the chain in the order it was made."""
        world, rng = self.world, self.rng
        until = world.end if until is None else until
        while self.day < world.profile.days:
            begin = world.start + self.day * 86_400
            if not self.pending and begin >= until:
                return
            if not self.pending:
                count = int(rng.poisson(world.profile.eth_daily_transfers))
                times = np.sort(rng.uniform(begin + 3_600, begin + 86_400 - SWEEP_WINDOW, count)).astype(
                    np.int64
                )  # after the mints
                kinds = rng.choice(len(KINDS), count, p=SHARES)
                users = self.users[rng.integers(0, self.users.size, count)]
                self.pending = list(zip(times.tolist(), kinds.tolist(), users.tolist()))[::-1]
            while self.pending and self.pending[-1][0] < until:
                when, kind, user = self.pending.pop()
                self._arbitrage(when)
                getattr(self, "_" + KINDS[kind])(when, int(user))
            if self.pending:
                return
            self._sweep(begin + 86_400 - SWEEP_WINDOW)
            self._mix(self.day)
            self.day += 1
            self.pending = []

    def make_room(self, after: int) -> None:
        """Move the paused day's remaining transactions after `after`, keeping their order (squeezed into the day)."""
        if not self.pending:
            return
        close = self.world.start + self.day * 86_400 + 86_400 - SWEEP_WINDOW
        first = self.pending[-1][0]
        if after >= close - 60:
            self.pending = []
            return
        if after >= first:
            scale = (close - 1 - after) / max(close - first, 1)
            self.pending = [(after + 1 + int((when - first) * scale), kind, user) for when, kind, user in self.pending]

    # -- one transaction each -----------------------------------------------------------------------

    def _can_pay(self, when: int, user: int, method: str, value: int = 0) -> bool:
        """Whether `user` holds `value` and the gas for it: else it withdraws from its exchange instead."""
        return self.ledger.balance(NATIVE, user) >= value + self.ledger.fee_estimate(when, method)

    def _native(self, when: int, user: int) -> None:
        balance = self.ledger.balance(NATIVE, user)
        value = int(min(balance * self.rng.uniform(0.05, 0.6), self.rng.lognormal(np.log(0.2), 1.0) * GWEI_PER_ETHER))
        if balance < GWEI_PER_ETHER // 50 or not self._can_pay(when, user, "plain", value):
            return self._withdrawal(when, user)
        self.ledger.send(when, user, self._other(user), value)

    def _token(self, when: int, user: int) -> None:
        balance = self.ledger.balance(STABLECOIN, user)
        if balance < 10 * STABLE_UNIT or not self._can_pay(when, user, "transfer"):
            return self._withdrawal(when, user)
        amount = int(min(balance * self.rng.uniform(0.1, 0.9), self.rng.lognormal(np.log(300), 1.2) * STABLE_UNIT))
        self._send_token(when, user, self._other(user), amount)

    def _deposit(self, when: int, user: int) -> None:
        deposit = int(self.user_deposit[np.searchsorted(self.users, user)])
        tokens, native = self.ledger.balance(STABLECOIN, user), self.ledger.balance(NATIVE, user)
        value = int(native * self.rng.uniform(0.3, 0.9))
        if tokens >= 50 * STABLE_UNIT and self._can_pay(when, user, "transfer"):
            self._send_token(when, user, deposit, int(tokens * self.rng.uniform(0.3, 1.0)))
        elif native >= GWEI_PER_ETHER // 10 and self._can_pay(when, user, "plain", value):
            self.ledger.send(when, user, deposit, value)
        else:
            self._withdrawal(when, user)

    def _withdrawal(self, when: int, user: int) -> None:
        hot = int(self.user_hot[np.searchsorted(self.users, user)])
        if self.rng.random() < 0.55:
            self._send_token(when, hot, user, int(self.rng.lognormal(np.log(800), 1.1) * STABLE_UNIT))
        else:
            self.ledger.send(when, hot, user, int(self.rng.lognormal(np.log(0.5), 1.0) * GWEI_PER_ETHER))

    def _swap(self, when: int, user: int) -> None:
        dex, ledger = self.world.dex, self.ledger
        tokens, native = ledger.balance(STABLECOIN, user), ledger.balance(NATIVE, user)
        value = int(native * self.rng.uniform(0.1, 0.5))
        if (
            tokens >= 20 * STABLE_UNIT
            and (native < GWEI_PER_ETHER // 20 or self.rng.random() < 0.5)
            and self._can_pay(when, user, "swap_tokens_for_eth")
        ):
            dex.tokens_for_eth(when, user, int(tokens * self.rng.uniform(0.2, 0.8)))
        elif native >= GWEI_PER_ETHER // 20 and self._can_pay(when, user, "swap_eth_for_tokens", value):
            dex.eth_for_tokens(when, user, value)
        else:
            self._withdrawal(when, user)

    def _bridge(self, when: int, user: int) -> None:
        native = self.ledger.balance(NATIVE, user)
        value = int(native * self.rng.uniform(0.2, 0.7))
        if native < GWEI_PER_ETHER // 5 or not self._can_pay(when, user, "bridge_deposit", value):
            return self._withdrawal(when, user)
        wallet = int(self.world.eth_user_wallet[np.searchsorted(self.users, user)])
        self.world.bridge.deposit(when, user, value, self.world.book.new(wallet))

    # -- helpers --------------------------------------------------------------------------------------

    def _other(self, user: int) -> int:
        other = int(self.users[self.rng.integers(0, self.users.size)])
        return other if other != user else int(self.users[(np.searchsorted(self.users, user) + 1) % self.users.size])

    def _send_token(self, when: int, sender: int, to: int, amount: int) -> None:
        ledger = self.ledger
        tx = ledger.send(when, sender, ledger.tokens[STABLECOIN].account, method="transfer")
        ledger.transfer_token(tx, STABLECOIN, sender, to, amount)

    def _sweep(self, begin: int) -> None:
        """Each exchange moves what its deposit addresses received today to its hot wallet. A deposit address holding
        tokens but too little ether for the gas first gets a gas top-up from the hot wallet, as real exchanges do."""
        ledger, rng = self.ledger, self.rng
        tokens = ledger.balances[STABLECOIN].values[self.user_deposit]
        native = ledger.native.values[self.user_deposit]
        for deposit in np.unique(self.user_deposit[(tokens > 0) | (native > SWEEP_DUST)]).tolist():
            hot = self.deposit_hot[deposit]
            if ledger.balance(STABLECOIN, deposit):
                when = begin + 600 + int(rng.integers(0, SWEEP_WINDOW // 2 - 600))
                if not self._can_pay(when, deposit, "transfer"):
                    ledger.send(when - int(rng.integers(120, 540)), hot, deposit, GAS_TOP_UP)
                self._send_token(when, deposit, hot, ledger.balance(STABLECOIN, deposit))
            if ledger.balance(NATIVE, deposit) > SWEEP_DUST:
                ledger.send_all(begin + SWEEP_WINDOW // 2 + int(rng.integers(0, SWEEP_WINDOW // 2 - 60)), deposit, hot)

    def _arbitrageur(self) -> int:
        """A trading firm that keeps the DEX pool at the market price, with coins withdrawn from an exchange."""
        world, ledger = self.world, self.ledger
        account = ledger.new_account(
            world.registry.entity("Sandpiper Quant Ltd (arbitrage desk)", "arbitrageur", "Ireland")
        )
        self.arbitrage_bank = world.exchanges[0].eth_hot
        ledger.send(world.start + 1_800, self.arbitrage_bank, account, ARBITRAGE_ETHER)
        self._send_token(world.start + 1_860, self.arbitrage_bank, account, ARBITRAGE_NUSD)
        return account

    def _arbitrage(self, when: int) -> None:
        """Trade the pool back to the market price when it strays by more than its fee would eat, topping the desk's
        balances up from its exchange when they run low."""
        dex, ledger, account = self.world.dex, self.ledger, self.arbitrageur
        state = ((when - self.world.start) // 3_600, dex.swaps)  # prices change by the hour, reserves by swaps
        if state == self.arbitrage_seen:
            return
        self.arbitrage_seen = state
        gwei, units = dex.reserves()
        ether, dollars = gwei / GWEI_PER_ETHER, units / STABLE_UNIT
        market = self.world.prices.usd(NATIVE, when)
        pool = dollars / ether
        if abs(pool / market - 1) < ARBITRAGE_BAND:
            return
        if pool > market:  # ether dear in the pool: sell it ether
            sell = int((np.sqrt(ether * dollars / market) - ether) / 0.997 * GWEI_PER_ETHER)
            if ledger.balance(NATIVE, account) < sell + GWEI_PER_ETHER:
                ledger.send(when, self.arbitrage_bank, account, ARBITRAGE_ETHER)
            dex.eth_for_tokens(when, account, sell)
        else:
            sell = int((np.sqrt(ether * dollars * market) - dollars) / 0.997 * STABLE_UNIT)
            if ledger.balance(STABLECOIN, account) < sell:
                self._send_token(when, self.arbitrage_bank, account, ARBITRAGE_NUSD)
            dex.tokens_for_eth(when, account, sell)

    def _privacy_users(self) -> list[tuple[int, int]]:
        """Privacy-minded users with mixer-sized holdings: (entity, account)."""
        world, ledger = self.world, self.ledger
        count = 12 if world.profile.name == "classroom" else 80
        users = []
        for _ in range(count):
            entity = world.person("privacy_user")
            account = ledger.new_account(entity)
            exchange = world.exchanges[int(self.rng.integers(0, len(world.exchanges)))]
            ledger.send(
                world.start + int(self.rng.integers(1_000, 3_400)),
                exchange.eth_hot,
                account,
                int(self.rng.uniform(30, 600)) * GWEI_PER_ETHER,
            )
            users.append((entity, account))
        return users

    def _mix(self, day: int) -> None:
        """Some privacy users deposit today; each note is withdrawn hours to weeks later to a fresh account."""
        world, ledger, rng = self.world, self.ledger, self.rng
        begin = world.start + day * 86_400
        for entity, account in self.privacy:
            if rng.random() > 0.12:
                continue
            ether = int(rng.choice([1, 10, 100], p=[0.45, 0.45, 0.1]))
            mixer = world.mixers[ether]
            if ledger.balance(NATIVE, account) < mixer.denomination + 2 * GWEI_PER_ETHER // 100:
                continue
            when = begin + int(rng.integers(60, 86_400 - SWEEP_WINDOW))
            note = mixer.deposit(when, account, entity)
            out = when + int(rng.exponential(6 * 86_400)) + 3_600
            if out >= world.end - 3_600:
                continue  # still in the pool when the data ends
            recipient = ledger.new_account(entity)
            if rng.random() < 0.6:
                mixer.withdraw(out, note, recipient, world.relayer, relayer_fee=mixer.denomination // 200)
                continue
            # A fresh address cannot pay gas: someone sends it ether first (a link a relayer would have avoided).
            funder = (
                account if rng.random() < 0.5 else world.exchanges[int(rng.integers(0, len(world.exchanges)))].eth_hot
            )
            ledger.send(
                out - int(rng.integers(600, 6 * 3_600)), funder, recipient, GAS_TOP_UP * int(rng.integers(2, 6))
            )
            note.gas_funder = funder
            mixer.withdraw(out, note, recipient)
