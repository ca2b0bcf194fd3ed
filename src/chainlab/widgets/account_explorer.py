"""Account explorer (introduced in 02_crypto_assets_and_services): an account's ETH and token transfers, and its token holdings.

The logic is `account_html` (a pure function the tests call); the widget only collects the address and shows that HTML.
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pandas as pd

from ..analysis.tokens import token_holdings
from ..analysis.valuation import value_in_usd
from .toolkit_html import message_html, table_html

ACCOUNT_PATTERN = re.compile(r"0x[0-9a-fA-F]{40}")


def _address_problem(text: str) -> str | None:
    if ACCOUNT_PATTERN.fullmatch(text):
        return None
    if not text.startswith("0x"):
        return f"{text!r} is not an account address: those start with 0x. (Addresses starting with 1, 3 or bc1 are bitcoin addresses.)"
    if len(text) != 42:
        return f"an account address is 0x followed by 40 hexadecimal digits; yours has {len(text) - 2} character(s) after 0x. Copy it again, whole."
    return "an account address has only hexadecimal digits (0-9 and a-f, in small or capital letters) after 0x; yours has another character."


def account_html(
    text: str,
    movements: pd.DataFrame,
    token_transfers: pd.DataFrame,
    tokens: pd.DataFrame,
    prices: pd.DataFrame,
    labels: dict[str, str],
) -> str:
    """HTML: who `text` is (its public label in `labels`, from `chainlab.assets.public_labels`), its token holdings,
    and its ETH and token transfers with their counterparties; a plain message for a blank, malformed or unknown address."""
    address = text.strip()
    if not address:
        return message_html(
            "Type or paste an account address (0x followed by 40 hexadecimal digits), or pick one from the list."
        )
    problem = _address_problem(address)
    if problem:
        return message_html(problem, problem=True)
    key = address.lower()
    sent, received = movements["from_address"].str.lower() == key, movements["to_address"].str.lower() == key
    mine = movements[sent | received].copy()
    if mine.empty:
        return message_html(
            f"No transfer to or from {address} on this account chain. Check for a typo, or copy the address again.",
            problem=True,
        )
    mine["direction"] = ["out" if s else "in" for s in sent[sent | received]]
    mine["counterparty"] = [
        t if d == "out" else f for f, t, d in zip(mine["from_address"], mine["to_address"], mine["direction"])
    ]
    mine["counterparty_label"] = mine["counterparty"].str.lower().map(labels).fillna("")
    ether = value_in_usd(mine[mine["asset"] == "ETH"], prices, "ETH")
    ether = ether.rename(columns={"amount": "ETH", "value_usd": "USD_at_the_time"})
    token_moves = mine[mine["asset"] != "ETH"]
    label = labels.get(key)
    holdings = token_holdings(token_transfers, tokens, address)
    totals = (
        f"ETH: {int((ether['direction'] == 'in').sum())} received, {ether.loc[ether['direction'] == 'in', 'ETH'].sum():,.6f} ETH in total; "
        f"{int((ether['direction'] == 'out').sum())} sent, {ether.loc[ether['direction'] == 'out', 'ETH'].sum():,.6f} ETH in total."
    )
    return "".join(
        [
            f"<b>{html.escape(address)}</b>"
            + (f": public label <b>{html.escape(label)}</b>" if label else ": no public label"),
            f"<div>{html.escape(totals)} Its ETH balance is not shown: opening balances are not listed in the tables.</div>",
            "<h4>Token holdings (from Transfer events)</h4>",
            table_html(holdings, empty="This account never held a token."),
            "<h4>ETH transfers (valued at the price of their hour)</h4>",
            table_html(
                ether[
                    [
                        "block_timestamp",
                        "direction",
                        "counterparty",
                        "counterparty_label",
                        "ETH",
                        "USD_at_the_time",
                        "transaction_hash",
                    ]
                ],
                empty="No ETH moved to or from this account.",
            ),
            "<h4>Token transfers</h4>",
            table_html(
                token_moves[
                    [
                        "block_timestamp",
                        "direction",
                        "counterparty",
                        "counterparty_label",
                        "asset",
                        "amount",
                        "transaction_hash",
                    ]
                ],
                empty="No token moved to or from this account.",
            ),
        ]
    )


def account_explorer(
    movements: pd.DataFrame,
    token_transfers: pd.DataFrame,
    tokens: pd.DataFrame,
    prices: pd.DataFrame,
    labels: dict[str, str],
    examples=(),
    start: str = "",
) -> widgets.VBox:
    """A box to type or pick an account (`examples` in its list) over `movements` from `chainlab.analysis.asset_movements`."""
    box = widgets.Combobox(
        value=start,
        options=list(examples),
        placeholder="0x… (type, paste or pick)",
        description="account",
        ensure_option=False,
        layout=widgets.Layout(width="80%"),
    )
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        result.value = account_html(box.value, movements, token_transfers, tokens, prices, labels)

    box.observe(refresh, names="value")
    refresh()
    return widgets.VBox([box, result])
