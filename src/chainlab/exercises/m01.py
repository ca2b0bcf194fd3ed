"""Exercises of 01_blockchain_fundamentals: hashes, address checksums, transactions, balances and blocks."""

from ..chain.units import MAX_BTC, SATOSHI_PER_BTC
from .answers import Amount, Text, WholeNumber
from .core import Exercise

MODULE = "01"

message_hash = Exercise(
    MODULE,
    "message_hash",
    objective="Compute the SHA-256 hash of a text.",
    answer=Text(what="the SHA-256 hash in hexadecimal", length=64),
    hints=[
        "Do exactly what the example above did, with exhibit_label in place of the example text.",
        "The text must first become bytes with .encode(); the hash is then written as 64 hex digits with .hexdigest().",
        "hashlib.sha256(exhibit_label.encode()).hexdigest() is the pattern. Do not retype the label: any extra space changes the hash.",
    ],
)

mistyped_address = Exercise(
    MODULE,
    "mistyped_address",
    objective="Use address checksums to find the one mistyped address in a list.",
    answer=Text(what="the mistyped address", case_sensitive=True),
    hints=[
        "A typo almost always breaks the checksum, so check every address in the list.",
        "The loop in the example prints the verdict of cl.addresses.check() for each address: look for the one that is NOT valid.",
        "Copy the address that fails its check, exactly as it is written in chain.copied_addresses, between quotes.",
    ],
)

unconfirmed_fee = Exercise(
    MODULE,
    "unconfirmed_fee",
    objective="Compute a transaction's fee from its inputs and outputs.",
    answer=Amount(unit="sat", minimum=0, maximum=MAX_BTC * SATOSHI_PER_BTC),
    hints=[
        "The fee is what goes in and does not come out again: the total of the inputs minus the total of the outputs.",
        'The values are in the column "value" of waiting_inputs and of waiting_outputs; .sum() adds a column up.',
        'waiting_inputs["value"].sum() minus waiting_outputs["value"].sum() is the fee, already in satoshi.',
    ],
)

largest_output_btc = Exercise(
    MODULE,
    "largest_output_btc",
    objective="Convert satoshi to BTC.",
    answer=Amount(unit="BTC", minimum=0, maximum=21_000_000),
    hints=[
        "Find the largest value first, then convert it: 1 BTC is 100,000,000 satoshi.",
        'outputs["value"].max() gives the largest output value, in satoshi.',
        'Divide that by 100_000_000 (satoshi per BTC) to get BTC: outputs["value"].max() / 100_000_000.',
    ],
)

suspect_balance = Exercise(
    MODULE,
    "suspect_balance",
    objective="Compute an address's balance from its unspent outputs.",
    answer=Amount(unit="sat", minimum=0, maximum=MAX_BTC * SATOSHI_PER_BTC),
    hints=[
        "A balance is the total of the outputs the address received and has not spent yet.",
        'Keep the rows of outputs whose "address" is suspect and whose "is_spent" is False; both conditions go in one filter, joined by &.',
        'Follow the example for example_address: filter with (outputs["address"] == suspect) & (outputs["is_spent"] == False), then add up "value".',
    ],
)

reported_block = Exercise(
    MODULE,
    "reported_block",
    objective="Find the block that holds a transaction.",
    answer=WholeNumber(what="the block number"),
    hints=[
        'Each row of transactions has the transaction\'s "hash" and the "block_number" of the block that holds it.',
        'Filter transactions for the row whose "hash" is reported, then take its "block_number".',
        'transactions[transactions["hash"] == reported]["block_number"] is a column with one value: add .iloc[0] to get the number itself.',
    ],
)
