"""The account chain's services: the stablecoin's issuer, a DEX pool, fixed-denomination mixer pools and a bridge
that locks the native coin on the account chain and releases coins on the UTXO chain.

Used by 02_crypto_assets_and_services and 07_ethereum_defi_and_bridges. `setup` creates them, the exchanges'
account-chain wallets and the users; the ordinary traffic (`account_traffic`) and scenarios then use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .account import GWEI_PER_ETHER, NATIVE, ZERO_ACCOUNT, AccountLedger
from .entities import P2WPKH
from .model import World
from .profiles import stream
from .utxo import COIN

STABLECOIN = "NUSD"
STABLE_UNIT = 10**6  # NUSD has 6 decimals, like the large dollar stablecoins
MIXER_DENOMINATIONS = (1, 10, 100)  # ether per note
BRIDGE_FEE = 0.003


class DexPool:
    """A constant-product pool of the stablecoin against the native coin (0.3% fee), like a Uniswap V2 pair."""

    def __init__(self, ledger: AccountLedger, entity: int, name: str):
        self.ledger = ledger
        self.account = ledger.add_contract(entity, name, "dex_pool").account
        self.swaps = 0  # how many swaps so far

    def _out(self, amount_in: int, reserve_in: int, reserve_out: int) -> int:
        paid = amount_in * 997
        return reserve_out * paid // (reserve_in * 1000 + paid)

    def add_liquidity(self, world: World, entity: int, gwei: int, units: int, when: int) -> int:
        """A liquidity provider (holding `gwei` in the genesis state) mints `units` stablecoins and deposits both."""
        ledger = self.ledger
        provider = ledger.new_account(entity)
        ledger.native.values[provider] = gwei + GWEI_PER_ETHER  # and some for gas
        mint(world, provider, units, when)
        tx = ledger.send(when + 60, provider, self.account, gwei, method="add_liquidity")
        ledger.transfer_token(tx, STABLECOIN, provider, self.account, units)
        return tx

    def reserves(self) -> tuple[int, int]:
        """(gwei, stablecoin units) the pool holds now."""
        return self.ledger.balance(NATIVE, self.account), self.ledger.balance(STABLECOIN, self.account)

    def tokens_for_eth(self, when: int, trader: int, amount: int, gas_price: int = 0) -> tuple[int, int]:
        """Sell `amount` stablecoin units for the native coin; returns (transaction, gwei received)."""
        ledger = self.ledger
        out = self._out(amount, ledger.balance(STABLECOIN, self.account), ledger.balance(NATIVE, self.account))
        tx = ledger.send(when, trader, self.account, method="swap_tokens_for_eth", gas_price=gas_price)
        ledger.transfer_token(tx, STABLECOIN, trader, self.account, amount)
        ledger.internal(tx, self.account, trader, out)
        ledger.event(tx, self.account, "Swap", trader, STABLECOIN, amount, NATIVE, out)
        self.swaps += 1
        return tx, out

    def eth_for_tokens(self, when: int, trader: int, gwei: int, gas_price: int = 0) -> tuple[int, int]:
        """Buy the stablecoin with `gwei` of the native coin; returns (transaction, stablecoin units received)."""
        ledger = self.ledger
        out = self._out(gwei, ledger.balance(NATIVE, self.account), ledger.balance(STABLECOIN, self.account))
        tx = ledger.send(when, trader, self.account, gwei, method="swap_eth_for_tokens", gas_price=gas_price)
        ledger.transfer_token(tx, STABLECOIN, self.account, trader, out)
        ledger.event(tx, self.account, "Swap", trader, NATIVE, gwei, STABLECOIN, out)
        self.swaps += 1
        return tx, out


@dataclass
class Note:
    """One mixer deposit, and its withdrawal once made (ground truth: the link a mixer hides)."""

    pool: "Mixer"
    owner: int  # entity
    deposit_tx: int
    withdrawal_tx: int = -1
    recipient: int = -1
    submitter: int = -1  # who sent the withdrawal: the recipient itself, or a relayer or helper paying the gas
    gas_funder: int = -1  # who sent the recipient ether for gas before a self-submitted withdrawal
    heuristics: list = field(default_factory=list)  # mistakes that give the link away


class Mixer:
    """A fixed-denomination pool: anyone deposits exactly the denomination; a withdrawal pays it to any address."""

    def __init__(self, ledger: AccountLedger, entity: int, ether: int, rng: np.random.Generator):
        self.ledger, self.rng = ledger, rng
        self.denomination = ether * GWEI_PER_ETHER
        self.account = ledger.add_contract(entity, f"Hushpool {ether} ETH", "mixer", denomination_ether=ether).account
        self.notes: list[Note] = []

    def deposit(self, when: int, depositor: int, owner: int, gas_price: int = 0) -> Note:
        tx = self.ledger.send(
            when, depositor, self.account, self.denomination, method="mixer_deposit", gas_price=gas_price
        )
        self.ledger.event(tx, self.account, "Deposit", depositor, NATIVE, self.denomination, reference=self._secret())
        note = Note(self, owner, tx)
        self.notes.append(note)
        return note

    def withdraw(
        self,
        when: int,
        note: Note,
        recipient: int,
        submitter: int | None = None,
        relayer_fee: int = 0,
        gas_price: int = 0,
    ) -> int:
        """Pay a note out to `recipient`; a relayer (`submitter`) may send the transaction and keep a fee."""
        ledger = self.ledger
        submitter = recipient if submitter is None else submitter
        tx = ledger.send(when, submitter, self.account, method="mixer_withdraw", gas_price=gas_price)
        ledger.internal(tx, self.account, recipient, self.denomination - relayer_fee)
        if relayer_fee:
            ledger.internal(tx, self.account, submitter, relayer_fee)
        ledger.event(
            tx, self.account, "Withdrawal", recipient, NATIVE, self.denomination - relayer_fee, reference=self._secret()
        )
        note.withdrawal_tx, note.recipient, note.submitter = tx, recipient, submitter
        return tx

    def _secret(self) -> str:
        return "0x" + self.rng.bytes(32).hex()


@dataclass
class BridgeDeposit:
    tx: int
    when: int
    depositor: int
    gwei: int
    destination: int  # UTXO-chain address id
    reference: str
    release_tx: int = -1
    release_output: int = -1
    released: int = 0


class Bridge:
    """Locks the native coin on the account chain; its operators release coins on the UTXO chain (at the market rate,
    less a fee) to the destination address named in the deposit, usually within the hour."""

    def __init__(self, world: World, ledger: AccountLedger, rng: np.random.Generator):
        self.world, self.ledger, self.rng = world, ledger, rng
        self.entity = world.registry.entity("Tidegate Bridge", "bridge")
        self.account = ledger.add_contract(self.entity, "Tidegate Bridge", "bridge").account
        self.btc_wallet = world.registry.wallet(self.entity, P2WPKH)
        self.deposits: list[BridgeDeposit] = []

    def deposit(self, when: int, depositor: int, gwei: int, destination: int, gas_price: int = 0) -> BridgeDeposit:
        ledger = self.ledger
        tx = ledger.send(when, depositor, self.account, gwei, method="bridge_deposit", gas_price=gas_price)
        reference = f"TGB-{len(self.deposits) + 1:06d}"
        ledger.event(
            tx, self.account, "BridgeDeposit", depositor, NATIVE, gwei, destination=destination, reference=reference
        )
        deposit = BridgeDeposit(tx, when, depositor, gwei, destination, reference)
        self.deposits.append(deposit)
        return deposit

    def release_all(self) -> None:
        """Pay every deposit out on the UTXO chain, in time order, from a few reserve coins used in turn."""
        world, btc, rng = self.world, self.world.btc, self.rng
        pending = sorted((d for d in self.deposits), key=lambda d: d.when)
        need = sum(self._satoshi(d) for d in pending)
        reserves = 4
        home = world.book.home(self.btc_wallet)
        coins = list(btc.fund(np.full(reserves, home), np.full(reserves, need + 5 * COIN)))  # each could pay them all
        ready = [0] * reserves  # the time each reserve coin's last release was mined
        for number, deposit in enumerate(pending):
            slot = number % reserves
            when = max(deposit.when + int(rng.uniform(600, 2_400)), ready[slot] + 60)
            if btc.block_at(when) >= btc.times.size - 1:
                continue  # too late in the world: the release is still pending when the data ends
            value = self._satoshi(deposit)
            tx, outs = btc.send([coins[slot]], [(deposit.destination, value)], when, change=home)
            coins[slot] = outs[1]
            ready[slot] = int(btc.times[btc.tx_block.values[tx]])
            deposit.release_tx, deposit.release_output, deposit.released = tx, outs[0], value

    def _satoshi(self, deposit: BridgeDeposit) -> int:
        prices, when = self.world.prices, self.ledger.block_time(deposit.when)
        usd = deposit.gwei / GWEI_PER_ETHER * prices.usd("ETH", when)
        return int(usd / prices.usd("BTC", when) * COIN * (1 - BRIDGE_FEE))


def setup(world: World, rng: np.random.Generator) -> None:
    """The account chain: the stablecoin, the DEX, the mixer pools, the bridge, exchanges' wallets and the users."""
    ledger = AccountLedger(world.start, world.profile.days, stream(world.seed, "account-gas"))
    world.eth = ledger
    registry = world.registry
    issuer = registry.entity("Northwind Trust Co.", "stablecoin_issuer", "Fictional Republic of Norvask")
    world.issuer_account = ledger.new_account(issuer)
    ledger.native.values[world.issuer_account] = 100 * GWEI_PER_ETHER  # genesis allocation, for its gas
    ledger.add_token(issuer, STABLECOIN, "Northwind USD", 6, "Northwind Trust Co.", freezable=True)
    dex_entity = registry.entity("Otterswap", "dex")
    world.dex = DexPool(ledger, dex_entity, "Otterswap NUSD/ETH pool")
    mixer_entity = registry.entity("Hushpool", "mixer")
    world.mixers = {
        ether: Mixer(ledger, mixer_entity, ether, stream(world.seed, f"mixer-{ether}")) for ether in MIXER_DENOMINATIONS
    }
    world.bridge = Bridge(world, ledger, stream(world.seed, "bridge"))
    world.relayer = ledger.new_account(registry.entity("Quiet Relay", "mixer_relayer"))

    for exchange in world.exchanges:
        exchange.eth_hot = ledger.new_account(exchange.entity)
        ledger.native.values[exchange.eth_hot] = 40_000 * GWEI_PER_ETHER  # genesis allocation
        mint(world, exchange.eth_hot, int(rng.integers(20, 60)) * 1_000_000 * STABLE_UNIT, world.start + 600)
    world.dex.add_liquidity(
        world,
        registry.entity("Otterswap liquidity provider", "liquidity_provider"),
        8_000 * GWEI_PER_ETHER,
        24_000_000 * STABLE_UNIT,
        world.start + 900,
    )

    # Users: retail people of the UTXO world who also use the account chain, each with an exchange account.
    count = min(world.profile.eth_users, world.retail_wallets.size)
    wallets = world.retail_wallets[:count]
    entities = registry.wallet_entity.values[wallets]
    world.eth_user_wallet = wallets  # their UTXO-chain wallet, where bridged coins arrive
    world.eth_users = ledger.new_accounts(entities)
    accounts = np.flatnonzero(world.account_wallet.values >= 0)
    first_account = {}
    for account, wallet in zip(accounts[::-1].tolist(), world.account_wallet.values[accounts[::-1]].tolist()):
        first_account[wallet] = account
    world.eth_user_account = np.array([first_account[w] for w in wallets.tolist()])
    world.eth_deposit = {}  # exchange account -> its account-chain deposit address
    for account in world.eth_user_account.tolist():
        exchange = world.exchanges[int(world.account_exchange.values[account])]
        world.eth_deposit[account] = ledger.new_account(exchange.entity)
    # Users' first ether: a withdrawal from their exchange in the first hour (nobody has ether they did not receive).
    opening = np.rint(rng.lognormal(np.log(0.8), 1.0, count) * GWEI_PER_ETHER).astype(np.int64)
    first = world.start + rng.integers(700, 3_300, count)
    hot = [world.exchanges[int(x)].eth_hot for x in world.account_exchange.values[world.eth_user_account]]
    for when, source, user, value in sorted(zip(first.tolist(), hot, world.eth_users.tolist(), opening.tolist())):
        ledger.send(when, source, user, value)
    ledger.send(
        world.start + 1_500, world.exchanges[-1].eth_hot, world.relayer, 5 * GWEI_PER_ETHER
    )  # the relayer's gas money


def mint(world: World, to: int, amount: int, when: int) -> int:
    """The issuer mints stablecoins to `to`."""
    ledger = world.eth
    tx = ledger.send(when, world.issuer_account, ledger.tokens[STABLECOIN].account, method="mint")
    ledger.transfer_token(tx, STABLECOIN, ZERO_ACCOUNT, to, amount)
    return tx
