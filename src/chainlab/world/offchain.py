"""Off-chain records: exchanges' KYC, deposit-address assignments, logins and ledgers; tags; sanctions; prices; complaints."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .entities import DEPOSITS, HOT, POOL, SERVICE
from .model import World
from .profiles import stream
from .schema import TABLES

DOC_NETWORKS = ("192.0.2.", "198.51.100.", "203.0.113.")
ID_DIGITS = 9  # identity document numbers: FICT- and nine digits
LOGINS_PER_ACCOUNT = (3, 13)  # logins per account over the world's days: at least 3, at most 12
LOGIN_SOURCES = (0.45, 0.45, 0.1)  # shares of logins from home, over the mobile carrier, on public Wi-Fi
CARRIERS, CARRIER_NAT_IPS = 4, 16  # mobile carriers, each with a few addresses that many subscribers share (NAT)
PUBLIC_WIFI_IPS = 40  # cafés, hotels and stations: one address for everyone there


def account_ids(world: World) -> np.ndarray:
    """Account numbers as exchanges print them, e.g. 'MV-0001234': each exchange numbers its accounts in the order
    they were opened (from a starting number of its own)."""
    prefixes = np.array(["".join(w[0] for w in x.name.split()[:2]).upper() for x in world.exchanges])
    exchange, opened = world.account_exchange.values, world.account_opened.values
    order = np.lexsort((np.arange(exchange.size), opened, exchange))
    first = np.searchsorted(exchange[order], np.arange(len(world.exchanges)))
    rank = np.empty(exchange.size, np.int64)
    rank[order] = np.arange(exchange.size) - first[exchange[order]]
    numbers = np.char.zfill((rank + 1_000 + 7_919 * exchange).astype(str), 7)
    return np.char.add(np.char.add(prefixes[exchange], "-"), numbers)


def _table(name: str, columns: dict) -> pa.Table:
    return pa.Table.from_pydict(columns, schema=TABLES[name].schema)


def _texts_at(texts: np.ndarray, positions: np.ndarray) -> pa.Array:
    """`texts[positions]` as Arrow text: each distinct text converted once, then gathered (quicker than converting
    every row of a long column that repeats a few texts)."""
    return pa.array(texts, pa.string()).take(pa.array(positions, pa.int64()))


def records(
    world: World, rng: np.random.Generator, address_text: pa.Array, tx_hash: pa.Array, eth_address: pa.Array
) -> dict[str, pa.Table]:
    """All off-chain tables. `tx_hash` is indexed by internal transaction id, the address texts by address id."""
    registry = world.registry
    names = np.array(registry.entity_name, dtype=object)
    jurisdictions = np.array(registry.entity_jurisdiction, dtype=object)
    exchange_names = np.array([x.name for x in world.exchanges], dtype=object)
    accounts = account_ids(world)
    account_exchange = exchange_names[world.account_exchange.values]
    holder = world.account_entity.values
    count = accounts.size
    opened = world.account_opened.values

    tables = {
        "exchanges": _table(
            "exchanges",
            {
                "exchange": [x.name for x in world.exchanges],
                "jurisdiction": [x.jurisdiction for x in world.exchanges],
                "register_entry": [x.register for x in world.exchanges],
                "kyc_policy": ["strict" if x.kyc_strict else "lax" for x in world.exchanges],
            },
        )
    }

    birth = np.datetime64("1950-01-01") + rng.integers(0, 365 * 52, count).astype("timedelta64[D]")
    emails = [
        f"{n.lower().replace(' ', '.').replace('..', '.').replace('&', 'and')}{i % 97}@example.{'org' if i % 2 else 'com'}"
        for i, n in enumerate(names[holder].tolist())
    ]
    tables["kyc"] = _table(
        "kyc",
        {
            "exchange": account_exchange,
            "account_id": accounts,
            "full_name": names[holder],
            "date_of_birth": birth,
            "nationality": np.where(jurisdictions[holder] == "", "Unknown", jurisdictions[holder]),
            "id_document": np.char.add(
                "FICT-", np.char.zfill(rng.integers(0, 10**ID_DIGITS, count).astype(str), ID_DIGITS)
            ),
            "email": emails,
            "opened_at": opened,
        },
    ).sort_by([("exchange", "ascending"), ("account_id", "ascending")])
    eth_holders = np.array(list(world.eth_deposit), np.int64)
    eth_deposits = np.array(list(world.eth_deposit.values()), np.int64)
    tables["deposit_addresses"] = _table(
        "deposit_addresses",
        {
            "exchange": np.concatenate([account_exchange, account_exchange[eth_holders]]),
            "account_id": np.concatenate([accounts, accounts[eth_holders]]),
            "chain": np.repeat(["bitcoin", "ethereum"], [count, eth_holders.size]),
            "address": pa.concat_arrays(
                [address_text.take(pa.array(world.account_deposit.values)), eth_address.take(pa.array(eth_deposits))]
            ),
            "assigned_at": np.concatenate([opened, opened[eth_holders]]),
        },
    ).sort_by([("exchange", "ascending"), ("account_id", "ascending"), ("chain", "ascending")])
    tables["logins"] = _logins(world, stream(world.seed, "logins"), accounts, account_exchange)
    tables["exchange_ledger"] = _ledger(world, address_text, tx_hash, accounts, account_exchange)
    tables["tags"] = _tags(world, rng, address_text, eth_address)
    tables["sanctions"] = _table(
        "sanctions",
        {
            "entry_id": [f"NRV-{i + 1:04d}" for i in range(len(world.sanctions))],
            "name": [s["name"] for s in world.sanctions],
            "chain": ["bitcoin"] * len(world.sanctions),
            "address": address_text.take(pa.array([s["address"] for s in world.sanctions], pa.int64())),
            "program": [s["program"] for s in world.sanctions],
            "listed_at": [s["listed"] for s in world.sanctions],
            "delisted_at": [s["delisted"] for s in world.sanctions],
        },
    )
    tables["prices"] = _prices(world)
    tables["complaints"] = _table(
        "complaints",
        {
            "complaint_id": [f"CR-2024-{1000 + i}" for i in range(len(world.complaints))],
            "filed_at": [c["filed"] for c in world.complaints],
            "reporter": [c["reporter"] for c in world.complaints],
            "typology": [c["typology"] for c in world.complaints],
            "reported_address": address_text.take(pa.array([c["address"] for c in world.complaints], pa.int64())),
            "reported_transaction": tx_hash.take(pa.array([c["tx"] for c in world.complaints], pa.int64())),
            "claimed_value": [c["value"] for c in world.complaints],
            "narrative": [c["narrative"] for c in world.complaints],
        },
    )
    return tables


def _logins(world, rng, accounts, account_exchange) -> pa.Table:
    """Each person logs in from one phone: at home, over the mobile carrier (whose NAT puts many subscribers behind a
    few addresses) or on public Wi-Fi. Linked accounts of different people share a phone but not a network."""
    count = accounts.size
    per_account = rng.integers(*LOGINS_PER_ACCOUNT, count)
    rows = np.repeat(np.arange(count), per_account)
    ips = rng.permutation([f"{network}{host}" for network in DOC_NETWORKS for host in range(1, 255)])
    public_at = CARRIERS * CARRIER_NAT_IPS  # ips holds the carriers' NAT addresses, then public Wi-Fi's, then homes'
    home_at = public_at + PUBLIC_WIFI_IPS
    homes = ips.size - home_at
    _, person = np.unique(
        world.account_entity.values, return_inverse=True
    )  # one person's accounts: one phone, one home
    people = person.max() + 1
    home = rng.integers(0, homes, people)[person]
    carrier = rng.integers(0, CARRIERS, people)[person]
    device = np.char.add("dev-", np.char.zfill(rng.integers(0, 16**8, people).astype(str), 10))[person]
    for linked, _ in world.shared_devices:  # linked accounts of different people: one phone, each on their own network
        linked = np.asarray(linked)
        device[linked] = device[linked[0]]
        home[linked] = (home[linked[0]] + np.arange(linked.size)) % homes
        carrier[linked] = (carrier[linked[0]] + np.arange(linked.size)) % CARRIERS
    _share_networks(world, home)
    source = np.searchsorted(np.cumsum(LOGIN_SOURCES), rng.random(rows.size), side="right")
    ip = np.where(  # positions in ips
        source == 0,
        home_at + home[rows],
        np.where(
            source == 1,
            carrier[rows] * CARRIER_NAT_IPS + rng.integers(0, CARRIER_NAT_IPS, rows.size),
            public_at + rng.integers(0, PUBLIC_WIFI_IPS, rows.size),
        ),
    )
    first = np.maximum(world.account_opened.values[rows], world.start)
    last = int(world.btc.times[-1])  # no login after the chain data ends
    times = first + np.floor(rng.random(rows.size) * np.maximum(last - first, 1)).astype(np.int64)
    rows, times, ip = _scenario_logins(world, rows, times, ip, home_at + home)
    order = np.lexsort((rows, times))
    return _table(
        "logins",
        {
            "exchange": _texts_at(account_exchange, rows[order]),
            "account_id": _texts_at(accounts, rows[order]),
            "timestamp": times[order],
            "ip_address": _texts_at(ips, ip[order]),
            "device_id": _texts_at(device, rows[order]),
        },
    )


def _share_networks(world: World, home: np.ndarray) -> None:
    """Strangers behind one network (a café, a hotel): their accounts' usual network is the first account's, each
    from its own device (`home` holds each account's usual network)."""
    for accounts in world.shared_networks:
        home[accounts] = home[accounts[0]]


def _scenario_logins(world: World, rows, times, ip, account_ip) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add the logins a scenario fixes (account, time), each from the account's usual network (`account_ip`, as
    `ip` a position in the list of addresses) and its device."""
    if not world.scenario_logins:
        return rows, times, ip
    accounts, when = (np.array(column, np.int64) for column in zip(*world.scenario_logins))
    return np.r_[rows, accounts], np.r_[times, when], np.r_[ip, account_ip[accounts]]


def _ledger(world, address_text, tx_hash, accounts, account_exchange) -> pa.Table:
    ledger = world.btc
    owner_account = np.full(world.book.wallet.size, -1)
    owner_account[world.account_deposit.values] = np.arange(accounts.size)
    deposit_outputs = np.flatnonzero(owner_account[ledger.out_address.values] >= 0)
    deposit_accounts = owner_account[ledger.out_address.values[deposit_outputs]]
    pairs = world.withdrawal_outputs
    withdrawal_outputs = np.concatenate([o for o, _ in pairs]) if pairs else np.array([], np.int64)
    withdrawal_accounts = np.concatenate([a for _, a in pairs]) if pairs else np.array([], np.int64)
    outputs = np.concatenate([deposit_outputs, withdrawal_outputs]).astype(np.int64)
    account = np.concatenate([deposit_accounts, withdrawal_accounts]).astype(np.int64)
    direction = np.repeat([0, 1], [deposit_outputs.size, withdrawal_outputs.size])  # deposit, withdrawal
    times = ledger.times[ledger.out_block.values[outputs]]
    order = np.lexsort((outputs, times))
    outputs, account, direction, times = outputs[order], account[order], direction[order], times[order]
    return _table(
        "exchange_ledger",
        {
            "exchange": _texts_at(account_exchange, account),
            "account_id": _texts_at(accounts, account),
            "timestamp": times,
            "direction": _texts_at(np.array(["deposit", "withdrawal"]), direction),
            "transaction_hash": tx_hash.take(pa.array(ledger.out_tx.values[outputs])),
            "output_index": ledger.out_index.values[outputs].astype(np.int64),
            "address": address_text.take(pa.array(ledger.out_address.values[outputs])),
            "value": ledger.out_value.values[outputs],
        },
    )


def _tags(world: World, rng: np.random.Generator, address_text: pa.Array, eth_address: pa.Array) -> pa.Table:
    """Public tags: exchanges' hot wallets, some deposit addresses, pools and services, contracts, scenario tags,
    and some errors."""
    registry, book = world.registry, world.book
    names = registry.entity_name
    homes = registry.wallet_home.values
    used = np.zeros(book.wallet.size, bool)
    used[world.btc.out_address.values] = True
    claims = [dict(t) for t in world.tags]
    for wallet in np.flatnonzero(np.isin(registry.wallet_behaviour.values, (HOT, POOL, SERVICE)) & (homes >= 0)):
        entity = int(registry.wallet_entity.values[wallet])
        category = {"exchange": "exchange", "mining_pool": "mining_pool"}.get(
            registry.entity_role[entity], registry.entity_role[entity]
        )
        claims.append(
            dict(
                chain="bitcoin",
                address=int(homes[wallet]),
                label=names[entity],
                category=category,
                source="explorer label",
                confidence="high",
                correct=True,
            )
        )
    deposits = np.flatnonzero(used & np.isin(registry.wallet_behaviour.values[book.wallet.values], (DEPOSITS,)))
    for address in rng.choice(deposits, size=max(1, deposits.size // 8), replace=False):
        entity = int(registry.wallet_entity.values[book.wallet.values[address]])
        claims.append(
            dict(
                chain="bitcoin",
                address=int(address),
                label=f"{names[entity]} deposit",
                category="exchange",
                source="address clustering service",
                confidence="medium",
                correct=True,
            )
        )
    for sanctioned in world.sanctions:
        claims.append(
            dict(
                chain="bitcoin",
                address=sanctioned["address"],
                label=sanctioned["name"],
                category="sanctioned",
                source="sanctions list",
                confidence="high",
                correct=True,
            )
        )
    merchants = world.merchant_wallets[rng.random(world.merchant_wallets.size) < 0.6]
    for wallet in merchants:  # shoppers name the shops they paid: mostly right
        claims.append(
            dict(
                chain="bitcoin",
                address=int(homes[wallet]),
                label=names[int(registry.wallet_entity.values[wallet])],
                category="merchant",
                source="user-submitted",
                confidence=str(rng.choice(["low", "medium"])),
                correct=True,
            )
        )
    claims += _wrong_tags(world, rng, homes)
    claims = [c for c in claims if c["chain"] != "bitcoin" or used[c["address"]]]
    for exchange in world.exchanges:
        claims.append(
            dict(
                chain="ethereum",
                address=exchange.eth_hot,
                label=f"{exchange.name} hot wallet",
                category="exchange",
                source="explorer label",
                confidence="high",
                correct=True,
            )
        )
    category = {
        "token": "stablecoin",
        "dex_pool": "dex",
        "mixer": "mixer",
        "bridge": "bridge",
        "lending_protocol": "defi",
    }
    for contract in world.eth.contracts:
        claims.append(
            dict(
                chain="ethereum",
                address=contract.account,
                label=contract.name,
                category=category[contract.kind],
                source="explorer label",
                confidence="high",
                correct=True,
            )
        )
    order = rng.permutation(len(claims))
    claims = [claims[i] for i in order]
    world.tag_claims = claims
    address = claim_addresses(claims, address_text, eth_address)
    columns = {
        key: ([c[key] for c in claims] if key != "address" else address)
        for key in ("chain", "address", "label", "category", "source", "confidence")
    }
    columns["observed_at"] = _observed(world, rng, claims)
    return _table("tags", columns)


def _observed(world: World, rng: np.random.Generator, claims: list[dict]) -> np.ndarray:
    """When each claim was made or collected (seconds since 1970): a few weeks after its bitcoin address first
    received coins, or any day of the world for an account-chain address, never after the world's last block."""
    ledger = world.btc
    first_block = np.full(world.book.wallet.size, ledger.times.size - 1)
    np.minimum.at(first_block, ledger.out_address.values, ledger.out_block.values)
    ids = np.array([c["address"] for c in claims], np.int64)
    on_bitcoin = np.array([c["chain"] == "bitcoin" for c in claims])
    seen = np.where(on_bitcoin, ledger.times[first_block[np.where(on_bitcoin, ids, 0)]], world.start)
    later = np.where(on_bitcoin, rng.exponential(21, ids.size), rng.uniform(0, world.profile.days, ids.size))
    return np.minimum(seen + (later * 86_400).astype(np.int64), ledger.times[-1])


WRONG_CLAIMS = (  # (label, category, source, confidence): errors from every kind of source, as in life
    ("Meridian Vault", "exchange", "user-submitted", "low"),
    ("Hollowreed Market vendor", "darknet_market", "user-submitted", "low"),
    ("Lucky Lantern Casino", "gambling", "user-submitted", "medium"),
    ("Meridian Vault", "exchange", "user-submitted", "low"),
    ("Hollowreed Market vendor", "darknet_market", "forum post", "medium"),
    ("Kestrel Coin Markets deposit", "exchange", "address clustering service", "medium"),
    ("Harbourline Exchange deposit", "exchange", "address clustering service", "high"),
    ("Lucky Lantern Casino", "gambling", "explorer label", "high"),
)


def _wrong_tags(world: World, rng: np.random.Generator, homes: np.ndarray) -> list[dict]:
    """Plausible but wrong claims about ordinary users' addresses."""
    wallets = world.retail_wallets[rng.choice(world.retail_wallets.size, len(WRONG_CLAIMS), replace=False)]
    return [
        dict(
            chain="bitcoin",
            address=int(homes[wallet]),
            label=label,
            category=category,
            source=source,
            confidence=confidence,
            correct=False,
        )
        for wallet, (label, category, source, confidence) in zip(wallets, WRONG_CLAIMS)
    ]


def claim_addresses(claims: list[dict], address_text: pa.Array, eth_address: pa.Array) -> pa.Array:
    """The address text of each tag claim, looked up in its own chain's address list."""
    ids = np.array([c["address"] for c in claims], np.int64)
    on_account_chain = np.array([c["chain"] == "ethereum" for c in claims])
    return pc.if_else(
        on_account_chain,
        eth_address.take(pa.array(np.where(on_account_chain, ids, 0))),
        address_text.take(pa.array(np.where(on_account_chain, 0, ids))),
    )


def _prices(world: World) -> pa.Table:
    prices = world.prices
    hours = world.start + np.arange(prices.hours) * 3600
    symbols = list(prices.series)
    return _table(
        "prices",
        {
            "timestamp": np.tile(hours, len(symbols)),
            "symbol": np.repeat(symbols, prices.hours),
            "price_usd": np.concatenate([prices.series[s] for s in symbols]),
        },
    )
