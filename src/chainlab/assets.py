"""Crypto-assets in the account model (introduced in 02_crypto_assets_and_services).

- `value_in_usd`: value each movement at the price of its own hour (an as-of join on the hourly price table);
- `token_balance`, `token_holdings`: a token balance computed from ERC-20 Transfer events, exactly;
- `public_labels`: who an account-chain address is, as far as public tags and contract names say;
- `check_seed_phrase`: the three BIP-39 checks of a seed phrase (known words, word count, checksum), in plain words;
- `seized_notes`, `case_picks`: the seeded examples the module's exercises ask about.

The BIP-39 word list and checksum come from bip-utils; this module adds only plain-language verdicts.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from bip_utils import Bip39Languages, Bip39MnemonicGenerator, Bip39MnemonicValidator
from bip_utils.bip.bip39.bip39_mnemonic_utils import Bip39WordsListGetter

from . import cohort, data, seeding
from .analysis.errors import AnalysisInputError

WEI_PER_ETH = 10**18
WEI_PER_GWEI = 10**9
ZERO_ADDRESS = "0x" + "0" * 40
VALID_WORD_COUNTS = (12, 15, 18, 21, 24)


# -- prices at the time -------------------------------------------------------------------------


def value_in_usd(movements: pd.DataFrame, prices: pd.DataFrame, symbol: str = "ETH", time_column: str = "block_timestamp",
                 amount_column: str = "amount") -> pd.DataFrame:
    """`movements` in time order with `price_usd` (the price of `symbol` at the start of each movement's hour) and
    `value_usd` (= amount x price_usd) added.

    This is an as-of join (`pandas.merge_asof`, backward): each row takes the latest price at or before its own time.
    A movement before the first price gets no price (NaN).
    """
    for name, table, needed in (("movements", movements, (time_column, amount_column)), ("prices", prices, ("timestamp", "symbol", "price_usd"))):
        missing = [column for column in needed if column not in table.columns]
        if missing:
            raise AnalysisInputError(f"{name} lacks column(s) {', '.join(missing)}; give the table from chainlab.load (prices: cl.load('prices')).")
    quoted = prices[prices["symbol"] == symbol]
    if quoted.empty:
        raise AnalysisInputError(f"the price table has no {symbol!r} prices; it has {', '.join(sorted(prices['symbol'].unique()))}.")
    ordered = movements.sort_values(time_column, kind="stable")
    valued = pd.merge_asof(ordered, quoted[["timestamp", "price_usd"]].sort_values("timestamp"),
                           left_on=time_column, right_on="timestamp", direction="backward")
    valued = valued.drop(columns="timestamp") if time_column != "timestamp" else valued
    valued["value_usd"] = valued[amount_column].astype(float) * valued["price_usd"]
    return valued


# -- who is this address? ---------------------------------------------------------------------


def public_labels(tags: pd.DataFrame, contracts: pd.DataFrame) -> dict[str, str]:
    """Account-chain address (lower-cased) -> its public name, from the tables `tags` and `contracts`."""
    labels = {address.lower(): name for address, name in zip(contracts["address"], contracts["name"])}
    ethereum = tags[tags["chain"] == "ethereum"]
    labels.update({address.lower(): label for address, label in zip(ethereum["address"], ethereum["label"])})
    return labels


# -- tokens ------------------------------------------------------------------------------------


def token_balance(token_transfers: pd.DataFrame, address: str, token_address: str) -> int:
    """The balance of `address` in one token, in the token's smallest unit: everything its Transfer events brought in,
    minus everything they took out. Exact (Python int). Addresses are compared without regard to case."""
    transfers = token_transfers[token_transfers["token_address"].str.lower() == token_address.lower()]
    received = sum(map(int, transfers.loc[transfers["to_address"].str.lower() == address.lower(), "value"]))
    sent = sum(map(int, transfers.loc[transfers["from_address"].str.lower() == address.lower(), "value"]))
    return received - sent  # Python ints: exact for any number of decimals (a column of int64 could overflow)


def token_holdings(token_transfers: pd.DataFrame, tokens: pd.DataFrame, address: str) -> pd.DataFrame:
    """One row per token `address` ever moved: symbol, balance (whole tokens), balance in smallest units, issuer, freezable."""
    moved = token_transfers[(token_transfers["from_address"].str.lower() == address.lower())
                            | (token_transfers["to_address"].str.lower() == address.lower())]["token_address"].unique()
    rows = []
    for token in tokens[tokens["address"].isin(moved)].itertuples():
        units = token_balance(token_transfers, address, token.address)
        rows.append({"symbol": token.symbol, "name": token.name, "balance": units / 10 ** int(token.decimals), "smallest_units": units,
                     "issuer": token.issuer, "freezable": bool(token.freezable)})
    return pd.DataFrame(rows, columns=["symbol", "name", "balance", "smallest_units", "issuer", "freezable"])


# -- seed phrases (BIP-39) ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def bip39_words() -> tuple[str, ...]:
    """The 2,048 words of the BIP-39 English word list, in list order (from bip-utils)."""
    words = Bip39WordsListGetter().GetByLanguage(Bip39Languages.ENGLISH)
    return tuple(words.GetWordAtIdx(index) for index in range(words.Length()))


@dataclass(frozen=True)
class SeedPhraseCheck:
    """The verdict on a seed phrase: each BIP-39 check (None: could not be run), and the first problem in plain words."""

    words: tuple[str, ...]
    unknown_words: tuple[str, ...]
    count_ok: bool
    checksum_ok: bool | None
    problem: str | None

    @property
    def valid(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        if self.valid:
            return f"Valid BIP-39 seed phrase of {len(self.words)} words: every word is in the list and the checksum matches."
        return f"NOT a valid BIP-39 seed phrase: {self.problem}"


def check_seed_phrase(text: str) -> SeedPhraseCheck:
    """Run the three BIP-39 checks on `text`: every word in the English list, 12/15/18/21/24 words, checksum."""
    if not isinstance(text, str):
        raise TypeError(f"A seed phrase is text (str) of words separated by spaces, not a {type(text).__name__}.")
    words = tuple(unicodedata.normalize("NFKD", text).lower().split())
    if not words:
        return SeedPhraseCheck(words, (), False, None, "there are no words: type the phrase, words separated by spaces.")
    known = set(bip39_words())
    unknown = tuple(dict.fromkeys(word for word in words if word not in known))
    count_ok = len(words) in VALID_WORD_COUNTS
    problems = []
    if unknown:
        problems.append(("this word is" if len(unknown) == 1 else "these words are") + " not in the BIP-39 English list: " + "; ".join(_closest(word) for word in unknown) + ".")
    if not count_ok:
        problems.append(f"it has {len(words)} word{'' if len(words) == 1 else 's'}, but a BIP-39 phrase has 12, 15, 18, 21 or 24. Is a word missing, or one too many?")
    if problems:
        return SeedPhraseCheck(words, unknown, count_ok, None, " ".join(problems) + " The checksum can only be checked once these are fixed.")
    if not Bip39MnemonicValidator().IsValid(" ".join(words)):
        return SeedPhraseCheck(words, (), True, False, "every word is in the list and the count is right, but the checksum does not match: "
                               "a word is wrong (another word of the list), or two words are swapped.")
    return SeedPhraseCheck(words, (), True, True, None)


def _closest(word: str) -> str:
    near = difflib.get_close_matches(word, bip39_words(), n=2, cutoff=0.75)
    return f"{word!r}" + (f" (close to {' or '.join(repr(n) for n in near)})" if near else "")


def new_seed_phrase(rng: np.random.Generator, words: int = 12) -> str:
    """A fresh, valid BIP-39 phrase of `words` words from `rng`'s bytes (seeded: it protects nothing and belongs to no one)."""
    if words not in VALID_WORD_COUNTS:
        raise ValueError(f"a BIP-39 phrase has 12, 15, 18, 21 or 24 words, not {words}.")
    entropy_bytes = words * 11 * 32 // 33 // 8  # 12 words: 128 bits of entropy + 4 checksum bits = 132 bits = 12 x 11
    return Bip39MnemonicGenerator().FromEntropy(rng.bytes(entropy_bytes)).ToStr()


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
        return " ".join(parts[:at] + [typo] + parts[at + 1:]) if typo not in words else " ".join(parts)

    def replaced(parts):
        at = int(rng.integers(len(parts)))
        return " ".join(parts[:at] + [words[int(rng.integers(len(words)))]] + parts[at + 1:])

    def swapped(parts):
        a, b = sorted(rng.choice(len(parts), 2, replace=False).tolist())
        return " ".join(parts[:a] + [parts[b]] + parts[a + 1:b] + [parts[a]] + parts[b + 1:]) if parts[a] != parts[b] else " ".join(parts)

    def dropped(parts):
        at = int(rng.integers(len(parts)))
        return " ".join(parts[:at] + parts[at + 1:])

    phrases = [new_seed_phrase(rng, 12), new_seed_phrase(rng, 24)]
    phrases += [broken(new_seed_phrase(rng, 12), change) for change in (misspelt, dropped, replaced, swapped)]
    order = rng.permutation(len(phrases))
    return pd.DataFrame({"note_id": [f"NOTE-{i + 1}" for i in range(len(phrases))], "phrase": [phrases[i] for i in order]})


# -- the module's case -------------------------------------------------------------------------


@dataclass(frozen=True)
class CasePicks:
    """The addresses and transactions 02_crypto_assets_and_services asks about, drawn from the synthetic world."""

    reported_transaction: str  # a plain ETH payment a victim reports
    paid_account: str  # an account whose incoming ETH payments are valued in USD
    token_example: str  # an account whose NUSD balance the lesson computes
    token_holder: str  # an account whose NUSD balance the learner computes
    deposit_example: str  # an exchange deposit address shown in the lesson
    candidates: tuple[str, ...]  # six accounts, some of them exchange deposit addresses, one ordinary account with a single sender


def case_picks(seed: int | None = None) -> CasePicks:
    """Draw the module's examples from the synthetic world (read with `chainlab.load`), reproducibly for the cohort's seed.

    Picked so that a likely wrong method of 02 gives another answer: one ordinary candidate has a single sender
    (counting senders instead of receivers shows).
    """
    seed = cohort.seed() if seed is None else seed
    transactions, token_transfers, tags, contracts, deposit_addresses = (
        data.load(table, seed=seed) for table in ("eth_transactions", "token_transfers", "tags", "contracts", "deposit_addresses"))
    rng = seeding.rng("m02.case_picks", seed)
    deposits = set(deposit_addresses.loc[deposit_addresses["chain"] == "ethereum", "address"])
    known = set(tags["address"]) | set(contracts["address"]) | deposits | {ZERO_ADDRESS}

    def draw(pool) -> str:
        pool = sorted(pool)
        if not pool:
            raise AnalysisInputError("this world has no account that fits the module's examples; rebuild the datasets (chainlab datasets build).")
        return pool[int(rng.integers(len(pool)))]

    done = transactions[transactions["receipt_status"] == 1]
    plain = done[(done["input"] == "0x") & ~done["from_address"].isin(known) & ~done["to_address"].isin(known)]
    reported = draw(plain.loc[plain["value"].map(int) >= WEI_PER_ETH // 2, "hash"])
    incoming = transactions[transactions["input"] == "0x"].groupby("to_address").size()  # failed ones too: the table shows them
    paid = draw(set(incoming[(incoming >= 4) & (incoming <= 8)].index) & set(plain["to_address"]))

    units = token_transfers["value"].map(int)
    balances = units.groupby(token_transfers["to_address"]).sum().sub(units.groupby(token_transfers["from_address"]).sum(), fill_value=0)
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
    from .analysis.account import asset_movements

    movements = asset_movements(transactions, token_transfers, data.load("eth_traces", seed=seed), data.load("tokens", seed=seed))
    senders = movements.groupby("to_address")["from_address"].nunique()
    chosen.append(draw({a for a in ordinary if senders.get(a, 0) == 1}))
    for _ in range(3):
        chosen.append(draw(ordinary - set(chosen)))
    candidates = tuple(chosen[i] for i in rng.permutation(len(chosen)))
    return CasePicks(reported, paid, token_example, token_holder, deposit_example, candidates)
