"""A tiny invented blockchain to read and to tamper with (introduced in 01_blockchain_fundamentals).

Ten blocks with a few payments each, every amount in satoshi. It keeps Bitcoin's
ideas: outputs that later inputs spend, fees, change, a first "coinbase"
transaction that pays the block's miner, and blocks that each hold the hash of
the block before and a small proof of work. To stay readable it hashes a text
form of each transaction and block once with SHA-256, where Bitcoin hashes a
binary form twice. The chain is drawn from `cohort.seed()`, so CHAINLAB_SEED
gives a cohort its own chain, and answers of its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from .. import seeding
from ..course import COURSE_START
from . import addresses
from .units import SATOSHI_PER_BTC

BLOCK_SPACING_SECONDS = 600  # Bitcoin's target (src/kernel/chainparams.cpp: nPowTargetSpacing)
BLOCK_REWARD_SAT = 312_500_000  # this toy chain pays each block's miner 3.125 BTC, plus the fees
WORK_PREFIX = "00"  # toy proof of work: a block's hash must start with this
NO_PREVIOUS_BLOCK = "0" * 64  # what the first block holds in place of a previous hash
BLOCK_COUNT = 10
MIN_SPENT_SAT = 1_000_000  # payments spend outputs of at least 0.01 BTC, so the change is never negative


def sha256_hex(text: str) -> str:
    """The SHA-256 hash of a text (encoded as UTF-8), as 64 hexadecimal digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TxOutput:
    """An amount locked to an address, until an input of a later transaction spends it."""

    address: str
    value: int


@dataclass(frozen=True)
class TxInput:
    """A reference to an earlier transaction's output, which this transaction spends in full."""

    spent_transaction_hash: str
    spent_output_index: int
    address: str
    value: int


@dataclass(frozen=True)
class Transaction:
    """Inputs spent and outputs created; with no inputs it is a coinbase, which creates new coins."""

    inputs: tuple[TxInput, ...]
    outputs: tuple[TxOutput, ...]
    note: str = ""  # a coinbase's note names its block, so that each coinbase has its own hash

    @property
    def is_coinbase(self) -> bool:
        return not self.inputs

    @property
    def input_value(self) -> int:
        return sum(i.value for i in self.inputs)

    @property
    def output_value(self) -> int:
        return sum(o.value for o in self.outputs)

    @property
    def fee(self) -> int:
        """What the inputs hold beyond the outputs: it goes to the miner (0 for a coinbase)."""
        return 0 if self.is_coinbase else self.input_value - self.output_value

    @cached_property
    def hash(self) -> str:
        lines = [f"note {self.note}"]
        lines += [f"in {i.spent_transaction_hash}:{i.spent_output_index} {i.address} {i.value}" for i in self.inputs]
        lines += [f"out {n} {o.address} {o.value}" for n, o in enumerate(self.outputs)]
        return sha256_hex("\n".join(lines))


@dataclass(frozen=True)
class Block:
    """A block: its height, time, the previous block's hash, its transactions, and the nonce that mined it."""

    height: int
    timestamp: pd.Timestamp
    previous_hash: str
    transactions: tuple[Transaction, ...]
    nonce: int = 0

    @cached_property
    def hash(self) -> str:
        transaction_hashes = ",".join(t.hash for t in self.transactions)
        header = f"height {self.height}\ntime {self.timestamp.isoformat()}\nprevious {self.previous_hash}\nnonce {self.nonce}\ntransactions {transaction_hashes}"
        return sha256_hex(header)

    @property
    def has_proof_of_work(self) -> bool:
        return self.hash.startswith(WORK_PREFIX)


def mine(block: Block) -> Block:
    """The same block with the first nonce (0, 1, 2, ...) that gives its hash the proof of work."""
    nonce = 0
    while not (candidate := replace(block, nonce=nonce)).has_proof_of_work:
        nonce += 1
    return candidate


def rewrite(
    blocks: tuple[Block, ...], height: int, transaction_index: int, output_index: int, new_value: int
) -> tuple[Block, ...]:
    """The chain after a forger changes one output's value in block `height`.

    The forger then makes every later block point at the new hash of the block
    before it (or the links would visibly break), but does not redo their proof of work.
    """
    if not 0 <= height < len(blocks):
        raise ValueError(f"There is no block {height}: the blocks are numbered 0 to {len(blocks) - 1}.")
    target = blocks[height]
    transaction = target.transactions[transaction_index]
    outputs = list(transaction.outputs)
    outputs[output_index] = replace(outputs[output_index], value=new_value)
    transactions = list(target.transactions)
    transactions[transaction_index] = replace(transaction, outputs=tuple(outputs))
    rewritten = list(blocks[:height]) + [replace(target, transactions=tuple(transactions))]
    for later in blocks[height + 1 :]:
        rewritten.append(replace(later, previous_hash=rewritten[-1].hash))
    return tuple(rewritten)


def with_typo(address: str, rng: np.random.Generator) -> str:
    """`address` with one character after its prefix (1, 3, bc1q, bc1p, 0x) swapped for another of its alphabet."""
    if address.lower().startswith("bc1"):
        start, alphabet = 4, addresses.BECH32_ALPHABET
    elif address.lower().startswith("0x"):
        start, alphabet = 2, "0123456789abcdef"
    else:
        start, alphabet = 1, addresses.BASE58_ALPHABET
    if len(address) <= start:
        raise ValueError(f"{address!r} is too short to hold a typo after its prefix.")
    position = int(rng.integers(start, len(address)))
    choices = [c for c in alphabet if c != address[position].lower() and c != address[position]]
    return address[:position] + choices[int(rng.integers(len(choices)))] + address[position + 1 :]


@dataclass(frozen=True)
class ToyChain:
    """The blocks, one transaction still waiting for a block, and the items the exercises ask about."""

    blocks: tuple[Block, ...]
    unconfirmed: Transaction
    example_transaction: str
    reported_transaction: str
    example_address: str
    suspect_address: str
    copied_addresses: tuple[str, ...]  # as copied by hand from a seized note: exactly one has a typo

    @property
    def tip_height(self) -> int:
        """The height of the newest block."""
        return self.blocks[-1].height

    def blocks_table(self) -> pd.DataFrame:
        """One row per block, as a block explorer lists them."""
        return pd.DataFrame(
            {
                "number": [b.height for b in self.blocks],
                "hash": [b.hash for b in self.blocks],
                "previous_hash": [b.previous_hash for b in self.blocks],
                "timestamp": [b.timestamp for b in self.blocks],
                "nonce": [b.nonce for b in self.blocks],
                "transaction_count": [len(b.transactions) for b in self.blocks],
            }
        )

    def transactions_table(self) -> pd.DataFrame:
        """One row per confirmed transaction (values in satoshi), named as in BigQuery's crypto_bitcoin."""
        rows = [
            {
                "hash": t.hash,
                "block_number": b.height,
                "block_timestamp": b.timestamp,
                "is_coinbase": t.is_coinbase,
                "input_count": len(t.inputs),
                "output_count": len(t.outputs),
                "input_value": t.input_value,
                "output_value": t.output_value,
                "fee": t.fee,
            }
            for b in self.blocks
            for t in b.transactions
        ]
        return pd.DataFrame(rows)

    def inputs_table(self) -> pd.DataFrame:
        """One row per input of a confirmed transaction: which earlier output it spends (values in satoshi)."""
        return _inputs(self._confirmed())

    def outputs_table(self) -> pd.DataFrame:
        """One row per output of a confirmed transaction (values in satoshi), and whether an input spent it."""
        table = _outputs(self._confirmed())
        spent = {(i.spent_transaction_hash, i.spent_output_index) for _, t in self._confirmed() for i in t.inputs}
        table["is_spent"] = [(h, n) in spent for h, n in zip(table["transaction_hash"], table["index"])]
        return table

    def unconfirmed_tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The inputs and the outputs of the transaction that waits for a block (values in satoshi)."""
        waiting = [(None, self.unconfirmed)]
        return _inputs(waiting), _outputs(waiting)

    def explorer_record(self, transaction_hash: str) -> str:
        """A confirmed transaction as a block explorer's page shows it, as text."""
        wanted = str(transaction_hash).strip().lower()
        if wanted == self.unconfirmed.hash:
            return f"Transaction {wanted}\nStatus: unconfirmed (0 confirmations): it waits to be put in a block."
        for block in self.blocks:
            for transaction in block.transactions:
                if transaction.hash == wanted:
                    return self._record(block, transaction)
        return (
            f"No transaction {transaction_hash!r} in this chain. Check that you copied all 64 characters of its hash."
        )

    def _record(self, block: Block, transaction: Transaction) -> str:
        confirmations = self.tip_height - block.height + 1
        spent = set(
            self.outputs_table().query("is_spent")[["transaction_hash", "index"]].itertuples(index=False, name=None)
        )
        lines = [
            f"Transaction  {transaction.hash}",
            f"Status       confirmed in block {block.height} ({confirmations} confirmation{'s' if confirmations != 1 else ''})",
            f"Time         {block.timestamp:%Y-%m-%d %H:%M:%S} UTC",
            f"Inputs       {len(transaction.inputs)}"
            + ("  (coinbase: new coins for the miner)" if transaction.is_coinbase else ""),
        ]
        lines += [
            f"  {i.address}  {_btc(i.value)}  (spends output {i.spent_output_index} of {i.spent_transaction_hash[:12]}...)"
            for i in transaction.inputs
        ]
        lines.append(f"Outputs      {len(transaction.outputs)}")
        lines += [
            f"  {n}: {o.address}  {_btc(o.value)}  {'spent' if (transaction.hash, n) in spent else 'unspent'}"
            for n, o in enumerate(transaction.outputs)
        ]
        lines.append(f"Fee          {_btc(transaction.fee)}  ({transaction.fee:,} sat)")
        return "\n".join(lines)

    def _confirmed(self) -> list[tuple[int, Transaction]]:
        return [(b.height, t) for b in self.blocks for t in b.transactions]


def build(seed: int | None = None) -> ToyChain:
    """Mine the toy chain for the cohort's seed (or `seed`)."""
    rng = seeding.rng("m01.toychain", seed)
    everyone = addresses.random_addresses(rng, 8)
    miners, people = everyone[:2], everyone[2:]
    unspent: dict[tuple[str, int], TxOutput] = {}
    blocks: list[Block] = []
    time = COURSE_START
    for height in range(BLOCK_COUNT):
        spendable = dict(unspent)  # outputs of earlier blocks only
        payments = []
        for _ in range(0 if height == 0 else int(rng.integers(1, 4))):
            if _payers(spendable):
                payments.append(_payment(rng, spendable, everyone, holders={o.address for o in unspent.values()}))
        reward = TxOutput(miners[height % 2], BLOCK_REWARD_SAT + sum(p.fee for p in payments))
        transactions = (Transaction((), (reward,), note=f"coinbase of block {height}"), *payments)
        for transaction in transactions:
            for spent in transaction.inputs:
                del unspent[(spent.spent_transaction_hash, spent.spent_output_index)]
            for index, output in enumerate(transaction.outputs):
                unspent[(transaction.hash, index)] = output
        previous = blocks[-1].hash if blocks else NO_PREVIOUS_BLOCK
        blocks.append(mine(Block(height, time, previous, transactions)))
        time += pd.Timedelta(seconds=int(rng.exponential(BLOCK_SPACING_SECONDS)) + 1)

    example_address, suspect_address = _two_holders(rng, unspent, blocks, people)
    bystanders = [a for a in everyone if a not in (example_address, suspect_address)]
    unconfirmed = _payment(rng, {k: o for k, o in unspent.items() if o.address in bystanders}, bystanders)
    example_transaction, reported_transaction = _example_and_reported(rng, blocks)
    return ToyChain(
        blocks=tuple(blocks),
        unconfirmed=unconfirmed,
        example_transaction=example_transaction,
        reported_transaction=reported_transaction,
        example_address=example_address,
        suspect_address=suspect_address,
        copied_addresses=_copied_with_one_typo(rng, [a for a in everyone if a != example_address]),
    )


def _example_and_reported(rng: np.random.Generator, blocks: list[Block]) -> tuple[str, str]:
    """Two payments in different blocks, neither in the newest block, the reported one's confirmation count unlike both block numbers and the tip's.

    So that the newest block, the example's block and the confirmation count are each another answer than the reported block.
    """
    tip = blocks[-1].height
    payments = [(b.height, t.hash) for b in blocks[1:-1] for t in b.transactions if not t.is_coinbase]
    example_height, example = payments[int(rng.integers(len(payments)))]
    reportable = [(h, t) for h, t in payments if h != example_height and tip - h + 1 not in (h, example_height, tip)]
    return example, reportable[int(rng.integers(len(reportable)))][1]


def _payment(
    rng: np.random.Generator,
    spendable: dict[tuple[str, int], TxOutput],
    everyone: list[str],
    holders: set[str] = frozenset(),
) -> Transaction:
    """A payment from one address to another: one or two of the payer's outputs in, the payment and the change out.

    The payee is, when there is one, an address that holds nothing yet (not in `holders`), so that every address appears on the chain.
    The outputs it spends are removed from `spendable`, so that no output is spent twice.
    """
    owners = _payers(spendable)
    payer = owners[int(rng.integers(len(owners)))]
    owned = sorted(k for k, o in spendable.items() if o.address == payer and o.value >= MIN_SPENT_SAT)
    chosen = [
        owned[int(i)] for i in rng.choice(len(owned), size=min(len(owned), int(rng.integers(1, 3))), replace=False)
    ]
    inputs = tuple(TxInput(h, n, payer, spendable.pop((h, n)).value) for h, n in chosen)
    total = sum(i.value for i in inputs)
    fee = int(rng.integers(2, 30)) * 500
    amount = int(total * rng.uniform(0.2, 0.8)) // 10_000 * 10_000
    payees = [a for a in everyone if a != payer and a not in holders] or [a for a in everyone if a != payer]
    payee = payees[int(rng.integers(len(payees)))]
    outputs = [TxOutput(payee, amount), TxOutput(payer, total - amount - fee)]  # the second output is the change
    if rng.random() < 0.5:
        outputs.reverse()
    return Transaction(inputs, tuple(outputs))


def _payers(spendable: dict[tuple[str, int], TxOutput]) -> list[str]:
    """The addresses that own an output large enough to pay from."""
    return sorted({o.address for o in spendable.values() if o.value >= MIN_SPENT_SAT})


def _two_holders(rng: np.random.Generator, unspent: dict, blocks: list[Block], people: list[str]) -> tuple[str, str]:
    """Two people who hold unspent outputs and have already spent some, so a balance needs both filters."""
    spenders = {i.address for b in blocks for t in b.transactions for i in t.inputs}
    holding = {a: sum(o.address == a for o in unspent.values()) for a in people}
    candidates = sorted((a for a in people if a in spenders and holding[a] > 0), key=lambda a: (-holding[a], a))[:4]
    first, second = rng.choice(len(candidates), size=2, replace=False)
    return candidates[int(first)], candidates[int(second)]


def _copied_with_one_typo(rng: np.random.Generator, candidates: list[str]) -> tuple[str, ...]:
    """Six of `candidates`, one of them with a typo that its checksum catches.

    The mistyped one is a base58 address (mixed case), so that a lowercased copy is another answer.
    """
    copied = [candidates[int(i)] for i in rng.choice(len(candidates), size=6, replace=False)]
    if all(address.startswith("bc1") for address in copied):
        copied[0] = next(address for address in candidates if not address.startswith("bc1"))
    base58 = [n for n, address in enumerate(copied) if not address.startswith("bc1")]
    wrong = base58[int(rng.integers(len(base58)))]
    typo = with_typo(copied[wrong], rng)
    while addresses.is_valid(typo):  # a 4-byte checksum misses about one typo in 4 billion
        typo = with_typo(copied[wrong], rng)
    copied[wrong] = typo
    return tuple(copied)


def _inputs(transactions: list[tuple[int | None, Transaction]]) -> pd.DataFrame:
    rows = [
        {
            "transaction_hash": t.hash,
            "block_number": height,
            "index": n,
            "spent_transaction_hash": i.spent_transaction_hash,
            "spent_output_index": i.spent_output_index,
            "address": i.address,
            "value": i.value,
        }
        for height, t in transactions
        for n, i in enumerate(t.inputs)
    ]
    return pd.DataFrame(rows).astype({"block_number": "Int64"})


def _outputs(transactions: list[tuple[int | None, Transaction]]) -> pd.DataFrame:
    rows = [
        {"transaction_hash": t.hash, "block_number": height, "index": n, "address": o.address, "value": o.value}
        for height, t in transactions
        for n, o in enumerate(t.outputs)
    ]
    return pd.DataFrame(rows).astype({"block_number": "Int64"})


def _btc(satoshi: int) -> str:
    return f"{satoshi / SATOSHI_PER_BTC:.8f} BTC"
