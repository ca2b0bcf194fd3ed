"""CoinJoin rounds: many owners' inputs, equal-value outputs, change, and a coordinator fee.

Used by 06_clustering_and_attribution. `join` lets other scenarios send a coin through one round.
"""

from __future__ import annotations

import numpy as np

from ..entities import INPUT_VSIZE, P2TR, P2WPKH
from ..model import World
from ..utxo import COIN
from .common import actor, fresh

DENOMINATIONS = (COIN // 100, COIN // 20, COIN // 10)


class CoinJoinService:
    """A coordinator with a pool of privacy-minded participants funded in the genesis block."""

    def __init__(self, world: World, rng: np.random.Generator):
        self.world, self.rng = world, rng
        self.entity, self.wallet = actor(world, "Whisperwheel CoinJoin", "coinjoin_coordinator", "", P2TR)
        self.fee_address = world.book.home(self.wallet)
        world.tag("bitcoin", self.fee_address, "Whisperwheel CoinJoin coordinator", "mixer", "explorer label", "high")
        self.participants = [self._participant() for _ in range(40)]
        self.rounds: list[int] = []

    def _participant(self) -> tuple[int, list[int]]:
        """A privacy-minded user with two coins from the genesis block."""
        world = self.world
        _, wallet = actor(world, f"Privacy user {len(world.registry.entity_name)}", "privacy_user", "", P2TR)
        coins = list(
            world.btc.fund(
                np.array([fresh(world, wallet), fresh(world, wallet)]), self.rng.integers(COIN // 5, 2 * COIN, 2)
            )
        )
        return wallet, coins

    def round(self, when: int, extra: tuple[int, list[int], int] | None = None) -> tuple[int, list[int]]:
        """One round at `when`; `extra` = (wallet, coins, wanted outputs) joins it. Returns tx and extra's outputs.

        Rounds without `extra` must come in time order; a round with `extra` gets newly funded participants.
        """
        ledger, rng = self.world.btc, self.rng
        if extra is not None:
            return self._round_with(when, extra)
        denomination = DENOMINATIONS[rng.integers(0, len(DENOMINATIONS))]
        chosen = rng.choice(len(self.participants), int(rng.integers(5, 10)), replace=False)
        entries = [
            (w, [c[0]], 1)
            for w, c in (self.participants[i] for i in chosen)
            if ledger.coin_values([c[0]])[0] > 2 * denomination
        ]
        tx = self._mix(when, denomination, entries)
        for index in chosen:
            wallet, coins = self.participants[index]
            mine = self._outputs_of(tx, wallet)
            if mine:  # the participant's largest post-mix coin is its next input
                self.participants[index] = (wallet, [max(mine, key=lambda o: ledger.coin_values([o])[0])])
        return tx, []

    def _round_with(self, when: int, extra: tuple[int, list[int], int]) -> tuple[int, list[int]]:
        ledger = self.world.btc
        denomination = max(d for d in DENOMINATIONS if d * 1.1 < sum(ledger.coin_values(extra[1])))
        entries = [(w, coins, 1) for w, coins in (self._participant() for _ in range(6))] + [extra]
        tx = self._mix(when, denomination, entries)
        return tx, self._outputs_of(tx, extra[0])

    def _outputs_of(self, tx: int, wallet: int) -> list[int]:
        ledger = self.world.btc
        outputs = np.flatnonzero(ledger.out_tx.values == tx)
        return [int(o) for o in outputs if self.world.book.wallet.values[ledger.out_address.values[o]] == wallet]

    def _mix(self, when: int, denomination: int, entries) -> int:
        """The CoinJoin transaction: each entry (wallet, coins, count) gets `count` equal outputs and its change."""
        ledger, rng = self.world.btc, self.rng
        inputs, payments = [], []
        coordinator_fee = 0
        for wallet, coins, count in entries:
            value = sum(ledger.coin_values(coins))
            count = max(1, min(count, int(value * 0.95 // denomination)))
            own_fee = int(8 * (INPUT_VSIZE[P2TR] * len(coins) + 31 * (count + 1)))
            fee_share = denomination * count * 3 // 1000
            change = value - count * denomination - own_fee - fee_share
            inputs += coins
            payments += [(fresh(self.world, wallet), denomination) for _ in range(count)]
            if change > 5_000:
                payments.append((fresh(self.world, wallet), change))
            coordinator_fee += fee_share
        payments.append((self.fee_address, coordinator_fee))
        # fee_rate 0: the fee is what the participants left over for it.
        tx, _ = ledger.send(inputs, [payments[i] for i in rng.permutation(len(payments))], when, fee_rate=0)
        self.rounds.append(tx)
        return tx


def run_rounds(service: CoinJoinService, rng: np.random.Generator) -> None:
    """Regular rounds spread over the world's time, in time order."""
    world = service.world
    for day in np.linspace(2, world.profile.days - 3, 12 if world.profile.name == "classroom" else 60):
        service.round(world.time(rng, day, day + 0.5))
    _equal_payout(world, rng)


def _equal_payout(world: World, rng: np.random.Generator) -> None:
    """Look-alikes: a small firm pays three staff the same wage from one address (outputs like a CoinJoin's, inputs
    from one address), and later its two partners the same share from two addresses (two equal outputs, not three):
    the two-condition rule of module 06 leaves both out."""
    _, wallet = actor(world, "Pellbrook Joinery Ltd", "merchant")
    wage = int(rng.integers(20, 40)) * COIN // 1_000
    coin = int(world.btc.fund(fresh(world, wallet), 4 * wage)[0])
    staff = [fresh(world, world.registry.wallet(world.person("retail_user"), P2WPKH)) for _ in range(3)]
    day = rng.uniform(10, world.profile.days - 10)
    world.btc.send(
        [coin], [(address, wage) for address in staff], world.time(rng, day, day + 0.3), change=fresh(world, wallet)
    )
    share = int(rng.integers(50, 90)) * COIN // 1_000
    coins = [
        int(c)
        for c in world.btc.fund(np.array([fresh(world, wallet), fresh(world, wallet)]), [share + COIN // 100] * 2)
    ]
    partners = [fresh(world, world.registry.wallet(world.person("retail_user"), P2WPKH)) for _ in range(2)]
    day += rng.uniform(2, 6)
    world.btc.send(
        coins, [(address, share) for address in partners], world.time(rng, day, day + 0.3), change=fresh(world, wallet)
    )
