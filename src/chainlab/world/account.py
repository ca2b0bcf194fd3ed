"""The account (Ethereum-like) chain: accounts and contracts, native transfers, a freezable stablecoin, a DEX pool,
a bridge to the UTXO chain and fixed-denomination mixer pools.

Scenarios and the ordinary traffic record transactions in any order with a time each; `tables` puts them into
12-second blocks and writes BigQuery-shaped tables. Native amounts are kept in gwei (int64) and written in wei;
token amounts are kept and written in the token's smallest unit.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from Crypto.Hash import keccak

from ..chain.units import WEI_PER_ETH, WEI_PER_GWEI
from . import encode
from .entities import Growable

GWEI_PER_ETHER = WEI_PER_ETH // WEI_PER_GWEI
SLOT_SECONDS = 12
NATIVE = "ETH"
ZERO_ACCOUNT = 0  # the zero address 0x000…0: tokens are minted from it
WEI = pa.decimal128(38, 0)
TIMESTAMP = pa.timestamp("s", tz="UTC")

GAS_LIMIT = 30_000_000  # per block; EIP-1559 targets half of it
BASE_FEE_GWEI = 6.0  # typical 2024 level of the base fee, in gwei
TIPS_GWEI = (1.0, 1.5, 2.0, 0.1, 0.5, 0.01)  # wallets' usual priority fees
TIP_SHARES = (0.4, 0.2, 0.12, 0.12, 0.1, 0.06)
TIP_CUMULATIVE = tuple(np.cumsum(TIP_SHARES)[:-1].tolist())
LEGACY_SHARE = 0.08  # transactions still sent as type 0 with a plain gas price
PLAIN_LIMITS = (21_000, 21_000, 21_000, 25_200, 30_000)  # a wallet's gas limit for a plain payment: exactly what it
# uses, 20% above the estimate, or a round default; unused gas is not paid for. Each sender keeps one habit.

SIGNATURES = {  # method -> Solidity signature, whose Keccak-256 gives the 4-byte selector in `input`
    "transfer": "transfer(address,uint256)",
    "mint": "mint(address,uint256)",
    "freeze": "addBlackList(address)",
    "swap_tokens_for_eth": "swapExactTokensForETH(uint256,uint256,address[],address,uint256)",
    "swap_eth_for_tokens": "swapExactETHForTokens(uint256,address[],address,uint256)",
    "mixer_deposit": "deposit(bytes32)",
    "mixer_withdraw": "withdraw(bytes,bytes32,bytes32,address,address,uint256,uint256)",
    "bridge_deposit": "depositToBitcoin(string)",
    "exploit": "withdrawReserves(address,uint256)",
    "add_liquidity": "addLiquidityETH(address,uint256,uint256,uint256,address,uint256)",
}
GAS_USED = {
    "plain": 21_000,
    "transfer": 52_000,
    "mint": 70_000,
    "freeze": 46_000,
    "swap_tokens_for_eth": 128_000,
    "swap_eth_for_tokens": 121_000,
    "mixer_deposit": 980_000,
    "mixer_withdraw": 355_000,
    "bridge_deposit": 64_000,
    "exploit": 410_000,
    "add_liquidity": 182_000,
}


def selector(method: str) -> str:
    """The 4-byte method id a transaction's `input` starts with ("0x" for a plain transfer of the native coin)."""
    if method == "plain":
        return "0x"
    return "0x" + keccak.new(digest_bits=256, data=SIGNATURES[method].encode()).hexdigest()[:8]


SELECTORS = {method: selector(method) for method in GAS_USED}


@dataclass(frozen=True)
class Gas:
    """One transaction's gas: type (0 legacy, 2 EIP-1559), gas used and limit, the price paid per gas (wei), the
    sender's max fee and tip (type 2 only) and the block's base fee (burned)."""

    type: int
    used: int
    limit: int
    price: int
    max_fee: int | None
    tip: int | None
    base: int

    @property
    def fee_gwei(self) -> int:
        """The fee the sender pays, in gwei, rounded up (the bookkeeping is in gwei; the tables show exact wei)."""
        return -(-self.used * self.price // WEI_PER_GWEI)


def base_fee_path(rng: np.random.Generator, slots: int) -> tuple[np.ndarray, np.ndarray]:
    """Every slot's base fee (wei) and gas used, kept together by EIP-1559's rule: the base fee moves by up to 1/8 a
    block, up when the block is fuller than half its gas limit, down when emptier. Demand follows the day, the week and
    a drift of its own; blocks are full or empty by chance around it."""
    hours = np.arange(slots) * SLOT_SECONDS / 3_600
    hour_of_day, weekday = hours % 24, (hours // 24 + 2) % 7  # the world starts on a Wednesday (2024-05-01)
    drift = np.cumsum(rng.normal(0, 0.05, int(hours[-1]) + 2))
    drift -= np.convolve(drift, np.ones(49) / 49, mode="same")  # wander around the level, not away from it
    level = (
        np.log(BASE_FEE_GWEI * WEI_PER_GWEI)
        + 0.35 * np.sin(2 * np.pi * (hour_of_day - 9) / 24)
        - 0.3 * (weekday >= 5)
        + drift[hours.astype(np.int64)]
    )
    log_fee = np.convolve(level, np.ones(25) / 25, mode="same") + rng.normal(0, 0.02, slots)
    log_fee = np.clip(log_fee, np.log(1.5 * WEI_PER_GWEI), np.log(18 * WEI_PER_GWEI))
    base = np.rint(np.exp(log_fee)).astype(np.int64)
    change = np.clip(base[1:] / base[:-1] - 1, -0.125, 0.125)
    gas = np.rint(GAS_LIMIT / 2 * (1 + 8 * np.r_[change, 0.0])).astype(np.int64)  # the fullness that moves the fee so
    return base, np.clip(gas, 0, GAS_LIMIT)


@dataclass
class Token:
    account: int
    symbol: str
    name: str
    decimals: int
    issuer: str
    freezable: bool


@dataclass
class Contract:
    account: int
    name: str
    kind: str  # token, dex_pool, mixer, bridge, lending_protocol
    facts: dict = field(default_factory=dict)


class AccountLedger:
    """Accounts, balances and every transaction, log and internal transfer of the account chain."""

    def __init__(self, start: int, days: int, rng: np.random.Generator):
        self.start, self.end, self.rng = start, start + days * 86_400, rng
        self.account_entity = Growable(np.int32)
        self.account_contract = Growable(np.bool_)
        self.native = Growable(np.int64)  # balance in gwei, for the generator's own bookkeeping
        self.tokens: dict[str, Token] = {}
        self.balances: dict[str, Growable] = {}
        self.contracts: list[Contract] = []
        self.frozen: dict[int, int] = {}  # account -> time frozen
        self.tx: list[tuple] = []  # (time, from, to, value gwei, method, status, Gas)
        self.logs: list[
            tuple
        ] = []  # (tx, contract, event, account, to, asset, amount, asset_out, amount_out, destination, reference)
        self.traces: list[tuple] = []  # (tx, from, to, value gwei)
        self.base_fees, self.block_gas = base_fee_path(rng, days * 86_400 // SLOT_SECONDS + 2)
        self._base_fee = self.base_fees.tolist()  # the same as Python ints, for the per-transaction quotes
        self._uniforms: list[float] = []
        self.new_account(-1)  # the zero address

    # -- accounts ---------------------------------------------------------------------------------

    def new_accounts(self, entities: np.ndarray, contract: bool = False) -> np.ndarray:
        ids = self.account_entity.extend(entities)
        self.account_contract.extend(np.full(ids.size, contract))
        self.native.extend(np.zeros(ids.size, np.int64))
        for balance in self.balances.values():
            balance.extend(np.zeros(ids.size, np.int64))
        return ids

    def new_account(self, entity: int, contract: bool = False) -> int:
        return int(self.new_accounts(np.array([entity]), contract)[0])

    def add_contract(self, entity: int, name: str, kind: str, **facts) -> Contract:
        contract = Contract(self.new_account(entity, contract=True), name, kind, facts)
        self.contracts.append(contract)
        return contract

    def add_token(self, entity: int, symbol: str, name: str, decimals: int, issuer: str, freezable: bool) -> Token:
        contract = self.add_contract(entity, name, "token")
        token = Token(contract.account, symbol, name, decimals, issuer, freezable)
        self.tokens[symbol] = token
        self.balances[symbol] = Growable(np.int64)
        self.balances[symbol].extend(np.zeros(self.account_entity.size, np.int64))
        return token

    def balance(self, asset: str, account: int) -> int:
        values = self.native.values if asset == NATIVE else self.balances[asset].values
        return int(values[account])

    # -- transactions -----------------------------------------------------------------------------

    def quote(self, when: int, method: str = "plain", gas_price: int = 0, sender: int = -1) -> Gas:
        """The gas a transaction sent at `when` would use and pay: EIP-1559 (type 2: the block's base fee plus the
        wallet's tip, capped by its max fee) unless a fixed legacy `gas_price` (wei) is given or the wallet is old.
        A plain payment's limit is the `sender`'s wallet habit (PLAIN_LIMITS); without a sender, exactly 21,000."""
        draw = self._uniform
        base = self._base_fee[self.block_of(when)]
        used = GAS_USED[method] + (int(draw() * 4_000) if method != "plain" else 0)
        if method == "plain":
            limit = PLAIN_LIMITS[(sender * 2_654_435_761 >> 8) % len(PLAIN_LIMITS)] if sender >= 0 else used
        else:
            limit = int(used * (1.2 + 0.4 * draw())) // 1000 * 1000
        if gas_price or draw() < LEGACY_SHARE:
            price = int(gas_price) or (base // WEI_PER_GWEI + 1 + int(draw() * 3)) * WEI_PER_GWEI
            return Gas(0, used, limit, price, None, None, base)
        tip = int(TIPS_GWEI[bisect.bisect(TIP_CUMULATIVE, draw())] * WEI_PER_GWEI)
        cap = -(-(2 * base + tip) // 10**6) * 10**6  # wallets offer twice the base fee plus the tip
        return Gas(2, used, limit, min(cap, base + tip), cap, tip, base)

    def send(
        self,
        when: int,
        sender: int,
        to: int,
        value: int = 0,
        method: str = "plain",
        gas_price: int = 0,
        status: int = 1,
        gas: Gas | None = None,
    ) -> int:
        """Record a transaction at time `when` (value in gwei); the sender pays its gas. Returns its id.
        Logs and traces are added after."""
        if not self.start < when < self.end:
            raise ValueError("the transaction falls outside the world's time")
        gas = gas or self.quote(when, method, gas_price, sender)
        if status and value:
            self._move_native(sender, to, value)
        self.native.values[sender] -= gas.fee_gwei
        self.tx.append((int(when), int(sender), int(to), int(value), method, int(status), gas))
        return len(self.tx) - 1

    def _uniform(self) -> float:
        """One uniform draw in [0, 1), taken from a batch (scalar draws from numpy are slow)."""
        if not self._uniforms:
            self._uniforms = self.rng.random(8_192).tolist()
        return self._uniforms.pop()

    def fee_estimate(self, when: int, method: str = "plain") -> int:
        """What a wallet keeps back for gas (gwei): the gas limit at its max fee, with room to spare."""
        return (
            int(GAS_USED[method] * 1.6 * (2 * self._base_fee[self.block_of(when)] + 2 * WEI_PER_GWEI)) // WEI_PER_GWEI
            + 1
        )

    def send_all(self, when: int, sender: int, to: int) -> int | None:
        """Send the whole native balance less the exact gas (an exchange's sweep); None if the gas would eat it."""
        gas = self.quote(when)
        value = self.balance(NATIVE, sender) - gas.fee_gwei
        return self.send(when, sender, to, value, gas=gas) if value > 0 else None

    def block_of(self, when: int) -> int:
        return max(1, -(-(int(when) - self.start) // SLOT_SECONDS))

    def transfer_token(self, tx: int, symbol: str, sender: int, to: int, amount: int) -> None:
        """A token Transfer inside transaction `tx` (minting when `sender` is the zero address)."""
        token, balances = self.tokens[symbol], self.balances[symbol].values
        if sender in self.frozen:
            raise ValueError("a frozen account cannot send the token")
        if sender != ZERO_ACCOUNT:
            if balances[sender] < amount:
                raise ValueError(f"account {sender} holds {balances[sender]} {symbol}, cannot send {amount}")
            balances[sender] -= amount
        balances[to] += amount
        self._log(tx, token.account, "Transfer", sender, to, symbol, amount)

    def internal(self, tx: int, sender: int, to: int, value: int) -> None:
        """A contract's internal transfer of the native coin (an `eth_traces` row)."""
        self._move_native(sender, to, value)
        self.traces.append((tx, int(sender), int(to), int(value)))

    def event(
        self,
        tx: int,
        contract: int,
        event: str,
        account: int,
        asset: str | None = None,
        amount: int | None = None,
        asset_out: str | None = None,
        amount_out: int | None = None,
        destination: str | None = None,
        reference: str | None = None,
    ) -> None:
        self._log(tx, contract, event, account, -1, asset, amount, asset_out, amount_out, destination, reference)

    def _log(
        self,
        tx,
        contract,
        event,
        account,
        to,
        asset,
        amount,
        asset_out=None,
        amount_out=None,
        destination=None,
        reference=None,
    ):
        self.logs.append(
            (
                tx,
                int(contract),
                event,
                int(account),
                int(to),
                asset,
                amount,
                asset_out,
                amount_out,
                destination,
                reference,
            )
        )

    def _move_native(self, sender: int, to: int, value: int) -> None:
        self.native.values[sender] -= value
        self.native.values[to] += value

    def freeze(self, when: int, issuer: int, symbol: str, account: int) -> int:
        """The issuer freezes `account`: from now on its transfers of the token fail. Returns the transaction."""
        token = self.tokens[symbol]
        tx = self.send(when, issuer, token.account, method="freeze")
        self.frozen[account] = when
        self.event(tx, token.account, "AddressFrozen", account, symbol, self.balance(symbol, account))
        return tx

    def block_time(self, when: int) -> int:
        """The time of the block a transaction sent at `when` lands in."""
        return self.start + max(1, -(-(when - self.start) // SLOT_SECONDS)) * SLOT_SECONDS

    # -- output -----------------------------------------------------------------------------------

    def tables(
        self, rng: np.random.Generator, btc_address_text: pa.Array
    ) -> tuple[dict[str, pa.Table], pa.Array, pa.Array]:
        """BigQuery-shaped tables, plus every account's address text and every transaction's hash (by internal id).

        `btc_address_text` turns bridge deposits' destinations (UTXO-chain address ids) into text."""
        count = self.account_entity.size
        raw = rng.integers(0, 256, size=(count, 20), dtype=np.uint8)
        raw[ZERO_ACCOUNT] = 0
        address = encode.eip55(raw)
        tx = self.tx
        tx_count = len(tx)
        when = np.array([t[0] for t in tx], np.int64)
        block = np.maximum(1, -(-(when - self.start) // SLOT_SECONDS))
        order = np.lexsort((np.arange(tx_count), when, block))  # final position -> internal id
        position = np.empty(tx_count, np.int64)
        position[order] = np.arange(tx_count)
        tx_hash = pc.binary_join_element_wise(
            "0x", encode.hex_strings(rng.integers(0, 256, (tx_count, 32), dtype=np.uint8)), ""
        )
        block_of = block[order]
        first_in_block = np.r_[0, np.flatnonzero(np.diff(block_of)) + 1]
        index_in_block = np.arange(tx_count) - np.repeat(first_in_block, np.diff(np.r_[first_in_block, tx_count]))
        sender = np.array([t[1] for t in tx], np.int64)[order]
        receiver = np.array([t[2] for t in tx], np.int64)[order]
        value = np.array([t[3] for t in tx], np.int64)[order]
        methods = [tx[i][4] for i in order.tolist()]
        status = np.array([t[5] for t in tx], np.int64)[order]
        gas = [tx[i][6] for i in order.tolist()]
        gas_used = np.array([g.used for g in gas], np.int64)
        gas_limit = np.array([g.limit for g in gas], np.int64)
        dynamic = np.array([g.type == 2 for g in gas])
        sender_order = np.lexsort((np.arange(tx_count), sender))
        group_start = np.r_[0, np.flatnonzero(np.diff(sender[sender_order])) + 1]
        nonce = np.empty(tx_count, np.int64)
        nonce[sender_order] = np.arange(tx_count) - np.repeat(group_start, np.diff(np.r_[group_start, tx_count]))
        times = self.start + block_of * SLOT_SECONDS
        hashes = tx_hash.take(pa.array(order))
        transactions = pa.table(
            {
                "hash": hashes,
                "nonce": nonce,
                "transaction_index": index_in_block,
                "from_address": address.take(pa.array(sender)),
                "to_address": address.take(pa.array(receiver)),
                "value": _wei(value),
                "gas": gas_limit,
                "gas_price": np.array([g.price for g in gas], np.int64),
                "input": pa.array([SELECTORS[m] for m in methods]),
                "receipt_gas_used": gas_used,
                "receipt_status": status,
                "block_number": block_of,
                "block_timestamp": pa.array(times, TIMESTAMP),
                "max_fee_per_gas": pa.array([g.max_fee for g in gas], pa.int64()),
                "max_priority_fee_per_gas": pa.array([g.tip for g in gas], pa.int64()),
                "transaction_type": np.where(dynamic, 2, 0).astype(np.int64),
                "receipt_effective_gas_price": np.array([g.price for g in gas], np.int64),
            }
        )

        listed = np.unique(np.r_[0, block_of])
        block_raw = rng.integers(0, 256, size=(listed.size * 2, 32), dtype=np.uint8)  # each listed block and its parent
        parents = np.searchsorted(listed, listed - 1)
        parent_listed = (parents < listed.size) & (listed[np.minimum(parents, listed.size - 1)] == listed - 1)
        parent_raw = np.where(
            parent_listed[:, None], block_raw[np.minimum(parents, listed.size - 1)], block_raw[listed.size :]
        )
        parent_raw[0] = 0
        per_block = np.searchsorted(block_of, listed, side="right") - np.searchsorted(block_of, listed)
        listed_gas = np.bincount(np.searchsorted(listed, block_of), weights=gas_used, minlength=listed.size).astype(
            np.int64
        )
        blocks = pa.table(
            {
                "number": listed,
                "hash": _hex0x(block_raw[: listed.size]),
                "parent_hash": _hex0x(parent_raw),
                "timestamp": pa.array(self.start + listed * SLOT_SECONDS, TIMESTAMP),
                "transaction_count": per_block.astype(np.int64),
                "gas_used": np.maximum(self.block_gas[listed], listed_gas),
                "gas_limit": np.full(listed.size, GAS_LIMIT, np.int64),
                "base_fee_per_gas": self.base_fees[listed],
            }
        )

        logs = self.logs
        log_tx = position[np.array([entry[0] for entry in logs], np.int64)]
        log_order = np.lexsort((np.arange(len(logs)), log_tx))
        log_block = block_of[log_tx[log_order]]
        starts = np.r_[0, np.flatnonzero(np.diff(log_block)) + 1]
        log_index = np.arange(len(logs)) - np.repeat(starts, np.diff(np.r_[starts, len(logs)]))
        ordered = [logs[i] for i in log_order.tolist()]
        is_transfer = np.array([entry[2] == "Transfer" for entry in ordered])

        def column(rows, index):
            return [ordered[i][index] for i in rows]

        def accounts(ids):
            return address.take(pa.array(np.array(ids, np.int64)))

        rows = np.flatnonzero(is_transfer)
        transfer_tx = log_tx[log_order][rows]
        token_transfers = pa.table(
            {
                "token_address": accounts(column(rows, 1)),
                "from_address": accounts(column(rows, 3)),
                "to_address": accounts(column(rows, 4)),
                "value": pa.array(np.array(column(rows, 6), np.int64)).cast(WEI),
                "transaction_hash": tx_hash.take(pa.array(order[transfer_tx])),
                "log_index": log_index[rows],
                "block_number": block_of[transfer_tx],
                "block_timestamp": pa.array(times[transfer_tx], TIMESTAMP),
            }
        )

        rows = np.flatnonzero(~is_transfer)
        event_tx = log_tx[log_order][rows]
        events = pa.table(
            {
                "transaction_hash": tx_hash.take(pa.array(order[event_tx], pa.int64())),
                "log_index": log_index[rows],
                "block_number": block_of[event_tx],
                "block_timestamp": pa.array(times[event_tx], TIMESTAMP),
                "contract_address": accounts(column(rows, 1)),
                "event": pa.array(column(rows, 2), pa.string()),
                "account": accounts(column(rows, 3)),
                "asset": pa.array(column(rows, 5), pa.string()),
                "amount": _amounts(column(rows, 5), column(rows, 6)),
                "asset_out": pa.array(column(rows, 7), pa.string()),
                "amount_out": _amounts(column(rows, 7), column(rows, 8)),
                "destination": btc_address_text.take(pa.array(column(rows, 9), pa.int64())),
                "reference": pa.array(column(rows, 10), pa.string()),
            }
        )

        trace_tx = position[np.array([t[0] for t in self.traces], np.int64)]
        trace_order = np.lexsort((np.arange(trace_tx.size), trace_tx))
        trace_tx = trace_tx[trace_order]
        trace_starts = np.r_[0, np.flatnonzero(np.diff(trace_tx)) + 1] if trace_tx.size else np.array([], np.int64)
        trace_rank = np.arange(trace_tx.size) - np.repeat(trace_starts, np.diff(np.r_[trace_starts, trace_tx.size]))
        traces = [self.traces[i] for i in trace_order.tolist()]
        eth_traces = pa.table(
            {
                "transaction_hash": tx_hash.take(pa.array(order[trace_tx], pa.int64())),
                "trace_address": pa.array(trace_rank.astype(str)),
                "from_address": accounts([t[1] for t in traces]),
                "to_address": accounts([t[2] for t in traces]),
                "value": _wei(np.array([t[3] for t in traces], np.int64)),
                "trace_type": pa.array(["call"] * len(traces), pa.string()),
                "status": np.ones(len(traces), np.int64),
                "block_number": block_of[trace_tx],
                "block_timestamp": pa.array(times[trace_tx], TIMESTAMP),
            }
        )

        tokens = list(self.tokens.values())
        contracts = pa.table(
            {
                "address": accounts([c.account for c in self.contracts]),
                "name": [c.name for c in self.contracts],
                "kind": [c.kind for c in self.contracts],
                "is_erc20": [c.kind == "token" for c in self.contracts],
                "block_number": np.zeros(len(self.contracts), np.int64),
            }
        )
        token_table = pa.table(
            {
                "address": accounts([t.account for t in tokens]),
                "symbol": [t.symbol for t in tokens],
                "name": [t.name for t in tokens],
                "decimals": np.array([t.decimals for t in tokens], np.int64),
                "issuer": [t.issuer for t in tokens],
                "freezable": [t.freezable for t in tokens],
            }
        )
        tables = {
            "eth_blocks": blocks,
            "eth_transactions": transactions,
            "token_transfers": token_transfers,
            "eth_events": events,
            "eth_traces": eth_traces,
            "tokens": token_table,
            "contracts": contracts,
        }
        return tables, address, tx_hash


def _wei(gwei: np.ndarray) -> pa.Array:
    """Exact wei amounts (decimal) from gwei amounts."""
    text = pc.binary_join_element_wise(
        pa.array(gwei).cast(pa.string()), pa.array(np.where(gwei == 0, "", "000000000")), ""
    )
    return text.cast(WEI)


def _amounts(assets: list, amounts: list) -> pa.Array:
    """Event amounts in the asset's smallest unit: wei for the native coin, base units for tokens."""
    gwei = np.array([0 if a is None else a for a in amounts], np.int64)
    native = np.array([asset == NATIVE for asset in assets], bool)
    wei = _wei(gwei)
    plain = pa.array(gwei).cast(WEI)
    chosen = pc.if_else(pa.array(native), wei, plain)
    return pc.if_else(pa.array([a is None for a in amounts]), pa.nulls(len(amounts), WEI), chosen)


def _hex0x(raw: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise("0x", encode.hex_strings(raw), "")
