"""Units of value, one name each (introduced in 01_blockchain_fundamentals and 02_crypto_assets_and_services).

Sources: Bitcoin Core `src/consensus/amount.h` (COIN = 100,000,000 satoshi);
the Ethereum yellow paper, appendix E (1 ether = 10^18 wei; gwei = 10^9 wei);
ERC-20 `decimals()` (a token's smallest unit is 10^-decimals of a token).
"""

SATOSHI_PER_BTC = 100_000_000
MAX_BTC = 21_000_000  # the most bitcoin there will ever be
WEI_PER_ETH = 10**18
WEI_PER_GWEI = 10**9


def token_unit(decimals: int) -> int:
    """How many smallest units make one token with `decimals` decimals (6 for most stablecoins: 1,000,000)."""
    return 10**decimals
