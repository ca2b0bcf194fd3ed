"""Exercises of 01_blockchain_fundamentals: hashes, address checksums, transactions, balances and blocks."""

from ..chain.units import MAX_BTC, SATOSHI_PER_BTC
from .answer_widgets import AnswerForm, Menu, PickFrom
from .answers import Amount, Text, WholeNumber
from .core import Exercise, Slip

MODULE = "01"

message_hash = Exercise(
    MODULE,
    "message_hash",
    title="hash an exhibit label",
    task="put the SHA-256 hash of the text in `exhibit_label` (defined in the next cell) in the variable `message_hash`.",
    objective="compute the SHA-256 hash of a text.",
    answer=Text(what="the SHA-256 hash in hexadecimal", length=64),
    hints=[
        "Do exactly what the example above did, with exhibit_label in place of the example text.",
        "The text must first become bytes with .encode(); the hash is then written as 64 hex digits with .hexdigest().",
    ],
    slips=[
        Slip(
            'hashlib.sha256("exhibit_label".encode()).hexdigest()',
            'You hashed the word "exhibit_label" in quotes, not the label it names. Write exhibit_label without quotes.',
        ),
        Slip(
            'hashlib.sha256("Send 1 BTC to Alice".encode()).hexdigest()',
            "That is the hash of the example text. Hash exhibit_label instead.",
        ),
    ],
    form=AnswerForm(
        "hashlib.sha256({text}.encode()).hexdigest()",
        (
            Menu(
                "text",
                "hash",
                (
                    ("the label that exhibit_label holds", "exhibit_label"),
                    ('the word "exhibit_label" itself', '"exhibit_label"'),
                    ("the example text", '"Send 1 BTC to Alice"'),
                ),
            ),
        ),
    ),
)

mistyped_address = Exercise(
    MODULE,
    "mistyped_address",
    title="the mistyped address",
    task="put the address that was copied wrong in `mistyped_address`.",
    objective="use address checksums to find a mistyped address.",
    answer=Text(what="the mistyped address", case_sensitive=True),
    hints=[
        "A typo almost always breaks the checksum, so check every address in the list.",
        "The loop in the example prints the verdict of cl.addresses.check() for each address: look for the one that is NOT valid.",
    ],
    slips=[
        Slip(
            "[a for a in chain.copied_addresses if addresses.is_valid(a)][0]",
            "That address passes its checksum, so it was copied correctly. Look for the one whose check fails.",
        ),
        Slip(
            "[a for a in chain.copied_addresses if not addresses.is_valid(a)][0].lower()",
            "Your address has the right characters but not the right capital letters: this kind of address is case-sensitive. Copy it exactly as written in chain.copied_addresses.",
        ),
    ],
    form=AnswerForm("{address}", (PickFrom("address", "the address that fails its check", "chain.copied_addresses"),)),
)

unconfirmed_fee = Exercise(
    MODULE,
    "unconfirmed_fee",
    title="the fee of a waiting transaction",
    task="put the fee of this waiting transaction, in satoshi (sat), in `unconfirmed_fee`.",
    objective="compute a transaction's fee from its inputs and outputs.",
    answer=Amount(unit="sat", minimum=0, maximum=MAX_BTC * SATOSHI_PER_BTC),
    hints=[
        "The fee is what goes in and does not come out again: the total of the inputs minus the total of the outputs.",
        'The values are in the column "value" of waiting_inputs and of waiting_outputs; .sum() adds a column up.',
    ],
    slips=[
        Slip(
            'waiting_outputs["value"].sum() - waiting_inputs["value"].sum()',
            "Your fee is negative: you subtracted the wrong way round. The fee is the inputs' total minus the outputs' total.",
        ),
        Slip(
            'waiting_inputs["value"].sum()',
            "That is the total of the inputs alone. Subtract the total of the outputs from it.",
        ),
        Slip(
            'waiting_outputs["value"].sum()',
            "That is the total of the outputs alone. The fee is the inputs' total minus the outputs' total.",
        ),
    ],
    form=AnswerForm(
        '{first}["value"].sum() - {second}["value"].sum()',
        (
            Menu(
                "first",
                "the total of",
                (("the inputs, waiting_inputs", "waiting_inputs"), ("the outputs, waiting_outputs", "waiting_outputs")),
            ),
            Menu(
                "second",
                "minus the total of",
                (("the outputs, waiting_outputs", "waiting_outputs"), ("the inputs, waiting_inputs", "waiting_inputs")),
            ),
        ),
    ),
)

largest_output_btc = Exercise(
    MODULE,
    "largest_output_btc",
    title="the largest output, in BTC",
    task="find the largest single output in `outputs`, and put its value **in BTC** in `largest_output_btc`.",
    objective="convert satoshi to BTC.",
    answer=Amount(unit="BTC", minimum=0, maximum=21_000_000),
    hints=[
        "Find the largest value first, then convert it: 1 BTC is 100,000,000 satoshi.",
        'outputs["value"].max() gives the largest output value, in satoshi.',
    ],
    slips=[
        Slip(
            'outputs["value"].max() / 1_000_000',
            "You divided by 1,000,000 (10 to the power 6). 1 BTC is 100,000,000 satoshi (10 to the power 8): divide by 100_000_000.",
        ),
        Slip(
            'outputs["value"].sum() / 100_000_000',
            "That is the total of all outputs. The task asks for the largest one: use .max().",
        ),
        Slip(
            'waiting_outputs["value"].max() / 100_000_000',
            "That is the largest output of the waiting transaction. Use the table of confirmed outputs, outputs.",
        ),
    ],
    form=AnswerForm(
        '{table}["value"].{operation}() / {divisor}',
        (
            Menu("operation", "take", (("the largest value, .max()", "max"), ("the total, .sum()", "sum"))),
            Menu(
                "table",
                "of the outputs in",
                (("outputs (confirmed)", "outputs"), ("waiting_outputs", "waiting_outputs")),
            ),
            Menu(
                "divisor",
                "divided by",
                (("100_000_000 (10 to the power 8)", "100_000_000"), ("1_000_000 (10 to the power 6)", "1_000_000")),
            ),
        ),
    ),
)

suspect_balance = Exercise(
    MODULE,
    "suspect_balance",
    title="the suspect's balance",
    task="put the balance of the address `suspect`, in satoshi (sat), in `suspect_balance`.",
    objective="compute an address's balance from its unspent outputs.",
    answer=Amount(unit="sat", minimum=0, maximum=MAX_BTC * SATOSHI_PER_BTC),
    hints=[
        "A balance is the total of the outputs the address received and has not spent yet.",
        'Keep the rows of outputs whose "address" is suspect and whose "is_spent" is False; both conditions go in one filter, joined by &.',
    ],
    slips=[
        Slip(
            'outputs[outputs["address"] == suspect]["value"].sum()',
            'That counts every output the address ever received, spent ones too. Keep only the unspent ones: add the condition on "is_spent".',
        ),
        Slip(
            'outputs[(outputs["address"] == suspect) & (outputs["is_spent"] == True)]["value"].sum()',
            'That is the total of the outputs already spent. A balance is what is still unspent: "is_spent" == False.',
        ),
        Slip(
            'outputs[outputs["is_spent"] == False]["value"].sum()',
            'That is everyone\'s unspent outputs together. Add the condition that the "address" is suspect.',
        ),
    ],
    form=AnswerForm(
        'outputs[{condition}]["value"].sum()',
        (
            Menu(
                "condition",
                "add up the outputs",
                (
                    (
                        "paid to suspect and not spent yet",
                        '(outputs["address"] == suspect) & (outputs["is_spent"] == False)',
                    ),
                    ("paid to suspect, spent or not", 'outputs["address"] == suspect'),
                    (
                        "paid to suspect and already spent",
                        '(outputs["address"] == suspect) & (outputs["is_spent"] == True)',
                    ),
                    ("not spent yet, paid to anyone", 'outputs["is_spent"] == False'),
                ),
            ),
        ),
    ),
)

reported_block = Exercise(
    MODULE,
    "reported_block",
    title="which block holds the reported payment?",
    task="put the number of the block that holds the transaction `reported` in `reported_block`.",
    objective="find the block that holds a transaction.",
    answer=WholeNumber(what="the block number"),
    hints=[
        'Each row of transactions has the transaction\'s "hash" and the "block_number" of the block that holds it.',
        'Filter transactions for the row whose "hash" is reported, then take its "block_number".',
    ],
    slips=[
        Slip(
            "chain.tip_height",
            "That is the newest block of the chain. Look up the block of the reported transaction.",
        ),
        Slip(
            'chain.tip_height - transactions[transactions["hash"] == reported]["block_number"].iloc[0] + 1',
            "That is the number of confirmations. The task asks for the number of the block that holds the transaction.",
        ),
        Slip(
            'transactions[transactions["hash"] == example]["block_number"].iloc[0]',
            "That is the block of the example transaction. Look up the reported one: reported.",
        ),
    ],
    form=AnswerForm(
        'transactions[transactions["hash"] == {transaction}]["block_number"].iloc[0]',
        (PickFrom("transaction", "the block of the transaction", 'list(transactions["hash"])'),),
    ),
)
