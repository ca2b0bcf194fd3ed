"""Token balances from ERC-20 Transfer events, and who an account-chain address is (introduced in 02_crypto_assets_and_services)."""

from __future__ import annotations

import pandas as pd


def public_labels(tags: pd.DataFrame, contracts: pd.DataFrame) -> dict[str, str]:
    """Account-chain address (lower-cased) -> its public name, from the tables `tags` and `contracts`."""
    labels = {address.lower(): name for address, name in zip(contracts["address"], contracts["name"])}
    ethereum = tags[tags["chain"] == "ethereum"]
    labels.update({address.lower(): label for address, label in zip(ethereum["address"], ethereum["label"])})
    return labels


def token_balance(token_transfers: pd.DataFrame, address: str, token_address: str) -> int:
    """The balance of `address` in one token, in the token's smallest unit: everything its Transfer events brought in,
    minus everything they took out. Exact (Python int). Addresses are compared without regard to case."""
    transfers = token_transfers[token_transfers["token_address"].str.lower() == token_address.lower()]
    received = sum(map(int, transfers.loc[transfers["to_address"].str.lower() == address.lower(), "value"]))
    sent = sum(map(int, transfers.loc[transfers["from_address"].str.lower() == address.lower(), "value"]))
    return received - sent  # Python ints: exact for any number of decimals (a column of int64 could overflow)


def token_holdings(token_transfers: pd.DataFrame, tokens: pd.DataFrame, address: str) -> pd.DataFrame:
    """One row per token `address` ever moved: symbol, balance (whole tokens), balance in smallest units, issuer, freezable."""
    moved = token_transfers[
        (token_transfers["from_address"].str.lower() == address.lower())
        | (token_transfers["to_address"].str.lower() == address.lower())
    ]["token_address"].unique()
    rows = []
    for token in tokens[tokens["address"].isin(moved)].itertuples():
        units = token_balance(token_transfers, address, token.address)
        rows.append(
            {
                "symbol": token.symbol,
                "name": token.name,
                "balance": units / 10 ** int(token.decimals),
                "smallest_units": units,
                "issuer": token.issuer,
                "freezable": bool(token.freezable),
            }
        )
    return pd.DataFrame(rows, columns=["symbol", "name", "balance", "smallest_units", "issuer", "freezable"])
