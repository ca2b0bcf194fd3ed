"""The ordinary population: exchanges, mining pools, services, merchants and retail users with their accounts."""

from __future__ import annotations

import numpy as np

from .entities import MERCHANT, P2SH, P2TR, P2WPKH, POOL, RETAIL, SERVICE, nationalities, person_names, script_kinds
from .model import World
from .utxo import COIN

EXCHANGES = (  # name, jurisdiction, register entry, strict KYC
    ("Harbourline Exchange", "United Kingdom", "FCA cryptoasset register (fictional entry HX-0042)", True),
    ("Kestrel Coin Markets", "France", "AMF PSAN register (fictional entry E2024-117)", True),
    ("Bluewater Digital Assets", "Philippines", "BSP VASP registry (fictional entry BDA-2022-09)", True),
    ("Nordlicht Krypto", "Germany", "BaFin crypto custody licence (fictional entry NK-31)", True),
    ("Meridian Vault", "Seychelles", "none found", False),
)
MINING_POOLS = (("Granite Peak Mining Pool", 0.45), ("Stormfield Hash", 0.35), ("Lantern Pool", 0.20))
MERCHANT_WORDS = (
    "Copper Kettle Coffee",
    "Wobbly Wheel Bikes",
    "Nimbus Books",
    "Gilded Sprocket Hardware",
    "Thimble & Thread",
    "Pocket Comet Games",
    "Salt & Sorrel Bistro",
    "Pelican Parcel Co.",
)


def populate(world: World, rng: np.random.Generator) -> None:
    """Create the ordinary entities, wallets, exchange accounts and opening balances."""
    registry, book, ledger, profile = world.registry, world.book, world.btc, world.profile
    for name, jurisdiction, register, strict in EXCHANGES:
        exchange = world.add_exchange(name, jurisdiction, register, strict)
        hot = book.home(exchange.hot_wallet)
        ledger.fund(np.full(20, hot), rng.integers(20, 40, 20) * COIN, reserved=False)

    world.pools = []
    for name, share in MINING_POOLS:
        entity = registry.entity(name, "mining_pool", "")
        world.pools.append((registry.wallet(entity, P2WPKH, POOL), share))

    services = []
    for name, role, jurisdiction in (
        ("Lucky Lantern Casino", "gambling", "Curaçao"),
        ("Quill & Vale OTC", "otc_broker", "United Arab Emirates"),
    ):
        entity = registry.entity(name, role, jurisdiction)
        services.append(registry.wallet(entity, P2WPKH, SERVICE, reuse=0.3))
    world.gambling_wallet, world.otc_wallet = services

    merchant_names = [
        f"{MERCHANT_WORDS[i % len(MERCHANT_WORDS)]} #{i // len(MERCHANT_WORDS) + 1}" for i in range(profile.merchants)
    ]
    merchant_entities = registry.entities(merchant_names, "merchant", nationalities(rng, profile.merchants))
    merchants = registry.wallets(
        merchant_entities, rng.choice(np.array([P2WPKH, P2SH, P2TR], np.int8), profile.merchants), MERCHANT, reuse=0.7
    )

    people = registry.entities(
        person_names(rng, profile.retail_users), "retail_user", nationalities(rng, profile.retail_users)
    )
    retail = registry.wallets(
        people, script_kinds(rng, people.size), RETAIL, reuse=np.where(rng.random(people.size) < 0.25, 0.9, 0.1)
    )

    # Accounts: every bulk holder has one exchange account, a third have a second one.
    holders = np.concatenate([retail, merchants, np.array(services)])
    holder_entities = registry.wallet_entity.values[holders]
    second = rng.random(holders.size) < 0.33
    first_exchange = rng.choice(len(EXCHANGES), holders.size, p=[0.3, 0.22, 0.18, 0.2, 0.1])
    second_exchange = (first_exchange + rng.integers(1, len(EXCHANGES), holders.size)) % len(EXCHANGES)
    owners = np.concatenate([holders, holders[second]])
    world.open_accounts(
        np.concatenate([first_exchange, second_exchange[second]]).astype(np.int32),
        np.concatenate([holder_entities, holder_entities[second]]),
        owners,
        world.opening_times(owners.size),
    )

    opening = np.concatenate(
        [
            np.rint(rng.lognormal(np.log(0.04 * COIN), 1.3, retail.size)),
            np.rint(rng.lognormal(np.log(0.5 * COIN), 0.8, merchants.size)),
            np.full(len(services), 40 * COIN),
        ]
    ).astype(np.int64)
    ledger.fund(book.homes(holders), np.maximum(opening, 20_000), reserved=False)
    world.retail_wallets, world.merchant_wallets, world.service_wallets = retail, merchants, np.array(services)
