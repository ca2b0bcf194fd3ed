"""Who exists in the world: entities (people, companies, crime groups), their wallets and addresses."""

from __future__ import annotations

import numpy as np

# Script kinds of UTXO-chain addresses, with BigQuery's `outputs.type` names.
P2PKH, P2SH, P2WPKH, P2TR = 0, 1, 2, 3
SCRIPT_TYPES = ("pubkeyhash", "scripthash", "witness_v0_keyhash", "witness_v1_taproot")
INPUT_VSIZE = np.array([148, 91, 68, 58])  # virtual bytes one input of each kind adds

# How a wallet behaves in the ordinary (bulk) traffic; QUIET wallets move only in scenarios.
QUIET, RETAIL, MERCHANT, SERVICE, DEPOSITS, HOT, POOL = range(7)
CUSTODIAL = (SERVICE, DEPOSITS, HOT, POOL)

# Wallet software, each with its habits (module 06's fingerprints):
#   desktop_full_node  fee rate to 0.001 sat/vB, change at a random position and of the payment's type, lock_time =
#                      the current height (anti fee-sniping, sometimes a little lower), RBF signalled (sequence 0xFFFFFFFD)
#   desktop_light      fee rate to 0.1 sat/vB, change at a random position, of the wallet's own type, lock_time = height,
#                      RBF signalled
#   mobile             whole sat/vB, change last, lock_time 0, no RBF (sequence 0xFFFFFFFF)
#   custodial          (exchanges, pools, services) whole sat/vB, change last, lock_time 0, sequence 0xFFFFFFFE
SOFTWARE = ("desktop_full_node", "desktop_light", "mobile", "custodial")
FULL_NODE, LIGHT, MOBILE, CUSTODIAN = range(4)
SOFTWARE_BY_KIND = np.array(
    [  # chance of each software for a self-hosted wallet of each address kind
        [0.0, 0.4, 0.6, 0.0],  # P2PKH
        [0.0, 0.3, 0.7, 0.0],  # P2SH
        [0.25, 0.3, 0.45, 0.0],  # P2WPKH
        [0.7, 0.0, 0.3, 0.0],  # P2TR
    ]
)
FEE_DECIMALS = np.array([3, 1, 0, 0])
SEQUENCE = np.array([0xFFFFFFFD, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFE], np.int64)
SETS_LOCK_TIME = np.array([True, True, False, False])
CHANGE_LAST = np.array([False, False, True, True])
CHANGE_LIKE_PAYMENT = np.array([True, False, False, False])

FIRST_NAMES = (
    "Avery",
    "Brisk",
    "Calla",
    "Dorian",
    "Elowen",
    "Fenn",
    "Gildas",
    "Halcyon",
    "Isolde",
    "Jasper",
    "Kestrel",
    "Linnea",
    "Marlow",
    "Nettle",
    "Orrin",
    "Perpetua",
    "Quentin",
    "Rosalind",
    "Sorrel",
    "Tamsin",
    "Ulric",
    "Verity",
    "Wystan",
    "Xanthe",
    "Yarrow",
    "Zephyrine",
    "Bramble",
    "Cosmo",
    "Delphine",
    "Ember",
)
SURNAMES = (
    "Thistlewood",
    "Quillfeather",
    "Marrowby",
    "Brackenridge",
    "Fenwhistle",
    "Oddlebury",
    "Copperkettle",
    "Puddingstone",
    "Wainscott",
    "Larkspurrow",
    "Mossbottom",
    "Tumblewick",
    "Hollowmere",
    "Ravelstoke",
    "Bumbleworth",
    "Crumplehorn",
    "Dapplegrove",
    "Fizzlewick",
    "Gorseberry",
    "Inkwhistle",
    "Jollimore",
    "Kettlebank",
    "Lanternfield",
    "Muddleford",
    "Nimblethorn",
    "Pebbleshaw",
    "Quibbleton",
    "Saltmarsh-Twee",
)


class Growable:
    """A numpy array that grows by appending, with amortised doubling."""

    def __init__(self, dtype, capacity: int = 1024):
        self._data = np.empty(capacity, dtype)
        self.size = 0

    def extend(self, values) -> np.ndarray:
        """Append values; return the indices they got."""
        values = np.asarray(values, dtype=self._data.dtype)
        end = self.size + values.size
        if end > self._data.size:
            grown = np.empty(max(end, 2 * self._data.size), self._data.dtype)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : end] = values.reshape(-1)
        start, self.size = self.size, end
        return np.arange(start, end)

    def append(self, value) -> int:
        """Append one value; return its index."""
        if self.size == self._data.size:
            grown = np.empty(2 * self._data.size, self._data.dtype)
            grown[: self.size] = self._data
            self._data = grown
        self._data[self.size] = value
        self.size += 1
        return self.size - 1

    @property
    def values(self) -> np.ndarray:
        return self._data[: self.size]


class Registry:
    """Entities and their wallets. A wallet is one keychain: its addresses' coins may be spent together."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng  # draws each self-hosted wallet's software
        self.entity_name: list[str] = []
        self.entity_role: list[str] = []
        self.entity_jurisdiction: list[str] = []
        self.wallet_entity = Growable(np.int32)
        self.wallet_kind = Growable(np.int8)
        self.wallet_behaviour = Growable(np.int8)
        self.wallet_home = Growable(np.int64)  # the address the wallet reuses, -1 until it has one
        self.wallet_reuse = Growable(np.float64)  # chance that the wallet receives on its home address
        self.wallet_software = Growable(np.int8)  # index into SOFTWARE

    def entity(self, name: str, role: str, jurisdiction: str = "") -> int:
        self.entity_name.append(name)
        self.entity_role.append(role)
        self.entity_jurisdiction.append(jurisdiction)
        return len(self.entity_name) - 1

    def entities(self, names: list[str], role: str, jurisdictions: list[str]) -> np.ndarray:
        start = len(self.entity_name)
        self.entity_name.extend(names)
        self.entity_role.extend([role] * len(names))
        self.entity_jurisdiction.extend(jurisdictions)
        return np.arange(start, len(self.entity_name))

    def wallet(self, entity: int, kind: int, behaviour: int = QUIET, reuse: float = 0.0) -> int:
        return int(self.wallets(np.array([entity]), np.array([kind]), behaviour, reuse)[0])

    def wallets(self, entities: np.ndarray, kinds: np.ndarray, behaviour: int, reuse=0.0) -> np.ndarray:
        ids = self.wallet_entity.extend(entities)
        self.wallet_kind.extend(kinds)
        self.wallet_behaviour.extend(np.full(ids.size, behaviour))
        self.wallet_home.extend(np.full(ids.size, -1))
        self.wallet_reuse.extend(np.broadcast_to(reuse, ids.shape))
        kinds = np.broadcast_to(kinds, ids.shape)
        cumulative = SOFTWARE_BY_KIND.cumsum(axis=1)[kinds]
        software = (self.rng.random(ids.size)[:, None] > cumulative).sum(axis=1)
        self.wallet_software.extend(np.where(behaviour in CUSTODIAL, CUSTODIAN, np.minimum(software, 2)))
        return ids


class AddressBook:
    """UTXO-chain addresses as integers (owner wallet and script kind); strings are encoded once at the end."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.wallet = Growable(np.int32, 1 << 16)
        self.kind = Growable(np.int8, 1 << 16)

    def new(self, wallet: int, kind: int | None = None) -> int:
        kind = self.registry.wallet_kind.values[wallet] if kind is None else kind
        self.kind.append(kind)
        return self.wallet.append(wallet)

    def new_many(self, wallets: np.ndarray, kinds: np.ndarray | None = None) -> np.ndarray:
        self.kind.extend(self.registry.wallet_kind.values[wallets] if kinds is None else kinds)
        return self.wallet.extend(wallets)

    def home(self, wallet: int) -> int:
        """The wallet's reused address (created on first use)."""
        homes = self.registry.wallet_home.values
        if homes[wallet] < 0:
            homes[wallet] = self.new(wallet)
        return int(homes[wallet])

    def homes(self, wallets: np.ndarray) -> np.ndarray:
        homes = self.registry.wallet_home.values
        missing = np.unique(wallets[homes[wallets] < 0])
        homes[missing] = self.new_many(missing)
        return homes[wallets]


def person_names(rng: np.random.Generator, count: int) -> list[str]:
    """Obviously fictional personal names such as 'Sorrel K. Fizzlewick'."""
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), count)]
    initial = np.array(list("ABCDEFGHJKLMNPRSTVW"))[rng.integers(0, 19, count)]
    last = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), count)]
    return [f"{a} {b}. {c}" for a, b, c in zip(first.tolist(), initial.tolist(), last.tolist())]


COUNTRIES = (
    "United Kingdom",
    "France",
    "Germany",
    "Spain",
    "Italy",
    "Philippines",
    "Netherlands",
    "Portugal",
    "Ireland",
    "Poland",
    "Belgium",
    "Austria",
)
UNKNOWN_NATIONALITY = 0.03  # customers who never completed the form (KYC shows "Unknown")


def nationalities(rng: np.random.Generator, count: int) -> list[str]:
    """Customers' countries, "" for the few whose form is incomplete; ordinary and scenario people alike."""
    countries = np.array(COUNTRIES)[rng.integers(0, len(COUNTRIES), count)]
    return np.where(rng.random(count) < UNKNOWN_NATIONALITY, "", countries).tolist()


def script_kinds(rng: np.random.Generator, count: int) -> np.ndarray:
    """Address kinds in 2024-like proportions: mostly native segwit, then taproot, P2SH and legacy."""
    return rng.choice(np.array([P2PKH, P2SH, P2WPKH, P2TR], np.int8), size=count, p=[0.12, 0.15, 0.5, 0.23])
