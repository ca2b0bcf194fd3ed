"""The world under construction: registry, both chains, exchanges and their accounts, and case records."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .entities import DEPOSITS, HOT, P2SH, P2WPKH, AddressBook, Growable, Registry, nationalities, person_names
from .market import Prices
from .profiles import WORLD_START, Profile, stream
from .utxo import UtxoLedger, block_times


@dataclass
class Exchange:
    """A VASP: one entity with a hot wallet and a wallet of per-customer deposit addresses."""

    index: int
    entity: int
    name: str
    jurisdiction: str
    register: str
    kyc_strict: bool
    hot_wallet: int
    deposit_wallet: int
    eth_hot: int = -1  # account-chain hot wallet address id


@dataclass
class Case:
    """One crime scenario: what happened, for the answer keys and the complaint reports."""

    case_id: str
    typology: str
    title: str
    facts: dict = field(default_factory=dict)


class World:
    """Everything a build creates before it is written out as tables."""

    def __init__(self, profile: Profile, seed: int):
        self.profile = profile
        self.seed = seed
        self.start = int(WORLD_START.astype(np.int64))
        self.end = self.start + profile.days * 86_400
        self.registry = Registry(stream(seed, "wallet-software"))
        self.book = AddressBook(self.registry)
        self.btc = UtxoLedger(block_times(stream(seed, "blocks"), profile.days), self.book, stream(seed, "tx-order"))
        self.prices = Prices(stream(seed, "prices"), self.start, profile.days)
        self.eth = None  # the AccountLedger, set by defi.setup
        self.exchanges: list[Exchange] = []
        self.account_exchange = Growable(np.int32)
        self.account_entity = Growable(np.int32)
        self.account_wallet = Growable(np.int32)  # the customer's own bulk wallet, or -1
        self.account_deposit = Growable(np.int64)  # deposit address id (UTXO chain)
        self.account_opened = Growable(np.int64)
        self.customer_accounts: dict[tuple[int, int], int] = {}  # (exchange, entity) -> account, for scenario buyers
        self.shared_devices: list[tuple[list[int], str]] = []  # accounts that log in from one device (linked)
        self.shared_networks: list[list[int]] = []  # accounts of strangers behind one network: the first one's IP only
        self.scenario_logins: list[
            tuple[int, int]
        ] = []  # (account, time): logins a scenario needs, besides the drawn ones
        self.cases: list[Case] = []
        self.btc_labels: list[tuple[int, str, str]] = []  # (tx id, case id, step)
        self.eth_labels: list[tuple[int, str, str]] = []
        self.tags: list[dict] = []  # public attribution claims (some wrong), by address id and chain
        self.sanctions: list[dict] = []
        self.complaints: list[dict] = []
        self.withdrawal_outputs: list[tuple[np.ndarray, np.ndarray]] = []  # (output ids, account ids)
        self.aml_labels: list[dict] = []
        self.identities = stream(seed, "identities")  # names, nationalities and opening times, the same for everyone

    def add_exchange(self, name: str, jurisdiction: str, register: str, kyc_strict: bool) -> Exchange:
        entity = self.registry.entity(name, "exchange", jurisdiction)
        exchange = Exchange(
            len(self.exchanges),
            entity,
            name,
            jurisdiction,
            register,
            kyc_strict,
            hot_wallet=self.registry.wallet(entity, P2WPKH, behaviour=HOT),
            deposit_wallet=self.registry.wallet(
                entity, P2SH if len(self.exchanges) % 2 else P2WPKH, behaviour=DEPOSITS
            ),
        )
        self.exchanges.append(exchange)
        return exchange

    def exchange(self, name: str) -> Exchange:
        return next(x for x in self.exchanges if x.name == name)

    def open_accounts(
        self, exchanges: np.ndarray, entities: np.ndarray, wallets: np.ndarray, opened: np.ndarray
    ) -> np.ndarray:
        """Customer accounts, each with its own deposit address at the exchange."""
        deposit_wallets = np.array([x.deposit_wallet for x in self.exchanges])[exchanges]
        ids = self.account_exchange.extend(exchanges)
        self.account_entity.extend(entities)
        self.account_wallet.extend(wallets)
        self.account_deposit.extend(self.book.new_many(deposit_wallets))
        self.account_opened.extend(opened)
        return ids

    def open_account(self, exchange: Exchange, entity: int, when: int) -> int:
        """One customer account for a scenario actor; returns the account id."""
        return int(
            self.open_accounts(np.array([exchange.index]), np.array([entity]), np.array([-1]), np.array([when]))[0]
        )

    def opening_times(self, count: int) -> np.ndarray:
        """When customer accounts were opened: any second of the 30 to 1,500 days before the world starts."""
        return self.start - self.identities.integers(30 * 86_400, 1_500 * 86_400, count)

    def person(self, role: str) -> int:
        """A fictional person drawn like every ordinary customer (name and nationality); returns the entity."""
        return self.registry.entity(person_names(self.identities, 1)[0], role, nationalities(self.identities, 1)[0])

    def deposit_address(self, account: int) -> int:
        return int(self.account_deposit.values[account])

    def case(self, case_id: str, typology: str, title: str) -> Case:
        case = Case(case_id, typology, title)
        self.cases.append(case)
        return case

    def label(self, tx: int, case: Case, step: str) -> int:
        """Record a UTXO-chain transaction as part of a criminal flow (ground truth)."""
        self.btc_labels.append((tx, case.case_id, step))
        return tx

    def tag(
        self, chain: str, address: int, label: str, category: str, source: str, confidence: str, correct: bool = True
    ) -> None:
        """A public attribution claim about an address (an address id of `chain`: bitcoin or ethereum)."""
        self.tags.append(
            dict(
                chain=chain,
                address=address,
                label=label,
                category=category,
                source=source,
                confidence=confidence,
                correct=correct,
            )
        )

    def time(self, rng: np.random.Generator, day_from: float, day_to: float) -> int:
        """A random moment between two days of the world (fractional days from its start)."""
        return int(self.start + rng.uniform(day_from, day_to) * 86_400)
