"""The case of 02_crypto_assets_and_services: seized notes that may be seed phrases, and the examples drawn from the world.

- `seized_notes`: seeded notes as if copied from a search, some valid seed phrases, some broken;
- `case_picks`: the account-chain examples the module's exercises ask about.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import cohort, data, seeding
from ..analysis.account import asset_movements
from ..analysis.errors import AnalysisInputError
from ..chain.seed_phrases import bip39_words, check_seed_phrase, new_seed_phrase
from ..chain.units import WEI_PER_ETH

ZERO_ADDRESS = "0x" + "0" * 40


def seized_notes(seed: int | None = None) -> pd.DataFrame:
    """Six seed phrases as copied from notes found in a search: two valid, four with one fault each (an unknown word,
    a missing word, a changed word, two swapped words). All freshly generated from the cohort's seed."""
    rng = seeding.rng("m02.seized_notes", seed)
    words = bip39_words()

    def broken(phrase: str, change) -> str:
        while True:  # about 1 change in 16 keeps a valid checksum by chance: draw again until the fault shows
            changed = change(phrase.split())
            if not check_seed_phrase(changed).valid:
                return changed

    def misspelt(parts):
        at = int(rng.integers(len(parts)))
        typo = parts[at][:-1] + ("e" if parts[at][-1] != "e" else "a")
        return " ".join(parts[:at] + [typo] + parts[at + 1 :]) if typo not in words else " ".join(parts)

    def replaced(parts):
        at = int(rng.integers(len(parts)))
        return " ".join(parts[:at] + [words[int(rng.integers(len(words)))]] + parts[at + 1 :])

    def swapped(parts):
        a, b = sorted(rng.choice(len(parts), 2, replace=False).tolist())
        return (
            " ".join(parts[:a] + [parts[b]] + parts[a + 1 : b] + [parts[a]] + parts[b + 1 :])
            if parts[a] != parts[b]
            else " ".join(parts)
        )

    def dropped(parts):
        at = int(rng.integers(len(parts)))
        return " ".join(parts[:at] + parts[at + 1 :])

    phrases = [new_seed_phrase(rng, 12), new_seed_phrase(rng, 24)]
    phrases += [broken(new_seed_phrase(rng, 12), change) for change in (misspelt, dropped, replaced, swapped)]
    order = rng.permutation(len(phrases))
    return pd.DataFrame(
        {"note_id": [f"NOTE-{i + 1}" for i in range(len(phrases))], "phrase": [phrases[i] for i in order]}
    )


# -- the module's case -------------------------------------------------------------------------


@dataclass(frozen=True)
class CasePicks:
    """The addresses and transactions 02_crypto_assets_and_services asks about, drawn from the synthetic world."""

    reported_transaction: str  # a plain ETH payment a victim reports, whose gas limit is above the gas it used
    paid_account: str  # an account whose incoming ETH payments are valued in USD
    token_example: str  # an account whose NUSD balance the lesson computes
    token_holder: str  # an account whose NUSD balance the learner computes
    deposit_example: str  # an exchange deposit address shown in the lesson
    candidates: tuple[
        str, ...
    ]  # six accounts, some of them exchange deposit addresses, one ordinary account with a single sender


def case_picks(seed: int | None = None) -> CasePicks:
    """Draw the module's examples from the synthetic world (read with `chainlab.load`), reproducibly for the cohort's seed.

    Picked so that likely wrong methods of 02 give other answers: the reported payment's gas limit is above the gas
    it used (a fee from the limit shows); one ordinary candidate has a single sender (counting senders instead of
    receivers shows).
    """
    seed = cohort.seed() if seed is None else seed
    transactions, token_transfers, tags, contracts, deposit_addresses = (
        data.load(table, seed=seed)
        for table in ("eth_transactions", "token_transfers", "tags", "contracts", "deposit_addresses")
    )
    rng = seeding.rng("m02.case_picks", seed)
    deposits = set(deposit_addresses.loc[deposit_addresses["chain"] == "ethereum", "address"])
    known = set(tags["address"]) | set(contracts["address"]) | deposits | {ZERO_ADDRESS}

    def draw(pool) -> str:
        pool = sorted(pool)
        if not pool:
            raise AnalysisInputError(
                "this world has no account that fits the module's examples; rebuild the datasets (chainlab datasets build)."
            )
        return pool[int(rng.integers(len(pool)))]

    done = transactions[transactions["receipt_status"] == 1]
    plain = done[(done["input"] == "0x") & ~done["from_address"].isin(known) & ~done["to_address"].isin(known)]
    buffered = plain["gas"].map(int) > plain["receipt_gas_used"].map(int)  # its wallet set a limit above the gas used
    reported = draw(plain.loc[(plain["value"].map(int) >= WEI_PER_ETH // 2) & buffered, "hash"])
    incoming = (
        transactions[transactions["input"] == "0x"].groupby("to_address").size()
    )  # failed ones too: the table shows them
    paid = draw(set(incoming[(incoming >= 4) & (incoming <= 8)].index) & set(plain["to_address"]))

    units = token_transfers["value"].map(int)
    balances = (
        units.groupby(token_transfers["to_address"])
        .sum()
        .sub(units.groupby(token_transfers["from_address"]).sum(), fill_value=0)
    )
    received = token_transfers.groupby("to_address").size()
    sent = token_transfers.groupby("from_address").size()
    busy = [a for a in received[received >= 3].index if a not in known and sent.get(a, 0) >= 2 and balances[a] > 0]
    token_example = draw(busy)
    token_holder = draw(set(busy) - {token_example})

    out_counts = done.groupby("from_address").size().add(token_transfers.groupby("from_address").size(), fill_value=0)
    active = set(out_counts[out_counts >= 3].index)
    deposit_pool = sorted(active & deposits)
    deposit_example = draw(deposit_pool)
    chosen = [draw(set(deposit_pool) - {deposit_example})]
    chosen.append(draw(set(deposit_pool) - {deposit_example, *chosen}))
    ordinary = active - known - {paid, token_example, token_holder}
    movements = asset_movements(
        transactions, token_transfers, data.load("eth_traces", seed=seed), data.load("tokens", seed=seed)
    )
    senders = movements.groupby("to_address")["from_address"].nunique()
    chosen.append(draw({a for a in ordinary if senders.get(a, 0) == 1}))
    for _ in range(3):
        chosen.append(draw(ordinary - set(chosen)))
    candidates = tuple(chosen[i] for i in rng.permutation(len(chosen)))
    return CasePicks(reported, paid, token_example, token_holder, deposit_example, candidates)


_picks_by_seed: dict[int, CasePicks] = {}


def __getattr__(name: str):
    """The module's picks for the cohort's seed, read as `case.reported_transaction`, `case.token_holder`, ... (see CasePicks)."""
    if name not in CasePicks.__dataclass_fields__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    seed = cohort.seed()
    if seed not in _picks_by_seed:
        _picks_by_seed[seed] = case_picks(seed)
    return getattr(_picks_by_seed[seed], name)
