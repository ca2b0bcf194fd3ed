"""Exercises of 02_crypto_assets_and_services: units, prices at the time, token balances, seed phrases and exchange deposit addresses."""

from .answers import Amount, LabelSet
from .core import Exercise

MODULE = "02"

reported_value_eth = Exercise(
    MODULE,
    "reported_value_eth",
    objective="Convert an amount in wei to ETH.",
    answer=Amount(unit="ETH", minimum=0, maximum=1_000_000),
    hints=[
        "Find the reported transaction's row in eth_transactions, take its value (in wei), and convert it: 1 ETH is 10**18 wei.",
        'eth_transactions[eth_transactions["hash"] == reported]["value"].iloc[0] is the value in wei, as an exact decimal.',
        "Turn the exact decimal into a whole number with int(...), then divide by 10**18, as in the example above.",
    ],
)

reported_fee_gwei = Exercise(
    MODULE,
    "reported_fee_gwei",
    objective="Compute a transaction's fee in wei and convert it to gwei.",
    answer=Amount(unit="gwei", minimum=0, maximum=1_000_000_000),
    hints=[
        "The fee is the gas the transaction used times the price it paid per unit of gas; the price is in wei.",
        'Take "receipt_gas_used" and "gas_price" from the reported transaction\'s row and multiply them: that is the fee in wei.',
        "Divide the fee in wei by 10**9 to get gwei (1 gwei = 1,000,000,000 wei), as in the example above.",
    ],
)

payments_usd = Exercise(
    MODULE,
    "payments_usd",
    objective="Value transfers in US dollars at their own time with an as-of join on the price table.",
    answer=Amount(unit="USD", minimum=0, maximum=1_000_000_000),
    hints=[
        "Each payment must be valued at the ETH price of its own hour, not today's price and not one average price.",
        "assets.value_in_usd(payments, prices) adds the price of each payment's hour (price_usd) and its value (value_usd); pd.merge_asof does the same by hand.",
        'assets.value_in_usd(payments, prices)["value_usd"].sum() is the total in US dollars.',
    ],
)

holder_balance_nusd = Exercise(
    MODULE,
    "holder_balance_nusd",
    objective="Compute a token balance from Transfer events.",
    answer=Amount(unit="USD", minimum=0, maximum=100e6),
    hints=[
        "A token balance is everything the account's Transfer events brought in, minus everything they took out.",
        'Add up "value" of the NUSD transfers whose "to_address" is holder, subtract those whose "from_address" is holder; use .map(int) before .sum() to keep it exact.',
        "Follow the worked example for token_example with holder in its place, and divide the result by 10**6 (NUSD has 6 decimals).",
    ],
)

valid_notes = Exercise(
    MODULE,
    "valid_notes",
    objective="Tell a valid BIP-39 seed phrase from an invalid one, and say which check fails.",
    answer=LabelSet(what="note ids"),
    hints=[
        "A phrase is valid only if all three checks pass: every word in the list, 12/15/18/21/24 words, and the checksum.",
        "assets.check_seed_phrase(phrase).valid is True or False for one phrase; run it on every phrase of notes, as in the loop above.",
        'notes[notes["phrase"].map(lambda phrase: assets.check_seed_phrase(phrase).valid)]["note_id"] keeps the valid ones.',
    ],
)

deposit_like_accounts = Exercise(
    MODULE,
    "deposit_like_accounts",
    objective="Spot exchange deposit addresses from their deposit-and-sweep pattern.",
    answer=LabelSet(what="addresses"),
    hints=[
        "A deposit address receives from its one customer and sends everything on to one address: its exchange's hot wallet.",
        'Keep the movements whose "from_address" is one of the candidates, and count the different receivers of each with .groupby("from_address")["to_address"].nunique().',
        "The deposit addresses are the candidates with exactly one receiver; check in the explorer that it is a tagged hot wallet. Give their addresses as written in candidates.",
    ],
)
